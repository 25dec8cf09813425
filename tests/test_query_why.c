/*
 * test_query_why.c - what `xcsim routes` and `xcsim path` add when they
 * find nothing (review 11, finding 13; models/query/query_why.c): the
 * states of the resources shown on the nodes asked about at that time,
 * "does not exist yet" for one with no state yet (with when it appears
 * and by which operation), "gone" for a deleted one, and the links on them
 * a closed gate holds down; nothing for a node with neither, and the
 * nodes of a path that stops.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "net.h"
#include "query.h"
#include "scenario.h"
#include "scenario_models.h"
#include "scenario_run.h"
#include "scenario_testutil.h"
#include "testutil.h"

static const char text[] =
    "duration: 30s\n"
    "nodes:\n"
    "  - { name: r1, role: router, interfaces: [{ name: e0, address: "
    "10.0.0.1/30 }] }\n"
    "  - { name: r2, role: router, interfaces: [{ name: e0, address: "
    "10.0.0.2/30 }] }\n"
    "  - { name: r3, role: router }\n"
    "  - { name: r4, role: router }\n"
    "  - { name: r5, role: router }\n"
    "links:\n"
    "  - { name: l0, a: r1:e0, b: r2:e0, delay: 1ms, gate: vcs/vc1 }\n"
    "gates:\n"
    "  - { name: vcs/vc1, open: false, changes: [{ at: 10s, open: true "
    "}] }\n"
    "resources:\n"
    "  - name: vcs/vc1\n"
    "    type: VirtualCircuit\n"
    "    nodes: [r2]\n"
    "    states:\n"
    "      - { at: 1s, field: lifecycleState, value: PROVISIONING }\n"
    "      - { at: 10s, field: lifecycleState, value: PROVISIONED }\n"
    "  - name: vcs/vc2\n"
    "    type: VirtualCircuit\n"
    "    nodes: [r1]\n"
    "    states:\n"
    "      - { at: 20s, field: lifecycleState, value: PROVISIONING, op: "
    "create }\n"
    "  - name: vcs/vc3\n"
    "    type: VirtualCircuit\n"
    "    nodes: [r4]\n"
    "  - name: vcs/vc4\n"
    "    type: VirtualCircuit\n"
    "    nodes: [r5]\n"
    "    states:\n"
    "      - { at: 1s, field: lifecycleState, value: PROVISIONED }\n"
    "      - { at: 3s, field: lifecycleState, value: \"\", op: delete }\n";

static char *
why(struct run *r, const struct scenario *sc, const char *node,
    size_t *lines)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	struct node *n = net_find_node(run_net(r), node);

	*lines = query_why(f, r, sc, &n, 1);
	fclose(f);
	return buf;
}

static bool
pending(struct run *r, const struct scenario *sc, const char *node)
{
	struct node *n = net_find_node(run_net(r), node);

	CU_ASSERT_PTR_NOT_NULL_FATAL(n);
	return query_why_pending(r, sc, &n, 1);
}

static void
test_why(void)
{
	struct run_opts o = { 0 };
	char *diag = NULL, err[256], *out;
	unsigned nerr = 0;
	struct scenario *sc;
	struct run *r;
	struct query_probe p = { .dst = 0x0a000002, .proto = 1 };
	struct node *ns[8];
	size_t lines;

	scenario_models_init();
	sc = load(text, &diag, &nerr);
	if (sc == NULL)
		fprintf(stderr, "%s", diag);
	free(diag);
	CU_ASSERT_PTR_NOT_NULL_FATAL(sc);
	r = run_new(sc, &o, err, sizeof(err));
	CU_ASSERT_PTR_NOT_NULL_FATAL(r);
	run_advance(r, SIM_S(5));
	out = why(r, sc, "r2", &lines);
	CU_ASSERT_EQUAL(lines, 2);
	CU_ASSERT_STRING_EQUAL(out, "Why, at 5s:\n"
	    "  vcs/vc1 (VirtualCircuit): lifecycleState PROVISIONING since "
	    "1s; next: lifecycleState PROVISIONED at 10s\n"
	    "  link l0 is down: its gate vcs/vc1 is closed (the resource "
	    "does not carry traffic now)\n");
	free(out);
	out = why(r, sc, "r1", &lines);
	CU_ASSERT_EQUAL(lines, 2);
	/* which operation creates it, and when */
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "  vcs/vc2 (VirtualCircuit): does "
	    "not exist yet: it appears at 20s, by a create (lifecycleState "
	    "PROVISIONING)\n"));
	free(out);
	out = why(r, sc, "r3", &lines);
	CU_ASSERT_EQUAL(lines, 0);
	CU_ASSERT_STRING_EQUAL(out, "");
	free(out);
	out = why(r, sc, "r4", &lines);
	CU_ASSERT_STRING_EQUAL(out, "Why, at 5s:\n"
	    "  vcs/vc3 (VirtualCircuit): does not exist yet: it is not "
	    "created on the timeline\n");
	free(out);
	/* deleted: its fields gone (the empty text), nothing to come */
	out = why(r, sc, "r5", &lines);
	CU_ASSERT_STRING_EQUAL(out, "Why, at 5s:\n"
	    "  vcs/vc4 (VirtualCircuit): gone since 3s\n");
	free(out);
	/* a table with routes still gets the answer on r1, r2, r4 and r5 */
	CU_ASSERT(pending(r, sc, "r1"));
	CU_ASSERT(pending(r, sc, "r2"));
	CU_ASSERT(!pending(r, sc, "r3"));
	CU_ASSERT(pending(r, sc, "r4"));
	CU_ASSERT(pending(r, sc, "r5"));
	/* the path from r1 stops there: its nodes are r1 */
	CU_ASSERT_EQUAL(query_path_nodes(r, net_find_node(run_net(r), "r1"),
	    &p, ns, 8), 1);
	run_advance(r, SIM_S(12));
	out = why(r, sc, "r2", &lines);
	CU_ASSERT_EQUAL(lines, 1);
	CU_ASSERT_STRING_EQUAL(out, "Why, at 12s:\n"
	    "  vcs/vc1 (VirtualCircuit): lifecycleState PROVISIONED since "
	    "10s\n");
	free(out);
	/* r2's circuit carries now; r1's is still to be created */
	CU_ASSERT(!pending(r, sc, "r2"));
	CU_ASSERT(pending(r, sc, "r1"));
	run_advance(r, SIM_S(20));
	CU_ASSERT(!pending(r, sc, "r1"));
	CU_ASSERT_EQUAL(query_path_nodes(r, net_find_node(run_net(r), "r1"),
	    &p, ns, 8), 2);
	run_free(r);
	scenario_free(sc);
}

static const struct test_case cases[] = {
	{ "the resources' states and the closed gates on the nodes asked",
	    test_why },
	{ NULL, NULL },
};

int
main(int argc, char **argv)
{
	return test_main(argc, argv, "query_why", cases);
}
