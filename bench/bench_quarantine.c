/*
 * bench_quarantine: time the quarantine pane's reads without curses, as
 * the poll loop (src/poll.c) and the screen drive them: the source's
 * poll_step until it is caught up, its rows taken (poll_finish) on the
 * first step, on each PROV_SHOW and twice a second otherwise, each set
 * handed to the table (sorted as the screen sorts it) and to the
 * header's summary.
 *
 *   bench_quarantine DIR STAGE
 *
 * Reads DIR, the first read to the end; reads it again with nothing
 * changed; then moves every file of STAGE/S/ into DIR/S/ (as new
 * quarantined mail), removes the three newest files of DIR and reads it
 * again.  Prints key=value lines: first_ms (until the first rows are in
 * the table), all_ms (until every header is read and the table has the
 * rows), rows, all_finish_ms and all_finishes (the rows taken while
 * reading), idle_ms, idle_finish_ms (its last rows taken: poll_finish,
 * table, summary), idle_rows_ms (poll_finish alone), change_ms,
 * change_finish_ms, change_rows_ms, rows_after, added, removed,
 * rss_peak_kb.  STAGE "-": the first read only.
 */
#include "config.h"

#include <sys/resource.h>

#include <dirent.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "conf.h"
#include "pane.h"
#include "provider.h"
#include "table.h"

#define SHOW_EVERY_MS	500		/* as poll.c */

extern const struct provider provider_quarantine;

static double
ms_now(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

struct bench {
	const struct provider	*prov;
	void			*st;
	struct table		 t;
	struct rowset		*rows;
	double			 shown;
	double			 first;		/* when the first rows were in */
	double			 finish_ms;	/* the last finish's share */
	double			 rows_ms;	/* of which poll_finish's */
	double			 finish_sum;	/* all finishes' */
	size_t			 nfinish;
};

static void
take_rows(struct bench *b)
{
	struct rowset	*rs;
	char		 sum[1024];
	double		 t0 = ms_now();

	rs = b->prov->src.poll_finish(b->st);
	b->rows_ms = ms_now() - t0;
	table_set_rows(&b->t, rs);
	rowset_free(b->rows);
	b->rows = rs;
	b->prov->desc.summary(b->st, b->rows, time(NULL), sum, sizeof(sum));
	b->shown = ms_now();
	b->finish_ms = b->shown - t0;
	b->finish_sum += b->finish_ms;
	b->nfinish++;
	if (b->first == 0 && rs->nrows > 0)
		b->first = b->shown;
}

/* One read, as pane_self_step runs it. */
static void
read_all(struct bench *b)
{
	int	 r;

	b->prov->src.poll_begin(b->st, time(NULL));
	for (;;) {
		r = b->prov->src.poll_step(b->st);
		if (r == PROV_MORE && b->rows != NULL && b->rows->nrows > 0 &&
		    ms_now() - b->shown < SHOW_EVERY_MS)
			continue;
		take_rows(b);
		if (r != PROV_MORE && r != PROV_SHOW)
			break;
	}
}

/* STAGE/S/F to DIR/S/F: new files in the quarantine. */
static size_t
add_files(const char *dir, const char *stage)
{
	DIR		*dp, *sp;
	struct dirent	*de, *fe;
	char		 sub[PATH_MAX], from[PATH_MAX], to[PATH_MAX];
	size_t		 n = 0;

	if ((dp = opendir(stage)) == NULL) {
		perror(stage);
		return 0;
	}
	while ((de = readdir(dp)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		snprintf(sub, sizeof(sub), "%s/%s", stage, de->d_name);
		if ((sp = opendir(sub)) == NULL)
			continue;
		while ((fe = readdir(sp)) != NULL) {
			if (fe->d_name[0] == '.')
				continue;
			if (snprintf(from, sizeof(from), "%s/%s", sub,
			    fe->d_name) >= (int)sizeof(from) ||
			    snprintf(to, sizeof(to), "%s/%s/%s", dir,
			    de->d_name, fe->d_name) >= (int)sizeof(to))
				continue;
			if (rename(from, to) == 0)
				n++;
			else
				perror(from);
		}
		closedir(sp);
	}
	closedir(dp);
	return n;
}

/* The three newest: they are on the screen when they go. */
static size_t
remove_files(struct bench *b, const char *dir)
{
	char	 path[PATH_MAX];
	size_t	 i, n = 0;

	for (i = 0; i < 3 && i < b->rows->nrows; i++) {
		snprintf(path, sizeof(path), "%s/%s", dir,
		    b->rows->rows[i]->key);
		if (unlink(path) == 0)
			n++;
		else
			perror(path);
	}
	return n;
}

int
main(int argc, char *argv[])
{
	struct bench	 b;
	struct conf	 conf;
	struct rusage	 ru;
	double		 t0, all;
	size_t		 rows, added, removed;

	if (argc != 3) {
		fprintf(stderr, "usage: bench_quarantine DIR STAGE\n");
		return 2;
	}
	memset(&b, 0, sizeof(b));
	conf_defaults(&conf);
	free(conf.quarantine);
	conf.quarantine = strdup(argv[1]);
	b.prov = &provider_quarantine;

	t0 = ms_now();
	b.st = b.prov->src.create(&conf);
	table_init(&b.t, &b.prov->desc);
	read_all(&b);
	all = ms_now();
	rows = b.rows->nrows;
	printf("first_ms=%.1f\nall_ms=%.1f\nrows=%zu\n", b.first - t0,
	    all - t0, rows);
	printf("all_finish_ms=%.1f\nall_finishes=%zu\n", b.finish_sum,
	    b.nfinish);
	if (strcmp(argv[2], "-") == 0)
		goto done;

	/* dirscan lists again a directory changed in the last 2 s */
	sleep(3);
	read_all(&b);
	t0 = ms_now();
	read_all(&b);
	printf("idle_ms=%.1f\nidle_finish_ms=%.1f\nidle_rows_ms=%.1f\n",
	    ms_now() - t0, b.finish_ms, b.rows_ms);

	added = add_files(argv[1], argv[2]);
	removed = remove_files(&b, argv[1]);
	t0 = ms_now();
	read_all(&b);
	printf("change_ms=%.1f\nchange_finish_ms=%.1f\nchange_rows_ms=%.1f\n"
	    "rows_after=%zu\nadded=%zu\nremoved=%zu\n", ms_now() - t0,
	    b.finish_ms, b.rows_ms, b.rows->nrows, added, removed);

done:
	getrusage(RUSAGE_SELF, &ru);
	printf("rss_peak_kb=%ld\n", ru.ru_maxrss);
	table_free(&b.t);
	rowset_free(b.rows);
	b.prov->src.destroy(b.st);
	conf_free(&conf);
	return 0;
}
