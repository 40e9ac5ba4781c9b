/*
 * OpenSMTPD's side of the mail log, for the trace: what the verdicts do
 * not show.  Mail received (each envelope, with the client it came from),
 * commands refused ("smtp failed-command ... result=550 ..."), and each
 * delivery attempt with its result: delivered, deferred, bounced.  No pane
 * of its own: the trace reads its rows, and only while it is open, so it
 * follows the mail log on its own (the verdicts' store keeps what their
 * joins need, not a history of every envelope).
 *
 * A session's client is known from its "smtp connected" line: a small
 * table of the recent ones, by session id, gives an envelope or a refused
 * command its IP and host name.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "conf.h"
#include "logrows.h"
#include "maillog.h"
#include "provider.h"
#include "trace.h"
#include "util.h"

#define SMTPDLOG_MAX	200000
/* connections in a ring of their own: a busy relay's do not push the
 * deliveries out */
#define CONNS_MAX	100000
/* and smtpd's outgoing sessions (connecting, errors): for an envelope's
 * history, with the deliveries of those sessions */
#define MTA_MAX		100000
#define HISTORY_MAX	40		/* lines of an envelope's history */
#define SESSIONS	4096		/* clients remembered, a power of 2 */

enum sm_cell {
	SM_TIME,
	SM_KIND,		/* "received", "refused", "delivered"... */
	SM_IP,
	SM_HOST,
	SM_FROM,
	SM_TO,
	SM_DETAIL,
	SM_EVPID,		/* the envelope's, 0: none (not a column) */
	SM_SESSION,		/* the smtp or mta session's */
	SM_RELAY,		/* a delivery's relay, when it is an IP */
	SM_NCELLS
};

struct session {
	uint64_t	 id;
	char		 ip[64];
	char		 host[128];
};

struct smstate {
	struct logrows		 lr;
	struct session		*sessions;
	struct evring		 conns;
	uint64_t		 nconns;
	struct evring		 mta;
};

static void	sm_frame(void *, struct ml_frame *);

static void *
sm_create(const struct conf *conf)
{
	struct smstate	*s = xcalloc(1, sizeof(*s));

	logrows_init(&s->lr, conf->maillog, "maillog", conf, SMTPDLOG_MAX,
	    sm_frame, s);
	s->sessions = xcalloc(SESSIONS, sizeof(*s->sessions));
	evring_init(&s->conns, CONNS_MAX);
	evring_init(&s->mta, MTA_MAX);
	return s;
}

static void
sm_destroy(void *arg)
{
	struct smstate	*s = arg;

	logrows_free(&s->lr);
	evring_free(&s->conns);
	evring_free(&s->mta);
	free(s->sessions);
	free(s);
}

static struct session *
session_slot(struct smstate *s, uint64_t id)
{
	return &s->sessions[(id * 0x9e3779b97f4a7c15ULL >> 40) &
	    (SESSIONS - 1)];
}

/* The text of an ml_str, cut to fit dst. */
static void
cpy(char *dst, size_t len, struct ml_str v)
{
	size_t	 n = v.len < len - 1 ? v.len : len - 1;

	memcpy(dst, v.p, n);
	dst[n] = '\0';
}

static struct row *
add_event_in(struct smstate *s, struct evring *ev, int64_t time,
    const char *kind, const struct session *se, struct ml_str from,
    struct ml_str to, const char *detail, const char *relay)
{
	const char	*ip = se != NULL ? se->ip : "";
	const char	*host = se != NULL ? se->host : "";
	struct row	*r;
	char		*p;

	r = logrows_row_in(&s->lr, ev, SM_NCELLS, strlen(ip) + 1 +
	    strlen(host) + 1 + from.len + 1 + to.len + 1 + strlen(detail) + 1 +
	    strlen(relay) + 1, &p);
	r->cells[SM_TIME].i = time;
	r->cells[SM_KIND].s = kind;
	r->cells[SM_IP].s = logrows_put(&p, ip, strlen(ip));
	r->cells[SM_HOST].s = logrows_put(&p, host, strlen(host));
	r->cells[SM_FROM].s = logrows_put(&p, from.p, from.len);
	r->cells[SM_TO].s = logrows_put(&p, to.p, to.len);
	r->cells[SM_DETAIL].s = logrows_put(&p, detail, strlen(detail));
	r->cells[SM_EVPID].i = 0;
	r->cells[SM_SESSION].i = 0;
	r->cells[SM_RELAY].s = logrows_put(&p, relay, strlen(relay));
	return r;
}

/*
 * An event of an envelope (evpid) in a session: its history's; a
 * delivery's relay, when it is an IP.
 */
static void
add_event(struct smstate *s, int64_t time, const char *kind,
    const struct session *se, struct ml_str from, struct ml_str to,
    const char *detail, uint64_t evpid, uint64_t session, const char *relay)
{
	struct row	*r;

	r = add_event_in(s, &s->lr.ev, time, kind, se, from, to, detail,
	    relay);
	r->cells[SM_EVPID].i = (int64_t)evpid;
	r->cells[SM_SESSION].i = (int64_t)session;
}

/*
 * A delivery's relay="192.0.2.25 (mx.example.net)", or relay="192.0.2.25"
 * when smtpd gave up on it without a session: its IP; "" for a name.
 */
static void
delivery_relay(struct ml_str relay, char *buf, size_t len)
{
	unsigned char	 ip[16];
	const char	*sp = memchr(relay.p, ' ', relay.len);
	size_t		 n = sp != NULL ? (size_t)(sp - relay.p) : relay.len;

	buf[0] = '\0';
	if (n > 0 && n < len && trace_ip_read(relay.p, n, ip) == 0) {
		memcpy(buf, relay.p, n);
		buf[n] = '\0';
	}
}

/* "smtp://192.0.2.1:25" (smtpd 7) or "192.0.2.1": the IP of a relay. */
static void
relay_ip(struct ml_str a, char *ip, size_t len)
{
	const char	*p = a.p, *end = a.p + a.len, *c;

	if ((c = ml_find(p, a.len, "://", 3)) != NULL)
		p = c + 3;
	if (p < end && *p == '[') {
		if ((c = memchr(p, ']', (size_t)(end - p))) != NULL)
			end = c + 1;
	} else if ((c = memchr(p, ':', (size_t)(end - p))) != NULL &&
	    memchr(c + 1, ':', (size_t)(end - c - 1)) == NULL)
		end = c;
	snprintf(ip, len, "%.*s", (int)(end - p), p);
}

/* An outgoing session's connection or error: by its session id. */
static void
add_mta(struct smstate *s, const struct smtpd_line *sl, const char *kind,
    const char *detail)
{
	struct session	 se;
	struct ml_str	 none = { "", 0 };
	struct row	*r;

	memset(&se, 0, sizeof(se));
	relay_ip(sl->address, se.ip, sizeof(se.ip));
	cpy(se.host, sizeof(se.host), sl->host);
	r = add_event_in(s, &s->mta, sl->time, kind, &se, none, none, detail,
	    "");
	r->cells[SM_SESSION].i = (int64_t)sl->session;
}

/* "RCPT TO:<a@b>" or "MAIL FROM:<a@b> SIZE=1": the address in it. */
static struct ml_str
command_address(struct ml_str cmd)
{
	const char	*lt = memchr(cmd.p, '<', cmd.len), *gt;
	struct ml_str	 a = { "", 0 };

	if (lt != NULL && (gt = memchr(lt, '>', (size_t)(cmd.p + cmd.len -
	    lt))) != NULL) {
		a.p = lt + 1;
		a.len = (size_t)(gt - lt - 1);
	}
	return a;
}

static int
starts_with(struct ml_str s, const char *lit)
{
	size_t	 n = strlen(lit);

	return s.len >= n && strncasecmp(s.p, lit, n) == 0;
}

static void
sm_frame(void *arg, struct ml_frame *frp)
{
	struct smstate		*s = arg;
	struct ml_frame		 fr = *frp;
	struct smtpd_line	 sl;
	struct session		*se;
	struct ml_str		 none = { "", 0 }, a;
	char			 detail[768], relay[64];
	const char		*kind;

	if (fr.kind != ML_SMTPD)
		return;
	switch (smtpd_parse_line(&sl, &fr)) {
	case SE_SMTP_CONNECTED:
		se = session_slot(s, sl.session);
		se->id = sl.session;
		cpy(se->ip, sizeof(se->ip), sl.address);
		cpy(se->host, sizeof(se->host), sl.host);
		snprintf(detail, sizeof(detail), "session %016llx",
		    (unsigned long long)sl.session);
		add_event_in(s, &s->conns, fr.time, "connected", se, none,
		    none, detail, "");
		s->nconns++;
		return;
	case SE_SMTP_ENVELOPE:
		se = session_slot(s, sl.session);
		snprintf(detail, sizeof(detail), "evpid %016llx%s%s",
		    (unsigned long long)sl.evpid, se->id == sl.session &&
		    se->host[0] != '\0' ? "; from host " : "",
		    se->id == sl.session ? se->host : "");
		add_event(s, fr.time, "received", se->id == sl.session ? se :
		    NULL, sl.from, sl.to, detail, sl.evpid, sl.session, "");
		return;
	case SE_SMTP_FAILED:
		se = session_slot(s, sl.session);
		a = command_address(sl.command);
		snprintf(detail, sizeof(detail), "%.*s: %.*s",
		    (int)sl.command.len, sl.command.p,
		    (int)sl.result_text.len, sl.result_text.p);
		add_event(s, fr.time, "refused", se->id == sl.session ? se :
		    NULL, starts_with(sl.command, "MAIL") ? a : none,
		    starts_with(sl.command, "RCPT") ? a : none, detail, 0,
		    sl.session, "");
		return;
	case SE_MTA_DELIVERY:
	case SE_MDA_DELIVERY:
		/* handed to amavis, which sends it back: not delivered yet */
		kind = sl.result == SR_OK && (sl.flags & SE_F_FILTERED) ?
		    "filtered" : sl.result == SR_OK ? "delivered" :
		    sl.result == SR_TEMPFAIL ? "deferred" :
		    sl.result == SR_PERMFAIL ? "bounced" : "delivery";
		snprintf(detail, sizeof(detail), "%s%.*s%s%.*s; evpid %016llx",
		    sl.relay.len > 0 ? "relay " : "", (int)sl.relay.len,
		    sl.relay.p, sl.relay.len > 0 ? ": " : "",
		    (int)sl.stat.len, sl.stat.p, (unsigned long long)sl.evpid);
		delivery_relay(sl.relay, relay, sizeof(relay));
		add_event(s, fr.time, kind, NULL, sl.from, sl.to, detail,
		    sl.evpid, sl.session, relay);
		return;
	case SE_MTA_CONNECTING:
		snprintf(detail, sizeof(detail), "to %.*s (%.*s); session "
		    "%016llx", (int)sl.address.len, sl.address.p,
		    (int)sl.host.len, sl.host.p,
		    (unsigned long long)sl.session);
		add_mta(s, &sl, "connecting", detail);
		return;
	case SE_MTA_ERROR:
		snprintf(detail, sizeof(detail), "%.*s; session %016llx",
		    (int)sl.reason.len, sl.reason.p,
		    (unsigned long long)sl.session);
		add_mta(s, &sl, "mta error", detail);
		return;
	default:
		return;
	}
}

static void
sm_poll_begin(void *arg, time_t now)
{
	logrows_begin(&((struct smstate *)arg)->lr, now);
}

static int
sm_poll_step(void *arg)
{
	return logrows_step(&((struct smstate *)arg)->lr);
}

/* Which of two rows came first in the log: by time, then as read. */
static int
sm_before(const struct row *a, const struct row *b)
{
	if (a->cells[SM_TIME].i != b->cells[SM_TIME].i)
		return a->cells[SM_TIME].i < b->cells[SM_TIME].i;
	return strcmp(a->key, b->key) < 0;	/* fixed-width hex */
}

/* Two runs of rows in the log's order, merged. */
static struct rowset *
merge(struct rowset *e, struct rowset *c)
{
	struct rowset	*rs = rowset_new();
	size_t		 i = 0, j = 0;

	while (i < e->nrows || j < c->nrows)
		if (j == c->nrows || (i < e->nrows &&
		    sm_before(e->rows[i], c->rows[j])))
			rowset_push(rs, e->rows[i++]);
		else
			rowset_push(rs, c->rows[j++]);
	rowset_free(e);
	rowset_free(c);
	return rs;
}

/* The log's events, its connections and smtpd's outgoing sessions. */
static struct rowset *
sm_poll_finish(void *arg)
{
	struct smstate	*s = arg;

	return merge(merge(logrows_rows(&s->lr), evring_rows(&s->conns)),
	    evring_rows(&s->mta));
}

static size_t
sm_progress(void *arg)
{
	return ((struct smstate *)arg)->lr.ev.n +
	    ((struct smstate *)arg)->conns.n + ((struct smstate *)arg)->mta.n;
}

static const char *
sm_poll_error(void *arg)
{
	return ((struct smstate *)arg)->lr.error;
}

static void
sm_summary(void *arg, const struct rowset *rs, time_t now, char *buf,
    size_t len)
{
	struct smstate	*s = arg;

	(void)now;
	snprintf(buf, len, "smtpd in %s: %zu events kept", s->lr.path,
	    rs != NULL ? rs->nrows : 0);
}

static size_t
sm_trace_detail(void *arg, const struct row *r, time_t now, char *buf,
    size_t len)
{
	(void)arg;
	(void)now;
	return trace_clip(snprintf(buf, len, "%s", r->cells[SM_DETAIL].s),
	    len);
}

/* The trace's answer: received, refused, and what became of it last. */
static size_t
sm_trace_summary(void *arg, const struct row *const *rows, size_t n,
    time_t now, char *buf, size_t len)
{
	const struct row	*last = NULL;
	size_t			 i, rcvd = 0, refused = 0, conns = 0, o;
	char			 ago[32];

	(void)arg;
	if (n == 0)
		return 0;
	for (i = 0; i < n; i++) {
		const char	*k = rows[i]->cells[SM_KIND].s;

		if (strcmp(k, "received") == 0)
			rcvd++;
		else if (strcmp(k, "connected") == 0)
			conns++;
		else if (strcmp(k, "refused") == 0)
			refused++;
		else if (strcmp(k, "connecting") == 0 ||
		    strcmp(k, "mta error") == 0)
			continue;	/* a relay's, not the mail's */
		else if (last == NULL ||
		    rows[i]->cells[SM_TIME].i >= last->cells[SM_TIME].i)
			last = rows[i];
	}
	o = 0;
	if (conns > 0)
		o = trace_clip(snprintf(buf, len, "smtpd saw %zu connection%s, "
		    "received", conns, conns == 1 ? "" : "s"), len);
	else
		o = trace_clip(snprintf(buf, len, "smtpd received"), len);
	o += trace_clip(snprintf(buf + o, len - o, " %zu envelope%s", rcvd,
	    rcvd == 1 ? "" : "s"), len - o);
	if (refused > 0)
		o += trace_clip(snprintf(buf + o, len - o, ", refused %zu "
		    "command%s", refused, refused == 1 ? "" : "s"), len - o);
	if (last != NULL) {
		fmt_duration(now > last->cells[SM_TIME].i ? now -
		    last->cells[SM_TIME].i : 0, ago, sizeof(ago));
		o += trace_clip(snprintf(buf + o, len - o, ", last %s %s ago",
		    last->cells[SM_KIND].s, ago), len - o);
	}
	return o;
}

static int
sm_trace_blind(void *arg, char *buf, size_t len)
{
	struct smstate	*s = arg;
	int		 r = logrows_blind(&s->lr, buf, len);

	if (r == 0 && s->nconns > CONNS_MAX) {
		snprintf(buf, len, "its last %d connections only", CONNS_MAX);
		r = 1;
	}
	return r;
}

/*
 * An envelope's history: what smtpd logged of it (received, each delivery
 * attempt), and the connections and errors of the outgoing sessions that
 * tried it: those its deliveries name, and when smtpd gave up without a
 * session ("Network error on destination MXs", session 0), those to the
 * relay it names since the envelope's attempt before.  Its last
 * HISTORY_MAX lines.
 */
#define HISTORY_SESSIONS	64

struct history {
	uint64_t	 evpid;
	uint64_t	 sess[HISTORY_SESSIONS];
	size_t		 nsess;
	struct {
		const char	*relay;
		int64_t		 from, to;
	}		 win[HISTORY_SESSIONS];
	size_t		 nwin;
};

static void
history_session(struct history *h, uint64_t sess)
{
	size_t	 i;

	for (i = 0; i < h->nsess && h->sess[i] != sess; i++)
		;
	if (i == h->nsess && h->nsess < HISTORY_SESSIONS)
		h->sess[h->nsess++] = sess;
}

static int
history_has(const struct history *h, uint64_t sess)
{
	size_t	 i;

	for (i = 0; i < h->nsess && h->sess[i] != sess; i++)
		;
	return i < h->nsess;
}

/* The sessions of the envelope's own rows, and its relays' windows. */
static void
history_find(struct history *h, const struct rowset *rs)
{
	const struct row	*r;
	int64_t			 prev = 0;
	size_t			 i, k;

	for (i = 0; i < rs->nrows; i++) {
		r = rs->rows[i];
		if ((uint64_t)r->cells[SM_EVPID].i != h->evpid)
			continue;
		if (r->cells[SM_SESSION].i != 0 &&
		    strcmp(r->cells[SM_KIND].s, "received") != 0)
			history_session(h, (uint64_t)r->cells[SM_SESSION].i);
		else if (r->cells[SM_SESSION].i == 0 &&
		    r->cells[SM_RELAY].s[0] != '\0' && h->nwin <
		    HISTORY_SESSIONS) {
			h->win[h->nwin].relay = r->cells[SM_RELAY].s;
			h->win[h->nwin].from = prev;
			h->win[h->nwin].to = r->cells[SM_TIME].i;
			h->nwin++;
		}
		prev = r->cells[SM_TIME].i;
	}
	for (i = 0; h->nwin > 0 && i < rs->nrows; i++) {
		r = rs->rows[i];
		if (strcmp(r->cells[SM_KIND].s, "connecting") != 0)
			continue;
		for (k = 0; k < h->nwin; k++)
			if (r->cells[SM_TIME].i >= h->win[k].from &&
			    r->cells[SM_TIME].i <= h->win[k].to &&
			    strcmp(r->cells[SM_IP].s, h->win[k].relay) == 0)
				break;
		if (k < h->nwin)
			history_session(h, (uint64_t)r->cells[SM_SESSION].i);
	}
}

static size_t
sm_about(void *arg, const struct rowset *rs, const char *name,
    const char *value, void (*add)(void *, const char *, size_t),
    void *addarg)
{
	const struct row	*r;
	struct history		 h;
	size_t			 i, n = 0, first, *at;
	char			 line[1024], when[32];
	time_t			 t;
	int			 k;

	(void)arg;
	memset(&h, 0, sizeof(h));
	if (strcmp(name, "evpid") != 0 || rs == NULL ||
	    ml_hex64(value, strlen(value), &h.evpid) == -1 || h.evpid == 0)
		return 0;
	history_find(&h, rs);
	at = xreallocarray(NULL, rs->nrows > 0 ? rs->nrows : 1, sizeof(*at));
	for (i = 0; i < rs->nrows; i++) {
		r = rs->rows[i];
		if ((uint64_t)r->cells[SM_EVPID].i == h.evpid ||
		    (r->cells[SM_EVPID].i == 0 && r->cells[SM_SESSION].i != 0 &&
		    history_has(&h, (uint64_t)r->cells[SM_SESSION].i)))
			at[n++] = i;
	}
	first = n > HISTORY_MAX ? n - HISTORY_MAX : 0;
	if (first > 0) {
		k = snprintf(line, sizeof(line), "(%zu earlier lines not shown)",
		    first);
		add(addarg, line, (size_t)k);
	}
	for (i = first; i < n; i++) {
		r = rs->rows[at[i]];
		t = (time_t)r->cells[SM_TIME].i;
		strftime(when, sizeof(when), "%Y-%m-%d %H:%M:%S",
		    localtime(&t));
		k = snprintf(line, sizeof(line), "%s  %-10s %s", when,
		    r->cells[SM_KIND].s, r->cells[SM_DETAIL].s);
		add(addarg, line, trace_clip(k, sizeof(line)));
	}
	free(at);
	return n;
}

static const struct trace_desc sm_trace = {
	.kind_cell = SM_KIND,
	.when = SM_TIME,
	.ip = SM_IP,
	.sender = SM_FROM,
	.rcpts = SM_TO,
	.host = SM_HOST,
	.header_from = -1,
	.detail = sm_trace_detail,
	.summary = sm_trace_summary,
	.blind = sm_trace_blind,
};

#define B	COL_BATCH
static const struct column sm_columns[] = {
	{ "time",	COL_TIME, SM_TIME,   12, B, NULL },
	{ "kind",	COL_STR,  SM_KIND,   10, B, NULL },
	{ "ip",		COL_STR,  SM_IP,     15, B, NULL },
	{ "host",	COL_STR,  SM_HOST,    0, B, NULL },
	{ "from",	COL_STR,  SM_FROM,    0, B, NULL },
	{ "to",		COL_STR,  SM_TO,      0, B, NULL },
	{ "detail",	COL_STR,  SM_DETAIL,  0, B, NULL },
};
#undef B

const struct provider provider_smtpdlog = {
	.name = "smtpd",
	.src = {
		.create = sm_create,
		.destroy = sm_destroy,
		.poll_begin = sm_poll_begin,
		.poll_finish = sm_poll_finish,
		.progress = sm_progress,
		.poll_error = sm_poll_error,
		.poll_step = sm_poll_step,
	},
	.desc = {
		.title = "smtpd log",
		.noun = "line",
		.columns = sm_columns,
		.ncolumns = nitems(sm_columns),
		.summary = sm_summary,
		.trace = &sm_trace,
		.about = sm_about,
	},
};
