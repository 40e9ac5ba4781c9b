/*
 * The help view, and the scrolling it shares with the detail view.
 */
#include "config.h"

#include <curses.h>
#include <stdio.h>

#include "conf.h"
#include "ui_int.h"

/*
 * What the marks before the rows of the pane say, each once, and which
 * pane tells (it reads while this one is on screen).
 */
static size_t
help_marks(const struct pane_desc *desc, const char **lines, size_t n)
{
	static char	 buf[8][200], also[300];
	size_t		 k, j, m = 0, off = 0, nfrom = 0;
	int		 w;

	if (desc->nmarks == 0)
		return n;
	lines[n++] = "";
	lines[n++] = "Marks before the rows (Enter on a row says what its mark "
	    "stands for)";
	for (k = 0; k < desc->nmarks && m < nitems(buf); k++) {
		for (j = 0; j < k && desc->marks[j].mark !=
		    desc->marks[k].mark; j++)
			;
		if (j < k)
			continue;
		snprintf(buf[m], sizeof(buf[m]), "  %c                    %s",
		    desc->marks[k].mark, desc->marks[k].says);
		lines[n++] = buf[m++];
	}
	/* the panes they come from read too: the operator should know */
	for (j = 0; j < ui.npanes; j++) {
		if (j == ui.cur || !links_needs(desc, &ui.panes[j].prov->desc))
			continue;
		w = snprintf(also + off, sizeof(also) - off, "%s%s",
		    nfrom == 0 ? "  For them the " : " and the ",
		    ui.panes[j].prov->desc.title);
		if (w > 0 && (size_t)w < sizeof(also) - off)
			off += (size_t)w;
		nfrom++;
	}
	if (nfrom > 0) {
		snprintf(also + off, sizeof(also) - off, " pane%s read%s while "
		    "this one is on screen", nfrom > 1 ? "s" : "",
		    nfrom > 1 ? "" : "s");
		lines[n++] = also;
	}
	return n;
}

/* Lines of the help view. */
static size_t
help_lines(const char ***out)
{
	static const char *global[] = {
		"Global keys",
		"  1-5, Tab, Shift-Tab  switch panes",
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
		"  T                    trace an address, domain or IP through every pane",
		"  Ctrl-R, F5           read the pane now",
		"  Ctrl-L               redraw",
		"  ?                    this help",
		"  q                    quit",
		"",
	};
	static const char *health[] = {
		"",
		"The line under the tabs: smtpd, spamd and amavisd up, DOWN (in bold,",
		"first) or ? (mhtop cannot check it), the age of the mail log and the",
		"quarantine's free space; health in mhtop.conf(5) says how each is checked",
	};
	static char		 buf[32][256];
	static const char	*lines[80];
	const struct pane_desc	*desc = cur_desc();
	const struct pane_desc	*pd = &ui.panes[ui.cur].prov->desc;
	const struct view	*v = cur_view(ui.cur);
	char			 views[160];
	size_t			 off, j;
	int			 w;
	size_t			 n = 0, i, k;

	for (i = 0; i < nitems(global); i++)
		lines[n++] = global[i];
	snprintf(buf[0], sizeof(buf[0]), "Keys of the %s pane%s", desc->title,
	    ui.conf->readonly ? " (read-only: none of them runs)" : "");
	lines[n++] = buf[0];
	for (i = 0; i < desc->nactions && i + 2 < nitems(buf); i++) {
		unsigned	 f = desc->actions[i].flags;
		const char	*ask = "";

		if ((f & (ACT_CONFIRM | ACT_INPUT)) ||
		    (ui.conf->confirm_risky && (f & ACT_RISKY)))
			ask = ", asks first";
		else if (ui.conf->confirm_risky && (f & ACT_RISKY_MANY))
			ask = ", asks first for more than one";
		snprintf(buf[i + 1], sizeof(buf[i + 1]), "  %c                    %s%s",
		    desc->actions[i].key, desc->actions[i].label, ask);
		lines[n++] = buf[i + 1];
	}
	if (pd->nviews > 0) {
		/* one key goes through them all, then back to the rows */
		views[0] = '\0';
		for (j = 0, off = 0; j < pd->nviews; j++) {
			w = snprintf(views + off, sizeof(views) - off, "%s%s",
			    j == 0 ? "" : "; again: ", pd->views[j].label);
			if (w < 0 || (size_t)w >= sizeof(views) - off)
				break;
			off += (size_t)w;
		}
		snprintf(buf[i + 1], sizeof(buf[i + 1]), "  %c                    "
		    "%.200s; again: back", pd->views[0].key, views);
		lines[n++] = buf[++i];
	}
	if (v != NULL && v->key_help != NULL && i + 2 < nitems(buf)) {
		snprintf(buf[i + 1], sizeof(buf[i + 1]), "  %s", v->key_help);
		lines[n++] = buf[++i];
	}
	for (k = 0; desc->help != NULL && desc->help[k] != NULL &&
	    i + 2 < nitems(buf); k++) {
		snprintf(buf[i + 1], sizeof(buf[i + 1]), "  %s", desc->help[k]);
		lines[n++] = buf[++i];
	}
	n = help_marks(desc, lines, n);
	for (i = 0; i < nitems(health) && n < nitems(lines); i++)
		lines[n++] = health[i];
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
void
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
int
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

void
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

/* The help scrolls like the detail view; any other key closes it. */
void
key_help(int ch)
{
	const char	**lines;

	if (scroll_key(ch, &ui.help_top, help_lines(&lines)))
		return;
	ui.mode = MODE_TABLE;
	set_status("%s", "");
}
