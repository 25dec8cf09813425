/*
 * scenario_run.h - build a loaded scenario into a simulation, run it, check
 * its assertions and write its outputs.
 *
 * A struct run owns the simulation, the network, the applications and every
 * output file of one run. Outputs are created through sim/outfile (never
 * through a symlink, never over an existing file), written under temporary
 * names and renamed into place together only by run_commit(); run_free()
 * without it removes them, and the folders it created, so a failed run
 * leaves nothing.
 *
 * Output layout under out_dir: trace.xct, pcap/<node>/<iface>.pcap,
 * metrics.json, metrics.csv, and the manifest .xcsim-outputs listing those
 * this run wrote (relative paths). A run removes what the previous run's
 * manifest lists and it did not write again, and nothing else.
 */
#ifndef XCSIM_SCENARIO_RUN_H
#define XCSIM_SCENARIO_RUN_H

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "units.h"

struct scenario;
struct outdir;
struct run;
struct net;
struct sim;
struct app;
struct rt;
struct rt_cfg;
struct emu_cleanup;

struct run_opts {
	bool seed_set;
	uint64_t seed;		/* overrides the scenario's seed */
	bool until_set;
	sim_time until;		/* overrides the scenario's duration */
	const char *out_dir;	/* NULL = write no files at all */
	/*
	 * For a CLI's signal handling (both may be NULL): stop is the flag
	 * its handler sets; once set, building gives up between steps and
	 * the run stops between two events. outdir_pub is set to the output
	 * directory as soon as it exists, before the first temporary file,
	 * and cleared before it is freed, so a handler can remove the
	 * temporaries (outdir_unlink_temps) at any moment.
	 */
	volatile sig_atomic_t *stop;
	struct outdir *volatile *outdir_pub;
	/*
	 * Emulation (xcsim emulate; NULL offline): the run makes a real-time
	 * driver with this configuration (run_rt) before anything is built,
	 * so sections attaching real devices find it in sc_build.rt; the
	 * caller drives it (rt_run), and its lateness is written to
	 * metrics.json (the "emulation" member, one line) and the summary.
	 * cleanup (may be NULL) is the registry attachments put what they
	 * create in (sc_build.cleanup); the run watches its children on the
	 * driver's loop while the run exists.
	 */
	const struct rt_cfg *rt_cfg;
	struct emu_cleanup *cleanup;
	/*
	 * Emulation: real sockets (the emulation section's bgp_sockets) bind only to 127.0.0.0/8
	 * unless their address is one of listen[n_listen] (host order), or
	 * listen_any (xcsim emulate --listen ADDR | any).
	 */
	const uint32_t *listen;
	size_t n_listen;
	bool listen_any;
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
/*
 * Judge assertion i of the scenario now (its trace record included): pass
 * or fail, and the line run_check prints after "PASS: " / "FAIL: ".
 */
bool run_judge(struct run *r, size_t i, char *msg, size_t len);
/*
 * run_check, with the passing assertions of a kind that folds
 * (sc_assertion.fold: a timeline's one `operation` per item) counted into
 * one line per kind after the others ("FILE: PASS: 10 operations of the
 * timeline as expected") instead of one line each; a failing one still
 * prints its own line. *folded (may be NULL): how many were folded.
 */
unsigned run_check_folded(struct run *r, FILE *out, size_t *folded);
/*
 * Write metrics and complete the trace and captures, all still under
 * temporary names. On failure everything of this run is removed.
 */
int run_write(struct run *r, char *err, size_t errlen);
/*
 * One more output of the run, written by the caller: fn(ctx, f) writes
 * rel.tmp in the output directory, renamed into place with the others by
 * run_commit and listed in the manifest. rel is a file name RUN_EXTRA_PREFIX
 * NAME RUN_EXTRA_SUFFIX (NAME without '/' or a leading '.'), so that the
 * next run into the directory removes it if it does not write it again.
 * After run_write, before run_commit. 0, or -1 with err (no output
 * directory, a name of another form, a write error: the file is removed).
 */
#define RUN_EXTRA_PREFIX "routes-"
#define RUN_EXTRA_SUFFIX ".txt"
int run_write_extra(struct run *r, const char *rel,
    void (*fn)(void *ctx, FILE *f), void *ctx, char *err, size_t errlen);
/*
 * Rename this run's outputs into place at once, remove the stale ones and
 * write the manifest: quick (no data written), so a caller may hold signals
 * off around it. On failure everything of this run is removed.
 */
int run_commit(struct run *r, char *err, size_t errlen);
/* run_write, then run_commit. */
int run_finish(struct run *r, char *err, size_t errlen);
/*
 * The run was stopped early (a signal): the trace says so, metrics.json
 * has "interrupted": true and the summary says so.
 */
void run_interrupt(struct run *r);
/* The output directory (NULL without outputs), for a signal handler. */
struct outdir *run_outdir(const struct run *r);
/* A short human summary of the run (apps, drops) to out. */
void run_summary(const struct run *r, FILE *out);
/* Its first line only: the scenario, seed, simulated time and events. */
void run_summary_head(const struct run *r, FILE *out);
void run_free(struct run *r);

struct sim *run_sim(const struct run *r);
/* The real-time driver of an emulation (run_opts.rt_cfg), else NULL. */
struct rt *run_rt(const struct run *r);
struct net *run_net(const struct run *r);
/* What the section called name kept for the run (sc_build_set_state), or NULL. */
void *run_section_state(const struct run *r, const char *name);
/*
 * The app called name, or NULL. Names are unique: the loader refuses
 * duplicates and reserves NAME-sink for the sink of udp_cbr app NAME. Check
 * app->ops->kind before reading it as one kind of app.
 */
struct app *run_app(const struct run *r, const char *name);

#endif
