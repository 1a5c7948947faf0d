/* call/ivr: the "ivr" app, a caller in a voice menu (ivr/).
 *
 * A DID whose target is a flow answers the caller at once and runs the
 * flow's current version, pinned for the whole call. This file is the
 * interpreter's host: it turns what the run asks (ivr_out) into prompts on
 * the caller's media leg, the app's timer and, when the flow is done, a
 * handover to another app — queue, redirect (an extension), voicemail — or
 * a hang-up. Keys, prompt ends and timers go back to the run stamped with
 * the wall clock.
 *
 *   (INVITE) -> ivr -> queue      a queue node or the agent key (按键转人工)
 *                   -> redirect   a transfer node
 *                   -> voicemail  a voicemail node
 *                   -> (end)      a hangup node, the caller's BYE
 *
 * Facts that always hold:
 *  (1) A prompt the run asked for is heard, or the run is told it was:
 *      audio (speech, or an uploaded prompt read off the loop by the
 *      prompt store) that cannot be made or played counts as played at
 *      once, and
 *      a prompt whose end event is lost counts as played its length plus a
 *      margin after it started. So no caller waits in silence on us.
 *  (2) Only the newest prompt request counts: speech that arrives after
 *      the run moved on is dropped.
 *  (3) Every node visit is written (ivr_visits), the caller's hang-up in
 *      the flow included.
 *  (4) A look-up the run asked for is answered by the fetch (ivr/fetch:
 *      a JSON object, or an error the run takes its fail exit on), or the
 *      run's own deadline comes first; the fetch is cancelled when the run
 *      leaves the node by that deadline, when the caller is handed on and
 *      when the call ends, so no answer reaches a run that moved on. */
#include <errno.h>
#include <string.h>
#include <re.h>
#include "base/log.h"
#include "call/call_int.h"
#include "db/db.h"
#include "ivr/ivr.h"
#include "ivr/ivr_fetch.h"
#include "prompt/prompt.h"
#include "sip/sipx.h"

enum { PROMPT_MARGIN_MS = 2000 };

/* What a speech request names: the call's IVR state while it lives. */
struct token {
	struct call_ivr *iv;
	uint64_t seq;
};

struct call_ivr {
	struct call *c;
	struct ivr_run *run;
	uint64_t seq;                 /* prompts asked for so far */
	bool playing;                 /* a prompt plays or is being made */
	int64_t timer_at;             /* the run's timer, or 0 */
	unsigned visits;              /* visit rows written */
	struct token *pending;        /* the speech request in flight */
	struct ivr_fetch *fetch;      /* the look-up in flight, or NULL */
	int64_t fetch_at;             /* when it started (the log's ms) */
};

static void ivr_destroy(void *arg)
{
	struct call_ivr *iv = arg;

	if (iv->pending)
		iv->pending->iv = NULL;
	mem_deref(iv->pending);
	mem_deref(iv->fetch);
	ivr_run_free(iv->run);
}

static void apply(struct call_ivr *iv, const struct ivr_out *out);

/* The run's call data goes to the record as it is set, so the queue and
 * agent events and the stored call carry it, whatever ends the flow. */
static int copy_data(const char *section, const char *key, const char *value,
		     void *arg)
{
	struct call *c = arg;

	if (cdr_data_set(&c->rec, section, key, value) == ENOSPC)
		log_warn("ivr.data_full", "call=%s section=%s key=%s: not kept",
			 c->rec.id, section, key);
	return 0;
}

static void feed(struct call_ivr *iv, struct ivr_in *in)
{
	struct ivr_out out;

	in->now_ms = util_now_ms();
	if (ivr_run_feed(iv->run, in, &out))
		return;
	/* The lookup node takes keys and a prompt's end without leaving:
	 * only its deadline ends the look-up early. */
	if (in->kind == IVR_IN_TIMER)
		iv->fetch = mem_deref(iv->fetch);
	(void)ivr_run_data_each(iv->run, copy_data, iv->c);
	apply(iv, &out);
}

static void feed_kind(struct call_ivr *iv, enum ivr_in_kind kind)
{
	struct ivr_in in = {.kind = kind};

	feed(iv, &in);
}

/* The prompt in the run's hands is over (heard, or lost). */
static void prompt_over(struct call_ivr *iv)
{
	if (!iv->playing)
		return;
	iv->playing = false;
	feed_kind(iv, IVR_IN_PLAYED);
}

/* The app's one timer serves the run's timer, else the fallback for a
 * prompt whose end event never comes. */
static void timer_set(struct call_ivr *iv, uint32_t prompt_ms)
{
	int64_t now = util_now_ms();

	if (iv->timer_at)
		call_app_timer(iv->c, iv->timer_at > now ?
			       (uint64_t)(iv->timer_at - now) : 0);
	else if (iv->playing && prompt_ms)
		call_app_timer(iv->c, prompt_ms + PROMPT_MARGIN_MS);
	else if (!iv->playing)
		tmr_cancel(&iv->c->tmr);
}

static void on_speech(int err, struct media_prompt *p, void *arg)
{
	struct token *t = arg;
	struct call_ivr *iv = t->iv;

	if (!iv || t->seq != iv->seq || !iv->playing)
		return;
	iv->pending = mem_deref(iv->pending);
	if (err || media_leg_play(iv->c->cust.media, p, false)) {
		log_warn("ivr.prompt", "call=%s err=%s: taken as heard",
			 iv->c->rec.id, strerror(err ? err : EIO));
		prompt_over(iv);
		return;
	}
	timer_set(iv, media_prompt_ms(p));
}

/* Asks for p's audio: an uploaded prompt from the store, or text spoken;
 * either answers through on_speech, later, on the loop. */
static int ask(struct call_mgr *m, const struct ivr_prompt *p, struct token *t)
{
	if (p->file && *p->file)
		return m->o.prompts ? prompt_load(m->o.prompts, p->file,
						  on_speech, t) : ENOTSUP;
	if (p->text && *p->text)
		return m->o.tts ? media_tts_say(m->o.tts, p->voice, p->text,
						on_speech, t) : ENOTSUP;
	return EINVAL;
}

static void play(struct call_ivr *iv, const struct ivr_prompt *p)
{
	struct call_mgr *m = iv->c->mgr;
	struct token *t = mem_zalloc(sizeof(*t), NULL);
	int err = t ? 0 : ENOMEM;

	iv->seq++;
	iv->playing = true;
	if (iv->pending) {
		iv->pending->iv = NULL;
		iv->pending = mem_deref(iv->pending);
	}
	if (t) {
		t->iv = iv;
		t->seq = iv->seq;
		err = ask(m, p, t);
		if (!err)
			iv->pending = t;
		else
			mem_deref(t);
	}
	if (err) {
		log_warn("ivr.prompt", "call=%s text=%s file=%s err=%s: taken "
			 "as heard", iv->c->rec.id, p->text ? p->text : "",
			 p->file ? p->file : "", strerror(err));
		prompt_over(iv);
	}
}

/* The flow is done with the caller: the next app takes them. */
static void hand_on(struct call_ivr *iv, const struct ivr_out *out)
{
	struct call *c = iv->c;
	const char *cause = "ivr";
	int err = 0;

	tmr_cancel(&c->tmr);
	iv->fetch = mem_deref(iv->fetch);
	(void)media_leg_stop(c->cust.media);
	log_info("ivr.leave", "call=%s end=%d target=%s", c->rec.id,
		 (int)out->end, out->target ? out->target : "");
	switch (out->end) {
	case IVR_END_QUEUE:
		c->priority = out->priority;
		err = call_app_queue.take(c, out->target);
		cause = "queue";
		break;
	case IVR_END_TRANSFER:
		err = call_app_redirect.take(c, out->target);
		cause = "unreachable";
		break;
	case IVR_END_VOICEMAIL:
		err = call_app_voicemail.take(c, out->target);
		cause = "voicemail-failed";
		break;
	default:
		err = ECONNRESET;
		break;
	}
	if (err)
		call_end(c, "system", cause);
}

static void on_fetched(int err, const struct json_t *answer, void *arg)
{
	struct call_ivr *iv = arg;
	struct ivr_in in = {.kind = IVR_IN_LOOKUP, .lookup_err = err,
		.answer = answer};

	iv->fetch = mem_deref(iv->fetch);
	log_info("ivr.lookup", "call=%s err=%s ms=%lld", iv->c->rec.id,
		 err ? strerror(err) : "0",
		 (long long)(util_now_ms() - iv->fetch_at));
	feed(iv, &in);
}

/* Starts the run's look-up: 0, or the error it fails with at once. */
static int lookup(struct call_ivr *iv, const struct ivr_out *out)
{
	const char *self = iv->c->mgr->self_http;
	char url[1024];
	int err;

	iv->fetch = mem_deref(iv->fetch);
	iv->fetch_at = util_now_ms();
	/* "/path" is this center's own API, wherever it listens today. */
	if (out->url[0] == '/') {
		if (!self)
			return ENOENT;
		if ((size_t)snprintf(url, sizeof(url), "http://%s%s", self,
				     out->url) >= sizeof(url))
			return E2BIG;
	} else if (util_strlcpy(url, out->url, sizeof(url))) {
		return E2BIG;
	}
	err = ivr_fetch_start(&iv->fetch, out->method, url, out->body,
			      out->lookup_ms, on_fetched, iv);
	if (err)
		log_warn("ivr.lookup", "call=%s %s %s err=%s", iv->c->rec.id,
			 out->method, out->url, strerror(err));
	return err;
}

static void apply(struct call_ivr *iv, const struct ivr_out *out)
{
	struct call_mgr *m = iv->c->mgr;

	if (out->stop && iv->playing) {
		iv->playing = false;
		(void)media_leg_stop(iv->c->cust.media);
	}
	iv->timer_at = out->timer_at;
	if (out->want_flow) {
		struct ivr_in in = {.kind = IVR_IN_FLOW,
			.flow = ivr_store_get(m->o.ivr, out->want_flow)};

		feed(iv, &in);
		return;
	}
	if (out->end != IVR_END_NONE) {
		hand_on(iv, out);
		return;
	}
	if (out->play)
		play(iv, &out->prompt);
	if (out->lookup) {
		struct ivr_in in = {.kind = IVR_IN_LOOKUP};

		if ((in.lookup_err = lookup(iv, out))) {
			feed(iv, &in);
			return;
		}
	}
	if (iv->c->app == &call_app_ivr && !iv->c->ended)
		timer_set(iv, 0);
}

/* Each visit is a row: the IVR report reads them. */
static void on_visit(const struct ivr_visit *v, void *arg)
{
	struct call_ivr *iv = arg;
	struct call *c = iv->c;

	(void)db_write(c->mgr->o.db, "INSERT INTO ivr_visits (call_id, flow, "
		       "version, seq, node, kind, entered_at, left_at, exit, "
		       "digits, retries) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
		       "ttiittiitti", c->rec.id, v->flow, (int64_t)v->version,
		       (int64_t)iv->visits++, v->node, v->kind, v->entered_ms,
		       v->left_ms, v->exit, v->digits, (int64_t)v->retries);
}

/* Who calls, for the run's built-in variables. The region was looked up
 * with the call (b2bua.c): known here. */
static struct ivr_caller caller_of(const struct call *c)
{
	return (struct ivr_caller){
		.caller = c->rec.from, .did = c->rec.to, .call_id = c->rec.id,
		.province = c->rec.province[0] ? c->rec.province : NULL,
		.city = c->rec.city[0] ? c->rec.city : NULL,
	};
}

static void start(struct call *c, const struct sip_msg *msg, const char *name)
{
	struct call_mgr *m = c->mgr;
	struct ivr_flow *f = ivr_store_get(m->o.ivr, name);
	struct ivr_caller who = caller_of(c);
	const char *reason = NULL;
	uint16_t code = 0;
	struct call_ivr *iv;

	if (!f) {
		call_refuse(c, msg, 480, "Temporarily Unavailable (no such "
			    "IVR flow)");
		return;
	}
	iv = mem_zalloc(sizeof(*iv), ivr_destroy);
	if (!iv || ivr_run_alloc(&iv->run, f, &who, on_visit, iv)) {
		mem_deref(iv);
		call_refuse(c, msg, 500, "Server Internal Error");
		return;
	}
	iv->c = c;
	if (call_answer_caller(c, msg, &code, &reason)) {
		mem_deref(iv);
		if (c->cust.sess) {
			(void)sipx_sess_reject(c->cust.sess, code, reason);
			c->cust.sess = mem_deref(c->cust.sess);
			mem_deref(c);
			return;
		}
		call_refuse(c, msg, code, reason);
		return;
	}
	c->ivr = iv;
	list_append(&m->calls, &c->le, c);
	cdr_created(&c->rec);
	log_info("ivr.start", "call=%s from=%s to=%s flow=%s version=%u "
		 "province=%s city=%s", c->rec.id, c->rec.from, c->rec.to, name,
		 ivr_flow_version(f), who.province ? who.province : "-",
		 who.city ? who.city : "-");
	feed_kind(iv, IVR_IN_START);
}

/* A caller answered already (the survey after their agent hung up) runs
 * flow name from its start; the first flow's run, whose data the record
 * holds already, goes. */
static int take(struct call *c, const char *name)
{
	struct ivr_flow *f = ivr_store_get(c->mgr->o.ivr, name);
	struct ivr_caller who = caller_of(c);
	struct call_ivr *iv;

	if (!f)
		return ENOENT;
	iv = mem_zalloc(sizeof(*iv), ivr_destroy);
	if (!iv || ivr_run_alloc(&iv->run, f, &who, on_visit, iv)) {
		mem_deref(iv);
		return ENOMEM;
	}
	iv->c = c;
	mem_deref(c->ivr);
	c->ivr = iv;
	call_app_enter(c, &call_app_ivr);
	log_info("ivr.start", "call=%s flow=%s version=%u (taken over)",
		 c->rec.id, name, ivr_flow_version(f));
	feed_kind(iv, IVR_IN_START);
	return 0;
}

static void prompt_end(struct call *c, struct leg *l)
{
	if (!l->is_agent && c->ivr)
		prompt_over(c->ivr);
}

static void dtmf(struct call *c, struct leg *l, char digit)
{
	struct ivr_in in = {.kind = IVR_IN_KEY, .key = digit};

	if (!l->is_agent && c->ivr)
		feed(c->ivr, &in);
}

static void timeout(struct call *c)
{
	struct call_ivr *iv = c->ivr;

	if (!iv)
		return;
	if (iv->timer_at && util_now_ms() >= iv->timer_at) {
		iv->timer_at = 0;
		feed_kind(iv, IVR_IN_TIMER);
		return;
	}
	if (iv->timer_at) {          /* woken early: sleep on */
		timer_set(iv, 0);
		return;
	}
	log_warn("ivr.prompt", "call=%s: no end heard, taken as heard",
		 c->rec.id);
	prompt_over(iv);
}

/* The caller hung up in the flow: the run's last visit says so. */
static void end(struct call *c)
{
	if (!c->ivr)
		return;
	c->ivr->fetch = mem_deref(c->ivr->fetch);
	feed_kind(c->ivr, IVR_IN_HANGUP);
}

const struct call_app call_app_ivr = {
	.name = "ivr",
	.start = start,
	.take = take,
	.caller_cause = "ivr",
	.prompt_end = prompt_end,
	.dtmf = dtmf,
	.timeout = timeout,
	.end = end,
};
