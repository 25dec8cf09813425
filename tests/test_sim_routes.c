/*
 * test_sim_routes.c - special next hops (a blackhole, a step into another
 * VRF's table: rib.h RIB_IF_DROP / RIB_IF_TABLE), transparent nodes, and a
 * node's named route sources (node_route_source). The shapes are those the
 * route_tables section and the cloud expansions install: a VNet node with a
 * VRF per subnet whose routes send to a delivery table or drop.
 */
#include <string.h>

#include "apps.h"
#include "net.h"
#include "pkt.h"
#include "rib.h"
#include "sim.h"
#include "testutil.h"
#include "trace.h"
#include "wire.h"

static uint32_t
ip(const char *s)
{
	uint32_t a = 0;

	CU_ASSERT_EQUAL_FATAL(wire_ip_parse(s, &a), 0);
	return a;
}

static struct link_params
params(uint64_t rate, sim_time delay)
{
	struct link_params p;

	memset(&p, 0, sizeof(p));
	p.dir[0].rate_bps = p.dir[1].rate_bps = rate;
	p.dir[0].delay = p.dir[1].delay = delay;
	p.mtu = 1500;
	p.qlimit_pkts = 100;
	return p;
}

/*
 * h0 - r1 - h2 (- h3): r1's interface "left" (10.0.0.2/24) is in VRF
 * left_vrf, "right" (10.0.1.1/24) in right_vrf; the hosts point their
 * default routes at r1. With four nodes, h2 is a router too and h3 sits
 * behind it on 10.0.2.0/24.
 */
struct tri {
	struct sim *sim;
	struct net *net;
	struct node *n[4];
	struct link *l[3];
	uint32_t vl, vr;	/* r1's VRFs of left and right */
};

static void
tri_build_c(struct tri *t, int len, const char *left_vrf,
    const char *right_vrf, bool carrier)
{
	struct link_params p = params(SIM_S(1) * 100, SIM_US(10));
	char err[128];
	uint32_t a, b;
	int i;

	p.carrier = carrier;
	memset(t, 0, sizeof(*t));
	t->sim = sim_new(1);
	t->net = net_new(t->sim);
	for (i = 0; i < len; i++) {
		char name[16];

		snprintf(name, sizeof(name), "n%d", i);
		t->n[i] = net_add_node(t->net, name, "router", NULL, NULL);
	}
	t->vl = node_vrf(t->n[1], left_vrf);
	t->vr = node_vrf(t->n[1], right_vrf);
	a = node_add_iface(t->n[0], "e0", NULL, ip("10.0.0.1"), 24, 0);
	b = node_add_iface(t->n[1], "left", NULL, ip("10.0.0.2"), 24, t->vl);
	t->l[0] = net_add_link(t->net, "l0", t->n[0], a, t->n[1], b, &p);
	a = node_add_iface(t->n[1], "right", NULL, ip("10.0.1.1"), 24, t->vr);
	b = node_add_iface(t->n[2], "e0", NULL, ip("10.0.1.2"), 24, 0);
	t->l[1] = net_add_link(t->net, "l1", t->n[1], a, t->n[2], b, &p);
	CU_ASSERT_EQUAL(node_add_route(t->n[0], 0, 0, 0, ip("10.0.0.2"),
	    IFACE_NONE, err, sizeof(err)), 0);
	CU_ASSERT_EQUAL(node_add_route(t->n[2], 0, 0, 0, ip("10.0.1.1"),
	    IFACE_NONE, err, sizeof(err)), 0);
	if (len == 4) {
		a = node_add_iface(t->n[2], "e1", NULL, ip("10.0.2.1"), 24, 0);
		b = node_add_iface(t->n[3], "e0", NULL, ip("10.0.2.2"), 24, 0);
		t->l[2] = net_add_link(t->net, "l2", t->n[2], a, t->n[3], b,
		    &p);
		CU_ASSERT_EQUAL(node_add_route(t->n[3], 0, 0, 0,
		    ip("10.0.2.1"), IFACE_NONE, err, sizeof(err)), 0);
		CU_ASSERT_EQUAL(node_add_route(t->n[1], t->vr, ip("10.0.2.0"),
		    24, ip("10.0.1.2"), IFACE_NONE, err, sizeof(err)), 0);
	}
}

static void
tri_build(struct tri *t, int len, const char *left_vrf, const char *right_vrf)
{
	tri_build_c(t, len, left_vrf, right_vrf, false);
}

static void
tri_free(struct tri *t)
{
	net_free(t->net);
	CU_ASSERT_EQUAL(pkt_live(t->sim), 0);
	sim_free(t->sim);
}

/* Install prefix/plen -> one special (or plain) next hop, of source src. */
static void
route_to(struct node *n, uint32_t vrf, const char *prefix, uint8_t plen,
    int src, uint32_t ifx)
{
	struct rib *r = node_rib(n, vrf);
	struct rib_nh nh = { 0, ifx };
	struct rib_route rt;

	memset(&rt, 0, sizeof(rt));
	rt.source = (uint8_t)src;
	rt.pref = 10;
	rt.nhg = rib_nhg_get(r, &nh, 1);
	CU_ASSERT_EQUAL(rib_add(r, ip(prefix), plen, &rt), 0);
	rib_nhg_put(r, rt.nhg);
}

/* --- a UDP receiver recording TTLs --- */

struct ttl_log {
	int n;
	uint8_t ttl[16];
	sim_time at[16];
};

static void
ttl_record(struct node *n, struct pkt *p, const struct wire_frame *f,
    void *ctx)
{
	struct ttl_log *log = ctx;

	if (log->n < 16) {
		log->ttl[log->n] = f->ip.ttl;
		log->at[log->n] = sim_now(net_sim(node_net(n)));
	}
	log->n++;
	pkt_free(net_sim(node_net(n)), p);
}

static int
send_udp(struct node *from, uint32_t vrf, uint32_t dst, uint8_t ttl)
{
	struct sim *sim = net_sim(node_net(from));
	struct pkt *p = pkt_alloc(sim, 0);
	struct udp_hdr u = { .sport = 1000, .dport = 9 };
	uint32_t src = node_source_for(from, vrf, dst);

	p->virt_len = 100;
	wire_push_udp(sim, p, &u, src, dst);
	return node_send_ip(from, vrf, p, src, dst, WIRE_IPPROTO_UDP, ttl, 0);
}

static char *
dump(const struct node *n, char *buf, size_t len)
{
	FILE *f = fmemopen(buf, len, "w");

	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	node_dump_routes(n, f);
	fclose(f);
	return buf;
}

static char *
explain(const struct node *n, uint32_t vrf, const char *prefix, uint8_t plen,
    char *buf, size_t len)
{
	FILE *f = fmemopen(buf, len, "w");

	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	CU_ASSERT_EQUAL(node_explain_route(n, vrf, ip(prefix), plen, f), 0);
	fclose(f);
	return buf;
}

/*
 * A packet that reaches a blackhole dies there, silently (no ICMP back),
 * as blackhole; a packet to a prefix next to it passes. Dump and explain
 * call the next hop "blackhole".
 */
static void
test_blackhole_drops_silently(void)
{
	struct tri t;
	struct ttl_log log = { 0 };
	char buf[2048];
	int user;

	tri_build(&t, 3, NULL, NULL);
	user = node_route_source(t.n[1], "user", false);
	CU_ASSERT_EQUAL(user, RIB_SRC_NAMED);
	route_to(t.n[1], 0, "10.9.0.0", 16, user, RIB_IF_DROP);
	CU_ASSERT_EQUAL(node_bind_udp(t.n[2], 0, 9, ttl_record, NULL, &log),
	    0);
	CU_ASSERT_EQUAL(send_udp(t.n[0], 0, ip("10.9.1.1"), 64), 0);
	CU_ASSERT_EQUAL(send_udp(t.n[0], 0, ip("10.0.1.2"), 64), 0);
	sim_run(t.sim);
	CU_ASSERT_EQUAL(node_drops(t.n[1])[DROP_BLACKHOLE], 1);
	CU_ASSERT_EQUAL(node_drops(t.n[1])[DROP_NO_ROUTE], 0);
	CU_ASSERT_EQUAL(log.n, 1);	/* the other one passed */
	/* nothing came back to n0: no ICMP about the blackholed packet */
	CU_ASSERT_EQUAL(link_get_stats(t.l[0], 1)->tx_pkts, 0);
	CU_ASSERT_STRING_EQUAL(trace_drop_name[DROP_BLACKHOLE], "blackhole");
	CU_ASSERT_PTR_NOT_NULL(strstr(dump(t.n[1], buf, sizeof(buf)),
	    "default  10.9.0.0/16 blackhole proto user\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(explain(t.n[1], 0, "10.9.0.0", 16, buf,
	    sizeof(buf)), "  * user pref 10 metric 0 blackhole\n"));
	/* its own packets too: refused at once, nothing on the wire */
	CU_ASSERT_EQUAL(send_udp(t.n[1], 0, ip("10.9.2.2"), 64), -1);
	CU_ASSERT_EQUAL(node_drops(t.n[1])[DROP_BLACKHOLE], 2);
	CU_ASSERT_EQUAL(node_source_for(t.n[1], 0, ip("10.9.2.2")), 0);
	CU_ASSERT_EQUAL(node_mtu_for(t.n[1], 0, ip("10.9.2.2")), 0);
	tri_free(&t);
}

/*
 * r1's left and right interfaces sit in different VRFs; each VRF sends
 * the other's subnet to the other's table. Packets cross in both
 * directions, with one TTL decrement at r1 (one node, one hop), and the
 * time is exactly two hops' serialisation and delay.
 */
static void
test_table_step_crosses_vrfs(void)
{
	struct tri t;
	struct ttl_log log = { 0 }, back = { 0 };
	char buf[2048];
	int sys;

	tri_build(&t, 3, "a", "b");
	sys = node_route_source(t.n[1], "system", false);
	route_to(t.n[1], t.vl, "10.0.1.0", 24, sys, RIB_IF_TABLE(t.vr));
	route_to(t.n[1], t.vr, "10.0.0.0", 24, sys, RIB_IF_TABLE(t.vl));
	CU_ASSERT_EQUAL(node_bind_udp(t.n[2], 0, 9, ttl_record, NULL, &log),
	    0);
	CU_ASSERT_EQUAL(node_bind_udp(t.n[0], 0, 9, ttl_record, NULL, &back),
	    0);
	CU_ASSERT_EQUAL(send_udp(t.n[0], 0, ip("10.0.1.2"), 64), 0);
	sim_run(t.sim);
	CU_ASSERT_EQUAL_FATAL(log.n, 1);
	CU_ASSERT_EQUAL(log.ttl[0], 63);
	/* 100 + 8 + 20 + 14 = 142 bytes at 100 Gbit/s: 11.36 ns -> 12, twice */
	CU_ASSERT_EQUAL(log.at[0], 2 * (SIM_US(10) + 12));
	CU_ASSERT_EQUAL(send_udp(t.n[2], 0, ip("10.0.0.1"), 64), 0);
	sim_run(t.sim);
	CU_ASSERT_EQUAL(back.n, 1);
	CU_ASSERT_EQUAL(back.ttl[0], 63);
	/* r1's own send in VRF a takes the step too: source and MTU follow */
	CU_ASSERT_EQUAL(node_source_for(t.n[1], t.vl, ip("10.0.1.2")),
	    ip("10.0.1.1"));
	CU_ASSERT_EQUAL(node_mtu_for(t.n[1], t.vl, ip("10.0.1.2")), 1500);
	CU_ASSERT_EQUAL(send_udp(t.n[1], t.vl, ip("10.0.1.2"), 64), 0);
	sim_run(t.sim);
	CU_ASSERT_EQUAL_FATAL(log.n, 2);
	CU_ASSERT_EQUAL(log.ttl[1], 64);
	CU_ASSERT_PTR_NOT_NULL(strstr(dump(t.n[1], buf, sizeof(buf)),
	    "a        10.0.1.0/24 table b proto system\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(explain(t.n[1], t.vr, "10.0.0.0", 24,
	    buf, sizeof(buf)), "  * system pref 10 metric 0 table a\n"));
	CU_ASSERT_EQUAL(node_drops(t.n[1])[DROP_NO_ROUTE], 0);
	tri_free(&t);
}

/*
 * At most one table step per packet: tables that send a prefix to each
 * other drop it as no_route (with ICMP unreachable, as any missing route),
 * and so does a table without a route for it. A blackhole reached through
 * a table is a blackhole.
 */
static void
test_second_table_step_is_no_route(void)
{
	struct tri t;
	int sys;

	tri_build(&t, 3, "a", "b");
	sys = node_route_source(t.n[1], "system", false);
	route_to(t.n[1], t.vl, "10.7.0.0", 16, sys, RIB_IF_TABLE(t.vr));
	route_to(t.n[1], t.vr, "10.7.0.0", 16, sys, RIB_IF_TABLE(t.vl));
	route_to(t.n[1], t.vl, "10.8.0.0", 16, sys, RIB_IF_TABLE(t.vr));
	route_to(t.n[1], t.vl, "10.6.0.0", 16, sys, RIB_IF_TABLE(t.vr));
	route_to(t.n[1], t.vr, "10.6.0.0", 16, sys, RIB_IF_DROP);
	CU_ASSERT_EQUAL(send_udp(t.n[0], 0, ip("10.7.0.1"), 64), 0);
	sim_run(t.sim);
	CU_ASSERT_EQUAL(node_drops(t.n[1])[DROP_NO_ROUTE], 1);
	/* the ICMP net unreachable went back to n0 */
	CU_ASSERT_EQUAL(link_get_stats(t.l[0], 1)->tx_pkts, 1);
	CU_ASSERT_EQUAL(send_udp(t.n[0], 0, ip("10.8.0.1"), 64), 0);
	sim_run(t.sim);
	CU_ASSERT_EQUAL(node_drops(t.n[1])[DROP_NO_ROUTE], 2);
	CU_ASSERT_EQUAL(link_get_stats(t.l[0], 1)->tx_pkts, 2);
	CU_ASSERT_EQUAL(send_udp(t.n[0], 0, ip("10.6.0.1"), 64), 0);
	sim_run(t.sim);
	CU_ASSERT_EQUAL(node_drops(t.n[1])[DROP_BLACKHOLE], 1);
	CU_ASSERT_EQUAL(link_get_stats(t.l[0], 1)->tx_pkts, 2);
	/* the node's own sends: dropped at once, the same reasons */
	CU_ASSERT_EQUAL(send_udp(t.n[1], t.vl, ip("10.7.0.1"), 64), -1);
	CU_ASSERT_EQUAL(send_udp(t.n[1], t.vl, ip("10.6.0.1"), 64), -1);
	CU_ASSERT_EQUAL(node_drops(t.n[1])[DROP_NO_ROUTE], 3);
	CU_ASSERT_EQUAL(node_drops(t.n[1])[DROP_BLACKHOLE], 2);
	CU_ASSERT_EQUAL(node_source_for(t.n[1], t.vl, ip("10.7.0.1")), 0);
	CU_ASSERT_EQUAL(node_mtu_for(t.n[1], t.vl, ip("10.7.0.1")), 0);
	tri_free(&t);
}

/*
 * A traceroute across a transparent node does not list it: it neither
 * decrements the TTL nor answers an expired one, so the first probe
 * expires at the router behind it. A datagram crosses it with its TTL
 * unchanged, and one that arrives with TTL 1 passes on.
 */
static void
test_transparent_node_is_no_hop(void)
{
	struct tri t;
	struct traceroute_cfg c = { .timeout = SIM_S(1), .max_hops = 10,
	    .probes = 1, .ident = 1 };
	struct ttl_log log = { 0 };
	struct app *a;
	uint32_t hops[16];
	size_t n;

	tri_build(&t, 4, NULL, NULL);
	node_set_transparent(t.n[1], true);
	c.dst = ip("10.0.2.2");
	a = traceroute_new(t.n[0], "tr", &c);
	app_start(a);
	sim_run(t.sim);
	CU_ASSERT_TRUE(traceroute_done(a));
	n = traceroute_path(a, hops, 16);
	CU_ASSERT_EQUAL_FATAL(n, 2);
	CU_ASSERT_EQUAL(hops[0], ip("10.0.1.2"));	/* n2, not n1 */
	CU_ASSERT_EQUAL(hops[1], ip("10.0.2.2"));
	CU_ASSERT_EQUAL(node_drops(t.n[1])[DROP_TTL], 0);
	app_free(a);
	CU_ASSERT_EQUAL(node_bind_udp(t.n[2], 0, 9, ttl_record, NULL, &log),
	    0);
	CU_ASSERT_EQUAL(send_udp(t.n[0], 0, ip("10.0.1.2"), 64), 0);
	CU_ASSERT_EQUAL(send_udp(t.n[0], 0, ip("10.0.1.2"), 1), 0);
	sim_run(t.sim);
	CU_ASSERT_EQUAL_FATAL(log.n, 2);
	CU_ASSERT_EQUAL(log.ttl[0], 64);
	CU_ASSERT_EQUAL(log.ttl[1], 1);
	/* the same node, not transparent: TTL 1 expires there */
	node_set_transparent(t.n[1], false);
	CU_ASSERT_EQUAL(send_udp(t.n[0], 0, ip("10.0.1.2"), 1), 0);
	CU_ASSERT_EQUAL(send_udp(t.n[0], 0, ip("10.0.1.2"), 64), 0);
	sim_run(t.sim);
	CU_ASSERT_EQUAL(node_drops(t.n[1])[DROP_TTL], 1);
	CU_ASSERT_EQUAL_FATAL(log.n, 3);
	CU_ASSERT_EQUAL(log.ttl[2], 63);
	tri_free(&t);
}

/* A transparent node still takes special next hops (the VNet's tables). */
static void
test_transparent_with_tables(void)
{
	struct tri t;
	struct ttl_log log = { 0 };
	int sys;

	tri_build(&t, 3, "a", "b");
	node_set_transparent(t.n[1], true);
	sys = node_route_source(t.n[1], "system", false);
	route_to(t.n[1], t.vl, "10.0.1.0", 24, sys, RIB_IF_TABLE(t.vr));
	route_to(t.n[1], t.vl, "10.9.0.0", 16, sys, RIB_IF_DROP);
	CU_ASSERT_EQUAL(node_bind_udp(t.n[2], 0, 9, ttl_record, NULL, &log),
	    0);
	CU_ASSERT_EQUAL(send_udp(t.n[0], 0, ip("10.0.1.2"), 64), 0);
	CU_ASSERT_EQUAL(send_udp(t.n[0], 0, ip("10.9.0.1"), 64), 0);
	sim_run(t.sim);
	CU_ASSERT_EQUAL_FATAL(log.n, 1);
	CU_ASSERT_EQUAL(log.ttl[0], 64);
	CU_ASSERT_EQUAL(node_drops(t.n[1])[DROP_BLACKHOLE], 1);
	tri_free(&t);
}

/*
 * A link with carrier: while it is down its ends' connected routes are
 * gone, so a packet for the far subnet takes the next best route (a
 * static one over a second link) at once, and with none it is no_route.
 * Up again, the connected route is back and wins. Without carrier the
 * route stays and the packet dies on the link (link_down).
 */
static void
test_carrier_withdraws_connected(void)
{
	struct link_params p = params(SIM_S(1) * 100, SIM_US(10));
	struct ttl_log log = { 0 };
	struct rib_route best;
	struct tri t;
	struct link *l2;
	char err[128];
	uint32_t a, b;

	tri_build_c(&t, 3, NULL, NULL, true);
	CU_ASSERT_EQUAL(node_bind_udp(t.n[2], 0, 9, ttl_record, NULL, &log),
	    0);
	link_set_up(t.l[1], false);
	CU_ASSERT_FALSE(rib_best(node_rib(t.n[1], 0), ip("10.0.1.0"), 24,
	    &best));
	CU_ASSERT_FALSE(rib_best(node_rib(t.n[2], 0), ip("10.0.1.0"), 24,
	    &best));
	CU_ASSERT_TRUE(rib_best(node_rib(t.n[1], 0), ip("10.0.0.0"), 24,
	    &best));
	CU_ASSERT_EQUAL(send_udp(t.n[0], 0, ip("10.0.1.2"), 64), 0);
	sim_run(t.sim);
	CU_ASSERT_EQUAL(node_drops(t.n[1])[DROP_NO_ROUTE], 1);
	CU_ASSERT_EQUAL(link_get_stats(t.l[1], 0)->drops[DROP_LINK_DOWN], 0);
	link_set_up(t.l[1], true);
	CU_ASSERT_TRUE(rib_best(node_rib(t.n[1], 0), ip("10.0.1.0"), 24,
	    &best));
	CU_ASSERT_EQUAL(best.source, RIB_SRC_CONNECTED);
	CU_ASSERT_EQUAL(send_udp(t.n[0], 0, ip("10.0.1.2"), 64), 0);
	sim_run(t.sim);
	CU_ASSERT_EQUAL(log.n, 1);
	/* a second link and a static route for the same subnet over it */
	a = node_add_iface(t.n[1], "alt", NULL, ip("10.0.3.1"), 24, 0);
	b = node_add_iface(t.n[2], "alt", NULL, ip("10.0.3.2"), 24, 0);
	l2 = net_add_link(t.net, "l2", t.n[1], a, t.n[2], b, &p);
	CU_ASSERT_EQUAL(node_add_route(t.n[1], 0, ip("10.0.1.0"), 24,
	    ip("10.0.3.2"), IFACE_NONE, err, sizeof(err)), 0);
	link_set_up(t.l[1], false);
	CU_ASSERT_EQUAL(send_udp(t.n[0], 0, ip("10.0.1.2"), 64), 0);
	sim_run(t.sim);
	CU_ASSERT_EQUAL(log.n, 2);
	CU_ASSERT_EQUAL(link_get_stats(l2, 0)->tx_pkts, 1);
	link_set_up(t.l[1], true);
	CU_ASSERT_EQUAL(send_udp(t.n[0], 0, ip("10.0.1.2"), 64), 0);
	sim_run(t.sim);
	CU_ASSERT_EQUAL(log.n, 3);
	CU_ASSERT_EQUAL(link_get_stats(l2, 0)->tx_pkts, 1);
	tri_free(&t);

	/* without carrier: the route stays, the packet dies on the link */
	tri_build(&t, 3, NULL, NULL);
	link_set_up(t.l[1], false);
	CU_ASSERT_TRUE(rib_best(node_rib(t.n[1], 0), ip("10.0.1.0"), 24,
	    &best));
	CU_ASSERT_EQUAL(send_udp(t.n[0], 0, ip("10.0.1.2"), 64), 0);
	sim_run(t.sim);
	CU_ASSERT_EQUAL(node_drops(t.n[1])[DROP_NO_ROUTE], 0);
	CU_ASSERT_EQUAL(link_get_stats(t.l[1], 0)->drops[DROP_LINK_DOWN], 1);
	tri_free(&t);
}

static const struct rib_source bgp_like = { .name = "bgp" };

/*
 * Named sources: ids from RIB_SRC_NAMED in order of first use, the same
 * on every VRF, on VRFs created later too; a name twice is one id; -1
 * when the ids run out. node_find_route_source finds them, the built-ins
 * and a model's fixed id set with rib_set_source.
 */
static void
test_named_route_sources(void)
{
	struct sim *sim = sim_new(1);
	struct net *net = net_new(sim);
	struct node *n = net_add_node(net, "r", "router", NULL, NULL);
	uint32_t v1 = node_vrf(n, "one"), v2;
	struct rib_nh nh[2] = { { 0, 0 }, { 0, 1 } };
	struct rib_route rt;
	char name[16], buf[32];
	const struct rib_nhg *g;
	int user, sys, ecmp, i;

	node_add_iface(n, "e0", NULL, ip("10.0.0.1"), 24, 0);
	node_add_iface(n, "e1", NULL, ip("10.0.1.1"), 24, 0);
	CU_ASSERT_EQUAL(node_find_route_source(n, "user"), -1);
	user = node_route_source(n, "user", false);
	sys = node_route_source(n, "system", false);
	CU_ASSERT_EQUAL(user, RIB_SRC_MODEL + 8);
	CU_ASSERT_EQUAL(sys, RIB_SRC_MODEL + 9);
	CU_ASSERT_EQUAL(node_route_source(n, "user", true), user);
	v2 = node_vrf(n, "two");	/* after the names */
	CU_ASSERT_STRING_EQUAL(rib_source_name(node_rib(n, 0), (uint8_t)user,
	    buf, sizeof(buf)), "user");
	CU_ASSERT_STRING_EQUAL(rib_source_name(node_rib(n, v1), (uint8_t)sys,
	    buf, sizeof(buf)), "system");
	CU_ASSERT_STRING_EQUAL(rib_source_name(node_rib(n, v2), (uint8_t)user,
	    buf, sizeof(buf)), "user");
	CU_ASSERT_EQUAL(node_find_route_source(n, "user"), user);
	CU_ASSERT_EQUAL(node_find_route_source(n, "system"), sys);
	CU_ASSERT_EQUAL(node_find_route_source(n, "connected"),
	    RIB_SRC_CONNECTED);
	CU_ASSERT_EQUAL(node_find_route_source(n, "static"), RIB_SRC_STATIC);
	CU_ASSERT_EQUAL(node_find_route_source(n, "bgp"), -1);
	rib_set_source(node_rib(n, v1), RIB_SRC_MODEL, &bgp_like);
	CU_ASSERT_EQUAL(node_find_route_source(n, "bgp"), RIB_SRC_MODEL);
	/* a multipath source: two equal routes make one two-member group */
	ecmp = node_route_source(n, "ecmp", true);
	for (i = 0; i < 2; i++) {
		memset(&rt, 0, sizeof(rt));
		rt.source = (uint8_t)ecmp;
		rt.instance = (uint32_t)i;
		rt.pref = 20;
		rt.nhg = rib_nhg_get(node_rib(n, v2), &nh[i], 1);
		CU_ASSERT_EQUAL(rib_add(node_rib(n, v2), ip("10.5.0.0"), 16,
		    &rt), 0);
		rib_nhg_put(node_rib(n, v2), rt.nhg);
	}
	g = rib_lookup(node_rib(n, v2), ip("10.5.1.1"));
	CU_ASSERT_PTR_NOT_NULL_FATAL(g);
	CU_ASSERT_EQUAL(g->n, 2);
	/* and a lower preference of another named source still wins */
	memset(&rt, 0, sizeof(rt));
	rt.source = (uint8_t)user;
	rt.pref = 10;
	rt.nhg = rib_nhg_get(node_rib(n, v2), &nh[0], 1);
	CU_ASSERT_EQUAL(rib_add(node_rib(n, v2), ip("10.5.0.0"), 16, &rt), 0);
	rib_nhg_put(node_rib(n, v2), rt.nhg);
	g = rib_lookup(node_rib(n, v2), ip("10.5.1.1"));
	CU_ASSERT_EQUAL(g->n, 1);
	/* 22 ids in all (RIB_SRC_NAMED .. RIB_SRC_MAX - 1): 19 more fit */
	for (i = 0; i < RIB_SRC_MAX - RIB_SRC_NAMED - 3; i++) {
		snprintf(name, sizeof(name), "s%d", i);
		CU_ASSERT_EQUAL(node_route_source(n, name, false),
		    RIB_SRC_NAMED + 3 + i);
	}
	CU_ASSERT_EQUAL(node_route_source(n, "one-too-many", false), -1);
	CU_ASSERT_EQUAL(node_route_source(n, "s0", false), RIB_SRC_NAMED + 3);
	CU_ASSERT_EQUAL(node_find_route_source(n, "s18"), RIB_SRC_MAX - 1);
	net_free(net);
	sim_free(sim);
}

/*
 * node_route_hop hashes a flow as forwarding does: ports for TCP and UDP
 * only, so an ICMP echo's "source port" (its identifier, which the path
 * query passes) picks the same ECMP member whatever it is.
 */
static void
test_route_hop_hash(void)
{
	struct sim *sim = sim_new(1);
	struct net *net = net_new(sim);
	struct node *r = net_add_node(net, "r", "router", NULL, NULL);
	struct rib_nh nh[8];
	struct rib_route rt;
	struct node_hop h0, h;
	char err[128];
	uint32_t i, id, src;

	memset(&rt, 0, sizeof(rt));
	for (i = 0; i < 8; i++) {
		char name[8];

		snprintf(name, sizeof(name), "e%u", i);
		node_add_iface(r, name, NULL, ip("10.1.0.1") + (i << 8), 24, 0);
		nh[i].via = ip("10.1.0.2") + (i << 8);
		nh[i].ifindex = i;
	}
	id = rib_nhg_get(node_rib(r, 0), nh, 8);
	rt.source = RIB_SRC_STATIC;
	rt.pref = 1;
	rt.nhg = id;
	CU_ASSERT_EQUAL(rib_add(node_rib(r, 0), ip("10.9.0.0"), 16, &rt), 0);
	rib_nhg_put(node_rib(r, 0), id);
	for (src = ip("10.0.0.1"); src < ip("10.0.0.33"); src++) {
		CU_ASSERT_EQUAL_FATAL(node_route_hop(r, 0, src, ip("10.9.1.1"),
		    WIRE_IPPROTO_ICMP, 0, 0, &h0, err, sizeof(err)), 0);
		CU_ASSERT_EQUAL(node_route_hop(r, 0, src, ip("10.9.1.1"),
		    WIRE_IPPROTO_ICMP, 49152, 7, &h, err, sizeof(err)), 0);
		CU_ASSERT_EQUAL(h.ifindex, h0.ifindex);
		/* what forwarding picks for the echo: ports 0 */
		CU_ASSERT_EQUAL(h0.ifindex, rib_nh_pick(rib_lookup(node_rib(r, 0),
		    ip("10.9.1.1")), rib_flow_hash(node_id(r), src,
		    ip("10.9.1.1"), WIRE_IPPROTO_ICMP, 0, 0))->ifindex);
	}
	net_free(net);
	sim_free(sim);
}

static const struct test_case cases[] = {
	{ "route_hop hashes an ICMP flow as forwarding", test_route_hop_hash },
	{ "a blackhole drops silently (blackhole)", test_blackhole_drops_silently },
	{ "a table step crosses VRFs with one TTL decrement", test_table_step_crosses_vrfs },
	{ "a second table step, or none found, is no_route", test_second_table_step_is_no_route },
	{ "traceroute does not list a transparent node", test_transparent_node_is_no_hop },
	{ "a transparent node takes tables and blackholes", test_transparent_with_tables },
	{ "named route sources: one id on every VRF", test_named_route_sources },
	{ "carrier: connected routes go and come with the link", test_carrier_withdraws_connected },
	{ NULL, NULL }
};

int
main(int argc, char **argv)
{
	return test_main(argc, argv, "sim_routes", cases);
}
