/* spc/http_defs: GET /api/v1/reports/kpi-targets — every KPI of the KPI
 * report with its names, unit, the target in force and its 监控措施, so
 * the console's daily summary and the wallboard colour a missed target
 * and the control chart page offers each KPI by name and draws its
 * target. ?queue= asks for the targets in force for one queue (its own
 * over the center's over the reference's, spc/target.c); without it, the
 * center's. The stored targets are read on an api worker. */
#include <errno.h>
#include <math.h>
#include <string.h>
#include "base/mod.h"
#include "queue/queue.h"
#include "report/report.h"
#include "spc/spc_int.h"

struct defs_job {
	struct api_job j;
	char queue[SPC_TARGET_NAME];
	struct spc_target_set s;
	char why[200];
};

static void dj_work(struct api_job *j)
{
	struct defs_job *d = (struct defs_job *)j;

	/* Only a queue in the user's data scope; the center's targets are
	 * no one's figures and everyone who reads targets reads them. */
	if (d->queue[0])
		j->err = spc_scope_check(api_house(&j->req)->db, &j->req.user,
					 d->queue, NULL, d->why, sizeof(d->why));
	j->err = j->err ? j->err : spc_targets_read(api_house(&j->req)->db,
						     &d->s);
}

static json_t *item_json(const struct report_kpi_def *k,
			 const struct defs_job *d)
{
	const struct spc_checks *c = spc_checks_find(k->id);
	json_t *checks = json_array();
	enum spc_target_from from;
	double lo, hi;

	for (size_t j = 0; c && checks && j < c->n; j++)
		json_array_append_new(checks, json_string(c->items[j]));
	spc_target_effective(k, d->s.v, d->s.n, d->queue, &lo, &hi, &from);
	return json_pack("{s:s, s:s, s:s, s:s, s:s?, s:o, s:o, s:o, s:o, s:s,"
			 " s:b, s:b, s:o*}", "id", k->id, "name_zh",
			 k->name_zh, "name_en", k->name_en, "unit", k->unit,
			 "target", k->target, "target_lo", spc_bound_json(lo),
			 "target_hi", spc_bound_json(hi), "default_lo",
			 spc_bound_json(k->target_lo), "default_hi",
			 spc_bound_json(k->target_hi), "source",
			 spc_target_from_name(from), "ceiling_only",
			 spc_target_ceiling_only(k->id), "computed",
			 !k->needs, "checks", checks);
}

static void dj_done(struct api_job *j)
{
	struct defs_job *d = (struct defs_job *)j;
	size_t n;
	const struct report_kpi_def *k = report_kpis(&n);
	json_t *items = j->err ? NULL : json_array();

	if (j->err == EACCES)
		return spc_scope_refuse(j->req.conn, &j->req.user, d->queue,
					NULL, d->why);

	for (size_t i = 0; items && i < n; i++)
		if (json_array_append_new(items, item_json(&k[i], d))) {
			json_decref(items);
			items = NULL;
		}
	if (!items)
		return (void)api_reply_error(j->req.conn, 500, "cannot read "
					     "the KPI targets");
	api_reply_json(j->req.conn, 200, NULL, json_pack(
		"{s:s?, s:o}", "queue", d->queue[0] ? d->queue : NULL,
		"items", items));
}

static void dj_clean(struct api_job *j)
{
	spc_targets_free(&((struct defs_job *)j)->s);
}

void spc_h_kpi_targets(struct api_req *req)
{
	char q[SPC_TARGET_NAME] = "";
	struct defs_job *d;
	struct queue_qcfg cfg;
	int e = api_query_get(req->query, "queue", q, sizeof(q));

	if (e && e != ENOENT)
		return (void)api_reply_error(req->conn, 400, "bad 'queue'");
	if (q[0] && queue_cfg_get(api_house(req)->queues, q, &cfg))
		return (void)api_reply_error(req->conn, 404, "no queue %s", q);
	if (!(d = api_job_alloc(req, sizeof(*d), dj_work, dj_done, dj_clean)))
		return;
	memcpy(d->queue, q, sizeof(q));
	api_job_queue(d);
}
