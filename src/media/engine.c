/* media engine: the media threads and their command queues (the leg API
 * that posts commands is leg.c, the port pool pool.c).
 *
 * The signalling thread never touches a leg's media state after attaching
 * it: every change is a command queued to the leg's thread (an eventfd wakes
 * it), so the relay path runs without locks. Each thread's epoll set holds
 * just that eventfd and a 20 ms timerfd: the tick reads every leg's socket
 * and drives recording and prompts (relay.c), so a thread wakes 50 times a
 * second plus once per batch of commands, however many calls it carries.
 *
 * Why not one libre loop per media thread: a libre UDP socket allocates an
 * mbuf per received packet and its loop is thread-local state; plain epoll
 * with a stack buffer per read is cheaper at tens of thousands of packets a
 * second and keeps this file self-contained. libre's mqueue still carries
 * events back to the signalling loop. */
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/timerfd.h>
#include <time.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <re.h>
#include "base/log.h"
#include "media/engine_int.h"

/* Bytes of audio the recorder may hold for a slow disk: about 1,000
 * call-seconds of stereo 8 kHz. */
enum { REC_QUEUE_BYTES = 32 << 20 };


/* ---- commands (media thread side) ---- */

static void leg_unlink(struct mthread *mt, struct media_leg *l)
{
	if (l->prev)
		l->prev->next = l->next;
	else if (mt->legs == l)
		mt->legs = l->next;
	if (l->next)
		l->next->prev = l->prev;
	l->next = l->prev = NULL;
}

static void apply(struct mthread *mt, struct mcmd *c)
{
	struct media_leg *l = c->leg;

	switch (c->kind) {
	case CMD_ATTACH:
		/* Not in the epoll set: the tick reads every leg (relay.c). */
		l->next = mt->legs;
		if (mt->legs)
			mt->legs->prev = l;
		mt->legs = l;
		atomic_fetch_add(&mt->legs_n, 1);
		break;
	case CMD_REMOTE:
		l->remote = c->sa;
		l->remote_len = c->salen;
		l->sdp_addr = c->sa;
		l->sdp_addr_len = c->salen;
		l->latched = false;
		break;
	case CMD_CODEC:
		l->law = c->law;
		l->audio_pt = c->audio_pt;
		l->dtmf_pt = c->dtmf_pt;
		break;
	case CMD_INBAND:
		if (c->on && !l->inband)
			relay_inband_on(l);
		else if (!c->on) {
			media_inband_free(l->inband);
			l->inband = NULL;
		}
		break;
	case CMD_BRIDGE:
		if (l->mix)
			mix_leave(l);
		if (c->other->mix)
			mix_leave(c->other);
		if (l->peer)
			l->peer->peer = NULL;
		if (c->other->peer)
			c->other->peer->peer = NULL;
		l->peer = c->other;
		c->other->peer = l;
		break;
	case CMD_UNBRIDGE:
		if (l->peer)
			l->peer->peer = NULL;
		l->peer = NULL;
		break;
	case CMD_RECORD: {
		struct media_rec *rec = NULL;
		int err;

		relay_leg_detach(l);
		if (c->other)
			relay_leg_detach(c->other);
		err = media_rec_open(&rec, mt->eng->recorder, c->path,
				     c->other ? 2 : 1,
				     mt->eng->recorded,
				     mt->eng->recorded_arg);
		if (err) {
			log_error("media.record", "path=%s err=%s", c->path,
				  strerror(err));
			break;
		}
		/* The left leg owns the recording; the right one only
		 * hands it audio (relay.c). */
		l->rec = rec;
		l->rec_channel = 0;
		if (c->other) {
			c->other->rec = rec;
			c->other->rec_channel = 1;
			c->other->rec_other = l;
			l->rec_other = c->other;
		}
		break;
	}
	case CMD_REC_PAUSE:
		/* The left leg feeds the recorder (relay.c's record_tick). */
		if (l->rec && l->rec_channel == 0)
			media_rec_pause(l->rec, c->on);
		break;
	case CMD_PLAY:
		relay_play_stop(l);
		l->play = c->prompt;
		l->play_pos = 0;
		l->play_loop = c->on;
		break;
	case CMD_STOP:
		relay_play_stop(l);
		break;
	case CMD_FILL:
		l->fill = c->on;
		break;
	case CMD_DTMF: {
		/* Appended to what is still to go, as far as it fits. */
		size_t have = strlen(l->dtmf_out);
		size_t add = strlen(c->path);
		if (add > sizeof(l->dtmf_out) - 1 - have)
			add = sizeof(l->dtmf_out) - 1 - have;
		memcpy(l->dtmf_out + have, c->path, add);
		l->dtmf_out[have + add] = '\0';
		l->dtmf_ms = c->dtmf_ms;
		break;
	}
	case CMD_CLOSE:
		relay_play_stop(l);
		if (l->mix)
			mix_leave(l);
		if (l->mux)
			mux_leave(l);
		if (l->peer)
			l->peer->peer = NULL;
		leg_unlink(mt, l);
		relay_leg_detach(l);
		media_inband_free(l->inband);
		engine_srtp_drop(l);
		engine_pool_release(mt->eng, l->fd, l->port);
		atomic_fetch_sub(&mt->legs_n, 1);
		/* Freed after the current batch of events, which may still
		 * name it. */
		l->closed = true;
		l->next = mt->dead;
		mt->dead = l;
		break;
	case CMD_SRTP:
		engine_srtp_apply(l, c);
		break;
	case CMD_MIX_ATTACH:
	case CMD_MIX_ADD:
	case CMD_MIX_REMOVE:
	case CMD_MIX_HEARS:
	case CMD_MIX_FREE:
		mix_apply(mt, c);
		break;
	case CMD_MUX_ATTACH:
	case CMD_MUX_JOIN:
	case CMD_MUX_LEAVE:
	case CMD_MUX_FREE:
		mux_apply(mt, c);
		break;
	}
}

static void free_dead(struct mthread *mt)
{
	while (mt->dead) {
		struct media_leg *l = mt->dead;
		mt->dead = l->next;
		free(l);
	}
}

static void drain_commands(struct mthread *mt)
{
	struct mcmd *c;
	uint64_t n;

	if (read(mt->cmdfd, &n, sizeof(n)) < 0 && errno != EAGAIN)
		log_warn("media.cmdfd", "err=%s", strerror(errno));
	pthread_mutex_lock(&mt->lock);
	c = mt->head;
	mt->head = mt->tail = NULL;
	pthread_mutex_unlock(&mt->lock);
	while (c) {
		struct mcmd *next = c->next;
		apply(mt, c);
		free(c);
		c = next;
	}
}

/* This thread's CPU time so far: one system call a tick, for the stats. */
static uint64_t cpu_now(void)
{
	struct timespec ts;

	if (clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts))
		return 0;
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static void *thread_main(void *arg)
{
	struct mthread *mt = arg;
	struct epoll_event evs[64];

	while (!atomic_load(&mt->stop)) {
		int n = epoll_wait(mt->epfd, evs, 64, 100);

		/* Commands first: a packet sent after a command was posted
		 * must meet the leg as the command left it (fact 2). */
		for (int i = 0; i < n; i++) {
			if (evs[i].data.ptr == &mt->cmdfd)
				drain_commands(mt);
		}
		for (int i = 0; i < n; i++) {
			void *p = evs[i].data.ptr;
			if (p == &mt->cmdfd)
				continue;
			if (p == &mt->tickfd) {
				uint64_t ticks;
				if (read(mt->tickfd, &ticks, sizeof(ticks)) > 0) {
					/* More than one expiry: the ticks between
					 * were never run, their audio is late. */
					if (ticks > 1)
						atomic_fetch_add(&mt->late_ticks, ticks - 1);
					/* A command posted after epoll_wait returned
					 * comes before the packets sent after it. */
					drain_commands(mt);
					relay_on_tick(mt, ticks);
					atomic_store(&mt->cpu_ns, cpu_now());
				}
			}
		}
		free_dead(mt);
	}
	drain_commands(mt);
	while (mt->legs) {
		struct mcmd c = {.kind = CMD_CLOSE, .leg = mt->legs};
		apply(mt, &c);
	}
	free_dead(mt);
	mix_free_all(mt);
	mux_free_all(mt);
	return NULL;
}

/* ---- commands (signalling side) ---- */

void engine_enqueue(struct mthread *mt, struct mcmd *q)
{
	uint64_t one = 1;

	q->next = NULL;
	pthread_mutex_lock(&mt->lock);
	if (mt->tail)
		mt->tail->next = q;
	else
		mt->head = q;
	mt->tail = q;
	pthread_mutex_unlock(&mt->lock);
	/* Only a full counter (2^64 wakes unread) could fail: the thread
	 * drains the queue on its next wake whatever this write did. */
	if (write(mt->cmdfd, &one, sizeof(one)) < 0 && errno != EAGAIN)
		log_warn("media.cmdfd", "err=%s", strerror(errno));
}

int engine_post(struct media_leg *l, const struct mcmd *c)
{
	struct mcmd *q = malloc(sizeof(*q));

	if (!q)
		return ENOMEM;
	*q = *c;
	q->leg = l;
	engine_enqueue(l->mt, q);
	return 0;
}


/* ---- events to the signalling loop ---- */

/* The loop's record of an open leg: what its events are delivered to. */
struct engine_live {
	struct le he;
	uint64_t id;
	void *owner;
};

/* An event on its way to the loop, with the leg it came from. */
struct posted {
	uint64_t leg;
	struct media_event ev;
};

static bool live_has(struct le *le, void *arg)
{
	return ((struct engine_live *)le->data)->id == *(uint64_t *)arg;
}

static void on_mqueue(int id, void *data, void *arg)
{
	struct media_engine *e = arg;
	struct posted *p = data;
	struct le *le = hash_lookup(e->live, (uint32_t)p->leg, live_has,
				    &p->leg);
	(void)id;

	if (le && e->eventh) {
		p->ev.owner = ((struct engine_live *)le->data)->owner;
		e->eventh(&p->ev, e->arg);
	}
	free(p);
}

void engine_post_event(struct media_leg *l, const struct media_event *ev)
{
	struct posted *p = malloc(sizeof(*p));

	if (!p)
		return;
	p->leg = l->id;
	p->ev = *ev;
	if (mqueue_push(l->mt->eng->events, 0, p))
		free(p);
}

int engine_live_add(struct media_engine *e, struct media_leg *l)
{
	struct engine_live *lv = mem_zalloc(sizeof(*lv), NULL);

	if (!lv)
		return ENOMEM;
	lv->id = l->id = ++e->next_id;
	lv->owner = l->owner;
	hash_append(e->live, (uint32_t)lv->id, &lv->he, lv);
	l->live = lv;
	return 0;
}

void engine_live_remove(struct media_leg *l)
{
	hash_unlink(&l->live->he);
	mem_deref(l->live);
	l->live = NULL;
}

/* ---- start / stop ---- */

static int thread_init(struct mthread *mt, struct media_engine *e)
{
	struct itimerspec its = {.it_interval = {0, 20000000},
				 .it_value = {0, 20000000}};
	struct epoll_event ev = {.events = EPOLLIN};

	mt->eng = e;
	mt->epfd = epoll_create1(EPOLL_CLOEXEC);
	mt->tickfd = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
	mt->cmdfd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	if (mt->epfd < 0 || mt->tickfd < 0 || mt->cmdfd < 0)
		return errno;
	if (timerfd_settime(mt->tickfd, 0, &its, NULL))
		return errno;
	ev.data.ptr = &mt->tickfd;
	if (epoll_ctl(mt->epfd, EPOLL_CTL_ADD, mt->tickfd, &ev))
		return errno;
	ev.data.ptr = &mt->cmdfd;
	if (epoll_ctl(mt->epfd, EPOLL_CTL_ADD, mt->cmdfd, &ev))
		return errno;
	pthread_mutex_init(&mt->lock, NULL);
	return pthread_create(&mt->tid, NULL, thread_main, mt);
}

int media_engine_start(struct media_engine **ep,
		       const struct media_engine_opts *o)
{
	struct media_engine *e;
	unsigned span;
	int err;

	if (!o->threads || o->port_lo >= o->port_hi)
		return EINVAL;
	e = calloc(1, sizeof(*e));
	if (!e)
		return ENOMEM;
	e->port_lo = (uint16_t)(o->port_lo + (o->port_lo & 1));
	e->port_hi = o->port_hi;
	e->port_next = e->port_lo;
	span = (unsigned)(e->port_hi - e->port_lo) / 2 + 1;
	e->port_used = calloc(span, 1);
	e->threads = calloc(o->threads, sizeof(*e->threads));
	e->eventh = o->eventh;
	e->arg = o->arg;
	e->recorded = o->recorded;
	e->recorded_arg = o->recorded_arg;
	pthread_mutex_init(&e->pool_lock, NULL);
	if (!e->port_used || !e->threads ||
	    inet_pton(AF_INET, o->bind_ip ? o->bind_ip : "0.0.0.0",
		      &e->bind_ip) != 1) {
		err = e->port_used && e->threads ? EINVAL : ENOMEM;
		goto fail;
	}
	err = mqueue_alloc(&e->events, on_mqueue, e);
	if (!err)
		err = hash_alloc(&e->live, 1024);
	if (!err)
		err = media_recorder_alloc(&e->recorder, REC_QUEUE_BYTES);
	if (err)
		goto fail;
	for (unsigned i = 0; i < o->threads; i++) {
		err = thread_init(&e->threads[i], e);
		if (err)
			goto fail;
		e->nthreads++;
	}
	*ep = e;
	return 0;
fail:
	media_engine_stop(e);
	return err;
}

/* The run's counters, for whoever reads the log after it (bench/ivr_load.sh
 * reads late_ticks); a warning when audio went out late. */
static void log_stats(struct media_engine *e)
{
	struct media_stats st;

	media_engine_stats(e, &st);
	log_msg(st.late_ticks ? LOG_WARN : LOG_INFO, "media.stats",
		"rx=%llu tx=%llu lost=%llu dropped=%llu late_ticks=%llu",
		(unsigned long long)st.rx_packets,
		(unsigned long long)st.tx_packets,
		(unsigned long long)st.rx_lost,
		(unsigned long long)st.rx_dropped,
		(unsigned long long)st.late_ticks);
}

void media_engine_stop(struct media_engine *e)
{
	if (!e)
		return;
	for (unsigned i = 0; i < e->nthreads; i++) {
		struct mthread *mt = &e->threads[i];
		uint64_t one = 1;
		atomic_store(&mt->stop, true);
		if (write(mt->cmdfd, &one, sizeof(one)) < 0)
			log_warn("media.stop", "err=%s", strerror(errno));
		pthread_join(mt->tid, NULL);
		close(mt->epfd);
		close(mt->tickfd);
		close(mt->cmdfd);
		pthread_mutex_destroy(&mt->lock);
	}
	log_stats(e);
	/* After the threads: every recording is closed, so the recorder
	 * finalises every file before it returns. */
	media_recorder_free(e->recorder);
	mem_deref(e->events);
	hash_flush(e->live);
	mem_deref(e->live);
	pthread_mutex_destroy(&e->pool_lock);
	free(e->threads);
	free(e->port_used);
	free(e);
}

void media_engine_set_handler(struct media_engine *e, media_event_h *h,
			      void *arg)
{
	e->eventh = h;
	e->arg = arg;
}

unsigned media_engine_shard(struct media_engine *e)
{
	return e->next_shard++ % e->nthreads;
}

void media_engine_stats(struct media_engine *e, struct media_stats *st)
{
	memset(st, 0, sizeof(*st));
	for (unsigned i = 0; i < e->nthreads; i++) {
		struct mthread *mt = &e->threads[i];
		st->legs += atomic_load(&mt->legs_n);
		st->rx_packets += atomic_load(&mt->rx);
		st->tx_packets += atomic_load(&mt->tx);
		st->rx_dropped += atomic_load(&mt->dropped);
		st->rx_lost += atomic_load(&mt->lost);
		st->late_ticks += atomic_load(&mt->late_ticks);
		st->cpu_ns += atomic_load(&mt->cpu_ns);
	}
}
