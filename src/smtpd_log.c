/*
 * OpenSMTPD's log lines, as far as the verdicts pane joins them with
 * amavis: "SESSID smtp|mta|mda EVENT key=value ...".  The values are not
 * escaped (a client's RCPT TO can hold '"' and "> to=<"), so each event is
 * taken by its fixed key order: a value ends at the first text of the key
 * after it, and the last one runs to the end of the line.
 */
#include "config.h"

#include <string.h>

#include "maillog.h"

static int
is_digit(int c)
{
	return c >= '0' && c <= '9';
}

/* A hex digit's value plus one; 0 for anything else. */
static const unsigned char hexval[256] = {
	['0'] = 1, ['1'] = 2, ['2'] = 3, ['3'] = 4, ['4'] = 5, ['5'] = 6,
	['6'] = 7, ['7'] = 8, ['8'] = 9, ['9'] = 10,
	['a'] = 11, ['b'] = 12, ['c'] = 13, ['d'] = 14, ['e'] = 15, ['f'] = 16,
	['A'] = 11, ['B'] = 12, ['C'] = 13, ['D'] = 14, ['E'] = 15, ['F'] = 16,
};

int
ml_hex64(const char *p, size_t n, uint64_t *out)
{
	uint64_t	 v = 0;
	unsigned	 d;
	size_t		 i;

	if (n == 0 || n > 16)
		return -1;
	for (i = 0; i < n; i++) {
		if ((d = hexval[(unsigned char)p[i]]) == 0)
			return -1;
		v = v << 4 | (d - 1);
	}
	*out = v;
	return 0;
}

static void
set(struct ml_str *s, const char *p, const char *e)
{
	s->p = p;
	s->len = e > p ? (size_t)(e - p) : 0;
}

/*
 * At *pp, key; its value runs to the first term after it (NULL: to the
 * end), where *pp is left.  -1 when either is missing.
 */
static int
take(const char **pp, const char *end, const char *key, const char *term,
    struct ml_str *v)
{
	const char	*p = *pp, *e;
	size_t		 kl = strlen(key);

	if ((size_t)(end - p) < kl || memcmp(p, key, kl) != 0)
		return -1;
	p += kl;
	if (term == NULL)
		e = end;
	else if ((e = ml_find(p, (size_t)(end - p), term, strlen(term))) ==
	    NULL)
		return -1;
	set(v, p, e);
	*pp = e;
	return 0;
}

static int
num(struct ml_str s, int64_t *out)
{
	int64_t		 v = 0;
	size_t		 i;

	if (s.len == 0 || s.len > 18)
		return -1;
	for (i = 0; i < s.len; i++) {
		if (!is_digit(s.p[i]))
			return -1;
		v = v * 10 + (s.p[i] - '0');
	}
	*out = v;
	return 0;
}

/* OpenSMTPD's duration_to_text(): [-][Nd][Nh][Nm][Ns], "0s". */
static int
duration(struct ml_str s, int64_t *out)
{
	const char	*p = s.p, *end = p + s.len;
	int64_t		 v = 0, n, mult;
	int		 neg = 0, digits;

	if (p < end && *p == '-') {
		neg = 1;
		p++;
	}
	if (p == end)
		return -1;
	while (p < end) {
		for (n = 0, digits = 0; p < end &&
		    is_digit(*p); p++) {
			if (++digits > 12)
				return -1;
			n = n * 10 + (*p - '0');
		}
		if (digits == 0 || p == end)
			return -1;
		switch (*p++) {
		case 'd': mult = 86400; break;
		case 'h': mult = 3600; break;
		case 'm': mult = 60; break;
		case 's': mult = 1; break;
		default: return -1;
		}
		v += n * mult;
	}
	*out = neg ? -v : v;
	return 0;
}

static int
evpid(struct smtpd_line *sl, struct ml_str s)
{
	if (ml_hex64(s.p, s.len, &sl->evpid) == -1 || s.len != 16)
		return -1;
	sl->msgid = (uint32_t)(sl->evpid >> 32);
	return 0;
}

/* A value in "..." all along, without them. */
static struct ml_str
unquote(struct ml_str s)
{
	if (s.len >= 2 && s.p[0] == '"' && s.p[s.len - 1] == '"') {
		s.p++;
		s.len -= 2;
	}
	return s;
}

static enum smtpd_result
result_of(struct ml_str s)
{
	if (ml_str_eq(s, "Ok"))
		return SR_OK;
	if (ml_str_eq(s, "TempFail"))
		return SR_TEMPFAIL;
	if (ml_str_eq(s, "PermFail"))
		return SR_PERMFAIL;
	return SR_OTHER;
}

/*
 * What the next hop said: a content filter's "250 2.0.0 from
 * MTA(smtp:[127.0.0.1]:10025): 250 2.0.0 MSGID ..." (amavis relaying our
 * re-injection's reply), any "250 2.0.0 ID ...", and amavis' own
 * "..., id=LOGID ..." for mail it kept.
 */
static void
stat_ids(struct smtpd_line *sl)
{
	const char	*p = sl->stat.p, *end = p + sl->stat.len, *q, *e;
	struct ml_str	 reply = sl->stat;

	if ((q = ml_find(p, sl->stat.len, "from MTA(", 9)) != NULL &&
	    (e = ml_find(q, (size_t)(end - q), "): ", 3)) != NULL) {
		sl->flags |= SE_F_FILTERED;
		set(&reply, e + 3, end);
	}
	ml_reply_queue_id(reply, &sl->queued);
	for (q = p; (q = ml_find(q, (size_t)(end - q), "id=", 3)) != NULL;
	    q += 3) {
		if (q > p && q[-1] != ' ')
			continue;
		for (e = q + 3; e < end && *e != ' ' && *e != ','; e++)
			;
		if (e > q + 3) {
			set(&sl->amavis_id, q + 3, e);
			break;
		}
	}
}

/* "address=ADDR host=NAME": smtp connected, mta connecting. */
static int
address_host(struct smtpd_line *sl, const char *p, const char *end)
{
	if (take(&p, end, "address=", " host=", &sl->address) == -1 ||
	    take(&p, end, " host=", NULL, &sl->host) == -1)
		return SE_BAD;
	return sl->type;
}

static int
smtp_event(struct smtpd_line *sl, const char *ev, size_t evlen,
    const char *p, const char *end)
{
	struct ml_str	 v;
	const char	*q, *last;

	switch (evlen) {
	case 7:
		if (memcmp(ev, "message", 7) != 0)
			break;
		sl->type = SE_SMTP_MESSAGE;
		if (take(&p, end, "msgid=", " size=", &v) == -1 ||
		    v.len != 8 || ml_hex64(v.p, v.len, &sl->evpid) == -1)
			return SE_BAD;
		sl->msgid = (uint32_t)sl->evpid;
		sl->evpid = 0;
		if (take(&p, end, " size=", " nrcpt=", &v) == -1 ||
		    num(v, &sl->size) == -1 ||
		    take(&p, end, " nrcpt=", " proto=", &v) == -1 ||
		    num(v, &sl->count) == -1 ||
		    take(&p, end, " proto=", NULL, &sl->proto) == -1)
			return SE_BAD;
		return sl->type;
	case 8:
		if (memcmp(ev, "envelope", 8) != 0)
			break;
		sl->type = SE_SMTP_ENVELOPE;
		if (take(&p, end, "evpid=", " from=<", &v) == -1 ||
		    evpid(sl, v) == -1 ||
		    take(&p, end, " from=<", "> to=<", &sl->from) == -1 ||
		    take(&p, end, "> to=<", NULL, &sl->to) == -1 ||
		    sl->to.len == 0 || sl->to.p[sl->to.len - 1] != '>')
			return SE_BAD;
		sl->to.len--;
		return sl->type;
	case 9:
		if (memcmp(ev, "connected", 9) != 0)
			break;
		sl->type = SE_SMTP_CONNECTED;
		return address_host(sl, p, end);
	case 12:
		if (memcmp(ev, "disconnected", 12) != 0)
			break;
		sl->type = SE_SMTP_DISCONNECTED;
		if (take(&p, end, "reason=", NULL, &v) == -1)
			return SE_BAD;
		sl->reason = unquote(v);
		return sl->type;
	case 14:
		if (memcmp(ev, "failed-command", 14) != 0)
			break;
		sl->type = SE_SMTP_FAILED;
		/* the command is the client's: its reply is the last result= */
		if (take(&p, end, "command=\"", NULL, &v) == -1)
			return SE_BAD;
		for (last = NULL, q = v.p; (q = ml_find(q, (size_t)(end - q),
		    "\" result=\"", 10)) != NULL; q++)
			last = q;
		if (last == NULL || last + 10 > end - 1 || end[-1] != '"')
			return SE_BAD;
		set(&sl->command, v.p, last);
		set(&sl->result_text, last + 10, end - 1);
		sl->result = SR_OTHER;
		return sl->type;
	}
	return SE_OTHER;
}

static int
mta_event(struct smtpd_line *sl, const char *ev, size_t evlen,
    const char *p, const char *end)
{
	struct ml_str	 v, m;

	switch (evlen) {
	case 5:
		if (memcmp(ev, "error", 5) != 0)
			break;
		sl->type = SE_MTA_ERROR;
		if (take(&p, end, "reason=", NULL, &sl->reason) == -1)
			return SE_BAD;
		return sl->type;
	case 8:
		if (memcmp(ev, "delivery", 8) != 0)
			break;
		sl->type = SE_MTA_DELIVERY;
		if (take(&p, end, "evpid=", " from=<", &v) == -1 ||
		    evpid(sl, v) == -1 ||
		    take(&p, end, " from=<", "> to=<", &sl->from) == -1 ||
		    take(&p, end, "> to=<", "> rcpt=<", &sl->to) == -1 ||
		    take(&p, end, "> rcpt=<", "> source=\"", &sl->rcpt) == -1 ||
		    take(&p, end, "> source=\"", "\" relay=\"", &sl->source) ==
		    -1 ||
		    take(&p, end, "\" relay=\"", "\" delay=", &sl->relay) ==
		    -1 ||
		    take(&p, end, "\" delay=", " result=\"", &v) == -1 ||
		    duration(v, &sl->delay) == -1 ||
		    take(&p, end, " result=\"", "\" stat=\"", &sl->result_text)
		    == -1 ||
		    take(&p, end, "\" stat=\"", NULL, &sl->stat) == -1 ||
		    sl->stat.len == 0 || end[-1] != '"')
			return SE_BAD;
		sl->stat.len--;
		sl->result = result_of(sl->result_text);
		stat_ids(sl);
		return sl->type;
	case 10:
		if (memcmp(ev, "connecting", 10) != 0)
			break;
		sl->type = SE_MTA_CONNECTING;
		return address_host(sl, p, end);
	case 12:
		if (memcmp(ev, "disconnected", 12) != 0)
			break;
		sl->type = SE_MTA_DISCONNECTED;
		if (take(&p, end, "reason=", " messages=", &v) == -1 ||
		    take(&p, end, " messages=", NULL, &m) == -1 ||
		    num(m, &sl->count) == -1)
			return SE_BAD;
		sl->reason = unquote(v);
		return sl->type;
	}
	return SE_OTHER;
}

/*
 * mta_error() of a session that had sent mail: "smtp-out: Error on session
 * %016llx after %zu message(s) sent: REASON".
 */
static int
smtp_out_error(struct smtpd_line *sl, const char *p, const char *end)
{
	const char	*r;

	sl->type = SE_MTA_ERROR;
	if (end - p < 17 || p[16] != ' ' || ml_hex64(p, 16, &sl->session) ==
	    -1 || (r = ml_find(p, (size_t)(end - p), " sent: ", 7)) == NULL)
		return SE_BAD;
	set(&sl->reason, r + 7, end);
	return sl->type;
}

static int
mda_event(struct smtpd_line *sl, const char *ev, size_t evlen,
    const char *p, const char *end)
{
	struct ml_str	 v, to;
	const char	*r;

	if (evlen != 8 || memcmp(ev, "delivery", 8) != 0)
		return SE_OTHER;
	sl->type = SE_MDA_DELIVERY;
	if (take(&p, end, "evpid=", " from=<", &v) == -1 ||
	    evpid(sl, v) == -1 ||
	    take(&p, end, " from=<", "> to=<", &sl->from) == -1 ||
	    take(&p, end, "> to=<", "> user=", &to) == -1)
		return SE_BAD;
	if ((r = ml_find(to.p, to.len, "> rcpt=<", 8)) != NULL) {
		set(&sl->to, to.p, r);
		set(&sl->rcpt, r + 8, to.p + to.len);
	} else
		sl->to = to;
	if (take(&p, end, "> user=", " delay=", &sl->user) == -1 ||
	    take(&p, end, " delay=", " result=", &v) == -1 ||
	    duration(v, &sl->delay) == -1 ||
	    take(&p, end, " result=", " stat=", &sl->result_text) == -1 ||
	    take(&p, end, " stat=", NULL, &sl->stat) == -1)
		return SE_BAD;
	sl->result = result_of(sl->result_text);
	return sl->type;
}

int
smtpd_parse_line(struct smtpd_line *sl, struct ml_frame *fr)
{
	struct ml_str	*str[] = { &sl->address, &sl->host, &sl->from,
	    &sl->to, &sl->rcpt, &sl->source, &sl->relay, &sl->user,
	    &sl->result_text, &sl->stat, &sl->command, &sl->reason,
	    &sl->proto, &sl->queued, &sl->amavis_id };
	char		*s = fr->msg;
	const char	*end = s + fr->msglen, *ev, *eve, *p;
	size_t		 n, i;
	int		 r;

	memset(sl, 0, sizeof(*sl));
	for (i = 0; i < sizeof(str) / sizeof(str[0]); i++)
		str[i]->p = "";
	sl->time = fr->time;
	sl->delay = sl->size = sl->count = CELL_NONE;
	sl->type = SE_OTHER;
	if (fr->msglen > 44 && memcmp(s, "smtp-out: Error on session ", 27) ==
	    0) {
		r = smtp_out_error(sl, s + 27, end);
		sl->type = r;
		return r;
	}
	/* "%016llx " then "smtp ", "mta " or "mda " */
	if (fr->msglen < 22 || s[16] != ' ' ||
	    ml_hex64(s, 16, &sl->session) == -1)
		return SE_OTHER;
	if (memcmp(s + 17, "smtp ", 5) == 0)
		ev = s + 22;
	else if (memcmp(s + 17, "mta ", 4) == 0 || memcmp(s + 17, "mda ", 4) ==
	    0)
		ev = s + 21;
	else
		return SE_OTHER;
	if ((eve = memchr(ev, ' ', (size_t)(end - ev))) == NULL)
		eve = end;
	p = eve < end ? eve + 1 : eve;
	switch (s[18]) {
	case 'm':			/* smtp */
		r = smtp_event(sl, ev, (size_t)(eve - ev), p, end);
		break;
	case 't':			/* mta */
		r = mta_event(sl, ev, (size_t)(eve - ev), p, end);
		break;
	default:			/* mda */
		r = mda_event(sl, ev, (size_t)(eve - ev), p, end);
		break;
	}
	if (r <= SE_OTHER) {
		sl->type = r;
		return r;
	}
	/* 8-bit addresses, vis(3)-encoded by OpenBSD's syslogd */
	if (memchr(s, 'M', fr->msglen) != NULL &&
	    (n = ml_unvis(s, fr->msglen)) != fr->msglen) {
		fr->msglen = n;
		return smtpd_parse_line(sl, fr);
	}
	return r;
}
