/*
 * The queue pane's counters strip (queuestats.h): a sample of smtpd's
 * counters a minute, the rates of the last minutes between the newest and
 * the one QSTATS_SPAN minutes before, and sparklines of the last 30.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "hint.h"
#include "queuestats.h"
#include "util.h"

void
qstats_begin(struct qstats *q)
{
	smtpd_stats_init(&q->rd);
	q->asked = 0;
	q->rd_err[0] = '\0';
}

void
qstats_line(struct qstats *q, const char *line, size_t len)
{
	q->asked = 1;
	smtpd_stats_line(&q->rd, line, len);
}

void
qstats_done(struct qstats *q, int status, const char *err,
    const char *smtpctl)
{
	char	 why[200];

	q->asked = 1;
	if (status != 0) {
		explain_exit(status, err, smtpctl, "show stats", why,
		    sizeof(why));
		snprintf(q->rd_err, sizeof(q->rd_err), "smtpctl show stats: %s",
		    why);
	} else if (q->rd.nlines == 0)
		snprintf(q->rd_err, sizeof(q->rd_err), "smtpctl show stats: "
		    "%s", q->rd.nbad ? "no key=value line" : "nothing");
}

/* Delivery attempts, whatever their result: smtpd at work. */
static int64_t
attempts(const struct smtpd_stats *s)
{
	return s->v[SS_OK] + s->v[SS_TEMPFAIL] + s->v[SS_PERMFAIL];
}

void
qstats_finish(struct qstats *q, time_t now)
{
	time_t	 minute = now - now % 60;

	if (!q->asked) {
		/* smtpd is not running: no counters, nothing to say */
		q->err[0] = '\0';
		q->n = 0;
		return;
	}
	memcpy(q->err, q->rd_err, sizeof(q->err));
	if (q->rd_err[0] != '\0')
		return;
	/* smtpd restarted: the old samples count something else */
	if (q->n > 0 && (q->rd.v[SS_UPTIME] < q->last.s.v[SS_UPTIME] ||
	    now < q->last.t))
		q->n = 0;
	else if (q->n > 0 && attempts(&q->rd) > attempts(&q->last.s))
		q->worked = q->last.t;
	q->last.t = now;
	q->last.s = q->rd;
	if (q->n > 0 && q->min[q->n - 1].t - q->min[q->n - 1].t % 60 ==
	    minute)
		return;
	if (q->n == QSTATS_MINUTES) {
		memmove(q->min, q->min + 1, sizeof(q->min[0]) * (q->n - 1));
		q->n--;
	}
	q->min[q->n].t = now;
	q->min[q->n].s = q->rd;
	q->n++;
}

/* The sparklines: the queue's size, and tempfails, a minute a block. */
static void
sparks(const struct qstats *q, char *size, char *temp, size_t len)
{
	const struct smtpd_stats	*next;
	size_t				 v[QSTATS_MINUTES], w[QSTATS_MINUTES];
	size_t				 i, n = 0;
	int64_t				 d;

	for (i = q->n > 30 ? q->n - 30 : 0; i < q->n; i++, n++) {
		v[n] = q->min[i].s.v[SS_ENVELOPE] > 0 ?
		    (size_t)q->min[i].s.v[SS_ENVELOPE] : 0;
		next = i + 1 < q->n ? &q->min[i + 1].s : &q->last.s;
		d = next->v[SS_TEMPFAIL] - q->min[i].s.v[SS_TEMPFAIL];
		w[n] = d > 0 ? (size_t)d : 0;
	}
	sparkline(v, n, size, len);
	sparkline(w, n, temp, len);
}

void
qstats_line_text(const struct qstats *q, char *buf, size_t len)
{
	const struct smtpd_stats	*b = &q->last.s;
	struct smtpd_rates		 r;
	char				 span[32], size[256], temp[256];
	size_t				 i;
	time_t				 secs;

	buf[0] = '\0';
	if (q->err[0] != '\0') {
		snprintf(buf, len, "!counters: %s", q->err);
		return;
	}
	if (q->n == 0)
		return;
	/* the first read QSTATS_SPAN minutes before the newest, or the
	 * oldest kept */
	for (i = q->n - 1; i > 0 && q->last.t - q->min[i].t < QSTATS_SPAN * 60;
	    i--)
		;
	secs = q->last.t - q->min[i].t;
	if (secs < QSTATS_MIN_SPAN || smtpd_stats_rates(&q->min[i].s, b,
	    (double)secs, &r) == -1) {
		fmt_duration(b->v[SS_UPTIME], span, sizeof(span));
		snprintf(buf, len, "counters since smtpd started %s ago: "
		    "delivered %lld, tempfail %lld, permfail %lld, bounces %lld; "
		    "rates after %d s", span, (long long)b->v[SS_OK],
		    (long long)b->v[SS_TEMPFAIL], (long long)(b->v[SS_PERMFAIL] +
		    b->v[SS_LOOP]), (long long)b->v[SS_BOUNCE], QSTATS_MIN_SPAN);
		return;
	}
	fmt_duration(secs, span, sizeof(span));
	sparks(q, size, temp, sizeof(size));
	snprintf(buf, len, "last %s, per min: %.1f queued  %.1f delivered  "
	    "%.1f tempfail  %.1f permfail  %.1f bounces   queue %s  "
	    "tempfails %s", span, r.queued, r.ok, r.tempfail, r.permfail,
	    r.bounce, size, temp);
}
