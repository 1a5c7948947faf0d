/* trunk/pick: the trunk a call tries next, in the plan's order. Pure. */
#include <re_types.h>
#include <re_list.h>
#include "trunk/trunk_int.h"

size_t trunk_pick(const struct trunk_cand *v, size_t n, size_t from)
{
	for (size_t i = from; v && i < n; i++) {
		/* A full trunk is passed over, not waited for: the caller
		 * hears ringing from the next one instead. */
		if (v[i].exists && !v[i].down &&
		    (!v[i].max || v[i].in_use < v[i].max))
			return i;
	}
	return n;
}
