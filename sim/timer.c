/*
 * timer.c - restartable timers over the event kernel, and the sets that
 * cancel an owner's timers together.
 *
 * A running timer holds exactly one kernel event whose argument is the timer
 * itself; stopping cancels it, so the kernel never holds a pointer into a
 * stopped (and possibly freed) timer. The handle is cleared before the
 * callback runs, which is what lets the callback restart the timer or free
 * its owner. A set is an intrusive doubly linked list, so a timer joins or
 * leaves it in O(1) and destroying the set walks only its own timers.
 */
#include "timer.h"

static const sim_event_id no_event;

static void
timer_fire(struct sim *sim, void *arg)
{
	struct timer *tm = arg;

	(void)sim;
	tm->ev = no_event;
	/* tm may be freed by the callback: nothing after this line uses it */
	tm->fn(tm, tm->arg);
}

void
timer_init(struct timer *tm, struct sim *sim, struct timer_set *set,
    timer_fn fn, void *arg)
{
	SIM_ASSERT(fn != NULL, "timer without a callback");
	tm->sim = sim;
	tm->fn = fn;
	tm->arg = arg;
	tm->ev = no_event;
	tm->expiry = SIM_TIME_MAX;
	tm->period = -1;
	tm->set = set;
	tm->prev = NULL;
	tm->next = NULL;
	if (set != NULL) {
		tm->next = set->head;
		if (set->head != NULL)
			set->head->prev = tm;
		set->head = tm;
		set->n++;
	}
}

bool
timer_stop(struct timer *tm)
{
	bool was = tm->ev.slot != 0;

	if (was) {
		bool cancelled = sim_cancel(tm->sim, tm->ev);

		SIM_ASSERT(cancelled, "timer event vanished from the kernel");
		tm->ev = no_event;
	}
	tm->expiry = SIM_TIME_MAX;
	return was;
}

void
timer_destroy(struct timer *tm)
{
	struct timer_set *set = tm->set;

	timer_stop(tm);
	if (set != NULL) {
		if (tm->prev != NULL)
			tm->prev->next = tm->next;
		else
			set->head = tm->next;
		if (tm->next != NULL)
			tm->next->prev = tm->prev;
		set->n--;
	}
	tm->set = NULL;
	tm->prev = tm->next = NULL;
}

void
timer_start_at(struct timer *tm, sim_time at)
{
	sim_time now = sim_now(tm->sim);

	SIM_ASSERT(at >= now, "timer started in the past (%lld < %lld)",
	    (long long)at, (long long)now);
	timer_stop(tm);
	tm->period = at - now;
	tm->expiry = at;
	tm->ev = sim_schedule_at(tm->sim, at, timer_fire, tm);
}

void
timer_start(struct timer *tm, sim_time delay)
{
	sim_time now = sim_now(tm->sim);

	SIM_ASSERT(delay >= 0 && delay <= SIM_TIME_MAX - now,
	    "bad timer delay %lld", (long long)delay);
	timer_start_at(tm, now + delay);
}

void
timer_restart(struct timer *tm)
{
	SIM_ASSERT(tm->period >= 0, "timer restarted before its first start");
	timer_start(tm, tm->period);
}

bool
timer_is_running(const struct timer *tm)
{
	return tm->ev.slot != 0;
}

sim_time
timer_expiry(const struct timer *tm)
{
	return tm->ev.slot != 0 ? tm->expiry : SIM_TIME_MAX;
}

sim_time
timer_remaining(const struct timer *tm)
{
	return tm->ev.slot != 0 ? tm->expiry - sim_now(tm->sim) :
	    SIM_TIME_MAX;
}

struct sim *
timer_sim(const struct timer *tm)
{
	return tm->sim;
}

void
timer_set_init(struct timer_set *ts)
{
	ts->head = NULL;
	ts->n = 0;
}

void
timer_set_stop_all(struct timer_set *ts)
{
	struct timer *tm;

	for (tm = ts->head; tm != NULL; tm = tm->next)
		timer_stop(tm);
}

void
timer_set_destroy(struct timer_set *ts)
{
	while (ts->head != NULL)
		timer_destroy(ts->head);
}

size_t
timer_set_count(const struct timer_set *ts)
{
	return ts->n;
}

size_t
timer_set_running(const struct timer_set *ts)
{
	const struct timer *tm;
	size_t n = 0;

	for (tm = ts->head; tm != NULL; tm = tm->next)
		n += tm->ev.slot != 0;
	return n;
}
