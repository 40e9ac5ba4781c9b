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

/* Print count snapshots of a pane, or of a view of it, as TSV; returns
 * the exit status. */
int	batch_run(struct event_base *, struct pane *, const struct view *,
	    int);
void	batch_print(FILE *, const struct pane_desc *, const struct rowset *);
/* Read every pane once, print what they say of t as TSV; exit status. */
int	batch_trace(struct event_base *, struct pane *, size_t,
	    const struct trace_target *, time_t);

#endif
