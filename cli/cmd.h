/*
 * cmd.h - the xcsim subcommands. main.c only dispatches; each subcommand
 * lives in its own cmd_*.c, parses its own options and returns the exit
 * status: 0 ok, 1 an assertion (or comparison) failed, 2 bad input or usage
 * (or outputs that cannot be written), 3 out of memory (XCSIM_EXIT_OOM),
 * 4 an emulation stopped by its lateness policy or a failure of what it
 * attached (outputs written), 128 + the signal number when a run was
 * stopped by SIGINT or SIGTERM.
 */
#ifndef XCSIM_CMD_H
#define XCSIM_CMD_H

#include <stdbool.h>

#include "scenario_run.h"
#include "units.h"

struct scenario;

/*
 * SCENARIO, or the built-in one when path is NULL; errors to stderr. With
 * o's seed (--seed; o may be NULL) the load's plan is drawn from it.
 */
struct scenario *cli_load(const char *path, const struct run_opts *o,
    unsigned *nerr);
#define CLI_DEFAULT_NAME "default.yaml (built-in)"

/*
 * What the commands that ask a run at an instant (routes, path, bgp,
 * state: cmd_query.c) take besides their own options.
 */
struct cli_query {
	const char *path;	/* SCENARIO, NULL = the built-in one */
	sim_time at;		/* < 0: the end */
	bool json;
	struct run_opts o;
};

/* argv[i] has a value after it, else says so (argv[0]: the command). */
bool cli_need(int i, int argc, char **argv);
/*
 * argv[*i] if it is --at, --json, --seed or the scenario: 1 (taken, *i
 * past its value), 0 (not one), -1 after saying why it is wrong (usage
 * printed for a second scenario).
 */
int cli_query_opt(int argc, char **argv, int *i, struct cli_query *c,
    const char *usage);
/* Load path and run it to at (< 0: its end); NULL after saying why. */
struct run *cli_query_start(const char *cmd, const char *path, sim_time at,
    const struct run_opts *o, struct scenario **scp);

int cmd_run(int argc, char **argv);
int cmd_routes(int argc, char **argv);
int cmd_path(int argc, char **argv);
int cmd_bgp(int argc, char **argv);
int cmd_state(int argc, char **argv);
int cmd_emulate(int argc, char **argv);
int cmd_check(int argc, char **argv);
int cmd_expand(int argc, char **argv);
int cmd_compare(int argc, char **argv);	/* compare/ */
int cmd_trace(int argc, char **argv);
int cmd_schema(int argc, char **argv);
int cmd_viz(int argc, char **argv);	/* viz/: needs SDL2 */
int cmd_plot(int argc, char **argv);	/* viz/: needs SDL2 */

#endif
