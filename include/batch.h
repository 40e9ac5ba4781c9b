#ifndef MHTOP_BATCH_H
#define MHTOP_BATCH_H

#include <stdio.h>
#include <time.h>

struct event_base;
struct pane;
struct rowset;
struct pane_desc;
struct trace_target;

struct view;

/* Print count snapshots of a pane, or of a view of it, as TSV or, json
 * not 0, as JSON lines; returns the exit status. */
int	batch_run(struct event_base *, struct pane *, const struct view *,
	    int, int);
void	batch_print(FILE *, const struct pane_desc *, const struct rowset *);
void	batch_print_json(FILE *, const struct pane_desc *,
	    const struct rowset *);
/* Read every pane once, print what they say of t, as batch_run; exit
 * status. */
int	batch_trace(struct event_base *, struct pane *, size_t,
	    const struct trace_target *, time_t, int);

#endif
