/*
 * test_query_bgp.c - a BGP speaker asked as a router's "show ip bgp",
 * "show ip bgp summary" and "show ip arp" answer (models/query,
 * query_bgp): the best routes with next hop, LocPrf, weight and path; the
 * neighbours' message counters derived from the protocol's own arithmetic
 * (one OPEN, the KEEPALIVEs the keepalive timer allows, the UPDATEs of the
 * tables), Up/Down and the state of a session a link-down took down; the
 * ARP rows with the far end's MAC; the JSON form; `xcsim bgp`.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bgp_scenario.h"
#include "bgp_speaker.h"
#include "net.h"
#include "query.h"
#include "scenario.h"
#include "scenario_models.h"
#include "scenario_run.h"
#include "scenario_testutil.h"
#include "testutil.h"

/*
 * r1 - r2 - r3, eBGP, r2 passive on both sessions (no connection
 * collision: exactly one OPEN each way). r1 and r3 originate their LANs.
 * l12 is slow (10 ms) so r2 has learnt r3's route before its session with
 * r1 comes up. r2 - r3 run a 9 s hold time (keepalive 3 s); l23 goes down
 * at 70 s and back up at 110 s. r1 has a VRF "blue" without BGP, h1 runs
 * none.
 */
static const char text[] =
	"name: three\n"
	"duration: 400s\n"
	"nodes:\n"
	"  - name: r1\n"
	"    role: router\n"
	"    interfaces:\n"
	"      - { name: a, address: 10.0.0.1/30, mac: '02:00:00:00:01:01' }\n"
	"      - { name: lan, address: 10.1.0.1/16 }\n"
	"      - { name: x, address: 10.7.0.1/24, vrf: blue }\n"
	"  - name: r2\n"
	"    role: router\n"
	"    interfaces:\n"
	"      - { name: a, address: 10.0.0.2/30, mac: '02:00:00:00:02:01' }\n"
	"      - { name: b, address: 10.0.0.5/30, mac: '02:00:00:00:02:02' }\n"
	"  - name: r3\n"
	"    role: router\n"
	"    interfaces:\n"
	"      - { name: b, address: 10.0.0.6/30, mac: '02:00:00:00:03:01' }\n"
	"      - { name: lan, address: 10.3.0.1/16 }\n"
	"  - name: h1\n"
	"    role: host\n"
	"    interfaces:\n"
	"      - { name: e, address: 10.9.0.1/24 }\n"
	"links:\n"
	"  - { name: l12, a: 'r1:a', b: 'r2:a', rate: 1Gbps, delay: 10ms }\n"
	"  - { name: l23, a: 'r2:b', b: 'r3:b', rate: 1Gbps, delay: 1ms }\n"
	"bgp:\n"
	"  - node: r1\n"
	"    asn: 65001\n"
	"    networks: [{ prefix: 10.1.0.0/16 }]\n"
	"    neighbors: [{ address: 10.0.0.2, remote_as: 65002 }]\n"
	"  - node: r2\n"
	"    asn: 65002\n"
	"    neighbors:\n"
	"      - { address: 10.0.0.1, remote_as: 65001, passive: true }\n"
	"      - { address: 10.0.0.6, remote_as: 65003, passive: true,\n"
	"          hold: 9s, keepalive: 3s }\n"
	"  - node: r3\n"
	"    asn: 65003\n"
	"    networks: [{ prefix: 10.3.0.0/16 }]\n"
	"    neighbors: [{ address: 10.0.0.5, remote_as: 65002, hold: 9s,\n"
	"                  keepalive: 3s }]\n"
	"events:\n"
	"  - { at: 70s, action: link-down, link: l23 }\n"
	"  - { at: 110s, action: link-up, link: l23 }\n"
	"aliases:\n"
	"  - { name: edge, node: r2, what: the middle router }\n";

#define R1_R2 0x0a000002u	/* r2's address towards r1 */
#define R2_R1 0x0a000001u
#define R2_R3 0x0a000006u	/* r3's address towards r2 */

static struct run *
start_run(struct scenario **scp)
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
	return r;
}

static struct bgp_speaker *
speaker(struct run *r, const char *node)
{
	struct node *n = net_find_node(run_net(r), node);

	CU_ASSERT_PTR_NOT_NULL_FATAL(n);
	return bgp_scenario_speaker(run_section_state(r, "bgp"), n, 0);
}

/* What query_bgp prints for name with what. */
static char *
ask(struct run *r, struct scenario *sc, const char *name, unsigned what,
    bool json)
{
	struct query_table t;
	char *buf = NULL, err[256];
	size_t blen = 0;
	FILE *f;

	CU_ASSERT_EQUAL_FATAL(query_resolve(run_net(r), sc, name, &t, err,
	    sizeof(err)), 0);
	f = open_memstream(&buf, &blen);
	CU_ASSERT_EQUAL(query_bgp(f, r, &t, what, json, err, sizeof(err)), 0);
	fclose(f);
	return buf;
}

static void
test_updown(void)
{
	char b[24];

	CU_ASSERT_STRING_EQUAL(query_bgp_updown(0, b, sizeof(b)), "00:00:00");
	/* seconds truncated, as routers do */
	CU_ASSERT_STRING_EQUAL(query_bgp_updown(SIM_S(60) - 1, b, sizeof(b)),
	    "00:00:59");
	CU_ASSERT_STRING_EQUAL(query_bgp_updown(SIM_S(3723), b, sizeof(b)),
	    "01:02:03");
	CU_ASSERT_STRING_EQUAL(query_bgp_updown(SIM_S(86399), b, sizeof(b)),
	    "23:59:59");
	CU_ASSERT_STRING_EQUAL(query_bgp_updown(SIM_S(86400), b, sizeof(b)),
	    "1d00h");
	/* 1 day 2 h 3 min 4 s */
	CU_ASSERT_STRING_EQUAL(query_bgp_updown(SIM_S(93784), b, sizeof(b)),
	    "1d02h");
	CU_ASSERT_STRING_EQUAL(query_bgp_updown(SIM_S(7 * 86400 - 1), b,
	    sizeof(b)), "6d23h");
	CU_ASSERT_STRING_EQUAL(query_bgp_updown(SIM_S(17 * 86400), b,
	    sizeof(b)), "2w3d");
	CU_ASSERT_STRING_EQUAL(query_bgp_updown(SIM_S(380 * 86400), b,
	    sizeof(b)), "1y2w");
}

/*
 * r1's session with r2 at 10 s and 65 s. Each side sends one OPEN, the
 * KEEPALIVE that confirms the other's OPEN, and its table when the
 * session comes up: r1 its LAN, r2 the route it learnt from r3 (2 ms
 * after r2-r3 came up at 5 ms, before r1-r2 at 40 ms), each followed by an
 * End-of-RIB, an UPDATE too: 2 UPDATEs each way, nothing later (r2 does
 * not send r1's route back to r1). The keepalive timer (hold 90 s, so
 * 30 s, jittered to 75-100 % by RFC 4271 10) restarts at the last of
 * those UPDATEs: the first periodic KEEPALIVE goes in [22.5 s, 30 s]
 * after, the second in [45 s, 60 s], the third not before 67.5 s.
 * So at 10 s: 1 + 1 + 2 = 4 each way; at 65 s: 4 + 2 = 6.
 */
static void
test_summary_counts(void)
{
	struct scenario *sc;
	struct run *r = start_run(&sc);
	struct bgp_peer_stats st;
	char *out, ud[24];

	run_advance(r, SIM_S(10));
	out = ask(r, sc, "r1", QUERY_BGP_SUMMARY, false);
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "Neighbor        V         AS "
	    "MsgRcvd MsgSent  Up/Down  State/PfxRcd\n"
	    "10.0.0.2        4      65002       4       4 00:00:09  1\n"));
	free(out);
	run_advance(r, SIM_S(65));
	CU_ASSERT_EQUAL(bgp_speaker_peer_stats(speaker(r, "r1"), R1_R2, &st),
	    0);
	/*
	 * Established when r2's OPEN and KEEPALIVE reached r1: four 10 ms
	 * crossings of l12 (SYN, SYN-ACK, r1's OPEN, r2's answer) and their
	 * 3.28 us of serialization at 1 Gbps.
	 */
	CU_ASSERT_EQUAL(st.last_established, 40003280);
	CU_ASSERT_EQUAL(st.msg_in[BGP_OPEN], 1);
	CU_ASSERT_EQUAL(st.msg_in[BGP_UPDATE], 2);
	CU_ASSERT_EQUAL(st.msg_in[BGP_KEEPALIVE], 3);
	CU_ASSERT_EQUAL(st.msg_in[BGP_NOTIFICATION], 0);
	CU_ASSERT_EQUAL(st.msg_in[BGP_ROUTE_REFRESH], 0);
	CU_ASSERT_EQUAL(st.msgs_in, 6);
	CU_ASSERT_EQUAL(st.msg_out[BGP_OPEN], 1);
	CU_ASSERT_EQUAL(st.msg_out[BGP_UPDATE], 2);
	CU_ASSERT_EQUAL(st.msg_out[BGP_KEEPALIVE], 3);
	CU_ASSERT_EQUAL(st.msgs_out, 6);
	/* the UPDATE counters of before count the End-of-RIB too */
	CU_ASSERT_EQUAL(st.updates_in, 2);
	CU_ASSERT_EQUAL(st.updates_out, 2);
	/* up 64.95999672 s */
	CU_ASSERT_STRING_EQUAL(query_bgp_updown(SIM_S(65) -
	    st.last_established, ud, sizeof(ud)), "00:01:04");
	out = ask(r, sc, "r1", QUERY_BGP_SUMMARY, false);
	CU_ASSERT_PTR_NOT_NULL(strstr(out,
	    "10.0.0.2        4      65002       6       6 00:01:04  1\n"));
	free(out);
	/* r2's view: both sessions up, by address */
	out = ask(r, sc, "edge", QUERY_BGP_SUMMARY, false);
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "BGP of r2/default (edge: the "
	    "middle router) at 65s: local AS 65002, router id 10.0.0.5\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "\n10.0.0.1        4      65001"
	    "       6       6 00:01:04  1\n10.0.0.6        4      65003 "));
	free(out);
	run_free(r);
	scenario_free(sc);
}

/*
 * The best routes: r1's own LAN (next hop 0.0.0.0, path just the origin)
 * and r3's through r2; eBGP-learned routes carry no LOCAL_PREF and show
 * the decision's 100.
 */
static void
test_table(void)
{
	struct scenario *sc;
	struct run *r = start_run(&sc);
	char *out;

	run_advance(r, SIM_S(65));
	out = ask(r, sc, "r1", QUERY_BGP_TABLE, false);
	CU_ASSERT_STRING_EQUAL(out, "BGP of r1/default at 65s: local AS "
	    "65001, router id 10.1.0.1\n"
	    "\nRoute table\n"
	    "Network            NextHop         LocPrf Weight  Path\n"
	    "10.1.0.0/16        0.0.0.0            100      0  i\n"
	    "10.3.0.0/16        10.0.0.2           100      0  65002 65003 i\n");
	free(out);
	out = ask(r, sc, "r2", QUERY_BGP_TABLE, false);
	CU_ASSERT_PTR_NOT_NULL(strstr(out,
	    "10.1.0.0/16        10.0.0.1           100      0  65001 i\n"
	    "10.3.0.0/16        10.0.0.6           100      0  65003 i\n"));
	free(out);
	run_free(r);
	scenario_free(sc);
}

/*
 * l23 down at 70 s: no more KEEPALIVEs reach r2 from r3, and its 9 s hold
 * timer expires 9 s after the last one it received: the session goes
 * down then (NOTIFICATION 4/0 sent into the dead link), r2 withdraws
 * r3's route from r1, and 5 s later (the idle hold) the passive session
 * waits in Active. At 100 s the summary shows Active and the time since
 * it went down; r1 has no prefix from r2 any more.
 */
static void
test_session_down(void)
{
	struct scenario *sc;
	struct run *r = start_run(&sc);
	struct bgp_peer_stats st, up;
	char *out, ud[24], line[160];

	run_advance(r, SIM_S(65));
	CU_ASSERT_EQUAL(bgp_speaker_peer_stats(speaker(r, "r2"), R2_R3, &up),
	    0);
	CU_ASSERT_EQUAL(up.msg_in[BGP_OPEN], 1);
	CU_ASSERT_EQUAL(up.msg_out[BGP_OPEN], 1);
	/* r3's LAN and End-of-RIB in; End-of-RIB, then r1's LAN after the
	 * 30 s MRAI out */
	CU_ASSERT_EQUAL(up.msg_in[BGP_UPDATE], 2);
	CU_ASSERT_EQUAL(up.msg_out[BGP_UPDATE], 2);
	/* a KEEPALIVE every 2.25 to 3 s (3 s jittered) for about 65 s */
	CU_ASSERT(up.msg_in[BGP_KEEPALIVE] >= 1 + 65 / 3 &&
	    up.msg_in[BGP_KEEPALIVE] <= 1 + 65 * 4 / 9);
	CU_ASSERT_EQUAL(up.msgs_in, up.msg_in[BGP_OPEN] +
	    up.msg_in[BGP_UPDATE] + up.msg_in[BGP_KEEPALIVE]);
	run_advance(r, SIM_S(100));
	CU_ASSERT_EQUAL(bgp_speaker_peer_stats(speaker(r, "r2"), R2_R3, &st),
	    0);
	CU_ASSERT_EQUAL(bgp_speaker_peer_state(speaker(r, "r2"), R2_R3),
	    BGP_ST_ACTIVE);
	CU_ASSERT(st.last_rx < SIM_S(70) && st.last_rx >= SIM_S(67));
	CU_ASSERT_EQUAL(st.last_down, st.last_rx + SIM_S(9));
	CU_ASSERT_EQUAL(st.flaps, 1);
	CU_ASSERT_EQUAL(st.msg_out[BGP_NOTIFICATION], 1);
	CU_ASSERT_EQUAL(st.last_notif_sent[0], 4);	/* hold timer expired */
	/* nothing arrived after the link went down */
	CU_ASSERT_EQUAL(st.msgs_in, up.msgs_in + (st.msg_in[BGP_KEEPALIVE] -
	    up.msg_in[BGP_KEEPALIVE]));
	CU_ASSERT(st.msgs_out > up.msgs_out);
	query_bgp_updown(SIM_S(100) - st.last_down, ud, sizeof(ud));
	snprintf(line, sizeof(line), "\n10.0.0.6        4      65003 %7llu "
	    "%7llu %8s  Active\n", (unsigned long long)st.msgs_in,
	    (unsigned long long)st.msgs_out, ud);
	out = ask(r, sc, "r2", QUERY_BGP_SUMMARY, false);
	CU_ASSERT_PTR_NOT_NULL(strstr(out, line));
	free(out);
	/* the withdrawal reached r1: one UPDATE more, no prefix */
	CU_ASSERT_EQUAL(bgp_speaker_peer_stats(speaker(r, "r1"), R1_R2, &st),
	    0);
	CU_ASSERT_EQUAL(st.msg_in[BGP_UPDATE], 3);
	out = ask(r, sc, "r1", QUERY_BGP_SUMMARY | QUERY_BGP_TABLE, false);
	CU_ASSERT_PTR_NOT_NULL(strstr(out, " 00:01:39  0\n"));
	CU_ASSERT_PTR_NULL(strstr(out, "10.3.0.0/16"));
	free(out);
	/*
	 * Back up after l23 returns at 110 s: the counters went on across
	 * the flap (a second OPEN each way, the NOTIFICATION still there).
	 */
	run_advance(r, SIM_S(400));
	CU_ASSERT_EQUAL(bgp_speaker_peer_state(speaker(r, "r2"), R2_R3),
	    BGP_ST_ESTABLISHED);
	CU_ASSERT_EQUAL(bgp_speaker_peer_stats(speaker(r, "r2"), R2_R3, &up),
	    0);
	CU_ASSERT_EQUAL(up.msg_in[BGP_OPEN], 2);
	CU_ASSERT_EQUAL(up.msg_out[BGP_OPEN], 2);
	CU_ASSERT_EQUAL(up.msg_out[BGP_NOTIFICATION], 1);
	CU_ASSERT(up.msgs_in > st.msgs_in && up.msgs_out > st.msgs_out);
	CU_ASSERT(up.last_established > SIM_S(110));
	run_free(r);
	scenario_free(sc);
}

/* Each directly connected neighbour with the MAC of the link's far end,
 * then the interface's own address. */
static void
test_arp(void)
{
	struct scenario *sc;
	struct run *r = start_run(&sc);
	char *out;

	run_advance(r, SIM_S(10));
	out = ask(r, sc, "r2", QUERY_BGP_ARP, false);
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "\nARP table (no ARP in the "
	    "simulation: age 0, a neighbour's MAC is the far end's of the "
	    "link)\n"
	    "Age  Interface        IP address       MAC address\n"
	    "  0  a                10.0.0.1         0200.0000.0101\n"
	    "  0  a                10.0.0.2         0200.0000.0201\n"
	    "  0  b                10.0.0.6         0200.0000.0301\n"
	    "  0  b                10.0.0.5         0200.0000.0202\n"));
	free(out);
	/* r1's VRF blue interface has no neighbour: no row */
	out = ask(r, sc, "r1", QUERY_BGP_ARP, false);
	CU_ASSERT_PTR_NOT_NULL(strstr(out,
	    "  0  a                10.0.0.2         0200.0000.0201\n"
	    "  0  a                10.0.0.1         0200.0000.0101\n"));
	CU_ASSERT_PTR_NULL(strstr(out, "10.7.0.1"));
	free(out);
	run_free(r);
	scenario_free(sc);
}

static void
test_json(void)
{
	struct scenario *sc;
	struct run *r = start_run(&sc);
	char *out;

	run_advance(r, SIM_S(65));
	out = ask(r, sc, "r1", QUERY_BGP_ALL, true);
	CU_ASSERT_STRING_EQUAL(out, "{\"table\": \"r1/default\", "
	    "\"at_ns\": 65000000000, \"local_as\": 65001, "
	    "\"router_id\": \"10.1.0.1\", "
	    "\"routes\": [{\"network\": \"10.1.0.0/16\", \"next_hop\": "
	    "\"0.0.0.0\", \"local_pref\": 100, \"weight\": 0, \"path\": \"i\", "
	    "\"best\": true}, {\"network\": \"10.3.0.0/16\", \"next_hop\": "
	    "\"10.0.0.2\", \"local_pref\": 100, \"weight\": 0, \"path\": "
	    "\"65002 65003 i\", \"best\": true}], "
	    "\"summary\": [{\"neighbor\": \"10.0.0.2\", \"version\": 4, "
	    "\"as\": 65002, \"msg_rcvd\": 6, \"msg_sent\": 6, \"up_down\": "
	    "\"00:01:04\", \"up_down_ns\": 64959996720, \"state\": "
	    "\"Established\", \"prefixes_received\": 1, \"state_pfx_rcd\": "
	    "\"1\", \"received\": {\"open\": 1, \"update\": 2, "
	    "\"notification\": 0, \"keepalive\": 3, \"route_refresh\": 0}, "
	    "\"sent\": {\"open\": 1, \"update\": 2, \"notification\": 0, "
	    "\"keepalive\": 3, \"route_refresh\": 0}}], "
	    "\"arp\": [{\"age\": 0, \"interface\": \"a\", \"ip_address\": "
	    "\"10.0.0.2\", \"mac_address\": \"0200.0000.0201\", \"local\": "
	    "false}, {\"age\": 0, \"interface\": \"a\", \"ip_address\": "
	    "\"10.0.0.1\", \"mac_address\": \"0200.0000.0101\", \"local\": "
	    "true}]}\n");
	free(out);
	/* one part only; a session that is down has no prefix count */
	run_advance(r, SIM_S(100));
	out = ask(r, sc, "r2", QUERY_BGP_SUMMARY, true);
	CU_ASSERT_PTR_NULL(strstr(out, "\"routes\""));
	CU_ASSERT_PTR_NULL(strstr(out, "\"arp\""));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "\"state\": \"Active\", "
	    "\"prefixes_received\": null, \"state_pfx_rcd\": \"Active\""));
	free(out);
	run_free(r);
	scenario_free(sc);
}

/* Before any session: never up, no routes learnt. */
static void
test_at_start_and_errors(void)
{
	struct scenario *sc;
	struct run *r = start_run(&sc);
	struct query_table t;
	char err[256], *buf = NULL;
	size_t blen = 0;
	FILE *f;

	run_advance(r, 0);
	buf = ask(r, sc, "r2", QUERY_BGP_SUMMARY | QUERY_BGP_TABLE, false);
	CU_ASSERT_PTR_NOT_NULL(strstr(buf, "Path\n(no routes)\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(buf, "\n10.0.0.1        4      65001 "
	    "      0       0    never  Active\n"));
	free(buf);
	buf = NULL;
	CU_ASSERT_EQUAL_FATAL(query_resolve(run_net(r), sc, "r1/blue", &t, err,
	    sizeof(err)), 0);
	f = open_memstream(&buf, &blen);
	CU_ASSERT_EQUAL(query_bgp(f, r, &t, QUERY_BGP_ALL, false, err,
	    sizeof(err)), -1);
	fclose(f);
	CU_ASSERT_EQUAL(blen, 0);
	free(buf);
	CU_ASSERT_STRING_EQUAL(err, "r1/blue runs no BGP (node r1 runs it in "
	    "VRF default)");
	CU_ASSERT_EQUAL_FATAL(query_resolve(run_net(r), sc, "h1", &t, err,
	    sizeof(err)), 0);
	CU_ASSERT_PTR_NULL(query_bgp_speaker(r, &t, err, sizeof(err)));
	CU_ASSERT_STRING_EQUAL(err, "h1/default runs no BGP");
	run_free(r);
	scenario_free(sc);
}

/*
 * The parts alone, as a larger view puts them together (a circuit's two
 * routers in one object): each returns its rows.
 */
static void
test_parts(void)
{
	struct scenario *sc;
	struct run *r = start_run(&sc);
	const char *names[2] = { "r1", "r3" };
	struct bgp_speaker *sp;
	struct query_table t;
	char *buf = NULL, err[256];
	size_t blen = 0, i;
	FILE *f;

	run_advance(r, SIM_S(65));
	f = open_memstream(&buf, &blen);
	fputc('{', f);
	for (i = 0; i < 2; i++) {
		CU_ASSERT_EQUAL_FATAL(query_resolve(run_net(r), sc, names[i],
		    &t, err, sizeof(err)), 0);
		sp = query_bgp_speaker(r, &t, err, sizeof(err));
		CU_ASSERT_PTR_NOT_NULL_FATAL(sp);
		fprintf(f, "%s\"%s\": {\"routes\": ", i ? ", " : "", names[i]);
		CU_ASSERT_EQUAL(query_bgp_table(f, sp, true), 2);
		fputs(", \"summary\": ", f);
		CU_ASSERT_EQUAL(query_bgp_summary(f, sp, true), 1);
		fputs(", \"arp\": ", f);
		CU_ASSERT_EQUAL(query_bgp_arp(f, sp, true), 2);
		fputc('}', f);
	}
	fputc('}', f);
	fclose(f);
	CU_ASSERT_PTR_NOT_NULL(strstr(buf, "{\"r1\": {\"routes\": [{\"network\": "
	    "\"10.1.0.0/16\", "));
	CU_ASSERT_PTR_NOT_NULL(strstr(buf, "}]}, \"r3\": {\"routes\": [{"
	    "\"network\": \"10.1.0.0/16\", \"next_hop\": \"10.0.0.5\", "
	    "\"local_pref\": 100, \"weight\": 0, \"path\": \"65002 65001 i\", "
	    "\"best\": true}, {\"network\": \"10.3.0.0/16\", \"next_hop\": "
	    "\"0.0.0.0\", "));
	CU_ASSERT_PTR_NOT_NULL(strstr(buf, "\"arp\": [{\"age\": 0, "
	    "\"interface\": \"b\", \"ip_address\": \"10.0.0.5\", "
	    "\"mac_address\": \"0200.0000.0202\", \"local\": false}, "
	    "{\"age\": 0, \"interface\": \"b\", \"ip_address\": "
	    "\"10.0.0.6\", \"mac_address\": \"0200.0000.0301\", \"local\": "
	    "true}]}}"));
	free(buf);
	run_free(r);
	scenario_free(sc);
}

static char out_buf[1 << 15];

static void
test_cli(void)
{
	char *dir = test_tmpdir("/tmp/xcsim-qbgp-XXXXXX"), path[300];
	FILE *f;

	CU_ASSERT_PTR_NOT_NULL_FATAL(dir);
	snprintf(path, sizeof(path), "%s/three.yaml", dir);
	f = fopen(path, "w");
	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	fputs(text, f);
	fclose(f);
	CU_ASSERT_EQUAL(test_sh(out_buf, sizeof(out_buf), "%s bgp %s --node r1 "
	    "--at 65s --summary", XCSIM_BINARY, path), 0);
	CU_ASSERT_STRING_EQUAL(out_buf, "BGP of r1/default at 65s: local AS "
	    "65001, router id 10.1.0.1\n"
	    "\nRoute summary\n"
	    "Neighbor        V         AS MsgRcvd MsgSent  Up/Down  "
	    "State/PfxRcd\n"
	    "10.0.0.2        4      65002       6       6 00:01:04  1\n");
	/* all three by default; JSON */
	CU_ASSERT_EQUAL(test_sh(out_buf, sizeof(out_buf), "%s bgp %s --node r2 "
	    "--at 65s", XCSIM_BINARY, path), 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(out_buf, "\nRoute table\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out_buf, "\nRoute summary\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out_buf, "\nARP table "));
	CU_ASSERT_EQUAL(test_sh(out_buf, sizeof(out_buf), "%s bgp %s --node r1 "
	    "--at 65s --arp --json", XCSIM_BINARY, path), 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(out_buf, "\"arp\": [{\"age\": 0, "));
	CU_ASSERT_PTR_NULL(strstr(out_buf, "\"summary\""));
	CU_ASSERT_EQUAL(test_sh(out_buf, sizeof(out_buf), "%s bgp %s --node h1",
	    XCSIM_BINARY, path), 2);
	CU_ASSERT_STRING_EQUAL(out_buf, "xcsim bgp: h1/default runs no BGP\n");
	CU_ASSERT_EQUAL(test_sh(out_buf, sizeof(out_buf), "%s bgp %s --at",
	    XCSIM_BINARY, path), 2);
	CU_ASSERT_STRING_EQUAL(out_buf, "xcsim bgp: --at needs a value\n");
	CU_ASSERT_EQUAL(test_sh(out_buf, sizeof(out_buf), "%s bgp %s",
	    XCSIM_BINARY, path), 2);
	CU_ASSERT_PTR_NOT_NULL(strstr(out_buf, "--node NAME is required"));
}

static const struct test_case cases[] = {
	{ "Up/Down as routers print it", test_updown },
	{ "summary: message counts derived, Up/Down", test_summary_counts },
	{ "route table: next hop, LocPrf, weight, path", test_table },
	{ "a session a link-down took down, and back", test_session_down },
	{ "ARP rows with the far end's MAC", test_arp },
	{ "JSON", test_json },
	{ "the parts alone, two speakers in one object", test_parts },
	{ "before any session; no speaker", test_at_start_and_errors },
	{ "xcsim bgp", test_cli },
	{ NULL, NULL }
};

int
main(int argc, char **argv)
{
	return test_main(argc, argv, "query_bgp", cases);
}
