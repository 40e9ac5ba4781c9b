/*
 * What the parts of --demo's mail log share: demo_traffic.c makes the
 * messages, demo_maillog.c schedules them and writes what smtpd logs,
 * demo_amavis.c what amavis logs of them, demo_queue.c is smtpd's queue.
 */
#ifndef MHTOP_DEMO_MAILLOG_INT_H
#define MHTOP_DEMO_MAILLOG_INT_H

#include <inttypes.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "demo_maillog.h"

#define X64		"%016" PRIx64
#define MYHOST		"mx.example.org"
#define NCHILD		3
#define RCPT_MAX	40
#define TEST_MAX	24
#define ADDR		96
#define TAG		2000			/* SpamAssassin levels, 1/1000 */
#define TAG2		5000
#define KILL		6310
#define ACCEPTED	"Message accepted for delivery"
#define FROM_MTA	"250 2.0.0 from MTA(smtp:[127.0.0.1]:10025): 250 2.0.0"

enum { K_IN, K_OUT, K_BOUNCE, K_DSN };		/* where a message goes */
enum {
	C_CLEAN, C_SPAMMY, C_SPAM, C_LOVER, C_MIXED, C_BANNED, C_VIRUS,
	C_BADH, C_UNCHECKED, C_WHITE
};

#define F_VERBOSE	0x0001
#define F_SHORT		0x0002
#define F_HOSTILE	0x0004	/* RFC 2047 Subject: ESC, UTF-8, quotes */
#define F_RAW8BIT	0x0008	/* the same, raw 8-bit */
#define F_MANY		0x0010	/* enough recipients to split the verdict */
#define F_TEMPFAIL	0x0020	/* the next hop defers it once */
#define F_PERMFAIL	0x0040	/* the inside host rejects one recipient */
#define F_IDN		0x0080
#define F_NOISE		0x0100	/* $log_level 2 lines around the verdict */
#define F_GTUBE		0x0200
#define F_BURST		0x0400	/* from the spammy provider */
#define F_OUT		0x0800	/* from the LAN to the Internet */
#define F_WBL		0x1000	/* a soft-listed sender: AM.WBL */
#define F_STUCK		0x2000	/* to a next hop that defers it to expiry */

/* Events of the simulation. */
enum {
	EV_NEXT, EV_ARRIVE, EV_FILTER, EV_DELIVER, EV_UNHOLD, EV_SETTLE,
	EV_EXPIRE, EV_RELEASE
};

/* An envelope of a re-injected message in smtpd's queue. */
enum { QS_NONE, QS_QUEUED, QS_BOUNCE, QS_DONE };

#define BOUNCE_TTL	(7 * 86400)	/* what smtpd gives a bounce */
#define WARN_AFTER	(4 * 3600)	/* bounce warn-interval 4h */
#define BACKOFF_MTA	400		/* the scheduler: s times tries squared */

struct sbuf {
	char		*p;
	size_t		 len, cap;
};

struct hent {
	int64_t		 ms;
	uint64_t	 seq;
	int		 what;
	unsigned	 gen;		/* EV_DELIVER: stale unless the msg's */
	void		*p;
};

struct heap {
	struct hent	*v;
	size_t		 n, cap;
};

struct sa_test {
	const char	*name;
	int		 score;
};

struct msg {
	int		 kind, intent, refs, tries;
	unsigned	 flags;
	int		 verbose, noise, tls, sa;
	char		 sender[ADDR];		/* as smtpd logs it */
	char		 ip[40], host[80];
	char		 rcpt[RCPT_MAX][ADDR];
	int		 lover[RCPT_MAX];
	size_t		 nrcpt;
	uint64_t	 evp[RCPT_MAX];		/* smtpd's, from the client */
	uint64_t	 evp2[RCPT_MAX];	/* from amavis, 0: not passed */
	/* smtpd's queue: the envelopes of the copy amavis passed */
	int		 qst[RCPT_MAX];		/* QS_* */
	int		 res[RCPT_MAX];		/* the try inflight: QS_* */
	unsigned char	 infl[RCPT_MAX], hold[RCPT_MAX], susp[RCPT_MAX];
	uint64_t	 bevp[RCPT_MAX];	/* its bounce envelope, */
	int64_t		 bctime[RCPT_MAX];	/* made then, */
	int64_t		 bgone[RCPT_MAX];	/* its report sent then */
	int64_t		 next, since, until;	/* the next try; the one inflight */
	int64_t		 lastbounce;
	int64_t		 fsince, funtil;	/* the originals, with amavis */
	unsigned	 gen;
	int		 waiting;		/* due, but held back */
	int		 inq;			/* in demo_log's queue */
	int		 esc_code;
	char		 err[256];		/* the last failure, raw */
	const char	*dead;			/* a dead next hop's reply */
	uint32_t	 msgid, msgid2;
	int64_t		 ctime, ctime2;
	size_t		 size, asize, size2;
	char		 mid[96];
	char		 mailid[13], bdig[10], quar[32], ccat[96];
	const char	*subj, *raw, *hdrfrom, *dkim, *ua;
	char		 hfrom[128];
	struct sa_test	 test[TEST_MAX];
	size_t		 ntest;
	int		 hits;
	const char	*bmime, *bname, *virus;
	int		 badh;
};

/* A file amavis wrote to the quarantine. */
struct qfile {
	char		 name[32];	/* as long as a msg's quar */
	int64_t		 ms;		/* when */
	int		 released;	/* by the operator or the admin */
};

struct child {
	unsigned	 pid;
	unsigned	 nn;		/* SMTP sessions served */
	unsigned	 m;		/* messages in the open one, 0: none */
	unsigned	 mmax;
	uint64_t	 sess;		/* smtpd's mta session to :10024 */
	uint64_t	 reinj;		/* its smtp session on :10025, 0: none */
	int64_t		 busy;		/* free again at */
};

struct demo_log {
	int		 fd;
	int		 err;
	int		 torn;
	enum demo_framing framing;
	unsigned	 seed;
	unsigned	 verbose;
	struct heap	 lines, evs;
	uint64_t	 seq;
	int64_t		 now;		/* simulated clock, ms */
	int64_t		 done;		/* written up to, ms */
	int64_t		 mean;		/* ms between arrivals */
	int64_t		 burst_until;
	int		 started;
	char		 burst_b[10];
	uint32_t	 uidhi;
	unsigned	 smtpd_pid;
	struct child	 child[NCHILD];
	uint64_t	 in_sess;	/* smtpd's session to the inside host */
	unsigned	 in_n;
	int64_t		 in_busy;
	time_t		 fsec;		/* the framing's cache */
	struct tm	 ftm;
	int64_t		 last_ms;
	unsigned	 usub;
	unsigned	 fseed;		/* µs and torn writes: not the traffic */
	struct sbuf	 out, held;
	char		*qdir;		/* the quarantine's, NULL: none */
	struct qfile	*qfiles;	/* the files written there */
	size_t		 nqfiles, capqfiles;
	unsigned	 gen;		/* AM.PDP requests: Perl's <GENn> */
	/* what smtpd's show stats counts, as the scheduler counts it */
	int64_t		 st_ok, st_tempfail, st_permfail, st_bounce;
	int64_t		 st_expired, st_removed;
	struct msg	**q;		/* messages with envelopes queued */
	size_t		 nq, qcap;
	struct demo_env	*envs;		/* demo_log_queue's answer */
	size_t		 envcap;
	int		 mta_paused, smtp_paused;
	unsigned	 backlog;
};

/* demo_maillog.c: the simulation's dice, and ids as the daemons make them */
unsigned	 demo_rnd(struct demo_log *, unsigned);
uint32_t	 demo_rnd32(struct demo_log *);
uint64_t	 demo_uid(struct demo_log *);
uint32_t	 demo_msgid(struct demo_log *);
uint64_t	 demo_evpid(struct demo_log *, uint32_t);
void		 demo_b64id(struct demo_log *, char *, size_t, int);

/* demo_maillog.c: what the smtpd of the simulation logs, and when */
void		 demo_put(struct demo_log *, int64_t, char *);
void		 demo_smtpd(struct demo_log *, int64_t, const char *, ...)
		    __attribute__((format(printf, 3, 4)));
void		 demo_sched(struct demo_log *, int64_t, int, struct msg *);
void		 demo_msg_unref(struct msg *);
const char	*demo_dur(char *, size_t, int64_t, int64_t);

/* demo_queue.c: smtpd's queue and scheduler */
void		 queue_enter(struct demo_log *, struct msg *);
void		 queue_tempfail(struct demo_log *, struct msg *, int64_t);
void		 queue_settle(struct demo_log *, struct msg *);
void		 queue_expire(struct demo_log *, struct msg *);
void		 queue_tick(struct demo_log *, int64_t);
void		 queue_free(struct demo_log *);

/* demo_traffic.c: a message of an intent, C_*, with F_* flags */
struct msg	*traffic_msg(struct demo_log *, int, unsigned);
/* The reply of the dead next hop of a domain; NULL: it is alive. */
const char	*traffic_dead(const char *);
/* smtpd's bounce to the sender of the message given */
struct msg	*traffic_bounce(struct demo_log *, const struct msg *);
/* The next message from outside; *wait: ms until the one after it. */
struct msg	*traffic_next(struct demo_log *, int64_t *);

/* demo_maillog.c: a growing string */
void	 sb_add(struct sbuf *, const char *, size_t);
void	 sb_vprintf(struct sbuf *, const char *, va_list)
	    __attribute__((__format__(__printf__, 2, 0)));
void	 sb_printf(struct sbuf *, const char *, ...)
	    __attribute__((__format__(__printf__, 2, 3)));

/* demo_amavis.c: what amavis logs of a message, m checked by child c */
void	 demo_amavis(struct demo_log *, unsigned, const char *, int64_t,
	    const char *, ...) __attribute__((__format__(__printf__, 5, 6)));
const char *demo_amavis_addr(char *, size_t, const char *);
const char *demo_addr_lower(char *, size_t, const char *);
void	 demo_rcpt_list(struct sbuf *, const struct msg *);
void	 demo_verdict(struct demo_log *, const struct msg *,
	    const struct child *, const char *, int64_t, const int *, int,
	    const char *, int);
void	 demo_recip_lines(struct demo_log *, const struct msg *,
	    const struct child *, const char *, int64_t, const int *);
void	 demo_noise(struct demo_log *, const struct msg *,
	    const struct child *, const char *, int64_t, int64_t, int);

/* demo_release.c: the admin's releases, every few minutes from ms on */
void	 release_start(struct demo_log *, int64_t);
void	 release_tick(struct demo_log *);

/* demo_quar.c: the file amavis quarantines a message to */
void	 demo_quar_write(struct demo_log *, const struct msg *, int64_t,
	    const int *);

#endif
