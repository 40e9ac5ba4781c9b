/*
 * maillog_gen: a big mail log for bench/maillog.sh, made from the captured
 * lines of a fixture in BSD syslog framing.
 *
 *   maillog_gen FIXTURE MB NOW SPAN >FILE
 *
 * The fixture's amavis verdict lines (the message's line and its
 * per-recipient ones) and its smtpd lines are the templates.  The output
 * is made of blocks of 92 amavis and 276 smtpd lines, one line in four an
 * amavis one: every smtpd template once, the amavis ones once and then
 * from the first again.  In each block the ids (log ids, mail_ids, smtpd
 * session ids, msgids, evpids, Message-IDs), client IPs, senders, sizes
 * and hits are replaced by values drawn from the block's number and the
 * captured value, so that the lines of one message still agree (amavis'
 * queued_as is the msgid smtpd logs for the re-injected message) while
 * no two blocks share an id.  Timestamps run evenly over the SPAN seconds
 * that end at NOW, in local time as syslogd writes them, until the output
 * reaches MB megabytes.
 */
#include <sys/types.h>

#include <err.h>
#include <regex.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define MAXTPL		4096
#define MAXPIECES	32
#define OUTBUF		(4 << 20)

enum field {
	F_TEXT,
	F_LOGID,	/* amavis: 08553-01-3 */
	F_SESSION,	/* smtpd: 16 hex digits */
	F_MSGID,	/* smtpd msgid, amavis queued_as: 8 hex digits */
	F_EVPID2,	/* the second half of an evpid */
	F_MAILID,	/* 12 characters of [A-Za-z0-9_-] */
	F_HDRID,	/* Message-ID: <...> */
	F_SENDER,
	F_IP,
	F_HITS,
	F_SIZE,
	F_MS
};

struct piece {
	enum field	 f;
	const char	*s;		/* the captured text */
	size_t		 len;
};

struct tpl {
	int		 amavis;
	char		 ident[16];
	char		*msg;
	struct piece	 p[MAXPIECES];
	int		 np;
	const char	*key;		/* log id or session: the message's */
	size_t		 keylen;
	int		 pid;
	int		 blocked;
	double		 hits;
};

struct rule {
	int		 amavis;	/* 1: amavis lines, 0: smtpd, -1: both */
	const char	*re;
	int		 group;
	enum field	 f;
};

static struct rule rules[] = {
	{ 1, "^\\(([0-9]+-[0-9]+(-[0-9]+)?)\\) ", 1, F_LOGID },
	{ 1, "\\] \\[([0-9.]+)\\] <", 1, F_IP },
	{ 1, "(Passed|Blocked)[^<]*<([^>]+)> -> ", 2, F_SENDER },
	{ 1, "Message-ID: <([^>]*)>", 1, F_HDRID },
	{ 1, "mail_id: ([A-Za-z0-9_-]+)", 1, F_MAILID },
	{ 1, "quarantine: [a-z]+-([A-Za-z0-9_-]+)", 1, F_MAILID },
	{ 1, "Hits: (-?[0-9][0-9.]*)", 1, F_HITS },
	{ 1, "size: ([0-9]+)", 1, F_SIZE },
	{ 1, ", ([0-9]+) ms$", 1, F_MS },
	{ -1, "250 2\\.0\\.0 ([0-9a-f]{8}) Message", 1, F_MSGID },
	{ 0, "^([0-9a-f]{16}) ", 1, F_SESSION },
	{ 0, "msgid=([0-9a-f]{8})", 1, F_MSGID },
	{ 0, "evpid=([0-9a-f]{8})", 1, F_MSGID },
	{ 0, "evpid=[0-9a-f]{8}([0-9a-f]{8})", 1, F_EVPID2 },
	{ 0, "from=<([^>]+)>", 1, F_SENDER },
	{ 0, "address=([0-9.]+) ", 1, F_IP },
	{ 0, "size=([0-9]+)", 1, F_SIZE },
};

#define NRULES	(sizeof(rules) / sizeof(rules[0]))
static regex_t	 rx[NRULES];

static char	 out[OUTBUF];
static size_t	 outlen;
static uint64_t	 flushed;

static void
flush(void)
{
	size_t	 off = 0;
	ssize_t	 r;

	while (off < outlen) {
		if ((r = write(STDOUT_FILENO, out + off, outlen - off)) == -1)
			err(1, "write");
		off += (size_t)r;
	}
	flushed += outlen;
	outlen = 0;
}

static void
put(const char *s, size_t len)
{
	if (outlen + len > sizeof(out))
		flush();
	memcpy(out + outlen, s, len);
	outlen += len;
}

static void
put_str(const char *s)
{
	put(s, strlen(s));
}

static uint64_t
mix(uint64_t x)
{
	x += 0x9e3779b97f4a7c15ULL;
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
	x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
	return x ^ (x >> 31);
}

/* The value of a captured text in block b, repeat r. */
static uint64_t
vary(const char *s, size_t len, enum field f, uint64_t b, uint64_t r)
{
	uint64_t	 h = 1469598103934665603ULL;

	while (len-- > 0)
		h = (h ^ (unsigned char)*s++) * 1099511628211ULL;
	return mix(h ^ mix(b * 131 + r * 7 + (uint64_t)f));
}

static void
put_hex(uint64_t v, int n)
{
	static const char	 hex[] = "0123456789abcdef";
	char			 buf[16];
	int			 i;

	for (i = n - 1; i >= 0; i--, v >>= 4)
		buf[i] = hex[v & 15];
	put(buf, (size_t)n);
}

static void
put_num(long long v)
{
	char	 buf[32];
	int	 n = snprintf(buf, sizeof(buf), "%lld", v);

	put(buf, (size_t)n);
}

/* Thousandths as amavis prints a score: 1.3, 2.418, -0.001, 5 */
static void
put_hits(long long th)
{
	char		 buf[32];
	const char	*sign = th < 0 ? "-" : "";
	long long	 a = th < 0 ? -th : th;
	int		 n, frac = (int)(a % 1000);

	if (frac == 0)
		n = snprintf(buf, sizeof(buf), "%s%lld", sign, a / 1000);
	else {
		n = snprintf(buf, sizeof(buf), "%s%lld.%03d", sign, a / 1000,
		    frac);
		while (buf[n - 1] == '0')
			n--;
	}
	put(buf, (size_t)n);
}

static void
put_piece(const struct tpl *t, const struct piece *p, uint64_t b, uint64_t r)
{
	static const char	 b64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
	    "abcdefghijklmnopqrstuvwxyz0123456789_-";
	uint64_t		 v = vary(p->s, p->len, p->f, b, r);
	uint64_t		 k = vary(t->key, t->keylen, p->f, b, r);
	const char		*at, *dash;
	char			 buf[64];
	int			 i, n;

	switch (p->f) {
	case F_TEXT:
		put(p->s, p->len);
		break;
	case F_LOGID:
		/* the child's pid, its task number, the rest as captured */
		n = snprintf(buf, sizeof(buf), "%05d-%02d",
		    (int)(1000 + (2 * b + r) % 60000), (int)(b % 97) + 1);
		put(buf, (size_t)n);
		dash = memchr(p->s, '-', p->len);
		if (dash != NULL && (dash = memchr(dash + 1, '-',
		    p->len - (size_t)(dash + 1 - p->s))) != NULL)
			put(dash, p->len - (size_t)(dash - p->s));
		break;
	case F_SESSION:
		put_hex(v, 16);
		break;
	case F_MSGID:
	case F_EVPID2:
		put_hex(v, 8);
		break;
	case F_MAILID:
		for (i = 0; i < 12; i++)
			buf[i] = b64[(v >> (i * 5)) & 63];
		put(buf, 12);
		break;
	case F_HDRID:
		if ((at = memchr(p->s, '@', p->len)) == NULL)
			at = p->s + p->len;
		put(p->s, (size_t)(at - p->s));
		n = snprintf(buf, sizeof(buf), ".%llu.%llu",
		    (unsigned long long)b, (unsigned long long)r);
		put(buf, (size_t)n);
		put(at, p->len - (size_t)(at - p->s));
		break;
	case F_SENDER:
		/* the same sender in smtpd's and amavis' lines of a block */
		if ((at = memchr(p->s, '@', p->len)) == NULL)
			at = p->s + p->len;
		put(p->s, (size_t)(at - p->s));
		n = snprintf(buf, sizeof(buf), "%u@d%u.example",
		    (unsigned)(v % 5000), (unsigned)(v >> 32) % 3000);
		put(buf, (size_t)n);
		break;
	case F_IP:
		n = snprintf(buf, sizeof(buf), "%u.%u.%u.%u",
		    (unsigned)(k % 200) + 11, (unsigned)(k >> 8) % 256,
		    (unsigned)(k >> 16) % 256, (unsigned)(k >> 24) % 254 + 1);
		put(buf, (size_t)n);
		break;
	case F_HITS:
		/* the message's score, in the class of the captured one */
		if (t->hits >= 900)
			put_hits(995000 + (long long)(k % 10000));
		else if (t->blocked)
			put_hits(10000 + (long long)(k % 40000));
		else if (t->hits >= 5)
			put_hits(5000 + (long long)(k % 5000));
		else
			put_hits(-3000 + (long long)(k % 8000));
		break;
	case F_SIZE:
		put_num(600 + (long long)(k % 120000));
		break;
	case F_MS:
		put_num(60 + (long long)(k % 1500));
		break;
	}
}

static int
piece_cmp(const void *a, const void *b)
{
	const struct piece	*x = a, *y = b;

	return x->s < y->s ? -1 : x->s > y->s;
}

/* Cut the message of t into text and fields. */
static void
tpl_split(struct tpl *t)
{
	struct piece	 f[MAXPIECES];
	regmatch_t	 m[4];
	const char	*at;
	size_t		 i, nf = 0;
	int		 j, overlap;

	for (i = 0; i < NRULES; i++) {
		if (rules[i].amavis != -1 && rules[i].amavis != t->amavis)
			continue;
		if (regexec(&rx[i], t->msg, 4, m, 0) != 0 ||
		    m[rules[i].group].rm_so == -1)
			continue;
		f[nf].f = rules[i].f;
		f[nf].s = t->msg + m[rules[i].group].rm_so;
		f[nf].len = (size_t)(m[rules[i].group].rm_eo -
		    m[rules[i].group].rm_so);
		overlap = 0;
		for (j = 0; j < (int)nf; j++)
			if (f[nf].s < f[j].s + f[j].len &&
			    f[j].s < f[nf].s + f[nf].len)
				overlap = 1;
		if (!overlap && nf < MAXPIECES / 2 - 1)
			nf++;
	}
	qsort(f, nf, sizeof(f[0]), piece_cmp);
	for (at = t->msg, i = 0; i < nf; i++) {
		t->p[t->np++] = (struct piece){ F_TEXT, at,
		    (size_t)(f[i].s - at) };
		t->p[t->np++] = f[i];
		at = f[i].s + f[i].len;
		if (f[i].f == F_LOGID || f[i].f == F_SESSION) {
			t->key = f[i].s;
			t->keylen = f[i].len;
		}
		if (f[i].f == F_HITS)
			t->hits = strtod(f[i].s, NULL);
	}
	t->p[t->np++] = (struct piece){ F_TEXT, at, strlen(at) };
	if (t->key == NULL) {
		t->key = t->msg;
		t->keylen = 0;
	}
	t->blocked = strstr(t->msg, ") Blocked ") != NULL;
}

int
main(int argc, char *argv[])
{
	static struct tpl	 tpl[MAXTPL];
	struct tpl		*am[MAXTPL], *sm[MAXTPL], *t;
	FILE			*fp;
	char			*line = NULL, *p, *id, stamp[32];
	size_t			 cap = 0, na = 0, ns = 0, nt = 0, i, want;
	size_t			 per;
	ssize_t			 len;
	uint64_t		 n, b, r;
	time_t			 now, span, tm, last = -1;
	struct tm		 lt;
	int			 j, pid;

	if (argc != 5)
		errx(2, "usage: maillog_gen FIXTURE MB NOW SPAN");
	want = strtoull(argv[2], NULL, 10) << 20;
	now = (time_t)strtoll(argv[3], NULL, 10);
	span = (time_t)strtoll(argv[4], NULL, 10);
	for (i = 0; i < NRULES; i++)
		if (regcomp(&rx[i], rules[i].re, REG_EXTENDED) != 0)
			errx(2, "regcomp: %s", rules[i].re);
	if ((fp = fopen(argv[1], "r")) == NULL)
		err(2, "%s", argv[1]);
	while ((len = getline(&line, &cap, fp)) != -1 && nt < MAXTPL) {
		if (len > 0 && line[len - 1] == '\n')
			line[--len] = '\0';
		/* "Mmm dd HH:MM:SS host ident[pid]: message" */
		if (len < 17 || (p = strchr(line + 16, ' ')) == NULL)
			continue;
		id = p + 1;
		if ((p = strchr(id, '[')) == NULL || p - id >= 16)
			continue;
		t = &tpl[nt];
		memset(t, 0, sizeof(*t));
		memcpy(t->ident, id, (size_t)(p - id));
		pid = atoi(p + 1);
		if ((p = strstr(p, "]: ")) == NULL)
			continue;
		p += 3;
		if (strcmp(t->ident, "amavis") == 0) {
			if (regexec(&rx[0], p, 0, NULL, 0) != 0 ||
			    (strstr(p, ") Passed ") == NULL &&
			    strstr(p, ") Blocked ") == NULL))
				continue;
			t->amavis = 1;
			am[na++] = t;
		} else if (strcmp(t->ident, "smtpd") == 0)
			sm[ns++] = t;
		else
			continue;
		t->pid = pid;
		if ((t->msg = strdup(p)) == NULL)
			err(2, NULL);
		tpl_split(t);
		nt++;
	}
	fclose(fp);
	free(line);
	if (na == 0 || ns < 3)
		errx(2, "%s: no amavis verdict or too few smtpd lines",
		    argv[1]);
	per = ns / 3;		/* amavis lines in a block, 3 * per smtpd ones */

	for (n = 0; flushed + outlen < want; n++) {
		b = n / (4 * per);
		i = n % (4 * per);
		if (i % 4 == 0) {	/* amavis: lines 0, 4, 8... of the block */
			i /= 4;
			t = am[i % na];
			r = i / na;
		} else {
			t = sm[i - i / 4 - 1];
			r = 0;
		}
		tm = now - span + (time_t)((flushed + outlen) * (double)span /
		    want);
		if (tm > now)
			tm = now;
		if (tm != last) {
			localtime_r(&tm, &lt);
			strftime(stamp, sizeof(stamp), "%b %e %H:%M:%S mx ",
			    &lt);
			last = tm;
		}
		put_str(stamp);
		put_str(t->ident);
		put("[", 1);
		put_num(t->amavis ? (long long)(1000 + (2 * b + r) % 60000) :
		    t->pid);
		put("]: ", 3);
		for (j = 0; j < t->np; j++)
			put_piece(t, &t->p[j], b, r);
		put("\n", 1);
	}
	flush();
	return 0;
}
