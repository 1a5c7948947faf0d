/* spc/targets_db: the stored KPI targets (kpi_targets, migration 046),
 * read whole on an api worker — a few rows per queue at most — and the
 * JSON every reader of a target shares. */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "base/util.h"
#include "db/db.h"
#include "report/report.h"
#include "spc/spc_int.h"

static int row_h(const struct db_row *row, void *arg)
{
	struct spc_target_set *s = arg;
	const char *q = db_row_text(row, 0), *k = db_row_text(row, 1);

	if (s->n == s->cap) {
		size_t cap = s->cap ? s->cap * 2 : 32;
		struct spc_target *v = realloc(s->v, cap * sizeof(*v));

		if (!v)
			return ENOMEM;
		s->v = v;
		s->names = realloc(s->names, cap * sizeof(*s->names));
		if (!s->names)
			return ENOMEM;
		s->cap = cap;
	}
	util_strlcpy(s->names[s->n][0], q ? q : "", SPC_TARGET_NAME);
	util_strlcpy(s->names[s->n][1], k ? k : "", SPC_TARGET_NAME);
	s->v[s->n].lo = db_row_isnull(row, 2) ? NAN : db_row_double(row, 2);
	s->v[s->n].hi = db_row_isnull(row, 3) ? NAN : db_row_double(row, 3);
	s->n++;
	return 0;
}

int spc_targets_read(struct db *db, struct spc_target_set *s)
{
	int err = db_query(db, row_h, s, "SELECT queue, kpi, target_lo, "
			   "target_hi FROM kpi_targets ORDER BY queue, kpi",
			   "");

	/* The names moved while the arrays grew: point at them now. */
	for (size_t i = 0; !err && i < s->n; i++) {
		s->v[i].queue = s->names[i][0];
		s->v[i].kpi = s->names[i][1];
	}
	return err;
}

void spc_targets_free(struct spc_target_set *s)
{
	free(s->v);
	free(s->names);
	memset(s, 0, sizeof(*s));
}

json_t *spc_bound_json(double v)
{
	return isnan(v) ? json_null() : json_real(v);
}

/* {"target_lo", "target_hi"} of t, plus "queue" when with_queue. */
static json_t *row_json(const struct spc_target *t, bool with_queue)
{
	json_t *o = json_pack("{s:o, s:o}", "target_lo", spc_bound_json(t->lo),
			      "target_hi", spc_bound_json(t->hi));

	if (o && with_queue)
		json_object_set_new(o, "queue", json_string(t->queue));
	return o;
}

json_t *spc_targets_json(const struct spc_target_set *s)
{
	size_t n;
	const struct report_kpi_def *k = report_kpis(&n);
	json_t *items = json_array();

	for (size_t i = 0; items && i < n; i++) {
		json_t *center = json_null(), *queues = json_array(), *it;

		for (size_t j = 0; queues && j < s->n; j++) {
			if (strcmp(s->v[j].kpi, k[i].id))
				continue;
			if (!s->v[j].queue[0]) {
				json_decref(center);
				center = row_json(&s->v[j], false);
			} else {
				json_array_append_new(queues,
						      row_json(&s->v[j], true));
			}
		}
		it = json_pack("{s:s, s:s, s:s, s:s, s:s?, s:o, s:o, s:b, s:o*,"
			       " s:o*}", "id", k[i].id, "name_zh", k[i].name_zh,
			       "name_en", k[i].name_en, "unit", k[i].unit,
			       "target", k[i].target, "default_lo",
			       spc_bound_json(k[i].target_lo), "default_hi",
			       spc_bound_json(k[i].target_hi), "ceiling_only",
			       spc_target_ceiling_only(k[i].id), "center",
			       center, "queues", queues);
		if (!it || json_array_append_new(items, it)) {
			json_decref(items);
			return NULL;
		}
	}
	return items ? json_pack("{s:o}", "items", items) : NULL;
}
