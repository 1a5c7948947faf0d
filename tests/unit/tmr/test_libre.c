/* tmr with libre itself: the layout and symbol binding the module relies
 * on (a libre upgrade that breaks them fails here), re_main's loop running
 * on this module's heap, and a real libre SIP client transaction keeping
 * RFC 3261's UDP schedule on it: INVITE retransmitted by Timer A at T1,
 * 2T1, 4T1... until Timer B ends it at 64*T1; OPTIONS by Timer E, doubling
 * up to T2, until Timer F at 64*T1.
 *
 * The two transactions run at once (their schedules are independent).
 * This binary runs libre's clock SCALE times fast: it defines tmr_jiffies,
 * which libre, like this module, reaches through the dynamic linker, so a
 * 32 s Timer B takes 16 s. A 1 ms timerfd wakes the loop, whose sleep is
 * computed from the scaled clock. The checks are on the scaled clock: no
 * send before its time (exact), none more than T1 (250 ms of real time)
 * after it, for a loaded machine. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <dlfcn.h>
#include <errno.h>
#include <time.h>
#include <unistd.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/timerfd.h>
#include <cmocka.h>
#include "tmr/tmr.h"
#include <re_mbuf.h>
#include <re_sa.h>
#include <re_msg.h>
#include <re_uri.h>
#include <re_main.h>
#include <re_mem.h>
#include <re_sip.h>

enum { SCALE = 2, T1 = 500, T2 = 4000, MAX_SENDS = 16 };

uint64_t tmr_jiffies(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ((uint64_t)ts.tv_sec * 1000000 + (uint64_t)ts.tv_nsec / 1000)
		* SCALE / 1000;
}

/* libre 1.1.0's struct tmr, as this module's heap index relies on it. */
_Static_assert(offsetof(struct tmr, le) == 0, "struct tmr: le first");
_Static_assert(offsetof(struct tmr, th) == sizeof(struct le),
	       "struct tmr: th after le");
_Static_assert(sizeof(struct tmr) == sizeof(struct le) + 2 * sizeof(void *)
	       + sizeof(uint64_t), "struct tmr: le, th, arg, jfs");
_Static_assert(sizeof(((struct le *)0)->prev) >= sizeof(size_t),
	       "a heap index fits in le.prev");

/* Every name libre calls must resolve to this executable's definition,
 * which is what libre's PLT/GOT entries are bound to. (A libre that binds
 * its own calls internally, -Bsymbolic, passes this check and fails the
 * next two: its re_main never fires a timer of this heap, and its
 * transactions arm none here.) */
static void test_symbols_bind_here(void **state)
{
	(void)state;
	static const struct { const char *name; void *ours; } rows[] = {
		{ "tmr_init", (void *)tmr_init },
		{ "tmr_start", (void *)tmr_start },
		{ "tmr_cancel", (void *)tmr_cancel },
		{ "tmr_poll", (void *)tmr_poll },
		{ "tmr_next_timeout", (void *)tmr_next_timeout },
		{ "tmr_get_expire", (void *)tmr_get_expire },
		{ "tmr_status", (void *)tmr_status },
		{ "tmr_debug", (void *)tmr_debug },
		{ "tmr_jiffies", (void *)tmr_jiffies },
	};
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		void *bound = dlsym(RTLD_DEFAULT, rows[i].name);
		if (bound != rows[i].ours)
			fail_msg("%s binds to %p, not this module's %p",
				 rows[i].name, bound, rows[i].ours);
	}
}

static int tick_fd = -1;

static void on_tick(int flags, void *arg)
{
	(void)flags;
	(void)arg;
	uint64_t n;
	(void)!read(tick_fd, &n, sizeof(n));
}

static int setup(void **state)
{
	(void)state;
	if (libre_init())
		return -1;
	tick_fd = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK);
	struct itimerspec its = { .it_interval = { 0, 1000000 },
				  .it_value = { 0, 1000000 } };
	if (tick_fd < 0 || timerfd_settime(tick_fd, 0, &its, NULL))
		return -1;
	return fd_listen(tick_fd, FD_READ, on_tick, NULL) ? -1 : 0;
}

static int teardown(void **state)
{
	(void)state;
	fd_close(tick_fd);
	close(tick_fd);
	libre_close();
	return 0;
}

static void on_stop(void *arg)
{
	*(int *)arg = 1;
	re_cancel();
}

/* re_main polls and sleeps on this module's heap: had libre kept its own
 * tmr_poll, the timer would never fire and alarm() would end the test. */
static void test_re_main_uses_heap(void **state)
{
	(void)state;
	struct tmr t;
	int fired = 0;
	tmr_init(&t);
	tmr_start(&t, 50, on_stop, &fired);
	assert_int_equal(tmr_pending(tmrl_get()), 1);
	alarm(20);
	assert_int_equal(re_main(NULL), 0);
	alarm(0);
	assert_int_equal(fired, 1);
}

/* A UDP peer that never answers, noting when each request arrives. */
struct peer {
	int fd;
	struct sa addr;
	uint64_t at[MAX_SENDS];
	int sends;
	int err;                 /* what the transaction ended with */
	uint64_t start, end;
};

static void on_datagram(int flags, void *arg)
{
	(void)flags;
	struct peer *p = arg;
	char buf[4096];
	while (recv(p->fd, buf, sizeof(buf), 0) > 0)
		if (p->sends < MAX_SENDS)
			p->at[p->sends++] = tmr_jiffies();
}

/* Transactions still under way: the loop stops when the last one ends. */
static int running;

static void on_response(int err, const struct sip_msg *msg, void *arg)
{
	(void)msg;
	struct peer *p = arg;
	p->err = err;
	p->end = tmr_jiffies();
	if (--running == 0)
		re_cancel();
}

/* Sends method to a fresh peer p from a fresh SIP stack *sipp. */
static void start_transaction(const char *method, struct peer *p,
			      struct sip **sipp)
{
	memset(p, 0, sizeof(*p));
	p->fd = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK, 0);
	assert_true(p->fd >= 0);
	struct sockaddr_in in = { .sin_family = AF_INET,
				  .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	socklen_t len = sizeof(in);
	assert_int_equal(bind(p->fd, (struct sockaddr *)&in, len), 0);
	assert_int_equal(getsockname(p->fd, (struct sockaddr *)&in, &len), 0);
	assert_int_equal(fd_listen(p->fd, FD_READ, on_datagram, p), 0);

	struct sip *sip = NULL;
	struct sa laddr;
	char uri[64];
	assert_int_equal(sip_alloc(&sip, NULL, 32, 32, 32, "tmr-test", NULL,
				   NULL), 0);
	assert_int_equal(sa_set_str(&laddr, "127.0.0.1", 0), 0);
	assert_int_equal(sip_transp_add(sip, SIP_TRANSP_UDP, &laddr), 0);
	snprintf(uri, sizeof(uri), "sip:peer@127.0.0.1:%u",
		 ntohs(in.sin_port));
	uint32_t before = tmr_pending(tmrl_get());
	p->start = tmr_jiffies();
	assert_int_equal(sip_requestf(NULL, sip, true, method, uri, NULL,
				      NULL, NULL, on_response, p,
				      "To: <%s>\r\nFrom: <sip:t@127.0.0.1>;tag=1"
				      "\r\nCall-ID: tmr-%s\r\nCSeq: 1 %s\r\n"
				      "Content-Length: 0\r\n\r\n", uri,
				      method, method), 0);
	/* Timers A/E and B/F went to this module's heap, not libre's list. */
	assert_true(tmr_pending(tmrl_get()) >= before + 2);
	running++;
	*sipp = sip;
}

static void end_transaction(struct peer *p, struct sip *sip)
{
	fd_close(p->fd);
	close(p->fd);
	sip_close(sip, true);
	mem_deref(sip);
}

/* The k-th gap (k from 1) between sends is want[k-1] on the scaled clock.
 * A timer never fires early, so each send comes no sooner than the sum of
 * the gaps before it after the start: that bound is exact. A loaded
 * machine only makes sends late, so the upper bound on a gap is loose. */
static void assert_schedule(const struct peer *p, const uint64_t *want,
			    int sends)
{
	assert_int_equal(p->err, ETIMEDOUT);
	assert_int_equal(p->sends, sends);
	uint64_t due = 0;
	for (int k = 1; k < p->sends; k++) {
		due += want[k - 1];
		uint64_t gap = p->at[k] - p->at[k - 1];
		if (p->at[k] - p->start < due || gap > want[k - 1] + T1)
			fail_msg("send %d: %llu ms after the start, %llu after "
				 "the last; want >= %llu and ~%llu", k,
				 (unsigned long long)(p->at[k] - p->start),
				 (unsigned long long)gap,
				 (unsigned long long)due,
				 (unsigned long long)want[k - 1]);
	}
	uint64_t total = p->end - p->start;
	assert_true(total >= 64 * T1 && total <= 64 * T1 + 2 * T1);
}

/* The INVITE and the OPTIONS run side by side on one loop: each has its
 * own stack, socket and peer, and the two schedules take 64*T1 together
 * instead of one after the other. */
static void test_invite_a_b_options_e_f(void **state)
{
	(void)state;
	struct peer inv, opt;
	struct sip *inv_sip, *opt_sip;
	start_transaction("INVITE", &inv, &inv_sip);
	start_transaction("OPTIONS", &opt, &opt_sip);
	alarm(60);
	assert_int_equal(re_main(NULL), 0);
	alarm(0);
	end_transaction(&inv, inv_sip);
	end_transaction(&opt, opt_sip);

	/* INVITE: sent at 0, T1, 3T1, 7T1, 15T1, 31T1, 63T1; Timer B at
	 * 64T1. */
	const uint64_t want_inv[] = { T1, 2 * T1, 4 * T1, 8 * T1, 16 * T1,
				      32 * T1 };
	assert_schedule(&inv, want_inv, 7);
	/* OPTIONS: gaps T1, 2T1, 4T1, then T2 until Timer F at 64T1 (sent at
	 * 0, .5, 1.5, 3.5, 7.5, 11.5 ... 31.5 s). */
	const uint64_t want_opt[] = { T1, 2 * T1, 4 * T1, T2, T2, T2, T2, T2,
				      T2, T2 };
	assert_schedule(&opt, want_opt, 11);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_symbols_bind_here),
		cmocka_unit_test(test_re_main_uses_heap),
		cmocka_unit_test(test_invite_a_b_options_e_f),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
