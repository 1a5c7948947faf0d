/* api internals shared by the files of src/api/ only (and their unit tests);
 * what handlers use, here and in other modules, is api/http.h.
 * The pure parts (router, query and JSON field helpers, tokens, Range,
 * cursors) take plain C strings so tests need no socket. */
#ifndef HL_API_INT_H
#define HL_API_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <jansson.h>
#include "base/util.h"
#include "api/http.h"




/* ---- router and roles (route.c) */
/* Finds the row for method and path (no query). 0 with *rp and *pp set;
 * ENOENT when no pattern matches the path; EPERM when some pattern matches
 * but not with this method, allow then lists the methods ("GET, POST"). */
int api_route_match(const struct api_route *tab, size_t n, const char *method,
		    const char *path, const struct api_route **rp,
		    struct api_params *pp, char allow[API_ALLOW_LEN]);

/* The name of the role whose bit this is ("agent"), or NULL for anything
 * but one role's bit: the inverse of api_role_parse. */
const char *api_role_name(unsigned bit);

/* ---- the API as an OpenAPI 3.0.3 document (openapi.c) */
/* Builds the document of the n routes of tab (paths, parameters, security,
 * roles, responses), titled Hotline at version: *docp is yours
 * (json_decref). ENOMEM. */
int api_openapi_doc(const struct api_route *tab, size_t n,
		    const char *version, json_t **docp);

/* ---- tokens (token.c); the user is http.h's */
/* How long a token checked against the database is taken on trust from
 * the cache: a session ended outside this process (`hotline user passwd`
 * or `del` beside a running server) ends within this, at the cost of one
 * read per token and minute. */
enum { API_TOKEN_RECHECK_MS = 60000 };

/* A new bearer token: 32 random bytes as 64 lowercase hex characters. */
void api_token_new(char tok[API_TOKEN_HEX + 1]);
/* Hex SHA-256 of the token: the only form that is stored. */
void api_token_hash(const char *tok, char hex[API_TOKEN_HEX + 1]);
/* The token in "Bearer TOKEN" (len bytes, not NUL-terminated); EINVAL for
 * another scheme or a token that is not 64 hex characters. */
int  api_token_from_bearer(const char *hdr, size_t len,
			   char tok[API_TOKEN_HEX + 1]);
/* Same check for a token given as is (?token=). */
int  api_token_check(const char *tok);

/* Validated tokens in memory, by hash, with their expiry; at most max
 * entries (when full, expired ones go first, then everything: a dropped
 * entry only costs one database read). *cp is yours (mem_deref). */
struct api_tcache;
int    api_tcache_alloc(struct api_tcache **cp, size_t max);
int    api_tcache_put(struct api_tcache *c, const char *hash,
		      const struct api_user *u, int64_t expires_ms);
/* 0 and *u, *expires_ms filled; ENOENT when absent or expired at now_ms
 * (an expired entry is removed). */
int    api_tcache_get(struct api_tcache *c, const char *hash, int64_t now_ms,
		      struct api_user *u, int64_t *expires_ms);
/* Drops the token's entry (a logout) and counts a revocation. */
void   api_tcache_del(struct api_tcache *c, const char *hash);
/* Drops every entry of the user with this id (deleted, or its role or
 * password changed: the stored sessions are gone, the cached go too), and
 * counts a revocation. */
void   api_tcache_forget_user(struct api_tcache *c, const char *user_id);
/* How many revocations so far: a token read from the database while this
 * changed may have been revoked meanwhile and is not to be cached. */
uint64_t api_tcache_gen(const struct api_tcache *c);
size_t api_tcache_count(const struct api_tcache *c);

/* ---- password worker (pwhash.c): Argon2id verification off the loop */
enum { API_PWQ_MAX = 64 };   /* waiting verifications; more get EBUSY (503):
                                a flood of sign-ins must not queue minutes
                                of work nor megabytes of passwords */
struct api_pwq;
/* Runs on the loop once the verification is done. */
typedef void (api_pw_h)(bool ok, void *arg);
/* Runs the verifications on a lane of pool (one at a time: each takes
 * 64 MiB, and sign-ins must not take every worker from the reads). The
 * lane is stopped by api_pwq_stop or at the last mem_deref. */
struct pool;
int  api_pwq_alloc(struct api_pwq **qp, struct pool *pool);
/* Stops the lane (base/pool fact (6)): waits for the verification
 * running, drops the rest (their h never runs, args released); later
 * api_pwq_verify get ESHUTDOWN. Idempotent; NULL is fine. On the loop. */
void api_pwq_stop(struct api_pwq *q);
/* Verifies password against hash (NULL: against a dummy hash, same cost,
 * always false). arg must be a libre mem object: the queue holds a
 * reference until h has run (or the lane stopped: h then never runs).
 * EBUSY when API_PWQ_MAX verifications are already waiting, ESHUTDOWN
 * once the lane stopped. */
int  api_pwq_verify(struct api_pwq *q, const char *hash, const char *password,
		    api_pw_h *h, void *arg);
/* Answers conn for an api_pwq_verify that failed with err (503 when the
 * lane is full or stopping, else 500). */
void api_pwq_refused(struct api_conn *conn, int err);

/* ---- recordings (sendfile.c) */
/* Parses a Range header for a file of size bytes. 0 with [*first, *last]
 * for one satisfiable range; ENOENT when the header should be ignored (none,
 * another unit, several ranges, malformed: send the whole file); ERANGE
 * when unsatisfiable (416). */
int api_range_parse(const char *hdr, uint64_t size, uint64_t *first,
		    uint64_t *last);

/* ---- the running server (loop thread only) */
/* libre's headers one by one: <re.h> would bring re_json.h, whose names
 * clash with jansson's. */
#include <re_types.h>
#include <re_fmt.h>
#include <re_mem.h>
#include <re_mbuf.h>
#include <re_list.h>
#include <re_hash.h>
#include <re_sa.h>
#include <re_tmr.h>
#include <re_tcp.h>
#include <re_msg.h>
#include <re_http.h>
#include <re_sha.h>
#include <re_base64.h>
#include <re_mqueue.h>

enum {
	API_BODY_MAX   = 256 * 1024, /* larger request bodies get 413, decided
	                                from Content-Length before any body
	                                byte is read */
	API_HEAD_MAX   = 16 * 1024,  /* request line and headers; more: 431 */
	API_WS_BACKLOG = 256 * 1024, /* a WebSocket client with more unsent
	                                than this is dropped */
	API_PATH_MAX   = 512,
};

/* ---- request framing (frame.c): bytes in, whole requests out */
enum api_frame_state {
	API_FRAME_HEAD,     /* reading the request line and headers */
	API_FRAME_BODY,     /* head accepted; waiting for Content-Length bytes */
	API_FRAME_DONE,     /* a whole request is ready: api_frame_take */
	API_FRAME_REJECT,   /* answer status/why, then close (sticky) */
};

struct api_frame_limits {
	size_t   head_max;
	uint64_t body_max;
	/* A larger body, up to upload_max, when upload(arg, msg) says its
	 * route takes uploads; NULL: none does. */
	uint64_t upload_max;
	bool   (*upload)(void *arg, const struct http_msg *msg);
	void    *arg;
};

struct api_frame {
	enum api_frame_state state;
	struct mbuf *in;          /* ref: received bytes not yet consumed */
	size_t scan;              /* where the blank-line search resumes */
	struct mbuf *req;         /* ref: the head bytes msg points into */
	struct http_msg *msg;     /* ref: the decoded head; body in msg->mb */
	size_t head_len;
	uint64_t clen;
	uint16_t status;          /* REJECT: the status to answer */
	char why[128];            /* REJECT: the reason for {"error"} */
	bool keep_alive;          /* of the request in BODY/DONE */
	bool expect_continue;     /* BODY: the client waits for 100 Continue */
};

/* Empty frame in HEAD; ENOMEM. api_frame_reset frees what it holds. */
int  api_frame_init(struct api_frame *f);
void api_frame_reset(struct api_frame *f);
/* Appends n received bytes without parsing; EOVERFLOW when more than cap
 * bytes would then wait unconsumed. */
int  api_frame_push(struct api_frame *f, const uint8_t *p, size_t n,
		    size_t cap);
/* Advances over the bytes pushed so far; returns the new state. */
enum api_frame_state api_frame_step(struct api_frame *f,
				    const struct api_frame_limits *lim);
/* In DONE: the request (yours, mem_deref), its body at msg->mb pos..end,
 * and in *headp the buffer its headers point into (yours too: free it
 * after msg). The frame is back in HEAD over the bytes that followed.
 * NULL otherwise. */
struct http_msg *api_frame_take(struct api_frame *f, struct mbuf **headp);
/* True once any byte of a request is buffered (the header clock runs). */
bool api_frame_started(const struct api_frame *f);

/* ---- connections (httpd.c): our HTTP/1.1 server on libre's TCP */
struct api;
struct api_conn;

/* ---- the audit log (audit.c): what a connection's request will be
 * logged as, filled by the router; its reply decides whether it is. */
struct api_audit_note {
	bool armed;                      /* a routed request awaits its reply */
	bool token;                      /* it carried a bearer token */
	bool quiet;                      /* a recording's later Range request */
	unsigned roles, flags;           /* its route's */
	char method[8];
	char pattern[128];               /* its route's pattern */
	char target[256];                /* the path asked for */
	char username[API_NAME_MAX + 1]; /* "" until known */
	char role[16];
	char ip[64];                     /* the client's, kept per connection */
};
/* Writes a's entry (db writer) when status calls for one, and disarms
 * it; body (len bytes, or NULL) is the reply, whose start becomes the
 * detail of a refusal. */
void api_audit_reply(struct api *api, struct api_audit_note *a,
		     uint16_t status, const void *body, size_t len);
/* The note of the request c is answering. */
struct api_audit_note *api_conn_audit(struct api_conn *c);

struct api_httpd_conf {
	uint32_t header_timeout_ms;   /* first byte to blank line; then 408 */
	uint32_t idle_timeout_ms;     /* keep-alive wait, and body stalls */
	uint32_t max_conns;           /* more get 503 and are closed */
};

/* Replies status with hdrs (header lines, each ending in CRLF, or NULL)
 * and body; adds Content-Length and, when the connection ends after it,
 * "Connection: close". Ends the request. ENOTCONN when the client is gone
 * or the request was answered already. */
int  api_conn_reply(struct api_conn *c, uint16_t status, const char *hdrs,
		    const void *body, size_t len);
/* Sends the status line, hdrs and the blank line, then hands the socket
 * over: *tcp is yours (a ref; set its handlers), the connection object is
 * done. Bytes the client sent after the request are dropped. */
int  api_conn_upgrade(struct api_conn *c, uint16_t status, const char *hdrs,
		      struct tcp_conn **tcp);

/* Starts accepting on laddr; reqh runs for each whole request. */
int  api_httpd_listen(struct api *api, const struct sa *laddr);
/* Stops accepting and closes every connection still ours. */
void api_httpd_close(struct api *api);

/* ---- WebSocket server side, RFC 6455 (ws.c) */
struct api_ws;
/* Runs once when the connection has ended (err 0: closed in order). */
typedef void (api_ws_close_h)(int err, void *arg);

/* Sec-WebSocket-Accept for a Sec-WebSocket-Key: base64(SHA-1(key+GUID)). */
int  api_ws_accept_key(const char *key, size_t len, char out[29]);
/* SHA-1 of d (RFC 3174); only the handshake needs it. */
void api_sha1(const void *d, size_t n, uint8_t md[20]);

/* One frame header parsed from buf: 0 with the fields set; ENODATA when
 * more bytes are needed; EBADMSG for a frame RFC 6455 forbids from a
 * client (unmasked, reserved bits, bad control frame). */
struct api_ws_hdr {
	bool     fin;
	uint8_t  opcode;
	uint64_t len;           /* payload length */
	uint8_t  mask[4];
	size_t   hdr_len;       /* bytes before the payload */
};
int  api_ws_hdr_parse(const uint8_t *buf, size_t n, struct api_ws_hdr *h);
/* Writes an unmasked server frame header for len bytes; its length. */
size_t api_ws_hdr_encode(uint8_t out[10], uint8_t opcode, uint64_t len);

/* Checks the upgrade request, answers 101 and takes the socket. EPROTO
 * with *why set when the request is no WebSocket handshake (answer 400). A
 * ping goes out every keepalive_ms; a client silent for two of them is
 * dropped. *wsp is yours: mem_deref it (in closeh, or any time). */
int  api_ws_accept(struct api_ws **wsp, struct api_conn *conn,
		   const struct http_msg *msg, uint32_t keepalive_ms,
		   api_ws_close_h *closeh, void *arg, const char **why);
/* Sends one text frame. */
int  api_ws_send_text(struct api_ws *ws, const char *s, size_t len);
/* Sends a close frame; closeh runs when the client answers, or after 2 s. */
int  api_ws_close(struct api_ws *ws, uint16_t code, const char *reason);
/* Bytes queued but not yet accepted by the kernel. */
size_t api_ws_txqsz(const struct api_ws *ws);

struct api {
	struct tcp_sock *ts;
	struct list conns;          /* struct api_conn, HTTP connections */
	struct api_httpd_conf hconf;
	void (*reqh)(struct api_conn *c, const struct http_msg *msg,
		     struct api *api);
	struct pool *pool;          /* ref: the house's workers (api_conf) */
	unsigned lane;              /* ours (wide) on it: our jobs, stopped
	                               by api_shutdown; the pool is not ours
	                               to stop */
	struct api_pwq *pwq;
	struct api_tcache *tokens;
	struct api_route *routes;   /* every module's, joined (ours: free) */
	size_t nroutes;
	struct mod_house *house;    /* not a ref: every module's service */
	struct db *db;              /* not a ref */
	struct bus *bus;            /* not a ref */
	char data_dir[512];
	int64_t token_ttl_ms;
	struct list clients;        /* event WebSocket clients (events.c) */
	const struct mod_export *const *mods;  /* whose snapshot hooks make
	                               the live view (not a ref) */
	size_t nmods;
	uint64_t ev_seq;            /* the last bus event sent to clients */
	struct list ev_held;        /* events that overtook an earlier one */
	struct tmr stats_tmr;       /* queue.stats, while clients are here */
	struct list streams;        /* recording downloads (sendfile.c) */
	struct tmr stop_tmr;
	struct tmr keep_tmr;        /* the audit log's retention sweep */
	uint32_t audit_keep_days;
	void (*doneh)(void *arg);
	void *done_arg;
	bool started;
	bool stopping;
};


struct mod_export;
/* Joins the route tables of n modules, in order, into one table for
 * api_route_match: *tabp is yours (free). EEXIST when two rows have
 * the same method and pattern (named in why). */
int  api_routes_join(const struct mod_export *const *mods, size_t n,
		     struct api_route **tabp, size_t *np, char *why,
		     size_t wn);



/* The user holding the token with this hash as stored, and when it
 * expires; ENOENT when unknown or expired at now_ms, EIO. Reads the
 * database only: for the worker pool, after a cache miss. (auth.c) */
int  api_auth_read(struct db *db, const char *hash, int64_t now_ms,
		   struct api_user *u, int64_t *expires_ms);

/* ---- CTI scope (scope_ws.c): what one WebSocket client may see */
struct bus_event;
struct api_ws_rule;

/* What an item is about; its subject says which one. */
enum api_ws_kind {
	API_WS_OTHER,       /* none of these: only the roles that see all */
	API_WS_AUTH,        /* a session (auth.*): the username */
	API_WS_AGENT,       /* an agent (agent.*, snapshot agents): extension */
	API_WS_CALL,        /* a call (call.*, voicemail.new, snapshot
	                       calls): the call id */
	API_WS_QUEUE_CALL,  /* a queue's event about a call (queue.*): the
	                       call id */
	API_WS_QUEUE,       /* a queue (statistics, snapshot queues,
	                       queue.blocked): the queue's name */
	API_WS_TICKET,      /* a work order (ticket.*): its id; the users it
	                       concerns are in `users` */
	API_WS_AUDIENCE,    /* an event that names who hears it (task.*,
	                       notice.*, qa.*): its data's "audience" */
};

/* One thing a client could be sent: an event, or one entry of the
 * snapshot or of the statistics. The pointers are borrowed. */
struct api_ws_item {
	enum api_ws_kind kind;
	const char *subject;
	const char *agent;      /* the agent a call item names, or NULL */
	const json_t *rung;     /* a snapshot call: the extensions rung for
	                           it now (an array), or NULL */
	bool last;              /* call.ended: the call's last event */
	const json_t *data;     /* ticket.*: the event's data, whose assignee,
	                           created_by, agent and escalated_to name the
	                           users it concerns */
	const json_t *audience; /* API_WS_AUDIENCE: {"all": true} or any of
	                           "users" (ids), "exts", and "roles" with
	                           "departments" (ids, subtrees expanded) */
};

enum {
	API_WS_FOLLOW_MAX = 64,   /* a supervisor follows its agents' calls */
	API_WS_EXTS_MAX   = 256,  /* extensions of a department scope */
	API_WS_QUEUES_MAX = 64,   /* queues a department scope's agents serve */
	API_WS_QUEUE_LEN  = 32,   /* a queue's name and its NUL (queue.h's
	                             QUEUE_NAME_LEN: api/ is below queue/) */
};

/* One client's view: its user, its role's rule, the extensions it sees,
 * the queues those serve and the calls it follows (scope_ws.c says why).
 * Plain memory: nothing to free. */
struct api_ws_scope {
	struct api_user user;
	const struct api_ws_rule *rule;        /* NULL: the role sees nothing */
	char exts[API_WS_EXTS_MAX][API_EXT_MAX + 1];  /* besides user.ext */
	size_t nexts;
	char queues[API_WS_QUEUES_MAX][API_WS_QUEUE_LEN];  /* their agents' */
	size_t nqueues;
	char follow[API_WS_FOLLOW_MAX][UTIL_ID_LEN];
	size_t nfollow;
};

/* The view of user u (copied) by its (role, scope) row, following no
 * call yet. */
void api_ws_scope_init(struct api_ws_scope *s, const struct api_user *u);
/* With scope departments: reads the extensions of the users in the
 * user's department subtree into s (a worker's job: it reads the
 * database). 0 or EIO. */
struct db;
int  api_ws_scope_load(struct api_ws_scope *s, struct db *db);
/* Whether api_ws_scope_load reads the database for user u's view (else
 * it may run on the loop: it only clears). */
bool api_ws_scope_reads(const struct api_user *u);
/* Whether s sees every item (its row's rule is "everything"). */
bool api_ws_scope_all(const struct api_ws_scope *s);
/* From the agents of a live view (api_live's "agents": each with its
 * "queues"), the queues that the extensions s sees serve: those a
 * department scope sees. Replaces what it knew. */
void api_ws_scope_queues(struct api_ws_scope *s, const json_t *agents);
/* The fields of call events and snapshot calls holding phone numbers
 * (NULL-terminated), masked for users with mask_numbers. */
extern const char *const api_ws_number_fields[];
/* True when the client may have it; may start or end following a call,
 * so ask once per item, in the order they are sent. */
bool api_ws_scope_sees(struct api_ws_scope *s, const struct api_ws_item *it);
/* Bus event ev named as an item (pointers into ev). */
void api_ws_item_of_event(const struct bus_event *ev, struct api_ws_item *it);
/* api_ws_scope_sees of ev's item. */
bool api_ws_scope_event(struct api_ws_scope *s, const struct bus_event *ev);

/* ---- the live view (snapshot.c): the modules' parts, then scoped */
/* What every module holds of parts (mod_live_part bits), as one object
 * with an array under each part's key ([] when no module has it): *out
 * is yours. Builds from memory, on the loop. */
int  api_live(struct api *api, unsigned parts, json_t **out);
/* A copy of live (api_live's) holding only the items s sees, each asked
 * in order (a snapshot's calls are then followed); *whole says whether
 * nothing was left out. *out is yours. */
int  api_live_scoped(struct api_ws_scope *s, const json_t *live,
		     json_t **out, bool *whole);
/* A frame that is no bus event: {"type","seq","ts","data"} as text (yours:
 * free); seq is the last event the data reflects. NULL: out of memory. */
char *api_live_frame(const char *type, uint64_t seq, int64_t ts_ms,
		     const json_t *data);

/* events.c: the bus subscription feeding the clients (mods: the modules
 * whose snapshot hooks make the live view; not copied, they outlive the
 * api); stopping it (and the queue.stats timer); closing the clients with
 * a close handshake (each leaves when it answers), or dropping them now. */
int  api_events_start(struct api *api, const struct mod_export *const *mods,
		       size_t nmods);
void api_events_stop(struct api *api);
void api_events_close_all(struct api *api);
void api_events_drop_all(struct api *api);
/* server.c: a WebSocket client has gone; finishes a stop once none is left. */
void api_ws_left(struct api *api);

/* sendfile.c: drops every download in progress. */
void api_streams_close_all(struct api *api);

/* Handlers, one per route row. */
void api_h_healthz(struct api_req *req);
void api_h_login(struct api_req *req);
void api_h_password(struct api_req *req);   /* password.c */
void api_h_logout(struct api_req *req);
void api_h_me(struct api_req *req);
void api_h_users(struct api_req *req);
/* users_http.c */
void api_h_user_post(struct api_req *req);
void api_h_user_put(struct api_req *req);
void api_h_user_delete(struct api_req *req);
/* dept.c */
void api_h_depts(struct api_req *req);
void api_h_dept_post(struct api_req *req);
void api_h_dept_put(struct api_req *req);
void api_h_dept_delete(struct api_req *req);
void api_h_events(struct api_req *req);
/* audit.c */
/* Deletes (through the db writer) the audit entries older than
 * audit_keep_days now, and again every hour; nothing when 0. */
void api_audit_keep_start(struct api *api);
void api_audit_keep_stop(struct api *api);
void api_h_audit(struct api_req *req);
void api_h_audit_csv(struct api_req *req);
/* openapi.c: the served table's document, built on first request. */
void api_h_openapi(struct api_req *req);

#endif
