/*
 * --demo's mail log: what OpenSMTPD and amavisd-new write to the mail log
 * of a content-filtering smarthost, appended to a file that the maillog
 * provider follows like /var/log/maillog.
 */
#ifndef MHTOP_DEMO_MAILLOG_H
#define MHTOP_DEMO_MAILLOG_H

#include <stdint.h>
#include <time.h>

#define DEMO_QUEUE_TTL	(4 * 86400)	/* smtpd.conf's default queue ttl */

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
/*
 * Messages a history starts with that the next hop defers until they
 * expire, spread over the queue's 4 days before the history (default 0).
 */
void		 demo_log_backlog(struct demo_log *, unsigned);
/* Once, before the first tick: the traffic of the span seconds before now. */
void		 demo_log_history(struct demo_log *, time_t, time_t);
/* Append the lines logged up to the end of second now. */
void		 demo_log_tick(struct demo_log *, time_t);
/*
 * smtpd's queue in the simulation: the envelopes of the messages the log
 * speaks of, from their receipt to their delivery, bounce or expiry.
 */
struct demo_env {
	uint64_t	 id;
	const char	*family, *type, *dispatcher, *helo, *hostname;
	const char	*sockaddr, *sender, *rcpt;
	const char	*error;		/* raw, as smtpd stores it */
	int		 suspend, hold, inflight, retry, esc_class, esc_code;
	int64_t		 ctime, ttl, lasttry, lastbounce;
	int64_t		 delay;		/* to the next try, or since the start */
};

/* A domain's hash: its MX is mx1.DOMAIN, 203.0.113.DEMO_MX_OCTET(hash). */
unsigned	 demo_domain_hash(const char *);
#define DEMO_MX_OCTET(h)	(10 + (h) % 200)
/* The envelopes as of now, by evpid; valid until the next call or tick. */
size_t		 demo_log_queue(struct demo_log *, time_t,
		    const struct demo_env **);
/*
 * smtpctl's remove ('r'), schedule ('s'), pause ('p') and resume ('u')
 * envelope, on an evpid, a msgid's envelopes, or all (id 0): how many.
 */
size_t		 demo_log_act(struct demo_log *, int, uint64_t, int, time_t);
/* The counters of smtpctl show stats: delivered, tempfailed, permfailed,
 * bounces made, expired and removed envelopes, since the log began. */
void		 demo_log_counters(const struct demo_log *, int64_t [6]);
/* smtpctl pause and resume: whether the MTA and SMTP are paused. */
void		 demo_log_pause(struct demo_log *, int, int, time_t);
/* 0, or -1 with errno set if a write failed since the open. */
int		 demo_log_close(struct demo_log *);
/* Write the files amavis quarantines into dir from now on; NULL: none. */
void		 demo_log_quarantine(struct demo_log *, const char *);
/* Remove them, under a directory descriptor: safe in a signal handler. */
void		 demo_log_quarantine_unlink(const struct demo_log *, int);
/*
 * amavisd-release QPATH [SECRET] [ALT...], now: amavis reads the file in
 * the quarantine, logs the release and re-sends the message to its blocked
 * recipients, or to the n alternate ones; smtpd logs the copy it receives,
 * queues and delivers.  *reply: what amavisd answered, the lines the
 * script prints ("250 2.0.0 from MTA(...): 250 2.0.0 MSGID Message
 * accepted for delivery" per recipient, or "450 4.5.0 Failure: ..."), to
 * free.  Returns how many recipients the copy went to, -1 if none.
 */
int		 demo_log_release(struct demo_log *, const char *, const char *,
		    const char *const *, size_t, time_t, char **);

#endif
