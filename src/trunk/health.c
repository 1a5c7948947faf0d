/* trunk/health: what pings say of a trunk, and the back-off of a failed
 * registration. Pure: the caller counts and keeps the time. */
#include <re_types.h>
#include <re_list.h>
#include "trunk/trunk_int.h"

bool trunk_health_note(struct trunk_health *h, bool answered)
{
	bool was = h->down;

	if (answered) {
		h->misses = 0;
		h->down = false;
	}
	else if (++h->misses >= TRUNK_DOWN_AFTER) {
		h->down = true;
	}
	return was != h->down;
}

uint32_t trunk_backoff_ms(unsigned failures)
{
	uint32_t ms = TRUNK_BACKOFF_MIN_MS;

	/* Doubling, capped: a carrier that refuses for an hour is asked
	 * every five minutes, never in a tight loop. */
	for (unsigned i = 1; i < failures && ms < TRUNK_BACKOFF_MAX_MS; i++)
		ms *= 2;
	return ms < TRUNK_BACKOFF_MAX_MS ? ms : TRUNK_BACKOFF_MAX_MS;
}
