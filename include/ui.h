#ifndef MHTOP_UI_H
#define MHTOP_UI_H

#include <stddef.h>

struct conf;
struct event_base;
struct pane;

/* The full-screen interface; returns the exit status. */
int	ui_run(struct event_base *, struct pane *, size_t, size_t,
	    const struct conf *, int);
void	ui_end(void);

/* -1 and why, in err, when TERM cannot be drawn on (dumb, unknown). */
int	term_check(char *, size_t);

#endif
