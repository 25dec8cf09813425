/*
 * scenario_testutil.h - loading scenario text in the loader's tests: one
 * copy of the helpers test_scenario*.c share.
 */
#ifndef XCSIM_SCENARIO_TESTUTIL_H
#define XCSIM_SCENARIO_TESTUTIL_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <CUnit/CUnit.h>

#include "scenario.h"
#include "scenario_expand.h"
#include "scenario_run.h"

/* Load text as "t.yaml"; *diag gets every message (caller frees). */
static inline struct scenario *
load(const char *text, char **diag, unsigned *n_errors)
{
	size_t len = 0;
	FILE *d = open_memstream(diag, &len);
	struct scenario *sc;

	sc = scenario_load_buffer("t.yaml", text, strlen(text), d, n_errors);
	fclose(d);
	return sc;
}

/* Is there a line "t.yaml:AT: error: ...MSG..." in diag? */
static inline bool
has_error(const char *diag, const char *at, const char *msg)
{
	char prefix[64];
	const char *line = diag;

	snprintf(prefix, sizeof(prefix), "t.yaml:%s: error: ", at);
	while (line != NULL && *line != '\0') {
		const char *nl = strchr(line, '\n');
		size_t n = nl ? (size_t)(nl - line) : strlen(line);
		char *copy = strndup(line, n);
		bool hit = strncmp(copy, prefix, strlen(prefix)) == 0 &&
		    strstr(copy, msg) != NULL;

		free(copy);
		if (hit)
			return true;
		line = nl ? nl + 1 : NULL;
	}
	return false;
}

/*
 * Run sc to its end with opts o and keep the run (the caller run_free's
 * it, after reading its apps and nodes); *out gets run_check's lines
 * (caller frees), *failed how many assertions failed.
 */
static inline struct run *
sc_run_kept(struct scenario *sc, const struct run_opts *o, unsigned *failed,
    char **out)
{
	char err[256];
	size_t len = 0;
	struct run *r;
	FILE *f;

	r = run_new(sc, o, err, sizeof(err));
	if (r == NULL)
		fprintf(stderr, "run_new: %s\n", err);
	CU_ASSERT_PTR_NOT_NULL_FATAL(r);
	while (run_advance(r, run_end_time(r)))
		;
	f = open_memstream(out, &len);
	*failed = run_check(r, f);
	fclose(f);
	return r;
}

/*
 * Run sc to its end (seed 0: its own; dir NULL: no output files); *out
 * gets run_check's lines (caller frees). Returns how many assertions
 * failed.
 */
static inline unsigned
sc_run_to_end(struct scenario *sc, uint64_t seed, const char *dir,
    char **out)
{
	struct run_opts o = { .seed_set = seed != 0, .seed = seed,
	    .out_dir = dir };
	char err[256];
	unsigned failed;
	struct run *r = sc_run_kept(sc, &o, &failed, out);

	if (dir != NULL)
		CU_ASSERT_EQUAL(run_finish(r, err, sizeof(err)), 0);
	run_free(r);
	return failed;
}

/*
 * What `xcsim expand` prints for text, written to a temporary file first
 * (scenario_expand_print reads a path); caller frees.
 */
static inline char *
sc_expand_text(const char *text)
{
	char path[] = "/tmp/xcsim-expand-XXXXXX";
	char *out = NULL;
	size_t len = 0;
	FILE *f, *o;
	int fd = mkstemp(path);

	CU_ASSERT_FATAL(fd >= 0);
	f = fdopen(fd, "w");
	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	fputs(text, f);
	fclose(f);
	o = open_memstream(&out, &len);
	CU_ASSERT_EQUAL(scenario_expand_print(path, o, stderr), 0);
	fclose(o);
	unlink(path);
	return out;
}

/* Every one of want[0..n) is in x (each missing one printed). */
static inline void
sc_want_all(const char *x, const char *const *want, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (strstr(x, want[i]) == NULL)
			fprintf(stderr, "missing:\n%s\nin:\n%s\n", want[i], x);
		CU_ASSERT_PTR_NOT_NULL(strstr(x, want[i]));
	}
}

#endif
