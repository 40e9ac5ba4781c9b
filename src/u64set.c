#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "u64set.h"
#include "util.h"

/* 0 marks an empty slot: the hash 0 is kept as 1. */
static uint64_t
nonzero(uint64_t v)
{
	return v != 0 ? v : 1;
}

static size_t
slot(const struct u64set *set, uint64_t v)
{
	size_t	 i = (size_t)v & (set->cap - 1);

	while (set->slots[i] != 0 && set->slots[i] != v)
		i = (i + 1) & (set->cap - 1);
	return i;
}

void
u64set_add(struct u64set *set, uint64_t v)
{
	struct u64set	 old = *set;
	size_t		 i;

	v = nonzero(v);
	if (2 * (set->n + 1) > set->cap) {
		set->cap = old.cap ? old.cap * 2 : 64;
		set->slots = xcalloc(set->cap, sizeof(*set->slots));
		for (i = 0; i < old.cap; i++)
			if (old.slots[i] != 0)
				set->slots[slot(set, old.slots[i])] =
				    old.slots[i];
		free(old.slots);
	}
	i = slot(set, v);
	if (set->slots[i] == 0) {
		set->slots[i] = v;
		set->n++;
	}
}

int
u64set_has(const struct u64set *set, uint64_t v)
{
	if (set->n == 0)
		return 0;
	return set->slots[slot(set, nonzero(v))] != 0;
}

void
u64set_clear(struct u64set *set)
{
	if (set->n > 0)
		memset(set->slots, 0, set->cap * sizeof(*set->slots));
	set->n = 0;
}

void
u64set_free(struct u64set *set)
{
	free(set->slots);
	memset(set, 0, sizeof(*set));
}
