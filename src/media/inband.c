/* In-band DTMF through spandsp: its detector (Goertzel filters with twist,
 * level and talk-off checks, tested against the Q.24 suites) and its tone
 * generator. We only adapt the interfaces. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <spandsp.h>
#include "media/media_int.h"

struct media_inband {
	dtmf_rx_state_t *rx;
	media_digit_h   *h;
	void            *arg;
};

struct media_tones {
	dtmf_tx_state_t *tx;
};

enum { MAX_TONES = 128 };     /* spandsp's queue: MAX_DTMF_DIGITS */

/* spandsp hands over what it confirmed since the last call, usually one. */
static void on_digits(void *user, const char *d, int len)
{
	struct media_inband *ib = user;

	for (int i = 0; i < len; i++)
		ib->h(d[i], ib->arg);
}

int media_inband_alloc(struct media_inband **ibp, media_digit_h *h, void *arg)
{
	struct media_inband *ib;

	if (!h)
		return EINVAL;
	ib = calloc(1, sizeof(*ib));
	if (!ib)
		return ENOMEM;
	ib->h = h;
	ib->arg = arg;
	ib->rx = dtmf_rx_init(NULL, on_digits, ib);
	if (!ib->rx) {
		free(ib);
		return ENOMEM;
	}
	*ibp = ib;
	return 0;
}

void media_inband_free(struct media_inband *ib)
{
	if (!ib)
		return;
	dtmf_rx_free(ib->rx);
	free(ib);
}

void media_inband_feed(struct media_inband *ib, const int16_t *pcm, size_t n)
{
	/* spandsp counts in int; feed large buffers in pieces. */
	while (n > 0) {
		int k = n > 8000 ? 8000 : (int)n;

		dtmf_rx(ib->rx, pcm, k);
		pcm += k;
		n -= (size_t)k;
	}
}

int media_tones_alloc(struct media_tones **tp, const char *digits,
		      unsigned on_ms, unsigned off_ms, int level_dbm0)
{
	struct media_tones *t;
	size_t len = strlen(digits);
	uint8_t code;

	if (len == 0 || len > MAX_TONES || on_ms == 0 || on_ms > 10000 ||
	    off_ms > 10000 || level_dbm0 < -50 || level_dbm0 > 0)
		return EINVAL;
	for (size_t i = 0; i < len; i++) {
		/* spandsp knows upper-case A-D only. */
		if (media_dtmf_code(digits[i], &code) ||
		    (digits[i] >= 'a' && digits[i] <= 'd'))
			return EINVAL;
	}
	t = calloc(1, sizeof(*t));
	if (!t)
		return ENOMEM;
	t->tx = dtmf_tx_init(NULL);
	if (!t->tx) {
		free(t);
		return ENOMEM;
	}
	dtmf_tx_set_level(t->tx, level_dbm0, 0);
	dtmf_tx_set_timing(t->tx, (int)on_ms, (int)off_ms);
	/* 0.0.6 returns how many digits did not fit, despite its header. */
	if (dtmf_tx_put(t->tx, digits, (int)len) != 0) {
		media_tones_free(t);
		return EINVAL;
	}
	*tp = t;
	return 0;
}

void media_tones_free(struct media_tones *t)
{
	if (!t)
		return;
	dtmf_tx_free(t->tx);
	free(t);
}

size_t media_tones_read(struct media_tones *t, int16_t *pcm, size_t n)
{
	size_t done = 0;

	while (done < n) {
		int want = n - done > 8000 ? 8000 : (int)(n - done);
		int got = dtmf_tx(t->tx, pcm + done, want);

		if (got <= 0)
			break;
		done += (size_t)got;
		if (got < want)
			break;
	}
	return done;
}
