/* crm: customers (客户资料). A customer has a name, company, region, a
 * service level (normal, silver, gold, vip: each raises the queue priority
 * its calls wait with), an owner agent (an extension: sticky queues ring
 * them first), notes shown on the next call, a blacklist flag with its
 * reason, several phone numbers, tags and the center's custom fields.
 * Deleting is soft: a deleted customer can be restored.
 *
 * crm/ owns the customers, customer_phones, customer_tags,
 * customer_fields, customer_field_values and customer_notes tables
 * (migration 027). Lower modules never include this header: crm/ hands
 * call/ and queue/ its answers through their hooks (call_mgr_set_screen,
 * queue_host_set_owner) when it starts.
 *
 * Facts that always hold:
 *  (1) A call is screened from memory: the numbers that change what a call
 *      does (blacklisted, a level above normal, an owner) are held in an
 *      index loaded at start on a worker and changed by every write the
 *      API makes, in the same loop turn as its reply.
 *  (2) A number belongs to at most one live customer (a partial unique
 *      index; the API answers 409 naming the number).
 *  (3) Numbers are stored and looked up in one form (crm_phone_norm).
 */
#ifndef HL_CRM_H
#define HL_CRM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct crm;
struct mod_export;
struct json_t;
struct db;

enum { CRM_PHONE_MAX = 32 };

/* The module's row for `hotline serve` (base/mod.h): starts after call/
 * and queue/, whose hooks it sets, and serves /api/v1/customers and
 * /api/v1/customer-fields. */
extern const struct mod_export crm_module;

/* A phone number in its stored form: spaces, dashes, dots and brackets
 * dropped; China's +86 / 0086 prefix dropped; another country's kept as
 * '+' and digits. 0, or EINVAL (not a number, or longer than
 * CRM_PHONE_MAX - 1). out has CRM_PHONE_MAX bytes. */
int  crm_phone_norm(const char *in, char out[CRM_PHONE_MAX]);

/* A service level by name: 0 and *raise (the queue priority its callers
 * gain), or EINVAL for a name that is no level. */
int  crm_level_raise(const char *level, int32_t *raise);

/* The levels, lowest first, NULL-ended. */
extern const char *const crm_levels[];

/* What crm/ knows of a number from memory. */
struct crm_caller {
	bool blacklisted;
	int32_t raise;          /* queue priority raise of the level */
	char owner[32];         /* the owner's extension, "" none */
};

/* 0 and *out for a number in the index, or ENOENT (an ordinary or unknown
 * caller). From memory, on the loop. */
int  crm_caller_get(const struct crm *c, const char *number,
		    struct crm_caller *out);

/* Makes number (any form crm_phone_norm takes) a customer named by it,
 * with region and source ("call", "work_order", "import"), unless a live
 * customer has it: queued writes, never a read, so it may run on the loop
 * (a work order for someone who is no customer yet uses it). 0, EINVAL
 * for a number that is none, or the writer's error. */
int  crm_customer_ensure(struct crm *c, const char *number,
			 const char *region, const char *source, int64_t at_ms);

/* The screen pop's look-up: the query of GET /api/v1/customers?phone=
 * (bench/records measures this very call). The live customer in u's
 * scope holding number (any form crm_phone_norm takes), with phones, tags
 * and custom fields, into *out (a new reference; numbers masked when u
 * sees them so). Blocks on the database (a worker's call). 0, ENOENT
 * (nobody's in u's scope), EINVAL (no number), EIO or ENOMEM. */
struct api_user;
int  crm_find_phone(struct db *db, const struct api_user *u,
		    const char *number, struct json_t **out);

/* The screen pop of GET /api/v1/screen-pop (bench/records measures this
 * very call): into *out (yours) {customer (crm_find_phone's, or null),
 * work_orders (ticket_pop_orders at now), ivr, articles (kb_for_ivr when
 * ivr is neither NULL nor "")} for the caller's number (any form) as u
 * sees them. Blocks on the database (a worker's call). 0, EINVAL (no
 * number, an IVR choice longer than 28 bytes), EIO or ENOMEM. */
int  crm_pop(struct db *db, const struct api_user *u, const char *number,
	     const char *ivr, int64_t now, struct json_t **out);

/* Imports customers from a spreadsheet, as POST /api/v1/customers/import
 * does (it calls this on a worker; bench/records times it): buf[0..len)
 * is a CSV or XLSX file whose header row names the columns; every row is
 * checked as a POST body is and reported by row, column and reason. */
enum crm_import_mode {
	CRM_IMPORT_CHECK,   /* report only */
	CRM_IMPORT_ALL,     /* every row, or none when one is bad */
	CRM_IMPORT_VALID,   /* the valid rows */
};
struct crm_import_res {
	uint16_t status;        /* the reply's: 200, 422 (all, a row bad), 400 */
	char why[256];          /* 400: what is wrong with the file */
	struct json_t *report;  /* yours: {rows, valid, imported, errors, …} */
	struct json_t *stored;  /* yours: the bodies stored (numbers in their
				 * stored form), NULL when none was */
};
struct route;
/* Runs an import for u (rt checks owners; may be NULL). Blocks on the
 * database (a worker's call). 0 with res->report, EINVAL (res->status
 * 400 and why), ENOMEM or EIO; nothing stored unless 0. */
int  crm_import(struct db *db, struct route *rt, const struct api_user *u,
		const void *buf, size_t len, enum crm_import_mode mode,
		struct crm_import_res *res);

/* The contact history's other sources (work orders, tasks): a function
 * that appends to items (a JSON array) the customer's entries that u may
 * see as objects with at least "kind" and "at" (RFC 3339): each source
 * applies u's data scope to its own rows, as its own lists do, since crm/
 * cannot know who may see another module's records. It reads the database
 * on the worker that serves the request. Registered once at start by the
 * module that owns the rows; 0 or an errno (the history then answers
 * 500). */
typedef int (crm_history_h)(struct db *db, const struct api_user *u,
			    const char *customer_id, struct json_t *items);
/* Adds h to the history's sources (at most 8; adding one already there
 * changes nothing, so a module may start again). ENOSPC when full. */
int  crm_history_source(crm_history_h *h);

#endif
