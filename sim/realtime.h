/*
 * realtime.h - the event kernel paced by the wall clock, for emulation.
 *
 * An rt drives a struct sim so that simulated time follows CLOCK_MONOTONIC
 * from the instant rt_run starts (simulated time T runs at wall time
 * start + (T - t0)), on a libev loop of its own (ev_loop_new: no global
 * loop, no global state). The events and their order are the kernel's: an
 * emulation with nothing attached runs exactly the events an offline run
 * runs, so its outputs are the same bytes.
 *
 * Attachments (TAP devices, pcap handles, real sockets) add their watchers
 * to rt_loop(). A watcher callback that brings input from outside (a frame
 * from a TAP, bytes from a socket) schedules it into the simulation at
 * rt_now(): the simulated time of the wall-clock instant, never before the
 * kernel's current time, so time never goes back and inputs keep the order
 * they arrived in. The loop runs every event whose time has come, then
 * sleeps in ev_run until the next event's wall time or the next input.
 *
 * Lateness: for every event, the wall time it ran at minus the wall time it
 * was due, into a log-bucket histogram (rt_lateness). When the kernel falls
 * behind, the policy decides: RT_LATE_WARN keeps going as fast as it can
 * and reports (rate-limited) how late it is; RT_LATE_STOP stops the run
 * with RT_TOO_LATE once an event is later than the bound, naming the event
 * (its simulated time and what it was) in rt_error().
 *
 * Docs: docs/emulation.md.
 */
#ifndef XCSIM_REALTIME_H
#define XCSIM_REALTIME_H

#include <signal.h>
#include <stddef.h>
#include <stdint.h>

#include "units.h"

struct sim;
struct ev_loop;
struct rt;

enum rt_late_policy {
	RT_LATE_WARN,		/* best effort: keep going, warn */
	RT_LATE_STOP		/* stop once an event is later than late_bound */
};

struct rt_cfg {
	enum rt_late_policy policy;
	/*
	 * How late an event may be (0: 100 ms): RT_LATE_STOP stops past it,
	 * RT_LATE_WARN warns about the events past it.
	 */
	sim_time late_bound;
	/* RT_LATE_WARN: at most one warning per this much wall time (0: 1 s) */
	sim_time warn_every;
	/* where warnings go (NULL: stderr) */
	void (*warn)(const char *msg, void *ctx);
	void *warn_ctx;
};

/* A real-time driver of sim (not owned). NULL with err on failure. */
struct rt *rt_new(struct sim *sim, const struct rt_cfg *cfg, char *err,
    size_t errlen);
/* Stops its watchers and frees the loop; attachments must be gone first. */
void rt_free(struct rt *rt);

/* The loop attachments add their watchers to. */
struct ev_loop *rt_loop(struct rt *rt);
struct sim *rt_sim(struct rt *rt);

/*
 * The simulated time of wall-clock now, at least sim_now(): when an input
 * arriving now enters the simulation. Before rt_run starts: sim_now().
 */
sim_time rt_now(struct rt *rt);

enum rt_stop {
	RT_DONE,		/* reached until (or no event left and until reached) */
	RT_STOPPED,		/* *stop became non-zero (a signal) */
	RT_TOO_LATE,		/* RT_LATE_STOP's bound passed: see rt_error */
	RT_ERROR		/* the loop failed: see rt_error */
};

/*
 * Run in real time until simulated time until (SIM_TIME_MAX: until
 * stopped), checking *stop (may be NULL) between events and after every
 * wake-up. May be called again to continue (re-anchored at sim_now(): time
 * between two calls is not lateness); after RT_TOO_LATE too, not after
 * RT_ERROR. While it runs, the kernel's event observer is the rt's (none
 * is left set after it) and *stop is the kernel's stop flag (the previous
 * flag is put back): sim.h.
 */
enum rt_stop rt_run(struct rt *rt, sim_time until,
    volatile sig_atomic_t *stop);

/*
 * From a watcher callback (or an event): end the run, which returns
 * RT_ERROR with this message in rt_error() once the current event or
 * callback is done. An attachment whose device failed, or a child process
 * that died (sim/emu_cleanup), says so this way. The first reason stands.
 */
void rt_fail(struct rt *rt, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Why rt_run returned RT_TOO_LATE or RT_ERROR ("" otherwise). */
const char *rt_error(const struct rt *rt);

struct rt_lateness {
	uint64_t events;	/* events measured */
	sim_time p50, p99, p999, max;	/* wall-clock lateness */
	uint64_t over_1ms;	/* events later than 1 ms */
};
void rt_lateness(const struct rt *rt, struct rt_lateness *l);

#endif
