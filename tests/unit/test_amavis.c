/*
 * The mail log framing, the split-line joiner and amavisd-new's verdict
 * line, on the captures in tests/fixtures/amavis (see its README.md; the
 * expected verdicts are verdicts.tsv, made by gen-verdicts.py) and on
 * hostile lines.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "maillog.h"
#include "unit.h"

#define AFIX(name)	FIXTURES "/amavis/" name

/* 2026-11-24 12:56:40 UTC: the fixtures were captured that afternoon */
#define NOW		1795525000

#define S_EQ(s, lit) do {						\
	struct ml_str	 s_ = (s);					\
	ck_assert_msg(ml_str_eq(s_, (lit)), "%s: \"%.*s\", not \"%s\"",	\
	    #s, (int)s_.len, s_.p, (lit));				\
} while (0)

/* The line, alone in a buffer of its size (ASan sees overreads). */
static char	*held;

static char *
hold(const char *s, size_t len)
{
	free(held);
	held = malloc(len ? len : 1);
	ck_assert_ptr_nonnull(held);
	memcpy(held, s, len);
	return held;
}

static int
frame(struct ml_clock *c, const char *line, struct ml_frame *fr)
{
	size_t	 len = strlen(line);

	return ml_frame_parse(c, hold(line, len), len, fr);
}

/* One amavis line, framed at NOW and parsed. */
static int
one(const char *line, struct av_verdict *v)
{
	struct ml_clock	 c;
	struct ml_frame	 fr;

	ml_clock_init(&c, NOW);
	ck_assert_int_eq(frame(&c, line, &fr), 0);
	ck_assert_int_eq(fr.kind, ML_AMAVIS);
	return amavis_parse_line(v, &fr);
}

/* Just the message: framed as if from amavis[1]. */
static int
msgn(const char *m, size_t len, struct av_verdict *v)
{
	struct ml_frame	 fr;

	memset(&fr, 0, sizeof(fr));
	fr.time = NOW;
	fr.kind = ML_AMAVIS;
	fr.pid = 1;
	fr.msg = hold(m, len);
	fr.msglen = len;
	return amavis_parse_line(v, &fr);
}

static int
msg(const char *m, struct av_verdict *v)
{
	return msgn(m, strlen(m), v);
}

static void
set_tz(const char *tz)
{
	setenv("TZ", tz, 1);
	tzset();
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

static const char *const colname[C_NCOLS] = {
	"file", "time", "logid", "disp", "category", "actions", "bank",
	"local", "client", "origin", "proto", "sender", "nrcpts",
	"rcpt_first", "rcpt_last", "trace", "quarantine", "message_id",
	"mail_id", "body", "hits", "size", "queued_id", "subject",
	"subject_raw", "from", "helo", "tests", "wbl", "banning",
	"autolearn", "elapsed",
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

static void
num(char *b, size_t sz, int64_t v)
{
	if (v == CELL_NONE)
		snprintf(b, sz, "-");
	else
		snprintf(b, sz, "%lld", (long long)v);
}

static void
check_col(const struct expect *e, int c, struct ml_str got, size_t k)
{
	ck_assert_msg(ml_str_eq(got, e->col[c]),
	    "%s verdict %zu (%s): %s is \"%.*s\", not \"%s\"", e->col[C_FILE],
	    k, e->col[C_LOGID], colname[c], (int)got.len, got.p, e->col[c]);
}

static void
check_num(const struct expect *e, int c, int64_t v, size_t k)
{
	char		 b[32];
	struct ml_str	 s;

	num(b, sizeof(b), v);
	s.p = b;
	s.len = strlen(b);
	check_col(e, c, s, k);
}

static void
check_verdict(const struct expect *e, const struct av_verdict *v, size_t k)
{
	struct ml_str	 rest = v->rcpts, r, first, last;
	static const char empty[] = "";

	first.p = last.p = empty;
	first.len = last.len = 0;
	while (av_rcpt_next(&rest, &r)) {
		if (first.len == 0)
			first = r;
		last = r;
	}
	check_num(e, C_TIME, v->time, k);
	check_col(e, C_LOGID, v->logid, k);
	ck_assert_str_eq(v->blocked ? "Blocked" : "Passed", e->col[C_DISP]);
	check_col(e, C_CATEGORY, v->category, k);
	check_col(e, C_ACTIONS, v->actions, k);
	check_col(e, C_BANK, v->bank, k);
	check_num(e, C_LOCAL, v->local, k);
	check_col(e, C_CLIENT, v->client, k);
	check_col(e, C_ORIGIN, v->origin, k);
	check_col(e, C_PROTO, v->proto, k);
	check_col(e, C_SENDER, v->sender, k);
	check_num(e, C_NRCPTS, (int64_t)v->nrcpts, k);
	check_col(e, C_RCPT_FIRST, first, k);
	check_col(e, C_RCPT_LAST, last, k);
	check_col(e, C_TRACE, v->trace, k);
	check_col(e, C_QUARANTINE, v->quarantine, k);
	check_col(e, C_MESSAGE_ID, v->message_id, k);
	check_col(e, C_MAIL_ID, v->mail_id, k);
	check_col(e, C_BODY, v->body_digest, k);
	check_num(e, C_HITS, v->hits, k);
	check_num(e, C_SIZE, v->size, k);
	check_col(e, C_QUEUED_ID, v->queued_id, k);
	check_col(e, C_SUBJECT, v->subject, k);
	check_col(e, C_SUBJECT_RAW, v->subject_raw, k);
	check_col(e, C_FROM, v->from, k);
	check_col(e, C_HELO, v->helo, k);
	check_col(e, C_TESTS, v->tests, k);
	check_num(e, C_WBL, v->wbl, k);
	check_col(e, C_BANNING, v->banning, k);
	check_col(e, C_AUTOLEARN, v->autolearn, k);
	check_num(e, C_ELAPSED, v->elapsed, k);
	ck_assert_int_eq(v->hits_max, v->hits);
	ck_assert(!(v->flags & AV_F_PARTIAL));
	ck_assert_int_eq(!!(v->flags & AV_F_VERBOSE),
	    e->col[C_BODY][0] != '\0');
}

/*
 * Every fixture with verdict lines: its per-recipient lines, its lines
 * joined back, and the continuation pieces that went into them.
 */
static const struct fixture {
	const char	*file;
	size_t		 recip;
	size_t		 joined;
	size_t		 pieces;
} fixtures[] = {
	{ "amavis-file-short.log", 51, 0, 0 },
	{ "amavis-file-verbose.log", 51, 0, 0 },
	{ "amavis-file-loglevel2.log", 2, 0, 0 },
	{ "amavis-syslog-datagrams-short.txt", 7, 0, 0 },
	{ "amavis-syslog-datagrams-verbose.txt", 39, 1, 2 },
	{ "amavis-syslog-verbose-openbsd.txt", 39, 1, 2 },
	{ "maillog-mixed.txt", 51, 1, 1 },
	{ "maillog-mixed.datagrams.txt", 51, 1, 1 },
	{ "maillog-mixed-rsyslog.txt", 51, 1, 1 },
	{ "maillog-mixed-hashed.txt", 47, 1, 1 },
	{ "maillog-mixed-hashed.datagrams.txt", 47, 1, 1 },
};

struct tally {
	size_t	 verdicts;
	size_t	 recip;
	size_t	 other;
	size_t	 bad;
};

static void
drain(struct ml_join *j, const struct expect *e, size_t ne,
    struct tally *t)
{
	struct ml_frame		 o;
	struct av_verdict	 v;

	while (ml_join_next(j, &o)) {
		switch (amavis_parse_line(&v, &o)) {
		case AV_VERDICT:
			ck_assert_msg(t->verdicts < ne, "%s: verdict %.*s "
			    "not expected", e[0].col[C_FILE], (int)v.logid.len,
			    v.logid.p);
			check_verdict(&e[t->verdicts], &v, t->verdicts);
			t->verdicts++;
			break;
		case AV_RECIP:
			t->recip++;
			break;
		case AV_OTHER:
			t->other++;
			break;
		default:
			ck_abort_msg("bad amavis line: %.*s", (int)o.msglen,
			    o.msg);
		}
	}
}

START_TEST(test_fixture_verdicts)
{
	const struct fixture	*fx = &fixtures[_i];
	struct ml_clock		 c;
	struct ml_frame		 fr;
	struct ml_join		*j = ml_join_new();
	struct expect		*e;
	struct tally		 t;
	char			 path[512], *ebuf, *buf, *p, *nl, *line;
	size_t			 ne, len, lines = 0, amavis = 0, counted = 0;

	set_tz("UTC");
	memset(&t, 0, sizeof(t));
	e = load_expected(fx->file, &ne, &ebuf);
	ck_assert_uint_gt(ne, 0);
	snprintf(path, sizeof(path), "%s/amavis/%s", FIXTURES, fx->file);
	buf = unit_slurp(path, &len);
	ml_clock_init(&c, NOW);
	for (p = buf; p < buf + len; p = nl + 1) {
		if ((nl = memchr(p, '\n', (size_t)(buf + len - p))) == NULL)
			nl = buf + len;
		lines++;
		counted += amavis_verdict_line(p, (size_t)(nl - p));
		line = malloc((size_t)(nl - p) + 1);
		memcpy(line, p, (size_t)(nl - p));
		ck_assert_int_eq(ml_frame_parse(&c, line, (size_t)(nl - p),
		    &fr), 0);
		if (fr.kind == ML_AMAVIS) {
			amavis++;
			ml_join_push(j, &fr);
			drain(j, e, ne, &t);
		} else if (fr.kind == ML_OTHER)
			ck_assert_int_eq(fr.time, CELL_NONE);
		free(line);
	}
	ml_join_flush(j, INT64_MAX);
	drain(j, e, ne, &t);
	ck_assert_uint_eq(t.verdicts, ne);
	/* what a limit on the history counts, without parsing */
	ck_assert_uint_eq(counted, ne);
	ck_assert_uint_eq(t.recip, fx->recip);
	ck_assert_uint_eq(t.bad, 0);
	ck_assert_uint_eq(ml_join_stats(j)->joined, fx->joined);
	ck_assert_uint_eq(ml_join_stats(j)->truncated, 0);
	ck_assert_uint_eq(ml_join_stats(j)->headless, 0);
	ck_assert_uint_eq(t.verdicts + t.recip + t.other + fx->pieces, amavis);
	free(buf);
	free(ebuf);
	free(e);
	ml_join_free(j);
}
END_TEST

/*
 * tests/fixtures/amavis/wild: lines of other versions and sites (see its
 * README.md).  Every line that looks like a verdict ("(ID) Passed " or
 * "Blocked ") is a verdict, a per-recipient line or counted bad: none
 * goes without a trace.
 */
static const struct wild {
	const char	*file;
	size_t		 verdicts, recip, other, bad;
} wilds[] = {
	{ "pflogstats.log", 2, 0, 1, 0 },
	{ "ubuntuforums-2007-01-29.log", 1, 0, 0, 0 },
	{ "ubuntuforums-2007-07-21.log", 1, 0, 0, 0 },
	{ "ubuntuforums-2008-06-03.log", 2, 0, 0, 0 },
	{ "ubuntuforums-2008-11-15.log", 1, 0, 2, 0 },
	{ "ubuntuforums-2009-06-26.log", 1, 0, 2, 0 },
	{ "ubuntuforums-2011-04-15.log", 1, 0, 0, 0 },
	{ "ubuntuforums-2012-02-07.log", 1, 0, 0, 0 },
	{ "zentyal-loghelper-test.log", 0, 13, 0, 0 },
	{ "zentyal-loghelper.log", 2, 0, 0, 0 },
	{ "rgevaert-grok-patterns.log", 4, 0, 0, 0 },
	{ "ninech-logstash-patterns.txt", 4, 0, 0, 0 },
};

#define NONE	CELL_NONE

static const struct wild_expect {
	const char	*file, *logid, *category, *bank, *client, *origin;
	const char	*sender, *quarantine, *mail_id, *queued_id, *subject;
	int64_t		 hits, size, elapsed;
} wild_expects[] = {
	/* 2.2/2.3: "Size:", no mail_id; an anonymised client */
	{ "pflogstats.log", "01296-01", "SPAM", "", "192.167.219.83",
	    "20.200.15.23", "sender@domain.example", "", "", "", "",
	    11322, 62306, 2629 },
	{ "pflogstats.log", "16155-04",
	    "INFECTED (Trojan-Spy.HTML.Paylap.r)", "", "<IP>", "<IP>",
	    "?@[<IP>]", "virus-20050216-091414-16155-04", "", "", "",
	    NONE, NONE, 1232 },
	/* 2.4: no size */
	{ "ubuntuforums-2007-01-29.log", "29272-07", "CLEAN", "",
	    "82.243.11.135", "", "apyiylyoxoo@proxad.net", "", "oEb3J3Yzom-M",
	    "", "", 4787, NONE, 5553 },
	{ "ubuntuforums-2007-07-21.log", "04497-01", "CLEAN", "",
	    "150.101.2.67", "150.101.2.67",
	    "henry.hynd@externalemailaddress.com.au", "", "L-ybDKyt0CuZ", "",
	    "", -1439, NONE, 8670 },
	{ "ubuntuforums-2008-06-03.log", "03164-19", "SPAM", "",
	    "82.154.8.193", "82.154.8.193", "sina@paratype.com", "",
	    "xMM2AIbgtMe3", "", "", 18477, 10672, 2032 },
	/* mail_ids with '+' */
	{ "ubuntuforums-2008-11-15.log", "02412-01", "CLEAN", "",
	    "209.85.198.247", "209.85.198.247", "satimisliu@gmail.com", "",
	    "F4+fUTBje8c5", "4258778309", "", NONE, NONE, 892 },
	{ "ubuntuforums-2009-06-26.log", "06740-10", "CLEAN", "",
	    "nnn.nnn.nnn.nnn", "nnn.nnn.nnn.nnn", "xxxxxx@xxxxx.xx.xx", "",
	    "xS+LPyptKPjk", "DC590154144", "", NONE, 4153279, 1227 },
	{ "ubuntuforums-2011-04-15.log", "03774-01", "SPAM", "", "", "",
	    "venol@localhost", "v/spam-vs9ZxfjgcD+i.gz", "vs9ZxfjgcD+i", "",
	    "", 999999, 1240, 2604 },
	/* "dkim_id=" is not part of queued_as */
	{ "ubuntuforums-2012-02-07.log", "01106-02", "CLEAN", "",
	    "98.139.91.228", "xxx.xxx.xxx.xxx", "somebody@yahoo.com", "",
	    "c5+qVqqIhNZV", "8D257A009E", "", 992, 2971, 9518 },
	/* Zentyal's template: ends at Hits: */
	{ "zentyal-loghelper.log", "03388-04", "CLEAN", "", "127.0.0.1", "",
	    "root@zentyal6-dev.zentyal-domain.lan", "", "", "", "", 1984,
	    NONE, NONE },
	{ "zentyal-loghelper.log", "11016-02", "CLEAN", "", "127.0.0.1", "",
	    "maria@zentyal-domain.lan", "", "", "", "", -999, NONE, NONE },
	/* a 2.6 site template; the Subject as it came, RFC 2047 decoded */
	{ "rgevaert-grok-patterns.log", "26387-87", "CLEAN", "DEFAULT",
	    "157.193.140.25", "157.193.140.25", "abc.deb@myhost.be", "",
	    "DjyiQfdboMCr", "D127CC5F5", "Re: xxxxxx", 713, 263336, 1958 },
	{ "rgevaert-grok-patterns.log", "18588-47", "SPAMMY", "DEFAULT",
	    "93.174.66.65", "93.174.66.65", "a6g6h@a6g6h.r39.it", "",
	    "9I671lxS3H2g", "D1BDE9E332",
	    "profiteer nu van de daling van onze tarieven", 10632, 23466,
	    681 },
	{ "rgevaert-grok-patterns.log", "19543-59", "BAD-HEADER", "DEFAULT",
	    "128.178.224.219", "128.178.131.141", "www-data@stisrvm11.epfl.ch",
	    "", "RMRzRAG1iLLS", "1CA3B7FDC9", "subject\"", -1194, 5859, 348 },
	/* no syslog framing */
	{ "ninech-logstash-patterns.txt", "42023-08", "CLEAN", "",
	    "IPv6:2606:2800:220:1:248:1893:25c8:1946", "93.184.216.34",
	    "from@example.com", "", "NSiMmd5GQVho", "567424BE07C", "", 1,
	    12718, 4080 },
	{ "ninech-logstash-patterns.txt", "10726-03",
	    "INFECTED (Sanesecurity.Malware.25166.AceHeur.Exe.UNOFFICIAL)", "",
	    "93.184.216.34", "228.139.215.98", "from@example.com",
	    "j/virus-jv4mSH43Y6S2", "jv4mSH43Y6S2", "", "New Order", NONE,
	    730968, 1299 },
};

static void
wild_check(const struct wild *w, const struct av_verdict *v, size_t *seen)
{
	const struct wild_expect	*e;
	size_t				 i;

	for (i = 0; i < nitems(wild_expects); i++) {
		e = &wild_expects[i];
		if (strcmp(e->file, w->file) != 0 ||
		    !ml_str_eq(v->logid, e->logid))
			continue;
		seen[i]++;
		S_EQ(v->category, e->category);
		S_EQ(v->bank, e->bank);
		S_EQ(v->client, e->client);
		S_EQ(v->origin, e->origin);
		S_EQ(v->sender, e->sender);
		S_EQ(v->quarantine, e->quarantine);
		S_EQ(v->mail_id, e->mail_id);
		S_EQ(v->queued_id, e->queued_id);
		S_EQ(v->subject, e->subject);
		ck_assert_int_eq(v->hits, e->hits);
		ck_assert_int_eq(v->size, e->size);
		ck_assert_int_eq(v->elapsed, e->elapsed);
		ck_assert(v->flags & AV_F_NOACTIONS);
	}
}

/* "(ID) Passed " or "(ID) Blocked " at the start of a message. */
static int
verdict_looking(const char *m, size_t len)
{
	const char	*e;

	if (len < 4 || m[0] != '(' ||
	    (e = memchr(m, ')', len)) == NULL)
		return 0;
	len -= (size_t)(e + 1 - m);
	return (len >= 8 && memcmp(e + 1, " Passed ", 8) == 0) ||
	    (len >= 9 && memcmp(e + 1, " Blocked ", 9) == 0);
}

START_TEST(test_wild)
{
	const struct wild	*w = &wilds[_i];
	struct ml_clock		 c;
	struct ml_frame		 fr;
	struct av_verdict	 v;
	struct tally		 t;
	char			 path[512], *buf, *p, *nl, *line;
	size_t			 len, n, looking = 0, counted = 0, bare = 0, i;
	size_t			 seen[nitems(wild_expects)], want = 0, got = 0;

	memset(&t, 0, sizeof(t));
	memset(seen, 0, sizeof(seen));
	snprintf(path, sizeof(path), "%s/amavis/wild/%s", FIXTURES, w->file);
	buf = unit_slurp(path, &len);
	ml_clock_init(&c, NOW);
	for (p = buf; p < buf + len; p = nl + 1) {
		if ((nl = memchr(p, '\n', (size_t)(buf + len - p))) == NULL)
			nl = buf + len;
		n = (size_t)(nl - p);
		line = malloc(n + 1);
		memcpy(line, p, n);
		if (n > 0 && *p == '(') {		/* the message alone */
			memset(&fr, 0, sizeof(fr));
			fr.time = NOW;
			fr.kind = ML_AMAVIS;
			fr.msg = line;
			fr.msglen = n;
			bare++;
		} else {
			ck_assert_int_eq(ml_frame_parse(&c, line, n, &fr), 0);
			counted += amavis_verdict_line(p, n);
		}
		if (fr.kind != ML_AMAVIS) {
			free(line);
			continue;
		}
		looking += verdict_looking(fr.msg, fr.msglen);
		switch (amavis_parse_line(&v, &fr)) {
		case AV_VERDICT:
			t.verdicts++;
			wild_check(w, &v, seen);
			break;
		case AV_RECIP:
			t.recip++;
			break;
		case AV_BAD:
			t.bad++;
			break;
		default:
			t.other++;
			break;
		}
		free(line);
	}
	ck_assert_uint_eq(t.verdicts, w->verdicts);
	ck_assert_uint_eq(t.recip, w->recip);
	ck_assert_uint_eq(t.other, w->other);
	ck_assert_uint_eq(t.bad, w->bad);
	/* never dropped: a verdict, a per-recipient line, or counted bad */
	ck_assert_uint_eq(looking, t.verdicts + t.recip + t.bad);
	if (bare == 0)
		ck_assert_uint_eq(counted, t.verdicts);
	for (i = 0; i < nitems(wild_expects); i++)
		if (strcmp(wild_expects[i].file, w->file) == 0) {
			want++;
			got += seen[i] == 1;
		}
	ck_assert_uint_eq(got, want);
	free(buf);
}
END_TEST

/* The same message twice: one recipient passed, the other blocked. */
START_TEST(test_mixed_fate)
{
	struct av_verdict	 v;
	struct ml_str		 rest, r;

	ck_assert_int_eq(one("Nov 24 13:50:13 mx.example.org /usr/sbin/amavisd[4558]: (04558-05) Passed SPAM {DiscardedInbound,RelayedTaggedInbound,Quarantined}, [127.0.0.1] [198.51.100.23] <spammer@spam.example> -> <lover@example.org>, quarantine: D/spam-DixvPdAozzzC.gz, Message-ID: <gtube-2@spam.example>, mail_id: DixvPdAozzzC, Hits: 1001.3, size: 515, queued_as: 250 2.0.0 aebfa019 Message accepted for delivery, 74 ms", &v), AV_VERDICT);
	ck_assert_int_eq(v.blocked, 0);
	ck_assert_int_eq(v.ccat, AV_CCAT_SPAM);
	S_EQ(v.logid, "04558-05");
	S_EQ(v.mail_id, "DixvPdAozzzC");
	S_EQ(v.rcpts, "<lover@example.org>");
	S_EQ(v.queued_id, "aebfa019");
	S_EQ(v.actions, "DiscardedInbound,RelayedTaggedInbound,Quarantined");
	ck_assert_int_eq(v.time, 1795528213);
	ck_assert_int_eq(one("Nov 24 13:50:13 mx.example.org /usr/sbin/amavisd[4558]: (04558-05) Blocked SPAM {DiscardedInbound,RelayedTaggedInbound,Quarantined}, [127.0.0.1] [198.51.100.23] <spammer@spam.example> -> <bob@example.org>, quarantine: D/spam-DixvPdAozzzC.gz, Message-ID: <gtube-2@spam.example>, mail_id: DixvPdAozzzC, Hits: 1001.3, size: 515, 74 ms", &v), AV_VERDICT);
	ck_assert_int_eq(v.blocked, 1);
	S_EQ(v.logid, "04558-05");
	S_EQ(v.mail_id, "DixvPdAozzzC");
	S_EQ(v.quarantine, "D/spam-DixvPdAozzzC.gz");
	ck_assert_uint_eq(v.queued_as.len, 0);
	ck_assert_uint_eq(v.queued_id.len, 0);
	rest = v.rcpts;
	ck_assert(av_rcpt_next(&rest, &r));
	S_EQ(r, "bob@example.org");
	ck_assert(!av_rcpt_next(&rest, &r));
	ck_assert_int_eq(v.hits, 1001300);
	ck_assert_int_eq(v.size, 515);
	ck_assert_int_eq(v.elapsed, 74);
	rest = v.tests;				/* short template: none */
	ck_assert(!av_test_next(&rest, &r, &v.wbl));
	ck_assert_ptr_nonnull(v.subject.p);
	ck_assert_uint_eq(v.subject.len, 0);
}
END_TEST

/* The verbose Subject: quotes, brackets, \x1B text, UTF-8 via vis(3). */
START_TEST(test_hostile_subject)
{
	struct av_verdict	 v;
	struct ml_str		 rest, name;
	int64_t			 score;
	size_t			 n = 0;

	set_tz("UTC");
	ck_assert_int_eq(one("Nov 24 13:52:06 mx amavis[6432]: (06432-02) Passed CLEAN {RelayedInbound}, [127.0.0.1] [198.51.100.23] /ESMTP <evil@sender.example> -> <bob@example.org>, (ESMTPS://198.51.100.23), Message-ID: <a\"b,c]d[e@sender.example>, mail_id: YGBvOtOZE6lL, b: c2wIWwvgN, Hits: 1.3, size: 574, queued_as: 250 2.0.0 7770ccf5 Message accepted for delivery, Subject: \"He said \"\"hi\"\", then ] and [ and \\\\ back cafM-CM-) M-fM^WM-%M-fM^\\M-, \\x1B[31mRED\\x1B[0m (raw: He said \"\"hi\"\", then ] and [ and \\\\ back =?UTF-8?Q?caf=C3=A9_=E6=97=A5=E6=9C=AC_=1B[31mRED=1B[0m?=)\", From: <evil@sender.example>, helo=, Tests: [RCVD_ILLEGAL_IP=1.3], autolearn=no autolearn_force=no, autolearnscore=1.3, 80 ms", &v), AV_VERDICT);
	S_EQ(v.subject, "He said \"hi\", then ] and [ and \\\\ back "
	    "caf\303\251 \346\227\245\346\234\254 \\x1B[31mRED\\x1B[0m");
	S_EQ(v.subject_raw, "He said \"hi\", then ] and [ and \\\\ back "
	    "=?UTF-8?Q?caf=C3=A9_=E6=97=A5=E6=9C=AC_=1B[31mRED=1B[0m?=");
	S_EQ(v.message_id, "<a\"b,c]d[e@sender.example>");
	S_EQ(v.from, "<evil@sender.example>");
	S_EQ(v.helo, "");
	S_EQ(v.tests, "RCVD_ILLEGAL_IP=1.3");
	S_EQ(v.trace, "ESMTPS://198.51.100.23");
	S_EQ(v.proto, "/ESMTP");
	S_EQ(v.body_digest, "c2wIWwvgN");
	S_EQ(v.autolearn, "no autolearn_force=no");
	ck_assert_int_eq(v.wbl, CELL_NONE);
	ck_assert_int_eq(v.elapsed, 80);
	ck_assert(v.flags & AV_F_VERBOSE);
	rest = v.tests;
	while (av_test_next(&rest, &name, &score)) {
		S_EQ(name, "RCVD_ILLEGAL_IP");
		ck_assert_int_eq(score, 1300);
		n++;
	}
	ck_assert_uint_eq(n, 1);

	/* raw 8-bit, and the quote that ends it before ", esc" */
	ck_assert_int_eq(one("Nov 24 13:52:07 mx amavis[6433]: (06433-02) Passed CLEAN {RelayedInbound}, [127.0.0.1] [198.51.100.23] /ESMTP <evil@sender.example> -> <lover@example.org>, (ESMTPS://198.51.100.23), Message-ID: <raw8bit-1@sender.example>, mail_id: 2X7NboOUxfcI, b: c2wIWwvgN, Hits: 2.418, size: 506, queued_as: 250 2.0.0 0e8d9911 Message accepted for delivery, Subject: \"Raw \"\"utf8\"\" cafM-CM-) M-fM^WM-%M-fM^\\M-,, esc:\\x1B[1mBOLD\\x1B[0m ]\", From: <evil@sender.example>, helo=, Tests: [RCVD_ILLEGAL_IP=1.3,SUBJECT_NEEDS_ENCODING=0.498,SUBJ_ILLEGAL_CHARS=0.62], autolearn=no autolearn_force=no, autolearnscore=2.418, 68 ms", &v), AV_VERDICT);
	S_EQ(v.subject, "Raw \"utf8\" caf\303\251 \346\227\245\346\234\254, "
	    "esc:\\x1B[1mBOLD\\x1B[0m ]");
	ck_assert_uint_eq(v.subject_raw.len, 0);
	ck_assert_int_eq(v.hits, 2418);
}
END_TEST

/* Fake anchors and bytes an attacker controls. */
START_TEST(test_hostile_fields)
{
	struct av_verdict	 v;
	struct ml_str		 rest, r;

	/* ", " and "]" inside Message-ID, anchors too */
	ck_assert_int_eq(msg("(1-01) Passed CLEAN {RelayedInbound}, [127.0.0.1] <a@b> -> <c@d>, Message-ID: <x, Hits: 99, size: 1, mail_id: FAKEFAKEFAKE, ]@y>, mail_id: REALREALREAL, Hits: 1.3, size: 476, queued_as: 250 2.0.0 a434de9c Message accepted for delivery, 186 ms", &v), AV_VERDICT);
	S_EQ(v.message_id, "<x, Hits: 99, size: 1, mail_id: FAKEFAKEFAKE, ]@y>");
	S_EQ(v.mail_id, "REALREALREAL");
	ck_assert_int_eq(v.hits, 1300);
	ck_assert_int_eq(v.size, 476);
	S_EQ(v.queued_id, "a434de9c");

	/* a fixed-format value ends with its token, whatever follows */
	ck_assert_int_eq(msg("(1-06) Passed CLEAN {RelayedInbound}, <a@b> -> <c@d>, mail_id: M, Hits: 1.3, size: 123, x: 99999999999999999999, 5 ms", &v), AV_VERDICT);
	ck_assert_int_eq(v.size, 123);
	S_EQ(v.mail_id, "M");
	ck_assert_int_eq(v.elapsed, 5);

	/* a Subject holding the tail of a line */
	ck_assert_int_eq(msg("(1-02) Passed CLEAN {RelayedInbound}, [127.0.0.1] /ESMTP <a@b> -> <c@d>, mail_id: REALREALREAL, b: c2wIWwvgN, Hits: 1.3, size: 476, Subject: \"x\"\", From: <f@g>, Tests: [GTUBE=1000], 1 ms\", From: <a@b>, helo=h, Tests: [T=1], 5 ms", &v), AV_VERDICT);
	S_EQ(v.subject, "x\", From: <f@g>, Tests: [GTUBE=1000], 1 ms");
	S_EQ(v.from, "<a@b>");
	S_EQ(v.helo, "h");
	S_EQ(v.tests, "T=1");
	ck_assert_int_eq(v.elapsed, 5);

	/* a banned name with ") {" and "), " in it */
	ck_assert_int_eq(msg("(1-03) Blocked BANNED (application/x,a) {b}.exe,c), d.exe) {BouncedInbound,Quarantined}, [127.0.0.1] <a@b> -> <c@d>, quarantine: banned-X, mail_id: X, Hits: -, size: 9, 3 ms", &v), AV_VERDICT);
	ck_assert_int_eq(v.ccat, AV_CCAT_BANNED);
	S_EQ(v.ccat_detail, "application/x,a) {b}.exe,c), d.exe");
	S_EQ(v.actions, "BouncedInbound,Quarantined");
	S_EQ(v.quarantine, "banned-X");
	ck_assert_int_eq(v.hits, CELL_NONE);

	/* quoted local parts with ',' and '>' */
	ck_assert_int_eq(msg("(1-04) Passed CLEAN {RelayedInbound}, [127.0.0.1] <\"a> -> b\"@x> -> <\"weird,name\"@example.org>,<\"q>,<r\"@s>,<bob@example.org>, mail_id: M, Hits: 1, size: 2, 3 ms", &v), AV_VERDICT);
	S_EQ(v.sender, "\"a> -> b\"@x");
	ck_assert_uint_eq(v.nrcpts, 3);
	rest = v.rcpts;
	ck_assert(av_rcpt_next(&rest, &r));
	S_EQ(r, "\"weird,name\"@example.org");
	ck_assert(av_rcpt_next(&rest, &r));
	S_EQ(r, "\"q>,<r\"@s");
	ck_assert(av_rcpt_next(&rest, &r));
	S_EQ(r, "bob@example.org");
	ck_assert(!av_rcpt_next(&rest, &r));

	/* raw ESC and CSI bytes (not amavis', but a log is anybody's) */
	ck_assert_int_eq(msg("(1-05) Passed CLEAN {RelayedInbound}, [127.0.0.1] <a\033[2J@b> -> <c@d>, Message-ID: <\233[31m@x>, mail_id: M, Hits: 1, size: 2, Subject: \"\033]0;title\007\\x1B\", 3 ms", &v), AV_VERDICT);
	S_EQ(v.sender, "a\033[2J@b");
	S_EQ(v.message_id, "<\233[31m@x>");
	S_EQ(v.subject, "\033]0;title\007\\x1B");
	ck_assert_int_eq(v.elapsed, 3);
}
END_TEST

/* Lines that are not verdicts, from the captures. */
static const char *const others[] = {
	/* startup and shutdown */
	"starting. /usr/sbin/amavisd at mx.example.org amavis-2.13.0 (20230106), Unicode aware, LANG=\"C.UTF-8\"",
	"perl=5.036000, user=, EUID: 995 (995);  group=(), EGID: 995 995 (995 995)",
	"Net::Server: Group Not Defined.  Defaulting to EGID '995 995'",
	"No decoder for       .7z  ",
	"Found primary av scanner FakeEICAR (lab stub) at /tmp/amlab/fakeav.sh",
	"sd_notify (no socket): STOPPING=1\\nSTATUS=Server rundown, notifying child processes.",
	/* log level 2 */
	"(06652-01) ESMTP :10024 /tmp/amlab/home/tmp/amavis-20261124T135258-06652-8f2eSv6F: <alice@sender.example> -> <bob@example.org> Received: from mx.example.org ([127.0.0.1]) by localhost",
	"(06652-01) Checking: LjBZgTekWHzb [127.0.0.1] <alice@sender.example> -> <bob@example.org>",
	"(06652-01) p001 1 Content-Type: text/plain, 7bit, size: 55, SHA1 digest: 0c27c98d3610edc95debf2b78e7dc8239d3062a8",
	"(06652-01) LjBZgTekWHzb FWD from <alice@sender.example> -> <bob@example.org>, BODY=7BIT 250 2.0.0 from MTA(smtp:[127.0.0.1]:10025): 250 2.0.0 c145c239 Message accepted for delivery",
	"(06653-01) local delivery: <spammer@spam.example> -> spam-quarantine, mbx=/tmp/amlab/home/virusmails/h/spam-h9_I9GR6G--k.gz",
	"(06652-01) size: 476, TIMING [total 104 ms] - SMTP greeting: 3.0 (3%)3, SMTP EHLO: 0.7 (1%)4",
	"(06652-01) TIMING-SA total 58 ms - parse: 1.03 (1.8%), extract_message_metadata: 2.8 (4.8%)",
	"(06652-01) extra modules loaded: Amavis/Lookup/Opaque.pm, Amavis/Out/SMTP/Protocol.pm",
	"(06653-01) header_edits_for_quar: <spammer@spam.example> -> <bob@example.org>, Yes, score=1001.301 tag=2 tag2=5 kill=10 tests=[GTUBE=1000, RCVD_ILLEGAL_IP=1.3, TVD_SPACE_RATIO=0.001] autolearn=n",
	/* releases */
	"(rel-Ms_BSdKTh5OW) Quarantined message release (miscategorized): SkMBGGfgtCC1 <spammer@spam.example> -> <bob@example.org>",
	"(rel-DA0KoynmFDuN) (!!)policy_server FAILED: File /tmp/amlab/home/virusmails/spam-SkMBGGfgtCC1.gz does not exist at /usr/share/perl5/Amavis/In/AMPDP.pm line 390, <GEN76> line 5.",
	"(!!)policy_server FAILED: Unsafe filename '../../etc/passwd' at /usr/share/perl5/Amavis/In/AMPDP.pm line 324, <GEN83> line 5.",
	/* near misses */
	"", "(", "()", "(x)", "(x) ", "(x)Passed CLEAN {RelayedInbound}, <a> -> <b>",
	"(x y) Passed CLEAN {RelayedInbound}, <a> -> <b>",
	"(x) passed CLEAN {RelayedInbound}, <a> -> <b>",
	"(x) Passed",
	"(x) PassedCLEAN {RelayedInbound}, <a> -> <b>",
	"(06433-04) ...=no, autolearnscore=1.3, 81 ms",
	"(!)Passed CLEAN {RelayedInbound}, <a> -> <b>",
};

/* The line as syslog writes it, for amavis_verdict_line(). */
static int
counts(const char *m)
{
	char	 line[8192];
	int	 n;

	n = snprintf(line, sizeof(line), "Nov 24 13:52:58 mx amavis[6652]: %s",
	    m);
	ck_assert(n > 0 && (size_t)n < sizeof(line));
	return amavis_verdict_line(line, (size_t)n);
}

START_TEST(test_not_verdicts)
{
	struct av_verdict	 v;

	ck_assert_msg(!counts(others[_i]), "counted: %s", others[_i]);

	ck_assert_msg(msg(others[_i], &v) == AV_OTHER, "not other: %s",
	    others[_i]);
}
END_TEST

/* Per-recipient lines ($log_recip_templ): no {ACTIONS}, no size:. */
static const char *const recips[] = {
	"(04558-01) Passed CLEAN, <alice@sender.example> -> <bob@example.org>, Hits: 1.3, tag=2, tag2=5, kill=10, fwd: 250 2.0.0 a434de9c Message accepted for delivery, L/0/0/0",
	"(04559-04) Blocked SPAM, <spammer@spam.example> -> , Hits: 1001.301, tag=2, tag2=5, kill=10, L/Y/Y/Y",
	"(04558-07) Blocked BANNED (application/octet-stream,invoice.pdf.exe), <alice@sender.example> -> , Hits: -, tag=2, tag2=5, kill=10, L/0/0/0",
	"(04559-07) Blocked BAD-HEADER, <alice@sender.example> -> , Hits: -, tag=2, tag2=5, kill=10, L/0/0/0",
	"(04558-03) Passed CLEAN, <alice@sender.example> -> <\"weird,name\"@example.org>, Hits: 1.3, tag=2, tag2=5, kill=10, fwd: 250 2.0.0 9470caa5 Message accepted for delivery, L/0/0/0",
	"(08156-01) Passed CLEAN, <alice@sender.example> -> <carol@example.org>, Hits: -1, tag=2, tag2=6.31, kill=6.31, fwd: 250 2.0.0 2546318e Message accepted for delivery, L/0/0/0",
};

START_TEST(test_recip_lines)
{
	struct av_verdict	 v;

	ck_assert_msg(!counts(recips[_i]), "counted: %s", recips[_i]);

	ck_assert_msg(msg(recips[_i], &v) == AV_RECIP, "not recip: %s",
	    recips[_i]);
}
END_TEST

/* Verdict-looking lines that cannot be parsed: bad, never fatal. */
static const char *const bads[] = {
	"(x) Passed ",
	"(x) Passed {RelayedInbound}, <a@b> -> <c@d>",
	"(x) Passed clean {RelayedInbound}, <a@b> -> <c@d>",
	"(x) Passed CLEAN",
	"(x) Passed CLEAN {RelayedInbound",
	"(x) Passed CLEAN {Relayed Inbound}, <a@b> -> <c@d>",
	"(x) Passed CLEAN {RelayedInbound} <a@b> -> <c@d>",
	"(x) Passed CLEAN {RelayedInbound}, [127.0.0.1] no sender, size: 1",
	"(x) Passed CLEAN {RelayedInbound}, [127.0.0.1] <a@b> to <c@d>, size: 1",
	"(x) Passed CLEAN {RelayedInbound}, [127.0.0.1] <a@b>",
	"(x) Blocked INFECTED (Eicar {DiscardedInbound}, <a@b> -> <c@d>",
	"(x) Blocked BANNED (x.exe) {Discarded-Inbound}, <a@b> -> <c@d>",
	"(x) Passed CLEAN;{RelayedInbound}, <a@b> -> <c@d>",
};

START_TEST(test_bad_lines)
{
	struct av_verdict	 v;

	ck_assert_msg(msg(bads[_i], &v) == AV_BAD, "not bad: %s", bads[_i]);
}
END_TEST

/* Counting verdicts without framing: other programs, other framings. */
START_TEST(test_verdict_line)
{
	static const struct {
		const char	*line;
		int		 counts;
	} t[] = {
		{ "Nov 24 13:52:58 mx amavis[6652]: (06652-01) Passed CLEAN "
		  "{RelayedInbound}, [127.0.0.1] <a@b> -> <c@d>, Hits: 1", 1 },
		{ "<22>Nov 24 13:52:58 mx amavisd[6652]: (06652-01) Blocked "
		  "SPAM {DiscardedInbound}, <a@b> -> <c@d>", 1 },
		{ "2026-11-24T13:52:58.123+01:00 mx amavisd-new[6652]: "
		  "(06652-01) Passed CLEAN {RelayedInbound}, <a@b> -> <c@d>",
		  1 },
		{ "Nov 24 13:52:58 mx /usr/sbin/amavisd[6652]: (06652-01) "
		  "Blocked BANNED (x {y}.exe) {DiscardedInbound}, <a@b> -> "
		  "<c@d>", 1 },
		/* an old main line: no actions, but a size */
		{ "Nov 24 13:52:58 mx amavis[1]: (1-01) Passed CLEAN, "
		  "<a@b> -> <c@d>, Hits: 1, size: 3", 1 },
		/* the continuation of a split line, whatever its text */
		{ "Nov 24 13:52:58 mx amavis[1]: (1-01) ...Subject: \"(x) "
		  "Passed CLEAN {RelayedInbound}, <a@b>\"", 0 },
		/* other programs, other shapes */
		{ "Nov 24 13:52:58 mx smtpd[1]: (1-01) Passed CLEAN "
		  "{RelayedInbound}, <a@b> -> <c@d>", 0 },
		{ "Nov 24 13:52:58 mx notamavis[1]: (1-01) Passed CLEAN "
		  "{RelayedInbound}, <a@b> -> <c@d>", 0 },
		{ "Nov 24 13:52:58 mx amavis[1] (1-01) Passed CLEAN "
		  "{RelayedInbound}, <a@b> -> <c@d>", 0 },
		{ "Nov 24 13:52:58 mx amavis[1]: (1-01) Passed CLEAN "
		  "{RelayedInbound}", 0 },
		{ "Nov 24 13:52:58 mx amavis[1]: (1 01) Passed CLEAN "
		  "{RelayedInbound}, <a@b> -> <c@d>", 0 },
		{ "amavis[", 0 }, { "[", 0 }, { "", 0 },
	};
	size_t	 i;

	for (i = 0; i < nitems(t); i++)
		ck_assert_msg(amavis_verdict_line(t[i].line,
		    strlen(t[i].line)) == t[i].counts, "%s", t[i].line);
}
END_TEST

/* Other versions and site templates: as far as their anchors allow. */
START_TEST(test_other_templates)
{
	struct av_verdict	 v;

	/* amavisd-new 2.6: no {ACTIONS}, LOCAL without a bank */
	ck_assert_int_eq(msg("(12345-01) Passed CLEAN, LOCAL [10.0.0.5] [198.51.100.1] <a@b.example> -> <c@d.example>,<e@d.example>, Message-ID: <m@b.example>, mail_id: abcDEF123_-x, Hits: -1.9, size: 1234, queued_as: 4QZ1xy2z3Fz9sRk, 2345 ms", &v), AV_VERDICT);
	ck_assert(v.flags & AV_F_NOACTIONS);
	ck_assert_uint_eq(v.actions.len, 0);
	ck_assert_int_eq(v.local, 1);
	ck_assert_uint_eq(v.bank.len, 0);
	S_EQ(v.client, "10.0.0.5");
	S_EQ(v.origin, "198.51.100.1");
	ck_assert_uint_eq(v.nrcpts, 2);
	ck_assert_int_eq(v.hits, -1900);
	S_EQ(v.queued_id, "4QZ1xy2z3Fz9sRk");
	ck_assert_int_eq(v.elapsed, 2345);

	/* iRedMail's: Tests after the time; b: and autolearn= in short */
	ck_assert_int_eq(msg("(01234-05) Blocked SPAM {DiscardedOutbound,Quarantined}, ORIGINATING/MYUSERS LOCAL [192.0.2.9]:51234 <u@example.org> -> <x@remote.example>, Queue-ID: 4QZ1xy, Message-ID: <q@example.org>, mail_id: Q1w2e3r4t5y6, b: AbCdEfGhI, Hits: 12.345, size: 4096, dkim_sd=sel:example.org, 812 ms, Tests: [BAYES_99=3.5,AM.WBL=-2.5], autolearn=spam", &v), AV_VERDICT);
	S_EQ(v.bank, "ORIGINATING/MYUSERS");
	ck_assert_int_eq(v.local, 1);
	S_EQ(v.client, "192.0.2.9");
	ck_assert_int_eq(v.client_port, 51234);
	S_EQ(v.queue_id, "4QZ1xy");
	S_EQ(v.body_digest, "AbCdEfGhI");
	ck_assert_int_eq(v.hits, 12345);
	ck_assert_int_eq(v.size, 4096);
	ck_assert_int_eq(v.elapsed, 812);
	S_EQ(v.tests, "BAYES_99=3.5,AM.WBL=-2.5");
	ck_assert_int_eq(v.wbl, -2500);
	S_EQ(v.autolearn, "spam");

	/* anonymised: empty [] and <>, no Message-ID, empty queued_as */
	ck_assert_int_eq(msg("(00000-00) Passed UNCHECKED-ENCRYPTED {RelayedInternal}, [] [] <> -> <>, mail_id: AAAAAAAAAAAA, Hits: -, size: 0, queued_as: , 0 ms", &v), AV_VERDICT);
	ck_assert_int_eq(v.ccat, AV_CCAT_UNCHECKED);
	S_EQ(v.ccat_detail, "ENCRYPTED");
	S_EQ(v.client, "");
	S_EQ(v.origin, "");
	S_EQ(v.sender, "");
	ck_assert_uint_eq(v.nrcpts, 1);
	S_EQ(v.queued_as, "");
	ck_assert_uint_eq(v.queued_id.len, 0);
	ck_assert_int_eq(v.size, 0);
	ck_assert_int_eq(v.elapsed, 0);

	/* several banks, the score range, pt:, two replies, old smtpd */
	ck_assert_int_eq(msg("(1-1) Passed SPAMMY {RelayedTaggedInbound}, A/B [2001:db8::1] <a@b> -> <c@d>, mail_id: M, Hits: 3.2..7.25, size: 10, pt: 5, queued_as: 250 2.0.0: 1a2b3c4d Message accepted for delivery/250 2.0.0: 5e6f7a8b Message accepted for delivery, 9 ms", &v), AV_VERDICT);
	S_EQ(v.bank, "A/B");
	S_EQ(v.client, "2001:db8::1");
	ck_assert_int_eq(v.hits, 3200);
	ck_assert_int_eq(v.hits_max, 7250);
	S_EQ(v.partition, "5");
	S_EQ(v.queued_id, "1a2b3c4d");

	/* every category word */
	ck_assert_int_eq(msg("(1) Blocked BAD-HEADER-7 {RejectedInbound}, <a> -> <b>, mail_id: M, Hits: -, size: 1, 1 ms", &v), AV_VERDICT);
	ck_assert_int_eq(v.ccat, AV_CCAT_BAD_HEADER);
	ck_assert_int_eq(v.ccat_minor, 7);
	ck_assert_int_eq(msg("(1) Blocked MTA-BLOCKED {TempFailedInbound}, <a> -> <b>, 1 ms", &v), AV_VERDICT);
	ck_assert_int_eq(v.ccat, AV_CCAT_MTA_BLOCKED);
	ck_assert_int_eq(v.hits, CELL_NONE);
	ck_assert_int_eq(v.size, CELL_NONE);
	ck_assert_int_eq(msg("(1) Blocked OVERSIZED {BouncedOutbound}, <a> -> <b>, 1 ms", &v), AV_VERDICT);
	ck_assert_int_eq(v.ccat, AV_CCAT_OVERSIZED);
	ck_assert_int_eq(msg("(1) Passed OTHER {AcceptedInternal}, <a> -> <b>, 1 ms", &v), AV_VERDICT);
	ck_assert_int_eq(v.ccat, AV_CCAT_OTHER);
	ck_assert_int_eq(msg("(1) Passed WEIRD-NEW {RelayedInbound}, <a> -> <b>, 1 ms", &v), AV_VERDICT);
	ck_assert_int_eq(v.ccat, AV_CCAT_UNKNOWN);
	S_EQ(v.category, "WEIRD-NEW");
	ck_assert_int_eq(msg("(1) Blocked INFECTED (Win.Test.EICAR_HDB-1,Eicar-Signature) {DiscardedInbound,Quarantined}, <a> -> <b>, 1 ms", &v), AV_VERDICT);
	ck_assert_int_eq(v.ccat, AV_CCAT_INFECTED);
	S_EQ(v.ccat_detail, "Win.Test.EICAR_HDB-1,Eicar-Signature");

	/* 2.6 and older: the Subject as it came, RFC 2047 decoded */
	ck_assert_int_eq(msg("(1) Passed CLEAN, [192.0.2.1] <a@b> -> <c@d>, mail_id: ab+/cd, Hits: 1, Subject: \"=?ISO-8859-1?Q?caf=E9?= ok\", 3 ms", &v), AV_VERDICT);
	S_EQ(v.subject, "caf\303\251 ok");
	S_EQ(v.mail_id, "ab+/cd");
	ck_assert_int_eq(v.size, CELL_NONE);
	/* a charset iconv does not know stays as written */
	ck_assert_int_eq(msg("(1) Passed CLEAN, <a@b> -> <c@d>, Hits: 1, Subject: \"=?X-NO-SUCH?Q?abc?=\", 3 ms", &v), AV_VERDICT);
	S_EQ(v.subject, "=?X-NO-SUCH?Q?abc?=");
	/* as does a text longer decoded than written (36 8-bit bytes) */
	ck_assert_int_eq(msg("(1) Passed CLEAN, <a@b> -> <c@d>, Hits: 1, Subject: =?ISO-8859-1?B?6enp6enp6enp6enp6enp6enp6enp6enp6enp6enp6enp6enp?=, 3 ms", &v), AV_VERDICT);
	S_EQ(v.subject, "=?ISO-8859-1?B?6enp6enp6enp6enp6enp6enp6enp6enp6enp6enp6enp6enp?=");
	/* "tag=" in a Message-ID does not make a main line per-recipient */
	ck_assert_int_eq(msg("(1) Blocked SPAM, [192.0.2.1] <a@b> -> <c@d>, Message-ID: <x, Hits: 1, tag=2@e>, Hits: 9, 3 ms", &v), AV_VERDICT);
	S_EQ(v.message_id, "<x, Hits: 1, tag=2@e>");
	ck_assert_int_eq(v.hits, 9000);
	ck_assert(counts("(1) Blocked SPAM, [192.0.2.1] <a@b> -> <c@d>, Message-ID: <x, Hits: 1, tag=2@e>, Hits: 9, 3 ms"));

	/* the From with a DKIM author signature, a user agent */
	ck_assert_int_eq(msg("(1) Passed CLEAN {RelayedInbound}, <a> -> <b>, mail_id: M, b: X, Hits: 0, size: 1, Subject: \"s\", From: <Jo_Doe_<j@d.example>> (dkim:AUTHOR), X-Mailer: Mutt/2.2, helo=h.example, 1 ms", &v), AV_VERDICT);
	S_EQ(v.from, "<Jo_Doe_<j@d.example>>");
	ck_assert(v.flags & AV_F_DKIM_AUTHOR);
	S_EQ(v.user_agent, "X-Mailer: Mutt/2.2");
	S_EQ(v.helo, "h.example");
	ck_assert_int_eq(v.hits, 0);
}
END_TEST

START_TEST(test_scores)
{
	static const struct {
		const char	*s;
		int		 ok;
		int64_t		 v;
	} t[] = {
		{ "1.3", 0, 1300 }, { "-0.001", 0, -1 }, { "1001.301", 0, 1001301 },
		{ "0", 0, 0 }, { "7", 0, 7000 }, { "-10", 0, -10000 },
		{ "2.0005", 0, 2001 }, { "2.0004", 0, 2000 }, { "+1.5", 0, 1500 },
		{ ".5", 0, 500 }, { "", -1, 0 }, { "-", -1, 0 }, { "1.", -1, 0 },
		{ "1e3", -1, 0 }, { "1,3", -1, 0 }, { "999999999999999", 0,
		  999999999999999000LL }, { "9999999999999999", -1, 0 },
	};
	size_t		 i;
	int64_t		 v;

	for (i = 0; i < nitems(t); i++) {
		v = 42;
		ck_assert_msg(av_score(t[i].s, strlen(t[i].s), &v) == t[i].ok,
		    "%s", t[i].s);
		if (t[i].ok == 0)
			ck_assert_msg(v == t[i].v, "%s: %lld", t[i].s,
			    (long long)v);
	}
}
END_TEST

START_TEST(test_reply_queue_id)
{
	static const struct {
		const char	*reply;
		const char	*id;
	} t[] = {
		{ "250 2.0.0 a434de9c Message accepted for delivery", "a434de9c" },
		{ "250 2.0.0: 1a2b3c4d Message accepted for delivery", "1a2b3c4d" },
		{ "250 2.0.0 Ok: queued as 4QZ1xy2z3Fz9sRk", "4QZ1xy2z3Fz9sRk" },
		{ "4QZ1xy2z3Fz9sRk", "4QZ1xy2z3Fz9sRk" },
		{ "250 2.0.0 aac0cb67 Message accepted for delivery, but 1 DISCARD", "aac0cb67" },
		{ "250 Ok", NULL },
		{ "250 2.0.0", NULL },
		{ "250 2.0.0 ", NULL },
		{ "", NULL },
		{ "Message accepted", NULL },
		{ "250 2.0.0 a-b c", NULL },
	};
	struct ml_str	 r, id;
	size_t		 i;

	for (i = 0; i < nitems(t); i++) {
		r.p = hold(t[i].reply, strlen(t[i].reply));
		r.len = strlen(t[i].reply);
		ck_assert_int_eq(ml_reply_queue_id(r, &id),
		    t[i].id != NULL ? 0 : -1);
		if (t[i].id != NULL)
			S_EQ(id, t[i].id);
		else
			ck_assert_uint_eq(id.len, 0);
	}
}
END_TEST

/* Framings: datagram, OpenBSD, rsyslog, syslogd -Z, amavis' own file. */
START_TEST(test_frames)
{
	struct ml_clock	 c;
	struct ml_frame	 fr;

	set_tz("UTC");
	ml_clock_init(&c, NOW);
	ck_assert_int_eq(frame(&c, "<21>Nov 24 13:52:37 amavis[6556]: (06556-01) x", &fr), 0);
	ck_assert_int_eq(fr.kind, ML_AMAVIS);
	S_EQ(fr.host, "");
	S_EQ(fr.prog, "amavis");
	ck_assert_int_eq(fr.pid, 6556);
	ck_assert_int_eq(fr.time, 1795528357);
	ck_assert_int_eq(fr.msglen, 12);
	ck_assert_int_eq(memcmp(fr.msg, "(06556-01) x", 12), 0);

	ck_assert_int_eq(frame(&c, "Nov  4 03:02:01 mx amavis[1]: m", &fr), 0);
	S_EQ(fr.host, "mx");
	ck_assert_int_eq(fr.time, 1793761321);		/* 2026-11-04 */
	ck_assert_int_eq(frame(&c, "Nov 04 03:02:01 mx amavis[1]: m", &fr), 0);
	ck_assert_int_eq(fr.time, 1793761321);

	ck_assert_int_eq(frame(&c, "Nov 24 13:50:06 mx.example.org /usr/sbin/amavisd[4558]: (04558-01) Passed", &fr), 0);
	ck_assert_int_eq(fr.kind, ML_AMAVIS);
	S_EQ(fr.host, "mx.example.org");
	S_EQ(fr.prog, "/usr/sbin/amavisd");
	ck_assert_int_eq(fr.pid, 4558);
	ck_assert_int_eq(fr.time, 1795528206);

	ck_assert_int_eq(frame(&c, "2026-11-24T13:52:08.123456+00:00 mx amavis[6433]: m", &fr), 0);
	ck_assert_int_eq(fr.time, 1795528328);
	ck_assert(fr.flags & ML_F_RFC3339);
	ck_assert_int_eq(frame(&c, "2026-11-24T15:52:08.123+02:00 mx smtpd[1]: m", &fr), 0);
	ck_assert_int_eq(fr.kind, ML_SMTPD);
	ck_assert_int_eq(fr.time, 1795528328);
	ck_assert_int_eq(frame(&c, "2026-11-24T13:52:08.123Z mx amavisd-new[2]: m", &fr), 0);
	ck_assert_int_eq(fr.time, 1795528328);
	ck_assert_int_eq(frame(&c, "2026-11-24T10:22:08-0330 mx amavisd[2]: m", &fr), 0);
	ck_assert_int_eq(fr.time, 1795528328);
	ck_assert_int_eq(frame(&c, "2026-11-24T13:52:08 mx amavis[2]: m", &fr), -1);
	ck_assert_int_eq(frame(&c, "2026-11-24T13:52:08+00:00 mx amavis[2]: m", &fr), 0);

	/* other programs: framed, not timed */
	ck_assert_int_eq(frame(&c, "Nov 24 13:50:06 mx postfix/smtpd[1]: x", &fr), 0);
	ck_assert_int_eq(fr.kind, ML_OTHER);
	ck_assert_int_eq(fr.time, CELL_NONE);
	S_EQ(fr.prog, "postfix/smtpd");
	/* spamd: OpenBSD's or SpamAssassin's, timed for the trace */
	ck_assert_int_eq(frame(&c, "Nov 24 13:50:06 mx spamd[1]: x", &fr), 0);
	ck_assert_int_eq(fr.kind, ML_SPAMD);
	ck_assert(fr.time != CELL_NONE);
	ck_assert_int_eq(frame(&c, "Nov 24 13:50:06 mx spamdb[1]: x", &fr), 0);
	ck_assert_int_eq(fr.kind, ML_OTHER);
	ck_assert_int_eq(frame(&c, "Nov 24 13:50:06 mx amavis-x[1]: x", &fr), 0);
	ck_assert_int_eq(fr.kind, ML_OTHER);
	ck_assert_int_eq(frame(&c, "Nov 24 13:50:06 mx smtpd: x", &fr), 0);
	ck_assert_int_eq(fr.kind, ML_SMTPD);
	ck_assert_int_eq(fr.pid, -1);
	ck_assert_int_eq(frame(&c, "Nov 24 13:50:06 mx last message repeated 2 times", &fr), 0);
	ck_assert_int_eq(fr.kind, ML_OTHER);
	ck_assert_int_eq(fr.msglen, 29);
	ck_assert_int_eq(frame(&c, "Nov 24 13:50:06 mx amavis[]: x", &fr), 0);
	ck_assert_int_eq(fr.kind, ML_OTHER);
	ck_assert_int_eq(frame(&c, "Nov 24 13:50:06 mx amavis[1]:", &fr), 0);
	ck_assert_int_eq(fr.kind, ML_AMAVIS);
	ck_assert_int_eq(fr.msglen, 0);

	/* no syslog time */
	ck_assert_int_eq(frame(&c, "", &fr), -1);
	ck_assert_int_eq(frame(&c, "<5>(1) Passed", &fr), -1);
	ck_assert_int_eq(frame(&c, "Nov 24 13:50", &fr), -1);
	ck_assert_int_eq(frame(&c, "Foo 24 13:50:06 mx amavis[1]: x", &fr), -1);
	ck_assert_int_eq(frame(&c, "Nov 32 13:50:06 mx amavis[1]: x", &fr), -1);
	ck_assert_int_eq(frame(&c, "Nov 24 24:50:06 mx amavis[1]: x", &fr), -1);
	ck_assert_int_eq(frame(&c, "Nov 24 1:50:06 mx amavis[1]: x", &fr), -1);
	ck_assert_int_eq(frame(&c, "<21Nov 24 13:50:06 amavis[1]: x", &fr), -1);
	ck_assert_int_eq(frame(&c, "2026-13-24T13:52:08Z mx amavis[2]: m", &fr), -1);
	ck_assert_int_eq(frame(&c, "2026-11-24T13:52:08+0 mx amavis[2]: m", &fr), -1);
}
END_TEST

/* The year of "Mmm dd": never more than a day ahead of now. */
START_TEST(test_new_year)
{
	struct ml_clock	 c;
	struct ml_frame	 fr;

	set_tz("UTC");
	ml_clock_init(&c, 1798761630);		/* 2027-01-01 00:00:30 */
	ck_assert_int_eq(frame(&c, "Dec 31 23:59:50 mx amavis[1]: m", &fr), 0);
	ck_assert_int_eq(fr.time, 1798761590);		/* 2026 */
	ck_assert_int_eq(frame(&c, "Jan  1 00:00:10 mx amavis[1]: m", &fr), 0);
	ck_assert_int_eq(fr.time, 1798761610);		/* 2027 */
	ck_assert_int_eq(frame(&c, "Jan  2 00:00:10 mx amavis[1]: m", &fr), 0);
	ck_assert_int_eq(fr.time, 1798848010);		/* tomorrow: skew */
	ck_assert_int_eq(frame(&c, "Jan  3 00:00:10 mx amavis[1]: m", &fr), 0);
	ck_assert_int_eq(fr.time, 1767398410);		/* 2026-01-03 */
	ck_assert_int_eq(frame(&c, "Feb 29 12:00:00 mx amavis[1]: m", &fr), 0);
	ck_assert_int_eq(fr.time, 1772366400);		/* 2026-03-01: not leap */

	ml_clock_init(&c, 1798761599);		/* 2026-12-31 23:59:59 */
	ck_assert_int_eq(frame(&c, "Jan  1 00:00:05 mx amavis[1]: m", &fr), 0);
	ck_assert_int_eq(fr.time, 1798761605);		/* 2027, a clock ahead */
	ck_assert_int_eq(frame(&c, "Dec 31 23:59:58 mx amavis[1]: m", &fr), 0);
	ck_assert_int_eq(fr.time, 1798761598);
	ck_assert_int_eq(frame(&c, "Jan  5 00:00:05 mx amavis[1]: m", &fr), 0);
	ck_assert_int_eq(fr.time, 1767571205);		/* 2026-01-05 */

	/* RFC 3339 says its year */
	ck_assert_int_eq(frame(&c, "2020-02-29T00:00:00Z mx amavis[1]: m", &fr), 0);
	ck_assert_int_eq(fr.time, 1582934400);
}
END_TEST

/* Local time, DST included, through the hourly cache. */
START_TEST(test_local_time)
{
	struct ml_clock	 c;
	struct ml_frame	 fr;

	if (access("/usr/share/zoneinfo/Europe/Berlin", R_OK) == -1 &&
	    access("/usr/share/lib/zoneinfo/Europe/Berlin", R_OK) == -1) {
		fprintf(stderr, "test_local_time: no tzdata, skipped\n");
		return;
	}
	set_tz("Europe/Berlin");
	ml_clock_init(&c, 1795525000);
	ck_assert_int_eq(c.year, 2026);
	/* 2026-03-29: 02:00 CET becomes 03:00 CEST */
	ck_assert_int_eq(frame(&c, "Mar 29 01:59:59 mx amavis[1]: m", &fr), 0);
	ck_assert_int_eq(fr.time, 1774745999);
	ck_assert_int_eq(frame(&c, "Mar 29 03:00:00 mx amavis[1]: m", &fr), 0);
	ck_assert_int_eq(fr.time, 1774746000);
	ck_assert_int_eq(frame(&c, "Mar 29 01:00:00 mx amavis[1]: m", &fr), 0);
	ck_assert_int_eq(fr.time, 1774742400);
	ck_assert_int_eq(frame(&c, "Nov 24 13:50:06 mx amavis[1]: m", &fr), 0);
	ck_assert_int_eq(fr.time, 1795528206 - 3600);
	ck_assert_int_eq(frame(&c, "Jul  1 12:00:00 mx amavis[1]: m", &fr), 0);
	ck_assert_int_eq(fr.time, 1782900000);
	/* the cache follows the hour, both ways */
	ck_assert_int_eq(frame(&c, "Nov 24 13:50:07 mx amavis[1]: m", &fr), 0);
	ck_assert_int_eq(fr.time, 1795528207 - 3600);
	ck_assert_int_eq(frame(&c, "2026-07-01T12:00:00+02:00 mx amavis[1]: m", &fr), 0);
	ck_assert_int_eq(fr.time, 1782900000);
	set_tz("UTC");
}
END_TEST

START_TEST(test_unvis)
{
	static const struct {
		const char	*in;
		const char	*out;
	} t[] = {
		{ "cafM-CM-)", "caf\303\251" },
		{ "M-fM^WM-%M-fM^\\M-,", "\346\227\245\346\234\254" },
		{ "M-pM^_M^XM^@!", "\360\237\230\200!" },	/* U+1F600 */
		{ "Message-ID M-", "Message-ID M-" },
		{ "M-CM-", "M-CM-" },				/* cut */
		{ "M-C", "M-C" },				/* lone lead */
		{ "M-)", "M-)" },				/* lone trail */
		{ "M-@M-)", "M-@M-)" },				/* overlong C0 */
		{ "M-`M^@M-/", "M-`M^@M-/" },			/* overlong E0 80 */
		{ "M-mM-/M-?", "M-mM-/M-?" },			/* surrogate */
		{ "M-tM-/M-?M-?", "M-tM-/M-?M-?" },		/* > U+10FFFF */
		{ "M^[[31m", "M^[[31m" },			/* CSI 0x9b: kept */
		{ "M^?", "M^?" },
		{ "^[[2J", "^[[2J" },				/* controls: kept */
		{ "MM-CM-)M", "M\303\251M" },
		{ "M-CM-)M-CM-)", "\303\251\303\251" },
		{ "M-CM-CM-)", "M-C\303\251" },
		{ "", "" },
	};
	size_t	 i, n;
	char	*b;

	for (i = 0; i < nitems(t); i++) {
		b = hold(t[i].in, strlen(t[i].in));
		n = ml_unvis(b, strlen(t[i].in));
		ck_assert_msg(n == strlen(t[i].out) &&
		    memcmp(b, t[i].out, n) == 0, "unvis(\"%s\")", t[i].in);
	}
}
END_TEST

/* The pieces of a split line, as syslog got them (openbsd fixture). */
#define P1 "Nov 24 13:52:08 mx amavis[6433]: (06433-04) Passed CLEAN {RelayedInbound}, [127.0.0.1] [198.51.100.23] /ESMTP <alice@sender.example> -> <user01.with.a.fairly.long.local.part@example.org>,<user02.with.a.fairly.long.local.part@example.org>,<user03.with.a.fairly.long.local.part@example.org>,<user04.with.a.fairly.long.local.part@example.org>,<user05.with.a.fairly.long.local.part@example.org>,<user06.with.a.fairly.long.local.part@example.org>,<user07.with.a.fairly.long.local.part@example.org>,<user08.with.a.fairly.long.local.part@example.org>,<user09.with.a.fairly.long.local.part@example.org>,<user10.with.a.fairly.long.local.part@example.org>,<user11.with.a.fairly.long.local.part@example.org>,<user12.with.a.fairly.long.local.part@example.org>,<user13.with.a.fairly.long.local.part@example.org>,<user14.with.a.fairly.long.local.part@example.org>,<user15.with.a.fairly.long.local.part@example.org>,<user16.with.a.fairly.long.local.part@example.org>,<user17.with.a.fairly.long.local.part@example.org>,<user18..."
#define P2 "Nov 24 13:52:08 mx amavis[6433]: (06433-04) ....with.a.fairly.long.local.part@example.org>,<user19.with.a.fairly.long.local.part@example.org>,<user20.with.a.fairly.long.local.part@example.org>,<user21.with.a.fairly.long.local.part@example.org>,<user22.with.a.fairly.long.local.part@example.org>,<user23.with.a.fairly.long.local.part@example.org>,<user24.with.a.fairly.long.local.part@example.org>,<user25.with.a.fairly.long.local.part@example.org>,<user26.with.a.fairly.long.local.part@example.org>,<user27.with.a.fairly.long.local.part@example.org>,<user28.with.a.fairly.long.local.part@example.org>,<user29.with.a.fairly.long.local.part@example.org>,<user30.with.a.fairly.long.local.part@example.org>, (ESMTPS://198.51.100.23), Message-ID: <many-1@sender.example>, mail_id: PS7DKPtIN6J7, b: c2wIWwvgN, Hits: 1.3, size: 484, queued_as: 250 2.0.0 292e4292 Message accepted for delivery, Subject: \"Many recipients\", From: <alice@sender.example>, helo=, Tests: [RCVD_ILLEGAL_IP=1.3], autolearn=no autolearn_force..."
#define P3 "Nov 24 13:52:08 mx amavis[6433]: (06433-04) ...=no, autolearnscore=1.3, 81 ms"
#define OTHER_PID "Nov 24 13:52:08 mx amavis[6432]: (06432-04) Checking: x"

struct joined {
	struct ml_clock	 c;
	struct ml_join	*j;
	char		*line[8];
	size_t		 nline;
	struct ml_frame	 out[64];
	size_t		 nout;
};

/* Push a line (kept until joined_free: the joiner may point into it). */
static void
push(struct joined *jd, const char *s)
{
	struct ml_frame	 fr;
	size_t		 len = strlen(s);
	char		*b = malloc(len);

	ck_assert_ptr_nonnull(b);
	memcpy(b, s, len);
	free(jd->line[jd->nline % 8]);
	jd->line[jd->nline++ % 8] = b;
	ck_assert_int_eq(ml_frame_parse(&jd->c, b, len, &fr), 0);
	ml_join_push(jd->j, &fr);
	jd->nout = 0;
	while (jd->nout < nitems(jd->out) &&
	    ml_join_next(jd->j, &jd->out[jd->nout]))
		jd->nout++;
}

static void
flush(struct joined *jd, int64_t before)
{
	ml_join_flush(jd->j, before);
	jd->nout = 0;
	while (jd->nout < nitems(jd->out) &&
	    ml_join_next(jd->j, &jd->out[jd->nout]))
		jd->nout++;
}

static void
joined_init(struct joined *jd)
{
	memset(jd, 0, sizeof(*jd));
	set_tz("UTC");
	ml_clock_init(&jd->c, NOW);
	jd->j = ml_join_new();
}

static void
joined_free(struct joined *jd)
{
	size_t	 i;

	for (i = 0; i < 8; i++)
		free(jd->line[i]);
	ml_join_free(jd->j);
}

START_TEST(test_split_joined)
{
	struct joined		 jd;
	struct av_verdict	 v;

	joined_init(&jd);
	push(&jd, P1);
	ck_assert_uint_eq(jd.nout, 0);
	push(&jd, OTHER_PID);			/* another child in between */
	ck_assert_uint_eq(jd.nout, 1);
	ck_assert_int_eq(jd.out[0].pid, 6432);
	push(&jd, P2);
	ck_assert_uint_eq(jd.nout, 0);
	push(&jd, P3);
	ck_assert_uint_eq(jd.nout, 1);
	ck_assert_uint_eq(jd.out[0].flags, ML_F_JOINED);
	ck_assert_int_eq(jd.out[0].pid, 6433);
	S_EQ(jd.out[0].host, "mx");
	S_EQ(jd.out[0].prog, "amavis");
	ck_assert_int_eq(jd.out[0].time, 1795528328);
	ck_assert_int_eq(amavis_parse_line(&v, &jd.out[0]), AV_VERDICT);
	ck_assert_uint_eq(v.nrcpts, 30);
	S_EQ(v.mail_id, "PS7DKPtIN6J7");
	S_EQ(v.queued_id, "292e4292");
	S_EQ(v.subject, "Many recipients");
	S_EQ(v.autolearn, "no autolearn_force=no");
	ck_assert_int_eq(v.elapsed, 81);
	ck_assert_uint_eq(ml_join_stats(jd.j)->joined, 1);
	flush(&jd, INT64_MAX);
	ck_assert_uint_eq(jd.nout, 0);
	joined_free(&jd);
}
END_TEST

/* The continuation never comes: the first piece still does, by itself. */
START_TEST(test_split_missing)
{
	struct joined		 jd;
	struct av_verdict	 v;
	struct ml_str		 rest, r;
	size_t			 i;
	char			 line[128];

	joined_init(&jd);
	push(&jd, P1);
	flush(&jd, 1795528328);			/* not older than its time */
	ck_assert_uint_eq(jd.nout, 0);
	flush(&jd, 1795528329);
	ck_assert_uint_eq(jd.nout, 1);
	ck_assert(jd.out[0].flags & ML_F_TRUNCATED);
	ck_assert_int_eq(memcmp(jd.out[0].msg + jd.out[0].msglen - 7,
	    "<user18", 7), 0);
	ck_assert_int_eq(amavis_parse_line(&v, &jd.out[0]), AV_VERDICT);
	ck_assert(v.flags & AV_F_PARTIAL);
	S_EQ(v.logid, "06433-04");
	S_EQ(v.sender, "alice@sender.example");
	ck_assert_uint_eq(v.nrcpts, 18);
	rest = v.rcpts;
	for (i = 0; av_rcpt_next(&rest, &r); i++)
		;
	S_EQ(r, "user18");
	ck_assert_int_eq(v.hits, CELL_NONE);
	ck_assert_int_eq(v.elapsed, CELL_NONE);
	ck_assert_uint_eq(v.mail_id.len, 0);

	/* the same child logs something else: out first, in order */
	push(&jd, P1);
	push(&jd, "Nov 24 13:52:09 mx amavis[6433]: (06433-05) Checking: x");
	ck_assert_uint_eq(jd.nout, 2);
	ck_assert(jd.out[0].flags & ML_F_TRUNCATED);
	ck_assert_uint_eq(jd.out[1].flags, 0);
	ck_assert_int_eq(memcmp(jd.out[1].msg, "(06433-05)", 10), 0);

	/* or nothing more from it: out after ML_JOIN_AGE lines */
	push(&jd, P1);
	for (i = 0; i < ML_JOIN_AGE; i++) {
		snprintf(line, sizeof(line),
		    "Nov 24 13:52:09 mx amavis[%zu]: (x) y", 10000 + i);
		push(&jd, line);
		ck_assert_uint_eq(jd.nout, 1);
	}
	push(&jd, OTHER_PID);
	ck_assert_uint_eq(jd.nout, 2);
	ck_assert(jd.out[0].flags & ML_F_TRUNCATED);
	ck_assert_int_eq(jd.out[0].pid, 6433);
	ck_assert_int_eq(jd.out[1].pid, 6432);

	/* continuations whose start is lost: out one by one */
	push(&jd, P2);
	ck_assert_uint_eq(jd.nout, 1);
	ck_assert_uint_eq(jd.out[0].flags, ML_F_HEADLESS);
	ck_assert_int_eq(amavis_parse_line(&v, &jd.out[0]), AV_OTHER);
	push(&jd, P3);
	ck_assert_uint_eq(jd.nout, 1);
	ck_assert_uint_eq(jd.out[0].flags, ML_F_HEADLESS);
	ck_assert_uint_eq(ml_join_stats(jd.j)->truncated, 3);
	ck_assert_uint_eq(ml_join_stats(jd.j)->headless, 2);
	joined_free(&jd);
}
END_TEST

/* A first piece ("Passed xxx...") or a next one ("...yyy...") from pid. */
static void
piece(char *b, size_t sz, int pid, int first)
{
	size_t	 n;

	n = (size_t)snprintf(b, sz, "Nov 24 13:52:08 mx amavis[%d]: (%d-01) %s",
	    pid, pid, first ? "Passed " : "...");
	memset(b + n, first ? 'x' : 'y', 950);
	memcpy(b + n + 950, "...", 4);
}

/* Never more than ML_JOIN_SLOTS pieces waiting, nor ML_JOIN_MAX bytes. */
START_TEST(test_split_bounded)
{
	struct joined	 jd;
	char		 b[2048];
	size_t		 i, total = 0;
	int64_t		 prev;

	joined_init(&jd);
	for (i = 0; i < 40; i++) {
		piece(b, sizeof(b), 100 + (int)i, 1);
		push(&jd, b);
		if (i < ML_JOIN_SLOTS)
			ck_assert_uint_eq(jd.nout, 0);
		else {
			/* the oldest goes out */
			ck_assert_uint_eq(jd.nout, 1);
			ck_assert(jd.out[0].flags & ML_F_TRUNCATED);
			ck_assert_int_eq(jd.out[0].pid,
			    (int64_t)(100 + i - ML_JOIN_SLOTS));
			ck_assert_uint_eq(jd.out[0].msglen, 16 + 950);
		}
	}
	flush(&jd, INT64_MAX);
	ck_assert_uint_eq(jd.nout, ML_JOIN_SLOTS);
	for (i = 1, prev = jd.out[0].pid; i < jd.nout; prev = jd.out[i++].pid)
		ck_assert_int_gt(jd.out[i].pid, prev);
	ck_assert_uint_eq(ml_join_stats(jd.j)->truncated, 40);

	/* too short to be a piece */
	push(&jd, "Nov 24 13:52:08 mx amavis[7]: (7-01) Passed "
	    "CLEAN {RelayedInbound}, <a@b> -> <c@d>...");
	ck_assert_uint_eq(jd.nout, 1);
	ck_assert_uint_eq(jd.out[0].flags, 0);

	/* a line that never ends: cut at ML_JOIN_MAX */
	piece(b, sizeof(b), 7, 1);
	push(&jd, b);
	ck_assert_uint_eq(jd.nout, 0);
	piece(b, sizeof(b), 7, 0);
	for (i = 0; i < 200 && jd.nout == 0; i++) {
		push(&jd, b);
		total++;
	}
	ck_assert_uint_eq(jd.nout, 1);
	ck_assert_uint_eq(jd.out[0].flags, ML_F_JOINED | ML_F_TRUNCATED);
	ck_assert_uint_eq(jd.out[0].msglen + jd.out[0].host.len +
	    jd.out[0].prog.len, ML_JOIN_MAX);
	ck_assert_uint_eq(total, (ML_JOIN_MAX - 8 - 14 - 950) / 950 + 1);
	push(&jd, b);				/* the rest: headless */
	ck_assert_uint_eq(jd.nout, 1);
	ck_assert_uint_eq(jd.out[0].flags, ML_F_HEADLESS);
	flush(&jd, INT64_MAX);
	ck_assert_uint_eq(jd.nout, 0);
	joined_free(&jd);
}
END_TEST

/* An alert mark before the "..." of a continuation. */
START_TEST(test_split_alert)
{
	struct joined	 jd;
	char		*a;
	size_t		 n;

	joined_init(&jd);
	a = malloc(2048);
	n = (size_t)snprintf(a, 2048, "Nov 24 13:52:08 mx amavis[9]: (9-01) (!)");
	memset(a + n, 'a', 960);
	memcpy(a + n + 960, "...", 4);
	push(&jd, a);
	ck_assert_uint_eq(jd.nout, 0);
	push(&jd, "Nov 24 13:52:08 mx amavis[9]: (9-01) (!)...end");
	ck_assert_uint_eq(jd.nout, 1);
	ck_assert_uint_eq(jd.out[0].flags, ML_F_JOINED);
	ck_assert_uint_eq(jd.out[0].msglen, 10 + 960 + 3);
	ck_assert_int_eq(memcmp(jd.out[0].msg + jd.out[0].msglen - 4, "aend",
	    4), 0);
	free(a);
	joined_free(&jd);
}
END_TEST

/* 8 KB lines: many recipients, a long Message-ID, and junk. */
START_TEST(test_long_lines)
{
	struct av_verdict	 v;
	char			*b = malloc(16384);
	size_t			 n, i;

	n = (size_t)snprintf(b, 16384, "(1-01) Passed CLEAN {RelayedInbound}, [127.0.0.1] <a@b> -> ");
	for (i = 0; i < 300; i++)
		n += (size_t)snprintf(b + n, 16384 - n, "%s<r%03zu@example.org>",
		    i ? "," : "", i);
	n += (size_t)snprintf(b + n, 16384 - n, ", Message-ID: <");
	for (i = 0; i < 1000; i++)
		n += (size_t)snprintf(b + n, 16384 - n, ", ]");
	n += (size_t)snprintf(b + n, 16384 - n, "@x>, mail_id: M, Hits: 1, size: 2, 3 ms");
	ck_assert_uint_gt(n, 8192);
	ck_assert_int_eq(msg(b, &v), AV_VERDICT);
	ck_assert_uint_eq(v.nrcpts, 300);
	ck_assert_uint_eq(v.message_id.len, 1 + 3000 + 3);
	S_EQ(v.mail_id, "M");
	ck_assert_int_eq(v.elapsed, 3);

	/* more anchors than the parser keeps */
	n = (size_t)snprintf(b, 16384, "(1-02) Passed CLEAN {RelayedInbound}, <a@b> -> <c@d>");
	for (i = 0; i < 600; i++)
		n += (size_t)snprintf(b + n, 16384 - n, ", Hits: 1");
	n += (size_t)snprintf(b + n, 16384 - n, ", 3 ms");
	ck_assert_int_eq(msg(b, &v), AV_VERDICT);
	ck_assert_int_eq(v.elapsed, 3);

	/* junk after "Passed " */
	for (i = 0; i < 8192; i++)
		b[i] = (char)(i * 7 + 13);
	memcpy(b, "(1) Passed ", 11);
	ck_assert_int_eq(msgn(b, 8192, &v), AV_BAD);
	memcpy(b + 11, "CLEAN {A}, <", 12);
	ck_assert_int_eq(msgn(b, 8192, &v), AV_BAD);
	memset(b + 23, ',', 8000);
	ck_assert_int_eq(msgn(b, 8192, &v), AV_BAD);
	memcpy(b + 23, "> -> ", 5);
	memset(b + 28, ' ', 8192 - 28);
	ck_assert_int_eq(msgn(b, 8192, &v), AV_VERDICT);
	ck_assert_uint_eq(v.rcpts.len, 8192 - 28);
	free(b);
}
END_TEST

static Suite *
amavis_suite(void)
{
	Suite	*s = suite_create("amavis");
	TCase	*tc;

	tc = tcase_create("fixtures");
	tcase_add_loop_test(tc, test_fixture_verdicts, 0,
	    (int)nitems(fixtures));
	tcase_add_test(tc, test_mixed_fate);
	tcase_add_test(tc, test_hostile_subject);
	tcase_add_loop_test(tc, test_wild, 0, (int)nitems(wilds));
	suite_add_tcase(s, tc);

	tc = tcase_create("lines");
	tcase_add_test(tc, test_hostile_fields);
	tcase_add_loop_test(tc, test_not_verdicts, 0, (int)nitems(others));
	tcase_add_loop_test(tc, test_recip_lines, 0, (int)nitems(recips));
	tcase_add_loop_test(tc, test_bad_lines, 0, (int)nitems(bads));
	tcase_add_test(tc, test_other_templates);
	tcase_add_test(tc, test_verdict_line);
	tcase_add_test(tc, test_scores);
	tcase_add_test(tc, test_reply_queue_id);
	tcase_add_test(tc, test_long_lines);
	suite_add_tcase(s, tc);

	tc = tcase_create("framing");
	tcase_add_test(tc, test_frames);
	tcase_add_test(tc, test_new_year);
	tcase_add_test(tc, test_local_time);
	tcase_add_test(tc, test_unvis);
	suite_add_tcase(s, tc);

	tc = tcase_create("split");
	tcase_add_test(tc, test_split_joined);
	tcase_add_test(tc, test_split_missing);
	tcase_add_test(tc, test_split_bounded);
	tcase_add_test(tc, test_split_alert);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	set_tz("UTC");
	return unit_run(amavis_suite());
}
