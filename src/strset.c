#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "strset.h"
#include "util.h"

static char	tombstone[1];

static size_t
hash(const char *s)
{
	return (size_t)hash_mem(s, strlen(s));
}

static size_t
find(const struct strset *set, const char *s)
{
	size_t	 i = hash(s) & (set->cap - 1);

	while (set->slots[i] != NULL) {
		if (set->slots[i] != tombstone && strcmp(set->slots[i], s) == 0)
			return i;
		i = (i + 1) & (set->cap - 1);
	}
	return SIZE_MAX;
}

int
strset_has(const struct strset *set, const char *s)
{
	return set->n > 0 && find(set, s) != SIZE_MAX;
}

static void
grow(struct strset *set)
{
	struct strset	 old = *set;
	size_t		 i, j;

	set->cap = old.cap ? old.cap * 2 : 16;
	if (old.n * 4 < old.cap)
		set->cap = old.cap;		/* mostly tombstones: rehash */
	set->slots = xcalloc(set->cap, sizeof(*set->slots));
	set->used = set->n;
	for (i = 0; i < old.cap; i++) {
		if (old.slots[i] == NULL || old.slots[i] == tombstone)
			continue;
		j = hash(old.slots[i]) & (set->cap - 1);
		while (set->slots[j] != NULL)
			j = (j + 1) & (set->cap - 1);
		set->slots[j] = old.slots[i];
	}
	free(old.slots);
}

int
strset_add(struct strset *set, const char *s)
{
	size_t	 i;

	if (strset_has(set, s))
		return 0;
	if ((set->used + 1) * 2 > set->cap)
		grow(set);
	i = hash(s) & (set->cap - 1);
	while (set->slots[i] != NULL && set->slots[i] != tombstone)
		i = (i + 1) & (set->cap - 1);
	if (set->slots[i] == NULL)
		set->used++;
	set->slots[i] = xstrdup(s);
	set->n++;
	return 1;
}

int
strset_del(struct strset *set, const char *s)
{
	size_t	 i;

	if (set->n == 0 || (i = find(set, s)) == SIZE_MAX)
		return 0;
	free(set->slots[i]);
	set->slots[i] = tombstone;
	set->n--;
	return 1;
}

void
strset_clear(struct strset *set)
{
	size_t	 i;

	for (i = 0; i < set->cap; i++)
		if (set->slots[i] != NULL && set->slots[i] != tombstone)
			free(set->slots[i]);
	free(set->slots);
	memset(set, 0, sizeof(*set));
}

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(char * const *)a, *(char * const *)b);
}

char **
strset_sorted(const struct strset *set, size_t *n)
{
	char	**v = xcalloc(set->n + 1, sizeof(*v));
	size_t	  i, k = 0;

	for (i = 0; i < set->cap; i++)
		if (set->slots[i] != NULL && set->slots[i] != tombstone)
			v[k++] = set->slots[i];
	qsort(v, k, sizeof(*v), cmp_str);
	*n = k;
	return v;
}
