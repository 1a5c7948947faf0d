/* ticket internals: what the module's files share. Not for other modules
 * (they use ticket.h). */
#ifndef HL_TICKET_TICKET_INT_H
#define HL_TICKET_TICKET_INT_H

#include <stdbool.h>
#include <stdint.h>
#include <jansson.h>
#include "api/http.h"
#include "base/events.h"
#include "base/util.h"
#include "ticket/ticket.h"

struct db;

enum { WO_TEXT = 256, WO_NAME = 64 };

/* One work order as the flow logic needs it (the API shows more, through
 * wo_json). Text fields are "" for SQL NULL. */
struct wo {
	char id[UTIL_ID_LEN], no[32];
	enum ticket_state state;
	char title[WO_TEXT];
	char category[WO_NAME], service[WO_NAME], priority[16], type[16];
	char phone[40];
	char created_by[UTIL_ID_LEN], creator_dept[UTIL_ID_LEN];
	char dept[UTIL_ID_LEN], co_dept[UTIL_ID_LEN], assignee[UTIL_ID_LEN];
	char fault_id[UTIL_ID_LEN];
	bool reply_needed;
	int64_t created_at, updated_at, first_response_at, done_at, closed_at;
	int64_t due_at, extension_s, sla_flags;
};

/* sla_flags bits: what the time-limit check already published. */
enum {
	WO_WARN_RESPONSE = 1u << 0, WO_BREACH_RESPONSE = 1u << 1,
	WO_WARN_COMPLETE = 1u << 2, WO_BREACH_COMPLETE = 1u << 3,
};

/* ---- store.c: reads and writes, on a worker, under wo_lock */

/* Serialises every change to work orders (read, check, write). */
void wo_lock(void);
void wo_unlock(void);

/* The order id into *w, and as the API shows it into *jp when jp (yours);
 * ENOENT, EIO. */
int  wo_load(struct db *db, const char *id, struct wo *w, json_t **jp);
/* Who u is to w (ticket_actor bits). */
unsigned wo_actors(struct db *db, const struct wo *w, const struct api_user *u);
/* Whether u's data scope covers w. */
bool wo_in_scope(struct db *db, const struct wo *w, const struct api_user *u);
/* Appends one history row (seq: the order's next); data is borrowed. */
int  wo_history(struct db *db, const char *order_id, int64_t at,
		const char *actor, const char *actor_name, const char *action,
		const char *from, const char *to, const char *reason,
		const json_t *data);
/* Moves w to `to` (columns and history; first_response_at, done_at and
 * closed_at as the move implies). actor "system" for Hotline's moves. */
int  wo_move(struct db *db, struct wo *w, enum ticket_state to, int64_t at,
	     const char *actor, const char *actor_name, const char *reason);
/* The history of order id, oldest first, as a JSON array into *jp. */
int  wo_history_json(struct db *db, const char *id, json_t **jp);
/* Whether department id exists. */
bool wo_dept_exists(struct db *db, const char *id);
/* The member of dept to give an order to by its assign setting
 * (round-robin, least-loaded: among members signed in now); "" when
 * manual or nobody is on duty. */
int  wo_pick_member(struct db *db, const char *dept, int64_t now,
		    char out[UTIL_ID_LEN]);
/* Whether user id is a member of dept (or dept is "" and it exists). */
bool wo_user_in_dept(struct db *db, const char *user, const char *dept);

/* ---- names (http.c) */
/* "紧急" or "urgent" into "urgent" …; NULL for anything else. */
const char *wo_priority(const char *name);
/* "故障" or "fault" into "fault" …; NULL for anything else. */
const char *wo_type(const char *name);

/* ---- deadlines (sla.c) */
/* The order's limits and deadlines as the API shows them (at now). */
int  wo_deadlines(struct db *db, const struct wo *w, int64_t now,
		  json_t **jp);

/* ---- attachments (attach_name.c: pure) */
enum { WO_ATTACH_NAME_MAX = 200 };   /* bytes of a file's name */
/* Whether name may be an attachment's: 0 and *type (static) the content
 * type its extension gives; EINVAL for a name that is not one plain file
 * name (empty, too long, a path, control characters, a leading dot, not
 * UTF-8), ENOTSUP for an extension not taken. *why (static) says which. */
int  wo_attach_name(const char *name, const char **type, const char **why);
/* The i-th extension taken ("pdf"), NULL past the last. */
const char *wo_attach_exts(size_t i);
/* The header line "Content-Disposition: attachment; …\r\n" naming name
 * (UTF-8): an ASCII stand-in for old clients, and the name itself
 * percent-encoded (RFC 6266, RFC 8187). out has n bytes. */
void wo_attach_disposition(const char *name, char *out, size_t n);

/* The one file of a multipart/form-data body (attach_form.c, pure): ct
 * (ctlen bytes) the Content-Type value with its boundary, body the form.
 * 0 with *data, *dlen (inside body) and the part's filename in name (nn
 * bytes); EINVAL with *why (static) for a form without exactly one file,
 * a malformed or cut one, or a filename longer than nn - 1. */
int  wo_attach_form(const char *ct, size_t ctlen, const char *body,
		    size_t len, const char **data, size_t *dlen, char *name,
		    size_t nn, const char **why);

/* ---- attachments' files (attach_file.c): blocking, a worker's calls */
/* Writes len bytes at buf as DATA/work-orders/<id>: whole into a
 * temporary file, synced, then renamed into place. 0 or an errno. */
int  wo_attach_save(const char *data_dir, const char *id, const void *buf,
		    size_t len);
/* Removes the file of id (an upload whose row could not be written). */
void wo_attach_unlink(const char *data_dir, const char *id);
/* The whole file of id into *data (malloc'd, yours) and *len. 0, ENOENT,
 * EFBIG past API_UPLOAD_MAX, ENOMEM, or read's errno. */
int  wo_attach_read(const char *data_dir, const char *id, char **data,
		    size_t *len);

/* ---- events: changes made on a worker, published on the loop */
/* Appends {"ev", "subject", "data"} to evs (data taken). */
void wo_event(json_t *evs, enum bus_ev ev, const char *subject, json_t *data);
/* ticket.updated's data for w after action. */
json_t *wo_event_data(const struct wo *w, const char *action);

/* ---- custhist.c: crm/'s contact history source (crm_history_h) */
/* Appends customer_id's orders in u's scope, newest first (at most 200),
 * as {kind "work_order", at, id, no, title, state, state_zh, priority,
 * department, type}. 0, ENOMEM or EIO. */
int  wo_customer_history(struct db *db, const struct api_user *u,
			 const char *customer_id, json_t *items);

#endif
