/*
 * A directory kept up with by passes.  Each directory's listing is kept
 * sorted by name; a pass stats every directory, re-lists those whose mtime
 * moved since they were listed, and merges the new listing with the old:
 * names only in the new one were found, only in the old one are gone, in
 * both and changed were found again.  A quarantine of 100,000 files costs
 * 63 stat calls a pass once it is read.
 */
#include "config.h"

#include <sys/types.h>
#include <sys/stat.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "dirscan.h"
#include "util.h"

struct ds_file {
	char		*name;
	ino_t		 ino;
	off_t		 size;
	struct timespec	 mtime;
};

struct ds_dir {
	char		*rel;		/* "" for the root, else "S" */
	struct timespec	 mtime;		/* when it was last listed */
	dev_t		 dev;		/* which directory that was */
	ino_t		 ino;
	int		 listed;
	int		 seen;		/* in the root's listing */
	struct ds_file	*files;
	size_t		 nfiles;
};

struct dirscan {
	char			*root;
	int			 depth;
	const struct dirscan_ops *ops;
	void			*arg;
	struct ds_dir		*dirs;		/* [0] is the root */
	size_t			 ndirs;
	size_t			 nfiles;
	/* the pass */
	int			 in_pass;
	size_t			 cur;
	DIR			*dp;
	struct stat		 listing;	/* its stat before opendir */
	struct ds_file		*next;		/* the listing being read */
	size_t			 nnext, capnext;
	char			 err[512];
};

static int
ts_eq(const struct timespec *a, const struct timespec *b)
{
	return a->tv_sec == b->tv_sec && a->tv_nsec == b->tv_nsec;
}

static void
path_of(const struct dirscan *ds, const struct ds_dir *d, const char *name,
    char *buf, size_t len)
{
	if (d->rel[0] == '\0')
		snprintf(buf, len, "%s", name);
	else
		snprintf(buf, len, "%s/%s", d->rel, name);
	(void)ds;
}

static void
files_free(struct ds_file *f, size_t n)
{
	size_t	 i;

	for (i = 0; i < n; i++)
		free(f[i].name);
	free(f);
}

static struct ds_dir *
dir_add(struct dirscan *ds, const char *rel)
{
	struct ds_dir	*d;

	ds->dirs = xreallocarray(ds->dirs, ds->ndirs + 1, sizeof(*ds->dirs));
	d = &ds->dirs[ds->ndirs++];
	memset(d, 0, sizeof(*d));
	d->rel = xstrdup(rel);
	return d;
}

struct dirscan *
dirscan_new(const char *root, int depth, const struct dirscan_ops *ops,
    void *arg)
{
	struct dirscan	*ds = xcalloc(1, sizeof(*ds));

	ds->root = xstrdup(root);
	ds->depth = depth;
	ds->ops = ops;
	ds->arg = arg;
	dir_add(ds, "");
	return ds;
}

void
dirscan_free(struct dirscan *ds)
{
	size_t	 i;

	if (ds == NULL)
		return;
	if (ds->dp != NULL)
		closedir(ds->dp);
	for (i = 0; i < ds->ndirs; i++) {
		free(ds->dirs[i].rel);
		files_free(ds->dirs[i].files, ds->dirs[i].nfiles);
	}
	free(ds->dirs);
	files_free(ds->next, ds->nnext);
	free(ds->root);
	free(ds);
}

const char *
dirscan_error(const struct dirscan *ds)
{
	return ds->err;
}

size_t
dirscan_nfiles(const struct dirscan *ds)
{
	return ds->nfiles;
}

/* Everything of a directory that is no more is gone. */
static void
dir_forget(struct dirscan *ds, size_t i)
{
	struct ds_dir	*d = &ds->dirs[i];
	char		 path[PATH_MAX];
	size_t		 k;

	for (k = 0; k < d->nfiles; k++) {
		path_of(ds, d, d->files[k].name, path, sizeof(path));
		ds->ops->gone(ds->arg, path);
	}
	ds->nfiles -= d->nfiles;
	files_free(d->files, d->nfiles);
	free(d->rel);
	memmove(d, d + 1, (ds->ndirs - i - 1) * sizeof(*d));
	ds->ndirs--;
}

static int
cmp_files(const void *a, const void *b)
{
	return strcmp(((const struct ds_file *)a)->name,
	    ((const struct ds_file *)b)->name);
}

static void
report(struct dirscan *ds, struct ds_dir *d, const struct ds_file *f)
{
	struct stat	 st;
	char		 path[PATH_MAX];

	memset(&st, 0, sizeof(st));
	st.st_ino = f->ino;
	st.st_size = f->size;
	st.st_mtim = f->mtime;
	st.st_mode = S_IFREG;
	path_of(ds, d, f->name, path, sizeof(path));
	ds->ops->found(ds->arg, path, &st);
}

/* The listing just read replaces the old one: what came, changed, went. */
static void
dir_merge(struct dirscan *ds, struct ds_dir *d)
{
	struct ds_file	*o = d->files, *n = ds->next;
	struct timespec	 now;
	size_t		 i = 0, j = 0;
	char		 path[PATH_MAX];
	int		 c;

	if (ds->nnext > 1)
		qsort(n, ds->nnext, sizeof(*n), cmp_files);
	while (i < d->nfiles || j < ds->nnext) {
		if (i == d->nfiles)
			c = 1;
		else if (j == ds->nnext)
			c = -1;
		else
			c = strcmp(o[i].name, n[j].name);
		if (c < 0) {
			path_of(ds, d, o[i].name, path, sizeof(path));
			ds->ops->gone(ds->arg, path);
			i++;
		} else if (c > 0) {
			report(ds, d, &n[j++]);
		} else {
			if (o[i].ino != n[j].ino || o[i].size != n[j].size ||
			    !ts_eq(&o[i].mtime, &n[j].mtime))
				report(ds, d, &n[j]);
			i++;
			j++;
		}
	}
	ds->nfiles += ds->nnext;
	ds->nfiles -= d->nfiles;
	files_free(d->files, d->nfiles);
	d->files = ds->next;
	d->nfiles = ds->nnext;
	d->mtime = ds->listing.st_mtim;
	d->dev = ds->listing.st_dev;
	d->ino = ds->listing.st_ino;
	d->listed = 1;
	/*
	 * A file added in the same clock tick as the listing leaves the mtime
	 * as it was: a directory changed in the last two seconds is listed
	 * again next pass.  The file system's clock, not mhtop's.
	 */
	clock_gettime(CLOCK_REALTIME, &now);
	if (now.tv_sec - d->mtime.tv_sec < 2)
		d->listed = 0;
	ds->next = NULL;
	ds->nnext = ds->capnext = 0;
}

static struct ds_dir *
dir_find(struct dirscan *ds, const char *rel)
{
	size_t	 i;

	for (i = 1; i < ds->ndirs; i++)
		if (strcmp(ds->dirs[i].rel, rel) == 0)
			return &ds->dirs[i];
	return NULL;
}

/* One entry of the directory being listed. */
static void
list_entry(struct dirscan *ds, struct ds_dir *d, const char *name)
{
	struct stat	 st;
	struct ds_dir	*sub;
	struct ds_file	*f;

	if (name[0] == '.')
		return;
	if (fstatat(dirfd(ds->dp), name, &st, AT_SYMLINK_NOFOLLOW) == -1)
		return;			/* gone since readdir: next pass */
	if (S_ISDIR(st.st_mode)) {
		if (d != &ds->dirs[0] || ds->depth < 1)
			return;
		if ((sub = dir_find(ds, name)) == NULL) {
			sub = dir_add(ds, name);
			d = &ds->dirs[0];	/* dirs moved */
		}
		sub->seen = 1;
		return;
	}
	if (!S_ISREG(st.st_mode))
		return;
	if (ds->nnext == ds->capnext) {
		ds->capnext = ds->capnext ? ds->capnext * 2 : 64;
		ds->next = xreallocarray(ds->next, ds->capnext,
		    sizeof(*ds->next));
	}
	f = &ds->next[ds->nnext++];
	f->name = xstrdup(name);
	f->ino = st.st_ino;
	f->size = st.st_size;
	f->mtime = st.st_mtim;
}

static int
fail(struct dirscan *ds, const char *path)
{
	snprintf(ds->err, sizeof(ds->err), "cannot read %s: %s", path,
	    strerror(errno));
	if (ds->dp != NULL)
		closedir(ds->dp);
	ds->dp = NULL;
	files_free(ds->next, ds->nnext);
	ds->next = NULL;
	ds->nnext = ds->capnext = 0;
	ds->in_pass = 0;
	return -1;
}

int
dirscan_step(struct dirscan *ds, size_t budget)
{
	struct ds_dir	*d;
	struct dirent	*de;
	struct stat	 st;
	char		 path[PATH_MAX];
	size_t		 i;

	if (!ds->in_pass) {
		ds->in_pass = 1;
		ds->cur = 0;
		ds->err[0] = '\0';
	}
	while (budget > 0) {
		if (ds->cur >= ds->ndirs) {
			ds->in_pass = 0;
			return DIRSCAN_DONE;
		}
		d = &ds->dirs[ds->cur];
		if (d->rel[0] == '\0')
			snprintf(path, sizeof(path), "%s", ds->root);
		else
			snprintf(path, sizeof(path), "%s/%s", ds->root, d->rel);
		if (ds->dp == NULL) {
			budget--;
			if (stat(path, &st) == -1) {
				if (errno == ENOENT && ds->cur > 0) {
					dir_forget(ds, ds->cur);
					continue;
				}
				return fail(ds, path);
			}
			/*
			 * Unchanged since it was listed: its files are too.
			 * A directory made again (a restore with cp -a) may
			 * have the old one's mtime: its files are new.
			 */
			if (d->listed && ts_eq(&d->mtime, &st.st_mtim) &&
			    d->dev == st.st_dev && d->ino == st.st_ino) {
				ds->cur++;
				continue;
			}
			ds->listing = st;
			if (ds->cur == 0)
				for (i = 1; i < ds->ndirs; i++)
					ds->dirs[i].seen = 0;
			if ((ds->dp = opendir(path)) == NULL)
				return fail(ds, path);
			continue;
		}
		errno = 0;
		if ((de = readdir(ds->dp)) != NULL) {
			list_entry(ds, d, de->d_name);
			budget--;
			continue;
		}
		if (errno != 0)
			return fail(ds, path);
		closedir(ds->dp);
		ds->dp = NULL;
		d = &ds->dirs[ds->cur];
		dir_merge(ds, d);
		if (ds->cur == 0)
			/* subdirectories no longer in the root */
			for (i = ds->ndirs; i-- > 1;)
				if (!ds->dirs[i].seen)
					dir_forget(ds, i);
		ds->cur++;
	}
	return DIRSCAN_MORE;
}
