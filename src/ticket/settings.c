/* ticket/settings: the settings of work orders: how often their time
 * limits are checked, how much may be attached, for the module's export
 * row (base/mod.h). The start hook (mod.c) reads them once into struct
 * ticket_values (http_int.h), kept in the module's state. */
#include "base/field.h"
#include "base/mod.h"
#include "base/util.h"
#include "ticket/http_int.h"

#define V(m) FIELD_AT(struct ticket_values, m)

static const struct field rows[] = {
	{.name = "ticket.check_ms", .kind = FIELD_INT, V(check_ms),
	 .lo = 100, .hi = 3600000, .def = "10000", .unit = "ms",
	 .help = "how often work orders' time limits are checked, ms",
	 .doc = "how often open work orders are checked for time-limit warnings and breaches, ms (100..3600000)"},
	{.name = "ticket.attach_max_bytes", .kind = FIELD_INT,
	 V(attach_max_bytes), .lo = 1, .hi = 20971520, .def = "10485760",
	 .unit = "bytes",
	 .help = "largest file attached to a work order, bytes",
	 .doc = "largest file one may attach to a work order, bytes (1..20971520); a larger one gets 413"},
	{.name = "ticket.attach_max_files", .kind = FIELD_INT,
	 V(attach_max_files), .lo = 1, .hi = 1000, .def = "20",
	 .help = "most files attached to one work order",
	 .doc = "most files one work order may have attached at once (1..1000); one more gets 409"},
};

const struct mod_settings ticket_settings = {
	rows, ARRAY_LEN(rows), sizeof(struct ticket_values),
};
