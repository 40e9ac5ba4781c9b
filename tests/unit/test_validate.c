/* valid_evpid and valid_msgid: the last check before an id reaches smtpctl's argv. */
#include "config.h"

#include <stdlib.h>

#include "validate.h"
#include "unit.h"

START_TEST(test_evpid)
{
	ck_assert_int_eq(valid_evpid("0862d5e211583af9"), 1);
	ck_assert_int_eq(valid_evpid("0862D5E211583AF9"), 1);
	ck_assert_int_eq(valid_evpid("ffffffffffffffff"), 1);
	ck_assert_int_eq(valid_evpid("0000000000000001"), 1);
	ck_assert_int_eq(valid_evpid("1000000000000000"), 1);

	ck_assert_int_eq(valid_evpid("0000000000000000"), 0);
	ck_assert_int_eq(valid_evpid("0862d5e211583af"), 0);	/* 15 */
	ck_assert_int_eq(valid_evpid("0862d5e211583af90"), 0);	/* 17 */
	ck_assert_int_eq(valid_evpid("0862d5e211583afg"), 0);
	ck_assert_int_eq(valid_evpid("0862d5e2 1583af9"), 0);
	ck_assert_int_eq(valid_evpid("-862d5e211583af9"), 0);
	ck_assert_int_eq(valid_evpid("0x62d5e211583af9"), 0);
	ck_assert_int_eq(valid_evpid("0862d5e211583af\n"), 0);
	ck_assert_int_eq(valid_evpid("0862d5e2"), 0);		/* a msgid */
	ck_assert_int_eq(valid_evpid("all"), 0);
	ck_assert_int_eq(valid_evpid("-all"), 0);
	ck_assert_int_eq(valid_evpid(""), 0);
	ck_assert_int_eq(valid_evpid(NULL), 0);
}
END_TEST

START_TEST(test_msgid)
{
	ck_assert_int_eq(valid_msgid("aca65f00"), 1);
	ck_assert_int_eq(valid_msgid("ACA65F00"), 1);
	ck_assert_int_eq(valid_msgid("AcA65f00"), 1);
	ck_assert_int_eq(valid_msgid("00000001"), 1);

	ck_assert_int_eq(valid_msgid("00000000"), 0);
	ck_assert_int_eq(valid_msgid("aca65f0"), 0);		/* 7 */
	ck_assert_int_eq(valid_msgid("aca65f000"), 0);		/* 9 */
	ck_assert_int_eq(valid_msgid("aca65f001fc08029"), 0);	/* an evpid */
	ck_assert_int_eq(valid_msgid("aca65g00"), 0);
	ck_assert_int_eq(valid_msgid("aca65f0 "), 0);
	ck_assert_int_eq(valid_msgid("-aca65f0"), 0);
	ck_assert_int_eq(valid_msgid(""), 0);
	ck_assert_int_eq(valid_msgid(NULL), 0);
}
END_TEST

int
main(void)
{
	Suite	*s = suite_create("validate");
	TCase	*tc = tcase_create("ids");

	tcase_add_test(tc, test_evpid);
	tcase_add_test(tc, test_msgid);
	suite_add_tcase(s, tc);
	return unit_run(s);
}
