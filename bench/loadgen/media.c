/* media: RTP for thousands of calls on a few threads. Each thread owns an
 * epoll set and one 20 ms timerfd: a tick sends one packet on every stream
 * it drives, so the cost is a sendto per stream and no timer per call.
 *
 * What always holds:
 *  (1) A stream is freed only by its thread, at a tick, after the loop let
 *      go of it (lg_stream_close); events of a tick's batch are handled
 *      before the tick, so no event ever names a freed stream.
 *  (2) The loop publishes where to send in one atomic word (dest); the
 *      thread reads it once per tick, so a re-INVITE moves a stream whole.
 *  (3) Counters are written by their thread only and read by anyone. */
#include <errno.h>
#include <math.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/timerfd.h>
#include <unistd.h>
#include <spandsp/telephony.h>
#include <spandsp/bit_operations.h>
#include <spandsp/g711.h>
#include <re.h>
#include "loadgen.h"

enum {
	SAMPLES = 160,            /* 20 ms of 8 kHz audio */
	HDR = 12,
	TICK_NS = 20 * 1000 * 1000,
	DTMF_DELAY_TICKS = 50,    /* a second of audio before the first digit */
	DIGIT_TICKS = 4,          /* event packets before the end packets */
	END_PACKETS = 3,          /* RFC 4733 2.5.1.4: the end is sent thrice */
	GAP_TICKS = 5,            /* audio between two digits */
	EVENT_BATCH = 256,
	RX_BURST = 32,            /* packets read per stream per wake-up */
	DEFAULT_EVPT = 101,
};

/* One counter per lg_rtp field, so the thread can keep them atomic. */
enum ctr { C_TX, C_RX, C_EXPECTED, C_GAPS, C_LATE, C_DUP, C_FOREIGN,
	   C_SSRC, C_DIGITS, C_SEND_ERR, C_SIM_DROPPED, C_N };

static const size_t ctr_field[C_N] = {
	[C_TX] = offsetof(struct lg_rtp, tx),
	[C_RX] = offsetof(struct lg_rtp, rx),
	[C_EXPECTED] = offsetof(struct lg_rtp, expected),
	[C_GAPS] = offsetof(struct lg_rtp, gaps),
	[C_LATE] = offsetof(struct lg_rtp, late),
	[C_DUP] = offsetof(struct lg_rtp, dup),
	[C_FOREIGN] = offsetof(struct lg_rtp, foreign),
	[C_SSRC] = offsetof(struct lg_rtp, ssrc_changes),
	[C_DIGITS] = offsetof(struct lg_rtp, digits),
	[C_SEND_ERR] = offsetof(struct lg_rtp, send_err),
	[C_SIM_DROPPED] = offsetof(struct lg_rtp, sim_dropped),
};

struct mthread {
	pthread_t th;
	int epfd, tfd;
	struct lg_media *m;
	pthread_mutex_t lock;
	struct lg_stream *pending;     /* guarded by lock: not yet adopted */
	struct lg_stream **v;          /* thread only: streams it drives */
	size_t n, cap;
	_Atomic uint64_t c[LG_SIDES][C_N];
	_Atomic uint64_t late_ticks;
	atomic_bool stop;
	bool started;
};

struct lg_media {
	struct mthread *t;
	unsigned n, next;
	unsigned sim_loss_every;
	uint8_t tone[2][SAMPLES];      /* 400 Hz: [0] PCMU, [1] PCMA */
};

struct lg_stream {
	struct lg_stream *next;        /* pending list */
	int fd;
	enum lg_side side;
	_Atomic uint64_t dest;         /* see pack_dest(); 0: not sending */
	atomic_bool closing;
	char dtmf[LG_DTMF_MAX + 1];    /* set before the first dest */
	/* sender, thread only */
	uint32_t ssrc, ts, ev_ts;
	uint16_t seq;
	bool marker;
	unsigned ticks, dtmf_pos, dtmf_phase;
	/* receiver, thread only */
	bool rx_started, have_end;
	uint32_t rx_ssrc, last_end_ts;
	uint16_t max_seq;
};

/* dest: bit 63 set, IPv4 address in bits 0-31 and port in 32-47 (network
 * order values), pt in 48-54, evpt + 1 in 55-62 (0: no events). */
static uint64_t pack_dest(uint32_t ip, uint16_t port, int pt, int evpt)
{
	return (1ull << 63) | ip | (uint64_t)port << 32 |
	       (uint64_t)(pt & 0x7f) << 48 | (uint64_t)((evpt + 1) & 0xff) << 55;
}

static void bump(struct mthread *t, enum lg_side side, enum ctr c, uint64_t n)
{
	/* Single writer: a relaxed load and store, no locked instruction. */
	uint64_t v = atomic_load_explicit(&t->c[side][c], memory_order_relaxed);
	atomic_store_explicit(&t->c[side][c], v + n, memory_order_relaxed);
}

static int digit_code(char d)
{
	static const char codes[] = "0123456789*#ABCD";
	const char *p = strchr(codes, d >= 'a' && d <= 'd' ? d - 32 : d);

	return d && p ? (int)(p - codes) : -1;
}

static void rx_account(struct mthread *t, struct lg_stream *s,
		       const uint8_t *p, size_t n)
{
	uint64_t dest = atomic_load_explicit(&s->dest, memory_order_acquire);
	int evpt = dest ? (int)((dest >> 55) & 0xff) - 1 : DEFAULT_EVPT;
	uint16_t seq, delta;
	uint32_t ts, ssrc;

	/* RTCP (types 192-223 in byte 1) and anything not RTP v2 is foreign. */
	if (n < HDR || (p[0] >> 6) != 2 || (p[1] >= 192 && p[1] <= 223)) {
		bump(t, s->side, C_FOREIGN, 1);
		return;
	}
	seq = (uint16_t)(p[2] << 8 | p[3]);
	ts = (uint32_t)p[4] << 24 | (uint32_t)p[5] << 16 | p[6] << 8 | p[7];
	ssrc = (uint32_t)p[8] << 24 | (uint32_t)p[9] << 16 | p[10] << 8 | p[11];
	bump(t, s->side, C_RX, 1);

	if ((p[1] & 0x7f) == (evpt < 0 ? DEFAULT_EVPT : evpt) &&
	    n >= HDR + 4 && (p[HDR + 1] & 0x80) &&
	    !(s->have_end && s->last_end_ts == ts)) {
		s->have_end = true;
		s->last_end_ts = ts;
		bump(t, s->side, C_DIGITS, 1);
	}

	if (!s->rx_started || ssrc != s->rx_ssrc) {
		if (s->rx_started)
			bump(t, s->side, C_SSRC, 1);
		s->rx_started = true;
		s->rx_ssrc = ssrc;
		s->max_seq = seq;
		bump(t, s->side, C_EXPECTED, 1);
		return;
	}
	delta = (uint16_t)(seq - s->max_seq);
	if (delta == 0) {
		bump(t, s->side, C_DUP, 1);
	}
	else if (delta < 0x8000) {
		bump(t, s->side, C_EXPECTED, delta);
		if (delta > 1)
			bump(t, s->side, C_GAPS, delta - 1u);
		s->max_seq = seq;
	}
	else {
		bump(t, s->side, C_LATE, 1);
	}
}

static void rx_drain(struct mthread *t, struct lg_stream *s)
{
	uint8_t buf[2048];

	for (int i = 0; i < RX_BURST; i++) {
		ssize_t n = recv(s->fd, buf, sizeof(buf), 0);

		if (n < 0)
			return;
		rx_account(t, s, buf, (size_t)n);
	}
}

/* Fills the payload for this tick: an RFC 4733 event while a digit is
 * being sent, else a frame of tone. Returns the payload length. */
static size_t payload(struct lg_stream *s, const struct lg_media *m, int pt,
		      int evpt, uint8_t *out, int *pt_used)
{
	const unsigned per_digit = DIGIT_TICKS + END_PACKETS + GAP_TICKS;
	int code = digit_code(s->dtmf[s->dtmf_pos]);

	*pt_used = pt;
	if (evpt >= 0 && code >= 0 && s->ticks > DTMF_DELAY_TICKS) {
		unsigned ph = s->dtmf_phase++;

		if (s->dtmf_phase == per_digit) {
			s->dtmf_phase = 0;
			s->dtmf_pos++;
		}
		if (ph < DIGIT_TICKS + END_PACKETS) {
			unsigned dur = (ph < DIGIT_TICKS ? ph + 1 : DIGIT_TICKS)
				* SAMPLES;

			if (ph == 0) {
				s->ev_ts = s->ts;
				s->marker = true;
			}
			out[0] = (uint8_t)code;
			out[1] = (uint8_t)((ph >= DIGIT_TICKS ? 0x80 : 0) | 10);
			out[2] = (uint8_t)(dur >> 8);
			out[3] = (uint8_t)dur;
			*pt_used = evpt;
			return 4;
		}
	}
	memcpy(out, m->tone[pt == 8], SAMPLES);
	return SAMPLES;
}

static void send_one(struct mthread *t, struct lg_stream *s, uint64_t dest)
{
	const struct lg_media *m = t->m;
	struct sockaddr_in to = {.sin_family = AF_INET};
	uint8_t buf[HDR + SAMPLES];
	int pt = (int)((dest >> 48) & 0x7f), evpt = (int)((dest >> 55) & 0xff) - 1;
	int pt_used;
	size_t len;
	uint32_t ts;

	to.sin_addr.s_addr = (uint32_t)dest;
	to.sin_port = (uint16_t)(dest >> 32);

	s->ticks++;
	len = HDR + payload(s, m, pt, evpt, buf + HDR, &pt_used);
	ts = pt_used == pt ? s->ts : s->ev_ts;
	buf[0] = 0x80;
	buf[1] = (uint8_t)((s->marker ? 0x80 : 0) | pt_used);
	buf[2] = (uint8_t)(s->seq >> 8);
	buf[3] = (uint8_t)s->seq;
	buf[4] = (uint8_t)(ts >> 24);
	buf[5] = (uint8_t)(ts >> 16);
	buf[6] = (uint8_t)(ts >> 8);
	buf[7] = (uint8_t)ts;
	buf[8] = (uint8_t)(s->ssrc >> 24);
	buf[9] = (uint8_t)(s->ssrc >> 16);
	buf[10] = (uint8_t)(s->ssrc >> 8);
	buf[11] = (uint8_t)s->ssrc;
	s->marker = false;
	s->seq++;
	s->ts += SAMPLES;

	if (m->sim_loss_every && s->seq % m->sim_loss_every == 0) {
		bump(t, s->side, C_SIM_DROPPED, 1);
		return;
	}
	if (sendto(s->fd, buf, len, 0, (struct sockaddr *)&to, sizeof(to)) < 0)
		bump(t, s->side, C_SEND_ERR, 1);
	else
		bump(t, s->side, C_TX, 1);
}

static void stream_free(struct mthread *t, struct lg_stream *s)
{
	epoll_ctl(t->epfd, EPOLL_CTL_DEL, s->fd, NULL);
	close(s->fd);
	free(s);
}

static int adopt_pending(struct mthread *t)
{
	struct lg_stream *s;

	pthread_mutex_lock(&t->lock);
	s = t->pending;
	t->pending = NULL;
	pthread_mutex_unlock(&t->lock);

	while (s) {
		struct lg_stream *next = s->next;

		if (t->n == t->cap) {
			size_t cap = t->cap ? t->cap * 2 : 64;
			struct lg_stream **v = realloc(t->v, cap * sizeof(*v));

			if (!v) {
				/* Keep the rest for the next tick. */
				pthread_mutex_lock(&t->lock);
				for (struct lg_stream *e = s; e; e = next) {
					next = e->next;
					e->next = t->pending;
					t->pending = e;
				}
				pthread_mutex_unlock(&t->lock);
				return ENOMEM;
			}
			t->v = v;
			t->cap = cap;
		}
		t->v[t->n++] = s;
		s = next;
	}
	return 0;
}

static void tick(struct mthread *t)
{
	(void)adopt_pending(t);

	for (size_t i = 0; i < t->n;) {
		struct lg_stream *s = t->v[i];
		uint64_t dest;

		if (atomic_load_explicit(&s->closing, memory_order_acquire)) {
			t->v[i] = t->v[--t->n];
			stream_free(t, s);
			continue;
		}
		dest = atomic_load_explicit(&s->dest, memory_order_acquire);
		if (dest)
			send_one(t, s, dest);
		i++;
	}
}

static void *thread_main(void *arg)
{
	struct mthread *t = arg;
	struct epoll_event ev[EVENT_BATCH];

	while (!atomic_load(&t->stop)) {
		int n = epoll_wait(t->epfd, ev, EVENT_BATCH, 100);
		uint64_t expirations = 0;

		for (int i = 0; i < n; i++) {
			if (ev[i].data.ptr)
				rx_drain(t, ev[i].data.ptr);
			else if (read(t->tfd, &expirations,
				      sizeof(expirations)) < 0)
				expirations = 0;
		}
		/* After the batch: a tick may free streams named in it (1). */
		if (expirations) {
			if (expirations > 1)
				atomic_fetch_add(&t->late_ticks,
						 expirations - 1);
			tick(t);
		}
	}
	return NULL;
}

static int thread_start(struct lg_media *m, struct mthread *t)
{
	struct itimerspec its = {
		.it_interval = {0, TICK_NS}, .it_value = {0, TICK_NS},
	};
	struct epoll_event ev = {.events = EPOLLIN, .data.ptr = NULL};
	int err;

	t->m = m;
	t->epfd = epoll_create1(EPOLL_CLOEXEC);
	t->tfd = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
	if (t->epfd < 0 || t->tfd < 0)
		return errno;
	if (timerfd_settime(t->tfd, 0, &its, NULL) < 0 ||
	    epoll_ctl(t->epfd, EPOLL_CTL_ADD, t->tfd, &ev) < 0)
		return errno;
	err = pthread_create(&t->th, NULL, thread_main, t);
	if (err)
		return err;
	t->started = true;
	return 0;
}

void lg_media_free(struct lg_media *m)
{
	if (!m)
		return;
	for (unsigned i = 0; i < m->n; i++) {
		struct mthread *t = &m->t[i];

		atomic_store(&t->stop, true);
		if (t->started)
			pthread_join(t->th, NULL);
		(void)adopt_pending(t);
		for (size_t k = 0; k < t->n; k++)
			stream_free(t, t->v[k]);
		for (struct lg_stream *s = t->pending, *next; s; s = next) {
			next = s->next;
			stream_free(t, s);
		}
		free(t->v);
		if (t->tfd >= 0)
			close(t->tfd);
		if (t->epfd >= 0)
			close(t->epfd);
		pthread_mutex_destroy(&t->lock);
	}
	free(m->t);
	free(m);
}

int lg_media_alloc(struct lg_media **mp, unsigned n, unsigned sim_loss_every)
{
	struct lg_media *m;
	int err = 0;

	if (!mp || !n)
		return EINVAL;
	m = calloc(1, sizeof(*m));
	if (!m)
		return ENOMEM;
	m->t = calloc(n, sizeof(*m->t));
	if (!m->t) {
		free(m);
		return ENOMEM;
	}
	m->sim_loss_every = sim_loss_every;
	for (unsigned i = 0; i < SAMPLES; i++) {
		/* 400 Hz is 20 samples a period: 160 samples loop seamlessly. */
		int v = (int)lrint(8000.0 * sin(2.0 * M_PI * 400.0 * i / 8000.0));

		m->tone[0][i] = linear_to_ulaw(v);
		m->tone[1][i] = linear_to_alaw(v);
	}
	for (unsigned i = 0; i < n; i++) {
		m->t[i].epfd = m->t[i].tfd = -1;
		pthread_mutex_init(&m->t[i].lock, NULL);
	}
	m->n = n;
	for (unsigned i = 0; i < n && !err; i++)
		err = thread_start(m, &m->t[i]);
	if (err)
		lg_media_free(m);
	else
		*mp = m;
	return err;
}

int lg_stream_open(struct lg_media *m, struct lg_stream **sp,
		   enum lg_side side, const struct sa *ip, uint16_t *port)
{
	struct sockaddr_in a = {.sin_family = AF_INET};
	socklen_t alen = sizeof(a);
	struct epoll_event ev = {.events = EPOLLIN};
	struct lg_stream *s;
	struct mthread *t;

	if (!m || !sp || !ip || sa_af(ip) != AF_INET)
		return EINVAL;
	s = calloc(1, sizeof(*s));
	if (!s)
		return ENOMEM;
	s->fd = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (s->fd < 0) {
		int err = errno;

		free(s);
		return err;
	}
	a.sin_addr = ip->u.in.sin_addr;
	if (bind(s->fd, (struct sockaddr *)&a, sizeof(a)) < 0 ||
	    getsockname(s->fd, (struct sockaddr *)&a, &alen) < 0)
		goto fail;

	s->side = side;
	s->ssrc = rand_u32();
	s->seq = rand_u16();
	s->ts = rand_u32();
	s->marker = true;
	t = &m->t[m->next++ % m->n];
	ev.data.ptr = s;
	if (epoll_ctl(t->epfd, EPOLL_CTL_ADD, s->fd, &ev) < 0)
		goto fail;

	pthread_mutex_lock(&t->lock);
	s->next = t->pending;
	t->pending = s;
	pthread_mutex_unlock(&t->lock);

	*port = ntohs(a.sin_port);
	*sp = s;
	return 0;

 fail:
	{
		int err = errno;

		close(s->fd);
		free(s);
		return err;
	}
}

int lg_stream_send(struct lg_stream *s, const struct sa *raddr, int pt,
		   int evpt, const char *dtmf)
{
	if (!s || !raddr || sa_af(raddr) != AF_INET || pt < 0 || pt > 127)
		return EINVAL;
	/* The digits are read by the thread only after the first dest. */
	if (!atomic_load(&s->dest) && dtmf)
		(void)str_ncpy(s->dtmf, dtmf, sizeof(s->dtmf));
	atomic_store_explicit(&s->dest,
			      pack_dest(raddr->u.in.sin_addr.s_addr,
					raddr->u.in.sin_port, pt, evpt),
			      memory_order_release);
	return 0;
}

void lg_stream_close(struct lg_stream *s)
{
	if (s)
		atomic_store_explicit(&s->closing, true, memory_order_release);
}

void lg_media_totals(struct lg_media *m, struct lg_rtp tot[LG_SIDES],
		     uint64_t *late_ticks)
{
	memset(tot, 0, LG_SIDES * sizeof(*tot));
	*late_ticks = 0;
	for (unsigned i = 0; m && i < m->n; i++) {
		for (int side = 0; side < LG_SIDES; side++) {
			for (int c = 0; c < C_N; c++) {
				uint64_t *f = (uint64_t *)(void *)
					((char *)&tot[side] + ctr_field[c]);

				*f += atomic_load_explicit(&m->t[i].c[side][c],
							   memory_order_relaxed);
			}
		}
		*late_ticks += atomic_load(&m->t[i].late_ticks);
	}
}

uint64_t lg_rtp_lost(const struct lg_rtp *r)
{
	uint64_t got = r->rx > r->dup ? r->rx - r->dup : 0;

	return r->expected > got ? r->expected - got : 0;
}

double lg_rtp_loss_pct(const struct lg_rtp *r)
{
	return r->expected ? 100.0 * (double)lg_rtp_lost(r) /
		(double)r->expected : 0.0;
}

void lg_rtp_diff(struct lg_rtp *d, const struct lg_rtp *a,
		 const struct lg_rtp *b)
{
	for (int c = 0; c < C_N; c++) {
		const uint64_t *x = (const uint64_t *)(const void *)
			((const char *)a + ctr_field[c]);
		const uint64_t *y = (const uint64_t *)(const void *)
			((const char *)b + ctr_field[c]);
		uint64_t *z = (uint64_t *)(void *)((char *)d + ctr_field[c]);

		*z = *x - *y;
	}
}

void lg_rtp_sum(struct lg_rtp *d, const struct lg_rtp r[LG_SIDES])
{
	memset(d, 0, sizeof(*d));
	for (int side = 0; side < LG_SIDES; side++) {
		for (int c = 0; c < C_N; c++) {
			const uint64_t *x = (const uint64_t *)(const void *)
				((const char *)&r[side] + ctr_field[c]);
			uint64_t *z = (uint64_t *)(void *)
				((char *)d + ctr_field[c]);

			*z += *x;
		}
	}
}
