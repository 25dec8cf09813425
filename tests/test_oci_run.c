/*
 * test_oci_run.c - OCI's rule and route semantics as the expansion makes
 * them behave, run end to end against hand-written MSEEs:
 * - 2.6 union: a VNIC's NSG allows what its subnet's list does not;
 * - 2.6 default deny: a list without a matching rule drops, by its name;
 * - 2.6, B6 the default security list: no echo request gets through;
 * - 2.6 stateless: a stateless ingress rule tracks nothing, so the reply
 *   needs an egress rule of its own and is dropped without one, also when
 *   a stateful rule of another list matches the same packet (stateless
 *   wins);
 * - 3.1 the cross-connect policed at the bandwidth shape;
 * - the DRG no traceroute hop, as the VCN (docs/oci.md);
 * - 2.7, B6 a user DRG route table with an import distribution (virtual
 *   circuit attachments only) and ECMP: both paths carry the VNet's
 *   prefix, and the table holds no VCN route.
 * Verdicts are read through `xcsim path` and the query assertions
 * (effective-route, rule-verdict, path) on the expansion's aliases
 * (docs/query.md). Both MSEEs
 * reach the Azure side's host through a router of the user's, as the
 * DRG's ECMP may send a reply over either path.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "net.h"
#include "scenario_models.h"
#include "trace.h"
#include "scenario_testutil.h"
#include "testutil.h"

static const char text[] =
    "name: oci-rules\n"
    "seed: 1\n"
    "duration: 80s\n"
    "nodes:\n"
    "  - name: az-host\n"
    "    role: host\n"
    "    interfaces: [{name: eth0, address: 10.1.0.4/24}]\n"
    "    routes: [{prefix: 0.0.0.0/0, via: 10.1.0.1}]\n"
    "  - name: az-core\n"
    "    role: router\n"
    "    interfaces:\n"
    "      - {name: lan, address: 10.1.0.1/24}\n"
    "      - {name: p1, address: 10.0.0.1/30}\n"
    "      - {name: p2, address: 10.0.0.5/30}\n"
    "    routes: [{prefix: 10.2.0.0/16, via: 10.0.0.2}]\n"
    "  - name: msee-primary\n"
    "    role: msee\n"
    "    interfaces:\n"
    "      - {name: private-peering, address: 169.254.0.2/30, vlan: 33}\n"
    "      - {name: core, address: 10.0.0.2/30}\n"
    "    routes: [{prefix: 10.1.0.0/24, via: 10.0.0.1}]\n"
    "  - name: msee-secondary\n"
    "    role: msee\n"
    "    interfaces:\n"
    "      - {name: private-peering, address: 169.254.1.2/30, vlan: 33}\n"
    "      - {name: core, address: 10.0.0.6/30}\n"
    "    routes: [{prefix: 10.1.0.0/24, via: 10.0.0.5}]\n"
    "links:\n"
    "  - {name: lan, a: \"az-host:eth0\", b: \"az-core:lan\", delay: 100us,\n"
    "     rate: 10Gbps}\n"
    "  - {name: c1, a: \"az-core:p1\", b: \"msee-primary:core\", delay: 400us,\n"
    "     rate: 10Gbps}\n"
    "  - {name: c2, a: \"az-core:p2\", b: \"msee-secondary:core\", delay: 400us}\n"
    "bgp:\n"
    "  - node: msee-primary\n"
    "    asn: 12076\n"
    "    redistribute: [{source: static}]\n"
    "    neighbors: [{address: 169.254.0.1, remote_as: 31898, preset: msee}]\n"
    "  - node: msee-secondary\n"
    "    asn: 12076\n"
    "    redistribute: [{source: static}]\n"
    "    neighbors: [{address: 169.254.1.1, remote_as: 31898, preset: msee}]\n"
    "oci:\n"
    "  vcns:\n"
    "    - name: vcn\n"
    "      cidr_blocks: [10.2.0.0/16]\n"
    "      subnets:\n"
    "        - {name: db, cidr_block: 10.2.1.0/24, route_table: rt,\n"
    "           security_lists: [db-sl]}\n"
    "        - {name: dflt, cidr_block: 10.2.2.0/24, route_table: rt}\n"
    "        - {name: sl, cidr_block: 10.2.3.0/24, route_table: rt,\n"
    "           security_lists: [stateless-sl]}\n"
    "        - {name: sf, cidr_block: 10.2.4.0/24, route_table: rt,\n"
    "           security_lists: [stateful-sl]}\n"
    "        - {name: mix, cidr_block: 10.2.5.0/24, route_table: rt,\n"
    "           security_lists: [stateful-sl, stateless-sl]}\n"
    "      route_tables:\n"
    "        - name: rt\n"
    "          route_rules: [{destination: 10.1.0.0/16, network_entity_id: drg}]\n"
    "      security_lists:\n"
    "        - name: db-sl\n"
    "          ingress_security_rules:\n"
    "            - source: 10.1.0.0/16\n"
    "              protocol: \"6\"\n"
    "              tcp_options: {destination_port_range: {min: 1521, max: 1521}}\n"
    "            - source: 10.1.0.0/16\n"
    "              protocol: \"17\"\n"
    "              udp_options: {destination_port_range: {min: 33434, max: 33534}}\n"
    "          egress_security_rules:\n"
    "            - {destination: 0.0.0.0/0, protocol: all}\n"
    "        - name: stateful-sl\n"
    "          ingress_security_rules:\n"
    "            - {source: 10.1.0.0/16, protocol: \"1\"}\n"
    "          egress_security_rules:\n"
    "            - {destination: 0.0.0.0/0, protocol: \"6\"}\n"
    "        - name: stateless-sl\n"
    "          ingress_security_rules:\n"
    "            - {source: 10.1.0.0/16, protocol: \"1\", is_stateless: true}\n"
    "          egress_security_rules:\n"
    "            - {destination: 0.0.0.0/0, protocol: \"6\"}\n"
    "      network_security_groups:\n"
    "        - name: icmp-nsg\n"
    "          security_rules:\n"
    "            - {direction: INGRESS, source: 10.1.0.0/16, protocol: \"1\",\n"
    "               icmp_options: {type: 8}}\n"
    "  instances:\n"
    "    - {name: db1, vnics: [{name: db1-vnic, subnet: vcn/db,\n"
    "       nsg_ids: [icmp-nsg]}]}\n"
    "    - {name: db2, vnics: [{name: db2-vnic, subnet: vcn/db}]}\n"
    "    - {name: d1, vnics: [{name: d1-vnic, subnet: vcn/dflt}]}\n"
    "    - {name: s1, vnics: [{name: s1-vnic, subnet: vcn/sl}]}\n"
    "    - {name: f1, vnics: [{name: f1-vnic, subnet: vcn/sf}]}\n"
    "    - {name: m1, vnics: [{name: m1-vnic, subnet: vcn/mix}]}\n"
    "  drgs:\n"
    "    - name: drg\n"
    "      drg_attachments:\n"
    "        - {name: vcn-att, network_details: {type: VCN, id: vcn},\n"
    "           drg_route_table: from-vcs}\n"
    "      drg_route_tables:\n"
    "        - {name: from-vcs, is_ecmp_enabled: true,\n"
    "           import_drg_route_distribution: vcs-only}\n"
    "      drg_route_distributions:\n"
    "        - name: vcs-only\n"
    "          statements:\n"
    "            - {match_criteria: {match_type: DRG_ATTACHMENT_TYPE,\n"
    "               attachment_type: VIRTUAL_CIRCUIT}, priority: 1}\n"
    "  virtual_circuits:\n"
    "    - name: vc1\n"
    "      provider_service_name: \"Microsoft Azure: ExpressRoute\"\n"
    "      provider_service_key_name: er1\n"
    "      bandwidth_shape_name: 1 Gbps\n"
    "      gateway_id: drg\n"
    "      cross_connect_mappings:\n"
    "        - {customer_bgp_peering_ip: 169.254.0.2/30,\n"
    "           oracle_bgp_peering_ip: 169.254.0.1/30, vlan: 33}\n"
    "        - {customer_bgp_peering_ip: 169.254.1.2/30,\n"
    "           oracle_bgp_peering_ip: 169.254.1.1/30, vlan: 33}\n"
    "apps:\n"
    "  - {name: to-db1, type: ping, node: az-host, dst: 10.2.1.2,\n"
    "     start: 60s, count: 3}\n"
    "  - {name: to-db2, type: ping, node: az-host, dst: 10.2.1.3,\n"
    "     start: 60s, count: 3}\n"
    "  - {name: to-d1, type: ping, node: az-host, dst: 10.2.2.2,\n"
    "     start: 60s, count: 3}\n"
    "  - {name: to-s1, type: ping, node: az-host, dst: 10.2.3.2,\n"
    "     start: 60s, count: 3}\n"
    "  - {name: to-f1, type: ping, node: az-host, dst: 10.2.4.2,\n"
    "     start: 60s, count: 3}\n"
    "  - {name: to-m1, type: ping, node: az-host, dst: 10.2.5.2,\n"
    "     start: 60s, count: 3}\n"
    "  - {name: bulk, type: udp_cbr, node: az-host, dst: 10.2.1.2, dport: 5001,\n"
    "     start: 70s, rate: 2Gbps, size: 1472, count: 10000}\n"    "  - {name: trace, type: traceroute, node: az-host, dst: 10.2.1.2, start: 75s}\n"
    "assertions:\n"
    "  - {kind: ping-succeeds, app: to-db1}\n"
    "  - {kind: ping-fails, app: to-db2}\n"
    "  - {kind: ping-fails, app: to-d1}\n"
    "  - {kind: ping-fails, app: to-s1}\n"
    "  - {kind: ping-succeeds, app: to-f1}\n"
    "  - {kind: ping-fails, app: to-m1}\n"    "  - {kind: traceroute-path, app: trace,\n"
    "     path: [az-core, msee-primary, oracle-edge-primary, db1]}\n"
    "  - {kind: effective-route, table: drg.from-vcs, prefix: 10.1.0.0/24, at: 70s,\n"
    "     source: virtual_circuit}\n"
    "  - {kind: effective-route, table: vcn.db, prefix: 10.1.0.0/16, at: 70s,\n"
    "     source: static, next_hop: 169.254.248.1}\n"
    "  - {kind: effective-route, table: drg.autogenerated-vc-ipsec-rpc,\n"
    "     prefix: 10.1.0.0/24, at: 70s, absent: true}\n"
    "  - {kind: rule-verdict, from: az-host, to: d1, proto: icmp, at: 70s,\n"
    "     acl: vcn.default-security-list, verdict: deny}\n"
    "  - {kind: rule-verdict, from: az-host, to: db1, proto: icmp, at: 70s,\n"
    "     acl: vcn.icmp-nsg, rule: ingress-1, verdict: allow}\n"
    "  - {kind: path, from: az-host, to: db1, proto: icmp, at: 70s, delivered: true,\n"
    "     via: [az-host, az-core, msee-primary, oracle-edge-primary, drg, vcn, db1]}\n";

static char path[] = "/tmp/test_oci_run_XXXXXX";

/* Before CUnit runs: the scenario as a file for the CLI. */
static int
write_file(void)
{
	int fd = mkstemp(path);
	FILE *f;

	if (fd < 0 || (f = fdopen(fd, "w")) == NULL) {
		perror(path);
		return -1;
	}
	fputs(text, f);
	return fclose(f);
}

static void
test_pings(void)
{
	char *diag = NULL, *checks = NULL, err[256];
	struct run_opts o = { 0 };
	const struct link_stats *st;
	struct scenario *sc;
	struct link *l;
	struct run *r;
	unsigned n = 0;
	size_t len = 0;
	FILE *f;

	sc = load(text, &diag, &n);
	if (sc == NULL)
		fprintf(stderr, "%s\n", diag);
	CU_ASSERT_PTR_NOT_NULL_FATAL(sc);
	r = run_new(sc, &o, err, sizeof(err));
	CU_ASSERT_PTR_NOT_NULL_FATAL(r);
	while (run_advance(r, run_end_time(r)))
		;
	f = open_memstream(&checks, &len);
	CU_ASSERT_EQUAL(run_check(r, f), 0);
	fclose(f);
	CU_ASSERT_PTR_NOT_NULL(strstr(checks, "PASS: ping-succeeds to-db1"));
	CU_ASSERT_PTR_NOT_NULL(strstr(checks, "PASS: ping-fails to-db2"));
	CU_ASSERT_PTR_NOT_NULL(strstr(checks, "PASS: ping-fails to-d1"));
	CU_ASSERT_PTR_NOT_NULL(strstr(checks, "PASS: ping-fails to-s1"));
	/*
	 * 2.6 stateless over stateful: stateful-sl alone lets the echo in
	 * and its reply back by tracking; with stateless-sl's rule matching
	 * the same request too, the stateless one decides, nothing is
	 * tracked, and the reply finds no egress rule.
	 */
	CU_ASSERT_PTR_NOT_NULL(strstr(checks, "PASS: ping-succeeds to-f1"));
	CU_ASSERT_PTR_NOT_NULL(strstr(checks, "PASS: ping-fails to-m1"));
	/* the DRG, as the VCN, is no traceroute hop (docs/oci.md) */
	CU_ASSERT_PTR_NOT_NULL(strstr(checks, "PASS: traceroute-path trace: "
	    "az-core > msee-primary > oracle-edge-primary > db1"));
	/* the same answers as assertions a lab writes (docs/query.md) */
	CU_ASSERT_PTR_NOT_NULL(strstr(checks, "PASS: at 70s: drg/from-vcs "
	    "(drg.from-vcs: DRG route table from-vcs of drg) 10.1.0.0/24: "
	    "virtual_circuit via 169.254.248.6 dev vc1-primary"));
	CU_ASSERT_PTR_NOT_NULL(strstr(checks, "PASS: at 70s: acl "
	    "vcn.default-security-list on path az-host -> d1: deny by no "
	    "rule"));
	CU_ASSERT_PTR_NOT_NULL(strstr(checks, "PASS: at 70s: path az-host -> "
	    "db1: delivered [az-host az-core msee-primary oracle-edge-primary "
	    "drg vcn db1]; back: delivered"));
	CU_ASSERT_PTR_NULL(strstr(checks, "FAIL"));

	/*
	 * 3.1: the cross-connect polices at the bandwidth shape, 1 Gbit/s.
	 * 10,000 frames of 1,518 bytes (1,472 of payload, UDP, IP,
	 * Ethernet, the 802.1Q tag) every 6 us (2 Gbit/s of IP) from the
	 * MSEE: the bucket holds 10 ms at the rate, 1,250,000 bytes, and
	 * fills at 125,000,000 bytes/s over the 59.994 ms between the first
	 * frame and the last, 8,749,250 bytes in all: 5,763 whole frames
	 * conform, 4,237 are dropped. The other way nothing is.
	 */
	l = net_find_link(run_net(r), "oracle-edge-primary.private-peering");
	CU_ASSERT_PTR_NOT_NULL_FATAL(l);
	st = link_get_stats(l, 1);
	CU_ASSERT_EQUAL((1250000 + 125000000ULL * 59994 / 1000000) / 1518,
	    5763);
	CU_ASSERT_EQUAL(st->drops[DROP_POLICER], 10000 - 5763);
	CU_ASSERT_EQUAL(link_get_stats(l, 0)->drops[DROP_POLICER], 0);
	free(checks);
	free(diag);
	run_free(r);
	scenario_free(sc);
}

/* xcsim path from az-host to `to` (ICMP) at 70s; its exit status. */
static int
path_to(const char *to, char *out, size_t len)
{
	return test_sh(out, len, "%s path %s --from az-host --to %s --proto "
	    "icmp --at 70s", XCSIM_BINARY, path, to);
}

static void
test_verdicts(void)
{
	char out[8192];

	/* union (2.6): db-sl has no ICMP rule, the VNIC's NSG has */
	CU_ASSERT_EQUAL(path_to("db1", out, sizeof(out)), 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "nsg vcn.icmp-nsg allows (rule "
	    "ingress-1)"));
	/* default deny (2.6), by the list's name */
	CU_ASSERT_EQUAL(path_to("db2", out, sizeof(out)), 1);
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "out: security-list vcn.db-sl "
	    "denies (no rule matched)"));
	/* the default security list lets no echo request in (2.6, B6) */
	CU_ASSERT_EQUAL(path_to("d1", out, sizeof(out)), 1);
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "out: security-list "
	    "vcn.default-security-list denies (no rule matched)"));
	/* stateless (2.6): in by the rule, the reply finds no egress rule */
	CU_ASSERT_EQUAL(path_to("s1", out, sizeof(out)), 1);
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "out: security-list "
	    "vcn.stateless-sl allows (rule ingress-1, stateless)"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "in: security-list "
	    "vcn.stateless-sl denies (no rule matched)"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "=> dropped by a filter where it "
	    "came in"));
}

/* 2.7, B6: the user's table imports the VC's routes only, with ECMP. */
static void
test_drg_table(void)
{
	char out[8192];

	CU_ASSERT_EQUAL(test_sh(out, sizeof(out), "%s routes %s --node "
	    "drg.from-vcs", XCSIM_BINARY, path), 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "Active   virtual_circuit   30  "
	    "via 169.254.248.6 dev vc1-primary"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "Active   virtual_circuit   30  "
	    "via 169.254.248.10 dev vc1-secondary"));
	CU_ASSERT_PTR_NULL(strstr(out, "10.2."));
	/* the autogenerated tables are there all the same */
	CU_ASSERT_EQUAL(test_sh(out, sizeof(out), "%s routes %s --node "
	    "drg.autogenerated-vc-ipsec-rpc", XCSIM_BINARY, path), 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "10.2.3.0/24"));
	CU_ASSERT_PTR_NULL(strstr(out, "10.1.0.0/24"));
}

static const struct test_case cases[] = {
	{ "pings: union, default deny, default list, stateless (2.6); the "
	    "policer (3.1)", test_pings },
	{ "each verdict by rule and list (2.6, B6)", test_verdicts },
	{ "a user DRG table: import distribution, ECMP (2.7, B6)",
	    test_drg_table },
	{ NULL, NULL }
};

int
main(int argc, char **argv)
{
	int rc;

	scenario_models_init();
	if (write_file() != 0)
		return 1;
	rc = test_main(argc, argv, "oci_run", cases);
	unlink(path);
	return rc;
}
