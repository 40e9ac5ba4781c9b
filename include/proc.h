/* Child processes: spawned from an argv (never a shell), read through libevent. */
#ifndef MHTOP_PROC_H
#define MHTOP_PROC_H

#include <stddef.h>

struct event_base;
struct evbuffer;
struct job;

/* stdout as it arrives */
typedef void	(*proc_out_cb)(void *, const char *, size_t);
/* Where the next read of stdout may go, and how much room it has. */
typedef char	*(*proc_space_cb)(void *, size_t *);
/*
 * status: exit code, 128+signal, 127 when exec failed, PROC_KILLED when it
 * gave no answer within its timeout; err: stderr (capped), after "no answer
 * for N s, killed" for PROC_KILLED.
 */
typedef void	(*proc_done_cb)(void *, int, const char *);
#define PROC_KILLED	(-1)

/* An in-process stand-in for the programs (--demo): argv in, output out, exit code back. */
typedef int	(*proc_emulator)(const char *const *, struct evbuffer *,
		    struct evbuffer *);

void		 proc_init(struct event_base *);
void		 proc_set_wrapper(const char *);	/* "doas": runs doas -n ARGV */
void		 proc_set_emulator(proc_emulator);
/* The argv as it would run (wrapper included), space separated. */
char		*proc_argv_string(const char *const *);
struct job	*proc_run(const char *const *, double, proc_out_cb,
		    proc_done_cb, void *);
/*
 * Read stdout straight into the caller's memory (out then reports the bytes
 * read there), through as large a pipe as the system allows: for a command
 * that holds a lock until its output is all read.  1 if the pipe holds
 * PROC_PIPE_BIG bytes: the writer can run that far ahead of the reader.
 * The space callback may give no room: the reads stop until the next turn
 * of the event loop.
 */
#define PROC_PIPE_BIG	(1024 * 1024)
int		 proc_read_into(struct job *, proc_space_cb);
/* Bytes written to the job's stdout and not read yet; 0 if unknown. */
size_t		 proc_pending(struct job *);
void		 proc_cancel(struct job *);
/* Exit path: the running commands read to their end, bounded (proc.c). */
void		 proc_finish_all(double, double);
void		 proc_kill_all(void);
void		 proc_end(void);
int		 proc_running(void);

#endif
