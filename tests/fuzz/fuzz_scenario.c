/*
 * fuzz_scenario.c - libFuzzer target for the scenario loader.
 *
 * Any input must load or be rejected with diagnostics: no crash, no
 * out-of-bounds access, no leak, no unbounded time. Diagnostics go to
 * /dev/null, opened once, so that formatting them is exercised too.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "scenario.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static FILE *devnull;
	struct scenario *sc;
	unsigned n_errors = 0;

	if (devnull == NULL && (devnull = fopen("/dev/null", "w")) == NULL)
		return 0;
	sc = scenario_load_buffer("fuzz.yaml", (const char *)data, size,
	    devnull, &n_errors);
	if ((sc == NULL) != (n_errors > 0))
		__builtin_trap();	/* NULL exactly when there are errors */
	scenario_free(sc);
	return 0;
}
