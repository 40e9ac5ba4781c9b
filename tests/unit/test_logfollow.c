/*
 * The log follower on real files in a temporary directory: appends in
 * pieces, rotation, gzipped history, truncation, a missing file, the history
 * window and the byte budget.  Every test compares the lines delivered with
 * the lines written, exactly.  A line's time is the number it starts with.
 */
#include "config.h"

#include <sys/stat.h>
#include <sys/time.h>

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <zlib.h>

#include "logfollow.h"
#include "unit.h"

#define T0	1700000000LL

static char	basedir[4096];		/* removed by main, failures or not */
static char	tmpdir[4200];

struct lines {
	char	**s;
	size_t	 *len;
	size_t	  n, cap;
	size_t	  bytes;		/* '\n's counted */
};

static struct lines	got, want;

static void
lines_add(struct lines *l, const char *s, size_t len)
{
	if (l->n == l->cap) {
		l->cap = l->cap ? l->cap * 2 : 64;
		l->s = realloc(l->s, l->cap * sizeof(*l->s));
		l->len = realloc(l->len, l->cap * sizeof(*l->len));
		ck_assert(l->s != NULL && l->len != NULL);
	}
	ck_assert_ptr_nonnull(l->s[l->n] = malloc(len + 1));
	memcpy(l->s[l->n], s, len);
	l->s[l->n][len] = '\0';
	l->len[l->n++] = len;
	l->bytes += len + 1;
}

static void
lines_clear(struct lines *l)
{
	size_t	 i;

	for (i = 0; i < l->n; i++)
		free(l->s[i]);
	free(l->s);
	free(l->len);
	memset(l, 0, sizeof(*l));
}

/* The callee may edit the line: scribble over it once it is copied. */
static void
on_line(void *arg, char *line, size_t len)
{
	ck_assert_ptr_eq(arg, &got);
	ck_assert_int_eq(line[len], '\0');
	lines_add(&got, line, len);
	memset(line, 'Z', len);
}

static time_t
line_time(void *arg, const char *line, size_t len)
{
	char		*end;
	long long	 t;

	ck_assert_ptr_eq(arg, &want);
	ck_assert_int_eq(line[len], '\0');
	t = strtoll(line, &end, 10);
	return end == line || (*end != ' ' && *end != '\0') ? -1 : (time_t)t;
}

static void
assert_same(void)
{
	size_t	 i;

	for (i = 0; i < got.n && i < want.n; i++) {
		ck_assert_msg(got.len[i] == want.len[i] &&
		    memcmp(got.s[i], want.s[i], got.len[i]) == 0,
		    "line %zu: got \"%.60s\" (%zu), want \"%.60s\" (%zu)", i,
		    got.s[i], got.len[i], want.s[i], want.len[i]);
	}
	ck_assert_msg(got.n == want.n, "got %zu lines, want %zu%s%.60s", got.n,
	    want.n, got.n > want.n ? ", extra: " : "",
	    got.n > want.n ? got.s[want.n] : "");
}

static void
setup(void)
{
	snprintf(tmpdir, sizeof(tmpdir), "%s/test-XXXXXX", basedir);
	ck_assert_ptr_nonnull(mkdtemp(tmpdir));
}

static void
teardown(void)
{
	lines_clear(&got);
	lines_clear(&want);
}

static int
remove_one(const char *path, const struct stat *st, int flag,
    struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path) == -1 ? -1 : 0;
}

static const char *
P(const char *name)
{
	static char	 buf[4][8192];
	static int	 i;

	i = (i + 1) % 4;
	snprintf(buf[i], sizeof(buf[i]), "%s/%s", tmpdir, name);
	return buf[i];
}

static void
append_len(const char *name, const char *s, size_t len)
{
	int	 fd;

	fd = open(P(name), O_WRONLY | O_APPEND | O_CREAT, 0644);
	ck_assert_int_ne(fd, -1);
	ck_assert_int_eq(write(fd, s, len), (ssize_t)len);
	close(fd);
}

static void
append(const char *name, const char *s)
{
	append_len(name, s, strlen(s));
}

static void
expect(const char *s)
{
	lines_add(&want, s, strlen(s));
}

/* Write a line with the time t to name; expected later, or by logline. */
static const char *
put(const char *name, long long t, const char *text)
{
	static char	 buf[512];

	snprintf(buf, sizeof(buf), "%lld %s\n", t, text);
	append(name, buf);
	buf[strlen(buf) - 1] = '\0';
	return buf;
}

static void
logline(const char *name, long long t, const char *text)
{
	expect(put(name, t, text));
}

/* Only the lines from the nth on are expected. */
static void
want_from(size_t n)
{
	size_t	 i;

	ck_assert_uint_le(n, want.n);
	for (i = 0; i < n; i++) {
		want.bytes -= want.len[i] + 1;
		free(want.s[i]);
	}
	memmove(want.s, want.s + n, (want.n - n) * sizeof(*want.s));
	memmove(want.len, want.len + n, (want.n - n) * sizeof(*want.len));
	want.n -= n;
}

static void
move(const char *from, const char *to)
{
	ck_assert_int_eq(rename(P(from), P(to)), 0);
}

/* As newsyslog does: name.gz from name, then name removed. */
static void
gzip_file(const char *name)
{
	char	 gzname[256];
	char	*buf;
	size_t	 len;
	gzFile	 gz;

	snprintf(gzname, sizeof(gzname), "%s.gz", name);
	buf = unit_slurp(P(name), &len);
	ck_assert_ptr_nonnull(gz = gzopen(P(gzname), "wb"));
	if (len > 0)
		ck_assert_int_eq(gzwrite(gz, buf, (unsigned)len), (int)len);
	ck_assert_int_eq(gzclose(gz), Z_OK);
	free(buf);
	ck_assert_int_eq(unlink(P(name)), 0);
}

static void
set_mtime(const char *name, long long t)
{
	struct timeval	 tv[2];

	tv[0].tv_sec = tv[1].tv_sec = (time_t)t;
	tv[0].tv_usec = tv[1].tv_usec = 0;
	ck_assert_int_eq(utimes(P(name), tv), 0);
}

static struct logfollow *
lf_open(const char *name, long long since)
{
	return logfollow_open(P(name), (time_t)since, line_time, &want);
}

static int
step(struct logfollow *lf, size_t budget)
{
	return logfollow_step(lf, budget, on_line, &got);
}

/* Step until caught up; what the last step returned. */
static int
drain(struct logfollow *lf)
{
	int	 r, n = 0;

	while ((r = step(lf, 0)) == LF_MORE)
		ck_assert_int_lt(++n, 1000);
	return r;
}

static int
starts_with(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}

START_TEST(test_append_pieces)
{
	struct logfollow	*lf;
	const char		*s = "1700000005 sixth\n1700000006 x\n";
	size_t			 i, n;
	off_t			 done, total;

	logline("maillog", T0, "first");
	logline("maillog", T0 + 1, "second");
	lf = lf_open("maillog", 0);
	logfollow_progress(lf, &done, &total);
	ck_assert(done == 0 && total == 0);
	ck_assert_int_eq(drain(lf), LF_IDLE);
	assert_same();
	ck_assert(starts_with(logfollow_status(lf), "following "));
	logfollow_progress(lf, &done, &total);
	ck_assert(done == total && total == (off_t)want.bytes);

	/* a partial line waits for its '\n' */
	append("maillog", "1700000002 thi");
	ck_assert_int_eq(drain(lf), LF_IDLE);
	assert_same();
	append("maillog", "rd");
	ck_assert_int_eq(drain(lf), LF_IDLE);
	assert_same();
	append("maillog", "\n1700000003 fourth\n1700000004 fi");
	expect("1700000002 third");
	expect("1700000003 fourth");
	ck_assert_int_eq(drain(lf), LF_IDLE);
	assert_same();
	append("maillog", "fth\n\n");
	expect("1700000004 fifth");
	expect("");
	ck_assert_int_eq(drain(lf), LF_IDLE);
	assert_same();

	/* byte by byte */
	for (i = 0, n = got.n; s[i] != '\0'; i++) {
		append_len("maillog", s + i, 1);
		ck_assert_int_eq(drain(lf), LF_IDLE);
		if (s[i] == '\n')
			n++;
		ck_assert_uint_eq(got.n, n);
	}
	expect("1700000005 sixth");
	expect("1700000006 x");
	assert_same();
	ck_assert_int_eq(drain(lf), LF_IDLE);
	assert_same();
	logfollow_free(lf);
}
END_TEST

/*
 * Renamed and replaced: what syslogd writes to the old file until it
 * reopens, a last line without '\n' included, comes before the new file.
 */
START_TEST(test_rotate)
{
	struct logfollow	*lf;

	logline("maillog", T0, "a");
	logline("maillog", T0 + 1, "b");
	lf = lf_open("maillog", 0);
	ck_assert_int_eq(drain(lf), LF_IDLE);
	logline("maillog", T0 + 2, "c");
	move("maillog", "maillog.0");
	logline("maillog.0", T0 + 3, "after rename");
	put("maillog", T0 + 5, "new file");
	ck_assert_int_eq(drain(lf), LF_IDLE);
	assert_same();
	/* the new file waits until the old one has been quiet for a step */
	logline("maillog.0", T0 + 4, "before the HUP");
	append("maillog.0", "1700000004 no newline");
	ck_assert_int_eq(drain(lf), LF_IDLE);
	assert_same();
	ck_assert(starts_with(logfollow_status(lf), "following "));
	expect("1700000004 no newline");
	expect("1700000005 new file");
	ck_assert_int_eq(drain(lf), LF_IDLE);
	assert_same();
	ck_assert(starts_with(logfollow_status(lf), "following "));
	logline("maillog", T0 + 6, "more");
	ck_assert_int_eq(drain(lf), LF_IDLE);
	assert_same();

	/* newsyslog: shift, rename, gzip; twice */
	gzip_file("maillog.0");
	logline("maillog", T0 + 7, "g");
	ck_assert_int_eq(drain(lf), LF_IDLE);
	move("maillog.0.gz", "maillog.1.gz");
	move("maillog", "maillog.0");
	append("maillog", "");
	ck_assert_int_eq(drain(lf), LF_IDLE);
	ck_assert_int_eq(drain(lf), LF_IDLE);
	gzip_file("maillog.0");
	logline("maillog", T0 + 8, "h");
	ck_assert_int_eq(drain(lf), LF_IDLE);
	assert_same();
	logfollow_free(lf);

	/* the whole of it again, as history: maillog.1.gz, .0.gz, maillog */
	lines_clear(&got);
	lf = lf_open("maillog", T0);
	ck_assert_int_eq(drain(lf), LF_IDLE);
	assert_same();
	logfollow_free(lf);
}
END_TEST

/*
 * Five lines in each file, oldest first, each file 100 s after the one
 * before; a name ending in .gz is gzipped.
 */
static void
make_history(const char **names, size_t n)
{
	char	 plain[256], text[64];
	size_t	 i, j;

	for (i = 0; i < n; i++) {
		snprintf(plain, sizeof(plain), "%s", names[i]);
		if (strstr(plain, ".gz") != NULL)
			*strstr(plain, ".gz") = '\0';
		for (j = 0; j < 5; j++) {
			snprintf(text, sizeof(text), "%s line %zu", names[i],
			    j);
			logline(plain, T0 + 100 * (long long)i +
			    20 * (long long)j, text);
		}
		if (strcmp(plain, names[i]) != 0)
			gzip_file(plain);
	}
}

static const char *bsd[] = {
	"maillog.3.gz", "maillog.2.gz", "maillog.1", "maillog.0.gz", "maillog"
};

static const struct {
	long long	 since;
	size_t		 first;		/* of bsd[] */
} windows[] = {
	{ 0, 0 },
	{ T0, 0 },
	{ T0 + 99, 0 },
	{ T0 + 100, 1 },
	{ T0 + 101, 1 },
	{ T0 + 250, 2 },
	{ T0 + 300, 3 },
	{ T0 + 399, 3 },
	{ T0 + 400, 4 },
	{ T0 + 1000, 4 },
};

START_TEST(test_window)
{
	struct logfollow	*lf;
	size_t			 first = windows[_i].first;
	off_t			 done, total;

	make_history(bsd, nitems(bsd));
	want_from(first * 5);
	lf = lf_open("maillog", windows[_i].since);
	ck_assert_int_eq(drain(lf), LF_IDLE);
	assert_same();
	logfollow_progress(lf, &done, &total);
	ck_assert(done == total && total > 0);
	logfollow_free(lf);
}
END_TEST

/* logrotate: no .0, the newest rotated file left uncompressed. */
START_TEST(test_debian_names)
{
	static const char	*deb[] = {
		"mail.log.3.gz", "mail.log.2.gz", "mail.log.1", "mail.log"
	};
	struct logfollow	*lf;

	make_history(deb, nitems(deb));
	lf = lf_open("mail.log", 0);
	ck_assert_int_eq(drain(lf), LF_IDLE);
	assert_same();
	logfollow_free(lf);

	lines_clear(&got);
	want_from(5);
	lf = lf_open("mail.log", T0 + 150);
	ck_assert_int_eq(drain(lf), LF_IDLE);
	assert_same();
	logfollow_free(lf);
}
END_TEST

START_TEST(test_truncate)
{
	struct logfollow	*lf;
	char			 big[200];

	logline("maillog", T0, "a");
	logline("maillog", T0 + 1, "b");
	lf = lf_open("maillog", 0);
	ck_assert_int_eq(drain(lf), LF_IDLE);

	/* copytruncate: copied, then cut to nothing */
	ck_assert_int_eq(truncate(P("maillog"), 0), 0);
	ck_assert_int_eq(drain(lf), LF_IDLE);
	logline("maillog", T0 + 2, "c");
	ck_assert_int_eq(drain(lf), LF_IDLE);
	assert_same();

	/* cut and grown past where we were before the next step */
	ck_assert_int_eq(truncate(P("maillog"), 0), 0);
	memset(big, 'x', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	logline("maillog", T0 + 3, big);
	ck_assert_int_eq(drain(lf), LF_IDLE);
	assert_same();

	/* a line being written when the file is cut ends there */
	append("maillog", "1700000004 cut");
	ck_assert_int_eq(drain(lf), LF_IDLE);
	ck_assert_int_eq(truncate(P("maillog"), 0), 0);
	expect("1700000004 cut");
	logline("maillog", T0 + 5, "d");
	ck_assert_int_eq(drain(lf), LF_IDLE);
	assert_same();
	logfollow_free(lf);
}
END_TEST

/*
 * newsyslog run twice within one interval: the file followed is
 * maillog.1.gz by then, the one in between maillog.0.gz.  Both are read to
 * their ends, oldest first, then the new file once they are quiet.
 */
START_TEST(test_rotate_twice)
{
	struct logfollow	*lf;

	logline("maillog", T0, "a");
	lf = lf_open("maillog", 0);
	ck_assert_int_eq(drain(lf), LF_IDLE);
	logline("maillog", T0 + 1, "b, read from the file followed");
	move("maillog", "maillog.0");
	gzip_file("maillog.0");
	logline("maillog", T0 + 2, "c, in the file in between");
	move("maillog.0.gz", "maillog.1.gz");
	move("maillog", "maillog.0");
	gzip_file("maillog.0");
	put("maillog", T0 + 3, "d, in the new file");
	ck_assert_int_eq(drain(lf), LF_IDLE);
	assert_same();
	expect("1700000003 d, in the new file");
	ck_assert_int_eq(drain(lf), LF_IDLE);
	assert_same();
	ck_assert_ptr_null(logfollow_warning(lf));

	/* logrotate three times: .1 plain, the others gzipped */
	logline("maillog", T0 + 4, "e");
	move("maillog", "maillog.1");
	logline("maillog", T0 + 5, "f");
	move("maillog.1.gz", "maillog.3.gz");
	move("maillog.0.gz", "maillog.4.gz");
	move("maillog.1", "maillog.2");
	gzip_file("maillog.2");
	move("maillog", "maillog.1");
	append("maillog", "");
	move("maillog.2.gz", "maillog.3.gz");
	move("maillog.1", "maillog.2");
	gzip_file("maillog.2");
	move("maillog", "maillog.1");
	logline("maillog", T0 + 6, "g");
	ck_assert_int_eq(drain(lf), LF_IDLE);
	ck_assert_int_eq(drain(lf), LF_IDLE);
	assert_same();
	ck_assert_ptr_null(logfollow_warning(lf));
	logfollow_free(lf);
}
END_TEST

/*
 * copytruncate: what was written just before the cut is read from the copy
 * (plain or gzipped), the file grown back past where it was is read from
 * its start.  "> maillog" has no copy: said.
 */
START_TEST(test_copytruncate)
{
	struct logfollow	*lf;
	char			*buf, big[300];
	size_t			 len;

	memset(big, 'x', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	logline("maillog", T0, "a");
	lf = lf_open("maillog", 0);
	ck_assert_int_eq(drain(lf), LF_IDLE);
	logline("maillog", T0 + 1, "written just before");
	buf = unit_slurp(P("maillog"), &len);
	append_len("maillog.1", buf, len);
	free(buf);
	ck_assert_int_eq(truncate(P("maillog"), 0), 0);
	logline("maillog", T0 + 2, big);
	ck_assert_int_eq(drain(lf), LF_IDLE);
	assert_same();

	logline("maillog", T0 + 3, "again just before");
	buf = unit_slurp(P("maillog"), &len);
	append_len("maillog.0", buf, len);
	free(buf);
	gzip_file("maillog.0");
	ck_assert_int_eq(truncate(P("maillog"), 0), 0);
	logline("maillog", T0 + 4, big);
	ck_assert_int_eq(drain(lf), LF_IDLE);
	assert_same();
	ck_assert_ptr_null(logfollow_warning(lf));

	put("maillog", T0 + 5, "lost");
	ck_assert_int_eq(truncate(P("maillog"), 0), 0);
	logline("maillog", T0 + 6, big);
	ck_assert_int_eq(drain(lf), LF_IDLE);
	assert_same();
	ck_assert_str_eq(logfollow_warning(lf), "maillog was cut in place "
	    "with no copy: lines written just before may be lost");
	ck_assert_ptr_nonnull(strstr(logfollow_status(lf), " - maillog was "
	    "cut in place"));
	logfollow_free(lf);
}
END_TEST

START_TEST(test_missing)
{
	struct logfollow	*lf;

	lf = lf_open("maillog", 0);
	ck_assert_int_eq(drain(lf), LF_IDLE);
	ck_assert(starts_with(logfollow_status(lf), "waiting for "));
	ck_assert_ptr_nonnull(strstr(logfollow_status(lf), P("maillog")));
	ck_assert_ptr_nonnull(strstr(logfollow_status(lf),
	    strerror(ENOENT)));
	ck_assert_int_eq(drain(lf), LF_IDLE);
	logline("maillog", T0, "a");
	ck_assert_int_eq(drain(lf), LF_IDLE);
	assert_same();
	ck_assert(starts_with(logfollow_status(lf), "following "));

	/* gone for a while: the old file is still read */
	move("maillog", "away");
	logline("away", T0 + 1, "b");
	ck_assert_int_eq(drain(lf), LF_IDLE);
	ck_assert(starts_with(logfollow_status(lf), "waiting for "));
	assert_same();
	ck_assert_int_eq(drain(lf), LF_IDLE);
	/* and back: the same file */
	move("away", "maillog");
	logline("maillog", T0 + 2, "c");
	ck_assert_int_eq(drain(lf), LF_IDLE);
	ck_assert(starts_with(logfollow_status(lf), "following "));
	assert_same();

	/* gone, then another file */
	move("maillog", "maillog.0");
	ck_assert_int_eq(drain(lf), LF_IDLE);
	ck_assert(starts_with(logfollow_status(lf), "waiting for "));
	logline("maillog", T0 + 3, "d");
	ck_assert_int_eq(drain(lf), LF_IDLE);
	ck_assert_int_eq(drain(lf), LF_IDLE);
	assert_same();
	logline("maillog", T0 + 4, "e");
	ck_assert_int_eq(drain(lf), LF_IDLE);
	assert_same();
	logfollow_free(lf);
}
END_TEST

START_TEST(test_unreadable)
{
	struct logfollow	*lf;

	/* a directory in place of the file */
	ck_assert_int_eq(mkdir(P("maillog"), 0755), 0);
	lf = lf_open("maillog", 0);
	ck_assert_int_eq(step(lf, 0), LF_ERROR);
	ck_assert(starts_with(logfollow_status(lf), P("maillog")));
	ck_assert_int_eq(step(lf, 0), LF_ERROR);
	ck_assert_int_eq(rmdir(P("maillog")), 0);
	logline("maillog", T0, "a");
	ck_assert_int_eq(drain(lf), LF_IDLE);
	assert_same();
	logfollow_free(lf);

	/* permission denied, when we are not root */
	if (geteuid() != 0) {
		ck_assert_int_eq(chmod(P("maillog"), 0), 0);
		lf = lf_open("maillog", 0);
		ck_assert_int_eq(step(lf, 0), LF_ERROR);
		ck_assert(starts_with(logfollow_status(lf), P("maillog")));
		ck_assert_ptr_nonnull(strstr(logfollow_status(lf),
		    strerror(EACCES)));
		logfollow_free(lf);
	}
}
END_TEST

START_TEST(test_budget)
{
	struct logfollow	*lf;
	char			 text[64];
	size_t			 i, before, steps = 0, budget = 1000;
	off_t			 done, total, last = 0;
	int			 r;

	/* 20-byte lines: 10 + ' ' + 8 + '\n' */
	for (i = 0; i < 1000; i++) {
		snprintf(text, sizeof(text), "%08zu", i);
		logline(i < 500 ? "maillog.0" : "maillog", T0 + (long long)i,
		    text);
	}
	gzip_file("maillog.0");
	lf = lf_open("maillog", T0 + 100);
	do {
		before = got.bytes;
		r = step(lf, budget);
		ck_assert_int_ne(r, LF_ERROR);
		/* the line a step starts in may have been read before */
		ck_assert_uint_le(got.bytes - before, budget + 20);
		logfollow_progress(lf, &done, &total);
		ck_assert(done >= last && done <= total);
		last = done;
		if (r == LF_MORE && got.bytes < 10000)
			ck_assert(starts_with(logfollow_status(lf),
			    "reading maillog.0.gz"));
		ck_assert_uint_lt(++steps, 1000);
	} while (r == LF_MORE);
	ck_assert_uint_ge(steps, 20000 / budget);
	ck_assert_uint_le(steps, 20000 / budget + 3);
	ck_assert(done == total);
	assert_same();
	logfollow_free(lf);
}
END_TEST

/* NULs are bytes like any other; an overlong line is cut. */
START_TEST(test_hostile)
{
	struct logfollow	*lf;
	char			*big;
	size_t			 n = 1024 * 1024;

	append_len("maillog", "1 a\0b\n\0\n2 c\n", 12);
	lines_add(&want, "1 a\0b", 5);
	lines_add(&want, "\0", 1);
	expect("2 c");
	lf = lf_open("maillog", 0);
	ck_assert_int_eq(drain(lf), LF_IDLE);
	assert_same();

	ck_assert_ptr_nonnull(big = malloc(n));
	memset(big, 'x', n);
	append_len("maillog", big, n);
	ck_assert_int_eq(drain(lf), LF_IDLE);
	assert_same();
	append_len("maillog", big, n);
	ck_assert_int_eq(drain(lf), LF_IDLE);
	assert_same();
	append("maillog", "\n3 after\n");
	lines_add(&want, big, LF_LINE_MAX);
	expect("3 after");
	ck_assert_int_eq(drain(lf), LF_IDLE);
	assert_same();

	/* just fits; one too many */
	append_len("maillog", big, LF_LINE_MAX);
	append("maillog", "\n");
	append_len("maillog", big, LF_LINE_MAX + 1);
	append("maillog", "\n4 end\n");
	lines_add(&want, big, LF_LINE_MAX);
	lines_add(&want, big, LF_LINE_MAX);
	expect("4 end");
	ck_assert_int_eq(step(lf, 7), LF_MORE);
	ck_assert_int_eq(drain(lf), LF_IDLE);
	assert_same();
	logfollow_free(lf);

	/* at the end of a rotated file, a cut line without its '\n' */
	lines_clear(&got);
	move("maillog", "maillog.0");
	append_len("maillog.0", big, n);
	lines_add(&want, big, LF_LINE_MAX);
	gzip_file("maillog.0");
	append("maillog", "5 new\n");
	expect("5 new");
	lf = lf_open("maillog", 0);
	ck_assert_int_eq(drain(lf), LF_IDLE);
	assert_same();
	logfollow_free(lf);
	free(big);
}
END_TEST

/* Megabytes: lines across the edges of every read, gzipped and not. */
START_TEST(test_large)
{
	struct logfollow	*lf;
	char			 line[160], *buf;
	size_t			 i, k, n = 60000, off = 0;

	ck_assert_ptr_nonnull(buf = malloc(n * 120));
	for (i = 0; i < 2 * n; i++) {
		k = (size_t)snprintf(line, sizeof(line), "%lld ",
		    T0 + (long long)i);
		for (; k < 20 + i % 97; k++)
			line[k] = (char)('a' + (i + k) % 26);
		lines_add(&want, line, k);
		memcpy(buf + off, line, k);
		off += k;
		buf[off++] = '\n';
		if (i == n - 1) {
			append_len("maillog.0", buf, off);
			off = 0;
		}
	}
	append_len("maillog", buf, off);
	free(buf);
	gzip_file("maillog.0");
	lf = lf_open("maillog", 0);
	ck_assert_int_eq(drain(lf), LF_IDLE);
	assert_same();
	logfollow_free(lf);
}
END_TEST

/*
 * A limit on the history: the last k lines ending in '!' and what follows
 * them, found backwards across 1 MB chunks, a 1.5 MB line and rotated
 * files.  Lines are T0 + i, every third one counted.
 */
static int
counted(const char *s, size_t len)
{
	return len > 0 && s[len - 1] == '!';
}

static const struct {
	const char	*older;		/* the file before maillog, or NULL */
	const char	*oldest;	/* and the one before that */
	size_t		 split;		/* first line of maillog */
	size_t		 limit;
	long long	 since;		/* after T0 */
	size_t		 from;		/* the first line delivered; -1: since */
} limits[] = {
	{ NULL, NULL, 0, 5000, 0, 30000 - 3 * 5000 + 1 },
	{ NULL, NULL, 0, 1, 0, 29998 },
	{ "maillog.0", NULL, 20000, 5000, 0, 30000 - 3 * 5000 + 1 },
	{ "maillog.0", NULL, 20000, 9000, 0, 30000 - 3 * 9000 + 1 },
	{ "maillog.0", "maillog.1.gz", 20000, 9000, 0, 0 },
	{ "maillog.0", "maillog.1.gz", 25000, 3000, 0, 30000 - 3 * 3000 + 1 },
	{ "maillog.0", NULL, 20000, 20000, 0, 0 },
	{ NULL, NULL, 0, 20000, 20000, (size_t)-1 },
};

START_TEST(test_limit)
{
	struct logfollow	*lf;
	char			 line[160], *buf, *big;
	size_t			 i, k, n = 30000, off = 0, want_n, from;
	size_t			 bigat = 4002, bigsz = 1536 * 1024;
	const char		*name;
	off_t			 done, total;
	int			 gz = limits[_i].oldest != NULL;

	ck_assert_ptr_nonnull(buf = malloc(n * 160 + bigsz));
	ck_assert_ptr_nonnull(big = malloc(bigsz));
	for (i = 0; i < n; i++) {
		if (i == bigat) {
			k = (size_t)snprintf(big, bigsz, "%lld ",
			    T0 + (long long)i);
			memset(big + k, 'x', bigsz - k);
			lines_add(&want, big, LF_LINE_MAX);
			memcpy(buf + off, big, bigsz);
			off += bigsz;
			buf[off++] = '\n';
			continue;
		}
		k = (size_t)snprintf(line, sizeof(line), "%lld ",
		    T0 + (long long)i);
		for (; k < 20 + i % 97; k++)
			line[k] = (char)('a' + (i + k) % 26);
		if (i % 3 == 1)
			line[k++] = '!';
		lines_add(&want, line, k);
		memcpy(buf + off, line, k);
		off += k;
		buf[off++] = '\n';
		name = NULL;
		if (gz && i == 9999)
			name = "maillog.1";
		else if (limits[_i].older != NULL &&
		    i + 1 == limits[_i].split)
			name = "maillog.0";
		if (name != NULL) {
			append_len(name, buf, off);
			off = 0;
		}
	}
	append_len("maillog", buf, off);
	free(buf);
	free(big);
	if (gz)
		gzip_file("maillog.1");

	from = limits[_i].from;
	if (from == (size_t)-1) {
		/* since: from a line at most a chunk before it */
		from = (size_t)limits[_i].since;
	}
	lf = lf_open("maillog", limits[_i].since ? T0 + limits[_i].since : 0);
	logfollow_limit(lf, counted, limits[_i].limit);
	/* going back is stepped too: a 1 MB chunk spends this budget */
	ck_assert_int_eq(step(lf, 4096), LF_MORE);
	ck_assert_uint_eq(got.n, 0);
	logfollow_progress(lf, &done, &total);
	if (starts_with(logfollow_status(lf), "going back through "))
		ck_assert_int_eq(total, 0);
	else
		ck_assert(starts_with(logfollow_status(lf), "reading "));
	if (limits[_i].from < 10000)	/* more than a chunk back */
		ck_assert(starts_with(logfollow_status(lf),
		    "going back through "));
	for (k = 0; got.n == 0 && k < 100; k++)
		ck_assert_int_ne(step(lf, 4096), LF_ERROR);
	ck_assert_uint_gt(got.n, 0);
	if (limits[_i].from == (size_t)-1) {
		ck_assert_uint_gt(got.n, 0);
		from = (size_t)(strtoll(got.s[0], NULL, 10) - T0);
		ck_assert_uint_le(from, (size_t)limits[_i].since);
		ck_assert_uint_ge(from + 15000, (size_t)limits[_i].since);
	}
	want_n = want.n;
	want_from(from);
	logfollow_progress(lf, &done, &total);
	ck_assert_int_eq(drain(lf), LF_IDLE);
	assert_same();
	if (!gz)
		ck_assert_int_eq(total, (off_t)want.bytes + (from <= bigat ?
		    (off_t)(bigsz - LF_LINE_MAX) : 0));
	logfollow_progress(lf, &done, &total);
	ck_assert_int_eq(done, total);
	ck_assert_uint_eq(want.n, want_n - from);
	logfollow_free(lf);
}
END_TEST

/* A limit on a log that is not there yet, then is. */
START_TEST(test_limit_missing)
{
	struct logfollow	*lf;

	lf = lf_open("maillog", 0);
	logfollow_limit(lf, counted, 10);
	ck_assert_int_eq(drain(lf), LF_IDLE);
	ck_assert(starts_with(logfollow_status(lf), "waiting for "));
	logline("maillog", T0, "a!");
	logline("maillog", T0 + 1, "b");
	ck_assert_int_eq(drain(lf), LF_IDLE);
	assert_same();
	logfollow_free(lf);
}
END_TEST

/* Files last written before the window are not opened at all. */
START_TEST(test_mtime)
{
	struct logfollow	*lf;

	/* a directory: an error if it were looked at */
	ck_assert_int_eq(mkdir(P("maillog.1"), 0755), 0);
	logline("maillog.0", T0 + 100, "older than the window");
	logline("maillog", T0 + 200, "in the window");
	set_mtime("maillog.0", T0 + 110);
	want_from(1);
	/* since T0 + 150: .0 ends before it, .1 is not even looked at */
	lf = lf_open("maillog", T0 + 150);
	ck_assert_int_eq(drain(lf), LF_IDLE);
	assert_same();
	logfollow_free(lf);

	/* the live file too: only what is written from now on */
	lines_clear(&got);
	set_mtime("maillog", T0 + 210);
	lf = lf_open("maillog", T0 + 300);
	ck_assert_int_eq(drain(lf), LF_IDLE);
	ck_assert_uint_eq(got.n, 0);
	logline("maillog", T0 + 400, "new");
	ck_assert_int_eq(drain(lf), LF_IDLE);
	ck_assert_uint_eq(got.n, 1);
	ck_assert_str_eq(got.s[0], want.s[want.n - 1]);
	logfollow_free(lf);
}
END_TEST

static int	rotate_in_line_time;

/* newsyslog runs while the first step looks at the files. */
static time_t
rotating_line_time(void *arg, const char *line, size_t len)
{
	if (rotate_in_line_time) {
		rotate_in_line_time = 0;
		move("maillog", "maillog.0");
		gzip_file("maillog.0");
		append("maillog", "");
	}
	return line_time(arg, line, len);
}

START_TEST(test_rotate_while_choosing)
{
	struct logfollow	*lf;

	logline("maillog", T0, "a");
	logline("maillog", T0 + 1, "b");
	rotate_in_line_time = 1;
	lf = logfollow_open(P("maillog"), 0, rotating_line_time, &want);
	ck_assert_int_eq(drain(lf), LF_IDLE);
	ck_assert_int_eq(rotate_in_line_time, 0);
	logline("maillog", T0 + 2, "c");
	ck_assert_int_eq(drain(lf), LF_IDLE);
	assert_same();
	logfollow_free(lf);

	/* maillog.1 is a link to maillog: read once */
	lines_clear(&got);
	ck_assert_int_eq(link(P("maillog"), P("maillog.1")), 0);
	move("maillog.0.gz", "maillog.2.gz");
	lf = lf_open("maillog", 0);
	ck_assert_int_eq(drain(lf), LF_IDLE);
	assert_same();
	logfollow_free(lf);
}
END_TEST

/*
 * A cut .gz: its lines up to the cut, then the rest, the damage named in
 * the warning and not an error.  A .gz that is not gzip is not read as text.
 */
START_TEST(test_bad_gzip)
{
	struct logfollow	*lf;
	struct stat		 st;
	char			 text[64];
	size_t			 i, nhist;

	for (i = 0; i < 2000; i++) {
		snprintf(text, sizeof(text), "%zu %zu %zu", i * 7919 % 1000,
		    i * i, i * 104729);
		logline("maillog.0", T0 + (long long)i, text);
	}
	gzip_file("maillog.0");
	ck_assert_int_eq(stat(P("maillog.0.gz"), &st), 0);
	ck_assert_int_eq(truncate(P("maillog.0.gz"), st.st_size / 2), 0);
	nhist = want.n;
	logline("maillog", T0 + 5000, "live");
	lf = lf_open("maillog", 0);
	ck_assert_ptr_null(logfollow_warning(lf));
	ck_assert_int_eq(drain(lf), LF_IDLE);
	ck_assert_str_eq(logfollow_warning(lf), "the history is incomplete: "
	    "maillog.0.gz is damaged (cut short)");
	ck_assert(starts_with(logfollow_status(lf), "following "));
	ck_assert_ptr_nonnull(strstr(logfollow_status(lf),
	    " - the history is incomplete: maillog.0.gz is damaged"));
	/* a prefix of the history, not its cut last line, then the live */
	ck_assert_uint_gt(got.n, 10);
	ck_assert_uint_lt(got.n, nhist);
	for (i = 0; i + 1 < got.n; i++)
		ck_assert_str_eq(got.s[i], want.s[i]);
	ck_assert_str_eq(got.s[got.n - 1], want.s[want.n - 1]);
	logfollow_free(lf);

	/* text named .gz, older: said, and the older one read still */
	lines_clear(&got);
	lines_clear(&want);
	ck_assert_int_eq(unlink(P("maillog.0.gz")), 0);
	ck_assert_int_eq(unlink(P("maillog")), 0);
	logline("maillog.2", T0 - 2, "older");
	gzip_file("maillog.2");
	put("maillog.1.gz", T0 - 1, "not gzip");
	logline("maillog", T0, "live");
	lf = lf_open("maillog", 0);
	ck_assert_int_eq(drain(lf), LF_IDLE);
	assert_same();
	ck_assert_str_eq(logfollow_warning(lf), "the history is incomplete: "
	    "maillog.1.gz is damaged (not gzip)");
	logfollow_free(lf);
}
END_TEST

static unsigned long long	rnd_state;

static unsigned
rnd(unsigned n)
{
	rnd_state ^= rnd_state << 13;
	rnd_state ^= rnd_state >> 7;
	rnd_state ^= rnd_state << 17;
	return (unsigned)(rnd_state % n);
}

/* A step with a random budget, as a busy caller would. */
static void
some_steps(struct logfollow *lf)
{
	unsigned	 i, n = rnd(3);

	for (i = 0; i < n; i++)
		ck_assert_int_ne(step(lf, 1 + rnd(5000)), LF_ERROR);
}

/* newsyslog: maillog.N.gz becomes maillog.N+1.gz. */
static void
shift_rotated(int nrot)
{
	char	 from[64], to[64];
	int	 k;

	for (k = nrot - 1; k >= 0; k--) {
		snprintf(from, sizeof(from), "maillog.%d.gz", k);
		snprintf(to, sizeof(to), "maillog.%d.gz", k + 1);
		move(from, to);
	}
}

/* A random line with the next time, written to name and expected. */
static void
random_line(const char *name, long long *t)
{
	char	 text[320];
	size_t	 i, n = rnd(300);

	for (i = 0; i < n; i++)
		text[i] = (char)('a' + rnd(26));
	text[n] = '\0';
	logline(name, (*t)++, text);
}

/* The same, written in two pieces with steps in between. */
static void
random_pieces(struct logfollow *lf, long long *t)
{
	char	*buf;
	size_t	 len, cut;

	random_line("tmp", t);
	buf = unit_slurp(P("tmp"), &len);
	ck_assert_int_eq(unlink(P("tmp")), 0);
	cut = rnd((unsigned)len + 1);
	append_len("maillog", buf, cut);
	some_steps(lf);
	append_len("maillog", buf + cut, len - cut);
	free(buf);
}

/*
 * All of it at random: appends in pieces, rotations while behind with lines
 * written to the old file after the rename, gzip, copytruncate, the file
 * gone for a while, random budgets.  Then the whole again as history.
 */
START_TEST(test_random)
{
	struct logfollow	*lf;
	long long		 t = T0;
	char			*buf;
	size_t			 len;
	int			 op, nrot = 0, n, r;

	rnd_state = 0x9e3779b97f4a7c15ULL * (unsigned)(_i + 1);
	logline("maillog", t++, "start");
	lf = lf_open("maillog", 0);
	for (op = 0; op < 400; op++) {
		switch (rnd(16)) {
		case 0:
			if (nrot == 30)
				break;
			/* renamed; syslogd writes on to the old file a while */
			shift_rotated(nrot++);
			move("maillog", "maillog.0");
			for (n = (int)rnd(3); n > 0; n--)
				random_line("maillog.0", &t);
			append("maillog", "");
			for (n = (int)rnd(3); n > 0; n--)
				random_line("maillog", &t);
			ck_assert_int_eq(drain(lf), LF_IDLE);
			ck_assert_int_eq(drain(lf), LF_IDLE);
			gzip_file("maillog.0");
			break;
		case 1:
			if (nrot == 30)
				break;
			/* copytruncate loses what it has not copied: caught up */
			ck_assert_int_eq(drain(lf), LF_IDLE);
			shift_rotated(nrot++);
			buf = unit_slurp(P("maillog"), &len);
			append_len("maillog.0", buf, len);
			free(buf);
			ck_assert_int_eq(truncate(P("maillog"), 0), 0);
			gzip_file("maillog.0");
			break;
		case 2:
			move("maillog", "away");
			some_steps(lf);
			for (n = (int)rnd(3); n > 0; n--)
				random_line("away", &t);
			some_steps(lf);
			move("away", "maillog");
			break;
		case 3:
		case 4:
			random_pieces(lf, &t);
			break;
		default:
			for (n = (int)rnd(5); n > 0; n--)
				random_line("maillog", &t);
			break;
		}
		some_steps(lf);
	}
	ck_assert_int_eq(drain(lf), LF_IDLE);
	assert_same();
	logfollow_free(lf);

	lines_clear(&got);
	lf = lf_open("maillog", 0);
	while ((r = step(lf, 1 + rnd(20000))) == LF_MORE)
		;
	ck_assert_int_eq(r, LF_IDLE);
	assert_same();
	logfollow_free(lf);
}
END_TEST

/*
 * The follower against a writer at random, seeded and repeatable: a
 * syslog daemon appending numbered lines (sometimes a line in two writes,
 * a step between), newsyslog (maillog.0.gz, gzipped at once) or logrotate
 * (maillog.1, gzipped at the next rotation) rotating 0 to 3 times between
 * two steps with the daemon's HUP up to a step late, copytruncate, and
 * "> maillog".  A step is the poll interval.  Every line is seen exactly
 * once and in order within its file; only lines a "> maillog" destroyed
 * unread may be missing, and then the warning says so.
 *
 * MHTOP_FOLLOW_ROUNDS rounds (default 12), round i seeded with
 * MHTOP_FOLLOW_SEED + i (default 1); a failure names its seed, and
 * MHTOP_FOLLOW_TRACE=1 with that seed and one round shows the story.
 * tests/follow-stress.sh runs many and prints the figures.
 */
#define W_LINES		8192		/* per round, at most */
#define W_GAPS		150		/* steps per round */
#define W_KEEP		8		/* rotated files kept */

static struct {
	unsigned long long	 seed;
	int			 fd;		/* the daemon's file */
	unsigned		 gen;		/* its number */
	unsigned		 ngen;
	int			 hup;		/* -1, or steps it may wait */
	int			 logrotate;	/* else newsyslog */
	int			 gz_due;	/* maillog.0 gzipped at HUP */
	int			 nrot;
	char			 partial[256];	/* the rest of a line */
	size_t			 npartial;
	unsigned		 n;		/* lines written */
	unsigned		 gens[W_LINES];
	unsigned char		 seen[W_LINES];
	unsigned char		 lost[W_LINES];	/* by a "> maillog" */
	unsigned		 last[W_LINES];	/* per file: last seen + 1 */
	int			 warn_due;
	/* the figures, over all rounds (one process: CK_FORK=no) */
	unsigned long long	 lines, steps, rotations, multi, copies,
				 cuts, cut_lost;
} w;

static void
WT(const char *, ...) __attribute__((format(printf, 1, 2)));

/* MHTOP_FOLLOW_TRACE=1: what the writer does and the follower sees. */
static void
WT(const char *fmt, ...)
{
	va_list	 ap;

	if (getenv("MHTOP_FOLLOW_TRACE") == NULL)
		return;
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
}

static size_t
w_text(unsigned n, unsigned gen, char *buf, size_t len)
{
	unsigned long long	 h = n * 0x9e3779b97f4a7c15ULL;
	size_t			 i, k;

	k = (size_t)snprintf(buf, len, "%u %u ", n, gen);
	for (i = 0; i < (h >> 40) % 150; i++)
		buf[k++] = (char)('a' + (h >> (i % 48)) % 26);
	buf[k] = '\0';
	return k;
}

/*
 * The start of a line "> maillog" destroyed, read that far and ended by the
 * cut: a line lost, not a line wrong.
 */
static int
w_lost_start(const char *line, size_t len)
{
	char		 text[256];
	unsigned	 i;

	for (i = 0; i < w.n; i++)
		if (w.lost[i] && !w.seen[i] && w_text(i, w.gens[i], text,
		    sizeof(text)) > len && memcmp(text, line, len) == 0)
			return 1;
	return 0;
}

static void
w_line(void *arg, char *line, size_t len)
{
	char		 text[256];
	unsigned	 n, gen = 0;
	char		*end;

	(void)arg;
	n = (unsigned)strtoul(line, &end, 10);
	if (end != line && n < w.n) {
		gen = w.gens[n];
		w_text(n, gen, text, sizeof(text));
	} else
		text[0] = '\0';
	if (len != strlen(text) || memcmp(line, text, len) != 0) {
		ck_assert_msg(w_lost_start(line, len), "seed %llu: \"%.60s\" "
		    "was not written, \"%.60s\" was", w.seed, line, text);
		WT("  got the start of a lost line: %.20s\n", line);
		return;
	}
	ck_assert_msg(w.seen[n] == 0, "seed %llu: line %u twice", w.seed, n);
	ck_assert_msg(w.last[gen] <= n, "seed %llu: line %u after line %u of "
	    "the same file", w.seed, n, w.last[gen] - 1);
	w.seen[n] = 1;
	w.last[gen] = n + 1;
	WT("  got %u (gen %u)\n", n, gen);
}

static void
w_open(void)
{
	w.fd = open(P("maillog"), O_WRONLY | O_APPEND | O_CREAT, 0644);
	ck_assert_int_ne(w.fd, -1);
	w.gen = w.ngen++;
}

/* newsyslog and gzip keep the modification time of the file gzipped */
static void
w_gzip(const char *from, const char *to)
{
	struct stat	 st;
	struct timespec	 ts[2];
	char		 gz[64];

	ck_assert_int_eq(stat(P(from), &st), 0);
	if (strcmp(from, to) != 0)
		move(from, to);
	gzip_file(to);
	snprintf(gz, sizeof(gz), "%s.gz", to);
	ts[0] = st.st_atim;
	ts[1] = st.st_mtim;
	ck_assert_int_eq(utimensat(AT_FDCWD, P(gz), ts, 0), 0);
}

/* The daemon reopens its file, then newsyslog gzips the rotated one. */
static void
w_hup(void)
{
	if (w.hup < 0)
		return;
	close(w.fd);
	w_open();
	WT("hup -> gen %u\n", w.gen);
	w.hup = -1;
	if (w.gz_due) {
		w_gzip("maillog.0", "maillog.0");
		w.gz_due = 0;
	}
}

static void
w_write(const char *s, size_t len)
{
	ck_assert_int_eq(write(w.fd, s, len), (ssize_t)len);
}

static void
w_lines(unsigned k)
{
	char	 text[256];
	size_t	 len;

	for (; k > 0 && w.n + 1 < W_LINES; k--) {
		w.gens[w.n] = w.gen;
		len = w_text(w.n++, w.gen, text, sizeof(text));
		text[len++] = '\n';
		w_write(text, len);
	}
}

/* The first piece of a line now, the rest after the step. */
static void
w_half(void)
{
	char	 text[256];
	size_t	 len, cut;

	if (w.n + 1 >= W_LINES)
		return;
	w.gens[w.n] = w.gen;
	len = w_text(w.n++, w.gen, text, sizeof(text));
	text[len++] = '\n';
	/* after its numbers: a cut line is known by them */
	cut = (size_t)(strchr(strchr(text, ' ') + 1, ' ') + 1 - text);
	cut += rnd((unsigned)(len - cut));
	WT("half %u\n", w.n - 1);
	w_write(text, cut);
	memcpy(w.partial, text + cut, len - cut);
	w.npartial = len - cut;
}

static int
w_exists(const char *name)
{
	return access(P(name), F_OK) == 0;
}

/* name.k.gz to name.k+1.gz from first on, the oldest beyond W_KEEP gone. */
static void
w_shift(int first)
{
	char	 from[64], to[64];
	int	 k;

	for (k = W_KEEP; k >= first; k--) {
		snprintf(from, sizeof(from), "maillog.%d.gz", k);
		snprintf(to, sizeof(to), "maillog.%d.gz", k + 1);
		if (!w_exists(from))
			continue;
		if (k == W_KEEP)
			ck_assert_int_eq(unlink(P(from)), 0);
		else
			move(from, to);
	}
}

/* maillog.0 (newsyslog) or maillog.1 (logrotate) is free: for a copy too. */
static const char *
w_make_room(void)
{
	w_hup();
	if (!w.logrotate) {
		w_shift(0);
		return "maillog.0";
	}
	w_shift(2);
	if (w_exists("maillog.1"))
		w_gzip("maillog.1", "maillog.2");
	return "maillog.1";
}

static void
w_rotate(void)
{
	const char	*to = w_make_room();
	int		 fd;

	WT("rotate to %s (lines to %u)\n", to, w.n);
	move("maillog", to);
	/* the new file is there before the daemon is told */
	ck_assert_int_ne(fd = open(P("maillog"), O_WRONLY | O_CREAT, 0644),
	    -1);
	close(fd);
	w.gz_due = !w.logrotate;
	w.hup = 1;
	if (rnd(2))
		w_hup();
	w.rotations++;
}

static void
w_copytruncate(void)
{
	const char	*to = w_make_room();
	char		*buf;
	size_t		 len;

	WT("copytruncate to %s (lines to %u)\n", to, w.n);
	buf = unit_slurp(P("maillog"), &len);
	append_len(to, buf, len);
	free(buf);
	ck_assert_int_eq(truncate(P("maillog"), 0), 0);
	if (!w.logrotate)
		w_gzip(to, to);
	w.copies++;
}

/* "> maillog": the lines not read yet are gone, and that must be said. */
static void
w_cut(void)
{
	char		*buf, *p;
	size_t		 len;
	unsigned	 n;
	int		 unread = 0, read = 0;

	buf = unit_slurp(P("maillog"), &len);
	for (p = buf; p < buf + len; p = strchr(p, '\n') + 1) {
		if (strchr(p, '\n') == NULL)
			break;
		n = (unsigned)strtoul(p, NULL, 10);
		if (w.seen[n])
			read = 1;
		else {
			w.lost[n] = 1;
			unread = 1;
		}
	}
	free(buf);
	if (read && unread)
		w.warn_due = 1;
	WT("cut (lines to %u)\n", w.n);
	ck_assert_int_eq(truncate(P("maillog"), 0), 0);
	w.cuts++;
}

static void
w_step(struct logfollow *lf)
{
	int	 r;

	do {
		r = logfollow_step(lf, rnd(2) ? 0 : 1 + rnd(4000), w_line,
		    NULL);
		ck_assert_msg(r != LF_ERROR, "seed %llu: %s", w.seed,
		    logfollow_status(lf));
		w.steps++;
		WT("step -> %d (lines to %u): %s\n", r, w.n,
		    logfollow_status(lf));
		if (w.hup > 0)
			w.hup--;
	} while (r == LF_MORE && rnd(2));
}

START_TEST(test_writer)
{
	struct logfollow	*lf;
	const char		*s;
	unsigned		 i, k, nrot, missing = 0;
	int			 gap;

	s = getenv("MHTOP_FOLLOW_SEED");
	w.seed = (s != NULL ? strtoull(s, NULL, 10) : 1) + (unsigned)_i;
	rnd_state = w.seed * 0x9e3779b97f4a7c15ULL + 0x632be59bd9b4e019ULL;
	memset(w.gens, 0, sizeof(w.gens));
	memset(w.seen, 0, sizeof(w.seen));
	memset(w.lost, 0, sizeof(w.lost));
	memset(w.last, 0, sizeof(w.last));
	w.n = w.ngen = 0;
	w.hup = -1;
	w.gz_due = w.warn_due = 0;
	w.npartial = 0;
	w.logrotate = (int)rnd(2);
	w_open();
	w_lines(rnd(5));
	lf = logfollow_open(P("maillog"), 0, NULL, NULL);
	for (gap = 0; gap < W_GAPS; gap++) {
		if (w.npartial > 0) {
			w_write(w.partial, w.npartial);
			w.npartial = 0;
		}
		if (w.hup == 0 || (w.hup > 0 && rnd(2)))
			w_hup();
		k = rnd(8);
		nrot = k < 4 ? 0 : k - 4;	/* 0 to 3, 0 most often */
		w.multi += nrot > 1;
		for (i = 0; i < nrot; i++) {
			w_lines(rnd(5));
			w_rotate();
			w_lines(rnd(3));	/* the old file, no HUP yet */
		}
		switch (rnd(12)) {
		case 0:
			w_copytruncate();
			break;
		case 1:
			w_lines(rnd(3));
			w_cut();
			/* back past where it was within the interval */
			w_lines(rnd(8));
			break;
		default:
			break;
		}
		w_lines(rnd(6));
		if (rnd(4) == 0)
			w_half();
		w_step(lf);
	}
	if (w.npartial > 0)
		w_write(w.partial, w.npartial);
	w.hup = w.hup < 0 ? -1 : 0;
	w_hup();
	for (i = 0; i < 4; i++)
		w_step(lf);
	while (logfollow_step(lf, 0, w_line, NULL) == LF_MORE)
		;
	for (i = 0; i < w.n; i++) {
		if (!w.seen[i] && w.lost[i]) {
			missing++;
			continue;
		}
		ck_assert_msg(w.seen[i], "seed %llu: line %u (file %u) lost: "
		    "%s", w.seed, i, w.gens[i], logfollow_status(lf));
	}
	if (w.warn_due && missing > 0)
		ck_assert_msg(logfollow_warning(lf) != NULL &&
		    strstr(logfollow_warning(lf), "may be lost") != NULL,
		    "seed %llu: %u lines lost unsaid", w.seed, missing);
	if (logfollow_warning(lf) != NULL)
		ck_assert_msg(strstr(logfollow_warning(lf), "damaged") == NULL,
		    "seed %llu: %s", w.seed, logfollow_warning(lf));
	w.lines += w.n;
	w.cut_lost += missing;
	logfollow_free(lf);
	close(w.fd);
}
END_TEST

static int
writer_rounds(void)
{
	const char	*s = getenv("MHTOP_FOLLOW_ROUNDS");

	return s != NULL && atoi(s) > 0 ? atoi(s) : 12;
}

static Suite *
logfollow_suite(void)
{
	Suite	*s = suite_create("logfollow");
	TCase	*tc;

	tc = tcase_create("follow");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_append_pieces);
	tcase_add_test(tc, test_rotate);
	tcase_add_test(tc, test_rotate_twice);
	tcase_add_test(tc, test_truncate);
	tcase_add_test(tc, test_copytruncate);
	tcase_add_test(tc, test_missing);
	tcase_add_test(tc, test_unreadable);
	tcase_add_test(tc, test_rotate_while_choosing);
	suite_add_tcase(s, tc);

	tc = tcase_create("history");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_loop_test(tc, test_window, 0, (int)nitems(windows));
	tcase_add_test(tc, test_debian_names);
	tcase_add_test(tc, test_mtime);
	tcase_add_test(tc, test_budget);
	tcase_add_test(tc, test_bad_gzip);
	suite_add_tcase(s, tc);

	tc = tcase_create("hostile");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, test_hostile);
	tcase_add_test(tc, test_large);
	tcase_add_loop_test(tc, test_limit, 0, (int)nitems(limits));
	tcase_add_test(tc, test_limit_missing);
	suite_add_tcase(s, tc);

	tc = tcase_create("random");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_loop_test(tc, test_random, 0, 8);
	suite_add_tcase(s, tc);

	tc = tcase_create("writer");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_loop_test(tc, test_writer, 0, writer_rounds());
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	const char	*t = getenv("TMPDIR");
	int		 r;

	snprintf(basedir, sizeof(basedir), "%s/mhtop-lf-XXXXXX",
	    t != NULL && *t != '\0' ? t : "/tmp");
	if (mkdtemp(basedir) == NULL) {
		perror(basedir);
		return EXIT_FAILURE;
	}
	r = unit_run(logfollow_suite());
	if (w.lines > 0)
		fprintf(stderr, "writer: %llu lines, %llu steps, %llu "
		    "rotations (%llu steps after 2 or 3), %llu copytruncates, "
		    "%llu \"> maillog\" (%llu lines they destroyed unread)\n",
		    w.lines, w.steps, w.rotations, w.multi, w.copies, w.cuts,
		    w.cut_lost);
	if (nftw(basedir, remove_one, 16, FTW_DEPTH | FTW_PHYS) == -1)
		perror(basedir);
	return r;
}
