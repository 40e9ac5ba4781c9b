/*
 * The detail view: a row's fields, a command's output (smtpctl show
 * envelope) and the provider's lines about it, wrapped and scrolled.
 */
#include "config.h"

#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "hint.h"
#include "proc.h"
#include "sanitize.h"
#include "ui_int.h"

/* Wrap raw detail lines to the screen width while drawing. */
void
draw_detail(void)
{
	struct detail	*d = &ui.detail;
	char		 buf[4096];
	size_t		 i, used, skip = 0, off;
	int		 y = 1, width = COLS - 2;

	if (width < 8)
		width = 8;
	d->nscreen = 0;
	for (i = 0; i < d->nlines + d->nhist; i++) {
		const char	*s = i < d->nlines ? d->lines[i] :
				    d->hist[i - d->nlines];
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
hist_clear(void)
{
	struct detail	*d = &ui.detail;
	size_t		 i;

	for (i = 0; i < d->nhist; i++)
		free(d->hist[i]);
	free(d->hist);
	d->hist = NULL;
	d->nhist = 0;
}

static void
hist_add(void *arg, const char *s, size_t len)
{
	struct detail	*d = &ui.detail;
	char		*line = xmalloc(len + 1);

	(void)arg;
	memcpy(line, s, len);
	line[len] = '\0';
	d->hist = xreallocarray(d->hist, d->nhist + 1, sizeof(*d->hist));
	d->hist[d->nhist++] = line;
}

/*
 * The row's history from every pane that says something of it, or why
 * there is none: a pane that has not read yet, or failed.
 */
void
detail_history(void)
{
	struct detail		*d = &ui.detail;
	const struct pane	*p;
	char			 line[1200], blind[900];
	size_t			 i, n;
	int			 k;

	if (d->hist_desc == NULL)
		return;
	hist_clear();
	hist_add(NULL, "", 0);
	hist_add(NULL, d->hist_desc->history_title,
	    strlen(d->hist_desc->history_title));
	for (i = 0; i < ui.npanes + ui.nhidden; i++) {
		p = &ui.panes[i];
		if (p->prov->desc.about == NULL)
			continue;
		if (p->rows == NULL) {
			k = snprintf(line, sizeof(line), "  (reading the %s...)",
			    p->prov->desc.title);
			hist_add(NULL, line, trace_clip(k, sizeof(line)));
			continue;
		}
		n = p->prov->desc.about(p->st, p->rows, d->hist_desc->history,
		    d->hist_value, hist_add, NULL);
		if (pane_stale(p))
			k = snprintf(line, sizeof(line), "  (the %s could not be "
			    "read: %s)", p->prov->desc.title, p->error);
		else if (n == 0 && p->prov->desc.trace != NULL &&
		    p->prov->desc.trace->blind != NULL &&
		    p->prov->desc.trace->blind(p->st, blind, sizeof(blind)) !=
		    0)
			k = snprintf(line, sizeof(line), "  (nothing in the %s: "
			    "%s)", p->prov->desc.title, blind);
		else if (n == 0)
			k = snprintf(line, sizeof(line), "  (nothing in the %s)",
			    p->prov->desc.title);
		else
			k = 0;
		if (k > 0)
			hist_add(NULL, line, trace_clip(k, sizeof(line)));
	}
}

void
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
	hist_clear();
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

static void	detail_step(const struct row *);

/* A line of the command's output, as its provider shows it. */
static void
detail_cmd_line(const char *s, size_t len)
{
	struct detail	*d = &ui.detail;
	char		 buf[4096];
	int		 n;

	if (d->cmd_desc->detail_line == NULL) {
		if (s != NULL)
			detail_add(s, len);
		return;
	}
	n = d->cmd_desc->detail_line(d->cmd_st, d->step, s, len, buf,
	    sizeof(buf));
	if (n >= 0)
		detail_add(buf, (size_t)n < sizeof(buf) ? (size_t)n :
		    sizeof(buf) - 1);
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
			detail_cmd_line(s, nl - s);
		}
		free(d->out);
		d->out = NULL;
		d->outlen = 0;
	}
	if (status == 0)
		detail_cmd_line(NULL, 0);
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
	d->step++;
	detail_step(NULL);
	draw();
}

/* The next command of the detail view, if there is one. */
static void
detail_step(const struct row *r)
{
	struct detail	*d = &ui.detail;
	const char	*argv[32];
	char		 line[8400], *cmd;

	if (d->cmd_desc == NULL || d->cmd_desc->detail_argv(d->cmd_st, r,
	    d->step, argv, nitems(argv)) <= 0)
		return;
	detail_add("", 0);
	cmd = proc_argv_string(argv);
	snprintf(line, sizeof(line), "$ %s", cmd);
	free(cmd);
	detail_add(line, strlen(line));
	d->loading = 1;
	xstrlcpy(d->prog, argv[0], sizeof(d->prog));
	d->job = proc_run(argv, 30, detail_out, detail_done, d);
}

/* What the row's marks stand for: a line for each it has. */
static void
detail_marks(const struct pane_desc *desc, void *st, const struct row *r,
    int namew)
{
	const struct link_mark	*m;
	char			 line[1024], val[256];
	size_t			 k, j;
	int			 n;

	if (desc->nmarks == 0)
		return;
	ui_links_update();
	for (k = 0; k < desc->nmarks; k++) {
		m = &desc->marks[k];
		for (j = 0; j < k && !(desc->marks[j].mark == m->mark &&
		    links_has(&ui.links, &desc->marks[j], st, r)); j++)
			;
		if (j < k || !links_has(&ui.links, m, st, r))
			continue;
		n = snprintf(line, sizeof(line), "%-*s %c  %s", namew, "mark",
		    m->mark, m->says);
		if (m->value != NULL && n > 0 && (size_t)n < sizeof(line) &&
		    m->value(r, val, sizeof(val)) > 0)
			snprintf(line + n, sizeof(line) - n, ": %s", val);
		detail_add(line, strlen(line));
	}
}

void
detail_open(void)
{
	struct pane		*p = &ui.panes[ui.cur];
	struct table		*t = cur_table();
	const struct pane_desc	*desc = cur_desc();
	const struct column	*c;
	const struct row	*r = table_cursor_row(t);
	char			 val[8192], line[8400], human[128];
	size_t			 i;
	unsigned		 show;
	int			 namew;
	char			*cmd;

	if (r == NULL) {
		set_status("no %s under the cursor", desc->noun);
		return;
	}
	detail_clear();
	/* a title the operator reads: the row's label, and its key when
	 * that is one word (an evpid; a verdict's key is not) */
	if (desc->row_label != NULL) {
		char	 label[1024];

		desc->row_label(r, label, sizeof(label));
		if (strpbrk(r->key, " \n") == NULL)
			snprintf(line, sizeof(line), "%s %s: %s", desc->noun,
			    r->key, label);
		else
			snprintf(line, sizeof(line), "%s: %s", desc->noun,
			    label);
	} else
		snprintf(line, sizeof(line), "%s %s", desc->noun, r->key);
	/* keys may join parts with newlines: show them in a line */
	for (cmd = line; (cmd = strchr(cmd, '\n')) != NULL;)
		*cmd = ' ';
	detail_add(line, strlen(line));
	detail_add("", 0);
	/* the fields -b prints, or else (a grouped view) the screen's */
	for (i = 0, show = COL_SCREEN; i < desc->ncolumns; i++)
		if (desc->columns[i].flags & (COL_BATCH | COL_DETAIL))
			show = COL_BATCH | COL_DETAIL;
	/* the values in one column, after the longest name */
	for (i = 0, namew = 8; i < desc->ncolumns; i++)
		if ((desc->columns[i].flags & show) &&
		    (int)strlen(desc->columns[i].name) > namew)
			namew = (int)strlen(desc->columns[i].name);
	for (i = 0; i < desc->ncolumns; i++) {
		c = &desc->columns[i];
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
	detail_marks(desc, p->st, r, namew);
	if (desc->history != NULL && desc->history_value != NULL &&
	    desc->history_value(r, ui.detail.hist_value,
	    sizeof(ui.detail.hist_value)) > 0) {
		ui.detail.hist_desc = desc;
		detail_history();
	}
	if (desc->detail_lines != NULL)
		desc->detail_lines(p->st, r->key, detail_add_cb, NULL);
	if (desc->detail_argv != NULL) {
		ui.detail.cmd_desc = desc;
		ui.detail.cmd_st = p->st;
		detail_step(r);
	}
	ui.mode = MODE_DETAIL;
	/* the panes the history comes from read while it is open */
	ui_sync_parks();
	set_status("q or Esc closes; arrows, PgUp/PgDn scroll");
}

void
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
		ui_sync_parks();
		set_status("%s", "");
		break;
	default:
		scroll_key(ch, &d->top, d->nscreen);
		break;
	}
}
