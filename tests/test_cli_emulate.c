/*
 * test_cli_emulate.c - xcsim emulate end to end: with nothing attached its
 * outputs are xcsim run's for the same seed (every file byte for byte;
 * metrics.json once its one "emulation" line is removed), the lateness in
 * metrics.json and the summary, SIGINT and SIGTERM leaving complete valid
 * outputs (the trace reads to its end, the captures decode, metrics parse)
 * with 130 / 143, --late-policy stop naming the late event (exit 4), bad
 * options; --routes NAME writing DIR/routes-NAME.txt, the same bytes as
 * xcsim routes --node NAME --at the end prints, listed in the manifest and
 * removed by the next run that does not ask for it, and an unknown name
 * refused before the emulation starts. Wall time is only ever a lower
 * bound here.
 */
#include <fcntl.h>
#include <pcap/pcap.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "testutil.h"

static const char *tmpdir;
static char out_buf[1 << 16];

/* xcsim emulate's default (xcsim run's is the walkthrough), given to run. */
#define SIX XCSIM_SOURCE_DIR "/scenarios/examples/six-routers.yaml"

static double
wall_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* Every capture under dir decodes to its end with libpcap: how many. */
static int
captures_decode(const char *dir)
{
	char cmd[700], path[1024], perr[PCAP_ERRBUF_SIZE];
	FILE *p;
	int n = 0;

	snprintf(cmd, sizeof(cmd), "find %s/pcap -name '*.pcap'", dir);
	p = popen(cmd, "r");
	CU_ASSERT_PTR_NOT_NULL_FATAL(p);
	while (fgets(path, sizeof(path), p) != NULL) {
		struct pcap_pkthdr *h;
		const unsigned char *d;
		pcap_t *pc;
		int rc;

		path[strcspn(path, "\n")] = '\0';
		pc = pcap_open_offline(path, perr);
		CU_ASSERT_PTR_NOT_NULL(pc);
		if (pc == NULL)
			continue;
		while ((rc = pcap_next_ex(pc, &h, &d)) == 1)
			;
		CU_ASSERT_EQUAL(rc, PCAP_ERROR_BREAK);	/* clean end */
		pcap_close(pc);
		n++;
	}
	pclose(p);
	return n;
}

static void
test_outputs_equal_run(void)
{
	double w0;
	int rc_run, rc_emu;

	rc_run = test_sh(NULL, 0, "%s run " SIX " --until 1500ms --seed 9 -q "
	    "--out %s/r",
	    XCSIM_BINARY, tmpdir);
	w0 = wall_s();
	rc_emu = test_sh(out_buf, sizeof(out_buf), "%s emulate --duration 1500ms "
	    "--seed 9 --out %s/e", XCSIM_BINARY, tmpdir);
	/* 1.5 s simulated took at least 1.5 s */
	CU_ASSERT(wall_s() - w0 >= 1.5);
	CU_ASSERT_EQUAL(rc_emu, rc_run);
	CU_ASSERT_PTR_NOT_NULL(strstr(out_buf, "  lateness ("));
	CU_ASSERT_PTR_NOT_NULL(strstr(out_buf, " p99.9 "));
	/*
	 * The definition of equal outputs: the same set of files, each the
	 * same bytes, except metrics.json, which is the same bytes once its
	 * one line holding the "emulation" member is removed.
	 */
	CU_ASSERT_EQUAL(test_sh(out_buf, sizeof(out_buf), "cd %s && "
	    "(cd r && find . -type f | sort) > r.list && "
	    "(cd e && find . -type f | sort) > e.list && cmp r.list e.list && "
	    "for f in $(cat r.list); do [ $f = ./metrics.json ] || "
	    "cmp r/$f e/$f || exit 1; done && "
	    "test $(grep -c '^  \"emulation\": {' e/metrics.json) = 1 && "
	    "grep -v '^  \"emulation\": {' e/metrics.json | cmp - r/metrics.json",
	    tmpdir), 0);
	fputs(out_buf, stderr);
	/* the captures are part of it */
	CU_ASSERT_EQUAL(test_sh(out_buf, sizeof(out_buf), "ls %s/e/pcap/*/*.pcap | "
	    "wc -l | grep -qv '^0$'", tmpdir), 0);
	/* the member: every event measured, percentiles in order */
	CU_ASSERT_EQUAL(test_sh(out_buf, sizeof(out_buf), "python3 -c 'import json,"
	    "sys; d=json.load(open(sys.argv[1])); e=d[\"emulation\"]; "
	    "assert e[\"events\"] == d[\"events\"] > 0, e; "
	    "assert 0 <= e[\"late_p50_ns\"] <= e[\"late_p99_ns\"] <= "
	    "e[\"late_p999_ns\"] <= e[\"late_max_ns\"], e; "
	    "assert not d[\"interrupted\"]' %s/e/metrics.json", tmpdir), 0);
	fputs(out_buf, stderr);
}

/*
 * Start xcsim emulate of the default scenario (8 s) into DIR/name as a
 * foreground program (SIGINT not ignored), let it run past its first
 * events, send sig, return the exit status; its stderr goes to out_buf.
 */
static int
interrupt_emulate(const char *name, int sig, int again)
{
	char dir[600], tmp[700], errf[700];
	struct timespec nap = { 0, 20 * 1000 * 1000 };
	pid_t pid;
	int st, i, fd;
	FILE *f;

	snprintf(dir, sizeof(dir), "%s/%s", tmpdir, name);
	snprintf(tmp, sizeof(tmp), "%s/trace.xct.tmp", dir);
	snprintf(errf, sizeof(errf), "%s/%s.err", tmpdir, name);
	pid = fork();
	CU_ASSERT_FATAL(pid >= 0);
	if (pid == 0) {
		signal(SIGINT, SIG_DFL);
		signal(SIGTERM, SIG_DFL);
		signal(SIGHUP, SIG_DFL);	/* not inherited from a nohup */
		fd = open("/dev/null", O_WRONLY);
		dup2(fd, 1);
		fd = open(errf, O_WRONLY | O_CREAT | O_TRUNC, 0644);
		dup2(fd, 2);
		execl(XCSIM_BINARY, XCSIM_BINARY, "emulate", "--out", dir,
		    (char *)NULL);
		_exit(127);
	}
	for (i = 0; i < 3000 && !test_exists(tmp); i++)
		nanosleep(&nap, NULL);
	CU_ASSERT_TRUE(test_exists(tmp));
	/* 1.2 s in: pings, the traceroute and queries have run */
	for (i = 0; i < 60; i++)
		nanosleep(&nap, NULL);
	kill(pid, sig);
	/* a second one once it said it is stopping, not merged with the first */
	for (i = 0; again != 0 && i < 3000; i++) {
		char *e = test_slurp(errf, NULL);
		bool said = e != NULL && strstr(e, " simulated: ") != NULL;

		free(e);
		if (said) {
			kill(pid, again);
			break;
		}
		nanosleep(&nap, NULL);
	}
	CU_ASSERT_EQUAL_FATAL(waitpid(pid, &st, 0), pid);
	out_buf[0] = '\0';
	if ((f = fopen(errf, "r")) != NULL) {
		out_buf[fread(out_buf, 1, sizeof(out_buf) - 1, f)] = '\0';
		fclose(f);
	}
	unlink(errf);
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

static void
check_interrupted_outputs(const char *name)
{
	char dir[600];

	snprintf(dir, sizeof(dir), "%s/%s", tmpdir, name);
	CU_ASSERT_EQUAL(test_sh(out_buf, sizeof(out_buf), "find %s -name '*.tmp'",
	    dir), 0);
	CU_ASSERT_STRING_EQUAL(out_buf, "");
	/* the trace reads to its end, which says it was interrupted */
	CU_ASSERT_EQUAL(test_sh(out_buf, sizeof(out_buf), "%s trace dump "
	    "%s/trace.xct | tail -1", XCSIM_BINARY, dir), 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(out_buf, "interrupted at"));
	CU_ASSERT_EQUAL(test_sh(out_buf, sizeof(out_buf), "python3 -c 'import json,"
	    "sys; d=json.load(open(sys.argv[1])); assert d[\"interrupted\"]; "
	    "assert d[\"emulation\"][\"events\"] == d[\"events\"] > 0' "
	    "%s/metrics.json", dir), 0);
	fputs(out_buf, stderr);
	CU_ASSERT(captures_decode(dir) >= 3);
	CU_ASSERT_EQUAL(test_sh(NULL, 0, "test -s %s/metrics.csv && test -s "
	    "%s/.xcsim-outputs", dir, dir), 0);
}

static void
test_sigint_sigterm_leave_valid_outputs(void)
{
	CU_ASSERT_EQUAL(interrupt_emulate("int", SIGINT, 0), 130);
	CU_ASSERT_PTR_NOT_NULL(strstr(out_buf, "xcsim emulate: interrupted "
	    "at "));
	check_interrupted_outputs("int");
	CU_ASSERT_EQUAL(interrupt_emulate("term", SIGTERM, 0), 143);
	CU_ASSERT_PTR_NOT_NULL(strstr(out_buf, "xcsim emulate: terminated "
	    "at "));
	check_interrupted_outputs("term");
	/* the terminal went away, or Ctrl-\: the same, 129 and 131 */
	CU_ASSERT_EQUAL(interrupt_emulate("hup", SIGHUP, 0), 129);
	CU_ASSERT_PTR_NOT_NULL(strstr(out_buf, "xcsim emulate: hung up at "));
	check_interrupted_outputs("hup");
	CU_ASSERT_EQUAL(interrupt_emulate("quit", SIGQUIT, 0), 131);
	CU_ASSERT_PTR_NOT_NULL(strstr(out_buf, "xcsim emulate: quit at "));
	check_interrupted_outputs("quit");
	/*
	 * Twice: the second stops at once, unless the outputs were done or
	 * being renamed (signals held off) when it came: 130 either way, no
	 * temporary file, and a whole run or no file at all (cmd_run's
	 * contract, test_cli.c).
	 */
	CU_ASSERT_EQUAL(interrupt_emulate("twice", SIGINT, SIGINT), 130);
	/* killed before its renames, it may leave no folder at all */
	CU_ASSERT_EQUAL(test_sh(out_buf, sizeof(out_buf), "[ ! -d %s/twice ] || "
	    "find %s/twice -name '*.tmp'", tmpdir, tmpdir), 0);
	CU_ASSERT_STRING_EQUAL(out_buf, "");
	CU_ASSERT_EQUAL(test_sh(out_buf, sizeof(out_buf), "[ ! -d %s/twice ] || "
	    "(cd %s/twice && { { [ -e .xcsim-outputs ] && [ -e metrics.json ] "
	    "&& [ -e trace.xct ]; } || [ -z \"$(find . -type f)\" ]; })",
	    tmpdir, tmpdir), 0);
}

static void
test_late_policy_stop(void)
{
	char dir[600];

	/* no wake-up is within a nanosecond: the first event stops it */
	CU_ASSERT_EQUAL(test_sh(out_buf, sizeof(out_buf), "%s emulate -q "
	    "--late-policy stop --late-bound 1ns --out %s/late", XCSIM_BINARY,
	    tmpdir), 4);
	CU_ASSERT_PTR_NOT_NULL(strstr(out_buf, "xcsim emulate: stopped at "));
	CU_ASSERT_PTR_NOT_NULL(strstr(out_buf, "simulated ran "));
	CU_ASSERT_PTR_NOT_NULL(strstr(out_buf, "late (the bound is 1ns): "));
	CU_ASSERT_PTR_NOT_NULL(strstr(out_buf, "()"));	/* a function name */
	fputs(out_buf, stderr);
	snprintf(dir, sizeof(dir), "%s/late", tmpdir);
	CU_ASSERT_EQUAL(test_sh(out_buf, sizeof(out_buf), "python3 -c 'import json,"
	    "sys; d=json.load(open(sys.argv[1])); assert d[\"interrupted\"]; "
	    "assert d[\"emulation\"][\"late_max_ns\"] > 1' %s/metrics.json",
	    dir), 0);
	fputs(out_buf, stderr);
}

static void
test_bad_options(void)
{
	CU_ASSERT_EQUAL(test_sh(out_buf, sizeof(out_buf), "%s emulate "
	    "--late-policy maybe", XCSIM_BINARY), 2);
	CU_ASSERT_PTR_NOT_NULL(strstr(out_buf, "--late-policy is warn or "
	    "stop"));
	CU_ASSERT_EQUAL(test_sh(out_buf, sizeof(out_buf), "%s emulate --duration "
	    "0s", XCSIM_BINARY), 2);
	CU_ASSERT_EQUAL(test_sh(out_buf, sizeof(out_buf), "%s emulate --late-bound",
	    XCSIM_BINARY), 2);
	CU_ASSERT_PTR_NOT_NULL(strstr(out_buf, "needs a value"));
	CU_ASSERT_EQUAL(test_sh(out_buf, sizeof(out_buf), "%s emulate --help",
	    XCSIM_BINARY), 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(out_buf, "usage: xcsim emulate"));
	CU_ASSERT_EQUAL(test_sh(out_buf, sizeof(out_buf), "%s --help",
	    XCSIM_BINARY), 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(out_buf, "  emulate "));
}

static void
test_routes(void)
{
	char dir[600], want[1 << 14];

	snprintf(dir, sizeof(dir), "%s/routes", tmpdir);
	/* (the built-in scenario's assertions, judged at 300 ms, fail: 1) */
	CU_ASSERT_EQUAL(test_sh(out_buf, sizeof(out_buf), "%s emulate -q "
	    "--duration 300ms --seed 7 --routes oracle-edge --routes "
	    "msee-primary/default --out %s", XCSIM_BINARY, dir), 1);
	/* what xcsim routes prints of the same run at the same instant */
	CU_ASSERT_EQUAL(test_sh(want, sizeof(want), "%s routes " SIX
	    " --seed 7 --at 300ms --node oracle-edge", XCSIM_BINARY), 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(want, "Routes of oracle-edge/default"));
	CU_ASSERT_EQUAL(test_sh(out_buf, sizeof(out_buf), "cat "
	    "%s/routes-oracle-edge.txt", dir), 0);
	CU_ASSERT_STRING_EQUAL(out_buf, want);
	CU_ASSERT_EQUAL(test_sh(want, sizeof(want), "%s routes " SIX
	    " --seed 7 --at 300ms --node msee-primary/default", XCSIM_BINARY), 0);
	CU_ASSERT_EQUAL(test_sh(out_buf, sizeof(out_buf), "cat "
	    "'%s/routes-msee-primary@default.txt'", dir), 0);
	CU_ASSERT_STRING_EQUAL(out_buf, want);
	/* with the other outputs: in the manifest, no temporary left */
	CU_ASSERT_EQUAL(test_sh(out_buf, sizeof(out_buf), "grep -c '^routes-' "
	    "%s/.xcsim-outputs; find %s -name '*.tmp'", dir, dir), 0);
	CU_ASSERT_STRING_EQUAL(out_buf, "2\n");
	/* the next run without it removes them: not this run's outputs */
	CU_ASSERT_EQUAL(test_sh(out_buf, sizeof(out_buf), "%s emulate -q "
	    "--duration 100ms --routes oracle-edge --out %s >/dev/null 2>&1; "
	    "ls %s", XCSIM_BINARY, dir, dir), 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(out_buf, "routes-oracle-edge.txt"));
	CU_ASSERT_PTR_NULL(strstr(out_buf, "msee-primary"));
	/* a table that does not exist: refused before running, exit 2 */
	CU_ASSERT_EQUAL(test_sh(out_buf, sizeof(out_buf), "%s emulate -q "
	    "--duration 10s --routes nosuch --out %s/bad", XCSIM_BINARY,
	    tmpdir), 2);
	CU_ASSERT_PTR_NOT_NULL(strstr(out_buf, "xcsim emulate: --routes: no "
	    "node or alias 'nosuch'"));
	CU_ASSERT_EQUAL(test_sh(NULL, 0, "test ! -e %s/bad/metrics.json",
	    tmpdir), 0);
	CU_ASSERT_EQUAL(test_sh(out_buf, sizeof(out_buf), "%s emulate --routes",
	    XCSIM_BINARY), 2);
	CU_ASSERT_PTR_NOT_NULL(strstr(out_buf, "needs a value"));
}

static const struct test_case cases[] = {
	{ "outputs equal xcsim run's", test_outputs_equal_run },
	{ "SIGINT/SIGTERM/SIGHUP/SIGQUIT leave valid outputs, 128 + N",
	    test_sigint_sigterm_leave_valid_outputs },
	{ "--late-policy stop names the late event", test_late_policy_stop },
	{ "bad options", test_bad_options },
	{ "--routes writes the tables xcsim routes prints", test_routes },
	{ NULL, NULL }
};

int
main(int argc, char **argv)
{
	tmpdir = test_tmpdir("/tmp/xcsim-emulate-XXXXXX");
	if (tmpdir == NULL) {
		perror("mkdtemp");
		return 1;
	}
	return test_main(argc, argv, "cli_emulate", cases);
}
