/*
 * test_timer.c - restartable model-owned timers: exact expiry when started,
 * moved and restarted, stop, restart from inside the callback, the owner's
 * set cancelling every pending timer at once (also from inside one of its
 * own callbacks), and the deterministic order of timers that expire at the
 * same instant. Under ASan a timer event left behind in freed memory fails.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "sim.h"
#include "testutil.h"
#include "timer.h"

#define LOG_MAX 256

struct log {
	int who[LOG_MAX];
	sim_time when[LOG_MAX];
	int n;
};

static void
log_add(struct log *lg, int who, sim_time t)
{
	CU_ASSERT_FATAL(lg->n < LOG_MAX);
	lg->who[lg->n] = who;
	lg->when[lg->n++] = t;
}

/* A timer tagged with who it is and where it logs. */
struct tagged {
	struct timer tm;
	struct log *log;
	int id;
};

static void
tagged_fire(struct timer *tm, void *arg)
{
	struct tagged *tg = arg;

	CU_ASSERT_PTR_EQUAL(tm, &tg->tm);
	CU_ASSERT_FALSE(timer_is_running(tm));	/* stopped while it runs */
	log_add(tg->log, tg->id, sim_now(timer_sim(tm)));
}

static void
test_start_and_fire(void)
{
	struct sim *sim = sim_new(1);
	struct log lg = { .n = 0 };
	struct tagged a = { .log = &lg, .id = 1 };

	timer_init(&a.tm, sim, NULL, tagged_fire, &a);
	CU_ASSERT_FALSE(timer_is_running(&a.tm));
	CU_ASSERT_EQUAL(timer_expiry(&a.tm), SIM_TIME_MAX);
	CU_ASSERT_EQUAL(timer_remaining(&a.tm), SIM_TIME_MAX);
	timer_start(&a.tm, SIM_MS(7));
	CU_ASSERT_TRUE(timer_is_running(&a.tm));
	CU_ASSERT_EQUAL(timer_expiry(&a.tm), SIM_MS(7));
	CU_ASSERT_EQUAL(sim_pending(sim), 1);
	sim_run_until(sim, SIM_MS(2));
	CU_ASSERT_EQUAL(timer_remaining(&a.tm), SIM_MS(5));
	sim_run(sim);
	CU_ASSERT_EQUAL(lg.n, 1);
	CU_ASSERT_EQUAL(lg.when[0], SIM_MS(7));
	CU_ASSERT_FALSE(timer_is_running(&a.tm));
	CU_ASSERT_EQUAL(timer_expiry(&a.tm), SIM_TIME_MAX);

	/* start_at an absolute time; a zero delay fires at this instant */
	timer_start_at(&a.tm, SIM_MS(9) + 3);
	CU_ASSERT_EQUAL(timer_expiry(&a.tm), SIM_MS(9) + 3);
	sim_run(sim);
	CU_ASSERT_EQUAL(lg.n, 2);
	CU_ASSERT_EQUAL(lg.when[1], SIM_MS(9) + 3);
	timer_start(&a.tm, 0);
	sim_run(sim);
	CU_ASSERT_EQUAL(lg.n, 3);
	CU_ASSERT_EQUAL(lg.when[2], SIM_MS(9) + 3);
	timer_destroy(&a.tm);
	sim_free(sim);
}

/* --- restart moves the expiry exactly --- */

struct poke {
	struct timer *tm;
	sim_time delay;		/* < 0: timer_restart */
};

static void
poke_fire(struct sim *sim, void *arg)
{
	struct poke *pk = arg;

	(void)sim;
	if (pk->delay < 0)
		timer_restart(pk->tm);
	else
		timer_start(pk->tm, pk->delay);
}

static void
test_restart_moves_expiry(void)
{
	struct sim *sim = sim_new(1);
	struct log lg = { .n = 0 };
	struct tagged a = { .log = &lg, .id = 1 };
	struct poke later = { &a.tm, -1 }, earlier = { &a.tm, SIM_US(1) };
	int i;

	/*
	 * A hold timer of 10 ms reset by keepalives at 3, 6 and 9.5 ms
	 * expires 10 ms after the last one, once.
	 */
	timer_init(&a.tm, sim, NULL, tagged_fire, &a);
	timer_start(&a.tm, SIM_MS(10));
	sim_schedule_at(sim, SIM_MS(3), poke_fire, &later);
	sim_schedule_at(sim, SIM_MS(6), poke_fire, &later);
	sim_schedule_at(sim, SIM_US(9500), poke_fire, &later);
	sim_run_until(sim, SIM_MS(19));
	CU_ASSERT_EQUAL(timer_expiry(&a.tm), SIM_US(19500));
	CU_ASSERT_EQUAL(lg.n, 0);
	sim_run(sim);
	CU_ASSERT_EQUAL(lg.n, 1);
	CU_ASSERT_EQUAL(lg.when[0], SIM_US(19500));

	/* Moved earlier: a 1 s timer started again with 1 us at 20 ms. */
	timer_start(&a.tm, SIM_S(1));
	sim_schedule_at(sim, SIM_MS(20), poke_fire, &earlier);
	sim_run(sim);
	CU_ASSERT_EQUAL(lg.n, 2);
	CU_ASSERT_EQUAL(lg.when[1], SIM_MS(20) + SIM_US(1));
	CU_ASSERT_EQUAL(sim_now(sim), SIM_MS(20) + SIM_US(1));

	/* 100,000 restarts leave one event, never a trail of stale ones. */
	timer_start(&a.tm, SIM_MS(1));
	for (i = 0; i < 100000; i++) {
		timer_restart(&a.tm);
		CU_ASSERT_EQUAL_FATAL(sim_pending(sim), 1);
	}
	sim_run(sim);
	CU_ASSERT_EQUAL(lg.n, 3);
	CU_ASSERT_EQUAL(lg.when[2], SIM_MS(21) + SIM_US(1));
	timer_destroy(&a.tm);
	sim_free(sim);
}

static void
test_stop(void)
{
	struct sim *sim = sim_new(1);
	struct log lg = { .n = 0 };
	struct tagged a = { .log = &lg, .id = 1 }, b = { .log = &lg, .id = 2 };

	timer_init(&a.tm, sim, NULL, tagged_fire, &a);
	timer_init(&b.tm, sim, NULL, tagged_fire, &b);
	CU_ASSERT_FALSE(timer_stop(&a.tm));	/* never started */
	timer_start(&a.tm, SIM_MS(1));
	timer_start(&b.tm, SIM_MS(2));
	CU_ASSERT_TRUE(timer_stop(&a.tm));
	CU_ASSERT_FALSE(timer_stop(&a.tm));
	CU_ASSERT_FALSE(timer_is_running(&a.tm));
	CU_ASSERT_EQUAL(sim_pending(sim), 1);
	sim_run(sim);
	CU_ASSERT_EQUAL(lg.n, 1);
	CU_ASSERT_EQUAL(lg.who[0], 2);
	CU_ASSERT_EQUAL(lg.when[0], SIM_MS(2));
	/* a stopped timer starts again normally */
	timer_restart(&a.tm);
	sim_run(sim);
	CU_ASSERT_EQUAL(lg.n, 2);
	CU_ASSERT_EQUAL(lg.who[1], 1);
	CU_ASSERT_EQUAL(lg.when[1], SIM_MS(3));
	timer_destroy(&a.tm);
	timer_destroy(&b.tm);
	sim_free(sim);
}

/* --- a periodic timer restarting itself from its callback --- */

struct ticker {
	struct timer tm;
	struct log log;
	int left;
	bool use_restart;
};

static void
ticker_fire(struct timer *tm, void *arg)
{
	struct ticker *tk = arg;

	log_add(&tk->log, tk->left, sim_now(timer_sim(tm)));
	if (--tk->left <= 0)
		return;
	if (tk->use_restart)
		timer_restart(tm);
	else
		timer_start(tm, SIM_US(250) * tk->left);
	CU_ASSERT_TRUE(timer_is_running(tm));
}

static void
test_restart_from_callback(void)
{
	struct sim *sim = sim_new(1);
	struct ticker tk = { .left = 5, .use_restart = true };
	sim_time t;
	int i;

	timer_init(&tk.tm, sim, NULL, ticker_fire, &tk);
	timer_start(&tk.tm, SIM_MS(30));	/* a keepalive every 30 ms */
	sim_run(sim);
	CU_ASSERT_EQUAL(tk.log.n, 5);
	for (i = 0; i < tk.log.n; i++)
		CU_ASSERT_EQUAL(tk.log.when[i], SIM_MS(30) * (i + 1));
	CU_ASSERT_FALSE(timer_is_running(&tk.tm));

	/* A backoff with a new delay each time: 250 us times what is left. */
	tk.log.n = 0;
	tk.left = 4;
	tk.use_restart = false;
	timer_start(&tk.tm, 0);
	sim_run(sim);
	CU_ASSERT_EQUAL(tk.log.n, 4);
	t = SIM_MS(150);
	CU_ASSERT_EQUAL(tk.log.when[0], t);
	for (i = 1; i < 4; i++) {
		t += SIM_US(250) * (4 - i);
		CU_ASSERT_EQUAL(tk.log.when[i], t);
	}
	timer_destroy(&tk.tm);
	sim_free(sim);
}

/* --- an owner with many timers, freed while they are pending --- */

#define SESSION_TIMERS 64

struct session {
	struct timer_set timers;
	struct timer t[SESSION_TIMERS];
	struct log *log;
	int id;
	struct session **slot;	/* cleared when the session frees itself */
};

static void
session_free(struct session *s)
{
	timer_set_destroy(&s->timers);
	if (s->slot != NULL)
		*s->slot = NULL;
	free(s);
}

static void
session_timer(struct timer *tm, void *arg)
{
	struct session *s = arg;
	int idx = (int)(tm - s->t);

	log_add(s->log, s->id * 1000 + idx, sim_now(timer_sim(tm)));
	/* timer 0 is the hold timer: its expiry tears the session down */
	if (idx == 0)
		session_free(s);
}

static struct session *
session_new(struct sim *sim, struct log *lg, int id)
{
	struct session *s = xcalloc(1, sizeof(*s));
	int i;

	s->log = lg;
	s->id = id;
	timer_set_init(&s->timers);
	for (i = 0; i < SESSION_TIMERS; i++)
		timer_init(&s->t[i], sim, &s->timers, session_timer, s);
	return s;
}

static void
free_session_event(struct sim *sim, void *arg)
{
	struct session **sp = arg;

	(void)sim;
	session_free(*sp);
	*sp = NULL;
}

static void
test_set_frees_owner_with_pending_timers(void)
{
	struct sim *sim = sim_new(1);
	struct log lg = { .n = 0 };
	struct session *s[3];
	int i, k;

	for (k = 0; k < 3; k++) {
		s[k] = session_new(sim, &lg, k + 1);
		s[k]->slot = &s[k];
		CU_ASSERT_EQUAL(timer_set_count(&s[k]->timers),
		    SESSION_TIMERS);
		/* every timer pending; timer 0 last, so it never fires early */
		for (i = 1; i < SESSION_TIMERS; i++)
			timer_start(&s[k]->t[i], SIM_MS(10) + SIM_US(i));
		timer_start(&s[k]->t[0], SIM_MS(20));
	}
	CU_ASSERT_EQUAL(timer_set_running(&s[0]->timers), SESSION_TIMERS);
	CU_ASSERT_EQUAL(sim_pending(sim), 3 * SESSION_TIMERS);

	/* Session 1 is freed at 5 ms from outside: none of its timers fire. */
	sim_schedule_at(sim, SIM_MS(5), free_session_event, &s[0]);
	/* Session 2's hold timer expires first and frees it from inside. */
	timer_start(&s[1]->t[0], SIM_MS(8));
	/* Session 3 stops all at 9 ms, then only its hold timer restarts. */
	sim_run_until(sim, SIM_MS(9));
	CU_ASSERT_PTR_NULL(s[0]);
	CU_ASSERT_PTR_NULL(s[1]);
	CU_ASSERT_EQUAL(lg.n, 1);
	CU_ASSERT_EQUAL(lg.who[0], 2000);
	CU_ASSERT_EQUAL(lg.when[0], SIM_MS(8));
	CU_ASSERT_EQUAL(sim_pending(sim), SESSION_TIMERS);
	timer_set_stop_all(&s[2]->timers);
	CU_ASSERT_EQUAL(timer_set_running(&s[2]->timers), 0);
	CU_ASSERT_EQUAL(timer_set_count(&s[2]->timers), SESSION_TIMERS);
	CU_ASSERT_EQUAL(sim_pending(sim), 0);
	timer_restart(&s[2]->t[0]);	/* 20 ms again, from 9 ms */
	sim_run(sim);
	CU_ASSERT_EQUAL(lg.n, 2);
	CU_ASSERT_EQUAL(lg.who[1], 3000);
	CU_ASSERT_EQUAL(lg.when[1], SIM_MS(29));
	CU_ASSERT_PTR_NULL(s[2]);
	CU_ASSERT_EQUAL(sim_pending(sim), 0);

	/* A set destroyed with timers pending, then sim freed: no leak. */
	s[0] = session_new(sim, &lg, 9);
	for (i = 0; i < SESSION_TIMERS; i++)
		timer_start(&s[0]->t[i], SIM_S(1));
	s[0]->slot = NULL;
	session_free(s[0]);
	CU_ASSERT_EQUAL(sim_pending(sim), 0);
	sim_free(sim);
}

static void
test_timer_leaves_set(void)
{
	struct sim *sim = sim_new(1);
	struct log lg = { .n = 0 };
	struct timer_set set;
	struct tagged t[3];
	int i;

	timer_set_init(&set);
	for (i = 0; i < 3; i++) {
		t[i] = (struct tagged){ .log = &lg, .id = i };
		timer_init(&t[i].tm, sim, &set, tagged_fire, &t[i]);
		timer_start(&t[i].tm, SIM_MS(1));
	}
	/* the middle one leaves on its own; the others stay grouped */
	timer_destroy(&t[1].tm);
	CU_ASSERT_EQUAL(timer_set_count(&set), 2);
	CU_ASSERT_EQUAL(timer_set_running(&set), 2);
	CU_ASSERT_EQUAL(sim_pending(sim), 2);
	timer_set_destroy(&set);
	CU_ASSERT_EQUAL(timer_set_count(&set), 0);
	CU_ASSERT_EQUAL(sim_pending(sim), 0);
	sim_run(sim);
	CU_ASSERT_EQUAL(lg.n, 0);
	sim_free(sim);
}

/* --- same-instant ordering --- */

static void
plain_event(struct sim *sim, void *arg)
{
	struct tagged *tg = arg;

	log_add(tg->log, tg->id, sim_now(sim));
}

static void
run_same_instant(struct log *lg)
{
	struct sim *sim = sim_new(7);
	struct tagged t[5], ev = { .log = lg, .id = 100 };
	static const int start_order[5] = { 3, 1, 4, 0, 2 };
	struct poke again = { &t[1].tm, SIM_US(5) };
	int i;

	for (i = 0; i < 5; i++) {
		t[i] = (struct tagged){ .log = lg, .id = i };
		timer_init(&t[i].tm, sim, NULL, tagged_fire, &t[i]);
	}
	/* a plain event at the same instant, scheduled between the starts */
	for (i = 0; i < 5; i++) {
		timer_start_at(&t[start_order[i]].tm, SIM_US(10));
		if (i == 2)
			sim_schedule_at(sim, SIM_US(10), plain_event, &ev);
	}
	/* restarting 1 at 5 us for 10 us - 5 us moves it behind all the rest */
	sim_schedule_at(sim, SIM_US(5), poke_fire, &again);
	sim_run(sim);
	for (i = 0; i < 5; i++)
		timer_destroy(&t[i].tm);
	sim_free(sim);
}

static void
test_same_instant_order(void)
{
	struct log a = { .n = 0 }, b = { .n = 0 };
	static const int want[6] = { 3, 4, 100, 0, 2, 1 };
	int i;

	run_same_instant(&a);
	CU_ASSERT_EQUAL_FATAL(a.n, 6);
	for (i = 0; i < 6; i++) {
		CU_ASSERT_EQUAL(a.who[i], want[i]);
		CU_ASSERT_EQUAL(a.when[i], SIM_US(10));
	}
	run_same_instant(&b);
	CU_ASSERT_EQUAL(memcmp(&a, &b, sizeof(a)), 0);
}

static const struct test_case cases[] = {
	{ "start and fire", test_start_and_fire },
	{ "restart moves expiry exactly", test_restart_moves_expiry },
	{ "stop", test_stop },
	{ "restart from inside the callback", test_restart_from_callback },
	{ "set frees an owner with pending timers",
	    test_set_frees_owner_with_pending_timers },
	{ "a timer leaves its set", test_timer_leaves_set },
	{ "same-instant order", test_same_instant_order },
	{ NULL, NULL }
};

int
main(int argc, char **argv)
{
	return test_main(argc, argv, "timer", cases);
}
