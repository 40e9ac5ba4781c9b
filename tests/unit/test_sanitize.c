/*
 * sanitize_screen, sanitize_width and tsv_put_field: what untrusted bytes
 * (addresses, error strings) look like on the terminal and in -b output.
 */
#include "config.h"

#include <limits.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sanitize.h"
#include "unit.h"

struct scr {
	char	 out[1024];
	int	 cols;
	size_t	 used;
};

static struct scr
scr(const char *in, size_t len, int maxcols, size_t outlen)
{
	struct scr	 r;

	ck_assert_uint_le(outlen, sizeof(r.out));
	memset(&r, 0, sizeof(r));
	r.used = 12345;
	r.cols = sanitize_screen(in, len, r.out, outlen, maxcols, &r.used);
	return r;
}

/* The whole of a NUL-terminated input, with room to spare. */
#define ALL(s)		scr((s), strlen(s), INT_MAX, 1024)
#define COLS(s, n)	scr((s), strlen(s), (n), 1024)

#define CHECK(r, text, ncols, nused) do {				\
	struct scr _r = (r);						\
	ck_assert_str_eq(_r.out, (text));				\
	ck_assert_int_eq(_r.cols, (ncols));				\
	ck_assert_uint_eq(_r.used, (nused));				\
} while (0)

START_TEST(test_controls)
{
	CHECK(ALL("\033"), "^[", 2, 1);
	CHECK(ALL("\033[31mred\033[0m"), "^[[31mred^[[0m", 14, 12);
	CHECK(ALL("a\177b"), "a^?b", 4, 3);
	CHECK(ALL("a\tb"), "a^Ib", 4, 3);
	CHECK(ALL("line\r\n"), "line^M^J", 8, 6);
	CHECK(ALL("\001ctl"), "^Actl", 5, 4);
	CHECK(ALL("\037"), "^_", 2, 1);
	CHECK(scr("a\0b", 3, INT_MAX, 1024), "a^@b", 4, 3);
	/* a raw C1 byte (CSI): never sent as is */
	CHECK(ALL("\233" "2J"), "\\x9b2J", 6, 3);
	CHECK(ALL("x\200"), "x\\x80", 5, 2);
	/* what smtpd escaped stays as it is: backslashes are not doubled */
	CHECK(ALL("try again later \\\\o/ \\^Actl"),
	    "try again later \\\\o/ \\^Actl", 27, 27);
	CHECK(ALL(""), "", 0, 0);
}
END_TEST

START_TEST(test_utf8)
{
	CHECK(ALL("caf\303\251"), "caf\303\251", 4, 5);
	/* CJK: two columns each */
	CHECK(ALL("\344\270\255\346\226\207\345\255\227"),
	    "\344\270\255\346\226\207\345\255\227", 6, 9);
	/* emoji outside the BMP */
	CHECK(ALL("\360\237\230\200!"), "\360\237\230\200!", 3, 5);
	/* combining acute accent after a base: kept, no column */
	CHECK(ALL("e\314\201"), "e\314\201", 1, 3);
	/* ... but not alone at the start */
	CHECK(ALL("\314\201x"), "\\u0301x", 7, 3);
	/* U+00A0 no-break space is printable */
	CHECK(ALL("a\302\240b"), "a\302\240b", 3, 4);
}
END_TEST

START_TEST(test_unprintable_chars)
{
	/* U+202E RIGHT-TO-LEFT OVERRIDE would reverse the rest of the line */
	CHECK(ALL("\342\200\256"), "\\u202e", 6, 3);
	CHECK(ALL("abc\342\200\256fed"), "abc\\u202efed", 12, 9);
	CHECK(ALL("\342\201\246x"), "\\u2066x", 7, 4);	/* LRI */
	/* U+009B, a C1 CSI encoded in UTF-8 */
	CHECK(ALL("\302\233" "2J"), "\\u009b2J", 8, 4);
	CHECK(ALL("\302\205"), "\\u0085", 6, 2);	/* NEL */
	/* zero-width space and BOM */
	CHECK(ALL("\342\200\213"), "\\u200b", 6, 3);
	CHECK(ALL("\357\273\277"), "\\ufeff", 6, 3);
}
END_TEST

START_TEST(test_invalid_utf8)
{
	CHECK(ALL("\303("), "\\xc3(", 5, 2);
	/* a truncated sequence at the end of the input */
	CHECK(ALL("\344\270"), "\\xe4\\xb8", 8, 2);
	/* overlong '/' and a lone surrogate */
	CHECK(ALL("\300\257"), "\\xc0\\xaf", 8, 2);
	CHECK(ALL("\355\240\200"), "\\xed\\xa0\\x80", 12, 3);
	CHECK(ALL("\377\376"), "\\xff\\xfe", 8, 2);
	/* a good character after a bad byte is kept */
	CHECK(ALL("\377\303\251"), "\\xff\303\251", 5, 3);
	/* the length is honoured: a sequence cut by len is invalid */
	CHECK(scr("\303\251", 1, INT_MAX, 1024), "\\xc3", 4, 1);
}
END_TEST

START_TEST(test_width_limit)
{
	CHECK(COLS("hello world", 5), "hello", 5, 5);
	CHECK(COLS("hello", 0), "", 0, 0);
	CHECK(COLS("hello", 5), "hello", 5, 5);
	/* a wide character is not split: it is left out whole */
	CHECK(COLS("\344\270\255\346\226\207\345\255\227", 5),
	    "\344\270\255\346\226\207", 4, 6);
	CHECK(COLS("\344\270\255\346\226\207\345\255\227", 1), "", 0, 0);
	CHECK(COLS("a\344\270\255", 2), "a", 1, 1);
	/* nor is an escape */
	CHECK(COLS("ab\033c", 3), "ab", 2, 2);
	CHECK(COLS("ab\033c", 4), "ab^[", 4, 3);
	CHECK(COLS("a\233", 4), "a", 1, 1);
	CHECK(COLS("a\342\200\256", 6), "a", 1, 1);
	/* a combining mark rides with its base at the edge */
	CHECK(COLS("ae\314\201z", 2), "ae\314\201", 2, 4);
}
END_TEST

START_TEST(test_outlen_limit)
{
	char	 canary[4] = "ZZZ";
	size_t	 used = 99;
	int	 cols;

	CHECK(scr("hello", 5, INT_MAX, 4), "hel", 3, 3);
	CHECK(scr("hello", 5, INT_MAX, 1), "", 0, 0);
	/* a character is not split at the end of the buffer either */
	CHECK(scr("\344\270\255\346\226\207", 6, INT_MAX, 6),
	    "\344\270\255", 2, 3);
	CHECK(scr("a\033", 2, INT_MAX, 3), "a", 1, 1);

	/* outlen 0: nothing written */
	cols = sanitize_screen("abc", 3, canary, 0, 80, &used);
	ck_assert_int_eq(cols, 0);
	ck_assert_uint_eq(used, 0);
	ck_assert_str_eq(canary, "ZZZ");
	/* used is optional */
	cols = sanitize_screen("ab", 2, canary, sizeof(canary), 80, NULL);
	ck_assert_int_eq(cols, 2);
	ck_assert_str_eq(canary, "ab");
}
END_TEST

static const char *const width_inputs[] = {
	"", "plain ascii", "\033[31mred", "\233", "caf\303\251",
	"\344\270\255\346\226\207\345\255\227", "\360\237\230\200",
	"e\314\201", "\314\201", "\342\200\256", "\302\233", "\303(",
	"\344\270", "\177\001\t", "\355\240\200", "mixed \344\270\255\033x\303",
	"451 4.7.1 Greylisted | try again later \\\\o/ \\^Actl",
};

START_TEST(test_width_consistent)
{
	const char	*s = width_inputs[_i];
	size_t		 len = strlen(s);
	struct scr	 r = scr(s, len, INT_MAX, 1024);

	ck_assert_uint_eq(r.used, len);
	ck_assert_int_eq(sanitize_width(s, len), r.cols);
}
END_TEST

/*
 * Whatever the bytes, the screen text holds no control character: no C0, no
 * DEL, no raw C1 byte, no C1 encoded in UTF-8, and stays in its limits.
 */
START_TEST(test_random_bytes_are_safe)
{
	unsigned	 seed = 12345;
	char		 in[64];
	size_t		 i, j, len;
	int		 maxcols, w;
	struct scr	 r;
	const unsigned char *p;

	for (i = 0; i < 20000; i++) {
		len = (seed = seed * 1103515245 + 12345) % sizeof(in);
		for (j = 0; j < len; j++) {
			seed = seed * 1103515245 + 12345;
			/* favour the interesting bytes */
			switch ((seed >> 16) % 4) {
			case 0:
				in[j] = (char)((seed >> 8) & 0xff);
				break;
			case 1:
				in[j] = (char)(0x80 + ((seed >> 8) & 0x3f));
				break;
			case 2:
				in[j] = (char)(0xc2 + ((seed >> 8) % 0x32));
				break;
			default:
				in[j] = (char)((seed >> 8) & 0x1f);
				break;
			}
		}
		maxcols = (int)((seed >> 20) % 40);
		r = scr(in, len, maxcols, 1 + (seed >> 12) % 200);
		ck_assert_int_le(r.cols, maxcols);
		ck_assert_uint_le(r.used, len);
		w = sanitize_width(in, len);
		ck_assert_int_ge(w, r.cols);
		if (r.used == len)
			ck_assert_int_eq(w, r.cols);
		for (p = (const unsigned char *)r.out; *p != '\0'; p++) {
			ck_assert_msg(*p >= 0x20 && *p != 0x7f,
			    "control byte 0x%02x in output", *p);
			if (*p == 0xc2)
				ck_assert_msg(p[1] >= 0xa0,
				    "C1 U+00%02X in output", p[1] - 0x40);
		}
	}
}
END_TEST

START_TEST(test_c_locale)
{
	ck_assert_ptr_nonnull(setlocale(LC_ALL, "C"));
	CHECK(ALL("caf\303\251"), "caf\\xc3\\xa9", 11, 5);
	CHECK(ALL("\344\270\255"), "\\xe4\\xb8\\xad", 12, 3);
	CHECK(ALL("\033x"), "^[x", 3, 2);
	CHECK(COLS("ab\303\251", 5), "ab", 2, 2);
	ck_assert_int_eq(sanitize_width("caf\303\251", 5), 11);
}
END_TEST

/* tsv_put_field */

static char *
tsv(const char *s)
{
	static char	*buf;
	size_t		 len;
	FILE		*fp;

	free(buf);
	buf = NULL;
	ck_assert_ptr_nonnull(fp = open_memstream(&buf, &len));
	tsv_put_field(fp, s);
	ck_assert_int_eq(fclose(fp), 0);
	ck_assert_uint_eq(strlen(buf), len);
	return buf;
}

START_TEST(test_tsv_escapes)
{
	ck_assert_str_eq(tsv(""), "");
	ck_assert_str_eq(tsv("plain text @ | ;"), "plain text @ | ;");
	ck_assert_str_eq(tsv("a\tb"), "a\\tb");
	ck_assert_str_eq(tsv("a\nb"), "a\\nb");
	ck_assert_str_eq(tsv("a\rb"), "a\\rb");
	ck_assert_str_eq(tsv("a\\b"), "a\\\\b");
	ck_assert_str_eq(tsv("\t\n\r\\"), "\\t\\n\\r\\\\");
	ck_assert_str_eq(tsv("\001"), "\\x01");
	ck_assert_str_eq(tsv("\033[31m"), "\\x1b[31m");
	ck_assert_str_eq(tsv("\177"), "\\x7f");
	ck_assert_str_eq(tsv("\037\v\f"), "\\x1f\\x0b\\x0c");
	/* smtpd's own escapes are escaped again, so they survive unescaping */
	ck_assert_str_eq(tsv("later \\\\o/ \\^Actl"),
	    "later \\\\\\\\o/ \\\\^Actl");
}
END_TEST

/* Text is taken 8 bytes at a time: every byte, at every place in them. */
START_TEST(test_tsv_every_byte)
{
	char	 in[20], want[64], one[2] = { 0, 0 };
	int	 b, pos;

	for (b = 1; b < 256; b++) {
		one[0] = (char)b;
		for (pos = 0; pos < 17; pos++) {
			snprintf(in, sizeof(in), "abcdefghijklmnopq");
			in[pos] = (char)b;
			snprintf(want, sizeof(want), "%.*s%s%s", pos,
			    "abcdefghijklmnopq", tsv(one),
			    "abcdefghijklmnopq" + pos + 1);
			ck_assert_msg(strcmp(tsv(in), want) == 0,
			    "byte %#x at %d: %s, not %s", b, pos, tsv(in), want);
		}
	}
}
END_TEST

START_TEST(test_tsv_utf8)
{
	ck_assert_str_eq(tsv("caf\303\251"), "caf\303\251");
	ck_assert_str_eq(tsv("\344\270\255\346\226\207"),
	    "\344\270\255\346\226\207");
	ck_assert_str_eq(tsv("\360\237\230\200"), "\360\237\230\200");
	ck_assert_str_eq(tsv("\364\217\277\277"), "\364\217\277\277");
	ck_assert_str_eq(tsv("\302\240"), "\302\240");
	/* a lone C1 byte, and C1 encoded in UTF-8 */
	ck_assert_str_eq(tsv("\233"), "\\x9b");
	ck_assert_str_eq(tsv("\302\233"), "\\xc2\\x9b");
	ck_assert_str_eq(tsv("\302\200"), "\\xc2\\x80");
	/* invalid sequences: every byte escaped */
	ck_assert_str_eq(tsv("\303("), "\\xc3(");
	ck_assert_str_eq(tsv("\300\257"), "\\xc0\\xaf");		/* overlong */
	ck_assert_str_eq(tsv("\301\277"), "\\xc1\\xbf");
	ck_assert_str_eq(tsv("\340\200\257"), "\\xe0\\x80\\xaf");	/* overlong */
	ck_assert_str_eq(tsv("\360\200\200\257"),
	    "\\xf0\\x80\\x80\\xaf");				/* overlong */
	ck_assert_str_eq(tsv("\355\240\200"), "\\xed\\xa0\\x80");	/* surrogate */
	ck_assert_str_eq(tsv("\364\220\200\200"),
	    "\\xf4\\x90\\x80\\x80");				/* > U+10FFFF */
	ck_assert_str_eq(tsv("\370\210\200\200\200"),
	    "\\xf8\\x88\\x80\\x80\\x80");			/* 5 bytes */
	ck_assert_str_eq(tsv("\376\377"), "\\xfe\\xff");
	/* truncated by the end of the string */
	ck_assert_str_eq(tsv("\344\270"), "\\xe4\\xb8");
	ck_assert_str_eq(tsv("x\360\237\230"), "x\\xf0\\x9f\\x98");
	/* a bad byte then a good character */
	ck_assert_str_eq(tsv("\377\303\251"), "\\xff\303\251");
}
END_TEST

/* Bidi controls would reorder what follows them: escaped, each byte. */
START_TEST(test_tsv_bidi)
{
	/* U+202A LRE to U+202E RLO */
	ck_assert_str_eq(tsv("a\342\200\252b"), "a\\xe2\\x80\\xaab");
	ck_assert_str_eq(tsv("evil\342\200\256fdp.exe"),
	    "evil\\xe2\\x80\\xaefdp.exe");
	/* U+2066 LRI to U+2069 PDI */
	ck_assert_str_eq(tsv("\342\201\246x\342\201\251"),
	    "\\xe2\\x81\\xa6x\\xe2\\x81\\xa9");
	/* their neighbours are ordinary characters */
	ck_assert_str_eq(tsv("\342\200\251\342\200\257"),
	    "\342\200\251\342\200\257");		/* U+2029, U+202F */
	ck_assert_str_eq(tsv("\342\201\245\342\201\252"),
	    "\342\201\245\342\201\252");		/* U+2065, U+206A */
}
END_TEST

static char *
put(const char *s)
{
	static char	*buf;
	size_t		 len;
	FILE		*fp;

	free(buf);
	buf = NULL;
	ck_assert_ptr_nonnull(fp = open_memstream(&buf, &len));
	sanitize_put(fp, s);
	ck_assert_int_eq(fclose(fp), 0);
	return buf;
}

/* A message: as a TSV field, but a backslash is not doubled. */
START_TEST(test_put_message)
{
	ck_assert_str_eq(put("smtpctl /x\033]0;pwned\007: not found"),
	    "smtpctl /x\\x1b]0;pwned\\x07: not found");
	ck_assert_str_eq(put("a\tb\nc \\x1b"), "a\\tb\\nc \\x1b");
	ck_assert_str_eq(put("x\342\200\256y \302\233 \377"),
	    "x\\xe2\\x80\\xaey \\xc2\\x9b \\xff");
}
END_TEST

/* sanitize_text writes what sanitize_put would, within its buffer. */
START_TEST(test_text)
{
	char	 out[16];
	size_t	 used;

	used = sanitize_text("a\0b\033c", 5, out, sizeof(out));
	ck_assert_str_eq(out, "a\\x00b\\x1bc");
	ck_assert_uint_eq(used, 5);
	/* what it wrote goes through sanitize_put unchanged */
	ck_assert_str_eq(put(out), out);
	/* an escape is not cut: "ab" and the whole \x1b need 6 bytes */
	used = sanitize_text("ab\033cd", 5, out, 6);
	ck_assert_str_eq(out, "ab");
	ck_assert_uint_eq(used, 2);
	used = sanitize_text("ab\033cd", 5, out, 7);
	ck_assert_str_eq(out, "ab\\x1b");
	ck_assert_uint_eq(used, 3);
	/* nor a character */
	used = sanitize_text("a\303\251", 3, out, 3);
	ck_assert_str_eq(out, "a");
	ck_assert_uint_eq(used, 1);
	/* a sequence cut by the length is invalid */
	used = sanitize_text("\303\251", 1, out, sizeof(out));
	ck_assert_str_eq(out, "\\xc3");
	used = sanitize_text("\342\200\256", 3, out, sizeof(out));
	ck_assert_str_eq(out, "\\xe2\\x80\\xae");
	ck_assert_uint_eq(sanitize_text("abc", 3, out, 0), 0);
}
END_TEST

/* The TSV is the same whatever the locale. */
START_TEST(test_tsv_c_locale)
{
	ck_assert_ptr_nonnull(setlocale(LC_ALL, "C"));
	ck_assert_str_eq(tsv("caf\303\251\t\233"), "caf\303\251\\t\\x9b");
}
END_TEST

static Suite *
sanitize_suite(void)
{
	Suite	*s = suite_create("sanitize");
	TCase	*tc;

	tc = tcase_create("screen");
	tcase_add_checked_fixture(tc, unit_utf8_locale, NULL);
	tcase_add_test(tc, test_controls);
	tcase_add_test(tc, test_utf8);
	tcase_add_test(tc, test_unprintable_chars);
	tcase_add_test(tc, test_invalid_utf8);
	tcase_add_test(tc, test_width_limit);
	tcase_add_test(tc, test_outlen_limit);
	tcase_add_loop_test(tc, test_width_consistent, 0,
	    (int)nitems(width_inputs));
	tcase_add_test(tc, test_random_bytes_are_safe);
	tcase_add_test(tc, test_c_locale);
	tcase_set_timeout(tc, 60);
	suite_add_tcase(s, tc);

	tc = tcase_create("tsv");
	tcase_add_checked_fixture(tc, unit_utf8_locale, NULL);
	tcase_add_test(tc, test_tsv_escapes);
	tcase_add_test(tc, test_tsv_every_byte);
	tcase_add_test(tc, test_tsv_utf8);
	tcase_add_test(tc, test_tsv_c_locale);
	tcase_add_test(tc, test_tsv_bidi);
	tcase_add_test(tc, test_put_message);
	tcase_add_test(tc, test_text);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return unit_run(sanitize_suite());
}
