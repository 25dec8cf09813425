/* test_sim.c - the event kernel: ordering, ties, cancellation, run modes. */
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "rng.h"
#include "sim.h"
#include "sim_internal.h"
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

/* What a signal handler may touch, and a handler that touches only it. */
static volatile sig_atomic_t got_usr1;

static void
on_usr1(int sig)
{
	got_usr1 = sig;
}

static void
raiser(struct sim *sim, void *arg)
{
	(void)sim;
	(void)arg;
	raise(SIGUSR1);
}

/*
 * A signal during an event stops the run after it, like sim_stop, through
 * a flag only the handler writes; the clock is not advanced to until, and
 * the run keeps returning at once until the flag is cleared.
 */
static void
test_stop_flag(void)
{
	struct sim *sim = sim_new(1);
	struct log log = { .n = 0 };
	struct tag t = { &log, 7 };
	struct sigaction sa, old;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_usr1;
	sigemptyset(&sa.sa_mask);
	CU_ASSERT_EQUAL_FATAL(sigaction(SIGUSR1, &sa, &old), 0);
	got_usr1 = 0;
	sim_set_stop_flag(sim, &got_usr1);
	sim_schedule(sim, 10, raiser, NULL);
	sim_schedule(sim, 20, record, &t);
	CU_ASSERT_EQUAL(sim_run_until(sim, 100), 1);
	CU_ASSERT_EQUAL(got_usr1, SIGUSR1);
	CU_ASSERT_EQUAL(sim_now(sim), 10);
	CU_ASSERT_EQUAL(sim_run(sim), 0);
	CU_ASSERT_EQUAL(log.n, 0);
	got_usr1 = 0;
	CU_ASSERT_EQUAL(sim_run_until(sim, 100), 1);
	CU_ASSERT_EQUAL(log.n, 1);
	CU_ASSERT_EQUAL(sim_now(sim), 100);
	/* removed: a set flag no longer stops anything */
	got_usr1 = 1;
	sim_set_stop_flag(sim, NULL);
	sim_schedule(sim, 5, record, &t);
	CU_ASSERT_EQUAL(sim_run(sim), 1);
	CU_ASSERT_EQUAL(log.n, 2);
	sigaction(SIGUSR1, &old, NULL);
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

/*
 * Randomized stress against a reference model. Every event is a record; the
 * reference is the list of records, and the event that must run next is the
 * live record with the smallest (time, order of scheduling), found by a scan.
 * Callbacks schedule (often at the current instant, which must run after every
 * event already pending for it), cancel (siblings at the current instant,
 * events scheduled from other callbacks, events that already ran, and their
 * own handle) and look at the pending set while their own event is running.
 * Between runs, sim_run_until stops at random instants.
 */
#define STRESS_MAX 12000

struct stress;

struct stress_rec {
	struct stress *st;
	sim_time t;
	uint64_t order;
	int live;
	int ran;
	sim_event_id id;
};

struct stress {
	struct sim *sim;
	struct rng rng;
	struct stress_rec rec[STRESS_MAX];
	int n_rec;
	uint64_t order;
	int n_live;
	int budget;		/* schedules still allowed from callbacks */
	int spread;		/* delays of every scale, 0 to 2^40 ns */
	int errors;		/* mismatches, counted so a failure prints once */
	uint64_t ran;
};

static void stress_event(struct sim *sim, void *arg);

static int
stress_min(const struct stress *st)
{
	int i, best = -1;

	for (i = 0; i < st->n_rec; i++) {
		const struct stress_rec *r = &st->rec[i];

		if (!r->live)
			continue;
		if (best < 0 || r->t < st->rec[best].t ||
		    (r->t == st->rec[best].t && r->order < st->rec[best].order))
			best = i;
	}
	return best;
}

static sim_time
stress_next_time(const struct stress *st)
{
	int b = stress_min(st);

	return b < 0 ? SIM_TIME_MAX : st->rec[b].t;
}

static void
stress_schedule(struct stress *st, sim_time at)
{
	struct stress_rec *r;

	if (st->n_rec == STRESS_MAX)
		return;
	r = &st->rec[st->n_rec];
	r->st = st;
	r->t = at;
	r->order = st->order++;
	r->live = 1;
	r->ran = 0;
	r->id = sim_schedule_at(st->sim, at, stress_event, r);
	st->n_rec++;
	st->n_live++;
}

static void
stress_cancel(struct stress *st, int k)
{
	struct stress_rec *r = &st->rec[k];
	bool ok = sim_cancel(st->sim, r->id);

	st->errors += ok != (r->live != 0);
	st->errors += sim_is_pending(st->sim, r->id);
	if (r->live) {
		r->live = 0;
		st->n_live--;
	}
}

/* A live record due now other than self, or -1: a sibling to cancel. */
static int
stress_sibling(const struct stress *st, sim_time now)
{
	int i, start = st->n_rec ? (int)(st->n_rec / 2) : 0;

	for (i = start; i < st->n_rec; i++)
		if (st->rec[i].live && st->rec[i].t == now)
			return i;
	for (i = 0; i < start; i++)
		if (st->rec[i].live && st->rec[i].t == now)
			return i;
	return -1;
}

/* A delay below 40 ns, or with spread one of a random scale up to 2^40. */
static sim_time
stress_delay(struct stress *st, uint64_t small)
{
	if (!st->spread)
		return (sim_time)rng_below(&st->rng, small);
	return (sim_time)rng_below(&st->rng,
	    UINT64_C(1) << rng_below(&st->rng, 41));
}

static void
stress_actions(struct stress *st, int n)
{
	sim_time now = sim_now(st->sim);

	while (n-- > 0) {
		uint64_t what = rng_below(&st->rng, 10);
		int k;

		if (what < 3 && st->budget > 0) {
			st->budget--;
			stress_schedule(st, now);	/* same instant */
		} else if (what < 6 && st->budget > 0) {
			st->budget--;
			stress_schedule(st, now + stress_delay(st, 40));
		} else if (what < 7) {
			if ((k = stress_sibling(st, now)) >= 0)
				stress_cancel(st, k);
		} else if (what < 8 && st->n_rec > 0) {
			/* recently scheduled, often from a callback */
			k = st->n_rec - 1 -
			    (int)rng_below(&st->rng, st->n_rec < 8 ? st->n_rec : 8);
			stress_cancel(st, k);
		} else if (what < 9 && st->n_rec > 0) {
			stress_cancel(st, (int)rng_below(&st->rng, st->n_rec));
		}
	}
}

static void
stress_event(struct sim *sim, void *arg)
{
	struct stress_rec *r = arg;
	struct stress *st = r->st;
	int k = (int)(r - st->rec), want = stress_min(st);

	st->errors += k != want;
	st->errors += !r->live || r->ran;
	st->errors += sim_now(sim) != r->t;
	r->live = 0;
	r->ran = 1;
	st->n_live--;
	st->ran++;
	/* The running event is no longer pending; its own handle is stale. */
	st->errors += sim_is_pending(sim, r->id);
	st->errors += sim_cancel(sim, r->id);
	st->errors += sim_pending(sim) != (size_t)st->n_live;
	st->errors += sim_next_time(sim) != stress_next_time(st);
	stress_actions(st, (int)rng_below(&st->rng, 5));
	st->errors += sim_pending(sim) != (size_t)st->n_live;
	st->errors += sim_next_time(sim) != stress_next_time(st);
}

static void
stress_run(uint64_t seed, uint64_t seq_limit, int spread)
{
	struct stress *st = xcalloc(1, sizeof(*st));
	sim_time until;
	int i, round;

	st->sim = sim_new(seed);
	if (seq_limit != 0)
		sim_test_set_seq_limit(st->sim, seq_limit);
	rng_init(&st->rng, seed, "stress");
	st->spread = spread;
	st->budget = STRESS_MAX - 600;
	/* More than 256 pending at the start: the slot pool grows (and
	 * the slot field widens) while many same-time events are queued. */
	for (i = 0; i < 600; i++)
		stress_schedule(st, stress_delay(st, 50));
	for (round = 0; st->n_live > 0 && round < 100000; round++) {
		until = sim_now(st->sim) + stress_delay(st, 30);
		sim_run_until(st->sim, until);
		for (i = 0; i < st->n_rec; i++)
			st->errors += st->rec[i].live && st->rec[i].t <= until;
		st->errors += sim_now(st->sim) != until;
		st->errors += sim_pending(st->sim) != (size_t)st->n_live;
		st->errors += sim_next_time(st->sim) != stress_next_time(st);
		stress_actions(st, (int)rng_below(&st->rng, 6));
		CU_ASSERT_EQUAL_FATAL(st->errors, 0);
	}
	CU_ASSERT_EQUAL(st->n_live, 0);
	CU_ASSERT_EQUAL(sim_pending(st->sim), 0);
	CU_ASSERT_EQUAL(sim_events_run(st->sim), st->ran);
	CU_ASSERT_TRUE(st->n_rec > STRESS_MAX / 2);	/* the test did work */
	CU_ASSERT_EQUAL(st->errors, 0);
	sim_free(st->sim);
	free(st);
}

static void
test_stress_against_reference(void)
{
	stress_run(7, 0, 0);
	stress_run(8, 0, 0);
}

/* The same with seqs renumbered every few schedules, and on every schedule
 * once the pending set outgrows the limit. */
static void
test_stress_with_seq_renumbering(void)
{
	stress_run(9, 700, 0);
	stress_run(10, 37, 0);
}

/*
 * Delays from 0 to 2^40 ns: the far-future buckets are built with widths
 * far apart, events wait in the top across several rungs, and cancels hit
 * every part of the pending set; sim_next_time is checked in callbacks
 * while the heap holds nothing but the running event's vacancy.
 */
static void
test_stress_delays_of_every_scale(void)
{
	stress_run(11, 0, 1);
	stress_run(12, 0, 1);
	stress_run(13, 300, 1);
}

/*
 * Renumbering keeps FIFO order among ties and the order between times, and
 * handles stay valid: 3 instants, 300 events, interleaved, with the seq limit
 * so low that nearly every schedule renumbers, and the slot pool growing
 * (256 -> 512) midway, which re-packs under the low limit as well.
 */
static void
test_seq_renumbering_keeps_fifo(void)
{
	struct sim *sim = sim_new(1);
	sim_event_id ids[300];
	int i, want[300], n_want = 0, t;

	sim_test_set_seq_limit(sim, 5);
	for (i = 0; i < 300; i++)
		ids[i] = sim_schedule(sim, SIM_NS(10 * (2 - i % 3)), ran,
		    (void *)(intptr_t)i);
	for (i = 0; i < 300; i += 7)
		CU_ASSERT_TRUE(sim_cancel(sim, ids[i]));
	for (i = 0; i < 300; i += 7)
		CU_ASSERT_FALSE(sim_is_pending(sim, ids[i]));
	CU_ASSERT_TRUE(sim_is_pending(sim, ids[1]));
	for (t = 0; t <= 2; t++)
		for (i = 0; i < 300; i++)
			if (2 - i % 3 == t && i % 7 != 0)
				want[n_want++] = i;
	CU_ASSERT_EQUAL(sim_pending(sim), (size_t)n_want);
	n_ran = 0;
	CU_ASSERT_EQUAL(sim_run(sim), (uint64_t)n_want);
	CU_ASSERT_EQUAL_FATAL(n_ran, n_want);
	for (i = 0; i < n_want; i++)
		CU_ASSERT_EQUAL(ran_ids[i], want[i]);
	sim_free(sim);
}

/*
 * A long zero-delay chain inside one near-future bucket, then a burst of
 * events each earlier than the last: the kernel's small sorted bottom has to
 * recycle its array and then turn into a heap, and order must not change.
 */
struct burst {
	struct log log;
	int chain_left;
	int chain_ran;
	size_t pending_seen;
	sim_time next_seen;
	struct tag tags[40];
};

static void
burst_chain(struct sim *sim, void *arg)
{
	struct burst *b = arg;
	int i;

	b->chain_ran++;
	if (--b->chain_left > 0) {
		sim_schedule(sim, 0, burst_chain, b);
		return;
	}
	for (i = 0; i < 40; i++) {
		b->tags[i] = (struct tag){ &b->log, i };
		sim_schedule(sim, SIM_NS(40 - i), record, &b->tags[i]);
	}
	b->pending_seen = sim_pending(sim);
	b->next_seen = sim_next_time(sim);
}

static void
test_near_future_burst_keeps_order(void)
{
	struct sim *sim = sim_new(1);
	struct burst b = { .chain_left = 1000 };
	struct tag late = { &b.log, 99 };
	int i;

	sim_schedule(sim, SIM_NS(1000), burst_chain, &b);
	sim_schedule(sim, SIM_NS(2000), record, &late);
	CU_ASSERT_EQUAL(sim_run(sim), 1000 + 40 + 1);
	CU_ASSERT_EQUAL(b.chain_ran, 1000);
	CU_ASSERT_EQUAL(b.pending_seen, 41);
	CU_ASSERT_EQUAL(b.next_seen, SIM_NS(1001));
	CU_ASSERT_EQUAL_FATAL(b.log.n, 41);
	for (i = 0; i < 40; i++) {
		CU_ASSERT_EQUAL(b.log.order[i], 39 - i);
		CU_ASSERT_EQUAL(b.log.when[i], SIM_NS(1001 + i));
	}
	CU_ASSERT_EQUAL(b.log.order[40], 99);
	CU_ASSERT_EQUAL(b.log.when[40], SIM_NS(2000));
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
	{ "a signal handler's flag stops the run after the current event", test_stop_flag },
	{ "5000 random events with cancels match a sorted reference", test_random_against_reference },
	{ "randomized schedule/cancel/run_until from callbacks match a reference", test_stress_against_reference },
	{ "the same with insertion seqs renumbered often", test_stress_with_seq_renumbering },
	{ "seq renumbering keeps FIFO ties and time order", test_seq_renumbering_keeps_fifo },
	{ "stress with delays of every scale matches a reference", test_stress_delays_of_every_scale },
	{ "a near-future burst after a zero-delay chain keeps order", test_near_future_burst_keeps_order },
	{ "named rng streams are independent and repeatable", test_rng_streams_independent },
	{ "rng distributions have the right moments", test_rng_distributions },
	{ NULL, NULL }
};

int
main(int argc, char **argv)
{
	return test_main(argc, argv, "sim", cases);
}
