/*
 * test_node_fail.c - the timeline's node-down and node-up: an unknown node
 * at its place in the file; a failed node's links held down with their own
 * holder bit, composing with link-down / link-up; and the primary MSEE of
 * the overview's cloud form failing with BFD, the database pings moving to
 * the secondary path, to the simulated nanosecond; the trace's notes.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "apps.h"
#include "net.h"
#include "scenario.h"
#include "scenario_models.h"
#include "scenario_run.h"
#include "scenario_testutil.h"
#include "sim.h"
#include "testutil.h"
#include "trace.h"

static const char bad[] =
    "nodes:\n"
    "  - { name: edge-a, role: router, interfaces: [{ name: e0, address: "
    "10.0.0.1/30 }] }\n"
    "  - { name: edge-b, role: router, interfaces: [{ name: e0, address: "
    "10.0.0.2/30 }] }\n"
    "links:\n"
    "  - { name: l1, a: edge-a:e0, b: edge-b:e0 }\n"		/* 5 */
    "events:\n"
    "  - { at: 1s, action: node-down, node: edge-aa }\n"
    "  - { at: 2s, action: node-up }\n";

static void
test_errors(void)
{
	struct scenario *sc;
	unsigned n = 0;
	char *diag = NULL;

	sc = load(bad, &diag, &n);
	CU_ASSERT_PTR_NULL(sc);
	CU_ASSERT(has_error(diag, "7:40", "unknown node 'edge-aa' (did you "
	    "mean 'edge-a'?)"));
	CU_ASSERT(has_error(diag, "8:5", "event is missing required "
	    "key 'node' (the node it happens to)"));
	CU_ASSERT_EQUAL(n, 2);
	if (n != 2)
		fprintf(stderr, "%s", diag);
	free(diag);
}

/*
 * r has two links, l1 to h1 and l2 to h2. r fails at 2 s (both down), l1
 * is also cut at 3 s, r is back at 4 s: l2 comes up, l1 stays down until
 * its link-up at 5 s. Then h1 fails at 6 s and r at 7 s: r's node-up at
 * 8 s leaves l1 down (h1 is still off) until h1's node-up at 9 s. A
 * node-up of a node that is not down changes nothing (l2 at 9 s).
 */
static const char compose_text[] =
    "duration: 10s\n"
    "nodes:\n"
    "  - { name: h1, role: host, interfaces: [{ name: e0, address: "
    "10.0.0.1/30 }] }\n"
    "  - { name: h2, role: host, interfaces: [{ name: e0, address: "
    "10.0.1.1/30 }] }\n"
    "  - { name: r, role: router, interfaces: [{ name: a, address: "
    "10.0.0.2/30 }, { name: b, address: 10.0.1.2/30 }] }\n"
    "links:\n"
    "  - { name: l1, a: h1:e0, b: r:a, delay: 1ms }\n"
    "  - { name: l2, a: r:b, b: h2:e0, delay: 1ms }\n"
    "events:\n"
    "  - { at: 2s, action: node-down, node: r }\n"
    "  - { at: 3s, action: link-down, link: l1 }\n"
    "  - { at: 4s, action: node-up, node: r }\n"
    "  - { at: 5s, action: link-up, link: l1 }\n"
    "  - { at: 6s, action: node-down, node: h1 }\n"
    "  - { at: 7s, action: node-down, node: r }\n"
    "  - { at: 8s, action: node-up, node: r }\n"
    "  - { at: 9s, action: node-up, node: h1 }\n"
    "  - { at: 9s, action: node-up, node: h2 }\n";

static void
test_compose(void)
{
	static const struct { sim_time at; bool l1, l2; } want[] = {
		{ SIM_S(2) - 1, true, true }, { SIM_S(2), false, false },
		{ SIM_S(3), false, false }, { SIM_S(4), false, true },
		{ SIM_S(5), true, true }, { SIM_S(6), false, true },
		{ SIM_S(7), false, false }, { SIM_S(8), false, true },
		{ SIM_S(9), true, true },
	};
	struct run_opts o = { 0 };
	struct scenario *sc;
	struct run *r;
	struct link *l1, *l2;
	char err[256], *diag = NULL;
	unsigned n = 0;
	size_t i;

	sc = load(compose_text, &diag, &n);
	if (sc == NULL)
		fprintf(stderr, "%s", diag);
	CU_ASSERT_PTR_NOT_NULL_FATAL(sc);
	r = run_new(sc, &o, err, sizeof(err));
	CU_ASSERT_PTR_NOT_NULL_FATAL(r);
	l1 = net_find_link(run_net(r), "l1");
	l2 = net_find_link(run_net(r), "l2");
	for (i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		run_advance(r, want[i].at);
		CU_ASSERT_EQUAL(link_is_up(l1), want[i].l1);
		CU_ASSERT_EQUAL(link_is_up(l2), want[i].l2);
		if (link_is_up(l1) != want[i].l1 ||
		    link_is_up(l2) != want[i].l2)
			fprintf(stderr, "at step %zu\n", i);
	}
	run_free(r);
	scenario_free(sc);
	free(diag);
}

/*
 * The trace of the same run: each node-down / node-up is noted on its node
 * ("node r failed", "node r back") before the link states it changes, and
 * a link changes state only when its last holder lets go.
 */
static void
test_trace(void)
{
	static const char *const want[] = {
		"2000000000 @2 node r failed", "2000000000 l0 down",
		"2000000000 l1 down", "4000000000 @2 node r back",
		"4000000000 l1 up", "5000000000 l0 up",
		"6000000000 @0 node h1 failed", "6000000000 l0 down",
		"7000000000 @2 node r failed", "7000000000 l1 down",
		"8000000000 @2 node r back", "8000000000 l1 up",
		"9000000000 @0 node h1 back", "9000000000 l0 up",
		"9000000000 @1 node h2 back", NULL
	};
	char *dir = test_tmpdir("/tmp/xcsim-nodefail-XXXXXX"), path[300],
	    err[256], line[256], *diag = NULL, *out = NULL;
	struct trace_reader *rd;
	struct trace_rec rec;
	struct scenario *sc;
	unsigned n_err = 0;
	size_t n = 0;
	int rc;

	CU_ASSERT_PTR_NOT_NULL_FATAL(dir);
	sc = load(compose_text, &diag, &n_err);
	CU_ASSERT_PTR_NOT_NULL_FATAL(sc);
	CU_ASSERT_EQUAL(sc_run_to_end(sc, 0, dir, &out), 0);
	free(out);
	free(diag);
	scenario_free(sc);
	snprintf(path, sizeof(path), "%s/trace.xct", dir);
	rd = trace_reader_open(path, err, sizeof(err));
	CU_ASSERT_PTR_NOT_NULL_FATAL(rd);
	while ((rc = trace_reader_next(rd, &rec, err, sizeof(err))) == 1) {
		if (rec.type == TR_ANNOTATE && rec.u.annotate.text != NULL &&
		    strncmp(rec.u.annotate.text, "node ", 5) == 0)
			snprintf(line, sizeof(line), "%lld @%u %s",
			    (long long)rec.t, (unsigned)rec.u.annotate.node,
			    rec.u.annotate.text);
		else if (rec.type == TR_LINK_STATE && rec.t > 0)
			snprintf(line, sizeof(line), "%lld l%u %s",
			    (long long)rec.t, (unsigned)rec.u.link_state.link,
			    rec.u.link_state.up ? "up" : "down");
		else
			continue;
		if (want[n] == NULL || strcmp(line, want[n]) != 0) {
			fprintf(stderr, "record %zu: got '%s' want '%s'\n", n,
			    line, want[n] ? want[n] : "(end)");
			CU_FAIL("unexpected record");
			break;
		}
		n++;
	}
	CU_ASSERT_EQUAL(rc, 0);
	CU_ASSERT_PTR_NULL(want[n]);
	trace_reader_close(rd);
}

/*
 * scenarios/examples/msee-failure.yaml: msee-primary off from 70 s to
 * 100 s, pings every 100 ms from 60 s. The gateway drops the primary at
 * once (carrier on its link to the MSEE); Oracle's edge router declares
 * BFD down 755.022967 ms after the failure (300 ms x 3 since the last
 * packet it heard) and the DRG moves to the secondary virtual circuit:
 * the probes sent at 70.0 .. 70.7 s lose their replies, all others are
 * answered, including across the node-up.
 */
static void
test_msee_failure(void)
{
	struct run_opts o = { 0 };
	struct scenario *sc;
	struct run *r;
	const struct app *a;
	struct node *msee;
	struct link *ml[4];
	char err[256], *out = NULL;
	unsigned n = 0;
	size_t i, k, lost = 0, len = 0;
	FILE *d = fopen("/dev/null", "w");

	sc = scenario_load_file(XCSIM_SOURCE_DIR
	    "/scenarios/examples/msee-failure.yaml", d, &n);
	fclose(d);
	CU_ASSERT_PTR_NOT_NULL_FATAL(sc);
	r = run_new(sc, &o, err, sizeof(err));
	CU_ASSERT_PTR_NOT_NULL_FATAL(r);
	msee = net_find_node(run_net(r), "msee-primary");
	CU_ASSERT_PTR_NOT_NULL_FATAL(msee);
	for (i = 0, k = 0; i < net_n_links(run_net(r)) && k < 4; i++) {
		struct link *l = net_link(run_net(r), (uint32_t)i);
		uint32_t ifx;

		if (link_dst(l, 0, &ifx) == msee || link_dst(l, 1, &ifx) == msee)
			ml[k++] = l;
	}
	CU_ASSERT_EQUAL_FATAL(k, 2);	/* to the gateway, to Oracle's edge */
	run_advance(r, SIM_S(70) - 1);
	CU_ASSERT_TRUE(link_is_up(ml[0]) && link_is_up(ml[1]));
	run_advance(r, SIM_S(70));
	CU_ASSERT_FALSE(link_is_up(ml[0]) || link_is_up(ml[1]));
	run_advance(r, SIM_S(100) - 1);
	CU_ASSERT_FALSE(link_is_up(ml[0]) || link_is_up(ml[1]));
	run_advance(r, SIM_S(100));
	CU_ASSERT_TRUE(link_is_up(ml[0]) && link_is_up(ml[1]));
	while (run_advance(r, run_end_time(r)))
		;
	a = run_app(r, "ping");
	CU_ASSERT_EQUAL_FATAL(ping_n_probes(a), 800);
	for (i = 0; i < 800; i++) {
		const struct probe *pr = ping_probe(a, i);
		bool ok = i < 100 || i >= 108;

		CU_ASSERT_EQUAL(pr->sent, SIM_S(60) + (sim_time)i * SIM_MS(100));
		CU_ASSERT_EQUAL(pr->result == PROBE_REPLY, ok);
		lost += pr->result != PROBE_REPLY;
	}
	CU_ASSERT_EQUAL(lost, 8);
	d = open_memstream(&out, &len);
	CU_ASSERT_EQUAL(run_check(r, d), 0);	/* the file's assertions */
	fclose(d);
	free(out);
	run_free(r);
	scenario_free(sc);
}

int
main(int argc, char **argv)
{
	static const struct test_case cases[] = {
		{ "errors", test_errors },
		{ "compose", test_compose },
		{ "trace", test_trace },
		{ "msee_failure", test_msee_failure },
		{ NULL, NULL }
	};

	scenario_models_init();
	return test_main(argc, argv, "node_fail", cases);
}
