/* api/server: request dispatch, replies, start and stop.
 *
 * Framing (httpd.c, frame.c) has already answered what cannot be a request
 * of ours: a head over 16 KiB (431), a malformed one (400), a chunked body
 * (411), a body over API_BODY_MAX (413, from Content-Length, before any of
 * it is read). Each whole request then goes through the same steps, in
 * this order, and the first that fails answers: route (404, 405), bearer
 * token (401), role (403); then the route's handler runs. Handlers only
 * ever see a request that passed all of them. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <sodium.h>
#include "api/api.h"
#include "api/api_int.h"
#include "base/log.h"
#include "base/pool.h"
#include "db/db.h"

static const struct {
	uint16_t status;
	const char *reason;
} reasons[] = {
	{200, "OK"}, {101, "Switching Protocols"}, {206, "Partial Content"},
	{400, "Bad Request"}, {401, "Unauthorized"}, {403, "Forbidden"},
	{100, "Continue"}, {202, "Accepted"}, {204, "No Content"},
	{409, "Conflict"}, {415, "Unsupported Media Type"},
	{422, "Unprocessable Content"},
	{404, "Not Found"}, {405, "Method Not Allowed"},
	{408, "Request Timeout"}, {411, "Length Required"},
	{413, "Payload Too Large"}, {414, "URI Too Long"},
	{416, "Range Not Satisfiable"},
	{431, "Request Header Fields Too Large"},
	{500, "Internal Server Error"}, {503, "Service Unavailable"},
};

const char *api_reason(uint16_t status)
{
	for (size_t i = 0; i < ARRAY_LEN(reasons); i++) {
		if (reasons[i].status == status)
			return reasons[i].reason;
	}
	return status < 400 ? "OK" : "Error";
}

int api_reply_json(struct api_conn *conn, uint16_t status, const char *extra,
		   json_t *body)
{
	static const char base[] = "Content-Type: application/json\r\n"
				   "Cache-Control: no-store\r\n";
	size_t xl = extra ? strlen(extra) : 0;
	char *s, *hdrs;
	int err;

	if (!body)
		body = json_object();
	s = body ? json_dumps(body, JSON_COMPACT) : NULL;
	json_decref(body);
	hdrs = s ? malloc(sizeof(base) + xl) : NULL;
	if (!hdrs) {
		free(s);
		return ENOMEM;
	}
	memcpy(hdrs, base, sizeof(base) - 1);
	memcpy(hdrs + sizeof(base) - 1, extra ? extra : "", xl + 1);
	err = api_conn_reply(conn, status, hdrs, s, strlen(s));
	free(hdrs);
	free(s);
	return err;
}

int api_reply_error(struct api_conn *conn, uint16_t status,
		    const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return api_reply_json(conn, status, NULL,
			      json_pack("{s:s}", "error", msg));
}

int api_reply_body(struct api_conn *conn, uint16_t status, const char *type,
		   const void *body, size_t len)
{
	char hdrs[192];

	snprintf(hdrs, sizeof(hdrs), "Content-Type: %s\r\n"
		 "Cache-Control: no-store\r\n", type);
	return api_conn_reply(conn, status, hdrs, body, len);
}

int api_reply_bytes(struct api_conn *conn, uint16_t status, const char *hdrs,
		    const void *body, size_t len)
{
	return api_conn_reply(conn, status, hdrs, body, len);
}

bool api_req_if_none_match(const struct api_req *req, const char *etag)
{
	const struct http_hdr *h = req->msg ?
		http_msg_hdr(req->msg, HTTP_HDR_IF_NONE_MATCH) : NULL;
	size_t n = strlen(etag);

	if (!h)
		return false;
	if (h->val.l == 1 && h->val.p[0] == '*')
		return true;
	for (size_t i = 0; n && i + n <= h->val.l; i++)
		if (!memcmp(h->val.p + i, etag, n))
			return true;
	return false;
}

bool api_req_accepts(const struct api_req *req, const char *type)
{
	const struct http_hdr *h = req->msg ?
		http_msg_hdr(req->msg, HTTP_HDR_ACCEPT) : NULL;
	size_t n = strlen(type);

	for (size_t i = 0; h && n && i + n <= h->val.l; i++)
		if (!strncasecmp(h->val.p + i, type, n))
			return true;
	return false;
}

void api_h_healthz(struct api_req *req)
{
	api_reply_json(req->conn, 200, NULL, json_pack("{s:s}", "status", "ok"));
}

/* The bearer token's hash into req->token_hash: Authorization header, or
 * ?token= where the route allows it. 0, or 401 with why. */
static uint16_t token_of(struct api_req *req, const char **why)
{
	const struct http_hdr *h = http_msg_hdr(req->msg, HTTP_HDR_AUTHORIZATION);
	char tok[API_TOKEN_HEX + 1];

	if (h) {
		if (api_token_from_bearer(h->val.p, h->val.l, tok)) {
			*why = "malformed Authorization header (want 'Bearer TOKEN')";
			return 401;
		}
	}
	else if (!(req->route->flags & API_F_QUERY_TOKEN) ||
		 api_query_get(req->query, "token", tok, sizeof(tok))) {
		*why = "missing bearer token";
		return 401;
	}
	else if (api_token_check(tok)) {
		*why = "invalid or expired token";
		return 401;
	}
	api_token_hash(tok, req->token_hash);
	sodium_memzero(tok, sizeof(tok));
	return 0;
}

/* The caller is known (req->user): role check, then the route's handler. */
static void dispatch(struct api_req *req)
{
	struct api_audit_note *a = api_conn_audit(req->conn);

	util_strlcpy(a->username, req->user.username, sizeof(a->username));
	util_strlcpy(a->role, req->user.role, sizeof(a->role));
	if (req->route->roles != API_PUBLIC &&
	    !(req->route->roles & req->user.role_bit)) {
		api_reply_error(req->conn, 403, "your role may not use this route");
		return;
	}
	log_debug("http.request", "method=%.*s path=%.*s user=%s",
		  (int)req->msg->met.l, req->msg->met.p, (int)req->msg->path.l,
		  req->msg->path.p,
		  req->user.username[0] ? req->user.username : "-");
	req->route->h(req);
}

/* A token the cache does not hold is read from the database on the pool;
 * the request goes on in auth_done. A revocation (logout, a user deleted or
 * changed) drops its cached tokens at once but deletes the stored ones
 * through the writer: the read first waits for writes queued before it, and
 * a read that a revocation overtook (gen) serves its request, which came
 * before, but is not cached (it would have kept a revoked token alive for a
 * minute). */
struct auth_job {
	struct api_job j;
	int64_t now, expires;
	uint64_t gen;
	bool found;
};

static void auth_work(struct api_job *j)
{
	struct auth_job *a = (struct auth_job *)j;

	(void)db_flush(j->req.api->db);
	a->found = !api_auth_read(j->req.api->db, j->req.token_hash, a->now,
				  &j->req.user, &a->expires);
}

static void auth_done(struct api_job *j)
{
	struct auth_job *a = (struct auth_job *)j;
	struct api *api = j->req.api;

	if (api->stopping) {
		api_reply_error(j->req.conn, 503, "server is stopping");
		return;
	}
	if (!a->found) {
		api_reply_error(j->req.conn, 401, "invalid or expired token");
		return;
	}
	if (a->gen == api_tcache_gen(api->tokens))
		(void)api_tcache_put(api->tokens, j->req.token_hash,
				     &j->req.user,
				     a->expires < a->now + API_TOKEN_RECHECK_MS ?
				     a->expires : a->now + API_TOKEN_RECHECK_MS);
	dispatch(&j->req);
}

static void authenticate(struct api_req *req)
{
	const char *why = NULL;
	struct auth_job *a;
	uint16_t status = token_of(req, &why);
	int64_t now = util_now_ms(), expires;

	if (status) {
		api_reply_error(req->conn, status, "%s", why);
		return;
	}
	if (!api_tcache_get(req->api->tokens, req->token_hash, now, &req->user,
			    &expires)) {
		dispatch(req);
		return;
	}
	a = api_job_alloc(req, sizeof(*a), auth_work, auth_done, NULL);
	if (a) {
		a->now = now;
		a->gen = api_tcache_gen(req->api->tokens);
	}
	api_job_queue(a);
}

/* The request's audit note (audit.c decides at the reply). */
static void arm_audit(struct api_req *req, const char *method,
		      const char *path)
{
	struct api_audit_note *a = api_conn_audit(req->conn);
	const struct http_hdr *range = http_msg_hdr(req->msg, HTTP_HDR_RANGE);
	char tok[8];

	a->armed = true;
	a->token = http_msg_hdr(req->msg, HTTP_HDR_AUTHORIZATION) ||
		api_query_get(req->query, "token", tok, sizeof(tok)) != ENOENT;
	/* A player fetching the rest of a recording it already opened. */
	a->quiet = range && !(range->val.l >= 8 &&
			      !memcmp(range->val.p, "bytes=0-", 8));
	a->roles = req->route->roles;
	a->flags = req->route->flags;
	util_strlcpy(a->method, method, sizeof(a->method));
	util_strlcpy(a->pattern, req->route->pattern, sizeof(a->pattern));
	util_strlcpy(a->target, path, sizeof(a->target));
	a->username[0] = a->role[0] = '\0';
}

static void req_handler(struct api_conn *conn, const struct http_msg *msg,
			struct api *api)
{
	struct api_req req = {.api = api, .conn = conn, .msg = msg};
	char method[16], path[API_PATH_MAX], allow[API_ALLOW_LEN], hdr[96];
	int err;

	if (!req.api->started || req.api->stopping) {
		api_reply_error(conn, 503, "server is %s",
				req.api->stopping ? "stopping" : "starting");
		return;
	}
	if (msg->path.l >= sizeof(path) || msg->prm.l > sizeof(req.query)) {
		api_reply_error(conn, 414, "request target too long");
		return;
	}
	pl_strcpy(&msg->met, method, sizeof(method));
	pl_strcpy(&msg->path, path, sizeof(path));
	if (msg->prm.l > 1)
		pl_strcpy(&(struct pl){msg->prm.p + 1, msg->prm.l - 1},
			  req.query, sizeof(req.query));

	err = api_route_match(api->routes, api->nroutes, method, path,
			      &req.route, &req.params, allow);
	if (err == ENOENT) {
		api_reply_error(conn, 404, "no such route");
		return;
	}
	if (err) {
		snprintf(hdr, sizeof(hdr), "Allow: %s\r\n", allow);
		api_reply_json(conn, 405, hdr, json_pack("{s:s}", "error",
			       "method not allowed on this route"));
		return;
	}
	arm_audit(&req, method, path);
	if (req.route->roles != API_PUBLIC)
		authenticate(&req);
	else
		dispatch(&req);
}

static void api_destructor(void *arg)
{
	struct api *api = arg;

	/* First: our jobs' last completions still find everything they
	 * answer with. Only our lanes: the pool is the house's. */
	pool_lane_stop(api->pool, api->lane);
	api_pwq_stop(api->pwq);
	tmr_cancel(&api->stop_tmr);
	api_audit_keep_stop(api);
	api_events_stop(api);
	api_httpd_close(api);
	api_events_drop_all(api);
	api_streams_close_all(api);
	mem_deref(api->pwq);
	mem_deref(api->pool);
	mem_deref(api->tokens);
	free(api->routes);
}

/* Binds a throw-away socket the way libre will, so a taken or foreign
 * address is reported by its errno alone (libre would also print its own
 * warning to stderr, and the contract wants one line). */
static int probe(const struct sa *laddr)
{
	int fd = socket(sa_af(laddr), SOCK_STREAM, IPPROTO_TCP), one = 1, err = 0;

	if (fd < 0)
		return errno;
	(void)setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(fd, &laddr->u.sa, laddr->len))
		err = errno;
	close(fd);
	return err;
}

int api_alloc(struct api **ap, const char *addr)
{
	struct api *api;
	char host[256];
	uint16_t port;
	struct sa laddr;
	int err;

	if (util_parse_hostport(addr, host, sizeof(host), &port) ||
	    sa_set_str(&laddr, host, port))
		return EINVAL;
	err = probe(&laddr);
	if (err)
		return err;
	api = mem_zalloc(sizeof(*api), api_destructor);
	if (!api)
		return ENOMEM;
	list_init(&api->conns);
	list_init(&api->clients);
	list_init(&api->streams);
	tmr_init(&api->stop_tmr);
	tmr_init(&api->keep_tmr);
	api->reqh = req_handler;
	api->hconf = (struct api_httpd_conf){
		.header_timeout_ms = API_HEADER_TIMEOUT_MS,
		.idle_timeout_ms = API_IDLE_TIMEOUT_MS,
		.max_conns = API_MAX_CONNS,
	};
	err = api_httpd_listen(api, &laddr);
	if (err)
		mem_deref(api);
	else
		*ap = api;
	return err;
}

int api_start(struct api *api, const struct api_conf *conf)
{
	char why[200];
	int err;

	if (!conf->db || !conf->bus || !conf->data_dir || conf->token_ttl_ms <= 0)
		return EINVAL;
	if (util_strlcpy(api->data_dir, conf->data_dir, sizeof(api->data_dir)))
		return ENAMETOOLONG;
	api->house = conf->house;
	api->db = conf->db;
	api->bus = conf->bus;
	api->token_ttl_ms = conf->token_ttl_ms;
	api->audit_keep_days = conf->audit_keep_days;
	if (conf->header_timeout_ms)
		api->hconf.header_timeout_ms = conf->header_timeout_ms;
	if (conf->idle_timeout_ms)
		api->hconf.idle_timeout_ms = conf->idle_timeout_ms;
	if (conf->max_conns)
		api->hconf.max_conns = conf->max_conns;
	err = api_routes_join(conf->modules, conf->nmodules, &api->routes,
			      &api->nroutes, why, sizeof(why));
	if (err) {
		log_error("api.routes", "%s", why);
		return err;
	}
	err = api_tcache_alloc(&api->tokens, 10000);
	if (!err && !conf->pool)
		err = EINVAL;
	if (!err) {
		const unsigned n = pool_threads(conf->pool);

		api->pool = mem_ref(conf->pool);
		err = pool_lane_wide(api->pool, n > 1 ? n - 1 : 1, &api->lane);
	}
	if (!err)
		err = api_pwq_alloc(&api->pwq, api->pool);
	if (!err)
		err = api_events_start(api, conf->modules, conf->nmodules);
	if (err)
		return err;
	api_audit_keep_start(api);
	api->started = true;
	return 0;
}

static void finish(void *arg)
{
	struct api *api = arg;
	void (*h)(void *) = api->doneh;

	tmr_cancel(&api->stop_tmr);
	api->doneh = NULL;
	if (h)
		h(api->done_arg);
}

void api_ws_left(struct api *api)
{
	if (api->stopping && !api->clients.head)
		tmr_start(&api->stop_tmr, 0, finish, api);
}

void api_shutdown(struct api *api, void (*doneh)(void *arg), void *arg)
{
	if (api->stopping)
		return;
	api->stopping = true;
	/* Before the modules our jobs answer from (the queue host) are
	 * stopped: the jobs that ran are answered, the rest get 503, and
	 * sign-ins still waiting are dropped. Our lanes only: the other
	 * modules' work on the house pool goes on until their own stop. */
	pool_lane_stop(api->pool, api->lane);
	api_pwq_stop(api->pwq);
	api->doneh = doneh;
	api->done_arg = arg;
	api_httpd_close(api);
	api_streams_close_all(api);
	api_events_stop(api);
	api_audit_keep_stop(api);
	tmr_start(&api->stop_tmr, 2000, finish, api);

	/* Each client gets a close frame and goes when it answers (or after
	 * 2 s); the last one to go finishes the stop, at once when none. */
	api_events_close_all(api);
	api_ws_left(api);
}

struct mod_house *api_house(const struct api_req *req)
{
	return req->api->house;
}
