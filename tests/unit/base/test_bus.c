/* base/bus: who gets an event, in what order, and what happens when
 * handlers subscribe, unsubscribe or publish while an event is delivered. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>
#include "base/bus.h"

/* Every delivery appends "name:type#seq" to one log. */
struct rec {
	struct bus *bus;
	char log[1024];
	json_t *kept;            /* data a handler held on to */
};

struct sub {
	struct rec *rec;
	const char *name;
	void (*then)(struct sub *s, const struct bus_event *ev);
	struct sub *other;       /* for handlers that act on another sub */
};

static void record(const struct bus_event *ev, void *arg)
{
	struct sub *s = arg;
	size_t len = strlen(s->rec->log);
	snprintf(s->rec->log + len, sizeof(s->rec->log) - len, "%s%s:%s#%llu",
		 len ? " " : "", s->name, ev->type, (unsigned long long)ev->seq);
	if (s->then)
		s->then(s, ev);
}

static int setup(void **state)
{
	static struct rec rec;
	memset(&rec, 0, sizeof(rec));
	if (bus_alloc(&rec.bus))
		return -1;
	*state = &rec;
	return 0;
}

static int teardown(void **state)
{
	struct rec *r = *state;
	bus_free(r->bus);
	json_decref(r->kept);
	return 0;
}

static void sub(struct rec *r, struct sub *s, const char *prefix)
{
	s->rec = r;
	assert_int_equal(0, bus_subscribe(r->bus, prefix, record, s));
}

static void pub(struct rec *r, enum bus_ev id)
{
	assert_int_equal(0, bus_publish(r->bus, id, "c1", 1000, NULL));
}

static void events_go_to_every_matching_prefix_in_subscription_order(void **state)
{
	struct rec *r = *state;
	struct sub all = {.name = "all"}, calls = {.name = "calls"},
		   answered = {.name = "answered"}, agents = {.name = "agents"},
		   all2 = {.name = "all2"}, voice = {.name = "voice"},
		   log = {.name = "log"};

	sub(r, &calls, "call.");
	sub(r, &all, "");
	sub(r, &answered, "call.answered");
	sub(r, &agents, "agent.");
	sub(r, &voice, "voice.");
	sub(r, &log, "auth.log");       /* a prefix, not a whole word */
	sub(r, &all2, "");
	pub(r, BUS_CALL_ANSWERED);
	pub(r, BUS_AGENT_STATE);
	pub(r, BUS_VOICEMAIL_NEW);     /* "voice." is not a prefix of it */
	pub(r, BUS_CALL_ENDED);
	pub(r, BUS_AUTH_LOGOUT);
	assert_string_equal(
		"calls:call.answered#1 all:call.answered#1 answered:call.answered#1"
		" all2:call.answered#1"
		" all:agent.state#2 agents:agent.state#2 all2:agent.state#2"
		" all:voicemail.new#3 all2:voicemail.new#3"
		" calls:call.ended#4 all:call.ended#4 all2:call.ended#4"
		" all:auth.logout#5 log:auth.logout#5 all2:auth.logout#5",
		r->log);
}

struct seen {
	enum bus_ev id;
	char type[32], subject[32];
	int64_t ts;
	uint64_t seq;
	size_t fields;
};

static void remember(const struct bus_event *ev, void *arg)
{
	struct seen *s = arg;
	s->id = ev->id;
	snprintf(s->type, sizeof(s->type), "%s", ev->type);
	snprintf(s->subject, sizeof(s->subject), "%s", ev->subject);
	s->ts = ev->ts_ms;
	s->seq = ev->seq;
	s->fields = json_object_size(ev->data);
}

static void an_event_carries_its_fields_and_a_rising_seq(void **state)
{
	struct rec *r = *state;
	struct seen s = {0};

	assert_int_equal(0, bus_subscribe(r->bus, "", remember, &s));
	assert_int_equal(0, bus_publish(r->bus, BUS_AGENT_STATE, "1001", 1795452000000,
					json_pack("{s:s, s:s}", "state", "ready", "reason", "")));
	assert_int_equal(BUS_AGENT_STATE, s.id);
	assert_string_equal("agent.state", s.type);
	assert_string_equal("1001", s.subject);
	assert_true(s.ts == 1795452000000);
	assert_int_equal(1, s.seq);
	assert_int_equal(2, s.fields);
	/* No subject is "", no data is {}. */
	assert_int_equal(0, bus_publish(r->bus, BUS_QUEUE_BLOCKED, NULL, 5, NULL));
	assert_int_equal(BUS_QUEUE_BLOCKED, s.id);
	assert_string_equal("queue.blocked", s.type);
	assert_string_equal("", s.subject);
	assert_int_equal(0, s.fields);
	assert_int_equal(2, s.seq);
	/* seq counts every event, delivered to someone or not. */
	bus_unsubscribe(r->bus, remember, &s);
	pub(r, BUS_CALL_DTMF);
	assert_int_equal(0, bus_subscribe(r->bus, "", remember, &s));
	pub(r, BUS_CALL_HOLD);
	assert_int_equal(4, s.seq);
}

static void drop_other(struct sub *s, const struct bus_event *ev)
{
	(void)ev;
	bus_unsubscribe(s->rec->bus, record, s->other);
}

static void drop_self(struct sub *s, const struct bus_event *ev)
{
	(void)ev;
	bus_unsubscribe(s->rec->bus, record, s);
}

static void unsubscribing_during_delivery_takes_effect_at_once(void **state)
{
	struct rec *r = *state;
	struct sub a = {.name = "a"}, b = {.name = "b", .then = drop_self},
		   c = {.name = "c"}, d = {.name = "d"};

	a.then = drop_other;
	a.other = &c;
	sub(r, &a, "");
	sub(r, &b, "");
	sub(r, &c, "");
	sub(r, &d, "");
	pub(r, BUS_CALL_CREATED);   /* a drops c before c's turn; b drops itself */
	pub(r, BUS_CALL_ENDED);
	assert_string_equal("a:call.created#1 b:call.created#1 d:call.created#1"
			    " a:call.ended#2 d:call.ended#2", r->log);
	/* Only the (handler, arg) pair goes; an unknown pair is harmless. */
	bus_unsubscribe(r->bus, record, &c);
	bus_unsubscribe(r->bus, remember, &a);
	pub(r, BUS_AUTH_LOGIN);
	assert_string_equal("a:call.created#1 b:call.created#1 d:call.created#1"
			    " a:call.ended#2 d:call.ended#2"
			    " a:auth.login#3 d:auth.login#3", r->log);
}

static void publish_inner(struct sub *s, const struct bus_event *ev)
{
	if (ev->id == BUS_CALL_ANSWERED)
		assert_int_equal(0, bus_publish(s->rec->bus, BUS_AGENT_STATE, "1001",
						ev->ts_ms, NULL));
}

static void an_event_published_by_a_handler_is_delivered_before_it_returns(void **state)
{
	struct rec *r = *state;
	struct sub first = {.name = "first"}, trigger = {.name = "trigger", .then = publish_inner},
		   last = {.name = "last"};

	sub(r, &first, "");
	sub(r, &trigger, "call.");
	sub(r, &last, "");
	pub(r, BUS_CALL_ANSWERED);
	assert_string_equal("first:call.answered#1 trigger:call.answered#1"
			    " first:agent.state#2 last:agent.state#2"
			    " last:call.answered#1", r->log);
}

static struct sub late[40];

static void subscribe_many(struct sub *s, const struct bus_event *ev)
{
	(void)ev;
	if (s->other)
		return;
	s->other = s;
	/* Enough to move the subscription array while it is being walked. */
	for (size_t i = 0; i < sizeof(late) / sizeof(*late); i++) {
		late[i] = (struct sub){.name = "late"};
		sub(s->rec, &late[i], "q");
	}
}

static void a_subscriber_added_by_a_handler_sees_the_next_event(void **state)
{
	struct rec *r = *state;
	struct sub adder = {.name = "adder", .then = subscribe_many}, after = {.name = "after"};
	const char *p;
	int n = 0;

	sub(r, &adder, "");
	sub(r, &after, "");
	pub(r, BUS_QUEUE_ENTER);
	assert_string_equal("adder:queue.enter#1 after:queue.enter#1", r->log);
	r->log[0] = '\0';
	pub(r, BUS_QUEUE_OFFER);
	for (p = r->log; (p = strstr(p, "late:queue.offer#2")); p++)
		n++;
	assert_int_equal(40, n);
	assert_non_null(strstr(r->log, "adder:queue.offer#2 after:queue.offer#2"
			       " late:queue.offer#2"));
}

static void keep(const struct bus_event *ev, void *arg)
{
	struct rec *r = arg;
	json_decref(r->kept);
	r->kept = json_incref(ev->data);
}

static void publish_takes_the_data_reference(void **state)
{
	struct rec *r = *state;
	json_t *data = json_object();

	assert_int_equal(0, bus_subscribe(r->bus, "auth.login", keep, r));
	/* One reference ours, one given to the bus. */
	json_incref(data);
	assert_int_equal(0, bus_publish(r->bus, BUS_AUTH_LOGOUT, "", 1, data));
	assert_int_equal(1, data->refcount);
	json_incref(data);
	assert_int_equal(0, bus_publish(r->bus, BUS_AUTH_LOGIN, "", 2, data));
	/* The handler kept one with json_incref; the bus dropped its own. */
	assert_ptr_equal(data, r->kept);
	assert_int_equal(2, data->refcount);
	json_decref(data);
	/* teardown releases r->kept; ASan reports any leak. */
}

/* The wire name comes from the table, so a value past it cannot go out as
 * an event with no name: refused, its data released (ASan would report it
 * kept), nobody called and no seq spent. */
static void an_id_that_is_no_event_is_refused(void **state)
{
	struct rec *r = *state;
	struct sub all = {.name = "all"};

	sub(r, &all, "");
	assert_int_equal(EINVAL, bus_publish(r->bus, BUS_EV_COUNT, "c1", 1,
					     json_object()));
	assert_int_equal(EINVAL, bus_publish(r->bus, (enum bus_ev)-1, "c1", 1,
					     NULL));
	assert_string_equal("", r->log);
	pub(r, BUS_CALL_CREATED);
	assert_string_equal("all:call.created#1", r->log);
}

static void bad_subscriptions_are_refused(void **state)
{
	struct rec *r = *state;
	assert_int_equal(EINVAL, bus_subscribe(r->bus, "x", NULL, NULL));
	assert_int_equal(EINVAL, bus_subscribe(r->bus, NULL, record, NULL));
	bus_free(NULL);
}

#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(events_go_to_every_matching_prefix_in_subscription_order),
		T(an_event_carries_its_fields_and_a_rising_seq),
		T(unsubscribing_during_delivery_takes_effect_at_once),
		T(an_event_published_by_a_handler_is_delivered_before_it_returns),
		T(a_subscriber_added_by_a_handler_sees_the_next_event),
		T(publish_takes_the_data_reference),
		T(an_id_that_is_no_event_is_refused),
		T(bad_subscriptions_are_refused),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
