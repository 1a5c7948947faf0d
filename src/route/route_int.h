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

/* http.c: the route the DID API serves (NULL: none, 503). Until the API's
 * module table hands a handler its module, the one serving route is
 * remembered here; route_start sets it, the route's destructor clears it. */
void route_http_serve(struct route *r);
/* Stops serving r if it is the one served. */
void route_http_forget(const struct route *r);

#endif
