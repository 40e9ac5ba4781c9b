/*
 * smtpctl show stats, as smtpd 6.8 printed it in the lab (the captured
 * fixtures), and the rates between two reads.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "queuestats.h"
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

/* One read of show stats at time t: lines, exit status. */
static void
qread(struct qstats *q, time_t t, const char *text, int status)
{
	const char	*p, *nl;

	qstats_begin(q);
	for (p = text; *p != '\0'; p = nl + 1) {
		nl = strchr(p, '\n');
		qstats_line(q, p, (size_t)(nl - p));
	}
	qstats_done(q, status, status ? "smtpctl: need root privileges\n" :
	    "", "/usr/sbin/smtpctl");
	qstats_finish(q, t);
}

/*
 * The strip: the counters since smtpd started until two reads are 20 s
 * apart, then the rates of the last 5 minutes (between the first read of
 * the minute 5 minutes back and the newest) and a block a minute; a
 * restart starts again; a failed read says so, in bold.
 */
START_TEST(test_strip)
{
	struct qstats	 q;
	char		 buf[512], text[512];
	time_t		 t0 = 1795525200;	/* a minute's start */
	int		 m;

	memset(&q, 0, sizeof(q));
	qread(&q, t0, "scheduler.delivery.ok=10\nscheduler.envelope=50\n"
	    "uptime=1000\n", 0);
	qstats_line_text(&q, buf, sizeof(buf));
	ck_assert_str_eq(buf, "counters since smtpd started 16m40s ago: "
	    "delivered 10, tempfail 0, permfail 0, bounces 0; rates after 20 s");
	/* every 10 s for 7 minutes: 1 delivered and 1 tempfail a read, the
	 * queue one envelope bigger each minute */
	for (m = 1; m <= 42; m++) {
		snprintf(text, sizeof(text), "scheduler.delivery.ok=%d\n"
		    "scheduler.delivery.tempfail=%d\nscheduler.envelope=%d\n"
		    "uptime=%d\n", 10 + m, m, 50 + m / 6, 1000 + 10 * m);
		qread(&q, t0 + 10 * m, text, 0);
	}
	ck_assert_uint_eq(q.n, 8);
	qstats_line_text(&q, buf, sizeof(buf));
	/* 5 minutes back from 7:00, the first read of minute 2 (2:00):
	 * 30 delivered, 30 tempfails, the queue 5 bigger: 35 came in */
	ck_assert_msg(strncmp(buf, "last 5m00s, per min: 7.0 queued  6.0 "
	    "delivered  6.0 tempfail  0.0 permfail  0.0 bounces   queue ",
	    strlen("last 5m00s, per min: 7.0 queued  6.0 delivered  6.0 "
	    "tempfail  0.0 permfail  0.0 bounces   queue ")) == 0, "%s", buf);
	ck_assert(strstr(buf, "tempfails ") != NULL);

	/* smtpd restarted: since it started, again */
	qread(&q, t0 + 500, "scheduler.delivery.ok=1\nuptime=5\n", 0);
	ck_assert_uint_eq(q.n, 1);
	qstats_line_text(&q, buf, sizeof(buf));
	ck_assert(strncmp(buf, "counters since smtpd started 5s ago: "
	    "delivered 1,", 37) == 0);

	/* show stats refused: said, in bold; the samples kept */
	qread(&q, t0 + 510, "", 1);
	qstats_line_text(&q, buf, sizeof(buf));
	ck_assert_msg(strncmp(buf, "!counters: smtpctl show stats: exit 1: "
	    "smtpctl: need root privileges", 68) == 0, "%s", buf);
	ck_assert_uint_eq(q.n, 1);
	qread(&q, t0 + 520, "this is not show stats\n", 0);
	qstats_line_text(&q, buf, sizeof(buf));
	ck_assert_str_eq(buf, "!counters: smtpctl show stats: no key=value "
	    "line");

	/* smtpd not running: no show stats, nothing said */
	qstats_begin(&q);
	qstats_finish(&q, t0 + 530);
	qstats_line_text(&q, buf, sizeof(buf));
	ck_assert_str_eq(buf, "");
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
	tcase_add_test(tc, test_strip);
	suite_add_tcase(s, tc);
	return unit_run(s);
}
