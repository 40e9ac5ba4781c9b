/*
 * Reading a mail log from a timer.  The files are held open from the first
 * step on, so that a rotation while the history is read loses nothing: the
 * rotated files are read through their descriptors.  When the path names
 * another file, the one followed and every file rotated since (the newer
 * ones than the first already read, known by its inode or, gzipped, by its
 * length and first bytes) are read, oldest first, until none of them grew
 * for a whole step: only then the new file.  A file cut
 * in place is told by its size, its first bytes and the bytes before the
 * offset; what was written before the cut is read from the copy when there
 * is one, and said to be maybe lost when there is none.
 */
#include "config.h"

#include <sys/types.h>
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <zlib.h>

#include "logfollow.h"
#include "util.h"

#define LF_BUFSIZE	(1024 * 1024)	/* one read */
#define LF_HEAD		65536		/* where a file's first time is looked for */
#define LF_ROTATED_MAX	100		/* path.0 to path.99 */
#define LF_GZBUFSIZE	(128 * 1024)
#define LF_TRIES	3		/* to choose the files while none is rotated */
#define LF_FP		128		/* a head, the bytes before off */
#define LF_KNOWN	32		/* files read, remembered */

struct lf_file {
	char		*path;
	int		 fd;		/* -1: closed (the live file: missing) */
	int		 compressed;
	gzFile		 gz;		/* while it is read */
	dev_t		 dev;
	ino_t		 ino;
	off_t		 size;		/* when opened */
	time_t		 mtime;
	off_t		 off;		/* next byte to read, uncompressed files */
	off_t		 start;		/* where its history starts (skipped) */
	int		 final;		/* never written again */
	int		 done;		/* read for good and closed */
	off_t		 seen;		/* its end at the round before, -1 */
	unsigned char	 head[LF_FP];	/* its first bytes, as read */
	size_t		 headlen;
	unsigned char	 tail[LF_FP];	/* the bytes before off */
	size_t		 taillen;
};

/* What a file read held: to know it again, renamed or gzipped. */
struct lf_known {
	off_t		 size;		/* uncompressed, 0: not known */
	unsigned char	 head[LF_FP];
	size_t		 headlen;
};

struct logfollow {
	char			*path;
	time_t			 since;
	logfollow_time_cb	 line_time;
	void			*arg;
	logfollow_count_cb	 count;
	size_t			 limit;
	int			 limiting;	/* going back: see limit_step */
	size_t			 lim_file;	/* 0 live, then hist from the end */
	off_t			 lim_end;	/* the next chunk ends there */
	size_t			 lim_left;	/* lines still to count */

	int			 started;	/* the files are chosen */
	struct lf_file		*hist;		/* rotated ones, oldest first */
	size_t			 nhist;
	size_t			 ihist;		/* the one being read */
	off_t			 hist_done;	/* sizes of the ones read */
	off_t			 hist_total;
	struct lf_file		 live;
	off_t			 live_start;	/* its history: [start, end) */
	off_t			 live_end;
	int			 caught_up;	/* live read to its end once */
	/*
	 * Left behind by a rotation or a cut, oldest first: read in rounds
	 * until a round finds none grown, then closed, before the live file.
	 */
	struct lf_file		*old;
	size_t			 nold;
	size_t			 iold;		/* in this round */
	int			 old_grew;	/* in this round */
	struct lf_known		 known[LF_KNOWN];	/* the last ones read */
	size_t			 iknown;

	char			*buf;		/* LF_BUFSIZE + a NUL */
	size_t			 have;		/* bytes in buf */
	size_t			 pos;		/* where the unfinished line starts */
	size_t			 scan;		/* no '\n' in buf[pos, scan) */

	char			 doing[1024];	/* what it does now */
	char			 why[256];	/* a .gz could not be read */
	char			 damaged[512];	/* the history is incomplete */
	size_t			 ndamaged;
	char			 cut[256];	/* lines may have been lost */
	char			 warning[800];	/* damaged and cut */
	char			 status[2048];	/* doing and warning */
};

static void
compose(struct logfollow *lf)
{
	lf->warning[0] = '\0';
	if (lf->damaged[0] != '\0' && lf->ndamaged > 1)
		snprintf(lf->warning, sizeof(lf->warning), "%s, and %zu more "
		    "damaged file%s", lf->damaged, lf->ndamaged - 1,
		    lf->ndamaged > 2 ? "s" : "");
	else if (lf->damaged[0] != '\0')
		snprintf(lf->warning, sizeof(lf->warning), "%s", lf->damaged);
	if (lf->cut[0] != '\0')
		snprintf(lf->warning + strlen(lf->warning),
		    sizeof(lf->warning) - strlen(lf->warning), "%s%s",
		    lf->warning[0] != '\0' ? "; " : "", lf->cut);
	snprintf(lf->status, sizeof(lf->status), "%s%s%s", lf->doing,
	    lf->warning[0] != '\0' ? " - " : "", lf->warning);
}

static void
set_status(struct logfollow *lf, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void
set_status(struct logfollow *lf, const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	vsnprintf(lf->doing, sizeof(lf->doing), fmt, ap);
	va_end(ap);
	compose(lf);
}

static const char *
base_name(const char *path)
{
	const char	*s = strrchr(path, '/');

	return s != NULL && s[1] != '\0' ? s + 1 : path;
}

/* A rotated file could not be read whole: say which, keep the rest. */
static void
note_damaged(struct logfollow *lf, const struct lf_file *f, const char *why)
{
	if (lf->ndamaged++ == 0)
		snprintf(lf->damaged, sizeof(lf->damaged), "the history is "
		    "incomplete: %s is damaged (%s)", base_name(f->path), why);
	compose(lf);
}

static void
file_init(struct lf_file *f)
{
	memset(f, 0, sizeof(*f));
	f->fd = -1;
	f->seen = -1;
}

static void
file_close(struct lf_file *f)
{
	if (f->gz != NULL)
		gzclose(f->gz);
	if (f->fd != -1)
		close(f->fd);
	free(f->path);
	file_init(f);
}

/* -1 with errno set and the status saying why. */
static int
file_open(struct logfollow *lf, struct lf_file *f, const char *path)
{
	struct stat	 st;
	int		 fd, saved;

	file_init(f);
	if ((fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)) == -1) {
		saved = errno;
		set_status(lf, "%s: %s", path, strerror(errno));
		errno = saved;
		return -1;
	}
	if (fstat(fd, &st) == -1) {
		saved = errno;
		set_status(lf, "%s: %s", path, strerror(errno));
		close(fd);
		errno = saved;
		return -1;
	}
	if (!S_ISREG(st.st_mode)) {
		set_status(lf, "%s: not a regular file", path);
		close(fd);
		errno = EINVAL;
		return -1;
	}
	f->path = xstrdup(path);
	f->fd = fd;
	f->dev = st.st_dev;
	f->ino = st.st_ino;
	f->size = st.st_size;
	f->mtime = st.st_mtime;
	return 0;
}

/* Up to len bytes at off, fewer at the end: how many, -1 on error. */
static ssize_t
pread_some(int fd, void *buf, size_t len, off_t off)
{
	ssize_t	 n;
	size_t	 got = 0;

	while (got < len) {
		if ((n = pread(fd, (char *)buf + got, len - got,
		    off + (off_t)got)) == -1) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		if (n == 0)
			break;
		got += (size_t)n;
	}
	return (ssize_t)got;
}

/* Keep the last bytes read from f, those before its offset. */
static void
keep_tail(struct lf_file *f, const char *buf, size_t n)
{
	size_t	 keep;

	if (n >= LF_FP) {
		memcpy(f->tail, buf + n - LF_FP, LF_FP);
		f->taillen = LF_FP;
		return;
	}
	keep = f->taillen < LF_FP - n ? f->taillen : LF_FP - n;
	memmove(f->tail, f->tail + f->taillen - keep, keep);
	memcpy(f->tail + keep, buf, n);
	f->taillen = keep + n;
}

/* Whether the file at fd starts as gzip does. */
static int
is_gzip(int fd)
{
	unsigned char	 m[2];

	return pread_some(fd, m, 2, 0) == 2 && m[0] == 0x1f && m[1] == 0x8b;
}

/* The first len bytes of a gzipped file, through another descriptor. */
static ssize_t
gz_head(const struct lf_file *f, char *buf, size_t len)
{
	gzFile	 gz;
	int	 fd, n;

	if ((fd = dup(f->fd)) == -1)
		return -1;
	if (lseek(fd, 0, SEEK_SET) == -1 || (gz = gzdopen(fd, "rb")) == NULL) {
		close(fd);
		return -1;
	}
	n = gzread(gz, buf, (unsigned)len);
	gzclose(gz);
	return n;
}

/* zlib's words for what went wrong, without its "<fd:5>: ". */
static const char *
gz_why(gzFile gz)
{
	const char	*s, *p;
	int		 zerr;

	s = gzerror(gz, &zerr);
	if (zerr == Z_BUF_ERROR)
		return "cut short";
	if (strncmp(s, "<fd:", 4) == 0 && (p = strstr(s, ">: ")) != NULL)
		return p + 3;
	return s;
}

/* Up to len bytes at buf: how many, 0 at the end, -1 on error. */
static ssize_t
file_read(struct logfollow *lf, struct lf_file *f, char *buf, size_t len)
{
	const char	*why;
	ssize_t		 n;
	int		 fd, zerr;

	if (!f->compressed) {
		while ((n = pread(f->fd, buf, len, f->off)) == -1 &&
		    errno == EINTR)
			;
		if (n == -1) {
			set_status(lf, "%s: %s", f->path, strerror(errno));
			return -1;
		}
		if (n > 0) {
			f->off += n;
			keep_tail(f, buf, (size_t)n);
		}
		return n;
	}
	if (f->gz == NULL) {
		/* the head was read through another descriptor */
		if (lseek(f->fd, 0, SEEK_SET) == -1 ||
		    (fd = dup(f->fd)) == -1) {
			set_status(lf, "%s: %s", f->path, strerror(errno));
			return -1;
		}
		if ((f->gz = gzdopen(fd, "rb")) == NULL) {
			close(fd);
			set_status(lf, "%s: cannot read", f->path);
			return -1;
		}
		gzbuffer(f->gz, LF_GZBUFSIZE);
		/* the copy of a file cut in place: what was read of it */
		if (f->start > 0 && gzseek(f->gz, f->start, SEEK_SET) == -1) {
			snprintf(lf->why, sizeof(lf->why), "%s",
			    gz_why(f->gz));
			set_status(lf, "%s: %s", f->path, lf->why);
			return -1;
		}
	}
	if ((n = gzread(f->gz, buf, (unsigned)len)) > 0 && !gzdirect(f->gz))
		return n;
	/* a truncated file reads as its end, with Z_BUF_ERROR */
	gzerror(f->gz, &zerr);
	if (n >= 0 && gzdirect(f->gz))
		why = "not gzip";
	else if (n == 0 && zerr == Z_OK)
		return 0;
	else if (zerr == Z_ERRNO)
		why = strerror(errno);
	else
		why = gz_why(f->gz);
	snprintf(lf->why, sizeof(lf->why), "%s", why);
	set_status(lf, "%s: %s", f->path, why);
	return -1;
}

/* The time of the first line that has one in the head of f, -1 if none. */
static time_t
head_time(struct logfollow *lf, struct lf_file *f)
{
	char	*p, *end, *nl;
	ssize_t	 n;
	time_t	 t;

	if (lf->line_time == NULL)
		return -1;
	if (!f->compressed)
		n = pread_some(f->fd, lf->buf, LF_HEAD, 0);
	else
		n = gz_head(f, lf->buf, LF_HEAD);
	if (n <= 0)
		return -1;
	p = lf->buf;
	end = lf->buf + n;
	while (p < end) {
		if ((nl = memchr(p, '\n', (size_t)(end - p))) == NULL) {
			if (n == LF_HEAD)
				break;		/* cut: not a line */
			nl = end;
		}
		*nl = '\0';
		if ((t = lf->line_time(lf->arg, p, (size_t)(nl - p))) != -1)
			return t;
		p = nl + 1;
	}
	return -1;
}

/*
 * path.N or path.N.gz: 0 when opened, 1 if neither exists, 2 when it is not
 * to be read (a .gz that is not gzip: said), -1 on error.  The plain one
 * first: while it is gzipped, the .gz is not whole yet.
 */
static int
rotated_open(struct logfollow *lf, struct lf_file *f, int n)
{
	char	*path;
	int	 gz, r;

	for (gz = 0; gz <= 1; gz++) {
		xasprintf(&path, "%s.%d%s", lf->path, n, gz ? ".gz" : "");
		r = file_open(lf, f, path);
		free(path);
		if (r == 0) {
			f->compressed = gz;
			f->final = gz;
			if (gz && !is_gzip(f->fd)) {
				note_damaged(lf, f, "not gzip");
				file_close(f);
				return 2;
			}
			return 0;
		}
		if (errno != ENOENT)
			return -1;
	}
	return 1;
}

/* f's length (uncompressed) and first bytes; -1 if not known. */
static int
fingerprint(struct lf_file *f, struct lf_known *k)
{
	struct stat	 st;
	unsigned char	 b[4];
	uint32_t	 isize;
	ssize_t		 n;

	k->size = 0;
	k->headlen = 0;
	if (!f->compressed) {
		if (fstat(f->fd, &st) == -1)
			return -1;
		k->size = st.st_size;
	} else {
		/* gzip's trailer: the length modulo 2^32 */
		if (f->size < 20 || pread_some(f->fd, b, 4, f->size - 4) != 4)
			return -1;
		isize = (uint32_t)b[0] | (uint32_t)b[1] << 8 |
		    (uint32_t)b[2] << 16 | (uint32_t)b[3] << 24;
		k->size = (off_t)isize;
	}
	n = k->size < LF_FP ? (ssize_t)k->size : LF_FP;
	if (n > 0 && (f->compressed ? gz_head(f, (char *)k->head, (size_t)n) :
	    pread_some(f->fd, k->head, (size_t)n, 0)) != n)
		return -1;
	k->headlen = (size_t)n;
	return 0;
}

/* f is read, or not to be: a rotation that finds it again stops there. */
static void
known_add(struct logfollow *lf, struct lf_file *f)
{
	struct lf_known	 k;

	if (f->fd == -1 || fingerprint(f, &k) == -1 || k.size == 0)
		return;
	lf->known[lf->iknown] = k;
	lf->iknown = (lf->iknown + 1) % LF_KNOWN;
}

/* Add f to the files read before the live one, newest last. */
static void
old_add(struct logfollow *lf, struct lf_file *f)
{
	lf->old = xreallocarray(lf->old, lf->nold + 1, sizeof(*lf->old));
	lf->old[lf->nold++] = *f;
	file_init(f);
}

static void
old_forget(struct logfollow *lf)
{
	size_t	 i;

	for (i = 0; i < lf->nold; i++)
		file_close(&lf->old[i]);
	free(lf->old);
	lf->old = NULL;
	lf->nold = lf->iold = 0;
	lf->old_grew = 0;
}

static void
forget(struct logfollow *lf)
{
	size_t	 i;

	for (i = 0; i < lf->nhist; i++)
		file_close(&lf->hist[i]);
	free(lf->hist);
	lf->hist = NULL;
	lf->nhist = lf->ihist = 0;
	file_close(&lf->live);
	old_forget(lf);
}

/*
 * Open the live file and the rotated ones back to the first that starts at
 * or before since.  A file last written before since is not read, nor any
 * older one.  -1: the live file cannot be read; 1: an older file cannot.
 */
static int
choose(struct logfollow *lf)
{
	struct lf_file	 f;
	unsigned char	 c;
	time_t		 t;
	size_t		 i;
	int		 n, need = 1, r = 0;

	if (file_open(lf, &lf->live, lf->path) == -1) {
		if (errno != ENOENT)
			return -1;
	} else if (lf->live.mtime < lf->since) {
		need = 0;
		/* nothing to read but a line being written */
		if (lf->live.size == 0 || (pread(lf->live.fd, &c, 1,
		    lf->live.size - 1) == 1 && c == '\n'))
			lf->live.off = lf->live.size;
	} else {
		t = head_time(lf, &lf->live);
		need = t == -1 || t > lf->since;
	}
	lf->live_start = lf->live.off;
	lf->live_end = lf->live.size;

	for (n = 0; need && n < LF_ROTATED_MAX; n++) {
		if ((r = rotated_open(lf, &f, n)) == 1) {
			r = 0;
			if (n == 0)
				continue;	/* logrotate starts at .1 */
			break;
		}
		if (r == 2) {
			r = 0;
			continue;
		}
		if (r == -1) {
			r = 1;
			break;
		}
		if (lf->live.fd != -1 && f.dev == lf->live.dev &&
		    f.ino == lf->live.ino) {
			/* a link to it, or rotated while we look */
			file_close(&f);
			continue;
		}
		if (f.mtime < lf->since) {
			file_close(&f);
			break;
		}
		t = head_time(lf, &f);
		need = t == -1 || t > lf->since;
		lf->hist = xreallocarray(lf->hist, lf->nhist + 1,
		    sizeof(*lf->hist));
		lf->hist[lf->nhist++] = f;
	}

	/* newest first: turn it round */
	for (i = 0; i < lf->nhist / 2; i++) {
		f = lf->hist[i];
		lf->hist[i] = lf->hist[lf->nhist - 1 - i];
		lf->hist[lf->nhist - 1 - i] = f;
	}
	return r;
}

/* Whether the path still names the file we hold (or still nothing). */
static int
path_is_live(const struct logfollow *lf)
{
	struct stat	 st;

	if (stat(lf->path, &st) == -1)
		return lf->live.fd == -1;
	return lf->live.fd != -1 && st.st_dev == lf->live.dev &&
	    st.st_ino == lf->live.ino;
}

/* Read exactly len bytes at off: -1 with the status set if not. */
static int
pread_all(struct logfollow *lf, struct lf_file *f, char *buf, size_t len,
    off_t off)
{
	ssize_t	 n;

	while (len > 0) {
		if ((n = pread(f->fd, buf, len, off)) == -1) {
			if (errno == EINTR)
				continue;
			set_status(lf, "%s: %s", f->path, strerror(errno));
			return -1;
		}
		if (n == 0) {
			set_status(lf, "%s: shrank while read", f->path);
			return -1;
		}
		buf += n;
		len -= (size_t)n;
		off += n;
	}
	return 0;
}

/* Whether the line at p, ending at or before end, is older than since. */
static int
older(struct logfollow *lf, char *p, char *end)
{
	char	*nl, c;
	time_t	 t;

	if (lf->line_time == NULL)
		return 0;
	if ((nl = memchr(p, '\n', (size_t)(end - p))) == NULL)
		nl = end;
	c = *nl;
	*nl = '\0';
	t = lf->line_time(lf->arg, p, (size_t)(nl - p));
	*nl = c;
	return t != -1 && t < lf->since;
}

/*
 * Go back through f from lf->lim_end to lo, a 1 MB chunk at a time, counting
 * lines until lf->lim_left of them count, for at least one chunk and then
 * until *budget is spent: 1 with *start at the first of those (or at a line
 * older than since), 0 at lo (fewer there), 2 when the budget ran out, -1 on
 * error.  Each chunk but the file's first starts after its first '\n': the
 * line cut there is counted with the chunk before.  Whole chunks whatever
 * the budget, so that the count never depends on it.
 */
static int
count_back(struct logfollow *lf, struct lf_file *f, off_t lo, size_t *budget,
    off_t *start)
{
	char	*buf = lf->buf, *p, *q, *e, *nl;
	off_t	 from;
	size_t	 n, k, skip;
	int	 first = 1;

	while (lf->lim_end > lo) {
		if (!first && *budget == 0)
			return 2;
		first = 0;
		from = lf->lim_end - lo > LF_BUFSIZE ? lf->lim_end - LF_BUFSIZE :
		    lo;
		n = (size_t)(lf->lim_end - from);
		*budget -= n < *budget ? n : *budget;
		if (pread_all(lf, f, buf, n, from) == -1)
			return -1;
		e = buf + n;
		p = buf;
		if (from > lo) {
			if ((nl = memchr(buf, '\n', n)) == NULL ||
			    nl + 1 == e) {
				lf->lim_end = from;	/* in a very long line */
				continue;
			}
			p = nl + 1;
		}
		if (p < e && older(lf, p, e)) {
			*start = from + (p - buf);
			return 1;
		}
		for (k = 0, q = p; q < e; q = nl + 1) {
			if ((nl = memchr(q, '\n', (size_t)(e - q))) == NULL)
				nl = e;
			k += lf->count(q, (size_t)(nl - q)) != 0;
		}
		if (k >= lf->lim_left) {
			for (skip = k - lf->lim_left, q = p; ; q = nl + 1) {
				if ((nl = memchr(q, '\n', (size_t)(e - q))) ==
				    NULL)
					nl = e;
				if (lf->count(q, (size_t)(nl - q)) &&
				    skip-- == 0)
					break;
			}
			*start = from + (q - buf);
			return 1;
		}
		lf->lim_left -= k;
		lf->lim_end = from + (p - buf);
	}
	return 0;
}

static void
start_at(struct lf_file *f, off_t start)
{
	f->off = f->start = start;
}

/* hist[0, n) is older than where the history starts: not read at all. */
static void
drop_older(struct logfollow *lf, size_t n)
{
	size_t	 j;

	if (n == 0)
		return;		/* hist may be NULL: no memmove of it */
	for (j = 0; j < n; j++) {
		known_add(lf, &lf->hist[j]);
		file_close(&lf->hist[j]);
	}
	memmove(lf->hist, lf->hist + n, (lf->nhist - n) * sizeof(*lf->hist));
	lf->nhist -= n;
}

/*
 * The history of a limit, a budget at a time: the live file, then the
 * rotated ones, newest first.  1 when it is found (or cannot be: a gzipped
 * file, a read error), 0 when there is more to go back through.
 */
static int
limit_step(struct logfollow *lf, size_t *budget)
{
	struct lf_file	*f;
	off_t		 start, lo;
	int		 r;

	for (;;) {
		if (lf->lim_file == 0) {
			f = &lf->live;
			lo = lf->live_start;
		} else {
			f = &lf->hist[lf->nhist - lf->lim_file];
			lo = 0;
		}
		/* no live file (missing, or rotated away just now): on */
		if (f->fd == -1)
			r = 0;
		else if (f->compressed)
			return 1;
		else {
			set_status(lf, "going back through %s",
			    base_name(f->path));
			r = count_back(lf, f, lo, budget, &start);
		}
		if (r == 2)
			return 0;
		if (r == -1)
			return 1;
		if (r == 1) {
			start_at(f, start);
			if (lf->lim_file == 0) {
				lf->live_start = start;
				drop_older(lf, lf->nhist);
			} else
				drop_older(lf, lf->nhist - lf->lim_file);
			return 1;
		}
		if (lf->lim_file == lf->nhist)
			return 1;		/* fewer than the limit in all */
		lf->lim_file++;
		lf->lim_end = lf->hist[lf->nhist - lf->lim_file].size;
		if (*budget == 0)
			return 0;
	}
}

static void
total_history(struct logfollow *lf)
{
	size_t	 i;

	lf->hist_total = 0;
	for (i = 0; i < lf->nhist; i++)
		lf->hist_total += lf->hist[i].size - lf->hist[i].start;
}

static int
discover(struct logfollow *lf)
{
	int	 tries, r;

	for (tries = 1; ; tries++) {
		if ((r = choose(lf)) == -1) {
			forget(lf);
			return -1;
		}
		if (path_is_live(lf) || tries == LF_TRIES)
			break;
		forget(lf);
	}
	lf->limiting = lf->count != NULL;
	lf->lim_file = 0;
	lf->lim_end = lf->live_end;
	lf->lim_left = lf->limit;
	total_history(lf);
	lf->started = 1;
	return r;
}

/* Hand over the complete lines in buf; keep the rest, at most a cut line. */
static void
split(struct logfollow *lf, logfollow_line_cb fn, void *arg)
{
	char	*nl;
	size_t	 len;

	while ((nl = memchr(lf->buf + lf->scan, '\n', lf->have - lf->scan))
	    != NULL) {
		len = (size_t)(nl - (lf->buf + lf->pos));
		if (len > LF_LINE_MAX)
			len = LF_LINE_MAX;
		lf->buf[lf->pos + len] = '\0';
		fn(arg, lf->buf + lf->pos, len);
		lf->pos = lf->scan = (size_t)(nl + 1 - lf->buf);
	}
	lf->scan = lf->have;
	/* the rest of an overlong line is dropped as it comes */
	if (lf->have - lf->pos > LF_LINE_MAX)
		lf->have = lf->scan = lf->pos + LF_LINE_MAX;
}

/* The end of a file ends its last line, whether or not it has a '\n'. */
static void
flush(struct logfollow *lf, logfollow_line_cb fn, void *arg)
{
	size_t	 len = lf->have - lf->pos;

	if (len > 0) {
		lf->buf[lf->pos + len] = '\0';
		fn(arg, lf->buf + lf->pos, len);
	}
	lf->have = lf->pos = lf->scan = 0;
}

/* Read f to its end (1) or to the end of the budget (0); -1 on error. */
static int
drain(struct logfollow *lf, struct lf_file *f, size_t *left,
    logfollow_line_cb fn, void *arg)
{
	size_t	 want;
	ssize_t	 n;

	for (;;) {
		if (*left == 0)
			return 0;
		if (lf->pos > 0) {
			memmove(lf->buf, lf->buf + lf->pos, lf->have - lf->pos);
			lf->have -= lf->pos;
			lf->scan -= lf->pos;
			lf->pos = 0;
		}
		want = LF_BUFSIZE - lf->have;
		if (want > *left)
			want = *left;
		if ((n = file_read(lf, f, lf->buf + lf->have, want)) == -1)
			return -1;
		if (n == 0)
			return 1;
		*left -= (size_t)n;
		lf->have += (size_t)n;
		split(lf, fn, arg);
	}
}

/*
 * Whether f still holds what was read of it: its first bytes and those
 * before the offset (1), or it was cut in place (0); -1 on error.
 */
static int
file_intact(struct logfollow *lf, struct lf_file *f, off_t size)
{
	unsigned char	 b[LF_FP];
	size_t		 n;
	ssize_t		 got;

	/* shorter than it was: cut, even before anything was read of it */
	if (size < f->size || size < f->off)
		return 0;
	/* its head, kept from when it was opened, as far as it goes */
	n = size < LF_FP ? (size_t)size : LF_FP;
	if ((got = pread_some(f->fd, b, n, 0)) == -1)
		goto fail;
	if ((size_t)got < f->headlen || memcmp(b, f->head, f->headlen) != 0)
		return 0;
	memcpy(f->head, b, (size_t)got);
	f->headlen = (size_t)got;
	if (f->off == 0)
		return 1;
	if (f->taillen == 0) {
		/* started past the head: what is there now is the reference */
		n = f->off < LF_FP ? (size_t)f->off : LF_FP;
		if ((got = pread_some(f->fd, f->tail, n, f->off - (off_t)n)) ==
		    -1)
			goto fail;
		f->taillen = (size_t)got;
		return (size_t)got == n;
	}
	if ((got = pread_some(f->fd, b, f->taillen, f->off -
	    (off_t)f->taillen)) == -1)
		goto fail;
	return (size_t)got == f->taillen &&
	    memcmp(b, f->tail, f->taillen) == 0;
fail:
	set_status(lf, "%s: %s", f->path, strerror(errno));
	return -1;
}

/*
 * Whether the rotated file c is a copy of what was read of the live file f:
 * it starts with f's head and, when it reaches that far, holds f's bytes
 * before f's offset there.  A gzipped one is known by its head alone.
 */
static int
copy_of(struct lf_file *c, const struct lf_file *f)
{
	unsigned char	 b[LF_FP];
	ssize_t		 n;

	/* not lf->buf: it holds the line being read */
	if (f->headlen == 0)
		return 0;
	if (c->compressed)
		n = gz_head(c, (char *)b, f->headlen);
	else
		n = pread_some(c->fd, b, f->headlen, 0);
	if (n != (ssize_t)f->headlen || memcmp(b, f->head, f->headlen))
		return 0;
	if (c->compressed || c->size < f->off)
		return 1;
	n = pread_some(c->fd, b, f->taillen, f->off - (off_t)f->taillen);
	return n == (ssize_t)f->taillen && memcmp(b, f->tail, f->taillen) == 0;
}

/*
 * The live file was cut in place.  copytruncate copied it first to the
 * newest rotated file: what it holds past our offset is read from there,
 * the line being read going on in it.  With no copy, lines written since
 * the last step may be lost, and that is said.
 */
static void
cut(struct logfollow *lf, logfollow_line_cb fn, void *arg)
{
	struct lf_file	 c, *f = &lf->live;
	int		 n, seen, r, found = 0;

	for (n = 0, seen = 0; n < LF_ROTATED_MAX && seen < 2; n++) {
		if ((r = rotated_open(lf, &c, n)) == 1 && n == 0)
			continue;
		if (r == 1 || r == -1)
			break;
		if (r == 2)
			continue;
		seen++;
		if ((found = copy_of(&c, f)))
			break;
		file_close(&c);
	}
	if (found && (c.compressed || c.size > f->off)) {
		c.start = c.off = f->off;
		c.final = 1;
		old_add(lf, &c);
	} else {
		if (found) {
			known_add(lf, &c);
			file_close(&c);
		} else {
			snprintf(lf->cut, sizeof(lf->cut), "%s was cut in "
			    "place with no copy: lines written just before "
			    "may be lost", base_name(lf->path));
			compose(lf);
		}
		/* a line being read ends there; none before it was read */
		if (f->off > 0)
			flush(lf, fn, arg);
	}
	f->off = 0;
	f->headlen = f->taillen = 0;
}

/*
 * Cut in place (copytruncate, : > maillog): 1 if so, 0 if not, -1.  Its
 * size is the largest seen, its head what it was when opened: a cut is
 * seen even before the file is read.
 */
static int
check_cut(struct logfollow *lf, logfollow_line_cb fn, void *arg)
{
	struct stat	 st;
	int		 r;

	if (fstat(lf->live.fd, &st) == -1) {
		set_status(lf, "%s: %s", lf->live.path, strerror(errno));
		return -1;
	}
	if ((r = file_intact(lf, &lf->live, st.st_size)) == -1)
		return -1;
	lf->live.size = st.st_size;
	if (r == 1)
		return 0;
	cut(lf, fn, arg);
	/* what is there now is what the next cut is told by */
	if (file_intact(lf, &lf->live, st.st_size) == -1)
		return -1;
	return 1;
}

static int
same_content(const struct lf_known *c, int compressed,
    const struct lf_known *k)
{
	if (k->size == 0 || c->headlen < k->headlen)
		return 0;
	/* a plain file may have grown since: it was left quiet, not closed */
	if (compressed ? (uint32_t)c->size != (uint32_t)k->size :
	    c->size < k->size)
		return 0;
	return memcmp(c->head, k->head, k->headlen) == 0;
}

/*
 * Whether the rotated file c was read already: it is f, the one followed
 * (the same inode, or gzipped, its content: fk), or one read before it.  An
 * empty file is never known: it has no line to read twice.
 */
static int
read_before(struct logfollow *lf, struct lf_file *c, const struct lf_file *f,
    const struct lf_known *fk)
{
	struct lf_known	 ck;
	size_t		 i;

	if (!c->compressed && c->dev == f->dev && c->ino == f->ino)
		return 1;
	if (fingerprint(c, &ck) == -1)
		return 0;
	if (c->compressed && same_content(&ck, 1, fk))
		return 1;
	for (i = 0; i < LF_KNOWN; i++)
		if (same_content(&ck, c->compressed, &lf->known[i]))
			return 1;
	return 0;
}

/*
 * The path names another file: the one followed, then every file rotated
 * after it, oldest first, are to be read before the new one, opened now.
 * Those are the rotated files newer than the first one read already (the
 * one followed, renamed or gzipped, or one read before it) or last written
 * before the history's start.  0: done (or no new file yet), -1: the new
 * file cannot be read.
 */
static int
rotated(struct logfollow *lf)
{
	struct lf_file	 nf, c, *between = NULL;
	struct lf_known	 fk;
	size_t		 nb = 0, i;
	int		 n, r, tries, again;

	if (fingerprint(&lf->live, &fk) == -1)
		fk.size = 0;
	for (tries = 1; ; tries++) {
		if (file_open(lf, &nf, lf->path) == -1)
			return errno == ENOENT ? 0 : -1;
		again = 0;
		for (n = 0; n < LF_ROTATED_MAX; n++) {
			if ((r = rotated_open(lf, &c, n)) == 1 && n == 0)
				continue;
			if (r == 1 || r == -1)
				break;
			if (r == 2)
				continue;
			if (!c.compressed && c.dev == nf.dev &&
			    c.ino == nf.ino) {
				/* rotated again while we look */
				file_close(&c);
				again = 1;
				break;
			}
			if (c.mtime < lf->since ||
			    read_before(lf, &c, &lf->live, &fk)) {
				file_close(&c);
				break;
			}
			between = xreallocarray(between, nb + 1,
			    sizeof(*between));
			between[nb++] = c;
		}
		if (!again || tries == LF_TRIES)
			break;
		for (i = 0; i < nb; i++)
			file_close(&between[i]);
		nb = 0;
		file_close(&nf);
	}
	old_add(lf, &lf->live);
	while (nb > 0)
		old_add(lf, &between[--nb]);
	free(between);
	lf->live = nf;
	return 0;
}

/*
 * A round through the files left behind, each to its end; a line not
 * ended yet is read again in the next round.  1 when a round found none of
 * them grown since the one before: all read, closed, their cut last lines
 * ended.  Else LF_MORE (the budget is spent), LF_IDLE (they may still be
 * written: a next round after the interval) or LF_ERROR.
 */
static int
read_old(struct logfollow *lf, size_t *left, logfollow_line_cb fn,
    void *arg)
{
	struct lf_file	*f;
	size_t		 tail, all;
	int		 r;

	for (; lf->iold < lf->nold; lf->iold++) {
		f = &lf->old[lf->iold];
		if (f->done)
			continue;
		if (!lf->caught_up)
			set_status(lf, "reading %s", base_name(f->path));
		if ((r = drain(lf, f, left, fn, arg)) == 0)
			return LF_MORE;
		if (r == -1 && !f->compressed)
			return LF_ERROR;
		if (r == -1) {
			note_damaged(lf, f, lf->why);
			lf->have = lf->pos = lf->scan = 0;
		}
		if (r == -1 || f->final) {
			if (r != -1)
				flush(lf, fn, arg);
			known_add(lf, f);
			file_close(f);
			f->done = 1;
			continue;
		}
		/* may still be written: the line is read whole next round */
		tail = lf->have - lf->pos;
		if (tail < LF_LINE_MAX) {
			f->off -= (off_t)tail;
			lf->have = lf->pos = lf->scan = 0;
		} else
			flush(lf, fn, arg);
		if (f->off != f->seen) {
			lf->old_grew = 1;
			f->seen = f->off;
		}
	}
	lf->iold = 0;
	if (lf->old_grew) {
		lf->old_grew = 0;
		return LF_IDLE;
	}
	for (lf->iold = 0; lf->iold < lf->nold; lf->iold++) {
		f = &lf->old[lf->iold];
		if (f->done)
			continue;
		all = SIZE_MAX;
		if (drain(lf, f, &all, fn, arg) == -1)
			return LF_ERROR;
		flush(lf, fn, arg);
		known_add(lf, f);
	}
	old_forget(lf);
	return 1;
}

static void
doing_live(struct logfollow *lf)
{
	if (lf->caught_up)
		set_status(lf, "following %s", lf->path);
	else
		set_status(lf, "reading %s", base_name(lf->path));
}

static int
follow(struct logfollow *lf, size_t *left, logfollow_line_cb fn, void *arg)
{
	struct stat	 st;
	int		 r;

	for (;;) {
		if (lf->nold > 0) {
			/* the new file is watched meanwhile: a copy is next */
			if (lf->live.fd != -1 && check_cut(lf, fn, arg) == -1)
				return LF_ERROR;
			if ((r = read_old(lf, left, fn, arg)) != 1)
				return r;
		}
		if (lf->live.fd == -1) {
			if (file_open(lf, &lf->live, lf->path) == -1) {
				if (errno != ENOENT)
					return LF_ERROR;
				set_status(lf, "waiting for %s: %s", lf->path,
				    strerror(ENOENT));
				return LF_IDLE;
			}
		}
		if ((r = check_cut(lf, fn, arg)) == -1)
			return LF_ERROR;
		doing_live(lf);
		if (r == 1 && lf->nold > 0)
			continue;		/* the copy first */
		if ((r = drain(lf, &lf->live, left, fn, arg)) == -1)
			return LF_ERROR;
		if (r == 0)
			return LF_MORE;
		if (!lf->caught_up) {
			lf->caught_up = 1;
			set_status(lf, "following %s", lf->path);
		}

		if (stat(lf->path, &st) == -1) {
			set_status(lf, "waiting for %s: %s", lf->path,
			    strerror(errno));
			return LF_IDLE;
		}
		if (st.st_dev == lf->live.dev && st.st_ino == lf->live.ino)
			return LF_IDLE;
		if (rotated(lf) == -1)
			return LF_ERROR;
		doing_live(lf);
		if (lf->nold == 0)
			return LF_IDLE;		/* gone again */
	}
}

struct logfollow *
logfollow_open(const char *path, time_t since, logfollow_time_cb line_time,
    void *arg)
{
	struct logfollow	*lf = xcalloc(1, sizeof(*lf));

	lf->path = xstrdup(path);
	lf->since = since;
	lf->line_time = line_time;
	lf->arg = arg;
	file_init(&lf->live);
	lf->buf = xmalloc(LF_BUFSIZE + 1);
	set_status(lf, "opening %s", path);
	return lf;
}

void
logfollow_limit(struct logfollow *lf, logfollow_count_cb count, size_t n)
{
	lf->count = n > 0 ? count : NULL;
	lf->limit = n;
}

int
logfollow_step(struct logfollow *lf, size_t budget, logfollow_line_cb fn,
    void *arg)
{
	struct lf_file	*f;
	size_t		 left = budget == 0 ? SIZE_MAX : budget;
	int		 r;

	if (!lf->started && (r = discover(lf)) != 0)
		return LF_ERROR;	/* 1: the history is short of a file */
	if (lf->limiting) {
		if (!limit_step(lf, &left))
			return LF_MORE;
		lf->limiting = 0;
		total_history(lf);
	}
	while (lf->ihist < lf->nhist) {
		f = &lf->hist[lf->ihist];
		if (lf->ihist + 1 == lf->nhist && !f->compressed &&
		    (lf->live.fd == -1 || lf->live.size == 0)) {
			/*
			 * Nothing in the new file yet: the syslog daemon may
			 * not have reopened.  The newest rotated file is read
			 * as one left by a rotation is.
			 */
			lf->hist_done += f->size - f->start;
			old_add(lf, f);
			lf->ihist++;
			break;
		}
		set_status(lf, "reading %s", base_name(f->path));
		if ((r = drain(lf, f, &left, fn, arg)) == 0)
			return LF_MORE;
		if (r == -1 && !f->compressed)
			return LF_ERROR;
		if (r == -1) {
			/* what could be read is kept; a cut line is not one */
			note_damaged(lf, f, lf->why);
			lf->have = lf->pos = lf->scan = 0;
		} else
			flush(lf, fn, arg);
		lf->hist_done += f->size - f->start;
		known_add(lf, f);
		file_close(f);
		lf->ihist++;
	}
	return follow(lf, &left, fn, arg);
}

const char *
logfollow_status(const struct logfollow *lf)
{
	return lf->status;
}

const char *
logfollow_warning(const struct logfollow *lf)
{
	return lf->warning[0] != '\0' ? lf->warning : NULL;
}

int
logfollow_missing(const struct logfollow *lf)
{
	return lf->live.fd == -1;
}

void
logfollow_progress(const struct logfollow *lf, off_t *done, off_t *total)
{
	const struct lf_file	*f;
	off_t			 live, zoff;

	if (lf->limiting) {
		*done = *total = 0;	/* not known yet */
		return;
	}
	*total = lf->hist_total + (lf->live_end - lf->live_start);
	if (lf->caught_up) {
		*done = *total;
		return;
	}
	*done = lf->hist_done;
	if (lf->ihist < lf->nhist) {
		f = &lf->hist[lf->ihist];
		if (!f->compressed)
			*done += f->off - f->start;
		else if (f->gz != NULL && (zoff = gzoffset(f->gz)) > 0)
			*done += zoff;
		return;
	}
	live = lf->live.off - lf->live_start;
	if (live > lf->live_end - lf->live_start)
		live = lf->live_end - lf->live_start;
	if (live > 0)
		*done += live;
}

void
logfollow_free(struct logfollow *lf)
{
	if (lf == NULL)
		return;
	forget(lf);
	free(lf->path);
	free(lf->buf);
	free(lf);
}
