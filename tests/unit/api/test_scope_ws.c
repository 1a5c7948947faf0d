/* The CTI WebSocket's scope rule (api/scope_ws.c), row by row: one stream
 * of events — agent 1001 is offered and answers call C1, agent 1002 is
 * rung for C2 — is fed to a client of every role, and each row says which
 * of them is sent the event. Then the snapshot's items obey the same rule
 * (api_live_scoped), and an agent's followed calls stay bounded. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>
#include "api/api_int.h"
#include "base/bus.h"

/* The clients, in the order of a row's `sent` column. */
enum { ADMIN, EXEC, SUP, QA, A1001, A1002, BO, NOROLE, NCLIENTS };

static const struct {
	const char *username, *role, *ext;
} users[NCLIENTS] = {
	{"admin", "admin", ""},
	{"boss", "executive", ""},
	{"sup", "supervisor", ""},
	{"qa1", "qa", ""},
	{"1001", "agent", "1001"},
	{"1002", "agent", "1002"},
	{"bo", "backoffice", ""},
	{"ghost", "nosuchrole", ""},
};

static void scopes_init(struct api_ws_scope s[NCLIENTS])
{
	for (int i = 0; i < NCLIENTS; i++) {
		struct api_user u = {0};

		util_strlcpy(u.username, users[i].username, sizeof(u.username));
		util_strlcpy(u.role, users[i].role, sizeof(u.role));
		util_strlcpy(u.ext, users[i].ext, sizeof(u.ext));
		if (api_role_parse(u.role, &u.role_bit))
			u.role_bit = 0;
		api_ws_scope_init(&s[i], &u);
	}
}

static bool sees(struct api_ws_scope *s, enum bus_ev id, const char *subject,
		 const char *data)
{
	json_t *d = json_loads(data ? data : "{}", 0, NULL);
	struct bus_event ev = {
		.id = id, .type = bus_ev_name(id), .subject = subject,
		.ts_ms = 1, .seq = 1, .data = d,
	};
	bool yes;

	assert_non_null(d);
	yes = api_ws_scope_event(s, &ev);
	json_decref(d);
	return yes;
}

#define AG1 "{\"agent\":\"1001\"}"
#define AG2 "{\"agent\":\"1002\"}"

/* sent: admin exec sup qa 1001 1002 backoffice unknown-role */
static const struct {
	enum bus_ev id;
	const char *subject, *data;
	bool sent[NCLIENTS];
} stream[] = {
	{BUS_AUTH_LOGIN, "1001", NULL,         {1, 1, 1, 1, 1, 0, 0, 0}},
	{BUS_AUTH_LOGIN, "bo", NULL,           {1, 1, 1, 1, 0, 0, 1, 0}},
	{BUS_AGENT_STATE, "1001", NULL,        {1, 1, 1, 1, 1, 0, 0, 0}},
	{BUS_AGENT_REGISTERED, "1002", NULL,   {1, 1, 1, 1, 0, 1, 0, 0}},
	{BUS_CALL_CREATED, "C1", NULL,         {1, 1, 1, 1, 0, 0, 0, 0}},
	{BUS_CALL_QUEUED, "C1", NULL,          {1, 1, 1, 1, 0, 0, 0, 0}},
	{BUS_QUEUE_ENTER, "C1", NULL,          {1, 1, 1, 1, 0, 0, 0, 0}},
	{BUS_QUEUE_OFFER, "C1", AG1,           {1, 1, 1, 1, 1, 0, 0, 0}},
	{BUS_CALL_RINGING, "C1", AG1,          {1, 1, 1, 1, 1, 0, 0, 0}},
	/* followed from here: events of C1 that name no agent reach 1001 */
	{BUS_CALL_DTMF, "C1", NULL,            {1, 1, 1, 1, 1, 0, 0, 0}},
	{BUS_QUEUE_BLOCKED, "sales", NULL,     {1, 1, 1, 1, 1, 1, 0, 0}},
	{BUS_CALL_ANSWERED, "C1", AG1,         {1, 1, 1, 1, 1, 0, 0, 0}},
	{BUS_CALL_RINGING, "C2", AG2,          {1, 1, 1, 1, 0, 1, 0, 0}},
	{BUS_CALL_TRANSFER, "C1", AG1,         {1, 1, 1, 1, 1, 0, 0, 0}},
	{BUS_CALL_ENDED, "C1", NULL,           {1, 1, 1, 1, 1, 0, 0, 0}},
	/* after call.ended only what names the agent */
	{BUS_QUEUE_COMPLETE, "C1", AG1,        {1, 1, 1, 1, 1, 0, 0, 0}},
	{BUS_QUEUE_WRAPUP_END, "C1", AG1,      {1, 1, 1, 1, 1, 0, 0, 0}},
	{BUS_CALL_DTMF, "C1", NULL,            {1, 1, 1, 1, 0, 0, 0, 0}},
	{BUS_CALL_ENDED, "C2", NULL,           {1, 1, 1, 1, 0, 1, 0, 0}},
	{BUS_VOICEMAIL_NEW, "C3", NULL,        {1, 1, 1, 1, 0, 0, 0, 0}},
	{BUS_AGENT_STATE, "1002", NULL,        {1, 1, 1, 1, 0, 1, 0, 0}},
	{BUS_AUTH_LOGOUT, "1002", NULL,        {1, 1, 1, 1, 0, 1, 0, 0}},
};

static void every_role_is_sent_exactly_its_rows(void **state)
{
	struct api_ws_scope s[NCLIENTS];
	(void)state;

	scopes_init(s);
	for (size_t r = 0; r < ARRAY_LEN(stream); r++)
		for (int c = 0; c < NCLIENTS; c++) {
			bool got = sees(&s[c], stream[r].id, stream[r].subject,
					stream[r].data);

			if (got != stream[r].sent[c])
				fail_msg("row %zu (%s %s): %s %s, want %s", r,
					 bus_ev_name(stream[r].id),
					 stream[r].subject, users[c].username,
					 got ? "sent" : "not sent",
					 stream[r].sent[c] ? "sent" : "not");
		}
}

/* A snapshot as the modules give it: two agents, a queue, two calls. */
static const char live_json[] =
	"{\"agents\":[{\"ext\":\"1001\",\"state\":\"talking\"},"
	"{\"ext\":\"1002\",\"state\":\"ready\"}],"
	"\"queues\":[{\"name\":\"sales\"}],"
	"\"calls\":[{\"id\":\"C1\",\"agent\":\"1001\",\"ringing\":[]},"
	"{\"id\":\"C2\",\"agent\":null,\"ringing\":[\"1003\",\"1002\"]}]}";

static void scoped_view(struct api_ws_scope *s, const json_t *live,
			const char *want, bool want_whole)
{
	json_t *got = NULL, *w = json_loads(want, 0, NULL);
	bool whole;
	char *g;

	assert_int_equal(0, api_live_scoped(s, live, &got, &whole));
	g = json_dumps(got, JSON_COMPACT | JSON_SORT_KEYS);
	if (!json_equal(got, w))
		fail_msg("%s: got %s, want %s", s->user.username, g, want);
	assert_int_equal(want_whole, whole);
	free(g);
	json_decref(got);
	json_decref(w);
}

static void the_snapshot_obeys_the_same_rule(void **state)
{
	struct api_ws_scope s[NCLIENTS];
	json_t *live = json_loads(live_json, 0, NULL);
	(void)state;

	assert_non_null(live);
	scopes_init(s);
	scoped_view(&s[ADMIN], live, live_json, true);
	scoped_view(&s[SUP], live, live_json, true);
	scoped_view(&s[A1001], live,
		    "{\"agents\":[{\"ext\":\"1001\",\"state\":\"talking\"}],"
		    "\"queues\":[{\"name\":\"sales\"}],"
		    "\"calls\":[{\"id\":\"C1\",\"agent\":\"1001\","
		    "\"ringing\":[]}]}", false);
	/* rung for C2 but not its agent: the call is 1002's too */
	scoped_view(&s[A1002], live,
		    "{\"agents\":[{\"ext\":\"1002\",\"state\":\"ready\"}],"
		    "\"queues\":[{\"name\":\"sales\"}],"
		    "\"calls\":[{\"id\":\"C2\",\"agent\":null,"
		    "\"ringing\":[\"1003\",\"1002\"]}]}", false);
	scoped_view(&s[BO], live,
		    "{\"agents\":[],\"queues\":[],\"calls\":[]}", false);
	scoped_view(&s[NOROLE], live,
		    "{\"agents\":[],\"queues\":[],\"calls\":[]}", false);

	/* The snapshot's calls are followed: their later events that name
	 * no agent (C1's end) reach the agent, other calls' do not. */
	assert_true(sees(&s[A1001], BUS_CALL_ENDED, "C1", NULL));
	assert_false(sees(&s[A1001], BUS_CALL_ENDED, "C2", NULL));
	assert_true(sees(&s[A1002], BUS_CALL_ENDED, "C2", NULL));
	json_decref(live);
}

static void an_agent_follows_a_bounded_number_of_calls(void **state)
{
	struct api_ws_scope s[NCLIENTS];
	char id[16];
	(void)state;

	scopes_init(s);
	for (int i = 0; i < API_WS_FOLLOW_MAX + 8; i++) {
		snprintf(id, sizeof(id), "K%d", i);
		assert_true(sees(&s[A1001], BUS_CALL_RINGING, id, AG1));
	}
	assert_int_equal(API_WS_FOLLOW_MAX, s[A1001].nfollow);
	/* the oldest were forgotten, the newest are followed */
	assert_false(sees(&s[A1001], BUS_CALL_DTMF, "K0", NULL));
	snprintf(id, sizeof(id), "K%d", API_WS_FOLLOW_MAX + 7);
	assert_true(sees(&s[A1001], BUS_CALL_DTMF, id, NULL));
	assert_true(sees(&s[A1001], BUS_CALL_ENDED, id, NULL));
	assert_int_equal(API_WS_FOLLOW_MAX - 1, s[A1001].nfollow);
}

static void an_agent_without_an_extension_sees_no_agent_or_call(void **state)
{
	struct api_user u = {.username = "lost", .role = "agent",
			     .role_bit = API_R_AGENT};
	struct api_ws_scope s;
	(void)state;

	api_ws_scope_init(&s, &u);
	assert_false(sees(&s, BUS_AGENT_STATE, "", NULL));
	assert_false(sees(&s, BUS_CALL_RINGING, "C9", "{\"agent\":\"\"}"));
	assert_true(sees(&s, BUS_AUTH_LOGIN, "lost", NULL));
}

/* task.* and notice.* name their audience: it alone hears them, whatever
 * the role's row says (an administrator is not every notice's reader). */
static void an_audience_event_reaches_its_audience_alone(void **state)
{
	struct api_ws_scope s[NCLIENTS];
	/* admin, exec, sup, qa, 1001, 1002, backoffice, unknown */
	static const struct {
		const char *data;
		bool sent[NCLIENTS];
	} rows[] = {
		{"{\"audience\":{\"all\":true}}", {1, 1, 1, 1, 1, 1, 1, 1}},
		{"{\"audience\":{\"roles\":[\"agent\"]}}", {0, 0, 0, 0, 1, 1, 0, 0}},
		{"{\"audience\":{\"roles\":[\"agent\"],\"departments\":[\"D1\"]}}",
		 {0, 0, 0, 0, 1, 0, 0, 0}},
		{"{\"audience\":{\"departments\":[\"D1\",\"D2\"]}}",
		 {0, 0, 1, 0, 1, 0, 0, 0}},
		{"{\"audience\":{\"users\":[\"id-bo\"]}}", {0, 0, 0, 0, 0, 0, 1, 0}},
		{"{\"audience\":{\"exts\":[\"1002\"]}}", {0, 0, 0, 0, 0, 1, 0, 0}},
		{"{\"audience\":{}}", {0}},
		{"{}", {0}},
	};
	(void)state;

	for (size_t r = 0; r < ARRAY_LEN(rows); r++) {
		scopes_init(s);
		util_strlcpy(s[A1001].user.dept, "D1", sizeof(s[0].user.dept));
		util_strlcpy(s[SUP].user.dept, "D2", sizeof(s[0].user.dept));
		util_strlcpy(s[BO].user.id, "id-bo", sizeof(s[0].user.id));
		for (int c = 0; c < NCLIENTS; c++)
			if (sees(&s[c], BUS_NOTICE_PUBLISHED, "N1", rows[r].data)
			    != rows[r].sent[c] ||
			    sees(&s[c], BUS_TASK_CREATED, "T1", rows[r].data)
			    != rows[r].sent[c])
				fail_msg("row %zu (%s): client %s", r,
					 rows[r].data, users[c].username);
	}
}

/* A department's lead (scope departments, its tree holding 1006) sees
 * its agents and, of the queues, only those one of them serves: learnt
 * from the snapshot's agents, kept for the statistics that come without
 * them. An agent (scope own) still sees every queue. */
static void a_lead_sees_the_queues_its_agents_serve(void **state)
{
	static const char snap[] =
		"{\"agents\":[{\"ext\":\"1001\",\"queues\":[{\"queue\":\"sales\"}]},"
		"{\"ext\":\"1006\",\"queues\":[{\"queue\":\"support\"},"
		"{\"queue\":\"a-queue-name-longer-than-any-queue-may-have\"}]}],"
		"\"queues\":[{\"name\":\"sales\"},{\"name\":\"support\"},"
		"{\"name\":\"vip\"}],\"calls\":[]}";
	static const char stats[] =
		"{\"queues\":[{\"name\":\"sales\"},{\"name\":\"support\"}]}";
	struct api_user u = {.username = "lead", .role = "supervisor",
			     .role_bit = API_R_SUPERVISOR,
			     .scope = API_SCOPE_DEPTS, .dept = "D1"};
	struct api_ws_scope lead, s[NCLIENTS];
	json_t *live = json_loads(snap, 0, NULL), *st = json_loads(stats, 0,
								   NULL);
	(void)state;

	assert_non_null(live);
	assert_non_null(st);
	api_ws_scope_init(&lead, &u);
	util_strlcpy(lead.exts[lead.nexts++], "1006", sizeof(lead.exts[0]));
	/* before any snapshot: no queue */
	assert_false(sees(&lead, BUS_QUEUE_BLOCKED, "support", NULL));
	scoped_view(&lead, live,
		    "{\"agents\":[{\"ext\":\"1006\",\"queues\":[{\"queue\":"
		    "\"support\"},{\"queue\":\"a-queue-name-longer-than-any-"
		    "queue-may-have\"}]}],\"queues\":[{\"name\":\"support\"}],"
		    "\"calls\":[]}", false);
	assert_int_equal(1, lead.nqueues);
	scoped_view(&lead, st, "{\"queues\":[{\"name\":\"support\"}]}", false);
	assert_true(sees(&lead, BUS_QUEUE_BLOCKED, "support", NULL));
	assert_false(sees(&lead, BUS_QUEUE_BLOCKED, "sales", NULL));
	assert_true(sees(&lead, BUS_AGENT_STATE, "1006", NULL));
	assert_false(sees(&lead, BUS_AGENT_STATE, "1001", NULL));

	scopes_init(s);
	scoped_view(&s[A1001], st, stats, true);
	scoped_view(&s[SUP], st, stats, true);
	json_decref(live);
	json_decref(st);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(every_role_is_sent_exactly_its_rows),
		cmocka_unit_test(the_snapshot_obeys_the_same_rule),
		cmocka_unit_test(an_agent_follows_a_bounded_number_of_calls),
		cmocka_unit_test(an_agent_without_an_extension_sees_no_agent_or_call),
		cmocka_unit_test(an_audience_event_reaches_its_audience_alone),
		cmocka_unit_test(a_lead_sees_the_queues_its_agents_serve),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
