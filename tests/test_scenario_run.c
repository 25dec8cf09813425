/*
 * test_scenario_run.c - a run against the limits of its process: captures
 * of more interfaces than the soft limit on open files allows raise it to
 * the hard limit, and more than the hard limit allows fail before anything
 * is written, saying how many files are needed. Each case runs in a child
 * process, whose limits it lowers with setrlimit.
 */
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "scenario.h"
#include "scenario_run.h"
#include "testutil.h"
#include "util.h"

#define N_NODES 40	/* two interfaces each: 80 captures */

static struct scenario *
many_ifaces(void)
{
	size_t cap = 128 * N_NODES + 200, off;
	char *text = xmalloc(cap);
	struct scenario *sc;
	int i;

	off = (size_t)snprintf(text, cap, "duration: 1ms\nrecord: { pcap: "
	    "all, trace: false, metrics: false }\nnodes:\n");
	for (i = 0; i < N_NODES; i++)
		off += (size_t)snprintf(text + off, cap - off, "  - { name: h%d, "
		    "role: host, interfaces: [{ name: a }, { name: b }] }\n",
		    i);
	sc = scenario_load_buffer("fds.yaml", text, off, stderr, NULL);
	free(text);
	return sc;
}

/* Exit codes of the child: 0 = as expected, else which check failed. */
static int
child(const struct scenario *sc, const char *dir, rlim_t soft, rlim_t hard,
    bool want_ok)
{
	struct rlimit rl = { soft, hard };
	char err[512], path[600];
	struct run *r;
	struct stat st;
	int i;

	if (setrlimit(RLIMIT_NOFILE, &rl) != 0)
		return 10;
	r = run_new(sc, &(struct run_opts){ .out_dir = dir }, err,
	    sizeof(err));
	if (!want_ok) {
		if (r != NULL)
			return 11;
		/* the count of captures, the files needed and the way out */
		if (strstr(err, "captures 80 interfaces, which needs ") == NULL ||
		    strstr(err, "open files, but the limit is 64 (ulimit -n): "
		    "record fewer interfaces, or raise ulimit -n to at least ")
		    == NULL)
			return 12;
		/* nothing was left behind, the directory included */
		return stat(dir, &st) == 0 ? 13 : 0;
	}
	if (r == NULL) {
		fprintf(stderr, "(%s) ", err);
		return 14;
	}
	if (getrlimit(RLIMIT_NOFILE, &rl) != 0 || rl.rlim_cur != hard)
		return 15;
	while (run_advance(r, run_end_time(r)))
		;
	if (run_finish(r, err, sizeof(err)) < 0)
		return 16;
	run_free(r);
	for (i = 0; i < N_NODES; i++) {
		snprintf(path, sizeof(path), "%s/pcap/h%d/b.pcap", dir, i);
		if (stat(path, &st) != 0)
			return 17;
	}
	return 0;
}

static int
in_child(const struct scenario *sc, const char *dir, rlim_t soft,
    rlim_t hard, bool want_ok)
{
	int st = 0;
	pid_t pid;

	fflush(NULL);
	if ((pid = fork()) == 0)
		_exit(child(sc, dir, soft, hard, want_ok));
	if (pid < 0 || waitpid(pid, &st, 0) != pid || !WIFEXITED(st))
		return -1;
	return WEXITSTATUS(st);
}

static void
test_captures_and_open_file_limit(void)
{
	char tmp[] = "/tmp/xcsim-fds-XXXXXX", dir[64], cmd[128];
	struct scenario *sc = many_ifaces();
	struct rlimit rl;

	CU_ASSERT_PTR_NOT_NULL_FATAL(sc);
	CU_ASSERT_PTR_NOT_NULL_FATAL(mkdtemp(tmp));
	CU_ASSERT_EQUAL_FATAL(getrlimit(RLIMIT_NOFILE, &rl), 0);
	/* a hard limit of 64: 80 captures cannot be; nothing is written */
	snprintf(dir, sizeof(dir), "%s/low", tmp);
	CU_ASSERT_EQUAL(in_child(sc, dir, 64, 64, false), 0);
	/* a soft limit of 64 under a hard one of 256: raised, and it runs */
	if (rl.rlim_max == RLIM_INFINITY || rl.rlim_max >= 256) {
		snprintf(dir, sizeof(dir), "%s/raised", tmp);
		CU_ASSERT_EQUAL(in_child(sc, dir, 64, 256, true), 0);
	}
	scenario_free(sc);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmp);
	CU_ASSERT_EQUAL(system(cmd), 0);
}

/*
 * A signal while the network is built (a large scenario takes seconds):
 * the output directory is published to the handler before the first
 * temporary file exists and withdrawn before it is freed, and a stop flag
 * already set makes the build give up, leaving no file at all.
 */
static void
test_signal_while_building(void)
{
	char tmp[] = "/tmp/xcsim-stop-XXXXXX", dir[64], cmd[128];
	struct scenario *sc = many_ifaces();
	struct outdir *volatile pub = NULL;
	volatile sig_atomic_t stop = 0;
	char err[256] = "";
	struct run_opts o = { .stop = &stop, .outdir_pub = &pub };
	struct run *r;
	struct stat st;

	CU_ASSERT_PTR_NOT_NULL_FATAL(sc);
	CU_ASSERT_PTR_NOT_NULL_FATAL(mkdtemp(tmp));
	snprintf(dir, sizeof(dir), "%s/out", tmp);
	o.out_dir = dir;
	/* no signal: published while the run lives, withdrawn with it */
	r = run_new(sc, &o, err, sizeof(err));
	CU_ASSERT_PTR_NOT_NULL_FATAL(r);
	CU_ASSERT_PTR_EQUAL(pub, run_outdir(r));
	run_free(r);
	CU_ASSERT_PTR_NULL(pub);
	/* a signal came: no run, nothing written, not even the folder */
	snprintf(dir, sizeof(dir), "%s/sig", tmp);
	stop = SIGTERM;
	r = run_new(sc, &o, err, sizeof(err));
	CU_ASSERT_PTR_NULL(r);
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "signal"));
	CU_ASSERT_PTR_NULL(pub);
	CU_ASSERT_NOT_EQUAL(stat(dir, &st), 0);
	if (r != NULL)
		run_free(r);
	scenario_free(sc);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmp);
	CU_ASSERT_EQUAL(system(cmd), 0);
}

static const struct test_case cases[] = {
	{ "a signal while building: nothing written, the directory withdrawn",
	    test_signal_while_building },
	{ "captures past the open-file limit: raised, or a clear error first",
	    test_captures_and_open_file_limit },
	{ NULL, NULL }
};

int
main(int argc, char **argv)
{
	return test_main(argc, argv, "scenario_run", cases);
}
