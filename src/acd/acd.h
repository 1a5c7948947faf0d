/* acd: automatic call distribution. Which ready agent gets which waiting call,
 * across many queues, by each queue's strategy. This is the router alone;
 * it has two hosts that feed it and carry out what it decides: queue/ in
 * `hotline serve` (real calls and phones) and sim/ in `hotline sim`
 * (simulated ones).
 *
 * Pure: no I/O, no clock, no libre. Time comes in as now_ms (int64 ms; the
 * router never lets it run backwards: an earlier value counts as the latest
 * seen). The host feeds events and executes the actions the router emits
 * through its callback; `hotline serve` and `hotline sim` drive this same
 * code, so for the same inputs (and seed) they see the same decisions.
 *
 * Every public function first runs the timers due at or before now_ms, each
 * at its own deadline, so a host that ticks late sees what a punctual one
 * sees. Functions return 0 or a positive errno code: ENOENT (unknown agent,
 * queue or call), EEXIST (call id already live), EINVAL (bad argument or a
 * transition the current state does not allow), EBUSY (called from inside
 * the action callback), ENOMEM. Ids are the host's: agents uint32, queues
 * uint32, calls uint64 (0 is a valid id for none of them). Running out of
 * memory in the middle of a decision aborts (a half-made decision would
 * break the invariants); creating a call, agent or queue returns ENOMEM. */
#ifndef HL_ACD_ACD_H
#define HL_ACD_ACD_H

#include <stddef.h>
#include <stdint.h>
#include <stdbool.h>

enum { ACD_REASON_LEN = 32, ACD_CALLER_LEN = 32, ACD_TARGET_LEN = 32,
       ACD_WHY_LEN = 160 };

#define ACD_NEVER INT64_MAX  /* acd_next_deadline() with nothing pending */

enum acd_agent_state {
	ACD_LOGGED_OUT, ACD_READY, ACD_NOT_READY, ACD_RINGING, ACD_TALKING,
	ACD_WRAP_UP, ACD_AGENT_STATES
};

/* A live call is in exactly one of these; it leaves the router when it is
 * abandoned, ended, or overflowed to a destination that is not a queue. */
enum acd_call_state { ACD_CALL_WAITING, ACD_CALL_OFFERED, ACD_CALL_CONNECTED };

/* Where a waiting call is: in its queue's line, sitting out the retry delay
 * after a failed offer, or held for its sticky agent. */
enum acd_wait { ACD_WAIT_QUEUE, ACD_WAIT_RETRY, ACD_WAIT_STICKY, ACD_WAIT_NONE };

enum acd_dest_kind { ACD_DEST_HANGUP, ACD_DEST_QUEUE, ACD_DEST_EXTENSION,
		     ACD_DEST_VOICEMAIL };

struct acd_dest {
	enum acd_dest_kind kind;
	uint32_t queue_id;                /* ACD_DEST_QUEUE */
	char target[ACD_TARGET_LEN];      /* extension or mailbox, else "" */
};

/* When a queue counts as empty for its join/leave rules. */
enum acd_empty {
	ACD_EMPTY_OFF,          /* rule never applies */
	ACD_EMPTY_NO_AGENTS,    /* no member logged in */
	ACD_EMPTY_NO_AVAILABLE  /* no member logged in and not in not_ready */
};

struct acd_queue_cfg {
	uint32_t id;
	const char *strategy;        /* a name from acd_strategy_at() */
	int64_t ring_timeout_ms;     /* > 0: how long one offer rings */
	int64_t retry_ms;            /* >= 0: pause after a failed offer */
	int64_t max_wait_ms;         /* >= 0, 0 = no limit; then overflow */
	uint32_t max_len;            /* 0 = no limit; waiting + ringing calls */
	int64_t wrapup_ms;           /* >= 0: after-call work of its calls */
	int64_t noanswer_pause_ms;   /* >= 0: no offers after a missed one */
	uint32_t noanswer_max;       /* misses in a row → not_ready; 0 never */
	uint32_t weight;             /* >= 1: cross-queue fairness weight */
	enum acd_empty join_empty;   /* refuse new callers when so empty */
	enum acd_empty leave_empty;  /* send waiting callers away when so */
	struct acd_dest overflow;    /* where max wait/length/empty sends */
	int64_t sticky_window_ms;    /* sticky: remember agents this long */
	int64_t sticky_wait_ms;      /* sticky: wait this long for them */
};

/* One queue an agent serves. */
struct acd_member {
	uint32_t queue_id;
	int32_t skill;      /* skills-based: higher first */
	int32_t position;   /* sequential, round-robin: lower first; then id */
};

enum acd_action_kind {
	ACD_ACT_OFFER,        /* ring agent_id with call_id until until_ms */
	ACD_ACT_CANCEL,       /* stop ringing agent_id for call_id (reason) */
	ACD_ACT_OVERFLOW,     /* call_id leaves queue_id for dest (reason) */
	ACD_ACT_AGENT_STATE   /* agent_id went from → to (reason) */
};

/* One decision for the host to carry out. Strings are valid during the
 * callback only. */
struct acd_action {
	enum acd_action_kind kind;
	int64_t at_ms;
	uint64_t call_id;          /* OFFER, CANCEL, OVERFLOW */
	uint32_t agent_id;         /* OFFER, CANCEL, AGENT_STATE */
	uint32_t queue_id;         /* OFFER, CANCEL, OVERFLOW */
	int64_t until_ms;          /* OFFER: ring deadline; wrap_up: its end */
	int64_t waited_ms;         /* OFFER, OVERFLOW: time in this queue */
	enum acd_agent_state from, to;   /* AGENT_STATE */
	const char *reason;        /* CANCEL, OVERFLOW, AGENT_STATE; or "" */
	const struct acd_dest *dest;     /* OVERFLOW */
};

/* What the router asks of its host. emit must not call back into the
 * router (EBUSY): queue the work and do it after emit returns. last_agent,
 * optional, answers for sticky queues who last served caller and when:
 * 0 with *agent_id and *served_ms, or ENOENT. */
struct acd_host {
	void (*emit)(void *arg, const struct acd_action *act);
	int (*last_agent)(void *arg, const char *caller, uint32_t *agent_id,
			  int64_t *served_ms);
	void *arg;
};

struct acd;

/* --- lifetime ------------------------------------------------------------ */
/* An empty router; host is copied; seed drives the random strategy.
 * *acdp is the caller's: acd_free() it. */
int  acd_alloc(struct acd **acdp, const struct acd_host *host, uint64_t seed);
/* Frees everything; NULL is a no-op. Emits nothing. */
void acd_free(struct acd *acd);

/* --- configuration: refused with a reason in why (size n), nothing changed */
/* Adds or replaces queue cfg->id; waiting callers stay, new decisions use
 * the new settings at once. */
int  acd_queue_set(struct acd *acd, const struct acd_queue_cfg *cfg,
		   int64_t now_ms, char *why, size_t n);
/* Removes an idle queue (no live call, nobody overflowing into it). */
int  acd_queue_remove(struct acd *acd, uint32_t queue_id, char *why,
		      size_t n);
/* Creates agent_id or replaces the queues it serves; state and counters
 * stay. Unknown queues or one queue twice are refused. */
int  acd_agent_set(struct acd *acd, uint32_t agent_id,
		   const struct acd_member *m, size_t nm, int64_t now_ms,
		   char *why, size_t n);
/* Removes a logged-out agent. */
int  acd_agent_remove(struct acd *acd, uint32_t agent_id, char *why,
		      size_t n);

/* --- agent events --------------------------------------------------------- */
/* Logs in as not_ready "login"; no-op if logged in. */
int  acd_agent_login(struct acd *acd, uint32_t agent_id, int64_t now_ms);
/* Ready (logging in if needed); ends wrap-up early; while talking it drops
 * a pending not_ready/logout instead. */
int  acd_agent_ready(struct acd *acd, uint32_t agent_id, int64_t now_ms);
/* Not ready with reason (non-empty, < ACD_REASON_LEN); a ringing offer is
 * withdrawn; while talking it takes effect when the call ends. */
int  acd_agent_not_ready(struct acd *acd, uint32_t agent_id,
			 const char *reason, int64_t now_ms);
/* Logs out; a ringing offer is withdrawn, while talking it takes effect when
 * the call ends. */
int  acd_agent_logout(struct acd *acd, uint32_t agent_id, int64_t now_ms);
/* Zeroes every agent's today counters (the host calls it at midnight). */
int  acd_counters_reset(struct acd *acd, int64_t now_ms);

/* --- call events ---------------------------------------------------------- */
/* A new call enters queue_id (higher priority first, then first come).
 * caller (may be NULL) is copied and used for sticky routing. The call may
 * be overflowed at once (full, join-empty): that is a 0 with an action. */
int  acd_call_enqueue(struct acd *acd, uint32_t queue_id, uint64_t call_id,
		      int32_t priority, const char *caller, int64_t now_ms);
/* The caller hung up before being connected; ringing offers are cancelled. */
int  acd_call_abandon(struct acd *acd, uint64_t call_id, int64_t now_ms);
/* agent_id answered its offer of call_id: connected; other rings cancelled. */
int  acd_offer_answered(struct acd *acd, uint64_t call_id, uint32_t agent_id,
			int64_t now_ms);
/* agent_id declined (busy, rejected): counts as a missed offer. */
int  acd_offer_rejected(struct acd *acd, uint64_t call_id, uint32_t agent_id,
			int64_t now_ms);
/* The host saw the ring time out first: a missed offer. */
int  acd_offer_timeout(struct acd *acd, uint64_t call_id, uint32_t agent_id,
		       int64_t now_ms);
/* A connected call ended: the agent goes to wrap-up (or its pending
 * not_ready/logout) and its counters grow. */
int  acd_call_ended(struct acd *acd, uint64_t call_id, int64_t now_ms);

/* --- time ------------------------------------------------------------------ */
/* Runs every timer due at or before now_ms. */
int  acd_tick(struct acd *acd, int64_t now_ms);
/* When acd_tick must next be called; ACD_NEVER if nothing is pending. */
int64_t acd_next_deadline(const struct acd *acd);

/* --- reading ----------------------------------------------------------------- */
struct acd_agent_info {
	uint32_t id;
	enum acd_agent_state state;
	char reason[ACD_REASON_LEN];     /* not_ready's reason, else "" */
	int64_t since_ms;                /* when state (or reason) changed */
	int64_t idle_since_ms;           /* longest-idle clock */
	int64_t until_ms;                /* ringing/wrap_up deadline, else 0 */
	int64_t pause_until_ms;          /* no offers before this (no-answer) */
	uint32_t misses;                 /* missed offers in a row */
	uint32_t calls_today;
	int64_t talk_ms_today;
	enum acd_agent_state pending;    /* NOT_READY/LOGGED_OUT after the call,
					  * else ACD_TALKING (none) */
	char pending_reason[ACD_REASON_LEN];
	uint64_t call_id;                /* ringing or talking, else 0 */
};

struct acd_call_info {
	uint64_t id;
	uint32_t queue_id;
	int32_t priority;
	char caller[ACD_CALLER_LEN];
	enum acd_call_state state;
	enum acd_wait wait;              /* ACD_WAIT_NONE unless waiting */
	uint64_t seq;                    /* arrival order into its queue */
	int64_t enter_ms;                /* entered its queue */
	int64_t hold_until_ms;           /* end of retry/sticky hold, else 0 */
	bool overdue;                    /* max wait passed while ringing */
	bool sticky_done;                /* sticky agent tried or given up */
	uint32_t sticky_agent;           /* from last_agent, else 0 */
	uint32_t agent_id;               /* connected agent, else 0 */
	int64_t answered_ms;             /* connected since, else 0 */
};

struct acd_queue_info {
	uint32_t id;
	uint32_t waiting;        /* live calls not yet connected (incl. ringing) */
	uint32_t ringing;        /* of those, being offered */
	uint32_t connected;      /* talking to an agent of this queue */
	int64_t oldest_enter_ms; /* entry of the longest-waiting, else 0 */
	uint32_t agents[ACD_AGENT_STATES];   /* members by state */
};

int  acd_agent_get(const struct acd *acd, uint32_t agent_id,
		   struct acd_agent_info *out);
int  acd_call_get(const struct acd *acd, uint64_t call_id,
		  struct acd_call_info *out);
int  acd_queue_get(const struct acd *acd, uint32_t queue_id,
		   struct acd_queue_info *out);
/* "logged_out", "ready", … for a state; "?" out of range. */
const char *acd_state_name(enum acd_agent_state s);

/* The strategy table, row i < count: name, one-line doc, complexity. */
size_t acd_strategy_count(void);
int  acd_strategy_at(size_t i, const char **name, const char **doc,
		     const char **cost);

/* --- persistence -------------------------------------------------------- */
struct acd_rr_snap {
	uint32_t queue_id;
	uint64_t lap;
	int32_t position;
	uint32_t agent_id;
};

/* Everything that is state, not configuration: agents by id, live calls by
 * arrival, the round-robin cursors, the PRNG and clock. */
struct acd_snapshot {
	int64_t now_ms;
	uint64_t rng;
	uint64_t next_seq;
	struct acd_agent_info *agents;
	size_t nagents;
	struct acd_call_info *calls;
	size_t ncalls;
	struct acd_rr_snap *rr;
	size_t nrr;
};

/* Fills *snap; its arrays are the caller's: acd_snapshot_clear() them. */
int  acd_snapshot(const struct acd *acd, struct acd_snapshot *snap);
void acd_snapshot_clear(struct acd_snapshot *snap);
/* Loads snap into a router with the same configuration and no logged-in
 * agent or live call; nothing changes if snap does not fit (why says
 * what). Then settles at max(now_ms, snap->now_ms), which may emit offers
 * if the configuration has changed. */
int  acd_restore(struct acd *acd, const struct acd_snapshot *snap,
		 int64_t now_ms, char *why, size_t n);

/* Checks every invariant in docs/acd.md, in O(agents + calls + queues):
 * 0, or EPROTO with the first broken one in why. For tests. */
int  acd_check(const struct acd *acd, char *why, size_t n);

#endif
