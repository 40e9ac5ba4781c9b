/*
 * OpenBSD spamd's own log (spamdlog in mhtop.conf, /var/log/daemon by
 * default): its connections, (GREY)/(BLACK) attempts, the header lines of
 * blacklisted senders and disconnections, followed as the verdicts follow
 * the mail log.  No pane of its own: the trace reads its rows.
 *
 * Read through logrows: its last SPAMDLOG_MAX events are kept.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "conf.h"
#include "logrows.h"
#include "maillog.h"
#include "provider.h"
#include "spamdlog.h"
#include "trace.h"
#include "util.h"

#define SPAMDLOG_MAX	200000

enum sl_cell {
	SL_TIME,
	SL_KIND,		/* "connected", "GREY", ... */
	SL_IP,
	SL_FROM,
	SL_TO,
	SL_HEADER,		/* a From: header line's value */
	SL_DETAIL,
	SL_NCELLS
};

struct slstate {
	struct logrows		 lr;
};

static void	sl_frame(void *, struct ml_frame *);

static void *
sl_create(const struct conf *conf)
{
	struct slstate	*s = xcalloc(1, sizeof(*s));

	logrows_init(&s->lr, conf->spamdlog, "spamd log", conf, SPAMDLOG_MAX,
	    sl_frame, s);
	return s;
}

static void
sl_destroy(void *arg)
{
	struct slstate	*s = arg;

	logrows_free(&s->lr);
	free(s);
}

/* The row of one event: its strings in the same block. */
static void
add_event(struct slstate *s, int64_t time, const struct sd_event *ev)
{
	char		 detail[512], *p;
	struct ml_str	 hdr = { "", 0 };
	struct row	*r;
	int		 n = 0;

	switch (ev->kind) {
	case SD_CONNECT:
		n = snprintf(detail, sizeof(detail), "connected: %lld open, "
		    "%lld blacklisted%s%.*s", (long long)ev->clients,
		    (long long)ev->blacks, ev->lists.len ? "; lists: " : "",
		    (int)ev->lists.len, ev->lists.p);
		break;
	case SD_DISCONNECT:
		n = snprintf(detail, sizeof(detail), "disconnected after %lld "
		    "s%s%.*s", (long long)ev->seconds, ev->lists.len ?
		    "; lists: " : "", (int)ev->lists.len, ev->lists.p);
		break;
	case SD_GREY:
		n = snprintf(detail, sizeof(detail), "answered 451: "
		    "greylisted");
		break;
	case SD_BLACK:
		n = snprintf(detail, sizeof(detail), "tarpitted: blacklisted");
		break;
	case SD_HEADER:
		n = snprintf(detail, sizeof(detail), "a header of the "
		    "blacklisted message: %.*s", (int)ev->header.len,
		    ev->header.p);
		if (ev->header.len > 5 && strncasecmp(ev->header.p, "from:",
		    5) == 0) {
			hdr.p = ev->header.p + 5;
			hdr.len = ev->header.len - 5;
		}
		break;
	default:
		return;
	}
	if (n < 0)
		n = 0;
	if ((size_t)n >= sizeof(detail))
		n = sizeof(detail) - 1;
	r = logrows_row(&s->lr, SL_NCELLS, ev->addr.len + 1 + ev->from.len +
	    1 + ev->to.len + 1 + hdr.len + 1 + (size_t)n + 1, &p);
	r->cells[SL_TIME].i = time;
	r->cells[SL_KIND].s = spamd_log_kind_name(ev->kind);
	r->cells[SL_IP].s = logrows_put(&p, ev->addr.p, ev->addr.len);
	r->cells[SL_FROM].s = logrows_put(&p, ev->from.p, ev->from.len);
	r->cells[SL_TO].s = logrows_put(&p, ev->to.p, ev->to.len);
	r->cells[SL_HEADER].s = logrows_put(&p, hdr.p, hdr.len);
	r->cells[SL_DETAIL].s = logrows_put(&p, detail, (size_t)n);
}

static void
sl_frame(void *arg, struct ml_frame *fr)
{
	struct slstate	*s = arg;
	struct sd_event	 ev;
	size_t		 n;

	if (fr->kind != ML_SPAMD)
		return;
	/* syslogd's vis(3) of 8-bit bytes, undone where they are UTF-8 */
	n = ml_unvis(fr->msg, fr->msglen);
	if (spamd_log_parse(fr->msg, n, &ev) != SD_NONE)
		add_event(s, fr->time, &ev);
}

static void
sl_poll_begin(void *arg, time_t now)
{
	logrows_begin(&((struct slstate *)arg)->lr, now);
}

static int
sl_poll_step(void *arg)
{
	return logrows_step(&((struct slstate *)arg)->lr);
}

static struct rowset *
sl_poll_finish(void *arg)
{
	return logrows_rows(&((struct slstate *)arg)->lr);
}

static size_t
sl_progress(void *arg)
{
	return ((struct slstate *)arg)->lr.ev.n;
}

static const char *
sl_poll_error(void *arg)
{
	return ((struct slstate *)arg)->lr.error;
}

static void
sl_summary(void *arg, const struct rowset *rs, time_t now, char *buf,
    size_t len)
{
	struct slstate	*s = arg;

	(void)now;
	snprintf(buf, len, "spamd log %s: %zu lines kept", s->lr.path,
	    rs != NULL ? rs->nrows : 0);
}

/* The trace's detail: the event in words. */
static size_t
sl_trace_detail(void *arg, const struct row *r, time_t now, char *buf,
    size_t len)
{
	(void)arg;
	(void)now;
	return trace_clip(snprintf(buf, len, "%s", r->cells[SL_DETAIL].s),
	    len);
}

/* The trace's answer: how often spamd saw it, and the last time. */
static size_t
sl_trace_summary(void *arg, const struct row *const *rows, size_t n,
    time_t now, char *buf, size_t len)
{
	const struct row	*last = NULL;
	size_t			 i, conn = 0, grey = 0, black = 0, o;
	char			 ago[32];

	(void)arg;
	if (n == 0)
		return 0;
	for (i = 0; i < n; i++) {
		const char	*k = rows[i]->cells[SL_KIND].s;

		if (strcmp(k, "connected") == 0)
			conn++;
		else if (strcmp(k, "GREY") == 0)
			grey++;
		else if (strcmp(k, "BLACK") == 0)
			black++;
		if (last == NULL ||
		    rows[i]->cells[SL_TIME].i >= last->cells[SL_TIME].i)
			last = rows[i];
	}
	fmt_duration(now > last->cells[SL_TIME].i ? now -
	    last->cells[SL_TIME].i : 0, ago, sizeof(ago));
	o = trace_clip(snprintf(buf, len, "spamd logged"), len);
	if (conn > 0)
		o += trace_clip(snprintf(buf + o, len - o, " %zu connection%s,",
		    conn, conn == 1 ? "" : "s"), len - o);
	if (grey > 0)
		o += trace_clip(snprintf(buf + o, len - o, " %zu greylisted "
		    "attempt%s,", grey, grey == 1 ? "" : "s"), len - o);
	if (black > 0)
		o += trace_clip(snprintf(buf + o, len - o, " %zu tarpitted "
		    "attempt%s,", black, black == 1 ? "" : "s"), len - o);
	if (conn + grey + black == 0)
		o += trace_clip(snprintf(buf + o, len - o, " %zu line%s,", n,
		    n == 1 ? "" : "s"), len - o);
	o += trace_clip(snprintf(buf + o, len - o, " the last %s ago", ago),
	    len - o);
	return o;
}

static int
sl_trace_blind(void *arg, char *buf, size_t len)
{
	struct slstate	*s = arg;
	char		 span[32];
	int		 r;

	if ((r = logrows_blind(&s->lr, buf, len)) != 0)
		return r;
	fmt_duration(s->lr.history, span, sizeof(span));
	snprintf(buf, len, "the last %s of %s only", span, s->lr.path);
	return 1;
}

static const struct trace_desc sl_trace = {
	.kind_cell = SL_KIND,
	.when = SL_TIME,
	.ip = SL_IP,
	.sender = SL_FROM,
	.rcpts = SL_TO,
	.host = -1,
	.header_from = SL_HEADER,
	.detail = sl_trace_detail,
	.summary = sl_trace_summary,
	.blind = sl_trace_blind,
};

#define B	COL_BATCH
static const struct column sl_columns[] = {
	{ "time",	COL_TIME, SL_TIME,   12, B, NULL },
	{ "kind",	COL_STR,  SL_KIND,   12, B, NULL },
	{ "ip",		COL_STR,  SL_IP,     15, B, NULL },
	{ "from",	COL_STR,  SL_FROM,    0, B, NULL },
	{ "to",		COL_STR,  SL_TO,      0, B, NULL },
	{ "detail",	COL_STR,  SL_DETAIL,  0, B, NULL },
};
#undef B

const struct provider provider_spamdlog = {
	.name = "spamdlog",
	.src = {
		.create = sl_create,
		.destroy = sl_destroy,
		.poll_begin = sl_poll_begin,
		.poll_finish = sl_poll_finish,
		.progress = sl_progress,
		.poll_error = sl_poll_error,
		.poll_step = sl_poll_step,
	},
	.desc = {
		.title = "spamd log",
		.noun = "line",
		.columns = sl_columns,
		.ncolumns = nitems(sl_columns),
		.summary = sl_summary,
		.trace = &sl_trace,
	},
};
