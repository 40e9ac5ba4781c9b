/* A pane: a provider, its last good rows, and when it polls next. */
#ifndef MHTOP_PANE_H
#define MHTOP_PANE_H

#include <time.h>

#include "provider.h"

struct conf;
struct event_base;
struct job;

#define LINE_MAX_BYTES	65536		/* longer lines are counted as bad */

struct linebuf {
	char	*buf;
	size_t	 len;
	size_t	 cap;
	int	 overlong;
};

/* A command's output read ahead of the parser, in chunks. */
struct drain_chunk {
	struct drain_chunk	*next;
	size_t			 len;
	size_t			 off;		/* parsed up to here */
	char			*data;
};

struct pane {
	const struct provider	*prov;
	void			*st;
	struct pane		*joined;	/* prov->src.joins, or NULL */
	struct rowset		*rows;		/* last good data, NULL before */
	time_t			 data_time;	/* wall clock of rows */
	unsigned		 generation;	/* bumped when rows change */

	int			 polling;
	int			 step;
	struct job		*job;
	double			 poll_start;	/* monotonic */
	double			 last_duration;
	int			 killed;	/* the last read gave no answer */
	double			 next_poll;	/* monotonic, 0 = none planned */
	struct linebuf		 lb;
	struct drain_chunk	*drain_head, *drain_tail;
	size_t			 drain_bytes;	/* read, not parsed yet */
	size_t			 drain_last;	/* bytes the last read held at most */
	size_t			 drain_reads;	/* reads ended */
	size_t			 drain_peak;	/* the same, this read */
	struct drain_chunk	*drain_spare;	/* made ready before the command */
	struct event		*drain_ev;	/* parses a slice per run */
	int			 drain_live;	/* parsing while the command runs */
	int			 drain_ended;	/* the command is done */
	size_t			 drain_unparsed; /* read since the last piece */
	size_t			 drain_parsed;	/* by pieces, this read */
	double			 drain_ptime;	/* their time */
	int			 drain_status;
	char			*drain_err;
	struct event		*timer;
	int			 frozen;
	int			 parked;	/* not on screen: no polls */
	int			 repoll;	/* poll again as soon as this ends */
	int			 partial;	/* rows so far: more to read */
	double			 shown;		/* monotonic: rows last handed on */
	char			 error[1024];	/* why the last poll failed, "" */

	void			(*on_update)(struct pane *, void *);
	void			*arg;
};

extern double	poll_interval;

void	 pane_init(struct pane *, const struct provider *, const struct conf *,
	    struct event_base *);
void	 pane_free(struct pane *);
/* Each pane whose provider joins another's rows: attached to it. */
void	 pane_join(struct pane *, size_t);
void	 pane_poll_now(struct pane *);
void	 pane_freeze(struct pane *, int);
/* A pane off screen costs its daemon nothing: it polls again when shown. */
void	 pane_park(struct pane *, int);
/* Seconds the running poll has taken, 0 when idle. */
double	 pane_poll_elapsed(const struct pane *);
/* Whether the data on screen is out of date (a failed or hung read). */
int	 pane_stale(const struct pane *);

void	 linebuf_feed(struct linebuf *, const char *, size_t,
	    void (*)(void *, char *, size_t), void *);
void	 linebuf_flush(struct linebuf *, void (*)(void *, char *, size_t),
	    void *);
void	 linebuf_free(struct linebuf *);

#endif
