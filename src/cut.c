/*
 * Cutting a cell to its column.  "j.smit@examp…" tells the operator
 * nothing, "j.sm…@example.org" does; "450 4.1.8 <bounce@x.exa…" hides
 * the reason, "450 <…>: Sender address rejected" shows it.  Every cut
 * works on safe text, a character at a time, and leaves a mark.
 */
#include "config.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "cut.h"
#include "sanitize.h"
#include "util.h"

struct out {
	char	*p;
	size_t	 left;
	int	 cols;
};

const char *
cut_mark(void)
{
	return MB_CUR_MAX > 1 ? "\xe2\x80\xa6" : "+";
}

static void
put(struct out *o, const char *s, size_t n, int cols)
{
	if (n >= o->left)
		return;
	memcpy(o->p, s, n);
	o->p += n;
	o->left -= n;
	*o->p = '\0';
	o->cols += cols;
}

static void
put_mark(struct out *o)
{
	put(o, cut_mark(), strlen(cut_mark()), 1);
}

static int
hex_run(const char *s, size_t n)
{
	size_t	 i;

	for (i = 0; i < n; i++)
		if (!((s[i] >= '0' && s[i] <= '9') ||
		    (s[i] >= 'a' && s[i] <= 'f')))
			return 0;
	return 1;
}

/*
 * Bytes of the character at s: safe text is ASCII or valid UTF-8, and an
 * escape sanitize_screen made (\x9b, \u202e, \U0001f600, ^[) is one
 * unit, never cut in two: "\xe2\x86+" would read as data.
 */
static size_t
char_len(const char *s)
{
	unsigned char	 b = (unsigned char)*s;
	size_t		 n;

	if (s[0] == '\\' && s[1] == 'x' && hex_run(s + 2, 2))
		return 4;
	if (s[0] == '\\' && s[1] == 'u' && hex_run(s + 2, 4))
		return 6;
	if (s[0] == '\\' && s[1] == 'U' && hex_run(s + 2, 8))
		return 10;
	if (s[0] == '^' && ((s[1] >= '@' && s[1] <= '_') || s[1] == '?'))
		return 2;
	n = b < 0xc0 ? 1 : b < 0xe0 ? 2 : b < 0xf0 ? 3 : 4;
	while (n > 1 && s[n - 1] == '\0')
		n--;
	return n;
}

static int
width(const char *s, size_t n)
{
	return sanitize_width(s, n);
}

/*
 * The columns of one character of safe text where it stands: a combining
 * character is 0 after its base (sanitize_width would escape it alone).
 */
static int
char_width(const char *s, size_t n)
{
	mbstate_t	 mbs;
	wchar_t		 wc;
	int		 w;

	if (n == 1 || (unsigned char)s[0] < 0x80)
		return (int)n;		/* ASCII, or an escape */
	memset(&mbs, 0, sizeof(mbs));
	if (mbrtowc(&wc, s, n, &mbs) != n)
		return width(s, n);
	w = wcwidth(wc);
	return w < 0 ? width(s, n) : w;
}

/* The longest start of s[0..n) in w columns. */
static void
put_head(struct out *o, const char *s, size_t n, int w)
{
	size_t	 i = 0, k;
	int	 used = 0, cw;

	while (i < n) {
		k = char_len(s + i);
		cw = char_width(s + i, k);
		if (used + cw > w)
			break;
		used += cw;
		i += k;
	}
	put(o, s, i, used);
}

/* The longest end of s[0..n) in w columns, not starting with a mark. */
static void
put_tail(struct out *o, const char *s, size_t n, int w)
{
	size_t	 i = 0, k;
	int	 rest = width(s, n);

	while (i < n) {
		k = char_len(s + i);
		if (rest <= w && char_width(s + i, k) > 0)
			break;
		rest -= char_width(s + i, k);
		i += k;
	}
	put(o, s + i, n - i, rest);
}

static int
cut_end(struct out *o, const char *s, size_t n, int w)
{
	if (width(s, n) <= w) {
		put(o, s, n, width(s, n));
		return o->cols;
	}
	if (w < 1)
		return o->cols;
	put_head(o, s, n, w - 1);
	put_mark(o);
	return o->cols;
}

static int
cut_middle(struct out *o, const char *s, size_t n, int w)
{
	if (width(s, n) <= w || w < 3)
		return cut_end(o, s, n, w);
	put_head(o, s, n, w / 2);
	put_mark(o);
	put_tail(o, s, n, w - 1 - w / 2);
	return o->cols;
}

/* The domain wins over the local part, the end of the domain over its start. */
static int
cut_addr(struct out *o, const char *s, size_t n, int w)
{
	const char	*at = NULL, *p;
	int		 dw;

	if (width(s, n) <= w || w < 2)
		return cut_end(o, s, n, w);
	for (p = s; p < s + n; p++)
		if (*p == '@')
			at = p;
	if (at == NULL)
		return cut_end(o, s, n, w);
	dw = width(at, (size_t)(s + n - at));
	if (dw + 2 <= w) {
		put_head(o, s, (size_t)(at - s), w - dw - 1);
		put_mark(o);
		put(o, at, (size_t)(s + n - at), dw);
		return o->cols;
	}
	put_mark(o);
	if (dw + 1 <= w) {
		put(o, at, (size_t)(s + n - at), dw);
		return o->cols;
	}
	put_tail(o, s, n, w - 1);
	return o->cols;
}

static int
is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* "4.1.8 " at s (a class digit, 1-3 digits, 1-3 digits): its length. */
static size_t
enhanced_code(const char *s)
{
	size_t	 i = 2, k;
	int	 part;

	if ((s[0] != '2' && s[0] != '4' && s[0] != '5') || s[1] != '.')
		return 0;
	for (part = 0; part < 2; part++) {
		for (k = 0; k < 3 && is_digit(s[i + k]); k++)
			;
		if (k == 0)
			return 0;
		i += k;
		if (part == 0 && s[i++] != '.')
			return 0;
	}
	return s[i] == ' ' ? i + 1 : 0;
}

/*
 * An SMTP reply: its text says why, its codes say little more than the
 * first digit.  The enhanced code goes first, then addresses in angle
 * brackets (the envelope's own, shown beside), then the end.
 */
static int
cut_reply(struct out *o, const char *s, size_t n, int w)
{
	char		*buf, *b;
	const char	*p, *gt;
	size_t		 k;

	if (width(s, n) <= w)
		return cut_end(o, s, n, w);
	b = buf = xmalloc(n + 1);
	for (p = s; p < s + n; p++) {
		if ((p == s || p[-1] == ' ') && p + 4 < s + n &&
		    is_digit(p[0]) && is_digit(p[1]) && is_digit(p[2]) &&
		    (p[3] == ' ' || p[3] == '-') &&
		    (k = enhanced_code(p + 4)) > 0) {
			memcpy(b, p, 4);
			b += 4;
			p += 3 + k;
			continue;
		}
		*b++ = *p;
	}
	*b = '\0';
	if (width(buf, (size_t)(b - buf)) > w) {
		/* "<anything>" becomes "<" mark ">" */
		p = buf;
		b = buf;
		while (*p != '\0') {
			if (*p == '<' && (gt = strchr(p, '>')) != NULL &&
			    gt - p > 2) {
				*b++ = '<';
				*b++ = '\1';
				*b++ = '>';
				p = gt + 1;
				continue;
			}
			*b++ = *p++;
		}
		*b = '\0';
	}
	/* the \1 stands for the mark: unsafe bytes never reach here */
	for (p = buf; *p != '\0' && o->cols < w; p += k) {
		k = strcspn(p, "\1");
		if (k > 0) {
			if (p[k] == '\0') {
				cut_end(o, p, k, w - o->cols);
				break;
			}
			if (o->cols + width(p, k) + 2 > w) {
				cut_end(o, p, k, w - o->cols);
				break;
			}
			put(o, p, k, width(p, k));
		}
		if (p[k] == '\1') {
			put_mark(o);
			k++;
		}
	}
	free(buf);
	return o->cols;
}

/*
 * "Blocked INFECTED (Eicar-Test-Signature)": the category word goes
 * before the name in the parentheses does, and of a banned part
 * "(application/octet-stream,invoice.pdf.exe)" the file name is kept.
 */
static int
cut_verdict(struct out *o, const char *s, size_t n, int w)
{
	const char	*sp1, *sp2, *name, *comma;
	size_t		 nl;

	if (width(s, n) <= w || (sp1 = memchr(s, ' ', n)) == NULL ||
	    (sp2 = memchr(sp1 + 1, ' ', (size_t)(s + n - sp1 - 1))) == NULL ||
	    sp2[1] != '(' || s[n - 1] != ')')
		return cut_end(o, s, n, w);
	name = sp2 + 2;
	nl = (size_t)(s + n - 1 - name);
	for (comma = name + nl; comma > name && comma[-1] != ','; comma--)
		;
	if (width(s, (size_t)(sp1 - s)) + 3 + width(name, nl) > w &&
	    comma > name) {
		nl -= (size_t)(comma - name);
		name = comma;
	}
	if (width(s, (size_t)(sp1 - s)) + 4 > w)
		return cut_end(o, s, n, w);
	put(o, s, (size_t)(sp1 - s + 1), width(s, (size_t)(sp1 - s + 1)));
	put(o, "(", 1, 1);
	if (o->cols + width(name, nl) + 1 <= w) {
		put(o, name, nl, width(name, nl));
		put(o, ")", 1, 1);
	} else
		cut_end(o, name, nl, w - o->cols);
	return o->cols;
}

int
cut_text(const char *s, int w, enum cut_style how, char *buf, size_t len)
{
	struct out	 o = { buf, len, 0 };
	size_t		 n = strlen(s);

	if (len == 0)
		return 0;
	buf[0] = '\0';
	if (w <= 0)
		return 0;
	switch (how) {
	case CUT_MIDDLE:
		return cut_middle(&o, s, n, w);
	case CUT_ADDR:
		return cut_addr(&o, s, n, w);
	case CUT_REPLY:
		return cut_reply(&o, s, n, w);
	case CUT_VERDICT:
		return cut_verdict(&o, s, n, w);
	case CUT_END:
		break;
	}
	return cut_end(&o, s, n, w);
}

/*
 * The recipient is who the row is about: the sender is cut (to its
 * domain, then to a mark) before the recipient loses a character.
 */
int
cut_route(const char *sender, const char *rcpt, int w, char *buf, size_t len)
{
	struct out	 o = { buf, len, 0 };
	char		 s[1024], r[1024];
	const char	*arrow = glyph_arrow();
	int		 sw, rw, aw;

	if (len == 0)
		return 0;
	buf[0] = '\0';
	if (w <= 0)
		return 0;
	sw = sanitize_screen(sender, strlen(sender), s, sizeof(s), INT_MAX,
	    NULL);
	rw = sanitize_screen(rcpt, strlen(rcpt), r, sizeof(r), INT_MAX, NULL);
	aw = width(arrow, strlen(arrow));
	if (sw + aw + 2 + rw <= w || w - rw - aw - 2 >= 8) {
		cut_addr(&o, s, strlen(s), w - rw - aw - 2);
		put(&o, " ", 1, 1);
	} else if (w - rw - aw - 2 >= 1) {
		put_mark(&o);
		put(&o, " ", 1, 1);
	}
	if (o.cols > 0 || w - aw - 1 >= 8) {
		put(&o, arrow, strlen(arrow), aw);
		put(&o, " ", 1, 1);
	}
	cut_addr(&o, r, strlen(r), w - o.cols);
	return o.cols;
}
