/*
 * amavisd-new's quarantine files: names and qpaths, and the header part of
 * every captured file in tests/fixtures/amavis/quarantine{,-flat} (the
 * expected fields are quarantine.tsv, made by gen-quarantine.py), then
 * folded, encoded, quoted, forged and hostile headers, and files that are
 * empty, truncated, corrupt, too big or no message at all, made at run
 * time in a temporary directory.
 */
#include "config.h"

#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <zlib.h>

#include "conf.h"
#include "provider.h"
#include "quarantine.h"
#include "unit.h"
#include "util.h"

#define AFIX(name)	FIXTURES "/amavis/" name
#define TSV_COLS	16

static char	 basedir[256];

/* The strings of a list field, joined by ','. */
static void
joined(const struct quar_head *h, enum quar_field f, char *out, size_t size)
{
	const char	*s = quar_field(h, f);
	uint32_t	 n, i;

	n = f == QF_ENV_FROM ? h->nfrom : f == QF_ENV_TO ? h->nto : h->nblocked;
	out[0] = '\0';
	for (i = 0; i < n; i++, s = quar_list_next(s)) {
		if (i > 0)
			strncat(out, ",", size - strlen(out) - 1);
		strncat(out, s, size - strlen(out) - 1);
	}
}

#define FIELD_EQ(h, f, want)						\
	ck_assert_msg(strcmp(quar_field((h), (f)), (want)) == 0,	\
	    "%s: \"%s\", not \"%s\"", #f, quar_field((h), (f)), (want))

static void
list_eq(const struct quar_head *h, enum quar_field f, const char *want)
{
	char	 got[4096];

	joined(h, f, got, sizeof(got));
	ck_assert_msg(strcmp(got, want) == 0, "list %d: \"%s\", not \"%s\"",
	    f, got, want);
}

static enum quar_err
parse(const char *text, struct quar_head *h)
{
	char		*copy;
	size_t		 len = strlen(text);
	enum quar_err	 e;

	/* alone in a buffer of its size: ASan sees overreads */
	copy = malloc(len ? len : 1);
	ck_assert_ptr_nonnull(copy);
	memcpy(copy, text, len);
	e = quar_parse_head(copy, len, h);
	free(copy);
	return e;
}

/* --- names --- */

static const struct good_name {
	const char	*qpath, *type, *mail_id;
	int		 gz, hashed;
	enum quar_type	 kind;
} good_names[] = {
	{ "S/spam-SkMBGGfgtCC1.gz", "spam", "SkMBGGfgtCC1", 1, 1, QT_SPAM },
	{ "spam-emvPDBCO7gsd.gz", "spam", "emvPDBCO7gsd", 1, 0, QT_SPAM },
	{ "badh-zROkaXVT9p33", "badh", "zROkaXVT9p33", 0, 0, QT_BADH },
	{ "h/spam-h9_I9GR6G--k.gz", "spam", "h9_I9GR6G--k", 1, 1, QT_SPAM },
	{ "d/virus-drJlObyg9LJb", "virus", "drJlObyg9LJb", 0, 1, QT_VIRUS },
	{ "D/virus-DixvPdAozzzC", "virus", "DixvPdAozzzC", 0, 1, QT_VIRUS },
	{ "T/banned-TAYXXZ5O1Yva", "banned", "TAYXXZ5O1Yva", 0, 1, QT_BANNED },
	{ "clean-abc123DEF456", "clean", "abc123DEF456", 0, 0, QT_OTHER },
	{ "a/archive-aBc.gz", "archive", "aBc", 1, 1, QT_OTHER },
	{ "unchecked-Q1", "unchecked", "Q1", 0, 0, QT_OTHER },
	{ "my_type-a+b", "my_type", "a+b", 0, 0, QT_OTHER },
	{ "spam-x-", "spam", "x-", 0, 0, QT_SPAM },
};

START_TEST(test_good_names)
{
	const struct good_name	*g = &good_names[_i];
	struct quar_name	 qn;

	ck_assert_int_eq(quar_qpath_ok(g->qpath), 1);
	ck_assert_int_eq(quar_name_parse(g->qpath, &qn), 0);
	ck_assert_str_eq(qn.qpath, g->qpath);
	ck_assert_str_eq(qn.type, g->type);
	ck_assert_str_eq(qn.mail_id, g->mail_id);
	ck_assert_int_eq(qn.gz, g->gz);
	ck_assert_int_eq(qn.hashed, g->hashed);
	ck_assert_int_eq(qn.kind, g->kind);
}
END_TEST

/* Names that pass as qpaths but are no TYPE-MAILID[.gz]. */
static const char *odd_names[] = {
	"spam", "spam-", "spam-.gz", "S/-abc", "spam-abc.txt",
	"spam-abc.gz.gz", "S/spam", "x.y-abc", "spam-a.b",
	"typethatisfartoolongforanyoperatortoname-abc",
	"spam-0123456789012345678901234567890123456789012345678",
};

START_TEST(test_odd_names)
{
	struct quar_name	 qn;

	ck_assert_int_eq(quar_name_parse(odd_names[_i], &qn), -1);
	ck_assert_str_eq(qn.qpath, "");
}
END_TEST

/* Never on an argv: each also fails quar_name_parse. */
static const char *bad_qpaths[] = {
	"", "..", "../spam-X", "S/../spam-X", "S/..", "spam-X..gz",
	"a..b", "$(rm -rf /)", "spam-$(rm -rf /)", "`id`", "-rf",
	"--help", "-", "a b", "spam-X ", " spam-X", "a\tb", "spam-X\n",
	"spam-X;rm", "spam-X|sh", "spam-X&", "a'b", "a\"b", "a\\b", "a*",
	"a?", "a~", "a>b", "a<b", "a%b", "a=b", "a:b", "a,b", "a@b",
	"/etc/passwd", "/var/virusmails/spam-X.gz", "S/T/spam-X.gz",
	"S//spam-X", "S/", "S/.", ".hidden", "_x", "+x", "spam-\303\244",
	"spam-X\033[2J",
	"a234567890123456789012345678901234567890123456789012345678901234"
	"5678901234567890123456789012345678901234567890123456789012345678",
};

START_TEST(test_bad_qpaths)
{
	struct quar_name	 qn;

	ck_assert_msg(!quar_qpath_ok(bad_qpaths[_i]), "\"%s\" passed",
	    bad_qpaths[_i]);
	ck_assert_int_eq(quar_name_parse(bad_qpaths[_i], &qn), -1);
}
END_TEST

START_TEST(test_qpath_edges)
{
	char	 name[QUAR_QPATH_MAX + 1];

	/* amavisd's rule lets these through; so do we */
	ck_assert_int_eq(quar_qpath_ok("a"), 1);
	ck_assert_int_eq(quar_qpath_ok("S/-rf"), 1);
	ck_assert_int_eq(quar_qpath_ok("a.b_c+d-e"), 1);
	ck_assert_int_eq(quar_qpath_ok("S/.x"), 1);
	ck_assert_int_eq(quar_qpath_ok("0/spam-0abc"), 1);
	/* the longest that fits, and one more */
	memset(name, 'a', sizeof(name));
	name[QUAR_QPATH_MAX - 1] = '\0';
	ck_assert_int_eq(quar_qpath_ok(name), 1);
	name[QUAR_QPATH_MAX - 1] = 'a';
	name[QUAR_QPATH_MAX] = '\0';
	ck_assert_int_eq(quar_qpath_ok(name), 0);
	ck_assert_str_eq(quar_type_label(QT_BADH), "bad header");
	ck_assert_str_eq(quar_type_label(QT_OTHER), "other");
}
END_TEST

/* Every file of the captured hashed tree, as find(1) listed it. */
START_TEST(test_find_listing)
{
	struct quar_name	 qn;
	char			*buf, *line, *save = NULL;
	size_t			 len, n = 0;

	buf = unit_slurp(AFIX("quarantine-find.txt"), &len);
	for (line = strtok_r(buf, "\n", &save); line != NULL;
	    line = strtok_r(NULL, "\n", &save)) {
		ck_assert_msg(strncmp(line, "virusmails/", 11) == 0, "%s", line);
		line += 11;
		ck_assert_msg(quar_name_parse(line, &qn) == 0, "%s", line);
		ck_assert_int_eq(qn.hashed, 1);
		ck_assert_int_ne(qn.kind, QT_OTHER);
		ck_assert_int_eq(qn.gz, qn.kind == QT_SPAM);
		/* amavis files a message under its mail_id's first char */
		ck_assert_int_eq(line[0], qn.mail_id[0]);
		n++;
	}
	ck_assert_uint_eq(n, 23);
	free(buf);
}
END_TEST

/* --- the captured files --- */

START_TEST(test_fixture_files)
{
	static const char	*gzs[] = { "0", "1" };
	struct quar_name	 qn;
	struct quar_head	 h;
	struct stat		 st;
	char			**rows, *buf, got[4096], *rel;
	size_t			 n, i, g, total = 0;
	int			 hashed, flat, dfd;
	char			 score[32];

	hashed = open(AFIX("quarantine"), O_RDONLY | O_DIRECTORY);
	flat = open(AFIX("quarantine-flat"), O_RDONLY | O_DIRECTORY);
	ck_assert_int_ge(hashed, 0);
	ck_assert_int_ge(flat, 0);
	for (g = 0; g < nitems(gzs); g++) {
		rows = unit_load_tsv(AFIX("quarantine.tsv"), TSV_COLS, 3,
		    gzs[g], &n, &buf);
		for (i = 0; i < n; i++, total++) {
			char	**r = rows + i * TSV_COLS;

			if (strncmp(r[0], "quarantine/", 11) == 0) {
				dfd = hashed;
				rel = r[0] + 11;
			} else {
				ck_assert(strncmp(r[0], "quarantine-flat/",
				    16) == 0);
				dfd = flat;
				rel = r[0] + 16;
			}
			ck_assert_msg(quar_name_parse(rel, &qn) == 0, "%s", rel);
			ck_assert_str_eq(qn.type, r[1]);
			ck_assert_str_eq(qn.mail_id, r[2]);
			ck_assert_int_eq(qn.gz, atoi(r[3]));
			ck_assert_int_eq(qn.hashed, dfd == hashed);
			memset(&st, 0, sizeof(st));
			ck_assert_msg(quar_read_head(dfd, qn.qpath, qn.gz, &h,
			    &st) == QE_OK, "%s: %s", rel, quar_strerror(&h));
			ck_assert(S_ISREG(st.st_mode) && st.st_size > 0);
			ck_assert(h.flags & QH_ENDED);
			ck_assert_uint_gt(h.hdrlen, 900);
			ck_assert_uint_lt(h.hdrlen, 1300);
			ck_assert_uint_eq(h.nfrom, 1);
			joined(&h, QF_ENV_FROM, got, sizeof(got));
			ck_assert_str_eq(got, r[4]);
			joined(&h, QF_ENV_TO, got, sizeof(got));
			ck_assert_str_eq(got, r[5]);
			joined(&h, QF_ENV_BLOCKED, got, sizeof(got));
			ck_assert_str_eq(got, r[6]);
			FIELD_EQ(&h, QF_QUAR_ID, r[7]);
			/* the quarantine id is the mail_id */
			FIELD_EQ(&h, QF_QUAR_ID, qn.mail_id);
			FIELD_EQ(&h, QF_ALERT, r[8]);
			FIELD_EQ(&h, QF_REASON, r[9]);
			if (h.score == CELL_NONE)
				snprintf(score, sizeof(score), "-");
			else
				snprintf(score, sizeof(score), "%lld",
				    (long long)h.score);
			ck_assert_str_eq(score, r[10]);
			FIELD_EQ(&h, QF_TESTS, r[11]);
			FIELD_EQ(&h, QF_FROM, r[12]);
			FIELD_EQ(&h, QF_SUBJECT, r[13]);
			FIELD_EQ(&h, QF_DATE, r[14]);
			FIELD_EQ(&h, QF_MESSAGE_ID, r[15]);
			ck_assert_int_eq(qn.kind == QT_SPAM,
			    strncmp(quar_field(&h, QF_SPAM_STATUS), "Yes,",
			    4) == 0);
			quar_head_free(&h);
		}
		free(rows);
		free(buf);
	}
	/* 23 hashed (quarantine-find.txt) and 7 flat */
	ck_assert_uint_eq(total, 30);
	close(hashed);
	close(flat);
}
END_TEST

/* --- headers made here --- */

START_TEST(test_folded_quoted)
{
	static const char	*msg[] = {
	    "Return-Path: <\"a@b >>=c\"@example.com>\n"
	    "Delivered-To: spam-quarantine\n"
	    "X-Envelope-From: <\"a@b >>=c\"@example.com>\n"
	    "X-Envelope-To: <bob@example.org>,\n"
	    " <\"weird,name\"@example.org>,\n"
	    "\t<\"q\\\"<>\"@x.example>, <>\n"
	    "X-Envelope-To-Blocked: <\"weird,name\"@example.org>\n"
	    "X-Quarantine-ID: <abcDEF012_-9>\n"
	    "X-Amavis-Alert: INFECTED, message contains virus: A.B, C-D\n"
	    "X-Amavis-Alert: BANNED, message contains\n"
	    " application/x-msdownload,a.exe\n"
	    "x-spam-score: -0.5\n"
	    "X-Spam-Status: Yes, score=-0.5 tag=2 tag2=5 kill=10 tests=[A=1,\n"
	    " B_B=-2,\n"
	    "\tC.C=0.5] autolearn=no\n"
	    "Received: from x\n"
	    " by y\n"
	    "SUBJECT: folded\n"
	    " over\n"
	    "\tthree lines  \n"
	    "Message-Id:   <m@x>\n"
	    "Date: Tue, 24 Nov 2026\n"
	    " 13:52:37 -0000\n"
	    "\n"
	    "Subject: the body\n",
	    NULL };
	struct quar_head	 h;
	char			*crlf, *p;
	const char		*s;
	int			 pass;

	for (pass = 0; pass < 2; pass++) {
		if (pass == 0)
			ck_assert_int_eq(parse(msg[0], &h), QE_OK);
		else {
			/* the same with CRLF line ends */
			crlf = xmalloc(2 * strlen(msg[0]) + 1);
			for (s = msg[0], p = crlf; *s != '\0'; s++) {
				if (*s == '\n')
					*p++ = '\r';
				*p++ = *s;
			}
			*p = '\0';
			ck_assert_int_eq(parse(crlf, &h), QE_OK);
			free(crlf);
		}
		ck_assert(h.flags & QH_ENDED);
		ck_assert_uint_eq(h.nfrom, 1);
		FIELD_EQ(&h, QF_ENV_FROM, "\"a@b >>=c\"@example.com");
		ck_assert_uint_eq(h.nto, 4);
		list_eq(&h, QF_ENV_TO, "bob@example.org,"
		    "\"weird,name\"@example.org,\"q\\\"<>\"@x.example,");
		ck_assert_uint_eq(h.nblocked, 1);
		list_eq(&h, QF_ENV_BLOCKED, "\"weird,name\"@example.org");
		FIELD_EQ(&h, QF_QUAR_ID, "abcDEF012_-9");
		FIELD_EQ(&h, QF_ALERT, "INFECTED, message contains virus: "
		    "A.B, C-D; BANNED, message contains "
		    "application/x-msdownload,a.exe");
		FIELD_EQ(&h, QF_REASON, "A.B, C-D; application/x-msdownload,a.exe");
		ck_assert_int_eq(h.score, -500);
		FIELD_EQ(&h, QF_TESTS, "A=1,B_B=-2,C.C=0.5");
		FIELD_EQ(&h, QF_SUBJECT, "folded over\tthree lines");
		FIELD_EQ(&h, QF_MESSAGE_ID, "<m@x>");
		FIELD_EQ(&h, QF_DATE, "Tue, 24 Nov 2026 13:52:37 -0000");
		FIELD_EQ(&h, QF_FROM, "");
		quar_head_free(&h);
	}
}
END_TEST

START_TEST(test_addr_shapes)
{
	struct quar_head	 h;

	/* no angle brackets at all: commas */
	ck_assert_int_eq(parse("X-Envelope-To: a@b,  c@d ,,\"x, y\"@e\n"
	    "X-Envelope-From: <>\nX-Envelope-To-Blocked:\n\n", &h), QE_OK);
	ck_assert_uint_eq(h.nto, 3);
	list_eq(&h, QF_ENV_TO, "a@b,c@d,\"x, y\"@e");
	ck_assert_uint_eq(h.nfrom, 1);
	FIELD_EQ(&h, QF_ENV_FROM, "");
	ck_assert_uint_eq(h.nblocked, 0);
	quar_head_free(&h);

	/* an unclosed bracket or quote runs to the end */
	ck_assert_int_eq(parse("X-Envelope-To: <a@b>, <c@d\n"
	    "X-Envelope-From: <\"x>@y\n\n", &h), QE_OK);
	list_eq(&h, QF_ENV_TO, "a@b,c@d");
	FIELD_EQ(&h, QF_ENV_FROM, "\"x>@y");
	quar_head_free(&h);

	/* absent: no list, and "" */
	ck_assert_int_eq(parse("Subject: x\n", &h), QE_OK);
	ck_assert_uint_eq(h.nfrom + h.nto + h.nblocked, 0);
	FIELD_EQ(&h, QF_ENV_TO, "");
	ck_assert(h.score == CELL_NONE);
	ck_assert(!(h.flags & QH_ENDED));
	quar_head_free(&h);
}
END_TEST

/* Below amavis' Received: the sender's headers, not amavis'. */
START_TEST(test_forged_below)
{
	struct quar_head	 h;

	ck_assert_int_eq(parse(
	    "X-Envelope-From: <real@sender.example>\n"
	    "X-Quarantine-ID: <real>\n"
	    "Received: from mx (amavis)\n"
	    "X-Envelope-To-Blocked: <victim@example.org>\n"
	    "X-Envelope-From: <forged@example>\n"
	    "X-Amavis-Alert: BANNED, message contains nothing\n"
	    "X-Spam-Score: -999\n"
	    "X-Spam-Status: No, score=-999 tests=[FORGED=-999]\n"
	    "X-Quarantine-ID: <forged>\n"
	    "Subject: hi\n\n", &h), QE_OK);
	FIELD_EQ(&h, QF_ENV_FROM, "real@sender.example");
	ck_assert_uint_eq(h.nblocked, 0);
	FIELD_EQ(&h, QF_ALERT, "");
	FIELD_EQ(&h, QF_REASON, "");
	ck_assert(h.score == CELL_NONE);
	FIELD_EQ(&h, QF_SPAM_STATUS, "");
	FIELD_EQ(&h, QF_TESTS, "");
	FIELD_EQ(&h, QF_QUAR_ID, "real");
	FIELD_EQ(&h, QF_SUBJECT, "hi");
	quar_head_free(&h);
}
END_TEST

START_TEST(test_spam_status_shapes)
{
	struct quar_head	 h;

	/* SpamAssassin's own header: no brackets, folded after commas */
	ck_assert_int_eq(parse("X-Spam-Status: Yes, score=1000.0 required=5.0 "
	    "tests=GTUBE,\n\tNO_RECEIVED autolearn=no version=4.0.1\n"
	    "X-Spam-Score: 1000.0\n\n", &h), QE_OK);
	FIELD_EQ(&h, QF_TESTS, "GTUBE,NO_RECEIVED");
	ck_assert_int_eq(h.score, 1000000);
	quar_head_free(&h);

	ck_assert_int_eq(parse("X-Spam-Status: No, score=0.1 tests=none "
	    "autolearn=no\nX-Spam-Score: x\n\n", &h), QE_OK);
	FIELD_EQ(&h, QF_TESTS, "");
	ck_assert(h.score == CELL_NONE);
	quar_head_free(&h);

	/* amavis' for a message it did not check */
	ck_assert_int_eq(parse("X-Spam-Status: No, score=x tag=x tag2=x "
	    "kill=x tests=[] autolearn=unavailable\n\n", &h), QE_OK);
	FIELD_EQ(&h, QF_TESTS, "");
	FIELD_EQ(&h, QF_SPAM_STATUS, "No, score=x tag=x tag2=x kill=x "
	    "tests=[] autolearn=unavailable");
	quar_head_free(&h);
}
END_TEST

static const struct {
	const char	*raw, *want;
} encoded[] = {
	{ "=?ISO-8859-1?Q?caf=E9?=", "caf\303\251" },
	{ "=?iso-8859-1?b?Y2Fm6Q==?=", "caf\303\251" },
	{ "=?UTF-8?B?Y2Fmw6k=?=", "caf\303\251" },
	{ "=?UTF-8?B?Y2Fmw6k?=", "caf\303\251" },	/* padding left out */
	{ "=?utf-8?q?caf=c3=a9_cr=C3=A8me?=", "caf\303\251 cr\303\250me" },
	{ "=?utf-8*fr?Q?x_y?=", "x y" },		/* RFC 2231 language */
	{ "Re: =?utf-8?q?caf=C3=A9?= and more", "Re: caf\303\251 and more" },
	/* adjacent words: the space between goes, split characters join */
	{ "=?UTF-8?B?8J+Y?= =?UTF-8?B?gA==?=", "\360\237\230\200" },
	{ "=?UTF-8?Q?a=C3?=\n =?UTF-8?Q?=A9b?=", "a\303\251b" },
	{ "=?utf-8?q?a?=  \t =?utf-8?q?b?=", "ab" },
	{ "=?utf-8?q?a?==?utf-8?q?b?=", "ab" },
	{ "=?iso-8859-1?q?=E9?= =?utf-8?q?=C3=A9?=", "\303\251\303\251" },
	{ "=?iso-8859-15?q?=A4?= =?windows-1252?q?=80?=",
	    "\342\202\254\342\202\254" },
	/* not adjacent: what is between stays */
	{ "=?utf-8?q?a?= b =?utf-8?q?c?=", "a b c" },
	/* invalid ones are left as they are, and cost their neighbours
	   nothing */
	{ "=?x-no-such-charset?q?a?=", "=?x-no-such-charset?q?a?=" },
	{ "=?x-nope?q?a?= =?utf-8?q?b?=", "=?x-nope?q?a?= b" },
	{ "=?utf-8?q?a?= =?x-nope?q?b?=", "a =?x-nope?q?b?=" },
	{ "=?utf-8?q?=FF?=", "=?utf-8?q?=FF?=" },	/* not UTF-8 */
	{ "=?UTF-8?B?8J+Y?=", "=?UTF-8?B?8J+Y?=" },	/* cut character */
	{ "=?utf-8?b?!!!!?=", "=?utf-8?b?!!!!?=" },
	{ "=?utf-8?b?Y?=", "=?utf-8?b?Y?=" },
	{ "=?utf-8?q?=4?=", "=?utf-8?q?=4?=" },
	{ "=?utf-8?x?abc?=", "=?utf-8?x?abc?=" },
	{ "=?utf-8?q?a b?=", "=?utf-8?q?a b?=" },
	{ "=?" "?q?a?=", "=?" "?q?a?=" },
	{ "=?utf-8?q?abc", "=?utf-8?q?abc" },
	{ "a =? b ?= c", "a =? b ?= c" },
	{ "=?utf-8?q?" "?=", "" },
	{ "a =?iso-8859-1?q?" "?= =?iso-8859-1?q?" "?= b", "a  b" },
	/* a NUL cannot be in a string: U+FFFD */
	{ "=?utf-8?q?a=00b?=", "a\357\277\275b" },
	/* ESC is a character like any other: the UI sanitizes */
	{ "=?utf-8?q?=1B]0;x=07?=", "\033]0;x\007" },
};

START_TEST(test_encoded_words)
{
	struct quar_head	 h;
	char			 text[512];

	snprintf(text, sizeof(text), "Subject: %s\nFrom: %s <a@b>\n\n",
	    encoded[_i].raw, encoded[_i].raw);
	ck_assert_int_eq(parse(text, &h), QE_OK);
	FIELD_EQ(&h, QF_SUBJECT, encoded[_i].want);
	snprintf(text, sizeof(text), "%s <a@b>", encoded[_i].want);
	FIELD_EQ(&h, QF_FROM, text);
	quar_head_free(&h);
}
END_TEST

START_TEST(test_encoded_elsewhere)
{
	struct quar_head	 h;

	/* only Subject and From are decoded */
	ck_assert_int_eq(parse("Message-ID: =?utf-8?q?x?=\n"
	    "X-Envelope-To: <=?utf-8?q?x?=@y>\n\n", &h), QE_OK);
	FIELD_EQ(&h, QF_MESSAGE_ID, "=?utf-8?q?x?=");
	FIELD_EQ(&h, QF_ENV_TO, "=?utf-8?q?x?=@y");
	quar_head_free(&h);
}
END_TEST

/* Stored as the sender sent them, byte for byte: the UI sanitizes. */
static const char *hostile[] = {
	"\033[31mred\033[0m",			/* CSI, 7-bit */
	"\302\233" "2J and \233" "2J",		/* CSI, UTF-8 and raw C1 */
	"\033]0;pwned\007",			/* OSC, BEL */
	"\033]8;;http://evil.example\007link\033]8;;\007",	/* OSC 8 */
	"\300\257 \377\376 \355\240\200 caf\351",	/* invalid UTF-8 */
	"\342\200\256txt.exe",			/* RLO */
	"\r\033[2K\rfake",			/* a CR inside a line */
};

START_TEST(test_hostile)
{
	struct quar_head	 h;
	char			 text[512];

	snprintf(text, sizeof(text), "X-Envelope-From: <\"%s\"@evil.example>\n"
	    "X-Envelope-To: <a@b>, <%s@c>\n"
	    "Received: x\n"
	    "From: %s <x@evil.example>\nSubject: %s\n\n",
	    hostile[_i], hostile[_i], hostile[_i], hostile[_i]);
	ck_assert_int_eq(parse(text, &h), QE_OK);
	snprintf(text, sizeof(text), "\"%s\"@evil.example", hostile[_i]);
	FIELD_EQ(&h, QF_ENV_FROM, text);
	snprintf(text, sizeof(text), "a@b,%s@c", hostile[_i]);
	list_eq(&h, QF_ENV_TO, text);
	FIELD_EQ(&h, QF_SUBJECT, hostile[_i]);
	snprintf(text, sizeof(text), "%s <x@evil.example>", hostile[_i]);
	FIELD_EQ(&h, QF_FROM, text);
	quar_head_free(&h);
}
END_TEST

START_TEST(test_nul_inside)
{
	static const char	 msg[] = "X-Envelope-From: <a\0b@c>\n"
	    "Subject: x\0y\0\n\n";
	struct quar_head	 h;

	ck_assert_int_eq(quar_parse_head(msg, sizeof(msg) - 1, &h), QE_OK);
	FIELD_EQ(&h, QF_ENV_FROM, "a\357\277\275b@c");
	FIELD_EQ(&h, QF_SUBJECT, "x\357\277\275y\357\277\275");
	quar_head_free(&h);
}
END_TEST

START_TEST(test_not_messages)
{
	static const struct {
		const char	*text;
		size_t		 len;
		enum quar_err	 err;
	} cases[] = {
		{ "", 0, QE_EMPTY },
		{ "\n", 1, QE_NOTMSG },
		{ "\nSubject: body\n", 15, QE_NOTMSG },
		{ "hello world\n", 12, QE_NOTMSG },
		{ " Subject: folded first\n", 23, QE_NOTMSG },
		{ ": no name\n", 10, QE_NOTMSG },
		{ "\177ELF\002\001\001\0\0\0", 10, QE_NOTMSG },
		{ "\037\213\010\0\0\0\0\0\0\003", 10, QE_NOTMSG },
		{ "%PDF-1.4\n", 9, QE_NOTMSG },
		/* these are messages */
		{ "Subject: x", 10, QE_OK },
		{ "From a@b Tue Nov 24 13:50:00 2026\nSubject: x\n\n", 46,
		    QE_OK },
		{ "Subject: x\nthen no field\nTo: y\n", 32, QE_OK },
	};
	struct quar_head	 h;
	size_t			 i;

	for (i = 0; i < nitems(cases); i++) {
		ck_assert_msg(quar_parse_head(cases[i].text, cases[i].len,
		    &h) == cases[i].err, "case %zu: %s", i, quar_strerror(&h));
		ck_assert_ptr_nonnull(h.buf);
		FIELD_EQ(&h, QF_ENV_TO, "");
		quar_head_free(&h);
	}
	/* a line that is no field ends the header */
	ck_assert_int_eq(parse("Subject: x\nthen no field\nTo: y\n", &h),
	    QE_OK);
	ck_assert_uint_eq(h.hdrlen, 11);
	ck_assert(!(h.flags & QH_ENDED));
	quar_head_free(&h);
}
END_TEST

/* --- files --- */

static char	 dir[512];
static int	 dfd = -1;

static int
rm_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)ftw;
	return flag == FTW_DP ? rmdir(path) : unlink(path);
}

static void
dir_new(void)
{
	snprintf(dir, sizeof(dir), "%s/t.XXXXXX", basedir);
	ck_assert_msg(mkdtemp(dir) != NULL, "mkdtemp: %s", strerror(errno));
	dfd = open(dir, O_RDONLY | O_DIRECTORY);
	ck_assert_int_ge(dfd, 0);
}

static void
dir_rm(void)
{
	close(dfd);
	ck_assert_int_eq(nftw(dir, rm_one, 16, FTW_DEPTH | FTW_PHYS), 0);
}

static void
put_file(const char *name, const void *data, size_t len)
{
	int	 fd;

	fd = openat(dfd, name, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(write(fd, data, len), (ssize_t)len);
	close(fd);
}

static void
put_gz(const char *name, const void *data, size_t len)
{
	char	 path[1024];
	gzFile	 gz;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	ck_assert_ptr_nonnull(gz = gzopen(path, "wb6"));
	ck_assert_int_eq(gzwrite(gz, data, (unsigned)len), (int)len);
	ck_assert_int_eq(gzclose(gz), Z_OK);
}

static off_t
file_size(const char *name)
{
	struct stat	 st;

	ck_assert_int_eq(fstatat(dfd, name, &st, 0), 0);
	return st.st_size;
}

/* Header lines that do not compress: ~n bytes of them. */
static size_t
filler(char *p, size_t n)
{
	size_t		 len = 0;
	uint32_t	 x = 2463534242u;
	int		 i;

	while (len + 80 < n) {
		len += (size_t)sprintf(p + len, "X-Filler:");
		for (i = 0; i < 32; i++) {
			x ^= x << 13;
			x ^= x >> 17;
			x ^= x << 5;
			len += (size_t)sprintf(p + len, "%02x", x & 0xff);
		}
		p[len++] = '\n';
	}
	p[len] = '\0';
	return len;
}

static const char	 amavis_head[] =
    "X-Envelope-From: <spammer@spam.example>\n"
    "X-Envelope-To: <bob@example.org>\n"
    "X-Quarantine-ID: <T3stT3stT3st>\n"
    "X-Spam-Score: 1001.3\n"
    "Received: from mx\n";

START_TEST(test_file_errors)
{
	struct quar_head	 h;
	struct stat		 st;

	dir_new();
	put_file("empty-x", "", 0);
	ck_assert_int_eq(quar_read_head(dfd, "empty-x", 0, &h, NULL), QE_EMPTY);
	ck_assert_str_eq(quar_strerror(&h), "empty file");
	FIELD_EQ(&h, QF_SUBJECT, "");
	quar_head_free(&h);
	put_file("empty-x.gz", "", 0);
	ck_assert_int_eq(quar_read_head(dfd, "empty-x.gz", 1, &h, NULL),
	    QE_EMPTY);
	quar_head_free(&h);

	put_file("notmsg-x", "\177ELF\002\001\001\0\0\0\0\0", 12);
	ck_assert_int_eq(quar_read_head(dfd, "notmsg-x", 0, &h, NULL),
	    QE_NOTMSG);
	ck_assert_str_eq(quar_strerror(&h), "not a mail message");
	quar_head_free(&h);

	ck_assert_int_eq(quar_read_head(dfd, "spam-missing.gz", 1, &h, &st),
	    QE_SYS);
	ck_assert_int_eq(h.sys_errno, ENOENT);
	ck_assert_str_eq(quar_strerror(&h), strerror(ENOENT));
	FIELD_EQ(&h, QF_ENV_FROM, "");
	quar_head_free(&h);

	ck_assert_int_eq(mkdirat(dfd, "S", 0755), 0);
	ck_assert_int_eq(quar_read_head(dfd, "S", 0, &h, NULL), QE_NOTFILE);
	ck_assert_str_eq(quar_strerror(&h), "not a regular file");
	quar_head_free(&h);

	/* a link is not followed, even to a good file */
	put_file("S/spam-real", amavis_head, sizeof(amavis_head) - 1);
	ck_assert_int_eq(symlinkat("spam-real", dfd, "S/spam-link"), 0);
	ck_assert_int_eq(quar_read_head(dfd, "S/spam-link", 0, &h, NULL),
	    QE_NOTFILE);
	quar_head_free(&h);
	ck_assert_int_eq(quar_read_head(dfd, "S/spam-real", 0, &h, &st),
	    QE_OK);
	ck_assert_int_eq(st.st_size, (off_t)sizeof(amavis_head) - 1);
	FIELD_EQ(&h, QF_QUAR_ID, "T3stT3stT3st");
	quar_head_free(&h);

	/* a FIFO would block a reader for ever */
	ck_assert_int_eq(mkfifoat(dfd, "spam-fifo", 0644), 0);
	ck_assert_int_eq(quar_read_head(dfd, "spam-fifo", 0, &h, NULL),
	    QE_NOTFILE);
	quar_head_free(&h);

	/* root reads a mode 0 file: only others see EACCES */
	put_file("virus-locked", amavis_head, sizeof(amavis_head) - 1);
	ck_assert_int_eq(fchmodat(dfd, "virus-locked", 0, 0), 0);
	if (geteuid() != 0) {
		ck_assert_int_eq(quar_read_head(dfd, "virus-locked", 0, &h,
		    NULL), QE_SYS);
		ck_assert_int_eq(h.sys_errno, EACCES);
		quar_head_free(&h);
	}
	dir_rm();
}
END_TEST

START_TEST(test_gzip_files)
{
	struct quar_head	 h;
	char			*msg, *p;
	size_t			 len;
	off_t			 size;
	int			 fd;

	dir_new();
	msg = xmalloc(256 * 1024);
	len = (size_t)sprintf(msg, "%s", amavis_head);
	len += filler(msg + len, 8192);
	len += (size_t)sprintf(msg + len, "Subject: at the end\n\nbody\n");

	put_gz("spam-whole.gz", msg, len);
	ck_assert_int_eq(quar_read_head(dfd, "spam-whole.gz", 1, &h, NULL),
	    QE_OK);
	FIELD_EQ(&h, QF_ENV_FROM, "spammer@spam.example");
	FIELD_EQ(&h, QF_SUBJECT, "at the end");
	ck_assert_int_eq(h.score, 1001300);
	quar_head_free(&h);

	/* cut in the middle: what came before the cut is kept */
	size = file_size("spam-whole.gz");
	ck_assert_int_gt(size, 4000);
	fd = openat(dfd, "spam-whole.gz", O_WRONLY);
	ck_assert_int_eq(ftruncate(fd, size / 2), 0);
	close(fd);
	ck_assert_int_eq(quar_read_head(dfd, "spam-whole.gz", 1, &h, NULL),
	    QE_TRUNCATED);
	ck_assert_str_eq(quar_strerror(&h), "truncated gzip data");
	FIELD_EQ(&h, QF_ENV_FROM, "spammer@spam.example");
	FIELD_EQ(&h, QF_QUAR_ID, "T3stT3stT3st");
	FIELD_EQ(&h, QF_SUBJECT, "");
	ck_assert(!(h.flags & QH_ENDED));
	quar_head_free(&h);

	/* cut inside gzip's own header */
	put_file("spam-cut.gz", "\037\213\010\0\0\0", 6);
	ck_assert_int_eq(quar_read_head(dfd, "spam-cut.gz", 1, &h, NULL),
	    QE_TRUNCATED);
	quar_head_free(&h);

	/* garbage where the deflate data should be */
	put_file("spam-bad.gz", "\037\213\010\0\0\0\0\0\0\003\377\377\377\377"
	    "\377\377\377\377", 18);
	ck_assert_int_eq(quar_read_head(dfd, "spam-bad.gz", 1, &h, NULL),
	    QE_GZIP);
	ck_assert_str_eq(quar_strerror(&h), "corrupt gzip data");
	quar_head_free(&h);

	/*
	 * A body that does not decompress after a good header: read up to
	 * the blank line only, it is never seen.
	 */
	len = (size_t)sprintf(msg, "%sSubject: big body\n\n", amavis_head);
	for (p = msg + len; p < msg + 200 * 1024; p += filler(p, 4096))
		;
	put_gz("spam-body.gz", msg, (size_t)(p - msg));
	size = file_size("spam-body.gz");
	fd = openat(dfd, "spam-body.gz", O_WRONLY);
	ck_assert_int_eq(pwrite(fd, "\377\377\377\377\377\377\377\377", 8,
	    size - 2000), 8);
	close(fd);
	ck_assert_int_eq(quar_read_head(dfd, "spam-body.gz", 1, &h, NULL),
	    QE_OK);
	FIELD_EQ(&h, QF_SUBJECT, "big body");
	quar_head_free(&h);
	{
		/* whereas reading the whole file fails */
		char	 path[1024], sink[8192];
		gzFile	 gz;
		int	 n, zerr;

		snprintf(path, sizeof(path), "%s/spam-body.gz", dir);
		ck_assert_ptr_nonnull(gz = gzopen(path, "rb"));
		while ((n = gzread(gz, sink, sizeof(sink))) > 0)
			;
		gzerror(gz, &zerr);
		ck_assert_int_ne(zerr, Z_OK);
		gzclose(gz);
	}

	/* a .gz name over plain text: zlib reads it as it is */
	put_file("spam-plain.gz", msg, len);
	ck_assert_int_eq(quar_read_head(dfd, "spam-plain.gz", 1, &h, NULL),
	    QE_OK);
	FIELD_EQ(&h, QF_SUBJECT, "big body");
	quar_head_free(&h);

	/* gzipped data under a plain name is no message */
	put_file("spam-zipped", "\037\213\010\0\0\0\0\0\0\003", 10);
	ck_assert_int_eq(quar_read_head(dfd, "spam-zipped", 0, &h, NULL),
	    QE_NOTMSG);
	quar_head_free(&h);
	free(msg);
	dir_rm();
}
END_TEST

START_TEST(test_too_big)
{
	struct quar_head	 h;
	char			*msg;
	size_t			 len, start;
	int			 gz;

	dir_new();
	msg = xmalloc(2 * QUAR_HEAD_MAX);
	for (gz = 0; gz <= 1; gz++) {
		/* many fields: those inside the cap are kept */
		len = (size_t)sprintf(msg, "%s", amavis_head);
		len += filler(msg + len, QUAR_HEAD_MAX + 4096);
		len += (size_t)sprintf(msg + len, "Subject: past the cap\n\nb\n");
		if (gz)
			put_gz("spam-big.gz", msg, len);
		else
			put_file("spam-big", msg, len);
		ck_assert_int_eq(quar_read_head(dfd, gz ? "spam-big.gz" :
		    "spam-big", gz, &h, NULL), QE_TOOBIG);
		ck_assert_str_eq(quar_strerror(&h), "header section over 64 KB");
		FIELD_EQ(&h, QF_ENV_FROM, "spammer@spam.example");
		FIELD_EQ(&h, QF_SUBJECT, "");
		ck_assert_uint_le(h.hdrlen, QUAR_HEAD_MAX);
		ck_assert_uint_gt(h.hdrlen, QUAR_HEAD_MAX - 100);
		quar_head_free(&h);
	}

	/* one field folded on and on */
	len = (size_t)sprintf(msg, "Subject: x\nX-Envelope-To: <a@b>");
	while (len < QUAR_HEAD_MAX + 100)
		len += (size_t)sprintf(msg + len, ",\n <a@b>");
	len += (size_t)sprintf(msg + len, "\n\n");
	ck_assert_int_eq(quar_parse_head(msg, len, &h), QE_TOOBIG);
	FIELD_EQ(&h, QF_SUBJECT, "x");
	ck_assert_uint_eq(h.nto, 0);
	ck_assert_uint_eq(h.hdrlen, 11);
	quar_head_free(&h);

	/* one line with no end */
	memset(msg, 'a', QUAR_HEAD_MAX + 10);
	memcpy(msg, "Subject: y\n", 11);
	ck_assert_int_eq(quar_parse_head(msg, QUAR_HEAD_MAX + 10, &h),
	    QE_TOOBIG);
	FIELD_EQ(&h, QF_SUBJECT, "y");
	quar_head_free(&h);

	/* exactly the cap, then the blank line: fits */
	start = (size_t)sprintf(msg, "Subject: z\nX-Pad: ");
	memset(msg + start, 'p', QUAR_HEAD_MAX - start - 1);
	msg[QUAR_HEAD_MAX - 1] = '\n';
	memcpy(msg + QUAR_HEAD_MAX, "\nbody", 5);
	put_file("spam-cap", msg, QUAR_HEAD_MAX + 5);
	ck_assert_int_eq(quar_read_head(dfd, "spam-cap", 0, &h, NULL), QE_OK);
	ck_assert_uint_eq(h.hdrlen, QUAR_HEAD_MAX);
	ck_assert(h.flags & QH_ENDED);
	FIELD_EQ(&h, QF_SUBJECT, "z");
	quar_head_free(&h);
	/* and one byte more does not */
	msg[QUAR_HEAD_MAX] = 'p';
	msg[QUAR_HEAD_MAX + 1] = '\n';
	memcpy(msg + QUAR_HEAD_MAX + 2, "\nbody", 5);
	put_file("spam-cap", msg, QUAR_HEAD_MAX + 7);
	ck_assert_int_eq(quar_read_head(dfd, "spam-cap", 0, &h, NULL),
	    QE_TOOBIG);
	FIELD_EQ(&h, QF_SUBJECT, "z");
	quar_head_free(&h);
	free(msg);
	dir_rm();
}
END_TEST

/* One read of the pane to its end, and its rows. */
static struct rowset *
pane_read(void *st)
{
	int	 r, steps = 0;

	provider_quarantine.src.poll_begin(st, time(NULL));
	while ((r = provider_quarantine.src.poll_step(st)) == PROV_MORE)
		ck_assert_int_lt(++steps, 1000);
	ck_assert_int_eq(r, PROV_IDLE);
	return provider_quarantine.src.poll_finish(st);
}

static const char *
pane_cell(const struct rowset *rs, const char *key, const char *column)
{
	const struct pane_desc	*d = &provider_quarantine.desc;
	size_t			 i, c;

	for (c = 0; c < d->ncolumns && strcmp(d->columns[c].name, column);
	    c++)
		;
	ck_assert_uint_lt(c, d->ncolumns);
	for (i = 0; i < rs->nrows; i++)
		if (strcmp(rs->rows[i]->key, key) == 0)
			return rs->rows[i]->cells[d->columns[c].cell].s;
	ck_abort_msg("no row %s", key);
	return NULL;
}

/*
 * The quarantine removed and made again (a restore, a new volume): the
 * files that come afterwards are read in the new one, not in the one
 * still open.
 */
START_TEST(test_pane_recreated)
{
	struct conf	 conf;
	struct rowset	*rs;
	char		 q[300], cmd[4096];
	void		*st;
	size_t		 n;

	snprintf(q, sizeof(q), "%s/pane", basedir);
	snprintf(cmd, sizeof(cmd), "cp -R '%s' '%s'", AFIX("quarantine"), q);
	ck_assert_int_eq(system(cmd), 0);
	conf_defaults(&conf);
	free(conf.quarantine);
	conf.quarantine = xstrdup(q);
	st = provider_quarantine.src.create(&conf);
	rs = pane_read(st);
	n = rs->nrows;
	ck_assert_uint_gt(n, 10);
	ck_assert_str_eq(pane_cell(rs, "H/virus-Hq6HALeqjsU1", "reason"),
	    "Eicar-Test-Signature");
	rowset_free(rs);

	snprintf(cmd, sizeof(cmd), "mv '%s' '%s.old' && cp -R '%s.old' '%s' "
	    "&& rm -rf '%s.old' && cp '%s/H/virus-Hq6HALeqjsU1' "
	    "'%s/H/virus-HnewNEWnew12'", q, q, q, q, q, q, q);
	ck_assert_int_eq(system(cmd), 0);
	rs = pane_read(st);
	ck_assert_uint_eq(rs->nrows, n + 1);
	ck_assert_str_eq(pane_cell(rs, "H/virus-HnewNEWnew12", "reason"),
	    "Eicar-Test-Signature");
	ck_assert_str_eq(pane_cell(rs, "H/virus-Hq6HALeqjsU1", "reason"),
	    "Eicar-Test-Signature");
	rowset_free(rs);
	provider_quarantine.src.destroy(st);
	conf_free(&conf);
}
END_TEST


/* A first read that takes a while says in the header how far it is. */
START_TEST(test_pane_progress)
{
	struct conf	 conf;
	struct rowset	*rs;
	char		 q[300], cmd[4096], buf[2048], *msg;
	void		*st;
	FILE		*fp;
	size_t		 len;
	int		 i, r, steps = 0;

	snprintf(q, sizeof(q), "%s/progress", basedir);
	ck_assert_int_eq(mkdir(q, 0755), 0);
	msg = unit_slurp(AFIX("quarantine") "/H/virus-Hq6HALeqjsU1", &len);
	for (i = 1000; i < 1700; i++) {
		snprintf(cmd, sizeof(cmd), "%s/virus-Hq6HALeq%d", q, i);
		ck_assert_ptr_nonnull(fp = fopen(cmd, "w"));
		ck_assert_uint_eq(fwrite(msg, 1, len, fp), len);
		ck_assert_int_eq(fclose(fp), 0);
	}
	free(msg);
	conf_defaults(&conf);
	free(conf.quarantine);
	conf.quarantine = xstrdup(q);
	st = provider_quarantine.src.create(&conf);
	provider_quarantine.src.poll_begin(st, time(NULL));
	/* no time left: a step stops after a few files, whatever its slice */
	slice_time = 0;
	ck_assert_int_eq(provider_quarantine.src.poll_step(st), PROV_MORE);
	rs = provider_quarantine.src.poll_finish(st);
	provider_quarantine.desc.summary(st, rs, time(NULL), buf, sizeof(buf));
	ck_assert_msg(strstr(buf, "\nreading the quarantine: the headers of "
	    "15 of 700 files read\n") != NULL, "summary: %s", buf);
	rowset_free(rs);
	/* a whole slice however busy the machine: not one cut short */
	slice_time = 60;
	ck_assert_int_eq(provider_quarantine.src.poll_step(st), PROV_MORE);
	slice_time = 0.02;
	rs = provider_quarantine.src.poll_finish(st);
	provider_quarantine.desc.summary(st, rs, time(NULL), buf, sizeof(buf));
	ck_assert_msg(strstr(buf, "\nreading the quarantine: the headers of "
	    "315 of 700 files read\n") != NULL, "summary: %s", buf);
	rowset_free(rs);
	while ((r = provider_quarantine.src.poll_step(st)) == PROV_MORE)
		ck_assert_int_lt(++steps, 1000);
	ck_assert_int_eq(r, PROV_IDLE);
	rs = provider_quarantine.src.poll_finish(st);
	provider_quarantine.desc.summary(st, rs, time(NULL), buf, sizeof(buf));
	ck_assert_msg(strstr(buf, "reading") == NULL, "summary: %s", buf);
	ck_assert_msg(strncmp(buf, "quarantine: 700 messages, ", 26) == 0,
	    "summary: %s", buf);
	ck_assert_msg(strstr(buf, "\n") != NULL && strncmp(strchr(buf, '\n') +
	    1, q, strlen(q)) == 0, "summary: %s", buf);
	rowset_free(rs);
	provider_quarantine.src.destroy(st);
	conf_free(&conf);
}
END_TEST

static Suite *
quarantine_suite(void)
{
	Suite	*s = suite_create("quarantine");
	TCase	*tc;

	tc = tcase_create("names");
	tcase_add_loop_test(tc, test_good_names, 0, (int)nitems(good_names));
	tcase_add_loop_test(tc, test_odd_names, 0, (int)nitems(odd_names));
	tcase_add_loop_test(tc, test_bad_qpaths, 0, (int)nitems(bad_qpaths));
	tcase_add_test(tc, test_qpath_edges);
	tcase_add_test(tc, test_find_listing);
	suite_add_tcase(s, tc);

	tc = tcase_create("fixtures");
	tcase_add_test(tc, test_fixture_files);
	suite_add_tcase(s, tc);

	tc = tcase_create("headers");
	tcase_add_test(tc, test_folded_quoted);
	tcase_add_test(tc, test_addr_shapes);
	tcase_add_test(tc, test_forged_below);
	tcase_add_test(tc, test_spam_status_shapes);
	tcase_add_loop_test(tc, test_encoded_words, 0, (int)nitems(encoded));
	tcase_add_test(tc, test_encoded_elsewhere);
	tcase_add_loop_test(tc, test_hostile, 0, (int)nitems(hostile));
	tcase_add_test(tc, test_nul_inside);
	tcase_add_test(tc, test_not_messages);
	suite_add_tcase(s, tc);

	tc = tcase_create("files");
	tcase_add_test(tc, test_file_errors);
	tcase_add_test(tc, test_gzip_files);
	tcase_add_test(tc, test_too_big);
	tcase_add_test(tc, test_pane_recreated);
	tcase_add_test(tc, test_pane_progress);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	const char	*t = getenv("TMPDIR");
	int		 r;

	snprintf(basedir, sizeof(basedir), "%s/mhtop-quar-XXXXXX",
	    t != NULL && *t != '\0' ? t : "/tmp");
	if (mkdtemp(basedir) == NULL) {
		perror(basedir);
		return EXIT_FAILURE;
	}
	r = unit_run(quarantine_suite());
	if (nftw(basedir, rm_one, 16, FTW_DEPTH | FTW_PHYS) == -1)
		perror(basedir);
	return r;
}
