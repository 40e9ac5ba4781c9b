/* --demo: a simulated smarthost that answers like the real programs. */
#ifndef MHTOP_DEMO_H
#define MHTOP_DEMO_H

struct event_base;
struct evbuffer;

#include <time.h>

struct conf;

/* Also points conf's maillog at the simulated one. */
void	demo_init(struct event_base *, unsigned, struct conf *);
/* The emulator: run argv against the simulation; returns the exit code. */
int	demo_exec(const char *const *, struct evbuffer *, struct evbuffer *);
void	demo_free(void);
/* The demo's private directory (its mail log), or NULL; and its removal. */
const char *demo_dir(void);
void	demo_remove_files(void);

/* spamd's half of the simulation (demo_spamd.c); -1: not spamdb or pfctl */
/* Its log (spamd -v's daemon.info lines) written to the path, if any. */
void	demo_spamd_init(unsigned, time_t, const char *);
void	demo_spamd_free(void);
void	demo_spamd_tick(time_t);
int	demo_spamd_exec(const char *const *, struct evbuffer *,
	    struct evbuffer *);

#endif
