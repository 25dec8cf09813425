/*
 * azure_tables.c - the field tables of the `azure` section (the ARM
 * resources in snake_case, their `xcsim:` simulation knobs), the section
 * itself and the circuit accessors of azure.h.
 */
#include <stddef.h>
#include <stdlib.h>

#include "azure.h"
#include "azure_int.h"
#include "azure_vpn.h"
#include "interconnect.h"

const char *const az_sku_names[] = { "Standard", "HighPerformance",
	"UltraPerformance", "ErGw1AZ", "ErGw2AZ", "ErGw3AZ", "ErGwScale",
	"Basic", "VpnGw1", "VpnGw2", "VpnGw3", "VpnGw4", "VpnGw5", "VpnGw1AZ",
	"VpnGw2AZ", "VpnGw3AZ", "VpnGw4AZ", "VpnGw5AZ", NULL };
static const char *const sku_docs[] = {
	"1,000 Mbit/s, 100,000 pps, 4 circuits (1.6)",
	"2,000 Mbit/s, 200,000 pps, 8 circuits (1.6)",
	"10,000 Mbit/s, 1,000,000 pps, 16 circuits, FastPath (1.6, B5)",
	"as Standard, zone-redundant (1.6)",
	"as HighPerformance, zone-redundant (1.6)",
	"as UltraPerformance, zone-redundant, FastPath (1.6, B5)",
	"1,000 Mbit/s and 100,000 pps per scale unit, 1-40 units (1.6, B5)",
	"VPN: 100 Mbit/s, 10 tunnels, no BGP (4.2, B5)",
	"VPN: 650 Mbit/s, 30 tunnels (B5)",
	"VPN: 1 Gbit/s, 30 tunnels (B5)",
	"VPN: 1.25 Gbit/s, 30 tunnels (B5)",
	"VPN: 5 Gbit/s, 100 tunnels (Gen2, B5)",
	"VPN: 10 Gbit/s, 100 tunnels (Gen2, B5)",
	"VPN: as VpnGw1, zone-redundant (B5)",
	"VPN: as VpnGw2, zone-redundant (B5)",
	"VPN: as VpnGw3, zone-redundant (B5)",
	"VPN: as VpnGw4, zone-redundant (B5)",
	"VPN: as VpnGw5, zone-redundant (B5)",
	NULL };
const char *const az_tier_names[] = { "Standard", "Premium", "Local",
	"Basic", NULL };
static const char *const tier_docs[] = {
	"all regions of one geopolitical area; 4,000 prefixes (1.4, B1)",
	"global; 10,000 prefixes (1.4, B1)",
	"the one or two regions of the peering location's metro; "
	"UnlimitedData only (B1)",
	"legacy value (1.1)", NULL };
const char *const az_family_names[] = { "MeteredData", "UnlimitedData",
	NULL };
static const char *const family_docs[] = {
	"egress billed per GB (1.1)", "egress included (1.1)", NULL };
const char *const az_nht_names[] = { "VirtualAppliance",
	"VirtualNetworkGateway", "None", "VnetLocal", "Internet", NULL };
const char *const az_nht_text[] = { "Virtual appliance",
	"Virtual network gateway", "None", "Virtual network", "Internet",
	NULL };
static const char *const nht_docs[] = {
	"to next_hop_ip_address (a NIC in the VNet)",
	"to the VNet's gateway: refused for an ExpressRoute gateway (B3), "
	"the only kind here",
	"dropped",
	"the VNet (route 'Virtual network')",
	"the internet: dropped, the scenario has no internet yet", NULL };
static const char *const dir_names[] = { "Inbound", "Outbound", NULL };
static const char *const access_names[] = { "Allow", "Deny", NULL };
static const char *const proto_names[] = { "Tcp", "Udp", "Icmp", "*",
	NULL };
static const char *const gwtype_names[] = { "ExpressRoute", "Vpn", NULL };
static const char *const gwtype_docs[] = {
	"an ExpressRoute gateway",
	"a site-to-site VPN gateway (route-based, 4.2, B5)", NULL };

#define TABLE(nm, doc, fields, type, n) \
	{ nm, doc, fields, SC_NFIELDS(fields), sizeof(type), \
	offsetof(type, loc), offsetof(type, vloc), offsetof(type, keys), -1 }

/* --- virtual networks ------------------------------------------------- */

static const struct sc_field sp_fields[] = {
	[SP_PREFIXES] = { "address_prefixes", SC_FT_STRINGS,
		SC_AT(struct az_space, prefixes),
		SC_AT2(struct az_space, n_prefixes),
		SC_AT3(struct az_space, prefix_loc), .required = true,
		.doc = "the VNet's address ranges, a.b.c.d/len each, not "
		    "overlapping (those of other VNets neither)" },
};

static const struct sc_table sp_table = TABLE("azure-address-space",
    "A virtual network's address space.", sp_fields, struct az_space, 0);

static const struct sc_field sn_fields[] = {
	[SN_NAME] = { "name", SC_FT_NAME, SC_AT(struct az_subnet, name),
		.required = true, .doc = "unique in the VNet; the gateway's "
		    "must be GatewaySubnet (1.6); names the subnet's VRF on "
		    "the VNet node" },
	[SN_PREFIX] = { "address_prefix", SC_FT_PREFIX,
		SC_AT(struct az_subnet, prefix),
		SC_AT2(struct az_subnet, plen), .required = true,
		.doc = "inside the address space, /29 or larger, not "
		    "overlapping another subnet; 5 addresses reserved (2.5)" },
	[SN_NSG] = { "network_security_group", SC_FT_NAME,
		SC_AT(struct az_subnet, nsg), .def_doc = "none",
		.doc = "the subnet's NSG (none on GatewaySubnet, B4)" },
	[SN_RT] = { "route_table", SC_FT_NAME,
		SC_AT(struct az_subnet, route_table), .def_doc = "none",
		.doc = "the subnet's route table (user-defined routes)" },
};

static const struct sc_table sn_table = TABLE("azure-subnet",
    "A subnet of a virtual network.", sn_fields, struct az_subnet, 0);

static const struct sc_field vn_fields[] = {
	[VN_NAME] = { "name", SC_FT_NAME, SC_AT(struct az_vnet, name),
		.required = true, .doc = "names the VNet node (role azure-vnet)" },
	[VN_LOCATION] = { "location", SC_FT_NAME,
		SC_AT(struct az_vnet, location), .def_doc = "none",
		.doc = "its region (one of regions when that is given); the "
		    "nodes' region" },
	[VN_SPACE] = { "address_space", SC_FT_MAP,
		SC_AT(struct az_vnet, space), .sub = &sp_table,
		.required = true, .doc = "its address ranges" },
	[VN_SUBNETS] = { "subnets", SC_FT_LIST, SC_AT(struct az_vnet, subnets),
		SC_AT2(struct az_vnet, n_subnets), .sub = &sn_table,
		.doc = "its subnets" },
};

static const struct sc_table vn_table = TABLE("azure-virtual-network",
    "An Azure virtual network: one node of role azure-vnet with a VRF per "
    "subnet (docs/azure.md).", vn_fields, struct az_vnet, 0);

/* --- network security groups ------------------------------------------ */

#define SR(m) SC_AT(struct az_rule, m)

static const struct sc_field sr_fields[] = {
	[SR_NAME] = { "name", SC_FT_NAME, SR(name), .required = true,
		.doc = "unique in the NSG; named in drop reasons" },
	[SR_PRIORITY] = { "priority", SC_FT_UINT, SR(priority),
		.max = 65535, .required = true,
		.doc = "100..4096, lower first, unique per direction (2.6)" },
	[SR_DIRECTION] = { "direction", SC_FT_ENUM, SR(direction),
		.names = dir_names, .required = true,
		.doc = "Inbound (to the NIC) or Outbound" },
	[SR_ACCESS] = { "access", SC_FT_ENUM, SR(access),
		.names = access_names, .required = true,
		.doc = "Allow or Deny" },
	[SR_PROTOCOL] = { "protocol", SC_FT_ENUM, SR(protocol),
		.names = proto_names, .def = "*",
		.doc = "Tcp, Udp, Icmp or * (any)" },
	[SR_SRC] = { "source_address_prefix", SC_FT_STRING, SR(src),
		.def_doc = "* (any)", .doc = "a.b.c.d/len, a.b.c.d, *, or a "
		    "service tag: VirtualNetwork, AzureLoadBalancer, Internet" },
	[SR_SRCS] = { "source_address_prefixes", SC_FT_STRINGS, SR(srcs),
		SC_AT2(struct az_rule, n_srcs), SC_AT3(struct az_rule,
		srcs_loc), .def_doc = "none",
		.doc = "several, as source_address_prefix (not with it)" },
	[SR_SPORT] = { "source_port_range", SC_FT_STRING, SR(sport),
		.def_doc = "* (any)", .doc = "*, a port or lo-hi" },
	[SR_SPORTS] = { "source_port_ranges", SC_FT_STRINGS, SR(sports),
		SC_AT2(struct az_rule, n_sports), SC_AT3(struct az_rule,
		sports_loc), .def_doc = "none",
		.doc = "one range, as source_port_range (several: write one "
		    "rule each)" },
	[SR_DST] = { "destination_address_prefix", SC_FT_STRING, SR(dst),
		.def_doc = "* (any)", .doc = "as source_address_prefix" },
	[SR_DSTS] = { "destination_address_prefixes", SC_FT_STRINGS,
		SR(dsts), SC_AT2(struct az_rule, n_dsts),
		SC_AT3(struct az_rule, dsts_loc), .def_doc = "none",
		.doc = "several, as destination_address_prefix" },
	[SR_DPORT] = { "destination_port_range", SC_FT_STRING, SR(dport),
		.def_doc = "* (any)", .doc = "*, a port or lo-hi" },
	[SR_DPORTS] = { "destination_port_ranges", SC_FT_STRINGS, SR(dports),
		SC_AT2(struct az_rule, n_dports), SC_AT3(struct az_rule,
		dports_loc), .def_doc = "none",
		.doc = "one range, as destination_port_range (several: write "
		    "one rule each)" },
	[SR_DESCRIPTION] = { "description", SC_FT_STRING, SR(description),
		.def_doc = "none", .doc = "free text" },
};

static const struct sc_table sr_table = TABLE("azure-security-rule",
    "A rule of an NSG: first match by ascending priority per direction "
    "(2.6).", sr_fields, struct az_rule, 0);

static const struct sc_field ns_fields[] = {
	[NS_NAME] = { "name", SC_FT_NAME, SC_AT(struct az_nsg, name),
		.required = true, .doc = "names the acl it becomes" },
	[NS_RULES] = { "security_rules", SC_FT_LIST,
		SC_AT(struct az_nsg, rules), SC_AT2(struct az_nsg, n_rules),
		.sub = &sr_table, .doc = "its rules; the default rules 65000, "
		    "65001 and 65500 of each direction are added (2.6)" },
};

static const struct sc_table ns_table = TABLE(
    "azure-network-security-group", "A network security group, for "
    "subnets and NICs.", ns_fields, struct az_nsg, 0);

/* --- route tables ------------------------------------------------------ */

static const struct sc_field ro_fields[] = {
	[RO_NAME] = { "name", SC_FT_NAME, SC_AT(struct az_route, name),
		.required = true, .doc = "unique in the table" },
	[RO_PREFIX] = { "address_prefix", SC_FT_PREFIX,
		SC_AT(struct az_route, prefix), SC_AT2(struct az_route, plen),
		.required = true, .doc = "the destination, a.b.c.d/len" },
	[RO_NHT] = { "next_hop_type", SC_FT_ENUM, SC_AT(struct az_route, nht),
		.names = az_nht_names, .name_docs = nht_docs, .required = true,
		.doc = "where it sends (B3)" },
	[RO_NHIP] = { "next_hop_ip_address", SC_FT_ADDR,
		SC_AT(struct az_route, nh_ip), .def_doc = "none",
		.doc = "VirtualAppliance only: a NIC address of the VNet" },
};

static const struct sc_table ro_table = TABLE("azure-route",
    "A user-defined route.", ro_fields, struct az_route, 0);

static const struct sc_field rb_fields[] = {
	[RB_NAME] = { "name", SC_FT_NAME, SC_AT(struct az_rt, name),
		.required = true, .doc = "unique" },
	[RB_DISABLE] = { "disable_bgp_route_propagation", SC_FT_BOOL,
		SC_AT(struct az_rt, disable_bgp), .def = "false",
		.doc = "true: the gateway's BGP routes are not installed in "
		    "its subnets (\"propagate gateway routes\" off, B3)" },
	[RB_ROUTES] = { "routes", SC_FT_LIST, SC_AT(struct az_rt, routes),
		SC_AT2(struct az_rt, n_routes), .sub = &ro_table,
		.doc = "its user-defined routes" },
};

static const struct sc_table rb_table = TABLE("azure-route-table",
    "A route table, for subnets.", rb_fields, struct az_rt, 0);

/* --- virtual machines ------------------------------------------------- */

static const struct sc_field ni_fields[] = {
	[NI_NAME] = { "name", SC_FT_NAME, SC_AT(struct az_nic, name),
		.required = true, .doc = "unique; names the VM's interface and "
		    "the VNet node's interface toward it" },
	[NI_SUBNET] = { "subnet", SC_FT_STRING, SC_AT(struct az_nic, subnet),
		.required = true, .doc = "vnet/subnet" },
	[NI_IP] = { "private_ip_address", SC_FT_ADDR,
		SC_AT(struct az_nic, ip), .def_doc = "the first free address "
		    "after the reserved ones (2.5)",
		.doc = "in the subnet, not reserved, not taken" },
	[NI_NSG] = { "network_security_group", SC_FT_NAME,
		SC_AT(struct az_nic, nsg), .def_doc = "none",
		.doc = "the NIC's NSG" },
};

static const struct sc_table ni_table = TABLE("azure-network-interface",
    "A NIC of a VM.", ni_fields, struct az_nic, 0);

static const struct sc_field vx_fields[] = {
	[VX_RATE] = { "rate", SC_FT_RATE, SC_AT(struct az_vm_x, rate_bps),
		.min = 1, .def = "10Gbps",
		.doc = "rate of its links to the VNet" },
	[VX_DELAY] = { "delay", SC_FT_DELAY, SC_AT(struct az_vm_x, delay),
		.def = "40us", .doc = "one-way delay VM <-> VNet "
		    "(IC_DELAY_HOST, B9)" },
};

static const struct sc_table vx_table = TABLE("azure-vm-xcsim",
    "Simulation knobs of a VM.", vx_fields, struct az_vm_x, 0);

static const struct sc_field vm_fields[] = {
	[VM_NAME] = { "name", SC_FT_NAME, SC_AT(struct az_vm, name),
		.required = true, .doc = "names the VM node (role azure-vm)" },
	[VM_LOCATION] = { "location", SC_FT_NAME, SC_AT(struct az_vm, location),
		.def_doc = "its VNet's", .doc = "its region" },
	[VM_NICS] = { "network_interfaces", SC_FT_LIST,
		SC_AT(struct az_vm, nics), SC_AT2(struct az_vm, n_nics),
		.sub = &ni_table, .required = true,
		.doc = "its NICs; the first has the default route" },
	[VM_XCSIM] = { "xcsim", SC_FT_MAP, SC_AT(struct az_vm, x),
		.sub = &vx_table, .doc = "simulation knobs" },
};

static const struct sc_table vm_table = TABLE("azure-virtual-machine",
    "A virtual machine (an end host).", vm_fields, struct az_vm, 0);

/* --- gateways, circuits, connections ---------------------------------- */

static const struct sc_field gx_fields[] = {
	[GX_DELAY] = { "delay", SC_FT_DELAY, SC_AT(struct az_gw_x, delay),
		.def = "30us", .doc = "one-way delay VNet <-> gateway "
		    "(IC_DELAY_FABRIC)" },
	[GX_TUN_DELAY] = { "tunnel_delay", SC_FT_TIME,
		SC_AT(struct az_gw_x, tunnel_delay),
		.def_doc = "200us (VPN gateways; fitted to B9, docs/azure.md)",
		.doc = "VPN gateways: the gateway's processing delay for each "
		    "packet through its tunnels, added to the internet link's "
		    "delay (each way)" },
	[GX_TUN_JITTER] = { "tunnel_jitter", SC_FT_TIME,
		SC_AT(struct az_gw_x, tunnel_jitter),
		.max = AZ_VPN_JITTER_MAX,
		.def_doc = "1ms (VPN gateways; fitted to B9, docs/azure.md)",
		.doc = "VPN gateways: the standard deviation of a pareto tail "
		    "the gateway adds to each packet through its tunnels "
		    "(0s: none), at most 30m" },
};

static const struct sc_table gx_table = TABLE("azure-gateway-xcsim",
    "Simulation knobs of a gateway.", gx_fields, struct az_gw_x, 0);

static const struct sc_field gw_fields[] = {
	[GW_NAME] = { "name", SC_FT_NAME, SC_AT(struct az_gw, name),
		.required = true,
		.doc = "names the gateway node (role azure-er-gateway)" },
	[GW_TYPE] = { "gateway_type", SC_FT_ENUM, SC_AT(struct az_gw, type),
		.names = gwtype_names, .name_docs = gwtype_docs,
		.def = "ExpressRoute", .doc = "the gateway's type (1.6)" },
	[GW_SKU] = { "sku", SC_FT_ENUM, SC_AT(struct az_gw, sku),
		.names = az_sku_names, .name_docs = sku_docs, .required = true,
		.doc = "its SKU: the data path's rate and packet-rate limit" },
	[GW_SCALE] = { "scale_units", SC_FT_UINT,
		SC_AT(struct az_gw, scale_units), .min = 1, .max = 40,
		.def_doc = "1 (ErGwScale only)", .doc = "ErGwScale: units of "
		    "1 Gbit/s and 100,000 pps (B5)" },
	[GW_VNET] = { "virtual_network", SC_FT_NAME, SC_AT(struct az_gw, vnet),
		.required = true, .doc = "its VNet, which must have a "
		    "GatewaySubnet (1.6)" },
	[GW_XCSIM] = { "xcsim", SC_FT_MAP, SC_AT(struct az_gw, x),
		.sub = &gx_table, .doc = "simulation knobs" },
	[GW_VPN_TYPE] = { "vpn_type", SC_FT_ENUM, SC_AT(struct az_gw, vpn_type),
		.names = az_vpn_type_names, .def = "RouteBased",
		.doc = "Vpn: RouteBased (PolicyBased is Basic's, one tunnel, "
		    "no BGP: not modelled, 4.2)" },
	[GW_BGP] = { "enable_bgp", SC_FT_BOOL, SC_AT(struct az_gw, enable_bgp),
		.def = "false", .doc = "Vpn: BGP over its tunnels (not on "
		    "Basic, B5)" },
	[GW_BGP_SETTINGS] = { "bgp_settings", SC_FT_MAP,
		SC_AT(struct az_gw, bgp), .sub = &az_bs_table,
		.def_doc = "asn 65515", .doc = "Vpn: asn and "
		    "custom_bgp_ip_addresses (APIPA, facts 4)" },
	[GW_PIP] = { "public_ip_address", SC_FT_ADDR,
		SC_AT(struct az_gw, public_ip), .def_doc = "none",
		.doc = "Vpn (required): the address of its public IP resource, "
		    "the tunnels' outer address (the OCI CPE's ip_address)" },
};

static const struct sc_table gw_table = TABLE("azure-virtual-network-gateway",
    "A virtual network gateway (AS 65515) in its VNet's GatewaySubnet: "
    "ExpressRoute or Vpn.", gw_fields, struct az_gw, 0);

static const struct sc_field sk_fields[] = {
	[SK_NAME] = { "name", SC_FT_STRING, SC_AT(struct az_sku_cfg, name),
		.def_doc = "tier_family", .doc = "e.g. Standard_MeteredData: "
		    "gives tier and family where they are not given, and "
		    "must agree with them where they are (1.1)" },
	[SK_TIER] = { "tier", SC_FT_ENUM, SC_AT(struct az_sku_cfg, tier),
		.names = az_tier_names, .name_docs = tier_docs,
		.def = "Standard", .doc = "the circuit's tier (1.1, B1); not "
		    "given: the name's, else this default" },
	[SK_FAMILY] = { "family", SC_FT_ENUM,
		SC_AT(struct az_sku_cfg, family), .names = az_family_names,
		.name_docs = family_docs, .def = "MeteredData",
		.doc = "its billing family (1.1); not given: the name's, else "
		    "UnlimitedData for tier Local (its data transfer is "
		    "included, B1), else this default" },
};

static const struct sc_table sk_table = TABLE("azure-circuit-sku",
    "An ExpressRoute circuit's SKU.", sk_fields, struct az_sku_cfg, 0);

#define PP(m) SC_AT(struct az_pp, m)

static const struct sc_field pp_fields[] = {
	[PP_PRIMARY] = { "primary_peer_address_prefix", SC_FT_PREFIX,
		PP(prefix[0]), SC_AT2(struct az_pp, plen[0]), .required = true,
		.doc = "the primary link's /30: the peer takes the first "
		    "usable address, msee-primary the second (1.3)" },
	[PP_SECONDARY] = { "secondary_peer_address_prefix", SC_FT_PREFIX,
		PP(prefix[1]), SC_AT2(struct az_pp, plen[1]), .required = true,
		.doc = "the secondary link's /30, not overlapping the primary" },
	[PP_VLAN] = { "vlan_id", SC_FT_UINT, PP(vlan), .min = 1, .max = 4094,
		.required = true, .doc = "the peering's VLAN (C-tag, 1.8)" },
	[PP_PEER_ASN] = { "peer_asn", SC_FT_UINT, PP(peer_asn), .min = 1,
		.max = UINT32_MAX, .required = true,
		.doc = "the peer's AS; 65515-65520 are reserved (1.4)" },
	[PP_KEY] = { "shared_key", SC_FT_STRING, PP(shared_key),
		.def_doc = "none", .doc = "TCP MD5 key, at most 80 characters "
		    "(1.4)" },
};

static const struct sc_table pp_table = TABLE("azure-private-peering",
    "A circuit's Azure private peering.", pp_fields, struct az_pp, 0);

static const struct sc_field cx_fields[] = {
	[CX_DELAY] = { "delay", SC_FT_DELAY, SC_AT(struct az_circuit_x, delay),
		.def = "500us", .doc = "one-way delay gateway <-> MSEE, region "
		    "to peering location (IC_DELAY_BACKBONE); a time, or the "
		    "span {from: eastus, to: Washington DC} (docs/geo.md)" },
	[CX_STAG] = { "stag", SC_FT_UINT, SC_AT(struct az_circuit_x, stag),
		.max = 4094, .def = "0", .doc = "the S-tag Microsoft assigns "
		    "(1.8); 0: plain 802.1Q on the peering" },
	[CX_RESTART] = { "max_prefix_restart", SC_FT_TIME,
		SC_AT(struct az_circuit_x, restart), .min = SIM_S(1),
		.def = "60s", .doc = "a session dropped over the prefix limit "
		    "retries after this (B1: it comes back when under)" },
};

static const struct sc_table cx_table = TABLE("azure-circuit-xcsim",
    "Simulation knobs of a circuit.", cx_fields, struct az_circuit_x, 0);

#define CI(m) SC_AT(struct az_circuit, m)

static const struct sc_field ci_fields[] = {
	[CI_NAME] = { "name", SC_FT_NAME, CI(name), .required = true,
		.doc = "with several circuits, put in front of the MSEE names" },
	[CI_PROVIDER] = { "service_provider_name", SC_FT_STRING, CI(provider),
		.def_doc = "required, but on an express_route_port",
		.doc = "e.g. Equinix; \"" IC_PROVIDER_ORACLE
		    "\": the private peering comes from the OCI virtual "
		    "circuit (3.1)" },
	[CI_LOCATION] = { "peering_location", SC_FT_STRING, CI(location),
		.def_doc = "required, but on an express_route_port (its)",
		.doc = "the MSEEs' region" },
	[CI_BW] = { "bandwidth_in_mbps", SC_FT_UINT, CI(bandwidth_mbps),
		.max = UINT32_MAX, .def_doc = "required, but on an "
		    "express_route_port",
		.doc = "50, 100, 200, 500, 1000, 2000, 5000 or 10000 (1.7, B1)" },
	[CI_SKU] = { "sku", SC_FT_MAP, CI(sku), .sub = &sk_table,
		.doc = "tier and family" },
	[CI_PP] = { "private_peering", SC_FT_MAP, CI(pp), .sub = &pp_table,
		.def_doc = "from the OCI virtual circuit (Oracle provider), "
		    "else none", .doc = "the Azure private peering" },
	[CI_XCSIM] = { "xcsim", SC_FT_MAP, CI(x), .sub = &cx_table,
		.doc = "simulation knobs" },
	[CI_PORT] = { "express_route_port", SC_FT_NAME, CI(port),
		.def_doc = "none: through service_provider_name",
		.doc = "ExpressRoute Direct: the port pair the circuit is "
		    "carved from (docs/azure.md)" },
	[CI_BW_GBPS] = { "bandwidth_in_gbps", SC_FT_UINT, CI(bandwidth_gbps),
		.max = 1000, .def_doc = "none", .doc = "a circuit on a port: "
		    "1, 2, 5 or 10 on a 10 Gbps port; 5, 10, 40 or 100 on a "
		    "100 Gbps port (1.7; expressroute-erdirect-about)" },
};

static const struct sc_table ci_table = TABLE("azure-express-route-circuit",
    "An ExpressRoute circuit: two MSEE routers (AS 12076), msee-primary "
    "and msee-secondary.", ci_fields, struct az_circuit, 0);

static const char *const encaps[] = { "Dot1Q", "QinQ", NULL };
static const char *const encap_docs[] = {
	"one 802.1Q tag: a peering's VLAN unique across the port pair's "
	    "circuits",
	"two tags: Azure gives each circuit an S-tag, the peering's VLAN "
	    "is the C-tag", NULL };

static const struct sc_field pl_fields[] = {
	[PL_NAME] = { "name", SC_FT_NAME, SC_AT(struct az_port_link, name),
		.required = true, .doc = "link1, link2 (the primary, the "
		    "secondary MSEE)" },
};

static const struct sc_table pl_table = TABLE("azure-express-route-link",
    "One of the port pair's two physical links.", pl_fields,
    struct az_port_link, 0);

static const struct sc_field px_fields[] = {
	[PX_ROUTER] = { "router", SC_FT_NAME, SC_AT(struct az_port_x, router),
		.def_doc = "none: link the MSEEs by hand",
		.doc = "the customer's router node (in nodes): each circuit's "
		    "MSEE private-peering is linked to its interface "
		    "<circuit>-primary / <circuit>-secondary" },
	[PX_DELAY] = { "delay", SC_FT_DELAY, SC_AT(struct az_port_x, delay),
		.def = "20us", .doc = "one-way delay of those links (a "
		    "cross-connect in the colocation, IC_DELAY_CROSS_CONNECT)" },
};

static const struct sc_table px_table = TABLE("azure-express-route-port-"
    "xcsim", "Simulation knobs of a port.", px_fields, struct az_port_x, 0);

static const struct sc_field pt_fields[] = {
	[PT_NAME] = { "name", SC_FT_NAME, SC_AT(struct az_port, name),
		.required = true, .doc = "unique" },
	[PT_LOCATION] = { "peering_location", SC_FT_STRING,
		SC_AT(struct az_port, location), .required = true,
		.doc = "where the port pair is (the MSEEs' region)" },
	[PT_BW] = { "bandwidth_in_gbps", SC_FT_UINT,
		SC_AT(struct az_port, bandwidth_gbps), .max = 1000,
		.required = true, .doc = "10 or 100 (1.7)" },
	[PT_ENCAP] = { "encapsulation", SC_FT_ENUM,
		SC_AT(struct az_port, encap), .names = encaps,
		.name_docs = encap_docs, .required = true,
		.doc = "Dot1Q or QinQ (1.7)" },
	[PT_LINKS] = { "links", SC_FT_LIST, SC_AT(struct az_port, links),
		SC_AT2(struct az_port, n_links), .sub = &pl_table,
		.def_doc = "link1, link2", .doc = "the two physical links" },
	[PT_XCSIM] = { "xcsim", SC_FT_MAP, SC_AT(struct az_port, x),
		.sub = &px_table, .doc = "simulation knobs" },
};

static const struct sc_table pt_table = TABLE("azure-express-route-port",
    "An ExpressRoute Direct port pair: dual 10 or 100 Gbps links to the "
    "MSEEs of a peering location, circuits carved from it.", pt_fields,
    struct az_port, 0);

static const struct sc_field cn_fields[] = {
	[CN_NAME] = { "name", SC_FT_NAME, SC_AT(struct az_conn, name),
		.required = true, .doc = "unique" },
	[CN_GW] = { "virtual_network_gateway", SC_FT_NAME,
		SC_AT(struct az_conn, gw), .required = true,
		.doc = "the gateway" },
	[CN_CIRCUIT] = { "express_route_circuit", SC_FT_NAME,
		SC_AT(struct az_conn, circuit), .def_doc = "none",
		.doc = "the circuit (ExpressRoute: required)" },
	[CN_WEIGHT] = { "routing_weight", SC_FT_UINT,
		SC_AT(struct az_conn, weight), .max = 32000, .def = "0",
		.doc = "higher is preferred among the gateway's circuits (B1)" },
	[CN_BYPASS] = { "express_route_gateway_bypass", SC_FT_BOOL,
		SC_AT(struct az_conn, bypass), .def = "false",
		.doc = "FastPath: inbound data skips the gateway "
		    "(UltraPerformance, ErGw3AZ only, B5)" },
	[CN_TYPE] = { "connection_type", SC_FT_ENUM,
		SC_AT(struct az_conn, type), .names = az_conn_type_names,
		.def = "ExpressRoute", .doc = "ExpressRoute (to a circuit) or "
		    "IPsec (site-to-site, to a local network gateway)" },
	[CN_LNG] = { "local_network_gateway", SC_FT_NAME,
		SC_AT(struct az_conn, lng), .def_doc = "none",
		.doc = "IPsec (required): the far site" },
	[CN_KEY] = { "shared_key", SC_FT_STRING,
		SC_AT(struct az_conn, shared_key), .def_doc = "none",
		.doc = "IPsec (required): the pre-shared key" },
	[CN_BGP] = { "enable_bgp", SC_FT_BOOL, SC_AT(struct az_conn, enable_bgp),
		.def = "false", .doc = "IPsec: BGP with the local network "
		    "gateway's bgp_settings over the tunnel" },
	[CN_PROTO] = { "connection_protocol", SC_FT_ENUM,
		SC_AT(struct az_conn, protocol), .names = az_conn_proto_names,
		.def = "IKEv2", .doc = "IPsec: IKEv2 or IKEv1 (OCI interop "
		    "needs IKEv2, facts 4)" },
	[CN_POLICIES] = { "ipsec_policies", SC_FT_LIST,
		SC_AT(struct az_conn, policies),
		SC_AT2(struct az_conn, n_policies), .sub = &az_ipp_table,
		.def_doc = "Azure's default proposals",
		.doc = "IPsec: at most one custom policy (Azure proposes "
		    "exactly it)" },
};

static const struct sc_table cn_table = TABLE("azure-connection",
    "A connection: a gateway to a circuit, or IPsec to a local network "
    "gateway.", cn_fields,
    struct az_conn, 0);

/* --- the section ------------------------------------------------------ */

#define AZ(m) SC_AT(struct azure, m)

static const struct sc_field az_fields[] = {
	[AZ_REGIONS] = { "regions", SC_FT_NAMES, AZ(regions),
		SC_AT2(struct azure, n_regions), SC_AT3(struct azure,
		regions_loc), .def_doc = "any",
		.doc = "the regions locations must be among" },
	[AZ_VNETS] = { "virtual_networks", SC_FT_LIST, AZ(vnets),
		SC_AT2(struct azure, n_vnets), .sub = &vn_table,
		.doc = "virtual networks" },
	[AZ_NSGS] = { "network_security_groups", SC_FT_LIST, AZ(nsgs),
		SC_AT2(struct azure, n_nsgs), .sub = &ns_table,
		.doc = "network security groups" },
	[AZ_RTS] = { "route_tables", SC_FT_LIST, AZ(rts),
		SC_AT2(struct azure, n_rts), .sub = &rb_table,
		.doc = "route tables" },
	[AZ_VMS] = { "virtual_machines", SC_FT_LIST, AZ(vms),
		SC_AT2(struct azure, n_vms), .sub = &vm_table,
		.doc = "virtual machines" },
	[AZ_GWS] = { "virtual_network_gateways", SC_FT_LIST, AZ(gws),
		SC_AT2(struct azure, n_gws), .sub = &gw_table,
		.doc = "ExpressRoute and VPN gateways" },
	[AZ_CIRCUITS] = { "express_route_circuits", SC_FT_LIST, AZ(circuits),
		SC_AT2(struct azure, n_circuits), .sub = &ci_table,
		.doc = "ExpressRoute circuits" },
	[AZ_CONNS] = { "connections", SC_FT_LIST, AZ(conns),
		SC_AT2(struct azure, n_conns), .sub = &cn_table,
		.doc = "gateway-to-circuit and IPsec connections" },
	[AZ_PORTS] = { "express_route_ports", SC_FT_LIST, AZ(ports),
		SC_AT2(struct azure, n_ports), .sub = &pt_table,
		.def_doc = "none", .doc = "ExpressRoute Direct port pairs" },
	[AZ_LNGS] = { "local_network_gateways", SC_FT_LIST, AZ(lngs),
		SC_AT2(struct azure, n_lngs), .sub = &az_lng_table,
		.doc = "local network gateways (site-to-site VPN)" },
};

static const struct sc_table az_table = TABLE("azure",
    "Azure resources in ARM terms, expanded into nodes, links, bgp, "
    "route_tables, acls (docs/azure.md).", az_fields, struct azure, 0);

static void
az_free(void *items, size_t n)
{
	struct azure *az = items;
	size_t i;

	for (i = 0; i < n; i++) {
		size_t j;

		for (j = 0; j < az[i].n_vnets; j++) {
			struct az_vnet *v = &az[i].vnets[j];
			size_t k;

			free(v->sp.net);
			free(v->sp.plen);
			free(v->sp.loc);
			for (k = 0; k < v->n_subnets; k++)
				free(v->subnets[k].key);
		}
		for (j = 0; j < az[i].n_lngs; j++) {
			free(az[i].lngs[j].sp.net);
			free(az[i].lngs[j].sp.plen);
			free(az[i].lngs[j].sp.loc);
		}
		az_prov_free(&az[i]);
	}
}

const struct sc_section azure_section = {
	.name = "azure",
	.doc = "Azure resources in ARM terms (docs/azure.md)",
	.table = &az_table,
	.list = false,
	.check = az_check,
	.free = az_free,
	.expand = az_expand,
};

int
azure_scenario_register(void)
{
	if (scenario_register_section(&azure_section) != 0)
		return -1;
	/* its resources on the timeline (azure_prov.c) */
	return az_prov_register();
}

struct azure *
az_section(const struct scenario *sc)
{
	size_t i;

	for (i = 0; i < sc->n_sections; i++)
		if (sc->sections[i].sec == &azure_section)
			return sc->sections[i].given && !sc->sections[i].bad ?
			    sc->sections[i].items : NULL;
	return NULL;
}

static const struct azure *
az_of(const struct scenario *sc)
{
	return az_section(sc);
}

size_t
azure_n_circuits(const struct scenario *sc)
{
	const struct azure *az = az_of(sc);

	return az != NULL ? az->n_circuits : 0;
}

const char *
azure_circuit_name(const struct scenario *sc, size_t i)
{
	const struct azure *az = az_of(sc);

	return az != NULL && i < az->n_circuits ? az->circuits[i].name : NULL;
}

const char *
azure_circuit_provider(const struct scenario *sc, size_t i)
{
	const struct azure *az = az_of(sc);

	return az != NULL && i < az->n_circuits ?
	    az->circuits[i].provider : NULL;
}

const char *
azure_circuit_location(const struct scenario *sc, size_t i)
{
	const struct azure *az = az_of(sc);

	return az != NULL && i < az->n_circuits ?
	    az->circuits[i].location : NULL;
}

size_t
azure_n_vnet_prefixes(const struct scenario *sc)
{
	const struct azure *az = az_of(sc);
	size_t i, n = 0;

	for (i = 0; az != NULL && i < az->n_vnets; i++)
		n += az->vnets[i].sp.n;
	return n;
}

bool
azure_vnet_prefix(const struct scenario *sc, size_t i, uint32_t *net,
    uint8_t *plen, const char **vnet)
{
	const struct azure *az = az_of(sc);
	size_t v;

	for (v = 0; az != NULL && v < az->n_vnets; v++) {
		const struct az_prefixes *p = &az->vnets[v].sp;

		if (i < p->n) {
			*net = p->net[i];
			*plen = p->plen[i];
			*vnet = az->vnets[v].name;
			return true;
		}
		i -= p->n;
	}
	return false;
}
