/* crm/crm_int.h: what crm/'s files share; nothing outside crm/ includes
 * it. */
#ifndef HL_CRM_INT_H
#define HL_CRM_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <jansson.h>
#include "api/http.h"
#include "base/util.h"
#include "crm/crm.h"
#include "db/db.h"

struct bus;
struct call_mgr;
struct db;
struct media_prompt;
struct media_tts;
struct pool;
struct queue_host;
struct route;
struct api_req;

/* ---- index.c: the numbers that matter to calls, in memory */
struct crm_index;
int  crm_index_alloc(struct crm_index **ip);
void crm_index_free(struct crm_index *ix);
/* True when c changes what a call does (else the index holds no entry). */
bool crm_caller_matters(const struct crm_caller *c);
/* Sets number's entry to c, or removes it when c does not matter.
 * EINVAL for a number too long, ENOMEM. */
int  crm_index_put(struct crm_index *ix, const char *number,
		   const struct crm_caller *c);
void crm_index_del(struct crm_index *ix, const char *number);
int  crm_index_get(const struct crm_index *ix, const char *number,
		   struct crm_caller *out);
size_t crm_index_count(const struct crm_index *ix);
/* Puts every entry of src into dst but those skip (may be NULL) names. */
void crm_index_merge(struct crm_index *dst, const struct crm_index *src,
		     bool (*skip)(void *arg, const char *number), void *arg);

/* ---- mod.c: the running module */
enum { CRM_CHANGED_MAX = 4096 };

struct crm {
	struct db *db;
	struct bus *bus;
	struct call_mgr *calls;
	struct queue_host *queues;
	struct route *route;
	struct media_tts *tts;
	struct crm_index *ix;
	struct pool *pool;            /* the house's (not a ref) */
	unsigned lane;                /* ours on it: the start-up load */
	struct crm_tok *tok;          /* the refusal prompt's request */
	struct media_prompt *refusal; /* ref, or NULL (no speech) */
	bool loaded;
	/* numbers the API changed while the start-up load ran: the load's
	 * older view of them is not applied */
	char (*changed)[CRM_PHONE_MAX];
	size_t nchanged;
};

/* The running module of the request's server. */
struct crm *crm_of(const struct api_req *req);

/* Sets number's entry from what a write just stored (on the loop). */
void crm_note_number(struct crm *c, const char *number,
		     const struct crm_caller *cc);

/* ---- store.c: reading customers (on a worker) */
#define CRM_COLS "c.id, c.name, c.company, c.region, c.level, c.owner, " \
	"c.notes, c.blacklisted, c.blacklist_reason, c.source, " \
	"c.created_at, c.updated_at, c.deleted_at"
enum { CRM_NCOLS = 13 };

/* One customer row (CRM_COLS first) as JSON, without phones, tags and
 * custom fields (crm_fill adds them: not from inside a row handler). */
json_t *crm_row_json(const struct db_row *row);
/* Adds "phones", "tags" and "fields" to customer o; numbers masked when
 * mask. 0, EIO or ENOMEM. */
int  crm_fill(struct db *db, json_t *o, bool mask);
/* The customer id as stored, with scope: 0 and *out (new reference), or
 * ENOENT, EACCES (outside u's scope), EIO. deleted ones are found too. */
int  crm_read(struct db *db, const char *id, const struct api_user *u,
	      json_t **out);
/* The numbers of customer id (live ones only, or all) into arr. */
int  crm_read_numbers(struct db *db, const char *id, bool live_only,
		      json_t *arr);
/* The index entry of customer json o (level, owner, blacklisted). */
void crm_caller_of(const json_t *o, struct crm_caller *cc);

/* A scope condition over customers c: unowned ones are everyone's;
 * owned ones follow the data scope through their owner (api/scope.c). */
#define CRM_SCOPE_SQL "(c.owner = '' OR " API_SCOPE_SQL("c.owner", "c.owner") ")"

/* ---- http.c */
extern const struct mod_routes crm_routes;

/* ---- history.c: the other sources, in registration order */
/* Appends what every source finds for customer id that u may see. */
int  crm_history_others(struct db *db, const struct api_user *u,
			const char *id, json_t *items);

/* ---- http.c, http_write.c, fields.c: the route handlers */
void crm_h_list(struct api_req *req);
void crm_h_get(struct api_req *req);
void crm_h_history(struct api_req *req);
void crm_h_pop(struct api_req *req);
/* pop.c: ticket_customer_h (ticket/ticket.h) for the crm in arg. */
int  crm_wo_customer(const char *phone, char *id, size_t n, void *arg);
void crm_h_create(struct api_req *req);
void crm_h_update(struct api_req *req);
void crm_h_delete(struct api_req *req);
void crm_h_restore(struct api_req *req);
void crm_h_fields(struct api_req *req);
void crm_h_field_create(struct api_req *req);
void crm_h_field_update(struct api_req *req);
void crm_h_field_delete(struct api_req *req);
/* merge.c */
void crm_h_duplicates(struct api_req *req);
void crm_h_merge(struct api_req *req);

/* body.c: checks a customer body u sends; 0, EINVAL (400) or EPERM (403)
 * with why naming the field. An owner must be an extension rt knows (rt
 * NULL: no owner but "" passes). Rewrites "phones" as [{"number",
 * "label"}] with the numbers normalised. */
int  crm_body_check(const struct api_user *u, struct route *rt,
		    json_t *body, bool creating, char *why, size_t n);
/* The name of the i-th plain (one-column) field of a body, or NULL past
 * the last: the columns PUT may change one by one. */
const char *crm_body_plain(size_t i);

/* The 404/403/500 of a crm_read error. */
void crm_reply_read_error(struct api_conn *conn, int err);

/* http_write.c, shared with import.c: stores body's plain fields
 * (UPDATEs of customer id, which must exist) and its phones, tags and
 * fields lists (each given list replaces the stored one); turns custom
 * field values into text as they are stored. 0 or the writer's error. */
int  crm_store_plain(struct db *db, const char *id, const json_t *body,
		     int64_t now);
int  crm_store_lists(struct db *db, const char *id, const json_t *body);
void crm_fields_text(json_t *fields);

/* http.c, shared with export.c: the list's query filters. */
enum { CRM_FILTER_BINDS = 8, CRM_FILTER_TEXT = 64 };
struct crm_filter {
	char sql[1024];
	size_t n;
	char bind[CRM_FILTER_BINDS][CRM_FILTER_TEXT * 2 + 4];
};
/* The query's filters into f: 0, or EINVAL with 400 answered naming the
 * parameter. */
int  crm_filter_parse(struct api_req *req, struct crm_filter *f);

/* http.c: one page of the list. limit, c_ts and c_id in (the keyset:
 * rows older than (c_ts, c_id)); the rest out: items (new reference, the
 * caller's, filled as crm_fill fills), n the rows read (limit + 1: there
 * is more), the last row's keyset. */
struct crm_page {
	size_t limit;
	int64_t c_ts;
	char c_id[UTIL_ID_LEN];
	json_t *items;
	size_t n;
	int64_t last_ts;
	char last_id[UTIL_ID_LEN];
};
/* The list's query for u with f's filters, live or deleted customers:
 * 0, EIO or ENOMEM (pg->items may be set either way). */
int  crm_list_query(struct db *db, const struct api_user *u,
		    const struct crm_filter *f, bool deleted,
		    struct crm_page *pg);

/* import_store.c: stores bodies (checked import rows, phones normalised)
 * as new customers, all or none, notes by user by. 0 or an errno. */
int  crm_import_store(struct db *db, const json_t *bodies, const char *by);

/* import.c, export.c: the handlers */
void crm_h_import(struct api_req *req);
void crm_h_export(struct api_req *req);

/* fields.c: checks obj ("fields" of a body) against the definitions in db
 * (on a worker); 0, or EINVAL with why naming the field. creating: every
 * required field must be there. */
int  crm_fields_check(struct db *db, const json_t *obj, bool creating,
		      char *why, size_t n);
/* The definitions read once, for many checks (an import's rows):
 * crm_defs_read fills *out (yours: crm_defs_free, NULL fine), 0, EIO or
 * ENOMEM; crm_fields_check_defs checks as crm_fields_check does. */
struct crm_defs;
int  crm_defs_read(struct db *db, struct crm_defs **out);
void crm_defs_free(struct crm_defs *ds);
int  crm_fields_check_defs(const struct crm_defs *ds, const json_t *obj,
			   bool creating, char *why, size_t n);

#endif
