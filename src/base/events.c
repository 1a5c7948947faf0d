/* events: the table of bus events. Read top to bottom it is the list of
 * everything a subscriber (the event log, the CTI WebSocket, the KPI fold)
 * can be told; docs/api.md has one row per entry with the event's data
 * fields, and tests/unit/base/test_events.c keeps the two in step.
 *
 * Columns: id; wire name ("module.event", lower case, stored in the event
 * log and sent to clients, so never renamed); the src/ folder that
 * publishes it; what the subject holds; what happened.
 *
 * agent.state is the queue's, not sip's: it is the router's view of the
 * agent (ready, ringing, talking …), while sip only says a phone came or
 * went (agent.registered / agent.unregistered). The queue.* rows after
 * queue.enter are the KPI report events of docs/kpi.md section 2, in that
 * order; queue.announce is no report event (it counts towards nothing). */
#include <assert.h>
#include "base/events.h"

static const struct bus_ev_row rows[] = {
	{BUS_CALL_CREATED, "call.created", "call", "call id",
	 "a call started: a caller reached Hotline, or an extension dialled"},
	{BUS_CALL_QUEUED, "call.queued", "call", "call id",
	 "the call was routed into a queue"},
	{BUS_CALL_RINGING, "call.ringing", "call", "call id",
	 "an agent's phone is ringing with the call"},
	{BUS_CALL_ANSWERED, "call.answered", "call", "call id",
	 "the agent answered and the two legs are bridged"},
	{BUS_CALL_DTMF, "call.dtmf", "call", "call id",
	 "a keypad digit arrived on one leg"},
	{BUS_CALL_HOLD, "call.hold", "call", "call id",
	 "the call was put on hold"},
	{BUS_CALL_RESUME, "call.resume", "call", "call id",
	 "the call was taken off hold"},
	{BUS_CALL_TRANSFER, "call.transfer", "call", "call id",
	 "the agent transferred the call"},
	{BUS_CALL_CONSULT, "call.consult", "call", "call id",
	 "a consultation (attended transfer) rang, was answered or ended"},
	{BUS_CALL_CONFERENCE, "call.conference", "call", "call id",
	 "a conference's third party rang, joined or left"},
	{BUS_CALL_MONITOR, "call.monitor", "call", "call id",
	 "a supervisor rang in, joined, changed mode or left"},
	{BUS_CALL_RECORDING, "call.recording", "call", "call id",
	 "the call's recording was paused or resumed"},
	{BUS_CALL_ENDED, "call.ended", "call", "call id",
	 "the call ended, whichever side hung up"},
	{BUS_VOICEMAIL_NEW, "voicemail.new", "call", "call id",
	 "a caller left a voicemail"},
	{BUS_CALL_WRAPUP, "call.wrapup", "call", "call id",
	 "the agent filed the call's wrap-up code and notes"},
	{BUS_CALL_DATA, "call.data", "call", "call id",
	 "call-associated data was set on a live call through the API"},

	{BUS_QUEUE_ENTER, "queue.enter", "queue", "call id",
	 "the call entered a queue"},
	{BUS_QUEUE_OFFER, "queue.offer", "queue", "call id",
	 "an agent's phone started ringing with a queue call"},
	{BUS_QUEUE_RING_NOANSWER, "queue.ring_noanswer", "queue", "call id",
	 "that phone was not answered in time"},
	{BUS_QUEUE_ANSWER, "queue.answer", "queue", "call id",
	 "the agent answered a queue call"},
	{BUS_QUEUE_ABANDON, "queue.abandon", "queue", "call id",
	 "the caller hung up before an answer"},
	{BUS_QUEUE_OVERFLOW, "queue.overflow", "queue", "call id",
	 "the queue sent the call elsewhere"},
	{BUS_QUEUE_TRANSFER, "queue.transfer", "queue", "call id",
	 "the agent transferred a queue call onwards"},
	{BUS_QUEUE_HOLD_START, "queue.hold_start", "queue", "call id",
	 "the agent put the caller on hold"},
	{BUS_QUEUE_HOLD_STOP, "queue.hold_stop", "queue", "call id",
	 "the agent took the caller back"},
	{BUS_QUEUE_COMPLETE, "queue.complete", "queue", "call id",
	 "the agent's conversation ended"},
	{BUS_QUEUE_WRAPUP_END, "queue.wrapup_end", "queue", "call id",
	 "the agent's after-call work ended"},
	{BUS_QUEUE_BLOCKED, "queue.blocked", "queue", "queue name",
	 "a call for the queue was refused with busy before the router"},
	{BUS_QUEUE_ANNOUNCE, "queue.announce", "queue", "call id",
	 "a waiting caller was told their position and wait"},
	{BUS_AGENT_STATE, "agent.state", "queue", "extension",
	 "the agent's state changed, or a checkpoint of it"},

	{BUS_AGENT_REGISTERED, "agent.registered", "sip", "extension",
	 "a phone registered for the extension (or was restored at start)"},
	{BUS_AGENT_UNREGISTERED, "agent.unregistered", "sip", "extension",
	 "one of the extension's registrations ended or expired"},

	{BUS_AUTH_LOGIN, "auth.login", "api", "username",
	 "a user signed in"},
	{BUS_AUTH_LOGOUT, "auth.logout", "api", "username",
	 "a user signed out"},

	{BUS_TICKET_CREATED, "ticket.created", "ticket", "work order id",
	 "a work order was written (customer_phone, call_id: crm may link it)"},
	{BUS_TICKET_UPDATED, "ticket.updated", "ticket", "work order id",
	 "a work order moved, was assigned, forwarded, linked or extended"},
	{BUS_TICKET_REPLY_DUE, "ticket.reply_due", "ticket", "work order id",
	 "a work order is done and its customer must be answered"},
	{BUS_TICKET_WARNING, "ticket.warning", "ticket", "work order id",
	 "a work order used the warning share of a time limit"},
	{BUS_TICKET_BREACHED, "ticket.breached", "ticket", "work order id",
	 "a work order passed a time limit: escalated to the department's lead"},
	{BUS_TASK_CREATED, "task.created", "task", "task id",
	 "a callback task was made, or given to another assignee or pool"},
	{BUS_TASK_DONE, "task.done", "task", "task id",
	 "a task that came from something (its origin) was done"},
	{BUS_NOTICE_PUBLISHED, "notice.published", "task", "notice id",
	 "a notice was published or changed, for its audience"},
	{BUS_QA_EVALUATED, "qa.evaluated", "qa", "evaluation id",
	 "an inspector scored a call: its agent is told"},
	{BUS_QA_APPEALED, "qa.appealed", "qa", "evaluation id",
	 "an agent appealed a score: the leads of their department are told"},
	{BUS_QA_DECIDED, "qa.decided", "qa", "evaluation id",
	 "a lead decided an appeal: the agent is told"},
};

static_assert(sizeof(rows) / sizeof(*rows) == BUS_EV_COUNT,
	      "one row per enum bus_ev");

const struct bus_ev_row *bus_ev_rows(size_t *n)
{
	*n = BUS_EV_COUNT;
	return rows;
}

const char *bus_ev_name(enum bus_ev id)
{
	return (unsigned)id < BUS_EV_COUNT ? rows[id].name : NULL;
}
