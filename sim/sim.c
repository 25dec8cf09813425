/*
 * sim.c - the event kernel: a 4-ary min-heap of (time, seq) keys for the near
 * future, unsorted time buckets for the far future, over a pool of event
 * slots.
 *
 * The heap holds exactly the pending events earlier than heap_limit, so it
 * decides every order, ties included. Later events wait unsorted, in the
 * bucket of a "rung" that covers their time or, past the rung, in the "top"
 * (the two upper levels of Tang, Goh and Thng's ladder queue, with the heap
 * as its sorted bottom). When the heap runs empty, the next non-empty bucket
 * is sorted into it and heap_limit moves to that bucket's end; when the rung
 * is used up, a new one is built from the top, with buckets as wide as the
 * last rung's throughput needs for about RUNG_PER_BUCKET events each. So the
 * heap stays a few entries deep whatever the pending count, and an event
 * costs an append and a small sort instead of log4(P) levels. A dense bucket
 * (many events at one instant) just makes a bigger heap. Each slot records
 * which container holds it and where, so cancel stays O(1) in a bucket and
 * O(log n) in the heap.
 *
 * A refill of at most BOT_MAX entries is not used as a heap at all but as a
 * sorted run heap[head..n): running an event advances head, and an event
 * scheduled before heap_limit is inserted from the run's end (it is usually
 * among the latest), shifting at most BOT_MAX entries. Cancel shifts too.
 * A run that would outgrow BOT_MAX, or a renumbering, turns it back into a
 * heap (a sorted array is one) until the heap next runs empty, so no
 * operation costs more than O(BOT_MAX) or O(log n). Outside heap[head..n)
 * the array holds sentinels in either mode.
 *
 * Heap entries are 16 bytes: the time, and one word holding the insertion
 * sequence number above the slot index. Comparing (time, word) as one 128-bit
 * integer orders by time, then seq (seqs are unique, so the slot bits never
 * decide), and compiles to a compare and a subtract-with-borrow, which lets
 * the child selection run without branches. The array is offset so that the
 * four children of every node share one 64-byte line, so a level of a sift
 * costs one line, and positions past the last entry hold a sentinel larger
 * than any key, so the four children can always be compared without bounds
 * checks.
 *
 * How many bits the slot index takes follows the slot pool's size; the seq
 * gets the rest (at least 33 bits). When the pool grows, or the seq runs out,
 * the pending entries are renumbered in their current order, so neither is a
 * limit on how long a simulation runs.
 *
 * Most events schedule exactly one follow-up. run() therefore leaves the root
 * of the heap vacant while an event's function runs ("the hole"): the first
 * event scheduled from the callback is sifted down from the root, one sift
 * instead of a pop and a push. If nothing is scheduled the hole is closed
 * after the callback. Renumbering and growing close it first; sim_cancel can
 * leave it open (see there).
 *
 * The slot array holds the callbacks and each slot's heap position, which is
 * what makes cancel O(log n). Free slots form a LIFO list, so a steady-state
 * simulation allocates nothing per event.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim.h"
#include "sim_internal.h"

#define HEAP_D 4
/*
 * The root sits at array index 3, so the children of node i, 4i+1..4i+4, are
 * at array indices 4(i+1)..4(i+1)+3: one aligned 64-byte line.
 */
#define HEAP_PAD 3
#define HEAP_LINE 64
/* Entries from which a sift-down prefetches ahead (64 KiB of heap). */
#define HEAP_PREFETCH_MIN 4096
#define SLOT_FREE UINT32_MAX
#define SLOT_BITS_MIN 8
/* slot_cap doubles up to this; the seq then still has 33 bits. */
#define SLOT_BITS_MAX 31

typedef unsigned __int128 heap_key;

struct heap_ent {
	sim_time t;		/* >= 0, or SIM_TIME_MAX in a sentinel */
	uint64_t word;		/* seq << slot_bits | slot */
};

static const struct heap_ent heap_sentinel = { SIM_TIME_MAX, UINT64_MAX };

struct slot {
	sim_event_fn fn;
	union {
		void *arg;
		uint32_t next_free;	/* while on the free list */
	} u;
	uint32_t pos;		/* index in its container, or SLOT_FREE */
	uint32_t gen;		/* bumped every time the slot is released */
	uint32_t where;		/* WHERE_HEAP, WHERE_TOP or a rung bucket */
};

#define WHERE_HEAP UINT32_MAX
#define WHERE_TOP (UINT32_MAX - 1)
/*
 * Aim for this many events per rung bucket when a rung is built: with a
 * sorted-run bottom, fewer and fuller refills beat smaller sorts (4 was
 * best when the bottom was a heap; 8 is best now, 16 is worse).
 */
#define RUNG_PER_BUCKET 8
/* More buckets than this would not stay in cache; later events wait in the top. */
#define RUNG_NB_MAX 16384
#define RUNG_SHIFT_MAX 62
/* A bottom of up to this many entries is kept as a sorted run. */
#define BOT_MAX 32

/* An unsorted bag of entries: a rung bucket or the top. */
struct bag {
	struct heap_ent *e;
	uint32_t n, cap;
};

struct sim {
	sim_time now;
	struct heap_ent *heap;	/* heap_base + HEAP_PAD */
	uint32_t n;		/* entries, counting the hole */
	uint32_t head;		/* sorted: first pending entry; else 0 */
	bool sorted;		/* heap[head..n) is a sorted run, no hole */
	bool hole;		/* heap[0] is vacant: its event is running */
	bool stop;
	volatile sig_atomic_t *stop_flag;	/* sim_set_stop_flag, or &no_flag */
	volatile sig_atomic_t no_flag;	/* always 0 */
	sim_event_observer observer;	/* sim_set_event_observer, or NULL */
	void *observer_ctx;
	uint8_t slot_bits;
	uint64_t slot_mask;
	struct slot *slots;
	uint64_t seq;		/* next insertion seq */
	uint64_t seq_limit;	/* renumber before using a seq above this */
	uint64_t seq_test_limit;	/* sim_test_set_seq_limit, or 0 */
	uint32_t heap_cap;	/* entries from heap[0]; >= n + 3 */
	uint32_t slot_cap, free_head;
	uint64_t seed;
	uint64_t events_run;
	uint64_t next_uid;
	struct heap_ent *heap_base;
	/*
	 * The far future. The heap holds exactly the pending events earlier
	 * than heap_limit; the rung's buckets rung_cur..rung_nb-1 hold the
	 * events in [heap_limit, rung_start + rung_nb << rung_shift), bucket
	 * i those in [rung_start + i << rung_shift, ...+ 1 << rung_shift);
	 * the top holds the rest.
	 */
	sim_time heap_limit;
	sim_time rung_start;
	unsigned rung_shift;
	uint32_t rung_cur, rung_nb, rung_cap;
	struct bag *rung;
	struct bag top;
	sim_time top_min, top_max;	/* bounds of the top's times */
	uint64_t n_far;		/* events in the rung and the top */
	uint64_t rung_moved;
	struct pkt_pool pool;
};

static void heap_grow(struct sim *sim);
static void set_slot_bits(struct sim *sim, unsigned bits);

struct sim *
sim_new(uint64_t seed)
{
	struct sim *sim = xcalloc(1, sizeof(*sim));

	sim->stop_flag = &sim->no_flag;

	sim->seed = seed;
	sim->free_head = SLOT_FREE;
	sim->next_uid = 1;
	sim->top_min = SIM_TIME_MAX;
	set_slot_bits(sim, SLOT_BITS_MIN);
	heap_grow(sim);
	pkt_pool_init(&sim->pool);
	return sim;
}

void
sim_free(struct sim *sim)
{
	uint32_t i;

	if (sim == NULL)
		return;
	for (i = 0; i < sim->rung_cap; i++)
		free(sim->rung[i].e);
	free(sim->rung);
	free(sim->top.e);
	free(sim->heap_base);
	free(sim->slots);
	pkt_pool_destroy(&sim->pool);
	free(sim);
}

struct pkt_pool *
sim_pkt_pool(struct sim *sim)
{
	return &sim->pool;
}

const struct pkt_pool *
sim_pkt_pool_const(const struct sim *sim)
{
	return &sim->pool;
}

sim_time
sim_now(const struct sim *sim)
{
	return sim->now;
}

uint64_t
sim_seed(const struct sim *sim)
{
	return sim->seed;
}

uint64_t
sim_next_uid(struct sim *sim)
{
	return sim->next_uid++;
}

static inline heap_key
ent_key(const struct heap_ent *e)
{
	return (heap_key)(uint64_t)e->t << 64 | e->word;
}

/* 0 or 1, computed without a branch. */
static inline uint32_t
ent_less(const struct heap_ent *a, const struct heap_ent *b)
{
	return ent_key(a) < ent_key(b);
}

static inline uint32_t
ent_slot(const struct sim *sim, const struct heap_ent *e)
{
	return (uint32_t)(e->word & sim->slot_mask);
}

static inline void
heap_place(struct sim *sim, uint32_t i, struct heap_ent e)
{
	sim->heap[i] = e;
	sim->slots[ent_slot(sim, &e)].pos = i;
}

/* Which of the four children in group g is the smallest (0..3), by index
 * arithmetic rather than branches: the comparisons are on random data. */
static inline uint32_t
min_child(const struct heap_ent *g)
{
	uint32_t a = ent_less(&g[1], &g[0]);
	uint32_t b = 2 + ent_less(&g[3], &g[2]);

	return a ^ ((a ^ b) & -ent_less(&g[b], &g[a]));
}

static void
sift_up(struct sim *sim, uint32_t i, struct heap_ent e)
{
	struct heap_ent *h = sim->heap;

	while (i > 0) {
		uint32_t parent = (i - 1) / HEAP_D;

		if (!ent_less(&e, &h[parent]))
			break;
		heap_place(sim, i, h[parent]);
		i = parent;
	}
	heap_place(sim, i, e);
}

/*
 * Put e into the vacant position i. The vacancy first travels down to a leaf,
 * always through the smaller child, and e then rises from there. An entry that
 * fills a vacancy is usually one of the latest (a heap's last entry, or a new
 * event a random distance ahead), which belongs near the bottom, so this does
 * about one compare per level instead of two (the trick of libstdc++'s
 * pop_heap). Because the vacancy's whole path is re-sorted, e may also end up
 * above i, which is what removing an arbitrary entry needs.
 */
static void
heap_fill(struct sim *sim, uint32_t i, struct heap_ent e)
{
	struct heap_ent *h = sim->heap;
	struct slot *slots = sim->slots;
	uint64_t mask = sim->slot_mask;
	uint32_t n = sim->n, c;
	/* A small heap sits in L1, where prefetches are pure cost. */
	bool prefetch = n > HEAP_PREFETCH_MIN;

	while ((c = i * HEAP_D + 1) < n) {
		const struct heap_ent *g = h + c;
		struct heap_ent x;
		uint32_t m;

		if (prefetch) {
			/* The four grandchild groups are four adjacent
			 * lines: fetch them while this level is compared,
			 * so the descent does not wait on one miss per
			 * level. */
			__builtin_prefetch(&h[c * HEAP_D + 1]);
			__builtin_prefetch(&h[c * HEAP_D + 5]);
			__builtin_prefetch(&h[c * HEAP_D + 9]);
			__builtin_prefetch(&h[c * HEAP_D + 13]);
		}
		m = min_child(g);
		x = g[m];
		h[i] = x;
		slots[x.word & mask].pos = i;
		i = c + m;
	}
	sift_up(sim, i, e);
}

/* Remove the entry at i: the last entry fills the vacancy. */
static void
heap_remove_at(struct sim *sim, uint32_t i)
{
	struct heap_ent last = sim->heap[sim->n - 1];

	sim->heap[--sim->n] = heap_sentinel;
	if (i < sim->n)
		heap_fill(sim, i, last);
}

static inline void
close_hole(struct sim *sim)
{
	if (sim->hole) {
		sim->hole = false;
		heap_remove_at(sim, 0);
	}
}

/*
 * Move the sorted run heap[head..n) down to heap[0..]: entries before head
 * and past n are sentinels again.
 */
static void
bot_compact(struct sim *sim)
{
	struct heap_ent *h = sim->heap;
	uint32_t head = sim->head, k = sim->n - head, i;

	if (head == 0)
		return;
	for (i = 0; i < k; i++) {
		h[i] = h[head + i];
		sim->slots[ent_slot(sim, &h[i])].pos = i;
	}
	for (i = k; i < sim->n; i++)
		h[i] = heap_sentinel;
	sim->n = k;
	sim->head = 0;
}

/* The sorted run becomes a heap (a sorted array is one). */
static void
bot_to_heap(struct sim *sim)
{
	if (sim->sorted) {
		bot_compact(sim);
		sim->sorted = false;
	}
}

/* Double the heap array; everything past the last entry is a sentinel. */
static void
heap_grow(struct sim *sim)
{
	uint32_t old_total = sim->heap_base ? sim->heap_cap + HEAP_PAD : 0;
	uint32_t total = old_total ? old_total * 2 : 256, i;
	struct heap_ent *base;

	SIM_ASSERT(total > old_total && total <= UINT32_MAX / 2,
	    "event heap overflow");
	base = xaligned_alloc(HEAP_LINE, (size_t)total * sizeof(*base));
	if (sim->heap_base != NULL)
		memcpy(base, sim->heap_base, old_total * sizeof(*base));
	for (i = old_total; i < total; i++)
		base[i] = heap_sentinel;
	free(sim->heap_base);
	sim->heap_base = base;
	sim->heap = base + HEAP_PAD;
	sim->heap_cap = total - HEAP_PAD;
}

/*
 * The largest seq usable with bits slot bits: the largest word,
 * (limit << bits) | mask, then stays below the sentinel's UINT64_MAX.
 */
static uint64_t
seq_limit_for(const struct sim *sim, unsigned bits)
{
	uint64_t limit = (UINT64_MAX >> bits) - 1;

	if (sim->seq_test_limit != 0 && sim->seq_test_limit < limit)
		limit = sim->seq_test_limit;
	return limit;
}

static void
set_slot_bits(struct sim *sim, unsigned bits)
{
	sim->slot_bits = (uint8_t)bits;
	sim->slot_mask = (UINT64_C(1) << bits) - 1;
	sim->seq_limit = seq_limit_for(sim, bits);
}

static int
cmp_ent(const void *a, const void *b)
{
	heap_key x = ent_key(a), y = ent_key(b);

	return (x > y) - (x < y);
}

static void
bag_repack(struct bag *b, unsigned old, unsigned bits, uint64_t mask)
{
	uint32_t i;

	for (i = 0; i < b->n; i++)
		b->e[i].word = (b->e[i].word >> old) << bits |
		    (b->e[i].word & mask);
}

static inline void
bag_push(struct sim *sim, struct bag *b, uint32_t where, struct heap_ent e)
{
	struct slot *sl = &sim->slots[ent_slot(sim, &e)];

	if (__builtin_expect(b->n == b->cap, 0)) {
		SIM_ASSERT(b->cap < UINT32_MAX / 2, "event bucket overflow");
		b->cap = b->cap ? b->cap * 2 : 4;
		b->e = xrealloc(b->e, (size_t)b->cap * sizeof(*b->e));
	}
	sl->where = where;
	sl->pos = b->n;
	b->e[b->n++] = e;
}

/* rung_start + (i << rung_shift), or SIM_TIME_MAX if that is beyond it. */
static inline sim_time
rung_edge(const struct sim *sim, uint32_t i)
{
	uint64_t off = (uint64_t)i << sim->rung_shift;

	if (off > (uint64_t)(SIM_TIME_MAX - sim->rung_start))
		return SIM_TIME_MAX;
	return sim->rung_start + (sim_time)off;
}

/* File e (e.t >= heap_limit) in its rung bucket or in the top. */
static inline void
far_insert(struct sim *sim, struct heap_ent e)
{
	uint64_t i = (uint64_t)(e.t - sim->rung_start) >> sim->rung_shift;

	if (i < sim->rung_nb) {
		bag_push(sim, &sim->rung[i], (uint32_t)i, e);
	} else {
		if (e.t < sim->top_min)
			sim->top_min = e.t;
		if (e.t > sim->top_max)
			sim->top_max = e.t;
		bag_push(sim, &sim->top, WHERE_TOP, e);
	}
	sim->n_far++;
}

static void
heap_reserve(struct sim *sim, uint32_t k)
{
	SIM_ASSERT(k <= UINT32_MAX / 4, "event heap overflow");
	while (sim->n + k + HEAP_D > sim->heap_cap)
		heap_grow(sim);
}

/* Move every far event into the heap (unordered) and empty the rung. */
static void
far_gather(struct sim *sim)
{
	struct heap_ent *h;
	sim_time max = sim->heap_limit;
	uint32_t i, j;

	heap_reserve(sim, (uint32_t)sim->n_far);
	h = sim->heap;
	for (i = sim->rung_cur; i <= sim->rung_nb; i++) {
		struct bag *b = i < sim->rung_nb ? &sim->rung[i] : &sim->top;

		for (j = 0; j < b->n; j++) {
			if (b->e[j].t >= max)
				max = b->e[j].t == SIM_TIME_MAX ?
				    SIM_TIME_MAX : b->e[j].t + 1;
			h[sim->n++] = b->e[j];
		}
		b->n = 0;
	}
	sim->n_far = 0;
	sim->top_min = SIM_TIME_MAX;
	sim->top_max = 0;
	sim->heap_limit = max;
	sim->rung_start = max;
	sim->rung_cur = sim->rung_nb = 0;
}

/* Spread the top over a fresh rung of about n / RUNG_PER_BUCKET buckets. */
static void
rung_build(struct sim *sim)
{
	struct bag top = sim->top;
	uint64_t span = (uint64_t)(sim->top_max - sim->top_min);
	uint64_t want = top.n;
	unsigned shift = 0;
	uint32_t nb, i;

	if (want < 1)
		want = 1;
	if (sim->rung_moved >= 64 && sim->heap_limit > sim->rung_start) {
		/* From the last rung's throughput: about RUNG_PER_BUCKET
		 * events per bucket when each bucket is reached. */
		uint64_t covered = (uint64_t)(sim->heap_limit - sim->rung_start);
		uint64_t width = covered / sim->rung_moved * RUNG_PER_BUCKET;

		while ((UINT64_C(1) << (shift + 1)) <= width &&
		    shift < RUNG_SHIFT_MAX)
			shift++;
	} else {
		while ((span >> shift) >= want && shift < RUNG_SHIFT_MAX)
			shift++;
	}
	sim->rung_moved = 0;
	nb = (span >> shift) + 1 > RUNG_NB_MAX ? RUNG_NB_MAX :
	    (uint32_t)(span >> shift) + 1;
	if (nb > sim->rung_cap) {
		sim->rung = xrealloc(sim->rung, (size_t)nb * sizeof(*sim->rung));
		memset(sim->rung + sim->rung_cap, 0,
		    (size_t)(nb - sim->rung_cap) * sizeof(*sim->rung));
		sim->rung_cap = nb;
	}
	sim->rung_start = sim->top_min;
	sim->rung_shift = shift;
	sim->rung_nb = nb;
	sim->rung_cur = 0;
	sim->heap_limit = sim->rung_start;
	sim->top.n = 0;
	sim->top_min = SIM_TIME_MAX;
	sim->top_max = 0;
	for (i = 0; i < top.n; i++) {
		struct heap_ent e = top.e[i];
		uint64_t b = (uint64_t)(e.t - sim->rung_start) >> shift;

		if (b < nb) {
			bag_push(sim, &sim->rung[b], (uint32_t)b, e);
		} else {
			/* Beyond this rung: back into the top, which is
			 * compacted in place (its slot n <= i). */
			if (e.t < sim->top_min)
				sim->top_min = e.t;
			if (e.t > sim->top_max)
				sim->top_max = e.t;
			bag_push(sim, &sim->top, WHERE_TOP, e);
		}
	}
}

/*
 * The heap is empty: move the next non-empty rung bucket into it, building
 * a new rung from the top when the rung is used up.
 */
static void
far_refill(struct sim *sim)
{
	struct bag *b;
	struct heap_ent *h;
	uint32_t i, j, k;

	for (;;) {
		while (sim->rung_cur < sim->rung_nb) {
			b = &sim->rung[sim->rung_cur++];
			if (b->n != 0)
				goto fill;
		}
		sim->heap_limit = rung_edge(sim, sim->rung_nb);
		if (sim->top.n == 0)
			return;
		rung_build(sim);
	}
fill:
	sim->heap_limit = rung_edge(sim, sim->rung_cur);
	k = b->n;
	heap_reserve(sim, k);
	h = sim->heap;
	if (k <= BOT_MAX) {
		/* Insertion sort straight from the bucket. */
		for (i = 0; i < k; i++) {
			struct heap_ent x = b->e[i];

			for (j = i; j > 0 && ent_less(&x, &h[j - 1]); j--)
				h[j] = h[j - 1];
			h[j] = x;
		}
	} else {
		memcpy(h, b->e, (size_t)k * sizeof(*h));
		qsort(h, k, sizeof(*h), cmp_ent);
	}
	b->n = 0;
	sim->sorted = k <= BOT_MAX;
	sim->head = 0;
	for (i = 0; i < k; i++) {
		struct slot *sl = &sim->slots[ent_slot(sim, &h[i])];

		sl->where = WHERE_HEAP;
		sl->pos = i;
	}
	sim->n = k;
	sim->n_far -= k;
	sim->rung_moved += k;
}

/*
 * Give the pending events the seqs 0..n-1 in their current order and pack
 * them with bits slot bits. A sorted array is a valid heap, and only the
 * relative order of pending events' seqs ever matters.
 */
static void
heap_renumber(struct sim *sim, unsigned bits)
{
	struct heap_ent *h = sim->heap;
	uint32_t i, s;

	SIM_ASSERT(!sim->hole, "renumbering with the root vacant");
	bot_to_heap(sim);
	far_gather(sim);
	h = sim->heap;
	qsort(h, sim->n, sizeof(*h), cmp_ent);
	for (i = 0; i < sim->n; i++) {
		s = ent_slot(sim, &h[i]);
		h[i].word = (uint64_t)i << bits | s;
		sim->slots[s].pos = i;
		sim->slots[s].where = WHERE_HEAP;
	}
	set_slot_bits(sim, bits);
	sim->seq = sim->n;
}

/*
 * Re-pack every pending entry for a wider slot field. The seqs stay as they
 * are when they fit the narrower seq field, so the heap order is untouched;
 * otherwise renumber.
 */
static void
heap_repack(struct sim *sim, unsigned bits)
{
	struct heap_ent *h = sim->heap;
	unsigned old = sim->slot_bits;
	uint64_t mask = sim->slot_mask;
	uint32_t i;

	if (sim->seq > seq_limit_for(sim, bits)) {
		heap_renumber(sim, bits);
		return;
	}
	for (i = sim->head; i < sim->n; i++)
		h[i].word = (h[i].word >> old) << bits | (h[i].word & mask);
	bag_repack(&sim->top, old, bits, mask);
	for (i = sim->rung_cur; i < sim->rung_nb; i++)
		bag_repack(&sim->rung[i], old, bits, mask);
	set_slot_bits(sim, bits);
}

static void
slots_grow(struct sim *sim)
{
	uint32_t old = sim->slot_cap, cap, i;
	unsigned bits = sim->slot_bits;

	SIM_ASSERT(old < (UINT32_C(1) << SLOT_BITS_MAX),
	    "more than 2^%d pending events", SLOT_BITS_MAX);
	cap = old ? old * 2 : UINT32_C(1) << SLOT_BITS_MIN;
	sim->slots = xrealloc(sim->slots, cap * sizeof(*sim->slots));
	for (i = old; i < cap; i++) {
		sim->slots[i].fn = NULL;
		sim->slots[i].u.next_free = i + 1 < cap ? i + 1 : SLOT_FREE;
		sim->slots[i].pos = SLOT_FREE;
		sim->slots[i].gen = 1;
	}
	sim->free_head = old;
	sim->slot_cap = cap;
	while ((UINT64_C(1) << bits) < cap)
		bits++;
	if (bits != sim->slot_bits)
		heap_repack(sim, bits);
}

static inline void
slot_put(struct sim *sim, uint32_t s)
{
	struct slot *sl = &sim->slots[s];

	sl->pos = SLOT_FREE;
	sl->gen++;
	sl->u.next_free = sim->free_head;
	sim->free_head = s;
}

void
sim_test_set_seq_limit(struct sim *sim, uint64_t limit)
{
	close_hole(sim);
	sim->seq_test_limit = limit;
	set_slot_bits(sim, sim->slot_bits);
}

/* Insert e into the sorted run, from its end: new events tend to be late. */
static void
bot_insert(struct sim *sim, struct heap_ent e)
{
	struct heap_ent *h;
	struct slot *slots = sim->slots;
	uint32_t i;

	if (__builtin_expect(sim->n + 1 + HEAP_D > sim->heap_cap, 0)) {
		if (sim->head > 0)
			bot_compact(sim);
		else
			heap_grow(sim);
	}
	h = sim->heap;
	i = sim->n++;
	while (i > sim->head && ent_less(&e, &h[i - 1])) {
		h[i] = h[i - 1];
		slots[ent_slot(sim, &h[i])].pos = i;
		i--;
	}
	h[i] = e;
	slots[ent_slot(sim, &e)].pos = i;
	slots[ent_slot(sim, &e)].where = WHERE_HEAP;
}

/* The body of sim_schedule_at, inlined into both entry points. */
static inline sim_event_id
schedule(struct sim *sim, sim_time at, sim_event_fn fn, void *arg)
{
	struct heap_ent e;
	struct slot *sl;
	uint32_t s;

	SIM_ASSERT(fn != NULL, "event without a function");
	if (__builtin_expect(sim->free_head == SLOT_FREE ||
	    sim->seq > sim->seq_limit, 0)) {
		close_hole(sim);
		if (sim->free_head == SLOT_FREE)
			slots_grow(sim);
		if (sim->seq > sim->seq_limit)
			heap_renumber(sim, sim->slot_bits);
	}
	s = sim->free_head;
	sl = &sim->slots[s];
	sim->free_head = sl->u.next_free;
	sl->fn = fn;
	sl->u.arg = arg;
	e.t = at;
	e.word = sim->seq++ << sim->slot_bits | s;
	if (__builtin_expect(at >= sim->heap_limit, 1)) {
		far_insert(sim, e);
	} else if (sim->sorted && sim->n - sim->head < BOT_MAX) {
		bot_insert(sim, e);
	} else if (sim->sorted) {
		bot_to_heap(sim);
		if (sim->n + HEAP_D > sim->heap_cap)
			heap_grow(sim);
		sl->where = WHERE_HEAP;
		sift_up(sim, sim->n++, e);
	} else if (sim->hole) {
		sim->hole = false;
		sl->where = WHERE_HEAP;
		heap_fill(sim, 0, e);
	} else {
		if (sim->n + HEAP_D > sim->heap_cap)
			heap_grow(sim);
		sl->where = WHERE_HEAP;
		sift_up(sim, sim->n++, e);
	}
	return (sim_event_id){ .slot = s + 1, .gen = sl->gen };
}

sim_event_id
sim_schedule_at(struct sim *sim, sim_time at, sim_event_fn fn, void *arg)
{
	SIM_ASSERT(at >= sim->now, "event scheduled in the past (%lld < %lld)",
	    (long long)at, (long long)sim->now);
	return schedule(sim, at, fn, arg);
}

sim_event_id
sim_schedule(struct sim *sim, sim_time delay, sim_event_fn fn, void *arg)
{
	SIM_ASSERT(delay >= 0, "negative delay %lld", (long long)delay);
	SIM_ASSERT(delay <= SIM_TIME_MAX - sim->now, "time overflow");
	return schedule(sim, sim->now + delay, fn, arg);
}

static struct slot *
slot_of(const struct sim *sim, sim_event_id id)
{
	struct slot *sl;

	if (id.slot == 0 || id.slot > sim->slot_cap)
		return NULL;
	sl = &sim->slots[id.slot - 1];
	if (sl->gen != id.gen || sl->pos == SLOT_FREE)
		return NULL;
	return sl;
}

bool
sim_is_pending(const struct sim *sim, sim_event_id id)
{
	return slot_of(sim, id) != NULL;
}

bool
sim_cancel(struct sim *sim, sim_event_id id)
{
	struct slot *sl = slot_of(sim, id);

	if (sl == NULL)
		return false;
	/*
	 * An open hole needs no closing: the root still holds the running
	 * event's key, which is below every pending key (they are later, or
	 * as late with a higher seq), so nothing sifts up past it and the
	 * heap below it stays valid.
	 */
	if (sl->where == WHERE_HEAP && sim->sorted) {
		struct heap_ent *h = sim->heap;
		uint32_t i;

		for (i = sl->pos; i + 1 < sim->n; i++) {
			h[i] = h[i + 1];
			sim->slots[ent_slot(sim, &h[i])].pos = i;
		}
		h[--sim->n] = heap_sentinel;
	} else if (sl->where == WHERE_HEAP) {
		heap_remove_at(sim, sl->pos);
	} else {
		struct bag *b = sl->where == WHERE_TOP ? &sim->top :
		    &sim->rung[sl->where];
		struct heap_ent last = b->e[--b->n];

		/* The top's bounds may now be loose; they only size rungs. */
		if (sl->pos < b->n) {
			b->e[sl->pos] = last;
			sim->slots[ent_slot(sim, &last)].pos = sl->pos;
		}
		sim->n_far--;
	}
	slot_put(sim, id.slot - 1);
	return true;
}

static uint64_t
run(struct sim *sim, sim_time until)
{
	uint64_t ran = 0;

	sim->stop = false;
	close_hole(sim);	/* a run nested in a callback */
	/* the flag a signal handler sets: one load per event */
	while (!sim->stop && *sim->stop_flag == 0) {
		const struct heap_ent *top;
		sim_time t;
		uint32_t s;
		sim_event_fn fn;
		void *arg;

		if (sim->sorted) {
			struct heap_ent e;

			if (sim->head == sim->n) {
				/* Sentinels all the way down again. */
				sim->head = sim->n = 0;
				if (sim->n_far == 0)
					break;
				far_refill(sim);
				continue;
			}
			e = sim->heap[sim->head];
			if (e.t > until)
				break;
			SIM_ASSERT(e.t >= sim->now, "time went backwards");
			sim->heap[sim->head++] = heap_sentinel;
			s = ent_slot(sim, &e);
			fn = sim->slots[s].fn;
			arg = sim->slots[s].u.arg;
			slot_put(sim, s);
			sim->now = e.t;
			if (__builtin_expect(sim->observer != NULL, 0))
				sim->observer(sim, fn, arg, sim->observer_ctx);
			fn(sim, arg);
			ran++;
			continue;
		}
		if (sim->n == 0) {
			if (sim->n_far == 0)
				break;
			far_refill(sim);
			continue;
		}
		top = &sim->heap[0];
		t = top->t;
		if (t > until)
			break;
		SIM_ASSERT(t >= sim->now, "time went backwards");
		s = ent_slot(sim, top);
		fn = sim->slots[s].fn;
		arg = sim->slots[s].u.arg;
		slot_put(sim, s);
		sim->hole = true;
		sim->now = t;
		if (__builtin_expect(sim->observer != NULL, 0))
			sim->observer(sim, fn, arg, sim->observer_ctx);
		fn(sim, arg);
		ran++;
		close_hole(sim);
	}
	sim->events_run += ran;
	if (!sim->stop && *sim->stop_flag == 0 && until != SIM_TIME_MAX &&
	    sim->now < until)
		sim->now = until;
	return ran;
}

uint64_t
sim_run(struct sim *sim)
{
	return run(sim, SIM_TIME_MAX);
}

uint64_t
sim_run_until(struct sim *sim, sim_time until)
{
	return run(sim, until);
}

void
sim_stop(struct sim *sim)
{
	sim->stop = true;
}

void
sim_set_stop_flag(struct sim *sim, volatile sig_atomic_t *flag)
{
	sim->stop_flag = flag != NULL ? flag : &sim->no_flag;
}

volatile sig_atomic_t *
sim_stop_flag(const struct sim *sim)
{
	return sim->stop_flag == &sim->no_flag ? NULL : sim->stop_flag;
}

void
sim_set_event_observer(struct sim *sim, sim_event_observer fn, void *ctx)
{
	sim->observer = fn;
	sim->observer_ctx = fn != NULL ? ctx : NULL;
}

size_t
sim_pending(const struct sim *sim)
{
	return sim->n - sim->head - sim->hole + sim->n_far;
}

uint64_t
sim_events_run(const struct sim *sim)
{
	return sim->events_run;
}

/* The earliest far event: in the first non-empty bucket, or the top. */
static sim_time
far_next_time(const struct sim *sim)
{
	const struct bag *b = &sim->top;
	sim_time t = SIM_TIME_MAX;
	uint32_t i;

	for (i = sim->rung_cur; i < sim->rung_nb; i++) {
		if (sim->rung[i].n != 0) {
			b = &sim->rung[i];
			break;
		}
	}
	for (i = 0; i < b->n; i++)
		if (b->e[i].t < t)
			t = b->e[i].t;
	return t;
}

sim_time
sim_next_time(const struct sim *sim)
{
	const struct heap_ent *h = sim->heap;
	sim_time t;
	int i;

	if (sim->n == sim->head + sim->hole)
		return far_next_time(sim);
	if (!sim->hole)
		return h[sim->head].t;
	/* The root is vacant: the earliest is among its children, and
	 * sentinels (SIM_TIME_MAX) stand in for missing ones. */
	t = h[1].t;
	for (i = 2; i <= HEAP_D; i++)
		if (h[i].t < t)
			t = h[i].t;
	return t;
}
