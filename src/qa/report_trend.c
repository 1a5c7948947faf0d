/* qa/report_trend: the QA report by=trend — each agent's score trend: the
 * average final score (监听分值) per week or month (period=week|month,
 * default week; trend.h says where each starts) of the evaluations scored
 * in from..to, in the zone tz (a name tz_load takes, default UTC; the
 * console sends the browser's), through the caller's data scope; agent=
 * narrows it to one agent. Rows come by agent, then period; a period
 * without evaluations has no row (a gap, not a zero, in the line). */
#include <errno.h>
#include <math.h>
#include <string.h>
#include "base/tz.h"
#include "db/db.h"
#include "qa/qa_int.h"
#include "qa/trend.h"

struct fold {
	const struct tz *z;
	enum qa_period p;
	json_t *items;
	char agent[API_EXT_MAX + 1], period[QA_PERIOD_LEN];
	int64_t n;
	double sum;
};

static int flush(struct fold *f)
{
	if (!f->n)
		return 0;
	if (json_array_append_new(f->items, json_pack("{s:s, s:s, s:I, s:f}",
			"agent", f->agent, "period", f->period,
			"evaluations", (json_int_t)f->n, "avg_score",
			round(f->sum / (double)f->n * 100) / 100)))
		return ENOMEM;
	f->n = 0;
	f->sum = 0;
	return 0;
}

static int trend_row(const struct db_row *row, void *arg)
{
	struct fold *f = arg;
	const char *agent = db_row_text(row, 0) ?: "";
	const int64_t at = db_row_int(row, 1);
	char period[QA_PERIOD_LEN];
	int err = 0;

	qa_period_name(at, tz_offset_s(f->z, at / 1000), f->p, period);
	if (strcmp(agent, f->agent) || strcmp(period, f->period)) {
		err = flush(f);
		util_strlcpy(f->agent, agent, sizeof(f->agent));
		util_strlcpy(f->period, period, sizeof(f->period));
	}
	f->n++;
	f->sum += db_row_double(row, 2);
	return err;
}

int qa_report_trend(struct qa_job *q, struct db *db, int64_t from,
		    int64_t to, json_t *items, const char **period)
{
	const char *sc[API_SCOPE_NARGS];
	char per[16], zone[TZ_NAME_LEN], agent[API_EXT_MAX + 1];
	struct fold f = {.items = items};
	struct tz *z = NULL;
	int err;

	if (qa_query_word(q, "period", per, sizeof(per)) ||
	    qa_query_word(q, "tz", zone, sizeof(zone)) ||
	    qa_query_word(q, "agent", agent, sizeof(agent)))
		return EINVAL;
	if (qa_period_parse(*per ? per : "week", &f.p)) {
		qa_fail(q, 400, "period: want week or month");
		return EINVAL;
	}
	if (tz_load(&z, *zone ? zone : "UTC")) {
		qa_fail(q, 400, "tz: no such time zone (Asia/Shanghai, "
			"+08:00, UTC)");
		return EINVAL;
	}
	*period = f.p == QA_PERIOD_WEEK ? "week" : "month";
	f.z = z;
	api_scope_args(&q->j.req.user, sc);
	err = db_query(db, trend_row, &f, "SELECT e.agent, e.created_at, "
		       "e.final_score FROM qa_evaluations e WHERE "
		       API_SCOPE_SQL("e.agent", "e.agent") " AND e.created_at "
		       ">= ? AND e.created_at < ? AND e.calibration_id IS NULL "
		       "AND (? = '' OR e.agent = ?) "
		       "ORDER BY e.agent, e.created_at, e.id", API_SCOPE_TYPES
		       "ii" "tt", sc[0], sc[1], sc[2], sc[3], sc[4], from, to,
		       agent, agent);
	err = err ? err : flush(&f);
	tz_free(z);
	if (err)
		qa_fail(q, 500, "cannot read the report");
	return err ? EIO : 0;
}
