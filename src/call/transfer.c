/* call/transfer: blind transfer (REFER from the agent's phone, refer.c, or
 * the API) and redirect (a queue overflowing to an extension).
 *
 * The caller's dialog is already answered, so a transfer never touches it:
 * the agent leg is released (its phone gets 202, a NOTIFY saying the
 * transfer is done, and our BYE), and a fresh agent leg rings the target
 * on the caller's media thread, as call_offer does for queued calls, while
 * the caller hears ringback (or music). A queue target takes the call in
 * as a new arrival (queue.enter, a new key).
 *
 * When the target does not answer in ring_timeout_ms or refuses, a call
 * that came through a queue goes back into that queue (the caller is not
 * dropped because one phone was busy); any other call ends (hangup_by
 * system, cause no-answer or the phone's SIP status). An overflow to an
 * extension has no queue to go back to (that queue just gave up on it) and
 * ends the same way. */
#include <errno.h>
#include <string.h>
#include <re.h>
#include "base/log.h"
#include "call/call_int.h"
#include "db/db.h"
#include "sip/sipx.h"

/* ---- targets ---- */

static int did_row(const struct db_row *row, void *arg)
{
	struct call_target *t = arg;
	const char *kind = db_row_text(row, 0), *target = db_row_text(row, 1);

	if (!kind || !target)
		return 1;
	t->kind = !strcmp(kind, "queue") ? CALL_TARGET_QUEUE :
		CALL_TARGET_EXTENSION;
	util_strlcpy(t->name, target, sizeof(t->name));
	return 1;
}

int call_target_resolve(struct call_mgr *m, const char *to,
			struct call_target *t)
{
	memset(t, 0, sizeof(*t));
	if (!to || !*to || strlen(to) >= sizeof(t->name))
		return ENOENT;
	db_query(m->o.db, did_row, t,
		 "SELECT target_kind, target FROM dids WHERE did = ? AND "
		 "target_kind IN ('extension', 'queue')", "t", to);
	if (t->name[0])
		return 0;
	util_strlcpy(t->name, to, sizeof(t->name));
	if (sipx_has_extension(m->o.sipx, to)) {
		t->kind = CALL_TARGET_EXTENSION;
		return 0;
	}
	if (m->qops.has_queue && m->qops.has_queue(m->qarg, to)) {
		t->kind = CALL_TARGET_QUEUE;
		return 0;
	}
	t->name[0] = '\0';
	return ENOENT;
}

int call_target_check(struct call *c, const struct call_target *t,
		      char *why, size_t n)
{
	struct sipx_contact ct;
	size_t nct = 0;

	if (t->kind == CALL_TARGET_QUEUE)
		return c->mgr->qops.enter ? 0 : ENODEV;
	if (!strcmp(t->name, c->rec.agent)) {
		snprintf(why, n, "the call is with %s already", t->name);
		return EINVAL;
	}
	if (sipx_contacts(c->mgr->o.sipx, t->name, &ct, 1, &nct) || !nct) {
		snprintf(why, n, "extension %s has no registered phone",
			 t->name);
		return ENODEV;
	}
	return 0;
}

/* ---- moving the caller ---- */

static void agent_leg_release(struct call *c)
{
	struct leg *l = &c->agent_leg;

	l->sess = mem_deref(l->sess);     /* BYE, or CANCEL while ringing */
	media_leg_close(l->media);
	l->media = NULL;
	l->estab = false;
	l->held = false;
}

/* The caller, answered already, waits in queue with music: a new arrival
 * under a new key. c may be freed when it returns. */
static void requeue(struct call *c, const char *queue)
{
	struct call_mgr *m = c->mgr;
	uint64_t key;
	int err;

	c->key = key = ++m->next_key;
	c->state = CALL_QUEUED;
	c->queued = true;
	c->leaving = false;
	c->fallback[0] = '\0';
	c->rec.agent[0] = '\0';
	util_strlcpy(c->rec.queue, queue, sizeof(c->rec.queue));
	if (m->o.moh)
		(void)media_leg_play(c->cust.media, m->o.moh, true);
	else
		(void)media_leg_stop(c->cust.media);
	cdr_queued(&c->rec);
	log_info("call.queued", "id=%s from=%s queue=%s (transfer)", c->rec.id,
		 c->rec.from, queue);
	/* A transferred caller keeps the priority they first came with. */
	err = m->qops.enter(m->qarg, key, queue, c->priority, c->rec.id,
			    c->rec.from);
	/* The host may already have dropped or redirected the call. */
	if (err && (c = call_find(m, key)) != NULL && c->queued) {
		c->queued = false;
		call_end(c, "system", "queue");
	}
}

static void on_redirect_timeout(void *arg)
{
	struct call *c = arg;

	if (c->state == CALL_REDIRECTING)
		call_redirect_failed(c, "no-answer");
}

/* Rings ext for the answered caller, who hears ringback or music. */
static int redirect_ring(struct call *c, const char *ext)
{
	struct call_mgr *m = c->mgr;
	struct media_prompt *p = m->o.ringback ? m->o.ringback : m->o.moh;
	int err = media_leg_alloc(&c->agent_leg.media, m->o.media, c->shard,
				  &c->agent_leg);

	if (err)
		return err;
	util_strlcpy(c->rec.agent, ext, sizeof(c->rec.agent));
	err = call_ring_agent(c, ext);
	if (err) {
		agent_leg_release(c);
		c->rec.agent[0] = '\0';
		return err;
	}
	c->state = CALL_REDIRECTING;
	if (p)
		(void)media_leg_play(c->cust.media, p, true);
	cdr_ringing(&c->rec);
	if (m->o.ring_timeout_ms)
		tmr_start(&c->noanswer, m->o.ring_timeout_ms,
			  on_redirect_timeout, c);
	log_info("call.redirect", "id=%s ext=%s fallback=%s", c->rec.id, ext,
		 c->fallback[0] ? c->fallback : "-");
	return 0;
}

void call_redirect_answered(struct call *c)
{
	tmr_cancel(&c->noanswer);
	media_leg_stop(c->cust.media);
	c->fallback[0] = '\0';
	call_connected(c);
}

void call_redirect_failed(struct call *c, const char *cause)
{
	char queue[sizeof(c->fallback)];

	tmr_cancel(&c->noanswer);
	log_info("call.redirect_failed", "id=%s ext=%s cause=%s", c->rec.id,
		 c->rec.agent, cause);
	agent_leg_release(c);
	util_strlcpy(queue, c->fallback, sizeof(queue));
	if (queue[0] && c->mgr->qops.enter) {
		requeue(c, queue);
		return;
	}
	call_end(c, "system", cause);
}

/* The agent's part ends: the record says where the call went, the queue
 * host books the agent's call as transferred, the agent leg goes. Then the
 * caller is taken to t. */
void call_transfer_to(struct call *c, const struct call_target *t,
		      const char *via)
{
	struct call_mgr *m = c->mgr;
	char agent[sizeof(c->rec.agent)];
	int err;

	util_strlcpy(agent, c->rec.agent, sizeof(agent));
	call_leg_hold(&c->agent_leg, false);
	cdr_transfer(&c->rec, agent, t->name, via);
	c->fallback[0] = '\0';
	if (c->queued) {
		util_strlcpy(c->fallback, c->rec.queue, sizeof(c->fallback));
		c->queued = false;
		if (m->qops.transferred)
			m->qops.transferred(m->qarg, c->key, t->name);
	}
	agent_leg_release(c);
	c->rec.agent[0] = '\0';
	if (t->kind == CALL_TARGET_QUEUE) {
		requeue(c, t->name);
		return;
	}
	err = redirect_ring(c, t->name);
	if (err)
		call_redirect_failed(c, "unreachable");
}

/* ---- the API and the queue host ---- */

int call_transfer(struct call_mgr *m, const char *call_id, const char *agent,
		  const char *to, char *why, size_t n)
{
	struct call_target t;
	struct call *c = NULL;
	int err;

	for (struct le *le = list_head(&m->calls); le && !c; le = le->next) {
		struct call *x = le->data;
		if (!x->feature && !strcmp(x->rec.id, call_id))
			c = x;
	}
	if (!c || (agent && strcmp(c->rec.agent, agent)))
		return ENOENT;
	if (c->state != CALL_TALKING)
		return EBUSY;
	if (call_target_resolve(m, to, &t)) {
		snprintf(why, n, "no extension, queue or number '%s'", to);
		return EINVAL;
	}
	err = call_target_check(c, &t, why, n);
	if (err)
		return EINVAL;
	call_transfer_to(c, &t, "api");
	return 0;
}

int call_redirect(struct call_mgr *m, uint64_t key, const char *ext)
{
	struct call *c = NULL;
	int err;

	for (struct le *le = list_head(&m->calls); le && !c; le = le->next) {
		struct call *x = le->data;
		if (x->key == key && x->queued)
			c = x;
	}
	if (!c)
		return ENOENT;
	if (c->state != CALL_QUEUED || c->leaving || c->agent_leg.sess)
		return EBUSY;
	c->queued = false;
	c->fallback[0] = '\0';
	err = redirect_ring(c, ext);
	if (err)
		c->queued = true;
	return err;
}
