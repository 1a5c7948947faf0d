/* Runs of small scenarios whose outcome is known exactly or nearly:
 * determinism, the period's agent time, shifts, wrap-up, ring delay and
 * time-out, overflow, per-interval arrival rates, and every call counted
 * once. */
#include "helpers.h"
#include "sim/sim_int.h"

/* One queue "q"; %s is the rest of the scenario. */
#define ONE_QUEUE(extra) \
	"{\"queues\": [{\"name\": \"q\"" extra "}], "

static char *json_of(const struct sim_result *r)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	assert_non_null(f);
	assert_int_equal(0, sim_print_json(r, f));
	fclose(f);
	return buf;
}

static const char *const contract =
	"{\"duration_s\": 86400,"
	" \"queues\": [{\"name\": \"q\", \"strategy\": \"longest-idle\","
	"              \"sl_seconds\": 20}],"
	" \"agents\": [{\"count\": 14, \"queues\": [\"q\"]}],"
	" \"arrivals\": [{\"queue\": \"q\", \"rate_per_hour\": 200}],"
	" \"handle_time\": {\"dist\": \"exponential\", \"mean_s\": 180},"
	" \"patience\": {\"dist\": \"exponential\", \"mean_s\": 60}}";

static void the_same_seed_gives_the_same_run(void **state)
{
	struct sim_result *a = run_text(5, contract), *b = run_text(5, contract),
			  *c = run_text(6, contract);
	char *ja = json_of(a), *jb = json_of(b), *jc = json_of(c);

	(void)state;
	assert_string_equal(ja, jb);
	assert_string_not_equal(ja, jc);
	assert_non_null(strstr(ja, "\"seed\":5"));
	free(ja);
	free(jb);
	free(jc);
	sim_result_free(a);
	sim_result_free(b);
	sim_result_free(c);
}

/* xoshiro256** seeded by splitmix64(1): values from an independent
 * implementation of the published algorithms. */
static void the_generator_is_xoshiro256_star_star(void **state)
{
	struct sim_rng r;
	double sum = 0;

	(void)state;
	sim_rng_seed(&r, 1);
	assert_true(sim_rng_next(&r) == 0xb3f2af6d0fc710c5ull);
	assert_true(sim_rng_next(&r) == 0x853b559647364ceaull);
	assert_true(sim_rng_next(&r) == 0x92f89756082a4514ull);
	for (int i = 0; i < 100000; i++) {
		double u = sim_rng_unit(&r);
		assert_true(u > 0 && u <= 1);
		sum += sim_rng_exp(&r);
	}
	/* Exp(1) mean, 4 standard errors (1/sqrt(n) = 0.0032). */
	assert_true(fabs(sum / 100000 - 1) < 0.013);
}

static void every_call_has_exactly_one_outcome(void **state)
{
	struct sim_result *r;
	struct report_bucket q;
	struct sim_stats st;

	(void)state;
	r = run_text(9, "{\"duration_s\": 36000,"
		     " \"queues\": [{\"name\": \"a\", \"max_wait_s\": 30,"
		     "   \"overflow\": \"b\"}, {\"name\": \"b\","
		     "   \"max_wait_s\": 60}],"
		     " \"agents\": [{\"count\": 4, \"queues\": [\"a\", \"b\"]}],"
		     " \"arrivals\": [{\"queue\": \"a\", \"rate_per_hour\": 90},"
		     "   {\"queue\": \"b\", \"rate_per_hour\": 30}],"
		     " \"handle_time\": {\"dist\": \"exponential\", \"mean_s\": 200},"
		     " \"patience\": {\"dist\": \"exponential\", \"mean_s\": 90}}");
	sim_result_stats(r, &st);
	assert_int_equal(0, sim_result_total(r, "a", &q, NULL));
	int64_t into_b = q.overflowed;
	assert_true(into_b > 0);
	assert_int_equal(0, sim_result_total(r, NULL, &q, NULL));
	assert_int_equal(q.entered, (int64_t)st.arrivals + into_b);
	assert_int_equal(0, st.unfinished);
	/* Out of b a call overflows to a hang-up: every entry ends once. */
	assert_int_equal(q.entered, q.answered + q.abandoned +
			 q.short_abandoned + q.overflowed);
	assert_int_equal(q.answered, q.completed);
	sim_result_free(r);
}

/* Agents without a shift are logged in for the whole period: their time
 * in all states adds up to agents x duration, to the millisecond, however
 * many calls were still talking when it ended. */
static void agent_time_is_the_period_exactly(void **state)
{
	struct sim_result *r = run_text(2, contract);
	struct report_bucket a;

	(void)state;
	assert_int_equal(0, sim_result_total(r, NULL, NULL, &a));
	assert_int_equal(14 * INT64_C(86400000), a.ready_ms + a.not_ready_ms +
			 a.ringing_ms + a.talking_ms + a.wrapup_ms);
	sim_result_free(r);
}

/* One agent on from 08:00 to 16:00 of each day; callers never give up. The
 * agent books no time outside the shift, and callers left after the last
 * shift are unfinished: the run still ends. */
static void shifts_log_agents_in_and_out(void **state)
{
	struct sim_result *r;
	struct report_bucket q, a;
	struct sim_stats st;

	(void)state;
	r = run_text(4, "{\"duration_s\": 172800, \"interval_s\": 3600,"
		     " \"queues\": [{\"name\": \"q\"}],"
		     " \"agents\": [{\"count\": 1, \"queues\": [\"q\"],"
		     "   \"shift\": {\"start_s\": 28800, \"end_s\": 57600,"
		     "               \"repeat_s\": 86400}}],"
		     " \"arrivals\": [{\"queue\": \"q\", \"rate_per_hour\": 4}],"
		     " \"handle_time\": {\"dist\": \"fixed\", \"mean_s\": 60}}");
	sim_result_stats(r, &st);
	for (size_t i = 0; i < 48; i++) {
		int64_t h = (int64_t)i % 24, worked;
		assert_int_equal(0, sim_result_row(r, i, &q, &a));
		worked = a.ready_ms + a.ringing_ms + a.talking_ms + a.wrapup_ms;
		if (h < 8 || h >= 17)
			assert_int_equal(0, worked);
		else if (h < 16)
			assert_int_equal(3600000, worked);
	}
	assert_true(st.unfinished > 0);
	assert_int_equal(0, sim_result_total(r, NULL, &q, NULL));
	assert_int_equal(q.entered, q.answered + (int64_t)st.unfinished);
	sim_result_free(r);
}

/* Fixed 60 s talk and 30 s wrap-up: both averages exact, handle time is
 * their sum, and wrap-up keeps the agent busy. */
static void wrap_up_follows_every_call(void **state)
{
	struct sim_result *r;
	struct report_bucket q, a;

	(void)state;
	r = run_text(8, ONE_QUEUE(", \"wrap_up_s\": 30")
		     " \"duration_s\": 36000,"
		     " \"agents\": [{\"count\": 3, \"queues\": [\"q\"]}],"
		     " \"arrivals\": [{\"queue\": \"q\", \"rate_per_hour\": 60}],"
		     " \"handle_time\": {\"dist\": \"fixed\", \"mean_s\": 60}}");
	assert_int_equal(0, sim_result_total(r, NULL, &q, &a));
	assert_true(q.completed > 400);
	assert_true(kpi("avg_talk_time", &q) == 60.0);
	assert_true(kpi("avg_wrap_time", &q) == 30.0);
	assert_true(kpi("avg_handle_time", &q) == 90.0);
	assert_true(a.wrapup_ms > 0 && a.wrapup_ms <= q.completed * 30000);
	sim_result_free(r);
}

/* Agents answer 5 s after their phone starts ringing: every answered
 * call rang exactly 5 s, and waited at least that. */
static void the_answer_delay_is_ring_time(void **state)
{
	struct sim_result *r;
	struct report_bucket q;

	(void)state;
	r = run_text(8, ONE_QUEUE("") " \"duration_s\": 36000,"
		     " \"agents\": [{\"count\": 5, \"queues\": [\"q\"]}],"
		     " \"arrivals\": [{\"queue\": \"q\", \"rate_per_hour\": 60}],"
		     " \"handle_time\": {\"dist\": \"exponential\", \"mean_s\": 120},"
		     " \"answer_delay\": {\"dist\": \"fixed\", \"mean_s\": 5}}");
	assert_int_equal(0, sim_result_total(r, NULL, &q, NULL));
	assert_true(q.answered > 400);
	assert_true(kpi("avg_ring_time", &q) == 5.0);
	assert_true(kpi("asa", &q) >= 5.0);
	sim_result_free(r);
}

/* Agents take 40 s to answer a phone that rings 30 s: every ring goes
 * unanswered, so nobody is ever answered and every caller gives up. */
static void a_ring_longer_than_the_timeout_is_never_answered(void **state)
{
	struct sim_result *r;
	struct report_bucket q;

	(void)state;
	r = run_text(8, ONE_QUEUE(", \"ring_timeout_s\": 30")
		     " \"duration_s\": 7200,"
		     " \"agents\": [{\"count\": 2, \"queues\": [\"q\"]}],"
		     " \"arrivals\": [{\"queue\": \"q\", \"rate_per_hour\": 30}],"
		     " \"handle_time\": {\"dist\": \"exponential\", \"mean_s\": 120},"
		     " \"patience\": {\"dist\": \"exponential\", \"mean_s\": 100},"
		     " \"answer_delay\": {\"dist\": \"fixed\", \"mean_s\": 40}}");
	assert_int_equal(0, sim_result_total(r, NULL, &q, NULL));
	assert_true(q.entered > 30);
	assert_int_equal(0, q.answered);
	assert_true(q.ring_noanswer > 0);
	assert_true(q.offers >= q.ring_noanswer);
	assert_int_equal(q.entered, q.abandoned + q.short_abandoned);
	sim_result_free(r);
}

/* 400 calls an hour in every other quarter hour, none in the others. */
static void arrival_rates_follow_their_intervals(void **state)
{
	struct sim_result *r;
	struct report_bucket q;
	int64_t busy = 0;

	(void)state;
	r = run_text(12, ONE_QUEUE("") " \"duration_s\": 86400,"
		     " \"agents\": [{\"count\": 40, \"queues\": [\"q\"]}],"
		     " \"arrivals\": [{\"queue\": \"q\","
		     "   \"rates_per_hour\": [0, 400], \"rate_interval_s\": 900}],"
		     " \"handle_time\": {\"dist\": \"exponential\", \"mean_s\": 60}}");
	assert_int_equal(96, sim_result_rows(r));
	for (size_t i = 0; i < 96; i++) {
		assert_int_equal(0, sim_result_row(r, i, &q, NULL));
		if (i % 2 == 0)
			assert_int_equal(0, q.entered);
		else
			busy += q.entered;
	}
	/* 48 x 100 expected: Poisson, 4 sd = 4 sqrt(4800) = 277. */
	assert_true(llabs(busy - 4800) < 277);
	sim_result_free(r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(the_same_seed_gives_the_same_run),
		cmocka_unit_test(the_generator_is_xoshiro256_star_star),
		cmocka_unit_test(every_call_has_exactly_one_outcome),
		cmocka_unit_test(agent_time_is_the_period_exactly),
		cmocka_unit_test(shifts_log_agents_in_and_out),
		cmocka_unit_test(wrap_up_follows_every_call),
		cmocka_unit_test(the_answer_delay_is_ring_time),
		cmocka_unit_test(a_ring_longer_than_the_timeout_is_never_answered),
		cmocka_unit_test(arrival_rates_follow_their_intervals),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
