/*
 * main.c - the xcsim command: dispatch to a subcommand, nothing else.
 */
#include <stdio.h>
#include <string.h>

#include "cmd.h"
#include "scenario_models.h"

static const struct {
	const char *name;
	int (*fn)(int, char **);
	const char *help;
} cmds[] = {
	{ "run", cmd_run, "run a scenario (default: the built-in cross-cloud ping)" },
	{ "emulate", cmd_emulate, "run a scenario in real time (docs/emulation.md)" },
	{ "check", cmd_check, "validate a scenario file without running it" },
	{ "routes", cmd_routes, "a routing table at an instant, and why each route won" },
	{ "path", cmd_path, "the hops of a packet, the route and filter rule at each" },
	{ "bgp", cmd_bgp, "a BGP speaker's routes, neighbours and ARP table at an instant" },
	{ "state", cmd_state, "the resources' state fields at an instant, and since when" },
	{ "compare", cmd_compare, "run designs on the same traffic over seeds; one table" },
	{ "expand", cmd_expand, "print the low-level scenario the cloud sections build" },
	{ "schema", cmd_schema, "print the scenario JSON Schema or field reference" },
	{ "trace", cmd_trace, "trace dump FILE: print a trace as JSON Lines" },
#ifdef XCSIM_HAVE_VIZ
	{ "viz", cmd_viz, "replay a trace in a window, or render PNG frames" },
	{ "plot", cmd_plot, "plot metrics.csv files to a PNG" },
#endif
};

static void
usage(FILE *out)
{
	size_t i;

	fputs("usage: xcsim COMMAND [ARGS]   (xcsim COMMAND --help for its options)\n\n"
	    "Discrete-event simulator of Azure <-> OCI cross-cloud networking.\n\n"
	    "commands:\n", out);
	for (i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++)
		fprintf(out, "  %-8s %s\n", cmds[i].name, cmds[i].help);
	fputs("\n  --version  print the version\n", out);
}

int
main(int argc, char **argv)
{
	size_t i;

	scenario_models_init();	/* every model's sections and assertions */
	if (argc < 2) {
		usage(stderr);
		return 2;
	}
	if (strcmp(argv[1], "--version") == 0) {
		printf("xcsim %s\n", XCSIM_VERSION);
		return 0;
	}
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 ||
	    strcmp(argv[1], "help") == 0) {
		usage(stdout);
		return 0;
	}
	for (i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++)
		if (strcmp(argv[1], cmds[i].name) == 0)
			return cmds[i].fn(argc - 1, argv + 1);
	fprintf(stderr, "xcsim: unknown command '%s'\n", argv[1]);
	usage(stderr);
	return 2;
}
