#include "config.h"

#include <string.h>

#include "links.h"
#include "util.h"

#define VALUE_MAX	512

static struct links_set *
set_named(struct links *l, const char *name)
{
	size_t	 i;

	for (i = 0; i < l->nsets; i++)
		if (strcmp(l->sets[i].name, name) == 0)
			return &l->sets[i];
	if (l->nsets == LINKS_NAMES)
		fatalx("links: more than %d names", LINKS_NAMES);
	memset(&l->sets[l->nsets], 0, sizeof(l->sets[0]));
	l->sets[l->nsets].name = name;
	return &l->sets[l->nsets++];
}

static void
set_fill(struct links_set *s, const struct pane_desc *d,
    const struct rowset *rs)
{
	const struct row	*r;
	char			 v[VALUE_MAX];
	size_t			 i, k, len;

	for (k = 0; k < d->noffers; k++) {
		if (strcmp(d->offers[k].name, s->name) != 0)
			continue;
		for (i = 0; i < rs->nrows; i++) {
			r = rs->rows[i];
			len = d->offers[k].value(r, v, sizeof(v));
			if (len > 0 && len < sizeof(v))
				u64set_add(&s->set, hash_mem(v, len));
		}
	}
}

int
links_offers(const struct pane_desc *d, const char *name)
{
	size_t	 k;

	for (k = 0; k < d->noffers; k++)
		if (strcmp(d->offers[k].name, name) == 0)
			return 1;
	return 0;
}

static void
set_update(struct links_set *s, const struct pane_desc *const *descs,
    const struct rowset *const *rows, size_t n)
{
	size_t	 i;
	int	 stale = 0;

	for (i = 0; i < n && i < LINKS_PANES; i++)
		if (links_offers(descs[i], s->name) &&
		    s->serial[i] != (rows[i] != NULL ? rows[i]->serial : 0))
			stale = 1;
	if (!stale)
		return;
	u64set_clear(&s->set);
	for (i = 0; i < n && i < LINKS_PANES; i++) {
		s->serial[i] = rows[i] != NULL ? rows[i]->serial : 0;
		if (rows[i] != NULL && links_offers(descs[i], s->name))
			set_fill(s, descs[i], rows[i]);
	}
}

void
links_update(struct links *l, const struct pane_desc *want,
    const struct pane_desc *const *descs, const struct rowset *const *rows,
    size_t n)
{
	size_t	 k;

	for (k = 0; k < want->nmarks; k++)
		if (want->marks[k].name != NULL)
			set_update(set_named(l, want->marks[k].name), descs,
			    rows, n);
}

int
links_has(const struct links *l, const struct link_mark *m, void *st,
    const struct row *r)
{
	char	 v[VALUE_MAX];
	size_t	 i, len;

	if (m->name == NULL)
		return m->own(st, r);
	for (i = 0; i < l->nsets; i++)
		if (strcmp(l->sets[i].name, m->name) == 0)
			break;
	if (i == l->nsets || l->sets[i].set.n == 0)
		return 0;
	len = m->value(r, v, sizeof(v));
	return len > 0 && len < sizeof(v) &&
	    u64set_has(&l->sets[i].set, hash_mem(v, len));
}

int
links_mark(const struct links *l, const struct pane_desc *d, void *st,
    const struct row *r, size_t *which)
{
	size_t	 k;

	for (k = 0; k < d->nmarks; k++)
		if (links_has(l, &d->marks[k], st, r)) {
			if (which != NULL)
				*which = k;
			return d->marks[k].mark;
		}
	return 0;
}

int
links_needs(const struct pane_desc *want, const struct pane_desc *other)
{
	size_t	 k;

	for (k = 0; k < want->nmarks; k++)
		if (want->marks[k].name != NULL &&
		    links_offers(other, want->marks[k].name))
			return 1;
	return 0;
}

void
links_free(struct links *l)
{
	size_t	 i;

	for (i = 0; i < l->nsets; i++)
		u64set_free(&l->sets[i].set);
	l->nsets = 0;
}
