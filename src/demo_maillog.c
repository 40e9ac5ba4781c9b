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
 * what is demo_traffic.c's.
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
#define MAXLEN		980			/* amavis' $logline_maxlen */
#define MAX_REQUESTS	20
#define IDLE_MS		20000
#define LIVE_MEAN	1200			/* ms between two arrivals */
#define HIST_MSGS	450			/* a history's messages, bursts aside */
#define LEVELS		"tag=2, tag2=5, kill=6.31"
#define ACCEPTED	"Message accepted for delivery"
#define FROM_MTA	"250 2.0.0 from MTA(smtp:[127.0.0.1]:10025): 250 2.0.0"

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
static const char *const wdays[] = {
	"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat",
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

static void
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

static uint32_t
new_msgid(struct demo_log *d)
{
	uint32_t	 m;

	while ((m = demo_rnd32(d)) == 0)
		continue;
	return m;
}

static uint64_t
new_evpid(struct demo_log *d, uint32_t msgid)
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

/* A score as SpamAssassin prints it: "1.3", "-0.001", "1000". */
static const char *
score(char *buf, size_t len, int v)
{
	int	 n;

	n = snprintf(buf, len, "%s%d.%03d", v < 0 ? "-" : "", abs(v) / 1000,
	    abs(v) % 1000);
	while (n > 0 && buf[n - 1] == '0')
		buf[--n] = '\0';
	if (n > 0 && buf[n - 1] == '.')
		buf[--n] = '\0';
	return buf;
}

/* An address as amavis logs it: domain lower-cased, IDN decoded. */
static const char *
amavis_addr(char *buf, size_t len, const char *a)
{
	const char	*at = strrchr(a, '@');
	size_t		 i;

	snprintf(buf, len, "%s", a);
	if (at == NULL)
		return buf;
	for (i = (size_t)(at - a); buf[i] != '\0'; i++)
		if (buf[i] >= 'A' && buf[i] <= 'Z')
			buf[i] += 'a' - 'A';
	if (strstr(buf, "@xn--mller-kva.") != NULL)
		snprintf(buf + (at - a), len - (size_t)(at - a),
		    "@m\xc3\xbcller%s", strchr(at + 1, '.'));
	return buf;
}

static void
put(struct demo_log *d, int64_t ms, char *text)
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
	put(d, ms, b.p);
}

/*
 * amavis' do_log: controls and '\' escaped, 8-bit left alone, and a syslog
 * message longer than $logline_maxlen split into "…..." and "(id) ...…".
 */
static void
amavis_emit(struct demo_log *d, unsigned pid, const char *logid, int64_t ms,
    const char *body, size_t len)
{
	struct sbuf	 e = { NULL, 0, 0 }, l;
	const char	*pre = "", *p;
	char		 id[48];
	size_t		 i, idlen, avail, rest;
	unsigned char	 c;

	for (i = 0; i < len; i++) {
		c = (unsigned char)body[i];
		if (c == '\\')
			sb_add(&e, "\\\\", 2);
		else if (c == '\n')
			sb_add(&e, "\\n", 2);
		else if (c == '\r')
			sb_add(&e, "\\r", 2);
		else if (c == '\t')
			sb_add(&e, "\\t", 2);
		else if (c < 0x20 || c == 0x7f)
			sb_printf(&e, "\\x%02X", c);
		else
			sb_add(&e, body + i, 1);
	}
	id[0] = '\0';
	if (logid != NULL)
		(void)snprintf(id, sizeof(id), "(%s) ", logid);
	idlen = strlen(id);
	p = e.p != NULL ? e.p : "";
	rest = e.len;
	while (idlen + strlen(pre) + rest > MAXLEN) {
		avail = MAXLEN - idlen - strlen(pre) - 3;
		memset(&l, 0, sizeof(l));
		sb_printf(&l, "amavis[%u]: %s%s%.*s...", pid, id, pre,
		    (int)avail, p);
		put(d, ms, l.p);
		p += avail;
		rest -= avail;
		pre = "...";
	}
	memset(&l, 0, sizeof(l));
	sb_printf(&l, "amavis[%u]: %s%s%.*s", pid, id, pre, (int)rest, p);
	put(d, ms, l.p);
	free(e.p);
}

static void __attribute__((format(printf, 5, 6)))
amavis(struct demo_log *d, unsigned pid, const char *logid, int64_t ms,
    const char *fmt, ...)
{
	struct sbuf	 b = { NULL, 0, 0 };
	va_list		 ap;

	va_start(ap, fmt);
	sb_vprintf(&b, fmt, ap);
	va_end(ap);
	amavis_emit(d, pid, logid, ms, b.p, b.len);
	free(b.p);
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

static int
is_local(const char *a)
{
	size_t	 n = strlen(a);

	return n > 12 && strcmp(a + n - 12, "@example.org") == 0;
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
	m->msgid = new_msgid(d);
	m->ctime = tm;
	demo_smtpd(d, tm, X64 " smtp message msgid=%08x size=%zu nrcpt=%zu "
	    "proto=ESMTP", s, m->msgid, m->size, m->nrcpt);
	for (i = 0; i < m->nrcpt; i++) {
		m->evp[i] = new_evpid(d, m->msgid);
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
	uint32_t	 id = new_msgid(d);
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
		evp[i] = new_evpid(d, id);
		demo_smtpd(d, t, X64 " smtp envelope evpid=" X64 " from=<%s> "
		    "to=<%s>", c->reinj, evp[i], from, rcpt[i]);
	}
	return id;
}

static void
add_rcpts(struct sbuf *b, const struct msg *m, const int *pass, int want)
{
	char	 a[128];
	size_t	 i;
	int	 first = 1;

	for (i = 0; i < m->nrcpt; i++) {
		if (pass[i] != want)
			continue;
		sb_printf(b, "%s<%s>", first ? "" : ",",
		    amavis_addr(a, sizeof(a), m->rcpt[i]));
		first = 0;
	}
}

/* Subject: decoded, cut to 100 characters, " (raw: …)", dquoted. */
static void
add_subject(struct sbuf *b, const struct msg *m)
{
	struct sbuf	 s = { NULL, 0, 0 };
	const char	*p;
	size_t		 n, chars = 0;

	for (n = 0; m->subj[n] != '\0'; n++)
		if (((unsigned char)m->subj[n] & 0xc0) != 0x80 && ++chars > 100)
			break;
	sb_add(&s, m->subj, n);
	if (m->raw != NULL) {
		sb_add(&s, " (raw: ", 7);
		sb_add(&s, m->raw, strnlen(m->raw, 100));
		sb_add(&s, ")", 1);
	}
	sb_add(b, ", Subject: \"", 12);
	for (p = s.p; *p != '\0'; p++) {
		if (*p == '"')
			sb_add(b, "\"", 1);	/* dquote: " becomes "" */
		sb_add(b, p, 1);
	}
	sb_add(b, "\"", 1);
	free(s.p);
}

static void
verdict(struct demo_log *d, const struct msg *m, const struct child *c,
    const char *logid, int64_t ms, const int *pass, int blocked,
    const char *acts, int elapsed)
{
	struct sbuf	 b = { NULL, 0, 0 };
	char		 a[128], h[32];
	size_t		 i;
	int		 al = 0;

	sb_printf(&b, "%s %s %s, [127.0.0.1] ", blocked ? "Blocked" : "Passed",
	    m->ccat, acts);
	if (m->kind == K_IN)
		sb_printf(&b, "[%s] ", m->ip);
	if (m->verbose)
		sb_add(&b, "/ESMTP ", 7);
	sb_printf(&b, "<%s> -> ", amavis_addr(a, sizeof(a), m->sender));
	add_rcpts(&b, m, pass, !blocked);
	if (m->verbose && m->kind == K_IN)
		sb_printf(&b, ", (%s://%s)", m->tls ? "ESMTPS" : "ESMTP", m->ip);
	if (m->quar[0] != '\0')
		sb_printf(&b, ", quarantine: %s", m->quar);
	if (m->mid[0] != '\0')
		sb_printf(&b, ", Message-ID: %s", m->mid);
	sb_printf(&b, ", mail_id: %s", m->mailid);
	if (m->verbose)
		sb_printf(&b, ", b: %s", m->bdig);
	sb_printf(&b, ", Hits: %s, size: %zu", m->sa ? score(h, sizeof(h),
	    m->hits) : "-", m->asize);
	if (!blocked)
		sb_printf(&b, ", queued_as: 250 2.0.0 %08x " ACCEPTED,
		    m->msgid2);
	if (m->verbose) {
		add_subject(&b, m);
		sb_printf(&b, ", From: <%s>", amavis_addr(a, sizeof(a),
		    m->hfrom));
		if (m->dkim != NULL)
			sb_add(&b, " (dkim:AUTHOR)", 14);
		if (m->ua != NULL)
			sb_printf(&b, ", %s", m->ua);
		sb_add(&b, ", helo=", 7);
		if (m->ntest > 0) {
			sb_add(&b, ", Tests: [", 10);
			for (i = 0; i < m->ntest; i++) {
				sb_printf(&b, "%s%s=%s", i ? "," : "",
				    m->test[i].name, score(h, sizeof(h),
				    m->test[i].score));
				if (strcmp(m->test[i].name, "AM.WBL") != 0 &&
				    strcmp(m->test[i].name, "GTUBE") != 0 &&
				    strncmp(m->test[i].name, "BAYES_", 6) != 0)
					al += m->test[i].score;
			}
			sb_printf(&b, "], autolearn=%s autolearn_force=no, "
			    "autolearnscore=%s", m->hits < 100 && al < 100 ?
			    "ham" : al >= 12000 ? "spam" : "no",
			    score(h, sizeof(h), al));
		}
		if (m->bmime != NULL)
			sb_printf(&b, ", b.key=(?^i:.\\.(exe|vbs|pif|scr|bat|"
			    "cmd|com|cpl)$), b.com=(?^i:.\\.(exe|vbs|pif|scr|"
			    "bat|cmd|com|cpl)$), b.rhs=1, b.parts=P=p003,L=1,"
			    "M=multipart/mixed | P=p002,L=1/2,M=%s,N=%s",
			    m->bmime, m->bname);
	}
	if (m->dkim != NULL)
		sb_printf(&b, ", dkim_sd=%s", m->dkim);
	sb_printf(&b, ", %d ms", elapsed);
	amavis_emit(d, c->pid, logid, ms, b.p, b.len);
	free(b.p);
}

/* $log_recip_templ: one line per recipient, not a verdict. */
static void
recip_lines(struct demo_log *d, const struct msg *m, const struct child *c,
    const char *logid, int64_t ms, const int *pass)
{
	char		 a[128], r[128], h[32], fl[8];
	const char	*major = m->ccat;	/* without the minor */
	size_t		 i;
	int		 loc;

	if (strncmp(major, "BAD-HEADER", 10) == 0)
		major = "BAD-HEADER";
	else if (strncmp(major, "UNCHECKED", 9) == 0)
		major = "UNCHECKED";
	amavis_addr(a, sizeof(a), m->sender);
	if (m->sa)
		score(h, sizeof(h), m->hits);
	else
		snprintf(h, sizeof(h), "-");
	for (i = 0; i < m->nrcpt; i++) {
		loc = is_local(m->rcpt[i]);
		snprintf(fl, sizeof(fl), "%c/%c/%c/%c", loc ? 'L' : '0',
		    loc && m->sa && m->hits >= TAG ? 'Y' : '0',
		    loc && m->sa && m->hits >= TAG2 ? 'Y' : '0',
		    loc && m->sa && m->hits >= KILL ? 'Y' : '0');
		if (pass[i])
			amavis(d, c->pid, logid, ms, "Passed %s, <%s> -> <%s>, "
			    "Hits: %s, " LEVELS ", fwd: 250 2.0.0 %08x "
			    ACCEPTED ", %s", major, a, amavis_addr(r, sizeof(r),
			    m->rcpt[i]), h, m->msgid2, fl);
		else
			amavis(d, c->pid, logid, ms, "Blocked %s, <%s> -> , "
			    "Hits: %s, " LEVELS ", %s", major, a, h, fl);
	}
}

static void
rcpt_list(struct sbuf *b, const struct msg *m)
{
	char	 a[128];
	size_t	 i;

	for (i = 0; i < m->nrcpt; i++)
		sb_printf(b, "%s<%s>", i ? "," : "", amavis_addr(a, sizeof(a),
		    m->rcpt[i]));
}

static void
rfc2822_date(char *buf, size_t len, int64_t ms)
{
	time_t		 t = (time_t)(ms / 1000);
	struct tm	 tm;
	long		 off;

	localtime_r(&t, &tm);
	off = tm.tm_gmtoff / 60;
	snprintf(buf, len, "%s, %d %s %d %02d:%02d:%02d %c%02ld%02ld (%s)",
	    wdays[tm.tm_wday], tm.tm_mday, months[tm.tm_mon], 1900 + tm.tm_year,
	    tm.tm_hour, tm.tm_min, tm.tm_sec, off < 0 ? '-' : '+', labs(off) / 60,
	    labs(off) % 60, tm.tm_zone != NULL ? tm.tm_zone : "UTC");
}

/* $log_level 2: what a parser must skip. */
static void
noise(struct demo_log *d, const struct msg *m, const struct child *c,
    const char *logid, int64_t start, int64_t end, int after)
{
	struct sbuf	 r = { NULL, 0, 0 };
	char		 a[128], date[64], tmp[16], sha[41];
	time_t		 t = (time_t)(start / 1000);
	struct tm	 tm;
	size_t		 i;
	unsigned	 tot = (unsigned)(end - start);

	amavis_addr(a, sizeof(a), m->sender);
	rcpt_list(&r, m);
	if (after) {
		amavis(d, c->pid, logid, end + 1, "TIMING-SA total %u ms - "
		    "parse: 1.03 (1.8%%), extract_message_metadata: 2.8 (4.8%%), "
		    "get_uri_detail_list: 0.17 (0.3%%), tests_pri_-1000: 1.08 "
		    "(1.9%%), tests_pri_0: %u (%u%%), check_bayes: 0.42 (0.7%%), "
		    "tests_pri_500: 1.21 (2.1%%), total %u ms", tot * 2 / 3,
		    tot / 2, 50 + demo_rnd(d, 30), tot * 2 / 3);
		amavis(d, c->pid, logid, end + 1, "size: %zu, TIMING [total %u "
		    "ms] - SMTP greeting: 3.0 (3%%)3, SMTP EHLO: 0.7 (1%%)4, "
		    "SMTP pre-MAIL: 0.3 (0%%)4, mkdir tempdir: 0.6 (1%%)4, "
		    "SMTP DATA: 0.3 (0%%)7, check_init: 0.3 (0%%)7, "
		    "digest_body: 0.1 (0%%)8, spam-wb-list: 0.5 (0%%)9, "
		    "SA check: %u (70%%)79, update_cache: 0.6 (0%%)80, "
		    "main_log_entry: 1.9 (1%%)81, rundown: 0.5 (0%%)100",
		    m->asize, tot + 2, tot * 2 / 3);
		free(r.p);
		return;
	}
	localtime_r(&t, &tm);
	demo_b64id(d, tmp, 8, 0);
	rfc2822_date(date, sizeof(date), start);
	amavis(d, c->pid, logid, start + 1, "ESMTP :10024 /var/amavisd/tmp/"
	    "amavis-%04d%02d%02dT%02d%02d%02d-%05u-%s: <%s> -> %s Received: "
	    "from " MYHOST " ([127.0.0.1]) by localhost (" MYHOST
	    " [127.0.0.1]) (amavis, port 10024) with ESMTP for <%s>; %s",
	    1900 + tm.tm_year, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min,
	    tm.tm_sec, c->pid, tmp, a, r.p, m->rcpt[0], date);
	amavis(d, c->pid, logid, start + 2, "Checking: %s [127.0.0.1] <%s> -> "
	    "%s", m->mailid, a, r.p);
	for (i = 0; i < 40; i++)
		sha[i] = "0123456789abcdef"[demo_rnd(d, 16)];
	sha[40] = '\0';
	amavis(d, c->pid, logid, start + 3, "p001 1 Content-Type: text/plain, "
	    "7bit, size: %zu, SHA1 digest: %s", m->size / 3, sha);
	if (m->quar[0] != '\0')
		amavis(d, c->pid, logid, end - 2, "local delivery: <%s> -> "
		    "%s-quarantine, mbx=/var/virusmails/%s", a,
		    m->intent == C_VIRUS ? "virus" : m->intent == C_BANNED ?
		    "banned" : m->intent == C_BADH ? "bad-header" : "spam",
		    m->quar);
	free(r.p);
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
		noise(d, m, c, logid, start, end, 0);
	if (npass > 0) {
		m->size2 = m->asize + 350 + demo_rnd(d, 300) +
		    (m->intent != C_CLEAN ? 400 : 0);
		m->msgid2 = reinject(d, c, end - 12, m->sender, m->rcpt,
		    m->evp2, pass, m->nrcpt, m->size2);
		m->ctime2 = end - 12;
		for (i = 0; i < m->nrcpt; i++)
			m->qst[i] = pass[i] ? QS_QUEUED : QS_NONE;
		if (m->noise) {
			rcpt_list(&fwd, m);
			amavis(d, c->pid, logid, end - 1, "%s FWD from <%s> -> "
			    "%s, BODY=7BIT " FROM_MTA " %08x " ACCEPTED,
			    m->mailid, amavis_addr(t, sizeof(t), m->sender),
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
		verdict(d, m, c, logid, end, pass, 0, acts, elapsed);
	if (nblock > 0)
		verdict(d, m, c, logid, end, pass, 1, acts, elapsed);
	demo_quar_write(d, m, end, pass);
	recip_lines(d, m, c, logid, end, pass);
	if (m->noise)
		noise(d, m, c, logid, start, end, 1);

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
		for (at = dom; *at != '\0'; at++)
			h = h * 31 + (unsigned char)*at;
		sess = demo_uid(d);
		ts = d->now;
		snprintf(relay, sizeof(relay), "203.0.113.%u (mx1.%s)",
		    10 + h % 200, dom);
		snprintf(src, sizeof(src), "192.0.2.2");
		demo_smtpd(d, ts, X64 " mta connecting address=smtp://"
		    "203.0.113.%u:25 host=mx1.%s", sess, 10 + h % 200, dom);
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
	amavis(d, apid, NULL, t + 900, "starting. /usr/local/sbin/amavisd at "
	    MYHOST " amavis-2.13.0 (20230106), Unicode aware, LANG=\"C\"");
	amavis(d, apid, NULL, t + 900, "perl=5.038002, user=_vscan, EUID: 521 "
	    "(521);  group=_vscan, EGID: 521 521 (521 521)");
	for (i = 0; i < nitems(ext); i++)
		amavis(d, d->child[0].pid, NULL, t + 1400, "No decoder for "
		    "      %s ", ext[i]);
	amavis(d, d->child[0].pid, NULL, t + 1400, "Found primary av scanner "
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
	free(d->qnames);
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
