/* Which registrations get keep-alives: a phone behind NAT (its REGISTER
 * came from another address than its Contact names) or one asking for
 * outbound (;ob, RFC 5626); never a phone reached where it says it is. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>
#include "sip/sipx_int.h"

static struct sipx_contact contact(const char *uri, const char *source)
{
	struct sipx_contact c;

	memset(&c, 0, sizeof(c));
	strcpy(c.uri, uri);
	assert_int_equal(0, sa_decode(&c.source, source, strlen(source)));
	c.tp = SIP_TRANSP_UDP;
	return c;
}

static void a_phone_behind_nat_is_kept_alive(void **state)
{
	struct sipx_contact c = contact("sip:1001@192.168.77.7:5060",
					"127.0.0.2:40000");
	(void)state;

	assert_true(sipx_ka_wanted(&c));
}

static void a_phone_at_its_own_address_is_not(void **state)
{
	/* Registering from one port and listening on another is no NAT. */
	struct sipx_contact c = contact("sip:1001@127.0.0.1:5070",
					"127.0.0.1:40000");
	(void)state;

	assert_false(sipx_ka_wanted(&c));
}

static void a_phone_asking_for_outbound_is_kept_alive(void **state)
{
	struct sipx_contact c = contact("sip:1001@127.0.0.1:5070;"
					"transport=tcp;ob", "127.0.0.1:40000");
	(void)state;

	assert_true(sipx_ka_wanted(&c));
	strcpy(c.uri, "sip:1001@127.0.0.1:5070;transport=tcp;obx=1");
	assert_false(sipx_ka_wanted(&c));
}

static void a_contact_naming_a_host_is_taken_as_written(void **state)
{
	struct sipx_contact c = contact("sip:1001@phone.example.com",
					"127.0.0.2:40000");
	(void)state;

	assert_false(sipx_ka_wanted(&c));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(a_phone_behind_nat_is_kept_alive),
		cmocka_unit_test(a_phone_at_its_own_address_is_not),
		cmocka_unit_test(a_phone_asking_for_outbound_is_kept_alive),
		cmocka_unit_test(a_contact_naming_a_host_is_taken_as_written),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
