/*
 * The marks panes give each other's rows: the hash set under them, the
 * sets the marks look up (rebuilt when the rows they hold change), and
 * the greylist's own W and T from spamdb's listing.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conf.h"
#include "links.h"
#include "queue.h"
#include "spamdb.h"
#include "u64set.h"
#include "unit.h"
#include "util.h"
#include "verdicts.h"

START_TEST(test_u64set)
{
	struct u64set	 s = { 0 };
	uint64_t	 i;

	ck_assert(!u64set_has(&s, 0));
	ck_assert(!u64set_has(&s, 42));
	for (i = 0; i < 10000; i++)
		u64set_add(&s, hash_mem(&i, sizeof(i)));
	u64set_add(&s, hash_mem(&i, 0));		/* twice, one member */
	u64set_add(&s, hash_mem(&i, 0));
	ck_assert_uint_eq(s.n, 10001);
	for (i = 0; i < 10000; i++)
		ck_assert(u64set_has(&s, hash_mem(&i, sizeof(i))));
	for (; i < 20000; i++)
		ck_assert(!u64set_has(&s, hash_mem(&i, sizeof(i))));
	/* 0 is a value like another (kept as 1) */
	ck_assert(!u64set_has(&s, 0));
	u64set_add(&s, 0);
	ck_assert(u64set_has(&s, 0));
	u64set_clear(&s);
	ck_assert_uint_eq(s.n, 0);
	i = 7;
	ck_assert(!u64set_has(&s, hash_mem(&i, sizeof(i))));
	u64set_add(&s, 5);
	ck_assert(u64set_has(&s, 5));
	u64set_free(&s);
	ck_assert(!u64set_has(&s, 5));
}
END_TEST

static void
queue_add(struct rowset *rs, const char *evpid)
{
	char	 line[512];
	int	 n;

	n = snprintf(line, sizeof(line), "%s|inet4|mta||a@a.example|"
	    "bob@example.org|bob@example.org|%lld|%lld|0|3|pending|600|"
	    "421 4.7.0 Try again later", evpid, (long long)UNIT_NOW - 600,
	    (long long)UNIT_NOW + 3600);
	ck_assert_int_eq(queue_parse_line(rs, line, (size_t)n), 0);
}

/* A verdict row: only what the marks read of it. */
static struct row *
verdict_add(struct rowset *rs, const char *key, int64_t omsgid,
    int64_t qmsgid, const char *mail_id)
{
	struct row	*r = rowset_add(rs, V_NCELLS);
	int		 i;

	for (i = 0; i < V_NCELLS; i++)
		r->cells[i].s = "";
	r->key = key;
	r->cells[V_OMSGID].i = omsgid;
	r->cells[V_QMSGID].i = qmsgid;
	r->cells[V_MAILID].s = mail_id;
	return r;
}

static int
mark_of(const struct links *l, const struct pane_desc *d,
    const struct row *r)
{
	return links_mark(l, d, NULL, r, NULL);
}

/*
 * The queue's envelopes and amavis's verdicts mark each other by smtpd's
 * msgid: the envelope of a message amavis judged (received or passed on)
 * gets V; a verdict whose message is queued gets Q.  When a pane reads
 * again, the marks follow its new rows.
 */
START_TEST(test_links_queue_verdicts)
{
	const struct pane_desc	*descs[3] = { &provider_queue.desc,
	    &provider_verdicts.desc, &provider_quarantine.desc };
	const struct rowset	*rows[3];
	struct rowset		*q = rowset_new(), *q2 = rowset_new(),
				*v = rowset_new();
	struct links		 l = { 0 };
	struct row		*got, *passed, *none, *quar;
	size_t			 which;

	queue_add(q, "1a2b3c4d5e6f7a8b");	/* msgid 1a2b3c4d */
	queue_add(q, "00000abc00000001");	/* msgid 00000abc */
	queue_add(q, "deadbeef00000001");	/* no verdict */
	got = verdict_add(v, "v1", 0x1a2b3c4d, CELL_NONE, "");
	passed = verdict_add(v, "v2", 0x11111111, 0xabc, "SkMBGGfgtCC1");
	none = verdict_add(v, "v3", CELL_NONE, CELL_NONE, "");
	quar = verdict_add(v, "v4", 0x22222222, CELL_NONE, "AbCdEf123456");
	rows[0] = q;
	rows[1] = v;
	rows[2] = NULL;			/* the quarantine has not read */

	links_update(&l, &provider_queue.desc, descs, rows, 3);
	ck_assert_int_eq(mark_of(&l, &provider_queue.desc, q->rows[0]), 'V');
	ck_assert_int_eq(mark_of(&l, &provider_queue.desc, q->rows[1]), 'V');
	ck_assert_int_eq(mark_of(&l, &provider_queue.desc, q->rows[2]), 0);

	links_update(&l, &provider_verdicts.desc, descs, rows, 3);
	ck_assert_int_eq(links_mark(&l, &provider_verdicts.desc, NULL, got,
	    &which), 'Q');
	ck_assert_int_eq(provider_verdicts.desc.marks[which].mark, 'Q');
	ck_assert_int_eq(mark_of(&l, &provider_verdicts.desc, passed), 'Q');
	ck_assert_int_eq(mark_of(&l, &provider_verdicts.desc, none), 0);
	/* no quarantine read yet: no Z, and no mark for nothing */
	ck_assert_int_eq(mark_of(&l, &provider_verdicts.desc, quar), 0);

	/* the queue reads again: 1a2b3c4d delivered, 22222222 deferred */
	queue_add(q2, "00000abc00000001");
	queue_add(q2, "2222222200000009");
	rows[0] = q2;
	links_update(&l, &provider_verdicts.desc, descs, rows, 3);
	ck_assert_int_eq(mark_of(&l, &provider_verdicts.desc, got), 0);
	ck_assert_int_eq(mark_of(&l, &provider_verdicts.desc, passed), 'Q');
	ck_assert_int_eq(mark_of(&l, &provider_verdicts.desc, quar), 'Q');
	/* the verdicts' sets did not hold the queue: the queue's do */
	links_update(&l, &provider_queue.desc, descs, rows, 3);
	ck_assert_int_eq(mark_of(&l, &provider_queue.desc, q2->rows[1]), 'V');

	/* who needs whom: what the panes on screen must read */
	ck_assert(links_needs(&provider_queue.desc, &provider_verdicts.desc));
	ck_assert(!links_needs(&provider_queue.desc, &provider_queue.desc));
	ck_assert(!links_needs(&provider_queue.desc,
	    &provider_quarantine.desc));
	ck_assert(links_needs(&provider_verdicts.desc, &provider_queue.desc));
	ck_assert(links_needs(&provider_verdicts.desc,
	    &provider_quarantine.desc));
	ck_assert(!links_needs(&provider_verdicts.desc,
	    &provider_verdicts.desc));
	ck_assert(!links_needs(&provider_grey.desc, &provider_white.desc));
	ck_assert(links_offers(&provider_quarantine.desc,
	    "mail_id quarantined"));

	links_free(&l);
	rowset_free(q);
	rowset_free(q2);
	rowset_free(v);
}
END_TEST

/*
 * A greylist tuple whose IP spamdb also lists WHITE or TRAPPED, in the
 * same listing, however the address is written there; a bad WHITE line
 * marks nothing, and the next read's marks are its own.
 */
START_TEST(test_links_grey_own)
{
	static const char *const lines[] = {
		"GREY|192.0.2.10|mx.a.example|<a@a.example>|<b@example.org>|"
		    "1795000000|1795001500|1795014400|1|0",
		"GREY|192.0.2.11|mx.a.example|<a@a.example>|<b@example.org>|"
		    "1795000000|1795001500|1795014400|1|0",
		"GREY|2001:db8::5|mx.a.example|<a@a.example>|<b@example.org>|"
		    "1795000000|1795001500|1795014400|1|0",
		"GREY|192.0.2.12|mx.a.example|<a@a.example>|<b@example.org>|"
		    "1795000000|1795001500|1795014400|1|0",
		"WHITE|192.0.2.10|||1794000000|1794001500|1797000000|1|1",
		"WHITE|2001:DB8:0:0::5|||1794000000|1794001500|1797000000|1|1",
		"TRAPPED|192.0.2.11|1797000000",
		"WHITE|192.0.2.12|||1794000000|oops|1797000000|1|1",
	};
	struct conf		 conf;
	struct rowset		*rs, *rs2;
	struct links		 l = { 0 };
	char			 line[256];
	void			*st;
	size_t			 i, k;
	int			 want[4] = { 'W', 'T', 'W', 0 }, m;

	conf_defaults(&conf);
	st = provider_grey.src.create(&conf);
	provider_grey.src.poll_begin(st, UNIT_NOW);
	for (i = 0; i < nitems(lines); i++) {
		xstrlcpy(line, lines[i], sizeof(line));
		provider_grey.src.poll_line(st, 0, line, strlen(line));
	}
	provider_grey.src.poll_step_done(st, 0, 0, "");
	rs = provider_grey.src.poll_finish(st);
	ck_assert_uint_eq(rs->nrows, 4);
	ck_assert_uint_eq(rs->nbad, 1);
	for (i = 0; i < rs->nrows; i++) {
		for (k = 0; k < 4 && strcmp(lines[k] + 5,
		    rs->rows[i]->cells[G_IP].s) != 0 && strncmp(lines[k] + 5,
		    rs->rows[i]->cells[G_IP].s,
		    strlen(rs->rows[i]->cells[G_IP].s)) != 0; k++)
			;
		ck_assert_uint_lt(k, 4);
		m = links_mark(&l, &provider_grey.desc, st, rs->rows[i], NULL);
		ck_assert_msg(m == want[k], "%s: mark %d, not %d",
		    rs->rows[i]->cells[G_IP].s, m, want[k]);
	}

	/* read again: the whitelist is gone, and so are the marks */
	provider_grey.src.poll_begin(st, UNIT_NOW);
	for (i = 0; i < 4; i++) {
		xstrlcpy(line, lines[i], sizeof(line));
		provider_grey.src.poll_line(st, 0, line, strlen(line));
	}
	provider_grey.src.poll_step_done(st, 0, 0, "");
	rs2 = provider_grey.src.poll_finish(st);
	rowset_free(rs);
	for (i = 0; i < rs2->nrows; i++)
		ck_assert_int_eq(links_mark(&l, &provider_grey.desc, st,
		    rs2->rows[i], NULL), 0);
	provider_grey.src.destroy(st);
	rowset_free(rs2);
	conf_free(&conf);
}
END_TEST

int
main(void)
{
	Suite	*s = suite_create("links");
	TCase	*tc = tcase_create("core");

	tcase_add_test(tc, test_u64set);
	tcase_add_test(tc, test_links_queue_verdicts);
	tcase_add_test(tc, test_links_grey_own);
	suite_add_tcase(s, tc);
	return unit_run(s);
}
