/*
 * sim.c - the event kernel: a 4-ary min-heap of (time, seq) keys over a pool
 * of event slots.
 *
 * The heap array holds the keys inline (24 bytes each) so that sifting touches
 * one cache line per level; the slot array holds the callbacks and each slot's
 * heap position, which is what makes cancel O(log n). Free slots form a
 * LIFO list, so a steady-state simulation allocates nothing per event.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim.h"
#include "sim_internal.h"

#define HEAP_D 4
#define SLOT_FREE UINT32_MAX

struct heap_ent {
	sim_time t;
	uint64_t seq;
	uint32_t slot;
};

struct slot {
	sim_event_fn fn;
	void *arg;
	uint32_t pos;		/* index in heap, or SLOT_FREE */
	uint32_t gen;		/* bumped every time the slot is released */
	uint32_t next_free;
};

struct sim {
	sim_time now;
	uint64_t seed;
	uint64_t seq;
	uint64_t events_run;
	uint64_t next_uid;
	bool stop;
	struct heap_ent *heap;
	uint32_t n, heap_cap;
	struct slot *slots;
	uint32_t slot_cap, free_head;
	struct pkt_pool pool;
};

_Noreturn void
sim_fatal(const char *file, int line, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "xcsim: fatal: %s:%d: ", file, line);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	abort();
}

static void
oom(void)
{
	fputs("xcsim: fatal: out of memory\n", stderr);
	exit(EXIT_FAILURE);
}

void *
xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);

	if (p == NULL)
		oom();
	return p;
}

void *
xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size ? size : 1);

	if (p == NULL)
		oom();
	return p;
}

void *
xrealloc(void *p, size_t n)
{
	p = realloc(p, n ? n : 1);
	if (p == NULL)
		oom();
	return p;
}

char *
xstrdup(const char *s)
{
	size_t n = strlen(s) + 1;

	return memcpy(xmalloc(n), s, n);
}

struct sim *
sim_new(uint64_t seed)
{
	struct sim *sim = xcalloc(1, sizeof(*sim));

	sim->seed = seed;
	sim->free_head = SLOT_FREE;
	sim->next_uid = 1;
	pkt_pool_init(&sim->pool);
	return sim;
}

void
sim_free(struct sim *sim)
{
	if (sim == NULL)
		return;
	free(sim->heap);
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

static inline bool
key_less(const struct heap_ent *a, const struct heap_ent *b)
{
	return a->t < b->t || (a->t == b->t && a->seq < b->seq);
}

static inline void
heap_place(struct sim *sim, uint32_t i, struct heap_ent e)
{
	sim->heap[i] = e;
	sim->slots[e.slot].pos = i;
}

static void
sift_up(struct sim *sim, uint32_t i, struct heap_ent e)
{
	while (i > 0) {
		uint32_t parent = (i - 1) / HEAP_D;

		if (!key_less(&e, &sim->heap[parent]))
			break;
		heap_place(sim, i, sim->heap[parent]);
		i = parent;
	}
	heap_place(sim, i, e);
}

static void
sift_down(struct sim *sim, uint32_t i, struct heap_ent e)
{
	uint32_t n = sim->n;

	for (;;) {
		uint32_t first = i * HEAP_D + 1, best, c, end;

		if (first >= n)
			break;
		best = first;
		end = first + HEAP_D < n ? first + HEAP_D : n;
		for (c = first + 1; c < end; c++)
			if (key_less(&sim->heap[c], &sim->heap[best]))
				best = c;
		if (!key_less(&sim->heap[best], &e))
			break;
		heap_place(sim, i, sim->heap[best]);
		i = best;
	}
	heap_place(sim, i, e);
}

static uint32_t
slot_get(struct sim *sim)
{
	uint32_t s;

	if (sim->free_head == SLOT_FREE) {
		uint32_t old = sim->slot_cap, i;

		sim->slot_cap = old ? old * 2 : 256;
		SIM_ASSERT(sim->slot_cap > old, "event pool overflow");
		sim->slots = xrealloc(sim->slots,
		    sim->slot_cap * sizeof(*sim->slots));
		for (i = old; i < sim->slot_cap; i++) {
			sim->slots[i].pos = SLOT_FREE;
			sim->slots[i].gen = 1;
			sim->slots[i].next_free =
			    i + 1 < sim->slot_cap ? i + 1 : SLOT_FREE;
		}
		sim->free_head = old;
	}
	s = sim->free_head;
	sim->free_head = sim->slots[s].next_free;
	return s;
}

static void
slot_put(struct sim *sim, uint32_t s)
{
	sim->slots[s].pos = SLOT_FREE;
	sim->slots[s].gen++;
	sim->slots[s].next_free = sim->free_head;
	sim->free_head = s;
}

sim_event_id
sim_schedule_at(struct sim *sim, sim_time at, sim_event_fn fn, void *arg)
{
	struct heap_ent e;
	uint32_t s;

	SIM_ASSERT(at >= sim->now, "event scheduled in the past (%lld < %lld)",
	    (long long)at, (long long)sim->now);
	SIM_ASSERT(fn != NULL, "event without a function");
	if (sim->n == sim->heap_cap) {
		sim->heap_cap = sim->heap_cap ? sim->heap_cap * 2 : 256;
		sim->heap = xrealloc(sim->heap,
		    sim->heap_cap * sizeof(*sim->heap));
	}
	s = slot_get(sim);
	sim->slots[s].fn = fn;
	sim->slots[s].arg = arg;
	e.t = at;
	e.seq = sim->seq++;
	e.slot = s;
	sift_up(sim, sim->n++, e);
	return (sim_event_id){ .slot = s + 1, .gen = sim->slots[s].gen };
}

sim_event_id
sim_schedule(struct sim *sim, sim_time delay, sim_event_fn fn, void *arg)
{
	SIM_ASSERT(delay >= 0, "negative delay %lld", (long long)delay);
	SIM_ASSERT(delay <= SIM_TIME_MAX - sim->now, "time overflow");
	return sim_schedule_at(sim, sim->now + delay, fn, arg);
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

static void
heap_remove_at(struct sim *sim, uint32_t i)
{
	struct heap_ent last;

	last = sim->heap[--sim->n];
	if (i == sim->n)
		return;
	if (i > 0 && key_less(&last, &sim->heap[(i - 1) / HEAP_D]))
		sift_up(sim, i, last);
	else
		sift_down(sim, i, last);
}

bool
sim_cancel(struct sim *sim, sim_event_id id)
{
	struct slot *sl = slot_of(sim, id);
	uint32_t s;

	if (sl == NULL)
		return false;
	s = id.slot - 1;
	heap_remove_at(sim, sl->pos);
	slot_put(sim, s);
	return true;
}

static uint64_t
run(struct sim *sim, sim_time until)
{
	uint64_t ran = 0;

	sim->stop = false;
	while (sim->n > 0 && !sim->stop) {
		struct heap_ent top = sim->heap[0];
		struct slot *sl;
		sim_event_fn fn;
		void *arg;

		if (top.t > until)
			break;
		SIM_ASSERT(top.t >= sim->now, "time went backwards");
		sl = &sim->slots[top.slot];
		fn = sl->fn;
		arg = sl->arg;
		heap_remove_at(sim, 0);
		slot_put(sim, top.slot);
		sim->now = top.t;
		fn(sim, arg);
		ran++;
	}
	sim->events_run += ran;
	if (!sim->stop && until != SIM_TIME_MAX && sim->now < until)
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

size_t
sim_pending(const struct sim *sim)
{
	return sim->n;
}

uint64_t
sim_events_run(const struct sim *sim)
{
	return sim->events_run;
}

sim_time
sim_next_time(const struct sim *sim)
{
	return sim->n ? sim->heap[0].t : SIM_TIME_MAX;
}
