/* The simulator against queueing theory. With Poisson arrivals, exponential
 * handle times, no ring delay and one queue of identical agents, the router
 * and the KPI fold together are an M/M/N queue, so the simulated P(wait),
 * service level and ASA must agree with Erlang C (wfm_erlang_c_eval); with
 * exponential patience, P(abandon) and service level with Erlang A
 * (wfm_erlang_a_eval). A fixed handle time on one agent is M/D/1, whose
 * mean wait Pollaczek-Khinchine gives exactly.
 *
 * Tolerance: each run is cut into 50 batches (the report intervals), each
 * 25 hours of simulated time, i.e. hundreds of handle times, so batches are
 * nearly independent; the whole-run figure must lie within 4 standard
 * errors of the batch means (about 1 in 16,000 for a normal estimate).
 * Near full load waits are strongly correlated and a batch's figure varies
 * a lot, so each comparison also bounds the standard error: a simulator
 * too noisy to be tested fails rather than passing on a wide margin.
 * The seed is fixed, so a pass is a pass on every run. Each run has about
 * 200,000 calls. */
#include "helpers.h"
#include "wfm/wfm.h"

/* 160 calls an hour of 180 s each: 8 erlangs; 50 batches of 25 h. */
static const char *const mmn =
	"{\"duration_s\": 4500000, \"interval_s\": 90000,"
	" \"queues\": [{\"name\": \"q\", \"strategy\": \"%s\","
	"              \"sl_seconds\": 20}],"
	" \"agents\": [{\"count\": %u, \"queues\": [\"q\"]}],"
	" \"arrivals\": [{\"queue\": \"q\", \"rate_per_hour\": 160}],"
	" \"handle_time\": {\"dist\": \"exponential\", \"mean_s\": 180},"
	" \"patience\": %s}";

static void erlang_c_case(const char *strategy, unsigned agents)
{
	struct wfm_traffic t = {.calls = 160, .interval_s = 3600, .aht_s = 180};
	struct wfm_perf p;
	struct sim_result *r = run_text(7, mmn, strategy, agents,
					"{\"dist\": \"none\"}");
	struct batch b;
	struct sim_stats st;

	assert_int_equal(0, wfm_erlang_c_eval(&t, agents, 20, &p));
	sim_result_stats(r, &st);
	print_message("M/M/%u, %s, %llu calls\n", agents, strategy,
		      (unsigned long long)st.arrivals);
	assert_true(st.arrivals > 190000);
	assert_int_equal(0, st.unfinished);
	b = batches(r, "queue_placement_rate");
	agrees("P(wait)", &b, p.p_wait, 0.015);
	b = batches(r, "service_level");
	agrees("service level", &b, p.service_level, 0.015);
	b = batches(r, "asa");
	agrees("ASA s", &b, p.asa_s, 0.1 * p.asa_s);
	b = batches(r, "occupancy");
	agrees("occupancy", &b, p.occupancy, 0.01);
	b = batches(r, "abandon_rate");
	assert_true(b.total == 0);
	sim_result_free(r);
}

static void longest_idle_agrees_with_erlang_c(void **state)
{
	(void)state;
	erlang_c_case("longest-idle", 10);
}

/* Identical agents: which idle agent gets the call cannot change the
 * queue, so another strategy must agree too. */
static void round_robin_agrees_with_erlang_c_on_a_lighter_queue(void **state)
{
	(void)state;
	erlang_c_case("round-robin", 11);
}

static void exponential_patience_agrees_with_erlang_a(void **state)
{
	struct wfm_traffic t = {.calls = 160, .interval_s = 3600, .aht_s = 180,
				.patience_s = 120};
	struct wfm_perf p;
	struct sim_result *r;
	struct batch b;

	(void)state;
	/* 8 agents for 8 erlangs: Erlang C would never settle; the callers
	 * who give up keep the queue stable. */
	r = run_text(11, mmn, "longest-idle", 8u,
		     "{\"dist\": \"exponential\", \"mean_s\": 120}");
	assert_int_equal(0, wfm_erlang_a_eval(&t, 8, 20, &p));
	print_message("M/M/8+M, patience 120 s\n");
	b = batches(r, "abandon_rate");
	agrees("P(abandon)", &b, p.p_abandon, 0.01);
	b = batches(r, "service_level");
	agrees("service level", &b, p.service_level, 0.01);
	b = batches(r, "queue_placement_rate");
	agrees("P(wait)", &b, p.p_wait, 0.01);
	b = batches(r, "asa");
	agrees("ASA s", &b, p.asa_s, 2.0);
	b = batches(r, "occupancy");
	agrees("occupancy", &b, p.occupancy, 0.01);
	sim_result_free(r);
}

/* M/D/1 at load 0.5: 30 calls an hour of exactly 60 s. Pollaczek-Khinchine:
 * mean wait rho * S / (2 (1 - rho)) = 30 s, P(wait) = rho; every talk time
 * is exactly 60 s. */
static void fixed_handle_time_is_m_d_1(void **state)
{
	struct sim_result *r;
	struct report_bucket q, a;
	struct batch b;

	(void)state;
	r = run_text(3, "{\"duration_s\": 6000000, \"interval_s\": 120000,"
		     " \"queues\": [{\"name\": \"q\"}],"
		     " \"agents\": [{\"count\": 1, \"queues\": [\"q\"]}],"
		     " \"arrivals\": [{\"queue\": \"q\", \"rate_per_hour\": 30}],"
		     " \"handle_time\": {\"dist\": \"fixed\", \"mean_s\": 60}}");
	assert_int_equal(0, sim_result_total(r, NULL, &q, &a));
	print_message("M/D/1, rho 0.5, %lld calls\n", (long long)q.answered);
	assert_true(q.answered > 45000);
	assert_int_equal(q.talk_ms, q.completed * 60000);
	assert_true(kpi("avg_handle_time", &q) == 60.0);
	b = batches(r, "asa");
	agrees("mean wait s", &b, 30.0, 1.0);
	b = batches(r, "queue_placement_rate");
	agrees("P(wait)", &b, 0.5, 0.01);
	b = batches(r, "occupancy");
	agrees("occupancy", &b, 0.5, 0.01);
	sim_result_free(r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(longest_idle_agrees_with_erlang_c),
		cmocka_unit_test(round_robin_agrees_with_erlang_c_on_a_lighter_queue),
		cmocka_unit_test(exponential_patience_agrees_with_erlang_a),
		cmocka_unit_test(fixed_handle_time_is_m_d_1),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
