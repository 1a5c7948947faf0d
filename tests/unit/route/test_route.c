/* route: the dial plan answers from memory. A DID leads to its extension or
 * queue with its priority; a number with no DID rings the extension of
 * that name when the registrar (here a fake) says it can be called; a
 * change is seen by the next lookup at once and by the next start from
 * the disk. */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>
#include <re_types.h>
#include <re_mem.h>
#include "db/db.h"
#include "route/route.h"

struct fx {
	char dir[64];
	struct db *db;
	struct route *r;
};

/* The registrar's answers: 1001 and 1002 exist, 1002 is disabled. */
static bool fake_callable(void *arg, const char *ext)
{
	(void)arg;
	return !strcmp(ext, "1001");
}

static bool fake_exists(void *arg, const char *ext)
{
	(void)arg;
	return !strcmp(ext, "1001") || !strcmp(ext, "1002");
}

static const struct route_exts fake = {
	.callable = fake_callable, .exists = fake_exists,
};

static int setup(void **state)
{
	struct fx *fx = calloc(1, sizeof(*fx));
	char url[128];

	if (!fx)
		return -1;
	snprintf(fx->dir, sizeof(fx->dir), "/tmp/hl-route-test.XXXXXX");
	if (!mkdtemp(fx->dir))
		return -1;
	snprintf(url, sizeof(url), "sqlite:%s/t.db", fx->dir);
	if (db_open(&fx->db, url))
		return -1;
	if (route_seed(fx->db, &(struct route_did){.did = "4008003000",
		       .kind = "queue", .target = "sales", .priority = 0}) ||
	    route_seed(fx->db, &(struct route_did){.did = "4008003999",
		       .kind = "queue", .target = "sales", .priority = 10,
		       .description = "VIP"}) ||
	    route_seed(fx->db, &(struct route_did){.did = "4008001001",
		       .kind = "extension", .target = "1001"}) ||
	    route_seed(fx->db, &(struct route_did){.did = "4008005000",
		       .kind = "ivr", .target = "main"}))
		return -1;
	if (route_alloc(&fx->r, fx->db, &fake))
		return -1;
	*state = fx;
	return 0;
}

static int teardown(void **state)
{
	struct fx *fx = *state;
	char cmd[128];

	mem_deref(fx->r);
	db_close(fx->db);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", fx->dir);
	if (system(cmd))
		return -1;
	free(fx);
	return 0;
}

static void a_queue_did_leads_to_its_queue_with_its_priority(void **state)
{
	struct fx *fx = *state;
	struct route_target t;

	assert_int_equal(0, route_lookup(fx->r, "4008003999", &t));
	assert_int_equal(ROUTE_QUEUE, t.kind);
	assert_string_equal("sales", t.target);
	assert_int_equal(10, t.priority);
	assert_string_equal("queue", route_kind_name(t.kind));
}

static void an_extension_did_leads_to_its_extension(void **state)
{
	struct fx *fx = *state;
	struct route_target t;

	assert_int_equal(0, route_lookup(fx->r, "4008001001", &t));
	assert_int_equal(ROUTE_EXTENSION, t.kind);
	assert_string_equal("1001", t.target);
	assert_string_equal("extension", route_kind_name(t.kind));
}

static void a_callable_extension_dialled_rings_itself(void **state)
{
	struct fx *fx = *state;
	struct route_target t;

	assert_int_equal(0, route_lookup(fx->r, "1001", &t));
	assert_int_equal(ROUTE_EXTENSION, t.kind);
	assert_string_equal("1001", t.target);
	assert_int_equal(0, t.priority);
}

static void a_disabled_or_unknown_number_leads_nowhere(void **state)
{
	struct fx *fx = *state;
	struct route_target t;

	assert_int_equal(ENOENT, route_lookup(fx->r, "1002", &t));
	assert_int_equal(ENOENT, route_lookup(fx->r, "9999", &t));
	assert_int_equal(ENOENT, route_lookup(fx->r, "", &t));
	assert_true(route_ext_exists(fx->r, "1002"));
	assert_false(route_ext_exists(fx->r, "9999"));
}

/* A number can lead to an IVR flow: it routes like a queue, by name. */
static void a_did_to_an_ivr_flow_routes_to_the_flow(void **state)
{
	struct fx *fx = *state;
	struct route_target t;
	struct route_did d;

	assert_int_equal(0, route_lookup(fx->r, "4008005000", &t));
	assert_int_equal(ROUTE_IVR, t.kind);
	assert_int_equal(0, route_did_get(fx->r, "4008005000", &d));
	assert_string_equal("ivr", d.kind);
	assert_string_equal(d.target, t.target);
}

static void a_change_is_seen_at_once_and_after_a_restart(void **state)
{
	struct fx *fx = *state;
	struct route *again = NULL;
	struct route_target t;
	struct route_did d;

	assert_int_equal(0, route_did_put(fx->r, &(struct route_did){
		.did = "4008003000", .kind = "extension", .target = "1001",
		.description = "night line", .priority = 0}));
	assert_int_equal(0, route_lookup(fx->r, "4008003000", &t));
	assert_int_equal(ROUTE_EXTENSION, t.kind);
	assert_int_equal(0, route_did_delete(fx->r, "4008003999"));
	assert_int_equal(ENOENT, route_lookup(fx->r, "4008003999", &t));
	assert_int_equal(ENOENT, route_did_delete(fx->r, "4008003999"));

	db_flush(fx->db);
	assert_int_equal(0, route_alloc(&again, fx->db, &fake));
	assert_int_equal(0, route_did_get(again, "4008003000", &d));
	assert_string_equal("1001", d.target);
	assert_string_equal("night line", d.description);
	assert_int_equal(ENOENT, route_did_get(again, "4008003999", &d));
	mem_deref(again);
}

/* A DID's consent prompt comes with its target, survives a restart, and
 * a DID without one has none (a seeded row included). */
static void a_dids_consent_prompt_goes_with_its_target(void **state)
{
	struct fx *fx = *state;
	struct route *again = NULL;
	struct route_target t;
	struct route_did d;

	assert_int_equal(0, route_lookup(fx->r, "4008003999", &t));
	assert_string_equal("", t.consent_text);
	assert_string_equal("", t.consent_file);
	assert_int_equal(0, route_did_put(fx->r, &(struct route_did){
		.did = "4008003999", .kind = "queue", .target = "sales",
		.consent_text = "本次通话可能会被录音"}));
	assert_int_equal(0, route_did_put(fx->r, &(struct route_did){
		.did = "4008003000", .kind = "queue", .target = "sales",
		.consent_file = "consent"}));
	assert_int_equal(0, route_lookup(fx->r, "4008003999", &t));
	assert_string_equal("本次通话可能会被录音", t.consent_text);
	assert_string_equal("", t.consent_file);

	db_flush(fx->db);
	assert_int_equal(0, route_alloc(&again, fx->db, &fake));
	assert_int_equal(0, route_lookup(again, "4008003000", &t));
	assert_string_equal("", t.consent_text);
	assert_string_equal("consent", t.consent_file);
	assert_int_equal(0, route_did_get(again, "4008003999", &d));
	assert_string_equal("本次通话可能会被录音", d.consent_text);
	mem_deref(again);
}

static int created_row(const struct db_row *row, void *arg)
{
	*(int64_t *)arg = db_row_int(row, 0);
	return 0;
}

static void a_changed_did_keeps_its_created_time(void **state)
{
	struct fx *fx = *state;
	int64_t before = 0, after = 0;

	assert_int_equal(0, db_query(fx->db, created_row, &before,
		"SELECT created_at FROM dids WHERE did = '4008001001'", ""));
	usleep(2000);
	assert_int_equal(0, route_did_put(fx->r, &(struct route_did){
		.did = "4008001001", .kind = "queue", .target = "sales",
		.priority = 5}));
	db_flush(fx->db);
	assert_int_equal(0, db_query(fx->db, created_row, &after,
		"SELECT created_at FROM dids WHERE did = '4008001001'", ""));
	assert_true(before > 0);
	assert_int_equal(before, after);
}

static int collect(const struct route_did *d, void *arg)
{
	char *out = arg;

	strcat(out, d->did);
	strcat(out, " ");
	return 0;
}

static void the_list_is_in_number_order(void **state)
{
	struct fx *fx = *state;
	char out[256] = "";

	assert_int_equal(0, route_did_put(fx->r, &(struct route_did){
		.did = "+86100", .kind = "queue", .target = "sales"}));
	assert_int_equal(0, route_did_list(fx->r, collect, out));
	assert_string_equal("+86100 4008001001 4008003000 4008003999 "
			    "4008005000 ", out);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
		T(a_queue_did_leads_to_its_queue_with_its_priority),
		T(an_extension_did_leads_to_its_extension),
		T(a_callable_extension_dialled_rings_itself),
		T(a_disabled_or_unknown_number_leads_nowhere),
		T(a_did_to_an_ivr_flow_routes_to_the_flow),
		T(a_change_is_seen_at_once_and_after_a_restart),
		T(a_dids_consent_prompt_goes_with_its_target),
		T(a_changed_did_keeps_its_created_time),
		T(the_list_is_in_number_order),
#undef T
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
