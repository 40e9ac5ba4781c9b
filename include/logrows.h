/*
 * A syslog file's events as rows, for the trace's logs with no pane
 * (spamd's, smtpd's side of the mail log): the file followed with its
 * rotations (logfollow) over the history span, each framed line handed
 * to the provider, and the rows it makes kept in a ring (evring).
 */
#ifndef MHTOP_LOGROWS_H
#define MHTOP_LOGROWS_H

#include <stdint.h>
#include <time.h>

#include "evring.h"
#include "maillog.h"

struct conf;
struct logfollow;

struct logrows {
	char			*path;		/* "": none configured */
	const char		*name;		/* "spamd log", for messages */
	long			 history;
	int			 batch;		/* -b: a missing file is an error */
	time_t			 now;
	struct logfollow	*lf;
	struct ml_clock		 clk;
	struct evring		 ev;
	size_t			 max;
	uint64_t		 seq;		/* rows made, for their keys */
	char			 error[1024];
	void			(*frame)(void *, struct ml_frame *);
	void			*arg;
};

void		 logrows_init(struct logrows *, const char *, const char *,
		    const struct conf *, size_t,
		    void (*)(void *, struct ml_frame *), void *);
void		 logrows_free(struct logrows *);
/* The source hooks' work: poll_begin, poll_step, poll_finish. */
void		 logrows_begin(struct logrows *, time_t);
int		 logrows_step(struct logrows *);
struct rowset	*logrows_rows(struct logrows *);
/*
 * A new row, kept: ncells cells, its key, and room for len bytes of
 * strings and their NULs after them, filled with logrows_put from *p.
 */
struct row	*logrows_row(struct logrows *, size_t, size_t, char **);
/* The same, kept in a ring of the provider's own (its keys are still
 * unique among the log's rows). */
struct row	*logrows_row_in(struct logrows *, struct evring *, size_t,
		    size_t, char **);
const char	*logrows_put(char **, const char *, size_t);
/* What the trace cannot see here (trace_desc blind): 2 a missing file,
 * 1 events dropped from the ring, else 0. */
int		 logrows_blind(const struct logrows *, char *, size_t);

#endif
