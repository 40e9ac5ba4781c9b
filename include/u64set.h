/*
 * A set of 64-bit hashes (of IPs, message ids): open addressing, at most
 * half full.  The values must already be hashes: their low bits pick the
 * slot.
 */
#ifndef MHTOP_U64SET_H
#define MHTOP_U64SET_H

#include <stddef.h>
#include <stdint.h>

struct u64set {
	uint64_t	*slots;		/* 0: empty */
	size_t		 cap;		/* power of two, or 0 */
	size_t		 n;
};

void	 u64set_add(struct u64set *, uint64_t);
int	 u64set_has(const struct u64set *, uint64_t);
void	 u64set_clear(struct u64set *);		/* empty, memory kept */
void	 u64set_free(struct u64set *);

#endif
