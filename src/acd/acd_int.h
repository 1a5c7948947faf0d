/* acd internals: the structures the folder's files share. Included only by
 * the files of src/acd/; everything here keeps the acd_ prefix or is static inline. */
#ifndef HL_ACD_ACD_INT_H
#define HL_ACD_ACD_INT_H

#include <stddef.h>
#include "acd/acd.h"

#define ACD_NONE UINT32_MAX  /* heap index of something not in a heap */
#define acd_container(p, type, field) \
	((type *)(void *)((char *)(p) - offsetof(type, field)))

/* --- heap.c: 4-ary min-heap of pointers with their keys inline; every
 * element starts with its index (struct acd_hnode first), so removal is
 * O(log n). Keys compare a, then b, then c, all unsigned: acd_u() maps a
 * signed value into that order, acd_u(-x) reverses it. */
struct acd_hnode { uint32_t idx; };
struct acd_hkey { uint64_t a, b, c; };
struct acd_hent { struct acd_hkey k; void *p; };
struct acd_heap {
	struct acd_hent *v;
	uint32_t n, cap;
};
void  acd_heap_push(struct acd_heap *h, void *e, struct acd_hkey k);
void  acd_heap_remove(struct acd_heap *h, void *e);
void *acd_heap_top(const struct acd_heap *h);
void  acd_heap_free(struct acd_heap *h);
bool  acd_heap_ok(const struct acd_heap *h);
static inline bool acd_hkey_less(const struct acd_hkey *x,
				 const struct acd_hkey *y)
{
	if (x->a != y->a)
		return x->a < y->a;
	if (x->b != y->b)
		return x->b < y->b;
	return x->c < y->c;
}
static inline uint64_t acd_u(int64_t x)
{
	return (uint64_t)x ^ (1ULL << 63);
}

/* --- map.c: open-addressing u64 → pointer, for id lookups only (never
 * iterated, so hash order cannot leak into a decision). */
struct acd_slot { uint64_t k; void *v; };
struct acd_map { struct acd_slot *s; uint32_t n, cap; };
void *acd_map_get(const struct acd_map *m, uint64_t k);
int   acd_map_put(struct acd_map *m, uint64_t k, void *v);
void  acd_map_del(struct acd_map *m, uint64_t k);
int   acd_map_reserve(struct acd_map *m, uint32_t extra);
void  acd_map_free(struct acd_map *m);
void  acd_map_prefetch(const struct acd_map *m, uint64_t k);
void  acd_map_set(struct acd_map *m, uint64_t k, void *v);
int   acd_map_add(struct acd_map *m, uint64_t k, void *v);

/* --- timers: one heap for every deadline. Kinds are in processing order for
 * equal deadlines; ties within a kind go to the lower owner id (the agent's
 * or the call's, found from the kind: acd_timer_owner). */
enum acd_tkind { TK_RING, TK_WRAPUP, TK_PAUSE, TK_HOLD, TK_MAXWAIT };
struct acd_timer {
	struct acd_hnode h;
	uint8_t kind;
	int64_t at;
};

struct acd_queue;
struct acd_agent;

struct acd_mem {                 /* one queue an agent serves, live */
	struct acd_hnode h;      /* in queue->ready's heap; ACD_NONE in a
				  * lane of it or outside it */
	uint32_t slot;           /* in queue->members */
	struct acd_agent *agent;
	struct acd_queue *queue;
	int32_t skill, position;
	union {                  /* by the queue's strategy: */
		uint64_t lap;    /* round-robin: which pass this entry is on */
		struct {         /* with lanes: neighbours in one */
			struct acd_mem *prev, *next;
		};
	};
};

struct acd_call;

enum { ACD_INLINE_MEMS = 4 };   /* queues an agent holds inside itself */

/* 64-byte aligned (member.c): the first line is what every state change
 * reads, the second what offers and rings do; the reasons, written only
 * on the way into and out of not_ready, come last. */
struct acd_agent {
	_Alignas(64) uint32_t id;
	enum acd_agent_state state;
	enum acd_agent_state pending;           /* ACD_TALKING = none */
	uint32_t nmem;
	struct acd_mem *mem;                    /* queues served */
	int64_t since, idle_since, pause_until;
	int64_t talk_today;
	uint32_t misses, calls_today;
	struct acd_call *call;                  /* ringing for / talking to */
	union {
		struct {                        /* while ringing: others */
			struct acd_agent *ring_prev, *ring_next;
		};
		struct {                        /* while talking: the call's */
			struct acd_queue *talk_q;   /* queue and answer time, */
			int64_t talk_since;         /* so ending it need not */
		};                                  /* wait for the call */
	};
	struct acd_timer tmr;                   /* ring / wrap-up / pause */
	struct acd_heap held;                   /* sticky calls waiting for us */
	bool indexed;                           /* in every queue's ready */
	/* mem points here when the agent serves few queues, saving a
	 * dependent cache miss on every state change. */
	struct acd_mem inl[ACD_INLINE_MEMS];
	char reason[ACD_REASON_LEN];            /* set only while not_ready */
	char pending_reason[ACD_REASON_LEN];    /* set only while pending */
};

/* AT_NOWHERE: between two places inside one step (entering, requeueing);
 * first, so a freshly zeroed call is nowhere, not in a line. */
enum acd_at { AT_NOWHERE, AT_QUEUE, AT_RETRY, AT_STICKY, AT_OFFERED,
	     AT_CONNECTED };

/* 64-byte aligned, the first line holding what offers, answers and ends
 * read (slab.c allocates them). While offered, ringing is the first of the
 * agents ringing; while connected, agent is the one talking. */
struct acd_call {
	_Alignas(64) struct acd_hnode h;   /* first, as heap.c wants: in its
					    * line's late heap or agent->held */
	int32_t prio;
	uint64_t id;
	struct acd_queue *q;
	union {
		struct acd_agent *ringing;
		struct acd_agent *agent;
	};
	uint64_t seq;
	int64_t enter, answered;
	uint8_t at;                  /* enum acd_at */
	bool overdue, sticky_done;
	bool listed;                 /* on its queue's arrival list */
	uint32_t sticky_agent;
	/* second line */
	struct acd_call *next, *prev;     /* its lane (line.c); next: slab's
					   * free list once released */
	struct acd_call *older, *newer;   /* queue's arrival list (not connected) */
	struct acd_timer maxwait, hold;
	/* third line: read when the call enters and when the host asks */
	char caller[ACD_CALLER_LEN];
};

/* slab.c: calls carved from big blocks, reused last-freed first. */
struct acd_slab_block { struct acd_call *v; uint32_t n; };
struct acd_slab {
	struct acd_slab_block *blocks;
	uint32_t nblocks, capblocks, used;   /* used: of the last block */
	struct acd_call *free;
};
struct acd_call *acd_call_alloc(struct acd_slab *s);
void acd_call_release(struct acd_slab *s, struct acd_call *c);
void acd_slab_free(struct acd_slab *s);
void *acd_big_alloc(size_t bytes);

/* line.c: a queue's waiting calls, higher priority first, then arrival.
 * One first-in first-out lane per priority in use (at most ACD_LANES,
 * higher priority first) and a heap for calls back out of arrival order. */
enum { ACD_LANES = 8 };
struct acd_lane {
	int32_t prio;
	struct acd_call *head, *tail;
};
struct acd_line {
	struct acd_lane lane[ACD_LANES];
	uint32_t nlanes, n;          /* n: calls in lanes and heap */
	struct acd_heap late;
};
struct acd_queue;
void acd_line_push(struct acd_line *l, struct acd_call *c);
void acd_line_remove(struct acd_line *l, struct acd_call *c);
struct acd_call *acd_line_head(const struct acd_line *l);
void acd_line_free(struct acd_line *l);
bool acd_line_ok(const struct acd_queue *q);

/* ready.c: a queue's eligible agents in its strategy's order. With
 * STRAT_LANES, one first-in first-out lane per class (the key's first
 * word; at most ACD_LANES, lowest first), members out of order in a heap
 * beside them; without, all in the heap. n counts both. */
struct acd_rlane {
	uint64_t cls;
	struct acd_mem *head, *tail;
};
struct acd_ready {
	struct acd_rlane lane[ACD_LANES];
	uint32_t nlanes, n;
	struct acd_heap late;
};
void acd_ready_push(struct acd_queue *q, struct acd_mem *m);
void acd_ready_remove(struct acd_queue *q, struct acd_mem *m);
struct acd_mem *acd_ready_top(const struct acd_queue *q);
void acd_ready_clear(struct acd_ready *r);
void acd_ready_free(struct acd_ready *r);
bool acd_ready_ok(const struct acd_queue *q);

struct acd;
/* strategy.c: one row per strategy. key orders a queue's ready agents (the
 * top is the next pick); enter runs before an agent joins the order; pick
 * chooses (NULL: the top); ALL offers to every ready agent in turn; LANES:
 * the key's first word is a class, the rest grows as agents become ready,
 * so the ready order keeps lanes (ready.c). */
enum { STRAT_ALL = 1, STRAT_STICKY = 2, STRAT_LANES = 4 };
struct acd_strategy {
	const char *name;
	struct acd_hkey (*key)(const struct acd_mem *m);
	void (*enter)(struct acd_mem *m);
	struct acd_mem *(*pick)(struct acd *acd, struct acd_queue *q);
	unsigned flags;
	const char *doc;
	const char *cost;
};
const struct acd_strategy *acd_strategy_find(const char *name);

struct acd_queue {
	struct acd_hnode h;          /* in the settle heap */
	struct acd_queue_cfg cfg;    /* cfg.strategy points at strat->name */
	const struct acd_strategy *strat;
	struct acd_line line;        /* waiting, eligible: priority, arrival */
	struct acd_ready ready;      /* eligible members, strategy order */
	struct acd_mem **members;
	uint32_t *ids;               /* members' agent ids, sorted */
	uint32_t nmembers, capmembers;
	uint32_t nstate[ACD_AGENT_STATES];
	uint32_t len, ringing, connected;   /* live calls by stage */
	struct acd_call *oldest, *newest;   /* arrival list */
	uint64_t rr_lap;             /* round-robin cursor */
	int32_t rr_pos;
	uint32_t rr_agent;
	bool dirty;
	uint32_t slot;               /* in acd->queues */
};

struct acd {
	struct acd_host host;
	int64_t now;
	uint64_t rng, seq;
	bool in_emit;
	struct acd_map agent_map, queue_map;
	/* Calls by id; a connected call's slot names its agent instead
	 * (acd_call_find), so ending it waits for one miss, not two. */
	struct acd_map call_map;
	struct acd_agent **agents;   /* in creation order */
	uint32_t nagents, capagents;
	struct acd_queue **queues;   /* in creation order */
	uint32_t nqueues, capqueues;
	uint32_t ncalls;
	struct acd_slab slab;
	struct acd_heap timers;
	struct acd_queue **dirty;    /* queues to settle, in marking order */
	uint32_t ndirty, capdirty;
	struct acd_heap settle;
};

/* router.c */
void acd_emit(struct acd *acd, const struct acd_action *a);
uint64_t acd_rand(struct acd *acd);
void acd_timer_arm(struct acd *acd, struct acd_timer *t, int kind,
		   int64_t at);
void acd_timer_stop(struct acd *acd, struct acd_timer *t);
uint64_t acd_timer_owner(const struct acd_timer *t);
void acd_mark(struct acd *acd, struct acd_queue *q);
void acd_settle(struct acd *acd, int64_t now);
void acd_finish(struct acd *acd, int64_t now);
int  acd_begin(struct acd *acd, int64_t *now);
void acd_fmt(char *why, size_t n, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
struct acd_hkey acd_call_key(const struct acd_call *c);
struct acd_hkey acd_mem_key(const struct acd_mem *m);
static inline bool acd_timer_armed(const struct acd_timer *t)
{
	return t->h.idx != ACD_NONE;
}

/* agent.c */
void acd_agent_set_state(struct acd *acd, struct acd_agent *a,
			 enum acd_agent_state to, const char *reason,
			 int64_t until, int64_t now);
void acd_agent_back(struct acd *acd, struct acd_agent *a, int64_t now);
void acd_agent_after_call(struct acd *acd, struct acd_agent *a,
			  const struct acd_queue *q, int64_t now);
struct acd_mem *acd_agent_mem(const struct acd_agent *a,
			      const struct acd_queue *q);
void acd_agent_available(struct acd *acd, struct acd_agent *a, int64_t now);
void acd_agent_unindex(struct acd_agent *a);
void acd_agent_missed(struct acd *acd, struct acd_agent *a,
		      const struct acd_queue *q, int64_t now);
void acd_agent_timer(struct acd *acd, struct acd_agent *a, int64_t now);
void acd_agent_release_held(struct acd *acd, struct acd_agent *a,
			    int64_t now);

/* call_life.c */
void acd_offer(struct acd *acd, struct acd_call *c, struct acd_mem *m,
	       int64_t now);
void acd_call_unring(struct acd *acd, struct acd_agent *a,
		     const char *cancel_reason, int64_t now);
void acd_call_missed(struct acd *acd, struct acd_agent *a,
		     const char *cancel_reason, int64_t now);
void acd_call_requeue(struct acd *acd, struct acd_call *c, bool failed,
		      int64_t now);
void acd_call_timer(struct acd *acd, struct acd_timer *t, int64_t now);
void acd_call_free(struct acd *acd, struct acd_call *c);
struct acd_call *acd_call_find(const struct acd *acd, uint64_t id);
/* A connected call's value in the call map: its agent, tagged (agents are
 * 64-byte aligned, so the low bit is free). */
static inline void *acd_talk_tag(struct acd_agent *a)
{
	return (char *)a + 1;
}
static inline struct acd_agent *acd_talk_agent(void *v)
{
	return (uintptr_t)v & 1 ? (struct acd_agent *)((char *)v - 1) : NULL;
}
void acd_call_detach(struct acd *acd, struct acd_call *c);
struct acd_call *acd_call_unring_only(struct acd *acd, struct acd_agent *a,
				      const char *cancel_reason, int64_t now);
void acd_call_overflow(struct acd *acd, struct acd_call *c,
		       const char *reason, int64_t now);
int  acd_call_enter(struct acd *acd, struct acd_call *c, struct acd_queue *q,
		    int64_t now);
void acd_call_eligible(struct acd *acd, struct acd_call *c);
void acd_call_unlink_wait(struct acd *acd, struct acd_call *c);
void acd_queue_check_empty(struct acd *acd, struct acd_queue *q,
			   int64_t now);
bool acd_queue_is_empty(const struct acd_queue *q, enum acd_empty rule);

/* member.c */
bool acd_queue_serves(const struct acd_queue *q, uint32_t agent_id);

/* config.c */
struct acd_queue *acd_queue_find(const struct acd *acd, uint32_t id);
struct acd_agent *acd_agent_find(const struct acd *acd, uint32_t id);
void acd_queue_free(struct acd_queue *q);
void acd_agent_free(struct acd_agent *a);
int  acd_index_rebuild(struct acd_queue *q);

#endif
