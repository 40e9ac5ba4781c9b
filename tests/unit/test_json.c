/*
 * The JSON writer of -J: escapes, UTF-8 in and out, numbers, lists, the
 * commas between values.
 */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "batch.h"
#include "json.h"
#include "unit.h"
#include "util.h"

/* One JSON string of len bytes at s, NUL-terminated, in a static buffer. */
static const char *
jstr(const char *s, size_t len)
{
	static char	 out[4096];
	struct json	 j;

	json_init(&j, 1);
	json_string(&j, s, len);
	ck_assert_uint_lt(j.len, sizeof(out));
	ck_assert_uint_le(j.len, len * JSON_ESCAPE_MAX + 2);
	memcpy(out, j.buf, j.len);
	out[j.len] = '\0';
	json_free(&j);
	return out;
}

#define JSTR(s)		jstr((s), sizeof(s) - 1)

static const char *
jlist(const char *s)
{
	static char	 out[4096];
	struct json	 j;

	json_init(&j, 1);
	json_list(&j, s, strlen(s));
	ck_assert_uint_lt(j.len, sizeof(out));
	memcpy(out, j.buf, j.len);
	out[j.len] = '\0';
	json_free(&j);
	return out;
}

START_TEST(test_controls)
{
	char	 in[1], want[16];
	int	 c;

	for (c = 0; c < 0x20; c++) {
		in[0] = (char)c;
		switch (c) {
		case '\b':
			snprintf(want, sizeof(want), "\"\\b\"");
			break;
		case '\t':
			snprintf(want, sizeof(want), "\"\\t\"");
			break;
		case '\n':
			snprintf(want, sizeof(want), "\"\\n\"");
			break;
		case '\f':
			snprintf(want, sizeof(want), "\"\\f\"");
			break;
		case '\r':
			snprintf(want, sizeof(want), "\"\\r\"");
			break;
		default:
			snprintf(want, sizeof(want), "\"\\u%04x\"", c);
			break;
		}
		ck_assert_str_eq(jstr(in, 1), want);
	}
	ck_assert_str_eq(JSTR("\177"), "\"\\u007f\"");
	ck_assert_str_eq(JSTR("a\0b"), "\"a\\u0000b\"");
	ck_assert_str_eq(JSTR("\033[31mred\033[0m"),
	    "\"\\u001b[31mred\\u001b[0m\"");
	ck_assert_str_eq(JSTR("line\r\n"), "\"line\\r\\n\"");
}
END_TEST

START_TEST(test_quotes)
{
	ck_assert_str_eq(JSTR(""), "\"\"");
	ck_assert_str_eq(JSTR("a\"b\\c"), "\"a\\\"b\\\\c\"");
	ck_assert_str_eq(JSTR("\"\"\\\\"), "\"\\\"\\\"\\\\\\\\\"");
	/* a solidus needs nothing; printable ASCII goes as it is */
	ck_assert_str_eq(JSTR("a/b <x@y> {}[]:,"), "\"a/b <x@y> {}[]:,\"");
	/* the 8-byte steps and what follows them */
	ck_assert_str_eq(JSTR("abcdefghijklmnop\"q"),
	    "\"abcdefghijklmnop\\\"q\"");
	ck_assert_str_eq(JSTR("abcdefg\\hijklmno"),
	    "\"abcdefg\\\\hijklmno\"");
	ck_assert_str_eq(JSTR("abcdefgh\177ijklmno"),
	    "\"abcdefgh\\u007fijklmno\"");
	ck_assert_str_eq(JSTR("abcdefgh\001"), "\"abcdefgh\\u0001\"");
}
END_TEST

START_TEST(test_c1_separators_bidi)
{
	char	 in[2], want[16];
	int	 c;

	for (c = 0x80; c < 0xa0; c++) {
		in[0] = (char)0xc2;
		in[1] = (char)c;
		snprintf(want, sizeof(want), "\"\\u%04x\"", c);
		ck_assert_str_eq(jstr(in, 2), want);
	}
	ck_assert_str_eq(JSTR("\302\240"), "\"\302\240\"");	/* NBSP */
	ck_assert_str_eq(JSTR("a\342\200\250b"), "\"a\\u2028b\"");
	ck_assert_str_eq(JSTR("a\342\200\251b"), "\"a\\u2029b\"");
	ck_assert_str_eq(JSTR("\342\200\252\342\200\256"),
	    "\"\\u202a\\u202e\"");
	ck_assert_str_eq(JSTR("\342\201\246\342\201\251"),
	    "\"\\u2066\\u2069\"");
	/* their neighbours are text */
	ck_assert_str_eq(JSTR("\342\200\247"), "\"\342\200\247\"");
	ck_assert_str_eq(JSTR("\342\200\257"), "\"\342\200\257\"");
	ck_assert_str_eq(JSTR("\342\201\245"), "\"\342\201\245\"");
	ck_assert_str_eq(JSTR("\342\201\252"), "\"\342\201\252\"");
}
END_TEST

START_TEST(test_utf8_valid)
{
	ck_assert_str_eq(JSTR("caf\303\251"), "\"caf\303\251\"");
	ck_assert_str_eq(JSTR("\344\270\255\346\226\207"),
	    "\"\344\270\255\346\226\207\"");
	ck_assert_str_eq(JSTR("\360\237\230\200"), "\"\360\237\230\200\"");
	/* the ends of each length */
	ck_assert_str_eq(JSTR("\302\240\337\277"), "\"\302\240\337\277\"");
	ck_assert_str_eq(JSTR("\340\240\200\357\277\277"),
	    "\"\340\240\200\357\277\277\"");
	ck_assert_str_eq(JSTR("\360\220\200\200\364\217\277\277"),
	    "\"\360\220\200\200\364\217\277\277\"");
	/* just outside the surrogates */
	ck_assert_str_eq(JSTR("\355\237\277\356\200\200"),
	    "\"\355\237\277\356\200\200\"");
	/* U+FFFD and a BOM are characters like others */
	ck_assert_str_eq(JSTR("\357\277\275\357\273\277"),
	    "\"\357\277\275\357\273\277\"");
	/* a combining mark after a letter */
	ck_assert_str_eq(JSTR("e\314\201"), "\"e\314\201\"");
}
END_TEST

#define R	"\\ufffd"

START_TEST(test_utf8_invalid)
{
	/* stray continuation bytes, bytes no UTF-8 has */
	ck_assert_str_eq(JSTR("\200"), "\"" R "\"");
	ck_assert_str_eq(JSTR("a\277b"), "\"a" R "b\"");
	ck_assert_str_eq(JSTR("\370\210\200\200\200"),
	    "\"" R R R R R "\"");
	ck_assert_str_eq(JSTR("\365\376\377"), "\"" R R R "\"");
	/* overlong forms: each byte */
	ck_assert_str_eq(JSTR("\300\257"), "\"" R R "\"");
	ck_assert_str_eq(JSTR("\301\277"), "\"" R R "\"");
	ck_assert_str_eq(JSTR("\340\200\257"), "\"" R R R "\"");
	ck_assert_str_eq(JSTR("\340\237\277"), "\"" R R R "\"");
	ck_assert_str_eq(JSTR("\360\200\200\257"), "\"" R R R R "\"");
	ck_assert_str_eq(JSTR("\360\217\277\277"), "\"" R R R R "\"");
	/* surrogates D800-DFFF */
	ck_assert_str_eq(JSTR("\355\240\200"), "\"" R R R "\"");
	ck_assert_str_eq(JSTR("\355\277\277"), "\"" R R R "\"");
	ck_assert_str_eq(JSTR("\355\240\275\355\270\200"),
	    "\"" R R R R R R "\"");
	/* above U+10FFFF */
	ck_assert_str_eq(JSTR("\364\220\200\200"), "\"" R R R R "\"");
	ck_assert_str_eq(JSTR("\367\277\277\277"), "\"" R R R R "\"");
	/* cut short: at the end, before ASCII, before another lead byte */
	ck_assert_str_eq(JSTR("\344\270"), "\"" R R "\"");
	ck_assert_str_eq(JSTR("\344\270A"), "\"" R R "A\"");
	ck_assert_str_eq(JSTR("\360\237\230"), "\"" R R R "\"");
	ck_assert_str_eq(JSTR("\303\303\251"), "\"" R "\303\251\"");
	ck_assert_str_eq(JSTR("x\342\"y"), "\"x" R "\\\"y\"");
	/* the widest output: every byte escaped as 6 */
	{
		char	 in[100], want[620], *w = want;
		size_t	 i;

		memset(in, '\001', sizeof(in));
		*w++ = '"';
		for (i = 0; i < sizeof(in); i++)
			w += snprintf(w, 7, "\\u0001");
		*w++ = '"';
		*w = '\0';
		ck_assert_str_eq(jstr(in, sizeof(in)), want);
		memset(in, '\377', sizeof(in));
		ck_assert_uint_eq(strlen(jstr(in, sizeof(in))),
		    sizeof(in) * JSON_ESCAPE_MAX + 2);
	}
}
END_TEST

#undef R

/* What the writer wrote so far, NUL-terminated. */
static const char *
text(struct json *j)
{
	static char	 out[8192];

	ck_assert_uint_lt(j->len, sizeof(out));
	memcpy(out, j->buf, j->len);
	out[j->len] = '\0';
	return out;
}

START_TEST(test_numbers)
{
	static const struct {
		int64_t		 v;
		const char	*want;
	} v[] = {
		{ 0, "0" }, { 7, "7" }, { -1, "-1" }, { 10, "10" },
		{ -100, "-100" }, { 1795550400, "1795550400" },
		{ INT64_MAX, "9223372036854775807" },
		{ INT64_MIN, "-9223372036854775808" },
		{ INT64_MIN + 1, "-9223372036854775807" },
	};
	struct json	 j;
	size_t		 i;

	for (i = 0; i < nitems(v); i++) {
		json_init(&j, 1);
		json_int(&j, v[i].v);
		ck_assert_str_eq(text(&j), v[i].want);
		json_free(&j);
	}
	json_init(&j, 0);
	json_null(&j);
	ck_assert_str_eq(text(&j), "null");
	json_free(&j);
}
END_TEST

/* json_number: numbers as text, as the providers keep a score */
START_TEST(test_number_text)
{
	static const char *const good[] = {
		"0", "-0", "5", "5.2", "-1.9", "1001.3", "12", "0.001",
		"1e5", "1E+5", "-2.5e-3", "9223372036854775808",
	};
	static const char *const bad[] = {
		"", "-", "+1", "01", "-01", ".5", "5.", "1.2.3", "1e", "1e+",
		"0x10", "nan", "inf", " 1", "1 ", "1,5", "5.2\n", "\"5\"",
	};
	struct json	 j;
	size_t		 i;

	for (i = 0; i < nitems(good); i++) {
		json_init(&j, 1);
		ck_assert_int_eq(json_number(&j, good[i], strlen(good[i])), 0);
		ck_assert_str_eq(text(&j), good[i]);
		json_free(&j);
	}
	for (i = 0; i < nitems(bad); i++) {
		json_init(&j, 1);
		ck_assert_int_eq(json_number(&j, bad[i], strlen(bad[i])), -1);
		ck_assert_str_eq(text(&j), "null");
		json_free(&j);
	}
	/* in an array, with its commas */
	json_init(&j, 1);
	json_array(&j);
	json_number(&j, "1.5", 3);
	json_number(&j, "", 0);
	json_number(&j, "-2", 2);
	json_array_end(&j);
	ck_assert_str_eq(text(&j), "[1.5,null,-2]");
	json_free(&j);
}
END_TEST

START_TEST(test_structure)
{
	struct json	 j;

	json_init(&j, 1);
	json_object(&j);
	json_object_end(&j);
	json_newline(&j);
	json_object(&j);
	json_key(&j, "a");
	json_int(&j, 1);
	json_key(&j, "b");
	json_array(&j);
	json_array_end(&j);
	json_key(&j, "c");
	json_array(&j);
	json_string(&j, "x", 1);
	json_null(&j);
	json_array(&j);
	json_int(&j, -2);
	json_array_end(&j);
	json_array_end(&j);
	json_key(&j, "d\"\n");
	json_null(&j);
	json_key(&j, "e");
	json_object(&j);
	json_key(&j, "f");
	json_string(&j, "", 0);
	json_object_end(&j);
	json_object_end(&j);
	json_newline(&j);
	json_object(&j);
	json_object_end(&j);
	json_newline(&j);
	ck_assert_str_eq(text(&j), "{}\n"
	    "{\"a\":1,\"b\":[],\"c\":[\"x\",null,[-2]],\"d\\\"\\n\":null,"
	    "\"e\":{\"f\":\"\"}}\n"
	    "{}\n");
	/* emptied, it starts again with no comma */
	json_clear(&j);
	json_int(&j, 5);
	json_int(&j, 6);
	ck_assert_str_eq(text(&j), "5,6");
	json_free(&j);
}
END_TEST

START_TEST(test_growth)
{
	struct json	 j;
	char		 s[300];
	size_t		 i;

	memset(s, 'x', sizeof(s));
	json_init(&j, 1);
	json_array(&j);
	for (i = 0; i < 20; i++)
		json_string(&j, s, sizeof(s));
	json_array_end(&j);
	ck_assert_uint_eq(j.len, 2 + 20 * (sizeof(s) + 2) + 19);
	ck_assert_uint_le(j.len, j.cap);
	ck_assert(j.buf[0] == '[' && j.buf[j.len - 1] == ']');
	json_free(&j);
}
END_TEST

START_TEST(test_lists)
{
	ck_assert_str_eq(jlist(""), "[]");
	ck_assert_str_eq(jlist(" "), "[]");
	ck_assert_str_eq(jlist(",, ,"), "[]");
	ck_assert_str_eq(jlist("a"), "[\"a\"]");
	ck_assert_str_eq(jlist("hold,suspend"), "[\"hold\",\"suspend\"]");
	ck_assert_str_eq(jlist(" a , b ,, c "), "[\"a\",\"b\",\"c\"]");
	ck_assert_str_eq(jlist("a,\tb\t"), "[\"a\",\"b\"]");
	ck_assert_str_eq(jlist("a,"), "[\"a\"]");
	ck_assert_str_eq(jlist(",a"), "[\"a\"]");
	ck_assert_str_eq(jlist("GTUBE=1000,RCVD_ILLEGAL_IP=1.3"),
	    "[\"GTUBE=1000\",\"RCVD_ILLEGAL_IP=1.3\"]");
	/* a comma in a quoted local part separates nothing */
	ck_assert_str_eq(jlist("\"weird,name\"@example.org,bob@example.org"),
	    "[\"\\\"weird,name\\\"@example.org\",\"bob@example.org\"]");
	ck_assert_str_eq(jlist("\"a\\\",b\"@x,c"),
	    "[\"\\\"a\\\\\\\",b\\\"@x\",\"c\"]");
	/* an odd quote: the rest is one item */
	ck_assert_str_eq(jlist("\"a,b,c"), "[\"\\\"a,b,c\"]");
	/* a backslash outside quotes is a character */
	ck_assert_str_eq(jlist("a\\,b"), "[\"a\\\\\",\"b\"]");
	/* items are strings like others */
	ck_assert_str_eq(jlist("\033]0;x\007,\377"),
	    "[\"\\u001b]0;x\\u0007\",\"\\ufffd\"]");
}
END_TEST

/* -J of a small rowset: the keys, the types, the lists; -b unchanged */
START_TEST(test_batch_rows)
{
	static const struct column	 cols[] = {
		{ "id", COL_STR, 0, 0, COL_BATCH, NULL },
		{ "n", COL_INT, 1, 0, COL_BATCH, NULL },
		{ "when", COL_TIME, 2, 0, COL_BATCH, NULL },
		{ "to", COL_STR, 3, 0, COL_BATCH | COL_LIST, NULL },
		{ "hits", COL_STR, 4, 0, COL_BATCH | COL_NUMBER, NULL },
		{ "screen", COL_STR, 0, 0, COL_SCREEN, NULL },
	};
	static const struct {
		const char	*id;
		int64_t		 n, when;
		const char	*to, *hits;
	} v[] = {
		{ "a", 1, 1795550400, "bob@example.org", "5.2" },
		{ "", CELL_NONE, CELL_NONE, "", "" },
		{ "\033[2J\"\n\377", -7, 0,
		    "\"x,y\"@example.org, bob@example.org", "-0.1" },
	};
	struct pane_desc		 d;
	struct rowset			*rs = rowset_new();
	struct row			*r;
	char				*buf = NULL;
	size_t				 len, i;
	FILE				*fp;

	memset(&d, 0, sizeof(d));
	d.columns = cols;
	d.ncolumns = nitems(cols);
	/* no rows: no lines */
	ck_assert_ptr_nonnull(fp = open_memstream(&buf, &len));
	batch_print_json(fp, &d, rs);
	ck_assert_int_eq(fclose(fp), 0);
	ck_assert_uint_eq(len, 0);
	free(buf);
	for (i = 0; i < nitems(v); i++) {
		r = rowset_add(rs, 5);
		r->cells[0].s = v[i].id;
		r->cells[1].i = v[i].n;
		r->cells[2].i = v[i].when;
		r->cells[3].s = v[i].to;
		r->cells[4].s = v[i].hits;
	}
	ck_assert_ptr_nonnull(fp = open_memstream(&buf, &len));
	batch_print_json(fp, &d, rs);
	ck_assert_int_eq(fclose(fp), 0);
	ck_assert_str_eq(buf,
	    "{\"id\":\"a\",\"n\":1,\"when\":1795550400,"
	    "\"to\":[\"bob@example.org\"],\"hits\":5.2}\n"
	    "{\"id\":\"\",\"n\":null,\"when\":null,\"to\":[],"
	    "\"hits\":null}\n"
	    "{\"id\":\"\\u001b[2J\\\"\\n\\ufffd\",\"n\":-7,\"when\":0,"
	    "\"to\":[\"\\\"x,y\\\"@example.org\",\"bob@example.org\"],"
	    "\"hits\":-0.1}\n");
	free(buf);
	/* the TSV keeps the list as it was */
	ck_assert_ptr_nonnull(fp = open_memstream(&buf, &len));
	batch_print(fp, &d, rs);
	ck_assert_int_eq(fclose(fp), 0);
	ck_assert_str_eq(buf, "id\tn\twhen\tto\thits\n"
	    "a\t1\t1795550400\tbob@example.org\t5.2\n"
	    "\t\t\t\t\n"
	    "\\x1b[2J\"\\n\\xff\t-7\t0\t\"x,y\"@example.org, bob@example.org\t"
	    "-0.1\n");
	free(buf);
	rowset_free(rs);
}
END_TEST

static Suite *
json_suite(void)
{
	Suite	*s = suite_create("json");
	TCase	*tc;

	tc = tcase_create("strings");
	tcase_add_test(tc, test_controls);
	tcase_add_test(tc, test_quotes);
	tcase_add_test(tc, test_c1_separators_bidi);
	tcase_add_test(tc, test_utf8_valid);
	tcase_add_test(tc, test_utf8_invalid);
	suite_add_tcase(s, tc);

	tc = tcase_create("values");
	tcase_add_test(tc, test_numbers);
	tcase_add_test(tc, test_number_text);
	tcase_add_test(tc, test_structure);
	tcase_add_test(tc, test_growth);
	tcase_add_test(tc, test_lists);
	suite_add_tcase(s, tc);

	tc = tcase_create("batch");
	tcase_add_test(tc, test_batch_rows);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return unit_run(json_suite());
}
