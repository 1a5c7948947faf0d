/* tmr: libre's timer API (re_tmr.h) reimplemented on a 4-ary min-heap per
 * libre timer list, so that starting or cancelling a timer costs O(log n)
 * instead of a walk over every pending timer.
 *
 * The hotline executable defines tmr_init, tmr_start, tmr_cancel, tmr_poll,
 * tmr_next_timeout, tmr_get_expire, tmr_status and tmr_debug; the dynamic
 * linker binds libre's own calls to them (libre 1.1.0 reaches them through
 * its PLT/GOT), so re_main's loop and libre's SIP transactions use this heap
 * while the Debian package stays as it is. docs/architecture.md, "Timers",
 * says why and how a libre upgrade is checked (tests/unit/tmr/test_abi.c).
 *
 * Semantics are libre 1.1.0's: a timer runs while tmr->th != NULL; timers
 * fire in expiry order, equal expiries in start order; a timer started with
 * delay 0 fires on the next tmr_poll; handlers may start and cancel any
 * timer, their own included. Each libre thread (re_thread_init) has its own
 * list, found through libre's tmrl_get(); struct tmr is owned by the caller
 * and must be cancelled before it is freed (as with libre). */
#ifndef HOTLINE_TMR_H
#define HOTLINE_TMR_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <re_types.h>
#include <re_list.h>
#include <re_fmt.h>
#include <re_tmr.h>

/* Number of timers running on libre timer list tmrl (tmrl_get() for the
 * calling thread's); 0 for a list that never had one. */
uint32_t tmr_pending(struct list *tmrl);

/* libre's timer list of the calling thread (exported by libre, not in its
 * headers). */
struct list *tmrl_get(void);

#endif
