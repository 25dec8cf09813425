/*
 * compare.h - xcsim compare: several designs (scenario files) run on the
 * same traffic over seeds and a parameter sweep, and one table of what
 * they measured (docs/compare.md).
 *
 * The module owns: building each run's scenario text (a design, the
 * traffic file's apps and assertions merged into it with their endpoints
 * resolved in that design, the --set values written over the design's
 * own), running the runs in forked processes under --out, the per-run
 * figures (cmp_fig) read from the run's applications and trace, the
 * statistics over seeds (mean and a Student-t 95% confidence interval),
 * the table on stdout, compare.csv, compare.json and the PNG plots.
 *
 * Layout under OUT: OUT/DESIGN/SET/seed-N/ holds one run's outputs as
 * xcsim run writes them (trace.xct, metrics.json, metrics.csv, pcap/) and
 * compare-run.txt, the figures the table is made of, written last under a
 * temporary name and renamed: a run counts as finished when that file is
 * there, and a later compare into OUT with the same inputs (the same
 * scenario text and seed, hashed) reuses it instead of running again.
 * DESIGN is the file's name without its directory and .yaml; SET is
 * "default" without --set, else FIELD=VALUE[,FIELD=VALUE] with '/' made '_',
 * or a prefix of that and a hash when it is long or would be another
 * label's folder (CMP_DIR_MAX; compare-set.txt in it holds the label).
 */
#ifndef XCSIM_COMPARE_H
#define XCSIM_COMPARE_H

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define CMP_SEEDS_MAX 1000u
#define CMP_JOBS_MAX 256u
#define CMP_SET_VALUES_MAX 64u
/* designs x --set combinations x seeds, refused above (exit 2) */
#define CMP_RUNS_MAX 100000u
/*
 * A --set combination's folder is its label up to CMP_DIR_MAX bytes, else
 * the label's first CMP_DIR_PREFIX bytes, '-' and 16 hex digits of its
 * hash (compare-set.txt in it holds the whole label).
 */
#define CMP_DIR_MAX 100u
#define CMP_DIR_PREFIX 80u

/* One --set FIELD=V1,V2,...: a path into the scenario and its values. */
struct cmp_set {
	char *field;		/* "links.cross-connect.delay", "duration" */
	char **values;
	size_t n_values;
};

struct cmp_opts {
	const char *const *designs;
	size_t n_designs;
	const char *traffic;	/* NULL: each design's own apps */
	unsigned seeds;		/* runs with seeds 1..seeds */
	const struct cmp_set *sets;
	size_t n_sets;		/* the sweep: every combination of values */
	const char *out;
	unsigned jobs;		/* runs at once, >= 1 */
	bool progress;		/* a progress bar on diag (a terminal) */
	bool plots;		/* write the PNG plots (needs viz/) */
	/*
	 * The caller's signal handler counts signals in nsig and keeps the
	 * first one's number in sig (both may be NULL): the first stops
	 * launching runs and lets the running ones finish, the second stops
	 * them (they leave nothing behind); the table is then written over
	 * the runs that finished.
	 */
	volatile sig_atomic_t *nsig, *sig;
};

/*
 * "FIELD=V1,V2": 0, or -1 with err. The caller frees with cmp_set_free.
 */
int cmp_set_parse(const char *arg, struct cmp_set *s, char *err,
    size_t errlen);
void cmp_set_free(struct cmp_set *s);

/*
 * Run the comparison: the table to out, messages and progress to diag.
 * Returns the exit status: 0, 1 when a run failed or an assertion of the
 * merged scenarios failed, 2 for bad input (nothing run), 128 + the first
 * signal when stopped (the table then covers the runs that finished).
 */
int compare_run(const struct cmp_opts *o, FILE *out, FILE *diag);

/* --- the statistics (cmp_stats.c), for tests --- */

/* Student's t at 97.5% (a two-sided 95% interval) with df >= 1. */
double cmp_t975(unsigned df);

struct cmp_stat {
	size_t n;		/* samples that have the figure */
	double mean;
	double hw;		/* half-width of the 95% interval; -1 if n < 2 */
};

/*
 * Mean and interval of x[0..n): exactly x[0] and 0 when all are equal (a
 * deterministic figure), else t(n-1) * s / sqrt(n).
 */
void cmp_stat_of(const double *x, size_t n, struct cmp_stat *st);

/* --- one run's figures (compare-run.txt) --- */

enum cmp_fig_id {
	CF_RTT_P50,		/* ns, ping apps' answered probes pooled */
	CF_RTT_P99,
	CF_TXN_P50,		/* ns, request_response transactions pooled */
	CF_TXN_P99,
	CF_TXN_P999,
	CF_GOODPUT,		/* bit/s, sum over tcp_bulk apps */
	CF_LOSS,		/* %, lost / (answered + lost) ping probes */
	CF_FAILOVER,		/* ns, fault -> first answered probe after loss */
	CF_CONVERGE,		/* ns, fault -> last route change */
	CF_MAX
};

struct cmp_fig {
	bool has[CF_MAX];
	double v[CF_MAX];
	int64_t fault_ns;	/* the first link going down, -1: none */
	unsigned failed;	/* assertions that failed */
};

/* Key (compare-run.txt, CSV, JSON), column title and unit of each figure. */
extern const char *const cmp_fig_key[CF_MAX];
extern const char *const cmp_fig_title[CF_MAX];

/* The figures as compare-run.txt holds them; hash names the inputs. */
void cmp_fig_write(const struct cmp_fig *f, uint64_t hash, uint64_t seed,
    FILE *out);
/* Read them back: 0, or -1 when malformed or of another hash. */
int cmp_fig_read(FILE *in, uint64_t hash, struct cmp_fig *f);

#endif
