/*
 * The trace, from memory: a spamdb listing in the greylist's rows and a
 * mail log in the verdicts' store, loaded first (not timed), then
 * trace_build_sum for each address given, as the T key runs it on every
 * read of a pane: the best and the median of 5, the events found, and
 * the memory it took beyond what the panes hold; then the marks on the
 * same verdicts (bench_marks).
 *   bench_trace LISTING MAILLOG NOW TEXT...
 */
#include "config.h"

#include <sys/resource.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "links.h"
#include "pane.h"
#include "provider.h"
#include "queue.h"
#include "radix.h"
#include "spamdb.h"
#include "trace.h"
#include "verdicts.h"
#include "wallclock.h"

#define BUF_SIZE	(1024 * 1024)
#define TRACE_MAX	20000		/* as the screen (ui_int.h) */

static double
ms_now(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

/* Resident memory now, in KB (Linux), or the peak elsewhere. */
static long
rss_kb(void)
{
	FILE		*fp;
	char		 line[256];
	long		 kb = -1;
	struct rusage	 ru;

	if ((fp = fopen("/proc/self/status", "r")) != NULL) {
		while (fgets(line, sizeof(line), fp) != NULL)
			if (strncmp(line, "VmRSS:", 6) == 0)
				kb = atol(line + 6);
		fclose(fp);
	}
	if (kb < 0) {
		getrusage(RUSAGE_SELF, &ru);
		kb = ru.ru_maxrss;
	}
	return kb;
}

struct feed {
	struct rowset		*grey;
	struct verdict_store	*vs;
};

static void
grey_line(void *arg, char *line, size_t len)
{
	struct feed	*f = arg;

	if (line != NULL)
		spamdb_parse_line(f->grey, NULL, NULL, line, len);
}

static void
log_line(void *arg, char *line, size_t len)
{
	struct feed	*f = arg;

	if (line != NULL)
		verdict_store_line(f->vs, line, len);
}

static void
feed(const char *path, void (*cb)(void *, char *, size_t), struct feed *f)
{
	struct linebuf	 lb = { 0 };
	char		*buf = malloc(BUF_SIZE);
	ssize_t		 n;
	int		 fd;

	if (buf == NULL || (fd = open(path, O_RDONLY)) == -1) {
		fprintf(stderr, "bench_trace: %s: %s\n", path, strerror(errno));
		exit(1);
	}
	while ((n = read(fd, buf, BUF_SIZE)) > 0)
		linebuf_feed(&lb, buf, (size_t)n, cb, f);
	linebuf_flush(&lb, cb, f);
	linebuf_free(&lb);
	close(fd);
	free(buf);
}

static int
cmp_double(const void *a, const void *b)
{
	double	 x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/*
 * The marks on the same verdicts: a queue of 100,000 envelopes, every
 * other one of a message amavis passed on; the sets as a pane's new rows
 * rebuild them (best of 5), and the marks of a screen of 50 rows.
 */
static void
bench_marks(const struct rowset *vrows, time_t now)
{
	const struct pane_desc	*descs[2] = { &provider_queue.desc,
	    &provider_verdicts.desc };
	const struct rowset	*rows[2];
	struct rowset		*q = rowset_new(), *fake[5];
	struct links		 l = { 0 };
	char			 line[512];
	double			 qms = 1e9, vms = 1e9, t0, scr;
	size_t			 i, j, n, marked = 0;
	int64_t			 m;
	int			 k;

	for (i = 0, j = 0; i < 100000; i++) {
		m = CELL_NONE;
		while (i % 2 == 0 && j < vrows->nrows &&
		    (m = vrows->rows[j++]->cells[V_QMSGID].i) == CELL_NONE)
			;
		n = (size_t)snprintf(line, sizeof(line), "%08llx%08zx|inet4|"
		    "mta||a@a.example|b@b.example|b@b.example|%lld|%lld|0|1|"
		    "pending|600|421 Try again later", m != CELL_NONE ?
		    (unsigned long long)m : (unsigned long long)(0x80000000U +
		    i), i, (long long)now - 600, (long long)now);
		queue_parse_line(q, line, n);
	}
	rows[0] = q;
	rows[1] = vrows;
	/* each round, another serial: a pane that read again */
	for (k = 0; k < 5; k++) {
		fake[k] = rowset_new();
		for (i = 0; i < q->nrows; i++)
			rowset_push(fake[k], q->rows[i]);
		rows[0] = fake[k];
		t0 = ms_now();
		links_update(&l, &provider_verdicts.desc, descs, rows, 2);
		if (ms_now() - t0 < vms)
			vms = ms_now() - t0;
		rows[1] = NULL;
		links_update(&l, &provider_queue.desc, descs, rows, 2);
		rows[1] = vrows;
		t0 = ms_now();
		links_update(&l, &provider_queue.desc, descs, rows, 2);
		if (ms_now() - t0 < qms)
			qms = ms_now() - t0;
	}
	t0 = ms_now();
	for (k = 0; k < 100 && vrows->nrows > 0; k++)
		for (i = 0; i < 50; i++)
			marked += links_mark(&l, &provider_verdicts.desc, NULL,
			    vrows->rows[((size_t)k * 50 + i) % vrows->nrows],
			    NULL) != 0;
	scr = (ms_now() - t0) * 1000 / 100;
	printf("marks: queue=%zu verdicts_marked=%zu/5000 "
	    "verdicts_sets_ms=%.1f queue_set_ms=%.1f screen_us=%.1f\n",
	    q->nrows, marked, vms, qms, scr);
	links_free(&l);
	for (k = 0; k < 5; k++) {
		fake[k]->nrows = 0;
		rowset_free(fake[k]);
	}
	rowset_free(q);
}

int
main(int argc, char *argv[])
{
	struct feed		 f;
	struct rowset		*vrows, *ts;
	struct trace_from	 from[2];
	struct trace_target	 t;
	char			 err[256], sum[2048];
	double			 ms[5], t0;
	long			 before, after;
	size_t			 nall;
	time_t			 now;
	int			 a, k;

	if (argc < 5) {
		fprintf(stderr, "usage: bench_trace LISTING MAILLOG NOW TEXT...\n");
		return 2;
	}
	now = (time_t)strtoll(argv[3], NULL, 10);
	wallclock_pin((int64_t)now);
	f.grey = rowset_new();
	f.vs = verdict_store_new(VERDICTS_MAX);
	verdict_store_since(f.vs, (int64_t)now - 86400);
	t0 = ms_now();
	feed(argv[1], grey_line, &f);
	feed(argv[2], log_line, &f);
	verdict_store_flush(f.vs, INT64_MAX);
	vrows = verdict_store_rows(f.vs);
	printf("load_ms=%.0f\ngrey=%zu\nverdicts=%zu\n", ms_now() - t0,
	    f.grey->nrows, vrows->nrows);
	from[0] = (struct trace_from){ "grey", provider_grey.desc.trace,
	    NULL, f.grey };
	from[1] = (struct trace_from){ "verdicts",
	    provider_verdicts.desc.trace, NULL, vrows };
	printf("panes_kb=%ld\n", rss_kb());
	for (a = 4; a < argc; a++) {
		if (trace_target_parse(&t, argv[a], err, sizeof(err)) == -1) {
			fprintf(stderr, "bench_trace: %s: %s\n", argv[a], err);
			return 1;
		}
		after = 0;
		for (k = 0; k < 5; k++) {
			before = rss_kb();
			t0 = ms_now();
			ts = trace_build_sum(&t, from, 2, now, TRACE_MAX,
			    &nall, sum, sizeof(sum));
			ms[k] = ms_now() - t0;
			if (rss_kb() - before > after)
				after = rss_kb() - before;
			if (k < 4)
				rowset_free(ts);
		}
		qsort(ms, 5, sizeof(ms[0]), cmp_double);
		printf("trace %s: events=%zu found=%zu best_ms=%.1f "
		    "median_ms=%.1f extra_kb=%ld\n", t.text, ts->nrows, nall,
		    ms[0], ms[2], after);
		rowset_free(ts);
		radix_scratch_release();
	}
	bench_marks(vrows, now);
	rowset_free(vrows);
	verdict_store_free(f.vs);
	rowset_free(f.grey);
	return 0;
}
