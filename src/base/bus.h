/* bus: domain events (BUS_CALL_ANSWERED, BUS_AGENT_STATE …: the table of
 * base/events.h) published by the modules that cause them and delivered,
 * synchronously and in subscription order, to every subscriber whose
 * prefix matches the event's wire name: the event log, the CTI WebSocket,
 * the KPI fold, the wallboard. One bus per process, used from the
 * signalling loop's thread only. */
#ifndef HL_BASE_BUS_H
#define HL_BASE_BUS_H

#include <stdint.h>
#include <jansson.h>
#include "base/events.h"

struct bus;

struct bus_event {
	enum bus_ev id;       /* what happened; compare this, not type */
	const char *type;     /* its wire name, "call.answered" (events.c) */
	const char *subject;  /* what it is about: a call id, an extension … */
	int64_t     ts_ms;    /* when it happened, Unix ms */
	uint64_t    seq;      /* 1, 2, 3 … in publication order */
	json_t     *data;     /* the event's fields; borrowed for the call */
};

/* Receives one event; must not keep ev or ev->data past the call without
 * json_incref. May publish further events (delivered before it returns). */
typedef void (bus_h)(const struct bus_event *ev, void *arg);

/* Makes an empty bus; *bp is the caller's (bus_free). */
int  bus_alloc(struct bus **bp);

/* Frees the bus; subscribers are not called again. NULL is fine. */
void bus_free(struct bus *b);

/* Calls h(ev, arg) for every later event whose wire name starts with
 * prefix ("" for all, "call." for calls). */
int  bus_subscribe(struct bus *b, const char *prefix, bus_h *h, void *arg);

/* Stops the (h, arg) subscription; safe from inside a handler. */
void bus_unsubscribe(struct bus *b, bus_h *h, void *arg);

/* The seq of the last event published (0 before the first): where a
 * subscriber joining now starts counting. */
uint64_t bus_last_seq(const struct bus *b);

/* Delivers event id to the matching subscribers. Takes data's reference
 * (NULL means {}); 0, or with data released EINVAL (id is no event, and
 * nothing is delivered) or ENOMEM. */
int  bus_publish(struct bus *b, enum bus_ev id, const char *subject,
		 int64_t ts_ms, json_t *data);

#endif
