/* spc/http_defs: GET /api/v1/reports/kpi-targets — every KPI of the KPI
 * report with its names, unit, the reference's target (text and range)
 * and its 监控措施, so the console's daily summary can colour a missed
 * target and the control chart page can offer each KPI by name. Static
 * data (report/'s table and checks.c), answered on the loop. */
#include <math.h>
#include "base/mod.h"
#include "report/report.h"
#include "spc/spc_int.h"

static json_t *bound(double v)
{
	return isnan(v) ? json_null() : json_real(v);
}

void spc_h_kpi_targets(struct api_req *req)
{
	size_t n;
	const struct report_kpi_def *k = report_kpis(&n);
	json_t *items = json_array();

	for (size_t i = 0; items && i < n; i++) {
		const struct spc_checks *c = spc_checks_find(k[i].id);
		json_t *checks = json_array();

		for (size_t j = 0; c && checks && j < c->n; j++)
			json_array_append_new(checks, json_string(c->items[j]));
		json_array_append_new(items, json_pack(
			"{s:s, s:s, s:s, s:s, s:s?, s:o, s:o, s:b, s:o*}",
			"id", k[i].id, "name_zh", k[i].name_zh,
			"name_en", k[i].name_en, "unit", k[i].unit,
			"target", k[i].target, "target_lo",
			bound(k[i].target_lo), "target_hi",
			bound(k[i].target_hi), "computed", !k[i].needs,
			"checks", checks));
	}
	if (!items)
		return (void)api_reply_error(req->conn, 500, "out of memory");
	api_reply_json(req->conn, 200, NULL, json_pack("{s:o}", "items",
						       items));
}
