/* route internals shared by the files of src/route/ only. */
#ifndef HL_ROUTE_INT_H
#define HL_ROUTE_INT_H

#include "route/route.h"

struct hash;

struct route {
	struct hash *dids;          /* struct did by number */
	uint32_t n;                 /* DIDs in dids */
	struct db *db;              /* not a reference: outlives the route */
	struct route_exts exts;
};

#endif
