/*
 * What the files of the full-screen interface share: its state and the
 * functions one calls in another.  Only src/ui*.c include it.
 */
#ifndef MHTOP_UI_INT_H
#define MHTOP_UI_INT_H

#include <stddef.h>

#include "action.h"
#include "health.h"
#include "links.h"
#include "pane.h"
#include "table.h"
#include "trace.h"

#define MAX_PANES	5
#define DETAIL_MAX	(256 * 1024)
/* The trace on the screen: its newest events, when a domain finds many. */
#define TRACE_SCREEN_MAX	20000
/* Narrower, a pane's marks give way to its columns. */
#define MARKS_MIN_COLS		60
#ifndef CTRL
#define CTRL(c)		((c) & 0x1f)
#endif

enum mode {
	MODE_TABLE,
	MODE_HELP,
	MODE_DETAIL,
	MODE_FILTER,
	MODE_CONFIRM,
	MODE_INPUT,		/* an action's question, before its y/N */
	MODE_TRACE,		/* T's question: what to trace */
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
	/* the commands run one after the other (detail_argv) */
	const struct pane_desc *cmd_desc;
	void		 *cmd_st;
	int		  step;
	/* the row's history: what the other panes say of it (about()),
	 * after the lines above, made again when those panes read */
	const struct pane_desc *hist_desc;
	char		  hist_value[128];
	char		**hist;
	size_t		  nhist;
};

struct ui {
	struct event_base	*base;
	struct pane		*panes;
	size_t			 npanes;	/* with a tab */
	struct pane		*hidden;	/* without: the trace's */
	size_t			 nhidden;
	size_t			 cur;
	struct table		 tables[MAX_PANES];
	unsigned		 seen_gen[MAX_PANES];
	/* a provider's view (1...: views[grouped - 1]), 0: none; the pane
	 * made of it, its table and its rows */
	int			 grouped[MAX_PANES];
	struct pane_desc	 vdesc[MAX_PANES];
	struct table		 vtables[MAX_PANES];
	struct rowset		*vrows[MAX_PANES];
	size_t			 vpartial[MAX_PANES];	/* made of the rows of a
							 * read still going on */
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
	char			 prompt[1024];
	int			 asked_twice;	/* ACT_TWICE: the second time */
	char			 ask[256];	/* its question (ACT_INPUT) */
	char			 answer[256];	/* being typed */
	size_t			 anslen;
	char			 answer_err[300];
	int			 colours;	/* the terminal has them */
	char			 jump_ref[128];	/* a jump looking for this */
	int			 jump_key;
	unsigned		 jump_wait;	/* panes it waits for, a bit each */
	struct detail		 detail;
	size_t			 help_top;
	struct links		 links;		/* the marks' sets */
	struct health		*health;	/* the health line's checks */
	/* T: one address, domain or IP through every pane, over them */
	struct {
		int			 on;
		struct trace_target	 target;
		struct pane_desc	 desc;
		struct table		 table;
		struct rowset		*rows;
		unsigned		 gen[MAX_PANES + 4];	/* made of */
		size_t			 nall;		/* rows found */
		char			 summary[2048];
		char			 input[TRACE_TEXT_MAX];
		size_t			 inlen;
		char			 err[300];
	} trace;
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
};

extern struct ui	ui;

#define HELP_HINT	"? for help, q to quit"

/* ui.c: the state, tabs, header, keys */
struct table	*cur_table(void);
/* The view pane i shows (ui.grouped), NULL: its own rows. */
const struct view *cur_view(size_t);
const struct pane_desc *cur_desc(void);
void		 set_status(const char *, ...)
		    __attribute__((__format__(__printf__, 1, 2)));
int		 put_text(int, int, const char *, size_t, int);
int		 put_str(int, int, const char *, int);
void		 draw(void);

/* ui.c: moves between panes */
void		 ui_switch_pane(size_t);
/* Read the pane on screen, what it joins and what its marks look up; all
 * while a trace is open.  The rest wait. */
void		 ui_sync_parks(void);
/* The marks' sets, up to the panes' rows. */
void		 ui_links_update(void);
/* To pane i's row of that key, out of a grouped view; -1 if filtered out. */
int		 ui_goto_row(size_t, const char *);

/* ui_trace.c: T, the trace over every pane */
void		 trace_ask(void);
void		 key_trace_ask(int);
void		 draw_trace_ask(void);
int		 draw_trace_header(int);
void		 trace_refresh(void);
int		 key_trace(int);
void		 trace_close(void);
void		 trace_free(void);

/* ui_table.c: the generic table */
void		 draw_table(int);

/* ui_prompt.c: the status line, the filter, questions, y/N and outcomes */
void		 draw_status(void);
void		 start_action(const struct action *);
void		 action_check_cursor(size_t);
void		 key_confirm(int);
void		 key_filter(int);
void		 key_input(int);
/* A line being typed: 1 if ch edited it (a character, Backspace, ^U). */
int		 edit_line(char *, size_t *, size_t, int);

/* ui_help.c: the help view, and scrolling */
void		 draw_help(void);
void		 key_help(int);
void		 scroll_status(const char *, size_t, size_t);
int		 scroll_key(int, size_t *, size_t);

/* ui_health.c: the health line under the tabs */
int		 draw_health(int);
void		 health_changed(void *);

/* ui_detail.c: the detail view */
void		 draw_detail(void);
void		 detail_open(void);
void		 detail_clear(void);
/* The history, again: a pane it comes from has read. */
void		 detail_history(void);
void		 key_detail(int);

#endif
