/* mhtop.conf: one "keyword value" per line. */
#ifndef MHTOP_CONF_H
#define MHTOP_CONF_H

#include <stddef.h>

#include "health.h"

#define CONF_FILE	"/etc/mhtop.conf"
#define CONF_MAX_SIZE	(64 * 1024)	/* bytes: a longer file is refused */
#define CONF_LINE_MAX	4096		/* bytes of a line, without its newline */

struct conf {
	char	*smtpctl;
	char	*doas;			/* NULL: never */
	char	*spamdb;
	char	*pfctl;
	char	*white_table;		/* spamd's pf table */
	int	 passtime;		/* minutes, as spamd -G */
	char	*maillog;		/* the mail log the verdicts come from */
	int	 maillog_set;		/* by the config file */
	long	 history;		/* seconds of it read back at start */
	char	*spamdlog;		/* OpenBSD spamd's log, "": none */
	int	 spamdlog_set;
	char	*sa_rules;		/* SpamAssassin rule directories, ' ' separated */
	char	*quarantine;		/* amavis' $QUARANTINEDIR */
	int	 quarantine_set;	/* by the config file */
	char	*amavisd_release;
	int	 amavisd_release_set;
	double	 interval;		/* seconds between polls */
	int	 readonly;
	int	 demo;
	int	 batch;			/* -b: a missing source is an error */
	int	 confirm_risky;		/* "confirm all": ask before ACT_RISKY too */
	struct health_conf health;	/* the health line's checks */
};

void	conf_defaults(struct conf *);
/*
 * Read a configuration file.  A missing file is fine unless required.
 * Returns -1 with "file:line: reason" in err.
 */
int	conf_load(struct conf *, const char *, int, char *, size_t);
int	conf_parse_interval(const char *, double *);
/*
 * The mail log when the config names none: bsd (OpenBSD's /var/log/maillog)
 * when it is there, else debian (/var/log/mail.log) when that is.
 */
void	conf_find_maillog(struct conf *, const char *, const char *);
/* The same for spamd's log: daemon.info, OpenBSD's, else Debian's. */
void	conf_find_spamdlog(struct conf *, const char *, const char *);
/* The same for the quarantine: the OpenBSD port's, else Debian's. */
void	conf_find_quarantine(struct conf *, const char *, const char *);
/* And for amavisd-release. */
void	conf_find_release(struct conf *, const char *, const char *);
int	conf_parse_span(const char *, long *);
void	conf_free(struct conf *);

#endif
