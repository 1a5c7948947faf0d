/* audio/meter: PCM in, one set of flags per 10 ms frame out. Each channel
 * has its own WebRTC detector (its noise model adapts to that side's line)
 * in mode 2, "aggressive": mode 0 hangs on 50 ms longer after each spurt;
 * mode 3 breaks quiet speech into pieces (docs/qa.md). A detector whose
 * very first frame is loud takes that sound for the line's noise and
 * misses seconds of it (a recording starts at the bridge, often
 * mid-word): each is first shown PRIME frames of faint noise, as a line
 * carries before anyone speaks. The frames are kept (a byte and a float
 * per 10 ms: 1.4 MB for an hour) so measure.c can look both ways along
 * them. */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "audio/audio_int.h"
#include "audio/webrtc_vad.h"

static const double BAND_HZ = 700, BAND_Q = 0.7;

enum {
	VAD_MODE = 2,
	PRIME = 5,                    /* frames of faint noise first */
	MAX_FRAME = 16000 / 100,      /* samples in 10 ms at 16 kHz */
	FIRST_CAP = 6000,             /* frames: one minute */
};

struct audio_meter {
	unsigned rate;
	size_t   frame;               /* samples per channel per 10 ms */
	VadInst *vad[2];
	int16_t  ch[2][MAX_FRAME];    /* the frame being filled, per side */
	size_t   fill;
	uint8_t *flags;
	float   *agent_db;
	size_t   n, cap;
	double   bq[5], z1, z2;       /* the agent's band-pass, its state */
	int      err;                 /* sticky ENOMEM */
	enum audio_lang lang;
};

void audio_meter_free(struct audio_meter *m)
{
	if (!m)
		return;
	WebRtcVad_Free(m->vad[0]);
	WebRtcVad_Free(m->vad[1]);
	free(m->flags);
	free(m->agent_db);
	free(m);
}

/* A band-pass biquad (RBJ's cookbook, constant peak gain) around
 * BAND_HZ: the vowels' first formants, where each syllable's nucleus is
 * loudest; fricatives and bursts, which make peaks of their own in the
 * full band, fall mostly outside it. b0 b1 b2 a1 a2, a0 = 1. */
static void band_pass(double *c, unsigned rate)
{
	double w = 2 * M_PI * BAND_HZ / rate, alpha = sin(w) / (2 * BAND_Q);
	double a0 = 1 + alpha;

	c[0] = alpha / a0;
	c[1] = 0;
	c[2] = -alpha / a0;
	c[3] = -2 * cos(w) / a0;
	c[4] = (1 - alpha) / a0;
}

/* Shows the detector PRIME frames of faint noise (±2, a fixed sequence:
 * the measures stay a function of the samples alone). */
static int prime(VadInst *v, unsigned rate)
{
	int16_t f[MAX_FRAME];
	uint32_t x = 12345;

	for (int k = 0; k < PRIME; k++) {
		for (size_t i = 0; i < rate / 100; i++) {
			x = x * 1103515245u + 12345u;
			f[i] = (int16_t)((int)(x >> 16) % 5 - 2);
		}
		if (WebRtcVad_Process(v, (int)rate, f, rate / 100) < 0)
			return EINVAL;
	}
	return 0;
}

int audio_meter_alloc(struct audio_meter **mp, unsigned rate,
		      enum audio_lang lang)
{
	struct audio_meter *m;

	if ((rate != 8000 && rate != 16000) ||
	    (lang != AUDIO_LANG_ZH && lang != AUDIO_LANG_EN))
		return EINVAL;
	m = calloc(1, sizeof(*m));
	if (!m)
		return ENOMEM;
	m->rate = rate;
	m->lang = lang;
	m->frame = rate / 100;
	band_pass(m->bq, rate);
	for (int c = 0; c < 2; c++) {
		m->vad[c] = WebRtcVad_Create();
		if (!m->vad[c] || WebRtcVad_Init(m->vad[c]) ||
		    WebRtcVad_set_mode(m->vad[c], VAD_MODE) ||
		    prime(m->vad[c], rate)) {
			audio_meter_free(m);
			return ENOMEM;
		}
	}
	*mp = m;
	return 0;
}

static int grow(struct audio_meter *m)
{
	size_t cap = m->cap ? 2 * m->cap : FIRST_CAP;
	uint8_t *f = realloc(m->flags, cap);
	float *d;

	if (!f)
		return ENOMEM;
	m->flags = f;
	d = realloc(m->agent_db, cap * sizeof(*d));
	if (!d)
		return ENOMEM;
	m->agent_db = d;
	m->cap = cap;
	return 0;
}

/* One full frame of both sides: the two decisions and the agent's level. */
static int close_frame(struct audio_meter *m)
{
	const int16_t *a = m->ch[1];
	double sum = 0;
	uint8_t fl = 0;
	bool zero = true;

	if (m->n == m->cap && (m->err = grow(m)))
		return m->err;
	for (size_t i = 0; i < m->frame; i++) {
		double y = m->bq[0] * a[i] + m->z1;

		m->z1 = m->bq[1] * a[i] - m->bq[3] * y + m->z2;
		m->z2 = m->bq[2] * a[i] - m->bq[4] * y;
		sum += y * y;
		zero = zero && a[i] == 0;
	}
	if (WebRtcVad_Process(m->vad[0], (int)m->rate, m->ch[0], m->frame) == 1)
		fl |= AUDIO_F_CUSTOMER;
	if (zero)
		fl |= AUDIO_F_NO_AGENT;
	else if (WebRtcVad_Process(m->vad[1], (int)m->rate, a, m->frame) == 1)
		fl |= AUDIO_F_AGENT;
	m->flags[m->n] = fl;
	m->agent_db[m->n] = (float)(10 * log10(sum / (double)m->frame + 1));
	m->n++;
	return 0;
}

int audio_meter_feed(struct audio_meter *m, const int16_t *pcm, size_t n)
{
	if (m->err)
		return m->err;
	for (size_t i = 0; i < n; i++) {
		m->ch[0][m->fill] = pcm[2 * i];
		m->ch[1][m->fill] = pcm[2 * i + 1];
		if (++m->fill == m->frame) {
			m->fill = 0;
			if (close_frame(m))
				return m->err;
		}
	}
	return 0;
}

int audio_meter_result(const struct audio_meter *m,
		       struct audio_measures *out)
{
	struct audio_frames f = {
		.flags = m->flags, .agent_db = m->agent_db, .n = m->n,
		.lang = m->lang,
	};

	return m->err ? m->err : audio_measure_frames(&f, out);
}

int audio_meter_timeline(const struct audio_meter *m,
			 struct audio_timeline *out)
{
	struct audio_frames f = {
		.flags = m->flags, .agent_db = m->agent_db, .n = m->n,
		.lang = m->lang,
	};

	*out = (struct audio_timeline){0};
	return m->err ? m->err : audio_timeline_frames(&f, out);
}

int audio_measure_pcm(const int16_t *pcm, size_t n, unsigned rate,
		      enum audio_lang lang, struct audio_measures *out)
{
	struct audio_meter *m;
	int err = audio_meter_alloc(&m, rate, lang);

	if (err)
		return err;
	err = audio_meter_feed(m, pcm, n);
	if (!err)
		err = audio_meter_result(m, out);
	audio_meter_free(m);
	return err;
}
