/*
 * amavis verdicts from the mail log, joined to smtpd's lines about the
 * same message (amavis.md 5): a passed message's queued_as names the
 * msgid smtpd gave the re-injected copy, whose "mta delivery" lines tell
 * its fate, and the original envelope's delivery to amavis carries that
 * msgid (passed) or amavis's log id (blocked) in its stat.
 */
#include "config.h"

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "maillog.h"
#include "release_log.h"
#include "util.h"
#include "wallclock.h"
#include "verdicts.h"

#define HBITS_MAX	18		/* hash buckets: up to 2^18 */
#define IN_BITS		15		/* and for the received messages */
#define STORY_KEEP	2000		/* messages whose smtpd lines are kept */
#define STORY_MAX	4096		/* bytes of them, per message */
#define INBOUND_KEEP	16384		/* received messages awaiting amavis */
#define INBOUND_STORY	1024
#define HOST_ROOM	64		/* for the client's name, in a row */
#define PENDING		32		/* amavis answers before its verdicts */
#define LOGID_MAX	64		/* amavis_parse.c takes none longer */
#define KEY_MORE	24		/* room for a key's " #n" */
#define TWIN_LOOK	4		/* rows of a log id where a twin may be */

/* A hash chain's link: unlinked in O(1), however long the chain. */
struct vlink {
	struct vrec	*next;
	struct vrec	**pprev;	/* NULL: in no chain */
};

struct vrec {
	struct vlink	 lk_key;	/* hash chains; by log id */
	struct vlink	 lk_row;	/* by row key */
	struct vlink	 lk_same;	/* by what the line said */
	struct vlink	 lk_q;
	struct vlink	 lk_o;
	struct vlink	 lk_m;		/* quarantined: by mail_id */
	uint64_t	 logidhash;
	uint64_t	 rowhash;
	uint64_t	 samehash;
	struct vrec	*twin;		/* a mixed fate's other row; mutual */
	char		*story;
	size_t		 storylen;
	int		 nok, ntemp, nperm;
	struct row	*row;
};

/* A message smtpd received, until amavis has judged it. */
struct inbound {
	struct inbound	*next;
	struct inbound	**pprev;	/* unlinked in O(1) */
	uint32_t	 msgid;
	int		 used;
	int64_t		 time;
	char		 ip[48];
	char		 host[128];
	char		 story[INBOUND_STORY];
	size_t		 storylen;
	int		 nok, ntemp, nperm;	/* onwards, before a verdict */
};

/*
 * smtpd logged amavis's answer about a message before amavis logged its
 * verdict (logs merged from elsewhere, a split line held back): the
 * verdict is linked from here when it comes.
 */
struct pending {
	int		 used;
	uint32_t	 omsgid;	/* what smtpd received it as */
	int		 has_q;
	uint32_t	 q;		/* passed: the re-injected msgid */
	char		 logid[LOGID_MAX + 1];	/* blocked */
};

struct session {
	uint64_t	 id;
	int64_t		 time;
	char		 ip[48];
	char		 host[128];
	char		 line[256];	/* its "connected" line */
};

#define SESSION_BITS	12
#define SESSIONS	(1 << SESSION_BITS)

struct verdict_store {
	struct ml_clock	 clk;
	struct ml_join	*join;
	struct vrec	**ring;		/* oldest first from ring[first] */
	size_t		  max, first, n;
	int		  hbits;	/* 2^hbits buckets in each table */
	struct vrec	**by_key;	/* key hash; also log id lookups */
	struct vrec	**by_q;		/* re-injected msgid */
	struct vrec	**by_o;		/* original msgid */
	struct vrec	**by_m;		/* mail_id of a quarantined message */
	struct vrec	**by_row;	/* row key */
	struct vrec	**by_same;	/* a line's text, for the duplicates */
	uint64_t	  seq;		/* for keys of their own */
	size_t		  ndups;
	struct release_log *rel;
	struct vrec	**grave, **grave_prev;	/* evicted, freed later */
	size_t		  ngrave, ngrave_prev;
	struct vrec	 *stories[STORY_KEEP];	/* a ring */
	size_t		  nstories, story_next;
	struct pending	  pending[PENDING];
	size_t		  npending, next_pending;
	struct inbound	 *inbound;
	struct inbound	**by_in;
	size_t		  nextin;
	struct session	  sessions[SESSIONS];
	size_t		  bad;
	size_t		  recip;	/* per-recipient lines, not kept */
	int64_t		  newest;
	int64_t		  since;	/* older verdicts are not kept */
	int64_t		  tz_hour;	/* of the UTC offset below */
	int64_t		  tz_off;
};

static size_t
hash_to(uint64_t h, int bits)
{
	return (size_t)((h * 0x9e3779b97f4a7c15ULL) >> (64 - bits));
}

static size_t
bucket(const struct verdict_store *vs, uint64_t h)
{
	return hash_to(h, vs->hbits);
}

static size_t
in_bucket(uint64_t msgid)
{
	return hash_to(msgid, IN_BITS);
}

struct verdict_store *
verdict_store_new(size_t max)
{
	struct verdict_store	*vs;

	vs = xcalloc(1, sizeof(*vs));
	vs->max = max > 0 ? max : 1;
	vs->ring = xcalloc(vs->max, sizeof(*vs->ring));
	/* twice as many buckets as rows: a small store, small tables */
	for (vs->hbits = 10; vs->hbits < HBITS_MAX &&
	    ((size_t)1 << vs->hbits) < 2 * vs->max; vs->hbits++)
		;
	vs->by_key = xcalloc((size_t)1 << vs->hbits, sizeof(*vs->by_key));
	vs->by_q = xcalloc((size_t)1 << vs->hbits, sizeof(*vs->by_q));
	vs->by_o = xcalloc((size_t)1 << vs->hbits, sizeof(*vs->by_o));
	vs->by_m = xcalloc((size_t)1 << vs->hbits, sizeof(*vs->by_m));
	vs->by_row = xcalloc((size_t)1 << vs->hbits, sizeof(*vs->by_row));
	vs->by_same = xcalloc((size_t)1 << vs->hbits, sizeof(*vs->by_same));
	vs->rel = release_log_new();
	vs->inbound = xcalloc(INBOUND_KEEP, sizeof(*vs->inbound));
	vs->by_in = xcalloc((size_t)1 << IN_BITS, sizeof(*vs->by_in));
	vs->join = ml_join_new();
	ml_clock_init(&vs->clk, (int64_t)wallclock_now());
	vs->tz_hour = INT64_MIN;
	vs->since = INT64_MIN;
	return vs;
}

static void
vrec_free(struct vrec *v)
{
	free(v->story);
	free(v);
}

void
verdict_store_free(struct verdict_store *vs)
{
	size_t	 i;

	if (vs == NULL)
		return;
	for (i = 0; i < vs->n; i++)
		vrec_free(vs->ring[(vs->first + i) % vs->max]);
	verdict_store_bury(vs);
	free(vs->ring);
	free(vs->by_key);
	free(vs->by_q);
	free(vs->by_o);
	free(vs->by_m);
	free(vs->by_row);
	free(vs->by_same);
	release_log_free(vs->rel);
	free(vs->inbound);
	free(vs->by_in);
	ml_join_free(vs->join);
	free(vs);
}

#define LINK(v, off)	((struct vlink *)((char *)(v) + (off)))

static void
chain_push(struct vrec **head, struct vrec *v, size_t off)
{
	struct vlink	*l = LINK(v, off);

	l->next = *head;
	l->pprev = head;
	if (*head != NULL)
		LINK(*head, off)->pprev = &l->next;
	*head = v;
}

static void
chain_drop(struct vrec *v, size_t off)
{
	struct vlink	*l = LINK(v, off);

	if (l->pprev == NULL)
		return;
	*l->pprev = l->next;
	if (l->next != NULL)
		LINK(l->next, off)->pprev = l->pprev;
	l->pprev = NULL;
	l->next = NULL;
}

static int
quarantined(const struct vrec *v)
{
	return v->row->cells[V_QUARANTINE].s[0] != '\0' &&
	    v->row->cells[V_MAILID].s[0] != '\0';
}

static uint64_t
mailid_hash(const struct vrec *v)
{
	const char	*m = v->row->cells[V_MAILID].s;

	return hash_mem(m, strlen(m));
}

/*
 * What the line said, all of it but the row key: from the log id's text to
 * the room kept for the client's name, each field's text after the other.
 */
static const char *
said(const struct vrec *v, size_t *len)
{
	const union cell	*c = v->row->cells;

	*len = (size_t)(c[V_HELO].s - c[V_LOGID].s);
	return c[V_LOGID].s;
}

static uint64_t
said_hash(const struct vrec *v)
{
	const union cell	*c = v->row->cells;
	int64_t			 n[4];
	size_t			 len;
	const char		*p = said(v, &len);

	n[0] = c[V_TIME].i;
	n[1] = c[V_SIZE].i;
	n[2] = c[V_ELAPSED].i;
	n[3] = (int64_t)hash_mem(p, len);
	return hash_mem(n, sizeof(n));
}

static int
said_same(const struct vrec *a, const struct vrec *b)
{
	const union cell	*x = a->row->cells, *y = b->row->cells;
	size_t			 la, lb;
	const char		*pa = said(a, &la), *pb = said(b, &lb);

	return a->samehash == b->samehash && x[V_TIME].i == y[V_TIME].i &&
	    x[V_SIZE].i == y[V_SIZE].i && x[V_ELAPSED].i == y[V_ELAPSED].i &&
	    la == lb && memcmp(pa, pb, la) == 0;
}

/* The oldest verdict goes; its memory when no row set can show it. */
static void
evict_oldest(struct verdict_store *vs)
{
	struct vrec	*v = vs->ring[vs->first];

	chain_drop(v, offsetof(struct vrec, lk_key));
	chain_drop(v, offsetof(struct vrec, lk_row));
	chain_drop(v, offsetof(struct vrec, lk_same));
	chain_drop(v, offsetof(struct vrec, lk_q));
	chain_drop(v, offsetof(struct vrec, lk_o));
	chain_drop(v, offsetof(struct vrec, lk_m));
	if (v->twin != NULL)
		v->twin->twin = NULL;
	/* fewer kept than STORY_KEEP: the oldest story goes with it */
	if (v->story != NULL && vs->nstories > 0 &&
	    vs->stories[(vs->story_next + STORY_KEEP - vs->nstories) %
	    STORY_KEEP] == v) {
		free(v->story);
		v->story = NULL;
		v->storylen = 0;
		vs->nstories--;
	}
	vs->first = (vs->first + 1) % vs->max;
	vs->n--;
	vs->grave = xreallocarray(vs->grave, vs->ngrave + 1,
	    sizeof(*vs->grave));
	vs->grave[vs->ngrave++] = v;
}

/* A row block: the record, the row, its cells, then its strings. */
struct rowbuf {
	char	*p;
	size_t	 left;
};

static const char *
put(struct rowbuf *b, const char *s, size_t len)
{
	char	*d = b->p;

	if (b->left == 0)
		return "";
	if (len + 1 > b->left)
		len = b->left - 1;
	memcpy(d, s, len);
	d[len] = '\0';
	b->p += len + 1;
	b->left -= len + 1;
	return d;
}

static const char *
put_str(struct rowbuf *b, struct ml_str s)
{
	return put(b, s.p, s.len);
}

static enum verdict_class
classify(const struct av_verdict *av)
{
	switch (av->ccat) {
	case AV_CCAT_CLEAN:
		return av->blocked ? VC_OTHER : VC_CLEAN;
	case AV_CCAT_SPAMMY:
	case AV_CCAT_SPAM:
		return av->blocked ? VC_BLOCKED_SPAM : VC_SPAM_PASSED;
	case AV_CCAT_BANNED:
		return VC_BANNED;
	case AV_CCAT_INFECTED:
		return VC_INFECTED;
	case AV_CCAT_BAD_HEADER:
		return VC_BADHEADER;
	default:
		return VC_OTHER;
	}
}

/* Text appended to a fixed buffer, cut where it is full; see cat_end. */
struct cat {
	char	*p;
	char	*end;		/* the last byte: kept for the NUL */
};

static void
cat_mem(struct cat *c, const char *s, size_t n)
{
	if (n > (size_t)(c->end - c->p))
		n = (size_t)(c->end - c->p);
	memcpy(c->p, s, n);
	c->p += n;
}

static void
cat_int(struct cat *c, int64_t v)
{
	char		 d[24];
	size_t		 i = sizeof(d);
	uint64_t	 u = v < 0 ? -(uint64_t)v : (uint64_t)v;

	do
		d[--i] = (char)('0' + u % 10);
	while ((u /= 10) > 0);
	if (v < 0)
		d[--i] = '-';
	cat_mem(c, d + i, sizeof(d) - i);
}

/* NUL-terminated: its length. */
static size_t
cat_end(struct cat *c, char *start)
{
	*c->p = '\0';
	return (size_t)(c->p - start);
}

/* Hits in thousandths as amavis writes them: "1.3", "-0.001", "1000". */
static size_t
fmt_thousandths(int64_t v, char *buf, size_t len)
{
	struct cat	 c = { buf, buf + len - 1 };
	int64_t		 frac;
	char		 f[3];
	size_t		 n = 3;

	if (v == CELL_NONE)
		return cat_end(&c, buf);
	if (v < 0)
		cat_mem(&c, "-", 1);
	/* -(v / 1000) and -(v % 1000): no overflow at INT64_MIN + 1 */
	cat_int(&c, v < 0 ? -(v / 1000) : v / 1000);
	frac = v < 0 ? -(v % 1000) : v % 1000;
	f[0] = (char)('0' + frac / 100);
	f[1] = (char)('0' + frac / 10 % 10);
	f[2] = (char)('0' + frac % 10);
	while (n > 0 && f[n - 1] == '0')
		n--;
	if (n > 0) {
		cat_mem(&c, ".", 1);
		cat_mem(&c, f, n);
	}
	return cat_end(&c, buf);
}

static struct vrec *
by_rowkey(const struct verdict_store *vs, const char *key, size_t len,
    uint64_t h)
{
	struct vrec	*v;

	for (v = vs->by_row[bucket(vs, h)]; v != NULL; v = v->lk_row.next)
		if (v->rowhash == h && strncmp(v->row->key, key, len) == 0 &&
		    v->row->key[len] == '\0')
			return v;
	return NULL;
}

/* The same line again (syslog's duplicate, a log read twice): its row. */
static struct vrec *
said_before(const struct verdict_store *vs, const struct vrec *v)
{
	struct vrec	*w;

	for (w = vs->by_same[bucket(vs, v->samehash)]; w != NULL;
	    w = w->lk_same.next)
		if (said_same(v, w))
			return w;
	return NULL;
}

static void	smtpd_before(struct verdict_store *, struct vrec *);

static void
add_verdict(struct verdict_store *vs, struct av_verdict *av)
{
	struct vrec	*v;
	struct row	*r;
	union cell	*c;
	struct rowbuf	 b;
	struct cat	 kc;
	struct ml_str	 rest, rcpt, ip;
	char		 key[512], hits[32], *to, *env;
	const char	*nul;
	size_t		 need, keylen, n, first = 0, k;

	/*
	 * On a smarthost amavis's client is smtpd on loopback: the sender's
	 * address is the originating one, when amavis found it.
	 */
	ip = av->origin.len > 0 ? av->origin : av->client;
	/* the key is a C string: a NUL in the address would cut it short of
	 * what its hash was taken over */
	if ((nul = memchr(ip.p, '\0', ip.len)) != NULL)
		ip.len = (size_t)(nul - ip.p);
	kc.p = key;
	kc.end = key + sizeof(key) - 1;
	cat_int(&kc, av->time);
	cat_mem(&kc, " ", 1);
	cat_mem(&kc, av->logid.p, av->logid.len > 200 ? 200 : av->logid.len);
	cat_mem(&kc, av->blocked ? " B\n" : " P\n", 3);
	cat_mem(&kc, ip.p, ip.len > 100 ? 100 : ip.len);
	keylen = cat_end(&kc, key);
	/* 200,000 of them: what the strings take, no more */
	need = keylen + KEY_MORE + av->logid.len + 2 * av->category.len + ip.len +
	    av->sender.len + 2 * av->rcpts.len + av->subject.len +
	    av->mail_id.len + av->quarantine.len + av->queued_as.len +
	    av->tests.len + av->actions.len + av->bank.len +
	    av->client.len + av->origin.len + av->message_id.len +
	    av->from.len + HOST_ROOM + 96 + 6;
	v = xcalloc(1, sizeof(*v) + sizeof(struct row) +
	    V_NCELLS * sizeof(union cell) + need);
	r = v->row = (struct row *)(v + 1);
	c = r->cells;
	b.p = (char *)(c + V_NCELLS);
	b.left = need;
	r->key = put(&b, key, keylen);
	b.p += KEY_MORE;
	b.left -= KEY_MORE;
	c[V_TIME].i = av->time;
	c[V_LOGID].s = put_str(&b, av->logid);
	c[V_ACTION].s = av->blocked ? "Blocked" : "Passed";
	c[V_CATEGORY].s = put_str(&b, av->category);
	c[V_HITS].i = av->hits;
	fmt_thousandths(av->hits, hits, sizeof(hits));
	c[V_HITSTEXT].s = put(&b, hits, strlen(hits));
	c[V_IP].s = put_str(&b, ip);
	c[V_FROM].s = put_str(&b, av->sender);

	/* "a,b,c" for batch; "<a> (+2)" for the screen, after the sender */
	to = b.p;
	rest = av->rcpts;
	n = 0;
	while (av_rcpt_next(&rest, &rcpt)) {
		if (n > 0 && b.left > 1) {
			*b.p++ = ',';
			b.left--;
		} else if (n == 0)
			first = rcpt.len;
		if (rcpt.len + 1 >= b.left)
			break;
		memcpy(b.p, rcpt.p, rcpt.len);
		b.p += rcpt.len;
		b.left -= rcpt.len;
		n++;
	}
	*b.p++ = '\0';
	b.left--;
	c[V_TO].s = to;
	env = b.p;
	kc.p = env;
	kc.end = env + b.left - 1;
	cat_mem(&kc, "<", 1);
	cat_mem(&kc, to, first);
	cat_mem(&kc, ">", 1);
	if (n > 1) {
		cat_mem(&kc, " (+", 3);
		cat_int(&kc, (int64_t)n - 1);
		cat_mem(&kc, ")", 1);
	}
	k = cat_end(&kc, env);
	b.p += k + 1;
	b.left -= k + 1;
	c[V_RCPTS].s = env;

	c[V_SUBJECT].s = put_str(&b, av->subject);
	c[V_SIZE].i = av->size;
	c[V_MAILID].s = put_str(&b, av->mail_id);
	c[V_QUARANTINE].s = put_str(&b, av->quarantine);
	c[V_QUEUEDAS].s = put_str(&b, av->queued_as);
	c[V_TESTS].s = put_str(&b, av->tests);
	c[V_WBL].s = av->wbl == CELL_NONE ? "" : av->wbl < 0 ? "white" :
	    "black";
	kc.p = b.p;
	kc.end = b.p + b.left - 1;
	cat_mem(&kc, c[V_ACTION].s, strlen(c[V_ACTION].s));
	cat_mem(&kc, " ", 1);
	cat_mem(&kc, av->category.p, av->category.len);
	c[V_VERDICT].s = b.p;
	k = cat_end(&kc, b.p);
	b.p += k + 1;
	b.left -= k + 1;
	c[V_CLASS].i = classify(av);
	c[V_FATE].s = "";
	c[V_QMSGID].i = CELL_NONE;
	c[V_OMSGID].i = CELL_NONE;
	c[V_ACTIONS].s = put_str(&b, av->actions);
	c[V_BANK].s = put_str(&b, av->bank);
	c[V_CLIENT].s = put_str(&b, av->client);
	c[V_ORIGIN].s = put_str(&b, av->origin);
	c[V_MESSAGEID].s = put_str(&b, av->message_id);
	c[V_FROMHDR].s = put_str(&b, av->from);
	c[V_ELAPSED].i = av->elapsed;
	/* the client's name comes later, with smtpd's lines */
	c[V_HELO].s = b.p;
	b.p[0] = '\0';
	b.p += HOST_ROOM;
	b.left -= HOST_ROOM;
	{
		uint64_t	 q;

		if (!av->blocked && av->queued_id.len == 8 &&
		    ml_hex64(av->queued_id.p, 8, &q) == 0)
			c[V_QMSGID].i = (int64_t)q;
	}

	/* a line logged twice, or read twice: one row */
	v->samehash = said_hash(v);
	if (said_before(vs, v) != NULL) {
		vs->ndups++;
		free(v);
		return;
	}
	/*
	 * Another verdict with the same key (another host's amavis in the
	 * same file): a key of its own, found in one look however many
	 * share it.
	 */
	k = keylen;
	v->rowhash = hash_mem(r->key, k);
	while (by_rowkey(vs, r->key, k, v->rowhash) != NULL) {
		kc.p = (char *)r->key + keylen;
		kc.end = kc.p + KEY_MORE;
		cat_mem(&kc, " #", 2);
		cat_int(&kc, (int64_t)++vs->seq);
		k = cat_end(&kc, (char *)r->key);
		v->rowhash = hash_mem(r->key, k);
	}

	if (vs->n == vs->max)
		evict_oldest(vs);
	vs->ring[(vs->first + vs->n) % vs->max] = v;
	vs->n++;
	v->logidhash = hash_mem(av->logid.p, av->logid.len);
	chain_push(&vs->by_key[bucket(vs, v->logidhash)], v,
	    offsetof(struct vrec, lk_key));
	chain_push(&vs->by_row[bucket(vs, v->rowhash)], v,
	    offsetof(struct vrec, lk_row));
	chain_push(&vs->by_same[bucket(vs, v->samehash)], v,
	    offsetof(struct vrec, lk_same));
	if (c[V_QMSGID].i != CELL_NONE) {
		chain_push(&vs->by_q[bucket(vs, (uint64_t)c[V_QMSGID].i)], v,
		    offsetof(struct vrec, lk_q));
		/* amavis's own re-injection: no release's copy */
		release_log_claimed(vs->rel, (uint32_t)c[V_QMSGID].i);
	}
	if (quarantined(v))
		chain_push(&vs->by_m[bucket(vs, mailid_hash(v))], v,
		    offsetof(struct vrec, lk_m));

	/* the smtpd lines of a recent message: kept for the detail view */
	if (vs->nstories == STORY_KEEP) {
		struct vrec	*old = vs->stories[vs->story_next];

		free(old->story);
		old->story = NULL;
		old->storylen = 0;
	} else
		vs->nstories++;
	vs->stories[vs->story_next] = v;
	vs->story_next = (vs->story_next + 1) % STORY_KEEP;
	v->story = xmalloc(STORY_MAX);
	v->story[0] = '\0';
	smtpd_before(vs, v);
}

/* "HH:MM:SS" of t on the local clock; the UTC offset asked once an hour. */
static void
local_hms(struct verdict_store *vs, int64_t t, char *out)
{
	struct tm	 tm;
	time_t		 tt = (time_t)t;
	int64_t		 s;

	if (t / 3600 != vs->tz_hour) {
		/* localtime_r: localtime stats /etc/localtime at every call */
		if (localtime_r(&tt, &tm) == NULL)
			memset(&tm, 0, sizeof(tm));
		vs->tz_hour = t / 3600;
		vs->tz_off = ml_days_from_civil(tm.tm_year + 1900,
		    tm.tm_mon + 1, tm.tm_mday) * 86400 + tm.tm_hour * 3600 +
		    tm.tm_min * 60 + tm.tm_sec - t;
	}
	s = (t + vs->tz_off) % 86400;
	if (s < 0)
		s += 86400;
	out[0] = (char)('0' + s / 36000);
	out[1] = (char)('0' + s / 3600 % 10);
	out[2] = ':';
	out[3] = (char)('0' + s % 3600 / 600);
	out[4] = (char)('0' + s % 3600 / 60 % 10);
	out[5] = ':';
	out[6] = (char)('0' + s % 60 / 10);
	out[7] = (char)('0' + s % 10);
}

/* "HH:MM:SS PROG: MSG\n", whole lines only: a full story costs no more. */
static void
story_add(struct verdict_store *vs, char *story, size_t *len, size_t max,
    int64_t t, const char *prog, const char *msg, size_t msglen)
{
	size_t	 pl = strlen(prog);
	char	*p;

	if (story == NULL || *len + 9 + pl + 2 + msglen + 2 > max)
		return;
	p = story + *len;
	local_hms(vs, t, p);
	p[8] = ' ';
	memcpy(p + 9, prog, pl);
	p += 9 + pl;
	*p++ = ':';
	*p++ = ' ';
	memcpy(p, msg, msglen);
	p += msglen;
	*p++ = '\n';
	*p = '\0';
	*len = (size_t)(p - story);
}

static struct vrec *
by_logid(struct verdict_store *vs, const char *logid, size_t len,
    struct vrec *after)
{
	struct vrec	*v;
	uint64_t	 h = hash_mem(logid, len);

	v = after != NULL ? after->lk_key.next : vs->by_key[bucket(vs, h)];
	for (; v != NULL; v = v->lk_key.next)
		if (v->logidhash == h &&
		    strlen(v->row->cells[V_LOGID].s) == len &&
		    memcmp(v->row->cells[V_LOGID].s, logid, len) == 0)
			return v;
	return NULL;
}

static struct vrec *
by_q(const struct verdict_store *vs, uint32_t msgid)
{
	struct vrec	*v;

	for (v = vs->by_q[bucket(vs, msgid)]; v != NULL; v = v->lk_q.next)
		if (v->row->cells[V_QMSGID].i == (int64_t)msgid)
			return v;
	return NULL;
}

static struct inbound *
inbound_find(struct verdict_store *vs, uint32_t msgid)
{
	struct inbound	*in;

	for (in = vs->by_in[in_bucket(msgid)]; in != NULL; in = in->next)
		if (in->msgid == msgid)
			return in;
	return NULL;
}

static struct inbound *
inbound_add(struct verdict_store *vs, uint32_t msgid)
{
	struct inbound	*in = &vs->inbound[vs->nextin], **head;

	/* a log that repeats one message: a long chain, walked by none */
	if (in->used) {
		*in->pprev = in->next;
		if (in->next != NULL)
			in->next->pprev = in->pprev;
	}
	vs->nextin = (vs->nextin + 1) % INBOUND_KEEP;
	/* all but the story, which is read up to storylen only */
	memset(in, 0, offsetof(struct inbound, story));
	in->story[0] = '\0';
	in->storylen = 0;
	in->nok = in->ntemp = in->nperm = 0;
	in->used = 1;
	in->msgid = msgid;
	head = &vs->by_in[in_bucket(msgid)];
	in->next = *head;
	in->pprev = head;
	if (*head != NULL)
		(*head)->pprev = &in->next;
	*head = in;
	return in;
}

static struct session *
session_of(struct verdict_store *vs, uint64_t id)
{
	return &vs->sessions[hash_to(id, SESSION_BITS)];
}

static void
cpy(char *dst, size_t len, struct ml_str s)
{
	size_t	 n = s.len < len - 1 ? s.len : len - 1;

	memcpy(dst, s.p, n);
	dst[n] = '\0';
}

/* The verdict now knows which message smtpd received it as. */
static void
link_original(struct verdict_store *vs, struct vrec *v, uint32_t omsgid)
{
	struct row	*r = v->row;
	struct inbound	*in;

	if (r->cells[V_OMSGID].i != CELL_NONE)
		return;
	r->cells[V_OMSGID].i = omsgid;
	chain_push(&vs->by_o[bucket(vs, omsgid)], v, offsetof(struct vrec, lk_o));
	if ((in = inbound_find(vs, omsgid)) == NULL)
		return;
	/* the room was kept when the row was made */
	if (in->host[0] != '\0')
		xstrlcpy((char *)r->cells[V_HELO].s, in->host, HOST_ROOM);
	if (v->story != NULL && in->storylen > 0 &&
	    in->storylen + v->storylen < STORY_MAX) {
		/* received before the verdict: goes first */
		memmove(v->story + in->storylen, v->story, v->storylen + 1);
		memcpy(v->story, in->story, in->storylen);
		v->storylen += in->storylen;
	}
}

static void
update_fate(struct vrec *v)
{
	struct row	*r = v->row;

	if (v->nperm > 0)
		r->cells[V_FATE].s = "bounced";
	else if (v->ntemp > 0 && v->nok == 0)
		r->cells[V_FATE].s = "deferred";
	else if (v->nok > 0)
		r->cells[V_FATE].s = "delivered";
}

/* Two rows of one message: a mixed fate's Passed and Blocked lines. */
static int
twins(const struct vrec *a, const struct vrec *b)
{
	const union cell	*x = a->row->cells, *y = b->row->cells;

	if (a == b || a->logidhash != b->logidhash ||
	    strcmp(x[V_LOGID].s, y[V_LOGID].s) != 0)
		return 0;
	if (x[V_MAILID].s[0] != '\0' || y[V_MAILID].s[0] != '\0')
		return strcmp(x[V_MAILID].s, y[V_MAILID].s) == 0;
	return x[V_TIME].i == y[V_TIME].i;
}

/* smtpd's line about the message v judged: to v and its twin. */
static void
link_message(struct verdict_store *vs, struct vrec *v, uint32_t omsgid,
    const struct ml_frame *fr)
{
	struct vrec	*w[2] = { v, v->twin };
	size_t		 i;

	for (i = 0; i < nitems(w) && w[i] != NULL; i++) {
		link_original(vs, w[i], omsgid);
		story_add(vs, w[i]->story, &w[i]->storylen, STORY_MAX,
		    fr->time, "smtpd", fr->msg, fr->msglen);
	}
}

/* An amavis log id ("07173-01-10"), not another MTA's ("1tXyZa-0001Ab"). */
static int
amavis_logid(const char *p, size_t len)
{
	size_t	 i;

	if (len == 0 || len > LOGID_MAX || memchr(p, '-', len) == NULL)
		return 0;
	for (i = 0; i < len; i++)
		if ((p[i] < '0' || p[i] > '9') && p[i] != '-')
			return 0;
	return 1;
}

/* amavis's answer, before its verdict: with the message's lines. */
static void
pending_add(struct verdict_store *vs, uint32_t omsgid, const uint64_t *q,
    struct ml_str logid, const struct ml_frame *fr)
{
	struct pending	*p = &vs->pending[vs->next_pending];
	struct inbound	*in;

	if (q == NULL && !amavis_logid(logid.p, logid.len))
		return;
	if (!p->used)
		vs->npending++;
	vs->next_pending = (vs->next_pending + 1) % PENDING;
	memset(p, 0, sizeof(*p));
	p->used = 1;
	p->omsgid = omsgid;
	if (q != NULL) {
		p->has_q = 1;
		p->q = (uint32_t)*q;
	} else
		cpy(p->logid, sizeof(p->logid), logid);
	if ((in = inbound_find(vs, omsgid)) != NULL)
		story_add(vs, in->story, &in->storylen, sizeof(in->story),
		    fr->time, "smtpd", fr->msg, fr->msglen);
}

/* A new verdict: what smtpd said about its message already. */
static void
smtpd_before(struct verdict_store *vs, struct vrec *v)
{
	union cell	*c = v->row->cells;
	struct pending	*p;
	struct inbound	*in;
	struct vrec	*w;
	size_t		 i;

	for (i = 0; vs->npending > 0 && i < PENDING; i++) {
		p = &vs->pending[i];
		if (!p->used || (p->has_q ? c[V_QMSGID].i != (int64_t)p->q :
		    c[V_QMSGID].i != CELL_NONE ||
		    strcmp(p->logid, c[V_LOGID].s) != 0))
			continue;
		link_original(vs, v, p->omsgid);
		p->used = 0;
		vs->npending--;
	}
	/*
	 * A mixed fate's second line, logged next to the first: its twin
	 * is among the last few rows of the log id, however many it has.
	 */
	for (w = by_logid(vs, c[V_LOGID].s, strlen(c[V_LOGID].s), v), i = 0;
	    w != NULL && i < TWIN_LOOK;
	    w = by_logid(vs, c[V_LOGID].s, strlen(c[V_LOGID].s), w), i++)
		if (w->twin == NULL && twins(v, w)) {
			v->twin = w;
			w->twin = v;
			break;
		}
	if (v->twin != NULL && v->twin->row->cells[V_OMSGID].i != CELL_NONE)
		link_original(vs, v, (uint32_t)v->twin->row->cells[V_OMSGID].i);
	/* the re-injected copy went onwards already */
	if (c[V_QMSGID].i != CELL_NONE &&
	    (in = inbound_find(vs, (uint32_t)c[V_QMSGID].i)) != NULL) {
		v->nok += in->nok;
		v->ntemp += in->ntemp;
		v->nperm += in->nperm;
		update_fate(v);
	}
}

/*
 * A line about a released copy, for the detail view; the first one brings
 * what smtpd logged of its message before.
 */
static void
copy_story(struct verdict_store *vs, struct release *rel, struct inbound *in,
    const struct ml_frame *fr)
{
	if (rel->story == NULL) {
		rel->story = xmalloc(RELEASE_STORY);
		rel->story[0] = '\0';
	}
	if (rel->storylen == 0 && in != NULL && in->storylen < RELEASE_STORY) {
		memcpy(rel->story, in->story, in->storylen + 1);
		rel->storylen = in->storylen;
	}
	story_add(vs, rel->story, &rel->storylen, RELEASE_STORY, fr->time,
	    "smtpd", fr->msg, fr->msglen);
}

static void
smtpd_event(struct verdict_store *vs, struct ml_frame *fr)
{
	struct smtpd_line	 sl;
	struct session		*se;
	struct inbound		*in;
	struct release		*rel;
	struct vrec		*v;
	uint32_t		 msgid;
	uint64_t		 q;

	switch (smtpd_parse_line(&sl, fr)) {
	case SE_SMTP_CONNECTED:
		se = session_of(vs, sl.session);
		se->id = sl.session;
		se->time = fr->time;
		cpy(se->ip, sizeof(se->ip), sl.address);
		cpy(se->host, sizeof(se->host), sl.host);
		cpy(se->line, sizeof(se->line), (struct ml_str){ fr->msg,
		    fr->msglen });
		return;
	case SE_SMTP_MESSAGE:
		in = inbound_add(vs, sl.msgid);
		in->time = sl.time;
		se = session_of(vs, sl.session);
		if (se->id == sl.session) {
			memcpy(in->ip, se->ip, sizeof(in->ip));
			memcpy(in->host, se->host, sizeof(in->host));
			story_add(vs, in->story, &in->storylen,
			    sizeof(in->story), se->time, "smtpd", se->line,
			    strlen(se->line));
		}
		story_add(vs, in->story, &in->storylen, sizeof(in->story),
		    fr->time, "smtpd", fr->msg, fr->msglen);
		return;
	case SE_SMTP_ENVELOPE:
		msgid = (uint32_t)(sl.evpid >> 32);
		in = inbound_find(vs, msgid);
		if ((rel = release_log_envelope(vs->rel, fr->time, msgid,
		    sl.from, sl.to)) != NULL)
			copy_story(vs, rel, in, fr);
		if (in != NULL)
			story_add(vs, in->story, &in->storylen,
			    sizeof(in->story), fr->time, "smtpd", fr->msg,
			    fr->msglen);
		return;
	case SE_MTA_DELIVERY:
		break;
	default:
		return;
	}
	msgid = (uint32_t)(sl.evpid >> 32);
	if ((rel = release_log_copy(vs->rel, msgid)) != NULL) {
		/* a released copy, delivered onwards; it may yet turn out
		 * to be amavis's re-injection: counted below too */
		if (sl.result == SR_OK)
			rel->nok++;
		else if (sl.result == SR_TEMPFAIL)
			rel->ntemp++;
		else if (sl.result == SR_PERMFAIL)
			rel->nperm++;
		copy_story(vs, rel, NULL, fr);
		release_log_touch(vs->rel);
	}
	if ((sl.flags & SE_F_FILTERED) && sl.queued.len == 8 &&
	    ml_hex64(sl.queued.p, 8, &q) == 0) {
		/* the original envelope, handed to amavis: passed as q */
		if ((v = by_q(vs, (uint32_t)q)) != NULL)
			link_message(vs, v, msgid, fr);
		else
			pending_add(vs, msgid, &q, sl.amavis_id, fr);
		return;
	}
	if ((v = by_q(vs, msgid)) != NULL) {
		/* the re-injected copy, delivered onwards (the next hop's
		 * reply may hold an "id=" of its own: Exim's) */
		if (sl.result == SR_OK)
			v->nok++;
		else if (sl.result == SR_TEMPFAIL)
			v->ntemp++;
		else if (sl.result == SR_PERMFAIL)
			v->nperm++;
		update_fate(v);
		story_add(vs, v->story, &v->storylen, STORY_MAX, fr->time,
		    "smtpd", fr->msg, fr->msglen);
		return;
	}
	if (sl.amavis_id.len > 0) {
		/* the original envelope, blocked by amavis: the newest
		 * verdict of that log id (they come back with the pids) */
		if ((v = by_logid(vs, sl.amavis_id.p, sl.amavis_id.len,
		    NULL)) != NULL)
			link_message(vs, v, msgid, fr);
		else
			pending_add(vs, msgid, NULL, sl.amavis_id, fr);
		return;
	}
	/* perhaps a re-injected copy whose verdict is still to come */
	if ((in = inbound_find(vs, msgid)) != NULL) {
		if (sl.result == SR_OK)
			in->nok++;
		else if (sl.result == SR_TEMPFAIL)
			in->ntemp++;
		else if (sl.result == SR_PERMFAIL)
			in->nperm++;
	}
}

/* A copy linked after smtpd's lines about it: what they said. */
static void
copy_known(struct verdict_store *vs, struct release *rel)
{
	struct inbound	*in;

	if (!rel->has_copy || rel->storylen > 0 ||
	    (in = inbound_find(vs, rel->copy)) == NULL)
		return;
	if (rel->story == NULL)
		rel->story = xmalloc(RELEASE_STORY);
	memcpy(rel->story, in->story, in->storylen + 1);
	rel->storylen = in->storylen;
	rel->nok += in->nok;
	rel->ntemp += in->ntemp;
	rel->nperm += in->nperm;
}

/* What smtpd received before amavis judged it is not its released copy. */
static void
release_added(struct verdict_store *vs, struct release *rel)
{
	const struct row	*r;

	if (rel != NULL && rel->has_copy &&
	    (r = verdict_store_by_mailid(vs, rel->mail_id)) != NULL &&
	    r->cells[V_OMSGID].i == (int64_t)rel->copy)
		release_log_claimed(vs->rel, rel->copy);
	if (rel != NULL)
		copy_known(vs, rel);
}

void
verdict_store_expect_copy(struct verdict_store *vs, const char *mail_id,
    uint32_t msgid)
{
	struct release	*rel;
	int64_t		 now = (int64_t)wallclock_now();

	/* its release line comes within seconds, if it has not yet (an
	 * empty log has no newest line: the clock says when) */
	if ((rel = release_log_expect(vs->rel, mail_id, msgid,
	    (vs->newest > now ? vs->newest : now) + 60)) != NULL)
		copy_known(vs, rel);
}

static void
amavis_message(struct verdict_store *vs, struct ml_frame *fr)
{
	struct av_verdict	 av;
	struct av_release	 rel;

	switch (amavis_parse_line(&av, fr)) {
	case AV_VERDICT:
		/* a NUL in the log id: no key could name the row */
		if (memchr(av.logid.p, '\0', av.logid.len) != NULL)
			vs->bad++;
		else if (av.time >= vs->since)
			add_verdict(vs, &av);
		break;
	case AV_BAD:
		vs->bad++;
		break;
	case AV_RECIP:
		if (fr->time >= vs->since)
			vs->recip++;
		break;
	case AV_OTHER:
		switch (amavis_parse_release(&rel, fr)) {
		case 1:
			if (rel.time >= vs->since && ml_str_eq(rel.request,
			    "release"))
				release_added(vs, release_log_add(vs->rel,
				    &rel));
			break;
		case -1:
			vs->bad++;
			break;
		}
		break;
	default:
		break;
	}
}

void
verdict_store_line(struct verdict_store *vs, char *line, size_t len)
{
	struct ml_frame	 fr;

	if (line == NULL)		/* overlong */
		return;
	if (ml_frame_parse(&vs->clk, line, len, &fr) == -1)
		return;
	if (fr.kind == ML_SMTPD) {
		if (fr.time > vs->newest)
			vs->newest = fr.time;
		smtpd_event(vs, &fr);
	} else if (fr.kind == ML_AMAVIS) {
		if (fr.time > vs->newest)
			vs->newest = fr.time;
		ml_join_push(vs->join, &fr);
		while (ml_join_next(vs->join, &fr))
			amavis_message(vs, &fr);
	}
}

void
verdict_store_since(struct verdict_store *vs, int64_t since)
{
	vs->since = since;
}

void
verdict_store_flush(struct verdict_store *vs, int64_t before)
{
	struct ml_frame	 fr;

	ml_join_flush(vs->join, before);
	while (ml_join_next(vs->join, &fr))
		amavis_message(vs, &fr);
	ml_clock_init(&vs->clk, (int64_t)wallclock_now());
}

void
verdict_store_bury(struct verdict_store *vs)
{
	size_t	 i;

	for (i = 0; i < vs->ngrave_prev; i++)
		vrec_free(vs->grave_prev[i]);
	for (i = 0; i < vs->ngrave; i++)
		vrec_free(vs->grave[i]);
	free(vs->grave_prev);
	free(vs->grave);
	vs->grave_prev = vs->grave = NULL;
	vs->ngrave_prev = vs->ngrave = 0;
}

struct rowset *
verdict_store_rows(struct verdict_store *vs)
{
	struct rowset	*rs = rowset_new();
	size_t		 i;

	/* two row sets ago is off the screen: its evicted rows can go */
	for (i = 0; i < vs->ngrave_prev; i++)
		vrec_free(vs->grave_prev[i]);
	free(vs->grave_prev);
	vs->grave_prev = vs->grave;
	vs->ngrave_prev = vs->ngrave;
	vs->grave = NULL;
	vs->ngrave = 0;

	rs->cap = vs->n > 0 ? vs->n : 1;
	rs->rows = xreallocarray(NULL, rs->cap, sizeof(*rs->rows));
	for (i = 0; i < vs->n; i++)
		rs->rows[i] = vs->ring[(vs->first + i) % vs->max]->row;
	rs->nrows = vs->n;
	rs->nbad = vs->bad;
	return rs;
}

size_t
verdict_store_count(const struct verdict_store *vs)
{
	return vs->n;
}

size_t
verdict_store_evicted(const struct verdict_store *vs)
{
	return vs->ngrave;
}

size_t
verdict_store_bad(const struct verdict_store *vs)
{
	return vs->bad;
}

size_t
verdict_store_recip(const struct verdict_store *vs)
{
	return vs->recip;
}

int64_t
verdict_store_newest(const struct verdict_store *vs)
{
	return vs->newest;
}

static struct vrec *
find_rec(const struct verdict_store *vs, const char *key)
{
	size_t	 len = strlen(key);

	return by_rowkey(vs, key, len, hash_mem(key, len));
}

const struct row *
verdict_store_find(const struct verdict_store *vs, const char *key)
{
	struct vrec	*v = find_rec(vs, key);

	return v != NULL ? v->row : NULL;
}

const char *
verdict_store_story(const struct verdict_store *vs, const char *key)
{
	struct vrec	*v = find_rec(vs, key);

	return v != NULL ? v->story : NULL;
}

const struct row *
verdict_store_twin(const struct verdict_store *vs, const char *key)
{
	struct vrec	*v = find_rec(vs, key);

	return v != NULL && v->twin != NULL ? v->twin->row : NULL;
}

const struct row *
verdict_store_by_msgid(const struct verdict_store *vs, uint32_t msgid)
{
	struct vrec	*v, *best = NULL;

	if ((v = by_q(vs, msgid)) != NULL)
		best = v;
	for (v = vs->by_o[bucket(vs, msgid)]; v != NULL; v = v->lk_o.next)
		if (v->row->cells[V_OMSGID].i == (int64_t)msgid &&
		    (best == NULL || v->row->cells[V_TIME].i >
		    best->row->cells[V_TIME].i))
			best = v;
	return best != NULL ? best->row : NULL;
}

const struct row *
verdict_store_by_mailid(const struct verdict_store *vs, const char *mail_id)
{
	struct vrec	*v;
	uint64_t	 h = hash_mem(mail_id, strlen(mail_id));

	/* newest first: a mixed fate's two rows are both quarantined */
	for (v = vs->by_m[bucket(vs, h)]; v != NULL; v = v->lk_m.next)
		if (strcmp(v->row->cells[V_MAILID].s, mail_id) == 0)
			return v->row;
	return NULL;
}

const struct release *
verdict_store_release(const struct verdict_store *vs, const char *mail_id)
{
	return release_log_find(vs->rel, mail_id);
}

unsigned
verdict_store_release_gen(const struct verdict_store *vs)
{
	return release_log_gen(vs->rel);
}
