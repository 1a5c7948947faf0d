/* app internals shared by the files of this folder only. */
#ifndef HL_APP_INT_H
#define HL_APP_INT_H

#include "base/bus.h"
#include "base/cfg.h"
#include "base/mod.h"
#include "base/util.h"

struct db;
struct media_prompt;

/* Every setting of "hotline serve" (cfg.c), ending in a row without a
 * name; a row's member is in struct app_settings. */
extern const struct field app_cfg_defs[];

/* The values of "hotline serve"'s settings, checked (settings.c). */
struct app_settings {
	char data_dir[512];
	char db_url[600];
	union {                      /* rtp.ports, as field.c stores it */
		struct field_ports rtp_ports;
		struct { uint16_t rtp_lo, rtp_hi; };
	};
	uint64_t token_ttl_s, media_threads, ring_timeout_s, vm_max_s, max_calls,
		 rtp_timeout_s;
	uint64_t tts_rate_wpm;       /* text-to-speech speaking rate */
	uint64_t http_limits[3];     /* header, idle timeouts (ms); max conns */
	uint64_t audit_keep_days;    /* the audit log's retention */
	char log_level[8];
};

/* Checks every value of c against its row of app_cfg_defs and parses it
 * into s; sets the log level. On error writes a one-line reason to err
 * and returns EINVAL. */
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
	struct app_settings set;      /* cfg's values, checked */
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
