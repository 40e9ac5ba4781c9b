/*
 * The health line: is each service up, is the mail log still growing, is
 * there room left for the quarantine.  Every check is cheap and never
 * blocks: a pid file and kill(pid, 0), a connect(2) to a local socket or
 * a port, a look at the process table, a stat(2).  What mhtop cannot
 * check is unknown, never down.
 */
#ifndef MHTOP_HEALTH_H
#define MHTOP_HEALTH_H

#include <stddef.h>
#include <time.h>

enum health_svc {
	HS_SMTPD,
	HS_SPAMD,
	HS_AMAVISD,
	HS_NSVC
};

enum health_how {
	HOW_DEFAULT,			/* not configured: the system's */
	HOW_NONE,			/* not shown */
	HOW_PIDFILE,			/* a pid file, and kill(pid, 0) */
	HOW_SOCKET,			/* connect(2) to a local socket */
	HOW_PORT,			/* connect(2) to an address and port */
	HOW_PROCESS,			/* a process of that name */
};

struct health_spec {
	enum health_how	 how;
	char		*arg;		/* path, address or process name */
	char		 port[8];
};

struct health_conf {
	struct health_spec	 svc[HS_NSVC];
	long			 silence;	/* s; -1: no mail log item */
	long long		 free_min;	/* bytes; -1: no quarantine item */
};

enum health_state {
	HEALTH_UNKNOWN,
	HEALTH_UP,
	HEALTH_DOWN,			/* said in bold */
};

#define HEALTH_NITEMS	(HS_NSVC + 2)	/* and the mail log, the quarantine */
#define HEALTH_TEXT	160

struct health_item {
	enum health_state	 state;
	int			 bold;
	char			 text[HEALTH_TEXT];	/* "amavisd DOWN: ..." */
};

extern const char *const health_svc_names[HS_NSVC];

void	health_conf_init(struct health_conf *);
void	health_conf_free(struct health_conf *);
/* "SERVICE HOW [ARG...]" of a "health" line; -1 with why in err. */
int	health_conf_line(struct health_conf *, const char *, char *, size_t);
/* What is not configured gets this system's default (OpenBSD, Debian). */
void	health_conf_defaults(struct health_conf *);

struct event_base;
struct health;

/*
 * The checks, every HEALTH_EVERY seconds from now on; changed is called
 * when an item changes between two draws (a port answered).
 */
#define HEALTH_EVERY	5
struct health	*health_new(struct event_base *, const struct health_conf *,
		    const char *, const char *, void (*)(void *), void *);
void		 health_free(struct health *);
void		 health_check(struct health *);
/*
 * What a pane's last read learned of a service: a note ("MTA paused"),
 * whether it is an alarm, and the last time its counters moved (0:
 * unknown): the mail log silent after it is an alarm.
 */
void		 health_note(struct health *, enum health_svc, const char *,
		    int, time_t);
/* The items to show, in order; n is set to their number. */
const struct health_item *health_items(struct health *, time_t, size_t *);

/* The checks themselves, for the tests. */
enum health_state health_pidfile(const char *, char *, size_t);
enum health_state health_socket(const char *, char *, size_t);
enum health_state health_process(const char *, char *, size_t);
/* A size with K, M, G or T (powers of 1024): -1 if it is none. */
long long	 health_parse_size(const char *);
size_t		 health_fmt_size(long long, char *, size_t);

#endif
