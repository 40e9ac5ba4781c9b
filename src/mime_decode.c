/*
 * Content-Transfer-Encoding undone: base64 and quoted-printable, both
 * leniently, since what matters is showing what the sender meant.
 */
#include "config.h"

#include <string.h>

#include "mime_int.h"
#include "util.h"

/*
 * Four sextets make three bytes; the '=' padding and anything outside the
 * alphabet (line ends, spaces, junk) are skipped, so that a missing pad
 * or a stray character loses nothing else.
 */
static size_t
decode_base64(const unsigned char *in, size_t len, char *out)
{
	uint32_t	 acc = 0;
	size_t		 i, n = 0, o = 0;
	int		 v;

	for (i = 0; i < len; i++) {
		if ((v = base64_digit(in[i])) == -1)
			continue;
		acc = acc << 6 | (uint32_t)v;
		if (++n % 4 != 0)
			continue;
		if (out != NULL) {
			out[o] = (char)(acc >> 16);
			out[o + 1] = (char)(acc >> 8);
			out[o + 2] = (char)acc;
		}
		o += 3;
		acc = 0;
	}
	/* a last quantum of 2 or 3 sextets: 1 or 2 bytes; 1 sextet: none */
	if (n % 4 == 2) {
		if (out != NULL)
			out[o] = (char)(acc >> 4);
		o += 1;
	} else if (n % 4 == 3) {
		if (out != NULL) {
			out[o] = (char)(acc >> 10);
			out[o + 1] = (char)(acc >> 2);
		}
		o += 2;
	}
	return o;
}

static void
put(char *out, size_t *o, const unsigned char *p, size_t n)
{
	if (out != NULL)
		memcpy(out + *o, p, n);
	*o += n;
}

/* How many bytes at p are spaces or tabs. */
static size_t
wsp_run(const unsigned char *p, const unsigned char *end)
{
	const unsigned char	*q = p;

	while (q < end && (*q == ' ' || *q == '\t'))
		q++;
	return (size_t)(q - p);
}

/*
 * "=XX" is a byte, "=" at a line's end (spaces allowed) joins two lines,
 * white space at a line's end was added in transport (RFC 2045 6.7).
 */
static size_t
decode_qp(const unsigned char *in, size_t len, char *out)
{
	const unsigned char	*p = in, *end = in + len;
	size_t			 o = 0, w;
	unsigned char		 c;
	int			 hi, lo;

	while (p < end) {
		if (*p == ' ' || *p == '\t') {
			w = wsp_run(p, end);
			if (p + w == end || p[w] == '\n' ||
			    (p[w] == '\r' && p + w + 1 < end &&
			    p[w + 1] == '\n'))
				p += w;
			else {
				put(out, &o, p, w);
				p += w;
			}
			continue;
		}
		if (*p != '=') {
			put(out, &o, p++, 1);
			continue;
		}
		if (end - p >= 3 && (hi = hex_digit(p[1])) != -1 &&
		    (lo = hex_digit(p[2])) != -1) {
			c = (unsigned char)(hi << 4 | lo);
			put(out, &o, &c, 1);
			p += 3;
			continue;
		}
		w = 1 + wsp_run(p + 1, end);
		if (p + w == end) {
			p = end;
		} else if (p[w] == '\n') {
			p += w + 1;
		} else if (p[w] == '\r' && p + w + 1 < end &&
		    p[w + 1] == '\n') {
			p += w + 2;
		} else
			put(out, &o, p++, 1);
	}
	return o;
}

size_t
mime_decode(enum mime_enc enc, const char *in, size_t len, char *out)
{
	switch (enc) {
	case MENC_BASE64:
		return decode_base64((const unsigned char *)in, len, out);
	case MENC_QP:
		return decode_qp((const unsigned char *)in, len, out);
	case MENC_IDENTITY:
	case MENC_OTHER:
		break;
	}
	if (out != NULL && len > 0)
		memcpy(out, in, len);
	return len;
}
