/*
 * libFuzzer: arbitrary bytes through the JSON writer of -J, as a string, a
 * list, a number, a key, and as the cells of rows printed by
 * batch_print_json.  A validating reader of its own checks every output:
 * well-formed JSON, one value a line; valid UTF-8 with no raw control
 * byte, C1, U+2028/U+2029 or bidi control; a string decodes back to the
 * input, each invalid byte of it U+FFFD; a list's items are what a list's
 * are; a number is one.  Built by run.sh.
 */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "batch.h"
#include "json.h"
#include "provider.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

#define CHECK(cond) do {						\
	if (!(cond)) {							\
		fprintf(stderr, "%s:%d: invariant failed: %s\n",	\
		    __FILE__, __LINE__, #cond);				\
		abort();						\
	}								\
} while (0)

#define MAX_DEPTH	8

/* The code point of the valid UTF-8 character at s, its length; 0: none. */
static size_t
utf8_char(const unsigned char *s, size_t len, uint32_t *cp)
{
	size_t		 n, i;
	uint32_t	 c;

	if (s[0] < 0x80) {
		*cp = s[0];
		return 1;
	}
	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		n = 2, c = s[0] & 0x1f;
	else if (s[0] >= 0xe0 && s[0] <= 0xef)
		n = 3, c = s[0] & 0x0f;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		n = 4, c = s[0] & 0x07;
	else
		return 0;
	if (n > len)
		return 0;
	for (i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		c = c << 6 | (s[i] & 0x3f);
	}
	if ((n == 3 && c < 0x800) || (n == 4 && c < 0x10000) ||
	    (c >= 0xd800 && c <= 0xdfff) || c > 0x10ffff)
		return 0;
	*cp = c;
	return n;
}

static size_t
put_utf8(unsigned char *o, uint32_t c)
{
	if (c < 0x80) {
		o[0] = (unsigned char)c;
		return 1;
	}
	if (c < 0x800) {
		o[0] = (unsigned char)(0xc0 | c >> 6);
		o[1] = (unsigned char)(0x80 | (c & 0x3f));
		return 2;
	}
	if (c < 0x10000) {
		o[0] = (unsigned char)(0xe0 | c >> 12);
		o[1] = (unsigned char)(0x80 | (c >> 6 & 0x3f));
		o[2] = (unsigned char)(0x80 | (c & 0x3f));
		return 3;
	}
	o[0] = (unsigned char)(0xf0 | c >> 18);
	o[1] = (unsigned char)(0x80 | (c >> 12 & 0x3f));
	o[2] = (unsigned char)(0x80 | (c >> 6 & 0x3f));
	o[3] = (unsigned char)(0x80 | (c & 0x3f));
	return 4;
}

/* What a reader of the JSON gets back from len bytes: U+FFFD for each
 * byte that is not part of valid UTF-8.  Room: 3 bytes a byte. */
static size_t
expected(const unsigned char *s, size_t len, unsigned char *out)
{
	size_t		 i = 0, o = 0, n;
	uint32_t	 c;

	while (i < len) {
		if ((n = utf8_char(s + i, len - i, &c)) == 0) {
			o += put_utf8(out + o, 0xfffd);
			i++;
		} else {
			memcpy(out + o, s + i, n);
			o += n;
			i += n;
		}
	}
	return o;
}

/* A character that must not reach a terminal raw. */
static int
hostile(uint32_t c)
{
	return c < 0x20 || (c >= 0x7f && c < 0xa0) ||
	    (c >= 0x2028 && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069);
}

struct rd {
	const unsigned char	*p, *end;
};

struct str {
	unsigned char	*buf;		/* decoded; NULL: not kept */
	size_t		 len;
};

static int
hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

static void
read_string(struct rd *r, struct str *s)
{
	unsigned char	 tmp[4];
	uint32_t	 c;
	size_t		 n, i;
	int		 h;

	CHECK(r->p < r->end && *r->p == '"');
	r->p++;
	if (s != NULL)
		s->len = 0;
	for (;;) {
		CHECK(r->p < r->end);
		if (*r->p == '"') {
			r->p++;
			return;
		}
		if (*r->p == '\\') {
			CHECK(r->end - r->p >= 2);
			switch (r->p[1]) {
			case '"':
			case '\\':
			case '/':
				c = r->p[1];
				break;
			case 'b':
				c = '\b';
				break;
			case 'f':
				c = '\f';
				break;
			case 'n':
				c = '\n';
				break;
			case 'r':
				c = '\r';
				break;
			case 't':
				c = '\t';
				break;
			case 'u':
				CHECK(r->end - r->p >= 6);
				for (c = 0, i = 2; i < 6; i++) {
					h = hexval(r->p[i]);
					CHECK(h >= 0);
					c = c << 4 | (uint32_t)h;
				}
				/* the writer never splits a character */
				CHECK(c < 0xd800 || c > 0xdfff);
				r->p += 4;
				break;
			default:
				CHECK(!"an escape JSON does not have");
				return;
			}
			r->p += 2;
			n = put_utf8(tmp, c);
		} else {
			n = utf8_char(r->p, (size_t)(r->end - r->p), &c);
			CHECK(n > 0);
			CHECK(!hostile(c));
			memcpy(tmp, r->p, n);
			r->p += n;
		}
		if (s != NULL && s->buf != NULL) {
			memcpy(s->buf + s->len, tmp, n);
			s->len += n;
		}
	}
}

static int
digit(const struct rd *r)
{
	return r->p < r->end && *r->p >= '0' && *r->p <= '9';
}

static void
read_number(struct rd *r)
{
	if (r->p < r->end && *r->p == '-')
		r->p++;
	CHECK(digit(r));
	if (*r->p++ == '0')
		CHECK(!digit(r));
	while (digit(r))
		r->p++;
	if (r->p < r->end && *r->p == '.') {
		r->p++;
		CHECK(digit(r));
		while (digit(r))
			r->p++;
	}
	if (r->p < r->end && (*r->p == 'e' || *r->p == 'E')) {
		r->p++;
		if (r->p < r->end && (*r->p == '+' || *r->p == '-'))
			r->p++;
		CHECK(digit(r));
		while (digit(r))
			r->p++;
	}
}

static void	read_value(struct rd *, int);

static void
read_object(struct rd *r, int depth)
{
	CHECK(depth < MAX_DEPTH);
	r->p++;
	CHECK(r->p < r->end);
	if (*r->p == '}') {
		r->p++;
		return;
	}
	for (;;) {
		read_string(r, NULL);
		CHECK(r->p < r->end && *r->p == ':');
		r->p++;
		read_value(r, depth + 1);
		CHECK(r->p < r->end);
		if (*r->p == '}') {
			r->p++;
			return;
		}
		CHECK(*r->p == ',');
		r->p++;
	}
}

static void
read_array(struct rd *r, int depth)
{
	CHECK(depth < MAX_DEPTH);
	r->p++;
	CHECK(r->p < r->end);
	if (*r->p == ']') {
		r->p++;
		return;
	}
	for (;;) {
		read_value(r, depth + 1);
		CHECK(r->p < r->end);
		if (*r->p == ']') {
			r->p++;
			return;
		}
		CHECK(*r->p == ',');
		r->p++;
	}
}

/* No white space: the writer writes none. */
static void
read_value(struct rd *r, int depth)
{
	CHECK(r->p < r->end);
	switch (*r->p) {
	case '{':
		read_object(r, depth);
		break;
	case '[':
		read_array(r, depth);
		break;
	case '"':
		read_string(r, NULL);
		break;
	case 'n':
		CHECK(r->end - r->p >= 4 && memcmp(r->p, "null", 4) == 0);
		r->p += 4;
		break;
	default:
		read_number(r);
		break;
	}
}

/* JSON lines: one value and a '\n' each; returns the lines. */
static size_t
check_lines(const char *buf, size_t len)
{
	struct rd	 r = { (const unsigned char *)buf,
			    (const unsigned char *)buf + len };
	size_t		 n = 0;

	while (r.p < r.end) {
		read_value(&r, 0);
		CHECK(r.p < r.end && *r.p == '\n');
		r.p++;
		n++;
	}
	return n;
}

static void
one_string(const unsigned char *data, size_t size, unsigned char *want,
    unsigned char *got)
{
	struct json	 j;
	struct rd	 r;
	struct str	 s = { got, 0 };
	size_t		 wlen;
	char		*out;

	json_init(&j, 1);
	json_string(&j, (const char *)data, size);
	r.p = (const unsigned char *)j.buf;
	r.end = r.p + j.len;
	read_string(&r, &s);
	CHECK(r.p == r.end);
	wlen = expected(data, size, want);
	CHECK(s.len == wlen && memcmp(s.buf, want, wlen) == 0);
	json_free(&j);

	/* json_escape stays within its bound: an exact buffer, ASan sees */
	out = malloc(size * JSON_ESCAPE_MAX + 1);
	CHECK(out != NULL);
	CHECK((size_t)(json_escape(out, (const char *)data, size) - out) <=
	    size * JSON_ESCAPE_MAX);
	free(out);
}

/* Pieces between commas with something besides blanks: a list's items
 * when no quote joins any. */
static size_t
pieces(const unsigned char *data, size_t size)
{
	size_t	 n = 0, i;
	int	 filled = 0;

	for (i = 0; i <= size; i++) {
		if (i == size || data[i] == ',') {
			n += filled;
			filled = 0;
		} else if (data[i] != ' ' && data[i] != '\t')
			filled = 1;
	}
	return n;
}

static void
one_list(const unsigned char *data, size_t size, unsigned char *got)
{
	struct json	 j;
	struct rd	 r;
	struct str	 s = { got, 0 };
	size_t		 commas = 0, items = 0, i;

	for (i = 0; i < size; i++)
		commas += data[i] == ',';
	json_init(&j, 1);
	json_list(&j, (const char *)data, size);
	r.p = (const unsigned char *)j.buf;
	r.end = r.p + j.len;
	CHECK(r.p < r.end && *r.p == '[');
	r.p++;
	for (;;) {
		CHECK(r.p < r.end);
		if (*r.p == ']')
			break;
		if (items > 0) {
			CHECK(*r.p == ',');
			r.p++;
		}
		read_string(&r, &s);
		/* not empty, no blank at either end */
		CHECK(s.len > 0);
		CHECK(s.buf[0] != ' ' && s.buf[0] != '\t');
		CHECK(s.buf[s.len - 1] != ' ' && s.buf[s.len - 1] != '\t');
		items++;
	}
	CHECK(r.p + 1 == r.end);
	CHECK(items <= commas + 1);
	if (memchr(data, '"', size) == NULL)
		CHECK(items == pieces(data, size));
	json_free(&j);
}

static void
one_number(const unsigned char *data, size_t size)
{
	struct json	 j;
	int		 rc;

	json_init(&j, 1);
	rc = json_number(&j, (const char *)data, size);
	if (rc == 0)
		CHECK(j.len == size && memcmp(j.buf, data, size) == 0);
	else
		CHECK(j.len == 4 && memcmp(j.buf, "null", 4) == 0);
	json_newline(&j);
	CHECK(check_lines(j.buf, j.len) == 1);
	json_free(&j);
}

/* Every kind of value in one object, nested, two lines of it. */
static void
mixed(const unsigned char *data, size_t size)
{
	struct json	 j;
	char		*key;
	int64_t		 v = 0;
	size_t		 i;

	key = malloc(size + 1);
	CHECK(key != NULL);
	memcpy(key, data, size);
	key[size] = '\0';
	for (i = 0; i < size && i < 8; i++)
		v = (int64_t)((uint64_t)v << 8 | data[i]);
	json_init(&j, 1);
	for (i = 0; i < 2; i++) {
		json_object(&j);
		json_key(&j, key);
		json_string(&j, (const char *)data, size);
		json_key(&j, "l");
		json_list(&j, (const char *)data, size);
		json_key(&j, "n");
		json_number(&j, (const char *)data, size);
		json_key(&j, "i");
		json_int(&j, v);
		json_key(&j, "a");
		json_array(&j);
		json_null(&j);
		json_object(&j);
		json_object_end(&j);
		json_array(&j);
		json_int(&j, ~v);
		json_array_end(&j);
		json_array_end(&j);
		json_object_end(&j);
		json_newline(&j);
	}
	CHECK(check_lines(j.buf, j.len) == 2);
	json_free(&j);
	free(key);
}

/* Rows cut at '\n', their cells at '\t', through batch_print_json. */
static void
rows(const unsigned char *data, size_t size)
{
	static const struct column	 cols[] = {
		{ "s", COL_STR, 0, 0, COL_BATCH, NULL },
		{ "l", COL_STR, 1, 0, COL_BATCH | COL_LIST, NULL },
		{ "n", COL_STR, 2, 0, COL_BATCH | COL_NUMBER, NULL },
		{ "i", COL_INT, 3, 0, COL_BATCH, NULL },
		{ "t", COL_TIME, 4, 0, COL_BATCH, NULL },
		{ "x", COL_STR, 0, 0, COL_SCREEN, NULL },
	};
	struct pane_desc	 d;
	struct rowset		*rs = rowset_new();
	struct row		*r;
	char			*copy, *line, *rest, *cell, *buf = NULL;
	size_t			 len = 0, k;
	FILE			*fp;

	memset(&d, 0, sizeof(d));
	d.columns = cols;
	d.ncolumns = sizeof(cols) / sizeof(cols[0]);
	copy = malloc(size + 1);
	CHECK(copy != NULL);
	memcpy(copy, data, size);
	copy[size] = '\0';
	for (rest = copy; (line = strsep(&rest, "\n")) != NULL;) {
		r = rowset_add(rs, 5);
		for (k = 0; k < 3; k++) {
			cell = strsep(&line, "\t");
			r->cells[k].s = cell != NULL ? cell : "";
		}
		r->cells[3].i = line == NULL ? CELL_NONE :
		    (int64_t)strlen(line) - 5;
		r->cells[4].i = (int64_t)(rs->nrows * 1795550400);
	}
	if ((fp = open_memstream(&buf, &len)) == NULL)
		abort();
	batch_print_json(fp, &d, rs);
	if (fclose(fp) != 0)
		abort();
	CHECK(check_lines(buf, len) == rs->nrows);
	free(buf);
	rowset_free(rs);
	free(copy);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	unsigned char	*want, *got;

	want = malloc(size * 3 + 1);
	got = malloc(size * 3 + 1);
	CHECK(want != NULL && got != NULL);
	one_string(data, size, want, got);
	one_list(data, size, got);
	one_number(data, size);
	mixed(data, size);
	rows(data, size);
	free(want);
	free(got);
	return 0;
}
