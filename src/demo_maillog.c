/*
 * --demo's mail log.  A discrete-event simulation of a smarthost: OpenSMTPD
 * accepts mail, relays it to amavisd-new on 127.0.0.1:10024, amavis logs a
 * verdict and re-injects what passed on :10025, and smtpd delivers it to the
 * inside host or to the Internet.  Every line is a byte-exact copy of what
 * smtpd 6.8/7.x and amavisd-new 2.13 log (research/amavis.md, the fixtures
 * in fixtures/amavis), framed the way OpenBSD's syslogd or rsyslog writes it.
 *
 * amavis runs with upstream's defaults plus the per-recipient lines
 * ($log_recip_templ) and a flat quarantine; each verdict is written with the
 * short or, for some messages, the verbose template, so one file shows both.
 * Lines are written in time order, whole lines per write(2).  Who sends
 * what is demo_traffic.c's, how amavis words its lines demo_amavis.c's.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "demo_maillog.h"
#include "demo_maillog_int.h"
#include "util.h"

#define HOST		"mx"			/* syslogd's name for us */
#define INSIDE		"10.20.0.25"
#define INSIDE_HOST	"mailstore.example.org"
#define MAX_REQUESTS	20
#define IDLE_MS		20000
#define LIVE_MEAN	1200			/* ms between two arrivals */
#define HIST_MSGS	450			/* a history's messages, bursts aside */

static const char *const in_tempfail[] = {
	"421 4.4.2 " INSIDE_HOST " Error: timeout exceeded",
	"451 4.3.0 Error: queue file write error",
	"452 4.3.1 Insufficient system storage",
};
static const char *const out_tempfail[] = {
	"451 4.7.1 Greylisted, please try again later",
	"421 4.7.0 Try again later, closing connection.",
};
static const char *const months[] = {
	"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct",
	"Nov", "Dec",
};

unsigned
demo_rnd(struct demo_log *d, unsigned n)
{
	d->seed = d->seed * 1103515245u + 12345u;
	return n ? (d->seed >> 8) % n : 0;
}

uint32_t
demo_rnd32(struct demo_log *d)
{
	return (uint32_t)demo_rnd(d, 0x10000) << 16 | demo_rnd(d, 0x10000);
}

static int64_t
max64(int64_t a, int64_t b)
{
	return a > b ? a : b;
}

static void
sb_grow(struct sbuf *b, size_t n)
{
	size_t	 cap = b->cap ? b->cap : 256;

	if (b->len + n + 1 <= b->cap)
		return;
	while (cap < b->len + n + 1)
		cap *= 2;
	b->p = xreallocarray(b->p, cap, 1);
	b->cap = cap;
}

void
sb_add(struct sbuf *b, const char *s, size_t n)
{
	sb_grow(b, n);
	memcpy(b->p + b->len, s, n);
	b->len += n;
	b->p[b->len] = '\0';
}

void
sb_vprintf(struct sbuf *b, const char *fmt, va_list ap)
{
	va_list	 ap2;
	int	 n;

	sb_grow(b, 128);
	va_copy(ap2, ap);
	n = vsnprintf(b->p + b->len, b->cap - b->len, fmt, ap2);
	va_end(ap2);
	if (n < 0)
		fatalx("demo_maillog: vsnprintf");
	if ((size_t)n >= b->cap - b->len) {
		sb_grow(b, (size_t)n);
		(void)vsnprintf(b->p + b->len, b->cap - b->len, fmt, ap);
	}
	b->len += (size_t)n;
}

void
sb_printf(struct sbuf *b, const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	sb_vprintf(b, fmt, ap);
	va_end(ap);
}

static int
hless(const struct hent *a, const struct hent *b)
{
	return a->ms != b->ms ? a->ms < b->ms : a->seq < b->seq;
}

static void
heap_push(struct heap *h, struct hent e)
{
	size_t	 i, p;

	if (h->n == h->cap) {
		h->cap = h->cap ? h->cap * 2 : 256;
		h->v = xreallocarray(h->v, h->cap, sizeof(*h->v));
	}
	for (i = h->n++; i > 0 && hless(&e, &h->v[p = (i - 1) / 2]); i = p)
		h->v[i] = h->v[p];
	h->v[i] = e;
}

/* The earliest entry if it is before the time given. */
static int
heap_pop(struct heap *h, int64_t before, struct hent *e)
{
	struct hent	 last;
	size_t		 i = 0, c;

	if (h->n == 0 || h->v[0].ms >= before)
		return 0;
	*e = h->v[0];
	last = h->v[--h->n];
	while ((c = 2 * i + 1) < h->n) {
		if (c + 1 < h->n && hless(&h->v[c + 1], &h->v[c]))
			c++;
		if (!hless(&h->v[c], &last))
			break;
		h->v[i] = h->v[c];
		i = c;
	}
	if (h->n > 0)
		h->v[i] = last;
	return 1;
}

/* generate_uid(): the high half counts up, the low half is random. */
uint64_t
demo_uid(struct demo_log *d)
{
	d->uidhi += 1 + demo_rnd(d, 3);
	return (uint64_t)d->uidhi << 32 | demo_rnd32(d);
}

uint32_t
demo_msgid(struct demo_log *d)
{
	uint32_t	 m;

	while ((m = demo_rnd32(d)) == 0)
		continue;
	return m;
}

uint64_t
demo_evpid(struct demo_log *d, uint32_t msgid)
{
	return (uint64_t)msgid << 32 | (demo_rnd32(d) | 1);
}

void
demo_b64id(struct demo_log *d, char *buf, size_t n, int alnum_ends)
{
	static const char b64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnop"
	    "qrstuvwxyz0123456789-_";
	size_t	 i;

	for (i = 0; i < n; i++)
		buf[i] = b64[demo_rnd(d, alnum_ends && (i == 0 || i == n - 1) ?
		    62 : 64)];
	buf[n] = '\0';
}

/* smtpd's duration_to_text(time(NULL) - creation). */
const char *
demo_dur(char *buf, size_t len, int64_t now, int64_t then)
{
	int64_t	 t = now / 1000 - then / 1000;
	int	 n = 0;

	buf[0] = '\0';
	if (t <= 0)
		return "0s";
	if (t >= 86400)
		n += snprintf(buf + n, len - n, "%lldd", (long long)(t / 86400));
	if (t / 3600 % 24)
		n += snprintf(buf + n, len - n, "%dh", (int)(t / 3600 % 24));
	if (t / 60 % 60)
		n += snprintf(buf + n, len - n, "%dm", (int)(t / 60 % 60));
	if (t % 60)
		(void)snprintf(buf + n, len - n, "%ds", (int)(t % 60));
	return buf;
}

void
demo_put(struct demo_log *d, int64_t ms, char *text)
{
	struct hent	 e;

	e.ms = max64(ms, d->now);
	e.seq = d->seq++;
	e.what = 0;
	e.gen = 0;
	e.p = text;
	heap_push(&d->lines, e);
}

void
demo_smtpd(struct demo_log *d, int64_t ms, const char *fmt, ...)
{
	struct sbuf	 b = { NULL, 0, 0 };
	va_list		 ap;

	sb_printf(&b, "smtpd[%u]: ", d->smtpd_pid);
	va_start(ap, fmt);
	sb_vprintf(&b, fmt, ap);
	va_end(ap);
	demo_put(d, ms, b.p);
}

void
demo_sched(struct demo_log *d, int64_t ms, int what, struct msg *m)
{
	struct hent	 e;

	e.ms = max64(ms, d->now);
	e.seq = d->seq++;
	e.what = what;
	e.gen = m != NULL ? m->gen : 0;
	e.p = m;
	if (m != NULL)
		m->refs++;
	heap_push(&d->evs, e);
}

void
demo_msg_unref(struct msg *m)
{
	if (m != NULL && --m->refs == 0)
		free(m);
}

static void
arrive(struct demo_log *d, struct msg *m)
{
	int64_t		 t = d->now, tm;
	uint64_t	 s;
	size_t		 i;

	if (d->smtp_paused && m->kind != K_BOUNCE)
		return;			/* smtpctl pause smtp: not accepted */
	s = demo_uid(d);
	if (m->kind == K_BOUNCE)
		demo_smtpd(d, t, X64 " smtp connected address=local host=" MYHOST, s);
	else
		demo_smtpd(d, t, X64 " smtp connected address=%s host=%s", s, m->ip,
		    m->host);
	if (m->tls && m->kind != K_BOUNCE)
		demo_smtpd(d, t + 40 + demo_rnd(d, 80), X64 " smtp tls "
		    "ciphers=TLSv1.3:TLS_AES_256_GCM_SHA384:256", s);
	if (m->kind == K_IN && demo_rnd(d, 150) == 0)
		demo_smtpd(d, t + 150, X64 " smtp failed-command command=\"RCPT "
		    "TO:<\"weird,name\"@example.org>\" result=\"501 5.1.3 "
		    "Recipient address syntax error\"", s);
	tm = t + 250 + demo_rnd(d, 1500) + (int64_t)(m->size / 800);
	m->msgid = demo_msgid(d);
	m->ctime = tm;
	demo_smtpd(d, tm, X64 " smtp message msgid=%08x size=%zu nrcpt=%zu "
	    "proto=ESMTP", s, m->msgid, m->size, m->nrcpt);
	for (i = 0; i < m->nrcpt; i++) {
		m->evp[i] = demo_evpid(d, m->msgid);
		demo_smtpd(d, tm, X64 " smtp envelope evpid=" X64 " from=<%s> "
		    "to=<%s>", s, m->evp[i], m->sender, m->rcpt[i]);
	}
	demo_smtpd(d, tm + 5 + demo_rnd(d, 80), X64 " smtp disconnected reason=quit",
	    s);
	m->fsince = m->funtil = INT64_MAX;
	queue_enter(d, m);
	demo_sched(d, tm + 40 + demo_rnd(d, 1200), EV_FILTER, m);
}

static void
close_session(struct demo_log *d, struct child *c, int reinj_too)
{
	int64_t	 t = max64(c->busy, d->now) + 200 + demo_rnd(d, 800);

	if (c->m > 0)
		demo_smtpd(d, t, X64 " mta disconnected reason=quit messages=%u",
		    c->sess, c->m);
	c->m = 0;
	if (reinj_too && c->reinj != 0) {
		demo_smtpd(d, t + 5, X64 " smtp disconnected reason=quit", c->reinj);
		c->reinj = 0;
	}
	c->busy = t + 5;
}

/* smtpd reuses a free session to amavis, or opens one. */
static struct child *
pick_child(struct demo_log *d, int64_t *start)
{
	struct child	*c, *best = NULL;
	size_t		 i;

	for (i = 0; i < NCHILD; i++) {
		c = &d->child[i];
		if (c->m > 0 && d->now - c->busy > IDLE_MS)
			close_session(d, c, 1);
	}
	for (i = 0; i < NCHILD && best == NULL; i++)
		if (d->child[i].m > 0 && d->child[i].busy <= d->now)
			best = &d->child[i];
	for (i = 0; i < NCHILD && best == NULL; i++)
		if (d->child[i].busy <= d->now)
			best = &d->child[i];
	if (best == NULL)			/* all busy: the first free */
		for (i = 0; i < NCHILD; i++)
			if (best == NULL || d->child[i].busy < best->busy)
				best = &d->child[i];
	c = best;
	*start = max64(d->now, c->busy);
	if (c->m == 0) {
		if (c->nn >= MAX_REQUESTS) {
			/* the child exits after $max_requests; a new one */
			if (c->reinj != 0)
				demo_smtpd(d, *start, X64 " smtp disconnected "
				    "reason=quit", c->reinj);
			c->reinj = 0;
			c->pid = 1000 + demo_rnd(d, 98000);
			c->nn = 0;
		}
		c->nn++;
		c->mmax = 4 + demo_rnd(d, 30);
		c->sess = demo_uid(d);
		demo_smtpd(d, *start, X64 " mta connecting address=smtp://"
		    "127.0.0.1:10024 host=localhost", c->sess);
		demo_smtpd(d, *start + 2, X64 " mta connected", c->sess);
		*start += 4 + demo_rnd(d, 6);
	}
	c->m++;
	return c;
}

/* amavis' SMTP client re-injects on :10025, smtpd logs the new message. */
static uint32_t
reinject(struct demo_log *d, struct child *c, int64_t t, const char *from,
    char rcpt[][ADDR], uint64_t *evp, const int *take, size_t n, size_t size)
{
	uint32_t	 id = demo_msgid(d);
	size_t		 i, k = 0;

	if (c->reinj == 0) {
		c->reinj = demo_uid(d);
		demo_smtpd(d, t - 6, X64 " smtp connected address=127.0.0.1 "
		    "host=localhost", c->reinj);
	}
	for (i = 0; i < n; i++)
		k += take == NULL || take[i];
	demo_smtpd(d, t, X64 " smtp message msgid=%08x size=%zu nrcpt=%zu "
	    "proto=ESMTP", c->reinj, id, size, k);
	for (i = 0; i < n; i++) {
		if (take != NULL && !take[i])
			continue;
		evp[i] = demo_evpid(d, id);
		demo_smtpd(d, t, X64 " smtp envelope evpid=" X64 " from=<%s> "
		    "to=<%s>", c->reinj, evp[i], from, rcpt[i]);
	}
	return id;
}

static void
filter(struct demo_log *d, struct msg *m)
{
	struct child	*c;
	struct msg	*x;
	struct sbuf	 fwd = { NULL, 0, 0 };
	int		 pass[RCPT_MAX], npass = 0, nblock = 0, elapsed;
	int64_t		 start, end, ts;
	char		 logid[32], stat[256], t[128];
	const char	*acts, *result = "Ok";
	size_t		 i;

	c = pick_child(d, &start);
	if (c->m == 1)
		snprintf(logid, sizeof(logid), "%05u-%02u", c->pid, c->nn);
	else
		snprintf(logid, sizeof(logid), "%05u-%02u-%u", c->pid, c->nn,
		    c->m);
	for (i = 0; i < m->nrcpt; i++) {
		switch (m->intent) {
		case C_SPAM: case C_BANNED: case C_VIRUS: case C_BADH:
			pass[i] = 0;
			break;
		case C_MIXED:
			pass[i] = m->lover[i];
			break;
		default:
			pass[i] = 1;
			break;
		}
		npass += pass[i];
		nblock += !pass[i];
	}
	elapsed = m->sa ? 120 + (int)demo_rnd(d, 2200) :
	    20 + (int)demo_rnd(d, 70);
	if (m->flags & F_BURST)
		elapsed /= 3;
	end = start + elapsed;
	if (m->noise)
		demo_noise(d, m, c, logid, start, end, 0);
	if (npass > 0) {
		m->size2 = m->asize + 350 + demo_rnd(d, 300) +
		    (m->intent != C_CLEAN ? 400 : 0);
		m->msgid2 = reinject(d, c, end - 12, m->sender, m->rcpt,
		    m->evp2, pass, m->nrcpt, m->size2);
		m->ctime2 = end - 12;
		for (i = 0; i < m->nrcpt; i++)
			m->qst[i] = pass[i] ? QS_QUEUED : QS_NONE;
		if (m->noise) {
			demo_rcpt_list(&fwd, m);
			demo_amavis(d, c->pid, logid, end - 1,
			    "%s FWD from <%s> -> "
			    "%s, BODY=7BIT " FROM_MTA " %08x " ACCEPTED,
			    m->mailid,
			    demo_amavis_addr(t, sizeof(t), m->sender),
			    fwd.p, m->msgid2);
			free(fwd.p);
		}
	}
	if (m->intent == C_BANNED && m->sender[0] != '\0') {
		/* D_BOUNCE: amavis' own DSN to the sender */
		x = xcalloc(1, sizeof(*x));
		x->kind = K_DSN;
		snprintf(x->rcpt[0], sizeof(x->rcpt[0]), "%s", m->sender);
		x->nrcpt = 1;
		x->msgid2 = reinject(d, c, end - 8, "", x->rcpt, x->evp2, NULL,
		    1, 3200 + m->size % 1500);
		x->ctime2 = end - 8;
		x->qst[0] = QS_QUEUED;
		x->next = end + 400 + demo_rnd(d, 2000);
		queue_enter(d, x);
		demo_sched(d, x->next, EV_DELIVER, x);
	}

	if (m->intent == C_MIXED)
		acts = "{DiscardedInbound,RelayedTaggedInbound,Quarantined}";
	else if (m->intent == C_SPAM || m->intent == C_VIRUS)
		acts = "{DiscardedInbound,Quarantined}";
	else if (m->intent == C_BANNED)
		acts = "{BouncedInbound,Quarantined}";
	else if (m->intent == C_BADH)
		acts = "{RejectedInbound,Quarantined}";
	else if (m->intent == C_SPAMMY || m->intent == C_LOVER)
		acts = "{RelayedTaggedInbound}";
	else
		acts = m->kind == K_IN ? "{RelayedInbound}" :
		    "{RelayedOpenRelay}";
	if (npass > 0)
		demo_verdict(d, m, c, logid, end, pass, 0, acts, elapsed);
	if (nblock > 0)
		demo_verdict(d, m, c, logid, end, pass, 1, acts, elapsed);
	demo_quar_write(d, m, end, pass);
	demo_recip_lines(d, m, c, logid, end, pass);
	if (m->noise)
		demo_noise(d, m, c, logid, start, end, 1);

	if (m->intent == C_SPAM)
		snprintf(stat, sizeof(stat), "250 2.7.0 Ok, discarded, id=%s - "
		    "spam", logid);
	else if (m->intent == C_VIRUS)
		snprintf(stat, sizeof(stat), "250 2.7.0 Ok, discarded, id=%s - "
		    "INFECTED: %s", logid, m->virus);
	else if (m->intent == C_BANNED)
		snprintf(stat, sizeof(stat), "250 2.5.0 Ok, id=%s, BOUNCE",
		    logid);
	else if (m->intent == C_BADH) {
		snprintf(stat, sizeof(stat), "554 5.6.0 Reject, id=%s - "
		    "BAD HEADER", logid);
		result = "PermFail";
	} else if (nblock > 0)
		snprintf(stat, sizeof(stat), FROM_MTA " %08x " ACCEPTED
		    ", but %d DISCARD", m->msgid2, nblock);
	else
		snprintf(stat, sizeof(stat), FROM_MTA " %08x " ACCEPTED,
		    m->msgid2);
	ts = end + 3 + demo_rnd(d, 5);
	for (i = 0; i < m->nrcpt; i++)
		demo_smtpd(d, ts, X64 " mta delivery evpid=" X64 " from=<%s> "
		    "to=<%s> rcpt=<-> source=\"127.0.0.1\" relay=\"127.0.0.1 "
		    "(localhost)\" delay=%s result=\"%s\" stat=\"%s\"", c->sess,
		    m->evp[i], m->sender, m->rcpt[i], demo_dur(t, sizeof(t),
		    ts, m->ctime), result, stat);
	m->fsince = start;
	m->funtil = ts;
	c->busy = end + 5;
	if (c->m >= c->mmax)
		close_session(d, c, 0);
	if (npass > 0) {
		m->next = end + 300 + demo_rnd(d, 3000);
		demo_sched(d, m->next, EV_DELIVER, m);
	}
	if (m->intent == C_BADH && m->sender[0] != '\0')
		demo_sched(d, ts + 100 + demo_rnd(d, 400), EV_ARRIVE,
		    traffic_bounce(d, m));
}

/* An envelope the scheduler would hand to the MTA now. */
static int
due(const struct msg *m, size_t i)
{
	return m->qst[i] == QS_QUEUED && !m->infl[i] && !m->hold[i] &&
	    !m->susp[i];
}

static int
due_any(const struct msg *m)
{
	size_t	 i;

	for (i = 0; i < m->nrcpt; i++)
		if (due(m, i))
			return 1;
	return 0;
}

unsigned
demo_domain_hash(const char *dom)
{
	unsigned	 h = 0;

	for (; *dom != '\0'; dom++)
		h = h * 31 + (unsigned char)*dom;
	return h;
}

static void
deliver(struct demo_log *d, struct msg *m)
{
	char		 relay[128], src[32], stat[256], t[32], dom[64];
	const char	*at, *result;
	uint64_t	 sess;
	int64_t		 ts;
	size_t		 i, pend = 0, queued = 0, perm = RCPT_MAX;
	unsigned	 h = 0;
	int		 temp, ok = 0;

	for (i = 0; i < m->nrcpt; i++)
		queued += m->qst[i] == QS_QUEUED && !m->infl[i];
	if (queued == 0)
		return;
	if (m->dead != NULL && demo_rnd(d, 12) == 0) {
		/* the MTA has too many tasks for that relay: held back */
		for (i = 0; i < m->nrcpt; i++)
			m->hold[i] = due(m, i);
		demo_sched(d, d->now + 60000 + demo_rnd(d, 840000), EV_UNHOLD,
		    m);
	}
	if (!due_any(m) || d->mta_paused) {
		m->waiting = 1;		/* overdue until released */
		return;
	}
	m->waiting = 0;
	if (m->kind == K_IN) {
		ts = max64(d->now, d->in_busy + 3);
		if (d->in_sess != 0 && ts - d->in_busy > IDLE_MS) {
			demo_smtpd(d, d->in_busy + 2000, X64 " mta disconnected "
			    "reason=quit messages=%u", d->in_sess, d->in_n);
			d->in_sess = 0;
		}
		if (d->in_sess == 0) {
			d->in_sess = demo_uid(d);
			d->in_n = 0;
			demo_smtpd(d, ts, X64 " mta connecting address=smtp://"
			    INSIDE ":25 host=" INSIDE_HOST, d->in_sess);
			demo_smtpd(d, ts + 3, X64 " mta connected", d->in_sess);
			ts += 8;
		}
		sess = d->in_sess;
		snprintf(relay, sizeof(relay), INSIDE " (" INSIDE_HOST ")");
		snprintf(src, sizeof(src), "10.20.0.2");
		temp = m->tries == 0 && ((m->flags & F_TEMPFAIL) ||
		    demo_rnd(d, 40) == 0);
		h = demo_rnd(d, 3);
		if (!temp && m->tries == 0 && ((m->flags & F_PERMFAIL) ||
		    demo_rnd(d, 60) == 0))
			for (perm = 0; !due(m, perm); perm++)
				continue;
	} else {
		for (i = 0; !due(m, i); i++)
			continue;
		at = strrchr(m->rcpt[i], '@');
		snprintf(dom, sizeof(dom), "%s", at != NULL ? at + 1 :
		    "example.net");
		h = demo_domain_hash(dom);
		sess = demo_uid(d);
		ts = d->now;
		snprintf(relay, sizeof(relay), "203.0.113.%u (mx1.%s)",
		    DEMO_MX_OCTET(h), dom);
		snprintf(src, sizeof(src), "192.0.2.2");
		demo_smtpd(d, ts, X64 " mta connecting address=smtp://"
		    "203.0.113.%u:25 host=mx1.%s", sess, DEMO_MX_OCTET(h), dom);
		if (m->dead != NULL && m->dead[0] > '9')
			/* no answer: smtpd gives up on the MXs in a while */
			ts += 30000 + demo_rnd(d, 60000);
		else {
			ts += 60 + demo_rnd(d, 400);
			demo_smtpd(d, ts, X64 " mta connected", sess);
			ts += 200 + demo_rnd(d, 900);
		}
		temp = m->dead != NULL || (m->tries == 0 &&
		    ((m->flags & F_TEMPFAIL) || demo_rnd(d, 20) == 0));
	}
	m->since = d->now;
	m->until = ts;
	for (i = 0; i < m->nrcpt; i++) {
		if (!due(m, i))
			continue;
		pend++;
		result = "Ok";
		if (temp) {
			result = "TempFail";
			snprintf(stat, sizeof(stat), "%s", m->dead != NULL ?
			    m->dead : m->kind == K_IN ?
			    in_tempfail[h % nitems(in_tempfail)] :
			    out_tempfail[h % nitems(out_tempfail)]);
			snprintf(m->err, sizeof(m->err), "%s", stat);
		} else if (i == perm) {
			result = "PermFail";
			snprintf(stat, sizeof(stat), "550 5.1.1 <%s>: Recipient "
			    "address rejected: User unknown in local recipient "
			    "table", m->rcpt[i]);
			snprintf(m->err, sizeof(m->err), "%s", stat);
		} else if (m->kind == K_IN)
			snprintf(stat, sizeof(stat), "250 2.0.0 Ok: queued as "
			    "4%c%c%08X", "BCDFGHJKLMNP"[demo_rnd(d, 12)],
			    "bcdfghjklmnp"[demo_rnd(d, 12)], demo_rnd32(d));
		else if (h % 3 == 0)
			snprintf(stat, sizeof(stat), "250 2.0.0 OK  %lld "
			    "%08x%04x - gsmtp", (long long)ts / 1000,
			    demo_rnd32(d), demo_rnd(d, 0x10000));
		else if (h % 3 == 1)
			snprintf(stat, sizeof(stat), "250 2.6.0 <%08x@%s> "
			    "[InternalId=%u] Queued mail for delivery",
			    demo_rnd32(d), dom, demo_rnd32(d));
		else
			snprintf(stat, sizeof(stat), "250 OK id=1t%c%c%c%c-000"
			    "%c%c%c-%c%c", 'A' + demo_rnd(d, 26),
			    'a' + demo_rnd(d, 26), '0' + demo_rnd(d, 10),
			    'A' + demo_rnd(d, 26), 'A' + demo_rnd(d, 26),
			    'a' + demo_rnd(d, 26), 'A' + demo_rnd(d, 26),
			    '0' + demo_rnd(d, 10), 'a' + demo_rnd(d, 26));
		demo_smtpd(d, ts, X64 " mta delivery evpid=" X64 " from=<%s> "
		    "to=<%s> rcpt=<-> source=\"%s\" relay=\"%s\" delay=%s "
		    "result=\"%s\" stat=\"%s\"", sess, m->evp2[i], m->sender,
		    m->rcpt[i], src, relay, demo_dur(t, sizeof(t), ts,
		    m->ctime2), result, stat);
		m->infl[i] = 1;
		m->res[i] = temp ? QS_QUEUED : i == perm ? QS_BOUNCE : QS_DONE;
		ok += !temp && i != perm;
	}
	if (m->kind == K_IN) {
		d->in_busy = ts + 10 * (int64_t)pend;
		d->in_n += ok > 0;
	} else if (m->dead == NULL || m->dead[0] <= '9')
		demo_smtpd(d, ts + 30 + demo_rnd(d, 200), X64 " mta "
		    "disconnected reason=quit messages=%d", sess, ok > 0);
	demo_sched(d, ts, EV_SETTLE, m);
}

/* The next message from the outside world, and when the one after comes. */
static void
next(struct demo_log *d)
{
	struct msg	*m;
	int64_t		 wait;

	m = traffic_next(d, &wait);
	demo_sched(d, d->now, EV_ARRIVE, m);
	demo_sched(d, d->now + wait, EV_NEXT, NULL);
}

static void
frame(struct demo_log *d, int64_t ms, const char *text)
{
	struct sbuf	*o = &d->out;
	struct tm	*tm = &d->ftm;
	time_t		 sec = (time_t)(ms / 1000);
	const unsigned char *p;
	long		 off;
	char		 v[4];
	unsigned	 c;
	size_t		 k;

	if (sec != d->fsec) {
		localtime_r(&sec, tm);
		d->fsec = sec;
	}
	if (d->framing == DEMO_FRAMING_RFC3339) {
		/* rsyslog's stamp is reception time: microseconds increase */
		d->fseed = d->fseed * 1103515245u + 12345u;
		if (ms != d->last_ms)
			d->usub = (d->fseed >> 8) % 500;
		else if ((d->usub += 1 + (d->fseed >> 8) % 40) > 999)
			d->usub = 999;
		d->last_ms = ms;
		off = tm->tm_gmtoff / 60;
		sb_printf(o, "%04d-%02d-%02dT%02d:%02d:%02d.%06u%c%02ld:%02ld "
		    HOST " %s\n", 1900 + tm->tm_year, tm->tm_mon + 1,
		    tm->tm_mday, tm->tm_hour, tm->tm_min, tm->tm_sec,
		    (unsigned)(ms % 1000) * 1000 + d->usub, off < 0 ? '-' : '+',
		    labs(off) / 60, labs(off) % 60, text);
		return;
	}
	sb_printf(o, "%s %2d %02d:%02d:%02d " HOST " ", months[tm->tm_mon],
	    tm->tm_mday, tm->tm_hour, tm->tm_min, tm->tm_sec);
	/* syslogd's printline(): vis(3) with VIS_NOSLASH */
	for (p = (const unsigned char *)text; *p != '\0'; p++) {
		c = *p;
		if ((c >= 0x21 && c <= 0x7e) || c == ' ' || c == '\t') {
			sb_add(o, (const char *)p, 1);
			continue;
		}
		k = 0;
		if (c & 0x80) {
			v[k++] = 'M';
			c &= 0x7f;
		}
		if (c < 0x20 || c == 0x7f) {
			v[k++] = '^';
			v[k++] = c == 0x7f ? '?' : (char)(c + '@');
		} else {
			v[k++] = '-';
			v[k++] = (char)c;
		}
		sb_add(o, v, k);
	}
	sb_add(o, "\n", 1);
}

static void
out_write(struct demo_log *d, const char *p, size_t len)
{
	size_t	 n;
	ssize_t	 w;

	while (len > 0 && d->err == 0) {
		/* whole lines, at most 64 KiB, per write(2) */
		n = len;
		if (n > 65536)
			for (n = 65536; n > 1 && p[n - 1] != '\n'; n--)
				continue;
		if ((w = write(d->fd, p, n)) == -1) {
			if (errno != EINTR)
				d->err = errno;
			continue;
		}
		p += w;
		len -= (size_t)w;
	}
}

static void
flush(struct demo_log *d, int64_t before)
{
	struct hent	 e;
	size_t		 start, cut;

	d->out.len = 0;
	if (d->held.len > 0) {
		sb_add(&d->out, d->held.p, d->held.len);
		d->held.len = 0;
	}
	while (heap_pop(&d->lines, before, &e)) {
		frame(d, e.ms, e.p);
		free(e.p);
	}
	d->fseed = d->fseed * 1103515245u + 12345u;
	if (d->torn && d->out.len > 1 && (d->fseed >> 8) % 20 == 0) {
		for (start = d->out.len - 1; start > 0 &&
		    d->out.p[start - 1] != '\n'; start--)
			continue;
		cut = start + (d->out.len - start) / 2;
		sb_add(&d->held, d->out.p + cut, d->out.len - cut);
		d->out.len = cut;
	}
	out_write(d, d->out.p, d->out.len);
	d->done = before;
}

static void
run(struct demo_log *d, int64_t until)
{
	struct hent	 e;
	struct msg	*m;

	while (heap_pop(&d->evs, until, &e)) {
		d->now = e.ms;
		switch (e.what) {
		case EV_NEXT:
			next(d);
			break;
		case EV_ARRIVE:
			arrive(d, e.p);
			break;
		case EV_FILTER:
			filter(d, e.p);
			break;
		case EV_DELIVER:
			if (e.gen == ((struct msg *)e.p)->gen)
				deliver(d, e.p);
			break;
		case EV_UNHOLD:
			/* a try, unless one was scheduled since */
			m = e.p;
			memset(m->hold, 0, sizeof(m->hold));
			if (e.gen == m->gen)
				deliver(d, m);
			break;
		case EV_SETTLE:
			queue_settle(d, e.p);
			break;
		case EV_EXPIRE:
			queue_expire(d, e.p);
			break;
		case EV_RELEASE:
			release_tick(d);
			break;
		}
		demo_msg_unref(e.p);
	}
	d->now = max64(d->now, until);
	flush(d, until);
}

/* What the daemons log when they start: not per-message lines. */
static void
startup(struct demo_log *d, int64_t t)
{
	static const char *const ext[] = { ".7z ", ".arj", ".cab", ".lha",
	    ".rar", ".zoo" };
	unsigned	 apid = 1000 + demo_rnd(d, 98000);
	size_t		 i;

	demo_smtpd(d, t, "info: OpenSMTPD 7.6.0 starting");
	demo_amavis(d, apid, NULL, t + 900,
	    "starting. /usr/local/sbin/amavisd at "
	    MYHOST " amavis-2.13.0 (20230106), Unicode aware, LANG=\"C\"");
	demo_amavis(d, apid, NULL, t + 900,
	    "perl=5.038002, user=_vscan, EUID: 521 "
	    "(521);  group=_vscan, EGID: 521 521 (521 521)");
	for (i = 0; i < nitems(ext); i++)
		demo_amavis(d, d->child[0].pid, NULL, t + 1400,
		    "No decoder for "
		    "      %s ", ext[i]);
	demo_amavis(d, d->child[0].pid, NULL, t + 1400,
	    "Found primary av scanner "
	    "ClamAV-clamd at /var/clamav/clamd.sock");
}

struct demo_log *
demo_log_open(const char *path, enum demo_framing framing, unsigned seed)
{
	struct demo_log	*d;
	size_t		 i;
	int		 fd;

	/* the demo's file is private, and often in a shared /tmp */
	if ((fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_APPEND |
	    O_NOFOLLOW | O_CLOEXEC, 0600)) == -1)
		return NULL;
	d = xcalloc(1, sizeof(*d));
	d->fd = fd;
	d->framing = framing;
	d->seed = seed;
	d->verbose = 30;
	d->mean = LIVE_MEAN;
	d->fsec = -1;
	d->uidhi = demo_rnd32(d);
	d->smtpd_pid = 1000 + demo_rnd(d, 98000);
	for (i = 0; i < NCHILD; i++)
		d->child[i].pid = 1000 + demo_rnd(d, 98000);
	demo_b64id(d, d->burst_b, 9, 0);
	return d;
}

void
demo_log_verbose(struct demo_log *d, unsigned percent)
{
	d->verbose = percent > 100 ? 100 : percent;
}

void
demo_log_backlog(struct demo_log *d, unsigned n)
{
	d->backlog = n;
}

void
demo_log_torn(struct demo_log *d, int on)
{
	d->torn = on;
}

void
demo_log_history(struct demo_log *d, time_t now, time_t span)
{
	/* every kind of line at least once, whatever the dice say */
	static const struct { int intent; unsigned flags; } show[] = {
		{ C_CLEAN, F_SHORT }, { C_CLEAN, F_VERBOSE },
		{ C_SPAMMY, F_VERBOSE | F_WBL }, { C_SPAM, F_SHORT },
		{ C_SPAM, F_VERBOSE | F_GTUBE }, { C_LOVER, 0 },
		{ C_MIXED, F_SHORT }, { C_MIXED, F_VERBOSE },
		{ C_BANNED, F_VERBOSE }, { C_BANNED, F_SHORT },
		{ C_VIRUS, 0 }, { C_BADH, F_SHORT }, { C_UNCHECKED, 0 },
		{ C_WHITE, F_VERBOSE }, { C_CLEAN, F_VERBOSE | F_HOSTILE },
		{ C_CLEAN, F_VERBOSE | F_RAW8BIT }, { C_CLEAN, F_SHORT | F_MANY },
		{ C_CLEAN, F_VERBOSE | F_MANY }, { C_CLEAN, F_TEMPFAIL },
		{ C_CLEAN, F_PERMFAIL }, { C_CLEAN, F_IDN }, { C_CLEAN, F_NOISE },
		{ C_SPAM, F_NOISE }, { C_CLEAN, F_OUT },
	};
	int64_t		 start, len, old;
	size_t		 i;

	if (span < 60)
		span = 60;
	start = ((int64_t)now - span) * 1000;
	len = (int64_t)span * 1000;
	/* a backlog: the days before, the mail that is still queued */
	old = d->backlog > 0 && span < DEMO_QUEUE_TTL ?
	    ((int64_t)now - DEMO_QUEUE_TTL) * 1000 : start;
	d->now = old;
	d->started = 1;
	startup(d, old);
	for (i = 0; old < start && i < d->backlog; i++)
		demo_sched(d, old + 60000 + (int64_t)demo_rnd(d,
		    (unsigned)((start - old) / 1000 - 60)) * 1000,
		    EV_ARRIVE, traffic_msg(d, C_CLEAN, F_OUT | F_STUCK));
	d->mean = len / HIST_MSGS > LIVE_MEAN ? len / HIST_MSGS : LIVE_MEAN;
	demo_sched(d, start + 3000, EV_NEXT, NULL);
	release_start(d, start);
	for (i = 0; i < nitems(show); i++)
		demo_sched(d, start + 5000 + (int64_t)demo_rnd(d,
		    (unsigned)(len / 2 / 1000)) * 1000 + demo_rnd(d, 1000),
		    EV_ARRIVE,
		    traffic_msg(d, show[i].intent, show[i].flags));
	run(d, ((int64_t)now + 1) * 1000);
	d->mean = LIVE_MEAN;
}

void
demo_log_tick(struct demo_log *d, time_t now)
{
	int64_t		 until = ((int64_t)now + 1) * 1000, floor;
	size_t		 i;

	if (!d->started) {
		d->started = 1;
		d->now = d->done = (int64_t)now * 1000;
		demo_sched(d, d->now, EV_NEXT, NULL);
		release_start(d, d->now);
	}
	if (until <= d->done)
		return;
	if (until - d->done > 600000) {
		/* the clock jumped (a suspend): do not replay the gap */
		floor = until - 60000;
		for (i = 0; i < d->evs.n; i++)
			d->evs.v[i].ms = max64(d->evs.v[i].ms, floor);
	}
	run(d, until);
	queue_tick(d, until);
}

int
demo_log_close(struct demo_log *d)
{
	struct hent	 e;
	int		 err;

	if (d == NULL)
		return 0;
	queue_free(d);
	if (d->held.len > 0)
		out_write(d, d->held.p, d->held.len);
	while (heap_pop(&d->lines, INT64_MAX, &e))
		free(e.p);
	while (heap_pop(&d->evs, INT64_MAX, &e))
		demo_msg_unref(e.p);
	free(d->lines.v);
	free(d->evs.v);
	free(d->out.p);
	free(d->held.p);
	free(d->qdir);
	free(d->qfiles);
	err = d->err;
	if (close(d->fd) == -1 && err == 0)
		err = errno;
	free(d);
	if (err != 0) {
		errno = err;
		return -1;
	}
	return 0;
}
