/*
 * bench_parse: time mhtop's parse + sort + table path on a `smtpctl show
 * queue` file, without spawning anything and without curses.
 *
 *   bench_parse FILE [ITERATIONS]
 *
 * Reads FILE into memory first (not timed), then ITERATIONS times (default
 * 5): splits it into lines and runs queue_parse_line on each (as the poll
 * does), queue_sort (what poll_finish does), then table_set_rows (the
 * generic table: filter + sort by the default screen column + cursor).
 * After the last iteration, it also times a substring filter, a regex
 * filter, clearing the filter and a sort-column change (the table
 * operations an operator triggers at the keyboard), and the TSV print of
 * -b (batch_print to /dev/null) and the JSON lines of -J (batch_print_json).
 *
 * Prints key=value lines (times in ms, medians over the iterations unless
 * named *_min; sizes in KiB): parse_ms sort_ms table_ms total_ms
 * total_min_ms, filter_sub_ms filter_re_ms filter_clear_ms sortcol_ms tsv_ms
 * json_ms,
 * rows bad lines bytes, rss_file_kb (peak RSS with only the file loaded),
 * rss_peak_kb (getrusage ru_maxrss at the end), arena_kb (bytes the row set
 * took from its arena), rows_kb (the row pointer array).
 *
 * Built by bench/queue.sh:
 *   cc -O2 -I include -I . bench/bench_parse.c libmhtop.a \
 *       $(pkg-config --libs ncursesw libevent libpcre2-8 zlib) -lm
 */
#include "config.h"

#include <sys/resource.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "batch.h"
#include "conf.h"
#include "provider.h"
#include "queue.h"
#include "table.h"

#define MAX_ITER	50

static double
now_ms(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static long
maxrss_kb(void)
{
	struct rusage	 ru;

	getrusage(RUSAGE_SELF, &ru);
	return ru.ru_maxrss;		/* KiB on Linux and the BSDs */
}

static int
cmp_double(const void *a, const void *b)
{
	double	 x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static double
median(double *v, int n)
{
	qsort(v, (size_t)n, sizeof(*v), cmp_double);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

static char *
slurp(const char *path, size_t *len)
{
	FILE	*fp;
	char	*buf = NULL;
	size_t	 cap = 0, n = 0, r;

	if ((fp = fopen(path, "r")) == NULL) {
		perror(path);
		exit(1);
	}
	for (;;) {
		if (cap - n < 65536) {
			cap = cap ? cap * 2 : 1 << 20;
			if ((buf = realloc(buf, cap)) == NULL) {
				perror("realloc");
				exit(1);
			}
		}
		r = fread(buf + n, 1, cap - n, fp);
		n += r;
		if (r == 0)
			break;
	}
	if (ferror(fp)) {
		perror(path);
		exit(1);
	}
	fclose(fp);
	*len = n;
	return buf;
}

/*
 * The queue's views (b, -p shape/senders/errors) built from the parsed
 * rows, as each read of the pane builds the one on screen: medians.
 */
static void
bench_views(const struct rowset *rs, int iters)
{
	static const char *const names[QUEUE_NVIEWS] = {
		"shape", "senders", "errors"
	};
	struct conf	 conf;
	struct rowset	*v;
	double		 ms[MAX_ITER], t0;
	time_t		 now = time(NULL);
	void		*st;
	size_t		 k, groups = 0;
	int		 i;

	conf_defaults(&conf);
	st = provider_queue.src.create(&conf);
	for (k = 0; k < QUEUE_NVIEWS; k++) {
		for (i = 0; i < iters; i++) {
			t0 = now_ms();
			v = queue_views[k].build(st, rs, now);
			ms[i] = now_ms() - t0;
			groups = v->nrows;
			rowset_free(v);
		}
		printf("view_%s_ms=%.2f\nview_%s_rows=%zu\n", names[k],
		    median(ms, iters), names[k], groups);
	}
	provider_queue.src.destroy(st);
	conf_free(&conf);
}

int
main(int argc, char *argv[])
{
	double		 parse[MAX_ITER], sort[MAX_ITER], tab[MAX_ITER];
	double		 total[MAX_ITER], t0, t1, t2, t3, tmin;
	double		 f_sub = 0, f_re = 0, f_clear = 0, f_col = 0, tsv, json;
	FILE		*devnull;
	struct rowset	*rs = NULL;
	struct table	 t;
	char		*buf, err[300];
	const char	*p, *end, *nl;
	size_t		 len, lines = 0, nrows = 0, nbad = 0, nview_sub = 0;
	size_t		 nview_re = 0, arena_kb = 0, rows_kb = 0;
	long		 rss_file;
	int		 iters = 5, i;

	if (argc < 2 || argc > 3) {
		fprintf(stderr, "usage: bench_parse file [iterations]\n");
		return 2;
	}
	if (argc == 3 && ((iters = atoi(argv[2])) < 1 || iters > MAX_ITER)) {
		fprintf(stderr, "iterations: 1 to %d\n", MAX_ITER);
		return 2;
	}
	buf = slurp(argv[1], &len);
	rss_file = maxrss_kb();

	for (i = 0; i < iters; i++) {
		if (rs != NULL) {
			table_free(&t);
			rowset_free(rs);
		}
		t0 = now_ms();
		rs = rowset_new();
		lines = 0;
		for (p = buf, end = buf + len; p < end; p = nl + 1) {
			if ((nl = memchr(p, '\n', (size_t)(end - p))) == NULL)
				nl = end;
			queue_parse_line(rs, p, (size_t)(nl - p));
			lines++;
		}
		t1 = now_ms();
		queue_sort(rs);
		t2 = now_ms();
		table_init(&t, &provider_queue.desc);
		table_set_rows(&t, rs);
		t3 = now_ms();
		parse[i] = t1 - t0;
		sort[i] = t2 - t1;
		tab[i] = t3 - t2;
		total[i] = t3 - t0;
	}
	nrows = rs->nrows;
	nbad = rs->nbad;
	arena_kb = rs->arena.total / 1024;
	rows_kb = rs->cap * sizeof(rs->rows[0]) / 1024;

	/* what the keyboard triggers on the loaded table */
	t0 = now_ms();
	if (table_set_filter(&t, "greylist", err, sizeof(err)) == -1) {
		fprintf(stderr, "filter: %s\n", err);
		return 1;
	}
	nview_sub = t.nview;
	t1 = now_ms();
	if (table_set_filter(&t, "~Greylisted|timed out", err,
	    sizeof(err)) == -1) {
		fprintf(stderr, "filter: %s\n", err);
		return 1;
	}
	nview_re = t.nview;
	t2 = now_ms();
	table_set_filter(&t, NULL, NULL, 0);
	t3 = now_ms();
	f_sub = t1 - t0;
	f_re = t2 - t1;
	f_clear = t3 - t2;
	t0 = now_ms();
	table_sort_step(&t, 1);
	f_col = now_ms() - t0;

	/* what -b adds: the TSV print of the sorted rows */
	if ((devnull = fopen("/dev/null", "w")) == NULL) {
		perror("/dev/null");
		return 1;
	}
	t0 = now_ms();
	batch_print(devnull, &provider_queue.desc, rs);
	fflush(devnull);
	tsv = now_ms() - t0;
	t0 = now_ms();
	batch_print_json(devnull, &provider_queue.desc, rs);
	fflush(devnull);
	json = now_ms() - t0;
	fclose(devnull);

	tmin = total[0];
	for (i = 1; i < iters; i++)
		if (total[i] < tmin)
			tmin = total[i];
	printf("iterations=%d\n", iters);
	printf("lines=%zu\nbytes=%zu\nrows=%zu\nbad=%zu\n", lines, len, nrows,
	    nbad);
	printf("parse_ms=%.2f\n", median(parse, iters));
	printf("sort_ms=%.2f\n", median(sort, iters));
	printf("table_ms=%.2f\n", median(tab, iters));
	printf("total_min_ms=%.2f\n", tmin);
	printf("total_ms=%.2f\n", median(total, iters));
	printf("filter_sub_ms=%.2f\nfilter_sub_rows=%zu\n", f_sub, nview_sub);
	printf("filter_re_ms=%.2f\nfilter_re_rows=%zu\n", f_re, nview_re);
	printf("filter_clear_ms=%.2f\nsortcol_ms=%.2f\n", f_clear, f_col);
	printf("tsv_ms=%.2f\njson_ms=%.2f\n", tsv, json);
	printf("arena_kb=%zu\nrows_kb=%zu\n", arena_kb, rows_kb);
	printf("rss_file_kb=%ld\nrss_peak_kb=%ld\n", rss_file, maxrss_kb());
	bench_views(rs, iters);

	table_free(&t);
	rowset_free(rs);
	free(buf);
	return 0;
}
