/*
 * libFuzzer: a mail log, line by line, into the verdicts pane's model
 * (verdict_store.c) with room for a few verdicts only, its rows taken
 * every few lines as the pane does.  Each line lives in a buffer of its
 * own size, freed once read: the store keeps nothing of it.  Checks that
 * no more rows are kept than asked, that every row is whole (string cells
 * are strings, the class, action and fate are known values), that the
 * rows of the row set before the last are still readable, and that a row
 * is found again by its key and by its msgids.  Built by run.sh.
 */
#include "config.h"

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "verdicts.h"
#include "wallclock.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

#define CHECK(cond) do {						\
	if (!(cond)) {							\
		fprintf(stderr, "%s:%d: invariant failed: %s\n",	\
		    __FILE__, __LINE__, #cond);				\
		abort();						\
	}								\
} while (0)

#define MAXROWS		4	/* evictions from the fifth verdict on */
#define EVERY		3	/* lines between two row sets */

static const int str_cells[] = { V_LOGID, V_ACTION, V_CATEGORY,
	V_HITSTEXT, V_IP, V_FROM, V_TO, V_SUBJECT, V_MAILID, V_QUARANTINE,
	V_QUEUEDAS, V_TESTS, V_WBL, V_VERDICT, V_RCPTS, V_FATE, V_HELO };

static size_t
check_row(const struct row *r)
{
	const char	*s;
	size_t		 i, n;

	CHECK(r != NULL && r->key != NULL);
	n = strlen(r->key);
	for (i = 0; i < sizeof(str_cells) / sizeof(str_cells[0]); i++) {
		s = r->cells[str_cells[i]].s;
		CHECK(s != NULL);
		n += strlen(s);
	}
	CHECK(r->cells[V_CLASS].i >= VC_CLEAN && r->cells[V_CLASS].i < VC_N);
	s = r->cells[V_ACTION].s;
	CHECK(strcmp(s, "Passed") == 0 || strcmp(s, "Blocked") == 0);
	s = r->cells[V_FATE].s;
	CHECK(strcmp(s, "") == 0 || strcmp(s, "delivered") == 0 ||
	    strcmp(s, "deferred") == 0 || strcmp(s, "bounced") == 0);
	CHECK(strcmp(r->cells[V_WBL].s, "") == 0 ||
	    strcmp(r->cells[V_WBL].s, "white") == 0 ||
	    strcmp(r->cells[V_WBL].s, "black") == 0);
	CHECK(r->cells[V_QMSGID].i == CELL_NONE ||
	    (r->cells[V_QMSGID].i >= 0 && r->cells[V_QMSGID].i <= UINT32_MAX));
	CHECK(r->cells[V_OMSGID].i == CELL_NONE ||
	    (r->cells[V_OMSGID].i >= 0 && r->cells[V_OMSGID].i <= UINT32_MAX));
	return n;
}

static void
check_rows(struct verdict_store *vs, const struct rowset *rs)
{
	const struct row	*r, *f;
	const char		*story;
	size_t			 i;

	CHECK(rs->nrows == verdict_store_count(vs));
	CHECK(rs->nrows <= MAXROWS);
	CHECK(rs->nbad == verdict_store_bad(vs));
	for (i = 0; i < rs->nrows; i++) {
		r = rs->rows[i];
		check_row(r);
		if (i > 0)
			CHECK(r != rs->rows[i - 1]);
		/* its key finds it, or a row of the same key */
		f = verdict_store_find(vs, r->key);
		CHECK(f != NULL && strcmp(f->key, r->key) == 0);
		if ((story = verdict_store_story(vs, r->key)) != NULL)
			(void)strlen(story);
		if (r->cells[V_QMSGID].i != CELL_NONE)
			CHECK(verdict_store_by_msgid(vs,
			    (uint32_t)r->cells[V_QMSGID].i) != NULL);
		if (r->cells[V_OMSGID].i != CELL_NONE)
			CHECK(verdict_store_by_msgid(vs,
			    (uint32_t)r->cells[V_OMSGID].i) != NULL);
	}
}

static void
touch(const struct rowset *rs)
{
	size_t	 i;

	for (i = 0; rs != NULL && i < rs->nrows; i++)
		check_row(rs->rows[i]);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char		*p = (const char *)data, *end = p + size, *nl;
	struct verdict_store	*vs;
	struct rowset		*prev = NULL, *cur = NULL;
	char			*line;
	size_t			 len, n = 0, bad = 0;

	setenv("TZ", "UTC", 1);
	/* the year of "Mmm dd" stamps: the same whatever the date of the run */
	wallclock_pin(1795550400);
	vs = verdict_store_new(MAXROWS);
	while (p < end) {
		if ((nl = memchr(p, '\n', (size_t)(end - p))) == NULL)
			nl = end;
		len = (size_t)(nl - p);
		line = malloc(len ? len : 1);
		memcpy(line, p, len);
		verdict_store_line(vs, line, len);
		free(line);
		CHECK(verdict_store_count(vs) <= MAXROWS);
		CHECK(verdict_store_bad(vs) >= bad);
		bad = verdict_store_bad(vs);
		if (++n % EVERY == 0) {
			/* the set before the last is still whole */
			touch(prev);
			touch(cur);
			rowset_free(prev);
			prev = cur;
			cur = verdict_store_rows(vs);
			touch(prev);
			check_rows(vs, cur);
		}
		p = nl + 1;
	}
	verdict_store_flush(vs, INT64_MAX);
	CHECK(verdict_store_count(vs) <= MAXROWS);
	touch(prev);
	touch(cur);
	rowset_free(prev);
	prev = cur;
	cur = verdict_store_rows(vs);
	touch(prev);
	check_rows(vs, cur);
	(void)verdict_store_newest(vs);
	(void)verdict_store_evicted(vs);
	rowset_free(prev);
	rowset_free(cur);
	verdict_store_free(vs);
	return 0;
}
