/*
 * test_compare_cli.c - xcsim compare as a user runs it, without a shell
 * (fork and exec of the built binary): usage and exit codes, and an
 * interrupted compare: the first signal lets the running run finish and
 * starts no other, the second stops the running ones, which leave nothing
 * behind; the table covers the finished runs and a later compare into the
 * same folder reuses them.
 */
#include <dirent.h>
#include <fcntl.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <CUnit/Basic.h>

#include "testutil.h"

static const char *tmpdir;

#define HAS(s, what) (strstr((s), (what)) != NULL)

static const char quick[] =
    "name: quick\nduration: 2s\n"
    "nodes:\n"
    "  - { name: a, role: azure-vm, interfaces: [ { name: e, address: 10.0.0.1/24 } ] }\n"
    "  - { name: b, role: oci-instance, interfaces: [ { name: e, address: 10.0.0.2/24 } ] }\n"
    "links:\n  - { name: l, a: \"a:e\", b: \"b:e\", rate: 8Gbps, delay: 1ms }\n"
    "apps:\n  - { name: p, type: ping, node: a, dst: b, interval: 100ms, count: 5 }\n";

/*
 * Busy runs: 900 Mbit/s of UDP beside the ping, DURATION long (about
 * 40 ms of wall time per simulated second here).
 */
static const char busy_fmt[] =
    "name: busy\nduration: %s\n"
    "nodes:\n"
    "  - { name: a, role: azure-vm, interfaces: [ { name: e, address: 10.0.0.1/24 } ] }\n"
    "  - { name: b, role: oci-instance, interfaces: [ { name: e, address: 10.0.0.2/24 } ] }\n"
    "links:\n  - { name: l, a: \"a:e\", b: \"b:e\", rate: 1Gbps, delay: 1ms }\n"
    "apps:\n"
    "  - { name: flow, type: udp_cbr, node: a, dst: b, dport: 9000, rate: 900Mbps, size: 1000 }\n"
    "  - { name: p, type: ping, node: a, dst: b, interval: 100ms }\n"
    "record: { trace: false }\n";

static char *
path_of(const char *rel)
{
	char *p = malloc(strlen(tmpdir) + strlen(rel) + 2);

	sprintf(p, "%s/%s", tmpdir, rel);
	return p;
}

static char *
write_tmp(const char *name, const char *text)
{
	char *path = path_of(name);
	FILE *f = fopen(path, "w");

	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	fputs(text, f);
	fclose(f);
	return path;
}

/* Start xcsim with args (NULL-terminated), stdout and stderr to files. */
static pid_t
start(const char *const *args, const char *out, const char *err)
{
	const char *argv[32];
	pid_t pid;
	size_t i;

	argv[0] = XCSIM_BINARY;
	for (i = 0; args[i] != NULL && i < 30; i++)
		argv[i + 1] = args[i];
	argv[i + 1] = NULL;
	pid = fork();
	CU_ASSERT_FATAL(pid >= 0);
	if (pid == 0) {
		int fd;

		signal(SIGINT, SIG_DFL);
		signal(SIGTERM, SIG_DFL);
		fd = open(out, O_WRONLY | O_CREAT | O_TRUNC, 0644);
		dup2(fd, 1);
		fd = open(err, O_WRONLY | O_CREAT | O_TRUNC, 0644);
		dup2(fd, 2);
		execv(XCSIM_BINARY, (char *const *)(uintptr_t)argv);
		_exit(127);
	}
	return pid;
}

static int
status_of(pid_t pid)
{
	int st;

	CU_ASSERT_EQUAL_FATAL(waitpid(pid, &st, 0), pid);
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

/* Run to the end; the exit status, the outputs in *out and *err. */
static int
run(const char *const *args, char **out, char **err)
{
	char *o = path_of("stdout"), *e = path_of("stderr");
	int rc = status_of(start(args, o, e));

	*out = test_slurp(o, NULL);
	*err = test_slurp(e, NULL);
	free(o);
	free(e);
	return rc;
}

static bool
wait_for(const char *path, const char *text)
{
	struct timespec nap = { 0, 20 * 1000 * 1000 };
	int i;

	for (i = 0; i < 3000; i++) {
		char *s = text ? test_slurp(path, NULL) : NULL;
		bool ok = text ? s != NULL && strstr(s, text) != NULL :
		    test_exists(path);

		free(s);
		if (ok)
			return true;
		nanosleep(&nap, NULL);
	}
	return false;
}

/* Files left under dir whose names end in .tmp. */
static int
count_tmp(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int n = 0;

	if (d == NULL)
		return 0;
	while ((e = readdir(d)) != NULL) {
		char sub[1024];
		size_t l = strlen(e->d_name);

		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		snprintf(sub, sizeof(sub), "%s/%s", dir, e->d_name);
		if (l > 4 && strcmp(e->d_name + l - 4, ".tmp") == 0)
			n++;
		n += count_tmp(sub);
	}
	closedir(d);
	return n;
}

static void
test_usage(void)
{
	static const char *const help[] = { "compare", "--help", NULL };
	static const char *const none[] = { "compare", NULL };
	static const char *const jobs[] = { "compare", "x.yaml", "--jobs",
		"0", NULL };
	static const char *const opt[] = { "compare", "x.yaml", "--fast",
		NULL };
	static const char *const set[] = { "compare", "x.yaml", "--set",
		"duration", NULL };
	static const char *const missing[] = { "compare", "/nonexistent.yaml",
		NULL };
	char *out, *err;

	CU_ASSERT_EQUAL(run(help, &out, &err), 0);
	CU_ASSERT_TRUE(out != NULL && HAS(out, "--traffic FILE"));
	free(out);
	free(err);
	CU_ASSERT_EQUAL(run(none, &out, &err), 2);
	CU_ASSERT_TRUE(err != NULL && HAS(err, "usage: xcsim compare"));
	free(out);
	free(err);
	CU_ASSERT_EQUAL(run(jobs, &out, &err), 2);
	CU_ASSERT_TRUE(err != NULL && HAS(err, "--jobs '0': a whole "
	    "number from 1 to"));
	free(out);
	free(err);
	CU_ASSERT_EQUAL(run(opt, &out, &err), 2);
	CU_ASSERT_TRUE(err != NULL && HAS(err, "unknown option '--fast'"));
	free(out);
	free(err);
	CU_ASSERT_EQUAL(run(set, &out, &err), 2);
	CU_ASSERT_TRUE(err != NULL && HAS(err, "FIELD=V1,V2"));
	free(out);
	free(err);
	CU_ASSERT_EQUAL(run(missing, &out, &err), 2);
	CU_ASSERT_TRUE(err != NULL && HAS(err, "/nonexistent.yaml: No "
	    "such file"));
	free(out);
	free(err);
}

/*
 * A sweep of 11 --set options of 64 values each (64^11 = 2^66 runs, which
 * wrapped to 0 in a size_t: an empty table and exit 0) is refused before
 * anything runs, naming the options; so is a repeated FIELD, a repeated
 * value and --set seed.
 */
static void
test_sweep_refused(void)
{
	const char *args[32] = { "compare", NULL, "--out", NULL, "--seeds",
		"1" };
	static char sets[11][600], fields[11][8];
	char *d = write_tmp("quick.yaml", quick), *o = path_of("sweep-out");
	char *out, *err;
	size_t i, n = 6;
	int k;

	args[1] = d;
	args[3] = o;
	for (k = 0; k < 11; k++) {
		size_t len;

		snprintf(fields[k], sizeof(fields[k]), "f%d", k);
		len = (size_t)snprintf(sets[k], sizeof(sets[k]), "%s=",
		    fields[k]);
		for (i = 1; i <= 64; i++)
			len += (size_t)snprintf(sets[k] + len, sizeof(sets[k]) -
			    len, "%s%zus", i > 1 ? "," : "", i);
		args[n++] = "--set";
		args[n++] = sets[k];
	}
	args[n] = NULL;
	CU_ASSERT_EQUAL(run(args, &out, &err), 2);
	CU_ASSERT_TRUE(err != NULL && HAS(err, "too many runs: 1 design x "
	    "64 (--set f0) x 64 (--set f1) x ") && HAS(err, "x 1 seed "
	    "(--seeds) is more than 100000"));
	CU_ASSERT_TRUE(out != NULL && out[0] == '\0');
	CU_ASSERT_FALSE(test_exists(o));
	free(out);
	free(err);
	/* the same field twice */
	args[6] = "--set";
	args[7] = "duration=1s";
	args[8] = "--set";
	args[9] = "duration=2s";
	args[10] = NULL;
	CU_ASSERT_EQUAL(run(args, &out, &err), 2);
	CU_ASSERT_TRUE(err != NULL && HAS(err, "--set duration is given "
	    "twice"));
	CU_ASSERT_FALSE(test_exists(o));
	free(out);
	free(err);
	args[8] = NULL;
	args[7] = "duration=1s,2s,1s";
	CU_ASSERT_EQUAL(run(args, &out, &err), 2);
	CU_ASSERT_TRUE(err != NULL && HAS(err, "the value '1s' is given "
	    "twice"));
	free(out);
	free(err);
	args[7] = "seed=1,2";
	CU_ASSERT_EQUAL(run(args, &out, &err), 2);
	CU_ASSERT_TRUE(err != NULL && HAS(err, "the seeds come from "
	    "--seeds N"));
	CU_ASSERT_FALSE(test_exists(o));
	free(out);
	free(err);
	free(d);
	free(o);
}

/*
 * One SIGINT while the first busy run runs (--jobs 1): it finishes, the
 * second is never started, the table says 2/2 and 1/2, exit 130.
 */
static void
test_one_signal_finishes_running(void)
{
	char busy[1024], *q = write_tmp("quick.yaml", quick), *b, *out_dir =
	    path_of("one"), *o = path_of("one.out"), *e = path_of("one.err"),
	    *p, *s;
	const char *args[] = { "compare", NULL, NULL, "--seeds", "2",
		"--jobs", "1", "--no-plots", "--out", NULL, NULL };
	pid_t pid;

	snprintf(busy, sizeof(busy), busy_fmt, "20s");
	b = write_tmp("busy.yaml", busy);
	args[1] = q;
	args[2] = b;
	args[9] = out_dir;
	pid = start(args, o, e);
	p = path_of("one/busy/default/seed-1");
	CU_ASSERT_TRUE(wait_for(p, NULL));
	free(p);
	kill(pid, SIGINT);
	CU_ASSERT_EQUAL(status_of(pid), 130);
	s = test_slurp(o, NULL);
	CU_ASSERT_PTR_NOT_NULL_FATAL(s);
	CU_ASSERT_PTR_NOT_NULL(strstr(s, "quick   default   2/2"));
	CU_ASSERT_PTR_NOT_NULL(strstr(s, "busy    default   1/2"));
	free(s);
	s = test_slurp(e, NULL);
	CU_ASSERT_TRUE(s != NULL && HAS(s, "waiting for the 1 running"));
	CU_ASSERT_TRUE(s != NULL && HAS(s, "interrupted: the table covers "
	    "the 3 of 4 runs that finished"));
	free(s);
	p = path_of("one/busy/default/seed-1/compare-run.txt");
	CU_ASSERT_TRUE(test_exists(p));
	free(p);
	p = path_of("one/busy/default/seed-2");
	CU_ASSERT_FALSE(test_exists(p));
	free(p);
	p = path_of("one/compare.json");
	CU_ASSERT_TRUE(test_exists(p));
	free(p);
	free(q);
	free(b);
	free(out_dir);
	free(o);
	free(e);
}

/*
 * A second SIGINT stops the running run: it leaves no file behind, the
 * table covers the quick design's runs, and a compare of that design into
 * the same folder reuses them.
 */
static void
test_two_signals_stop_running(void)
{
	char busy[1024], *q = write_tmp("quick.yaml", quick), *b, *out_dir =
	    path_of("two"), *o = path_of("two.out"), *e = path_of("two.err"),
	    *p, *s, *err;
	const char *args[] = { "compare", NULL, NULL, "--seeds", "1",
		"--jobs", "1", "--no-plots", "--out", NULL, NULL };
	pid_t pid;

	snprintf(busy, sizeof(busy), busy_fmt, "600s");
	b = write_tmp("long.yaml", busy);
	args[1] = q;
	args[2] = b;
	args[9] = out_dir;
	pid = start(args, o, e);
	p = path_of("two/long/default/seed-1");
	CU_ASSERT_TRUE(wait_for(p, NULL));
	free(p);
	kill(pid, SIGINT);
	CU_ASSERT_TRUE(wait_for(e, "waiting for the 1 running"));
	kill(pid, SIGINT);
	CU_ASSERT_EQUAL(status_of(pid), 130);
	s = test_slurp(o, NULL);
	CU_ASSERT_PTR_NOT_NULL_FATAL(s);
	CU_ASSERT_PTR_NOT_NULL(strstr(s, "quick   default   1/1"));
	CU_ASSERT_PTR_NOT_NULL(strstr(s, "long    default   0/1"));
	free(s);
	s = test_slurp(e, NULL);
	CU_ASSERT_TRUE(s != NULL && HAS(s, "stopping the 1 running run"));
	CU_ASSERT_TRUE(s == NULL || strstr(s, "failed") == NULL);
	free(s);
	p = path_of("two/long/default/seed-1/compare-run.txt");
	CU_ASSERT_FALSE(test_exists(p));
	free(p);
	CU_ASSERT_EQUAL(count_tmp(out_dir), 0);
	/* the finished run is kept and reused */
	args[2] = "--seeds";
	args[3] = "1";
	args[4] = "--out";
	args[5] = out_dir;
	args[6] = "--no-plots";
	args[7] = NULL;
	CU_ASSERT_EQUAL(run(args, &s, &err), 0);
	CU_ASSERT_TRUE(err != NULL && HAS(err, "1 of 1 runs finished"));
	CU_ASSERT_TRUE(s != NULL && HAS(s, "quick   default   1/1"));
	free(s);
	free(err);
	free(q);
	free(b);
	free(out_dir);
	free(o);
	free(e);
}

int
main(int argc, char **argv)
{
	static const struct test_case cases[] = {
		{ "usage and exit codes", test_usage },
		{ "sweeps refused", test_sweep_refused },
		{ "one signal: the running run finishes",
		    test_one_signal_finishes_running },
		{ "two signals: the running run stops",
		    test_two_signals_stop_running },
		{ NULL, NULL }
	};

	if ((tmpdir = test_tmpdir("/tmp/xcsim-test-compare-cli-XXXXXX")) ==
	    NULL)
		return 2;
	return test_main(argc, argv, "compare_cli", cases);
}
