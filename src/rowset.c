#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "provider.h"
#include "util.h"

struct intern_slot {
	const char	*s;
	size_t		 len;
	uint64_t	 hash;
};

struct intern {
	struct intern_slot	*slots;
	size_t			 cap;		/* a power of two */
	size_t			 n;
};

struct rowset *
rowset_new(void)
{
	return xcalloc(1, sizeof(struct rowset));
}

struct row *
rowset_add(struct rowset *rs, size_t ncells)
{
	struct row	*row;

	if (rs->nrows == rs->cap) {
		rs->cap = rs->cap ? rs->cap * 2 : 256;
		rs->rows = xreallocarray(rs->rows, rs->cap, sizeof(*rs->rows));
	}
	row = arena_alloc(&rs->arena, sizeof(*row) + ncells * sizeof(row->cells[0]));
	row->key = "";
	rs->rows[rs->nrows++] = row;
	return row;
}

static uint64_t
intern_hash(const char *s, size_t len)
{
	return hash_mem(s, len);
}

static void
intern_grow(struct intern *in)
{
	struct intern_slot	*old = in->slots, *sl;
	size_t			 oldcap = in->cap, i, j;

	in->cap = oldcap ? oldcap * 2 : 64;
	in->slots = xcalloc(in->cap, sizeof(*in->slots));
	for (i = 0; i < oldcap; i++) {
		if (old[i].s == NULL)
			continue;
		for (j = old[i].hash & (in->cap - 1); in->slots[j].s != NULL;
		    j = (j + 1) & (in->cap - 1))
			;
		sl = &in->slots[j];
		*sl = old[i];
	}
	free(old);
}

const char *
rowset_intern(struct rowset *rs, const char *s, size_t len)
{
	struct intern		*in;
	struct intern_slot	*sl;
	uint64_t		 h = intern_hash(s, len);
	size_t			 i;

	if ((in = rs->intern) == NULL)
		in = rs->intern = xcalloc(1, sizeof(*in));
	if ((in->n + 1) * 2 > in->cap)
		intern_grow(in);
	for (i = h & (in->cap - 1); (sl = &in->slots[i])->s != NULL;
	    i = (i + 1) & (in->cap - 1))
		if (sl->hash == h && sl->len == len &&
		    memcmp(sl->s, s, len) == 0)
			return sl->s;
	sl->s = arena_strndup(&rs->arena, s, len);
	sl->len = len;
	sl->hash = h;
	in->n++;
	return sl->s;
}

void
rowset_free(struct rowset *rs)
{
	if (rs == NULL)
		return;
	arena_free(&rs->arena);
	if (rs->intern != NULL) {
		free(rs->intern->slots);
		free(rs->intern);
	}
	free(rs->rows);
	free(rs);
}
