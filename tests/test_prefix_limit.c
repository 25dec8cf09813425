/*
 * test_prefix_limit.c - the timeline's bgp-announce and bgp-withdraw
 * (models/bgp/bgp_actions.c) and the prefix-limit overflow from the OCI
 * side (scenarios/examples/prefix-limit.yaml): the actions' errors at
 * their place in the file; prefixes listed and taken from a block,
 * announced and withdrawn at run time, a configured network withdrawn
 * too, to the simulated nanosecond; each MSEE dropping its session with
 * Oracle on the UPDATE that carries the 4,001st prefix with a Cease 6/1
 * (RFC 4486), retrying every 60 s, and keeping it once the leak is gone.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "apps.h"
#include "bgp_msg.h"
#include "bgp_scenario.h"
#include "bgp_speaker.h"
#include "net.h"
#include "rib.h"
#include "scenario.h"
#include "scenario_models.h"
#include "scenario_run.h"
#include "scenario_testutil.h"
#include "sim.h"
#include "testutil.h"

#define TWO_ROUTERS                                                        \
	"duration: 20s\n"                                                  \
	"nodes:\n"                                                         \
	"  - { name: r1, role: router, interfaces: [{ name: e0, address: " \
	"10.0.0.1/30 }] }\n"                                               \
	"  - { name: r2, role: router, interfaces: [{ name: e0, address: " \
	"10.0.0.2/30 }] }\n"                                               \
	"  - { name: h, role: host, interfaces: [{ name: e0, address: "    \
	"10.9.0.1/30 }] }\n"                                               \
	"links:\n"                                                         \
	"  - { name: l1, a: r1:e0, b: r2:e0, delay: 1ms }\n"               \
	"bgp:\n"                                                           \
	"  - { node: r1, asn: 65001, ebgp_mrai: 0s, networks: [{ prefix: " \
	"10.1.0.0/24 }], neighbors: [{ address: 10.0.0.2, remote_as: "     \
	"65002 }] }\n"                                                     \
	"  - { node: r2, asn: 65002, neighbors: [{ address: 10.0.0.1, "    \
	"remote_as: 65001 }] }\n"
/* lines 1-10; "events:" is line 11, the first event line 12 */

static void
test_errors(void)
{
	static const char text[] = TWO_ROUTERS
	    "events:\n"
	    "  - { at: 1s, action: bgp-announce, node: h, prefixes: "
	    "10.5.0.0/16 }\n"						/* 12 */
	    "  - { at: 1s, action: bgp-announce, node: r1 }\n"
	    "  - { at: 1s, action: bgp-announce, node: r1, prefixes: "
	    "10.5.0.0/16, block: 10.6.0.0/16, length: 24, count: 1 }\n"
	    "  - { at: 1s, action: bgp-withdraw, node: r1, block: "
	    "10.6.0.0/16 }\n"
	    "  - { at: 1s, action: bgp-withdraw, node: r1, block: "
	    "10.6.0.0/16, length: 12, count: 1 }\n"
	    "  - { at: 1s, action: bgp-withdraw, node: r1, block: "
	    "10.6.0.0/16, length: 28, count: 4097 }\n"		/* 17 */
	    "  - { at: 1s, action: bgp-announce, node: r1, prefixes: "
	    "[10.5.0.0/16, 10.5.0.1/16, nonsense] }\n"
	    "  - { at: 1s, action: bgp-announce, node: r1, prefixes: "
	    "10.5.0.0/16, count: 3 }\n"
	    "  - { at: 1s, action: bgp-announce, node: r3, prefixes: "
	    "10.5.0.0/16 }\n"
	    "  - { at: 1s, action: bgp-withdraw, node: r1, prefixes: "
	    "['10.9.0.0/-4294967272', '+10.9.0.0/+24', ' 10.9.0.0/ 24', "
	    "'10.9.0.0/024'] }\n";				/* 21 */
	struct scenario *sc;
	unsigned n = 0;
	char *diag = NULL;

	sc = load(text, &diag, &n);
	CU_ASSERT_PTR_NULL(sc);
	CU_ASSERT(has_error(diag, "12:43", "node 'h' has no bgp speaker"));
	CU_ASSERT(has_error(diag, "13:5", "bgp-announce needs exactly one of "
	    "prefixes or block"));
	CU_ASSERT(has_error(diag, "14:5", "bgp-announce needs exactly one of "
	    "prefixes or block"));
	CU_ASSERT(has_error(diag, "15:54", "a block needs length and count"));
	CU_ASSERT(has_error(diag, "16:75", "length 12 is shorter than the "
	    "block's /16"));
	CU_ASSERT(has_error(diag, "17:86", "count 4097: the block holds 4096 "
	    "prefixes of length 28"));
	CU_ASSERT(has_error(diag, "18:71", "'10.5.0.1/16' is not a prefix"));
	CU_ASSERT(has_error(diag, "18:84", "'nonsense' is not a prefix"));
	CU_ASSERT(has_error(diag, "19:77", "length and count go with block"));
	CU_ASSERT(has_error(diag, "20:43", "unknown node 'r3'"));
	CU_ASSERT(has_error(diag, "18:71", "'10.5.0.1/16' is not a prefix "
	    "a.b.c.d/len with its host bits zero (did you mean "
	    "10.5.0.0/16?)"));
	/* the loader's grammar: no sign, no space, no leading zero */
	CU_ASSERT(has_error(diag, "21:58", "'10.9.0.0/-4294967272' is not a "
	    "prefix"));
	CU_ASSERT(has_error(diag, "21:82", "'+10.9.0.0/+24' is not a "
	    "prefix"));
	CU_ASSERT(has_error(diag, "21:99", "' 10.9.0.0/ 24' is not a "
	    "prefix"));
	CU_ASSERT(has_error(diag, "21:116", "'10.9.0.0/024' is not a "
	    "prefix"));
	CU_ASSERT_EQUAL(n, 14);
	if (n != 14 || getenv("SHOW_DIAG") != NULL)
		fprintf(stderr, "%s", diag);
	free(diag);
}

/* r2's table has prefix/len now. */
static bool
has(struct run *r, uint32_t prefix, uint8_t len)
{
	struct rib_route rt;

	return rib_best(node_rib(net_find_node(run_net(r), "r2"), 0), prefix,
	    len, &rt);
}

#define IP(a, b, c, d) ((uint32_t)(a) << 24 | (b) << 16 | (c) << 8 | (d))

/*
 * r1 announces two listed prefixes at 5 s and the first three /28s of
 * 172.16.0.0/12 at 6 s; withdraws one listed prefix at 10 s, its own
 * configured network at 11 s and two of the three /28s at 12 s. Each
 * reaches r2 one UPDATE later (1 ms of delay plus serialization: 5.001000095
 * s for the first).
 */
static void
test_announce_withdraw(void)
{
	static const char text[] = TWO_ROUTERS
	    "events:\n"
	    "  - { at: 5s, action: bgp-announce, node: r1, prefixes: "
	    "[192.0.2.0/24, 198.51.100.0/25] }\n"
	    "  - { at: 6s, action: bgp-announce, node: r1, block: "
	    "172.16.0.0/12, length: 28, count: 3 }\n"
	    "  - { at: 10s, action: bgp-withdraw, node: r1, prefixes: "
	    "192.0.2.0/24 }\n"
	    "  - { at: 11s, action: bgp-withdraw, node: r1, prefixes: "
	    "[10.1.0.0/24] }\n"
	    "  - { at: 12s, action: bgp-withdraw, node: r1, block: "
	    "172.16.0.0/12, length: 28, count: 2 }\n";
	struct run_opts o = { 0 };
	struct scenario *sc;
	struct run *r;
	struct bgp_speaker *sp;
	unsigned n = 0;
	char *diag = NULL, err[256];

	sc = load(text, &diag, &n);
	if (sc == NULL)
		fprintf(stderr, "%s", diag);
	free(diag);
	CU_ASSERT_PTR_NOT_NULL_FATAL(sc);
	r = run_new(sc, &o, err, sizeof(err));
	CU_ASSERT_PTR_NOT_NULL_FATAL(r);
	sp = bgp_scenario_speaker(run_section_state(r, "bgp"),
	    net_find_node(run_net(r), "r1"), 0);
	CU_ASSERT_PTR_NOT_NULL_FATAL(sp);
	run_advance(r, SIM_S(5));
	CU_ASSERT_TRUE(has(r, IP(10, 1, 0, 0), 24));
	CU_ASSERT_FALSE(has(r, IP(192, 0, 2, 0), 24));
	run_advance(r, SIM_NS(5001000095) - 1);
	CU_ASSERT_FALSE(has(r, IP(192, 0, 2, 0), 24));
	run_advance(r, SIM_NS(5001000095));
	CU_ASSERT_TRUE(has(r, IP(192, 0, 2, 0), 24));
	CU_ASSERT_TRUE(has(r, IP(198, 51, 100, 0), 25));
	run_advance(r, SIM_NS(6001000100));
	CU_ASSERT_TRUE(has(r, IP(172, 16, 0, 0), 28));
	CU_ASSERT_TRUE(has(r, IP(172, 16, 0, 16), 28));
	CU_ASSERT_TRUE(has(r, IP(172, 16, 0, 32), 28));
	CU_ASSERT_FALSE(has(r, IP(172, 16, 0, 48), 28));
	CU_ASSERT_EQUAL(bgp_speaker_peer_out(sp, 0x0a000002u), 6);
	run_advance(r, SIM_NS(10001000075) - 1);
	CU_ASSERT_TRUE(has(r, IP(192, 0, 2, 0), 24));
	run_advance(r, SIM_NS(10001000075));
	CU_ASSERT_FALSE(has(r, IP(192, 0, 2, 0), 24));
	CU_ASSERT_TRUE(has(r, IP(198, 51, 100, 0), 25));
	run_advance(r, SIM_NS(11001000075));
	CU_ASSERT_FALSE(has(r, IP(10, 1, 0, 0), 24));
	run_advance(r, SIM_NS(12001000080));
	CU_ASSERT_FALSE(has(r, IP(172, 16, 0, 0), 28));
	CU_ASSERT_FALSE(has(r, IP(172, 16, 0, 16), 28));
	CU_ASSERT_TRUE(has(r, IP(172, 16, 0, 32), 28));
	CU_ASSERT_EQUAL(bgp_speaker_peer_out(sp, 0x0a000002u), 2);
	/* the runtime API: only a network statement is removed */
	CU_ASSERT_EQUAL(bgp_speaker_remove_network(sp, IP(192, 0, 2, 0), 24),
	    -1);
	CU_ASSERT_EQUAL(bgp_speaker_remove_network(sp, IP(192, 0, 2, 1), 24),
	    -1);
	CU_ASSERT_EQUAL(bgp_speaker_remove_network(sp, IP(198, 51, 100, 0),
	    25), 0);
	CU_ASSERT_EQUAL(bgp_speaker_add_network(sp, IP(203, 0, 113, 0), 24),
	    0);
	run_advance(r, SIM_S(13));
	CU_ASSERT_FALSE(has(r, IP(198, 51, 100, 0), 25));
	CU_ASSERT_TRUE(has(r, IP(203, 0, 113, 0), 24));
	run_free(r);
	scenario_free(sc);
}

#define MSEE_P_PEER 0xa9fe0001u		/* 169.254.0.1: Oracle's edge */
#define MSEE_S_PEER 0xa9fe0101u		/* 169.254.1.1 */

static struct bgp_speaker *
speaker(struct run *r, const char *node)
{
	struct bgp_speaker *sp = bgp_scenario_speaker(run_section_state(r,
	    "bgp"), net_find_node(run_net(r), node), 0);

	CU_ASSERT_PTR_NOT_NULL_FATAL(sp);
	return sp;
}

/*
 * scenarios/examples/prefix-limit.yaml. The primary edge leaks 4,500 /28s
 * at 60 s in UPDATEs of 810 prefixes: the MSEE holds 3,240 after the 4th
 * (60.000064916 s) and drops the session on the 5th (60.000068561 s) with
 * Cease 6/1; its retry at 120 s is dropped again at 120.000236353 s; the
 * leak withdrawn at 140 s, the retry at 180 s stays. The secondary: drop
 * at 90.000068561 s, back at 150.000148907 s. The file's own assertions
 * (pings, routes, sessions) pass.
 */
static void
test_prefix_limit_example(void)
{
	struct run_opts o = { 0 };
	struct bgp_peer_stats st;
	struct bgp_speaker *mp, *ms;
	struct scenario *sc;
	struct run *r;
	char err[256], *out = NULL;
	unsigned n = 0;
	size_t len = 0;
	FILE *d = fopen("/dev/null", "w");

	sc = scenario_load_file(XCSIM_SOURCE_DIR
	    "/scenarios/examples/prefix-limit.yaml", d, &n);
	fclose(d);
	CU_ASSERT_PTR_NOT_NULL_FATAL(sc);
	r = run_new(sc, &o, err, sizeof(err));
	CU_ASSERT_PTR_NOT_NULL_FATAL(r);
	mp = speaker(r, "msee-primary");
	ms = speaker(r, "msee-secondary");
	CU_ASSERT_EQUAL(bgp_speaker_neighbor(mp, 0)->max_prefix, 4000);
	run_advance(r, SIM_NS(60000064916));
	CU_ASSERT_EQUAL(bgp_speaker_peer_state(mp, MSEE_P_PEER),
	    BGP_ST_ESTABLISHED);
	CU_ASSERT_EQUAL(bgp_speaker_peer_in(mp, MSEE_P_PEER), 1 + 4 * 810);
	run_advance(r, SIM_NS(60000068561) - 1);
	CU_ASSERT_EQUAL(bgp_speaker_peer_state(mp, MSEE_P_PEER),
	    BGP_ST_ESTABLISHED);
	run_advance(r, SIM_NS(60000068561));
	CU_ASSERT_EQUAL(bgp_speaker_peer_state(mp, MSEE_P_PEER), BGP_ST_IDLE);
	CU_ASSERT_EQUAL(bgp_speaker_peer_stats(mp, MSEE_P_PEER, &st), 0);
	CU_ASSERT_EQUAL(st.max_prefix_teardowns, 1);
	CU_ASSERT_EQUAL(st.last_notif_sent[0], BGP_ERR_CEASE);
	CU_ASSERT_EQUAL(st.last_notif_sent[1], BGP_CEASE_MAX_PREFIX);
	run_advance(r, SIM_NS(90000068561) - 1);
	CU_ASSERT_EQUAL(bgp_speaker_peer_state(ms, MSEE_S_PEER),
	    BGP_ST_ESTABLISHED);
	run_advance(r, SIM_NS(90000068561));
	CU_ASSERT_EQUAL(bgp_speaker_peer_state(ms, MSEE_S_PEER), BGP_ST_IDLE);
	/* the retry while the leak is on: up, and dropped again */
	run_advance(r, SIM_NS(120000236353) - 1);
	CU_ASSERT_EQUAL(bgp_speaker_peer_state(mp, MSEE_P_PEER),
	    BGP_ST_ESTABLISHED);
	run_advance(r, SIM_NS(120000236353));
	CU_ASSERT_EQUAL(bgp_speaker_peer_state(mp, MSEE_P_PEER), BGP_ST_IDLE);
	run_advance(r, SIM_NS(150000148907) - 1);
	CU_ASSERT_EQUAL(bgp_speaker_peer_state(ms, MSEE_S_PEER),
	    BGP_ST_OPENCONFIRM);
	run_advance(r, SIM_NS(150000148907));
	CU_ASSERT_EQUAL(bgp_speaker_peer_state(ms, MSEE_S_PEER),
	    BGP_ST_ESTABLISHED);
	run_advance(r, SIM_S(181));
	CU_ASSERT_EQUAL(bgp_speaker_peer_state(mp, MSEE_P_PEER),
	    BGP_ST_ESTABLISHED);
	CU_ASSERT_EQUAL(bgp_speaker_peer_in(mp, MSEE_P_PEER), 1);
	while (run_advance(r, run_end_time(r)))
		;
	CU_ASSERT_EQUAL(bgp_speaker_peer_stats(mp, MSEE_P_PEER, &st), 0);
	CU_ASSERT_EQUAL(st.max_prefix_teardowns, 2);
	CU_ASSERT_EQUAL(bgp_speaker_peer_stats(ms, MSEE_S_PEER, &st), 0);
	CU_ASSERT_EQUAL(st.max_prefix_teardowns, 1);
	CU_ASSERT_EQUAL(ping_n_probes(run_app(r, "ping")), 2400);
	d = open_memstream(&out, &len);
	CU_ASSERT_EQUAL(run_check(r, d), 0);	/* the file's assertions */
	fclose(d);
	if (out != NULL && strstr(out, "FAIL") != NULL)
		fprintf(stderr, "%s", out);
	free(out);
	run_free(r);
	scenario_free(sc);
}

/*
 * The same leak on a Premium circuit: its MSEEs take 10,000 prefixes (facts
 * 1.4), so 4,500 keep both sessions up, the leak in the MSEE's table.
 */
static void
test_premium(void)
{
	struct run_opts o = { 0 };
	struct bgp_speaker *mp;
	struct scenario *sc;
	struct run *r;
	char err[256], *text, *p, *diag = NULL;
	size_t len = 0;
	unsigned n = 0;

	text = test_slurp(XCSIM_SOURCE_DIR
	    "/scenarios/examples/prefix-limit.yaml", &len);
	CU_ASSERT_PTR_NOT_NULL_FATAL(text);
	p = strstr(text, "tier: Standard");
	CU_ASSERT_PTR_NOT_NULL_FATAL(p);
	memcpy(p, "tier: Premium ", 14);
	sc = load(text, &diag, &n);
	free(text);
	if (sc == NULL)
		fprintf(stderr, "%s", diag);
	free(diag);
	CU_ASSERT_PTR_NOT_NULL_FATAL(sc);
	r = run_new(sc, &o, err, sizeof(err));
	CU_ASSERT_PTR_NOT_NULL_FATAL(r);
	mp = speaker(r, "msee-primary");
	CU_ASSERT_EQUAL(bgp_speaker_neighbor(mp, 0)->max_prefix, 10000);
	run_advance(r, SIM_S(100));
	CU_ASSERT_EQUAL(bgp_speaker_peer_state(mp, MSEE_P_PEER),
	    BGP_ST_ESTABLISHED);
	CU_ASSERT_EQUAL(bgp_speaker_peer_in(mp, MSEE_P_PEER), 1 + 4500);
	CU_ASSERT_EQUAL(bgp_speaker_peer_state(speaker(r, "msee-secondary"),
	    MSEE_S_PEER), BGP_ST_ESTABLISHED);
	run_free(r);
	scenario_free(sc);
}

int
main(int argc, char **argv)
{
	static const struct test_case cases[] = {
		{ "errors", test_errors },
		{ "announce_withdraw", test_announce_withdraw },
		{ "prefix_limit_example", test_prefix_limit_example },
		{ "premium", test_premium },
		{ NULL, NULL }
	};

	scenario_models_init();
	return test_main(argc, argv, "prefix_limit", cases);
}
