/* queue/settings: the settings the live ACD reads, for the module's export
 * row (base/mod.h). The start hook (http.c) reads them once into struct
 * queue_values (http_int.h) and hands them to the host's options. */
#include "base/field.h"
#include "base/mod.h"
#include "base/util.h"
#include "queue/http_int.h"

#define V(m) FIELD_AT(struct queue_values, m)

static const struct field rows[] = {
	{.name = "queue.phone_login", .kind = FIELD_BOOL, V(phone_login),
	 .help = "a phone registering logs its agent in ready, its last registration ending logs out (default: on with --demo)",
	 .doc = "a phone registering logs its agent in ready, its last registration ending logs it out (`true` or `false`)",
	 .def_doc = "on with `--demo`"},
	{.name = "queue.flush_ms", .kind = FIELD_INT, V(flush_ms), .lo = 100,
	 .hi = 3600000, .def = "5000", .unit = "ms",
	 .help = "how often KPI buckets are stored, ms",
	 .doc = "how often KPI buckets are stored, ms (100..3600000)"},
};

const struct mod_settings queue_settings = {
	rows, ARRAY_LEN(rows), sizeof(struct queue_values),
};
