/* sim/rng: the simulator's random numbers. xoshiro256** (Blackman and
 * Vigna) is small, fast and passes the usual statistical batteries; its
 * state is seeded from one 64-bit seed through splitmix64, as its authors
 * recommend, so nearby seeds give unrelated streams. Everything up to the
 * final conversion is integer arithmetic, and the conversions use only
 * IEEE operations and libm's log, log1p, sqrt and exp, so a seed replays
 * the same run on every machine with the same C library. */
#include <math.h>
#include "sim/sim_int.h"

static uint64_t splitmix64(uint64_t *x)
{
	uint64_t z = (*x += 0x9e3779b97f4a7c15ull);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

void sim_rng_seed(struct sim_rng *r, uint64_t seed)
{
	for (int i = 0; i < 4; i++)
		r->s[i] = splitmix64(&seed);
	r->has_spare = false;
}

static inline uint64_t rotl(uint64_t x, int k)
{
	return (x << k) | (x >> (64 - k));
}

uint64_t sim_rng_next(struct sim_rng *r)
{
	uint64_t *s = r->s;
	uint64_t out = rotl(s[1] * 5, 7) * 9, t = s[1] << 17;

	s[2] ^= s[0];
	s[3] ^= s[1];
	s[1] ^= s[2];
	s[0] ^= s[3];
	s[2] ^= t;
	s[3] = rotl(s[3], 45);
	return out;
}

double sim_rng_unit(struct sim_rng *r)
{
	/* The top 53 bits, k in [0, 2^53): (k + 1) / 2^53 is in (0, 1]. */
	return (double)((sim_rng_next(r) >> 11) + 1) * 0x1.0p-53;
}

double sim_rng_exp(struct sim_rng *r)
{
	return -log(sim_rng_unit(r));
}

double sim_rng_normal(struct sim_rng *r)
{
	double u, v, s, f;

	if (r->has_spare) {
		r->has_spare = false;
		return r->spare;
	}
	do {
		u = 2.0 * sim_rng_unit(r) - 1.0;
		v = 2.0 * sim_rng_unit(r) - 1.0;
		s = u * u + v * v;
	} while (s >= 1.0 || s == 0.0);
	f = sqrt(-2.0 * log(s) / s);
	r->spare = v * f;
	r->has_spare = true;
	return u * f;
}

/* A lognormal with mean m and standard deviation s is exp(N(mu, sigma^2))
 * with sigma^2 = ln(1 + s^2/m^2) and mu = ln m - sigma^2/2. */
void sim_dist_prepare(struct sim_dist *d)
{
	if (d->kind != SIM_DIST_LOGNORMAL)
		return;
	double v = log1p(d->sd_s * d->sd_s / (d->mean_s * d->mean_s));
	d->sigma = sqrt(v);
	d->mu = log(d->mean_s) - v / 2;
}

static int64_t to_ms(double s)
{
	double ms = s * 1000.0;

	/* Far beyond any simulated period; keeps llround defined. */
	if (!(ms < 1e15))
		return INT64_C(1000000000000000);
	return llround(ms);
}

int64_t sim_dist_ms(const struct sim_dist *d, struct sim_rng *r)
{
	switch (d->kind) {
	case SIM_DIST_NONE:
		return -1;
	case SIM_DIST_FIXED:
		return to_ms(d->mean_s);
	case SIM_DIST_EXPONENTIAL:
		return to_ms(d->mean_s * sim_rng_exp(r));
	case SIM_DIST_LOGNORMAL:
		return to_ms(exp(d->mu + d->sigma * sim_rng_normal(r)));
	}
	return -1;
}

const char *sim_dist_name(enum sim_dist_kind k)
{
	static const char *const names[] = {
		[SIM_DIST_NONE] = "none", [SIM_DIST_FIXED] = "fixed",
		[SIM_DIST_EXPONENTIAL] = "exponential",
		[SIM_DIST_LOGNORMAL] = "lognormal",
	};
	return k <= SIM_DIST_LOGNORMAL ? names[k] : "?";
}
