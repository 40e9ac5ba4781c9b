/*
 * The last events of a log, as rows: at most max, the oldest go first.
 * Each row is one block of its own, owned by the ring.  A row set hands
 * out pointers to them, so an evicted row lives on until the set after
 * next: what was handed out before may still point into it.
 */
#ifndef MHTOP_EVRING_H
#define MHTOP_EVRING_H

#include <stddef.h>

#include "provider.h"

struct evring {
	struct row	**ring;
	size_t		  max, first, n;
	struct row	**grave, **grave_prev;
	size_t		  ngrave, ngrave_prev;
};

void		 evring_init(struct evring *, size_t);
void		 evring_free(struct evring *);
/* Keep a row (xmalloc'ed), evicting the oldest when full. */
void		 evring_add(struct evring *, struct row *);
/* The rows, oldest first; the rows evicted before the last set go. */
struct rowset	*evring_rows(struct evring *);

#endif
