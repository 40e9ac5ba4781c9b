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
#include "spamdb.h"
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
	/* smtpd runs: its counters, last, for the strip */
	if (provider_queue.src.poll_argv(p->st, 2, argv, 8) != 0) {
		ck_assert_str_eq(argv[2], "stats");
		feed_file(p, 2, FIXTURES "/opensmtpd/show-stats.txt");
		ck_assert_int_eq(provider_queue.src.poll_step_done(p->st, 2,
		    0, ""), 0);
		ck_assert_int_eq(provider_queue.src.poll_argv(p->st, 3, argv,
		    8), 0);
	}
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
	    "14 envelopes: 13 pending, 1 inflight  oldest 1h12m"
	    "\ncounters since smtpd started 43s ago: delivered 1, tempfail 14, permfail 1, bounces 1; rates after 20 s");
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
	    "55 inflight  oldest 45s"
	    "\ncounters since smtpd started 43s ago: delivered 1, tempfail 14, permfail 1, bounces 1; rates after 20 s");
	poll_free(&p);

	poll(&p, FIX("show-status-all-paused.txt"),
	    FIX("show-queue-bounce.txt"));
	ck_assert_str_eq(summary(&p, T0 + 2 * 86400 + 4 * 3600),
	    "!smtpd: MTA PAUSED  MDA PAUSED  SMTP PAUSED\n"
	    "9 envelopes: 8 pending, 1 inflight; 1 bounce  oldest 2d04h"
	    "\ncounters since smtpd started 43s ago: delivered 1, tempfail 14, permfail 1, bounces 1; rates after 20 s");
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
	    "smtpd: MTA running  MDA running  SMTP running\nqueue empty"
	    "\ncounters since smtpd started 43s ago: delivered 1, tempfail 14, permfail 1, bounces 1; rates after 20 s");
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

/* A greylist read of these lines, as the pane does one; its rows. */
static struct rowset *
grey_read(void *st, char **lines, size_t n)
{
	size_t	 i;

	provider_grey.src.poll_begin(st, T0);
	for (i = 0; i < n; i++)
		provider_grey.src.poll_line(st, 0, lines[i], strlen(lines[i]));
	ck_assert_int_eq(provider_grey.src.poll_step_done(st, 0, 0, ""), 0);
	return provider_grey.src.poll_finish(st);
}

static const struct row *
grey_find(const struct rowset *rs, const char *ip)
{
	size_t	 i;

	for (i = 0; i < rs->nrows; i++)
		if (strcmp(rs->rows[i]->cells[G_IP].s, ip) == 0)
			return rs->rows[i];
	return NULL;
}

/* Tuple i: ip 10.0.<i/250>.<i%250+1>, its counts from n. */
static char *
grey_line(size_t i, int n)
{
	char	*s;

	if (asprintf(&s, "GREY|10.0.%zu.%zu|mx%zu.example|<s%zu@d%zu.example>|"
	    "<rcpt@example.org>|1795000000|%d|1795014400|%d|0", i / 250,
	    i % 250 + 1, i % 7, i, i % 13, 1795001500 + n, 1 + n) == -1)
		ck_abort_msg("asprintf");
	return s;
}

/*
 * A re-read shares the rows of the tuples it finds unchanged with the
 * last read: it holds them once, not twice, and the old set can go as the
 * pane lets it go (then ASan sees any row left pointing into it).  A
 * tuple seen again shows its new counts, a new one is marked '+' and no
 * other is, one gone is gone.  Churn does not pile up dead rows: the
 * shared arena never holds much more than a read of its own would, and
 * shrinks when the live rows are copied out of it.
 */
START_TEST(test_grey_reread)
{
	struct conf		 conf;
	struct rowset		*rs1, *rs2, *fresh;
	const struct row	*r, *a1;
	char			*l1[400], *l2[400];
	size_t			 i, n2, limit;
	int			 round, marked, shrunk;
	void			*st;

	conf_defaults(&conf);
	st = provider_grey.src.create(&conf);
	for (i = 0; i < 300; i++)
		l1[i] = grey_line(i, 0);
	rs1 = grey_read(st, l1, 300);
	ck_assert_uint_eq(rs1->nrows, 300);
	a1 = grey_find(rs1, "10.0.0.1");

	/* 0 and 2.. as they were, 1 seen again, 299 gone, 300 new */
	for (i = 0, n2 = 0; i < 299; i++)
		l2[n2++] = i == 1 ? grey_line(1, 1) : strdup(l1[i]);
	l2[n2++] = grey_line(300, 0);
	rs2 = grey_read(st, l2, n2);
	rowset_free(rs1);		/* the pane frees the old rows now */
	ck_assert_uint_eq(rs2->nrows, 300);
	ck_assert_ptr_eq(grey_find(rs2, "10.0.0.1"), a1);
	r = grey_find(rs2, "10.0.0.2");
	ck_assert_int_eq(r->cells[G_PASS].i, 1795001501);
	ck_assert_int_eq(r->cells[G_BCOUNT].i, 2);
	ck_assert_str_eq(r->cells[G_FROM].s, "<s1@d1.example>");
	ck_assert_ptr_null(grey_find(rs2, "10.0.1.50"));	/* 299 */
	ck_assert_ptr_nonnull(grey_find(rs2, "10.0.1.51"));	/* 300 */
	for (i = 0, marked = 0; i < rs2->nrows; i++)
		if (provider_grey.desc.row_mark(st, rs2->rows[i]) != 0) {
			marked++;
			ck_assert_str_eq(rs2->rows[i]->cells[G_IP].s,
			    "10.0.1.51");
		}
	ck_assert_int_eq(marked, 1);
	for (i = 0; i < n2; i++)
		free(l2[i]);

	/* every tuple seen again, one in ten gone and new ones, 60 times */
	fresh = rowset_new();
	for (i = 0; i < 300; i++)
		spamdb_parse_line(fresh, NULL, NULL, l1[i], strlen(l1[i]));
	/* what prov_grey lets a shared arena hold, and a read's own rows */
	limit = fresh->arena.total * 5 / 4 + 1024 * 1024 + fresh->arena.total;
	rowset_free(fresh);
	for (round = 1, shrunk = 0; round <= 80; round++) {
		for (i = 0; i < 300; i++)
			l2[i] = grey_line(i % 10 == (size_t)round % 10 ?
			    i + 1000 * (size_t)round : i, round);
		rs1 = rs2;
		rs2 = grey_read(st, l2, 300);
		if (rs2->arena.total < rs1->arena.total)
			shrunk++;
		rowset_free(rs1);
		ck_assert_uint_le(rs2->arena.total, limit);
		for (i = 0; i < 300; i++)
			free(l2[i]);
	}
	/* the dead rows went with an old set, copies made of the live */
	ck_assert_int_gt(shrunk, 0);
	r = grey_find(rs2, "10.0.0.2");
	ck_assert_int_eq(r->cells[G_PASS].i, 1795001500 + 80);
	ck_assert_int_eq(r->cells[G_BCOUNT].i, 81);
	ck_assert_str_eq(r->cells[G_HELO].s, "mx1.example");
	for (i = 0; i < rs2->nrows; i++)
		ck_assert_int_eq(rs2->rows[i]->cells[G_BCOUNT].i, 81);
	rowset_free(rs2);
	for (i = 0; i < 300; i++)
		free(l1[i]);
	provider_grey.src.destroy(st);
	conf_free(&conf);
}
END_TEST

/*
 * spamdb's order changes when its hash table grows: a run of tuples moves
 * to the end of the listing.  A re-read still finds every tuple it had
 * (whether where it looked first, after the run, or by hash once too
 * many lines were not where expected) and marks only the new ones; the
 * same holds for a listing in reverse.  The unchanged rows it found in
 * their places are the old rows themselves.
 */
START_TEST(test_grey_reread_moved)
{
	struct conf		 conf;
	struct rowset		*rs1, *rs2 = NULL;
	char			*l1[300], *l2[310], *n1, *n2;
	const char		*ip;
	const struct row	*old[300];
	size_t			 i, k, same;
	int			 pass, marked;
	void			*st;

	conf_defaults(&conf);
	st = provider_grey.src.create(&conf);
	for (i = 0; i < 300; i++)
		l1[i] = grey_line(i, 0);
	n1 = grey_line(1000, 0);		/* 10.0.4.1 */
	n2 = grey_line(1001, 0);		/* 10.0.4.2 */
	for (pass = 0; pass < 2; pass++) {
		rs1 = grey_read(st, l1, 300);
		rowset_free(rs2);
		for (i = 0; i < 300; i++)
			old[i] = rs1->rows[i];
		k = 0;
		if (pass == 0) {
			/* 0-99, 200-299 less 250, then 100-199 and 2 new */
			for (i = 0; i < 100; i++)
				l2[k++] = l1[i];
			for (i = 200; i < 300; i++)
				if (i != 250)
					l2[k++] = l1[i];
			for (i = 100; i < 200; i++) {
				l2[k++] = l1[i];
				if (i == 150)
					l2[k++] = n1;
			}
			l2[k++] = n2;
		} else
			for (i = 300; i > 0; i--)
				l2[k++] = l1[i - 1];
		rs2 = grey_read(st, l2, k);
		ck_assert_uint_eq(rs2->nrows, k);
		for (i = 0, marked = 0; i < rs2->nrows; i++) {
			if (provider_grey.desc.row_mark(st, rs2->rows[i]) == 0)
				continue;
			marked++;
			ip = rs2->rows[i]->cells[G_IP].s;
			ck_assert_msg(pass == 0 &&
			    (strcmp(ip, "10.0.4.1") == 0 ||
			    strcmp(ip, "10.0.4.2") == 0), "%s marked new", ip);
		}
		ck_assert_int_eq(marked, pass == 0 ? 2 : 0);
		ck_assert(pass == 1 || grey_find(rs2, "10.0.1.1") == NULL);
		for (i = 0, same = 0; i < 300; i++)
			same += grey_find(rs2, old[i]->cells[G_IP].s) == old[i];
		/* all but those read before the hash took over */
		ck_assert_uint_ge(same, 200);
		rowset_free(rs1);
	}
	rowset_free(rs2);
	for (i = 0; i < 300; i++)
		free(l1[i]);
	free(n1);
	free(n2);
	provider_grey.src.destroy(st);
	conf_free(&conf);
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
	tcase_add_test(tc, test_grey_reread);
	tcase_add_test(tc, test_grey_reread_moved);
	tcase_add_test(tc, test_summary_small_buffers);
	suite_add_tcase(s, tc);
	return unit_run(s);
}
