/* bench/mix: what the conference mixer costs the media thread, per
 * participant and per second, against a plain bridged pair's relaying
 * measured the same way. Issue 13's target: a three-party conference costs
 * no more than three bridged legs.
 *
 * One media thread (the engine, as `hotline serve` runs it) and one "phones"
 * thread in this process: every 20 ms each phone sends a 160-byte µ-law
 * packet of its own tone to its leg and drains what its leg sent it, over
 * loopback UDP. Each run sets up its legs as bridged pairs or as mixes of
 * n (everyone hears everyone else), lets them run one second, then measures
 * `seconds` of CPU: the process's, less the phones thread's and this one's,
 * is the media thread's (the recorder thread sleeps). Kernel time of the
 * sends counts, as it does for a real call; the phones' does not.
 *
 * Rows: an idle engine (the tick alone), one call of each shape, then many
 * at once (BENCH_MIX_LEGS legs, default 240, as pairs or mixes). A mix's
 * members send to one port, a mux, as a conference's phones do once
 * call/conf.c re-INVITEd them there; the last row keeps them on their own
 * ports, as a supervisor's mix does (the customer is not re-INVITEd for
 * being listened to). Figures:
 * µs of media-thread CPU per leg per second (per packet the thread sent,
 * times 50: a thread starved by a busy machine misses ticks and sends
 * less, which is not cheaper), the same less the idle engine's share (what
 * one call adds), the % of one core, packets the thread sent per leg per
 * second (50: every leg got its audio), late ticks (the thread was not
 * scheduled in time). A row keeps its cheapest run per packet.
 *
 * Two rows run minutes apart meet different load from the rest of the
 * machine (a row's cost moved by a quarter between runs here), so the
 * target's ratio is taken two more ways: the two many-call rows run
 * back to back, alternated; and both at once, each on a media thread of
 * its own, measured on the threads' own CPU clocks over the same seconds.
 *
 *   bench/mix [seconds [row]]  (default 4 s, or BENCH_MIX_SECONDS; with row,
 *                              only the rows whose name has it, e.g. for
 *                              perf: bench/mix 10 "mixes of 3");
 *                              BENCH_MIX_REPS runs per row (default 2);
 *                              BENCH_MIX_PHASE_MS (10) where in the media
 *                              thread's tick the phones send (negative:
 *                              by chance); BENCH_MIX_PIN (1) the media
 *                              threads on CPU 0, the phones on CPU 1;
 *                              after a full table, BENCH_MIX_PAIRS (5)
 *                              alternated runs of the many pairs and the
 *                              many mixes of 3, for the target's ratio,
 *                              then BENCH_MIX_BOTH (5) runs of both at
 *                              once, on two media threads */
#include <errno.h>
#include <math.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/timerfd.h>
#include <time.h>
#include <unistd.h>
#include <re_types.h>
#include <re_fmt.h>
#include <re_mem.h>
#include <re_main.h>
#include "media/media_int.h"

enum { MAX_LEGS = 600, FRAME = MEDIA_FRAME };

struct phone {
	int fd;
	uint16_t to;             /* its leg's port */
	uint16_t seq;
	uint32_t ts;
	uint8_t tone[FRAME];     /* µ-law */
};

struct run {
	struct phone ph[MAX_LEGS];
	struct media_leg *legs[MAX_LEGS];
	struct media_mix *mixes[MAX_LEGS];
	unsigned nlegs, nmixes;
	atomic_bool stop;
	atomic_uint_fast64_t phones_cpu_ns;   /* the phones thread's CPU so
					       * far, after each tick */
	struct timespec first;   /* the phones' first tick (CLOCK_MONOTONIC),
				  * or zero: 20 ms from their start */
};

static double seconds = 4;
/* Where in the media thread's 20 ms the phones send (BENCH_MIX_PHASE_MS,
 * default 10: half a tick after it, so the thread does not read the
 * sockets while the phones thread writes them); negative: wherever their
 * timer happens to start. The both-at-once runs leave it to chance: their
 * two engines tick apart. */
static double phase_ms = 10;
/* Whether the media threads run on CPU 0 and the phones on CPU 1
 * (BENCH_MIX_PIN, default 1 on two cores or more): left to the scheduler,
 * a run sharing one core and a run on two cost different kernel work per
 * packet, and which a run got was chance. */
static bool pin;

/* Keeps the calling thread (and the threads it starts) on one CPU. */
static void pin_self(int cpu)
{
	cpu_set_t set;

	if (!pin)
		return;
	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	(void)pthread_setaffinity_np(pthread_self(), sizeof(set), &set);
}

static uint64_t cpu_ns(clockid_t clk)
{
	struct timespec ts;

	clock_gettime(clk, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static void sleep_s(double s)
{
	struct timespec ts = {.tv_sec = (time_t)s,
			      .tv_nsec = (long)((s - (double)(time_t)s) * 1e9)};
	while (nanosleep(&ts, &ts) && errno == EINTR)
		;
}

/* Every 20 ms: drain what each phone got, then send it one packet. */
static void *phones_main(void *arg)
{
	struct run *r = arg;
	struct itimerspec its = {.it_interval = {0, 20000000},
				 .it_value = {0, 20000000}};
	int tfd = timerfd_create(CLOCK_MONOTONIC, 0);
	int flags = r->first.tv_sec ? TFD_TIMER_ABSTIME : 0;
	uint8_t buf[1500];

	pin_self(1);
	if (flags)
		its.it_value = r->first;
	if (tfd < 0 || timerfd_settime(tfd, flags, &its, NULL))
		return NULL;
	while (!atomic_load(&r->stop)) {
		uint64_t ticks;

		if (read(tfd, &ticks, sizeof(ticks)) < 0)
			break;
		for (unsigned i = 0; i < r->nlegs; i++) {
			struct phone *p = &r->ph[i];
			struct media_rtp_hdr h = {.pt = 0, .seq = p->seq++,
						  .ts = p->ts,
						  .ssrc = 0x10000u + i};
			struct sockaddr_in to = {.sin_family = AF_INET,
						 .sin_port = htons(p->to),
						 .sin_addr.s_addr =
							 htonl(INADDR_LOOPBACK)};
			size_t hlen;

			while (recv(p->fd, buf, sizeof(buf), MSG_DONTWAIT) > 0)
				;
			p->ts += FRAME;
			if (media_rtp_write(buf, sizeof(buf), &h, &hlen))
				continue;
			memcpy(buf + hlen, p->tone, FRAME);
			(void)sendto(p->fd, buf, hlen + FRAME, 0,
				     (struct sockaddr *)&to, sizeof(to));
		}
		atomic_store(&r->phones_cpu_ns,
			     cpu_ns(CLOCK_THREAD_CPUTIME_ID));
	}
	atomic_store(&r->phones_cpu_ns, cpu_ns(CLOCK_THREAD_CPUTIME_ID));
	close(tfd);
	return NULL;
}

static int phone_open(struct run *r, struct media_engine *e, unsigned i)
{
	struct phone *p = &r->ph[i];
	struct sockaddr_in me = {.sin_family = AF_INET,
				 .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
	socklen_t len = sizeof(me);
	int16_t pcm[FRAME];
	int err;

	/* Tones at multiples of 50 Hz repeat every 20 ms: one frame each. */
	for (unsigned k = 0; k < FRAME; k++)
		pcm[k] = (int16_t)lrint(6000 * sin(2 * M_PI * (300 + 50 * (i % 20)) *
						 k / MEDIA_RATE));
	media_ulaw_encode_buf(p->tone, pcm, FRAME);
	p->fd = socket(AF_INET, SOCK_DGRAM, 0);
	if (p->fd < 0 || bind(p->fd, (struct sockaddr *)&me, sizeof(me)) ||
	    getsockname(p->fd, (struct sockaddr *)&me, &len))
		return errno;
	err = media_leg_alloc(&r->legs[i], e, 0, NULL);
	if (!err)
		err = media_leg_set_codec(r->legs[i], MEDIA_PCMU, 0, 101);
	if (!err)
		err = media_leg_set_remote(r->legs[i], (struct sockaddr *)&me,
					   len);
	if (err)
		return err;
	p->to = media_leg_port(r->legs[i]);
	r->nlegs++;
	return 0;
}

/* What one run measured. */
struct result {
	double cpu_us;           /* media-thread CPU per second */
	double pkts;             /* packets it sent per second */
	uint64_t late;           /* ticks it ran late */
};

/* How a row's legs are put together: bridged pairs; mixes of `per` whose
 * members' phones were moved to one port (a conference: call/conf.c
 * re-INVITEs them to a mux); mixes whose members stay on their own ports
 * (a supervisor on a call, who is not worth a re-INVITE to the customer). */
enum shape { PAIRS, CONFERENCE, OWN_PORTS };

/* The phones of r's legs from `from` on, as a mix of per on a mux. */
static int conference(struct run *r, struct media_engine *e, unsigned from,
		      unsigned per)
{
	struct media_mux *x = NULL;
	int err = media_mux_alloc(&x, e, 0);

	for (unsigned k = 0; k < per && !err; k++) {
		err = media_leg_mux(r->legs[from + k], x);
		r->ph[from + k].to = media_leg_port(r->legs[from + k]);
	}
	/* The legs hold it now. */
	media_mux_release(x);
	return err;
}

/* Adds legs phones to r, their legs on e, as pairs (per = 2) or as mixes of
 * per. */
static int wire(struct run *r, struct media_engine *e, unsigned legs,
		unsigned per, enum shape shape)
{
	unsigned from = r->nlegs;
	int err = 0;

	for (unsigned i = 0; i < legs && !err; i++)
		err = phone_open(r, e, from + i);
	for (unsigned i = from; per && i + per <= r->nlegs && !err; i += per) {
		if (shape == PAIRS) {
			err = media_bridge(r->legs[i], r->legs[i + 1]);
			continue;
		}
		if (shape == CONFERENCE)
			err = conference(r, e, i, per);
		err = err ? err : media_mix_alloc(&r->mixes[r->nmixes], e, 0);
		for (unsigned k = 0; k < per && !err; k++)
			err = media_mix_add(r->mixes[r->nmixes], r->legs[i + k],
					    true);
		r->nmixes++;
	}
	return err;
}

/* Frees what wire set up. */
static void unwire(struct run *r)
{
	for (unsigned i = 0; i < r->nmixes; i++)
		media_mix_free(r->mixes[i]);
	for (unsigned i = 0; i < r->nlegs; i++) {
		media_leg_close(r->legs[i]);
		close(r->ph[i].fd);
	}
	sleep_s(0.2);   /* the closes reach the thread before the next run */
}

/* When the phones' first tick is to be: phase_ms after one of e's media
 * thread's ticks (its CPU clock, in the stats, moves once a tick, as it
 * ends: with hundreds of legs a fraction of a millisecond after it began),
 * or zero when the phase is left to chance. */
static struct timespec phones_first(struct media_engine *e)
{
	struct media_stats st;
	struct timespec t = {0}, nap = {0, 100000};
	uint64_t cpu0, ns;

	if (phase_ms < 0)
		return t;
	media_engine_stats(e, &st);
	cpu0 = st.cpu_ns;
	for (int i = 0; i < 1000 && st.cpu_ns == cpu0; i++) {
		nanosleep(&nap, NULL);
		media_engine_stats(e, &st);
	}
	/* A tick well ahead: the phones thread is started meanwhile. */
	ns = cpu_ns(CLOCK_MONOTONIC) + 5 * 20000000ull +
		(uint64_t)(phase_ms * 1e6);
	t.tv_sec = (time_t)(ns / 1000000000u);
	t.tv_nsec = (long)(ns % 1000000000u);
	return t;
}

/* legs legs as pairs (per = 2, bridged) or as mixes of per; 0 legs: the
 * idle engine. */
static int measure(struct media_engine *e, unsigned legs, unsigned per,
		   enum shape shape, struct result *res)
{
	static struct run r;
	struct media_stats a, b;
	pthread_t tid;
	uint64_t proc0, self0, ph0, proc1, self1;
	double cpu_s;
	int err = 0;

	memset(&r, 0, sizeof(r));
	err = wire(&r, e, legs, per, shape);
	if (!err)
		r.first = phones_first(e);
	if (err || pthread_create(&tid, NULL, phones_main, &r)) {
		err = err ? err : EAGAIN;
		goto out;
	}
	sleep_s(1);
	media_engine_stats(e, &a);
	proc0 = cpu_ns(CLOCK_PROCESS_CPUTIME_ID);
	self0 = cpu_ns(CLOCK_THREAD_CPUTIME_ID);
	ph0 = atomic_load(&r.phones_cpu_ns);
	sleep_s(seconds);
	atomic_store(&r.stop, true);
	pthread_join(tid, NULL);
	proc1 = cpu_ns(CLOCK_PROCESS_CPUTIME_ID);
	self1 = cpu_ns(CLOCK_THREAD_CPUTIME_ID);
	media_engine_stats(e, &b);
	/* ph0 is as of the phones' last tick before the window: off by one
	 * tick of theirs at most. */
	cpu_s = (double)(proc1 - proc0 - (self1 - self0) -
			 (atomic_load(&r.phones_cpu_ns) - ph0)) / 1e9;
	res->cpu_us = cpu_s > 0 ? cpu_s * 1e6 / seconds : 0;
	res->pkts = (double)(b.tx_packets - a.tx_packets) / seconds;
	res->late = b.late_ticks - a.late_ticks;
out:
	unwire(&r);
	return err;
}

struct row {
	const char *what;        /* %u: how many calls */
	unsigned calls;          /* 0: as many as make `many` legs */
	unsigned per;            /* legs per call */
	enum shape shape;
};

/* The idle engine, one call of each shape, then the same shapes many at
 * once. A row keeps its cheapest repetition: another process on the
 * machine only ever adds to the cost. */
static const struct row rows[] = {
	{"idle engine (us/s)",   1, 0, PAIRS},
	{"%u bridged pair",      1, 2, PAIRS},
	{"%u mix of 3",          1, 3, CONFERENCE},
	{"%u mix of 5",          1, 5, CONFERENCE},
	{"%u mix of 8",          1, 8, CONFERENCE},
	{"%u bridged pairs",     0, 2, PAIRS},
	{"%u mixes of 3",        0, 3, CONFERENCE},
	{"%u mixes of 5",        0, 5, CONFERENCE},
	{"%u mixes of 8",        0, 8, CONFERENCE},
	{"%u of 3, own ports",   0, 3, OWN_PORTS},
};
enum { NROWS = sizeof(rows) / sizeof(rows[0]) };

static unsigned many = 240;       /* legs in the "many" rows */
static unsigned reps = 2;
static double per_leg[NROWS];     /* µs per leg per second, */
static double above_idle[NROWS];  /* and above the idle tick */

/* µs of the media thread per packet it sent in run r. */
static double per_packet(const struct result *r)
{
	return r->cpu_us / (r->pkts > 0 ? r->pkts : 1);
}

/* Runs row i unless its name lacks filter (NULL: every row). */
static void run_row(struct media_engine *e, size_t i, const char *filter)
{
	const struct row *rw = &rows[i];
	unsigned calls = rw->calls ? rw->calls : many / rw->per;
	unsigned legs = calls * rw->per;
	struct result best = {0}, res = {0};
	double cost = 0;
	char what[64];

	snprintf(what, sizeof(what), rw->what, calls);
	if (filter && !strstr(what, filter))
		return;
	for (unsigned k = 0; k < reps; k++) {
		int err = measure(e, legs, rw->per, rw->shape, &res);
		double c = legs ? per_packet(&res) : res.cpu_us;
		if (err) {
			printf("%-24s cannot set up: %s\n", what, strerror(err));
			return;
		}
		if (!k || c < cost) {
			best = res;
			cost = c;
		}
	}
	/* Per packet sent, then at the nominal 50 packets a second: a
	 * thread that missed ticks did less work, not cheaper work. */
	per_leg[i] = legs ? cost * 50 : best.cpu_us;
	above_idle[i] = legs ? per_leg[i] - per_leg[0] / legs : 0;
	/* The idle engine's first figure is its µs per second, legs or not. */
	printf("%-24s %5u %9.1f %9.1f %9.2f %10.1f %5llu\n", what, legs,
	       per_leg[i], above_idle[i], best.cpu_us / 1e4,
	       legs ? best.pkts / legs : 0, (unsigned long long)best.late);
}

/* A 3-party conference's participant over a bridged leg: `m` over `b`. */
static void compare(const char *what, size_t m, size_t b, const double *v)
{
	if (v[m] > 0 && v[b] > 0)
		printf("  %-34s %5.2f\n", what, v[m] / v[b]);
}

/* µs per leg per second of one run of row i (see run_row); -1 if it
 * could not be set up. */
static double run_once(struct media_engine *e, size_t i)
{
	const struct row *rw = &rows[i];
	unsigned legs = (rw->calls ? rw->calls : many / rw->per) * rw->per;
	struct result res = {0};

	if (measure(e, legs, rw->per, rw->shape, &res))
		return -1;
	return per_packet(&res) * 50;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

/* Prints the median of the n ratios in r (sorted here) and their range;
 * nothing when there are none. */
static void print_median(const char *what, double *r, unsigned n,
			 const char *over)
{
	if (!n)
		return;
	qsort(r, n, sizeof(*r), cmp_double);
	printf("  %-34s %5.2f (%.2f-%.2f over %u %s)\n", what, r[n / 2], r[0],
	       r[n - 1], n, over);
}

/* Row m over row b from n back-to-back pairs of runs, the order turning
 * each pair: the table's rows run minutes apart, and this machine's cost
 * for the same row drifts by a fifth in that time (load from other
 * processes), which a ratio of two distant rows takes for the mixer's. */
static void alternate(struct media_engine *e, size_t m, size_t b,
		      unsigned n)
{
	double r[32];
	unsigned got = 0;

	for (unsigned k = 0; k < n && k < 32; k++) {
		double x, y;

		if (k % 2) {
			y = run_once(e, b);
			x = run_once(e, m);
		}
		else {
			x = run_once(e, m);
			y = run_once(e, b);
		}
		if (x > 0 && y > 0)
			r[got++] = x / y;
	}
	print_median("many calls, runs alternated", r, got, "pairs");
}

/* µs of thread CPU per packet sent, times 50, between two stats. */
static double per_leg_s(const struct media_stats *a, const struct media_stats *b)
{
	double pkts = (double)(b->tx_packets - a->tx_packets);

	return pkts > 0 ? (double)(b->cpu_ns - a->cpu_ns) / 1e3 / pkts * 50 : 0;
}

/* Both rows at once, each on a media thread of its own (engines e and f),
 * the same phones thread driving both: the two meet the same load from the
 * rest of the machine over the same seconds, which no two runs do. Each
 * thread's CPU is its own clock (media_stats.cpu_ns). The engines swap rows
 * every run. Sets *ratio to mixes over pairs. */
static int both_once(struct media_engine *e, struct media_engine *f,
		     bool swap, double *ratio)
{
	static struct run r;
	struct media_engine *pe = swap ? f : e, *me = swap ? e : f;
	struct media_stats p0, m0, p1, m1;
	pthread_t tid;
	int err;

	memset(&r, 0, sizeof(r));
	err = wire(&r, pe, many, 2, PAIRS);
	if (!err)
		err = wire(&r, me, many, 3, CONFERENCE);
	if (err || pthread_create(&tid, NULL, phones_main, &r)) {
		err = err ? err : EAGAIN;
		goto out;
	}
	sleep_s(1);
	media_engine_stats(pe, &p0);
	media_engine_stats(me, &m0);
	sleep_s(seconds);
	media_engine_stats(pe, &p1);
	media_engine_stats(me, &m1);
	atomic_store(&r.stop, true);
	pthread_join(tid, NULL);
	*ratio = per_leg_s(&p0, &p1) > 0 ?
		per_leg_s(&m0, &m1) / per_leg_s(&p0, &p1) : 0;
out:
	unwire(&r);
	return err;
}

static void both(struct media_engine *e, unsigned n)
{
	struct media_engine_opts o = {.threads = 1, .port_lo = 48000,
				      .port_hi = 53999, .bind_ip = "127.0.0.1"};
	struct media_engine *f = NULL;
	double r[32];
	unsigned got = 0;

	if (2 * many > MAX_LEGS || media_engine_start(&f, &o)) {
		printf("  both at once: cannot set up %u legs\n", 2 * many);
		return;
	}
	for (unsigned k = 0; k < n && k < 32; k++) {
		double x = 0;
		if (!both_once(e, f, k % 2, &x) && x > 0)
			r[got++] = x;
	}
	media_engine_stop(f);
	print_median("many calls, both at once", r, got, "runs");
}

static unsigned env_u(const char *name, unsigned dflt)
{
	const char *v = getenv(name);
	return v && atoi(v) > 0 ? (unsigned)atoi(v) : dflt;
}

int main(int argc, char **argv)
{
	struct media_engine *e = NULL;
	struct media_engine_opts o = {.threads = 1, .port_lo = 42000,
				      .port_hi = 47999, .bind_ip = "127.0.0.1"};
	struct rlimit rl;
	const char *env = getenv("BENCH_MIX_SECONDS");

	seconds = argc > 1 ? atof(argv[1]) : env ? atof(env) : 4;
	if (seconds <= 0)
		seconds = 4;
	/* A multiple of 120 makes whole pairs and mixes of 3, 5 and 8. */
	many = env_u("BENCH_MIX_LEGS", 240) / 120 * 120;
	if (!many || many > MAX_LEGS)
		many = 240;
	reps = env_u("BENCH_MIX_REPS", 2);
	env = getenv("BENCH_MIX_PHASE_MS");
	phase_ms = env && *env ? fmod(atof(env), 20) : 10;
	pin = env_u("BENCH_MIX_PIN", 1) && sysconf(_SC_NPROCESSORS_ONLN) >= 2;
	/* The engines' threads start from this one and keep its CPU. */
	pin_self(0);
	/* Two sockets per leg. */
	if (!getrlimit(RLIMIT_NOFILE, &rl) && rl.rlim_cur < rl.rlim_max) {
		rl.rlim_cur = rl.rlim_max;
		(void)setrlimit(RLIMIT_NOFILE, &rl);
	}
	if (libre_init() || media_engine_start(&e, &o)) {
		fprintf(stderr, "bench/mix: cannot start the engine\n");
		return 1;
	}
	printf("bench/mix: one media thread, µ-law legs, %.0f s per run, "
	       "lowest of %u runs per row, ", seconds, reps);
	if (phase_ms < 0)
		printf("the phones' timer in any phase");
	else
		printf("the phones sending %.1f ms into each tick", phase_ms);
	printf(pin ? ", media on CPU 0, phones on 1\n" : ", CPUs unpinned\n");
	printf("%-24s %5s %9s %9s %9s %10s %5s\n", "", "legs", "us/leg/s",
	       ">idle", "% core", "pkts/leg/s", "late");
	/* The idle engine always: the others are measured against it. */
	for (size_t i = 0; i < NROWS; i++)
		run_row(e, i, i && argc > 2 ? argv[2] : NULL);
	printf("a 3-party conference's participant over a bridged leg "
	       "(target <= 1.00):\n");
	compare("one call, as measured", 2, 1, per_leg);
	compare("one call, above the idle tick", 2, 1, above_idle);
	compare("many calls, rows above", 6, 5, per_leg);
	compare("many calls, members on own ports", 9, 5, per_leg);
	if (argc <= 2) {
		alternate(e, 6, 5, env_u("BENCH_MIX_PAIRS", 5));
		both(e, env_u("BENCH_MIX_BOTH", 5));
	}
	media_engine_stop(e);
	libre_close();
	return 0;
}
