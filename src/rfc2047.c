/*
 * RFC 2047 encoded words ("=?ISO-8859-1?Q?caf=E9?=") in an unfolded header
 * value, to UTF-8 through iconv(3).  Adjacent words of one charset are
 * converted together, so that a character split between two words (as
 * mailers do with UTF-8) comes out whole; the white space between adjacent
 * words is dropped (RFC 2047 6.2).  What does not decode stays as written.
 */
#include "config.h"

#include <errno.h>
#include <iconv.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "quarantine.h"
#include "util.h"

#define CHARSET_MAX	64

struct dbuf {
	char	*p;
	size_t	 len, size;
};

struct word {
	const char	*start, *end;		/* "=?" to after "?=" */
	const char	*cs;			/* charset, without *lang */
	size_t		 cslen;
	int		 b;			/* B, else Q */
	const char	*text;
	size_t		 textlen;
};

/* A run of adjacent words of one charset, decoded but not converted. */
struct run {
	char		 cs[CHARSET_MAX + 1];
	struct dbuf	 bytes;
	struct dbuf	 conv;			/* bytes, converted */
	const char	*start, *end;		/* as written */
	const char	*gap, *gapend;		/* white space before it */
	int		 active;
};

static void
dbuf_reserve(struct dbuf *d, size_t more)
{
	size_t	 size = d->size ? d->size : 64;

	if (d->len + more < d->size)
		return;
	while (d->len + more >= size)
		size *= 2;
	d->p = xreallocarray(d->p, size, 1);
	d->size = size;
}

static void
dbuf_put(struct dbuf *d, const char *p, size_t n)
{
	if (n == 0)
		return;
	dbuf_reserve(d, n);
	memcpy(d->p + d->len, p, n);
	d->len += n;
}

static int
is_wsp(int c)
{
	return c == ' ' || c == '\t';
}

static int
all_wsp(const char *p, const char *end)
{
	for (; p < end; p++)
		if (!is_wsp(*p))
			return 0;
	return 1;
}

/* The text of a B word into d; -1 if it is not base64 (padding optional). */
static int
decode_b(const char *p, size_t n, struct dbuf *d)
{
	unsigned	 acc = 0;
	size_t		 i, pad = 0, nch = 0;
	int		 v;
	char		 c;

	for (i = 0; i < n; i++) {
		if (p[i] == '=') {
			pad++;
			continue;
		}
		if (pad > 0 || (v = base64_digit((unsigned char)p[i])) == -1)
			return -1;
		acc = (acc << 6) | (unsigned)v;
		if (++nch % 4 == 0) {
			c = (char)(acc >> 16);
			dbuf_put(d, &c, 1);
			c = (char)(acc >> 8);
			dbuf_put(d, &c, 1);
			c = (char)acc;
			dbuf_put(d, &c, 1);
			acc = 0;
		}
	}
	if (pad > 2 || (pad > 0 && (nch + pad) % 4 != 0))
		return -1;
	switch (nch % 4) {
	case 1:
		return -1;
	case 2:
		c = (char)(acc >> 4);
		dbuf_put(d, &c, 1);
		break;
	case 3:
		c = (char)(acc >> 10);
		dbuf_put(d, &c, 1);
		c = (char)(acc >> 2);
		dbuf_put(d, &c, 1);
		break;
	}
	return 0;
}

static int
decode_q(const char *p, size_t n, struct dbuf *d)
{
	size_t	 i;
	int	 hi, lo;
	char	 c;

	for (i = 0; i < n; i++) {
		c = p[i];
		if (c == '_')
			c = ' ';
		else if (c == '=') {
			if (n - i < 3)
				return -1;
			if ((hi = hex_digit((unsigned char)p[i + 1])) == -1 ||
			    (lo = hex_digit((unsigned char)p[i + 2])) == -1)
				return -1;
			c = (char)(hi << 4 | lo);
			i += 2;
		}
		dbuf_put(d, &c, 1);
	}
	return 0;
}

/* "=?cs?B?text?=" at p: 1 and *w, or 0. */
static int
word_at(const char *p, const char *end, struct word *w)
{
	const char	*q, *cs, *star;

	if (end - p < 8 || p[0] != '=' || p[1] != '?')
		return 0;
	cs = p + 2;
	for (q = cs; q < end && *q != '?'; q++)
		if ((unsigned char)*q <= ' ' || (unsigned char)*q >= 0x7f)
			return 0;
	if (q == cs || end - q < 5 || q[2] != '?')
		return 0;
	w->cs = cs;
	w->cslen = (size_t)(q - cs);
	if ((star = memchr(cs, '*', w->cslen)) != NULL)
		w->cslen = (size_t)(star - cs);
	if (w->cslen == 0 || w->cslen > CHARSET_MAX)
		return 0;
	if (q[1] == 'B' || q[1] == 'b')
		w->b = 1;
	else if (q[1] == 'Q' || q[1] == 'q')
		w->b = 0;
	else
		return 0;
	w->text = q + 3;
	for (q = w->text; q < end && *q != '?'; q++)
		if ((unsigned char)*q <= ' ' || (unsigned char)*q >= 0x7f)
			return 0;
	if (end - q < 2 || q[1] != '=')
		return 0;
	w->textlen = (size_t)(q - w->text);
	w->start = p;
	w->end = q + 2;
	return 1;
}

/* The run's bytes from its charset to UTF-8 at the end of out; 0 or -1. */
static int
convert(struct run *r, struct dbuf *out)
{
	iconv_t		 cd;
	char		*in, *o;
	size_t		 inleft, oleft, mark = out->len;
	int		 ret = 0;

	if ((cd = iconv_open("UTF-8", r->cs)) == (iconv_t)-1)
		return -1;
	in = r->bytes.p;
	inleft = r->bytes.len;
	for (;;) {
		dbuf_reserve(out, inleft * 4 + 16);
		o = out->p + out->len;
		oleft = out->size - out->len - 1;
		if (iconv(cd, inleft ? &in : NULL, &inleft, &o, &oleft) !=
		    (size_t)-1) {
			out->len = (size_t)(o - out->p);
			if (inleft == 0)
				break;
			continue;
		}
		out->len = (size_t)(o - out->p);
		if (errno != E2BIG) {
			ret = -1;
			break;
		}
	}
	iconv_close(cd);
	if (ret == -1)
		out->len = mark;
	return ret;
}

static void
run_flush(struct run *r, struct dbuf *out, int *prev_ok)
{
	int	 ok;

	if (!r->active)
		return;
	r->conv.len = 0;
	ok = convert(r, &r->conv) == 0;
	/* the space between two adjacent words goes when both decoded */
	if (!ok || !*prev_ok)
		dbuf_put(out, r->gap, (size_t)(r->gapend - r->gap));
	if (ok)
		dbuf_put(out, r->conv.p, r->conv.len);
	else
		dbuf_put(out, r->start, (size_t)(r->end - r->start));
	*prev_ok = ok;
	r->active = 0;
	r->bytes.len = 0;
}

/* out's NULs (from "=00") as U+FFFD, so that the result is a string. */
static void
replace_nul(struct dbuf *out)
{
	struct dbuf	 d = { NULL, 0, 0 };
	const char	*p = out->p, *end = out->p + out->len, *z;

	if (memchr(p, '\0', out->len) == NULL)
		return;
	while ((z = memchr(p, '\0', (size_t)(end - p))) != NULL) {
		dbuf_put(&d, p, (size_t)(z - p));
		dbuf_put(&d, "\357\277\275", 3);
		p = z + 1;
	}
	dbuf_put(&d, p, (size_t)(end - p));
	free(out->p);
	*out = d;
}

char *
rfc2047_decode(const char *in, size_t len, size_t *outlen)
{
	const char	*end = in + len, *p = in, *s = in, *q;
	struct dbuf	 out = { NULL, 0, 0 }, one = { NULL, 0, 0 };
	struct run	 r;
	struct word	 w;
	int		 prev_ok = 0, dec, same;

	memset(&r, 0, sizeof(r));
	dbuf_reserve(&out, len + 1);
	while ((q = memchr(s, '=', (size_t)(end - s))) != NULL) {
		s = q + 1;
		if (!word_at(q, end, &w))
			continue;
		one.len = 0;
		dec = w.b ? decode_b(w.text, w.textlen, &one) :
		    decode_q(w.text, w.textlen, &one);
		if (dec == -1)
			continue;
		same = r.active && strlen(r.cs) == w.cslen &&
		    strncasecmp(r.cs, w.cs, w.cslen) == 0;
		if (r.active && all_wsp(p, q) && same) {
			dbuf_put(&r.bytes, one.p, one.len);
			r.end = w.end;
			p = s = w.end;
			continue;
		}
		if (r.active && all_wsp(p, q)) {
			run_flush(&r, &out, &prev_ok);
			r.gap = p;
			r.gapend = q;
		} else {
			run_flush(&r, &out, &prev_ok);
			dbuf_put(&out, p, (size_t)(q - p));
			r.gap = r.gapend = q;
		}
		memcpy(r.cs, w.cs, w.cslen);
		r.cs[w.cslen] = '\0';
		dbuf_put(&r.bytes, one.p, one.len);
		r.start = q;
		r.end = w.end;
		r.active = 1;
		p = s = w.end;
	}
	run_flush(&r, &out, &prev_ok);
	dbuf_put(&out, p, (size_t)(end - p));
	free(one.p);
	free(r.bytes.p);
	free(r.conv.p);
	replace_nul(&out);
	dbuf_reserve(&out, 1);
	out.p[out.len] = '\0';
	if (outlen != NULL)
		*outlen = out.len;
	return out.p;
}
