/*
 * dirscan: every file of a directory and its subdirectories reported once
 * as found, again only when it changed, and as gone when it went; a slice
 * at a time, whatever the budget.
 */
#include "config.h"

#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "dirscan.h"
#include "strset.h"
#include "unit.h"

static char		 root[256];
static struct strset	 found, gone;
static size_t		 nfound, ngone;

static void
on_found(void *arg, const char *path, const struct stat *st)
{
	(void)arg;
	ck_assert(S_ISREG(st->st_mode));
	strset_add(&found, path);
	nfound++;
}

static void
on_gone(void *arg, const char *path)
{
	(void)arg;
	strset_add(&gone, path);
	ngone++;
}

static const struct dirscan_ops ops = { on_found, on_gone };

static void
reset(void)
{
	strset_clear(&found);
	strset_clear(&gone);
	nfound = ngone = 0;
}

static void
put(const char *rel, const char *text)
{
	char	 path[512];
	FILE	*fp;

	snprintf(path, sizeof(path), "%s/%s", root, rel);
	ck_assert_ptr_nonnull(fp = fopen(path, "w"));
	fputs(text, fp);
	fclose(fp);
}

static void
sub(const char *rel)
{
	char	 path[512];

	snprintf(path, sizeof(path), "%s/%s", root, rel);
	ck_assert_int_eq(mkdir(path, 0750), 0);
}

static void
mv(const char *from, const char *to)
{
	char	 a[512], b[512];

	snprintf(a, sizeof(a), "%s/%s", root, from);
	snprintf(b, sizeof(b), "%s/%s", root, to);
	ck_assert_int_eq(rename(a, b), 0);
}

static void
rm(const char *rel)
{
	char	 path[512];

	snprintf(path, sizeof(path), "%s/%s", root, rel);
	ck_assert_int_eq(unlink(path), 0);
}

/* A whole pass, budget entries a step; the number of steps. */
static int
pass(struct dirscan *ds, size_t budget)
{
	int	 r, steps = 0;

	reset();
	do {
		r = dirscan_step(ds, budget);
		ck_assert_int_ne(r, -1);
		steps++;
		ck_assert_int_lt(steps, 10000);
	} while (r == DIRSCAN_MORE);
	return steps;
}

static void
setup(void)
{
	unit_utf8_locale();
	snprintf(root, sizeof(root), "%s/dirscan.XXXXXX",
	    getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	ck_assert_ptr_nonnull(mkdtemp(root));
	reset();
}

static void
teardown(void)
{
	char	 cmd[600];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", root);
	ck_assert_int_eq(system(cmd), 0);
	reset();
}

START_TEST(test_hashed)
{
	struct dirscan	*ds;
	int		 steps;

	sub("S");
	sub("s");
	sub("d");
	put("S/spam-SkMBGGfgtCC1.gz", "x");
	put("s/spam-sk.gz", "y");
	put("d/virus-drJlObyg9LJb", "z");
	put("d/badh-dB5ZzqN1WQAC", "zz");
	put(".hidden", "not amavis'");
	ds = dirscan_new(root, 1, &ops, NULL);
	/* one entry a step: still every file, once */
	steps = pass(ds, 1);
	ck_assert_int_gt(steps, 8);
	ck_assert_uint_eq(nfound, 4);
	ck_assert(strset_has(&found, "S/spam-SkMBGGfgtCC1.gz"));
	ck_assert(strset_has(&found, "s/spam-sk.gz"));	/* s and S differ */
	ck_assert(strset_has(&found, "d/virus-drJlObyg9LJb"));
	ck_assert(strset_has(&found, "d/badh-dB5ZzqN1WQAC"));
	ck_assert_uint_eq(ngone, 0);
	ck_assert_uint_eq(dirscan_nfiles(ds), 4);

	/* nothing changed: nothing reported */
	pass(ds, 1000);
	ck_assert_uint_eq(nfound, 0);
	ck_assert_uint_eq(ngone, 0);

	/* one came, one went, one replaced (written aside, renamed) */
	put("S/spam-NEWNEWNEWNEW.gz", "new");
	rm("d/badh-dB5ZzqN1WQAC");
	put("s/.tmp", "longer now");
	mv("s/.tmp", "s/spam-sk.gz");
	pass(ds, 3);
	ck_assert_uint_eq(nfound, 2);
	ck_assert(strset_has(&found, "S/spam-NEWNEWNEWNEW.gz"));
	ck_assert(strset_has(&found, "s/spam-sk.gz"));
	ck_assert_uint_eq(ngone, 1);
	ck_assert(strset_has(&gone, "d/badh-dB5ZzqN1WQAC"));
	ck_assert_uint_eq(dirscan_nfiles(ds), 4);

	/* a subdirectory removed: its files are gone */
	rm("S/spam-SkMBGGfgtCC1.gz");
	rm("S/spam-NEWNEWNEWNEW.gz");
	{
		char	 path[512];

		snprintf(path, sizeof(path), "%s/S", root);
		ck_assert_int_eq(rmdir(path), 0);
	}
	pass(ds, 1000);
	ck_assert_uint_eq(ngone, 2);
	ck_assert(strset_has(&gone, "S/spam-SkMBGGfgtCC1.gz"));
	ck_assert_uint_eq(dirscan_nfiles(ds), 2);
	dirscan_free(ds);
}
END_TEST

START_TEST(test_flat)
{
	struct dirscan	*ds;
	char		 name[64];
	int		 i;

	for (i = 0; i < 300; i++) {
		snprintf(name, sizeof(name), "spam-%012d.gz", i);
		put(name, "x");
	}
	sub("S");			/* depth 0: not looked into */
	put("S/spam-inside.gz", "x");
	ds = dirscan_new(root, 0, &ops, NULL);
	pass(ds, 7);
	ck_assert_uint_eq(nfound, 300);
	ck_assert(!strset_has(&found, "S/spam-inside.gz"));
	dirscan_free(ds);
}
END_TEST

/* Files, not what else a directory can hold. */
START_TEST(test_not_files)
{
	struct dirscan	*ds;
	char		 path[512], target[512];

	put("spam-a.gz", "x");
	snprintf(path, sizeof(path), "%s/link", root);
	snprintf(target, sizeof(target), "%s/spam-a.gz", root);
	ck_assert_int_eq(symlink(target, path), 0);
	snprintf(path, sizeof(path), "%s/fifo", root);
	ck_assert_int_eq(mkfifo(path, 0600), 0);
	ds = dirscan_new(root, 1, &ops, NULL);
	pass(ds, 100);
	ck_assert_uint_eq(nfound, 1);
	ck_assert(strset_has(&found, "spam-a.gz"));
	dirscan_free(ds);
}
END_TEST

START_TEST(test_missing)
{
	struct dirscan	*ds;
	char		 path[512];

	snprintf(path, sizeof(path), "%s/nonexistent", root);
	ds = dirscan_new(path, 1, &ops, NULL);
	ck_assert_int_eq(dirscan_step(ds, 100), -1);
	ck_assert_msg(strstr(dirscan_error(ds), "cannot read ") != NULL &&
	    strstr(dirscan_error(ds), "No such file or directory") != NULL,
	    "%s", dirscan_error(ds));
	/* and when it appears, the next pass reads it */
	ck_assert_int_eq(mkdir(path, 0750), 0);
	snprintf(path, sizeof(path), "%s/nonexistent/spam-x.gz", root);
	close(open(path, O_CREAT | O_WRONLY, 0640));
	ck_assert_int_eq(dirscan_step(ds, 100), DIRSCAN_DONE);
	ck_assert_uint_eq(nfound, 1);
	dirscan_free(ds);
}
END_TEST

static void
age(const char *rel)
{
	struct timespec	 ts[2];
	char		 path[512];

	snprintf(path, sizeof(path), "%s/%s", root, rel);
	ts[0].tv_sec = ts[1].tv_sec = 1600000000;
	ts[0].tv_nsec = ts[1].tv_nsec = 0;
	ck_assert_int_eq(utimensat(AT_FDCWD, path, ts, 0), 0);
}

/*
 * The directory removed and made again with the old one's mtimes (cp -a
 * from a backup): its files are new ones, found again.
 */
START_TEST(test_recreated)
{
	struct dirscan	*ds;
	char		 path[512];

	sub("q");
	sub("q/S");
	put("q/S/spam-SkMBGGfgtCC1.gz", "x");
	put("q/virus-flat", "y");
	age("q/S/spam-SkMBGGfgtCC1.gz");
	age("q/virus-flat");
	age("q/S");
	age("q");
	snprintf(path, sizeof(path), "%s/q", root);
	ds = dirscan_new(path, 1, &ops, NULL);
	pass(ds, 100);
	ck_assert_uint_eq(nfound, 2);
	pass(ds, 100);
	ck_assert_uint_eq(nfound, 0);

	mv("q", "q.old");
	sub("q");
	sub("q/S");
	put("q/S/spam-SkMBGGfgtCC1.gz", "x");
	put("q/virus-flat", "y");
	age("q/S/spam-SkMBGGfgtCC1.gz");
	age("q/virus-flat");
	age("q/S");
	age("q");
	pass(ds, 100);
	ck_assert_uint_eq(nfound, 2);
	ck_assert(strset_has(&found, "S/spam-SkMBGGfgtCC1.gz"));
	ck_assert(strset_has(&found, "virus-flat"));
	ck_assert_uint_eq(ngone, 0);
	ck_assert_uint_eq(dirscan_nfiles(ds), 2);
	dirscan_free(ds);
}
END_TEST

START_TEST(test_unreadable)
{
	struct dirscan	*ds;

	if (geteuid() == 0)
		return;			/* root reads everything */
	sub("S");
	put("S/spam-x.gz", "x");
	{
		char	 path[512];

		snprintf(path, sizeof(path), "%s/S", root);
		ck_assert_int_eq(chmod(path, 0), 0);
		ds = dirscan_new(root, 1, &ops, NULL);
		while (dirscan_step(ds, 100) == DIRSCAN_MORE)
			;
		ck_assert_msg(strstr(dirscan_error(ds), "Permission denied") !=
		    NULL, "%s", dirscan_error(ds));
		chmod(path, 0750);
	}
	dirscan_free(ds);
}
END_TEST

static Suite *
dirscan_suite(void)
{
	Suite	*s = suite_create("dirscan");
	TCase	*tc = tcase_create("dirscan");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_hashed);
	tcase_add_test(tc, test_flat);
	tcase_add_test(tc, test_not_files);
	tcase_add_test(tc, test_missing);
	tcase_add_test(tc, test_recreated);
	tcase_add_test(tc, test_unreadable);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return unit_run(dirscan_suite());
}
