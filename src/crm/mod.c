/* crm/mod: the customers module's life in `hotline serve`: its row, the
 * index of the numbers that matter to calls (loaded on a worker at start,
 * kept by the API's writes), the hooks it gives call/ (screen: blacklist
 * and level) and queue/ (owner: sticky routing), the refusal prompt it
 * has spoken, and the new callers it records as customers. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <re_types.h>
#include <re_mem.h>
#include "base/bus.h"
#include "base/log.h"
#include "base/mod.h"
#include "base/pool.h"
#include "call/call.h"
#include "crm/crm_int.h"
#include "media/media.h"
#include "queue/queue.h"
#include "ticket/ticket.h"

/* What a blacklisted caller hears before BYE. */
static const char REFUSAL_TEXT[] = "很抱歉，您的来电暂时无法接通，再见。";

/* The refusal prompt's request: a libre object media_tts holds, cleared
 * when the module stops first (its handler then finds no crm). */
struct crm_tok {
	struct crm *crm;
};

struct crm *crm_of(const struct api_req *req)
{
	return api_house(req)->crm;
}

int crm_caller_get(const struct crm *c, const char *number,
		   struct crm_caller *out)
{
	char n[CRM_PHONE_MAX];

	if (!c || crm_phone_norm(number, n))
		return ENOENT;
	return crm_index_get(c->ix, n, out);
}

void crm_note_number(struct crm *c, const char *number,
		     const struct crm_caller *cc)
{
	if (!c->loaded && c->nchanged < CRM_CHANGED_MAX)
		util_strlcpy(c->changed[c->nchanged++], number, CRM_PHONE_MAX);
	if (crm_index_put(c->ix, number, cc))
		log_warn("crm.index", "number=%s: not held (out of memory)",
			 number);
}

/* ---- the hooks ---- */

static void screen(void *arg, const char *caller, struct call_screen *out)
{
	struct crm *c = arg;
	struct crm_caller cc;

	if (crm_caller_get(c, caller, &cc))
		return;
	out->refuse = cc.blacklisted;
	out->raise = cc.raise;
	out->prompt = c->refusal;
}

static int owner(void *arg, const char *caller, char *ext, size_t n)
{
	struct crm_caller cc;

	if (crm_caller_get(arg, caller, &cc) || !cc.owner[0])
		return ENOENT;
	util_strlcpy(ext, cc.owner, n);
	return 0;
}

static void on_refusal(int err, struct media_prompt *p, void *arg)
{
	struct crm_tok *t = arg;

	if (!t->crm)
		return;
	if (err) {
		log_warn("crm.refusal_prompt", "err=%s: refused callers hear "
			 "nothing", strerror(err));
		return;
	}
	t->crm->refusal = media_prompt_ref(p);
}

/* ---- a new number becomes a customer ---- */

int crm_customer_ensure(struct crm *c, const char *number,
			const char *region, const char *source, int64_t at_ms)
{
	char num[CRM_PHONE_MAX], id[UTIL_ID_LEN];
	int err;

	if (!c || !source || crm_phone_norm(number, num))
		return EINVAL;
	util_random_id(id);
	/* Two queued writes, in order: the customer only when no live
	 * customer has the number, then the number only when that customer
	 * was made (so a race between two ensures makes one, never a
	 * customer without its number). */
	err = db_write(c->db, "INSERT INTO customers (id, name, region, source, "
		       "created_at, updated_at) SELECT ?, ?, ?, ?, ?, ? "
		       "WHERE NOT EXISTS (SELECT 1 FROM customer_phones "
		       "WHERE number = ? AND live = 1)", "ttttiit", id, num,
		       region ? region : "", source, at_ms, at_ms, num);
	return err ? err : db_write(c->db, "INSERT INTO customer_phones "
		"(customer_id, number, label) SELECT ?, ?, '' WHERE EXISTS "
		"(SELECT 1 FROM customers WHERE id = ?) ON CONFLICT DO NOTHING",
		"ttt", id, num, id);
}

/* call.created of an inbound call: the caller becomes a customer named by
 * their number (source "call"), with the region the call found, unless a
 * live customer has the number. */
static void on_call_created(const struct bus_event *ev, void *arg)
{
	const char *dir = json_string_value(json_object_get(ev->data,
							    "direction"));
	const char *from = json_string_value(json_object_get(ev->data, "from"));
	const char *prov = json_string_value(json_object_get(ev->data,
							     "province"));
	const char *city = json_string_value(json_object_get(ev->data, "city"));
	char region[128];

	if (!dir || strcmp(dir, "inbound") || !from)
		return;
	snprintf(region, sizeof(region), "%s%s", prov ? prov : "",
		 city && (!prov || strcmp(prov, city)) ? city : "");
	(void)crm_customer_ensure(arg, from, region, "call", ev->ts_ms);
}

/* ---- the start-up load ---- */

struct load {
	struct crm *crm;
	struct crm_index *ix;
	int err;
};

static int load_row(const struct db_row *row, void *arg)
{
	struct load *l = arg;
	struct crm_caller cc = {.blacklisted = db_row_int(row, 3) != 0};

	(void)crm_level_raise(db_row_text(row, 1), &cc.raise);
	util_strlcpy(cc.owner, db_row_text(row, 2), sizeof(cc.owner));
	return crm_index_put(l->ix, db_row_text(row, 0), &cc);
}

static void load_work(void *arg)
{
	struct load *l = arg;

	l->err = crm_index_alloc(&l->ix);
	if (!l->err)
		l->err = db_query(l->crm->db, load_row, l,
			"SELECT p.number, c.level, c.owner, c.blacklisted "
			"FROM customer_phones p JOIN customers c "
			"ON c.id = p.customer_id WHERE p.live = 1 AND "
			"c.deleted_at IS NULL AND (c.blacklisted <> 0 OR "
			"c.level <> 'normal' OR c.owner <> '')", "");
}

/* True for a number the API changed while the load ran: its entry in
 * the live index is newer than the load's. */
static bool changed(void *arg, const char *number)
{
	const struct crm *c = arg;

	for (size_t i = 0; i < c->nchanged; i++)
		if (!strcmp(c->changed[i], number))
			return true;
	return false;
}

static void load_done(int err, void *arg)
{
	struct load *l = arg;
	struct crm *c = l->crm;

	if (!err)
		err = l->err;
	if (err)
		log_error("crm.load", "err=%s: callers are not screened",
			  strerror(err));
	else {
		crm_index_merge(c->ix, l->ix, changed, c);
		log_info("crm.loaded", "numbers=%zu", crm_index_count(c->ix));
	}
	crm_index_free(l->ix);
	c->loaded = true;
	free(c->changed);
	c->changed = NULL;
	c->nchanged = 0;
	free(l);
}

/* ---- the module's row ---- */

static int start(struct mod_house *h, char *err, size_t n)
{
	struct crm *c = calloc(1, sizeof(*c));
	struct load *l = calloc(1, sizeof(*l));
	int e;

	if (!c || !l || crm_index_alloc(&c->ix) ||
	    !(c->changed = calloc(CRM_CHANGED_MAX, CRM_PHONE_MAX))) {
		free(l);
		if (c)
			crm_index_free(c->ix);
		free(c);
		snprintf(err, n, "out of memory");
		return ENOMEM;
	}
	*c = (struct crm){.db = h->db, .bus = h->bus, .calls = h->calls,
			  .queues = h->queues, .route = h->route, .tts = h->tts,
			  .pool = h->pool, .ix = c->ix, .changed = c->changed};
	h->crm = c;
	l->crm = c;
	e = pool_lane(c->pool, &c->lane);
	e = e ? e : pool_queue_lane(c->pool, c->lane, load_work, load_done, l);
	if (e) {
		free(l);
		snprintf(err, n, "cannot load customers (%s)", strerror(e));
		return e;
	}
	e = bus_subscribe(h->bus, bus_ev_name(BUS_CALL_CREATED),
			  on_call_created, c);
	if (e) {
		snprintf(err, n, "out of memory");
		return e;
	}
	if (c->calls)
		call_mgr_set_screen(c->calls, &(struct call_screen_ops){
			.screen = screen}, c);
	if (c->queues)
		queue_host_set_owner(c->queues, owner, c);
	ticket_set_customer_lookup(crm_wo_customer, c);
	if (c->tts && (c->tok = mem_zalloc(sizeof(*c->tok), NULL))) {
		c->tok->crm = c;
		if (media_tts_say(c->tts, "zh", REFUSAL_TEXT, on_refusal,
				  c->tok))
			log_warn("crm.refusal_prompt", "not asked: refused "
				 "callers hear nothing");
	}
	return 0;
}

static void stop(struct mod_house *h)
{
	struct crm *c = h->crm;

	if (!c)
		return;
	if (c->calls)
		call_mgr_set_screen(c->calls, &(struct call_screen_ops){0},
				    NULL);
	if (c->queues)
		queue_host_set_owner(c->queues, NULL, NULL);
	ticket_set_customer_lookup(NULL, NULL);
	bus_unsubscribe(c->bus, on_call_created, c);
	/* Waits for the load and runs its done (freeing it) before
	 * returning; the house's other work goes on. */
	pool_lane_stop(c->pool, c->lane);
	if (c->tok)
		c->tok->crm = NULL;
	c->tok = mem_deref(c->tok);
	media_prompt_unref(c->refusal);
	crm_index_free(c->ix);
	free(c->changed);
	free(c);
	h->crm = NULL;
}

const struct mod_export crm_module = {
	.name = "crm", .start = start, .stop = stop, .routes = &crm_routes,
};
