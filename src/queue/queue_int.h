/* queue internals shared by the files of src/queue/ only (and their unit
 * tests). cfg.c and event.c are pure: JSON and structs in, structs and
 * JSON out, no I/O, so the tests need neither a loop nor a database. */
#ifndef HL_QUEUE_INT_H
#define HL_QUEUE_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <jansson.h>
#include "acd/acd.h"
#include "base/bus.h"
#include "base/field.h"
#include "base/util.h"
#include "queue/queue.h"
#include "report/report.h"

/* How long a queue with wrapup_required holds an agent in wrap-up when no
 * code is filed: a shift, so a forgotten desk does not block them for ever. */
enum { QUEUE_WRAPUP_HOLD_MS = 8 * 3600000 };
enum { QUEUE_STICKY_DAYS = 90, QUEUE_STICKY_MAX = 1000000 };
/* The administrator's two lists (codes.c). */
enum queue_code_kind { QUEUE_REASONS, QUEUE_WRAPUP_CODES };

/* ---- cfg.c: a queue's settings ---- */
/* struct queue_qcfg: queue.h */

/* The field descriptors of struct queue_qcfg (all but name), in the
 * order of the API's JSON; rows with a `column` live in the queues
 * table. */
const struct field *queue_qcfg_fields(size_t *n);
/* The defaults a new queue gets for every field it does not name. */
void queue_qcfg_default(struct queue_qcfg *q, const char *name);
/* Applies the fields of obj (a JSON object) over *q; unknown fields, wrong
 * types and values out of range are refused naming the field, *q then
 * unchanged. A queue name is 1..31 of [A-Za-z0-9_-]. */
int  queue_qcfg_apply(struct queue_qcfg *q, const json_t *obj, char *why,
		      size_t n);
/* The settings as a JSON object (the API's and the store's form). */
json_t *queue_qcfg_json(const struct queue_qcfg *q);
/* True for a valid queue name. */
bool queue_name_ok(const char *name);
/* True for a mailbox or an overflow's extension: 1..15 digits (an
 * extension's number). */
bool queue_box_ok(const char *box);
/* Checks an overflow destination of queue: "hangup", "queue:NAME" (not
 * queue itself), "extension:EXT" or "voicemail:MAILBOX"; EINVAL with why
 * otherwise. */
int  queue_overflow_check(const char *queue, const char *v, char *why,
			  size_t n);
/* The router's view of q; overflow's queue id through id_of (0: unknown,
 * refused with why). */
int  queue_qcfg_acd(const struct queue_qcfg *q, uint32_t id,
		    uint32_t (*id_of)(void *arg, const char *name), void *arg,
		    struct acd_queue_cfg *out, char *why, size_t n);
/* The KPI engine's view of q. */
void queue_qcfg_report(const struct queue_qcfg *q, struct report_queue_cfg *r);

/* One entry of an agent's "queues" (PUT /api/v1/agents/{ext}): skill and
 * position default to 0 and are 32-bit; a value out of range is refused
 * naming it ("queues[0].skill: want an integer -2147483648..2147483647").
 * The queue's existence is the caller's to check. */
struct queue_member_in {
	const char *queue;      /* borrowed from the JSON; NULL: not a string */
	int32_t skill, position;
};
int  queue_member_parse(const json_t *e, size_t i, struct queue_member_in *m,
			char *why, size_t n);

/* The agent id of extension ext: its number. EINVAL when not 1..2^32-1 in
 * plain digits. */
int  queue_agent_id(const char *ext, uint32_t *id);

/* ---- event.c: report events as bus events and back ---- */
/* The bus event of a report event (BUS_QUEUE_ANSWER, BUS_AGENT_STATE);
 * BUS_EV_COUNT, which bus_publish refuses, for a value that is none. */
enum bus_ev queue_ev_type(enum report_ev_type t);
/* ev as the bus event's data; call_id and reason are added when not NULL
 * or empty. */
json_t *queue_ev_json(const struct report_event *ev, const char *call_id,
		      const char *reason);
/* Back from a bus event: 0 with *ev filled (its queue and agent point into
 * data, valid while data lives); ENOENT for an event that is no report
 * event; EINVAL for a field missing or of the wrong type. */
int  queue_ev_parse(enum bus_ev id, const json_t *data,
		    struct report_event *ev);
/* The report state of a router state. */
enum report_agent_state queue_report_state(enum acd_agent_state s);
/* A router state from its API name ("ready", "not_ready", "logged_out"
 * and the others acd_state_name gives); EINVAL otherwise. */
int  queue_state_parse(const char *name, enum acd_agent_state *s);
/* ---- codes.c: not-ready reasons and wrap-up codes (pure) ---- */
enum { QUEUE_CODE_LEN = ACD_REASON_LEN, QUEUE_LABEL_LEN = 128 };

/* What a wrap-up code says of the call it closes, for first-call
 * resolution (report/read.c); stored as NULL, 1 or 0. */
enum queue_resolved {
	QUEUE_RESOLVED_UNSAID,           /* nothing: JSON null */
	QUEUE_RESOLVED_YES,              /* resolved: true */
	QUEUE_RESOLVED_NO,               /* not resolved: false */
};

struct queue_code {
	char code[QUEUE_CODE_LEN];
	char label_zh[QUEUE_LABEL_LEN], label_en[QUEUE_LABEL_LEN];
	char queue[QUEUE_NAME_LEN];      /* wrap-up codes: "" every queue */
	int32_t sort;                    /* lower first */
	bool active;                     /* false: kept, not offered */
	enum queue_resolved resolved;    /* wrap-up codes only */
};

/* One list, kept in (sort, code) order. Zeroed is empty. */
struct queue_codes {
	struct queue_code *v;
	size_t n;
};

/* True for a code: 1..QUEUE_CODE_LEN-1 of [A-Za-z0-9_-]. */
bool queue_code_ok(const char *code);
/* Applies obj over *c (create: a new row; code and both labels required,
 * active defaults to true). Unknown fields, "queue" in a reason, a changed
 * code and bad values are refused naming the field, *c then unchanged.
 * Whether a named queue exists is the caller's to check. */
int  queue_code_apply(enum queue_code_kind k, struct queue_code *c,
		      const json_t *obj, bool create, char *why, size_t n);
/* One row as the API shows it (wrap-up codes with "queue", null: all). */
json_t *queue_code_json(enum queue_code_kind k, const struct queue_code *c);
/* {"items": [rows in order]}. */
json_t *queue_codes_json(enum queue_code_kind k, const struct queue_codes *s);
/* The row of code, or NULL. */
const struct queue_code *queue_code_find(const struct queue_codes *s,
					 const char *code);
/* Adds c or replaces the row of its code; the order is kept. ENOMEM. */
int  queue_codes_put(struct queue_codes *s, const struct queue_code *c);
/* Removes code's row; false when there was none. */
bool queue_codes_del(struct queue_codes *s, const char *code);
void queue_codes_free(struct queue_codes *s);

/* ---- sticky.c: who last served each caller (memory, bounded) ---- */
struct queue_sticky;

/* An empty memory for at most max callers; *sp is the caller's. */
int  queue_sticky_alloc(struct queue_sticky **sp, size_t max);
/* Frees it; NULL is fine. */
void queue_sticky_free(struct queue_sticky *s);
/* Remembers that agent answered caller at ms; an older ms than the one
 * remembered changes nothing. At max callers, the older half (by ms) is
 * forgotten first. EINVAL: no caller (or longer than ACD_CALLER_LEN - 1)
 * or agent 0. */
int  queue_sticky_put(struct queue_sticky *s, const char *caller,
		      uint32_t agent, int64_t ms);
/* 0 with the last agent and when; ENOENT when caller is not remembered. */
int  queue_sticky_get(const struct queue_sticky *s, const char *caller,
		      uint32_t *agent, int64_t *ms);
/* Callers remembered. */
size_t queue_sticky_count(const struct queue_sticky *s);

/* ---- index.c: key → array slot, open addressing ---- */
#define QH_INDEX_NONE UINT32_MAX

/* Slot numbers, not pointers: the indexed arrays may be realloc'd. Zeroed
 * is empty; qh_index_free it. */
struct qh_index {
	uint64_t *keys;
	uint32_t *slots;         /* QH_INDEX_NONE: an empty entry */
	size_t cap, n;           /* entries, at most half of cap */
};

void qh_index_free(struct qh_index *ix);
/* Forgets every entry, keeping the room. */
void qh_index_clear(struct qh_index *ix);
/* Adds key → slot (a key may map to several slots); ENOMEM. */
int  qh_index_put(struct qh_index *ix, uint64_t key, uint32_t slot);
/* Removes key → slot; false when it is not there. */
bool qh_index_del(struct qh_index *ix, uint64_t key, uint32_t slot);
/* Re-points key → from at to (an element moved); false when absent. */
bool qh_index_move(struct qh_index *ix, uint64_t key, uint32_t from,
		   uint32_t to);
/* A slot key maps to that match accepts (NULL: the first), else
 * QH_INDEX_NONE. */
uint32_t qh_index_find(const struct qh_index *ix, uint64_t key,
		       bool (*match)(void *arg, uint32_t slot), void *arg);
/* The key of a string (FNV-1a). */
uint64_t qh_index_str(const char *s);

/* ---- the running host (host.c, agents.c, store.c, live.c) ---- */
struct tmr;

struct media_prompt;

struct qh_queue {
	uint32_t id;
	struct queue_qcfg cfg;
	struct media_prompt *goodbye;    /* cfg.overflow_prompt loaded, or
					  * NULL; one reference */
	uint32_t goodbye_ms;             /* its length */
};

struct qh_agent {
	uint32_t id;
	char ext[QUEUE_EXT_LEN];
	enum report_agent_state rstate;  /* as last published */
	int64_t since;                   /* entered rstate */
	int64_t ring_at;                 /* the current offer rang since */
	char last_queue[QUEUE_NAME_LEN]; /* of the last call: wrap-up's */
	int64_t last_enter, wrap_at;
	bool stored;                     /* agent_state had a row at start */
	char wrap_call[UTIL_ID_LEN];     /* the call of the current or last
					  * wrap-up: a code filed for it ends
					  * the wrap-up */
};

struct qh_call {
	uint64_t key;
	char id[UTIL_ID_LEN];
	char queue[QUEUE_NAME_LEN];
	int64_t enter_ms, answer_ms;
	uint32_t agent;                  /* connected agent, else 0 */
	char caller[ACD_CALLER_LEN];     /* for the sticky memory, or "" */
	int64_t hold_at;                 /* the agent's hold began, else 0 */
	int64_t hold_ms;                 /* the agent's holds so far */
	int64_t ann_due;                 /* next announcement; 0: unplanned */
	bool ann_busy;                   /* its speech is being made */
};

/* An action copied out of the router's callback, done after it returns. */
struct qh_pending {
	struct acd_action a;
	char reason[ACD_WHY_LEN];
	struct acd_dest dest;
};

struct queue_host {
	struct queue_opts o;
	struct acd *acd;
	struct report_set *rs;
	struct qh_queue *queues;
	size_t nqueues;
	struct qh_agent *agents;
	size_t nagents;
	struct qh_call *calls;
	size_t ncalls, capcalls;
	struct qh_pending *pend;
	size_t npend, cappend;
	struct queue_sticky *sticky;     /* who last served each caller */
	queue_owner_h *owner;            /* who owns each caller, or NULL */
	void *owner_arg;
	bool draining;
	int64_t checkpoint_at;           /* interval start last checkpointed */
	int64_t day;                     /* UTC day of today's counters */
	struct tmr *tick, *flush;        /* libre timers (host.c) */
	struct qh_ann *ann;              /* announcements (announce.c) */
	/* Look-ups (host.c). An index whose entry count differs from its
	 * array's is rebuilt before use, so appending or swap-removing
	 * without telling it stays correct; calls are kept up to date one
	 * by one (qh_call_drop) since they change on every call. */
	struct qh_index ix_qname, ix_qid, ix_agent, ix_call;
	/* KPI buckets of intervals from here on (a UTC day start) are held
	 * whole in rs; older ones are rows of kpi_buckets (store.c). */
	int64_t kpi_horizon;
	/* The queues each agent serves as last given to the router, in
	 * queue_members_read's form ({ext: [{"queue","skill","position"}…]}),
	 * so the live view needs no database read (view.c); NULL: none yet. */
	json_t *members;
	/* The administrator's lists (codes_host.c), whole in memory: the
	 * state change and the live view check and label with no read. */
	struct queue_codes reasons, wcodes;
};

struct qh_queue *qh_queue_by_name(struct queue_host *h, const char *name);
struct qh_queue *qh_queue_by_id(struct queue_host *h, uint32_t id);
struct qh_agent *qh_agent_by_id(struct queue_host *h, uint32_t id);
struct qh_agent *qh_agent_by_ext(struct queue_host *h, const char *ext);
/* The agent of an enabled extension, made known to the host (and the
 * router, serving no queue) the first time it is named; NULL when ext is
 * no enabled extension (store.c). For the API and the phone's events;
 * a pointer from it is good until the next agent is learnt. */
struct qh_agent *qh_agent_learn(struct queue_host *h, const char *ext);
/* Learns every enabled extension the registrar has (the live list shows
 * them all); pointers into the agents are stale after it. */
void qh_agents_learn_all(struct queue_host *h);
/* True when the agent's extension was deleted or disabled since it was
 * learnt: no agent any more, though the host remembers it. */
bool qh_agent_gone(const struct queue_host *h, const char *ext);
struct qh_call  *qh_call_find(struct queue_host *h, uint64_t key);
/* Removes live call c (a pointer into h->calls) by moving the last one
 * into its place: pointers to calls are valid only until then. */
void qh_call_drop(struct queue_host *h, struct qh_call *c);
/* Carries out the router's queued actions, then re-arms the tick timer;
 * now is the time of the event being handled (qh_drain reads the clock). */
void qh_drain(struct queue_host *h);
void qh_drain_at(struct queue_host *h, int64_t now);
/* Publishes a report event on the bus (the fold and the event log read
 * it there). */
void qh_publish(struct queue_host *h, const struct report_event *ev,
		const char *call_id, const char *reason);
/* Books every logged-in agent's time so far (checkpoint events). */
void qh_checkpoint(struct queue_host *h, int64_t now);

/* store.c */
/* Gives q's settings to the router and the KPI engine (overflow false:
 * as if it overflowed to hang-up, for the first pass over every queue). */
int  qh_queue_apply(struct queue_host *h, const struct qh_queue *q,
		    bool overflow, char *why, size_t n);
/* Queues q's row for the database. */
void qh_queue_store(struct queue_host *h, const struct qh_queue *q);
/* Gives agent ext the queues its queue_members rows name. */
int  qh_agent_apply(struct queue_host *h, const char *ext, char *why,
		    size_t n);
int  qh_load_queues(struct queue_host *h, char *why, size_t n);
int  qh_load_agents(struct queue_host *h, char *why, size_t n);
int  qh_restore_states(struct queue_host *h, char *why, size_t n);
/* Queues agent id's row of agent_state, as of now. */
void qh_save_agent(struct queue_host *h, uint32_t id, int64_t now);
/* Loads the KPI buckets of today (from kpi_horizon) into h->rs. */
int  qh_load_buckets(struct queue_host *h);
/* The stored buckets of scope and name (NULL: every queue, the '*' rows
 * that sum them per interval, migration 048) whose interval starts in
 * [from_ms, to_ms), read from db into a new set *out (the caller's:
 * report_set_free). With interval_ms a whole number of days, each whole
 * UTC day inside the span is one bucket at the day's start (kpi_days,
 * migration 047: the sum of its 15-minute rows), fit for sums over whole
 * days only. Reads only the database, so it may run off the loop. */
int  qh_kpi_stored(struct db *db, enum report_scope scope, const char *name,
		   int64_t from_ms, int64_t to_ms, int64_t interval_ms,
		   struct report_set **out);
/* Fills the sticky memory from the calls answered in the last
 * QUEUE_STICKY_DAYS days. */
int  qh_load_sticky(struct queue_host *h);
/* Stores the changed KPI buckets, drops those no longer held (below the
 * horizon, which moves to now's day once the day has turned). */
void qh_flush_buckets(struct queue_host *h, int64_t now);
/* Builds the members of every agent from the queue_members rows and
 * applies them to the router. */
int  qh_apply_members(struct queue_host *h, char *why, size_t n);

/* view.c: notes that agent ext now serves m[0..nm) (the router took
 * it), for the live view. */
void qh_members_note(struct queue_host *h, const char *ext,
		     const struct acd_member *m, size_t nm);

/* goodbye.c: the overflow prompt (cfg.overflow_prompt), kept apart from
 * the queue row's other columns */
struct qh_goodbye {
	bool named;                      /* the change names overflow_prompt */
	struct media_prompt *prompt;     /* loaded from it, or NULL for "" */
	uint32_t ms;
};
/* Loads the prompt cfg names when body names overflow_prompt (reads the
 * disk). EINVAL with why ("overflow_prompt: …") when it cannot be loaded. */
int  qh_goodbye_load(const struct queue_qcfg *cfg, const json_t *body,
		     struct qh_goodbye *g, char *why, size_t n);
/* Gives q the loaded prompt (when named), dropping its old one; g is
 * spent. */
void qh_goodbye_set(struct qh_queue *q, struct qh_goodbye *g);
/* Drops a loaded prompt that was not used. */
void qh_goodbye_drop(struct qh_goodbye *g);
/* Queues q's overflow_prompt for the database. */
void qh_goodbye_store(struct queue_host *h, const struct qh_queue *q);
/* At start: every queue's stored overflow_prompt, loaded; a file that no
 * longer loads is logged and its queue hangs up without a prompt. */
int  qh_goodbye_load_all(struct queue_host *h);
/* control.c: call control of connected calls (the call manager's hold,
 * transferred and has_queue hooks) and overflow to an extension */
void qh_on_hold(void *arg, uint64_t key, bool on, int64_t at_ms);
void qh_on_transferred(void *arg, uint64_t key, const char *target);
bool qh_has_queue(void *arg, const char *name);
/* The supervisors setting of queue name, or NULL for none
 * (call_queue_ops). */
const char *qh_supervisors(void *arg, const char *name);
/* The survey flow of queue name, or NULL for none (call_queue_ops). */
const char *qh_survey(void *arg, const char *name);
/* call_queue_ops.consent: the queue's consent prompt. */
bool qh_consent(void *arg, const char *name, const char **text,
		const char **file);
/* Ends c's open hold at now (queue.hold_stop); the call's hold so far. */
int64_t qh_hold_close(struct queue_host *h, struct qh_call *c, int64_t now);
/* Overflow of call key to extension ext (queue.overflow already out): the
 * call leaves the host and rings ext, or is hung up when it cannot. */
void qh_overflow_extension(struct queue_host *h, uint64_t key,
			   const char *ext);
/* ---- announce.c: position and estimated-wait announcements ----
 * The pure rules first (docs/acd.md, "Announcements"). */
enum { QUEUE_DEFAULT_AHT_MS = 180000 };  /* before any call today */

/* True when other is ahead of me in the line: same queue, not connected,
 * and higher priority, or the same priority and an earlier arrival. */
bool queue_ann_ahead(const struct acd_call_info *other,
		     const struct acd_call_info *me);
/* The callers ahead of me among v[0..n) (me may be among them). */
uint32_t queue_ann_position(const struct acd_call_info *me,
			    const struct acd_call_info *v, size_t n);
/* Average handle time (talk + hold + wrap-up per completed call) of a
 * day's bucket; QUEUE_DEFAULT_AHT_MS before the first completed call. */
int64_t queue_ann_aht_ms(const struct report_bucket *today);
/* Estimated wait in seconds for a caller with position callers ahead:
 * (position + 1) × aht / staffed agents (at least one), rounded up to
 * whole minutes, at least one minute, at most 99. */
int64_t queue_ann_ewt_s(uint32_t position, int64_t aht_ms,
			uint32_t staffed);
/* True for a language announcements are written in ("zh", "en"). */
bool queue_ann_lang_ok(const char *lang);
/* The sentence for lang saying what pos and wait ask for into buf;
 * EINVAL for another language or neither part, ENOSPC if n is short. */
int  queue_ann_text(char *buf, size_t n, const char *lang, bool pos,
		    bool wait, uint32_t position, int64_t ewt_s);

/* The announcer of the running host: a one-second timer over the waiting
 * calls, speech through o.tts. Without o.tts it does nothing. */
int  qh_ann_start(struct queue_host *h);
void qh_ann_stop(struct queue_host *h);
/* The announcement settings of every queue from queue_announce, and one
 * queue's stored there. */
int  qh_ann_load(struct queue_host *h);
void qh_ann_store(struct queue_host *h, const struct qh_queue *q);

/* codes_host.c: the lists from the database at start; the wrap-up filed
 * for a call (bus call.wrapup) ends its agent's wrap-up */
int  qh_codes_load(struct queue_host *h);
void qh_on_wrapup_bus(const struct bus_event *ev, void *arg);
/* Adds to agent ag's live object o its reason's labels (null when the
 * reason is none of the list's: "login", "no-answer", "phone"), and while
 * in wrap-up its call, the queue's wrapup_ms and wrapup_required. */
void qh_agent_wrapup_json(struct queue_host *h, const struct qh_agent *ag,
			  const struct acd_agent_info *ai, json_t *o);

/* agents.c: registrations, feature codes and state changes */
int  qh_feature(void *arg, const char *ext, const char *code);
void qh_on_agent_bus(const struct bus_event *ev, void *arg);
void qh_login_registered(struct queue_host *h);


/* ---- the API's JSON (live.c, view.c, codes.c; only queue/ calls them:
 * other modules use queue.h's structs) ---- */
/* queue_members_read as JSON, {ext: [{"queue","skill","position"}…]} in
 * queue order: on a worker. *out is the caller's. */
int  qh_members_read_json(struct db *db, const char *ext, json_t **out);
/* The functions below run on the loop thread. */
/* Live queues: waiting, longest wait, agents by state, today's figures. */
int  queue_live_queues(struct queue_host *h, json_t **out);
/* Live agents: state, reason, time in state, today's counters, and their
 * queues from members (qh_members_read_json of every agent). */
int  queue_live_agents(struct queue_host *h, const json_t *members,
		       json_t **out);
/* The live view's parts (mod_live_part bits of base/mod.h): "agents" and
 * "queues" arrays added to data, items as the two above list them, the
 * agents' queues as the router serves them; memory only (view.c). */
int  queue_live_view(struct queue_host *h, unsigned parts, json_t *data);
/* Sets agent ext to "ready", "not_ready" (reason: an active not-ready
 * reason's code, EINVAL otherwise) or "logged_out". */
int  queue_agent_state_set(struct queue_host *h, const char *ext,
			   const char *state, const char *reason, char *why,
			   size_t n);
/* The administrator's lists: not-ready reasons (what PUT state's reason
 * must name) and wrap-up codes (filed with a call, POST
 * /api/v1/calls/{id}/wrapup). Every row in order, {"items": […]}; create
 * one from JSON (EEXIST when its code is taken); change one (ENOENT); remove
 * one. Writes are queued (db_write); EINVAL names the field in why. */
int  queue_codes_list(struct queue_host *h, enum queue_code_kind k,
		      json_t **out);
int  queue_codes_create(struct queue_host *h, enum queue_code_kind k,
			const json_t *body, json_t **out, char *why, size_t n);
int  queue_codes_update(struct queue_host *h, enum queue_code_kind k,
			const char *code, const json_t *body, json_t **out,
			char *why, size_t n);
int  queue_codes_delete(struct queue_host *h, enum queue_code_kind k,
			const char *code, char *why, size_t n);

/* Queue configuration: every queue as stored, with its members from
 * members (qh_members_read_json of every agent); create or replace one
 * from a JSON object (docs/api.md lists the fields); remove an idle one. */
int  queue_cfg_list(struct queue_host *h, const json_t *members,
		    json_t **out);
int  queue_cfg_put(struct queue_host *h, const char *name, const json_t *body,
		   char *why, size_t n);
int  queue_cfg_delete(struct queue_host *h, const char *name, char *why,
		      size_t n);
/* Agent configuration: the queues agent ext serves, from members
 * (qh_members_read_json), as
 * {"ext":EXT,"queues":[{"queue":NAME,"skill":N,"position":N}…]}. */
int  queue_agent_cfg_get(struct queue_host *h, const char *ext,
			 const json_t *members, json_t **out);
/* Applies to the router, then queues the write (db_write): read it back
 * with qh_members_read_json, which waits for it. */
int  queue_agent_cfg_put(struct queue_host *h, const char *ext,
			 const json_t *body, char *why, size_t n);

/* Queue name's configuration as JSON (queue_qcfg_json): 0 or ENOENT. */
int  queue_cfg_get_json(struct queue_host *h, const char *name,
			json_t **out);

#endif
