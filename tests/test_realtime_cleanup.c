/*
 * test_realtime_cleanup.c - the emulation's cleanup registry
 * (sim/emu_cleanup): undo functions newest first and once, children ended
 * and reaped, the unexpected death of a watched child ending rt_run with a
 * message naming it, kill_now, and a child of emu_child_init dying with a
 * SIGKILLed parent.
 */
#include <errno.h>
#include <signal.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "emu_cleanup.h"
#include "realtime.h"
#include "sim.h"
#include "testutil.h"

struct order {
	int n;
	int who[8];
};

struct undo {
	struct order *o;
	int who;
};

static void
undo(void *ctx)
{
	struct undo *u = ctx;

	u->o->who[u->o->n++] = u->who;
}

/* A child that sleeps (for SIGTERM to end), or exits with code after ms. */
static pid_t
spawn(int code, long ms, bool ignore_term)
{
	pid_t parent = getpid(), pid;
	int p[2];
	char c;

	CU_ASSERT_FATAL(pipe(p) == 0);
	pid = fork();
	CU_ASSERT_FATAL(pid >= 0);
	if (pid == 0) {
		struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

		emu_child_init(parent);
		if (ignore_term)
			signal(SIGTERM, SIG_IGN);
		if (write(p[1], "r", 1) != 1)
			_exit(126);
		nanosleep(&ts, NULL);
		_exit(code);
	}
	/* set up (SIGTERM ignored, if asked) before anyone signals it */
	CU_ASSERT_EQUAL(read(p[0], &c, 1), 1);
	close(p[0]);
	close(p[1]);
	return pid;
}

static bool
gone(pid_t pid)
{
	return kill(pid, 0) < 0 && errno == ESRCH;
}

static void
test_fns_newest_first_once(void)
{
	struct emu_cleanup *c = emu_cleanup_new();
	struct order o = { 0 };
	struct undo u[4];
	unsigned id[4];
	int i;

	for (i = 0; i < 4; i++) {
		u[i] = (struct undo){ &o, i };
		id[i] = emu_cleanup_add(c, undo, &u[i], "thing");
		CU_ASSERT_NOT_EQUAL(id[i], 0);
	}
	emu_cleanup_release(c, id[1], true);	/* run now */
	emu_cleanup_release(c, id[2], false);	/* forgotten */
	CU_ASSERT_EQUAL(o.n, 1);
	CU_ASSERT_EQUAL(o.who[0], 1);
	emu_cleanup_run(c);
	emu_cleanup_run(c);	/* once */
	CU_ASSERT_EQUAL_FATAL(o.n, 3);
	CU_ASSERT_EQUAL(o.who[1], 3);
	CU_ASSERT_EQUAL(o.who[2], 0);
	emu_cleanup_free(c);
	CU_ASSERT_EQUAL(o.n, 3);
}

static void
test_children_ended_and_reaped(void)
{
	struct emu_cleanup *c = emu_cleanup_new();
	pid_t a = spawn(0, 60000, false), b = spawn(0, 60000, true);

	emu_cleanup_add_child(c, a, "daemon a");
	/* b ignores SIGTERM: SIGKILL after the grace period */
	emu_cleanup_add_child(c, b, "daemon b");
	emu_cleanup_free(c);
	/* reaped, not zombies: the pids no longer exist */
	CU_ASSERT_TRUE(gone(a));
	CU_ASSERT_TRUE(gone(b));
	CU_ASSERT_EQUAL(waitpid(-1, NULL, WNOHANG), -1);
}

static void
test_child_death_ends_the_run(void)
{
	struct emu_cleanup *c = emu_cleanup_new();
	struct sim *sim = sim_new(1);
	char err[256], want[128];
	struct rt *rt = rt_new(sim, NULL, err, sizeof(err));
	pid_t quits, dies, stays;

	CU_ASSERT_PTR_NOT_NULL_FATAL(rt);
	quits = spawn(3, 30, false);
	emu_cleanup_add_child(c, quits, "bgpd");
	CU_ASSERT_EQUAL(emu_cleanup_watch(c, rt), 0);
	stays = spawn(0, 60000, false);
	emu_cleanup_add_child(c, stays, "zebra");	/* watched on adding */
	CU_ASSERT_EQUAL(rt_run(rt, SIM_S(20), NULL), RT_ERROR);
	snprintf(want, sizeof(want), "bgpd (pid %ld) exited with status 3",
	    (long)quits);
	CU_ASSERT_STRING_EQUAL(rt_error(rt), want);
	CU_ASSERT_TRUE(gone(quits));	/* reaped */
	CU_ASSERT(sim_now(sim) < SIM_S(20));
	CU_ASSERT_EQUAL(emu_cleanup_watch(c, NULL), 0);	/* before rt_free */
	rt_free(rt);

	/* killed by a signal, seen by a fresh run */
	rt = rt_new(sim, NULL, err, sizeof(err));
	CU_ASSERT_PTR_NOT_NULL_FATAL(rt);
	CU_ASSERT_EQUAL(emu_cleanup_watch(c, rt), 0);
	dies = spawn(0, 60000, false);
	emu_cleanup_add_child(c, dies, "bird");
	kill(dies, SIGKILL);	/* not SIGSEGV: a sanitizer catches it */
	CU_ASSERT_EQUAL(rt_run(rt, SIM_TIME_MAX, NULL), RT_ERROR);
	snprintf(want, sizeof(want), "bird (pid %ld) was killed by signal %d",
	    (long)dies, SIGKILL);
	CU_ASSERT_PTR_NOT_NULL(strstr(rt_error(rt), want));
	CU_ASSERT_EQUAL(emu_cleanup_watch(c, NULL), 0);	/* before rt_free */
	rt_free(rt);
	sim_free(sim);
	CU_ASSERT_FALSE(gone(stays));
	emu_cleanup_free(c);
	CU_ASSERT_TRUE(gone(stays));
}

static void
test_kill_now(void)
{
	struct emu_cleanup *c = emu_cleanup_new();
	pid_t a = spawn(0, 60000, true);
	int st;

	emu_cleanup_add_child(c, a, "stubborn");
	emu_cleanup_kill_now(c);
	CU_ASSERT_EQUAL(waitpid(a, &st, 0), a);
	CU_ASSERT_TRUE(WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL);
	/* the registry copes with a child reaped by someone else */
	emu_cleanup_free(c);
}

/*
 * SIGKILL of xcsim runs nothing of ours: a child of emu_child_init dies
 * anyway. A middle process plays xcsim; we are the subreaper that gets
 * its orphan.
 */
static void
test_child_dies_with_a_killed_parent(void)
{
	int p[2], st, i;
	pid_t mid, grand = 0;
	struct timespec nap = { 0, 10 * 1000 * 1000 };

	CU_ASSERT_EQUAL_FATAL(prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0), 0);
	CU_ASSERT_EQUAL_FATAL(pipe(p), 0);
	mid = fork();
	CU_ASSERT_FATAL(mid >= 0);
	if (mid == 0) {
		pid_t g = spawn(0, 60000, true);

		if (write(p[1], &g, sizeof(g)) != sizeof(g))
			_exit(1);
		pause();
		_exit(0);
	}
	CU_ASSERT_EQUAL_FATAL(read(p[0], &grand, sizeof(grand)),
	    sizeof(grand));
	kill(mid, SIGKILL);
	CU_ASSERT_EQUAL(waitpid(mid, &st, 0), mid);
	/* the orphan comes to us, killed by its death signal */
	for (i = 0; i < 500; i++) {
		if (waitpid(grand, &st, WNOHANG) == grand)
			break;
		nanosleep(&nap, NULL);
	}
	CU_ASSERT_TRUE(WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL);
	CU_ASSERT_TRUE(gone(grand));
	prctl(PR_SET_CHILD_SUBREAPER, 0, 0, 0, 0);
	close(p[0]);
	close(p[1]);
}

static const struct test_case cases[] = {
	{ "undo newest first, once", test_fns_newest_first_once },
	{ "children ended and reaped", test_children_ended_and_reaped },
	{ "a child's death ends the run", test_child_death_ends_the_run },
	{ "kill_now", test_kill_now },
	{ "a child dies with its SIGKILLed parent",
	    test_child_dies_with_a_killed_parent },
	{ NULL, NULL }
};

int
main(int argc, char **argv)
{
	return test_main(argc, argv, "realtime_cleanup", cases);
}
