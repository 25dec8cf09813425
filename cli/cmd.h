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

struct scenario;

/* SCENARIO, or the built-in one when path is NULL; errors to stderr. */
struct scenario *cli_load(const char *path, unsigned *nerr);
#define CLI_DEFAULT_NAME "default.yaml (built-in)"

int cmd_run(int argc, char **argv);
int cmd_routes(int argc, char **argv);
int cmd_path(int argc, char **argv);
int cmd_bgp(int argc, char **argv);
int cmd_emulate(int argc, char **argv);
int cmd_check(int argc, char **argv);
int cmd_expand(int argc, char **argv);
int cmd_trace(int argc, char **argv);
int cmd_schema(int argc, char **argv);
int cmd_viz(int argc, char **argv);	/* viz/: needs SDL2 */
int cmd_plot(int argc, char **argv);	/* viz/: needs SDL2 */

#endif
