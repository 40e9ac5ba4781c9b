/*
 * The verdicts pane's model (verdict_store.c): amavis verdicts from the
 * mail log as rows, joined to smtpd's lines about the same message
 * (research amavis.md 5, tests/fixtures/amavis/README.md).  On the
 * captures (fields against verdicts.tsv, joins against what the logs
 * say) and on hand-made and hostile lines.
 */
#include "config.h"

#include <sys/time.h>

#include <locale.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "conf.h"
#include "maillog.h"
#include "provider.h"
#include "verdicts.h"
#include "unit.h"
#include "wallclock.h"

#define AFIX(name)	FIXTURES "/amavis/" name

#define S(row, cell)	((row)->cells[(cell)].s)
#define I(row, cell)	((row)->cells[(cell)].i)

/* 2026-11-24T10:00:00Z: the hand-made lines' time, "+ sec" */
#define T0		1795514400

static void
set_tz(const char *tz)
{
	setenv("TZ", tz, 1);
	tzset();
}

/* One line, alone in a buffer of its size (ASan sees overreads). */
static void
feed_n(struct verdict_store *vs, const char *s, size_t len)
{
	char	*b = malloc(len ? len : 1);

	ck_assert_ptr_nonnull(b);
	memcpy(b, s, len);
	verdict_store_line(vs, b, len);
	free(b);
}

static void
feed(struct verdict_store *vs, const char *s)
{
	feed_n(vs, s, strlen(s));
}

/* A whole fixture, line by line; returns its number of lines. */
static size_t
feed_file(struct verdict_store *vs, const char *name)
{
	char		 path[512], *buf, *p, *nl;
	size_t		 len, n = 0;

	snprintf(path, sizeof(path), "%s/amavis/%s", FIXTURES, name);
	buf = unit_slurp(path, &len);
	for (p = buf; p < buf + len; p = nl + 1) {
		if ((nl = memchr(p, '\n', (size_t)(buf + len - p))) == NULL)
			nl = buf + len;
		feed_n(vs, p, (size_t)(nl - p));
		n++;
	}
	free(buf);
	return n;
}

/* A line of prog at T0 + sec, in rsyslog's RFC 3339 framing. */
static void
logf_(struct verdict_store *vs, const char *prog, int sec, const char *fmt,
    va_list ap)
{
	char		 b[16384], t[64];
	time_t		 tt = (time_t)(T0 + sec);
	struct tm	 tm;
	int		 n;

	gmtime_r(&tt, &tm);
	strftime(t, sizeof(t), "%Y-%m-%dT%H:%M:%S.000000+00:00", &tm);
	n = snprintf(b, sizeof(b), "%s mx %s: ", t, prog);
	vsnprintf(b + n, sizeof(b) - (size_t)n, fmt, ap);
	feed(vs, b);
}

static void
amavis(struct verdict_store *vs, int sec, const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	logf_(vs, "amavis[4242]", sec, fmt, ap);
	va_end(ap);
}

static void
smtpd(struct verdict_store *vs, int sec, const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	logf_(vs, "smtpd[77]", sec, fmt, ap);
	va_end(ap);
}

/* amavis passed a message, re-injected as q. */
static void
passed(struct verdict_store *vs, int sec, const char *logid,
    const char *mailid, uint32_t q)
{
	amavis(vs, sec, "(%s) Passed CLEAN {RelayedInbound}, [127.0.0.1] "
	    "[192.0.2.7] <alice@sender.example> -> <bob@example.org>, "
	    "Message-ID: <%s@sender.example>, mail_id: %s, Hits: 1.3, "
	    "size: 500, queued_as: 250 2.0.0 %08x Message accepted for "
	    "delivery, 10 ms", logid, logid, mailid, q);
}

static void
blocked(struct verdict_store *vs, int sec, const char *logid,
    const char *mailid)
{
	amavis(vs, sec, "(%s) Blocked SPAM {DiscardedInbound,Quarantined}, "
	    "[127.0.0.1] [192.0.2.8] <s@spam.example> -> <bob@example.org>, "
	    "quarantine: spam-%s.gz, Message-ID: <%s@spam.example>, "
	    "mail_id: %s, Hits: 1001.3, size: 600, 12 ms", logid, mailid,
	    logid, mailid);
}

/* smtpd received msgid from host on session sess, n recipients. */
static void
received(struct verdict_store *vs, int sec, uint64_t sess, uint32_t msgid,
    const char *host, int n)
{
	int	 i;

	smtpd(vs, sec, "%016llx smtp connected address=192.0.2.7 host=%s",
	    (unsigned long long)sess, host);
	smtpd(vs, sec, "%016llx smtp message msgid=%08x size=500 nrcpt=%d "
	    "proto=ESMTP", (unsigned long long)sess, msgid, n);
	for (i = 0; i < n; i++)
		smtpd(vs, sec, "%016llx smtp envelope evpid=%08x%08x "
		    "from=<alice@sender.example> to=<r%d@example.org>",
		    (unsigned long long)sess, msgid, i + 1, i);
	smtpd(vs, sec, "%016llx smtp disconnected reason=quit",
	    (unsigned long long)sess);
}

/* The original envelope i of msgid, handed to amavis; its stat. */
static void
to_amavis(struct verdict_store *vs, int sec, uint32_t msgid, int i,
    const char *result, const char *stat)
{
	smtpd(vs, sec, "00000000000000aa mta delivery evpid=%08x%08x "
	    "from=<alice@sender.example> to=<r%d@example.org> rcpt=<-> "
	    "source=\"127.0.0.1\" relay=\"127.0.0.1 (localhost)\" delay=0s "
	    "result=\"%s\" stat=\"%s\"", msgid, i + 1, i, result, stat);
}

static void
to_amavis_passed(struct verdict_store *vs, int sec, uint32_t msgid, int i,
    uint32_t q)
{
	char	 stat[128];

	snprintf(stat, sizeof(stat), "250 2.0.0 from MTA(smtp:[127.0.0.1]:"
	    "10025): 250 2.0.0 %08x Message accepted for delivery", q);
	to_amavis(vs, sec, msgid, i, "Ok", stat);
}

/* The re-injected copy's envelope i, relayed onwards. */
static void
onward(struct verdict_store *vs, int sec, uint32_t q, int i,
    const char *result, const char *stat)
{
	smtpd(vs, sec, "00000000000000bb mta delivery evpid=%08x%08x "
	    "from=<alice@sender.example> to=<r%d@example.org> rcpt=<-> "
	    "source=\"127.0.0.1\" relay=\"192.0.2.99 (mx.example.net)\" "
	    "delay=1s result=\"%s\" stat=\"%s\"", q, i + 1, i, result, stat);
}

/* The newest row of a log id and action ("Passed", "Blocked"). */
static const struct row *
row_of(const struct rowset *rs, const char *logid, const char *action)
{
	const struct row	*r = NULL;
	size_t			 i;

	for (i = 0; i < rs->nrows; i++)
		if (strcmp(S(rs->rows[i], V_LOGID), logid) == 0 &&
		    (action == NULL ||
		    strcmp(S(rs->rows[i], V_ACTION), action) == 0))
			r = rs->rows[i];
	ck_assert_msg(r != NULL, "no row %s %s", logid,
	    action ? action : "");
	return r;
}

static int
starts(const char *s, const char *lit)
{
	return s != NULL && strncmp(s, lit, strlen(lit)) == 0;
}

static size_t
rows_of(const struct rowset *rs, const char *logid)
{
	size_t	 i, n = 0;

	for (i = 0; i < rs->nrows; i++)
		if (strcmp(S(rs->rows[i], V_LOGID), logid) == 0)
			n++;
	return n;
}

/* Every string cell of a row is a string; reading them all (for ASan). */
static size_t
touch_row(const struct row *r)
{
	static const int	 str[] = { V_LOGID, V_ACTION, V_CATEGORY,
	    V_HITSTEXT, V_IP, V_FROM, V_TO, V_SUBJECT, V_MAILID, V_QUARANTINE,
	    V_QUEUEDAS, V_TESTS, V_WBL, V_VERDICT, V_RCPTS, V_FATE,
	    V_HELO };
	size_t			 i, n;

	ck_assert_ptr_nonnull(r->key);
	n = strlen(r->key);
	for (i = 0; i < nitems(str); i++) {
		ck_assert_ptr_nonnull(S(r, str[i]));
		n += strlen(S(r, str[i]));
	}
	ck_assert_int_ge(I(r, V_CLASS), VC_CLEAN);
	ck_assert_int_lt(I(r, V_CLASS), VC_N);
	return n;
}

static void
rows_touch(const struct rowset *rs)
{
	size_t	 i;

	for (i = 0; rs != NULL && i < rs->nrows; i++)
		touch_row(rs->rows[i]);
}

/* verdicts.tsv */

enum col {
	C_FILE, C_TIME, C_LOGID, C_DISP, C_CATEGORY, C_ACTIONS, C_BANK,
	C_LOCAL, C_CLIENT, C_ORIGIN, C_PROTO, C_SENDER, C_NRCPTS,
	C_RCPT_FIRST, C_RCPT_LAST, C_TRACE, C_QUARANTINE, C_MESSAGE_ID,
	C_MAIL_ID, C_BODY, C_HITS, C_SIZE, C_QUEUED_ID, C_SUBJECT,
	C_SUBJECT_RAW, C_FROM, C_HELO, C_TESTS, C_WBL, C_BANNING,
	C_AUTOLEARN, C_ELAPSED, C_NCOLS
};

struct expect {
	char	*col[C_NCOLS];
};

/* The expected rows of one fixture file, from verdicts.tsv. */
static struct expect *
load_expected(const char *file, size_t *n, char **bufp)
{
	return unit_load_tsv(AFIX("verdicts.tsv"), C_NCOLS, C_FILE, file, n,
	    bufp);
}

static int64_t
num(const char *s)
{
	return strcmp(s, "-") == 0 ? CELL_NONE : strtoll(s, NULL, 10);
}

/* Thousandths as the pane shows them: "1.3", "-0.001", "1001.301", "". */
static void
thousandths(char *b, size_t sz, int64_t v)
{
	int64_t	 a;
	size_t	 n;

	if (v == CELL_NONE) {
		b[0] = '\0';
		return;
	}
	a = v < 0 ? -v : v;
	n = (size_t)snprintf(b, sz, "%s%lld.%03lld", v < 0 ? "-" : "",
	    (long long)(a / 1000), (long long)(a % 1000));
	while (b[n - 1] == '0')
		b[--n] = '\0';
	if (b[n - 1] == '.')
		b[--n] = '\0';
}

static enum verdict_class
class_of(const char *disp, const char *cat)
{
	int	 blocked = strcmp(disp, "Blocked") == 0;

	if (strcmp(cat, "CLEAN") == 0)
		return blocked ? VC_OTHER : VC_CLEAN;
	if (strcmp(cat, "SPAM") == 0 || strcmp(cat, "SPAMMY") == 0)
		return blocked ? VC_BLOCKED_SPAM : VC_SPAM_PASSED;
	if (strncmp(cat, "BANNED", 6) == 0)
		return VC_BANNED;
	if (strncmp(cat, "INFECTED", 8) == 0)
		return VC_INFECTED;
	if (strncmp(cat, "BAD-HEADER", 10) == 0)
		return VC_BADHEADER;
	return VC_OTHER;
}

/* What the pane's column of that name shows of a row at a time. */
static const char *
screen_text_at(const struct row *r, const char *name, time_t now)
{
	static char		 buf[4096];
	const struct column	*c;
	size_t			 i;

	for (i = 0; i < provider_verdicts.desc.ncolumns; i++) {
		c = &provider_verdicts.desc.columns[i];
		if (strcmp(c->name, name) != 0)
			continue;
		if (c->format == NULL)
			return S(r, c->cell);
		c->format(r, now, buf, sizeof(buf));
		return buf;
	}
	ck_abort_msg("no column %s", name);
	return NULL;
}

static const char *
screen_text(const struct row *r, const char *name)
{
	return screen_text_at(r, name, (time_t)T0);
}

#define CELL_EQ(r, cell, want, e, k) do {				\
	ck_assert_msg(strcmp(S(r, cell), (want)) == 0,			\
	    "%s row %zu (%s): " #cell " \"%s\", not \"%s\"",		\
	    (e)->col[C_FILE], (k), (e)->col[C_LOGID], S(r, cell), (want)); \
} while (0)

static void
check_row(const struct row *r, const struct expect *e, size_t k)
{
	char		 b[2048];
	int64_t		 nr = num(e->col[C_NRCPTS]), q;
	const char	*to = S(r, V_TO), *ip;
	size_t		 lf = strlen(e->col[C_RCPT_FIRST]);
	size_t		 ll = strlen(e->col[C_RCPT_LAST]);

	/* BSD timestamps have no year: the pinned clock makes it 2026 */
	ck_assert_msg(I(r, V_TIME) == num(e->col[C_TIME]),
	    "%s row %zu: time %lld, not %s", e->col[C_FILE], k,
	    (long long)I(r, V_TIME), e->col[C_TIME]);

	CELL_EQ(r, V_LOGID, e->col[C_LOGID], e, k);
	CELL_EQ(r, V_ACTION, e->col[C_DISP], e, k);
	CELL_EQ(r, V_CATEGORY, e->col[C_CATEGORY], e, k);
	ck_assert_int_eq(I(r, V_HITS), num(e->col[C_HITS]));
	thousandths(b, sizeof(b), num(e->col[C_HITS]));
	CELL_EQ(r, V_HITSTEXT, b, e, k);
	/* amavis's client is smtpd on loopback: the origin when known */
	ip = e->col[C_ORIGIN][0] != '\0' ? e->col[C_ORIGIN] :
	    e->col[C_CLIENT];
	CELL_EQ(r, V_IP, ip, e, k);
	CELL_EQ(r, V_FROM, e->col[C_SENDER], e, k);
	/* comma-joined: first and last, and one address when one */
	ck_assert_msg(strncmp(to, e->col[C_RCPT_FIRST], lf) == 0 &&
	    strlen(to) >= ll && strcmp(to + strlen(to) - ll,
	    e->col[C_RCPT_LAST]) == 0, "%s row %zu: V_TO \"%s\"",
	    e->col[C_FILE], k, to);
	if (nr == 1)
		CELL_EQ(r, V_TO, e->col[C_RCPT_FIRST], e, k);
	if (nr > 1)
		snprintf(b, sizeof(b), "<%s> (+%lld)", e->col[C_RCPT_FIRST],
		    (long long)nr - 1);
	else
		snprintf(b, sizeof(b), "<%s>", e->col[C_RCPT_FIRST]);
	CELL_EQ(r, V_RCPTS, b, e, k);
	snprintf(b, sizeof(b), "<%s> %s <%s>", e->col[C_SENDER],
	    glyph_arrow(), e->col[C_RCPT_FIRST]);
	ck_assert_msg(strncmp(screen_text(r, "envelope"), b, strlen(b)) == 0,
	    "%s row %zu: the screen shows \"%s\"", e->col[C_FILE], k,
	    screen_text(r, "envelope"));
	CELL_EQ(r, V_SUBJECT, e->col[C_SUBJECT], e, k);
	ck_assert_int_eq(I(r, V_SIZE), num(e->col[C_SIZE]));
	CELL_EQ(r, V_MAILID, e->col[C_MAIL_ID], e, k);
	CELL_EQ(r, V_QUARANTINE, e->col[C_QUARANTINE], e, k);
	if (e->col[C_QUEUED_ID][0] != '\0')
		ck_assert_ptr_nonnull(strstr(S(r, V_QUEUEDAS),
		    e->col[C_QUEUED_ID]));
	else
		CELL_EQ(r, V_QUEUEDAS, "", e, k);
	q = CELL_NONE;
	if (strcmp(e->col[C_DISP], "Passed") == 0 &&
	    strlen(e->col[C_QUEUED_ID]) == 8)
		q = strtoll(e->col[C_QUEUED_ID], NULL, 16);
	ck_assert_int_eq(I(r, V_QMSGID), q);
	CELL_EQ(r, V_TESTS, e->col[C_TESTS], e, k);
	CELL_EQ(r, V_WBL, num(e->col[C_WBL]) == CELL_NONE ? "" :
	    num(e->col[C_WBL]) < 0 ? "white" : "black", e, k);
	snprintf(b, sizeof(b), "%s %s", e->col[C_DISP], e->col[C_CATEGORY]);
	CELL_EQ(r, V_VERDICT, b, e, k);
	ck_assert_int_eq(I(r, V_CLASS), class_of(e->col[C_DISP],
	    e->col[C_CATEGORY]));
	touch_row(r);
}

/* Every fixture verdicts.tsv describes. */
static const char *const tsv_files[] = {
	"amavis-file-short.log",
	"amavis-file-verbose.log",
	"amavis-file-loglevel2.log",
	"amavis-syslog-datagrams-short.txt",
	"amavis-syslog-datagrams-verbose.txt",
	"amavis-syslog-verbose-openbsd.txt",
	"maillog-mixed.txt",
	"maillog-mixed.datagrams.txt",
	"maillog-mixed-rsyslog.txt",
	"maillog-mixed-hashed.txt",
	"maillog-mixed-hashed.datagrams.txt",
};

/* One row per verdict, in log order, fields as gen-verdicts.py saw them. */
START_TEST(test_fixture_rows)
{
	const char		*file = tsv_files[_i];
	struct verdict_store	*vs = verdict_store_new(VERDICTS_MAX);
	struct rowset		*rs;
	struct expect		*e;
	char			*ebuf;
	size_t			 ne, i, j;

	e = load_expected(file, &ne, &ebuf);
	ck_assert_uint_gt(ne, 0);
	feed_file(vs, file);
	verdict_store_flush(vs, INT64_MAX);
	rs = verdict_store_rows(vs);
	ck_assert_uint_eq(rs->nrows, ne);
	ck_assert_uint_eq(verdict_store_count(vs), ne);
	ck_assert_uint_eq(verdict_store_bad(vs), 0);
	ck_assert_uint_eq(rs->nbad, 0);
	for (i = 0; i < ne; i++) {
		check_row(rs->rows[i], &e[i], i);
		/* keys: unique, and find gives the row back */
		ck_assert_ptr_eq(verdict_store_find(vs, rs->rows[i]->key),
		    rs->rows[i]);
		for (j = 0; j < i; j++)
			ck_assert_str_ne(rs->rows[j]->key, rs->rows[i]->key);
	}
	rowset_free(rs);
	verdict_store_free(vs);
	free(ebuf);
	free(e);
}
END_TEST

/* The joins the captures hold (amavis.md 5; worked out by hand). */
struct join {
	const char	*logid;
	const char	*action;
	int64_t		 q;		/* re-injected msgid, or -1 */
	int64_t		 o;		/* received as */
	const char	*fate;
	const char	*helo;
};

#define LH	"localhost"

static const struct join mixed_joins[] = {
	{ "08553-01", "Passed", 0xf2efc330, 0xe4ed366f, "delivered", LH },
	{ "08553-01-2", "Passed", 0xea98035d, 0x1f78693b, "delivered", LH },
	{ "08553-01-3", "Passed", 0x2769a5a6, 0x141d73ba, "delivered", LH },
	{ "08553-01-4", "Passed", 0xa5c3b5a7, 0x81de6dbb, "delivered", LH },
	{ "08553-01-5", "Passed", 0xa2ca2153, 0x28217307, "delivered", LH },
	{ "08553-01-6", "Passed", 0x66c91026, 0xc64658d7, "delivered", LH },
	{ "08553-01-7", "Passed", 0x32e84c9d, 0x3bf2d9e2, "delivered", LH },
	{ "08553-01-8", "Blocked", -1, 0x69cfe07a, "", LH },
	{ "08553-01-9", "Blocked", -1, 0x74a0f92e, "", LH },
	{ "08553-01-10", "Passed", 0x3e470830, 0xdf37adf8, "delivered", LH },
	{ "08553-01-11", "Blocked", -1, 0x75872e29, "", LH },
	{ "08553-01-12", "Blocked", -1, 0x5c8ccacb, "", LH },
	{ "08553-01-13", "Blocked", -1, 0x35c7fb17, "", LH },
	{ "08553-01-14", "Blocked", -1, 0x2dc241c1, "", LH },
	{ "08553-01-15", "Blocked", -1, 0x2fbfe5cf, "", LH },
	{ "08553-01-16", "Passed", 0x51d7527c, 0xe3639486, "delivered", LH },
	{ "08553-01-17", "Passed", 0x5c5867c3, 0x3d9c6a13, "delivered", LH },
	/* split at 980 characters: queued_as is in the second piece */
	{ "08553-01-18", "Passed", 0x2fc13d17, 0x843588f1, "delivered", LH },
	/* smtpd's own bounce, from "address=local host=vm" */
	{ "08553-01-19", "Passed", 0x9978b3e4, 0x620c68ba, "delivered", "vm" },
	{ NULL, NULL, 0, 0, NULL, NULL }
};

static const struct join hashed_joins[] = {
	{ "07173-01", "Passed", 0x27033828, 0xd41a0a58, "delivered", LH },
	{ "07173-01-2", "Passed", 0xe858b11d, 0x9ee9f617, "delivered", LH },
	{ "07173-01-3", "Passed", 0x1f7ab667, 0x90cf28c0, "delivered", LH },
	{ "07173-01-4", "Passed", 0x4caa01dd, 0x5f4ddaa1, "delivered", LH },
	{ "07173-01-5", "Passed", 0xef01b5b9, 0xebe08519, "delivered", LH },
	{ "07173-01-6", "Blocked", -1, 0x12318de2, "", LH },
	/* mixed fate: lover passed, bob's copy discarded; one message */
	{ "07173-01-7", "Passed", 0xaac0cb67, 0x92a68f5a, "delivered", LH },
	{ "07173-01-7", "Blocked", -1, 0x92a68f5a, "", LH },
	{ "07173-01-8", "Passed", 0xfe44f026, 0xf67878f3, "delivered", LH },
	{ "07173-01-9", "Blocked", -1, 0xb5979e01, "", LH },
	/* REJECTed: the original's delivery to amavis is the PermFail */
	{ "07173-01-10", "Blocked", -1, 0x38f0f047, "", LH },
	{ "07173-01-11", "Blocked", -1, 0x314e5f81, "", LH },
	{ "07173-01-12", "Passed", 0x4aa90dea, 0x2a62e944, "delivered", "vm" },
	{ "07174-01", "Passed", 0x14efdebd, 0xe170c3f2, "delivered", LH },
	{ "07174-01-2", "Passed", 0x64e29eea, 0xe5334729, "delivered", LH },
	{ "07174-01-3", "Passed", 0x436d352b, 0xb67a232b, "delivered", LH },
	{ NULL, NULL, 0, 0, NULL, NULL }
};

static const struct join lab_joins[] = {
	{ "07084-01", "Passed", 0x7392005a, 0x2ae20678, "delivered", LH },
	{ "07084-01-2", "Blocked", -1, 0x36bc98c5, "", LH },
	{ "07084-01-3", "Blocked", -1, 0x7654cdfb, "", LH },
	{ NULL, NULL, 0, 0, NULL, NULL }
};

static const struct join lab_bsd_joins[] = {
	{ "08156-01", "Passed", 0x2546318e, 0xc98250f5, "delivered", LH },
	{ "08156-01-2", "Blocked", -1, 0xcc0dbb82, "", LH },
	{ "08156-01-3", "Blocked", -1, 0x2861e922, "", LH },
	{ NULL, NULL, 0, 0, NULL, NULL }
};

static const struct {
	const char		*file;
	const struct join	*joins;
	size_t			 nrows;
} join_files[] = {
	{ "maillog-mixed.txt", mixed_joins, 19 },
	{ "maillog-mixed-rsyslog.txt", mixed_joins, 19 },
	{ "maillog-mixed.datagrams.txt", mixed_joins, 19 },
	{ "maillog-mixed-hashed.txt", hashed_joins, 16 },
	{ "maillog-mixed-hashed.datagrams.txt", hashed_joins, 16 },
	{ "lab-rsyslog-maillog.txt", lab_joins, 3 },
	{ "lab-rsyslog-bsd-maillog.txt", lab_bsd_joins, 3 },
};

/* Each verdict joined to its smtpd message: msgids, fate, client name. */
START_TEST(test_fixture_joins)
{
	const struct join	*j;
	struct verdict_store	*vs = verdict_store_new(VERDICTS_MAX);
	struct rowset		*rs;
	const struct row	*r, *o;
	size_t			 n = 0;

	feed_file(vs, join_files[_i].file);
	rs = verdict_store_rows(vs);
	ck_assert_uint_eq(rs->nrows, join_files[_i].nrows);
	ck_assert_uint_eq(verdict_store_bad(vs), 0);
	for (j = join_files[_i].joins; j->logid != NULL; j++, n++) {
		r = row_of(rs, j->logid, j->action);
		ck_assert_msg(I(r, V_OMSGID) == j->o, "%s %s %s: omsgid "
		    "%llx, not %llx", join_files[_i].file, j->logid, j->action,
		    (long long)I(r, V_OMSGID), (long long)j->o);
		ck_assert_int_eq(I(r, V_QMSGID), j->q == -1 ? CELL_NONE :
		    j->q);
		ck_assert_msg(strcmp(S(r, V_FATE), j->fate) == 0, "%s %s: "
		    "fate \"%s\"", join_files[_i].file, j->logid,
		    S(r, V_FATE));
		ck_assert_msg(strcmp(S(r, V_HELO), j->helo) == 0, "%s %s %s: "
		    "helo \"%s\"", join_files[_i].file, j->logid, j->action,
		    S(r, V_HELO));
		/* both msgids lead back to it (or its mixed-fate twin) */
		o = verdict_store_by_msgid(vs, (uint32_t)j->o);
		ck_assert_ptr_nonnull(o);
		ck_assert_str_eq(S(o, V_LOGID), j->logid);
		if (j->q != -1)
			ck_assert_ptr_eq(verdict_store_by_msgid(vs,
			    (uint32_t)j->q), r);
		/* a story: the smtpd lines of a recent message */
		ck_assert_ptr_nonnull(verdict_store_story(vs, r->key));
		ck_assert_ptr_nonnull(strstr(verdict_store_story(vs, r->key),
		    " smtp connected "));
	}
	ck_assert_uint_eq(n, join_files[_i].nrows);
	ck_assert_ptr_null(verdict_store_by_msgid(vs, 0x12345678));
	ck_assert_ptr_null(verdict_store_by_msgid(vs, 0));
	rowset_free(rs);
	verdict_store_free(vs);
}
END_TEST

/* The fixture's lines "HH:MM:SS smtpd: message", as a story shows them. */
static char *
story_of(const int *lineno)
{
	char	*buf, *out, *p, *nl, *m;
	size_t	 len, olen = 0;
	int	 n = 0, k = 0;

	buf = unit_slurp(AFIX("maillog-mixed.txt"), &len);
	out = calloc(1, 65536);
	ck_assert_ptr_nonnull(out);
	for (p = buf; lineno[k] != 0 && (nl = strchr(p, '\n')) != NULL;
	    p = nl + 1) {
		if (++n != lineno[k])
			continue;
		k++;
		*nl = '\0';
		m = strstr(p, "]: ");
		ck_assert_ptr_nonnull(m);
		olen += (size_t)snprintf(out + olen, 65536 - olen,
		    "%.8s smtpd: %s\n", p + 7, m + 3);
		*nl = '\n';
	}
	ck_assert_int_eq(lineno[k], 0);
	free(buf);
	return out;
}

static const int story_clean[] = { 59, 60, 61, 74, 212, 0 };
static const int story_multi[] = { 80, 81, 82, 83, 84, 107, 108, 109, 219,
	220, 221, 0 };
static const int story_blocked[] = { 134, 135, 136, 153, 0 };
static const int story_bounce[] = { 263, 264, 265, 364, 395, 0 };

/* The smtpd lines of a message, in log order, whatever the framing. */
START_TEST(test_stories)
{
	/* BSD times are local: a story shows them as logged, in any zone */
	static const struct {
		const char	*file;
		const char	*tz;
	} files[] = {
		{ "maillog-mixed.txt", "UTC" },
		{ "maillog-mixed-rsyslog.txt", "UTC" },
		{ "maillog-mixed.datagrams.txt", "UTC" },
		{ "maillog-mixed.txt", "CET-1" },
		{ "maillog-mixed.datagrams.txt", "<-0930>9:30" },
	};
	static const struct {
		const char	*logid;
		const int	*lines;
	} st[] = {
		{ "08553-01", story_clean },
		{ "08553-01-3", story_multi },
		{ "08553-01-8", story_blocked },
		{ "08553-01-19", story_bounce },
	};
	struct verdict_store	*vs;
	struct rowset		*rs;
	const struct row	*r;
	const char		*s;
	char			*want;
	size_t			 i;

	set_tz(files[_i].tz);
	vs = verdict_store_new(VERDICTS_MAX);
	feed_file(vs, files[_i].file);
	rs = verdict_store_rows(vs);
	for (i = 0; i < nitems(st); i++) {
		r = row_of(rs, st[i].logid, NULL);
		want = story_of(st[i].lines);
		s = verdict_store_story(vs, r->key);
		ck_assert_ptr_nonnull(s);
		ck_assert_msg(strcmp(s, want) == 0, "%s %s: story\n%s\nnot\n%s",
		    files[_i].file, st[i].logid, s, want);
		free(want);
	}
	/* 30 recipients: more than a story keeps, but whole lines */
	r = row_of(rs, "08553-01-18", NULL);
	s = verdict_store_story(vs, r->key);
	ck_assert_ptr_nonnull(s);
	ck_assert_uint_gt(strlen(s), 1000);
	ck_assert_uint_lt(strlen(s), 4096);
	ck_assert(starts(s, "13:57:55 smtpd: 7da64a5d9ad4446e smtp "
	    "connected "));
	ck_assert_int_eq(s[strlen(s) - 1], '\n');
	ck_assert_ptr_null(verdict_store_story(vs, "no such key"));
	rowset_free(rs);
	verdict_store_free(vs);
}
END_TEST

/*
 * The same second, log id, outcome and address twice: two amavis hosts
 * logging to one file.  Each is a row of its own; the same line logged
 * twice by syslog is one row.
 */
START_TEST(test_same_key)
{
	static const char *const lines[] = {
		"Nov 24 13:52:58 mx1 amavis[6652]: (06652-01) Passed CLEAN "
		"{RelayedInbound}, [127.0.0.1]:41234 [192.0.2.7] "
		"<a@example.com> -> <b@example.org>, Queue-ID: 2ae20678, "
		"mail_id: AAAAAAAAAAAA, Hits: 1.3, size: 476, 81 ms",
		"Nov 24 13:52:58 mx2 amavis[6652]: (06652-01) Passed CLEAN "
		"{RelayedInbound}, [127.0.0.1]:41234 [192.0.2.7] "
		"<c@example.com> -> <d@example.org>, Queue-ID: 3bf31789, "
		"mail_id: BBBBBBBBBBBB, Hits: 2.5, size: 900, 70 ms",
	};
	struct verdict_store	*vs = verdict_store_new(VERDICTS_MAX);
	struct rowset		*rs;
	const struct row	*r;
	size_t			 i, j, n = 0;

	feed(vs, lines[0]);
	feed(vs, lines[1]);
	feed(vs, lines[0]);
	feed(vs, lines[1]);
	verdict_store_flush(vs, INT64_MAX);
	rs = verdict_store_rows(vs);
	ck_assert_uint_eq(rs->nrows, 2);
	for (i = 0; i < rs->nrows; i++) {
		r = rs->rows[i];
		ck_assert_str_eq(S(r, V_LOGID), "06652-01");
		ck_assert_ptr_eq(verdict_store_find(vs, r->key), r);
		for (j = 0; j < i; j++)
			ck_assert_str_ne(rs->rows[j]->key, r->key);
		n += strcmp(S(r, V_MAILID), "BBBBBBBBBBBB") == 0;
	}
	ck_assert_uint_eq(n, 1);
	rowset_free(rs);
	verdict_store_free(vs);
}
END_TEST

/* A Blocked line twice, and its Passed twin: a row for each outcome. */
START_TEST(test_dup_outcomes)
{
	static const char blocked[] = "Nov 24 13:52:58 mx amavis[6652]: "
	    "(06652-01) Blocked SPAM {DiscardedInbound,Quarantined}, "
	    "[127.0.0.1]:41234 [192.0.2.7] <a@example.com> -> "
	    "<b@example.org>, quarantine: spam-AAAAAAAAAAAA.gz, "
	    "mail_id: AAAAAAAAAAAA, Hits: 12.3, size: 476, 81 ms";
	static const char passed[] = "Nov 24 13:52:58 mx amavis[6652]: "
	    "(06652-01) Passed SPAM {RelayedTaggedInbound,Quarantined}, "
	    "[127.0.0.1]:41234 [192.0.2.7] <a@example.com> -> "
	    "<c@example.org>, Queue-ID: 2ae20678, mail_id: AAAAAAAAAAAA, "
	    "Hits: 12.3, size: 476, 81 ms";
	struct verdict_store	*vs = verdict_store_new(VERDICTS_MAX);
	struct rowset		*rs;
	int			 i;

	for (i = 0; i < 3; i++) {
		feed(vs, blocked);
		feed(vs, passed);
	}
	verdict_store_flush(vs, INT64_MAX);
	rs = verdict_store_rows(vs);
	ck_assert_uint_eq(rs->nrows, 2);
	ck_assert_str_eq(S(rs->rows[0], V_ACTION), "Blocked");
	ck_assert_str_eq(S(rs->rows[1], V_ACTION), "Passed");
	ck_assert_ptr_eq(verdict_store_twin(vs, rs->rows[0]->key),
	    rs->rows[1]);
	ck_assert_ptr_eq(verdict_store_twin(vs, rs->rows[1]->key),
	    rs->rows[0]);
	rowset_free(rs);
	verdict_store_free(vs);
}
END_TEST

/*
 * 100,000 verdicts of one key that differ in their size, in a store of
 * 50,000, then one line 100,000 times: each in one look.  Probing for a free
 * key made the first take hours.
 */
START_TEST(test_same_key_many)
{
	struct verdict_store	*vs = verdict_store_new(50000);
	struct rowset		*rs;
	char			 line[512];
	size_t			 i, j;
	struct timespec		 t0, t1;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (i = 0; i < 100000; i++) {
		snprintf(line, sizeof(line), "Nov 24 13:52:58 mx amavis[6652]: "
		    "(06652-01) Passed CLEAN {RelayedInbound}, "
		    "[127.0.0.1]:41234 [192.0.2.7] <a@example.com> -> "
		    "<b@example.org>, Queue-ID: 2ae20678, mail_id: "
		    "AAAAAAAAAAAA, Hits: 1.3, size: %zu, 81 ms", i);
		feed(vs, line);
	}
	verdict_store_flush(vs, INT64_MAX);
	rs = verdict_store_rows(vs);
	ck_assert_uint_eq(rs->nrows, 50000);
	for (i = 0; i < rs->nrows; i++) {
		ck_assert_int_eq(rs->rows[i]->cells[V_SIZE].i,
		    (int64_t)(50000 + i));
		ck_assert_ptr_eq(verdict_store_find(vs, rs->rows[i]->key),
		    rs->rows[i]);
	}
	rowset_free(rs);
	verdict_store_free(vs);

	vs = verdict_store_new(1000);
	for (j = 0; j < 100000; j++)
		feed(vs, line);
	verdict_store_flush(vs, INT64_MAX);
	rs = verdict_store_rows(vs);
	ck_assert_uint_eq(rs->nrows, 1);
	rowset_free(rs);
	verdict_store_free(vs);
	/* a second or two; 20 under the sanitizers on a busy machine */
	clock_gettime(CLOCK_MONOTONIC, &t1);
	ck_assert_int_lt(t1.tv_sec - t0.tv_sec, 50);
}
END_TEST

/* The history's start: older verdicts are not kept, smtpd lines still are. */
START_TEST(test_since)
{
	static const char a[] = "Nov 24 13:52:58 mx amavis[6652]: (06652-01) "
	    "Passed CLEAN {RelayedInbound}, [127.0.0.1]:41234 [192.0.2.7] "
	    "<a@example.com> -> <b@example.org>, Queue-ID: 2ae20678, "
	    "mail_id: AAAAAAAAAAAA, Hits: 1.3, size: 476, 81 ms";
	static const char b[] = "Nov 24 13:53:10 mx amavis[6652]: (06652-02) "
	    "Passed CLEAN {RelayedInbound}, [127.0.0.1]:41234 [192.0.2.7] "
	    "<a@example.com> -> <b@example.org>, Queue-ID: 3bf31789, "
	    "mail_id: BBBBBBBBBBBB, Hits: 1.3, size: 476, 81 ms";
	struct verdict_store	*vs = verdict_store_new(VERDICTS_MAX);
	struct rowset		*rs;
	int64_t			 t;

	feed(vs, a);
	rs = verdict_store_rows(vs);
	ck_assert_uint_eq(rs->nrows, 1);
	t = rs->rows[0]->cells[V_TIME].i;
	rowset_free(rs);
	verdict_store_free(vs);

	vs = verdict_store_new(VERDICTS_MAX);
	verdict_store_since(vs, t + 1);
	feed(vs, a);
	feed(vs, b);
	rs = verdict_store_rows(vs);
	ck_assert_uint_eq(rs->nrows, 1);
	ck_assert_str_eq(S(rs->rows[0], V_LOGID), "06652-02");
	ck_assert_int_eq(rs->rows[0]->cells[V_TIME].i, t + 12);
	ck_assert_uint_eq(verdict_store_bad(vs), 0);
	rowset_free(rs);
	verdict_store_free(vs);
}
END_TEST

/*
 * The pane on a log with more verdicts than its preview: the newest ones
 * first, with the header saying so, then all of them.
 */
START_TEST(test_preview)
{
	struct conf	 conf;
	struct rowset	*rs;
	char		 dir[] = "/tmp/mhtop-preview-XXXXXX", path[64], ts[32];
	char		 sum[1024];
	void		*st;
	FILE		*fp;
	time_t		 now = wallclock_now(), t;
	struct tm	 tm;
	int		 i, r, steps = 0;

	set_tz("UTC");
	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/maillog", dir);
	ck_assert_ptr_nonnull(fp = fopen(path, "w"));
	for (i = 0; i < 20000; i++) {
		t = now - 3600 + i / 10;
		gmtime_r(&t, &tm);
		strftime(ts, sizeof(ts), "%b %e %H:%M:%S", &tm);
		fprintf(fp, "%s mx smtpd[1]: 0123456789abcdef smtp connected "
		    "address=192.0.2.7 host=h.example\n", ts);
		fprintf(fp, "%s mx amavis[6652]: (00001-%05d) Passed CLEAN "
		    "{RelayedInbound}, [127.0.0.1]:41234 [192.0.2.7] "
		    "<a@example.com> -> <b@example.org>, mail_id: M%011d, "
		    "Hits: 1.3, size: 476, 81 ms\n", ts, i, i);
	}
	ck_assert_int_eq(fclose(fp), 0);

	conf_defaults(&conf);
	free(conf.maillog);
	conf.maillog = strdup(path);
	st = provider_verdicts.src.create(&conf);
	provider_verdicts.src.poll_begin(st, now);
	while ((r = provider_verdicts.src.poll_step(st)) == PROV_MORE)
		ck_assert_int_lt(++steps, 1000);
	ck_assert_int_eq(r, PROV_SHOW);
	rs = provider_verdicts.src.poll_finish(st);
	ck_assert_uint_eq(rs->nrows, 2000);
	ck_assert_str_eq(S(rs->rows[0], V_LOGID), "00001-18000");
	ck_assert_str_eq(S(rs->rows[1999], V_LOGID), "00001-19999");
	provider_verdicts.desc.summary(st, rs, now, sum, sizeof(sum));
	ck_assert_msg(strstr(sum, "the newest 2000 verdicts until all are "
	    "read") != NULL, "%s", sum);
	/* and how the history goes, a first slice of it read */
	ck_assert_msg(strstr(sum, "maillog: reading maillog: ") != NULL ||
	    strstr(sum, "maillog: going back through maillog") != NULL,
	    "%s", sum);
	rowset_free(rs);

	while ((r = provider_verdicts.src.poll_step(st)) != PROV_IDLE)
		ck_assert_int_lt(++steps, 1000);
	rs = provider_verdicts.src.poll_finish(st);
	ck_assert_uint_eq(rs->nrows, 20000);
	ck_assert_str_eq(S(rs->rows[0], V_LOGID), "00001-00000");
	provider_verdicts.desc.summary(st, rs, now, sum, sizeof(sum));
	ck_assert_msg(strstr(sum, "  20000 verdicts") != NULL, "%s", sum);
	rowset_free(rs);
	/* two row sets later the preview is gone: nothing left to leak */
	rowset_free(provider_verdicts.src.poll_finish(st));
	rowset_free(provider_verdicts.src.poll_finish(st));
	provider_verdicts.src.destroy(st);
	conf_free(&conf);
	ck_assert_int_eq(unlink(path), 0);
	ck_assert_int_eq(rmdir(dir), 0);
}
END_TEST

/*
 * smtpd's line about one message, 200,000 times (a generated test log):
 * each forgets the oldest received message in one step, not a walk of the
 * others of its msgid.
 */
START_TEST(test_same_message_many)
{
	static const char line[] = "Nov 24 13:57:50 mx smtpd[8350]: "
	    "7da64a463de371a5 smtp message msgid=e4ed366f size=627 nrcpt=1 "
	    "proto=ESMTP";
	struct verdict_store	*vs = verdict_store_new(1000);
	struct timespec		 t0, t1;
	int			 i;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (i = 0; i < 200000; i++)
		feed(vs, line);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	/* a fraction of a second; walking the chain took a minute */
	ck_assert_int_lt(t1.tv_sec - t0.tv_sec, 10);
	ck_assert_uint_eq(verdict_store_count(vs), 0);
	verdict_store_free(vs);
}
END_TEST

/*
 * A step works slice_time at most, in pieces of SLICE_PIECE bytes: with 0,
 * a 2.5 MB log (less than a step's bytes) takes a step for each piece;
 * with all the time in the world, one step for the preview and one for
 * the rest.
 */
static int
steps_to_read(const char *path, double t, size_t *nrows)
{
	struct conf	 conf;
	struct rowset	*rs;
	void		*st;
	double		 saved = slice_time;
	int		 r, steps = 0;

	slice_time = t;
	conf_defaults(&conf);
	free(conf.maillog);
	conf.maillog = strdup(path);
	st = provider_verdicts.src.create(&conf);
	provider_verdicts.src.poll_begin(st, wallclock_now());
	while ((r = provider_verdicts.src.poll_step(st)) != PROV_IDLE) {
		ck_assert_int_ne(r, -1);
		ck_assert_int_lt(++steps, 1000);
	}
	rs = provider_verdicts.src.poll_finish(st);
	*nrows = rs->nrows;
	rowset_free(rs);
	provider_verdicts.src.destroy(st);
	conf_free(&conf);
	slice_time = saved;
	return steps;
}

START_TEST(test_slice_time)
{
	char		 dir[] = "/tmp/mhtop-slice-XXXXXX", path[64], ts[32];
	FILE		*fp;
	time_t		 now = wallclock_now(), t;
	struct tm	 tm;
	size_t		 n;
	int		 i;

	set_tz("UTC");
	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/maillog", dir);
	ck_assert_ptr_nonnull(fp = fopen(path, "w"));
	for (i = 0; i < 10000; i++) {
		t = now - 3600 + i / 10;
		gmtime_r(&t, &tm);
		strftime(ts, sizeof(ts), "%b %e %H:%M:%S", &tm);
		fprintf(fp, "%s mx amavis[6652]: (00001-%05d) Passed CLEAN "
		    "{RelayedInbound}, [127.0.0.1]:41234 [192.0.2.7] "
		    "<a@example.com> -> <b@example.org>, mail_id: M%011d, "
		    "Hits: 1.3, size: 476, 81 ms\n", ts, i, i);
	}
	ck_assert_int_eq(fclose(fp), 0);

	ck_assert_int_ge(steps_to_read(path, 0, &n),
	    (int)(10000 * 200 / SLICE_PIECE));
	ck_assert_uint_eq(n, 10000);
	ck_assert_int_le(steps_to_read(path, 1000, &n), 3);
	ck_assert_uint_eq(n, 10000);
	ck_assert_int_eq(unlink(path), 0);
	ck_assert_int_eq(rmdir(dir), 0);
}
END_TEST

/* An empty pane says what it read, and how far back. */
START_TEST(test_empty_reason)
{
	static const struct {
		long		 history;
		const char	*want;
	} spans[] = {
		{ 86400, "in the last 24 h (history 24h)" },
		{ 2 * 86400, "in the last 2 days (history 2d)" },
		{ 90 * 60, "in the last 90 min (history 90m)" },
		{ 45, "in the last 45 s (history 45s)" },
		{ 0, "since mhtop started (history 0)" },
	};
	struct conf	 conf;
	char		 dir[] = "/tmp/mhtop-empty-XXXXXX", path[64], why[512];
	char		 want[256];
	void		*st;
	FILE		*fp;
	time_t		 now = wallclock_now();
	int		 r, steps = 0;

	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/maillog", dir);
	conf_defaults(&conf);
	free(conf.maillog);
	conf.maillog = strdup(path);
	conf.history = spans[_i].history;
	st = provider_verdicts.src.create(&conf);
	provider_verdicts.src.poll_begin(st, now);
	while ((r = provider_verdicts.src.poll_step(st)) == PROV_MORE ||
	    r == PROV_SHOW)
		ck_assert_int_lt(++steps, 100);
	ck_assert_int_eq(r, PROV_IDLE);
	rowset_free(provider_verdicts.src.poll_finish(st));
	provider_verdicts.desc.empty_reason(st, why, sizeof(why));
	snprintf(want, sizeof(want), "no verdicts: waiting for %s: ", path);
	ck_assert_msg(strncmp(why, want, strlen(want)) == 0, "%s", why);

	ck_assert_ptr_nonnull(fp = fopen(path, "w"));
	ck_assert_int_eq(fclose(fp), 0);
	provider_verdicts.src.poll_begin(st, now);
	while ((r = provider_verdicts.src.poll_step(st)) == PROV_MORE ||
	    r == PROV_SHOW)
		ck_assert_int_lt(++steps, 100);
	ck_assert_int_eq(r, PROV_IDLE);
	rowset_free(provider_verdicts.src.poll_finish(st));
	provider_verdicts.desc.empty_reason(st, why, sizeof(why));
	snprintf(want, sizeof(want), "no amavis verdicts in %s %s", path,
	    spans[_i].want);
	ck_assert_str_eq(why, want);

	provider_verdicts.src.destroy(st);
	conf_free(&conf);
	ck_assert_int_eq(unlink(path), 0);
	ck_assert_int_eq(rmdir(dir), 0);
}
END_TEST

/* A local time as epoch seconds, through the C library. */
static time_t
local_epoch(int y, int mon, int d, int h, int mi, int sec)
{
	struct tm	 tm;

	memset(&tm, 0, sizeof(tm));
	tm.tm_year = y - 1900;
	tm.tm_mon = mon - 1;
	tm.tm_mday = d;
	tm.tm_hour = h;
	tm.tm_min = mi;
	tm.tm_sec = sec;
	tm.tm_isdst = -1;
	return mktime(&tm);
}

/* TIME: a row of another day, in local time, shows its date. */
static const char *
time_text(int64_t t, time_t now)
{
	static struct row	*r;

	if (r == NULL) {
		r = calloc(1, sizeof(*r) + V_NCELLS * sizeof(union cell));
		ck_assert_ptr_nonnull(r);
		r->key = "k";
	}
	r->cells[V_TIME].i = t;
	return screen_text_at(r, "time", now);
}

START_TEST(test_time_column)
{
	time_t	 now;

	/* POSIX zones: no tzdata needed */
	set_tz("EST5");
	now = local_epoch(2026, 11, 24, 0, 2, 0);
	ck_assert_str_eq(time_text(now - 30, now), "00:01:30");
	ck_assert_str_eq(time_text(now - 180, now), "Nov 23 23:59");
	ck_assert_str_eq(time_text(local_epoch(2026, 11, 3, 9, 5, 7), now),
	    "Nov  3 09:05");
	/* 23 h ago, but today */
	now = local_epoch(2026, 11, 24, 23, 30, 0);
	ck_assert_str_eq(time_text(local_epoch(2026, 11, 24, 0, 10, 0), now),
	    "00:10:00");
	/* a clock a little behind the log's */
	ck_assert_str_eq(time_text(now + 60, now), "23:31:00");
	ck_assert_str_eq(time_text(now + 3600, now), "Nov 25 00:30");
	/* the local day, not UTC's: 18:00 EST is 23:00 UTC, 22:00 EST 03:00 */
	now = local_epoch(2026, 11, 23, 22, 0, 0);
	ck_assert_str_eq(time_text(now - 4 * 3600, now), "18:00:00");
	set_tz("UTC0");
	ck_assert_str_eq(time_text(now - 4 * 3600, now), "Nov 23 23:00");
	/* New Year: yesterday was last year; a year ago is not today */
	now = local_epoch(2027, 1, 1, 0, 2, 0);
	ck_assert_str_eq(time_text(now - 180, now), "Dec 31 23:59");
	ck_assert_str_eq(time_text(local_epoch(2026, 1, 1, 0, 1, 0), now),
	    "Jan  1  2026");
	ck_assert_str_eq(time_text(local_epoch(2026, 7, 1, 12, 0, 0), now),
	    "Jul  1  2026");
	ck_assert_str_eq(time_text(local_epoch(2026, 7, 6, 12, 0, 0), now),
	    "Jul  6 12:00");
	/* whatever the form, it fits the column */
	ck_assert_uint_le(strlen(time_text(0, now)), 12);
	ck_assert_uint_le(strlen(time_text(INT64_C(253402300799), now)), 12);
}
END_TEST

/*
 * The pane read on 1 January, ten minutes after midnight, its clock pinned:
 * BSD stamps from 31 December are last year's, a line a few seconds ahead
 * of the clock (syslogd's clock is not ours) is this year's, and the 24-hour
 * window ends on 31 December at 00:10.  In UTC and in a zone with DST.
 */
START_TEST(test_new_year_pane)
{
	static const struct {
		const char	*stamp, *logid;
		int		 y, mon, d, h, mi, s;	/* -1: not kept */
	} lines[] = {
		{ "Dec 30 23:59:00", "00002-00001", -1, 0, 0, 0, 0, 0 },
		{ "Dec 31 00:09:59", "00002-00002", -1, 0, 0, 0, 0, 0 },
		{ "Dec 31 00:10:30", "00002-00003", 2026, 12, 31, 0, 10, 30 },
		{ "Dec 31 23:59:59", "00002-00004", 2026, 12, 31, 23, 59, 59 },
		{ "Jan  1 00:00:00", "00002-00005", 2027, 1, 1, 0, 0, 0 },
		{ "Jan  1 00:10:04", "00002-00006", 2027, 1, 1, 0, 10, 4 },
	};
	static const char *const zones[] = { "UTC", "Europe/Berlin" };
	struct conf	 conf;
	struct rowset	*rs;
	const struct row *r;
	char		 dir[] = "/tmp/mhtop-newyear-XXXXXX", path[64];
	void		*st;
	FILE		*fp;
	struct timeval	 tv[2];
	time_t		 now;
	size_t		 i, kept = 0;
	int		 steps = 0;

	if (_i == 1 && access("/usr/share/zoneinfo/Europe/Berlin", R_OK) == -1)
		return;		/* no tzdata */
	set_tz(zones[_i]);
	now = local_epoch(2027, 1, 1, 0, 10, 0);
	wallclock_pin(now);
	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/maillog", dir);
	ck_assert_ptr_nonnull(fp = fopen(path, "w"));
	for (i = 0; i < nitems(lines); i++)
		fprintf(fp, "%s mx amavis[6652]: (%s) Passed CLEAN "
		    "{RelayedInbound}, [127.0.0.1]:41234 [192.0.2.7] "
		    "<a@example.com> -> <b@example.org>, mail_id: N%011zu, "
		    "Hits: 1.3, size: 476, 81 ms\n", lines[i].stamp,
		    lines[i].logid, i);
	ck_assert_int_eq(fclose(fp), 0);
	/* last written when its last line was, as a real log would be */
	tv[0].tv_sec = tv[1].tv_sec = now;
	tv[0].tv_usec = tv[1].tv_usec = 0;
	ck_assert_int_eq(utimes(path, tv), 0);

	conf_defaults(&conf);
	free(conf.maillog);
	conf.maillog = strdup(path);
	st = provider_verdicts.src.create(&conf);
	provider_verdicts.src.poll_begin(st, wallclock_now());
	while (provider_verdicts.src.poll_step(st) != PROV_IDLE)
		ck_assert_int_lt(++steps, 1000);
	rs = provider_verdicts.src.poll_finish(st);
	for (i = 0; i < nitems(lines); i++) {
		r = NULL;
		for (size_t k = 0; k < rs->nrows; k++)
			if (strcmp(S(rs->rows[k], V_LOGID), lines[i].logid) == 0)
				r = rs->rows[k];
		if (lines[i].y == -1) {
			ck_assert_msg(r == NULL, "%s %s: kept, but it is older "
			    "than the window", zones[_i], lines[i].stamp);
			continue;
		}
		kept++;
		ck_assert_msg(r != NULL, "%s %s: not kept", zones[_i],
		    lines[i].stamp);
		ck_assert_msg(I(r, V_TIME) == local_epoch(lines[i].y,
		    lines[i].mon, lines[i].d, lines[i].h, lines[i].mi,
		    lines[i].s), "%s %s: time %lld, not in %d", zones[_i],
		    lines[i].stamp, (long long)I(r, V_TIME), lines[i].y);
	}
	ck_assert_uint_eq(rs->nrows, kept);
	rowset_free(rs);
	provider_verdicts.src.destroy(st);
	conf_free(&conf);
	ck_assert_int_eq(unlink(path), 0);
	ck_assert_int_eq(rmdir(dir), 0);
}
END_TEST

/* Mixed fate: two rows with the same log id, one Passed, one Blocked. */
START_TEST(test_mixed_fate)
{
	struct verdict_store	*vs = verdict_store_new(VERDICTS_MAX);
	struct rowset		*rs;
	const struct row	*p, *b;

	feed_file(vs, "amavis-syslog-datagrams-short.txt");
	feed_file(vs, "maillog-mixed-hashed.txt");
	rs = verdict_store_rows(vs);
	ck_assert_uint_eq(rs->nrows, 6 + 16);

	ck_assert_uint_eq(rows_of(rs, "07173-01-7"), 2);
	p = row_of(rs, "07173-01-7", "Passed");
	b = row_of(rs, "07173-01-7", "Blocked");
	ck_assert_ptr_ne(p, b);
	ck_assert_str_ne(p->key, b->key);
	ck_assert_ptr_eq(verdict_store_find(vs, p->key), p);
	ck_assert_ptr_eq(verdict_store_find(vs, b->key), b);
	ck_assert_str_eq(S(p, V_MAILID), S(b, V_MAILID));
	ck_assert_str_eq(S(p, V_TO), "lover@example.org");
	ck_assert_str_eq(S(b, V_TO), "bob@example.org");
	ck_assert_str_eq(S(p, V_VERDICT), "Passed SPAM");
	ck_assert_str_eq(S(b, V_VERDICT), "Blocked SPAM");
	ck_assert_int_eq(I(p, V_CLASS), VC_SPAM_PASSED);
	ck_assert_int_eq(I(b, V_CLASS), VC_BLOCKED_SPAM);
	ck_assert_int_eq(I(p, V_QMSGID), 0xaac0cb67);
	ck_assert_int_eq(I(b, V_QMSGID), CELL_NONE);
	/* one message: both know what smtpd received it as */
	ck_assert_int_eq(I(p, V_OMSGID), 0x92a68f5a);
	ck_assert_int_eq(I(b, V_OMSGID), 0x92a68f5a);
	ck_assert_str_eq(S(p, V_FATE), "delivered");
	ck_assert_str_eq(S(b, V_FATE), "");
	ck_assert_ptr_eq(verdict_store_by_msgid(vs, 0xaac0cb67), p);
	ck_assert_ptr_nonnull(strstr(verdict_store_story(vs, b->key),
	    "evpid=92a68f5a4732f5bf"));

	/* the amavis-only capture: no smtpd lines, nothing joined */
	ck_assert_uint_eq(rows_of(rs, "06556-02"), 2);
	p = row_of(rs, "06556-02", "Passed");
	b = row_of(rs, "06556-02", "Blocked");
	ck_assert_str_ne(p->key, b->key);
	ck_assert_int_eq(I(p, V_OMSGID), CELL_NONE);
	ck_assert_int_eq(I(b, V_OMSGID), CELL_NONE);
	ck_assert_str_eq(S(p, V_FATE), "");
	ck_assert_str_eq(S(p, V_HELO), "");
	ck_assert_str_eq(verdict_store_story(vs, p->key), "");
	rowset_free(rs);
	verdict_store_free(vs);
}
END_TEST

/* The 980-character split: one row with all 30 recipients. */
START_TEST(test_split)
{
	static const char *const files[] = {
	    "amavis-syslog-datagrams-verbose.txt",
	    "amavis-syslog-verbose-openbsd.txt", "maillog-mixed.txt" };
	struct verdict_store	*vs = verdict_store_new(VERDICTS_MAX);
	struct rowset		*rs;
	const struct row	*r = NULL;
	const char		*p;
	size_t			 i, n = 0;

	feed_file(vs, files[_i]);
	rs = verdict_store_rows(vs);
	for (i = 0; i < rs->nrows; i++)
		if (strstr(S(rs->rows[i], V_TO), "user30.") != NULL)
			r = rs->rows[i];
	ck_assert_ptr_nonnull(r);
	for (p = S(r, V_TO); (p = strchr(p, '@')) != NULL; p++)
		n++;
	ck_assert_uint_eq(n, 30);
	ck_assert_ptr_nonnull(strstr(S(r, V_RCPTS), "(+29)"));
	ck_assert_int_ne(I(r, V_QMSGID), CELL_NONE);
	ck_assert_int_ne(I(r, V_SIZE), CELL_NONE);
	ck_assert_uint_eq(verdict_store_bad(vs), 0);
	/* a first piece alone: out at the flush, cut short */
	amavis(vs, 0, "(01234-05) Passed CLEAN {RelayedInbound}, [127.0.0.1] "
	    "<a@b.example> -> <%0950d...", 7);
	ck_assert_uint_eq(verdict_store_count(vs), rs->nrows);
	verdict_store_flush(vs, INT64_MAX);
	ck_assert_uint_eq(verdict_store_count(vs), rs->nrows + 1);
	rowset_free(rs);
	verdict_store_free(vs);
}
END_TEST

/* Deferred, then delivered; a bounce; mixed recipients. */
START_TEST(test_fate)
{
	struct verdict_store	*vs = verdict_store_new(VERDICTS_MAX);
	struct rowset		*rs;
	const struct row	*a, *b, *c;

	received(vs, 0, 0x1001, 0x10000001, "mx1.sender.example", 2);
	passed(vs, 1, "00001-01", "AAAAAAAAAAAA", 0x20000001);
	to_amavis_passed(vs, 1, 0x10000001, 0, 0x20000001);
	to_amavis_passed(vs, 1, 0x10000001, 1, 0x20000001);
	received(vs, 2, 0x1002, 0x10000002, "mx2.sender.example", 1);
	passed(vs, 3, "00001-02", "BBBBBBBBBBBB", 0x20000002);
	to_amavis_passed(vs, 3, 0x10000002, 0, 0x20000002);
	received(vs, 4, 0x1003, 0x10000003, "mx3.sender.example", 2);
	passed(vs, 5, "00001-03", "CCCCCCCCCCCC", 0x20000003);
	to_amavis_passed(vs, 5, 0x10000003, 0, 0x20000003);
	to_amavis_passed(vs, 5, 0x10000003, 1, 0x20000003);

	rs = verdict_store_rows(vs);
	a = row_of(rs, "00001-01", "Passed");
	b = row_of(rs, "00001-02", "Passed");
	c = row_of(rs, "00001-03", "Passed");
	ck_assert_str_eq(S(a, V_FATE), "");		/* not yet */
	ck_assert_str_eq(S(a, V_HELO), "mx1.sender.example");
	ck_assert_str_eq(S(b, V_HELO), "mx2.sender.example");
	ck_assert_str_eq(S(c, V_HELO), "mx3.sender.example");
	ck_assert_int_eq(I(a, V_OMSGID), 0x10000001);
	ck_assert_int_eq(I(c, V_OMSGID), 0x10000003);

	onward(vs, 10, 0x20000001, 0, "TempFail", "421 4.7.0 try later");
	ck_assert_str_eq(S(a, V_FATE), "deferred");
	onward(vs, 11, 0x20000001, 1, "TempFail", "421 4.7.0 try later");
	ck_assert_str_eq(S(a, V_FATE), "deferred");
	onward(vs, 70, 0x20000001, 0, "Ok", "250 2.0.0 Ok: queued as 4XyZ");
	onward(vs, 70, 0x20000001, 1, "Ok", "250 2.0.0 Ok: queued as 4XyZ");
	ck_assert_str_eq(S(a, V_FATE), "delivered");

	onward(vs, 12, 0x20000002, 0, "PermFail", "550 5.1.1 no such user");
	ck_assert_str_eq(S(b, V_FATE), "bounced");

	onward(vs, 13, 0x20000003, 0, "Ok", "250 2.0.0 Ok");
	ck_assert_str_eq(S(c, V_FATE), "delivered");
	onward(vs, 13, 0x20000003, 1, "PermFail", "550 5.1.1 no such user");
	ck_assert_str_eq(S(c, V_FATE), "bounced");

	/* the next hop's reply has an "id=" of its own (Exim's) */
	received(vs, 20, 0x1004, 0x10000004, "mx4.sender.example", 1);
	passed(vs, 21, "00001-04", "DDDDDDDDDDDD", 0x20000004);
	to_amavis_passed(vs, 21, 0x10000004, 0, 0x20000004);
	onward(vs, 22, 0x20000004, 0, "Ok", "250 OK id=1tXyZa-0001Ab-Cd");
	rowset_free(rs);
	rs = verdict_store_rows(vs);
	ck_assert_str_eq(S(row_of(rs, "00001-04", NULL), V_FATE),
	    "delivered");

	/* the story: received, handed to amavis, relayed onwards */
	ck_assert_ptr_nonnull(strstr(verdict_store_story(vs, a->key),
	    "10:00:10 smtpd: 00000000000000bb mta delivery "
	    "evpid=2000000100000001 "));
	ck_assert_ptr_nonnull(strstr(verdict_store_story(vs, a->key),
	    "10:01:10 smtpd: 00000000000000bb mta delivery "
	    "evpid=2000000100000002 "));
	ck_assert(starts(verdict_store_story(vs, a->key),
	    "10:00:00 smtpd: 0000000000001001 smtp connected address=192.0.2.7 "
	    "host=mx1.sender.example\n10:00:00 smtpd: 0000000000001001 smtp "
	    "message msgid=10000001 "));
	ck_assert_int_eq(verdict_store_newest(vs), T0 + 70);
	rowset_free(rs);
	verdict_store_free(vs);
}
END_TEST

/* Blocked mail, by log id; and a log id that comes back. */
START_TEST(test_blocked)
{
	struct verdict_store	*vs = verdict_store_new(VERDICTS_MAX);
	struct rowset		*rs;
	const struct row	*old, *b;

	received(vs, 0, 0x2001, 0x30000001, "spam.example", 2);
	blocked(vs, 1, "00002-01", "EEEEEEEEEEEE");
	to_amavis(vs, 1, 0x30000001, 0, "Ok",
	    "250 2.7.0 Ok, discarded, id=00002-01 - spam");
	to_amavis(vs, 1, 0x30000001, 1, "Ok",
	    "250 2.7.0 Ok, discarded, id=00002-01 - spam");
	rs = verdict_store_rows(vs);
	old = row_of(rs, "00002-01", "Blocked");
	ck_assert_int_eq(I(old, V_OMSGID), 0x30000001);
	ck_assert_str_eq(S(old, V_HELO), "spam.example");
	ck_assert_str_eq(S(old, V_FATE), "");
	ck_assert_ptr_eq(verdict_store_by_msgid(vs, 0x30000001), old);
	ck_assert_ptr_nonnull(strstr(verdict_store_story(vs, old->key),
	    "evpid=3000000100000002 "));

	/* amavis restarted, its pid came back: the same log id, later */
	received(vs, 3600, 0x2002, 0x30000002, "other.example", 1);
	blocked(vs, 3601, "00002-01", "FFFFFFFFFFFF");
	to_amavis(vs, 3601, 0x30000002, 0, "PermFail",
	    "554 5.6.0 Reject, id=00002-01 - BAD HEADER");
	rowset_free(rs);
	rs = verdict_store_rows(vs);
	ck_assert_uint_eq(rows_of(rs, "00002-01"), 2);
	b = rs->rows[1];
	ck_assert_str_eq(S(b, V_MAILID), "FFFFFFFFFFFF");
	ck_assert_int_eq(I(b, V_OMSGID), 0x30000002);
	ck_assert_str_eq(S(b, V_HELO), "other.example");
	ck_assert_ptr_eq(verdict_store_by_msgid(vs, 0x30000002), b);
	/* the old one is left alone */
	ck_assert_int_eq(I(old, V_OMSGID), 0x30000001);
	ck_assert_ptr_null(strstr(verdict_store_story(vs, old->key),
	    "30000002"));
	ck_assert_ptr_eq(verdict_store_by_msgid(vs, 0x30000001), old);
	rowset_free(rs);
	verdict_store_free(vs);
}
END_TEST

/* smtpd's line about a message before amavis's verdict on it. */
START_TEST(test_delivery_first)
{
	struct verdict_store	*vs = verdict_store_new(VERDICTS_MAX);
	struct rowset		*rs;
	const struct row	*p, *b;
	const char		*s;

	received(vs, 0, 0x3001, 0x40000001, "early.example", 1);
	to_amavis_passed(vs, 1, 0x40000001, 0, 0x50000001);
	passed(vs, 2, "00003-01", "GGGGGGGGGGGG", 0x50000001);
	onward(vs, 3, 0x50000001, 0, "Ok", "250 2.0.0 Ok");

	received(vs, 4, 0x3002, 0x40000002, "early2.example", 1);
	to_amavis(vs, 5, 0x40000002, 0, "Ok",
	    "250 2.7.0 Ok, discarded, id=00003-02 - spam");
	blocked(vs, 6, "00003-02", "HHHHHHHHHHHH");

	rs = verdict_store_rows(vs);
	p = row_of(rs, "00003-01", "Passed");
	b = row_of(rs, "00003-02", "Blocked");
	ck_assert_int_eq(I(p, V_QMSGID), 0x50000001);
	ck_assert_str_eq(S(p, V_FATE), "delivered");
	ck_assert_int_eq(I(p, V_OMSGID), 0x40000001);
	ck_assert_str_eq(S(p, V_HELO), "early.example");
	ck_assert_ptr_eq(verdict_store_by_msgid(vs, 0x40000001), p);
	s = verdict_store_story(vs, p->key);
	ck_assert_ptr_nonnull(strstr(s, "smtp connected"));
	ck_assert_ptr_nonnull(strstr(s, "evpid=4000000100000001 "));
	ck_assert_ptr_nonnull(strstr(s, "evpid=5000000100000001 "));
	ck_assert(strstr(s, "evpid=4000000100000001 ") <
	    strstr(s, "evpid=5000000100000001 "));
	ck_assert_int_eq(I(b, V_OMSGID), 0x40000002);
	ck_assert_str_eq(S(b, V_HELO), "early2.example");
	ck_assert_ptr_nonnull(strstr(verdict_store_story(vs, b->key),
	    "id=00003-02 - spam"));
	rowset_free(rs);

	/* the re-injected copy went onwards before amavis logged */
	received(vs, 7, 0x3003, 0x40000003, "early3.example", 1);
	smtpd(vs, 8, "0000000000003004 smtp message msgid=50000003 size=600 "
	    "nrcpt=1 proto=ESMTP");
	onward(vs, 8, 0x50000003, 0, "TempFail", "421 4.7.0 later");
	passed(vs, 9, "00003-03", "IIIIIIIIIIII", 0x50000003);
	to_amavis_passed(vs, 9, 0x40000003, 0, 0x50000003);
	/* a mixed fate, answered before either of its lines */
	received(vs, 10, 0x3005, 0x40000004, "early4.example", 2);
	to_amavis_passed(vs, 11, 0x40000004, 0, 0x50000004);
	to_amavis_passed(vs, 11, 0x40000004, 1, 0x50000004);
	passed(vs, 12, "00003-04", "JJJJJJJJJJJJ", 0x50000004);
	blocked(vs, 12, "00003-04", "JJJJJJJJJJJJ");
	rs = verdict_store_rows(vs);
	p = row_of(rs, "00003-03", "Passed");
	ck_assert_str_eq(S(p, V_FATE), "deferred");
	ck_assert_int_eq(I(p, V_OMSGID), 0x40000003);
	onward(vs, 70, 0x50000003, 0, "Ok", "250 2.0.0 Ok");
	ck_assert_str_eq(S(p, V_FATE), "delivered");
	p = row_of(rs, "00003-04", "Passed");
	b = row_of(rs, "00003-04", "Blocked");
	ck_assert_int_eq(I(p, V_OMSGID), 0x40000004);
	ck_assert_int_eq(I(b, V_OMSGID), 0x40000004);
	ck_assert_str_eq(S(b, V_HELO), "early4.example");
	ck_assert_ptr_nonnull(strstr(verdict_store_story(vs, p->key),
	    "evpid=4000000400000002 "));
	rowset_free(rs);
	verdict_store_free(vs);
}
END_TEST

/* A store of 2000 fed 5000 verdicts: the oldest go, memory later. */
START_TEST(test_eviction)
{
	struct verdict_store	*vs = verdict_store_new(2000);
	struct rowset		*prev = NULL, *cur = NULL;
	const struct row	*r;
	char			 logid[32], mailid[16], stat[128];
	char			 first_key[512];
	size_t			 i, n;

	for (i = 0; i < 5000; i++) {
		snprintf(logid, sizeof(logid), "%05zu-01", i);
		snprintf(mailid, sizeof(mailid), "M%011zu", i);
		received(vs, (int)i, 0x10000 + i, 0x60000000 + (uint32_t)i,
		    "h.example", 1);
		if (i % 3 == 2) {
			blocked(vs, (int)i, logid, mailid);
			snprintf(stat, sizeof(stat), "250 2.7.0 Ok, "
			    "discarded, id=%s - spam", logid);
			to_amavis(vs, (int)i, 0x60000000 + (uint32_t)i, 0,
			    "Ok", stat);
		} else {
			passed(vs, (int)i, logid, mailid,
			    0x70000000 + (uint32_t)i);
			to_amavis_passed(vs, (int)i, 0x60000000 + (uint32_t)i,
			    0, 0x70000000 + (uint32_t)i);
			onward(vs, (int)i + 1, 0x70000000 + (uint32_t)i, 0,
			    "Ok", "250 2.0.0 Ok");
		}
		ck_assert_uint_le(verdict_store_count(vs), 2000);
		if (i == 0) {
			cur = verdict_store_rows(vs);
			xstrlcpy(first_key, cur->rows[0]->key,
			    sizeof(first_key));
			ck_assert_ptr_eq(verdict_store_find(vs, first_key),
			    cur->rows[0]);
		}
		if (i % 700 == 699) {
			/*
			 * Rows evicted since: still there.  Then the set
			 * before the last may go, the last stays till next.
			 */
			rows_touch(prev);
			rows_touch(cur);
			rowset_free(prev);
			prev = cur;
			cur = verdict_store_rows(vs);
			rows_touch(prev);
			rows_touch(cur);
		}
	}
	ck_assert_uint_eq(verdict_store_count(vs), 2000);
	/* 3000 went, the last 100 since the last row set (at 4899) */
	ck_assert_uint_eq(verdict_store_evicted(vs), 100);
	rows_touch(prev);
	rows_touch(cur);
	rowset_free(prev);
	prev = cur;
	cur = verdict_store_rows(vs);
	ck_assert_uint_eq(verdict_store_evicted(vs), 0);
	rows_touch(prev);
	rows_touch(cur);
	rowset_free(prev);
	ck_assert_uint_eq(cur->nrows, 2000);
	/* oldest first: 3000 .. 4999 */
	ck_assert_str_eq(S(cur->rows[0], V_LOGID), "03000-01");
	ck_assert_str_eq(S(cur->rows[1999], V_LOGID), "04999-01");
	for (n = 1; n < 2000; n++)
		ck_assert_int_ge(I(cur->rows[n], V_TIME),
		    I(cur->rows[n - 1], V_TIME));
	/* the evicted: not found by key nor by msgid */
	ck_assert_ptr_null(verdict_store_find(vs, first_key));
	ck_assert_ptr_null(verdict_store_by_msgid(vs, 0x60000000));
	ck_assert_ptr_null(verdict_store_by_msgid(vs, 0x70000000));
	ck_assert_ptr_null(verdict_store_by_msgid(vs, 0x60000000 + 2999));
	ck_assert_ptr_null(verdict_store_story(vs, first_key));
	/* the kept: joined, found both ways, with a story */
	for (n = 0; n < 2000; n++) {
		r = cur->rows[n];
		ck_assert_ptr_eq(verdict_store_find(vs, r->key), r);
		ck_assert_ptr_eq(verdict_store_by_msgid(vs,
		    (uint32_t)(0x60000000 + 3000 + n)), r);
		if (I(r, V_QMSGID) != CELL_NONE) {
			ck_assert_ptr_eq(verdict_store_by_msgid(vs,
			    (uint32_t)I(r, V_QMSGID)), r);
			ck_assert_str_eq(S(r, V_FATE), "delivered");
		}
		ck_assert_ptr_nonnull(verdict_store_story(vs, r->key));
	}
	rowset_free(cur);
	verdict_store_free(vs);
}
END_TEST

/* Stories for the 2000 newest only; smaller stores than that work too. */
START_TEST(test_story_window)
{
	struct verdict_store	*vs = verdict_store_new(3000);
	struct rowset		*rs;
	char			 logid[32];
	size_t			 i;

	for (i = 0; i < 3500; i++) {
		snprintf(logid, sizeof(logid), "%05zu-02", i);
		received(vs, (int)i, 0x20000 + i, 0x61000000 + (uint32_t)i,
		    "h.example", 1);
		passed(vs, (int)i, logid, "MMMMMMMMMMMM",
		    0x71000000 + (uint32_t)i);
		to_amavis_passed(vs, (int)i, 0x61000000 + (uint32_t)i, 0,
		    0x71000000 + (uint32_t)i);
	}
	rs = verdict_store_rows(vs);
	ck_assert_uint_eq(rs->nrows, 3000);
	for (i = 0; i < 3000; i++) {
		ck_assert_int_eq(I(rs->rows[i], V_OMSGID),
		    0x61000000 + 500 + (int64_t)i);
		if (i < 1000)
			ck_assert_ptr_null(verdict_store_story(vs,
			    rs->rows[i]->key));
		else
			ck_assert_ptr_nonnull(strstr(verdict_store_story(vs,
			    rs->rows[i]->key), "smtp connected"));
	}
	rowset_free(rs);
	verdict_store_free(vs);

	/* fewer than 2000 kept: at most that many rows */
	vs = verdict_store_new(5);
	for (i = 0; i < 50; i++) {
		snprintf(logid, sizeof(logid), "%05zu-03", i);
		received(vs, (int)i, 0x30000 + i, 0x62000000 + (uint32_t)i,
		    "h.example", 1);
		passed(vs, (int)i, logid, "MMMMMMMMMMMM",
		    0x72000000 + (uint32_t)i);
		to_amavis_passed(vs, (int)i, 0x62000000 + (uint32_t)i, 0,
		    0x72000000 + (uint32_t)i);
		ck_assert_uint_le(verdict_store_count(vs), 5);
		if (i % 7 == 0)
			rowset_free(verdict_store_rows(vs));
	}
	rs = verdict_store_rows(vs);
	ck_assert_uint_eq(rs->nrows, 5);
	ck_assert_str_eq(S(rs->rows[0], V_LOGID), "00045-03");
	ck_assert_ptr_nonnull(strstr(verdict_store_story(vs,
	    rs->rows[4]->key), "msgid=62000031"));
	rowset_free(rs);
	verdict_store_free(vs);
}
END_TEST

/* Verdict-looking amavis lines that do not parse (test_amavis.c's). */
static const char *const bads[] = {
	"(x) Passed ",
	"(x) Passed {RelayedInbound}, <a@b> -> <c@d>",
	"(x) Passed clean {RelayedInbound}, <a@b> -> <c@d>",
	"(x) Passed CLEAN",
	"(x) Passed CLEAN {RelayedInbound",
	"(x) Passed CLEAN {RelayedInbound}, [127.0.0.1] <a@b>",
	"(x) Blocked INFECTED (Eicar {DiscardedInbound}, <a@b> -> <c@d>",
};

/* Not verdicts: amavis's other lines, other programs, no syslog frame. */
static const char *const notbad[] = {
	"2026-11-24T10:00:00+00:00 mx amavis[1]: starting. /usr/sbin/amavisd at mx.example.org amavis-2.13.0",
	"2026-11-24T10:00:00+00:00 mx amavis[1]: (06652-01) Checking: LjBZgTekWHzb [127.0.0.1] <a@b> -> <c@d>",
	"2026-11-24T10:00:00+00:00 mx amavis[1]: (04558-01) Passed CLEAN, <a@b> -> <c@d>, Hits: 1.3, tag=2, tag2=5, kill=10, fwd: 250 2.0.0 a434de9c Message accepted for delivery, L/0/0/0",
	"2026-11-24T10:00:00+00:00 mx amavis[1]: (rel-Ms_BSdKTh5OW) Quarantined message release (miscategorized): SkMBGGfgtCC1 <a@b> -> <c@d>",
	"2026-11-24T10:00:00+00:00 mx postfix/smtpd[1]: (x) Passed CLEAN",
	"2026-11-24T10:00:00+00:00 mx smtpd[1]: (x) Passed CLEAN",
	"2026-11-24T10:00:00+00:00 mx smtpd[1]: 0123 mta delivery evpid=zz",
	"2026-11-24T10:00:00+00:00 mx smtpd[1]: mta delivery",
	"2026-11-24T10:00:00+00:00 mx smtpd[1]: 0123456789abcdef smtp message msgid=",
	"2026-11-24T10:00:00+00:00 mx smtpd[1]: 0123456789abcdef mta delivery evpid=0123456789abcdef result=\"Ok\" stat=\"id=",
	"(x) Passed CLEAN {RelayedInbound}, <a@b> -> <c@d>, size: 1, 1 ms",
	"amavis[1]: (x) Passed CLEAN {RelayedInbound}, <a@b> -> <c@d>, size: 1",
	"Nov 99 10:00:00 mx amavis[1]: (x) Passed CLEAN",
	"",
	"\n",
	"2026-11-24T10:00:00+00:00",
	"2026-11-24T10:00:00+00:00 mx amavis[1]:",
	"2026-11-24T10:00:00+00:00 mx amavis[1]: ",
};

/* Bad means an amavis verdict that did not parse; the rest is ignored. */
START_TEST(test_bad)
{
	struct verdict_store	*vs = verdict_store_new(100);
	struct rowset		*rs;
	size_t			 i;

	for (i = 0; i < nitems(notbad); i++)
		feed(vs, notbad[i]);
	verdict_store_line(vs, NULL, 0);		/* overlong */
	verdict_store_flush(vs, INT64_MAX);
	ck_assert_uint_eq(verdict_store_bad(vs), 0);
	ck_assert_uint_eq(verdict_store_count(vs), 0);
	for (i = 0; i < nitems(bads); i++) {
		amavis(vs, (int)i, "%s", bads[i]);
		ck_assert_uint_eq(verdict_store_bad(vs), i + 1);
	}
	verdict_store_flush(vs, INT64_MAX);
	ck_assert_uint_eq(verdict_store_bad(vs), nitems(bads));
	ck_assert_uint_eq(verdict_store_count(vs), 0);
	rs = verdict_store_rows(vs);
	ck_assert_uint_eq(rs->nrows, 0);
	ck_assert_uint_eq(rs->nbad, nitems(bads));
	rowset_free(rs);
	/* the same messages from smtpd: not amavis's, not bad */
	for (i = 0; i < nitems(bads); i++)
		smtpd(vs, 0, "%s", bads[i]);
	ck_assert_uint_eq(verdict_store_bad(vs), nitems(bads));
	ck_assert_int_eq(verdict_store_newest(vs), T0 + (int)nitems(bads) - 1);
	verdict_store_free(vs);
	verdict_store_free(NULL);
}
END_TEST

static const char nul1[] = "2026-11-24T10:00:07+00:00 mx smtpd[9]: "
    "000000000000cafe mta delivery evpid=9000000400000001 from=<a\0b> "
    "to=<c@d> rcpt=<-> source=\"127.0.0.1\" relay=\"x\" delay=0s "
    "result=\"Ok\" stat=\"250\033[2J\0 id=00004-04\"";
static const char nul3[] = "2026-11-24T10:00:07+00:00 mx amavis[9]: "
    "(071\027\0-01) Passed CLEAN {RelayedInbound}, [127.0.0.1] <a@b> -> "
    "<c@d>, mail_id: M, Hits: 1, size: 2, 3 ms";
static const char nul2[] = "2026-11-24T10:00:07+00:00 mx amavis[9]: (\0) "
    "Passed \0";

/*
 * The arrow between sender and recipient is the UI's: "->" in the C
 * locale, U+2192 in UTF-8.  A sender that holds either stays the sender.
 */
START_TEST(test_route_arrow)
{
	struct verdict_store	*vs = verdict_store_new(10);
	struct rowset		*rs;
	const struct row	*r;
	char			 label[1024];

	unit_utf8_locale();
	amavis(vs, 1, "(00001-01) Passed CLEAN {RelayedInbound}, [127.0.0.1] "
	    "<\"a> -> <b\"@x.example> -> <c@d.example>,<e@f.example>, "
	    "mail_id: M1, Hits: 1, size: 2, 3 ms");
	amavis(vs, 2, "(00001-02) Passed CLEAN {RelayedInbound}, [127.0.0.1] "
	    "<\"a\xe2\x86\x92" "b\"@x.example> -> <c@d.example>, mail_id: M2, "
	    "Hits: 1, size: 2, 3 ms");
	rs = verdict_store_rows(vs);
	ck_assert_uint_eq(rs->nrows, 2);
	r = rs->rows[0];
	ck_assert_str_eq(S(r, V_FROM), "\"a> -> <b\"@x.example");
	ck_assert_str_eq(S(r, V_RCPTS), "<c@d.example> (+1)");
	ck_assert_str_eq(screen_text(r, "envelope"),
	    "<\"a> -> <b\"@x.example> \xe2\x86\x92 <c@d.example> (+1)");
	provider_verdicts.desc.row_label(r, label, sizeof(label));
	ck_assert_msg(strstr(label, " Passed CLEAN <\"a> -> <b\"@x.example> "
	    "\xe2\x86\x92 <c@d.example> (+1)") != NULL, "%s", label);
	r = rs->rows[1];
	ck_assert_str_eq(S(r, V_FROM), "\"a\xe2\x86\x92" "b\"@x.example");
	ck_assert_str_eq(screen_text(r, "envelope"),
	    "<\"a\xe2\x86\x92" "b\"@x.example> \xe2\x86\x92 <c@d.example>");

	/* C: our arrow is ASCII, the sender's bytes are the sender's */
	ck_assert_ptr_nonnull(setlocale(LC_ALL, "C"));
	ck_assert_str_eq(screen_text(rs->rows[0], "envelope"),
	    "<\"a> -> <b\"@x.example> -> <c@d.example> (+1)");
	ck_assert_str_eq(screen_text(r, "envelope"),
	    "<\"a\xe2\x86\x92" "b\"@x.example> -> <c@d.example>");
	rowset_free(rs);
	verdict_store_free(vs);
}
END_TEST

/* Bytes nobody should log: ESC, NUL, 8 KB, overlong fields. */
START_TEST(test_hostile)
{
	struct verdict_store	*vs = verdict_store_new(100);
	struct rowset		*rs;
	const struct row	*r;
	char			*big = malloc(65536), *p;
	size_t			 i, n;
	unsigned		 seed = 1;

	/* a client name with escapes, and one too long to keep */
	received(vs, 0, 0x4001, 0x80000001,
	    "\033[2J\033]0;pwned\007\233c.example", 1);
	passed(vs, 1, "\033[31m-01", "\033[1mXXXXXXXX", 0x90000001);
	to_amavis_passed(vs, 1, 0x80000001, 0, 0x90000001);
	memset(big, 'h', 300);
	big[300] = '\0';
	received(vs, 2, 0x4002, 0x80000002, big, 1);
	passed(vs, 3, "00004-02", "YYYYYYYYYYYY", 0x90000002);
	to_amavis_passed(vs, 3, 0x80000002, 0, 0x90000002);
	rs = verdict_store_rows(vs);
	ck_assert_uint_eq(rs->nrows, 2);
	r = rs->rows[0];
	ck_assert_str_eq(S(r, V_HELO), "\033[2J\033]0;pwned\007\233c.example");
	ck_assert_str_eq(S(r, V_LOGID), "\033[31m-01");
	ck_assert_ptr_eq(verdict_store_find(vs, r->key), r);
	r = rs->rows[1];
	ck_assert_uint_ge(strlen(S(r, V_HELO)), 32);
	ck_assert_uint_lt(strlen(S(r, V_HELO)), 128);
	ck_assert_int_eq(I(r, V_OMSGID), 0x80000002);
	rowset_free(rs);

	/* 8 KB: Subject, recipients, origin, category, log id */
	n = (size_t)snprintf(big, 65536, "2026-11-24T10:00:05+00:00 mx "
	    "amavis[9]: (00004-03) Passed CLEAN {RelayedInbound}, "
	    "[127.0.0.1] [192.0.2.1] /ESMTP <a@b> -> ");
	for (i = 0; i < 200; i++)
		n += (size_t)snprintf(big + n, 65536 - n, "%s<r%03zu@example."
		    "org>", i ? "," : "", i);
	n += (size_t)snprintf(big + n, 65536 - n, ", (), mail_id: M, b: x, "
	    "Hits: 1, size: 2, queued_as: 250 2.0.0 90000003 Message "
	    "accepted for delivery, Subject: \"");
	memset(big + n, 'S', 8192);
	n += 8192;
	n += (size_t)snprintf(big + n, 65536 - n, "\", From: <a@b>, helo=, "
	    "Tests: [T=1], 3 ms");
	feed_n(vs, big, n);
	ck_assert_uint_eq(verdict_store_count(vs), 3);

	/* an origin, a category and a log id far longer than amavis's */
	for (i = 0; i < 4; i++) {
		p = big;
		p += snprintf(p, 65536, "2026-11-24T10:00:06+00:00 mx "
		    "amavis[9]: (");
		memset(p, 'L', i & 1 ? 61 + i : 10 + i);
		p += i & 1 ? 61 + i : 10 + i;
		p += snprintf(p, 100, ") Blocked BANNED (");
		memset(p, 'c', i & 2 ? 6000 : 10);
		p += i & 2 ? 6000 : 10;
		p += snprintf(p, 100, ") {BouncedInbound}, [1] [");
		memset(p, '9', 8000);
		p += 8000;
		p += snprintf(p, 100, "] <a@b> -> <c@d>, mail_id: M, size: 1, "
		    "3 ms");
		feed_n(vs, big, (size_t)(p - big));
	}
	ck_assert_uint_eq(verdict_store_count(vs), 7);
	/* a log id longer than amavis's: not a verdict at all */
	n = verdict_store_bad(vs);
	memset(big + 200, 'L', 65);
	amavis(vs, 7, "(%.65s) Passed CLEAN {RelayedInbound}, <a@b> -> <c@d>, "
	    "size: 1, 3 ms", big + 200);
	ck_assert_uint_eq(verdict_store_count(vs), 7);
	ck_assert_uint_eq(verdict_store_bad(vs), n);
	rs = verdict_store_rows(vs);
	for (i = 0; i < rs->nrows; i++) {
		touch_row(rs->rows[i]);
		ck_assert_msg(verdict_store_find(vs, rs->rows[i]->key) ==
		    rs->rows[i], "row %zu: key \"%.60s\" finds another", i,
		    rs->rows[i]->key);
	}
	r = rs->rows[2];
	ck_assert_int_eq(I(r, V_QMSGID), 0x90000003);
	ck_assert_uint_eq(strlen(S(r, V_SUBJECT)), 8192);
	ck_assert_ptr_nonnull(strstr(S(r, V_TO), "r199@example.org"));
	ck_assert_str_eq(S(r, V_RCPTS), "<r000@example.org> (+199)");
	ck_assert_str_eq(screen_text(r, "envelope"),
	    "<a@b> -> <r000@example.org> (+199)");
	ck_assert_uint_ge(strlen(S(rs->rows[6], V_CATEGORY)), 6000);
	ck_assert_uint_eq(strlen(S(rs->rows[6], V_LOGID)), 64);
	rowset_free(rs);

	/* ESC and NUL bytes in every kind of line */
	n = (size_t)snprintf(big, 65536, "2026-11-24T10:00:07+00:00 mx "
	    "amavis[9]: (00004-04) Passed CLEAN {RelayedInbound}, [127.0.0.1]"
	    " <a\033@b> -> <c@d>, mail_id: M, Hits: 1, size: 2, queued_as: "
	    "250 2.0.0 90000004 Message accepted for delivery, 3 ms");
	big[n - 20] = '\0';
	feed_n(vs, big, n);
	feed_n(vs, nul1, sizeof(nul1) - 1);
	feed_n(vs, nul2, sizeof(nul2) - 1);
	/* a NUL in the log id: a verdict no key could name, bad */
	n = verdict_store_bad(vs);
	i = verdict_store_count(vs);
	feed_n(vs, nul3, sizeof(nul3) - 1);
	ck_assert_uint_eq(verdict_store_bad(vs), n + 1);
	ck_assert_uint_eq(verdict_store_count(vs), i);
	/* and garbage: random bytes, then random bytes behind a frame */
	for (i = 0; i < 2000; i++) {
		n = (size_t)(rand_r(&seed) % 8192);
		for (p = big; p < big + n + 64; p++)
			*p = (char)rand_r(&seed);
		if (i & 1)
			memcpy(big, i & 2 ? "2026-11-24T10:00:08+00:00 mx "
			    "amavis[9]: (1) Passed " : "2026-11-24T10:00:08"
			    "+00:00 mx smtpd[9]: 0123456789abcdef mta ", 50);
		feed_n(vs, big, n + 64);
	}
	verdict_store_flush(vs, INT64_MAX);
	rs = verdict_store_rows(vs);
	ck_assert_uint_le(rs->nrows, 100);
	for (i = 0; i < rs->nrows; i++)
		touch_row(rs->rows[i]);
	ck_assert_uint_ge(verdict_store_bad(vs), 1);
	rowset_free(rs);
	free(big);
	verdict_store_free(vs);
}
END_TEST


/* A release in the captured log: its copy found, delivered. */
START_TEST(test_release_fixture)
{
	struct verdict_store	*vs = verdict_store_new(VERDICTS_MAX);
	const struct release	*rel;
	const struct row	*r;

	set_tz("UTC");
	wallclock_pin(1795528800);	/* 2026-11-24 14:00 UTC */
	feed_file(vs, "maillog-mixed.txt");
	rel = verdict_store_release(vs, "GLajmRgYezGf");
	ck_assert_ptr_nonnull(rel);
	ck_assert_str_eq(rel->relid, "rel-Cnw6YqjlFCv7");
	ck_assert_str_eq(rel->feedback, "miscategorized");
	ck_assert_str_eq(rel->sender, "spammer@spam.example");
	ck_assert_str_eq(rel->rcpts, "<bob@example.org>");
	ck_assert_uint_eq(rel->count, 1);
	ck_assert_int_eq(rel->has_copy, 1);
	ck_assert_uint_eq(rel->copy, 0x24b95bcc);
	ck_assert_int_eq(rel->nok, 1);
	ck_assert_int_eq(rel->ntemp + rel->nperm, 0);
	/* received on its own session, then relayed onwards */
	ck_assert_ptr_nonnull(strstr(rel->story, "13:57:59 smtpd: "
	    "7da64a60030e07c7 smtp message msgid=24b95bcc "));
	ck_assert_ptr_nonnull(strstr(rel->story, "mta delivery "
	    "evpid=24b95bcccaa12b78 "));
	ck_assert_ptr_null(strstr(rel->story, "evpid=2fc13d17"));
	/* no other message was released; the verdict is found by mail_id */
	ck_assert_ptr_null(verdict_store_release(vs, "AAAAAAAAAAAA"));
	r = verdict_store_by_mailid(vs, "GLajmRgYezGf");
	ck_assert_ptr_nonnull(r);
	ck_assert_str_eq(S(r, V_VERDICT), "Blocked SPAM");
	ck_assert_ptr_null(verdict_store_by_mailid(vs, "nonexistent0"));
	verdict_store_free(vs);
	wallclock_unpin();
}
END_TEST

static void
release_line(struct verdict_store *vs, int sec, const char *relid,
    const char *mailid, const char *rcpts)
{
	amavis(vs, sec, "(rel-%s) Quarantined message release "
	    "(miscategorized): %s <s@spam.example> -> %s", relid, mailid,
	    rcpts);
}

/* smtpd receives msgid from s@spam.example for rcpt, on loopback. */
static void
copy_received(struct verdict_store *vs, int sec, uint64_t sess,
    uint32_t msgid, const char *rcpt)
{
	smtpd(vs, sec, "%016llx smtp connected address=127.0.0.1 "
	    "host=localhost", (unsigned long long)sess);
	smtpd(vs, sec, "%016llx smtp message msgid=%08x size=900 nrcpt=1 "
	    "proto=ESMTP", (unsigned long long)sess, msgid);
	smtpd(vs, sec, "%016llx smtp envelope evpid=%08x00000001 "
	    "from=<s@spam.example> to=<%s>", (unsigned long long)sess,
	    msgid, rcpt);
}

static void
copy_onward(struct verdict_store *vs, int sec, uint32_t msgid,
    const char *rcpt, const char *result)
{
	smtpd(vs, sec, "00000000000000cc mta delivery evpid=%08x00000001 "
	    "from=<s@spam.example> to=<%s> rcpt=<-> source=\"127.0.0.1\" "
	    "relay=\"192.0.2.99 (mx.example.net)\" delay=1s result=\"%s\" "
	    "stat=\"%s\"", msgid, rcpt, result, strcmp(result, "Ok") == 0 ?
	    "250 2.0.0 Ok" : "421 4.7.0 try later");
}

/*
 * How a copy is told from other mail: its sender, a released recipient,
 * within seconds; whichever line comes first.  Not a copy: another
 * sender, another recipient, too late, or amavis's own re-injection.
 */
START_TEST(test_release_copy)
{
	struct verdict_store	*vs = verdict_store_new(VERDICTS_MAX);
	const struct release	*rel;
	unsigned		 gen;

	/* 1: release line first; a stranger's mail first, then the copy */
	blocked(vs, 0, "00001-01", "AAAAAAAAAAA1");
	gen = verdict_store_release_gen(vs);
	release_line(vs, 100, "RRRRRRRRRRR1", "AAAAAAAAAAA1",
	    "<bob@example.org>,<carol@example.org>");
	ck_assert_uint_ne(verdict_store_release_gen(vs), gen);
	received(vs, 100, 0x1001, 0x30000001, "x", 1);	/* alice@ */
	copy_received(vs, 100, 0x1002, 0x30000002, "dave@example.org");
	copy_received(vs, 101, 0x1003, 0x30000003, "Carol@Example.ORG");
	rel = verdict_store_release(vs, "AAAAAAAAAAA1");
	ck_assert_ptr_nonnull(rel);
	ck_assert_int_eq(rel->has_copy, 1);
	ck_assert_uint_eq(rel->copy, 0x30000003);
	gen = verdict_store_release_gen(vs);
	copy_onward(vs, 110, 0x30000003, "Carol@Example.ORG", "TempFail");
	ck_assert_int_eq(rel->ntemp, 1);
	ck_assert_uint_ne(verdict_store_release_gen(vs), gen);
	copy_onward(vs, 200, 0x30000003, "Carol@Example.ORG", "Ok");
	ck_assert_int_eq(rel->nok, 1);
	ck_assert(starts(rel->story, "10:01:41 smtpd: 0000000000001003 smtp "
	    "connected address=127.0.0.1 host=localhost\n"));

	/* 2: the copy's lines first (syslog merges processes as it will) */
	copy_received(vs, 300, 0x1004, 0x30000004, "bob@example.org");
	release_line(vs, 301, "RRRRRRRRRRR2", "AAAAAAAAAAA2",
	    "<bob@example.org>");
	rel = verdict_store_release(vs, "AAAAAAAAAAA2");
	ck_assert_int_eq(rel->has_copy, 1);
	ck_assert_uint_eq(rel->copy, 0x30000004);

	/* 3: too late, 60 s after the release */
	release_line(vs, 400, "RRRRRRRRRRR3", "AAAAAAAAAAA3",
	    "<bob@example.org>");
	copy_received(vs, 460, 0x1005, 0x30000005, "bob@example.org");
	ck_assert_int_eq(verdict_store_release(vs, "AAAAAAAAAAA3")->has_copy,
	    0);

	/* 4: what fitted was amavis's re-injection of another message:
	 * untied when its verdict names it, and the real copy still fits */
	release_line(vs, 500, "RRRRRRRRRRR4", "AAAAAAAAAAA4",
	    "<bob@example.org>");
	copy_received(vs, 500, 0x1006, 0x30000006, "bob@example.org");
	rel = verdict_store_release(vs, "AAAAAAAAAAA4");
	ck_assert_uint_eq(rel->copy, 0x30000006);
	amavis(vs, 501, "(00002-01) Passed CLEAN {RelayedInbound}, "
	    "[127.0.0.1] [192.0.2.7] <s@spam.example> -> <bob@example.org>, "
	    "mail_id: QQQQQQQQQQQQ, Hits: 1.3, size: 500, queued_as: 250 "
	    "2.0.0 30000006 Message accepted for delivery, 10 ms");
	ck_assert_int_eq(rel->has_copy, 0);
	copy_received(vs, 502, 0x1007, 0x30000007, "bob@example.org");
	ck_assert_int_eq(rel->has_copy, 1);
	ck_assert_uint_eq(rel->copy, 0x30000007);

	/* 5: released again: the new copy, counted twice */
	release_line(vs, 600, "RRRRRRRRRRR5", "AAAAAAAAAAA1",
	    "<bob@example.org>");
	rel = verdict_store_release(vs, "AAAAAAAAAAA1");
	ck_assert_uint_eq(rel->count, 2);
	ck_assert_str_eq(rel->relid, "rel-RRRRRRRRRRR5");
	ck_assert_int_eq(rel->has_copy, 0);
	ck_assert_int_eq(rel->nok, 0);
	copy_received(vs, 601, 0x1008, 0x30000008, "bob@example.org");
	ck_assert_uint_eq(rel->copy, 0x30000008);

	/* 6: released 15 s after it came: the message itself, from that
	 * sender to that recipient, is not its copy */
	copy_received(vs, 700, 0x1009, 0x30000009, "bob@example.org");
	blocked(vs, 701, "00003-01", "AAAAAAAAAAA6");
	to_amavis(vs, 701, 0x30000009, 0, "Ok", "250 2.7.0 Ok, discarded, "
	    "id=00003-01 - SPAM");
	release_line(vs, 715, "RRRRRRRRRRR6", "AAAAAAAAAAA6",
	    "<bob@example.org>");
	rel = verdict_store_release(vs, "AAAAAAAAAAA6");
	ck_assert_int_eq(rel->has_copy, 0);
	copy_received(vs, 716, 0x100a, 0x3000000a, "bob@example.org");
	ck_assert_uint_eq(rel->copy, 0x3000000a);

	/* 7: and when it was released within a second of coming: the
	 * verdict knows which message smtpd received it as */
	copy_received(vs, 800, 0x100b, 0x3000000b, "bob@example.org");
	blocked(vs, 800, "00004-01", "AAAAAAAAAAA7");
	to_amavis(vs, 800, 0x3000000b, 0, "Ok", "250 2.7.0 Ok, discarded, "
	    "id=00004-01 - SPAM");
	release_line(vs, 801, "RRRRRRRRRRR7", "AAAAAAAAAAA7",
	    "<bob@example.org>");
	rel = verdict_store_release(vs, "AAAAAAAAAAA7");
	ck_assert_int_eq(rel->has_copy, 0);
	copy_received(vs, 801, 0x100c, 0x3000000c, "bob@example.org");
	ck_assert_uint_eq(rel->copy, 0x3000000c);

	/* 8: released to another address: nothing in the log ties the copy
	 * to it, amavisd-release's reply does, before or after its lines */
	release_line(vs, 900, "RRRRRRRRRRR8", "AAAAAAAAAAA8",
	    "<bob@example.org>");
	copy_received(vs, 900, 0x100d, 0x3000000d, "alt@example.net");
	copy_onward(vs, 901, 0x3000000d, "alt@example.net", "TempFail");
	rel = verdict_store_release(vs, "AAAAAAAAAAA8");
	ck_assert_int_eq(rel->has_copy, 0);
	verdict_store_expect_copy(vs, "AAAAAAAAAAA8", 0x3000000d);
	ck_assert_int_eq(rel->has_copy, 1);
	ck_assert_uint_eq(rel->copy, 0x3000000d);
	ck_assert_int_eq(rel->ntemp, 1);	/* its lines so far */
	ck_assert_ptr_nonnull(strstr(rel->story, "smtp message "
	    "msgid=3000000d "));
	copy_onward(vs, 960, 0x3000000d, "alt@example.net", "Ok");
	ck_assert_str_eq(release_log_fate(rel), "delivered");
	/* the reply read before amavis' line about the release */
	verdict_store_expect_copy(vs, "AAAAAAAAAAA9", 0x3000000e);
	copy_received(vs, 1000, 0x100e, 0x3000000e, "alt@example.net");
	release_line(vs, 1000, "RRRRRRRRRRR9", "AAAAAAAAAAA9",
	    "<bob@example.org>");
	rel = verdict_store_release(vs, "AAAAAAAAAAA9");
	ck_assert_int_eq(rel->has_copy, 1);
	ck_assert_uint_eq(rel->copy, 0x3000000e);
	ck_assert_ptr_nonnull(strstr(rel->story, "to=<alt@example.net>"));
	verdict_store_free(vs);
}
END_TEST

/* A NUL in the client's address (the fuzzer's): the row's key finds it. */
START_TEST(test_nul_in_ip)
{
	static const char	 line[] = "2026-11-24T10:00:00.000000+00:00 mx "
	    "amavis[4242]: (00009-01) Passed CLEAN {RelayedInbound}, "
	    "[127.0.0.1] [192.0\0.2.7] <a@b.example> -> <c@d.example>, "
	    "mail_id: NNNNNNNNNNNN, Hits: 1, size: 5, 1 ms";
	struct verdict_store	*vs = verdict_store_new(VERDICTS_MAX);
	struct rowset		*rs;

	feed_n(vs, line, sizeof(line) - 1);
	rs = verdict_store_rows(vs);
	ck_assert_uint_eq(rs->nrows, 1);
	ck_assert_ptr_eq(verdict_store_find(vs, rs->rows[0]->key),
	    rs->rows[0]);
	rowset_free(rs);
	verdict_store_free(vs);
}
END_TEST

/* amavisd-release answered before mhtop read a line of the log. */
START_TEST(test_release_expect_first)
{
	struct verdict_store	*vs = verdict_store_new(VERDICTS_MAX);
	const struct release	*rel;

	wallclock_pin(T0 + 5);
	verdict_store_expect_copy(vs, "AAAAAAAAAAA1", 0x30000001);
	release_line(vs, 0, "RRRRRRRRRRR1", "AAAAAAAAAAA1",
	    "<bob@example.org>");
	copy_received(vs, 0, 0x1001, 0x30000001, "alt@example.net");
	copy_onward(vs, 1, 0x30000001, "alt@example.net", "Ok");
	rel = verdict_store_release(vs, "AAAAAAAAAAA1");
	ck_assert_ptr_nonnull(rel);
	ck_assert_int_eq(rel->has_copy, 1);
	ck_assert_uint_eq(rel->copy, 0x30000001);
	ck_assert_str_eq(release_log_fate(rel), "delivered");
	wallclock_unpin();
	verdict_store_free(vs);
}
END_TEST

/* The line's shapes: null sender, quoted local part, excluded, bad. */
START_TEST(test_release_parse)
{
	static const struct {
		const char	*line;
		int		 want;
		const char	*mailid, *sender, *rcpts;
		size_t		 n;
	} t[] = {
		{ "(rel-Ms_BSdKTh5OW) Quarantined message release "
		  "(miscategorized): SkMBGGfgtCC1 <spammer@spam.example> -> "
		  "<bob@example.org>", 1, "SkMBGGfgtCC1",
		  "spammer@spam.example", "<bob@example.org>", 1 },
		{ "(rel-x) Quarantined message release (miscategorized): "
		  "ab-_CDEFGHIJ <> -> <a@b.example>,<\"c d>,e\"@f.example>, "
		  "(excluded: <g@h.example> )", 1, "ab-_CDEFGHIJ", "",
		  "<a@b.example>,<\"c d>,e\"@f.example>", 2 },
		{ "(rel-x) Quarantined message release (miscategorized): "
		  "ABC <\"a >> b\"@c.example> -> <d@e.example>", 1, "ABC",
		  "\"a >> b\"@c.example", "<d@e.example>", 1 },
		{ "(rel-p0n1HUubFZ93) Quarantined message report (abuse): "
		  "w3HyKKL6fqcf <alice@sender.example> -> <bob@example.org>",
		  1, "w3HyKKL6fqcf", "alice@sender.example",
		  "<bob@example.org>", 1 },
		{ "(rel-x) Quarantined message release (miscategorized): "
		  "bad$id <a@b> -> <c@d>", -1, NULL, NULL, NULL, 0 },
		{ "(rel-x) Quarantined message release (miscategorized): "
		  "AAAA <a@b> ->", -1, NULL, NULL, NULL, 0 },
		{ "(rel-x) Quarantined message release", -1, NULL, NULL, NULL,
		  0 },
		{ "(rel-DA0KoynmFDuN) (!!)policy_server FAILED: File "
		  "/var/virusmails/spam-SkMBGGfgtCC1.gz does not exist", 0,
		  NULL, NULL, NULL, 0 },
		{ "Quarantined message release (x): A <a@b> -> <c@d>", 0,
		  NULL, NULL, NULL, 0 },
	};
	struct av_release	 r;
	struct ml_frame		 fr;
	char			 buf[512];
	size_t			 i;

	for (i = 0; i < nitems(t); i++) {
		memset(&fr, 0, sizeof(fr));
		fr.time = 42;
		snprintf(buf, sizeof(buf), "%s", t[i].line);
		fr.msg = buf;
		fr.msglen = strlen(buf);
		ck_assert_int_eq(amavis_parse_release(&r, &fr), t[i].want);
		if (t[i].want != 1)
			continue;
		ck_assert_int_eq(r.time, 42);
		ck_assert(r.mail_id.len == strlen(t[i].mailid) &&
		    memcmp(r.mail_id.p, t[i].mailid, r.mail_id.len) == 0);
		ck_assert(r.sender.len == strlen(t[i].sender) &&
		    memcmp(r.sender.p, t[i].sender, r.sender.len) == 0);
		ck_assert_msg(r.rcpts.len == strlen(t[i].rcpts) &&
		    memcmp(r.rcpts.p, t[i].rcpts, r.rcpts.len) == 0,
		    "rcpts %.*s", (int)r.rcpts.len, r.rcpts.p);
		ck_assert_uint_eq(r.nrcpts, t[i].n);
	}
}
END_TEST

static Suite *
verdicts_suite(void)
{
	Suite	*s = suite_create("verdicts");
	TCase	*tc;

	tc = tcase_create("fixtures");
	tcase_set_timeout(tc, 60);
	tcase_add_loop_test(tc, test_fixture_rows, 0, (int)nitems(tsv_files));
	tcase_add_loop_test(tc, test_fixture_joins, 0,
	    (int)nitems(join_files));
	tcase_add_loop_test(tc, test_stories, 0, 5);
	tcase_add_test(tc, test_mixed_fate);
	tcase_add_test(tc, test_same_key);
	tcase_add_test(tc, test_dup_outcomes);
	tcase_add_test(tc, test_same_key_many);
	tcase_add_test(tc, test_slice_time);
	tcase_add_test(tc, test_same_message_many);
	tcase_add_test(tc, test_since);
	tcase_add_test(tc, test_preview);
	tcase_add_loop_test(tc, test_new_year_pane, 0, 2);
	tcase_add_loop_test(tc, test_split, 0, 3);
	suite_add_tcase(s, tc);

	tc = tcase_create("joins");
	tcase_add_test(tc, test_fate);
	tcase_add_test(tc, test_blocked);
	tcase_add_test(tc, test_delivery_first);
	tcase_add_test(tc, test_release_fixture);
	tcase_add_test(tc, test_release_copy);
	tcase_add_test(tc, test_release_expect_first);
	tcase_add_test(tc, test_nul_in_ip);
	tcase_add_test(tc, test_release_parse);
	suite_add_tcase(s, tc);

	tc = tcase_create("limits");
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, test_eviction);
	tcase_add_test(tc, test_story_window);
	tcase_add_test(tc, test_bad);
	tcase_add_test(tc, test_hostile);
	tcase_add_test(tc, test_route_arrow);
	tcase_add_test(tc, test_time_column);
	tcase_add_loop_test(tc, test_empty_reason, 0, 5);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	set_tz("UTC");
	return unit_run(verdicts_suite());
}
