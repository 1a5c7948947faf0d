/* queue/event: the report events of docs/kpi.md section 2 as bus events.
 * The bus event carries exactly the fields the fold needs, so the event log
 * alone can rebuild every bucket: queue and agent (strings), enter_ms,
 * dur_ms, ring_ms (ms), state and prev_state (names), queued (bool). */
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include "kpimap/kpimap.h"
#include "queue/queue_int.h"

static const enum bus_ev types[REPORT_EV_COUNT] = {
	[REPORT_EV_ENTER] = BUS_QUEUE_ENTER,
	[REPORT_EV_OFFER] = BUS_QUEUE_OFFER,
	[REPORT_EV_RING_NOANSWER] = BUS_QUEUE_RING_NOANSWER,
	[REPORT_EV_ANSWER] = BUS_QUEUE_ANSWER,
	[REPORT_EV_ABANDON] = BUS_QUEUE_ABANDON,
	[REPORT_EV_OVERFLOW] = BUS_QUEUE_OVERFLOW,
	[REPORT_EV_TRANSFER] = BUS_QUEUE_TRANSFER,
	[REPORT_EV_HOLD_START] = BUS_QUEUE_HOLD_START,
	[REPORT_EV_HOLD_STOP] = BUS_QUEUE_HOLD_STOP,
	[REPORT_EV_COMPLETE] = BUS_QUEUE_COMPLETE,
	[REPORT_EV_WRAPUP_END] = BUS_QUEUE_WRAPUP_END,
	[REPORT_EV_AGENT_STATE] = BUS_AGENT_STATE,
	[REPORT_EV_BLOCKED] = BUS_QUEUE_BLOCKED,
};

enum bus_ev queue_ev_type(enum report_ev_type t)
{
	return (unsigned)t < REPORT_EV_COUNT ? types[t] : BUS_EV_COUNT;
}

enum report_agent_state queue_report_state(enum acd_agent_state s)
{
	return kpimap_state(s);
}

int queue_state_parse(const char *name, enum acd_agent_state *s)
{
	for (int i = 0; name && i < ACD_AGENT_STATES; i++)
		if (!strcmp(name, acd_state_name((enum acd_agent_state)i))) {
			*s = (enum acd_agent_state)i;
			return 0;
		}
	return EINVAL;
}

json_t *queue_ev_json(const struct report_event *ev, const char *call_id,
		      const char *reason)
{
	json_t *d = json_object();

	if (!d)
		return NULL;
	if (call_id && *call_id)
		json_object_set_new(d, "call_id", json_string(call_id));
	if (ev->queue)
		json_object_set_new(d, "queue", json_string(ev->queue));
	if (ev->agent)
		json_object_set_new(d, "agent", json_string(ev->agent));
	if (ev->queue || ev->type == REPORT_EV_ENTER)
		json_object_set_new(d, "enter_ms", json_integer(ev->enter_ms));
	switch (ev->type) {
	case REPORT_EV_ENTER:
		json_object_set_new(d, "queued",
				    json_boolean(ev->flags & REPORT_EVF_QUEUED));
		break;
	case REPORT_EV_ANSWER:
		json_object_set_new(d, "ring_ms", json_integer(ev->ring_ms));
		json_object_set_new(d, "wait_ms",
				    json_integer(ev->ts_ms - ev->enter_ms));
		break;
	case REPORT_EV_ABANDON:
	case REPORT_EV_OVERFLOW:
		json_object_set_new(d, "wait_ms",
				    json_integer(ev->ts_ms - ev->enter_ms));
		break;
	case REPORT_EV_AGENT_STATE:
		json_object_set_new(d, "state", json_string(
			report_state_name(ev->state)));
		json_object_set_new(d, "prev_state", json_string(
			report_state_name(ev->prev_state)));
		json_object_set_new(d, "dur_ms", json_integer(ev->dur_ms));
		break;
	case REPORT_EV_HOLD_STOP:
	case REPORT_EV_COMPLETE:
	case REPORT_EV_WRAPUP_END:
		json_object_set_new(d, "dur_ms", json_integer(ev->dur_ms));
		break;
	default:
		break;
	}
	if (reason)
		json_object_set_new(d, "reason", json_string(reason));
	return d;
}

static int get_ms(const json_t *d, const char *key, int64_t *v)
{
	const json_t *j = json_object_get(d, key);

	if (!j)
		return 0;
	if (!json_is_integer(j))
		return EINVAL;
	*v = json_integer_value(j);
	return 0;
}

static int get_str(const json_t *d, const char *key, const char **v)
{
	const json_t *j = json_object_get(d, key);

	if (!j)
		return 0;
	if (!json_is_string(j))
		return EINVAL;
	*v = json_string_value(j);
	return 0;
}

int queue_ev_parse(enum bus_ev id, const json_t *data,
		   struct report_event *ev)
{
	const char *st = NULL, *prev = NULL;
	int t = -1, err;

	for (int i = 0; i < REPORT_EV_COUNT; i++)
		if (types[i] == id)
			t = i;
	if (t < 0)
		return ENOENT;
	memset(ev, 0, sizeof(*ev));
	ev->type = (enum report_ev_type)t;
	if (!json_is_object(data))
		return EINVAL;
	err = get_str(data, "queue", &ev->queue);
	err = err ? err : get_str(data, "agent", &ev->agent);
	err = err ? err : get_ms(data, "enter_ms", &ev->enter_ms);
	err = err ? err : get_ms(data, "dur_ms", &ev->dur_ms);
	err = err ? err : get_ms(data, "ring_ms", &ev->ring_ms);
	err = err ? err : get_str(data, "state", &st);
	err = err ? err : get_str(data, "prev_state", &prev);
	if (err)
		return err;
	if (json_is_true(json_object_get(data, "queued")))
		ev->flags |= REPORT_EVF_QUEUED;
	if (ev->type == REPORT_EV_AGENT_STATE &&
	    (!st || !prev || report_state_parse(st, &ev->state) ||
	     report_state_parse(prev, &ev->prev_state)))
		return EINVAL;
	return 0;
}
