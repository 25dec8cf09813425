/*
 * test_scenario_bgp_orig.c - aggregates and redistribute in the bgp
 * section: their errors at load time, and what a run does with them,
 * a gated rule of the redistribute policy included.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bgp_msg.h"
#include "bgp_rib.h"
#include "bgp_scenario.h"
#include "bgp_speaker.h"
#include "net.h"
#include "scenario.h"
#include "scenario_models.h"
#include "scenario_run.h"
#include "scenario_testutil.h"
#include "testutil.h"

static const char bad[] =
    "nodes:\n"
    "  - { name: r1, role: router, interfaces: [{ name: e0, address: "
    "10.0.0.1/30 }] }\n"
    "policies:\n"
    "  - { name: statics, default: accept }\n"
    "bgp:\n"							/* 5 */
    "  - node: r1\n"
    "    asn: 65001\n"
    "    aggregates: [{ prefix: 10.1.0.0/15 }, { summary_only: true }]\n"
    "    redistribute: [{ source: static, policy: static }, { source: "
    "ospf }]\n";

static void
test_bad_input(void)
{
	struct scenario *sc;
	unsigned n = 0;
	char *diag = NULL;

	sc = load(bad, &diag, &n);
	CU_ASSERT_PTR_NULL(sc);
	CU_ASSERT_EQUAL(n, 4);
	CU_ASSERT(has_error(diag, "8:28", "'prefix': 10.1.0.0/15 has host "
	    "bits set (did you mean 10.0.0.0/15?)"));
	CU_ASSERT(has_error(diag, "8:43", "bgp-aggregate is missing required "
	    "key 'prefix' (the aggregate, a.b.c.d/len)"));
	CU_ASSERT(has_error(diag, "9:46", "unknown policy 'static' (did you "
	    "mean 'statics'?)"));
	CU_ASSERT(has_error(diag, "9:66", "unknown source 'ospf' (one of: "
	    "connected, static)"));
	if (n != 4)
		fprintf(stderr, "%s", diag);
	free(diag);
}

/*
 * r1 (AS 65001) has 10.1.1.0/24 and 10.1.2.0/24 as static routes to a
 * discard next hop behind e1, redistributes them and aggregates them into
 * 10.1.0.0/16 summary-only; r2 (AS 65002) learns only the aggregate.
 */
static const char good[] =
    "duration: 5s\n"
    "nodes:\n"
    "  - name: r1\n"
    "    role: router\n"
    "    interfaces: [{ name: e0, address: 10.0.0.1/30 }, { name: e1, "
    "address: 10.9.0.1/30 }]\n"
    "    routes: [{ prefix: 10.1.1.0/24, via: 10.9.0.2 }, { prefix: "
    "10.1.2.0/24, via: 10.9.0.2 }]\n"
    "  - { name: r2, role: router, interfaces: [{ name: e0, address: "
    "10.0.0.2/30 }] }\n"
    "links:\n"
    "  - { name: l0, a: r1:e0, b: r2:e0, delay: 1ms }\n"
    "bgp:\n"
    "  - node: r1\n"
    "    asn: 65001\n"
    "    ebgp_mrai: 0s\n"
    "    neighbors: [{ address: 10.0.0.2, remote_as: 65002 }]\n"
    "    aggregates: [{ prefix: 10.1.0.0/16, summary_only: true }]\n"
    "    redistribute: [{ source: static }]\n"
    "  - node: r2\n"
    "    asn: 65002\n"
    "    neighbors: [{ address: 10.0.0.1, remote_as: 65001 }]\n"
    "assertions:\n"
    "  - { kind: route, node: r2, prefix: 10.1.0.0/16, via: 10.0.0.1, "
    "as_path: \"65001\" }\n"
    "  - { kind: route, node: r2, prefix: 10.1.1.0/24, absent: true }\n"
    "  - { kind: route, node: r1, prefix: 10.1.1.0/24, as_path: \"\" }\n";

static void
test_run(void)
{
	struct scenario *sc;
	struct run_opts o = { 0 };
	unsigned n = 0;
	char *diag = NULL, err[256] = "";
	struct run *r;

	sc = load(good, &diag, &n);
	if (sc == NULL)
		fprintf(stderr, "%s", diag);
	free(diag);
	CU_ASSERT_PTR_NOT_NULL_FATAL(sc);
	r = run_new(sc, &o, err, sizeof(err));
	{
		char *out = NULL;
		size_t len = 0;
		FILE *f;

		CU_ASSERT_PTR_NOT_NULL_FATAL(r);
		while (run_advance(r, run_end_time(r)))
			;
		f = open_memstream(&out, &len);
		CU_ASSERT_EQUAL(run_check(r, f), 0);
		fclose(f);
		if (out != NULL)
			fputs(out, stderr);
		free(out);
		run_free(r);
	}
	scenario_free(sc);
}

/*
 * The redistribute policy's rule prepends 3 while gate g is open (until
 * 20 s): its closing reaches the redistributed 10.7.0.0/24 at once, r2
 * gets the UPDATE (no MRAI) at 20.001000096 s. (review7 finding 2: a
 * gated rule of a redistribute policy never followed its gate.)
 */
static const char gated_redist[] =
    "duration: 30s\n"
    "nodes:\n"
    "  - { name: r1, role: router, interfaces: [{ name: e0, address: "
    "10.0.0.1/30 }] }\n"
    "  - { name: r2, role: router, interfaces: [{ name: e0, address: "
    "10.0.0.2/30 }] }\n"
    "links:\n"
    "  - { name: l1, a: r1:e0, b: r2:e0, delay: 1ms }\n"
    "gates:\n"
    "  - { name: g, changes: [{ at: 20s, open: false }] }\n"
    "policies:\n"
    "  - name: redist\n"
    "    default: accept\n"
    "    rules: [{ name: pp, gate: g, prepend: 3, then: accept }]\n"
    "route_tables:\n"
    "  - { node: r1, routes: [{ prefix: 10.7.0.0/24, drop: true }] }\n"
    "bgp:\n"
    "  - { node: r1, asn: 65001, ebgp_mrai: 0s, redistribute: [{ source: "
    "static, policy: redist }], neighbors: [{ address: 10.0.0.2, "
    "remote_as: 65002 }] }\n"
    "  - { node: r2, asn: 65002, neighbors: [{ address: 10.0.0.1, "
    "remote_as: 65001 }] }\n";

/* AS_PATH words of node's best 10.7.0.0/24, -1 if it has none. */
static int
path_words(struct run *r, const char *node)
{
	struct node *n = net_find_node(run_net(r), node);
	struct bgp_speaker *sp;
	struct bgp_route rt;

	CU_ASSERT_PTR_NOT_NULL_FATAL(n);
	sp = bgp_scenario_speaker(run_section_state(r, "bgp"), n, 0);
	CU_ASSERT_PTR_NOT_NULL_FATAL(sp);
	if (!bgp_rib_best(bgp_speaker_rib(sp), 0x0a070000u, 24, &rt))
		return -1;
	return rt.a->path_len;
}

static void
test_gated_redistribute(void)
{
	struct scenario *sc;
	struct run_opts o = { 0 };
	unsigned n = 0;
	char *diag = NULL, err[256] = "";
	struct run *r;
	int r1_open, r2_open;

	sc = load(gated_redist, &diag, &n);
	if (sc == NULL)
		fprintf(stderr, "%s", diag);
	free(diag);
	CU_ASSERT_PTR_NOT_NULL_FATAL(sc);
	r = run_new(sc, &o, err, sizeof(err));
	CU_ASSERT_PTR_NOT_NULL_FATAL(r);
	run_advance(r, SIM_S(20) - 1);
	r1_open = path_words(r, "r1");
	r2_open = path_words(r, "r2");
	/* prepended: one segment word and 3 ASes; r2 adds r1's AS */
	CU_ASSERT_EQUAL(r1_open, 4);
	CU_ASSERT_EQUAL(r2_open, 5);
	run_advance(r, SIM_S(20));
	CU_ASSERT_EQUAL(path_words(r, "r1"), 0);
	run_advance(r, SIM_NS(20001000096) - 1);
	CU_ASSERT_EQUAL(path_words(r, "r2"), 5);
	run_advance(r, SIM_NS(20001000096));
	CU_ASSERT_EQUAL(path_words(r, "r2"), 2);
	run_free(r);
	scenario_free(sc);
}

static const struct test_case cases[] = {
	{ "bad aggregates and redistribute, exact messages", test_bad_input },
	{ "a run with an aggregate of redistributed statics", test_run },
	{ "a gated rule of the redistribute policy", test_gated_redistribute },
	{ NULL, NULL }
};

int
main(int argc, char **argv)
{
	scenario_models_init();
	return test_main(argc, argv, "scenario_bgp_orig", cases);
}
