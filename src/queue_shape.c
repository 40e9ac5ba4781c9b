/*
 * The queue pane's views: its envelopes by recipient domain and by sender
 * domain in qshape's age buckets (with a TOTAL row, and rolled up to the
 * parent domains on p), and by their error, normalised (qshape.c).
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "maillog.h"
#include "qshape.h"
#include "queue.h"
#include "u64set.h"
#include "util.h"
#include "validate.h"

enum shape_cell {
	S_DOMAIN,
	S_TOTAL,
	S_BUCKET,			/* QSHAPE_BUCKETS of them */
	S_OLDEST = S_BUCKET + QSHAPE_BUCKETS,
	S_NCELLS
};

enum error_cell {
	E_ERROR,
	E_COUNT,
	E_NDOMAINS,
	E_DOMAINS,			/* "a.example,b.example": most first */
	E_OLDEST,
	E_NCELLS
};

#define TOTAL_KEY	"TOTAL"		/* no domain: those are lower case */

/*
 * Groups by an interned string (equal strings, equal pointers), or with
 * bytext by a string's text: open addressing, at most half full.
 */
struct groups {
	const char	**key;
	size_t		 *idx;
	size_t		  cap, n;
	int		  bytext;
};

static size_t
group_hash(const struct groups *g, const char *key)
{
	if (g->bytext)
		return (size_t)hash_mem(key, strlen(key));
	return (size_t)hash_mem(&key, sizeof(key));
}

static int
group_same(const struct groups *g, const char *a, const char *b)
{
	return a == b || (g->bytext && strcmp(a, b) == 0);
}

static size_t
group_of(struct groups *g, const char *key, size_t next)
{
	struct groups	 old = *g;
	size_t		 i, j;

	if (2 * (g->n + 1) > g->cap) {
		g->cap = old.cap ? old.cap * 2 : 256;
		g->key = xcalloc(g->cap, sizeof(*g->key));
		g->idx = xcalloc(g->cap, sizeof(*g->idx));
		for (i = 0; i < old.cap; i++) {
			if (old.key[i] == NULL)
				continue;
			j = group_hash(g, old.key[i]) & (g->cap - 1);
			while (g->key[j] != NULL)
				j = (j + 1) & (g->cap - 1);
			g->key[j] = old.key[i];
			g->idx[j] = old.idx[i];
		}
		free(old.key);
		free(old.idx);
	}
	i = group_hash(g, key) & (g->cap - 1);
	while (g->key[i] != NULL && !group_same(g, g->key[i], key))
		i = (i + 1) & (g->cap - 1);
	if (g->key[i] == NULL) {
		g->key[i] = key;
		g->idx[i] = next;
		g->n++;
	}
	return g->idx[i];
}

static void
groups_free(struct groups *g)
{
	free(g->key);
	free(g->idx);
	memset(g, 0, sizeof(*g));
}

/* An envelope's domain as a view groups it, interned in rs. */
static const char *
domain_of(struct rowset *rs, const char *addr, int rollup)
{
	char		 buf[256];
	const char	*d;
	size_t		 n;

	n = qshape_domain(addr, buf, sizeof(buf));
	if (n >= sizeof(buf))
		n = sizeof(buf) - 1;
	d = rollup ? qshape_parent(buf) : buf;
	if (*d == '\0')
		d = "<>";		/* the null sender, or no domain */
	return rowset_intern(rs, d, strlen(d));
}

static struct row *
shape_row(struct rowset *rs, const char *domain)
{
	struct row	*r = rowset_add(rs, S_NCELLS);
	int		 i;

	for (i = 0; i < S_NCELLS; i++)
		r->cells[i].i = 0;
	r->cells[S_DOMAIN].s = domain;
	r->cells[S_OLDEST].i = CELL_NONE;
	r->key = domain;
	return r;
}

static void
shape_count(struct row *r, int64_t ctime, time_t now)
{
	r->cells[S_TOTAL].i++;
	r->cells[S_BUCKET + qshape_bucket((int64_t)now - ctime)].i++;
	if (r->cells[S_OLDEST].i == CELL_NONE || ctime < r->cells[S_OLDEST].i)
		r->cells[S_OLDEST].i = ctime;
}

static struct rowset *
shape_build(const struct rowset *q, time_t now, int cell, int rollup)
{
	struct rowset	*rs = rowset_new();
	struct groups	 g = { 0 };
	struct row	*total, *r;
	const char	*d;
	size_t		 i, k;

	total = shape_row(rs, TOTAL_KEY);
	for (i = 0; q != NULL && i < q->nrows; i++) {
		d = domain_of(rs, q->rows[i]->cells[cell].s, rollup);
		k = group_of(&g, d, rs->nrows);
		r = k == rs->nrows ? shape_row(rs, d) : rs->rows[k];
		shape_count(r, q->rows[i]->cells[Q_CTIME].i, now);
		shape_count(total, q->rows[i]->cells[Q_CTIME].i, now);
	}
	groups_free(&g);
	return rs;
}

static struct rowset *
shape_by_rcpt(void *arg, const struct rowset *q, time_t now)
{
	return shape_build(q, now, Q_DEST,
	    queue_shape_state(arg)->rollup_rcpt);
}

static struct rowset *
shape_by_sender(void *arg, const struct rowset *q, time_t now)
{
	return shape_build(q, now, Q_SENDER,
	    queue_shape_state(arg)->rollup_sender);
}

static int
shape_batch_row(const struct row *r)
{
	return strcmp(r->key, TOTAL_KEY) != 0;
}

static int
rollup_key(int *flag, int ch, char *msg, size_t len)
{
	if (ch != 'p')
		return -1;
	*flag = !*flag;
	snprintf(msg, len, *flag ? "rolled up to the parent domains "
	    "(mail.example.com under example.com); p again: each domain" :
	    "each domain; p again: rolled up to the parent domains");
	return 1;
}

static int
rcpt_key(void *arg, int ch, char *msg, size_t len)
{
	return rollup_key(&queue_shape_state(arg)->rollup_rcpt, ch, msg, len);
}

static int
sender_key(void *arg, int ch, char *msg, size_t len)
{
	return rollup_key(&queue_shape_state(arg)->rollup_sender, ch, msg,
	    len);
}

static void
shape_summary(const struct rowset *rs, time_t now, const char *by,
    int rollup, char *buf, size_t len)
{
	const struct row	*t;
	char			 age[32];

	if (rs == NULL || rs->nrows == 0) {
		snprintf(buf, len, "queue by %s: no data yet", by);
		return;
	}
	t = rs->rows[0];
	if (t->cells[S_OLDEST].i != CELL_NONE)
		fmt_duration(now - t->cells[S_OLDEST].i, age, sizeof(age));
	else
		xstrlcpy(age, "-", sizeof(age));
	snprintf(buf, len, "queue by %s%s: %lld envelope%s, %zu domain%s, "
	    "the oldest %s\ncolumns: envelopes queued for at most 5, 10, 20 "
	    "... 1280 minutes, and longer (as qshape); p: %s",
	    by, rollup ? ", rolled up to parent domains" : "",
	    (long long)t->cells[S_TOTAL].i, t->cells[S_TOTAL].i == 1 ? "" :
	    "s", rs->nrows - 1, rs->nrows == 2 ? "" : "s", age,
	    rollup ? "each domain" : "roll up to parent domains");
}

static void
rcpt_summary(void *arg, const struct rowset *rs, time_t now, char *buf,
    size_t len)
{
	shape_summary(rs, now, "recipient domain",
	    queue_shape_state(arg)->rollup_rcpt, buf, len);
}

static void
sender_summary(void *arg, const struct rowset *rs, time_t now, char *buf,
    size_t len)
{
	shape_summary(rs, now, "sender domain",
	    queue_shape_state(arg)->rollup_sender, buf, len);
}

/* By error: one row per normalised error. */

struct edom {
	const char	*domain;
	size_t		 n;
};

static int
cmp_edom(const void *a, const void *b)
{
	const struct edom	*x = a, *y = b;

	if (x->n != y->n)
		return x->n > y->n ? -1 : 1;
	return strcmp(x->domain, y->domain);
}

/* The domains of group k's envelopes, most envelopes first. */
static void
error_domains(struct rowset *rs, struct row *r, struct edom *ed, size_t ned)
{
	char	*s, *o;
	size_t	 i, len = 1;

	qsort(ed, ned, sizeof(*ed), cmp_edom);
	for (i = 0; i < ned; i++)
		len += strlen(ed[i].domain) + 1;
	o = s = arena_alloc(&rs->arena, len);
	for (i = 0; i < ned; i++) {
		if (i > 0)
			*o++ = ',';
		memcpy(o, ed[i].domain, strlen(ed[i].domain));
		o += strlen(ed[i].domain);
	}
	*o = '\0';
	r->cells[E_DOMAINS].s = s;
	r->cells[E_NDOMAINS].i = (int64_t)ned;
}

struct epair {
	size_t		 group;
	const char	*domain;
};

static int
cmp_epair(const void *a, const void *b)
{
	const struct epair	*x = a, *y = b;

	if (x->group != y->group)
		return x->group < y->group ? -1 : 1;
	return x->domain < y->domain ? -1 : x->domain > y->domain;
}

static void
error_row(struct rowset *rs, const char *e)
{
	struct row	*r = rowset_add(rs, E_NCELLS);

	r->key = e;
	r->cells[E_ERROR].s = e;
	r->cells[E_COUNT].i = 0;
	r->cells[E_OLDEST].i = CELL_NONE;
	r->cells[E_DOMAINS].s = "";
	r->cells[E_NDOMAINS].i = 0;
}

static struct rowset *
error_build(void *arg, const struct rowset *q, time_t now)
{
	struct rowset	*rs = rowset_new();
	struct groups	 g = { 0 }, raw = { .bytext = 1 };
	struct epair	*pairs;
	struct edom	*ed = NULL;
	struct row	*r;
	const char	*e, *text;
	char		 norm[512];
	size_t		 i, j, k, n, ned, cap = 0, nraw = 0, *rawgroup;
	int64_t		 ct;

	(void)arg;
	(void)now;
	n = q != NULL ? q->nrows : 0;
	pairs = xreallocarray(NULL, n ? n : 1, sizeof(*pairs));
	/* each error text is normalised once: the group of a text seen */
	rawgroup = xreallocarray(NULL, n ? n : 1, sizeof(*rawgroup));
	for (i = 0; i < n; i++) {
		text = q->rows[i]->cells[Q_ERROR].s;
		if ((j = group_of(&raw, text, nraw)) < nraw)
			k = rawgroup[j];
		else {
			qshape_error(text, norm, sizeof(norm));
			e = rowset_intern(rs, norm, strlen(norm));
			if ((k = group_of(&g, e, rs->nrows)) == rs->nrows)
				error_row(rs, e);
			rawgroup[nraw++] = k;
		}
		r = rs->rows[k];
		r->cells[E_COUNT].i++;
		ct = q->rows[i]->cells[Q_CTIME].i;
		if (r->cells[E_OLDEST].i == CELL_NONE || ct <
		    r->cells[E_OLDEST].i)
			r->cells[E_OLDEST].i = ct;
		pairs[i].group = k;
		pairs[i].domain = domain_of(rs, q->rows[i]->cells[Q_DEST].s, 0);
	}
	/* each group's domains, counted: the pairs sorted by group */
	qsort(pairs, n, sizeof(*pairs), cmp_epair);
	for (i = 0; i < n; i = j) {
		for (ned = 0, j = i; j < n && pairs[j].group == pairs[i].group;
		    ) {
			if (ned == cap) {
				cap = cap ? cap * 2 : 16;
				ed = xreallocarray(ed, cap, sizeof(*ed));
			}
			ed[ned].domain = pairs[j].domain;
			ed[ned].n = 0;
			for (; j < n && pairs[j].group == pairs[i].group &&
			    pairs[j].domain == ed[ned].domain; j++)
				ed[ned].n++;
			ned++;
		}
		error_domains(rs, rs->rows[pairs[i].group], ed, ned);
	}
	free(ed);
	free(pairs);
	free(rawgroup);
	groups_free(&g);
	groups_free(&raw);
	return rs;
}

static void
error_summary(void *arg, const struct rowset *rs, time_t now, char *buf,
    size_t len)
{
	size_t	 i;
	int64_t	 n = 0;

	(void)arg;
	(void)now;
	if (rs == NULL) {
		snprintf(buf, len, "queue by error: no data yet");
		return;
	}
	for (i = 0; i < rs->nrows; i++)
		n += rs->rows[i]->cells[E_COUNT].i;
	snprintf(buf, len, "queue by error: %lld envelope%s, %zu error%s "
	    "(ids, addresses, numbers and IPs in them taken as the same)",
	    (long long)n, n == 1 ? "" : "s", rs->nrows,
	    rs->nrows == 1 ? "" : "s");
}

/*
 * Actions on a group: one smtpctl command for each of its envelopes, as
 * the queue pane runs them on envelopes.  The target names the view, so
 * that the count and the steps find the same envelopes; they are taken
 * from the rows on screen when the question is asked.
 */
enum { GV_RCPT, GV_SENDER, GV_ERROR };

#define ERROR_ID	"the error "	/* "Remove 3 envelopes of the error ..." */

/* Whether envelope r is in group key of view gv. */
static int
in_group(struct queue_shape_state *s, int gv, const struct row *r,
    const char *key)
{
	char		 buf[512];
	const char	*d;

	if (gv == GV_ERROR) {
		qshape_error(r->cells[Q_ERROR].s, buf, sizeof(buf));
		return strcmp(buf, key) == 0;
	}
	qshape_domain(r->cells[gv == GV_RCPT ? Q_DEST : Q_SENDER].s, buf,
	    sizeof(buf));
	d = (gv == GV_RCPT ? s->rollup_rcpt : s->rollup_sender) ?
	    qshape_parent(buf) : buf;
	return strcmp(*d == '\0' ? "<>" : d, key) == 0;
}

/* An evpid's message: its first 8 hex digits. */
static uint64_t
msgid_of(const char *evpid)
{
	uint64_t	 v = 0;

	ml_hex64(evpid, 8, &v);
	return v;
}

static int
cmp_ids(const void *a, const void *b)
{
	return strcmp(a, b);
}

/*
 * The commands of the group: one for a message all of whose envelopes
 * are in it (smtpctl takes a msgid), one for each other envelope.  A
 * relay in trouble gets fewer commands; the count is the same.
 */
static void
group_commands(struct queue_shape_state *s, const int in[])
{
	struct u64set	 msgs, split;
	size_t		 i, j;

	memset(&msgs, 0, sizeof(msgs));
	memset(&split, 0, sizeof(split));
	for (i = 0; i < s->ngids; i++)
		u64set_add(&msgs, msgid_of(s->gids[i]));
	for (i = 0; s->cur != NULL && i < s->cur->nrows; i++)
		if (!in[i] && u64set_has(&msgs, msgid_of(s->cur->rows[i]->key)))
			u64set_add(&split, msgid_of(s->cur->rows[i]->key));
	qsort(s->gids, s->ngids, sizeof(*s->gids), cmp_ids);
	s->gcmds = xreallocarray(NULL, s->ngids > 0 ? s->ngids : 1,
	    sizeof(*s->gcmds));
	for (i = 0; i < s->ngids; i = j) {
		for (j = i + 1; j < s->ngids &&
		    strncmp(s->gids[i], s->gids[j], 8) == 0; j++)
			;
		if (j - i > 1 && !u64set_has(&split, msgid_of(s->gids[i]))) {
			snprintf(s->gcmds[s->ngcmds++], sizeof(s->gcmds[0]),
			    "%.8s", s->gids[i]);
			continue;
		}
		for (; i < j; i++)
			memcpy(s->gcmds[s->ngcmds++], s->gids[i],
			    sizeof(s->gids[0]));
	}
	u64set_free(&msgs);
	u64set_free(&split);
}

static void
group_collect(struct queue_shape_state *s, const char *id)
{
	const char	*key = id;
	size_t		 i, n;
	int		*in;

	if (s->gkey != NULL && s->gkey_view == s->gview &&
	    strcmp(s->gkey, id) == 0)
		return;
	queue_shape_free(s);
	s->gkey = xstrdup(id);
	s->gkey_view = s->gview;
	if (s->gview == GV_ERROR)
		key += strlen(ERROR_ID);
	n = s->cur != NULL ? s->cur->nrows : 0;
	in = xreallocarray(NULL, n > 0 ? n : 1, sizeof(*in));
	for (i = 0; i < n; i++) {
		if (!(in[i] = in_group(s, s->gview, s->cur->rows[i], key)))
			continue;
		s->gids = xreallocarray(s->gids, s->ngids + 1,
		    sizeof(*s->gids));
		xstrlcpy(s->gids[s->ngids++], s->cur->rows[i]->key,
		    sizeof(s->gids[0]));
	}
	group_commands(s, in);
	free(in);
}

void
queue_shape_free(struct queue_shape_state *s)
{
	free(s->gkey);
	free(s->gids);
	free(s->gcmds);
	s->gkey = NULL;
	s->gids = NULL;
	s->ngids = 0;
	s->gcmds = NULL;
	s->ngcmds = 0;
}

static int
group_target(void *arg, int gv, const char *key, char *id, size_t len)
{
	struct queue_shape_state	*s = queue_shape_state(arg);
	int				 n;

	if (strcmp(key, TOTAL_KEY) == 0 || (gv == GV_ERROR && *key == '\0'))
		return -1;
	n = snprintf(id, len, "%s%s", gv == GV_ERROR ? ERROR_ID : "", key);
	if (n < 0 || (size_t)n >= len)
		return -1;
	s->gview = gv;
	return 0;
}

static int
target_rcpt(void *arg, const char *key, char *id, size_t len)
{
	return group_target(arg, GV_RCPT, key, id, len);
}

static int
target_sender(void *arg, const char *key, char *id, size_t len)
{
	return group_target(arg, GV_SENDER, key, id, len);
}

static int
target_error(void *arg, const char *key, char *id, size_t len)
{
	return group_target(arg, GV_ERROR, key, id, len);
}

static const char *
group_refused(void *arg, const char *key)
{
	(void)arg;
	if (strcmp(key, TOTAL_KEY) == 0)
		return "the TOTAL row is the whole queue: tag the groups to act on";
	if (*key == '\0')
		return "these envelopes have no error yet: act on them in the "
		    "queue (b until it shows the envelopes)";
	return "too long for a command line";
}

static size_t
group_count(void *arg, const char *id)
{
	struct queue_shape_state	*s = queue_shape_state(arg);

	free(s->gkey);		/* a fresh list: the queue may have changed */
	s->gkey = NULL;
	group_collect(s, id);
	return s->ngids;
}

static int
group_step(void *arg, const char *id, int step, const char **argv,
    const char *a, const char *b)
{
	struct queue_shape_state	*s = queue_shape_state(arg);
	int				 n = 0;

	group_collect(s, id);
	if (step < 0 || (size_t)step >= s->ngcmds)
		return 0;
	/* from the rows, which the parser made of 16 hex digits: checked
	 * again before it reaches a command line */
	if (!valid_evpid(s->gcmds[step]) && !valid_msgid(s->gcmds[step]))
		return -1;
	xstrlcpy(s->id, s->gcmds[step], sizeof(s->id));
	argv[n++] = s->smtpctl;
	argv[n++] = a;
	if (b != NULL)
		argv[n++] = b;
	argv[n++] = s->id;
	argv[n] = NULL;
	return n;
}

static int
group_schedule(void *arg, const char *id, int step, const char **argv,
    size_t max)
{
	(void)max;
	return group_step(arg, id, step, argv, "schedule", NULL);
}

static int
group_remove(void *arg, const char *id, int step, const char **argv,
    size_t max)
{
	(void)max;
	return group_step(arg, id, step, argv, "remove", NULL);
}

static int
group_hold(void *arg, const char *id, int step, const char **argv,
    size_t max)
{
	(void)max;
	return group_step(arg, id, step, argv, "pause", "envelope");
}

static int
group_release(void *arg, const char *id, int step, const char **argv,
    size_t max)
{
	(void)max;
	return group_step(arg, id, step, argv, "resume", "envelope");
}

#define GROUP_ACTIONS(target)						\
	{ 's', "retry the group's envelopes now (smtpctl schedule)",	\
	    ACT_ROWS | ACT_CONFIRM, "Schedule", "group", target,		\
	    group_schedule, group_count, "envelope", NULL, NULL, NULL,	\
	    group_refused },						\
	{ 'h', "suspend the group's envelopes until H (smtpctl pause "	\
	    "envelope)", ACT_ROWS | ACT_CONFIRM,				\
	    "Suspend", "group", target, group_hold, group_count,		\
	    "envelope", NULL, NULL, NULL, group_refused },		\
	{ 'H', "resume the group's suspended envelopes (smtpctl resume "	\
	    "envelope)", ACT_ROWS | ACT_CONFIRM, "Resume",	\
	    "group", target, group_release, group_count, "envelope", NULL,	\
	    NULL, NULL, group_refused },					\
	{ 'd', "remove the group's envelopes (smtpctl remove; asks twice "	\
	    "above 100)", ACT_ROWS | ACT_CONFIRM | ACT_TWICE,	\
	    "Remove",							\
	    "group", target, group_remove, group_count, "envelope", NULL,	\
	    NULL, NULL, group_refused }

static const struct action rcpt_actions[] = { GROUP_ACTIONS(target_rcpt) };
static const struct action sender_actions[] = {
	GROUP_ACTIONS(target_sender)
};
static const struct action error_actions[] = {
	GROUP_ACTIONS(target_error)
};

/* Columns. */

static size_t
fmt_shape_oldest(const struct row *r, time_t now, char *buf, size_t len)
{
	if (r->cells[S_OLDEST].i == CELL_NONE)
		return (size_t)snprintf(buf, len, "-");
	return fmt_duration(now - r->cells[S_OLDEST].i, buf, len);
}

static size_t
fmt_error_oldest(const struct row *r, time_t now, char *buf, size_t len)
{
	return fmt_duration(now - r->cells[E_OLDEST].i, buf, len);
}

static size_t
fmt_error(const struct row *r, time_t now, char *buf, size_t len)
{
	(void)now;
	if (r->cells[E_ERROR].s[0] == '\0')
		return xstrlcpy(buf, "(no error yet: not tried, or tried "
		    "without one)", len);
	return xstrlcpy(buf, r->cells[E_ERROR].s, len);
}

static size_t
fmt_domains(const struct row *r, time_t now, char *buf, size_t len)
{
	(void)now;
	if (r->cells[E_NDOMAINS].i <= 1)
		return xstrlcpy(buf, r->cells[E_DOMAINS].s, len);
	return (size_t)snprintf(buf, len, "%lld: %s",
	    (long long)r->cells[E_NDOMAINS].i, r->cells[E_DOMAINS].s);
}

#define BUCKET_COL(i, name) \
	{ name, COL_INT, S_BUCKET + (i), 6, COL_SCREEN | COL_BATCH | \
	    COL_RIGHT, NULL }

static const struct column shape_columns[] = {
	{ "domain", COL_STR, S_DOMAIN, 0, COL_SCREEN | COL_BATCH, NULL },
	{ "total", COL_INT, S_TOTAL, 6, COL_SCREEN | COL_BATCH | COL_RIGHT,
	    NULL },
	BUCKET_COL(0, "5m"), BUCKET_COL(1, "10m"), BUCKET_COL(2, "20m"),
	BUCKET_COL(3, "40m"), BUCKET_COL(4, "80m"), BUCKET_COL(5, "160m"),
	BUCKET_COL(6, "320m"), BUCKET_COL(7, "640m"), BUCKET_COL(8, "1280m"),
	BUCKET_COL(9, "older"),
	{ "oldest", COL_TIME, S_OLDEST, 0, COL_DETAIL, fmt_shape_oldest },
};

/* Narrow, the young buckets go first: what is stuck stays in sight. */
static const struct screen_col shape_screen[] = {
	{ 0, "DOMAIN", 0, 16, NULL },
	{ 1, "TOTAL", 0, 0, NULL },
	{ 2, "5M", 10, 0, NULL },
	{ 3, "10M", 9, 0, NULL },
	{ 4, "20M", 8, 0, NULL },
	{ 5, "40M", 7, 0, NULL },
	{ 6, "80M", 6, 0, NULL },
	{ 7, "160M", 5, 0, NULL },
	{ 8, "320M", 4, 0, NULL },
	{ 9, "640M", 3, 0, NULL },
	{ 10, "1280M", 2, 0, NULL },
	{ 11, "OLDER", 1, 0, NULL },
};

static const struct column error_columns[] = {
	{ "count", COL_INT, E_COUNT, 6, COL_SCREEN | COL_BATCH | COL_RIGHT,
	    NULL },
	{ "domains", COL_STR, E_DOMAINS, 0, COL_SCREEN | COL_BATCH | COL_LIST,
	    fmt_domains },
	{ "oldest", COL_TIME, E_OLDEST, 7, COL_SCREEN | COL_BATCH | COL_RIGHT,
	    fmt_error_oldest },
	{ "error", COL_STR, E_ERROR, 0, COL_SCREEN | COL_BATCH |
	    COL_CUT_REPLY, fmt_error },
};

static const struct screen_col error_screen[] = {
	{ 0, "COUNT", 0, 0, NULL },
	{ 1, "DOMAINS", 2, 12, NULL },
	{ 2, "OLDEST", 1, 0, NULL },
	{ 3, "ERROR", 0, 20, NULL },
};

const struct view queue_views[QUEUE_NVIEWS] = {
	{
		.key = 'b',
		.label = "group by recipient domain, in qshape's age buckets",
		.title = "queue by domain",
		.noun = "domain",
		.columns = shape_columns,
		.ncolumns = nitems(shape_columns),
		.screen = shape_screen,
		.nscreen = nitems(shape_screen),
		.sort_column = 1,		/* TOTAL, highest first */
		.sort_reverse = 1,
		.actions = rcpt_actions,
		.nactions = nitems(rcpt_actions),
		.build = shape_by_rcpt,
		.batch = "shape",
		.batch_row = shape_batch_row,
		.view_key = rcpt_key,
		.key_help = "p                    roll the domains up to their "
		    "parent domains, and back",
		.summary = rcpt_summary,
	},
	{
		.key = 'b',
		.label = "by sender domain",
		.title = "queue by sender",
		.noun = "domain",
		.columns = shape_columns,
		.ncolumns = nitems(shape_columns),
		.screen = shape_screen,
		.nscreen = nitems(shape_screen),
		.sort_column = 1,
		.sort_reverse = 1,
		.actions = sender_actions,
		.nactions = nitems(sender_actions),
		.build = shape_by_sender,
		.batch = "senders",
		.batch_row = shape_batch_row,
		.view_key = sender_key,
		.key_help = "p                    roll the domains up to their "
		    "parent domains, and back",
		.summary = sender_summary,
	},
	{
		.key = 'b',
		.label = "by error",
		.title = "queue by error",
		.noun = "error",
		.columns = error_columns,
		.ncolumns = nitems(error_columns),
		.screen = error_screen,
		.nscreen = nitems(error_screen),
		.sort_column = 0,		/* COUNT, highest first */
		.sort_reverse = 1,
		.actions = error_actions,
		.nactions = nitems(error_actions),
		.build = error_build,
		.batch = "errors",
		.summary = error_summary,
	},
};
