/* report/settings: the windows of the call reports' side measures, for the
 * module's export row (base/mod.h). The open hook (http.c) reads them once
 * into struct report_values (report.h), kept in the house for the requests
 * that read them. */
#include "base/field.h"
#include "base/mod.h"
#include "base/util.h"
#include "report/report_int.h"

#define V(m) FIELD_AT(struct report_values, m)

static const struct field rows[] = {
	{.name = "report.fcr_window_h", .kind = FIELD_INT, V(fcr_window_h),
	 .lo = 0, .hi = 8760, .def = "24", .unit = "h",
	 .help = "first-call resolution: a call from the same number within this many hours makes the first one unresolved",
	 .doc = "一次性解决问题的呼叫率: an answered call counts as resolved only if its number did not call again within this many hours (0..8760; the reference names no window, docs/kpi.md 4.21)"},
	{.name = "report.ring_period_ms", .kind = FIELD_INT, V(ring_period_ms),
	 .lo = 1000, .hi = 60000, .def = "5000", .unit = "ms",
	 .help = "ringback cadence for the average ring count: a ring begins every this many ms (China: 1 s on, 4 s off = 5000)",
	 .doc = "平均振铃次数: the ringback cadence callers hear, one ring beginning every this many ms (1000..60000; China's 1 s on, 4 s off is 5000)"},
};

const struct mod_settings report_settings = {
	rows, ARRAY_LEN(rows), sizeof(struct report_values),
};
