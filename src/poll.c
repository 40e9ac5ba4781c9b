/*
 * When each pane reads its data.  A poll starts only after the previous one
 * ended, and no sooner than 9 times its duration after it: on a huge queue
 * smtpd spends seconds answering "show queue", and mhtop must never take more
 * than a tenth of its time.
 */
#include "config.h"

#include <sys/mman.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <time.h>

#include <event2/event.h>

#include "pane.h"
#include "proc.h"
#include "radix.h"
#include "wallclock.h"

#define POLL_IDLE_TIMEOUT	30	/* a read that prints nothing this long is hung */
#define DUTY_FACTOR		9
#define KILLED_RETRY		60	/* s: a hung read does not back off longer */
#define SHOW_EVERY		0.5	/* s between rows shown of a long read */
#define DRAIN_CHUNK		(2 * 1024 * 1024)
#ifdef MAP_POPULATE
#define DRAIN_MAP_FLAGS		MAP_POPULATE
#else
#define DRAIN_MAP_FLAGS		0
#endif
#define DRAIN_SLICE		(4 * 1024 * 1024)	/* parsed per loop turn */
/*
 * While the command still writes: read this much, then parse a piece, in
 * steps, for 0.3 ms at most.  When we parse slower than the output comes,
 * a piece takes no longer than a writer at 2 GB/s takes to fill what is
 * left of the pipe (PROC_PIPE_BIG), and none starts while it is nearly
 * full: we read on, and the writer never waits for us.  (When we parse
 * faster, it waits a little now and then, and less than for a backlog of
 * its whole output.)  Reads of 128 KB at most: a read holds the pipe's
 * lock, and the writer spins on it meanwhile.
 */
#define DRAIN_LIVE_READ		(256 * 1024)
#define DRAIN_READ_MAX		(128 * 1024)
#define DRAIN_LIVE_STEP		(32 * 1024)
#define DRAIN_LIVE_MAX		(1024 * 1024)
#define DRAIN_LIVE_TIME		0.0003
#define DRAIN_WRITER_RATE	2e9
#define DRAIN_KEEP_RATE		1.2e9
#define DRAIN_RATE_AFTER	(8 * 1024 * 1024)
#define DRAIN_AHEAD		(PROC_PIPE_BIG / 8 * 7)
#define DRAIN_SPARE_MAX		512	/* chunks made ready: 1 GB */
#define DRAIN_FIRST_MAX		(16 * 1024 * 1024)

double	 poll_interval = 2;
double	 slice_time = 0.02;

static void	pane_run_step(struct pane *);

static const struct timeval drain_again = { 0, 0 };

/* Asked once: on Linux, sysconf reads a file in /sys each time. */
static long
ncpu_online(void)
{
	static long	 n = -1;

	if (n == -1)
		n = sysconf(_SC_NPROCESSORS_ONLN);
	return n;
}

/*
 * Whether other tasks want every CPU now, besides us and the command we
 * just started.  Linux tells how many are runnable ("0.42 0.30 0.25 4/250
 * 1234": we and it are two of the 4); elsewhere the load average of the
 * last minute says it, later.
 */
static int
cpus_busy(void)
{
	double	 load;
#ifdef __linux__
	FILE	*fp;
	long	 run;
	int	 n;

	if ((fp = fopen("/proc/loadavg", "r")) != NULL) {
		n = fscanf(fp, "%*f %*f %*f %ld/", &run);
		fclose(fp);
		if (n == 1)
			return run - 2 >= ncpu_online();
	}
#endif
	return getloadavg(&load, 1) == 1 && load >= ncpu_online() - 0.5;
}

double
mono_now(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

void
linebuf_feed(struct linebuf *lb, const char *buf, size_t len,
    void (*fn)(void *, char *, size_t), void *arg)
{
	const char	*nl;
	size_t		 n;

	while (len > 0) {
		nl = memchr(buf, '\n', len);
		n = nl != NULL ? (size_t)(nl - buf) : len;
		if (lb->len == 0 && nl != NULL && !lb->overlong &&
		    n <= LINE_MAX_BYTES) {
			/* the whole line is here: no copy */
			char	*line = (char *)buf;

			fn(arg, line, n);
		} else if (!lb->overlong) {
			if (lb->len + n > LINE_MAX_BYTES) {
				/* counted as bad at its end, however it came */
				lb->overlong = 1;
				lb->len = 0;
			} else {
				if (lb->len + n + 1 > lb->cap) {
					lb->cap = lb->len + n + 4096;
					lb->buf = xreallocarray(lb->buf, 1, lb->cap);
				}
				memcpy(lb->buf + lb->len, buf, n);
				lb->len += n;
				if (nl != NULL) {
					fn(arg, lb->buf, lb->len);
					lb->len = 0;
				}
			}
		}
		if (nl == NULL)
			break;
		if (lb->overlong) {
			fn(arg, NULL, 0);
			lb->overlong = 0;
		}
		buf = nl + 1;
		len -= n + 1;
	}
}

void
linebuf_flush(struct linebuf *lb, void (*fn)(void *, char *, size_t),
    void *arg)
{
	if (lb->overlong)
		fn(arg, NULL, 0);
	else if (lb->len > 0)
		fn(arg, lb->buf, lb->len);
	lb->len = 0;
	lb->overlong = 0;
}

void
linebuf_free(struct linebuf *lb)
{
	free(lb->buf);
	memset(lb, 0, sizeof(*lb));
}

static void
pane_line(void *arg, char *line, size_t len)
{
	struct pane	*p = arg;

	p->prov->src.poll_line(p->st, p->step, line, len);
}

static struct drain_chunk *
drain_chunk_new(void)
{
	struct drain_chunk	*c;

	c = xmalloc(sizeof(*c));
	/*
	 * Faulted in by the kernel in one go: page faults one by one would
	 * make us slower than the writer, and a huge page may stall on
	 * compaction.
	 */
	c->data = mmap(NULL, DRAIN_CHUNK, PROT_READ | PROT_WRITE,
	    MAP_PRIVATE | MAP_ANON | DRAIN_MAP_FLAGS, -1, 0);
	if (c->data == MAP_FAILED)
		fatal("mmap");
	return c;
}

/*
 * As many chunks as the last read filled, made before the command starts:
 * the kernel clears their pages while the lock is not yet held, not while
 * the writer waits for us.
 */
static void
drain_prepare(struct pane *p)
{
	struct drain_chunk	*c;
	size_t			 n;

	for (n = p->drain_last / DRAIN_CHUNK + 1; n > 0 && n <= DRAIN_SPARE_MAX;
	    n--) {
		c = drain_chunk_new();
		c->next = p->drain_spare;
		p->drain_spare = c;
	}
}

static struct drain_chunk *
drain_grow(struct pane *p)
{
	struct drain_chunk	*c;

	if ((c = p->drain_spare) != NULL)
		p->drain_spare = c->next;
	else
		c = drain_chunk_new();
	c->next = NULL;
	c->len = 0;
	c->off = 0;
	if (p->drain_tail != NULL)
		p->drain_tail->next = c;
	else
		p->drain_head = c;
	p->drain_tail = c;
	return c;
}

static void
drain_chunk_free(struct drain_chunk *c)
{
	munmap(c->data, DRAIN_CHUNK);
	free(c);
}

static void
drain_spare_free(struct pane *p)
{
	struct drain_chunk	*c;

	while ((c = p->drain_spare) != NULL) {
		p->drain_spare = c->next;
		drain_chunk_free(c);
	}
}

/*
 * Whether the pieces parse as fast as a writer can write: a re-read that
 * finds its rows unchanged does, once it has parsed enough to tell; a
 * first read, which parses every line, never does.  Not as fast as the
 * output comes: that is as slow as we make the writer.
 */
static int
drain_keeps_up(const struct pane *p)
{
	if (p->drain_reads == 0)
		return 0;
	return p->drain_parsed < DRAIN_RATE_AFTER ||
	    (double)p->drain_parsed / p->drain_ptime >= DRAIN_KEEP_RATE;
}

static char *
drain_space(void *arg, size_t *room)
{
	struct pane		*p = arg;
	struct drain_chunk	*c = p->drain_tail;

	/* a piece to parse first, unless the writer is ahead */
	if (p->drain_live && p->drain_unparsed >= DRAIN_LIVE_READ &&
	    (drain_keeps_up(p) || p->job == NULL ||
	    proc_pending(p->job) < DRAIN_AHEAD)) {
		*room = 0;
		return NULL;
	}
	if (c == NULL || c->len == DRAIN_CHUNK)
		c = drain_grow(p);
	*room = DRAIN_CHUNK - c->len;
	if (*room > DRAIN_READ_MAX)
		*room = DRAIN_READ_MAX;
	return c->data + c->len;
}

static void
drain_keep(struct pane *p, const char *buf, size_t len)
{
	struct drain_chunk	*c = p->drain_tail;
	size_t			 n;

	if (c != NULL && buf == c->data + c->len) {
		/* read in place by proc_read_into */
		c->len += len;
		p->drain_bytes += len;
		if (p->drain_bytes > p->drain_peak)
			p->drain_peak = p->drain_bytes;
		return;
	}
	while (len > 0) {
		if (c == NULL || c->len == DRAIN_CHUNK)
			c = drain_grow(p);
		n = DRAIN_CHUNK - c->len;
		if (n > len)
			n = len;
		memcpy(c->data + c->len, buf, n);
		c->len += n;
		p->drain_bytes += n;
		buf += n;
		len -= n;
	}
	if (p->drain_bytes > p->drain_peak)
		p->drain_peak = p->drain_bytes;
}

static void
drain_clear(struct pane *p)
{
	struct drain_chunk	*c;

	while ((c = p->drain_head) != NULL) {
		p->drain_head = c->next;
		drain_chunk_free(c);
	}
	drain_spare_free(p);
	p->drain_tail = NULL;
	p->drain_bytes = 0;
	p->drain_live = 0;
	free(p->drain_err);
	p->drain_err = NULL;
	if (p->drain_ev != NULL)
		event_del(p->drain_ev);
}

static void
pane_out(void *arg, const char *buf, size_t len)
{
	struct pane	*p = arg;

	if (p->prov->src.flags & PROV_DRAIN) {
		drain_keep(p, buf, len);
		/* between the reads, a piece of what was read is parsed, so
		 * it need not all wait in memory (drain_space) */
		p->drain_unparsed += len;
		if (p->drain_live)
			event_active(p->drain_ev, EV_TIMEOUT, 0);
	} else	/* the reader's own buffer: lines may be edited in place */
		linebuf_feed(&p->lb, buf, len, pane_line, p);
}

static void
pane_schedule(struct pane *p, double delay)
{
	struct timeval	 tv;

	/* off screen, a long read still ends: a jump may wait for it */
	if (p->frozen || (p->parked && !(p->partial && delay == 0))) {
		p->next_poll = 0;
		return;
	}
	tv.tv_sec = (time_t)delay;
	tv.tv_usec = (suseconds_t)((delay - floor(delay)) * 1e6);
	p->next_poll = mono_now() + delay;
	evtimer_add(p->timer, &tv);
}

static void
pane_poll_end(struct pane *p, int ok)
{
	double	 delay;

	p->polling = 0;
	p->job = NULL;
	p->last_duration = mono_now() - p->poll_start;
	delay = p->last_duration * DUTY_FACTOR;
	/* it waited, it did not work: 9 times that would be minutes */
	if (p->killed && delay > KILLED_RETRY)
		delay = KILLED_RETRY;
	if (delay < poll_interval)
		delay = poll_interval;
	if (p->repoll) {
		p->repoll = 0;
		delay = 0;
	}
	pane_schedule(p, delay);
	if (p->on_update != NULL)
		p->on_update(p, p->arg);
	(void)ok;
}

static void
pane_step_end(struct pane *p, int status, const char *err)
{
	const char	*why;

	linebuf_flush(&p->lb, pane_line, p);
	if (p->prov->src.poll_step_done(p->st, p->step, status, err) == -1) {
		why = p->prov->src.poll_error(p->st);
		xstrlcpy(p->error, why != NULL ? why : "read failed",
		    sizeof(p->error));
		p->prov->src.poll_abort(p->st);
		pane_poll_end(p, 0);
		return;
	}
	p->step++;
	pane_run_step(p);
}

/*
 * Parse a slice of the drained output; the screen stays live meanwhile.
 * While the command runs, a short piece (DRAIN_LIVE_*), and the chunk
 * being read into stays.
 */
static void
drain_parse(evutil_socket_t fd, short what, void *arg)
{
	struct pane		*p = arg;
	struct drain_chunk	*c;
	size_t			 done = 0, n, max, step, pending = 0;
	double			 start = mono_now(), end;
	char			*err;

	(void)fd;
	(void)what;
	if (p->drain_ended) {
		max = DRAIN_SLICE;
		step = SLICE_PIECE;
		end = mono_now() + slice_time;
	} else {
		max = DRAIN_LIVE_MAX;
		step = DRAIN_LIVE_STEP;
		end = DRAIN_LIVE_TIME;
		if (!drain_keeps_up(p) && p->job != NULL) {
			if ((pending = proc_pending(p->job)) >= DRAIN_AHEAD)
				return;	/* reads first: they come back */
			end = (double)(PROC_PIPE_BIG - pending) /
			    DRAIN_WRITER_RATE;
			if (end > DRAIN_LIVE_TIME)
				end = DRAIN_LIVE_TIME;
		}
		end += start;
	}
	while (done < max && (c = p->drain_head) != NULL) {
		if (c->off == c->len) {
			if (p->drain_ended) {
				p->drain_head = c->next;
				drain_chunk_free(c);
			} else if (c != p->drain_tail) {
				/* its pages are in: read into it again */
				p->drain_head = c->next;
				c->next = p->drain_spare;
				p->drain_spare = c;
			} else
				break;		/* being read into */
			continue;
		}
		n = c->len - c->off < step ? c->len - c->off : step;
		if (n > max - done)
			n = max - done;
		linebuf_feed(&p->lb, c->data + c->off, n, pane_line, p);
		c->off += n;
		done += n;
		p->drain_bytes -= n;
		if (mono_now() >= end)
			break;
	}
	if (!p->drain_ended) {
		p->drain_parsed += done;
		p->drain_ptime += mono_now() - start;
		/*
		 * More to parse: after the loop has looked at the pipe (a
		 * timer, not active now), so a writer slower than the parse
		 * never waits for its backlog.
		 */
		p->drain_unparsed = 0;
		if (p->drain_bytes > 0)
			evtimer_add(p->drain_ev, &drain_again);
		return;
	}
	if (p->drain_head != NULL) {
		event_active(p->drain_ev, EV_TIMEOUT, 0);
		return;
	}
	p->drain_tail = NULL;
	err = p->drain_err;
	p->drain_err = NULL;
	pane_step_end(p, p->drain_status, err != NULL ? err : "");
	free(err);
}

static void
pane_done(void *arg, int status, const char *err)
{
	struct pane	*p = arg;

	p->job = NULL;
	p->killed |= status == PROC_KILLED;
	if (!(p->prov->src.flags & PROV_DRAIN)) {
		pane_step_end(p, status, err);
		return;
	}
	p->drain_status = status;
	p->drain_err = err != NULL ? xstrdup(err) : NULL;
	p->drain_ended = 1;
	/*
	 * A first read parses every line, a re-read that shares the last
	 * one's rows keeps up with the writer: the first one's backlog is
	 * no measure of the next.
	 */
	p->drain_last = p->drain_peak;
	if (p->drain_reads++ == 0 && p->drain_last > DRAIN_FIRST_MAX)
		p->drain_last = DRAIN_FIRST_MAX;
	drain_spare_free(p);
	event_active(p->drain_ev, EV_TIMEOUT, 0);
}

static void
pane_run_step(struct pane *p)
{
	const char	*argv[32];
	struct rowset	*rs;

	if (p->prov->src.poll_argv(p->st, p->step, argv, nitems(argv)) == 0) {
		rs = p->prov->src.poll_finish(p->st);
		rowset_free(p->rows);
		p->rows = rs;
		p->data_time = wallclock_now();
		p->generation++;
		p->error[0] = '\0';
		pane_poll_end(p, 1);
		return;
	}
	if (p->prov->src.flags & PROV_DRAIN)
		drain_prepare(p);
	p->job = proc_run(argv, POLL_IDLE_TIMEOUT, pane_out, pane_done, p);
	if (p->prov->src.flags & PROV_DRAIN) {
		p->drain_ended = 0;
		p->drain_unparsed = 0;
		p->drain_peak = 0;
		p->drain_parsed = 0;
		p->drain_ptime = 0;
		/* on one CPU, or all busy, what we parse is time the writer
		 * waits: cat would be asleep */
		p->drain_live = proc_read_into(p->job, drain_space) &&
		    ncpu_online() >= 2 && !cpus_busy();
	}
}

/* A provider that reads for itself: one slice per poll, rows each time. */
static void
pane_self_step(struct pane *p)
{
	struct rowset	*rs;
	const char	*why;
	int		 r;

	r = p->prov->src.poll_step(p->st);
	if (r == PROV_MORE && p->rows != NULL && p->rows->nrows > 0 &&
	    mono_now() - p->shown < SHOW_EVERY) {
		/* a long history: sorting its rows after every slice would
		 * cost more than reading them; the first ones show at once */
		p->polling = 0;
		p->partial = 1;
		pane_schedule(p, 0);
		return;
	}
	if (r == -1) {
		why = p->prov->src.poll_error(p->st);
		xstrlcpy(p->error, why != NULL ? why : "read failed",
		    sizeof(p->error));
	} else
		p->error[0] = '\0';
	rs = p->prov->src.poll_finish(p->st);
	rowset_free(p->rows);
	p->rows = rs;
	p->data_time = wallclock_now();
	p->generation++;
	if (r == PROV_SHOW)
		r = PROV_MORE;
	p->partial = r == PROV_MORE;
	p->repoll = p->repoll || r == PROV_MORE;
	p->shown = mono_now();
	/* a file read in slices: the duty rule is for commands */
	p->poll_start = mono_now();
	pane_poll_end(p, r != -1);
}

void
pane_poll_now(struct pane *p)
{
	if (p->polling) {
		p->repoll = 1;
		return;
	}
	evtimer_del(p->timer);
	p->next_poll = 0;
	p->polling = 1;
	p->killed = 0;
	p->step = 0;
	p->poll_start = mono_now();
	/* the sorts' scratch, kept for the next key: the read needs room */
	radix_scratch_release();
	p->prov->src.poll_begin(p->st, wallclock_now());
	if (p->prov->src.poll_step != NULL)
		pane_self_step(p);
	else
		pane_run_step(p);
}

static void
pane_timer(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	pane_poll_now(arg);
}

void
pane_init(struct pane *p, const struct provider *prov, const struct conf *conf,
    struct event_base *base)
{
	memset(p, 0, sizeof(*p));
	p->prov = prov;
	p->st = prov->src.create(conf);
	if ((p->timer = evtimer_new(base, pane_timer, p)) == NULL ||
	    (p->drain_ev = evtimer_new(base, drain_parse, p)) == NULL)
		fatalx("evtimer_new");
}

void
pane_free(struct pane *p)
{
	if (p->job != NULL)
		proc_cancel(p->job);
	if (p->polling && p->prov->src.poll_abort != NULL)
		p->prov->src.poll_abort(p->st);
	drain_clear(p);
	if (p->drain_ev != NULL)
		event_free(p->drain_ev);
	if (p->timer != NULL)
		event_free(p->timer);
	rowset_free(p->rows);
	linebuf_free(&p->lb);
	p->prov->src.destroy(p->st);
	memset(p, 0, sizeof(*p));
}

void
pane_freeze(struct pane *p, int on)
{
	p->frozen = on;
	if (on) {
		evtimer_del(p->timer);
		p->next_poll = 0;
	} else if (!p->polling)
		pane_poll_now(p);
}

void
pane_park(struct pane *p, int on)
{
	double	 age;

	p->parked = on;
	if (p->joined != NULL)
		pane_park(p->joined, on);
	if (on) {
		evtimer_del(p->timer);
		p->next_poll = 0;
		return;
	}
	if (p->polling || p->frozen)
		return;
	age = p->rows != NULL ? difftime(wallclock_now(), p->data_time) : 1e9;
	if (age >= poll_interval)
		pane_poll_now(p);
	else
		pane_schedule(p, poll_interval - age);
}

void
pane_join(struct pane *panes, size_t n)
{
	const char	*name;
	size_t		 i, j;

	for (i = 0; i < n; i++) {
		if ((name = panes[i].prov->src.joins) == NULL)
			continue;
		for (j = 0; j < n && strcmp(panes[j].prov->name, name) != 0; j++)
			;
		if (j == n || j == i)
			fatalx("pane %s joins %s: no such pane",
			    panes[i].prov->name, name);
		panes[i].joined = &panes[j];
		panes[i].prov->src.attach(panes[i].st, panes[j].st);
	}
}

double
pane_poll_elapsed(const struct pane *p)
{
	return p->polling ? mono_now() - p->poll_start : 0;
}

int
pane_stale(const struct pane *p)
{
	double	 limit;

	if (p->error[0] != '\0')
		return 1;
	if (!p->polling)
		return 0;
	limit = p->last_duration * 2 + 3;
	if (limit < 5)
		limit = 5;
	return pane_poll_elapsed(p) > limit;
}
