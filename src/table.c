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

static const char *
cell_text(const void *p, void *arg)
{
	return ((const struct row *)p)->cells[*(const int *)arg].s;
}

/* The key of the row at a place of rs->rows (sortents point there). */
static const char *
key_text(const void *p, void *arg)
{
	(void)arg;
	return (*(struct row *const *)p)->key;
}

/* The rows of rs at the n places, sorted by key. */
static void
sort_places(const struct rowset *rs, uint32_t *at, size_t n)
{
	struct sortent	*v;
	size_t		 i;

	v = xreallocarray(NULL, n, sizeof(*v));
	for (i = 0; i < n; i++)
		v[i].p = &rs->rows[at[i]];
	radix_sort_strings(v, n, key_text, NULL);
	for (i = 0; i < n; i++)
		at[i] = (uint32_t)((struct row **)v[i].p - rs->rows);
	free(v);
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
 * The key order of a re-read from the last one's (rs->prev): the rows it
 * kept, in their order, and the few others sorted and put in their places.
 * 0, or -1 when it is no shortcut (too many new rows, a map that does not
 * add up): then sort.
 */
static int
keys_merge(struct table *t, uint32_t *by)
{
	const struct rowset	*rs = t->rs;
	uint32_t		*inv, *fresh;
	size_t			 i, k, n = rs->nrows, nold = t->nkeys, nf = 0;
	size_t			 a, w, at;

	for (i = 0; i < n; i++)
		nf += rs->prev[i] == 0 || rs->prev[i] > nold;
	if (nf > n / 8)
		return -1;
	inv = xreallocarray(NULL, nold, sizeof(*inv));
	memset(inv, 0xff, nold * sizeof(*inv));
	fresh = xreallocarray(NULL, nf + 1, sizeof(*fresh));
	for (i = 0, k = 0; i < n; i++)
		if (rs->prev[i] == 0 || rs->prev[i] > nold)
			fresh[k++] = (uint32_t)i;
		else
			inv[rs->prev[i] - 1] = (uint32_t)i;
	/* the kept rows in the old order, at the end of by */
	for (i = 0, a = nf; i < nold; i++)
		if (inv[t->bykey[i]] != UINT32_MAX)
			by[a++] = inv[t->bykey[i]];
	free(inv);
	if (a != n) {			/* two rows on one old row */
		free(fresh);
		return -1;
	}
	sort_places(rs, fresh, nf);
	/* merged forwards: what is written never passes what is read */
	for (k = 0, a = nf, w = 0; k < nf; k++) {
		at = a + key_upper(rs, by + a, n - a, rs->rows[fresh[k]]->key);
		memmove(by + w, by + a, (at - a) * sizeof(*by));
		w += at - a;
		a = at;
		by[w++] = fresh[k];
	}
	free(fresh);
	return 0;
}

/*
 * The rows in key order, once per set of rows: the views are made from
 * them, so a stable sort by a cell leaves equal cells in key order.
 */
static void
sort_by_key(struct table *t)
{
	const struct rowset	*rs = t->rs;
	uint32_t		*by;
	size_t			 i, n = rs != NULL ? rs->nrows : 0;

	if (rs != NULL && rs->serial == t->keys_serial)
		return;
	by = n > 0 ? xreallocarray(NULL, n, sizeof(*by)) : NULL;
	if (n > 0 && (rs->prev == NULL || t->bykey == NULL ||
	    rs->prev_serial != t->keys_serial || keys_merge(t, by) == -1)) {
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
 * Fill v with the view's rows and their keys by an integer or address
 * cell; 1 if the high halves of the addresses differ.
 */
static int
gather_keys(const struct table *t, struct sortent *v, int cell, int addr)
{
	const struct row	*r;
	uint64_t		 hi = 0, hi0 = 0;
	size_t			 i, n = t->nview;
	int			 split = 0;

	for (i = 0; i < n; i++) {
		r = t->view[i];
		/* the rows are in key order, not in memory order */
		if (i + 16 < n)
			PREFETCH(&t->view[i + 16]->cells[cell]);
		if (addr && i + 8 < n)
			PREFETCH(t->view[i + 8]->cells[cell].s);
		v[i].p = (void *)(uintptr_t)r;
		v[i].k = sort_key(r, cell, addr, &hi);
		if (i == 0)
			hi0 = hi;
		else if (addr && hi != hi0)
			split = 1;
	}
	return split;
}

/* By the sort column, then by key: the view is in key order. */
static void
sort_view(struct table *t)
{
	const struct pane_desc	*desc = t->desc;
	const struct column	*col;
	struct sortent		*v;
	struct row		*tmp;
	uint64_t		 hi;
	size_t			 i, n = t->nview, none;
	int			 cell, is_str, addr;

	if (n < 2)
		return;
	col = &desc->columns[desc->screen[t->sort_col].column];
	cell = col->cell;
	addr = (col->flags & COL_SORT_ADDR) != 0;
	is_str = col->type == COL_STR && !addr;
	v = xreallocarray(NULL, n, sizeof(*v));
	if (is_str) {
		for (i = 0; i < n; i++)
			v[i].p = t->view[i];
		radix_sort_strings(v, n, cell_text, &cell);
	} else if (gather_keys(t, v, cell, addr)) {
		/* addresses by the low halves, then the high (stable) */
		radix_sort_ents(v, n);
		for (i = 0; i < n; i++) {
			(void)sort_key(v[i].p, cell, addr, &hi);
			v[i].k = hi;
		}
		radix_sort_ents(v, n);
	} else
		radix_sort_ents(v, n);
	/* rows with no value sort first: after the others, if asked */
	for (none = 0; (col->flags & COL_NONE_LAST) && !is_str && !addr &&
	    none < n && ((struct row *)v[none].p)->cells[cell].i == CELL_NONE;
	    none++)
		;
	if (t->sort_rev)
		none = 0;
	for (i = 0; i < n; i++)
		t->view[i] = v[(i + none) % n].p;
	free(v);
	if (t->sort_rev)
		for (i = 0; i < n / 2; i++) {
			tmp = t->view[i];
			t->view[i] = t->view[n - 1 - i];
			t->view[n - 1 - i] = tmp;
		}
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
	size_t			 i;

	t->nview = 0;
	if (rs == NULL)
		return;
	if (rs->nrows > t->cap) {
		t->cap = rs->nrows;
		t->view = xreallocarray(t->view, t->cap, sizeof(*t->view));
	}
	for (i = 0; i < rs->nrows; i++)
		if (row_matches(t, rs->rows[t->bykey[i]]))
			t->view[t->nview++] = rs->rows[t->bykey[i]];
	sort_view(t);
}

/* The row of a key, NULL if none: a bisection of the rows in key order. */
static const struct row *
find_key(const struct table *t, const char *key)
{
	size_t	 lo = 0, hi = t->rs != NULL ? t->rs->nrows : 0, mid;
	int	 r;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if ((r = strcmp(t->rs->rows[t->bykey[mid]]->key, key)) == 0)
			return t->rs->rows[t->bykey[mid]];
		if (r < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

/* Where a key's row is in the view: 0, or -1 if it is not there. */
static int
view_index(const struct table *t, const char *key, size_t *at)
{
	const struct row	*row;
	size_t			 i;

	if (key == NULL || (row = find_key(t, key)) == NULL)
		return -1;
	for (i = 0; i < t->nview; i++)
		if (t->view[i] == row) {
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
	t->cursor_key = t->nview > 0 ? xstrdup(t->view[t->cursor]->key) : NULL;
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
	size_t	 was = t->cursor;
	int	 follow = was == 0 && newest_first(t);

	t->rs = rs;
	prune_tags(t);
	sort_by_key(t);
	rebuild(t);
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
	return t->nview > 0 ? t->view[t->cursor] : NULL;
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
		strset_add(&t->tags, t->view[i]->key);
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
