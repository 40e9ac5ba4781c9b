/* mhtop.conf: conf_defaults, conf_load, conf_parse_interval. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "conf.h"
#include "unit.h"

static char	tmpdir[4096];
static char	path[4200];

static void
setup(void)
{
	const char	*t = getenv("TMPDIR");

	snprintf(tmpdir, sizeof(tmpdir), "%s/mhtop-conf-XXXXXX",
	    t != NULL && *t != '\0' ? t : "/tmp");
	ck_assert_ptr_nonnull(mkdtemp(tmpdir));
	snprintf(path, sizeof(path), "%s/mhtop.conf", tmpdir);
}

static void
teardown(void)
{
	unlink(path);
	rmdir(tmpdir);
}

static const char *
write_conf(const char *text)
{
	FILE	*fp;

	ck_assert_ptr_nonnull(fp = fopen(path, "w"));
	ck_assert_int_eq(fputs(text, fp) >= 0, 1);
	ck_assert_int_eq(fclose(fp), 0);
	return path;
}

/* Load text; the error message, or NULL when it loaded. */
static const char *
load(struct conf *c, const char *text)
{
	static char	 err[1024];

	strcpy(err, "untouched");
	conf_defaults(c);
	if (conf_load(c, write_conf(text), 1, err, sizeof(err)) == 0)
		return NULL;
	return err;
}

static const char *
msg(const char *fmt, const char *arg)
{
	static char	 buf[8192];

	snprintf(buf, sizeof(buf), fmt, path, arg);
	return buf;
}

START_TEST(test_defaults)
{
	struct conf	 c;

	conf_defaults(&c);
	ck_assert_str_eq(c.smtpctl, "/usr/sbin/smtpctl");
	ck_assert_str_eq(c.doas, "/usr/bin/doas");
	ck_assert(c.interval == 2);
	ck_assert_int_eq(c.readonly, 0);
	ck_assert_int_eq(c.demo, 0);
	conf_free(&c);
	ck_assert_ptr_null(c.smtpctl);
	ck_assert_ptr_null(c.doas);
}
END_TEST

START_TEST(test_keywords)
{
	struct conf	 c;

	ck_assert_ptr_null(load(&c, "smtpctl /opt/sbin/smtpctl\n"
	    "doas /usr/local/bin/doas\ninterval 0.5\n"));
	ck_assert_str_eq(c.smtpctl, "/opt/sbin/smtpctl");
	ck_assert_str_eq(c.doas, "/usr/local/bin/doas");
	ck_assert(c.interval == 0.5);
	conf_free(&c);

	ck_assert_ptr_null(load(&c, "doas none\n"));
	ck_assert_ptr_null(c.doas);
	ck_assert_str_eq(c.smtpctl, "/usr/sbin/smtpctl");
	ck_assert(c.interval == 2);
	conf_free(&c);

	/* the last one wins; a file with no final newline */
	ck_assert_ptr_null(load(&c, "interval 3\ninterval 4"));
	ck_assert(c.interval == 4);
	conf_free(&c);

	/* the limits are included */
	ck_assert_ptr_null(load(&c, "interval 0.1\n"));
	ck_assert(c.interval == 0.1);
	conf_free(&c);
	ck_assert_ptr_null(load(&c, "interval 86400\n"));
	ck_assert(c.interval == 86400);
	conf_free(&c);

	/* an empty file changes nothing */
	ck_assert_ptr_null(load(&c, ""));
	ck_assert_str_eq(c.smtpctl, "/usr/sbin/smtpctl");
	ck_assert_str_eq(c.doas, "/usr/bin/doas");
	conf_free(&c);
}
END_TEST

START_TEST(test_comments_blanks)
{
	struct conf	 c;

	ck_assert_ptr_null(load(&c,
	    "# mhtop.conf\n"
	    "\n"
	    "   \n"
	    "\t# indented comment\n"
	    "smtpctl /x/smtpctl # trailing comment\n"
	    "  interval\t5\t\n"
	    "doas   /y/doas   \r\n"
	    "#interval 9\n"));
	ck_assert_str_eq(c.smtpctl, "/x/smtpctl");
	ck_assert_str_eq(c.doas, "/y/doas");
	ck_assert(c.interval == 5);
	conf_free(&c);
}
END_TEST

START_TEST(test_unknown_keyword)
{
	struct conf	 c;

	ck_assert_str_eq(load(&c, "smtpctl /a/smtpctl\n\nfoo bar\n"),
	    msg("%s:3: unknown keyword: %s", "foo"));
	conf_free(&c);
	/* keywords are case-sensitive */
	ck_assert_str_eq(load(&c, "Interval 5\n"),
	    msg("%s:1: unknown keyword: %s", "Interval"));
	conf_free(&c);
	ck_assert_str_eq(load(&c, "readonly yes\n"),
	    msg("%s:1: unknown keyword: %s", "readonly"));
	conf_free(&c);
}
END_TEST

START_TEST(test_missing_value)
{
	struct conf	 c;

	ck_assert_str_eq(load(&c, "interval\n"),
	    msg("%s:1: %s needs a value", "interval"));
	conf_free(&c);
	ck_assert_str_eq(load(&c, "# c\nsmtpctl   # a comment\n"),
	    msg("%s:2: %s needs a value", "smtpctl"));
	conf_free(&c);
	ck_assert_str_eq(load(&c, "doas \t \n"),
	    msg("%s:1: %s needs a value", "doas"));
	conf_free(&c);
}
END_TEST

/* One value a keyword: a word too many is an error at load, not later. */
START_TEST(test_extra_words)
{
	struct conf	 c;

	ck_assert_str_eq(load(&c, "smtpctl /usr/sbin/smtpctl extra\n"),
	    msg("%s:1: smtpctl takes one value, not \"%s\"",
	    "/usr/sbin/smtpctl extra"));
	ck_assert_str_eq(c.smtpctl, "/usr/sbin/smtpctl");
	conf_free(&c);
	ck_assert_str_eq(load(&c, "# x\ninterval 5\t6  # two\n"),
	    msg("%s:2: interval takes one value, not \"%s\"", "5\t6"));
	ck_assert(c.interval == 2);
	conf_free(&c);
	ck_assert_str_eq(load(&c, "doas none x\n"),
	    msg("%s:1: doas takes one value, not \"%s\"", "none x"));
	conf_free(&c);
	/* sa-rules takes a list; blanks at the end are not a word */
	ck_assert_ptr_null(load(&c, "sa-rules /a /b\t/c\nhistory 2h \t\n"));
	ck_assert_str_eq(c.sa_rules, "/a /b /c");
	ck_assert_int_eq(c.history, 7200);
	conf_free(&c);
}
END_TEST

/* confirm all (the default) or removals: which actions ask first. */
START_TEST(test_confirm)
{
	struct conf	 c;

	conf_defaults(&c);
	ck_assert_int_eq(c.confirm_risky, 1);
	conf_free(&c);
	ck_assert_ptr_null(load(&c, "confirm removals\n"));
	ck_assert_int_eq(c.confirm_risky, 0);
	conf_free(&c);
	ck_assert_ptr_null(load(&c, "confirm removals\nconfirm all\n"));
	ck_assert_int_eq(c.confirm_risky, 1);
	conf_free(&c);
	ck_assert_str_eq(load(&c, "confirm none\n"),
	    msg("%s:1: confirm: not all or removals: %s", "none"));
	ck_assert_int_eq(c.confirm_risky, 1);
	conf_free(&c);
}
END_TEST

/* No maillog keyword: OpenBSD's log when it is there, else Debian's. */
START_TEST(test_find_maillog)
{
	struct conf	 c;
	char		 bsd[4300], deb[4300];
	FILE		*fp;

	snprintf(bsd, sizeof(bsd), "%s/maillog", tmpdir);
	snprintf(deb, sizeof(deb), "%s/mail.log", tmpdir);
	conf_defaults(&c);
	conf_find_maillog(&c, bsd, deb);	/* neither: the default */
	ck_assert_str_eq(c.maillog, "/var/log/maillog");
	ck_assert_ptr_nonnull(fp = fopen(deb, "w"));
	fclose(fp);
	conf_find_maillog(&c, bsd, deb);	/* Debian's only */
	ck_assert_str_eq(c.maillog, deb);
	conf_free(&c);
	ck_assert_ptr_nonnull(fp = fopen(bsd, "w"));
	fclose(fp);
	conf_defaults(&c);
	conf_find_maillog(&c, bsd, deb);	/* both: OpenBSD's name */
	ck_assert_str_eq(c.maillog, "/var/log/maillog");
	conf_free(&c);
	unlink(bsd);
	/* named in the config: kept, whatever is there */
	ck_assert_ptr_null(load(&c, "maillog /var/log/other\n"));
	conf_find_maillog(&c, bsd, deb);
	ck_assert_str_eq(c.maillog, "/var/log/other");
	conf_free(&c);
	unlink(deb);
}
END_TEST

/* spamd's log: OpenBSD's daemon when it is there, else Debian's. */
START_TEST(test_find_spamdlog)
{
	struct conf	 c;
	char		 bsd[4300], deb[4300];
	FILE		*fp;

	snprintf(bsd, sizeof(bsd), "%s/daemon", tmpdir);
	snprintf(deb, sizeof(deb), "%s/daemon.log", tmpdir);
	conf_defaults(&c);
	ck_assert_str_eq(c.spamdlog, "/var/log/daemon");
	ck_assert_ptr_nonnull(fp = fopen(deb, "w"));
	fclose(fp);
	conf_find_spamdlog(&c, bsd, deb);	/* Debian's only */
	ck_assert_str_eq(c.spamdlog, deb);
	conf_free(&c);
	ck_assert_ptr_null(load(&c, "spamdlog /var/log/spamd\n"));
	conf_find_spamdlog(&c, bsd, deb);	/* named: kept */
	ck_assert_str_eq(c.spamdlog, "/var/log/spamd");
	conf_free(&c);
	ck_assert_str_eq(load(&c, "spamdlog spamd.log\n"),
	    msg("%s:1: spamdlog: not an absolute path: %s", "spamd.log"));
	conf_free(&c);
	unlink(deb);
}
END_TEST

static const char *const bad_intervals[] = {
	"0.05", "0", "-1", "86401", "abc", "2s", "nan", "inf", "1e999", "0x",
};

START_TEST(test_bad_interval)
{
	struct conf	 c;
	char		 text[64];

	snprintf(text, sizeof(text), "interval %s\n", bad_intervals[_i]);
	ck_assert_str_eq(load(&c, text), msg("%s:1: interval: not a number "
	    "of seconds from 0.1 to 86400: %s", bad_intervals[_i]));
	ck_assert(c.interval == 2);
	conf_free(&c);
}
END_TEST

START_TEST(test_parse_interval)
{
	double	 d = -1;

	ck_assert_int_eq(conf_parse_interval("1.5", &d), 0);
	ck_assert(d == 1.5);
	ck_assert_int_eq(conf_parse_interval("60", &d), 0);
	ck_assert(d == 60);
	d = 7;
	ck_assert_int_eq(conf_parse_interval("", &d), -1);
	ck_assert_int_eq(conf_parse_interval(" ", &d), -1);
	ck_assert_int_eq(conf_parse_interval("0.09", &d), -1);
	ck_assert_int_eq(conf_parse_interval("NaN", &d), -1);
	ck_assert_int_eq(conf_parse_interval("-inf", &d), -1);
	ck_assert_int_eq(conf_parse_interval("1,5", &d), -1);
	ck_assert(d == 7);
}
END_TEST

START_TEST(test_relative_path)
{
	struct conf	 c;

	ck_assert_str_eq(load(&c, "smtpctl bin/smtpctl\n"),
	    msg("%s:1: smtpctl: not an absolute path: %s", "bin/smtpctl"));
	ck_assert_str_eq(c.smtpctl, "/usr/sbin/smtpctl");
	conf_free(&c);
	ck_assert_str_eq(load(&c, "doas doas\n"),
	    msg("%s:1: doas: not an absolute path or none: %s", "doas"));
	ck_assert_str_eq(c.doas, "/usr/bin/doas");
	conf_free(&c);
	/* "none" is for doas only */
	ck_assert_str_eq(load(&c, "smtpctl none\n"),
	    msg("%s:1: smtpctl: not an absolute path: %s", "none"));
	conf_free(&c);
	ck_assert_str_eq(load(&c, "smtpctl ./smtpctl\n"),
	    msg("%s:1: smtpctl: not an absolute path: %s", "./smtpctl"));
	conf_free(&c);
}
END_TEST

START_TEST(test_missing_file)
{
	struct conf	 c;
	char		 err[1024] = "untouched", missing[4300];

	snprintf(missing, sizeof(missing), "%s/no-such.conf", tmpdir);
	conf_defaults(&c);
	ck_assert_int_eq(conf_load(&c, missing, 0, err, sizeof(err)), 0);
	ck_assert_str_eq(err, "untouched");
	ck_assert_str_eq(c.smtpctl, "/usr/sbin/smtpctl");
	ck_assert_str_eq(c.doas, "/usr/bin/doas");
	ck_assert(c.interval == 2);

	ck_assert_int_eq(conf_load(&c, missing, 1, err, sizeof(err)), -1);
	ck_assert_str_eq(err, strcat(missing, ": No such file or directory"));
	conf_free(&c);
}
END_TEST

START_TEST(test_not_a_file)
{
	struct conf	 c;
	char		 err[1024] = "";

	/* a directory: "not required" is about a missing file only */
	conf_defaults(&c);
	ck_assert_int_eq(conf_load(&c, tmpdir, 0, err, sizeof(err)), -1);
	ck_assert_int_eq(strncmp(err, tmpdir, strlen(tmpdir)), 0);
	conf_free(&c);
}
END_TEST

/* Only a missing file is optional: a path that cannot be opened is an error. */
START_TEST(test_unopenable)
{
	struct conf	 c;
	char		 err[1024] = "", a[4300], b[4300], want[8700];

	snprintf(a, sizeof(a), "%s/loop-a", tmpdir);
	snprintf(b, sizeof(b), "%s/loop-b", tmpdir);
	ck_assert_int_eq(symlink(a, b), 0);
	ck_assert_int_eq(symlink(b, a), 0);
	conf_defaults(&c);
	ck_assert_int_eq(conf_load(&c, a, 0, err, sizeof(err)), -1);
	snprintf(want, sizeof(want), "%s: Too many levels of symbolic links", a);
	ck_assert_str_eq(err, want);
	conf_free(&c);
	unlink(a);
	unlink(b);
}
END_TEST

START_TEST(test_small_err_buffer)
{
	struct conf	 c;
	char		 err[16], *kw;

	/* a 10 KB unknown keyword: the message is cut, not overflowed */
	kw = malloc(10001);
	memset(kw, 'k', 10000);
	kw[10000] = '\0';
	write_conf(kw);
	conf_defaults(&c);
	memset(err, 'Z', sizeof(err));
	ck_assert_int_eq(conf_load(&c, path, 1, err, sizeof(err)), -1);
	ck_assert_uint_eq(strlen(err), sizeof(err) - 1);
	ck_assert_int_eq(strncmp(err, path, sizeof(err) - 1), 0);
	conf_free(&c);
	free(kw);
}
END_TEST

/* A file that is no config (/dev/zero, a log named by mistake): refused
 * after reading a bounded part of it, with what is wrong. */
START_TEST(test_bounds)
{
	struct conf	 c;
	FILE		*fp;
	char		*text, err[1024], want[8192];
	size_t		 i, n;

	/* the longest line there may be, and the longest file */
	text = malloc(CONF_MAX_SIZE + 2);
	memcpy(text, "smtpctl /", 9);
	memset(text + 9, 'x', CONF_LINE_MAX - 9);
	text[CONF_LINE_MAX] = '\0';
	ck_assert_ptr_null(load(&c, text));
	ck_assert_uint_eq(strlen(c.smtpctl), CONF_LINE_MAX - 8);
	conf_free(&c);
	text[CONF_LINE_MAX] = 'x';
	text[CONF_LINE_MAX + 1] = '\0';
	ck_assert_str_eq(load(&c, text),
	    msg("%s:1: a line longer than %s bytes", "4096"));
	conf_free(&c);

	n = strlen("interval 1\n");
	memset(text, '#', CONF_MAX_SIZE);
	for (i = 0; i + n <= CONF_MAX_SIZE; i += n)
		memcpy(text + i, "interval 1\n", n);
	text[CONF_MAX_SIZE] = '\0';
	ck_assert_ptr_null(load(&c, text));
	conf_free(&c);
	text[CONF_MAX_SIZE] = '\n';
	text[CONF_MAX_SIZE + 1] = '\0';
	ck_assert_str_eq(load(&c, text),
	    msg("%s: more than %s KB: not a config file", "64"));
	conf_free(&c);
	free(text);

	/* a NUL would hide the rest of its line */
	ck_assert_ptr_nonnull(fp = fopen(path, "w"));
	ck_assert_uint_eq(fwrite("interval 1\0 x\n", 1, 14, fp), 14);
	ck_assert_int_eq(fclose(fp), 0);
	conf_defaults(&c);
	ck_assert_int_eq(conf_load(&c, path, 1, err, sizeof(err)), -1);
	ck_assert_str_eq(err, msg("%s:1: a NUL byte: not a config file", ""));
	conf_free(&c);

	/* endless: not read to the end */
	conf_defaults(&c);
	ck_assert_int_eq(conf_load(&c, "/dev/zero", 1, err, sizeof(err)), -1);
	snprintf(want, sizeof(want), "/dev/zero: more than 64 KB: not a "
	    "config file");
	ck_assert_str_eq(err, want);
	conf_free(&c);
}
END_TEST

int
main(void)
{
	Suite	*s = suite_create("conf");
	TCase	*tc = tcase_create("conf");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_defaults);
	tcase_add_test(tc, test_bounds);
	tcase_add_test(tc, test_keywords);
	tcase_add_test(tc, test_comments_blanks);
	tcase_add_test(tc, test_unknown_keyword);
	tcase_add_test(tc, test_missing_value);
	tcase_add_test(tc, test_extra_words);
	tcase_add_test(tc, test_confirm);
	tcase_add_test(tc, test_find_maillog);
	tcase_add_test(tc, test_find_spamdlog);
	tcase_add_loop_test(tc, test_bad_interval, 0,
	    (int)nitems(bad_intervals));
	tcase_add_test(tc, test_parse_interval);
	tcase_add_test(tc, test_relative_path);
	tcase_add_test(tc, test_missing_file);
	tcase_add_test(tc, test_not_a_file);
	tcase_add_test(tc, test_unopenable);
	tcase_add_test(tc, test_small_err_buffer);
	suite_add_tcase(s, tc);
	return unit_run(s);
}
