/*
 * collide_gen N BITS: N distinct domains ("<blocks>.example", lower case)
 * whose FNV-1a, the hash mhtop's tables used before their keyed one, has
 * the same low BITS bits: a power-of-two table of up to 2^BITS slots
 * indexed by those bits puts them all in one bucket.
 *
 * The low bits of FNV-1a depend on the low bits of its state only, so two
 * 4-byte blocks that bring one state to the same low bits (a birthday
 * search: about 2^(BITS/2) tries) can be swapped for each other; m such
 * pairs one after the other give 2^m strings with the same low bits.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define FNV_OFFSET	1469598103934665603ULL
#define FNV_PRIME	1099511628211ULL
#define BLOCK		4
#define PAIRS_MAX	40
#define NONE		UINT32_MAX

static uint64_t
fnv_more(uint64_t h, const char *s, size_t n)
{
	while (n-- > 0)
		h = (h ^ (unsigned char)*s++) * FNV_PRIME;
	return h;
}

/* Candidate block number c: 4 characters of [a-z0-9]. */
static void
block_of(uint32_t c, char *b)
{
	static const char	 digits[] = "abcdefghijklmnopqrstuvwxyz0123456789";
	int			 i;

	for (i = 0; i < BLOCK; i++) {
		b[i] = digits[c % 36];
		c /= 36;
	}
}

int
main(int argc, char *argv[])
{
	static char	 pair[PAIRS_MAX][2][BLOCK];
	uint32_t	*seen, c, prev;
	uint64_t	 h = FNV_OFFSET, mask, bucket = 0, n, i;
	char		 dom[PAIRS_MAX * BLOCK + 16];
	int		 bits, m, j;
	size_t		 len;

	if (argc != 3 || (n = strtoull(argv[1], NULL, 10)) == 0 ||
	    (bits = atoi(argv[2])) < 8 || bits > 28) {
		fprintf(stderr, "usage: collide_gen N BITS (8..28)\n");
		return 2;
	}
	mask = ((uint64_t)1 << bits) - 1;
	for (m = 0; m < PAIRS_MAX && ((uint64_t)1 << m) < n; m++)
		;
	if ((seen = malloc(((size_t)1 << bits) * sizeof(*seen))) == NULL) {
		perror("malloc");
		return 1;
	}
	for (j = 0; j < m; j++) {
		memset(seen, 0xff, ((size_t)1 << bits) * sizeof(*seen));
		for (c = 0; c < 36 * 36 * 36 * 36; c++) {
			block_of(c, pair[j][1]);
			prev = seen[fnv_more(h, pair[j][1], BLOCK) & mask];
			if (prev != NONE)
				break;
			seen[fnv_more(h, pair[j][1], BLOCK) & mask] = c;
		}
		if (c == 36 * 36 * 36 * 36) {
			fprintf(stderr, "collide_gen: no pair at block %d\n", j);
			return 1;
		}
		block_of(prev, pair[j][0]);
		h = fnv_more(h, pair[j][0], BLOCK);
	}
	free(seen);
	for (i = 0; i < n; i++) {
		for (j = 0; j < m; j++)
			memcpy(dom + j * BLOCK, pair[j][(i >> j) & 1], BLOCK);
		memcpy(dom + m * BLOCK, ".example", 9);
		len = (size_t)m * BLOCK + 8;
		/* what they were made for: checked, not trusted */
		if (i == 0)
			bucket = fnv_more(FNV_OFFSET, dom, len) & mask;
		else if ((fnv_more(FNV_OFFSET, dom, len) & mask) != bucket) {
			fprintf(stderr, "collide_gen: %s does not collide\n",
			    dom);
			return 1;
		}
		puts(dom);
	}
	fprintf(stderr, "collide_gen: %llu domains of %zu bytes, all with "
	    "low %d bits %#llx under FNV-1a\n", (unsigned long long)n, len,
	    bits, (unsigned long long)bucket);
	return 0;
}
