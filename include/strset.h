/* A set of strings (tagged row keys): open addressing, linear probing. */
#ifndef MHTOP_STRSET_H
#define MHTOP_STRSET_H

#include <stddef.h>

struct strset {
	char	**slots;
	size_t	  cap;			/* power of two */
	size_t	  n;
	size_t	  used;			/* n plus tombstones */
};

int	 strset_has(const struct strset *, const char *);
int	 strset_add(struct strset *, const char *);	/* 1 if added */
int	 strset_del(struct strset *, const char *);	/* 1 if removed */
void	 strset_clear(struct strset *);
/* Members in strcmp order; free the array (not the strings). */
char	**strset_sorted(const struct strset *, size_t *);

#endif
