/*
 * scenario_checks.h - an instructor's checks file applied to a scenario
 * (xcsim run STUDENT.yaml --check LAB.checks.yaml; docs/grading.md).
 *
 * A checks file is a list of assertions of any kind, each with a name and
 * points. The module owns the file's loading, the resolution of its names
 * against the scenario's (after the cloud expansion), judging, scoring and
 * the report (text and JSON). A malformed checks file is an error at its
 * place (file:line:col) as for a scenario; a well-formed check that names
 * what the scenario does not have (an unknown node, resource, app, table)
 * is not an error but a failed check, with the loader's message.
 *
 * The checks that resolve are appended to the scenario's own assertions
 * (sc->asserts), so that the sections that build from assertions (timed
 * samples, BGP probes) build theirs too; the scenario owns them from then
 * on. The scenario's own assertions keep indices [0, own) and are judged
 * and reported apart: they earn no points and do not decide the exit.
 */
#ifndef XCSIM_SCENARIO_CHECKS_H
#define XCSIM_SCENARIO_CHECKS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

struct scenario;
struct run;
struct sc_checks;

/* Largest points of one check; the sum of a file stays far from overflow. */
#define SC_CHECK_POINTS_MAX 1000000u

/* One input: text (named path in messages), or the file at path. */
struct sc_src {
	const char *path;
	const char *text;	/* NULL = read path */
	size_t len;
	const struct sc_load_opts *opts;	/* the scenario's load; NULL */
};

/*
 * Load the scenario and the checks. 0 with *scp and *ckp set, or 2 after
 * printing every error of the file at fault to diag (the scenario's first:
 * its names are needed to resolve the checks').
 */
int sc_checks_load(const struct sc_src *scenario, const struct sc_src *checks,
    FILE *diag, struct scenario **scp, struct sc_checks **ckp);
void sc_checks_free(struct sc_checks *c);

size_t sc_checks_count(const struct sc_checks *c);
const char *sc_checks_name(const struct sc_checks *c, size_t i);
unsigned sc_checks_points(const struct sc_checks *c, size_t i);
/* Whether check i names only what the scenario has (then it is judged). */
bool sc_checks_resolved(const struct sc_checks *c, size_t i);

/*
 * At the end of the run (r built from the scenario sc_checks_load gave):
 * judge every check and the scenario's own assertions. Returns the number
 * of failed checks (an unresolved one is failed).
 */
unsigned sc_checks_judge(struct sc_checks *c, struct run *r);
bool sc_checks_passed(const struct sc_checks *c, size_t i);
/* The line judged (or why it could not be). */
const char *sc_checks_message(const struct sc_checks *c, size_t i);
/* Points earned and the most there are. */
void sc_checks_total(const struct sc_checks *c, unsigned long *got,
    unsigned long *max);

/*
 * The report, once judged: one line per check, the total, then the
 * scenario's own assertions (not graded) unless quiet; quiet prints the
 * failed checks and the total only.
 */
void sc_checks_print(const struct sc_checks *c, bool quiet, FILE *out);
/* The same as one JSON object (docs/grading.md), newline-terminated. */
void sc_checks_json(const struct sc_checks *c, FILE *out);

#endif
