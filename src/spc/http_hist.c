/* spc/http_hist: POST /api/v1/reports/histogram's work, on an api
 * worker: the values' histogram and the deck's shape, the specification
 * limits when given, and with "groups" each group's own shape (the deck's
 * advice for a bimodal one: 分类统计后再制作直方图). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "spc/spc_int.h"

/* The optional specification limits lsl and usl, checked against x. */
static int read_spec(struct spc_job *s, const double *x, size_t n,
		     const struct spc_hist *h, struct spc_spec *spec)
{
	if (spc_opt_number(s, "lsl", &spec->has_lsl, &spec->lsl) ||
	    spc_opt_number(s, "usl", &spec->has_usl, &spec->usl))
		return EINVAL;
	if (!spec->has_lsl && !spec->has_usl)
		return 0;
	if (spc_spec_check(x, n, h, spec))
		return spc_fail_code(s, "bad_spec", NULL, "lsl, usl: want lsl "
				     "below usl");
	return 0;
}

static json_t *spec_json(const struct spc_spec *sp)
{
	json_t *o = json_pack("{s:I, s:I}", "below_lsl", (json_int_t)sp->below,
			      "above_usl", (json_int_t)sp->above);

	json_object_set_new(o, "lsl", sp->has_lsl ? json_real(sp->lsl)
						   : json_null());
	json_object_set_new(o, "usl", sp->has_usl ? json_real(sp->usl)
						   : json_null());
	json_object_set_new(o, "cp", sp->has_cp ? json_real(sp->cp)
						 : json_null());
	json_object_set_new(o, "cpk", json_real(sp->cpk));
	return o;
}

json_t *spc_bins_json(const struct spc_hist *h)
{
	json_t *a = json_array();

	for (size_t i = 0; a && i < h->nbins; i++)
		json_array_append_new(a, json_pack("{s:f, s:f, s:I}",
			"lo", h->bins[i].lo, "hi", h->bins[i].hi,
			"count", (json_int_t)h->bins[i].count));
	return a;
}

enum { STRATA_MAX = 50 };   /* distinct groups: queues, agents, hours */

/* One group's histogram, or why it has none. */
static json_t *stratum_json(const char *name, const double *x, size_t n,
			    size_t bins)
{
	struct spc_hist h = {0};
	int err = spc_hist_make(x, n, bins, &h);
	json_t *o;

	if (err)
		return json_pack("{s:s, s:I, s:s}", "group", name,
				 "count", (json_int_t)n, "why",
				 err == EDOM ? "too few values for a shape"
					     : "all values equal");
	o = json_pack("{s:s, s:I, s:f, s:f, s:s, s:s, s:o*}", "group", name,
		      "count", (json_int_t)n, "mean", h.mean, "sd", h.sd,
		      "shape", spc_shape_text(h.shape)->name,
		      "advice", spc_shape_text(h.shape)->advice_zh,
		      "bins", spc_bins_json(&h));
	spc_hist_free(&h);
	return o;
}

/* The deck's answer to a bimodal histogram, 分类统计后再制作直方图: with
 * "groups" (a label per value: queue, agent, hour) each group's own
 * histogram and shape, in the order the groups first appear. */
static int read_strata(struct spc_job *s, const double *x, size_t n,
		       size_t bins, json_t **out)
{
	const json_t *g = json_object_get(s->in, "groups");
	const char *names[STRATA_MAX];
	size_t ng = 0, i, m;
	double *sub;

	*out = NULL;
	if (!g || json_is_null(g))
		return 0;
	if (!json_is_array(g) || json_array_size(g) != n)
		return spc_fail(s, "groups: want one label per value (%zu)", n);
	for (i = 0; i < n; i++) {
		const char *l = json_string_value(json_array_get(g, i));
		size_t k = 0;

		if (!l)
			return spc_fail(s, "groups[%zu]: want a string", i);
		while (k < ng && strcmp(names[k], l))
			k++;
		if (k == ng && ng == STRATA_MAX)
			return spc_fail(s, "groups: at most %d distinct labels",
				        STRATA_MAX);
		if (k == ng)
			names[ng++] = l;
	}
	sub = malloc(n * sizeof(*sub));
	*out = json_array();
	if (!sub || !*out) {
		free(sub);
		return spc_fail(s, "out of memory");
	}
	for (size_t k = 0; k < ng; k++) {
		for (i = m = 0; i < n; i++)
			if (!strcmp(json_string_value(json_array_get(g, i)),
				    names[k]))
				sub[m++] = x[i];
		json_array_append_new(*out, stratum_json(names[k], sub, m,
							 bins));
	}
	free(sub);
	return 0;
}

void spc_hist_work(struct spc_job *s)
{
	const json_t *values = json_object_get(s->in, "values");
	const json_t *bins = json_object_get(s->in, "bins");
	struct spc_hist h = {0};
	struct spc_spec spec = {0};
	json_t *strata = NULL;
	const struct spc_shape_text *t;
	size_t max = s->max ? s->max : SPC_API_MAX, n = 0;
	double *x = calloc(max, sizeof(double));
	json_t *a;
	int err;

	if (!x) {
		spc_fail(s, "out of memory");
		return;
	}
	err = spc_read_numbers(s, values, "values", max, 0, x, &n);
	if (!err && bins && !json_is_null(bins) &&
	    (!json_is_integer(bins) ||
	     json_integer_value(bins) < SPC_HIST_BINS_MIN ||
	     json_integer_value(bins) > SPC_HIST_BINS_MAX))
		err = spc_fail_code(s, "bad_param", json_pack("{s:s}", "param",
				    "bins"), "bins: want a whole number %d..%d",
				    SPC_HIST_BINS_MIN, SPC_HIST_BINS_MAX);
	if (!err) {
		err = spc_hist_make(x, n, json_is_integer(bins) ?
				    (size_t)json_integer_value(bins) : 0, &h);
		if (err == EDOM)
			spc_fail_code(s, "too_few_values", json_pack("{s:I, "
				      "s:i}", "count", (json_int_t)n, "min",
				      SPC_HIST_MIN_POINTS), "values: a histogram "
				      "needs at least %d values, got %zu",
				      SPC_HIST_MIN_POINTS, n);
		else if (err == ERANGE)
			spc_fail_code(s, "all_equal", NULL, "values: all equal, "
				      "nothing to bin");
		else if (err)
			spc_fail(s, "values: cannot bin these values");
	}
	if (!err)
		err = read_spec(s, x, n, &h, &spec);
	if (!err)
		err = read_strata(s, x, n, json_is_integer(bins) ?
				  (size_t)json_integer_value(bins) : 0, &strata);
	free(x);
	if (err) {
		json_decref(strata);
		spc_hist_free(&h);
		return;
	}
	a = spc_bins_json(&h);
	t = spc_shape_text(h.shape);
	s->out = json_pack("{s:o*, s:s, s:f, s:f, s:f, s:s, s:s, s:s, s:s, "
			   "s:s}", "bins", a, "bin_rule", h.rule,
			   "mean", h.mean, "sd", h.sd, "skewness", h.skewness,
			   "shape", t->name, "shape_zh", t->name_zh,
			   "feature", t->feature_zh, "advice", t->advice_zh,
			   "advice_en", t->advice_en);
	if (s->out && (spec.has_lsl || spec.has_usl))
		json_object_set_new(s->out, "spec", spec_json(&spec));
	if (s->out && strata)
		json_object_set_new(s->out, "strata", strata);
	else
		json_decref(strata);
	spc_hist_free(&h);
}
