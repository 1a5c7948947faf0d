/* trunk/store: trunks and dial plans in memory, loaded once, changed here
 * only. As in route/, a change is made whole first, its row queued
 * (db_write), and only then put in place, so memory and the queued rows
 * never disagree. A trunk's row is its configuration as JSON (the API's
 * shape, the password included: a carrier's digest needs it in clear). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <jansson.h>
#include <re_types.h>
#include <re_mem.h>
#include <re_list.h>
#include "base/log.h"
#include "base/util.h"
#include "db/db.h"
#include "trunk/trunk_int.h"

static void trunk_destroy(void *arg)
{
	struct trunk *t = arg;

	trunk_link_stop(t);
	list_unlink(&t->le);
}

static void plan_destroy(void *arg)
{
	struct trunk_plan *p = arg;

	list_unlink(&p->le);
	if (p->compiled)
		regfree(&p->re);
}

struct trunk *trunk_find(const struct trunk_host *th, const char *name)
{
	for (struct le *le = th ? list_head(&th->trunks) : NULL; le;
	     le = le->next) {
		struct trunk *t = le->data;
		if (!strcmp(t->conf.name, name))
			return t;
	}
	return NULL;
}

struct trunk_plan *trunk_plan_find(const struct trunk_host *th, uint32_t id)
{
	for (struct le *le = th ? list_head(&th->plans) : NULL; le;
	     le = le->next) {
		struct trunk_plan *p = le->data;
		if (p->id == id)
			return p;
	}
	return NULL;
}

/* A plan naming name, or NULL. */
static const struct trunk_plan *plan_naming(const struct trunk_host *th,
					    const char *name)
{
	for (struct le *le = list_head(&th->plans); le; le = le->next) {
		const struct trunk_plan *p = le->data;
		for (size_t i = 0; i < p->n; i++) {
			if (!strcmp(p->trunks[i], name))
				return p;
		}
	}
	return NULL;
}

static bool by_name(struct le *le1, struct le *le2, void *arg)
{
	const struct trunk *a = le1->data, *b = le2->data;
	(void)arg;

	return strcmp(a->conf.name, b->conf.name) <= 0;
}

static bool by_order(struct le *le1, struct le *le2, void *arg)
{
	const struct trunk_plan *a = le1->data, *b = le2->data;
	(void)arg;

	return a->position < b->position ||
		(a->position == b->position && a->id <= b->id);
}

static int trunk_new(struct trunk_host *th, const struct trunk_conf *c)
{
	struct trunk *t = mem_zalloc(sizeof(*t), trunk_destroy);

	if (!t)
		return ENOMEM;
	t->th = th;
	t->conf = *c;
	list_append(&th->trunks, &t->le, t);
	list_sort(&th->trunks, by_name, NULL);
	trunk_link_update(t);
	return 0;
}

int trunk_put(struct trunk_host *th, const struct trunk_conf *c, bool create,
	      char *why, size_t n)
{
	struct trunk *t = trunk_find(th, c->name), *u = NULL;
	const struct trunk_plan *p;
	json_t *j;
	char *text;
	int err;

	if (create && t)
		return EEXIST;
	if (!create && !t)
		return ENOENT;
	if (c->in_user[0] && (u = trunk_by_user(th, c->in_user)) &&
	    strcmp(trunk_name(u), c->name)) {
		snprintf(why, n, "inbound_auth.username: trunk %s already "
			 "proves itself as %s", trunk_name(u), c->in_user);
		mem_deref(u);
		return EBUSY;
	}
	u = mem_deref(u);
	if (t && !c->outbound && (p = plan_naming(th, c->name))) {
		snprintf(why, n, "outbound: dial plan %u sends calls through "
			 "%s; change the plan first", p->id, c->name);
		return EBUSY;
	}
	j = trunk_conf_json(c, true);
	text = j ? json_dumps(j, JSON_COMPACT | JSON_SORT_KEYS) : NULL;
	json_decref(j);
	if (!text)
		return ENOMEM;
	err = db_write(th->db, "INSERT INTO trunks (name, config, created_at,"
		       " updated_at) VALUES (?, ?, ?, ?) ON CONFLICT(name) DO"
		       " UPDATE SET config = excluded.config, updated_at ="
		       " excluded.updated_at", "ttii", c->name, text,
		       util_now_ms(), util_now_ms());
	free(text);
	if (err)
		return err;
	if (!t) {
		err = trunk_new(th, c);
		if (err)
			return err;
	}
	else {
		/* In place: calls holding t keep their channels on it, and
		 * its counters and health go on. */
		t->conf = *c;
		trunk_link_update(t);
	}
	log_info("trunk.put", "name=%s inbound=%zu digest=%s outbound=%s "
		 "max_channels=%u", c->name, c->nfrom,
		 c->in_user[0] ? c->in_user : "-",
		 c->outbound ? c->address : "-", c->max_channels);
	return 0;
}

int trunk_delete(struct trunk_host *th, const char *name, char *why, size_t n)
{
	struct trunk *t = trunk_find(th, name);
	const struct trunk_plan *p;
	int err;

	if (!t)
		return ENOENT;
	if ((p = plan_naming(th, name))) {
		snprintf(why, n, "dial plan %u sends calls through %s; change "
			 "or delete the plan first", p->id, name);
		return EBUSY;
	}
	err = db_write(th->db, "DELETE FROM trunks WHERE name = ?", "t", name);
	if (err)
		return err;
	log_info("trunk.deleted", "name=%s in_use=%u", name, t->in_use);
	trunk_link_stop(t);
	list_unlink(&t->le);
	t->th = NULL;
	mem_deref(t);             /* calls still holding it keep it (fact 4) */
	return 0;
}

/* Checks in into *p (compiled); EINVAL with why. */
static int plan_make(const struct trunk_host *th,
		     const struct trunk_plan_in *in, struct trunk_plan *p,
		     char *why, size_t n)
{
	if (trunk_pattern_check(in->pattern, why, n))
		return EINVAL;
	if (!in->n || in->n > TRUNK_PLAN_MAX) {
		snprintf(why, n, "trunks: want 1..%d trunk names, in the order "
			 "to try them", TRUNK_PLAN_MAX);
		return EINVAL;
	}
	for (size_t i = 0; i < in->n; i++) {
		const struct trunk *t = trunk_find(th, in->trunks[i]);

		if (!t) {
			snprintf(why, n, "trunks[%zu]: no trunk named '%s'", i,
				 in->trunks[i]);
			return EINVAL;
		}
		if (!t->conf.outbound) {
			snprintf(why, n, "trunks[%zu]: trunk '%s' has no "
				 "outbound part", i, in->trunks[i]);
			return EINVAL;
		}
		for (size_t k = 0; k < i; k++) {
			if (!strcmp(in->trunks[k], in->trunks[i])) {
				snprintf(why, n, "trunks[%zu]: '%s' is listed "
					 "twice", i, in->trunks[i]);
				return EINVAL;
			}
		}
		util_strlcpy(p->trunks[i], in->trunks[i], sizeof(p->trunks[i]));
	}
	p->n = in->n;
	util_strlcpy(p->pattern, in->pattern, sizeof(p->pattern));
	if (regcomp(&p->re, p->pattern, REG_EXTENDED)) {
		snprintf(why, n, "pattern: does not compile");
		return EINVAL;
	}
	p->compiled = true;
	return 0;
}

static char *plan_trunks_json(const struct trunk_plan *p)
{
	json_t *a = json_array();
	char *text;

	for (size_t i = 0; a && i < p->n; i++)
		json_array_append_new(a, json_string(p->trunks[i]));
	text = a ? json_dumps(a, JSON_COMPACT) : NULL;
	json_decref(a);
	return text;
}

static int64_t last_position(const struct trunk_host *th)
{
	const struct le *le = list_tail(&th->plans);

	return le ? ((const struct trunk_plan *)le->data)->position : 0;
}

int trunk_plan_put(struct trunk_host *th, const struct trunk_plan_in *in,
		   uint32_t *id, char *why, size_t n)
{
	struct trunk_plan *old = *id ? trunk_plan_find(th, *id) : NULL;
	struct trunk_plan *p;
	char *trunks;
	int err;

	if (*id && !old)
		return ENOENT;
	p = mem_zalloc(sizeof(*p), plan_destroy);
	if (!p)
		return ENOMEM;
	err = plan_make(th, in, p, why, n);
	if (err) {
		mem_deref(p);
		return err;
	}
	p->id = *id ? *id : th->last_id + 1;
	/* A new plan goes last unless told; a changed one keeps its place. */
	p->position = in->has_position ? in->position :
		old ? old->position : last_position(th) + 10;
	trunks = plan_trunks_json(p);
	err = trunks ? db_write(th->db, "INSERT INTO dial_plans (id, position,"
				" pattern, trunks, created_at) VALUES (?, ?, ?,"
				" ?, ?) ON CONFLICT(id) DO UPDATE SET position ="
				" excluded.position, pattern = excluded.pattern,"
				" trunks = excluded.trunks", "iitti",
				(int64_t)p->id, p->position, p->pattern, trunks,
				util_now_ms()) : ENOMEM;
	free(trunks);
	if (err) {
		mem_deref(p);
		return err;
	}
	mem_deref(old);
	if (p->id > th->last_id)
		th->last_id = p->id;
	list_append(&th->plans, &p->le, p);
	list_sort(&th->plans, by_order, NULL);
	*id = p->id;
	log_info("trunk.plan_put", "id=%u pattern=\"%s\" trunks=%zu", p->id,
		 p->pattern, p->n);
	return 0;
}

int trunk_plan_delete(struct trunk_host *th, uint32_t id)
{
	struct trunk_plan *p = trunk_plan_find(th, id);
	int err;

	if (!p)
		return ENOENT;
	err = db_write(th->db, "DELETE FROM dial_plans WHERE id = ?", "i",
		       (int64_t)id);
	if (err)
		return err;
	log_info("trunk.plan_deleted", "id=%u", id);
	mem_deref(p);
	return 0;
}

/* ---- loading ---- */

static int load_trunk(const struct db_row *row, void *arg)
{
	struct trunk_host *th = arg;
	const char *name = db_row_text(row, 0);
	json_t *j = json_loads(db_row_text(row, 1) ? db_row_text(row, 1) : "",
			       0, NULL);
	struct trunk_conf c;
	char why[256];
	int err;

	/* A row this version cannot read is left as it is, not lost. */
	if (!j || trunk_conf_parse(&c, name, j, why, sizeof(why))) {
		log_warn("trunk.skipped", "name=%s reason=\"%s\"",
			 name ? name : "", j ? why : "not JSON");
		json_decref(j);
		return 0;
	}
	json_decref(j);
	err = trunk_new(th, &c);
	return err;
}

static int load_plan(const struct db_row *row, void *arg)
{
	struct trunk_host *th = arg;
	struct trunk_plan_in in = {
		.pattern = db_row_text(row, 2), .has_position = true,
		.position = db_row_int(row, 1),
	};
	json_t *a = json_loads(db_row_text(row, 3) ? db_row_text(row, 3) : "",
			       0, NULL);
	uint32_t id = 0;
	char why[256] = "not a list of names";
	size_t i;
	json_t *e;
	int err = EINVAL;

	json_array_foreach(a, i, e) {
		if (i < TRUNK_PLAN_MAX && json_is_string(e))
			in.trunks[in.n++] = json_string_value(e);
	}
	/* Loaded as the API would take it: ids are kept. */
	if (json_is_array(a) && in.pattern) {
		struct trunk_plan *p = mem_zalloc(sizeof(*p), plan_destroy);

		err = p ? plan_make(th, &in, p, why, sizeof(why)) : ENOMEM;
		if (!err) {
					p->id = (uint32_t)db_row_int(row, 0);
			p->position = in.position;
			list_append(&th->plans, &p->le, p);
			list_sort(&th->plans, by_order, NULL);
			if (p->id > th->last_id)
				th->last_id = p->id;
			id = p->id;
		}
		else {
			mem_deref(p);
		}
	}
	if (err)
		log_warn("trunk.plan_skipped", "id=%lld reason=\"%s\"",
			 (long long)db_row_int(row, 0), why);
	(void)id;
	json_decref(a);
	return err == ENOMEM ? err : 0;
}

static void host_destroy(void *arg)
{
	struct trunk_host *th = arg;
	struct le *le;

	list_flush(&th->plans);
	while ((le = list_head(&th->trunks)) != NULL) {
		struct trunk *t = le->data;

		trunk_link_stop(t);
		list_unlink(&t->le);
		t->th = NULL;
		mem_deref(t);
	}
}

int trunk_host_alloc(struct trunk_host **thp, struct db *db, struct sipx *sx)
{
	struct trunk_host *th;
	int err;

	if (!thp || !db)
		return EINVAL;
	th = mem_zalloc(sizeof(*th), host_destroy);
	if (!th)
		return ENOMEM;
	th->db = db;
	th->sx = sx;
	err = db_query(db, load_trunk, th, "SELECT name, config FROM trunks"
		       " ORDER BY name", "");
	err = err ? err : db_query(db, load_plan, th, "SELECT id, position,"
				   " pattern, trunks FROM dial_plans ORDER BY"
				   " position, id", "");
	if (err) {
		mem_deref(th);
		return err;
	}
	log_info("trunk.loaded", "trunks=%u plans=%u",
		 list_count(&th->trunks), list_count(&th->plans));
	*thp = th;
	return 0;
}
