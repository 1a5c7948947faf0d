/* sched: workforce management in `hotline serve` — the forecast and
 * staffing of a queue (GET /api/v1/wfm/forecast, wfm/'s maths over the
 * queue's stored KPI rows), agents' planned shifts and breaks (the shifts
 * table, migration 039), planned against actual staffing per interval,
 * schedule adherence, and the two KPIs that need schedules: 出勤率
 * (attendance) and 实际工作率 (utilization). docs/wfm.md explains each.
 *
 * Facts that always hold:
 *  (1) Every database read and the forecast's fit run on api's workers;
 *      the loop only checks the request and, for actual agent time, asks
 *      the queue host for the buckets it holds in memory.
 *  (2) A shift lies within one agent's own time: an agent's shifts never
 *      overlap, each lasts at most SCHED_SHIFT_MAX_MS, and its breaks lie
 *      inside it without overlapping each other.
 *  (3) Who may see or change a shift follows the caller's data scope
 *      (api/scope.c) on the shift's agent, as call records do. */
#ifndef HL_SCHED_H
#define HL_SCHED_H

#include <stddef.h>
#include <stdint.h>

struct mod_export;

/* The module's row: routes only (its work runs on api's workers). */
extern const struct mod_export sched_module;

enum {
	SCHED_BREAKS_MAX = 8,
};
#define SCHED_SHIFT_MAX_MS (INT64_C(16) * 3600000)

/* A planned span of one agent: [start_ms, end_ms). */
struct sched_span { int64_t start_ms, end_ms; };

/* A shift: its span and its breaks (inside it, sorted, disjoint). */
struct sched_shift {
	struct sched_span span;
	struct sched_span breaks[SCHED_BREAKS_MAX];
	size_t nbreaks;
};

/* How many milliseconds of [from, to) the shift is on duty: inside the
 * shift and outside its breaks. Pure. */
int64_t sched_on_duty_ms(const struct sched_shift *s, int64_t from,
			 int64_t to);

/* 0 when s keeps fact 2 (start >= 0, end after start, at most
 * SCHED_SHIFT_MAX_MS; breaks inside, in order, disjoint), else EINVAL
 * with *why naming the field. Pure. */
int  sched_shift_check(const struct sched_shift *s, const char **why);

#endif
