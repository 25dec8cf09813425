/*
 * cmd_emulate.c - xcsim emulate: a scenario run in real time.
 *
 * The same run as xcsim run (models/scenario/scenario_run), driven by the
 * real-time kernel (sim/realtime) instead of as fast as possible. With
 * nothing attached its outputs are xcsim run's, byte for byte, except for
 * the one line of metrics.json holding the "emulation" member (lateness).
 *
 * Signals: as xcsim run (cmd_run.c). The first SIGINT, SIGTERM, SIGHUP
 * (the terminal went away) or SIGQUIT stops between two events, ends what
 * the emulation started (the cleanup registry, sim/emu_cleanup.h) and
 * writes complete outputs marked interrupted; exit 128 + the signal. A
 * second one SIGKILLs the registered children, unlinks the temporary files
 * and ends the process at once. A crash (SIGSEGV, SIGABRT, ...) SIGKILLs
 * the children too, and exit() (out of memory) runs the whole registry.
 * SIGPIPE is ignored (a write to a closed socket is an error to report, not
 * the end), and SIGCHLD has its default action: ignored, the kernel would
 * reap the children before the registry could read their status.
 *
 * --routes NAME (repeatable) writes, with the other outputs, the routing
 * table NAME as `xcsim routes --node NAME` prints it, as it stands when the
 * emulation stops: DIR/routes-NAME.txt ('/' of NODE/VRF written '@'), under
 * a temporary name renamed with the rest (run_write_extra). The names are
 * resolved before the emulation starts, so a wrong one costs no run.
 *
 * The handlers and the atexit function belong to this process only: a
 * forked child (before its exec, or one that never execs) runs none of
 * them (they re-raise with the default action, or return), whatever it
 * calls; emu_child_init resets them too.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cmd.h"
#include "emu_cleanup.h"
#include "outfile.h"
#include "query.h"
#include "realtime.h"
#include "scenario.h"
#include "scenario_run.h"
#include "sim.h"
#include "wire.h"

/* Not the walkthrough: see CMakeLists.txt (EMULATE_SCENARIO). */
extern const char xcsim_emulate_scenario[];
extern const size_t xcsim_emulate_scenario_len;

#define DEFAULT_NAME "six-routers.yaml (built-in)"
#define EXIT_EMU_FAILED 4

/* What the signal handlers may touch: set before they can need them. */
static volatile sig_atomic_t got_signal;
static struct outdir *volatile sig_outdir;
static struct emu_cleanup *volatile sig_cleanup;
static volatile pid_t sig_owner;	/* the process the handlers serve */

static void
reraise(int sig)
{
	signal(sig, SIG_DFL);
	raise(sig);
}

static void
on_signal(int sig)
{
	if (getpid() != sig_owner) {
		reraise(sig);
		return;
	}
	if (got_signal == 0) {
		/* The loop reads it between events and after every wake-up. */
		got_signal = sig;
		return;
	}
	emu_cleanup_kill_now(sig_cleanup);
	if (sig_outdir != NULL)
		outdir_unlink_temps(sig_outdir);
	reraise(sig);
}

/* A crash: no child outlives us, no temporary file stays. */
static void
on_fatal(int sig)
{
	if (getpid() != sig_owner) {
		reraise(sig);
		return;
	}
	emu_cleanup_kill_now(sig_cleanup);
	if (sig_outdir != NULL)
		outdir_unlink_temps(sig_outdir);
	signal(sig, SIG_DFL);
	raise(sig);
}

/* exit() while emulating (out of memory): undo everything. */
static void
on_exit_cleanup(void)
{
	if (getpid() != sig_owner)
		return;		/* a forked child's exit(): not ours to undo */
	if (sig_outdir != NULL)
		outdir_unlink_temps(sig_outdir);
	emu_cleanup_run(sig_cleanup);
}

static void
catch_signals(void)
{
	static const int fatal[] = { SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGABRT };
	struct sigaction sa, old;
	size_t i;

	sig_owner = getpid();
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
	signal(SIGPIPE, SIG_IGN);
	signal(SIGCHLD, SIG_DFL);
	sa.sa_handler = on_fatal;
	sa.sa_flags = SA_RESETHAND;
	for (i = 0; i < sizeof(fatal) / sizeof(fatal[0]); i++)
		sigaction(fatal[i], &sa, NULL);
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

static const char *
sig_verb(int sig)
{
	switch (sig) {
	case SIGINT:
		return "interrupted";
	case SIGHUP:
		return "hung up";
	case SIGQUIT:
		return "quit";
	default:
		return "terminated";
	}
}

static void
print_err(const char *err)
{
	fputs("xcsim emulate: ", stderr);
	fputs_escaped(err, stderr);
	fputc('\n', stderr);
}

static double
wall_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static void
emulate_usage(FILE *out)
{
	fputs("usage: xcsim emulate [SCENARIO] [--duration T] [--seed N] [--out DIR]\n"
	    "                     [--late-policy warn|stop] [--late-bound T]\n"
	    "                     [--listen ADDR|any]... [--routes NAME]... [--quiet]\n\n"
	    "Runs SCENARIO (default: the six-router example, scenarios/examples/\n"
	    "six-routers.yaml, built in: the walkthrough that xcsim run plays by\n"
	    "default spends its first hour provisioning) in real time: simulated time\n"
	    "follows the wall clock, with the same models and the same events, in\n"
	    "the same order, as xcsim run. Outputs as xcsim run (DIR defaults to\n"
	    "./out); with nothing attached they are the same bytes, except that\n"
	    "metrics.json has one more line, the \"emulation\" member: how late\n"
	    "the events ran (also in the summary). See docs/emulation.md.\n\n"
	    "  --duration T      run for T simulated (= wall) time instead of the\n"
	    "                    scenario's duration; without either, until Ctrl-C\n"
	    "  --seed N          override the scenario's random seed\n"
	    "  --out DIR         output directory\n"
	    "  --late-policy P   warn (default): keep going and warn, at most once a\n"
	    "                    second, about events later than the bound; stop:\n"
	    "                    stop at the first one, naming it\n"
	    "  --late-bound T    the bound (default 100ms)\n"
	    "  --listen ADDR     let real BGP sockets (emulation: bgp_sockets) listen\n"
	    "                    on ADDR, not only on loopback (127.0.0.0/8);\n"
	    "                    repeatable; any: every address\n"
	    "  --routes NAME     when the emulation stops, write the routing table\n"
	    "                    NAME (as xcsim routes --node NAME: an alias,\n"
	    "                    NODE/VRF or NODE) to DIR/routes-NAME.txt, a '/'\n"
	    "                    written '@'; repeatable\n"
	    "  --quiet           print only failures\n\n"
	    "Ctrl-C, SIGTERM, SIGHUP or SIGQUIT stops between two events, ends\n"
	    "what the emulation started and writes the outputs so far; a second\n"
	    "one stops at once.\n\n"
	    "exit status: 0 all assertions passed, 1 an assertion failed, 2 bad\n"
	    "input or outputs that cannot be written, 3 out of memory, 4 stopped\n"
	    "by --late-policy stop or a failure of the emulation (a child process\n"
	    "died; outputs written), 128 + N stopped by signal N (130 SIGINT,\n"
	    "143 SIGTERM, 129 SIGHUP, 131 SIGQUIT)\n",
	    out);
}

static int
parse_time_opt(const char *opt, const char *v, sim_time *t)
{
	char err[256];

	if (units_parse_time(v, 0, t, err, sizeof(err)) < 0) {
		fprintf(stderr, "xcsim emulate: %s '", opt);
		fputs_escaped(v, stderr);
		fprintf(stderr, "': %s\n", err);
		return -1;
	}
	if (*t <= 0 || *t > SIM_S(3600) * 100000) {
		fprintf(stderr, "xcsim emulate: %s must be more than 0 and at "
		    "most 100000h\n", opt);
		return -1;
	}
	return 0;
}

#define EMULATE_LISTEN_MAX 64
#define EMULATE_ROUTES_MAX 16

/* The --routes tables: names as given, then resolved and their files. */
struct routes_req {
	size_t n;
	const char *name[EMULATE_ROUTES_MAX];
	struct query_table t[EMULATE_ROUTES_MAX];
	char rel[EMULATE_ROUTES_MAX][200];
};

/* --listen ADDR|any into o (listen: the caller's EMULATE_LISTEN_MAX). */
static int
parse_listen(const char *v, struct run_opts *o, uint32_t *listen)
{
	uint32_t a;

	if (strcmp(v, "any") == 0) {
		o->listen_any = true;
		return 0;
	}
	if (o->n_listen == EMULATE_LISTEN_MAX) {
		fprintf(stderr, "xcsim emulate: more than %d --listen "
		    "addresses (--listen any takes every one)\n",
		    EMULATE_LISTEN_MAX);
		return -1;
	}
	if (wire_ip_parse(v, &a) != 0) {
		fprintf(stderr, "xcsim emulate: --listen '");
		fputs_escaped(v, stderr);
		fprintf(stderr, "' is not an IPv4 address or any\n");
		return -1;
	}
	listen[o->n_listen++] = a;
	o->listen = listen;
	return 0;
}

/* Options into o and cfg; -1 = exit with *rc. */
static int
parse(int argc, char **argv, struct run_opts *o, struct rt_cfg *cfg,
    const char **path, const char **out, bool *quiet, uint32_t *listen,
    struct routes_req *rq, int *rc)
{
	int i;

	*rc = 2;
	for (i = 1; i < argc; i++) {
		const char *a = argv[i];
		bool has = i + 1 < argc;

		if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
			emulate_usage(stdout);
			*rc = 0;
			return -1;
		} else if (strcmp(a, "--quiet") == 0 || strcmp(a, "-q") == 0) {
			*quiet = true;
			continue;
		} else if (a[0] != '-') {
			if (*path != NULL) {
				fprintf(stderr, "xcsim emulate: more than one "
				    "scenario\n");
				return -1;
			}
			*path = a;
			continue;
		}
		if (!has) {
			fprintf(stderr, "xcsim emulate: %s needs a value\n", a);
			return -1;
		}
		if (strcmp(a, "--seed") == 0) {
			if (!units_parse_uint(argv[++i], &o->seed)) {
				fprintf(stderr, "xcsim emulate: --seed '");
				fputs_escaped(argv[i], stderr);
				fprintf(stderr, "' is not a non-negative "
				    "integer\n");
				return -1;
			}
			o->seed_set = true;
		} else if (strcmp(a, "--duration") == 0) {
			if (parse_time_opt(a, argv[++i], &o->until) < 0)
				return -1;
			o->until_set = true;
		} else if (strcmp(a, "--late-bound") == 0) {
			if (parse_time_opt(a, argv[++i], &cfg->late_bound) < 0)
				return -1;
		} else if (strcmp(a, "--late-policy") == 0) {
			if (strcmp(argv[++i], "warn") == 0) {
				cfg->policy = RT_LATE_WARN;
			} else if (strcmp(argv[i], "stop") == 0) {
				cfg->policy = RT_LATE_STOP;
			} else {
				fprintf(stderr, "xcsim emulate: --late-policy "
				    "is warn or stop\n");
				return -1;
			}
		} else if (strcmp(a, "--out") == 0) {
			*out = argv[++i];
		} else if (strcmp(a, "--listen") == 0) {
			if (parse_listen(argv[++i], o, listen) < 0)
				return -1;
		} else if (strcmp(a, "--routes") == 0) {
			if (rq->n == EMULATE_ROUTES_MAX) {
				fprintf(stderr, "xcsim emulate: more than %d "
				    "--routes tables\n", EMULATE_ROUTES_MAX);
				return -1;
			}
			rq->name[rq->n++] = argv[++i];
		} else {
			fprintf(stderr, "xcsim emulate: unknown option '");
			fputs_escaped(a, stderr);
			fprintf(stderr, "' (see xcsim emulate --help)\n");
			return -1;
		}
	}
	return 0;
}

static struct scenario *
load(const char *path, const struct run_opts *o, unsigned *nerr)
{
	struct sc_load_opts lo = { o->seed_set, o->seed };

	if (path == NULL)
		return scenario_load_buffer_opts(DEFAULT_NAME,
		    xcsim_emulate_scenario, xcsim_emulate_scenario_len, &lo,
		    stderr, nerr);
	return scenario_load_file_opts(path, &lo, stderr, nerr);
}

/*
 * Resolve the --routes names in r's network and name their files; -1
 * after saying why (an unknown table, two names for one file).
 */
static int
routes_resolve(struct routes_req *rq, struct run *r,
    const struct scenario *sc)
{
	char err[512], *c;
	size_t i, j;

	for (i = 0; i < rq->n; i++) {
		if (query_resolve(run_net(r), sc, rq->name[i], &rq->t[i], err,
		    sizeof(err)) < 0) {
			fprintf(stderr, "xcsim emulate: --routes: ");
			fputs_escaped(err, stderr);
			fputc('\n', stderr);
			return -1;
		}
		if (snprintf(rq->rel[i], sizeof(rq->rel[i]), "%s%s%s",
		    RUN_EXTRA_PREFIX, rq->name[i], RUN_EXTRA_SUFFIX) >=
		    (int)sizeof(rq->rel[i])) {
			fprintf(stderr, "xcsim emulate: --routes: name too "
			    "long\n");
			return -1;
		}
		while ((c = strchr(rq->rel[i], '/')) != NULL)
			*c = '@';
		for (j = 0; j < i; j++)
			if (strcmp(rq->rel[j], rq->rel[i]) == 0) {
				fprintf(stderr, "xcsim emulate: --routes: ");
				fputs_escaped(rq->name[i], stderr);
				fprintf(stderr, " and ");
				fputs_escaped(rq->name[j], stderr);
				fprintf(stderr, " would both be %s\n",
				    rq->rel[i]);
				return -1;
			}
	}
	return 0;
}

static void
routes_print(void *ctx, FILE *f)
{
	query_routes(f, ctx, 0, 33, false);
}

static int
routes_write(struct routes_req *rq, struct run *r, char *err, size_t errlen)
{
	size_t i;

	for (i = 0; i < rq->n; i++)
		if (run_write_extra(r, rq->rel[i], routes_print, &rq->t[i],
		    err, errlen) < 0)
			return -1;
	return 0;
}

/* Free the run, then the registry (which ends whatever is left). */
static void
finish(struct run *r, struct scenario *sc, struct emu_cleanup *c)
{
	run_free(r);
	scenario_free(sc);
	sig_cleanup = NULL;
	emu_cleanup_free(c);
}

int
cmd_emulate(int argc, char **argv)
{
	const char *path = NULL, *out = "out";
	struct run_opts o = { 0 };
	struct rt_cfg cfg = { .policy = RT_LATE_WARN };
	struct emu_cleanup *cleanup;
	struct scenario *sc;
	struct run *r;
	enum rt_stop why;
	char err[512];
	unsigned nerr = 0, failed = 0;
	bool quiet = false;
	uint32_t listen[EMULATE_LISTEN_MAX];
	static struct routes_req rq;
	double w0;
	int rc, sig;

	if (parse(argc, argv, &o, &cfg, &path, &out, &quiet, listen, &rq,
	    &rc) < 0)
		return rc;
	catch_signals();
	atexit(on_exit_cleanup);
	if ((sc = load(path, &o, &nerr)) == NULL) {
		fprintf(stderr, "%s: %u error%s\n", path ? path : DEFAULT_NAME,
		    nerr, nerr == 1 ? "" : "s");
		return 2;
	}
	sig_cleanup = cleanup = emu_cleanup_new();
	o.out_dir = out;
	o.stop = &got_signal;
	o.outdir_pub = &sig_outdir;
	o.rt_cfg = &cfg;
	o.cleanup = cleanup;
	if (got_signal || (r = run_new(sc, &o, err, sizeof(err))) == NULL) {
		if (!got_signal)
			print_err(err);
		finish(NULL, sc, cleanup);
		return got_signal ? 128 + got_signal : 2;
	}
	if (routes_resolve(&rq, r, sc) < 0) {
		finish(r, sc, cleanup);
		return 2;
	}
	w0 = wall_now();
	why = rt_run(run_rt(r), run_end_time(r), &got_signal);
	/*
	 * Whether the run was complete is decided here: a signal while the
	 * cleanup below waits for a daemon does not make it interrupted.
	 */
	sig = why == RT_STOPPED ? got_signal : 0;
	/* The emulation is over: end what it started before writing. */
	emu_cleanup_run(cleanup);
	if (why == RT_TOO_LATE || why == RT_ERROR) {
		char a[32];

		run_interrupt(r);
		fprintf(stderr, "xcsim emulate: stopped at %s simulated: ",
		    units_fmt_time(a, sizeof(a), sim_now(run_sim(r))));
		fputs_escaped(rt_error(run_rt(r)), stderr);
		fputs("; writing the outputs so far, assertions not checked\n",
		    stderr);
	} else if (sig != 0) {
		char a[32];

		run_interrupt(r);
		fprintf(stderr, "xcsim emulate: %s at %s simulated: writing "
		    "the outputs so far, assertions not checked (again to stop "
		    "at once)\n", sig_verb(sig),
		    units_fmt_time(a, sizeof(a), sim_now(run_sim(r))));
	} else {
		failed = run_check(r, quiet ? NULL : stdout);
	}
	rc = run_write(r, err, sizeof(err));
	if (rc == 0)
		rc = routes_write(&rq, r, err, sizeof(err));
	if (rc == 0) {
		hold_signals(true);
		rc = run_commit(r, err, sizeof(err));
	}
	sig_outdir = NULL;
	hold_signals(false);
	if (sig == 0 && got_signal != 0)
		sig = got_signal;
	if (rc < 0) {
		print_err(err);
		finish(r, sc, cleanup);
		return sig ? 128 + sig : 2;
	}
	if (!quiet) {
		run_summary(r, stdout);
		printf("  wall time %.3f s; outputs in ", wall_now() - w0);
		fputs_escaped(out, stdout);
		puts("/");
	}
	if (failed)
		fprintf(stderr, "xcsim emulate: %u assertion%s failed\n",
		    failed, failed == 1 ? "" : "s");
	finish(r, sc, cleanup);
	if (sig)
		return 128 + sig;
	if (why == RT_TOO_LATE || why == RT_ERROR)
		return EXIT_EMU_FAILED;
	return failed ? 1 : 0;
}
