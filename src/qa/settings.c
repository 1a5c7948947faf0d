/* qa/settings: how long an agent may appeal a score, for the module's
 * export row (base/mod.h). The open hook (mod.c) reads it once into struct
 * qa_values (qa_int.h), kept in the house for the handlers. */
#include "base/field.h"
#include "base/mod.h"
#include "base/util.h"
#include "qa/qa_int.h"


static const struct field rows[] = {
	{.name = "qa.appeal_days", .kind = FIELD_INT,
	 FIELD_AT(struct qa_values, appeal_days), .lo = 0, .hi = 365,
	 .def = "7",
	 .help = "days an agent has to appeal a QA score, from the evaluation (0: no appeals)",
	 .doc = "days an agent has, from the evaluation, to appeal a quality-inspection score once (`0`: no appeals)"},
};

const struct mod_settings qa_settings = {
	rows, ARRAY_LEN(rows), sizeof(struct qa_values),
};
