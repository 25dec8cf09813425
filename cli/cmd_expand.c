/*
 * cmd_expand.c - xcsim expand: print the low-level scenario the cloud
 * sections of a scenario stand for (docs/scenario-expand.md).
 */
#include <stdio.h>
#include <string.h>

#include "cmd.h"
#include "scenario_expand.h"
#include "units.h"

extern const char xcsim_default_scenario[];
extern const size_t xcsim_default_scenario_len;

#define USAGE "usage: xcsim expand [SCENARIO] [--seed N]"

int
cmd_expand(int argc, char **argv)
{
	struct sc_load_opts lo = { false, 0 };
	const char *path = NULL;
	int i, rc;

	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
			puts(USAGE "\n\n"
			    "Prints, as YAML, the scenario SCENARIO (default: the "
			    "built-in one) stands for:\nits azure and oci "
			    "sections expanded into the nodes, links, BGP "
			    "speakers,\nfilters and route tables xcsim builds "
			    "for them, next to what the file writes\nby hand. "
			    "The output runs as it is. Exit 0, or 2 for a bad "
			    "scenario.\n\n"
			    "  --seed N  the seed in place of the scenario's: "
			    "the timeline's durations are\n"
			    "            drawn from it, as by xcsim run --seed "
			    "N, and the output says seed: N");
			return 0;
		}
		if (strcmp(argv[i], "--seed") == 0) {
			if (i + 1 >= argc || !units_parse_uint(argv[++i],
			    &lo.seed)) {
				fprintf(stderr, "xcsim expand: --seed needs a "
				    "non-negative integer (decimal, or "
				    "hexadecimal after 0x)\n" USAGE "\n");
				return 2;
			}
			lo.seed_set = true;
			continue;
		}
		if (argv[i][0] == '-' || path != NULL) {
			fprintf(stderr, USAGE "\n");
			return 2;
		}
		path = argv[i];
	}
	if (path == NULL)
		rc = scenario_expand_print_buffer_opts(CLI_DEFAULT_NAME,
		    xcsim_default_scenario, xcsim_default_scenario_len, &lo,
		    stdout, stderr);
	else
		rc = scenario_expand_print_opts(path, &lo, stdout, stderr);
	if (rc == 0 && fflush(stdout) != 0)
		rc = 2;
	if (rc == 1) {
		fprintf(stderr, "xcsim expand: cannot write the output\n");
		rc = 2;
	}
	return rc;
}
