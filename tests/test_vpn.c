/*
 * test_vpn.c - the site-to-site VPN resources of the azure and oci
 * sections (docs/azure.md and docs/oci.md "Site-to-site VPN") on the
 * design scenarios/designs/vpn.yaml: what it expands into (names,
 * addresses, the internet link's delay and per-tunnel shaper, the ipsec
 * and bgp items, the DRG's IPSEC_TUNNEL attachment and its preference), and
 * each load check of the clouds' rules at its line:col, as edits of the
 * design.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "scenario_expand.h"
#include "scenario_models.h"
#include "scenario_testutil.h"
#include "testutil.h"

#define DESIGN XCSIM_SOURCE_DIR "/scenarios/designs/vpn.yaml"

static char *base;

/* base with the first `from` replaced by `to` (caller frees). */
static char *
edit(const char *from, const char *to)
{
	const char *at = strstr(base, from);
	size_t n;
	char *s;

	CU_ASSERT_PTR_NOT_NULL_FATAL(at);
	n = strlen(base) - strlen(from) + strlen(to) + 1;
	s = malloc(n);
	CU_ASSERT_PTR_NOT_NULL_FATAL(s);
	snprintf(s, n, "%.*s%s%s", (int)(at - base), base, to,
	    at + strlen(from));
	return s;
}

/* "line:col" of the first `what` in text. */
static void
where(const char *text, const char *what, char *out, size_t len)
{
	const char *at = strstr(text, what), *p;
	unsigned line = 1, col = 1;

	CU_ASSERT_PTR_NOT_NULL_FATAL(at);
	for (p = text; p < at; p++) {
		if (*p == '\n') {
			line++;
			col = 1;
		} else {
			col++;
		}
	}
	snprintf(out, len, "%u:%u", line, col);
}

/* The expansion of text as `xcsim expand` prints it (caller frees). */
static char *
expand(const char *text, int *rc)
{
	char *out = NULL, *diag = NULL;
	size_t olen = 0, dlen = 0;
	FILE *o = open_memstream(&out, &olen), *d = open_memstream(&diag,
	    &dlen);

	*rc = scenario_expand_print_buffer("t.yaml", text, strlen(text), o, d);
	fclose(o);
	fclose(d);
	if (*rc != 0)
		fprintf(stderr, "%s", diag);
	free(diag);
	return out;
}

static void
test_loads(void)
{
	char *diag = NULL;
	unsigned n = 0;
	struct scenario *sc = load(base, &diag, &n);

	if (sc == NULL)
		fprintf(stderr, "%s", diag);
	CU_ASSERT_PTR_NOT_NULL(sc);
	CU_ASSERT_EQUAL(n, 0);
	scenario_free(sc);
	free(diag);
}

/* Does out hold these lines, in this order, each once after the last? */
static bool
in_order(const char *out, const char *const *lines)
{
	const char *at = out;

	for (; *lines != NULL; lines++) {
		at = strstr(at, *lines);
		if (at == NULL) {
			fprintf(stderr, "missing (in order): %s\n", *lines);
			return false;
		}
		at += strlen(*lines);
	}
	return true;
}

static void
test_expansion(void)
{
	int rc;
	char *out = expand(base, &rc);
	/* the gateway: GatewaySubnet's first free address, its public one,
	 * the tunnel's APIPA /30 (facts 4), the site's interface */
	static const char *const gw[] = {
		"- name: vpn-gw\n  role: azure-vpn-gateway\n  region: eastus\n",
		"  - name: vnet\n    address: 10.1.255.4/27\n",
		"  - name: public\n    address: 198.51.100.10/32\n",
		"  - name: to-oci\n    address: 169.254.21.2/30\n",
		"  - name: oci-tunnel-1\n  routes:\n",
		"  - prefix: 203.0.113.1/32\n    iface: oci-tunnel-1\n",
		NULL };
	/* the headends: two (4.3), tunnel 1's addresses, the DRG link */
	static const char *const he[] = {
		"- name: to-azure-headend-1\n  role: oci-edge\n"
		    "  region: us-ashburn-1\n",
		"  - name: public\n    address: 203.0.113.1/32\n",
		"  - name: internet\n",
		"  - name: tunnel\n    address: 169.254.21.1/30\n",
		"  - name: drg\n    address: 169.254.248.6/30\n",
		"  - prefix: 198.51.100.10/32\n    iface: internet\n",
		"- name: to-azure-headend-2\n",
		"  - name: public\n    address: 203.0.113.2/32\n",
		"  - name: tunnel\n  - name: drg\n    address: "
		    "169.254.248.10/30\n",
		NULL };
	/* the internet: eastus <-> Washington DC <-> us-ashburn-1 (2 x
	 * 178.5 us, models/geo's metro rule) and the gateway's 200 us; a
	 * pareto tail of the gateway's 1 ms and the jitter knob's 300 us
	 * (sqrt(1 + 0.09) ms), VpnGw1AZ's per-tunnel AES256+SHA256 figure
	 * (B5); the SKU's aggregate */
	static const char *const links[] = {
		"- name: vpn-gw.oci-tunnel-1\n  a: vpn-gw:oci-tunnel-1\n"
		    "  b: to-azure-headend-1:internet\n  rate: 10Gbps\n"
		    "  delay: 557us\n"
		    "  jitter:\n    kind: pareto\n    sd: 1.044031ms\n"
		    "  qdisc:\n    kind: shaper\n"
		    "    rate: 500Mbps\n    burst: 65536\n    pps: 47000\n",
		"- name: vpn-gw.vnet\n  a: vpn-gw:vnet\n  b: app-vnet:vpn-gw\n"
		    "  rate: 100Gbps\n  delay: 30us\n  qdisc:\n"
		    "    kind: shaper\n    rate: 650Mbps\n",
		"- name: to-azure-headend-1.drg\n  a: to-azure-headend-1:drg\n"
		    "  b: drg1:to-azure-tunnel-1\n",
		NULL };
	/* the ipsec items: Azure initiates with its proposals, Oracle
	 * answers with the tunnel's PFS group */
	static const char *const ipsec[] = {
		"- name: to-oci\n  node: vpn-gw\n  interface: to-oci\n"
		    "  local: 198.51.100.10\n  remote: 203.0.113.1\n"
		    "  keying: ikev2\n  initiator: true\n"
		    "  psk: s3cret-tunnel-1\n  ike:\n    version: 2\n",
		"    lifetime: 28800s\n    restart: 10s\n  child:\n",
		"    lifetime: 27000s\n",
		"- name: to-azure-tunnel-1\n  node: to-azure-headend-1\n"
		    "  interface: tunnel\n  local: 203.0.113.1\n"
		    "  remote: 198.51.100.10\n  keying: ikev2\n"
		    "  initiator: false\n  psk: s3cret-tunnel-1\n",
		"    - encr: aes-gcm-256\n      pfs: 14\n",
		"    lifetime: 3600s\n",
		"- name: to-azure-tunnel-2\n  node: to-azure-headend-2\n",
		"  psk: s3cret-tunnel-2\n",
		NULL };
	/* BGP over the tunnel: 65515 <-> 31898 (facts 4) */
	static const char *const bgp[] = {
		"- node: vpn-gw\n  asn: 65515\n",
		"  - address: 169.254.21.1\n    remote_as: 31898\n",
		"- node: to-azure-headend-1\n  asn: 31898\n",
		"  - address: 169.254.21.2\n    remote_as: 65515\n",
		NULL };

	CU_ASSERT_EQUAL_FATAL(rc, 0);
	CU_ASSERT(in_order(out, gw));
	CU_ASSERT(in_order(out, he));
	CU_ASSERT(in_order(out, links));
	CU_ASSERT(in_order(out, ipsec));
	CU_ASSERT(in_order(out, bgp));
	/* ExpressRoute first for the same prefix (B3), then VPN */
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "  - from_node: vpn-gw\n"
	    "    from_vrf: default\n    from_sources:\n    - bgp\n"
	    "    source: bgp\n    preference: 25\n"));
	/* the DRG: VCN 20 > virtual circuit 30 > IPSec 40 (B6) */
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "  - from_node: to-azure-headend-1\n"
	    "    from_vrf: default\n    from_sources:\n    - bgp\n"
	    "    source: ipsec\n    preference: 40\n"
	    "    next_hop_type: IPSEC_TUNNEL\n    via: 169.254.248.6\n"
	    "    iface: to-azure-tunnel-1\n"));
	/* tunnel 2 routes STATIC: the connection's static route at its
	 * headend, into the tunnel */
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "- node: to-azure-headend-2\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "  - prefix: 10.1.0.0/16\n"
	    "    source: ipsec-static\n"));
	/* the expansion of the expansion is the same text */
	{
		int rc2;
		char *again = expand(out, &rc2);

		CU_ASSERT_EQUAL(rc2, 0);
		if (again != NULL) {
			const char *a = strchr(strchr(out, '\n') + 1, '\n');
			const char *b = strchr(strchr(again, '\n') + 1, '\n');

			CU_ASSERT_STRING_EQUAL(a, b);
		}
		free(again);
	}
	free(out);
}

struct ecase {
	const char *from, *to;	/* the edit */
	const char *at;		/* where the error points (in the edit) */
	const char *msg;
};

static const struct ecase ecases[] = {
	/* facts 4: OCI does not support PFS group 1 */
	{ "pfs_dh_group: GROUP14", "pfs_dh_group: GROUP1", "GROUP1 }",
	    "400-InvalidParameter: tunnel 1 of IPSec connection 'to-azure': "
	    "pfs_dh_group GROUP1 is not supported by OCI" },
	/* 4.3: two tunnels */
	{ "        - display_name: tunnel-2\n          ike_version: V2\n"
	    "          shared_secret: s3cret-tunnel-2\n"
	    "          routing: STATIC\n",
	    "", "- display_name: tunnel-1",
	    "IPSec connection 'to-azure' has two tunnels, on "
	    "two Oracle headends (4.3)" },
	/* 2.8: the inside addresses in one /30 */
	{ "oracle_interface_ip: 169.254.21.1/30",
	    "oracle_interface_ip: 169.254.22.1/30", "169.254.22.1/30",
	    "oracle_interface_ip 169.254.22.1/30 and customer_interface_ip "
	    "169.254.21.2/30 must be two addresses of one /30 or /31 (2.8)" },
	{ "routing: STATIC", "routing: POLICY", "POLICY",
	    "POLICY routing (encryption domains" },
	{ "static_routes: [10.1.0.0/16]", "static_routes: [10.1.0.0/15]",
	    "10.1.0.0/15", "static route '10.1.0.0/15' is not a network "
	    "address (did you mean 10.0.0.0/15?)" },
	{ "static_routes: [10.1.0.0/16]", "static_routes: [1.0.0.0/8, "
	    "2.0.0.0/8, 3.0.0.0/8, 4.0.0.0/8, 5.0.0.0/8, 6.0.0.0/8, 7.0.0.0/8, "
	    "8.0.0.0/8, 9.0.0.0/8, 11.0.0.0/8, 12.0.0.0/8]", "12.0.0.0/8",
	    "has 11 static routes, at most 10 (facts 4)" },
	{ "cpe_id: azure-vpn-gw", "cpe_id: azure-vpn-gx", "azure-vpn-gx",
	    "unknown OCI CPE 'azure-vpn-gx' (did you mean 'azure-vpn-gw'?)" },
	{ "{ name: db-vcn-att, network_details: { type: VCN, id: db-vcn } }",
	    "{ name: db-vcn-att, network_details: { type: VCN, id: db-vcn } }\n"
	    "        - { name: t1, network_details: { type: IPSEC_TUNNEL, id: "
	    "to-azure } }", "IPSEC_TUNNEL", "IPSEC_TUNNEL attachments come "
	    "with their ip_sec_connections item" },
	/* Azure: the gateway (4.2, B5, facts 4) */
	{ "sku: VpnGw1AZ", "sku: ErGw1AZ", "ErGw1AZ", "gateway 'vpn-gw' is of "
	    "gateway_type Vpn, but ErGw1AZ is an ExpressRoute SKU" },
	{ "sku: VpnGw1AZ", "sku: Basic", "true\n      bgp_settings",
	    "gateway 'vpn-gw': the Basic SKU does not support BGP (B5)" },
	{ "vpn_type: RouteBased", "vpn_type: PolicyBased", "PolicyBased",
	    "PolicyBased is not modelled" },
	{ "      public_ip_address: 198.51.100.10\n", "", "name: vpn-gw",
	    "VPN gateway 'vpn-gw' needs public_ip_address" },
	{ "custom_bgp_ip_addresses: [169.254.21.2]",
	    "custom_bgp_ip_addresses: [169.254.23.2]", "169.254.23.2",
	    "custom BGP address 169.254.23.2 of gateway 'vpn-gw' is outside "
	    "169.254.21.0-169.254.22.255, the APIPA range Azure VPN gateways "
	    "take (facts 4)" },
	/* public endpoints are unicast: Azure and OCI refuse 0.0.0.0/8,
	 * loopback, multicast, reserved and broadcast addresses */
	{ "gateway_ip_address: 203.0.113.1", "gateway_ip_address: 0.0.0.0",
	    "0.0.0.0", "local network gateway 'oci-tunnel-1': "
	    "gateway_ip_address 0.0.0.0 is in 0.0.0.0/8 (this network), not a "
	    "site's public address" },
	{ "gateway_ip_address: 203.0.113.1", "gateway_ip_address: 127.0.0.1",
	    "127.0.0.1", "gateway_ip_address 127.0.0.1 is a loopback address" },
	{ "gateway_ip_address: 203.0.113.1", "gateway_ip_address: 224.0.0.5",
	    "224.0.0.5", "gateway_ip_address 224.0.0.5 is a multicast address" },
	{ "gateway_ip_address: 203.0.113.1",
	    "gateway_ip_address: 255.255.255.255", "255.255.255.255",
	    "gateway_ip_address 255.255.255.255 is the broadcast address" },
	{ "public_ip_address: 198.51.100.10", "public_ip_address: 240.0.0.1",
	    "240.0.0.1", "VPN gateway 'vpn-gw': public_ip_address 240.0.0.1 "
	    "is reserved (240.0.0.0/4), not a public address" },
	{ "{ name: azure-vpn-gw, ip_address: 198.51.100.10 }",
	    "{ name: azure-vpn-gw, ip_address: 0.0.0.0 }", "0.0.0.0 }",
	    "400-InvalidParameter: CPE 'azure-vpn-gw': ip_address 0.0.0.0 is "
	    "in 0.0.0.0/8 (this network), not a public address" },
	{ "        - display_name: tunnel-1\n",
	    "        - display_name: tunnel-1\n          vpn_ip: 239.1.2.3\n",
	    "239.1.2.3", "400-InvalidParameter: tunnel 1 of IPSec connection "
	    "'to-azure': vpn_ip 239.1.2.3 is a multicast address (224.0.0.0/4), "
	    "not a public address" },
	/* a jitter too large for the internet link, at the user's key */
	{ "xcsim: { jitter: 300us }", "xcsim: { jitter: 100000h }", "100000h",
	    "'jitter' 100000h is above" },
	{ "sku: VpnGw1AZ\n", "sku: VpnGw1AZ\n      xcsim: { tunnel_jitter: "
	    "2h }\n", "2h }", "'tunnel_jitter' 2h is above" },
	/* Azure: the connection */
	{ "local_network_gateway: oci-tunnel-1",
	    "local_network_gateway: oci-tunnel-2", "oci-tunnel-2",
	    "unknown azure local network gateway 'oci-tunnel-2' (did you mean "
	    "'oci-tunnel-1'?)" },
	{ "      shared_key: s3cret-tunnel-1\n", "", "name: to-oci",
	    "IPsec connection 'to-oci' needs shared_key" },
	{ "      enable_bgp: true\n      bgp_settings: { asn: 65515",
	    "      enable_bgp: false\n      bgp_settings: { asn: 65515",
	    "true\n\noci", "connection 'to-oci' has enable_bgp, gateway "
	    "'vpn-gw' has not" },
	{ "      bgp_settings: { asn: 31898, bgp_peering_address: "
	    "169.254.21.1 }\n", "", "true\n\noci",
	    "connection 'to-oci' has enable_bgp, local "
	    "network gateway 'oci-tunnel-1' has no bgp_settings" },
	{ "      connection_protocol: IKEv2\n", "      connection_protocol: "
	    "IKEv2\n      express_route_circuit: er\n", "er\n",
	    "connection 'to-oci' is IPsec: express_route_circuit, "
	    "express_route_gateway_bypass and routing_weight are "
	    "ExpressRoute's" },
	{ "      connection_type: IPsec\n", "", "name: to-oci",
	    "ExpressRoute connection 'to-oci' needs "
	    "express_route_circuit" },
	{ "      enable_bgp: true\n\noci", "      enable_bgp: true\n"
	    "      ipsec_policies:\n        - { ipsec_encryption: GCMAES256, "
	    "ipsec_integrity: SHA256, ike_encryption: AES256, ike_integrity: "
	    "SHA256, dh_group: DHGroup14, pfs_group: PFS14 }\n\noci",
	    "SHA256, ike_", "ipsec_integrity SHA256 does not go with "
	    "ipsec_encryption GCMAES256" },
	{ "      enable_bgp: true\n\noci", "      enable_bgp: true\n"
	    "      ipsec_policies:\n        - { ipsec_encryption: DES, "
	    "ipsec_integrity: SHA1, ike_encryption: AES256, ike_integrity: "
	    "SHA256, dh_group: DHGroup14, pfs_group: PFS14 }\n\noci",
	    "DES,", "ipsec_encryption DES is not modelled" },
};

static void
test_errors(void)
{
	size_t i;

	for (i = 0; i < sizeof(ecases) / sizeof(ecases[0]); i++) {
		const struct ecase *c = &ecases[i];
		char *text = edit(c->from, c->to), *diag = NULL, at[32];
		struct scenario *sc;
		unsigned n = 0;

		where(text, c->at, at, sizeof(at));
		sc = load(text, &diag, &n);
		if (sc != NULL || !has_error(diag, at, c->msg))
			fprintf(stderr, "case %zu (%s): want %s: ...%s...\n"
			    "got:\n%s\n", i, c->to, at, c->msg,
			    diag != NULL ? diag : "");
		CU_ASSERT_PTR_NULL(sc);
		CU_ASSERT(has_error(diag, at, c->msg));
		scenario_free(sc);
		free(diag);
		free(text);
	}
}

/*
 * B5: a Basic gateway takes 10 site-to-site tunnels; the eleventh
 * connection is refused at its gateway.
 */
static void
test_tunnel_limit(void)
{
	char *conns = NULL, *text, *diag = NULL, at[32];
	size_t len = 0, n, i;
	FILE *f = open_memstream(&conns, &len);
	struct scenario *sc;
	unsigned errs = 0;

	fprintf(f, "  connections:\n");
	for (i = 0; i < 11; i++)
		fprintf(f, "    - { name: c%zu, connection_type: IPsec, "
		    "virtual_network_gateway: vpn-gw%s, local_network_gateway: "
		    "site, shared_key: k }\n", i, i == 10 ? " " : "");
	fclose(f);
	n = strlen(conns) + 1024;
	text = malloc(n);
	CU_ASSERT_PTR_NOT_NULL_FATAL(text);
	snprintf(text, n, "azure:\n"
	    "  virtual_networks:\n"
	    "    - name: v\n"
	    "      address_space: { address_prefixes: [10.1.0.0/16] }\n"
	    "      subnets: [{ name: GatewaySubnet, address_prefix: "
	    "10.1.255.0/27 }]\n"
	    "  virtual_network_gateways:\n"
	    "    - { name: vpn-gw, gateway_type: Vpn, sku: Basic, "
	    "virtual_network: v, public_ip_address: 198.51.100.10 }\n"
	    "  local_network_gateways:\n"
	    "    - { name: site, gateway_ip_address: 203.0.113.1, "
	    "address_space: { address_prefixes: [10.2.0.0/16] } }\n%s", conns);
	where(text, "vpn-gw , local", at, sizeof(at));
	sc = load(text, &diag, &errs);
	CU_ASSERT_PTR_NULL(sc);
	CU_ASSERT_EQUAL(errs, 1);
	if (!has_error(diag, at, "gateway 'vpn-gw' (Basic) takes at most 10 "
	    "site-to-site tunnels; connection 'c10' is tunnel 11 (B5)"))
		fprintf(stderr, "want %s, got:\n%s", at, diag);
	CU_ASSERT(has_error(diag, at, "gateway 'vpn-gw' (Basic) takes at most "
	    "10 site-to-site tunnels; connection 'c10' is tunnel 11 (B5)"));
	scenario_free(sc);
	free(diag);
	free(text);
	free(conns);
}

/* Run text to its end with seed (0: the file's); the failed count. */
static unsigned
run_seed(const char *text, uint64_t seed, char **out)
{
	char *diag = NULL;
	unsigned n = 0, failed;
	struct scenario *sc = load(text, &diag, &n);

	if (sc == NULL)
		fprintf(stderr, "%s", diag);
	free(diag);
	CU_ASSERT_PTR_NOT_NULL_FATAL(sc);
	failed = sc_run_to_end(sc, seed, NULL, out);
	if (failed != 0)
		fprintf(stderr, "seed %llu:\n%s", (unsigned long long)seed,
		    *out);
	scenario_free(sc);
	return failed;
}

static unsigned
run_text(const char *text, char **out)
{
	return run_seed(text, 0, out);
}

/* text with `extra` assertions before its own (caller frees). */
static char *
with_asserts(const char *text, const char *extra)
{
	const char *at = strstr(text, "\nassertions:\n");
	size_t n;
	char *s;

	CU_ASSERT_PTR_NOT_NULL_FATAL(at);
	at += strlen("\nassertions:\n");
	n = strlen(text) + strlen(extra) + 1;
	s = malloc(n);
	CU_ASSERT_PTR_NOT_NULL_FATAL(s);
	snprintf(s, n, "%.*s%s%s", (int)(at - text), text, extra, at);
	return s;
}

/*
 * The design's own assertions (windows that hold for any seed) and, for
 * seed 1, the exact instants: Azure's IKE exchanges over the jittered
 * internet link, BGP on TCP's retry 3 s after the first SYN found no SA.
 */
static void
test_design_runs(void)
{
	char *text = with_asserts(base,
	    "  - { kind: ipsec-established, tunnel: to-azure-tunnel-1, by: "
	    "2946167ns }\n"
	    "  - { kind: ipsec-established, tunnel: to-oci, by: 3833767ns }\n"
	    "  - { kind: bgp-established, node: vpn-gw, peer: 169.254.21.1, "
	    "by: 3006133517ns }\n"), *out = NULL;

	CU_ASSERT_EQUAL(run_seed(text, 1, &out), 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "PASS: ipsec tunnel 'to-oci' "
	    "established by 3.833767ms"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "PASS: ipsec tunnel "
	    "'to-azure-tunnel-1' established by 2.946167ms"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "Established by 3.1s: "
	    "Established, first Established at 3.006133516s"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "PASS: ping-succeeds ping [0s, "
	    "end): 200/200 replies, max rtt 52.500192ms"));
	free(out);
	free(text);
}

/*
 * The backup design for seed 1 at its exact instants: the tunnel and BGP
 * up, BFD's detection at 60.9 s (no probe before answered), and the
 * failback, each cloud's route back (absent one nanosecond,
 * there the next) as its session returns.
 */
static const char backup_exact[] =
    "  - { kind: ping-fails, app: ping, after: 60s, before: 60900ms }\n"
    "  - { kind: ipsec-established, tunnel: to-oci, by: 3766104ns }\n"
    "  - { kind: bgp-established, node: vpn-gw, peer: 169.254.21.1, by: "
    "3005992330ns }\n"
    "  - { kind: route, node: oracle-edge-primary, prefix: 10.1.0.0/16, "
    "absent: true, at: 110739708256ns }\n"
    "  - { kind: route, node: oracle-edge-primary, prefix: 10.1.0.0/16, "
    "via: 169.254.0.2, at: 110739708257ns }\n"
    "  - { kind: effective-route, table: drg1/autogenerated-vcn, prefix: "
    "10.1.0.0/16, at: 110739708258ns, source: virtual_circuit }\n"
    "  - { kind: route, node: app-gw, prefix: 10.2.1.0/24, absent: true, "
    "at: 110740188354ns }\n"
    "  - { kind: route, node: app-gw, prefix: 10.2.1.0/24, via: "
    "169.254.240.2, at: 110740188355ns }\n"
    "  - { kind: effective-route, table: app-nic, prefix: 10.2.1.0/24, "
    "at: 110740188356ns, source: bgp, next_hop: 10.1.255.4 }\n";

static void
test_backup_runs(void)
{
	size_t len;
	char *file = test_slurp(XCSIM_SOURCE_DIR
	    "/scenarios/designs/vpn-backup.yaml", &len), *out = NULL, *text;

	CU_ASSERT_PTR_NOT_NULL_FATAL(file);
	text = with_asserts(file, backup_exact);
	free(file);
	CU_ASSERT_EQUAL(run_seed(text, 1, &out), 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "PASS: ipsec tunnel 'to-oci' "
	    "established by 3.766104ms"));
	/* failover: BFD's 0.9 s; failback: no probe lost */
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "PASS: ping-fails ping [60s, "
	    "60.9s): 0/9 replies"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "PASS: ping-succeeds ping [90s, "
	    "end): 1100/1100 replies"));
	free(out);
	free(text);
}

/*
 * The designs are run by `xcsim compare` over seeds: their own assertions
 * hold for every seed (the internet link's jitter moves the instants by
 * tens of microseconds), here seeds 1 to 5.
 */
static void
test_designs_any_seed(void)
{
	static const char *const files[] = { "vpn.yaml", "vpn-backup.yaml" };
	char path[400], *text, *out;
	uint64_t seed;
	size_t i;

	for (i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		snprintf(path, sizeof(path), "%s/scenarios/designs/%s",
		    XCSIM_SOURCE_DIR, files[i]);
		text = test_slurp(path, NULL);
		CU_ASSERT_PTR_NOT_NULL_FATAL(text);
		for (seed = 1; seed <= 5; seed++) {
			out = NULL;
			CU_ASSERT_EQUAL(run_seed(text, seed, &out), 0);
			CU_ASSERT_PTR_NULL(strstr(out, "FAIL"));
			free(out);
		}
		free(text);
	}
}

/*
 * The design with its apps and assertions replaced by `asserts`, `from`
 * edited into `to` (from NULL: none) and the run `duration` long.
 */
static char *
variant(const char *from, const char *to, const char *asserts,
    const char *duration)
{
	char *e = from != NULL ? edit(from, to) : strdup(base), *s;
	const char *apps = strstr(e, "\napps:"), *rec = strstr(e, "\nrecord:");
	const char *dur = strstr(e, "duration: 30s");
	size_t n;

	CU_ASSERT_PTR_NOT_NULL_FATAL(apps);
	CU_ASSERT_PTR_NOT_NULL_FATAL(rec);
	CU_ASSERT_PTR_NOT_NULL_FATAL(dur);
	n = strlen(e) + strlen(asserts) + strlen(duration) + 64;
	s = malloc(n);
	CU_ASSERT_PTR_NOT_NULL_FATAL(s);
	snprintf(s, n, "%.*sduration: %s%.*s\nassertions:\n%s%s",
	    (int)(dur - e), e, duration, (int)(apps - dur - 13), dur + 13,
	    asserts, rec);
	free(e);
	return s;
}

/* The failure modes of the issue, through the clouds' own fields. */
static void
test_failure_modes(void)
{
	struct {
		const char *from, *to, *asserts, *duration;
	} v[] = {
		/* IKEv1 on Azure's side: OCI's IKEv2 headend answers
		 * INVALID_MAJOR_VERSION (facts 4: OCI <-> Azure needs IKEv2) */
		{ "connection_protocol: IKEv2", "connection_protocol: IKEv1",
		    "  - { kind: ipsec-fails, tunnel: to-azure-tunnel-1, "
		    "reason: invalid-major-version }\n", "60s" },
		/* a shared key that is not the tunnel's */
		{ "shared_key: s3cret-tunnel-1", "shared_key: s3cret-tunnel-2",
		    "  - { kind: ipsec-fails, tunnel: to-oci, reason: "
		    "authentication-failed }\n"
		    "  - { kind: ipsec-fails, tunnel: to-azure-tunnel-1, "
		    "reason: authentication-failed }\n", "60s" },
		/* OCI's default PFS group 5, which Azure does not propose
		 * (facts 4): the tunnel comes up, and its first Child SA
		 * rekey (OCI's, before its 3,600 s) finds no proposal */
		{ "          phase_two_details: { is_pfs_enabled: true, "
		    "pfs_dh_group: GROUP14 }\n", "",
		    "  - { kind: ipsec-established, tunnel: to-oci, by: "
		    "3833767ns }\n"
		    "  - { kind: ipsec-fails, tunnel: to-oci, reason: "
		    "no-proposal-chosen }\n"
		    "  - { kind: ipsec-fails, tunnel: to-azure-tunnel-1, "
		    "reason: no-proposal-chosen }\n", "3100s" },
	};
	size_t i;

	for (i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		char *text = variant(v[i].from, v[i].to, v[i].asserts,
		    v[i].duration), *out = NULL;

		CU_ASSERT_EQUAL(run_text(text, &out), 0);
		free(out);
		free(text);
	}
}

/*
 * An IPsec connection created and deleted on the timeline in a file
 * without circuits: its create needs its gateway only (the ExpressRoute
 * rules read a circuit it has not), and its BGP sessions and its tunnel
 * carry from its create's completion to its delete.
 */
static void
test_timeline(void)
{
	char *text = variant(NULL, NULL,
	    "  - { kind: ping-fails, app: ping, before: 10s }\n"
	    "  - { kind: ping-succeeds, app: ping, after: 15m, before: 20m }\n"
	    "  - { kind: ping-fails, app: ping, after: 25m }\n"
	    "timeline:\n"
	    "  - { id: c, at: 10s, create: connections/to-oci }\n"
	    "  - { id: d, at: 20m, delete: connections/to-oci }\n"
	    "apps:\n"
	    "  - { name: ping, type: ping, node: app-vm, dst: db-vm, start: "
	    "1s, interval: 10s, count: 180 }\n", "30m"), *out = NULL;

	CU_ASSERT_EQUAL(run_text(text, &out), 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "PASS: ping-succeeds ping [900s, "
	    "1200s): 30/30 replies"));
	free(out);
	free(text);
}

/*
 * The ipsec item follows the connection's gate: the connection created at
 * 60 s carries at 90 s (the timeline's duration 30 s), and only then does
 * Azure send IKE_SA_INIT: both ends are up the design's own delays after
 * 90 s (not after 0 s), BGP's first SYN at the opening finds no SA and its
 * retry 3 s later gets through, pings pass from then on. The delete at
 * 150 s closes the gate: the tunnel goes down at that instant (Azure's
 * INFORMATIONAL Delete tells the headend) and nothing passes after.
 */
static void
test_timeline_ike(void)
{
	char *text = variant(NULL, NULL,
	    "  - { kind: ipsec-established, tunnel: to-oci, by: 100s }\n"
	    "  - { kind: ipsec-established, tunnel: to-azure-tunnel-1, by: "
	    "100s }\n"
	    "  - { kind: ipsec-established, tunnel: to-oci, by: 151s }\n"
	    "  - { kind: bgp-established, node: vpn-gw, peer: 169.254.21.1, "
	    "by: 100s }\n"
	    "  - { kind: ping-fails, app: ping, before: 93s }\n"
	    "  - { kind: ping-succeeds, app: ping, after: 94s, before: 150s }\n"
	    "  - { kind: ping-fails, app: ping, after: 150s }\n"
	    "timeline:\n"
	    "  - { id: c, at: 60s, create: connections/to-oci, duration: 30s }\n"
	    "  - { id: d, at: 150s, delete: connections/to-oci, duration: 20s }\n"
	    "apps:\n"
	    "  - { name: ping, type: ping, node: app-vm, dst: db-vm, start: "
	    "1s, interval: 1s, count: 199 }\n", "200s"), *out = NULL;

	/* one failure: the tunnel is down at 151 s */
	CU_ASSERT_EQUAL(run_text(text, &out), 1);
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "PASS: ipsec tunnel 'to-oci' "
	    "established by 100s: up since 90.003833767s"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "PASS: ipsec tunnel "
	    "'to-azure-tunnel-1' established by 100s: up since "
	    "90.002946167s"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "FAIL: ipsec tunnel 'to-oci' "
	    "established by 151s: down"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "first Established at "
	    "93.006133516s"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "PASS: ping-fails ping [0s, 93s): "
	    "0/92 replies"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "PASS: ping-succeeds ping [94s, "
	    "150s): 56/56 replies"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "PASS: ping-fails ping [150s, "
	    "end): 0/50 replies"));
	free(out);
	free(text);
}

/*
 * OCI's headend answering only from 300 s (down until then: OCI's IPSec
 * connection is no timeline resource, so the headend's node-down/up
 * stands for its late creation), long after Azure's first attempt gave
 * up (its retransmissions end at 165 s): Azure keeps trying (restart 10 s
 * after each attempt, docs/azure.md), so the attempt running when the
 * headend appears, or the next, brings the tunnel up; without the restart
 * Azure would never try again.
 */
static void
test_azure_retries(void)
{
	char *text = variant(NULL, NULL,
	    "  - { kind: ipsec-established, tunnel: to-oci, by: 400s }\n"
	    "  - { kind: ipsec-established, tunnel: to-azure-tunnel-1, by: "
	    "400s }\n"
	    "  - { kind: bgp-established, node: vpn-gw, peer: 169.254.21.1, "
	    "by: 400s }\n"
	    "  - { kind: ping-fails, app: ping, before: 300s }\n"
	    "  - { kind: ping-succeeds, app: ping, after: 400s }\n"
	    "events:\n"
	    "  - { at: 0s, action: node-down, node: to-azure-headend-1 }\n"
	    "  - { at: 300s, action: node-up, node: to-azure-headend-1 }\n"
	    "apps:\n"
	    "  - { name: ping, type: ping, node: app-vm, dst: db-vm, start: "
	    "1s, interval: 10s, count: 49 }\n", "500s"), *out = NULL;

	/* attempts at 0 s and 175.06 s, each given up 165.06 s later
	 * (4 s x (1 + 1.8 + ... + 1.8^5)); the third, at 350.13 s, is
	 * answered: IKE's two exchanges, then BGP on a connect retry */
	CU_ASSERT_EQUAL(run_text(text, &out), 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "'to-azure-tunnel-1' established "
	    "by 400s: up since 350.125186167s"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "'to-oci' established by 400s: up "
	    "since 350.126073767s"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "first Established at "
	    "363.418464567s"));
	free(out);
	free(text);
}

/* The number after `"key":` in the JSON text from at, or -1. */
static long long
json_num(const char *at, const char *key)
{
	char k[40];
	const char *p;

	snprintf(k, sizeof(k), "\"%s\":", key);
	p = at != NULL ? strstr(at, k) : NULL;
	return p != NULL ? strtoll(p + strlen(k), NULL, 10) : -1;
}

/*
 * The fit of the VPN gateway's defaults (tunnel_delay 200us, tunnel_jitter
 * 1ms) to facts B9: two VpnGw2AZ gateways, UK West <-> UK South, the
 * internet path written as the measurement without VPN; 10,000 pings give
 * p50 6.10 ms (B9: ~6.2), p99 14.47 ms (B9: 13.9-15.5), max 40.3 ms (B9's
 * p99.9: up to 54). Exact for seed 1.
 */
static void
test_b9_calibration(void)
{
	size_t len;
	char *text = test_slurp(XCSIM_SOURCE_DIR
	    "/scenarios/examples/vpn-b9-calibration.yaml", &len), *out = NULL;
	char dir[] = "/tmp/test_vpn_b9_XXXXXX", path[64], *m;
	const char *rtt;
	struct scenario *sc;
	unsigned n = 0;
	int rc;

	CU_ASSERT_PTR_NOT_NULL_FATAL(text);
	CU_ASSERT_PTR_NOT_NULL_FATAL(mkdtemp(dir));
	sc = load(text, &out, &n);
	CU_ASSERT_PTR_NOT_NULL_FATAL(sc);
	free(out);
	out = NULL;
	CU_ASSERT_EQUAL(sc_run_to_end(sc, 0, dir, &out), 0);
	scenario_free(sc);
	snprintf(path, sizeof(path), "%s/metrics.json", dir);
	m = test_slurp(path, &len);
	CU_ASSERT_PTR_NOT_NULL_FATAL(m);
	rtt = strstr(m, "\"rtt_ns\":");
	CU_ASSERT_EQUAL(json_num(rtt, "samples"), 10000);
	CU_ASSERT_EQUAL(json_num(rtt, "min"), 4981106);
	CU_ASSERT_EQUAL(json_num(rtt, "p50"), 6100547);
	CU_ASSERT_EQUAL(json_num(rtt, "p99"), 14469893);
	CU_ASSERT_EQUAL(json_num(rtt, "max"), 40290429);
	free(out);
	/* one link carries both gateways' processing: 1.95 ms + 2 x 200 us,
	 * a pareto tail of sd sqrt(2) x 1 ms */
	out = expand(text, &rc);
	CU_ASSERT_EQUAL(rc, 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "- name: west-gw.to-south\n"
	    "  a: west-gw:to-south\n  b: south-gw:to-west\n  rate: 10Gbps\n"
	    "  delay: 2.35ms\n  jitter:\n    kind: pareto\n"
	    "    sd: 1.414214ms\n"));
	CU_ASSERT_PTR_NULL(strstr(out, "name: south-gw.to-west"));
	CU_ASSERT_EQUAL(test_sh(path, sizeof(path), "rm -rf %s", dir), 0);
	free(m);
	free(out);
	free(text);
}

/* text with from replaced by to (the first one; caller frees). */
static char *
edit_in(char *text, const char *from, const char *to)
{
	const char *at = strstr(text, from);
	size_t n;
	char *s;

	CU_ASSERT_PTR_NOT_NULL_FATAL(at);
	n = strlen(text) - strlen(from) + strlen(to) + 1;
	s = malloc(n);
	CU_ASSERT_PTR_NOT_NULL_FATAL(s);
	snprintf(s, n, "%.*s%s%s", (int)(at - text), text, to,
	    at + strlen(from));
	free(text);
	return s;
}

/*
 * 4.3: Oracle routes over every tunnel that is up. Both tunnels with BGP
 * (two local network gateways and connections on Azure's side, APIPA
 * 169.254.21.x and 169.254.22.x) and the VCN's attachment on a DRG table
 * with ECMP (B6: opt-in) importing the IPSec routes: the DRG holds the
 * VNet's prefix over both tunnels, and the Azure gateway the VCN's
 * subnet over both, so either end may send on either tunnel.
 */
static void
test_both_tunnels(void)
{
	static const char *const e[][2] = {
		{ "custom_bgp_ip_addresses: [169.254.21.2]",
		    "custom_bgp_ip_addresses: [169.254.21.2, 169.254.22.2]" },
		{ "      xcsim: { jitter: 300us }\n", "      xcsim: { jitter: "
		    "300us }\n    - name: oci-tunnel-2\n      "
		    "gateway_ip_address: 203.0.113.2\n"
		    "      bgp_settings: { asn: 31898, bgp_peering_address: "
		    "169.254.22.1 }\n" },
		{ "      enable_bgp: true\n\noci:", "      enable_bgp: true\n"
		    "    - { name: to-oci-2, connection_type: IPsec, "
		    "virtual_network_gateway: vpn-gw, local_network_gateway: "
		    "oci-tunnel-2, shared_key: s3cret-tunnel-2, enable_bgp: "
		    "true }\n\noci:" },
		{ "          shared_secret: s3cret-tunnel-2\n"
		    "          routing: STATIC\n",
		    "          shared_secret: s3cret-tunnel-2\n"
		    "          routing: BGP\n          bgp_session_info: { "
		    "customer_bgp_asn: 65515, customer_interface_ip: "
		    "169.254.22.2/30, oracle_interface_ip: 169.254.22.1/30 }\n"
		    "          phase_two_details: { is_pfs_enabled: true, "
		    "pfs_dh_group: GROUP14 }\n" },
		{ "        - { name: db-vcn-att, network_details: { type: VCN, "
		    "id: db-vcn } }\n", "        - { name: db-vcn-att, "
		    "network_details: { type: VCN, id: db-vcn }, "
		    "drg_route_table: vcn-ecmp }\n      drg_route_tables:\n"
		    "        - { name: vcn-ecmp, is_ecmp_enabled: true, "
		    "import_drg_route_distribution: from-ipsec }\n"
		    "      drg_route_distributions:\n"
		    "        - name: from-ipsec\n"
		    "          statements:\n            - { match_criteria: { "
		    "match_type: DRG_ATTACHMENT_TYPE, attachment_type: "
		    "IPSEC_TUNNEL }, priority: 1 }\n" },
	};
	char *text = variant(NULL, NULL, "  - { kind: ipsec-established, "
	    "tunnel: to-oci-2, by: 1s }\n  - { kind: ping-succeeds, app: "
	    "ping }\napps:\n  - { name: ping, type: ping, node: app-vm, dst: "
	    "db-vm, start: 5s, interval: 100ms, count: 100 }\n", "30s");
	char path[] = "/tmp/test_vpn_XXXXXX", out[8192], *res = NULL;
	size_t i;
	FILE *f;
	int fd;

	for (i = 0; i < sizeof(e) / sizeof(e[0]); i++)
		text = edit_in(text, e[i][0], e[i][1]);
	CU_ASSERT_EQUAL(run_text(text, &res), 0);
	free(res);
	fd = mkstemp(path);
	CU_ASSERT_FATAL(fd >= 0);
	f = fdopen(fd, "w");
	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	fputs(text, f);
	fclose(f);
	CU_ASSERT_EQUAL(test_sh(out, sizeof(out), "%s routes %s --node "
	    "drg1.vcn-ecmp --at 10s", XCSIM_BINARY, path), 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "Active   ipsec        40  via "
	    "169.254.248.6 dev to-azure-tunnel-1"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "Active   ipsec        40  via "
	    "169.254.248.10 dev to-azure-tunnel-2"));
	CU_ASSERT_EQUAL(test_sh(out, sizeof(out), "%s routes %s --node vpn-gw "
	    "--at 10s", XCSIM_BINARY, path), 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "via 169.254.21.1 dev to-oci, via "
	    "169.254.22.1 dev to-oci-2"));
	unlink(path);
	free(text);
}

static const struct test_case cases[] = {
	{ "the design loads", test_loads },
	{ "what the design expands into", test_expansion },
	{ "each load check at its place", test_errors },
	{ "more tunnels than the SKU takes", test_tunnel_limit },
	{ "the design runs: tunnels, BGP, pings, queries", test_design_runs },
	{ "the backup design: failover and failback", test_backup_runs },
	{ "both designs pass for seeds 1..5", test_designs_any_seed },
	{ "IKEv1, a wrong key, OCI's default PFS group", test_failure_modes },
	{ "an IPsec connection on the timeline", test_timeline },
	{ "its tunnel follows its gate", test_timeline_ike },
	{ "Azure keeps trying a tunnel OCI creates later", test_azure_retries },
	{ "the VPN gateway's delay fitted to B9", test_b9_calibration },
	{ "both tunnels up: ECMP at both ends (4.3, B6)", test_both_tunnels },
	{ NULL, NULL }
};

int
main(int argc, char **argv)
{
	size_t len;
	int rc;

	scenario_models_init();
	base = test_slurp(DESIGN, &len);
	if (base == NULL) {
		fprintf(stderr, "cannot read %s\n", DESIGN);
		return 1;
	}
	rc = test_main(argc, argv, "vpn", cases);
	free(base);
	return rc;
}
