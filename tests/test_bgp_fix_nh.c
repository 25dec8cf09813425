/*
 * test_bgp_fix_nh.c - BGP next hops resolved again when the node's own
 * routes change at run time: a link going down takes the routes via its
 * next hop at the instant its connected route goes (long before the hold
 * timer) and traffic takes the other link; an iBGP next hop reached by a
 * static route goes and comes back with the static route, and follows it
 * to another gateway.
 */
#include <stdio.h>
#include <stdlib.h>

#include "bgp_speaker_testutil.h"

#define D SIM_MS(1)
#define T_DOWN SIM_S(100)
#define PROTO_TEST 253

/* Frames of PROTO_TEST arriving on one interface. */
struct count {
	int n;
};

static enum node_verdict
count_filter(struct node *n, uint32_t ifindex, enum node_hook_dir dir,
    const struct pkt *frame, const struct wire_frame *f, const char **reason,
    void *ctx)
{
	(void)n;
	(void)ifindex;
	(void)dir;
	(void)frame;
	(void)reason;
	if (f->has_ipv4 && f->ip.proto == PROTO_TEST)
		((struct count *)ctx)->n++;
	return NODE_ACCEPT;
}

/*
 * The primary link goes down: the link's state, and with it both ends'
 * connected routes (sim/ does not withdraw them itself yet).
 */
static void
link0_down(struct sim *sim, void *arg)
{
	struct bs_net *b = arg;
	int i;

	(void)sim;
	link_set_up(b->l[0], false);
	for (i = 0; i < 2; i++)
		CU_ASSERT_EQUAL(rib_del(node_rib(b->n[i], 0),
		    bs_ip("10.0.0.0"), 30, RIB_SRC_CONNECTED, 0), 0);
}

static void
send_probe(struct sim *sim, void *arg)
{
	struct bs_net *b = arg;
	struct pkt *p = pkt_alloc(sim, 8);

	memset(p->data, 0, 8);
	CU_ASSERT_EQUAL(node_send_ip(b->n[0], 0, p, 0, bs_ip("172.16.1.1"),
	    PROTO_TEST, 64, 0), 0);
}

static void
test_link_down(void)
{
	struct bs_net b;
	struct bs_watch w;
	struct count c0 = { 0 }, c1 = { 0 };
	struct bgp_peer_stats st;

	bs_init(&b, 2);
	bs_link(&b, 0, 1, "10.0.0.0", D);
	bs_link(&b, 0, 1, "10.0.1.0", D);
	bs_speaker(&b, 0, 12076, "1.1.1.1", 0);
	bs_speaker(&b, 1, 31898, "2.2.2.2", 0);
	bs_neighbor(&b, 0, "10.0.0.2", 31898, &bgp_fsm_msee_cfg, false);
	bs_neighbor(&b, 0, "10.0.1.2", 31898, &bgp_fsm_msee_cfg, false);
	bs_neighbor(&b, 1, "10.0.0.1", 12076, &bgp_fsm_oci_cfg, true);
	bs_neighbor(&b, 1, "10.0.1.1", 12076, &bgp_fsm_oci_cfg, true);
	bgp_speaker_add_network(b.sp[1], bs_ip("172.16.0.0"), 16);
	bs_watch(&b, 0, &w, "172.16.0.0", 16);
	node_iface_add_filter(b.n[1], 0, NODE_INGRESS, count_filter, &c0);
	node_iface_add_filter(b.n[1], 1, NODE_INGRESS, count_filter, &c1);
	bs_start(&b);
	sim_schedule_at(b.sim, T_DOWN, link0_down, &b);
	sim_schedule_at(b.sim, T_DOWN + SIM_MS(1), send_probe, &b);
	sim_run_until(b.sim, T_DOWN - 1);
	CU_ASSERT_EQUAL(bs_via(&b, 0, "172.16.1.1"), bs_ip("10.0.0.2"));
	sim_run_until(b.sim, T_DOWN + SIM_S(1));
	/* moved at the very instant the connected route went */
	CU_ASSERT_EQUAL_FATAL(w.n, 2);
	CU_ASSERT_EQUAL(w.t[1], T_DOWN);
	CU_ASSERT_EQUAL(w.kind[1], RIB_CHANGED);
	CU_ASSERT_EQUAL(w.via[1], bs_ip("10.0.1.2"));
	CU_ASSERT_EQUAL(bs_via(&b, 0, "172.16.1.1"), bs_ip("10.0.1.2"));
	/* the probe went over the secondary */
	CU_ASSERT_EQUAL(c0.n, 0);
	CU_ASSERT_EQUAL(c1.n, 1);
	/* the session itself is still up: no hold timer, no BFD */
	CU_ASSERT_EQUAL(bgp_speaker_peer_state(b.sp[0], bs_ip("10.0.0.2")),
	    BGP_ST_ESTABLISHED);
	bgp_speaker_peer_stats(b.sp[0], bs_ip("10.0.0.2"), &st);
	CU_ASSERT_EQUAL(st.flaps, 0);
	bs_unwatch(&b, 0, &w);
	bs_free(&b);
}

static void
static_del(struct sim *sim, void *arg)
{
	struct bs_net *b = arg;

	(void)sim;
	CU_ASSERT_EQUAL(rib_del(node_rib(b->n[0], 0), bs_ip("192.168.5.0"),
	    24, RIB_SRC_STATIC, 0), 0);
}

static void
static_add(struct sim *sim, void *arg)
{
	struct bs_net *b = arg;
	char err[128];

	(void)sim;
	CU_ASSERT_EQUAL(node_add_route(b->n[0], 0, bs_ip("192.168.5.0"), 24,
	    bs_ip("10.0.0.2"), IFACE_NONE, err, sizeof(err)), 0);
}

/* The static route again, via r2: the same cost, another gateway. */
static void
static_move(struct sim *sim, void *arg)
{
	struct bs_net *b = arg;
	char err[128];

	(void)sim;
	CU_ASSERT_EQUAL(node_add_route(b->n[0], 0, bs_ip("192.168.5.0"), 24,
	    bs_ip("10.0.2.2"), IFACE_NONE, err, sizeof(err)), 0);
}

/*
 * iBGP r0 - r1 (AS 65000); r0's import policy sets the next hop
 * 192.168.5.5, reached by a static route via r1. The static route goes
 * at 100 s (the route with it, at once) and comes back at 110 s; r0
 * re-advertises to its eBGP peer r2 at those instants (no MRAI). At
 * 120 s the static route moves to r2's side: no decision changes (same
 * next hop, same cost) but the installed route follows its gateway.
 */
static void
test_static_nh(void)
{
	struct bgp_polset *ps = bgp_polset_new();
	struct bgp_policy *imp = bgp_policy_new(ps, "nh");
	struct bgp_neighbor_cfg nc;
	struct bgp_pol_err e;
	struct bs_net b;
	struct bs_watch w, w2;
	char err[128];

	bgp_policy_rule(imp, NULL);
	CU_ASSERT_EQUAL_FATAL(bgp_policy_action(imp, "next-hop 192.168.5.5",
	    &e), 0);
	CU_ASSERT_EQUAL_FATAL(bgp_policy_action(imp, "accept", &e), 0);
	bs_init(&b, 3);
	bs_link(&b, 0, 1, "10.0.0.0", D);
	bs_link(&b, 0, 2, "10.0.2.0", D);
	bs_speaker(&b, 0, 65000, "1.1.1.1", 0);
	bs_speaker(&b, 1, 65000, "2.2.2.2", 0);
	bs_speaker(&b, 2, 65002, "3.3.3.3", 0);
	bgp_neighbor_cfg_init(&nc, bs_ip("10.0.0.2"), 65000);
	nc.import = imp;
	CU_ASSERT_EQUAL_FATAL(bgp_speaker_add_neighbor(b.sp[0], &nc, err,
	    sizeof(err)), 0);
	bs_neighbor(&b, 0, "10.0.2.2", 65002, NULL, false);
	bs_neighbor(&b, 1, "10.0.0.1", 65000, NULL, true);
	bs_neighbor(&b, 2, "10.0.2.1", 65000, NULL, true);
	bgp_speaker_add_network(b.sp[1], bs_ip("172.16.0.0"), 16);
	static_add(b.sim, &b);
	bs_watch(&b, 0, &w, "172.16.0.0", 16);
	bs_watch(&b, 2, &w2, "172.16.0.0", 16);
	bs_start(&b);
	sim_schedule_at(b.sim, T_DOWN, static_del, &b);
	sim_schedule_at(b.sim, T_DOWN + SIM_S(10), static_add, &b);
	sim_schedule_at(b.sim, T_DOWN + SIM_S(20), static_move, &b);
	sim_run_until(b.sim, T_DOWN - 1);
	CU_ASSERT_EQUAL(bs_via(&b, 0, "172.16.1.1"), bs_ip("10.0.0.2"));
	CU_ASSERT_EQUAL(bs_via(&b, 2, "172.16.1.1"), bs_ip("10.0.2.1"));
	sim_run_until(b.sim, T_DOWN + SIM_S(15));
	CU_ASSERT_EQUAL_FATAL(w.n, 3);
	CU_ASSERT_EQUAL(w.via[0], bs_ip("10.0.0.2"));
	CU_ASSERT_EQUAL(w.kind[1], RIB_WITHDRAWN);
	CU_ASSERT_EQUAL(w.t[1], T_DOWN);
	CU_ASSERT_EQUAL(w.kind[2], RIB_ADDED);
	CU_ASSERT_EQUAL(w.t[2], T_DOWN + SIM_S(10));
	CU_ASSERT_EQUAL(w.via[2], bs_ip("10.0.0.2"));
	/*
	 * r2 hears the withdrawal and the new announcement one link delay
	 * later, plus the frames' serialisation at 1 Gbps (736 ns and
	 * 896 ns).
	 */
	CU_ASSERT_EQUAL_FATAL(w2.n, 3);
	CU_ASSERT_EQUAL(w2.kind[1], RIB_WITHDRAWN);
	CU_ASSERT_EQUAL(w2.t[1], T_DOWN + D + 736);
	CU_ASSERT_EQUAL(w2.kind[2], RIB_ADDED);
	CU_ASSERT_EQUAL(w2.t[2], T_DOWN + SIM_S(10) + D + 896);
	sim_run_until(b.sim, T_DOWN + SIM_S(30));
	CU_ASSERT_EQUAL_FATAL(w.n, 4);
	CU_ASSERT_EQUAL(w.kind[3], RIB_CHANGED);
	CU_ASSERT_EQUAL(w.t[3], T_DOWN + SIM_S(20));
	CU_ASSERT_EQUAL(w.via[3], bs_ip("10.0.2.2"));
	CU_ASSERT_EQUAL(bs_via(&b, 0, "172.16.1.1"), bs_ip("10.0.2.2"));
	bs_unwatch(&b, 0, &w);
	bs_unwatch(&b, 2, &w2);
	bs_free(&b);
	bgp_polset_free(ps);
}

static const struct test_case cases[] = {
	{ "link down: routes via its next hop go with the connected route",
	    test_link_down },
	{ "iBGP next hop via a static route removed and added at run time",
	    test_static_nh },
	{ NULL, NULL },
};

int
main(int argc, char **argv)
{
	return test_main(argc, argv, "bgp_fix_nh", cases);
}
