/*
 * test_realtime_run.c - the emulation seam of a scenario run, used the way
 * an attachment (a TAP device, a daemon) will use it: a section whose build
 * finds the run's rt and cleanup registry in sc_build, starts a child
 * process, registers it, watches a pipe from it on rt_loop() and schedules
 * what arrives at rt_now(). Offline the same section fails its build with a
 * message; in an emulation the input arrives, the run's end ends the child,
 * and a child dying early ends rt_run naming it.
 */
#include <ev.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "emu_cleanup.h"
#include "realtime.h"
#include "scenario.h"
#include "scenario_models.h"
#include "scenario_run.h"
#include "scenario_section.h"
#include "sim.h"
#include "testutil.h"

struct child_item {
	char *name;
	sim_time exit_after;	/* 0: never, until ended */
	struct sc_loc loc;
	struct sc_loc vloc[2];
	uint64_t keys[SC_KEYS_WORDS(2)];
};

static const struct sc_field child_fields[] = {
	{ "name", SC_FT_NAME, SC_AT(struct child_item, name), .required = true,
		.doc = "its name" },
	{ "exit_after", SC_FT_TIME, SC_AT(struct child_item, exit_after),
		.def = "0s", .doc = "exits with status 7 after this" },
};

static const struct sc_table child_table = {
	"test-child", "A child process that says hello.", child_fields,
	SC_NFIELDS(child_fields), sizeof(struct child_item),
	offsetof(struct child_item, loc), offsetof(struct child_item, vloc),
	offsetof(struct child_item, keys), -1
};

/* What the attachment keeps for the run. */
struct attach {
	struct rt *rt;
	ev_io w;
	int fd;
	pid_t pid;
	sim_time arrived;	/* rt_now() when hello came, or -1 */
	sim_time now_then;	/* sim_now() then */
	sim_time ran_at;	/* when its event ran, or -1 */
};

static struct attach *last;	/* the case reads it */

static void
hello_event(struct sim *sim, void *arg)
{
	((struct attach *)arg)->ran_at = sim_now(sim);
}

static void
on_hello(struct ev_loop *loop, ev_io *w, int revents)
{
	struct attach *a = w->data;
	char c;

	(void)revents;
	if (read(a->fd, &c, 1) != 1)
		return;
	ev_io_stop(loop, w);
	a->now_then = sim_now(rt_sim(a->rt));
	a->arrived = rt_now(a->rt);
	sim_schedule_at(rt_sim(a->rt), a->arrived, hello_event, a);
}

static int
build_child(struct sc_build *b, const void *items, size_t n)
{
	const struct child_item *it = items;
	struct attach *a;
	pid_t parent = getpid();
	int p[2];

	if (n == 0)
		return 0;
	if (b->rt == NULL || b->cleanup == NULL)
		return sim_err(b->err, b->errlen, "test-child %s: needs xcsim "
		    "emulate", it[0].name);
	if (pipe(p) < 0)
		return sim_err(b->err, b->errlen, "pipe: %s", strerror(errno));
	a = xcalloc(1, sizeof(*a));
	a->rt = b->rt;
	a->fd = p[0];
	a->arrived = a->ran_at = -1;
	a->pid = fork();
	if (a->pid == 0) {
		struct timespec ts = { it[0].exit_after / SIM_S(1),
		    (long)(it[0].exit_after % SIM_S(1)) };

		emu_child_init(parent);
		if (write(p[1], "h", 1) != 1)
			_exit(1);
		if (it[0].exit_after == 0)
			for (;;)
				pause();
		nanosleep(&ts, NULL);
		_exit(7);
	}
	close(p[1]);
	emu_cleanup_add_child(b->cleanup, a->pid, it[0].name);
	ev_io_init(&a->w, on_hello, a->fd, EV_READ);
	a->w.data = a;
	ev_io_start(rt_loop(b->rt), &a->w);
	last = a;
	return sc_build_set_state(b, a);
}

static void
free_child(void *state)
{
	struct attach *a = state;

	/* before the rt goes: the run frees states first */
	ev_io_stop(rt_loop(a->rt), &a->w);
	close(a->fd);
	free(a);
	last = NULL;
}

static const struct sc_section child_section = {
	.name = "test_children", .doc = "child processes", .table = &child_table,
	.list = true, .phase = SC_PHASE_NET, .build = build_child,
	.state_free = free_child,
};

static const char scenario_fmt[] =
    "name: attach\nduration: 300ms\n"
    "nodes:\n"
    "  - { name: a, role: host, interfaces: [ { name: e, address: 10.0.0.1/24 } ] }\n"
    "  - { name: b, role: host, interfaces: [ { name: e, address: 10.0.0.2/24 } ] }\n"
    "links:\n  - { name: l, a: \"a:e\", b: \"b:e\", rate: 1Gbps, delay: 1ms }\n"
    "apps:\n  - { name: p, type: ping, node: a, dst: b, interval: 20ms }\n"
    "test_children:\n  - { name: bgpd, exit_after: %s }\n";

static struct scenario *
load(const char *exit_after)
{
	char text[1024];
	unsigned nerr = 0;
	struct scenario *sc;

	snprintf(text, sizeof(text), scenario_fmt, exit_after);
	sc = scenario_load_buffer("attach", text, strlen(text), stderr, &nerr);
	CU_ASSERT_PTR_NOT_NULL_FATAL(sc);
	return sc;
}

static bool
gone(pid_t pid)
{
	return kill(pid, 0) < 0 && errno == ESRCH;
}

static void
test_offline_build_says_why(void)
{
	struct scenario *sc = load("0s");
	struct run_opts o = { 0 };
	char err[256];

	CU_ASSERT_PTR_NULL(run_new(sc, &o, err, sizeof(err)));
	CU_ASSERT_STRING_EQUAL(err, "test-child bgpd: needs xcsim emulate");
	scenario_free(sc);
}

static void
test_emulation_input_and_cleanup(void)
{
	struct scenario *sc = load("0s");
	struct rt_cfg cfg = { .policy = RT_LATE_WARN };
	struct emu_cleanup *c = emu_cleanup_new();
	struct run_opts o = { .rt_cfg = &cfg, .cleanup = c };
	struct rt_lateness l;
	struct run *r;
	char err[256];
	pid_t pid;

	r = run_new(sc, &o, err, sizeof(err));
	CU_ASSERT_PTR_NOT_NULL_FATAL(r);
	CU_ASSERT_PTR_NOT_NULL_FATAL(run_rt(r));
	CU_ASSERT_PTR_EQUAL(rt_sim(run_rt(r)), run_sim(r));
	CU_ASSERT_PTR_NOT_NULL_FATAL(last);
	pid = last->pid;
	CU_ASSERT_EQUAL(rt_run(run_rt(r), run_end_time(r), NULL), RT_DONE);
	CU_ASSERT_EQUAL(sim_now(run_sim(r)), SIM_MS(300));
	/* the hello arrived at rt_now(), never before the kernel's time */
	CU_ASSERT(last->arrived >= last->now_then);
	CU_ASSERT_EQUAL(last->ran_at, last->arrived);
	rt_lateness(run_rt(r), &l);
	CU_ASSERT_EQUAL(l.events, sim_events_run(run_sim(r)));
	CU_ASSERT_FALSE(gone(pid));
	emu_cleanup_run(c);	/* as xcsim emulate at the end */
	CU_ASSERT_TRUE(gone(pid));
	run_free(r);
	CU_ASSERT_PTR_NULL(last);
	emu_cleanup_free(c);
	scenario_free(sc);
}

static void
test_child_death_ends_the_emulation(void)
{
	struct scenario *sc = load("50ms");
	struct rt_cfg cfg = { .policy = RT_LATE_WARN };
	struct emu_cleanup *c = emu_cleanup_new();
	struct run_opts o = { .rt_cfg = &cfg, .cleanup = c };
	struct run *r;
	char err[256], want[128];
	pid_t pid;

	r = run_new(sc, &o, err, sizeof(err));
	CU_ASSERT_PTR_NOT_NULL_FATAL(r);
	pid = last->pid;
	CU_ASSERT_EQUAL(rt_run(run_rt(r), run_end_time(r), NULL), RT_ERROR);
	snprintf(want, sizeof(want), "bgpd (pid %ld) exited with status 7",
	    (long)pid);
	CU_ASSERT_STRING_EQUAL(rt_error(run_rt(r)), want);
	CU_ASSERT(sim_now(run_sim(r)) < SIM_MS(300));
	CU_ASSERT_TRUE(gone(pid));	/* reaped */
	emu_cleanup_run(c);
	run_free(r);
	emu_cleanup_free(c);
	scenario_free(sc);
}

static const struct test_case cases[] = {
	{ "offline, the build says why", test_offline_build_says_why },
	{ "input at rt_now, child ended at the end",
	    test_emulation_input_and_cleanup },
	{ "a child's death ends the emulation",
	    test_child_death_ends_the_emulation },
	{ NULL, NULL }
};

int
main(int argc, char **argv)
{
	int rc;

	scenario_models_init();
	if (scenario_register_section(&child_section) < 0)
		return 1;
	rc = test_main(argc, argv, "realtime_run", cases);
	scenario_unregister_section(&child_section);
	return rc;
}
