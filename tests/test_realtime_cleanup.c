/*
 * test_realtime_cleanup.c - the emulation's cleanup registry
 * (sim/emu_cleanup): undo functions newest first and once, children ended
 * and reaped, the unexpected death of a watched child ending rt_run with a
 * message naming it, kill_now, and a child of emu_child_init dying with a
 * SIGKILLed parent.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
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

/* What the exit callback saw. */
struct exits {
	int n;
	pid_t pid[4];
	int st[4];
	bool known[4];
	int report_fd;		/* -1, or read the TERM reports at the first */
	char seen[8];		/* what it read */
};

static void
on_child_exit(void *ctx, pid_t pid, int st, bool known)
{
	struct exits *x = ctx;
	ssize_t n;

	if (x->n == 0 && x->report_fd >= 0 &&
	    (n = read(x->report_fd, x->seen, sizeof(x->seen) - 1)) > 0)
		x->seen[n] = '\0';
	x->pid[x->n] = pid;
	x->st[x->n] = st;
	x->known[x->n] = known;
	x->n++;
}

/*
 * The owner gets the exit status from the registry, the only reaper: of an
 * unexpected death (exit 3) and of the end at cleanup (SIGTERM).
 */
static void
test_exit_status_callback(void)
{
	struct emu_cleanup *c = emu_cleanup_new();
	struct sim *sim = sim_new(1);
	char err[256];
	struct rt *rt = rt_new(sim, NULL, err, sizeof(err));
	struct exits x = { .report_fd = -1 };
	pid_t quits, stays;

	CU_ASSERT_PTR_NOT_NULL_FATAL(rt);
	quits = spawn(3, 30, false);
	stays = spawn(0, 60000, false);
	emu_cleanup_add_child_cb(c, quits, "bgpd", on_child_exit, &x);
	emu_cleanup_add_child_cb(c, stays, "zebra", on_child_exit, &x);
	CU_ASSERT_EQUAL(emu_cleanup_watch(c, rt), 0);
	CU_ASSERT_EQUAL(rt_run(rt, SIM_S(20), NULL), RT_ERROR);
	CU_ASSERT_EQUAL_FATAL(x.n, 1);
	CU_ASSERT_EQUAL(x.pid[0], quits);
	CU_ASSERT_TRUE(x.known[0]);
	CU_ASSERT_TRUE(WIFEXITED(x.st[0]) && WEXITSTATUS(x.st[0]) == 3);
	CU_ASSERT_EQUAL(emu_cleanup_watch(c, NULL), 0);
	rt_free(rt);
	sim_free(sim);
	emu_cleanup_free(c);
	CU_ASSERT_EQUAL_FATAL(x.n, 2);
	CU_ASSERT_EQUAL(x.pid[1], stays);
	CU_ASSERT_TRUE(WIFSIGNALED(x.st[1]) && WTERMSIG(x.st[1]) == SIGTERM);
	CU_ASSERT_TRUE(gone(stays));
}

static int report_fd;
static char report_tag;

static void
report_term(int sig)
{
	(void)sig;
	if (write(report_fd, &report_tag, 1) != 1)
		_exit(125);
}

/* A child that reports SIGTERM on fd and goes on until SIGKILL. */
static pid_t
spawn_reporting(int fd, char tag)
{
	pid_t parent = getpid(), pid;
	int p[2];
	char c;

	CU_ASSERT_FATAL(pipe(p) == 0);
	pid = fork();
	CU_ASSERT_FATAL(pid >= 0);
	if (pid == 0) {
		emu_child_init(parent);
		report_fd = fd;
		report_tag = tag;
		signal(SIGTERM, report_term);
		if (write(p[1], "r", 1) != 1)
			_exit(126);
		for (;;)
			pause();
	}
	CU_ASSERT_EQUAL(read(p[0], &c, 1), 1);
	close(p[0]);
	close(p[1]);
	return pid;
}

/*
 * Children registered one after the other are ended together: both have
 * their SIGTERM before the first is SIGKILLed (one shared grace period,
 * not one per child), and both are SIGKILLed and reaped.
 */
static void
test_children_ended_together(void)
{
	struct emu_cleanup *c = emu_cleanup_new();
	struct exits x = { 0 };
	int p[2];
	pid_t a, b;

	CU_ASSERT_FATAL(pipe(p) == 0);
	CU_ASSERT_FATAL(fcntl(p[0], F_SETFL, O_NONBLOCK) == 0);
	x.report_fd = p[0];
	a = spawn_reporting(p[1], 'a');
	b = spawn_reporting(p[1], 'b');
	emu_cleanup_add_child_cb(c, a, "a", on_child_exit, &x);
	emu_cleanup_add_child_cb(c, b, "b", on_child_exit, &x);
	emu_cleanup_run(c);
	CU_ASSERT_EQUAL_FATAL(x.n, 2);
	CU_ASSERT_EQUAL(strlen(x.seen), 2);
	CU_ASSERT_PTR_NOT_NULL(strchr(x.seen, 'a'));
	CU_ASSERT_PTR_NOT_NULL(strchr(x.seen, 'b'));
	CU_ASSERT_TRUE(WIFSIGNALED(x.st[0]) && WTERMSIG(x.st[0]) == SIGKILL);
	CU_ASSERT_TRUE(WIFSIGNALED(x.st[1]) && WTERMSIG(x.st[1]) == SIGKILL);
	CU_ASSERT_TRUE(gone(a) && gone(b));
	emu_cleanup_free(c);
	close(p[0]);
	close(p[1]);
}

struct releaser {
	struct emu_cleanup *c;
	unsigned id;
};

static void
release_event(struct sim *sim, void *arg)
{
	struct releaser *r = arg;

	(void)sim;
	emu_cleanup_release(r->c, r->id, true);
}

/*
 * Releasing a child (run) during a watched run does not block the loop: a
 * child ignoring SIGTERM is still alive when the run reaches 300 ms, 290 ms
 * after the release (a blocking release would have waited out the 1 s grace
 * period); it is SIGKILLed when the grace period ends, reaped on the loop,
 * and its expected death does not end the run.
 */
static void
test_release_does_not_block_the_loop(void)
{
	struct emu_cleanup *c = emu_cleanup_new();
	struct sim *sim = sim_new(1);
	char err[256];
	struct rt *rt = rt_new(sim, NULL, err, sizeof(err));
	struct exits x = { .report_fd = -1 };
	struct releaser rel = { c, 0 };
	pid_t a = spawn(0, 60000, true);

	CU_ASSERT_PTR_NOT_NULL_FATAL(rt);
	rel.id = emu_cleanup_add_child_cb(c, a, "stubborn", on_child_exit, &x);
	CU_ASSERT_EQUAL(emu_cleanup_watch(c, rt), 0);
	sim_schedule_at(sim, SIM_MS(10), release_event, &rel);
	CU_ASSERT_EQUAL(rt_run(rt, SIM_MS(300), NULL), RT_DONE);
	CU_ASSERT_EQUAL(sim_now(sim), SIM_MS(300));
	CU_ASSERT_EQUAL(x.n, 0);
	CU_ASSERT_FALSE(gone(a));
	CU_ASSERT_EQUAL(rt_run(rt, SIM_MS(2000), NULL), RT_DONE);
	CU_ASSERT_EQUAL(sim_now(sim), SIM_MS(2000));
	CU_ASSERT_EQUAL_FATAL(x.n, 1);
	CU_ASSERT_TRUE(WIFSIGNALED(x.st[0]) && WTERMSIG(x.st[0]) == SIGKILL);
	CU_ASSERT_TRUE(gone(a));
	CU_ASSERT_EQUAL(emu_cleanup_watch(c, NULL), 0);
	rt_free(rt);
	sim_free(sim);
	emu_cleanup_free(c);
	CU_ASSERT_EQUAL(x.n, 1);
}

static struct emu_cleanup *volatile second_c;

static void
second_ctrl_c(int sig)
{
	emu_cleanup_kill_now(second_c);
	signal(sig, SIG_DFL);
	raise(sig);
}

/*
 * A second Ctrl-C (kill_now) while the cleanup waits out a child's grace
 * period still SIGKILLs that child: it stays live until reaped. A middle
 * process plays xcsim (its child, without emu_child_init, would outlive
 * it otherwise); we are the subreaper that gets the orphan.
 */
static void
test_kill_now_during_the_grace_period(void)
{
	struct timespec nap = { 0, 10 * 1000 * 1000 };
	int p[2], st = 0, i;
	pid_t mid, kid = 0;

	CU_ASSERT_EQUAL_FATAL(prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0), 0);
	CU_ASSERT_EQUAL_FATAL(pipe(p), 0);
	mid = fork();
	CU_ASSERT_FATAL(mid >= 0);
	if (mid == 0) {
		int q[2];
		pid_t k;
		char r;

		if (pipe(q) < 0 || (k = fork()) < 0)
			_exit(1);
		if (k == 0) {
			signal(SIGTERM, SIG_IGN);
			if (write(q[1], "r", 1) != 1)
				_exit(1);
			for (;;)
				pause();
		}
		/* SIGTERM ignored before anyone sends it */
		if (read(q[0], &r, 1) != 1)
			_exit(1);
		second_c = emu_cleanup_new();
		emu_cleanup_add_child(second_c, k, "stubborn-daemon");
		signal(SIGINT, second_ctrl_c);
		if (write(p[1], &k, sizeof(k)) != sizeof(k))
			_exit(1);
		emu_cleanup_run(second_c);	/* SIGTERM, grace, SIGKILL */
		_exit(0);
	}
	CU_ASSERT_EQUAL_FATAL(read(p[0], &kid, sizeof(kid)), sizeof(kid));
	for (i = 0; i < 30; i++)	/* well inside the 1 s grace period */
		nanosleep(&nap, NULL);
	kill(mid, SIGINT);
	CU_ASSERT_EQUAL(waitpid(mid, &st, 0), mid);
	CU_ASSERT_TRUE(WIFSIGNALED(st) && WTERMSIG(st) == SIGINT);
	/* the orphan comes to us, SIGKILLed by the handler */
	for (i = 0; i < 300; i++) {
		if (waitpid(kid, &st, WNOHANG) == kid)
			break;
		nanosleep(&nap, NULL);
	}
	if (i == 300) {
		kill(kid, SIGKILL);
		waitpid(kid, &st, 0);
		CU_FAIL("the child outlived the second Ctrl-C");
	} else {
		CU_ASSERT_TRUE(WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL);
	}
	prctl(PR_SET_CHILD_SUBREAPER, 0, 0, 0, 0);
	close(p[0]);
	close(p[1]);
}

static void
undo_to_pipe(void *ctx)
{
	if (write(*(int *)ctx, "u", 1) != 1)
		CU_FAIL("write");
}

static void
on_segv(int sig)
{
	(void)sig;
}

/*
 * A forked child never undoes its parent's registry (from an atexit
 * function, say): emu_cleanup_run and kill_now do nothing there. And
 * emu_child_init gives the child the default actions back, the crash
 * signals' and SIGPIPE's included.
 */
static void
test_forked_child_undoes_nothing(void)
{
	struct emu_cleanup *c = emu_cleanup_new();
	pid_t parent = getpid(), k, stays = spawn(0, 60000, false);
	int p[2], st;
	char buf[4];

	CU_ASSERT_FATAL(pipe(p) == 0);
	CU_ASSERT_FATAL(fcntl(p[0], F_SETFL, O_NONBLOCK) == 0);
	emu_cleanup_add_child(c, stays, "daemon");
	emu_cleanup_add(c, undo_to_pipe, &p[1], "netns");
	signal(SIGSEGV, on_segv);
	signal(SIGPIPE, SIG_IGN);
	k = fork();
	CU_ASSERT_FATAL(k >= 0);
	if (k == 0) {
		struct sigaction sa;
		int bad = 0;

		emu_cleanup_kill_now(c);
		emu_cleanup_run(c);	/* what an atexit function would do */
		emu_child_init(parent);
		if (sigaction(SIGSEGV, NULL, &sa) < 0 ||
		    sa.sa_handler != SIG_DFL)
			bad |= 1;
		if (sigaction(SIGPIPE, NULL, &sa) < 0 ||
		    sa.sa_handler != SIG_DFL)
			bad |= 2;
		_exit(bad);
	}
	CU_ASSERT_EQUAL(waitpid(k, &st, 0), k);
	CU_ASSERT_TRUE(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	signal(SIGSEGV, SIG_DFL);
	signal(SIGPIPE, SIG_DFL);
	CU_ASSERT_EQUAL(read(p[0], buf, sizeof(buf)), -1);	/* no undo */
	CU_ASSERT_FALSE(gone(stays));
	emu_cleanup_free(c);
	CU_ASSERT_EQUAL(read(p[0], buf, sizeof(buf)), 1);	/* here, once */
	CU_ASSERT_TRUE(gone(stays));
	close(p[0]);
	close(p[1]);
}

/*
 * Started with SIGCHLD ignored, the kernel reaps the children itself: a
 * crashed daemon is reported with its status unknown, not as exit 0.
 */
static void
test_reaped_elsewhere_is_unknown(void)
{
	struct emu_cleanup *c = emu_cleanup_new();
	struct sim *sim = sim_new(1);
	char err[256], want[128];
	struct rt *rt = rt_new(sim, NULL, err, sizeof(err));
	struct exits x = { .report_fd = -1 };
	pid_t k;

	CU_ASSERT_PTR_NOT_NULL_FATAL(rt);
	signal(SIGCHLD, SIG_IGN);
	k = spawn(0, 60000, false);
	emu_cleanup_add_child_cb(c, k, "bgpd", on_child_exit, &x);
	CU_ASSERT_EQUAL(emu_cleanup_watch(c, rt), 0);
	kill(k, SIGKILL);
	CU_ASSERT_EQUAL(rt_run(rt, SIM_S(20), NULL), RT_ERROR);
	snprintf(want, sizeof(want), "bgpd (pid %ld) was reaped elsewhere "
	    "(status unknown)", (long)k);
	CU_ASSERT_STRING_EQUAL(rt_error(rt), want);
	CU_ASSERT_EQUAL_FATAL(x.n, 1);
	CU_ASSERT_FALSE(x.known[0]);
	signal(SIGCHLD, SIG_DFL);
	CU_ASSERT_EQUAL(emu_cleanup_watch(c, NULL), 0);
	rt_free(rt);
	sim_free(sim);
	emu_cleanup_free(c);
}

static const struct test_case cases[] = {
	{ "the exit status to the owner", test_exit_status_callback },
	{ "children ended together", test_children_ended_together },
	{ "release does not block the loop",
	    test_release_does_not_block_the_loop },
	{ "kill_now during the grace period",
	    test_kill_now_during_the_grace_period },
	{ "a forked child undoes nothing", test_forked_child_undoes_nothing },
	{ "reaped elsewhere: status unknown",
	    test_reaped_elsewhere_is_unknown },
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
