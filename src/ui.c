/*
 * The full-screen interface: its state, the tab line and the header, the
 * keys of the table, jumps between panes, grouped views and the event loop.
 * The table (ui_table.c), the status line and its prompts (ui_prompt.c),
 * the help (ui_help.c) and the detail view (ui_detail.c) have their own
 * files.  Knows panes, tables and actions; knows nothing of any one
 * provider.
 */
#include "config.h"

#include <sys/ioctl.h>

#include <curses.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <event2/event.h>

#include "conf.h"
#include "sanitize.h"
#include "ui.h"
#include "ui_int.h"
#include "wallclock.h"


struct ui	 ui;

static void	jump_check(size_t);

/* The table and the provider description of what the pane shows now. */
struct table *
cur_table(void)
{
	if (ui.trace.on)
		return &ui.trace.table;
	return ui.grouped[ui.cur] ? &ui.vtables[ui.cur] : &ui.tables[ui.cur];
}

const struct pane_desc *
cur_desc(void)
{
	if (ui.trace.on)
		return &ui.trace.desc;
	return ui.grouped[ui.cur] ? &ui.vdesc[ui.cur] :
	    &ui.panes[ui.cur].prov->desc;
}

/* The view pane i shows, NULL: its rows. */
const struct view *
cur_view(size_t i)
{
	const struct pane_desc	*d = &ui.panes[i].prov->desc;

	return ui.grouped[i] > 0 && (size_t)ui.grouped[i] <= d->nviews ?
	    &d->views[ui.grouped[i] - 1] : NULL;
}

static void
view_rebuild(size_t i)
{
	const struct view	*v = cur_view(i);
	struct rowset		*rs;

	if (v == NULL)
		return;
	rs = ui.panes[i].rows == NULL ? NULL : v->build(ui.panes[i].st,
	    ui.panes[i].rows, ui.panes[i].data_time);
	table_set_rows(&ui.vtables[i], rs);
	rowset_free(ui.vrows[i]);
	ui.vrows[i] = rs;
	ui.vpartial[i] = 0;
}

/*
 * A read that takes long: the view of what it has read so far, once a
 * tick, said to be partial until the read ends (pane_updated).
 */
static void
view_partial(size_t i)
{
	const struct view	*v = cur_view(i);
	struct pane		*p = &ui.panes[i];
	const struct rowset	*so_far;
	struct rowset		*rs;

	if (v == NULL || !p->polling || pane_poll_elapsed(p) < 1 ||
	    p->prov->src.rows_so_far == NULL ||
	    (so_far = p->prov->src.rows_so_far(p->st)) == NULL ||
	    so_far->nrows == 0 || so_far->nrows == ui.vpartial[i])
		return;
	rs = v->build(p->st, so_far, wallclock_now());
	table_set_rows(&ui.vtables[i], rs);
	rowset_free(ui.vrows[i]);
	ui.vrows[i] = rs;
	ui.vpartial[i] = so_far->nrows;
}

/* Show view k (1...) of pane i, or its rows (0). */
static void
view_set(size_t i, int k)
{
	const struct pane_desc	*desc = &ui.panes[i].prov->desc;
	const struct view	*v;
	struct pane_desc	*vp = &ui.vdesc[i];

	ui.vpartial[i] = 0;
	if (ui.grouped[i]) {
		ui.grouped[i] = 0;
		table_set_rows(&ui.vtables[i], NULL);
		rowset_free(ui.vrows[i]);
		ui.vrows[i] = NULL;
		/* another view has other columns: its own table */
		table_free(&ui.vtables[i]);
		memset(&ui.vtables[i], 0, sizeof(ui.vtables[i]));
	}
	if (k <= 0 || (size_t)k > desc->nviews)
		return;
	v = &desc->views[k - 1];
	*vp = *desc;
	vp->title = v->title;
	vp->noun = v->noun;
	vp->columns = v->columns;
	vp->ncolumns = v->ncolumns;
	vp->screen = v->screen;
	vp->nscreen = v->nscreen;
	vp->sort_column = v->sort_column;
	vp->actions = v->actions;
	vp->nactions = v->nactions;
	vp->inputs = NULL;
	vp->ninputs = 0;
	vp->help = NULL;
	vp->row_alert = NULL;
	vp->row_mark = NULL;
	vp->marks = NULL;
	vp->nmarks = 0;
	vp->offers = NULL;
	vp->noffers = 0;
	vp->detail_argv = NULL;
	vp->detail_lines = NULL;
	vp->row_class = NULL;
	vp->row_label = NULL;
	vp->refer = NULL;
	vp->resolve = NULL;
	vp->pane_key = NULL;
	vp->trace = NULL;
	vp->history = NULL;
	vp->history_value = NULL;
	vp->quick_sort_key = 0;
	vp->views = NULL;
	vp->nviews = 0;
	if (v->summary != NULL)
		vp->summary = v->summary;
	table_init(&ui.vtables[i], vp);
	ui.vtables[i].sort_rev = v->sort_reverse;
	ui.grouped[i] = k;
	view_rebuild(i);
}

/* b: the pane's next view, after the last its rows again. */
static void
view_next(void)
{
	view_set(ui.cur, ui.grouped[ui.cur] + 1);
}

void
ui_end(void)
{
	if (ui.active) {
		ui.active = 0;
		endwin();
	}
}

void
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
int
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

int
put_str(int y, int x, const char *s, int width)
{
	return put_text(y, x, s, strlen(s), width);
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
		    names[i] : ui.grouped[i] ? ui.vdesc[i].title :
		    ui.panes[i].prov->desc.title);
		if (getcurx(stdscr) + 2 + (int)strlen(tab) > COLS)
			break;
		addstr("  ");
		if (i == ui.cur && !ui.trace.on)
			attron(A_REVERSE);
		else if (i >= ui.npanes)
			attron(A_DIM);
		addstr(tab);
		attroff(A_REVERSE | A_DIM);
		if (getcurx(stdscr) == 0)	/* wrapped: cannot happen */
			break;
	}
	if (ui.trace.on && getcurx(stdscr) + 9 < COLS) {
		addstr("  ");
		attron(A_REVERSE);
		addstr("T:trace");
		attroff(A_REVERSE);
	}
	if (getcurx(stdscr) < room)
		mvaddstr(0, COLS - (int)strlen(clock), clock);
}

/*
 * The marks that cannot be trusted now, for the header: their pane failed
 * or has not read yet.  An absent mark must not be read as a no.
 */
static size_t
marks_blind(const struct pane_desc *desc, char *buf, size_t len)
{
	const struct pane	*q;
	size_t			 j, k, n = 0;
	int			 w;

	if (len == 0)
		return 0;
	buf[0] = '\0';
	for (j = 0; j < ui.npanes; j++) {
		q = &ui.panes[j];
		if (j == ui.cur || (q->rows != NULL && !pane_stale(q)))
			continue;
		for (k = 0; k < desc->nmarks; k++)
			if (desc->marks[k].name != NULL &&
			    links_offers(&q->prov->desc, desc->marks[k].name))
				break;
		if (k == desc->nmarks)
			continue;
		if (pane_stale(q))
			w = snprintf(buf + n, len - n, "no %c marks: the %s "
			    "pane failed  ", desc->marks[k].mark,
			    q->prov->desc.title);
		else
			w = snprintf(buf + n, len - n, "%c marks: reading the "
			    "%s pane...  ", desc->marks[k].mark,
			    q->prov->desc.title);
		if (w > 0 && (size_t)w < len - n)
			n += (size_t)w;
	}
	return n;
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
	if (cur_view(ui.cur) != NULL && cur_view(ui.cur)->summary != NULL)
		cur_view(ui.cur)->summary(p->st, ui.vrows[ui.cur],
		    p->data_time && !ui.vpartial[ui.cur] ? p->data_time : now,
		    sum, sizeof(sum));
	else
		p->prov->desc.summary(p->st, p->rows, p->data_time ?
		    p->data_time : now, sum, sizeof(sum));
	/* on a small screen the rows matter more than the summary: the
	 * data line, the table's header and a row stay */
	for (s = sum; s != NULL && LINES >= 8 && y < LINES - 4; s = nl) {
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
	if (ui.vpartial[ui.cur] > 0)
		ADD("PARTIAL: the counts of the first %zu %ss read; they grow "
		    "until the read ends  ", ui.vpartial[ui.cur],
		    p->prov->desc.noun);
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
		ADD("reading... %zu %ss (%s)  ", p->prov->src.progress(p->st),
		    p->prov->desc.noun, el);
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
	n += marks_blind(cur_desc(), line + n, len - n);
#undef ADD
	if (pane_stale(p) || p->frozen || ui.vpartial[ui.cur] > 0)
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

static void
term_size_check(void)
{
	struct winsize	 ws;

	if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_row > 0 &&
	    ws.ws_col > 0 && (ws.ws_row != LINES || ws.ws_col != COLS)) {
		resizeterm(ws.ws_row, ws.ws_col);
		clearok(curscr, TRUE);
	}
}

void
draw(void)
{
	int	 y;

	if (!ui.active)
		return;
	/* a key may come before the SIGWINCH of a resize: never draw a
	 * frame for the old size, its lines would wrap and scroll */
	term_size_check();
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
		y = draw_health(1);
		y = ui.trace.on ? draw_trace_header(y) : draw_header(y);
		if (y < LINES - 1)
			draw_table(y);
		break;
	}
	draw_status();
	if (ui.mode == MODE_FILTER || ui.mode == MODE_INPUT ||
	    ui.mode == MODE_TRACE)
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
		if (p->rows != NULL)
			rowset_forget_prev(p->rows);
		view_rebuild(i);
		action_check_cursor(i);
		/* never over an action's outcome: that re-poll drops its tags */
		if (ui.tables[i].pruned > 0 && i == ui.cur &&
		    !(ui.status_is_outcome && mono_now() - ui.status_time < 10))
			set_status("%zu tag%s dropped: no longer in the %s",
			    ui.tables[i].pruned, ui.tables[i].pruned == 1 ?
			    "" : "s", p->prov->desc.title);
	} else if (ui.vpartial[i] > 0 && !p->polling)
		view_rebuild(i);	/* the read failed: the last whole one */
	if (ui.trace.on)
		trace_refresh();
	if (ui.mode == MODE_DETAIL)
		detail_history();
	if (ui.jump_wait != 0)
		jump_check(i);
	if (i == ui.cur && ui.updates_left > 0 && --ui.updates_left == 0)
		ui.quit = 1;
	if (ui.quit)
		event_base_loopbreak(ui.base);
	draw();
}

/* A pane with no tab, read for the trace: its new rows go to it. */
static void
hidden_updated(struct pane *p, void *arg)
{
	(void)p;
	(void)arg;
	if (ui.trace.on)
		trace_refresh();
	if (ui.mode == MODE_DETAIL)
		detail_history();
	if (ui.trace.on || ui.mode == MODE_DETAIL)
		draw();
}

/* Detail view. */

/* Keys. */

void
ui_switch_pane(size_t i)
{
	if (i >= ui.npanes) {
		set_status("pane %zu is not available yet", i + 1);
		return;
	}
	if (ui.trace.on)
		trace_close();
	if (i == ui.cur)
		return;
	ui.cur = i;
	ui.mode = MODE_TABLE;
	/* what was said of the other pane is not said of this one */
	set_status("%s", "");
	ui_sync_parks();
}

static struct pane *
any_pane(size_t i)
{
	return i < ui.npanes ? &ui.panes[i] : &ui.hidden[i - ui.npanes];
}

void
ui_sync_parks(void)
{
	const struct pane_desc	*want = &ui.panes[ui.cur].prov->desc;
	struct pane		*p;
	size_t			 i, j, n = ui.npanes + ui.nhidden;
	int			 on[MAX_PANES + 8], pass;

	if (n > nitems(on))
		fatalx("%zu panes", n);
	for (i = 0; i < n; i++)
		on[i] = ui.trace.on || i == ui.cur || (i < ui.npanes &&
		    links_needs(want, &ui.panes[i].prov->desc)) ||
		    (ui.mode == MODE_DETAIL && ui.detail.hist_desc != NULL &&
		    any_pane(i)->prov->desc.about != NULL);
	for (i = 0; i < n; i++)
		for (j = 0; j < n; j++)
			if (on[i] && any_pane(i)->joined == any_pane(j))
				on[j] = 1;
	/* parking a pane parks what it joins: those to keep come back */
	for (pass = 0; pass < 2; pass++)
		for (i = 0; i < n; i++) {
			p = any_pane(i);
			if (pass == 0 && !on[i] && !p->parked)
				pane_park(p, 1);
			else if (pass == 1 && on[i] && p->parked)
				pane_park(p, 0);
		}
}

void
ui_links_update(void)
{
	const struct pane_desc	*descs[MAX_PANES];
	const struct rowset	*rows[MAX_PANES];
	size_t			 i;

	for (i = 0; i < ui.npanes; i++) {
		descs[i] = &ui.panes[i].prov->desc;
		rows[i] = ui.panes[i].rows;
	}
	links_update(&ui.links, cur_desc(), descs, rows, ui.npanes);
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
	const struct pane_desc	*desc = cur_desc();
	const struct row	*r = table_cursor_row(cur_table());
	size_t			 j;
	int			 k;

	if ((k = desc->refer(p->st, r != NULL ? r->key : NULL, ch, ui.jump_ref,
	    sizeof(ui.jump_ref))) == -1)
		return 0;
	if (r == NULL) {
		ui.jump_ref[0] = '\0';
		set_status("no %s under the cursor", desc->noun);
		return 1;
	}
	if (k == 0) {
		ui.jump_ref[0] = '\0';
		set_status("this %s names no message to look for", desc->noun);
		return 1;
	}
	ui.jump_key = ch;
	ui.jump_wait = 0;
	for (j = 0; j < ui.npanes; j++)
		if (j != ui.cur && ui.panes[j].prov->desc.resolve != NULL)
			ui.jump_wait |= 1u << j;
	set_status("looking for %s...", ui.jump_ref);
	for (j = 0; j < ui.npanes; j++)
		if (ui.jump_wait & (1u << j))
			pane_poll_now(&ui.panes[j]);
	return 1;
}

int
ui_goto_row(size_t i, const char *key)
{
	ui_switch_pane(i);
	view_set(i, 0);
	return table_cursor_to(&ui.tables[i], key);
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
	if (q->prov->desc.resolve(q->st, q->rows, ui.jump_ref, key,
	    sizeof(key))) {
		ui.jump_wait = 0;
		if (ui_goto_row(i, key) == -1)
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
key_table(int ch)
{
	struct pane		*p = &ui.panes[ui.cur];
	struct table		*t = cur_table();
	const struct pane_desc	*desc = cur_desc();
	const struct pane_desc	*pd = &p->prov->desc;
	const struct view	*v;
	size_t			 page = LINES > 8 ? (size_t)LINES - 8 : 1, i;
	int			 r;

	if (ui.trace.on && key_trace(ch))
		return;
	/* b: "by"; g, G, j and k move in every pane */
	if (pd->nviews > 0 && ch == pd->views[0].key) {
		view_next();
		if ((v = cur_view(ui.cur)) == NULL)
			set_status("ungrouped: every %s", pd->noun);
		else if ((size_t)ui.grouped[ui.cur] < pd->nviews)
			set_status("grouped: %s (%c again: %s)", v->title,
			    v->key, pd->views[ui.grouped[ui.cur]].title);
		else
			set_status("grouped: %s (%c again: back)", v->title,
			    v->key);
		return;
	}
	if ((v = cur_view(ui.cur)) != NULL && v->view_key != NULL) {
		char	 msg[256];

		if ((r = v->view_key(p->st, ch, msg, sizeof(msg))) != -1) {
			set_status("%s", msg);
			if (r == 1)
				view_rebuild(ui.cur);
			return;
		}
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
		ui_switch_pane((ui.cur + 1) % ui.npanes);
		return;
	case KEY_BTAB:
		ui_switch_pane((ui.cur + ui.npanes - 1) % ui.npanes);
		return;
	case '1': case '2': case '3': case '4': case '5':
		ui_switch_pane((size_t)(ch - '1'));
		return;
	case '?':
		ui.mode = MODE_HELP;
		ui.help_top = 0;
		return;
	case 'T':
		trace_ask();
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
			set_status("no %s to tag", desc->noun);
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
			    "(the other panes still read)", p->prov->desc.title);
		else
			set_status("resumed: the %s pane reads again",
			    p->prov->desc.title);
		return;
	case '\n':
	case '\r':
	case KEY_ENTER:
		detail_open();
		return;
	}
	for (i = 0; i < desc->nactions; i++)
		if (desc->actions[i].key == ch) {
			start_action(&desc->actions[i]);
			return;
		}
	if (desc->quick_sort_key != 0 && ch == desc->quick_sort_key) {
		int	 rev = !(t->sort_col == desc->quick_sort_column &&
		    t->sort_rev);

		table_sort_set(t, desc->quick_sort_column, rev);
		set_status("sorted by %s, %s first",
		    desc->screen[desc->quick_sort_column].title,
		    rev ? "highest" : "lowest");
		return;
	}
	if (desc->pane_key != NULL) {
		char	 msg[256];
		int	 changed;

		if ((changed = desc->pane_key(p->st, ch, msg,
		    sizeof(msg))) != -1) {
			set_status("%s", msg);
			if (changed == 1)
				pane_poll_now(p);
			return;
		}
	}
	if (desc->refer != NULL && jump(ch))
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
		case MODE_INPUT:
			key_input(ch);
			break;
		case MODE_TRACE:
			key_trace_ask(ch);
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
	if (!ui.trace.on)
		view_partial(ui.cur);
	draw();
}

static void
on_winch(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	(void)arg;
	clearok(curscr, TRUE);
	draw();
}

int
ui_run(struct event_base *base, struct pane *panes, size_t npanes,
    size_t nhidden, size_t start, const struct conf *conf, int count)
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
		table_init(&ui.tables[i], &panes[i].prov->desc);
		panes[i].on_update = pane_updated;
		panes[i].arg = NULL;
	}
	ui.hidden = panes + npanes;
	ui.nhidden = nhidden;
	for (i = 0; i < nhidden; i++) {
		ui.hidden[i].on_update = hidden_updated;
		ui.hidden[i].arg = NULL;
		ui.hidden[i].parked = 1;
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
	ui.health = health_new(base, &conf->health, conf->maillog,
	    conf->quarantine, health_changed, NULL);

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
	/* a resize between initscr and the handler above went unseen */
	on_winch(-1, 0, NULL);
	for (i = 0; i < ui.npanes; i++)
		panes[i].parked = 1;
	ui_sync_parks();
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
		if (ui.vtables[i].desc != NULL)
			table_free(&ui.vtables[i]);
		rowset_free(ui.vrows[i]);
	}
	trace_free();
	links_free(&ui.links);
	health_free(ui.health);
	return 0;
}
