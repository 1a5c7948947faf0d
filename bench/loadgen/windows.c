/* windows: sustained mode's figures. One row per window of --window
 * answered set-ups: the target's CPU per set-up (from /proc/PID/stat, which
 * a shared machine's load distorts less than wall time), set-ups per
 * second, RSS and the datagrams the target's SIP socket dropped; then the
 * last window against the first, beside issue 18's target (within 20 %). */
#include <jansson.h>
#include <math.h>
#include <stdio.h>
/* Not <re.h>: its re_json.h clashes with jansson. */
#include <re_types.h>
#include <re_sa.h>
#include "loadgen.h"

enum { TARGET_PCT = 20 };

static double cpu_per_setup(const struct lg_window *w)
{
	return w->target_cpu_ms >= 0 && w->setups ?
		w->target_cpu_ms / (double)w->setups : -1;
}

/* Last window's CPU per set-up over the first's, in % above; NAN if
 * unknown. The last window is left out when it is a short remainder. */
static double growth_pct(const struct lg_result *r, unsigned *last)
{
	if (r->windows_n < 2)
		return NAN;
	unsigned l = r->windows_n - 1;
	if (r->windows[l].setups * 2 < r->windows[0].setups && l > 1)
		l--;
	*last = l;
	double a = cpu_per_setup(&r->windows[0]), b = cpu_per_setup(&r->windows[l]);
	return a > 0 && b >= 0 ? (b / a - 1) * 100 : NAN;
}

static void drops_str(char *buf, size_t n, uint64_t d)
{
	if (d == (uint64_t)-1)
		snprintf(buf, n, "-");
	else
		snprintf(buf, n, "%llu", (unsigned long long)d);
}

void lg_report_windows_text(const struct lg_result *r)
{
	char drops[24];

	if (!r->windows_n)
		return;
	printf("%6s %8s %6s %9s %11s %10s %9s %9s\n", "window", "set-ups",
	       "failed", "wall-s", "set-ups/s", "tgt-ms/su", "tgt-rssKB",
	       "sip-drops");
	for (unsigned i = 0; i < r->windows_n; i++) {
		const struct lg_window *w = &r->windows[i];
		drops_str(drops, sizeof(drops), w->sip_drops);
		printf("%6u %8llu %6llu %9.1f %11.1f %10.3f %9llu %9s\n", i + 1,
		       (unsigned long long)w->setups,
		       (unsigned long long)w->failed, w->wall_s,
		       w->wall_s > 0 ? (double)w->setups / w->wall_s : 0.0,
		       cpu_per_setup(w), (unsigned long long)w->target_rss_kb,
		       drops);
	}
	unsigned last = 0;
	double g = growth_pct(r, &last);
	if (!isnan(g))
		printf("sustained: CPU per set-up, window %u vs 1: %+.1f%% "
		       "(target: within %d%%) %s\n", last + 1, g, TARGET_PCT,
		       g <= TARGET_PCT ? "MET" : "MISSED");
	drops_str(drops, sizeof(drops), r->sip_drops);
	printf("sip    target port drops over the run: %s\n", drops);
}

json_t *lg_windows_json(const struct lg_result *r)
{
	json_t *arr = json_array();

	for (unsigned i = 0; arr && i < r->windows_n; i++) {
		const struct lg_window *w = &r->windows[i];
		json_array_append_new(arr, json_pack(
			"{s:I,s:I,s:f,s:f,s:f,s:I,s:I}",
			"setups", (json_int_t)w->setups,
			"failed", (json_int_t)w->failed,
			"wall_s", w->wall_s,
			"setups_per_s", w->wall_s > 0 ?
				(double)w->setups / w->wall_s : 0.0,
			"target_cpu_ms_per_setup", cpu_per_setup(w),
			"target_rss_kb", (json_int_t)w->target_rss_kb,
			"sip_drops", w->sip_drops == (uint64_t)-1 ? (json_int_t)-1
				: (json_int_t)w->sip_drops));
	}
	unsigned last = 0;
	double g = growth_pct(r, &last);
	return json_pack("{s:o,s:o,s:I}", "windows", arr,
			 "cpu_per_setup_growth_pct",
			 isnan(g) ? json_null() : json_real(g),
			 "sip_drops", r->sip_drops == (uint64_t)-1 ?
				(json_int_t)-1 : (json_int_t)r->sip_drops);
}
