/*
 * Parsers of spamdb(8)'s listing and of "pfctl -t TABLE -T show".
 *
 * spamdb prints GREY|ip|helo|from|to|first|pass|expire|bcount|pcount,
 * WHITE|ip|||first|pass|expire|bcount|pcount, TRAPPED|ip|expire and
 * SPAMTRAP|address, nothing escaped.  The ip is never empty and holds no
 * '|', nor do the numbers; but helo, from and to are the client's raw bytes
 * ('|', control and 8-bit bytes included; only blanks, CR and LF are
 * cut), and a spamtrap address is everything after the first '|'.  So a
 * GREY line is taken from both ends: the type and the ip from the left, the
 * five numbers from the right, and helo|from|to is what is left.  When that
 * middle holds more than two '|', the split is a guess (grey_guessed()): see
 * split_guess().
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "spamdb.h"
#include "util.h"

/* Decimal number of len bytes, '-' first if neg_ok; -1 when it is not one. */
static int
parse_num(const char *s, size_t len, int neg_ok, int64_t *out)
{
	const char	*end = s + len;
	int64_t		 v = 0;
	unsigned	 d;
	int		 neg = 0;

	if (len > 0 && neg_ok && *s == '-') {
		neg = 1;
		s++;
	}
	if (s == end)
		return -1;
	if (end - s <= 18) {		/* cannot overflow */
		for (; s < end; s++) {
			if ((d = (unsigned char)*s - '0') > 9)
				return -1;
			v = v * 10 + d;
		}
	} else {
		for (; s < end; s++) {
			if ((d = (unsigned char)*s - '0') > 9)
				return -1;
			if (v > (INT64_MAX - (int64_t)d) / 10)
				return -1;
			v = v * 10 + d;
		}
	}
	*out = neg ? -v : v;
	return 0;
}

static const int64_t	 pow10[18] = {
	1, 10, 100, 1000, 10000, 100000, 1000000, 10000000, 100000000,
	1000000000, 10000000000, 100000000000, 1000000000000,
	10000000000000, 100000000000000, 1000000000000000,
	10000000000000000, 100000000000000000
};

/*
 * The last '|'-separated field of [s, *e) as a number; *e is left on the
 * '|' before it.  -1 when it is not a number or no '|' precedes it.  One
 * pass from the right: each digit is weighed by its place, so the digits
 * do not wait on each other as in v * 10 + d.
 */
static int
num_back(const char *s, const char **e, int neg_ok, int64_t *out)
{
	const char	*q = *e;
	int64_t		 v = 0;
	unsigned	 d;
	int		 k;

	for (k = 0; k < 18 && q > s && (d = (unsigned char)q[-1] - '0') <= 9;
	    k++, q--)
		v += (int64_t)d * pow10[k];
	if (q > s && q[-1] != '|' && q[-1] != '-') {
		/* 19 digits or more, or no number: the careful way */
		while (q > s && q[-1] != '|')
			q--;
		if (q == s || parse_num(q, (size_t)(*e - q), neg_ok, out) == -1)
			return -1;
		*e = q - 1;
		return 0;
	}
	if (q > s && q[-1] == '-' && k > 0 && neg_ok) {
		v = -v;
		q--;
	}
	if (k == 0 || q == s || q[-1] != '|')
		return -1;
	*out = v;
	*e = q - 1;
	return 0;
}

/* The next '|'-terminated field from *p as a number; *p is left after it. */
static int
num_fwd(const char **p, const char *end, int last, int neg_ok, int64_t *out)
{
	const char	*s = *p, *bar;

	bar = memchr(s, '|', (size_t)(end - s));
	if (last) {
		if (bar != NULL)
			return -1;
		bar = end;
	} else if (bar == NULL)
		return -1;
	if (parse_num(s, (size_t)(bar - s), neg_ok, out) == -1)
		return -1;
	*p = bar + 1;
	return 0;
}

/* The rightmost '|' in (lo, hi) followed by '<' before hi; NULL if none. */
static const char *
bar_open_back(const char *lo, const char *hi)
{
	const char	*p;

	for (p = hi - 2; p > lo; p--)
		if (p[0] == '|' && p[1] == '<')
			return p;
	return NULL;
}

/*
 * helo|from|to, with more than two '|' in [ms, me): b1 is the first '|',
 * bl the last.  Sets *q (the '|' before from) and *p (the '|' before to).
 *
 * from and to are normally <...>, and a client sends both the same way, so
 * prefer, in this order:
 *  1. both bracketed: to starts at the rightmost "|<" whose '|' follows a
 *     '>' (the end of from) when the middle ends with '>', and from starts
 *     at the rightmost "|<" before that;
 *  2. only to bracketed: to as above without the '>' before it, from from
 *     the first '|' to there;
 *  3. neither: helo is the first part, to the last, from all in between
 *     (from may still be bracketed on its own: it then starts at the
 *     rightmost "|<" before to).
 * The helo (leftmost) gets whatever '|' is left over.  Every candidate is
 * the rightmost one, so the rule is deterministic; the result is still a
 * guess, and nothing should act on a guessed address.
 */
static void
split_guess(const char *me, const char *b1, const char *bl, const char **q,
    const char **p)
{
	const char	*pp, *qq;
	int		 to_br = me[-1] == '>';

	/* 1: "...>|<...>" at the from/to boundary, and a "|<" before it */
	if (to_br) {
		for (pp = me - 2; pp > b1; pp--)
			if (pp[0] == '|' && pp[1] == '<' && pp[-1] == '>')
				break;
		if (pp > b1 && (qq = bar_open_back(b1 - 1, pp)) != NULL) {
			*p = pp;
			*q = qq;
			return;
		}
	}
	/* 2 and 3 */
	pp = NULL;
	if (to_br)
		pp = bar_open_back(b1, me);
	if (pp == NULL)
		pp = bl;
	qq = NULL;
	if (pp[-1] == '>')
		qq = bar_open_back(b1 - 1, pp);
	if (qq == NULL)
		qq = b1;
	*p = pp;
	*q = qq;
}

/*
 * A tuple's key: its ip (what the actions need), '\n', and a hash of
 * "ip|helo|from|to" as spamdb printed it, in 11 characters of 6 bits from
 * an alphabet in ASCII order (the keys sort as the hashes).  Two tuples of
 * one ip would need a 64-bit collision to share it; the full text as the
 * key cost a third of a row's memory.
 */
#define KEY_HASH_CHARS	11
static const char	 key_alphabet[] =
    "-0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz";

static const char *
grey_key(struct rowset *rs, const char *ip, size_t iplen, uint64_t h)
{
	char		*k = arena_strspace(&rs->arena, iplen + 1 +
			    KEY_HASH_CHARS);
	int		 b;

	memcpy(k, ip, iplen);
	k[iplen] = '\n';
	for (b = 0; b < KEY_HASH_CHARS; b++)
		k[iplen + 1 + b] = key_alphabet[(h >> (60 - 6 * b)) & 0x3f];
	k[iplen + 1 + KEY_HASH_CHARS] = '\0';
	return k;
}

const char *
grey_domain(const char *from, char *buf, size_t len, char **heap)
{
	const char	*fs = from, *fe = from + strlen(from), *at;
	size_t		 dlen, i;
	char		*dom;

	*heap = NULL;
	if (fe > fs && fe[-1] == '>')
		fe--;
	for (at = fe; at > fs && at[-1] != '@'; at--)
		;
	if (at == fs || (dlen = (size_t)(fe - at)) == 0)
		return "";
	dom = dlen < len ? buf : (*heap = xmalloc(dlen + 1));
	for (i = 0; i < dlen; i++)
		dom[i] = at[i] >= 'A' && at[i] <= 'Z' ? at[i] + ('a' - 'A') :
		    at[i];
	dom[dlen] = '\0';
	return dom;
}

int
grey_guessed(const struct row *r)
{
	return strchr(r->cells[G_HELO].s, '|') != NULL ||
	    strchr(r->cells[G_FROM].s, '|') != NULL ||
	    strchr(r->cells[G_TO].s, '|') != NULL;
}

uint64_t
grey_key_hash(const char *key)
{
	const char	*p = strchr(key, '\n');
	uint64_t	 h = 0, v;
	int		 b, c;

	if (p == NULL)
		return 0;
	for (b = 1; b <= KEY_HASH_CHARS && p[b] != '\0'; b++) {
		c = (unsigned char)p[b];
		/* key_alphabet's places, by its ranges */
		v = c <= '-' ? 0 : c <= '9' ? (uint64_t)(c - '0' + 1) :
		    c <= 'Z' ? (uint64_t)(c - 'A' + 11) : c == '_' ? 37 :
		    (uint64_t)(c - 'a' + 38);
		h = h << 6 | (v & 0x3f);
	}
	return h;
}

/*
 * The last read's tuples, for a re-read: it shares the rows of the tuples
 * it finds unchanged (most of them, two seconds later) instead of making
 * them again, and tells the new ones.
 *
 * spamdb lists its database in the same order each time, less the tuples
 * gone, plus the new ones, and now and then a run moved elsewhere (a hash
 * bucket split).  So each tuple is looked for where the last one found
 * was followed, and a few rows on; one not there waits (pending) until
 * the end, when the few pending rows are matched against the few last
 * read's rows nothing claimed.  Only when a long run of lines finds
 * nothing where expected are all the last read's rows indexed by hash
 * (slot: row numbers + 1, open addressing, at most half full), to find
 * where the listing went on.
 */
struct grey_prev {
	const struct rowset	*rs;
	uint64_t		*claimed;	/* a bit per row of rs */
	size_t			 nclaimed;
	uint32_t		*slot;		/* NULL until needed */
	size_t			 mask;
	size_t			 nshared;	/* rows that take from rs */
	/* the new rows that matched nothing when read, before slot */
	uint32_t		*pending;
	size_t			 npending;
	uint64_t		*fresh;		/* hashes of the new rows */
	size_t			 nfresh;
	uint32_t		*map;		/* the new set's prev */
	size_t			 nmap;
	size_t			 next;		/* the row likely found next */
	size_t			 misses;	/* lines in a row not there */
};

#define PREV_AHEAD	16	/* rows looked at after next */
#define PREV_MISSES	64	/* lines in a row that make the slots */

static int
prev_claimed(const struct grey_prev *gp, size_t i)
{
	return (gp->claimed[i / 64] >> (i % 64)) & 1;
}

static void
prev_claim(struct grey_prev *gp, size_t i)
{
	gp->claimed[i / 64] |= 1ULL << (i % 64);
	gp->nclaimed++;
}

static size_t
prev_slot(size_t mask, uint64_t h)
{
	return (size_t)(h * 0x9e3779b97f4a7c15ULL >> 32) & mask;
}

struct grey_prev *
grey_prev_new(const struct rowset *rs)
{
	struct grey_prev	*gp = xcalloc(1, sizeof(*gp));

	gp->rs = rs;
	if (rs->nrows > UINT32_MAX / 2)
		fatalx("grey_prev_new: %zu rows", rs->nrows);
	gp->claimed = xcalloc(rs->nrows / 64 + 1, sizeof(*gp->claimed));
	return gp;
}

/* Slots for the n rows of rs nothing claimed yet. */
static uint32_t *
prev_index(const struct grey_prev *gp, size_t n, size_t *mask)
{
	const struct rowset	*rs = gp->rs;
	uint32_t		*slot;
	size_t			 i, j, cap = 16;

	while (cap < 2 * n)
		cap <<= 1;
	*mask = cap - 1;
	slot = xcalloc(cap, sizeof(*slot));
	for (i = 0; i < rs->nrows; i++) {
		if (prev_claimed(gp, i))
			continue;
		for (j = prev_slot(*mask, grey_key_hash(rs->rows[i]->key));
		    slot[j] != 0; j = (j + 1) & *mask)
			;
		slot[j] = (uint32_t)i + 1;
	}
	return slot;
}

void
grey_prev_free(struct grey_prev *gp)
{
	if (gp == NULL)
		return;
	free(gp->claimed);
	free(gp->slot);
	free(gp->pending);
	free(gp->fresh);
	free(gp->map);
	free(gp);
}

/* Append v to a list that doubles its room at each power of 2. */
static void
list_add(uint32_t **list, size_t *n, uint32_t v)
{
	if ((*n & (*n - 1)) == 0)	/* 0, 1, 2, 4... */
		*list = xreallocarray(*list, *n ? *n * 2 : 1, sizeof(**list));
	(*list)[(*n)++] = v;
}

/* Whether old and new rows are the same tuple. */
static int
same_tuple(const struct row *a, const struct row *b)
{
	int	 f;

	if (strcmp(a->key, b->key) != 0)
		return 0;
	for (f = G_HELO; f <= G_TO; f++)
		if (a->cells[f].s != b->cells[f].s &&
		    strcmp(a->cells[f].s, b->cells[f].s) != 0)
			return 0;
	return 1;
}

/* The unclaimed row of the slots that is r's tuple: its number, or -1. */
static long
prev_probe(const struct grey_prev *gp, const uint32_t *slot, size_t mask,
    const struct row *r)
{
	const struct rowset	*rs = gp->rs;
	uint64_t		 h = grey_key_hash(r->key);
	size_t			 j, o;

	for (j = prev_slot(mask, h); slot[j] != 0; j = (j + 1) & mask) {
		o = slot[j] - 1;
		if (!prev_claimed(gp, o) &&
		    grey_key_hash(rs->rows[o]->key) == h &&
		    same_tuple(rs->rows[o], r))
			return (long)o;
	}
	return -1;
}

static void
prev_fresh_add(struct grey_prev *gp, uint64_t h)
{
	if ((gp->nfresh & (gp->nfresh - 1)) == 0)	/* 0, 1, 2, 4... */
		gp->fresh = xreallocarray(gp->fresh, gp->nfresh ?
		    gp->nfresh * 2 : 1, sizeof(*gp->fresh));
	gp->fresh[gp->nfresh++] = h;
}

/*
 * The pending rows of rs against the last read's rows nothing claimed:
 * those that match are no longer new.  rs gets its map to the last read
 * (rs->prev); the hashes of the new tuples are handed over.
 */
uint64_t *
grey_prev_finish(struct grey_prev *gp, struct rowset *rs, size_t *n)
{
	uint32_t	*slot = gp->slot;
	size_t		 i, mask = gp->mask, left;
	const struct row *r;
	long		 o;
	uint64_t	*f;

	left = gp->rs->nrows - gp->nclaimed;
	if (gp->npending > 0 && left > 0 && slot == NULL)
		slot = prev_index(gp, left, &mask);
	for (i = 0; i < gp->npending; i++) {
		r = rs->rows[gp->pending[i]];
		if (left > 0 && (o = prev_probe(gp, slot, mask, r)) != -1) {
			prev_claim(gp, (size_t)o);
			gp->map[gp->pending[i]] = (uint32_t)o + 1;
			left--;
		} else
			prev_fresh_add(gp, grey_key_hash(r->key));
	}
	if (slot != gp->slot)
		free(slot);
	gp->npending = 0;
	free(rs->prev);
	rs->prev = NULL;
	if (gp->nmap == rs->nrows) {
		rs->prev = gp->map;
		rs->prev_serial = gp->rs->serial;
		gp->map = NULL;
		gp->nmap = 0;
	}
	f = gp->fresh;
	*n = gp->nfresh;
	gp->fresh = NULL;
	gp->nfresh = 0;
	return f;
}

/*
 * The next row of the new set has the key of old row i (-1: none, yet),
 * and is that row if same is ROW_PREV_SAME.
 */
static void
prev_map_add(struct grey_prev *gp, long i, uint32_t same)
{
	if (i + 1 >= (long)ROW_PREV_SAME)
		fatalx("grey: %ld rows", i);
	list_add(&gp->map, &gp->nmap, (uint32_t)(i + 1) | same);
	gp->nshared += i >= 0;
}

/* Whether a cell's string is the len bytes at s (a line holds no NUL). */
static int
same_str(const char *cell, const char *s, size_t len)
{
	return strncmp(cell, s, len) == 0 && cell[len] == '\0';
}

/* Whether row r is the tuple of that text. */
static int
prev_is(const struct row *r, const char *ip, size_t iplen, const char *ms,
    const char *q, const char *p, const char *me)
{
	const char	*k = r->key;

	return strncmp(k, ip, iplen) == 0 && k[iplen] == '\n' &&
	    same_str(r->cells[G_HELO].s, ms, (size_t)(q - ms)) &&
	    same_str(r->cells[G_FROM].s, q + 1, (size_t)(p - q - 1)) &&
	    same_str(r->cells[G_TO].s, p + 1, (size_t)(me - p - 1));
}

/*
 * The last read's row of the tuple with ip [ip, ipend), helo [ms, q),
 * from (q, p) and to (p, me), NULL if it is not found (yet); the text
 * itself is compared, a hash is no proof.  *hashed tells whether the
 * slots were looked at, and *h is then the tuple's hash.
 */
static struct row *
prev_find(struct grey_prev *gp, uint64_t *h, int *hashed, const char *ip,
    const char *ipend, const char *ms, const char *q, const char *p,
    const char *me)
{
	const struct rowset	*rs = gp->rs;
	struct row		*r;
	size_t			 i, j, iplen = (size_t)(ipend - ip);

	for (i = gp->next; i < rs->nrows && i < gp->next + PREV_AHEAD; i++)
		if (!prev_claimed(gp, i) &&
		    prev_is(rs->rows[i], ip, iplen, ms, q, p, me))
			goto found;
	if (gp->slot == NULL && ++gp->misses < PREV_MISSES)
		return NULL;
	if (gp->slot == NULL)
		gp->slot = prev_index(gp, rs->nrows - gp->nclaimed, &gp->mask);
	*h = hash_mem(ip, (size_t)(me - ip));
	*hashed = 1;
	for (j = prev_slot(gp->mask, *h); gp->slot[j] != 0;
	    j = (j + 1) & gp->mask) {
		i = gp->slot[j] - 1;
		r = rs->rows[i];
		if (!prev_claimed(gp, i) && grey_key_hash(r->key) == *h &&
		    prev_is(r, ip, iplen, ms, q, p, me))
			goto found;
	}
	return NULL;
found:
	prev_claim(gp, i);
	gp->next = i + 1;
	gp->misses = 0;
	return rs->rows[i];
}

/*
 * Whether the text after "GREY|", [p, end), is row r's line as spamdb
 * prints it: then it parses to r, and r is all there is to compare.  Any
 * other spelling (leading zeros, say) is left to the parse.
 */
static int
line_is_row(const struct row *r, const char *p, const char *end)
{
	const char	*s;
	size_t		 n;
	int64_t		 v;
	unsigned	 d;
	int		 f, neg, nd;

	for (f = G_IP; f <= G_TO; f++) {
		s = r->cells[f].s;
		n = strlen(s);
		if ((size_t)(end - p) <= n || memcmp(p, s, n) != 0 ||
		    p[n] != '|')
			return 0;
		p += n + 1;
	}
	for (f = G_FIRST; f <= G_PCOUNT; f++) {
		neg = f >= G_BCOUNT && p < end && *p == '-';
		p += neg;
		for (v = 0, nd = 0; p < end && (d = (unsigned)*p - '0') <= 9 &&
		    nd < 18; p++, nd++)
			v = v * 10 + d;
		if (nd == 0 || (neg ? -v : v) != r->cells[f].i)
			return 0;
		if (f < G_PCOUNT && (p == end || *p++ != '|'))
			return 0;
	}
	return p == end;
}

/*
 * The line of the row expected next, the common case of a re-read: that
 * row, and no parse.
 */
static int
prev_same_line(struct grey_prev *gp, struct rowset *rs, const char *line,
    size_t len)
{
	size_t	 i = gp->next;

	if (i >= gp->rs->nrows || prev_claimed(gp, i) || len < 5 ||
	    memcmp(line, "GREY|", 5) != 0 ||
	    !line_is_row(gp->rs->rows[i], line + 5, line + len))
		return 0;
	prev_claim(gp, i);
	gp->next = i + 1;
	gp->misses = 0;
	prev_map_add(gp, (long)i, ROW_PREV_SAME);
	rowset_push(rs, gp->rs->rows[i]);
	return 1;
}

size_t
grey_prev_nshared(const struct grey_prev *gp)
{
	return gp->nshared;
}

/*
 * Give the rows of rs that are, or point into, the old set copies of
 * their own: rs then holds nothing of the old set, which can go with its
 * arena, dead rows and all.  A row seen again has the old row's key (the
 * same pointer); one matched at the end has its own.
 */
void
grey_prev_copy_out(struct grey_prev *gp, struct rowset *rs)
{
	const uint32_t	*map = rs->prev != NULL ? rs->prev : gp->map;
	struct row	*r, *old;
	union cell	*c;
	size_t		 i;
	uint32_t	 v;
	const char	*s;
	int		 f;

	for (i = 0; map != NULL && i < rs->nrows; i++) {
		if ((v = map[i]) == 0)
			continue;
		old = gp->rs->rows[ROW_PREV_PLACE(v) - 1];
		r = rs->rows[i];
		if (v & ROW_PREV_SAME) {
			r = arena_alloc(&rs->arena, sizeof(*r) +
			    G_NCELLS * sizeof(r->cells[0]));
			memcpy(r->cells, old->cells, G_NCELLS * sizeof(r->cells[0]));
			rs->rows[i] = r;
		} else if (r->key != old->key)
			continue;
		c = r->cells;
		r->key = arena_strndup(&rs->arena, old->key, strlen(old->key));
		c[G_IP].s = arena_strndup(&rs->arena, c[G_IP].s,
		    strlen(c[G_IP].s));
		for (f = G_HELO; f <= G_TO; f++) {
			s = c[f].s;
			c[f].s = rowset_intern_some(rs, f, s, strlen(s));
		}
	}
	gp->nshared = 0;
}

/* A GREY line; rs NULL: only check it. */
static int
parse_grey(struct rowset *rs, struct grey_prev *gp, const char *line,
    size_t len)
{
	const char	*end = line + len, *ip, *ipend, *ms, *me, *e;
	const char	*b1, *b2, *b3, *bl, *q, *p;
	int64_t		 n[5];
	uint64_t	 h = 0;
	const char	*key;
	struct row	*row, *old = NULL;
	union cell	*c;
	int		 i, hashed = 0;

	ip = line + 5;			/* "GREY|" */
	if ((ipend = memchr(ip, '|', (size_t)(end - ip))) == NULL ||
	    ipend == ip)
		return -1;
	ms = ipend + 1;

	/* the five numbers, from the right */
	e = end;
	if (num_back(ms, &e, 1, &n[4]) == -1 ||
	    num_back(ms, &e, 1, &n[3]) == -1 ||
	    num_back(ms, &e, 0, &n[2]) == -1 ||
	    num_back(ms, &e, 0, &n[1]) == -1 ||
	    num_back(ms, &e, 0, &n[0]) == -1)
		return -1;
	me = e;				/* on the '|' before first */

	/* helo|from|to in [ms, me): at least two '|' */
	if (me <= ms || (b1 = memchr(ms, '|', (size_t)(me - ms))) == NULL ||
	    (b2 = memchr(b1 + 1, '|', (size_t)(me - b1 - 1))) == NULL)
		return -1;
	b3 = memchr(b2 + 1, '|', (size_t)(me - b2 - 1));
	if (b3 == NULL) {
		q = b1;
		p = b2;
	} else {
		for (bl = me - 1; *bl != '|'; bl--)
			;
		split_guess(me, b1, bl, &q, &p);
	}
	if (rs == NULL)
		return 0;

	if (gp != NULL)
		old = prev_find(gp, &h, &hashed, ip, ipend, ms, q, p, me);
	if (old == NULL && !hashed)
		h = hash_mem(ip, (size_t)(me - ip));
	if (old == NULL && gp != NULL) {
		if (hashed)	/* the slots would have found it */
			prev_fresh_add(gp, h);
		else
			list_add(&gp->pending, &gp->npending,
			    (uint32_t)rs->nrows);
		prev_map_add(gp, -1, 0);
	}
	if (old != NULL) {
		for (i = 0; i < 5 && old->cells[G_FIRST + i].i == n[i]; i++)
			;
		prev_map_add(gp, (long)gp->next - 1,
		    i == 5 ? ROW_PREV_SAME : 0);
		if (i == 5) {
			rowset_push(rs, old);
			return 0;
		}
		/* the same tuple, seen again: new times and counts */
		row = rowset_add(rs, G_NCELLS);
		memcpy(row->cells, old->cells, G_FIRST * sizeof(row->cells[0]));
		key = old->key;
	} else {
		key = grey_key(rs, ip, (size_t)(ipend - ip), h);
		row = rowset_add(rs, G_NCELLS);
		c = row->cells;
		c[G_IP].s = arena_strndup(&rs->arena, ip,
		    (size_t)(ipend - ip));
		c[G_HELO].s = rowset_intern_some(rs, G_HELO, ms,
		    (size_t)(q - ms));
		c[G_FROM].s = rowset_intern_some(rs, G_FROM, q + 1,
		    (size_t)(p - q - 1));
		c[G_TO].s = rowset_intern_some(rs, G_TO, p + 1,
		    (size_t)(me - p - 1));
	}
	c = row->cells;
	c[G_FIRST].i = n[0];
	c[G_PASS].i = n[1];
	c[G_EXPIRE].i = n[2];
	c[G_BCOUNT].i = n[3];
	c[G_PCOUNT].i = n[4];
	row->key = key;
	return 0;
}

enum wkind { WK_WHITE, WK_TRAPPED, WK_SPAMTRAP };

/* A WHITE, TRAPPED or SPAMTRAP line; rs NULL: only check it. */
static int
parse_white(struct rowset *rs, enum wkind kind, const char *line,
    size_t len, size_t tlen)
{
	static const char *const types[] = { "WHITE", "TRAPPED", "SPAMTRAP" };
	const char	*end = line + len, *ip = line + tlen + 1, *ipend, *s;
	int64_t		 n[5];
	char		*key;
	struct row	*row;
	union cell	*c;
	int		 i;

	if (kind == WK_SPAMTRAP)
		ipend = end;		/* the address: the rest, '|' and all */
	else if ((ipend = memchr(ip, '|', (size_t)(end - ip))) == NULL)
		return -1;
	if (ipend == ip)
		return -1;

	for (i = 0; i < 5; i++)
		n[i] = CELL_NONE;
	if (kind == WK_WHITE) {
		/* ip|||first|pass|expire|bcount|pcount */
		s = ipend + 1;
		if (end - s < 2 || s[0] != '|' || s[1] != '|')
			return -1;
		s += 2;
		for (i = 0; i < 5; i++)
			if (num_fwd(&s, end, i == 4, i >= 3, &n[i]) == -1)
				return -1;
	} else if (kind == WK_TRAPPED) {
		s = ipend + 1;
		if (num_fwd(&s, end, 1, 0, &n[2]) == -1)
			return -1;
	}
	if (rs == NULL)
		return 0;

	/* "TYPE\nip": the key, unique across kinds; the ip is its tail */
	key = arena_strndup(&rs->arena, line, (size_t)(ipend - line));
	key[tlen] = '\n';

	row = rowset_add(rs, W_NCELLS);
	c = row->cells;
	c[W_TYPE].s = types[kind];
	c[W_KEY].s = key + tlen + 1;
	c[W_FIRST].i = n[0];
	c[W_PASS].i = n[1];
	c[W_EXPIRE].i = n[2];
	c[W_BCOUNT].i = n[3];
	c[W_PCOUNT].i = n[4];
	c[W_INPF].s = "-";
	row->key = key;
	return 0;
}

/*
 * Counts go to sc (which may be NULL); rs->nbad is left alone: a bad line
 * may belong to neither pane, so the provider decides where to show it.
 */
int
spamdb_parse_line(struct rowset *grey, struct rowset *white,
    struct spamdb_counts *sc, const char *line, size_t len)
{
	return spamdb_parse_line_prev(grey, NULL, white, sc, line, len);
}

int
spamdb_parse_line_prev(struct rowset *grey, struct grey_prev *gp,
    struct rowset *white, struct spamdb_counts *sc, const char *line,
    size_t len)
{
	const char	*bar;
	size_t		*count, tlen;
	enum wkind	 kind;
	int		 r;

	if (len == 0)
		return 0;
	if (gp != NULL && grey != NULL && prev_same_line(gp, grey, line, len)) {
		if (sc != NULL)
			sc->grey++;
		return 0;
	}
	if ((bar = memchr(line, '|', len)) == NULL ||
	    memchr(line, '\0', len) != NULL || memchr(line, '\n', len) != NULL)
		goto bad;
	tlen = (size_t)(bar - line);

	if (tlen == 4 && memcmp(line, "GREY", 4) == 0) {
		r = parse_grey(grey, grey != NULL ? gp : NULL, line, len);
		count = sc != NULL ? &sc->grey : NULL;
	} else {
		if (tlen == 5 && memcmp(line, "WHITE", 5) == 0)
			kind = WK_WHITE;
		else if (tlen == 7 && memcmp(line, "TRAPPED", 7) == 0)
			kind = WK_TRAPPED;
		else if (tlen == 8 && memcmp(line, "SPAMTRAP", 8) == 0)
			kind = WK_SPAMTRAP;
		else
			goto bad;
		r = parse_white(white, kind, line, len, tlen);
		count = sc == NULL ? NULL : kind == WK_WHITE ? &sc->white :
		    kind == WK_TRAPPED ? &sc->trapped : &sc->spamtrap;
	}
	if (r == -1)
		goto bad;
	if (count != NULL)
		(*count)++;
	return 0;

bad:
	if (sc != NULL)
		sc->bad++;
	return -1;
}

int
pftable_parse_line(const char *line, size_t len, char *addr, size_t addrlen)
{
	size_t	 i;

	/* "%c %c%s": feedback (' ' for show), ' ', ' ' or '!', address */
	if (len < 4 || line[0] != ' ' || line[1] != ' ' ||
	    (line[2] != ' ' && line[2] != '!'))
		return -1;
	for (i = 3; i < len; i++)
		if ((unsigned char)line[i] <= ' ' ||
		    (unsigned char)line[i] >= 0x7f)
			return -1;
	if (addrlen < len - 3 + 1)
		return -1;
	memcpy(addr, line + 3, len - 3);
	addr[len - 3] = '\0';
	return line[2] == '!';
}
