/*
 * linkstats.h - each link direction's queue length and utilisation over
 * time, sampled every 100 ms, for metrics.csv.
 *
 * A sampler event at every multiple of LINKSTATS_BIN reads each direction's
 * queue (qdisc_pkts) and its transmitter's busy time (from
 * link_utilization), so a bin's utilisation is the busy time within it
 * over its length, exact to the nanosecond. A run without an end stops
 * sampling once nothing else is scheduled, so the sampler never keeps a
 * finished simulation alive. Memory grows with simulated time only.
 */
#ifndef XCSIM_LINKSTATS_H
#define XCSIM_LINKSTATS_H

#include <stdint.h>
#include <stdio.h>

#include "sim.h"
#include "units.h"

#define LINKSTATS_BIN SIM_MS(100)

struct net;
struct linkstats;

/* Start sampling the links the net has now, from the current time. */
struct linkstats *linkstats_start(struct net *net);
void linkstats_free(struct linkstats *ls);
/*
 * Rows "link:NAME:ab,queue_pkts,t,packets" (queued at instant t) and
 * "link:NAME:ab,util,t,share" (busy share of [t, t + 100 ms)), "ba" for
 * the other direction.
 */
void linkstats_write_csv(const struct linkstats *ls, FILE *out);
/* Samples taken so far, and one of them (for tests). */
size_t linkstats_n_samples(const struct linkstats *ls);
uint32_t linkstats_queue(const struct linkstats *ls, uint32_t link,
    uint8_t dir, size_t sample);
/* Busy time of the bin before sample (sample >= 1). */
sim_time linkstats_busy(const struct linkstats *ls, uint32_t link,
    uint8_t dir, size_t sample);

#endif
