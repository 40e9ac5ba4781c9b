/*
 * --demo's mail log: what amavisd-new 2.13 logs of a message it checked,
 * byte for byte as research/amavis.md and the fixtures in fixtures/amavis
 * show it: the main log entry in the short or the verbose template, the
 * per-recipient lines ($log_recip_templ) and, at $log_level 2, the lines a
 * parser must skip.  demo_maillog.c decides when; this says how.
 */
#include "config.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "demo_maillog_int.h"
#include "util.h"

#define MAXLEN		980			/* amavis' $logline_maxlen */
#define LEVELS		"tag=2, tag2=5, kill=6.31"

static const char *const months[] = {
	"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct",
	"Nov", "Dec",
};
static const char *const wdays[] = {
	"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat",
};

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

/* An address with its domain lower-cased, as idn_to_ascii leaves it. */
const char *
demo_addr_lower(char *buf, size_t len, const char *a)
{
	const char	*at = strrchr(a, '@');
	size_t		 i;

	snprintf(buf, len, "%s", a);
	if (at == NULL)
		return buf;
	for (i = (size_t)(at - a); i < len && buf[i] != '\0'; i++)
		if (buf[i] >= 'A' && buf[i] <= 'Z')
			buf[i] += 'a' - 'A';
	return buf;
}

/* An address as amavis logs it: domain lower-cased, IDN decoded. */
const char *
demo_amavis_addr(char *buf, size_t len, const char *a)
{
	const char	*at = strrchr(a, '@');

	demo_addr_lower(buf, len, a);
	if (at == NULL)
		return buf;
	if (strstr(buf, "@xn--mller-kva.") != NULL)
		snprintf(buf + (at - a), len - (size_t)(at - a),
		    "@m\xc3\xbcller%s", strchr(at + 1, '.'));
	return buf;
}

static int
is_local(const char *a)
{
	size_t	 n = strlen(a);

	return n > 12 && strcmp(a + n - 12, "@example.org") == 0;
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
		demo_put(d, ms, l.p);
		p += avail;
		rest -= avail;
		pre = "...";
	}
	memset(&l, 0, sizeof(l));
	sb_printf(&l, "amavis[%u]: %s%s%.*s", pid, id, pre, (int)rest, p);
	demo_put(d, ms, l.p);
	free(e.p);
}

void
demo_amavis(struct demo_log *d, unsigned pid, const char *logid, int64_t ms,
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
		    demo_amavis_addr(a, sizeof(a), m->rcpt[i]));
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

void
demo_verdict(struct demo_log *d, const struct msg *m, const struct child *c,
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
	sb_printf(&b, "<%s> -> ", demo_amavis_addr(a, sizeof(a), m->sender));
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
		sb_printf(&b, ", From: <%s>", demo_amavis_addr(a, sizeof(a),
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
void
demo_recip_lines(struct demo_log *d, const struct msg *m, const struct child *c,
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
	demo_amavis_addr(a, sizeof(a), m->sender);
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
			demo_amavis(d, c->pid, logid, ms,
			    "Passed %s, <%s> -> <%s>, "
			    "Hits: %s, " LEVELS ", fwd: 250 2.0.0 %08x "
			    ACCEPTED ", %s", major, a,
			    demo_amavis_addr(r, sizeof(r), m->rcpt[i]), h,
			    m->msgid2, fl);
		else
			demo_amavis(d, c->pid, logid, ms,
			    "Blocked %s, <%s> -> , "
			    "Hits: %s, " LEVELS ", %s", major, a, h, fl);
	}
}

void
demo_rcpt_list(struct sbuf *b, const struct msg *m)
{
	char	 a[128];
	size_t	 i;

	for (i = 0; i < m->nrcpt; i++)
		sb_printf(b, "%s<%s>", i ? "," : "",
		    demo_amavis_addr(a, sizeof(a), m->rcpt[i]));
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
void
demo_noise(struct demo_log *d, const struct msg *m, const struct child *c,
    const char *logid, int64_t start, int64_t end, int after)
{
	struct sbuf	 r = { NULL, 0, 0 };
	char		 a[128], date[64], tmp[16], sha[41];
	time_t		 t = (time_t)(start / 1000);
	struct tm	 tm;
	size_t		 i;
	unsigned	 tot = (unsigned)(end - start);

	demo_amavis_addr(a, sizeof(a), m->sender);
	demo_rcpt_list(&r, m);
	if (after) {
		demo_amavis(d, c->pid, logid, end + 1,
		    "TIMING-SA total %u ms - "
		    "parse: 1.03 (1.8%%), extract_message_metadata: 2.8 (4.8%%), "
		    "get_uri_detail_list: 0.17 (0.3%%), tests_pri_-1000: 1.08 "
		    "(1.9%%), tests_pri_0: %u (%u%%), check_bayes: 0.42 (0.7%%), "
		    "tests_pri_500: 1.21 (2.1%%), total %u ms", tot * 2 / 3,
		    tot / 2, 50 + demo_rnd(d, 30), tot * 2 / 3);
		demo_amavis(d, c->pid, logid, end + 1,
		    "size: %zu, TIMING [total %u "
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
	demo_amavis(d, c->pid, logid, start + 1,
	    "ESMTP :10024 /var/amavisd/tmp/"
	    "amavis-%04d%02d%02dT%02d%02d%02d-%05u-%s: <%s> -> %s Received: "
	    "from " MYHOST " ([127.0.0.1]) by localhost (" MYHOST
	    " [127.0.0.1]) (amavis, port 10024) with ESMTP for <%s>; %s",
	    1900 + tm.tm_year, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min,
	    tm.tm_sec, c->pid, tmp, a, r.p, m->rcpt[0], date);
	demo_amavis(d, c->pid, logid, start + 2,
	    "Checking: %s [127.0.0.1] <%s> -> "
	    "%s", m->mailid, a, r.p);
	for (i = 0; i < 40; i++)
		sha[i] = "0123456789abcdef"[demo_rnd(d, 16)];
	sha[40] = '\0';
	demo_amavis(d, c->pid, logid, start + 3,
	    "p001 1 Content-Type: text/plain, "
	    "7bit, size: %zu, SHA1 digest: %s", m->size / 3, sha);
	if (m->quar[0] != '\0')
		demo_amavis(d, c->pid, logid, end - 2,
		    "local delivery: <%s> -> "
		    "%s-quarantine, mbx=/var/virusmails/%s", a,
		    m->intent == C_VIRUS ? "virus" : m->intent == C_BANNED ?
		    "banned" : m->intent == C_BADH ? "bad-header" : "spam",
		    m->quar);
	free(r.p);
}
