/* -b: rows as TSV, or with -J as JSON lines; no curses. */
#include "config.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <event2/event.h>

#include "batch.h"
#include "json.h"
#include "pane.h"
#include "sanitize.h"
#include "table.h"
#include "trace.h"
#include "util.h"

struct batch {
	struct event_base	*base;
	struct pane		*pane;
	const struct view	*view;		/* printed instead, or NULL */
	int			 joined;	/* its joined pane was read */
	int			 json;		/* -J */
	int			 left;
	int			 first;
	int			 status;
	int			 werr;		/* errno of a failed write */
	int			 done;
};

/*
 * A million rows through stdio a field at a time spent more time in
 * fprintf than the whole parse: rows are formatted into a buffer, written
 * in pieces of BATCH_BUF.
 */
#define BATCH_BUF	(64 * 1024)

void
batch_print(FILE *fp, const struct pane_desc *desc, const struct rowset *rs)
{
	const struct column	*col;
	const union cell	*c;
	char			*buf, *o;
	size_t			 i, r, cap = 2 * BATCH_BUF, need, len, off;
	int			 sep = 0;

	for (i = 0; i < desc->ncolumns; i++) {
		if (!(desc->columns[i].flags & COL_BATCH))
			continue;
		if (sep++)
			fputc('\t', fp);
		fputs(desc->columns[i].name, fp);
	}
	fputc('\n', fp);
	buf = o = xmalloc(cap);
	for (r = 0; rs != NULL && r < rs->nrows; r++) {
		sep = 0;
		for (i = 0; i < desc->ncolumns; i++) {
			col = &desc->columns[i];
			if (!(col->flags & COL_BATCH))
				continue;
			c = &rs->rows[r]->cells[col->cell];
			len = col->type == COL_STR ? strlen(c->s) : 0;
			need = (size_t)(o - buf) + len * TSV_ESCAPE_MAX + 32;
			if (need > cap) {
				off = (size_t)(o - buf);
				cap = need + BATCH_BUF;
				buf = xreallocarray(buf, cap, 1);
				o = buf + off;
			}
			if (sep++)
				*o++ = '\t';
			if (col->type == COL_STR)
				o = tsv_escape(o, c->s, len);
			else if (c->i != CELL_NONE)
				o = put_int64(o, c->i);
		}
		*o++ = '\n';
		if (o - buf >= BATCH_BUF) {
			fwrite(buf, 1, (size_t)(o - buf), fp);
			o = buf;
		}
	}
	fwrite(buf, 1, (size_t)(o - buf), fp);
	free(buf);
}

/* The same rows as batch_print, as JSON lines: one object a row. */
void
batch_print_json(FILE *fp, const struct pane_desc *desc,
    const struct rowset *rs)
{
	const struct column	*col;
	const union cell	*c;
	struct json		 j;
	size_t			 i, r;

	json_init(&j, 2 * BATCH_BUF);
	for (r = 0; rs != NULL && r < rs->nrows; r++) {
		json_object(&j);
		for (i = 0; i < desc->ncolumns; i++) {
			col = &desc->columns[i];
			if (!(col->flags & COL_BATCH))
				continue;
			c = &rs->rows[r]->cells[col->cell];
			json_key(&j, col->name);
			if (col->type != COL_STR) {
				if (c->i == CELL_NONE)
					json_null(&j);
				else
					json_int(&j, c->i);
			} else if (col->flags & COL_LIST)
				json_list(&j, c->s, strlen(c->s));
			else if (col->flags & COL_NUMBER)
				json_number(&j, c->s, strlen(c->s));
			else
				json_string(&j, c->s, strlen(c->s));
		}
		json_object_end(&j);
		json_newline(&j);
		if (j.len >= BATCH_BUF) {
			fwrite(j.buf, 1, j.len, fp);
			json_clear(&j);
		}
	}
	fwrite(j.buf, 1, j.len, fp);
	json_free(&j);
}

static void
print_rows(FILE *fp, int json, const struct pane_desc *desc,
    const struct rowset *rs)
{
	if (json)
		batch_print_json(fp, desc, rs);
	else
		batch_print(fp, desc, rs);
}

/*
 * A view of the rows, as the screen orders it (its sort column, then the
 * key): the rows batch_row keeps.
 */
static void
batch_print_view(FILE *fp, int json, const struct view *v, struct pane *p)
{
	struct pane_desc	 d;
	struct table		 t;
	struct rowset		*rs, *out;
	const struct row	*r;
	size_t			 i;

	memset(&d, 0, sizeof(d));
	d.title = v->title;
	d.noun = v->noun;
	d.columns = v->columns;
	d.ncolumns = v->ncolumns;
	d.screen = v->screen;
	d.nscreen = v->nscreen;
	d.sort_column = v->sort_column;
	rs = v->build(p->st, p->rows, p->data_time);
	table_init(&t, &d);
	t.sort_rev = v->sort_reverse;
	table_set_rows(&t, rs);
	out = rowset_new();
	for (i = 0; i < t.nview; i++) {
		r = table_row_at(&t, i);
		if (v->batch_row == NULL || v->batch_row(r))
			rowset_push(out, (struct row *)r);
	}
	print_rows(fp, json, &d, out);
	table_free(&t);
	rowset_free(out);
	rowset_free(rs);
}

static void
batch_update(struct pane *p, void *arg)
{
	struct batch	*b = arg;

	if (p->error[0] != '\0') {
		fflush(stdout);
		warnmsg("%s", p->error);
		b->status = 1;
		b->done = 1;
		event_base_loopbreak(b->base);
		return;
	}
	if (p->partial)		/* a log's history is still being read */
		return;
	if (!b->first)
		fputc('\n', stdout);
	b->first = 0;
	if (b->view != NULL)
		batch_print_view(stdout, b->json, b->view, p);
	else
		print_rows(stdout, b->json, &p->prov->desc, p->rows);
	/* a reader that stopped (mhtop -b | head) ends the snapshots */
	if (fflush(stdout) == EOF && b->werr == 0)
		b->werr = errno;
	if (--b->left <= 0 || ferror(stdout)) {
		b->done = 1;
		event_base_loopbreak(b->base);
	}
}

/*
 * The pane whose rows the printed ones are joined with, read first: its
 * failure leaves the join empty, said once, and the rows still print.
 */
static void
batch_joined(struct pane *j, void *arg)
{
	struct batch	*b = arg;

	if (b->joined)
		return;
	if (j->error[0] != '\0') {
		fflush(stdout);
		warnmsg("the %s rows are not joined with the %s: %s",
		    b->pane->prov->name, j->prov->name, j->error);
	} else if (j->partial)
		return;
	b->joined = 1;
	pane_poll_now(b->pane);
}

int
batch_run(struct event_base *base, struct pane *p, const struct view *v,
    int count, int json)
{
	struct batch	 b;

	memset(&b, 0, sizeof(b));
	b.base = base;
	b.pane = p;
	b.view = v;
	b.json = json;
	b.left = count > 0 ? count : 1;
	b.first = 1;
	p->on_update = batch_update;
	p->arg = &b;
	if (p->joined != NULL) {
		p->joined->on_update = batch_joined;
		p->joined->arg = &b;
		pane_poll_now(p->joined);
	} else
		pane_poll_now(p);
	/* a file read at once is done before the loop, which forgets a break */
	if (!b.done)
		event_base_dispatch(base);
	/* what the header says, said where a script sees it */
	if (p->rows != NULL && p->rows->nbad > 0)
		warnmsg("%s: %zu unparsable line%s", p->prov->name,
		    p->rows->nbad, p->rows->nbad == 1 ? "" : "s");
	if (ferror(stdout) && b.werr != EPIPE) {
		warnmsg("stdout: %s", strerror(b.werr ? b.werr : EIO));
		b.status = 1;
	}
	return b.status;
}

/* -p trace: every pane read once, one after the other, then the trace. */
struct btrace {
	struct event_base	*base;
	struct pane		*panes;
	size_t			 n;
	size_t			 at;		/* the pane being read */
	size_t			 read;		/* panes read */
	int			 done;
};

static void	trace_next(struct btrace *);

static void
trace_update(struct pane *p, void *arg)
{
	struct btrace	*b = arg;

	if (p->error[0] == '\0' && p->partial)
		return;
	p->on_update = NULL;
	if (p->error[0] != '\0') {
		fflush(stdout);
		warnmsg("trace: no %s seen: %s", p->prov->desc.title,
		    p->error);
	} else
		b->read++;
	b->at++;
	trace_next(b);
}

static void
trace_next(struct btrace *b)
{
	struct pane	*p;

	while (b->at < b->n && b->panes[b->at].prov->desc.trace == NULL)
		b->at++;
	if (b->at == b->n) {
		b->done = 1;
		event_base_loopbreak(b->base);
		return;
	}
	p = &b->panes[b->at];
	p->on_update = trace_update;
	p->arg = b;
	pane_poll_now(p);
}

int
batch_trace(struct event_base *base, struct pane *panes, size_t n,
    const struct trace_target *t, time_t now, int json)
{
	struct btrace		 b;
	struct trace_from	*from;
	struct rowset		*ts;
	struct pane_desc	 desc;
	size_t			 i, nf = 0;

	memset(&b, 0, sizeof(b));
	b.base = base;
	b.panes = panes;
	b.n = n;
	trace_next(&b);
	if (!b.done)
		event_base_dispatch(base);
	if (b.read == 0) {
		warnmsg("trace %s: no source could be read", t->text);
		return 1;
	}
	from = xreallocarray(NULL, n, sizeof(*from));
	for (i = 0; i < n; i++) {
		if (panes[i].prov->desc.trace == NULL ||
		    panes[i].error[0] != '\0' || panes[i].rows == NULL)
			continue;
		from[nf].name = panes[i].prov->name;
		from[nf].desc = panes[i].prov->desc.trace;
		from[nf].st = panes[i].st;
		from[nf].rs = panes[i].rows;
		nf++;
	}
	ts = trace_build(t, from, nf, now);
	memset(&desc, 0, sizeof(desc));
	desc.columns = trace_columns;
	desc.ncolumns = trace_ncolumns;
	print_rows(stdout, json, &desc, ts);
	rowset_free(ts);
	free(from);
	if (fflush(stdout) == EOF || ferror(stdout)) {
		if (errno != EPIPE) {
			warnmsg("stdout: %s", strerror(errno));
			return 1;
		}
	}
	return 0;
}
