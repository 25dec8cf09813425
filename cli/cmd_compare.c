/*
 * cmd_compare.c - xcsim compare: options into struct cmp_opts, signals
 * counted for compare_run (compare/compare.h, docs/compare.md).
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd.h"
#include "compare.h"
#include "units.h"
#include "util.h"

static volatile sig_atomic_t nsig, first_sig;

static void
on_signal(int sig)
{
	if (nsig == 0)
		first_sig = sig;
	if (nsig < 1000)
		nsig++;
}

static void
catch_signals(void)
{
	struct sigaction sa, old;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	/* a shell starts background jobs with SIGINT ignored: keep it so */
	if (sigaction(SIGINT, NULL, &old) == 0 && old.sa_handler != SIG_IGN)
		sigaction(SIGINT, &sa, NULL);
	if (sigaction(SIGHUP, NULL, &old) == 0 && old.sa_handler != SIG_IGN)
		sigaction(SIGHUP, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
}

static void
usage(FILE *out)
{
	fputs("usage: xcsim compare DESIGN.yaml... [--traffic FILE] [--seeds N]\n"
	    "                     [--set FIELD=V1,V2,...]... [--out DIR] [--jobs J]\n"
	    "                     [--no-plots]\n\n"
	    "Runs each design (a scenario file) with the same traffic over seeds\n"
	    "1..N and every combination of the --set values, in parallel, and\n"
	    "prints one table: RTT p50/p99 (ping), transaction latency p50/p99/\n"
	    "p99.9 (request_response), goodput (tcp_bulk), loss, time to fail over\n"
	    "and to converge after the first link fault, each as the mean and the\n"
	    "half-width of its 95% confidence interval over the seeds. Writes\n"
	    "DIR/compare.csv, DIR/compare.json, DIR/plots/*.png and each run's\n"
	    "outputs in DIR/DESIGN/SET/seed-N/. Runs finished there before with\n"
	    "the same inputs are reused. docs/compare.md says how each figure is\n"
	    "measured.\n\n"
	    "  --traffic FILE  apps and assertions run in every design in place of\n"
	    "                  its own; endpoints name a node, or a role one node\n"
	    "                  of the design has (azure-vm, oci-instance)\n"
	    "  --seeds N       seeds 1..N (default 5)\n"
	    "  --set F=V1,V2   sweep: F a path into the scenario (duration,\n"
	    "                  links.NAME.delay, apps.NAME.interval, ...); one\n"
	    "                  row per value (repeat --set for combinations of\n"
	    "                  other fields; at most 100000 runs in all, seeds\n"
	    "                  from --seeds, not --set seed)\n"
	    "  --out DIR       output directory (default compare-out)\n"
	    "  --jobs J        runs at once, one process each (default: the\n"
	    "                  number of online CPUs)\n"
	    "  --no-plots      no PNG plots\n\n"
	    "Ctrl-C or SIGTERM stops launching runs and waits for the running\n"
	    "ones; a second one stops them. The table then covers the runs that\n"
	    "finished, and a later compare into DIR reuses them.\n\n"
	    "exit status: 0 ok, 1 a run or an assertion failed, 2 bad input,\n"
	    "128 + N stopped by signal N\n", out);
}

int
cmd_compare(int argc, char **argv)
{
	struct cmp_opts o = { 0 };
	struct cmp_set *sets = NULL;
	const char **designs = xcalloc((size_t)argc, sizeof(*designs));
	char err[512];
	long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
	uint64_t v;
	size_t i;
	int rc = 2, a;

	o.seeds = 5;
	o.out = "compare-out";
	o.jobs = ncpu > 0 ? (ncpu > CMP_JOBS_MAX ? CMP_JOBS_MAX :
	    (unsigned)ncpu) : 1;
	o.plots = true;
	for (a = 1; a < argc; a++) {
		const char *opt = argv[a];

		if (strcmp(opt, "--help") == 0 || strcmp(opt, "-h") == 0) {
			usage(stdout);
			rc = 0;
			goto out;
		}
		if (strcmp(opt, "--no-plots") == 0) {
			o.plots = false;
			continue;
		}
		if (opt[0] != '-') {
			designs[o.n_designs++] = opt;
			continue;
		}
		if (strcmp(opt, "--traffic") != 0 && strcmp(opt, "--seeds") !=
		    0 && strcmp(opt, "--set") != 0 && strcmp(opt, "--out") !=
		    0 && strcmp(opt, "--jobs") != 0) {
			fprintf(stderr, "xcsim compare: unknown option '");
			fputs_escaped(opt, stderr);
			fprintf(stderr, "' (see xcsim compare --help)\n");
			goto out;
		}
		if (!cli_need(a, argc, argv))
			goto out;
		a++;
		if (strcmp(opt, "--traffic") == 0) {
			o.traffic = argv[a];
		} else if (strcmp(opt, "--out") == 0) {
			o.out = argv[a];
		} else if (strcmp(opt, "--set") == 0) {
			sets = xrealloc(sets, (o.n_sets + 1) * sizeof(*sets));
			if (cmp_set_parse(argv[a], &sets[o.n_sets], err,
			    sizeof(err)) < 0) {
				fprintf(stderr, "xcsim compare: %s\n", err);
				goto out;
			}
			o.n_sets++;
		} else if (!units_parse_uint(argv[a], &v) || v == 0 ||
		    v > (strcmp(opt, "--seeds") == 0 ? CMP_SEEDS_MAX :
		    CMP_JOBS_MAX)) {
			fprintf(stderr, "xcsim compare: %s '", opt);
			fputs_escaped(argv[a], stderr);
			fprintf(stderr, "': a whole number from 1 to %u\n",
			    strcmp(opt, "--seeds") == 0 ? CMP_SEEDS_MAX :
			    CMP_JOBS_MAX);
			goto out;
		} else if (strcmp(opt, "--seeds") == 0) {
			o.seeds = (unsigned)v;
		} else {
			o.jobs = (unsigned)v;
		}
	}
	if (o.n_designs == 0) {
		usage(stderr);
		goto out;
	}
	o.designs = designs;
	o.sets = sets;
	o.progress = isatty(STDERR_FILENO);
	o.nsig = &nsig;
	o.sig = &first_sig;
	catch_signals();
	rc = compare_run(&o, stdout, stderr);
out:
	for (i = 0; i < o.n_sets; i++)
		cmp_set_free(&sets[i]);
	free(sets);
	free(designs);
	return rc;
}
