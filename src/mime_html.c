/*
 * An HTML part as plain text for the preview: what a reader would see,
 * roughly, without rendering anything.  Tags go, the ones that break
 * lines become line ends, <script> and <style> (and <title>, <head>'s
 * only text) go with their contents, the common entities and every
 * numeric one are decoded, runs of white space are one space as in a
 * browser, except inside <pre>.  An entity may decode to a control
 * character: it stays, as the sender's raw bytes do (the UI sanitizes),
 * but &#0; is U+FFFD.
 */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "mime_int.h"
#include "util.h"

#define TAGNAME_MAX	12
#define ENTITY_MAX	12	/* "&#x10FFFF;" and the names below */

struct text {
	char	*p;
	size_t	 len, size, max;
	int	 space;		/* white space seen, not yet written */
	int	 nls;		/* line ends at the end of p */
	int	 pre;		/* inside <pre> */
};

static void
put(struct text *t, const char *s, size_t n)
{
	if (t->len + n + 1 > t->size) {
		while (t->len + n + 1 > t->size)
			t->size *= 2;
		t->p = xreallocarray(t->p, t->size, 1);
	}
	memcpy(t->p + t->len, s, n);
	t->len += n;
}

/* Visible text: after one space if white space came before it. */
static void
put_text(struct text *t, const char *s, size_t n)
{
	if (t->space && t->len > 0 && t->nls == 0)
		put(t, " ", 1);
	t->space = 0;
	t->nls = 0;
	put(t, s, n);
}

/*
 * A line end, none at the start: a block's edge ends a line that has
 * text, <br> any line, with at most one blank line in a row.
 */
static void
put_break(struct text *t, int hard)
{
	t->space = 0;
	if (t->len == 0 || t->nls >= (hard ? 2 : 1))
		return;
	put(t, "\n", 1);
	t->nls++;
}

static void
put_codepoint(struct text *t, uint32_t c)
{
	char	 u[4];

	if (c == 0 || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
		c = 0xfffd;
	if (c < 0x80) {
		u[0] = (char)c;
		put_text(t, u, 1);
	} else if (c < 0x800) {
		u[0] = (char)(0xc0 | c >> 6);
		u[1] = (char)(0x80 | (c & 0x3f));
		put_text(t, u, 2);
	} else if (c < 0x10000) {
		u[0] = (char)(0xe0 | c >> 12);
		u[1] = (char)(0x80 | (c >> 6 & 0x3f));
		u[2] = (char)(0x80 | (c & 0x3f));
		put_text(t, u, 3);
	} else {
		u[0] = (char)(0xf0 | c >> 18);
		u[1] = (char)(0x80 | (c >> 12 & 0x3f));
		u[2] = (char)(0x80 | (c >> 6 & 0x3f));
		u[3] = (char)(0x80 | (c & 0x3f));
		put_text(t, u, 4);
	}
}

static const struct {
	const char	*name;
	uint32_t	 c;
} entities[] = {
	{ "amp", '&' }, { "lt", '<' }, { "gt", '>' }, { "quot", '"' },
	{ "apos", '\'' }, { "nbsp", ' ' },
};

/* An entity at p ('&'): its length, written to t; 0 if it is none. */
static size_t
entity(struct text *t, const char *p, const char *end)
{
	const char	*semi, *q;
	uint32_t	 c = 0;
	size_t		 n, i;
	int		 hex, digits = 0, v;

	n = (size_t)(end - p) < ENTITY_MAX ? (size_t)(end - p) : ENTITY_MAX;
	if ((semi = memchr(p, ';', n)) == NULL)
		return 0;
	if (p[1] == '#') {
		hex = p + 2 < semi && (p[2] == 'x' || p[2] == 'X');
		for (q = p + 2 + hex; q < semi; q++, digits++) {
			if (*q >= '0' && *q <= '9')
				v = *q - '0';
			else if (hex && *q >= 'a' && *q <= 'f')
				v = *q - 'a' + 10;
			else if (hex && *q >= 'A' && *q <= 'F')
				v = *q - 'A' + 10;
			else
				return 0;
			c = c * (hex ? 16 : 10) + (uint32_t)v;
			if (c > 0x10ffff)
				c = 0x110000;	/* stays out of range */
		}
		if (digits == 0)
			return 0;
		put_codepoint(t, c);
		return (size_t)(semi + 1 - p);
	}
	for (i = 0; i < nitems(entities); i++)
		if ((size_t)(semi - p - 1) == strlen(entities[i].name) &&
		    strncmp(p + 1, entities[i].name, (size_t)(semi - p - 1)) ==
		    0) {
			put_codepoint(t, entities[i].c);
			return (size_t)(semi + 1 - p);
		}
	return 0;
}

/* After a tag's name: past its '>', quoted attribute values skipped. */
static const char *
tag_end(const char *p, const char *end)
{
	char	 quote = 0;

	for (; p < end; p++) {
		if (quote != 0) {
			if (*p == quote)
				quote = 0;
		} else if (*p == '"' || *p == '\'')
			quote = *p;
		else if (*p == '>')
			return p + 1;
	}
	return end;
}

/* Past "</name" ... '>' (any case), or the end. */
static const char *
skip_to_close(const char *p, const char *end, const char *name)
{
	size_t	 n = strlen(name);

	for (; p + 2 + n <= end; p++)
		if (p[0] == '<' && p[1] == '/' &&
		    strncasecmp(p + 2, name, n) == 0)
			return tag_end(p + 2 + n, end);
	return end;
}

static int
is_one_of(const char *name, const char *const *list)
{
	for (; *list != NULL; list++)
		if (strcmp(name, *list) == 0)
			return 1;
	return 0;
}

static const char *const breaks[] = {
	"br", "p", "div", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6",
	"ul", "ol", "dl", "dt", "dd", "table", "blockquote", "pre", "hr",
	"section", "article", "header", "footer", "address", NULL
};
static const char *const dropped[] = { "script", "style", "title", NULL };

/* A tag at p ('<' then a letter, '/', '!' or '?'): where it ends. */
static const char *
tag(struct text *t, const char *p, const char *end)
{
	char		 name[TAGNAME_MAX + 1];
	const char	*q;
	size_t		 n = 0;
	int		 closing;

	if (end - p >= 4 && memcmp(p, "<!--", 4) == 0) {
		for (q = p + 4; q + 3 <= end; q++)
			if (memcmp(q, "-->", 3) == 0)
				return q + 3;
		return end;
	}
	if (p[1] == '!' || p[1] == '?')
		return tag_end(p + 2, end);
	closing = p[1] == '/';
	for (q = p + 1 + closing; q < end && ((*q >= 'a' && *q <= 'z') ||
	    (*q >= 'A' && *q <= 'Z') || (*q >= '0' && *q <= '9')); q++)
		if (n < TAGNAME_MAX)
			name[n++] = (char)(*q | 0x20);
	name[n] = '\0';
	q = tag_end(q, end);
	if (!closing && is_one_of(name, dropped))
		return skip_to_close(q, end, name);
	if (strcmp(name, "pre") == 0)
		t->pre = !closing;
	if (is_one_of(name, breaks))
		put_break(t, strcmp(name, "br") == 0);
	return q;
}

static int
is_white(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f';
}

char *
mime_html_text(const char *in, size_t len, size_t max, size_t *outlen)
{
	struct text	 t;
	const char	*p = in, *end = in + len, *s;
	size_t		 n;

	memset(&t, 0, sizeof(t));
	t.size = 256;
	t.p = xmalloc(t.size);
	t.max = max;
	while (p < end && t.len < t.max) {
		if (*p == '<' && p + 1 < end && (p[1] == '/' || p[1] == '!' ||
		    p[1] == '?' || (p[1] >= 'a' && p[1] <= 'z') ||
		    (p[1] >= 'A' && p[1] <= 'Z'))) {
			p = tag(&t, p, end);
			continue;
		}
		if (*p == '&' && (n = entity(&t, p, end)) > 0) {
			p += n;
			continue;
		}
		if (is_white(*p) && !t.pre) {
			t.space = 1;
			p++;
			continue;
		}
		if (*p == '\n') {
			put(&t, "\n", 1);
			t.nls = 0;	/* <pre> keeps its blank lines */
			p++;
			continue;
		}
		/* a run of plain text at once */
		for (s = p++; p < end && *p != '<' && *p != '&' &&
		    (t.pre ? *p != '\n' : !is_white(*p)); p++)
			;
		put_text(&t, s, (size_t)(p - s));
	}
	while (t.len > 0 && t.p[t.len - 1] == '\n')
		t.len--;
	t.p[t.len] = '\0';
	*outlen = t.len;
	return t.p;
}
