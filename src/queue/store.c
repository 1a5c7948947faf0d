/* queue/store: configuration, agent states and KPI buckets in the
 * database. Reads happen at start (and for the API's configuration
 * changes); writes go through the writer thread and never wait. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "base/log.h"
#include "db/db.h"
#include "queue/queue_int.h"
#include <re_types.h>
#include <re_fmt.h>
#include <re_mbuf.h>
#include <re_msg.h>
#include <re_list.h>
#include <re_sa.h>
#include <re_uri.h>
#include <re_sip.h>
#include "sip/sipx.h"

/* ---- queue configuration: the columns are the rows of cfg.c with a
 * `column`, so a new setting needs no line here ---- */

enum { QCOLS_MAX = 29, QVAL_LEN = 256 };

/* The statements over those columns, made once from the rows. */
static struct {
	const struct field *f[QCOLS_MAX];
	size_t n;
	char select[1024], upsert[4096];
} qc;

static void append(char *buf, size_t n, const char *fmt, ...)
{
	size_t at = strlen(buf);
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf + at, n - at, fmt, ap);
	va_end(ap);
}

/* Runs on the loop only (start and the API), so a static is enough. */
static void qcols_make(void)
{
	char marks[256] = "", sets[1024] = "", cols[768] = "";
	size_t nf;
	const struct field *fs = queue_qcfg_fields(&nf);

	if (qc.n)
		return;
	for (size_t i = 0; i < nf && qc.n < QCOLS_MAX; i++) {
		const char *c = fs[i].column;

		if (!c)
			continue;
		append(cols, sizeof(cols), ", %s", c);
		append(marks, sizeof(marks), ", ?");
		append(sets, sizeof(sets), "%s%s = excluded.%s",
		       qc.n ? ", " : "", c, c);
		qc.f[qc.n++] = &fs[i];
	}
	snprintf(qc.select, sizeof(qc.select),
		 "SELECT name, id%s FROM queues ORDER BY id", cols);
	snprintf(qc.upsert, sizeof(qc.upsert),
		 "INSERT INTO queues (name, id%s, created_at) VALUES (?, ?%s, ?)"
		 " ON CONFLICT(name) DO UPDATE SET %s", cols, marks, sets);
}

static int queue_row(const struct db_row *row, void *arg)
{
	struct queue_host *h = arg;
	struct qh_queue *q, *v = realloc(h->queues,
					 (h->nqueues + 1) * sizeof(*v));
	char why[256];

	if (!v)
		return ENOMEM;
	h->queues = v;
	q = &v[h->nqueues++];
	*q = (struct qh_queue){0};
	queue_qcfg_default(&q->cfg, db_row_text(row, 0));
	q->id = (uint32_t)db_row_int(row, 1);
	/* Each stored value goes through its row as the API's did; one the
	 * row refuses now (a range narrowed since) keeps its default. */
	for (size_t i = 0; i < qc.n; i++)
		if (field_parse_text(qc.f[i], db_row_text(row, 2 + (int)i),
				     &q->cfg, why, sizeof(why)))
			log_warn("queue.cfg", "queue=%s %s: default kept",
				 q->cfg.name, why);
	return 0;
}

static uint32_t id_of(void *arg, const char *name)
{
	struct qh_queue *q = qh_queue_by_name(arg, name);
	return q ? q->id : 0;
}

int qh_queue_apply(struct queue_host *h, const struct qh_queue *q,
		   bool overflow, char *why, size_t n)
{
	struct acd_queue_cfg ac;
	struct report_queue_cfg rc;
	struct queue_qcfg c = q->cfg;
	int err;

	if (!overflow)
		util_strlcpy(c.overflow, "hangup", sizeof(c.overflow));
	err = queue_qcfg_acd(&c, q->id, id_of, h, &ac, why, n);
	err = err ? err : acd_queue_set(h->acd, &ac, util_now_ms(), why, n);
	if (err)
		return err;
	queue_qcfg_report(&q->cfg, &rc);
	return report_set_queue(h->rs, q->cfg.name, &rc);
}

int qh_load_queues(struct queue_host *h, char *why, size_t n)
{
	int err;

	qcols_make();
	err = db_query(h->o.db, queue_row, h, qc.select, "");

	/* Overflow may name a queue set later: every queue first, then
	 * every overflow. */
	for (int pass = 0; !err && pass < 2; pass++)
		for (size_t i = 0; !err && i < h->nqueues; i++)
			err = qh_queue_apply(h, &h->queues[i], pass, why, n);
	if (err && !*why)
		snprintf(why, n, "cannot load queues (%s)", strerror(err));
	return err;
}

/* db_write takes its values as arguments, and how many there are follows
 * the rows; so every value goes as text, the field's own text form (the
 * INI file's, which INTEGER columns store as integers), and the call
 * passes all QCOLS_MAX + 3 slots: db_write reads as many as the type
 * string names and no more. */
#define V4(i) a[i], a[i + 1], a[i + 2], a[i + 3]
#define V8(i) V4(i), V4(i + 4)

void qh_queue_store(struct queue_host *h, const struct qh_queue *q)
{
	char val[QCOLS_MAX + 3][QVAL_LEN];
	const char *a[QCOLS_MAX + 3] = {0};
	char types[QCOLS_MAX + 4];
	size_t k = 0;

	qcols_make();
	a[k++] = q->cfg.name;
	snprintf(val[k], QVAL_LEN, "%u", q->id);
	a[k] = val[k];
	k++;
	for (size_t i = 0; i < qc.n; i++, k++) {
		if (field_format(qc.f[i], &q->cfg, val[k], QVAL_LEN)) {
			log_error("queue.cfg", "queue=%s %s: not stored",
				  q->cfg.name, qc.f[i]->name);
			return;
		}
		a[k] = val[k];
	}
	snprintf(val[k], QVAL_LEN, "%lld", (long long)util_now_ms());
	a[k] = val[k];
	k++;
	memset(types, 't', k);
	types[k] = '\0';
	db_write(h->o.db, qc.upsert, types, V8(0), V8(8), V8(16), V8(24));
	qh_ann_store(h, q);
}

/* Appends the agent of extension ext, numbered id. */
static int agent_append(struct queue_host *h, const char *ext, uint32_t id)
{
	struct qh_agent *v = realloc(h->agents, (h->nagents + 1) * sizeof(*v));

	if (!v)
		return ENOMEM;
	h->agents = v;
	v[h->nagents++] = (struct qh_agent){.id = id};
	util_strlcpy(v[h->nagents - 1].ext, ext, sizeof(v->ext));
	return 0;
}

static int ext_row(const struct db_row *row, void *arg)
{
	uint32_t id;

	if (queue_agent_id(db_row_text(row, 0), &id)) {
		log_info("queue.agent_skipped", "ext=%s (not a number)",
			 db_row_text(row, 0));
		return 0;
	}
	return agent_append(arg, db_row_text(row, 0), id);
}

/* An extension made through the API after start becomes an agent the
 * first time it is named (configured, set ready, registered): the host
 * then knows it as it knows those loaded at start. One that was deleted
 * is no agent any more, whatever the host still remembers. */
struct qh_agent *qh_agent_learn(struct queue_host *h, const char *ext)
{
	struct qh_agent *ag;
	char why[128];
	uint32_t id;

	if (h->o.sipx && !sipx_has_extension(h->o.sipx, ext))
		return NULL;
	ag = qh_agent_by_ext(h, ext);
	if (ag || queue_agent_id(ext, &id) || agent_append(h, ext, id))
		return ag;
	if (acd_agent_set(h->acd, id, NULL, 0, util_now_ms(), why,
			  sizeof(why))) {
		log_warn("queue.agent_unknown", "ext=%s why=\"%s\"", ext, why);
		h->nagents--;
		return NULL;
	}
	log_info("queue.agent_new", "ext=%s", ext);
	return qh_agent_by_ext(h, ext);
}

static int learn_one(const struct sipx_ext_info *e, void *arg)
{
	if (e->enabled)
		(void)qh_agent_learn(arg, e->ext);
	return 0;
}

void qh_agents_learn_all(struct queue_host *h)
{
	if (h->o.sipx)
		(void)sipx_ext_list(h->o.sipx, learn_one, h);
}

bool qh_agent_gone(const struct queue_host *h, const char *ext)
{
	return h->o.sipx && !sipx_has_extension(h->o.sipx, ext);
}

int qh_load_agents(struct queue_host *h, char *why, size_t n)
{
	int err = db_query(h->o.db, ext_row, h,
			   "SELECT ext FROM extensions WHERE enabled = 1 "
			   "ORDER BY ext", "");
	if (err)
		snprintf(why, n, "cannot load agents (%s)", strerror(err));
	return err;
}

struct members {
	struct queue_host *h;
	struct acd_member m[64];
	size_t n;
};

static int member_row(const struct db_row *row, void *arg)
{
	struct members *ms = arg;
	struct qh_queue *q = qh_queue_by_name(ms->h, db_row_text(row, 0));

	if (!q || ms->n == ARRAY_LEN(ms->m))
		return 0;
	ms->m[ms->n++] = (struct acd_member){
		.queue_id = q->id, .skill = (int32_t)db_row_int(row, 1),
		.position = (int32_t)db_row_int(row, 2),
	};
	return 0;
}

int qh_agent_apply(struct queue_host *h, const char *ext, char *why, size_t n)
{
	struct members ms = {.h = h};
	uint32_t id;
	int err = queue_agent_id(ext, &id);

	err = err ? err : db_query(h->o.db, member_row, &ms,
				   "SELECT queue, skill, position FROM "
				   "queue_members WHERE ext = ? ORDER BY queue",
				   "t", ext);
	err = err ? err : acd_agent_set(h->acd, id, ms.m, ms.n, util_now_ms(),
					why, n);
	if (!err)
		qh_members_note(h, ext, ms.m, ms.n);
	return err;
}

int qh_apply_members(struct queue_host *h, char *why, size_t n)
{
	int err = 0;

	for (size_t i = 0; !err && i < h->nagents; i++)
		err = qh_agent_apply(h, h->agents[i].ext, why, n);
	return err;
}

struct restore {
	struct queue_host *h;
	struct acd_snapshot snap;
	int64_t now, today;
};

static int state_row(const struct db_row *row, void *arg)
{
	struct restore *r = arg;
	struct qh_agent *ag = qh_agent_by_ext(r->h, db_row_text(row, 0));
	struct acd_agent_info *ai;
	enum acd_agent_state st;

	if (!ag || queue_state_parse(db_row_text(row, 1), &st))
		return 0;
	ai = &r->snap.agents[r->snap.nagents++];
	*ai = (struct acd_agent_info){
		.id = ag->id, .state = st, .since_ms = db_row_int(row, 3),
		.idle_since_ms = db_row_int(row, 4),
		.until_ms = db_row_int(row, 5),
		.pause_until_ms = db_row_int(row, 6),
		.misses = (uint32_t)db_row_int(row, 7),
		.pending = ACD_TALKING,
	};
	util_strlcpy(ai->reason, db_row_text(row, 2), sizeof(ai->reason));
	if (db_row_int(row, 10) == r->today) {
		ai->calls_today = (uint32_t)db_row_int(row, 8);
		ai->talk_ms_today = db_row_int(row, 9);
	}
	/* Calls do not survive a restart: a ringing agent is ready again, a
	 * talking one starts the wrap-up its call would have had. */
	if (st == ACD_RINGING)
		ai->state = ACD_READY;
	if (st == ACD_TALKING) {
		ai->state = ACD_WRAP_UP;
		ai->until_ms = r->now;
	}
	if (ai->state == ACD_WRAP_UP && !ai->until_ms)
		ai->until_ms = r->now;
	if (ai->state != ACD_NOT_READY)
		ai->reason[0] = '\0';
	ag->stored = true;
	ag->rstate = queue_report_state(ai->state);
	ag->since = ai->since_ms;
	if (ai->since_ms > r->snap.now_ms)
		r->snap.now_ms = ai->since_ms;
	return 0;
}

int qh_restore_states(struct queue_host *h, char *why, size_t n)
{
	struct restore r = {.h = h, .now = util_now_ms()};
	int err;

	r.today = r.now / 86400000;
	r.snap.agents = calloc(h->nagents + 1, sizeof(*r.snap.agents));
	if (!r.snap.agents)
		return ENOMEM;
	err = db_query(h->o.db, state_row, &r,
		       "SELECT ext, state, reason, since_ms, idle_since_ms, "
		       "until_ms, pause_until_ms, misses, calls_today, "
		       "talk_ms_today, day FROM agent_state", "");
	if (!err && r.snap.nagents)
		err = acd_restore(h->acd, &r.snap, r.now, why, n);
	if (err) {
		/* Better everyone logged out than no call center. */
		log_warn("queue.restore", "agent states not restored: %s", why);
		for (size_t i = 0; i < h->nagents; i++)
			h->agents[i].stored = false;
		*why = '\0';
		err = 0;
	}
	free(r.snap.agents);
	return err;
}

void qh_save_agent(struct queue_host *h, uint32_t id, int64_t now)
{
	struct qh_agent *ag = qh_agent_by_id(h, id);
	struct acd_agent_info ai;

	if (!ag || acd_agent_get(h->acd, id, &ai))
		return;
	db_write(h->o.db, "INSERT INTO agent_state (ext, state, reason, "
		 "since_ms, idle_since_ms, until_ms, pause_until_ms, misses, "
		 "calls_today, talk_ms_today, day, updated_at) VALUES (?, ?, ?,"
		 " ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT(ext) DO UPDATE SET "
		 "state = excluded.state, reason = excluded.reason, since_ms = "
		 "excluded.since_ms, idle_since_ms = excluded.idle_since_ms, "
		 "until_ms = excluded.until_ms, pause_until_ms = "
		 "excluded.pause_until_ms, misses = excluded.misses, "
		 "calls_today = excluded.calls_today, talk_ms_today = "
		 "excluded.talk_ms_today, day = excluded.day, updated_at = "
		 "excluded.updated_at", "tttiiiiiiiii", ag->ext,
		 acd_state_name(ai.state), ai.reason, ai.since_ms,
		 ai.idle_since_ms, ai.until_ms, ai.pause_until_ms,
		 (int64_t)ai.misses, (int64_t)ai.calls_today, ai.talk_ms_today,
		 now / 86400000, now);
}

/* ---- KPI buckets: rows of kpi_buckets, one column per counter ----
 *
 * Memory (h->rs) holds the buckets that can still change: today's (from
 * h->kpi_horizon, a UTC day start), whole. They are loaded at start and
 * stored whole, overwriting their row. An event for an older interval (a
 * call that entered before midnight ends after it) makes a bucket holding
 * only that change: it is added to its row and dropped from memory as
 * soon as it is stored, so below the horizon memory holds exactly what the
 * rows still lack. Reports read older intervals' rows on demand
 * (qh_kpi_stored). Values are written as integer literals: the column
 * list is report_fields(), whose length the code does not spell out. */

/* Room for the column list (~400 bytes), a query, a full upsert. */
enum { COLS_LEN = 1024, QUERY_LEN = 2048, UPSERT_LEN = 8192 };
#define DAY_MS INT64_C(86400000)

/* ", sl_ms, short_ms, entered, …" (the columns after start_ms). */
static void columns(char *buf, size_t n)
{
	size_t nf, len;
	const struct report_field *f = report_fields(&nf);

	len = (size_t)snprintf(buf, n, ", sl_ms, short_ms");
	for (size_t i = 0; i < nf && len < n; i++)
		len += (size_t)snprintf(buf + len, n - len, ", %s", f[i].name);
}

static int64_t field_at(const struct report_bucket *b, size_t off)
{
	return *(const int64_t *)((const char *)b + off);
}

/* Row columns 0..2 are scope, name, start_ms, then columns(). */
static enum report_scope row_bucket(const struct db_row *row,
				    struct report_bucket *b)
{
	size_t nf;
	const struct report_field *f = report_fields(&nf);

	*b = (struct report_bucket){.start_ms = db_row_int(row, 2),
				    .intervals = 1,
				    .sl_ms = db_row_int(row, 3),
				    .short_ms = db_row_int(row, 4)};
	for (size_t i = 0; i < nf; i++)
		*(int64_t *)((char *)b + f[i].off) = db_row_int(row, 5 + (int)i);
	return strcmp(db_row_text(row, 0), "agent") ? REPORT_QUEUE :
		REPORT_AGENT;
}

static int load_row(const struct db_row *row, void *arg)
{
	struct report_set *rs = arg;
	struct report_bucket b;
	enum report_scope scope = row_bucket(row, &b);
	int err = report_load(rs, scope, db_row_text(row, 1), &b);

	if (err == ENOMEM)
		return err;
	if (err)
		log_warn("queue.bucket", "name=%s start=%lld skipped",
			 db_row_text(row, 1), (long long)b.start_ms);
	return 0;
}

int qh_load_buckets(struct queue_host *h)
{
	char cols[COLS_LEN], sql[QUERY_LEN];
	int64_t now = util_now_ms();

	h->kpi_horizon = now - now % 86400000;
	/* '*' rows are the triggers' sums of the queues' (migration 048). */
	columns(cols, sizeof(cols));
	snprintf(sql, sizeof(sql), "SELECT scope, name, start_ms%s FROM "
		 "kpi_buckets WHERE start_ms >= ? AND name != '*'", cols);
	return db_query(h->o.db, load_row, h->rs, sql, "i", h->kpi_horizon);
}

/* The SELECT of table's rows of scope and name in [from, to). */
static int stored_sql(char *sql, size_t n, const char *table)
{
	char cols[COLS_LEN];
	size_t len;

	columns(cols, sizeof(cols));
	len = (size_t)snprintf(sql, n, "SELECT scope, name, start_ms%s FROM %s "
			       "WHERE scope = ? AND name = ? AND start_ms >= ? "
			       "AND start_ms < ?", cols, table);
	return len < n ? 0 : ENOSPC;
}

/* Loads table's rows of [from, to) into rs. */
static int stored_span(struct db *db, struct report_set *rs,
		       const char *table, const char *scope, const char *name,
		       int64_t from, int64_t to)
{
	char *sql;
	int err;

	if (from >= to)
		return 0;
	/* Every queue's intervals and days are summed already, as name '*'
	 * (migrations 047 and 048): the center reads one row an interval. */
	if (!name)
		name = "*";
	if (!(sql = malloc(QUERY_LEN)))
		return ENOMEM;
	err = stored_sql(sql, QUERY_LEN, table);
	if (!err)
		err = db_query(db, load_row, rs, sql, "ttii", scope, name, from,
			       to);
	free(sql);
	return err;
}

int qh_kpi_stored(struct db *db, enum report_scope scope, const char *name,
		  int64_t from_ms, int64_t to_ms, int64_t interval_ms,
		  struct report_set **out)
{
	const char *sc = scope == REPORT_AGENT ? "agent" : "queue";
	struct report_set *rs;
	/* The whole days inside the span: [d0, d1). */
	int64_t d0 = from_ms <= 0 ? 0 : (from_ms - 1) / DAY_MS * DAY_MS + DAY_MS;
	int64_t d1 = to_ms <= 0 ? 0 : to_ms / DAY_MS * DAY_MS, rows;
	int err = report_set_alloc(&rs, REPORT_INTERVAL_MS);

	if (err)
		return err;
	if (interval_ms <= 0 || interval_ms % DAY_MS || d0 >= d1)
		d0 = d1 = to_ms;
	/* One name's rows are at most one a quarter hour (a day where days
	 * are read): room for them at once, not a doubling's rehashes — a
	 * year of quarter hours went through eleven, copying 80 MB. */
	rows = (d0 - from_ms + to_ms - d1) / REPORT_INTERVAL_MS +
	       (d1 - d0) / DAY_MS + 2;
	if (rows > 0 && rows <= 2 * QUEUE_KPI_MAX_ROWS)
		err = report_set_expect(rs, (size_t)rows);
	err = err ? err : stored_span(db, rs, "kpi_buckets", sc, name,
				      from_ms, d0);
	err = err ? err : stored_span(db, rs, "kpi_days", sc, name, d0, d1);
	err = err ? err : stored_span(db, rs, "kpi_buckets", sc, name, d1,
				      to_ms);
	if (err) {
		report_set_free(rs);
		return err;
	}
	*out = rs;
	return 0;
}

/* The thresholds of the sum of the row and a change (report_bucket_add):
 * a side that judged no call does not count; different ones give -1. */
#define JUDGED(t) "(" t ".answered + " t ".abandoned + " t ".short_abandoned > 0)"
#define MERGE(col) ", " col " = CASE WHEN NOT " JUDGED("excluded") " THEN " \
	"kpi_buckets." col " WHEN NOT " JUDGED("kpi_buckets") " THEN " \
	"excluded." col " WHEN kpi_buckets." col " = excluded." col " THEN " \
	"kpi_buckets." col " ELSE -1 END"

/* INSERT … ON CONFLICT: whole replaces every column, else the counters
 * add and the thresholds merge. */
static int bucket_sql(char *sql, size_t n, const struct report_bucket *b,
		      bool whole)
{
	char cols[COLS_LEN];
	size_t nf, len;
	const struct report_field *f = report_fields(&nf);

	columns(cols, sizeof(cols));
	len = (size_t)snprintf(sql, n, "INSERT INTO kpi_buckets (scope, name, "
			       "start_ms%s) VALUES (?, ?, ?, %lld, %lld", cols,
			       (long long)b->sl_ms, (long long)b->short_ms);
	for (size_t i = 0; i < nf && len < n; i++)
		len += (size_t)snprintf(sql + len, n - len, ", %lld",
					(long long)field_at(b, f[i].off));
	if (len < n)
		len += (size_t)snprintf(sql + len, n - len, ") ON CONFLICT(scope"
					", name, start_ms) DO UPDATE SET ");
	if (whole && len < n)
		len += (size_t)snprintf(sql + len, n - len, "sl_ms = excluded."
					"sl_ms, short_ms = excluded.short_ms");
	else if (len < n)
		len += (size_t)snprintf(sql + len, n - len, "%s%s",
					MERGE("sl_ms") + 2, MERGE("short_ms"));
	for (size_t i = 0; i < nf && len < n; i++)
		len += (size_t)snprintf(sql + len, n - len, whole ?
					", %s = excluded.%s" :
					", %s = kpi_buckets.%s + excluded.%s",
					f[i].name, f[i].name, f[i].name);
	return len < n ? 0 : ENOSPC;
}

static int store_bucket(enum report_scope scope, const char *name,
			const struct report_bucket *b, void *arg)
{
	struct queue_host *h = arg;
	char *sql = malloc(UPSERT_LEN);
	int err = sql ? bucket_sql(sql, UPSERT_LEN, b,
				   b->start_ms >= h->kpi_horizon) : ENOMEM;

	if (!err)
		err = db_write(h->o.db, sql, "tti", scope == REPORT_AGENT ?
			       "agent" : "queue", name, b->start_ms);
	free(sql);
	return err;
}

void qh_flush_buckets(struct queue_host *h, int64_t now)
{
	int64_t today = now - now % 86400000;

	int err = report_flush(h->rs, store_bucket, h);

	if (err)
		log_error("queue.flush", "KPI buckets not stored: %s",
			  strerror(err));
	/* A change below the horizon, once stored (clean), must go before
	 * it could be stored twice. Once the day has turned and everything
	 * is stored, yesterday's buckets, stored whole just now, go too; from
	 * then on changes to them are added to their rows. */
	if (!err && today > h->kpi_horizon && !report_evict(h->rs, today, NULL))
		h->kpi_horizon = today;
	else
		(void)report_evict(h->rs, h->kpi_horizon, NULL);
}

static int sticky_row(const struct db_row *row, void *arg)
{
	struct queue_host *h = arg;
	uint32_t id;

	/* Calls answered by an extension that is no agent are skipped. */
	if (!queue_agent_id(db_row_text(row, 1), &id))
		(void)queue_sticky_put(h->sticky, db_row_text(row, 0), id,
				       db_row_int(row, 2));
	return 0;
}

int qh_load_sticky(struct queue_host *h)
{
	int64_t since = util_now_ms() - (int64_t)QUEUE_STICKY_DAYS * 86400000;

	return db_query(h->o.db, sticky_row, h,
			"SELECT caller, agent, answered_at FROM calls"
			" WHERE answered_at >= ? AND agent IS NOT NULL"
			" AND queue IS NOT NULL", "i", since);
}
