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

#define INTERN_FIELDS	16
#define INTERN_TRIAL	4096
#define INTERN_RECENT	256

struct intern {
	struct intern_slot	*slots;
	size_t			 cap;		/* a power of two */
	size_t			 n;
	/* rowset_intern_some: how often each field asked, and was new */
	size_t			 asked[INTERN_FIELDS];
	size_t			 added[INTERN_FIELDS];
	unsigned		 copy;		/* fields no longer interned */
	/* the strings last found, by a cheap hash: no SipHash for them */
	struct intern_slot	 recent[INTERN_RECENT];
};

struct rowset *
rowset_new(void)
{
	static uint64_t	 serial;
	struct rowset	*rs = xcalloc(1, sizeof(*rs));

	rs->serial = ++serial;
	return rs;
}

void
rowset_push(struct rowset *rs, struct row *row)
{
	if (rs->nrows == rs->cap) {
		rs->cap = rs->cap ? rs->cap * 2 : 256;
		rs->rows = xreallocarray(rs->rows, rs->cap, sizeof(*rs->rows));
	}
	rs->rows[rs->nrows++] = row;
}

struct row *
rowset_add(struct rowset *rs, size_t ncells)
{
	struct row	*row;

	row = arena_alloc(&rs->arena, sizeof(*row) + ncells * sizeof(row->cells[0]));
	row->key = "";
	rowset_push(rs, row);
	return row;
}

void
rowset_adopt(struct rowset *dst, struct rowset *src)
{
	arena_adopt(&dst->arena, &src->arena);
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

/*
 * Where a string would be among the recent ones: its length and its first
 * and last 8 bytes.  Strings made to share a place only miss it, and take
 * the SipHash way.
 */
static size_t
recent_index(const char *s, size_t len)
{
	uint64_t	 a = 0, b = 0;

	memcpy(&a, s, len < 8 ? len : 8);
	if (len > 8)
		memcpy(&b, s + len - 8, 8);
	return (size_t)(((a * 0x9e3779b97f4a7c15ULL) ^
	    (b * 0xc2b2ae3d27d4eb4fULL) ^ len) >> 56) % INTERN_RECENT;
}

const char *
rowset_intern(struct rowset *rs, const char *s, size_t len)
{
	struct intern		*in;
	struct intern_slot	*sl, *rec;
	uint64_t		 h;
	size_t			 i;

	if ((in = rs->intern) == NULL)
		in = rs->intern = xcalloc(1, sizeof(*in));
	rec = &in->recent[recent_index(s, len)];
	if (rec->s != NULL && rec->len == len && memcmp(rec->s, s, len) == 0)
		return rec->s;
	if ((in->n + 1) * 2 > in->cap)
		intern_grow(in);
	h = intern_hash(s, len);
	for (i = h & (in->cap - 1); (sl = &in->slots[i])->s != NULL;
	    i = (i + 1) & (in->cap - 1))
		if (sl->hash == h && sl->len == len &&
		    memcmp(sl->s, s, len) == 0) {
			*rec = *sl;
			return sl->s;
		}
	sl->s = arena_strndup(&rs->arena, s, len);
	sl->len = len;
	sl->hash = h;
	in->n++;
	*rec = *sl;
	return sl->s;
}

/*
 * A field interned while it repeats: one that is mostly new values (the
 * senders of a botnet) would cost a slot per value and save nothing, so
 * after each INTERN_TRIAL values, a field more than half new is copied
 * from then on.
 */
const char *
rowset_intern_some(struct rowset *rs, int field, const char *s, size_t len)
{
	struct intern	*in;
	size_t		 n;
	const char	*r;

	if (field < 0 || field >= INTERN_FIELDS)
		return arena_strndup(&rs->arena, s, len);
	if ((in = rs->intern) == NULL)
		in = rs->intern = xcalloc(1, sizeof(*in));
	if (in->copy & (1U << field))
		return arena_strndup(&rs->arena, s, len);
	n = in->n;
	r = rowset_intern(rs, s, len);
	in->added[field] += in->n - n;
	if (++in->asked[field] % INTERN_TRIAL == 0 &&
	    in->added[field] * 2 > in->asked[field])
		in->copy |= 1U << field;
	return r;
}

void
rowset_forget_prev(struct rowset *rs)
{
	free(rs->prev);
	rs->prev = NULL;
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
	free(rs->prev);
	free(rs);
}
