/* spc/export_tables: the columns of each table the report pages export
 * (export.c writes them), and how a row is read from the JSON the page's
 * GET answers. Numbers that do not exist (a moving range before the
 * second point, a rate of no calls) are empty cells. */
#include <math.h>
#include <stdio.h>
#include "base/util.h"
#include "spc/spc_int.h"

static json_t *num(double v)
{
	return isnan(v) ? json_null() : json_real(v);
}

static double get_num(const json_t *o, const char *k)
{
	const json_t *v = json_object_get(o, k);

	return json_is_number(v) ? json_number_value(v) : NAN;
}

/* ---- a KPI's control chart: a row per point */

/* The rule ids of the signals point i belongs to, "8 3"; null for none. */
static json_t *signals_of(const json_t *signals, size_t i)
{
	const json_t *s, *p;
	size_t k, m, used = 0;
	char out[128] = "";

	json_array_foreach(signals, k, s)
		json_array_foreach(json_object_get(s, "points"), m, p)
			if ((size_t)json_integer_value(p) == i &&
			    used + 8 < sizeof(out)) {
				used += (size_t)snprintf(out + used,
					sizeof(out) - used, "%s%s",
					used ? " " : "", json_string_value(
					json_object_get(s, "rule")));
				break;
			}
	return used ? json_string(out) : json_null();
}

static json_t *chart_rows(const json_t *c)
{
	const json_t *lim = json_object_get(c, "limits");
	const json_t *mr = json_object_get(json_object_get(c, "mr"), "points");
	const json_t *pts = json_object_get(c, "points");
	double center = get_num(c, "center");
	json_t *rows = json_array();

	for (size_t i = 0; rows && i < json_array_size(pts); i++) {
		double ucl = get_num(c, "ucl"), lcl = get_num(c, "lcl");
		double sigma = get_num(c, "sigma");

		/* p: limits per point; σ_i is 3σ_i's third on the side not
		 * cut at 0 or 1 (docs/spc.md: LCL floored, UCL capped). */
		if (lim) {
			ucl = json_number_value(json_array_get(
				json_object_get(lim, "ucl"), i));
			lcl = json_number_value(json_array_get(
				json_object_get(lim, "lcl"), i));
			sigma = fmax(ucl - center, center - lcl) / 3;
		}
		json_array_append_new(rows, json_pack(
			"[I, O, o, o, o, o, o, o, o, o, o, o]", (json_int_t)i,
			json_array_get(json_object_get(c, "start_ms"), i),
			num(json_number_value(json_array_get(pts, i))),
			num(center), num(lcl), num(ucl),
			num(center - 2 * sigma), num(center - sigma),
			num(center + sigma), num(center + 2 * sigma),
			mr && i > 0 ? num(json_number_value(
				json_array_get(mr, i))) : json_null(),
			signals_of(json_object_get(c, "signals"), i)));
	}
	return rows;
}

static const char *const chart_cols[] = {
	"point", "start", "value", "center", "lcl", "ucl", "minus_2sigma",
	"minus_1sigma", "plus_1sigma", "plus_2sigma", "moving_range",
	"signals",
};
const struct spc_table spc_table_chart = {
	"控制图", "chart", chart_cols, ARRAY_LEN(chart_cols), 1, chart_rows,
};

/* ---- calls by region: a row per province (city empty: the province's
 * total), its cities under it, then the calls of no known region and the
 * total */

static json_t *region_row(const char *prov, const char *city,
			  const json_t *o, double total)
{
	double calls = get_num(o, "calls"), ans = get_num(o, "answered");

	return json_pack("[s, s, o, o, o, o]", prov, city, num(calls),
			 num(ans), num(calls > 0 ? ans / calls : NAN),
			 num(total > 0 ? calls / total : NAN));
}

static json_t *region_rows(const json_t *r)
{
	double total = get_num(r, "total"), answered;
	const json_t *p, *c, *unknown = json_object_get(r, "unknown");
	json_t *rows = json_array(), *all;
	size_t i, k;

	json_array_foreach(json_object_get(r, "provinces"), i, p) {
		const char *prov = json_string_value(json_object_get(p,
								     "province"));

		json_array_append_new(rows, region_row(prov, "", p, total));
		json_array_foreach(json_object_get(p, "cities"), k, c)
			json_array_append_new(rows, region_row(prov,
				json_string_value(json_object_get(c, "city")),
				c, total));
	}
	json_array_append_new(rows, region_row("未知归属地", "", unknown,
					       total));
	/* The total: the provinces' answered calls and the unknown's. */
	answered = get_num(unknown, "answered");
	json_array_foreach(json_object_get(r, "provinces"), i, p)
		answered += get_num(p, "answered");
	all = json_pack("{s:o, s:o}", "calls", num(total), "answered",
			num(answered));
	json_array_append_new(rows, region_row("合计", "", all, total));
	json_decref(all);
	return rows;
}

static const char *const region_cols[] = {
	"province", "city", "calls", "answered", "answered_rate", "share",
};
const struct spc_table spc_table_region = {
	"归属地分布", "table", region_cols, ARRAY_LEN(region_cols), -1,
	region_rows,
};

/* ---- a histogram: a row per bin, of all values (group empty) and then
 * of each stratum */

static void hist_group(json_t *rows, const char *group, const json_t *h)
{
	const json_t *bins = json_object_get(h, "bins"), *b;
	double n = 0;
	size_t i;

	json_array_foreach(bins, i, b)
		n += get_num(b, "count");
	json_array_foreach(bins, i, b)
		json_array_append_new(rows, json_pack(
			"[s, s?, I, o, o, o, o]", group,
			json_string_value(json_object_get(h, "shape")),
			(json_int_t)i + 1, num(get_num(b, "lo")),
			num(get_num(b, "hi")), num(get_num(b, "count")),
			num(n > 0 ? get_num(b, "count") / n : NAN)));
}

static json_t *hist_rows(const json_t *h)
{
	json_t *rows = json_array();
	const json_t *s;
	size_t i;

	hist_group(rows, "", h);
	json_array_foreach(json_object_get(h, "strata"), i, s)
		hist_group(rows, json_string_value(json_object_get(s, "group")),
			   s);
	return rows;
}

static const char *const hist_cols[] = {
	"group", "shape", "bin", "lo", "hi", "count", "share",
};
const struct spc_table spc_table_hist = {
	"直方图", "histogram", hist_cols, ARRAY_LEN(hist_cols), -1, hist_rows,
};

/* ---- the QA scores' X̄-R (X̄-S) chart: a row per subgroup in time
 * order; a subgroup left out (fewer than n evaluations) has its start and
 * evaluations and nothing else, as the console names it under the chart */

static json_t *qa_row(const json_t *c, const json_t *disp, size_t i)
{
	double center = get_num(c, "center"), sigma = get_num(c, "sigma");

	return json_pack("[I, O, O, o, o, o, o, o, o, o, o, o, o, o, o, o]",
		(json_int_t)i, json_array_get(json_object_get(c, "start_ms"), i),
		json_array_get(json_object_get(c, "evaluations"), i),
		num(json_number_value(json_array_get(json_object_get(c,
			"points"), i))), num(center), num(get_num(c, "lcl")),
		num(get_num(c, "ucl")), num(center - 2 * sigma),
		num(center - sigma), num(center + sigma),
		num(center + 2 * sigma), num(json_number_value(json_array_get(
			json_object_get(disp, "points"), i))),
		num(get_num(disp, "center")), num(get_num(disp, "lcl")),
		num(get_num(disp, "ucl")),
		signals_of(json_object_get(c, "signals"), i));
}

static json_t *qa_rows(const json_t *c)
{
	const json_t *disp = json_object_get(c, "r");
	const json_t *starts = json_object_get(c, "start_ms");
	const json_t *skipped = json_object_get(c, "skipped");
	size_t i = 0, k = 0, n = json_array_size(starts);
	json_t *rows = json_array();

	disp = disp ? disp : json_object_get(c, "s");
	/* Both lists are in time order: merged, the file reads as the days
	 * (weeks) go. */
	while (rows && (i < n || k < json_array_size(skipped))) {
		const json_t *sk = json_array_get(skipped, k);

		if (i < n && (!sk || json_integer_value(json_array_get(starts,
		    i)) < json_integer_value(json_object_get(sk, "start_ms")))) {
			json_array_append_new(rows, qa_row(c, disp, i++));
			continue;
		}
		json_array_append_new(rows, json_pack("[n, O, O, n, n, n, n, n, "
			"n, n, n, n, n, n, n, n]",
			json_object_get(sk, "start_ms"),
			json_object_get(sk, "evaluations")));
		k++;
	}
	return rows;
}

static const char *const qa_r_cols[] = {
	"subgroup", "start", "evaluations", "mean", "center", "lcl", "ucl",
	"minus_2sigma", "minus_1sigma", "plus_1sigma", "plus_2sigma", "range",
	"range_center", "range_lcl", "range_ucl", "signals",
};
static const char *const qa_s_cols[] = {
	"subgroup", "start", "evaluations", "mean", "center", "lcl", "ucl",
	"minus_2sigma", "minus_1sigma", "plus_1sigma", "plus_2sigma", "sd",
	"sd_center", "sd_lcl", "sd_ucl", "signals",
};
const struct spc_table spc_table_qa_r = {
	"质检评分 均值-极差", "chart", qa_r_cols, ARRAY_LEN(qa_r_cols), 1,
	qa_rows,
};
const struct spc_table spc_table_qa_s = {
	"质检评分 均值-标准差", "chart", qa_s_cols, ARRAY_LEN(qa_s_cols), 1,
	qa_rows,
};
