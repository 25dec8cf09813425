/*
 * linkstats.h - each link direction's queue length and utilisation over
 * time, sampled every interval (100 ms by default), for metrics.csv.
 *
 * A sampler event at every multiple of the interval reads each direction's
 * queue (qdisc_pkts) and its transmitter's busy time (from
 * link_utilization), so a bin's utilisation is the busy time within it
 * over its length, exact to the nanosecond. A run without an end stops
 * sampling once nothing else is scheduled, so the sampler never keeps a
 * finished simulation alive.
 *
 * Samples are not kept: every LINKSTATS_BLOCK samples, the block is
 * written to a spool file the caller gives (a run's temporary file next
 * to its outputs), each direction's samples together, and
 * linkstats_write_csv reads them back direction by direction. Memory is
 * O(links x LINKSTATS_BLOCK) whatever the length of the run; the spool
 * grows by 12 bytes per direction per sample.
 */
#ifndef XCSIM_LINKSTATS_H
#define XCSIM_LINKSTATS_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "sim.h"
#include "units.h"

/* The interval of runs of 10 minutes or less, and of runs without an end. */
#define LINKSTATS_BIN SIM_MS(100)
/* Samples held in memory before they go to the spool. */
#define LINKSTATS_BLOCK 256u

struct net;
struct linkstats;

/*
 * The interval for a run of that duration (0: no end): LINKSTATS_BIN up to
 * 10 minutes, then the first of 1 s, 10 s, 1 min, 10 min, 1 h that keeps
 * the run within 6,000 samples (1 h beyond 6,000 hours).
 */
sim_time linkstats_default_interval(sim_time duration);
/*
 * Start sampling the links the net has now, from the current time, every
 * interval (> 0). spool: an empty file opened for reading and writing,
 * which stays the caller's (open until linkstats_free).
 */
struct linkstats *linkstats_start(struct net *net, sim_time interval,
    FILE *spool);
void linkstats_free(struct linkstats *ls);
/*
 * Rows "link:NAME:ab,queue_pkts,t,packets" (queued at instant t) and
 * "link:NAME:ab,util,t,share" (busy share of [t, t + interval)), "ba" for
 * the other direction. Once, at the end: it stops the sampling. Returns 0,
 * or -1 if the spool could not be written or read back (the rows are then
 * incomplete).
 */
int linkstats_write_csv(struct linkstats *ls, FILE *out);
/* True once a spool write or read failed. */
bool linkstats_failed(const struct linkstats *ls);
sim_time linkstats_interval(const struct linkstats *ls);
/* Samples taken so far, and how many of them are held in memory. */
size_t linkstats_n_samples(const struct linkstats *ls);
size_t linkstats_n_held(const struct linkstats *ls);
/*
 * One sample (for tests): read back from the spool unless still held.
 * 0 if it cannot be read.
 */
uint32_t linkstats_queue(struct linkstats *ls, uint32_t link, uint8_t dir,
    size_t sample);
/* Busy time of the bin before sample (sample >= 1). */
sim_time linkstats_busy(struct linkstats *ls, uint32_t link, uint8_t dir,
    size_t sample);

#endif
