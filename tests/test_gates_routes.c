/*
 * test_gates_routes.c - route_tables entries following their gates: a
 * static route in the RIB only while its gate is open (and an import of
 * another table following it live), an import that withdraws everything
 * it installed while its own gate is closed and takes what the other table
 * holds when it opens again; and the errors of a gate key there.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "net.h"
#include "rib.h"
#include "route_tables.h"
#include "scenario.h"
#include "scenario_models.h"
#include "scenario_run.h"
#include "scenario_testutil.h"
#include "sim.h"
#include "testutil.h"

#define NODES \
    "nodes:\n" \
    "  - { name: r1, role: router, interfaces: [{ name: e0, address: " \
    "10.0.0.1/30 }] }\n" \
    "  - { name: r2, role: router, interfaces: [{ name: e0, address: " \
    "10.0.0.2/30 }] }\n" \
    "links:\n" \
    "  - { name: l1, a: r1:e0, b: r2:e0 }\n"

static const char text[] =
    "duration: 6s\n" NODES
    "gates:\n"
    "  - { name: route/udr, open: false, changes: [{ at: 2s, open: true }, "
    "{ at: 5s, open: false }] }\n"
    "  - { name: import/r1, changes: [{ at: 3s, open: false }, "
    "{ at: 4s, open: true }] }\n"
    "route_tables:\n"
    "  - node: r1\n"
    "    routes:\n"
    "      - { prefix: 10.5.0.0/16, source: user, via: 10.0.0.2, "
    "gate: route/udr }\n"
    "      - { prefix: 10.6.0.0/16, source: user, via: 10.0.0.2 }\n"
    "  - node: r2\n"
    "    imports:\n"
    "      - { from_node: r1, from_sources: [user], source: imp, "
    "preference: 20, drop: true, gate: import/r1 }\n";

#define P5 0x0a050000u
#define P6 0x0a060000u

/* Is prefix/16 in the RIB of n, and is its best of source src? */
static bool
has(struct run *r, const char *node, uint32_t prefix, const char *src)
{
	struct node *n = net_find_node(run_net(r), node);
	struct rib *rib = node_rib(n, 0);
	struct rib_route rt;
	char buf[32];

	if (!rib_best(rib, prefix, 16, &rt))
		return false;
	CU_ASSERT_STRING_EQUAL(rib_source_name(rib, rt.source, buf,
	    sizeof(buf)), src);
	return true;
}

/* r1's 10.5/16 and 10.6/16, then r2's imported ones, as 4 bits. */
static unsigned
seen(struct run *r)
{
	return (unsigned)has(r, "r1", P5, "user") << 3 |
	    (unsigned)has(r, "r1", P6, "user") << 2 |
	    (unsigned)has(r, "r2", P5, "imp") << 1 |
	    (unsigned)has(r, "r2", P6, "imp");
}

static void
test_routes(void)
{
	struct run_opts o = { 0 };
	struct rt_explain ex;
	struct scenario *sc;
	struct run *r;
	char *diag = NULL, err[256];
	unsigned n = 0;

	sc = load(text, &diag, &n);
	if (sc == NULL)
		fprintf(stderr, "%s", diag);
	free(diag);
	CU_ASSERT_PTR_NOT_NULL_FATAL(sc);
	r = run_new(sc, &o, err, sizeof(err));
	CU_ASSERT_PTR_NOT_NULL_FATAL(r);
	/* time zero: the closed route was never there, nor imported */
	CU_ASSERT_EQUAL(seen(r), 0x5);
	CU_ASSERT_EQUAL(route_tables_explain(run_section_state(r,
	    "route_tables"), net_find_node(run_net(r), "r1"), 0, P5, 16, &ex),
	    -1);
	run_advance(r, SIM_S(2) - 1);
	CU_ASSERT_EQUAL(seen(r), 0x5);
	run_advance(r, SIM_S(2));
	CU_ASSERT_EQUAL(seen(r), 0xf);
	CU_ASSERT_EQUAL_FATAL(route_tables_explain(run_section_state(r,
	    "route_tables"), net_find_node(run_net(r), "r1"), 0, P5, 16, &ex),
	    0);
	CU_ASSERT_EQUAL(ex.n, 1);
	CU_ASSERT_STRING_EQUAL(ex.cand[0].source, "user");
	route_tables_explain_free(&ex);
	run_advance(r, SIM_S(3) - 1);
	CU_ASSERT_EQUAL(seen(r), 0xf);
	/* the import closed: all it installed goes, r1 keeps its own */
	run_advance(r, SIM_S(3));
	CU_ASSERT_EQUAL(seen(r), 0xc);
	run_advance(r, SIM_S(4) - 1);
	CU_ASSERT_EQUAL(seen(r), 0xc);
	run_advance(r, SIM_S(4));
	CU_ASSERT_EQUAL(seen(r), 0xf);
	run_advance(r, SIM_S(5) - 1);
	CU_ASSERT_EQUAL(seen(r), 0xf);
	/* the route closed: gone at r1, and the import follows */
	run_advance(r, SIM_S(5));
	CU_ASSERT_EQUAL(seen(r), 0x5);
	while (run_advance(r, run_end_time(r)))
		;
	CU_ASSERT_EQUAL(seen(r), 0x5);
	run_free(r);
	scenario_free(sc);
}

static void
test_errors(void)
{
	static const char bad[] = NODES
	    "gates:\n"
	    "  - { name: route/udr }\n"
	    "route_tables:\n"
	    "  - node: r1\n"				/* 9 */
	    "    routes:\n"
	    "      - { prefix: 10.5.0.0/16, drop: true, gate: route/urd }\n"
	    "  - node: r2\n"
	    "    imports:\n"
	    "      - { from_node: r1, from_sources: [static], source: imp, "
	    "preference: 20, drop: true, gate: x }\n";
	struct scenario *sc;
	char *diag = NULL;
	unsigned n = 0;

	sc = load(bad, &diag, &n);
	CU_ASSERT_PTR_NULL(sc);
	CU_ASSERT(has_error(diag, "11:50", "unknown gate 'route/urd' (did "
	    "you mean 'route/udr'?)"));
	CU_ASSERT(has_error(diag, "14:97", "unknown gate 'x'"));
	CU_ASSERT_EQUAL(n, 2);
	free(diag);
}

int
main(int argc, char **argv)
{
	static const struct test_case cases[] = {
		{ "routes", test_routes },
		{ "errors", test_errors },
		{ NULL, NULL }
	};

	scenario_models_init();
	return test_main(argc, argv, "gates_routes", cases);
}
