/*
 * The "smtpctl show queue" and "show status" parsers, on the real captures in
 * tests/fixtures/opensmtpd and on hostile lines.
 */
#include "config.h"

#include <glob.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "batch.h"
#include "queue.h"
#include "unit.h"

#define S(row, cell)	((row)->cells[(cell)].s)
#define I(row, cell)	((row)->cells[(cell)].i)

/* One good line (show-queue-14-varied.txt), to check parsing goes on. */
#define GOOD	"0862d5e211583af9|inet4|mta||alice@example.com|" \
	"bob@example.net|bob@example.net|1795525168|1795525168|0|1|pending|" \
	"360|Network error on destination MXs"

/* Counted from the files with grep -c '|pending|' and so on. */
static const struct expect {
	const char	*file;
	size_t		 lines, pending, inflight, offline, hold, suspend,
			 bounce;
	int64_t		 oldest;
} expect[] = {
	{ "show-queue-10.txt",		13, 12, 1, 0, 0, 0, 0, 1795525592 },
	{ "show-queue-10000.txt",	10003, 9952, 51, 0, 1000, 0, 0,
	    1795525435 },
	{ "show-queue-14-varied.txt",	14, 13, 1, 0, 0, 0, 0, 1795525168 },
	{ "show-queue-3000-hold.txt",	3003, 2948, 55, 0, 1000, 0, 0,
	    1795525634 },
	{ "show-queue-bounce.txt",	9, 8, 1, 0, 0, 0, 1, 1795525168 },
	{ "show-queue-empty.txt",	0, 0, 0, 0, 0, 0, 0, 0 },
	{ "show-queue-inflight.txt",	14, 13, 1, 0, 0, 0, 0, 1795525168 },
	{ "show-queue-msgid.txt",	3, 3, 0, 0, 0, 0, 0, 1795525168 },
	{ "show-queue-mta-paused.txt",	14, 13, 1, 0, 0, 0, 0, 1795525168 },
	{ "show-queue-offline-removed-inflight.txt", 1, 0, 0, 1, 0, 0, 0,
	    1795525168 },
	{ "show-queue-offline.txt",	12, 0, 0, 12, 0, 0, 0, 1795525084 },
	{ "show-queue-suspended.txt",	14, 2, 12, 0, 0, 4, 0, 1795525168 },
};

/* Every show-queue-*.txt there is, not just the ones listed above. */
START_TEST(test_every_fixture_parses)
{
	glob_t		 g;
	struct rowset	*rs;
	size_t		 i, j, lines;
	const char	*base;

	ck_assert_int_eq(glob(FIX("show-queue-*.txt"), 0, NULL, &g), 0);
	ck_assert_uint_ge(g.gl_pathc, nitems(expect));
	for (i = 0; i < g.gl_pathc; i++) {
		rs = unit_parse_fixture(g.gl_pathv[i], &lines);
		ck_assert_msg(rs->nrows == lines && rs->nbad == 0,
		    "%s: %zu lines, %zu rows, %zu bad", g.gl_pathv[i], lines,
		    rs->nrows, rs->nbad);
		for (j = 0; j < rs->nrows; j++) {
			const struct row *r = rs->rows[j];

			/* the key is the evpid; the msgid its first half */
			ck_assert_ptr_eq(r->key, S(r, Q_EVPID));
			ck_assert_uint_eq(strlen(r->key), 16);
			ck_assert_uint_eq(strlen(S(r, Q_MSGID)), 8);
			ck_assert_msg(strncmp(S(r, Q_MSGID), r->key, 8) == 0,
			    "%s: msgid %s of %s", g.gl_pathv[i],
			    S(r, Q_MSGID), r->key);
		}
		/* the listed ones have the line count we counted */
		base = strrchr(g.gl_pathv[i], '/') + 1;
		for (j = 0; j < nitems(expect); j++)
			if (strcmp(expect[j].file, base) == 0)
				ck_assert_uint_eq(lines, expect[j].lines);
		rowset_free(rs);
	}
	globfree(&g);
}
END_TEST

START_TEST(test_fields_varied)
{
	struct rowset		*rs;
	const struct row	*r;
	size_t			 lines;

	rs = unit_parse_fixture(FIX("show-queue-14-varied.txt"), &lines);
	ck_assert_uint_eq(rs->nrows, 14);

	r = unit_find(rs, "0862d5e211583af9");
	ck_assert_str_eq(S(r, Q_EVPID), "0862d5e211583af9");
	ck_assert_str_eq(S(r, Q_MSGID), "0862d5e2");
	ck_assert_str_eq(S(r, Q_FAMILY), "inet4");
	ck_assert_str_eq(S(r, Q_TYPE), "mta");
	ck_assert_str_eq(S(r, Q_FLAGS), "");
	ck_assert_str_eq(S(r, Q_SENDER), "alice@example.com");
	ck_assert_str_eq(S(r, Q_RCPT), "bob@example.net");
	ck_assert_str_eq(S(r, Q_DEST), "bob@example.net");
	ck_assert_int_eq(I(r, Q_CTIME), 1795525168);
	ck_assert_int_eq(I(r, Q_EXPIRE), 1795525168);
	ck_assert_int_eq(I(r, Q_LASTTRY), 0);
	ck_assert_int_eq(I(r, Q_TRIES), 1);
	ck_assert_str_eq(S(r, Q_STATE), "pending");
	ck_assert_int_eq(I(r, Q_DELAY), 360);
	ck_assert_str_eq(S(r, Q_ERROR), "Network error on destination MXs");

	/* the null sender "@" */
	r = unit_find(rs, "41a3e85a8587ab6c");
	ck_assert_str_eq(S(r, Q_SENDER), "<>");
	ck_assert_str_eq(S(r, Q_RCPT), "postmaster@example.net");
	ck_assert_str_eq(S(r, Q_DEST), "postmaster@example.net");

	/* smtpd's own report: family local, flag auth, null sender */
	r = unit_find(rs, "7bb7df62a81a2c06");
	ck_assert_str_eq(S(r, Q_FAMILY), "local");
	ck_assert_str_eq(S(r, Q_FLAGS), "auth");
	ck_assert_str_eq(S(r, Q_SENDER), "<>");
	ck_assert_str_eq(S(r, Q_RCPT), "trent@example.com");
	ck_assert_int_eq(I(r, Q_CTIME), 1795525169);
	ck_assert_int_eq(I(r, Q_DELAY), 361);

	/* '|' in local parts */
	r = unit_find(rs, "8924a15b86f02e24");
	ck_assert_str_eq(S(r, Q_SENDER), "pipe|user@weird.example");
	ck_assert_str_eq(S(r, Q_RCPT), "rcpt|with|pipes@example.com");
	ck_assert_str_eq(S(r, Q_DEST), "rcpt|with|pipes@example.com");
	ck_assert_int_eq(I(r, Q_CTIME), 1795525168);
	ck_assert_int_eq(I(r, Q_TRIES), 1);
	ck_assert_str_eq(S(r, Q_STATE), "pending");
	ck_assert_int_eq(I(r, Q_DELAY), 360);
	ck_assert_str_eq(S(r, Q_ERROR), "Network error on destination MXs");

	/* the error is the rest of the line, '|' and backslashes included */
	r = unit_find(rs, "8f9f6e4456c53f2d");
	ck_assert_str_eq(S(r, Q_ERROR),
	    "451 4.7.1 Greylisted | try again later \\\\o/ \\^Actl");
	ck_assert_str_eq(S(r, Q_RCPT), "heidi@greylist.test");
	ck_assert_int_eq(I(r, Q_DELAY), 360);

	/* mda tempfail, quotes kept */
	r = unit_find(rs, "3047f32eaba40d19");
	ck_assert_str_eq(S(r, Q_TYPE), "mda");
	ck_assert_int_eq(I(r, Q_TRIES), 2);
	ck_assert_int_eq(I(r, Q_DELAY), 0);
	ck_assert_str_eq(S(r, Q_ERROR), "\"lab mda tempfail\"");

	/* inflight: the delay is how long it has been running; empty error */
	r = unit_find(rs, "ecc8a5b7fc7f5b8c");
	ck_assert_str_eq(S(r, Q_STATE), "inflight");
	ck_assert_int_eq(I(r, Q_DELAY), 40);
	ck_assert_int_eq(I(r, Q_LASTTRY), 1795525168);
	ck_assert_int_eq(I(r, Q_TRIES), 0);
	ck_assert_str_eq(S(r, Q_ERROR), "");

	/* a 170-character local part, whole */
	r = unit_find(rs, "82f7113b5a9de746");
	ck_assert_str_eq(S(r, Q_SENDER), "newsletter+list@bulk.example");
	ck_assert_int_eq(strchr(S(r, Q_RCPT), '@') - S(r, Q_RCPT), 170);
	ck_assert_int_eq(strncmp(S(r, Q_RCPT), "very.long.recipient.xxx", 23),
	    0);
	ck_assert_str_eq(strchr(S(r, Q_RCPT), '@'),
	    "@sub00.sub01.sub02.sub03.sub04.sub05.sub06.sub07.sub08.sub09."
	    "sub10.sub11.example.org");
	ck_assert_str_eq(S(r, Q_DEST), S(r, Q_RCPT));
	ck_assert_str_eq(S(r, Q_ERROR), "Network error on destination MXs");

	/* case is kept as smtpd printed it; an address literal */
	r = unit_find(rs, "c66913f8b6c1a8b0");
	ck_assert_str_eq(S(r, Q_SENDER), "UPPER.Case@Example.COM");
	ck_assert_str_eq(S(r, Q_RCPT), "MixedCase@Example.NET");
	r = unit_find(rs, "15ef78e2d1245448");
	ck_assert_str_eq(S(r, Q_RCPT), "victor@[127.0.0.2]");
	r = unit_find(rs, "ef58cc78c9672aba");
	ck_assert_str_eq(S(r, Q_RCPT), "o'neil@example.com");
	rowset_free(rs);
}
END_TEST

START_TEST(test_negative_delay)
{
	struct rowset		*rs;
	const struct row	*r;
	size_t			 i, held = 0;

	rs = unit_parse_fixture(FIX("show-queue-mta-paused.txt"), NULL);
	r = unit_find(rs, "0862d5e211583af9");
	ck_assert_str_eq(S(r, Q_STATE), "pending");
	ck_assert_int_eq(I(r, Q_DELAY), -2);
	rowset_free(rs);

	/* held envelopes: pending with a negative delay (-7/-8 there) */
	rs = unit_parse_fixture(FIX("show-queue-3000-hold.txt"), NULL);
	r = unit_find(rs, "002ef9778890d95c");
	ck_assert_str_eq(S(r, Q_FLAGS), "hold");
	ck_assert_str_eq(S(r, Q_STATE), "pending");
	ck_assert_int_eq(I(r, Q_DELAY), -8);
	ck_assert_str_eq(S(r, Q_ERROR), "");
	for (i = 0; i < rs->nrows; i++)
		if (strcmp(S(rs->rows[i], Q_FLAGS), "hold") == 0) {
			held++;
			ck_assert_int_lt(I(rs->rows[i], Q_DELAY), 0);
		}
	ck_assert_uint_eq(held, 1000);
	rowset_free(rs);

	rs = unit_parse_text("0123456789abcdef|inet4|mta|hold|a@b|c@d|c@d|"
	    "1795525168|1795525168|0|0|pending|-14|");
	ck_assert_uint_eq(rs->nrows, 1);
	ck_assert_int_eq(I(rs->rows[0], Q_DELAY), -14);
	rowset_free(rs);
}
END_TEST

START_TEST(test_offline)
{
	struct rowset		*rs;
	const struct row	*r;
	size_t			 i;

	rs = unit_parse_fixture(FIX("show-queue-offline.txt"), NULL);
	ck_assert_uint_eq(rs->nrows, 12);
	for (i = 0; i < rs->nrows; i++) {
		ck_assert_str_eq(S(rs->rows[i], Q_STATE), "offline");
		ck_assert(I(rs->rows[i], Q_DELAY) == CELL_NONE);
	}
	r = unit_find(rs, "d8aed390c91ee72b");
	ck_assert_str_eq(S(r, Q_SENDER), "pipe|user@weird.example");
	ck_assert_str_eq(S(r, Q_RCPT), "rcpt|with|pipes@example.com");
	ck_assert_str_eq(S(r, Q_ERROR), "Network error on destination MXs");
	rowset_free(rs);

	rs = unit_parse_fixture(FIX("show-queue-offline-removed-inflight.txt"),
	    NULL);
	ck_assert_uint_eq(rs->nrows, 1);
	r = rs->rows[0];
	ck_assert_str_eq(r->key, "ecc8a5b7fc7f5b8c");
	ck_assert_str_eq(S(r, Q_STATE), "offline");
	ck_assert(I(r, Q_DELAY) == CELL_NONE);
	ck_assert_int_eq(I(r, Q_TRIES), 0);
	ck_assert_str_eq(S(r, Q_ERROR), "");
	rowset_free(rs);
}
END_TEST

START_TEST(test_flags_and_bounce)
{
	struct rowset		*rs;
	const struct row	*r;

	rs = unit_parse_fixture(FIX("show-queue-suspended.txt"), NULL);
	r = unit_find(rs, "aca65f001fc08029");
	ck_assert_str_eq(S(r, Q_FLAGS), "suspend");
	ck_assert_str_eq(S(r, Q_STATE), "inflight");
	ck_assert_int_eq(I(r, Q_DELAY), 10);
	ck_assert_int_eq(I(r, Q_LASTTRY), 1795525237);
	r = unit_find(rs, "15ef78e2d1245448");
	ck_assert_str_eq(S(r, Q_FLAGS), "");
	rowset_free(rs);

	rs = unit_parse_fixture(FIX("show-queue-bounce.txt"), NULL);
	r = unit_find(rs, "02c21eb5da2d3d81");
	ck_assert_str_eq(S(r, Q_TYPE), "bounce");
	ck_assert_int_eq(I(r, Q_CTIME), 1795525289);
	ck_assert_int_eq(I(r, Q_EXPIRE), I(r, Q_CTIME) + 604800);
	ck_assert_int_eq(I(r, Q_LASTTRY), 1795525289);
	ck_assert_str_eq(S(r, Q_STATE), "inflight");
	ck_assert_int_eq(I(r, Q_DELAY), 7);
	ck_assert_str_eq(S(r, Q_ERROR), "exited abnormally");
	rowset_free(rs);

	rs = unit_parse_fixture(FIX("show-queue-msgid.txt"), NULL);
	ck_assert_uint_eq(rs->nrows, 3);
	ck_assert_str_eq(S(rs->rows[0], Q_MSGID), "aca65f00");
	ck_assert_str_eq(S(rs->rows[1], Q_MSGID), "aca65f00");
	ck_assert_str_eq(S(rs->rows[2], Q_MSGID), "aca65f00");
	rowset_free(rs);
}
END_TEST

START_TEST(test_big_file)
{
	struct rowset		*rs;
	const struct row	*r;

	rs = unit_parse_fixture(FIX("show-queue-10000.txt"), NULL);
	ck_assert_uint_eq(rs->nrows, 10003);
	ck_assert_uint_eq(rs->nbad, 0);
	r = unit_find(rs, "07a561413dba39be");
	ck_assert_str_eq(S(r, Q_FLAGS), "hold");
	ck_assert_int_eq(I(r, Q_DELAY), -7);
	ck_assert_str_eq(S(r, Q_SENDER), "sender4735@src3.example");
	r = unit_find(rs, "001b50008bd3336e");
	ck_assert_str_eq(S(r, Q_STATE), "inflight");
	ck_assert_int_eq(I(r, Q_DELAY), 7);
	ck_assert_int_eq(I(r, Q_LASTTRY), 1795525450);
	rowset_free(rs);
}
END_TEST

START_TEST(test_long_line)
{
	struct rowset	*rs;
	char		*line, err[4096];
	size_t		 i;

	/* a 4 KB error, with '|' in it */
	for (i = 0; i < sizeof(err) - 1; i++)
		err[i] = i % 100 == 99 ? '|' : 'a' + i % 26;
	err[sizeof(err) - 1] = '\0';
	ck_assert_int_gt(asprintf(&line, "0123456789abcdef|inet4|mta||a@b|c@d|"
	    "c@d|1|2|3|4|pending|5|%s", err), 4096);
	rs = rowset_new();
	ck_assert_int_eq(queue_parse_line(rs, line, strlen(line)), 0);
	ck_assert_uint_eq(rs->nrows, 1);
	ck_assert_uint_eq(rs->nbad, 0);
	ck_assert_str_eq(S(rs->rows[0], Q_ERROR), err);
	ck_assert_int_eq(I(rs->rows[0], Q_CTIME), 1);
	ck_assert_int_eq(I(rs->rows[0], Q_EXPIRE), 2);
	ck_assert_int_eq(I(rs->rows[0], Q_LASTTRY), 3);
	ck_assert_int_eq(I(rs->rows[0], Q_TRIES), 4);
	ck_assert_int_eq(I(rs->rows[0], Q_DELAY), 5);
	rowset_free(rs);
	free(line);
}
END_TEST

#define NUL_LINE	"0862d5e211583af9|inet4|mta||alice@exa\0mple.com|" \
	"bob@example.net|bob@example.net|1795525168|1795525168|0|1|pending|" \
	"360|x"

/* Lines that are not a queue entry: counted as bad, the next one still parses. */
static const struct bad {
	const char	*what;
	const char	*line;
	size_t		 len;		/* 0: strlen */
} bad[] = {
	{ "empty fields", "||||||||||||||", 0 },
	{ "only bars after the id", "0862d5e211583af9|||||||||||||", 0 },
	{ "15-hex id", "0862d5e211583af|inet4|mta||alice@example.com|"
	    "bob@example.net|bob@example.net|1795525168|1795525168|0|1|pending|"
	    "360|x", 0 },
	{ "17-hex id", "0862d5e211583af90|inet4|mta||alice@example.com|"
	    "bob@example.net|bob@example.net|1795525168|1795525168|0|1|pending|"
	    "360|x", 0 },
	{ "uppercase id", "0862D5E211583AF9|inet4|mta||alice@example.com|"
	    "bob@example.net|bob@example.net|1795525168|1795525168|0|1|pending|"
	    "360|x", 0 },
	{ "non-hex id", "0862d5e211583afg|inet4|mta||alice@example.com|"
	    "bob@example.net|bob@example.net|1795525168|1795525168|0|1|pending|"
	    "360|x", 0 },
	{ "just the id", "0862d5e211583af9", 0 },
	{ "id and a bar", "0862d5e211583af9|", 0 },
	{ "missing fields", "0862d5e211583af9|inet4|mta||alice@example.com|"
	    "bob@example.net|bob@example.net|1795525168", 0 },
	{ "missing delay and error", "0862d5e211583af9|inet4|mta||"
	    "alice@example.com|bob@example.net|bob@example.net|1795525168|"
	    "1795525168|0|1|pending", 0 },
	{ "non-numeric ctime", "0862d5e211583af9|inet4|mta||alice@example.com|"
	    "bob@example.net|bob@example.net|17955x5168|1795525168|0|1|pending|"
	    "360|x", 0 },
	{ "negative ctime", "0862d5e211583af9|inet4|mta||alice@example.com|"
	    "bob@example.net|bob@example.net|-1795525168|1795525168|0|1|pending|"
	    "360|x", 0 },
	{ "empty ctime", "0862d5e211583af9|inet4|mta||alice@example.com|"
	    "bob@example.net|bob@example.net||1795525168|0|1|pending|360|x", 0 },
	{ "ctime overflows", "0862d5e211583af9|inet4|mta||alice@example.com|"
	    "bob@example.net|bob@example.net|99999999999999999999|1795525168|0|"
	    "1|pending|360|x", 0 },
	{ "runstate bogus", "0862d5e211583af9|inet4|mta||alice@example.com|"
	    "bob@example.net|bob@example.net|1795525168|1795525168|0|1|bogus|"
	    "360|x", 0 },
	{ "runstate uppercase", "0862d5e211583af9|inet4|mta||alice@example.com|"
	    "bob@example.net|bob@example.net|1795525168|1795525168|0|1|PENDING|"
	    "360|x", 0 },
	{ "delay non-numeric", "0862d5e211583af9|inet4|mta||alice@example.com|"
	    "bob@example.net|bob@example.net|1795525168|1795525168|0|1|pending|"
	    "soon|x", 0 },
	{ "delay a lone minus", "0862d5e211583af9|inet4|mta||alice@example.com|"
	    "bob@example.net|bob@example.net|1795525168|1795525168|0|1|pending|"
	    "-|x", 0 },
	{ "pending with no delay", "0862d5e211583af9|inet4|mta||"
	    "alice@example.com|bob@example.net|bob@example.net|1795525168|"
	    "1795525168|0|1|pending||x", 0 },
	{ "offline with a delay", "0862d5e211583af9|inet4|mta||"
	    "alice@example.com|bob@example.net|bob@example.net|1795525168|"
	    "1795525168|0|1|offline|5|x", 0 },
	{ "NUL byte inside", NUL_LINE, sizeof(NUL_LINE) - 1 },
	{ "no @ at all", "0862d5e211583af9|inet4|mta||alice|bob|bob|1795525168|"
	    "1795525168|0|1|pending|360|x", 0 },
	{ "type with a space", "0862d5e211583af9|inet4|m ta||alice@example.com|"
	    "bob@example.net|bob@example.net|1795525168|1795525168|0|1|pending|"
	    "360|x", 0 },
	{ "empty type", "0862d5e211583af9|inet4|||alice@example.com|"
	    "bob@example.net|bob@example.net|1795525168|1795525168|0|1|pending|"
	    "360|x", 0 },
	{ "escape in flags", "0862d5e211583af9|inet4|mta|\033[31m|"
	    "alice@example.com|bob@example.net|bob@example.net|1795525168|"
	    "1795525168|0|1|pending|360|x", 0 },
	{ "a smtpctl error message", "smtpctl: command failed", 0 },
	{ "a single space", " ", 0 },
	{ "a CR", "\r", 0 },
};

START_TEST(test_bad_lines)
{
	const struct bad	*b = &bad[_i];
	struct rowset		*rs = rowset_new();
	size_t			 len = b->len ? b->len : strlen(b->line);

	if (b->len)	/* the NUL must be inside what we pass */
		ck_assert_ptr_nonnull(memchr(b->line, '\0', len - 1));
	ck_assert_int_eq(queue_parse_line(rs, GOOD, strlen(GOOD)), 0);
	ck_assert_msg(queue_parse_line(rs, b->line, len) == -1,
	    "%s: accepted", b->what);
	ck_assert_msg(rs->nrows == 1 && rs->nbad == 1, "%s: %zu rows %zu bad",
	    b->what, rs->nrows, rs->nbad);
	ck_assert_int_eq(queue_parse_line(rs, GOOD, strlen(GOOD)), 0);
	ck_assert_uint_eq(rs->nrows, 2);
	ck_assert_uint_eq(rs->nbad, 1);
	/* the bad line left nothing behind in the rows around it */
	ck_assert_str_eq(rs->rows[0]->key, "0862d5e211583af9");
	ck_assert_str_eq(rs->rows[1]->key, "0862d5e211583af9");
	ck_assert_str_eq(S(rs->rows[1], Q_SENDER), "alice@example.com");
	ck_assert_str_eq(S(rs->rows[1], Q_ERROR),
	    "Network error on destination MXs");
	rowset_free(rs);
}
END_TEST

START_TEST(test_empty_line)
{
	struct rowset	*rs = rowset_new();

	ck_assert_int_eq(queue_parse_line(rs, "", 0), 0);
	ck_assert_uint_eq(rs->nrows, 0);
	ck_assert_uint_eq(rs->nbad, 0);
	rowset_free(rs);

	/* blank lines between good ones: not rows, not bad */
	rs = unit_parse_text("\n" GOOD "\n\n" GOOD "\n\n");
	ck_assert_uint_eq(rs->nrows, 2);
	ck_assert_uint_eq(rs->nbad, 0);
	rowset_free(rs);

	/* len is honoured: a line is not read past its length */
	rs = rowset_new();
	ck_assert_int_eq(queue_parse_line(rs, GOOD "garbage", strlen(GOOD)), 0);
	ck_assert_str_eq(S(rs->rows[0], Q_ERROR),
	    "Network error on destination MXs");
	rowset_free(rs);
}
END_TEST

START_TEST(test_mixed_garbage)
{
	struct rowset	*rs;

	rs = unit_parse_text(
	    "smtpctl: warning\n"
	    GOOD "\n"
	    "junk|junk\n"
	    "0123456789abcdef|inet4|mta|hold,suspend|a@b|c@d|c@d|5|6|0|0|"
	    "invalid||\n"
	    "0123456789abcdeX|inet4|mta||a@b|c@d|c@d|5|6|0|0|pending|1|\n"
	    "fedcba9876543210|inet6|mda|bounce|@|c@d|e@f|4|6|0|0|pending|1|e");
	ck_assert_uint_eq(rs->nrows, 3);
	ck_assert_uint_eq(rs->nbad, 3);
	ck_assert_str_eq(rs->rows[1]->key, "0123456789abcdef");
	ck_assert_str_eq(S(rs->rows[1], Q_STATE), "invalid");
	ck_assert(I(rs->rows[1], Q_DELAY) == CELL_NONE);
	ck_assert_str_eq(S(rs->rows[1], Q_FLAGS), "hold,suspend");
	ck_assert_str_eq(S(rs->rows[2], Q_FAMILY), "inet6");
	ck_assert_str_eq(S(rs->rows[2], Q_SENDER), "<>");
	ck_assert_str_eq(S(rs->rows[2], Q_RCPT), "c@d");
	ck_assert_str_eq(S(rs->rows[2], Q_DEST), "e@f");	/* rewritten */
	ck_assert_str_eq(S(rs->rows[2], Q_TYPE), "mda");
	ck_assert_str_eq(S(rs->rows[2], Q_FLAGS), "bounce");
	ck_assert_str_eq(S(rs->rows[2], Q_ERROR), "e");
	rowset_free(rs);
}
END_TEST

START_TEST(test_sort)
{
	struct rowset	*rs;
	size_t		 i;

	rs = unit_parse_text(
	    "00000000000000c3|inet4|mta||a@b|c@d|c@d|300|0|0|0|pending|1|\n"
	    "00000000000000b2|inet4|mta||a@b|c@d|c@d|200|0|0|0|pending|1|\n"
	    "00000000000000a2|inet4|mta||a@b|c@d|c@d|200|0|0|0|pending|1|\n"
	    "00000000000000ff|inet4|mta||a@b|c@d|c@d|100|0|0|0|pending|1|\n"
	    "0000000000000001|inet4|mta||a@b|c@d|c@d|9999999999|0|0|0|"
	    "pending|1|\n");
	ck_assert_uint_eq(rs->nrows, 5);
	queue_sort(rs);
	ck_assert_str_eq(rs->rows[0]->key, "00000000000000ff");
	ck_assert_str_eq(rs->rows[1]->key, "00000000000000a2");
	ck_assert_str_eq(rs->rows[2]->key, "00000000000000b2");
	ck_assert_str_eq(rs->rows[3]->key, "00000000000000c3");
	ck_assert_str_eq(rs->rows[4]->key, "0000000000000001");
	rowset_free(rs);

	/* offline listings come in directory order */
	rs = unit_parse_fixture(FIX("show-queue-offline.txt"), NULL);
	ck_assert_str_eq(rs->rows[0]->key, "d8aed390c91ee72b");
	queue_sort(rs);
	ck_assert_uint_eq(rs->nrows, 12);
	ck_assert_str_eq(rs->rows[0]->key, "a484f689294c31de");
	ck_assert_str_eq(rs->rows[11]->key, "f78f37225b353253");
	for (i = 1; i < rs->nrows; i++) {
		const struct row *a = rs->rows[i - 1], *b = rs->rows[i];

		ck_assert(I(a, Q_CTIME) < I(b, Q_CTIME) ||
		    (I(a, Q_CTIME) == I(b, Q_CTIME) &&
		    strcmp(a->key, b->key) < 0));
	}
	rowset_free(rs);

	rs = rowset_new();		/* empty and single: no-ops */
	queue_sort(rs);
	ck_assert_uint_eq(rs->nrows, 0);
	rowset_free(rs);
}
END_TEST

START_TEST(test_count_fixtures)
{
	const struct expect	*e = &expect[_i];
	struct queue_counts	 qc;
	struct rowset		*rs;
	char			 path[4096];

	snprintf(path, sizeof(path), "%s/opensmtpd/%s", FIXTURES, e->file);
	rs = unit_parse_fixture(path, NULL);
	queue_count(rs, &qc);
	ck_assert_msg(qc.total == e->lines && qc.pending == e->pending &&
	    qc.inflight == e->inflight && qc.offline == e->offline &&
	    qc.invalid == 0 && qc.hold == e->hold &&
	    qc.suspend == e->suspend && qc.bounce == e->bounce &&
	    qc.oldest == e->oldest,
	    "%s: total %zu pending %zu inflight %zu offline %zu invalid %zu "
	    "hold %zu suspend %zu bounce %zu oldest %lld", e->file, qc.total,
	    qc.pending, qc.inflight, qc.offline, qc.invalid, qc.hold,
	    qc.suspend, qc.bounce, (long long)qc.oldest);
	rowset_free(rs);
}
END_TEST

START_TEST(test_count_flags)
{
	struct queue_counts	 qc;
	struct rowset		*rs;

	rs = unit_parse_text(
	    "0000000000000001|inet4|mta|hold,suspend|a@b|c@d|c@d|50|0|0|0|"
	    "pending|-1|\n"
	    "0000000000000002|inet4|mta|holder,suspended|a@b|c@d|c@d|40|0|0|0|"
	    "pending|1|\n"
	    "0000000000000003|inet4|mta|auth,hold|a@b|c@d|c@d|60|0|0|0|"
	    "invalid||\n"
	    "0000000000000004|inet4|bounce|suspend|a@b|c@d|c@d|70|0|0|0|"
	    "inflight|3|\n");
	ck_assert_uint_eq(rs->nrows, 4);
	queue_count(rs, &qc);
	ck_assert_uint_eq(qc.total, 4);
	ck_assert_uint_eq(qc.pending, 2);
	ck_assert_uint_eq(qc.invalid, 1);
	ck_assert_uint_eq(qc.inflight, 1);
	ck_assert_uint_eq(qc.hold, 2);		/* not "holder" */
	ck_assert_uint_eq(qc.suspend, 2);	/* not "suspended" */
	ck_assert_uint_eq(qc.bounce, 1);
	ck_assert_int_eq(qc.oldest, 40);
	rowset_free(rs);

	queue_count(NULL, &qc);
	ck_assert_uint_eq(qc.total, 0);
	ck_assert_int_eq(qc.oldest, 0);
}
END_TEST

static struct smtpd_status
status_of(const char *path)
{
	struct smtpd_status	 st;
	size_t			 len;
	char			*buf = unit_slurp(path, &len), *p, *nl;

	memset(&st, 0, sizeof(st));
	for (p = buf; p < buf + len; p = nl + 1) {
		if ((nl = memchr(p, '\n', (size_t)(buf + len - p))) == NULL)
			nl = buf + len;
		ck_assert_msg(status_parse_line(&st, p, (size_t)(nl - p)) == 0,
		    "%s: line not understood", path);
	}
	free(buf);
	return st;
}

START_TEST(test_status)
{
	struct smtpd_status	 st;

	st = status_of(FIX("show-status-running.txt"));
	ck_assert_int_eq(st.mda, SMTPD_RUNNING);
	ck_assert_int_eq(st.mta, SMTPD_RUNNING);
	ck_assert_int_eq(st.smtp, SMTPD_RUNNING);
	st = status_of(FIX("show-status-mta-paused.txt"));
	ck_assert_int_eq(st.mda, SMTPD_RUNNING);
	ck_assert_int_eq(st.mta, SMTPD_PAUSED);
	ck_assert_int_eq(st.smtp, SMTPD_RUNNING);
	st = status_of(FIX("show-status-all-paused.txt"));
	ck_assert_int_eq(st.mda, SMTPD_PAUSED);
	ck_assert_int_eq(st.mta, SMTPD_PAUSED);
	ck_assert_int_eq(st.smtp, SMTPD_PAUSED);
}
END_TEST

static const char *const status_junk[] = {
	"", "MTA", "MTA ", "MTA  running", "MTA running ", "MTA running\r",
	"mta running", "MTAX running", "MT running", "MTA run",
	"MTA runningg", "MTA pause", "MTA Paused", " MTA running",
	"SMTP\trunning", "MDA paused.", "smtpctl: command failed",
	"MTA running\nMDA paused",
};

START_TEST(test_status_junk)
{
	struct smtpd_status	 st;
	const char		*s = status_junk[_i];

	memset(&st, 0, sizeof(st));
	ck_assert_msg(status_parse_line(&st, s, strlen(s)) == -1,
	    "accepted \"%s\"", s);
	ck_assert_int_eq(st.mda, SMTPD_UNKNOWN);
	ck_assert_int_eq(st.mta, SMTPD_UNKNOWN);
	ck_assert_int_eq(st.smtp, SMTPD_UNKNOWN);
}
END_TEST

START_TEST(test_status_len)
{
	struct smtpd_status	 st;

	/* only len bytes count: no NUL terminator needed, none looked for */
	memset(&st, 0, sizeof(st));
	ck_assert_int_eq(status_parse_line(&st, "SMTP pausedXXXX", 11), 0);
	ck_assert_int_eq(st.smtp, SMTPD_PAUSED);
	ck_assert_int_eq(status_parse_line(&st, "SMTP paused", 10), -1);
	ck_assert_int_eq(status_parse_line(&st, "SMTP running", 12), 0);
	ck_assert_int_eq(st.smtp, SMTPD_RUNNING);
	ck_assert_int_eq(status_parse_line(&st, "MDA running", 0), -1);
	ck_assert_int_eq(status_parse_line(&st, "MDA running", 3), -1);
	ck_assert_int_eq(st.mda, SMTPD_UNKNOWN);
}
END_TEST

/* -b: what a script reading the TSV gets. */
static char *
batch_text(const struct rowset *rs, size_t *len)
{
	char	*buf = NULL;
	FILE	*fp;

	ck_assert_ptr_nonnull(fp = open_memstream(&buf, len));
	batch_print(fp, &provider_queue.desc, rs);
	ck_assert_int_eq(fclose(fp), 0);
	return buf;
}

static const char *
tsv_line(const char *text, const char *key, char *out, size_t outlen)
{
	const char	*p = text, *nl;

	for (; *p != '\0'; p = nl + 1) {
		nl = strchr(p, '\n');
		ck_assert_ptr_nonnull(nl);
		if (strncmp(p, key, strlen(key)) == 0 && p[strlen(key)] == '\t') {
			ck_assert_uint_lt((size_t)(nl - p), outlen);
			memcpy(out, p, (size_t)(nl - p));
			out[nl - p] = '\0';
			return out;
		}
	}
	ck_abort_msg("no TSV line for %s", key);
	return NULL;
}

#define HEADER	"evpid\tmsgid\ttype\tstate\tflags\tsender\trcpt\tdest\t" \
	"ctime\ttries\tdelay\terror\n"

START_TEST(test_batch)
{
	struct rowset	*rs;
	char		*text, line[1024];
	const char	*p;
	size_t		 len, nl = 0, tabs = 0;

	rs = unit_parse_fixture(FIX("show-queue-14-varied.txt"), NULL);
	queue_sort(rs);
	text = batch_text(rs, &len);
	ck_assert_uint_eq(len, strlen(text));
	ck_assert_int_eq(strncmp(text, HEADER, strlen(HEADER)), 0);
	/* a header and 14 lines of 12 fields: no field holds a TAB or LF */
	for (p = text; *p != '\0'; p++) {
		if (*p == '\n')
			nl++;
		else if (*p == '\t')
			tabs++;
	}
	ck_assert_uint_eq(nl, 15);
	ck_assert_uint_eq(tabs, 15 * 11);
	ck_assert_str_eq(tsv_line(text, "41a3e85a8587ab6c", line, sizeof(line)),
	    "41a3e85a8587ab6c\t41a3e85a\tmta\tpending\t\t<>\t"
	    "postmaster@example.net\tpostmaster@example.net\t1795525168\t1\t"
	    "360\tNetwork error on destination MXs");
	ck_assert_str_eq(tsv_line(text, "8924a15b86f02e24", line, sizeof(line)),
	    "8924a15b86f02e24\t8924a15b\tmta\tpending\t\t"
	    "pipe|user@weird.example\trcpt|with|pipes@example.com\t"
	    "rcpt|with|pipes@example.com\t1795525168\t1\t360\t"
	    "Network error on destination MXs");
	/* backslashes are doubled so that the TSV can be unescaped */
	ck_assert_str_eq(tsv_line(text, "8f9f6e4456c53f2d", line, sizeof(line)),
	    "8f9f6e4456c53f2d\t8f9f6e44\tmta\tpending\t\tgrace@example.com\t"
	    "heidi@greylist.test\theidi@greylist.test\t1795525168\t1\t360\t"
	    "451 4.7.1 Greylisted | try again later \\\\\\\\o/ \\\\^Actl");
	ck_assert_str_eq(tsv_line(text, "7bb7df62a81a2c06", line, sizeof(line)),
	    "7bb7df62a81a2c06\t7bb7df62\tmta\tpending\tauth\t<>\t"
	    "trent@example.com\ttrent@example.com\t1795525169\t1\t361\t"
	    "Network error on destination MXs");
	/* sorted: the newest (ctime ...169) comes last */
	ck_assert_int_eq(strncmp(text + len - strlen(line) - 1, line,
	    strlen(line)), 0);
	free(text);
	rowset_free(rs);

	rs = unit_parse_fixture(FIX("show-queue-offline-removed-inflight.txt"),
	    NULL);
	text = batch_text(rs, &len);
	ck_assert_str_eq(text, HEADER
	    "ecc8a5b7fc7f5b8c\tecc8a5b7\tmta\toffline\t\tivan@example.com\t"
	    "judy@hang.test\tjudy@hang.test\t1795525168\t0\t\t\n");
	free(text);
	rowset_free(rs);

	text = batch_text(NULL, &len);		/* no data yet: the header */
	ck_assert_str_eq(text, HEADER);
	free(text);

	rs = unit_parse_text("0123456789abcdef|inet4|mta||a\tb@c|x@y\r|x@y|1|2|"
	    "0|0|pending|3|bad\033[2Jnews\n");
	ck_assert_uint_eq(rs->nrows, 1);
	text = batch_text(rs, &len);
	ck_assert_str_eq(text, HEADER
	    "0123456789abcdef\t01234567\tmta\tpending\t\ta\\tb@c\tx@y\\r\tx@y\t"
	    "1\t0\t3\tbad\\x1b[2Jnews\n");
	free(text);
	rowset_free(rs);
}
END_TEST

static Suite *
queue_suite(void)
{
	Suite	*s = suite_create("queue");
	TCase	*tc;

	tc = tcase_create("fixtures");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_every_fixture_parses);
	tcase_add_test(tc, test_fields_varied);
	tcase_add_test(tc, test_negative_delay);
	tcase_add_test(tc, test_offline);
	tcase_add_test(tc, test_flags_and_bounce);
	tcase_add_test(tc, test_big_file);
	tcase_add_loop_test(tc, test_count_fixtures, 0, (int)nitems(expect));
	suite_add_tcase(s, tc);

	tc = tcase_create("hostile");
	tcase_add_test(tc, test_long_line);
	tcase_add_loop_test(tc, test_bad_lines, 0, (int)nitems(bad));
	tcase_add_test(tc, test_empty_line);
	tcase_add_test(tc, test_mixed_garbage);
	suite_add_tcase(s, tc);

	tc = tcase_create("sort_count");
	tcase_add_test(tc, test_sort);
	tcase_add_test(tc, test_count_flags);
	suite_add_tcase(s, tc);

	tc = tcase_create("status");
	tcase_add_test(tc, test_status);
	tcase_add_loop_test(tc, test_status_junk, 0, (int)nitems(status_junk));
	tcase_add_test(tc, test_status_len);
	suite_add_tcase(s, tc);

	tc = tcase_create("batch");
	tcase_add_checked_fixture(tc, unit_utf8_locale, NULL);
	tcase_add_test(tc, test_batch);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return unit_run(queue_suite());
}
