/*
 * test_route_tables_sc.c - the route_tables section in scenario files: its
 * errors at their place in the file, and a run where a table imports a
 * live BGP speaker's routes (adds and withdrawals) and a speaker
 * redistributes a route table's named source (source drg, as the Oracle
 * edge does with the DRG's routes, cloud-facts 2.7).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "net.h"
#include "rib.h"
#include "scenario.h"
#include "scenario_models.h"
#include "scenario_run.h"
#include "scenario_testutil.h"
#include "sim.h"
#include "testutil.h"
#include "wire.h"

static const char bad[] =
    "nodes:\n"
    "  - { name: r1, role: router, interfaces: [{ name: e0, address: "
    "10.0.0.1/30 }] }\n"
    "  - { name: r2, role: router, interfaces: [{ name: e0, address: "
    "10.0.0.2/30 }] }\n"
    "route_tables:\n"
    "  - node: r9\n"						/* 5 */
    "  - node: r1\n"
    "    routes:\n"
    "      - { prefix: 10.1.0.0/16, source: user }\n"
    "      - { prefix: 10.2.0.0/16, via: 10.0.0.2, drop: true }\n"	/* 9 */
    "      - { prefix: 10.3.0.0/16, via: 10.7.0.1 }\n"
    "      - { prefix: 10.4.0.0/16, source: sys, drop: true }\n"
    "      - { prefix: 10.4.0.0/16, source: sys, iface: e0 }\n"
    "      - { prefix: 10.5.0.0/16, table: nope }\n"
    "      - { prefix: 10.6.0.0/16, source: connected, drop: true }\n"
    "    imports:\n"						/* 15 */
    "      - { from_node: r3, from_sources: [bgp], source: b, "
    "preference: 20, drop: true }\n"
    "      - { from_node: r2, from_sources: [bgp, sys], source: b, "
    "preference: 20, drop: true, exclude_within: [10.1.0.1/16, x] }\n"
    "  - node: r2\n"
    "    imports:\n"
    "      - { from_node: r1, from_sources: [sys], source: c, "
    "preference: 20, via: 10.0.0.1 }\n"
    "  - node: r1\n"
    "    imports:\n"
    "      - { from_node: r2, from_sources: [c], source: d, "
    "preference: 20, via: 10.0.0.2 }\n"
    "bgp:\n"
    "  - node: r1\n"		/* 25 */
    "    asn: 65001\n"
    "    neighbors: [{ address: 10.0.0.2, remote_as: 65002 }]\n"
    "    redistribute: [{ source: sys }, { source: ospf }, { source: sys, "
    "policy: p }]\n"
    "policies:\n"
    "  - { name: p, default: accept }\n";

static void
test_bad(void)
{
	struct scenario *sc;
	unsigned n = 0;
	char *diag = NULL;

	sc = load(bad, &diag, &n);
	CU_ASSERT_PTR_NULL(sc);
	CU_ASSERT(has_error(diag, "5:11", "unknown node 'r9'"));
	CU_ASSERT(has_error(diag, "8:9", "no next hop: give exactly one of via "
	    "(with an optional iface), iface, table or drop: true"));
	CU_ASSERT(has_error(diag, "9:9", "more than one next hop"));
	CU_ASSERT(has_error(diag, "10:37", "via 10.7.0.1 is not on a connected "
	    "subnet of vrf default of node 'r1': give iface"));
	CU_ASSERT(has_error(diag, "12:19", "duplicate route 10.4.0.0/16 of "
	    "source 'sys' in vrf default of node 'r1' (first at 11:9)"));
	CU_ASSERT(has_error(diag, "13:39", "node 'r1' has no vrf 'nope'"));
	CU_ASSERT(has_error(diag, "14:40", "source 'connected' is the "
	    "interfaces' subnets"));
	CU_ASSERT(has_error(diag, "16:22", "unknown node 'r3'"));
	CU_ASSERT(has_error(diag, "17:41", "node 'r2' has no route source "
	    "'bgp' in vrf default"));
	CU_ASSERT(has_error(diag, "17:46", "node 'r2' has no route source "
	    "'sys' in vrf default"));
	CU_ASSERT(has_error(diag, "17:108", "'10.1.0.1/16' is not a prefix "
	    "a.b.c.d/len with its host bits zero"));
	CU_ASSERT(has_error(diag, "17:121", "'x' is not a prefix"));
	CU_ASSERT(has_error(diag, "23:22", "import cycle: vrf default of node "
	    "'r2' is fed from this table (vrf default of node 'r1') through "
	    "imports"));
	CU_ASSERT(has_error(diag, "28:47", "unknown source 'ospf' (one of: "
	    "connected, static) and no route_tables item puts routes of that "
	    "source in vrf default of node 'r1'"));
	CU_ASSERT(has_error(diag, "28:65", "source 'sys' is redistributed "
	    "already (at 28:20)"));
	CU_ASSERT_EQUAL(n, 15);
	if (n != 15)
		fprintf(stderr, "%s", diag);
	free(diag);
}

/* Two redistribute entries must share the policy (one per speaker). */
static void
test_bad_policy(void)
{
	static const char text[] =
	    "nodes:\n"
	    "  - { name: r1, role: router, interfaces: [{ name: e0, address: "
	    "10.0.0.1/30 }] }\n"
	    "route_tables:\n"
	    "  - { node: r1, routes: [{ prefix: 10.9.0.0/16, source: drg, "
	    "drop: true }] }\n"
	    "bgp:\n"						/* 5 */
	    "  - node: r1\n"
	    "    asn: 65001\n"
	    "    redistribute: [{ source: drg }, { source: static, policy: p "
	    "}]\n"
	    "policies:\n"
	    "  - { name: p, default: accept }\n";		/* 10 */
	struct scenario *sc;
	unsigned n = 0;
	char *diag = NULL;

	sc = load(text, &diag, &n);
	CU_ASSERT_PTR_NULL(sc);
	CU_ASSERT(has_error(diag, "8:37", "redistribute: policy p here but "
	    "none at 8:20: a speaker filters every source it redistributes "
	    "with one policy"));
	CU_ASSERT_EQUAL(n, 1);
	if (n != 1)
		fprintf(stderr, "%s", diag);
	free(diag);
}

/*
 * Items of one table agree on ecmp; two tables of a node may differ on it
 * for the same source name (each table has its own view of the source).
 */
static void
test_bad_ecmp(void)
{
	static const char text[] =
	    "nodes:\n"
	    "  - { name: d, role: router, interfaces: [{ name: e0, address: "
	    "10.0.0.1/30 }] }\n"
	    "route_tables:\n"
	    "  - { node: d, vrf: a, ecmp: true, routes: [{ prefix: 10.1.0.0/16, "
	    "source: vc, drop: true }] }\n"
	    "  - { node: d, vrf: b, routes: [{ prefix: 10.1.0.0/16, source: vc, "
	    "drop: true }] }\n"					/* 5 */
	    "  - { node: d, vrf: a, routes: [{ prefix: 10.2.0.0/16, source: x, "
	    "drop: true }] }\n";
	struct scenario *sc;
	unsigned n = 0;
	char *diag = NULL;

	sc = load(text, &diag, &n);
	CU_ASSERT_PTR_NULL(sc);
	CU_ASSERT(has_error(diag, "6:5", "vrf a of node 'd' has ecmp true at "
	    "4:5: items of one table agree"));
	CU_ASSERT_EQUAL(n, 1);
	if (n != 1)
		fprintf(stderr, "%s", diag);
	free(diag);
}

/*
 * r1 -- r2 -- r3. r1 holds 10.50.0.0/16 of source drg (a blackhole here)
 * and a static 10.60.0.0/16; its speaker redistributes both to r2. r3
 * imports r2's bgp routes but 10.60/16 (exclude_within) as source
 * learned. At 10s the r1-r2 link fails: the session drops after its hold
 * time and r3 loses the import with r2's withdrawal.
 */
static const char good[] =
    "duration: 20s\n"
    "nodes:\n"
    "  - name: r1\n"
    "    role: router\n"
    "    interfaces: [{ name: e0, address: 10.0.0.1/30 }, { name: e1, "
    "address: 10.9.0.1/30 }]\n"
    "    routes: [{ prefix: 10.60.0.0/16, via: 10.9.0.2 }]\n"
    "  - name: r2\n"
    "    role: router\n"
    "    interfaces: [{ name: e0, address: 10.0.0.2/30 }, { name: e1, "
    "address: 10.8.0.1/30 }]\n"
    "  - { name: r3, role: router, interfaces: [{ name: e0, address: "
    "10.8.0.2/30 }] }\n"
    "links:\n"
    "  - { name: l0, a: r1:e0, b: r2:e0, delay: 1ms }\n"
    "  - { name: l1, a: r2:e1, b: r3:e0, delay: 1ms }\n"
    "route_tables:\n"
    "  - node: r1\n"
    "    routes: [{ prefix: 10.50.0.0/16, source: drg, preference: 30, "
    "next_hop_type: DRG, drop: true }]\n"
    "  - node: r3\n"
    "    imports:\n"
    "      - { from_node: r2, from_sources: [bgp], source: learned, "
    "preference: 20, next_hop_type: gateway, via: 10.8.0.1, "
    "exclude_within: [10.60.0.0/16] }\n"
    "bgp:\n"
    "  - node: r1\n"
    "    asn: 65001\n"
    "    ebgp_mrai: 0s\n"
    "    neighbors: [{ address: 10.0.0.2, remote_as: 65002, hold: 3s, "
    "keepalive: 1s }]\n"
    "    redistribute: [{ source: drg }, { source: static }]\n"
    "  - node: r2\n"
    "    asn: 65002\n"
    "    ebgp_mrai: 0s\n"
    "    neighbors: [{ address: 10.0.0.1, remote_as: 65001, hold: 3s, "
    "keepalive: 1s }]\n"
    "events: [{ at: 10s, action: link-down, link: l0 }]\n"
    "assertions:\n"
    "  - { kind: route, node: r2, prefix: 10.50.0.0/16, via: 10.0.0.1, "
    "as_path: \"65001\", at: 9s }\n"
    "  - { kind: route, node: r2, prefix: 10.60.0.0/16, via: 10.0.0.1, "
    "at: 9s }\n";

/* When 10.50.0.0/16 came and went in a table (-1: never). */
struct watch {
	struct sim *sim;
	sim_time added, withdrawn;
};

static void
on_change(struct rib *rb, const struct rib_change *c, void *ctx)
{
	struct watch *w = ctx;

	(void)rb;
	if (c->prefix != 0x0a320000u || c->len != 16)
		return;
	if (c->kind == RIB_WITHDRAWN)
		w->withdrawn = sim_now(w->sim);
	else if (w->added < 0)
		w->added = sim_now(w->sim);
}

static bool
has_route(struct run *r, const char *node, const char *pfx, uint8_t len,
    struct rib_route *rt)
{
	uint32_t a = 0;

	CU_ASSERT_EQUAL_FATAL(wire_ip_parse(pfx, &a), 0);
	return rib_best(node_rib(net_find_node(run_net(r), node), 0), a, len,
	    rt);
}

static void
test_run(void)
{
	struct scenario *sc;
	struct run_opts o = { 0 };
	unsigned n = 0;
	char *diag = NULL, *out = NULL, err[256] = "";
	struct rib_route rt;
	const struct rib_nhg *g;
	struct node *r1, *r2, *r3;
	struct watch w2 = { NULL, -1, -1 }, w3 = { NULL, -1, -1 };
	struct run *r;
	size_t len = 0;
	FILE *f;

	sc = load(good, &diag, &n);
	if (sc == NULL)
		fprintf(stderr, "%s", diag);
	free(diag);
	CU_ASSERT_PTR_NOT_NULL_FATAL(sc);
	r = run_new(sc, &o, err, sizeof(err));
	if (r == NULL)
		fprintf(stderr, "run_new: %s\n", err);
	CU_ASSERT_PTR_NOT_NULL_FATAL(r);
	r1 = net_find_node(run_net(r), "r1");
	r2 = net_find_node(run_net(r), "r2");
	r3 = net_find_node(run_net(r), "r3");
	w2.sim = w3.sim = run_sim(r);
	rib_add_listener(node_rib(r2, 0), on_change, &w2);
	rib_add_listener(node_rib(r3, 0), on_change, &w3);
	/* the drop route of source drg is in r1's table from the start */
	CU_ASSERT_FATAL(has_route(r, "r1", "10.50.0.0", 16, &rt));
	CU_ASSERT_EQUAL(rt.source, node_find_route_source(r1, "drg"));
	CU_ASSERT_EQUAL(rt.pref, 30);
	g = rib_nhg(node_rib(r1, 0), rt.nhg);
	CU_ASSERT_EQUAL(g->nh[0].ifindex, RIB_IF_DROP);
	CU_ASSERT_FALSE(has_route(r, "r3", "10.50.0.0", 16, &rt));
	run_advance(r, SIM_S(9));
	/* the speaker's route arrived at r2 and r3 imported it at once */
	CU_ASSERT_FATAL(has_route(r, "r3", "10.50.0.0", 16, &rt));
	CU_ASSERT_EQUAL(rt.source, node_find_route_source(r3, "learned"));
	CU_ASSERT_EQUAL(rt.pref, 20);
	g = rib_nhg(node_rib(r3, 0), rt.nhg);
	CU_ASSERT_EQUAL(g->nh[0].via, 0x0a080001u);
	CU_ASSERT_FALSE(has_route(r, "r3", "10.60.0.0", 16, &rt));
	CU_ASSERT(has_route(r, "r2", "10.60.0.0", 16, &rt));
	/* after the hold time (3s) past the link's failure: gone */
	run_advance(r, SIM_S(15));
	CU_ASSERT_FALSE(has_route(r, "r2", "10.50.0.0", 16, &rt));
	CU_ASSERT_FALSE(has_route(r, "r3", "10.50.0.0", 16, &rt));
	/*
	 * At once: r3's import comes and goes in the very instant r2's BGP
	 * route does (the session's first UPDATE; 3s, the hold time, after
	 * the last keepalive r2 heard before the link failed at 10s).
	 */
	CU_ASSERT_EQUAL(w2.added, SIM_NS(5000551));
	CU_ASSERT_EQUAL(w3.added, w2.added);
	CU_ASSERT_EQUAL(w2.withdrawn, SIM_NS(12718895372));
	CU_ASSERT_EQUAL(w3.withdrawn, w2.withdrawn);
	rib_remove_listener(node_rib(r2, 0), on_change, &w2);
	rib_remove_listener(node_rib(r3, 0), on_change, &w3);
	while (run_advance(r, run_end_time(r)))
		;
	f = open_memstream(&out, &len);
	CU_ASSERT_EQUAL(run_check(r, f), 0);
	fclose(f);
	if (out != NULL)
		fputs(out, stderr);
	free(out);
	run_free(r);
	scenario_free(sc);
}

static const struct test_case cases[] = {
	{ "errors at their place in the file", test_bad },
	{ "redistribute entries share one policy", test_bad_policy },
	{ "ecmp agrees per node source and per table", test_bad_ecmp },
	{ "a run: live import of a speaker, redistribute of source drg",
	    test_run },
	{ NULL, NULL }
};

int
main(int argc, char **argv)
{
	scenario_models_init();
	return test_main(argc, argv, "route_tables_sc", cases);
}
