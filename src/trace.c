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

/* Oldest first, stable; no time last. */
static void
trace_sort(struct rowset *ts)
{
	struct sortent	*v;
	struct row	**tmp;
	size_t		 i, n = ts->nrows;
	int64_t		 t;

	if (n < 2)
		return;
	v = xreallocarray(NULL, n, sizeof(*v));
	tmp = xreallocarray(NULL, n, sizeof(*tmp));
	for (i = 0; i < n; i++) {
		t = ts->rows[i]->cells[T_TIME].i;
		v[i].k = t == CELL_NONE ? UINT64_MAX : (uint64_t)t ^ (1ULL << 63);
		v[i].p = ts->rows[i];
	}
	radix_sort_ents(v, n);
	for (i = 0; i < n; i++)
		tmp[i] = v[i].p;
	memcpy(ts->rows, tmp, n * sizeof(*tmp));
	free(tmp);
	free(v);
}

/* The IPs of the events so far, for the panes that follow them. */
struct ips {
	unsigned char	(*ip)[16];
	size_t		  n;
};

static void
ips_add(struct ips *ips, const char *s)
{
	unsigned char	 a[16];
	size_t		 i;

	if (trace_ip_read(s, strlen(s), a) == -1)
		return;
	for (i = 0; i < ips->n; i++)
		if (memcmp(ips->ip[i], a, 16) == 0)
			return;
	ips->ip = xreallocarray(ips->ip, ips->n + 1, sizeof(*ips->ip));
	memcpy(ips->ip[ips->n++], a, 16);
}

static int
ips_has(const struct ips *ips, const char *s)
{
	unsigned char	 a[16];
	size_t		 i;

	if (ips->n == 0 || trace_ip_read(s, strlen(s), a) == -1)
		return 0;
	for (i = 0; i < ips->n; i++)
		if (memcmp(ips->ip[i], a, 16) == 0)
			return 1;
	return 0;
}

struct rowset *
trace_build(const struct trace_target *t, const struct trace_from *from,
    size_t nfrom, time_t now)
{
	struct rowset	*ts = rowset_new();
	const struct trace_desc *d;
	const struct row *r;
	struct ips	 ips = { NULL, 0 };
	size_t		 i, j;
	int		 how;

	for (i = 0; i < nfrom; i++) {
		if ((d = from[i].desc) == NULL || from[i].rs == NULL)
			continue;
		for (j = 0; j < from[i].rs->nrows; j++) {
			r = from[i].rs->rows[j];
			if ((how = row_about(t, d, r)) == 0)
				continue;
			add_event(ts, &from[i], r, how, now);
			/* a From: header proves nothing of the client */
			if (t->kind != TRACE_IP && how == 1 && d->ip >= 0)
				ips_add(&ips, r->cells[d->ip].s);
		}
	}
	/* then what is known of those IPs: their whitelist records */
	for (i = 0; i < nfrom && ips.n > 0; i++) {
		if ((d = from[i].desc) == NULL || from[i].rs == NULL ||
		    !d->follow_ip || d->ip < 0)
			continue;
		for (j = 0; j < from[i].rs->nrows; j++) {
			r = from[i].rs->rows[j];
			if (!ips_has(&ips, r->cells[d->ip].s) ||
			    row_about(t, d, r) != 0)
				continue;
			add_event(ts, &from[i], r, 1, now);
		}
	}
	free(ips.ip);
	trace_sort(ts);
	return ts;
}

#define B	COL_BATCH
#define S	COL_SCREEN
const struct column trace_columns[] = {
	{ "time",	COL_TIME, T_TIME,    12, B | S, NULL },
	{ "source",	COL_STR,  T_SOURCE,  10, B | S, NULL },
	{ "kind",	COL_STR,  T_KIND,    11, B | S, NULL },
	{ "ip",		COL_STR,  T_IP,      15, B | S | COL_CUT_MIDDLE, NULL },
	{ "sender",	COL_STR,  T_SENDER,  24, B | S | COL_CUT_ADDR, NULL },
	{ "recipient",	COL_STR,  T_RCPT,    24, B | S | COL_CUT_ADDR, NULL },
	{ "detail",	COL_STR,  T_DETAIL,   0, B | S, NULL },
};
#undef B
#undef S
const size_t	trace_ncolumns = nitems(trace_columns);
