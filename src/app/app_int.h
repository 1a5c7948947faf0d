/* app internals shared by the files of this folder only. */
#ifndef HL_APP_INT_H
#define HL_APP_INT_H

#include "base/bus.h"
#include "base/cfg.h"
#include "base/util.h"

struct db;

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

/* Creates the demo web users that do not exist yet (CONTRACT.md). */
int  app_demo_users(struct db *db);

#endif
