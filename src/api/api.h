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

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <jansson.h>
#include "base/util.h"

struct api;
struct bus;
struct db;
struct pool;
struct mod_export;
struct mod_routes;
struct mod_settings;

/* The HTTP routes of the api module itself (health, sign-in, users, the
 * event WebSocket; routes.c), named by its export row. */
extern const struct mod_routes api_routes_core;

/* The http.*, auth.* and audit.* settings (settings.c), named by the api
 * module's export row; cfg_read() fills the values, http.listen is read
 * as text. */
extern const struct mod_settings api_settings;
struct api_values {
	uint64_t header_timeout_ms, idle_timeout_ms, max_conns;
	uint64_t token_ttl_s, audit_keep_days;
};

struct api_conf {
	struct db  *db;         /* not a ref: outlives the api */
	struct bus *bus;        /* not a ref: outlives the api */
	struct pool *pool;      /* the house's workers (base/pool.h): jobs
				 * and password hashing run there on two
				 * lanes of the api's; the api holds a ref
				 * and stops its lanes in api_shutdown, never
				 * the pool */
	const char *data_dir;   /* recordings are relative to it; copied */
	int64_t     token_ttl_ms;
	/* HTTP limits; 0 takes the default in brackets. */
	uint32_t    header_timeout_ms; /* request head must arrive in [10 s] */
	uint32_t    idle_timeout_ms;   /* keep-alive wait, body stall [60 s] */
	uint32_t    max_conns;         /* open HTTP connections [1024] */
	uint32_t    audit_keep_days;   /* audit entries older are deleted,
					* at start and hourly; 0 keeps all */
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

/* Orderly stop: stops the api's lanes of the house pool (the jobs that
 * ran are answered, the rest get 503; other modules' work goes on), stops
 * accepting, closes every WebSocket (close handshake), then calls
 * doneh(arg) once they are gone or after at most 2 s. */
void api_shutdown(struct api *api, void (*doneh)(void *arg), void *arg);

/* ---- web users (user.c): one store for `hotline user`, the users API
 * and the demo; every function reads or writes the database directly, so
 * it runs on a worker or in a command, never on the loop. */

enum {
	API_PWHASH_LEN  = 128,  /* crypto_pwhash_STRBYTES: Argon2id string */
	API_PW_MIN      = 8,    /* a new password's least length */
	API_PW_MAX      = 1024,
	API_DISPLAY_MAX = 100,
	API_DEPT_ID_MAX = 32,
};

/* Argon2id of password (libsodium's crypto_pwhash_str, interactive
 * limits: tens of ms and 64 MiB, never on the loop) into out. The one
 * implementation every stored hash is made with (pwhash.c). */
int  api_pw_hash(const char *password, char out[API_PWHASH_LEN]);

/* What a user is made of. In api_user_add every field but display_name,
 * extension and department is required; in api_user_update a NULL field
 * is left as it is, and "" clears extension or department. */
struct api_user_in {
	const char *password;
	const char *role;          /* admin, executive, supervisor, qa,
				    * backoffice or agent */
	const char *display_name;
	const char *extension;
	const char *department;    /* a department's id */
	const char *scope;         /* all, departments or own; "" (update):
				    * back to the role's default */
	bool mask_set;             /* mask_numbers was given */
	bool mask_numbers;         /* numbers shown masked to this user */
	const char *hired_on;      /* "YYYY-MM-DD", the first day on staff;
				    * "" (update): cleared */
	const char *left_on;       /* the last day on staff (on or after
				    * hired_on); "" (update): still there */
};

/* Creates username. 0; EINVAL with why naming the field (bad name, role,
 * password shorter than API_PW_MIN, unknown department); EEXIST when the
 * name is taken; EIO. Nothing is written unless it returns 0. */
int  api_user_add(struct db *db, const char *username,
		  const struct api_user_in *in, char *why, size_t n);

/* Changes username's non-NULL fields (a new password is hashed). 0 with
 * the user's id in id (its sessions are then revoked in the database;
 * the caller forgets cached ones); ENOENT; EINVAL with why; EBUSY when it
 * would leave no administrator; EIO. */
int  api_user_update(struct db *db, const char *username,
		     const struct api_user_in *in, char id[UTIL_ID_LEN],
		     char *why, size_t n);

/* Deletes username and its sessions. 0 with its id in id; ENOENT; EBUSY
 * (why set) when it is the last administrator; EIO. */
int  api_user_delete(struct db *db, const char *username,
		     char id[UTIL_ID_LEN], char *why, size_t n);

/* Every user, by name, without password hashes: a new JSON array of
 * {username, role, display_name, extension, department, scope,
 * mask_numbers, created_at, hired_on, left_on} in
 * *out (yours). */
int  api_user_list(struct db *db, json_t **out);

/* One user as api_user_list shows it, in *out (yours); ENOENT. */
int  api_user_get(struct db *db, const char *username, json_t **out);

/* Creates the web user, or updates its password, role and extension
 * (idempotent provisioning: the demo). Hashed with api_pw_hash. EINVAL
 * for an unknown role or empty name/password. */
int  api_user_put(struct db *db, const char *username, const char *password,
		  const char *role, const char *extension);
/* api_user_put with a hash api_pw_hash made earlier (the demo's public
 * passwords, hashed once). EINVAL unless it is an argon2id string. */
int  api_user_put_hashed(struct db *db, const char *username,
			 const char *hash, const char *role,
			 const char *extension);

/* 0 and *exists set, or the database error. For idempotent provisioning. */
int  api_user_exists(struct db *db, const char *username, int *exists);

/* The role names, for messages: "admin, executive, … or agent". */
const char *api_role_words(void);

#endif
