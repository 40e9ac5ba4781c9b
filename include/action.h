/* Running a provider's action on a set of ids, one command per id. */
#ifndef MHTOP_ACTION_H
#define MHTOP_ACTION_H

#include <stddef.h>

struct action;
struct action_input;
struct pane;
struct table;

extern int	action_syslog;		/* log every command run (not in --demo) */

struct action_plan {
	const struct action	*act;
	const struct action_input *in;		/* ACT_INPUT: its question */
	char			**ids;		/* what the commands take */
	size_t			  nids;
	size_t			  nrows;	/* rows they cover */
	size_t			  ncounted;	/* what act->count counts */
	char			  warning[160];	/* act->warn's, for the prompt */
	char			  label[256];	/* the one row's row_label, or "" */
	char			  input[256];	/* the answer to act->ask */
	char			  error[256];	/* why the plan was refused */
};

/* Turn the selected row keys into validated, de-duplicated ids.  -1 with
 * plan->error set if one fails validation (then nothing runs). */
int	 action_plan(struct action_plan *, const struct action *,
	    const struct table *, void *);
void	 action_plan_free(struct action_plan *);
/* Ask the provider how many things the ids stand for (act->count). */
void	 action_plan_count(struct action_plan *, void *);
/* ACT_INPUT: the question for the plan's ids ("Release SkMBGGfgtCC1 to
 * which address?"), and taking the answer: 0, or -1 and why in the buffer. */
void	 action_ask(const struct action_plan *, void *, char *, size_t);
int	 action_answer(struct action_plan *, const char *, char *, size_t);
/* Ask act->warn about every id; 1 if the plan needs a warning shown. */
int	 action_plan_warn(struct action_plan *, void *);
/*
 * The question, naming what it acts on: "Remove envelope 5e6b7356c4d098a5
 * (billing@shop.example → info@slow-mx.example)? [y/N]", "Whitelist 85
 * addresses of partnerfirm.nl? [y/N]", "Delete 2 IPs 192.0.2.1 and
 * 192.0.2.7 (3 tuples)? [y/N]", "Release message S/spam-SkMBGGfgtCC1.gz
 * to alt@example.net (...)? [y/N]"; and the warning if any.
 */
void	 action_prompt(const struct action_plan *, const char *, char *, size_t);
/* Describe what it would run, for -r. */
void	 action_describe(const struct action_plan *, struct pane *, char *,
	    size_t);
/* "5e6b7356c4d098a5, 0862d5e211583af9 and 12 more": the ids, by name. */
void	 action_targets(const struct action_plan *, char *, size_t);
/* Run it; done gets a one-line outcome naming the ids.  The plan is
 * consumed. */
void	 action_run(struct action_plan *, struct pane *,
	    void (*)(const char *, void *), void *);
int	 action_busy(void);

/* Sum smtpctl-style answers: "1 envelope removed" x3 -> "3 envelopes removed". */
void	 action_sum_answers(char **, size_t, char *, size_t);

#endif
