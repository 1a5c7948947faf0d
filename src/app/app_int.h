/* app internals shared by the files of this folder only. */
#ifndef HL_APP_INT_H
#define HL_APP_INT_H

#include "base/bus.h"
#include "base/cfg.h"
#include "base/mod.h"
#include "base/util.h"
#include "media/media.h"

struct db;
struct media_prompt;

/* The house-wide settings of "hotline serve" (cfg.c): storage, log,
 * the demo tenant; their members are in struct app_settings. */
extern const struct mod_settings app_house_settings;

/* Every row of "hotline serve"'s settings, the house's then each
 * module's in table order, as one array ending in a row without a name
 * (cfg_alloc's form): *rowsp is the caller's (free), *np (if not NULL)
 * the rows before that one. 0 or ENOMEM. */
int  app_cfg_table(struct field **rowsp, size_t *np);

/* Calls fn for the house's settings, then each module's; the first
 * non-zero return ends the walk and is returned. */
int  app_cfg_each(int (*fn)(const struct mod_settings *s, void *arg),
		  void *arg);

/* The values of the house-wide settings, checked (settings.c). */
struct app_settings {
	char data_dir[512];
	char db_url[600];
	char log_level[8];
	bool demo;
};

/* Checks every value of c against its row (the house's and every
 * module's) and parses the house-wide ones into s; sets the log level.
 * On error writes a one-line reason to err and returns EINVAL. */
int  app_settings_check(struct app_settings *s, const struct cfg *c,
			char *err, size_t n);

/* The persistent event log: a bus subscriber writing the events table. */
struct app_eventlog {
	struct bus *bus;
	struct db *db;
	char boot[UTIL_ID_LEN];    /* this run's id: seq restarts every boot */
};

/* Subscribes el to every event on bus; el must outlive the subscription. */
int  app_eventlog_start(struct app_eventlog *el, struct bus *bus,
			struct db *db);
/* Unsubscribes; fine when never started. */
void app_eventlog_stop(struct app_eventlog *el);

/* Creates what docs/contract.md's demo tenant has and this build can serve: the
 * extensions 1001..1010 (digest password secret<ext> in realm), the web
 * users, the IVR flows and the DIDs. The flow "orders" looks orders up at
 * this server's own API (a URL starting with "/"), wherever it listens.
 * Rows that exist are left as they are. */
int  app_demo_provision(struct db *db, const char *realm);

/* The demo's self-service endpoint (demo_http.c), for the demo's row. */
extern const struct mod_routes app_demo_routes;

/* Generates music on hold and the feature-code confirmation (moh.c). Both
 * are the caller's (media_prompt_unref); on failure neither is set. */
/* Loads the ringback named by call.ringback: "none" (*pp NULL), "cn"
 * (China's ringback tone, generated) or a sound file. On error writes the
 * reason to err. */
int  app_ringback_load(struct media_prompt **pp, const char *setting,
		       char *err, size_t n);
int  app_sounds_alloc(struct media_prompt **moh, struct media_prompt **ok);
/* Loads the voicemail greeting named by voicemail.greeting: "tone" or
 * "speech" (a beep, for now) or a sound file followed by the beep. On
 * error writes the reason to err. *pp is the caller's. */
int  app_vm_greeting_load(struct media_prompt **pp, const char *setting,
			  char *err, size_t n);
/* A greeting: len samples of speech (or none), a pause, the beep. */
int  app_vm_greeting_make(struct media_prompt **pp, const int16_t *speech,
			  size_t len);

/* The house of `hotline serve` (base/mod.h) with what app/'s own hooks
 * keep (modules.c): modules get &house.h, the hooks here the whole. */
struct app_house {
	struct mod_house h;           /* first: app_house and h share an address */
	struct cfg *cfg;              /* ours; h.cfg is the same, read-only */
	struct field *rows;           /* cfg's table (app_cfg_table) */
	struct app_settings set;      /* cfg's values, checked */
	struct media_values media;    /* media's, as its start read them */
	struct app_eventlog eventlog;
	struct media_prompt *ringback, *moh, *confirm, *vm_greeting;
	char media_ip[64];            /* h.media_ip points here */
	mod_done_h *call_done, *api_done;  /* drains under way */
};

/* httpc.c: one request to a center's API at api ("http://HOST:PORT"):
 * in (or NULL) as the JSON body, HOTLINE_TOKEN as the bearer token.
 * 0 with *status and *body (the answer parsed, NULL when not JSON; yours),
 * or an errno with the reason on stderr (bad URL, unreachable, no
 * answer). Blocking: for the CLI, never the server. */
struct json_t;
int app_http_request(const char *api, const char *method, const char *path,
		     struct json_t *in, int *status, struct json_t **body);
/* One request through app_http_request, saying what failed: 0, or 1 with
 * the server's reason (or the transport's) on stderr. *out (may be NULL)
 * is the body on success (yours). */
int app_api_call(const char *api, const char *method, const char *path,
		 struct json_t *in, struct json_t **out);

#endif
