/* crm/pop: GET /api/v1/screen-pop, everything the agent's screen pop
 * shows beyond the call itself, in one request and one worker job: the
 * customer holding the caller's number (crm_find_phone, the look-up
 * bench/records times), the caller's open work orders (ticket/pop.c) and
 * the knowledge-base articles tied to the caller's IVR choice (kb/
 * suggest.c). One indexed query each, besides the few orders' clocks;
 * each in the agent's data scope, as the lists they come from.
 *
 * Also the seam ticket/ asks when an order is written for a number
 * (ticket_set_customer_lookup): the number's customer, so the order is
 * the customer's whichever of their numbers calls next; a number that is
 * nobody's becomes a customer then, as a new caller does. */
#include <errno.h>
#include <string.h>
#include "base/mod.h"
#include "call/call.h"
#include "crm/crm_int.h"
#include "kb/kb.h"
#include "ticket/ticket.h"

/* An IVR choice is looked up as the tag "ivr:" + choice: at most a tag's
 * 32 bytes (kb/) less the prefix. */
enum { POP_ARTICLES = 5, IVR_MAX = 64, IVR_CHOICE_MAX = 28 };

struct pop_job {
	struct api_job j;
	char number[CRM_PHONE_MAX];
	char ivr[IVR_MAX];
	json_t *out;
};

static int article_hit(const struct kb_hit *hit, void *arg)
{
	return json_array_append_new(arg, json_pack("{s:s, s:s, s:s}",
		"id", hit->id, "title", hit->title, "snippet", hit->snippet)) ?
		ENOMEM : 0;
}

int crm_pop(struct db *db, const struct api_user *u, const char *number,
	    const char *ivr, int64_t now, json_t **out)
{
	json_t *cust = NULL, *orders = json_array(), *arts = json_array();
	char num[CRM_PHONE_MAX];
	const char *cid = "";
	int err;

	if (crm_phone_norm(number, num) || (ivr && *ivr &&
					    strlen(ivr) > IVR_CHOICE_MAX))
		err = EINVAL;
	else
		err = orders && arts ? crm_find_phone(db, u, num, &cust) :
			ENOMEM;
	if (err == ENOENT)   /* nobody's, or nobody's in this user's scope */
		err = 0;
	if (cust)
		cid = json_string_value(json_object_get(cust, "id"));
	if (!err)
		err = ticket_pop_orders(db, u, cid ? cid : "", num, now, orders);
	if (!err && ivr && *ivr)
		err = kb_for_ivr(db, ivr, POP_ARTICLES, article_hit, arts);
	if (!err) {
		*out = json_pack("{s:o?, s:O, s:s?, s:O}", "customer", cust,
				 "work_orders", orders, "ivr",
				 ivr && *ivr ? ivr : NULL, "articles", arts);
		cust = NULL;
		err = *out ? 0 : ENOMEM;
	}
	json_decref(cust);
	json_decref(orders);
	json_decref(arts);
	return err;
}

static void pop_work(struct api_job *j)
{
	struct pop_job *p = (struct pop_job *)j;

	j->err = crm_pop(api_house(&j->req)->db, &j->req.user, p->number,
			 p->ivr, util_now_ms(), &p->out);
}

static void pop_done(struct api_job *j)
{
	struct pop_job *p = (struct pop_job *)j;

	if (j->err) {
		api_reply_error(j->req.conn, 500, "cannot read the screen pop");
		return;
	}
	api_reply_json(j->req.conn, 200, NULL, p->out);
	p->out = NULL;
}

static void pop_clean(struct api_job *j)
{
	json_decref(((struct pop_job *)j)->out);
}

/* ?call=ID: the number and IVR choice from the live call (on the loop,
 * from memory), for its agent (connected or rung) or a supervisor; the only way for a user who
 * sees numbers masked, whose console never has the whole number. 0, or
 * the error answered. */
static int from_call(struct api_req *req, const char *id, char *num,
		     char *ivr, size_t ni)
{
	struct call_mgr *calls = api_house(req)->calls;
	char choice[IVR_MAX], raw[128];
	bool mine = false;

	if (!calls || call_pop_of(calls, id, req->user.ext, &mine, raw,
				  sizeof(raw), choice, sizeof(choice))) {
		api_reply_error(req->conn, 404, "no such live call");
		return ENOENT;
	}
	if (!mine &&
	    !(req->user.role_bit & (API_SUPERVISORS | API_R_EXECUTIVE))) {
		api_reply_error(req->conn, 403, "not your call");
		return EPERM;
	}
	if (crm_phone_norm(raw, num)) {
		api_reply_error(req->conn, 404, "the call has no number to look "
				"up");
		return ENOENT;
	}
	if (!ivr[0] && strlen(choice) <= IVR_CHOICE_MAX && !strchr(choice, ','))
		util_strlcpy(ivr, choice, ni);
	return 0;
}

void crm_h_pop(struct api_req *req)
{
	char v[CRM_PHONE_MAX * 2], num[CRM_PHONE_MAX], ivr[IVR_MAX] = "";
	char id[UTIL_ID_LEN * 2];
	struct pop_job *p;
	int err, by_call;

	err = api_query_get(req->query, "ivr", ivr, sizeof(ivr));
	if (err == ENOENT)
		ivr[0] = '\0';
	else if (err || !ivr[0] || strlen(ivr) > IVR_CHOICE_MAX ||
		 strchr(ivr, ',')) {
		api_reply_error(req->conn, 400, "bad 'ivr' (want the caller's "
				"IVR choice: 1..28 bytes without ',')");
		return;
	}
	by_call = api_query_get(req->query, "call", id, sizeof(id));
	err = api_query_get(req->query, "phone", v, sizeof(v));
	if (by_call != ENOENT) {
		if (by_call || !id[0] || err != ENOENT) {
			api_reply_error(req->conn, 400, "bad 'call' (want a live "
					"call's id, and no 'phone')");
			return;
		}
		if (from_call(req, id, num, ivr, sizeof(ivr)))
			return;
	}
	else if (err || crm_phone_norm(v, num)) {
		api_reply_error(req->conn, 400, "bad 'phone' (want the caller's "
				"number, or 'call')");
		return;
	}
	p = api_job_alloc(req, sizeof(*p), pop_work, pop_done, pop_clean);
	if (p) {
		util_strlcpy(p->number, num, sizeof(p->number));
		util_strlcpy(p->ivr, ivr, sizeof(p->ivr));
	}
	api_job_queue(p);
}

/* ---- ticket/'s look-up: a number's customer ---- */

static int id_row(const struct db_row *row, void *arg)
{
	util_strlcpy(arg, db_row_text(row, 0), UTIL_ID_LEN);
	return 0;
}

static int find_live(struct db *db, const char *num, char found[UTIL_ID_LEN])
{
	found[0] = '\0';
	if (db_query(db, id_row, found, "SELECT customer_id FROM "
		     "customer_phones WHERE number = ? AND live = 1", "t", num))
		return EIO;
	return found[0] ? 0 : ENOENT;
}

/* Someone not yet a customer (issue 15: "so does the number of a work
 * order created for someone who is not a customer yet"): named by the
 * number, source work_order, as crm_customer_ensure makes a new caller —
 * the same two conditional statements, but run here and now on the
 * worker's writer connection, so that the order links to the customer at
 * once. Whoever made one first wins; the caller reads which. */
static int make_customer(struct db *db, const char *num)
{
	char nid[UTIL_ID_LEN];
	const int64_t now = util_now_ms();

	util_random_id(nid);
	return db_exec(db, "INSERT INTO customers (id, name, region, source, "
		       "created_at, updated_at) SELECT ?, ?, '', 'work_order', "
		       "?, ? WHERE NOT EXISTS (SELECT 1 FROM customer_phones "
		       "WHERE number = ? AND live = 1)", "ttiit", nid, num, now,
		       now, num) ||
	       db_exec(db, "INSERT INTO customer_phones (customer_id, number, "
		       "label) SELECT ?, ?, '' WHERE EXISTS (SELECT 1 FROM "
		       "customers WHERE id = ?) ON CONFLICT DO NOTHING", "ttt",
		       nid, num, nid) ? EIO : 0;
}

int crm_wo_customer(const char *phone, char *id, size_t n, void *arg)
{
	struct crm *c = arg;
	char num[CRM_PHONE_MAX], found[UTIL_ID_LEN];
	int err;

	if (crm_phone_norm(phone, num) || n < UTIL_ID_LEN)
		return ENOENT;
	err = find_live(c->db, num, found);
	if (err == ENOENT && !make_customer(c->db, num))
		err = find_live(c->db, num, found);
	if (err)
		return ENOENT;
	util_strlcpy(id, found, n);
	return 0;
}
