/*
 * The marks panes give each other's rows (provider.h, struct link_mark):
 * for each name a pane's marks look up, the values every pane's rows offer
 * under it, as a set of hashes, rebuilt when those rows change.  Knows no
 * provider and no screen.
 */
#ifndef MHTOP_LINKS_H
#define MHTOP_LINKS_H

#include "provider.h"
#include "u64set.h"

#define LINKS_NAMES	8
#define LINKS_PANES	16

struct links_set {
	const char	*name;
	struct u64set	 set;
	uint64_t	 serial[LINKS_PANES];	/* of the rows it holds */
};

struct links {
	struct links_set	 sets[LINKS_NAMES];
	size_t			 nsets;
};

/*
 * Bring the sets want's marks need up to the n panes' rows now (descs[i]
 * and rows[i], NULL before a pane has read).
 */
void	 links_update(struct links *, const struct pane_desc *want,
	    const struct pane_desc *const *descs,
	    const struct rowset *const *rows, size_t n);
/* Whether row (of a pane with state st) has mark m. */
int	 links_has(const struct links *, const struct link_mark *, void *st,
	    const struct row *);
/* The first of desc's marks row has, or 0; *which its index if not NULL. */
int	 links_mark(const struct links *, const struct pane_desc *, void *st,
	    const struct row *, size_t *which);
/* Whether want's marks need other's rows. */
int	 links_needs(const struct pane_desc *want,
	    const struct pane_desc *other);
/* Whether d's rows offer values under name. */
int	 links_offers(const struct pane_desc *d, const char *name);
void	 links_free(struct links *);

#endif
