/* The scenario file: what is accepted, and for each kind of mistake the one
 * line that names the field (docs/simulator.md). */
#include "helpers.h"

static const char *const contract =
	"{\"duration_s\": 86400,"
	" \"queues\": [{\"name\": \"q\", \"strategy\": \"longest-idle\","
	"              \"sl_seconds\": 20}],"
	" \"agents\": [{\"count\": 14, \"queues\": [\"q\"]}],"
	" \"arrivals\": [{\"queue\": \"q\", \"rate_per_hour\": 200}],"
	" \"handle_time\": {\"dist\": \"exponential\", \"mean_s\": 180},"
	" \"patience\": {\"dist\": \"none\"}}";

static void the_contract_example_is_accepted(void **state)
{
	struct sim_scenario *sc = NULL;
	char why[SIM_WHY_LEN] = "";

	(void)state;
	assert_int_equal(0, sim_scenario_parse(&sc, contract, why, sizeof(why)));
	assert_int_equal(1, sim_scenario_seed(sc));
	sim_scenario_free(sc);
}

static void every_optional_key_is_accepted(void **state)
{
	struct sim_scenario *sc = NULL;
	char why[SIM_WHY_LEN] = "";
	const char *full =
		"{\"duration_s\": 7200, \"interval_s\": 1800, \"seed\": 42,"
		" \"queues\": [{\"name\": \"a\", \"strategy\": \"skills-based\","
		"   \"sl_seconds\": 15, \"short_abandon_s\": 5,"
		"   \"ring_timeout_s\": 12, \"retry_s\": 2, \"wrap_up_s\": 30,"
		"   \"max_wait_s\": 300, \"max_len\": 50, \"weight\": 3,"
		"   \"priority\": 2, \"overflow\": \"b\","
		"   \"handle_time\": {\"dist\": \"fixed\", \"mean_s\": 90},"
		"   \"patience\": {\"dist\": \"lognormal\", \"mean_s\": 60,"
		"                 \"sd_s\": 30}},"
		"  {\"name\": \"b\", \"overflow\": \"hangup\"}],"
		" \"agents\": [{\"count\": 3, \"queues\": [{\"name\": \"a\","
		"   \"skill\": 5}, \"b\"], \"shift\": {\"start_s\": 0,"
		"   \"end_s\": 3600, \"repeat_s\": 7200}}],"
		" \"arrivals\": [{\"queue\": \"a\", \"rates_per_hour\": [10, 0, 5],"
		"   \"rate_interval_s\": 900, \"priority\": 1},"
		"  {\"queue\": \"b\", \"rate_per_hour\": 0}],"
		" \"handle_time\": {\"dist\": \"lognormal\", \"mean_s\": 180,"
		"   \"sd_s\": 90},"
		" \"patience\": {\"dist\": \"exponential\", \"mean_s\": 100},"
		" \"answer_delay\": {\"dist\": \"fixed\", \"mean_s\": 3}}";

	(void)state;
	if (sim_scenario_parse(&sc, full, why, sizeof(why)))
		fail_msg("refused: %s", why);
	assert_int_equal(42, sim_scenario_seed(sc));
	sim_scenario_free(sc);
}

/* Each row: a change to make to the contract example (the text to find,
 * its replacement) and the exact reason expected. */
static const struct bad {
	const char *find, *replace, *why;
} bads[] = {
	{"\"strategy\"", "\"stratgy\"", "unknown key \"queues[0].stratgy\""},
	{"\"duration_s\"", "\"duration\"", "unknown key \"duration\""},
	{"\"mean_s\": 180}", "\"mean_s\": 180, \"shape\": 2}",
	 "unknown key \"handle_time.shape\""},
	{"\"count\": 14,", "\"count\": 14, \"skill\": 1,",
	 "unknown key \"agents[0].skill\""},
	{"\"rate_per_hour\": 200", "\"rate_per_hour\": 200, \"burst\": 1",
	 "unknown key \"arrivals[0].burst\""},
	{"\"duration_s\": 86400,", "",
	 "missing key \"duration_s\""},
	{"\"sl_seconds\": 20", "\"sl_seconds\": -1",
	 "queues[0].sl_seconds: want a number, 0 or more"},
	{"\"sl_seconds\": 20", "\"sl_seconds\": \"20\"",
	 "queues[0].sl_seconds: want a number, 0 or more"},
	{"\"duration_s\": 86400", "\"duration_s\": 0",
	 "duration_s: want a number greater than 0"},
	{"\"count\": 14", "\"count\": 1.5",
	 "agents[0].count: want a whole number from 1 to 100000"},
	{"\"longest-idle\"", "\"longest-idel\"",
	 "queues[0].strategy: unknown strategy \"longest-idel\""},
	{"\"queues\": [\"q\"]", "\"queues\": [\"p\"]",
	 "agents[0].queues[0]: no queue \"p\""},
	{"\"queues\": [\"q\"]", "\"queues\": [\"q\", {\"name\": \"q\"}]",
	 "agents[0].queues[1]: queue \"q\" is listed twice"},
	{"{\"queue\": \"q\"", "{\"queue\": \"x\"",
	 "arrivals[0].queue: no queue \"x\""},
	{"\"rate_per_hour\": 200", "\"rates_per_hour\": [1, -2]",
	 "arrivals[0].rates_per_hour[1]: want a number, 0 or more"},
	{"\"rate_per_hour\": 200", "\"rate_per_hour\": 2, \"rates_per_hour\": [1]",
	 "arrivals[0]: want exactly one of rate_per_hour and rates_per_hour"},
	{"\"exponential\", \"mean_s\": 180", "\"gamma\", \"mean_s\": 180",
	 "handle_time.dist: unknown distribution \"gamma\" (want fixed, "
	 "exponential, lognormal)"},
	{"\"exponential\", \"mean_s\": 180", "\"lognormal\", \"mean_s\": 180",
	 "missing key \"handle_time.sd_s\""},
	{"\"exponential\", \"mean_s\": 180", "\"exponential\", \"mean_s\": 0",
	 "handle_time.mean_s: want a number greater than 0"},
	{"{\"dist\": \"none\"}", "{\"dist\": \"none\", \"mean_s\": 5}",
	 "patience.dist: \"none\" takes no mean_s or sd_s"},
	{"\"sl_seconds\": 20", "\"sl_seconds\": 20, \"overflow\": \"q\"",
	 "queues[0].overflow: queue \"q\" overflows back into itself"},
	{"\"sl_seconds\": 20", "\"sl_seconds\": 20, \"overflow\": \"z\"",
	 "queues[0].overflow: no queue \"z\" (want a queue name or "
	 "\"hangup\")"},
	{"\"count\": 14,", "\"count\": 14, \"shift\": {\"start_s\": 50, "
	 "\"end_s\": 10},", "agents[0].shift.end_s: want a time after start_s"},
	{"[{\"name\": \"q\"", "[{\"name\": \"q\"}, {\"name\": \"q\"",
	 "queues[1].name: queue \"q\" is listed twice"},
	{"86400,", "86400,,", NULL},   /* not JSON: checked below */
};

static char *edit(const char *src, const char *find, const char *replace)
{
	const char *at = strstr(src, find);
	size_t n = strlen(src) + strlen(replace) + 1;
	char *out = malloc(n);

	assert_non_null(at);
	assert_non_null(out);
	snprintf(out, n, "%.*s%s%s", (int)(at - src), src, replace,
		 at + strlen(find));
	return out;
}

static void a_bad_field_is_named(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(bads) / sizeof(bads[0]); i++) {
		struct sim_scenario *sc = NULL;
		char why[SIM_WHY_LEN] = "";
		char *text;
		int err;

		text = edit(contract, bads[i].find, bads[i].replace);
		err = sim_scenario_parse(&sc, text, why, sizeof(why));
		if (!bads[i].why) {
			assert_int_equal(EINVAL, err);
			assert_non_null(strstr(why, "not valid JSON at line 1"));
		} else {
			if (err != EINVAL || strcmp(why, bads[i].why))
				fail_msg("row %zu: got %d \"%s\", want \"%s\"", i,
					 err, why, bads[i].why);
			assert_null(sc);
		}
		free(text);
	}
}

static void a_duplicate_key_is_refused(void **state)
{
	struct sim_scenario *sc = NULL;
	char why[SIM_WHY_LEN] = "";
	char *text = edit(contract, "\"duration_s\": 86400,",
			  "\"duration_s\": 86400, \"duration_s\": 3600,");

	(void)state;
	assert_int_equal(EINVAL, sim_scenario_parse(&sc, text, why, sizeof(why)));
	assert_non_null(strstr(why, "duplicate"));
	free(text);
}

static void a_missing_file_says_so(void **state)
{
	struct sim_scenario *sc = NULL;
	char why[SIM_WHY_LEN] = "";

	(void)state;
	assert_int_equal(ENOENT, sim_scenario_load(&sc, "/nonexistent/x.json",
						   why, sizeof(why)));
	assert_non_null(strstr(why, "cannot read /nonexistent/x.json"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(the_contract_example_is_accepted),
		cmocka_unit_test(every_optional_key_is_accepted),
		cmocka_unit_test(a_bad_field_is_named),
		cmocka_unit_test(a_duplicate_key_is_refused),
		cmocka_unit_test(a_missing_file_says_so),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
