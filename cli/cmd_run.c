/*
 * cmd_run.c - xcsim run, check, trace dump and schema.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cmd.h"
#include "scenario.h"
#include "scenario_run.h"
#include "trace.h"

extern const char xcsim_default_scenario[];
extern const size_t xcsim_default_scenario_len;

#define DEFAULT_NAME "default.yaml (built-in)"

static struct scenario *
load(const char *path, unsigned *nerr)
{
	if (path == NULL)
		return scenario_load_buffer(DEFAULT_NAME,
		    xcsim_default_scenario, xcsim_default_scenario_len, stderr,
		    nerr);
	return scenario_load_file(path, stderr, nerr);
}

static double
wall_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static int
need_arg(int i, int argc, char **argv)
{
	if (i + 1 >= argc) {
		fprintf(stderr, "xcsim %s: %s needs a value\n", argv[0],
		    argv[i]);
		return 0;
	}
	return 1;
}

static void
run_usage(FILE *out)
{
	fputs("usage: xcsim run [SCENARIO] [--seed N] [--until TIME] [--out DIR] [--quiet]\n\n"
	    "Runs SCENARIO (a YAML file; without one, the built-in default: a ping and a\n"
	    "traceroute from an Azure VM to an OCI host over ExpressRoute + FastConnect).\n"
	    "Writes DIR/trace.xct, DIR/pcap/NODE/IFACE.pcap, DIR/metrics.json and\n"
	    "DIR/metrics.csv (DIR defaults to ./out) and prints a summary and the\n"
	    "assertion results.\n\n"
	    "  --seed N      override the scenario's random seed\n"
	    "  --until TIME  stop at this simulated time (e.g. 500ms, 2s, 5m)\n"
	    "  --out DIR     output directory (created if missing)\n"
	    "  --quiet       print only failures\n\n"
	    "exit status: 0 all assertions passed, 1 an assertion failed, 2 bad input\n",
	    out);
}

int
cmd_run(int argc, char **argv)
{
	const char *path = NULL, *out = "out";
	struct run_opts o = { 0 };
	struct scenario *sc;
	struct run *r;
	char err[512];
	unsigned nerr = 0, failed;
	bool quiet = false, tty = isatty(STDERR_FILENO), shown = false;
	double w0;
	int i;

	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
			run_usage(stdout);
			return 0;
		} else if (strcmp(argv[i], "--seed") == 0) {
			char *end;

			if (!need_arg(i, argc, argv))
				return 2;
			errno = 0;
			o.seed = strtoull(argv[++i], &end, 0);
			if (errno || *end || argv[i][0] == '-' || !argv[i][0]) {
				fprintf(stderr, "xcsim run: --seed '%s' is not "
				    "a non-negative integer\n", argv[i]);
				return 2;
			}
			o.seed_set = true;
		} else if (strcmp(argv[i], "--until") == 0) {
			if (!need_arg(i, argc, argv))
				return 2;
			if (units_parse_time(argv[++i], 0, &o.until, err,
			    sizeof(err)) < 0) {
				fprintf(stderr, "xcsim run: --until '%s': %s\n",
				    argv[i], err);
				return 2;
			}
			if (o.until > SIM_S(3600) * 100000) {
				fprintf(stderr, "xcsim run: --until '%s' is too "
				    "long (at most 100000h)\n", argv[i]);
				return 2;
			}
			o.until_set = true;
		} else if (strcmp(argv[i], "--out") == 0) {
			if (!need_arg(i, argc, argv))
				return 2;
			out = argv[++i];
		} else if (strcmp(argv[i], "--quiet") == 0 ||
		    strcmp(argv[i], "-q") == 0) {
			quiet = true;
		} else if (argv[i][0] == '-') {
			fprintf(stderr, "xcsim run: unknown option '%s' "
			    "(see xcsim run --help)\n", argv[i]);
			return 2;
		} else if (path == NULL) {
			path = argv[i];
		} else {
			fprintf(stderr, "xcsim run: more than one scenario\n");
			return 2;
		}
	}
	if ((sc = load(path, &nerr)) == NULL) {
		fprintf(stderr, "%s: %u error%s\n", path ? path : DEFAULT_NAME,
		    nerr, nerr == 1 ? "" : "s");
		return 2;
	}
	o.out_dir = out;
	if ((r = run_new(sc, &o, err, sizeof(err))) == NULL) {
		fprintf(stderr, "xcsim run: %s\n", err);
		scenario_free(sc);
		return 2;
	}
	/* Advance in slices so a long run can show progress on a terminal. */
	w0 = wall_now();
	{
		sim_time end = run_end_time(r), step, t = 0;

		step = end == SIM_TIME_MAX ? SIM_TIME_MAX : end / 200 + 1;
		for (;;) {
			t = step == SIM_TIME_MAX || t > end - step ? end :
			    t + step;
			if (!run_advance(r, t))
				break;
			if (tty && !quiet && wall_now() - w0 > 0.5) {
				char a[32], b[32];

				fprintf(stderr, "\r  [%3d%%] %s / %s simulated",
				    (int)((__int128)t * 100 / end),
				    units_fmt_time(a, sizeof(a), t),
				    units_fmt_time(b, sizeof(b), end));
				shown = true;
			}
		}
		if (shown)
			fputs("\r\033[K", stderr);
	}
	failed = run_check(r, quiet ? NULL : stdout);
	if (run_finish(r, err, sizeof(err)) < 0) {
		fprintf(stderr, "xcsim run: %s\n", err);
		run_free(r);
		scenario_free(sc);
		return 2;
	}
	if (!quiet) {
		run_summary(r, stdout);
		printf("  wall time %.3f s; outputs in %s/\n", wall_now() - w0,
		    out);
	}
	if (failed)
		fprintf(stderr, "xcsim run: %u assertion%s failed\n", failed,
		    failed == 1 ? "" : "s");
	run_free(r);
	scenario_free(sc);
	return failed ? 1 : 0;
}

int
cmd_check(int argc, char **argv)
{
	struct scenario *sc;
	unsigned nerr = 0;
	const char *path = NULL;
	int i;

	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
			puts("usage: xcsim check [SCENARIO]\n\n"
			    "Validates SCENARIO (default: the built-in one) and "
			    "prints every error as\nFILE:LINE:COL: error: what "
			    "(hint). Exit 0 if valid, 2 if not.");
			return 0;
		}
		if (argv[i][0] == '-' || path != NULL) {
			fprintf(stderr, "usage: xcsim check [SCENARIO]\n");
			return 2;
		}
		path = argv[i];
	}
	if ((sc = load(path, &nerr)) == NULL) {
		fprintf(stderr, "%s: %u error%s\n", path ? path : DEFAULT_NAME,
		    nerr, nerr == 1 ? "" : "s");
		return 2;
	}
	printf("%s: ok (%zu nodes, %zu links, %zu apps, %zu assertions)\n",
	    path ? path : DEFAULT_NAME, sc->n_nodes, sc->n_links, sc->n_apps,
	    sc->n_asserts);
	scenario_free(sc);
	return 0;
}

int
cmd_trace(int argc, char **argv)
{
	struct trace_reader *rd;
	struct trace_rec rec;
	char err[512], *line;
	size_t cap = 1 << 16;
	int rc;

	if (argc >= 2 && (strcmp(argv[1], "--help") == 0 ||
	    strcmp(argv[1], "-h") == 0)) {
		puts("usage: xcsim trace dump FILE\n\n"
		    "Prints every record of a trace file as one JSON object "
		    "per line.\nThe format is described in docs/trace-format.md.");
		return 0;
	}
	if (argc != 3 || strcmp(argv[1], "dump") != 0) {
		fprintf(stderr, "usage: xcsim trace dump FILE\n");
		return 2;
	}
	if ((rd = trace_reader_open(argv[2], err, sizeof(err))) == NULL) {
		fprintf(stderr, "xcsim trace: %s: %s\n", argv[2], err);
		return 2;
	}
	line = malloc(cap);
	if (line == NULL) {
		trace_reader_close(rd);
		return 2;
	}
	while ((rc = trace_reader_next(rd, &rec, err, sizeof(err))) > 0) {
		trace_rec_json(&rec, line, cap);
		puts(line);
	}
	free(line);
	trace_reader_close(rd);
	if (rc < 0) {
		fflush(stdout);
		fprintf(stderr, "xcsim trace: %s: %s\n", argv[2], err);
		return 2;
	}
	return 0;
}

int
cmd_schema(int argc, char **argv)
{
	if (argc == 2 && strcmp(argv[1], "--reference") == 0) {
		scenario_write_reference(stdout);
		return 0;
	}
	if (argc != 1) {
		puts("usage: xcsim schema [--reference]\n\n"
		    "Prints the JSON Schema of scenario files (the committed copy "
		    "is\nscenarios/schema.json), or with --reference the Markdown "
		    "field reference\n(docs/scenario-reference.md).");
		return strcmp(argv[1], "--help") == 0 ? 0 : 2;
	}
	scenario_write_schema(stdout);
	return 0;
}
