/*
 * A provider turns what it reads (the output of commands, a log it follows)
 * into typed rows: its source.  It describes the columns, actions, views and
 * jumps of its pane: its pane description.  It knows nothing of the screen:
 * the generic table view draws, sorts and filters every pane, and the batch
 * mode prints the same rows as TSV or JSON lines.
 */
#ifndef MHTOP_PROVIDER_H
#define MHTOP_PROVIDER_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "util.h"

#define CELL_NONE	INT64_MIN	/* an integer cell with no value */

union cell {
	int64_t		 i;
	const char	*s;		/* NUL-terminated, never NULL */
};

struct row {
	const char	*key;		/* unique id of the row, e.g. the evpid */
	union cell	 cells[];
};

struct intern;

/* Rows of one poll; every string lives in the arena. */
struct rowset {
	struct row	**rows;
	size_t		  nrows;
	size_t		  cap;
	size_t		  nbad;		/* lines that could not be parsed */
	struct arena	  arena;
	struct intern	 *intern;	/* see rowset_intern */
	uint64_t	  serial;	/* which set: never 0, never reused */
	/*
	 * NULL, or for each row its place + 1 among the rows of the set
	 * numbered prev_serial (the pane's last) whose row had the same key,
	 * 0 for none, and ROW_PREV_SAME if it is that very row, unchanged: a
	 * re-read tells the table what it may keep.  At most one row per old
	 * row.
	 */
	uint32_t	 *prev;
	uint64_t	  prev_serial;
};

#define ROW_PREV_SAME		0x80000000U
#define ROW_PREV_PLACE(v)	((v) & ~ROW_PREV_SAME)

struct rowset	*rowset_new(void);
struct row	*rowset_add(struct rowset *, size_t ncells);
/* A row of another set whose arena this one adopts (rowset_adopt). */
void		 rowset_push(struct rowset *, struct row *);
/* Take over src's arena: its rows and strings live as long as dst. */
void		 rowset_adopt(struct rowset *dst, struct rowset *src);
void		 rowset_free(struct rowset *);
/* The tables have used prev: 4 bytes a row less to keep. */
void		 rowset_forget_prev(struct rowset *);
/* One copy of each distinct string: equal strings, equal pointers. */
const char	*rowset_intern(struct rowset *, const char *, size_t);
/* The same while field (0-15) repeats; a copy once it is mostly new values. */
const char	*rowset_intern_some(struct rowset *, int, const char *, size_t);

enum col_type {
	COL_STR,
	COL_INT,
	COL_TIME,			/* epoch seconds; screen shows an age */
};

#define COL_SCREEN	0x01		/* shown on screen */
#define COL_BATCH	0x02		/* printed by -b */
#define COL_RIGHT	0x04		/* right-aligned on screen */
#define COL_DETAIL	0x08		/* only in the detail view (and batch if COL_BATCH) */
#define COL_NONE_LAST	0x10		/* rows without a value sort last, both ways */
/* Where the screen cuts text too long for the column (cut.h); else the end. */
#define COL_CUT_MIDDLE	0x20		/* both ends: an IPv6 address */
#define COL_CUT_ADDR	0x40		/* an address keeps its domain */
#define COL_CUT_REPLY	0x80		/* an SMTP reply keeps its text */
#define COL_CUT_VERDICT	0x100		/* a verdict keeps its name */
#define COL_SEARCH	0x200		/* / searches it, though not on screen:
					 * the file name a quarantine id is in */
#define COL_SORT_ADDR	0x400		/* sorts as an IP address: numerically,
					 * IPv4 as ::ffff:a.b.c.d, text that is
					 * no address last */
/* -J: a COL_STR cell that is a comma-separated list, as an array */
#define COL_LIST	0x800
/* -J: a COL_STR cell that is a decimal number ("5.2"), as a number; null
 * when empty */
#define COL_NUMBER	0x1000

struct column {
	const char	*name;		/* batch header; screen header too */
	enum col_type	 type;
	int		 cell;		/* the cell it shows and sorts by */
	int		 width;		/* screen width; 0 = shares the rest */
	unsigned	 flags;
	/* Screen text; NULL prints the raw value.  Returns bytes written. */
	size_t		(*format)(const struct row *, time_t, char *, size_t);
};

/*
 * A narrow screen drops the columns with the highest drop first, until the
 * rest fit (a flexible column needs min, 10 if 0); drop 0 is the row's
 * identity, never dropped.  fit, when not NULL, writes the cell cut to a
 * width, as safe text (cut.h).
 */
struct screen_col {
	int		 column;	/* index into columns[] */
	const char	*title;
	int		 drop;
	int		 min;
	int		(*fit)(const struct row *, int, char *, size_t);
};

#define ACT_ROWS	0x01		/* acts on the tagged rows, else the cursor's */
#define ACT_CONFIRM	0x02		/* asks "Verb N nouns? [y/N]" first */
/* Lets mail through or changes the whole MTA: asks first too, unless the
 * config says "confirm removals". */
#define ACT_RISKY	0x04
#define ACT_RISKY_MANY	0x08		/* the same, on more than one id */
/* Asks for a text first (an address to send to), then always "? [y/N]". */
#define ACT_INPUT	0x10
/* Asks a second time when it counts more than ACT_TWICE_OVER things. */
#define ACT_TWICE	0x20
#define ACT_TWICE_OVER	100

struct action {
	int		 key;
	const char	*label;		/* help text */
	unsigned	 flags;
	const char	*verb;		/* "Remove", for the confirmation */
	const char	*noun;		/* what the ids are: "envelope", "whole
					 * message"; shown in the prompt when
					 * it is not the rows' noun */
	/*
	 * Map a row key to the id the command takes (an evpid to its msgid,
	 * say) and validate it.  -1 if the id is not acceptable (see
	 * refused).  NULL: the key itself, validated by build.
	 */
	int		(*target)(void *, const char *, char *, size_t);
	/*
	 * Build the argv (argv[0] the program, NULL-terminated) of command
	 * number step for one id, or for none when the action does not act on
	 * rows.  Strings must stay valid until the next call.  Returns argc, 0
	 * when the id needs no more commands, -1 when the id is not valid.
	 */
	int		(*build)(void *, const char *, int, const char **,
			    size_t);
	/* How many things an id stands for ("14 addresses" of a domain), for
	 * the confirmation; NULL: one. */
	size_t		(*count)(void *, const char *);
	const char	*counted;	/* what count counts: "address" */
	/*
	 * Why this id deserves a second thought ("spamd drops IPv6 entries"),
	 * or NULL.  A warning asks for confirmation even when the action
	 * would not.  NULL: never.
	 */
	const char	*(*warn)(void *, const char *);
	/* What the pane's STATE column shows after it ("suspend"), for the
	 * outcome; NULL: nothing to add. */
	const char	*state;
	/*
	 * Whether the command worked, for one whose exit status does not say
	 * (amavisd-release exits 0 when amavisd refused): 0 and the answer in
	 * buf, or -1 and why in buf.  Gets the provider's state, the id,
	 * stdout, stderr and the text typed for an ACT_INPUT action (else
	 * NULL).  NULL: the exit status says.
	 */
	int		(*judge)(void *, const char *, const char *, const char *,
			    const char *, char *, size_t);
	/* Why target refused a row's key ("no verdict names its client"),
	 * when it is not that the key is malformed; NULL: it is. */
	const char	*(*refused)(void *, const char *);
};

/*
 * What an ACT_INPUT action asks for before its y/N, in its pane's inputs
 * under the action's key: the question for the ids ("Release SkMBGGfgtCC1
 * to which address?"); whether the answer will do (0, or -1 and why); the
 * argv, as the action's build but with the answer (the action's own build
 * is not called); and the word that joins the answer to the confirmation
 * ("Release message S/spam-SkMBGGfgtCC1.gz to alt@example.net (...)?").
 */
struct action_input {
	int		 key;
	void		(*ask)(void *, char *const *, size_t, char *, size_t);
	int		(*check)(const char *, char *, size_t);
	int		(*build)(void *, const char *, const char *, int,
			    const char **, size_t);
	const char	*join;
};

struct conf;

/*
 * Other ways to see a pane's rows, one after the other on a key (all of a
 * pane's views have the same): grouped rows built from the pane's own
 * (the greylist by sender domain, the queue by recipient domain), with
 * their own columns and actions.  The actions get the provider's state.
 */
struct view {
	int			 key;
	const char		*label;		/* help text */
	const char		*title;		/* tab label while on */
	const char		*noun;
	const struct column	*columns;
	size_t			 ncolumns;
	const struct screen_col	*screen;
	size_t			 nscreen;
	int			 sort_column;
	int			 sort_reverse;
	const struct action	*actions;
	size_t			 nactions;
	struct rowset		*(*build)(void *, const struct rowset *, time_t);
	/* -b -p NAME prints the view ("shape"); NULL: only on screen */
	const char		*batch;
	/* Whether -b prints a row (not a TOTAL row); NULL: every row. */
	int			(*batch_row)(const struct row *);
	/* A key of the view (as pane_key): 1 when the view must be built
	 * again.  Its help line, or NULL. */
	int			(*view_key)(void *, int, char *, size_t);
	const char		*key_help;
	/* Header lines while the view is on; NULL: the pane's summary. */
	void			(*summary)(void *, const struct rowset *,
				    time_t, char *, size_t);
};

/*
 * A provider is two halves: a source, how its rows are read, and a pane
 * description, what the pane shows of them and does with them.  Both work
 * on the state the source creates.
 */

/*
 * The command holds a lock while it writes (spamdb and spamd's database):
 * read all its output into memory at full speed, parse it afterwards.
 */
#define PROV_DRAIN	0x01

struct source {
	unsigned	 flags;
	void		*(*create)(const struct conf *);
	void		 (*destroy)(void *);
	/* Every read: begin, then the kind's hooks, then finish. */
	void		 (*poll_begin)(void *, time_t);
	struct rowset	*(*poll_finish)(void *);	/* the rows, sorted */
	size_t		 (*progress)(void *);		/* rows read so far */
	/* The rows a read has parsed so far, unsorted, borrowed until the
	 * read goes on: for a view's partial counts.  NULL: none. */
	const struct rowset *(*rows_so_far)(void *);
	const char	*(*poll_error)(void *);

	/*
	 * Commands (smtpctl, spamdb), run one after the other: poll_argv
	 * fills the argv of step N and returns argc, or 0 when the read is
	 * complete; poll_line gets their output; poll_step_done their exit
	 * status (128+signal when killed) and stderr, and returns 0 to go on,
	 * -1 when the read failed (see poll_error).
	 */
	int		 (*poll_argv)(void *, int, const char **, size_t);
	void		 (*poll_line)(void *, int, char *, size_t);
	int		 (*poll_step_done)(void *, int, int, const char *);
	void		 (*poll_abort)(void *);

	/*
	 * Or reading for itself (a log it follows, a directory): each read
	 * calls poll_step, then poll_finish for the rows so far.  PROV_MORE:
	 * call again at once (a long history is read a slice at a time; rows
	 * are shown twice a second), PROV_SHOW: the same, rows shown now,
	 * PROV_IDLE: caught up, -1: failed (poll_error).  Then the command
	 * hooks may be NULL.
	 */
	int		 (*poll_step)(void *);

	/*
	 * The provider whose rows this one's are joined with (the
	 * quarantine with the mail log's verdicts and releases), or NULL.
	 * attach hands over its state; it reads whenever this pane does,
	 * and first in batch mode.
	 */
	const char	*joins;
	void		 (*attach)(void *, void *);
};

/*
 * Marks: one character before a row's cells that says what is known of
 * it elsewhere ('W': its IP is whitelisted).  Another pane's rows tell, by
 * a value they offer under a name ("msgid": lower-case hex): the row has
 * the mark when its own value, by value, is one of theirs.  Or the
 * provider knows it itself from what it read: own.  value writes the
 * row's value and returns its length, 0 when the row has none.
 */
struct link_offer {
	const char	*name;
	size_t		(*value)(const struct row *, char *, size_t);
};

struct link_mark {
	int		 mark;
	const char	*says;		/* "amavis gave its message a verdict" */
	const char	*name;		/* an offer's; NULL: own */
	size_t		(*value)(const struct row *, char *, size_t);
	int		(*own)(void *, const struct row *);	/* 1: it has */
};

struct pane_desc {
	const char		*title;		/* tab label */
	const char		*noun;		/* "envelope": a row, singular */
	const struct column	*columns;
	size_t			 ncolumns;
	/* The screen's columns in display order, with their titles. */
	const struct screen_col	*screen;
	size_t			 nscreen;
	int			 sort_column;	/* index into screen[] */
	int			 sort_reverse;	/* newest first, say */
	/* A key that sorts by one column, highest first, at once. */
	int			 quick_sort_key;
	int			 quick_sort_column;	/* index into screen[] */
	const struct action	*actions;
	size_t			 nactions;
	const struct action_input *inputs;	/* of the ACT_INPUT actions */
	size_t			 ninputs;
	const struct view	*views;
	size_t			 nviews;

	/* Header lines about the data (plain text, \n separated; a line
	 * starting with '!' needs attention and is drawn bold). */
	void		 (*summary)(void *, const struct rowset *, time_t,
			    char *, size_t);
	/* Why the last read gave no rows, said where the rows would be: what
	 * was looked at, where ("queue empty: smtpctl show queue listed no
	 * envelopes").  NULL, or nothing written: "(empty)". */
	void		 (*empty_reason)(void *, char *, size_t);
	/* Help lines for the keys below: "f  cycle the verdict filter". */
	const char *const	*help;

	/* Whether a row needs attention (drawn bold); NULL: never. */
	int		 (*row_alert)(const struct row *);
	/* A mark before the row ('+' new since the last read), or 0. */
	int		 (*row_mark)(void *, const struct row *);
	/* A colour class for the row (ROW_GOOD...), 0: the default. */
	int		 (*row_class)(const struct row *);
	/* Who a row is about, for prompts: "alice@a.example → bob@b.example". */
	size_t		 (*row_label)(const struct row *, char *, size_t);

	/*
	 * The commands whose output the detail view shows, one after the
	 * other: the argv of step N and its argc; 0 after the last, -1 for
	 * none.  The row is given at step 0 only (the pane may read again
	 * before the next): keep what the next steps need.  detail_line:
	 * how a line of step N's output is shown, in buf (its length), or
	 * -1 to leave it out; called once more with a NULL line after the
	 * last, for a line that says what was left out (or -1).  NULL: every
	 * line as it is.
	 */
	int		 (*detail_argv)(void *, const struct row *, int,
			    const char **, size_t);
	int		 (*detail_line)(void *, int, const char *, size_t,
			    char *, size_t);
	/* More lines for the detail view after the cells; NULL: none. */
	void		 (*detail_lines)(void *, const char *,
			    void (*)(void *, const char *, size_t), void *);

	/* A key the pane handles itself (a filter cycle): a status line for
	 * the user (buf), 1 if it changed the rows, 0 if not, -1: not ours. */
	int		 (*pane_key)(void *, int, char *, size_t);
	/*
	 * Jumps between panes: the reference a key (ch) makes of a row,
	 * "msgid 1a2b3c4d" (1, 0 when the row has none or is NULL, -1: not
	 * this key), and the key of a pane's row a reference names (1, else
	 * 0).
	 */
	int		 (*refer)(void *, const char *, int, char *, size_t);
	int		 (*resolve)(void *, const struct rowset *, const char *,
			    char *, size_t);

	/* This pane's marks, the first that applies shown; what its rows
	 * offer the other panes' marks. */
	const struct link_mark	*marks;
	size_t			 nmarks;
	const struct link_offer	*offers;
	size_t			 noffers;

	/* What the trace looks at in the rows; NULL: nothing. */
	const struct trace_desc	*trace;

	/*
	 * For the health line (health.h): the service the pane reads
	 * (enum health_svc + 1; 0: none), and what its last read says of
	 * it: a note ("MTA paused"), whether that is an alarm, and when
	 * the service was last seen at work (0: unknown).  NULL: nothing.
	 */
	int			 service;
	void			(*health)(void *, char *, size_t, int *,
				    time_t *);

	/*
	 * A row's history in its detail view: the other panes' about() are
	 * asked about the value history_value gives, of the name history;
	 * NULL: none.
	 */
	const char		*history;		/* "evpid" */
	size_t			(*history_value)(const struct row *, char *,
				    size_t);
	const char		*history_title;	/* "Delivery attempts" */
	/*
	 * What this pane's rows say of a value of that name: lines through
	 * add, oldest first; returns how many it found.  NULL: nothing.
	 */
	size_t			(*about)(void *, const struct rowset *,
				    const char *, const char *,
				    void (*)(void *, const char *, size_t),
				    void *);
};

/*
 * What the trace (trace.h) finds in a pane's rows: which cells hold the
 * time of the row's event, the client's IP, the sender, the recipients
 * (one address or a list), the client's host name and the From: header;
 * -1 for none.  The event is kind ("greylisted"), or the text of cell
 * kind_cell when that is not -1; detail says the rest in a few words
 * ("a retry after 10:42 passes; 3 attempts"), NULL for nothing.
 * follow_ip: a row also counts when its IP is one the trace's other
 * events came from (the whitelist record of a greylisted tuple's client).
 * summary says in a clause what the n rows found add up to ("2 tuples
 * greylisted from 203.0.113.9, the next retry after 10:42 passes",
 * "nothing queued"), 0 bytes for nothing to say; NULL: nothing.
 * blind says what the trace cannot see in the pane now, in buf: 0 when
 * it sees all, 1 for a part ("the last 24 h of the mail log only"), 2
 * for nothing ("waiting for /var/log/maillog"); NULL: always all.
 */
struct trace_desc {
	const char	*kind;
	int		 kind_cell;
	int		 follow_ip;
	int		 when;
	int		 ip;
	int		 sender;
	int		 rcpts;
	int		 host;
	int		 header_from;
	size_t		(*detail)(void *, const struct row *, time_t, char *,
			    size_t);
	size_t		(*summary)(void *, const struct row *const *, size_t,
			    time_t, char *, size_t);
	int		(*blind)(void *, char *, size_t);
};

struct provider {
	const char		*name;		/* -p name */
	struct source		 src;
	struct pane_desc	 desc;
};

#define PROV_IDLE	0
#define PROV_MORE	1
#define PROV_SHOW	2		/* more, but show the rows now: the
					 * provider holds memory for old ones */

/*
 * Seconds a poll_step, or a turn parsing a command's output, works at most
 * (checked between pieces of SLICE_PIECE bytes): however slow the input is
 * to take in, keys and signals wait no longer.  0: one piece a turn.
 */
#define SLICE_PIECE	(256 * 1024)
extern double	 slice_time;
double		 mono_now(void);

#define ROW_GOOD	1		/* green: passed clean */
#define ROW_WARN	2		/* yellow: spam let through */
#define ROW_BAD		3		/* red: blocked */

extern const struct provider	provider_queue;
extern const struct provider	provider_grey;
extern const struct provider	provider_white;
extern const struct provider	provider_verdicts;
extern const struct provider	provider_quarantine;
extern const struct provider	provider_spamdlog;	/* for the trace */
extern const struct provider	provider_smtpdlog;	/* for the trace */

#endif
