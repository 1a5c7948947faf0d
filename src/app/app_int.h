/* app internals shared by the files of this folder only. */
#ifndef HL_APP_INT_H
#define HL_APP_INT_H

#include "base/cfg.h"

extern const struct cfg_def app_cfg_defs[];

#endif
