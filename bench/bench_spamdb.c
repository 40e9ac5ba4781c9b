/*
 * bench_spamdb: time the greylist pane's path on a spamdb listing, without
 * spawning anything and without curses: spamdb_parse_line over every line
 * (as the poll does), the table (sort by the default column), and the
 * grouping by sender domain (g).
 *
 *   bench_spamdb FILE
 *
 * Prints key=value lines: lines, grey, white, bad, parse_ms, table_ms,
 * group_ms, groups, arena_kb, rss_parsed_kb, rss_sorted_kb, rss_peak_kb,
 * sort_COLUMN_ms for a sort by each screen column, and for a second read
 * that shares the first one's rows, as a re-poll does: reparse_ms,
 * reparse_shared (rows shared) and reparse_new_kb (its own arena).
 */
#include "config.h"

#include <sys/resource.h>

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "pane.h"
#include "provider.h"
#include "spamdb.h"
#include "table.h"

#define BUF_SIZE	(1024 * 1024)

static double
ms_now(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static long
rss_kb(void)
{
	struct rusage	 ru;

	getrusage(RUSAGE_SELF, &ru);
	return ru.ru_maxrss;
}

struct feed {
	struct rowset		*grey, *white;
	struct grey_prev	*prev;
	struct spamdb_counts	 counts;
	size_t			 lines;
};

static void
feed_line(void *arg, char *line, size_t len)
{
	struct feed	*f = arg;

	f->lines++;
	if (line == NULL)
		f->counts.bad++;
	else
		spamdb_parse_line_prev(f->grey, f->prev, f->white, &f->counts,
		    line, len);
}

/*
 * The file from its start, streamed as the pane reads spamdb: it is never
 * all in memory.  Returns the milliseconds it took.
 */
static double
feed_file(int fd, struct feed *f)
{
	struct linebuf	 lb = { 0 };
	char		*buf = malloc(BUF_SIZE);
	ssize_t		 n;
	double		 t0 = ms_now();

	if (buf == NULL || lseek(fd, 0, SEEK_SET) == -1) {
		perror("feed_file");
		exit(1);
	}
	while ((n = read(fd, buf, BUF_SIZE)) > 0)
		linebuf_feed(&lb, buf, (size_t)n, feed_line, f);
	linebuf_flush(&lb, feed_line, f);
	free(buf);
	linebuf_free(&lb);
	return ms_now() - t0;
}

int
main(int argc, char *argv[])
{
	struct feed		 f, f2;
	struct rowset		*groups;
	struct table		 t;
	int			 fd;
	double			 t0, t1, t2, t3, t4;
	int			 c;

	if (argc != 2) {
		fprintf(stderr, "usage: bench_spamdb FILE\n");
		return 2;
	}
	if ((fd = open(argv[1], O_RDONLY)) == -1) {
		perror(argv[1]);
		return 1;
	}
	memset(&f, 0, sizeof(f));
	f.grey = rowset_new();
	f.white = rowset_new();
	t0 = ms_now();
	feed_file(fd, &f);
	t1 = ms_now();
	printf("rss_parsed_kb=%ld\n", rss_kb());
	table_init(&t, &provider_grey.desc);
	table_set_rows(&t, f.grey);
	t2 = ms_now();
	printf("rss_sorted_kb=%ld\n", rss_kb());
	groups = provider_grey.desc.views[0].build(NULL, f.grey, time(NULL));
	t3 = ms_now();
	/* a sort change on each screen column, as the > key does */
	for (c = 0; c < (int)provider_grey.desc.nscreen; c++) {
		t4 = ms_now();
		table_sort_set(&t, c, 0);
		printf("sort_%s_ms=%.1f\n", provider_grey.desc.screen[c].title,
		    ms_now() - t4);
	}

	/* the same listing again, as a re-poll reads it: sharing the rows */
	memset(&f2, 0, sizeof(f2));
	f2.grey = rowset_new();
	f2.white = rowset_new();
	f2.prev = grey_prev_new(f.grey);
	printf("reparse_ms=%.1f\n", feed_file(fd, &f2));
	printf("reparse_shared=%zu\nreparse_new_kb=%zu\n",
	    grey_prev_nshared(f2.prev), f2.grey->arena.total / 1024);
	close(fd);
	grey_prev_free(f2.prev);
	rowset_free(f2.grey);
	rowset_free(f2.white);

	printf("lines=%zu\ngrey=%zu\nwhite=%zu\nbad=%zu\n", f.lines,
	    f.counts.grey, f.counts.white + f.counts.trapped +
	    f.counts.spamtrap, f.counts.bad);
	printf("parse_ms=%.1f\ntable_ms=%.1f\ngroup_ms=%.1f\ngroups=%zu\n",
	    t1 - t0, t2 - t1, t3 - t2, groups->nrows);
	printf("arena_kb=%zu\nrss_peak_kb=%ld\n", f.grey->arena.total / 1024,
	    rss_kb());
	table_free(&t);
	rowset_free(groups);
	rowset_free(f.grey);
	rowset_free(f.white);
	return 0;
}
