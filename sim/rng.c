/*
 * rng.c - xoshiro256** streams seeded by splitmix64 from (seed, FNV-1a(name)).
 */
#include <math.h>
#include <string.h>

#include "rng.h"

static uint64_t
splitmix64(uint64_t *x)
{
	uint64_t z = (*x += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static uint64_t
fnv1a(const char *s)
{
	uint64_t h = 0xcbf29ce484222325ULL;

	for (; *s; s++) {
		h ^= (unsigned char)*s;
		h *= 0x100000001b3ULL;
	}
	return h;
}

void
rng_init(struct rng *r, uint64_t seed, const char *name)
{
	uint64_t x = seed ^ fnv1a(name ? name : "");
	int i;

	/* Mix twice so that seeds differing in one bit diverge at once. */
	x = splitmix64(&x) ^ seed;
	for (i = 0; i < 4; i++)
		r->s[i] = splitmix64(&x);
}

static inline uint64_t
rotl(uint64_t x, int k)
{
	return (x << k) | (x >> (64 - k));
}

uint64_t
rng_u64(struct rng *r)
{
	uint64_t *s = r->s;
	uint64_t out = rotl(s[1] * 5, 7) * 9;
	uint64_t t = s[1] << 17;

	s[2] ^= s[0];
	s[3] ^= s[1];
	s[1] ^= s[2];
	s[0] ^= s[3];
	s[2] ^= t;
	s[3] = rotl(s[3], 45);
	return out;
}

uint64_t
rng_below(struct rng *r, uint64_t n)
{
	/* Lemire's nearly-divisionless method, with rejection: unbiased. */
	unsigned __int128 m = (unsigned __int128)rng_u64(r) * n;
	uint64_t lo = (uint64_t)m;

	if (lo < n) {
		uint64_t thresh = -n % n;

		while (lo < thresh) {
			m = (unsigned __int128)rng_u64(r) * n;
			lo = (uint64_t)m;
		}
	}
	return (uint64_t)(m >> 64);
}

double
rng_unit(struct rng *r)
{
	/* 53 random bits, offset by half a step: strictly inside (0, 1). */
	return ((double)(rng_u64(r) >> 11) + 0.5) * 0x1.0p-53;
}

bool
rng_bernoulli(struct rng *r, double p)
{
	if (p <= 0.0)
		return false;
	if (p >= 1.0)
		return true;
	return rng_unit(r) < p;
}

sim_time
rng_exp_time(struct rng *r, sim_time mean)
{
	double d = -log(rng_unit(r)) * (double)mean;

	if (d >= 9.0e18)
		return SIM_TIME_MAX / 2;
	return (sim_time)(d + 0.5);
}
