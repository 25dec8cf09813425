/*
 * cmd_state.c - xcsim state: run a scenario to an instant, then print
 * every resource's state fields (the `resources` section, which the cloud
 * timelines write) with the time each took its value, as a portal's
 * properties page would show them then (models/prov).
 */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "cmd.h"
#include "prov_state.h"
#include "scenario.h"
#include "scenario_run.h"
#include "sim.h"

#define STATE_USAGE "usage: xcsim state [SCENARIO] [--at TIME] " \
	"[--resource NAME] [--json] [--seed N]"

static void
state_usage(FILE *out)
{
	fputs(STATE_USAGE "\n\n"
	    "Runs SCENARIO (default: the built-in one) to TIME (default: its "
	    "end) and prints\nevery resource's fields (provisioningState, "
	    "lifecycleState, bgpSessionState, ...)\nwith their values then "
	    "and the time each took its value.\n\n"
	    "  --at TIME         the instant (e.g. 47m)\n"
	    "  --resource NAME   only this resource (express_route_circuits/"
	    "er-ashburn);\n                    exit 1 when there is none\n"
	    "  --json            one JSON object\n"
	    "  --seed N          override the scenario's seed\n", out);
}

int
cmd_state(int argc, char **argv)
{
	const char *only = NULL;
	struct cli_query c = { .at = -1 };
	struct scenario *sc;
	struct run *r;
	int i, k, rc = 0;

	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--help") == 0 ||
		    strcmp(argv[i], "-h") == 0) {
			state_usage(stdout);
			return 0;
		} else if (strcmp(argv[i], "--resource") == 0) {
			if (!cli_need(i, argc, argv))
				return 2;
			only = argv[++i];
		} else if ((k = cli_query_opt(argc, argv, &i, &c,
		    STATE_USAGE)) < 0) {
			return 2;
		} else if (k == 0) {
			fprintf(stderr, "xcsim %s: unknown option '%s'\n%s\n",
			    argv[0], argv[i], STATE_USAGE);
			return 2;
		}
	}
	if ((r = cli_query_start("state", c.path, c.at, &c.o, &sc)) == NULL)
		return 2;
	if (prov_states_print(run_section_state(r, "resources"),
	    sim_now(run_sim(r)), only, c.json, stdout) < 0) {
		fprintf(stderr, "xcsim state: no resource '%s'\n", only);
		rc = 1;
	}
	run_free(r);
	scenario_free(sc);
	if (fflush(stdout) != 0)
		return 2;
	return rc;
}
