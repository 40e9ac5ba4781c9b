/*
 * A log file's recent history, rotated files included, then its new lines as
 * they are written, across rotation and truncation.  No events of its own:
 * the caller steps it from a timer with a byte budget, so that reading a
 * gigabyte of history never holds up the screen.
 */
#ifndef MHTOP_LOGFOLLOW_H
#define MHTOP_LOGFOLLOW_H

#include <sys/types.h>

#include <stddef.h>
#include <time.h>

#define LF_LINE_MAX	65536		/* longer lines are cut to this */

/* What logfollow_step returns: when to call it again. */
#define LF_IDLE		0		/* caught up: after the poll interval */
#define LF_MORE		1		/* bytes left: right away */
#define LF_ERROR	(-1)		/* logfollow_status says why: later */

/* The time of a line, -1 when it has none. */
typedef time_t	(*logfollow_time_cb)(void *, const char *, size_t);
/* A whole line, NUL-terminated instead of its '\n'; the callee may edit it. */
typedef void	(*logfollow_line_cb)(void *, char *, size_t);
/* Whether a line (not NUL-terminated) counts towards a history limit. */
typedef int	(*logfollow_count_cb)(const char *, size_t);

struct logfollow;

/*
 * path.0, path.0.gz, path.1, path.1.gz, ... are read first, back to the one
 * whose first line with a time is at or before since: lines older than since
 * are delivered too.  A file last modified before since is not read, nor any
 * older one.  With no time callback the modification times alone decide.
 * Does no I/O: the first step does.
 */
struct logfollow *logfollow_open(const char *, time_t, logfollow_time_cb,
		    void *);
/*
 * For a reader that keeps only the last n lines of a kind: the history
 * starts where the last n lines that count begin (or at the first line
 * older than since), found by reading the uncompressed files backwards from
 * their ends, so that the rest of a big log is never read.  A compressed
 * file cannot be read backwards: it and the older ones are read whole.
 * Before the first step.
 */
void		 logfollow_limit(struct logfollow *, logfollow_count_cb,
		    size_t);
/*
 * Deliver the lines that the next budget bytes (0: no limit) complete, in
 * file order, each once; the callback must not step or free lf.  A line
 * stays unread until its '\n' is written, unless its file has been rotated
 * or truncated.  A rotated file is left once it has been quiet for a whole
 * step, so that lines the syslog daemon still writes there are not lost.
 */
int		 logfollow_step(struct logfollow *, size_t, logfollow_line_cb,
		    void *);
/*
 * "reading maillog.1.gz", "following /var/log/maillog", an error...; then
 * " - " and the warning if there is one.
 */
const char	*logfollow_status(const struct logfollow *);
/*
 * What may be missing, for good, or NULL: "the history is incomplete:
 * maillog.2.gz is damaged (cut short)", "maillog was cut in place with no
 * copy: lines written just before may be lost".
 */
const char	*logfollow_warning(const struct logfollow *);
/* The live file is not there (yet): the follower waits for it. */
int		 logfollow_missing(const struct logfollow *);
/* Bytes of history read so far and in all; done == total once caught up. */
void		 logfollow_progress(const struct logfollow *, off_t *, off_t *);
void		 logfollow_free(struct logfollow *);

#endif
