/*
 * amavisd-new's main log entry (the "verdict line"), short or verbose
 * template, and those of older versions and site templates as far as their
 * anchors allow.
 *
 * Nothing in the line is quoted but the verbose Subject, and Message-ID,
 * banned file names, recipients' quoted local parts, queued_as and the
 * rest can hold ", ", "]", '"' and '>'.  So the head is taken by its shape
 * (id, Passed/Blocked, category up to a valid " {ACTIONS}", the client
 * words up to the sender's '<', the sender up to " -> "), and the rest by
 * the anchors ", Key: " found in one pass over it.  An anchor only counts in
 * template order, a fixed-format value (mail_id, b:, Hits:, size:) must look
 * right and end where a ", " begins, an address-like value (recipients,
 * Message-ID) rather ends on a '>', and a Subject ends at its closing quote:
 * text copied from a message can then only fake fields by faking a whole
 * well-formed run of them.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "maillog.h"
#include "quarantine.h"

enum field {
	F_RCPTS,
	F_TRACE,
	F_TLS,
	F_QUAR,
	F_QUEUEID,
	F_MSGID,
	F_RMSGID,
	F_MAILID,
	F_BODY,
	F_HITS,
	F_SIZE,
	F_PT,
	F_QUEUED,
	F_SUBJECT,
	F_FROM,
	F_UA,
	F_HELO,
	F_TESTS,
	F_BAN,			/* b.key=, b.com=, b.rhs=, b.parts=: one field */
	F_SC,
	F_AUTOLEARN,
	F_FLOAT,		/* not kept; anywhere after size: */
	F_MS,			/* ", N ms" */
	F_NFIELDS
};

struct anchor {
	const char	*key;
	unsigned char	 len;
	unsigned char	 skip;		/* of the key, not part of the value */
	unsigned char	 field;
};

#define A(k, f)		{ k, sizeof(k) - 1, sizeof(k) - 1, f }
#define AK(k, f)	{ k, sizeof(k) - 1, 0, f }	/* the key is the value's */

/* By the first byte of the key; each list ends with a NULL key. */
static const struct anchor a_paren[] = { AK("(", F_TRACE), { NULL, 0, 0, 0 } };
static const struct anchor a_q[] = { A("quarantine: ", F_QUAR),
	A("queued_as: ", F_QUEUED), { NULL, 0, 0, 0 } };
static const struct anchor a_Q[] = { A("Queue-ID: ", F_QUEUEID),
	{ NULL, 0, 0, 0 } };
static const struct anchor a_M[] = { A("Message-ID: ", F_MSGID),
	{ NULL, 0, 0, 0 } };
static const struct anchor a_R[] = { A("Resent-Message-ID: ", F_RMSGID),
	{ NULL, 0, 0, 0 } };
static const struct anchor a_m[] = { A("mail_id: ", F_MAILID),
	{ NULL, 0, 0, 0 } };
static const struct anchor a_b[] = { A("b: ", F_BODY), AK("b.key=", F_BAN),
	AK("b.com=", F_BAN), AK("b.rhs=", F_BAN), AK("b.parts=", F_BAN),
	{ NULL, 0, 0, 0 } };
static const struct anchor a_H[] = { A("Hits: ", F_HITS), { NULL, 0, 0, 0 } };
static const struct anchor a_s[] = { A("size: ", F_SIZE),
	A("shortcircuit=", F_SC), { NULL, 0, 0, 0 } };
static const struct anchor a_p[] = { A("pt: ", F_PT), { NULL, 0, 0, 0 } };
static const struct anchor a_S[] = { A("Subject: ", F_SUBJECT),
	A("Size: ", F_SIZE), { NULL, 0, 0, 0 } };	/* before 2.4 */
static const struct anchor a_F[] = { A("From: ", F_FROM), { NULL, 0, 0, 0 } };
static const struct anchor a_X[] = { AK("X-Mailer: ", F_UA),
	{ NULL, 0, 0, 0 } };
static const struct anchor a_U[] = { AK("User-Agent: ", F_UA),
	{ NULL, 0, 0, 0 } };
static const struct anchor a_h[] = { A("helo=", F_HELO), { NULL, 0, 0, 0 } };
static const struct anchor a_T[] = { { "Tests: [", 8, 7, F_TESTS },
	{ NULL, 0, 0, 0 } };
static const struct anchor a_t[] = { A("tls: ", F_TLS), { NULL, 0, 0, 0 } };
static const struct anchor a_a[] = { A("autolearn=", F_AUTOLEARN),
	A("autolearnscore=", F_FLOAT), A("asn=", F_FLOAT), { NULL, 0, 0, 0 } };
static const struct anchor a_d[] = { A("dkim_sd=", F_FLOAT),
	A("dkim_new=", F_FLOAT), A("dkim_id=", F_FLOAT), { NULL, 0, 0, 0 } };
static const struct anchor a_l[] = { A("languages=", F_FLOAT),
	{ NULL, 0, 0, 0 } };
static const struct anchor a_r[] = { A("relaycountry=", F_FLOAT),
	A("rss=", F_FLOAT), { NULL, 0, 0, 0 } };

#define MAXCAND		128

struct cand {
	const char	*pos;		/* on the ", " */
	const char	*val;
	int		 field;
};

/* The anchor at p, the longest key winning. */
static const struct anchor *
anchor_at(const char *p, const char *end)
{
	const struct anchor	*a, *best = NULL;
	size_t			 n = (size_t)(end - p);

	switch (*p) {
	case '(': a = a_paren; break;
	case 'q': a = a_q; break;
	case 'Q': a = a_Q; break;
	case 'M': a = a_M; break;
	case 'R': a = a_R; break;
	case 'm': a = a_m; break;
	case 'b': a = a_b; break;
	case 'H': a = a_H; break;
	case 's': a = a_s; break;
	case 'p': a = a_p; break;
	case 'S': a = a_S; break;
	case 'F': a = a_F; break;
	case 'X': a = a_X; break;
	case 'U': a = a_U; break;
	case 'h': a = a_h; break;
	case 'T': a = a_T; break;
	case 't': a = a_t; break;
	case 'a': a = a_a; break;
	case 'd': a = a_d; break;
	case 'l': a = a_l; break;
	case 'r': a = a_r; break;
	default: return NULL;
	}
	for (; a->key != NULL; a++)
		if (a->len <= n && memcmp(p, a->key, a->len) == 0 &&
		    (best == NULL || a->len > best->len))
			best = a;
	return best;
}

static int
is_digit(int c)
{
	return (unsigned)c - '0' <= 9;
}

/* base64url, and the '+' and '/' of base64 that amavis 2.6 and older used */
static int
is_b64(int c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
	    is_digit(c) || c == '_' || c == '-' || c == '+' || c == '/';
}

/* Whether t ends a value: the fields' end or a ", ". */
static int
at_boundary(const char *t, const char *end)
{
	return t == end || (end - t >= 2 && t[0] == ',' && t[1] == ' ');
}

/* N of "N ms" at p; the end of it, or NULL. */
static const char *
ms_at(const char *p, const char *end, int64_t *ms)
{
	const char	*q;
	int64_t		 v = 0;

	for (q = p; q < end && is_digit(*q) && q - p < 15; q++)
		v = v * 10 + (*q - '0');
	if (q == p || end - q < 3 || memcmp(q, " ms", 3) != 0)
		return NULL;
	*ms = v;
	return q + 3;
}

int
av_score(const char *p, size_t n, int64_t *out)
{
	const char	*end = p + n;
	int64_t		 v = 0;
	int		 neg = 0, dec = 0, digits = 0, round = 0;

	if (p < end && (*p == '-' || *p == '+'))
		neg = *p++ == '-';
	for (; p < end && is_digit(*p); p++) {
		if (++digits > 15)
			return -1;
		v = v * 10 + (*p - '0');
	}
	if (p < end && *p == '.') {
		for (p++; p < end && is_digit(*p); p++, dec++) {
			if (dec < 3) {
				v = v * 10 + (*p - '0');
				digits++;
			} else if (dec == 3)
				round = *p >= '5';
		}
		if (dec == 0)
			return -1;
	}
	if (p != end || digits == 0)
		return -1;
	for (; dec < 3; dec++)
		v *= 10;
	v += round;
	*out = neg ? -v : v;
	return 0;
}

/* Hits: "-", a score, or "min..max". */
static int
hits(const char *p, size_t n, int64_t *lo, int64_t *hi)
{
	const char	*dd;

	if (n == 1 && *p == '-') {
		*lo = *hi = CELL_NONE;
		return 0;
	}
	if ((dd = ml_find(p, n, "..", 2)) != NULL)
		return av_score(p, (size_t)(dd - p), lo) == -1 ||
		    av_score(dd + 2, n - (size_t)(dd + 2 - p), hi) == -1 ?
		    -1 : 0;
	if (av_score(p, n, lo) == -1)
		return -1;
	*hi = *lo;
	return 0;
}

/* Whether a fixed-format value starts at v; *t is left at its end. */
static int
fixed_ok(int field, const char *v, const char *end, const char **t)
{
	const char	*q = v;
	int64_t		 a, b;

	switch (field) {
	case F_MAILID:
	case F_BODY:
		while (q < end && is_b64(*q))
			q++;
		break;
	case F_HITS:
		while (q < end && (is_digit(*q) || *q == '-' || *q == '.' ||
		    *q == '+'))
			q++;
		if (q == v || hits(v, (size_t)(q - v), &a, &b) == -1)
			return 0;
		break;
	case F_SIZE:
		while (q < end && is_digit(*q) && q - v < 18)
			q++;
		break;
	default:
		*t = v;
		return 1;
	}
	*t = q;
	return q > v && at_boundary(q, end);
}

/* The closing '"' of a dquoted value opening at v ("" inside), or NULL. */
static const char *
dquote_end(const char *v, const char *end)
{
	const char	*q;

	if (v == end || *v != '"')
		return NULL;
	for (q = v + 1; q < end; q++) {
		if (*q != '"')
			continue;
		if (q + 1 < end && q[1] == '"') {
			q++;
			continue;
		}
		if (at_boundary(q + 1, end))
			return q;
	}
	return NULL;
}

static int
ordered(int field)
{
	return field < F_FLOAT;
}

/* Whether field could follow the fields opened so far. */
static int
may_follow(int field, int cur, int last)
{
	if (!ordered(field))
		return last >= F_SIZE;
	return field > last || (field == F_BAN && cur == F_BAN);
}

static int
addr_field(int field)
{
	return field == F_RCPTS || field == F_MSGID || field == F_RMSGID;
}

static void
set(struct ml_str *s, const char *p, const char *e)
{
	s->p = p;
	s->len = e > p ? (size_t)(e - p) : 0;
}

/*
 * The anchors of [p, end) in cand, in order; their count.  Past MAXCAND
 * the rest goes into the last value.
 */
static size_t
scan_anchors(const char *p, const char *end, struct cand *cand)
{
	const struct anchor	*a;
	const char		*q = p, *t;
	size_t			 n = 0;
	int64_t			 ms;

	while (n < MAXCAND &&
	    (q = memchr(q, ',', (size_t)(end - q))) != NULL) {
		if (end - q < 3 || q[1] != ' ') {
			q++;
			continue;
		}
		if ((a = anchor_at(q + 2, end)) != NULL) {
			cand[n].pos = q;
			cand[n].val = q + 2 + a->skip;
			cand[n++].field = a->field;
		} else if (is_digit(q[2]) && (t = ms_at(q + 2, end, &ms)) !=
		    NULL && at_boundary(t, end)) {
			cand[n].pos = q;
			cand[n].val = q + 2;
			cand[n++].field = F_MS;
		}
		q += 2;
	}
	return n;
}

struct walk {
	const char	*val[F_NFIELDS];
	const char	*vend[F_NFIELDS];
	const char	*tend[F_NFIELDS];	/* a fixed-format token's end */
	const char	*ban;		/* the first b.*= */
};

/*
 * Assign the values after the recipients' start rs: each field's value
 * runs to the next anchor taken.
 */
static void
walk(struct walk *w, const char *rs, const char *end, int64_t *elapsed)
{
	struct cand	 cand[MAXCAND];
	const char	*skip = rs, *t, *tk, *q;
	size_t		 n, i, k;
	int		 cur = F_RCPTS, last = F_RCPTS, f;

	memset(w, 0, sizeof(*w));
	w->val[F_RCPTS] = rs;
	n = scan_anchors(rs, end, cand);
	for (i = 0; i < n; i++) {
		f = cand[i].field;
		if (cand[i].pos < skip || !may_follow(f, cur, last) ||
		    !fixed_ok(f, cand[i].val, end, &t))
			continue;
		/* an address rather ends on its '>' */
		if (addr_field(cur) && cand[i].pos[-1] != '>') {
			for (k = i + 1; k < n; k++)
				if (cand[k].pos[-1] == '>' &&
				    may_follow(cand[k].field, cur, last) &&
				    fixed_ok(cand[k].field, cand[k].val, end,
				    &tk))
					break;
			if (k < n)
				continue;
		}
		w->vend[cur] = w->tend[cur] != NULL ? w->tend[cur] :
		    cand[i].pos;
		if (f == F_MS) {
			if (*elapsed == CELL_NONE)
				ms_at(cand[i].val, end, elapsed);
			cur = F_FLOAT;
			continue;
		}
		if (f == F_BAN && w->ban == NULL)
			w->ban = cand[i].val;
		w->val[f] = cand[i].val;
		if (t != cand[i].val)		/* what follows is not ours */
			w->tend[f] = t;
		if (f == F_SUBJECT &&
		    (q = dquote_end(cand[i].val, end)) != NULL)
			skip = q + 1;
		cur = f;
		if (ordered(f))
			last = f;
	}
	w->vend[cur] = w->tend[cur] != NULL ? w->tend[cur] : end;
}

static int
field_set(const struct walk *w, int f, struct ml_str *s)
{
	if (w->val[f] == NULL || w->vend[f] == NULL)
		return 0;
	set(s, w->val[f], w->vend[f]);
	return 1;
}

/* "(!)"/"(!!)"-free log id at the start; the end of "(ID) ", or NULL. */
static char *
logid(char *s, char *end, struct ml_str *id)
{
	char	*e, *q;
	size_t	 lim = (size_t)(end - s) < 66 ? (size_t)(end - s) : 66;

	if (lim < 4 || s[0] != '(' || s[1] == '!')
		return NULL;
	if ((e = memchr(s + 1, ')', lim - 1)) == NULL || e == s + 1 ||
	    e + 1 == end || e[1] != ' ')
		return NULL;
	for (q = s + 1; q < e; q++)
		if (*q == ' ' || *q == '(')
			return NULL;
	set(id, s + 1, e);
	return e + 2;
}

/* {ACTIONS} at p: letters and ','; the end after '}', or NULL. */
static char *
actions(char *p, char *end, struct ml_str *act)
{
	char	*q;

	if (p == end || *p != '{')
		return NULL;
	for (q = p + 1; q < end && ((*q >= 'A' && *q <= 'Z') ||
	    (*q >= 'a' && *q <= 'z') || *q == ','); q++)
		;
	if (q == end || *q != '}' || !at_boundary(q + 1, end))
		return NULL;
	set(act, p + 1, q);
	return q + 1;
}

static const struct {
	const char	*word;
	enum av_ccat	 ccat;
} ccats[] = {
	{ "CLEAN", AV_CCAT_CLEAN },
	{ "SPAMMY", AV_CCAT_SPAMMY },
	{ "SPAM", AV_CCAT_SPAM },
	{ "BANNED", AV_CCAT_BANNED },
	{ "INFECTED", AV_CCAT_INFECTED },
	{ "BAD-HEADER", AV_CCAT_BAD_HEADER },
	{ "UNCHECKED", AV_CCAT_UNCHECKED },
	{ "OVERSIZED", AV_CCAT_OVERSIZED },
	{ "MTA-BLOCKED", AV_CCAT_MTA_BLOCKED },
	{ "OTHER", AV_CCAT_OTHER },
};

static void
classify(struct av_verdict *v, const char *w, size_t n)
{
	size_t		 i, k, len;
	const char	*m;
	int		 minor;

	for (i = 0; i < sizeof(ccats) / sizeof(ccats[0]); i++) {
		len = strlen(ccats[i].word);
		if (n < len || memcmp(w, ccats[i].word, len) != 0 ||
		    (n > len && w[len] != '-'))
			continue;
		v->ccat = ccats[i].ccat;
		if (n == len)
			return;
		m = w + len + 1;
		k = n - len - 1;
		set(&v->ccat_detail, m, m + k);
		if (v->ccat == AV_CCAT_BAD_HEADER && k > 0 && k <= 3) {
			for (minor = 0; k > 0 && is_digit(*m); k--, m++)
				minor = minor * 10 + (*m - '0');
			if (k == 0)
				v->ccat_minor = minor;
		}
		return;
	}
	v->ccat = AV_CCAT_UNKNOWN;
}

/*
 * CCAT [(DETAIL)] then " {ACTIONS}" or ", " at p.  Returns where the client
 * part starts (after "}, " or ", "), or NULL.
 */
static char *
category(struct av_verdict *v, char *p, char *end)
{
	char	*w = p, *q, *r, *ce = NULL;

	while (p < end && ((*p >= 'A' && *p <= 'Z') || is_digit(*p) ||
	    *p == '-'))
		p++;
	if (p == w)
		return NULL;
	classify(v, w, (size_t)(p - w));
	if (end - p >= 2 && p[0] == ' ' && p[1] == '(') {
		/* names inside may hold ") {": the first one that is followed
		 * by valid actions ends it, else the first "), " */
		for (q = p + 2; (r = ml_find(q, (size_t)(end - q), ") {", 3)) !=
		    NULL; q = r + 1)
			if (actions(r + 2, end, &v->actions) != NULL) {
				ce = r + 1;
				break;
			}
		if (ce == NULL) {
			if ((r = ml_find(p + 2, (size_t)(end - p - 2), "), ", 3))
			    == NULL)
				return NULL;
			ce = r + 1;
		}
		set(&v->ccat_detail, p + 2, ce - 1);
		p = ce;
	}
	set(&v->category, w, p);
	if (end - p >= 2 && p[0] == ' ' && (q = actions(p + 1, end,
	    &v->actions)) != NULL)
		return q == end ? q : q + 2;
	if (at_boundary(p, end) && p < end) {
		v->flags |= AV_F_NOACTIONS;
		return p + 2;
	}
	return NULL;
}

/* Policy bank, LOCAL, [client], [origin], proto: the words in [p, e). */
static void
client_part(struct av_verdict *v, const char *p, const char *e)
{
	const char	*w, *we, *b, *bank = NULL, *bank_end = NULL;
	int		 nip = 0;
	int64_t		 port;

	for (w = p; w < e; w = we + 1) {
		if ((we = memchr(w, ' ', (size_t)(e - w))) == NULL)
			we = e;
		if (we == w)
			continue;
		if (*w == '[' && (b = memchr(w, ']', (size_t)(we - w))) !=
		    NULL) {
			if (nip++ == 0) {
				set(&v->client, w + 1, b);
				if (we - b > 2 && we - b <= 7 && b[1] == ':') {
					for (port = 0, b += 2; b < we &&
					    is_digit(*b); b++)
						port = port * 10 + (*b - '0');
					if (b == we && port <= 65535)
						v->client_port = port;
				}
			} else if (nip == 2)
				set(&v->origin, w + 1, b);
			continue;
		}
		if (we - w == 5 && memcmp(w, "LOCAL", 5) == 0) {
			v->local = 1;
			continue;
		}
		if (we == e && memchr(w, '/', (size_t)(we - w)) != NULL &&
		    (nip > 0 || *w == '/' || bank != NULL)) {
			set(&v->proto, w, we);
			continue;
		}
		if (nip == 0 && !v->local) {
			if (bank == NULL)
				bank = w;
			bank_end = we;
		}
	}
	if (bank != NULL)
		set(&v->bank, bank, bank_end);
}

/*
 * The sender's '<': the first at the start of a word, past the client
 * words ("[<IP>]" in a line someone anonymised).
 */
static char *
sender_start(const char *p, const char *end)
{
	const char	*q;

	for (q = p; (q = memchr(q, '<', (size_t)(end - q))) != NULL; q++)
		if (q == p || q[-1] == ' ')
			return (char *)q;
	return NULL;
}

/*
 * Whether the rest of a line without {ACTIONS} is a per-recipient one
 * ($log_recip_templ): "Hits: H, tag=T, ..." after the recipients.  An old
 * main line has no {ACTIONS} either, nor always a size:, but never "tag=";
 * a Message-ID before its Hits: cannot fake one.
 */
static int
recip_shape(const char *p, const char *end)
{
	const char	*h, *q;

	if ((h = ml_find(p, (size_t)(end - p), ", Hits: ", 8)) == NULL ||
	    ml_find(p, (size_t)(h - p), ", Message-ID: ", 14) != NULL ||
	    ml_find(p, (size_t)(h - p), ", mail_id: ", 11) != NULL)
		return 0;
	for (q = h + 8; q < end && (is_digit(*q) || *q == '-' || *q == '.' ||
	    *q == '+'); q++)
		;
	return end - q >= 6 && memcmp(q, ", tag=", 6) == 0;
}

/* The sender's '<' at lt: its '>' before " -> " (quotes respected). */
static char *
sender_end(char *lt, char *end)
{
	char	*q;
	int	 inq = 0;

	for (q = lt + 1; q < end; q++) {
		if (*q == '"')
			inq = !inq;
		else if (*q == '>' && !inq && end - q >= 5 &&
		    memcmp(q + 1, " -> ", 4) == 0)
			return q;
	}
	return ml_find(lt, (size_t)(end - lt), "> -> ", 5);
}

/* Where the next item of a comma-separated rest starts; NULL: no more. */
static const char *
list_item(const struct ml_str *rest, const char **end)
{
	const char	*p = rest->p;

	if (rest->len == 0)
		return NULL;	/* p may be NULL: no arithmetic on it */
	*end = p + rest->len;
	while (p < *end && *p == ',')
		p++;
	return p < *end ? p : NULL;
}

int
av_rcpt_next(struct ml_str *rest, struct ml_str *rcpt)
{
	const char	*p, *end, *q;
	int		 inq = 0;

	if ((p = list_item(rest, &end)) == NULL)
		return 0;
	if (*p != '<') {
		if ((q = memchr(p, ',', (size_t)(end - p))) == NULL)
			q = end;
		set(rcpt, p, q);
		rest->p = q;
		rest->len = (size_t)(end - q);
		return 1;
	}
	for (q = p + 1; q < end; q++) {
		if (*q == '"')
			inq = !inq;
		else if (*q == '>' && !inq && (q + 1 == end || q[1] == ','))
			break;
	}
	if (q == end)		/* an odd '"': the first fitting '>' */
		for (q = p + 1; q < end; q++)
			if (*q == '>' && (q + 1 == end || q[1] == ','))
				break;
	set(rcpt, p + 1, q);
	if (q < end)
		q++;
	rest->p = q;
	rest->len = (size_t)(end - q);
	return 1;
}

int
av_test_next(struct ml_str *rest, struct ml_str *name, int64_t *score)
{
	const char	*p, *end, *q, *eq;

	if ((p = list_item(rest, &end)) == NULL)
		return 0;
	if ((q = memchr(p, ',', (size_t)(end - p))) == NULL)
		q = end;
	*score = CELL_NONE;
	if ((eq = memchr(p, '=', (size_t)(q - p))) == NULL)
		set(name, p, q);
	else {
		set(name, p, eq);
		if (av_score(eq + 1, (size_t)(q - eq - 1), score) == -1)
			*score = CELL_NONE;
	}
	rest->p = q;
	rest->len = (size_t)(end - q);
	return 1;
}

static int
is_word_char(int c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || is_digit(c);
}

int
ml_reply_queue_id(struct ml_str reply, struct ml_str *id)
{
	const char	*p = reply.p, *end = p + reply.len, *q, *w;
	int		 i;

	id->p = p;
	id->len = 0;
	if ((q = ml_find(p, reply.len, "queued as ", 10)) != NULL) {
		for (w = q += 10; q < end && is_word_char(*q); q++)
			;
		set(id, w, q);
		return q > w ? 0 : -1;
	}
	for (q = p; q < end && is_word_char(*q); q++)
		;
	if (q == end && q > p) {		/* amavis cut it already */
		set(id, p, q);
		return 0;
	}
	/* "250 2.0.0 ID ..." or "250 2.0.0: ID ...": the third word */
	if (end - p < 4 || !is_digit(p[0]) || !is_digit(p[1]) ||
	    !is_digit(p[2]) || p[3] != ' ')
		return -1;
	for (q = p + 4; q < end && (is_digit(*q) || *q == '.'); q++)
		;
	if (q == p + 4)
		return -1;
	if (q < end && *q == ':')
		q++;
	if (q == end || *q != ' ')
		return -1;
	for (w = ++q, i = 0; q < end && is_word_char(*q); q++, i++)
		;
	if (i == 0 || (q < end && *q != ' '))
		return -1;
	set(id, w, q);
	return 0;
}

/*
 * Before 2.7 amavis logged the Subject as it came, RFC 2047 words and all:
 * decoded in place when the text fits there, as it does but for a rare
 * 8-bit charset in base64; what does not decode stays as written.
 */
static void
subject_decode(struct av_verdict *v)
{
	char	*s = (char *)v->subject.p, *dec;
	size_t	 n;

	if (ml_find(s, v->subject.len, "=?", 2) == NULL ||
	    (dec = rfc2047_decode(s, v->subject.len, &n)) == NULL)
		return;
	if (n <= v->subject.len) {
		memcpy(s, dec, n);
		v->subject.len = n;
	}
	free(dec);
}

/* The dquoted Subject in place: quotes off, "" undoubled, (raw: ) apart. */
static void
subject(struct av_verdict *v, char *p, char *e)
{
	char	*r, *w, *raw;

	if (e - p < 2 || *p != '"' || e[-1] != '"') {
		set(&v->subject, p, e);
		subject_decode(v);
		return;
	}
	for (r = w = ++p, e--; r < e; r++) {
		*w++ = *r;
		if (r[0] == '"' && r + 1 < e && r[1] == '"')
			r++;
	}
	e = w;
	set(&v->subject, p, e);
	if (e > p && e[-1] == ')' &&
	    (raw = ml_find(p, (size_t)(e - p), " (raw: ", 7)) != NULL) {
		set(&v->subject, p, raw);
		set(&v->subject_raw, raw + 7, e - 1);
	} else
		subject_decode(v);
}

static void
init(struct av_verdict *v, const struct ml_frame *fr)
{
	struct ml_str	*s[] = { &v->logid, &v->category, &v->ccat_detail,
	    &v->actions, &v->bank, &v->client, &v->origin, &v->proto,
	    &v->sender, &v->rcpts, &v->trace, &v->tls, &v->quarantine,
	    &v->queue_id, &v->message_id, &v->resent_message_id,
	    &v->mail_id, &v->body_digest, &v->partition, &v->queued_as,
	    &v->queued_id, &v->subject, &v->subject_raw, &v->from,
	    &v->user_agent, &v->helo, &v->tests, &v->banning, &v->autolearn };
	size_t		 i;

	memset(v, 0, sizeof(*v));
	for (i = 0; i < sizeof(s) / sizeof(s[0]); i++)
		s[i]->p = "";
	v->time = fr->time;
	v->ccat_minor = -1;
	v->client_port = CELL_NONE;
	v->hits = v->hits_max = CELL_NONE;
	v->size = CELL_NONE;
	v->wbl = CELL_NONE;
	v->elapsed = CELL_NONE;
}

int
amavis_parse_line(struct av_verdict *v, struct ml_frame *fr)
{
	char		*s = fr->msg, *end = s + fr->msglen, *p, *lt, *gt, *fe;
	const char	*q;
	struct walk	 w;
	struct ml_str	 id, f, rest, name;
	int64_t		 score;
	size_t		 n;

	if ((p = logid(s, end, &id)) == NULL)
		return AV_OTHER;
	if (end - p >= 7 && memcmp(p, "Passed ", 7) == 0) {
		init(v, fr);
		p += 7;
	} else if (end - p >= 8 && memcmp(p, "Blocked ", 8) == 0) {
		init(v, fr);
		v->blocked = 1;
		p += 8;
	} else
		return AV_OTHER;
	v->logid = id;

	/* vis(3) only ever makes bytes >= 0x80: no anchor comes or goes */
	n = ml_unvis(p, (size_t)(end - p));
	fr->msglen = (size_t)(p - s) + n;
	end = p + n;
	if (fr->flags & ML_F_TRUNCATED)
		v->flags |= AV_F_PARTIAL;

	if ((p = category(v, p, end)) == NULL)
		return AV_BAD;
	if ((v->flags & AV_F_NOACTIONS) && recip_shape(p, end))
		return AV_RECIP;
	if ((lt = sender_start(p, end)) == NULL ||
	    (gt = sender_end(lt, end)) == NULL)
		return AV_BAD;
	client_part(v, p, lt > p && lt[-1] == ' ' ? lt - 1 : lt);
	set(&v->sender, lt + 1, gt);
	p = gt + 5;

	/* the last field, ", N ms", first */
	fe = end;
	if (!(v->flags & AV_F_PARTIAL) && end - p >= 5 &&
	    memcmp(end - 3, " ms", 3) == 0) {
		for (q = end - 3; q > p && is_digit(q[-1]); q--)
			;
		if (q < end - 3 && q - p >= 2 && q[-1] == ' ' && q[-2] == ',' &&
		    ms_at(q, end, &v->elapsed) != NULL)
			fe = (char *)q - 2;
	}
	walk(&w, p, fe, &v->elapsed);

	field_set(&w, F_RCPTS, &v->rcpts);
	rest = v->rcpts;
	while (av_rcpt_next(&rest, &f))
		v->nrcpts++;
	if (field_set(&w, F_TRACE, &f)) {
		if (f.len >= 2 && f.p[0] == '(' && f.p[f.len - 1] == ')')
			set(&v->trace, f.p + 1, f.p + f.len - 1);
		else
			v->trace = f;
		v->flags |= AV_F_VERBOSE;
	}
	field_set(&w, F_TLS, &v->tls);
	field_set(&w, F_QUAR, &v->quarantine);
	field_set(&w, F_QUEUEID, &v->queue_id);
	field_set(&w, F_MSGID, &v->message_id);
	field_set(&w, F_RMSGID, &v->resent_message_id);
	field_set(&w, F_MAILID, &v->mail_id);
	if (field_set(&w, F_BODY, &v->body_digest))
		v->flags |= AV_F_VERBOSE;
	if (field_set(&w, F_HITS, &f))
		hits(f.p, f.len, &v->hits, &v->hits_max);
	if (field_set(&w, F_SIZE, &f))
		for (v->size = 0, n = 0; n < f.len; n++)
			v->size = v->size * 10 + (f.p[n] - '0');
	field_set(&w, F_PT, &v->partition);
	if (field_set(&w, F_QUEUED, &v->queued_as))
		ml_reply_queue_id(v->queued_as, &v->queued_id);
	if (field_set(&w, F_SUBJECT, &f)) {
		subject(v, (char *)f.p, (char *)f.p + f.len);
		v->flags |= AV_F_VERBOSE;
	}
	if (field_set(&w, F_FROM, &v->from) && v->from.len >= 14 &&
	    memcmp(v->from.p + v->from.len - 14, " (dkim:AUTHOR)", 14) == 0) {
		v->from.len -= 14;
		v->flags |= AV_F_DKIM_AUTHOR;
	}
	field_set(&w, F_UA, &v->user_agent);
	field_set(&w, F_HELO, &v->helo);
	if (field_set(&w, F_TESTS, &f)) {
		if (f.len >= 2 && f.p[0] == '[' && f.p[f.len - 1] == ']')
			set(&v->tests, f.p + 1, f.p + f.len - 1);
		else
			v->tests = f;
		rest = v->tests;
		while (av_test_next(&rest, &name, &score))
			if (ml_str_eq(name, "AM.WBL"))
				v->wbl = score;
		v->flags |= AV_F_VERBOSE;
	}
	if (w.ban != NULL && w.vend[F_BAN] != NULL)
		set(&v->banning, w.ban, w.vend[F_BAN]);
	field_set(&w, F_AUTOLEARN, &v->autolearn);
	return AV_VERDICT;
}

int
amavis_verdict_line(const char *s, size_t len)
{
	const char	*end = s + len, *b, *p, *lt, *q;
	struct ml_str	 id;
	size_t		 n;

	/* PROG[PID]: comes within the first few hundred bytes */
	if ((b = memchr(s, '[', len < 512 ? len : 512)) == NULL)
		return 0;
	for (p = b; p > s && p[-1] != ' ' && p[-1] != '/'; p--)
		;
	n = (size_t)(b - p);
	if (!(n == 6 && memcmp(p, "amavis", 6) == 0) &&
	    !(n == 7 && memcmp(p, "amavisd", 7) == 0) &&
	    !(n == 11 && memcmp(p, "amavisd-new", 11) == 0))
		return 0;
	if ((q = memchr(b, ']', (size_t)(end - b))) == NULL ||
	    end - q < 4 || memcmp(q, "]: (", 4) != 0)
		return 0;
	if ((p = logid((char *)q + 3, (char *)end, &id)) == NULL)
		return 0;
	if (end - p >= 7 && memcmp(p, "Passed ", 7) == 0)
		p += 7;
	else if (end - p >= 8 && memcmp(p, "Blocked ", 8) == 0)
		p += 8;
	else
		return 0;
	if ((lt = sender_start(p, end)) == NULL)
		return 0;
	for (q = p; (q = memchr(q, '{', (size_t)(lt - q))) != NULL; q++)
		if (q > p && q[-1] == ' ')
			return 1;
	return !recip_shape(lt, end) &&
	    ml_find(lt, (size_t)(end - lt), "> -> ", 5) != NULL;
}

static int
mail_id_char(char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
	    (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '+' ||
	    c == '/';
}

int
amavis_parse_release(struct av_release *r, struct ml_frame *fr)
{
	static const char	 lead[] = "Quarantined message ";
	char			*s = fr->msg, *end = s + fr->msglen, *p, *q;
	struct ml_str		 id, rest, rcpt;
	size_t			 n;

	if ((p = logid(s, end, &id)) == NULL ||
	    (size_t)(end - p) < sizeof(lead) - 1 ||
	    memcmp(p, lead, sizeof(lead) - 1) != 0)
		return 0;
	memset(r, 0, sizeof(*r));
	r->time = fr->time;
	r->logid = id;
	n = ml_unvis(p, (size_t)(end - p));
	fr->msglen = (size_t)(p - s) + n;
	end = p + n;
	p += sizeof(lead) - 1;

	/* "release (miscategorized): " */
	for (q = p; q < end && *q >= 'a' && *q <= 'z'; q++)
		;
	if (q == p || end - q < 2 || q[0] != ' ' || q[1] != '(')
		return -1;
	set(&r->request, p, q);
	p = q + 2;
	if ((q = memchr(p, ')', (size_t)(end - p))) == NULL ||
	    end - q < 3 || q[1] != ':' || q[2] != ' ')
		return -1;
	set(&r->feedback, p, q);
	p = q + 3;

	/* "MAILID <sender> -> <r1>,<r2>[, (excluded: ...)]" */
	for (q = p; q < end && mail_id_char(*q); q++)
		;
	if (q == p || q - p > AV_MAILID_MAX || end - q < 2 || q[0] != ' ' ||
	    q[1] != '<')
		return -1;
	set(&r->mail_id, p, q);
	p = q + 1;
	if ((q = sender_end(p, end)) == NULL)
		return -1;
	set(&r->sender, p + 1, q);
	p = q + 5;
	if ((q = ml_find(p, (size_t)(end - p), ", (excluded: ", 13)) != NULL)
		end = q;
	if (p == end || *p != '<')
		return -1;
	set(&r->rcpts, p, end);
	rest = r->rcpts;
	while (av_rcpt_next(&rest, &rcpt))
		r->nrcpts++;
	return 1;
}
