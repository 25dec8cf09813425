/*
 * test_ipsec_scenario.c - the ipsec section and the ipsec-established /
 * ipsec-fails assertion kinds (models/ipsec/ipsec_scenario*.c): bad input
 * with its exact messages, scenarios/examples/ipsec-vpn.yaml passing with
 * exact simulated times (BGP over the tunnel's APIPA addresses, the ping
 * RTT, need-frag for DF, fragmented ESP without), a wrong key on one end,
 * the per-tunnel metrics, the outer packets' sizes in the pcap as tshark
 * reads them, and byte-identical repeated runs.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scenario.h"
#include "scenario_models.h"
#include "scenario_run.h"
#include "scenario_testutil.h"
#include "testutil.h"

#define EXAMPLE XCSIM_SOURCE_DIR "/scenarios/examples/ipsec-vpn.yaml"
#define EXAMPLE_IKE XCSIM_SOURCE_DIR "/scenarios/examples/ipsec-ikev2.yaml"

static const char bad[] =
    "duration: 2s\n"
    "nodes:\n"
    "  - { name: r1, role: router, interfaces: [{ name: wan, address: "
    "20.0.0.1/30 }, { name: t1, address: 169.254.0.1/30 }, { name: t2 }] }\n"
    "  - { name: r2, role: router, interfaces: [{ name: wan, address: "
    "20.0.0.2/30 }, { name: t1 }, { name: t3 }, { name: t4 }, { name: t5 }, "
    "{ name: t6 }] }\n"
    "links:\n"
    "  - { name: l0, a: r1:wan, b: r2:wan }\n"
    "ipsec:\n"
    "  - { name: a, node: r1, interface: t1, local: 20.0.0.1, remote: "
    "20.0.0.2, keying: manual, manual: { spi_in: 0x100, spi_out: 0x200 } }\n"
    "  - { name: b, node: r3, interface: t1, local: 20.0.0.2, remote: "
    "20.0.0.1 }\n"							/* 9 */
    "  - { name: c, node: r2, interface: wan, local: 20.0.0.2, remote: "
    "20.0.0.1 }\n"
    "  - { name: d, node: r2, interface: t1, local: 20.0.0.9, remote: "
    "20.0.0.1 }\n"
    "  - { name: e, node: r1, interface: t1, local: 20.0.0.1, remote: "
    "20.0.0.2, keying: manual, manual: { spi_in: 0x100, spi_out: 0x200 } }\n"
    "  - { name: f, node: r1, interface: t2, local: 20.0.0.1, remote: "
    "20.0.0.2, keying: manual, manual: { spi_in: 0x100, spi_out: 0x10 } }\n"
    "  - { name: g, node: r1, interface: t9, local: 20.0.0.1, remote: "
    "20.0.0.2 }\n"							/* 14 */
    "  - { name: h, node: r2, interface: t6, local: 20.0.0.2, remote: "
    "20.0.0.2 }\n"
    "  - { name: i, node: r2, interface: t1, local: 20.0.0.2, remote: "
    "20.0.0.1, keying: manual }\n"
    "  - { name: j, node: r2, interface: t3, local: 20.0.0.2, remote: "
    "20.0.0.1, keying: manual, manual: { spi_in: 0x300, spi_out: 0x400, "
    "encr: aes-gcm-128, integ: sha1-96 } }\n"
    "  - { name: k, node: r2, interface: t4, local: 20.0.0.2, remote: "
    "20.0.0.1, psk: x, ike: { proposals: [{ encr: aes-cbc-256 }] } }\n"
    "  - { name: l, node: r2, interface: t5, local: 20.0.0.2, remote: "
    "20.0.0.1, nat_t: true }\n"					/* 19 */
    "  - { name: m, node: r1, interface: t1, local: 169.254.0.1, remote: "
    "20.0.0.2 }\n"
    "assertions:\n"
    "  - { kind: ipsec-established, tunnel: x }\n"
    "  - { kind: ipsec-fails, tunnel: a, reason: invalid-ke }\n"
    "  - { kind: ipsec-fails, tunnel: b, reason: wrong }\n";

static void
test_bad_input(void)
{
	struct scenario *sc;
	unsigned n = 0;
	char *diag = NULL;

	scenario_models_init();
	sc = load(bad, &diag, &n);
	CU_ASSERT_PTR_NULL(sc);
	CU_ASSERT(has_error(diag, "9:22", "unknown node 'r3' (did you mean "));
	CU_ASSERT(has_error(diag, "10:37", "interface r2:wan is on link 'l0': "
	    "a tunnel interface has no link (add one with only an address "
	    "to the node)"));
	CU_ASSERT(has_error(diag, "11:48", "local 20.0.0.9 is not an address "
	    "of node r2 (its addresses: 20.0.0.2)"));
	CU_ASSERT(has_error(diag, "12:37", "interface r1:t1 is tunnel 'a''s "
	    "already (at 8:5)"));
	CU_ASSERT(has_error(diag, "13:126", "'spi_out' 0x10 is out of range "
	    "(256..4294967295)"));
	CU_ASSERT(has_error(diag, "13:110", "spi_in 0x100 is taken on node r1 "
	    "by tunnel 'a' (at 8:5): an inbound SPI names one SA"));
	CU_ASSERT(has_error(diag, "14:37", "node 'r1' has no interface 't9' "
	    "(did you mean 't1'?)"));
	CU_ASSERT(has_error(diag, "15:66", "remote 20.0.0.2 is an address of "
	    "node r2 itself"));
	CU_ASSERT(has_error(diag, "16:84", "keying manual needs manual: "
	    "{spi_in, spi_out, encr, integ}"));
	CU_ASSERT(has_error(diag, "17:159", "AES-GCM is combined mode: it takes "
	    "no integrity algorithm (RFC 4106)"));
	CU_ASSERT(has_error(diag, "18:5", "keying ikev2 needs child: "
	    "{proposals: [{encr, integ, pfs}]}"));
	CU_ASSERT(has_error(diag, "18:103", "an ike proposal needs dh (its key "
	    "exchange group)"));
	/* nat_t with ikev2 is fine: what is missing is not */
	CU_ASSERT(has_error(diag, "19:5", "keying ikev2 needs a psk (the "
	    "pre-shared key IKE_AUTH proves)"));
	CU_ASSERT(has_error(diag, "20:48", "local 169.254.0.1 is the tunnel "
	    "interface's own address"));
	CU_ASSERT(has_error(diag, "22:40", "unknown ipsec tunnel 'x'"));
	CU_ASSERT(has_error(diag, "23:34", "ipsec tunnel 'a' is keyed by "
	    "hand: there is no IKE to fail"));
	CU_ASSERT(has_error(diag, "24:45", "unknown reason 'wrong' (one of: "
	    "no-proposal-chosen, "));
	if (n != 19)
		fprintf(stderr, "%s", diag);
	CU_ASSERT_EQUAL(n, 19);
	free(diag);
}

/* UDP 4500 of one outer VRF is either IKE's or manual NAT-T's. */
static void
test_nat_t_conflict(void)
{
	struct scenario *sc;
	unsigned n = 0;
	char *diag = NULL;

	sc = load("nodes:\n"
	    "  - { name: r1, role: router, interfaces: [{ name: wan, address: "
	    "20.0.0.1/30 }, { name: t1 }, { name: t2 }] }\n"
	    "  - { name: r2, role: router, interfaces: [{ name: wan, address: "
	    "20.0.0.2/30 }] }\n"
	    "links:\n"
	    "  - { name: l0, a: r1:wan, b: r2:wan }\n"
	    "ipsec:\n"
	    "  - { name: a, node: r1, interface: t1, local: 20.0.0.1, remote: "
	    "20.0.0.2, psk: k, ike: { proposals: [{ encr: aes-cbc-128, integ: "
	    "sha1-96, dh: 14 }] }, child: { proposals: [{ encr: aes-gcm-128 "
	    "}] } }\n"
	    "  - { name: b, node: r1, interface: t2, local: 20.0.0.1, remote: "
	    "20.0.0.9, keying: manual, nat_t: true, manual: { spi_in: 0x100, "
	    "spi_out: 0x200 } }\n", &diag, &n);
	CU_ASSERT_PTR_NULL(sc);
	CU_ASSERT_EQUAL(n, 1);
	CU_ASSERT(has_error(diag, "8:48", "tunnel 'a' (at 7:5) and this one "
	    "share node r1's outer VRF: UDP 4500 there is IKE's or manual "
	    "NAT-T's, not both"));
	if (n != 1)
		fprintf(stderr, "%s", diag);
	free(diag);
}

/*
 * Review 8: what the run's ike_policy_check refuses is refused at load, at
 * the proposal's line, naming tunnel and proposal; lifetimes under 60 s
 * and DPD / restart intervals under 1 s too (docs/ipsec.md "Timers").
 */
static void
test_bad_proposals_timers(void)
{
	struct scenario *sc;
	unsigned n = 0;
	char *diag = NULL;

	sc = load("nodes:\n"
	    "  - { name: r1, role: router, interfaces: [{ name: wan, address: "
	    "20.0.0.1/30 }, { name: t1 }, { name: t2 }, { name: t3 }, "
	    "{ name: t4 }] }\n"
	    "  - { name: r2, role: router, interfaces: [{ name: wan, address: "
	    "20.0.0.2/30 }] }\n"
	    "links:\n"
	    "  - { name: l0, a: r1:wan, b: r2:wan }\n"
	    "ipsec:\n"
	    "  - { name: a, node: r1, interface: t1, local: 20.0.0.1, remote: "
	    "20.0.0.2, psk: k, ike: { proposals: [{ encr: aes-gcm-256, integ: "
	    "sha256-128, dh: 14 }] }, child: { proposals: [{ encr: aes-gcm-128 "
	    "}] } }\n"
	    "  - { name: b, node: r1, interface: t2, local: 20.0.0.1, remote: "
	    "20.0.0.2, psk: k, ike: { proposals: [{ encr: aes-cbc-128, integ: "
	    "sha1-96, dh: 14 }, { encr: 3des, integ: sha1-96, prf: sha1, "
	    "dh: 0 }] }, child: { proposals: [{ encr: aes-gcm-128 }] } }\n"
	    "  - { name: c, node: r1, interface: t3, local: 20.0.0.1, remote: "
	    "20.0.0.2, psk: k, ike: { proposals: [{ encr: aes-cbc-128, integ: "
	    "sha1-96, dh: 14 }] }, child: { proposals: [{ encr: aes-gcm-128, "
	    "pfs: 999 }] } }\n"
	    "  - { name: d, node: r1, interface: t4, local: 20.0.0.1, remote: "
	    "20.0.0.2, psk: k, ike: { proposals: [{ encr: aes-cbc-128, integ: "
	    "sha1-96, dh: 14 }], lifetime: 1ns, dpd: 1ns, restart: 500ms }, "
	    "child: { proposals: [{ encr: aes-gcm-128 }], lifetime: 59s } }\n",
	    &diag, &n);
	CU_ASSERT_PTR_NULL(sc);
	CU_ASSERT(has_error(diag, "7:103", "tunnel a, ike proposal 1: AES-GCM "
	    "takes no integ (its ICV is its own, RFC 5282)"));
	CU_ASSERT(has_error(diag, "8:150", "tunnel b, ike proposal 2: dh 0 is "
	    "not a key exchange group (one of 1, 2, 5, 14, "));
	CU_ASSERT(has_error(diag, "9:174", "tunnel c, child proposal 1: pfs "
	    "999 is not a key exchange group (0 for none, or one of 1, 2, "));
	CU_ASSERT(has_error(diag, "10:161", "tunnel d: ike lifetime 1ns is "
	    "below 60s"));
	CU_ASSERT(has_error(diag, "10:171", "tunnel d: dpd 1ns is below 1s "
	    "(0s turns it off)"));
	CU_ASSERT(has_error(diag, "10:185", "tunnel d: restart 500ms is below "
	    "1s (0s turns it off)"));
	CU_ASSERT(has_error(diag, "10:249", "tunnel d: child lifetime 59s is "
	    "below 60s"));
	if (n != 7)
		fprintf(stderr, "%s", diag);
	CU_ASSERT_EQUAL(n, 7);
	free(diag);
}

/*
 * The example at path with each pairs[2i] replaced by pairs[2i + 1]
 * (pairs NULL-terminated; NULL: as it is).
 */
static struct scenario *
example_at(const char *path, const char *const *pairs)
{
	char *text = test_slurp(path, NULL), *at, *buf;
	struct scenario *sc;
	size_t len;

	CU_ASSERT_PTR_NOT_NULL_FATAL(text);
	for (; pairs != NULL && pairs[0] != NULL; pairs += 2) {
		at = strstr(text, pairs[0]);
		CU_ASSERT_PTR_NOT_NULL_FATAL(at);
		len = strlen(text) + strlen(pairs[1]) + 1;
		buf = malloc(len);
		snprintf(buf, len, "%.*s%s%s", (int)(at - text), text, pairs[1],
		    at + strlen(pairs[0]));
		free(text);
		text = buf;
	}
	sc = scenario_load_buffer("t.yaml", text, strlen(text), stderr, NULL);
	free(text);
	CU_ASSERT_PTR_NOT_NULL_FATAL(sc);
	return sc;
}

static struct scenario *
example(const char *from, const char *to)
{
	const char *pairs[] = { from, to, NULL };

	return example_at(EXAMPLE, from != NULL ? pairs : NULL);
}

/*
 * One way: 98 bytes at 10 Gbit/s twice (79 ns each, rounded up), the ESP
 * packet of 84 + 72 = 156 bytes (170-byte frames, 1,360 ns at 1 Gbit/s)
 * twice, and 8.2 ms of propagation: RTT 2 x 8,202,878 ns.
 */
static void
test_example_passes(void)
{
	struct scenario *sc = example(NULL, NULL);
	char *out = NULL;

	CU_ASSERT_EQUAL(sc_run_to_end(sc, 0, NULL, &out), 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "t.yaml:93: PASS: ipsec tunnel "
	    "'azure-t1' established by 1ms: up since 0s (manual keying, SPI "
	    "out 0x200)\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "t.yaml:95: PASS: bgp session "
	    "vpngw -> 169.254.21.1 Established by 5s"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "t.yaml:96: PASS: ping-succeeds "
	    "ping [0s, end): 5/5 replies, max rtt 16.405756ms <= 17ms\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "t.yaml:98: PASS: ping-fails "
	    "big-df [0s, end): 0/2 replies\n"));
	free(out);
	scenario_free(sc);
}

/*
 * gate: a manual tunnel whose gate opens at 12 s and closes at 13.5 s is
 * up exactly then (its pair installed at the opening, removed at the
 * closing), at both ends; before and after, ESP finds no SA.
 */
static void
test_manual_gate(void)
{
	const char *pairs[] = {
		"ipsec:\n  - name: azure-t1\n",
		"gates:\n  - { name: t, open: false, changes: [{ at: 12s, open: "
		    "true }, { at: 13500ms, open: false }] }\nipsec:\n"
		    "  - name: azure-t1\n    gate: t\n",
		"  - name: oci-t1\n", "  - name: oci-t1\n    gate: t\n",
		"assertions:\n", "assertions:\n"
		    "  - { kind: ipsec-established, tunnel: azure-t1, by: 12s }\n"
		    "  - { kind: ipsec-established, tunnel: oci-t1, by: 13s }\n"
		    "  - { kind: ipsec-established, tunnel: oci-t1, by: "
		    "13499999999ns }\n"
		    "  - { kind: ipsec-established, tunnel: oci-t1, by: 13500ms }\n",
		NULL };
	struct scenario *sc = example_at(EXAMPLE, pairs);
	char *out = NULL;

	(void)sc_run_to_end(sc, 0, NULL, &out);
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "PASS: ipsec tunnel 'azure-t1' "
	    "established by 12s: up since 12s (manual keying, SPI out "
	    "0x200)\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "PASS: ipsec tunnel 'oci-t1' "
	    "established by 13s: up since 12s"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "PASS: ipsec tunnel 'oci-t1' "
	    "established by 13.499999999s: up since 12s"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "FAIL: ipsec tunnel 'oci-t1' "
	    "established by 13.5s: down\n"));
	/* the example's own: up at 1 ms no longer */
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "FAIL: ipsec tunnel 'azure-t1' "
	    "established by 1ms: down\n"));
	free(out);
	scenario_free(sc);
}

/*
 * gate with keying ikev2, both ends on one gate: closed at time zero,
 * open at 1 s, closed again at 1.01 s in the middle of the handshake (the
 * SAs are dropped without a word), open at 2 s: the handshake starts
 * afresh then and both ends are up the example's delays after 2 s;
 * closed at 5 s while up: Azure's Delete goes out and both are down.
 */
static void
test_ikev2_gate(void)
{
	const char *pairs[] = {
		"ipsec:\n  - name: azure-t1\n",
		"gates:\n  - { name: t, open: false, changes: [{ at: 1s, open: "
		    "true }, { at: 1010ms, open: false }, { at: 2s, open: true }, "
		    "{ at: 5s, open: false }] }\nipsec:\n"
		    "  - name: azure-t1\n    gate: t\n",
		"  - name: oci-t1\n", "  - name: oci-t1\n    gate: t\n",
		"assertions:\n", "assertions:\n"
		    "  - { kind: ipsec-established, tunnel: azure-t1, by: 4s }\n"
		    "  - { kind: ipsec-established, tunnel: oci-t1, by: 4s }\n"
		    "  - { kind: ipsec-established, tunnel: azure-t1, by: 5s }\n",
		NULL };
	struct scenario *sc = example_at(EXAMPLE_IKE, pairs);
	char *out = NULL;

	(void)sc_run_to_end(sc, 0, NULL, &out);
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "PASS: ipsec tunnel 'azure-t1' "
	    "established by 4s: up since 2.032023424s"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "PASS: ipsec tunnel 'oci-t1' "
	    "established by 4s: up since 2.024019424s"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "FAIL: ipsec tunnel 'azure-t1' "
	    "established by 5s: down\n"));
	free(out);
	scenario_free(sc);
}

/* Another key at one end: ICV mismatch, nothing crosses, BGP stays down. */
static void
test_wrong_key(void)
{
	struct scenario *sc;
	char *out = NULL;

	sc = example("    psk: example-key\n    manual: { spi_in: 0x200",
	    "    psk: another-key\n    manual: { spi_in: 0x200");
	CU_ASSERT_EQUAL(sc_run_to_end(sc, 0, NULL, &out), 3);
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "t.yaml:93: PASS: "));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "t.yaml:95: FAIL: bgp session "
	    "vpngw -> 169.254.21.1 Established by 5s"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "t.yaml:96: FAIL: ping-succeeds "
	    "ping [0s, end): 0/5 replies"));
	free(out);
	scenario_free(sc);
}

static void
test_metrics_pcap_determinism(void)
{
	struct scenario *sc = example(NULL, NULL);
	char *base = test_tmpdir("/tmp/xcsim-ipsecsc-XXXXXX");
	char d1[300], d2[300], p1[400], p2[400], tsh[4096];
	const char *files[] = { "metrics.json", "trace.xct",
	    "pcap/vpngw/wan.pcap" };
	char *out = NULL, *a, *b;
	size_t la = 0, lb = 0, i;
	int st;

	CU_ASSERT_PTR_NOT_NULL_FATAL(base);
	snprintf(d1, sizeof(d1), "%s/one", base);
	snprintf(d2, sizeof(d2), "%s/two", base);
	CU_ASSERT_EQUAL(sc_run_to_end(sc, 0, d1, &out), 0);
	free(out);
	out = NULL;
	CU_ASSERT_EQUAL(sc_run_to_end(sc, 0, d2, &out), 0);
	free(out);
	for (i = 0; i < 3; i++) {
		snprintf(p1, sizeof(p1), "%s/%s", d1, files[i]);
		snprintf(p2, sizeof(p2), "%s/%s", d2, files[i]);
		a = test_slurp(p1, &la);
		b = test_slurp(p2, &lb);
		CU_ASSERT_PTR_NOT_NULL_FATAL(a);
		CU_ASSERT_PTR_NOT_NULL_FATAL(b);
		CU_ASSERT_EQUAL(la, lb);
		CU_ASSERT(la == lb && memcmp(a, b, la) == 0);
		if (i == 0) {
			CU_ASSERT_PTR_NOT_NULL(strstr(a, "\"ipsec\": ["));
			CU_ASSERT_PTR_NOT_NULL(strstr(a, "{\"tunnel\":\"azure-t1\","
			    "\"node\":\"vpngw\",\"up\":true,\"mtu\":1438,"
			    "\"spi_out\":512,"));
			CU_ASSERT_PTR_NOT_NULL(strstr(a, "\"rx_replay\":0,"
			    "\"rx_icv\":0,\"rx_malformed\":0,\"tx_down\":0,"
			    "\"failure\":null,\"changes\":[{\"t_ns\":0,"
			    "\"up\":true,\"spi_out\":512}]}"));
		}
		free(a);
		free(b);
	}
	/* the pings' ESP on the internet side, as tshark reads it */
	if (test_sh(NULL, 0, "command -v tshark") != 0) {
		CU_FAIL("tshark is not on PATH (apt-get install tshark)");
	} else {
		snprintf(p1, sizeof(p1), "%s/pcap/vpngw/wan.pcap", d1);
		st = test_sh(tsh, sizeof(tsh), "(tshark -r '%s' -T fields "
		    "-Y 'esp && esp.spi == 0x200 && frame.time_relative >= 10 "
		    "&& frame.time_relative < 12' -e ip.len -e esp.sequence "
		    "2>/dev/null)", p1);
		CU_ASSERT_EQUAL(st, 0);
		/* 84 + 72, after BGP's 13 packets took the first sequences */
		CU_ASSERT_STRING_EQUAL(tsh, "156\t14\n156\t15\n");
		st = test_sh(tsh, sizeof(tsh), "tshark -r '%s' -q -z expert "
		    "-o ip.check_checksum:TRUE", p1);
		CU_ASSERT_EQUAL(st, 0);
		CU_ASSERT_PTR_NULL(strstr(tsh, "Malformed"));
		CU_ASSERT_PTR_NULL(strstr(tsh, "Error"));
		CU_ASSERT_PTR_NULL(strstr(tsh, "Warning"));
	}
	scenario_free(sc);
}

/* nat_t on both ends: 8 bytes more each way, 64 ns more per internet hop */
static void
test_nat_t(void)
{
	static const char *const pairs[] = {
		"    keying: manual\n    psk: example-key\n    manual: { spi_in: "
		"0x100", "    keying: manual\n    nat_t: true\n    psk: "
		"example-key\n    manual: { spi_in: 0x100",
		"    keying: manual\n    psk: example-key\n    manual: { spi_in: "
		"0x200", "    keying: manual\n    nat_t: true\n    psk: "
		"example-key\n    manual: { spi_in: 0x200", NULL };
	struct scenario *sc = example_at(EXAMPLE, pairs);
	char *out = NULL;

	CU_ASSERT_EQUAL(sc_run_to_end(sc, 0, NULL, &out), 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "PASS: ping-succeeds ping [0s, "
	    "end): 5/5 replies, max rtt 16.406012ms <= 17ms\n"));
	free(out);
	scenario_free(sc);
}

/*
 * keying ikev2: IKE_SA_INIT and IKE_AUTH (two round trips of 16.008 ms
 * plus the transmission of their packets) bring the responder's Child SA
 * up at 24.019424 ms and the initiator's at 32.023424 ms; BGP's first SYN
 * met the tunnel down and its retransmission at 3 s gets through. Every
 * ping (GCM: 84 + 56 bytes, 2 x 128 ns less than CBC) is answered across
 * four Child SA rekeys, each switching both ends' SPIs.
 */
static void
test_ikev2_example(void)
{
	struct scenario *sc = example_at(EXAMPLE_IKE, NULL);
	char *base = test_tmpdir("/tmp/xcsim-ipsecike-XXXXXX"), dir[300];
	char path[400], *out = NULL, *m;

	CU_ASSERT_PTR_NOT_NULL_FATAL(base);
	snprintf(dir, sizeof(dir), "%s/run", base);
	CU_ASSERT_EQUAL(sc_run_to_end(sc, 0, dir, &out), 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "PASS: ipsec tunnel 'azure-t1' "
	    "established by 1s: up since 32.023424ms (ikev2 keying, SPI out "
	    "0xec467a3)\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "PASS: ipsec tunnel 'oci-t1' "
	    "established by 1s: up since 24.019424ms (ikev2 keying, SPI out "));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "first Established at "
	    "3.032010064s"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "PASS: ping-succeeds ping [0s, "
	    "end): 1900/1900 replies, max rtt 16.405244ms <= 17ms\n"));
	free(out);
	snprintf(path, sizeof(path), "%s/metrics.json", dir);
	m = test_slurp(path, NULL);
	CU_ASSERT_PTR_NOT_NULL_FATAL(m);
	/* up, then three rekeys, never down */
	CU_ASSERT_PTR_NOT_NULL(strstr(m, "\"changes\":[{\"t_ns\":32023424,"
	    "\"up\":true,\"spi_out\":247752611},{\"t_ns\":51016293753,"
	    "\"up\":true,"));
	CU_ASSERT_PTR_NULL(strstr(m, "\"up\":false"));
	CU_ASSERT_PTR_NOT_NULL(strstr(m, "\"failure\":null"));
	free(m);
	scenario_free(sc);
}

/*
 * OCI's PFS group 5 against a peer offering only 14: the tunnel comes up
 * (IKE_AUTH has no KE), the first Child SA rekey is refused with
 * NO_PROPOSAL_CHOSEN, and the Child SA dies at its hard lifetime (60 s):
 * the pings stop, both IKE SAs stay up. Then a wrong pre-shared key:
 * AUTHENTICATION_FAILED at IKE_AUTH, nothing ever crosses.
 */
static void
test_ikev2_failures(void)
{
	static const char *const pfs[] = {
		"child: { proposals: [{ encr: aes-gcm-256, pfs: 14 }], "
		"lifetime: 120s }",
		"child: { proposals: [{ encr: aes-gcm-256, pfs: 5 }], "
		"lifetime: 120s }",
		"assertions:\n", "assertions:\n"
		"  - { kind: ipsec-fails, tunnel: azure-t1, reason: "
		"no-proposal-chosen }\n"
		"  - { kind: ipsec-established, tunnel: azure-t1, by: 59s }\n"
		"  - { kind: ipsec-established, tunnel: azure-t1, by: 61s }\n",
		NULL };
	static const char *const psk[] = {
		"    initiator: false\n    psk: example-key",
		"    initiator: false\n    psk: another-key", NULL };
	struct scenario *sc;
	char *out = NULL;

	sc = example_at(EXAMPLE_IKE, pfs);
	CU_ASSERT_EQUAL(sc_run_to_end(sc, 0, NULL, &out), 2);
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "PASS: ipsec tunnel 'azure-t1' "
	    "fails with no-proposal-chosen: its Child SA failed with "
	    "no-proposal-chosen (the IKE SA is up)\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "PASS: ipsec tunnel 'azure-t1' "
	    "established by 59s: up since 32.023424ms"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "FAIL: ipsec tunnel 'azure-t1' "
	    "established by 61s: down, IKE failed: no-proposal-chosen\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "FAIL: ping-succeeds ping [0s, "
	    "end): 551/1900 replies"));
	free(out);
	scenario_free(sc);

	out = NULL;
	sc = example_at(EXAMPLE_IKE, psk);
	CU_ASSERT_EQUAL(sc_run_to_end(sc, 0, NULL, &out), 4);
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "FAIL: ipsec tunnel 'azure-t1' "
	    "established by 1s: down, IKE failed: authentication-failed\n"));
	free(out);
	scenario_free(sc);
}

/*
 * nat_t under IKEv2: IKE moves to UDP 4500 from IKE_AUTH on, ESP rides in
 * UDP 4500 and reaches ESP through the IKE host's port: 8 bytes more per
 * packet, 2 x 2 x 64 ns more per ping.
 */
static void
test_ikev2_nat_t(void)
{
	static const char *const pairs[] = {
		"    keying: ikev2\n    initiator: true\n",
		"    keying: ikev2\n    nat_t: true\n    initiator: true\n",
		"    keying: ikev2\n    initiator: false\n",
		"    keying: ikev2\n    nat_t: true\n    initiator: false\n",
		NULL };
	struct scenario *sc = example_at(EXAMPLE_IKE, pairs);
	char *base = test_tmpdir("/tmp/xcsim-ipsecnat-XXXXXX"), dir[300];
	char path[400], out2[1024], *out = NULL;

	CU_ASSERT_PTR_NOT_NULL_FATAL(base);
	snprintf(dir, sizeof(dir), "%s/run", base);
	CU_ASSERT_EQUAL(sc_run_to_end(sc, 0, dir, &out), 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "PASS: ping-succeeds ping [0s, "
	    "end): 1900/1900 replies, max rtt 16.4055ms <= 17ms\n"));
	free(out);
	scenario_free(sc);
	if (test_sh(NULL, 0, "command -v tshark") != 0) {
		CU_FAIL("tshark is not on PATH (apt-get install tshark)");
		return;
	}
	/* the first ESP packet each way: in UDP 4500, 84 + 56 + 8 bytes */
	snprintf(path, sizeof(path), "%s/pcap/vpngw/wan.pcap", dir);
	CU_ASSERT_EQUAL(test_sh(out2, sizeof(out2), "(tshark -r '%s' -T fields "
	    "-Y 'esp && frame.time_relative >= 5 && frame.time_relative < 5.1' "
	    "-e ip.len -e udp.srcport -e udp.dstport 2>/dev/null)", path), 0);
	CU_ASSERT_STRING_EQUAL(out2, "148\t4500\t4500\n148\t4500\t4500\n");
}

/*
 * DPD and restart: the internet path to OCI is cut from 30 s to 250 s.
 * ESP counts as liveness (ike_sa_heard), so the initiator's check goes
 * out 2 s after the last ESP packet it accepted (31.916 s); after
 * strongSwan's five retransmissions (165.06112 s) its IKE SA fails with
 * dpd-timeout and its Child SA goes down with it (196.977 s); it starts
 * again 10 s later and its retransmitted IKE_SA_INIT gets through once
 * the path is back: up again at 254.497448589 s.
 */
static void
test_ikev2_dpd_restart(void)
{
	static const char *const pairs[] = {
		"duration: 200s", "duration: 262s",
		"lifetime: 28800s }\n    child: { proposals: [{ encr: "
		"aes-gcm-256, pfs: 14 }], lifetime: 60s }",
		"lifetime: 28800s, dpd: 2s, restart: 10s }\n    child: { "
		"proposals: [{ encr: aes-gcm-256, pfs: 14 }], lifetime: 3600s }",
		"assertions:\n", "events:\n"
		"  - { at: 30s, action: link-down, link: inet-oci }\n"
		"  - { at: 250s, action: link-up, link: inet-oci }\n"
		"assertions:\n"
		"  - { kind: ipsec-fails, tunnel: azure-t1, reason: dpd-timeout }\n"
		"  - { kind: ipsec-established, tunnel: azure-t1, by: 195s }\n"
		"  - { kind: ipsec-established, tunnel: azure-t1, by: 250s }\n"
		"  - { kind: ipsec-established, tunnel: azure-t1, by: 260s }\n",
		NULL };
	struct scenario *sc = example_at(EXAMPLE_IKE, pairs);
	char *out = NULL;

	sc_run_to_end(sc, 0, NULL, &out);
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "PASS: ipsec tunnel 'azure-t1' "
	    "fails with dpd-timeout: failed with dpd-timeout at "
	    "196.977425165s\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "PASS: ipsec tunnel 'azure-t1' "
	    "established by 195s: up since 32.023424ms (ikev2 keying, SPI out "
	    "0xec467a3)\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "FAIL: ipsec tunnel 'azure-t1' "
	    "established by 250s: down, IKE failed: dpd-timeout\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "PASS: ipsec tunnel 'azure-t1' "
	    "established by 260s: up since 254.497448589s"));
	free(out);
	scenario_free(sc);
}

static const struct test_case cases[] = {
	{ "bad input: exact messages", test_bad_input },
	{ "nat_t beside IKE in one VRF", test_nat_t_conflict },
	{ "proposals and timers refused at load", test_bad_proposals_timers },
	{ "example passes with exact times", test_example_passes },
	{ "a wrong key at one end", test_wrong_key },
	{ "gate: up only while it is open", test_manual_gate },
	{ "gate: ikev2 closed mid-handshake, reopened", test_ikev2_gate },
	{ "metrics, pcap, determinism", test_metrics_pcap_determinism },
	{ "nat_t: ESP in UDP 4500", test_nat_t },
	{ "ikev2: up, rekeys without loss", test_ikev2_example },
	{ "ikev2: PFS mismatch, wrong key", test_ikev2_failures },
	{ "ikev2: DPD failure and restart", test_ikev2_dpd_restart },
	{ "ikev2: nat_t", test_ikev2_nat_t },
	{ NULL, NULL },
};

int
main(int argc, char **argv)
{
	return test_main(argc, argv, "ipsec_scenario", cases);
}
