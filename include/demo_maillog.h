/*
 * --demo's mail log: what OpenSMTPD and amavisd-new write to the mail log
 * of a content-filtering smarthost, appended to a file that the maillog
 * provider follows like /var/log/maillog.
 */
#ifndef MHTOP_DEMO_MAILLOG_H
#define MHTOP_DEMO_MAILLOG_H

#include <time.h>

enum demo_framing {
	DEMO_FRAMING_BSD,	/* OpenBSD syslogd: "Nov  4 13:52:08 mx ", vis(3) */
	DEMO_FRAMING_RFC3339	/* rsyslog: "2026-11-04T13:52:08.123456+01:00 mx " */
};

struct demo_log;

/* Creates or truncates the file (mode 0600, not through a symlink). */
struct demo_log	*demo_log_open(const char *, enum demo_framing, unsigned);
/* Percentage of verdicts written with $log_verbose_templ (default 30). */
void		 demo_log_verbose(struct demo_log *, unsigned);
/* Sometimes end a write(2) in the middle of a line (default off). */
void		 demo_log_torn(struct demo_log *, int);
/* Once, before the first tick: the traffic of the span seconds before now. */
void		 demo_log_history(struct demo_log *, time_t, time_t);
/* Append the lines logged up to the end of second now. */
void		 demo_log_tick(struct demo_log *, time_t);
/* 0, or -1 with errno set if a write failed since the open. */
int		 demo_log_close(struct demo_log *);

#endif
