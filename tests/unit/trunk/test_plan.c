/* trunk: dial plans pick the trunks of the first matching pattern, in
 * order, over the normalised number; failover skips a trunk that is down
 * or full; a plan may name only outbound trunks that exist, and what is
 * configured is there again after a restart. */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <jansson.h>
#include <re_types.h>
#include <re_mem.h>
#include <re_list.h>
#include "db/db.h"
#include "trunk/trunk_int.h"

struct fx {
	char dir[64];
	struct db *db;
	struct trunk_host *th;
};

static void trunk_add(struct trunk_host *th, const char *name,
		      const char *json)
{
	struct trunk_conf c;
	json_t *j = json_loads(json, 0, NULL);
	char why[256] = "";

	assert_non_null(j);
	if (trunk_conf_parse(&c, name, j, why, sizeof(why)))
		fail_msg("%s: %s", name, why);
	json_decref(j);
	assert_int_equal(0, trunk_put(th, &c, true, why, sizeof(why)));
}

static uint32_t plan_add(struct trunk_host *th, const char *pattern,
			 const char *t1, const char *t2)
{
	struct trunk_plan_in in = {.pattern = pattern, .trunks = {t1, t2},
				   .n = t2 ? 2 : 1};
	uint32_t id = 0;
	char why[256] = "";

	if (trunk_plan_put(th, &in, &id, why, sizeof(why)))
		fail_msg("%s: %s", pattern, why);
	return id;
}

static int setup(void **state)
{
	struct fx *fx = calloc(1, sizeof(*fx));
	char url[128];

	if (!fx)
		return -1;
	snprintf(fx->dir, sizeof(fx->dir), "/tmp/hl-trunk-test.XXXXXX");
	if (!mkdtemp(fx->dir))
		return -1;
	snprintf(url, sizeof(url), "sqlite:%s/t.db", fx->dir);
	if (db_open(&fx->db, url) || trunk_host_alloc(&fx->th, fx->db, NULL))
		return -1;
	trunk_add(fx->th, "ct", "{\"outbound\": {\"address\": \"192.0.2.1:5060\"},"
		  " \"max_channels\": 2, \"caller_id\": \"4008001000\"}");
	trunk_add(fx->th, "cu", "{\"outbound\": {\"address\": \"192.0.2.2:5060\","
		  " \"transport\": \"tcp\"}}");
	trunk_add(fx->th, "in", "{\"inbound_from\": [\"198.51.100.0/24\"]}");
	*state = fx;
	return 0;
}

static int teardown(void **state)
{
	struct fx *fx = *state;
	char cmd[128];

	mem_deref(fx->th);
	db_close(fx->db);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", fx->dir);
	if (system(cmd))
		return -1;
	free(fx);
	return 0;
}

static void the_first_plan_whose_pattern_matches_decides(void **state)
{
	struct fx *fx = *state;
	struct trunk_route r;

	plan_add(fx->th, "^1[3-9][0-9]{9}$", "ct", "cu");
	plan_add(fx->th, "^[0-9]+$", "cu", NULL);
	assert_int_equal(0, trunk_route_find(fx->th, "13800138000", &r));
	assert_int_equal(2, r.n);
	assert_string_equal("ct", trunk_name(r.v[0]));
	assert_string_equal("cu", trunk_name(r.v[1]));
	trunk_route_release(&r);
	assert_int_equal(0, trunk_route_find(fx->th, "075512345678", &r));
	assert_int_equal(1, r.n);
	assert_string_equal("cu", trunk_name(r.v[0]));
	trunk_route_release(&r);
}

static void the_number_is_normalised_before_matching(void **state)
{
	struct fx *fx = *state;
	struct trunk_route r;

	plan_add(fx->th, "^1[3-9][0-9]{9}$", "ct", NULL);
	plan_add(fx->th, "^00[1-9][0-9]+$", "cu", NULL);
	assert_int_equal(0, trunk_route_find(fx->th, "+86 138-0013-8000", &r));
	assert_string_equal("13800138000", r.number);
	assert_string_equal("ct", trunk_name(r.v[0]));
	trunk_route_release(&r);
	assert_int_equal(0, trunk_route_find(fx->th, "008613800138000", &r));
	assert_string_equal("13800138000", r.number);
	trunk_route_release(&r);
	assert_int_equal(0, trunk_route_find(fx->th, "+44 20 7946 0958", &r));
	assert_string_equal("00442079460958", r.number);
	assert_string_equal("cu", trunk_name(r.v[0]));
	trunk_route_release(&r);
}

static void a_number_no_plan_covers_is_enoent(void **state)
{
	struct fx *fx = *state;
	struct trunk_route r;

	plan_add(fx->th, "^1[3-9][0-9]{9}$", "ct", NULL);
	assert_int_equal(ENOENT, trunk_route_find(fx->th, "4008001000", &r));
	assert_int_equal(0, r.n);
	assert_int_equal(EINVAL, trunk_route_find(fx->th, "call-me", &r));
}

static void failover_passes_over_a_full_or_down_trunk(void **state)
{
	struct fx *fx = *state;
	struct trunk *ct = trunk_find(fx->th, "ct");
	struct trunk_route r;

	plan_add(fx->th, "^1[3-9][0-9]{9}$", "ct", "cu");
	assert_int_equal(0, trunk_route_find(fx->th, "13800138000", &r));
	assert_int_equal(0, trunk_route_next(&r, 0));
	assert_int_equal(1, trunk_route_next(&r, 1));
	assert_int_equal(2, trunk_route_next(&r, 2));   /* none left */
	/* ct has 2 channels: both taken, the next call starts at cu. */
	assert_int_equal(0, trunk_channel_take(ct, TRUNK_OUT));
	assert_int_equal(0, trunk_channel_take(ct, TRUNK_IN));
	assert_int_equal(EBUSY, trunk_channel_take(ct, TRUNK_OUT));
	assert_int_equal(1, trunk_route_next(&r, 0));
	trunk_channel_give(ct);
	assert_int_equal(0, trunk_route_next(&r, 0));
	ct->health.down = true;
	assert_int_equal(1, trunk_route_next(&r, 0));
	assert_int_equal(1, ct->calls_out);
	assert_int_equal(1, ct->calls_in);
	assert_int_equal(1, ct->refused);
	trunk_route_release(&r);
}

static void the_pick_skips_what_cannot_take_a_call(void **state)
{
	const struct trunk_cand v[] = {
		{.exists = false},
		{.exists = true, .down = true},
		{.exists = true, .in_use = 3, .max = 3},
		{.exists = true, .in_use = 9, .max = 0},
	};
	(void)state;

	assert_int_equal(3, trunk_pick(v, 4, 0));
	assert_int_equal(3, trunk_pick(v, 3, 0));   /* n: none */
}

static void a_plan_must_name_outbound_trunks_that_exist(void **state)
{
	struct fx *fx = *state;
	struct trunk_plan_in in = {.pattern = "^1[0-9]{10}$", .n = 1};
	char why[256] = "";
	uint32_t id = 0;

	in.trunks[0] = "nosuch";
	assert_int_equal(EINVAL, trunk_plan_put(fx->th, &in, &id, why,
						sizeof(why)));
	assert_non_null(strstr(why, "no trunk named 'nosuch'"));
	in.trunks[0] = "in";
	assert_int_equal(EINVAL, trunk_plan_put(fx->th, &in, &id, why,
						sizeof(why)));
	assert_non_null(strstr(why, "no outbound part"));
	in.trunks[0] = "ct";
	in.pattern = "^[a-z]+$";
	assert_int_equal(EINVAL, trunk_plan_put(fx->th, &in, &id, why,
						sizeof(why)));
	assert_int_equal(0, list_count(&fx->th->plans));
}

static void a_trunk_a_plan_names_cannot_be_deleted(void **state)
{
	struct fx *fx = *state;
	char why[256] = "";
	uint32_t id = plan_add(fx->th, "^1[0-9]{10}$", "ct", NULL);

	assert_int_equal(EBUSY, trunk_delete(fx->th, "ct", why, sizeof(why)));
	assert_non_null(strstr(why, "dial plan"));
	assert_int_equal(0, trunk_plan_delete(fx->th, id));
	assert_int_equal(0, trunk_delete(fx->th, "ct", why, sizeof(why)));
	assert_null(trunk_find(fx->th, "ct"));
}

static void plans_keep_their_order_and_trunks_across_a_restart(void **state)
{
	struct fx *fx = *state;
	struct trunk_plan_in first = {.pattern = "^1[0-9]{10}$",
				      .trunks = {"cu"}, .n = 1,
				      .has_position = true, .position = 1};
	struct trunk_route r;
	char why[256] = "";
	uint32_t id = 0;

	plan_add(fx->th, "^[0-9]+$", "ct", NULL);
	assert_int_equal(0, trunk_plan_put(fx->th, &first, &id, why,
					   sizeof(why)));
	assert_int_equal(0, db_flush(fx->db));
	fx->th = mem_deref(fx->th);
	assert_int_equal(0, trunk_host_alloc(&fx->th, fx->db, NULL));
	assert_int_equal(3, list_count(&fx->th->trunks));
	assert_int_equal(2, list_count(&fx->th->plans));
	/* Position 1 comes before the first plan's 10. */
	assert_int_equal(0, trunk_route_find(fx->th, "13800138000", &r));
	assert_string_equal("cu", trunk_name(r.v[0]));
	trunk_route_release(&r);
	assert_string_equal("4008001000",
			    trunk_find(fx->th, "ct")->conf.caller_id);
	assert_string_equal("tcp", trunk_find(fx->th, "cu")->conf.transport);
}

/* The INVITE through a trunk: the carrier's address, the trunk's caller ID
 * in From and P-Asserted-Identity (or the caller's own number), with
 * privacy an anonymous From and Privacy: id, its codecs in order. */
static void a_trunk_presents_its_caller_id_and_codecs(void **state)
{
	struct fx *fx = *state;
	struct trunk_dial d;

	trunk_add(fx->th, "priv", "{\"outbound\": {\"address\": \"192.0.2.3:5070\","
		  " \"username\": \"u\", \"password\": \"p\", \"codecs\": [\"pcma\"]},"
		  " \"caller_id\": \"4008001000\", \"privacy\": true}");
	assert_int_equal(0, trunk_dial_get(trunk_find(fx->th, "ct"),
					   "13800138000", "1001", &d));
	assert_string_equal("sip:13800138000@192.0.2.1:5060;transport=udp",
			    d.uri);
	assert_string_equal("4008001000", d.from_user);
	assert_string_equal("P-Asserted-Identity: <sip:4008001000@192.0.2.1:5060>"
			    "\r\n", d.headers);
	assert_string_equal("PCMU,PCMA", d.codecs);
	assert_int_equal(8000, d.invite_timeout_ms);
	assert_int_equal(0, trunk_dial_get(trunk_find(fx->th, "cu"),
					   "13800138000", "1001", &d));
	assert_string_equal("1001", d.from_user);      /* no caller_id */
	assert_string_equal("sip:13800138000@192.0.2.2:5060;transport=tcp",
			    d.uri);
	assert_int_equal(0, trunk_dial_get(trunk_find(fx->th, "priv"),
					   "13800138000", "1001", &d));
	assert_string_equal("anonymous", d.from_user);
	assert_non_null(strstr(d.headers, "Privacy: id\r\n"));
	assert_non_null(strstr(d.headers, "<sip:4008001000@"));
	assert_string_equal("PCMA", d.codecs);
	assert_string_equal("u", d.username);
	assert_int_equal(EINVAL, trunk_dial_get(trunk_find(fx->th, "in"),
						"13800138000", "1001", &d));
}

static void bad_trunks_are_refused_naming_the_field(void **state)
{
	static const struct {
		const char *json, *why;
	} bad[] = {
		{"{\"inbound_from\": [\"10.0.0.0/33\"]}", "inbound_from[0]"},
		{"{\"outbound\": {\"address\": \"carrier.example:5060\"}}",
		 "outbound.address"},
		{"{\"outbound\": {\"address\": \"192.0.2.1\"}}", "outbound.address"},
		{"{\"outbound\": {\"address\": \"192.0.2.1:5060\", \"transport\":"
		 " \"sctp\"}}", "unknown transport"},
		{"{\"outbound\": {\"address\": \"192.0.2.1:5060\", \"codecs\":"
		 " [\"G729\"]}}", "unknown codec"},
		{"{\"outbound\": {\"address\": \"192.0.2.1:5060\", \"register\":"
		 " true}}", "outbound.register"},
		{"{\"max_channels\": -1, \"inbound_from\": [\"10.0.0.1\"]}",
		 "max_channels"},
		{"{\"inbound_from\": [\"10.0.0.1\"], \"colour\": 1}", "colour"},
		{"{}", "want inbound_from, inbound_auth, outbound"},
		{"{\"inbound_auth\": {\"username\": \"a b\", \"password\":"
		 " \"longenough\"}}", "inbound_auth.username"},
		{"{\"inbound_auth\": {\"username\": \"ab\", \"password\":"
		 " \"short\"}}", "inbound_auth.password"},
		{"{\"inbound_auth\": {\"username\": \"ab\"}}",
		 "inbound_auth.password"},
		{"{\"inbound_auth\": {\"password\": \"longenough\"}}",
		 "inbound_auth.username"},
		{"{\"inbound_auth\": {\"username\": \"ab\", \"password\":"
		 " \"longenough\", \"realm\": \"x\"}}", "inbound_auth.realm"},
	};
	struct trunk_conf c;
	char why[256];
	(void)state;

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		json_t *j = json_loads(bad[i].json, 0, NULL);

		why[0] = '\0';
		assert_int_equal(EINVAL, trunk_conf_parse(&c, "t", j, why,
							  sizeof(why)));
		if (!strstr(why, bad[i].why))
			fail_msg("%s: %s", bad[i].json, why);
		json_decref(j);
	}
}

static void a_trunk_known_by_digest_is_found_by_its_username(void **state)
{
	struct fx *fx = *state;
	struct trunk *t;
	char pw[128], why[256] = "";
	struct trunk_conf c;
	json_t *j;

	assert_false(trunk_has_digest(fx->th));
	trunk_add(fx->th, "ip", "{\"inbound_from\": [\"192.0.2.0/24\"]}");
	assert_false(trunk_has_digest(fx->th));
	trunk_add(fx->th, "sbc", "{\"inbound_auth\": {\"username\": "
		  "\"sbc-in\", \"password\": \"s3cret-pass\"}}");
	assert_true(trunk_has_digest(fx->th));
	t = trunk_by_user(fx->th, "sbc-in");
	assert_non_null(t);
	assert_string_equal("sbc", trunk_name(t));
	mem_deref(t);
	assert_null(trunk_by_user(fx->th, "sbc"));
	assert_true(trunk_secret(fx->th, "sbc-in", pw, sizeof(pw)));
	assert_string_equal("s3cret-pass", pw);
	assert_false(trunk_secret(fx->th, "nobody", pw, sizeof(pw)));
	assert_false(trunk_secret(fx->th, "sbc-in", pw, 4));

	/* One username, one trunk: another trunk cannot take it. */
	j = json_loads("{\"inbound_auth\": {\"username\": \"sbc-in\", "
		       "\"password\": \"other-pass\"}}", 0, NULL);
	assert_int_equal(0, trunk_conf_parse(&c, "sbc2", j, why, sizeof(why)));
	json_decref(j);
	assert_int_equal(EBUSY, trunk_put(fx->th, &c, true, why, sizeof(why)));
	assert_non_null(strstr(why, "inbound_auth.username"));
	assert_null(trunk_find(fx->th, "sbc2"));
}

int main(void)
{
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(the_first_plan_whose_pattern_matches_decides),
		T(the_number_is_normalised_before_matching),
		T(a_number_no_plan_covers_is_enoent),
		T(failover_passes_over_a_full_or_down_trunk),
		cmocka_unit_test(the_pick_skips_what_cannot_take_a_call),
		T(a_plan_must_name_outbound_trunks_that_exist),
		T(a_trunk_a_plan_names_cannot_be_deleted),
		T(plans_keep_their_order_and_trunks_across_a_restart),
		T(a_trunk_presents_its_caller_id_and_codecs),
		cmocka_unit_test(bad_trunks_are_refused_naming_the_field),
		T(a_trunk_known_by_digest_is_found_by_its_username),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
