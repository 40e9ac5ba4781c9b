/*
 * Spawn children from an argv, read their stdout and stderr without blocking
 * the event loop, and kill them (TERM, then KILL) when they overrun.  Each
 * child leads its own process group so a doas and its smtpctl die together.
 */
#include "config.h"

#include <sys/types.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#ifdef HAVE_SYS_PRCTL_H
#include <sys/prctl.h>
#endif

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <event2/buffer.h>
#include <event2/event.h>

#include "proc.h"
#include "provider.h"
#include "util.h"

#define ERR_MAX		4096
#define KILL_GRACE	2		/* seconds between TERM and KILL */

struct job {
	struct job	*next;
	pid_t		 pid;
	int		 outfd;
	int		 errfd;
	struct event	*outev;
	struct event	*errev;
	struct event	*timer;
	int		 exited;
	int		 status;
	int		 termed;	/* TERM sent on timeout */
	double		 timeout;
	double		 last_io;	/* started, or last read from */
	double		 termed_at;	/* by proc_finish_all */
	char		 err[ERR_MAX];
	size_t		 errlen;
	proc_out_cb	 out;
	proc_space_cb	 space;
	proc_done_cb	 done;
	void		*arg;
	struct evbuffer	*emu_out;	/* --demo: output to deliver */
	struct evbuffer	*emu_err;
};

static struct event_base	*base;
static struct event		*sigchld_ev;
static struct job		*jobs;
static char			*wrapper;
static proc_emulator		 emulator;
static pid_t			*killed;	/* cancelled, not yet reaped */
static size_t			 nkilled;

static void	job_check_done(struct job *);

void
proc_set_wrapper(const char *path)
{
	free(wrapper);
	wrapper = path == NULL ? NULL : xstrdup(path);
}

void
proc_set_emulator(proc_emulator fn)
{
	emulator = fn;
}

static const char **
full_argv(const char *const *argv)
{
	const char	**v;
	size_t		  n, i = 0;

	for (n = 0; argv[n] != NULL; n++)
		;
	v = xcalloc(n + 3, sizeof(*v));
	if (wrapper != NULL && emulator == NULL) {
		v[i++] = wrapper;
		v[i++] = "-n";
	}
	memcpy(v + i, argv, (n + 1) * sizeof(*v));
	return v;
}

char *
proc_argv_string(const char *const *argv)
{
	const char	**v = full_argv(argv);
	size_t		  len = 1, i;
	char		 *s;

	for (i = 0; v[i] != NULL; i++)
		len += strlen(v[i]) + 1;
	s = xmalloc(len);
	s[0] = '\0';
	for (i = 0; v[i] != NULL; i++) {
		if (i > 0)
			strcat(s, " ");
		strcat(s, v[i]);
	}
	free(v);
	return s;
}

static void
job_unlink(struct job *j)
{
	struct job	**pp;

	for (pp = &jobs; *pp != NULL; pp = &(*pp)->next)
		if (*pp == j) {
			*pp = j->next;
			break;
		}
}

static void
job_free(struct job *j)
{
	job_unlink(j);
	if (j->outev != NULL)
		event_free(j->outev);
	if (j->errev != NULL)
		event_free(j->errev);
	if (j->timer != NULL)
		event_free(j->timer);
	if (j->outfd != -1)
		close(j->outfd);
	if (j->errfd != -1)
		close(j->errfd);
	if (j->emu_out != NULL)
		evbuffer_free(j->emu_out);
	if (j->emu_err != NULL)
		evbuffer_free(j->emu_err);
	free(j);
}

static void
job_eof(struct job *j, int is_err)
{
	if (is_err) {
		event_free(j->errev);
		j->errev = NULL;
		close(j->errfd);
		j->errfd = -1;
	} else {
		event_free(j->outev);
		j->outev = NULL;
		close(j->outfd);
		j->outfd = -1;
	}
	job_check_done(j);
}

static void
job_alive(struct job *j)
{
	struct timeval	 tv;

	j->last_io = mono_now();
	if (j->termed)
		return;
	/* the timeout is for silence: a long read that prints is alive */
	tv.tv_sec = (time_t)j->timeout;
	tv.tv_usec = (suseconds_t)((j->timeout - (double)tv.tv_sec) * 1e6);
	evtimer_add(j->timer, &tv);
}

/*
 * A command that holds a lock while it writes: read until the pipe is
 * empty, not a read per wakeup, so that the writer never waits on us
 * longer than on cat.  Bounded by slice_time: keys still come through.
 */
static void
drain_more(struct job *j)
{
	double		 end = mono_now() + slice_time;
	size_t		 room;
	ssize_t		 n;
	char		*p;
	int		 reads = 0;

	for (;;) {
		/* no room: the caller has other work first (we come back) */
		if ((p = j->space(j->arg, &room)) == NULL || room == 0)
			break;
		n = read(j->outfd, p, room);
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1 && errno == EAGAIN)
			break;
		if (n <= 0) {
			job_eof(j, 0);
			return;
		}
		if (j->out != NULL)
			j->out(j->arg, p, (size_t)n);
		if (++reads % 16 == 0 && mono_now() >= end)
			break;
	}
	if (reads > 0)
		job_alive(j);
}

static void
job_read(evutil_socket_t fd, short what, void *arg)
{
	struct job	*j = arg;
	char		 buf[65536], *p = buf;
	size_t		 room = sizeof(buf);
	ssize_t		 n;
	int		 is_err = fd == j->errfd;

	(void)what;
	if (!is_err && j->space != NULL) {
		drain_more(j);
		return;
	}
	n = read(fd, p, room);
	if (n == -1 && (errno == EINTR || errno == EAGAIN))
		return;
	if (n <= 0) {
		job_eof(j, is_err);
		return;
	}
	job_alive(j);
	if (is_err) {
		if ((size_t)n > ERR_MAX - 1 - j->errlen)
			n = ERR_MAX - 1 - j->errlen;
		memcpy(j->err + j->errlen, buf, n);
		j->errlen += n;
		j->err[j->errlen] = '\0';
	} else if (j->out != NULL)
		j->out(j->arg, p, n);
}

static void
job_check_done(struct job *j)
{
	proc_done_cb	 done = j->done;
	void		*arg = j->arg;
	char		 err[ERR_MAX + 64];
	int		 status = j->status;

	if (!j->exited || j->outev != NULL || j->errev != NULL)
		return;
	if (j->termed) {
		/* "exit 143: Terminated" would hide that we did it */
		snprintf(err, sizeof(err), "no answer for %g s, killed%s%s",
		    j->timeout, j->errlen ? "; " : "", j->err);
		status = PROC_KILLED;
	} else
		memcpy(err, j->err, j->errlen + 1);
	job_free(j);
	if (done != NULL)
		done(arg, status, err);
}

static void
sigchld(evutil_socket_t sig, short what, void *arg)
{
	struct job	*j;
	pid_t		 pid;
	int		 st;

	(void)sig;
	(void)what;
	(void)arg;
	while ((pid = waitpid(-1, &st, WNOHANG)) > 0) {
		for (j = jobs; j != NULL; j = j->next)
			if (j->pid == pid)
				break;
		if (j == NULL) {
			size_t	 i;

			for (i = 0; i < nkilled; i++)
				if (killed[i] == pid)
					killed[i] = killed[--nkilled];
			continue;
		}
		j->exited = 1;
		if (WIFEXITED(st))
			j->status = WEXITSTATUS(st);
		else if (WIFSIGNALED(st))
			j->status = 128 + WTERMSIG(st);
		else
			j->status = 255;
		if (j->timer != NULL)
			evtimer_del(j->timer);
		job_check_done(j);
	}
}

static void
job_timeout(evutil_socket_t fd, short what, void *arg)
{
	struct job	*j = arg;
	struct timeval	 tv = { KILL_GRACE, 0 };

	(void)fd;
	(void)what;
	if (!j->termed) {
		j->termed = 1;
		kill(-j->pid, SIGTERM);
		evtimer_add(j->timer, &tv);
	} else
		kill(-j->pid, SIGKILL);
}

void
proc_init(struct event_base *b)
{
	base = b;
	signal(SIGPIPE, SIG_IGN);
	sigchld_ev = evsignal_new(base, SIGCHLD, sigchld, NULL);
	if (sigchld_ev == NULL || evsignal_add(sigchld_ev, NULL) == -1)
		fatalx("cannot watch SIGCHLD");
}

static void
emu_deliver(evutil_socket_t fd, short what, void *arg)
{
	struct job	*j = arg;
	size_t		 n;
	char		*p;

	(void)fd;
	(void)what;
	if ((n = evbuffer_get_length(j->emu_out)) > 0 && j->out != NULL) {
		p = (char *)evbuffer_pullup(j->emu_out, n);
		j->out(j->arg, p, n);
	}
	n = evbuffer_get_length(j->emu_err);
	if (n > ERR_MAX - 1)
		n = ERR_MAX - 1;
	evbuffer_remove(j->emu_err, j->err, n);
	j->err[n] = '\0';
	j->errlen = n;
	j->exited = 1;
	job_check_done(j);
}

static struct job *
emu_run(const char *const *argv, proc_out_cb out, proc_done_cb done,
    void *arg)
{
	struct job	*j = xcalloc(1, sizeof(*j));
	struct timeval	 tv = { 0, 20000 };	/* a real smtpctl takes ~10 ms */

	j->outfd = j->errfd = -1;
	j->pid = -1;
	j->out = out;
	j->done = done;
	j->arg = arg;
	j->emu_out = evbuffer_new();
	j->emu_err = evbuffer_new();
	j->status = emulator(argv, j->emu_out, j->emu_err);
	j->timer = evtimer_new(base, emu_deliver, j);
	evtimer_add(j->timer, &tv);
	j->next = jobs;
	jobs = j;
	return j;
}

struct job *
proc_run(const char *const *argv, double timeout, proc_out_cb out,
    proc_done_cb done, void *arg)
{
	struct job	*j;
	struct timeval	 tv;
	const char	**v;
	int		 outp[2], errp[2], fd;
	sigset_t	 all;
	pid_t		 pid;
#ifdef PR_SET_PDEATHSIG
	pid_t		 parent = getpid();
#endif

	if (emulator != NULL)
		return emu_run(argv, out, done, arg);

	v = full_argv(argv);
	if (pipe(outp) == -1 || pipe(errp) == -1)
		fatal("pipe");
	switch (pid = fork()) {
	case -1:
		fatal("fork");
	case 0:
#ifdef PR_SET_PDEATHSIG
		/*
		 * A SIGKILLed mhtop kills nothing: the kernel ends the child
		 * with it.  TERM, as proc_cancel's first signal, lets a
		 * wrapper script end what it started.  mhtop may have died
		 * before the request: then there is no one to answer.  Until
		 * execv, mhtop's own handler would catch the TERM.
		 */
		signal(SIGTERM, SIG_DFL);
		if (prctl(PR_SET_PDEATHSIG, SIGTERM) == 0 &&
		    getppid() != parent)
			_exit(127);
#endif
		setpgid(0, 0);
		sigemptyset(&all);
		sigprocmask(SIG_SETMASK, &all, NULL);
		signal(SIGPIPE, SIG_DFL);
		if ((fd = open("/dev/null", O_RDONLY)) != -1) {
			dup2(fd, STDIN_FILENO);
			if (fd != STDIN_FILENO)
				close(fd);
		}
		dup2(outp[1], STDOUT_FILENO);
		dup2(errp[1], STDERR_FILENO);
		close(outp[0]);
		close(outp[1]);
		close(errp[0]);
		close(errp[1]);
		execv(v[0], (char *const *)v);
		dprintf(STDERR_FILENO, "%s: %s\n", v[0], strerror(errno));
		_exit(127);
	}
	free(v);
	setpgid(pid, pid);	/* no race with kill(-pid) */
	close(outp[1]);
	close(errp[1]);

	j = xcalloc(1, sizeof(*j));
	j->pid = pid;
	j->outfd = outp[0];
	j->errfd = errp[0];
	j->out = out;
	j->done = done;
	j->arg = arg;
	j->timeout = timeout;
	j->last_io = mono_now();
	evutil_make_socket_nonblocking(j->outfd);
	evutil_make_socket_nonblocking(j->errfd);
	evutil_make_socket_closeonexec(j->outfd);
	evutil_make_socket_closeonexec(j->errfd);
	j->outev = event_new(base, j->outfd, EV_READ | EV_PERSIST, job_read, j);
	j->errev = event_new(base, j->errfd, EV_READ | EV_PERSIST, job_read, j);
	j->timer = evtimer_new(base, job_timeout, j);
	if (j->outev == NULL || j->errev == NULL || j->timer == NULL)
		fatalx("event_new failed");
	event_add(j->outev, NULL);
	event_add(j->errev, NULL);
	tv.tv_sec = (time_t)timeout;
	tv.tv_usec = (suseconds_t)((timeout - (double)tv.tv_sec) * 1e6);
	evtimer_add(j->timer, &tv);
	j->next = jobs;
	jobs = j;
	return j;
}

int
proc_read_into(struct job *j, proc_space_cb space)
{
	j->space = space;
#ifdef F_SETPIPE_SZ
	/* fewer, larger reads: the writer seldom finds the pipe full */
	if (j->outfd != -1 && fcntl(j->outfd, F_SETPIPE_SZ, PROC_PIPE_BIG) >=
	    PROC_PIPE_BIG)
		return 1;
#endif
	return 0;
}

size_t
proc_pending(struct job *j)
{
	int	 n = 0;

	if (j->outfd == -1 || ioctl(j->outfd, FIONREAD, &n) == -1 || n < 0)
		return 0;
	return (size_t)n;
}

/*
 * Forget a job: its callbacks never run.  It is not killed: smtpctl
 * killed while smtpd sends it a listing leaves smtpd unread data, and
 * OpenSMTPD's control process takes the reset for a fatal error: smtpd
 * exits (seen with 6.8 in the lab).  Its output is read and dropped until
 * it ends; the timeout still ends one that says nothing.
 */
void
proc_cancel(struct job *j)
{
	if (j->pid <= 0 || j->exited) {
		job_free(j);
		return;
	}
	j->out = NULL;
	j->space = NULL;
	j->done = NULL;
	j->arg = NULL;
}

/* The job's group TERMed, then KILLed once KILL_GRACE is over. */
static void
finish_kill(struct job *j, double now)
{
	if (j->termed_at == 0) {
		kill(-j->pid, SIGTERM);
		j->termed_at = now;
	} else if (now - j->termed_at >= KILL_GRACE)
		kill(-j->pid, SIGKILL);
}

/*
 * Exit path, before proc_kill_all: the commands still running are given
 * until they end, their output read and dropped, as killing one that
 * talks to smtpd could stop smtpd (proc_cancel).  One that has said
 * nothing for quiet seconds is hung: it is killed, as is every one after
 * max seconds.  Works outside the event loop: from a signal's callback.
 */
void
proc_finish_all(double quiet, double max)
{
	struct pollfd	 pfd[64];
	struct job	*who[64];
	double		 start = mono_now(), now;
	char		 buf[65536];
	struct job	*j;
	size_t		 n, i;
	ssize_t		 r;
	int		 st;

	for (;;) {
		now = mono_now();
		n = 0;
		for (j = jobs; j != NULL && n < nitems(pfd) / 2; j = j->next) {
			if (j->pid <= 0 || j->exited)
				continue;
			if (waitpid(j->pid, &st, WNOHANG) == j->pid) {
				j->exited = 1;
				continue;
			}
			if (now - j->last_io >= quiet || now - start >= max)
				finish_kill(j, now);
			who[n] = j;
			pfd[n].fd = j->outfd;
			pfd[n++].events = POLLIN;
			who[n] = j;
			pfd[n].fd = j->errfd;
			pfd[n++].events = POLLIN;
		}
		if (n == 0 || now - start >= max + KILL_GRACE + 1)
			return;
		if (poll(pfd, n, 100) <= 0)
			continue;
		for (i = 0; i < n; i++) {
			if (pfd[i].fd == -1 || !(pfd[i].revents & (POLLIN |
			    POLLHUP | POLLERR)))
				continue;
			r = read(pfd[i].fd, buf, sizeof(buf));
			if (r > 0) {
				who[i]->last_io = mono_now();
				continue;
			}
			if (r == -1 && (errno == EINTR || errno == EAGAIN))
				continue;
			/* the end of its output: close it, so poll skips it */
			if (pfd[i].fd == who[i]->outfd) {
				event_del(who[i]->outev);
				close(who[i]->outfd);
				who[i]->outfd = -1;
			} else {
				event_del(who[i]->errev);
				close(who[i]->errfd);
				who[i]->errfd = -1;
			}
		}
	}
}

/* After proc_kill_all, before the event base goes. */
void
proc_end(void)
{
	while (jobs != NULL)
		job_free(jobs);
	if (sigchld_ev != NULL)
		event_free(sigchld_ev);
	sigchld_ev = NULL;
	free(wrapper);
	wrapper = NULL;
	emulator = NULL;
}

int
proc_running(void)
{
	return jobs != NULL;
}

/* Exit path: nothing we started may outlive us. */
void
proc_kill_all(void)
{
	struct job	*j;

	for (j = jobs; j != NULL; j = j->next)
		if (j->pid > 0 && !j->exited)
			kill(-j->pid, SIGTERM);
	for (j = jobs; j != NULL; j = j->next)
		if (j->pid > 0 && !j->exited) {
			usleep(100000);
			kill(-j->pid, SIGKILL);
			waitpid(j->pid, NULL, 0);
		}
	while (nkilled > 0)
		waitpid(killed[--nkilled], NULL, 0);
	free(killed);
	killed = NULL;
}
