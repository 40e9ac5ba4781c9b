/* The last events of a log, as rows handed out safely (evring.h). */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "evring.h"
#include "util.h"

void
evring_init(struct evring *e, size_t max)
{
	memset(e, 0, sizeof(*e));
	e->max = max > 0 ? max : 1;
	e->ring = xcalloc(e->max, sizeof(*e->ring));
}

static void
bury(struct row ***g, size_t *n)
{
	size_t	 i;

	for (i = 0; i < *n; i++)
		free((*g)[i]);
	free(*g);
	*g = NULL;
	*n = 0;
}

void
evring_free(struct evring *e)
{
	size_t	 i;

	for (i = 0; i < e->n; i++)
		free(e->ring[(e->first + i) % e->max]);
	free(e->ring);
	bury(&e->grave, &e->ngrave);
	bury(&e->grave_prev, &e->ngrave_prev);
	memset(e, 0, sizeof(*e));
}

void
evring_add(struct evring *e, struct row *r)
{
	if (e->n == e->max) {
		if ((e->ngrave & (e->ngrave - 1)) == 0)	/* 0, 1, 2, 4... */
			e->grave = xreallocarray(e->grave, e->ngrave ?
			    e->ngrave * 2 : 1, sizeof(*e->grave));
		e->grave[e->ngrave++] = e->ring[e->first];
		e->first = (e->first + 1) % e->max;
		e->n--;
	}
	e->ring[(e->first + e->n) % e->max] = r;
	e->n++;
}

struct rowset *
evring_rows(struct evring *e)
{
	struct rowset	*rs = rowset_new();
	size_t		 i;

	/* two row sets ago is seen by no one: its evicted rows can go */
	bury(&e->grave_prev, &e->ngrave_prev);
	e->grave_prev = e->grave;
	e->ngrave_prev = e->ngrave;
	e->grave = NULL;
	e->ngrave = 0;
	rs->cap = e->n > 0 ? e->n : 1;
	rs->rows = xreallocarray(NULL, rs->cap, sizeof(*rs->rows));
	for (i = 0; i < e->n; i++)
		rs->rows[i] = e->ring[(e->first + i) % e->max];
	rs->nrows = e->n;
	return rs;
}
