/*
 * timer.h - restartable timers owned by a model.
 *
 * A protocol session runs several timers at once (TCP: retransmission,
 * delayed ACK, keepalive; BGP: connect-retry, hold, keepalive; BFD: transmit
 * and detection), restarts them on almost every message and must cancel all
 * of them when it goes away. struct timer lives inside its owner (no
 * allocation, ever: a restart is a cancel and a schedule in the kernel's
 * slot pool) and struct timer_set groups the timers of one owner, so that
 * the owner's free function cancels every one of them with a single call and
 * no event is left pointing at freed memory.
 *
 * Ordering: a timer's event is an ordinary kernel event, so timers that
 * expire at the same instant fire in the order they were last (re)started,
 * after the events scheduled for that instant before them. Every run
 * repeats exactly.
 *
 * A timer's callback runs with the timer already stopped. It may restart
 * the timer, stop or restart others, and free the owner (after
 * timer_set_destroy); the timer module does not touch the timer after the
 * callback returns.
 *
 * Every timer must be destroyed (alone, or through its set) before its
 * memory is freed and before sim_free.
 */
#ifndef XCSIM_TIMER_H
#define XCSIM_TIMER_H

#include <stdbool.h>

#include "sim.h"

struct timer;
struct timer_set;

typedef void (*timer_fn)(struct timer *tm, void *arg);

/* Fields are private to timer.c; the struct is public so owners embed it. */
struct timer {
	struct sim *sim;
	timer_fn fn;
	void *arg;
	sim_event_id ev;	/* zero while stopped */
	sim_time expiry;	/* valid while running */
	sim_time period;	/* the last start's delay, for timer_restart */
	struct timer_set *set;	/* NULL if in no set */
	struct timer *prev, *next;	/* siblings in the set */
};

/* The timers of one owner. */
struct timer_set {
	struct timer *head;
	size_t n;
};

/*
 * Initialise a stopped timer. fn(tm, arg) runs at each expiry. With a set,
 * the timer joins it (timer_set_init first); set may be NULL.
 */
void timer_init(struct timer *tm, struct sim *sim, struct timer_set *set,
    timer_fn fn, void *arg);
/*
 * Stop the timer and leave its set. The memory may then be freed or the
 * timer initialised again.
 */
void timer_destroy(struct timer *tm);

/*
 * Run fn after delay (>= 0) or at the absolute time at (>= now). A running
 * timer is moved: its old expiry is forgotten.
 */
void timer_start(struct timer *tm, sim_time delay);
void timer_start_at(struct timer *tm, sim_time at);
/*
 * Start again with the delay of the last timer_start (for timer_start_at:
 * at minus the time it was called), counted from now: a hold timer reset by
 * each keepalive. The timer must have been started once.
 */
void timer_restart(struct timer *tm);
/* Returns true if the timer was running. */
bool timer_stop(struct timer *tm);
bool timer_is_running(const struct timer *tm);
/* The absolute expiry of a running timer; SIM_TIME_MAX when stopped. */
sim_time timer_expiry(const struct timer *tm);
/* Time left until expiry (0 at the instant itself); SIM_TIME_MAX if stopped. */
sim_time timer_remaining(const struct timer *tm);
struct sim *timer_sim(const struct timer *tm);

void timer_set_init(struct timer_set *ts);
/* Stop every timer of the set; they stay initialised and in the set. */
void timer_set_stop_all(struct timer_set *ts);
/*
 * Stop every timer of the set and detach them all: after this one call the
 * owner may free the memory that holds them. The set is empty and reusable.
 */
void timer_set_destroy(struct timer_set *ts);
/* Timers in the set, and how many of them are running. */
size_t timer_set_count(const struct timer_set *ts);
size_t timer_set_running(const struct timer_set *ts);

#endif
