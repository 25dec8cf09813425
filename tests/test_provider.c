/*
 * test_provider.c - the providers section, kind l3 (models/provider): an
 * Azure VNet behind an ExpressRoute circuit whose private peering the
 * provider typed (peer_asn its AS), an OCI-like side written by hand
 * (two Oracle edges, AS 31898, a VCN router, an instance), and the IP VPN
 * between them. The MPLS core's frames carry label stacks tshark decodes
 * with the IPv4 under them; a ping's RTT through the core is exact; the
 * VRF cases reproduce the seed's rules (separate VRFs: only through the
 * customer's router; shared: re-advertised by eBGP); the MSEE's prefix
 * limit and the provider's drop the session when overflowed; a cloud
 * router joining two ExpressRoute circuits loses each circuit's routes to
 * the other's AS-path loop prevention (both AS 12076).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scenario.h"
#include "scenario_expand.h"
#include "scenario_models.h"
#include "scenario_testutil.h"
#include "testutil.h"

static char *tmp;

static const char *
tmpdir(void)
{
	if (tmp == NULL)
		tmp = test_tmpdir("/tmp/xcsim-provider-XXXXXX");
	CU_ASSERT_PTR_NOT_NULL_FATAL(tmp);
	return tmp;
}

/*
 * %s: extra top-level keys, the Oracle edges' extra networks, the
 * provider's keys (after kind), apps and assertions.
 */
static const char fmt[] =
    "name: l3\n"
    "duration: 40s\n"
    "seed: 7\n"
    "%s"
    "nodes:\n"
    "  - name: oracle-edge-primary\n"
    "    role: oci-edge\n"
    "    interfaces:\n"
    "      - { name: private-peering, address: 10.20.0.1/30, vlan: 300 }\n"
    "      - { name: drg, address: 10.21.0.1/30 }\n"
    "    routes: [{ prefix: 10.0.0.0/16, via: 10.21.0.2 }]\n"
    "  - name: oracle-edge-secondary\n"
    "    role: oci-edge\n"
    "    interfaces:\n"
    "      - { name: private-peering, address: 10.20.0.5/30, vlan: 300 }\n"
    "      - { name: drg, address: 10.21.0.5/30 }\n"
    "    routes: [{ prefix: 10.0.0.0/16, via: 10.21.0.6 }]\n"
    "  - name: vcn\n"
    "    role: router\n"
    "    interfaces:\n"
    "      - { name: e1, address: 10.21.0.2/30 }\n"
    "      - { name: e2, address: 10.21.0.6/30 }\n"
    "      - { name: lan, address: 10.0.1.1/24 }\n"
    "    routes: [{ prefix: 10.1.0.0/16, via: 10.21.0.1 }]\n"
    "  - name: oci-vm\n"
    "    role: host\n"
    "    interfaces: [{ name: eth0, address: 10.0.1.10/24 }]\n"
    "    routes: [{ prefix: 0.0.0.0/0, via: 10.0.1.1 }]\n"
    "links:\n"
    "  - { name: d1, a: oracle-edge-primary:drg, b: vcn:e1, delay: 200us }\n"
    "  - { name: d2, a: oracle-edge-secondary:drg, b: vcn:e2, "
    "delay: 200us }\n"
    "  - { name: vl, a: vcn:lan, b: oci-vm:eth0, delay: 40us }\n"
    "bgp:\n"
    "  - node: oracle-edge-primary\n"
    "    asn: 31898\n"
    "    neighbors: [{ address: 10.20.0.2, remote_as: 64600 }]\n"
    "    networks:\n"
    "      - { prefix: 10.0.0.0/16 }\n"
    "%s"
    "  - node: oracle-edge-secondary\n"
    "    asn: 31898\n"
    "    neighbors: [{ address: 10.20.0.6, remote_as: 64600 }]\n"
    "    networks: [{ prefix: 10.0.0.0/16 }]\n"
    "providers:\n"
    "  - name: ipvpn\n"
    "    kind: l3\n"
    "    asn: 64600\n"
    "%s"
    "    core: { hops: 3, hop_delay: 1ms }\n"
    "    sides:\n"
    "      - { name: azure, circuit: er }\n"
    "      - { name: oci, primary: oracle-edge-primary:private-peering, "
    "secondary: oracle-edge-secondary:private-peering }\n"
    "azure:\n"
    "  virtual_networks:\n"
    "    - name: hub\n"
    "      location: eastus\n"
    "      address_space: { address_prefixes: [10.1.0.0/16] }\n"
    "      subnets:\n"
    "        - { name: app, address_prefix: 10.1.1.0/24 }\n"
    "        - { name: GatewaySubnet, address_prefix: 10.1.255.0/27 }\n"
    "  virtual_machines:\n"
    "    - name: app-vm\n"
    "      network_interfaces: [{ name: app-nic, subnet: hub/app }]\n"
    "  virtual_network_gateways:\n"
    "    - { name: hub-gw, sku: Standard, virtual_network: hub }\n"
    "  express_route_circuits:\n"
    "    - name: er\n"
    "      service_provider_name: Equinix\n"
    "      peering_location: Washington DC\n"
    "      bandwidth_in_mbps: 1000\n"
    "      private_peering:\n"
    "        primary_peer_address_prefix: 192.168.100.128/30\n"
    "        secondary_peer_address_prefix: 192.168.100.132/30\n"
    "        vlan_id: 100\n"
    "        peer_asn: 64600\n"
    "  connections:\n"
    "    - { name: hub-er, virtual_network_gateway: hub-gw, "
    "express_route_circuit: er }\n"
    "%s";

static char *
text(const char *top, const char *nets, const char *prov, const char *tail)
{
	size_t n = sizeof(fmt) + strlen(top) + strlen(nets) + strlen(prov) +
	    strlen(tail);
	char *s = malloc(n);

	CU_ASSERT_PTR_NOT_NULL_FATAL(s);
	snprintf(s, n, fmt, top, nets, prov, tail);
	return s;
}

/* text with the first `from` replaced by `to`; frees text. */
static char *
replace(char *t, const char *from, const char *to)
{
	const char *at = strstr(t, from);
	size_t n = strlen(t) - strlen(from) + strlen(to) + 1;
	char *s = malloc(n);

	CU_ASSERT_PTR_NOT_NULL_FATAL(at);
	snprintf(s, n, "%.*s%s%s", (int)(at - t), t, to, at + strlen(from));
	free(t);
	return s;
}

/*
 * Run text into tmpdir()/sub; returns run_check's lines (caller frees),
 * *failed the failed assertions.
 */
static char *
run_text(const char *t, const char *sub, unsigned *failed)
{
	char *diag = NULL, *out = NULL, dir[300];
	unsigned n = 0;
	struct scenario *sc = load(t, &diag, &n);

	if (sc == NULL)
		fprintf(stderr, "%s", diag);
	CU_ASSERT_PTR_NOT_NULL_FATAL(sc);
	free(diag);
	snprintf(dir, sizeof(dir), "%s/%s", tmpdir(), sub);
	*failed = sc_run_to_end(sc, 0, dir, &out);
	if (*failed != 0 || getenv("PV_DEBUG") != NULL)
		fprintf(stderr, "%s", out);
	scenario_free(sc);
	return out;
}

static const char ping_app[] =
    "apps:\n"
    "  - { name: p, type: ping, node: app-vm, dst: 10.0.1.10, start: 35s, "
    "interval: 1s, count: 3 }\n";

/*
 * Shared VRF: each cloud's routes reach the other by eBGP through the
 * provider's AS, and a ping crosses the core. One way: VM-VNet 40 us,
 * VNet-gateway 30 us, gateway-MSEE 500 us, MSEE-PE 20 us, four core links
 * of 1 ms, PE-Oracle edge 20 us, edge-VCN 200 us, VCN-instance 40 us:
 * 4.85 ms, 9.7 ms both ways, 1.65 us of serialisation on top.
 */
static void
test_shared_vrf(void)
{
	char *t = text("", "", "    vrfs: shared\n", ping_app), *out;
	char *a;
	unsigned failed;
	size_t n;

	n = strlen(t) + 1024;
	a = malloc(n);
	snprintf(a, n, "%s"
	    "assertions:\n"
	    "  - { kind: ping-succeeds, app: p, rtt_below: 9.70166ms }\n"
	    "  - { kind: route, node: hub-gw, prefix: 10.0.0.0/16, "
	    "as_path: \"12076 64600 31898\", at: 31s }\n"
	    "  - { kind: route, node: oracle-edge-primary, prefix: "
	    "10.1.0.0/16, via: 10.20.0.2, as_path: \"64600 12076 65515\", "
	    "at: 31s }\n"
	    "  - { kind: route, node: ipvpn-pe-oci-primary, prefix: "
	    "10.1.0.0/16, via: 100.64.0.1, as_path: \"12076 65515\", "
	    "at: 31s }\n", t);
	out = run_text(a, "shared", &failed);
	CU_ASSERT_EQUAL(failed, 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "3/3 replies, max rtt 9.70165ms"));
	free(out);
	free(a);
	free(t);
}


/*
 * The core on the wire (RFC 3032): at the middle P router of each path a
 * transport label over the VPN label (bottom of stack), the IPv4 packet
 * under them, nothing malformed. Uniform TTL: the ingress PE copies the
 * IP TTL (61 after VM 64, gateway, MSEE, PE) into both labels, each P
 * decrements the top one. The requests take the secondary path (the
 * gateway's ECMP hash), the replies the primary (the VCN's static route):
 * toward OCI P2 receives label 19 (its own for that direction) from P1,
 * toward Azure it sends 16 (P1's).
 */
static void
test_pcap_labels(void)
{
	char *t = text("record: { pcap: [ipvpn-p2-primary:a, "
	    "ipvpn-p2-secondary:a] }\n", "", "    vrfs: shared\n"
	    "    ttl_propagate: true\n", ping_app), *out;
	char cap[400], res[2048];
	unsigned failed;
	int rc;

	if (system("command -v tshark >/dev/null 2>&1") != 0) {
		CU_FAIL("tshark is not on PATH (apt-get install tshark)");
		free(t);
		return;
	}
	out = run_text(t, "pcap", &failed);
	CU_ASSERT_EQUAL(failed, 0);
	free(out);
	snprintf(cap, sizeof(cap), "%s/pcap/pcap", tmpdir());
	rc = test_sh(res, sizeof(res), "{ tshark -r %s/ipvpn-p2-secondary/"
	    "a.pcap -Y icmp -T fields -e mpls.label -e mpls.ttl "
	    "-e mpls.bottom -e ip.src -e ip.dst -e ip.ttl -e icmp.type "
	    "2>/dev/null; }", cap);
	CU_ASSERT_EQUAL(rc, 0);
	CU_ASSERT_STRING_EQUAL(res,
	    "19,1000\t60,61\t0,1\t10.1.1.4\t10.0.1.10\t61\t8\n"
	    "19,1000\t60,61\t0,1\t10.1.1.4\t10.0.1.10\t61\t8\n"
	    "19,1000\t60,61\t0,1\t10.1.1.4\t10.0.1.10\t61\t8\n");
	rc = test_sh(res, sizeof(res), "{ tshark -r %s/ipvpn-p2-primary/"
	    "a.pcap -Y icmp -T fields -e mpls.label -e mpls.ttl "
	    "-e mpls.bottom -e ip.src -e ip.dst -e ip.ttl -e icmp.type "
	    "2>/dev/null; }", cap);
	CU_ASSERT_EQUAL(rc, 0);
	CU_ASSERT_STRING_EQUAL(res,
	    "16,1000\t59,61\t0,1\t10.0.1.10\t10.1.1.4\t61\t0\n"
	    "16,1000\t59,61\t0,1\t10.0.1.10\t10.1.1.4\t61\t0\n"
	    "16,1000\t59,61\t0,1\t10.0.1.10\t10.1.1.4\t61\t0\n");
	/* BGP between the PEs' VRFs rides the same LSPs: all labelled */
	rc = test_sh(res, sizeof(res), "{ tshark -r %s/ipvpn-p2-primary/"
	    "a.pcap 2>/dev/null | wc -l; tshark -r %s/ipvpn-p2-primary/"
	    "a.pcap -Y 'mpls && ip' 2>/dev/null | wc -l; tshark -r "
	    "%s/ipvpn-p2-primary/a.pcap -Y 'bgp.type == 1' 2>/dev/null | "
	    "wc -l; tshark -r %s/ipvpn-p2-primary/a.pcap -Y _ws.malformed "
	    "2>/dev/null | wc -l; tshark -r %s/ipvpn-p2-secondary/a.pcap "
	    "-Y _ws.malformed 2>/dev/null | wc -l; }", cap, cap, cap, cap,
	    cap);
	CU_ASSERT_EQUAL(rc, 0);
	if (getenv("PV_DEBUG") != NULL)
		fprintf(stderr, "counts: %s", res);
	/*
	 * 34 frames, all IPv4 under labels; 4 OPENs: both PEs connect at
	 * once and each connection carries two before the collision closes
	 * one (RFC 4271 6.8).
	 */
	CU_ASSERT_STRING_EQUAL(res, "34\n34\n4\n0\n0\n");
	free(t);
}

/* A longer run: routes the customer passes wait for eBGP's MRAI. */
static char *
long_run(char *t)
{
	char *at = strstr(t, "duration: 40s");

	CU_ASSERT_PTR_NOT_NULL_FATAL(at);
	memcpy(at, "duration: 99s", 13);
	return t;
}

/*
 * The TTL models (RFC 3443): uniform, the P routers decrement the IP
 * TTL's copy and answer nothing (a traceroute shows * for each); pipe,
 * the core is one IP hop: the egress PE follows the ingress PE.
 */
static void
test_ttl_models(void)
{
	static const char tr[] =
	    "apps:\n"
	    "  - { name: tr, type: traceroute, node: app-vm, dst: 10.0.1.10, "
	    "start: 35s }\n"
	    "assertions:\n"
	    "  - { kind: traceroute-path, app: tr, path: [hub-gw, "
	    "msee-secondary, ipvpn-pe-azure-secondary, %s, oracle-edge-primary, "
	    "vcn, oci-vm] }\n";
	char app[1024], *t, *out;
	unsigned failed;

	/*
	 * The probes' ports differ: the gateway's ECMP sends some by the
	 * primary path, some by the secondary, as a real traceroute sees.
	 */
	snprintf(app, sizeof(app), tr, "\"*\", \"*\", \"*\", "
	    "ipvpn-pe-oci-primary");
	t = long_run(text("", "", "    vrfs: shared\n"
	    "    ttl_propagate: true\n", app));
	out = run_text(t, "uniform", &failed);
	CU_ASSERT_EQUAL(failed, 0);
	free(out);
	free(t);
	snprintf(app, sizeof(app), tr, "ipvpn-pe-oci-secondary");
	t = long_run(text("", "", "    vrfs: shared\n", app));
	out = run_text(t, "pipe", &failed);
	CU_ASSERT_EQUAL(failed, 0);
	free(out);
	free(t);
}

static const char late_ping[] =
    "apps:\n"
    "  - { name: p, type: ping, node: app-vm, dst: 10.0.1.10, start: 90s, "
    "interval: 1s, count: 3 }\n";

/*
 * Separate VRFs without the customer's router: each cloud's routes stay
 * in its VRF, the PEs carry them across the core to the other side's PE
 * and no further; the clouds never learn each other and a ping dies at
 * the VNet (no route: the system route's blackhole).
 */
static void
test_separate_vrfs(void)
{
	char *t = long_run(text("", "", "    vrfs: separate\n", late_ping));
	char *a, *out;
	unsigned failed;
	size_t n = strlen(t) + 1024;

	a = malloc(n);
	snprintf(a, n, "%s"
	    "assertions:\n"
	    "  - { kind: ping-fails, app: p }\n"
	    "  - { kind: route, node: hub-gw, prefix: 10.0.0.0/16, "
	    "absent: true }\n"
	    "  - { kind: route, node: oracle-edge-primary, prefix: "
	    "10.1.0.0/16, absent: true }\n"
	    "  - { kind: route, node: ipvpn-pe-oci-primary, prefix: "
	    "10.1.0.0/16, via: 100.64.0.1, as_path: \"12076 65515\" }\n", t);
	out = run_text(a, "separate", &failed);
	CU_ASSERT_EQUAL(failed, 0);
	free(out);
	free(a);
	free(t);
}

/*
 * Separate VRFs with the customer's router on the Azure side's PEs: the
 * routes cross only through it (its AS in the middle of each path, the
 * provider's twice), and the ping's RTT is the shared case's plus the
 * customer's two 100 us links each way (0.4 ms) and their serialisation.
 */
static void
test_separate_vrfs_customer(void)
{
	char *t = long_run(text("", "", "    vrfs: separate\n"
	    "    customer: { node: cust, asn: 65100, at: azure }\n",
	    late_ping));
	char *a, *out;
	unsigned failed;
	size_t n = strlen(t) + 1024;

	a = malloc(n);
	snprintf(a, n, "%s"
	    "assertions:\n"
	    "  - { kind: ping-succeeds, app: p, rtt_below: 10.10197ms }\n"
	    "  - { kind: route, node: hub-gw, prefix: 10.0.0.0/16, "
	    "as_path: \"12076 64600 65100 64600 31898\" }\n"
	    "  - { kind: route, node: oracle-edge-primary, prefix: "
	    "10.1.0.0/16, as_path: \"64600 65100 64600 12076 65515\" }\n"
	    "  - { kind: route, node: cust, prefix: 10.1.0.0/16, "
	    "as_path: \"64600 12076 65515\" }\n", t);
	out = run_text(a, "customer", &failed);
	CU_ASSERT_EQUAL(failed, 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "max rtt 10.101966ms"));
	free(out);
	free(a);
	free(t);
}

static long long
session_metric(const char *json, const char *node, const char *peer,
    const char *key)
{
	char want[160];

	snprintf(want, sizeof(want), "{\"node\":\"%s\",\"peer\":\"%s\"",
	    node, peer);
	if ((json = strstr(json, want)) == NULL)
		return -1;
	snprintf(want, sizeof(want), "\"%s\":", key);
	if ((json = strstr(json, want)) == NULL)
		return -1;
	return strtoll(json + strlen(want), NULL, 10);
}

/* The primary Oracle edge advertises n /32s more; metrics.json. */
static char *
advertise(unsigned n, const char *prov, const char *sub)
{
	size_t len = (size_t)n * 40 + 64, used = 0;
	char *nets = malloc(len), *t, *out, path[400], *json;
	unsigned i, failed;

	nets[0] = '\0';
	for (i = 0; i < n; i++)
		used += (size_t)snprintf(nets + used, len - used,
		    "      - { prefix: 198.18.%u.%u/32 }\n", i / 256, i % 256);
	t = text("", nets, prov, "");
	if (strstr(sub, "provider") != NULL)
		t = replace(t, "secondary: oracle-edge-secondary:private-peering "
		    "}", "secondary: oracle-edge-secondary:private-peering, "
		    "prefix_limit: 100 }");
	out = run_text(t, sub, &failed);
	free(out);
	snprintf(path, sizeof(path), "%s/%s/metrics.json", tmpdir(), sub);
	json = test_slurp(path, NULL);
	CU_ASSERT_PTR_NOT_NULL_FATAL(json);
	free(nets);
	free(t);
	return json;
}

/*
 * Each cloud's prefix limit applies to what the provider re-advertises
 * (1.4, B7): with a shared VRF the Oracle side's 4,000 /32s and its VCN
 * (4,001) overflow the MSEE's Standard limit of 4,000: it drops the
 * primary path's session (Cease 6/1); 3,999 more pass. The provider's
 * own limit toward a cloud likewise drops its PE's session to the Oracle
 * edge.
 */
static void
test_prefix_limits(void)
{
	char *json;

	json = advertise(3999, "    vrfs: shared\n", "limit-ok");
	CU_ASSERT_EQUAL(session_metric(json, "msee-primary",
	    "192.168.100.129", "max_prefix_teardowns"), 0);
	CU_ASSERT_EQUAL(session_metric(json, "msee-primary",
	    "192.168.100.129", "prefixes_in"), 4000);
	free(json);
	json = advertise(4000, "    vrfs: shared\n", "limit-over");
	CU_ASSERT_EQUAL(session_metric(json, "msee-primary",
	    "192.168.100.129", "max_prefix_teardowns"), 1);
	CU_ASSERT_EQUAL(session_metric(json, "msee-primary",
	    "192.168.100.129", "subcode"), 1);
	/* the secondary path never carried them: untouched */
	CU_ASSERT_EQUAL(session_metric(json, "msee-secondary",
	    "192.168.100.133", "max_prefix_teardowns"), 0);
	free(json);
	/* separate VRFs, no customer: Azure never sees them */
	json = advertise(4000, "    vrfs: separate\n", "limit-separate");
	CU_ASSERT_EQUAL(session_metric(json, "msee-primary",
	    "192.168.100.129", "max_prefix_teardowns"), 0);
	CU_ASSERT_EQUAL(session_metric(json, "msee-primary",
	    "192.168.100.129", "prefixes_in"), 0);
	free(json);
	/* the provider's own: 100 from each Oracle edge; the primary's 101 */
	json = advertise(100, "    vrfs: shared\n", "limit-provider");
	CU_ASSERT_EQUAL(session_metric(json, "ipvpn-pe-oci-primary",
	    "10.20.0.1", "max_prefix_teardowns"), 1);
	CU_ASSERT_EQUAL(session_metric(json, "ipvpn-pe-oci-secondary",
	    "10.20.0.5", "max_prefix_teardowns"), 0);
	CU_ASSERT_EQUAL(session_metric(json, "ipvpn-pe-oci-secondary",
	    "10.20.0.5", "prefixes_in"), 1);
	free(json);
}

static const char loop_text[] =
    "name: mcr-two-circuits\n"
    "duration: 40s\n"
    "seed: 7\n"
    "providers:\n"
    "  - name: mcr\n"
    "    kind: l3\n"
    "    asn: 133937\n"
    "    vrfs: shared\n"
    "    core: { hops: 0, hop_delay: 10us }\n"
    "    sides:\n"
    "      - { name: a, circuit: er-a }\n"
    "      - { name: b, circuit: er-b }\n"
    "azure:\n"
    "  virtual_networks:\n"
    "    - name: vnet-a\n"
    "      location: eastus\n"
    "      address_space: { address_prefixes: [10.1.0.0/16] }\n"
    "      subnets:\n"
    "        - { name: app, address_prefix: 10.1.1.0/24 }\n"
    "        - { name: GatewaySubnet, address_prefix: 10.1.255.0/27 }\n"
    "    - name: vnet-b\n"
    "      location: westus2\n"
    "      address_space: { address_prefixes: [10.2.0.0/16] }\n"
    "      subnets:\n"
    "        - { name: app, address_prefix: 10.2.1.0/24 }\n"
    "        - { name: GatewaySubnet, address_prefix: 10.2.255.0/27 }\n"
    "  virtual_machines:\n"
    "    - name: vm-a\n"
    "      network_interfaces: [{ name: nic-a, subnet: vnet-a/app }]\n"
    "    - name: vm-b\n"
    "      network_interfaces: [{ name: nic-b, subnet: vnet-b/app }]\n"
    "  virtual_network_gateways:\n"
    "    - { name: gw-a, sku: Standard, virtual_network: vnet-a }\n"
    "    - { name: gw-b, sku: Standard, virtual_network: vnet-b }\n"
    "  express_route_circuits:\n"
    "    - name: er-a\n"
    "      service_provider_name: Megaport\n"
    "      peering_location: Washington DC\n"
    "      bandwidth_in_mbps: 1000\n"
    "      private_peering:\n"
    "        primary_peer_address_prefix: 192.168.100.128/30\n"
    "        secondary_peer_address_prefix: 192.168.100.132/30\n"
    "        vlan_id: 100\n"
    "        peer_asn: 133937\n"
    "    - name: er-b\n"
    "      service_provider_name: Megaport\n"
    "      peering_location: Seattle\n"
    "      bandwidth_in_mbps: 1000\n"
    "      private_peering:\n"
    "        primary_peer_address_prefix: 192.168.101.128/30\n"
    "        secondary_peer_address_prefix: 192.168.101.132/30\n"
    "        vlan_id: 200\n"
    "        peer_asn: 133937\n"
    "  connections:\n"
    "    - { name: a-er, virtual_network_gateway: gw-a, express_route_circuit: er-a }\n"
    "    - { name: b-er, virtual_network_gateway: gw-b, express_route_circuit: er-b }\n"
    "apps:\n"
    "  - { name: p, type: ping, node: vm-a, dst: vm-b, start: 35s, interval: 1s, count: 3 }\n"
    "assertions:\n"
    "  - { kind: ping-fails, app: p }\n"
    "  - { kind: route, node: mcr-pe-b-primary, prefix: 10.1.0.0/16 }\n"
    "  - { kind: route, node: er-b-msee-primary, prefix: 10.1.0.0/16, absent: true }\n"
    "  - { kind: route, node: gw-b, prefix: 10.1.0.0/16, absent: true }\n"
    "  - { kind: route, node: gw-a, prefix: 10.2.0.0/16, absent: true }\n";

/*
 * A cloud router of the Megaport kind (one AS, hops 0: one box) joining
 * two ExpressRoute circuits (B7): it learns both VNets, but what it
 * passes from one circuit to the other carries 12076, and the other
 * circuit's MSEE (AS 12076) drops it by ordinary AS-path loop prevention
 * (RFC 4271 9.1.2): the UPDATE arrives, no prefix is kept, neither
 * gateway learns the other VNet and a ping between them finds no route.
 */
static void
test_loop_prevention(void)
{
	char *out, path[400], *json;
	unsigned failed;

	out = run_text(loop_text, "loop", &failed);
	CU_ASSERT_EQUAL(failed, 0);
	free(out);
	snprintf(path, sizeof(path), "%s/loop/metrics.json", tmpdir());
	json = test_slurp(path, NULL);
	CU_ASSERT_PTR_NOT_NULL_FATAL(json);
	CU_ASSERT(session_metric(json, "er-b-msee-primary", "192.168.101.129",
	    "updates_in") >= 1);
	CU_ASSERT_EQUAL(session_metric(json, "er-b-msee-primary",
	    "192.168.101.129", "prefixes_in"), 0);
	CU_ASSERT_EQUAL(session_metric(json, "er-a-msee-primary",
	    "192.168.100.129", "prefixes_in"), 0);
	free(json);
}

/* The section's own errors, at the item. */
static void
test_errors(void)
{
	static const struct {
		const char *from, *to, *at, *msg;
	} cases[] = {
		{ "circuit: er }", "circuit: ex }", "49:33",
		    "unknown ExpressRoute circuit 'ex'" },
		{ "circuit: er }", "circuit: er, primary: vcn:lan }", "49:46",
		    "give circuit, virtual_circuit or primary/secondary, not more" },
		{ "asn: 64600\n", "asn: 12076\n", "45:10",
		    "asn 12076 is a cloud's" },
		{ "core: { hops: 3, hop_delay: 1ms }",
		    "core: { hops: 3, hop_delay: 1ms, span_delay: 3ms }", "47:50",
		    "give hop_delay or span_delay, not both" },
		{ "secondary: oracle-edge-secondary:private-peering",
		    "secondary: oci-vm:eth0", "50:79",
		    "oci-vm:eth0 has no /30 or /31 address" },
		{ "primary: oracle-edge-primary:private-peering",
		    "primary: oracle-edge-primary:nope", "50:31",
		    "no interface oracle-edge-primary:nope to peer with" },
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *t = replace(text("", "", "    vrfs: shared\n", ""),
		    cases[i].from, cases[i].to), *diag = NULL;
		unsigned n = 0;
		struct scenario *sc = load(t, &diag, &n);

		CU_ASSERT_PTR_NULL(sc);
		if (!has_error(diag, cases[i].at, cases[i].msg))
			fprintf(stderr, "case %zu: %s", i, diag);
		CU_ASSERT(has_error(diag, cases[i].at, cases[i].msg));
		if (sc != NULL)
			scenario_free(sc);
		free(diag);
		free(t);
	}
}

/* A second virtual circuit, Azure's (the interconnect, 3.1), and its circuit. */
static const char az_circuit[] =
    "    - { name: er-ashburn, service_provider_name: Oracle Cloud "
    "FastConnect, peering_location: Washington DC, bandwidth_in_mbps: 1000 }\n"
    "  connections:\n";
static const char az_vc[] =
    "  virtual_circuits:\n"
    "    - { name: vc-azure, provider_service_name: \"Microsoft Azure: "
    "ExpressRoute\", provider_service_key_name: er-ashburn, "
    "bandwidth_shape_name: 1 Gbps, gateway_id: drg1, "
    "cross_connect_mappings: [{ customer_bgp_peering_ip: 169.254.0.2/30, "
    "oracle_bgp_peering_ip: 169.254.0.1/30, vlan: 33 }, "
    "{ customer_bgp_peering_ip: 169.254.1.2/30, "
    "oracle_bgp_peering_ip: 169.254.1.1/30, vlan: 33 }] }\n";

static char *
design(const char *file)
{
	char path[400], *t;

	snprintf(path, sizeof(path), "%s/scenarios/designs/%s",
	    XCSIM_SOURCE_DIR, file);
	t = test_slurp(path, NULL);
	CU_ASSERT_PTR_NOT_NULL_FATAL(t);
	return t;
}

/*
 * Hostile edits of the l3 designs (review 8, finding 1): a provider, side
 * or circuit whose name is missing or refused is reported at its mark by
 * the walk, and the providers check reads no NULL (it crashed in strcmp,
 * strlen and xstrdup). A side's virtual_circuit is the oci section's by
 * name (finding 4: with one VC any name passed): an unknown one with a
 * suggestion, Azure's own VC (not a partner's) refused.
 */
static void
test_design_errors(void)
{
	static const struct {
		const char *file, *from, *to, *at, *msg;
		bool azure_vc;
	} cases[] = {
		{ "l3-provider.yaml", "- name: er-ipvpn", "- nam: er-ipvpn",
		    "38:7", "azure-express-route-circuit is missing required "
		    "key 'name'", false },
		{ "l3-provider.yaml", "  - name: ipvpn", "  - nam: ipvpn",
		    "16:5", "provider is missing required key 'name'", false },
		{ "l3-provider.yaml", "circuit: er-ipvpn }", "circuit: [x] }",
		    "22:33", "'circuit': expected a single value, got a list",
		    false },
		{ "l3-provider.yaml", "{ name: azure, circuit",
		    "{ nam: azure, circuit", "22:9", "provider-side is missing "
		    "required key 'name'", false },
		{ "l3-provider-separate.yaml", "{ name: azure, circuit",
		    "{ nam: azure, circuit", "23:9", "provider-side is missing "
		    "required key 'name'", false },
		{ "l3-provider.yaml", "virtual_circuit: vc-ipvpn",
		    "virtual_circuit: nope", "23:39",
		    "unknown virtual circuit 'nope': none in the oci section "
		    "has this name", false },
		{ "l3-provider.yaml", "virtual_circuit: vc-ipvpn",
		    "virtual_circuit: vc-ipvpm", "23:39",
		    "unknown virtual circuit 'vc-ipvpm': none in the oci "
		    "section has this name (did you mean 'vc-ipvpn'?)", true },
		{ "l3-provider.yaml", "virtual_circuit: vc-ipvpn",
		    "virtual_circuit: vc-azure", "23:39",
		    "virtual circuit 'vc-azure' is not through a FastConnect "
		    "partner", true },
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *t = replace(design(cases[i].file), cases[i].from,
		    cases[i].to), *diag = NULL;
		unsigned n = 0;
		struct scenario *sc;

		if (cases[i].azure_vc) {
			t = replace(t, "  connections:\n", az_circuit);
			t = replace(t, "  virtual_circuits:\n", az_vc);
		}
		sc = load(t, &diag, &n);
		CU_ASSERT_PTR_NULL(sc);
		if (!has_error(diag, cases[i].at, cases[i].msg))
			fprintf(stderr, "case %zu: %s", i, diag);
		CU_ASSERT(has_error(diag, cases[i].at, cases[i].msg));
		if (sc != NULL)
			scenario_free(sc);
		free(diag);
		free(t);
	}
}

/*
 * With two virtual circuits the Oracle edges are named after theirs
 * (vc-ipvpn-oracle-edge-primary): the provider's side finds them by the
 * section's real count and the design runs as before.
 */
static void
test_two_vcs(void)
{
	char *t = design("l3-provider.yaml"), *out;
	unsigned failed;

	t = replace(t, "  connections:\n", az_circuit);
	t = replace(t, "  virtual_circuits:\n", az_vc);
	t = replace(t, "node: oracle-edge-primary,",
	    "node: vc-ipvpn-oracle-edge-primary,");
	out = run_text(t, "two-vcs", &failed);
	CU_ASSERT_EQUAL(failed, 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "PASS: route 10.1.0.0/16 at "
	    "vc-ipvpn-oracle-edge-primary at 60s path \"64600 12076 65515\""));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "PASS: ping-succeeds"));
	free(out);
	free(t);
}

static const char l2_text[] =
    "name: l2-try\n"
    "record: { pcap: [msee-primary:private-peering, cust-router:eth-azure-primary, oracle-edge-primary:private-peering] }\n"
    "description: Azure East US <-> OCI Ashburn through an L3 (MPLS IP VPN) provider, shared VRF\n"
    "duration: 60s\n"
    "seed: 1\n"
    "providers:\n"
    "  - name: eth\n"
    "    kind: l2\n"
    "    core: { span_delay: 1ms }\n"
    "    customer: { node: cust-router, asn: 65010 }\n"
    "    sides:\n"
    "      - { name: azure, circuit: er-ipvpn }\n"
    "      - { name: oci, virtual_circuit: vc-ipvpn }\n"
    "azure:\n"
    "  virtual_networks:\n"
    "    - name: app-vnet\n"
    "      location: eastus\n"
    "      address_space: { address_prefixes: [10.1.0.0/16] }\n"
    "      subnets:\n"
    "        - { name: app, address_prefix: 10.1.1.0/24 }\n"
    "        - { name: GatewaySubnet, address_prefix: 10.1.255.0/27 }\n"
    "  virtual_machines:\n"
    "    - name: app-vm\n"
    "      network_interfaces: [{ name: app-nic, subnet: app-vnet/app }]\n"
    "  virtual_network_gateways:\n"
    "    - { name: app-gw, sku: Standard, virtual_network: app-vnet }\n"
    "  express_route_circuits:\n"
    "    - name: er-ipvpn\n"
    "      service_provider_name: Level 3 Communications - IPVPN\n"
    "      peering_location: Washington DC\n"
    "      bandwidth_in_mbps: 1000\n"
    "      private_peering:\n"
    "        primary_peer_address_prefix: 172.16.100.0/30\n"
    "        secondary_peer_address_prefix: 172.16.100.4/30\n"
    "        vlan_id: 100\n"
    "        peer_asn: 65010\n"
    "      xcsim: { stag: 15 }\n"
    "  connections:\n"
    "    - { name: app-er, virtual_network_gateway: app-gw, express_route_circuit: er-ipvpn }\n"
    "oci:\n"
    "  region: us-ashburn-1\n"
    "  vcns:\n"
    "    - name: db-vcn\n"
    "      cidr_blocks: [10.2.0.0/16]\n"
    "      subnets:\n"
    "        - { name: db, cidr_block: 10.2.1.0/24, route_table: db-rt, security_lists: [db-sl] }\n"
    "      route_tables:\n"
    "        - name: db-rt\n"
    "          route_rules:\n"
    "            - { destination: 10.1.0.0/16, network_entity_id: drg1 }\n"
    "      security_lists:\n"
    "        - name: db-sl\n"
    "          ingress_security_rules:\n"
    "            - { source: 10.1.0.0/16, protocol: all }\n"
    "          egress_security_rules:\n"
    "            - { destination: 0.0.0.0/0, protocol: all }\n"
    "  instances:\n"
    "    - name: db1\n"
    "      vnics: [{ name: db1-vnic, subnet: db-vcn/db }]\n"
    "  drgs:\n"
    "    - name: drg1\n"
    "      drg_attachments:\n"
    "        - { name: db-vcn-att, network_details: { type: VCN, id: db-vcn } }\n"
    "  virtual_circuits:\n"
    "    - name: vc-ipvpn\n"
    "      provider_service_name: Level 3 Communications - IPVPN\n"
    "      provider_service_type: LAYER2\n"
    "      customer_asn: 65010\n"
    "      bandwidth_shape_name: 1 Gbps\n"
    "      gateway_id: drg1\n"
    "      cross_connect_mappings:\n"
    "        - { customer_bgp_peering_ip: 10.255.0.2/30, oracle_bgp_peering_ip: 10.255.0.1/30, vlan: 101 }\n"
    "        - { customer_bgp_peering_ip: 10.255.0.6/30, oracle_bgp_peering_ip: 10.255.0.5/30, vlan: 102 }\n"
    "apps:\n"
    "  - { name: app-to-db, type: ping, node: app-vm, dst: db1, start: 40s, interval: 1s, count: 10 }\n"
    "assertions:\n"
    "  - { kind: ping-succeeds, app: app-to-db }\n"
    "  - { kind: route, node: app-gw, prefix: 10.2.1.0/24, as_path: \"12076 65010 31898\" }\n";

/*
 * kind l2: the provider's switches carry the customer's router's VLANs to
 * each cloud's edge, the router runs BGP with both clouds and passes each
 * one's routes to the other (eBGP, by default). Toward the circuit, whose
 * MSEEs take QinQ (S-tag 15 over the peering's VLAN 100, 1.8), the switch
 * pushes the S-tag; the customer's side sees the C-tag only. Toward OCI
 * (a LAYER2 partner VC, VLANs 101/102) frames pass as they are. The RTT:
 * the l3 design's spans without the core and the PEs, plus the service's
 * 1 ms each way on each side of the customer's router.
 */
static void
test_l2(void)
{
	char *out, cap[400], res[1024];
	unsigned failed;
	int rc;

	out = run_text(l2_text, "l2", &failed);
	CU_ASSERT_EQUAL(failed, 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "max rtt 5.761184ms"));
	free(out);
	if (system("command -v tshark >/dev/null 2>&1") != 0) {
		CU_FAIL("tshark is not on PATH (apt-get install tshark)");
		return;
	}
	snprintf(cap, sizeof(cap), "%s/l2/pcap", tmpdir());
	rc = test_sh(res, sizeof(res), "{ for f in msee-primary/private-"
	    "peering cust-router/eth-azure-primary oracle-edge-primary/"
	    "private-peering; do tshark -r %s/$f.pcap -Y 'icmp' -T "
	    "fields -e ieee8021ad.id -e vlan.id -e ip.src -e ip.dst "
	    "2>/dev/null | head -1; tshark -r %s/$f.pcap -Y _ws.malformed 2>/dev/null "
	    "| wc -l; done; }", cap, cap);
	CU_ASSERT_EQUAL(rc, 0);
	if (getenv("PV_DEBUG") != NULL)
		fprintf(stderr, "l2: %s", res);
	CU_ASSERT_STRING_EQUAL(res,
	    "15\t100\t10.2.1.2\t10.1.1.4\n0\n"
	    "\t100\t10.2.1.2\t10.1.1.4\n0\n"
	    "\t101\t10.1.1.4\t10.2.1.2\n0\n");
}

/* The designs (scenarios/designs/) pass their own assertions. */
static void
test_designs(void)
{
	static const char *const files[] = { "l3-provider.yaml",
	    "l3-provider-separate.yaml" };
	char path[400], *t, *out;
	unsigned failed;
	size_t i;

	for (i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		snprintf(path, sizeof(path), "%s/scenarios/designs/%s",
		    XCSIM_SOURCE_DIR, files[i]);
		t = test_slurp(path, NULL);
		CU_ASSERT_PTR_NOT_NULL_FATAL(t);
		out = run_text(t, files[i], &failed);
		CU_ASSERT_EQUAL(failed, 0);
		CU_ASSERT_PTR_NULL(strstr(out, "FAIL"));
		CU_ASSERT_PTR_NOT_NULL(strstr(out, "PASS: ping-succeeds"));
		free(out);
		free(t);
	}
}

/*
 * A broken core link (no fast reroute, no BFD inside the provider): the
 * primary path's iBGP sessions between the PEs' VRF ends time out at
 * their hold time (the last keepalive before the cut + 90 s), the PEs
 * withdraw the far cloud's routes from the MSEE and the Oracle edge, and
 * the traffic moves to the secondary path. The ping loses everything
 * from the cut until then, and nothing after 120 s.
 */
static void
test_core_link_failure(void)
{
	char path[400], *t, *json, *out, *e;
	unsigned failed;

	snprintf(path, sizeof(path), "%s/scenarios/designs/l3-provider.yaml",
	    XCSIM_SOURCE_DIR);
	t = test_slurp(path, NULL);
	CU_ASSERT_PTR_NOT_NULL_FATAL(t);
	t = replace(t, "duration: 60s", "duration: 200s");
	t = replace(t, "apps:\n", "events:\n"
	    "  - { at: 45s, action: link-down, link: ipvpn-core-primary-2 }\n"
	    "apps:\n");
	t = replace(t, "count: 10", "count: 150");
	e = strstr(t, "assertions:\n");
	CU_ASSERT_PTR_NOT_NULL_FATAL(e);
	*e = '\0';
	t = replace(t, "apps:\n", "assertions:\n"
	    "  - { kind: ping-fails, app: app-to-db, after: 46s, before: 117s }\n"
	    "  - { kind: ping-succeeds, app: app-to-db, after: 120s }\n"
	    "  - { kind: ping-succeeds, app: app-to-db, before: 45s }\n"
	    "apps:\n");
	out = run_text(t, "core-cut", &failed);
	CU_ASSERT_EQUAL(failed, 0);
	free(out);
	snprintf(path, sizeof(path), "%s/core-cut/metrics.json", tmpdir());
	json = test_slurp(path, NULL);
	CU_ASSERT_PTR_NOT_NULL_FATAL(json);
	CU_ASSERT_EQUAL(session_metric(json, "ipvpn-pe-azure-primary",
	    "100.64.0.2", "last_down_ns"), 117333993515LL);
	CU_ASSERT_EQUAL(session_metric(json, "ipvpn-pe-azure-secondary",
	    "100.64.0.34", "flaps"), 0);
	free(json);
	free(t);
}

/* The expansion of text (as `xcsim expand` prints it); caller frees. */
static char *
expand(const char *t)
{
	char *out = NULL, *diag = NULL;
	size_t len = 0, dlen = 0;
	FILE *o = open_memstream(&out, &len), *d = open_memstream(&diag,
	    &dlen);
	int rc = scenario_expand_print_buffer("x.yaml", t, strlen(t), o, d);

	fclose(o);
	fclose(d);
	if (rc != 0)
		fprintf(stderr, "%s", diag);
	CU_ASSERT_EQUAL(rc, 0);
	free(diag);
	return out;
}

/*
 * `xcsim expand` prints the data plane as provider_devices items, so the
 * printed expansion runs as it is (the same RTT through the core), and
 * expanding it again prints the same text.
 */
static void
test_expansion_runs(void)
{
	char *t = text("", "", "    vrfs: shared\n    ttl_propagate: true\n",
	    ping_app), *x, *x2, *out, *a;
	unsigned failed;
	size_t n;

	n = strlen(t) + 256;
	a = malloc(n);
	snprintf(a, n, "%sassertions:\n"
	    "  - { kind: ping-succeeds, app: p, rtt_below: 9.70166ms }\n", t);
	x = expand(a);
	CU_ASSERT_PTR_NULL(strstr(x, "providers:"));
	CU_ASSERT_PTR_NOT_NULL(strstr(x, "- node: ipvpn-p3-primary\n"
	    "  kind: p\n  ttl_propagate: true\n  lfib:\n"
	    "  - in: a\n    label: 21\n    out: b\n    out_label: pop\n"
	    "  - in: b\n    label: 20\n    out: a\n    out_label: 18\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(x, "- node: ipvpn-pe-oci-secondary\n"
	    "  kind: pe\n  ttl_propagate: true\n  core: core\n  vrfs:\n"
	    "  - iface: vrf-ipvpn\n    local: 1000\n    remote: 1000\n"
	    "    transport: 20\n"));
	out = run_text(x, "expanded", &failed);
	CU_ASSERT_EQUAL(failed, 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "3/3 replies, max rtt 9.70165ms"));
	free(out);
	x2 = expand(x);
	CU_ASSERT_STRING_EQUAL(x, x2);
	free(x2);
	free(x);
	free(a);
	free(t);
}

int
main(int argc, char **argv)
{
	static const struct test_case cases[] = {
		{ "shared VRF: re-advertised by eBGP, exact ping RTT",
		    test_shared_vrf },
		{ "the core's label stacks in tshark, uniform TTL",
		    test_pcap_labels },
		{ "uniform and pipe TTL in a traceroute", test_ttl_models },
		{ "separate VRFs: no route across without the customer",
		    test_separate_vrfs },
		{ "separate VRFs: across through the customer's router",
		    test_separate_vrfs_customer },
		{ "the clouds' and the provider's prefix limits",
		    test_prefix_limits },
		{ "a cloud router on two circuits: AS-path loop prevention",
		    test_loop_prevention },
		{ "errors at the provider's keys", test_errors },
		{ "hostile design edits: no NULL read, VCs by name",
		    test_design_errors },
		{ "two virtual circuits: the edges by the real count",
		    test_two_vcs },
		{ "the printed expansion runs as it is", test_expansion_runs },
		{ "a broken core link: the other path after the hold time",
		    test_core_link_failure },
		{ "kind l2: QinQ S-tag pushed toward the MSEE, BGP by the "
		    "customer", test_l2 },
		{ "the designs l3-provider and l3-provider-separate",
		    test_designs },
		{ NULL, NULL }
	};

	scenario_models_init();
	return test_main(argc, argv, "provider", cases);
}
