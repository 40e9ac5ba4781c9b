/*
 * The generic table: the columns a pane shows, laid out by priority for the
 * screen's width, each cell cut where it hurts least, and what an empty
 * table says.
 */
#include "config.h"

#include <curses.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "cut.h"
#include "sanitize.h"
#include "ui_int.h"
#include "wallclock.h"

static size_t
cell_text(const struct column *c, const struct row *r, time_t now, char *buf,
    size_t len)
{
	const union cell	*cell = &r->cells[c->cell];

	if (c->format != NULL)
		return c->format(r, now, buf, len);
	if (c->type == COL_STR) {
		xstrlcpy(buf, cell->s, len);
		return strlen(buf);
	}
	if (cell->i == CELL_NONE)
		return (size_t)snprintf(buf, len, "-");
	return (size_t)snprintf(buf, len, "%lld", (long long)cell->i);
}

static enum cut_style
cut_style(unsigned flags)
{
	if (flags & COL_CUT_MIDDLE)
		return CUT_MIDDLE;
	if (flags & COL_CUT_ADDR)
		return CUT_ADDR;
	if (flags & COL_CUT_REPLY)
		return CUT_REPLY;
	if (flags & COL_CUT_VERDICT)
		return CUT_VERDICT;
	return CUT_END;
}

/* A cell as safe text cut to width columns; the columns it takes. */
static int
cell_fit(const struct screen_col *sc, const struct column *c,
    const struct row *r, time_t now, int width, char *buf, size_t len)
{
	char	 text[4096], safe[8192];

	if (sc->fit != NULL)
		return sc->fit(r, width, buf, len);
	cell_text(c, r, now, text, sizeof(text));
	sanitize_screen(text, strlen(text), safe, sizeof(safe), INT_MAX, NULL);
	return cut_text(safe, width, cut_style(c->flags), buf, len);
}

/* A cell, cut where the column says, with a visible mark. */
static void
put_cell(int y, int x, const struct screen_col *sc, const struct column *c,
    const struct row *r, time_t now, int width)
{
	char	 cut[8192];
	int	 w;

	w = cell_fit(sc, c, r, now, width, cut, sizeof(cut));
	mvaddstr(y, (c->flags & COL_RIGHT) ? x + width - w : x, cut);
}

/* Columns on screen: which screen columns fit, and how wide. */
struct layout {
	int	 col[32];		/* index into desc->screen */
	int	 width[32];
	int	 n;
	int	 want[32];		/* by screen column: the widest cell
					 * shown, for the flexible ones */
};

/* What the flexible columns of the rows on screen would take whole. */
static void
layout_want(const struct pane_desc *desc, const struct table *t,
    size_t height, time_t now, struct layout *l)
{
	const struct screen_col	*sc;
	const struct column	*c;
	char			 buf[8192];
	size_t			 i;
	int			 k, w;

	for (k = 0; k < (int)desc->nscreen && k < 32; k++) {
		sc = &desc->screen[k];
		c = &desc->columns[sc->column];
		l->want[k] = 0;
		if (c->width != 0)
			continue;
		for (i = 0; i < height && t->top + i < t->nview; i++) {
			w = cell_fit(sc, c, table_row_at(t, t->top + i), now, 1024, buf,
			    sizeof(buf));
			if (w > l->want[k])
				l->want[k] = w;
		}
	}
}

/*
 * What a column needs at the least: its width, or for a flexible one its
 * minimum (10 when the pane gives none).
 */
static int
col_min(const struct pane_desc *desc, int i)
{
	const struct screen_col	*sc = &desc->screen[i];
	int			 w = desc->columns[sc->column].width;

	if (w != 0)
		return w;
	return sc->min > 0 ? sc->min : 10;
}

static int
is_flex(const struct pane_desc *desc, int i)
{
	return desc->columns[desc->screen[i].column].width == 0;
}

/*
 * Drop the columns the pane gives up first (the highest drop) until the
 * rest fit at their minimum; a flexible column dropped that way comes back
 * narrower if 10 columns are left.  The fixed ones get their width, the
 * flexible ones their minimum and a share of what is left: what their cells
 * want, the first 55 % when they all want more than there is.  Only the
 * row's identity is ever cut below that, at the right edge.
 */
static void
layout(const struct pane_desc *desc, int cols, struct layout *l)
{
	int	 keep[32], minw[32], n, i, k, need, worst, rest, extra,
		 nflex, share, more, w;

	n = desc->nscreen < 32 ? (int)desc->nscreen : 32;
	cols -= 1;			/* the tag mark */
	need = 0;
	for (i = 0; i < n; i++) {
		keep[i] = 1;
		minw[i] = col_min(desc, i);
		need += minw[i] + 1;
	}
	while (need > cols) {
		for (worst = -1, i = 0; i < n; i++)
			if (keep[i] && desc->screen[i].drop > 0 &&
			    (worst < 0 ||
			    desc->screen[i].drop >= desc->screen[worst].drop))
				worst = i;
		if (worst < 0)
			break;
		keep[worst] = 0;
		need -= minw[worst] + 1;
	}
	while (need + 11 <= cols) {
		for (worst = -1, i = 0; i < n; i++)
			if (!keep[i] && is_flex(desc, i) && (worst < 0 ||
			    desc->screen[i].drop < desc->screen[worst].drop))
				worst = i;
		if (worst < 0)
			break;
		keep[worst] = 1;
		minw[worst] = cols - need - 1;
		need = cols;
	}
	extra = cols - need;
	nflex = 0;
	for (i = 0; i < n; i++)
		if (keep[i] && is_flex(desc, i))
			nflex++;
	l->n = 0;
	rest = cols;
	for (i = 0; i < n; i++) {
		if (!keep[i])
			continue;
		w = minw[i];
		if (is_flex(desc, i)) {
			share = extra;
			if (nflex > 1) {
				more = 0;
				for (k = i + 1; k < n; k++)
					if (keep[k] && is_flex(desc, k) &&
					    l->want[k] > minw[k])
						more += l->want[k] - minw[k];
				share = extra * 55 / 100;
				if (extra - more > share)
					share = extra - more;
				if (share > l->want[i] - w)
					share = l->want[i] - w;
			}
			if (share > 0) {
				w += share;
				extra -= share;
			}
			nflex--;
		}
		if (w > rest - 1)
			w = rest - 1;
		if (w < 1)
			break;
		l->col[l->n] = i;
		l->width[l->n++] = w;
		rest -= w + 1;
	}
}

/* What an empty table says: why, when the provider knows. */
static const char *
empty_text(const struct table *t, const struct pane_desc *desc, char *buf,
    size_t len)
{
	if (t->filter != NULL && t->rs != NULL && t->rs->nrows > 0)
		return "(no rows match the filter)";
	buf[0] = '\0';
	if (desc->empty_reason != NULL)
		desc->empty_reason(ui.panes[ui.cur].st, buf, len);
	return buf[0] != '\0' ? buf : "(empty)";
}

void
draw_table(int y)
{
	struct pane		*p = &ui.panes[ui.cur];
	struct table		*t = cur_table();
	const struct pane_desc	*desc = cur_desc();
	const struct screen_col	*sc;
	const struct column	*c;
	const struct row	*r;
	struct layout		 l;
	char			 title[64], empty[512];
	time_t			 now = p->data_time ? p->data_time : wallclock_now();
	size_t			 height, i;
	int			 k, x, w, tagged, mark, cls, rev, lead;

	height = LINES - 2 > y ? (size_t)(LINES - 2 - y) : 0;
	table_scroll(t, height);
	/* the tag mark; a pane with marks, theirs and a space (on a screen
	 * too narrow for them, the columns matter more) */
	lead = desc->nmarks > 0 && COLS >= MARKS_MIN_COLS ? 3 : 1;
	if (lead > 1)
		ui_links_update();
	layout_want(desc, t, height, now, &l);
	layout(desc, COLS - lead + 1, &l);
	attron(A_REVERSE);
	mvhline(y, 0, ' ', COLS);
	x = lead;
	for (k = 0; k < l.n; k++) {
		if (l.width[k] < 0)
			continue;
		c = &desc->columns[desc->screen[l.col[k]].column];
		glyph_text(desc->screen[l.col[k]].title, title, sizeof(title));
		w = sanitize_width(title, strlen(title));
		if (w > l.width[k])
			w = l.width[k];
		/* the sort column stands out; R shows as a trailing '-' */
		if (l.col[k] == t->sort_col)
			attron(A_BOLD | A_UNDERLINE);
		rev = l.col[k] == t->sort_col && t->sort_rev;
		/* the '-' stays inside the column */
		if (rev && w == l.width[k] && w > 1)
			w--;
		put_str(y, (c->flags & COL_RIGHT) ? x + l.width[k] - w -
		    rev : x, title, w);
		if (rev)
			addch('-');
		attroff(A_BOLD | A_UNDERLINE);
		x += l.width[k] + 1;
	}
	attroff(A_REVERSE);
	y++;

	for (i = 0; i < height && t->top + i < t->nview; i++) {
		r = table_row_at(t, t->top + i);
		tagged = table_is_tagged(t, r);
		if (t->top + i == t->cursor)
			attron(A_REVERSE);
		if (tagged || (desc->row_alert != NULL && desc->row_alert(r)))
			attron(A_BOLD);
		cls = desc->row_class != NULL ? desc->row_class(r) : 0;
		/* without colour, what is blocked still stands out */
		if (!ui.colours && cls == ROW_BAD)
			attron(A_BOLD);
		if (!ui.colours)
			cls = 0;
		if (cls > 0)
			attron(COLOR_PAIR(cls));
		mvhline(y + (int)i, 0, ' ', COLS);
		if (tagged)
			mvaddch(y + (int)i, 0, '*');
		else if (desc->row_mark != NULL && (mark = desc->row_mark(p->st, r)))
			mvaddch(y + (int)i, 0, (chtype)mark);
		if (lead > 1 && (mark = links_mark(&ui.links, desc,
		    p->st, r, NULL)) != 0)
			mvaddch(y + (int)i, 1, (chtype)mark);
		x = lead;
		for (k = 0; k < l.n; k++) {
			if (l.width[k] < 0)
				continue;
			sc = &desc->screen[l.col[k]];
			put_cell(y + (int)i, x, sc, &desc->columns[sc->column],
			    r, now, l.width[k]);
			x += l.width[k] + 1;
		}
		attroff(A_REVERSE | A_BOLD);
		if (cls > 0)
			attroff(COLOR_PAIR(cls));
	}
	if (t->nview == 0 && p->rows != NULL)
		put_str(y, 1, empty_text(t, desc, empty, sizeof(empty)),
		    COLS - 1);
}
