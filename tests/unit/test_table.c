/*
 * The generic table (sort, filter, cursor, tags) on the queue provider, and
 * the action plans built from its selection.
 */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "action.h"
#include "provider.h"
#include "queue.h"
#include "radix.h"
#include "spamdb.h"
#include "table.h"
#include "unit.h"
#include "util.h"

#define VARIED	FIX("show-queue-14-varied.txt")
#define S_SENDER(row)	((row)->cells[Q_SENDER].s)

/* show-queue-14-varied.txt sorted by AGE (ctime, then evpid) */
static const char *const by_age[14] = {
	"0862d5e211583af9", "15ef78e2d1245448", "3047f32eaba40d19",
	"41a3e85a8587ab6c", "82f7113b5a9de746", "8924a15b86f02e24",
	"8f9f6e4456c53f2d", "aca65f001fc08029", "aca65f0062f28350",
	"aca65f00a2e33597", "c66913f8b6c1a8b0", "ecc8a5b7fc7f5b8c",
	"ef58cc78c9672aba", "7bb7df62a81a2c06",
};

/*
 * The varied fixture without the lines whose evpid starts with one of the
 * prefixes in drop (NULL-terminated), plus the extra text.
 */
static struct rowset *
varied_but(const char *const *drop, const char *extra)
{
	struct rowset	*rs;
	size_t		 len, i;
	char		*buf = unit_slurp(VARIED, &len), *out, *p, *nl, *o;
	int		 keep;

	out = o = malloc(len + strlen(extra) + 1);
	for (p = buf; *p != '\0'; p = nl + 1) {
		nl = strchr(p, '\n');
		ck_assert_ptr_nonnull(nl);
		keep = 1;
		for (i = 0; drop != NULL && drop[i] != NULL; i++)
			if (strncmp(p, drop[i], strlen(drop[i])) == 0)
				keep = 0;
		if (keep) {
			memcpy(o, p, (size_t)(nl + 1 - p));
			o += nl + 1 - p;
		}
	}
	strcpy(o, extra);
	rs = unit_parse_text(out);
	ck_assert_uint_eq(rs->nbad, 0);
	free(out);
	free(buf);
	return rs;
}

static const char *
cursor_key(const struct table *t)
{
	const struct row	*r = table_cursor_row(t);

	return r != NULL ? r->key : "(none)";
}

static void
move_to_key(struct table *t, const char *key)
{
	size_t	 i;

	for (i = 0; i < t->nview; i++)
		if (strcmp(table_row_at(t, i)->key, key) == 0) {
			table_move_to(t, i);
			ck_assert_str_eq(cursor_key(t), key);
			return;
		}
	ck_abort_msg("%s not in view", key);
}

static void
assert_view(const struct table *t, const char *const *keys, size_t n)
{
	size_t	 i;

	ck_assert_uint_eq(t->nview, n);
	for (i = 0; i < n; i++)
		ck_assert_msg(strcmp(table_row_at(t, i)->key, keys[i]) == 0,
		    "view[%zu] is %s, not %s", i, table_row_at(t, i)->key, keys[i]);
}

static const char *
screen_title(const struct table *t)
{
	return t->desc->screen[t->sort_col].title;
}

START_TEST(test_set_rows)
{
	struct table	 t;
	struct rowset	*rs = unit_parse_fixture(VARIED, NULL);

	table_init(&t, &provider_queue.desc);
	ck_assert_ptr_null(table_cursor_row(&t));
	ck_assert_str_eq(screen_title(&t), "AGE");
	table_set_rows(&t, rs);
	assert_view(&t, by_age, 14);
	ck_assert_uint_eq(t.cursor, 0);
	ck_assert_str_eq(cursor_key(&t), "0862d5e211583af9");

	table_move(&t, 3);
	ck_assert_str_eq(cursor_key(&t), "41a3e85a8587ab6c");
	table_move(&t, -100);
	ck_assert_uint_eq(t.cursor, 0);
	table_move(&t, 100);
	ck_assert_uint_eq(t.cursor, 13);
	table_move_to(&t, 1000);
	ck_assert_uint_eq(t.cursor, 13);
	ck_assert_str_eq(cursor_key(&t), "7bb7df62a81a2c06");

	table_scroll(&t, 5);
	ck_assert_uint_eq(t.top, 9);
	table_move_to(&t, 0);
	table_scroll(&t, 5);
	ck_assert_uint_eq(t.top, 0);
	table_scroll(&t, 50);
	ck_assert_uint_eq(t.top, 0);

	table_free(&t);
	rowset_free(rs);
}
END_TEST

START_TEST(test_sort)
{
	static const char *const by_next[14] = {
		"3047f32eaba40d19", "ecc8a5b7fc7f5b8c", "0862d5e211583af9",
		"15ef78e2d1245448", "41a3e85a8587ab6c", "82f7113b5a9de746",
		"8924a15b86f02e24", "8f9f6e4456c53f2d", "aca65f001fc08029",
		"aca65f0062f28350", "aca65f00a2e33597", "c66913f8b6c1a8b0",
		"ef58cc78c9672aba", "7bb7df62a81a2c06",
	};
	const char	*rev[14];
	struct table	 t;
	struct rowset	*rs = unit_parse_fixture(VARIED, NULL);
	size_t		 i;

	table_init(&t, &provider_queue.desc);
	table_set_rows(&t, rs);
	move_to_key(&t, "8f9f6e4456c53f2d");

	table_sort_step(&t, 1);
	ck_assert_str_eq(screen_title(&t), "NEXT");
	assert_view(&t, by_next, 14);
	/* the cursor stays on its row, not on its index */
	ck_assert_str_eq(cursor_key(&t), "8f9f6e4456c53f2d");
	ck_assert_uint_eq(t.cursor, 7);

	table_sort_reverse(&t);
	for (i = 0; i < 14; i++)
		rev[i] = by_next[13 - i];
	assert_view(&t, rev, 14);
	ck_assert_str_eq(cursor_key(&t), "8f9f6e4456c53f2d");
	ck_assert_uint_eq(t.cursor, 6);

	/* TRIES, still reversed: 2 tries first, 0 last */
	table_sort_step(&t, 1);
	ck_assert_str_eq(screen_title(&t), "TRIES");
	ck_assert_str_eq(table_row_at(&t, 0)->key, "3047f32eaba40d19");
	ck_assert_str_eq(table_row_at(&t, 13)->key, "ecc8a5b7fc7f5b8c");
	ck_assert_str_eq(cursor_key(&t), "8f9f6e4456c53f2d");

	/* backwards, wrapping from the first column to the last */
	for (i = 0; i < 4; i++)
		table_sort_step(&t, -1);
	ck_assert_int_eq(t.sort_col, 7);
	ck_assert_str_eq(screen_title(&t), "ERROR");
	table_sort_reverse(&t);
	ck_assert_str_eq(table_row_at(&t, 0)->key, "ecc8a5b7fc7f5b8c");	/* "" */
	ck_assert_str_eq(table_row_at(&t, 1)->key, "3047f32eaba40d19");	/* "\"lab..." */
	ck_assert_str_eq(table_row_at(&t, 2)->key, "8f9f6e4456c53f2d");	/* "451 ..." */
	ck_assert_str_eq(table_row_at(&t, 3)->key, "0862d5e211583af9");
	ck_assert_uint_eq(t.cursor, 2);

	/* SENDER: strcmp order, so "<>" and upper case first */
	table_sort_step(&t, -1);
	ck_assert_str_eq(screen_title(&t), "SENDER \xe2\x86\x92 RECIPIENT");
	ck_assert_str_eq(table_row_at(&t, 0)->key, "41a3e85a8587ab6c");
	ck_assert_str_eq(table_row_at(&t, 1)->key, "7bb7df62a81a2c06");
	ck_assert_str_eq(table_row_at(&t, 2)->key, "c66913f8b6c1a8b0");
	ck_assert_str_eq(table_row_at(&t, 3)->key, "0862d5e211583af9");	/* alice */

	table_sort_step(&t, 1);
	table_sort_step(&t, 1);
	ck_assert_int_eq(t.sort_col, 0);
	ck_assert_str_eq(screen_title(&t), "ENVELOPE");
	ck_assert_str_eq(table_row_at(&t, 0)->key, "0862d5e211583af9");
	ck_assert_str_eq(table_row_at(&t, 13)->key, "ef58cc78c9672aba");
	ck_assert_str_eq(cursor_key(&t), "8f9f6e4456c53f2d");

	table_free(&t);
	rowset_free(rs);
}
END_TEST

START_TEST(test_filter)
{
	static const char *const carol[3] = {
		"aca65f001fc08029", "aca65f0062f28350", "aca65f00a2e33597",
	};
	struct table	 t;
	struct rowset	*rs = unit_parse_fixture(VARIED, NULL);
	char		 err[256];

	table_init(&t, &provider_queue.desc);
	table_set_rows(&t, rs);

	/* a substring, whatever the case */
	ck_assert_int_eq(table_set_filter(&t, "GREYLIST", err, sizeof(err)), 0);
	ck_assert_uint_eq(t.nview, 1);
	ck_assert_str_eq(cursor_key(&t), "8f9f6e4456c53f2d");
	ck_assert_str_eq(t.filter, "GREYLIST");
	ck_assert_int_eq(table_set_filter(&t, "carol", err, sizeof(err)), 0);
	assert_view(&t, carol, 3);
	ck_assert_int_eq(table_set_filter(&t, "upper.case@", err, sizeof(err)),
	    0);
	ck_assert_uint_eq(t.nview, 1);
	ck_assert_str_eq(cursor_key(&t), "c66913f8b6c1a8b0");
	/* the family (7bb7df62's "local") is not on screen: not searched */
	ck_assert_int_eq(table_set_filter(&t, "local", err, sizeof(err)), 0);
	ck_assert_uint_eq(t.nview, 0);
	/* an address on screen */
	ck_assert_int_eq(table_set_filter(&t, "trent@", err, sizeof(err)), 0);
	ck_assert_uint_eq(t.nview, 1);
	ck_assert_str_eq(cursor_key(&t), "7bb7df62a81a2c06");
	ck_assert_int_eq(table_set_filter(&t, "inflight", err, sizeof(err)), 0);
	ck_assert_uint_eq(t.nview, 1);
	ck_assert_str_eq(cursor_key(&t), "ecc8a5b7fc7f5b8c");
	ck_assert_int_eq(table_set_filter(&t, "rcpt|with", err, sizeof(err)),
	    0);
	ck_assert_uint_eq(t.nview, 1);
	ck_assert_str_eq(cursor_key(&t), "8924a15b86f02e24");
	/* a substring is literal: no regex metacharacters */
	ck_assert_int_eq(table_set_filter(&t, "[127.0.0.2]", err, sizeof(err)),
	    0);
	ck_assert_uint_eq(t.nview, 1);
	ck_assert_str_eq(cursor_key(&t), "15ef78e2d1245448");
	ck_assert_int_eq(table_set_filter(&t, "\\o/", err, sizeof(err)), 0);
	ck_assert_uint_eq(t.nview, 1);
	ck_assert_int_eq(table_set_filter(&t, ".*", err, sizeof(err)), 0);
	ck_assert_uint_eq(t.nview, 0);
	ck_assert_ptr_null(table_cursor_row(&t));

	/* "~": a regex, caseless too */
	ck_assert_int_eq(table_set_filter(&t, "~[127.0.0.2]", err, sizeof(err)),
	    0);
	ck_assert_uint_eq(t.nview, 14);
	ck_assert_int_eq(table_set_filter(&t, "~GREY.*LATER", err, sizeof(err)),
	    0);
	ck_assert_uint_eq(t.nview, 1);
	ck_assert_str_eq(t.filter, "~GREY.*LATER");
	ck_assert_int_eq(table_set_filter(&t, "~^aca65f00", err, sizeof(err)),
	    0);
	assert_view(&t, carol, 3);
	ck_assert_str_eq(t.filter, "~^aca65f00");

	/* a bad regex: an error, and the old filter stays */
	err[0] = '\0';
	ck_assert_int_eq(table_set_filter(&t, "~(", err, sizeof(err)), -1);
	ck_assert_msg(strncmp(err, "bad pattern at offset 1: ", 25) == 0,
	    "error \"%s\"", err);
	ck_assert_uint_gt(strlen(err), 25);
	ck_assert_str_eq(t.filter, "~^aca65f00");
	assert_view(&t, carol, 3);
	ck_assert_int_eq(table_set_filter(&t, "~a[", err, sizeof(err)), -1);
	assert_view(&t, carol, 3);

	/* the cursor stays on its row when the filter changes */
	move_to_key(&t, "aca65f00a2e33597");
	ck_assert_int_eq(table_set_filter(&t, "~^a", err, sizeof(err)), 0);
	ck_assert_str_eq(cursor_key(&t), "aca65f00a2e33597");
	ck_assert_uint_eq(t.cursor, 2);
	ck_assert_int_eq(table_set_filter(&t, "example", err, sizeof(err)), 0);
	ck_assert_str_eq(cursor_key(&t), "aca65f00a2e33597");
	ck_assert_uint_eq(t.cursor, 9);

	/* "" and NULL clear it */
	ck_assert_int_eq(table_set_filter(&t, "", err, sizeof(err)), 0);
	ck_assert_ptr_null(t.filter);
	ck_assert_uint_eq(t.nview, 14);
	ck_assert_int_eq(table_set_filter(&t, "nothing-matches-this", err,
	    sizeof(err)), 0);
	ck_assert_uint_eq(t.nview, 0);
	ck_assert_int_eq(table_set_filter(&t, NULL, err, sizeof(err)), 0);
	ck_assert_uint_eq(t.nview, 14);

	/* the filter applies to the next rowset too */
	ck_assert_int_eq(table_set_filter(&t, "carol", err, sizeof(err)), 0);
	rowset_free(rs);
	rs = unit_parse_fixture(FIX("show-queue-10000.txt"), NULL);
	table_set_rows(&t, rs);
	ck_assert_uint_eq(t.nview, 3);		/* grep -c carol */
	ck_assert_str_eq(S_SENDER(table_row_at(&t, 0)), "carol@sender.example");
	ck_assert_str_eq(S_SENDER(table_row_at(&t, 2)), "carol@sender.example");
	rowset_free(rs);
	rs = unit_parse_fixture(FIX("show-queue-msgid.txt"), NULL);
	table_set_rows(&t, rs);
	assert_view(&t, carol, 3);

	table_free(&t);
	rowset_free(rs);
}
END_TEST

/* The cursor follows its row (its key) to where it is in new data. */
START_TEST(test_cursor_follows_key)
{
	static const char *const drop[] = {
		"0862d5e2", "15ef78e2", "3047f32e", "41a3e85a", NULL,
	};
	struct table	 t;
	struct rowset	*rs1, *rs2, *rs3;

	rs1 = unit_parse_fixture(VARIED, NULL);
	table_init(&t, &provider_queue.desc);
	table_set_rows(&t, rs1);
	move_to_key(&t, "c66913f8b6c1a8b0");
	ck_assert_uint_eq(t.cursor, 10);

	/* 4 rows above it gone, 2 older ones added: it is now at 8 */
	rs2 = varied_but(drop,
	    "1111111111111111|inet4|mta||a@b|c@d|c@d|1000|0|0|0|pending|1|\n"
	    "2222222222222222|inet4|mta||a@b|c@d|c@d|1001|0|0|0|pending|1|\n");
	table_set_rows(&t, rs2);
	rowset_free(rs1);
	ck_assert_uint_eq(t.nview, 12);
	ck_assert_str_eq(cursor_key(&t), "c66913f8b6c1a8b0");
	ck_assert_uint_eq(t.cursor, 8);

	/* and back */
	rs3 = unit_parse_fixture(VARIED, NULL);
	table_set_rows(&t, rs3);
	rowset_free(rs2);
	ck_assert_str_eq(cursor_key(&t), "c66913f8b6c1a8b0");
	ck_assert_uint_eq(t.cursor, 10);

	table_free(&t);
	rowset_free(rs3);
}
END_TEST

/*
 * Newest first (AGE reversed): on the top row the cursor follows the
 * newest row; below it, its row keeps its screen line as rows come and go
 * above it.
 */
START_TEST(test_cursor_tail)
{
	static const char *const none[] = { NULL };
	static const char *const drop[] = { "0862d5e2", "15ef78e2", NULL };
	struct table	 t;
	struct rowset	*rs1, *rs2, *rs3, *rs4;
	char		 key[17];

	rs1 = unit_parse_fixture(VARIED, NULL);
	table_init(&t, &provider_queue.desc);
	table_set_rows(&t, rs1);
	table_sort_set(&t, 1, 1);
	ck_assert_str_eq(cursor_key(&t), "0862d5e211583af9");
	table_move_to(&t, 0);
	ck_assert_str_eq(cursor_key(&t), "7bb7df62a81a2c06");

	rs2 = varied_but(none,
	    "1111111111111111|inet4|mta||a@b|c@d|c@d|1795525200|0|0|0|pending|1|\n");
	table_set_rows(&t, rs2);
	ck_assert_uint_eq(t.cursor, 0);
	ck_assert_str_eq(cursor_key(&t), "1111111111111111");

	/* moved down, scrolled: 2 new rows above, the line stays */
	table_move_to(&t, 6);
	t.top = 4;
	snprintf(key, sizeof(key), "%s", cursor_key(&t));
	rs3 = varied_but(none,
	    "1111111111111111|inet4|mta||a@b|c@d|c@d|1795525200|0|0|0|pending|1|\n"
	    "2222222222222222|inet4|mta||a@b|c@d|c@d|1795525201|0|0|0|pending|1|\n"
	    "3333333333333333|inet4|mta||a@b|c@d|c@d|1795525202|0|0|0|pending|1|\n");
	table_set_rows(&t, rs3);
	ck_assert_str_eq(cursor_key(&t), key);
	ck_assert_uint_eq(t.cursor, 8);
	ck_assert_uint_eq(t.top, 6);
	table_scroll(&t, 5);
	ck_assert_uint_eq(t.top, 6);

	/* 3 new ones and 2 old ones gone above it: up by 3 */
	rs4 = varied_but(drop, "");
	table_set_rows(&t, rs4);
	ck_assert_str_eq(cursor_key(&t), key);
	ck_assert_uint_eq(t.cursor, 5);
	ck_assert_uint_eq(t.top, 3);
	/* more gone above it than the screen hid: the first row on top */
	table_move_to(&t, 5);
	t.top = 1;
	table_set_rows(&t, rs3);
	ck_assert_uint_eq(t.cursor, 8);
	ck_assert_uint_eq(t.top, 4);
	table_set_rows(&t, rs4);
	ck_assert_uint_eq(t.top, 1);
	t.top = 1;
	table_move_to(&t, 2);
	table_set_rows(&t, rs3);
	ck_assert_uint_eq(t.top, 4);
	t.top = 2;
	table_set_rows(&t, rs4);
	ck_assert_uint_eq(t.cursor, 2);
	ck_assert_uint_eq(t.top, 0);

	/* oldest first: the top row is the oldest, kept by key */
	table_sort_set(&t, 1, 0);
	table_move_to(&t, 0);
	t.top = 0;
	ck_assert_str_eq(cursor_key(&t), "3047f32eaba40d19");
	table_set_rows(&t, rs3);
	ck_assert_str_eq(cursor_key(&t), "3047f32eaba40d19");

	table_free(&t);
	rowset_free(rs1);
	rowset_free(rs2);
	rowset_free(rs3);
	rowset_free(rs4);
}
END_TEST

START_TEST(test_cursor_clamps)
{
	static const char *const drop_last[] = {
		"0862d5e2", "15ef78e2", "3047f32e", "7bb7df62", NULL,
	};
	static const char *const drop_mid[] = { "8f9f6e44", NULL };
	struct table	 t;
	struct rowset	*rs1, *rs2, *rs3, *empty;

	rs1 = unit_parse_fixture(VARIED, NULL);
	table_init(&t, &provider_queue.desc);
	table_set_rows(&t, rs1);

	/* the last row vanished, the view is shorter: the new last row */
	table_move_to(&t, 13);
	ck_assert_str_eq(cursor_key(&t), "7bb7df62a81a2c06");
	rs2 = varied_but(drop_last, "");
	table_set_rows(&t, rs2);
	ck_assert_uint_eq(t.nview, 10);
	ck_assert_uint_eq(t.cursor, 9);
	ck_assert_str_eq(cursor_key(&t), "ef58cc78c9672aba");
	/* from now on it follows that row */
	table_set_rows(&t, rs1);
	ck_assert_str_eq(cursor_key(&t), "ef58cc78c9672aba");
	ck_assert_uint_eq(t.cursor, 12);

	/* a row in the middle vanished: same index, the next row */
	move_to_key(&t, "8f9f6e4456c53f2d");
	ck_assert_uint_eq(t.cursor, 6);
	rs3 = varied_but(drop_mid, "");
	table_set_rows(&t, rs3);
	ck_assert_uint_eq(t.cursor, 6);
	ck_assert_str_eq(cursor_key(&t), "aca65f001fc08029");

	/* no rows at all, then rows again */
	empty = rowset_new();
	table_set_rows(&t, empty);
	ck_assert_uint_eq(t.nview, 0);
	ck_assert_ptr_null(table_cursor_row(&t));
	table_move(&t, 1);
	ck_assert_ptr_null(table_cursor_row(&t));
	table_set_rows(&t, rs1);
	ck_assert_uint_eq(t.cursor, 0);
	ck_assert_str_eq(cursor_key(&t), "0862d5e211583af9");
	table_set_rows(&t, NULL);
	ck_assert_ptr_null(table_cursor_row(&t));

	table_free(&t);
	rowset_free(rs1);
	rowset_free(rs2);
	rowset_free(rs3);
	rowset_free(empty);
}
END_TEST

START_TEST(test_tags)
{
	struct table	 t;
	struct rowset	*rs1, *rs2;
	char		**sel;
	size_t		 n, i;

	rs1 = unit_parse_fixture(VARIED, NULL);
	table_init(&t, &provider_queue.desc);
	ck_assert_int_eq(table_tag_toggle(&t), -1);	/* no rows */
	sel = table_selection(&t, &n);
	ck_assert_uint_eq(n, 0);
	ck_assert_ptr_nonnull(sel);
	table_free_selection(sel, n);

	table_set_rows(&t, rs1);
	/* nothing tagged: the cursor's row */
	move_to_key(&t, "c66913f8b6c1a8b0");
	sel = table_selection(&t, &n);
	ck_assert_uint_eq(n, 1);
	ck_assert_str_eq(sel[0], "c66913f8b6c1a8b0");
	table_free_selection(sel, n);

	move_to_key(&t, "8f9f6e4456c53f2d");
	ck_assert_int_eq(table_tag_toggle(&t), 1);
	move_to_key(&t, "15ef78e2d1245448");
	ck_assert_int_eq(table_tag_toggle(&t), 1);
	move_to_key(&t, "3047f32eaba40d19");
	ck_assert_int_eq(table_tag_toggle(&t), 1);
	move_to_key(&t, "c66913f8b6c1a8b0");

	/* new data: the tags stay on the same keys */
	rs2 = unit_parse_fixture(VARIED, NULL);
	table_set_rows(&t, rs2);
	rowset_free(rs1);
	for (i = 0; i < t.nview; i++)
		ck_assert_int_eq(table_is_tagged(&t, table_row_at(&t, i)),
		    strcmp(table_row_at(&t, i)->key, "8f9f6e4456c53f2d") == 0 ||
		    strcmp(table_row_at(&t, i)->key, "15ef78e2d1245448") == 0 ||
		    strcmp(table_row_at(&t, i)->key, "3047f32eaba40d19") == 0);

	/* the tagged keys, sorted; not the cursor's */
	sel = table_selection(&t, &n);
	ck_assert_uint_eq(n, 3);
	ck_assert_str_eq(sel[0], "15ef78e2d1245448");
	ck_assert_str_eq(sel[1], "3047f32eaba40d19");
	ck_assert_str_eq(sel[2], "8f9f6e4456c53f2d");
	table_free_selection(sel, n);

	/* untag one */
	move_to_key(&t, "3047f32eaba40d19");
	ck_assert_int_eq(table_tag_toggle(&t), 0);
	ck_assert_int_eq(table_is_tagged(&t, table_cursor_row(&t)), 0);
	sel = table_selection(&t, &n);
	ck_assert_uint_eq(n, 2);
	ck_assert_str_eq(sel[0], "15ef78e2d1245448");
	ck_assert_str_eq(sel[1], "8f9f6e4456c53f2d");
	table_free_selection(sel, n);

	/* untag all: back to the cursor */
	table_untag_all(&t);
	sel = table_selection(&t, &n);
	ck_assert_uint_eq(n, 1);
	ck_assert_str_eq(sel[0], "3047f32eaba40d19");
	table_free_selection(sel, n);
	/* and tagging works again after that */
	ck_assert_int_eq(table_tag_toggle(&t), 1);
	ck_assert_int_eq(table_is_tagged(&t, table_cursor_row(&t)), 1);

	table_free(&t);
	rowset_free(rs2);
}
END_TEST

START_TEST(test_row_text)
{
	struct table		 t;
	struct rowset		*rs = unit_parse_fixture(VARIED, NULL);
	const struct row	*r = unit_find(rs, "41a3e85a8587ab6c");
	char			 buf[512], want[512];
	size_t			 n;

	table_init(&t, &provider_queue.desc);
	/* the text columns on screen, as shown: not msgid, flags, family */
	n = table_row_text(&t, r, buf, sizeof(buf));
	snprintf(want, sizeof(want), "41a3e85a8587ab6c mta pending "
	    "<> %s postmaster@example.net "
	    "Network error on destination MXs ", glyph_arrow());
	ck_assert_str_eq(buf, want);
	ck_assert_uint_eq(n, strlen(buf));
	/* cut at a field, never past the buffer */
	memset(buf, 'Z', sizeof(buf));
	n = table_row_text(&t, r, buf, 20);
	ck_assert_str_eq(buf, "41a3e85a8587ab6c ");
	ck_assert_uint_eq(n, 17);
	ck_assert_int_eq(buf[20], 'Z');
	table_free(&t);
	rowset_free(rs);
}
END_TEST

/* Actions */

static const struct action *
action_for(int key)
{
	size_t	 i;

	for (i = 0; i < provider_queue.desc.nactions; i++)
		if (provider_queue.desc.actions[i].key == key)
			return &provider_queue.desc.actions[i];
	ck_abort_msg("no action '%c'", key);
	return NULL;
}

static void
tag_keys(struct table *t, const char *const *keys)
{
	for (; *keys != NULL; keys++) {
		move_to_key(t, *keys);
		ck_assert_int_eq(table_tag_toggle(t), 1);
	}
}

START_TEST(test_plan_tagged)
{
	static const char *const msg[] = {
		"aca65f0062f28350", "aca65f001fc08029", "aca65f00a2e33597", NULL,
	};
	struct table		 t;
	struct rowset		*rs = unit_parse_fixture(VARIED, NULL);
	struct action_plan	 plan;
	char			 prompt[256], err[64];

	table_init(&t, &provider_queue.desc);
	table_set_rows(&t, rs);
	/* tag them through a filter, then show everything again */
	ck_assert_int_eq(table_set_filter(&t, "~^aca65f00", err, sizeof(err)),
	    0);
	tag_keys(&t, msg);
	ck_assert_int_eq(table_set_filter(&t, NULL, err, sizeof(err)), 0);
	ck_assert_uint_eq(t.nview, 14);

	ck_assert_int_eq(action_plan(&plan, action_for('d'), &t, NULL), 0);
	ck_assert_ptr_eq(plan.act, action_for('d'));
	ck_assert_uint_eq(plan.nids, 3);
	ck_assert_str_eq(plan.ids[0], "aca65f001fc08029");
	ck_assert_str_eq(plan.ids[1], "aca65f0062f28350");
	ck_assert_str_eq(plan.ids[2], "aca65f00a2e33597");
	ck_assert_uint_eq(plan.nrows, 3);
	action_prompt(&plan, provider_queue.desc.noun, prompt, sizeof(prompt));
	ck_assert_str_eq(prompt, "Remove 3 envelopes aca65f001fc08029, "
	    "aca65f0062f28350 and aca65f00a2e33597? [y/N]");
	action_plan_free(&plan);
	ck_assert_uint_eq(plan.nids, 0);
	ck_assert_ptr_null(plan.ids);

	/* D: the three are one message */
	ck_assert_int_eq(action_plan(&plan, action_for('D'), &t, NULL), 0);
	ck_assert_uint_eq(plan.nids, 1);
	ck_assert_str_eq(plan.ids[0], "aca65f00");
	ck_assert_uint_eq(plan.nrows, 3);
	action_prompt(&plan, provider_queue.desc.noun, prompt, sizeof(prompt));
	ck_assert_str_eq(prompt, "Remove message aca65f00 (3 envelopes)? [y/N]");
	action_plan_free(&plan);

	/* a prompt cut short by its buffer is still a string */
	ck_assert_int_eq(action_plan(&plan, action_for('D'), &t, NULL), 0);
	action_prompt(&plan, provider_queue.desc.noun, prompt, 12);
	ck_assert_str_eq(prompt, "Remove mess");
	action_plan_free(&plan);

	/* two messages */
	move_to_key(&t, "0862d5e211583af9");
	ck_assert_int_eq(table_tag_toggle(&t), 1);
	ck_assert_int_eq(action_plan(&plan, action_for('D'), &t, NULL), 0);
	ck_assert_uint_eq(plan.nids, 2);
	ck_assert_str_eq(plan.ids[0], "0862d5e2");
	ck_assert_str_eq(plan.ids[1], "aca65f00");
	ck_assert_uint_eq(plan.nrows, 4);
	action_prompt(&plan, provider_queue.desc.noun, prompt, sizeof(prompt));
	ck_assert_str_eq(prompt,
	    "Remove 2 messages 0862d5e2 and aca65f00 (4 envelopes)? [y/N]");
	action_plan_free(&plan);

	ck_assert_int_eq(action_plan(&plan, action_for('s'), &t, NULL), 0);
	ck_assert_uint_eq(plan.nids, 4);
	ck_assert_uint_eq(plan.nrows, 4);
	action_prompt(&plan, provider_queue.desc.noun, prompt, sizeof(prompt));
	ck_assert_str_eq(prompt, "Schedule 4 envelopes 0862d5e211583af9, "
	    "aca65f001fc08029 and 2 more? [y/N]");
	action_plan_free(&plan);

	table_free(&t);
	rowset_free(rs);
}
END_TEST

START_TEST(test_plan_cursor)
{
	struct table		 t;
	struct rowset		*rs = unit_parse_fixture(VARIED, NULL);
	struct action_plan	 plan;
	char			 prompt[256];

	table_init(&t, &provider_queue.desc);
	table_set_rows(&t, rs);
	move_to_key(&t, "aca65f0062f28350");

	ck_assert_int_eq(action_plan(&plan, action_for('d'), &t, NULL), 0);
	ck_assert_uint_eq(plan.nids, 1);
	ck_assert_str_eq(plan.ids[0], "aca65f0062f28350");
	ck_assert_uint_eq(plan.nrows, 1);
	action_prompt(&plan, provider_queue.desc.noun, prompt, sizeof(prompt));
	/* the C locale: the arrow is "->" */
	ck_assert_str_eq(prompt, "Remove envelope aca65f0062f28350 "
	    "(carol@sender.example -> frank@other.example)? [y/N]");
	action_plan_free(&plan);

	/* D on one envelope takes its whole message: 3 envelopes */
	ck_assert_int_eq(action_plan(&plan, action_for('D'), &t, NULL), 0);
	ck_assert_uint_eq(plan.nids, 1);
	ck_assert_str_eq(plan.ids[0], "aca65f00");
	ck_assert_uint_eq(plan.nrows, 3);
	action_prompt(&plan, provider_queue.desc.noun, prompt, sizeof(prompt));
	ck_assert_str_eq(prompt, "Remove message aca65f00 (3 envelopes)? [y/N]");
	action_plan_free(&plan);

	move_to_key(&t, "8f9f6e4456c53f2d");
	ck_assert_int_eq(action_plan(&plan, action_for('D'), &t, NULL), 0);
	ck_assert_str_eq(plan.ids[0], "8f9f6e44");
	ck_assert_uint_eq(plan.nrows, 1);
	action_prompt(&plan, provider_queue.desc.noun, prompt, sizeof(prompt));
	ck_assert_str_eq(prompt, "Remove message 8f9f6e44 (1 envelope)? [y/N]");
	action_plan_free(&plan);

	/* actions on no rows plan nothing */
	ck_assert_int_eq(action_plan(&plan, action_for('p'), &t, NULL), 0);
	ck_assert_uint_eq(plan.nids, 0);
	ck_assert_ptr_null(plan.ids);
	action_plan_free(&plan);

	table_free(&t);
	rowset_free(rs);
}
END_TEST

START_TEST(test_plan_refused)
{
	struct table		 t;
	struct rowset		*rs, *empty;
	struct action_plan	 plan;

	/* nothing selected */
	empty = rowset_new();
	table_init(&t, &provider_queue.desc);
	table_set_rows(&t, empty);
	ck_assert_int_eq(action_plan(&plan, action_for('d'), &t, NULL), -1);
	ck_assert_str_eq(plan.error, "no envelope under the cursor, none tagged");
	ck_assert_uint_eq(plan.nids, 0);

	/* the parser takes an all-zero id; the actions must not */
	rs = unit_parse_text(
	    "0000000000000000|inet4|mta||a@b|c@d|c@d|1|1|0|0|pending|1|\n"
	    "0123456789abcdef|inet4|mta||a@b|c@d|c@d|2|1|0|0|pending|1|\n");
	ck_assert_uint_eq(rs->nrows, 2);
	table_set_rows(&t, rs);
	move_to_key(&t, "0000000000000000");
	ck_assert_int_eq(action_plan(&plan, action_for('d'), &t, NULL), -1);
	ck_assert_str_eq(plan.error,
	    "refusing: envelope 0000000000000000: not a valid id for this action");
	ck_assert_uint_eq(plan.nids, 0);
	ck_assert_ptr_null(plan.ids);
	ck_assert_int_eq(action_plan(&plan, action_for('D'), &t, NULL), -1);
	ck_assert_str_eq(plan.error,
	    "refusing: envelope 0000000000000000: not a valid id for this action");

	/* one bad id among good ones: nothing at all */
	ck_assert_int_eq(table_tag_toggle(&t), 1);
	move_to_key(&t, "0123456789abcdef");
	ck_assert_int_eq(table_tag_toggle(&t), 1);
	ck_assert_int_eq(action_plan(&plan, action_for('h'), &t, NULL), -1);
	ck_assert_uint_eq(plan.nids, 0);
	ck_assert_ptr_null(plan.ids);

	table_untag_all(&t);
	ck_assert_int_eq(action_plan(&plan, action_for('h'), &t, NULL), 0);
	ck_assert_uint_eq(plan.nids, 1);
	ck_assert_str_eq(plan.ids[0], "0123456789abcdef");
	action_plan_free(&plan);

	table_free(&t);
	rowset_free(rs);
	rowset_free(empty);
}
END_TEST

/* Radix sorts against qsort with the order they promise. */

static uint64_t	rnd_state = 0x9e3779b97f4a7c15ULL;

static uint64_t
rnd(void)
{
	rnd_state ^= rnd_state << 13;
	rnd_state ^= rnd_state >> 7;
	rnd_state ^= rnd_state << 17;
	return rnd_state;
}

static int
cmp_u64(const void *a, const void *b)
{
	uint64_t	 x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

START_TEST(test_radix_u64)
{
	static const size_t	 sizes[] = { 0, 1, 2, 31, 32, 33, 1000, 70000 };
	uint64_t		*v, *w;
	size_t			 i, k, n;
	int			 shape;

	for (k = 0; k < nitems(sizes); k++)
		for (shape = 0; shape < 3; shape++) {
			n = sizes[k];
			v = xcalloc(n + 1, sizeof(*v));
			w = xcalloc(n + 1, sizeof(*w));
			for (i = 0; i < n; i++)
				/* all bytes; the low ones only; a few values */
				w[i] = v[i] = shape == 0 ? rnd() : shape == 1 ?
				    1795000000 + rnd() % 100000 : rnd() % 3;
			radix_sort_u64(v, n);
			qsort(w, n, sizeof(*w), cmp_u64);
			ck_assert(memcmp(v, w, n * sizeof(*v)) == 0);
			free(v);
			free(w);
		}
}
END_TEST

/* Entries carry their original index: equal keys must keep that order. */
static int
cmp_ent_stable(const void *a, const void *b)
{
	const struct sortent	*x = a, *y = b;

	if (x->k != y->k)
		return x->k < y->k ? -1 : 1;
	return (uintptr_t)x->p < (uintptr_t)y->p ? -1 : 1;
}

START_TEST(test_radix_ents_stable)
{
	struct sortent	*v, *w;
	size_t		 i, n;

	for (n = 0; n < 3000; n = n * 2 + 7) {
		v = xcalloc(n + 1, sizeof(*v));
		w = xcalloc(n + 1, sizeof(*w));
		for (i = 0; i < n; i++) {
			v[i].k = (rnd() % 5) << (8 * (rnd() % 8));
			v[i].p = (void *)(uintptr_t)(i + 1);
			w[i] = v[i];
		}
		radix_sort_ents(v, n);
		qsort(w, n, sizeof(*w), cmp_ent_stable);
		for (i = 0; i < n; i++) {
			ck_assert_uint_eq(v[i].k, w[i].k);
			ck_assert_ptr_eq(v[i].p, w[i].p);
		}
		free(v);
		free(w);
	}
}
END_TEST

struct tstr {
	size_t		 idx;
	const char	*s;
	char		 buf[40];
};

/* p points at a pointer to the tstr, as the table's places do */
static const char *
tstr_text(const void *p, void *arg)
{
	(void)arg;
	return (*(struct tstr *const *)p)->s;
}

static int
cmp_tstr_stable(const void *a, const void *b)
{
	const struct tstr	*x = *(struct tstr *const *)a;
	const struct tstr	*y = *(struct tstr *const *)b;
	int			 r = strcmp(x->s, y->s);

	if (r != 0)
		return r;
	return x->idx < y->idx ? -1 : 1;
}

/*
 * shared: the strings come from a pool of a few (interned values, and
 * equal ones at other addresses), which takes the way by ranks.
 */
static void
radix_strings_case(size_t n, int shared)
{
	/* lengths around the 8-byte chunks, shared prefixes, 8-bit bytes */
	static const char *const pre[] = { "", "a", "10.0.1.1", "10.0.1.10",
	    "<postmaster@example.org>", "\xc3\xa9", "smtp.acc", "smtp.accx" };
	static char	 pool[64][40];
	struct tstr	*t, **ref, **at;
	struct sortent	*v;
	size_t		 i, j, len;

	for (i = 0; i < nitems(pool); i++) {
		if (i >= 32) {		/* the same text, elsewhere */
			memcpy(pool[i], pool[i - 32], sizeof(pool[i]));
			continue;
		}
		snprintf(pool[i], sizeof(pool[i]), "%s", pre[rnd() % nitems(pre)]);
		len = strlen(pool[i]);
		for (j = rnd() % 12; j > 0 && len + 1 < sizeof(pool[i]); j--)
			pool[i][len++] = "01.\x7f\x80\xff"[rnd() % 6];
		pool[i][len] = '\0';
	}
	t = xcalloc(n, sizeof(*t));
	v = xcalloc(n, sizeof(*v));
	ref = xcalloc(n, sizeof(*ref));
	at = xcalloc(n, sizeof(*at));
	for (i = 0; i < n; i++) {
		t[i].idx = i;
		if (shared)
			t[i].s = pool[rnd() % nitems(pool)];
		else {
			memcpy(t[i].buf, pool[rnd() % 32], sizeof(t[i].buf));
			len = strlen(t[i].buf);
			for (j = rnd() % 6; j > 0 && len + 1 <
			    sizeof(t[i].buf); j--)
				t[i].buf[len++] = "01.\x7f\x80\xff"[rnd() % 6];
			t[i].buf[len] = '\0';
			t[i].s = t[i].buf;
		}
		at[i] = &t[i];
		v[i].p = &at[i];
		ref[i] = &t[i];
	}
	radix_sort_strings(v, n, tstr_text, NULL);
	qsort(ref, n, sizeof(*ref), cmp_tstr_stable);
	for (i = 0; i < n; i++)
		ck_assert_msg(*(struct tstr **)v[i].p == ref[i],
		    "%s, %zu rows: row %zu", shared ? "shared" : "unique", n,
		    i);
	free(at);
	free(ref);
	free(v);
	free(t);
}

/*
 * A sort's large scratch is kept for the next sort (its pages are in),
 * the smallest that fits; one in use is never lent twice; release gives
 * them back and sorts go on.
 */
START_TEST(test_radix_scratch)
{
	void		*a, *b, *c;
	uint64_t	*v;
	size_t		 i, n = 300000;

	a = radix_scratch(1 << 20, 16);
	b = radix_scratch(1 << 18, 16);
	ck_assert_ptr_ne(a, b);
	memset(a, 1, (size_t)16 << 20);
	radix_scratch_free(a, 1 << 20, 16);
	radix_scratch_free(b, 1 << 18, 16);
	c = radix_scratch(1 << 17, 16);
	ck_assert_ptr_eq(c, b);
	ck_assert_ptr_eq(radix_scratch(1 << 19, 16), a);
	radix_scratch_free(a, 1 << 19, 16);
	radix_scratch_free(c, 1 << 17, 16);
	radix_scratch_release();
	v = xcalloc(n, sizeof(*v));
	for (i = 0; i < n; i++)
		v[i] = rnd();
	radix_sort_u64(v, n);
	radix_sort_u64(v, n);		/* the kept scratch, again */
	for (i = 1; i < n; i++)
		ck_assert(v[i - 1] <= v[i]);
	free(v);
	radix_scratch_release();
}
END_TEST

START_TEST(test_radix_strings)
{
	radix_strings_case(20000, 0);
	radix_strings_case(20000, 1);
	radix_strings_case(100, 1);
	radix_strings_case(2, 0);
}
END_TEST

/*
 * The table's order on a thousand rows with many equal cells: by the
 * column, then by key, the same for every column and both directions.
 */
static int	 ref_cell, ref_str;

static int
cmp_row_ref(const void *a, const void *b)
{
	const struct row	*x = *(struct row *const *)a;
	const struct row	*y = *(struct row *const *)b;
	int64_t			 i, j;
	int			 r;

	if (ref_str) {
		if ((r = strcmp(x->cells[ref_cell].s, y->cells[ref_cell].s)) != 0)
			return r;
	} else if ((i = x->cells[ref_cell].i) != (j = y->cells[ref_cell].i))
		return i < j ? -1 : 1;
	return strcmp(x->key, y->key);
}

START_TEST(test_sort_order)
{
	const struct pane_desc	*d = &provider_queue.desc;
	const struct column	*col;
	struct rowset		*rs;
	struct table		 t;
	struct row		**ref;
	char			 buf[8192], *o = buf;
	size_t			 i, n, none;
	int			 c, rev;

	/* envelopes of a few senders, times and states, unique evpids */
	for (i = 0; i < 60; i++)
		o += snprintf(o, sizeof(buf) - (size_t)(o - buf),
		    "%016llx|inet4|mta||%s@x.example|rcpt@y.example|"
		    "rcpt@y.example|%d|%d|0|%d|%s|%s|%s\n",
		    (unsigned long long)(rnd() & 0xffffffffffffULL) << 16,
		    i % 3 ? "a" : "ab", 1795000000 + (int)(rnd() % 4),
		    1795300000 + (int)(rnd() % 3), (int)(rnd() % 3),
		    i % 4 ? "pending" : "inflight",
		    rnd() % 2 ? "1795000100" : "0", i % 5 ? "" : "x");
	rs = unit_parse_text(buf);
	n = rs->nrows;
	ck_assert_uint_gt(n, 50);
	ref = xcalloc(n, sizeof(*ref));
	for (c = 0; c < (int)d->nscreen; c++)
		for (rev = 0; rev < 2; rev++) {
			table_init(&t, d);
			table_sort_set(&t, c, rev);
			table_set_rows(&t, rs);
			col = &d->columns[d->screen[c].column];
			ref_cell = col->cell;
			ref_str = col->type == COL_STR;
			memcpy(ref, rs->rows, n * sizeof(*ref));
			qsort(ref, n, sizeof(*ref), cmp_row_ref);
			for (none = 0; !rev && !ref_str &&
			    (col->flags & COL_NONE_LAST) && none < n &&
			    ref[none]->cells[ref_cell].i == CELL_NONE; none++)
				;
			ck_assert_uint_eq(t.nview, n);
			for (i = 0; i < n; i++)
				ck_assert_msg(table_row_at(&t, i) == (rev ?
				    ref[n - 1 - i] : ref[(i + none) % n]),
				    "column %d%s: row %zu", c, rev ? " reversed" :
				    "", i);
			table_free(&t);
		}
	free(ref);
	rowset_free(rs);
}
END_TEST

/*
 * The greylist's IP column sorts as addresses: 10.0.0.9 before 10.0.0.10,
 * IPv4 among IPv6 as ::ffff:a.b.c.d, text that is no address last, and
 * tuples of one address in key order, both ways.
 */
START_TEST(test_sort_addr)
{
	static const char *const ips[] = {
		"10.0.0.10", "not-an-address", "2001:db8::1", "9.1.1.1",
		"10.0.0.9", "::1", "192.168.1.1", "010.0.0.1", "10.0.0.9",
		"ffff::", "1.2.3", "IPv6:2001:db8::2",
	};
	/* ascending; the two 10.0.0.9 tuples by key */
	static const char *const want[] = {
		"::1", "9.1.1.1", "10.0.0.9", "10.0.0.9", "10.0.0.10",
		"192.168.1.1", "2001:db8::1", "IPv6:2001:db8::2", "ffff::",
		"010.0.0.1", "1.2.3",
		"not-an-address",
	};
	const size_t		 n = sizeof(ips) / sizeof(ips[0]);
	struct rowset		*rs = rowset_new();
	struct table		 t;
	char			 line[256];
	const char		*ip;
	size_t			 i;
	int			 len, rev;

	for (i = 0; i < n; i++) {
		len = snprintf(line, sizeof(line), "GREY|%s|h%zu|<a@b>|<c@d>|"
		    "1795000000|1795001000|1795010000|1|0", ips[i], i);
		ck_assert_int_eq(spamdb_parse_line(rs, NULL, NULL, line,
		    (size_t)len), 0);
	}
	for (rev = 0; rev < 2; rev++) {
		table_init(&t, &provider_grey.desc);
		ck_assert_str_eq(provider_grey.desc.screen[0].title, "IP");
		table_sort_set(&t, 0, rev);
		table_set_rows(&t, rs);
		ck_assert_uint_eq(t.nview, n);
		for (i = 0; i < n; i++) {
			ip = table_row_at(&t, rev ? n - 1 - i : i)->cells[G_IP].s;
			ck_assert_msg(strcmp(ip, want[i]) == 0,
			    "%s: %zu is %s, not %s", rev ? "reversed" :
			    "ascending", i, ip, want[i]);
		}
		/* equal addresses in key order (reversed with the rest) */
		ck_assert_int_lt(strcmp(table_row_at(&t, rev ? n - 3 : 2)->key,
		    table_row_at(&t, rev ? n - 4 : 3)->key), 0);
		table_free(&t);
	}
	rowset_free(rs);
}
END_TEST

/* An envelope line of show queue with that evpid, its other fields from r. */
static int
env_line(char *buf, size_t len, uint64_t evpid, uint64_t r)
{
	return snprintf(buf, len, "%016llx|inet4|mta||%s@x.example|"
	    "rcpt@y.example|rcpt@y.example|%d|%d|0|%d|pending|0|\n",
	    (unsigned long long)evpid, r % 3 ? "a" : "b",
	    1795000000 + (int)(r % 5), 1795300000 + (int)(r / 5 % 3),
	    (int)(r / 15 % 3));
}

/* Find key among the rows of rs: its place, or -1. */
static long
place_of(const struct rowset *rs, const char *key)
{
	size_t	 i;

	for (i = 0; i < rs->nrows; i++)
		if (strcmp(rs->rows[i]->key, key) == 0)
			return (long)i;
	return -1;
}

/*
 * A re-read whose rowset maps its rows to the last read's (prev), in
 * another order: a tenth of the rows gone, most of the others the very
 * rows of the last read, some changed (same key, other values), some new.
 * The table's key order and view come from the last ones', and every view
 * (each column both ways, with a filter and without) is the one a table
 * seeing these rows alone has.  So it is with many new rows (sorted
 * anew), and with a map that gives two rows one old row.
 */
START_TEST(test_keys_merge)
{
	const struct pane_desc	*d = &provider_queue.desc;
	struct rowset		*a, *b, *c;
	struct table		 t, ref;
	char			*text, *o, err[256];
	uint64_t		 ev[600], order[600], tmp;
	size_t			 i, j, na = 400, nb, nc;
	long			 pa, pc;
	int			 col, round, filt;

	text = xmalloc(600 * 256);
	for (i = 0; i < 600; i++)
		ev[i] = (rnd() & 0xffffffffffffULL) << 16 | i;
	for (i = 0, o = text; i < na; i++)
		o += env_line(o, 256, ev[i], rnd());
	a = unit_parse_text(text);
	ck_assert_uint_eq(a->nrows, na);
	for (round = 0; round < 3; round++)
	for (filt = 0; filt < 2; filt++)
	for (col = 0; col < (int)d->nscreen; col++) {
		/* 1 in 10 gone; new ones: 20, then 200 */
		for (i = 0, nb = 0; i < na; i++)
			if (i % 10 != 3)
				order[nb++] = ev[i];
		for (i = 0; i < (round == 1 ? 200 : 20); i++)
			order[nb++] = ev[na + i];
		for (i = nb - 1; i > 0; i--) {
			j = rnd() % (i + 1);
			tmp = order[i];
			order[i] = order[j];
			order[j] = tmp;
		}
		/* c: the new rows, and 1 in 25 of the kept with new values */
		for (i = 0, o = text; i < nb; i++)
			if ((order[i] & 0xffff) >= na || order[i] % 25 == 0)
				o += env_line(o, 256, order[i], rnd());
		c = unit_parse_text(text);
		nc = c->nrows;
		b = rowset_new();
		b->prev = xcalloc(nb, sizeof(*b->prev));
		b->prev_serial = a->serial;
		for (i = 0; i < nb; i++) {
			snprintf(err, sizeof(err), "%016llx",
			    (unsigned long long)order[i]);
			pa = place_of(a, err);
			pc = place_of(c, err);
			ck_assert(pa != -1 || pc != -1);
			b->prev[b->nrows] = pa == -1 ? 0 : (uint32_t)pa + 1;
			if (pc == -1)
				b->prev[b->nrows] |= ROW_PREV_SAME;
			rowset_push(b, pc == -1 ? a->rows[pa] : c->rows[pc]);
		}
		if (round == 2)		/* two on one old row */
			b->prev[1] = b->prev[0];
		table_init(&t, d);
		table_init(&ref, d);
		table_sort_set(&t, col, col % 2);
		table_sort_set(&ref, col, col % 2);
		if (filt) {
			ck_assert_int_eq(table_set_filter(&t, "b@x", err,
			    sizeof(err)), 0);
			ck_assert_int_eq(table_set_filter(&ref, "b@x", err,
			    sizeof(err)), 0);
		}
		table_set_rows(&t, a);
		table_set_rows(&t, b);
		table_set_rows(&ref, b);
		ck_assert_uint_eq(t.nview, ref.nview);
		ck_assert(filt ? ref.nview < nb : ref.nview == nb);
		for (i = 0; i < ref.nview; i++)
			ck_assert_msg(table_row_at(&t, i) ==
			    table_row_at(&ref, i),
			    "round %d filter %d column %d: row %zu is %s, "
			    "not %s", round, filt, col, i,
			    table_row_at(&t, i)->key,
			    table_row_at(&ref, i)->key);
		/* the cursor finds its row by key */
		i = ref.nview / 2;
		ck_assert_int_eq(table_cursor_to(&t,
		    table_row_at(&ref, i)->key), 0);
		ck_assert_ptr_eq(table_cursor_row(&t), table_row_at(&ref, i));
		ck_assert_uint_gt(nc, 0);
		table_free(&t);
		table_free(&ref);
		rowset_free(b);
		rowset_free(c);
	}
	rowset_free(a);
	free(text);
}
END_TEST

int
main(void)
{
	Suite	*s = suite_create("table");
	TCase	*tc;

	tc = tcase_create("table");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_set_rows);
	tcase_add_test(tc, test_sort);
	tcase_add_test(tc, test_filter);
	tcase_add_test(tc, test_cursor_follows_key);
	tcase_add_test(tc, test_cursor_clamps);
	tcase_add_test(tc, test_cursor_tail);
	tcase_add_test(tc, test_tags);
	tcase_add_test(tc, test_row_text);
	tcase_add_test(tc, test_sort_order);
	tcase_add_test(tc, test_sort_addr);
	tcase_add_test(tc, test_keys_merge);
	suite_add_tcase(s, tc);

	tc = tcase_create("radix");
	tcase_add_test(tc, test_radix_u64);
	tcase_add_test(tc, test_radix_ents_stable);
	tcase_add_test(tc, test_radix_strings);
	tcase_add_test(tc, test_radix_scratch);
	suite_add_tcase(s, tc);

	tc = tcase_create("action");
	tcase_add_test(tc, test_plan_tagged);
	tcase_add_test(tc, test_plan_cursor);
	tcase_add_test(tc, test_plan_refused);
	suite_add_tcase(s, tc);
	return unit_run(s);
}
