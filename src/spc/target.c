/* spc/target: the KPI targets in force. The reference's targets are
 * report/kpi.c's table; a center may set its own for itself (queue "")
 * and for each queue (spc/migrations/046_kpi_targets.sql). The most
 * specific row wins: the queue's, then the center's, then the default. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include "base/util.h"
#include "report/report.h"
#include "spc/spc.h"

/* The KPIs whose reference range is a ceiling: its low end is what a
 * center usually sees, and only its top asks for action. */
static const char *const ceiling_only[] = {
	"abandon_rate", "blocking_rate", "transfer_rate", "avg_queue_time",
	"avg_hold_time", "avg_ring_count",
};

static const char *const from_names[] = {
	[SPC_TARGET_DEFAULT] = "default", [SPC_TARGET_CENTER] = "center",
	[SPC_TARGET_QUEUE] = "queue",
};

const char *spc_target_from_name(enum spc_target_from f)
{
	return from_names[f];
}

bool spc_target_ceiling_only(const char *kpi)
{
	for (size_t i = 0; kpi && i < ARRAY_LEN(ceiling_only); i++)
		if (!strcmp(kpi, ceiling_only[i]))
			return true;
	return false;
}

void spc_target_effective(const struct report_kpi_def *def,
			  const struct spc_target *rows, size_t n,
			  const char *queue, double *lo, double *hi,
			  enum spc_target_from *from)
{
	const struct spc_target *center = NULL, *own = NULL;

	for (size_t i = 0; i < n; i++) {
		if (strcmp(rows[i].kpi, def->id))
			continue;
		if (!rows[i].queue[0])
			center = &rows[i];
		else if (queue && !strcmp(rows[i].queue, queue))
			own = &rows[i];
	}
	*from = own ? SPC_TARGET_QUEUE : center ? SPC_TARGET_CENTER :
		SPC_TARGET_DEFAULT;
	if (!own)
		own = center;
	*lo = own ? own->lo : def->target_lo;
	*hi = own ? own->hi : def->target_hi;
}

/* The range a bound in unit may take: ratios are fractions, everything
 * else (seconds, rings, calls, points) a count or a length. */
static double unit_max(const char *unit)
{
	return !strcmp(unit, "ratio") ? 1.0 : INFINITY;
}

static int bound_check(const struct report_kpi_def *def, const char *name,
		       double v, char *why, size_t n)
{
	if (isnan(v))
		return 0;
	if (!isfinite(v) || v < 0 || v > unit_max(def->unit)) {
		snprintf(why, n, "%s: %s is in %s, want %s", name, def->id,
			 def->unit, !strcmp(def->unit, "ratio") ?
			 "0 to 1 (0.8 for 80%)" : "a number not below 0");
		return EINVAL;
	}
	return 0;
}

int spc_target_check(const struct report_kpi_def *def, double lo, double hi,
		     const char *unit, char *why, size_t n)
{
	if (unit && strcmp(unit, def->unit)) {
		snprintf(why, n, "unit: %s is measured in %s, not %s", def->id,
			 def->unit, unit);
		return EINVAL;
	}
	if (bound_check(def, "target_lo", lo, why, n) ||
	    bound_check(def, "target_hi", hi, why, n))
		return EINVAL;
	if (!isnan(lo) && !isnan(hi) && lo > hi) {
		snprintf(why, n, "target_lo: above target_hi");
		return EINVAL;
	}
	return 0;
}

int spc_target_missed(const char *kpi, double lo, double hi, double v)
{
	bool floor = !isnan(lo) && !spc_target_ceiling_only(kpi);

	if (isnan(v) || (!floor && isnan(hi)))
		return -1;
	return (!isnan(hi) && v > hi) || (floor && v < lo);
}
