/* app internals shared by the files of this folder only. */
#ifndef HL_APP_INT_H
#define HL_APP_INT_H

#include "base/bus.h"
#include "base/cfg.h"
#include "base/util.h"

struct db;
struct media_prompt;

extern const struct cfg_def app_cfg_defs[];

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

/* Creates what CONTRACT.md's demo tenant has and this build can serve: the
 * extensions 1001..1010 (digest password secret<ext> in realm), the web
 * users, and the DIDs. Rows that exist are left as they are. */
int  app_demo_provision(struct db *db, const char *realm);

/* Generates music on hold and the feature-code confirmation (moh.c). Both
 * are the caller's (media_prompt_unref); on failure neither is set. */
int  app_sounds_alloc(struct media_prompt **moh, struct media_prompt **ok);

#endif
