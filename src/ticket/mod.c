/* ticket/mod: the module's export row. At start it subscribes to the task
 * module's task.done (a reply task for one of our orders finished: the
 * order is replied and closed) and starts the time-limit check, a timer on
 * the loop that hands each round to its serial lane of the house pool and
 * publishes what the round found (ticket.warning, ticket.breached) back
 * on the loop. One round at a time: the next check is armed when the last
 * comes back, and the lane keeps a task.done's round from overlapping a
 * check (both write the orders). It also gives crm/'s contact history the
 * customer's orders (custhist.c). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <re_types.h>
#include <re_mem.h>
#include <re_list.h>
#include <re_tmr.h>
#include "base/bus.h"
#include "base/cfg.h"
#include "base/log.h"
#include "base/mod.h"
#include "base/pool.h"
#include "crm/crm.h"
#include "db/db.h"
#include "ticket/flow.h"
#include "ticket/http_int.h"
#include "ticket/sla.h"

struct ticket_host {
	struct db *db;       /* not a ref: the db module outlives us */
	struct bus *bus;     /* not a ref */
	struct pool *pool;   /* the house's (not a ref: it outlives us) */
	unsigned lane;       /* ours on it, serial: our rounds */
	struct tmr tmr;
	struct ticket_values v;   /* the settings; v.check_ms: the rounds' */
	bool stopping;
};

static struct ticket_host *host;   /* one module per process */

/* A round's work: inputs and the events it found. */
struct round {
	struct ticket_host *th;
	char id[UTIL_ID_LEN];   /* task.done: the order; "" for a check */
	char outcome[128];
	json_t *evs;
};

static void round_work(void *arg)
{
	struct round *r = arg;
	const int64_t now = util_now_ms();

	if (r->id[0]) {
		wo_lock();
		(void)wo_task_done(r->th->db, r->id, r->outcome, now, r->evs);
		wo_unlock();
	}
	else
		(void)wo_sla_check(r->th->db, now, r->evs);
}

static void on_tick(void *arg);

static void round_done(int err, void *arg)
{
	struct round *r = arg;
	struct ticket_host *th = r->th;
	size_t i;
	json_t *e;

	if (!err && !th->stopping) {
		json_array_foreach(r->evs, i, e)
			bus_publish(th->bus, (enum bus_ev)json_integer_value(
					    json_object_get(e, "ev")),
				    json_string_value(json_object_get(e, "subject")),
				    util_now_ms(),
				    json_incref(json_object_get(e, "data")));
	}
	if (!r->id[0] && !th->stopping)
		tmr_start(&th->tmr, th->v.check_ms, on_tick, th);
	json_decref(r->evs);
	free(r);
}

static int round_queue(struct ticket_host *th, const char *id,
		       const char *outcome)
{
	struct round *r = calloc(1, sizeof(*r));
	int err;

	if (!r)
		return ENOMEM;
	r->th = th;
	r->evs = json_array();
	util_strlcpy(r->id, id ? id : "", sizeof(r->id));
	util_strlcpy(r->outcome, outcome ? outcome : "", sizeof(r->outcome));
	err = pool_queue_lane(th->pool, th->lane, round_work, round_done, r);
	if (err) {
		json_decref(r->evs);
		free(r);
	}
	return err;
}

static void on_tick(void *arg)
{
	struct ticket_host *th = arg;

	if (round_queue(th, NULL, NULL))
		tmr_start(&th->tmr, th->v.check_ms, on_tick, th);
}

/* task.done {origin: "ticket", origin_id, outcome}: the customer was
 * answered; other origins are other modules' tasks. */
static void on_task_done(const struct bus_event *ev, void *arg)
{
	const char *origin = json_string_value(json_object_get(ev->data,
								"origin"));
	const char *id = json_string_value(json_object_get(ev->data,
							    "origin_id"));
	const char *outcome = json_string_value(json_object_get(ev->data,
								 "outcome"));

	if (!origin || strcmp(origin, "ticket") || !id ||
	    strlen(id) >= UTIL_ID_LEN)
		return;
	if (round_queue(arg, id, outcome ? outcome : "answered"))
		log_warn("ticket.task_done", "order=%s dropped=pool_busy", id);
}

static void host_destructor(void *arg)
{
	struct ticket_host *th = arg;

	th->stopping = true;
	tmr_cancel(&th->tmr);
	if (th->bus)
		bus_unsubscribe(th->bus, on_task_done, th);
	/* Waits for the round running and runs the done of what is left
	 * (stopping: nothing published); the house's other work goes on. */
	pool_lane_stop(th->pool, th->lane);
}

static int start(struct mod_house *h, char *err, size_t n)
{
	struct ticket_host *th;
	struct ticket_values v = {0};
	int e;

	if (cfg_read(h->cfg, ticket_settings.rows, ticket_settings.n, &v, err,
		     n))
		return EINVAL;
	th = mem_zalloc(sizeof(*th), host_destructor);
	if (!th)
		return ENOMEM;
	th->db = h->db;
	th->bus = h->bus;
	th->v = v;
	tmr_init(&th->tmr);
	th->pool = h->pool;
	e = pool_lane(th->pool, &th->lane);
	if (!e)
		e = bus_subscribe(h->bus, "task.done", on_task_done, th);
	if (!e)
		e = crm_history_source(wo_customer_history);
	if (e) {
		snprintf(err, n, "ticket: cannot start (%s)", strerror(e));
		mem_deref(th);
		return e;
	}
	tmr_start(&th->tmr, th->v.check_ms, on_tick, th);
	host = th;
	return 0;
}

const struct ticket_values *wo_values(void)
{
	return &host->v;
}

static void stop(struct mod_house *h)
{
	(void)h;
	host = mem_deref(host);
}

const struct mod_export ticket_module = {
	.name = "ticket", .start = start, .stop = stop,
	.routes = &wo_http_routes, .settings = &ticket_settings,
};
