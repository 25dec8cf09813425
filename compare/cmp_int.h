/*
 * cmp_int.h - the compare module's insides, shared by its files.
 *
 *   cmp_input.c   designs, the traffic file and --set: each case's text
 *   cmp_run.c     compare_run: cases, jobs, forks, progress, signals
 *   cmp_child.c   one run in a child process and its figures
 *   cmp_stats.c   Student t, mean and interval, compare-run.txt
 *   cmp_out.c     the table, compare.csv, compare.json
 *   cmp_plot.c    the PNG plots through viz/plot
 */
#ifndef XCSIM_CMP_INT_H
#define XCSIM_CMP_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "compare.h"

struct scenario;

struct cmp_design {
	char *path;
	char *name;		/* its folder under OUT */
	char *text;		/* the file's bytes */
	size_t len;
	char *xtext;		/* its expansion (xcsim expand), on demand */
	size_t xlen;
	struct scenario *sc;	/* loaded as it is: its nodes and roles */
};

struct cmp_traffic {
	const char *path;
	char *text;
	size_t len;
};

/* One design under one combination of the --set values. */
struct cmp_case {
	size_t d;		/* design */
	size_t c;		/* combination */
	char *text;		/* the scenario each of its runs loads */
	size_t len;
	unsigned base_lines;	/* lines before the traffic's */
	uint64_t hash;		/* of text: a run's hash adds its seed */
};

/* A combination of the --set values: its label and folder. */
struct cmp_combo {
	char *label;		/* "delay=5ms" or "default" */
	char *dir;
};

/* cmp_input.c */
int cmp_design_load(struct cmp_design *d, const char *path, FILE *diag);
void cmp_design_free(struct cmp_design *d);
int cmp_traffic_load(struct cmp_traffic *t, const char *path, FILE *diag);
/*
 * The case's text: the design (or its expansion when a --set path is only
 * there) with vi[k] of each set written in, its apps and assertions
 * replaced by the traffic's (t may be NULL). 0, or -1 after saying why.
 */
int cmp_case_build(struct cmp_case *cs, struct cmp_design *d,
    const struct cmp_traffic *t, const struct cmp_set *sets,
    const size_t *vi, size_t nsets, FILE *diag);
/*
 * Load the case's text as a run does (seed given), its messages to diag
 * with the lines of the traffic's part named in the traffic file.
 */
struct scenario *cmp_case_load(const struct cmp_case *cs,
    const struct cmp_design *d, const struct cmp_traffic *t,
    uint64_t seed, FILE *diag);
uint64_t cmp_hash(uint64_t h, const void *p, size_t n);
/* A new string, printf-formatted (xmalloc: never NULL). */
char *cmp_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* cmp_child.c: run one case with seed into dir; the process's status. */
int cmp_child_run(const struct cmp_case *cs, const struct cmp_design *d,
    const struct cmp_traffic *t, uint64_t seed, const char *dir,
    uint64_t hash, volatile sig_atomic_t *stop);
#define CMP_RUN_FILE "compare-run.txt"

/* The results the outputs are made of. */
struct cmp_result {
	const struct cmp_opts *o;
	struct cmp_design *designs;
	struct cmp_combo *combos;
	size_t n_combos;
	struct cmp_case *cases;	/* design-major */
	size_t n_cases;
	struct cmp_fig *figs;	/* [case * seeds + seed - 1] */
	bool *done;
};

/* cmp_out.c */
void cmp_table(const struct cmp_result *r, FILE *out);
int cmp_write_outputs(const struct cmp_result *r, FILE *diag);

/* cmp_plot.c: the PNGs into OUT/plots; 0 or -1 after saying why. */
int cmp_plots(const struct cmp_result *r, FILE *diag);

#endif
