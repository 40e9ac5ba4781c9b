/*
 * libFuzzer: untrusted bytes to screen text, cut cells and TSV fields.
 * Checks that no control character gets through, and the limits hold.
 * Built by run.sh.
 */
#include "config.h"

#include <limits.h>
#include <locale.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cut.h"
#include "sanitize.h"

int	LLVMFuzzerInitialize(int *, char ***);
int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static locale_t	 c_locale, utf8_locale;

#define CHECK(cond) do {						\
	if (!(cond)) {							\
		fprintf(stderr, "%s:%d: invariant failed: %s\n",	\
		    __FILE__, __LINE__, #cond);				\
		abort();						\
	}								\
} while (0)

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	if (setlocale(LC_ALL, "C.UTF-8") == NULL)
		abort();
	utf8_locale = newlocale(LC_ALL_MASK, "C.UTF-8", (locale_t)0);
	c_locale = newlocale(LC_ALL_MASK, "C", (locale_t)0);
	if (utf8_locale == (locale_t)0 || c_locale == (locale_t)0)
		abort();
	return 0;
}

/* Length of the valid UTF-8 character at s, 0 if none (len bytes left). */
static size_t
utf8_char(const unsigned char *s, size_t len)
{
	size_t		 n, i;
	uint32_t	 cp;

	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		n = 2, cp = s[0] & 0x1f;
	else if (s[0] >= 0xe0 && s[0] <= 0xef)
		n = 3, cp = s[0] & 0x0f;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		n = 4, cp = s[0] & 0x07;
	else
		return 0;
	if (n > len)
		return 0;
	for (i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (s[i] & 0x3f);
	}
	if ((n == 3 && cp < 0x800) || (n == 4 && cp < 0x10000) ||
	    (cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff)
		return 0;
	return n;
}

/* Text a terminal shows as is: valid UTF-8, no C0, DEL or C1. */
static void
check_visible(const char *s, size_t len, int utf8)
{
	const unsigned char	*p = (const unsigned char *)s;
	size_t			 i = 0, n;

	while (i < len) {
		CHECK(p[i] >= 0x20 && p[i] != 0x7f);
		if (!utf8)
			CHECK(p[i] < 0x80);
		n = utf8_char(p + i, len - i);
		CHECK(n > 0);
		CHECK(!(n == 2 && p[i] == 0xc2 && p[i + 1] < 0xa0));
		i += n;
	}
}

static void
screen(const char *in, size_t len, int maxcols, size_t outlen, int utf8)
{
	char	*out = malloc(outlen);		/* exact size: ASan sees overruns */
	size_t	 used = (size_t)-1, olen;
	int	 cols, w;

	memset(out, 'Z', outlen);
	cols = sanitize_screen(in, len, out, outlen, maxcols, &used);
	CHECK(cols >= 0 && cols <= maxcols);
	CHECK(used <= len);
	if (outlen > 0) {
		olen = strnlen(out, outlen);
		CHECK(olen < outlen);
		check_visible(out, olen, utf8);
		w = sanitize_width(in, used);
		CHECK(w == cols);
		/* nothing is lost silently: it stopped at a limit */
		if (used < len)
			CHECK(cols > maxcols - 12 || olen + 12 >= outlen);
	} else
		CHECK(cols == 0 && used == 0);
	free(out);
}

/* No bidi control (U+202A-U+202E, U+2066-U+2069): escaped text. */
static void
check_no_bidi(const char *s, size_t len)
{
	const unsigned char	*p = (const unsigned char *)s;
	size_t			 i;

	for (i = 0; i + 2 < len; i++)
		CHECK(!(p[i] == 0xe2 && ((p[i + 1] == 0x80 && p[i + 2] >= 0xaa &&
		    p[i + 2] <= 0xae) || (p[i + 1] == 0x81 && p[i + 2] >= 0xa6 &&
		    p[i + 2] <= 0xa9))));
}

/*
 * sanitize_text: safe, within its buffer, whole escapes only; and what it
 * wrote goes through sanitize_put unchanged (a pane's error on stderr).
 */
static void
text(const char *in, size_t len, size_t outlen)
{
	char	*out = malloc(outlen + 1), *buf = NULL;
	size_t	 used, olen, blen = 0;
	FILE	*fp;

	used = sanitize_text(in, len, out, outlen);
	CHECK(used <= len);
	if (outlen == 0) {
		CHECK(used == 0);
		free(out);
		return;
	}
	olen = strnlen(out, outlen);
	CHECK(olen < outlen);
	check_visible(out, olen, 1);
	check_no_bidi(out, olen);
	/* stopped early only at the end of the buffer */
	if (used < len)
		CHECK(olen + 4 >= outlen);
	if ((fp = open_memstream(&buf, &blen)) == NULL)
		abort();
	sanitize_put(fp, out);
	if (fclose(fp) != 0)
		abort();
	CHECK(blen == olen && memcmp(buf, out, olen) == 0);
	free(buf);
	free(out);
}

static void
tsv(const char *s, size_t len)
{
	char	*buf = NULL;
	size_t	 blen = 0, i;
	FILE	*fp = open_memstream(&buf, &blen);

	if (fp == NULL)
		abort();
	tsv_put_field(fp, s);
	if (fclose(fp) != 0)
		abort();
	/* one field: no TAB, LF, CR, nothing invisible; backslashes paired */
	check_visible(buf, blen, 1);
	check_no_bidi(buf, blen);
	for (i = 0; i < blen; i++)
		if (buf[i] == '\\') {
			CHECK(i + 1 < blen);
			CHECK(strchr("tnrx\\", buf[i + 1]) != NULL);
			i++;
		}
	CHECK(blen >= len);
	free(buf);
}

/* Every cut of safe text at every narrow width: no wider, still safe. */
static void
cut_cells(const char *safe, int utf8)
{
	char	 out[8192];
	int	 how, w, cols;

	if (strlen(safe) > 2000)
		return;
	for (how = CUT_END; how <= CUT_VERDICT; how++)
		for (w = 0; w < 42; w++) {
			cols = cut_text(safe, w, (enum cut_style)how, out,
			    sizeof(out));
			CHECK(cols >= 0 && cols <= w);
			CHECK(sanitize_width(out, strlen(out)) == cols);
			check_visible(out, strlen(out), utf8);
		}
}

static void
cut_routes(const char *s, size_t len, int utf8)
{
	char	 out[8192];
	int	 w, cols;

	for (w = 0; w < 42; w++) {
		cols = cut_route(s, s + len / 2, w, out, sizeof(out));
		CHECK(cols >= 0 && cols <= w);
		check_visible(out, strlen(out), utf8);
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const int	 widths[] = { 0, 1, 2, 3, 5, 8, 20, 80, 1000,
				    INT_MAX };
	static const size_t	 outlens[] = { 0, 1, 2, 5, 8, 17, 64, 4096 };
	const char		*in;
	char			*copy;
	size_t			 len, i;
	int			 utf8;

	if (size < 1)
		return 0;
	/* the first byte: locale and limits */
	utf8 = !(data[0] & 0x80);
	uselocale(utf8 ? utf8_locale : c_locale);
	in = (const char *)data + 1;
	len = size - 1;

	for (i = 0; i < sizeof(widths) / sizeof(widths[0]); i++)
		screen(in, len, widths[i], outlens[(data[0] + i) %
		    (sizeof(outlens) / sizeof(outlens[0]))], utf8);
	screen(in, len, INT_MAX, len * 12 + 1, utf8);
	screen(in, len, data[0] & 0x7f, 64, utf8);

	/* the whole input consumed: width and screen agree */
	{
		char	*out = malloc(len * 12 + 1);
		size_t	 used;
		int	 cols;

		cols = sanitize_screen(in, len, out, len * 12 + 1, INT_MAX,
		    &used);
		CHECK(used == len);
		CHECK(sanitize_width(in, len) == cols);
		cut_cells(out, utf8);
		free(out);
	}

	text(in, len, outlens[data[0] % (sizeof(outlens) / sizeof(outlens[0]))]);
	text(in, len, len * 4 + 1);

	/* TSV: a C string, so up to the first NUL */
	copy = malloc(len + 1);
	memcpy(copy, in, len);
	copy[len] = '\0';
	tsv(copy, strlen(copy));
	if (strlen(copy) < 1000)
		cut_routes(copy, strlen(copy), utf8);
	free(copy);

	uselocale(LC_GLOBAL_LOCALE);
	return 0;
}
