/* spc_int: what spc's HTTP files share; included only in src/spc/. */
#ifndef HL_SPC_SPC_INT_H
#define HL_SPC_SPC_INT_H

#include <jansson.h>
#include "api/http.h"
#include "spc/spc.h"

/* The answer for chart c and its signals, as POST /api/v1/reports/spc
 * gives it; chart and rules are the names asked for. NULL: out of memory. */
json_t *spc_chart_json(const struct spc_chart *c, const char *chart,
		       const char *rules, const struct spc_signals *sg);

/* GET /api/v1/reports/spc: a KPI's stored series, charted (http_kpi.c). */
void spc_h_kpi_chart(struct api_req *req);

#endif
