/*
 * test_azure_expand.c - the azure section expanded and run end to end
 * (models/azure/azure_expand*.c): a VNet with two subnets, an NSG, two
 * VMs, an ExpressRoute gateway and a circuit with an explicit private
 * peering, and a customer edge router written by hand (nodes, links, bgp)
 * peering with msee-primary:private-peering and msee-secondary. BGP comes
 * up gateway <-> MSEE <-> CE, the CE's prefix reaches the subnets' VRFs at
 * an exact simulated time, pings VM <-> on-premises and VM <-> VM (one
 * VNet, two subnets, through _vnet) pass, the NSG's deny
 * rule drops with its name in the trace, FastPath takes the gateway out of
 * the inbound path (B5), the SKU's shaper is on the gateway's link (1.6)
 * and the printed expansion runs as it is.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scenario.h"
#include "scenario_expand.h"
#include "scenario_models.h"
#include "scenario_testutil.h"
#include "testutil.h"
#include "trace.h"
#include "trace_read.h"

/* %s: the gateway's sku, the connection's extra keys, extra apps. */
static const char fmt[] =
    "name: azure-e2e\n"
    "duration: 45s\n"
    "seed: 7\n"
    "nodes:\n"
    "  - name: ce\n"
    "    role: router\n"
    "    interfaces:\n"
    "      - { name: to-msee1, address: 192.168.100.129/30, vlan: 100 }\n"
    "      - { name: to-msee2, address: 192.168.100.133/30, vlan: 100 }\n"
    "      - { name: lan, address: 172.16.5.1/24 }\n"
    "  - name: onprem\n"
    "    role: host\n"
    "    interfaces: [{ name: eth0, address: 172.16.5.10/24 }]\n"
    "    routes: [{ prefix: 0.0.0.0/0, via: 172.16.5.1 }]\n"
    "links:\n"
    "  - { name: pp1, a: ce:to-msee1, b: msee-primary:private-peering, "
    "delay: 1ms }\n"
    "  - { name: pp2, a: ce:to-msee2, b: msee-secondary:private-peering, "
    "delay: 1ms }\n"
    "  - { name: lan, a: ce:lan, b: onprem:eth0, delay: 100us }\n"
    "bgp:\n"
    "  - node: ce\n"
    "    asn: 65001\n"
    "    neighbors:\n"
    "      - { address: 192.168.100.130, remote_as: 12076 }\n"
    "      - { address: 192.168.100.134, remote_as: 12076 }\n"
    "    networks: [{ prefix: 172.16.5.0/24 }]\n"
    "azure:\n"
    "  virtual_networks:\n"
    "    - name: hub\n"
    "      location: eastus\n"
    "      address_space: { address_prefixes: [10.1.0.0/16] }\n"
    "      subnets:\n"
    "        - { name: app, address_prefix: 10.1.1.0/24, "
    "network_security_group: app-nsg }\n"
    "        - { name: db, address_prefix: 10.1.2.0/24 }\n"
    "        - { name: GatewaySubnet, address_prefix: 10.1.255.0/27 }\n"
    "  network_security_groups:\n"
    "    - name: app-nsg\n"
    "      security_rules:\n"
    "        - { name: DenyUdp5000, priority: 100, direction: Inbound, "
    "access: Deny, protocol: Udp, destination_port_range: \"5000\" }\n"
    "        - { name: AllowOnprem, priority: 200, direction: Inbound, "
    "access: Allow, source_address_prefix: 172.16.5.0/24 }\n"
    "  virtual_machines:\n"
    "    - name: app-vm\n"
    "      network_interfaces: [{ name: app-nic, subnet: hub/app }]\n"
    "    - name: db-vm\n"
    "      network_interfaces: [{ name: db-nic, subnet: hub/db }]\n"
    "  virtual_network_gateways:\n"
    "    - { name: hub-gw, sku: %s, virtual_network: hub }\n"
    "  express_route_circuits:\n"
    "    - name: er\n"
    "      service_provider_name: Equinix\n"
    "      peering_location: Washington DC\n"
    "      bandwidth_in_mbps: 1000\n"
    "      private_peering:\n"
    "        primary_peer_address_prefix: 192.168.100.128/30\n"
    "        secondary_peer_address_prefix: 192.168.100.132/30\n"
    "        vlan_id: 100\n"
    "        peer_asn: 65001\n"
    "  connections:\n"
    "    - { name: hub-er, virtual_network_gateway: hub-gw, "
    "express_route_circuit: er%s }\n"
    "apps:\n"
    "  - { name: vm-to-onprem, type: ping, node: app-vm, dst: 172.16.5.10, "
    "start: 31s, interval: 1s, count: 5 }\n"
    "  - { name: onprem-to-db, type: ping, node: onprem, dst: 10.1.2.4, "
    "start: 31s, interval: 1s, count: 5 }\n"
    "  - { name: denied, type: udp_cbr, node: onprem, dst: 10.1.1.4, "
    "dport: 5000, start: 32s, interval: 1s, count: 3 }\n"
    "  - { name: tr-in, type: traceroute, node: onprem, dst: 10.1.1.4, "
    "start: 40s }\n"
    "  - { name: app-to-db, type: ping, node: app-vm, dst: db-vm, "
    "start: 36s, interval: 1s, count: 3 }\n"
    "assertions:\n"
    "  - { kind: ping-succeeds, app: vm-to-onprem, rtt_below: 4ms }\n"
    "  - { kind: ping-succeeds, app: onprem-to-db }\n"
    "  - { kind: ping-succeeds, app: app-to-db, rtt_below: 200us }\n"
    "  - { kind: traceroute-path, app: tr-in, path: [%s] }\n";

/* The query assertions (docs/query.md) on the base scenario. */
static const char queries[] =
    "  - { kind: effective-route, table: app-nic, dst: 172.16.5.10, "
    "source: bgp, next_hop: 10.1.255.4, attributes: Virtual network "
    "gateway, at: 35s }\n"
    "  - { kind: effective-route, table: app-nic, prefix: 172.16.5.0/24, "
    "absent: true, at: 29s }\n"
    "  - { kind: effective-route, table: hub.db, prefix: 10.0.0.0/8, "
    "source: system, attributes: None, at: 35s }\n"
    "  - { kind: path, from: onprem, to: app-vm, proto: icmp, via: [ce, "
    "msee-primary, hub], back: true, at: 35s }\n"
    "  - { kind: rule-verdict, from: onprem, to: 10.1.1.4, proto: udp, "
    "port: 5000, acl: app-nsg, rule: DenyUdp5000, verdict: deny, "
    "at: 35s }\n";

static char *
scenario_text(const char *sku, const char *conn, const char *path)
{
	size_t n = sizeof(fmt) + strlen(sku) + strlen(conn) + strlen(path);
	char *s = malloc(n);

	snprintf(s, n, fmt, sku, conn, path);
	return s;
}

/* text with the first `from` replaced by `to`; frees text. */
static char *
replace(char *text, const char *from, const char *to)
{
	const char *at = strstr(text, from);
	size_t n = strlen(text) - strlen(from) + strlen(to) + 1;
	char *s = malloc(n);

	CU_ASSERT_PTR_NOT_NULL_FATAL(at);
	snprintf(s, n, "%.*s%s%s", (int)(at - text), text, to,
	    at + strlen(from));
	free(text);
	return s;
}

/* text (the assertions last) with the query assertions too. */
static char *
with_queries(char *text)
{
	size_t n = strlen(text) + sizeof(queries);
	char *s = malloc(n);

	snprintf(s, n, "%s%s", text, queries);
	free(text);
	return s;
}

static char *tmp;

static const char *
tmpdir(void)
{
	if (tmp == NULL)
		tmp = test_tmpdir("/tmp/xcsim-azure-XXXXXX");
	CU_ASSERT_PTR_NOT_NULL_FATAL(tmp);
	return tmp;
}

/* The expansion of text as `xcsim expand` prints it (caller frees). */
static char *
expansion(const char *text)
{
	char path[300], *out = NULL, *diag = NULL;
	size_t len = 0, dlen = 0;
	FILE *f, *o, *d;
	int rc;

	snprintf(path, sizeof(path), "%s/in.yaml", tmpdir());
	f = fopen(path, "w");
	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	fputs(text, f);
	fclose(f);
	o = open_memstream(&out, &len);
	d = open_memstream(&diag, &dlen);
	rc = scenario_expand_print(path, o, d);
	fclose(o);
	fclose(d);
	if (rc != 0)
		fprintf(stderr, "%s", diag);
	CU_ASSERT_EQUAL(rc, 0);
	free(diag);
	return out;
}

/* What each resource becomes, by name (docs/azure.md). */
static void
test_expansion_names(void)
{
	char *text = scenario_text("Standard", "", "ce, msee-primary, "
	    "hub-gw, app-vm");
	char *x = expansion(text);
	static const char *const want[] = {
		/* the VNet node: transparent, one unnumbered iface per NIC */
		"- name: hub\n  role: azure-vnet\n  transparent: true\n"
		"  region: eastus\n  interfaces:\n  - name: app-nic\n"
		"    vrf: app\n  - name: db-nic\n    vrf: db\n"
		"  - name: hub-gw\n    vrf: GatewaySubnet\n",
		/* a VM: the first free address after the 5 reserved (2.5) */
		"- name: app-vm\n  role: azure-vm\n  region: eastus\n"
		"  interfaces:\n  - name: app-nic\n    address: 10.1.1.4/24\n"
		"  routes:\n  - prefix: 0.0.0.0/0\n    via: 10.1.1.1\n",
		/* the gateway in GatewaySubnet, a /30 per MSEE (IC_BLOCK_MS) */
		"- name: hub-gw\n  role: azure-er-gateway\n  region: eastus\n"
		"  interfaces:\n  - name: vnet\n    address: 10.1.255.4/27\n"
		"  - name: msee-primary\n    address: 169.254.240.1/30\n"
		"  - name: msee-secondary\n    address: 169.254.240.5/30\n",
		/* the MSEE: the peering's second usable address (1.3) */
		"- name: msee-primary\n  role: msee\n  region: Washington DC\n"
		"  interfaces:\n  - name: private-peering\n"
		"    address: 192.168.100.130/30\n    vlan: 100\n"
		"  - name: hub-gw\n    address: 169.254.240.2/30\n",
		/* the SKU's limits on the gateway's link (1.6) */
		"- name: hub-gw.vnet\n  a: hub-gw:vnet\n  b: hub:hub-gw\n"
		"  rate: 100Gbps\n  delay: 30us\n  qdisc:\n    kind: shaper\n"
		"    rate: 1Gbps\n    burst: 125000\n    pps: 100000\n"
		"    pps_burst: 100\n",
		"- name: app-vm.app-nic\n  a: app-vm:app-nic\n"
		"  b: hub:app-nic\n  rate: 10Gbps\n  delay: 40us\n",
		/* AS 65515 behind the MSEEs (3.3), whole spaces (B1) */
		"- node: hub-gw\n  asn: 65515\n  max_paths: 2\n  networks:\n"
		"  - prefix: 10.1.0.0/16\n  neighbors:\n"
		"  - address: 169.254.240.2\n    remote_as: 12076\n"
		"    description: connection hub-er\n    preset: msee\n"
		"    allowas_in: 1\n",
		/*
		 * Microsoft's side: 12076, keepalive 60 s and hold 180 s,
		 * BFD 300 ms x 3 (1.5), 4,000 prefixes (1.4)
		 */
		"- node: msee-primary\n  asn: 12076\n  max_paths: 2\n"
		"  neighbors:\n  - address: 192.168.100.129\n"
		"    remote_as: 65001\n    description: private peering\n"
		"    preset: msee\n    keepalive: 60s\n    hold: 180s\n"
		"    bfd: true\n    bfd_timers:\n      tx: 300ms\n"
		"      rx: 300ms\n      multiplier: 3\n    max_prefix:\n"
		"      limit: 4000\n      restart: 60s\n"
		"  - address: 169.254.240.1\n    remote_as: 65515\n"
		"    description: gateway hub-gw\n    preset: msee\n"
		"    max_prefix:\n      limit: 1000\n",
		/* a subnet's effective routes (B3) */
		"- node: hub\n  vrf: app\n  routes:\n  - prefix: 10.1.0.0/16\n"
		"    source: system\n    preference: 30\n"
		"    next_hop_type: Virtual network\n    table: _vnet\n"
		"  - prefix: 10.0.0.0/8\n    source: system\n"
		"    preference: 30\n    next_hop_type: None\n    drop: true\n",
		"    next_hop_type: Internet\n    drop: true\n  imports:\n"
		"  - from_node: hub-gw\n    from_vrf: default\n"
		"    from_sources:\n    - bgp\n    source: bgp\n"
		"    preference: 20\n"
		"    next_hop_type: Virtual network gateway\n"
		"    via: 10.1.255.4\n    iface: hub-gw\n"
		"    exclude_within:\n    - 10.1.0.0/16\n",
		/* delivery: the space a silent drop under the NICs (B3) */
		"- node: hub\n  vrf: _vnet\n  routes:\n"
		"  - prefix: 10.1.0.0/16\n    source: system\n"
		"    preference: 30\n    next_hop_type: Virtual network\n"
		"    drop: true\n  - prefix: 10.1.1.4/32\n",
		/* the NSG: its rules then the defaults of 2.6 */
		"- name: hub.VirtualNetwork\n  prefixes:\n  - 10.1.0.0/16\n"
		"  from_rib:\n  - node: hub-gw\n    vrf: default\n"
		"    source: bgp\n",
		"- name: app-nsg\n  label: nsg\n  mode: first_match\n"
		"  rules:\n  - name: DenyUdp5000\n    direction: inbound\n"
		"    priority: 100\n    action: deny\n    protocol: udp\n",
		"  - name: AllowVNetInBound\n    direction: inbound\n"
		"    priority: 65000\n    action: allow\n",
		"  - name: DenyAllOutBound\n    direction: outbound\n"
		"    priority: 65500\n    action: deny\n",
		"- node: hub\n  iface: app-nic\n  acls:\n  - app-nsg\n"
		"  combine: all\n  conntrack_limit: 500000\n",
		/* names in Azure's terms for `xcsim routes` */
		"aliases:\n- name: hub.app\n  node: hub\n  vrf: app\n"
		"  what: subnet app of virtual network hub\n",
		"- name: app-nic\n  node: hub\n  vrf: app\n"
		"  what: NIC app-nic of VM app-vm in subnet hub/app\n",
	};
	size_t i;

	CU_ASSERT_PTR_NOT_NULL_FATAL(x);
	for (i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		if (strstr(x, want[i]) == NULL)
			fprintf(stderr, "\nmissing:\n%s\n", want[i]);
		CU_ASSERT_PTR_NOT_NULL(strstr(x, want[i]));
	}
	/* db has no NSG: no binding; Standard has no FastPath */
	CU_ASSERT_PTR_NULL(strstr(x, "iface: db-nic\n  acls"));
	CU_ASSERT_PTR_NULL(strstr(x, "fastpath"));
	free(x);
	free(text);
}

#define ANY_REASON 0xffffffffu

/*
 * One NSG on subnets of two VNets: one acl per VNet, `<nsg>.<vnet>`,
 * since VirtualNetwork is each VNet's own set (2.6).
 */
static void
test_shared_nsg(void)
{
	char *text = scenario_text("Standard", "", "ce, msee-primary, "
	    "hub-gw, app-vm"), *x;

	text = replace(text, "  network_security_groups:\n",
	    "    - name: spoke\n"
	    "      address_space: { address_prefixes: [10.3.0.0/16] }\n"
	    "      subnets: [{ name: web, address_prefix: 10.3.1.0/24, "
	    "network_security_group: app-nsg }]\n"
	    "  network_security_groups:\n");
	text = replace(text, "    - name: db-vm\n", "    - name: web-vm\n"
	    "      network_interfaces: [{ name: web-nic, subnet: spoke/web }]\n"
	    "    - name: db-vm\n");
	x = expansion(text);
	CU_ASSERT_PTR_NOT_NULL_FATAL(x);
	CU_ASSERT_PTR_NOT_NULL(strstr(x, "- name: app-nsg.hub\n  label: nsg\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(x, "- name: app-nsg.spoke\n"
	    "  label: nsg\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(x, "- name: spoke.VirtualNetwork\n"
	    "  prefixes:\n  - 10.3.0.0/16\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(x, "    source:\n"
	    "    - spoke.VirtualNetwork\n    destination:\n"
	    "    - spoke.VirtualNetwork\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(x, "- node: spoke\n  iface: web-nic\n"
	    "  acls:\n  - app-nsg.spoke\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(x, "- node: hub\n  iface: app-nic\n"
	    "  acls:\n  - app-nsg.hub\n"));
	/* no gateway in spoke: its set has no from_rib, its VRF no import */
	CU_ASSERT_PTR_NULL(strstr(x, "- name: spoke.VirtualNetwork\n"
	    "  prefixes:\n  - 10.3.0.0/16\n  from_rib"));
	free(x);
	free(text);
}

/*
 * A circuit just created: no peering, no connection. Its MSEEs exist
 * (the peering can be linked to them) but run no BGP yet.
 */
static void
test_lone_circuit(void)
{
	char *x = expansion("duration: 1s\nazure:\n  express_route_circuits:\n"
	    "    - { name: er, service_provider_name: Equinix, "
	    "peering_location: Ashburn, bandwidth_in_mbps: 50 }\n");

	CU_ASSERT_PTR_NOT_NULL_FATAL(x);
	CU_ASSERT_PTR_NOT_NULL(strstr(x, "nodes:\n- name: msee-primary\n"
	    "  role: msee\n  region: Ashburn\n  interfaces: []\n"
	    "- name: msee-secondary\n"));
	CU_ASSERT_PTR_NULL(strstr(x, "bgp:"));
	free(x);
}

/* Every drop of one reason (or any) at node, "t detail\n" each. */
static void
drops(const char *path, unsigned reason, unsigned node, char *out,
    size_t outlen)
{
	struct trace_reader *rd;
	struct trace_rec rec;
	char err[256];
	size_t used = 0;

	out[0] = '\0';
	rd = trace_reader_open(path, err, sizeof(err));
	CU_ASSERT_PTR_NOT_NULL_FATAL(rd);
	while (trace_reader_next(rd, &rec, err, sizeof(err)) == 1) {
		if (rec.type != TR_PKT_DROP || rec.u.drop.node != node ||
		    (reason != ANY_REASON && rec.u.drop.reason != reason))
			continue;
		used += (size_t)snprintf(out + used, outlen - used, "%lld %s\n",
		    (long long)rec.t, rec.u.drop.detail ? rec.u.drop.detail :
		    "");
		CU_ASSERT_FATAL(used < outlen);
	}
	trace_reader_close(rd);
}

/* When the trace's route records show prefix in node's table; -1: never. */
static long long
route_at(const char *path, unsigned node, const char *table,
    uint32_t prefix, uint8_t plen)
{
	struct trace_reader *rd;
	struct trace_rec rec;
	char err[256];
	long long t = -1;

	rd = trace_reader_open(path, err, sizeof(err));
	CU_ASSERT_PTR_NOT_NULL_FATAL(rd);
	while (trace_reader_next(rd, &rec, err, sizeof(err)) == 1)
		if (t < 0 && rec.type == TR_ROUTE && rec.u.route.node == node &&
		    strcmp(rec.u.route.table, table) == 0 &&
		    rec.u.route.prefix == prefix && rec.u.route.plen == plen &&
		    !rec.u.route.withdrawn)
			t = (long long)rec.t;
	trace_reader_close(rd);
	return t;
}

static void
run_text(const char *text, const char *sub, char *trace, size_t len)
{
	char *diag = NULL, *out = NULL, dir[300];
	unsigned n = 0;
	struct scenario *sc = load(text, &diag, &n);

	if (sc == NULL)
		fprintf(stderr, "%s", diag);
	CU_ASSERT_PTR_NOT_NULL_FATAL(sc);
	free(diag);
	snprintf(dir, sizeof(dir), "%s/%s", tmpdir(), sub);
	CU_ASSERT_EQUAL(sc_run_to_end(sc, 0, dir, &out), 0);
	if (strstr(out, "FAIL") != NULL)
		fprintf(stderr, "%s", out);
	free(out);
	snprintf(trace, len, "%s/trace.xct", dir);
	scenario_free(sc);
}

/*
 * Node ids in the trace are scenario order: the user's ce 0, onprem 1,
 * then the expansion's hub 2, app-vm 3, db-vm 4, hub-gw 5, msee-primary 6,
 * msee-secondary 7.
 */
#define N_HUB 2
#define CE_LAN 0xac100500u	/* 172.16.5.0 */
#define N_GW 5

static void
test_end_to_end(void)
{
	char *text = with_queries(scenario_text("Standard", "", "ce, "
	    "msee-primary, hub-gw, app-vm"));
	char trace[400], d[4096];
	const char *deny = "nsg app-nsg rule DenyUdp5000 priority 100 "
	    "(inbound)";
	char want[1024];

	run_text(text, "std", trace, sizeof(trace));
	/* the same scenario and seed again: the same trace, byte for byte */
	{
		char again[400], *a, *b;
		size_t la = 0, lb = 0;

		run_text(text, "std2", again, sizeof(again));
		a = test_slurp(trace, &la);
		b = test_slurp(again, &lb);
		CU_ASSERT_PTR_NOT_NULL_FATAL(a);
		CU_ASSERT_PTR_NOT_NULL_FATAL(b);
		CU_ASSERT(la == lb && memcmp(a, b, la) == 0);
		free(a);
		free(b);
	}
	/*
	 * The CE's prefix: CE -> MSEE at once, MSEE -> gateway after the
	 * MSEE's eBGP MRAI (30s), then into both subnets' VRFs at the same
	 * instant through the route_tables import.
	 */
	CU_ASSERT_EQUAL(route_at(trace, N_GW, "default", CE_LAN, 24),
	    30002500424LL);
	CU_ASSERT_EQUAL(route_at(trace, N_HUB, "app", CE_LAN, 24),
	    30002500424LL);
	CU_ASSERT_EQUAL(route_at(trace, N_HUB, "db", CE_LAN, 24),
	    30002500424LL);
	/* the VNet's space reaches the CE through both MSEEs */
	CU_ASSERT(route_at(trace, 0, "default", 0x0a010000u, 16) > 0);
	/*
	 * The VNet drops nothing but the three datagrams to port 5000, by
	 * the NSG's rule (the pings start at 31s, once the routes are in:
	 * no blackhole of 172.16.0.0/12's None route).
	 */
	drops(trace, ANY_REASON, N_HUB, d, sizeof(d));
	snprintf(want, sizeof(want), "32001632589 %s\n33001632589 %s\n"
	    "34001632589 %s\n", deny, deny, deny);
	CU_ASSERT_STRING_EQUAL(d, want);
	if (strcmp(d, want) != 0)
		fprintf(stderr, "%s", d);
	free(text);
}

/*
 * The NIC's effective routes after start-up, as `xcsim routes` prints
 * them by the NIC's alias: the CE's prefix from the gateway (BGP, 20),
 * the VNet's space as a system route (B3).
 */
static void
test_effective_routes(void)
{
	char *text = scenario_text("Standard", "", "ce, msee-primary, "
	    "hub-gw, app-vm");
	char *x = expansion(text), out[2048];
	int rc;

	free(x);	/* writes in.yaml */
	rc = test_sh(out, sizeof(out), "%s routes %s/in.yaml --node app-nic "
	    "--at 35s", XCSIM_BINARY, tmpdir());
	CU_ASSERT_EQUAL(rc, 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "Routes of hub/app (app-nic: NIC "
	    "app-nic of VM app-vm in subnet hub/app)\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "172.16.5.0/24      Active   bgp"
	    "          20  via 10.1.255.4 dev hub-gw"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "172.16.0.0/12      Active   "
	    "system       30  blackhole"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "10.1.0.0/16        Active   "
	    "system       30  table _vnet"));
	/* before the MSEE's MRAI has passed, no route of the CE yet */
	rc = test_sh(out, sizeof(out), "%s routes %s/in.yaml --node app-nic "
	    "--at 29s", XCSIM_BINARY, tmpdir());
	CU_ASSERT_EQUAL(rc, 0);
	CU_ASSERT_PTR_NULL(strstr(out, "172.16.5.0/24"));
	if (strstr(out, "172.16.0.0/12") == NULL)
		fprintf(stderr, "%s", out);
	free(text);
}

/*
 * The peering on the wire (1.3, 1.4, 1.8): QinQ with the circuit's S-tag
 * 15 over the peering's VLAN 100, the MSEE at .130 (second usable), its
 * OPENs from AS 12076, the CE's from 65001, nothing malformed for tshark.
 */
static void
test_qinq_on_the_wire(void)
{
	char *text = scenario_text("Standard", "", "ce, msee-primary, "
	    "hub-gw, app-vm");
	char trace[400], out[4096], cap[400];
	int rc;

	if (system("command -v tshark >/dev/null 2>&1") != 0) {
		CU_FAIL("tshark is not on PATH (apt-get install tshark)");
		free(text);
		return;
	}
	text = replace(text, "address: 192.168.100.129/30, vlan: 100 }",
	    "address: 192.168.100.129/30, vlan: 100, svlan: 15 }");
	text = replace(text, "address: 192.168.100.133/30, vlan: 100 }",
	    "address: 192.168.100.133/30, vlan: 100, svlan: 15 }");
	text = replace(text, "        peer_asn: 65001\n", "        peer_asn: "
	    "65001\n      xcsim: { stag: 15 }\n");
	text = replace(text, "seed: 7\n", "seed: 7\nrecord: { pcap: "
	    "[msee-primary:private-peering] }\n");
	run_text(text, "qinq", trace, sizeof(trace));
	snprintf(cap, sizeof(cap), "%s/qinq/pcap/msee-primary/"
	    "private-peering.pcap", tmpdir());
	/* test_sh adds 2>&1: tshark's warning about root kept out */
	rc = test_sh(out, sizeof(out), "{ tshark -r %s -Y 'bgp.type == 1' -T "
	    "fields -e ieee8021ad.id -e vlan.id -e ip.src -e bgp.open.myas "
	    "2>/dev/null; }", cap);
	CU_ASSERT_EQUAL(rc, 0);
	CU_ASSERT_STRING_EQUAL(out, "15\t100\t192.168.100.130\t12076\n"
	    "15\t100\t192.168.100.130\t12076\n"
	    "15\t100\t192.168.100.129\t65001\n"
	    "15\t100\t192.168.100.129\t65001\n");
	rc = test_sh(out, sizeof(out), "{ tshark -r %s -Y _ws.malformed "
	    "2>/dev/null; } | wc -l", cap);
	CU_ASSERT_EQUAL(rc, 0);
	CU_ASSERT_STRING_EQUAL(out, "0\n");
	free(text);
}

/* FastPath: the MSEE hands inbound data straight to the VNet (B5). */
static void
test_fastpath(void)
{
	char *text = with_queries(scenario_text("UltraPerformance",
	    ", express_route_gateway_bypass: true", "ce, msee-primary, "
	    "app-vm"));
	char *x = expansion(text), trace[400];

	CU_ASSERT_PTR_NOT_NULL(strstr(x, "- name: msee-primary.fastpath-hub\n"
	    "  a: msee-primary:fastpath-hub\n  b: hub:fastpath-msee-primary\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(x, "- node: msee-primary\n"
	    "  vrf: default\n  routes:\n  - prefix: 10.1.0.0/16\n"
	    "    source: fastpath\n    preference: 10\n"
	    "    next_hop_type: FastPath\n    iface: fastpath-hub\n"));
	/* UltraPerformance: 10 Gbit/s, 1M pps (1.6) */
	CU_ASSERT_PTR_NOT_NULL(strstr(x, "    kind: shaper\n    rate: 10Gbps\n"
	    "    burst: 1250000\n    pps: 1000000\n    pps_burst: 1000\n"));
	free(x);
	/* the traceroute-path assertion: no hub-gw hop inbound */
	run_text(text, "fastpath", trace, sizeof(trace));
	free(text);
}

/* `xcsim expand` prints a low-level scenario that runs as it is. */
static void
test_expansion_runs(void)
{
	char *text = scenario_text("Standard", "", "ce, msee-primary, "
	    "hub-gw, app-vm");
	char *x = expansion(text), trace[400], d[1024];

	CU_ASSERT_PTR_NULL(strstr(x, "\nazure:"));
	run_text(x, "expanded", trace, sizeof(trace));
	CU_ASSERT_EQUAL(route_at(trace, N_HUB, "app", CE_LAN, 24),
	    30002500424LL);
	drops(trace, DROP_FILTER, N_HUB, d, sizeof(d));
	CU_ASSERT_PTR_NOT_NULL(strstr(d, "32001632589 nsg app-nsg rule "
	    "DenyUdp5000 priority 100 (inbound)\n"));
	free(x);
	free(text);
}

/*
 * The VirtualNetwork tag includes what the gateway learns (2.6): without
 * AllowOnprem, on-premises still reaches app-vm by AllowVNetInBound. A
 * route table with disable_bgp_route_propagation keeps the gateway's
 * routes out of db (B3): db-vm's replies meet 172.16.0.0/12's None route
 * and are dropped at the VNet as a blackhole.
 */
static void
test_tag_and_propagation(void)
{
	char *text = scenario_text("Standard", "", "ce, msee-primary, "
	    "hub-gw, app-vm");
	char trace[400], d[4096];

	text = replace(text, "        - { name: AllowOnprem, priority: 200, "
	    "direction: Inbound, access: Allow, source_address_prefix: "
	    "172.16.5.0/24 }\n", "");
	text = replace(text, "{ name: db, address_prefix: 10.1.2.0/24 }",
	    "{ name: db, address_prefix: 10.1.2.0/24, route_table: no-bgp }");
	text = replace(text, "  virtual_machines:\n", "  route_tables:\n"
	    "    - { name: no-bgp, disable_bgp_route_propagation: true }\n"
	    "  virtual_machines:\n");
	text = replace(text, "  - { kind: ping-succeeds, app: onprem-to-db }",
	    "  - { kind: ping-fails, app: onprem-to-db }\n"
	    "  - { kind: ping-succeeds, app: onprem-to-app }");
	text = replace(text, "apps:\n", "apps:\n  - { name: onprem-to-app, "
	    "type: ping, node: onprem, dst: 10.1.1.4, start: 31s, interval: "
	    "1s, count: 5 }\n");
	run_text(text, "tag", trace, sizeof(trace));
	CU_ASSERT_EQUAL(route_at(trace, N_HUB, "app", CE_LAN, 24),
	    30002500424LL);
	CU_ASSERT_EQUAL(route_at(trace, N_HUB, "db", CE_LAN, 24), -1);
	/*
	 * db-vm's five replies blackholed (no detail), between them the
	 * NSG's three drops; the second to fourth echo requests leave
	 * on-premises with a datagram and queue behind it, hence 2.341us
	 * later.
	 */
	drops(trace, ANY_REASON, N_HUB, d, sizeof(d));
	CU_ASSERT_STRING_EQUAL(d, "31001710488 \n"
	    "32001632589 nsg app-nsg rule DenyUdp5000 priority 100 (inbound)\n"
	    "32001712829 \n"
	    "33001632589 nsg app-nsg rule DenyUdp5000 priority 100 (inbound)\n"
	    "33001712829 \n"
	    "34001632589 nsg app-nsg rule DenyUdp5000 priority 100 (inbound)\n"
	    "34001712829 \n"
	    "35001710488 \n");
	free(text);
}

/*
 * A UDR beats the gateway's BGP route for the same prefix (B3): the app
 * subnet's 172.16.5.0/24 goes to the appliance at db-vm's address, whose
 * NIC is in another subnet; the VM does not forward (role azure-vm), so
 * it drops what the appliance route brings it.
 */
static void
test_udr_appliance(void)
{
	char *text = scenario_text("Standard", "", "x");
	char trace[400], d[1024];

	/* app-vm's answers to the traceroute take the appliance route too */
	text = replace(text, "  - { kind: traceroute-path, app: tr-in, path: "
	    "[x] }\n", "");
	text = replace(text, "network_security_group: app-nsg }",
	    "network_security_group: app-nsg, route_table: app-rt }");
	text = replace(text, "  virtual_machines:\n", "  route_tables:\n"
	    "    - name: app-rt\n      routes:\n        - { name: to-nva, "
	    "address_prefix: 172.16.5.0/24, next_hop_type: VirtualAppliance, "
	    "next_hop_ip_address: 10.1.2.4 }\n  virtual_machines:\n");
	text = replace(text, "  - { kind: ping-succeeds, app: vm-to-onprem, "
	    "rtt_below: 4ms }", "  - { kind: ping-fails, app: vm-to-onprem }");
	run_text(text, "udr", trace, sizeof(trace));
	/* the user route from the start; the BGP one never wins in app */
	CU_ASSERT_EQUAL(route_at(trace, N_HUB, "app", CE_LAN, 24), 0);
	CU_ASSERT_EQUAL(route_at(trace, N_HUB, "db", CE_LAN, 24),
	    30002500424LL);
	/*
	 * At db-vm (node 4): app-vm's five echo requests 80.158us after
	 * each is sent (VM 40us, VNet, VM 40us), then app-vm's answers to
	 * the traceroute from 40s.
	 */
	drops(trace, DROP_NOT_ROUTER, 4, d, sizeof(d));
	CU_ASSERT_STRING_EQUAL(d, "31000080158 \n32000080158 \n"
	    "33000080158 \n34000080158 \n35000080158 \n40018552491 \n"
	    "41018552491 \n42018552491 \n43018552491 \n44018552491 \n");
	free(text);
}

/* The integer after `"key":` in the first object named `name`, or -1. */
static long long
metric(const char *json, const char *name, const char *key)
{
	char want[128];
	const char *at;

	snprintf(want, sizeof(want), "{\"name\":\"%s\"", name);
	if ((at = strstr(json, want)) == NULL)
		return -1;
	snprintf(want, sizeof(want), "\"%s\":", key);
	if ((at = strstr(at, want)) == NULL)
		return -1;
	return strtoll(at + strlen(want), NULL, 10);
}

/*
 * The Standard SKU's limits on the data path (1.6): 1 Gbit/s and 100,000
 * packets/s, whichever binds first, with drops counted. 10 Gbit/s links
 * elsewhere, so the gateway is the bottleneck.
 */
static void
test_sku_shaper(void)
{
	char *text = scenario_text("Standard", "", "ce, msee-primary, "
	    "hub-gw, app-vm");
	char trace[400], path[400], *json;

	text = replace(text, "delay: 1ms }", "delay: 1ms, rate: 10Gbps }");
	text = replace(text, "delay: 1ms }", "delay: 1ms, rate: 10Gbps }");
	text = replace(text, "delay: 100us }", "delay: 100us, rate: 10Gbps }");
	text = replace(text, "duration: 45s", "duration: 47s");
	/* a 10 Gbit/s circuit: its policer (1.7) above the gateway's rate */
	text = replace(text, "bandwidth_in_mbps: 1000",
	    "bandwidth_in_mbps: 10000");
	text = replace(text, "apps:\n", "apps:\n"
	    "  - { name: big, type: udp_cbr, node: onprem, dst: 10.1.2.4, "
	    "dport: 6000, start: 40s, rate: 2Gbps, size: 1400, count: 20000 }\n"
	    "  - { name: small, type: udp_cbr, node: onprem, dst: 10.1.2.4, "
	    "dport: 6001, start: 42s, rate: 400Mbps, size: 100, count: 50000 }\n"
	    "  - { name: tcp, type: tcp_bulk, node: onprem, dst: 10.1.2.4, "
	    "dport: 7000, start: 43s, duration: 2s, tcp: { sndbuf: 16777216, "
	    "rcvbuf: 16777216 } }\n");
	run_text(text, "shaper", trace, sizeof(trace));
	snprintf(path, sizeof(path), "%s/shaper/metrics.json", tmpdir());
	json = test_slurp(path, NULL);
	CU_ASSERT_PTR_NOT_NULL_FATAL(json);
	/*
	 * 1,400-byte datagrams at 2 Gbit/s (87,000 pps at 1 Gbit/s: the
	 * byte rate binds): 1442-byte frames over the 125.8 ms from the first
	 * arrival to the last are about 10,900 at 1 Gbit/s, plus about
	 * 87 from the 125,000-byte bucket at line rate: 10,989.
	 */
	CU_ASSERT_EQUAL(metric(json, "big-sink", "received"), 10989);
	/*
	 * 100-byte datagrams at 156,250 pps: the packet rate binds, 100,000
	 * a second over the 138 ms window plus the 100-packet bucket.
	 */
	CU_ASSERT_EQUAL(metric(json, "small-sink", "received"), 13899);
	/* TCP under the shaper: below 1 Gbit/s, losses at the gateway */
	CU_ASSERT_EQUAL(metric(json, "tcp", "bytes_acked"), 125338120);
	CU_ASSERT(metric(json, "tcp", "goodput_bps") < 1000000000);
	CU_ASSERT(metric(json, "tcp", "retransmits") > 0);
	free(json);
	free(text);
}

/* The integer after `"key":` in the session object of node and peer. */
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

/*
 * The CE advertises n /32s to the MSEEs for 20 s; the metrics.json of the
 * run (caller frees). tier: the circuit's.
 */
static char *
advertise(unsigned n, const char *tier, const char *sub)
{
	char *text = scenario_text("Standard", "", "x");
	size_t len = (size_t)n * 40 + 64, used = 0, cut;
	char *nets = malloc(len), trace[400], path[400], sku[64], *json;
	unsigned i;

	used += (size_t)snprintf(nets, len, "    networks:\n");
	for (i = 0; i < n; i++)
		used += (size_t)snprintf(nets + used, len - used,
		    "      - { prefix: 198.18.%u.%u/32 }\n", i / 256, i % 256);
	text = replace(text, "    networks: [{ prefix: 172.16.5.0/24 }]\n",
	    nets);
	text = replace(text, "duration: 45s", "duration: 20s");
	snprintf(sku, sizeof(sku), "      bandwidth_in_mbps: 1000\n"
	    "      sku: { tier: %s }\n", tier);
	text = replace(text, "      bandwidth_in_mbps: 1000\n", sku);
	cut = (size_t)(strstr(text, "apps:\n") - text);
	text[cut] = '\0';
	run_text(text, sub, trace, sizeof(trace));
	snprintf(path, sizeof(path), "%s/%s/metrics.json", tmpdir(), sub);
	json = test_slurp(path, NULL);
	CU_ASSERT_PTR_NOT_NULL_FATAL(json);
	free(nets);
	free(text);
	return json;
}

/*
 * The private peering's prefix limit (1.4, B1): 4,000 on Standard, 10,000
 * on Premium; one more and the MSEE drops the session (Cease 6/1), to try
 * again after max_prefix_restart.
 */
static void
test_prefix_limit(void)
{
	static const struct {
		unsigned n;
		const char *tier;
		long long teardowns, down, subcode;
	} cases[] = {
		/* established at 5.000475 s, every prefix taken */
		{ 4000, "Standard", 0, -1, 7 },
		/* the 4,001st arrives: Cease / Maximum Number of Prefixes */
		{ 4001, "Standard", 1, 7008457, 1 },
		{ 4001, "Premium", 0, -1, 7 },
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char sub[32], *json;

		snprintf(sub, sizeof(sub), "limit%zu", i);
		json = advertise(cases[i].n, cases[i].tier, sub);
		CU_ASSERT_EQUAL(session_metric(json, "msee-primary",
		    "192.168.100.129", "max_prefix_teardowns"),
		    cases[i].teardowns);
		CU_ASSERT_EQUAL(session_metric(json, "msee-primary",
		    "192.168.100.129", "prefixes_in"), cases[i].n);
		/* null (no number: 0) while it never went down */
		CU_ASSERT_EQUAL(session_metric(json, "msee-primary",
		    "192.168.100.129", "last_down_ns"),
		    cases[i].down < 0 ? 0 : cases[i].down);
		/* the last NOTIFICATION sent: 6/7 is the collision's */
		CU_ASSERT_EQUAL(session_metric(json, "msee-primary",
		    "192.168.100.129", "subcode"), cases[i].subcode);
		free(json);
	}
}

/* Two circuits to one gateway, the CE on all four paths; %u: weights. */
static const char two_fmt[] =
    "duration: 40s\n"
    "nodes:\n"
    "  - name: ce\n"
    "    role: router\n"
    "    interfaces:\n"
    "      - { name: a1, address: 192.168.100.129/30, vlan: 100 }\n"
    "      - { name: a2, address: 192.168.100.133/30, vlan: 100 }\n"
    "      - { name: b1, address: 192.168.101.129/30, vlan: 200 }\n"
    "      - { name: b2, address: 192.168.101.133/30, vlan: 200 }\n"
    "      - { name: lan, address: 172.16.5.1/24 }\n"
    "links:\n"
    "  - { name: a1, a: ce:a1, b: er1-msee-primary:private-peering }\n"
    "  - { name: a2, a: ce:a2, b: er1-msee-secondary:private-peering }\n"
    "  - { name: b1, a: ce:b1, b: er2-msee-primary:private-peering }\n"
    "  - { name: b2, a: ce:b2, b: er2-msee-secondary:private-peering }\n"
    "bgp:\n"
    "  - node: ce\n"
    "    asn: 65001\n"
    "    neighbors:\n"
    "      - { address: 192.168.100.130, remote_as: 12076 }\n"
    "      - { address: 192.168.100.134, remote_as: 12076 }\n"
    "      - { address: 192.168.101.130, remote_as: 12076 }\n"
    "      - { address: 192.168.101.134, remote_as: 12076 }\n"
    "    networks: [{ prefix: 172.16.5.0/24 }]\n"
    "azure:\n"
    "  virtual_networks:\n"
    "    - name: hub\n"
    "      address_space: { address_prefixes: [10.1.0.0/16] }\n"
    "      subnets:\n"
    "        - { name: GatewaySubnet, address_prefix: 10.1.255.0/27 }\n"
    "  virtual_network_gateways:\n"
    "    - { name: hub-gw, sku: HighPerformance, virtual_network: hub }\n"
    "  express_route_circuits:\n"
    "    - name: er1\n"
    "      service_provider_name: Equinix\n"
    "      peering_location: Washington DC\n"
    "      bandwidth_in_mbps: 1000\n"
    "      private_peering: { primary_peer_address_prefix: "
    "192.168.100.128/30, secondary_peer_address_prefix: "
    "192.168.100.132/30, vlan_id: 100, peer_asn: 65001 }\n"
    "    - name: er2\n"
    "      service_provider_name: Equinix\n"
    "      peering_location: Ashburn\n"
    "      bandwidth_in_mbps: 1000\n"
    "      private_peering: { primary_peer_address_prefix: "
    "192.168.101.128/30, secondary_peer_address_prefix: "
    "192.168.101.132/30, vlan_id: 200, peer_asn: 65001 }\n"
    "  connections:\n"
    "    - { name: c1, virtual_network_gateway: hub-gw, "
    "express_route_circuit: er1, routing_weight: %u }\n"
    "    - { name: c2, virtual_network_gateway: hub-gw, "
    "express_route_circuit: er2, routing_weight: %u }\n";

/* The next hop of the last route record of prefix in node's table. */
static void
last_nexthop(const char *path, unsigned node, const char *table,
    uint32_t prefix, uint8_t plen, char *out, size_t len)
{
	struct trace_reader *rd;
	struct trace_rec rec;
	char err[256];

	out[0] = '\0';
	rd = trace_reader_open(path, err, sizeof(err));
	CU_ASSERT_PTR_NOT_NULL_FATAL(rd);
	while (trace_reader_next(rd, &rec, err, sizeof(err)) == 1)
		if (rec.type == TR_ROUTE && rec.u.route.node == node &&
		    strcmp(rec.u.route.table, table) == 0 &&
		    rec.u.route.prefix == prefix && rec.u.route.plen == plen)
			snprintf(out, len, "%s", rec.u.route.withdrawn ?
			    "withdrawn" : rec.u.route.nexthop);
	trace_reader_close(rd);
}

/*
 * ECMP across circuits by default, the heavier connection's circuit
 * alone with routing_weight (B1). Nodes: ce 0, hub 1, hub-gw 2.
 */
static void
test_routing_weight(void)
{
	char text[sizeof(two_fmt) + 32], trace[400], nh[256];

	snprintf(text, sizeof(text), two_fmt, 0u, 0u);
	run_text(text, "weight0", trace, sizeof(trace));
	last_nexthop(trace, 2, "default", CE_LAN, 24, nh, sizeof(nh));
	CU_ASSERT_STRING_EQUAL(nh, "via 169.254.240.2 dev er1-msee-primary, "
	    "via 169.254.240.6 dev er1-msee-secondary, via 169.254.240.10 dev "
	    "er2-msee-primary, via 169.254.240.14 dev er2-msee-secondary");
	snprintf(text, sizeof(text), two_fmt, 0u, 10u);
	run_text(text, "weight10", trace, sizeof(trace));
	last_nexthop(trace, 2, "default", CE_LAN, 24, nh, sizeof(nh));
	CU_ASSERT_STRING_EQUAL(nh, "via 169.254.240.10 dev er2-msee-primary, "
	    "via 169.254.240.14 dev er2-msee-secondary");
}

static const struct test_case cases[] = {
	{ "what each resource expands into, by name", test_expansion_names },
	{ "an NSG shared by two VNets: an acl each", test_shared_nsg },
	{ "a circuit without peering or connection runs no BGP",
	    test_lone_circuit },
	{ "BGP, effective routes, pings and an NSG drop end to end",
	    test_end_to_end },
	{ "a NIC's effective routes by its alias (xcsim routes)",
	    test_effective_routes },
	{ "QinQ tags, addresses and ASNs of the peering in tshark",
	    test_qinq_on_the_wire },
	{ "FastPath removes the gateway hop inbound (B5)", test_fastpath },
	{ "the printed expansion runs as it is", test_expansion_runs },
	{ "VirtualNetwork has the gateway's routes; propagation off",
	    test_tag_and_propagation },
	{ "the gateway SKU's rate and packet-rate limits (1.6)",
	    test_sku_shaper },
	{ "the private peering's prefix limit (1.4, B1)", test_prefix_limit },
	{ "ECMP across circuits, routing_weight prefers one (B1)",
	    test_routing_weight },
	{ "a UDR to an appliance beats the gateway's route (B3)",
	    test_udr_appliance },
	{ NULL, NULL }
};

int
main(int argc, char **argv)
{
	scenario_models_init();
	return test_main(argc, argv, "azure_expand", cases);
}
