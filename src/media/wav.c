/* Prompts from audio files: read with libsndfile, mixed down to mono and
 * brought to 8 kHz.
 *
 * The resampler is a windowed sinc: each output sample is the input
 * convolved with an ideal low-pass (cutoff 0.45 of the lower of the two
 * rates, 3.6 kHz when going down to 8 kHz, so the telephone band is kept
 * and little above 4 kHz folds back) cut to 32 zero crossings on each side
 * by a Blackman window, evaluated exactly at each output instant. When the
 * two rates reduce to at most MAX_PHASES output instants between input
 * samples (22.05 kHz: 160, 44.1 kHz: 80, 16 and 48 kHz: 1) the weights of
 * each instant are worked out once and every output sample is one dot
 * product (a polyphase filter): text-to-speech resamples every sentence it
 * makes. Other ratios evaluate the kernel at every tap. */
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>
#include <unistd.h>
#include <sndfile.h>
#include "media/media_int.h"

enum {
	MAX_SECONDS = 600,
	ZERO_CROSSINGS = 32,
	CHUNK = 4096,             /* frames read at a time */
	MAX_PHASES = 1024,
};

static const double CUTOFF = 0.45;

enum { TABLE_STEPS = 256 };   /* kernel samples per zero crossing */

static double blackman(double r)  /* r in [-1, 1] */
{
	return 0.42 + 0.5 * cos(M_PI * r) + 0.08 * cos(2 * M_PI * r);
}

static int16_t clip(double v)
{
	if (v > 32767)
		return 32767;
	if (v < -32768)
		return -32768;
	return (int16_t)lrint(v);
}

/* The windowed sinc at u = 0, 1/TABLE_STEPS, … ZERO_CROSSINGS (u counts
 * zero crossings); read back with linear interpolation. */
static double *kernel_table(void)
{
	size_t len = ZERO_CROSSINGS * TABLE_STEPS + 2;
	double *k = malloc(sizeof(double) * len);

	if (!k)
		return NULL;
	for (size_t i = 0; i < len; i++) {
		double u = (double)i / TABLE_STEPS;

		k[i] = u >= ZERO_CROSSINGS ? 0 :
		       (i == 0 ? 1 : sin(M_PI * u) / (M_PI * u)) *
		       blackman(u / ZERO_CROSSINGS);
	}
	return k;
}

static double kernel(const double *k, double u)
{
	double pos = fabs(u) * TABLE_STEPS;
	size_t i = (size_t)pos;
	double f = pos - (double)i;

	return k[i] + f * (k[i + 1] - k[i]);
}

static unsigned gcd(unsigned a, unsigned b)
{
	while (b) {
		unsigned r = a % b;
		a = b;
		b = r;
	}
	return a;
}

/* Any ratio: the kernel evaluated at every tap of every output sample. */
static void resample_any(const double *k, const float *in, size_t n,
			 int rate, double fc, double half, int16_t *out,
			 size_t m)
{
	double step = (double)rate / MEDIA_RATE;

	for (size_t j = 0; j < m; j++) {
		double t = (double)j * step;
		long lo = (long)ceil(t - half), hi = (long)floor(t + half);
		double acc = 0;

		if (lo < 0)
			lo = 0;
		if (hi >= (long)n)
			hi = (long)n - 1;
		for (long i = lo; i <= hi; i++)
			acc += in[i] * kernel(k, 2 * fc * (t - (double)i));
		out[j] = clip(acc * 2 * fc * 32768);
	}
}

/* Output sample j falls phase p = (j·M mod L)/L past input sample j·M/L;
 * the weights of phase p for inputs at offsets kl … kl+T-1 from it are
 * w[p·T …], zero beyond the kernel's reach. */
static int resample_poly(const double *k, const float *in, size_t n,
			 unsigned L, unsigned M, double fc, double half,
			 int16_t *out, size_t m)
{
	long kl = (long)ceil(-half), kh = (long)floor(half) + 1;
	size_t T = (size_t)(kh - kl + 1);
	float *w = malloc(sizeof(float) * L * T);

	if (!w)
		return ENOMEM;
	for (unsigned p = 0; p < L; p++)
		for (size_t x = 0; x < T; x++) {
			double d = (double)p / L - (double)(kl + (long)x);
			w[p * T + x] = fabs(d) <= half ?
				(float)(kernel(k, 2 * fc * d) * 2 * fc) : 0;
		}
	for (size_t j = 0; j < m; j++) {
		uint64_t num = (uint64_t)j * M;
		long i0 = (long)(num / L);
		const float *wp = w + (num % L) * T;
		double acc = 0;

		if (i0 + kl >= 0 && i0 + kh < (long)n) {
			const float *x = in + i0 + kl;
			for (size_t i = 0; i < T; i++)
				acc += wp[i] * x[i];
		} else {
			for (size_t i = 0; i < T; i++) {
				long at = i0 + kl + (long)i;
				if (at >= 0 && at < (long)n)
					acc += wp[i] * in[at];
			}
		}
		out[j] = clip(acc * 32768);
	}
	free(w);
	return 0;
}

int media_resample(const float *in, size_t n, int rate, int16_t *out,
		   size_t m)
{
	double fc, half;
	unsigned g, L;
	double *k;
	int err = 0;

	if (rate < 1000)
		return EINVAL;
	fc = CUTOFF * (rate < MEDIA_RATE ? rate : MEDIA_RATE) / rate;
	half = ZERO_CROSSINGS / (2 * fc);           /* in input samples */
	g = gcd((unsigned)rate, MEDIA_RATE);
	L = MEDIA_RATE / g;
	k = kernel_table();
	if (!k)
		return ENOMEM;
	if (L <= MAX_PHASES)
		err = resample_poly(k, in, n, L, (unsigned)rate / g, fc, half,
				    out, m);
	else
		resample_any(k, in, n, rate, fc, half, out, m);
	free(k);
	return err;
}

/* Reads every frame, averaging the channels, at the file's own rate. */
static int read_mono(SNDFILE *sf, const SF_INFO *info, float *mono)
{
	float *buf = malloc(sizeof(float) * CHUNK * (size_t)info->channels);
	sf_count_t done = 0;

	if (!buf)
		return ENOMEM;
	while (done < info->frames) {
		sf_count_t got = sf_readf_float(sf, buf, CHUNK);

		if (got <= 0)
			break;
		for (sf_count_t i = 0; i < got && done + i < info->frames; i++) {
			float sum = 0;

			for (int c = 0; c < info->channels; c++)
				sum += buf[i * info->channels + c];
			mono[done + i] = sum / (float)info->channels;
		}
		done += got;
	}
	free(buf);
	return done == info->frames ? 0 : EBADMSG;
}

static int convert(SNDFILE *sf, const SF_INFO *info, int16_t **pcmp,
		   size_t *np)
{
	size_t n = (size_t)info->frames;
	size_t m = (size_t)((double)n * MEDIA_RATE / info->samplerate);
	float *mono = malloc(sizeof(float) * n);
	int16_t *pcm = malloc(sizeof(int16_t) * (m ? m : 1));
	int err = mono && pcm ? read_mono(sf, info, mono) : ENOMEM;

	if (!err && m == 0)
		err = EBADMSG;
	if (!err) {
		if (info->samplerate == MEDIA_RATE) {
			for (size_t i = 0; i < n; i++)
				pcm[i] = clip(mono[i] * 32768.0);
		} else {
			err = media_resample(mono, n, info->samplerate, pcm, m);
		}
	}
	free(mono);
	if (err) {
		free(pcm);
		return err;
	}
	*pcmp = pcm;
	*np = m;
	return 0;
}

int media_wav_load_info(const char *path, int16_t **pcmp, size_t *np,
			struct media_wav_info *wi)
{
	SF_INFO info = {0};
	SNDFILE *sf;
	int err;

	if (access(path, R_OK) != 0)
		return errno;
	sf = sf_open(path, SFM_READ, &info);
	if (!sf)
		return EBADMSG;
	if (info.channels < 1 || info.samplerate < 1000 || info.frames <= 0)
		err = EBADMSG;
	else if (info.frames > (sf_count_t)MAX_SECONDS * info.samplerate)
		err = EFBIG;
	else
		err = convert(sf, &info, pcmp, np);
	sf_close(sf);
	if (!err && wi) {
		wi->rate = info.samplerate;
		wi->channels = info.channels;
	}
	return err;
}

int media_wav_load(const char *path, int16_t **pcmp, size_t *np)
{
	return media_wav_load_info(path, pcmp, np, NULL);
}

/* The temporary file is named after the thread too: two workers may write
 * the same prompt at once, and each renames a whole file of its own. */
int media_wav_save(const char *path, const int16_t *pcm, size_t n)
{
	SF_INFO info = {.samplerate = MEDIA_RATE, .channels = 1,
			.format = SF_FORMAT_WAV | SF_FORMAT_PCM_16};
	char tmp[PATH_MAX];
	SNDFILE *sf;
	int err = 0;

	if (!path || !pcm || !n)
		return EINVAL;
	if (snprintf(tmp, sizeof(tmp), "%s.%d.%ld.tmp", path, (int)getpid(),
		     (long)gettid()) >= (int)sizeof(tmp))
		return ENAMETOOLONG;
	sf = sf_open(tmp, SFM_WRITE, &info);
	if (!sf)
		return EIO;
	if (sf_write_short(sf, pcm, (sf_count_t)n) != (sf_count_t)n)
		err = EIO;
	if (sf_close(sf) && !err)
		err = EIO;
	if (!err && rename(tmp, path))
		err = errno;
	if (err)
		(void)unlink(tmp);
	return err;
}
