/*
 * test_bgp_origin.c - routes a speaker originates: aggregates (RFC 4271
 * 9.2.2.2: AS_SET, ORIGIN, ATOMIC_AGGREGATE, AGGREGATOR; summary-only;
 * up with the first more specific, down with the last) and redistributed
 * connected and static routes followed as they come and go, with a policy;
 * over simulated TCP with exact times.
 */
#include <stdlib.h>

#include "bgp_speaker_testutil.h"
#include "bgp_policy_testutil.h"
#include "bgp_speaker_int.h"	/* bgp_origin_moved */

#define D SIM_MS(1)
#define TX(n) ((sim_time)(n) * 8)

static bool
best(struct bs_net *b, int i, const char *prefix, uint8_t len,
    struct bgp_route *r)
{
	return bgp_rib_best(bgp_speaker_rib(b->sp[i]), bs_ip(prefix), len, r);
}

/* r2 (AS 65003) - r0 (AS 65001) - r1 (AS 65002), MRAI 0, r0 connects */
static void
line(struct bs_net *b)
{
	bs_init(b, 3);
	bs_link(b, 0, 1, "10.0.0.0", D);
	bs_link(b, 0, 2, "10.0.1.0", D);
	bs_speaker(b, 0, 65001, "1.1.1.1", 0);
	bs_speaker(b, 1, 65002, "2.2.2.2", 0);
	bs_speaker(b, 2, 65003, "3.3.3.3", 0);
	bs_neighbor(b, 0, "10.0.0.2", 65002, NULL, false);
	bs_neighbor(b, 0, "10.0.1.2", 65003, NULL, false);
	bs_neighbor(b, 1, "10.0.0.1", 65001, NULL, true);
	bs_neighbor(b, 2, "10.0.1.1", 65001, NULL, true);
}

/*
 * r2 originates two /24s of 10.1.0.0/16, r0 aggregates the /16 (neither
 * summary-only nor AS_SET): r1 gets the aggregate and the /24s; when r0
 * stops its session to r2 the aggregate goes with the last /24, in the
 * same UPDATE.
 */
static void
test_aggregate(void)
{
	struct bs_net b;
	struct bs_watch w;
	struct bgp_route r;
	char buf[64];

	line(&b);
	bgp_speaker_add_network(b.sp[2], bs_ip("10.1.1.0"), 24);
	bgp_speaker_add_network(b.sp[2], bs_ip("10.1.2.0"), 24);
	CU_ASSERT_EQUAL(bgp_speaker_add_aggregate(b.sp[0], bs_ip("10.1.0.0"),
	    16, false, false), 0);
	/* nothing more specific yet: no aggregate */
	CU_ASSERT_FALSE(best(&b, 0, "10.1.0.0", 16, &r));
	bs_watch(&b, 1, &w, "10.1.0.0", 16);
	bs_start(&b);
	sim_run_until(b.sim, SIM_S(10));
	CU_ASSERT_FATAL(best(&b, 0, "10.1.0.0", 16, &r));
	CU_ASSERT_EQUAL(r.peer, BGP_PEER_LOCAL);
	CU_ASSERT_FATAL(best(&b, 1, "10.1.0.0", 16, &r));
	CU_ASSERT(r.a->has & BGP_HAS(BGP_ATTR_ATOMIC_AGGR));
	CU_ASSERT(r.a->has & BGP_HAS(BGP_ATTR_AGGREGATOR));
	CU_ASSERT_EQUAL(r.a->aggr_as, 65001);
	CU_ASSERT_EQUAL(r.a->aggr_id, bs_ip("1.1.1.1"));
	CU_ASSERT_EQUAL(r.a->origin, BGP_ORIGIN_IGP);
	CU_ASSERT_STRING_EQUAL(bs_path(&b, 1, "10.1.0.0", 16, buf,
	    sizeof(buf)), "65001");
	CU_ASSERT_STRING_EQUAL(bs_path(&b, 1, "10.1.1.0", 24, buf,
	    sizeof(buf)), "65001 65003");
	CU_ASSERT_EQUAL(bgp_speaker_peer_out(b.sp[0], bs_ip("10.0.0.2")), 3);
	/* not in r0's FIB: sim/ has no discard route to install */
	CU_ASSERT_EQUAL(bs_via(&b, 0, "10.1.9.9"), 0);
	CU_ASSERT_EQUAL_FATAL(w.n, 1);
	/* the last more specific goes: so does the aggregate */
	CU_ASSERT_EQUAL(bgp_speaker_peer_stop(b.sp[0], bs_ip("10.0.1.2")), 0);
	CU_ASSERT_FALSE(best(&b, 0, "10.1.0.0", 16, &r));
	sim_run_until(b.sim, SIM_S(11));
	CU_ASSERT_EQUAL_FATAL(w.n, 2);
	CU_ASSERT_EQUAL(w.kind[1], RIB_WITHDRAWN);
	/* one withdrawal of /16 and two /24s: 19 + 2 + 3 + 4 + 4 + 2 = 34 */
	CU_ASSERT_EQUAL(w.t[1], SIM_S(10) + D + TX(66 + 34));
	CU_ASSERT_EQUAL(bgp_speaker_peer_out(b.sp[0], bs_ip("10.0.0.2")), 0);
	bs_unwatch(&b, 1, &w);
	CU_ASSERT_EQUAL(bgp_speaker_add_aggregate(b.sp[0], bs_ip("10.1.0.0"),
	    16, true, false), -1);	/* a duplicate */
	CU_ASSERT_EQUAL(bgp_speaker_add_aggregate(b.sp[0], bs_ip("10.1.0.1"),
	    16, true, false), -1);	/* host bits */
	CU_ASSERT_EQUAL(bgp_speaker_add_aggregate(b.sp[0], bs_ip("10.1.0.1"),
	    32, true, false), -1);	/* nothing more specific than a /32 */
	bs_free(&b);
}

/*
 * Summary-only with AS_SET, added at 10 s when the /24s are out: r1 gets
 * the /24s withdrawn and the /16 announced in the same instant; the
 * aggregate's path is "{65003}" (r2's AS and r0's own /24's empty path
 * share no leading AS), so r2 drops it as a loop. No ATOMIC_AGGREGATE.
 */
static void
test_summary_as_set(void)
{
	struct bs_net b;
	struct bs_watch w, w24;
	struct bgp_route r;
	struct bgp_peer_stats st;
	char buf[64];

	line(&b);
	bgp_speaker_add_network(b.sp[2], bs_ip("10.1.1.0"), 24);
	bgp_speaker_add_network(b.sp[0], bs_ip("10.1.2.0"), 24);
	bs_watch(&b, 1, &w, "10.1.0.0", 16);
	bs_watch(&b, 1, &w24, "10.1.1.0", 24);
	bs_start(&b);
	sim_run_until(b.sim, SIM_S(10));
	CU_ASSERT_EQUAL(bgp_speaker_peer_out(b.sp[0], bs_ip("10.0.0.2")), 2);
	CU_ASSERT_EQUAL(w24.n, 1);
	CU_ASSERT_EQUAL(bgp_speaker_add_aggregate(b.sp[0], bs_ip("10.1.0.0"),
	    16, true, true), 0);
	sim_run_until(b.sim, SIM_S(11));
	CU_ASSERT_FATAL(best(&b, 0, "10.1.0.0", 16, &r));
	CU_ASSERT_STRING_EQUAL(bs_path(&b, 0, "10.1.0.0", 16, buf,
	    sizeof(buf)), "{65003}");
	CU_ASSERT_FATAL(best(&b, 1, "10.1.0.0", 16, &r));
	CU_ASSERT_STRING_EQUAL(bs_path(&b, 1, "10.1.0.0", 16, buf,
	    sizeof(buf)), "65001 {65003}");
	CU_ASSERT_FALSE(r.a->has & BGP_HAS(BGP_ATTR_ATOMIC_AGGR));
	CU_ASSERT_EQUAL(r.a->aggr_as, 65001);
	/* the more specifics left r1's tables, not r0's */
	CU_ASSERT_FALSE(best(&b, 1, "10.1.1.0", 24, &r));
	CU_ASSERT_FALSE(best(&b, 1, "10.1.2.0", 24, &r));
	CU_ASSERT(best(&b, 0, "10.1.1.0", 24, &r));
	CU_ASSERT_EQUAL(bs_via(&b, 0, "10.1.1.1"), bs_ip("10.0.1.2"));
	CU_ASSERT_EQUAL(bgp_speaker_peer_out(b.sp[0], bs_ip("10.0.0.2")), 1);
	/*
	 * withdrawals first (19 + 2 + 4 + 4 + 2 = 31 bytes), then the
	 * aggregate behind them: ORIGIN 4, AS_PATH 3 + 6 + 6 (65001 {65003}),
	 * NEXT_HOP 7, AGGREGATOR 11: 23 + 37 + 3 = 63 bytes
	 */
	CU_ASSERT_EQUAL_FATAL(w24.n, 2);
	CU_ASSERT_EQUAL(w24.t[1], SIM_S(10) + D + TX(66 + 31));
	CU_ASSERT_EQUAL_FATAL(w.n, 1);
	CU_ASSERT_EQUAL(w.t[0], SIM_S(10) + D + TX(66 + 31) + TX(66 + 63));
	/* r2 refuses a path with its own AS in the set */
	CU_ASSERT_FALSE(best(&b, 2, "10.1.0.0", 16, &r));
	bgp_speaker_peer_stats(b.sp[2], bs_ip("10.0.1.1"), &st);
	CU_ASSERT_EQUAL(st.rejected_loop, 1);
	bs_unwatch(&b, 1, &w);
	bs_unwatch(&b, 1, &w24);
	bs_free(&b);
}

/* An eBGP route of peer id for prefix with path and origin. */
static void
feed(struct bgp_rib *br, uint16_t peer, const char *prefix, uint8_t len,
    const char *path, uint8_t origin, bool atomic)
{
	struct bgp_attrs fixed;
	struct bgp_attrs_var v;
	uint32_t w[32];
	const struct bgp_attrs *ia;

	memset(&fixed, 0, sizeof(fixed));
	memset(&v, 0, sizeof(v));
	fixed.has = BGP_HAS(BGP_ATTR_ORIGIN) | BGP_HAS(BGP_ATTR_AS_PATH) |
	    BGP_HAS(BGP_ATTR_NEXT_HOP);
	if (atomic)
		fixed.has |= BGP_HAS(BGP_ATTR_ATOMIC_AGGR);
	fixed.origin = origin;
	fixed.next_hop = bs_ip("10.0.0.2");
	v.path = w;
	v.path_len = path_of(path, w);
	ia = bgp_intern_take(bgp_rib_intern(br), bgp_attrs_new(&fixed, &v));
	CU_ASSERT(bgp_rib_update(br, peer, bs_ip(prefix), len, ia) >= 0);
	bgp_intern_put(bgp_rib_intern(br), ia);
}

/*
 * RFC 4271 9.2.2.2 on the Loc-RIB alone (no session): AS_PATH, ORIGIN,
 * ATOMIC_AGGREGATE, and an aggregate contributing to a wider one.
 */
static void
test_rules(void)
{
	struct bs_net b;
	struct bgp_peer_info pi;
	struct bgp_rib *br;
	struct bgp_route r;
	uint16_t peer;
	char buf[96];

	bs_init(&b, 1);
	bs_speaker(&b, 0, 65001, "1.1.1.1", 0);
	br = bgp_speaker_rib(b.sp[0]);
	memset(&pi, 0, sizeof(pi));
	pi.addr = bs_ip("10.0.0.2");
	pi.asn = 65003;
	pi.bgp_id = bs_ip("3.3.3.3");
	peer = bgp_rib_peer_add(br, &pi);
	feed(br, peer, "10.1.1.0", 24, "65003 65004", BGP_ORIGIN_IGP, false);
	feed(br, peer, "10.1.2.0", 24, "65003 65005 {65006}", BGP_ORIGIN_EGP,
	    false);
	/* common leading 65003, the rest a sorted set; EGP over IGP */
	CU_ASSERT_EQUAL(bgp_speaker_add_aggregate(b.sp[0], bs_ip("10.1.0.0"),
	    16, false, true), 0);
	CU_ASSERT_FATAL(best(&b, 0, "10.1.0.0", 16, &r));
	CU_ASSERT_STRING_EQUAL(bs_path(&b, 0, "10.1.0.0", 16, buf,
	    sizeof(buf)), "65003 {65004 65005 65006}");
	CU_ASSERT_EQUAL(r.a->origin, BGP_ORIGIN_EGP);
	CU_ASSERT_FALSE(r.a->has & BGP_HAS(BGP_ATTR_ATOMIC_AGGR));
	/* one contributor: its path as it is */
	CU_ASSERT_EQUAL(bgp_speaker_add_aggregate(b.sp[0], bs_ip("10.1.0.0"),
	    23, false, true), 0);
	CU_ASSERT_STRING_EQUAL(bs_path(&b, 0, "10.1.0.0", 23, buf,
	    sizeof(buf)), "65003 65004");
	CU_ASSERT_FATAL(best(&b, 0, "10.1.0.0", 23, &r));
	CU_ASSERT_EQUAL(r.a->origin, BGP_ORIGIN_IGP);
	/*
	 * The /23 (AS_SET, no ATOMIC_AGGREGATE) is itself a more specific of
	 * the /16: the /16's set now counts the /23's path too (the same
	 * ASes). A plain /20 has ATOMIC_AGGREGATE and an empty path; as a
	 * contributor it empties the /16's leading run and brings
	 * ATOMIC_AGGREGATE (9.2.2.2) although the /16 is an AS_SET one.
	 */
	CU_ASSERT_STRING_EQUAL(bs_path(&b, 0, "10.1.0.0", 16, buf,
	    sizeof(buf)), "65003 {65004 65005 65006}");
	CU_ASSERT_EQUAL(bgp_speaker_add_aggregate(b.sp[0], bs_ip("10.1.0.0"),
	    20, false, false), 0);
	CU_ASSERT_FATAL(best(&b, 0, "10.1.0.0", 20, &r));
	CU_ASSERT(r.a->has & BGP_HAS(BGP_ATTR_ATOMIC_AGGR));
	CU_ASSERT_EQUAL(r.a->path_len, 0);
	CU_ASSERT_FATAL(best(&b, 0, "10.1.0.0", 16, &r));
	CU_ASSERT(r.a->has & BGP_HAS(BGP_ATTR_ATOMIC_AGGR));
	CU_ASSERT_STRING_EQUAL(bs_path(&b, 0, "10.1.0.0", 16, buf,
	    sizeof(buf)), "{65003 65004 65005 65006}");
	CU_ASSERT_EQUAL(r.a->origin, BGP_ORIGIN_EGP);
	/* an INCOMPLETE contributor makes the aggregate INCOMPLETE */
	feed(br, peer, "10.1.3.0", 24, "65003", BGP_ORIGIN_INCOMPLETE, true);
	CU_ASSERT_EQUAL(bgp_speaker_add_network(b.sp[0], bs_ip("192.0.2.0"),
	    24), 0);	/* any change settles the aggregates */
	CU_ASSERT_FATAL(best(&b, 0, "10.1.0.0", 16, &r));
	CU_ASSERT_EQUAL(r.a->origin, BGP_ORIGIN_INCOMPLETE);
	bs_free(&b);
}

/*
 * Redistribution on r0 (AS 65001) towards r1 (AS 65002): its connected
 * /30 and its static routes, ORIGIN INCOMPLETE, MED the route's metric;
 * a policy drops 192.168.70.0/24 and tags the rest; a static route added
 * at 10 s is announced at once, removed at 20 s withdrawn; r1's route,
 * installed in r0's table by BGP, is not sent back as r0's own.
 */
static void
test_redistribute(void)
{
	struct bgp_polset *ps = bgp_polset_new();
	struct bgp_policy *pol = bgp_policy_new(ps, "redist");
	struct bgp_pol_err e;
	struct bs_net b;
	struct bs_watch w;
	struct bgp_route r;
	struct bgp_attrs_var v;
	struct rib_route rt;
	struct rib_nh nh;
	struct rib *nr;
	char err[128], buf[64];

	bgp_policy_rule(pol, NULL);
	CU_ASSERT_EQUAL_FATAL(bgp_policy_match(pol, "prefix 192.168.70.0/24",
	    &e), 0);
	CU_ASSERT_EQUAL_FATAL(bgp_policy_action(pol, "reject", &e), 0);
	bgp_policy_rule(pol, NULL);
	CU_ASSERT_EQUAL_FATAL(bgp_policy_action(pol, "community add 65001:7",
	    &e), 0);
	bs_init(&b, 2);
	bs_link(&b, 0, 1, "10.0.0.0", D);
	bs_speaker(&b, 0, 65001, "1.1.1.1", 0);
	bs_speaker(&b, 1, 65002, "2.2.2.2", 0);
	bs_neighbor(&b, 0, "10.0.0.2", 65002, NULL, false);
	bs_neighbor(&b, 1, "10.0.0.1", 65001, NULL, true);
	bgp_speaker_add_network(b.sp[1], bs_ip("172.16.0.0"), 16);
	nr = node_rib(b.n[0], 0);
	CU_ASSERT_EQUAL_FATAL(node_add_route(b.n[0], 0, bs_ip("192.168.50.0"),
	    24, bs_ip("10.0.0.2"), IFACE_NONE, err, sizeof(err)), 0);
	/* a static route with a metric, as a model's static source has it */
	nh.via = bs_ip("10.0.0.2");
	nh.ifindex = 0;
	memset(&rt, 0, sizeof(rt));
	rt.source = RIB_SRC_STATIC;
	rt.pref = RIB_PREF_STATIC;
	rt.metric = 7;
	rt.instance = 1;
	rt.nhg = rib_nhg_get(nr, &nh, 1);
	CU_ASSERT_EQUAL_FATAL(rib_add(nr, bs_ip("192.168.80.0"), 24, &rt), 0);
	CU_ASSERT_EQUAL_FATAL(rib_add(nr, bs_ip("192.168.70.0"), 24, &rt), 0);
	rib_nhg_put(nr, rt.nhg);
	CU_ASSERT_EQUAL(bgp_speaker_redistribute(b.sp[0], 4, NULL), -1);
	CU_ASSERT_EQUAL(bgp_speaker_redistribute(b.sp[0],
	    BGP_REDIST_CONNECTED | BGP_REDIST_STATIC, pol), 0);
	bs_watch(&b, 1, &w, "192.168.60.0", 24);
	bs_start(&b);
	sim_run_until(b.sim, SIM_S(10));
	CU_ASSERT_FATAL(best(&b, 1, "192.168.80.0", 24, &r));
	CU_ASSERT_EQUAL(r.a->origin, BGP_ORIGIN_INCOMPLETE);
	CU_ASSERT(r.a->has & BGP_HAS(BGP_ATTR_MED));
	CU_ASSERT_EQUAL(r.a->med, 7);
	bgp_attrs_var(r.a, &v);
	CU_ASSERT_EQUAL_FATAL(v.n_comm, 1);
	CU_ASSERT_EQUAL(v.comm[0], COMM(65001, 7));
	CU_ASSERT_STRING_EQUAL(bs_path(&b, 1, "192.168.80.0", 24, buf,
	    sizeof(buf)), "65001");
	CU_ASSERT_FATAL(best(&b, 1, "192.168.50.0", 24, &r));
	CU_ASSERT_EQUAL(r.a->med, 0);
	CU_ASSERT_FATAL(best(&b, 1, "10.0.0.0", 30, &r));	/* connected */
	CU_ASSERT_EQUAL(r.a->origin, BGP_ORIGIN_INCOMPLETE);
	CU_ASSERT_FALSE(best(&b, 1, "192.168.70.0", 24, &r));	/* policy */
	/* BGP's own route in r0's table is not redistributed */
	CU_ASSERT(best(&b, 0, "172.16.0.0", 16, &r));
	CU_ASSERT_NOT_EQUAL(r.peer, BGP_PEER_LOCAL);
	CU_ASSERT_PTR_NULL(bgp_rib_in_get(bgp_speaker_rib(b.sp[0]),
	    BGP_PEER_LOCAL, bs_ip("172.16.0.0"), 16));
	CU_ASSERT_EQUAL(bgp_speaker_peer_out(b.sp[0], bs_ip("10.0.0.2")), 3);

	/* a static route at 10 s: ORIGIN 4, AS_PATH 9, NEXT_HOP 7, MED 7,
	 * COMMUNITIES 7: 23 + 34 + a 4-byte /24 = 61 bytes */
	CU_ASSERT_EQUAL_FATAL(node_add_route(b.n[0], 0, bs_ip("192.168.60.0"),
	    24, bs_ip("10.0.0.2"), IFACE_NONE, err, sizeof(err)), 0);
	sim_run_until(b.sim, SIM_S(20));
	CU_ASSERT_EQUAL_FATAL(w.n, 1);
	CU_ASSERT_EQUAL(w.kind[0], RIB_ADDED);
	CU_ASSERT_EQUAL(w.t[0], SIM_S(10) + D + TX(66 + 61));
	/* removed at 20 s: a withdrawal of 19 + 2 + 4 + 2 = 27 bytes */
	CU_ASSERT_EQUAL(rib_del(nr, bs_ip("192.168.60.0"), 24, RIB_SRC_STATIC,
	    0), 0);
	sim_run_until(b.sim, SIM_S(30));
	CU_ASSERT_EQUAL_FATAL(w.n, 2);
	CU_ASSERT_EQUAL(w.kind[1], RIB_WITHDRAWN);
	CU_ASSERT_EQUAL(w.t[1], SIM_S(20) + D + TX(66 + 27));
	/* connected only from 30 s: the static ones go */
	CU_ASSERT_EQUAL(bgp_speaker_redistribute(b.sp[0], BGP_REDIST_CONNECTED,
	    NULL), 0);
	sim_run_until(b.sim, SIM_S(31));
	CU_ASSERT_FALSE(best(&b, 1, "192.168.80.0", 24, &r));
	CU_ASSERT_FALSE(best(&b, 1, "192.168.50.0", 24, &r));
	CU_ASSERT_FATAL(best(&b, 1, "10.0.0.0", 30, &r));
	bgp_attrs_var(r.a, &v);
	CU_ASSERT_EQUAL(v.n_comm, 0);	/* no policy any more */
	CU_ASSERT_EQUAL(bgp_speaker_peer_out(b.sp[0], bs_ip("10.0.0.2")), 1);
	bs_unwatch(&b, 1, &w);
	bs_free(&b);
	bgp_polset_free(ps);
}

/*
 * RFC 4271 9.2.2.2: routes with different MULTI_EXIT_DISCs are not
 * aggregated. r0 aggregates 10.1.0.0/16 (summary-only, AS_SET) from r2's
 * 10.1.1.0/24 (no MED) and its own redistributed static 10.1.2.0/24 (MED
 * 9, its metric). The first contributor has no MED, so the /24 with one
 * is left out: the aggregate is 10.1.1.0/24's alone (ORIGIN IGP, path
 * 65003) and 10.1.2.0/24 is still announced. When r0 stops its session to
 * r2 at 10 s, 10.1.2.0/24 is the first: the aggregate becomes its
 * (INCOMPLETE, empty path) and it is withdrawn from r1 in the same instant.
 */
static void
test_med(void)
{
	struct bs_net b;
	struct bs_watch w, w1, w2;
	struct bgp_route r;
	struct rib_route rt;
	struct rib_nh nh;
	struct rib *nr;
	char buf[64];

	line(&b);
	bgp_speaker_add_network(b.sp[2], bs_ip("10.1.1.0"), 24);
	nr = node_rib(b.n[0], 0);
	nh.via = bs_ip("10.0.0.2");
	nh.ifindex = 0;
	memset(&rt, 0, sizeof(rt));
	rt.source = RIB_SRC_STATIC;
	rt.pref = RIB_PREF_STATIC;
	rt.instance = 1;
	rt.nhg = rib_nhg_get(nr, &nh, 1);
	rt.metric = 9;
	CU_ASSERT_EQUAL_FATAL(rib_add(nr, bs_ip("10.1.2.0"), 24, &rt), 0);
	rib_nhg_put(nr, rt.nhg);
	CU_ASSERT_EQUAL(bgp_speaker_redistribute(b.sp[0], BGP_REDIST_STATIC,
	    NULL), 0);
	CU_ASSERT_EQUAL(bgp_speaker_add_aggregate(b.sp[0], bs_ip("10.1.0.0"),
	    16, true, true), 0);
	bs_watch(&b, 1, &w, "10.1.0.0", 16);
	bs_watch(&b, 1, &w1, "10.1.1.0", 24);
	bs_watch(&b, 1, &w2, "10.1.2.0", 24);
	bs_start(&b);
	sim_run_until(b.sim, SIM_S(10));
	CU_ASSERT_FATAL(best(&b, 0, "10.1.0.0", 16, &r));
	CU_ASSERT_EQUAL(r.a->origin, BGP_ORIGIN_IGP);
	CU_ASSERT_FALSE(r.a->has & BGP_HAS(BGP_ATTR_MED));
	CU_ASSERT_STRING_EQUAL(bs_path(&b, 1, "10.1.0.0", 16, buf,
	    sizeof(buf)), "65001 65003");
	CU_ASSERT_FALSE(best(&b, 1, "10.1.1.0", 24, &r));
	CU_ASSERT_FATAL(best(&b, 1, "10.1.2.0", 24, &r));
	CU_ASSERT_EQUAL(r.a->med, 9);
	CU_ASSERT_EQUAL(bgp_speaker_peer_out(b.sp[0], bs_ip("10.0.0.2")), 2);
	CU_ASSERT_EQUAL(bgp_speaker_peer_stop(b.sp[0], bs_ip("10.0.1.2")), 0);
	sim_run_until(b.sim, SIM_S(11));
	CU_ASSERT_FATAL(best(&b, 1, "10.1.0.0", 16, &r));
	CU_ASSERT_EQUAL(r.a->origin, BGP_ORIGIN_INCOMPLETE);
	CU_ASSERT_STRING_EQUAL(bs_path(&b, 1, "10.1.0.0", 16, buf,
	    sizeof(buf)), "65001");
	CU_ASSERT_FALSE(best(&b, 1, "10.1.2.0", 24, &r));
	CU_ASSERT_EQUAL(bgp_speaker_peer_out(b.sp[0], bs_ip("10.0.0.2")), 1);
	/*
	 * Up to r2's /24 (its session is up later), the static was the only
	 * contributor: aggregated and kept back. Then the aggregate is r2's
	 * /24's and the static is announced (another first MED: the
	 * contributors are looked at again).
	 */
	CU_ASSERT_EQUAL_FATAL(w.n, 3);
	CU_ASSERT_EQUAL(w.kind[0], RIB_ADDED);
	CU_ASSERT_EQUAL(w.t[0], SIM_NS(5004264));
	CU_ASSERT_EQUAL(w.kind[1], RIB_CHANGED);
	CU_ASSERT_EQUAL(w.t[1], SIM_NS(7006160));
	CU_ASSERT_EQUAL(w1.n, 0);
	CU_ASSERT_EQUAL_FATAL(w2.n, 2);
	CU_ASSERT_EQUAL(w2.kind[0], RIB_ADDED);
	CU_ASSERT_EQUAL(w2.t[0], SIM_NS(7005144));
	/*
	 * at 10 s the withdrawal of 10.1.2.0/24 (19 + 2 + 4 + 2 = 27 bytes),
	 * then the aggregate: ORIGIN 4, AS_PATH 3 + 6 (65001), NEXT_HOP 7,
	 * AGGREGATOR 11: 23 + 31 + 3 = 57 bytes
	 */
	CU_ASSERT_EQUAL(w2.kind[1], RIB_WITHDRAWN);
	CU_ASSERT_EQUAL(w2.t[1], SIM_S(10) + D + TX(66 + 27));
	CU_ASSERT_EQUAL(w.kind[2], RIB_CHANGED);
	CU_ASSERT_EQUAL(w.t[2], SIM_S(10) + D + TX(66 + 27) + TX(66 + 57));
	bs_unwatch(&b, 1, &w);
	bs_unwatch(&b, 1, &w1);
	bs_unwatch(&b, 1, &w2);
	bs_free(&b);
}

/*
 * 20,000 networks of r0 announced at 10 s and withdrawn in one call at
 * 20 s: the originated entries are shifted a linear number of times (the
 * withdrawal none at all: one compaction leaves nothing), where removing
 * each at once shifted the ones after it, n^2/2 of them (review7
 * finding 4: 66 s for a withdrawal of 100k). r0's Loc-RIB is empty at
 * 20 s, r1's Adj-RIB-In once the UPDATEs have arrived.
 */
#define MANY 20000

static void
test_withdraw_many(void)
{
	static uint32_t addr[MANY];
	static uint8_t len[MANY];
	struct bs_net b;
	struct bgp_route r;
	size_t i, moved;

	line(&b);
	for (i = 0; i < MANY; i++) {
		addr[i] = bs_ip("100.0.0.0") + ((uint32_t)i << 8);
		len[i] = 24;
	}
	bs_start(&b);
	sim_run_until(b.sim, SIM_S(10));
	/* ascending: each goes at the end, nothing shifted */
	CU_ASSERT_EQUAL(bgp_speaker_set_networks(b.sp[0], addr, len, MANY,
	    true), 0);
	CU_ASSERT_EQUAL(bgp_origin_moved(b.sp[0]), 0);
	sim_run_until(b.sim, SIM_S(20));
	CU_ASSERT_EQUAL(bgp_speaker_peer_in(b.sp[1], bs_ip("10.0.0.1")),
	    MANY);
	CU_ASSERT_TRUE(best(&b, 0, "100.78.31.0", 24, &r));
	moved = bgp_origin_moved(b.sp[0]);
	CU_ASSERT_EQUAL(bgp_speaker_set_networks(b.sp[0], addr, len, MANY,
	    false), 0);
	CU_ASSERT_EQUAL(bgp_origin_moved(b.sp[0]), moved);
	CU_ASSERT_EQUAL(sim_now(b.sim), SIM_S(20));
	CU_ASSERT_FALSE(best(&b, 0, "100.0.0.0", 24, &r));
	CU_ASSERT_FALSE(best(&b, 0, "100.78.31.0", 24, &r));
	/* a network added back after the compaction is found again */
	CU_ASSERT_EQUAL(bgp_speaker_add_network(b.sp[0], addr[7], 24), 0);
	CU_ASSERT_TRUE(best(&b, 0, "100.0.7.0", 24, &r));
	CU_ASSERT_EQUAL(bgp_speaker_remove_network(b.sp[0], addr[7], 24), 0);
	CU_ASSERT_EQUAL(bgp_speaker_remove_network(b.sp[0], addr[7], 24), -1);
	sim_run_until(b.sim, SIM_S(30));
	CU_ASSERT_EQUAL(bgp_speaker_peer_in(b.sp[1], bs_ip("10.0.0.1")), 0);
	bs_free(&b);
}

static const struct test_case cases[] = {
	{ "different MEDs are not aggregated", test_med },
	{ "aggregate up and down with its more specifics", test_aggregate },
	{ "summary-only with AS_SET", test_summary_as_set },
	{ "RFC 4271 9.2.2.2 attribute rules, nested", test_rules },
	{ "redistribution of connected and static routes",
	    test_redistribute },
	{ "a withdrawal of 20,000 networks, linear", test_withdraw_many },
	{ NULL, NULL },
};

int
main(int argc, char **argv)
{
	return test_main(argc, argv, "bgp_origin", cases);
}
