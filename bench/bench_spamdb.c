/*
 * bench_spamdb: time the greylist pane's path on a spamdb listing, without
 * spawning anything and without curses: spamdb_parse_line over every line
 * (as the poll does), the table (sort by the default column), and the
 * grouping by sender domain (g).
 *
 *   bench_spamdb FILE
 *
 * Prints key=value lines: lines, grey, white, bad, parse_ms, table_ms,
 * group_ms, groups, arena_kb, rss_file_kb, rss_peak_kb.
 */
#include "config.h"

#include <sys/resource.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "provider.h"
#include "spamdb.h"
#include "table.h"

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

int
main(int argc, char *argv[])
{
	struct spamdb_counts	 counts;
	struct rowset		*grey, *white, *groups;
	struct table		 t;
	FILE			*fp;
	char			*buf, *p, *end, *nl;
	long			 size;
	size_t			 lines = 0;
	double			 t0, t1, t2, t3;

	if (argc != 2) {
		fprintf(stderr, "usage: bench_spamdb FILE\n");
		return 2;
	}
	if ((fp = fopen(argv[1], "rb")) == NULL) {
		perror(argv[1]);
		return 1;
	}
	fseek(fp, 0, SEEK_END);
	size = ftell(fp);
	rewind(fp);
	buf = malloc((size_t)size + 1);
	if (buf == NULL || fread(buf, 1, (size_t)size, fp) != (size_t)size)
		return 1;
	fclose(fp);
	printf("rss_file_kb=%ld\n", rss_kb());

	memset(&counts, 0, sizeof(counts));
	grey = rowset_new();
	white = rowset_new();
	t0 = ms_now();
	for (p = buf, end = buf + size; p < end; p = nl + 1) {
		if ((nl = memchr(p, '\n', (size_t)(end - p))) == NULL)
			nl = end;
		spamdb_parse_line(grey, white, &counts, p, (size_t)(nl - p));
		lines++;
	}
	t1 = ms_now();
	table_init(&t, &provider_grey);
	table_set_rows(&t, grey);
	t2 = ms_now();
	groups = provider_grey.view->build(NULL, grey, time(NULL));
	t3 = ms_now();

	printf("lines=%zu\ngrey=%zu\nwhite=%zu\nbad=%zu\n", lines, counts.grey,
	    counts.white + counts.trapped + counts.spamtrap, counts.bad);
	printf("parse_ms=%.1f\ntable_ms=%.1f\ngroup_ms=%.1f\ngroups=%zu\n",
	    t1 - t0, t2 - t1, t3 - t2, groups->nrows);
	printf("arena_kb=%zu\nrss_peak_kb=%ld\n", grey->arena.total / 1024,
	    rss_kb());
	table_free(&t);
	rowset_free(groups);
	rowset_free(grey);
	rowset_free(white);
	free(buf);
	return 0;
}
