/*
 * cmd_expand.c - xcsim expand: print the low-level scenario the cloud
 * sections of a scenario stand for (docs/scenario-expand.md).
 */
#include <stdio.h>
#include <string.h>

#include "cmd.h"
#include "scenario_expand.h"

extern const char xcsim_default_scenario[];
extern const size_t xcsim_default_scenario_len;

#define USAGE "usage: xcsim expand [SCENARIO]"

int
cmd_expand(int argc, char **argv)
{
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
			    "scenario.");
			return 0;
		}
		if (argv[i][0] == '-' || path != NULL) {
			fprintf(stderr, USAGE "\n");
			return 2;
		}
		path = argv[i];
	}
	if (path == NULL)
		rc = scenario_expand_print_buffer(CLI_DEFAULT_NAME,
		    xcsim_default_scenario, xcsim_default_scenario_len, stdout,
		    stderr);
	else
		rc = scenario_expand_print(path, stdout, stderr);
	if (rc == 0 && fflush(stdout) != 0)
		rc = 2;
	if (rc == 1) {
		fprintf(stderr, "xcsim expand: cannot write the output\n");
		rc = 2;
	}
	return rc;
}
