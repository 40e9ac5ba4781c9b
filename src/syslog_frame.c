/*
 * The syslog framing of mail log lines: the time (BSD "Mmm dd HH:MM:SS" in
 * local time without a year, or RFC 3339), the host, the program, and the
 * joining of amavis lines that syslog got in pieces.  Also the un-vis(3) of
 * OpenBSD syslogd's "M-x" bytes.
 *
 * The hot path is a line of some other program: after the time's shape is
 * checked, one or two memchr find the program, and its name is compared by
 * length first.  The time is worked out only for the lines we keep, without
 * mktime(3) per line: days-from-civil arithmetic plus the UTC offset of the
 * local hour, cached.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "maillog.h"
#include "util.h"
#include "wallclock.h"

#define SPLIT_MIN	900	/* a first piece is 980 characters, "..." included */

int
ml_str_eq(struct ml_str s, const char *lit)
{
	size_t	 n = strlen(lit);

	return s.len == n && (n == 0 || memcmp(s.p, lit, n) == 0);
}

void *
ml_find(const void *hay, size_t hl, const void *needle, size_t nl)
{
	const char	*h = hay, *n = needle, *p;
	size_t		 i;

	if (nl == 0)
		return (void *)h;
	while (hl >= nl && (p = memchr(h, n[0], hl - nl + 1)) != NULL) {
		/* most tries fail at the second byte: no call for that */
		for (i = 1; i < nl && p[i] == n[i]; i++)
			;
		if (i == nl)
			return (void *)p;
		hl -= (size_t)(p + 1 - h);
		h = p + 1;
	}
	return NULL;
}

/* Howard Hinnant's days_from_civil. */
int64_t
ml_days_from_civil(int64_t y, int m, int d)
{
	int64_t		 era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

static int64_t
floor_div(int64_t a, int64_t b)
{
	return a / b - (a % b != 0 && (a < 0) != (b < 0));
}

static int64_t
local_secs(int64_t y, int mon, int d, int h, int mi, int s)
{
	return ml_days_from_civil(y, mon, d) * 86400 + h * 3600 + mi * 60 + s;
}

void
ml_clock_init(struct ml_clock *c, int64_t now)
{
	struct tm	 tm;
	time_t		 t = (time_t)now;

	memset(c, 0, sizeof(*c));
	c->stamp_time = CELL_NONE;	/* no stamp read yet */
	c->now = now;
	if (localtime_r(&t, &tm) == NULL && gmtime_r(&t, &tm) == NULL) {
		memset(&tm, 0, sizeof(tm));	/* a time out of range */
		tm.tm_year = 70;
		tm.tm_mday = 1;
	}
	c->year = tm.tm_year + 1900;
	c->now_local = local_secs(c->year, tm.tm_mon + 1, tm.tm_mday,
	    tm.tm_hour, tm.tm_min, tm.tm_sec);
	c->off = c->now_local - now;
	c->hour = floor_div(c->now_local, 3600);
}

int64_t
ml_clock_local(struct ml_clock *c, int y, int mon, int d, int h, int mi,
    int s)
{
	struct tm	 tm;
	int64_t		 l = local_secs(y, mon, d, h, mi, s), hr;
	time_t		 t;

	hr = floor_div(l, 3600);
	if (hr != c->hour) {
		/* DST moves on whole hours: ask once per hour */
		memset(&tm, 0, sizeof(tm));
		tm.tm_year = y - 1900;
		tm.tm_mon = mon - 1;
		tm.tm_mday = d;
		tm.tm_hour = h;
		tm.tm_isdst = -1;
		t = mktime(&tm);
		c->off = t == (time_t)-1 ? 0 : hr * 3600 - (int64_t)t;
		c->hour = hr;
	}
	return l - c->off;
}

static int
is_digit(int c)
{
	return c >= '0' && c <= '9';
}

static int
digit2(const char *p)
{
	unsigned	 a = (unsigned char)p[0] - '0', b = (unsigned char)p[1] - '0';

	if (a > 9 || b > 9)
		return -1;
	return (int)(a * 10 + b);
}

static int
month_of(const char *p)
{
	switch (((unsigned)(unsigned char)p[0] << 16) |
	    ((unsigned)(unsigned char)p[1] << 8) | (unsigned char)p[2]) {
	case 'J' << 16 | 'a' << 8 | 'n': return 1;
	case 'F' << 16 | 'e' << 8 | 'b': return 2;
	case 'M' << 16 | 'a' << 8 | 'r': return 3;
	case 'A' << 16 | 'p' << 8 | 'r': return 4;
	case 'M' << 16 | 'a' << 8 | 'y': return 5;
	case 'J' << 16 | 'u' << 8 | 'n': return 6;
	case 'J' << 16 | 'u' << 8 | 'l': return 7;
	case 'A' << 16 | 'u' << 8 | 'g': return 8;
	case 'S' << 16 | 'e' << 8 | 'p': return 9;
	case 'O' << 16 | 'c' << 8 | 't': return 10;
	case 'N' << 16 | 'o' << 8 | 'v': return 11;
	case 'D' << 16 | 'e' << 8 | 'c': return 12;
	}
	return 0;
}

static int
hms_ok(int h, int mi, int s)
{
	return h >= 0 && h <= 23 && mi >= 0 && mi <= 59 && s >= 0 && s <= 60;
}

/* "Mmm dd HH:MM:SS", the shape already checked; CELL_NONE if no date. */
static int64_t
bsd_time(struct ml_clock *c, const char *p)
{
	int	 mon, d, h, mi, s, y;

	/* a busy log has many lines a second */
	if (memcmp(p, c->stamp, 15) == 0)
		return c->stamp_time;
	mon = month_of(p);

	if (p[4] == ' ')
		d = is_digit(p[5]) ? p[5] - '0' : -1;
	else
		d = digit2(p + 4);
	h = digit2(p + 7);
	mi = digit2(p + 10);
	s = digit2(p + 13);
	if (mon == 0 || d < 1 || d > 31 || !hms_ok(h, mi, s))
		return CELL_NONE;
	y = c->year;
	if (local_secs(y, mon, d, h, mi, s) > c->now_local + 86400)
		y--;
	else if (mon == 1 &&
	    local_secs(y + 1, mon, d, h, mi, s) <= c->now_local + 86400)
		y++;
	memcpy(c->stamp, p, 15);
	c->stamp_time = ml_clock_local(c, y, mon, d, h, mi, s);
	return c->stamp_time;
}

/*
 * "YYYY-MM-DDTHH:MM:SS[.frac](Z|+HH:MM|+HHMM)" at *pp; *pp is left after
 * it.  CELL_NONE if it is not one.
 */
static int64_t
rfc3339_time(const char **pp, const char *end)
{
	const char	*p = *pp;
	int		 y1, y2, mon, d, h, mi, s, oh, om, sign;
	int64_t		 t;

	if (end - p < 20 || p[4] != '-' || p[7] != '-' ||
	    p[10] != 'T' || p[13] != ':' || p[16] != ':')
		return CELL_NONE;
	y1 = digit2(p);
	y2 = digit2(p + 2);
	mon = digit2(p + 5);
	d = digit2(p + 8);
	h = digit2(p + 11);
	mi = digit2(p + 14);
	s = digit2(p + 17);
	if (y1 < 0 || y2 < 0 || mon < 1 || mon > 12 || d < 1 || d > 31 ||
	    !hms_ok(h, mi, s))
		return CELL_NONE;
	p += 19;
	if (p < end && *p == '.') {
		for (p++; p < end && is_digit(*p); p++)
			;
	}
	if (p == end)
		return CELL_NONE;
	t = local_secs(y1 * 100 + y2, mon, d, h, mi, s);
	if (*p == 'Z' || *p == 'z')
		p++;
	else if (*p == '+' || *p == '-') {
		sign = *p == '-' ? -1 : 1;
		if (end - p < 5 || (oh = digit2(p + 1)) < 0)
			return CELL_NONE;
		p += 3;
		if (*p == ':')
			p++;
		if (end - p < 2 || (om = digit2(p)) < 0 || oh > 23 || om > 59)
			return CELL_NONE;
		p += 2;
		t -= sign * (oh * 3600 + om * 60);
	} else
		return CELL_NONE;
	*pp = p;
	return t;
}

static enum ml_prog
prog_kind(const char *p, size_t len)
{
	const char	*b;

	if (len > 0 && p[0] == '/') {		/* amavisd's $0 in its own file */
		for (b = p + len; b[-1] != '/'; b--)
			;
		len -= (size_t)(b - p);
		p = b;
	}
	switch (len) {
	case 5:
		if (memcmp(p, "smtpd", 5) == 0)
			return ML_SMTPD;
		if (memcmp(p, "spamd", 5) == 0)
			return ML_SPAMD;
		break;
	case 6:
		if (memcmp(p, "amavis", 6) == 0)
			return ML_AMAVIS;
		break;
	case 7:
		if (memcmp(p, "amavisd", 7) == 0)
			return ML_AMAVIS;
		break;
	case 11:
		if (memcmp(p, "amavisd-new", 11) == 0)
			return ML_AMAVIS;
		break;
	}
	return ML_OTHER;
}

/* "PROG[PID]:" or "PROG:" in [p, e), e on the ':'.  -1 if not one. */
static int
prog_pid(const char *p, const char *e, struct ml_frame *fr)
{
	const char	*b, *q;
	int64_t		 pid = 0;

	if (e > p && e[-1] == ']') {
		for (b = e - 1; b > p && b[-1] != '['; b--)
			;
		if (b == p || b == e - 1 || e - 1 - b > 10)
			return -1;
		for (q = b; q < e - 1; q++) {
			if (!is_digit(*q))
				return -1;
			pid = pid * 10 + (*q - '0');
		}
		fr->pid = pid;
		e = b - 1;
	}
	if (e == p)
		return -1;
	fr->prog.p = p;
	fr->prog.len = (size_t)(e - p);
	return 0;
}

int
ml_frame_parse(struct ml_clock *c, char *line, size_t len,
    struct ml_frame *fr)
{
	char		*p = line, *end = line + len, *q, *sp, *tok;
	const char	*ts;
	int		 rfc;

	fr->time = CELL_NONE;
	fr->host.p = fr->prog.p = line;
	fr->host.len = fr->prog.len = 0;
	fr->pid = -1;
	fr->kind = ML_OTHER;
	fr->flags = 0;
	fr->msg = line + len;
	fr->msglen = 0;

	if (p < end && *p == '<') {
		for (q = p + 1; q < end && q - p <= 4 &&
		    is_digit(*q); q++)
			;
		if (q == end || *q != '>' || q == p + 1)
			return -1;
		p = q + 1;
	}
	ts = p;
	if (end - p >= 16 && p[3] == ' ' && p[6] == ' ' && p[9] == ':' &&
	    p[12] == ':' && p[15] == ' ' && p[0] >= 'A' && p[0] <= 'Z') {
		rfc = 0;
		p += 16;
	} else if (end - p >= 21 && is_digit(p[0]) &&
	    p[4] == '-' && p[10] == 'T') {
		/* worked out below, for the lines kept */
		rfc = 1;
		if ((p = memchr(p + 19, ' ', (size_t)(end - p - 19))) == NULL)
			return -1;
		p++;
	} else
		return -1;

	/* [HOST ]PROG[PID]: -- a host never ends in ':' */
	tok = p;
	if ((sp = memchr(p, ' ', (size_t)(end - p))) == NULL)
		sp = end;
	if (sp == p || sp[-1] != ':') {
		fr->host.p = p;
		fr->host.len = (size_t)(sp - p);
		if (sp == end)
			return 0;
		tok = sp + 1;
		if ((sp = memchr(tok, ' ', (size_t)(end - tok))) == NULL)
			sp = end;
	}
	if (sp == tok || sp[-1] != ':' || prog_pid(tok, sp - 1, fr) == -1) {
		fr->pid = -1;
		fr->prog.p = tok;
		fr->prog.len = 0;
		fr->msg = tok;
		fr->msglen = (size_t)(end - tok);
		return 0;
	}
	if (sp < end)
		sp++;
	fr->msg = sp;
	fr->msglen = (size_t)(end - sp);
	if ((fr->kind = prog_kind(fr->prog.p, fr->prog.len)) == ML_OTHER)
		return 0;
	if (rfc) {
		fr->time = rfc3339_time(&ts, end);
		if (ts == end || *ts != ' ')
			fr->time = CELL_NONE;
		fr->flags |= ML_F_RFC3339;
	} else
		fr->time = bsd_time(c, ts);
	if (fr->time == CELL_NONE) {
		fr->kind = ML_OTHER;
		return -1;
	}
	return 0;
}

/*
 * The one function here that reads the clock: for logfollow, which asks
 * the time of a line to find where the history starts.
 */
time_t
ml_line_time(void *arg, const char *line, size_t len)
{
	struct ml_clock	 clk;
	struct ml_frame	 fr;
	char		 buf[256];

	(void)arg;
	/* a copy: framing may edit the line, and only its start matters */
	if (len >= sizeof(buf))
		len = sizeof(buf) - 1;
	memcpy(buf, line, len);
	buf[len] = '\0';
	ml_clock_init(&clk, (int64_t)wallclock_now());
	if (ml_frame_parse(&clk, buf, len, &fr) == -1 ||
	    fr.time == CELL_NONE)
		return -1;
	return (time_t)fr.time;
}

/* A vis(3) "M-x" or "M^x" at p: the byte, or -1. */
static int
vis_byte(const char *p, const char *end)
{
	unsigned char	 x;

	if (end - p < 3 || p[0] != 'M')
		return -1;
	x = (unsigned char)p[2];
	if (p[1] == '-')
		return x >= 0x20 && x <= 0x7e ? 0x80 | x : -1;
	if (p[1] == '^') {
		if (x == '?')
			return 0xff;
		return x >= '@' && x <= '_' ? 0x80 | (x - '@') : -1;
	}
	return -1;
}

/*
 * The bytes of one UTF-8 character spelled in vis at p, in out; their
 * count, or 0 when the sequence is not valid UTF-8.
 */
static size_t
vis_utf8(const char *p, const char *end, unsigned char out[4])
{
	int		 b;
	size_t		 n, i;
	unsigned char	 lo = 0x80, hi = 0xbf;

	if ((b = vis_byte(p, end)) == -1)
		return 0;
	if (b >= 0xc2 && b <= 0xdf)
		n = 2;
	else if (b >= 0xe0 && b <= 0xef) {
		n = 3;
		if (b == 0xe0)
			lo = 0xa0;
		else if (b == 0xed)
			hi = 0x9f;
	} else if (b >= 0xf0 && b <= 0xf4) {
		n = 4;
		if (b == 0xf0)
			lo = 0x90;
		else if (b == 0xf4)
			hi = 0x8f;
	} else
		return 0;
	out[0] = (unsigned char)b;
	for (i = 1; i < n; i++) {
		if ((b = vis_byte(p + 3 * i, end)) == -1 || b < lo || b > hi)
			return 0;
		out[i] = (unsigned char)b;
		lo = 0x80;
		hi = 0xbf;
	}
	return n;
}

size_t
ml_unvis(char *s, size_t len)
{
	const char	*end = s + len, *r = s;
	char		*w = NULL, *m;
	unsigned char	 u[4];
	size_t		 n;

	while ((m = memchr(r, 'M', (size_t)(end - r))) != NULL) {
		if ((n = vis_utf8(m, end, u)) == 0) {
			if (w != NULL) {
				memmove(w, r, (size_t)(m + 1 - r));
				w += m + 1 - r;
			}
			r = m + 1;
			continue;
		}
		if (w == NULL)
			w = m;
		else {
			memmove(w, r, (size_t)(m - r));
			w += m - r;
		}
		memcpy(w, u, n);
		w += n;
		r = m + 3 * n;
	}
	if (w == NULL)
		return len;
	memmove(w, r, (size_t)(end - r));
	w += end - r;
	return (size_t)(w - s);
}

/* The joiner of split amavis lines. */

enum { SLOT_FREE, SLOT_WAIT, SLOT_OUT };

struct join_slot {
	char		*buf;		/* host, prog, then the message */
	size_t		 cap;
	size_t		 len;
	size_t		 hostlen;
	size_t		 proglen;
	size_t		 idlen;		/* "(LOGID) " at the message's start */
	int64_t		 pid;
	int64_t		 time;
	size_t		 seq;		/* the push that last fed it */
	enum ml_prog	 kind;
	unsigned	 flags;
	int		 state;
};

struct ml_join {
	/* one more than may wait: a push can always start a new piece */
	struct join_slot	 slot[ML_JOIN_SLOTS + 1];
	size_t			 nwait;
	size_t			 seq;
	struct ml_frame		 out[ML_JOIN_SLOTS + 2];
	size_t			 nout;
	size_t			 iout;
	struct ml_join_stats	 st;
};

struct ml_join *
ml_join_new(void)
{
	return xcalloc(1, sizeof(struct ml_join));
}

void
ml_join_free(struct ml_join *j)
{
	size_t	 i;

	if (j == NULL)
		return;
	for (i = 0; i < nitems(j->slot); i++)
		free(j->slot[i].buf);
	free(j);
}

const struct ml_join_stats *
ml_join_stats(const struct ml_join *j)
{
	return &j->st;
}

/* The length of "(LOGID) " at the start of m, or 0. */
static size_t
logid_prefix(const char *m, size_t n)
{
	const char	*e;
	size_t		 lim = n < 66 ? n : 66;

	if (n < 4 || m[0] != '(' || m[1] == '!')
		return 0;
	if ((e = memchr(m + 1, ')', lim - 1)) == NULL || e == m + 1 ||
	    (size_t)(e - m) + 1 >= n || e[1] != ' ')
		return 0;
	return (size_t)(e - m) + 2;
}

/* Where the text of a continuation starts: after "(LOGID) [(!)]...". */
static size_t
cont_start(const char *m, size_t n, size_t idlen)
{
	size_t	 i = idlen;

	if (n - i >= 3 && memcmp(m + i, "(!)", 3) == 0)
		i += 3;
	else if (n - i >= 4 && memcmp(m + i, "(!!)", 4) == 0)
		i += 4;
	if (n - i >= 3 && memcmp(m + i, "...", 3) == 0)
		return i + 3;
	return 0;
}

static int
is_first_piece(const char *m, size_t n)
{
	return n >= SPLIT_MIN && memcmp(m + n - 3, "...", 3) == 0;
}

static void
emit(struct ml_join *j, struct join_slot *s, unsigned flags)
{
	struct ml_frame	*fr = &j->out[j->nout++];

	fr->time = s->time;
	fr->host.p = s->buf;
	fr->host.len = s->hostlen;
	fr->prog.p = s->buf + s->hostlen;
	fr->prog.len = s->proglen;
	fr->pid = s->pid;
	fr->kind = s->kind;
	fr->msg = s->buf + s->hostlen + s->proglen;
	fr->msglen = s->len - s->hostlen - s->proglen;
	fr->flags = s->flags | flags;
	if (fr->flags & ML_F_TRUNCATED)
		j->st.truncated++;
	else
		j->st.joined++;
	s->state = SLOT_OUT;
	j->nwait--;
}

/* Append to a slot; 0, or -1 when it would pass ML_JOIN_MAX (cut there). */
static int
slot_add(struct join_slot *s, const char *p, size_t n)
{
	size_t	 cap;
	int	 r = 0;

	if (n == 0)
		return 0;
	if (n > ML_JOIN_MAX - s->len) {
		n = ML_JOIN_MAX - s->len;
		r = -1;
	}
	if (s->len + n > s->cap) {
		for (cap = s->cap ? s->cap : 2048; cap < s->len + n; cap *= 2)
			;
		s->buf = xreallocarray(s->buf, 1, cap);
		s->cap = cap;
	}
	memcpy(s->buf + s->len, p, n);
	s->len += n;
	return r;
}

/*
 * Waiting pieces with a time before the given one, or that waited more
 * than maxage pushes, go out alone, oldest first.
 */
static void
emit_old(struct ml_join *j, int64_t before, size_t maxage)
{
	struct join_slot	*s, *old;
	size_t			 i;

	for (;;) {
		old = NULL;
		for (i = 0; i < nitems(j->slot); i++) {
			s = &j->slot[i];
			if (s->state != SLOT_WAIT ||
			    (s->time >= before && j->seq - s->seq <= maxage))
				continue;
			if (old == NULL || s->seq < old->seq)
				old = s;
		}
		if (old == NULL)
			return;
		emit(j, old, ML_F_TRUNCATED);
	}
}

static void
reclaim(struct ml_join *j)
{
	size_t	 i;

	for (i = 0; i < nitems(j->slot); i++)
		if (j->slot[i].state == SLOT_OUT)
			j->slot[i].state = SLOT_FREE;
	j->nout = j->iout = 0;
}

static void
start_piece(struct ml_join *j, const struct ml_frame *fr, size_t idlen)
{
	struct join_slot	*s = NULL, *old = NULL;
	size_t			 i;

	if (j->nwait == ML_JOIN_SLOTS) {
		for (i = 0; i < nitems(j->slot); i++)
			if (j->slot[i].state == SLOT_WAIT &&
			    (old == NULL || j->slot[i].seq < old->seq))
				old = &j->slot[i];
		emit(j, old, ML_F_TRUNCATED);
	}
	for (i = 0; i < nitems(j->slot) && s == NULL; i++)
		if (j->slot[i].state == SLOT_FREE)
			s = &j->slot[i];
	s->len = 0;
	slot_add(s, fr->host.p, fr->host.len);
	slot_add(s, fr->prog.p, fr->prog.len);
	s->hostlen = fr->host.len;
	s->proglen = fr->prog.len;
	s->idlen = idlen;
	s->pid = fr->pid;
	s->time = fr->time;
	s->seq = j->seq;
	s->kind = fr->kind;
	s->flags = fr->flags & ~(unsigned)ML_F_TRUNCATED;
	s->state = SLOT_WAIT;
	j->nwait++;
	if (slot_add(s, fr->msg, fr->msglen - 3) == -1)
		emit(j, s, ML_F_TRUNCATED);
}

void
ml_join_push(struct ml_join *j, const struct ml_frame *fr)
{
	struct join_slot	*s = NULL;
	const char		*m = fr->msg, *sm;
	size_t			 n = fr->msglen, idlen, cs, i;
	int			 first;

	reclaim(j);
	j->seq++;
	if (j->nwait > 0)
		emit_old(j, INT64_MIN, ML_JOIN_AGE);
	idlen = logid_prefix(m, n);
	cs = cont_start(m, n, idlen);
	first = is_first_piece(m, n);

	for (i = 0; j->nwait > 0 && i < nitems(j->slot); i++) {
		s = &j->slot[i];
		if (s->state == SLOT_WAIT && s->pid == fr->pid &&
		    s->hostlen == fr->host.len &&
		    memcmp(s->buf, fr->host.p, s->hostlen) == 0)
			break;
		s = NULL;
	}
	if (s != NULL) {
		sm = s->buf + s->hostlen + s->proglen;
		if (cs > 0 && idlen == s->idlen && memcmp(m, sm, idlen) == 0) {
			s->flags |= ML_F_JOINED;
			s->seq = j->seq;
			if (first) {
				if (slot_add(s, m + cs, n - cs - 3) == 0)
					return;
			} else if (slot_add(s, m + cs, n - cs) == 0) {
				emit(j, s, 0);
				return;
			}
			emit(j, s, ML_F_TRUNCATED);
			return;
		}
		emit(j, s, ML_F_TRUNCATED);
	}
	if (cs > 0) {
		j->st.headless++;
		j->out[j->nout] = *fr;
		j->out[j->nout++].flags |= ML_F_HEADLESS;
		return;
	}
	if (first) {
		start_piece(j, fr, idlen);
		return;
	}
	j->out[j->nout++] = *fr;
}

void
ml_join_flush(struct ml_join *j, int64_t before)
{
	reclaim(j);
	if (j->nwait > 0)
		emit_old(j, before, SIZE_MAX);
}

int
ml_join_next(struct ml_join *j, struct ml_frame *fr)
{
	if (j->iout == j->nout)
		return 0;
	*fr = j->out[j->iout++];
	return 1;
}
