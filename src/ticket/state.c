/* ticket/state: the life of a work order, as one table. Pure.
 *
 *   submitted ─► pending ─► in_progress ─► done ─► replied ─► closed
 *       │           │        │    ▲          │                  │
 *       │           ▼        ▼    │          └──► closed        │
 *       └──────► returned  waiting_customer       (no reply due) │
 *                                                               ▼
 *                            reopened ◄── done / replied / closed
 *
 * What always holds:
 *   (1) a move not in moves[] does not happen, whoever asks;
 *   (2) the clocks run in submitted, pending, in_progress, returned and
 *       reopened, pause in waiting_customer, and stop in done, replied and
 *       closed (states[]); each row's clock column is its target's;
 *   (3) returning, waiting for the customer, withdrawing and reopening
 *       always carry a reason, so the history says why. */
#include <errno.h>
#include <string.h>
#include "base/util.h"
#include "ticket/ticket.h"

#define C TICKET_A_CREATOR
#define H TICKET_A_HANDLER
#define M TICKET_A_MEMBER
#define L TICKET_A_LEAD
#define S TICKET_A_SYSTEM

static const struct {
	const char *name, *zh;
	enum ticket_clock_mode clock;
} states[TICKET_STATE_COUNT] = {
	[TICKET_SUBMITTED]        = {"submitted",        "已提交",   TICKET_CLK_RUN},
	[TICKET_PENDING]          = {"pending",          "待处理",   TICKET_CLK_RUN},
	[TICKET_IN_PROGRESS]      = {"in_progress",      "处理中",   TICKET_CLK_RUN},
	[TICKET_WAITING_CUSTOMER] = {"waiting_customer", "等待客户", TICKET_CLK_PAUSE},
	[TICKET_DONE]             = {"done",             "处理完成", TICKET_CLK_STOP},
	[TICKET_REPLIED]          = {"replied",          "已答复",   TICKET_CLK_STOP},
	[TICKET_RETURNED]         = {"returned",         "已退回",   TICKET_CLK_RUN},
	[TICKET_REOPENED]         = {"reopened",         "重新打开", TICKET_CLK_RUN},
	[TICKET_CLOSED]           = {"closed",           "已关闭",   TICKET_CLK_STOP},
};

#define NEED_REASON TICKET_NEED_REASON

/* from, to, who may (ticket_actor bits), what the clocks do in the
 * target, what the move needs, and what it means. */
static const struct ticket_move moves[] = {
	{TICKET_SUBMITTED, TICKET_PENDING, L | S, TICKET_CLK_RUN, 0,
	 "routed to a department's inbox"},
	{TICKET_SUBMITTED, TICKET_IN_PROGRESS, M | H | L, TICKET_CLK_RUN, 0,
	 "taken straight into work"},
	{TICKET_SUBMITTED, TICKET_CLOSED, C | L, TICKET_CLK_STOP, NEED_REASON,
	 "withdrawn before anyone worked on it"},
	{TICKET_PENDING, TICKET_IN_PROGRESS, M | H | L, TICKET_CLK_RUN, 0,
	 "claimed or assigned: work begins"},
	{TICKET_PENDING, TICKET_RETURNED, M | H | L, TICKET_CLK_RUN, NEED_REASON,
	 "not this department's: back to the sender"},
	{TICKET_IN_PROGRESS, TICKET_WAITING_CUSTOMER, H | L, TICKET_CLK_PAUSE,
	 NEED_REASON, "needs something from the customer: clocks pause"},
	{TICKET_IN_PROGRESS, TICKET_PENDING, H | L, TICKET_CLK_RUN, 0,
	 "released back to the department's inbox"},
	{TICKET_IN_PROGRESS, TICKET_DONE, H | L, TICKET_CLK_STOP, 0,
	 "handled; the result is written"},
	{TICKET_IN_PROGRESS, TICKET_RETURNED, H | L, TICKET_CLK_RUN, NEED_REASON,
	 "cannot be handled here: back to the sender"},
	{TICKET_WAITING_CUSTOMER, TICKET_IN_PROGRESS, H | L | S, TICKET_CLK_RUN,
	 0, "the customer answered: clocks run again"},
	{TICKET_RETURNED, TICKET_SUBMITTED, C | L, TICKET_CLK_RUN, 0,
	 "corrected and sent again"},
	{TICKET_RETURNED, TICKET_CLOSED, C | L, TICKET_CLK_STOP, NEED_REASON,
	 "given up after being returned"},
	{TICKET_DONE, TICKET_REPLIED, C | H | L | S, TICKET_CLK_STOP, 0,
	 "the customer was told the result"},
	{TICKET_DONE, TICKET_CLOSED, C | H | L | S, TICKET_CLK_STOP, 0,
	 "no reply needed: finished"},
	{TICKET_DONE, TICKET_REOPENED, C | L, TICKET_CLK_RUN, NEED_REASON,
	 "the result does not solve it"},
	{TICKET_REPLIED, TICKET_CLOSED, C | H | L | S, TICKET_CLK_STOP, 0,
	 "finished"},
	{TICKET_REPLIED, TICKET_REOPENED, C | L, TICKET_CLK_RUN, NEED_REASON,
	 "the customer is not satisfied"},
	{TICKET_CLOSED, TICKET_REOPENED, C | L, TICKET_CLK_RUN, NEED_REASON,
	 "the problem came back"},
	{TICKET_REOPENED, TICKET_IN_PROGRESS, M | H | L, TICKET_CLK_RUN, 0,
	 "worked on again"},
	{TICKET_REOPENED, TICKET_PENDING, H | L, TICKET_CLK_RUN, 0,
	 "back to the department's inbox"},
};

const struct ticket_move *ticket_moves(size_t *n)
{
	*n = ARRAY_LEN(moves);
	return moves;
}

const char *ticket_state_name(enum ticket_state s)
{
	return (unsigned)s < TICKET_STATE_COUNT ? states[s].name : NULL;
}

const char *ticket_state_zh(enum ticket_state s)
{
	return (unsigned)s < TICKET_STATE_COUNT ? states[s].zh : NULL;
}

int ticket_state_parse(const char *name, enum ticket_state *s)
{
	for (size_t i = 0; name && i < TICKET_STATE_COUNT; i++) {
		if (!strcmp(name, states[i].name) || !strcmp(name, states[i].zh)) {
			*s = (enum ticket_state)i;
			return 0;
		}
	}
	return EINVAL;
}

enum ticket_clock_mode ticket_state_clock(enum ticket_state s)
{
	return (unsigned)s < TICKET_STATE_COUNT ? states[s].clock :
		TICKET_CLK_STOP;
}

int ticket_move_check(enum ticket_state from, enum ticket_state to,
		      unsigned actors, bool has_reason, const char **why)
{
	for (size_t i = 0; i < ARRAY_LEN(moves); i++) {
		const struct ticket_move *m = &moves[i];

		if (m->from != from || m->to != to)
			continue;
		if (!(m->who & actors)) {
			*why = "you may not make this move on this work order";
			return EPERM;
		}
		if ((m->needs & NEED_REASON) && !has_reason) {
			*why = "reason: required for this move";
			return EINVAL;
		}
		*why = m->doc;
		return 0;
	}
	*why = from == to ? "already in that state" :
		"no such move from this state";
	return ENOENT;
}
