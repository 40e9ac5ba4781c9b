/*
 * SpamAssassin rule descriptions: trees of .cf files made in a temporary
 * directory, and the rule set installed on this machine when there is one.
 */
#include "config.h"

#include <sys/types.h>
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "conf.h"
#include "sa_rules.h"
#include "unit.h"

#define MB	(1024 * 1024)

static char	 base[768];	/* made by main(): the tests' directories */
static char	 top[1024];	/* this test's */

static int
rm_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)ftw;
	if (flag == FTW_DP)
		return rmdir(path);
	return unlink(path);
}

/* A fresh directory for the test, left to main() when the test fails. */
static void
tree_new(void)
{
	snprintf(top, sizeof(top), "%s/t.XXXXXX", base);
	ck_assert_msg(mkdtemp(top) != NULL, "mkdtemp: %s", strerror(errno));
}

static void
tree_rm(void)
{
	ck_assert_int_eq(nftw(top, rm_one, 16, FTW_DEPTH | FTW_PHYS), 0);
}

/* top/rel, "" for top itself. */
static const char *
at(const char *rel)
{
	static char	 path[4][1280];	/* four in one expression */
	static int	 i;

	i = (i + 1) % 4;
	snprintf(path[i], sizeof(path[i]), "%s%s%s", top, *rel ? "/" : "",
	    rel);
	return path[i];
}

/* mkdir -p of the directories in rel (its last part not included). */
static void
mkparents(const char *rel)
{
	char	 path[1280], *s;

	snprintf(path, sizeof(path), "%s/%s", top, rel);
	for (s = path + strlen(top) + 1; (s = strchr(s, '/')) != NULL; s++) {
		*s = '\0';
		ck_assert_msg(mkdir(path, 0755) == 0 || errno == EEXIST,
		    "mkdir %s: %s", path, strerror(errno));
		*s = '/';
	}
}

static void
put_len(const char *rel, const char *text, size_t len)
{
	FILE	*fp;

	mkparents(rel);
	ck_assert_msg((fp = fopen(at(rel), "wb")) != NULL, "%s: %s", at(rel),
	    strerror(errno));
	ck_assert_uint_eq(fwrite(text, 1, len, fp), len);
	ck_assert_int_eq(fclose(fp), 0);
}

static void
put(const char *rel, const char *text)
{
	put_len(rel, text, strlen(text));
}

static struct sa_rules *
load_top(void)
{
	return sa_rules_load(at(""));
}

/* The description of a NUL-terminated name, "(null)" when none. */
static const char *
d(const struct sa_rules *sr, const char *name)
{
	const char	*s = sa_rules_describe(sr, name, strlen(name));

	return s != NULL ? s : "(null)";
}

START_TEST(test_basic)
{
	struct sa_rules	*sr;

	tree_new();
	put("10_x.cf",
	    "# a rule file\n"
	    "body     FOO   /foo/\n"
	    "describe FOO   Contains foo\n"
	    "  describe\tBAR\tTabs  and   inner  blanks kept\t \n"
	    "\n"
	    "score FOO 1.0\n"
	    "DESCRIBE UPPER Keyword in capitals\n"
	    "describe dotted.name_9 Dots and digits\n"
	    "describe  __META_SUB  A sub-rule\n"
	    "describeNOBLANK text\n"
	    "describe BAD-NAME dashes are not a name\n"
	    "describe BAD/NAME nor slashes\n"
	    "describe NOTEXT\n"
	    "describe NOTEXT2   \t\n"
	    "describe\n"
	    "xdescribe X no\n"
	    "tflags FOO describe\n");
	sr = load_top();
	ck_assert_str_eq(d(sr, "FOO"), "Contains foo");
	ck_assert_str_eq(d(sr, "BAR"), "Tabs  and   inner  blanks kept");
	ck_assert_str_eq(d(sr, "UPPER"), "Keyword in capitals");
	ck_assert_str_eq(d(sr, "dotted.name_9"), "Dots and digits");
	ck_assert_str_eq(d(sr, "__META_SUB"), "A sub-rule");
	ck_assert_str_eq(d(sr, "foo"), "(null)");	/* names keep their case */
	ck_assert_str_eq(d(sr, "NOTEXT"), "(null)");
	ck_assert_str_eq(d(sr, "NOTEXT2"), "(null)");
	ck_assert_str_eq(d(sr, "BAD-NAME"), "(null)");
	ck_assert_str_eq(d(sr, "BAD"), "(null)");
	ck_assert_str_eq(d(sr, "X"), "(null)");
	ck_assert_uint_eq(sa_rules_count(sr), 5);
	sa_rules_free(sr);
	tree_rm();
}
END_TEST

START_TEST(test_lookup_len)
{
	struct sa_rules	*sr;
	char		 name[5] = { 'B', 'A', 'Y', 'E', 'S' };	/* no NUL */

	tree_new();
	put("a.cf", "describe BAYES Bayes\ndescribe BAYES_99 Bayes 99\n");
	sr = load_top();
	ck_assert_str_eq(sa_rules_describe(sr, name, sizeof(name)), "Bayes");
	ck_assert_str_eq(sa_rules_describe(sr, "BAYES_99,BAYES_00", 8),
	    "Bayes 99");
	ck_assert_ptr_null(sa_rules_describe(sr, "BAYES_99", 7));
	ck_assert_ptr_null(sa_rules_describe(sr, "", 0));
	ck_assert_ptr_null(sa_rules_describe(NULL, "BAYES", 5));
	ck_assert_uint_eq(sa_rules_count(NULL), 0);
	sa_rules_free(sr);
	sa_rules_free(NULL);
	tree_rm();
}
END_TEST

START_TEST(test_precedence_files)
{
	struct sa_rules	*sr;

	tree_new();
	/* made in the opposite order to their names: the names count */
	put("50_scores.cf", "describe FOO from 50\ndescribe ONLY50 x\n");
	put("20_b.cf", "describe FOO from 20\n");
	put("10_a.cf", "describe FOO from 10\ndescribe FOO from 10 again\n");
	put("Z_upper.cf", "describe UP Z\n");	/* bytes: 'Z' < 'a' */
	put("a_lower.cf", "describe UP a\n");
	sr = load_top();
	ck_assert_str_eq(d(sr, "FOO"), "from 50");
	ck_assert_str_eq(d(sr, "ONLY50"), "x");
	ck_assert_str_eq(d(sr, "UP"), "a");
	ck_assert_uint_eq(sa_rules_count(sr), 3);
	sa_rules_free(sr);
	tree_rm();
}
END_TEST

START_TEST(test_precedence_dirs)
{
	struct sa_rules	*sr;
	char		 dirs[8192];

	tree_new();
	put("A/10.cf", "describe FOO in A\ndescribe ONLY_A a\n");
	put("B/10.cf", "describe FOO in B\n");
	snprintf(dirs, sizeof(dirs), "%s %s", at("A"), at("B"));
	sr = sa_rules_load(dirs);
	ck_assert_str_eq(d(sr, "FOO"), "in B");
	ck_assert_str_eq(d(sr, "ONLY_A"), "a");
	sa_rules_free(sr);
	/* other blanks, the other order */
	snprintf(dirs, sizeof(dirs), " \t%s\t\t %s  ", at("B"), at("A"));
	sr = sa_rules_load(dirs);
	ck_assert_str_eq(d(sr, "FOO"), "in A");
	ck_assert_uint_eq(sa_rules_count(sr), 2);
	sa_rules_free(sr);
	/* the same directory twice: read twice, the later place wins */
	snprintf(dirs, sizeof(dirs), "%s %s %s", at("A"), at("B"), at("A"));
	sr = sa_rules_load(dirs);
	ck_assert_str_eq(d(sr, "FOO"), "in A");
	sa_rules_free(sr);
	tree_rm();
}
END_TEST

START_TEST(test_subdirs)
{
	struct sa_rules	*sr;

	tree_new();
	/* Debian's sa-update layout */
	put("4.000001/updates_spamassassin_org.cf",
	    "include updates_spamassassin_org/*.cf\n");
	put("4.000001/updates_spamassassin_org/20_body.cf",
	    "describe UPD updated\n");
	put("zz.cf", "describe ORDER top file\n");
	put("aa/10.cf", "describe ORDER subdirectory, after the files\n");
	put("1/2/3/d3.cf", "describe DEPTH3 three levels down\n");
	put("1/2/3/4/d4.cf", "describe DEPTH4 four levels down\n");
	put("notes.txt", "describe TXT no\n");
	put("x.cf.bak", "describe BAK no\n");
	put("init.pre", "describe PRE no\n");
	put(".hidden.cf", "describe HIDDEN no\n");
	put(".git/x.cf", "describe DOTDIR no\n");
	put("dir.cf/x.cf", "describe DIRCF no\n");
	put("empty/.keep", "");
	put("a.CF", "describe UPPERCF no\n");
	sr = load_top();
	ck_assert_str_eq(d(sr, "UPD"), "updated");
	ck_assert_str_eq(d(sr, "ORDER"), "subdirectory, after the files");
	ck_assert_str_eq(d(sr, "DEPTH3"), "three levels down");
	ck_assert_str_eq(d(sr, "DEPTH4"), "(null)");
	ck_assert_uint_eq(sa_rules_count(sr), 3);
	sa_rules_free(sr);
	tree_rm();
}
END_TEST

START_TEST(test_comments)
{
	struct sa_rules	*sr;

	tree_new();
	put("c.cf",
	    "#describe C1 commented out\n"
	    "   # describe C2 commented out\n"
	    "describe C3 text # and a comment\n"
	    "describe C4 See http://wiki.example/Page\\#anchor for more\n"
	    "describe C5 a\\#b # c\\#d\n"
	    "describe C6 two \\\\#, one kept\n"
	    "describe C7 #only a comment\n"
	    "describe C8 no hash \\ here\n"
	    "describe # C9\n");
	sr = load_top();
	ck_assert_str_eq(d(sr, "C1"), "(null)");
	ck_assert_str_eq(d(sr, "C2"), "(null)");
	ck_assert_str_eq(d(sr, "C3"), "text");
	ck_assert_str_eq(d(sr, "C4"),
	    "See http://wiki.example/Page#anchor for more");
	ck_assert_str_eq(d(sr, "C5"), "a#b");
	/* as Perl's s/(?<!\\)#.*$//; s/\\#/#/g */
	ck_assert_str_eq(d(sr, "C6"), "two \\#, one kept");
	ck_assert_str_eq(d(sr, "C7"), "(null)");
	ck_assert_str_eq(d(sr, "C8"), "no hash \\ here");
	ck_assert_uint_eq(sa_rules_count(sr), 5);
	sa_rules_free(sr);
	tree_rm();
}
END_TEST

START_TEST(test_lang)
{
	struct sa_rules	*sr;

	tree_new();
	put("10_rules.cf",
	    "describe L1 English\n"
	    "describe L2 English too\n"
	    "describe L3 English three\n"
	    "describe L4 English four\n");
	put("30_text_de.cf",
	    "lang de describe L1 Deutsch\n"
	    "lang pt_BR describe L2 Portugu\xc3\xaas\n"
	    "lang de describe LDE nur Deutsch\n");
	put("30_text_en.cf",
	    "lang en describe L3 en, as SpamAssassin in en_US\n"
	    "lang\tEN  describe L7 tag in any case\n"
	    "  LANG\tEN_us  describe L4 en_US, any case\n"
	    "lang en_GB describe L5 not en_US\n"
	    "lang describe L6 no language\n"
	    "lang en\n");
	sr = load_top();
	ck_assert_str_eq(d(sr, "L1"), "English");
	ck_assert_str_eq(d(sr, "L2"), "English too");
	ck_assert_str_eq(d(sr, "LDE"), "(null)");
	ck_assert_str_eq(d(sr, "L3"), "en, as SpamAssassin in en_US");
	/* "LANG" is not "lang": an unknown keyword */
	ck_assert_str_eq(d(sr, "L4"), "English four");
	ck_assert_str_eq(d(sr, "L5"), "(null)");
	ck_assert_str_eq(d(sr, "L6"), "(null)");
	ck_assert_str_eq(d(sr, "L7"), "tag in any case");
	ck_assert_uint_eq(sa_rules_count(sr), 5);
	sa_rules_free(sr);
	tree_rm();
}
END_TEST

START_TEST(test_blocks)
{
	struct sa_rules	*sr;

	tree_new();
	put("b.cf",
	    "ifplugin Mail::SpamAssassin::Plugin::DKIM\n"
	    "  describe DKIM_SIGNED Message has a DKIM or DK signature\n"
	    "  if (version >= 3.004000)\n"
	    "    describe NESTED inside two blocks\n"
	    "  else\n"
	    "    describe NESTED the else branch, read last\n"
	    "  endif\n"
	    "endif\n"
	    "if !plugin(Mail::SpamAssassin::Plugin::Nope)\n"
	    "describe NOT_PLUGIN read anyway\n"
	    "endif\n");
	sr = load_top();
	ck_assert_str_eq(d(sr, "DKIM_SIGNED"),
	    "Message has a DKIM or DK signature");
	ck_assert_str_eq(d(sr, "NESTED"), "the else branch, read last");
	ck_assert_str_eq(d(sr, "NOT_PLUGIN"), "read anyway");
	sa_rules_free(sr);
	tree_rm();
}
END_TEST

START_TEST(test_missing)
{
	struct sa_rules	*sr;
	char		 dirs[8192];

	tree_new();
	put("ok/a.cf", "describe OK fine\n");
	put("file.cf", "describe FILE a file, not a directory\n");
	put("locked/a.cf", "describe LOCKED unreadable\n");
	ck_assert_int_eq(chmod(at("locked"), 0), 0);
	snprintf(dirs, sizeof(dirs),
	    "/nonexistent/mhtop %s/none relative/dir %s %s %s /dev/null",
	    top, at("file.cf"), at("locked"), at("ok"));
	sr = sa_rules_load(dirs);
	ck_assert_int_eq(chmod(at("locked"), 0755), 0);
	ck_assert_ptr_nonnull(sr);
	ck_assert_str_eq(d(sr, "OK"), "fine");
	ck_assert_str_eq(d(sr, "FILE"), "(null)");
	if (geteuid() != 0)	/* root reads it all the same */
		ck_assert_str_eq(d(sr, "LOCKED"), "(null)");
	sa_rules_free(sr);

	sr = sa_rules_load("/nonexistent/a /nonexistent/b");
	ck_assert_ptr_nonnull(sr);
	ck_assert_uint_eq(sa_rules_count(sr), 0);
	ck_assert_ptr_null(sa_rules_describe(sr, "OK", 2));
	sa_rules_free(sr);
	sr = sa_rules_load("");
	ck_assert_uint_eq(sa_rules_count(sr), 0);
	sa_rules_free(sr);
	sr = sa_rules_load(" \t ");
	ck_assert_uint_eq(sa_rules_count(sr), 0);
	sa_rules_free(sr);
	sr = sa_rules_load(NULL);
	ck_assert_uint_eq(sa_rules_count(sr), 0);
	sa_rules_free(sr);
	tree_rm();
}
END_TEST

START_TEST(test_crlf)
{
	struct sa_rules	*sr;

	tree_new();
	put("dos.cf",
	    "# DOS line ends\r\n"
	    "describe CR1 first\r\n"
	    "describe CR2 second \t\r\n"
	    "describe CR3 a\rb\r\n"
	    "describe CR4 last, no newline\r");
	put("mac.cf", "describe MAC1 one\rdescribe MAC2 two\r");
	sr = load_top();
	ck_assert_str_eq(d(sr, "CR1"), "first");
	ck_assert_str_eq(d(sr, "CR2"), "second");
	ck_assert_str_eq(d(sr, "CR3"), "a\rb");
	ck_assert_str_eq(d(sr, "CR4"), "last, no newline");
	/* one line to SpamAssassin too: '\r' alone ends no line */
	ck_assert_str_eq(d(sr, "MAC1"), "one\rdescribe MAC2 two");
	ck_assert_str_eq(d(sr, "MAC2"), "(null)");
	sa_rules_free(sr);
	tree_rm();
}
END_TEST

START_TEST(test_long_line)
{
	struct sa_rules	*sr;
	char		*buf, *p;
	size_t		 n = 3 * MB + 1024;

	tree_new();
	ck_assert_ptr_nonnull(buf = malloc(n));
	p = buf;
	p += sprintf(p, "describe BEFORE short\n");
	p += sprintf(p, "describe HUGE ");
	memset(p, 'x', MB);
	p += MB;
	p += sprintf(p, "\n# ");
	memset(p, '#', MB);
	p += MB;
	p += sprintf(p, "\ndescribe AFTER still read\n");
	memset(p, 'y', MB);		/* junk, no newline at the end */
	p += MB;
	put_len("long.cf", buf, (size_t)(p - buf));
	sr = load_top();
	ck_assert_str_eq(d(sr, "BEFORE"), "short");
	ck_assert_str_eq(d(sr, "AFTER"), "still read");
	ck_assert_uint_eq(strlen(d(sr, "HUGE")), MB);
	ck_assert_uint_eq(strspn(d(sr, "HUGE"), "x"), MB);
	ck_assert_uint_eq(sa_rules_count(sr), 3);
	sa_rules_free(sr);
	free(buf);
	tree_rm();
}
END_TEST

START_TEST(test_nul)
{
	struct sa_rules	*sr;
	static const char text[] =
	    "describe NUL1 before\0after\n"
	    "\0describe NUL2 not at the start\n"
	    "describe NUL3 fine\n";

	tree_new();
	put_len("nul.cf", text, sizeof(text) - 1);
	sr = load_top();
	ck_assert_str_eq(d(sr, "NUL1"), "before");
	ck_assert_str_eq(d(sr, "NUL2"), "(null)");
	ck_assert_str_eq(d(sr, "NUL3"), "fine");
	sa_rules_free(sr);
	tree_rm();
}
END_TEST

START_TEST(test_symlinks)
{
	struct sa_rules	*sr;

	tree_new();
	put("rules/10.cf", "describe R1 real\n");
	put("rules/sub/20.cf", "describe R2 in sub\n");
	put("elsewhere/30.cf", "describe R3 through a link\n");
	put("target.txt", "describe R4 a linked file\n");
	ck_assert_int_eq(symlink("..", at("rules/sub/up")), 0);
	ck_assert_int_eq(symlink(".", at("rules/sub/self")), 0);
	ck_assert_int_eq(symlink(top, at("rules/sub/top")), 0);
	ck_assert_int_eq(symlink(at("elsewhere"), at("rules/linked")), 0);
	ck_assert_int_eq(symlink(at("target.txt"), at("rules/40.cf")), 0);
	ck_assert_int_eq(symlink("/nonexistent/x", at("rules/50.cf")), 0);
	ck_assert_int_eq(symlink("/nonexistent/y", at("rules/dangling")), 0);
	sr = sa_rules_load(at("rules"));
	ck_assert_str_eq(d(sr, "R1"), "real");
	ck_assert_str_eq(d(sr, "R2"), "in sub");
	ck_assert_str_eq(d(sr, "R3"), "through a link");
	ck_assert_str_eq(d(sr, "R4"), "a linked file");
	ck_assert_uint_eq(sa_rules_count(sr), 4);
	sa_rules_free(sr);
	tree_rm();
}
END_TEST

START_TEST(test_special_files)
{
	struct sa_rules	*sr;

	tree_new();
	put("10.cf", "describe S1 before\n");
	ck_assert_int_eq(mkfifo(at("20_fifo.cf"), 0644), 0);
	put("30.cf", "describe S2 after the FIFO\n");
	/* devices: /dev/zero would be 64 MB of NULs */
	ck_assert_int_eq(symlink("/dev/zero", at("40_zero.cf")), 0);
	ck_assert_int_eq(symlink("/dev/null", at("50_null.cf")), 0);
	put("60.cf", "describe S3 after the devices\n");
	sr = load_top();	/* would block in open(2) on the FIFO */
	ck_assert_str_eq(d(sr, "S1"), "before");
	ck_assert_str_eq(d(sr, "S2"), "after the FIFO");
	ck_assert_str_eq(d(sr, "S3"), "after the devices");
	sa_rules_free(sr);
	tree_rm();
}
END_TEST

START_TEST(test_cap_bytes)
{
	struct sa_rules	*sr;
	struct timespec	 t0, t1;
	int		 fd;

	tree_new();
	put("10_before.cf", "describe BEFORE read\n");
	/* a sparse 4 GB file of NULs: only the first 64 MB are read */
	ck_assert_int_ne(fd = open(at("50_big.cf"), O_WRONLY | O_CREAT, 0644),
	    -1);
	ck_assert_int_eq(ftruncate(fd, (off_t)4096 * MB), 0);
	close(fd);
	put("60_after.cf", "describe AFTER never read\n");
	put("sub/70.cf", "describe SUB never read\n");
	clock_gettime(CLOCK_MONOTONIC, &t0);
	sr = load_top();
	clock_gettime(CLOCK_MONOTONIC, &t1);
	ck_assert_str_eq(d(sr, "BEFORE"), "read");
	ck_assert_str_eq(d(sr, "AFTER"), "(null)");
	ck_assert_str_eq(d(sr, "SUB"), "(null)");
	ck_assert_msg(t1.tv_sec - t0.tv_sec < 10, "read too much: %lds",
	    (long)(t1.tv_sec - t0.tv_sec));
	sa_rules_free(sr);
	tree_rm();
}
END_TEST

START_TEST(test_cap_bytes_line)
{
	struct sa_rules	*sr;
	char		*buf;
	size_t		 n = 64 * MB + 32;

	/* the byte limit falls inside a describe line: that line is dropped */
	tree_new();
	ck_assert_ptr_nonnull(buf = malloc(n));
	memset(buf, '\n', n);
	memcpy(buf, "describe FIRST ok\n", 18);
	memcpy(buf + 64 * MB - 10, "describe CUT xxxxxxxxx", 22);
	put_len("10.cf", buf, n);
	put("20.cf", "describe CUT2 not read\n");
	sr = load_top();
	ck_assert_str_eq(d(sr, "FIRST"), "ok");
	ck_assert_str_eq(d(sr, "CUT"), "(null)");
	ck_assert_str_eq(d(sr, "CUT2"), "(null)");
	ck_assert_uint_eq(sa_rules_count(sr), 1);
	sa_rules_free(sr);
	free(buf);
	tree_rm();
}
END_TEST

START_TEST(test_cap_files)
{
	struct sa_rules	*sr;
	char		 rel[64], text[64];
	int		 i;

	tree_new();
	for (i = 0; i < 4200; i++) {
		snprintf(rel, sizeof(rel), "%05d.cf", i);
		snprintf(text, sizeof(text), "describe R%05d rule %d\n", i, i);
		put(rel, text);
	}
	sr = load_top();
	ck_assert_uint_eq(sa_rules_count(sr), 4096);
	ck_assert_str_eq(d(sr, "R00000"), "rule 0");
	ck_assert_str_eq(d(sr, "R04095"), "rule 4095");
	ck_assert_str_eq(d(sr, "R04096"), "(null)");
	sa_rules_free(sr);
	tree_rm();
}
END_TEST

START_TEST(test_many_rules)
{
	struct sa_rules	*sr;
	char		*buf, *p, name[32];
	size_t		 n = 50000, i;

	tree_new();
	ck_assert_ptr_nonnull(buf = malloc(n * 48));
	for (p = buf, i = 0; i < n; i++)
		p += sprintf(p, "describe RULE_%zu text %zu\n", i, i);
	put_len("10.cf", buf, (size_t)(p - buf));
	for (p = buf, i = 0; i < n; i += 2)
		p += sprintf(p, "describe RULE_%zu again %zu\n", i, i);
	put_len("20.cf", buf, (size_t)(p - buf));
	sr = load_top();
	ck_assert_uint_eq(sa_rules_count(sr), n);
	for (i = 0; i < n; i++) {
		snprintf(name, sizeof(name), "RULE_%zu", i);
		snprintf(buf, 64, "%s %zu", i % 2 ? "text" : "again", i);
		ck_assert_str_eq(d(sr, name), buf);
	}
	ck_assert_str_eq(d(sr, "RULE_50000"), "(null)");
	sa_rules_free(sr);
	free(buf);
	tree_rm();
}
END_TEST

/* The rules shipped with SpamAssassin, where it is installed. */
START_TEST(test_installed)
{
	struct sa_rules	*sr;
	struct conf	 c;
	struct timespec	 t0, t1;
	const char	*s;

	if (access("/usr/share/spamassassin/20_body_tests.cf", R_OK) == -1 &&
	    access("/usr/local/share/spamassassin/20_body_tests.cf", R_OK) ==
	    -1) {
		fprintf(stderr, "test_sarules: no SpamAssassin rules, "
		    "test_installed skipped\n");
		return;
	}
	conf_defaults(&c);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	sr = sa_rules_load(c.sa_rules);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	fprintf(stderr, "test_sarules: %zu rules described in %s: %.1f ms\n",
	    sa_rules_count(sr), c.sa_rules,
	    (t1.tv_sec - t0.tv_sec) * 1e3 + (t1.tv_nsec - t0.tv_nsec) / 1e6);
	ck_assert_uint_gt(sa_rules_count(sr), 500);
	ck_assert_str_eq(d(sr, "GTUBE"),
	    "Generic Test for Unsolicited Bulk Email");
	/* not the lang de, nl or pt_BR texts of 30_text_*.cf */
	ck_assert_str_eq(d(sr, "BAYES_99"), "Bayes spam probability is 99 to 100%");
	if ((s = sa_rules_describe(sr, "URIBL_BLOCKED", 13)) != NULL)
		ck_assert_ptr_nonnull(strstr(s, "DnsBlocklists#dnsbl-block"));
	sa_rules_free(sr);
	conf_free(&c);
}
END_TEST

static Suite *
sarules_suite(void)
{
	Suite	*s = suite_create("sa_rules");
	TCase	*tc;

	tc = tcase_create("syntax");
	tcase_add_test(tc, test_basic);
	tcase_add_test(tc, test_lookup_len);
	tcase_add_test(tc, test_comments);
	tcase_add_test(tc, test_lang);
	tcase_add_test(tc, test_blocks);
	tcase_add_test(tc, test_crlf);
	tcase_add_test(tc, test_nul);
	suite_add_tcase(s, tc);

	tc = tcase_create("tree");
	tcase_add_test(tc, test_precedence_files);
	tcase_add_test(tc, test_precedence_dirs);
	tcase_add_test(tc, test_subdirs);
	tcase_add_test(tc, test_missing);
	tcase_add_test(tc, test_symlinks);
	tcase_add_test(tc, test_special_files);
	suite_add_tcase(s, tc);

	tc = tcase_create("hostile");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_long_line);
	tcase_add_test(tc, test_cap_bytes);
	tcase_add_test(tc, test_cap_bytes_line);
	tcase_add_test(tc, test_cap_files);
	tcase_add_test(tc, test_many_rules);
	suite_add_tcase(s, tc);

	tc = tcase_create("installed");
	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, test_installed);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	const char	*tmp = getenv("TMPDIR");
	int		 rc;

	snprintf(base, sizeof(base), "%s/mhtop-sarules.XXXXXX",
	    tmp != NULL && *tmp == '/' && strlen(tmp) < 512 ? tmp : "/tmp");
	if (mkdtemp(base) == NULL) {
		perror(base);
		return EXIT_FAILURE;
	}
	rc = unit_run(sarules_suite());
	if (nftw(base, rm_one, 16, FTW_DEPTH | FTW_PHYS) == -1)
		perror(base);
	return rc;
}
