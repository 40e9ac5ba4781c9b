/*
 * T: the trace.  What the operator types (the cursor row's address by
 * default) is followed through every pane's rows at once, in a table of
 * its own over the panes, rebuilt as each pane reads again: a summary that
 * answers in words, then one event per row, oldest first.  Enter opens
 * the event's row in its pane, the pane's keys act on it there; Esc comes
 * back.  All panes read while it is open, as it shows them all.
 */
#include "config.h"

#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sanitize.h"
#include "ui_int.h"
#include "util.h"
#include "wallclock.h"

/* The cursor row's own address: its sender, else recipient, else IP. */
static void
default_text(char *buf, size_t len)
{
	const struct pane_desc	*desc = &ui.panes[ui.cur].prov->desc;
	const struct trace_desc	*d = desc->trace;
	const struct row	*r;
	const char		*s, *e;
	int			 cells[3], i;

	buf[0] = '\0';
	if (ui.trace.on) {
		snprintf(buf, len, "%s", ui.trace.target.text);
		return;
	}
	if (d == NULL || ui.grouped[ui.cur] ||
	    (r = table_cursor_row(&ui.tables[ui.cur])) == NULL)
		return;
	cells[0] = d->sender;
	cells[1] = d->rcpts;
	cells[2] = d->ip;
	for (i = 0; i < 3; i++) {
		if (cells[i] < 0)
			continue;
		s = r->cells[cells[i]].s;
		if (*s == '<')
			s++;
		/* a list: its first address */
		for (e = s; *e != '\0' && *e != '>' && *e != ','; e++)
			;
		if (e == s || (i < 2 && memchr(s, '@', (size_t)(e - s)) ==
		    NULL))
			continue;
		snprintf(buf, len, "%.*s", (int)(e - s), s);
		return;
	}
}

static void
trace_empty(void *arg, char *buf, size_t len)
{
	(void)arg;
	snprintf(buf, len, "nothing about %s in the panes read so far",
	    ui.trace.target.text);
}

/* The panes the trace reads: those with a tab, then the hidden ones. */
static size_t
npanes_all(void)
{
	return ui.npanes + ui.nhidden;
}

static struct pane *
pane_at(size_t i)
{
	return i < ui.npanes ? &ui.panes[i] : &ui.hidden[i - ui.npanes];
}

void
trace_ask(void)
{
	default_text(ui.trace.input, sizeof(ui.trace.input));
	ui.trace.inlen = strlen(ui.trace.input);
	ui.trace.err[0] = '\0';
	ui.mode = MODE_TRACE;
}

static void
trace_open(const struct trace_target *t)
{
	size_t	 i;

	if (ui.trace.desc.columns == NULL) {
		ui.trace.desc = trace_pane;
		ui.trace.desc.empty_reason = trace_empty;
		table_init(&ui.trace.table, &ui.trace.desc);
	}
	table_set_filter(&ui.trace.table, NULL, NULL, 0);
	ui.trace.target = *t;
	ui.trace.on = 1;
	/* another target: made anew whatever the panes did */
	table_set_rows(&ui.trace.table, NULL);
	rowset_free(ui.trace.rows);
	ui.trace.rows = NULL;
	/* every pane, read afresh: the trace shows them all */
	for (i = 0; i < npanes_all(); i++) {
		pane_park(pane_at(i), 0);
		if (pane_at(i)->prov->desc.trace != NULL &&
		    !pane_at(i)->polling)
			pane_poll_now(pane_at(i));
	}
	trace_refresh();
	table_move_to(&ui.trace.table, 0);
	set_status("tracing %s: Enter opens an event in its pane, its pane's "
	    "keys act on it, Esc back to the %s", t->text,
	    ui.panes[ui.cur].prov->desc.title);
}

void
key_trace_ask(int ch)
{
	struct trace_target	 t;

	switch (ch) {
	case '\n':
	case '\r':
	case KEY_ENTER:
		ui.trace.input[ui.trace.inlen] = '\0';
		if (trace_target_parse(&t, ui.trace.input, ui.trace.err,
		    sizeof(ui.trace.err)) == -1)
			return;		/* stay in the prompt to fix it */
		ui.mode = MODE_TABLE;
		trace_open(&t);
		break;
	case 27:
	case CTRL('c'):
	case CTRL('g'):
		ui.mode = MODE_TABLE;
		set_status("%s", ui.trace.on ? "" : "no trace");
		break;
	default:
		if (edit_line(ui.trace.input, &ui.trace.inlen,
		    sizeof(ui.trace.input), ch))
			ui.trace.err[0] = '\0';
		break;
	}
}

/*
 * The trace anew, when a pane has new rows since it was made (a read that
 * ends with the same rows, or a key, makes none): on a million tuples it
 * is tens of milliseconds.
 */
void
trace_refresh(void)
{
	struct trace_from	 from[MAX_PANES + 4];
	struct rowset		*rs;
	size_t			 i, n = 0;
	int			 fresh = ui.trace.rows == NULL;

	if (!ui.trace.on)
		return;
	for (i = 0; i < npanes_all() && i < nitems(ui.trace.gen); i++)
		if (ui.trace.gen[i] != pane_at(i)->generation) {
			ui.trace.gen[i] = pane_at(i)->generation;
			fresh = 1;
		}
	if (!fresh)
		return;
	for (i = 0; i < npanes_all() && n < nitems(from); i++) {
		const struct pane	*p = pane_at(i);
		const struct trace_desc	*d = p->prov->desc.trace;
		char			 why[256];

		/* a pane that sees nothing says nothing ("no verdict") */
		if (d == NULL || p->rows == NULL || (d->blind != NULL &&
		    d->blind(p->st, why, sizeof(why)) == 2))
			continue;
		from[n].name = p->prov->name;
		from[n].desc = d;
		from[n].st = p->st;
		from[n].rs = p->rows;
		n++;
	}
	rs = trace_build_sum(&ui.trace.target, from, n, wallclock_now(),
	    TRACE_SCREEN_MAX, &ui.trace.nall, ui.trace.summary,
	    sizeof(ui.trace.summary));
	table_set_rows(&ui.trace.table, rs);
	rowset_free(ui.trace.rows);
	ui.trace.rows = rs;
}

static void
trace_drop(void)
{
	ui.trace.on = 0;
	table_set_rows(&ui.trace.table, NULL);
	rowset_free(ui.trace.rows);
	ui.trace.rows = NULL;
}

void
trace_close(void)
{
	if (!ui.trace.on)
		return;
	trace_drop();
	/* the panes only the trace read wait again */
	ui_sync_parks();
}

/* On the way out: no pane is woken to read. */
void
trace_free(void)
{
	trace_drop();
	if (ui.trace.desc.columns != NULL)
		table_free(&ui.trace.table);
}

/* Where to end a line of at most used bytes of s: after "; ", else after
 * a blank, else used. */
static size_t
line_end(const char *s, size_t used)
{
	size_t	 cut;

	for (cut = used; cut > used / 2; cut--)
		if (s[cut - 1] == ' ' && s[cut - 2] == ';')
			return cut;
	for (cut = used; cut > used / 2; cut--)
		if (s[cut - 1] == ' ')
			return cut;
	return used;
}

/* Text at y in lines of the screen's width, at most maxlines. */
static int
put_wrapped(int y, const char *s, int maxlines)
{
	size_t	 len = strlen(s), used;
	char	 buf[2048];
	int	 k;

	for (k = 0; k < maxlines && len > 0 && y < LINES - 3; k++) {
		sanitize_screen(s, len, buf, sizeof(buf), COLS - 1, &used);
		if (used == 0)
			break;
		if (used < len && k + 1 < maxlines) {
			used = line_end(s, used);
			sanitize_screen(s, used, buf, sizeof(buf), COLS - 1,
			    NULL);
		}
		mvaddstr(y++, 0, buf);
		s += used;
		len -= used;
	}
	return y;
}

/*
 * The answer, then what the trace could not see (a pane that failed, one
 * still reading), then the count of events.
 */
int
draw_trace_header(int y)
{
	struct table	*t = &ui.trace.table;
	char		 line[2048];
	size_t		 i, n = 0, len = sizeof(line);
	int		 k;

	/* the answer is what the trace is for: all of it, as room allows */
	attron(A_BOLD);
	y = put_wrapped(y, ui.trace.summary, LINES < 12 ? 2 : LINES < 36 ?
	    LINES / 6 : 6);
	attroff(A_BOLD);
	line[0] = '\0';
	for (i = 0; i < npanes_all(); i++) {
		const struct pane	*p = pane_at(i);
		const struct trace_desc	*d = p->prov->desc.trace;
		char			 blind[512];

		if (d == NULL)
			continue;
		blind[0] = '\0';
		if (p->error[0] != '\0')
			k = snprintf(line + n, len - n, "no %s seen: %s  ",
			    p->prov->desc.title, p->error);
		else if (d->blind != NULL &&
		    d->blind(p->st, blind, sizeof(blind)) != 0)
			k = snprintf(line + n, len - n, "%s: %s%s  ",
			    p->prov->desc.title, blind, p->rows == NULL ||
			    p->partial ? " (reading...)" : "");
		else if (p->rows == NULL || p->partial)
			k = snprintf(line + n, len - n, "reading the %s...  ",
			    p->prov->desc.title);
		else
			continue;
		n += trace_clip(k, len - n);
	}
	if (n > 0)
		y = put_wrapped(y, line, 2);
	n = 0;
	if (ui.trace.rows != NULL && ui.trace.nall > ui.trace.rows->nrows)
		n += trace_clip(snprintf(line, len, "the newest %zu of %zu "
		    "events: ", ui.trace.rows->nrows, ui.trace.nall), len);
	n += trace_clip(snprintf(line + n, len - n, "%zu event%s", t->nview,
	    t->nview == 1 ? "" : "s"), len - n);
	if (t->filter != NULL)
		n += trace_clip(snprintf(line + n, len - n, " (filter: %s, %zu "
		    "in all)", t->filter, ui.trace.rows != NULL ?
		    ui.trace.rows->nrows : 0), len - n);
	put_str(y++, 0, line, COLS);
	return y;
}

/*
 * The cursor event's pane (an index of ui.panes) and its row's key, copied
 * (leaving the trace frees its rows).  -1 when the event's pane has no
 * tab (the spamd log), with its line said, or when there is no event.
 */
static int
event_row(size_t *pane, char *key, size_t len)
{
	const struct row	*r = table_cursor_row(&ui.trace.table);
	const char		*nl;
	size_t			 i, n;

	if (r == NULL) {
		set_status("no event under the cursor");
		return -1;
	}
	if ((nl = strchr(r->key, '\n')) == NULL || strlen(nl + 1) >= len)
		return -1;
	n = (size_t)(nl - r->key);
	for (i = 0; i < ui.npanes; i++)
		if (strlen(ui.panes[i].prov->name) == n &&
		    strncmp(ui.panes[i].prov->name, r->key, n) == 0)
			break;
	if (i == ui.npanes) {
		/* the spamd log has no pane: its line is all there is */
		set_status("%s: %s", r->cells[T_SOURCE].s,
		    r->cells[T_DETAIL].s);
		return -1;
	}
	memcpy(key, nl + 1, strlen(nl + 1) + 1);
	*pane = i;
	return 0;
}

/*
 * An action key of the event's pane: to its row there, and the action
 * asks as it would in the pane.
 */
static int
event_action(int ch)
{
	const struct row	*r = table_cursor_row(&ui.trace.table);
	const struct pane_desc	*desc;
	char			 key[1024];
	size_t			 i, k;

	if (r == NULL)
		return 0;
	for (i = 0; i < ui.npanes; i++) {
		desc = &ui.panes[i].prov->desc;
		if (strcmp(ui.panes[i].prov->name, r->cells[T_SOURCE].s) != 0)
			continue;
		for (k = 0; k < desc->nactions; k++)
			if (desc->actions[k].key == ch)
				break;
		if (k == desc->nactions)
			return 0;
		if (event_row(&i, key, sizeof(key)) == -1)
			return 1;
		if (ui_goto_row(i, key) == -1) {
			set_status("that %s is filtered out in the %s: Esc "
			    "clears the filter", desc->noun, desc->title);
			return 1;
		}
		start_action(&desc->actions[k]);
		return 1;
	}
	return 0;
}

/* The trace's own keys; 0 for the table's. */
int
key_trace(int ch)
{
	char			 key[1024];
	size_t			 i;

	switch (ch) {
	case 27:
		if (ui.trace.table.filter != NULL)
			return 0;	/* Esc clears the filter first */
		trace_close();
		set_status("trace closed: back to the %s",
		    ui.panes[ui.cur].prov->desc.title);
		return 1;
	case '\n':
	case '\r':
	case KEY_ENTER:
		if (event_row(&i, key, sizeof(key)) == -1)
			return 1;
		/* its row in its pane, and the pane's detail of it */
		if (ui_goto_row(i, key) == -1)
			set_status("that %s is filtered out here: Esc clears "
			    "the filter", ui.panes[i].prov->desc.noun);
		else {
			set_status("from the trace of %s", ui.trace.target.text);
			detail_open();
		}
		return 1;
	case CTRL('r'):
	case KEY_F(5):
		for (i = 0; i < npanes_all(); i++)
			if (!pane_at(i)->polling && !pane_at(i)->frozen)
				pane_poll_now(pane_at(i));
		set_status("reading every pane now");
		return 1;
	case 'F':
	case 'b':
	case 'f':
	case ' ':
	case 'A':
	case 'U':
		set_status("not in the trace: Esc back to the %s first",
		    ui.panes[ui.cur].prov->desc.title);
		return 1;
	}
	return event_action(ch);
}
