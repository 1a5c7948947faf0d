/* api/scope_ws: what one CTI WebSocket client may see — the one rule for
 * the live events, the snapshot a client gets first and the queue
 * statistics every second (events.c and snapshot.c ask it, never decide
 * themselves).
 *
 * Everything a client could be sent is first named as an item (struct
 * api_ws_item): its kind (a user's session, an agent, a call, a queue),
 * its subject (username, extension, call id, queue name) and, for a call,
 * the agent it names. item_of_event maps a bus event to one; snapshot.c
 * maps each snapshot and statistics entry to one. Then the user's role
 * picks one row of `rules` below, and that row's function answers yes or
 * no for the item. A role with no row sees nothing.
 *
 * The rows today:
 *   admin, executive,     everything
 *   supervisor, qa
 *   agent                 its own agent.* (subject = its extension) and
 *                         auth.* (subject = its username); a call from
 *                         the first item naming it as agent (call.ringing,
 *                         call.answered … with data.agent = its extension,
 *                         or a snapshot call it is connected to or rung
 *                         for) through call.ended; queue.* events that
 *                         name it as agent; every queue's statistics
 *   backoffice            its own auth.* only
 *
 * Adding a scope (a supervisor who sees only their department tree) is
 * one new function here and a change of that role's row: the function
 * gets the client's user (s->user) and the item, whose agent and subject
 * say whose it is; the snapshot and the statistics obey the new row with
 * no other change, since they ask the same function item by item.
 *
 * An agent's "calls it follows" are state: a call is followed from its
 * first item naming the agent until its call.ended, so the events of the
 * call that do not name the agent (call.ended, a transfer's later events)
 * still reach it. The set is small (an agent is on a few calls at once);
 * past API_WS_FOLLOW_MAX the oldest is forgotten. */
#include <string.h>
#include "api/api_int.h"
#include "base/bus.h"

struct api_ws_rule {
	unsigned role;                 /* one API_R_* bit */
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

static bool see_self(struct api_ws_scope *s, const struct api_ws_item *it)
{
	return own_session(s, it);
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

static bool names_me(const struct api_ws_scope *s,
		     const struct api_ws_item *it)
{
	const char *me = s->user.ext;

	if (!*me)
		return false;
	if (it->agent && !strcmp(it->agent, me))
		return true;
	for (size_t i = 0; i < json_array_size(it->rung); i++) {
		const char *r = json_string_value(json_array_get(it->rung, i));

		if (r && !strcmp(r, me))
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
	case API_WS_AGENT:
		return *s->user.ext && !strcmp(it->subject, s->user.ext);
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

/* One row per role (the header says what each sees); a role missing here
 * sees nothing. */
static const struct api_ws_rule rules[] = {
	{API_R_ADMIN,      see_all},
	{API_R_EXECUTIVE,  see_all},
	{API_R_SUPERVISOR, see_all},   /* department scope: its own row */
	{API_R_QA,         see_all},
	{API_R_AGENT,      see_agent},
	{API_R_BACKOFFICE, see_self},
};

void api_ws_scope_init(struct api_ws_scope *s, const struct api_user *u)
{
	memset(s, 0, sizeof(*s));
	s->user = *u;
	for (size_t i = 0; i < ARRAY_LEN(rules); i++)
		if (rules[i].role == u->role_bit)
			s->rule = &rules[i];
}

bool api_ws_scope_sees(struct api_ws_scope *s, const struct api_ws_item *it)
{
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
}

bool api_ws_scope_event(struct api_ws_scope *s, const struct bus_event *ev)
{
	struct api_ws_item it;

	api_ws_item_of_event(ev, &it);
	return api_ws_scope_sees(s, &it);
}
