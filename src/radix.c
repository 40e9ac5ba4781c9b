/*
 * LSD radix sorts, a byte a pass, over only the bytes that differ: a
 * column of times that share their upper bytes takes three or four
 * passes.  Strings are sorted 8 bytes at a time: by their first chunk,
 * then each run that shares it by the next, until the runs are single
 * rows or strings that ended.
 */
#include "config.h"

#include <sys/mman.h>

#include <stdlib.h>
#include <string.h>

#include "radix.h"
#include "util.h"

#define SCRATCH_MAP	(1024 * 1024)	/* mapped, and kept, from this size */
#define SCRATCH_KEEP	4

/*
 * The blocks of the last sorts, kept for the next: a sort of a million
 * rows faults in 32 MB of fresh pages, and the kernel's clearing them
 * costs as much as the sort itself.  used: lent out now.
 */
static struct scratch {
	void	*p;
	size_t	 len;
	int	 used;
} scratch[SCRATCH_KEEP];

void *
radix_scratch(size_t n, size_t size)
{
	struct scratch	*best = NULL, *free_slot = NULL;
	size_t		 len, i;
	void		*p;

	if (size != 0 && n > SIZE_MAX / size)
		fatalx("radix_scratch: %zu * %zu bytes", n, size);
	if ((len = n * size) < SCRATCH_MAP)
		return xreallocarray(NULL, n ? n : 1, size);
	for (i = 0; i < SCRATCH_KEEP; i++) {
		if (scratch[i].p == NULL && free_slot == NULL)
			free_slot = &scratch[i];
		if (scratch[i].p != NULL && !scratch[i].used &&
		    scratch[i].len >= len &&
		    (best == NULL || scratch[i].len < best->len))
			best = &scratch[i];
	}
	if (best != NULL) {
		best->used = 1;
		return best->p;
	}
	p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANON,
	    -1, 0);
	if (p == MAP_FAILED)
		fatal("mmap %zu bytes", len);
	if (free_slot != NULL)
		*free_slot = (struct scratch){ p, len, 1 };
	return p;
}

void
radix_scratch_free(void *p, size_t n, size_t size)
{
	size_t	 i;

	if (p == NULL)
		return;
	if (n * size < SCRATCH_MAP) {
		free(p);
		return;
	}
	for (i = 0; i < SCRATCH_KEEP; i++)
		if (scratch[i].p == p) {
			scratch[i].used = 0;
			return;
		}
	munmap(p, n * size);		/* no slot was free for it */
}

void
radix_scratch_release(void)
{
	size_t	 i;

	for (i = 0; i < SCRATCH_KEEP; i++)
		if (scratch[i].p != NULL && !scratch[i].used) {
			munmap(scratch[i].p, scratch[i].len);
			scratch[i].p = NULL;
		}
}

/* Which of the 8 bytes of the keys differ between two keys: a mask. */
static uint64_t
varying_u64(const uint64_t *v, size_t n)
{
	uint64_t	 diff = 0;
	size_t		 i;

	for (i = 1; i < n; i++)
		diff |= v[i] ^ v[0];
	return diff;
}

void
radix_sort_u64(uint64_t *v, size_t n)
{
	uint64_t	*tmp, *src = v, *dst, *sw, diff;
	size_t		 count[256], i, sum, c;
	int		 shift;

	if (n < 2)
		return;
	diff = varying_u64(v, n);
	tmp = radix_scratch(n, sizeof(*tmp));
	dst = tmp;
	for (shift = 0; shift < 64; shift += 8) {
		if (((diff >> shift) & 0xff) == 0)
			continue;
		memset(count, 0, sizeof(count));
		for (i = 0; i < n; i++)
			count[(src[i] >> shift) & 0xff]++;
		for (i = 0, sum = 0; i < 256; i++) {
			c = count[i];
			count[i] = sum;
			sum += c;
		}
		for (i = 0; i < n; i++)
			dst[count[(src[i] >> shift) & 0xff]++] = src[i];
		sw = src;
		src = dst;
		dst = sw;
	}
	if (src != v)
		memcpy(v, src, n * sizeof(*v));
	radix_scratch_free(tmp, n, sizeof(*tmp));
}

/*
 * Sort v by k through tmp (n entries); returns where the result is.  The
 * passes cover the bits that differ, 11 at a time on many entries (fewer
 * passes; the counts still fit in the first cache), 8 on few.
 */
static struct sortent *
sort_ents(struct sortent *v, struct sortent *tmp, size_t n)
{
	struct sortent	*src = v, *dst = tmp, *sw;
	uint64_t	 diff = 0;
	size_t		 count[1 << 11], i, sum, c, nb, mask;
	int		 shift, lo, hi, bits = n >= 4096 ? 11 : 8;

	for (i = 1; i < n; i++)
		diff |= v[i].k ^ v[0].k;
	if (diff == 0)
		return src;
	for (lo = 0; !(diff >> lo & 1); lo++)
		;
	for (hi = 63; !(diff >> hi & 1); hi--)
		;
	nb = (size_t)1 << bits;
	mask = nb - 1;
	for (shift = lo; shift <= hi; shift += bits) {
		memset(count, 0, nb * sizeof(count[0]));
		for (i = 0; i < n; i++)
			count[(src[i].k >> shift) & mask]++;
		for (i = 0, sum = 0; i < nb; i++) {
			c = count[i];
			count[i] = sum;
			sum += c;
		}
		for (i = 0; i < n; i++)
			dst[count[(src[i].k >> shift) & mask]++] = src[i];
		sw = src;
		src = dst;
		dst = sw;
	}
	return src;
}

/* Insertion sort by k, for short runs: stable. */
static void
insert_ents(struct sortent *v, size_t n)
{
	struct sortent	 e;
	size_t		 i, j;

	for (i = 1; i < n; i++) {
		e = v[i];
		for (j = i; j > 0 && v[j - 1].k > e.k; j--)
			v[j] = v[j - 1];
		v[j] = e;
	}
}

static void
sort_ents_with(struct sortent *v, size_t n, struct sortent *tmp)
{
	if (n < 48) {
		insert_ents(v, n);
		return;
	}
	if (sort_ents(v, tmp, n) != v)
		memcpy(v, tmp, n * sizeof(*v));
}

void
radix_sort_ents(struct sortent *v, size_t n)
{
	struct sortent	*tmp;

	if (n < 2)
		return;
	if (n < 32) {
		insert_ents(v, n);
		return;
	}
	tmp = radix_scratch(n, sizeof(*tmp));
	sort_ents_with(v, n, tmp);
	radix_scratch_free(tmp, n, sizeof(*tmp));
}

uint64_t
radix_chunk(const char *s, size_t off)
{
	uint64_t	 k = 0;
	size_t		 i;
	int		 ended = 0;

	/* off is only ever past the end when a chunk before held no NUL */
	s += off;
	for (i = 0; i < 8; i++) {
		if (!ended && s[i] == '\0')
			ended = 1;
		k = k << 8 | (ended ? 0 : (unsigned char)s[i]);
	}
	return k;
}

/* Whether the chunk ends its string: it holds a NUL (its low byte is 0
 * when the string ended inside it or just after). */
static int
chunk_ends(uint64_t k)
{
	return (k & 0xff) == 0;
}

#define AHEAD		8

/*
 * The entries' strings, fetched ahead: the rows are visited in key order,
 * not in the order they sit in memory, and each is three cache misses
 * (the row's place, the row, its string) that the loop would otherwise
 * wait for in turn.
 */
#define EACH_STRING(v, from, to, str, arg, s, body) do {		\
	size_t	 i_;							\
									\
	for (i_ = (from); i_ < (to); i_++) {				\
		if (i_ + 3 * AHEAD < (to))				\
			PREFETCH((v)[i_ + 3 * AHEAD].p);		\
		if (i_ + 2 * AHEAD < (to))				\
			PREFETCH(*(void *const *)(v)[i_ + 2 * AHEAD].p); \
		if (i_ + AHEAD < (to))					\
			PREFETCH(str((v)[i_ + AHEAD].p, arg));		\
		(s) = str((v)[i_].p, arg);				\
		body;							\
	}								\
} while (0)

struct rank_slot {
	const char	*s;
	uint32_t	 idx;
};

static int
cmp_slot(const void *a, const void *b)
{
	return strcmp(((const struct rank_slot *)a)->s,
	    ((const struct rank_slot *)b)->s);
}

/*
 * A column of few distinct strings (interned HELOs, recipients): rank the
 * distinct ones, then sort by rank, a pass or two.  -1 when there are too
 * many for it to pay (a column of unique senders), found early.
 */
static int
sort_by_rank(struct sortent *v, size_t n,
    const char *(*str)(const void *, void *), void *arg)
{
	struct rank_slot	*slot, *sorted;
	const char		**ds, *s;
	uint32_t		*rank;
	size_t			 limit = n / 16 > 4096 ? n / 16 : 4096;
	size_t			 cap, d = 0, i, h;
	int			 bits, fail = 0;

	for (bits = 4, cap = 16; cap < 2 * limit; bits++)
		cap <<= 1;
	slot = radix_scratch(cap, sizeof(*slot));
	memset(slot, 0, cap * sizeof(*slot));
	ds = xreallocarray(NULL, limit + 1, sizeof(*ds));
	EACH_STRING(v, 0, n, str, arg, s, {
		h = (size_t)(((uint64_t)(uintptr_t)s *
		    0x9e3779b97f4a7c15ULL) >> (64 - bits));
		while (slot[h].s != NULL && slot[h].s != s)
			h = (h + 1) & (cap - 1);
		if (slot[h].s == NULL) {
			if (d == limit) {
				fail = 1;
				break;
			}
			slot[h].s = s;
			slot[h].idx = (uint32_t)d;
			ds[d++] = s;
		}
		v[i_].k = slot[h].idx;
	});
	radix_scratch_free(slot, cap, sizeof(*slot));
	if (fail) {
		free(ds);
		return -1;
	}
	/* sorted, each distinct string's rank is the place of the first
	 * string equal to it: equal strings at other addresses, one rank */
	rank = xreallocarray(NULL, d + 1, sizeof(*rank));
	sorted = xreallocarray(NULL, d + 1, sizeof(*sorted));
	for (i = 0; i < d; i++)
		sorted[i] = (struct rank_slot){ ds[i], (uint32_t)i };
	qsort(sorted, d, sizeof(*sorted), cmp_slot);
	for (i = 0; i < d; i++)
		rank[sorted[i].idx] = i > 0 &&
		    strcmp(sorted[i - 1].s, sorted[i].s) == 0 ?
		    rank[sorted[i - 1].idx] : (uint32_t)i;
	free(sorted);
	for (i = 0; i < n; i++)
		v[i].k = rank[v[i].k];
	free(rank);
	free(ds);
	radix_sort_ents(v, n);
	return 0;
}

void
radix_sort_strings(struct sortent *v, size_t n,
    const char *(*str)(const void *, void *), void *arg)
{
	struct sortent	*tmp;
	const char	*s;
	size_t		 off, i, j, e, start;
	/* runs still to refine, and their depth: an explicit stack */
	struct run {
		size_t	 at, n, off;
	}		*stack;
	size_t		 depth = 0, cap = 64;

	if (n < 2 || sort_by_rank(v, n, str, arg) == 0)
		return;
	tmp = radix_scratch(n, sizeof(*tmp));
	stack = xreallocarray(NULL, cap, sizeof(*stack));
	stack[depth++] = (struct run){ 0, n, 0 };
	while (depth > 0) {
		start = stack[depth - 1].at;
		j = stack[depth - 1].n;
		off = stack[depth - 1].off;
		depth--;
		EACH_STRING(v, start, start + j, str, arg, s,
		    v[i_].k = radix_chunk(s, off));
		sort_ents_with(v + start, j, tmp);
		/* runs of one chunk whose strings go on: by the next */
		for (i = start; i < start + j; i = e) {
			for (e = i + 1; e < start + j && v[e].k == v[i].k; e++)
				;
			if (e - i < 2 || chunk_ends(v[i].k))
				continue;
			if (depth == cap) {
				cap *= 2;
				stack = xreallocarray(stack, cap, sizeof(*stack));
			}
			stack[depth++] = (struct run){ i, e - i, off + 8 };
		}
	}
	free(stack);
	radix_scratch_free(tmp, n, sizeof(*tmp));
}
