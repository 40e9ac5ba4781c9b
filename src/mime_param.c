/*
 * Parameters of Content-Type and Content-Disposition: boundary, charset,
 * and the names people read, which come RFC 2231-encoded
 * (filename*=utf-8''%E2%82%AC.pdf, split as filename*0*=, filename*1=)
 * or with RFC 2047 encoded words inside quotes, as many mailers send them.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "charset.h"
#include "mime_int.h"
#include "quarantine.h"
#include "util.h"

#define SECTIONS_MAX	64	/* filename*0 .. filename*63 */

struct param_iter {
	const char	*p, *end;
	char		*val;		/* the value unquoted: len + 1 bytes */
	size_t		 vallen;
	const char	*attr;
	size_t		 attrlen;
};

static int
is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/* The next attribute=value; 0 at the end. */
static int
param_next(struct param_iter *it)
{
	const char	*p = it->p, *end = it->end;
	int		 depth;

	for (;;) {
		while (p < end && (*p == ';' || is_space(*p)))
			p++;
		if (p < end && *p == '(') {	/* a comment */
			for (depth = 0; p < end; p++) {
				if (*p == '(')
					depth++;
				else if (*p == ')' && --depth == 0) {
					p++;
					break;
				}
			}
			continue;
		}
		if (p == end)
			break;
		it->attr = p;
		while (p < end && *p != '=' && *p != ';' && !is_space(*p))
			p++;
		it->attrlen = (size_t)(p - it->attr);
		while (p < end && is_space(*p))
			p++;
		if (p == end || *p != '=') {
			while (p < end && *p != ';')
				p++;
			continue;
		}
		p++;
		while (p < end && is_space(*p))
			p++;
		it->vallen = 0;
		if (p < end && *p == '"') {
			for (p++; p < end && *p != '"'; p++) {
				if (*p == '\\' && p + 1 < end)
					p++;
				it->val[it->vallen++] = *p;
			}
			if (p < end)
				p++;
		} else
			while (p < end && *p != ';' && !is_space(*p))
				it->val[it->vallen++] = *p++;
		it->val[it->vallen] = '\0';
		it->p = p;
		return 1;
	}
	it->p = end;
	return 0;
}

/* Parameters start after the first ';' of the value. */
static void
param_start(struct param_iter *it, const char *val, size_t len)
{
	const char	*semi = memchr(val, ';', len);

	it->p = semi != NULL ? semi : val + len;
	it->end = val + len;
	it->val = xmalloc(len + 1);
}

static int
attr_is(const struct param_iter *it, const char *name)
{
	return it->attrlen == strlen(name) &&
	    strncasecmp(it->attr, name, it->attrlen) == 0;
}

const char *
mime_param_raw(const char *val, size_t len, const char *name,
    struct arena *a)
{
	struct param_iter	 it;
	const char		*found = NULL;

	param_start(&it, val, len);
	while (found == NULL && param_next(&it))
		if (attr_is(&it, name))
			found = mime_strdup(a, it.val, it.vallen);
	free(it.val);
	return found;
}

/* %XX as bytes, at the end of out (which has room: never longer). */
static size_t
percent_decode(const char *s, size_t n, char *out)
{
	size_t	 i, o = 0;
	int	 hi, lo;

	for (i = 0; i < n; i++) {
		if (s[i] == '%' && i + 2 < n &&
		    (hi = hex_digit((unsigned char)s[i + 1])) != -1 &&
		    (lo = hex_digit((unsigned char)s[i + 2])) != -1) {
			out[o++] = (char)(hi << 4 | lo);
			i += 2;
		} else
			out[o++] = s[i];
	}
	return o;
}

/* "charset'lang'" at the start of an extended value: its length, or 0. */
static size_t
charset_prefix(const char *s, size_t n, char *cs, size_t cssize)
{
	const char	*q1, *q2;

	if ((q1 = memchr(s, '\'', n)) == NULL ||
	    (q2 = memchr(q1 + 1, '\'', n - (size_t)(q1 + 1 - s))) == NULL)
		return 0;
	if ((size_t)(q1 - s) < cssize) {
		memcpy(cs, s, (size_t)(q1 - s));
		cs[q1 - s] = '\0';
	}
	return (size_t)(q2 + 1 - s);
}

struct section {
	char	*val;
	size_t	 len;
	int	 ext;		/* name*N*=: percent-encoded */
};

/* "name*", "name*N", "name*N*": the section (-1 for none), *ext. */
static int
section_of(const struct param_iter *it, const char *name, int *ext)
{
	size_t		 nlen = strlen(name), i;
	const char	*a = it->attr;
	int		 n = 0;

	if (it->attrlen <= nlen || strncasecmp(a, name, nlen) != 0 ||
	    a[nlen] != '*')
		return -2;
	i = nlen + 1;
	if (i == it->attrlen) {
		*ext = 1;
		return -1;
	}
	for (; i < it->attrlen && a[i] >= '0' && a[i] <= '9'; i++)
		if ((n = n * 10 + (a[i] - '0')) >= SECTIONS_MAX)
			return -2;
	*ext = i < it->attrlen && a[i] == '*';
	if (i + *ext != it->attrlen || i == nlen + 1)
		return -2;
	return n;
}

/* bytes in charset cs (or none said) as UTF-8, into the arena */
static const char *
to_text(struct arena *a, const char *cs, const char *s, size_t n)
{
	const char	*r;
	char		*u;
	size_t		 ulen;

	if (cs[0] == '\0' ||
	    (u = charset_to_utf8(cs, s, n, n * 4 + 16, &ulen)) == NULL)
		return mime_strdup(a, s, n);
	r = mime_strdup(a, u, ulen);
	free(u);
	return r;
}

const char *
mime_param_text(const char *val, size_t len, const char *name,
    struct arena *a)
{
	struct param_iter	 it;
	struct section		 sec[SECTIONS_MAX], whole = { NULL, 0, 0 };
	char			*plain = NULL, *bytes, cs[64] = "", *dec;
	const char		*r = NULL;
	size_t			 n = 0, skip, plainlen = 0, declen;
	int			 i, ext;

	memset(sec, 0, sizeof(sec));
	param_start(&it, val, len);
	while (param_next(&it)) {
		if (attr_is(&it, name)) {
			if (plain == NULL) {
				plain = arena_strndup(a, it.val, it.vallen);
				plainlen = it.vallen;
			}
			continue;
		}
		i = section_of(&it, name, &ext);
		if (i == -2)
			continue;
		if (i == -1 && whole.val == NULL) {
			whole.val = arena_strndup(a, it.val, it.vallen);
			whole.len = it.vallen;
			whole.ext = 1;
		} else if (i >= 0 && sec[i].val == NULL) {
			sec[i].val = arena_strndup(a, it.val, it.vallen);
			sec[i].len = it.vallen;
			sec[i].ext = ext;
		}
	}
	free(it.val);

	if (whole.val == NULL && sec[0].val != NULL) {
		for (i = 0; i < SECTIONS_MAX && sec[i].val != NULL; i++)
			n += sec[i].len;
		whole.val = bytes = arena_alloc(a, n + 1);
		for (i = 0; i < SECTIONS_MAX && sec[i].val != NULL; i++) {
			skip = i == 0 && sec[0].ext ? charset_prefix(sec[0].val,
			    sec[0].len, cs, sizeof(cs)) : 0;
			if (sec[i].ext)
				bytes += percent_decode(sec[i].val + skip,
				    sec[i].len - skip, bytes);
			else {
				memcpy(bytes, sec[i].val, sec[i].len);
				bytes += sec[i].len;
			}
		}
		return to_text(a, cs, whole.val, (size_t)(bytes - whole.val));
	}
	if (whole.val != NULL) {
		skip = charset_prefix(whole.val, whole.len, cs, sizeof(cs));
		bytes = arena_alloc(a, whole.len + 1);
		n = percent_decode(whole.val + skip, whole.len - skip, bytes);
		return to_text(a, cs, bytes, n);
	}
	if (plain != NULL) {
		dec = rfc2047_decode(plain, plainlen, &declen);
		r = mime_strdup(a, dec, declen);
		free(dec);
	}
	return r;
}
