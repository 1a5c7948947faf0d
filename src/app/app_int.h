/* app internals shared by the files of this folder only. */
#ifndef HL_APP_INT_H
#define HL_APP_INT_H

#include "base/cfg.h"

extern const struct cfg_def app_cfg_defs[];

struct db;

/* Creates the demo's SIP extensions 1001..1010 (password secret<ext>) in
 * realm; leaves existing ones as they are. */
int app_demo_extensions(struct db *db, const char *realm);

#endif
