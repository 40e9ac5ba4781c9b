/*
 * --demo's mail log (demo_maillog.c): an hour of history in both framings,
 * checked byte by byte for what the log follower and the parsers rely on.
 */
#include "config.h"

#include <sys/stat.h>

#include <dirent.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "demo_maillog.h"
#include "quarantine.h"
#include "unit.h"

#define NOW	((time_t)1795525090)	/* 2026-11-24 12:58:10 UTC */
#define SPAN	((time_t)3600)
#define SEED	4242u
#define MAXLEN	980			/* amavis' $logline_maxlen */
#define BSDPFX	19			/* "Nov 24 13:58:10 mx " */
#define RFCPFX	36			/* "2026-11-24T13:58:10.123456+01:00 mx " */

struct line {
	const char	*p;		/* without its '\n' */
	size_t		 len;
	const char	*msg;		/* after "ident[pid]: " */
	size_t		 mlen;
	int		 amavis;
	unsigned	 pid;
};

struct log {
	char		*buf;
	size_t		 len;
	struct line	*l;
	size_t		 n;
	enum demo_framing framing;
};

struct verdict {
	char		 logid[40];
	int		 blocked;
	char		*text;		/* after "(LOGID) ", pieces joined */
	size_t		 first;		/* its first line */
};

static void
local_tz(void)
{
	/* CET without tzdata: the framings must show local time */
	setenv("TZ", "CET-1CEST,M3.5.0,M10.5.0/3", 1);
	tzset();
}

static char *
tmp_path(void)
{
	const char	*dir = getenv("TMPDIR");
	char		*path;
	int		 fd;

	if (dir == NULL || *dir == '\0')
		dir = "/tmp";
	path = malloc(strlen(dir) + 32);
	ck_assert_ptr_nonnull(path);
	sprintf(path, "%s/demolog.XXXXXX", dir);
	ck_assert_int_ne(fd = mkstemp(path), -1);
	close(fd);
	return path;
}

static int
digits(const char *p, size_t n)
{
	size_t	 i;

	for (i = 0; i < n; i++)
		if (p[i] < '0' || p[i] > '9')
			return 0;
	return 1;
}

/* The length of a valid timestamp-and-host prefix, 0 if it is not one. */
static size_t
prefix_len(const char *p, size_t len, enum demo_framing f)
{
	static const char	 mon[] = "JanFebMarAprMayJunJulAugSepOctNovDec";
	size_t			 i;

	if (f == DEMO_FRAMING_BSD) {
		if (len < BSDPFX)
			return 0;
		for (i = 0; i < 36; i += 3)
			if (memcmp(p, mon + i, 3) == 0)
				break;
		if (i == 36 || p[3] != ' ' || (p[4] != ' ' && !digits(p + 4, 1)) ||
		    !digits(p + 5, 1) || p[6] != ' ' || !digits(p + 7, 2) ||
		    p[9] != ':' || !digits(p + 10, 2) || p[12] != ':' ||
		    !digits(p + 13, 2) || memcmp(p + 15, " mx ", 4) != 0)
			return 0;
		return BSDPFX;
	}
	if (len < RFCPFX || !digits(p, 4) || p[4] != '-' || !digits(p + 5, 2) ||
	    p[7] != '-' || !digits(p + 8, 2) || p[10] != 'T' ||
	    !digits(p + 11, 2) || p[13] != ':' || !digits(p + 14, 2) ||
	    p[16] != ':' || !digits(p + 17, 2) || p[19] != '.' ||
	    !digits(p + 20, 6) || (p[26] != '+' && p[26] != '-') ||
	    !digits(p + 27, 2) || p[29] != ':' || !digits(p + 30, 2) ||
	    memcmp(p + 32, " mx ", 4) != 0)
		return 0;
	return RFCPFX;
}

static void
split_lines(struct log *lg)
{
	const char	*p = lg->buf, *end = lg->buf + lg->len, *nl, *q;
	struct line	*l;
	size_t		 cap = 0, pfx;
	char		*e;

	ck_assert_msg(lg->len > 0 && lg->buf[lg->len - 1] == '\n',
	    "the file does not end with a newline");
	while (p < end) {
		nl = memchr(p, '\n', (size_t)(end - p));
		ck_assert_ptr_nonnull(nl);
		if (lg->n == cap) {
			cap = cap ? cap * 2 : 4096;
			lg->l = realloc(lg->l, cap * sizeof(*lg->l));
			ck_assert_ptr_nonnull(lg->l);
		}
		l = &lg->l[lg->n++];
		memset(l, 0, sizeof(*l));
		l->p = p;
		l->len = (size_t)(nl - p);
		pfx = prefix_len(p, l->len, lg->framing);
		ck_assert_msg(pfx > 0, "line %zu: bad framing: %.60s", lg->n, p);
		q = p + pfx;
		if (strncmp(q, "amavis[", 7) == 0) {
			l->amavis = 1;
			q += 7;
		} else if (strncmp(q, "smtpd[", 6) == 0)
			q += 6;
		else
			ck_abort_msg("line %zu: bad ident: %.60s", lg->n, q);
		l->pid = (unsigned)strtoul(q, &e, 10);
		ck_assert_msg(e > q && e[0] == ']' && e[1] == ':' && e[2] == ' ',
		    "line %zu: bad pid: %.60s", lg->n, q);
		l->msg = e + 3;
		l->mlen = (size_t)(nl - l->msg);
		p = nl + 1;
	}
}

/* An empty directory for a quarantine. */
static char *
tmp_dir(void)
{
	const char	*dir = getenv("TMPDIR");
	char		*path;

	if (dir == NULL || *dir == '\0')
		dir = "/tmp";
	path = malloc(strlen(dir) + 32);
	ck_assert_ptr_nonnull(path);
	sprintf(path, "%s/demoquar.XXXXXX", dir);
	ck_assert_ptr_nonnull(mkdtemp(path));
	return path;
}

static void
rm_dir(char *path)
{
	struct dirent	*e;
	DIR		*dir;
	int		 fd;

	ck_assert_ptr_nonnull(dir = opendir(path));
	fd = dirfd(dir);
	while ((e = readdir(dir)) != NULL)
		if (e->d_name[0] != '.')
			unlinkat(fd, e->d_name, 0);
	closedir(dir);
	ck_assert_int_eq(rmdir(path), 0);
	free(path);
}

/* The log of a history and ticks; amavis quarantines to qdir (or not). */
static void
make(struct log *lg, enum demo_framing f, unsigned seed, time_t span,
    int ticks, const char *qdir)
{
	struct demo_log	*d;
	char		*path = tmp_path();
	int		 i;

	memset(lg, 0, sizeof(*lg));
	lg->framing = f;
	ck_assert_ptr_nonnull(d = demo_log_open(path, f, seed));
	demo_log_quarantine(d, qdir);
	demo_log_history(d, NOW, span);
	for (i = 1; i <= ticks; i++)
		demo_log_tick(d, NOW + i);
	ck_assert_int_eq(demo_log_close(d), 0);
	lg->buf = unit_slurp(path, &lg->len);
	unlink(path);
	free(path);
	split_lines(lg);
}

static void
free_log(struct log *lg)
{
	free(lg->buf);
	free(lg->l);
}

static int
has(const struct line *l, const char *s)
{
	return memmem(l->msg, l->mlen, s, strlen(s)) != NULL;
}

static size_t
count(const struct log *lg, const char *s)
{
	size_t	 i, n = 0;

	for (i = 0; i < lg->n; i++)
		n += has(&lg->l[i], s);
	return n;
}

/* "(LOGID) rest" of an amavis line; 0 if it has no log id. */
static int
logid_of(const struct line *l, char *id, size_t idlen, const char **rest)
{
	const char	*close;

	if (!l->amavis || l->mlen < 4 || l->msg[0] != '(')
		return 0;
	close = memchr(l->msg, ')', l->mlen);
	if (close == NULL || close[1] != ' ' ||
	    (size_t)(close - l->msg) >= idlen)
		return 0;
	memcpy(id, l->msg + 1, (size_t)(close - l->msg - 1));
	id[close - l->msg - 1] = '\0';
	*rest = close + 2;
	return 1;
}

static int
ends_with(const char *p, size_t len, const char *s)
{
	size_t	 n = strlen(s);

	return len >= n && memcmp(p + len - n, s, n) == 0;
}

/* Main log entries, with syslog's 980-byte pieces joined again. */
static struct verdict *
verdicts(const struct log *lg, size_t *nv)
{
	struct verdict	*v = NULL;
	const char	*rest, *r2, *brace, *comma;
	char		 id[40], id2[40];
	size_t		 i, j, n = 0, cap = 0, len, len2;

	for (i = 0; i < lg->n; i++) {
		if (!logid_of(&lg->l[i], id, sizeof(id), &rest))
			continue;
		len = lg->l[i].mlen - (size_t)(rest - lg->l[i].msg);
		if (strncmp(rest, "Passed ", 7) != 0 &&
		    strncmp(rest, "Blocked ", 8) != 0)
			continue;
		brace = memmem(rest, len, " {", 2);
		comma = memmem(rest, len, ", ", 2);
		if (brace == NULL || (comma != NULL && comma < brace))
			continue;		/* a $log_recip_templ line */
		if (n == cap) {
			cap = cap ? cap * 2 : 256;
			v = realloc(v, cap * sizeof(*v));
			ck_assert_ptr_nonnull(v);
		}
		snprintf(v[n].logid, sizeof(v[n].logid), "%s", id);
		v[n].blocked = rest[0] == 'B';
		v[n].first = i;
		v[n].text = strndup(rest, len);
		for (j = i; ends_with(lg->l[j].msg, lg->l[j].mlen, "..."); j++) {
			ck_assert_msg(j + 1 < lg->n && logid_of(&lg->l[j + 1],
			    id2, sizeof(id2), &r2) && strcmp(id, id2) == 0 &&
			    lg->l[j + 1].pid == lg->l[j].pid &&
			    strncmp(r2, "...", 3) == 0,
			    "line %zu: no continuation of (%s)", j + 1, id);
			len2 = lg->l[j + 1].mlen - (size_t)(r2 - lg->l[j + 1].msg);
			len = strlen(v[n].text) - 3;
			v[n].text = realloc(v[n].text, len + len2 + 1);
			memcpy(v[n].text + len, r2 + 3, len2 - 3);
			v[n].text[len + len2 - 3] = '\0';
		}
		i = j;
		n++;
	}
	*nv = n;
	return v;
}

static void
free_verdicts(struct verdict *v, size_t n)
{
	size_t	 i;

	for (i = 0; i < n; i++)
		free(v[i].text);
	free(v);
}

/* Where an anchor is, searching from a position; -1 if absent. */
static long
at(const char *text, long from, const char *anchor)
{
	const char	*p;

	if (from < 0)
		return -1;
	p = strstr(text + from, anchor);
	return p == NULL ? -1 : (long)(p - text);
}

START_TEST(test_framing_bsd)
{
	struct log	 lg;
	size_t		 i;
	unsigned char	 c;
	char		 prev[16] = "";

	local_tz();
	make(&lg, DEMO_FRAMING_BSD, SEED, SPAN, 0, NULL);
	ck_assert_uint_gt(lg.n, 2000);
	for (i = 0; i < lg.len; i++) {
		c = (unsigned char)lg.buf[i];
		if (c != '\n' && c != '\t' && (c < 0x20 || c >= 0x7f))
			break;
	}
	ck_assert_msg(i == lg.len, "byte 0x%02x at offset %zu in BSD framing",
	    c, i);
	for (i = 0; i < lg.n; i++) {
		/* one day, local time: HH:MM:SS never goes back */
		if (memcmp(lg.l[i].p + 7, prev, 8) < 0)
			break;
		memcpy(prev, lg.l[i].p + 7, 8);
	}
	ck_assert_msg(i == lg.n, "line %zu goes back in time", i + 1);
	ck_assert_msg(memcmp(lg.l[lg.n - 1].p, "Nov 24 13:58:", 13) == 0,
	    "not local time (CET): %.20s", lg.l[lg.n - 1].p);
	/* vis(3) of UTF-8, amavis' \xHH of ESC */
	ck_assert_uint_gt(count(&lg, "cafM-CM-)"), 0);
	ck_assert_uint_gt(count(&lg, "<info@mM-CM-<ller.example>"), 0);
	ck_assert_uint_gt(count(&lg, "\\x1B[2J"), 0);
	free_log(&lg);
}
END_TEST

START_TEST(test_framing_rfc3339)
{
	struct log	 lg;
	size_t		 i;
	unsigned char	 c;

	local_tz();
	make(&lg, DEMO_FRAMING_RFC3339, SEED, SPAN, 0, NULL);
	for (i = 0; i < lg.len; i++) {
		c = (unsigned char)lg.buf[i];
		if (c != '\n' && c != '\t' && (c < 0x20 || c == 0x7f))
			break;
	}
	ck_assert_msg(i == lg.len, "control byte 0x%02x at offset %zu", c, i);
	for (i = 1; i < lg.n; i++)
		if (memcmp(lg.l[i].p, lg.l[i - 1].p, 32) < 0)
			break;
	ck_assert_msg(i == lg.n, "line %zu goes back in time", i + 1);
	ck_assert_msg(memcmp(lg.l[0].p, "2026-11-24T12:58:1", 18) == 0 &&
	    memcmp(lg.l[0].p + 26, "+01:00", 6) == 0, "first stamp %.32s",
	    lg.l[0].p);
	/* raw UTF-8, as rsyslog writes it */
	ck_assert_uint_gt(count(&lg, "caf\xc3\xa9"), 0);
	ck_assert_uint_gt(count(&lg, "\\x1B[2J"), 0);
	ck_assert_ptr_null(memchr(lg.buf, 0x1b, lg.len));
	free_log(&lg);
}
END_TEST

START_TEST(test_anchors)
{
	struct log	 lg;
	struct verdict	*v;
	const char	*t;
	size_t		 nv, i, len;
	long		 q, mid, id, hits, size, qa, subj, helo, ms;
	int		 verbose = 0, terse = 0;

	local_tz();
	make(&lg, _i ? DEMO_FRAMING_BSD : DEMO_FRAMING_RFC3339, SEED, SPAN, 0,
	    NULL);
	v = verdicts(&lg, &nv);
	ck_assert_uint_gt(nv, 300);
	for (i = 0; i < nv; i++) {
		t = v[i].text;
		len = strlen(t);
		q = at(t, 0, ", quarantine: ");
		mid = at(t, 0, ", Message-ID: ");
		id = at(t, 0, ", mail_id: ");
		hits = at(t, id, ", Hits: ");
		size = at(t, hits, ", size: ");
		qa = at(t, size, ", queued_as: 250 2.0.0 ");
		ck_assert_msg(id > 0 && hits > id && size > hits,
		    "(%s) anchors out of order: %s", v[i].logid, t);
		ck_assert_msg(q < 0 || (q < id && (mid < 0 || q < mid)),
		    "(%s) quarantine: misplaced", v[i].logid);
		ck_assert_msg(mid < 0 || mid < id, "(%s) Message-ID misplaced",
		    v[i].logid);
		ck_assert_msg(v[i].blocked ? qa < 0 : qa > size,
		    "(%s) queued_as: %s", v[i].logid, t);
		if (qa > 0)
			ck_assert_msg(strncmp(t + qa + 23 + 8, " Message accepted "
			    "for delivery", 30) == 0, "(%s) queued_as is not "
			    "smtpd's reply", v[i].logid);
		/* the last field: ", N ms" */
		ck_assert_msg(len > 5 && strcmp(t + len - 3, " ms") == 0,
		    "(%s) does not end in ms: %s", v[i].logid, t);
		for (ms = (long)len - 4; ms > 0 && t[ms] >= '0' && t[ms] <= '9';
		    ms--)
			continue;
		ck_assert_msg(ms < (long)len - 4 && t[ms] == ' ' &&
		    t[ms - 1] == ',', "(%s) bad elapsed time", v[i].logid);
		if (strstr(t, "] /ESMTP <") != NULL ||
		    strstr(t, "[127.0.0.1] /ESMTP") != NULL) {
			verbose++;
			subj = at(t, size, ", Subject: \"");
			helo = at(t, subj, ", helo=");
			ck_assert_msg(at(t, id, ", b: ") > id &&
			    at(t, id, ", b: ") < hits && subj > (qa > 0 ? qa :
			    size) && helo > subj, "(%s) verbose anchors: %s",
			    v[i].logid, t);
		} else {
			terse++;
			ck_assert_msg(strstr(t, ", Subject: ") == NULL,
			    "(%s) short template with a Subject", v[i].logid);
		}
	}
	ck_assert_int_gt(verbose, 20);
	ck_assert_int_gt(terse, 100);
	free_verdicts(v, nv);
	free_log(&lg);
}
END_TEST

START_TEST(test_categories)
{
	static const char *const want[] = {
		"Passed CLEAN {", "Passed SPAMMY {", "Passed SPAM {",
		"Blocked SPAM {", "Blocked BANNED (", "Blocked INFECTED (",
		"Blocked BAD-HEADER-", "Passed UNCHECKED", "{RelayedOpenRelay}",
		"{DiscardedInbound,RelayedTaggedInbound,Quarantined}",
	};
	struct log	 lg;
	struct verdict	*v;
	size_t		 nv, i, j, k, mixed = 0;
	const char	*p;
	char		 a[8];

	local_tz();
	make(&lg, DEMO_FRAMING_RFC3339, SEED, SPAN, 0, NULL);
	v = verdicts(&lg, &nv);
	for (k = 0; k < nitems(want); k++) {
		for (i = 0; i < nv; i++)
			if (strstr(v[i].text, want[k]) != NULL)
				break;
		ck_assert_msg(i < nv, "no \"%s\" in an hour", want[k]);
	}
	/* mixed fate: a Passed and a Blocked line with one log id */
	for (i = 0; i + 1 < nv; i++)
		if (!v[i].blocked && v[i + 1].blocked &&
		    strcmp(v[i].logid, v[i + 1].logid) == 0)
			mixed++;
	ck_assert_uint_gt(mixed, 0);
	for (i = 0; i < nv; i++) {
		/* mail_id: 12 base64url, the ends alphanumeric */
		p = strstr(v[i].text, ", mail_id: ") + 11;
		for (j = 0; j < 12; j++)
			ck_assert_msg(strchr("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghij"
			    "klmnopqrstuvwxyz0123456789-_", p[j]) != NULL,
			    "(%s) mail_id", v[i].logid);
		ck_assert_msg(p[12] == ',' && p[0] != '-' && p[0] != '_' &&
		    p[11] != '-' && p[11] != '_', "(%s) mail_id", v[i].logid);
		if ((p = strstr(v[i].text, ", quarantine: ")) != NULL)
			ck_assert_msg(strncmp(p + 14, "spam-", 5) == 0 ?
			    strncmp(p + 14 + 5 + 12, ".gz, ", 5) == 0 :
			    strncmp(p + 14, "virus-", 6) == 0 ||
			    strncmp(p + 14, "banned-", 7) == 0 ||
			    strncmp(p + 14, "badh-", 5) == 0,
			    "(%s) quarantine path", v[i].logid);
		/* Hits: CLEAN < 5 (mostly < 2), SPAMMY 5-6.31, SPAM > 6.31 */
		p = strstr(v[i].text, ", Hits: ") + 8;
		if (*p == '-' && p[1] == ',')
			continue;
		snprintf(a, sizeof(a), "%s", strstr(v[i].text, " SPAMMY {") ?
		    "SPAMMY" : strstr(v[i].text, " SPAM {") ? "SPAM" :
		    strstr(v[i].text, " CLEAN {") ? "CLEAN" : "");
		if (strcmp(a, "CLEAN") == 0)
			ck_assert_double_lt(strtod(p, NULL), 5.0);
		else if (strcmp(a, "SPAMMY") == 0)
			ck_assert_msg(strtod(p, NULL) >= 5.0 &&
			    strtod(p, NULL) < 6.31, "SPAMMY %.8s", p);
		else if (strcmp(a, "SPAM") == 0)
			ck_assert_double_ge(strtod(p, NULL), 6.31);
	}
	ck_assert_uint_gt(count(&lg, "AM.WBL="), 0);
	ck_assert_uint_gt(count(&lg, "GTUBE=1000,"), 0);
	ck_assert_uint_gt(count(&lg, ", Hits: -, "), 0);
	ck_assert_uint_gt(count(&lg, "Checking: "), 0);	/* log level 2 */
	ck_assert_uint_gt(count(&lg, "result=\"TempFail\""), 0);
	ck_assert_uint_gt(count(&lg, "Recipient address rejected"), 0);
	ck_assert_uint_gt(count(&lg, "smtp connected address=local "), 0);
	free_verdicts(v, nv);
	free_log(&lg);
}
END_TEST

START_TEST(test_split)
{
	struct log	 lg;
	const char	*rest, *r2;
	char		 id[40], id2[40];
	size_t		 i, pieces = 0;

	local_tz();
	make(&lg, DEMO_FRAMING_RFC3339, SEED, SPAN, 0, NULL);
	for (i = 0; i < lg.n; i++) {
		if (!lg.l[i].amavis)
			continue;
		ck_assert_msg(lg.l[i].mlen <= MAXLEN, "line %zu: %zu bytes",
		    i + 1, lg.l[i].mlen);
		ck_assert_uint_le(lg.l[i].len, MAXLEN + RFCPFX + 16);
		if (!logid_of(&lg.l[i], id, sizeof(id), &rest) ||
		    !ends_with(lg.l[i].msg, lg.l[i].mlen, "..."))
			continue;
		/* a piece is as long as it may be; its rest follows */
		pieces++;
		ck_assert_uint_eq(lg.l[i].mlen, MAXLEN);
		ck_assert_msg(i + 1 < lg.n && logid_of(&lg.l[i + 1], id2,
		    sizeof(id2), &r2) && strcmp(id, id2) == 0 &&
		    strncmp(r2, "...", 3) == 0, "line %zu: no continuation",
		    i + 1);
	}
	ck_assert_uint_ge(pieces, 2);
	free_log(&lg);
}
END_TEST

/* Sorted keys picked out of smtpd's lines. */
struct keys {
	char		(*k)[24];
	size_t		 n, cap;
};

static void
keys_add(struct keys *ks, const char *p, size_t n)
{
	if (ks->n == ks->cap) {
		ks->cap = ks->cap ? ks->cap * 2 : 1024;
		ks->k = realloc(ks->k, ks->cap * sizeof(*ks->k));
		ck_assert_ptr_nonnull(ks->k);
	}
	snprintf(ks->k[ks->n++], sizeof(ks->k[0]), "%.*s", (int)n, p);
}

static int
keycmp(const void *a, const void *b)
{
	return strcmp(a, b);
}

static int
keys_has(const struct keys *ks, const char *k)
{
	return bsearch(k, ks->k, ks->n, sizeof(ks->k[0]), keycmp) != NULL;
}

/* The word after a marker in each smtpd line that has it. */
static void
collect(const struct log *lg, struct keys *ks, const char *marker, int stop)
{
	const char	*p, *e;
	size_t		 i, n = strlen(marker);

	memset(ks, 0, sizeof(*ks));
	for (i = 0; i < lg->n; i++) {
		if (lg->l[i].amavis || (p = memmem(lg->l[i].msg, lg->l[i].mlen,
		    marker, n)) == NULL)
			continue;
		p += n;
		for (e = p; e < lg->l[i].msg + lg->l[i].mlen && *e != stop; e++)
			continue;
		keys_add(ks, p, (size_t)(e - p));
	}
	qsort(ks->k, ks->n, sizeof(ks->k[0]), keycmp);
}

START_TEST(test_join_keys)
{
	struct log	 lg;
	struct verdict	*v;
	struct keys	 msgids, fwd, ids, reject, bounce, envs, dlv;
	char		 msgid[9], *qdir = tmp_dir();
	const char	*p;
	size_t		 nv, i;

	local_tz();
	/* with a quarantine: the admin's releases, their copies delivered */
	make(&lg, DEMO_FRAMING_BSD, SEED, SPAN, 0, qdir);
	rm_dir(qdir);
	v = verdicts(&lg, &nv);
	collect(&lg, &msgids, " smtp message msgid=", ' ');
	collect(&lg, &fwd, " stat=\"250 2.0.0 from MTA(smtp:[127.0.0.1]:10025):"
	    " 250 2.0.0 ", ' ');
	collect(&lg, &ids, "Ok, discarded, id=", ' ');
	collect(&lg, &reject, "Reject, id=", ' ');
	collect(&lg, &bounce, "Ok, id=", ',');
	collect(&lg, &envs, " smtp envelope evpid=", ' ');
	collect(&lg, &dlv, " mta delivery evpid=", ' ');
	for (i = 0; i < nv; i++) {
		if ((p = strstr(v[i].text, ", queued_as: 250 2.0.0 ")) != NULL) {
			memcpy(msgid, p + 23, 8);
			msgid[8] = '\0';
			ck_assert_uint_eq(strspn(msgid, "0123456789abcdef"), 8);
			ck_assert_msg(keys_has(&msgids, msgid),
			    "(%s) no smtp message msgid=%s", v[i].logid, msgid);
			ck_assert_msg(keys_has(&fwd, msgid), "(%s) no mta "
			    "delivery with %s", v[i].logid, msgid);
		} else if (i == 0 || strcmp(v[i - 1].logid, v[i].logid) != 0) {
			/* blocked for all: smtpd's stat names amavis' id */
			ck_assert_msg(keys_has(&ids, v[i].logid) ||
			    keys_has(&reject, v[i].logid) ||
			    keys_has(&bounce, v[i].logid),
			    "(%s) no mta delivery with its id", v[i].logid);
		}
	}
	ck_assert_uint_gt(reject.n, 0);
	/* every envelope smtpd delivered, it received */
	for (i = 0; i < dlv.n; i++)
		ck_assert_msg(keys_has(&envs, dlv.k[i]), "evpid %s never "
		    "received", dlv.k[i]);
	ck_assert_uint_gt(dlv.n, 500);
	free(msgids.k);
	free(fwd.k);
	free(ids.k);
	free(reject.k);
	free(bounce.k);
	free(envs.k);
	free(dlv.k);
	free_verdicts(v, nv);
	free_log(&lg);
}
END_TEST

/* syslogd's vis(3) with VIS_NOSLASH, written again for the comparison. */
static void
vis(char *dst, const char *s, size_t n)
{
	unsigned	 c;
	size_t		 i;

	for (i = 0; i < n; i++) {
		c = (unsigned char)s[i];
		if ((c >= 0x21 && c <= 0x7e) || c == ' ' || c == '\t') {
			*dst++ = (char)c;
			continue;
		}
		if (c & 0x80) {
			*dst++ = 'M';
			c &= 0x7f;
		}
		if (c < 0x20 || c == 0x7f) {
			*dst++ = '^';
			*dst++ = c == 0x7f ? '?' : (char)(c + '@');
		} else {
			*dst++ = '-';
			*dst++ = (char)c;
		}
	}
	*dst = '\0';
}

START_TEST(test_same_traffic)
{
	struct log	 bsd, rfc, again;
	size_t		 i;
	char		*v;

	local_tz();
	make(&bsd, DEMO_FRAMING_BSD, SEED, SPAN, 30, NULL);
	make(&rfc, DEMO_FRAMING_RFC3339, SEED, SPAN, 30, NULL);
	make(&again, DEMO_FRAMING_BSD, SEED, SPAN, 30, NULL);
	ck_assert_uint_eq(bsd.len, again.len);
	ck_assert_mem_eq(bsd.buf, again.buf, bsd.len);
	ck_assert_uint_eq(bsd.n, rfc.n);
	v = malloc(4 * rfc.len + 1);
	ck_assert_ptr_nonnull(v);
	for (i = 0; i < bsd.n; i++) {
		/* the framing changes the bytes, never what happened */
		vis(v, rfc.l[i].p + RFCPFX, rfc.l[i].len - RFCPFX);
		if (strlen(v) != bsd.l[i].len - BSDPFX ||
		    memcmp(v, bsd.l[i].p + BSDPFX, strlen(v)) != 0 ||
		    memcmp(rfc.l[i].p + 11, bsd.l[i].p + 7, 8) != 0)
			break;
	}
	ck_assert_msg(i == bsd.n, "line %zu differs:\n%.120s\n%.120s", i + 1,
	    i < rfc.n ? rfc.l[i].p : "", i < bsd.n ? bsd.l[i].p : "");
	free(v);
	free_log(&bsd);
	free_log(&rfc);
	free_log(&again);
}
END_TEST

START_TEST(test_ticks)
{
	struct demo_log	*d;
	struct stat	 st;
	struct log	 lg;
	char		*path = tmp_path(), c;
	off_t		 last = 0;
	int		 fd, i, grew = 0, torn = 0;

	local_tz();
	ck_assert_ptr_nonnull(d = demo_log_open(path, DEMO_FRAMING_BSD, SEED));
	demo_log_torn(d, _i);
	demo_log_history(d, NOW, 600);
	ck_assert_int_ne(fd = open(path, O_RDONLY), -1);
	for (i = 1; i <= 900; i++) {
		demo_log_tick(d, NOW + i);
		demo_log_tick(d, NOW + i);		/* twice: nothing more */
		ck_assert_int_eq(fstat(fd, &st), 0);
		grew += st.st_size > last;
		ck_assert_int_ge(st.st_size, last);
		last = st.st_size;
		ck_assert_int_eq(pread(fd, &c, 1, st.st_size - 1), 1);
		torn += c != '\n';
	}
	ck_assert_int_gt(grew, 300);
	if (_i)
		ck_assert_int_gt(torn, 0);
	else
		ck_assert_int_eq(torn, 0);
	ck_assert_int_eq(demo_log_close(d), 0);
	close(fd);

	memset(&lg, 0, sizeof(lg));
	lg.framing = DEMO_FRAMING_BSD;
	lg.buf = unit_slurp(path, &lg.len);
	split_lines(&lg);		/* torn lines were completed */
	ck_assert_msg(memcmp(lg.l[lg.n - 1].p, "Nov 24 14:13:", 13) == 0 ||
	    memcmp(lg.l[lg.n - 1].p, "Nov 24 14:12:", 13) == 0,
	    "last line %.20s", lg.l[lg.n - 1].p);
	free_log(&lg);
	unlink(path);
	free(path);
}
END_TEST

START_TEST(test_clock_jump)
{
	struct demo_log	*d;
	char		*path = tmp_path();
	size_t		 before, after;
	char		*buf;

	local_tz();
	ck_assert_ptr_nonnull(d = demo_log_open(path, DEMO_FRAMING_BSD, SEED));
	demo_log_history(d, NOW, 300);
	free(unit_slurp(path, &before));
	demo_log_tick(d, NOW + 7200);	/* a suspended laptop */
	demo_log_tick(d, NOW + 7100);	/* and a clock set back */
	ck_assert_int_eq(demo_log_close(d), 0);
	buf = unit_slurp(path, &after);
	/* about a minute of traffic, not two hours */
	ck_assert_uint_lt(after - before, 200000);
	free(buf);
	unlink(path);
	free(path);
}
END_TEST

START_TEST(test_no_history)
{
	struct demo_log	*d;
	struct log	 lg;
	char		*path = tmp_path();
	int		 i;

	local_tz();
	ck_assert_ptr_nonnull(d = demo_log_open(path,
	    DEMO_FRAMING_RFC3339, SEED));
	for (i = 0; i < 300; i++)
		demo_log_tick(d, NOW + i);
	ck_assert_int_eq(demo_log_close(d), 0);
	memset(&lg, 0, sizeof(lg));
	lg.framing = DEMO_FRAMING_RFC3339;
	lg.buf = unit_slurp(path, &lg.len);
	split_lines(&lg);
	ck_assert_uint_gt(lg.n, 100);
	ck_assert_msg(memcmp(lg.l[0].p, "2026-11-24T13:58:1", 18) == 0,
	    "first line %.32s", lg.l[0].p);
	free_log(&lg);
	unlink(path);
	free(path);
}
END_TEST

START_TEST(test_speed)
{
	struct demo_log	*d;
	struct timespec	 a, b;
	char		*path = tmp_path();
	double		 ms;

	local_tz();
	ck_assert_ptr_nonnull(d = demo_log_open(path, DEMO_FRAMING_BSD, SEED));
	clock_gettime(CLOCK_MONOTONIC, &a);
	demo_log_history(d, NOW, SPAN);
	clock_gettime(CLOCK_MONOTONIC, &b);
	ck_assert_int_eq(demo_log_close(d), 0);
	ms = (double)(b.tv_sec - a.tv_sec) * 1e3 +
	    (double)(b.tv_nsec - a.tv_nsec) / 1e6;
	/* the goal is 50 ms; the margin is for sanitizers and slow CI */
	ck_assert_msg(ms < 500, "an hour of history took %.1f ms", ms);
	unlink(path);
	free(path);
}
END_TEST

START_TEST(test_open_error)
{
	errno = 0;
	ck_assert_ptr_null(demo_log_open("/nonexistent/dir/maillog",
	    DEMO_FRAMING_BSD, 1));
	ck_assert_int_eq(errno, ENOENT);
	ck_assert_int_eq(demo_log_close(NULL), 0);
}
END_TEST

START_TEST(test_open_symlink)
{
	char	*path = tmp_path(), *link;

	link = malloc(strlen(path) + 6);
	ck_assert_ptr_nonnull(link);
	sprintf(link, "%s.link", path);
	ck_assert_int_eq(symlink(path, link), 0);
	errno = 0;
	ck_assert_ptr_null(demo_log_open(link, DEMO_FRAMING_BSD, 1));
	ck_assert_int_eq(errno, ELOOP);
	unlink(link);
	unlink(path);
	free(link);
	free(path);
}
END_TEST

/* --- releases: amavisd-release's request, amavis' log and the copy --- */

#define RELEASE		"Quarantined message release (miscategorized): "
#define REPLY		"250 2.0.0 from MTA(smtp:[127.0.0.1]:10025): 250 2.0.0 "
#define AMPDP		"/usr/share/perl5/Amavis/In/AMPDP.pm"

/*
 * The first file of the quarantine, in name order, of a type; mixed: one
 * that some of its recipients had, or else one that none had.
 */
static int
pick(const char *dir, const char *type, int mixed, char *name, size_t len)
{
	struct dirent	**e;
	struct quar_head h;
	int		 i, n, fd, found = 0;

	ck_assert_int_ne(fd = open(dir, O_RDONLY | O_DIRECTORY), -1);
	ck_assert_int_ge(n = scandir(dir, &e, NULL, alphasort), 0);
	for (i = 0; i < n; i++) {
		if (!found && strncmp(e[i]->d_name, type, strlen(type)) == 0) {
			quar_read_head(fd, e[i]->d_name, strstr(e[i]->d_name,
			    ".gz") != NULL, &h, NULL);
			if (mixed == (h.nblocked > 0 && h.nblocked < h.nto)) {
				snprintf(name, len, "%s", e[i]->d_name);
				found = 1;
			}
			quar_head_free(&h);
		}
		free(e[i]);
	}
	free(e);
	close(fd);
	return found;
}

/* The msgid all the lines of a reply name; 0 if they do not. */
static unsigned long
reply_msgid(const char *reply, int n)
{
	const char	*p = reply;
	unsigned long	 id = 0, x;
	char		*end;
	int		 i;

	for (i = 0; i < n; i++) {
		if (strncmp(p, REPLY, strlen(REPLY)) != 0)
			return 0;
		x = strtoul(p + strlen(REPLY), &end, 16);
		if (end != p + strlen(REPLY) + 8 || strncmp(end, " Message "
		    "accepted for delivery\n", 31) != 0 || (i > 0 && x != id))
			return 0;
		id = x;
		p = end + 31;
	}
	return *p == '\0' ? id : 0;
}

/* The last line from a position on that has s; lg->n if none. */
static size_t
last_with(const struct log *lg, size_t from, const char *s)
{
	size_t	 i, at = lg->n;

	for (i = from; i < lg->n; i++)
		if (has(&lg->l[i], s))
			at = i;
	return at;
}

/* A line of lg as a string, to print. */
static char *
line_str(const struct log *lg, size_t i)
{
	static char	 buf[2048];

	if (i >= lg->n)
		return "(none)";
	snprintf(buf, sizeof(buf), "%.*s", (int)lg->l[i].mlen, lg->l[i].msg);
	return buf;
}

struct rcpts {
	char	 s[4096];
	size_t	 len;
};

/*
 * After the release line at rel: smtpd's session from 127.0.0.1 with the
 * message msgid (0: the one amavis dropped, as it drops a release's) to n
 * recipients (0: any); each of its envelopes, and each delivered (or
 * deferred) later.  The envelopes' recipients, "<a>,<b>", to rcpts.
 */
static void
copy_logged(const struct log *lg, size_t rel, unsigned long msgid, int n,
    struct rcpts *rcpts)
{
	char		 want[128], evp[17], sess[17];
	const char	*p, *to;
	size_t		 i, j, msg;
	int		 envs = 0, dlv;

	ck_assert_uint_lt(rel, lg->n);
	if (msgid == 0) {
		i = rel;
		while (i < lg->n && !has(&lg->l[i], " smtp disconnected "
		    "reason=disconnect"))
			i++;
		ck_assert_msg(i < lg->n, "no release session after %s",
		    line_str(lg, rel));
		snprintf(want, sizeof(want), "%.16s smtp message msgid=",
		    lg->l[i].msg);
		for (msg = rel; msg < i && !has(&lg->l[msg], want); msg++)
			continue;
		ck_assert_uint_lt(msg, i);
		msgid = strtoul(strstr(line_str(lg, msg), "msgid=") + 6, NULL,
		    16);
	} else {
		snprintf(want, sizeof(want), " smtp message msgid=%08lx ",
		    msgid);
		for (msg = rel; msg < lg->n && !has(&lg->l[msg], want); msg++)
			continue;
		ck_assert_msg(msg < lg->n, "no%s after the release", want);
	}
	memcpy(sess, lg->l[msg].msg, 16);
	sess[16] = '\0';
	snprintf(want, sizeof(want), "%s smtp connected address=127.0.0.1 "
	    "host=localhost", sess);
	for (i = rel; i < msg && !has(&lg->l[i], want); i++)
		continue;
	ck_assert_msg(i < msg, "no %s between the release and the message",
	    want);
	if (n > 0) {
		snprintf(want, sizeof(want), "nrcpt=%d proto=ESMTP", n);
		ck_assert_msg(has(&lg->l[msg], want), "%s", line_str(lg, msg));
	} else
		n = atoi(strstr(line_str(lg, msg), "nrcpt=") + 6);
	rcpts->len = 0;
	rcpts->s[0] = '\0';
	for (i = msg + 1; i < lg->n; i++) {
		if (memcmp(lg->l[i].msg, sess, 16) != 0)
			continue;
		if ((p = memmem(lg->l[i].msg, lg->l[i].mlen, " smtp envelope "
		    "evpid=", 21)) == NULL)
			break;
		memcpy(evp, p + 21, 16);
		evp[16] = '\0';
		ck_assert_uint_eq(strtoul(evp, NULL, 16) >> 32, msgid);
		to = strstr(line_str(lg, i), " to=<");
		ck_assert_ptr_nonnull(to);
		rcpts->len += (size_t)snprintf(rcpts->s + rcpts->len,
		    sizeof(rcpts->s) - rcpts->len, "%s%s", envs ? "," : "",
		    to + 4);
		envs++;
		snprintf(want, sizeof(want), " mta delivery evpid=%s ", evp);
		for (j = i, dlv = 0; j < lg->n; j++)
			dlv += has(&lg->l[j], want);
		ck_assert_msg(dlv > 0, "envelope %s never tried", evp);
	}
	ck_assert_int_eq(envs, n);
	ck_assert_msg(i < lg->n && has(&lg->l[i], " smtp disconnected "
	    "reason=disconnect"), "%s", line_str(lg, i));
}

START_TEST(test_release)
{
	static const char *const alt[] = {
		"released.to@example.org", "ops@slow-mx.example",
	};
	const struct demo_env *env;
	struct demo_log	*d;
	struct log	 lg;
	struct rcpts	 rc;
	char		*path = tmp_path(), *qdir = tmp_dir(), *reply;
	char		 spam[256], banned[256], mixed[256], want[512];
	const char	*t;
	unsigned long	 id1, id2, id3;
	size_t		 i, ne, rel;
	int		 n1, n2, n3, deferred = 0;

	local_tz();
	ck_assert_ptr_nonnull(d = demo_log_open(path, DEMO_FRAMING_BSD, SEED));
	demo_log_quarantine(d, qdir);
	demo_log_history(d, NOW, SPAN);
	ck_assert(pick(qdir, "spam-", 0, spam, sizeof(spam)));
	ck_assert(pick(qdir, "banned-", 0, banned, sizeof(banned)));
	ck_assert(pick(qdir, "spam-", 1, mixed, sizeof(mixed)));

	/* to its recipients: one 250 a recipient, all one message */
	n1 = demo_log_release(d, spam, NULL, NULL, 0, NOW, &reply);
	ck_assert_int_ge(n1, 1);
	ck_assert_msg((id1 = reply_msgid(reply, n1)) != 0, "reply: %s", reply);
	free(reply);
	demo_log_tick(d, NOW + 1);
	/* to others instead: one 250 each */
	n2 = demo_log_release(d, banned, NULL, alt, 2, NOW + 1, &reply);
	ck_assert_int_eq(n2, 2);
	ck_assert_msg((id2 = reply_msgid(reply, 2)) != 0, "reply: %s", reply);
	free(reply);
	demo_log_tick(d, NOW + 2);
	/* some of them had it: the others only */
	n3 = demo_log_release(d, mixed, NULL, NULL, 0, NOW + 2, &reply);
	ck_assert_int_ge(n3, 1);
	ck_assert_msg((id3 = reply_msgid(reply, n3)) != 0, "reply: %s", reply);
	free(reply);
	ck_assert(id1 != id2 && id2 != id3 && id1 != id3);
	/* refused: a file that is not there, a secret that is wrong */
	demo_log_tick(d, NOW + 3);
	ck_assert_int_eq(demo_log_release(d, "spam-AAAAAAAAAAAA.gz", NULL,
	    NULL, 0, NOW + 3, &reply), -1);
	snprintf(want, sizeof(want), "450 4.5.0 Failure: File %s/spam-"
	    "AAAAAAAAAAAA.gz does not exist at " AMPDP " line 390, <GEN",
	    qdir);
	ck_assert_msg(strncmp(reply, want, strlen(want)) == 0 &&
	    strstr(reply, "> line 5.\n") != NULL, "reply: %s", reply);
	free(reply);
	ck_assert_int_eq(demo_log_release(d, spam, "WRONGSECRET", NULL, 0,
	    NOW + 3, &reply), -1);
	ck_assert_msg(strncmp(reply, "450 4.5.0 Failure: Secret_id WRONGSECRET "
	    "does not match mail_id ", 63) == 0, "reply: %s", reply);
	free(reply);

	/* smtpd's queue: the copy to the dead next hop is deferred there */
	for (i = 4; i <= 120; i++)
		demo_log_tick(d, NOW + (time_t)i);
	ne = demo_log_queue(d, NOW + 120, &env);
	for (i = 0; i < ne; i++)
		if (env[i].id >> 32 == id2 &&
		    strcmp(env[i].rcpt, "ops@slow-mx.example") == 0 &&
		    strcmp(env[i].error, "Network error on destination MXs") == 0)
			deferred++;
	ck_assert_int_eq(deferred, 1);
	for (i = 121; i <= 600; i++)
		demo_log_tick(d, NOW + (time_t)i);
	ck_assert_int_eq(demo_log_close(d), 0);
	memset(&lg, 0, sizeof(lg));
	lg.framing = DEMO_FRAMING_BSD;
	lg.buf = unit_slurp(path, &lg.len);
	split_lines(&lg);

	/* amavis' line, then smtpd's of the copy to the blocked ones */
	snprintf(want, sizeof(want), RELEASE "%.12s <", spam + 5);
	rel = last_with(&lg, 0, want);
	copy_logged(&lg, rel, id1, n1, &rc);
	t = strstr(line_str(&lg, rel), " -> ");
	ck_assert_msg(t != NULL && strcmp(t + 4, rc.s) == 0,
	    "released to %s: %s", rc.s, line_str(&lg, rel));
	ck_assert_msg(strncmp(line_str(&lg, rel), "(rel-", 5) == 0 &&
	    line_str(&lg, rel)[17] == ')', "%s", line_str(&lg, rel));
	/* to the alternates; amavis still names the original ones */
	snprintf(want, sizeof(want), RELEASE "%.12s <", banned + 7);
	rel = last_with(&lg, 0, want);
	copy_logged(&lg, rel, id2, 2, &rc);
	ck_assert_str_eq(rc.s, "<released.to@example.org>,"
	    "<ops@slow-mx.example>");
	ck_assert_msg(strstr(line_str(&lg, rel), "released.to") == NULL,
	    "%s", line_str(&lg, rel));
	snprintf(want, sizeof(want), " to=<ops@slow-mx.example> rcpt=<-> "
	    "source=\"192.0.2.2\"");
	ck_assert_uint_lt(last_with(&lg, rel, want), lg.n);
	ck_assert_msg(has(&lg.l[last_with(&lg, rel, want)], "result=\"TempFail\" "
	    "stat=\"Network error on destination MXs\""), "%s",
	    line_str(&lg, last_with(&lg, rel, want)));
	/* mixed: the copy to the blocked, the others excluded */
	snprintf(want, sizeof(want), RELEASE "%.12s <", mixed + 5);
	rel = last_with(&lg, 0, want);
	copy_logged(&lg, rel, id3, n3, &rc);
	t = strstr(line_str(&lg, rel), " -> ");
	ck_assert_msg(t != NULL && strncmp(t + 4, rc.s, strlen(rc.s)) == 0 &&
	    strncmp(t + 4 + strlen(rc.s), ", (excluded: <", 14) == 0 &&
	    strcmp(t + strlen(t) - 3, "> )") == 0, "released to %s: %s", rc.s,
	    line_str(&lg, rel));
	/* the failures, as the captured ones */
	snprintf(want, sizeof(want), ") (!!)policy_server FAILED: File %s/spam-"
	    "AAAAAAAAAAAA.gz does not exist at " AMPDP " line 390, <GEN",
	    qdir);
	rel = last_with(&lg, 0, want);
	ck_assert_msg(rel < lg.n && strncmp(line_str(&lg, rel), "(rel-", 5) ==
	    0, "no %s", want);
	rel = last_with(&lg, 0, "(!!)policy_server FAILED: Secret_id "
	    "WRONGSECRET does not match mail_id ");
	ck_assert_msg(rel < lg.n && line_str(&lg, rel)[0] == '(' &&
	    line_str(&lg, rel)[1] == '!', "%s", line_str(&lg, rel));
	free_log(&lg);
	unlink(path);
	free(path);
	rm_dir(qdir);
}
END_TEST

/* The admin releases a quarantined message every few minutes: not a virus. */
START_TEST(test_release_admin)
{
	static const char *const types[] = { "spam", "banned", "badh", "virus" };
	struct log	 lg;
	struct rcpts	 rc;
	struct stat	 st;
	char		*qdir = tmp_dir(), name[1024];
	const char	*t;
	size_t		 i, k, n = 0;

	local_tz();
	make(&lg, DEMO_FRAMING_RFC3339, SEED, SPAN, 0, qdir);
	for (i = 0; i < lg.n; i++) {
		if ((t = memmem(lg.l[i].msg, lg.l[i].mlen, RELEASE,
		    strlen(RELEASE))) == NULL)
			continue;
		n++;
		t += strlen(RELEASE);
		/* a file it quarantined, and not a virus */
		for (k = 0; k < nitems(types); k++) {
			snprintf(name, sizeof(name), "%s/%s-%.12s%s", qdir,
			    types[k], t, k == 0 ? ".gz" : "");
			if (stat(name, &st) == 0)
				break;
		}
		ck_assert_msg(k < 3, "released %.12s: no spam, banned or "
		    "bad header file", t);
		copy_logged(&lg, i, 0, 0, &rc);
	}
	ck_assert_uint_ge(n, 3);
	ck_assert_uint_le(n, 20);
	free_log(&lg);
	rm_dir(qdir);
}
END_TEST

static Suite *
demolog_suite(void)
{
	Suite	*s = suite_create("demolog");
	TCase	*tc;

	tc = tcase_create("framing");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_framing_bsd);
	tcase_add_test(tc, test_framing_rfc3339);
	tcase_add_test(tc, test_same_traffic);
	suite_add_tcase(s, tc);

	tc = tcase_create("amavis");
	tcase_set_timeout(tc, 60);
	tcase_add_loop_test(tc, test_anchors, 0, 2);
	tcase_add_test(tc, test_categories);
	tcase_add_test(tc, test_split);
	tcase_add_test(tc, test_join_keys);
	suite_add_tcase(s, tc);

	tc = tcase_create("release");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_release);
	tcase_add_test(tc, test_release_admin);
	suite_add_tcase(s, tc);

	tc = tcase_create("writer");
	tcase_set_timeout(tc, 60);
	tcase_add_loop_test(tc, test_ticks, 0, 2);
	tcase_add_test(tc, test_clock_jump);
	tcase_add_test(tc, test_no_history);
	tcase_add_test(tc, test_speed);
	tcase_add_test(tc, test_open_error);
	tcase_add_test(tc, test_open_symlink);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return unit_run(demolog_suite());
}
