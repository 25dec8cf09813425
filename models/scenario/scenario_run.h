/*
 * scenario_run.h - build a loaded scenario into a simulation, run it, check
 * its assertions and write its outputs.
 *
 * A struct run owns the simulation, the network, the applications and every
 * output file of one run. Outputs are written under temporary names and
 * renamed into place only by run_finish(); run_free() without a successful
 * run_finish() removes them, so a failed run leaves nothing half-written.
 *
 * Output layout under out_dir: trace.xct, pcap/<node>/<iface>.pcap,
 * metrics.json, metrics.csv.
 */
#ifndef XCSIM_SCENARIO_RUN_H
#define XCSIM_SCENARIO_RUN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "units.h"

struct scenario;
struct run;
struct net;
struct sim;
struct app;

struct run_opts {
	bool seed_set;
	uint64_t seed;		/* overrides the scenario's seed */
	bool until_set;
	sim_time until;		/* overrides the scenario's duration */
	const char *out_dir;	/* NULL = write no files at all */
};

/* Build everything and open the outputs. NULL + err on failure. */
struct run *run_new(const struct scenario *sc, const struct run_opts *o,
    char *err, size_t errlen);
/* The time the run ends (duration or --until; SIM_TIME_MAX = no limit). */
sim_time run_end_time(const struct run *r);
/* Advance to min(t, end); returns true while there is more to run. */
bool run_advance(struct run *r, sim_time t);
/* Evaluate every assertion, print one line each to out, return # failed. */
unsigned run_check(struct run *r, FILE *out);
/* Write metrics, close the trace and captures, rename all into place. */
int run_finish(struct run *r, char *err, size_t errlen);
/* A short human summary of the run (apps, drops) to out. */
void run_summary(const struct run *r, FILE *out);
void run_free(struct run *r);

struct sim *run_sim(const struct run *r);
struct net *run_net(const struct run *r);
struct app *run_app(const struct run *r, const char *name);

#endif
