/*
 * scenario_testutil.h - loading scenario text in the loader's tests: one
 * copy of the helpers test_scenario*.c share.
 */
#ifndef XCSIM_SCENARIO_TESTUTIL_H
#define XCSIM_SCENARIO_TESTUTIL_H

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scenario.h"

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

#endif
