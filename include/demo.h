/* --demo: a simulated smarthost that answers like the real programs. */
#ifndef MHTOP_DEMO_H
#define MHTOP_DEMO_H

struct event_base;
struct evbuffer;

void	demo_init(struct event_base *, unsigned);
/* The emulator: run argv against the simulation; returns the exit code. */
int	demo_exec(const char *const *, struct evbuffer *, struct evbuffer *);
void	demo_free(void);

#endif
