/* media: RTP for thousands of calls on a few threads. Each thread owns one
 * 20 ms timerfd and wakes on it alone: a tick reads what every stream it
 * drives has received (recvmmsg, one system call for all that waits) and
 * sends each one packet. No timer per call and no wake-up per packet: the
 * generator must cost far less than the target for the target's limit to
 * show (issue 18). sendmmsg cannot batch the sends, since every stream has
 * a socket (a port) of its own and sendmmsg sends on one socket.
 *
 * What always holds:
 *  (1) A stream is freed only by its thread, at a tick, after the loop let
 *      go of it (lg_stream_close).
 *  (2) The loop publishes where to send in one atomic word (dest); the
 *      thread reads it once per tick, so a re-INVITE moves a stream whole.
 *  (3) Counters are written by their thread only and read by anyone. */
#include <errno.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/timerfd.h>
#include <unistd.h>
#include <re.h>
#include "loadgen.h"

enum {
	TICK_NS = 20 * 1000 * 1000,
	RX_BATCH = 8,             /* datagrams per recvmmsg */
	RX_ROUNDS = 4,            /* at most 32 packets per stream per tick */
	RX_MAX = 2048,
};

struct mthread {
	pthread_t th;
	int tfd;
	struct lg_media *m;
	pthread_mutex_t lock;
	struct lg_stream *pending;     /* guarded by lock: not yet adopted */
	struct lg_stream **v;          /* thread only: streams it drives */
	size_t n, cap;
	_Atomic uint64_t c[LG_SIDES][LG_NCTR];
	_Atomic uint64_t late_ticks;
	atomic_bool stop;
	bool started;
};

struct lg_media {
	struct mthread *t;
	unsigned n, next;
	unsigned sim_loss_every;
	uint8_t tone[2][LG_SAMPLES];
};

struct lg_stream {
	struct lg_stream *next;        /* pending list */
	int fd;
	enum lg_side side;
	_Atomic uint64_t dest;         /* see pack_dest(); 0: not sending */
	atomic_bool closing;
	struct lg_tx tx;               /* tx.dtmf set before the first dest;
					* the rest is the thread's */
	struct lg_rx rx;               /* thread only */
};

/* dest: bit 63 set, IPv4 address in bits 0-31 and port in 32-47 (network
 * order values), pt in 48-54, evpt + 1 in 55-62 (0: no events). */
static uint64_t pack_dest(uint32_t ip, uint16_t port, int pt, int evpt)
{
	return (1ull << 63) | ip | (uint64_t)port << 32 |
	       (uint64_t)(pt & 0x7f) << 48 | (uint64_t)((evpt + 1) & 0xff) << 55;
}

static void bump(struct mthread *t, enum lg_side side, enum lg_ctr c,
		 uint64_t n)
{
	/* Single writer: a relaxed load and store, no locked instruction. */
	uint64_t v = atomic_load_explicit(&t->c[side][c], memory_order_relaxed);
	atomic_store_explicit(&t->c[side][c], v + n, memory_order_relaxed);
}

/* Reads what waits on s: a stream that got its one packet since the last
 * tick costs one system call. */
static void rx_drain(struct mthread *t, struct lg_stream *s, uint64_t dest)
{
	static _Thread_local uint8_t buf[RX_BATCH][RX_MAX];
	int evpt = dest ? (int)((dest >> 55) & 0xff) - 1 : -1;
	uint64_t inc[LG_NCTR] = {0};
	struct iovec iov[RX_BATCH];
	struct mmsghdr msg[RX_BATCH];

	for (int i = 0; i < RX_BATCH; i++) {
		iov[i] = (struct iovec){.iov_base = buf[i], .iov_len = RX_MAX};
		msg[i] = (struct mmsghdr){.msg_hdr = {.msg_iov = &iov[i],
						      .msg_iovlen = 1}};
	}
	for (int round = 0; round < RX_ROUNDS; round++) {
		int n = recvmmsg(s->fd, msg, RX_BATCH, MSG_DONTWAIT, NULL);

		for (int i = 0; i < n; i++)
			lg_rx_account(&s->rx, buf[i], msg[i].msg_len, evpt, inc);
		if (n < RX_BATCH)
			break;
	}
	for (int c = 0; c < LG_NCTR; c++) {
		if (inc[c])
			bump(t, s->side, c, inc[c]);
	}
}

static void send_one(struct mthread *t, struct lg_stream *s, uint64_t dest)
{
	const struct lg_media *m = t->m;
	struct sockaddr_in to = {.sin_family = AF_INET};
	uint8_t buf[LG_PKT_MAX];
	size_t len;
	unsigned digits = s->tx.digits_sent;

	to.sin_addr.s_addr = (uint32_t)dest;
	to.sin_port = (uint16_t)(dest >> 32);
	len = lg_tx_next(&s->tx, m->tone, (int)((dest >> 48) & 0x7f),
			 (int)((dest >> 55) & 0xff) - 1, buf);

	if (m->sim_loss_every && s->tx.seq % m->sim_loss_every == 0) {
		/* Sent into a network that lost it: delivered counts it. */
		bump(t, s->side, LG_SIM_DROPPED, 1);
		bump(t, s->side, LG_TX, 1);
		return;
	}
	if (sendto(s->fd, buf, len, 0, (struct sockaddr *)&to, sizeof(to)) < 0)
		bump(t, s->side, LG_SEND_ERR, 1);
	else
		bump(t, s->side, LG_TX, 1);
	if (s->tx.digits_sent != digits)
		bump(t, s->side, LG_DIGITS_SENT, 1);
}

static void stream_free(struct lg_stream *s)
{
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
			stream_free(s);
			continue;
		}
		dest = atomic_load_explicit(&s->dest, memory_order_acquire);
		rx_drain(t, s, dest);
		if (dest)
			send_one(t, s, dest);
		i++;
	}
}

static void *thread_main(void *arg)
{
	struct mthread *t = arg;

	while (!atomic_load(&t->stop)) {
		uint64_t expirations = 0;

		/* Blocks until the next tick: the thread's only wake-up. */
		if (read(t->tfd, &expirations, sizeof(expirations)) <= 0 ||
		    !expirations)
			continue;
		if (expirations > 1)
			atomic_fetch_add(&t->late_ticks, expirations - 1);
		tick(t);
	}
	return NULL;
}

static int thread_start(struct lg_media *m, struct mthread *t)
{
	struct itimerspec its = {
		.it_interval = {0, TICK_NS}, .it_value = {0, TICK_NS},
	};
	int err;

	t->m = m;
	t->tfd = timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC);
	if (t->tfd < 0)
		return errno;
	if (timerfd_settime(t->tfd, 0, &its, NULL) < 0)
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
			stream_free(t->v[k]);
		for (struct lg_stream *s = t->pending, *next; s; s = next) {
			next = s->next;
			stream_free(s);
		}
		free(t->v);
		if (t->tfd >= 0)
			close(t->tfd);
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
	lg_tone(m->tone);
	for (unsigned i = 0; i < n; i++) {
		m->t[i].tfd = -1;
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
	lg_tx_init(&s->tx, rand_u32(), rand_u16(), rand_u32());
	t = &m->t[m->next++ % m->n];

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
		(void)str_ncpy(s->tx.dtmf, dtmf, sizeof(s->tx.dtmf));
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
			for (int c = 0; c < LG_NCTR; c++)
				*lg_rtp_at(&tot[side], c) += atomic_load_explicit(
					&m->t[i].c[side][c], memory_order_relaxed);
		}
		*late_ticks += atomic_load(&m->t[i].late_ticks);
	}
}
