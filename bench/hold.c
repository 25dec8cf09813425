/*
 * hold.c - the classic hold model against the xcsim event kernel.
 *
 * A fixed population of P pending events; every executed event schedules one
 * new event at now + an exponential delay (mean 1 ms), so the pending set
 * stays at P and each event costs one pop plus one push. This measures the
 * kernel's scheduler and nothing else.
 *
 * Two delay generators:
 *   inline  splitmix64 -> uniform in (0,1) -> -log(u) * mean, written out
 *           here and, identically, in bench/ns3/hold.cc, so that the ns-3
 *           comparison measures the schedulers and not the generators;
 *   rng     rng_exp_time() on the named stream "hold" (xoshiro256**), the
 *           generator real xcsim models use.
 *
 * usage: hold P EVENTS [inline|rng]
 * Prints key=value lines. Run one configuration per process so that
 * peak_rss_kb (getrusage ru_maxrss) belongs to that configuration alone.
 */
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "rng.h"
#include "sim.h"

#define HOLD_MEAN SIM_MS(1)
#define HOLD_SEED 42

struct hold {
	int use_rng;
	uint64_t left;		/* events still to run before sim_stop */
	uint64_t sm;		/* splitmix64 state, inline generator */
	struct rng rng;		/* named stream, rng generator */
};

static inline uint64_t
splitmix64(uint64_t *x)
{
	uint64_t z = (*x += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

/* Keep in step with hold_delay() in bench/ns3/hold.cc. */
static inline sim_time
inline_exp(uint64_t *sm, sim_time mean)
{
	double u = ((double)(splitmix64(sm) >> 11) + 0.5) * 0x1.0p-53;

	return (sim_time)(-log(u) * (double)mean + 0.5);
}

static inline sim_time
hold_delay(struct hold *h)
{
	if (h->use_rng)
		return rng_exp_time(&h->rng, HOLD_MEAN);
	return inline_exp(&h->sm, HOLD_MEAN);
}

static void
hold_event(struct sim *sim, void *arg)
{
	struct hold *h = arg;

	sim_schedule(sim, hold_delay(h), hold_event, h);
	if (--h->left == 0)
		sim_stop(sim);
}

static double
now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static double
cpu_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static int
parse_u64(const char *s, uint64_t *out)
{
	char *end;
	unsigned long long v;

	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno != 0 || end == s || *end != '\0' || v == 0 || s[0] == '-')
		return -1;
	*out = v;
	return 0;
}

int
main(int argc, char **argv)
{
	struct hold h = { 0 };
	struct rusage ru;
	struct sim *sim;
	uint64_t p, events, i, ran;
	double w0, w1, c0, c1;

	if (argc < 3 || argc > 4 || parse_u64(argv[1], &p) != 0 ||
	    parse_u64(argv[2], &events) != 0 || p > UINT32_MAX / 2 ||
	    (argc == 4 && strcmp(argv[3], "inline") != 0 &&
	    strcmp(argv[3], "rng") != 0)) {
		fprintf(stderr, "usage: hold P EVENTS [inline|rng]\n");
		return 2;
	}
	h.use_rng = argc == 4 && strcmp(argv[3], "rng") == 0;
	h.sm = HOLD_SEED;
	sim = sim_new(HOLD_SEED);
	rng_init(&h.rng, sim_seed(sim), "hold");

	for (i = 0; i < p; i++)
		sim_schedule(sim, hold_delay(&h), hold_event, &h);

	/*
	 * Warm up for 2P events untimed: the initial population is drawn from
	 * one exponential, the steady state is not; and the pools reach their
	 * final size before the clock starts.
	 */
	h.left = 2 * p;
	sim_run(sim);

	h.left = events;
	w0 = now_s();
	c0 = cpu_s();
	ran = sim_run(sim);
	c1 = cpu_s();
	w1 = now_s();
	SIM_ASSERT(ran == events, "ran %" PRIu64 " of %" PRIu64, ran, events);
	SIM_ASSERT(sim_pending(sim) == p, "population drifted");
	getrusage(RUSAGE_SELF, &ru);

	printf("bench=hold\n");
	printf("sim=xcsim\n");
	printf("scheduler=heap4\n");
	printf("gen=%s\n", h.use_rng ? "rng" : "inline");
	printf("pending=%" PRIu64 "\n", p);
	printf("events=%" PRIu64 "\n", ran);
	printf("wall_s=%.6f\n", w1 - w0);
	printf("cpu_s=%.6f\n", c1 - c0);
	printf("events_per_s=%.0f\n", (double)ran / (w1 - w0));
	printf("ns_per_event=%.2f\n", (w1 - w0) * 1e9 / (double)ran);
	printf("peak_rss_kb=%ld\n", ru.ru_maxrss);
	printf("sim_time_s=%.6f\n", (double)sim_now(sim) * 1e-9);
	sim_free(sim);
	return 0;
}
