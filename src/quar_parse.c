/*
 * The header section of a quarantined message: the headers amavisd-new
 * prepends (X-Envelope-*, X-Quarantine-ID, X-Amavis-Alert, X-Spam-*, then
 * its own Received:) and the original ones, up to the blank line.  Pure:
 * bytes in, one allocation out.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "maillog.h"		/* av_score */
#include "quarantine.h"
#include "util.h"

#define ALERTS_MAX	8

struct span {
	const char	*p;
	size_t		 len;
};

struct obuf {
	char		*p;
	size_t		 len, size;
};

/* What the header section holds, before it is copied out. */
struct raw {
	struct span	 f[QF_NFIELDS];
	struct span	 alert[ALERTS_MAX];
	size_t		 nalerts;
	struct span	 score;
	int		 received;	/* amavis' Received: passed */
};

static void
ob_reserve(struct obuf *o, size_t more)
{
	size_t	 size = o->size ? o->size : 256;

	if (o->len + more < o->size)
		return;
	while (o->len + more >= size)
		size *= 2;
	o->p = xreallocarray(o->p, size, 1);
	o->size = size;
}

/* Bytes as they are, but a NUL as U+FFFD: every field is a C string. */
static void
ob_put(struct obuf *o, const char *p, size_t n)
{
	const char	*end = p + n, *z;

	while ((z = memchr(p, '\0', (size_t)(end - p))) != NULL) {
		ob_put(o, p, (size_t)(z - p));
		ob_put(o, "\357\277\275", 3);
		p = z + 1;
	}
	ob_reserve(o, (size_t)(end - p));
	memcpy(o->p + o->len, p, (size_t)(end - p));
	o->len += (size_t)(end - p);
}

static uint32_t
ob_end(struct obuf *o, size_t start)
{
	ob_reserve(o, 1);
	o->p[o->len++] = '\0';
	return (uint32_t)start;
}

static int
is_wsp(int c)
{
	return c == ' ' || c == '\t';
}

/* The value without its line breaks (a CR only before an LF), trimmed. */
static struct span
unfold(struct span v, char *tmp)
{
	struct span	 u = { tmp, 0 };
	size_t		 i;

	for (i = 0; i < v.len; i++) {
		if (v.p[i] == '\n' ||
		    (v.p[i] == '\r' && (i + 1 == v.len || v.p[i + 1] == '\n')))
			continue;
		tmp[u.len++] = v.p[i];
	}
	while (u.len > 0 && is_wsp(*u.p)) {
		u.p++;
		u.len--;
	}
	while (u.len > 0 && is_wsp(u.p[u.len - 1]))
		u.len--;
	return u;
}

static int
name_is(const char *p, size_t n, const char *name)
{
	return strlen(name) == n && strncasecmp(p, name, n) == 0;
}

/* Keep a field's value where it is wanted; the first one counts. */
static void
note_field(struct raw *r, const char *name, size_t nlen, struct span v)
{
	static const struct {
		const char	*name;
		int		 field;	/* -1: X-Spam-Score */
		int		 amavis;
	} known[] = {
		{ "X-Envelope-From", QF_ENV_FROM, 1 },
		{ "X-Envelope-To", QF_ENV_TO, 1 },
		{ "X-Envelope-To-Blocked", QF_ENV_BLOCKED, 1 },
		{ "X-Quarantine-ID", QF_QUAR_ID, 1 },
		{ "X-Spam-Status", QF_SPAM_STATUS, 1 },
		{ "X-Spam-Score", -1, 1 },
		{ "From", QF_FROM, 0 },
		{ "Subject", QF_SUBJECT, 0 },
		{ "Date", QF_DATE, 0 },
		{ "Message-ID", QF_MESSAGE_ID, 0 },
	};
	size_t	 i;

	if (name_is(name, nlen, "Received")) {
		r->received = 1;
		return;
	}
	if (name_is(name, nlen, "X-Amavis-Alert")) {
		if (!r->received && r->nalerts < ALERTS_MAX)
			r->alert[r->nalerts++] = v;
		return;
	}
	for (i = 0; i < sizeof(known) / sizeof(known[0]); i++) {
		if (!name_is(name, nlen, known[i].name))
			continue;
		if (known[i].amavis && r->received)
			return;
		if (known[i].field == -1) {
			if (r->score.p == NULL)
				r->score = v;
		} else if (r->f[known[i].field].p == NULL)
			r->f[known[i].field] = v;
		return;
	}
}

/* A field name: printable ASCII but ':', then ':'.  Its length, or 0. */
static size_t
field_name(const char *p, const char *end)
{
	const char	*q;

	for (q = p; q < end && *q > ' ' && *q < 0x7f && *q != ':'; q++)
		;
	if (q == p || q == end || *q != ':')
		return 0;
	return (size_t)(q - p);
}

/*
 * Walk the fields into r; where the header section ends in *hdrlen.
 * QE_NOTMSG if the first line is no field, QE_TOOBIG if the section does
 * not end within QUAR_HEAD_MAX bytes.
 */
static enum quar_err
scan_fields(const char *buf, size_t len, struct raw *r, size_t *hdrlen,
    unsigned *flags)
{
	const char	*p = buf, *end = buf + len, *nl, *v;
	/* past the cap, only far enough to see where the header ends */
	const char	*lim = len > QUAR_HEAD_MAX ? buf + QUAR_HEAD_MAX + 1 : end;
	size_t		 nlen;
	struct span	 val;
	int		 first = 1;

	/* an mbox "From " line is no field, but says it is a message */
	if (len >= 5 && memcmp(p, "From ", 5) == 0) {
		if ((nl = memchr(p, '\n', len)) == NULL)
			nl = end - 1;
		p = nl + 1;
		first = 0;
	}
	while (p < end) {
		if (*p == '\n' || (*p == '\r' && p + 1 < end && p[1] == '\n')) {
			if (first)
				break;
			*flags |= QH_ENDED;
			*hdrlen = (size_t)(p - buf);
			return QE_OK;
		}
		if ((nlen = field_name(p, lim)) == 0) {
			/* no field: the body starts, unless it went on and on */
			nl = memchr(p, '\n', (size_t)(lim - p));
			if (!first && len > QUAR_HEAD_MAX &&
			    (nl == NULL || nl >= buf + QUAR_HEAD_MAX)) {
				*hdrlen = (size_t)(p - buf);
				return QE_TOOBIG;
			}
			break;
		}
		v = p + nlen + 1;
		for (nl = v; (nl = memchr(nl, '\n', (size_t)(lim - nl))) !=
		    NULL && nl + 1 < lim && is_wsp(nl[1]); nl++)
			;
		if (nl == NULL)
			nl = lim;
		if (len > QUAR_HEAD_MAX && nl >= buf + QUAR_HEAD_MAX) {
			*hdrlen = (size_t)(p - buf);
			return QE_TOOBIG;
		}
		val.p = v;
		val.len = (size_t)(nl - v);
		note_field(r, p, nlen, val);
		first = 0;
		p = nl < end ? nl + 1 : end;
	}
	*hdrlen = (size_t)(p - buf);
	return first ? QE_NOTMSG : QE_OK;
}

/* The first c outside a quoted string, from p; or end. */
static const char *
skip_to(const char *p, const char *end, int c)
{
	int	 q = 0;

	for (; p < end; p++) {
		if (*p == '"')
			q = !q;
		else if (q && *p == '\\' && p + 1 < end)
			p++;
		else if (!q && *p == c)
			break;
	}
	return p;
}

/*
 * The addresses of an X-Envelope-* value: between angle brackets, a quoted
 * local part kept whole (<"a@b >>=c"@example.com>); or, with no bracket at
 * all, separated by commas.  Each one appended as a string; how many.
 */
static uint32_t
put_addrs(struct obuf *o, struct span u)
{
	const char	*p = u.p, *end = u.p + u.len, *a, *z;
	uint32_t	 n = 0;
	int		 angle = memchr(u.p, '<', u.len) != NULL;

	for (;;) {
		if (angle) {
			if ((p = skip_to(p, end, '<')) == end)
				break;
			p++;
		} else {
			while (p < end && (is_wsp(*p) || *p == ','))
				p++;
			if (p == end)
				break;
		}
		a = p;
		z = p = skip_to(p, end, angle ? '>' : ',');
		while (!angle && z > a && is_wsp(z[-1]))
			z--;
		ob_put(o, a, (size_t)(z - a));
		ob_end(o, 0);
		n++;
		if (p < end)
			p++;
	}
	return n;
}

/* tests=[A=1, B=2] (amavis) or tests=A,B (SpamAssassin's own) as "A=1,B=2". */
static void
put_tests(struct obuf *o, struct span u)
{
	const char	*p, *end = u.p + u.len;
	int		 bracket;
	char		 last = 0;

	for (p = u.p; p + 6 <= end; p++)
		if (memcmp(p, "tests=", 6) == 0 &&
		    (p == u.p || is_wsp(p[-1])))
			break;
	if (p + 6 > end)
		return;
	p += 6;
	if ((bracket = p < end && *p == '[') != 0)
		p++;
	if (!bracket && end - p >= 4 && memcmp(p, "none", 4) == 0 &&
	    (end - p == 4 || is_wsp(p[4])))
		return;
	for (; p < end; p++) {
		if (bracket && *p == ']')
			break;
		if (is_wsp(*p)) {
			/* SpamAssassin folds after a comma */
			if (!bracket && last != ',')
				break;
			continue;
		}
		ob_put(o, p, 1);
		last = *p;
	}
}

static const char *alert_prefixes[] = {
	"INFECTED, message contains virus: ",
	"BANNED, message contains ",
	"BAD HEADER SECTION, ",
};

static void
put_alerts(struct obuf *o, const struct raw *r, char *tmp, int reason)
{
	struct span	 u;
	size_t		 i, j, n;

	for (i = 0; i < r->nalerts; i++) {
		u = unfold(r->alert[i], tmp);
		if (i > 0)
			ob_put(o, "; ", 2);
		for (j = 0; reason && j < nitems(alert_prefixes); j++) {
			n = strlen(alert_prefixes[j]);
			if (u.len >= n && memcmp(u.p, alert_prefixes[j], n) == 0) {
				u.p += n;
				u.len -= n;
				break;
			}
		}
		ob_put(o, u.p, u.len);
	}
}

static void
build(struct quar_head *h, const struct raw *r, size_t maxval)
{
	struct obuf	 o = { NULL, 0, 0 };
	struct span	 u;
	char		*tmp, *dec;
	size_t		 declen, start;
	uint32_t	 n;
	int		 f;

	tmp = xmalloc(maxval + 1);
	ob_end(&o, 0);		/* offset 0: "", for every absent field */
	for (f = 0; f < QF_NFIELDS; f++) {
		if (f == QF_ALERT || f == QF_REASON) {
			if (r->nalerts == 0)
				continue;
			start = o.len;
			put_alerts(&o, r, tmp, f == QF_REASON);
			h->off[f] = ob_end(&o, start);
			continue;
		}
		if (f == QF_TESTS) {
			if (r->f[QF_SPAM_STATUS].p == NULL)
				continue;
			start = o.len;
			put_tests(&o, unfold(r->f[QF_SPAM_STATUS], tmp));
			h->off[f] = ob_end(&o, start);
			continue;
		}
		if (r->f[f].p == NULL)
			continue;
		u = unfold(r->f[f], tmp);
		start = o.len;
		switch (f) {
		case QF_ENV_FROM:
		case QF_ENV_TO:
		case QF_ENV_BLOCKED:
			n = put_addrs(&o, u);
			if (f == QF_ENV_FROM)
				h->nfrom = n;
			else if (f == QF_ENV_TO)
				h->nto = n;
			else
				h->nblocked = n;
			h->off[f] = n > 0 ? (uint32_t)start : 0;
			continue;
		case QF_QUAR_ID:
			if (u.len >= 2 && u.p[0] == '<' && u.p[u.len - 1] == '>') {
				u.p++;
				u.len -= 2;
			}
			ob_put(&o, u.p, u.len);
			break;
		case QF_FROM:
		case QF_SUBJECT:
			dec = rfc2047_decode(u.p, u.len, &declen);
			ob_put(&o, dec, declen);
			free(dec);
			break;
		default:
			ob_put(&o, u.p, u.len);
			break;
		}
		h->off[f] = ob_end(&o, start);
	}
	if (r->score.p != NULL) {
		u = unfold(r->score, tmp);
		if (av_score(u.p, u.len, &h->score) == -1)
			h->score = CELL_NONE;
	}
	free(tmp);
	h->buf = xreallocarray(o.p, o.len, 1);
}

enum quar_err
quar_parse_head(const char *buf, size_t len, struct quar_head *h)
{
	struct raw	 r;
	size_t		 hdrlen = 0, i, maxval = 0;

	memset(h, 0, sizeof(*h));
	memset(&r, 0, sizeof(r));
	h->score = CELL_NONE;
	if (len == 0)
		h->err = QE_EMPTY;
	else
		h->err = scan_fields(buf, len, &r, &hdrlen, &h->flags);
	h->hdrlen = (uint32_t)hdrlen;
	for (i = 0; i < QF_NFIELDS; i++)
		if (r.f[i].len > maxval)
			maxval = r.f[i].len;
	for (i = 0; i < r.nalerts; i++)
		if (r.alert[i].len > maxval)
			maxval = r.alert[i].len;
	if (r.score.len > maxval)
		maxval = r.score.len;
	build(h, &r, maxval);
	return h->err;
}

void
quar_head_free(struct quar_head *h)
{
	free(h->buf);
	h->buf = NULL;
}

const char *
quar_field(const struct quar_head *h, enum quar_field f)
{
	if (h->buf == NULL || f < 0 || f >= QF_NFIELDS)
		return "";
	return h->buf + h->off[f];
}

const char *
quar_list_next(const char *s)
{
	return s + strlen(s) + 1;
}
