/* Test helper: which tones a stretch of 8 kHz audio holds. The Goertzel
 * filter measures one frequency's amplitude in O(n) without an FFT; with a
 * window whose length is a whole number of periods of every tone tested
 * (n a multiple of 80 samples for tones at multiples of 100 Hz), a steady
 * tone shows its own amplitude and nothing at the others.
 *
 * Header-only, for any unit test: tone_fill() makes a tone, goertzel_amp()
 * measures one, goertzel_hears() says whether a tone is clearly there. */
#ifndef HL_TESTS_GOERTZEL_H
#define HL_TESTS_GOERTZEL_H

#include <math.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Writes n samples of a sine at hz and amplitude amp into pcm, continuing
 * from *phase (radians; updated), so successive calls join smoothly. */
static inline void tone_fill(int16_t *pcm, size_t n, double hz, double amp,
			     double rate, double *phase)
{
	const double step = 2 * M_PI * hz / rate;

	for (size_t i = 0; i < n; i++) {
		pcm[i] = (int16_t)lrint(amp * sin(*phase));
		*phase += step;
		if (*phase > 2 * M_PI)
			*phase -= 2 * M_PI;
	}
}

/* The amplitude of the hz component of x (n samples at rate), in sample
 * units: a full tone of amplitude A gives about A. */
static inline double goertzel_amp(const int16_t *x, size_t n, double hz,
				  double rate)
{
	const double w = 2 * M_PI * hz / rate;
	const double coeff = 2 * cos(w);
	double s1 = 0, s2 = 0, power;

	for (size_t i = 0; i < n; i++) {
		double s0 = x[i] + coeff * s1 - s2;
		s2 = s1;
		s1 = s0;
	}
	power = s1 * s1 + s2 * s2 - coeff * s1 * s2;
	return n ? 2 * sqrt(power > 0 ? power : 0) / (double)n : 0;
}

/* True when the hz tone is there at a quarter or more of amp, the level it
 * was sent at: well above what G.711 noise, a lost packet or another
 * tone's leakage put at a frequency nobody sent (a few percent). */
static inline bool goertzel_hears(const int16_t *x, size_t n, double hz,
				  double rate, double amp)
{
	return goertzel_amp(x, n, hz, rate) >= amp / 4;
}

#endif
