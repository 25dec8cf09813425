/*
 * test_scenario_bgp.c - BGP in scenario files (models/bgp/bgp_scenario*.c):
 * the prefix_lists, policies and bgp sections' errors with their exact
 * places and messages, scenarios/examples/bgp-failover.yaml passing at the
 * simulated times of its seed, each assertion kind failing when what it
 * asks is not so, the hold-timer-only failover that TCP's 15 retries make
 * possible, metrics.json's bgp member and byte-identical repeated runs.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "net.h"
#include "scenario.h"
#include "scenario_models.h"
#include "scenario_run.h"
#include "scenario_testutil.h"
#include "tcp.h"
#include "testutil.h"

#define EXAMPLE XCSIM_SOURCE_DIR "/scenarios/examples/bgp-failover.yaml"

static const char bad[] =
    "duration: 2s\n"
    "nodes:\n"
    "  - { name: r1, role: router, interfaces: [{ name: e0, address: "
    "10.0.0.1/30 }], routes: [{ prefix: 10.9.0.0/16, via: 10.0.0.2 }] }\n"
    "  - { name: r2, role: router, interfaces: [{ name: e0, address: "
    "10.0.0.2/30 }] }\n"
    "  - { name: r3, role: router, interfaces: [{ name: e0 }] }\n"
    "links:\n"
    "  - { name: l0, a: r1:e0, b: r2:e0 }\n"
    "prefix_lists:\n"
    "  - { name: vnets, entries: [{ prefix: 10.1.0.0/16, ge: 8 }] }\n"
    "policies:\n"						/* 10 */
    "  - { name: from-oracle, rules: [{ prefix_list: vnet }] }\n"
    "  - { name: to-oracle, rules: [{ as_path: \"^(12076\" }] }\n"
    "bgp:\n"
    "  - node: r1\n"
    "    asn: 0\n"						/* 15 */
    "    neighbors:\n"
    "      - { address: 10.0.0.2, remote_as: 23456, import: from-oracel }\n"
    "      - { address: 10.0.0.2, remote_as: 65002 }\n"
    "      - { address: 10.9.1.1, remote_as: 65002, rr_client: true }\n"
    "      - { address: 10.8.1.1, remote_as: 65002, ttl: 5 }\n" /* 20 */
    "      - { address: 10.0.0.1, remote_as: 65002 }\n"
    "      - { address: 10.0.0.6, remote_as: 4294967296 }\n"
    "  - { node: r1, asn: 65001 }\n"
    "  - node: r2\n"
    "    asn: 23456\n"					/* 25 */
    "    neighbors:\n"
    "      - { address: 10.0.0.1, remote_as: 0, hold: 2s }\n"
    "      - { address: 10.0.0.5, remote_as: 65001, hold: 1500ms, bfd: "
    "false, bfd_timers: { tx: 100ms } }\n"
    "  - { node: r3, asn: 65003 }\n"
    "  - { node: r4, asn: 4294967296 }\n"			/* 30 */
    "assertions:\n"
    "  - { kind: bgp-established, node: r3, peer: 10.0.0.1 }\n"
    "  - { kind: bgp-established, node: r1, peer: 10.0.0.9 }\n"
    "  - { kind: failover, node: r1, prefix: 10.2.0.0/16, at: 1s, within: "
    "1s, via: 10.0.0.2 }\n"
    "  - { kind: route, node: r2, prefix: 10.2.0.0/16, absent: true, via: "
    "10.0.0.1 }\n"						/* 35 */
    "  - { kind: converged, node: r5, quiet: 1s }\n"
    "  - { kind: route, node: l0, prefix: 10.2.0.0/16 }\n";

static void
test_bad_input(void)
{
	struct scenario *sc;
	unsigned n = 0;
	char *diag = NULL;

	sc = load(bad, &diag, &n);
	CU_ASSERT_PTR_NULL(sc);
	CU_ASSERT_EQUAL(n, 28);
	CU_ASSERT(has_error(diag, "9:57", "ge 8 must be above the prefix "
	    "length 16"));
	CU_ASSERT(has_error(diag, "11:49", "unknown prefix list 'vnet' (did "
	    "you mean 'vnets'?)"));
	/* an unknown list does not hide the other policies' problems */
	CU_ASSERT(has_error(diag, "12:43", "unmatched '(' (at character 2 of "
	    "the value)"));
	CU_ASSERT(has_error(diag, "15:10", "asn 0 is reserved (RFC 7607): an "
	    "AS number is 1..4294967295"));
	CU_ASSERT(has_error(diag, "17:41", "remote_as 23456 is AS_TRANS (RFC "
	    "6793), the stand-in a 2-octet speaker sees, not a real AS"));
	CU_ASSERT(has_error(diag, "17:56", "unknown policy 'from-oracel' (did "
	    "you mean 'from-oracle'?)"));
	CU_ASSERT(has_error(diag, "18:20", "duplicate neighbor 10.0.0.2 (first "
	    "at 17:20)"));
	CU_ASSERT(has_error(diag, "19:59", "rr_client on an eBGP neighbor "
	    "(remote_as 65002, asn 0): route reflection is iBGP's (RFC 4456)"));
	/* eBGP one hop: a route does not make it reachable */
	CU_ASSERT(has_error(diag, "19:20", "no interface of node 'r1' reaches "
	    "neighbor 10.9.1.1: not in a connected subnet (10.0.0.1/30); an "
	    "eBGP neighbor further away needs ttl (multihop) and a route"));
	CU_ASSERT(has_error(diag, "20:20", "no interface of node 'r1' reaches "
	    "neighbor 10.8.1.1: not in a connected subnet (10.0.0.1/30) and "
	    "no route of the node covers it"));
	CU_ASSERT(has_error(diag, "21:20", "neighbor 10.0.0.1 is an address "
	    "of node 'r1' itself (interface 'e0')"));
	CU_ASSERT(has_error(diag, "22:41", "'remote_as' 4294967296 is out of "
	    "range (0..4294967295)"));
	CU_ASSERT(has_error(diag, "23:13", "node 'r1' already has a bgp "
	    "speaker (at 14:5): one per node and VRF"));
	CU_ASSERT(has_error(diag, "25:10", "asn 23456 is AS_TRANS"));
	CU_ASSERT(has_error(diag, "27:9", "neighbor timers: hold time must be "
	    "0 or at least 3 s (RFC 4271 4.2)"));
	CU_ASSERT(has_error(diag, "27:41", "remote_as 0 is reserved"));
	/* a neighbour with other problems is still checked for reach */
	CU_ASSERT(has_error(diag, "28:20", "no interface of node 'r2' reaches "
	    "neighbor 10.0.0.5: not in a connected subnet (10.0.0.2/30); "));
	CU_ASSERT(has_error(diag, "28:54", "'hold' must be whole seconds"));
	CU_ASSERT(has_error(diag, "28:86", "bfd_timers with bfd: false"));
	CU_ASSERT(has_error(diag, "29:13", "node 'r3' has no numbered "
	    "interface to take a router id from: give router_id"));
	CU_ASSERT(has_error(diag, "30:13", "unknown node 'r4' (did you mean "
	    "'r1'?)"));
	CU_ASSERT(has_error(diag, "30:22", "'asn' 4294967296 is out of range "
	    "(0..4294967295)"));
	CU_ASSERT(has_error(diag, "32:46", "node 'r3' has no bgp neighbor "
	    "10.0.0.1"));
	CU_ASSERT(has_error(diag, "33:46", "node 'r1' has no bgp neighbor "
	    "10.0.0.9"));
	CU_ASSERT(has_error(diag, "34:58", "no event of the timeline is at 1s "
	    "(failover is measured from one)"));
	CU_ASSERT(has_error(diag, "35:59", "absent: true with via or as_path"));
	CU_ASSERT(has_error(diag, "36:30", "unknown node 'r5' (did you mean "
	    "'r1'?)"));
	CU_ASSERT(has_error(diag, "37:26", "unknown node 'l0'"));
	if (n != 28)
		fprintf(stderr, "%s", diag);
	free(diag);
}

static const char bad_pol[] =
    "nodes:\n"
    "  - { name: r1, role: router, interfaces: [{ name: e0, address: "
    "10.0.0.1/30 }] }\n"
    "prefix_lists:\n"
    "  - { name: vnets, entries: [{ prefix: 10.1.0.0/16, le: 8 }, { action: "
    "deny, prefix: 0.0.0.0/0 }] }\n"
    "  - { name: vnets, entries: [] }\n"				/* 5 */
    "policies:\n"
    "  - name: to-oracle\n"
    "    rules:\n"
    "      - { as_path: ^(12076 }\n"
    "      - { community: 12076:abc, then: continue }\n"	/* 10 */
    "      - { prefix_list: vnets, prepend_as: 65000, set_next_hop: 1.2.3 }\n"
    "  - { name: to-oracle }\n"
    "  - { name: x, rules: [{ then: maybe }] }\n";

static void
test_policy_errors(void)
{
	struct scenario *sc;
	unsigned n = 0;
	char *diag = NULL;

	sc = load(bad_pol, &diag, &n);
	CU_ASSERT_PTR_NULL(sc);
	CU_ASSERT_EQUAL(n, 8);
	CU_ASSERT(has_error(diag, "4:57", "le 8 must be above the prefix "
	    "length 16"));
	CU_ASSERT(has_error(diag, "5:13", "duplicate prefix list 'vnets' "
	    "(first defined at 4:13)"));
	/* the policy module's offset in the item, as a place in the value */
	CU_ASSERT(has_error(diag, "9:20", "unmatched '(' (at character 2 of "
	    "the value)"));
	CU_ASSERT(has_error(diag, "10:22", "'12076:abc' is not a community "
	    "ASN:VALUE"));
	CU_ASSERT(has_error(diag, "11:43", "prepend_as needs prepend (how "
	    "many copies)"));
	CU_ASSERT(has_error(diag, "11:64", "'1.2.3' is not an IPv4 address"));
	CU_ASSERT(has_error(diag, "12:13", "duplicate policy 'to-oracle' "
	    "(first defined at 7:11)"));
	CU_ASSERT(has_error(diag, "13:32", "unknown then 'maybe' (one of: "
	    "accept, reject, continue)"));
	if (n != 8)
		fprintf(stderr, "%s", diag);
	free(diag);
}

/* The example with from replaced by to (NULL: as it is). */
static struct scenario *
example_text(const char *text, const char *from, const char *to)
{
	struct scenario *sc;
	size_t len;
	char *buf, *at;

	len = strlen(text) + (to ? strlen(to) : 0) + 1;
	buf = malloc(len);
	if (from != NULL && (at = strstr(text, from)) != NULL)
		snprintf(buf, len, "%.*s%s%s", (int)(at - text), text, to,
		    at + strlen(from));
	else
		snprintf(buf, len, "%s", text);
	CU_ASSERT(from == NULL || strstr(text, from) != NULL);
	sc = scenario_load_buffer("t.yaml", buf, strlen(buf), stderr, NULL);
	free(buf);
	CU_ASSERT_PTR_NOT_NULL_FATAL(sc);
	return sc;
}

static struct scenario *
example(const char *from, const char *to)
{
	char *text = test_slurp(EXAMPLE, NULL);
	struct scenario *sc;

	CU_ASSERT_PTR_NOT_NULL_FATAL(text);
	sc = example_text(text, from, to);
	free(text);
	return sc;
}

/*
 * scenarios/emulation/msee-pair-cpe.yaml offline (xcsim run): without its
 * real CE, the simulated Oracle edge still peers with both MSEEs and its
 * LAN reaches them (tests/test_emu_msee_pair.c runs it emulated).
 */
static void
test_msee_pair_offline(void)
{
	char *text = test_slurp(XCSIM_SOURCE_DIR
	    "/scenarios/emulation/msee-pair-cpe.yaml", NULL);
	struct scenario *sc;
	char *diag = NULL, *out = NULL;
	unsigned n = 0;

	CU_ASSERT_PTR_NOT_NULL_FATAL(text);
	sc = load(text, &diag, &n);
	free(text);
	if (sc == NULL)
		fputs(diag, stderr);
	free(diag);
	CU_ASSERT_PTR_NOT_NULL_FATAL(sc);
	CU_ASSERT_EQUAL(sc_run_to_end(sc, 0, NULL, &out), 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "PASS: bgp session oracle-edge -> "
	    "10.255.1.1 Established by 5s: Established, first Established at "
	    "2.500453ms\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "PASS: bgp session oracle-edge -> "
	    "10.255.1.5 Established by 5s: Established, first Established at "
	    "2.500453ms\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "PASS: route 10.2.0.0/24 at "
	    "msee-primary at 5s via 10.255.1.2 path \"31898\": best via "
	    "10.255.1.2 path \"31898\" since 3.000544ms\n"));
	free(out);
	scenario_free(sc);
}

static void
test_example_passes(void)
{
	struct scenario *sc = example(NULL, NULL);
	char *out = NULL;

	CU_ASSERT_EQUAL(sc_run_to_end(sc, 0, NULL, &out), 0);
	/* eBGP up after the 3-way handshake and OPENs over 1ms links */
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "t.yaml:91: PASS: bgp session "
	    "msee-primary -> 192.168.100.129 Established by 10s: Established, "
	    "first Established at 4.00033ms\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "t.yaml:93: PASS: route "
	    "10.2.0.0/16 at msee-primary at 59s via 192.168.100.129 path "
	    "\"31898\": best via 192.168.100.129 path \"31898\" since "
	    "6.00042ms\n"));
	/* the prepended secondary loses to the iBGP peer's shorter path */
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "t.yaml:94: PASS: route "
	    "10.2.0.0/16 at msee-secondary at 59s via 10.0.255.1 path "
	    "\"31898\": best via 10.0.255.1 path \"31898\" since "
	    "6.100516ms\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "t.yaml:95: PASS: no Loc-RIB "
	    "change at any speaker in (40s, 60s]: last at 6.100516ms\n"));
	/* BFD's 900ms bound, then the iBGP peer's new best */
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "t.yaml:96: PASS: route "
	    "10.2.0.0/16 at msee-primary moves to 10.0.255.2 within 1s of 60s: "
	    "via 192.168.100.129 before, via 10.0.255.2 at 60.867706262s "
	    "(+867.706262ms)\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "t.yaml:97: PASS: route "
	    "10.2.0.0/16 at msee-secondary moves to 192.168.100.133 within 1s "
	    "of 60s: via 10.0.255.1 before, via 192.168.100.133 at "
	    "60.86760616s (+867.60616ms)\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "t.yaml:98: PASS: route "
	    "10.2.0.0/16 at msee-secondary at 90s via 192.168.100.133 path "
	    "\"31898 31898 31898\": best via 192.168.100.133 path \"31898 "
	    "31898 31898\" since 60.86760616s\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "t.yaml:99: PASS: no Loc-RIB "
	    "change at any speaker in (70s, 90s]: last at 60.895115182s\n"));
	free(out);
	scenario_free(sc);
}

static void
test_assertions_fail(void)
{
	struct scenario *sc;
	char *out = NULL;

	/* not yet Established 1ns before it is */
	sc = example("peer: 192.168.100.129, by: 10s", "peer: "
	    "192.168.100.129, by: 4000329ns");
	CU_ASSERT_EQUAL(sc_run_to_end(sc, 0, NULL, &out), 1);
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "t.yaml:91: FAIL: bgp session "
	    "msee-primary -> 192.168.100.129 Established by 4.000329ms: "
	    "OpenConfirm, first Established at 4.00033ms\n"));
	free(out);
	scenario_free(sc);
	/* the session is down at the end of the run */
	out = NULL;
	sc = example("peer: 192.168.100.129, by: 10s", "peer: "
	    "192.168.100.129");
	CU_ASSERT_EQUAL(sc_run_to_end(sc, 0, NULL, &out), 1);
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "t.yaml:91: FAIL: bgp session "
	    "msee-primary -> 192.168.100.129 Established by 90s: Connect, "));
	free(out);
	scenario_free(sc);
	/* a failover 1ns slower than allowed, and the wrong next hop */
	out = NULL;
	sc = example("within: 1s, via: 10.0.255.2", "within: 867706261ns, "
	    "via: 10.0.255.2");
	CU_ASSERT_EQUAL(sc_run_to_end(sc, 0, NULL, &out), 1);
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "t.yaml:96: FAIL: route "
	    "10.2.0.0/16 at msee-primary moves to 10.0.255.2 within "
	    "867.706261ms of 60s: via 192.168.100.129 before, via 10.0.255.2 "
	    "at 60.867706262s (+867.706262ms)\n"));
	free(out);
	scenario_free(sc);
	out = NULL;
	sc = example("within: 1s, via: 10.0.255.2", "within: 1s, via: "
	    "10.0.255.9");
	CU_ASSERT_EQUAL(sc_run_to_end(sc, 0, NULL, &out), 1);
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "t.yaml:96: FAIL: route "
	    "10.2.0.0/16 at msee-primary moves to 10.0.255.9 within 1s of 60s: "
	    "via 192.168.100.129 before, never via 10.0.255.9 after\n"));
	free(out);
	scenario_free(sc);
	/* without via: any other next hop; the one before is no move */
	out = NULL;
	sc = example("within: 1s, via: 10.0.255.2 }", "within: 1s }\n"
	    "  - { kind: failover, node: msee-primary, prefix: 10.1.0.0/16, "
	    "at: 60s, within: 1s }\n"
	    "  - { kind: route, node: msee-primary, prefix: 10.1.0.0/16, "
	    "as_path: \"\", at: 0s }");
	CU_ASSERT_EQUAL(sc_run_to_end(sc, 0, NULL, &out), 1);
	/* a network statement's route is a change at 0s (logged from then) */
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "t.yaml:98: PASS: route "
	    "10.1.0.0/16 at msee-primary at 0s path \"\": best via 0.0.0.0 "
	    "path \"\" since 0s\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "t.yaml:96: PASS: route "
	    "10.2.0.0/16 at msee-primary moves to another next hop within 1s "
	    "of 60s: via 192.168.100.129 before, via 10.0.255.2 at "
	    "60.867706262s (+867.706262ms)\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "t.yaml:97: FAIL: route "
	    "10.1.0.0/16 at msee-primary moves to another next hop within 1s "
	    "of 60s: via 0.0.0.0 before, never via another next hop after\n"));
	free(out);
	scenario_free(sc);
	/* route: another next hop, another path, absent when present */
	out = NULL;
	sc = example("as_path: \"31898 31898 31898\" }", "as_path: \"31898\" }\n"
	    "  - { kind: route, node: msee-primary, prefix: 10.2.0.0/16, "
	    "absent: true, at: 59s }\n"
	    "  - { kind: route, node: msee-primary, prefix: 10.9.0.0/16, "
	    "absent: true }\n"
	    "  - { kind: route, node: msee-primary, prefix: 10.9.0.0/16 }");
	CU_ASSERT_EQUAL(sc_run_to_end(sc, 0, NULL, &out), 3);
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "t.yaml:98: FAIL: route "
	    "10.2.0.0/16 at msee-secondary at 90s via 192.168.100.133 path "
	    "\"31898\": best via 192.168.100.133 path \"31898 31898 31898\" "
	    "since 60.86760616s\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "t.yaml:99: FAIL: route "
	    "10.2.0.0/16 at msee-primary at 59s absent: best via "
	    "192.168.100.129 path \"31898\" since 6.00042ms\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "t.yaml:100: PASS: route "
	    "10.9.0.0/16 at msee-primary at 90s absent: none\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "t.yaml:101: FAIL: route "
	    "10.9.0.0/16 at msee-primary at 90s: none\n"));
	free(out);
	scenario_free(sc);
	/* not converged in the second after the cut */
	out = NULL;
	sc = example("quiet: 20s, by: 60s", "quiet: 20s, by: 61s");
	CU_ASSERT_EQUAL(sc_run_to_end(sc, 0, NULL, &out), 1);
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "t.yaml:95: FAIL: no Loc-RIB "
	    "change at any speaker in (41s, 61s]: last at 60.895115182s\n"));
	free(out);
	scenario_free(sc);
}

/*
 * Without BFD the hold timer (180s) finds the cut: the session drops 180s
 * after the last KEEPALIVE before it. It does only because the section
 * gives BGP's nodes TCP data_retries 15: with the stack's 6, TCP gave up
 * on the unanswered KEEPALIVE first (at 233.672537097s).
 */
static char *
subst(char *text, const char *from, const char *to)
{
	char *at = strstr(text, from), *res;
	size_t len = strlen(text) + strlen(to) + 1;

	CU_ASSERT_PTR_NOT_NULL_FATAL(at);
	res = malloc(len);
	snprintf(res, len, "%.*s%s%s", (int)(at - text), text, to,
	    at + strlen(from));
	free(text);
	return res;
}

static void
test_hold_timer_failover(void)
{
	char *text = test_slurp(EXAMPLE, NULL);
	struct scenario *sc;
	char *out = NULL;

	CU_ASSERT_PTR_NOT_NULL_FATAL(text);
	while (strstr(text, "bfd: true") != NULL)
		text = subst(text, "bfd: true", "bfd: false");
	text = subst(text, "duration: 90s", "duration: 400s");
	sc = example_text(text, "within: 1s, via: 10.0.255.2",
	    "within: 200s, via: 10.0.255.2");
	free(text);
	CU_ASSERT_EQUAL(sc_run_to_end(sc, 0, NULL, &out), 1);
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "t.yaml:96: PASS: route "
	    "10.2.0.0/16 at msee-primary moves to 10.0.255.2 within 200s of "
	    "60s: via 192.168.100.129 before, via 10.0.255.2 at "
	    "236.534722433s (+176.534722433s)\n"));
	/* the other failover keeps its 1s bound */
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "t.yaml:97: FAIL: "));
	free(out);
	scenario_free(sc);
}

/*
 * Only BGP's connections get the 15 retries (the speaker's cfg.tcp): the
 * node's stack, which every other application's connection takes its
 * settings from, keeps the default 6. The hold-timer failover above shows
 * BGP's connections have 15.
 */
static void
test_tcp_retries_bgp_only(void)
{
	struct scenario *sc = example(NULL, NULL);
	struct run_opts o = { .out_dir = NULL };
	const char *nodes[] = { "msee-primary", "oracle-primary" };
	struct tcp_cfg def;
	char err[256];
	struct run *r;
	size_t i;

	tcp_cfg_default(&def);
	CU_ASSERT_EQUAL_FATAL(def.data_retries, 6);
	r = run_new(sc, &o, err, sizeof(err));
	CU_ASSERT_PTR_NOT_NULL_FATAL(r);
	run_advance(r, SIM_S(10));
	for (i = 0; i < 2; i++) {
		struct node *n = net_find_node(run_net(r), nodes[i]);

		CU_ASSERT_PTR_NOT_NULL_FATAL(n);
		CU_ASSERT_EQUAL(tcp_stack_cfg(tcp_stack_get(n))->data_retries,
		    6);
	}
	run_free(r);
	scenario_free(sc);
}

/*
 * A bfd section beside BGP's BFD: one struct bfd for both (else the second
 * bind of UDP 3784 on a node fails), and one session per peer.
 */
static void
test_bfd_shared(void)
{
	struct scenario *sc;
	char *out = NULL, *diag = NULL, *text;
	unsigned n = 0;

	sc = example("\nprefix_lists:", "\nbfd:\n  - { name: pair, a: "
	    "msee-primary, b: msee-secondary }\n  - { name: opair, a: "
	    "oracle-primary, b: oracle-secondary }\n\nprefix_lists:");
	CU_ASSERT_EQUAL(sc_run_to_end(sc, 0, NULL, &out), 0);
	/* the same times as without the sessions beside */
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "t.yaml:100: PASS: route "
	    "10.2.0.0/16 at msee-primary moves to 10.0.255.2 within 1s of 60s: "
	    "via 192.168.100.129 before, via 10.0.255.2 at 60.867706262s "
	    "(+867.706262ms)\n"));
	free(out);
	scenario_free(sc);
	text = test_slurp(EXAMPLE, NULL);
	CU_ASSERT_PTR_NOT_NULL_FATAL(text);
	text = subst(text, "\nprefix_lists:", "\nbfd:\n  - { name: primary, a: "
	    "msee-primary, b: oracle-primary }\n\nprefix_lists:");
	sc = load(text, &diag, &n);
	CU_ASSERT_PTR_NULL(sc);
	CU_ASSERT_EQUAL(n, 2);
	CU_ASSERT(has_error(diag, "69:74", "bfd session 'primary' already "
	    "runs to 192.168.100.129: a node has one BFD session per peer "
	    "(drop one; BGP does not hear the bfd section's)"));
	CU_ASSERT(has_error(diag, "81:88", "bfd session 'primary' already "
	    "runs to 192.168.100.130"));
	if (n != 2)
		fprintf(stderr, "%s", diag);
	free(diag);
	free(text);
}

/*
 * The neighbour keys reach the speaker: an import policy's local_pref
 * makes msee-secondary prefer its own eBGP route over the iBGP one, and a
 * max_prefix of 1 tears the session down (Cease 6/1) when a second prefix
 * comes.
 */
static void
test_neighbor_keys(void)
{
	struct scenario *sc;
	char *out = NULL, *text;

	text = test_slurp(EXAMPLE, NULL);
	CU_ASSERT_PTR_NOT_NULL_FATAL(text);
	text = subst(text, "\nbgp:", "\n  - name: prefer-own\n    rules: [{ "
	    "local_pref: 200 }]\n\nbgp:");
	text = subst(text, "description: oracle secondary", "description: "
	    "oracle secondary, import: prefer-own");
	text = subst(text, "networks: [{ prefix: 10.2.0.0/16 }]", "networks: "
	    "[{ prefix: 10.2.0.0/16 }, { prefix: 10.3.0.0/16 }]");
	text = subst(text, "description: oracle primary", "description: "
	    "oracle primary, max_prefix: { limit: 1 }");
	sc = example_text(text, "via: 10.0.255.1, as_path: \"31898\", at: 59s",
	    "via: 192.168.100.133, as_path: \"31898 31898 31898\", at: 59s");
	free(text);
	CU_ASSERT_EQUAL(sc_run_to_end(sc, 0, NULL, &out), 4);
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "t.yaml:97: PASS: route "
	    "10.2.0.0/16 at msee-secondary at 59s via 192.168.100.133 path "
	    "\"31898 31898 31898\": best via 192.168.100.133 path \"31898 "
	    "31898 31898\" since 6.000426ms\n"));
	/* the primary session never keeps two prefixes: down, stays down */
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "t.yaml:94: FAIL: bgp session "
	    "msee-primary -> 192.168.100.129 Established by 10s: Idle, first "
	    "Established at 4.00033ms\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "t.yaml:96: FAIL: route "
	    "10.2.0.0/16 at msee-primary at 59s via 192.168.100.129 path "
	    "\"31898\": best via 10.0.255.2 path \"31898 31898 31898\" since "
	    "6.100528ms\n"));
	free(out);
	scenario_free(sc);
}

/*
 * A speaker in a VRF: its neighbour is checked against the VRF's
 * interfaces, its sessions and BFD (the section's own struct bfd, there
 * being no bfd section) run in it.
 */
static void
test_vrf(void)
{
	static const char text[] =
	    "duration: 5s\n"
	    "nodes:\n"
	    "  - { name: r1, role: router, interfaces: [{ name: e0, address: "
	    "10.0.0.1/30, vrf: red }, { name: e1, address: 10.0.1.1/30 }] }\n"
	    "  - { name: r2, role: router, interfaces: [{ name: e0, address: "
	    "10.0.0.2/30 }] }\n"
	    "links:\n"
	    "  - { name: l0, a: r1:e0, b: r2:e0, delay: 1ms }\n"
	    "bgp:\n"
	    "  - { node: r1, vrf: red, asn: 65001, networks: [{ prefix: "
	    "10.5.0.0/16 }], neighbors: [{ address: 10.0.0.2, remote_as: "
	    "65002, bfd: true }] }\n"
	    "  - { node: r2, asn: 65002, neighbors: [{ address: 10.0.0.1, "
	    "remote_as: 65001, bfd: true }] }\n"
	    "assertions:\n"
	    "  - { kind: bgp-established, node: r2, peer: 10.0.0.1, by: 1s }\n"
	    "  - { kind: route, node: r2, prefix: 10.5.0.0/16, via: 10.0.0.1, "
	    "as_path: \"65001\" }\n"
	    "  - { kind: converged, node: r2, quiet: 3s }\n";
	struct scenario *sc;
	char *out = NULL, *diag = NULL, *alt;
	unsigned n = 0;

	sc = example_text(text, NULL, NULL);
	CU_ASSERT_EQUAL(sc_run_to_end(sc, 0, NULL, &out), 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "t.yaml:11: PASS: bgp session r2 "
	    "-> 10.0.0.1 Established by 1s: Established, first Established "
	    "at 4.00033ms\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "t.yaml:13: PASS: no Loc-RIB "
	    "change at r2 in (2s, 5s]: last at 6.000543ms\n"));
	free(out);
	scenario_free(sc);
	/* in the default VRF r1 has only 10.0.1.1/30 */
	alt = subst(strdup(text), "vrf: red, asn", "asn");
	sc = load(alt, &diag, &n);
	CU_ASSERT_PTR_NULL(sc);
	CU_ASSERT(has_error(diag, "8:89", "no interface of node 'r1' reaches "
	    "neighbor 10.0.0.2: not in a connected subnet (10.0.1.1/30); "));
	free(diag);
	diag = NULL;
	free(alt);
	alt = subst(strdup(text), "vrf: red, asn", "vrf: blue, asn");
	sc = load(alt, &diag, &n);
	CU_ASSERT_PTR_NULL(sc);
	CU_ASSERT(has_error(diag, "8:22", "node 'r1' has no interface in vrf "
	    "blue"));
	free(diag);
	free(alt);
}

static void
test_metrics_and_determinism(void)
{
	struct scenario *sc = example(NULL, NULL);
	char *base = test_tmpdir("/tmp/xcsim-bgpsc-XXXXXX"), d1[300], d2[300],
	    p1[400], p2[400];
	const char *files[] = { "metrics.json", "trace.xct" };
	char *out = NULL, *a, *b;
	size_t la = 0, lb = 0, i;

	CU_ASSERT_PTR_NOT_NULL_FATAL(base);
	snprintf(d1, sizeof(d1), "%s/one", base);
	snprintf(d2, sizeof(d2), "%s/two", base);
	CU_ASSERT_EQUAL(sc_run_to_end(sc, 0, d1, &out), 0);
	free(out);
	out = NULL;
	CU_ASSERT_EQUAL(sc_run_to_end(sc, 0, d2, &out), 0);
	free(out);
	for (i = 0; i < 2; i++) {
		snprintf(p1, sizeof(p1), "%s/%s", d1, files[i]);
		snprintf(p2, sizeof(p2), "%s/%s", d2, files[i]);
		a = test_slurp(p1, &la);
		b = test_slurp(p2, &lb);
		CU_ASSERT_PTR_NOT_NULL_FATAL(a);
		CU_ASSERT_PTR_NOT_NULL_FATAL(b);
		CU_ASSERT(la == lb && memcmp(a, b, la) == 0);
		if (i == 0) {
			CU_ASSERT_PTR_NOT_NULL(strstr(a, "\"bgp\": {\n    "
			    "\"sessions\": [\n      {\"node\":\"msee-primary\","
			    "\"peer\":\"192.168.100.129\",\"local_as\":12076,"
			    "\"remote_as\":31898,\"state\":\"Connect\","
			    "\"time_to_established_ns\":4000330,"
			    "\"first_established_ns\":4000330,"
			    "\"last_down_ns\":60867506086,\"flaps\":1,"
			    "\"updates_in\":2,\"updates_out\":2,"
			    "\"prefixes_in\":1,\"prefixes_out\":1,"
			    "\"withdrawn_in\":0,\"withdrawn_out\":0,"
			    "\"max_prefix_teardowns\":0,"
			    "\"last_notification_sent\":{\"code\":6,"
			    "\"subcode\":10,\"name\":\"Cease / BFD Down\"},"
			    "\"last_notification_received\":null}"));
			/* 60s + 895.115182ms: oracle-primary's last change */
			CU_ASSERT_PTR_NOT_NULL(strstr(a, "\"events\": [\n      "
			    "{\"at_ns\":60000000000,\"action\":\"link-down\","
			    "\"line\":88,\"loc_rib_changes\":4,"
			    "\"convergence_ns\":895115182}\n    ]\n  }"));
		}
		free(a);
		free(b);
	}
	scenario_free(sc);
}

static const struct test_case cases[] = {
	{ "bad bgp sections and assertions, exact messages", test_bad_input },
	{ "bad prefix lists and policies, exact messages",
	    test_policy_errors },
	{ "the bgp-failover example passes at exact times",
	    test_example_passes },
	{ "msee-pair-cpe.yaml offline: the Oracle edge behind the MSEEs",
	    test_msee_pair_offline },
	{ "each kind fails when what it asks is not so",
	    test_assertions_fail },
	{ "hold timer failover: TCP outlasts the hold time",
	    test_hold_timer_failover },
	{ "TCP data_retries 15 on BGP's connections only",
	    test_tcp_retries_bgp_only },
	{ "a bfd section shares BGP's struct bfd, not its peers",
	    test_bfd_shared },
	{ "neighbour keys reach the speaker: import policy, max_prefix",
	    test_neighbor_keys },
	{ "a speaker in a VRF", test_vrf },
	{ "metrics.json's bgp member; repeated runs are identical",
	    test_metrics_and_determinism },
	{ NULL, NULL }
};

int
main(int argc, char **argv)
{
	scenario_models_init();
	return test_main(argc, argv, "scenario_bgp", cases);
}
