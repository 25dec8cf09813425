/*
 * test_query_routes.c - route queries (models/query): naming a table by
 * alias, NODE/VRF or NODE, and what is printed for it: every candidate of a
 * prefix with its state, source, preference, next hop and the source's own
 * description (a BGP route's AS path), why the Active one won, the longest
 * match of an address, and the JSON form.
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

/*
 * r1 and r2 share a LAN and two links; r2 originates 10.9.0.0/16 over eBGP
 * and r1 also has a static route for it (preference 1 beats eBGP's 20),
 * and r1 keeps a second VRF "blue".
 */
static const char text[] =
	"name: q\n"
	"duration: 20s\n"
	"nodes:\n"
	"  - name: r1\n"
	"    role: router\n"
	"    interfaces:\n"
	"      - { name: a, address: 10.0.0.1/30 }\n"
	"      - { name: b, address: 10.0.0.5/30, vrf: blue }\n"
	"    routes:\n"
	"      - { prefix: 10.9.0.0/16, via: 10.0.0.2 }\n"
	"  - name: r2\n"
	"    role: router\n"
	"    interfaces:\n"
	"      - { name: a, address: 10.0.0.2/30 }\n"
	"      - { name: b, address: 10.0.0.6/30 }\n"
	"      - { name: lan, address: 10.9.1.1/24 }\n"
	"links:\n"
	"  - { name: l1, a: 'r1:a', b: 'r2:a', rate: 1Gbps, delay: 1ms }\n"
	"  - { name: l2, a: 'r1:b', b: 'r2:b', rate: 1Gbps, delay: 1ms }\n"
	"bgp:\n"
	"  - node: r1\n"
	"    asn: 65001\n"
	"    neighbors: [{ address: 10.0.0.2, remote_as: 65002 }]\n"
	"  - node: r2\n"
	"    asn: 65002\n"
	"    networks: [{ prefix: 10.9.0.0/16 }]\n"
	"    neighbors: [{ address: 10.0.0.1, remote_as: 65001 }]\n"
	"aliases:\n"
	"  - { name: core-table, node: r1, what: the core router's table }\n"
	"  - { name: blue-table, node: r1, vrf: blue }\n";

static struct run *
run_to(struct scenario **scp, sim_time at)
{
	struct run_opts o = { 0 };
	char *diag = NULL, err[256];
	unsigned nerr = 0;
	struct run *r;

	scenario_models_init();
	*scp = load(text, &diag, &nerr);
	if (*scp == NULL)
		fprintf(stderr, "%s", diag);
	free(diag);
	CU_ASSERT_PTR_NOT_NULL_FATAL(*scp);
	r = run_new(*scp, &o, err, sizeof(err));
	CU_ASSERT_PTR_NOT_NULL_FATAL(r);
	run_advance(r, at);
	return r;
}

static char *
routes(const struct query_table *t, uint32_t only, unsigned len, bool json,
    size_t *n)
{
	char *buf = NULL;
	size_t blen = 0;
	FILE *f = open_memstream(&buf, &blen);

	*n = query_routes(f, t, only, len, json);
	fclose(f);
	return buf;
}

static void
test_names(void)
{
	struct scenario *sc;
	struct run *r = run_to(&sc, SIM_S(1));
	struct query_table t;
	char err[256];

	CU_ASSERT_EQUAL(query_resolve(run_net(r), sc, "core-table", &t, err,
	    sizeof(err)), 0);
	CU_ASSERT_STRING_EQUAL(t.label, "r1/default (core-table: the core "
	    "router's table)");
	CU_ASSERT_EQUAL(query_resolve(run_net(r), sc, "blue-table", &t, err,
	    sizeof(err)), 0);
	CU_ASSERT_STRING_EQUAL(node_vrf_name(t.node, t.vrf), "blue");
	CU_ASSERT_EQUAL(query_resolve(run_net(r), sc, "r1/blue", &t, err,
	    sizeof(err)), 0);
	CU_ASSERT_STRING_EQUAL(t.label, "r1/blue");
	CU_ASSERT_EQUAL(query_resolve(run_net(r), sc, "r2", &t, err,
	    sizeof(err)), 0);
	CU_ASSERT_STRING_EQUAL(t.label, "r2/default");
	CU_ASSERT_EQUAL(query_resolve(run_net(r), sc, "r1/red", &t, err,
	    sizeof(err)), -1);
	CU_ASSERT_STRING_EQUAL(err, "node 'r1' has no VRF 'red' (its VRFs: "
	    "default, blue)");
	CU_ASSERT_EQUAL(query_resolve(run_net(r), sc, "r9", &t, err,
	    sizeof(err)), -1);
	CU_ASSERT_STRING_EQUAL(err, "no node or alias 'r9'");
	run_free(r);
	scenario_free(sc);
}

static void
test_candidates_and_why(void)
{
	struct scenario *sc;
	struct run *r = run_to(&sc, SIM_S(10));
	struct query_table t;
	char err[256], *out;
	uint32_t p;
	unsigned len;
	size_t n;

	CU_ASSERT_EQUAL_FATAL(query_resolve(run_net(r), sc, "r1", &t, err,
	    sizeof(err)), 0);
	out = routes(&t, 0, 33, false, &n);
	/* the connected /30, the static and the BGP route of 10.9/16 */
	CU_ASSERT_EQUAL(n, 2);
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "10.9.0.0/16        Active   "
	    "static        1  via 10.0.0.2 dev a"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "Invalid  bgp          20  via "
	    "10.0.0.2 dev a"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "AS path 65002, next hop 10.0.0.2, "
	    "origin IGP"));
	free(out);
	/* the longest match of an address on the LAN, and why */
	CU_ASSERT_TRUE(query_lookup(&t, 0x0a090105, &p, &len));
	CU_ASSERT_EQUAL(p, 0x0a090000);
	CU_ASSERT_EQUAL(len, 16);
	CU_ASSERT_FALSE(query_lookup(&t, 0xc0a80001, &p, &len));
	out = routes(&t, p, len, false, &n);
	CU_ASSERT_EQUAL(n, 1);
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "10.9.0.0/16: lower preference 1 "
	    "< 20 (static over bgp)"));
	free(out);
	out = routes(&t, 0x0a080000, 16, false, &n);
	CU_ASSERT_EQUAL(n, 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "(no route for exactly that "
	    "prefix)"));
	free(out);
	out = routes(&t, p, len, true, &n);
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "{\"table\": \"r1/default\", "
	    "\"prefixes\": [{\"prefix\": \"10.9.0.0/16\", \"why\": \"lower "
	    "preference 1 < 20 (static over bgp)\", \"routes\": [{\"source\": "
	    "\"static\", \"preference\": 1, \"metric\": 0, \"state\": "
	    "\"Active\", \"next_hop\": \"via 10.0.0.2 dev a\", "
	    "\"description\": \"\"}, {\"source\": \"bgp\""));
	free(out);
	run_free(r);
	scenario_free(sc);
}

/* Before the session is up only the static route is there. */
static void
test_at_an_instant(void)
{
	struct scenario *sc;
	struct run *r = run_to(&sc, 0);
	struct query_table t;
	char err[256], *out;
	size_t n;

	CU_ASSERT_EQUAL_FATAL(query_resolve(run_net(r), sc, "r1", &t, err,
	    sizeof(err)), 0);
	out = routes(&t, 0x0a090000, 16, false, &n);
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "only candidate"));
	CU_ASSERT_PTR_NULL(strstr(out, "bgp"));
	free(out);
	run_free(r);
	scenario_free(sc);
}

static void
test_alias_errors(void)
{
	char *diag = NULL;
	unsigned nerr = 0;

	scenario_models_init();
	CU_ASSERT_PTR_NULL(load("nodes:\n"
	    "  - { name: r1, role: router }\n"
	    "aliases:\n"
	    "  - { name: a/b, node: r1 }\n"
	    "  - { name: x, node: r2 }\n"
	    "  - { name: x, node: r1 }\n", &diag, &nerr));
	CU_ASSERT(has_error(diag, "4:13", "may not be empty or contain '/'"));
	CU_ASSERT(has_error(diag, "5:22", "unknown node 'r2'"));
	CU_ASSERT(has_error(diag, "6:13", "duplicate alias 'x'"));
	free(diag);
}

static const struct test_case cases[] = {
	{ "tables by alias, NODE/VRF and NODE", test_names },
	{ "candidates, states, descriptions and why", test_candidates_and_why },
	{ "the table at an instant", test_at_an_instant },
	{ "alias errors", test_alias_errors },
	{ NULL, NULL }
};

int
main(int argc, char **argv)
{
	return test_main(argc, argv, "query_routes", cases);
}
