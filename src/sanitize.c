#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <wchar.h>
#include <wctype.h>

#include "sanitize.h"

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

/* Length of the valid UTF-8 sequence at s (not overlong, no surrogates), or 0. */
static size_t
utf8_len(const unsigned char *s)
{
	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		return (s[1] & 0xc0) == 0x80 ? 2 : 0;
	if (s[0] >= 0xe0 && s[0] <= 0xef) {
		if ((s[1] & 0xc0) != 0x80 || (s[2] & 0xc0) != 0x80)
			return 0;
		if ((s[0] == 0xe0 && s[1] < 0xa0) || (s[0] == 0xed && s[1] > 0x9f))
			return 0;
		return 3;
	}
	if (s[0] >= 0xf0 && s[0] <= 0xf4) {
		if ((s[1] & 0xc0) != 0x80 || (s[2] & 0xc0) != 0x80 ||
		    (s[3] & 0xc0) != 0x80)
			return 0;
		if ((s[0] == 0xf0 && s[1] < 0x90) || (s[0] == 0xf4 && s[1] > 0x8f))
			return 0;
		return 4;
	}
	return 0;
}

void
tsv_put_field(FILE *fp, const char *s)
{
	const unsigned char	*p = (const unsigned char *)s, *run;
	size_t			 n;

	for (;;) {
		/* plain text goes out in runs, not byte by byte */
		for (run = p; *p >= 0x20 && *p != '\\' && *p != 0x7f; p++) {
			if (*p < 0x80)
				continue;
			/* the NUL terminator stops utf8_len before the end */
			if ((n = utf8_len(p)) == 0 ||
			    (n == 2 && p[0] == 0xc2 && p[1] < 0xa0))
				break;
			p += n - 1;
		}
		if (p > run)
			fwrite(run, 1, (size_t)(p - run), fp);
		switch (*p) {
		case '\0':
			return;
		case '\t':
			fputs("\\t", fp);
			break;
		case '\n':
			fputs("\\n", fp);
			break;
		case '\r':
			fputs("\\r", fp);
			break;
		case '\\':
			fputs("\\\\", fp);
			break;
		default:
			fprintf(fp, "\\x%02x", *p);
			break;
		}
		p++;
	}
}
