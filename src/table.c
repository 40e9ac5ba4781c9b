#include "config.h"

#include <sys/types.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <arpa/inet.h>

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "radix.h"
#include "table.h"

void
table_init(struct table *t, const struct pane_desc *desc)
{
	memset(t, 0, sizeof(*t));
	t->desc = desc;
	t->sort_col = desc->sort_column;
	t->sort_rev = desc->sort_reverse;
}

void
table_free(struct table *t)
{
	free(t->view);
	free(t->bykey);
	free(t->filter);
	free(t->cursor_key);
	if (t->md != NULL)
		pcre2_match_data_free(t->md);
	if (t->re != NULL)
		pcre2_code_free(t->re);
	strset_clear(&t->tags);
	memset(t, 0, sizeof(*t));
}

/* Sort entries point at places of rs->rows: the row, and its place. */
static const struct row *
ent_row(const struct sortent *e)
{
	return *(struct row *const *)e->p;
}

static uint32_t
ent_place(const struct rowset *rs, const struct sortent *e)
{
	return (uint32_t)((struct row *const *)e->p - rs->rows);
}

static const char *
cell_text(const void *p, void *arg)
{
	return (*(struct row *const *)p)->cells[*(const int *)arg].s;
}

static const char *
key_text(const void *p, void *arg)
{
	(void)arg;
	return (*(struct row *const *)p)->key;
}

const struct row *
table_row_at(const struct table *t, size_t i)
{
	return t->rs->rows[t->view[i]];
}

/* The rows of rs at the n places, sorted by key. */
static void
sort_places(const struct rowset *rs, uint32_t *at, size_t n)
{
	struct sortent	*v;
	size_t		 i;

	v = radix_scratch(n, sizeof(*v));
	for (i = 0; i < n; i++)
		v[i].p = &rs->rows[at[i]];
	radix_sort_strings(v, n, key_text, NULL);
	for (i = 0; i < n; i++)
		at[i] = ent_place(rs, &v[i]);
	radix_scratch_free(v, n, sizeof(*v));
}

/* The first of the n places at whose key is greater than key. */
static size_t
key_upper(const struct rowset *rs, const uint32_t *at, size_t n,
    const char *key)
{
	size_t	 lo = 0, hi = n, mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (strcmp(rs->rows[at[mid]]->key, key) <= 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/*
 * For a re-read that says which rows of the table's last set it has
 * (rs->prev), where each of those rows is now: their places in rs by old
 * place, UINT32_MAX for the rows gone.  *nf: the rows of rs that are new.
 * NULL when rs says nothing of that set, or gives two rows one old row.
 */
static uint32_t *
prev_inverse(const struct table *t, const struct rowset *rs, size_t *nf)
{
	uint32_t	*inv;
	size_t		 i, nold = t->nkeys;
	uint32_t	 o;

	*nf = 0;
	if (rs == NULL || rs->prev == NULL || t->bykey == NULL ||
	    rs->prev_serial != t->keys_serial)
		return NULL;
	inv = xreallocarray(NULL, nold + 1, sizeof(*inv));
	memset(inv, 0xff, (nold + 1) * sizeof(*inv));
	for (i = 0; i < rs->nrows; i++) {
		if ((o = ROW_PREV_PLACE(rs->prev[i]) - 1) >= nold)
			(*nf)++;
		else if (inv[o] != UINT32_MAX) {
			free(inv);
			return NULL;
		} else
			inv[o] = (uint32_t)i;
	}
	return inv;
}

/*
 * Merge the n - nk places at the end of by (from nk on, in order) with
 * the nk places of add (in order) into by, by cmp: each of add goes
 * after the ones of by it does not precede.  Forwards: what is written
 * never passes what is read.
 */
static void
merge_places(uint32_t *by, size_t n, const uint32_t *add, size_t nk,
    size_t (*upper)(const void *, const uint32_t *, size_t, uint32_t),
    const void *arg)
{
	size_t	 k, a, w, at;

	for (k = 0, a = nk, w = 0; k < nk; k++) {
		at = a + upper(arg, by + a, n - a, add[k]);
		memmove(by + w, by + a, (at - a) * sizeof(*by));
		w += at - a;
		a = at;
		by[w++] = add[k];
	}
}

static size_t
key_upper_place(const void *arg, const uint32_t *at, size_t n, uint32_t p)
{
	const struct rowset	*rs = arg;

	return key_upper(rs, at, n, rs->rows[p]->key);
}

/*
 * The key order of a re-read from the last one's: the rows it kept, in
 * their order, and the nf others sorted and put in their places.  0, or
 * -1 when it is no shortcut (too many new rows): then sort.
 */
static int
keys_merge(struct table *t, uint32_t *by, const uint32_t *inv, size_t nf)
{
	const struct rowset	*rs = t->rs;
	uint32_t		*fresh;
	size_t			 i, k, n = rs->nrows, a;

	if (nf > n / 8)
		return -1;
	fresh = xreallocarray(NULL, nf + 1, sizeof(*fresh));
	for (i = 0, k = 0; i < n; i++)
		if (ROW_PREV_PLACE(rs->prev[i]) - 1 >= t->nkeys)
			fresh[k++] = (uint32_t)i;
	/* the kept rows in the old order, at the end of by */
	for (i = 0, a = nf; i < t->nkeys; i++)
		if (inv[t->bykey[i]] != UINT32_MAX)
			by[a++] = inv[t->bykey[i]];
	sort_places(rs, fresh, nf);
	merge_places(by, n, fresh, nf, key_upper_place, rs);
	free(fresh);
	return 0;
}

/*
 * The rows in key order, once per set of rows: the views are made from
 * them, so a stable sort by a cell leaves equal cells in key order.  inv
 * (prev_inverse) when the set is a re-read of the last one.
 */
static void
sort_by_key(struct table *t, const uint32_t *inv, size_t nf)
{
	const struct rowset	*rs = t->rs;
	uint32_t		*by;
	size_t			 i, n = rs != NULL ? rs->nrows : 0;

	if (rs != NULL && rs->serial == t->keys_serial && n == t->nkeys)
		return;
	by = n > 0 ? xreallocarray(NULL, n, sizeof(*by)) : NULL;
	if (n > 0 && (inv == NULL || keys_merge(t, by, inv, nf) == -1)) {
		for (i = 0; i < n; i++)
			by[i] = (uint32_t)i;
		sort_places(rs, by, n);
	}
	free(t->bykey);
	t->bykey = by;
	t->nkeys = n;
	t->keys_serial = rs != NULL ? rs->serial : 0;
}

/*
 * An address as two 64-bit halves, IPv4 mapped into IPv6 (::ffff:a.b.c.d):
 * 0, or -1 if the text is no address.  Dotted quads by hand: inet_pton
 * would cost more than the sort of a million of them.
 */
static int
addr_order(const char *s, uint64_t *hi, uint64_t *lo)
{
	struct in6_addr	 a;
	const char	*p = s;
	uint64_t	 v = 0, part;
	int		 i, j, d;

	for (i = 0; i < 4; i++) {
		if (i > 0 && *p++ != '.')
			break;
		for (j = 0, part = 0; j < 3 && (d = *p - '0') >= 0 && d <= 9;
		    j++, p++)
			part = part * 10 + (uint64_t)d;
		if (j == 0 || part > 255 || (j > 1 && p[-j] == '0'))
			break;
		v = v << 8 | part;
	}
	if (i == 4 && *p == '\0') {
		*hi = 0;
		*lo = 0xffff00000000ULL | v;
		return 0;
	}
	/* amavis logs an IPv6 client as SMTP writes it: [IPv6:2001:db8::1] */
	if (strncasecmp(s, "IPv6:", 5) == 0)
		s += 5;
	if (strchr(s, ':') == NULL || inet_pton(AF_INET6, s, &a) != 1)
		return -1;
	*hi = *lo = 0;
	for (i = 0; i < 8; i++) {
		*hi = *hi << 8 | a.s6_addr[i];
		*lo = *lo << 8 | a.s6_addr[8 + i];
	}
	return 0;
}

/* The order of a row by an integer cell, or the low half of an address. */
static uint64_t
sort_key(const struct row *r, int cell, int addr, uint64_t *hi)
{
	uint64_t	 lo;

	if (!addr)
		/* signed to unsigned order */
		return (uint64_t)r->cells[cell].i ^ (1ULL << 63);
	if (addr_order(r->cells[cell].s, hi, &lo) == -1)
		*hi = lo = UINT64_MAX;
	return lo;
}

/*
 * Fill v with the rows at the n places and their keys by an integer or
 * address cell; 1 if the high halves of the addresses differ.
 */
static int
gather_keys(const struct rowset *rs, const uint32_t *at, size_t n,
    struct sortent *v, int cell, int addr)
{
	const struct row	*r;
	uint64_t		 hi = 0, hi0 = 0;
	size_t			 i;
	int			 split = 0;

	for (i = 0; i < n; i++) {
		r = rs->rows[at[i]];
		/* the rows are in key order, not in memory order */
		if (i + 32 < n)
			PREFETCH(&rs->rows[at[i + 32]]);
		if (i + 16 < n)
			PREFETCH(&rs->rows[at[i + 16]]->cells[cell]);
		if (addr && i + 8 < n)
			PREFETCH(rs->rows[at[i + 8]]->cells[cell].s);
		v[i].p = &rs->rows[at[i]];
		v[i].k = sort_key(r, cell, addr, &hi);
		if (i == 0)
			hi0 = hi;
		else if (addr && hi != hi0)
			split = 1;
	}
	return split;
}

/* How the view is ordered: by the sort column, then by key. */
struct vorder {
	const struct rowset	*rs;
	const uint32_t		*rank;		/* places in key order */
	int			 cell;
	int			 str;
	int			 addr;
	int			 none_last;	/* no value: last, not first */
	int			 rev;
};

static void
vorder_init(const struct table *t, struct vorder *o)
{
	const struct column	*col;

	col = &t->desc->columns[t->desc->screen[t->sort_col].column];
	memset(o, 0, sizeof(*o));
	o->rs = t->rs;
	o->cell = col->cell;
	o->addr = (col->flags & COL_SORT_ADDR) != 0;
	o->str = col->type == COL_STR && !o->addr;
	o->none_last = (col->flags & COL_NONE_LAST) && !o->str && !o->addr &&
	    !t->sort_rev;
	o->rev = t->sort_rev;
}

/*
 * Sort the n places at (in key order) as the view shows them: by the sort
 * column (rows with the same value in key order), reversed if asked, rows
 * with no value last if the column wants them there.
 */
static void
sort_view_places(const struct vorder *o, uint32_t *at, size_t n)
{
	const struct rowset	*rs = o->rs;
	struct sortent		*v;
	uint32_t		 tmp;
	uint64_t		 hi;
	size_t			 i, none;
	int			 cell = o->cell;

	if (n < 2)
		return;
	v = radix_scratch(n, sizeof(*v));
	if (o->str) {
		for (i = 0; i < n; i++)
			v[i].p = &rs->rows[at[i]];
		radix_sort_strings(v, n, cell_text, &cell);
	} else if (gather_keys(rs, at, n, v, cell, o->addr)) {
		/* addresses by the low halves, then the high (stable) */
		radix_sort_ents(v, n);
		for (i = 0; i < n; i++) {
			(void)sort_key(ent_row(&v[i]), cell, o->addr, &hi);
			v[i].k = hi;
		}
		radix_sort_ents(v, n);
	} else
		radix_sort_ents(v, n);
	/* rows with no value sort first: after the others, if asked */
	for (none = 0; o->none_last && none < n &&
	    ent_row(&v[none])->cells[cell].i == CELL_NONE; none++)
		;
	for (i = 0; i < n; i++)
		at[i] = ent_place(rs, &v[(i + none) % n]);
	radix_scratch_free(v, n, sizeof(*v));
	if (o->rev)
		for (i = 0; i < n / 2; i++) {
			tmp = at[i];
			at[i] = at[n - 1 - i];
			at[n - 1 - i] = tmp;
		}
}

/* The view's order of the rows at places a and b (never equal: keys). */
static int
vorder_cmp(const struct vorder *o, uint32_t a, uint32_t b)
{
	const struct row	*ra = o->rs->rows[a], *rb = o->rs->rows[b];
	uint64_t		 ha, hb, la, lb;
	int64_t			 ia, ib;
	int			 c = 0;

	ia = ra->cells[o->cell].i;
	ib = rb->cells[o->cell].i;
	if (o->str)
		c = strcmp(ra->cells[o->cell].s, rb->cells[o->cell].s);
	else if (o->addr) {
		la = sort_key(ra, o->cell, 1, &ha);
		lb = sort_key(rb, o->cell, 1, &hb);
		if (ha != hb)
			c = ha < hb ? -1 : 1;
		else if (la != lb)
			c = la < lb ? -1 : 1;
	} else if (o->none_last && (ia == CELL_NONE) != (ib == CELL_NONE))
		return ia == CELL_NONE ? 1 : -1;
	else if (ia != ib)
		c = ia < ib ? -1 : 1;
	if (c == 0)
		c = o->rank[a] < o->rank[b] ? -1 : o->rank[a] > o->rank[b];
	return o->rev ? -c : c;
}

static size_t
vorder_upper(const void *arg, const uint32_t *at, size_t n, uint32_t p)
{
	const struct vorder	*o = arg;
	size_t			 lo = 0, hi = n, mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (vorder_cmp(o, at[mid], p) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* s and a blank at buf[*n], if it fits: 0, else -1. */
static int
text_add(char *buf, size_t *n, size_t len, const char *s)
{
	size_t	 k = strlen(s);

	if (*n + k + 2 > len)
		return -1;
	memcpy(buf + *n, s, k);
	*n += k;
	buf[(*n)++] = ' ';
	return 0;
}

/*
 * What the filter searches: the text columns on screen, as they are shown
 * but whole (a cut address matches), and the few the pane marks
 * COL_SEARCH (the file a quarantine id is in); never other fields the
 * screen hides.  The formats of text columns do not depend on the time.
 */
size_t
table_row_text(const struct table *t, const struct row *row, char *buf,
    size_t len)
{
	const struct column	*col;
	char			 text[4096];
	const char		*s;
	size_t			 i, n = 0;

	for (i = 0; i < t->desc->nscreen; i++) {
		col = &t->desc->columns[t->desc->screen[i].column];
		if (col->type != COL_STR)
			continue;
		s = row->cells[col->cell].s;
		if (col->format != NULL) {
			col->format(row, 0, text, sizeof(text));
			s = text;
		}
		if (text_add(buf, &n, len, s) == -1)
			break;
	}
	for (i = 0; i < t->desc->ncolumns; i++) {
		col = &t->desc->columns[i];
		if ((col->flags & COL_SEARCH) && col->type == COL_STR &&
		    text_add(buf, &n, len, row->cells[col->cell].s) == -1)
			break;
	}
	buf[n] = '\0';
	return n;
}

static int
row_matches(const struct table *t, const struct row *row)
{
	char	 buf[16384];
	size_t	 n;

	if (t->re == NULL)
		return 1;
	n = table_row_text(t, row, buf, sizeof(buf));
	return pcre2_match(t->re, (PCRE2_SPTR)buf, n, 0, 0, t->md, NULL) >= 0;
}

static void
rebuild(struct table *t)
{
	const struct rowset	*rs = t->rs;
	struct vorder		 o;
	size_t			 i;

	t->nview = 0;
	if (rs == NULL)
		return;
	if (rs->nrows > t->cap) {
		t->cap = rs->nrows;
		t->view = xreallocarray(t->view, t->cap, sizeof(*t->view));
	}
	if (t->re == NULL) {
		if (rs->nrows > 0)	/* bykey and view may be NULL */
			memcpy(t->view, t->bykey, rs->nrows * sizeof(*t->view));
		t->nview = rs->nrows;
	} else
		for (i = 0; i < rs->nrows; i++)
			if (row_matches(t, rs->rows[t->bykey[i]]))
				t->view[t->nview++] = t->bykey[i];
	vorder_init(t, &o);
	sort_view_places(&o, t->view, t->nview);
}

/*
 * The view of a re-read from the last one's (inv: prev_inverse): the rows
 * that are the last one's very rows keep their order (unchanged, they
 * still match the filter, or still do not); the others that match are
 * sorted and put in their places.  0, or -1 when it is no shortcut (too
 * many others): then rebuild.
 */
static int
view_merge(struct table *t, const uint32_t *inv)
{
	const struct rowset	*rs = t->rs;
	struct vorder		 o;
	uint32_t		*nv, *add, *rank, p;
	size_t			 i, k, n = rs->nrows, nadd = 0, nk = 0, cap;

	add = xreallocarray(NULL, n / 8 + 1, sizeof(*add));
	for (i = 0; i < n; i++) {
		p = t->bykey[i];
		if ((rs->prev[p] & ROW_PREV_SAME) ||
		    !row_matches(t, rs->rows[p]))
			continue;
		if (nadd == n / 8) {
			free(add);
			return -1;
		}
		add[nadd++] = p;
	}
	for (i = 0; i < t->nview; i++)
		nk += (p = inv[t->view[i]]) != UINT32_MAX &&
		    (rs->prev[p] & ROW_PREV_SAME);
	cap = n > t->cap ? n : t->cap;
	nv = xreallocarray(NULL, cap, sizeof(*nv));
	for (i = 0, k = nadd; i < t->nview; i++)
		if ((p = inv[t->view[i]]) != UINT32_MAX &&
		    (rs->prev[p] & ROW_PREV_SAME))
			nv[k++] = p;
	if (nadd > 0) {
		vorder_init(t, &o);
		sort_view_places(&o, add, nadd);
		rank = xreallocarray(NULL, n, sizeof(*rank));
		for (i = 0; i < n; i++)
			rank[t->bykey[i]] = (uint32_t)i;
		o.rank = rank;
		merge_places(nv, nk + nadd, add, nadd, vorder_upper, &o);
		free(rank);
	}
	free(add);
	free(t->view);
	t->view = nv;
	t->cap = cap;
	t->nview = nk + nadd;
	return 0;
}

/* The place of a key's row, -1 if none: a bisection of the key order. */
static long
find_place(const struct table *t, const char *key)
{
	size_t	 lo = 0, hi = t->rs != NULL ? t->nkeys : 0, mid;
	int	 r;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if ((r = strcmp(t->rs->rows[t->bykey[mid]]->key, key)) == 0)
			return (long)t->bykey[mid];
		if (r < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return -1;
}

/* Where a key's row is in the view: 0, or -1 if it is not there. */
static int
view_index(const struct table *t, const char *key, size_t *at)
{
	long	 p;
	size_t	 i;

	if (key == NULL || (p = find_place(t, key)) == -1)
		return -1;
	for (i = 0; i < t->nview; i++)
		if (t->view[i] == (uint32_t)p) {
			*at = i;
			return 0;
		}
	return -1;
}

/* Put the cursor back on its row by key (0); else at the same index (-1). */
static int
restore_cursor(struct table *t)
{
	if (view_index(t, t->cursor_key, &t->cursor) == 0)
		return 0;
	table_move_to(t, t->cursor);
	return -1;
}

/* Sorted by a time, newest first: new rows come on top. */
static int
newest_first(const struct table *t)
{
	const struct pane_desc	*desc = t->desc;

	return t->sort_rev &&
	    desc->columns[desc->screen[t->sort_col].column].type == COL_TIME;
}

static void
remember_cursor(struct table *t)
{
	free(t->cursor_key);
	t->cursor_key = t->nview > 0 ?
	    xstrdup(table_row_at(t, t->cursor)->key) : NULL;
}

/* A tag whose row left the queue would make the next action act on ghosts. */
static void
prune_tags(struct table *t)
{
	struct strset	 keep = { 0 };
	size_t		 i;

	t->pruned = 0;
	if (t->tags.n == 0 || t->rs == NULL)
		return;
	for (i = 0; i < t->rs->nrows; i++)
		if (strset_has(&t->tags, t->rs->rows[i]->key))
			strset_add(&keep, t->rs->rows[i]->key);
	t->pruned = t->tags.n - keep.n;
	strset_clear(&t->tags);
	t->tags = keep;
}

/*
 * New data.  On the top row of a newest-first view the cursor stays on
 * the top row, the newest (tail -f).  Below it, the cursor stays on its
 * row and the row on its screen line: top moves by the rows that came or
 * went above it.
 */
void
table_set_rows(struct table *t, const struct rowset *rs)
{
	size_t		 was = t->cursor, nf;
	int		 follow = was == 0 && newest_first(t);
	uint32_t	*inv;

	inv = prev_inverse(t, rs, &nf);
	t->rs = rs;
	prune_tags(t);
	sort_by_key(t, inv, nf);
	if (inv == NULL || view_merge(t, inv) == -1)
		rebuild(t);
	free(inv);
	if (follow)
		table_move_to(t, 0);
	else if (restore_cursor(t) == 0 && was > 0) {
		if (t->cursor >= was)
			t->top += t->cursor - was;
		else
			t->top -= t->top < was - t->cursor ? t->top :
			    was - t->cursor;
	}
	remember_cursor(t);
}

int
table_set_filter(struct table *t, const char *text, char *err, size_t errlen)
{
	pcre2_code	*re;
	PCRE2_SIZE	 off;
	uint32_t	 opts = PCRE2_CASELESS | PCRE2_UTF | PCRE2_MATCH_INVALID_UTF;
	int		 ec;

	if (text == NULL || *text == '\0') {
		free(t->filter);
		t->filter = NULL;
		if (t->re != NULL)
			pcre2_code_free(t->re);
		t->re = NULL;
	} else {
		if (text[0] == '~')
			text++;
		else
			opts |= PCRE2_LITERAL;
		re = pcre2_compile((PCRE2_SPTR)text, PCRE2_ZERO_TERMINATED, opts,
		    &ec, &off, NULL);
		if (re == NULL) {
			char	 msg[256];

			pcre2_get_error_message(ec, (PCRE2_UCHAR *)msg, sizeof(msg));
			snprintf(err, errlen, "bad pattern at offset %zu: %s",
			    (size_t)off, msg);
			return -1;
		}
		pcre2_jit_compile(re, PCRE2_JIT_COMPLETE);
		if (t->re != NULL)
			pcre2_code_free(t->re);
		t->re = re;
		if (t->md == NULL)
			t->md = pcre2_match_data_create(1, NULL);
		free(t->filter);
		t->filter = xstrdup(text - (opts & PCRE2_LITERAL ? 0 : 1));
	}
	rebuild(t);
	restore_cursor(t);
	remember_cursor(t);
	return 0;
}

void
table_sort_step(struct table *t, int dir)
{
	int	 n = (int)t->desc->nscreen;

	t->sort_col = (t->sort_col + dir + n) % n;
	rebuild(t);
	restore_cursor(t);
	remember_cursor(t);
}

void
table_sort_reverse(struct table *t)
{
	t->sort_rev = !t->sort_rev;
	rebuild(t);
	restore_cursor(t);
	remember_cursor(t);
}

void
table_sort_set(struct table *t, int col, int rev)
{
	t->sort_col = col;
	t->sort_rev = rev;
	rebuild(t);
	restore_cursor(t);
	remember_cursor(t);
}

int
table_cursor_to(struct table *t, const char *key)
{
	if (view_index(t, key, &t->cursor) == -1)
		return -1;
	remember_cursor(t);
	return 0;
}

void
table_move_to(struct table *t, size_t i)
{
	if (t->nview == 0)
		i = 0;
	else if (i >= t->nview)
		i = t->nview - 1;
	t->cursor = i;
	remember_cursor(t);
}

void
table_move(struct table *t, long delta)
{
	if (delta < 0 && (size_t)-delta > t->cursor)
		table_move_to(t, 0);
	else
		table_move_to(t, t->cursor + delta);
}

void
table_scroll(struct table *t, size_t height)
{
	if (height == 0)
		return;
	if (t->cursor < t->top)
		t->top = t->cursor;
	else if (t->cursor >= t->top + height)
		t->top = t->cursor - height + 1;
	if (t->top + height > t->nview)
		t->top = t->nview > height ? t->nview - height : 0;
}

const struct row *
table_cursor_row(const struct table *t)
{
	return t->nview > 0 ? table_row_at(t, t->cursor) : NULL;
}

int
table_tag_toggle(struct table *t)
{
	const struct row	*r = table_cursor_row(t);

	if (r == NULL)
		return -1;
	if (strset_del(&t->tags, r->key))
		return 0;
	strset_add(&t->tags, r->key);
	return 1;
}

void
table_untag_all(struct table *t)
{
	strset_clear(&t->tags);
}

size_t
table_tag_view(struct table *t)
{
	size_t	 i;

	for (i = 0; i < t->nview; i++)
		strset_add(&t->tags, table_row_at(t, i)->key);
	return t->nview;
}

int
table_is_tagged(const struct table *t, const struct row *r)
{
	return strset_has(&t->tags, r->key);
}

char **
table_selection(const struct table *t, size_t *n)
{
	char			**v, **tagged;
	const struct row	 *r;
	size_t			  i;

	if (t->tags.n > 0) {
		tagged = strset_sorted(&t->tags, n);
		for (i = 0; i < *n; i++)
			tagged[i] = xstrdup(tagged[i]);
		return tagged;
	}
	v = xcalloc(2, sizeof(*v));
	*n = 0;
	if ((r = table_cursor_row(t)) != NULL) {
		v[0] = xstrdup(r->key);
		*n = 1;
	}
	return v;
}

void
table_free_selection(char **v, size_t n)
{
	size_t	 i;

	for (i = 0; i < n; i++)
		free(v[i]);
	free(v);
}
