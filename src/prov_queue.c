/*
 * The OpenSMTPD queue pane: "smtpctl show status" then "smtpctl show queue",
 * and the smtpctl commands an operator runs on envelopes.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "conf.h"
#include "cut.h"
#include "health.h"
#include "hint.h"
#include "proc.h"
#include "qshape.h"
#include "queue.h"
#include "queuestats.h"
#include "trace.h"
#include "validate.h"
#include "wallclock.h"

#define SMTPD_QUEUE_TTL	(4 * 86400)	/* smtpd.conf's "queue ttl" */

/* show stats last: only when smtpd runs, and never failing the read */
enum { STEP_STATUS, STEP_QUEUE, STEP_STATS };

struct queue_state {
	char			*smtpctl;
	time_t			 now;
	struct rowset		*rs;		/* being read */
	struct smtpd_status	 status;
	int			 running;	/* 1 yes, 0 no, -1 unknown */
	char			 status_err[256];
	struct badlines		 bad;		/* of show queue */
	char			 error[1024];

	/* what goes with the rows on screen */
	struct smtpd_status	 cur_status;
	int			 cur_running;
	char			 cur_status_err[256];
	struct queue_counts	 counts;
	char			 id[32];
	char			 detail_domain[256];	/* its dest's */
	size_t			 detail_kept;	/* lines of the step */
	struct queue_shape_state	 shape;
	struct qstats		 stats;
	int			 counters;	/* read show stats */
};

struct queue_shape_state *
queue_shape_state(void *arg)
{
	return &((struct queue_state *)arg)->shape;
}

static void *
queue_create(const struct conf *conf)
{
	struct queue_state	*q = xcalloc(1, sizeof(*q));

	q->smtpctl = xstrdup(conf->smtpctl);
	q->cur_running = -1;
	q->shape.smtpctl = q->smtpctl;
	/* -b prints rows: the counters are the screen's */
	q->counters = !conf->batch;
	return q;
}

static void
queue_destroy(void *arg)
{
	struct queue_state	*q = arg;

	rowset_free(q->rs);
	queue_shape_free(&q->shape);
	free(q->smtpctl);
	free(q);
}

static void
queue_poll_begin(void *arg, time_t now)
{
	struct queue_state	*q = arg;

	rowset_free(q->rs);
	q->rs = rowset_new();
	q->now = now;
	memset(&q->status, 0, sizeof(q->status));
	q->running = -1;
	q->status_err[0] = q->error[0] = '\0';
	memset(&q->bad, 0, sizeof(q->bad));
	qstats_begin(&q->stats);
}

static int
queue_poll_argv(void *arg, int step, const char **argv, size_t max)
{
	struct queue_state	*q = arg;

	(void)max;
	argv[0] = q->smtpctl;
	argv[1] = "show";
	switch (step) {
	case STEP_STATUS:
		argv[2] = "status";
		break;
	case STEP_QUEUE:
		argv[2] = "queue";
		break;
	case STEP_STATS:
		if (!q->counters || q->running != 1)
			return 0;
		argv[2] = "stats";
		break;
	default:
		return 0;
	}
	argv[3] = NULL;
	return 3;
}

static void
queue_poll_line(void *arg, int step, char *line, size_t len)
{
	struct queue_state	*q = arg;

	if (step == STEP_STATUS) {
		if (line != NULL)
			status_parse_line(&q->status, line, len);
		return;
	}
	if (step == STEP_STATS) {
		if (line != NULL)
			qstats_line(&q->stats, line, len);
		return;
	}
	if (line == NULL) {
		q->rs->nbad++;
		badlines_add(&q->bad, NULL, 0);
	} else if (queue_parse_line(q->rs, line, len) == -1)
		badlines_add(&q->bad, line, len);
}

static int
queue_poll_step_done(void *arg, int step, int status, const char *err)
{
	struct queue_state	*q = arg;
	char			 why[768];

	if (step == STEP_STATUS) {
		/* a hung smtpd hangs show queue too: one wait is enough */
		if (status == PROC_KILLED) {
			explain_exit(status, err, q->smtpctl, "show status", why,
			    sizeof(why));
			snprintf(q->error, sizeof(q->error),
			    "smtpctl show status: %s", why);
			return -1;
		}
		/* smtpd down: show queue still reads the spool, offline */
		if (status == 0 && q->status.mta != SMTPD_UNKNOWN)
			q->running = 1;
		else if (strstr(err, "doesn't seem to be running") != NULL)
			q->running = 0;
		else
			explain_failure(err[0] ? err : "no answer", q->smtpctl,
			    "show status", q->status_err,
			    sizeof(q->status_err));
		return 0;
	}
	if (step == STEP_STATS) {
		qstats_done(&q->stats, status, err, q->smtpctl);
		return 0;
	}
	if (status != 0) {
		explain_exit(status, err, q->smtpctl, "show queue", why,
		    sizeof(why));
		snprintf(q->error, sizeof(q->error), "smtpctl show queue: %s",
		    why);
		return -1;
	}
	return explain_garbage(&q->bad, q->rs->nrows, "smtpctl show queue",
	    q->smtpctl, q->error, sizeof(q->error));
}

static struct rowset *
queue_poll_finish(void *arg)
{
	struct queue_state	*q = arg;
	struct rowset		*rs = q->rs;

	q->rs = NULL;
	queue_sort(rs);
	queue_count(rs, &q->counts);
	/* the pane shows them until the next: a group's envelopes */
	q->shape.cur = rs;
	qstats_finish(&q->stats, q->now);
	q->cur_status = q->status;
	q->cur_running = q->running;
	memcpy(q->cur_status_err, q->status_err, sizeof(q->status_err));
	return rs;
}

static void
queue_poll_abort(void *arg)
{
	struct queue_state	*q = arg;

	rowset_free(q->rs);
	q->rs = NULL;
}

static size_t
queue_progress(void *arg)
{
	struct queue_state	*q = arg;

	return q->rs != NULL ? q->rs->nrows : 0;
}

static const struct rowset *
queue_rows_so_far(void *arg)
{
	return ((struct queue_state *)arg)->rs;
}

static const char *
queue_poll_error(void *arg)
{
	struct queue_state	*q = arg;

	return q->error;
}

static const char *
state_word(enum smtpd_state s)
{
	switch (s) {
	case SMTPD_RUNNING:
		return "running";
	case SMTPD_PAUSED:
		return "PAUSED";
	default:
		return "?";
	}
}

static void
queue_empty_reason(void *arg, char *buf, size_t len)
{
	struct queue_state	*q = arg;

	snprintf(buf, len, "queue empty: smtpctl show queue listed no "
	    "envelopes%s", q->cur_running == 0 ?
	    " in the spool (smtpd is not running)" : "");
}

/* The counters strip, as a line of its own after buf's. */
/* For the health line: the parts of smtpd that are paused. */
static void
queue_health(void *arg, char *buf, size_t len, int *bad, time_t *worked)
{
	struct queue_state	*q = arg;
	const char		*part[3] = { "MTA", "MDA", "SMTP" };
	enum smtpd_state	 st[3];
	size_t			 i, n = 0;
	int			 k;

	buf[0] = '\0';
	*bad = 0;
	*worked = q->stats.worked;
	if (q->cur_running != 1)
		return;
	st[0] = q->cur_status.mta;
	st[1] = q->cur_status.mda;
	st[2] = q->cur_status.smtp;
	for (i = 0; i < 3; i++) {
		if (st[i] != SMTPD_PAUSED)
			continue;
		k = snprintf(buf + n, len - n, "%s%s", n > 0 ? " " : "",
		    part[i]);
		if (k < 0 || (size_t)k >= len - n)
			break;
		n += (size_t)k;
	}
	if (n > 0 && n + 8 < len) {
		memcpy(buf + n, " PAUSED", 8);
		*bad = 1;
	}
}

static void
add_strip(struct queue_state *q, char *buf, size_t len)
{
	char	 strip[512];

	qstats_line_text(&q->stats, strip, sizeof(strip));
	if (strip[0] != '\0')
		snprintf(buf, len, "\n%s", strip);
}

static void
queue_summary(void *arg, const struct rowset *rs, time_t now, char *buf,
    size_t len)
{
	struct queue_state	*q = arg;
	struct queue_counts	*c = &q->counts;
	char			 age[32];
	int			 n, k;

	if (rs == NULL) {
		snprintf(buf, len, "smtpd: no data yet");
		return;
	}
	if (q->cur_running == 1)
		n = snprintf(buf, len, "%ssmtpd: MTA %s  MDA %s  SMTP %s",
		    q->cur_status.mta == SMTPD_PAUSED ||
		    q->cur_status.mda == SMTPD_PAUSED ||
		    q->cur_status.smtp == SMTPD_PAUSED ? "!" : "",
		    state_word(q->cur_status.mta), state_word(q->cur_status.mda),
		    state_word(q->cur_status.smtp));
	else if (q->cur_running == 0)
		n = snprintf(buf, len, "!smtpd: NOT RUNNING (queue read offline "
		    "from the spool)");
	else
		n = snprintf(buf, len, "!smtpd: status unknown: %s",
		    q->cur_status_err);
	if (n < 0 || (size_t)n >= len)
		return;
	buf += n;
	len -= n;
	if (c->total == 0) {
		n = snprintf(buf, len, "\nqueue empty");
		if (n > 0 && (size_t)n < len)
			add_strip(q, buf + n, len - n);
		return;
	}
	fmt_duration(now - c->oldest, age, sizeof(age));
	/* the states add up to the total; hold and suspend are flags of
	 * pending envelopes, bounce is a type: said apart */
	n = snprintf(buf, len, "\n%zu envelope%s: %zu pending", c->total,
	    c->total == 1 ? "" : "s", c->pending);
	if (n < 0 || (size_t)n >= len)
		return;
	buf += n;
	len -= n;
	if (c->hold || c->suspend) {
		n = snprintf(buf, len, " (%zu suspended, %zu held)", c->suspend,
		    c->hold);
		if (n < 0 || (size_t)n >= len)
			return;
		buf += n;
		len -= n;
	}
	n = snprintf(buf, len, ", %zu inflight", c->inflight);
	if (n < 0 || (size_t)n >= len)
		return;
	buf += n;
	len -= n;
	if (c->offline) {
		n = snprintf(buf, len, ", %zu offline", c->offline);
		if (n < 0 || (size_t)n >= len)
			return;
		buf += n;
		len -= n;
	}
	if (c->invalid) {
		n = snprintf(buf, len, ", %zu invalid", c->invalid);
		if (n < 0 || (size_t)n >= len)
			return;
		buf += n;
		len -= n;
	}
	if (c->bounce)
		n = snprintf(buf, len, "; %zu bounce%s", c->bounce,
		    c->bounce == 1 ? "" : "s");
	else
		n = 0;
	if (n < 0 || (size_t)n >= len)
		return;
	k = snprintf(buf + n, len - n, "  oldest %s", age);
	if (k > 0 && (size_t)k < len - n)
		add_strip(q, buf + n + k, len - n - k);
}

/*
 * The detail view: the envelope as smtpd stored it, then what smtpd says
 * of its domain while it runs: its last result there (show hoststats) and
 * its routes to hosts of that domain (show routes).
 */
enum { DETAIL_ENVELOPE, DETAIL_HOSTSTATS, DETAIL_ROUTES, DETAIL_END };

static int
queue_detail_argv(void *arg, const struct row *r, int step,
    const char **argv, size_t max)
{
	struct queue_state	*q = arg;

	(void)max;
	if (step == DETAIL_ENVELOPE) {
		if (r == NULL || !valid_evpid(r->key))
			return -1;
		xstrlcpy(q->id, r->key, sizeof(q->id));
		/* the domain it is relayed to, as smtpd's hoststats spells
		 * it; an address literal has none, a local delivery no relay */
		if (strcmp(r->cells[Q_TYPE].s, "mta") != 0 ||
		    qshape_domain(r->cells[Q_DEST].s, q->detail_domain,
		    sizeof(q->detail_domain)) >= sizeof(q->detail_domain) ||
		    strchr(q->detail_domain, ':') != NULL ||
		    strspn(q->detail_domain, "0123456789.") ==
		    strlen(q->detail_domain))
			q->detail_domain[0] = '\0';
		q->detail_kept = 0;
		argv[0] = q->smtpctl;
		argv[1] = "show";
		argv[2] = "envelope";
		argv[3] = q->id;
		argv[4] = NULL;
		return 4;
	}
	/* offline, smtpd has nothing to say */
	if (step >= DETAIL_END || q->cur_running != 1 ||
	    q->detail_domain[0] == '\0')
		return 0;
	q->detail_kept = 0;
	argv[0] = q->smtpctl;
	argv[1] = "show";
	argv[2] = step == DETAIL_HOSTSTATS ? "hoststats" : "routes";
	argv[3] = NULL;
	return 3;
}

/* host is domain, or a host in it. */
static int
in_domain(const char *host, size_t len, const char *domain)
{
	size_t	 dl = strlen(domain);

	return len >= dl && strncasecmp(host + len - dl, domain, dl) == 0 &&
	    (len == dl || host[len - dl - 1] == '.');
}

/*
 * show hoststats: "domain|time|text" (the text raw, '|' and all), the
 * line of the envelope's domain in words.  show routes: "N. [src] <-> IP
 * (host) flags nconn=...", the routes to hosts of the domain.
 */
static int
queue_detail_line(void *arg, int step, const char *s, size_t len,
    char *buf, size_t size)
{
	struct queue_state	*q = arg;
	const char		*bar, *bar2, *lp, *rp;
	char			 when[32], ago[32];
	time_t			 t;
	long long		 v;
	int			 n;

	if (step == DETAIL_ENVELOPE)
		return s == NULL ? -1 : snprintf(buf, size, "%.*s", (int)len, s);
	if (q->detail_domain[0] == '\0')
		return -1;
	if (s == NULL)
		return q->detail_kept > 0 ? -1 : snprintf(buf, size, "(%s %s)",
		    step == DETAIL_HOSTSTATS ? "no line for" :
		    "no route to a host whose name is in", q->detail_domain);
	if (step == DETAIL_HOSTSTATS) {
		if ((bar = memchr(s, '|', len)) == NULL ||
		    (size_t)(bar - s) != strlen(q->detail_domain) ||
		    strncasecmp(s, q->detail_domain, (size_t)(bar - s)) != 0 ||
		    (bar2 = memchr(bar + 1, '|', len - (size_t)(bar + 1 - s))) ==
		    NULL)
			return -1;
		q->detail_kept++;
		v = strtoll(bar + 1, NULL, 10);
		if (v <= 0 || v > 1LL << 40)
			return snprintf(buf, size, "%.*s", (int)len, s);
		t = (time_t)v;
		strftime(when, sizeof(when), "%Y-%m-%d %H:%M:%S", localtime(&t));
		fmt_duration(wallclock_now() - t, ago, sizeof(ago));
		n = snprintf(buf, size, "smtpd's last result for %s, %s ago "
		    "(%s): %.*s", q->detail_domain, ago, when,
		    (int)(len - (size_t)(bar2 + 1 - s)), bar2 + 1);
		return n;
	}
	if ((lp = memchr(s, '(', len)) == NULL ||
	    (rp = memchr(lp, ')', len - (size_t)(lp - s))) == NULL ||
	    !in_domain(lp + 1, (size_t)(rp - lp - 1), q->detail_domain))
		return -1;
	q->detail_kept++;
	return snprintf(buf, size, "%.*s", (int)len, s);
}

/* Columns. */

static size_t
fmt_age(const struct row *r, time_t now, char *buf, size_t len)
{
	return fmt_duration(now - r->cells[Q_CTIME].i, buf, len);
}

static size_t
fmt_next(const struct row *r, time_t now, char *buf, size_t len)
{
	char	 d[32];
	int64_t	 delay = r->cells[Q_NEXT].i;

	(void)now;
	if (delay == CELL_NONE)
		return (size_t)snprintf(buf, len, "-");
	fmt_duration(delay, d, sizeof(d));
	if (r->cells[Q_STATE].s[0] == 'i')
		return (size_t)snprintf(buf, len, "run %s", d);
	return (size_t)snprintf(buf, len, "%s", d);
}

/*
 * smtpd keeps no ttl in an mta or mda envelope (only a bounce's 7 days), so
 * smtpctl's expire is its ctime: the envelope goes when the dispatcher's ttl
 * is up, 4 days after ctime unless smtpd.conf says otherwise.
 */
static size_t
fmt_expire(const struct row *r, time_t now, char *buf, size_t len)
{
	time_t		 t = (time_t)r->cells[Q_EXPIRE].i;
	const char	*why = "";
	char		 d[32], date[32];
	struct tm	 tm;

	if (t <= 0)
		return 0;
	if (t == r->cells[Q_CTIME].i && strcmp(r->cells[Q_TYPE].s,
	    "bounce") != 0) {
		t += SMTPD_QUEUE_TTL;
		why = ": ctime + smtpd's default queue ttl 4d";
	}
	if (localtime_r(&t, &tm) == NULL ||
	    strftime(date, sizeof(date), "%Y-%m-%d %H:%M:%S", &tm) == 0)
		return 0;
	fmt_duration(t >= now ? t - now : now - t, d, sizeof(d));
	return (size_t)snprintf(buf, len, "%s%s%s, %s%s", t >= now ? "in " :
	    "", d, t >= now ? "" : " ago", date, why);
}

static size_t
fmt_state(const struct row *r, time_t now, char *buf, size_t len)
{
	const char	*flags = r->cells[Q_FLAGS].s;

	(void)now;
	if (strstr(flags, "suspend") != NULL)
		return (size_t)snprintf(buf, len, "suspend");
	if (strstr(flags, "hold") != NULL)
		return (size_t)snprintf(buf, len, "hold");
	return (size_t)snprintf(buf, len, "%s", r->cells[Q_STATE].s);
}

static size_t
fmt_route(const struct row *r, time_t now, char *buf, size_t len)
{
	(void)now;
	return (size_t)snprintf(buf, len, "%s %s %s", r->cells[Q_SENDER].s,
	    glyph_arrow(), r->cells[Q_RCPT].s);
}

static int
fit_route(const struct row *r, int width, char *buf, size_t len)
{
	return cut_route(r->cells[Q_SENDER].s, r->cells[Q_RCPT].s, width, buf,
	    len);
}

static size_t
queue_row_label(const struct row *r, char *buf, size_t len)
{
	return fmt_route(r, 0, buf, len);
}

#define B	COL_BATCH
#define S	COL_SCREEN
#define D	COL_DETAIL
static const struct column queue_columns[] = {
	{ "evpid",	COL_STR,  Q_EVPID,  16, B | S, NULL },
	{ "msgid",	COL_STR,  Q_MSGID,   8, B | D, NULL },
	{ "type",	COL_STR,  Q_TYPE,    6, B | S, NULL },
	{ "state",	COL_STR,  Q_STATE,   8, B | S, fmt_state },
	{ "flags",	COL_STR,  Q_FLAGS,  10, B | D | COL_LIST, NULL },
	{ "sender",	COL_STR,  Q_SENDER,  0, B | S, fmt_route },
	{ "rcpt",	COL_STR,  Q_RCPT,   20, B | D, NULL },
	{ "dest",	COL_STR,  Q_DEST,   20, B | D, NULL },
	{ "ctime",	COL_TIME, Q_CTIME,   6, B | S | COL_RIGHT, fmt_age },
	{ "tries",	COL_INT,  Q_TRIES,   5, B | S | COL_RIGHT, NULL },
	{ "delay",	COL_INT,  Q_DELAY,   9, B, NULL },
	{ "error",	COL_STR,  Q_ERROR,   0, B | S | COL_CUT_REPLY, NULL },
	{ "family",	COL_STR,  Q_FAMILY,  6, D, NULL },
	{ "expire",	COL_TIME, Q_EXPIRE, 10, D, fmt_expire },
	{ "lasttry",	COL_TIME, Q_LASTTRY, 10, D, NULL },
	/* no try is due while suspended or held: last, both ways */
	{ "next",	COL_INT,  Q_NEXT,    9, S | COL_RIGHT | COL_NONE_LAST,
	    fmt_next },
};
#undef B
#undef S
#undef D

/*
 * Narrow screens keep who the envelope is for: at 80 columns the type,
 * tries and next try go, at 40 all but the age and the route.
 */
static const struct screen_col queue_screen[] = {
	{ 0, "ENVELOPE", 2, 0, NULL },
	{ 8, "AGE", 1, 0, NULL },
	{ 15, "NEXT", 5, 0, NULL },
	{ 9, "TRIES", 6, 0, NULL },
	{ 2, "TYPE", 7, 0, NULL },
	{ 3, "STATE", 3, 0, NULL },
	{ 5, "SENDER \xe2\x86\x92 RECIPIENT", 0, 27, fit_route },
	{ 11, "ERROR", 4, 17, NULL },
};

/* Actions. */

static int
target_evpid(void *arg, const char *key, char *id, size_t len)
{
	(void)arg;
	if (!valid_evpid(key))
		return -1;
	xstrlcpy(id, key, len);
	return 0;
}

static int
target_msgid(void *arg, const char *key, char *id, size_t len)
{
	(void)arg;
	if (!valid_evpid(key) || len < 9)
		return -1;
	memcpy(id, key, 8);
	id[8] = '\0';
	return 0;
}

static int
build(struct queue_state *q, const char **argv, const char *a, const char *b,
    const char *id)
{
	int	 n = 0;

	if (id != NULL) {
		if (!valid_evpid(id) && !valid_msgid(id))
			return -1;
		xstrlcpy(q->id, id, sizeof(q->id));
	}
	argv[n++] = q->smtpctl;
	argv[n++] = a;
	if (b != NULL)
		argv[n++] = b;
	if (id != NULL)
		argv[n++] = q->id;
	argv[n] = NULL;
	return n;
}

static int
act_pause_mta(void *q, const char *id, int step, const char **argv,
    size_t max)
{
	if (step > 0)
		return 0;
	(void)id;
	(void)max;
	return build(q, argv, "pause", "mta", NULL);
}

static int
act_resume_mta(void *q, const char *id, int step, const char **argv,
    size_t max)
{
	if (step > 0)
		return 0;
	(void)id;
	(void)max;
	return build(q, argv, "resume", "mta", NULL);
}

static int
act_schedule(void *q, const char *id, int step, const char **argv,
    size_t max)
{
	if (step > 0)
		return 0;
	(void)max;
	return build(q, argv, "schedule", NULL, id);
}

static int
act_remove(void *q, const char *id, int step, const char **argv,
    size_t max)
{
	if (step > 0)
		return 0;
	(void)max;
	return build(q, argv, "remove", NULL, id);
}

static int
act_hold(void *q, const char *id, int step, const char **argv,
    size_t max)
{
	if (step > 0)
		return 0;
	(void)max;
	return build(q, argv, "pause", "envelope", id);
}

static int
act_release(void *q, const char *id, int step, const char **argv,
    size_t max)
{
	if (step > 0)
		return 0;
	(void)max;
	return build(q, argv, "resume", "envelope", id);
}

static const struct action queue_actions[] = {
	{ 'p', "pause the MTA (smtpctl pause mta)", ACT_RISKY,
	    "Pause the MTA: no mail leaves the relay until r", NULL,
	    NULL, act_pause_mta,
	    NULL, NULL, NULL, NULL, NULL, NULL },
	{ 'r', "resume the MTA (smtpctl resume mta)", ACT_RISKY,
	    "Resume the MTA: the queue is delivered", NULL,
	    NULL, act_resume_mta,
	    NULL, NULL, NULL, NULL, NULL, NULL },
	{ 's', "retry now (smtpctl schedule EVPID)",
	    ACT_ROWS | ACT_RISKY_MANY, "Schedule",
	    "envelope", target_evpid, act_schedule,
	    NULL, NULL, NULL, NULL, NULL, NULL },
	{ 'd', "remove envelope(s) (smtpctl remove EVPID)",
	    ACT_ROWS | ACT_CONFIRM, "Remove", "envelope", target_evpid,
	    act_remove,
	    NULL, NULL, NULL, NULL, NULL, NULL },
	{ 'D', "remove whole message(s) (smtpctl remove MSGID)",
	    ACT_ROWS | ACT_CONFIRM, "Remove", "message", target_msgid,
	    act_remove,
	    NULL, NULL, NULL, NULL, NULL, NULL },
	/* smtpctl says "paused", the envelope's flag and STATE "suspend" */
	{ 'h', "suspend: no tries until H (smtpctl pause envelope EVPID)",
	    ACT_ROWS, "Suspend", "envelope", target_evpid, act_hold,
	    NULL, NULL, NULL, "suspend", NULL, NULL },
	{ 'H', "resume suspended envelope(s) (smtpctl resume envelope EVPID)",
	    ACT_ROWS, "Resume", "envelope", target_evpid, act_release,
	    NULL, NULL, NULL, "pending", NULL, NULL },
};

/* a: the message's amavis verdict, in the verdicts pane. */
static int
queue_refer(void *arg, const char *key, int ch, char *ref, size_t len)
{
	(void)arg;
	if (ch != 'a')
		return -1;
	if (key == NULL || !valid_evpid(key))
		return 0;
	snprintf(ref, len, "msgid %.8s", key);
	return 1;
}

static int
queue_resolve(void *arg, const struct rowset *rs, const char *ref,
    char *key, size_t len)
{
	size_t	 i;

	(void)arg;
	if (rs == NULL || strncmp(ref, "msgid ", 6) != 0 ||
	    strlen(ref + 6) != 8)
		return 0;
	for (i = 0; i < rs->nrows; i++)
		if (strncmp(rs->rows[i]->key, ref + 6, 8) == 0) {
			xstrlcpy(key, rs->rows[i]->key, len);
			return 1;
		}
	return 0;
}

static const char *const queue_help[] = {
	"a                    go to the message's amavis verdict",
	NULL
};

/* What the trace says of an envelope: where it stands, and why. */
static size_t
queue_trace_detail(void *arg, const struct row *r, time_t now, char *buf,
    size_t len)
{
	char	 state[16], next[32];
	int	 n;

	(void)arg;
	fmt_state(r, now, state, sizeof(state));
	fmt_next(r, now, next, sizeof(next));
	n = snprintf(buf, len, "%s, %lld tr%s, next %s; evpid %s%s%s", state,
	    (long long)r->cells[Q_TRIES].i, r->cells[Q_TRIES].i == 1 ? "y" :
	    "ies", next, r->cells[Q_EVPID].s, r->cells[Q_ERROR].s[0] != '\0' ?
	    "; " : "", r->cells[Q_ERROR].s);
	return n < 0 ? 0 : (size_t)n >= len ? len - 1 : (size_t)n;
}

/* The trace's answer: what is queued, since when, and why. */
static size_t
queue_trace_summary(void *arg, const struct row *const *rows, size_t n,
    time_t now, char *buf, size_t len)
{
	const struct row	*old;
	char			 age[32];
	size_t			 i;

	(void)arg;
	if (n == 0)
		return trace_clip(snprintf(buf, len, "nothing queued"), len);
	for (old = rows[0], i = 1; i < n; i++)
		if (rows[i]->cells[Q_CTIME].i < old->cells[Q_CTIME].i)
			old = rows[i];
	fmt_duration(now - old->cells[Q_CTIME].i, age, sizeof(age));
	return trace_clip(snprintf(buf, len, "%zu envelope%s queued, the "
	    "oldest for %s%s%s", n, n == 1 ? "" : "s", age,
	    old->cells[Q_ERROR].s[0] != '\0' ? ": " : "",
	    old->cells[Q_ERROR].s), len);
}

/* The marks: whether amavis judged the message (verdicts offer it). */
static size_t
queue_msgid(const struct row *r, char *buf, size_t len)
{
	return xstrlcpy(buf, r->cells[Q_MSGID].s, len);
}

/* The envelope's id, for its history in the mail log. */
static size_t
queue_evpid(const struct row *r, char *buf, size_t len)
{
	return xstrlcpy(buf, r->key, len);
}

static const struct link_offer queue_offers[] = {
	{ "msgid queued", queue_msgid },
};

static const struct link_mark queue_marks[] = {
	{ 'V', "amavis gave its message a verdict (a goes to it)",
	    "msgid judged", queue_msgid, NULL },
};

static const struct trace_desc queue_trace = {
	.kind = "queued",
	.kind_cell = -1,
	.when = Q_CTIME,
	.ip = -1,
	.sender = Q_SENDER,
	.rcpts = Q_RCPT,
	.host = -1,
	.header_from = -1,
	.detail = queue_trace_detail,
	.summary = queue_trace_summary,
};

const struct provider provider_queue = {
	.name = "queue",
	.src = {
		.create = queue_create,
		.destroy = queue_destroy,
		.poll_begin = queue_poll_begin,
		.poll_finish = queue_poll_finish,
		.progress = queue_progress,
		.rows_so_far = queue_rows_so_far,
		.poll_error = queue_poll_error,
		.poll_argv = queue_poll_argv,
		.poll_line = queue_poll_line,
		.poll_step_done = queue_poll_step_done,
		.poll_abort = queue_poll_abort,
	},
	.desc = {
		.title = "queue",
		.noun = "envelope",
		.columns = queue_columns,
		.ncolumns = nitems(queue_columns),
		.screen = queue_screen,
		.nscreen = nitems(queue_screen),
		.sort_column = 1,		/* AGE: oldest first */
		.actions = queue_actions,
		.nactions = nitems(queue_actions),
		.summary = queue_summary,
		.empty_reason = queue_empty_reason,
		.help = queue_help,
		.row_label = queue_row_label,
		.detail_argv = queue_detail_argv,
		.detail_line = queue_detail_line,
		.refer = queue_refer,
		.resolve = queue_resolve,
		.trace = &queue_trace,
		.views = queue_views,
		.nviews = QUEUE_NVIEWS,
		.marks = queue_marks,
		.nmarks = nitems(queue_marks),
		.offers = queue_offers,
		.noffers = nitems(queue_offers),
		.service = HS_SMTPD + 1,
		.health = queue_health,
		.history = "evpid",
		.history_value = queue_evpid,
		.history_title = "In the mail log: its delivery attempts, and "
		    "the sessions that tried it",
	},
};
