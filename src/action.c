#include "config.h"

#include <limits.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <unistd.h>

#include "action.h"
#include "hint.h"
#include "pane.h"
#include "proc.h"
#include "table.h"

int	action_syslog;

struct run {
	struct action_plan	 plan;
	struct pane		*pane;
	size_t			 next;		/* index of the id being run */
	int			 step;		/* its next command */
	int			 skip;		/* a step failed: on to the next id */
	size_t			 ncmds;		/* commands run */
	size_t			 failed;
	char			**answers;
	size_t			 nanswers;
	char			 failure[1400];
	char			*argvs;		/* the last command, for messages */
	char			 prog[256];	/* its program, for hints */
	char			 words[256];	/* its arguments: "remove ID" */
	char			 out[512];	/* first line of stdout */
	size_t			 outlen;
	void			(*done)(const char *, void *);
	void			*arg;
};

static struct run	*running;

static void	action_prompt_counts(const struct action_plan *,
		    const char *, char *, size_t);
static const char *plural(const char *, size_t);

int
action_busy(void)
{
	return running != NULL;
}

int
action_plan(struct action_plan *plan, const struct action *act,
    const struct table *t, void *st)
{
	const struct rowset	*rs = t->rs;
	struct strset		 seen = { 0 };
	char			**keys, id[600];
	size_t			  nkeys, i;

	memset(plan, 0, sizeof(*plan));
	plan->act = act;
	if (act->flags & ACT_INPUT) {
		for (i = 0; i < t->desc->ninputs && plan->in == NULL; i++)
			if (t->desc->inputs[i].key == act->key)
				plan->in = &t->desc->inputs[i];
		if (plan->in == NULL) {
			snprintf(plan->error, sizeof(plan->error),
			    "%c: no question to ask", act->key);
			return -1;
		}
	}
	if (!(act->flags & ACT_ROWS))
		return 0;
	keys = table_selection(t, &nkeys);
	if (nkeys == 0) {
		snprintf(plan->error, sizeof(plan->error),
		    "no %s under the cursor, none tagged", t->desc->noun);
		table_free_selection(keys, nkeys);
		return -1;
	}
	plan->ids = xcalloc(nkeys, sizeof(*plan->ids));
	for (i = 0; i < nkeys; i++) {
		if (act->target(st, keys[i], id, sizeof(id)) == -1) {
			char	 shown[80], *nl;

			/* keys may join parts with newlines: show them in a line */
			xstrlcpy(shown, keys[i], sizeof(shown));
			while ((nl = strchr(shown, '\n')) != NULL)
				*nl = ' ';
			snprintf(plan->error, sizeof(plan->error),
			    "refusing: %s %s: %s", t->desc->noun, shown,
			    act->refused != NULL ? act->refused(st, keys[i]) :
			    "not a valid id for this action");
			table_free_selection(keys, nkeys);
			strset_clear(&seen);
			action_plan_free(plan);
			return -1;
		}
		if (strset_add(&seen, id))
			plan->ids[plan->nids++] = xstrdup(id);
	}
	/* rows the ids cover, in the data on screen (D: every envelope of a message) */
	if (rs != NULL)
		for (i = 0; i < rs->nrows; i++)
			if (act->target(st, rs->rows[i]->key, id, sizeof(id)) == 0 &&
			    strset_has(&seen, id))
				plan->nrows++;
	if (plan->nrows < plan->nids)
		plan->nrows = plan->nids;
	/* one row: who it is about, for the question */
	if (nkeys == 1 && rs != NULL && t->desc->row_label != NULL)
		for (i = 0; i < rs->nrows; i++)
			if (strcmp(rs->rows[i]->key, keys[0]) == 0) {
				t->desc->row_label(rs->rows[i], plan->label,
				    sizeof(plan->label));
				break;
			}
	table_free_selection(keys, nkeys);
	strset_clear(&seen);
	return 0;
}

void
action_plan_free(struct action_plan *plan)
{
	size_t	 i;

	for (i = 0; i < plan->nids; i++)
		free(plan->ids[i]);
	free(plan->ids);
	plan->ids = NULL;
	plan->nids = 0;
}

void
action_plan_count(struct action_plan *plan, void *st)
{
	size_t	 i;

	plan->ncounted = 0;
	if (plan->act->count == NULL)
		return;
	for (i = 0; i < plan->nids; i++)
		plan->ncounted += plan->act->count(st, plan->ids[i]);
}

void
action_ask(const struct action_plan *plan, void *st, char *buf, size_t len)
{
	plan->in->ask(st, plan->ids, plan->nids, buf, len);
}

int
action_answer(struct action_plan *plan, const char *text, char *why,
    size_t len)
{
	if (strlen(text) >= sizeof(plan->input)) {
		snprintf(why, len, "too long");
		return -1;
	}
	if (plan->in->check(text, why, len) == -1)
		return -1;
	xstrlcpy(plan->input, text, sizeof(plan->input));
	return 0;
}

int
action_plan_warn(struct action_plan *plan, void *st)
{
	const char	*w;
	size_t		 i;

	plan->warning[0] = '\0';
	if (plan->act->warn == NULL)
		return 0;
	for (i = 0; i < plan->nids; i++)
		if ((w = plan->act->warn(st, plan->ids[i])) != NULL) {
			xstrlcpy(plan->warning, w, sizeof(plan->warning));
			return 1;
		}
	return 0;
}

static const char *
plural(const char *word, size_t n)
{
	size_t	 len = strlen(word);

	if (n == 1)
		return "";
	return len > 0 && word[len - 1] == 's' ? "es" : "s";
}

void
action_prompt(const struct action_plan *plan, const char *rownoun, char *buf,
    size_t len)
{
	size_t	 n;

	action_prompt_counts(plan, rownoun, buf, len);
	if (plan->warning[0] != '\0' && (n = strlen(buf)) + 1 < len)
		snprintf(buf + n, len - n, " %s", plan->warning);
}

/* An id as the operator knows it: keys may join parts with newlines
 * ("WHITE\n192.0.2.20"), and the last part names it. */
static const char *
id_name(const char *id)
{
	const char	*nl = strrchr(id, '\n');

	return nl != NULL ? nl + 1 : id;
}

void
action_targets(const struct action_plan *plan, char *buf, size_t len)
{
	size_t	 i, shown, n = 0;
	int	 k;

	/* all of three; of more, the first two "and N more" */
	shown = plan->nids <= 3 ? plan->nids : 2;
	buf[0] = '\0';
	for (i = 0; i < shown && n < len; i++) {
		k = snprintf(buf + n, len - n, "%s%s",
		    i == 0 ? "" : (i + 1 == shown && shown == plan->nids) ?
		    " and " : ", ", id_name(plan->ids[i]));
		if (k < 0)
			break;
		n += (size_t)k;
	}
	if (shown < plan->nids && n < len)
		snprintf(buf + n, len - n, " and %zu more", plan->nids - shown);
}

static void
action_prompt_counts(const struct action_plan *plan, const char *rownoun,
    char *buf, size_t len)
{
	const struct action	*a = plan->act;
	char			 ids[300], label[300], to[300];

	/* " to alt@example.net": the answer, for an ACT_INPUT action */
	to[0] = '\0';
	if (a->flags & ACT_INPUT)
		snprintf(to, sizeof(to), " %s %s", plan->in->join, plan->input);
	if (!(a->flags & ACT_ROWS)) {
		/* "Pause the MTA: no mail leaves the relay until r?" */
		snprintf(buf, len, "%s%s? [y/N]", a->verb, to);
		return;
	}
	action_targets(plan, ids, sizeof(ids));
	label[0] = '\0';
	if (plan->label[0] != '\0')
		snprintf(label, sizeof(label), " (%s)", plan->label);
	if (a->count != NULL)
		/* "Whitelist 14 addresses of example.org and example.net?" */
		snprintf(buf, len, "%s %zu %s%s of %s%s? [y/N]", a->verb,
		    plan->ncounted, a->counted, plural(a->counted,
		    plan->ncounted), ids, to);
	else if (strcmp(a->noun, rownoun) == 0 && plan->nids == 1)
		/* "Remove envelope 5e6b7356c4d098a5 (a@b.example → ...)?",
		 * the answer before the label: a narrow screen cuts that */
		snprintf(buf, len, "%s %s %s%s%s? [y/N]", a->verb, a->noun, ids,
		    to, label);
	else if (strcmp(a->noun, rownoun) == 0)
		snprintf(buf, len, "%s %zu %s%s %s%s? [y/N]", a->verb,
		    plan->nids, a->noun, plural(a->noun, plan->nids), ids, to);
	else if (plan->nids == 1)
		/* "Delete IP 192.0.2.1 (2 tuples)?" */
		snprintf(buf, len, "%s %s %s%s (%zu %s%s)? [y/N]", a->verb,
		    a->noun, ids, to, plan->nrows, rownoun, plural(rownoun,
		    plan->nrows));
	else
		snprintf(buf, len, "%s %zu %s%s %s%s (%zu %s%s)? [y/N]",
		    a->verb, plan->nids, a->noun, plural(a->noun, plan->nids),
		    ids, to, plan->nrows, rownoun, plural(rownoun, plan->nrows));
}

static int
build_argv(struct pane *p, const struct action_plan *plan, const char *id,
    int step, const char **argv, size_t max)
{
	if (plan->act->flags & ACT_INPUT)
		return plan->in->build(p->st, id, plan->input, step, argv,
		    max);
	return plan->act->build(p->st, id, step, argv, max);
}

void
action_describe(const struct action_plan *plan, struct pane *p, char *buf,
    size_t len)
{
	const char	*argv[32];
	char		*s;

	if (build_argv(p, plan, plan->nids ? plan->ids[0] : NULL, 0, argv,
	    nitems(argv)) <= 0) {
		snprintf(buf, len, "read-only mode (-r): nothing run");
		return;
	}
	s = proc_argv_string(argv);
	snprintf(buf, len, "read-only mode (-r): did not run: %s%s", s,
	    plan->nids > 1 ? " ..." : "");
	free(s);
}

/* A decimal count at *p; advances p.  -1 when there is none. */
static int
parse_count(const char **p, unsigned long long *n)
{
	if (**p < '0' || **p > '9')
		return -1;
	for (*n = 0; **p >= '0' && **p <= '9'; (*p)++) {
		if (*n > (ULLONG_MAX - 9) / 10)
			return -1;
		*n = *n * 10 + (unsigned long long)(**p - '0');
	}
	return 0;
}

/*
 * smtpctl's "N envelope(s) VERB" or pfctl's "N/M addresses VERB.": the
 * counts, and the verb in *verb (up to its end or the period).
 */
static int
parse_answer(const char *s, unsigned long long *n, unsigned long long *m,
    const char **verb, int *pf)
{
	const char	*p = s, *v;

	if (parse_count(&p, n) == -1)
		return -1;
	*pf = *p == '/';
	if (*pf) {
		p++;
		if (parse_count(&p, m) == -1 ||
		    strncmp(p, " addresses ", 11) != 0)
			return -1;
		p += 11;
	} else if (strncmp(p, " envelopes ", 11) == 0)
		p += 11;
	else if (strncmp(p, " envelope ", 10) == 0)
		p += 10;
	else
		return -1;
	for (v = p; *p >= 'a' && *p <= 'z'; p++)
		;
	if (p == v || strcmp(p, *pf ? "." : "") != 0)
		return -1;
	*verb = v;
	return 0;
}

void
action_sum_answers(char **ans, size_t n, char *buf, size_t len)
{
	unsigned long long	 total = 0, of = 0, v, m = 0;
	const char		*verb = NULL, *w;
	size_t			 i, vlen = 0;
	int			 pf = 0, thispf;

	for (i = 0; i < n; i++) {
		if (parse_answer(ans[i], &v, &m, &w, &thispf) == -1 ||
		    (verb != NULL && (thispf != pf || strncmp(verb, w,
		    strcspn(w, ".")) != 0 || strcspn(w, ".") != vlen)) ||
		    total + v < total || of + m < of)
			break;
		verb = w;
		vlen = strcspn(w, ".");
		pf = thispf;
		total += v;
		of += pf ? m : 0;
	}
	if (n == 0)
		snprintf(buf, len, "done");
	else if (n == 1)
		snprintf(buf, len, "%s", ans[0]);
	else if (i < n)
		/* answers that do not add up: how many, and the last one */
		snprintf(buf, len, "%zu done, the last %s", n, ans[n - 1]);
	else if (pf)
		snprintf(buf, len, "%llu/%llu addresses %.*s.", total, of,
		    (int)vlen, verb);
	else
		snprintf(buf, len, "%llu envelope%s %.*s", total,
		    total == 1 ? "" : "s", (int)vlen, verb);
}

static void	run_next(struct run *);

static void
run_out(void *arg, const char *buf, size_t len)
{
	struct run	*r = arg;
	size_t		 n;

	n = sizeof(r->out) - 1 - r->outlen;
	if (len < n)
		n = len;
	memcpy(r->out + r->outlen, buf, n);
	r->outlen += n;
	r->out[r->outlen] = '\0';
}

static void
log_command(const char *argvs, int status)
{
	struct passwd	*pw;
	static char	 user[64];

	if (!action_syslog)
		return;
	if (user[0] == '\0') {
		pw = getpwuid(getuid());
		if (pw != NULL)
			xstrlcpy(user, pw->pw_name, sizeof(user));
		else
			snprintf(user, sizeof(user), "%u", (unsigned)getuid());
	}
	syslog(LOG_NOTICE, "user %s ran: %s: exit %d", user, argvs, status);
}

static void
run_done(void *arg, int status, const char *err)
{
	struct run	*r = arg;
	char		 why[512];

	log_command(r->argvs, status);
	r->out[strcspn(r->out, "\n")] = '\0';
	if (status != 0) {
		r->failed++;
		r->skip = 1;
		/* an id in the command: no rule with args can allow it */
		explain_exit(status, err[0] ? err : r->out, r->prog,
		    (r->plan.act->flags & ACT_ROWS) ? NULL :
		    strchr(r->words, ' ') != NULL ? strchr(r->words, ' ') + 1 :
		    "", why, sizeof(why));
		/* the program is in the hint; the words say what failed */
		snprintf(r->failure, sizeof(r->failure), "%s: %s", r->words,
		    why);
	} else if (r->plan.act->judge != NULL &&
	    r->plan.act->judge(r->pane->st, (r->plan.act->flags & ACT_ROWS) ?
	    r->plan.ids[r->next] : NULL, r->out, err,
	    (r->plan.act->flags & ACT_INPUT) ?
	    r->plan.input : NULL, why, sizeof(why)) == -1) {
		/* it exited 0, and yet it did not work */
		r->failed++;
		snprintf(r->failure, sizeof(r->failure), "%s: %s", r->words,
		    why);
	} else {
		/* pfctl and spamdb answer on stderr, smtpctl on stdout */
		const char	*ans = r->plan.act->judge != NULL ? why :
		    r->out[0] != '\0' ? r->out : err;
		size_t		 len = strcspn(ans, "\n");

		if (len > 0) {
			r->answers = xreallocarray(r->answers, r->nanswers + 1,
			    sizeof(*r->answers));
			r->answers[r->nanswers] = xmalloc(len + 1);
			memcpy(r->answers[r->nanswers], ans, len);
			r->answers[r->nanswers++][len] = '\0';
		}
	}
	r->outlen = 0;
	r->out[0] = '\0';
	run_next(r);
}

static void
run_finish(struct run *r)
{
	char	 msg[2048], sum[256], ids[300];
	size_t	 i;

	if (r->nanswers == 0 && r->ncmds == 1)
		/* silent success, as spamdb's: say what ran */
		snprintf(sum, sizeof(sum), "done: %.240s", r->words);
	else if (r->nanswers == 0)
		snprintf(sum, sizeof(sum), "done: %zu commands", r->ncmds);
	else
		action_sum_answers(r->answers, r->nanswers, sum, sizeof(sum));
	/* pfctl ends its answer with a full stop; the ids come after it */
	if ((i = strlen(sum)) > 0 && sum[i - 1] == '.')
		sum[i - 1] = '\0';
	action_targets(&r->plan, ids, sizeof(ids));
	if (r->failed == 0 && (r->plan.act->flags & ACT_ROWS) &&
	    strstr(sum, id_name(r->plan.ids[0])) == NULL)
		/* "1 envelope removed: 5e6b7356c4d098a5", "... (STATE
		 * suspend)" in the words of the pane */
		snprintf(msg, sizeof(msg), "%s: %s%s%s%s", sum, ids,
		    r->plan.act->state != NULL ? " (STATE " : "",
		    r->plan.act->state != NULL ? r->plan.act->state : "",
		    r->plan.act->state != NULL ? ")" : "");
	else if (r->failed == 0 && !(r->plan.act->flags & ACT_ROWS) &&
	    strncmp(sum, "done: ", 6) != 0)
		/* "smtpctl pause mta: command succeeded" */
		snprintf(msg, sizeof(msg), "%s: %s", r->words, sum);
	else if (r->failed == 0)
		snprintf(msg, sizeof(msg), "%s", sum);
	else if (r->failed == r->ncmds)
		snprintf(msg, sizeof(msg), "%s", r->failure);
	else
		snprintf(msg, sizeof(msg), "%s; %zu of %zu failed: %.1400s", sum,
		    r->failed, r->ncmds, r->failure);
	running = NULL;
	pane_poll_now(r->pane);
	r->done(msg, r->arg);
	for (i = 0; i < r->nanswers; i++)
		free(r->answers[i]);
	free(r->answers);
	free(r->argvs);
	action_plan_free(&r->plan);
	free(r);
}

static void
run_next(struct run *r)
{
	const char	*argv[32];
	const char	*id;
	size_t		 i, nids;
	int		 n;

	nids = (r->plan.act->flags & ACT_ROWS) ? r->plan.nids : 1;
	for (;;) {
		if (r->next >= nids) {
			run_finish(r);
			return;
		}
		id = (r->plan.act->flags & ACT_ROWS) ? r->plan.ids[r->next] :
		    NULL;
		/* after a failed step the id's later steps would make no sense */
		n = r->skip ? 0 : build_argv(r->pane, &r->plan, id, r->step,
		    argv, nitems(argv));
		if (n > 0)
			break;
		if (n < 0) {
			r->failed++;
			r->ncmds++;
			snprintf(r->failure, sizeof(r->failure),
			    "refusing: not a valid id: %.64s", id ? id : "");
		}
		r->next++;
		r->step = 0;
		r->skip = 0;
	}
	r->step++;
	r->ncmds++;
	free(r->argvs);
	r->argvs = proc_argv_string(argv);
	xstrlcpy(r->prog, argv[0], sizeof(r->prog));
	/* "spamdb -a 192.0.2.1": the program by name, the path is in hints */
	xstrlcpy(r->words, strrchr(argv[0], '/') != NULL ?
	    strrchr(argv[0], '/') + 1 : argv[0], sizeof(r->words));
	for (i = 1; argv[i] != NULL; i++) {
		strncat(r->words, " ", sizeof(r->words) - strlen(r->words) - 1);
		strncat(r->words, argv[i], sizeof(r->words) -
		    strlen(r->words) - 1);
	}
	proc_run(argv, 60, run_out, run_done, r);
}

void
action_run(struct action_plan *plan, struct pane *p,
    void (*done)(const char *, void *), void *arg)
{
	struct run	*r = xcalloc(1, sizeof(*r));

	r->plan = *plan;
	memset(plan, 0, sizeof(*plan));
	r->pane = p;
	r->done = done;
	r->arg = arg;
	running = r;
	run_next(r);
}
