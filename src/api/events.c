/* api/events: the CTI WebSocket. A client's first frame is the snapshot of
 * everything it may see (snapshot.c), marked with the seq of the last bus
 * event it reflects; then every bus event it may see (scope_ws.c), each
 * one text frame {"type","subject","ts","seq","data"}, in seq order; and
 * once a second, while anyone listens, queue.stats with the queues it may
 * see (one timer for all clients).
 *
 * Facts that always hold:
 *  (1) The events a client receives have strictly increasing seq, all
 *      above its snapshot's: the snapshot is built on the loop between two
 *      events, and an event published from inside another's delivery
 *      (which reaches us first, since we subscribe last) is held until the
 *      one it overtook has been sent.
 *  (2) A client that reads slower than events arrive would make its send
 *      queue grow without bound; once more than API_WS_BACKLOG bytes wait
 *      for it, it is dropped (and logged) instead.
 *  (3) Clients only listen: what they send is ignored, apart from the
 *      close and ping frames ws.c answers itself. */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include "api/api_int.h"
#include "base/bus.h"
#include "base/log.h"
#include "base/mod.h"

enum {
	KEEPALIVE_MS = 30000,
	STATS_MS     = 1000,
	HELD_MAX     = 4096,   /* past this an overtaken event is taken for
	                          lost: the held ones go out in order */
};

struct client {
	struct le le;                /* in api.clients */
	struct api *api;             /* not a ref */
	struct api_ws *ws;
	struct api_ws_scope scope;
};

/* An event that arrived before one with a lower seq: a copy. */
struct held {
	struct le le;                /* in api.ev_held, by seq */
	struct bus_event ev;         /* type static; subject ours; data a ref */
	char *subject;
};

static void client_destructor(void *arg)
{
	struct client *c = arg;

	bool listed = c->le.list != NULL;

	list_unlink(&c->le);
	mem_deref(c->ws);
	if (listed)
		api_ws_left(c->api);
}

static void ws_close(int err, void *arg)
{
	struct client *c = arg;

	log_info("ws.closed", "user=%s err=%d", c->scope.user.username, err);
	mem_deref(c);
}

static void drop(struct client *c, const char *why)
{
	log_warn("ws.dropped", "user=%s reason=%s", c->scope.user.username, why);
	mem_deref(c);
}

/* Sends s to c unless c is too far behind; false when c was dropped. */
static bool send_to(struct client *c, const char *s)
{
	if (api_ws_txqsz(c->ws) > API_WS_BACKLOG) {
		drop(c, "too slow");
		return false;
	}
	if (api_ws_send_text(c->ws, s, strlen(s))) {
		drop(c, "send failed");
		return false;
	}
	return true;
}

/* A user who sees numbers masked (api/scope.c). */
static const struct api_user masked = {.mask_numbers = true};

/* ev as its frame; mask: with its numbers masked. */
static char *event_text(const struct bus_event *ev, bool mask)
{
	char ts[UTIL_TIME_LEN];
	json_t *j, *data = mask ? json_deep_copy(ev->data) : json_incref(ev->data);
	char *s;

	if (mask)
		api_mask_fields(&masked, data, api_ws_number_fields);
	util_rfc3339_ms(ts, ev->ts_ms);
	j = json_pack("{s:s, s:s, s:s, s:I, s:o}", "type", ev->type, "subject",
		      ev->subject, "ts", ts, "seq", (json_int_t)ev->seq, "data",
		      data ? data : json_object());
	s = j ? json_dumps(j, JSON_COMPACT) : NULL;
	json_decref(j);
	return s;
}

static void send_event(struct api *api, const struct bus_event *ev)
{
	char *text[2] = {NULL, NULL};   /* as is, masked: each made once */

	api->ev_seq = ev->seq;
	for (struct le *le = api->clients.head; le;) {
		struct client *c = le->data;
		bool m = c->scope.user.mask_numbers;

		le = le->next;   /* c may be dropped below */
		if (!api_ws_scope_event(&c->scope, ev))
			continue;
		if (!text[m] && !(text[m] = event_text(ev, m))) {
			log_error("ws.encode_failed", "type=%s", ev->type);
			break;
		}
		(void)send_to(c, text[m]);
	}
	free(text[0]);
	free(text[1]);
}

static void held_destructor(void *arg)
{
	struct held *h = arg;

	list_unlink(&h->le);
	json_decref(h->ev.data);
	free(h->subject);
}

static void hold(struct api *api, const struct bus_event *ev)
{
	struct held *h = mem_zalloc(sizeof(*h), held_destructor);
	struct le *le;

	if (!h || !(h->subject = strdup(ev->subject))) {
		mem_deref(h);
		log_error("ws.hold_failed", "seq=%" PRIu64, ev->seq);
		return;
	}
	h->ev = *ev;
	h->ev.subject = h->subject;
	h->ev.data = json_incref(ev->data);
	/* By seq: a later one usually comes last, so search from the tail. */
	for (le = list_tail(&api->ev_held); le; le = le->prev)
		if (((struct held *)le->data)->ev.seq < ev->seq)
			break;
	if (le)
		list_insert_after(&api->ev_held, le, &h->le, h);
	else
		list_prepend(&api->ev_held, &h->le, h);
}

/* Sends the held events that are next in line (all of them when too many
 * wait: the missing one is not coming). */
static void release(struct api *api)
{
	bool all = list_count(&api->ev_held) > HELD_MAX;
	struct le *le;

	while ((le = list_head(&api->ev_held)) != NULL) {
		struct held *h = le->data;

		if (!all && h->ev.seq != api->ev_seq + 1)
			break;
		send_event(api, &h->ev);
		mem_deref(h);
	}
}

static void on_event(const struct bus_event *ev, void *arg)
{
	struct api *api = arg;

	if (ev->seq <= api->ev_seq)
		return;
	if (ev->seq != api->ev_seq + 1) {
		hold(api, ev);
		if (list_count(&api->ev_held) > HELD_MAX)
			release(api);
		return;
	}
	send_event(api, ev);
	release(api);
}

/* ---- queue.stats: one timer for every client */

static void stats_tick(void *arg)
{
	struct api *api = arg;
	int64_t now = util_now_ms();
	json_t *live = NULL;
	char *all = NULL;

	if (!api->clients.head)
		return;
	if (api_live(api, MOD_LIVE_QUEUES, &live)) {
		log_error("ws.stats_failed", "out of memory");
		goto out;
	}
	for (struct le *le = api->clients.head; le;) {
		struct client *c = le->data;
		json_t *mine = NULL;
		char *own = NULL;
		bool whole;

		le = le->next;   /* c may be dropped below */
		if (api_live_scoped(&c->scope, live, &mine, &whole))
			continue;
		if (json_array_size(json_object_get(mine, "queues"))) {
			if (whole && !all)
				all = api_live_frame("queue.stats", api->ev_seq,
						     now, live);
			if (!whole)
				own = api_live_frame("queue.stats",
						     api->ev_seq, now, mine);
			if (whole ? all : own)
				(void)send_to(c, whole ? all : own);
		}
		free(own);
		json_decref(mine);
	}
 out:
	free(all);
	json_decref(live);
	if (api->clients.head)
		tmr_start(&api->stats_tmr, STATS_MS, stats_tick, api);
}

/* ---- connecting */

/* The client's first frame: what it may see now, as of api->ev_seq. */
static int send_snapshot(struct client *c)
{
	struct api *api = c->api;
	json_t *live = NULL, *mine = NULL;
	char *s = NULL;
	bool whole;
	int err;

	err = api_live(api, MOD_LIVE_AGENTS | MOD_LIVE_QUEUES | MOD_LIVE_CALLS,
		       &live);
	err = err ? err : api_live_scoped(&c->scope, live, &mine, &whole);
	/* live is this snapshot's own: its calls may be masked in place. */
	for (size_t i = 0; !err && i < json_array_size(json_object_get(mine,
								    "calls")); i++)
		api_mask_fields(&c->scope.user, json_array_get(json_object_get(
				mine, "calls"), i), api_ws_number_fields);
	if (!err && !(s = api_live_frame("snapshot", api->ev_seq,
					 util_now_ms(), mine)))
		err = ENOMEM;
	if (!err)
		err = api_ws_send_text(c->ws, s, strlen(s));
	free(s);
	json_decref(mine);
	json_decref(live);
	return err;
}

/* The upgrade, once the client's scope is complete. */
static void open_client(const struct api_req *req, struct client *c)
{
	struct api *api = req->api;
	const char *why = NULL;
	int err;

	err = api_ws_accept(&c->ws, req->conn, req->msg, KEEPALIVE_MS, ws_close,
			    c, &why);
	if (err) {
		mem_deref(c);
		if (why)
			api_reply_error(req->conn, 400, "%s", why);
		else
			api_reply_error(req->conn, 500, "cannot open the WebSocket");
		return;
	}
	/* The upgrade is answered: a failure now can only close the socket. */
	err = send_snapshot(c);
	if (err) {
		log_warn("ws.snapshot_failed", "user=%s err=%d",
			 c->scope.user.username, err);
		mem_deref(c);
		return;
	}
	list_append(&api->clients, &c->le, c);
	if (!tmr_isrunning(&api->stats_tmr))
		tmr_start(&api->stats_tmr, STATS_MS, stats_tick, api);
	log_info("ws.open", "user=%s seq=%" PRIu64 " clients=%u",
		 c->scope.user.username, api->ev_seq,
		 list_count(&api->clients));
}

/* A department scope's extensions are read on the pool first. */
struct open_job {
	struct api_job j;
	struct client *c;          /* ours until open_client takes it */
};

static void open_clean(struct api_job *j)
{
	mem_deref(((struct open_job *)j)->c);
}

static void open_work(struct api_job *j)
{
	struct open_job *o = (struct open_job *)j;

	j->err = api_ws_scope_load(&o->c->scope, j->req.api->db);
}

static void open_done(struct api_job *j)
{
	struct open_job *o = (struct open_job *)j;
	struct client *c = o->c;

	if (j->req.api->stopping) {
		api_reply_error(j->req.conn, 503, "server is stopping");
		return;
	}
	if (j->err) {
		api_reply_error(j->req.conn, 500, "cannot read your scope");
		return;
	}
	o->c = NULL;
	open_client(&j->req, c);
}

void api_h_events(struct api_req *req)
{
	struct open_job *o;
	struct client *c;

	c = mem_zalloc(sizeof(*c), client_destructor);
	if (!c) {
		api_reply_error(req->conn, 500, "out of memory");
		return;
	}
	c->api = req->api;
	api_ws_scope_init(&c->scope, &req->user);
	if (api_scope_of(&req->user) != API_SCOPE_DEPTS) {
		open_client(req, c);
		return;
	}
	o = api_job_alloc(req, sizeof(*o), open_work, open_done, open_clean);
	if (!o) {
		mem_deref(c);
		return;
	}
	o->c = c;
	api_job_queue(o);
}

int api_events_start(struct api *api, const struct mod_export *const *mods,
		     size_t nmods)
{
	api->mods = mods;
	api->nmods = nmods;
	api->ev_seq = bus_last_seq(api->bus);
	return bus_subscribe(api->bus, "", on_event, api);
}

void api_events_stop(struct api *api)
{
	if (api->bus)
		bus_unsubscribe(api->bus, on_event, api);
	tmr_cancel(&api->stats_tmr);
	list_flush(&api->ev_held);
}

void api_events_close_all(struct api *api)
{
	for (struct le *le = api->clients.head; le; le = le->next) {
		struct client *c = le->data;

		(void)api_ws_close(c->ws, 1001, "server stopping");
	}
}

void api_events_drop_all(struct api *api)
{
	list_flush(&api->clients);
}
