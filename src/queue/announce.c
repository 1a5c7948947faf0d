/* queue/announce: what a queue tells its waiting callers. Every caller of
 * a queue with announce_s > 0 who is waiting (not yet connected) hears,
 * announce_s after entering and then announce_s after each announcement
 * ended, how many callers are ahead and about how long the wait is, spoken
 * by text-to-speech in the queue's language in place of the music on hold.
 *
 * The rules (the pure functions below; docs/acd.md, "Announcements"):
 *  - callers ahead: live calls of the same queue not yet connected, with a
 *    higher priority, or the same priority and an earlier arrival (the
 *    router's order; a ringing call ahead is still ahead);
 *  - estimated wait: (ahead + 1) × the queue's average handle time today
 *    (3 minutes before its first completed call) / its staffed agents
 *    (ready, ringing, talking or in wrap-up; at least one), rounded up to
 *    whole minutes, at least 1 and at most 99.
 *
 * The host side: a one-second timer walks the host's calls; a call whose
 * announcement is due has its sentence asked of media/tts (never waited
 * for), and when the prompt comes back on the loop it is played through
 * call_announce and queue.announce published. A call being offered to an
 * agent is not interrupted: its announcement waits a second and is tried
 * again. Each request holds a reference to the announcer, which outlives
 * the host until the last answer from the TTS worker has been dropped. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <re_types.h>
#include <re_mem.h>
#include <re_list.h>
#include <re_tmr.h>
#include "base/log.h"
#include "call/call.h"
#include "db/db.h"
#include "media/media.h"
#include "queue/queue_int.h"

enum {
	TICK_MS = 1000,
	POSTPONE_MS = 1000,   /* ringing, or the last one still playing */
	DAY_MS = 86400000,
	EWT_MAX_MIN = 99,
	TEXT_LEN = 256,
};

/* ---- the rules ---- */

bool queue_ann_ahead(const struct acd_call_info *other,
		     const struct acd_call_info *me)
{
	if (other->id == me->id || other->queue_id != me->queue_id ||
	    other->state == ACD_CALL_CONNECTED)
		return false;
	return other->priority > me->priority ||
	       (other->priority == me->priority && other->seq < me->seq);
}

uint32_t queue_ann_position(const struct acd_call_info *me,
			    const struct acd_call_info *v, size_t n)
{
	uint32_t ahead = 0;

	for (size_t i = 0; i < n; i++)
		if (queue_ann_ahead(&v[i], me))
			ahead++;
	return ahead;
}

int64_t queue_ann_aht_ms(const struct report_bucket *today)
{
	if (!today || today->completed <= 0)
		return QUEUE_DEFAULT_AHT_MS;
	return (today->talk_ms + today->hold_ms + today->wrap_ms) /
		today->completed;
}

int64_t queue_ann_ewt_s(uint32_t position, int64_t aht_ms, uint32_t staffed)
{
	int64_t per = aht_ms > 0 ? aht_ms : 0, agents = staffed ? staffed : 1;
	/* Past this the answer is the maximum; checking first keeps the
	 * product from overflowing. */
	int64_t limit = (int64_t)EWT_MAX_MIN * 60000 * agents;
	int64_t min;

	if (per && (int64_t)position + 1 > limit / per)
		return EWT_MAX_MIN * 60;
	min = (((int64_t)position + 1) * per / agents + 59999) / 60000;

	if (min < 1)
		min = 1;
	if (min > EWT_MAX_MIN)
		min = EWT_MAX_MIN;
	return min * 60;
}

/* A language's sentence parts; %u is the callers ahead, %lld minutes. */
static const struct lang {
	const char *name, *voice;
	const char *next, *one, *many;          /* 0, 1, n ahead */
	const char *wait_one, *wait_many;       /* 1, n minutes */
	const char *join, *end;
} langs[] = {
	{"zh", "zh", "您是下一位", "您前面还有1位客户", "您前面还有%u位客户",
	 "预计等待约1分钟", "预计等待约%lld分钟", "，", "。"},
	{"en", "en", "You are next in line", "There is 1 caller ahead of you",
	 "There are %u callers ahead of you",
	 "Your estimated wait is about 1 minute",
	 "Your estimated wait is about %lld minutes", ". ", "."},
};

static const struct lang *lang_find(const char *name)
{
	for (size_t i = 0; name && i < ARRAY_LEN(langs); i++)
		if (!strcmp(langs[i].name, name))
			return &langs[i];
	return NULL;
}

bool queue_ann_lang_ok(const char *lang)
{
	return lang_find(lang) != NULL;
}

int queue_ann_text(char *buf, size_t n, const char *lang, bool pos,
		   bool wait, uint32_t position, int64_t ewt_s)
{
	const struct lang *l = lang_find(lang);
	long long min = (long long)(ewt_s / 60);
	char a[96] = "", b[96] = "";
	int len;

	if (!l || (!pos && !wait))
		return EINVAL;
	if (pos)
		snprintf(a, sizeof(a), position == 0 ? l->next :
			 position == 1 ? l->one : l->many, position);
	if (wait)
		snprintf(b, sizeof(b), min <= 1 ? l->wait_one : l->wait_many,
			 min);
	len = snprintf(buf, n, "%s%s%s%s", a, pos && wait ? l->join : "", b,
		       l->end);
	return len < 0 || (size_t)len >= n ? ENOSPC : 0;
}

/* ---- the host side ---- */

struct qh_ann {
	struct queue_host *h;            /* NULL once the host has stopped */
	struct tmr tmr;
	struct acd_call_info *scratch;   /* the calls of one queue */
	size_t cap;
	bool disabled_logged;
};

/* One sentence asked of the TTS worker for one call. */
struct ann_req {
	struct qh_ann *a;                /* ref */
	uint64_t key;
	uint32_t position;
	int64_t ewt_s;
	char lang[QUEUE_LANG_LEN];
};

static void req_destroy(void *arg)
{
	struct ann_req *r = arg;
	mem_deref(r->a);
}

static void ann_destroy(void *arg)
{
	struct qh_ann *a = arg;

	tmr_cancel(&a->tmr);
	free(a->scratch);
}

/* The callers ahead of call c (in the router as *me). */
static uint32_t position_of(struct qh_ann *a, const struct qh_call *c,
			    const struct acd_call_info *me)
{
	struct queue_host *h = a->h;
	size_t n = 0;

	for (size_t i = 0; i < h->ncalls; i++) {
		const struct qh_call *o = &h->calls[i];

		if (o->agent || strcmp(o->queue, c->queue))
			continue;
		if (n == a->cap) {
			size_t cap = a->cap ? a->cap * 2 : 64;
			struct acd_call_info *v = realloc(a->scratch,
							  cap * sizeof(*v));
			if (!v)
				break;   /* fewer ahead said than are: harmless */
			a->scratch = v;
			a->cap = cap;
		}
		if (!acd_call_get(h->acd, o->key, &a->scratch[n]))
			n++;
	}
	return queue_ann_position(me, a->scratch, n);
}

static int64_t ewt_of(struct queue_host *h, const struct qh_queue *q,
		      uint32_t position, int64_t now)
{
	struct report_bucket today;
	struct acd_queue_info qi;
	int64_t day = now - now % DAY_MS;
	uint32_t staffed = 0;

	if (report_sum(h->rs, REPORT_QUEUE, q->cfg.name, day, day + DAY_MS,
		       &today))
		memset(&today, 0, sizeof(today));
	if (!acd_queue_get(h->acd, q->id, &qi))
		staffed = qi.agents[ACD_READY] + qi.agents[ACD_RINGING] +
			qi.agents[ACD_TALKING] + qi.agents[ACD_WRAP_UP];
	return queue_ann_ewt_s(position, queue_ann_aht_ms(&today), staffed);
}

static void publish(struct queue_host *h, const struct qh_call *c,
		    const struct ann_req *r, int64_t now)
{
	json_t *d = json_pack("{s:s, s:s, s:i, s:I, s:s}", "call_id", c->id,
			      "queue", c->queue, "position", (int)r->position,
			      "ewt_s", (json_int_t)r->ewt_s, "lang", r->lang);

	log_info("queue.announce", "call=%s queue=%s position=%u ewt_s=%lld "
		 "lang=%s", c->id, c->queue, r->position, (long long)r->ewt_s,
		 r->lang);
	bus_publish(h->o.bus, BUS_QUEUE_ANNOUNCE, c->id, now, d);
}

/* The sentence is ready (on the loop): play it if the caller still waits. */
static void on_spoken(int err, struct media_prompt *p, void *arg)
{
	struct ann_req *r = arg;
	struct queue_host *h = r->a->h;
	struct qh_call *c = h ? qh_call_find(h, r->key) : NULL;
	struct qh_queue *q = c ? qh_queue_by_name(h, c->queue) : NULL;
	int64_t now = util_now_ms();

	if (!c)
		return;
	c->ann_busy = false;
	if (!q || !q->cfg.announce_s)
		return;
	if (!err)
		err = call_announce(h->o.calls, r->key, p);
	if (!err) {
		c->ann_due = now + (int64_t)media_prompt_len(p) * 1000 /
			MEDIA_RATE + q->cfg.announce_s * 1000;
		publish(h, c, r, now);
	} else if (err == EBUSY) {
		c->ann_due = now + POSTPONE_MS;
	} else if (err != ENOENT) {
		log_warn("queue.announce_failed", "call=%s err=%s", c->id,
			 strerror(err));
		c->ann_due = now + q->cfg.announce_s * 1000;
	}
}

/* Asks for c's announcement if it is due; otherwise plans it. */
static void consider(struct qh_ann *a, struct qh_call *c, int64_t now)
{
	struct queue_host *h = a->h;
	struct qh_queue *q = qh_queue_by_name(h, c->queue);
	struct acd_call_info me;
	struct ann_req *r;
	char text[TEXT_LEN];
	int err;

	if (!q || !q->cfg.announce_s || c->agent) {
		c->ann_due = 0;    /* switched on later: counted from then */
		return;
	}
	if (c->ann_busy)
		return;
	if (!c->ann_due)
		c->ann_due = (c->enter_ms > now - q->cfg.announce_s * 1000 ?
			      c->enter_ms : now) + q->cfg.announce_s * 1000;
	if (now < c->ann_due || acd_call_get(h->acd, c->key, &me))
		return;
	if (me.state != ACD_CALL_WAITING) {
		c->ann_due = now + POSTPONE_MS;   /* ringing: not now */
		return;
	}
	r = mem_zalloc(sizeof(*r), req_destroy);
	if (!r)
		return;
	r->a = mem_ref(a);
	r->key = c->key;
	r->position = position_of(a, c, &me);
	r->ewt_s = ewt_of(h, q, r->position, now);
	util_strlcpy(r->lang, q->cfg.announce_lang, sizeof(r->lang));
	err = queue_ann_text(text, sizeof(text), r->lang,
			     q->cfg.announce_position, q->cfg.announce_wait,
			     r->position, r->ewt_s);
	if (!err)
		err = media_tts_say(h->o.tts, lang_find(r->lang)->voice, text,
				    on_spoken, r);
	mem_deref(r);
	if (err) {
		/* Nothing to say (both parts off) or the worker is busy:
		 * try again a period later. */
		if (err != EINVAL)
			log_warn("queue.announce_failed", "call=%s err=%s",
				 c->id, strerror(err));
		c->ann_due = now + q->cfg.announce_s * 1000;
		return;
	}
	c->ann_busy = true;
}

static void on_tick(void *arg)
{
	struct qh_ann *a = arg;
	struct queue_host *h = a->h;
	int64_t now = util_now_ms();

	for (size_t i = 0; i < h->ncalls; i++)
		consider(a, &h->calls[i], now);
	tmr_start(&a->tmr, TICK_MS, on_tick, a);
}

int qh_ann_start(struct queue_host *h)
{
	struct qh_ann *a;

	if (!h->o.tts) {
		log_info("queue.announce_off", "reason=no text-to-speech");
		return 0;
	}
	a = mem_zalloc(sizeof(*a), ann_destroy);
	if (!a)
		return ENOMEM;
	a->h = h;
	tmr_init(&a->tmr);
	tmr_start(&a->tmr, TICK_MS, on_tick, a);
	h->ann = a;
	return 0;
}

void qh_ann_stop(struct queue_host *h)
{
	struct qh_ann *a = h->ann;

	if (!a)
		return;
	h->ann = NULL;
	a->h = NULL;               /* answers still on their way find no host */
	tmr_cancel(&a->tmr);
	mem_deref(a);
}

/* ---- settings in the database ---- */

static int ann_row(const struct db_row *row, void *arg)
{
	struct queue_host *h = arg;
	struct qh_queue *q = qh_queue_by_name(h, db_row_text(row, 0));
	const char *lang = db_row_text(row, 4);

	if (!q)
		return 0;
	q->cfg.announce_s = db_row_int(row, 1);
	q->cfg.announce_position = db_row_int(row, 2) != 0;
	q->cfg.announce_wait = db_row_int(row, 3) != 0;
	if (queue_ann_lang_ok(lang))
		util_strlcpy(q->cfg.announce_lang, lang,
			     sizeof(q->cfg.announce_lang));
	return 0;
}

int qh_ann_load(struct queue_host *h)
{
	return db_query(h->o.db, ann_row, h, "SELECT queue, period_s, "
			"position, wait, lang FROM queue_announce", "");
}

void qh_ann_store(struct queue_host *h, const struct qh_queue *q)
{
	const struct queue_qcfg *c = &q->cfg;

	db_write(h->o.db, "INSERT INTO queue_announce (queue, period_s, "
		 "position, wait, lang) VALUES (?, ?, ?, ?, ?) ON CONFLICT"
		 "(queue) DO UPDATE SET period_s = excluded.period_s, position"
		 " = excluded.position, wait = excluded.wait, lang = "
		 "excluded.lang", "tiiit", c->name, c->announce_s,
		 (int64_t)c->announce_position, (int64_t)c->announce_wait,
		 c->announce_lang);
}
