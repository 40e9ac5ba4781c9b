#ifndef MHTOP_BATCH_H
#define MHTOP_BATCH_H

#include <stdio.h>

struct event_base;
struct pane;
struct rowset;
struct pane_desc;

/* Print count snapshots of a pane as TSV; returns the exit status. */
int	batch_run(struct event_base *, struct pane *, int);
void	batch_print(FILE *, const struct pane_desc *, const struct rowset *);

#endif
