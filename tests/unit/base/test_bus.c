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

static void pub(struct rec *r, const char *type)
{
	assert_int_equal(0, bus_publish(r->bus, type, "c1", 1000, NULL));
}

static void events_go_to_every_matching_prefix_in_subscription_order(void **state)
{
	struct rec *r = *state;
	struct sub all = {.name = "all"}, calls = {.name = "calls"},
		   answered = {.name = "answered"}, agents = {.name = "agents"},
		   all2 = {.name = "all2"};

	sub(r, &calls, "call.");
	sub(r, &all, "");
	sub(r, &answered, "call.answered");
	sub(r, &agents, "agent.");
	sub(r, &all2, "");
	pub(r, "call.answered");
	pub(r, "agent.state");
	pub(r, "callback.requested");   /* "call." is not a prefix of it */
	pub(r, "call.abandoned");
	assert_string_equal(
		"calls:call.answered#1 all:call.answered#1 answered:call.answered#1"
		" all2:call.answered#1"
		" all:agent.state#2 agents:agent.state#2 all2:agent.state#2"
		" all:callback.requested#3 all2:callback.requested#3"
		" calls:call.abandoned#4 all:call.abandoned#4 all2:call.abandoned#4",
		r->log);
}

struct seen {
	char type[32], subject[32];
	int64_t ts;
	uint64_t seq;
	size_t fields;
};

static void remember(const struct bus_event *ev, void *arg)
{
	struct seen *s = arg;
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
	assert_int_equal(0, bus_publish(r->bus, "agent.state", "1001", 1795452000000,
					json_pack("{s:s, s:s}", "state", "ready", "reason", "")));
	assert_string_equal("agent.state", s.type);
	assert_string_equal("1001", s.subject);
	assert_true(s.ts == 1795452000000);
	assert_int_equal(1, s.seq);
	assert_int_equal(2, s.fields);
	/* No subject is "", no data is {}. */
	assert_int_equal(0, bus_publish(r->bus, "system.tick", NULL, 5, NULL));
	assert_string_equal("", s.subject);
	assert_int_equal(0, s.fields);
	assert_int_equal(2, s.seq);
	/* seq counts every event, delivered to someone or not. */
	bus_unsubscribe(r->bus, remember, &s);
	pub(r, "nobody.listens");
	assert_int_equal(0, bus_subscribe(r->bus, "", remember, &s));
	pub(r, "x");
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
	pub(r, "e1");   /* a drops c before c's turn; b drops itself */
	pub(r, "e2");
	assert_string_equal("a:e1#1 b:e1#1 d:e1#1 a:e2#2 d:e2#2", r->log);
	/* Only the (handler, arg) pair goes; an unknown pair is harmless. */
	bus_unsubscribe(r->bus, record, &c);
	bus_unsubscribe(r->bus, remember, &a);
	pub(r, "e3");
	assert_string_equal("a:e1#1 b:e1#1 d:e1#1 a:e2#2 d:e2#2 a:e3#3 d:e3#3", r->log);
}

static void publish_inner(struct sub *s, const struct bus_event *ev)
{
	if (!strcmp(ev->type, "call.answered"))
		assert_int_equal(0, bus_publish(s->rec->bus, "agent.state", "1001",
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
	pub(r, "call.answered");
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
		sub(s->rec, &late[i], "e");
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
	pub(r, "e1");
	assert_string_equal("adder:e1#1 after:e1#1", r->log);
	r->log[0] = '\0';
	pub(r, "e2");
	for (p = r->log; (p = strstr(p, "late:e2#2")); p++)
		n++;
	assert_int_equal(40, n);
	assert_non_null(strstr(r->log, "adder:e2#2 after:e2#2 late:e2#2"));
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

	assert_int_equal(0, bus_subscribe(r->bus, "kept.", keep, r));
	/* One reference ours, one given to the bus. */
	json_incref(data);
	assert_int_equal(0, bus_publish(r->bus, "other.event", "", 1, data));
	assert_int_equal(1, data->refcount);
	json_incref(data);
	assert_int_equal(0, bus_publish(r->bus, "kept.event", "", 2, data));
	/* The handler kept one with json_incref; the bus dropped its own. */
	assert_ptr_equal(data, r->kept);
	assert_int_equal(2, data->refcount);
	json_decref(data);
	/* teardown releases r->kept; ASan reports any leak. */
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
		T(bad_subscriptions_are_refused),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
