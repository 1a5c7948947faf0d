/* events: every event the bus carries, by id. The table in events.c gives
 * each its wire name ("call.answered": dotted, the module first, which is
 * what prefix subscriptions, the event log's `type` column and the
 * WebSocket's "type" hold), the module that publishes it, its subject and
 * a line on what it means; docs/api.md lists the same events for clients.
 * A new event is one id here and one row there. The table only names
 * events: base/ includes no module. */
#ifndef HL_BASE_EVENTS_H
#define HL_BASE_EVENTS_H

#include <stddef.h>

/* In the table's order; a name is never reused for another meaning. */
enum bus_ev {
	BUS_CALL_CREATED,
	BUS_CALL_QUEUED,
	BUS_CALL_RINGING,
	BUS_CALL_ANSWERED,
	BUS_CALL_DTMF,
	BUS_CALL_HOLD,
	BUS_CALL_RESUME,
	BUS_CALL_TRANSFER,
	BUS_CALL_CONSULT,
	BUS_CALL_CONFERENCE,
	BUS_CALL_MONITOR,
	BUS_CALL_RECORDING,
	BUS_CALL_ENDED,
	BUS_VOICEMAIL_NEW,
	BUS_CALL_WRAPUP,
	BUS_CALL_DATA,

	BUS_QUEUE_ENTER,
	BUS_QUEUE_OFFER,
	BUS_QUEUE_RING_NOANSWER,
	BUS_QUEUE_ANSWER,
	BUS_QUEUE_ABANDON,
	BUS_QUEUE_OVERFLOW,
	BUS_QUEUE_TRANSFER,
	BUS_QUEUE_HOLD_START,
	BUS_QUEUE_HOLD_STOP,
	BUS_QUEUE_COMPLETE,
	BUS_QUEUE_WRAPUP_END,
	BUS_QUEUE_BLOCKED,
	BUS_QUEUE_ANNOUNCE,
	BUS_AGENT_STATE,

	BUS_AGENT_REGISTERED,
	BUS_AGENT_UNREGISTERED,

	BUS_AUTH_LOGIN,
	BUS_AUTH_LOGOUT,

	BUS_TICKET_CREATED,
	BUS_TICKET_UPDATED,
	BUS_TICKET_REPLY_DUE,
	BUS_TICKET_WARNING,
	BUS_TICKET_BREACHED,
	BUS_TASK_CREATED,
	BUS_TASK_DONE,
	BUS_NOTICE_PUBLISHED,
	BUS_QA_EVALUATED,
	BUS_QA_APPEALED,
	BUS_QA_DECIDED,

	BUS_EV_COUNT
};

/* One event: rows[id].id == id for every id below BUS_EV_COUNT. */
struct bus_ev_row {
	enum bus_ev id;
	const char *name;        /* the wire name, "module.event" */
	const char *publisher;   /* the src/ folder that publishes it */
	const char *subject;     /* what the event's subject holds */
	const char *meaning;     /* one line: what happened */
};

/* The whole table, BUS_EV_COUNT rows in id order; *n is set to the count.
 * Static: never freed. */
const struct bus_ev_row *bus_ev_rows(size_t *n);

/* The wire name of id, or NULL for a value that is no event. */
const char *bus_ev_name(enum bus_ev id);

#endif
