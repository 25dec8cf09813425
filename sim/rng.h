/*
 * rng.h - named, seeded random streams.
 *
 * A stream is a small value (xoshiro256**) seeded from the simulation seed and
 * the stream's name, so that each flow, link direction and process draws from
 * its own sequence: adding a flow never changes another flow's draws, and the
 * same (seed, name) always gives the same sequence on every machine.
 */
#ifndef XCSIM_RNG_H
#define XCSIM_RNG_H

#include <stdbool.h>
#include <stdint.h>

#include "units.h"

struct rng {
	uint64_t s[4];
};

void rng_init(struct rng *r, uint64_t seed, const char *name);
uint64_t rng_u64(struct rng *r);
/* Uniform in [0, n), unbiased. n > 0. */
uint64_t rng_below(struct rng *r, uint64_t n);
/* Uniform double in (0, 1): never 0, never 1. */
double rng_unit(struct rng *r);
bool rng_bernoulli(struct rng *r, double p);
/* Exponentially distributed duration with the given mean, >= 0. */
sim_time rng_exp_time(struct rng *r, sim_time mean);

#endif
