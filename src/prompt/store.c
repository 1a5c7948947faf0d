/* prompt/store: the stored prompts' rows, kept in memory in name order
 * (there are tens, not thousands) and written through to the database;
 * the audio of each, read on the store's lane of the house pool when a
 * call first plays it and kept until the prompt is replaced or deleted.
 * The lane is serial: a removal and the loads around it keep their order,
 * as they did on the store's own worker.
 *
 * Who owns what: the loop owns the rows and their cached audio; a load
 * job owns its own copy of the path and its result until its done runs
 * on the loop. A generation number per row tells a load that finished
 * after its prompt was replaced not to cache the old audio. */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <re_types.h>
#include <re_mem.h>
#include "base/log.h"
#include "base/pool.h"
#include "base/util.h"
#include "db/db.h"
#include "media/media.h"
#include "prompt/prompt.h"

struct entry {
	struct prompt_info info;
	struct media_prompt *p;     /* cached audio, or NULL */
	uint64_t gen;               /* changes with every put */
};

struct prompt_store {
	struct db *db;
	struct pool *pool;             /* the house's (not a ref) */
	unsigned lane;                 /* ours on it: serial */
	char dir[PATH_MAX / 2];        /* DATA_DIR/prompts: room for a name */
	struct entry *v;
	size_t n, cap;
	uint64_t gen;
	prompt_user_h *userh;
	void *user_arg;
	bool stopping;
};

/* A load (the path and generation it was asked for) or a removal (h
 * NULL). */
struct job {
	struct prompt_store *s;
	char name[PROMPT_NAME_MAX + 1];
	char path[PATH_MAX];
	uint64_t gen;
	prompt_load_h *h;
	void *arg;                  /* mem ref */
	struct media_prompt *p;     /* the result, or a cached one */
	int err;
	bool hit;                   /* p came from memory: no work */
};

bool prompt_name_ok(const char *name)
{
	size_t n = name ? strlen(name) : 0;

	if (!n || n > PROMPT_NAME_MAX || name[0] == '.')
		return false;
	for (size_t i = 0; i < n; i++) {
		char c = name[i];

		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		      (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.'))
			return false;
	}
	return true;
}

int prompt_rel_path(const char *name, char *buf, size_t n)
{
	if (!prompt_name_ok(name))
		return EINVAL;
	return snprintf(buf, n, "prompts/%s.wav", name) < (int)n ? 0 :
		ENAMETOOLONG;
}

static int file_path(const struct prompt_store *s, const char *name,
		     char *buf, size_t n)
{
	if (!prompt_name_ok(name))
		return EINVAL;
	return snprintf(buf, n, "%s/%s.wav", s->dir, name) < (int)n ? 0 :
		ENAMETOOLONG;
}

const char *prompt_dir(const struct prompt_store *s)
{
	return s->dir;
}

/* The row of name, or where it would go (*at) when absent. */
static struct entry *find(const struct prompt_store *s, const char *name,
			  size_t *at)
{
	size_t lo = 0, hi = s->n;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		int c = strcmp(s->v[mid].info.name, name);

		if (!c)
			return &s->v[mid];
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (at)
		*at = lo;
	return NULL;
}

bool prompt_exists(const struct prompt_store *s, const char *name)
{
	return s && name && find(s, name, NULL);
}

int prompt_get(const struct prompt_store *s, const char *name,
	       struct prompt_info *out)
{
	const struct entry *e = find(s, name, NULL);

	if (!e)
		return ENOENT;
	*out = e->info;
	return 0;
}

int prompt_each(const struct prompt_store *s,
		int (*h)(const struct prompt_info *it, void *arg), void *arg)
{
	for (size_t i = 0; i < s->n; i++) {
		int e = h(&s->v[i].info, arg);

		if (e)
			return e;
	}
	return 0;
}

/* Puts it in memory only (the database has it, or will). */
static int remember(struct prompt_store *s, const struct prompt_info *it)
{
	size_t at = 0;
	struct entry *e = find(s, it->name, &at);

	if (!e) {
		if (s->n == s->cap) {
			size_t cap = s->cap ? 2 * s->cap : 16;
			struct entry *v = realloc(s->v, cap * sizeof(*v));

			if (!v)
				return ENOMEM;
			s->v = v;
			s->cap = cap;
		}
		memmove(&s->v[at + 1], &s->v[at], (s->n - at) * sizeof(*e));
		s->n++;
		e = &s->v[at];
		e->p = NULL;
	}
	media_prompt_unref(e->p);
	e->p = NULL;
	e->info = *it;
	e->gen = ++s->gen;
	return 0;
}

int prompt_put(struct prompt_store *s, const struct prompt_info *it)
{
	int err;

	if (!s || !it || !prompt_name_ok(it->name))
		return EINVAL;
	err = remember(s, it);
	if (err)
		return err;
	err = db_write(s->db, "INSERT OR REPLACE INTO prompts (name, "
		       "duration_ms, orig_rate, orig_channels, uploaded_by, "
		       "uploaded_at) VALUES (?, ?, ?, ?, ?, ?)", "tiiiti",
		       it->name, it->duration_ms, (int64_t)it->orig_rate,
		       (int64_t)it->orig_channels, it->by, it->at);
	if (err)
		log_warn("prompt.db", "name=%s err=%d", it->name, err);
	return 0;
}

void prompt_store_set_user(struct prompt_store *s, prompt_user_h *h,
			   void *arg)
{
	s->userh = h;
	s->user_arg = arg;
}

/* ---- the worker ---- */

static void load_work(void *arg)
{
	struct job *j = arg;

	if (j->h)
		j->err = media_prompt_load(&j->p, j->path);
	else if (unlink(j->path) && errno != ENOENT)
		j->err = errno;
}

static void job_done(int err, void *arg)
{
	struct job *j = arg;
	struct prompt_store *s = j->s;
	struct entry *e;

	if (!err)
		err = j->err;
	if (!j->h) {
		if (err)
			log_warn("prompt.unlink", "path=%s err=%d", j->path, err);
	} else if (!s->stopping) {
		e = find(s, j->name, NULL);
		if (!err && !j->hit && e && e->gen == j->gen && !e->p)
			e->p = media_prompt_ref(j->p);
		j->h(err, err ? NULL : j->p, j->arg);
	}
	media_prompt_unref(j->p);
	mem_deref(j->arg);
	free(j);
}

int prompt_delete(struct prompt_store *s, const char *name, char *user,
		  size_t n)
{
	struct entry *e = find(s, name, NULL);
	struct job *j;
	int err;

	if (!e)
		return ENOENT;
	if (s->userh && s->userh(s->user_arg, name, user, n))
		return EBUSY;
	j = calloc(1, sizeof(*j));
	if (!j)
		return ENOMEM;
	j->s = s;
	(void)file_path(s, name, j->path, sizeof(j->path));
	media_prompt_unref(e->p);
	memmove(e, e + 1, (size_t)(&s->v[s->n] - (e + 1)) * sizeof(*e));
	s->n--;
	err = db_write(s->db, "DELETE FROM prompts WHERE name = ?", "t", name);
	if (err)
		log_warn("prompt.db", "name=%s err=%d", name, err);
	if (pool_queue_lane(s->pool, s->lane, load_work, job_done, j)) {
		log_warn("prompt.unlink", "path=%s not removed (busy)", j->path);
		free(j);
	}
	return 0;
}

int prompt_load(struct prompt_store *s, const char *name, prompt_load_h *h,
		void *arg)
{
	struct entry *e = s && name ? find(s, name, NULL) : NULL;
	struct job *j;
	int err;

	if (!h)
		return EINVAL;
	if (!e)
		return ENOENT;
	j = calloc(1, sizeof(*j));
	if (!j)
		return ENOMEM;
	j->s = s;
	j->h = h;
	j->gen = e->gen;
	util_strlcpy(j->name, name, sizeof(j->name));
	(void)file_path(s, name, j->path, sizeof(j->path));
	if (e->p) {
		j->p = media_prompt_ref(e->p);
		j->hit = true;
	}
	/* A hit queues no work, only its done: h never runs in here. */
	err = pool_queue_lane(s->pool, s->lane, j->hit ? NULL : load_work,
			      job_done, j);
	if (err) {
		media_prompt_unref(j->p);
		free(j);
		return err;
	}
	j->arg = mem_ref(arg);
	return 0;
}

/* ---- life ---- */

static int load_row(const struct db_row *row, void *arg)
{
	struct prompt_info it = {0};

	if (util_strlcpy(it.name, db_row_text(row, 0), sizeof(it.name)) ||
	    !prompt_name_ok(it.name))
		return 0;
	it.duration_ms = db_row_int(row, 1);
	it.orig_rate = (int)db_row_int(row, 2);
	it.orig_channels = (int)db_row_int(row, 3);
	util_strlcpy(it.by, db_row_text(row, 4) ? db_row_text(row, 4) : "",
		     sizeof(it.by));
	it.at = db_row_int(row, 5);
	return remember(arg, &it);
}

int prompt_store_alloc(struct prompt_store **sp, struct db *db,
		       struct pool *pool, const char *data_dir)
{
	struct prompt_store *s;
	int err;

	if (!sp || !db || !pool || !data_dir)
		return EINVAL;
	s = calloc(1, sizeof(*s));
	if (!s)
		return ENOMEM;
	s->db = db;
	s->pool = pool;
	if (snprintf(s->dir, sizeof(s->dir), "%s/prompts", data_dir) >=
	    (int)sizeof(s->dir)) {
		free(s);
		return ENAMETOOLONG;
	}
	err = mkdir(s->dir, 0750) && errno != EEXIST ? errno : 0;
	if (!err)
		err = db_query(db, load_row, s, "SELECT name, duration_ms, "
			       "orig_rate, orig_channels, uploaded_by, "
			       "uploaded_at FROM prompts ORDER BY name", "");
	if (!err)
		err = pool_lane(pool, &s->lane);
	if (err) {
		prompt_store_free(s);
		return err;
	}
	*sp = s;
	return 0;
}

void prompt_store_free(struct prompt_store *s)
{
	if (!s)
		return;
	s->stopping = true;
	pool_lane_stop(s->pool, s->lane);   /* the last dones run now */
	for (size_t i = 0; i < s->n; i++)
		media_prompt_unref(s->v[i].p);
	free(s->v);
	free(s);
}
