/*
 * smtpctl show stats, as smtpd 6.8 printed it in the lab (the captured
 * fixtures), and the rates between two reads.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "smtpdstats.h"
#include "unit.h"

static void
read_file(const char *path, struct smtpd_stats *s)
{
	char	*buf, *line, *nl;
	size_t	 len;

	buf = unit_slurp(path, &len);
	smtpd_stats_init(s);
	for (line = buf; line < buf + len; line = nl + 1) {
		if ((nl = memchr(line, '\n', (size_t)(buf + len - line))) == NULL)
			nl = buf + len;
		smtpd_stats_line(s, line, (size_t)(nl - line));
	}
	free(buf);
}

START_TEST(test_stats_fixtures)
{
	struct smtpd_stats	 s;

	read_file(FIXTURES "/opensmtpd/show-stats.txt", &s);
	ck_assert_uint_eq(s.nbad, 0);
	ck_assert_uint_eq(s.nlines, 36);
	ck_assert_int_eq(s.v[SS_ENVELOPE], 14);
	ck_assert_int_eq(s.v[SS_INFLIGHT], 1);
	ck_assert_int_eq(s.v[SS_OK], 1);
	ck_assert_int_eq(s.v[SS_TEMPFAIL], 14);
	ck_assert_int_eq(s.v[SS_PERMFAIL], 1);
	ck_assert_int_eq(s.v[SS_BOUNCE], 1);
	ck_assert_int_eq(s.v[SS_UPTIME], 43);
	ck_assert_int_eq(s.v[SS_LOOP], 0);	/* never touched: absent */

	/* right after start: five keys, every counter 0 */
	read_file(FIXTURES "/opensmtpd/show-stats-fresh.txt", &s);
	ck_assert_uint_eq(s.nbad, 0);
	ck_assert_uint_eq(s.nlines, 5);
	ck_assert_int_eq(s.v[SS_OK], 0);
	ck_assert_int_eq(s.v[SS_UPTIME], 0);

	/* after smtpctl remove all: the scheduler counted the removals */
	read_file(FIXTURES "/opensmtpd/show-stats-after-remove-all.txt", &s);
	ck_assert_uint_eq(s.nbad, 0);
	ck_assert_int_eq(s.v[SS_REMOVED], 13);
	ck_assert_int_eq(s.v[SS_ENVELOPE], 2);
	ck_assert_int_eq(s.v[SS_UPTIME], 137);
}
END_TEST

static int
line(struct smtpd_stats *s, const char *l)
{
	return smtpd_stats_line(s, l, strlen(l));
}

START_TEST(test_stats_lines)
{
	struct smtpd_stats	 s;

	smtpd_stats_init(&s);
	ck_assert_int_eq(line(&s, "uptime.human=2m17s"), 0);
	ck_assert_int_eq(line(&s, "mta.task.running=0"), 0);
	ck_assert_int_eq(line(&s, "scheduler.delivery.ok=9007199254740992"), 0);
	ck_assert_int_eq(s.v[SS_OK], 9007199254740992LL);
	/* a wrapped size_t, or beyond what a counter reaches: no data */
	ck_assert_int_eq(line(&s, "scheduler.delivery.ok=18446744073709551615"),
	    -1);
	ck_assert_int_eq(line(&s, "scheduler.delivery.ok=9007199254740993"),
	    -1);
	/* a gauge taken below 0 is kept; a counter cannot be */
	ck_assert_int_eq(line(&s, "scheduler.envelope=-2"), 0);
	ck_assert_int_eq(s.v[SS_ENVELOPE], -2);
	ck_assert_int_eq(line(&s, "scheduler.delivery.ok=-2"), -1);
	ck_assert_int_eq(line(&s, "scheduler.delivery.ok=184467440737095516150"),
	    -1);
	ck_assert_int_eq(line(&s, "scheduler.delivery.ok=12a"), -1);
	ck_assert_int_eq(line(&s, "scheduler.delivery.ok="), -1);
	ck_assert_int_eq(line(&s, "scheduler.delivery.ok=-"), -1);
	ck_assert_int_eq(line(&s, "=3"), -1);
	ck_assert_int_eq(line(&s, "smtpctl: smtpd doesn't seem to be running"),
	    -1);
	ck_assert_int_eq(line(&s, "Scheduler.Delivery.OK=3"), -1);
	ck_assert_int_eq(line(&s, ""), -1);
	ck_assert_int_eq(s.v[SS_OK], 9007199254740992LL);	/* left alone */
	ck_assert_uint_eq(s.nlines, 4);
	ck_assert_uint_eq(s.nbad, 11);
}
END_TEST

START_TEST(test_stats_rates)
{
	struct smtpd_stats	 a, b;
	struct smtpd_rates	 r;

	smtpd_stats_init(&a);
	smtpd_stats_init(&b);
	a.v[SS_UPTIME] = 100;
	a.v[SS_ENVELOPE] = 50;
	a.v[SS_OK] = 10;
	a.v[SS_TEMPFAIL] = 5;
	b = a;
	b.v[SS_UPTIME] = 130;
	/* in 30 s: 6 delivered, 3 tempfailed, 1 bounced, 2 expired, and
	 * the queue grew by 4: 4 + 6 + 2 = 12 envelopes came in */
	b.v[SS_OK] = 16;
	b.v[SS_TEMPFAIL] = 8;
	b.v[SS_BOUNCE] = 1;
	b.v[SS_EXPIRED] = 2;
	b.v[SS_ENVELOPE] = 54;
	ck_assert_int_eq(smtpd_stats_rates(&a, &b, 30, &r), 0);
	ck_assert(r.ok == 12 && r.tempfail == 6 && r.bounce == 2);
	ck_assert(r.queued == 24 && r.permfail == 0);

	/* smtpd restarted: no rates, rather than made-up ones */
	b.v[SS_UPTIME] = 5;
	ck_assert_int_eq(smtpd_stats_rates(&a, &b, 30, &r), -1);
	b.v[SS_UPTIME] = 130;
	b.v[SS_OK] = 3;
	ck_assert_int_eq(smtpd_stats_rates(&a, &b, 30, &r), -1);
	b.v[SS_OK] = 16;
	ck_assert_int_eq(smtpd_stats_rates(&a, &b, 0, &r), -1);
}
END_TEST

int
main(void)
{
	Suite	*s = suite_create("smtpdstats");
	TCase	*tc = tcase_create("core");

	tcase_add_test(tc, test_stats_fixtures);
	tcase_add_test(tc, test_stats_lines);
	tcase_add_test(tc, test_stats_rates);
	suite_add_tcase(s, tc);
	return unit_run(s);
}
