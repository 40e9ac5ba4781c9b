/*
 * The describe lines of SpamAssassin's rule files, read the way
 * Mail::SpamAssassin::Conf::Parser reads them: a comment starts at a '#'
 * not preceded by '\', "\#" is a '#', blanks around are trimmed, "lang xx"
 * lines count where SpamAssassin would use them in its default locale
 * (en_US), and if/ifplugin blocks are read whatever their condition.
 */
#include "config.h"

#include <sys/types.h>
#include <sys/stat.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "maillog.h"
#include "provider.h"
#include "sa_rules.h"
#include "util.h"

#define SA_MAXDEPTH	3
#define SA_MAXBYTES	((size_t)64 * 1024 * 1024)
#define SA_MAXFILES	4096
#define SA_MAXENTRIES	65536		/* directory entries looked at */
#define SA_LANG		"en_US"
#define SA_READ		65536

struct sa_slot {
	const char	*name;
	size_t		 len;
	uint64_t	 hash;
	const char	*text;
};

struct sa_rules {
	struct arena	 arena;
	struct sa_slot	*slots;
	size_t		 cap;		/* a power of two */
	size_t		 n;
};

struct sa_load {
	struct sa_rules	*sr;
	char		*buf;
	size_t		 bufcap;
	size_t		 bytes;
	size_t		 files;
	size_t		 entries;
	int		 full;		/* bytes or files: read no more */
	/* the directories being read, to see a symbolic link loop */
	dev_t		 dev[SA_MAXDEPTH + 1];
	ino_t		 ino[SA_MAXDEPTH + 1];
};

struct sa_names {
	char	**v;
	size_t	  n;
	size_t	  cap;
};

static uint64_t
sa_hash(const char *s, size_t len)
{
	return hash_mem(s, len);
}

/* The slot of name, or the empty one where it would go. */
static struct sa_slot *
sa_slot(const struct sa_rules *sr, const char *name, size_t len, uint64_t h)
{
	struct sa_slot	*sl;
	size_t		 i;

	for (i = h & (sr->cap - 1); (sl = &sr->slots[i])->name != NULL;
	    i = (i + 1) & (sr->cap - 1))
		if (sl->hash == h && sl->len == len &&
		    memcmp(sl->name, name, len) == 0)
			break;
	return sl;
}

static void
sa_grow(struct sa_rules *sr)
{
	struct sa_slot	*old = sr->slots;
	size_t		 oldcap = sr->cap, i;

	sr->cap = oldcap ? oldcap * 2 : 1024;
	sr->slots = xcalloc(sr->cap, sizeof(*sr->slots));
	for (i = 0; i < oldcap; i++)
		if (old[i].name != NULL)
			*sa_slot(sr, old[i].name, old[i].len, old[i].hash) =
			    old[i];
	free(old);
}

static void
sa_set(struct sa_rules *sr, const char *name, size_t len, const char *text)
{
	struct sa_slot	*sl;
	uint64_t	 h = sa_hash(name, len);

	if ((sr->n + 1) * 2 > sr->cap)
		sa_grow(sr);
	if ((sl = sa_slot(sr, name, len, h))->name == NULL) {
		sl->name = arena_strndup(&sr->arena, name, len);
		sl->len = len;
		sl->hash = h;
		sr->n++;
	}
	sl->text = text;
}

/* Perl's \s */
static int
sa_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' ||
	    c == '\v';
}

/* The length of the word at *pp; *pp moves past it and the blanks after. */
static size_t
sa_word(const char **pp, const char *end)
{
	const char	*p = *pp;
	size_t		 len;

	while (p < end && !sa_blank(*p))
		p++;
	len = (size_t)(p - *pp);
	while (p < end && sa_blank(*p))
		p++;
	*pp = p;
	return len;
}

static int
sa_name_ok(const char *s, size_t len)
{
	size_t	 i;
	char	 c;

	for (i = 0; i < len; i++) {
		c = s[i];
		if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
		    (c >= '0' && c <= '9') || c == '_' || c == '.'))
			return 0;
	}
	return len > 0;
}

static void
sa_line(struct sa_rules *sr, const char *p, const char *end)
{
	const char	*q, *w, *name;
	size_t		 len, namelen;
	char		*text, *s, *t;
	int		 unescape = 0;

	for (q = p; (q = memchr(q, '#', (size_t)(end - q))) != NULL; q++) {
		unescape = 1;
		if (q == p || q[-1] != '\\') {
			end = q;
			break;
		}
	}
	while (p < end && sa_blank(*p))
		p++;
	while (end > p && sa_blank(end[-1]))
		end--;
	if (end - p > 4 && memcmp(p, "lang", 4) == 0 && sa_blank(p[4])) {
		q = p + 4;
		while (sa_blank(*q))
			q++;
		w = q;
		len = sa_word(&q, end);
		/* SpamAssassin: next if $lang !~ /^$1/i */
		if (q == w + len || len > strlen(SA_LANG) ||
		    strncasecmp(w, SA_LANG, len) != 0)
			return;
		p = q;
	}
	w = p;
	if (sa_word(&p, end) != 8 || strncasecmp(w, "describe", 8) != 0)
		return;
	name = p;
	namelen = sa_word(&p, end);
	if (p == end || !sa_name_ok(name, namelen))
		return;
	text = arena_strndup(&sr->arena, p, (size_t)(end - p));
	if (unescape) {
		for (s = t = text; *s != '\0'; s++)
			if (s[0] != '\\' || s[1] != '#')
				*t++ = *s;
		*t = '\0';
	}
	sa_set(sr, name, namelen, text);
}

static void
sa_text(struct sa_rules *sr, const char *p, size_t len)
{
	const char	*end = p + len, *nl;

	for (; p < end; p = nl + 1) {
		if ((nl = memchr(p, '\n', (size_t)(end - p))) == NULL)
			nl = end;
		sa_line(sr, p, nl);
	}
}

static void
sa_file(struct sa_load *ld, int dfd, const char *name)
{
	struct stat	 st;
	size_t		 len = 0, room;
	ssize_t		 r;
	int		 fd;

	if (ld->files >= SA_MAXFILES) {
		ld->full = 1;
		return;
	}
	/* O_NONBLOCK: a FIFO named x.cf must not hang the open */
	if ((fd = openat(dfd, name, O_RDONLY | O_NONBLOCK | O_NOCTTY |
	    O_CLOEXEC)) == -1)
		return;
	if (fstat(fd, &st) == -1 || !S_ISREG(st.st_mode)) {
		close(fd);
		return;
	}
	ld->files++;
	for (;;) {
		if ((room = SA_MAXBYTES - ld->bytes) == 0) {
			ld->full = 1;
			break;
		}
		if (ld->bufcap - len < SA_READ) {
			ld->bufcap = ld->bufcap ? ld->bufcap * 2 : 4 * SA_READ;
			ld->buf = xreallocarray(ld->buf, ld->bufcap, 1);
		}
		if (room > ld->bufcap - len)
			room = ld->bufcap - len;
		if ((r = read(fd, ld->buf + len, room)) == -1 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		len += (size_t)r;
		ld->bytes += (size_t)r;
	}
	close(fd);
	if (ld->full)
		while (len > 0 && ld->buf[len - 1] != '\n')
			len--;
	sa_text(ld->sr, ld->buf, len);
}

static int
sa_isdir(int dfd, const struct dirent *de)
{
	struct stat	 st;

	if (de->d_type == DT_DIR)
		return 1;
	if (de->d_type != DT_LNK && de->d_type != DT_UNKNOWN)
		return 0;
	return fstatat(dfd, de->d_name, &st, 0) == 0 && S_ISDIR(st.st_mode);
}

static void
sa_names_add(struct sa_names *nm, const char *s)
{
	if (nm->n == nm->cap) {
		nm->cap = nm->cap ? nm->cap * 2 : 64;
		nm->v = xreallocarray(nm->v, nm->cap, sizeof(*nm->v));
	}
	nm->v[nm->n++] = xstrdup(s);
}

static int
sa_names_cmp(const void *a, const void *b)
{
	return strcmp(*(char * const *)a, *(char * const *)b);
}

static void
sa_names_free(struct sa_names *nm)
{
	size_t	 i;

	for (i = 0; i < nm->n; i++)
		free(nm->v[i]);
	free(nm->v);
}

/* Reads the directory open on fd, and closes fd. */
static void
sa_dir(struct sa_load *ld, int fd, int depth)
{
	struct sa_names	 files = { NULL, 0, 0 }, dirs = { NULL, 0, 0 };
	struct dirent	*de;
	struct stat	 st;
	DIR		*d;
	size_t		 i, len;
	int		 sub;

	if (fstat(fd, &st) == -1 || !S_ISDIR(st.st_mode)) {
		close(fd);
		return;
	}
	for (i = 0; i < (size_t)depth; i++)
		if (ld->dev[i] == st.st_dev && ld->ino[i] == st.st_ino) {
			close(fd);
			return;
		}
	ld->dev[depth] = st.st_dev;
	ld->ino[depth] = st.st_ino;
	if ((d = fdopendir(fd)) == NULL) {
		close(fd);
		return;
	}
	while (ld->entries < SA_MAXENTRIES && (de = readdir(d)) != NULL) {
		ld->entries++;
		if (de->d_name[0] == '.')
			continue;
		len = strlen(de->d_name);
		if (len > 3 && strcmp(de->d_name + len - 3, ".cf") == 0)
			sa_names_add(&files, de->d_name);
		else if (depth < SA_MAXDEPTH && sa_isdir(dirfd(d), de))
			sa_names_add(&dirs, de->d_name);
	}
	/* SpamAssassin sorts with Perl's sort: bytes, not the locale's order */
	if (files.n > 1)
		qsort(files.v, files.n, sizeof(*files.v), sa_names_cmp);
	if (dirs.n > 1)
		qsort(dirs.v, dirs.n, sizeof(*dirs.v), sa_names_cmp);
	for (i = 0; i < files.n && !ld->full; i++)
		sa_file(ld, dirfd(d), files.v[i]);
	for (i = 0; i < dirs.n && !ld->full; i++)
		if ((sub = openat(dirfd(d), dirs.v[i], O_RDONLY | O_DIRECTORY |
		    O_NONBLOCK | O_CLOEXEC)) != -1)
			sa_dir(ld, sub, depth + 1);
	sa_names_free(&files);
	sa_names_free(&dirs);
	closedir(d);
}

struct sa_rules *
sa_rules_load(const char *dirs)
{
	struct sa_load	 ld;
	const char	*p = dirs != NULL ? dirs : "";
	char		*path;
	size_t		 len;
	int		 fd;

	memset(&ld, 0, sizeof(ld));
	ld.sr = xcalloc(1, sizeof(*ld.sr));
	while (!ld.full) {
		p += strspn(p, " \t");
		if ((len = strcspn(p, " \t")) == 0)
			break;
		if (*p == '/') {
			path = xmalloc(len + 1);
			memcpy(path, p, len);
			path[len] = '\0';
			if ((fd = open(path, O_RDONLY | O_DIRECTORY | O_NONBLOCK |
			    O_CLOEXEC)) != -1)
				sa_dir(&ld, fd, 0);
			free(path);
		}
		p += len;
	}
	free(ld.buf);
	return ld.sr;
}

const char *
sa_rules_describe(const struct sa_rules *sr, const char *name, size_t len)
{
	if (sr == NULL || sr->n == 0)
		return NULL;
	return sa_slot(sr, name, len, sa_hash(name, len))->text;
}

size_t
sa_rules_count(const struct sa_rules *sr)
{
	return sr != NULL ? sr->n : 0;
}

void
sa_rules_free(struct sa_rules *sr)
{
	if (sr == NULL)
		return;
	arena_free(&sr->arena);
	free(sr->slots);
	free(sr);
}

void
sa_rules_lines(const struct sa_rules *sa, const char *tests,
    void (*add)(void *, const char *, size_t), void *arg)
{
	struct ml_str	 rest, name;
	const char	*desc;
	int64_t		 score;
	char		 line[1024], sc[32];
	int		 n;

	if (tests[0] == '\0')
		return;
	add(arg, "", 0);
	add(arg, "tests:", 6);
	rest.p = tests;
	rest.len = strlen(tests);
	while (av_test_next(&rest, &name, &score)) {
		desc = sa != NULL ? sa_rules_describe(sa, name.p, name.len) :
		    NULL;
		if (score == CELL_NONE)
			snprintf(sc, sizeof(sc), "-");
		else
			snprintf(sc, sizeof(sc), "%.3f", score / 1000.0);
		n = snprintf(line, sizeof(line), "  %8s  %-24.*s %s", sc,
		    (int)name.len, name.p, desc != NULL ? desc : "");
		add(arg, line, n > 0 ? (size_t)n : 0);
	}
}
