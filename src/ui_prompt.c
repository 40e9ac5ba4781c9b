/*
 * The status line and what is typed on it: a filter, an action's question
 * (an address to send to), its y/N, and the outcome of the action, which
 * names what it acted on.
 */
#include "config.h"

#include <ctype.h>
#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conf.h"
#include "cut.h"
#include "sanitize.h"
#include "ui_int.h"

static void	action_done(const char *, void *);

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

/* "question: typed text  why it will not do", the cursor after the text. */
static void
draw_input(const char *question, const char *text, size_t len,
    const char *err)
{
	int	 x;

	put_str(LINES - 1, 0, question, COLS - 1);
	x = getcurx(stdscr);
	if (x < COLS - 1)
		addch(' ');
	put_text(LINES - 1, getcurx(stdscr), text, len,
	    COLS - getcurx(stdscr) - 1);
	if (err[0] != '\0') {
		x = getcurx(stdscr);
		attron(A_BOLD);
		put_str(LINES - 1, x + 2, err, COLS - x - 3);
		attroff(A_BOLD);
		move(LINES - 1, x);
	}
}

/*
 * The question with its "? [y/N]" on screen: one too long for it (a banned
 * part's name, a long subject in the label) is cut before that, at a mark.
 */
static void
draw_confirm(void)
{
	const char	*tail = NULL, *p;
	int		 width = COLS - 1, tw, x;

	for (p = ui.prompt; (p = strstr(p, "? [y/N]")) != NULL; p++)
		tail = p;
	if (tail == NULL || width < 16 ||
	    sanitize_width(ui.prompt, strlen(ui.prompt)) <= width) {
		put_str(LINES - 1, 0, ui.prompt, width);
		return;
	}
	/* what follows it, a warning, gets half the line at most */
	if ((tw = sanitize_width(tail, strlen(tail))) > width / 2)
		tw = width / 2;
	x = put_text(LINES - 1, 0, ui.prompt, (size_t)(tail - ui.prompt),
	    width - tw - 1);
	addstr(cut_mark());
	put_str(LINES - 1, x + 1, tail, tw);
}

void
draw_status(void)
{
	move(LINES - 1, 0);
	clrtoeol();
	if (ui.mode == MODE_FILTER) {
		draw_input("filter (~ for a regex):", ui.input, ui.inlen,
		    ui.filter_err);
		return;
	}
	if (ui.mode == MODE_INPUT) {
		draw_input(ui.ask, ui.answer, ui.anslen, ui.answer_err);
		return;
	}
	if (ui.mode == MODE_TRACE) {
		draw_input("trace (an address, a domain or an IP):",
		    ui.trace.input, ui.trace.inlen, ui.trace.err);
		return;
	}
	if (ui.mode == MODE_CONFIRM) {
		attron(A_BOLD);
		draw_confirm();
		attroff(A_BOLD);
		return;
	}
	draw_status_line();
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
void
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
		    ui.act.name, ui.panes[i].prov->desc.title);
		ui.status_is_outcome = 1;
	}
}

/* The plan is whole (its ids, the answer to its question): on to y/N. */
static void
plan_ready(void)
{
	struct pane		*p = &ui.panes[ui.cur];
	const struct action	*a = ui.plan.act;
	char			 msg[512];

	if (ui.conf->readonly) {
		action_describe(&ui.plan, p, msg, sizeof(msg));
		set_status("%s", msg);
		action_plan_free(&ui.plan);
		return;
	}
	if (action_plan_warn(&ui.plan, p->st) ||
	    (a->flags & (ACT_CONFIRM | ACT_INPUT)) ||
	    (ui.conf->confirm_risky && ((a->flags & ACT_RISKY) ||
	    ((a->flags & ACT_RISKY_MANY) && ui.plan.nids > 1)))) {
		action_plan_count(&ui.plan, p->st);
		action_prompt(&ui.plan, cur_desc()->noun, ui.prompt,
		    sizeof(ui.prompt));
		ui.asked_twice = 0;
		ui.mode = MODE_CONFIRM;
		return;
	}
	run_plan(p);
}

void
start_action(const struct action *a)
{
	struct table	*t = cur_table();

	if (action_busy()) {
		set_status("an action is still running");
		return;
	}
	/* its groups are not all there yet: their count would be wrong */
	if (ui.grouped[ui.cur] && ui.vpartial[ui.cur] > 0) {
		set_status("the %s is still being read (%zu %ss so far): act on "
		    "its groups when the counts are whole",
		    ui.panes[ui.cur].prov->desc.title, ui.vpartial[ui.cur],
		    ui.panes[ui.cur].prov->desc.noun);
		return;
	}
	if (action_plan(&ui.plan, a, t, ui.panes[ui.cur].st) == -1) {
		set_status("%s", ui.plan.error);
		return;
	}
	if (a->flags & ACT_INPUT) {
		action_ask(&ui.plan, ui.panes[ui.cur].st, ui.ask,
		    sizeof(ui.ask));
		ui.anslen = 0;
		ui.answer[0] = ui.answer_err[0] = '\0';
		ui.mode = MODE_INPUT;
		return;
	}
	plan_ready();
}

/*
 * A line being typed: a character (a UTF-8 one byte by byte), Backspace
 * (a whole character), ^U (all of it).  0 if ch is none of these.
 */
int
edit_line(char *buf, size_t *len, size_t size, int ch)
{
	switch (ch) {
	case KEY_BACKSPACE:
	case 127:
	case CTRL('h'):
		while (*len > 0) {
			ch = (unsigned char)buf[--*len];
			if (MB_CUR_MAX == 1 || (ch & 0xc0) != 0x80)
				break;
		}
		break;
	case CTRL('u'):
		*len = 0;
		break;
	default:
		if (ch < 0x20 || ch >= 0x100 || ch == 0x7f)
			return 0;
		if (*len + 1 < size)
			buf[(*len)++] = (char)ch;
		break;
	}
	buf[*len] = '\0';
	return 1;
}

/* Enter: the answer, if it will do, and on to y/N; Esc: nothing runs. */
void
key_input(int ch)
{
	switch (ch) {
	case '\n':
	case '\r':
	case KEY_ENTER:
		if (action_answer(&ui.plan, ui.answer, ui.answer_err,
		    sizeof(ui.answer_err)) == -1)
			return;		/* stay in the prompt to fix it */
		ui.mode = MODE_TABLE;
		plan_ready();
		break;
	case 27:
	case CTRL('c'):
	case CTRL('g'):
		ui.mode = MODE_TABLE;
		action_plan_free(&ui.plan);
		set_status("cancelled: nothing changed");
		break;
	default:
		if (edit_line(ui.answer, &ui.anslen, sizeof(ui.answer), ch))
			ui.answer_err[0] = '\0';
		break;
	}
}

void
key_confirm(int ch)
{
	struct pane	*p = &ui.panes[ui.cur];

	/* a terminal resized is no answer */
	if (ch == KEY_RESIZE)
		return;
	ui.mode = MODE_TABLE;
	if ((ch == 'y' || ch == 'Y') && !ui.asked_twice &&
	    (ui.plan.act->flags & ACT_TWICE) && (ui.plan.act->count != NULL ?
	    ui.plan.ncounted : ui.plan.nids) > ACT_TWICE_OVER) {
		char	 first[sizeof(ui.prompt)], *q;

		/* "Remove 300 envelopes of ...?": once more, in other words */
		xstrlcpy(first, ui.prompt, sizeof(first));
		if ((q = strstr(first, "? [y/N]")) != NULL)
			*q = '\0';
		snprintf(ui.prompt, sizeof(ui.prompt), "Really %c%.900s (more "
		    "than %d: it cannot be undone)? [y/N]",
		    tolower((unsigned char)first[0]), first + 1,
		    ACT_TWICE_OVER);
		ui.asked_twice = 1;
		ui.mode = MODE_CONFIRM;
		return;
	}
	ui.asked_twice = 0;
	if (ch == 'y' || ch == 'Y') {
		run_plan(p);
	} else {
		action_plan_free(&ui.plan);
		set_status("cancelled: nothing changed");
	}
}

void
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
	default:
		edit_line(ui.input, &ui.inlen, sizeof(ui.input), ch);
		break;
	}
	ui.input[ui.inlen] = '\0';
}
