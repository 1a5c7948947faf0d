/* queue/settings: the settings the live ACD reads, for the module's export
 * row (base/mod.h). Every row is read as text (cfg_get) where it is used. */
#include "base/field.h"
#include "base/mod.h"
#include "base/util.h"
#include "queue/http_int.h"


static const struct field rows[] = {
	{.name = "queue.phone_login", .kind = FIELD_BOOL,
	 .help = "a phone registering logs its agent in ready, its last registration ending logs out (default: on with --demo)",
	 .doc = "a phone registering logs its agent in ready, its last registration ending logs it out (`true` or `false`)",
	 .def_doc = "on with `--demo`"},
	{.name = "queue.flush_ms", .kind = FIELD_INT, .lo = 100,
	 .hi = 3600000, .def = "5000", .unit = "ms",
	 .help = "how often KPI buckets are stored, ms",
	 .doc = "how often KPI buckets are stored, ms (100..3600000)"},
};

const struct mod_settings queue_settings = {rows, ARRAY_LEN(rows), 0};
