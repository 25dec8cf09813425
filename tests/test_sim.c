/* test_sim.c - the event kernel: ordering, ties, cancellation, run modes. */
#include <stdint.h>
#include <stdlib.h>

#include "rng.h"
#include "sim.h"
#include "testutil.h"

struct log {
	int order[64];
	sim_time when[64];
	int n;
};

struct tag {
	struct log *log;
	int id;
};

static void
record(struct sim *sim, void *arg)
{
	struct tag *t = arg;

	t->log->when[t->log->n] = sim_now(sim);
	t->log->order[t->log->n++] = t->id;
}

static void
test_ties_run_in_schedule_order(void)
{
	struct sim *sim = sim_new(1);
	struct log log = { .n = 0 };
	struct tag tags[10];
	int i;

	/* 10 events, two instants, interleaved: FIFO within each instant. */
	for (i = 0; i < 10; i++) {
		tags[i] = (struct tag){ &log, i };
		sim_schedule(sim, (i % 2) ? SIM_US(5) : SIM_US(3), record,
		    &tags[i]);
	}
	CU_ASSERT_EQUAL(sim_run(sim), 10);
	for (i = 0; i < 5; i++) {
		CU_ASSERT_EQUAL(log.order[i], 2 * i);
		CU_ASSERT_EQUAL(log.when[i], SIM_US(3));
		CU_ASSERT_EQUAL(log.order[5 + i], 2 * i + 1);
		CU_ASSERT_EQUAL(log.when[5 + i], SIM_US(5));
	}
	CU_ASSERT_EQUAL(sim_now(sim), SIM_US(5));
	sim_free(sim);
}

static void
test_cancel(void)
{
	struct sim *sim = sim_new(1);
	struct log log = { .n = 0 };
	struct tag tags[4];
	sim_event_id ids[4];
	int i;

	for (i = 0; i < 4; i++) {
		tags[i] = (struct tag){ &log, i };
		ids[i] = sim_schedule(sim, SIM_NS(10 * (i + 1)), record,
		    &tags[i]);
	}
	CU_ASSERT_TRUE(sim_cancel(sim, ids[1]));
	CU_ASSERT_FALSE(sim_cancel(sim, ids[1]));	/* twice: no-op */
	CU_ASSERT_FALSE(sim_is_pending(sim, ids[1]));
	CU_ASSERT_TRUE(sim_is_pending(sim, ids[2]));
	CU_ASSERT_EQUAL(sim_pending(sim), 3);
	sim_run(sim);
	CU_ASSERT_EQUAL(log.n, 3);
	CU_ASSERT_EQUAL(log.order[0], 0);
	CU_ASSERT_EQUAL(log.order[1], 2);
	CU_ASSERT_EQUAL(log.order[2], 3);
	/* A handle of an event that ran must not cancel the slot's new user. */
	ids[0] = sim_schedule(sim, 5, record, &tags[0]);
	CU_ASSERT_FALSE(sim_cancel(sim, ids[3]));
	CU_ASSERT_TRUE(sim_is_pending(sim, ids[0]));
	CU_ASSERT_FALSE(sim_cancel(sim, (sim_event_id){ 0, 0 }));
	sim_free(sim);
}

static void
test_run_until_and_stop(void)
{
	struct sim *sim = sim_new(1);
	struct log log = { .n = 0 };
	struct tag tags[3] = { { &log, 0 }, { &log, 1 }, { &log, 2 } };

	sim_schedule(sim, SIM_MS(1), record, &tags[0]);
	sim_schedule(sim, SIM_MS(2), record, &tags[1]);
	sim_schedule(sim, SIM_MS(3), record, &tags[2]);
	CU_ASSERT_EQUAL(sim_run_until(sim, SIM_MS(2)), 2);	/* inclusive */
	CU_ASSERT_EQUAL(sim_now(sim), SIM_MS(2));
	CU_ASSERT_EQUAL(sim_run_until(sim, SIM_MS(2) + 500), 0);
	CU_ASSERT_EQUAL(sim_now(sim), SIM_MS(2) + 500);
	CU_ASSERT_EQUAL(sim_next_time(sim), SIM_MS(3));
	CU_ASSERT_EQUAL(sim_run(sim), 1);
	CU_ASSERT_EQUAL(sim_next_time(sim), SIM_TIME_MAX);
	sim_free(sim);
}

static void
stopper(struct sim *sim, void *arg)
{
	(void)arg;
	sim_stop(sim);
}

static void
test_stop(void)
{
	struct sim *sim = sim_new(1);
	struct log log = { .n = 0 };
	struct tag t = { &log, 7 };

	sim_schedule(sim, 10, stopper, NULL);
	sim_schedule(sim, 20, record, &t);
	CU_ASSERT_EQUAL(sim_run(sim), 1);
	CU_ASSERT_EQUAL(sim_now(sim), 10);
	CU_ASSERT_EQUAL(sim_run(sim), 1);
	CU_ASSERT_EQUAL(log.n, 1);
	sim_free(sim);
}

/* Random schedule/cancel mix checked against a sorted reference. */
struct ref {
	sim_time t;
	uint64_t seq;
	int live;
	sim_event_id id;
};

static struct ref refs[5000];
static int ran_ids[5000];
static int n_ran;

static void
ran(struct sim *sim, void *arg)
{
	(void)sim;
	ran_ids[n_ran++] = (int)(intptr_t)arg;
}

static int
cmp_ref(const void *a, const void *b)
{
	const struct ref *x = *(const struct ref *const *)a;
	const struct ref *y = *(const struct ref *const *)b;

	if (x->t != y->t)
		return x->t < y->t ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

static void
test_random_against_reference(void)
{
	struct sim *sim = sim_new(42);
	struct rng r;
	struct ref *order[5000];
	int i, n = 0, k;

	rng_init(&r, 42, "test");
	n_ran = 0;
	for (i = 0; i < 5000; i++) {
		refs[i].t = (sim_time)rng_below(&r, 1000);	/* many ties */
		refs[i].seq = (uint64_t)i;
		refs[i].live = 1;
		refs[i].id = sim_schedule_at(sim, refs[i].t, ran,
		    (void *)(intptr_t)i);
	}
	for (i = 0; i < 1500; i++) {
		k = (int)rng_below(&r, 5000);
		CU_ASSERT_EQUAL(sim_cancel(sim, refs[k].id), refs[k].live);
		refs[k].live = 0;
	}
	for (i = 0; i < 5000; i++)
		if (refs[i].live)
			order[n++] = &refs[i];
	qsort(order, (size_t)n, sizeof(order[0]), cmp_ref);
	CU_ASSERT_EQUAL(sim_pending(sim), (size_t)n);
	sim_run(sim);
	CU_ASSERT_EQUAL_FATAL(n_ran, n);
	for (i = 0; i < n; i++)
		CU_ASSERT_EQUAL(ran_ids[i], (int)(order[i] - refs));
	sim_free(sim);
}

static void
test_rng_streams_independent(void)
{
	struct rng a1, a2, b;
	int i, same = 0;

	rng_init(&a1, 7, "flow/a");
	rng_init(&b, 7, "flow/b");
	rng_init(&a2, 7, "flow/a");
	for (i = 0; i < 1000; i++) {
		uint64_t x = rng_u64(&a1), y = rng_u64(&b);

		/* interleaving draws from b does not disturb a */
		CU_ASSERT_EQUAL(x, rng_u64(&a2));
		same += x == y;
	}
	CU_ASSERT_EQUAL(same, 0);
	rng_init(&a2, 8, "flow/a");
	rng_init(&a1, 7, "flow/a");
	CU_ASSERT_NOT_EQUAL(rng_u64(&a1), rng_u64(&a2));
}

static void
test_rng_distributions(void)
{
	struct rng r;
	int i, hits = 0, buckets[10] = { 0 };
	double sum = 0;

	rng_init(&r, 1, "dist");
	for (i = 0; i < 100000; i++) {
		sim_time t = rng_exp_time(&r, SIM_MS(1));

		CU_ASSERT_TRUE(t >= 0);
		sum += (double)t;
		hits += rng_bernoulli(&r, 0.25);
		buckets[rng_below(&r, 10)]++;
	}
	/* Wide bounds: these fail only if the generator is broken. */
	CU_ASSERT_TRUE(sum / 100000 > 0.97e6 && sum / 100000 < 1.03e6);
	CU_ASSERT_TRUE(hits > 24000 && hits < 26000);
	for (i = 0; i < 10; i++)
		CU_ASSERT_TRUE(buckets[i] > 9500 && buckets[i] < 10500);
}

static const struct test_case cases[] = {
	{ "same-time events run in schedule order", test_ties_run_in_schedule_order },
	{ "cancel removes exactly one event", test_cancel },
	{ "run_until is inclusive and advances the clock", test_run_until_and_stop },
	{ "sim_stop returns after the current event", test_stop },
	{ "5000 random events with cancels match a sorted reference", test_random_against_reference },
	{ "named rng streams are independent and repeatable", test_rng_streams_independent },
	{ "rng distributions have the right moments", test_rng_distributions },
	{ NULL, NULL }
};

int
main(int argc, char **argv)
{
	return test_main(argc, argv, "sim", cases);
}
