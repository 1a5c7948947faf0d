/* api: the HTTP JSON API under /api/v1/ and the WebSocket of live events,
 * served by our own HTTP/1.1 layer (httpd.c, frame.c, ws.c) on libre's
 * TCP, on the signalling loop. The routes table (routes.c) is the API's
 * surface: method, path, handler, who may call it and one line of
 * documentation per row; docs/api.md follows it.
 *
 * Facts that always hold:
 *  (1) Every error reply is a 4xx/5xx with a body {"error": "reason"}.
 *  (2) Nothing slow runs on the loop: database reads and password hashing
 *      run on a worker pool (base/pool) whose results come back through
 *      an mqueue.
 *  (3) A bearer token is stored only as its SHA-256 hash; the token itself
 *      exists in the login reply and the client's hands, nowhere else.
 *  (4) No request is read past its limits: a head over 16 KiB gets 431, a
 *      body announced over 256 KiB gets 413 before any of it is read.
 */
#ifndef HL_API_H
#define HL_API_H

#include <stdint.h>

struct api;
struct bus;
struct db;
struct mod_export;
struct mod_routes;

/* The HTTP routes of the api module itself (health, sign-in, users, the
 * event WebSocket; routes.c), named by its export row. */
extern const struct mod_routes api_routes_core;

struct api_conf {
	struct db  *db;         /* not a ref: outlives the api */
	struct bus *bus;        /* not a ref: outlives the api */
	const char *data_dir;   /* recordings are relative to it; copied */
	int64_t     token_ttl_ms;
	/* HTTP limits; 0 takes the default in brackets. */
	uint32_t    header_timeout_ms; /* request head must arrive in [10 s] */
	uint32_t    idle_timeout_ms;   /* keep-alive wait, body stall [60 s] */
	uint32_t    max_conns;         /* open HTTP connections [1024] */
	/* The modules whose routes are served (their export rows' tables,
	 * joined in this order); not copied: they outlive the api. */
	const struct mod_export *const *modules;
	size_t      nmodules;
	struct mod_house *house;       /* not a ref: the modules' services,
					* which handlers reach */
};

enum {
	API_HEADER_TIMEOUT_MS = 10000,
	API_IDLE_TIMEOUT_MS   = 60000,
	API_MAX_CONNS         = 1024,
};

/* Binds the HTTP socket at addr ("HOST:PORT") without serving yet, so the
 * caller learns of a port in use before creating anything else. EADDRINUSE
 * when taken, EINVAL for a bad address. *ap is the caller's (mem_deref). */
int  api_alloc(struct api **ap, const char *addr);

/* Starts serving requests, the event WebSocket and the password worker. */
int  api_start(struct api *api, const struct api_conf *conf);

/* Orderly stop: stops accepting, closes every WebSocket (close handshake),
 * then calls doneh(arg) once they are gone or after at most 2 s. */
void api_shutdown(struct api *api, void (*doneh)(void *arg), void *arg);

/* Creates the web user, or updates its password, role and extension.
 * Hashes the password with Argon2id (tens of ms: provisioning only, never on
 * the loop). role is admin, supervisor, agent, qa, backoffice or executive;
 * extension may be NULL. EINVAL for an unknown role or empty name/password. */
int  api_user_put(struct db *db, const char *username, const char *password,
		  const char *role, const char *extension);

/* 0 and *exists set, or the database error. For idempotent provisioning. */
int  api_user_exists(struct db *db, const char *username, int *exists);

#endif
