/*
 * The greylist pane: spamd's GREY tuples from spamdb(8), and the keys an
 * operator uses on an impatient sender's address.
 */
#include "config.h"

#include <sys/types.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <arpa/inet.h>

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conf.h"
#include "hint.h"
#include "radix.h"
#include "spamdb.h"
#include "strset.h"
#include "trace.h"
#include "u64set.h"
#include "util.h"
#include "wallclock.h"
#include "validate.h"

#define OPERANDS_MAX	24	/* "spamdb -G -d IP IP ...": per command */
/*
 * A read shares the last one's rows, unchanged tuples, and adopts its
 * arena, as long as that arena holds at most a quarter more than the rows
 * it shares would take (and SHARE_SLACK bytes): rows that died since
 * (tuples gone, or changed and made anew) stay there until then.  Past
 * that, the shared rows are copied and the old arena goes with its set.
 */
#define SHARE_SLACK	(1024 * 1024)

struct grey_state {
	char			*spamdb;
	char			*pfctl;
	char			*table;
	struct rowset		*rs;		/* being read */
	/* on screen: the pane owns it, and frees it after poll_finish */
	struct rowset		*cur;
	struct grey_prev	*prev;		/* cur's tuples, for rs */
	double			 row_bytes;	/* of a set that shares nothing */
	struct spamdb_counts	 counts;
	struct spamdb_counts	 cur_counts;
	struct badlines		 bad;		/* of spamdb's listing */
	size_t			 waiting, maypass, passed;
	char			 error[1024];
	char			 ip[64];
	const char		*ops[OPERANDS_MAX];
	/* the IPs spamdb lists WHITE and TRAPPED, for the marks: of the
	 * rows on screen, and of the read under way */
	struct u64set		 white, trapped;
	struct u64set		 rwhite, rtrapped;
	size_t			 nnew;		/* new since the last read */
	uint64_t		*fresh;		/* their hashes, sorted */
	size_t			 spark[24];	/* new tuples per read, oldest first */
	size_t			 nspark;
	size_t			 new10, passed10;	/* in the last 10 minutes */
	/* the addresses of the domain a group action works through */
	char			 gdomain[256];
	char			**gips;
	size_t			 ngips;
};

/* spamd's passtime, for the STATE column (formats get no provider state) */
static int64_t	grey_passtime = 25 * 60;

static const char *
grey_state_word(const struct row *r, time_t now)
{
	const union cell	*c = r->cells;

	if (c[G_PASS].i < c[G_EXPIRE].i)
		return "passed";	/* retried after passtime: whitelisted soon */
	if (now - c[G_FIRST].i > grey_passtime)
		return "may pass";	/* the next retry will pass */
	return "waiting";
}

static void *
grey_create(const struct conf *conf)
{
	struct grey_state	*g = xcalloc(1, sizeof(*g));

	g->spamdb = xstrdup(conf->spamdb);
	g->pfctl = xstrdup(conf->pfctl);
	g->table = xstrdup(conf->white_table);
	grey_passtime = (int64_t)conf->passtime * 60;
	return g;
}

static void
grey_destroy(void *arg)
{
	struct grey_state	*g = arg;
	size_t			 i;

	rowset_free(g->rs);
	grey_prev_free(g->prev);
	for (i = 0; i < g->ngips; i++)
		free(g->gips[i]);
	free(g->gips);
	free(g->fresh);
	u64set_free(&g->white);
	u64set_free(&g->trapped);
	u64set_free(&g->rwhite);
	u64set_free(&g->rtrapped);
	free(g->spamdb);
	free(g->pfctl);
	free(g->table);
	free(g);
}

static void
grey_poll_begin(void *arg, time_t now)
{
	struct grey_state	*g = arg;

	(void)now;
	rowset_free(g->rs);
	g->rs = rowset_new();
	grey_prev_free(g->prev);
	g->prev = NULL;
	if (g->cur != NULL)
		g->prev = grey_prev_new(g->cur);
	memset(&g->counts, 0, sizeof(g->counts));
	memset(&g->bad, 0, sizeof(g->bad));
	u64set_clear(&g->rwhite);
	u64set_clear(&g->rtrapped);
	g->error[0] = '\0';
}

static int
grey_poll_argv(void *arg, int step, const char **argv, size_t max)
{
	struct grey_state	*g = arg;

	(void)max;
	if (step > 0)
		return 0;
	argv[0] = g->spamdb;
	argv[1] = NULL;
	return 1;
}

/* An IP as the sets hold it: the same address however it is written. */
static int
ip_hash(const char *s, size_t len, uint64_t *h)
{
	unsigned char	 a[16];

	if (trace_ip_read(s, len, a) == -1)
		return -1;
	*h = hash_mem(a, 16);
	return 0;
}

/* A WHITE or TRAPPED line spamdb_parse_line took: its IP, for the marks. */
static void
note_white(struct grey_state *g, const char *line, size_t len)
{
	struct u64set	*set;
	const char	*ip, *end;
	uint64_t	 h;

	if (len > 6 && memcmp(line, "WHITE|", 6) == 0) {
		set = &g->rwhite;
		ip = line + 6;
	} else if (len > 8 && memcmp(line, "TRAPPED|", 8) == 0) {
		set = &g->rtrapped;
		ip = line + 8;
	} else
		return;
	if ((end = memchr(ip, '|', len - (size_t)(ip - line))) != NULL &&
	    ip_hash(ip, (size_t)(end - ip), &h) == 0)
		u64set_add(set, h);
}

static void
grey_poll_line(void *arg, int step, char *line, size_t len)
{
	struct grey_state	*g = arg;

	(void)step;
	if (line == NULL) {
		g->counts.bad++;
		badlines_add(&g->bad, NULL, 0);
	} else if (spamdb_parse_line_prev(g->rs, g->prev, NULL, &g->counts,
	    line, len) == -1)
		badlines_add(&g->bad, line, len);
	else if (line[0] == 'W' || line[0] == 'T')
		note_white(g, line, len);
}

static int
grey_poll_step_done(void *arg, int step, int status, const char *err)
{
	struct grey_state	*g = arg;
	char			 why[768];

	(void)step;
	if (status == 0)
		/* a listing of white entries only is no garbage */
		return explain_garbage(&g->bad, g->counts.grey +
		    g->counts.white + g->counts.trapped + g->counts.spamtrap,
		    "spamdb", g->spamdb, g->error, sizeof(g->error));
	explain_exit(status, err, g->spamdb, "", why, sizeof(why));
	snprintf(g->error, sizeof(g->error), "spamdb: %s", why);
	return -1;
}

/*
 * The tuples the last read did not have: the parse looked each up among
 * the last read's (grey_prev).  Their hashes, sorted, for the '+' of the
 * rows drawn.
 */
static void
mark_new(struct grey_state *g, struct rowset *rs)
{
	free(g->fresh);
	g->fresh = NULL;
	g->nnew = 0;
	if (g->prev == NULL)
		return;
	g->fresh = grey_prev_finish(g->prev, rs, &g->nnew);
	radix_sort_u64(g->fresh, g->nnew);
	if (g->nspark == nitems(g->spark)) {
		memmove(g->spark, g->spark + 1, sizeof(g->spark) -
		    sizeof(g->spark[0]));
		g->nspark--;
	}
	g->spark[g->nspark++] = g->nnew;
}

static void
swap_sets(struct u64set *a, struct u64set *b)
{
	struct u64set	 t = *a;

	*a = *b;
	*b = t;
}

static struct rowset *
grey_poll_finish(void *arg)
{
	struct grey_state	*g = arg;
	struct rowset		*rs = g->rs;
	time_t			 now = wallclock_now();
	const union cell	*c;
	size_t			 i;
	const char		*w;

	g->rs = NULL;
	rs->nbad = g->counts.bad;
	mark_new(g, rs);
	if (g->prev != NULL && (double)g->cur->arena.total <= 1.25 *
	    g->row_bytes * (double)grey_prev_nshared(g->prev) + SHARE_SLACK)
		rowset_adopt(rs, g->cur);
	else {
		if (g->prev != NULL)
			grey_prev_copy_out(g->prev, rs);
		if (rs->nrows > 0)
			g->row_bytes = (double)rs->arena.total /
			    (double)rs->nrows;
	}
	grey_prev_free(g->prev);
	g->prev = NULL;
	g->cur = rs;
	g->cur_counts = g->counts;
	swap_sets(&g->white, &g->rwhite);
	swap_sets(&g->trapped, &g->rtrapped);
	g->waiting = g->maypass = g->passed = 0;
	g->new10 = g->passed10 = 0;
	for (i = 0; i < rs->nrows; i++) {
		c = rs->rows[i]->cells;
		w = grey_state_word(rs->rows[i], now);
		if (w[0] == 'p')
			g->passed++;
		else if (w[0] == 'm')
			g->maypass++;
		else
			g->waiting++;
		/* the database has the times: no history needed for rates */
		if (now - c[G_FIRST].i <= 600)
			g->new10++;
		if (w[0] == 'p' && now - c[G_PASS].i <= 600)
			g->passed10++;
	}
	return rs;
}

static void
grey_poll_abort(void *arg)
{
	struct grey_state	*g = arg;

	rowset_free(g->rs);
	g->rs = NULL;
	grey_prev_free(g->prev);
	g->prev = NULL;
}

static size_t
grey_progress(void *arg)
{
	struct grey_state	*g = arg;

	return g->rs != NULL ? g->rs->nrows : 0;
}

static const char *
grey_poll_error(void *arg)
{
	return ((struct grey_state *)arg)->error;
}

static void
grey_summary(void *arg, const struct rowset *rs, time_t now, char *buf,
    size_t len)
{
	struct grey_state	*g = arg;
	struct spamdb_counts	*c = &g->cur_counts;
	char			 spark[128];

	(void)now;
	if (rs == NULL) {
		snprintf(buf, len, "spamd: no data yet");
		return;
	}
	sparkline(g->spark, g->nspark, spark, sizeof(spark));
	snprintf(buf, len, "spamdb: %zu GREY  %zu WHITE  %zu TRAPPED  "
	    "%zu SPAMTRAP   last 10 min: %.1f new/min, %.1f passed/min\n"
	    "greylist: %zu waiting, %zu may pass on retry, %zu passed "
	    "(whitelisted within a minute)   new per read: %s %zu", c->grey,
	    c->white, c->trapped, c->spamtrap, g->new10 / 10.0,
	    g->passed10 / 10.0, g->waiting, g->maypass, g->passed, spark,
	    g->nnew);
}

static void
grey_empty_reason(void *arg, char *buf, size_t len)
{
	(void)arg;
	snprintf(buf, len, "greylist empty: spamdb listed no GREY tuples");
}

static int
cmp_hash(const void *a, const void *b)
{
	uint64_t	 x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

static int
grey_row_mark(void *arg, const struct row *r)
{
	struct grey_state	*g = arg;
	uint64_t		 h = grey_key_hash(r->key);

	return g->nnew > 0 && bsearch(&h, g->fresh, g->nnew, sizeof(h),
	    cmp_hash) != NULL ? '+' : 0;
}

/* The marks: what spamdb's own listing says of the tuple's IP. */
static int
ip_in(const struct u64set *set, const struct row *r)
{
	uint64_t	 h;

	return set->n > 0 && ip_hash(r->cells[G_IP].s,
	    strlen(r->cells[G_IP].s), &h) == 0 && u64set_has(set, h);
}

static int
grey_is_white(void *arg, const struct row *r)
{
	return ip_in(&((struct grey_state *)arg)->white, r);
}

static int
grey_is_trapped(void *arg, const struct row *r)
{
	return ip_in(&((struct grey_state *)arg)->trapped, r);
}

static const struct link_mark grey_marks[] = {
	{ 'W', "its IP is whitelisted: spamd lets it through, the tuple no "
	    "longer matters", NULL, NULL, grey_is_white },
	{ 'T', "its IP is trapped: spamd tarpits it until the entry expires",
	    NULL, NULL, grey_is_trapped },
};

/* Columns. */

static size_t
fmt_age(const struct row *r, time_t now, char *buf, size_t len)
{
	return fmt_duration(now - r->cells[G_FIRST].i, buf, len);
}

static size_t
fmt_state(const struct row *r, time_t now, char *buf, size_t len)
{
	return (size_t)snprintf(buf, len, "%s", grey_state_word(r, now));
}

static size_t
fmt_expires(const struct row *r, time_t now, char *buf, size_t len)
{
	if (r->cells[G_EXPIRE].i <= now)
		return (size_t)snprintf(buf, len, "expired");
	return fmt_duration(r->cells[G_EXPIRE].i - now, buf, len);
}

static size_t
fmt_domain(const struct row *r, time_t now, char *buf, size_t len)
{
	char		*heap;
	const char	*d = grey_domain(r->cells[G_FROM].s, buf, len, &heap);
	size_t		 n;

	(void)now;
	if (heap != NULL) {
		n = xstrlcpy(buf, heap, len);
		free(heap);
		return n;
	}
	if (d != buf)
		return xstrlcpy(buf, d, len);
	return strlen(buf);
}

#define B	COL_BATCH
#define S	COL_SCREEN
static const struct column grey_columns[] = {
	{ "ip",		COL_STR,  G_IP,     15, B | S | COL_CUT_MIDDLE |
	    COL_SORT_ADDR, NULL },
	{ "helo",	COL_STR,  G_HELO,   22, B | S, NULL },
	{ "from",	COL_STR,  G_FROM,    0, B | S | COL_CUT_ADDR, NULL },
	{ "to",		COL_STR,  G_TO,      0, B | S | COL_CUT_ADDR, NULL },
	{ "first",	COL_TIME, G_FIRST,   6, B | S | COL_RIGHT, fmt_age },
	{ "pass",	COL_TIME, G_PASS,    8, B | S, fmt_state },
	{ "expire",	COL_TIME, G_EXPIRE,  7, B | S | COL_RIGHT, fmt_expires },
	{ "bcount",	COL_INT,  G_BCOUNT,  7, B | S | COL_RIGHT, NULL },
	{ "pcount",	COL_INT,  G_PCOUNT,  6, B, NULL },
	{ "domain",	COL_STR,  G_FROM,   20, COL_DETAIL, fmt_domain },
};
#undef B
#undef S

/* Narrow screens keep the IP and the sender, then the recipient and state. */
static const struct screen_col grey_screen[] = {
	{ 0, "IP", 0, 0, NULL },
	{ 4, "SEEN", 6, 0, NULL },
	{ 5, "STATE", 3, 0, NULL },
	{ 6, "EXPIRES", 5, 0, NULL },
	{ 7, "BLOCKED", 8, 0, NULL },
	{ 1, "HELO", 7, 0, NULL },
	{ 2, "FROM", 1, 24, NULL },
	{ 3, "TO", 2, 18, NULL },
};

/* Actions: the row key is "ip\nhelo\nfrom\nto". */

static int
target_ip(void *arg, const char *key, char *id, size_t len)
{
	size_t	 n = strcspn(key, "\n");

	(void)arg;
	if (n >= len)
		return -1;
	memcpy(id, key, n);
	id[n] = '\0';
	return valid_ip(id) ? 0 : -1;
}

static int
set_ip(struct grey_state *g, const char *id)
{
	if (id == NULL || !valid_ip(id))
		return -1;
	xstrlcpy(g->ip, id, sizeof(g->ip));
	return 0;
}

/*
 * Whitelist an address in spamd, step by step: spamdb -a, the durable
 * change (spamd rebuilds its pf table from the database every minute),
 * then pfctl -T add, effective now.  The verdicts pane's W does the same.
 */
int
spamd_whitelist_argv(const char *spamdb, const char *pfctl, const char *table,
    const char *ip, int step, const char **argv)
{
	switch (step) {
	case 0:
		argv[0] = spamdb;
		argv[1] = "-a";
		argv[2] = ip;
		argv[3] = NULL;
		return 3;
	case 1:
		argv[0] = pfctl;
		argv[1] = "-t";
		argv[2] = table;
		argv[3] = "-T";
		argv[4] = "add";
		argv[5] = ip;
		argv[6] = NULL;
		return 6;
	}
	return 0;
}

static int
act_whitelist(void *arg, const char *id, int step, const char **argv,
    size_t max)
{
	struct grey_state	*g = arg;

	(void)max;
	if (set_ip(g, id) == -1)
		return -1;
	return spamd_whitelist_argv(g->spamdb, g->pfctl, g->table, g->ip, step,
	    argv);
}

static int
act_trap(void *arg, const char *id, int step, const char **argv, size_t max)
{
	struct grey_state	*g = arg;

	(void)max;
	if (set_ip(g, id) == -1)
		return -1;
	if (step > 0)
		return 0;
	argv[0] = g->spamdb;
	argv[1] = "-t";
	argv[2] = "-a";
	argv[3] = g->ip;
	argv[4] = NULL;
	return 4;
}

/*
 * "spamdb -G -d IP" deletes one tuple of IP per operand, so IP goes in as
 * many times as it has tuples on screen.
 */
static int
act_delete(void *arg, const char *id, int step, const char **argv,
    size_t max)
{
	struct grey_state	*g = arg;
	size_t			 i, n = 0, skip, k;
	char			 ip[64];

	(void)max;
	if (set_ip(g, id) == -1)
		return -1;
	for (i = 0; g->cur != NULL && i < g->cur->nrows; i++)
		if (target_ip(NULL, g->cur->rows[i]->key, ip, sizeof(ip)) == 0 &&
		    strcmp(ip, g->ip) == 0)
			n++;
	if (n == 0)
		n = 1;
	skip = (size_t)step * OPERANDS_MAX;
	if (skip >= n)
		return 0;
	argv[0] = g->spamdb;
	argv[1] = "-G";
	argv[2] = "-d";
	for (k = 0; k < OPERANDS_MAX && skip + k < n; k++)
		argv[3 + k] = g->ip;
	argv[3 + k] = NULL;
	return 3 + (int)k;
}

/*
 * spamd, greyscan and spamlogd are IPv4 only: the next scan deletes an
 * IPv6 WHITE entry within a minute, and it never reaches the pf table.
 */
#define IPV6_WARNING	"IPv6: spamd drops it within a minute; " \
			"put it in <nospamd> instead"

const char *
spamd_warn_white(void *arg, const char *ip)
{
	static char	 why[128];
	const char	*kind;

	(void)arg;
	if ((kind = ip_special(ip)) != NULL) {
		snprintf(why, sizeof(why), "%s is %s", ip, kind);
		return why;
	}
	return strchr(ip, ':') != NULL ? IPV6_WARNING : NULL;
}

/* The IP to whitelist: a v4-mapped IPv6 tuple is the IPv4 sender it is. */
static int
target_white(void *arg, const char *key, char *id, size_t len)
{
	char	 v4[INET_ADDRSTRLEN];

	(void)arg;
	if (target_ip(NULL, key, id, len) == -1)
		return -1;
	if (ip_unmap4(id, v4, sizeof(v4)) == 0)
		xstrlcpy(id, v4, len);
	return 0;
}

static const struct action grey_actions[] = {
	{ 'w', "whitelist the IP now (spamdb -a IP, pfctl -t TABLE -T add IP)",
	    ACT_ROWS | ACT_RISKY, "Whitelist", "IP", target_white,
	    act_whitelist, NULL, NULL, spamd_warn_white, NULL, NULL, NULL },
	{ 'd', "delete the IP's greylist tuples (spamdb -G -d IP ...)",
	    ACT_ROWS | ACT_CONFIRM, "Delete", "IP", target_ip, act_delete,
	    NULL, NULL, NULL, NULL, NULL, NULL },
	{ 't', "trap the IP (spamdb -t -a IP)",
	    ACT_ROWS | ACT_CONFIRM, "Trap", "IP", target_ip, act_trap,
	    NULL, NULL, NULL, NULL, NULL, NULL },
};

/*
 * Grouped by sender domain: a large provider sending from a pool shows as
 * one domain with many addresses and /24s, none of them ever passing.
 */
enum { V_DOMAIN, V_TUPLES, V_IPS, V_NETS, V_OLDEST, V_PASSED, V_NCELLS };

/* A dotted quad as a number, fast: a million of them per grouping. */
static int
ip4_parse(const char *s, uint32_t *out)
{
	uint32_t	 v = 0, part;
	int		 i, digits;

	for (i = 0; i < 4; i++) {
		part = 0;
		for (digits = 0; *s >= '0' && *s <= '9' && digits < 3;
		    digits++)
			part = part * 10 + (uint32_t)(*s++ - '0');
		if (digits == 0 || part > 255 || *s != (i < 3 ? '.' : '\0'))
			return -1;
		s++;
		v = v << 8 | part;
	}
	*out = v;
	return 0;
}

struct addr6 {
	uint32_t	 gid;
	unsigned char	 a[16];
};

static int
cmp_addr6(const void *x, const void *y)
{
	const struct addr6	*a = x, *b = y;

	if (a->gid != b->gid)
		return a->gid < b->gid ? -1 : 1;
	return memcmp(a->a, b->a, sizeof(a->a));
}

/* Group number of an interned domain: pointer equality is string equality. */
struct gmap {
	const char	**dom;
	uint32_t	 *gid;
	size_t		  cap, n;
};

static uint32_t
gmap_get(struct gmap *m, const char *dom, int *isnew)
{
	size_t		 i, j, oldcap;
	const char	**od;
	uint32_t	*og;

	if ((m->n + 1) * 2 > m->cap) {
		od = m->dom;
		og = m->gid;
		oldcap = m->cap;
		m->cap = oldcap ? oldcap * 2 : 1024;
		m->dom = xcalloc(m->cap, sizeof(*m->dom));
		m->gid = xcalloc(m->cap, sizeof(*m->gid));
		for (i = 0; i < oldcap; i++) {
			if (od[i] == NULL)
				continue;
			for (j = ((uintptr_t)od[i] >> 4) * 0x9e3779b97f4a7c15ULL
			    >> 20 & (m->cap - 1); m->dom[j] != NULL;
			    j = (j + 1) & (m->cap - 1))
				;
			m->dom[j] = od[i];
			m->gid[j] = og[i];
		}
		free(od);
		free(og);
	}
	for (i = ((uintptr_t)dom >> 4) * 0x9e3779b97f4a7c15ULL >> 20 &
	    (m->cap - 1); m->dom[i] != NULL; i = (i + 1) & (m->cap - 1))
		if (m->dom[i] == dom) {
			*isnew = 0;
			return m->gid[i];
		}
	m->dom[i] = dom;
	m->gid[i] = (uint32_t)m->n++;
	*isnew = 1;
	return m->gid[i];
}

/*
 * One row per sender domain.  Distinct addresses and networks (/24, /64 for
 * IPv6) are counted on sorted (group, address) keys: for IPv4 one 64-bit
 * number each, radix sorted, so that a million tuples group in a blink.
 */
static struct rowset *
grey_group(void *arg, const struct rowset *rows, time_t now)
{
	struct rowset		*rs = rowset_new();
	const struct row	*r;
	struct row		*gr, **groups = NULL;
	struct gmap		 m = { 0 };
	uint64_t		*v4, prev;
	struct addr6		*v6;
	const char		*d;
	char			 dbuf[256], *heap;
	size_t			 n4 = 0, n6 = 0, i;
	uint32_t		 gid, a;
	int			 isnew;

	(void)arg;
	v4 = xreallocarray(NULL, rows->nrows + 1, sizeof(*v4));
	v6 = NULL;
	for (i = 0; i < rows->nrows; i++) {
		r = rows->rows[i];
		/* interned: pointer equality is string equality */
		d = grey_domain(r->cells[G_FROM].s, dbuf, sizeof(dbuf), &heap);
		if (d[0] == '\0')
			d = "<>";
		d = rowset_intern(rs, d, strlen(d));
		free(heap);
		gid = gmap_get(&m, d, &isnew);
		if (isnew) {
			groups = xreallocarray(groups, m.n, sizeof(*groups));
			gr = groups[gid] = rowset_add(rs, V_NCELLS);
			gr->cells[V_DOMAIN].s = d;
			gr->key = gr->cells[V_DOMAIN].s;
			gr->cells[V_TUPLES].i = 0;
			gr->cells[V_IPS].i = 0;
			gr->cells[V_NETS].i = 0;
			gr->cells[V_OLDEST].i = r->cells[G_FIRST].i;
			gr->cells[V_PASSED].s = "no";
		}
		gr = groups[gid];
		gr->cells[V_TUPLES].i++;
		if (r->cells[G_FIRST].i < gr->cells[V_OLDEST].i)
			gr->cells[V_OLDEST].i = r->cells[G_FIRST].i;
		if (grey_state_word(r, now)[0] == 'p')
			gr->cells[V_PASSED].s = "yes";
		if (ip4_parse(r->cells[G_IP].s, &a) == 0) {
			v4[n4++] = (uint64_t)gid << 32 | a;
			continue;
		}
		v6 = xreallocarray(v6, n6 + 1, sizeof(*v6));
		v6[n6].gid = gid;
		if (inet_pton(AF_INET6, r->cells[G_IP].s, v6[n6].a) != 1) {
			/* not an address: its text tells it apart */
			memset(v6[n6].a, 0, sizeof(v6[n6].a));
			memcpy(v6[n6].a, r->cells[G_IP].s,
			    strnlen(r->cells[G_IP].s, sizeof(v6[n6].a)));
		}
		n6++;
	}
	radix_sort_u64(v4, n4);
	for (i = 0, prev = UINT64_MAX; i < n4; prev = v4[i++]) {
		if (v4[i] == prev)
			continue;
		gr = groups[v4[i] >> 32];
		gr->cells[V_IPS].i++;
		if (prev == UINT64_MAX || v4[i] >> 8 != prev >> 8)
			gr->cells[V_NETS].i++;
	}
	if (n6 > 1)
		qsort(v6, n6, sizeof(*v6), cmp_addr6);
	for (i = 0; i < n6; i++) {
		if (i > 0 && cmp_addr6(&v6[i], &v6[i - 1]) == 0)
			continue;
		gr = groups[v6[i].gid];
		gr->cells[V_IPS].i++;
		if (i == 0 || v6[i].gid != v6[i - 1].gid ||
		    memcmp(v6[i].a, v6[i - 1].a, 8) != 0)
			gr->cells[V_NETS].i++;
	}
	free(v4);
	free(v6);
	free(groups);
	free(m.dom);
	free(m.gid);
	return rs;
}

static size_t
fmt_oldest(const struct row *r, time_t now, char *buf, size_t len)
{
	return fmt_duration(now - r->cells[V_OLDEST].i, buf, len);
}

static const struct column group_columns[] = {
	{ "domain",	COL_STR,  V_DOMAIN,  0, COL_SCREEN, NULL },
	{ "tuples",	COL_INT,  V_TUPLES,  7, COL_SCREEN | COL_RIGHT, NULL },
	{ "ips",	COL_INT,  V_IPS,     6, COL_SCREEN | COL_RIGHT, NULL },
	{ "nets",	COL_INT,  V_NETS,    5, COL_SCREEN | COL_RIGHT, NULL },
	{ "oldest",	COL_TIME, V_OLDEST,  7, COL_SCREEN | COL_RIGHT,
	    fmt_oldest },
	{ "passed",	COL_STR,  V_PASSED,  6, COL_SCREEN, NULL },
};

static const struct screen_col group_screen[] = {
	{ 0, "SENDER DOMAIN", 0, 16, NULL },
	{ 1, "TUPLES", 1, 0, NULL },
	{ 2, "IPS", 3, 0, NULL },
	{ 3, "/24S", 4, 0, NULL },
	{ 4, "OLDEST", 5, 0, NULL },
	{ 5, "PASSED", 2, 0, NULL },
};

/* The distinct valid addresses of a domain's tuples, kept for its steps. */
static void
group_collect(struct grey_state *g, const char *domain)
{
	struct strset	 seen = { 0 };
	const char	*d, *ip;
	char		 v4[INET_ADDRSTRLEN], dbuf[256], *heap;
	size_t		 i;
	int		 same;

	if (g->gips != NULL && strcmp(g->gdomain, domain) == 0)
		return;
	for (i = 0; i < g->ngips; i++)
		free(g->gips[i]);
	free(g->gips);
	g->gips = NULL;
	g->ngips = 0;
	xstrlcpy(g->gdomain, domain, sizeof(g->gdomain));
	for (i = 0; g->cur != NULL && i < g->cur->nrows; i++) {
		d = grey_domain(g->cur->rows[i]->cells[G_FROM].s, dbuf,
		    sizeof(dbuf), &heap);
		ip = g->cur->rows[i]->cells[G_IP].s;
		same = strcmp(d[0] ? d : "<>", domain) == 0;
		free(heap);
		if (!same || !valid_ip(ip))
			continue;
		/* a v4-mapped sender is whitelisted as the IPv4 it is */
		if (ip_unmap4(ip, v4, sizeof(v4)) == 0)
			ip = v4;
		if (!strset_add(&seen, ip))
			continue;
		g->gips = xreallocarray(g->gips, g->ngips + 1,
		    sizeof(*g->gips));
		g->gips[g->ngips++] = xstrdup(ip);
	}
	strset_clear(&seen);
}

static int
target_domain(void *arg, const char *key, char *id, size_t len)
{
	(void)arg;
	if (strlen(key) >= len || key[0] == '\0')
		return -1;
	xstrlcpy(id, key, len);
	return 0;
}

static size_t
count_domain(void *arg, const char *id)
{
	struct grey_state	*g = arg;

	g->gdomain[0] = '\0';	/* a fresh list: the data may have changed */
	group_collect(g, id);
	return g->ngips;
}

/* Two commands per address, as w on a tuple. */
static int
act_whitelist_domain(void *arg, const char *id, int step, const char **argv,
    size_t max)
{
	struct grey_state	*g = arg;

	if (step == 0)
		g->gdomain[0] = '\0';	/* collect anew for this id */
	group_collect(g, id);
	if ((size_t)step / 2 >= g->ngips)
		return 0;
	return act_whitelist(g, g->gips[step / 2], step % 2, argv, max);
}

static const char *
warn_domain(void *arg, const char *id)
{
	static char		 why[160];
	struct grey_state	*g = arg;
	const char		*kind, *ip = NULL, *ipkind = NULL;
	size_t			 i, n = 0;
	int			 v6 = 0;

	group_collect(g, id);
	for (i = 0; i < g->ngips; i++) {
		if ((kind = ip_special(g->gips[i])) != NULL && n++ == 0) {
			ip = g->gips[i];
			ipkind = kind;
		}
		v6 |= strchr(g->gips[i], ':') != NULL;
	}
	if (n > 0 && g->ngips == 1)
		snprintf(why, sizeof(why), "%s is %s", ip, ipkind);
	else if (n > 0)
		snprintf(why, sizeof(why), "%zu of the %zu are no sender's: "
		    "%s is %s", n, g->ngips, ip, ipkind);
	if (n > 0)
		return why;
	return v6 ? "some are " IPV6_WARNING : NULL;
}

static const struct action group_actions[] = {
	{ 'w', "whitelist every address of the domain now (spamdb -a, "
	    "pfctl -T add)", ACT_ROWS | ACT_CONFIRM, "Whitelist", "domain",
	    target_domain, act_whitelist_domain, count_domain, "address",
	    warn_domain, NULL, NULL, NULL },
};

static const struct view grey_view = {
	.key = 'b',
	.label = "group the tuples by sender domain",
	.title = "greylist by domain",
	.noun = "domain",
	.columns = group_columns,
	.ncolumns = nitems(group_columns),
	.screen = group_screen,
	.nscreen = nitems(group_screen),
	.sort_column = 1,		/* the most tuples first */
	.sort_reverse = 1,
	.actions = group_actions,
	.nactions = nitems(group_actions),
	.build = grey_group,
};

/* What the trace says of a tuple: when its retry passes, how often it tried. */
static size_t
grey_trace_detail(void *arg, const struct row *r, time_t now, char *buf,
    size_t len)
{
	const union cell	*c = r->cells;
	const char		*w = grey_state_word(r, now);
	char			 at[32];
	int			 n;

	(void)arg;
	if (w[0] == 'p') {
		fmt_clock(c[G_PASS].i, now, at, sizeof(at));
		n = snprintf(buf, len, "passed at %s: whitelisted within a "
		    "minute", at);
	} else if (w[0] == 'm')
		n = snprintf(buf, len, "may pass: its next retry passes");
	else {
		fmt_clock(c[G_FIRST].i + grey_passtime + 1, now, at,
		    sizeof(at));
		n = snprintf(buf, len, "waiting: a retry after %s passes", at);
	}
	if (n >= 0 && (size_t)n < len)
		n += snprintf(buf + n, len - (size_t)n, "; %lld attempt%s; "
		    "helo %s", (long long)c[G_BCOUNT].i,
		    c[G_BCOUNT].i == 1 ? "" : "s", c[G_HELO].s);
	return n < 0 ? 0 : (size_t)n >= len ? len - 1 : (size_t)n;
}

/* The trace's answer: how many tuples, from where, when the retry passes. */
static size_t
grey_trace_summary(void *arg, const struct row *const *rows, size_t n,
    time_t now, char *buf, size_t len)
{
	const char	*ips[3];
	size_t		 i, j, nips = 0, more = 0, o;
	int64_t		 passed = 0, next = INT64_MAX;
	int		 maypass = 0;
	const char	*w;
	char		 at[32];

	(void)arg;
	if (n == 0)
		return trace_clip(snprintf(buf, len, "not greylisted"), len);
	for (i = 0; i < n; i++) {
		for (j = 0; j < nips && strcmp(ips[j], rows[i]->cells[G_IP].s);
		    j++)
			;
		if (j == nips && nips < nitems(ips))
			ips[nips++] = rows[i]->cells[G_IP].s;
		else if (j == nips)
			more++;		/* counts tuples, not IPs: said so */
		w = grey_state_word(rows[i], now);
		if (w[0] == 'p' && rows[i]->cells[G_PASS].i > passed)
			passed = rows[i]->cells[G_PASS].i;
		else if (w[0] == 'm')
			maypass = 1;
		else if (rows[i]->cells[G_FIRST].i + grey_passtime + 1 < next)
			next = rows[i]->cells[G_FIRST].i + grey_passtime + 1;
	}
	o = trace_clip(snprintf(buf, len, "%zu tuple%s greylisted from %s%s%s%s%s",
	    n, n == 1 ? "" : "s", ips[0], nips > 1 ? ", " : "",
	    nips > 1 ? ips[1] : "", nips > 2 ? ", " : "", nips > 2 ? ips[2] : ""),
	    len);
	if (more > 0)
		o += trace_clip(snprintf(buf + o, len - o, " and others"),
		    len - o);
	if (passed > 0) {
		fmt_clock(passed, now, at, sizeof(at));
		o += trace_clip(snprintf(buf + o, len - o, ", passed at %s "
		    "(whitelisted within a minute)", at), len - o);
	} else if (maypass)
		o += trace_clip(snprintf(buf + o, len - o, ", the next retry "
		    "passes"), len - o);
	else {
		fmt_clock(next, now, at, sizeof(at));
		o += trace_clip(snprintf(buf + o, len - o, ", the next retry "
		    "after %s passes", at), len - o);
	}
	return o;
}

static const struct trace_desc grey_trace = {
	.kind = "greylisted",
	.kind_cell = -1,
	.when = G_FIRST,
	.ip = G_IP,
	.sender = G_FROM,
	.rcpts = G_TO,
	.host = G_HELO,
	.header_from = -1,
	.detail = grey_trace_detail,
	.summary = grey_trace_summary,
};

const struct provider provider_grey = {
	.name = "grey",
	.src = {
		.flags = PROV_DRAIN,
		.create = grey_create,
		.destroy = grey_destroy,
		.poll_begin = grey_poll_begin,
		.poll_finish = grey_poll_finish,
		.progress = grey_progress,
		.poll_error = grey_poll_error,
		.poll_argv = grey_poll_argv,
		.poll_line = grey_poll_line,
		.poll_step_done = grey_poll_step_done,
		.poll_abort = grey_poll_abort,
	},
	.desc = {
		.title = "greylist",
		.noun = "tuple",
		.columns = grey_columns,
		.ncolumns = nitems(grey_columns),
		.screen = grey_screen,
		.nscreen = nitems(grey_screen),
		.sort_column = 1,		/* SEEN: oldest first */
		.actions = grey_actions,
		.nactions = nitems(grey_actions),
		.views = &grey_view,
		.nviews = 1,
		.summary = grey_summary,
		.empty_reason = grey_empty_reason,
		.row_mark = grey_row_mark,
		.marks = grey_marks,
		.nmarks = nitems(grey_marks),
		.trace = &grey_trace,
	},
};
