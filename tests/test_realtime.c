/*
 * test_realtime.c - the real-time kernel (sim/realtime): the kernel's events
 * in their order at their simulated times, paced by the wall clock (asserted
 * only as lower bounds), lateness measured for every event, inputs from a
 * watcher entering at rt_now(), the lateness policies naming the late event,
 * stopping by a flag and by rt_fail; and the event observer seam of sim/.
 */
#include <ev.h>
#include <signal.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "realtime.h"
#include "sim.h"
#include "testutil.h"

static int64_t
wall_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

struct log {
	int n;
	int who[64];
	sim_time when[64];
};

struct tag {
	struct log *log;
	int who;
};

static void
log_event(struct sim *sim, void *arg)
{
	struct tag *t = arg;

	t->log->who[t->log->n] = t->who;
	t->log->when[t->log->n++] = sim_now(sim);
}

static struct rt *
mk_rt(struct sim *sim, const struct rt_cfg *cfg)
{
	char err[256];
	struct rt *rt = rt_new(sim, cfg, err, sizeof(err));

	CU_ASSERT_PTR_NOT_NULL_FATAL(rt);
	CU_ASSERT_PTR_EQUAL(rt_sim(rt), sim);
	CU_ASSERT_PTR_NOT_NULL(rt_loop(rt));
	return rt;
}

static void
test_order_times_and_pacing(void)
{
	struct sim *sim = sim_new(1);
	struct rt *rt = mk_rt(sim, NULL);
	struct log log = { 0 };
	struct tag tags[6];
	static const sim_time at[6] = { SIM_MS(150), SIM_MS(10), SIM_MS(10),
	    SIM_MS(0), SIM_MS(199), SIM_MS(60) };
	static const int want[6] = { 3, 1, 2, 5, 0, 4 };
	struct rt_lateness l;
	int64_t w0;
	int i;

	for (i = 0; i < 6; i++) {
		tags[i] = (struct tag){ &log, i };
		sim_schedule_at(sim, at[i], log_event, &tags[i]);
	}
	/* an event past until stays pending */
	sim_schedule_at(sim, SIM_MS(300), log_event, &tags[0]);
	CU_ASSERT_EQUAL(rt_now(rt), 0);	/* before rt_run: sim_now */
	w0 = wall_ns();
	CU_ASSERT_EQUAL(rt_run(rt, SIM_MS(200), NULL), RT_DONE);
	/* 200 ms simulated took at least 200 ms of wall time */
	CU_ASSERT(wall_ns() - w0 >= SIM_MS(200));
	CU_ASSERT_EQUAL(sim_now(sim), SIM_MS(200));
	CU_ASSERT_EQUAL_FATAL(log.n, 6);
	for (i = 0; i < 6; i++) {
		CU_ASSERT_EQUAL(log.who[i], want[i]);
		CU_ASSERT_EQUAL(log.when[i], at[want[i]]);
	}
	CU_ASSERT_EQUAL(sim_pending(sim), 1);
	rt_lateness(rt, &l);
	CU_ASSERT_EQUAL(l.events, 6);
	CU_ASSERT(l.p50 <= l.p99 && l.p99 <= l.p999 && l.p999 <= l.max);
	CU_ASSERT_STRING_EQUAL(rt_error(rt), "");
	/* again, to continue: the last one runs at 300 ms */
	CU_ASSERT_EQUAL(rt_run(rt, SIM_MS(300), NULL), RT_DONE);
	CU_ASSERT_EQUAL(log.n, 7);
	CU_ASSERT_EQUAL(log.when[6], SIM_MS(300));
	rt_lateness(rt, &l);
	CU_ASSERT_EQUAL(l.events, 7);
	rt_free(rt);
	sim_free(sim);
}

/* An input from outside: a byte on a pipe, written by another process. */
struct input {
	struct rt *rt;
	struct log *log;
	struct tag tag;
	ev_io w;
	int fd;
	sim_time at;		/* rt_now() when it arrived */
	sim_time now_then;	/* sim_now() then */
};

static void
on_input(struct ev_loop *loop, ev_io *w, int revents)
{
	struct input *in = w->data;
	char c;

	(void)revents;
	CU_ASSERT_EQUAL(read(in->fd, &c, 1), 1);
	ev_io_stop(loop, w);
	in->now_then = sim_now(rt_sim(in->rt));
	in->at = rt_now(in->rt);
	sim_schedule_at(rt_sim(in->rt), in->at, log_event, &in->tag);
}

/* The event that tells the other process to start its 70 ms. */
static void
go(struct sim *sim, void *arg)
{
	(void)sim;
	CU_ASSERT_EQUAL(write(*(int *)arg, "g", 1), 1);
}

static void
test_input_lands_at_rt_now(void)
{
	struct sim *sim = sim_new(1);
	struct rt *rt = mk_rt(sim, NULL);
	struct log log = { 0 };
	struct input in = { .rt = rt, .log = &log };
	struct tag tags[20];
	struct timespec nap = { 0, 70 * 1000 * 1000 };
	int p[2], g[2], i, st, k;
	pid_t pid;
	char c;

	CU_ASSERT_EQUAL_FATAL(pipe(p), 0);
	CU_ASSERT_EQUAL_FATAL(pipe(g), 0);
	/* at 0, once rt_run has started: the 70 ms count from then */
	sim_schedule_at(sim, 0, go, &g[1]);
	/* a tick every 10 ms keeps the kernel's clock moving */
	for (i = 0; i < 20; i++) {
		tags[i] = (struct tag){ &log, i };
		sim_schedule_at(sim, SIM_MS(10) * i, log_event, &tags[i]);
	}
	in.tag = (struct tag){ &log, 100 };
	in.fd = p[0];
	ev_io_init(&in.w, on_input, p[0], EV_READ);
	in.w.data = &in;
	ev_io_start(rt_loop(rt), &in.w);
	pid = fork();
	CU_ASSERT_FATAL(pid >= 0);
	if (pid == 0) {
		if (read(g[0], &c, 1) != 1)
			_exit(1);
		nanosleep(&nap, NULL);
		_exit(write(p[1], "x", 1) == 1 ? 0 : 1);
	}
	CU_ASSERT_EQUAL(rt_run(rt, SIM_MS(200), NULL), RT_DONE);
	CU_ASSERT_EQUAL(waitpid(pid, &st, 0), pid);
	CU_ASSERT_TRUE(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	CU_ASSERT_EQUAL(log.n, 21);
	/* never before the kernel's time; at least the 70 ms it waited */
	CU_ASSERT(in.at >= in.now_then);
	CU_ASSERT(in.at >= SIM_MS(70));
	/* it ran at that time, after every tick before it, before the rest */
	for (k = 0; k < log.n && log.who[k] != 100; k++)
		CU_ASSERT(log.when[k] <= in.at);
	CU_ASSERT_FATAL(k < log.n);
	CU_ASSERT_EQUAL(log.when[k], in.at);
	for (k++; k < log.n; k++)
		CU_ASSERT(log.when[k] > in.at);
	close(p[0]);
	close(p[1]);
	close(g[0]);
	close(g[1]);
	rt_free(rt);
	sim_free(sim);
}

/*
 * Keeps the CPU for 150 ms of wall time: far more than the bound of 100 ms
 * the cases use, which no preemption of the loop on a busy machine reaches.
 */
void
test_rt_slow_event(struct sim *sim, void *arg);

void
test_rt_slow_event(struct sim *sim, void *arg)
{
	int64_t end = wall_ns() + SIM_MS(150);

	(void)sim;
	(void)arg;
	while (wall_ns() < end)
		;
}

static void
late_victim(struct sim *sim, void *arg)
{
	(*(int *)arg)++;
	(void)sim;
}

static void
test_late_stop_names_the_event(void)
{
	struct rt_cfg cfg = { .policy = RT_LATE_STOP,
	    .late_bound = SIM_MS(100) };
	struct sim *sim = sim_new(1);
	struct rt *rt = mk_rt(sim, &cfg);
	struct rt_lateness l;
	int ran = 0, after = 0;

	sim_schedule_at(sim, SIM_MS(10), test_rt_slow_event, NULL);
	/* due 1 ms after the slow one started: at least 149 ms late */
	sim_schedule_at(sim, SIM_MS(11), late_victim, &ran);
	sim_schedule_at(sim, SIM_MS(12), late_victim, &after);
	CU_ASSERT_EQUAL(rt_run(rt, SIM_MS(100), NULL), RT_TOO_LATE);
	/* the late event ran, nothing after it */
	CU_ASSERT_EQUAL(ran, 1);
	CU_ASSERT_EQUAL(after, 0);
	CU_ASSERT_EQUAL(sim_now(sim), SIM_MS(11));
	fprintf(stderr, "\n  rt_error: %s\n", rt_error(rt));
	CU_ASSERT_PTR_NOT_NULL(strstr(rt_error(rt), "the event at 11ms "
	    "simulated ran "));
	CU_ASSERT_PTR_NOT_NULL(strstr(rt_error(rt), "(the bound is 100ms)"));
	/* a static function, named from the symbol table */
	CU_ASSERT_PTR_NOT_NULL(strstr(rt_error(rt), "late_victim()"));
	rt_lateness(rt, &l);
	CU_ASSERT(l.max >= SIM_MS(149));
	CU_ASSERT_EQUAL(l.events, 2);
	/* too late may be continued */
	CU_ASSERT_EQUAL(rt_run(rt, SIM_MS(100), NULL), RT_DONE);
	CU_ASSERT_EQUAL(after, 1);
	rt_free(rt);
	sim_free(sim);
}

struct warns {
	int n;
	char last[1024];
};

static void
on_warn(const char *msg, void *ctx)
{
	struct warns *w = ctx;

	w->n++;
	snprintf(w->last, sizeof(w->last), "%s", msg);
}

static void
test_late_warn_rate_limited(void)
{
	struct warns w = { 0 };
	struct rt_cfg cfg = { .policy = RT_LATE_WARN,
	    .late_bound = SIM_MS(100), .warn_every = SIM_S(10), .warn = on_warn,
	    .warn_ctx = &w };
	struct sim *sim = sim_new(1);
	struct rt *rt = mk_rt(sim, &cfg);
	int ran = 0;

	/* two slow events, each making the next one late */
	sim_schedule_at(sim, SIM_MS(10), test_rt_slow_event, NULL);
	sim_schedule_at(sim, SIM_MS(11), test_rt_slow_event, NULL);
	sim_schedule_at(sim, SIM_MS(12), late_victim, &ran);
	CU_ASSERT_EQUAL(rt_run(rt, SIM_MS(400), NULL), RT_DONE);
	CU_ASSERT_EQUAL(ran, 1);
	/* best effort: all ran; one warning within warn_every */
	CU_ASSERT_EQUAL(w.n, 1);
	CU_ASSERT_PTR_NOT_NULL(strstr(w.last, "behind real time: the event at "
	    "11ms simulated ran "));
	CU_ASSERT_PTR_NOT_NULL(strstr(w.last, "test_rt_slow_event()"));
	CU_ASSERT_EQUAL(sim_now(sim), SIM_MS(400));
	rt_free(rt);
	sim_free(sim);
}

static volatile sig_atomic_t stop_flag;

static void
raise_flag(struct sim *sim, void *arg)
{
	(void)sim;
	(void)arg;
	stop_flag = 1;
}

static void
test_stop_flag_between_events(void)
{
	struct sim *sim = sim_new(1);
	struct rt *rt = mk_rt(sim, NULL);
	int ran = 0;

	stop_flag = 0;
	sim_schedule_at(sim, SIM_MS(5), raise_flag, NULL);
	sim_schedule_at(sim, SIM_MS(5), late_victim, &ran);
	sim_schedule_at(sim, SIM_MS(50), late_victim, &ran);
	CU_ASSERT_EQUAL(rt_run(rt, SIM_MS(100), &stop_flag), RT_STOPPED);
	/* stopped after the event that set it: not the one at the same time */
	CU_ASSERT_EQUAL(ran, 0);
	CU_ASSERT_EQUAL(sim_now(sim), SIM_MS(5));
	stop_flag = 0;
	CU_ASSERT_EQUAL(rt_run(rt, SIM_MS(100), &stop_flag), RT_DONE);
	CU_ASSERT_EQUAL(ran, 2);
	/* set before: returns at once, nothing run */
	stop_flag = 1;
	sim_schedule_at(sim, SIM_MS(110), late_victim, &ran);
	CU_ASSERT_EQUAL(rt_run(rt, SIM_MS(200), &stop_flag), RT_STOPPED);
	CU_ASSERT_EQUAL(ran, 2);
	stop_flag = 0;
	rt_free(rt);
	sim_free(sim);
}

struct failer {
	struct rt *rt;
	ev_timer t;
};

static void
on_fail_timer(struct ev_loop *loop, ev_timer *w, int revents)
{
	struct failer *f = w->data;

	(void)loop;
	(void)revents;
	rt_fail(f->rt, "device %s went away", "tap0");
	rt_fail(f->rt, "a second reason");	/* the first one stands */
}

static void
test_rt_fail_from_a_watcher(void)
{
	struct sim *sim = sim_new(1);
	struct rt *rt = mk_rt(sim, NULL);
	struct failer f = { .rt = rt };
	int ran = 0;

	sim_schedule_at(sim, SIM_S(10), late_victim, &ran);
	ev_timer_init(&f.t, on_fail_timer, 0.02, 0);
	f.t.data = &f;
	ev_timer_start(rt_loop(rt), &f.t);
	CU_ASSERT_EQUAL(rt_run(rt, SIM_TIME_MAX, NULL), RT_ERROR);
	CU_ASSERT_STRING_EQUAL(rt_error(rt), "device tap0 went away");
	CU_ASSERT_EQUAL(ran, 0);
	/* a failure is final */
	CU_ASSERT_EQUAL(rt_run(rt, SIM_TIME_MAX, NULL), RT_ERROR);
	rt_free(rt);
	sim_free(sim);
}

/* The observer seam: every event, in order, at its time, before it runs. */
struct seen {
	int n;
	sim_time at[16];
	sim_event_fn fn[16];
	int log_n_then[16];
	struct log *log;
};

static void
observer(struct sim *sim, sim_event_fn fn, void *arg, void *ctx)
{
	struct seen *s = ctx;

	(void)arg;
	s->at[s->n] = sim_now(sim);
	s->fn[s->n] = fn;
	s->log_n_then[s->n++] = s->log->n;
	if (s->n == 3)
		sim_stop(sim);	/* the third still runs, then the loop returns */
}

static void
test_event_observer(void)
{
	struct sim *sim = sim_new(1);
	struct log log = { 0 };
	struct seen s = { .log = &log };
	struct tag tags[5];
	int i;

	for (i = 0; i < 5; i++) {
		tags[i] = (struct tag){ &log, i };
		sim_schedule_at(sim, SIM_US(5 - i), log_event, &tags[i]);
	}
	sim_set_event_observer(sim, observer, &s);
	CU_ASSERT_EQUAL(sim_run(sim), 3);
	CU_ASSERT_EQUAL(s.n, 3);
	CU_ASSERT_EQUAL(log.n, 3);
	for (i = 0; i < 3; i++) {
		CU_ASSERT_EQUAL(s.at[i], SIM_US(i + 1));
		CU_ASSERT(s.fn[i] == log_event);
		CU_ASSERT_EQUAL(s.log_n_then[i], i);	/* before it ran */
	}
	sim_set_event_observer(sim, NULL, NULL);
	CU_ASSERT_EQUAL(sim_run(sim), 2);
	CU_ASSERT_EQUAL(s.n, 3);
	CU_ASSERT_EQUAL(log.n, 5);
	sim_free(sim);
}

static const struct test_case cases[] = {
	{ "order, times, pacing", test_order_times_and_pacing },
	{ "input from a watcher lands at rt_now", test_input_lands_at_rt_now },
	{ "RT_LATE_STOP names the late event", test_late_stop_names_the_event },
	{ "RT_LATE_WARN rate-limited", test_late_warn_rate_limited },
	{ "stop flag between events", test_stop_flag_between_events },
	{ "rt_fail from a watcher", test_rt_fail_from_a_watcher },
	{ "event observer", test_event_observer },
	{ NULL, NULL }
};

int
main(int argc, char **argv)
{
	return test_main(argc, argv, "realtime", cases);
}
