/*
 * sim.h - the discrete-event kernel.
 *
 * struct sim owns the clock, the pending-event set, the event pool, the packet
 * pool, the packet uid counter and the seed from which every random stream is
 * derived. There is no other mutable state: two simulations can run side by
 * side in one process and never see each other.
 *
 * Pending events are ordered by (time, insertion sequence), so events
 * scheduled for the same instant run in the order they were scheduled and
 * every run repeats exactly. The set is a 4-ary min-heap of 16-byte keys for
 * the near future and unsorted time buckets for the far future, over a pooled
 * slot array; each slot remembers where it is, so cancelling is O(log n) and
 * never leaves a tombstone behind. A handle carries a generation
 * number, so cancelling an event that already ran (or whose slot was reused)
 * is detected and harmless.
 */
#ifndef XCSIM_SIM_H
#define XCSIM_SIM_H

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "units.h"
#include "util.h"

struct sim;

typedef void (*sim_event_fn)(struct sim *sim, void *arg);

/* Handle of a scheduled event. The zero value never names an event. */
typedef struct sim_event_id {
	uint32_t slot;
	uint32_t gen;
} sim_event_id;

struct sim *sim_new(uint64_t seed);
/* Frees every pending event (without running it), the pools and sim itself. */
void sim_free(struct sim *sim);

sim_time sim_now(const struct sim *sim);
uint64_t sim_seed(const struct sim *sim);

/* Schedule fn(sim, arg) after delay (>= 0) or at an absolute time (>= now). */
sim_event_id sim_schedule(struct sim *sim, sim_time delay, sim_event_fn fn,
    void *arg);
sim_event_id sim_schedule_at(struct sim *sim, sim_time at, sim_event_fn fn,
    void *arg);
/* Returns true if the event was pending and is now cancelled. */
bool sim_cancel(struct sim *sim, sim_event_id id);
bool sim_is_pending(const struct sim *sim, sim_event_id id);

/*
 * Run events in order. sim_run stops when no event is left or sim_stop was
 * called; sim_run_until also stops before the first event later than until
 * and then sets the clock to until. Both return the number of events run.
 */
uint64_t sim_run(struct sim *sim);
uint64_t sim_run_until(struct sim *sim, sim_time until);
/*
 * Ask the running loop to return after the current event. Not from a
 * signal handler (it writes the struct): see sim_set_stop_flag.
 */
void sim_stop(struct sim *sim);
/*
 * Have sim_run and sim_run_until also return, as after sim_stop, after the
 * event during which *flag became non-zero (or at once if it is already):
 * a signal handler sets such a flag (static, volatile sig_atomic_t), which
 * is all C lets it do. The loop reads it once per event; it never writes
 * it, so the run keeps returning at once until the caller clears it. NULL
 * removes it.
 */
void sim_set_stop_flag(struct sim *sim, volatile sig_atomic_t *flag);
/* The flag set last (NULL if none), to put it back after borrowing it. */
volatile sig_atomic_t *sim_stop_flag(const struct sim *sim);

/*
 * Call fn(sim, ev, arg, ctx) just before every event runs, with the clock
 * already at the event's time and ev(sim, arg) the event about to run: the
 * real-time driver measures each event's lateness with it. fn may call
 * sim_stop (the event still runs, then the loop returns) but must not
 * schedule or cancel. NULL removes it; unset, it costs the loop one
 * predictable branch per event.
 */
typedef void (*sim_event_observer)(struct sim *sim, sim_event_fn ev,
    void *arg, void *ctx);
void sim_set_event_observer(struct sim *sim, sim_event_observer fn,
    void *ctx);

size_t sim_pending(const struct sim *sim);
uint64_t sim_events_run(const struct sim *sim);
/* Time of the earliest pending event, or SIM_TIME_MAX. */
sim_time sim_next_time(const struct sim *sim);

/* A fresh packet/flow uid, unique within this simulation, starting at 1. */
uint64_t sim_next_uid(struct sim *sim);

#endif
