/*
 * The queue's shape: qshape's age buckets, recipient domains and their
 * parents, and the errors of the fixtures and hostile ones normalised.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conf.h"
#include "qshape.h"
#include "queue.h"
#include "unit.h"

START_TEST(test_shape_buckets)
{
	static const struct { int64_t age; int b; } t[] = {
		{ -5, 0 }, { 0, 0 }, { 300, 0 }, { 301, 1 }, { 600, 1 },
		{ 601, 2 }, { 1200, 2 }, { 2400, 3 }, { 4800, 4 },
		{ 9600, 5 }, { 19200, 6 }, { 38400, 7 }, { 76800, 8 },
		{ 76801, 9 }, { 4 * 86400, 9 },
	};
	size_t	 i;

	for (i = 0; i < nitems(t); i++)
		ck_assert_msg(qshape_bucket(t[i].age) == t[i].b,
		    "age %lld: bucket %d, not %d", (long long)t[i].age,
		    qshape_bucket(t[i].age), t[i].b);
	ck_assert_str_eq(qshape_bucket_names[0], "5m");
	ck_assert_str_eq(qshape_bucket_names[8], "1280m");
}
END_TEST

START_TEST(test_shape_domain)
{
	static const char *const t[][2] = {
		{ "bob@Example.NET", "example.net" },
		{ "<bob@example.net>", "example.net" },
		{ "rcpt|with|pipes@example.com", "example.com" },
		{ "\"a@b\"@quoted.example", "quoted.example" },
		{ "victor@[127.0.0.2]", "127.0.0.2" },
		{ "x@b.example.", "b.example" },
		{ "", "" },
		{ "<>", "" },
		{ "postmaster", "" },
	};
	char	 buf[64], small[5];
	size_t	 i;

	for (i = 0; i < nitems(t); i++) {
		qshape_domain(t[i][0], buf, sizeof(buf));
		ck_assert_str_eq(buf, t[i][1]);
	}
	/* cut to the buffer, told by the length */
	ck_assert_uint_eq(qshape_domain("a@Example.ORG", small,
	    sizeof(small)), 11);
	ck_assert_str_eq(small, "exam");
}
END_TEST

START_TEST(test_shape_parent)
{
	static const char *const t[][2] = {
		{ "mail.example.com", "example.com" },
		{ "example.com", "example.com" },
		{ "a.b.c.example.org", "example.org" },
		{ "com", "com" },
		{ "mx.shop.co.uk", "shop.co.uk" },
		{ "shop.co.uk", "shop.co.uk" },
		{ "co.uk", "co.uk" },
		{ "mx1.bank.com.au", "bank.com.au" },
		{ "mx.example.de", "example.de" },
		{ "127.0.0.2", "127.0.0.2" },
		{ "2001:db8::1", "2001:db8::1" },
		{ "", "" },
	};
	size_t	 i;

	for (i = 0; i < nitems(t); i++)
		ck_assert_str_eq(qshape_parent(t[i][0]), t[i][1]);
}
END_TEST

static const char *
norm(const char *s)
{
	static char	 buf[512];

	qshape_error(s, buf, sizeof(buf));
	return buf;
}

START_TEST(test_shape_error)
{
	static const char *const t[][2] = {
		/* what the fixtures' smtpd said: no variable part */
		{ "Network error on destination MXs",
		    "Network error on destination MXs" },
		{ "\"lab mda tempfail\"", "\"lab mda tempfail\"" },
		{ "exited abnormally", "exited abnormally" },
		{ "451 4.7.1 Greylisted | try again later \\\\o/ \\^Actl",
		    "451 4.7.1 Greylisted | try again later \\\\o/ \\^Actl" },
		{ "421 4.7.0 Try again later, closing connection (x)",
		    "421 4.7.0 Try again later, closing connection (x)" },
		{ "421 4.7.0 Try again later, closing connection (ABC123)",
		    "421 4.7.0 Try again later, closing connection (ID)" },
		{ "450 4.7.1 <bob@example.org>: Recipient address rejected: "
		    "Greylisted for 300 seconds",
		    "450 4.7.1 <ADDR>: Recipient address rejected: "
		    "Greylisted for N seconds" },
		{ "550-5.1.1 The email account that you tried to reach does "
		    "not exist. 4si123abc.123 - gsmtp",
		    "550-5.1.1 The email account that you tried to reach does "
		    "not exist. ID - gsmtp" },
		{ "Connection refused [192.0.2.1]", "Connection refused [IP]" },
		{ "connect to 2001:db8::25 port 25: timed out",
		    "connect to IP port N: timed out" },
		{ "host [IPv6:2001:db8::1] said 554 no.",
		    "host [IP] said N no." },
		{ "reached 192.0.2.1.", "reached IP." },
		{ "  squeezed \t blanks  ", "squeezed blanks" },
		{ "", "" },
	};
	size_t	 i;

	for (i = 0; i < nitems(t); i++)
		ck_assert_str_eq(norm(t[i][0]), t[i][1]);
	/* 300 envelopes, one error */
	ck_assert_str_eq(norm("421 4.7.0 <a1@x.example> busy (q9Z1)"),
	    "421 4.7.0 <ADDR> busy (ID)");
	ck_assert_str_eq(norm("421 4.7.0 <zz@y.example> busy (Q77a)"),
	    "421 4.7.0 <ADDR> busy (ID)");
}
END_TEST

/* Hostile texts stay bounded, NUL-terminated, their bytes as they were. */
START_TEST(test_shape_error_hostile)
{
	char	 big[8192], out[64];
	size_t	 n;

	ck_assert_str_eq(norm("451 \033[31mRejected\033[0m by policy"),
	    "451 \033[31mRejected\033[0m by policy");
	memset(big, 'a', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	n = qshape_error(big, out, sizeof(out));
	ck_assert_uint_eq(n, sizeof(out) - 1);
	ck_assert_uint_eq(strlen(out), sizeof(out) - 1);
	n = qshape_error("a@b c@d e@f g@h i@j", out, 12);
	ck_assert_uint_eq(n, 11);
	ck_assert_str_eq(out, "<ADDR> <ADD");
}
END_TEST

static const struct row *
find_key(const struct rowset *rs, const char *key)
{
	size_t	 i;

	for (i = 0; i < rs->nrows; i++)
		if (strcmp(rs->rows[i]->key, key) == 0)
			return rs->rows[i];
	return NULL;
}


/*
 * The views of the 14-varied queue (smtpd 6.8's own output): a row per
 * recipient domain in lower case, the TOTAL first, every envelope in one
 * bucket; rolled up, the subdomain goes to example.org; by error, one row
 * per error with its domains, most first.  The cells read as on screen
 * (cell indexes by column name, as the batch mode prints them).
 */
static int
col(const struct view *v, const char *name)
{
	size_t	 i;

	for (i = 0; i < v->ncolumns; i++)
		if (strcmp(v->columns[i].name, name) == 0)
			return v->columns[i].cell;
	ck_abort_msg("no column %s", name);
	return -1;
}

START_TEST(test_shape_views)
{
	const struct view	*by_rcpt = &queue_views[0],
				*by_error = &queue_views[2];
	struct rowset		*q, *rs;
	const struct row	*r;
	time_t			 now;
	size_t			 i, n;
	int64_t			 sum;
	int			 total, b20, err, doms, cnt, b, k;
	struct conf		 conf;
	void			*st;

	conf_defaults(&conf);
	st = provider_queue.src.create(&conf);

	q = unit_parse_fixture(FIXTURES "/opensmtpd/show-queue-14-varied.txt",
	    &n);
	ck_assert_uint_eq(q->nrows, 14);
	now = (time_t)q->rows[0]->cells[Q_CTIME].i + 1000;	/* 20m bucket */
	ck_assert_str_eq(by_rcpt->batch, "shape");
	ck_assert_str_eq(by_error->batch, "errors");
	total = col(by_rcpt, "total");
	b20 = col(by_rcpt, "20m");

	rs = by_rcpt->build(st, q, now);
	ck_assert_str_eq(rs->rows[0]->key, "TOTAL");
	ck_assert(!by_rcpt->batch_row(rs->rows[0]));
	ck_assert_int_eq(rs->rows[0]->cells[total].i, 14);
	for (i = 1, sum = 0; i < rs->nrows; i++) {
		ck_assert(by_rcpt->batch_row(rs->rows[i]));
		sum += rs->rows[i]->cells[total].i;
		/* every envelope is 15 to 17 minutes old */
		for (b = 0; b < QSHAPE_BUCKETS; b++)
			ck_assert_int_eq(rs->rows[i]->cells[col(by_rcpt,
			    qshape_bucket_names[b])].i, b == 2 ?
			    rs->rows[i]->cells[total].i : 0);
		ck_assert_int_eq(rs->rows[i]->cells[b20].i,
		    rs->rows[i]->cells[total].i);
	}
	ck_assert_int_eq(sum, 14);
	ck_assert_int_eq(find_key(rs, "example.net")->cells[total].i, 3);
	ck_assert_int_eq(find_key(rs, "example.com")->cells[total].i, 3);
	ck_assert_int_eq(find_key(rs, "example.org")->cells[total].i, 2);
	ck_assert_ptr_nonnull(find_key(rs, "127.0.0.2"));
	ck_assert_ptr_null(find_key(rs, "Example.NET"));
	ck_assert_uint_eq(rs->nrows, 1 + 9);
	rowset_free(rs);

	/* p: the subdomain under its parent, the totals the same */
	queue_shape_state(st)->rollup_rcpt = 1;
	rs = by_rcpt->build(st, q, now);
	queue_shape_state(st)->rollup_rcpt = 0;
	ck_assert_int_eq(find_key(rs, "example.org")->cells[total].i, 3);
	ck_assert_int_eq(rs->rows[0]->cells[total].i, 14);
	ck_assert_uint_eq(rs->nrows, 1 + 8);
	rowset_free(rs);

	err = col(by_error, "error");
	doms = col(by_error, "domains");
	cnt = col(by_error, "count");
	rs = by_error->build(st, q, now);
	r = find_key(rs, "Network error on destination MXs");
	ck_assert_ptr_nonnull(r);
	ck_assert_str_eq(r->cells[err].s, "Network error on destination MXs");
	for (i = 0, sum = 0; i < rs->nrows; i++)
		sum += rs->rows[i]->cells[cnt].i;
	ck_assert_int_eq(sum, 14);
	/* the most envelopes first, then by name */
	ck_assert_msg(strncmp(r->cells[doms].s, "example.com,example.net,", 24)
	    == 0 || strncmp(r->cells[doms].s, "example.net,example.com,", 24)
	    == 0, "domains %s", r->cells[doms].s);
	k = 0;
	for (i = 0; i < rs->nrows; i++)
		if (strstr(rs->rows[i]->cells[err].s, "Greylisted") != NULL)
			k++;
	ck_assert_int_eq(k, 1);
	rowset_free(rs);
	/* an empty queue: a TOTAL of 0, no error */
	rowset_free(q);
	q = rowset_new();
	rs = by_rcpt->build(st, q, now);
	ck_assert_uint_eq(rs->nrows, 1);
	ck_assert_int_eq(rs->rows[0]->cells[total].i, 0);
	rowset_free(rs);
	rs = by_error->build(st, q, now);
	ck_assert_uint_eq(rs->nrows, 0);
	rowset_free(rs);
	rowset_free(q);
	provider_queue.src.destroy(st);
	conf_free(&conf);
}
END_TEST

static const struct action *
action_of(const struct view *v, int key)
{
	size_t	 i;

	for (i = 0; i < v->nactions; i++)
		if (v->actions[i].key == key)
			return &v->actions[i];
	ck_abort_msg("no action %c", key);
	return NULL;
}

/*
 * An action on a group goes through the group's envelopes of the rows on
 * screen, one command each, or one for a message all of whose envelopes
 * it has: by domain (rolled up or not), by error; the TOTAL row and the
 * envelopes without an error take none.
 */
START_TEST(test_shape_actions)
{
	const struct action	*rm = action_of(&queue_views[0], 'd'),
				*sched = action_of(&queue_views[2], 's'),
				*hold = action_of(&queue_views[1], 'h');
	const char		*argv[8];
	struct rowset		*q;
	struct conf		 conf;
	char			 id[600], got[1024];
	size_t			 n;
	void			*st;
	int			 step, argc;

	conf_defaults(&conf);
	st = provider_queue.src.create(&conf);
	q = unit_parse_fixture(FIXTURES "/opensmtpd/show-queue-14-varied.txt",
	    &n);
	queue_shape_state(st)->cur = q;
	ck_assert(rm->flags & ACT_TWICE);

	ck_assert_int_eq(rm->target(st, "example.net", id, sizeof(id)), 0);
	ck_assert_str_eq(id, "example.net");
	ck_assert_uint_eq(rm->count(st, id), 3);
	got[0] = '\0';
	for (step = 0; (argc = rm->build(st, id, step, argv, 8)) > 0; step++) {
		ck_assert_int_eq(argc, 3);
		ck_assert_str_eq(argv[0], conf.smtpctl);
		ck_assert_str_eq(argv[1], "remove");
		strcat(got, argv[2]);
		strcat(got, " ");
	}
	ck_assert_int_eq(step, 3);
	/* 0862d5e2 bob@, c66913f8 MixedCase@Example.NET, and one more */
	ck_assert(strstr(got, "0862d5e211583af9 ") != NULL);
	ck_assert(strstr(got, "c66913f8b6c1a8b0 ") != NULL);

	/* rolled up: the subdomain's envelope is example.org's too */
	queue_shape_state(st)->rollup_rcpt = 1;
	ck_assert_int_eq(rm->target(st, "example.org", id, sizeof(id)), 0);
	ck_assert_uint_eq(rm->count(st, id), 3);
	queue_shape_state(st)->rollup_rcpt = 0;
	ck_assert_uint_eq(rm->count(st, id), 2);

	ck_assert_int_eq(rm->target(st, "TOTAL", id, sizeof(id)), -1);
	ck_assert(strstr(rm->refused(st, "TOTAL"), "whole queue") != NULL);

	ck_assert_int_eq(sched->target(st, "Network error on destination MXs",
	    id, sizeof(id)), 0);
	ck_assert_str_eq(id, "the error Network error on destination MXs");
	ck_assert_uint_eq(sched->count(st, id), 11);
	ck_assert_int_eq(sched->build(st, id, 0, argv, 8), 3);
	ck_assert_str_eq(argv[1], "schedule");
	/* message aca65f00's three envelopes all have it: one command for
	 * the message, one for each of the 8 others */
	got[0] = '\0';
	for (step = 0; (argc = sched->build(st, id, step, argv, 8)) > 0;
	    step++) {
		strcat(got, argv[2]);
		strcat(got, " ");
	}
	ck_assert_int_eq(step, 9);
	ck_assert_msg(strstr(got, "aca65f00 ") != NULL, "%s", got);
	ck_assert_msg(strstr(got, "aca65f001fc08029") == NULL, "%s", got);
	/* in example.org two of them: the third (other.example) stays */
	ck_assert_int_eq(rm->target(st, "example.org", id, sizeof(id)), 0);
	got[0] = '\0';
	for (step = 0; (argc = rm->build(st, id, step, argv, 8)) > 0; step++) {
		strcat(got, argv[2]);
		strcat(got, " ");
	}
	ck_assert_msg(strstr(got, "aca65f001fc08029 ") != NULL &&
	    strstr(got, "aca65f00a2e33597 ") != NULL &&
	    strstr(got, "aca65f00 ") == NULL, "%s", got);
	ck_assert_int_eq(sched->target(st, "", id, sizeof(id)), -1);

	ck_assert_int_eq(hold->target(st, "example.com", id, sizeof(id)), 0);
	/* alice, grace, ivan, mallory, peggy, walter and UPPER.Case@Example.COM */
	ck_assert_int_eq(hold->count(st, id), 7);
	ck_assert_int_eq(hold->build(st, id, 0, argv, 8), 4);
	ck_assert_str_eq(argv[1], "pause");
	ck_assert_str_eq(argv[2], "envelope");

	provider_queue.src.destroy(st);
	rowset_free(q);
	conf_free(&conf);
}
END_TEST

int
main(void)
{
	Suite	*s = suite_create("shape");
	TCase	*tc = tcase_create("core");

	tcase_add_test(tc, test_shape_buckets);
	tcase_add_test(tc, test_shape_domain);
	tcase_add_test(tc, test_shape_parent);
	tcase_add_test(tc, test_shape_error);
	tcase_add_test(tc, test_shape_error_hostile);
	tcase_add_test(tc, test_shape_views);
	tcase_add_test(tc, test_shape_actions);
	suite_add_tcase(s, tc);
	return unit_run(s);
}
