/* route/route: the DIDs in memory, loaded once, changed here only.
 *
 * A change is made in two steps that cannot fail apart: the new entry is
 * allocated first, then the row is queued (db_write), and only when that
 * succeeded does the entry replace the old one in the hash. So memory and
 * the queued rows never disagree, and the writer applies the rows in the
 * order the changes were made (db.h fact 1). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <re_types.h>
#include <re_fmt.h>
#include <re_mbuf.h>
#include <re_msg.h>
#include <re_list.h>
#include <re_sa.h>
#include <re_uri.h>
#include <re_sip.h>
#include <re_hash.h>
#include <re_mem.h>
#include "base/log.h"
#include "base/util.h"
#include "db/db.h"
#include "route/route_int.h"
#include "sip/sipx.h"

enum { HASH_SIZE = 256 };

/* The kinds a call can be routed to; rows of another kind are kept and
 * listed but lead nowhere (as the dids table allows). Each name is also
 * the call application that runs such a call (call/app.c). */
static const struct {
	enum route_kind kind;
	const char *name;
} kinds[] = {
	{ROUTE_EXTENSION, "extension"},
	{ROUTE_QUEUE,     "queue"},
	{ROUTE_IVR,       "ivr"},
};

struct did {
	struct le he;
	char *did, *kind, *target, *description;
	char *consent_text, *consent_file;
	int64_t priority;
};

const char *route_kind_name(enum route_kind kind)
{
	for (size_t i = 0; i < ARRAY_LEN(kinds); i++) {
		if (kinds[i].kind == kind)
			return kinds[i].name;
	}
	return "";
}

static int kind_parse(const char *name, enum route_kind *kind)
{
	for (size_t i = 0; name && i < ARRAY_LEN(kinds); i++) {
		if (!strcmp(kinds[i].name, name)) {
			*kind = kinds[i].kind;
			return 0;
		}
	}
	return ENOENT;
}

static void did_destroy(void *arg)
{
	struct did *d = arg;

	hash_unlink(&d->he);
	mem_deref(d->did);
	mem_deref(d->kind);
	mem_deref(d->target);
	mem_deref(d->description);
	mem_deref(d->consent_text);
	mem_deref(d->consent_file);
}

static int did_alloc(struct did **dp, const struct route_did *in)
{
	struct did *d;
	int err;

	if (!in->did || !in->kind || !in->target)
		return EINVAL;
	d = mem_zalloc(sizeof(*d), did_destroy);
	if (!d)
		return ENOMEM;
	err = str_dup(&d->did, in->did);
	err = err ? err : str_dup(&d->kind, in->kind);
	err = err ? err : str_dup(&d->target, in->target);
	err = err ? err : str_dup(&d->description,
				  in->description ? in->description : "");
	err = err ? err : str_dup(&d->consent_text,
				  in->consent_text ? in->consent_text : "");
	err = err ? err : str_dup(&d->consent_file,
				  in->consent_file ? in->consent_file : "");
	d->priority = in->priority;
	if (err) {
		mem_deref(d);
		return err;
	}
	*dp = d;
	return 0;
}

static bool did_cmp(struct le *le, void *arg)
{
	const struct did *d = le->data;

	return 0 == strcmp(d->did, arg);
}

static struct did *did_find(const struct route *r, const char *number)
{
	struct le *le;

	if (!r || !number)
		return NULL;
	le = hash_lookup(r->dids, hash_joaat_str(number), did_cmp,
			 (void *)number);
	return le ? le->data : NULL;
}

/* Puts d in place of any entry with its number. */
static void did_insert(struct route *r, struct did *d)
{
	struct did *old = did_find(r, d->did);

	if (old) {
		mem_deref(old);
		r->n--;
	}
	hash_append(r->dids, hash_joaat_str(d->did), &d->he, d);
	r->n++;
}

static void did_public(const struct did *d, struct route_did *out)
{
	out->did = d->did;
	out->kind = d->kind;
	out->target = d->target;
	out->description = d->description;
	out->priority = d->priority;
	out->consent_text = d->consent_text;
	out->consent_file = d->consent_file;
}

static int load_row(const struct db_row *row, void *arg)
{
	struct route *r = arg;
	struct route_did in = {
		.did = db_row_text(row, 0), .kind = db_row_text(row, 1),
		.target = db_row_text(row, 2), .description = db_row_text(row, 3),
		.priority = db_row_int(row, 4),
		.consent_text = db_row_text(row, 5),
		.consent_file = db_row_text(row, 6),
	};
	struct did *d;
	int err = did_alloc(&d, &in);

	if (err == EINVAL) {
		log_warn("route.did_skipped", "did=%s reason=\"a field is NULL\"",
			 in.did ? in.did : "");
		return 0;
	}
	if (err)
		return err;
	did_insert(r, d);
	return 0;
}

static void route_destroy(void *arg)
{
	struct route *r = arg;

	hash_flush(r->dids);
	mem_deref(r->dids);
}

int route_alloc(struct route **rp, struct db *db,
		const struct route_exts *exts)
{
	struct route *r;
	int err;

	if (!rp || !db || !exts)
		return EINVAL;
	r = mem_zalloc(sizeof(*r), route_destroy);
	if (!r)
		return ENOMEM;
	r->db = db;
	r->exts = *exts;
	err = hash_alloc(&r->dids, HASH_SIZE);
	if (!err)
		err = db_query(db, load_row, r,
			       "SELECT did, target_kind, target, description,"
			       " priority, consent_text, consent_file FROM dids",
			       "");
	if (err) {
		mem_deref(r);
		return err;
	}
	log_info("route.loaded", "dids=%u", r->n);
	*rp = r;
	return 0;
}

static bool sipx_callable(void *arg, const char *ext)
{
	return sipx_has_extension(arg, ext);
}

static bool sipx_exists(void *arg, const char *ext)
{
	return sipx_ext_exists(arg, ext);
}

int route_start(struct route **rp, struct db *db, struct sipx *sx)
{
	const struct route_exts exts = {
		.callable = sipx_callable, .exists = sipx_exists, .arg = sx,
	};
	int err = route_alloc(rp, db, &exts);

	return err;
}

int route_lookup(const struct route *r, const char *number,
		 struct route_target *t)
{
	const struct did *d = did_find(r, number);
	enum route_kind kind;

	memset(t, 0, sizeof(*t));
	if (!r || !number)
		return ENOENT;
	if (d && d->target[0] && !kind_parse(d->kind, &kind)) {
		t->kind = kind;
		util_strlcpy(t->target, d->target, sizeof(t->target));
		t->priority = (int32_t)d->priority;
		util_strlcpy(t->consent_text, d->consent_text,
			     sizeof(t->consent_text));
		util_strlcpy(t->consent_file, d->consent_file,
			     sizeof(t->consent_file));
		return 0;
	}
	if (!r->exts.callable || !r->exts.callable(r->exts.arg, number))
		return ENOENT;
	t->kind = ROUTE_EXTENSION;
	util_strlcpy(t->target, number, sizeof(t->target));
	return 0;
}

bool route_ext_exists(const struct route *r, const char *ext)
{
	return r && ext && r->exts.exists && r->exts.exists(r->exts.arg, ext);
}

int route_did_put(struct route *r, const struct route_did *in)
{
	struct did *d;
	int err;

	if (!r || !in)
		return EINVAL;
	err = did_alloc(&d, in);
	if (err)
		return err;
	/* Same statement as ever: an existing row keeps its created_at. */
	err = db_write(r->db,
		       "INSERT INTO dids (did, target_kind, target, description,"
		       " priority, consent_text, consent_file, created_at)"
		       " VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
		       " ON CONFLICT(did) DO UPDATE SET target_kind ="
		       " excluded.target_kind, target = excluded.target,"
		       " description = excluded.description,"
		       " priority = excluded.priority,"
		       " consent_text = excluded.consent_text,"
		       " consent_file = excluded.consent_file", "ttttitti",
		       d->did, d->kind, d->target, d->description, d->priority,
		       d->consent_text, d->consent_file, util_now_ms());
	if (err) {
		mem_deref(d);
		return err;
	}
	did_insert(r, d);
	log_info("route.did_put", "did=%s kind=%s target=%s priority=%lld "
		 "consent=%s", d->did, d->kind, d->target,
		 (long long)d->priority, d->consent_file[0] ? "file" :
		 d->consent_text[0] ? "text" : "none");
	return 0;
}

int route_did_delete(struct route *r, const char *did)
{
	struct did *d = did_find(r, did);
	int err;

	if (!d)
		return ENOENT;
	err = db_write(r->db, "DELETE FROM dids WHERE did = ?", "t", did);
	if (err)
		return err;
	log_info("route.did_deleted", "did=%s", d->did);
	mem_deref(d);
	r->n--;
	return 0;
}

int route_did_get(const struct route *r, const char *did, struct route_did *out)
{
	const struct did *d = did_find(r, did);

	if (!d)
		return ENOENT;
	did_public(d, out);
	return 0;
}

struct collect {
	const struct did **v;
	size_t n;
};

static bool collect_one(struct le *le, void *arg)
{
	struct collect *c = arg;

	c->v[c->n++] = le->data;
	return false;
}

static int by_number(const void *a, const void *b)
{
	const struct did *x = *(const struct did *const *)a;
	const struct did *y = *(const struct did *const *)b;

	return strcmp(x->did, y->did);
}

int route_did_list(const struct route *r, route_did_h *h, void *arg)
{
	struct collect c = {0};
	struct route_did out;
	int err = 0;

	if (!r || !h)
		return EINVAL;
	if (!r->n)
		return 0;
	c.v = calloc(r->n, sizeof(*c.v));
	if (!c.v)
		return ENOMEM;
	(void)hash_apply(r->dids, collect_one, &c);
	qsort(c.v, c.n, sizeof(*c.v), by_number);
	for (size_t i = 0; !err && i < c.n; i++) {
		did_public(c.v[i], &out);
		err = h(&out, arg);
	}
	free(c.v);
	return err;
}

int route_seed(struct db *db, const struct route_did *d)
{
	if (!db || !d || !d->did || !d->kind || !d->target)
		return EINVAL;
	return db_exec(db,
		"INSERT INTO dids(did, target_kind, target, description,"
		" priority, consent_text, consent_file, created_at)"
		" VALUES(?, ?, ?, ?, ?, ?, ?, ?) "
		"ON CONFLICT(did) DO NOTHING", "ttttitti", d->did, d->kind,
		d->target, d->description ? d->description : "", d->priority,
		d->consent_text ? d->consent_text : "",
		d->consent_file ? d->consent_file : "", util_now_ms());
}
