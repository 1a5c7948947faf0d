/* sched/mod: the row of workforce management in `hotline serve` and its
 * routes. Forecasts and staffing are for those who plan the center
 * (administrators and supervisors); shifts are planned by them, within
 * their data scope, and read by the agents they are for. */
#include "base/mod.h"
#include "sched/sched_int.h"

/* Agents read their own shifts (the data scope), executives every one. */
#define READERS (API_SUPERVISORS | API_R_AGENT | API_R_EXECUTIVE)

/* See api/routes.c for what each column means. */
static const struct api_route rows[] = {
	{"GET", "/api/v1/wfm/forecast", sched_h_forecast, API_SUPERVISORS, 0,
	 "a queue's calls, AHT and agents per interval for the coming weeks: ?queue=, ?weeks=1..8, ?interval=15m|30m, ?history=3..26 weeks, ?from=, ?sl=, ?sl_time=, ?shrinkage=, ?patience=, ?model=auto|additive|multiplicative; the held-out week's MAPE"},
	{"GET", "/api/v1/wfm/shifts", sched_h_shift_list, READERS, 0,
	 "planned shifts overlapping ?from= to ?to= (default the 7 days from today, at most 92), ?agent=; the caller's data scope"},
	{"POST", "/api/v1/wfm/shifts", sched_h_shift_create, API_SUPERVISORS, 0,
	 "plans a shift: agent, start_ms, end_ms (at most 16 h), breaks [{start_ms, end_ms}] inside it, note; 409 when it overlaps the agent's other shift"},
	{"GET", "/api/v1/wfm/shifts/{id}", sched_h_shift_get, READERS, 0,
	 "one shift"},
	{"PUT", "/api/v1/wfm/shifts/{id}", sched_h_shift_update, API_SUPERVISORS, 0,
	 "replaces a shift (the fields of POST)"},
	{"DELETE", "/api/v1/wfm/shifts/{id}", sched_h_shift_delete, API_SUPERVISORS, 0,
	 "removes a shift"},
	{"GET", "/api/v1/wfm/staffing", sched_h_staffing, API_SUPERVISORS, 0,
	 "planned against actual agents per ?interval=15m|30m|1h over whole days ?from= (00:00 UTC or a local midnight) to ?to= (at most 31), ?agent=, ?department=: on duty, signed in, available"},
	{"GET", "/api/v1/wfm/adherence", sched_h_adherence, API_SUPERVISORS, 0,
	 "schedule adherence per agent, agents scheduled and worked per day, and the KPIs attendance (出勤率) and utilization (实际工作率) over ?from= to ?to=, ?agent=, ?department= (a team and those below it)"},
};
static const struct mod_routes routes = {rows, ARRAY_LEN(rows)};

/* No start: every request is read on api's workers from the tables of the
 * queue module and this module's own; nothing is held between requests. */
const struct mod_export sched_module = {
	.name = "sched", .routes = &routes,
};
