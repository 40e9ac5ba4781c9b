/*
 * cut_text and cut_route: a cell too long for its column loses what tells
 * the operator least, never more columns than it has, and stays safe text.
 */
#include "config.h"

#include <limits.h>
#include <locale.h>
#include <stdlib.h>
#include <string.h>

#include "cut.h"
#include "sanitize.h"
#include "unit.h"

#define M	"\xe2\x80\xa6"		/* the mark, in UTF-8 */

static char	 out[1024];

static const char *
cut(const char *s, int w, enum cut_style how)
{
	int	 cols;

	cols = cut_text(s, w, how, out, sizeof(out));
	ck_assert_int_eq(cols, sanitize_width(out, strlen(out)));
	ck_assert_int_le(cols, w);
	return out;
}

static const char *
route(const char *s, const char *r, int w)
{
	int	 cols;

	cols = cut_route(s, r, w, out, sizeof(out));
	ck_assert_int_eq(cols, sanitize_width(out, strlen(out)));
	ck_assert_int_le(cols, w);
	return out;
}

START_TEST(test_end)
{
	ck_assert_str_eq(cut("Network error on destination MXs", 16, CUT_END),
	    "Network error o" M);
	ck_assert_str_eq(cut("short", 16, CUT_END), "short");
	ck_assert_str_eq(cut("exactly", 7, CUT_END), "exactly");
	ck_assert_str_eq(cut("exactly", 6, CUT_END), "exact" M);
	ck_assert_str_eq(cut("x", 0, CUT_END), "");
	/* a wide character is not split: one column is left empty */
	ck_assert_str_eq(cut("ab\xe6\x97\xa5\xe6\x97\xa5", 4, CUT_END),
	    "ab" M);
}
END_TEST

START_TEST(test_addr)
{
	/* "j.smit@examp…" tells nothing; the domain does */
	ck_assert_str_eq(cut("j.smit@example.org", 16, CUT_ADDR),
	    "j.s" M "@example.org");
	ck_assert_str_eq(cut("j.smit@example.org", 13, CUT_ADDR),
	    M "@example.org");
	ck_assert_str_eq(cut("j.smit@example.org", 9, CUT_ADDR),
	    M "mple.org");
	ck_assert_str_eq(cut("j.smit@example.org", 18, CUT_ADDR),
	    "j.smit@example.org");
	/* the last '@' splits a quoted local part with one in it */
	ck_assert_str_eq(cut("\"a@b\"@example.com", 14, CUT_ADDR),
	    "\"" M "@example.com");
	/* no domain: the start */
	ck_assert_str_eq(cut("192.0.2.200-192.0.2.255", 12, CUT_ADDR),
	    "192.0.2.200" M);
}
END_TEST

START_TEST(test_middle)
{
	ck_assert_str_eq(cut("2001:db8:1234:5678::25", 15, CUT_MIDDLE),
	    "2001:db" M "678::25");
	ck_assert_str_eq(cut("192.0.2.200", 15, CUT_MIDDLE), "192.0.2.200");
}
END_TEST

START_TEST(test_reply)
{
	const char	*e = "450 4.1.8 <bounce@x.example>: Sender address "
	    "rejected: Domain not found";

	ck_assert_str_eq(cut(e, 200, CUT_REPLY), e);
	/* the enhanced code goes first */
	ck_assert_str_eq(cut(e, 66, CUT_REPLY),
	    "450 <bounce@x.example>: Sender address rejected: Domain not found");
	/* then the address, then the end: the reason stays */
	ck_assert_str_eq(cut(e, 40, CUT_REPLY),
	    "450 <" M ">: Sender address rejected: Domai" M);
	ck_assert_str_eq(cut(e, 30, CUT_REPLY),
	    "450 <" M ">: Sender address rejec" M);
	/* a reply inside smtpd's text, and a continuation line's code */
	ck_assert_str_eq(cut("Remote said: 550-5.1.1 No such user here", 30,
	    CUT_REPLY), "Remote said: 550-No such user" M);
	/* not an enhanced code: left alone */
	ck_assert_str_eq(cut("421 4.7 Try again later", 20, CUT_REPLY),
	    "421 4.7 Try again l" M);
	ck_assert_str_eq(cut("<", 1, CUT_REPLY), "<");
	ck_assert_str_eq(cut("<<<<<>", 3, CUT_REPLY), "<" M ">");
}
END_TEST

START_TEST(test_verdict)
{
	ck_assert_str_eq(cut("Blocked INFECTED (Eicar-Test-Signature)", 40,
	    CUT_VERDICT), "Blocked INFECTED (Eicar-Test-Signature)");
	/* the category word goes before the name */
	ck_assert_str_eq(cut("Blocked INFECTED (Eicar-Test-Signature)", 30,
	    CUT_VERDICT), "Blocked (Eicar-Test-Signature)");
	ck_assert_str_eq(cut("Blocked INFECTED (Eicar-Test-Signature)", 18,
	    CUT_VERDICT), "Blocked (Eicar-Te" M);
	/* of a banned part, the file name */
	ck_assert_str_eq(cut("Blocked BANNED (application/octet-stream,"
	    "invoice.pdf.exe)", 25, CUT_VERDICT), "Blocked (invoice.pdf.exe)");
	ck_assert_str_eq(cut("Blocked SPAM", 10, CUT_VERDICT), "Blocked S" M);
	ck_assert_str_eq(cut("Passed CLEAN", 18, CUT_VERDICT), "Passed CLEAN");
}
END_TEST

START_TEST(test_route)
{
	const char	*s = "billing@shop.example", *r = "info@slow-mx.example";

	ck_assert_str_eq(route(s, r, 60),
	    "billing@shop.example \xe2\x86\x92 info@slow-mx.example");
	/* the sender goes first: its local part, then all of it */
	ck_assert_str_eq(route(s, r, 41),
	    "bill" M "@shop.example \xe2\x86\x92 info@slow-mx.example");
	ck_assert_str_eq(route(s, r, 32),
	    M ".example \xe2\x86\x92 info@slow-mx.example");
	ck_assert_str_eq(route(s, r, 24),
	    M " \xe2\x86\x92 info@slow-mx.example");
	ck_assert_str_eq(route(s, r, 20),
	    "\xe2\x86\x92 i" M "@slow-mx.example");
	ck_assert_str_eq(route(s, r, 8), M "example");
	ck_assert_str_eq(route("<>", r, 30),
	    "<> \xe2\x86\x92 info@slow-mx.example");
	/* hostile bytes are escaped before they are measured */
	ck_assert_str_eq(route("a\033[2J@x", "b\033@y", 40),
	    "a^[[2J@x \xe2\x86\x92 b^[@y");
}
END_TEST

#define HOSTILE	"<\"x\xe2\x86\x92y\"@sender.example>"

START_TEST(test_c_locale)
{
	char	 safe[256];

	ck_assert_ptr_nonnull(setlocale(LC_ALL, "C"));
	/* an escape is never cut in two: "\xe2\x86+" would read as data */
	sanitize_screen(HOSTILE, strlen(HOSTILE), safe, sizeof(safe), INT_MAX,
	    NULL);
	ck_assert_str_eq(safe, "<\"x\\xe2\\x86\\x92y\"@sender.example>");
	ck_assert_str_eq(cut(safe, 25, CUT_ADDR),
	    "<\"x\\xe2+@sender.example>");
	ck_assert_str_eq(cut(safe, 22, CUT_ADDR), "<\"x+@sender.example>");
	ck_assert_str_eq(cut("a^[[2Jb", 3, CUT_END), "a+");
	ck_assert_str_eq(cut("a^[[2Jb", 4, CUT_END), "a^[+");
	ck_assert_str_eq(cut("j.smit@example.org", 16, CUT_ADDR),
	    "j.s+@example.org");
	ck_assert_str_eq(route("billing@shop.example", "info@slow-mx.example",
	    23), "-> info@slow-mx.example");
	ck_assert_str_eq(route("billing@shop.example", "info@slow-mx.example",
	    26), "+ -> info@slow-mx.example");
}
END_TEST

/* Random cells at random widths: never wider, always safe to re-show. */
START_TEST(test_random)
{
	char		 raw[64], safe[512], again[1024];
	unsigned	 seed = 1;
	int		 i, k, w, how;

	for (i = 0; i < 20000; i++) {
		for (k = 0; k < (int)sizeof(raw) - 1; k++) {
			seed = seed * 1103515245 + 12345;
			raw[k] = "ab@<> .,()4-5\xe2\x86\x92\xc3\xa9\x1b"
			    [(seed >> 16) % 20];
		}
		raw[k] = '\0';
		sanitize_screen(raw, strlen(raw), safe, sizeof(safe), INT_MAX,
		    NULL);
		w = (int)((seed >> 8) % 40);
		how = (int)((seed >> 4) % 5);
		cut(safe, w, (enum cut_style)how);
		/* what is drawn would be drawn the same if sanitized again */
		sanitize_screen(out, strlen(out), again, sizeof(again),
		    INT_MAX, NULL);
		ck_assert_str_eq(again, out);
		route(raw, raw + 20, w);
	}
}
END_TEST

static Suite *
cut_suite(void)
{
	Suite	*s = suite_create("cut");
	TCase	*tc = tcase_create("cut");

	tcase_add_checked_fixture(tc, unit_utf8_locale, NULL);
	tcase_add_test(tc, test_end);
	tcase_add_test(tc, test_addr);
	tcase_add_test(tc, test_middle);
	tcase_add_test(tc, test_reply);
	tcase_add_test(tc, test_verdict);
	tcase_add_test(tc, test_route);
	tcase_add_test(tc, test_c_locale);
	tcase_add_test(tc, test_random);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return unit_run(cut_suite());
}
