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

/* ---- the signed-in user */
enum { API_TOKEN_HEX = 64, API_NAME_MAX = 64, API_EXT_MAX = 32 };

struct api_user {
	char     id[UTIL_ID_LEN];
	char     username[API_NAME_MAX + 1];
	char     role[16];
	unsigned role_bit;
	char     ext[API_EXT_MAX + 1];     /* "" when none */
};

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

enum { API_POOL_THREADS = 2 };   /* reads share one SQLite connection:
                                    more threads would only wait on it */

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
