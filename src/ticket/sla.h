/* ticket/sla: time limits of one order and the periodic check (sla.c). */
#ifndef HL_TICKET_SLA_H
#define HL_TICKET_SLA_H

#include "ticket/ticket_int.h"

/* w's clocks as the API shows them at now into *jp (yours); levels, when
 * not NULL, gets the first response's and the completion's level (0 ok,
 * 1 past the warning share, 2 breached; 0 while met or stopped). */
int  wo_sla(struct db *db, const struct wo *w, int64_t now, json_t **jp,
	    int levels[2]);

/* Every open order that crossed a warning share or a limit since the last
 * check: its flags, history and an event (ticket.warning,
 * ticket.breached with escalated_to: the leads) into evs. */
int  wo_sla_check(struct db *db, int64_t now, json_t *evs);

#endif
