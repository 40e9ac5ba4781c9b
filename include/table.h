/*
 * The generic table: which rows of a pane are shown (filter), in which order
 * (sort), where the cursor is (by key) and which rows are tagged (by key).
 * Knows no provider's internals and no ncurses.
 */
#ifndef MHTOP_TABLE_H
#define MHTOP_TABLE_H

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include "provider.h"
#include "strset.h"

struct table {
	const struct pane_desc	*desc;
	const struct rowset	*rs;		/* borrowed from the pane */
	uint32_t		 *view;		/* rs's rows (places) shown */
	uint32_t		 *bykey;	/* rs's places in key order */
	size_t			  nkeys;
	uint64_t		  keys_serial;	/* the set bykey is of */
	size_t			  nview;
	size_t			  cap;
	int			  sort_col;	/* index into desc->screen */
	int			  sort_rev;
	char			 *filter;	/* as typed, NULL: none */
	pcre2_code		 *re;
	pcre2_match_data	 *md;
	char			 *cursor_key;
	size_t			  cursor;	/* index into view */
	size_t			  top;		/* first row on screen */
	struct strset		  tags;
	size_t			  pruned;	/* tags the last rows dropped */
};

void	 table_init(struct table *, const struct pane_desc *);
void	 table_free(struct table *);
/* New data: the cursor keeps its row and its line on the screen, or on
 * the top row of a newest-first view, the top row. */
void	 table_set_rows(struct table *, const struct rowset *);
/* Text typed at the filter prompt: a substring, or "~regex".  -1 and a
 * message when the regex does not compile.  NULL or "" clears. */
int	 table_set_filter(struct table *, const char *, char *, size_t);
void	 table_sort_step(struct table *, int);	/* next/previous screen column */
void	 table_sort_reverse(struct table *);
void	 table_sort_set(struct table *, int, int);	/* column, reversed */
int	 table_cursor_to(struct table *, const char *);	/* -1: no such row */
void	 table_move(struct table *, long);
void	 table_move_to(struct table *, size_t);
/* Keep the cursor visible in a window of height rows. */
void	 table_scroll(struct table *, size_t);
const struct row *table_cursor_row(const struct table *);
/* The row on line i of the view (i < nview). */
const struct row *table_row_at(const struct table *, size_t);
int	 table_tag_toggle(struct table *);	/* 1 tagged, 0 untagged, -1 none */
void	 table_untag_all(struct table *);
/* Tag every row shown (those the filter matches); returns how many. */
size_t	 table_tag_view(struct table *);
int	 table_is_tagged(const struct table *, const struct row *);
/* Keys the actions apply to: the tagged ones, else the cursor's. */
char	**table_selection(const struct table *, size_t *);
void	 table_free_selection(char **, size_t);
size_t	 table_row_text(const struct table *, const struct row *, char *,
	    size_t);

#endif
