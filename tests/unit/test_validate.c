/*
 * valid_evpid and valid_msgid: the last check before an id reaches
 * smtpctl's argv; ip_unmap4 and ip_special: what w and W whitelist, and
 * what they warn about; address_problem: the recipient A hands
 * amavisd-release.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

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

START_TEST(test_unmap4)
{
	char	 out[64];

	ck_assert_int_eq(ip_unmap4("::ffff:192.0.2.1", out, sizeof(out)), 0);
	ck_assert_str_eq(out, "192.0.2.1");
	ck_assert_int_eq(ip_unmap4("::FFFF:198.51.100.7", out, sizeof(out)), 0);
	ck_assert_str_eq(out, "198.51.100.7");
	ck_assert_int_eq(ip_unmap4("0:0:0:0:0:ffff:c000:0201", out,
	    sizeof(out)), 0);
	ck_assert_str_eq(out, "192.0.2.1");
	/* not mapped: left alone */
	ck_assert_int_eq(ip_unmap4("192.0.2.1", out, sizeof(out)), -1);
	ck_assert_int_eq(ip_unmap4("2001:db8::1", out, sizeof(out)), -1);
	ck_assert_int_eq(ip_unmap4("::192.0.2.1", out, sizeof(out)), -1);
	ck_assert_int_eq(ip_unmap4("::ffff:192.0.2", out, sizeof(out)), -1);
	ck_assert_int_eq(ip_unmap4("::ffff:192.0.2.1", out, 4), -1);
}
END_TEST

static const struct {
	const char	*ip, *kind;
} specials[] = {
	{ "127.0.0.1",		"a loopback address" },
	{ "127.255.0.9",	"a loopback address" },
	{ "::1",		"a loopback address" },
	{ "0.0.0.0",		"the unspecified address" },
	{ "::",			"the unspecified address" },
	{ "10.1.2.3",		"a private address" },
	{ "172.16.0.1",		"a private address" },
	{ "172.31.255.255",	"a private address" },
	{ "192.168.1.5",	"a private address" },
	{ "fd00::5",		"a private address" },
	{ "100.64.0.1",		"a shared (carrier-grade NAT) address" },
	{ "169.254.1.1",	"a link-local address" },
	{ "fe80::1",		"a link-local address" },
	{ "224.0.0.1",		"a multicast address" },
	{ "ff02::1",		"a multicast address" },
	{ "255.255.255.255",	"the broadcast address" },
	{ "::ffff:10.0.0.1",	"a private address" },
	/* ordinary senders */
	{ "172.32.0.1",		NULL },
	{ "172.15.0.1",		NULL },
	{ "100.128.0.1",	NULL },
	{ "192.0.2.1",		NULL },
	{ "40.107.22.71",	NULL },
	{ "2001:db8::25",	NULL },
	{ "not an ip",		NULL },
};

START_TEST(test_special)
{
	const char	*got = ip_special(specials[_i].ip);

	if (specials[_i].kind == NULL)
		ck_assert_msg(got == NULL, "%s: \"%s\"", specials[_i].ip, got);
	else
		ck_assert_msg(got != NULL && strcmp(got, specials[_i].kind) ==
		    0, "%s: \"%s\", not \"%s\"", specials[_i].ip,
		    got ? got : "(null)", specials[_i].kind);
}
END_TEST

/* This host's own addresses: loopback is one, and says so first. */
START_TEST(test_local)
{
	ip_local_init();
	ck_assert_str_eq(ip_special("127.0.0.1"), "an address of this relay");
	ck_assert_ptr_null(ip_special("192.0.2.1"));
}
END_TEST

/* What A may hand amavisd-release as an alternate recipient. */
START_TEST(test_address)
{
	static const char *const good[] = {
		"alt@example.net", "a@b", "root@localhost",
		"first.last+tag@mail.example.org", "o'brien@example.ie",
		"x!#$%&'*+/=?^_`{|}~-y@example.com", "a@[192.0.2.1]",
		"a@[IPv6:2001:db8::1]", "a-b@x-y.example",
	};
	static const struct {
		const char	*addr, *why;
	} bad[] = {
		{ "", "no address" },
		{ "alt", "no '@' in it" },
		{ "-alt@example.net", "it starts with '-'" },
		{ "--help", "it starts with '-'" },
		{ "alt @example.net", "a space or control character in it" },
		{ "alt@example.net ", "a space or control character in it" },
		{ "alt@exa\tmple.net", NULL },
		{ "alt@example.net\n", NULL },
		{ "al\x7ft@example.net", "a space or control character in it" },
		{ "j\xc3\xb6rg@example.net", "not ASCII" },
		{ "@example.net", "nothing before the '@'" },
		{ "alt@", "no domain after the '@'" },
		{ ".alt@example.net", "a dot at an end of the local part" },
		{ "alt.@example.net", "a dot at an end of the local part" },
		{ "a..lt@example.net", "two dots in a row" },
		{ "\"a b\"@example.net", NULL },
		{ "\"ab\"@example.net",
		    "a character an unquoted local part may not have" },
		{ "a@b@example.net",
		    "a character an unquoted local part may not have" },
		{ "<alt@example.net>",
		    "a character an unquoted local part may not have" },
		{ "a,b@example.net",
		    "a character an unquoted local part may not have" },
		{ "alt@example..net", "the domain is not a host name" },
		{ "alt@example.net.", "the domain is not a host name" },
		{ "alt@-example.net", "the domain is not a host name" },
		{ "alt@example-.net", "the domain is not a host name" },
		{ "alt@exa_mple.net", "the domain is not a host name" },
		{ "alt@[192.0.2.300]", "the domain is not a host name" },
		{ "alt@[2001:db8::1]", "the domain is not a host name" },
		{ "alt@example.net>", "the domain is not a host name" },
	};
	char		 longer[300];
	const char	*why;
	size_t		 i;

	for (i = 0; i < nitems(good); i++)
		ck_assert_msg(address_problem(good[i]) == NULL, "%s: %s",
		    good[i], address_problem(good[i]));
	for (i = 0; i < nitems(bad); i++) {
		why = address_problem(bad[i].addr);
		ck_assert_msg(why != NULL, "%s accepted", bad[i].addr);
		if (bad[i].why != NULL)
			ck_assert_str_eq(why, bad[i].why);
	}
	ck_assert_ptr_nonnull(address_problem(NULL));
	/* 254 characters, the most a path holds; 255 are too many */
	memset(longer, 'a', sizeof(longer));
	memcpy(longer + 254 - 12, "@example.net", 13);
	ck_assert_ptr_null(address_problem(longer));
	memset(longer, 'a', sizeof(longer));
	memcpy(longer + 255 - 12, "@example.net", 13);
	ck_assert_str_eq(address_problem(longer), "longer than 254 characters");
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
	tc = tcase_create("addresses");
	tcase_add_test(tc, test_unmap4);
	tcase_add_loop_test(tc, test_special, 0, (int)nitems(specials));
	tcase_add_test(tc, test_local);
	tcase_add_test(tc, test_address);
	suite_add_tcase(s, tc);
	return unit_run(s);
}
