/* The location service: what an extension's bindings are after REGISTERs
 * add, refresh and remove contacts, after time passes, and when a phone
 * brings more contacts than an extension may hold. Every change is told
 * to the handler with its reason and how many bindings are left. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>
#include "sip/sipx_int.h"

struct seen {
	int n;
	char ext[8][SIPX_EXT_SZ];
	char uri[8][SIPX_URI_SZ];
	enum sipx_loc_why why[8];
	uint32_t left[8];
};

static void on_change(const char *ext, const struct sipx_contact *c,
		      enum sipx_loc_why why, uint32_t left, void *arg)
{
	struct seen *s = arg;

	if (s->n >= 8)
		return;
	strcpy(s->ext[s->n], ext);
	strcpy(s->uri[s->n], c->uri);
	s->why[s->n] = why;
	s->left[s->n] = left;
	s->n++;
}

static struct sipx_contact contact(const char *uri, int64_t expires_at)
{
	struct sipx_contact c;

	memset(&c, 0, sizeof(c));
	strcpy(c.uri, uri);
	c.expires_at_ms = expires_at;
	c.tp = SIP_TRANSP_UDP;
	strcpy(c.call_id, "cid");
	c.cseq = 1;
	return c;
}

static int setup(void **state)
{
	struct sipx_loc *l = NULL;

	if (sipx_loc_alloc(&l, 3))
		return -1;
	*state = l;
	return 0;
}

static int teardown(void **state)
{
	mem_deref(*state);
	return 0;
}

static void a_new_contact_is_bound_and_told_as_new(void **state)
{
	struct sipx_loc *l = *state;
	struct sipx_contact c = contact("sip:1001@192.0.2.1:5062", 3600000);
	struct sipx_contact v[4];
	struct seen s = {0};

	assert_int_equal(0, sipx_loc_bind(l, "1001", &c, on_change, &s));
	assert_int_equal(1, s.n);
	assert_int_equal(SIPX_LOC_NEW, s.why[0]);
	assert_int_equal(1, s.left[0]);
	assert_string_equal("1001", s.ext[0]);
	assert_int_equal(1, sipx_loc_get(l, "1001", v, 4));
	assert_string_equal("sip:1001@192.0.2.1:5062", v[0].uri);
	assert_int_equal(0, sipx_loc_get(l, "1002", v, 4));
}

static void the_same_contact_again_is_a_refresh_with_the_new_expiry(void **state)
{
	struct sipx_loc *l = *state;
	struct sipx_contact c = contact("sip:1001@192.0.2.1", 60000);
	struct sipx_contact v[4];
	struct seen s = {0};

	sipx_loc_bind(l, "1001", &c, NULL, NULL);
	c.expires_at_ms = 120000;
	c.cseq = 2;
	assert_int_equal(0, sipx_loc_bind(l, "1001", &c, on_change, &s));
	assert_int_equal(SIPX_LOC_REFRESH, s.why[0]);
	assert_int_equal(1, sipx_loc_get(l, "1001", v, 4));
	assert_int_equal(120000, v[0].expires_at_ms);
	assert_int_equal(2, sipx_loc_find(l, "1001", "sip:1001@192.0.2.1")->cseq);
}

static void several_contacts_are_listed_latest_expiry_first(void **state)
{
	struct sipx_loc *l = *state;
	struct sipx_contact a = contact("sip:a@h", 50000);
	struct sipx_contact b = contact("sip:b@h", 90000);
	struct sipx_contact c = contact("sip:c@h", 70000);
	struct sipx_contact v[4];

	sipx_loc_bind(l, "1001", &a, NULL, NULL);
	sipx_loc_bind(l, "1001", &b, NULL, NULL);
	sipx_loc_bind(l, "1001", &c, NULL, NULL);
	assert_int_equal(3, sipx_loc_get(l, "1001", v, 4));
	assert_string_equal("sip:b@h", v[0].uri);
	assert_string_equal("sip:c@h", v[1].uri);
	assert_string_equal("sip:a@h", v[2].uri);
	/* A short buffer gets the first ones. */
	assert_int_equal(2, sipx_loc_get(l, "1001", v, 2));
}

static void a_full_extension_drops_the_binding_expiring_soonest(void **state)
{
	struct sipx_loc *l = *state;
	struct sipx_contact a = contact("sip:a@h", 50000);
	struct sipx_contact b = contact("sip:b@h", 40000);
	struct sipx_contact c = contact("sip:c@h", 70000);
	struct sipx_contact d = contact("sip:d@h", 80000);
	struct sipx_contact v[4];
	struct seen s = {0};

	sipx_loc_bind(l, "1001", &a, NULL, NULL);
	sipx_loc_bind(l, "1001", &b, NULL, NULL);
	sipx_loc_bind(l, "1001", &c, NULL, NULL);
	assert_int_equal(0, sipx_loc_bind(l, "1001", &d, on_change, &s));
	assert_int_equal(2, s.n);
	assert_int_equal(SIPX_LOC_REPLACED, s.why[0]);
	assert_string_equal("sip:b@h", s.uri[0]);
	assert_int_equal(2, s.left[0]);
	assert_int_equal(SIPX_LOC_NEW, s.why[1]);
	assert_int_equal(3, s.left[1]);
	assert_int_equal(3, sipx_loc_get(l, "1001", v, 4));
	assert_null(sipx_loc_find(l, "1001", "sip:b@h"));
}

static void with_room_for_one_a_new_contact_replaces_the_old(void **state)
{
	struct sipx_loc *l = NULL;
	struct sipx_contact a = contact("sip:a@h", 50000);
	struct sipx_contact b = contact("sip:b@h", 40000);
	struct sipx_contact v[2];
	struct seen s = {0};

	(void)state;
	assert_int_equal(0, sipx_loc_alloc(&l, 1));
	sipx_loc_bind(l, "1001", &a, NULL, NULL);
	assert_int_equal(0, sipx_loc_bind(l, "1001", &b, on_change, &s));
	assert_int_equal(SIPX_LOC_REPLACED, s.why[0]);
	assert_int_equal(0, s.left[0]);
	assert_int_equal(1, s.left[1]);
	assert_int_equal(1, sipx_loc_get(l, "1001", v, 2));
	assert_string_equal("sip:b@h", v[0].uri);
	mem_deref(l);
}

static void unbinding_removes_one_contact(void **state)
{
	struct sipx_loc *l = *state;
	struct sipx_contact a = contact("sip:a@h", 50000);
	struct sipx_contact b = contact("sip:b@h", 60000);
	struct sipx_contact v[4];
	struct seen s = {0};

	sipx_loc_bind(l, "1001", &a, NULL, NULL);
	sipx_loc_bind(l, "1001", &b, NULL, NULL);
	assert_int_equal(0, sipx_loc_unbind(l, "1001", "sip:a@h", on_change, &s));
	assert_int_equal(SIPX_LOC_UNREGISTER, s.why[0]);
	assert_int_equal(1, s.left[0]);
	assert_int_equal(ENOENT, sipx_loc_unbind(l, "1001", "sip:a@h", NULL, NULL));
	assert_int_equal(ENOENT, sipx_loc_unbind(l, "1009", "sip:a@h", NULL, NULL));
	assert_int_equal(1, sipx_loc_get(l, "1001", v, 4));
	assert_int_equal(0, sipx_loc_unbind(l, "1001", "sip:b@h", on_change, &s));
	assert_int_equal(0, s.left[1]);
	assert_int_equal(0, sipx_loc_get(l, "1001", v, 4));
}

static void star_removes_every_contact_of_that_extension_only(void **state)
{
	struct sipx_loc *l = *state;
	struct sipx_contact a = contact("sip:a@h", 50000);
	struct sipx_contact b = contact("sip:b@h", 60000);
	struct sipx_contact v[4];
	struct seen s = {0};

	sipx_loc_bind(l, "1001", &a, NULL, NULL);
	sipx_loc_bind(l, "1001", &b, NULL, NULL);
	sipx_loc_bind(l, "1002", &a, NULL, NULL);
	sipx_loc_unbind_all(l, "1001", on_change, &s);
	assert_int_equal(2, s.n);
	assert_int_equal(1, s.left[0]);
	assert_int_equal(0, s.left[1]);
	assert_int_equal(0, sipx_loc_get(l, "1001", v, 4));
	assert_int_equal(1, sipx_loc_get(l, "1002", v, 4));
	sipx_loc_unbind_all(l, "1003", on_change, &s);
	assert_int_equal(2, s.n);
}

static void expiry_removes_exactly_the_bindings_whose_time_is_up(void **state)
{
	struct sipx_loc *l = *state;
	struct sipx_contact a = contact("sip:a@h", 50000);
	struct sipx_contact b = contact("sip:b@h", 60000);
	struct sipx_contact c = contact("sip:c@h", 50000);
	struct sipx_contact v[4];
	struct seen s = {0};

	sipx_loc_bind(l, "1001", &a, NULL, NULL);
	sipx_loc_bind(l, "1001", &b, NULL, NULL);
	sipx_loc_bind(l, "1002", &c, NULL, NULL);
	sipx_loc_expire(l, 49999, on_change, &s);
	assert_int_equal(0, s.n);
	/* Due at 50 s: the binding ends at its expiry instant. */
	sipx_loc_expire(l, 50000, on_change, &s);
	assert_int_equal(2, s.n);
	assert_int_equal(SIPX_LOC_EXPIRED, s.why[0]);
	assert_int_equal(SIPX_LOC_EXPIRED, s.why[1]);
	assert_int_equal(1, sipx_loc_get(l, "1001", v, 4));
	assert_string_equal("sip:b@h", v[0].uri);
	assert_int_equal(0, sipx_loc_get(l, "1002", v, 4));
	sipx_loc_expire(l, 60000, on_change, &s);
	assert_int_equal(3, s.n);
	assert_int_equal(0, s.left[2]);
}

static void a_refresh_postpones_expiry(void **state)
{
	struct sipx_loc *l = *state;
	struct sipx_contact a = contact("sip:a@h", 50000);
	struct sipx_contact v[4];

	sipx_loc_bind(l, "1001", &a, NULL, NULL);
	a.expires_at_ms = 110000;
	sipx_loc_bind(l, "1001", &a, NULL, NULL);
	sipx_loc_expire(l, 60000, NULL, NULL);
	assert_int_equal(1, sipx_loc_get(l, "1001", v, 4));
}

static void apply_visits_every_binding(void **state)
{
	struct sipx_loc *l = *state;
	struct sipx_contact a = contact("sip:a@h", 50000);
	struct sipx_contact b = contact("sip:b@h", 60000);
	struct seen s = {0};

	sipx_loc_bind(l, "1001", &a, NULL, NULL);
	sipx_loc_bind(l, "1002", &b, NULL, NULL);
	sipx_loc_apply(l, on_change, &s);
	assert_int_equal(2, s.n);
}

static void bad_arguments_are_refused(void **state)
{
	struct sipx_loc *l = *state;
	struct sipx_contact a = contact("sip:a@h", 50000);
	struct sipx_contact empty = contact("", 50000);
	char longext[64];

	memset(longext, '1', sizeof(longext) - 1);
	longext[sizeof(longext) - 1] = '\0';
	assert_int_equal(EINVAL, sipx_loc_bind(l, "", &a, NULL, NULL));
	assert_int_equal(EINVAL, sipx_loc_bind(l, longext, &a, NULL, NULL));
	assert_int_equal(EINVAL, sipx_loc_bind(l, "1001", &empty, NULL, NULL));
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(a_new_contact_is_bound_and_told_as_new),
		T(the_same_contact_again_is_a_refresh_with_the_new_expiry),
		T(several_contacts_are_listed_latest_expiry_first),
		T(a_full_extension_drops_the_binding_expiring_soonest),
		T(with_room_for_one_a_new_contact_replaces_the_old),
		T(unbinding_removes_one_contact),
		T(star_removes_every_contact_of_that_extension_only),
		T(expiry_removes_exactly_the_bindings_whose_time_is_up),
		T(a_refresh_postpones_expiry),
		T(apply_visits_every_binding),
		T(bad_arguments_are_refused),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
