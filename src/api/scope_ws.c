/* api/scope_ws: what one CTI WebSocket client may see — the one rule for
 * the live events, the snapshot a client gets first and the queue
 * statistics every second (events.c and snapshot.c ask it, never decide
 * themselves), and for the same lists over HTTP, GET /api/v1/agents and
 * /api/v1/queues (scope_list.c asks it for queue/http.c).
 *
 * Everything a client could be sent is first named as an item (struct
 * api_ws_item): its kind (a user's session, an agent, a call, a queue),
 * its subject (username, extension, call id, queue name) and, for a call,
 * the agent it names. item_of_event maps a bus event to one; snapshot.c
 * maps each snapshot and statistics entry to one. Then the user's role
 * and data scope (api/scope.c) pick the first matching row of `rules`
 * below, and that row's function answers yes or no for the item. A role
 * with no row sees nothing.
 *
 * The rows today:
 *   backoffice                any     its own auth.* only
 *   every other role          all     everything
 *   every other role          own     "mine": its own agent.* (subject =
 *                                     one of its extensions) and auth.*
 *                                     (subject = its username); a call
 *                                     from the first item naming one of
 *                                     its extensions as agent
 *                                     (call.ringing, call.answered … with
 *                                     data.agent, or a snapshot call it is
 *                                     connected to or rung for) through
 *                                     call.ended; queue.* events that name
 *                                     one; every queue (snapshot,
 *                                     statistics, queue.blocked)
 *   every other role          depart- "mine" as above, but of the queues
 *                             ments   only those one of its extensions
 *                                     serves: the KPI report's rule for a
 *                                     lead (queue/scope.c), so a lead's
 *                                     wallboard holds its department's
 *                                     agents and queues, not the center's
 *   unset (a user not read from the database): agent mine, the others
 *   everything
 * Work orders (ticket.*) reach, besides the roles that see everything, the
 * users they concern: the order's writer, its handler, and for a breach
 * the leads it is escalated to (user ids in the event's data).
 *
 * Events that name their audience (task.*, notice.*, qa.*: data.audience) go
 * to that audience alone, whatever the role: a notice for the agents of
 * one department is not every administrator's business (audience_has).
 *
 * "Its extensions" are the user's own, and with scope departments those
 * of every user in its department and the ones below it, read from the
 * database once when the client connects (api_ws_scope_load). The
 * queues they serve are taken from the agents of the client's snapshot
 * (api_ws_scope_queues: each agent's "queues", the queue module's copy of
 * queue_members, the table queue/scope.c reads) — api/ reads no table of
 * the queue module — and kept for the connection's statistics: like the
 * extensions, a change of members shows from the next connection.
 *
 * An agent's "calls it follows" are state: a call is followed from its
 * first item naming the agent until its call.ended, so the events of the
 * call that do not name the agent (call.ended, a transfer's later events)
 * still reach it. The set is small (an agent is on a few calls at once);
 * past API_WS_FOLLOW_MAX the oldest is forgotten. */
#include <string.h>
#include "api/api_int.h"
#include "base/bus.h"
#include "db/db.h"

struct api_ws_rule {
	unsigned roles;                /* API_R_* bits */
	enum api_scope scope;          /* UNSET: any scope */
	bool (*sees)(struct api_ws_scope *s, const struct api_ws_item *it);
};

static bool see_all(struct api_ws_scope *s, const struct api_ws_item *it)
{
	(void)s;
	(void)it;
	return true;
}

static bool own_session(const struct api_ws_scope *s,
			const struct api_ws_item *it)
{
	return it->kind == API_WS_AUTH && !strcmp(it->subject, s->user.username);
}

/* Whether a ticket.* item names the user: writer, handler (assignee, or
 * agent in ticket.reply_due) or a lead it was escalated to. */
static bool concerns_me(const struct api_ws_scope *s,
			const struct api_ws_item *it)
{
	static const char *const keys[] = {"assignee", "created_by", "agent"};
	const json_t *esc = json_object_get(it->data, "escalated_to");
	size_t i;
	json_t *v;

	if (it->kind != API_WS_TICKET || !s->user.id[0])
		return false;
	for (i = 0; i < ARRAY_LEN(keys); i++) {
		const char *u = json_string_value(json_object_get(it->data,
								   keys[i]));
		if (u && !strcmp(u, s->user.id))
			return true;
	}
	json_array_foreach(esc, i, v)
		if (json_string_value(v) && !strcmp(json_string_value(v),
						    s->user.id))
			return true;
	return false;
}

static bool see_self(struct api_ws_scope *s, const struct api_ws_item *it)
{
	return own_session(s, it) || concerns_me(s, it);
}

static size_t follow_find(const struct api_ws_scope *s, const char *id)
{
	for (size_t i = 0; i < s->nfollow; i++)
		if (!strcmp(s->follow[i], id))
			return i;
	return s->nfollow;
}

static void follow_add(struct api_ws_scope *s, const char *id)
{
	if (follow_find(s, id) < s->nfollow)
		return;
	if (s->nfollow == API_WS_FOLLOW_MAX) {
		memmove(s->follow[0], s->follow[1],
			(API_WS_FOLLOW_MAX - 1) * sizeof(s->follow[0]));
		s->nfollow--;
	}
	util_strlcpy(s->follow[s->nfollow++], id, sizeof(s->follow[0]));
}

static void follow_drop(struct api_ws_scope *s, size_t i)
{
	memmove(s->follow[i], s->follow[i + 1],
		(s->nfollow - i - 1) * sizeof(s->follow[0]));
	s->nfollow--;
}

/* Whether ext is the user's own or one of its departments'. */
static bool mine(const struct api_ws_scope *s, const char *ext)
{
	if (!ext || !*ext)
		return false;
	if (!strcmp(ext, s->user.ext))
		return true;
	for (size_t i = 0; i < s->nexts; i++)
		if (!strcmp(s->exts[i], ext))
			return true;
	return false;
}

static bool names_me(const struct api_ws_scope *s,
		     const struct api_ws_item *it)
{
	if (mine(s, it->agent))
		return true;
	for (size_t i = 0; i < json_array_size(it->rung); i++) {
		if (mine(s, json_string_value(json_array_get(it->rung, i))))
			return true;
	}
	return false;
}

static bool see_agent(struct api_ws_scope *s, const struct api_ws_item *it)
{
	size_t f;

	switch (it->kind) {
	case API_WS_AUTH:
		return own_session(s, it);
	case API_WS_TICKET:
		return concerns_me(s, it);
	case API_WS_AGENT:
		return mine(s, it->subject);
	case API_WS_QUEUE:
		return true;
	case API_WS_QUEUE_CALL:
		return names_me(s, it) ||
		       follow_find(s, it->subject) < s->nfollow;
	case API_WS_CALL:
		f = follow_find(s, it->subject);
		if (it->last) {
			bool seen = f < s->nfollow || names_me(s, it);

			if (f < s->nfollow)
				follow_drop(s, f);
			return seen;
		}
		if (f < s->nfollow)
			return true;
		if (!names_me(s, it))
			return false;
		follow_add(s, it->subject);
		return true;
	default:
		return false;
	}
}

/* Whether the extensions s sees serve queue q. */
static bool served(const struct api_ws_scope *s, const char *q)
{
	for (size_t i = 0; q && i < s->nqueues; i++)
		if (!strcmp(s->queues[i], q))
			return true;
	return false;
}

/* A department's lead: its agents' view ("mine" over the department's
 * extensions), but of the queues only those its agents serve — the KPI
 * report's rule (queue/scope.c): a queue's figures are its members'
 * work, and another department's queue is not the lead's to watch. */
static bool see_lead(struct api_ws_scope *s, const struct api_ws_item *it)
{
	if (it->kind == API_WS_QUEUE)
		return served(s, it->subject);
	return see_agent(s, it);
}

void api_ws_scope_queues(struct api_ws_scope *s, const json_t *agents)
{
	size_t i, j;
	json_t *a, *m;

	s->nqueues = 0;
	json_array_foreach(agents, i, a) {
		if (!mine(s, json_string_value(json_object_get(a, "ext"))))
			continue;
		json_array_foreach(json_object_get(a, "queues"), j, m) {
			const char *q = json_string_value(json_object_get(m,
								  "queue"));

			/* A name that would not fit is not kept: that
			 * queue is then not seen, never another one. */
			if (!q || served(s, q) || strlen(q) >= API_WS_QUEUE_LEN ||
			    s->nqueues == API_WS_QUEUES_MAX)
				continue;
			util_strlcpy(s->queues[s->nqueues++], q,
				     sizeof(s->queues[0]));
		}
	}
}

/* (roles, scope) rows, the first that matches wins (the header says what
 * each sees); a role missing here sees nothing. UNSET only happens for a
 * user not read from the database (their role's legacy view). */
#define CALL_ROLES (API_R_ADMIN | API_R_EXECUTIVE | API_R_QA | \
		    API_R_SUPERVISOR | API_R_AGENT)
static const struct api_ws_rule rules[] = {
	{API_R_BACKOFFICE, API_SCOPE_UNSET, see_self},
	{CALL_ROLES,       API_SCOPE_ALL,   see_all},
	{CALL_ROLES,       API_SCOPE_DEPTS, see_lead},
	{CALL_ROLES,       API_SCOPE_OWN,   see_agent},
	{API_R_AGENT,      API_SCOPE_UNSET, see_agent},
	{CALL_ROLES,       API_SCOPE_UNSET, see_all},
};

void api_ws_scope_init(struct api_ws_scope *s, const struct api_user *u)
{
	memset(s, 0, sizeof(*s));
	s->user = *u;
	for (size_t i = 0; !s->rule && i < ARRAY_LEN(rules); i++)
		if ((rules[i].roles & u->role_bit) &&
		    (rules[i].scope == API_SCOPE_UNSET ||
		     rules[i].scope == u->scope))
			s->rule = &rules[i];
}

static int ext_row(const struct db_row *row, void *arg)
{
	struct api_ws_scope *s = arg;
	const char *ext = db_row_text(row, 0);

	if (!ext || s->nexts == API_WS_EXTS_MAX)
		return 0;
	util_strlcpy(s->exts[s->nexts++], ext, sizeof(s->exts[0]));
	return 0;
}

bool api_ws_scope_reads(const struct api_user *u)
{
	return api_scope_of(u) == API_SCOPE_DEPTS && u->dept[0];
}

bool api_ws_scope_all(const struct api_ws_scope *s)
{
	return s->rule && s->rule->sees == see_all;
}

int api_ws_scope_load(struct api_ws_scope *s, struct db *db)
{
	s->nexts = 0;
	if (!api_ws_scope_reads(&s->user))
		return 0;
	return db_query(db, ext_row, s,
		"WITH RECURSIVE sub(id) AS (SELECT ? UNION SELECT d.id FROM "
		"departments d JOIN sub ON d.parent_id = sub.id) "
		"SELECT extension FROM users WHERE extension <> '' AND "
		"department_id IN (SELECT id FROM sub) ORDER BY extension",
		"t", s->user.dept);
}

const char *const api_ws_number_fields[] = {"from", "to", "caller", "phone",
	"callee", "transfer_to", NULL};

static bool listed(const json_t *arr, const char *v)
{
	for (size_t i = 0; v && *v && i < json_array_size(arr); i++)
		if (!strcmp(v, json_string_value(json_array_get(arr, i)) ?
			    json_string_value(json_array_get(arr, i)) : ""))
			return true;
	return false;
}

/* The user is named (id or extension), or is in the roles and the
 * departments given, each absent meaning any; {"all": true} is everyone. */
static bool audience_has(const struct api_ws_scope *s, const json_t *a)
{
	const json_t *roles = json_object_get(a, "roles");
	const json_t *depts = json_object_get(a, "departments");

	if (json_is_true(json_object_get(a, "all")) ||
	    listed(json_object_get(a, "users"), s->user.id) ||
	    listed(json_object_get(a, "exts"), s->user.ext))
		return true;
	if (!roles && !depts)
		return false;
	return (!roles || listed(roles, s->user.role)) &&
	       (!depts || listed(depts, s->user.dept));
}

bool api_ws_scope_sees(struct api_ws_scope *s, const struct api_ws_item *it)
{
	if (it->kind == API_WS_AUDIENCE)
		return audience_has(s, it->audience);
	return s->rule && s->rule->sees(s, it);
}

/* How each family of events is named as an item; the first prefix that
 * matches wins, so the exceptions come first. */
static const struct {
	const char *prefix;
	enum api_ws_kind kind;
} families[] = {
	{"queue.blocked", API_WS_QUEUE},   /* subject: the queue's name */
	{"queue.",        API_WS_QUEUE_CALL},
	{"call.",         API_WS_CALL},
	{"voicemail.",    API_WS_CALL},
	{"agent.",        API_WS_AGENT},
	{"auth.",         API_WS_AUTH},
	{"ticket.",       API_WS_TICKET},
	{"task.",         API_WS_AUDIENCE},
	{"notice.",       API_WS_AUDIENCE},
	{"qa.",           API_WS_AUDIENCE},
};

void api_ws_item_of_event(const struct bus_event *ev, struct api_ws_item *it)
{
	memset(it, 0, sizeof(*it));
	it->kind = API_WS_OTHER;
	it->subject = ev->subject;
	for (size_t i = 0; i < ARRAY_LEN(families); i++)
		if (!strncmp(ev->type, families[i].prefix,
			     strlen(families[i].prefix))) {
			it->kind = families[i].kind;
			break;
		}
	it->agent = json_string_value(json_object_get(ev->data, "agent"));
	it->last = ev->id == BUS_CALL_ENDED;
	it->data = ev->data;
	it->audience = json_object_get(ev->data, "audience");
}

bool api_ws_scope_event(struct api_ws_scope *s, const struct bus_event *ev)
{
	struct api_ws_item it;

	api_ws_item_of_event(ev, &it);
	return api_ws_scope_sees(s, &it);
}
