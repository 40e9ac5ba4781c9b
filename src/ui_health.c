/* The health line, under the tabs of every pane. */
#include "config.h"

#include <curses.h>
#include <string.h>
#include <time.h>

#include "health.h"
#include "util.h"
#include "ui_int.h"
#include "wallclock.h"

/* A pane's note on its service, from data older than this: says how old. */
#define NOTE_MAX_AGE	60

static void
health_notes(time_t now)
{
	const struct pane	*p;
	char			 note[64], age[32];
	time_t			 worked;
	size_t			 i, n;
	int			 bad;

	for (i = 0; i < ui.npanes + ui.nhidden; i++) {
		p = &ui.panes[i];
		if (p->prov->desc.service == 0 || p->prov->desc.health == NULL ||
		    p->rows == NULL)
			continue;
		p->prov->desc.health(p->st, note, sizeof(note), &bad, &worked);
		if (pane_stale(p)) {
			note[0] = '\0';
			bad = 0;
		} else if (note[0] != '\0' && now - p->data_time > NOTE_MAX_AGE) {
			fmt_duration(now - p->data_time, age, sizeof(age));
			n = strlen(note);
			snprintf(note + n, sizeof(note) - n, " %s ago", age);
		}
		health_note(ui.health, p->prov->desc.service - 1, note, bad,
		    worked);
	}
}

/* Alarms first: on a narrow screen the rest gives way. */
int
draw_health(int y)
{
	const struct health_item	*it;
	time_t				 now = wallclock_now();
	size_t				 i, n;
	int				 x = 0, pass;

	if (ui.health == NULL || LINES < 8)
		return y;
	health_notes(now);
	it = health_items(ui.health, now, &n);
	if (n == 0)
		return y;
	move(y, 0);
	for (pass = 1; pass >= 0; pass--)
		for (i = 0; i < n && x < COLS; i++) {
			if (it[i].bold != pass)
				continue;
			if (x > 0)
				x += put_str(y, x, "  ", COLS - x);
			if (it[i].bold)
				attron(A_BOLD);
			x += put_str(y, x, it[i].text, COLS - x);
			attroff(A_BOLD);
		}
	return y + 1;
}

void
health_changed(void *arg)
{
	(void)arg;
	draw();
}
