/* spc/http_region: GET /api/v1/reports/calls-by-region — calls by where
 * the caller's number is from (归属地: the province and city call/ looked
 * up with region/ when the call record was made), for the map of China
 * and its table. Read on an api worker: one grouped query over the
 * period's calls the user may see (their data scope, as the call list). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "base/util.h"
#include "base/mod.h"
#include "db/db.h"
#include "spc/spc_int.h"

struct region_job {
	struct api_job j;
	int64_t from, to;
	char queue[64], direction[16];
	int format;          /* spc_format_parse's: 0 JSON, 1 CSV, 2 XLSX */
	json_t *provinces;   /* [{"province","calls","answered","cities"}] */
	json_t *unknown;     /* {"calls","answered"}: no region known */
	json_int_t total;
};

/* Rows come ordered by province, then calls: a province's cities follow
 * one another, so the last province in the array is the one to add to. */
static int row_h(const struct db_row *row, void *arg)
{
	struct region_job *r = arg;
	const char *prov = db_row_text(row, 0), *city = db_row_text(row, 1);
	json_int_t calls = db_row_int(row, 2), answered = db_row_int(row, 3);
	size_t n = json_array_size(r->provinces);
	json_t *p = n ? json_array_get(r->provinces, n - 1) : NULL;

	r->total += calls;
	if (!prov || !*prov) {
		json_int_t c = json_integer_value(json_object_get(r->unknown,
								  "calls"));
		json_int_t a = json_integer_value(json_object_get(r->unknown,
								  "answered"));

		json_object_set_new(r->unknown, "calls", json_integer(c + calls));
		json_object_set_new(r->unknown, "answered",
				    json_integer(a + answered));
		return 0;
	}
	if (!p || strcmp(json_string_value(json_object_get(p, "province")),
			 prov)) {
		p = json_pack("{s:s, s:I, s:I, s:[]}", "province", prov,
			      "calls", (json_int_t)0, "answered", (json_int_t)0,
			      "cities");
		if (!p || json_array_append_new(r->provinces, p))
			return ENOMEM;
	}
	json_object_set_new(p, "calls", json_integer(calls +
		json_integer_value(json_object_get(p, "calls"))));
	json_object_set_new(p, "answered", json_integer(answered +
		json_integer_value(json_object_get(p, "answered"))));
	return json_array_append_new(json_object_get(p, "cities"), json_pack(
		"{s:s, s:I, s:I}", "city", city && *city ? city : "—",
		"calls", calls, "answered", answered)) ? ENOMEM : 0;
}

static int by_calls(const void *a, const void *b)
{
	json_int_t x = json_integer_value(json_object_get(*(json_t *const *)a,
							  "calls"));
	json_int_t y = json_integer_value(json_object_get(*(json_t *const *)b,
							  "calls"));

	return x < y ? 1 : x > y ? -1 : 0;
}

static void rg_work(struct api_job *j)
{
	struct region_job *r = (struct region_job *)j;
	const char *sc[API_SCOPE_NARGS];
	size_t n;
	json_t **v;

	r->provinces = json_array();
	r->unknown = json_pack("{s:I, s:I}", "calls", (json_int_t)0,
			       "answered", (json_int_t)0);
	if (!r->provinces || !r->unknown) {
		j->err = ENOMEM;
		return;
	}
	api_scope_args(&j->req.user, sc);
	j->err = db_query(api_house(&j->req)->db, row_h, r,
		"SELECT province, city, COUNT(*), "
		"SUM(CASE WHEN answered_at IS NOT NULL THEN 1 ELSE 0 END) "
		"FROM calls WHERE started_at >= ? AND started_at < ? "
		"AND " API_SCOPE_SQL("agent", "transfer_by") " "
		"AND (? = '' OR queue = ?) AND (? = '' OR direction = ?) "
		"GROUP BY province, city ORDER BY province, COUNT(*) DESC, city",
		"ii" API_SCOPE_TYPES "tttt", r->from, r->to, sc[0], sc[1], sc[2],
		sc[3], sc[4], r->queue, r->queue, r->direction, r->direction);
	/* The table reads from the busiest province down. */
	n = json_array_size(r->provinces);
	v = n ? malloc(n * sizeof(*v)) : NULL;
	if (!j->err && v) {
		for (size_t i = 0; i < n; i++)
			v[i] = json_incref(json_array_get(r->provinces, i));
		qsort(v, n, sizeof(*v), by_calls);
		json_array_clear(r->provinces);
		for (size_t i = 0; i < n; i++)
			json_array_append_new(r->provinces, v[i]);
	} else if (!j->err && n) {
		j->err = ENOMEM;
	}
	free(v);
}

static void rg_done(struct api_job *j)
{
	struct region_job *r = (struct region_job *)j;
	char f[UTIL_TIME_LEN], t[UTIL_TIME_LEN];
	json_t *out;

	if (j->err) {
		api_reply_error(j->req.conn, 500, "cannot read the calls");
		return;
	}
	util_rfc3339(f, r->from);
	util_rfc3339(t, r->to);
	out = json_pack("{s:s, s:s, s:I, s:O, s:O}", "from", f, "to", t,
			"total", r->total, "provinces", r->provinces,
			"unknown", r->unknown);
	if (out && r->format)
		spc_export(&j->req, out, &spc_table_region, r->format == 2,
			   "calls-by-region");
	else
		api_reply_json(j->req.conn, 200, NULL, out);
}

static void rg_clean(struct api_job *j)
{
	struct region_job *r = (struct region_job *)j;

	json_decref(r->provinces);
	json_decref(r->unknown);
}

static const char *const directions[] = {"inbound", "outbound", "internal"};

void spc_h_region(struct api_req *req)
{
	int64_t now = util_now_ms(), day = now - now % 86400000;
	struct region_job *r, k = {0};
	char fmt[8];
	size_t i;
	int e;

	if (api_query_time(req, "to", now, &k.to) ||
	    api_query_time(req, "from", day, &k.from))
		return;
	e = api_query_get(req->query, "queue", k.queue, sizeof(k.queue));
	if (e && e != ENOENT)
		return spc_bad_param(req->conn, "queue", "bad 'queue'");
	e = api_query_get(req->query, "direction", k.direction,
			  sizeof(k.direction));
	for (i = 0; !e && i < ARRAY_LEN(directions); i++)
		if (!strcmp(k.direction, directions[i]))
			break;
	if ((e && e != ENOENT) || (!e && i == ARRAY_LEN(directions)))
		return spc_bad_param(req->conn, "direction", "direction: want "
				     "inbound, outbound or internal");
	e = api_query_get(req->query, "format", fmt, sizeof(fmt));
	k.format = e == ENOENT ? 0 : e ? -1 : spc_format_parse(fmt);
	if (k.format < 0)
		return spc_bad_param(req->conn, "format", "format: want json, "
				     "csv or xlsx");
	if (k.to <= k.from || k.to - k.from > 366LL * 86400000)
		return spc_refuse(req->conn, 400, "bad_period", NULL, "from, "
				  "to: want from before to, at most a year "
				  "apart");
	r = api_job_alloc(req, sizeof(*r), rg_work, rg_done, rg_clean);
	if (!r)
		return;
	r->from = k.from;
	r->to = k.to;
	r->format = k.format;
	memcpy(r->queue, k.queue, sizeof(r->queue));
	memcpy(r->direction, k.direction, sizeof(r->direction));
	api_job_queue(r);
}
