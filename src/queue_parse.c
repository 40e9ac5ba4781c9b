/*
 * Parsers of "smtpctl show queue" and "smtpctl show status".
 *
 * A show queue line is evpid|family|type|flags|sender|rcpt|dest|ctime|expire|
 * lasttry|retry|runstate|delay|error.  Local parts may hold '|' and the error
 * is not escaped for '|', so it cannot be split on '|': a local part never
 * holds '@' and a domain never holds '|', so each address ends at the first
 * '|' after its first '@', and the error is whatever follows the 13th field.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "queue.h"

static int
is_lhex(const char *s, size_t len)
{
	size_t	 i;

	for (i = 0; i < len; i++)
		if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
			return 0;
	return 1;
}

static int
is_word(const char *s, int commas)
{
	if (*s == '\0')
		return commas;		/* flags may be empty, others not */
	for (; *s != '\0'; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') ||
		    *s == '?' || (commas && *s == ',')))
			return 0;
	return 1;
}

/* Decimal number, optionally negative; -1 when it is not one. */
static int
parse_num(const char *s, int neg_ok, int64_t *out)
{
	int64_t	 v = 0;
	int	 neg = 0;

	if (neg_ok && *s == '-') {
		neg = 1;
		s++;
	}
	if (*s == '\0')
		return -1;
	for (; *s != '\0'; s++) {
		if (*s < '0' || *s > '9')
			return -1;
		if (v > (INT64_MAX - (*s - '0')) / 10)
			return -1;
		v = v * 10 + (*s - '0');
	}
	*out = neg ? -v : v;
	return 0;
}

/* Cut the next '|'-terminated field at *p; NULL when there is none. */
static char *
cut(char **p, char *end)
{
	char	*s = *p, *bar;

	if ((bar = memchr(s, '|', end - s)) == NULL)
		return NULL;
	*bar = '\0';
	*p = bar + 1;
	return s;
}

/* user@domain, where user may hold '|' and domain ends at the next '|'. */
static char *
cut_address(char **p, char *end)
{
	char	*s = *p, *at;

	if ((at = memchr(s, '@', end - s)) == NULL)
		return NULL;
	*p = at + 1;
	if (cut(p, end) == NULL)
		return NULL;
	if (s[0] == '@' && s[1] == '\0')
		return "<>";
	return s;
}

/* Known words point to constants: no copy per row. */
static const char *
intern(struct rowset *rs, const char *s)
{
	static const char *const words[] = {
		"", "mta", "mda", "bounce", "inet4", "inet6", "local", "auth",
		"pending", "inflight", "offline", "invalid", "hold", "suspend",
	};
	size_t	 i;

	for (i = 0; i < sizeof(words) / sizeof(words[0]); i++)
		if (strcmp(s, words[i]) == 0)
			return words[i];
	return arena_strndup(&rs->arena, s, strlen(s));
}

static const char *
keep(struct rowset *rs, const char *s)
{
	return arena_strndup(&rs->arena, s, strlen(s));
}

int
queue_parse_line(struct rowset *rs, const char *line, size_t len)
{
	static char	*buf;
	static size_t	 bufsize;
	struct row	*row;
	union cell	*c;
	char		*p, *end, *f[7], *fld[7];
	int64_t		 ctime, expire, lasttry, retry, delay;
	size_t		 i;

	if (len == 0)
		return 0;
	if (memchr(line, '\0', len) != NULL || len < 17 || line[16] != '|' ||
	    !is_lhex(line, 16))
		goto bad;

	/* cut the fields in a scratch copy; rows keep only what they show */
	if (len + 1 > bufsize) {
		bufsize = len + 1 > 4096 ? len + 1 : 4096;
		free(buf);
		buf = xmalloc(bufsize);
	}
	memcpy(buf, line, len);
	buf[len] = '\0';
	end = buf + len;
	p = buf;

	/* evpid, family, type, flags, sender, rcpt, dest */
	for (i = 0; i < 4; i++)
		if ((fld[i] = cut(&p, end)) == NULL)
			goto bad;
	for (; i < 7; i++)
		if ((fld[i] = cut_address(&p, end)) == NULL)
			goto bad;
	for (i = 0; i < 6; i++)
		if ((f[i] = cut(&p, end)) == NULL)
			goto bad;
	f[6] = p;			/* the error: the rest, '|' and all */

	if (!is_word(fld[1], 0) || !is_word(fld[2], 0) || !is_word(fld[3], 1))
		goto bad;
	if (parse_num(f[0], 0, &ctime) == -1 ||
	    parse_num(f[1], 0, &expire) == -1 ||
	    parse_num(f[2], 0, &lasttry) == -1 ||
	    parse_num(f[3], 0, &retry) == -1)
		goto bad;
	if (strcmp(f[4], "pending") == 0 || strcmp(f[4], "inflight") == 0) {
		if (parse_num(f[5], 1, &delay) == -1)
			goto bad;
	} else if (strcmp(f[4], "offline") == 0 ||
	    strcmp(f[4], "invalid") == 0) {
		if (*f[5] != '\0')
			goto bad;
		delay = CELL_NONE;
	} else
		goto bad;

	row = rowset_add(rs, Q_NCELLS);
	c = row->cells;
	c[Q_EVPID].s = keep(rs, fld[0]);
	c[Q_MSGID].s = arena_strndup(&rs->arena, fld[0], 8);
	c[Q_FAMILY].s = intern(rs, fld[1]);
	c[Q_TYPE].s = intern(rs, fld[2]);
	c[Q_FLAGS].s = intern(rs, fld[3]);
	c[Q_SENDER].s = strcmp(fld[4], "<>") == 0 ? "<>" : keep(rs, fld[4]);
	c[Q_RCPT].s = keep(rs, fld[5]);
	/* dest is rcpt unless an alias or virtual table rewrote it */
	c[Q_DEST].s = strcmp(fld[5], fld[6]) == 0 ? c[Q_RCPT].s :
	    keep(rs, fld[6]);
	c[Q_STATE].s = intern(rs, f[4]);
	c[Q_CTIME].i = ctime;
	c[Q_EXPIRE].i = expire;
	c[Q_LASTTRY].i = lasttry;
	c[Q_TRIES].i = retry;
	c[Q_DELAY].i = delay;
	c[Q_NEXT].i = strstr(fld[3], "suspend") != NULL ||
	    strstr(fld[3], "hold") != NULL ? CELL_NONE : delay;
	c[Q_ERROR].s = f[6][0] == '\0' ? "" : keep(rs, f[6]);
	row->key = c[Q_EVPID].s;
	return 0;

bad:
	rs->nbad++;
	return -1;
}

static int
cmp_ctime_evpid(const void *a, const void *b)
{
	const struct row	*ra = *(const struct row * const *)a;
	const struct row	*rb = *(const struct row * const *)b;

	if (ra->cells[Q_CTIME].i != rb->cells[Q_CTIME].i)
		return ra->cells[Q_CTIME].i < rb->cells[Q_CTIME].i ? -1 : 1;
	return strcmp(ra->key, rb->key);
}

void
queue_sort(struct rowset *rs)
{
	if (rs->nrows > 1)
		qsort(rs->rows, rs->nrows, sizeof(rs->rows[0]), cmp_ctime_evpid);
}

int
status_parse_line(struct smtpd_status *st, const char *line, size_t len)
{
	enum smtpd_state	*which, state;
	const char		*sp;

	if ((sp = memchr(line, ' ', len)) == NULL)
		return -1;
	if (sp - line == 3 && memcmp(line, "MDA", 3) == 0)
		which = &st->mda;
	else if (sp - line == 3 && memcmp(line, "MTA", 3) == 0)
		which = &st->mta;
	else if (sp - line == 4 && memcmp(line, "SMTP", 4) == 0)
		which = &st->smtp;
	else
		return -1;
	len -= sp + 1 - line;
	sp++;
	if (len == 7 && memcmp(sp, "running", 7) == 0)
		state = SMTPD_RUNNING;
	else if (len == 6 && memcmp(sp, "paused", 6) == 0)
		state = SMTPD_PAUSED;
	else
		return -1;
	*which = state;
	return 0;
}

static int
has_flag(const char *flags, const char *flag)
{
	size_t	 n = strlen(flag);

	while (*flags != '\0') {
		if (strncmp(flags, flag, n) == 0 &&
		    (flags[n] == ',' || flags[n] == '\0'))
			return 1;
		if ((flags = strchr(flags, ',')) == NULL)
			break;
		flags++;
	}
	return 0;
}

void
queue_count(const struct rowset *rs, struct queue_counts *qc)
{
	const union cell	*c;
	size_t			 i;

	memset(qc, 0, sizeof(*qc));
	if (rs == NULL)
		return;
	for (i = 0; i < rs->nrows; i++) {
		c = rs->rows[i]->cells;
		qc->total++;
		switch (c[Q_STATE].s[0]) {
		case 'p':
			qc->pending++;
			break;
		case 'i':
			if (c[Q_STATE].s[2] == 'f')
				qc->inflight++;
			else
				qc->invalid++;
			break;
		case 'o':
			qc->offline++;
			break;
		}
		if (c[Q_FLAGS].s[0] != '\0') {
			qc->hold += has_flag(c[Q_FLAGS].s, "hold");
			qc->suspend += has_flag(c[Q_FLAGS].s, "suspend");
		}
		if (strcmp(c[Q_TYPE].s, "bounce") == 0)
			qc->bounce++;
		if (i == 0 || c[Q_CTIME].i < qc->oldest)
			qc->oldest = c[Q_CTIME].i;
	}
}
