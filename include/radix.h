/*
 * Radix sorts for a million rows: a comparison sort chases two pointers
 * into the rows twenty times a row; these read each row once and then
 * move (key, pointer) pairs in linear passes.  All are stable.
 */
#ifndef MHTOP_RADIX_H
#define MHTOP_RADIX_H

#include <stddef.h>
#include <stdint.h>

/* A hint that p will be read soon. */
#if defined(__GNUC__) || defined(__clang__)
#define PREFETCH(p)	__builtin_prefetch(p)
#else
#define PREFETCH(p)	((void)(p))
#endif

struct sortent {
	uint64_t	 k;
	void		*p;
};

/*
 * n elements of size bytes for a sort.  A large block is kept when freed,
 * for the next sort, until radix_scratch_release: its pages are in.
 */
void	*radix_scratch(size_t, size_t);
void	 radix_scratch_free(void *, size_t, size_t);
/* Give the kept blocks back (a read is about to need memory). */
void	 radix_scratch_release(void);

/* 64-bit values, ascending. */
void	radix_sort_u64(uint64_t *, size_t);
/* By k, ascending; equal keys keep their order. */
void	radix_sort_ents(struct sortent *, size_t);
/*
 * By the string str(p) (strcmp order), ascending; equal strings keep
 * their order.  k is overwritten.  p points at a pointer to what str
 * reads (a row's place in its set): all three are fetched ahead.
 */
void	radix_sort_strings(struct sortent *, size_t,
	    const char *(*)(const void *, void *), void *);
/* The 8 bytes of s from byte off (0 past its end), big-endian: the
 * unsigned order of two chunks is the strcmp order of those bytes. */
uint64_t	radix_chunk(const char *, size_t);

#endif
