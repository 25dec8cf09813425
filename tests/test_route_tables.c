/*
 * test_route_tables.c - route tables without a scenario file: selection
 * by preference as Azure's (cloud-facts B3), the VNet-space exception by
 * exclude_within (B3), imports following the other table at once, the
 * ECMP flag (DRG route tables, B6), drop and table next hops in the RIB,
 * import cycles refused, and the explanation of a prefix.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "net.h"
#include "rib.h"
#include "route_tables.h"
#include "sim.h"
#include "testutil.h"
#include "wire.h"

static uint32_t
ip(const char *s)
{
	uint32_t a = 0;

	CU_ASSERT_EQUAL_FATAL(wire_ip_parse(s, &a), 0);
	return a;
}

/*
 * vnet (VRF sub, VRF _vnet) linked to gw at 169.254.0.0/30; gw's table
 * holds "bgp" routes (a route table of source bgp stands in for a speaker:
 * an import matches source names only), gw2 a second gateway.
 */
struct fx {
	struct sim *sim;
	struct net *net;
	struct node *vnet, *gw, *gw2;
	uint32_t sub, vn;
	struct route_tables *rts;
	struct rt_table *gwt, *gw2t;
	char err[200];
};

static void
fx_init(struct fx *f)
{
	memset(f, 0, sizeof(*f));
	f->sim = sim_new(1);
	f->net = net_new(f->sim);
	f->vnet = net_add_node(f->net, "vnet", "router", NULL, NULL);
	f->gw = net_add_node(f->net, "gw", "router", NULL, NULL);
	f->gw2 = net_add_node(f->net, "gw2", "router", NULL, NULL);
	f->sub = node_vrf(f->vnet, "sub");
	f->vn = node_vrf(f->vnet, "_vnet");
	node_add_iface(f->vnet, "gw", NULL, ip("169.254.0.2"), 30, f->sub);
	node_add_iface(f->vnet, "gw2", NULL, ip("169.254.1.2"), 30, f->sub);
	node_add_iface(f->gw, "vnet", NULL, ip("169.254.0.1"), 30, 0);
	node_add_iface(f->gw2, "vnet", NULL, ip("169.254.1.1"), 30, 0);
	f->rts = route_tables_new();
	f->gwt = route_tables_table(f->rts, f->gw, 0, false);
	f->gw2t = route_tables_table(f->rts, f->gw2, 0, false);
}

static void
fx_free(struct fx *f)
{
	route_tables_free(f->rts);
	net_free(f->net);
	sim_free(f->sim);
}

static struct rt_nexthop
via(const char *a)
{
	struct rt_nexthop nh = { RT_NH_VIA, ip(a), IFACE_NONE, 0 };

	return nh;
}

static int
add(struct rt_table *t, const char *pfx, uint8_t len, const char *src,
    uint16_t pref, const char *nht, struct rt_nexthop nh, char *err)
{
	struct rt_route_cfg c = { ip(pfx), len, src, pref, nht, nh, false,
	    NULL };

	return route_tables_add_route(t, &c, err, 200);
}

/* The gateway's "bgp" route for pfx/len (as a speaker would install). */
static void
gw_bgp(struct fx *f, struct rt_table *t, const char *pfx, uint8_t len)
{
	CU_ASSERT_EQUAL(add(t, pfx, len, "bgp", 20, NULL, via(t == f->gwt ?
	    "169.254.0.2" : "169.254.1.2"), f->err), 0);
}

static struct rt_import_cfg
imp_cfg(struct node *from, const char *const *srcs, size_t n)
{
	struct rt_import_cfg c;

	memset(&c, 0, sizeof(c));
	c.from = from;
	c.from_vrf = 0;
	c.from_sources = srcs;
	c.n_from_sources = n;
	c.source = "bgp";
	c.pref = 20;
	c.next_hop_type = "Virtual network gateway";
	return c;
}

static const char *const bgp_only[] = { "bgp" };

/* The first member of the FIB group for addr in (n, vrf). */
static const struct rib_nh *
fib_nh(struct node *n, uint32_t vrf, const char *addr, uint32_t *members)
{
	const struct rib_nhg *g = rib_lookup(node_rib(n, vrf), ip(addr));

	if (members != NULL)
		*members = g != NULL ? g->n : 0;
	return g != NULL ? &g->nh[0] : NULL;
}

/*
 * B3: for the same prefix a user route (10) beats a BGP route (20) beats a
 * system route (30); longest prefix first whatever the preference.
 */
static void
test_selection(void)
{
	struct fx f;
	struct rt_table *t;
	struct rt_import_cfg c;
	struct rt_nexthop tab = { RT_NH_TABLE, 0, 0, 0 };
	struct rib_route best;
	const struct rib_nh *nh;

	fx_init(&f);
	tab.vrf = f.vn;
	t = route_tables_table(f.rts, f.vnet, f.sub, false);
	CU_ASSERT_PTR_NOT_NULL_FATAL(t);
	gw_bgp(&f, f.gwt, "10.5.0.0", 16);
	c = imp_cfg(f.gw, bgp_only, 1);
	c.nh = via("169.254.0.1");
	CU_ASSERT_EQUAL_FATAL(route_tables_add_import(t, &c, f.err,
	    sizeof(f.err)), 0);
	CU_ASSERT_EQUAL(add(t, "10.5.0.0", 16, "system", 30, "Virtual network",
	    tab, f.err), 0);
	/* bgp (20) over system (30) */
	CU_ASSERT_FATAL(rib_best(node_rib(f.vnet, f.sub), ip("10.5.0.0"), 16,
	    &best));
	CU_ASSERT_EQUAL(best.pref, 20);
	CU_ASSERT_EQUAL(best.source, node_find_route_source(f.vnet, "bgp"));
	nh = fib_nh(f.vnet, f.sub, "10.5.1.1", NULL);
	CU_ASSERT_EQUAL(nh->via, ip("169.254.0.1"));
	/* user (10) over bgp */
	CU_ASSERT_EQUAL(add(t, "10.5.0.0", 16, "user", 10, "None",
	    (struct rt_nexthop){ RT_NH_DROP, 0, 0, 0 }, f.err), 0);
	nh = fib_nh(f.vnet, f.sub, "10.5.1.1", NULL);
	CU_ASSERT_EQUAL(nh->ifindex, RIB_IF_DROP);
	/* a longer system prefix wins over the user /16 */
	CU_ASSERT_EQUAL(add(t, "10.5.1.0", 24, "system", 30, "Virtual network",
	    tab, f.err), 0);
	nh = fib_nh(f.vnet, f.sub, "10.5.1.1", NULL);
	CU_ASSERT(RIB_IF_IS_TABLE(nh->ifindex));
	CU_ASSERT_EQUAL(RIB_IF_TABLE_VRF(nh->ifindex), f.vn);
	nh = fib_nh(f.vnet, f.sub, "10.5.2.1", NULL);
	CU_ASSERT_EQUAL(nh->ifindex, RIB_IF_DROP);
	/* the same named source has the same id on every VRF of the node */
	CU_ASSERT_EQUAL(node_route_source(f.vnet, "user", false),
	    node_find_route_source(f.vnet, "user"));
	CU_ASSERT(node_find_route_source(f.vnet, "user") >= RIB_SRC_MODEL + 8);
	CU_ASSERT_EQUAL(node_find_route_source(f.vnet, "nosuch"), -1);
	fx_free(&f);
}

/*
 * B3's exception: the VNet address space's system route wins even over a
 * MORE SPECIFIC gateway route; exclude_within keeps such routes out.
 */
static void
test_vnet_exception(void)
{
	struct fx f;
	struct rt_table *t;
	struct rt_import_cfg c;
	struct rt_prefix vnet = { 0, 16 };
	struct rt_nexthop tab = { RT_NH_TABLE, 0, 0, 0 };
	struct rib_route best;

	fx_init(&f);
	tab.vrf = f.vn;
	vnet.prefix = ip("10.1.0.0");
	t = route_tables_table(f.rts, f.vnet, f.sub, false);
	CU_ASSERT_EQUAL(add(t, "10.1.0.0", 16, "system", 30, "Virtual network",
	    tab, f.err), 0);
	gw_bgp(&f, f.gwt, "10.1.2.0", 24);
	gw_bgp(&f, f.gwt, "10.1.0.0", 16);
	gw_bgp(&f, f.gwt, "10.2.0.0", 16);
	c = imp_cfg(f.gw, bgp_only, 1);
	c.nh = via("169.254.0.1");
	c.exclude_within = &vnet;
	c.n_exclude = 1;
	CU_ASSERT_EQUAL_FATAL(route_tables_add_import(t, &c, f.err,
	    sizeof(f.err)), 0);
	CU_ASSERT_FALSE(rib_best(node_rib(f.vnet, f.sub), ip("10.1.2.0"), 24,
	    &best));
	CU_ASSERT_FATAL(rib_best(node_rib(f.vnet, f.sub), ip("10.1.0.0"), 16,
	    &best));
	CU_ASSERT_EQUAL(best.pref, 30);
	CU_ASSERT(rib_best(node_rib(f.vnet, f.sub), ip("10.2.0.0"), 16, &best));
	/* and live: a later more specific inside the space stays out */
	gw_bgp(&f, f.gwt, "10.1.3.0", 24);
	CU_ASSERT_FALSE(rib_best(node_rib(f.vnet, f.sub), ip("10.1.3.0"), 24,
	    &best));
	CU_ASSERT(RIB_IF_IS_TABLE(fib_nh(f.vnet, f.sub, "10.1.3.1",
	    NULL)->ifindex));
	fx_free(&f);
}

/* Adds, withdrawals and another source becoming best, followed at once. */
static void
test_follow(void)
{
	struct fx f;
	struct rt_table *t;
	struct rt_import_cfg c;
	struct rt_prefix only = { 0, 8 };
	struct rib_route best;
	struct rib *gr;
	char err[200];

	fx_init(&f);
	only.prefix = ip("10.0.0.0");
	t = route_tables_table(f.rts, f.vnet, f.sub, false);
	c = imp_cfg(f.gw, bgp_only, 1);
	c.nh = via("169.254.0.1");
	c.only_within = &only;
	c.n_only = 1;
	CU_ASSERT_EQUAL_FATAL(route_tables_add_import(t, &c, f.err,
	    sizeof(f.err)), 0);
	gw_bgp(&f, f.gwt, "10.7.0.0", 16);
	gw_bgp(&f, f.gwt, "192.168.7.0", 24);
	CU_ASSERT(rib_best(node_rib(f.vnet, f.sub), ip("10.7.0.0"), 16, &best));
	CU_ASSERT_EQUAL(best.attr != NULL, true);
	/* only_within 10/8 */
	CU_ASSERT_FALSE(rib_best(node_rib(f.vnet, f.sub), ip("192.168.7.0"), 24,
	    &best));
	/* a static route becomes the best there: no longer a bgp route */
	CU_ASSERT_EQUAL(node_add_route(f.gw, 0, ip("10.7.0.0"), 16,
	    ip("169.254.0.2"), IFACE_NONE, err, sizeof(err)), 0);
	CU_ASSERT_FALSE(rib_best(node_rib(f.vnet, f.sub), ip("10.7.0.0"), 16,
	    &best));
	/* the static goes, bgp is the best again: back here */
	gr = node_rib(f.gw, 0);
	CU_ASSERT_EQUAL(rib_del(gr, ip("10.7.0.0"), 16, RIB_SRC_STATIC, 0), 0);
	CU_ASSERT(rib_best(node_rib(f.vnet, f.sub), ip("10.7.0.0"), 16, &best));
	/* withdrawn there: withdrawn here */
	CU_ASSERT(rib_del_instance(gr, (uint8_t)node_find_route_source(f.gw,
	    "bgp"), 1) == 1);
	CU_ASSERT_FALSE(rib_best(node_rib(f.vnet, f.sub), ip("10.7.0.0"), 16,
	    &best));
	CU_ASSERT_EQUAL(rib_prefix_count(node_rib(f.vnet, f.sub)), 2);
	fx_free(&f);
}

/* B6: ECMP across two attachments only when the table's flag is on. */
static void
test_ecmp(void)
{
	bool on;

	for (on = false; ; on = true) {
		struct fx f;
		struct rt_table *t;
		struct rt_import_cfg c;
		uint32_t members;

		fx_init(&f);
		t = route_tables_table(f.rts, f.vnet, f.sub, on);
		gw_bgp(&f, f.gwt, "10.8.0.0", 16);
		gw_bgp(&f, f.gw2t, "10.8.0.0", 16);
		c = imp_cfg(f.gw, bgp_only, 1);
		c.source = "vc";
		c.nh = via("169.254.0.1");
		CU_ASSERT_EQUAL(route_tables_add_import(t, &c, f.err,
		    sizeof(f.err)), 0);
		c.from = f.gw2;
		c.nh = via("169.254.1.1");
		CU_ASSERT_EQUAL(route_tables_add_import(t, &c, f.err,
		    sizeof(f.err)), 0);
		fib_nh(f.vnet, f.sub, "10.8.0.1", &members);
		CU_ASSERT_EQUAL(members, on ? 2 : 1);
		/* one gateway withdraws: the other stays */
		rib_del_instance(node_rib(f.gw, 0), (uint8_t)
		    node_find_route_source(f.gw, "bgp"), 1);
		CU_ASSERT_EQUAL(fib_nh(f.vnet, f.sub, "10.8.0.1",
		    &members)->via, ip("169.254.1.1"));
		CU_ASSERT_EQUAL(members, 1);
		fx_free(&f);
		if (on)
			break;
	}
}

/*
 * Two tables of one node share the source name "vc" but not its ECMP
 * flag (a DRG's autogenerated VCN table and a user table with ECMP on),
 * and route queries read each route's next hop type and origin.
 */
static void
test_ecmp_per_table_and_describe(void)
{
	struct fx f;
	struct rt_table *a, *b;
	struct rt_import_cfg c;
	uint32_t members, other;
	struct rib_route best;
	char desc[200];

	fx_init(&f);
	other = node_vrf(f.vnet, "other");
	a = route_tables_table(f.rts, f.vnet, f.sub, true);
	b = route_tables_table(f.rts, f.vnet, other, false);
	gw_bgp(&f, f.gwt, "10.8.0.0", 16);
	gw_bgp(&f, f.gw2t, "10.8.0.0", 16);
	c = imp_cfg(f.gw, bgp_only, 1);
	c.source = "vc";
	c.next_hop_type = "VIRTUAL_CIRCUIT";
	c.nh = via("169.254.0.1");
	CU_ASSERT_EQUAL(route_tables_add_import(a, &c, f.err,
	    sizeof(f.err)), 0);
	/* "other" has no connected subnets: name the interfaces */
	c.nh.ifindex = 0;
	CU_ASSERT_EQUAL(route_tables_add_import(b, &c, f.err,
	    sizeof(f.err)), 0);
	c.from = f.gw2;
	c.nh = via("169.254.1.1");
	CU_ASSERT_EQUAL(route_tables_add_import(a, &c, f.err,
	    sizeof(f.err)), 0);
	c.nh.ifindex = 1;
	CU_ASSERT_EQUAL(route_tables_add_import(b, &c, f.err,
	    sizeof(f.err)), 0);
	fib_nh(f.vnet, f.sub, "10.8.0.1", &members);
	CU_ASSERT_EQUAL(members, 2);
	fib_nh(f.vnet, other, "10.8.0.1", &members);
	CU_ASSERT_EQUAL(members, 1);
	CU_ASSERT_TRUE_FATAL(rib_best(node_rib(f.vnet, other), ip("10.8.0.0"),
	    16, &best));
	rib_describe(node_rib(f.vnet, other), &best, desc, sizeof(desc));
	CU_ASSERT_STRING_EQUAL(desc, "VIRTUAL_CIRCUIT; from gw/default bgp");
	fx_free(&f);
}

/*
 * A via without an interface takes the interface whose subnet holds it,
 * whatever the table already routes there: a UDR blackholing a part of a
 * subnet next to one via an appliance in it, in either order.
 */
static void
test_via_by_subnet(void)
{
	struct fx f;
	struct rt_table *t;
	struct rt_nexthop drop = { RT_NH_DROP, 0, 0, 0 };
	uint32_t members;

	fx_init(&f);
	t = route_tables_table(f.rts, f.vnet, f.sub, false);
	CU_ASSERT_EQUAL(add(t, "169.254.0.1", 32, "user", 10, "None", drop,
	    f.err), 0);
	CU_ASSERT_EQUAL(add(t, "10.60.0.0", 16, "user", 10, "VirtualAppliance",
	    via("169.254.0.1"), f.err), 0);
	CU_ASSERT_EQUAL(fib_nh(f.vnet, f.sub, "10.60.0.1", &members)->ifindex,
	    0);
	fx_free(&f);
}

/* Drop and table next hops are special members of the RIB's groups. */
static void
test_drop_table(void)
{
	struct fx f;
	struct rt_table *t;
	struct rt_nexthop tab = { RT_NH_TABLE, 0, 0, 0 };
	struct rt_nexthop drop = { RT_NH_DROP, 0, 0, 0 };
	const struct rib_nhg *g;
	char *dump = NULL;
	size_t len = 0;
	FILE *out;

	fx_init(&f);
	tab.vrf = f.vn;
	t = route_tables_table(f.rts, f.vnet, f.sub, false);
	CU_ASSERT_EQUAL(add(t, "0.0.0.0", 0, "system", 30, "Internet", drop,
	    f.err), 0);
	CU_ASSERT_EQUAL(add(t, "10.1.0.0", 16, "system", 30, "Virtual network",
	    tab, f.err), 0);
	g = rib_lookup(node_rib(f.vnet, f.sub), ip("8.8.8.8"));
	CU_ASSERT_FATAL(g != NULL && g->n == 1);
	CU_ASSERT_EQUAL(g->nh[0].ifindex, RIB_IF_DROP);
	CU_ASSERT_EQUAL(g->nh[0].via, 0);
	g = rib_lookup(node_rib(f.vnet, f.sub), ip("10.1.9.9"));
	CU_ASSERT_FATAL(g != NULL && g->n == 1);
	CU_ASSERT_EQUAL(g->nh[0].ifindex, RIB_IF_TABLE(f.vn));
	out = open_memstream(&dump, &len);
	node_dump_routes(f.vnet, out);
	fclose(out);
	/* the words are the contract's (sim's dump format is sim's) */
	CU_ASSERT_PTR_NOT_NULL(strstr(dump, "0.0.0.0/0 blackhole"));
	CU_ASSERT_PTR_NOT_NULL(strstr(dump, "10.1.0.0/16 table _vnet"));
	free(dump);
	/* a table next hop to its own VRF, a bad via, "connected": refused */
	tab.vrf = f.sub;
	CU_ASSERT_EQUAL(add(t, "10.2.0.0", 16, "system", 30, NULL, tab, f.err),
	    -1);
	CU_ASSERT_EQUAL(add(t, "10.2.0.0", 16, "user", 10, NULL,
	    via("10.99.0.1"), f.err), -1);
	CU_ASSERT_STRING_EQUAL(f.err, "next hop 10.99.0.1 is not on a connected "
	    "subnet of vrf sub of node vnet");
	CU_ASSERT_EQUAL(add(t, "10.2.0.0", 16, "connected", 0, NULL, drop,
	    f.err), -1);
	fx_free(&f);
}

/* An import into a table that feeds its source table is refused. */
static void
test_cycle(void)
{
	struct fx f;
	struct rt_table *t;
	struct rt_import_cfg c;
	static const char *const sub_srcs[] = { "bgp" };

	fx_init(&f);
	t = route_tables_table(f.rts, f.vnet, f.sub, false);
	c = imp_cfg(f.gw, bgp_only, 1);
	c.nh = via("169.254.0.1");
	CU_ASSERT_EQUAL(route_tables_add_import(t, &c, f.err,
	    sizeof(f.err)), 0);
	/* gw from vnet/sub: vnet/sub is fed from gw */
	c = imp_cfg(f.vnet, sub_srcs, 1);
	c.from_vrf = f.sub;
	c.source = "back";
	c.nh = via("169.254.0.2");
	CU_ASSERT_EQUAL(route_tables_add_import(f.gwt, &c, f.err,
	    sizeof(f.err)), -1);
	CU_ASSERT_STRING_EQUAL(f.err, "import cycle: vrf sub of node vnet is "
	    "fed from vrf default of node gw");
	/* from itself */
	c = imp_cfg(f.gw, bgp_only, 1);
	c.nh = via("169.254.0.2");
	CU_ASSERT_EQUAL(route_tables_add_import(f.gwt, &c, f.err,
	    sizeof(f.err)), -1);
	/* gw2 from vnet/sub is no cycle */
	c = imp_cfg(f.vnet, sub_srcs, 1);
	c.from_vrf = f.sub;
	c.source = "fromvnet";
	c.nh = via("169.254.1.2");
	CU_ASSERT_EQUAL(route_tables_add_import(f.gw2t, &c, f.err,
	    sizeof(f.err)), 0);
	gw_bgp(&f, f.gwt, "10.3.0.0", 16);
	CU_ASSERT_PTR_NOT_NULL(fib_nh(f.gw2, 0, "10.3.0.1", NULL));
	fx_free(&f);
}

/* Candidates with names, preferences, next hop types, origins and why. */
static void
test_explain(void)
{
	struct fx f;
	struct rt_table *t;
	struct rt_import_cfg c;
	struct rt_nexthop tab = { RT_NH_TABLE, 0, 0, 0 };
	struct rt_explain ex;

	fx_init(&f);
	tab.vrf = f.vn;
	t = route_tables_table(f.rts, f.vnet, f.sub, false);
	gw_bgp(&f, f.gwt, "10.6.0.0", 16);
	c = imp_cfg(f.gw, bgp_only, 1);
	c.nh = via("169.254.0.1");
	CU_ASSERT_EQUAL(route_tables_add_import(t, &c, f.err, sizeof(f.err)),
	    0);
	CU_ASSERT_EQUAL(add(t, "10.6.0.0", 16, "system", 30, "Virtual network",
	    tab, f.err), 0);
	CU_ASSERT_EQUAL(add(t, "10.6.0.0", 16, "user", 10, "Virtual appliance",
	    via("169.254.1.1"), f.err), 0);
	CU_ASSERT_EQUAL_FATAL(route_tables_explain(f.rts, f.vnet, f.sub,
	    ip("10.6.0.0"), 16, &ex), 0);
	CU_ASSERT_EQUAL_FATAL(ex.n, 3);
	CU_ASSERT_STRING_EQUAL(ex.why, "lower preference 10 < 20 (user over "
	    "bgp)");
	CU_ASSERT_STRING_EQUAL(ex.cand[0].source, "user");
	CU_ASSERT_EQUAL(ex.cand[0].pref, 10);
	CU_ASSERT(ex.cand[0].in_fib);
	CU_ASSERT_STRING_EQUAL(ex.cand[0].next_hop_type, "Virtual appliance");
	CU_ASSERT_STRING_EQUAL(ex.cand[0].next_hop, "via 169.254.1.1 dev gw2");
	CU_ASSERT_STRING_EQUAL(ex.cand[0].from_node, "");
	CU_ASSERT_STRING_EQUAL(ex.cand[1].source, "bgp");
	CU_ASSERT_FALSE(ex.cand[1].in_fib);
	CU_ASSERT_STRING_EQUAL(ex.cand[1].next_hop_type,
	    "Virtual network gateway");
	CU_ASSERT_STRING_EQUAL(ex.cand[1].next_hop, "via 169.254.0.1 dev gw");
	CU_ASSERT_STRING_EQUAL(ex.cand[1].from_node, "gw");
	CU_ASSERT_STRING_EQUAL(ex.cand[1].from_vrf, "default");
	CU_ASSERT_STRING_EQUAL(ex.cand[1].from_source, "bgp");
	CU_ASSERT_STRING_EQUAL(ex.cand[2].source, "system");
	CU_ASSERT_EQUAL(ex.cand[2].pref, 30);
	CU_ASSERT_STRING_EQUAL(ex.cand[2].next_hop, "table _vnet");
	route_tables_explain_free(&ex);
	/* a connected route: no type, no origin; no such prefix: -1 */
	CU_ASSERT_EQUAL_FATAL(route_tables_explain(f.rts, f.vnet, f.sub,
	    ip("169.254.0.0"), 30, &ex), 0);
	CU_ASSERT_EQUAL_FATAL(ex.n, 1);
	CU_ASSERT_STRING_EQUAL(ex.cand[0].source, "connected");
	CU_ASSERT_STRING_EQUAL(ex.cand[0].next_hop, "dev gw");
	CU_ASSERT_STRING_EQUAL(ex.cand[0].next_hop_type, "");
	CU_ASSERT_STRING_EQUAL(ex.why, "only candidate");
	route_tables_explain_free(&ex);
	CU_ASSERT_EQUAL(route_tables_explain(f.rts, f.vnet, f.sub,
	    ip("10.9.0.0"), 16, &ex), -1);
	fx_free(&f);
}

static const struct test_case cases[] = {
	{ "B3 selection: user 10 > bgp 20 > system 30, longest prefix first",
	    test_selection },
	{ "B3 VNet-space exception by exclude_within", test_vnet_exception },
	{ "imports follow adds, withdrawals, other sources at once",
	    test_follow },
	{ "B6 ECMP flag", test_ecmp },
	{ "a via takes its subnet's interface", test_via_by_subnet },
	{ "ECMP per table, and route descriptions",
	    test_ecmp_per_table_and_describe },
	{ "drop and table next hops in the RIB", test_drop_table },
	{ "import cycles refused", test_cycle },
	{ "explain: candidates, types, origins, why", test_explain },
	{ NULL, NULL }
};

int
main(int argc, char **argv)
{
	return test_main(argc, argv, "route_tables", cases);
}
