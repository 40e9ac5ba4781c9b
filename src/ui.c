/*
 * The full-screen interface: tabs, header, the generic table, detail and help
 * views, prompts and the status line.  Knows panes, tables and actions; knows
 * nothing of any one provider.
 */
#include "config.h"

#include <sys/ioctl.h>

#include <curses.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <event2/event.h>

#include "action.h"
#include "conf.h"
#include "cut.h"
#include "hint.h"
#include "pane.h"
#include "proc.h"
#include "sanitize.h"
#include "table.h"
#include "ui.h"
#include "wallclock.h"

#define MAX_PANES	5
#define DETAIL_MAX	(256 * 1024)
#ifndef CTRL
#define CTRL(c)		((c) & 0x1f)
#endif

enum mode {
	MODE_TABLE,
	MODE_HELP,
	MODE_DETAIL,
	MODE_FILTER,
	MODE_CONFIRM,
};

struct detail {
	char		**lines;	/* raw, sanitized when drawn */
	size_t		  nlines;
	size_t		  top;		/* first screen line shown */
	size_t		  nscreen;	/* screen lines last drawn */
	struct job	 *job;
	char		 *out;
	size_t		  outlen;
	int		  loading;
	char		  prog[256];	/* for the doas.conf hint */
};

static struct ui {
	struct event_base	*base;
	struct pane		*panes;
	size_t			 npanes;
	size_t			 cur;
	struct table		 tables[MAX_PANES];
	unsigned		 seen_gen[MAX_PANES];
	/* a provider's grouped view: a provider made of the view, its rows */
	int			 grouped[MAX_PANES];
	struct provider		 vprov[MAX_PANES];
	struct table		 vtables[MAX_PANES];
	struct rowset		*vrows[MAX_PANES];
	const struct conf	*conf;
	enum mode		 mode;
	int			 active;	/* curses is on */
	int			 quit;
	int			 updates_left;	/* -n */
	struct event		*keyev;
	struct event		*tick;
	struct event		*winch;
	char			 status[1024];
	double			 status_time;
	size_t			 status_pane;	/* the pane it spoke of */
	unsigned		 status_gen;	/* and that pane's read */
	int			 status_is_outcome;	/* of an action */
	char			 input[256];	/* filter being typed */
	char			 filter_err[300];
	size_t			 inlen;
	struct action_plan	 plan;		/* waiting for y/N */
	char			 prompt[256];
	int			 colours;	/* the terminal has them */
	char			 jump_ref[128];	/* a jump looking for this */
	int			 jump_key;
	unsigned		 jump_wait;	/* panes it waits for, a bit each */
	struct detail		 detail;
	size_t			 help_top;
	/* the last action: where its cursor row went, and its tags */
	struct {
		size_t		 pane;
		int		 grouped;
		char		*key;		/* the cursor row's, NULL: tags */
		char		 name[300];	/* "envelope 0862d5e211583af9" */
		int		 tagged;	/* it took the tags */
		int		 wait;		/* for the read after it */
		unsigned	 gen;
	} act;
} ui;

#define HELP_HINT	"? for help, q to quit"

static void	draw(void);
static void	jump_check(size_t);
static void	action_done(const char *, void *);
static void	action_check_cursor(size_t);

/* The table and the provider description of what the pane shows now. */
static struct table *
cur_table(void)
{
	return ui.grouped[ui.cur] ? &ui.vtables[ui.cur] : &ui.tables[ui.cur];
}

static const struct provider *
cur_prov(void)
{
	return ui.grouped[ui.cur] ? &ui.vprov[ui.cur] : ui.panes[ui.cur].prov;
}

static void
view_rebuild(size_t i)
{
	const struct view	*v = ui.panes[i].prov->view;
	struct rowset		*rs;

	if (!ui.grouped[i] || v == NULL)
		return;
	rs = ui.panes[i].rows == NULL ? NULL : v->build(ui.panes[i].st,
	    ui.panes[i].rows, ui.panes[i].data_time);
	table_set_rows(&ui.vtables[i], rs);
	rowset_free(ui.vrows[i]);
	ui.vrows[i] = rs;
}

static void
view_toggle(void)
{
	const struct provider	*prov = ui.panes[ui.cur].prov;
	const struct view	*v = prov->view;
	struct provider		*vp = &ui.vprov[ui.cur];

	if (ui.grouped[ui.cur]) {
		ui.grouped[ui.cur] = 0;
		table_set_rows(&ui.vtables[ui.cur], NULL);
		rowset_free(ui.vrows[ui.cur]);
		ui.vrows[ui.cur] = NULL;
		return;
	}
	*vp = *prov;
	vp->title = v->title;
	vp->noun = v->noun;
	vp->columns = v->columns;
	vp->ncolumns = v->ncolumns;
	vp->screen = v->screen;
	vp->nscreen = v->nscreen;
	vp->sort_column = v->sort_column;
	vp->actions = v->actions;
	vp->nactions = v->nactions;
	vp->row_alert = NULL;
	vp->row_mark = NULL;
	vp->detail_argv = NULL;
	vp->detail_lines = NULL;
	vp->row_class = NULL;
	vp->refer = NULL;
	vp->quick_sort_key = 0;
	vp->view = NULL;
	if (ui.vtables[ui.cur].prov == NULL) {
		table_init(&ui.vtables[ui.cur], vp);
		ui.vtables[ui.cur].sort_rev = v->sort_reverse;
	}
	ui.grouped[ui.cur] = 1;
	view_rebuild(ui.cur);
}

void
ui_end(void)
{
	if (ui.active) {
		ui.active = 0;
		endwin();
	}
}

static void
set_status(const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	vsnprintf(ui.status, sizeof(ui.status), fmt, ap);
	va_end(ap);
	ui.status_time = mono_now();
	ui.status_is_outcome = 0;
	ui.status_pane = ui.cur;
	ui.status_gen = ui.panes != NULL ? ui.panes[ui.cur].generation : 0;
}

/* Untrusted text at y, x, at most width columns; returns columns used. */
static int
put_text(int y, int x, const char *s, size_t len, int width)
{
	char	 buf[4096];
	int	 w;

	if (width <= 0)
		return 0;
	w = sanitize_screen(s, len, buf, sizeof(buf), width, NULL);
	mvaddstr(y, x, buf);
	return w;
}

static int
put_str(int y, int x, const char *s, int width)
{
	return put_text(y, x, s, strlen(s), width);
}

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
	int	 col[32];		/* index into prov->screen */
	int	 width[32];
	int	 n;
	int	 want[32];		/* by screen column: the widest cell
					 * shown, for the flexible ones */
};

/* What the flexible columns of the rows on screen would take whole. */
static void
layout_want(const struct provider *prov, const struct table *t,
    size_t height, time_t now, struct layout *l)
{
	const struct screen_col	*sc;
	const struct column	*c;
	char			 buf[8192];
	size_t			 i;
	int			 k, w;

	for (k = 0; k < (int)prov->nscreen && k < 32; k++) {
		sc = &prov->screen[k];
		c = &prov->columns[sc->column];
		l->want[k] = 0;
		if (c->width != 0)
			continue;
		for (i = 0; i < height && t->top + i < t->nview; i++) {
			w = cell_fit(sc, c, t->view[t->top + i], now, 1024, buf,
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
col_min(const struct provider *prov, int i)
{
	const struct screen_col	*sc = &prov->screen[i];
	int			 w = prov->columns[sc->column].width;

	if (w != 0)
		return w;
	return sc->min > 0 ? sc->min : 10;
}

static int
is_flex(const struct provider *prov, int i)
{
	return prov->columns[prov->screen[i].column].width == 0;
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
layout(const struct provider *prov, int cols, struct layout *l)
{
	int	 keep[32], minw[32], n, i, k, need, worst, rest, extra,
		 nflex, share, more, w;

	n = prov->nscreen < 32 ? (int)prov->nscreen : 32;
	cols -= 1;			/* the tag mark */
	need = 0;
	for (i = 0; i < n; i++) {
		keep[i] = 1;
		minw[i] = col_min(prov, i);
		need += minw[i] + 1;
	}
	while (need > cols) {
		for (worst = -1, i = 0; i < n; i++)
			if (keep[i] && prov->screen[i].drop > 0 &&
			    (worst < 0 ||
			    prov->screen[i].drop >= prov->screen[worst].drop))
				worst = i;
		if (worst < 0)
			break;
		keep[worst] = 0;
		need -= minw[worst] + 1;
	}
	while (need + 11 <= cols) {
		for (worst = -1, i = 0; i < n; i++)
			if (!keep[i] && is_flex(prov, i) && (worst < 0 ||
			    prov->screen[i].drop < prov->screen[worst].drop))
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
		if (keep[i] && is_flex(prov, i))
			nflex++;
	l->n = 0;
	rest = cols;
	for (i = 0; i < n; i++) {
		if (!keep[i])
			continue;
		w = minw[i];
		if (is_flex(prov, i)) {
			share = extra;
			if (nflex > 1) {
				more = 0;
				for (k = i + 1; k < n; k++)
					if (keep[k] && is_flex(prov, k) &&
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

static void
draw_tabs(void)
{
	static const char *const names[MAX_PANES] = {
		"queue", "greylist", "whitelist", "verdicts", "quarantine"
	};
	char		 clock[16], tab[32];
	time_t		 now = wallclock_now();
	struct tm	*tm = localtime(&now);
	size_t		 i;
	int		 room;

	strftime(clock, sizeof(clock), "%H:%M:%S", tm);
	/* the clock only where the tabs leave room for it */
	room = COLS - (int)strlen(clock) - 1;
	move(0, 0);
	attron(A_BOLD);
	put_str(0, 0, "mhtop", COLS);
	attroff(A_BOLD);
	if (ui.conf->demo)
		put_str(0, getcurx(stdscr), " [demo]", COLS - getcurx(stdscr));
	if (ui.conf->readonly)
		put_str(0, getcurx(stdscr), " [read-only]",
		    COLS - getcurx(stdscr));
	for (i = 0; i < MAX_PANES; i++) {
		snprintf(tab, sizeof(tab), "%zu:%s", i + 1, i >= ui.npanes ?
		    names[i] : ui.grouped[i] ? ui.vprov[i].title :
		    ui.panes[i].prov->title);
		if (getcurx(stdscr) + 2 + (int)strlen(tab) > COLS)
			break;
		addstr("  ");
		if (i == ui.cur)
			attron(A_REVERSE);
		else if (i >= ui.npanes)
			attron(A_DIM);
		addstr(tab);
		attroff(A_REVERSE | A_DIM);
		if (getcurx(stdscr) == 0)	/* wrapped: cannot happen */
			break;
	}
	if (getcurx(stdscr) < room)
		mvaddstr(0, COLS - (int)strlen(clock), clock);
}

/* The summary, then one line on the age and health of the data. */
static int
draw_header(int y)
{
	struct pane	*p = &ui.panes[ui.cur];
	struct table	*t = cur_table();
	char		 sum[1024], line[1024], age[32], when[16], *s, *nl;
	time_t		 now = wallclock_now();
	size_t		 n = 0, len = sizeof(line);
	struct tm	*tm;

	/* as of the data, like the rows: "oldest" never contradicts AGE */
	p->prov->summary(p->st, p->rows, p->data_time ? p->data_time : now,
	    sum, sizeof(sum));
	/* on a small screen the rows matter more than the summary */
	for (s = sum; s != NULL && LINES >= 8 && y < LINES - 3; s = nl) {
		if ((nl = strchr(s, '\n')) != NULL)
			*nl++ = '\0';
		/* a provider marks a line that needs attention with '!' */
		if (*s == '!') {
			attron(A_BOLD);
			s++;
		}
		put_str(y++, 0, s, COLS);
		attroff(A_BOLD);
	}

	line[0] = '\0';
#define ADD(...) do {							\
	int	 k_ = snprintf(line + n, len - n, __VA_ARGS__);		\
	if (k_ > 0)							\
		n = (size_t)k_ >= len - n ? len - 1 : n + k_;		\
} while (0)
	if (p->rows != NULL) {
		tm = localtime(&p->data_time);
		strftime(when, sizeof(when), "%H:%M:%S", tm);
		fmt_duration(now - p->data_time, age, sizeof(age));
	}
	if (p->frozen)
		ADD("FROZEN  ");
	if (pane_stale(p)) {
		if (p->error[0] == '\0') {
			char	 el[32];

			fmt_duration((int64_t)pane_poll_elapsed(p), el,
			    sizeof(el));
			ADD("STALE: no answer for %s", el);
		} else
			ADD("STALE: the last read failed");
		if (p->rows != NULL)
			ADD(" - showing data from %s (%s old)  ", when, age);
		else
			ADD(" - no data yet  ");
	} else if (p->rows != NULL)
		ADD("data %s (%s old)  ", when, age);
	if (p->polling && pane_poll_elapsed(p) >= 0.5) {
		char	 el[32];

		fmt_duration((int64_t)pane_poll_elapsed(p), el, sizeof(el));
		ADD("reading... %zu %ss (%s)  ", p->prov->progress(p->st),
		    p->prov->noun, el);
	} else if (p->rows == NULL && !pane_stale(p))
		ADD("reading...  ");
	/* a slow or hung read pushes the next one back: say how far */
	if (!p->polling && p->next_poll > 0 &&
	    p->next_poll - mono_now() > poll_interval + 1) {
		char	 left[32], took[32];

		fmt_duration((int64_t)(p->next_poll - mono_now() + 0.5), left,
		    sizeof(left));
		fmt_duration((int64_t)(p->last_duration + 0.5), took,
		    sizeof(took));
		ADD("next read in %s (the last %s %s; Ctrl-R reads now)  ",
		    left, p->killed ? "was killed after" : "took", took);
	}
	if (p->rows != NULL && p->rows->nbad > 0)
		ADD("%zu unparsable line%s  ", p->rows->nbad,
		    p->rows->nbad == 1 ? "" : "s");
	if (t->filter != NULL)
		ADD("filter: %s (%zu of %zu)  ", t->filter, t->nview,
		    p->rows ? p->rows->nrows : 0);
	if (t->tags.n > 0)
		ADD("%zu tagged  ", t->tags.n);
#undef ADD
	if (pane_stale(p) || p->frozen)
		attron(A_BOLD);
	put_str(y++, 0, line, COLS);
	attroff(A_BOLD);
	/* why it failed, in full: it often names the fix (a doas.conf rule) */
	if (p->error[0] != '\0' && y < LINES - 3) {
		size_t	 elen = strlen(p->error), off = 0, used;
		char	 buf[2048];
		int	 k;

		for (k = 0; k < 3 && off < elen && y < LINES - 3; k++) {
			sanitize_screen(p->error + off, elen - off, buf,
			    sizeof(buf), COLS - 1, &used);
			if (used == 0)
				break;
			/* wrapped between words, as long as a word fits */
			if (off + used < elen && p->error[off + used] != ' ') {
				size_t	 sp = used;

				while (sp > used / 2 && p->error[off + sp - 1] !=
				    ' ')
					sp--;
				if (sp > used / 2) {
					used = sp;
					sanitize_screen(p->error + off, used, buf,
					    sizeof(buf), COLS - 1, NULL);
				}
			}
			attron(A_BOLD);
			mvaddstr(y++, 0, buf);
			attroff(A_BOLD);
			off += used;
		}
	}
	return y;
}

/* What an empty table says: why, when the provider knows. */
static const char *
empty_text(const struct table *t, const struct provider *prov, char *buf,
    size_t len)
{
	if (t->filter != NULL && t->rs != NULL && t->rs->nrows > 0)
		return "(no rows match the filter)";
	buf[0] = '\0';
	if (prov->empty_reason != NULL)
		prov->empty_reason(ui.panes[ui.cur].st, buf, len);
	return buf[0] != '\0' ? buf : "(empty)";
}

static void
draw_table(int y)
{
	struct pane		*p = &ui.panes[ui.cur];
	struct table		*t = cur_table();
	const struct provider	*prov = cur_prov();
	const struct screen_col	*sc;
	const struct column	*c;
	const struct row	*r;
	struct layout		 l;
	char			 title[64], empty[512];
	time_t			 now = p->data_time ? p->data_time : wallclock_now();
	size_t			 height, i;
	int			 k, x, w, tagged, mark, cls, rev;

	height = LINES - 2 > y ? (size_t)(LINES - 2 - y) : 0;
	table_scroll(t, height);
	layout_want(prov, t, height, now, &l);
	layout(prov, COLS, &l);
	attron(A_REVERSE);
	mvhline(y, 0, ' ', COLS);
	x = 1;
	for (k = 0; k < l.n; k++) {
		if (l.width[k] < 0)
			continue;
		c = &prov->columns[prov->screen[l.col[k]].column];
		glyph_text(prov->screen[l.col[k]].title, title, sizeof(title));
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
		r = t->view[t->top + i];
		tagged = table_is_tagged(t, r);
		if (t->top + i == t->cursor)
			attron(A_REVERSE);
		if (tagged || (prov->row_alert != NULL && prov->row_alert(r)))
			attron(A_BOLD);
		cls = prov->row_class != NULL ? prov->row_class(r) : 0;
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
		else if (prov->row_mark != NULL && (mark = prov->row_mark(r)))
			mvaddch(y + (int)i, 0, (chtype)mark);
		x = 1;
		for (k = 0; k < l.n; k++) {
			if (l.width[k] < 0)
				continue;
			sc = &prov->screen[l.col[k]];
			put_cell(y + (int)i, x, sc, &prov->columns[sc->column],
			    r, now, l.width[k]);
			x += l.width[k] + 1;
		}
		attroff(A_REVERSE | A_BOLD);
		if (cls > 0)
			attroff(COLOR_PAIR(cls));
	}
	if (t->nview == 0 && p->rows != NULL)
		put_str(y, 1, empty_text(t, prov, empty, sizeof(empty)),
		    COLS - 1);
}

/*
 * A status belongs to the moment it was said: once its pane has been read
 * again after the read that followed it, it says how old it is rather
 * than stand for the data now on screen.
 */
static void
draw_status_line(void)
{
	char	 line[sizeof(ui.status) + 64], age[32];
	double	 ago = mono_now() - ui.status_time;

	if (ui.status[0] == '\0' || ui.status_pane != ui.cur ||
	    ui.panes[ui.cur].generation <= ui.status_gen + 1 || ago < 3 ||
	    strcmp(ui.status, "running...") == 0 ||
	    strcmp(ui.status, HELP_HINT) == 0) {
		put_str(LINES - 1, 0, ui.status, COLS - 1);
		return;
	}
	fmt_duration((int64_t)ago, age, sizeof(age));
	snprintf(line, sizeof(line), "%s  (%s ago)", ui.status, age);
	put_str(LINES - 1, 0, line, COLS - 1);
}

static void
draw_status(void)
{
	move(LINES - 1, 0);
	clrtoeol();
	if (ui.mode == MODE_FILTER) {
		mvaddstr(LINES - 1, 0, "filter (~ for a regex): ");
		put_text(LINES - 1, getcurx(stdscr), ui.input, ui.inlen,
		    COLS - getcurx(stdscr) - 1);
		if (ui.filter_err[0] != '\0') {
			int	 x = getcurx(stdscr);

			attron(A_BOLD);
			put_str(LINES - 1, x + 2, ui.filter_err, COLS - x - 3);
			attroff(A_BOLD);
			move(LINES - 1, x);
		}
		return;
	}
	if (ui.mode == MODE_CONFIRM) {
		attron(A_BOLD);
		put_str(LINES - 1, 0, ui.prompt, COLS - 1);
		attroff(A_BOLD);
		return;
	}
	draw_status_line();
}

/* Lines of the help view. */
static size_t
help_lines(const char ***out)
{
	static const char *global[] = {
		"Global keys",
		"  1-5, Tab, Shift-Tab  switch panes (5 does not exist yet)",
		"  Up/Down, j/k         move",
		"  PgUp/PgDn            page up/down",
		"  Home/End, g/G        first/last row",
		"  Enter                details of the row",
		"  /                    filter: substring, or ~regex (PCRE2); Esc clears",
		"  < >                  sort by the previous/next column",
		"  R                    reverse the sort order",
		"  space                tag/untag the row (actions apply to tagged rows)",
		"  A                    tag every row shown (all the filter matches)",
		"  U                    untag all",
		"  F                    freeze/unfreeze this pane (others still read)",
		"  Ctrl-R, F5           read the pane now",
		"  Ctrl-L               redraw",
		"  ?                    this help",
		"  q                    quit",
		"",
	};
	static char		 buf[32][160];
	static const char	*lines[64];
	const struct provider	*prov = cur_prov();
	const struct view	*v = ui.panes[ui.cur].prov->view;
	size_t			 n = 0, i, k;

	for (i = 0; i < nitems(global); i++)
		lines[n++] = global[i];
	snprintf(buf[0], sizeof(buf[0]), "Keys of the %s pane%s", prov->title,
	    ui.conf->readonly ? " (read-only: none of them runs)" : "");
	lines[n++] = buf[0];
	for (i = 0; i < prov->nactions && i + 2 < nitems(buf); i++) {
		unsigned	 f = prov->actions[i].flags;
		const char	*ask = "";

		if ((f & ACT_CONFIRM) || (ui.conf->confirm_risky &&
		    (f & ACT_RISKY)))
			ask = ", asks first";
		else if (ui.conf->confirm_risky && (f & ACT_RISKY_MANY))
			ask = ", asks first for more than one";
		snprintf(buf[i + 1], sizeof(buf[i + 1]), "  %c                    %s%s",
		    prov->actions[i].key, prov->actions[i].label, ask);
		lines[n++] = buf[i + 1];
	}
	if (v != NULL) {
		snprintf(buf[i + 1], sizeof(buf[i + 1]), "  %c                    %s",
		    v->key, v->label);
		lines[n++] = buf[++i];
	}
	for (k = 0; prov->help != NULL && prov->help[k] != NULL &&
	    i + 2 < nitems(buf); k++) {
		snprintf(buf[i + 1], sizeof(buf[i + 1]), "  %s", prov->help[k]);
		lines[n++] = buf[++i];
	}
	*out = lines;
	return n;
}

/* Lines of text on screen between the tab line and the status line. */
static size_t
text_rows(void)
{
	return LINES > 2 ? (size_t)LINES - 2 : 1;
}

/* Where a scrolled text is, and that there is more: the status line. */
static void
scroll_status(const char *what, size_t top, size_t total)
{
	size_t	 last = top + text_rows();

	if (total <= text_rows()) {
		set_status("%s; q or Esc closes", what);
		return;
	}
	if (last > total)
		last = total;
	set_status("%s, lines %zu-%zu of %zu%s; j/k, PgDn/PgUp, g/G; q closes",
	    what, top + 1, last, total, last < total ? " -- more --" : "");
}

/* The keys that scroll the help and the detail view; 1 if ch was one. */
static int
scroll_key(int ch, size_t *top, size_t total)
{
	size_t	 page = text_rows(), max;

	max = total > page ? total - page : 0;
	switch (ch) {
	case KEY_DOWN:
	case 'j':
		*top += 1;
		break;
	case KEY_UP:
	case 'k':
		*top = *top > 0 ? *top - 1 : 0;
		break;
	case KEY_NPAGE:
	case ' ':
	case CTRL('f'):
		*top += page;
		break;
	case KEY_PPAGE:
	case CTRL('b'):
		*top = *top > page ? *top - page : 0;
		break;
	case KEY_HOME:
	case 'g':
		*top = 0;
		break;
	case KEY_END:
	case 'G':
		*top = max;
		break;
	default:
		return 0;
	}
	if (*top > max)
		*top = max;
	return 1;
}

static void
draw_help(void)
{
	const char	**lines;
	size_t		  n = help_lines(&lines), i;
	int		  y;

	if (ui.help_top + text_rows() > n)
		ui.help_top = n > text_rows() ? n - text_rows() : 0;
	for (i = ui.help_top, y = 1; i < n && y < LINES - 1; i++, y++)
		put_str(y, 1, lines[i], COLS - 1);
	scroll_status("help", ui.help_top, n);
}

/* Wrap raw detail lines to the screen width while drawing. */
static void
draw_detail(void)
{
	struct detail	*d = &ui.detail;
	char		 buf[4096];
	size_t		 i, used, skip = 0, off;
	int		 y = 1, width = COLS - 2;

	if (width < 8)
		width = 8;
	d->nscreen = 0;
	for (i = 0; i < d->nlines; i++) {
		const char	*s = d->lines[i];
		size_t		 len = strlen(s);

		off = 0;
		do {
			sanitize_screen(s + off, len - off, buf, sizeof(buf),
			    width, &used);
			if (used == 0 && off < len)
				used = len - off;	/* cannot happen: safety */
			if (skip++ >= d->top && y < LINES - 1)
				mvaddstr(y++, 1, buf);
			d->nscreen++;
			off += used;
		} while (off < len);
	}
	if (d->loading && y < LINES - 1)
		mvaddstr(y, 1, "(loading...)");
	scroll_status("details", d->top, d->nscreen);
}

static void
draw(void)
{
	int	 y;

	if (!ui.active)
		return;
	erase();
	draw_tabs();
	switch (ui.mode) {
	case MODE_HELP:
		draw_help();
		break;
	case MODE_DETAIL:
		draw_detail();
		break;
	default:
		y = draw_header(1);
		if (y < LINES - 1)
			draw_table(y);
		break;
	}
	draw_status();
	if (ui.mode == MODE_FILTER)
		curs_set(1);	/* draw_status left it after the input */
	else {
		curs_set(0);
		move(LINES - 1, COLS - 1);
	}
	refresh();
}

static void
pane_updated(struct pane *p, void *arg)
{
	size_t	 i = (size_t)(p - ui.panes);

	(void)arg;
	if (ui.seen_gen[i] != p->generation) {
		ui.seen_gen[i] = p->generation;
		table_set_rows(&ui.tables[i], p->rows);
		view_rebuild(i);
		action_check_cursor(i);
		/* never over an action's outcome: that re-poll drops its tags */
		if (ui.tables[i].pruned > 0 && i == ui.cur &&
		    !(ui.status_is_outcome && mono_now() - ui.status_time < 10))
			set_status("%zu tag%s dropped: no longer in the %s",
			    ui.tables[i].pruned, ui.tables[i].pruned == 1 ?
			    "" : "s", p->prov->title);
	}
	if (ui.jump_wait != 0)
		jump_check(i);
	if (i == ui.cur && ui.updates_left > 0 && --ui.updates_left == 0)
		ui.quit = 1;
	if (ui.quit)
		event_base_loopbreak(ui.base);
	draw();
}

/* Run the plan; remember the cursor row and the tags it takes. */
static void
run_plan(struct pane *p)
{
	struct table		*t = cur_table();
	const struct row	*r = table_cursor_row(t);
	char			 ids[256];

	free(ui.act.key);
	memset(&ui.act, 0, sizeof(ui.act));
	ui.act.pane = ui.cur;
	ui.act.grouped = ui.grouped[ui.cur];
	ui.act.tagged = t->tags.n > 0;
	if (!ui.act.tagged && r != NULL && (ui.plan.act->flags & ACT_ROWS)) {
		ui.act.key = xstrdup(r->key);
		action_targets(&ui.plan, ids, sizeof(ids));
		snprintf(ui.act.name, sizeof(ui.act.name), "%s %s",
		    ui.plan.act->noun, ids);
	}
	set_status("running...");
	action_run(&ui.plan, p, action_done, NULL);
}

static void
action_done(const char *msg, void *arg)
{
	struct table	*t = ui.act.grouped ? &ui.vtables[ui.act.pane] :
	    &ui.tables[ui.act.pane];

	(void)arg;
	if (ui.act.tagged) {
		/* the tags were the action's: done with them */
		table_untag_all(t);
		set_status("%.1000s; tags cleared", msg);
	} else
		set_status("%.1000s", msg);
	ui.status_is_outcome = 1;
	ui.act.wait = ui.act.key != NULL;
	ui.act.gen = ui.panes[ui.act.pane].generation;
	draw();
}

/* After the read that follows an action: is the cursor's row still there? */
static void
action_check_cursor(size_t i)
{
	struct table	*t = ui.act.grouped ? &ui.vtables[i] : &ui.tables[i];
	size_t		 k;
	int		 found = 0;

	if (!ui.act.wait || i != ui.act.pane ||
	    ui.panes[i].generation == ui.act.gen)
		return;
	ui.act.wait = 0;
	for (k = 0; t->rs != NULL && k < t->rs->nrows && !found; k++)
		found = strcmp(t->rs->rows[k]->key, ui.act.key) == 0;
	/* say so, rather than let the cursor land on another row unsaid */
	if (!found && ui.status_is_outcome && i == ui.cur) {
		char	 was[sizeof(ui.status)];

		xstrlcpy(was, ui.status, sizeof(was));
		set_status("%.700s; %s is no longer in the %s", was,
		    ui.act.name, ui.panes[i].prov->title);
		ui.status_is_outcome = 1;
	}
}

/* Detail view. */

static void
detail_clear(void)
{
	struct detail	*d = &ui.detail;
	size_t		 i;

	if (d->job != NULL)
		proc_cancel(d->job);
	for (i = 0; i < d->nlines; i++)
		free(d->lines[i]);
	free(d->lines);
	free(d->out);
	memset(d, 0, sizeof(*d));
}

static void
detail_add(const char *s, size_t len)
{
	struct detail	*d = &ui.detail;
	char		*line = xmalloc(len + 1);

	memcpy(line, s, len);
	line[len] = '\0';
	d->lines = xreallocarray(d->lines, d->nlines + 1, sizeof(*d->lines));
	d->lines[d->nlines++] = line;
}

static void
detail_add_cb(void *arg, const char *s, size_t len)
{
	(void)arg;
	detail_add(s, len);
}

static void
detail_out(void *arg, const char *buf, size_t len)
{
	struct detail	*d = arg;

	if (d->outlen + len > DETAIL_MAX)
		len = DETAIL_MAX - d->outlen;
	d->out = xreallocarray(d->out, d->outlen + len + 1, 1);
	memcpy(d->out + d->outlen, buf, len);
	d->outlen += len;
}

static void
detail_done(void *arg, int status, const char *err)
{
	struct detail	*d = arg;
	char		*s, *nl, *end;
	char		 msg[128];

	d->job = NULL;
	d->loading = 0;
	if (d->out != NULL) {
		end = d->out + d->outlen;
		for (s = d->out; s < end; s = nl + 1) {
			if ((nl = memchr(s, '\n', end - s)) == NULL)
				nl = end;
			detail_add(s, nl - s);
		}
	}
	if (status != 0) {
		char	 why[1024];

		/* a killed command's err says so */
		if (status != PROC_KILLED) {
			snprintf(msg, sizeof(msg), "(exit %d)", status);
			detail_add(msg, strlen(msg));
		}
		for (s = (char *)err; *s != '\0'; s = *nl ? nl + 1 : nl) {
			nl = s + strcspn(s, "\n");
			detail_add(s, nl - s);
		}
		explain_failure(err, d->prog, NULL, why, sizeof(why));
		if (strcmp(why, err) != 0 && strchr(why, '[') != NULL)
			detail_add(strchr(why, '['), strlen(strchr(why, '[')));
	}
	draw();
}

static void
detail_open(void)
{
	struct pane		*p = &ui.panes[ui.cur];
	struct table		*t = cur_table();
	const struct provider	*prov = cur_prov();
	const struct column	*c;
	const struct row	*r = table_cursor_row(t);
	const char		*argv[32];
	char			 val[8192], line[8400], human[128];
	size_t			 i;
	unsigned		 show;
	int			 namew;
	char			*cmd;

	if (r == NULL) {
		set_status("no %s under the cursor", prov->noun);
		return;
	}
	detail_clear();
	/* a title the operator reads: the row's label, and its key when
	 * that is one word (an evpid; a verdict's key is not) */
	if (prov->row_label != NULL) {
		char	 label[1024];

		prov->row_label(r, label, sizeof(label));
		if (strpbrk(r->key, " \n") == NULL)
			snprintf(line, sizeof(line), "%s %s: %s", prov->noun,
			    r->key, label);
		else
			snprintf(line, sizeof(line), "%s: %s", prov->noun,
			    label);
	} else
		snprintf(line, sizeof(line), "%s %s", prov->noun, r->key);
	/* keys may join parts with newlines: show them in a line */
	for (cmd = line; (cmd = strchr(cmd, '\n')) != NULL;)
		*cmd = ' ';
	detail_add(line, strlen(line));
	detail_add("", 0);
	/* the fields -b prints, or else (a grouped view) the screen's */
	for (i = 0, show = COL_SCREEN; i < prov->ncolumns; i++)
		if (prov->columns[i].flags & (COL_BATCH | COL_DETAIL))
			show = COL_BATCH | COL_DETAIL;
	/* the values in one column, after the longest name */
	for (i = 0, namew = 8; i < prov->ncolumns; i++)
		if ((prov->columns[i].flags & show) &&
		    (int)strlen(prov->columns[i].name) > namew)
			namew = (int)strlen(prov->columns[i].name);
	for (i = 0; i < prov->ncolumns; i++) {
		c = &prov->columns[i];
		if (!(c->flags & show))
			continue;
		if (c->type == COL_STR)
			xstrlcpy(val, r->cells[c->cell].s, sizeof(val));
		else if (r->cells[c->cell].i == CELL_NONE)
			snprintf(val, sizeof(val), "-");
		else
			snprintf(val, sizeof(val), "%lld",
			    (long long)r->cells[c->cell].i);
		human[0] = '\0';
		if ((c->flags & (COL_SCREEN | COL_DETAIL)) == COL_DETAIL &&
		    c->format != NULL) {
			char	 f[112];

			/* a column only the detail view shows: its words */
			if (c->format(r, p->data_time, f, sizeof(f)) > 0)
				snprintf(human, sizeof(human), "  (%s)", f);
		} else if (c->type == COL_TIME && r->cells[c->cell].i > 0) {
			time_t		 tt = (time_t)r->cells[c->cell].i;
			char		 f[48], date[32];

			strftime(date, sizeof(date), "%Y-%m-%d %H:%M:%S",
			    localtime(&tt));
			if (tt <= p->data_time) {
				fmt_duration(p->data_time - tt, f, sizeof(f));
				snprintf(human, sizeof(human), "  (%s ago, %s)",
				    f, date);
			} else {
				fmt_duration(tt - p->data_time, f, sizeof(f));
				snprintf(human, sizeof(human), "  (in %s, %s)",
				    f, date);
			}
		} else if (c->format != NULL && c->type != COL_STR) {
			char	 f[48];

			c->format(r, p->data_time, f, sizeof(f));
			snprintf(human, sizeof(human), "  (%s)", f);
		}
		snprintf(line, sizeof(line), "%-*s %s%s", namew, c->name, val,
		    human);
		detail_add(line, strlen(line));
	}
	if (prov->detail_lines != NULL)
		prov->detail_lines(p->st, r->key, detail_add_cb, NULL);
	if (prov->detail_argv != NULL &&
	    prov->detail_argv(p->st, r->key, argv, nitems(argv)) > 0) {
		detail_add("", 0);
		cmd = proc_argv_string(argv);
		snprintf(line, sizeof(line), "$ %s", cmd);
		free(cmd);
		detail_add(line, strlen(line));
		ui.detail.loading = 1;
		xstrlcpy(ui.detail.prog, argv[0], sizeof(ui.detail.prog));
		ui.detail.job = proc_run(argv, 30, detail_out, detail_done,
		    &ui.detail);
	}
	ui.mode = MODE_DETAIL;
	set_status("q or Esc closes; arrows, PgUp/PgDn scroll");
}

/* Keys. */

static void
switch_pane(size_t i)
{
	if (i >= ui.npanes) {
		set_status("pane %zu is not available yet", i + 1);
		return;
	}
	if (i == ui.cur)
		return;
	pane_park(&ui.panes[ui.cur], 1);
	ui.cur = i;
	ui.mode = MODE_TABLE;
	/* what was said of the other pane is not said of this one */
	set_status("");
	pane_park(&ui.panes[i], 0);
}

/*
 * a, Q: from a row to the row of another pane about the same message.
 * The other panes read afresh first (a pane off screen may never have read,
 * or long ago): the jump completes in pane_updated.
 */
static int
jump(int ch)
{
	struct pane		*p = &ui.panes[ui.cur];
	const struct provider	*prov = cur_prov();
	const struct row	*r = table_cursor_row(cur_table());
	size_t			 j;
	int			 k;

	if ((k = prov->refer(p->st, r != NULL ? r->key : NULL, ch, ui.jump_ref,
	    sizeof(ui.jump_ref))) == -1)
		return 0;
	if (r == NULL) {
		ui.jump_ref[0] = '\0';
		set_status("no %s under the cursor", prov->noun);
		return 1;
	}
	if (k == 0) {
		ui.jump_ref[0] = '\0';
		set_status("this %s names no message to look for", prov->noun);
		return 1;
	}
	ui.jump_key = ch;
	ui.jump_wait = 0;
	for (j = 0; j < ui.npanes; j++)
		if (j != ui.cur && ui.panes[j].prov->resolve != NULL)
			ui.jump_wait |= 1u << j;
	set_status("looking for %s...", ui.jump_ref);
	for (j = 0; j < ui.npanes; j++)
		if (ui.jump_wait & (1u << j))
			pane_poll_now(&ui.panes[j]);
	return 1;
}

/* A pane read afresh for a jump: is the message there? */
static void
jump_check(size_t i)
{
	struct pane	*q = &ui.panes[i];
	char		 key[1024];

	if (!(ui.jump_wait & (1u << i)) || q->partial)
		return;
	ui.jump_wait &= ~(1u << i);
	if (q->prov->resolve(q->st, q->rows, ui.jump_ref, key, sizeof(key))) {
		ui.jump_wait = 0;
		switch_pane(i);
		if (ui.grouped[i])
			view_toggle();
		if (table_cursor_to(&ui.tables[i], key) == -1)
			set_status("%s: filtered out here", ui.jump_ref);
		else
			set_status("%s", ui.jump_ref);
		return;
	}
	if (ui.jump_wait == 0)
		set_status("%s: in no other pane%s", ui.jump_ref,
		    ui.jump_key == 'Q' ? " (no longer queued?)" : "");
}

static void
start_action(const struct action *a)
{
	struct pane	*p = &ui.panes[ui.cur];
	struct table	*t = cur_table();
	char		 msg[512];

	if (action_busy()) {
		set_status("an action is still running");
		return;
	}
	if (action_plan(&ui.plan, a, t) == -1) {
		set_status("%s", ui.plan.error);
		return;
	}
	if (ui.conf->readonly) {
		action_describe(&ui.plan, p, msg, sizeof(msg));
		set_status("%s", msg);
		action_plan_free(&ui.plan);
		return;
	}
	if (action_plan_warn(&ui.plan, p->st) || (a->flags & ACT_CONFIRM) ||
	    (ui.conf->confirm_risky && ((a->flags & ACT_RISKY) ||
	    ((a->flags & ACT_RISKY_MANY) && ui.plan.nids > 1)))) {
		action_plan_count(&ui.plan, p->st);
		action_prompt(&ui.plan, cur_prov()->noun, ui.prompt,
		    sizeof(ui.prompt));
		ui.mode = MODE_CONFIRM;
		return;
	}
	run_plan(p);
}

static void
key_confirm(int ch)
{
	struct pane	*p = &ui.panes[ui.cur];

	ui.mode = MODE_TABLE;
	if (ch == 'y' || ch == 'Y') {
		run_plan(p);
	} else {
		action_plan_free(&ui.plan);
		set_status("cancelled: nothing changed");
	}
}

static void
key_filter(int ch)
{
	struct table	*t = cur_table();
	char		 err[300];

	switch (ch) {
	case '\n':
	case '\r':
	case KEY_ENTER:
		ui.input[ui.inlen] = '\0';
		if (table_set_filter(t, ui.input, err, sizeof(err)) == -1) {
			snprintf(ui.filter_err, sizeof(ui.filter_err), "%s",
			    err);
			return;		/* stay in the prompt to fix it */
		}
		ui.filter_err[0] = '\0';
		ui.mode = MODE_TABLE;
		set_status(ui.inlen ? "filter: %s" : "filter cleared",
		    ui.input);
		break;
	case 27:
		ui.mode = MODE_TABLE;
		ui.filter_err[0] = '\0';
		table_set_filter(t, NULL, NULL, 0);
		set_status("filter cleared");
		break;
	case KEY_BACKSPACE:
	case 127:
	case CTRL('h'):
		/* a whole character: in UTF-8, its continuation bytes too */
		while (ui.inlen > 0) {
			ch = (unsigned char)ui.input[--ui.inlen];
			if (MB_CUR_MAX == 1 || (ch & 0xc0) != 0x80)
				break;
		}
		break;
	case CTRL('u'):
		ui.inlen = 0;
		break;
	default:
		if (ch >= 0x20 && ch < 0x100 && ch != 0x7f &&
		    ui.inlen + 1 < sizeof(ui.input))
			ui.input[ui.inlen++] = (char)ch;
		break;
	}
	ui.input[ui.inlen] = '\0';
}

static void
key_detail(int ch)
{
	struct detail	*d = &ui.detail;

	switch (ch) {
	case 'q':
	case 27:
	case '\n':
	case '\r':
	case KEY_ENTER:
		detail_clear();
		ui.mode = MODE_TABLE;
		set_status("");
		break;
	default:
		scroll_key(ch, &d->top, d->nscreen);
		break;
	}
}

/* The help scrolls like the detail view; any other key closes it. */
static void
key_help(int ch)
{
	const char	**lines;

	if (scroll_key(ch, &ui.help_top, help_lines(&lines)))
		return;
	ui.mode = MODE_TABLE;
	set_status("");
}

static void
key_table(int ch)
{
	struct pane		*p = &ui.panes[ui.cur];
	struct table		*t = cur_table();
	const struct provider	*prov = cur_prov();
	const struct view	*v = p->prov->view;
	size_t			 page = LINES > 8 ? (size_t)LINES - 8 : 1, i;
	int			 r;

	/* b: "by"; g, G, j and k move in every pane */
	if (v != NULL && ch == v->key) {
		view_toggle();
		set_status(ui.grouped[ui.cur] ? "grouped: %s (%c again: back)" :
		    "ungrouped", v->title, v->key);
		return;
	}
	switch (ch) {
	case 'q':
		ui.quit = 1;
		return;
	case KEY_DOWN:
	case 'j':
		table_move(t, 1);
		return;
	case KEY_UP:
	case 'k':
		table_move(t, -1);
		return;
	case KEY_NPAGE:
	case CTRL('f'):
		table_move(t, (long)page);
		return;
	case KEY_PPAGE:
	case CTRL('b'):
		table_move(t, -(long)page);
		return;
	case KEY_HOME:
	case 'g':
		table_move_to(t, 0);
		return;
	case KEY_END:
	case 'G':
		table_move_to(t, t->nview ? t->nview - 1 : 0);
		return;
	case '\t':
		switch_pane((ui.cur + 1) % ui.npanes);
		return;
	case KEY_BTAB:
		switch_pane((ui.cur + ui.npanes - 1) % ui.npanes);
		return;
	case '1': case '2': case '3': case '4': case '5':
		switch_pane((size_t)(ch - '1'));
		return;
	case '?':
		ui.mode = MODE_HELP;
		ui.help_top = 0;
		return;
	case CTRL('l'):
		clearok(curscr, TRUE);
		return;
	case CTRL('r'):
	case KEY_F(5):
		if (p->frozen)
			set_status("frozen: F resumes the reads");
		else if (p->polling)
			set_status("a read is running");
		else {
			pane_poll_now(p);
			set_status("reading now");
		}
		return;
	case '/':
		ui.mode = MODE_FILTER;
		ui.inlen = t->filter ? strlen(t->filter) : 0;
		memcpy(ui.input, t->filter ? t->filter : "", ui.inlen);
		ui.input[ui.inlen] = '\0';
		return;
	case 27:
		if (t->filter != NULL) {
			table_set_filter(t, NULL, NULL, 0);
			set_status("filter cleared");
		}
		return;
	case '<':
		table_sort_step(t, -1);
		return;
	case '>':
		table_sort_step(t, 1);
		return;
	case 'R':
		table_sort_reverse(t);
		return;
	case ' ':
		if ((r = table_tag_toggle(t)) == -1)
			return;
		table_move(t, 1);
		set_status("%zu tagged", t->tags.n);
		return;
	case 'A':
		if (t->nview == 0) {
			set_status("no %s to tag", prov->noun);
			return;
		}
		table_tag_view(t);
		set_status("%zu tagged (%s)", t->tags.n, t->filter != NULL ?
		    "every row the filter shows" : "every row");
		return;
	case 'U':
		table_untag_all(t);
		set_status("all untagged");
		return;
	case 'F':
		pane_freeze(p, !p->frozen);
		if (p->frozen)
			set_status("frozen: no reads of the %s pane until F "
			    "(the other panes still read)", p->prov->title);
		else
			set_status("resumed: the %s pane reads again",
			    p->prov->title);
		return;
	case '\n':
	case '\r':
	case KEY_ENTER:
		detail_open();
		return;
	}
	for (i = 0; i < prov->nactions; i++)
		if (prov->actions[i].key == ch) {
			start_action(&prov->actions[i]);
			return;
		}
	if (prov->quick_sort_key != 0 && ch == prov->quick_sort_key) {
		int	 rev = !(t->sort_col == prov->quick_sort_column &&
		    t->sort_rev);

		table_sort_set(t, prov->quick_sort_column, rev);
		set_status("sorted by %s, %s first",
		    prov->screen[prov->quick_sort_column].title,
		    rev ? "highest" : "lowest");
		return;
	}
	if (prov->pane_key != NULL) {
		char	 msg[256];
		int	 changed;

		if ((changed = prov->pane_key(p->st, ch, msg,
		    sizeof(msg))) != -1) {
			set_status("%s", msg);
			if (changed == 1)
				pane_poll_now(p);
			return;
		}
	}
	if (prov->refer != NULL && jump(ch))
		return;
	if (ch != ERR && ch != KEY_RESIZE)
		set_status("unknown key (? for help)");
}

/*
 * After an ESC, a sequence the terminal's terminfo entry does not name
 * (End from tmux under TERM=vt100): read it whole and say so, rather than
 * let "[4~" run as the keys [, 4 (a pane switch) and ~.
 */
static int
key_unknown_sequence(void)
{
	char	 seq[32];
	size_t	 n = 0;
	int	 ch;

	if ((ch = getch()) == ERR)
		return 0;
	if (ch != '[' && ch != 'O') {
		ungetch(ch);		/* Alt+key: ESC, then the key */
		return 0;
	}
	seq[n++] = (char)ch;
	while ((ch = getch()) != ERR && n < sizeof(seq) - 1) {
		if (ch > 0xff) {	/* a key ncurses knows: not ours */
			ungetch(ch);
			break;
		}
		seq[n++] = (char)ch;
		if (seq[0] == 'O' || (ch >= 0x40 && ch <= 0x7e))
			break;
	}
	seq[n] = '\0';
	set_status("unknown key: ESC %s is not in the terminfo of TERM=%s",
	    seq, termname());
	return 1;
}

static void
on_key(evutil_socket_t fd, short what, void *arg)
{
	int	 ch;

	(void)fd;
	(void)what;
	(void)arg;
	while ((ch = getch()) != ERR) {
		if (ch == 27 && key_unknown_sequence())
			continue;
		switch (ui.mode) {
		case MODE_TABLE:
			key_table(ch);
			break;
		case MODE_HELP:
			key_help(ch);
			break;
		case MODE_DETAIL:
			key_detail(ch);
			break;
		case MODE_FILTER:
			key_filter(ch);
			break;
		case MODE_CONFIRM:
			key_confirm(ch);
			break;
		}
		if (ui.quit) {
			event_base_loopbreak(ui.base);
			return;
		}
	}
	draw();
}

static void
on_tick(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	(void)arg;
	draw();
}

static void
on_winch(evutil_socket_t fd, short what, void *arg)
{
	struct winsize	 ws;

	(void)fd;
	(void)what;
	(void)arg;
	if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_row > 0 &&
	    ws.ws_col > 0)
		resizeterm(ws.ws_row, ws.ws_col);
	clearok(curscr, TRUE);
	draw();
}

int
ui_run(struct event_base *base, struct pane *panes, size_t npanes,
    size_t start, const struct conf *conf, int count)
{
	struct timeval	 sec = { 1, 0 };
	char		 err[256];
	size_t		 i;

	memset(&ui, 0, sizeof(ui));
	ui.base = base;
	ui.panes = panes;
	ui.npanes = npanes > MAX_PANES ? MAX_PANES : npanes;
	ui.cur = start;
	ui.conf = conf;
	ui.updates_left = count;
	for (i = 0; i < ui.npanes; i++) {
		table_init(&ui.tables[i], panes[i].prov);
		panes[i].on_update = pane_updated;
		panes[i].arg = NULL;
	}

	setenv("ESCDELAY", "25", 0);
	if (term_check(err, sizeof(err)) == -1)
		fatalx("%s", err);
	if (initscr() == NULL)
		fatalx("cannot initialise the terminal");
	ui.active = 1;
	cbreak();
	noecho();
	nonl();
	keypad(stdscr, TRUE);
	nodelay(stdscr, TRUE);
	intrflush(stdscr, FALSE);
	typeahead(-1);		/* one write per frame, not one per key check */
	/* https://no-color.org: present and not empty turns colour off */
	if ((getenv("NO_COLOR") == NULL || *getenv("NO_COLOR") == '\0') &&
	    has_colors() && start_color() == OK) {
		use_default_colors();
		init_pair(ROW_GOOD, COLOR_GREEN, -1);
		init_pair(ROW_WARN, COLOR_YELLOW, -1);
		init_pair(ROW_BAD, COLOR_RED, -1);
		ui.colours = 1;
	}
	set_escdelay(25);
	curs_set(0);

	ui.keyev = event_new(base, STDIN_FILENO, EV_READ | EV_PERSIST, on_key,
	    NULL);
	ui.tick = event_new(base, -1, EV_PERSIST, on_tick, NULL);
	ui.winch = evsignal_new(base, SIGWINCH, on_winch, NULL);
	if (ui.keyev == NULL || ui.tick == NULL || ui.winch == NULL)
		fatalx("event_new failed");
	event_add(ui.keyev, NULL);
	event_add(ui.tick, &sec);
	evsignal_add(ui.winch, NULL);

	set_status("%s", HELP_HINT);
	for (i = 0; i < ui.npanes; i++)
		panes[i].parked = i != ui.cur;
	pane_poll_now(&panes[ui.cur]);
	draw();
	if (!ui.quit)
		event_base_dispatch(base);

	ui_end();
	free(ui.act.key);
	event_free(ui.keyev);
	event_free(ui.tick);
	event_free(ui.winch);
	detail_clear();
	action_plan_free(&ui.plan);
	for (i = 0; i < ui.npanes; i++) {
		table_free(&ui.tables[i]);
		if (ui.vtables[i].prov != NULL)
			table_free(&ui.vtables[i]);
		rowset_free(ui.vrows[i]);
	}
	return 0;
}
