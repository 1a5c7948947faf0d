/* trunk/cidr: a trunk's calls are recognised by the network they come
 * from, IPv4 and IPv6, written as CIDR or as one address. */
#include <arpa/inet.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>
#include <re_types.h>
#include <re_list.h>
#include "trunk/trunk_int.h"

static bool in(const char *cidr, const char *ip)
{
	struct trunk_cidr c;
	uint8_t a[16];
	int af = strchr(ip, ':') ? AF_INET6 : AF_INET;

	assert_int_equal(0, trunk_cidr_parse(cidr, &c));
	assert_int_equal(1, inet_pton(af, ip, a));
	return trunk_cidr_match(&c, af, a);
}

static void an_ipv4_network_holds_its_addresses_only(void **state)
{
	(void)state;
	assert_true(in("192.0.2.0/24", "192.0.2.1"));
	assert_true(in("192.0.2.0/24", "192.0.2.255"));
	assert_false(in("192.0.2.0/24", "192.0.3.1"));
	assert_true(in("10.0.0.0/8", "10.200.1.2"));
	assert_false(in("10.0.0.0/8", "11.0.0.1"));
}

static void a_prefix_not_on_a_byte_boundary_counts_its_bits(void **state)
{
	(void)state;
	assert_true(in("192.0.2.64/27", "192.0.2.95"));
	assert_false(in("192.0.2.64/27", "192.0.2.96"));
	assert_false(in("192.0.2.64/27", "192.0.2.63"));
}

static void one_address_is_a_network_of_one(void **state)
{
	(void)state;
	assert_true(in("127.0.0.2", "127.0.0.2"));
	assert_false(in("127.0.0.2", "127.0.0.3"));
	assert_true(in("::1", "::1"));
	assert_false(in("::1", "::2"));
}

static void ipv6_networks_match_ipv6_and_not_ipv4(void **state)
{
	(void)state;
	assert_true(in("2001:db8::/32", "2001:db8:1::5"));
	assert_false(in("2001:db8::/32", "2001:db9::5"));
	assert_false(in("2001:db8::/32", "192.0.2.1"));
}

static void an_ipv4_mapped_source_matches_its_ipv4_network(void **state)
{
	(void)state;
	assert_true(in("192.0.2.0/24", "::ffff:192.0.2.9"));
	assert_false(in("192.0.2.0/24", "::ffff:192.0.3.9"));
}

static void the_everything_networks_hold_everything(void **state)
{
	(void)state;
	assert_true(in("0.0.0.0/0", "203.0.113.7"));
	assert_true(in("::/0", "2001:db8::1"));
}

static void host_bits_are_cleared_and_printed_as_the_network(void **state)
{
	struct trunk_cidr c;
	char text[64];
	(void)state;

	assert_int_equal(0, trunk_cidr_parse("10.1.2.3/8", &c));
	trunk_cidr_print(&c, text, sizeof(text));
	assert_string_equal("10.0.0.0/8", text);
	assert_true(in("10.1.2.3/8", "10.9.9.9"));
}

static void bad_networks_are_refused(void **state)
{
	static const char *const bad[] = {
		"", "10.0.0.0/33", "2001:db8::/129", "10.0.0/8", "host.example",
		"10.0.0.0/", "10.0.0.0/x", "10.0.0.0/-1", "/8", "10.0.0.0/8/8",
	};
	struct trunk_cidr c;
	(void)state;

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_int_equal(EINVAL, trunk_cidr_parse(bad[i], &c));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(an_ipv4_network_holds_its_addresses_only),
		cmocka_unit_test(a_prefix_not_on_a_byte_boundary_counts_its_bits),
		cmocka_unit_test(one_address_is_a_network_of_one),
		cmocka_unit_test(ipv6_networks_match_ipv6_and_not_ipv4),
		cmocka_unit_test(an_ipv4_mapped_source_matches_its_ipv4_network),
		cmocka_unit_test(the_everything_networks_hold_everything),
		cmocka_unit_test(host_bits_are_cleared_and_printed_as_the_network),
		cmocka_unit_test(bad_networks_are_refused),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
