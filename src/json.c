/* The JSON writer of -J: see json.h. */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"
#include "util.h"

void
json_init(struct json *j, size_t cap)
{
	j->cap = cap > 0 ? cap : 256;
	j->buf = xmalloc(j->cap);
	j->len = 0;
	j->comma = 0;
}

void
json_free(struct json *j)
{
	free(j->buf);
	memset(j, 0, sizeof(*j));
}

void
json_clear(struct json *j)
{
	j->len = 0;
	j->comma = 0;
}

/* Where to write n more bytes, after the comma a value may need. */
static char *
room(struct json *j, size_t n)
{
	char	*o;

	if (n > SIZE_MAX / 2 - j->len)
		fatalx("json: %zu bytes of output", n);
	if (j->len + n + 1 > j->cap) {
		j->cap = j->len + n + 1 > 2 * j->cap ? j->len + n + 1 :
		    2 * j->cap;
		j->buf = xreallocarray(j->buf, j->cap, 1);
	}
	o = j->buf + j->len;
	if (j->comma)
		*o++ = ',';
	return o;
}

static void
done(struct json *j, char *o, int comma)
{
	j->len = (size_t)(o - j->buf);
	j->comma = comma;
}

void
json_object(struct json *j)
{
	char	*o = room(j, 1);

	*o++ = '{';
	done(j, o, 0);
}

void
json_object_end(struct json *j)
{
	char	*o;

	j->comma = 0;
	o = room(j, 1);
	*o++ = '}';
	done(j, o, 1);
}

void
json_array(struct json *j)
{
	char	*o = room(j, 1);

	*o++ = '[';
	done(j, o, 0);
}

void
json_array_end(struct json *j)
{
	char	*o;

	j->comma = 0;
	o = room(j, 1);
	*o++ = ']';
	done(j, o, 1);
}

void
json_key(struct json *j, const char *k)
{
	size_t	 n = strlen(k);
	char	*o;

	if (n > SIZE_MAX / JSON_ESCAPE_MAX - 3)
		fatalx("json: a key of %zu bytes", n);
	o = room(j, n * JSON_ESCAPE_MAX + 3);
	*o++ = '"';
	o = json_escape(o, k, n);
	*o++ = '"';
	*o++ = ':';
	done(j, o, 0);
}

void
json_string(struct json *j, const char *s, size_t len)
{
	char	*o;

	if (len > SIZE_MAX / JSON_ESCAPE_MAX - 2)
		fatalx("json: a string of %zu bytes", len);
	o = room(j, len * JSON_ESCAPE_MAX + 2);
	*o++ = '"';
	o = json_escape(o, s, len);
	*o++ = '"';
	done(j, o, 1);
}

void
json_int(struct json *j, int64_t v)
{
	char	*o = room(j, PUT_INT64_MAX);

	done(j, put_int64(o, v), 1);
}

void
json_null(struct json *j)
{
	char	*o = room(j, 4);

	memcpy(o, "null", 4);
	done(j, o + 4, 1);
}

static int
is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* Whether len bytes at s are -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)? */
static int
is_number(const char *s, size_t len)
{
	const char	*p = s, *end = s + len;

	if (p < end && *p == '-')
		p++;
	if (p == end || !is_digit(*p))
		return 0;
	if (*p++ == '0' && p < end && is_digit(*p))
		return 0;
	while (p < end && is_digit(*p))
		p++;
	if (p < end && *p == '.') {
		if (++p == end || !is_digit(*p))
			return 0;
		while (p < end && is_digit(*p))
			p++;
	}
	if (p < end && (*p == 'e' || *p == 'E')) {
		if (++p < end && (*p == '+' || *p == '-'))
			p++;
		if (p == end || !is_digit(*p))
			return 0;
		while (p < end && is_digit(*p))
			p++;
	}
	return p == end;
}

int
json_number(struct json *j, const char *s, size_t len)
{
	char	*o;

	if (!is_number(s, len)) {
		json_null(j);
		return -1;
	}
	o = room(j, len);
	memcpy(o, s, len);
	done(j, o + len, 1);
	return 0;
}

void
json_newline(struct json *j)
{
	char	*o;

	j->comma = 0;
	o = room(j, 1);
	*o++ = '\n';
	done(j, o, 0);
}

void
json_list(struct json *j, const char *s, size_t len)
{
	const char	*p = s, *end = s + len, *q, *a, *b;
	int		 inq;

	json_array(j);
	while (p < end) {
		for (q = p, inq = 0; q < end && (inq || *q != ','); q++) {
			if (*q == '"')
				inq = !inq;
			else if (*q == '\\' && inq && q + 1 < end)
				q++;
		}
		for (a = p; a < q && (*a == ' ' || *a == '\t'); a++)
			;
		for (b = q; b > a && (b[-1] == ' ' || b[-1] == '\t'); b--)
			;
		if (b > a)
			json_string(j, a, (size_t)(b - a));
		if (q == end)
			break;
		p = q + 1;
	}
	json_array_end(j);
}

/*
 * The code point of the valid UTF-8 sequence at s, of at most left bytes,
 * in *cp; its length, or 0 when it is not one.
 */
static size_t
utf8_decode(const unsigned char *s, size_t left, uint32_t *cp)
{
	uint32_t	 c;
	size_t		 n, i;

	if (s[0] >= 0xc2 && s[0] <= 0xdf) {
		n = 2;
		c = s[0] & 0x1f;
	} else if (s[0] >= 0xe0 && s[0] <= 0xef) {
		n = 3;
		c = s[0] & 0x0f;
	} else if (s[0] >= 0xf0 && s[0] <= 0xf4) {
		n = 4;
		c = s[0] & 0x07;
	} else
		return 0;
	if (left < n)
		return 0;
	for (i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		c = c << 6 | (s[i] & 0x3f);
	}
	if ((n == 3 && c < 0x800) || (n == 4 && c < 0x10000) ||
	    c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
		return 0;
	*cp = c;
	return n;
}

static char *
put_u(char *o, uint32_t c)
{
	static const char	 hex[] = "0123456789abcdef";

	*o++ = '\\';
	*o++ = 'u';
	*o++ = hex[c >> 12 & 0xf];
	*o++ = hex[c >> 8 & 0xf];
	*o++ = hex[c >> 4 & 0xf];
	*o++ = hex[c & 0xf];
	return o;
}

#define ONES	0x0101010101010101ULL
#define HIGHS	0x8080808080808080ULL
#define HAS_BYTE(x, b)	((((x) ^ ONES * (b)) - ONES) & ~((x) ^ ONES * (b)) & \
			    HIGHS)

/* Whether 8 bytes all go out as they are: printable ASCII, no '"' or '\'. */
static int
plain8(const unsigned char *p)
{
	uint64_t	 x;

	memcpy(&x, p, 8);
	return ((x & HIGHS) | ((x - ONES * 0x20) & ~x & HIGHS) |
	    HAS_BYTE(x, 0x7f) | HAS_BYTE(x, 0x22) | HAS_BYTE(x, 0x5c)) == 0;
}

char *
json_escape(char *out, const char *s, size_t len)
{
	const unsigned char	*p = (const unsigned char *)s;
	const unsigned char	*end = p + len;
	uint32_t		 c;
	size_t			 n;

	while (p < end) {
		while (end - p >= 8 && plain8(p)) {
			memcpy(out, p, 8);
			out += 8;
			p += 8;
		}
		if (p == end)
			break;
		if (*p >= 0x20 && *p < 0x7f) {
			if (*p == '"' || *p == '\\')
				*out++ = '\\';
			*out++ = (char)*p++;
			continue;
		}
		if (*p < 0x80) {
			*out = '\\';
			switch (*p) {
			case '\b':
				out[1] = 'b';
				break;
			case '\t':
				out[1] = 't';
				break;
			case '\n':
				out[1] = 'n';
				break;
			case '\f':
				out[1] = 'f';
				break;
			case '\r':
				out[1] = 'r';
				break;
			default:
				out = put_u(out, *p++);
				continue;
			}
			out += 2;
			p++;
			continue;
		}
		if ((n = utf8_decode(p, (size_t)(end - p), &c)) == 0) {
			out = put_u(out, 0xfffd);
			p++;
			continue;
		}
		/* C1; line and paragraph separators; bidi controls */
		if (c < 0xa0 || (c >= 0x2028 && c <= 0x202e) ||
		    (c >= 0x2066 && c <= 0x2069))
			out = put_u(out, c);
		else {
			memcpy(out, p, n);
			out += n;
		}
		p += n;
	}
	return out;
}
