/*
 * test_gates.c - the gates section: its errors at their place in the file,
 * and a link that follows its gate (down from time zero, up when the gate
 * opens, down again when it closes), to the simulated nanosecond.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "apps.h"
#include "gates.h"
#include "gates_int.h"
#include "net.h"
#include "scenario.h"
#include "scenario_models.h"
#include "scenario_run.h"
#include "scenario_testutil.h"
#include "sim.h"
#include "testutil.h"

static const char bad[] =
    "nodes:\n"
    "  - { name: h1, role: host, interfaces: [{ name: e0, address: "
    "10.0.0.1/30 }] }\n"
    "  - { name: h2, role: host, interfaces: [{ name: e0, address: "
    "10.0.0.2/30 }] }\n"
    "links:\n"
    "  - { name: l1, a: h1:e0, b: h2:e0, gate: conection/a }\n"	/* 5 */
    "gates:\n"
    "  - name: connection/a\n"
    "    changes: [{ at: 2s, open: false }, { at: 1s, open: true }]\n"
    "  - name: connection/a\n"
    "  - name: b\n"						/* 10 */
    "    open: false\n"
    "    changes: [{ at: 1s, open: true }, { at: 2s, open: true }]\n"
    "  - name: \"has space\"\n"
    "  - name: c\n"
    "    changes: [{ at: 1s, open: false }, { at: 1s, open: true }]\n";

static void
test_errors(void)
{
	struct scenario *sc;
	unsigned n = 0;
	char *diag = NULL;

	sc = load(bad, &diag, &n);
	CU_ASSERT_PTR_NULL(sc);
	CU_ASSERT(has_error(diag, "5:43", "unknown gate 'conection/a' (did "
	    "you mean 'connection/a'?)"));
	CU_ASSERT(has_error(diag, "8:46", "gate 'connection/a' changes at 1s, "
	    "not after its previous change at 2s (8:15)"));
	CU_ASSERT(has_error(diag, "9:11", "duplicate gate 'connection/a'"));
	CU_ASSERT(has_error(diag, "12:55", "gate 'b' is already open at 2s: a "
	    "change flips the state"));
	CU_ASSERT(has_error(diag, "13:11", "gate name 'has space' has a space "
	    "or a control character"));
	CU_ASSERT(has_error(diag, "15:46", "gate 'c' changes at 1s, not after "
	    "its previous change at 1s"));
	CU_ASSERT_EQUAL(n, 6);
	free(diag);
}

/* An item naming a gate in a file without gates is refused too. */
static void
test_no_gates(void)
{
	static const char text[] =
	    "nodes:\n"
	    "  - { name: h1, role: host, interfaces: [{ name: e0, address: "
	    "10.0.0.1/30 }] }\n"
	    "  - { name: h2, role: host, interfaces: [{ name: e0, address: "
	    "10.0.0.2/30 }] }\n"
	    "links:\n"
	    "  - { name: l1, a: h1:e0, b: h2:e0, gate: g }\n";
	struct scenario *sc;
	unsigned n = 0;
	char *diag = NULL;

	sc = load(text, &diag, &n);
	CU_ASSERT_PTR_NULL(sc);
	CU_ASSERT(has_error(diag, "5:43", "unknown gate 'g'"));
	free(diag);
}

/*
 * h1 pings h2 every second from 0.5 s over a link whose gate is closed at
 * time zero, opens at 3 s and closes at 6 s: the probes of 0.5, 1.5 and
 * 2.5 s find no route (the link is unplugged: no connected route), those
 * of 3.5, 4.5 and 5.5 s are answered, those from 6.5 s fail again.
 */
static const char link_text[] =
    "duration: 10s\n"
    "nodes:\n"
    "  - { name: h1, role: host, interfaces: [{ name: e0, address: "
    "10.0.0.1/30 }] }\n"
    "  - { name: h2, role: host, interfaces: [{ name: e0, address: "
    "10.0.0.2/30 }] }\n"
    "links:\n"
    "  - { name: l1, a: h1:e0, b: h2:e0, delay: 1ms, gate: link/l1 }\n"
    "gates:\n"
    "  - name: link/l1\n"
    "    open: false\n"
    "    changes: [{ at: 3s, open: true }, { at: 6s, open: false }]\n"
    "    what: the cable is plugged in\n"
    "apps:\n"
    "  - { name: p, type: ping, node: h1, dst: h2, start: 500ms, "
    "interval: 1s, count: 9, timeout: 400ms }\n"
    "assertions:\n"
    "  - { kind: ping-fails, app: p, before: 3s }\n"
    "  - { kind: ping-succeeds, app: p, after: 3s, before: 6s }\n"
    "  - { kind: ping-fails, app: p, after: 6s }\n";

static void
test_link(void)
{
	struct run_opts o = { 0 };
	struct scenario *sc;
	struct run *r;
	struct link *l;
	struct gate *g;
	const struct app *a;
	const struct link_stats *st;
	char err[256], *diag = NULL, *out = NULL;
	unsigned n = 0;
	size_t i, len = 0;
	FILE *f;

	sc = load(link_text, &diag, &n);
	if (sc == NULL)
		fprintf(stderr, "%s", diag);
	CU_ASSERT_PTR_NOT_NULL_FATAL(sc);
	r = run_new(sc, &o, err, sizeof(err));
	CU_ASSERT_PTR_NOT_NULL_FATAL(r);
	l = net_find_link(run_net(r), "l1");
	g = gates_find(run_section_state(r, "gates"), "link/l1");
	CU_ASSERT_PTR_NOT_NULL_FATAL(g);
	CU_ASSERT_STRING_EQUAL(gate_name(g), "link/l1");
	CU_ASSERT_PTR_NULL(gates_find(run_section_state(r, "gates"), "l1"));
	/* down from time zero, before anything ran */
	CU_ASSERT_FALSE(link_is_up(l));
	CU_ASSERT_FALSE(gate_is_open(g));
	run_advance(r, SIM_S(3) - 1);
	CU_ASSERT_FALSE(link_is_up(l));
	run_advance(r, SIM_S(3));
	CU_ASSERT_TRUE(link_is_up(l));
	CU_ASSERT_TRUE(gate_is_open(g));
	run_advance(r, SIM_S(6) - 1);
	CU_ASSERT_TRUE(link_is_up(l));
	run_advance(r, SIM_S(6));
	CU_ASSERT_FALSE(link_is_up(l));
	CU_ASSERT_FALSE(gate_is_open(g));
	while (run_advance(r, run_end_time(r)))
		;
	a = run_app(r, "p");
	CU_ASSERT_EQUAL_FATAL(ping_n_probes(a), 9);
	for (i = 0; i < 9; i++) {
		const struct probe *pr = ping_probe(a, i);
		bool up = i >= 3 && i < 6;

		CU_ASSERT_EQUAL(pr->sent, SIM_MS(500) + (sim_time)i * SIM_S(1));
		CU_ASSERT_EQUAL(pr->result, up ? PROBE_REPLY :
		    PROBE_SEND_FAILED);
	}
	/* three requests and three replies crossed, nothing else */
	st = link_get_stats(l, 0);
	CU_ASSERT_EQUAL(st->tx_pkts, 3);
	st = link_get_stats(l, 1);
	CU_ASSERT_EQUAL(st->tx_pkts, 3);
	f = open_memstream(&out, &len);
	CU_ASSERT_EQUAL(run_check(r, f), 0);
	fclose(f);
	free(out);
	run_free(r);
	scenario_free(sc);
	free(diag);
}

/*
 * A gate and the timeline's link-down / link-up hold the link down
 * independently: gate closed until 3 s, open until 8 s; a link-up at 1 s
 * (gate closed) leaves it down; a link-down at 4 s takes it down although
 * the gate is open, the link-up at 6 s brings it back; a link-down at 7 s
 * and the gate's closing at 8 s, then the link-up at 9 s: still down.
 */
static const char compose_text[] =
    "duration: 10s\n"
    "nodes:\n"
    "  - { name: h1, role: host, interfaces: [{ name: e0, address: "
    "10.0.0.1/30 }] }\n"
    "  - { name: h2, role: host, interfaces: [{ name: e0, address: "
    "10.0.0.2/30 }] }\n"
    "links:\n"
    "  - { name: l1, a: h1:e0, b: h2:e0, delay: 1ms, gate: g }\n"
    "gates:\n"
    "  - { name: g, open: false, changes: [{ at: 3s, open: true }, "
    "{ at: 8s, open: false }] }\n"
    "events:\n"
    "  - { at: 1s, action: link-up, link: l1 }\n"
    "  - { at: 4s, action: link-down, link: l1 }\n"
    "  - { at: 6s, action: link-up, link: l1 }\n"
    "  - { at: 7s, action: link-down, link: l1 }\n"
    "  - { at: 9s, action: link-up, link: l1 }\n";

static void
test_link_compose(void)
{
	static const struct { sim_time at; bool up; } want[] = {
		{ SIM_S(1), false }, { SIM_S(3), true }, { SIM_S(4), false },
		{ SIM_S(6), true }, { SIM_S(7), false }, { SIM_S(8), false },
		{ SIM_S(9), false },
	};
	struct run_opts o = { 0 };
	struct scenario *sc;
	struct run *r;
	struct link *l;
	char err[256], *diag = NULL;
	unsigned n = 0;
	size_t i;

	sc = load(compose_text, &diag, &n);
	if (sc == NULL)
		fprintf(stderr, "%s", diag);
	CU_ASSERT_PTR_NOT_NULL_FATAL(sc);
	r = run_new(sc, &o, err, sizeof(err));
	CU_ASSERT_PTR_NOT_NULL_FATAL(r);
	l = net_find_link(run_net(r), "l1");
	CU_ASSERT_FALSE(link_is_up(l));
	for (i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		run_advance(r, want[i].at);
		CU_ASSERT_EQUAL(link_is_up(l), want[i].up);
	}
	run_free(r);
	scenario_free(sc);
	free(diag);
}

/*
 * The fuzz seeds: one gate on every kind of item loads and runs (each
 * change on its time), the bad one gives each of its errors.
 */
static void
test_seeds(void)
{
	struct run_opts o = { 0 };
	struct scenario *sc;
	struct run *r;
	char err[256];
	unsigned n = 0;

	sc = scenario_load_file(XCSIM_SOURCE_DIR
	    "/tests/fuzz/scenario/bad-gates.yaml", NULL, &n);
	CU_ASSERT_PTR_NULL(sc);
	CU_ASSERT_EQUAL(n, 6);
	sc = scenario_load_file(XCSIM_SOURCE_DIR
	    "/tests/fuzz/scenario/gates.yaml", NULL, &n);
	CU_ASSERT_PTR_NOT_NULL_FATAL(sc);
	r = run_new(sc, &o, err, sizeof(err));
	CU_ASSERT_PTR_NOT_NULL_FATAL(r);
	CU_ASSERT_FALSE(link_is_up(net_find_link(run_net(r), "l12")));
	run_advance(r, SIM_S(1));
	CU_ASSERT_TRUE(link_is_up(net_find_link(run_net(r), "l12")));
	run_advance(r, SIM_S(15));
	CU_ASSERT_FALSE(link_is_up(net_find_link(run_net(r), "l12")));
	while (run_advance(r, run_end_time(r)))
		;
	CU_ASSERT_EQUAL(sim_now(run_sim(r)), SIM_S(20));
	run_free(r);
	scenario_free(sc);
}

struct order {
	char seen[16];
	size_t n;
};

static void
note(struct order *o, char c)
{
	if (o->n + 1 < sizeof(o->seen))
		o->seen[o->n++] = c;
}

static void
w_a(void *arg, bool open)
{
	note(arg, open ? 'A' : 'a');
}

static void
w_b(void *arg, bool open)
{
	note(arg, open ? 'B' : 'b');
}

static void
w_link(void *arg, bool open)
{
	note(arg, open ? 'L' : 'l');
}

/*
 * At one instant every gate changes first, the first watchers (links) of
 * all of them run, then the others gate by gate in file order; changes at
 * their own times, one event an instant.
 */
static void
test_order(void)
{
	static const sim_time ta[] = { SIM_S(1), SIM_S(2) };
	static const sim_time tb[] = { SIM_S(1), SIM_S(3) };
	struct sim *sim = sim_new(1);
	struct gates *gs = gates_new(sim);
	struct order o = { .n = 0 };
	struct gate *a, *b;

	a = gates_add(gs, "a", false, ta, 2);
	b = gates_add(gs, "b", true, tb, 2);
	CU_ASSERT_EQUAL(gates_count(gs), 2);
	CU_ASSERT_EQUAL(gate_watch(a, w_a, &o), 0);
	CU_ASSERT_EQUAL(gate_watch(b, w_b, &o), 0);
	CU_ASSERT_EQUAL(gate_watch_first(b, w_link, &o), 0);
	gates_start(gs);
	CU_ASSERT_PTR_EQUAL(gates_find(gs, "b"), b);
	CU_ASSERT_PTR_NULL(gates_find(gs, "c"));
	sim_run_until(sim, SIM_S(1));
	/* b's link first, though b comes after a */
	CU_ASSERT_STRING_EQUAL(o.seen, "lAb");
	CU_ASSERT_TRUE(gate_is_open(a));
	CU_ASSERT_FALSE(gate_is_open(b));
	sim_run(sim);
	CU_ASSERT_STRING_EQUAL(o.seen, "lAbaLB");
	CU_ASSERT_EQUAL(sim_now(sim), SIM_S(3));
	gates_free(gs);
	sim_free(sim);
}

int
main(int argc, char **argv)
{
	static const struct test_case cases[] = {
		{ "errors", test_errors },
		{ "no_gates", test_no_gates },
		{ "link", test_link },
		{ "link_compose", test_link_compose },
		{ "seeds", test_seeds },
		{ "order", test_order },
		{ NULL, NULL }
	};

	scenario_models_init();
	return test_main(argc, argv, "gates", cases);
}
