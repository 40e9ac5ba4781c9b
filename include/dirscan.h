/*
 * Keeping up with the files of a directory and its subdirectories (one
 * level: amavis' hashed quarantine), a slice at a time: a first pass lists
 * everything; later passes re-list only the directories whose mtime moved
 * and report what came, changed or went.
 */
#ifndef MHTOP_DIRSCAN_H
#define MHTOP_DIRSCAN_H

#include <sys/types.h>
#include <sys/stat.h>

#include <stddef.h>

#define DIRSCAN_DONE	0		/* the pass is complete */
#define DIRSCAN_MORE	1		/* call again: the pass goes on */

struct dirscan;

struct dirscan_ops {
	/* A regular file that is new or changed (inode, size or mtime); the
	 * stat has st_ino, st_size, st_mtim and the type set. */
	void	(*found)(void *, const char *, const struct stat *);
	/* A file that was there at the last pass and is no more. */
	void	(*gone)(void *, const char *);
};

/* root, and its subdirectories when depth is 1. */
struct dirscan	*dirscan_new(const char *, int, const struct dirscan_ops *,
		    void *);
void		 dirscan_free(struct dirscan *);
/*
 * Work on the pass for at most budget directory entries: DIRSCAN_MORE or
 * DIRSCAN_DONE; the next call after DIRSCAN_DONE starts a new pass.  -1:
 * a directory cannot be read (dirscan_error); the pass is over, what it
 * reported stands.
 */
int		 dirscan_step(struct dirscan *, size_t);
const char	*dirscan_error(const struct dirscan *);
size_t		 dirscan_nfiles(const struct dirscan *);	/* known now */

#endif
