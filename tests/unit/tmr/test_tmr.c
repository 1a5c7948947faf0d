/* tmr: libre's timer API as this module implements it, on the real clock:
 * cancel, zero delay in start order, restart and cancel from handlers,
 * tmr_next_timeout, and one heap per libre thread. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <pthread.h>
#include <unistd.h>
#include <cmocka.h>
#include "tmr/tmr.h"
#include <re_main.h>

struct rec {
	char log[256];
	struct tmr *self, *other;
	int restarts;            /* times the handler restarts its timer */
	int fired;
};

static struct rec rec;

static void note(struct rec *r, const char *name)
{
	size_t len = strlen(r->log);
	snprintf(r->log + len, sizeof(r->log) - len, "%s%s", len ? " " : "",
		 name);
	r->fired++;
}

static void on_a(void *arg) { (void)arg; note(&rec, "a"); }
static void on_b(void *arg) { (void)arg; note(&rec, "b"); }
static void on_c(void *arg) { (void)arg; note(&rec, "c"); }

/* Polls the calling thread's list until n timers fired; at most 2 s. */
static void poll_until(int n)
{
	for (int i = 0; i < 2000 && rec.fired < n; i++) {
		tmr_poll(tmrl_get());
		if (rec.fired < n)
			usleep(1000);
	}
}

static int setup(void **state)
{
	(void)state;
	memset(&rec, 0, sizeof(rec));
	return 0;
}

static void test_order_and_cancel(void **state)
{
	(void)state;
	struct tmr a, b, c;
	tmr_init(&a);
	tmr_init(&b);
	tmr_init(&c);
	tmr_start(&c, 30, on_c, NULL);
	tmr_start(&a, 10, on_a, NULL);
	tmr_start(&b, 20, on_b, NULL);
	assert_true(tmr_isrunning(&b));
	tmr_cancel(&b);
	assert_false(tmr_isrunning(&b));
	tmr_cancel(&b);                   /* cancelling twice is harmless */
	poll_until(2);
	assert_string_equal(rec.log, "a c");
	assert_int_equal(tmr_pending(tmrl_get()), 0);
}

static void test_zero_delay_in_start_order(void **state)
{
	(void)state;
	struct tmr a, b, c;
	tmr_init(&a);
	tmr_init(&b);
	tmr_init(&c);
	tmr_start(&b, 0, on_b, NULL);
	tmr_start(&a, 0, on_a, NULL);
	tmr_start(&c, 0, on_c, NULL);
	tmr_start(&b, 0, on_b, NULL);     /* a restart goes to the back */
	tmr_poll(tmrl_get());
	assert_string_equal(rec.log, "a c b");
}

static void on_restart(void *arg)
{
	struct rec *r = arg;
	assert_false(tmr_isrunning(r->self)); /* stopped while it runs */
	note(r, "r");
	if (r->restarts-- > 0)
		tmr_start(r->self, 0, on_restart, r);
}

static void test_restart_from_handler(void **state)
{
	(void)state;
	struct tmr t;
	tmr_init(&t);
	rec.self = &t;
	rec.restarts = 2;
	tmr_start(&t, 0, on_restart, &rec);
	poll_until(3);
	assert_string_equal(rec.log, "r r r");
	assert_false(tmr_isrunning(&t));
}

static void on_cancel_other(void *arg)
{
	struct rec *r = arg;
	note(r, "x");
	tmr_cancel(r->other);
}

static void test_cancel_other_from_handler(void **state)
{
	(void)state;
	struct tmr x, b;
	tmr_init(&x);
	tmr_init(&b);
	rec.other = &b;
	tmr_start(&x, 0, on_cancel_other, &rec);
	tmr_start(&b, 0, on_b, NULL);
	tmr_poll(tmrl_get());
	usleep(5000);
	tmr_poll(tmrl_get());
	assert_string_equal(rec.log, "x");
	assert_false(tmr_isrunning(&b));
}

static void test_next_timeout(void **state)
{
	(void)state;
	struct tmr a, z;
	tmr_init(&a);
	tmr_init(&z);
	assert_int_equal(tmr_next_timeout(tmrl_get()), 0);
	tmr_start(&a, 60000, on_a, NULL);
	uint64_t to = tmr_next_timeout(tmrl_get());
	assert_true(to > 59000 && to <= 60000);
	assert_true(tmr_get_expire(&a) > 59000);
	tmr_start(&z, 0, on_b, NULL);
	assert_int_equal(tmr_next_timeout(tmrl_get()), 1);
	tmr_cancel(&z);
	tmr_cancel(&a);
	assert_int_equal(tmr_get_expire(&a), 0);
	assert_int_equal(tmr_next_timeout(tmrl_get()), 0);
}

/* A libre thread's timers live on its own list: the main thread neither
 * sees nor fires them. */
static void *other_thread(void *arg)
{
	struct tmr *t = arg;
	if (re_thread_init())
		return "re_thread_init";
	const char *fail = NULL;
	tmr_start(t, 0, on_c, NULL);
	if (tmr_pending(tmrl_get()) != 1)
		fail = "not on this thread's list";
	tmr_poll(tmrl_get());
	if (tmr_isrunning(t))
		fail = "did not fire on this thread";
	tmr_start(t, 60000, on_c, NULL);
	return (void *)fail;
}

static void test_per_thread(void **state)
{
	(void)state;
	struct tmr mine, theirs;
	tmr_init(&mine);
	tmr_init(&theirs);
	tmr_start(&mine, 60000, on_a, NULL);
	pthread_t th;
	void *fail = NULL;
	assert_int_equal(pthread_create(&th, NULL, other_thread, &theirs), 0);
	assert_int_equal(pthread_join(th, &fail), 0);
	assert_null(fail);
	assert_string_equal(rec.log, "c");
	/* The other thread left a timer running; ours is still alone. */
	assert_true(tmr_isrunning(&theirs));
	assert_int_equal(tmr_pending(tmrl_get()), 1);
	tmr_cancel(&theirs);
	tmr_cancel(&mine);
	assert_int_equal(tmr_pending(tmrl_get()), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_order_and_cancel, setup),
		cmocka_unit_test_setup(test_zero_delay_in_start_order, setup),
		cmocka_unit_test_setup(test_restart_from_handler, setup),
		cmocka_unit_test_setup(test_cancel_other_from_handler, setup),
		cmocka_unit_test_setup(test_next_timeout, setup),
		cmocka_unit_test_setup(test_per_thread, setup),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
