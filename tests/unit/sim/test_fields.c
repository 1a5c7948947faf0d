/* The simulator's queue keys: the names of docs/simulator.md (seconds) and
 * the live API's names (queue/cfg.c, milliseconds) are one setting each,
 * with the live API's ranges; both names at once is an error naming both. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "queue/queue_int.h"
#include "sim/sim_int.h"

/* The simulator's name, the live name, a value in seconds and the same in
 * milliseconds. */
static const struct pair {
	const char *sim, *live;
	const char *secs, *ms;
	size_t off;
} pairs[] = {
	{"sl_seconds", "sl_ms", "15", "15000",
	 offsetof(struct sim_queue_def, sl_ms)},
	{"short_abandon_s", "short_abandon_ms", "5", "5000",
	 offsetof(struct sim_queue_def, short_abandon_ms)},
	{"ring_timeout_s", "ring_timeout_ms", "12.5", "12500",
	 offsetof(struct sim_queue_def, ring_timeout_ms)},
	{"retry_s", "retry_ms", "2", "2000",
	 offsetof(struct sim_queue_def, retry_ms)},
	{"wrap_up_s", "wrapup_ms", "30", "30000",
	 offsetof(struct sim_queue_def, wrapup_ms)},
	{"max_wait_s", "max_wait_ms", "300", "300000",
	 offsetof(struct sim_queue_def, max_wait_ms)},
};

/* Parses a scenario whose one queue has the extra keys given. */
static int parse(const char *extra, struct sim_scenario **sc, char *why)
{
	char text[1024];

	snprintf(text, sizeof(text),
		 "{\"duration_s\": 3600, \"queues\": [{\"name\": \"q\"%s%s},"
		 " {\"name\": \"r\"}],"
		 " \"agents\": [{\"count\": 2, \"queues\": [\"q\"]}],"
		 " \"arrivals\": [{\"queue\": \"q\", \"rate_per_hour\": 20}],"
		 " \"handle_time\": {\"dist\": \"fixed\", \"mean_s\": 60}}",
		 *extra ? ", " : "", extra);
	*sc = NULL;
	return sim_scenario_parse(sc, text, why, SIM_WHY_LEN);
}

static int64_t member(const struct sim_scenario *sc, size_t off)
{
	int64_t v;

	memcpy(&v, (const char *)&sc->queues[0] + off, sizeof(v));
	return v;
}

static void both_names_set_the_same_value(void **state)
{
	char extra[128], why[SIM_WHY_LEN];

	(void)state;
	for (size_t i = 0; i < sizeof(pairs) / sizeof(pairs[0]); i++) {
		struct sim_scenario *a, *b;

		snprintf(extra, sizeof(extra), "\"%s\": %s", pairs[i].sim,
			 pairs[i].secs);
		if (parse(extra, &a, why))
			fail_msg("%s refused: %s", extra, why);
		snprintf(extra, sizeof(extra), "\"%s\": %s", pairs[i].live,
			 pairs[i].ms);
		if (parse(extra, &b, why))
			fail_msg("%s refused: %s", extra, why);
		assert_int_equal(member(a, pairs[i].off), member(b, pairs[i].off));
		assert_int_equal(atoll(pairs[i].ms), member(b, pairs[i].off));
		sim_scenario_free(a);
		sim_scenario_free(b);
	}
}

static void both_names_at_once_are_refused_naming_both(void **state)
{
	struct sim_scenario *sc;
	char why[SIM_WHY_LEN];

	(void)state;
	assert_int_equal(EINVAL, parse("\"ring_timeout_s\": 10, "
				       "\"ring_timeout_ms\": 10000", &sc, why));
	assert_null(sc);
	assert_string_equal("queues[0]: \"ring_timeout_s\" and "
			    "\"ring_timeout_ms\" are one setting; give one of "
			    "them", why);
}

/* The live names are queue/cfg.c's own, with its ranges: the edges are
 * accepted, one past them refused with the field named. */
static void live_names_take_the_live_ranges(void **state)
{
	size_t nf;
	const struct field *fs = queue_qcfg_fields(&nf);
	char extra[128], want[160], why[SIM_WHY_LEN];

	(void)state;
	for (size_t i = 0; i < sizeof(pairs) / sizeof(pairs[0]); i++) {
		const struct field *f = field_find(fs, nf, pairs[i].live);
		struct sim_scenario *sc;

		assert_non_null(f);
		for (int k = 0; k < 4; k++) {
			int64_t v = k == 0 ? f->lo : k == 1 ? f->hi :
				k == 2 ? f->lo - 1 : f->hi + 1;
			int err;

			snprintf(extra, sizeof(extra), "\"%s\": %lld",
				 f->name, (long long)v);
			err = parse(extra, &sc, why);
			if (k < 2) {
				if (err)
					fail_msg("%s refused: %s", extra, why);
				assert_int_equal(v, member(sc, pairs[i].off));
				sim_scenario_free(sc);
				continue;
			}
			assert_int_equal(EINVAL, err);
			snprintf(want, sizeof(want), "queues[0].%s: want an "
				 "integer %lld..%lld", f->name,
				 (long long)f->lo, (long long)f->hi);
			assert_string_equal(want, why);
		}
	}
}

/* The old names keep their documented defaults (ring_timeout_s 30, not the
 * live 15 s): docs/simulator.md says so and outputs depend on it. */
static void the_simulator_keeps_its_defaults(void **state)
{
	struct sim_scenario *sc;
	char why[SIM_WHY_LEN];

	(void)state;
	assert_int_equal(0, parse("", &sc, why));
	assert_int_equal(30000, sc->queues[0].ring_timeout_ms);
	assert_int_equal(20000, sc->queues[0].sl_ms);
	assert_int_equal(0, sc->queues[0].wrapup_ms);
	sim_scenario_free(sc);
}

static void an_overflow_may_use_the_live_form(void **state)
{
	struct sim_scenario *sc;
	char why[SIM_WHY_LEN];

	(void)state;
	assert_int_equal(0, parse("\"overflow\": \"queue:r\"", &sc, why));
	assert_int_equal(1, sc->queues[0].overflow);
	sim_scenario_free(sc);
	assert_int_equal(EINVAL, parse("\"overflow\": \"queue:z\"", &sc, why));
	assert_string_equal("queues[0].overflow: no queue \"queue:z\" (want a "
			    "queue name or \"hangup\")", why);
	assert_int_equal(EINVAL, parse("\"noanswer_max\": 3", &sc, why));
	assert_string_equal("unknown key \"queues[0].noanswer_max\"", why);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(both_names_set_the_same_value),
		cmocka_unit_test(both_names_at_once_are_refused_naming_both),
		cmocka_unit_test(live_names_take_the_live_ranges),
		cmocka_unit_test(the_simulator_keeps_its_defaults),
		cmocka_unit_test(an_overflow_may_use_the_live_form),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
