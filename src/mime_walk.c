/*
 * The parts of a message: each entity's header section, then for a
 * multipart the pieces between its boundary lines, for a message/rfc822
 * the message inside.  Every multipart scans only its own piece of the
 * message, so that nesting costs at most MIME_DEPTH_MAX passes over it;
 * the depth and the number of parts are capped, so a hostile message
 * neither recurses without end nor fills memory.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "mime_int.h"
#include "util.h"

#define VALUE_MAX	(16 * 1024)	/* of an unfolded header value */
#define TOKEN_MAX	128

struct field {
	char	*v;		/* unfolded, NUL-terminated; NULL: absent */
	size_t	 len;
};

struct fields {
	struct field	 ctype, cdisp, cte;
};

struct walk {
	struct mime_tree	*t;
	size_t			 cap;
};

char *
mime_strdup(struct arena *a, const char *s, size_t len)
{
	const char	*p = s, *end = s + len, *z;
	size_t		 nnul = 0, o = 0;
	char		*r;

	for (z = s; (z = memchr(z, '\0', (size_t)(end - z))) != NULL; z++)
		nnul++;
	if (nnul == 0)
		return arena_strndup(a, s, len);
	r = arena_alloc(a, len + nnul * 2 + 1);
	for (; p < end; p++) {
		if (*p != '\0')
			r[o++] = *p;
		else {
			memcpy(r + o, "\357\277\275", 3);
			o += 3;
		}
	}
	r[o] = '\0';
	return r;
}

/* The first token of a header value (up to ';', space or comment). */
static char *
token(struct arena *a, const struct field *f)
{
	const char	*p, *end, *s;
	char		*r, *q;

	if (f->v == NULL)
		return NULL;
	p = f->v;
	end = f->v + f->len;
	while (p < end && (*p == ' ' || *p == '\t'))
		p++;
	for (s = p; p < end && *p != ';' && *p != ' ' && *p != '\t' &&
	    *p != '(' && p - s < TOKEN_MAX; p++)
		;
	r = mime_strdup(a, s, (size_t)(p - s));
	for (q = r; *q != '\0'; q++)
		if (*q >= 'A' && *q <= 'Z')
			*q += 'a' - 'A';
	return r;
}

static const char *
lowered(struct arena *a, const char *s)
{
	char	*r, *q;

	if (s == NULL)
		return "";
	r = arena_strndup(a, s, strlen(s));
	for (q = r; *q != '\0'; q++)
		if (*q >= 'A' && *q <= 'Z')
			*q += 'a' - 'A';
	return r;
}

/* type/subtype, both non-empty, of token characters. */
static int
type_ok(const char *t)
{
	const char	*slash = strchr(t, '/'), *p;

	if (slash == NULL || slash == t || slash[1] == '\0')
		return 0;
	for (p = t; *p != '\0'; p++)
		if ((unsigned char)*p <= ' ' || (unsigned char)*p >= 0x7f ||
		    strchr("()<>@,;:\\\"[]?=", *p) != NULL ||
		    (*p == '/' && p != slash))
			return 0;
	return 1;
}

static const char *
line_end(const char *p, const char *end)
{
	const char	*nl = memchr(p, '\n', (size_t)(end - p));

	return nl != NULL ? nl : end;
}

static const char *
next_line(const char *p, const char *end)
{
	const char	*nl = memchr(p, '\n', (size_t)(end - p));

	return nl != NULL ? nl + 1 : end;
}

/* A field's value from after its ':' over its continuation lines. */
static void
unfold(const char *p, const char *end, struct field *f)
{
	const char	*e = p;
	size_t		 n = 0;

	/* where the field ends: before a line not starting with blank */
	for (;;) {
		e = next_line(e, end);
		if (e == end || (*e != ' ' && *e != '\t'))
			break;
	}
	f->v = xmalloc((size_t)(e - p) < VALUE_MAX ? (size_t)(e - p) + 1 :
	    VALUE_MAX + 1);
	for (; p < e && n < VALUE_MAX; p++)
		if (*p != '\r' && *p != '\n')
			f->v[n++] = *p;
	f->v[n] = '\0';
	f->len = n;
}

static int
name_is(const char *p, size_t n, const char *name)
{
	return n == strlen(name) && strncasecmp(p, name, n) == 0;
}

/*
 * The header section at p: the fields the walk needs into f; where the
 * body starts (after the blank line, or at the first line that is no
 * header field: a part without headers).
 */
static const char *
read_headers(const char *p, const char *end, int top, struct fields *f)
{
	const char	*e, *colon, *q;
	struct field	*want;

	memset(f, 0, sizeof(*f));
	/* an mbox "From " line before the first field */
	if (top && end - p >= 5 && memcmp(p, "From ", 5) == 0)
		p = next_line(p, end);
	while (p < end) {
		e = line_end(p, end);
		if (p == e || (*p == '\r' && p + 1 == e))
			return next_line(p, end);
		if (*p == ' ' || *p == '\t') {
			p = next_line(p, end);
			continue;
		}
		colon = NULL;
		for (q = p; q < e; q++) {
			if (*q == ':') {
				colon = q;
				break;
			}
			if ((unsigned char)*q <= ' ' ||
			    (unsigned char)*q >= 0x7f)
				break;
		}
		if (colon == NULL || colon == p)
			return p;
		want = NULL;
		if (name_is(p, (size_t)(colon - p), "content-type"))
			want = &f->ctype;
		else if (name_is(p, (size_t)(colon - p),
		    "content-disposition"))
			want = &f->cdisp;
		else if (name_is(p, (size_t)(colon - p),
		    "content-transfer-encoding"))
			want = &f->cte;
		if (want != NULL && want->v == NULL)
			unfold(colon + 1, end, want);
		p = next_line(p, end);
	}
	return end;
}

static void
fields_free(struct fields *f)
{
	free(f->ctype.v);
	free(f->cdisp.v);
	free(f->cte.v);
}

static enum mime_enc
enc_of(const char *name)
{
	if (name == NULL || *name == '\0' || strcmp(name, "7bit") == 0 ||
	    strcmp(name, "8bit") == 0 || strcmp(name, "binary") == 0)
		return MENC_IDENTITY;
	if (strcmp(name, "quoted-printable") == 0)
		return MENC_QP;
	if (strcmp(name, "base64") == 0)
		return MENC_BASE64;
	return MENC_OTHER;
}

/* A new part at the end of the tree, or -1 past MIME_PARTS_MAX. */
static long
part_new(struct walk *w, unsigned depth)
{
	struct mime_tree	*t = w->t;

	if (t->nparts == MIME_PARTS_MAX) {
		t->flags |= MT_TOOMANY;
		return -1;
	}
	if (t->nparts == w->cap) {
		w->cap = w->cap ? w->cap * 2 : 8;
		t->parts = xreallocarray(t->parts, w->cap, sizeof(*t->parts));
	}
	memset(&t->parts[t->nparts], 0, sizeof(*t->parts));
	t->parts[t->nparts].depth = depth;
	return (long)t->nparts++;
}

/*
 * A delimiter line of boundary b at or after p (a line start): "--b" or,
 * closing, "--b--", then only blanks.  Its start, with *after the line
 * after it; NULL when there is none.
 */
static const char *
delimiter(const char *p, const char *end, const char *b, size_t blen,
    const char **after, int *closing)
{
	const char	*e, *q;

	for (; p < end; p = next_line(p, end)) {
		e = line_end(p, end);
		if ((size_t)(e - p) < blen + 2 || p[0] != '-' || p[1] != '-' ||
		    memcmp(p + 2, b, blen) != 0)
			continue;
		q = p + 2 + blen;
		*closing = e - q >= 2 && q[0] == '-' && q[1] == '-';
		if (*closing)
			q += 2;
		while (q < e && (*q == ' ' || *q == '\t' || *q == '\r'))
			q++;
		if (q == e) {
			*after = next_line(p, end);
			return p;
		}
	}
	return NULL;
}

/* The line end before a delimiter belongs to it (RFC 2046 5.1.1). */
static const char *
before_delimiter(const char *start, const char *d)
{
	if (d > start && d[-1] == '\n')
		d--;
	if (d > start && d[-1] == '\r')
		d--;
	return d;
}

static void	entity(struct walk *, const char *, const char *, unsigned,
		    const char *);

static void
multipart(struct walk *w, long idx, const char *b, const char *body,
    const char *end)
{
	const char	*d, *after, *start, *deftype;
	size_t		 blen = strlen(b);
	unsigned	 depth = w->t->parts[idx].depth;
	int		 closing;

	deftype = strcmp(w->t->parts[idx].type, "multipart/digest") == 0 ?
	    "message/rfc822" : "text/plain";
	if (blen == 0 ||
	    (d = delimiter(body, end, b, blen, &after, &closing)) == NULL) {
		w->t->parts[idx].flags |= MP_NOBOUNDARY;
		return;
	}
	while (!closing) {
		start = after;
		d = delimiter(start, end, b, blen, &after, &closing);
		if (w->t->nparts == MIME_PARTS_MAX) {
			w->t->flags |= MT_TOOMANY;
			return;
		}
		w->t->parts[idx].nchildren++;
		entity(w, start, d != NULL ? before_delimiter(start, d) : end,
		    depth + 1, deftype);
		if (d == NULL) {
			w->t->parts[idx].flags |= MP_UNCLOSED;
			return;
		}
	}
}

/* One entity (header section and body) between p and end, and its parts. */
static void
entity(struct walk *w, const char *p, const char *end, unsigned depth,
    const char *deftype)
{
	struct mime_tree	*t = w->t;
	struct arena		*a = &t->strings;
	struct mime_part	*mp;
	struct fields		 f;
	const char		*body, *type, *b, *disp, *name;
	long			 idx;

	if ((idx = part_new(w, depth)) == -1)
		return;
	body = read_headers(p, end, depth == 0, &f);
	mp = &t->parts[idx];
	type = token(a, &f.ctype);
	mp->type = type != NULL && type_ok(type) ? type : deftype;
	mp->charset = "";
	if (f.ctype.v != NULL)
		mp->charset = lowered(a, mime_param_raw(f.ctype.v, f.ctype.len,
		    "charset", a));
	name = NULL;
	if (f.cdisp.v != NULL)
		name = mime_param_text(f.cdisp.v, f.cdisp.len, "filename", a);
	if (name == NULL && f.ctype.v != NULL)
		name = mime_param_text(f.ctype.v, f.ctype.len, "name", a);
	mp->filename = name != NULL ? name : "";
	disp = token(a, &f.cdisp);
	if (disp != NULL && strcmp(disp, "attachment") == 0)
		mp->flags |= MP_ATTACHMENT;
	else if (disp != NULL && strcmp(disp, "inline") == 0)
		mp->flags |= MP_INLINE;
	mp->encname = lowered(a, token(a, &f.cte));
	mp->enc = enc_of(mp->encname);
	/* a multipart is never encoded as a whole (RFC 2045 6.4) */
	if (strncmp(mp->type, "multipart/", 10) == 0)
		mp->enc = MENC_IDENTITY;
	mp->body = body;
	mp->bodylen = (size_t)(end - body);
	mp->size = mime_decode(mp->enc, body, mp->bodylen, NULL);
	if (mp->enc == MENC_OTHER)
		mp->flags |= MP_ENCODED_SIZE;

	b = NULL;
	if (strncmp(mp->type, "multipart/", 10) == 0) {
		b = f.ctype.v == NULL ? NULL :
		    mime_param_raw(f.ctype.v, f.ctype.len, "boundary", a);
		if (b == NULL)
			mp->flags |= MP_NOBOUNDARY;
	}
	fields_free(&f);
	if (b == NULL && (mp->enc != MENC_IDENTITY ||
	    (strcmp(mp->type, "message/rfc822") != 0 &&
	    strcmp(mp->type, "message/global") != 0)))
		return;
	if (depth == MIME_DEPTH_MAX) {
		mp->flags |= MP_TOODEEP;
		t->flags |= MT_TOODEEP;
		return;
	}
	if (b != NULL)
		multipart(w, idx, b, body, end);
	else {
		t->parts[idx].nchildren = 1;
		entity(w, body, end, depth + 1, "text/plain");
	}
}

void
mime_walk(const char *msg, size_t len, struct mime_tree *t)
{
	struct walk	 w;

	memset(t, 0, sizeof(*t));
	w.t = t;
	w.cap = 0;
	entity(&w, msg, msg + len, 0, "text/plain");
}

void
mime_tree_free(struct mime_tree *t)
{
	free(t->parts);
	arena_free(&t->strings);
	memset(t, 0, sizeof(*t));
}
