/* media leg: the signalling thread's side of a leg. Every function here
 * only builds a command and posts it to the leg's media thread (fact 2 of
 * the engine: applied in order), except alloc, which binds the socket. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <re.h>
#include "base/log.h"
#include "base/util.h"
#include "media/engine_int.h"

int media_leg_alloc(struct media_leg **lp, struct media_engine *e,
		    unsigned shard, void *owner)
{
	struct media_leg *l = calloc(1, sizeof(*l));
	int err;

	if (!l)
		return ENOMEM;
	err = engine_pool_bind(e, &l->fd, &l->port);
	if (err) {
		free(l);
		return err;
	}
	l->mt = &e->threads[shard % e->nthreads];
	l->owner = owner;
	atomic_init(&l->rx_last_ms, util_mono_ms());
	l->law = MEDIA_PCMU;
	/* Random SSRC, sequence and timestamp origin (RFC 3550 5.1). */
	media_rtp_rewrite_init(&l->out, rand_u32(), (uint16_t)rand_u16(),
			       rand_u32());
	media_dtmf_rx_init(&l->dtmf);
	l->play_ssrc = rand_u32();
	l->play_seq = (uint16_t)rand_u16();
	l->play_ts = rand_u32();
	err = engine_live_add(e, l);
	if (!err && (err = engine_post(l, &(struct mcmd){.kind = CMD_ATTACH})))
		engine_live_remove(l);
	if (err) {
		engine_pool_release(e, l->fd, l->port);
		free(l);
		return err;
	}
	*lp = l;
	return 0;
}

uint16_t media_leg_port(const struct media_leg *l)
{
	return l->sig_mux ? l->sig_mux->port : l->port;
}

int media_leg_set_remote(struct media_leg *l, const struct sockaddr *sa,
			 socklen_t len)
{
	struct mcmd c = {.kind = CMD_REMOTE, .salen = len};
	if (len > sizeof(c.sa))
		return EINVAL;
	memcpy(&c.sa, sa, len);
	return engine_post(l, &c);
}

int media_leg_set_codec(struct media_leg *l, enum media_law law,
			uint8_t audio_pt, uint8_t dtmf_pt)
{
	l->sig_dtmf_pt = dtmf_pt;
	return engine_post(l, &(struct mcmd){.kind = CMD_CODEC, .law = law,
				      .audio_pt = audio_pt,
				      .dtmf_pt = dtmf_pt});
}

int media_leg_set_inband(struct media_leg *l, bool on)
{
	return engine_post(l, &(struct mcmd){.kind = CMD_INBAND, .on = on});
}

int media_bridge(struct media_leg *a, struct media_leg *b)
{
	int err;

	if (a->mt != b->mt)
		return EXDEV;
	err = engine_post(a, &(struct mcmd){.kind = CMD_BRIDGE, .other = b});
	if (err)
		return err;
	/* The thread takes them out of their mixes (mix fact 1). */
	if (a->sig_mix)
		mix_sig_forget(a);
	if (b->sig_mix)
		mix_sig_forget(b);
	return 0;
}

int media_unbridge(struct media_leg *a)
{
	return engine_post(a, &(struct mcmd){.kind = CMD_UNBRIDGE});
}

int media_record(struct media_leg *a, struct media_leg *b, const char *path)
{
	struct mcmd c = {.kind = CMD_RECORD, .other = b};
	if (b && a->mt != b->mt)
		return EXDEV;
	if (strlen(path) >= sizeof(c.path))
		return ENAMETOOLONG;
	strcpy(c.path, path);
	return engine_post(a, &c);
}

int media_record_pause(struct media_leg *a, bool paused)
{
	return engine_post(a, &(struct mcmd){.kind = CMD_REC_PAUSE,
				      .on = paused});
}

int media_leg_play(struct media_leg *l, struct media_prompt *p, bool loop)
{
	int err;

	if (!p)
		return EINVAL;
	err = engine_post(l, &(struct mcmd){.kind = CMD_PLAY, .on = loop,
				     .prompt = media_prompt_ref(p)});
	if (err)
		media_prompt_unref(p);
	return err;
}

int media_leg_stop(struct media_leg *l)
{
	return engine_post(l, &(struct mcmd){.kind = CMD_STOP});
}

int media_leg_fill(struct media_leg *l, bool on)
{
	return engine_post(l, &(struct mcmd){.kind = CMD_FILL, .on = on});
}

int media_leg_send_dtmf(struct media_leg *l, const char *digits,
			unsigned duration_ms)
{
	struct mcmd c = {.kind = CMD_DTMF, .dtmf_ms = duration_ms};
	uint8_t ev;

	if (!digits || !*digits || strlen(digits) > 32 || duration_ms < 40 ||
	    duration_ms > 8000)
		return EINVAL;
	for (const char *p = digits; *p; p++) {
		if (media_dtmf_code(*p, &ev))
			return EINVAL;
	}
	if (!l->sig_dtmf_pt)
		return ENOTSUP;
	strcpy(c.path, digits);
	return engine_post(l, &c);
}

void media_leg_close(struct media_leg *l)
{
	struct media_mux *x;

	if (!l)
		return;
	/* From here on nothing the leg raised reaches its owner, which
	 * may be gone by the time the media thread sees the close. */
	engine_live_remove(l);
	if (l->sig_mix)
		mix_sig_forget(l);
	/* Read before the close is posted: the thread frees l after it. */
	x = l->sig_mux;
	if (engine_post(l, &(struct mcmd){.kind = CMD_CLOSE})) {
		/* The thread still lists it on its mux: keep the mux. */
		log_error("media.close", "port=%u err=post failed", l->port);
		return;
	}
	if (x)
		mux_sig_left(x);
}


int64_t media_leg_rx_idle_ms(const struct media_leg *l)
{
	int64_t last = atomic_load_explicit(&l->rx_last_ms,
					    memory_order_relaxed);
	int64_t now = util_mono_ms();

	return now > last ? now - last : 0;
}
