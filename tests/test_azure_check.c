/*
 * test_azure_check.c - the azure section's checks (models/azure/
 * azure_check*.c): every rule the cloud enforces, on a good scenario made
 * bad in one place, with the exact message at the exact place (the place
 * is where the bad text is in the file, found by the test); Azure's
 * address allocation (2.5); the facts tables (1.6, 1.7, B1, B5).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "azure.h"
#include "azure_int.h"
#include "scenario.h"
#include "scenario_models.h"
#include "scenario_testutil.h"
#include "testutil.h"

static const char base[] =
    "duration: 10s\n"
    "nodes:\n"
    "  - { name: ce, role: router, interfaces: [{ name: e0, address: "
    "192.168.100.129/30 }] }\n"
    "azure:\n"
    "  regions: [eastus]\n"
    "  virtual_networks:\n"
    "    - name: hub\n"
    "      location: eastus\n"
    "      address_space: { address_prefixes: [10.1.0.0/16, 10.7.0.0/16] }\n"
    "      subnets:\n"
    "        - { name: app, address_prefix: 10.1.1.0/24, "
    "network_security_group: app-nsg, route_table: app-rt }\n"
    "        - { name: db, address_prefix: 10.1.2.0/29 }\n"
    "        - { name: GatewaySubnet, address_prefix: 10.1.255.0/27 }\n"
    "    - name: spoke\n"
    "      address_space: { address_prefixes: [10.2.0.0/16] }\n"
    "      subnets:\n"
    "        - { name: web, address_prefix: 10.2.1.0/24 }\n"
    "  network_security_groups:\n"
    "    - name: app-nsg\n"
    "      security_rules:\n"
    "        - { name: DenyTelnet, priority: 100, direction: Inbound, "
    "access: Deny, protocol: Tcp, destination_port_range: \"23\" }\n"
    "        - { name: AllowOci, priority: 110, direction: Inbound, "
    "access: Allow, protocol: Udp, source_address_prefixes: [10.50.0.0/16, "
    "VirtualNetwork], destination_port_range: 1500-1600 }\n"
    "        - { name: OutWeb, priority: 100, direction: Outbound, "
    "access: Allow, protocol: Tcp, destination_port_ranges: [\"443\"] }\n"
    "  route_tables:\n"
    "    - name: app-rt\n"
    "      routes:\n"
    "        - { name: nva, address_prefix: 10.9.0.0/16, next_hop_type: "
    "VirtualAppliance, next_hop_ip_address: 10.1.2.4 }\n"
    "        - { name: gw, address_prefix: 10.8.0.0/16, next_hop_type: "
    "None }\n"
    "  virtual_machines:\n"
    "    - name: app-vm\n"
    "      network_interfaces:\n"
    "        - { name: app-nic, subnet: hub/app }\n"
    "        - { name: app-nic2, subnet: hub/db, private_ip_address: "
    "10.1.2.5 }\n"
    "    - name: db-vm\n"
    "      network_interfaces:\n"
    "        - { name: db-nic, subnet: hub/db }\n"
    "  virtual_network_gateways:\n"
    "    - { name: hub-gw, sku: Standard, virtual_network: hub }\n"
    "  express_route_circuits:\n"
    "    - name: er\n"
    "      service_provider_name: Equinix\n"
    "      peering_location: Washington DC\n"
    "      bandwidth_in_mbps: 1000\n"
    "      sku: { tier: Standard, family: MeteredData }\n"
    "      private_peering:\n"
    "        primary_peer_address_prefix: 192.168.100.128/30\n"
    "        secondary_peer_address_prefix: 192.168.100.132/30\n"
    "        vlan_id: 100\n"
    "        peer_asn: 65001\n"
    "  connections:\n"
    "    - { name: hub-er, virtual_network_gateway: hub-gw, "
    "express_route_circuit: er }\n";

/* base with the first `from` replaced by `to` (caller frees). */
static char *
mutate(const char *from, const char *to)
{
	const char *at = strstr(base, from);
	size_t n = strlen(base) - strlen(from) + strlen(to) + 1;
	char *s = malloc(n);

	CU_ASSERT_PTR_NOT_NULL_FATAL(at);
	snprintf(s, n, "%.*s%s%s", (int)(at - base), base, to,
	    at + strlen(from));
	return s;
}

/* "line:col" of the first `what` in text, plus skip columns. */
static char *
pos_of(char *buf, size_t len, const char *text, const char *what,
    size_t skip)
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
	snprintf(buf, len, "%u:%u", line, col + (unsigned)skip);
	return buf;
}

/*
 * Load base with from -> to; expect exactly one error, msg, at the first
 * `where` of the mutated text plus skip columns.
 */
static void
expect_text(char *text, const char *where, size_t skip, const char *msg)
{
	char *diag = NULL, at[32];
	unsigned n = 0;
	struct scenario *sc = load(text, &diag, &n);

	pos_of(at, sizeof(at), text, where, skip);
	if (!has_error(diag, at, msg) || n != 1)
		fprintf(stderr, "\nwant %s: %s\ngot (%u):\n%s", at, msg, n,
		    diag);
	CU_ASSERT_PTR_NULL(sc);
	CU_ASSERT_EQUAL(n, 1);
	CU_ASSERT_TRUE(has_error(diag, at, msg));
	scenario_free(sc);
	free(diag);
	free(text);
}

static void
expect1(const char *from, const char *to, const char *where, size_t skip,
    const char *msg)
{
	expect_text(mutate(from, to), where, skip, msg);
}

static const struct azure *
azure_of(const struct scenario *sc)
{
	size_t n;
	const struct azure *az = scenario_section(sc, "azure", &n);

	CU_ASSERT_EQUAL_FATAL(n, 1);
	return az;
}

/* The base loads; NICs and the gateway get Azure's addresses (2.5). */
static void
test_base_allocates(void)
{
	char *diag = NULL;
	unsigned n = 0;
	struct scenario *sc = load(base, &diag, &n);
	const struct azure *az;

	if (sc == NULL)
		fprintf(stderr, "%s", diag);
	CU_ASSERT_PTR_NOT_NULL_FATAL(sc);
	az = azure_of(sc);
	CU_ASSERT_TRUE(az->given);
	/* first free after .0-.3: .4; db-nic skips app-nic2's given .5 */
	CU_ASSERT_EQUAL(az->vms[0].nics[0].addr, 0x0a010104u);
	CU_ASSERT_EQUAL(az->vms[0].nics[1].addr, 0x0a010205u);
	CU_ASSERT_EQUAL(az->vms[1].nics[0].addr, 0x0a010204u);
	CU_ASSERT_EQUAL(az->gws[0].addr, 0x0a01ff04u);
	CU_ASSERT_EQUAL(az->vnets[0].gw_idx, 1);
	CU_ASSERT_TRUE(az->circuits[0].has_pp);
	CU_ASSERT_TRUE(az->conns[0].ok);
	CU_ASSERT_EQUAL(az->vnets[0].subnets[0].nsg_idx, 1);
	CU_ASSERT_EQUAL(az->vnets[0].subnets[0].rt_idx, 1);
	/* what the OCI model reads (azure.h) */
	CU_ASSERT_EQUAL(azure_n_circuits(sc), 1);
	CU_ASSERT_STRING_EQUAL(azure_circuit_name(sc, 0), "er");
	CU_ASSERT_STRING_EQUAL(azure_circuit_provider(sc, 0), "Equinix");
	CU_ASSERT_PTR_NULL(azure_circuit_name(sc, 1));
	scenario_free(sc);
	free(diag);
}

static void
test_address_errors(void)
{
	/* not a network address */
	expect1("[10.1.0.0/16, 10.7.0.0/16]", "[10.1.0.0/16, 10.7.0.1/16]",
	    "10.7.0.1/16", 0, "'address_prefixes': '10.7.0.1/16' is not a "
	    "network address (did you mean 10.7.0.0/16?)");
	expect1("address_prefix: 10.9.0.0/16, next_hop_type: VirtualApp",
	    "address_prefix: 10.9.0.1/16, next_hop_type: VirtualApp",
	    "10.9.0.1/16", 0, "'address_prefix': 10.9.0.1/16 has host "
	    "bits set (did you mean 10.9.0.0/16?)");
	expect1("source_address_prefixes: [10.50.0.0/16,",
	    "source_address_prefixes: [10.50.0.9/16,", "10.50.0.9/16", 0,
	    "'source_address_prefixes': '10.50.0.9/16' is not a network "
	    "address (did you mean 10.50.0.0/16?)");
	/* a subnet outside its VNet's space (B4's wording) */
	expect1("address_prefix: 10.1.2.0/29", "address_prefix: 10.3.2.0/29",
	    "10.3.2.0/29", 0, "Subnet 'db' is not valid in virtual network "
	    "'hub': 10.3.2.0/29 is outside its address space (B4)");
	/* overlapping subnets */
	expect1("address_prefix: 10.1.2.0/29", "address_prefix: 10.1.1.64/29",
	    "10.1.1.64/29", 0, "subnet 'db' (10.1.1.64/29) overlaps subnet "
	    "'app' (10.1.1.0/24, defined at 11:11)");
	/* overlapping spaces, inside a VNet and between VNets */
	expect1("[10.1.0.0/16, 10.7.0.0/16]", "[10.1.0.0/16, 10.1.128.0/17]",
	    "10.1.128.0/17", 0, "address space 10.1.128.0/17 of virtual "
	    "network 'hub' overlaps its 10.1.0.0/16");
	expect1("[10.2.0.0/16]", "[10.2.0.0/16, 10.7.0.0/24]", "10.7.0.0/24]",
	    0, "address space 10.7.0.0/24 of virtual "
	    "network 'spoke' overlaps 10.7.0.0/16 of 'hub' (defined at 7:7)");
	/* smaller than /29 */
	expect1("address_prefix: 10.1.2.0/29", "address_prefix: 10.1.2.0/30",
	    "10.1.2.0/30", 0, "subnet 'db' (10.1.2.0/30) is smaller than "
	    "/29, the smallest Azure subnet (5 addresses are reserved, 2.5)");
	/* the VNet's location among the regions, did you mean */
	expect1("location: eastus", "location: eastuss", "eastuss", 0,
	    "unknown azure region 'eastuss' (did you mean 'eastus'?)");
}

static void
test_nsg_errors(void)
{
	expect1("priority: 110", "priority: 99", "99", 0, "priority 99 of "
	    "rule 'AllowOci' is outside 100-4096 (cloud-facts 2.6)");
	expect1("priority: 110", "priority: 4097", "4097", 0, "priority 4097 "
	    "of rule 'AllowOci' is outside 100-4096 (cloud-facts 2.6)");
	/* OutWeb has 100 too, but Outbound: only AllowOci clashes */
	expect1("priority: 110", "priority: 100", "priority: 100, "
	    "direction: Inbound, access: Allow", 10, "duplicate priority "
	    "100 in direction Inbound of NSG 'app-nsg' (rule 'DenyTelnet' at "
	    "21:11, 2.6)");
	expect1("name: AllowOci", "name: DenyTelnet", "DenyTelnet, priority: "
	    "110", 0, "duplicate rule 'DenyTelnet' in NSG 'app-nsg'");
	expect1("VirtualNetwork]", "VirtualNetwerk]", "VirtualNetwerk", 0,
	    "'source_address_prefixes': 'VirtualNetwerk' is not an address "
	    "prefix, an address, * or a service tag");
	expect1("1500-1600", "1600-1500", "1600-1500", 0,
	    "'destination_port_range': '1600-1500' is not a port range");
	expect1("[\"443\"]", "[\"443\", \"8443\"]", "\"8443\"", 0,
	    "rule 'OutWeb': one destination port range per rule");
	expect1("protocol: Tcp, destination_port_ranges",
	    "protocol: Tcp, destination_port_range: \"80\", "
	    "destination_port_ranges", "destination_port_ranges", 25,
	    "rule 'OutWeb' has both destination_port_range and "
	    "destination_port_ranges: give one");
	/* ports need Tcp or Udp (the default protocol is *) */
	expect1("access: Deny, protocol: Tcp, destination_port_range",
	    "access: Deny, destination_port_range", "{ name: DenyTelnet", 0,
	    "rule 'DenyTelnet': a port range needs protocol Tcp or Udp here "
	    "(write a rule for each)");
	expect1("access: Deny, protocol: Tcp,", "access: Deny, protocol: "
	    "\"*\",", "\"*\", dest", 0, "rule 'DenyTelnet': a port range "
	    "needs protocol Tcp or Udp");
	/* Icmp has no ports: refused, not ignored */
	expect1("access: Deny, protocol: Tcp,", "access: Deny, protocol: "
	    "Icmp,", "Icmp,", 0, "rule 'DenyTelnet': a port range needs "
	    "protocol Tcp or Udp; Icmp has no ports (give \"*\")");
	/* a subnet's NSG that does not exist, did you mean */
	expect1("network_security_group: app-nsg",
	    "network_security_group: app-nsgg", "app-nsgg", 0,
	    "unknown azure network security group 'app-nsgg' (did you mean "
	    "'app-nsg'?)");
	/* no NSG on GatewaySubnet (B4, 1.6) */
	expect1("{ name: GatewaySubnet, address_prefix: 10.1.255.0/27 }",
	    "{ name: GatewaySubnet, address_prefix: 10.1.255.0/27, "
	    "network_security_group: app-nsg }", "app-nsg }", 0,
	    "GatewaySubnet of virtual network 'hub' cannot have an NSG (not "
	    "supported, 1.6, B4)");
}

static void
test_vm_errors(void)
{
	expect1("subnet: hub/app", "subnet: hub/ap", "hub/ap", 0,
	    "unknown azure subnet 'hub/ap' (did you mean 'hub/app'?)");
	expect1("subnet: hub/app", "subnet: app", "subnet: app", 8,
	    "'subnet': expected virtual_network/subnet, got 'app'");
	expect1("subnet: hub/app", "subnet: hub/GatewaySubnet",
	    "hub/GatewaySubnet", 0, "NIC 'app-nic' cannot be in "
	    "GatewaySubnet: it holds only the virtual network gateway (1.6)");
	/* given addresses: reserved (first four, last), outside, taken */
	expect1("private_ip_address: 10.1.2.5", "private_ip_address: "
	    "10.1.2.3", "10.1.2.3", 0, "private_ip_address 10.1.2.3 is "
	    "reserved in subnet 'hub/db': Azure keeps the first four and the "
	    "last address (2.5)");
	expect1("private_ip_address: 10.1.2.5", "private_ip_address: "
	    "10.1.2.7", "10.1.2.7", 0, "private_ip_address 10.1.2.7 is "
	    "reserved in subnet 'hub/db'");
	expect1("private_ip_address: 10.1.2.5", "private_ip_address: "
	    "10.1.1.5", "10.1.1.5", 0, "private_ip_address 10.1.1.5 is "
	    "outside subnet 'hub/db' (10.1.2.0/29)");
	expect1("{ name: db-nic, subnet: hub/db }", "{ name: db-nic, subnet: "
	    "hub/db, private_ip_address: 10.1.2.5 }", "db-nic, subnet: hub/db, "
	    "private_ip_address: ", 44, "private_ip_address 10.1.2.5 is taken "
	    "by NIC 'app-nic2' (defined at 33:11)");
	/* a /29 has 3 addresses: app-nic2 and db-nic take two, then full */
	expect1("        - { name: db-nic, subnet: hub/db }\n",
	    "        - { name: db-nic, subnet: hub/db }\n"
	    "        - { name: db-nic3, subnet: hub/db }\n"
	    "        - { name: db-nic4, subnet: hub/db }\n",
	    "{ name: db-nic4", 0, "subnet 'hub/db' (10.1.2.0/29) has no free "
	    "address left for NIC 'db-nic4' of VM 'db-vm': 3 usable after "
	    "the 5 reserved (2.5)");
	/* a VM in another region than its NIC's VNet */
	{
		char *t1 = mutate("regions: [eastus]", "regions: [eastus, "
		    "westus]");
		char *p = strstr(t1, "    - name: app-vm\n");
		size_t len = strlen(t1) + 32;
		char *text = malloc(len);

		p += strlen("    - name: app-vm\n");
		snprintf(text, len, "%.*s      location: westus\n%s",
		    (int)(p - t1), t1, p);
		free(t1);
		expect_text(text, "subnet: hub/app", 8, "VM 'app-vm' is in "
		    "westus, virtual network 'hub' in eastus: a NIC's subnet "
		    "is in its VM's region");
	}
	expect1("name: db-nic,", "name: app-nic,", "app-nic, subnet: hub/db",
	    0, "duplicate azure network interface 'app-nic'");
	expect1("name: nva, address_prefix: 10.9.0.0/16, next_hop_type: "
	    "VirtualAppliance, next_hop_ip_address: 10.1.2.4",
	    "name: nva, address_prefix: 10.9.0.0/16, next_hop_type: "
	    "VirtualAppliance, next_hop_ip_address: 10.3.2.4", "10.3.2.4", 0,
	    "next hop 10.3.2.4 of route 'nva' is outside virtual network "
	    "'hub' (subnet 'app' uses route table 'app-rt')");
	expect1(", next_hop_ip_address: 10.1.2.4 }", " }",
	    "{ name: nva", 0, "route 'nva': next_hop_type VirtualAppliance "
	    "needs next_hop_ip_address (B3)");
}

static void
test_gateway_errors(void)
{
	/* misnamed GatewaySubnet: the error points at the misspelt name */
	expect1("name: GatewaySubnet", "name: Gatewaysubnet", "Gatewaysubnet",
	    0, "subnet 'Gatewaysubnet' of virtual network 'hub' must be "
	    "named exactly GatewaySubnet to hold gateway 'hub-gw' (1.6)");
	expect1("name: GatewaySubnet", "name: gateway-subnet",
	    "gateway-subnet", 0, "subnet 'gateway-subnet' of virtual network "
	    "'hub' must be named exactly GatewaySubnet");
	/* no such subnet at all */
	expect1("virtual_network: hub }", "virtual_network: spoke }",
	    "spoke }", 0, "virtual network 'spoke' has no subnet named "
	    "GatewaySubnet for gateway 'hub-gw' (1.6)");
	expect1("    - { name: hub-gw, sku: Standard, virtual_network: hub }\n",
	    "    - { name: hub-gw, sku: Standard, virtual_network: hub }\n"
	    "    - { name: hub-gw2, sku: Standard, virtual_network: hub }\n",
	    "hub }\n  express", 0, "virtual network 'hub' already has "
	    "ExpressRoute gateway 'hub-gw': one per VNet (1.6, 2.5)");
	expect1("sku: Standard, virtual_network", "sku: Standard, "
	    "scale_units: 2, virtual_network", "2, virtual", 0,
	    "scale_units is for sku ErGwScale only, 'hub-gw' is Standard "
	    "(B5)");
	/* a VPN gateway's knobs on an ExpressRoute gateway */
	expect1("sku: Standard, virtual_network", "sku: Standard, "
	    "xcsim: { tunnel_jitter: 1ms }, virtual_network", "1ms }", 0,
	    "tunnel_delay and tunnel_jitter are a VPN gateway's; 'hub-gw' is "
	    "an ExpressRoute gateway");
	/* FastPath on a SKU without it (B5) */
	expect1("express_route_circuit: er }", "express_route_circuit: er, "
	    "express_route_gateway_bypass: true }", "true }", 0, "FastPath "
	    "(express_route_gateway_bypass) needs an UltraPerformance or "
	    "ErGw3AZ gateway; 'hub-gw' is Standard (B5)");
	expect1("virtual_network_gateway: hub-gw,", "virtual_network_gateway: "
	    "hub-gwx,", "hub-gwx", 0, "unknown azure virtual network gateway "
	    "'hub-gwx' (did you mean 'hub-gw'?)");
}

/* A route table's gateway route in a VNet without a gateway (B3). */
static void
test_udr_gateway(void)
{
	char *t1 = mutate("10.2.1.0/24 }", "10.2.1.0/24, route_table: "
	    "spoke-rt }");
	const char *at = strstr(t1, "  virtual_machines:\n");
	const char *rt = "    - name: spoke-rt\n      routes:\n        - { "
	    "name: gw2, address_prefix: 10.8.0.0/16, next_hop_type: "
	    "VirtualNetworkGateway }\n";
	size_t len = strlen(t1) + strlen(rt) + 1;
	char *text = malloc(len);

	snprintf(text, len, "%.*s%s%s", (int)(at - t1), t1, rt, at);
	free(t1);
	expect_text(text, "VirtualNetworkGateway }\n  virtual_machines", 0,
	    "route 'gw2' sends to the gateway, but virtual network 'spoke' "
	    "(subnet 'web') has none");
	/* B3: a UDR cannot send to an ExpressRoute gateway (hub has one) */
	expect1("10.8.0.0/16, next_hop_type: None", "10.8.0.0/16, "
	    "next_hop_type: VirtualNetworkGateway", "VirtualNetworkGateway",
	    0, "route 'gw' sends to 'hub-gw', an ExpressRoute gateway: a "
	    "user-defined route cannot send to one, its routes come by BGP "
	    "(B3)");
}

static void
test_circuit_errors(void)
{
	expect1("bandwidth_in_mbps: 1000", "bandwidth_in_mbps: 300", "300", 0,
	    "bandwidth_in_mbps 300 is not offered (50, 100, 200, 500, 1000, "
	    "2000, 5000 or 10000; 1.7, B1)");
	expect1("{ tier: Standard, family: MeteredData }", "{ tier: Local, "
	    "family: MeteredData }", "MeteredData }", 0, "circuit 'er': tier "
	    "Local includes its data transfer: family must be UnlimitedData, "
	    "not MeteredData (B1)");
	/* a name that is not tier_family */
	expect1("{ tier: Standard, family: MeteredData }", "{ name: "
	    "Premium }", "Premium }", 0, "sku name 'Premium' is not "
	    "<tier>_<family>, e.g. Standard_MeteredData (1.1)");
	expect1("{ tier: Standard, family: MeteredData }", "{ name: "
	    "Premium_MeteredData, tier: Standard }", "Premium_", 0,
	    "sku name 'Premium_MeteredData' disagrees with tier and family "
	    "(Standard_MeteredData, 1.1)");
	expect1("peer_asn: 65001", "peer_asn: 65515", "65515", 0,
	    "peer_asn 65515 is reserved by Microsoft (65515-65520, 1.4)");
	expect1("peer_asn: 65001", "peer_asn: 65520", "65520", 0,
	    "peer_asn 65520 is reserved by Microsoft");
	expect1("peer_asn: 65001", "peer_asn: 12076", "12076", 0,
	    "peer_asn 12076 is the MSEEs' own AS (1.4)");
	expect1("192.168.100.132/30", "192.168.100.128/30",
	    "192.168.100.128/30\n        vlan", 0, "secondary peer address "
	    "prefix 192.168.100.128/30 overlaps the primary "
	    "192.168.100.128/30 (1.3)");
	expect1("192.168.100.132/30", "192.168.100.136/29", "192.168.100.136",
	    0, "secondary peer address prefix 192.168.100.136/29 must be a "
	    "/30 (1.3)");
	/* the block of the internal links (interconnect.h) */
	expect1("192.168.100.132/30", "169.254.240.4/30", "169.254.240.4", 0,
	    "secondary peer address prefix 169.254.240.4/30 is inside "
	    "169.254.240.0/20, which xcsim reserves for its internal links "
	    "(gateway <-> MSEE, Oracle edge <-> DRG; IC_BLOCK_MS): choose "
	    "another");
	/* 1.3 says /30: a /31 is refused too */
	expect1("192.168.100.132/30", "192.168.100.132/31", "192.168.100.132",
	    0, "secondary peer address prefix 192.168.100.132/31 must be a "
	    "/30 (1.3)");
	expect1("192.168.100.132/30", "10.7.0.0/30", "10.7.0.0/30", 0,
	    "secondary peer address prefix 10.7.0.0/30 overlaps the address "
	    "space 10.7.0.0/16 of virtual network 'hub' (1.3)");
	expect1("vlan_id: 100", "vlan_id: 4095", "4095", 0, "vlan_id");
	/*
	 * 3.1: an Oracle circuit's private peering is the OCI side's; given
	 * here it is typed by hand (B2, tests/test_peering_hand.c) and
	 * checked as any: a bad /30 is still refused.
	 */
	{
		char *t = mutate("service_provider_name: Equinix",
		    "service_provider_name: Oracle Cloud FastConnect"), *diag;
		char *u;
		unsigned n = 0;
		struct scenario *sc;

		diag = NULL;
		sc = load(t, &diag, &n);
		if (sc == NULL)
			fprintf(stderr, "%s", diag);
		CU_ASSERT_PTR_NOT_NULL(sc);
		CU_ASSERT_TRUE(sc != NULL && azure_of(sc)->circuits[0].has_pp);
		if (sc != NULL)
			scenario_free(sc);
		free(diag);
		u = strstr(t, "192.168.100.132/30");
		CU_ASSERT_PTR_NOT_NULL_FATAL(u);
		memcpy(u, "192.168.100.132/31", 18);
		expect_text(t, "192.168.100.132/31", 0, "secondary peer address "
		    "prefix 192.168.100.132/31 must be a /30 (1.3)");
	}
	/* the 80-character MD5 key limit is stated for FastConnect (2.3) */
	expect1("peer_asn: 65001\n", "peer_asn: 65001\n        shared_key: "
	    "\"123456789012345678901234567890123456789012345678901234567890"
	    "123456789012345678901\"\n", "\"123456789", 0, "shared_key is 81 "
	    "characters, at most 80 (2.3: the MD5 key limit stated for the "
	    "FastConnect side; Azure states none, 1.4)");
}

/* The circuit's tier and family after the checks, from sku text. */
static void
sku_of(const char *sku, int *tier, int *family)
{
	char *text = mutate("{ tier: Standard, family: MeteredData }", sku);
	char *diag = NULL;
	unsigned n = 0;
	struct scenario *sc = load(text, &diag, &n);

	if (sc == NULL)
		fprintf(stderr, "%s", diag);
	CU_ASSERT_PTR_NOT_NULL_FATAL(sc);
	*tier = azure_of(sc)->circuits[0].sku.tier;
	*family = azure_of(sc)->circuits[0].sku.family;
	scenario_free(sc);
	free(diag);
	free(text);
}

/*
 * The SKU's tier and family from its name where not given (1.1, B1:
 * "Standard_MeteredData"); tier Local without a family is UnlimitedData
 * (B1: Local includes its data transfer). Before the fix a name alone
 * left Standard/MeteredData, and Local alone was an error.
 */
static void
test_sku_name(void)
{
	int t, f;

	sku_of("{ name: Premium_MeteredData }", &t, &f);
	CU_ASSERT_EQUAL(t, AZ_TIER_PREMIUM);
	CU_ASSERT_EQUAL(f, AZ_FAM_METERED);
	sku_of("{ name: Local_UnlimitedData }", &t, &f);
	CU_ASSERT_EQUAL(t, AZ_TIER_LOCAL);
	CU_ASSERT_EQUAL(f, AZ_FAM_UNLIMITED);
	sku_of("{ name: Standard_UnlimitedData, tier: Standard }", &t, &f);
	CU_ASSERT_EQUAL(t, AZ_TIER_STANDARD);
	CU_ASSERT_EQUAL(f, AZ_FAM_UNLIMITED);
	sku_of("{ tier: Local }", &t, &f);
	CU_ASSERT_EQUAL(t, AZ_TIER_LOCAL);
	CU_ASSERT_EQUAL(f, AZ_FAM_UNLIMITED);
	sku_of("{ tier: Premium }", &t, &f);
	CU_ASSERT_EQUAL(t, AZ_TIER_PREMIUM);
	CU_ASSERT_EQUAL(f, AZ_FAM_METERED);
}

static void
test_circuits_per_gateway(void)
{
	/* Standard takes 4 circuits (1.6): the fifth connection is refused */
	static const char circuit[] =
	    "    - { name: er%d, service_provider_name: Equinix, "
	    "peering_location: Ashburn, bandwidth_in_mbps: 50 }\n";
	static const char conn[] =
	    "    - { name: c%d, virtual_network_gateway: hub-gw, "
	    "express_route_circuit: er%d }\n";
	char more_c[1024] = "", more_n[1024] = "";
	char line[256], *head, *text, *diag = NULL, at[32];
	unsigned n = 0, i;
	struct scenario *sc;
	size_t len;

	for (i = 1; i <= 4; i++) {
		snprintf(line, sizeof(line), circuit, i);
		strcat(more_c, line);
		snprintf(line, sizeof(line), conn, i, i);
		strcat(more_n, line);
	}
	strcat(more_c, "  connections:\n");
	/* er1..er4 after er; c1..c4 after hub-er (the file's end) */
	head = mutate("  connections:\n", more_c);
	len = strlen(head) + strlen(more_n) + 1;
	text = malloc(len);
	snprintf(text, len, "%s%s", head, more_n);
	free(head);
	sc = load(text, &diag, &n);
	pos_of(at, sizeof(at), text, "hub-gw, express_route_circuit: er4", 0);
	if (!has_error(diag, at, "gateway 'hub-gw' (Standard) takes at most "
	    "4 circuit connections (1.6)"))
		fprintf(stderr, "\n%s\n%s", text, diag);
	CU_ASSERT_PTR_NULL(sc);
	CU_ASSERT_EQUAL(n, 1);
	CU_ASSERT_TRUE(has_error(diag, at, "gateway 'hub-gw' (Standard) takes "
	    "at most 4 circuit connections (1.6)"));
	scenario_free(sc);
	free(diag);
	free(text);
}

/*
 * Azure's order at scale: 3,000 NICs in a /16, one given .10 by a NIC
 * written last: the others take .4 upward in file order, skipping .10.
 */
static void
test_allocation_scale(void)
{
	size_t len = 3001 * 96 + 512, used = 0, i;
	char *text = malloc(len), *diag = NULL;
	unsigned n = 0;
	struct scenario *sc;
	const struct azure *az;

	used += (size_t)snprintf(text, len, "duration: 1s\nazure:\n"
	    "  virtual_networks:\n    - name: big\n      address_space: "
	    "{ address_prefixes: [10.9.0.0/16] }\n      subnets: [{ name: s, "
	    "address_prefix: 10.9.0.0/16 }]\n  virtual_machines:\n");
	for (i = 0; i < 3000; i++)
		used += (size_t)snprintf(text + used, len - used, "    - { name: "
		    "vm%zu, network_interfaces: [{ name: n%zu, subnet: big/s }] "
		    "}\n", i, i);
	snprintf(text + used, len - used, "    - { name: given, "
	    "network_interfaces: [{ name: g, subnet: big/s, "
	    "private_ip_address: 10.9.0.10 }] }\n");
	sc = load(text, &diag, &n);
	if (sc == NULL)
		fprintf(stderr, "%s", diag);
	CU_ASSERT_PTR_NOT_NULL_FATAL(sc);
	az = azure_of(sc);
	CU_ASSERT_EQUAL(az->vms[0].nics[0].addr, 0x0a090004u);
	CU_ASSERT_EQUAL(az->vms[5].nics[0].addr, 0x0a090009u);
	CU_ASSERT_EQUAL(az->vms[6].nics[0].addr, 0x0a09000bu);
	/* 10.9.0.4 + 2999 + 1 skipped = 10.9.11.188 */
	CU_ASSERT_EQUAL(az->vms[2999].nics[0].addr, 0x0a090bbcu);
	CU_ASSERT_EQUAL(az->vms[3000].nics[0].addr, 0x0a09000au);
	scenario_free(sc);
	free(diag);
	free(text);
}

/* At most 4 circuits from one peering location per VNet (1.6, B1). */
static void
test_circuits_per_location(void)
{
	static const char circuit[] =
	    "    - { name: er%d, service_provider_name: Equinix, "
	    "peering_location: Washington DC, bandwidth_in_mbps: 50 }\n";
	static const char conn[] =
	    "    - { name: c%d, virtual_network_gateway: hub-gw, "
	    "express_route_circuit: er%d }\n";
	char more_c[1024] = "", more_n[1024] = "", line[256], *head, *t;
	size_t len;
	int i;

	for (i = 1; i <= 4; i++) {
		snprintf(line, sizeof(line), circuit, i);
		strcat(more_c, line);
		snprintf(line, sizeof(line), conn, i, i);
		strcat(more_n, line);
	}
	strcat(more_c, "  connections:\n");
	/* an UltraPerformance gateway takes 16 (1.6): the location binds */
	head = mutate("  connections:\n", more_c);
	t = head;
	head = malloc(strlen(t) + 64);
	{
		char *p = strstr(t, "sku: Standard");

		CU_ASSERT_PTR_NOT_NULL_FATAL(p);
		sprintf(head, "%.*ssku: UltraPerformance%s", (int)(p - t), t,
		    p + strlen("sku: Standard"));
	}
	free(t);
	len = strlen(head) + strlen(more_n) + 1;
	t = malloc(len);
	snprintf(t, len, "%s%s", head, more_n);
	free(head);
	/* er (Washington DC) and er1..er3 connected; er4 is the fifth */
	expect_text(t, "express_route_circuit: er4", 23, "virtual network "
	    "'hub' has 4 circuits from peering location 'Washington DC' "
	    "already, the most one VNet takes (1.6, B1)");
}

static void
test_facts(void)
{
	const struct az_sku_fact *f;
	uint32_t used[2] = { 0x0a000004u, 0x0a000006u };

	/* 2.5: five reserved, /29 smallest: .4 .5 .6 usable */
	CU_ASSERT_TRUE(az_reserved(0x0a000000u, 29, 0x0a000000u));
	CU_ASSERT_TRUE(az_reserved(0x0a000000u, 29, 0x0a000003u));
	CU_ASSERT_TRUE(az_reserved(0x0a000000u, 29, 0x0a000007u));
	CU_ASSERT_FALSE(az_reserved(0x0a000000u, 29, 0x0a000004u));
	CU_ASSERT_EQUAL(az_alloc(0x0a000000u, 29, NULL, 0), 0x0a000004u);
	CU_ASSERT_EQUAL(az_alloc(0x0a000000u, 29, used, 1), 0x0a000005u);
	CU_ASSERT_EQUAL(az_alloc(0x0a000000u, 29, used, 2), 0x0a000005u);
	used[1] = 0x0a000005u;
	CU_ASSERT_EQUAL(az_alloc(0x0a000000u, 29, used, 2), 0x0a000006u);
	used[0] = 0x0a000006u;
	{
		uint32_t all[3] = { 0x0a000004u, 0x0a000005u, 0x0a000006u };

		CU_ASSERT_EQUAL(az_alloc(0x0a000000u, 29, all, 3), 0);
	}
	/* a /24 has 251 usable, the last is .254 */
	CU_ASSERT_TRUE(az_reserved(0x0a000000u, 24, 0x0a0000ffu));
	CU_ASSERT_FALSE(az_reserved(0x0a000000u, 24, 0x0a0000feu));
	/* 1.6 / B5 */
	f = az_sku_fact(AZ_SKU_STANDARD);
	CU_ASSERT_EQUAL(f->rate_bps, 1000000000ULL);
	CU_ASSERT_EQUAL(f->pps, 100000);
	CU_ASSERT_EQUAL(f->max_circuits, 4);
	CU_ASSERT_FALSE(f->fastpath);
	f = az_sku_fact(AZ_SKU_ERGW2AZ);
	CU_ASSERT_EQUAL(f->rate_bps, 2000000000ULL);
	CU_ASSERT_EQUAL(f->pps, 200000);
	CU_ASSERT_EQUAL(f->max_circuits, 8);
	f = az_sku_fact(AZ_SKU_ULTRA);
	CU_ASSERT_EQUAL(f->rate_bps, 10000000000ULL);
	CU_ASSERT_EQUAL(f->pps, 1000000);
	CU_ASSERT_EQUAL(f->max_circuits, 16);
	CU_ASSERT_TRUE(f->fastpath);
	CU_ASSERT_TRUE(az_sku_fact(AZ_SKU_ERGW3AZ)->fastpath);
	CU_ASSERT_FALSE(az_sku_fact(AZ_SKU_ERGWSCALE)->fastpath);
	CU_ASSERT_EQUAL(az_sku_fact(AZ_SKU_ERGWSCALE)->pps, 100000);
	CU_ASSERT_PTR_NULL(az_sku_fact(0));
	/* 1.7, B1 */
	CU_ASSERT_TRUE(az_bandwidth_offered(50));
	CU_ASSERT_TRUE(az_bandwidth_offered(10000));
	CU_ASSERT_FALSE(az_bandwidth_offered(40000));
	CU_ASSERT_FALSE(az_bandwidth_offered(300));
}

/* text with the first `from` replaced by `to`; frees text. */
static char *
resub(char *text, const char *from, const char *to)
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

/*
 * Names Azure allows that the expansion gives to something it makes: one
 * error at the resource (docs/azure.md, "One namespace"), not the
 * low-level clashes that followed.
 */
static void
test_made_names(void)
{
	char *t;

	/* the circuit's MSEEs are nodes */
	expect1("    - name: db-vm\n", "    - name: msee-primary\n",
	    "msee-primary", 0, "virtual machine 'msee-primary' has the name "
	    "of the MSEE of ExpressRoute circuit 'er' (primary path): both "
	    "become nodes, one namespace (docs/azure.md)");
	/* FastPath's interface on the VNet node */
	t = mutate("sku: Standard, virtual_network: hub",
	    "sku: ErGw3AZ, virtual_network: hub");
	t = resub(t, "express_route_circuit: er }", "express_route_circuit: "
	    "er, express_route_gateway_bypass: true }");
	t = resub(t, "{ name: db-nic, subnet", "{ name: "
	    "fastpath-msee-secondary, subnet");
	expect_text(t, "fastpath-msee-secondary, subnet", 0, "network "
	    "interface 'fastpath-msee-secondary' has the name of the "
	    "interface FastPath connection 'hub-er' makes on its virtual "
	    "network's node: rename the interface (docs/azure.md)");
	/* a connected gateway is an interface of the MSEEs */
	t = mutate("{ name: hub-gw,", "{ name: private-peering,");
	t = resub(t, "virtual_network_gateway: hub-gw,",
	    "virtual_network_gateway: private-peering,");
	expect_text(t, "private-peering, sku", 0, "gateway 'private-peering' "
	    "has the name of the MSEE's private peering interface, and a "
	    "connection makes it an interface of the MSEE too: rename the "
	    "gateway (docs/azure.md)");
}

static const struct test_case cases[] = {
	{ "a good azure section loads and allocates as Azure does",
	    test_base_allocates },
	{ "address errors, exact messages and places", test_address_errors },
	{ "NSG errors, exact messages and places", test_nsg_errors },
	{ "VM and NIC errors, exact messages and places", test_vm_errors },
	{ "gateway errors, exact messages and places", test_gateway_errors },
	{ "a UDR to a gateway the VNet lacks", test_udr_gateway },
	{ "circuit errors, exact messages and places", test_circuit_errors },
	{ "circuits per gateway (1.6)", test_circuits_per_gateway },
	{ "circuits per peering location (1.6, B1)",
	    test_circuits_per_location },
	{ "allocation at scale, around a given address",
	    test_allocation_scale },
	{ "facts: reserved addresses, SKUs, bandwidths", test_facts },
	{ "circuit sku: tier and family from the name (1.1, B1)",
	    test_sku_name },
	{ "names the expansion makes: one error at the resource",
	    test_made_names },
	{ NULL, NULL }
};

int
main(int argc, char **argv)
{
	scenario_models_init();
	return test_main(argc, argv, "azure_check", cases);
}
