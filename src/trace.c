/*
 * The trace's timeline: the rows of every pane that are about the target,
 * as one list of events.  It reads only what the panes hold, through what
 * each provider says of its cells (struct trace_desc): nothing here knows
 * a pane's internals.
 */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "radix.h"
#include "trace.h"
#include "util.h"

#define DETAIL_MAX	512

static const char *
cell_str(const struct row *r, int cell)
{
	return cell >= 0 ? r->cells[cell].s : "";
}

/* The address of a From: header: inside the last <>, or all of it. */
static int
header_matches(const struct trace_target *t, const char *h)
{
	const char	*lt = strrchr(h, '<'), *gt;
	size_t		 len = strlen(h);

	if (lt != NULL && (gt = strchr(lt, '>')) != NULL)
		return trace_match_address(t, lt, (size_t)(gt - lt + 1));
	while (len > 0 && (*h == ' ' || *h == '\t')) {
		h++;
		len--;
	}
	while (len > 0 && (h[len - 1] == ' ' || h[len - 1] == '\t'))
		len--;
	return trace_match_address(t, h, len);
}

static int
cell_matches(int (*match)(const struct trace_target *, const char *, size_t),
    const struct trace_target *t, const struct row *r, int cell)
{
	const char	*s;

	if (cell < 0)
		return 0;
	s = r->cells[cell].s;
	return match(t, s, strlen(s));
}

/* 1 when the row is about t, 2 when only its From: header is. */
static int
row_about(const struct trace_target *t, const struct trace_desc *d,
    const struct row *r)
{
	if (t->kind == TRACE_IP)
		return cell_matches(trace_match_ip, t, r, d->ip);
	if (cell_matches(trace_match_address, t, r, d->sender) ||
	    cell_matches(trace_match_addresses, t, r, d->rcpts) ||
	    cell_matches(trace_match_host, t, r, d->host))
		return 1;
	if (d->header_from >= 0 && header_matches(t, cell_str(r,
	    d->header_from)))
		return 2;
	return 0;
}

static void
add_event(struct rowset *ts, const struct trace_from *f, const struct row *r,
    int how, time_t now)
{
	const struct trace_desc	*d = f->desc;
	struct row		*e = rowset_add(ts, T_NCELLS);
	union cell		*c = e->cells;
	char			 detail[DETAIL_MAX], *key;
	unsigned char		 ip[16];
	size_t			 n = 0, nl = strlen(f->name), kl = strlen(r->key);

	key = arena_strspace(&ts->arena, nl + 1 + kl);
	memcpy(key, f->name, nl);
	key[nl] = '\n';
	memcpy(key + nl + 1, r->key, kl + 1);
	e->key = key;
	c[T_TIME].i = d->when >= 0 ? r->cells[d->when].i : CELL_NONE;
	c[T_SOURCE].s = f->name;
	c[T_KIND].s = d->kind_cell >= 0 ? r->cells[d->kind_cell].s : d->kind;
	c[T_IP].s = cell_str(r, d->ip);
	c[T_SENDER].s = cell_str(r, d->sender);
	c[T_RCPT].s = cell_str(r, d->rcpts);
	/* a record keyed by IP or address (spamdb's): an IP is no recipient */
	if (trace_ip_read(c[T_RCPT].s, strlen(c[T_RCPT].s), ip) == 0)
		c[T_RCPT].s = "";
	detail[0] = '\0';
	if (how == 2)
		n = (size_t)snprintf(detail, sizeof(detail), "only the From: "
		    "header names it (%s); ", cell_str(r, d->header_from));
	if (n < sizeof(detail) && d->detail != NULL)
		d->detail(f->st, r, now, detail + n, sizeof(detail) - n);
	c[T_DETAIL].s = arena_strndup(&ts->arena, detail, strlen(detail));
}

/*
 * The IPs of the panes that follow them (the whitelist), each marked
 * taken once a row found came from it: a hash set (open addressing, at
 * most half full) of 16-byte addresses.
 */
struct ips {
	unsigned char	(*ip)[16];
	unsigned char	 *used;
	size_t		  n, cap;
};

static size_t
ips_slot(const struct ips *ips, const unsigned char a[16])
{
	size_t	 i;

	for (i = (size_t)hash_mem(a, 16) & (ips->cap - 1); ips->used[i] &&
	    memcmp(ips->ip[i], a, 16) != 0; i = (i + 1) & (ips->cap - 1))
		;
	return i;
}

static void
ips_add(struct ips *ips, const char *s)
{
	struct ips	 old = *ips;
	unsigned char	 a[16];
	size_t		 i, j;

	if (trace_ip_read(s, strlen(s), a) == -1)
		return;
	if (2 * (ips->n + 1) > ips->cap) {
		ips->cap = old.cap ? old.cap * 2 : 64;
		ips->ip = xreallocarray(NULL, ips->cap, sizeof(*ips->ip));
		ips->used = xcalloc(ips->cap, 1);
		for (i = 0; i < old.cap; i++) {
			if (!old.used[i])
				continue;
			j = ips_slot(ips, old.ip[i]);
			memcpy(ips->ip[j], old.ip[i], 16);
			ips->used[j] = old.used[i];
		}
		free(old.ip);
		free(old.used);
	}
	if (!ips->used[i = ips_slot(ips, a)]) {
		memcpy(ips->ip[i], a, 16);
		ips->used[i] = 1;
		ips->n++;
	}
}

/* Mark the IP of s taken, if it is in the set; 1 if it was not yet. */
static int
ips_take(struct ips *ips, const char *s)
{
	unsigned char	 a[16];
	size_t		 i;

	if (trace_ip_read(s, strlen(s), a) == -1)
		return 0;
	if (ips->used[i = ips_slot(ips, a)] != 1)
		return 0;
	ips->used[i] = 2;
	return 1;
}

static int
ips_taken(const struct ips *ips, const char *s)
{
	unsigned char	 a[16];

	if (trace_ip_read(s, strlen(s), a) == -1)
		return 0;
	return ips->used[ips_slot(ips, a)] == 2;
}

size_t
trace_clip(int n, size_t len)
{
	if (n < 0 || len == 0)
		return 0;
	return (size_t)n >= len ? len - 1 : (size_t)n;
}

/* The rows of one pane the trace found, for its summary. */
struct found {
	const struct row	**rows;
	size_t			  n;
};

static void
found_add(struct found *f, const struct row *r)
{
	if ((f->n & (f->n - 1)) == 0)	/* 0, 1, 2, 4... */
		f->rows = xreallocarray(f->rows, f->n ? f->n * 2 : 1,
		    sizeof(*f->rows));
	f->rows[f->n++] = r;
}

static void
summarize(const struct trace_target *t, const struct trace_from *from,
    size_t nfrom, const struct found *found, time_t now, char *sum,
    size_t len)
{
	size_t	 i, n, k;
	char	 clause[512];

	n = trace_clip(snprintf(sum, len, "%s", t->text), len);
	for (i = 0; i < nfrom; i++) {
		if (from[i].desc == NULL || from[i].rs == NULL ||
		    from[i].desc->summary == NULL)
			continue;
		clause[0] = '\0';
		if (from[i].desc->summary(from[i].st, found[i].rows,
		    found[i].n, now, clause, sizeof(clause)) == 0)
			continue;
		k = trace_clip(snprintf(sum + n, len - n, "%s%s",
		    n > strlen(t->text) ? "; " : ": ", clause), len - n);
		n += k;
	}
}

/* A row found, before it is an event: kept small, as there may be many. */
struct cand {
	const struct row	*r;
	uint32_t		 from;
	uint32_t		 how;
};

static void
cand_add(struct cand **c, size_t *n, const struct row *r, size_t from,
    int how)
{
	if ((*n & (*n - 1)) == 0)	/* 0, 1, 2, 4... */
		*c = xreallocarray(*c, *n ? *n * 2 : 1, sizeof(**c));
	(*c)[(*n)++] = (struct cand){ r, (uint32_t)from, (uint32_t)how };
}

struct rowset *
trace_build_sum(const struct trace_target *t, const struct trace_from *from,
    size_t nfrom, time_t now, size_t max, size_t *nall, char *sum,
    size_t sumlen)
{
	struct rowset	*ts = rowset_new();
	const struct trace_desc *d;
	const struct row *r;
	struct ips	 ips;
	struct found	*found;
	struct cand	*cand = NULL, *c;
	struct sortent	*v;
	size_t		 i, j, k, n = 0, skip, nfollow;
	int64_t		 when;
	int		 how;

	memset(&ips, 0, sizeof(ips));
	found = xcalloc(nfrom + 1, sizeof(*found));
	for (i = 0; i < nfrom; i++) {
		if ((d = from[i].desc) == NULL || from[i].rs == NULL)
			continue;
		for (j = 0; j < from[i].rs->nrows; j++) {
			r = from[i].rs->rows[j];
			if ((how = row_about(t, d, r)) == 0)
				continue;
			cand_add(&cand, &n, r, i, how);
			found_add(&found[i], r);
		}
	}
	/*
	 * Then what is known of the IPs the rows came from: their whitelist
	 * records.  Those panes are the smaller side: their IPs go in the
	 * set, and each row found is looked up in it.
	 */
	for (i = 0; i < nfrom && t->kind != TRACE_IP; i++) {
		if ((d = from[i].desc) == NULL || from[i].rs == NULL ||
		    !d->follow_ip || d->ip < 0)
			continue;
		for (j = 0; j < from[i].rs->nrows; j++)
			ips_add(&ips, from[i].rs->rows[j]->cells[d->ip].s);
	}
	for (k = 0, nfollow = 0; k < n && ips.n > 0; k++) {
		d = from[cand[k].from].desc;
		/* a From: header proves nothing of the client */
		if (cand[k].how == 1 && d->ip >= 0 && !d->follow_ip &&
		    ips_take(&ips, cand[k].r->cells[d->ip].s))
			nfollow++;
	}
	for (i = 0; i < nfrom && nfollow > 0; i++) {
		if ((d = from[i].desc) == NULL || from[i].rs == NULL ||
		    !d->follow_ip || d->ip < 0)
			continue;
		for (j = 0; j < from[i].rs->nrows; j++) {
			r = from[i].rs->rows[j];
			if (!ips_taken(&ips, r->cells[d->ip].s) ||
			    row_about(t, d, r) != 0)
				continue;
			cand_add(&cand, &n, r, i, 1);
			found_add(&found[i], r);
		}
	}
	free(ips.ip);
	free(ips.used);
	/* oldest first, stable; no time last; the newest max made events */
	v = xreallocarray(NULL, n ? n : 1, sizeof(*v));
	for (i = 0; i < n; i++) {
		d = from[cand[i].from].desc;
		when = d->when >= 0 ? cand[i].r->cells[d->when].i : CELL_NONE;
		v[i].k = when == CELL_NONE ? UINT64_MAX :
		    (uint64_t)when ^ (1ULL << 63);
		v[i].p = &cand[i];
	}
	radix_sort_ents(v, n);
	skip = n > max ? n - max : 0;
	for (i = skip; i < n; i++) {
		c = v[i].p;
		add_event(ts, &from[c->from], c->r, (int)c->how, now);
	}
	free(v);
	free(cand);
	if (nall != NULL)
		*nall = n;
	if (sum != NULL && sumlen > 0)
		summarize(t, from, nfrom, found, now, sum, sumlen);
	for (i = 0; i < nfrom; i++)
		free(found[i].rows);
	free(found);
	return ts;
}

struct rowset *
trace_build(const struct trace_target *t, const struct trace_from *from,
    size_t nfrom, time_t now)
{
	return trace_build_sum(t, from, nfrom, now, SIZE_MAX, NULL, NULL, 0);
}

static size_t
fmt_when(const struct row *r, time_t now, char *buf, size_t len)
{
	if (r->cells[T_TIME].i == CELL_NONE)
		return trace_clip(snprintf(buf, len, "-"), len);
	return fmt_clock(r->cells[T_TIME].i, now, buf, len);
}

#define B	COL_BATCH
#define S	COL_SCREEN
const struct column trace_columns[] = {
	{ "time",	COL_TIME, T_TIME,    16, B | S | COL_NONE_LAST, fmt_when },
	{ "source",	COL_STR,  T_SOURCE,  10, B | S, NULL },
	{ "kind",	COL_STR,  T_KIND,    11, B | S, NULL },
	{ "ip",		COL_STR,  T_IP,      15, B | S | COL_CUT_MIDDLE |
	    COL_SORT_ADDR, NULL },
	{ "sender",	COL_STR,  T_SENDER,  24, B | S | COL_CUT_ADDR, NULL },
	{ "recipient",	COL_STR,  T_RCPT,    24, B | S | COL_CUT_ADDR |
	    COL_LIST, NULL },
	{ "detail",	COL_STR,  T_DETAIL,   0, B | S, NULL },
};
#undef B
#undef S
const size_t	trace_ncolumns = nitems(trace_columns);

/* Narrow screens keep the time, the pane and what happened. */
static const struct screen_col trace_screen[] = {
	{ 0, "TIME", 0, 0, NULL },
	{ 1, "PANE", 1, 0, NULL },
	{ 2, "EVENT", 3, 0, NULL },
	{ 3, "IP", 5, 0, NULL },
	{ 4, "FROM", 4, 0, NULL },
	{ 5, "TO", 6, 0, NULL },
	{ 6, "DETAIL", 2, 24, NULL },
};

const struct pane_desc trace_pane = {
	.title = "trace",
	.noun = "event",
	.columns = trace_columns,
	.ncolumns = nitems(trace_columns),
	.screen = trace_screen,
	.nscreen = nitems(trace_screen),
	.sort_column = 0,		/* oldest first */
};
