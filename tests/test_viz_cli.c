/*
 * test_viz_cli.c - the viewer's and `xcsim trace dump`'s errors as a user
 * sees them: the real binary run with its output captured. A frame count
 * that overflows is refused (exit 2, a message, no frame written), names
 * from the command line or the trace reach the terminal escaped, and a
 * path is named once.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "testutil.h"
#include "trace.h"
#include "util.h"

static const char *tmpdir;

static const char *
tmp_path(const char *name)
{
	static char buf[8][512];
	static int k;

	k = (k + 1) % 8;
	snprintf(buf[k], sizeof(buf[k]), "%s/%s", tmpdir, name);
	return buf[k];
}

/*
 * Run xcsim with args (no shell: args reach it byte for byte); out gets
 * stdout and stderr together. Returns the exit status, 128 + the signal
 * if it was killed, -1 if it could not run.
 */
static int
run_xcsim(const char *const *args, char *out, size_t outlen)
{
	char *argv[16];
	int fd[2], st, n = 0;
	size_t used = 0;
	ssize_t r;
	pid_t pid;

	argv[n++] = (char *)(uintptr_t)XCSIM_BINARY;
	for (; *args != NULL && n < 15; args++)
		argv[n++] = (char *)(uintptr_t)*args;
	argv[n] = NULL;
	if (pipe(fd) < 0)
		return -1;
	pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0) {
		dup2(fd[1], 1);
		dup2(fd[1], 2);
		close(fd[0]);
		close(fd[1]);
		execv(argv[0], argv);
		_exit(127);
	}
	close(fd[1]);
	while (used + 1 < outlen && (r = read(fd[0], out + used,
	    outlen - used - 1)) > 0)
		used += (size_t)r;
	out[used] = '\0';
	close(fd[0]);
	if (waitpid(pid, &st, 0) < 0)
		return -1;
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

/* How often needle occurs in hay. */
static int
count(const char *hay, const char *needle)
{
	int n = 0;

	while ((hay = strstr(hay, needle)) != NULL) {
		n++;
		hay += strlen(needle);
	}
	return n;
}

static void
test_dump_names_path_once(void)
{
	const char *missing = tmp_path("missing.xct");
	const char *a1[] = { "trace", "dump", "/dev/zero", NULL };
	const char *a2[] = { "trace", "dump", missing, NULL };
	char out[2048];

	CU_ASSERT_EQUAL(run_xcsim(a1, out, sizeof(out)), 2);
	CU_ASSERT_EQUAL(count(out, "/dev/zero"), 1);
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "not a regular file"));
	CU_ASSERT_EQUAL(run_xcsim(a2, out, sizeof(out)), 2);
	CU_ASSERT_EQUAL(count(out, missing), 1);
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "No such file"));
}

#ifdef XCSIM_HAVE_VIZ

/* Two nodes, one link, a few records over 1 ms. */
static const char *
small_trace(void)
{
	static bool done;
	const char *path = tmp_path("small.xct");
	char err[256];
	struct trace *tr;
	int32_t pos[2] = { TRACE_POS_AUTO, TRACE_POS_AUTO };
	uint32_t nd[2] = { 0, 1 }, ifx[2] = { 0, 0 };
	uint64_t rate[2] = { 1000000000ULL, 1000000000ULL };
	sim_time delay[2] = { SIM_US(50), SIM_US(50) };

	if (done)
		return path;
	tr = trace_open(path, SIM_US(200), err, sizeof(err));
	SIM_ASSERT(tr != NULL, "trace_open: %s", err);
	trace_node(tr, 0, "left", "router", "here", pos);
	trace_node(tr, 1, "right", "router", "here", pos);
	trace_link(tr, 0, "wire", nd, ifx, rate, delay, 1500, 100, 0);
	trace_annotate(tr, SIM_US(10), 0, "start");
	trace_annotate(tr, SIM_MS(1), 0, "end");
	SIM_ASSERT(trace_close(tr, err, sizeof(err)) == 0, "close: %s", err);
	done = true;
	return path;
}

static void
test_frames_overflow_refused(void)
{
	const char *dir = tmp_path("frames");
	const char *tiny[] = { "viz", small_trace(), "--frames", dir,
		"--from", "0s", "--to", "1ms", "--speed", "1e-300", NULL };
	const char *many[] = { "viz", small_trace(), "--frames", dir,
		"--from", "0s", "--to", "1ms", "--speed", "1e-12", NULL };
	const char *one[] = { "viz", small_trace(), "--frames", dir,
		"--from", "1ms", "--to", "1ms", "--speed", "1e-300",
		"--size", "160x100", NULL };
	char out[2048], p[600];
	struct stat st;

	/* 1e-3 s at 1e-300 s per second is 3e298 frames: far past 2^64 */
	CU_ASSERT_EQUAL(run_xcsim(tiny, out, sizeof(out)), 2);
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "too many"));
	snprintf(p, sizeof(p), "%s/frame-00000.png", dir);
	CU_ASSERT_EQUAL(stat(p, &st), -1);
	/* 3e7 frames: fits an integer, still over the cap */
	CU_ASSERT_EQUAL(run_xcsim(many, out, sizeof(out)), 2);
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "too many"));
	CU_ASSERT_EQUAL(stat(p, &st), -1);
	/* an empty span is one frame whatever the speed */
	CU_ASSERT_EQUAL(run_xcsim(one, out, sizeof(out)), 0);
	CU_ASSERT_EQUAL(stat(p, &st), 0);
}

static void
test_names_escaped(void)
{
	const char *png = tmp_path("esc.png");
	const char *bad = tmp_path("bad\x1b[2J.xct");
	const char *a1[] = { "viz", small_trace(), "--png", png, "--at",
		"1ms", "--select", "a\x1b[2J", NULL };
	const char *a2[] = { "viz", bad, "--png", png, "--at", "1ms", NULL };
	const char *a3[] = { "viz", small_trace(), "--png", png, "--at",
		"1\x1b[2J", NULL };
	const char *a4[] = { "viz", small_trace(), "--bogus\x07", "1", NULL };
	const char *const *cases[] = { a1, a2, a3, a4 };
	char out[4096];
	FILE *f;
	size_t i;

	f = fopen(bad, "wb");
	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	fputs("not a trace at all, but long enough to have a header....", f);
	fclose(f);
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		CU_ASSERT_EQUAL(run_xcsim(cases[i], out, sizeof(out)), 2);
		CU_ASSERT_PTR_NULL(strchr(out, '\x1b'));
		CU_ASSERT_PTR_NULL(strchr(out, '\x07'));
		CU_ASSERT(strstr(out, "\\x1b") != NULL ||
		    strstr(out, "\\x07") != NULL);
	}
	CU_ASSERT_EQUAL(access(png, F_OK), -1);
}

#endif

static const struct test_case cases[] = {
	{ "trace dump names the path once", test_dump_names_path_once },
#ifdef XCSIM_HAVE_VIZ
	{ "--frames refuses a frame count that overflows", test_frames_overflow_refused },
	{ "names from the command line or the trace are escaped", test_names_escaped },
#endif
	{ NULL, NULL },
};

int
main(int argc, char **argv)
{
	if ((tmpdir = test_tmpdir("/tmp/xcsim-test-vizcli-XXXXXX")) == NULL)
		return 2;
	return test_main(argc, argv, "viz_cli", cases);
}
