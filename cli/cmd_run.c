/*
 * cmd_run.c - xcsim run, check, trace dump and schema. With --check, run
 * grades the scenario with an instructor's checks file and check validates
 * one (models/scenario/scenario_checks.h, docs/grading.md).
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
#include "scenario_checks.h"
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
cli_load(const char *path, const struct run_opts *o, unsigned *nerr)
{
	struct sc_load_opts lo = { o != NULL && o->seed_set,
	    o != NULL ? o->seed : 0 };

	if (path == NULL)
		return scenario_load_buffer_opts(CLI_DEFAULT_NAME,
		    xcsim_default_scenario, xcsim_default_scenario_len, &lo,
		    stderr, nerr);
	return scenario_load_file_opts(path, &lo, stderr, nerr);
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
	    "                 [--check CHECKS [--json FILE]] [--verbose]\n\n"
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
	    "  --check CHECKS  grade the run with an instructor's checks file\n"
	    "                (docs/grading.md): one PASS/FAIL line per check with\n"
	    "                its points, the total, then the scenario's own\n"
	    "                assertions, which are not graded; exit 1 when a check\n"
	    "                fails, 2 when CHECKS is malformed\n"
	    "  --json FILE   with --check: also write the grade as JSON to FILE\n"
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

/* The scenario, and with --check the checks appended to it (2: bad input). */
static int
load_run(const char *path, const char *checks, const struct run_opts *o,
    struct scenario **scp, struct sc_checks **ckp)
{
	struct sc_load_opts lo = { o->seed_set, o->seed };
	struct sc_src s = { path, NULL, 0, &lo }, c = { checks, NULL, 0, NULL };
	unsigned nerr = 0;

	*ckp = NULL;
	if (checks != NULL) {
		if (path == NULL) {
			s.path = CLI_DEFAULT_NAME;
			s.text = xcsim_default_scenario;
			s.len = xcsim_default_scenario_len;
		}
		return sc_checks_load(&s, &c, stderr, scp, ckp);
	}
	if ((*scp = cli_load(path, o, &nerr)) == NULL) {
		fprintf(stderr, "%s: %u error%s\n", path ? path : CLI_DEFAULT_NAME,
		    nerr, nerr == 1 ? "" : "s");
		return 2;
	}
	return 0;
}

/* The grade as JSON, written as FILE.tmp and renamed into place. */
static int
write_grade_json(const struct sc_checks *ck, const char *path)
{
	struct outfile *of;
	char err[512];
	FILE *f;
	int fd;

	if ((of = outfile_create_path(path, &fd, err, sizeof(err))) == NULL) {
		print_err(err);
		return -1;
	}
	if ((f = fdopen(fd, "w")) == NULL) {
		snprintf(err, sizeof(err), "%s: %s", outfile_tmp_path(of),
		    strerror(errno));
		close(fd);
		outfile_abort(of);
		print_err(err);
		return -1;
	}
	sc_checks_json(ck, f);
	if (fflush(f) != 0 || ferror(f)) {
		snprintf(err, sizeof(err), "%s: write failed",
		    outfile_tmp_path(of));
		fclose(f);
		outfile_abort(of);
		print_err(err);
		return -1;
	}
	fclose(f);
	if (outfile_commit(of, err, sizeof(err)) < 0) {
		print_err(err);
		return -1;
	}
	return 0;
}

int
cmd_run(int argc, char **argv)
{
	const char *path = NULL, *out = "out", *checks = NULL, *json = NULL;
	struct sc_checks *ck = NULL;
	struct run_opts o = { 0 };
	struct scenario *sc;
	struct run *r;
	char err[512];
	unsigned failed;
	size_t folded = 0;
	bool quiet = false, verbose = false, tty = isatty(STDERR_FILENO),
	    shown = false;
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
		} else if (strcmp(argv[i], "--check") == 0) {
			if (!need_arg(i, argc, argv))
				return 2;
			checks = argv[++i];
		} else if (strcmp(argv[i], "--json") == 0) {
			if (!need_arg(i, argc, argv))
				return 2;
			json = argv[++i];
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
	if (json != NULL && checks == NULL) {
		fprintf(stderr, "xcsim run: --json writes the grade of --check: "
		    "give --check CHECKS too\n");
		return 2;
	}
	catch_signals();
	atexit(on_exit_remove_temps);
	if (load_run(path, checks, &o, &sc, &ck) != 0)
		return 2;
	if (o.until_set && sc->duration > 0 && o.until > sc->duration) {
		char a[32], b[32];

		fprintf(stderr, "xcsim run: --until %s is beyond the scenario's "
		    "duration (%s): --until only ends a run earlier; change "
		    "duration in the scenario to run longer\n",
		    units_fmt_time(a, sizeof(a), o.until),
		    units_fmt_time(b, sizeof(b), sc->duration));
		sc_checks_free(ck);
		scenario_free(sc);
		return 2;
	}
	o.out_dir = out;
	o.stop = &got_signal;
	o.outdir_pub = &sig_outdir;	/* before the first temporary file */
	if (got_signal || (r = run_new(sc, &o, err, sizeof(err))) == NULL) {
		if (!got_signal)
			print_err(err);
		sc_checks_free(ck);
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
	} else if (ck != NULL) {
		failed = sc_checks_judge(ck, r);	/* printed after the run */
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
		sc_checks_free(ck);
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
	if (ck != NULL && sig == 0) {
		sc_checks_print(ck, quiet, stdout);
		if (json != NULL && write_grade_json(ck, json) < 0)
			rc = -1;
	}
	if (failed)
		fprintf(stderr, "xcsim run: %u %s%s failed\n", failed,
		    ck != NULL ? "check" : "assertion", failed == 1 ? "" : "s");
	run_free(r);
	sc_checks_free(ck);
	scenario_free(sc);
	if (rc < 0)
		return 2;
	if (sig)
		return 128 + sig;
	return failed ? 1 : 0;
}

/*
 * xcsim check SCENARIO --check CHECKS: both files valid, and which checks
 * name what the scenario does not have (they could only fail).
 */
static int
check_checks(const char *path, const char *checks)
{
	struct run_opts o = { 0 };
	struct scenario *sc;
	struct sc_checks *ck;
	size_t i, n, bad = 0;
	unsigned long pts = 0;

	if (load_run(path, checks, &o, &sc, &ck) != 0)
		return 2;
	n = sc_checks_count(ck);
	for (i = 0; i < n; i++) {
		pts += sc_checks_points(ck, i);
		if (sc_checks_resolved(ck, i))
			continue;
		bad++;
		fputs_escaped(checks, stdout);
		fputs(": check '", stdout);
		fputs_escaped(sc_checks_name(ck, i), stdout);
		fputs("' does not apply: ", stdout);
		fputs_escaped(sc_checks_message(ck, i), stdout);
		fputc('\n', stdout);
	}
	fputs_escaped(checks, stdout);
	printf(": %s against ", bad ? "valid" : "ok");
	fputs_escaped(path ? path : CLI_DEFAULT_NAME, stdout);
	printf(" (%zu checks, %lu points", n, pts);
	if (bad)
		printf("; %zu do%s not apply", bad, bad == 1 ? "es" : "");
	puts(")");
	sc_checks_free(ck);
	scenario_free(sc);
	return bad ? 1 : 0;
}

int
cmd_check(int argc, char **argv)
{
	struct scenario *sc;
	unsigned nerr = 0;
	const char *path = NULL, *checks = NULL;
	int i;

	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
			puts("usage: xcsim check [SCENARIO] [--check CHECKS]\n\n"
			    "Validates SCENARIO (default: the built-in one) and "
			    "prints every error as\nFILE:LINE:COL: error: what "
			    "(hint). Exit 0 if valid, 2 if not.\n\n"
			    "With --check, also validates the checks file CHECKS "
			    "(docs/grading.md)\nagainst SCENARIO without running "
			    "it, and lists the checks that name\nwhat SCENARIO "
			    "does not have: exit 1 when there are such checks.");
			return 0;
		}
		if (strcmp(argv[i], "--check") == 0) {
			if (!need_arg(i, argc, argv))
				return 2;
			checks = argv[++i];
			continue;
		}
		if (argv[i][0] == '-' || path != NULL) {
			fprintf(stderr, "usage: xcsim check [SCENARIO] "
			    "[--check CHECKS]\n");
			return 2;
		}
		path = argv[i];
	}
	if (checks != NULL)
		return check_checks(path, checks);
	if ((sc = cli_load(path, NULL, &nerr)) == NULL) {
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
