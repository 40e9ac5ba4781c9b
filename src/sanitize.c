#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>
#include <wctype.h>

#include "sanitize.h"
#include "util.h"

static int
is_combining(wchar_t wc)
{
	return (wc >= 0x300 && wc <= 0x36f) || (wc >= 0x1ab0 && wc <= 0x1aff) ||
	    (wc >= 0x1dc0 && wc <= 0x1dff) || (wc >= 0x20d0 && wc <= 0x20ff) ||
	    (wc >= 0xfe20 && wc <= 0xfe2f);
}

/*
 * The visible form of the next character at in: its bytes or an escape in
 * vis[], its width in *cols.  Returns the input bytes it consumed.
 */
static size_t
next_visible(const char *in, size_t len, int first, char *vis, size_t *vislen,
    int *cols)
{
	unsigned char	 b = (unsigned char)in[0];
	mbstate_t	 mbs;
	wchar_t		 wc;
	size_t		 n;
	int		 w;

	if (b < 0x20 || b == 0x7f) {
		vis[0] = '^';
		vis[1] = b == 0x7f ? '?' : (char)(b + '@');
		*vislen = 2;
		*cols = 2;
		return 1;
	}
	if (b < 0x80) {
		vis[0] = (char)b;
		*vislen = 1;
		*cols = 1;
		return 1;
	}
	memset(&mbs, 0, sizeof(mbs));
	n = mbrtowc(&wc, in, len, &mbs);
	if (n == (size_t)-1 || n == (size_t)-2 || n == 0) {
		*vislen = (size_t)snprintf(vis, 8, "\\x%02x", b);
		*cols = (int)*vislen;
		return 1;
	}
	w = wcwidth(wc);
	if (w > 0 || (w == 0 && !first && is_combining(wc))) {
		memcpy(vis, in, n);
		*vislen = n;
		*cols = w;
		return n;
	}
	if ((uint32_t)wc > 0xffff)
		*vislen = (size_t)snprintf(vis, 16, "\\U%08x", (unsigned)wc);
	else
		*vislen = (size_t)snprintf(vis, 16, "\\u%04x", (unsigned)wc);
	*cols = (int)*vislen;
	return n;
}

int
sanitize_screen(const char *in, size_t len, char *out, size_t outlen,
    int maxcols, size_t *consumed)
{
	const char	*start = in;
	char		 vis[16];
	size_t		 used = 0, vislen, n;
	int		 cols = 0, w;

	if (consumed != NULL)
		*consumed = 0;
	if (outlen == 0)
		return 0;
	while (len > 0) {
		n = next_visible(in, len, used == 0, vis, &vislen, &w);
		if (cols + w > maxcols || used + vislen >= outlen)
			break;
		memcpy(out + used, vis, vislen);
		used += vislen;
		cols += w;
		in += n;
		len -= n;
	}
	out[used] = '\0';
	if (consumed != NULL)
		*consumed = (size_t)(in - start);
	return cols;
}

int
sanitize_width(const char *in, size_t len)
{
	char	 vis[16];
	size_t	 vislen, n;
	int	 cols = 0, w;

	while (len > 0) {
		n = next_visible(in, len, cols == 0, vis, &vislen, &w);
		cols += w;
		in += n;
		len -= n;
	}
	return cols;
}

/*
 * Length of the valid UTF-8 sequence at s, of at most left bytes (not
 * overlong, no surrogates), or 0.
 */
static size_t
utf8_len(const unsigned char *s, size_t left)
{
	size_t	 n;

	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		n = 2;
	else if (s[0] >= 0xe0 && s[0] <= 0xef)
		n = 3;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		n = 4;
	else
		return 0;
	if (left < n || (s[1] & 0xc0) != 0x80 ||
	    (n > 2 && (s[2] & 0xc0) != 0x80) ||
	    (n > 3 && (s[3] & 0xc0) != 0x80))
		return 0;
	if ((s[0] == 0xe0 && s[1] < 0xa0) || (s[0] == 0xed && s[1] > 0x9f) ||
	    (s[0] == 0xf0 && s[1] < 0x90) || (s[0] == 0xf4 && s[1] > 0x8f))
		return 0;
	return n;
}

/*
 * Bytes of the character at p that may go out as they are, or 0 when its
 * first byte is to be escaped: a control byte, invalid UTF-8, a C1
 * control, or a bidi control (U+202A-U+202E, U+2066-U+2069), which would
 * reorder the text around it on a terminal.
 */
static size_t
plain_len(const unsigned char *p, size_t left)
{
	size_t	 n;

	if (*p >= 0x20 && *p < 0x7f)
		return 1;
	if (*p < 0x80 || (n = utf8_len(p, left)) == 0)
		return 0;
	if (n == 2 && p[0] == 0xc2 && p[1] < 0xa0)
		return 0;
	if (n == 3 && p[0] == 0xe2 && ((p[1] == 0x80 && p[2] >= 0xaa &&
	    p[2] <= 0xae) || (p[1] == 0x81 && p[2] >= 0xa6 && p[2] <= 0xa9)))
		return 0;
	return n;
}

/* The escape of the byte c, NUL-terminated, in vis[5]. */
static void
escape_byte(unsigned char c, char *vis)
{
	switch (c) {
	case '\t':
		memcpy(vis, "\\t", 3);
		break;
	case '\n':
		memcpy(vis, "\\n", 3);
		break;
	case '\r':
		memcpy(vis, "\\r", 3);
		break;
	case '\\':
		memcpy(vis, "\\\\", 3);
		break;
	default:
		snprintf(vis, 5, "\\x%02x", c);
		break;
	}
}

static void
put_escaped(FILE *fp, const char *s, size_t len)
{
	const unsigned char	*p = (const unsigned char *)s, *run;
	const unsigned char	*end = p + len;
	char			 vis[5];
	size_t			 n;

	while (p < end) {
		/* plain text goes out in runs, not byte by byte */
		for (run = p; p < end &&
		    (n = plain_len(p, (size_t)(end - p))) > 0; p += n)
			;
		if (p > run)
			fwrite(run, 1, (size_t)(p - run), fp);
		if (p == end)
			break;
		escape_byte(*p++, vis);
		fputs(vis, fp);
	}
}

#define ONES	0x0101010101010101ULL
#define HIGHS	0x8080808080808080ULL

/* Whether 8 bytes are all printable ASCII and no backslash (SWAR). */
static int
plain8(const unsigned char *p)
{
	uint64_t	 x = 0, ctl, del, bsl;
	int		 i;

	for (i = 0; i < 8; i++)
		x |= (uint64_t)p[i] << (8 * i);
	ctl = (x - ONES * 0x20) & ~x & HIGHS;		/* a byte < 0x20 */
	del = ((x ^ ONES * 0x7f) - ONES) & ~(x ^ ONES * 0x7f) & HIGHS;
	bsl = ((x ^ ONES * 0x5c) - ONES) & ~(x ^ ONES * 0x5c) & HIGHS;
	return ((x & HIGHS) | ctl | del | bsl) == 0;
}

/* Whether len bytes are all printable ASCII and no backslash. */
static int
plain_all(const unsigned char *p, size_t len)
{
	uint64_t	 x, bad = 0;
	size_t		 i;

	for (i = 0; i + 8 <= len; i += 8) {
		memcpy(&x, p + i, 8);
		bad |= (x & HIGHS) | ((x - ONES * 0x20) & ~x & HIGHS) |
		    (((x ^ ONES * 0x7f) - ONES) & ~(x ^ ONES * 0x7f) & HIGHS) |
		    (((x ^ ONES * 0x5c) - ONES) & ~(x ^ ONES * 0x5c) & HIGHS);
	}
	if (bad != 0)
		return 0;
	for (; i < len; i++)
		if (p[i] < 0x20 || p[i] >= 0x7f || p[i] == '\\')
			return 0;
	return 1;
}

/* tsv: a backslash is escaped too, so that a TSV reader can undo it all. */
char *
tsv_escape(char *out, const char *s, size_t len)
{
	const unsigned char	*p = (const unsigned char *)s;
	const unsigned char	*end = p + len;
	char			 vis[5];
	size_t			 n;

	if (plain_all(p, len)) {		/* nearly every field */
		memcpy(out, p, len);
		return out + len;
	}
	while (p < end) {
		if (end - p >= 8 && plain8(p)) {
			memcpy(out, p, 8);
			out += 8;
			p += 8;
			continue;
		}
		if (*p >= 0x20 && *p < 0x7f && *p != '\\') {
			*out++ = (char)*p++;
			continue;
		}
		if (*p != '\\' && (n = plain_len(p, (size_t)(end - p))) > 0) {
			memcpy(out, p, n);
			out += n;
			p += n;
			continue;
		}
		escape_byte(*p++, vis);
		n = strlen(vis);
		memcpy(out, vis, n);
		out += n;
	}
	return out;
}

void
tsv_put_field(FILE *fp, const char *s)
{
	char	 buf[1024], *b;
	size_t	 len = strlen(s);

	b = len <= (sizeof(buf) - 1) / TSV_ESCAPE_MAX ? buf :
	    xreallocarray(NULL, len + 1, TSV_ESCAPE_MAX);
	fwrite(b, 1, (size_t)(tsv_escape(b, s, len) - b), fp);
	if (b != buf)
		free(b);
}

void
sanitize_put(FILE *fp, const char *s)
{
	put_escaped(fp, s, strlen(s));
}

size_t
sanitize_text(const char *in, size_t len, char *out, size_t outlen)
{
	const unsigned char	*p = (const unsigned char *)in;
	char			 vis[5];
	const char		*put;
	size_t			 n, used = 0, done = 0;

	if (outlen == 0)
		return 0;
	while (done < len) {
		if ((n = plain_len(p + done, len - done)) > 0)
			put = in + done;
		else {
			escape_byte(p[done], vis);
			put = vis;
		}
		/* a character or an escape goes whole, or not at all */
		if (used + (n > 0 ? n : strlen(vis)) >= outlen)
			break;
		memcpy(out + used, put, n > 0 ? n : strlen(vis));
		used += n > 0 ? n : strlen(vis);
		done += n > 0 ? n : 1;
	}
	out[used] = '\0';
	return done;
}
