/*
 * The whitelist pane: spamd's WHITE, TRAPPED and SPAMTRAP records from
 * spamdb(8), each with whether its address is in spamd's pf table now, plus
 * the table's addresses that have no record: where the two disagree.
 */
#include "config.h"

#include <sys/types.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <arpa/inet.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conf.h"
#include "hint.h"
#include "spamdb.h"
#include "strset.h"
#include "trace.h"
#include "validate.h"

enum { STEP_SPAMDB, STEP_PFCTL };

struct white_state {
	char			*spamdb;
	char			*pfctl;
	char			*table;
	struct rowset		*rs;
	struct spamdb_counts	 counts;
	struct spamdb_counts	 cur_counts;
	struct badlines		 bad;		/* of spamdb's listing */
	struct strset		 inpf;		/* the table's addresses */
	int			 pf_ok;
	char			 pf_error[1024];
	char			 cur_pf_error[1024];
	size_t			 mismatch;
	char			 error[1024];
	char			 ip[64];
	char			 type[16];
};

static void *
white_create(const struct conf *conf)
{
	struct white_state	*w = xcalloc(1, sizeof(*w));

	w->spamdb = xstrdup(conf->spamdb);
	w->pfctl = xstrdup(conf->pfctl);
	w->table = xstrdup(conf->white_table);
	return w;
}

static void
white_destroy(void *arg)
{
	struct white_state	*w = arg;

	rowset_free(w->rs);
	strset_clear(&w->inpf);
	free(w->spamdb);
	free(w->pfctl);
	free(w->table);
	free(w);
}

static void
white_poll_begin(void *arg, time_t now)
{
	struct white_state	*w = arg;

	(void)now;
	rowset_free(w->rs);
	w->rs = rowset_new();
	strset_clear(&w->inpf);
	memset(&w->counts, 0, sizeof(w->counts));
	memset(&w->bad, 0, sizeof(w->bad));
	w->pf_ok = 0;
	w->pf_error[0] = w->error[0] = '\0';
}

static int
white_poll_argv(void *arg, int step, const char **argv, size_t max)
{
	struct white_state	*w = arg;

	(void)max;
	switch (step) {
	case STEP_SPAMDB:
		argv[0] = w->spamdb;
		argv[1] = NULL;
		return 1;
	case STEP_PFCTL:
		argv[0] = w->pfctl;
		argv[1] = "-t";
		argv[2] = w->table;
		argv[3] = "-T";
		argv[4] = "show";
		argv[5] = NULL;
		return 5;
	}
	return 0;
}

/*
 * spamdb keeps an address as it was typed (2001:DB8:0::1), pfctl prints
 * it as inet_ntop does (2001:db8::1): compare the canonical forms.
 */
static const char *
canonical(const char *addr, char *buf, size_t len)
{
	struct in6_addr	 a6;
	struct in_addr	 a4;

	if (inet_pton(AF_INET, addr, &a4) == 1 &&
	    inet_ntop(AF_INET, &a4, buf, (socklen_t)len) != NULL)
		return buf;
	if (inet_pton(AF_INET6, addr, &a6) == 1 &&
	    inet_ntop(AF_INET6, &a6, buf, (socklen_t)len) != NULL)
		return buf;
	return addr;
}

static void
white_poll_line(void *arg, int step, char *line, size_t len)
{
	struct white_state	*w = arg;
	char			 addr[128], canon[INET6_ADDRSTRLEN];

	if (step == STEP_SPAMDB) {
		if (line == NULL) {
			w->counts.bad++;
			badlines_add(&w->bad, NULL, 0);
		} else if (spamdb_parse_line(NULL, w->rs, &w->counts, line,
		    len) == -1)
			badlines_add(&w->bad, line, len);
		return;
	}
	if (line != NULL &&
	    pftable_parse_line(line, len, addr, sizeof(addr)) == 0)
		strset_add(&w->inpf, canonical(addr, canon, sizeof(canon)));
}

static int
white_poll_step_done(void *arg, int step, int status, const char *err)
{
	struct white_state	*w = arg;
	char			 why[768], args[64];

	snprintf(args, sizeof(args), "-t %s -T show", w->table);
	explain_exit(status, err, step == STEP_SPAMDB ? w->spamdb : w->pfctl,
	    step == STEP_SPAMDB ? "" : args, why, sizeof(why));
	if (step == STEP_SPAMDB) {
		if (status == 0)
			/* a listing of grey entries only is no garbage */
			return explain_garbage(&w->bad, w->counts.grey +
			    w->counts.white + w->counts.trapped +
			    w->counts.spamtrap, "spamdb", w->spamdb, w->error,
			    sizeof(w->error));
		snprintf(w->error, sizeof(w->error), "spamdb: %s", why);
		return -1;
	}
	/* without pf (not root, no table) the records still show */
	if (status == 0)
		w->pf_ok = 1;
	else
		snprintf(w->pf_error, sizeof(w->pf_error), "pfctl -t %s -T "
		    "show: %s", w->table, why);
	return 0;
}

static int
is_ip_record(const char *type)
{
	return strcmp(type, "WHITE") == 0 || strcmp(type, "TRAPPED") == 0;
}

static struct rowset *
white_poll_finish(void *arg)
{
	struct white_state	*w = arg;
	struct rowset		*rs = w->rs;
	struct strset		 seen = { 0 };
	struct row		*r;
	char			**addrs, *key, canon[INET6_ADDRSTRLEN];
	const char		*addr;
	size_t			 i, n, nrows = rs->nrows;
	int			 k;

	w->rs = NULL;
	w->mismatch = 0;
	for (i = 0; i < nrows; i++) {
		r = rs->rows[i];
		if (!w->pf_ok || !is_ip_record(r->cells[W_TYPE].s)) {
			r->cells[W_INPF].s = "-";
			continue;
		}
		addr = canonical(r->cells[W_KEY].s, canon, sizeof(canon));
		strset_add(&seen, addr);
		r->cells[W_INPF].s = strset_has(&w->inpf, addr) ? "yes" : "no";
		if ((strcmp(r->cells[W_TYPE].s, "WHITE") == 0) !=
		    (r->cells[W_INPF].s[0] == 'y'))
			w->mismatch++;
	}
	/* in the table with no record: spamd would drop it at its next scan */
	addrs = strset_sorted(&w->inpf, &n);
	for (i = 0; w->pf_ok && i < n; i++) {
		if (strset_has(&seen, addrs[i]))
			continue;
		r = rowset_add(rs, W_NCELLS);
		r->cells[W_TYPE].s = "PF-ONLY";
		r->cells[W_KEY].s = arena_strndup(&rs->arena, addrs[i],
		    strlen(addrs[i]));
		for (k = W_FIRST; k <= W_PCOUNT; k++)
			r->cells[k].i = CELL_NONE;
		r->cells[W_INPF].s = "yes";
		key = arena_alloc(&rs->arena, strlen(addrs[i]) + 9);
		snprintf(key, strlen(addrs[i]) + 9, "PF-ONLY\n%s", addrs[i]);
		r->key = key;
		w->mismatch++;
	}
	free(addrs);
	strset_clear(&seen);
	rs->nbad = w->counts.bad;
	w->cur_counts = w->counts;
	memcpy(w->cur_pf_error, w->pf_error, sizeof(w->pf_error));
	return rs;
}

static void
white_poll_abort(void *arg)
{
	struct white_state	*w = arg;

	rowset_free(w->rs);
	w->rs = NULL;
}

static size_t
white_progress(void *arg)
{
	struct white_state	*w = arg;

	return w->rs != NULL ? w->rs->nrows : 0;
}

static const char *
white_poll_error(void *arg)
{
	return ((struct white_state *)arg)->error;
}

static void
white_summary(void *arg, const struct rowset *rs, time_t now, char *buf,
    size_t len)
{
	struct white_state	*w = arg;
	struct spamdb_counts	*c = &w->cur_counts;
	int			 n;

	(void)now;
	if (rs == NULL) {
		snprintf(buf, len, "spamd: no data yet");
		return;
	}
	n = snprintf(buf, len, "spamdb: %zu GREY  %zu WHITE  %zu TRAPPED  "
	    "%zu SPAMTRAP\n", c->grey, c->white, c->trapped, c->spamtrap);
	if (n < 0 || (size_t)n >= len)
		return;
	if (w->cur_pf_error[0] != '\0')
		snprintf(buf + n, len - n, "!pf table %s unknown: %s", w->table,
		    w->cur_pf_error);
	else if (w->mismatch > 0)
		snprintf(buf + n, len - n, "!%zu address%s where spamdb and pf "
		    "table <%s> disagree (marked !)", w->mismatch,
		    w->mismatch == 1 ? "" : "es", w->table);
	else
		snprintf(buf + n, len - n, "pf table <%s> agrees with spamdb",
		    w->table);
}

static void
white_empty_reason(void *arg, char *buf, size_t len)
{
	struct white_state	*w = arg;

	snprintf(buf, len, "whitelist empty: spamdb listed no WHITE, TRAPPED "
	    "or SPAMTRAP records, %s <%s>", w->cur_pf_error[0] != '\0' ?
	    "and pfctl could not read table" : "and pfctl no addresses in table",
	    w->table);
}

static int
white_row_alert(const struct row *r)
{
	const char	*type = r->cells[W_TYPE].s, *inpf = r->cells[W_INPF].s;

	if (strcmp(type, "PF-ONLY") == 0)
		return 1;
	if (inpf[0] == '-')
		return 0;
	return (strcmp(type, "WHITE") == 0) != (inpf[0] == 'y');
}

/* Columns. */

static size_t
fmt_age(const struct row *r, time_t now, char *buf, size_t len, int cell)
{
	if (r->cells[cell].i == CELL_NONE)
		return (size_t)snprintf(buf, len, "-");
	return fmt_duration(now - r->cells[cell].i, buf, len);
}

static size_t
fmt_first(const struct row *r, time_t now, char *buf, size_t len)
{
	return fmt_age(r, now, buf, len, W_FIRST);
}

static size_t
fmt_pass(const struct row *r, time_t now, char *buf, size_t len)
{
	return fmt_age(r, now, buf, len, W_PASS);
}

static size_t
fmt_expires(const struct row *r, time_t now, char *buf, size_t len)
{
	int64_t	 e = r->cells[W_EXPIRE].i;

	if (e == CELL_NONE)
		return (size_t)snprintf(buf, len, "-");
	if (e == 0)
		return (size_t)snprintf(buf, len, "never");
	if (e <= now)
		return (size_t)snprintf(buf, len, "expired");
	return fmt_duration(e - now, buf, len);
}

static size_t
fmt_inpf(const struct row *r, time_t now, char *buf, size_t len)
{
	(void)now;
	return (size_t)snprintf(buf, len, "%s%s", r->cells[W_INPF].s,
	    white_row_alert(r) ? " !" : "");
}

#define B	COL_BATCH
#define S	COL_SCREEN
static const struct column white_columns[] = {
	{ "type",	COL_STR,  W_TYPE,    8, B | S, NULL },
	{ "key",	COL_STR,  W_KEY,     0, B | S | COL_CUT_ADDR, NULL },
	{ "first",	COL_TIME, W_FIRST,   6, B | S | COL_RIGHT, fmt_first },
	{ "pass",	COL_TIME, W_PASS,    9, B | S | COL_RIGHT, fmt_pass },
	{ "expire",	COL_TIME, W_EXPIRE, 10, B | S | COL_RIGHT, fmt_expires },
	{ "bcount",	COL_INT,  W_BCOUNT,  7, B | S | COL_RIGHT, NULL },
	{ "pcount",	COL_INT,  W_PCOUNT,  6, B | S | COL_RIGHT, NULL },
	{ "inpf",	COL_STR,  W_INPF,    5, B | S, fmt_inpf },
};
#undef B
#undef S

/* Narrow screens keep the address, whether pf has it, and its type. */
static const struct screen_col white_screen[] = {
	{ 0, "TYPE", 2, 0, NULL },
	{ 1, "ADDRESS", 0, 15, NULL },
	{ 2, "SEEN", 4, 0, NULL },
	{ 3, "LAST PASS", 5, 0, NULL },
	{ 4, "EXPIRES IN", 3, 0, NULL },
	{ 5, "BLOCKED", 6, 0, NULL },
	{ 6, "PASSED", 7, 0, NULL },
	{ 7, "IN PF", 1, 0, NULL },
};

/* Actions: the row key is "TYPE\naddress". */

static int
target_record(void *arg, const char *key, char *id, size_t len)
{
	const char	*nl = strchr(key, '\n');

	(void)arg;
	if (nl == NULL || strlen(key) >= len || !valid_ip(nl + 1))
		return -1;	/* a SPAMTRAP address is not an IP */
	xstrlcpy(id, key, len);
	return 0;
}

static int
split_record(struct white_state *w, const char *id)
{
	const char	*nl;

	if (id == NULL || (nl = strchr(id, '\n')) == NULL ||
	    (size_t)(nl - id) >= sizeof(w->type) || !valid_ip(nl + 1))
		return -1;
	memcpy(w->type, id, nl - id);
	w->type[nl - id] = '\0';
	xstrlcpy(w->ip, nl + 1, sizeof(w->ip));
	return 0;
}

static int
act_unwhitelist(void *arg, const char *id, int step, const char **argv,
    size_t max)
{
	struct white_state	*w = arg;

	(void)max;
	if (split_record(w, id) == -1)
		return -1;
	/* an address only in pf has no record to delete */
	if (strcmp(w->type, "PF-ONLY") == 0)
		step++;
	switch (step) {
	case 0:
		argv[0] = w->spamdb;
		argv[1] = "-d";
		argv[2] = w->ip;
		argv[3] = NULL;
		return 3;
	case 1:
		argv[0] = w->pfctl;
		argv[1] = "-t";
		argv[2] = w->table;
		argv[3] = "-T";
		argv[4] = "delete";
		argv[5] = w->ip;
		argv[6] = NULL;
		return 6;
	}
	return 0;
}

static int
act_trap(void *arg, const char *id, int step, const char **argv, size_t max)
{
	struct white_state	*w = arg;

	(void)max;
	if (split_record(w, id) == -1)
		return -1;
	if (step > 0)
		return 0;
	argv[0] = w->spamdb;
	argv[1] = "-t";
	argv[2] = "-a";
	argv[3] = w->ip;
	argv[4] = NULL;
	return 4;
}

static const struct action white_actions[] = {
	{ 'd', "unwhitelist (spamdb -d IP, pfctl -t TABLE -T delete IP)",
	    ACT_ROWS | ACT_CONFIRM, "Unwhitelist", "record", target_record,
	    act_unwhitelist,
	    NULL, NULL, NULL, NULL, NULL, NULL },
	{ 't', "trap the IP (spamdb -t -a IP)",
	    ACT_ROWS | ACT_CONFIRM, "Trap", "record", target_record, act_trap,
	    NULL, NULL, NULL, NULL, NULL, NULL },
};

/* What the trace says of a record: until when, and whether pf has it. */
static size_t
white_trace_detail(void *arg, const struct row *r, time_t now, char *buf,
    size_t len)
{
	struct white_state	*w = arg;
	const char		*type = r->cells[W_TYPE].s;
	const char		*inpf = r->cells[W_INPF].s;
	char			 until[32];
	int			 n;

	until[0] = '\0';
	if (r->cells[W_EXPIRE].i != CELL_NONE)
		fmt_clock(r->cells[W_EXPIRE].i, now, until, sizeof(until));
	if (strcmp(type, "SPAMTRAP") == 0)
		n = snprintf(buf, len, "a spamtrap address: mail to it traps "
		    "the sending IP");
	else if (strcmp(type, "PF-ONLY") == 0)
		n = snprintf(buf, len, "in pf table <%s> with no spamdb record",
		    w->table);
	else
		n = snprintf(buf, len, "%s until %s; in pf table <%s>: %s",
		    strcmp(type, "WHITE") == 0 ? "whitelisted" : "trapped",
		    until, w->table, inpf[0] == 'y' ? "yes" : inpf[0] == 'n' ?
		    "no" : "unknown");
	return n < 0 ? 0 : (size_t)n >= len ? len - 1 : (size_t)n;
}

/* The trace's answer: the records of the IPs (or the spamtrap address). */
static size_t
white_trace_summary(void *arg, const struct row *const *rows, size_t n,
    time_t now, char *buf, size_t len)
{
	const char	*type;
	size_t		 i, o = 0;

	(void)arg;
	(void)now;
	for (i = 0; i < n && i < 3; i++) {
		type = rows[i]->cells[W_TYPE].s;
		o += trace_clip(snprintf(buf + o, len - o, "%s%s %s", i ? ", " :
		    "", rows[i]->cells[W_KEY].s, strcmp(type, "WHITE") == 0 ?
		    "whitelisted" : strcmp(type, "TRAPPED") == 0 ? "trapped" :
		    strcmp(type, "SPAMTRAP") == 0 ? "is a spamtrap" :
		    "in the pf table with no record"), len - o);
	}
	if (n > 3)
		o += trace_clip(snprintf(buf + o, len - o, " and %zu more",
		    n - 3), len - o);
	return o;
}

static const struct trace_desc white_trace = {
	.kind_cell = W_TYPE,
	.follow_ip = 1,
	.when = W_FIRST,
	.ip = W_KEY,
	.sender = -1,
	.rcpts = W_KEY,			/* a spamtrap's address */
	.host = -1,
	.header_from = -1,
	.detail = white_trace_detail,
	.summary = white_trace_summary,
};

const struct provider provider_white = {
	.name = "white",
	.src = {
		.flags = PROV_DRAIN,
		.create = white_create,
		.destroy = white_destroy,
		.poll_begin = white_poll_begin,
		.poll_finish = white_poll_finish,
		.progress = white_progress,
		.poll_error = white_poll_error,
		.poll_argv = white_poll_argv,
		.poll_line = white_poll_line,
		.poll_step_done = white_poll_step_done,
		.poll_abort = white_poll_abort,
	},
	.desc = {
		.title = "whitelist",
		.noun = "record",
		.columns = white_columns,
		.ncolumns = nitems(white_columns),
		.screen = white_screen,
		.nscreen = nitems(white_screen),
		.sort_column = 0,
		.actions = white_actions,
		.nactions = nitems(white_actions),
		.summary = white_summary,
		.empty_reason = white_empty_reason,
		.row_alert = white_row_alert,
		.trace = &white_trace,
	},
};
