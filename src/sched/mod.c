/* sched/mod: the row of workforce management in `hotline serve` and its
 * routes. Forecasts and staffing are for those who plan the center
 * (administrators and supervisors); shifts are planned by them, within
 * their data scope, and read by the agents they are for. */
#include "base/mod.h"
#include "sched/sched_int.h"

/* See api/routes.c for what each column means. */
static const struct api_route rows[] = {
	{"GET", "/api/v1/wfm/forecast", sched_h_forecast, API_SUPERVISORS, 0,
	 "a queue's calls, AHT and agents per interval for the coming weeks: ?queue=, ?weeks=1..8, ?interval=15m|30m, ?history=3..26 weeks, ?from=, ?sl=, ?sl_time=, ?shrinkage=, ?patience=, ?model=auto|additive|multiplicative; the held-out week's MAPE"},
};
static const struct mod_routes routes = {rows, ARRAY_LEN(rows)};

/* No start: every request is read on api's workers from the tables of the
 * queue module and this module's own; nothing is held between requests. */
const struct mod_export sched_module = {
	.name = "sched", .routes = &routes,
};
