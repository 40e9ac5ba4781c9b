/*
 * The queue provider through a whole poll (show status, then show queue), as
 * the pane drives it, and the header lines it makes of the result.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conf.h"
#include "provider.h"
#include "queue.h"
#include "unit.h"

#define T0	1795525168		/* ctime of the oldest envelope */

struct poll {
	struct conf	 conf;
	void		*st;
	struct rowset	*rs;
	int		 rc;
};

/* Feed a fixture to step, line by line, as the pane does. */
static void
feed_file(struct poll *p, int step, const char *path)
{
	size_t	 len;
	char	*buf = unit_slurp(path, &len), *s, *nl;

	for (s = buf; s < buf + len; s = nl + 1) {
		if ((nl = memchr(s, '\n', (size_t)(buf + len - s))) == NULL)
			nl = buf + len;
		provider_queue.src.poll_line(p->st, step, s, (size_t)(nl - s));
	}
	free(buf);
}

static size_t
count_lines(const char *path)
{
	size_t	 len, n;
	char	*buf = unit_slurp(path, &len);

	n = unit_count_lines(buf, len);
	free(buf);
	return n;
}

/* One poll; status NULL: "show status" failed as it does when smtpd is down. */
static void
poll(struct poll *p, const char *status, const char *queue)
{
	const char	*argv[8];

	conf_defaults(&p->conf);
	p->st = provider_queue.src.create(&p->conf);
	provider_queue.src.poll_begin(p->st, T0);

	ck_assert_int_eq(provider_queue.src.poll_argv(p->st, 0, argv, 8), 3);
	ck_assert_str_eq(argv[0], "/usr/sbin/smtpctl");
	ck_assert_str_eq(argv[1], "show");
	ck_assert_str_eq(argv[2], "status");
	ck_assert_ptr_null(argv[3]);
	if (status != NULL) {
		feed_file(p, 0, status);
		ck_assert_int_eq(provider_queue.src.poll_step_done(p->st, 0, 0,
		    ""), 0);
	} else
		ck_assert_int_eq(provider_queue.src.poll_step_done(p->st, 0, 1,
		    "smtpctl: smtpd doesn't seem to be running\n"), 0);

	ck_assert_int_eq(provider_queue.src.poll_argv(p->st, 1, argv, 8), 3);
	ck_assert_str_eq(argv[2], "queue");
	ck_assert_uint_eq(provider_queue.src.progress(p->st), 0);
	feed_file(p, 1, queue);
	/* every line of these fixtures is a row: progress counts them */
	ck_assert_uint_eq(provider_queue.src.progress(p->st),
	    count_lines(queue));
	/* an overlong line among good ones (alone, the read would fail) */
	if (count_lines(queue) > 0)
		provider_queue.src.poll_line(p->st, 1, NULL, 0);
	p->rc = provider_queue.src.poll_step_done(p->st, 1, 0, "");
	ck_assert_int_eq(p->rc, 0);
	ck_assert_int_eq(provider_queue.src.poll_argv(p->st, 2, argv, 8), 0);
	p->rs = provider_queue.src.poll_finish(p->st);
	ck_assert_ptr_nonnull(p->rs);
	ck_assert_uint_eq(p->rs->nbad, count_lines(queue) > 0);
}

static void
poll_free(struct poll *p)
{
	rowset_free(p->rs);
	provider_queue.src.destroy(p->st);
	conf_free(&p->conf);
}

static const char *
summary(struct poll *p, time_t now)
{
	static char	 buf[1024];

	provider_queue.desc.summary(p->st, p->rs, now, buf, sizeof(buf));
	return buf;
}

START_TEST(test_running)
{
	struct poll	 p;
	size_t		 i;

	poll(&p, FIX("show-status-running.txt"),
	    FIX("show-queue-14-varied.txt"));
	ck_assert_uint_eq(p.rs->nrows, 14);
	/* sorted as -b prints them */
	for (i = 1; i < p.rs->nrows; i++) {
		const struct row *a = p.rs->rows[i - 1], *b = p.rs->rows[i];

		ck_assert(a->cells[Q_CTIME].i < b->cells[Q_CTIME].i ||
		    (a->cells[Q_CTIME].i == b->cells[Q_CTIME].i &&
		    strcmp(a->key, b->key) < 0));
	}
	ck_assert_str_eq(p.rs->rows[13]->key, "7bb7df62a81a2c06");
	ck_assert_str_eq(summary(&p, T0 + 3600 + 12 * 60),
	    "smtpd: MTA running  MDA running  SMTP running\n"
	    "14 envelopes: 13 pending, 1 inflight  oldest 1h12m");
	poll_free(&p);
}
END_TEST

START_TEST(test_paused)
{
	struct poll	 p;

	/* '!': a line that needs attention */
	poll(&p, FIX("show-status-mta-paused.txt"),
	    FIX("show-queue-3000-hold.txt"));
	ck_assert_uint_eq(p.rs->nrows, 3003);
	ck_assert_str_eq(summary(&p, 1795525634 + 45),
	    "!smtpd: MTA PAUSED  MDA running  SMTP running\n"
	    "3003 envelopes: 2948 pending (0 suspended, 1000 held), "
	    "55 inflight  oldest 45s");
	poll_free(&p);

	poll(&p, FIX("show-status-all-paused.txt"),
	    FIX("show-queue-bounce.txt"));
	ck_assert_str_eq(summary(&p, T0 + 2 * 86400 + 4 * 3600),
	    "!smtpd: MTA PAUSED  MDA PAUSED  SMTP PAUSED\n"
	    "9 envelopes: 8 pending, 1 inflight; 1 bounce  oldest 2d04h");
	poll_free(&p);
}
END_TEST

START_TEST(test_offline)
{
	struct poll	 p;

	poll(&p, NULL, FIX("show-queue-offline.txt"));
	ck_assert_uint_eq(p.rs->nrows, 12);
	ck_assert_str_eq(summary(&p, 1795525084 + 59),
	    "!smtpd: NOT RUNNING (queue read offline from the spool)\n"
	    "12 envelopes: 0 pending, 0 inflight, 12 offline  oldest 59s");
	poll_free(&p);
}
END_TEST

START_TEST(test_empty)
{
	struct poll	 p;

	poll(&p, FIX("show-status-running.txt"), FIX("show-queue-empty.txt"));
	ck_assert_uint_eq(p.rs->nrows, 0);
	ck_assert_str_eq(summary(&p, T0),
	    "smtpd: MTA running  MDA running  SMTP running\nqueue empty");
	poll_free(&p);
}
END_TEST

START_TEST(test_queue_fails)
{
	struct conf	 conf;
	void		*st;

	conf_defaults(&conf);
	st = provider_queue.src.create(&conf);
	provider_queue.src.poll_begin(st, T0);
	ck_assert_int_eq(provider_queue.src.poll_step_done(st, 0, 0, ""), 0);
	ck_assert_int_eq(provider_queue.src.poll_step_done(st, 1, 1,
	    "smtpctl: something went wrong\n"), -1);
	ck_assert_int_eq(strncmp(provider_queue.src.poll_error(st),
	    "smtpctl show queue: exit 1", 26), 0);
	provider_queue.src.poll_abort(st);
	provider_queue.src.destroy(st);
	conf_free(&conf);
}
END_TEST

/* "show queue" lines fed to a fresh poll; the step's verdict. */
static int
queue_lines(void **st, struct conf *conf, const char *const *lines,
    size_t n)
{
	size_t	 i;

	conf_defaults(conf);
	*st = provider_queue.src.create(conf);
	provider_queue.src.poll_begin(*st, T0);
	ck_assert_int_eq(provider_queue.src.poll_step_done(*st, 0, 0, ""), 0);
	for (i = 0; i < n; i++)
		provider_queue.src.poll_line(*st, 1, (char *)lines[i],
		    lines[i] != NULL ? strlen(lines[i]) : 0);
	return provider_queue.src.poll_step_done(*st, 1, 0, "");
}

/*
 * Output with no line parsed and some not (a wrong program, random bytes)
 * is a failed read, not an empty queue: why, with the first bad line
 * escaped.  One good line among them is a read with bad lines.
 */
START_TEST(test_queue_garbage)
{
	static const char *const garbage[] = {
		"\033]0;pwned\007 not \342\200\256smtpctl",
		"more garbage",
		"",
	};
	static const char *const mixed[] = {
		"garbage first",
		"7bb7df62a81a2c06|inet4|mta||a@example.com|b@example.net|"
		    "b@example.net|1795525168|1795525168|0|0|pending|0|",
		"garbage last",
	};
	static const char *const overlong[] = { NULL };
	const char	*argv[8];
	struct conf	 conf;
	struct rowset	*rs;
	void		*st;

	ck_assert_int_eq(queue_lines(&st, &conf, garbage, nitems(garbage)),
	    -1);
	ck_assert_str_eq(provider_queue.src.poll_error(st),
	    "smtpctl show queue: none of its 2 lines could be parsed (is "
	    "/usr/sbin/smtpctl the right program?); the first: "
	    "\\x1b]0;pwned\\x07 not \\xe2\\x80\\xaesmtpctl");
	provider_queue.src.poll_abort(st);
	provider_queue.src.destroy(st);
	conf_free(&conf);

	ck_assert_int_eq(queue_lines(&st, &conf, overlong, 1), -1);
	ck_assert_str_eq(provider_queue.src.poll_error(st),
	    "smtpctl show queue: none of its 1 line could be parsed (is "
	    "/usr/sbin/smtpctl the right program?); the first: (a line too "
	    "long to read)");
	provider_queue.src.poll_abort(st);
	provider_queue.src.destroy(st);
	conf_free(&conf);

	ck_assert_int_eq(queue_lines(&st, &conf, mixed, nitems(mixed)), 0);
	ck_assert_int_eq(provider_queue.src.poll_argv(st, 2, argv, 8), 0);
	rs = provider_queue.src.poll_finish(st);
	ck_assert_uint_eq(rs->nrows, 1);
	ck_assert_uint_eq(rs->nbad, 2);
	rowset_free(rs);
	provider_queue.src.destroy(st);
	conf_free(&conf);
}
END_TEST

/* A long garbage line is cut, and says so. */
START_TEST(test_queue_garbage_cut)
{
	char		 line[4000];
	const char	*lines[1] = { line };
	const char	*why, *first;
	struct conf	 conf;
	void		*st;

	memset(line, '\033', sizeof(line) - 1);
	line[sizeof(line) - 1] = '\0';
	ck_assert_int_eq(queue_lines(&st, &conf, lines, 1), -1);
	why = provider_queue.src.poll_error(st);
	ck_assert_ptr_nonnull(first = strstr(why, "the first: "));
	first += strlen("the first: ");
	ck_assert_uint_lt(strlen(first), 160);
	ck_assert_int_eq(strncmp(first, "\\x1b\\x1b", 8), 0);
	/* whole escapes, then the mark of the cut */
	ck_assert_uint_eq((strlen(first) - 3) % 4, 0);
	ck_assert_str_eq(first + strlen(first) - 7, "\\x1b...");
	provider_queue.src.poll_abort(st);
	provider_queue.src.destroy(st);
	conf_free(&conf);
}
END_TEST

/* spamdb lines fed to a fresh read of prov's pane; the step's verdict. */
static int
spamdb_lines(const struct provider *prov, void **st, struct conf *conf,
    const char *const *lines, size_t n)
{
	size_t	 i;

	conf_defaults(conf);
	*st = prov->src.create(conf);
	prov->src.poll_begin(*st, T0);
	for (i = 0; i < n; i++)
		prov->src.poll_line(*st, 0, (char *)lines[i], strlen(lines[i]));
	return prov->src.poll_step_done(*st, 0, 0, "");
}

/*
 * spamdb printing no record is a failed read for both spamd panes; a
 * listing of the other pane's records only is not.
 */
START_TEST(test_spamdb_garbage)
{
	static const char *const garbage[] = {
		"\033[2Jnot spamdb", "GREY|but not|enough",
	};
	static const char *const white[] = {
		"WHITE|192.0.2.1|||1795000000|1795000000|1798000000|1|1",
		"garbage",
	};
	static const char *const grey[] = {
		"GREY|192.0.2.2|mx.example|<a@example.com>|<b@example.net>|"
		    "1795000000|1795001500|1795014400|1|0",
		"garbage",
	};
	const struct provider *const provs[] = {
		&provider_grey, &provider_white
	};
	struct conf	 conf;
	void		*st;
	size_t		 i;

	for (i = 0; i < nitems(provs); i++) {
		ck_assert_int_eq(spamdb_lines(provs[i], &st, &conf, garbage,
		    nitems(garbage)), -1);
		ck_assert_str_eq(provs[i]->src.poll_error(st),
		    "spamdb: none of its 2 lines could be parsed (is "
		    "/usr/sbin/spamdb the right program?); the first: "
		    "\\x1b[2Jnot spamdb");
		provs[i]->src.poll_abort(st);
		provs[i]->src.destroy(st);
		conf_free(&conf);

		ck_assert_int_eq(spamdb_lines(provs[i], &st, &conf,
		    i == 0 ? white : grey, 2), 0);
		provs[i]->src.poll_abort(st);
		provs[i]->src.destroy(st);
		conf_free(&conf);
	}
}
END_TEST

/*
 * The summary never writes past the buffer it is given, whatever its size
 * (it once skipped the check after ", N offline" and ", N invalid").
 */
START_TEST(test_summary_small_buffers)
{
	struct poll	 p;
	char		*buf;
	size_t		 len, i;

	poll(&p, NULL, FIX("show-queue-offline.txt"));
	for (len = 1; len < 200; len++) {
		buf = malloc(len + 64);
		memset(buf, 'Z', len + 64);
		provider_queue.desc.summary(p.st, p.rs, 1795525084, buf, len);
		ck_assert_msg(memchr(buf, '\0', len) != NULL,
		    "len %zu: not terminated", len);
		for (i = len; i < len + 64; i++)
			ck_assert_msg(buf[i] == 'Z',
			    "len %zu: wrote past the end, at %zu", len, i);
		free(buf);
	}
	poll_free(&p);
}
END_TEST

int
main(void)
{
	Suite	*s = suite_create("provider");
	TCase	*tc = tcase_create("queue");

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_running);
	tcase_add_test(tc, test_paused);
	tcase_add_test(tc, test_offline);
	tcase_add_test(tc, test_empty);
	tcase_add_test(tc, test_queue_fails);
	tcase_add_test(tc, test_queue_garbage);
	tcase_add_test(tc, test_queue_garbage_cut);
	tcase_add_test(tc, test_spamdb_garbage);
	tcase_add_test(tc, test_summary_small_buffers);
	suite_add_tcase(s, tc);
	return unit_run(s);
}
