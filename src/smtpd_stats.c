#include "config.h"

#include <string.h>

#include "smtpdstats.h"

static const char *const keys[SS_COUNT] = {
	"scheduler.envelope",
	"scheduler.envelope.inflight",
	"scheduler.delivery.ok",
	"scheduler.delivery.tempfail",
	"scheduler.delivery.permfail",
	"scheduler.delivery.loop",
	"scheduler.envelope.expired",
	"scheduler.envelope.removed",
	"queue.bounce",
	"smtp.session",
	"uptime",
};

#define COUNTER_MAX	((uint64_t)1 << 53)

/* What smtpd counts up and down: a value below 0 is a miscount, kept. */
static int
gauge(size_t i)
{
	return i == SS_ENVELOPE || i == SS_INFLIGHT || i == SS_SESSIONS;
}

void
smtpd_stats_init(struct smtpd_stats *s)
{
	memset(s, 0, sizeof(*s));
}

/* A key as smtpd's stat names are made: lower case, digits, '.', '_'. */
static int
valid_key(const char *k, size_t n)
{
	size_t	 i;

	if (n == 0)
		return 0;
	for (i = 0; i < n; i++)
		if (!((k[i] >= 'a' && k[i] <= 'z') || (k[i] >= '0' &&
		    k[i] <= '9') || k[i] == '.' || k[i] == '_'))
			return 0;
	return 1;
}

int
smtpd_stats_line(struct smtpd_stats *s, const char *line, size_t len)
{
	const char	*eq = memchr(line, '=', len), *p, *end = line + len;
	uint64_t	 v = 0;
	size_t		 klen, i;
	int		 neg = 0;

	if (eq == NULL || !valid_key(line, (size_t)(eq - line)) || eq + 1 ==
	    end) {
		s->nbad++;
		return -1;
	}
	s->nlines++;
	klen = (size_t)(eq - line);
	for (i = 0; i < SS_COUNT; i++)
		if (strlen(keys[i]) == klen && memcmp(keys[i], line, klen) == 0)
			break;
	/* uptime.human=2m17s and the counters the strip does not show */
	if (i == SS_COUNT)
		return 0;
	p = eq + 1;
	/* a count taken below 0 may be printed signed: a gauge's is kept */
	if (*p == '-') {
		neg = 1;
		p++;
	}
	if (p == end)
		goto bad;
	for (; p < end; p++) {
		if (*p < '0' || *p > '9' || v > COUNTER_MAX)
			goto bad;
		v = v * 10 + (uint64_t)(*p - '0');
	}
	/* no counter of a real smtpd comes near; the rates' sums stay exact */
	if (v > COUNTER_MAX || (neg && !gauge(i)))
		goto bad;
	s->v[i] = neg ? -(int64_t)v : (int64_t)v;
	return 0;
bad:
	s->nlines--;
	s->nbad++;
	return -1;
}

int
smtpd_stats_rates(const struct smtpd_stats *a, const struct smtpd_stats *b,
    double seconds, struct smtpd_rates *r)
{
	static const int	 cum[] = {
		SS_OK, SS_TEMPFAIL, SS_PERMFAIL, SS_LOOP, SS_EXPIRED,
		SS_REMOVED, SS_BOUNCE
	};
	double			 m;
	size_t			 i;
	int64_t			 left;

	memset(r, 0, sizeof(*r));
	if (seconds <= 0 || b->v[SS_UPTIME] < a->v[SS_UPTIME])
		return -1;
	for (i = 0; i < sizeof(cum) / sizeof(cum[0]); i++)
		if (b->v[cum[i]] < a->v[cum[i]])
			return -1;
	m = 60.0 / seconds;
	r->ok = (double)(b->v[SS_OK] - a->v[SS_OK]) * m;
	r->tempfail = (double)(b->v[SS_TEMPFAIL] - a->v[SS_TEMPFAIL]) * m;
	r->permfail = (double)(b->v[SS_PERMFAIL] - a->v[SS_PERMFAIL] +
	    b->v[SS_LOOP] - a->v[SS_LOOP]) * m;
	r->bounce = (double)(b->v[SS_BOUNCE] - a->v[SS_BOUNCE]) * m;
	left = b->v[SS_OK] - a->v[SS_OK] + b->v[SS_PERMFAIL] -
	    a->v[SS_PERMFAIL] + b->v[SS_LOOP] - a->v[SS_LOOP] +
	    b->v[SS_EXPIRED] - a->v[SS_EXPIRED] + b->v[SS_REMOVED] -
	    a->v[SS_REMOVED];
	r->queued = (double)(b->v[SS_ENVELOPE] - a->v[SS_ENVELOPE] + left) * m;
	if (r->queued < 0)
		r->queued = 0;
	return 0;
}
