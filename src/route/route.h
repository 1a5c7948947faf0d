/* route: the dial plan. The numbers callers dial (DIDs) and where each
 * leads: an extension or a queue (an IVR flow or an outbound route as those
 * arrive), with the priority a queue's callers wait with (a VIP line is
 * answered first).
 *
 * route/ owns the dids table: it is read whole at start into memory (a hash
 * by number), answered from memory, and changed only here. Extensions are
 * the registrar's (sip/): route/ asks it through route_exts whether a
 * dialled number is one, and keeps no copy of its own, so a new or disabled
 * extension is seen the moment the registrar sees it.
 *
 * Facts that always hold:
 *  (1) route_lookup never touches the disk: an INVITE is routed from memory.
 *  (2) A change (route_did_put, route_did_delete) is in memory when it
 *      returns 0, and its row is queued for the writer in the same call, so
 *      the next INVITE routes by it and a restart finds it.
 *  (3) Nothing writes the dids table but this module (route_seed included).
 */
#ifndef HL_ROUTE_H
#define HL_ROUTE_H

#include <stdbool.h>
#include <stdint.h>

struct route;
struct db;
struct sipx;

enum route_kind { ROUTE_EXTENSION, ROUTE_QUEUE, ROUTE_IVR };

enum { ROUTE_DID_MAX = 31, ROUTE_TARGET_MAX = 31, ROUTE_CONSENT_MAX = 255,
       ROUTE_PROMPT_MAX = 64 };

/* Where a dialled number leads. */
struct route_target {
	enum route_kind kind;
	char target[ROUTE_TARGET_MAX + 1];   /* the extension or queue */
	int32_t priority;                    /* a queue's callers wait with it */
	/* The DID's consent prompt (本次通话可能会被录音), heard before a
	 * queue's: text spoken, or an uploaded prompt's name (wins); "" none */
	char consent_text[ROUTE_CONSENT_MAX + 1];
	char consent_file[ROUTE_PROMPT_MAX + 1];
};

/* What route/ asks of the owner of extensions (the registrar). */
struct route_exts {
	/* True when ext is an enabled extension: dialling it rings it. */
	bool (*callable)(void *arg, const char *ext);
	/* True when ext exists, enabled or not: a DID may lead to it. */
	bool (*exists)(void *arg, const char *ext);
	void *arg;
};

/* One DID as stored. The strings are the route's (or the caller's, when
 * passed in), valid until the next change. */
struct route_did {
	const char *did;
	const char *kind;          /* "extension" or "queue" (others: kept,
				    * listed, never routed) */
	const char *target;
	const char *description;
	int64_t priority;
	const char *consent_text;  /* NULL or "": none (route_target's) */
	const char *consent_file;
};

/* Called for each DID in number order; non-zero stops and is returned. */
typedef int (route_did_h)(const struct route_did *d, void *arg);

/* The module's row for `hotline serve` (base/mod.h): starts after sip/,
 * sets h->route, serves /api/v1/dids. */
struct mod_export;
extern const struct mod_export route_module;

/* Loads every DID from db (start-up: a synchronous read) and answers
 * extensions through exts (copied). db must outlive the route. *rp is the
 * caller's (mem_deref). */
int  route_alloc(struct route **rp, struct db *db,
		 const struct route_exts *exts);

/* route_alloc asking sx (sipx_has_extension, sipx_ext_exists). */
int  route_start(struct route **rp, struct db *db, struct sipx *sx);

/* Where number leads: its DID's target when it has one of kind extension
 * or queue, else the number itself when it is a callable extension.
 * 0 and *t filled, or ENOENT. From memory. */
int  route_lookup(const struct route *r, const char *number,
		  struct route_target *t);

/* "extension" or "queue": the name of a kind (what the dids table and the
 * call applications call it). */
const char *route_kind_name(enum route_kind kind);

/* True when ext exists in the registrar, enabled or not. */
bool route_ext_exists(const struct route *r, const char *ext);

/* Creates or changes d->did: memory at once, the row queued. The created
 * time of an existing row stays. EINVAL: a field missing; ENOMEM; the
 * writer's error (then nothing changed). */
int  route_did_put(struct route *r, const struct route_did *d);

/* Removes did: memory at once, the row queued. ENOENT: no such DID. */
int  route_did_delete(struct route *r, const char *did);

/* 0 and *d filled (strings owned by r), or ENOENT. */
int  route_did_get(const struct route *r, const char *did,
		   struct route_did *d);

/* Calls h for every DID in number order (strcmp, as SQL's ORDER BY did). */
int  route_did_list(const struct route *r, route_did_h *h, void *arg);

/* Provisioning before route_alloc (the demo): inserts d unless its number
 * exists. Synchronous (db_exec): never on the event loop's hot paths. */
int  route_seed(struct db *db, const struct route_did *d);

#endif
