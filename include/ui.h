#ifndef MHTOP_UI_H
#define MHTOP_UI_H

#include <stddef.h>

struct conf;
struct event_base;
struct pane;

/*
 * The full-screen interface; returns the exit status.  The first ntabs
 * panes have a tab; the nhidden after them are read only for the trace.
 */
int	ui_run(struct event_base *, struct pane *, size_t ntabs,
	    size_t nhidden, size_t start, const struct conf *, int);
void	ui_end(void);

/* -1 and why, in err, when TERM cannot be drawn on (dumb, unknown). */
int	term_check(char *, size_t);

#endif
