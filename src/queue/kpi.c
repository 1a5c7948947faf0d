/* queue/kpi: KPI rows per interval — the stored half read on a worker,
 * summed on the loop with the host's buckets in memory, and given as a
 * struct (queue_kpi_report: the console's control charts, the staffing
 * figures) or as the reply's text (queue_kpi_report_text: GET
 * /api/v1/reports/kpi). Both make each row with kpi_row, so the text's
 * numbers are the struct's.
 *
 * The KPI values are rounded as docs/kpi.md says (report_kpi_decimals):
 * a year at 15 minutes is 35,040 rows of ~25 KPIs, and printing 876,000
 * doubles at 17 significant digits (jansson's %.17g) was half the
 * report's time (issue 17) for digits no KPI has. */
#include <errno.h>
#include <math.h>
#include <pthread.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "base/jsonw.h"
#include "db/db.h"
#include "queue/queue_int.h"

int64_t queue_kpi_horizon(const struct queue_host *h)
{
	return h->kpi_horizon;
}

int queue_kpi_read(struct db *db, const char *queue, const char *agent,
		   int64_t from_ms, int64_t to_ms, int64_t horizon,
		   struct report_set **sp)
{
	return queue_kpi_read_by(db, queue, agent, from_ms, to_ms, horizon,
				 REPORT_INTERVAL_MS, sp);
}

int queue_kpi_read_by(struct db *db, const char *queue, const char *agent,
		      int64_t from_ms, int64_t to_ms, int64_t horizon,
		      int64_t interval_ms, struct report_set **sp)
{
	*sp = NULL;
	if (from_ms >= horizon || from_ms >= to_ms)
		return 0;
	/* Changes to older intervals leave memory as queued writes
	 * (qh_flush_buckets): they must have landed to be read. */
	db_flush(db);
	return qh_kpi_stored(db, agent ? REPORT_AGENT : REPORT_QUEUE,
			     agent ? agent : queue, from_ms,
			     to_ms < horizon ? to_ms : horizon, interval_ms, sp);
}

void queue_kpi_stored_free(struct report_set *s)
{
	report_set_free(s);
}

/* A report's rows summed: sums[k] is the row starting at start + k
 * intervals (memory's and stored's), all their sum (the period's row,
 * made only when asked for), cfg the queue's settings (the defaults for
 * an agent or the center). */
struct kpi_sums {
	struct report_bucket *sums, all;
	size_t nrows;
	int64_t start;
	struct report_queue_cfg cfg;
};

static int kpi_sum(struct queue_host *h, int64_t from_ms, int64_t to_ms,
		   const char *queue, const char *agent, int64_t interval_ms,
		   const struct report_set *stored, int64_t horizon, bool all,
		   struct kpi_sums *ks, char *why, size_t n)
{
	enum report_scope scope = agent ? REPORT_AGENT : REPORT_QUEUE;
	const char *name = agent ? agent : queue;
	int err = 0;

	*ks = (struct kpi_sums){.cfg = report_default_cfg};
	if (interval_ms <= 0 || from_ms >= to_ms ||
	    (to_ms - from_ms) / interval_ms > QUEUE_KPI_MAX_ROWS) {
		snprintf(why, n, "want from < to and at most %d intervals",
			 QUEUE_KPI_MAX_ROWS);
		return EINVAL;
	}
	if (queue && !qh_queue_by_name(h, queue)) {
		snprintf(why, n, "no queue %s", queue);
		return ENOENT;
	}
	if (agent && !qh_agent_by_ext(h, agent)) {
		snprintf(why, n, "no agent %s", agent);
		return ENOENT;
	}
	if (horizon != h->kpi_horizon)
		return EAGAIN;
	if (queue && !agent)
		report_queue_get(h->rs, queue, &ks->cfg);
	/* Rows start on interval boundaries (UTC), the first holding from.
	 * Before the horizon the rows are in stored; memory adds what they
	 * still lack (qh_flush_buckets). */
	ks->start = from_ms - from_ms % interval_ms;
	ks->nrows = (size_t)((to_ms - ks->start - 1) / interval_ms + 1);
	/* The stored rows first, memory's added into the same array: a
	 * second array of a year of rows cost its 9 MB of page faults. */
	ks->sums = malloc(ks->nrows * sizeof(*ks->sums));
	if (!ks->sums ||
	    report_sum_rows(stored ? stored : h->rs, scope, name, from_ms,
			    to_ms, ks->start, interval_ms, ks->nrows,
			    ks->sums) ||
	    (stored && report_add_rows(h->rs, scope, name, from_ms, to_ms,
				       ks->start, interval_ms, ks->nrows,
				       ks->sums)))
		err = ENOMEM;
	for (size_t k = 0; all && !err && k < ks->nrows; k++)
		report_bucket_add(&ks->all, &ks->sums[k]);
	if (err) {
		free(ks->sums);
		ks->sums = NULL;
	}
	return err;
}

/* A row shows an interval something happened in: a call, or (side) an
 * evaluation made then. */
static bool kpi_shown(const struct report_bucket *b,
		      const struct report_side *s)
{
	return b->intervals || (s && (s->fcr_answered || s->rung_calls ||
				      s->qa_scored));
}

/* KPI k of b (or of side, for the side KPIs: ENODATA without them). */
static int kpi_value(const struct report_kpi_def *k,
		     const struct report_bucket *b,
		     const struct report_queue_cfg *cfg,
		     const struct report_side *side, double *v)
{
	if (k->side)
		return side ? report_kpi_side(k, side, v) : ENODATA;
	return report_kpi(k, b, cfg, v);
}

/* Row r over b and side (NULL: none), its KPIs into kpis (one per
 * report_kpis() row): the value the reply shows, or NAN (null; a KPI
 * Hotline lacks the data for is not in the reply at all). */
static void kpi_row(struct queue_kpi_row *r, double *kpis, int64_t start,
		    const struct report_bucket *b,
		    const struct report_queue_cfg *cfg,
		    const struct report_side *side)
{
	size_t nk;
	const struct report_kpi_def *k = report_kpis(&nk);

	r->start_ms = start;
	r->counts = *b;
	r->offered = b->answered + b->abandoned + b->overflowed;
	r->has_side = side != NULL;
	r->side = side ? *side : (struct report_side){0};
	r->kpis = kpis;
	for (size_t i = 0; i < nk; i++) {
		double v;

		if (k[i].needs || kpi_value(&k[i], b, cfg, side, &v) ||
		    !isfinite(v))
			kpis[i] = NAN;
		else
			kpis[i] = jsonw_fixed_value(v, report_kpi_decimals(&k[i]));
	}
}

/* ---- the text ---- */

/* The side figures a row shows among its counts, beside the buckets'. */
static const struct {
	const char *name;
	size_t off;
} side_counts[] = {
	{"fcr_answered", offsetof(struct report_side, fcr_answered)},
	{"fcr_resolved", offsetof(struct report_side, fcr_resolved)},
	{"fcr_repeated", offsetof(struct report_side, fcr_repeated)},
	{"fcr_followed_up", offsetof(struct report_side, fcr_followed_up)},
	{"fcr_unresolved", offsetof(struct report_side, fcr_unresolved)},
	{"rung_calls", offsetof(struct report_side, rung_calls)},
	{"rings", offsetof(struct report_side, rings)},
	{"qa_scored", offsetof(struct report_side, qa_scored)},
};

/* The row's keys quoted with their colon (",\"answered\":"), made once:
 * jsonw_key's escaping scan of ~50 keys in each of 35,040 rows cost more
 * than the rows' sums. Field and KPI ids are plain ASCII names. A row is
 * written straight into the reply's buffer, its room (row_max) made
 * once: an append a value, each checking the room, was a tenth of the
 * report (issue 17). */
enum { KEY_LEN = 48, KEYS_MAX = 64 };
struct key {
	char s[KEY_LEN];
	size_t n;
};
static struct {
	struct key field[KEYS_MAX], kpi[KEYS_MAX], side[ARRAY_LEN(side_counts)];
	int dec[KEYS_MAX];
	const struct report_field *f;
	const struct report_kpi_def *k;
	size_t nf, nk, row_max;
} keys;
static pthread_once_t keys_once = PTHREAD_ONCE_INIT;

/* The text of a row that is not its keys' (",\"staff_start\":",
 * "},\"kpis\":{", ",\"from_ms\":"…: ~110 bytes), with room to spare; and
 * its numbers without a key of their own (offered, qa_score_sum, the
 * three staff counts, start_ms or from_ms and to_ms). */
enum { ROW_EXTRA = 256, ROW_NUMS = 7 };

static size_t key_make(struct key *k, const char *name)
{
	k->n = (size_t)snprintf(k->s, sizeof(k->s), ",\"%s\":", name);
	return k->n + JSONW_NUM_MAX;
}

static void keys_make(void)
{
	const struct report_field *f = keys.f = report_fields(&keys.nf);
	const struct report_kpi_def *k = keys.k = report_kpis(&keys.nk);
	size_t max = ROW_EXTRA + ROW_NUMS * JSONW_NUM_MAX;

	/* report/'s tables, far below KEYS_MAX (queue_kpi_report_text
	 * refuses a report otherwise) */
	if (keys.nf > KEYS_MAX || keys.nk > KEYS_MAX)
		return;
	for (size_t i = 0; i < keys.nf; i++)
		max += key_make(&keys.field[i], f[i].name);
	for (size_t i = 0; i < keys.nk; i++) {
		max += key_make(&keys.kpi[i], k[i].needs ? "" : k[i].id);
		keys.dec[i] = report_kpi_decimals(&k[i]);
	}
	for (size_t i = 0; i < ARRAY_LEN(side_counts); i++)
		max += key_make(&keys.side[i], side_counts[i].name);
	keys.row_max = max;
}

/* key at p (its leading comma left out when first); returns the end */
static char *put_key(char *p, const struct key *k, bool first)
{
	memcpy(p, k->s + first, k->n - first);
	return p + k->n - first;
}

static char *put_lit(char *p, const char *s, size_t n)
{
	memcpy(p, s, n);
	return p + n;
}

/* "counts":{…},"kpis":{…} of row r at p (keys.row_max bytes at most,
 * ROW_EXTRA and the callers' own keys included); returns the end. */
static char *row_put(char *p, const struct queue_kpi_row *r)
{
	bool first = true;

	p = put_lit(p, "\"counts\":{", 10);
	for (size_t i = 0; i < keys.nf; i++) {
		p = put_key(p, &keys.field[i], !i);
		p = jsonw_put_int(p, *(const int64_t *)((const char *)&r->counts +
							keys.f[i].off));
	}
	p = put_lit(p, ",\"offered\":", 11);
	p = jsonw_put_int(p, r->offered);
	for (size_t i = 0; r->has_side && i < ARRAY_LEN(side_counts); i++) {
		p = put_key(p, &keys.side[i], false);
		p = jsonw_put_int(p, *(const int64_t *)((const char *)&r->side +
							side_counts[i].off));
	}
	if (r->has_side) {
		/* a sum of QA scores: points, 6 decimals as qa_score */
		p = put_lit(p, ",\"qa_score_sum\":", 16);
		p = jsonw_put_fixed(p, r->side.qa_score_sum, 6);
	}
	if (r->has_side && r->side.staff) {
		p = put_lit(p, ",\"staff_start\":", 15);
		p = jsonw_put_int(p, r->side.staff_start);
		p = put_lit(p, ",\"staff_end\":", 13);
		p = jsonw_put_int(p, r->side.staff_end);
		p = put_lit(p, ",\"leavers\":", 11);
		p = jsonw_put_int(p, r->side.leavers);
	}
	p = put_lit(p, "},\"kpis\":{", 10);
	for (size_t i = 0; i < keys.nk; i++) {
		if (keys.k[i].needs)
			continue;
		p = put_key(p, &keys.kpi[i], first);
		first = false;
		if (isnan(r->kpis[i]))
			p = put_lit(p, "null", 4);
		else
			p = jsonw_put_fixed(p, r->kpis[i], keys.dec[i]);
	}
	return put_lit(p, "}", 1);
}

static void text_or_null(struct jsonw *w, const char *s)
{
	if (s)
		jsonw_str(w, s);
	else
		jsonw_raw(w, "null");
}

int queue_kpi_report_text(struct queue_host *h, int64_t from_ms,
			  int64_t to_ms, const char *queue, const char *agent,
			  int64_t interval_ms, const struct report_set *stored,
			  int64_t horizon, const struct report_side *side,
			  const struct report_side *total, char **text,
			  size_t *len, char *why, size_t n)
{
	struct kpi_sums ks;
	struct queue_kpi_row r;
	double kpis[KEYS_MAX];
	struct jsonw w;
	size_t shown = 0;
	size_t first = 1;    /* the first row without its comma */
	char *p;
	int err = kpi_sum(h, from_ms, to_ms, queue, agent, interval_ms, stored,
			  horizon, side && total, &ks, why, n);

	if (err)
		return err;
	pthread_once(&keys_once, keys_make);
	if (keys.nf > KEYS_MAX || keys.nk > KEYS_MAX) {
		free(ks.sums);
		return ENOTSUP;
	}
	for (size_t k = 0; k < ks.nrows; k++)
		shown += kpi_shown(&ks.sums[k], side ? &side[k] : NULL);
	jsonw_init(&w);
	/* ~1,000 bytes a row (963 at 15 minutes over a center, 1,170 by day
	 * with the side figures): one allocation, not a doubling's copies */
	jsonw_reserve(&w, 1024 + (shown + 1) * (side ? 1300 : 1100));
	jsonw_raw(&w, "{\"queue\":");
	text_or_null(&w, agent ? NULL : queue);
	jsonw_raw(&w, ",\"agent\":");
	text_or_null(&w, agent);
	jsonw_raw(&w, ",\"interval_ms\":");
	jsonw_int(&w, interval_ms);
	jsonw_raw(&w, ",\"rows\":[");
	for (size_t k = 0; k < ks.nrows; k++) {
		const struct report_side *s = side ? &side[k] : NULL;

		if (!kpi_shown(&ks.sums[k], s))
			continue;
		if (!(p = jsonw_room(&w, keys.row_max)))
			break;
		kpi_row(&r, kpis, ks.start + (int64_t)k * interval_ms,
			&ks.sums[k], &ks.cfg, s);
		p = put_lit(p, ",{" + first, 2 - first);
		p = row_put(p, &r);
		p = put_lit(p, ",\"start_ms\":", 12);
		p = jsonw_put_int(p, r.start_ms);
		jsonw_wrote(&w, put_lit(p, "}", 1));
		first = 0;
	}
	jsonw_raw(&w, "]");
	if (side && total) {
		kpi_row(&r, kpis, from_ms, &ks.all, &ks.cfg, total);
		jsonw_raw(&w, ",\"period\":{");
		if ((p = jsonw_room(&w, keys.row_max))) {
			p = row_put(p, &r);
			p = put_lit(p, ",\"from_ms\":", 11);
			p = jsonw_put_int(p, from_ms);
			p = put_lit(p, ",\"to_ms\":", 9);
			p = jsonw_put_int(p, to_ms);
			jsonw_wrote(&w, put_lit(p, "}", 1));
		}
	}
	free(ks.sums);
	jsonw_raw(&w, "}");
	return jsonw_take(&w, text, len);
}

/* ---- the struct ---- */

int queue_kpi_report(struct queue_host *h, int64_t from_ms, int64_t to_ms,
		     const char *queue, const char *agent, int64_t interval_ms,
		     const struct report_set *stored, int64_t horizon,
		     const struct report_side *side,
		     const struct report_side *total,
		     struct queue_kpi_result *out, char *why, size_t n)
{
	struct kpi_sums ks;
	size_t nk, shown = 0;
	int err = kpi_sum(h, from_ms, to_ms, queue, agent, interval_ms, stored,
			  horizon, side && total, &ks, why, n);

	*out = (struct queue_kpi_result){.interval_ms = interval_ms,
		.from_ms = from_ms, .to_ms = to_ms};
	if (err)
		return err;
	(void)report_kpis(&nk);
	for (size_t k = 0; k < ks.nrows; k++)
		shown += kpi_shown(&ks.sums[k], side ? &side[k] : NULL);
	out->rows = calloc(shown ? shown : 1, sizeof(*out->rows));
	out->kpi_block = calloc((shown + 1) * nk, sizeof(double));
	if (!out->rows || !out->kpi_block) {
		free(ks.sums);
		queue_kpi_result_free(out);
		return ENOMEM;
	}
	for (size_t k = 0; k < ks.nrows; k++) {
		const struct report_side *s = side ? &side[k] : NULL;

		if (!kpi_shown(&ks.sums[k], s))
			continue;
		kpi_row(&out->rows[out->nrows], out->kpi_block +
			out->nrows * nk, ks.start + (int64_t)k * interval_ms,
			&ks.sums[k], &ks.cfg, s);
		out->nrows++;
	}
	if (side && total) {
		out->has_period = true;
		kpi_row(&out->period, out->kpi_block + shown * nk, from_ms,
			&ks.all, &ks.cfg, total);
	}
	free(ks.sums);
	return 0;
}

void queue_kpi_result_free(struct queue_kpi_result *r)
{
	if (!r)
		return;
	free(r->rows);
	free(r->kpi_block);
	*r = (struct queue_kpi_result){0};
}

int queue_kpi_index(const char *id)
{
	size_t nk;
	const struct report_kpi_def *k = report_kpis(&nk);
	const struct report_kpi_def *d = report_kpi_find(id);

	return d ? (int)(d - k) : -1;
}
