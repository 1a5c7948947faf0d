/* ivr/store: the flows Hotline runs, kept in the ivr_flows table (every
 * version) and in memory (the current version of each, compiled). ivr/
 * owns the table: nothing else writes it.
 *
 * Facts that always hold:
 *  (1) Calls get their flow from memory (ivr_store_get): no disk read on
 *      the signalling loop. The table is read once, at start.
 *  (2) A put compiles the whole document first; a refused one changes
 *      nothing. An accepted one is current in memory when it returns and
 *      its row is queued for the writer in the same call.
 *  (3) A replaced version lives on while a run holds it (ivr_flow_ref). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "base/log.h"
#include "base/util.h"
#include "db/db.h"
#include <jansson.h>
#include "ivr/ivr.h"

struct entry {
	struct ivr_flow *f;
	int64_t updated_at;
	char by[48];
};

struct ivr_store {
	struct db *db;
	struct ivr_env env;
	struct entry *v;             /* sorted by name */
	size_t n, cap;
	bool loading;                /* start-up: names outside not checked */
	struct ivr_env own_env;      /* what flows see: the store, then env */
};

static int cmp_name(const char *name, const struct entry *e)
{
	return strcmp(name, ivr_flow_name(e->f));
}

static struct entry *find(const struct ivr_store *s, const char *name,
			  size_t *at)
{
	size_t lo = 0, hi = s->n;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		int c = cmp_name(name, &s->v[mid]);

		if (!c) {
			if (at)
				*at = mid;
			return &s->v[mid];
		}
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	if (at)
		*at = lo;
	return NULL;
}

/* Makes f current (the store takes the caller's reference). */
static int install(struct ivr_store *s, struct ivr_flow *f, int64_t at,
		   const char *by)
{
	size_t i;
	struct entry *e = find(s, ivr_flow_name(f), &i);

	if (!e) {
		if (s->n == s->cap) {
			size_t cap = s->cap ? s->cap * 2 : 8;
			struct entry *v = realloc(s->v, cap * sizeof(*v));

			if (!v)
				return ENOMEM;
			s->v = v;
			s->cap = cap;
		}
		memmove(&s->v[i + 1], &s->v[i], (s->n - i) * sizeof(*s->v));
		s->n++;
		e = &s->v[i];
		e->f = NULL;
	}
	ivr_flow_unref(e->f);
	e->f = f;
	e->updated_at = at;
	util_strlcpy(e->by, by ? by : "", sizeof(e->by));
	return 0;
}

/* Flow names checked against the store itself, others through the
 * host's env; at start-up every name is taken as stored. */
static bool has_flow(void *arg, const char *name)
{
	struct ivr_store *s = arg;

	return s->loading || find(s, name, NULL);
}

static bool queue_exists(void *arg, const char *name)
{
	struct ivr_store *s = arg;

	return s->loading || !s->env.queue_exists ||
		s->env.queue_exists(s->env.arg, name);
}

static bool ext_exists(void *arg, const char *name)
{
	struct ivr_store *s = arg;

	return s->loading || !s->env.ext_exists ||
		s->env.ext_exists(s->env.arg, name);
}

static bool prompt_exists(void *arg, const char *name)
{
	struct ivr_store *s = arg;

	return s->loading || !s->env.prompt_exists ||
		s->env.prompt_exists(s->env.arg, name);
}

static int tz_offset(void *arg, const char *tz, int64_t utc_ms, int32_t *off)
{
	struct ivr_store *s = arg;

	if (!s->env.tz_offset)
		return ENOENT;
	return s->env.tz_offset(s->env.arg, tz, utc_ms, off);
}

static const struct ivr_env store_env_shape = {
	.queue_exists = queue_exists, .ext_exists = ext_exists,
	.flow_exists = has_flow, .prompt_exists = prompt_exists,
	.tz_offset = tz_offset,
};

struct load {
	struct ivr_store *s;
	struct ivr_env *env;
};

static int load_row(const struct db_row *row, void *arg)
{
	struct load *l = arg;
	struct ivr_problems pr = {0};
	json_error_t je;
	json_t *doc;
	struct ivr_flow *f;
	int err;

	if (db_row_isnull(row, 2))
		return 0;            /* deleted */
	if (!(doc = json_loads(db_row_text(row, 2), 0, &je))) {
		log_warn("ivr.load", "flow=%s version=%lld: not JSON (%s)",
			 db_row_text(row, 0), (long long)db_row_int(row, 1),
			 je.text);
		return 0;
	}
	err = ivr_flow_compile(&f, doc, (uint32_t)db_row_int(row, 1), l->env,
			       &pr);
	json_decref(doc);
	if (err) {
		log_warn("ivr.load", "flow=%s version=%lld: %s %s (not run)",
			 db_row_text(row, 0), (long long)db_row_int(row, 1),
			 pr.n ? pr.v[0].path : "", pr.n ? pr.v[0].msg :
			 strerror(err));
		ivr_problems_reset(&pr);
		return 0;
	}
	if (install(l->s, f, db_row_int(row, 3), db_row_text(row, 4))) {
		ivr_flow_unref(f);
		return ENOMEM;
	}
	return 0;
}

int ivr_store_alloc(struct ivr_store **sp, struct db *db,
		    const struct ivr_env *env)
{
	struct ivr_store *s = calloc(1, sizeof(*s));
	struct load l;
	int err;

	if (!s)
		return ENOMEM;
	s->db = db;
	if (env)
		s->env = *env;
	s->loading = true;
	l.s = s;
	l.env = &s->own_env;
	s->own_env = store_env_shape;
	s->own_env.arg = s;
	err = db_query(db, load_row, &l,
		       "SELECT f.name, f.version, f.doc, f.created_at, "
		       "f.created_by FROM ivr_flows f WHERE f.version = "
		       "(SELECT MAX(version) FROM ivr_flows g WHERE g.name = "
		       "f.name) ORDER BY f.name", "");
	s->loading = false;
	if (err) {
		ivr_store_free(s);
		return err;
	}
	log_info("ivr.loaded", "flows=%zu", s->n);
	*sp = s;
	return 0;
}

void ivr_store_free(struct ivr_store *s)
{
	if (!s)
		return;
	for (size_t i = 0; i < s->n; i++)
		ivr_flow_unref(s->v[i].f);
	free(s->v);
	free(s);
}

struct ivr_flow *ivr_store_get(const struct ivr_store *s, const char *name)
{
	struct entry *e = s && name ? find(s, name, NULL) : NULL;

	return e ? e->f : NULL;
}

static int max_row(const struct db_row *row, void *arg)
{
	*(int64_t *)arg = db_row_isnull(row, 0) ? 0 : db_row_int(row, 0);
	return 0;
}

static uint32_t next_version(struct ivr_store *s, const char *name)
{
	struct entry *e = find(s, name, NULL);

	int64_t max = 0;

	if (e)
		return ivr_flow_version(e->f) + 1;
	/* A deleted flow's versions stay in the table: ask it, so a name
	 * used again goes on counting. Rare: only when a name is new. */
	(void)db_flush(s->db);
	(void)db_query(s->db, max_row, &max, "SELECT MAX(version) FROM "
		       "ivr_flows WHERE name = ?", "t", name);
	return (uint32_t)max + 1;
}

int ivr_store_put(struct ivr_store *s, json_t *doc, const char *by,
		  struct ivr_problems *pr, uint32_t *version)
{
	const char *name = json_string_value(json_object_get(doc, "name"));
	struct ivr_flow *f;
	char *text;
	uint32_t v = name ? next_version(s, name) : 1;
	int64_t now = util_now_ms();
	int err = ivr_flow_compile(&f, doc, v, &s->own_env, pr);

	if (err)
		return err;
	if (!(text = json_dumps(doc, JSON_COMPACT))) {
		ivr_flow_unref(f);
		return ENOMEM;
	}
	err = db_write(s->db, "INSERT INTO ivr_flows (name, version, doc, "
		       "created_at, created_by) VALUES (?, ?, ?, ?, ?)", "titit",
		       ivr_flow_name(f), (int64_t)v, text, now, by ? by : "");
	free(text);
	if (!err)
		err = install(s, f, now, by);
	if (err) {
		ivr_flow_unref(f);
		return err;
	}
	log_info("ivr.flow_put", "flow=%s version=%u by=%s", ivr_flow_name(f),
		 v, by ? by : "");
	*version = v;
	return 0;
}

int ivr_store_delete(struct ivr_store *s, const char *name)
{
	size_t i;
	struct entry *e = find(s, name, &i);
	int err;

	if (!e)
		return ENOENT;
	err = db_write(s->db, "INSERT INTO ivr_flows (name, version, doc, "
		       "created_at) VALUES (?, ?, NULL, ?)", "tii", name,
		       (int64_t)ivr_flow_version(e->f) + 1, util_now_ms());
	if (err)
		return err;
	ivr_flow_unref(e->f);
	memmove(&s->v[i], &s->v[i + 1], (s->n - i - 1) * sizeof(*s->v));
	s->n--;
	log_info("ivr.flow_delete", "flow=%s", name);
	return 0;
}

int ivr_store_each(const struct ivr_store *s, ivr_store_h *h, void *arg)
{
	for (size_t i = 0; i < s->n; i++) {
		struct ivr_store_item it = {
			.flow = s->v[i].f, .updated_at = s->v[i].updated_at,
			.by = s->v[i].by,
		};
		int err = h(&it, arg);

		if (err)
			return err;
	}
	return 0;
}

const struct ivr_env *ivr_store_env(const struct ivr_store *s)
{
	return &s->own_env;
}

int ivr_seed(struct db *db, const char *name, const char *doc_text)
{
	return db_exec(db, "INSERT INTO ivr_flows (name, version, doc, "
		       "created_at, created_by) SELECT ?, 1, ?, ?, 'demo' "
		       "WHERE NOT EXISTS (SELECT 1 FROM ivr_flows WHERE name "
		       "= ?)", "ttit", name, doc_text, util_now_ms(), name);
}
