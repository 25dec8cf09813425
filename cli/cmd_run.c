/*
 * cmd_run.c - xcsim run, check, trace dump and schema.
 *
 * Signals: the first SIGINT, SIGTERM, SIGHUP (the terminal went away) or
 * SIGQUIT stops the simulation between two events and the run writes
 * complete outputs up to that instant (marked interrupted), checks no
 * assertion and exits 128 + the signal number. A second one ends the
 * process at once, after unlinking every temporary file. The renames that
 * put outputs into place run with these signals held off, so the output
 * directory holds a whole run or none of this one.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cmd.h"
#include "outfile.h"
#include "scenario.h"
#include "scenario_run.h"
#include "sim.h"
#include "trace.h"

extern const char xcsim_default_scenario[];
extern const size_t xcsim_default_scenario_len;


/* What the signal handler may touch: set before it can need them. */
static volatile sig_atomic_t got_signal;
static struct outdir *volatile sig_outdir;

static void
on_signal(int sig)
{
	if (got_signal == 0) {
		/*
		 * All a handler may do: set a volatile sig_atomic_t. The
		 * event loop reads it after every event (sim_set_stop_flag),
		 * so the run stops between two events.
		 */
		got_signal = sig;
		return;
	}
	/* The second one: no waiting, but no temporary file left behind. */
	if (sig_outdir != NULL)
		outdir_unlink_temps(sig_outdir);
	signal(sig, SIG_DFL);
	raise(sig);
}

/*
 * At exit(): after out of memory (xcsim_oom) or any other exit while a run
 * holds temporary files, remove them (allocates nothing). On every normal
 * path the run is freed first, which withdraws sig_outdir.
 */
static void
on_exit_remove_temps(void)
{
	if (sig_outdir != NULL)
		outdir_unlink_temps(sig_outdir);
}

static void
catch_signals(void)
{
	struct sigaction sa, old;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	/* A shell starts background jobs with SIGINT ignored: keep it so. */
	if (sigaction(SIGINT, NULL, &old) == 0 && old.sa_handler != SIG_IGN)
		sigaction(SIGINT, &sa, NULL);
	/* nohup ignores SIGHUP: keep that too */
	if (sigaction(SIGHUP, NULL, &old) == 0 && old.sa_handler != SIG_IGN)
		sigaction(SIGHUP, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGQUIT, &sa, NULL);
}

/* Errors may quote --out or scenario text: escape control characters. */
static void
print_err(const char *err)
{
	fputs("xcsim run: ", stderr);
	fputs_escaped(err, stderr);
	fputc('\n', stderr);
}

static void
hold_signals(bool hold)
{
	sigset_t set;

	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGHUP);
	sigaddset(&set, SIGQUIT);
	sigprocmask(hold ? SIG_BLOCK : SIG_UNBLOCK, &set, NULL);
}

struct scenario *
cli_load(const char *path, unsigned *nerr)
{
	if (path == NULL)
		return scenario_load_buffer(CLI_DEFAULT_NAME,
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
	fputs("usage: xcsim run [SCENARIO] [--seed N] [--until TIME] [--out DIR] [--quiet]\n"
	    "                 [--verbose]\n\n"
	    "Runs SCENARIO (a YAML file; without one, the built-in default: the seed\n"
	    "walkthrough, scenarios/labs/01-walkthrough.yaml: the Azure <-> OCI\n"
	    "interconnect provisioned step by step in simulated time, the circuit,\n"
	    "peering and virtual circuit verified, database queries, ping and\n"
	    "traceroute across, then the primary cross-connect cut and the failover).\n"
	    "Writes DIR/trace.xct, DIR/pcap/NODE/IFACE.pcap, DIR/metrics.json and\n"
	    "DIR/metrics.csv (DIR defaults to ./out) and prints a summary and the\n"
	    "assertion results. DIR/.xcsim-outputs lists what the run wrote; the\n"
	    "next run into DIR removes the files it lists and does not write again.\n"
	    "Outputs appear together when the run is complete, or not at all.\n\n"
	    "  --seed N      override the scenario's random seed\n"
	    "  --until TIME  stop earlier than the scenario's duration (e.g. 500ms,\n"
	    "                2s, 5m); beyond it is an error\n"
	    "  --out DIR     output directory (created if missing; not followed if\n"
	    "                it is a symbolic link: write DIR/ for that)\n"
	    "  --quiet       print only failures\n"
	    "  --verbose     with a timeline: one line per operation and the whole\n"
	    "                summary (by default the operations that went as expected\n"
	    "                are counted in one line and the summary is its first line)\n\n"
	    "Ctrl-C, SIGTERM, SIGHUP or SIGQUIT stops the run between two events\n"
	    "and writes its outputs up to then, without checking assertions; a\n"
	    "second one stops at once and removes the unfinished files.\n\n"
	    "exit status: 0 all assertions passed, 1 an assertion failed, 2 bad\n"
	    "input or outputs that cannot be written, 3 out of memory, 128 + N\n"
	    "stopped by signal N (130 SIGINT, 143 SIGTERM, 129 SIGHUP, 131 SIGQUIT)\n",
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
	size_t folded = 0;
	bool quiet = false, verbose = false, tty = isatty(STDERR_FILENO), shown = false;
	double w0;
	int i, rc, sig;

	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
			run_usage(stdout);
			return 0;
		} else if (strcmp(argv[i], "--seed") == 0) {
			if (!need_arg(i, argc, argv))
				return 2;
			if (!units_parse_uint(argv[++i], &o.seed)) {
				fprintf(stderr, "xcsim run: --seed '");
				fputs_escaped(argv[i], stderr);
				fprintf(stderr, "' is not a non-negative integer "
				    "(decimal, or hexadecimal after 0x)\n");
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
		} else if (strcmp(argv[i], "--verbose") == 0 ||
		    strcmp(argv[i], "-v") == 0) {
			verbose = true;
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
	catch_signals();
	atexit(on_exit_remove_temps);
	if ((sc = cli_load(path, &nerr)) == NULL) {
		fprintf(stderr, "%s: %u error%s\n", path ? path : CLI_DEFAULT_NAME,
		    nerr, nerr == 1 ? "" : "s");
		return 2;
	}
	if (o.until_set && sc->duration > 0 && o.until > sc->duration) {
		char a[32], b[32];

		fprintf(stderr, "xcsim run: --until %s is beyond the scenario's "
		    "duration (%s): --until only ends a run earlier; change "
		    "duration in the scenario to run longer\n",
		    units_fmt_time(a, sizeof(a), o.until),
		    units_fmt_time(b, sizeof(b), sc->duration));
		scenario_free(sc);
		return 2;
	}
	o.out_dir = out;
	o.stop = &got_signal;
	o.outdir_pub = &sig_outdir;	/* before the first temporary file */
	if (got_signal || (r = run_new(sc, &o, err, sizeof(err))) == NULL) {
		if (!got_signal)
			print_err(err);
		scenario_free(sc);
		return got_signal ? 128 + got_signal : 2;
	}
	/* Advance in slices so a long run can show progress on a terminal. */
	w0 = wall_now();
	{
		sim_time end = run_end_time(r), step, t = 0;

		step = end == SIM_TIME_MAX ? SIM_TIME_MAX : end / 200 + 1;
		while (!got_signal) {
			t = step == SIM_TIME_MAX || t > end - step ? end :
			    t + step;
			if (!run_advance(r, t) || got_signal)
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
	if ((sig = got_signal) != 0) {
		char a[32];

		run_interrupt(r);
		fprintf(stderr, "xcsim run: %s at %s simulated: writing the "
		    "outputs so far, assertions not checked (again to stop at "
		    "once)\n", sig == SIGINT ? "interrupted" : sig == SIGHUP ?
		    "hung up" : sig == SIGQUIT ? "quit" : "terminated",
		    units_fmt_time(a, sizeof(a), sim_now(run_sim(r))));
		failed = 0;
	} else if (verbose) {
		failed = run_check(r, quiet ? NULL : stdout);
	} else {
		/*
		 * A timeline makes one operation assertion per item: counted
		 * in one line, with the summary's first line only (the story
		 * is in the assertions), unless --verbose.
		 */
		failed = run_check_folded(r, quiet ? NULL : stdout, &folded);
	}
	rc = run_write(r, err, sizeof(err));
	if (rc == 0) {
		hold_signals(true);
		rc = run_commit(r, err, sizeof(err));
	}
	sig_outdir = NULL;	/* nothing temporary is left to remove */
	hold_signals(false);
	/* A signal while the outputs were written: they are whole; say so. */
	if (sig == 0 && got_signal != 0)
		sig = got_signal;
	if (rc < 0) {
		print_err(err);
		run_free(r);
		scenario_free(sc);
		return sig ? 128 + sig : 2;
	}
	if (!quiet) {
		if (folded > 0)
			run_summary_head(r, stdout);
		else
			run_summary(r, stdout);
		printf("  wall time %.3f s; outputs in ", wall_now() - w0);
		fputs_escaped(out, stdout);
		puts("/");
	}
	if (failed)
		fprintf(stderr, "xcsim run: %u assertion%s failed\n", failed,
		    failed == 1 ? "" : "s");
	run_free(r);
	scenario_free(sc);
	if (sig)
		return 128 + sig;
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
	if ((sc = cli_load(path, &nerr)) == NULL) {
		fprintf(stderr, "%s: %u error%s\n", path ? path : CLI_DEFAULT_NAME,
		    nerr, nerr == 1 ? "" : "s");
		return 2;
	}
	printf("%s: ok (%zu nodes, %zu links, %zu apps, %zu assertions)\n",
	    path ? path : CLI_DEFAULT_NAME, sc->n_nodes, sc->n_links, sc->n_apps,
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
