/*
 * Regression: queue_count() once used oldest == 0 to mean "no row yet", so
 * a row with ctime 0 (the parser accepts it) was forgotten as soon as the
 * next row was counted.  Found by tests/fuzz/fuzz_queue_parse.
 */
#include "config.h"

#include "queue.h"
#include "unit.h"

START_TEST(test_ctime_zero)
{
	struct queue_counts	 qc;
	struct rowset		*rs;

	rs = unit_parse_text(
	    "0000000000000001|inet4|mta||a@b|c@d|c@d|0|0|0|0|pending|1|\n"
	    "0000000000000002|inet4|mta||a@b|c@d|c@d|100|0|0|0|pending|1|\n");
	ck_assert_uint_eq(rs->nrows, 2);
	queue_sort(rs);
	queue_count(rs, &qc);
	ck_assert_uint_eq(qc.total, 2);
	ck_assert_int_eq(qc.oldest, 0);
	rowset_free(rs);
}
END_TEST

int
main(void)
{
	Suite	*s = suite_create("xfail_oldest");
	TCase	*tc = tcase_create("count");

	tcase_add_test(tc, test_ctime_zero);
	suite_add_tcase(s, tc);
	return unit_run(s);
}
