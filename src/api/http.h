/* api/http: what an HTTP handler uses, in api/ or in the module it serves
 * (a module lists its routes in its export row, base/mod.h): the route row,
 * the request with its path parameters, query, body and signed-in user,
 * the replies, and jobs that read on the worker pool and answer on the
 * loop. The transport under it (connections, framing, WebSocket, tokens)
 * is api/'s own (api_int.h).
 *
 * Every reply that is an error is a 4xx/5xx with {"error": "reason"}; a
 * handler runs only after its route's token and role checks passed. */
#ifndef HL_API_HTTP_H
#define HL_API_HTTP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <jansson.h>
#include "base/util.h"

struct api;
struct api_conn;
struct http_msg;
struct mod_house;

enum { API_QUERY_MAX = 1024 };   /* the query string, without the '?' */

/* ---- roles: what a user is; a route lists the roles allowed to call it */
enum api_role {
	API_R_ADMIN      = 1u << 0,
	API_R_SUPERVISOR = 1u << 1,
	API_R_AGENT      = 1u << 2,
	API_R_QA         = 1u << 3,
	API_R_BACKOFFICE = 1u << 4,
	API_R_EXECUTIVE  = 1u << 5,
};
/* Role groups the routes of several modules share. backoffice users are
 * left out of the call readers on purpose: they work on work orders, not
 * on call records. */
#define API_SUPERVISORS  (API_R_ADMIN | API_R_SUPERVISOR)
#define API_CALL_READERS (API_R_ADMIN | API_R_SUPERVISOR | API_R_QA | \
			  API_R_EXECUTIVE | API_R_AGENT)
/* Who handles live calls and mailboxes: agents and those above them. */
#define API_CALL_HANDLERS (API_R_ADMIN | API_R_SUPERVISOR | API_R_AGENT)
#define API_PUBLIC 0u      /* no token needed */
#define API_ANYONE 0x3fu   /* any signed-in user */

/* The bit of a role name ("agent"), or EINVAL. */
int api_role_parse(const char *name, unsigned *bit);

/* ---- router (route.c) */
struct api_req;
typedef void (api_h)(struct api_req *req);

enum api_route_flag {
	API_F_QUERY_TOKEN = 1u << 0,  /* ?token= accepted (browsers cannot set
	                                 headers on a WebSocket) */
	API_F_UPLOAD      = 1u << 1,  /* a body of up to API_UPLOAD_MAX (files:
	                                 prompts), not just API's JSON size */
	API_F_AUDIT       = 1u << 2,  /* every answer goes into the audit log,
	                                 allowed or not (sign-in, recordings);
	                                 see api/audit.c for what else does */
};

enum { API_UPLOAD_MAX = 20 * 1024 * 1024 };

struct api_route {
	const char *method;   /* "GET", "POST" … */
	const char *pattern;  /* "/api/v1/calls/{id}": {name} matches one segment */
	api_h      *h;
	unsigned    roles;    /* API_PUBLIC, or the roles allowed */
	unsigned    flags;    /* api_route_flag */
	const char *doc;      /* one line for docs/api.md */
};

enum { API_PARAMS_MAX = 4, API_PARAM_LEN = 128, API_ALLOW_LEN = 64 };

struct api_params {
	size_t n;
	struct {
		char name[32];
		char value[API_PARAM_LEN];
	} v[API_PARAMS_MAX];
};

/* The value of path parameter name, or NULL. */
const char *api_param(const struct api_params *pp, const char *name);

/* Value of key in a query string ("a=1&b=x%2By", with or without '?'),
 * percent-decoded ('+' stays '+': RFC 3339 offsets need it). ENOENT when
 * absent, ENOSPC when longer than n - 1, EINVAL for a bad %-escape. */
int api_query_get(const char *query, const char *key, char *out, size_t n);

/* The query's time key, RFC 3339 ("2026-01-31T08:00:00Z"), into *ms, or
 * dflt when absent: 0, or EINVAL with 400 answered. */
int api_query_time(struct api_req *req, const char *key, int64_t dflt,
		   int64_t *ms);

/* ---- JSON bodies (body.c); err gets a reason naming the field */
/* Parses a request body that must be one JSON object; *objp is yours. */
int api_json_object(const char *buf, size_t len, json_t **objp,
		    char *err, size_t n);
/* The request's body through api_json_object. */
int api_req_body(const struct api_req *req, json_t **objp, char *err,
		 size_t n);
/* obj[field] as a string of at most maxlen bytes: EINVAL when missing, not
 * a string, empty or too long. *out is owned by obj. */
int api_json_str(const json_t *obj, const char *field, size_t maxlen,
		 const char **out, char *err, size_t n);

/* ---- paging (cursor.c): an opaque keyset cursor over (time, id) */
enum { API_CURSOR_LEN = 128 };
void api_cursor_encode(char out[API_CURSOR_LEN], int64_t started_at,
		       const char *id);
/* EINVAL unless s came from api_cursor_encode. id has UTIL_ID_LEN bytes. */
int  api_cursor_decode(const char *s, int64_t *started_at,
		       char id[UTIL_ID_LEN]);
/* A list's page from req's query: `limit` (1..max) into *limit, left as
 * it is when absent; `cursor` into *c_ts and c_id, left when absent. 0, or
 * EINVAL with 400 answered naming the parameter. */
int  api_query_page(struct api_req *req, size_t max, size_t *limit,
		    int64_t *c_ts, char c_id[UTIL_ID_LEN]);
/* The same for a worker job, which answers later: nothing is replied;
 * EINVAL with the reason in why ("limit: want 1..MAX", "cursor: use
 * next_cursor from the previous page") for the job's 400. */
int  api_query_page_why(const struct api_req *req, size_t max,
			size_t *limit, int64_t *c_ts, char c_id[UTIL_ID_LEN],
			char *why, size_t n);

/* ---- the signed-in user */
enum { API_TOKEN_HEX = 64, API_NAME_MAX = 64, API_EXT_MAX = 32,
       API_DEPT_LEN = 33 };

enum api_scope {
	API_SCOPE_UNSET,    /* the role's default (api_scope_default) */
	API_SCOPE_ALL,      /* 高管级: every record */
	API_SCOPE_DEPTS,    /* 管理级: their departments' agents and their own */
	API_SCOPE_OWN,      /* 普通级: only their own */
};

struct api_user {
	char     id[UTIL_ID_LEN];
	char     username[API_NAME_MAX + 1];
	char     role[16];
	unsigned role_bit;
	char     ext[API_EXT_MAX + 1];     /* "" when none */
	char     dept[API_DEPT_LEN];       /* department id, "" when none */
	enum api_scope scope;              /* which records they see */
	bool     mask_numbers;             /* phone numbers shown masked */
};

/* ---- data scope and number masking (scope.c): the one rule every list,
 * record and event goes through */
/* The stored name ("all", "departments", "own"); NULL for UNSET. */
const char *api_scope_name(enum api_scope s);
/* The scope named name; EINVAL for anything else. */
int  api_scope_parse(const char *name, enum api_scope *s);
/* What a role sees when no scope was set: admin, executive, qa all;
 * supervisor departments; backoffice, agent (and unknown roles) own. */
enum api_scope api_scope_default(unsigned role_bit);
/* u's scope, its role's default when UNSET. */
enum api_scope api_scope_of(const struct api_user *u);

/* An SQL condition that is true for the rows of a table keyed by agent
 * extension (columns agent and by: who handled it, who transferred it)
 * that user may see: all → every row; own → agent or by is the user's
 * extension; departments → also every row whose agent is the extension
 * of a user in the user's department or one below it. Bind its
 * API_SCOPE_NARGS text parameters, from api_scope_args, in place. */
#define API_SCOPE_SQL(agent, by) \
	"(? = 'all' OR " agent " = ? OR " by " = ? OR (? = 'departments' " \
	"AND " agent " IN " API_DEPT_EXTENSIONS "))"
/* A subquery: the extensions of the users in the department bound to its
 * one parameter and every department below it (WITH RECURSIVE: SQLite and
 * PostgreSQL alike). The scope above and the calls' department filter
 * share it. */
#define API_DEPT_EXTENSIONS \
	"(WITH RECURSIVE sub(id) AS (SELECT ? UNION " \
	"SELECT d.id FROM departments d JOIN sub ON d.parent_id = sub.id) " \
	"SELECT extension FROM users WHERE extension <> '' AND " \
	"department_id IN (SELECT id FROM sub))"
#define API_SCOPE_TYPES "ttttt"
enum { API_SCOPE_NARGS = 5 };
/* The parameters of API_SCOPE_SQL for u, borrowed from u. */
void api_scope_args(const struct api_user *u,
		    const char *args[API_SCOPE_NARGS]);

/* ---- live lists scoped (scope_list.c): GET /api/v1/agents and
 * /api/v1/queues, and one agent or queue, show a user exactly what its
 * CTI snapshot shows: the WebSocket's rule (scope_ws.c), asked, not
 * copied. */
struct db;
struct api_scope_list;
/* u's view of the live lists; with scope departments, reads the
 * extensions of its department tree from db (a worker's job). *lp is
 * yours: api_scope_list_free. 0, ENOMEM or EIO. */
int  api_scope_list_load(struct api_scope_list **lp, struct db *db,
			 const struct api_user *u);
/* Whether api_scope_list_load reads the database for u; when not, it may
 * run on the loop (db unused: NULL will do). */
bool api_scope_list_reads(const struct api_user *u);
void api_scope_list_free(struct api_scope_list *l);   /* NULL: no-op */
/* Whether l keeps every item (scope all): a list may then skip keeping. */
bool api_scope_list_all(const struct api_scope_list *l);
/* A copy of live's "agents" and "queues" arrays (items as those routes
 * list them, each agent with its "queues") holding, in order, the items l
 * sees: all every one; departments the agents of its tree and the queues
 * one of them serves; own its own agent and every queue. The served
 * queues are taken from live's "agents", so give them beside the queues.
 * *out is yours. 0 or ENOMEM. */
int  api_scope_list_keep(struct api_scope_list *l, const json_t *live,
			 json_t **out);

enum { API_MASK_LEN = 64 };
/* A phone number as a masked user sees it: first 3 and last 4 kept, the
 * middle starred (13812348000 → 138****8000); up to 7 characters only
 * the last 2 are kept. out has n bytes. */
void api_mask_number(const char *in, char *out, size_t n);
/* When u masks numbers, replaces each of obj's string fields named in
 * fields (NULL-terminated) by its masked form; else does nothing. */
void api_mask_fields(const struct api_user *u, json_t *obj,
		     const char *const *fields);

/* ---- the request */
/* One request while its handler runs; handlers that answer later copy what
 * they need (and mem_ref conn). */
struct api_req {
	struct api *api;
	struct api_conn *conn;
	const struct http_msg *msg;
	const struct api_route *route;
	struct api_params params;
	char query[API_QUERY_MAX];       /* without the '?' */
	struct api_user user;            /* the caller, when the route needs one */
	char token_hash[API_TOKEN_HEX + 1];
};

/* The running server's modules (base/mod.h): a handler reaches the
 * service it serves through it. */
struct mod_house *api_house(const struct api_req *req);

/* Replies with body as JSON; takes body's reference (NULL: {}). extra is
 * more header lines, each ending in CRLF, or NULL. */
int  api_reply_json(struct api_conn *conn, uint16_t status, const char *extra,
		    json_t *body);
/* Replies with len bytes of body as type ("application/xml;
 * charset=utf-8"); the body is copied. */
int  api_reply_body(struct api_conn *conn, uint16_t status, const char *type,
		    const void *body, size_t len);
/* Replies with len bytes of body (copied; none for a 304) under hdrs:
 * every header line, Content-Type among them, each ending in CRLF. */
int  api_reply_bytes(struct api_conn *conn, uint16_t status, const char *hdrs,
		     const void *body, size_t len);
/* Whether the request's If-None-Match names etag (quoted) or is "*". */
bool api_req_if_none_match(const struct api_req *req, const char *etag);
/* Whether the request's Accept header names type ("application/xml"). */
bool api_req_accepts(const struct api_req *req, const char *type);
/* Replies {"error": reason}. */
int  api_reply_error(struct api_conn *conn, uint16_t status,
		     const char *fmt, ...) __attribute__((format(printf, 3, 4)));
const char *api_reason(uint16_t status);

/* ---- requests answered from the worker pool (job.c) */
struct api_job;
typedef void (api_job_h)(struct api_job *j);

/* The head of every deferred request; a handler's own job struct starts
 * with it and adds its inputs and results. */
struct api_job {
	struct api_req req;  /* a copy; the job holds refs on conn and msg */
	api_job_h *work;     /* on a worker: database, files. No libre object,
	                        nothing the loop changes (the queue host) */
	api_job_h *done;     /* on the loop after work: the reply */
	api_job_h *clean;    /* frees the job's own fields, or NULL; runs
	                        whatever happened */
	int err;             /* work's result, for done */
};

/* A zeroed job of size bytes (>= sizeof(struct api_job)) continuing req.
 * NULL, with 500 answered, when out of memory. */
void *api_job_alloc(const struct api_req *req, size_t size, api_job_h *work,
		    api_job_h *done, api_job_h *clean);
/* Queues job (taken; NULL is fine). When the pool refuses it (full) or
 * cancels it (stopping), 503 is answered and done never runs. */
void  api_job_queue(void *job);

/* sendfile.c: sends the file at rel (under the data directory) as type,
 * honouring Range; 404 with missing when it is not there. */
void api_send_file(struct api_req *req, const char *rel, const char *type,
		   const char *missing);
/* Same, with Content-Disposition: attachment naming filename (a plain
 * ASCII name, no quotes): browsers save it rather than show it. */
void api_send_attachment(struct api_req *req, const char *rel,
			 const char *type, const char *filename,
			 const char *missing);

#endif
