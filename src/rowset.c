#include "config.h"

#include <stdlib.h>

#include "provider.h"

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

void
rowset_free(struct rowset *rs)
{
	if (rs == NULL)
		return;
	arena_free(&rs->arena);
	free(rs->rows);
	free(rs);
}
