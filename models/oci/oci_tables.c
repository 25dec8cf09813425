/*
 * oci_tables.c - the field tables of the `oci` section (oci.h), one per
 * OCI resource with its API field names in snake_case, the section's
 * registration, and oci_vc_peering for the Azure model.
 */
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "oci.h"
#include "oci_int.h"
#include "provision.h"
#include "scenario_expand.h"

const char *const oci_att_types[] = { "VCN", "VIRTUAL_CIRCUIT",
	"IPSEC_TUNNEL", "REMOTE_PEERING_CONNECTION", NULL };
static const char *const att_type_docs[] = {
	"a VCN attached to the DRG (network_details.id: the VCN's name)",
	"a FastConnect virtual circuit (id: its name)",
	"a Site-to-Site VPN tunnel (not modelled yet: refused)",
	"a remote peering connection (not modelled yet: refused)", NULL };
static const char *const cidr_type[] = { "CIDR_BLOCK", NULL };
static const char *const directions[] = { "INGRESS", "EGRESS", NULL };
static const char *const match_types[] = { "DRG_ATTACHMENT_TYPE",
	"DRG_ATTACHMENT_ID", "MATCH_ALL", NULL };
static const char *const match_docs[] = {
	"every attachment of attachment_type",
	"the attachment named by drg_attachment_id",
	"every attachment", NULL };
static const char *const accept[] = { "ACCEPT", NULL };
static const char *const import[] = { "IMPORT", NULL };
static const char *const vc_types[] = { "PRIVATE", "PUBLIC", NULL };
static const char *const vc_type_docs[] = {
	"private peering: RFC 1918 addressing toward a DRG (2.9)",
	"public peering (not modelled: refused)", NULL };
static const char *const mtus[] = { "MTU_1500", "MTU_9000", NULL };

#define TBL(name, doc, f, s) { name, doc, f, SC_NFIELDS(f), sizeof(s), \
	offsetof(s, loc), offsetof(s, vloc), offsetof(s, keys), -1 }

/* ---- security rules ---- */

static const struct sc_field pr_fields[] = {
	[PR_MIN] = { "min", SC_FT_UINT, SC_AT(struct oci_port_range, min),
		.min = 1, .max = 65535, .required = true,
		.doc = "first port of the range" },
	[PR_MAX] = { "max", SC_FT_UINT, SC_AT(struct oci_port_range, max),
		.min = 1, .max = 65535, .required = true,
		.doc = "last port of the range (min..max inclusive)" },
};
static const struct sc_table pr_table = TBL("oci-port-range",
    "A port range of a security rule.", pr_fields, struct oci_port_range);

static const struct sc_field po_fields[] = {
	[PO_SRC] = { "source_port_range", SC_FT_MAP,
		.off = offsetof(struct oci_port_opts, src), .sub = &pr_table,
		.def_doc = "all ports", .doc = "source ports" },
	[PO_DST] = { "destination_port_range", SC_FT_MAP,
		.off = offsetof(struct oci_port_opts, dst), .sub = &pr_table,
		.def_doc = "all ports", .doc = "destination ports" },
};
static const struct sc_table po_table = TBL("oci-port-options",
    "tcp_options / udp_options of a security rule.", po_fields,
    struct oci_port_opts);

static const struct sc_field io_fields[] = {
	[IO_TYPE] = { "type", SC_FT_UINT, SC_AT(struct oci_icmp_opts, type),
		.max = 255, .required = true, .doc = "ICMP type" },
	[IO_CODE] = { "code", SC_FT_UINT, SC_AT(struct oci_icmp_opts, code),
		.max = 255, .def_doc = "every code", .doc = "ICMP code" },
};
static const struct sc_table io_table = TBL("oci-icmp-options",
    "icmp_options of a security rule.", io_fields, struct oci_icmp_opts);

/* The keys every rule has, from index P on (P = LR_PROTOCOL, SR_PROTOCOL). */
#define RULE_COMMON(P) \
	[P] = { "protocol", SC_FT_STRING, \
		SC_AT(struct oci_rule, protocol), .required = true, \
		.doc = "\"all\" or an IANA protocol number as text: \"6\" " \
		    "TCP, \"17\" UDP, \"1\" ICMP" }, \
	[P + 1] = { "is_stateless", SC_FT_BOOL, \
		SC_AT(struct oci_rule, stateless), .def = "false", \
		.doc = "no connection tracking: the return direction needs " \
		    "its own rule, and a stateless rule wins over a " \
		    "stateful one for the same packet (2.6)" }, \
	[P + 2] = { "tcp_options", SC_FT_MAP, \
		.off = offsetof(struct oci_rule, tcp), .sub = &po_table, \
		.def_doc = "all ports", .doc = "ports (protocol \"6\")" }, \
	[P + 3] = { "udp_options", SC_FT_MAP, \
		.off = offsetof(struct oci_rule, udp), .sub = &po_table, \
		.def_doc = "all ports", .doc = "ports (protocol \"17\")" }, \
	[P + 4] = { "icmp_options", SC_FT_MAP, \
		.off = offsetof(struct oci_rule, icmp), .sub = &io_table, \
		.def_doc = "every type", .doc = "type and code (protocol " \
		    "\"1\")" }, \
	[P + 5] = { "description", SC_FT_STRING, \
		SC_AT(struct oci_rule, description), .doc = "free text" }

/* A security list's rules: their own layout (no direction key). */
#define LIST_TBL(name, doc, f) { name, doc, f, SC_NFIELDS(f), \
	sizeof(struct oci_rule), offsetof(struct oci_rule, loc), \
	offsetof(struct oci_rule, lvloc), offsetof(struct oci_rule, lkeys), \
	-1 }

static const struct sc_field ing_fields[] = {
	[LR_PEER] = { "source", SC_FT_STRING,
		SC_AT(struct oci_rule, source), .required = true,
		.doc = "CIDR the packet comes from (source_type CIDR_BLOCK)" },
	RULE_COMMON(LR_PROTOCOL),
};
static const struct sc_table ing_table = LIST_TBL(
    "oci-ingress-security-rule", "An ingress rule of a security list: "
    "allows packets toward the VNICs (docs/oci.md).", ing_fields);

static const struct sc_field egr_fields[] = {
	[LR_PEER] = { "destination", SC_FT_STRING,
		SC_AT(struct oci_rule, destination), .required = true,
		.doc = "CIDR the packet goes to (destination_type CIDR_BLOCK)" },
	RULE_COMMON(LR_PROTOCOL),
};
static const struct sc_table egr_table = LIST_TBL(
    "oci-egress-security-rule", "An egress rule of a security list: "
    "allows packets from the VNICs.", egr_fields);

static const struct sc_field nsr_fields[] = {
	[SR_DIRECTION] = { "direction", SC_FT_ENUM,
		SC_AT(struct oci_rule, direction), .names = directions,
		.required = true, .doc = "INGRESS (needs source) or EGRESS "
		    "(needs destination)" },
	[SR_SOURCE] = { "source", SC_FT_STRING,
		SC_AT(struct oci_rule, source), .doc = "INGRESS: CIDR the "
		    "packet comes from" },
	[SR_DESTINATION] = { "destination", SC_FT_STRING,
		SC_AT(struct oci_rule, destination), .doc = "EGRESS: CIDR the "
		    "packet goes to" },
	RULE_COMMON(SR_PROTOCOL),
};
static const struct sc_table nsr_table = TBL("oci-nsg-security-rule",
    "A rule of a network security group.", nsr_fields, struct oci_rule);

/* ---- VCN resources ---- */

static const struct sc_field sl_fields[] = {
	[SL_NAME] = { "name", SC_FT_NAME, SC_AT(struct oci_seclist, name),
		.required = true, .doc = "display_name, unique in the VCN" },
	[SL_INGRESS] = { "ingress_security_rules", SC_FT_LIST,
		SC_AT(struct oci_seclist, ingress),
		SC_AT2(struct oci_seclist, n_ingress), .sub = &ing_table,
		.def_doc = "none", .doc = "what may reach the VNICs" },
	[SL_EGRESS] = { "egress_security_rules", SC_FT_LIST,
		SC_AT(struct oci_seclist, egress),
		SC_AT2(struct oci_seclist, n_egress), .sub = &egr_table,
		.def_doc = "none", .doc = "what the VNICs may send" },
};
static const struct sc_table sl_table = TBL("oci-security-list",
    "A security list: allow-only rules for every VNIC of the subnets "
    "that name it (2.6).", sl_fields, struct oci_seclist);

static const struct sc_field ns_fields[] = {
	[NS_NAME] = { "name", SC_FT_NAME, SC_AT(struct oci_nsg, name),
		.required = true, .doc = "display_name, unique in the VCN" },
	[NS_RULES] = { "security_rules", SC_FT_LIST,
		SC_AT(struct oci_nsg, rules), SC_AT2(struct oci_nsg, n_rules),
		.sub = &nsr_table, .def_doc = "none", .doc = "its rules" },
};
static const struct sc_table ns_table = TBL("oci-network-security-group",
    "A network security group: allow-only rules for the VNICs that name "
    "it (nsg_ids).", ns_fields, struct oci_nsg);

static const struct sc_field rr_fields[] = {
	[RR_DESTINATION] = { "destination", SC_FT_PREFIX,
		SC_AT(struct oci_route_rule, dest),
		SC_AT2(struct oci_route_rule, plen), .required = true,
		.doc = "destination CIDR, a network address" },
	[RR_DESTINATION_TYPE] = { "destination_type", SC_FT_ENUM,
		SC_AT(struct oci_route_rule, dest_type), .names = cidr_type,
		.def = "CIDR_BLOCK", .doc = "what destination is" },
	[RR_NETWORK_ENTITY] = { "network_entity_id", SC_FT_NAME,
		SC_AT(struct oci_route_rule, entity), .required = true,
		.doc = "the target: the name of the DRG the VCN is attached "
		    "to" },
	[RR_DESCRIPTION] = { "description", SC_FT_STRING,
		SC_AT(struct oci_route_rule, description), .doc = "free text" },
};
static const struct sc_table rr_table = TBL("oci-route-rule",
    "A rule of a VCN route table.", rr_fields, struct oci_route_rule);

static const struct sc_field rtb_fields[] = {
	[RTB_NAME] = { "name", SC_FT_NAME,
		SC_AT(struct oci_route_table, name), .required = true,
		.doc = "display_name, unique in the VCN" },
	[RTB_RULES] = { "route_rules", SC_FT_LIST,
		SC_AT(struct oci_route_table, rules),
		SC_AT2(struct oci_route_table, n_rules), .sub = &rr_table,
		.def_doc = "none (the implicit local route only)",
		.doc = "its rules; VCN-local routing is implicit (B6)" },
};
static const struct sc_table rtb_table = TBL("oci-route-table",
    "A VCN route table.", rtb_fields, struct oci_route_table);

static const struct sc_field sn_fields[] = {
	[SN_NAME] = { "name", SC_FT_NAME, SC_AT(struct oci_subnet, name),
		.required = true, .doc = "display_name, unique in the VCN: "
		    "the VRF of its route table on the VCN node" },
	[SN_CIDR] = { "cidr_block", SC_FT_PREFIX,
		SC_AT(struct oci_subnet, cidr), SC_AT2(struct oci_subnet, plen),
		.required = true, .doc = "inside one of the VCN's "
		    "cidr_blocks, /16../30, overlapping no other subnet" },
	[SN_ROUTE_TABLE] = { "route_table", SC_FT_NAME,
		SC_AT(struct oci_subnet, route_table),
		.def_doc = "the VCN's default route table (local routes only)",
		.doc = "route_table_id: one of the VCN's route_tables" },
	[SN_SECURITY_LISTS] = { "security_lists", SC_FT_NAMES,
		SC_AT(struct oci_subnet, seclists),
		SC_AT2(struct oci_subnet, n_seclists),
		SC_AT3(struct oci_subnet, seclists_loc),
		.def_doc = "the VCN's default security list (2.6, B6)",
		.doc = "security_list_ids: up to 5 of the VCN's lists" },
	[SN_PROHIBIT] = { "prohibit_public_ip_on_vnic", SC_FT_BOOL,
		SC_AT(struct oci_subnet, prohibit_public_ip), .def = "false",
		.doc = "true: a private subnet (the API's default is false); "
		    "the scenario has no internet gateway, so no VNIC gets a "
		    "public IP either way" },
};
static const struct sc_table sn_table = TBL("oci-subnet", "A subnet of a "
    "VCN (OCI keeps its first two and last addresses, 2.5).", sn_fields,
    struct oci_subnet);

static const struct sc_field vcn_fields[] = {
	[VC_NAME] = { "name", SC_FT_NAME, SC_AT(struct oci_vcn, name),
		.required = true, .doc = "display_name: the VCN node's name" },
	[VC_CIDRS] = { "cidr_blocks", SC_FT_STRINGS,
		SC_AT(struct oci_vcn, cidr_text),
		SC_AT2(struct oci_vcn, n_cidrs), SC_AT3(struct oci_vcn, cidr_loc),
		.required = true, .doc = "1 to 16 non-overlapping network "
		    "addresses, /16 to /30 each (2.5, B6)" },
	[VC_SUBNETS] = { "subnets", SC_FT_LIST, SC_AT(struct oci_vcn, subnets),
		SC_AT2(struct oci_vcn, n_subnets), .sub = &sn_table,
		.def_doc = "none", .doc = "its subnets" },
	[VC_ROUTE_TABLES] = { "route_tables", SC_FT_LIST,
		SC_AT(struct oci_vcn, rts), SC_AT2(struct oci_vcn, n_rts),
		.sub = &rtb_table, .def_doc = "none", .doc = "its route tables" },
	[VC_SECURITY_LISTS] = { "security_lists", SC_FT_LIST,
		SC_AT(struct oci_vcn, sls), SC_AT2(struct oci_vcn, n_sls),
		.sub = &sl_table, .def_doc = "the default security list only",
		.doc = "its security lists" },
	[VC_NSGS] = { "network_security_groups", SC_FT_LIST,
		SC_AT(struct oci_vcn, nsgs), SC_AT2(struct oci_vcn, n_nsgs),
		.sub = &ns_table, .def_doc = "none", .doc = "its NSGs" },
};
static const struct sc_table vcn_table = TBL("oci-vcn", "A virtual cloud "
    "network: becomes the VCN node (docs/oci.md).", vcn_fields,
    struct oci_vcn);

/* ---- instances ---- */

static const struct sc_field vn_fields[] = {
	[VN_NAME] = { "name", SC_FT_NAME, SC_AT(struct oci_vnic, name),
		.required = true, .doc = "display_name, unique in its VCN: the "
		    "interface on the instance and on the VCN node" },
	[VN_SUBNET] = { "subnet", SC_FT_STRING, SC_AT(struct oci_vnic, subnet),
		.required = true, .doc = "subnet_id, written VCN/SUBNET" },
	[VN_PRIVATE_IP] = { "private_ip", SC_FT_ADDR,
		SC_AT(struct oci_vnic, private_ip), .def_doc = "the first free "
		    "address after the 3 reserved (2.5)",
		.doc = "its address in the subnet" },
	[VN_NSGS] = { "nsg_ids", SC_FT_NAMES, SC_AT(struct oci_vnic, nsgs),
		SC_AT2(struct oci_vnic, n_nsgs), SC_AT3(struct oci_vnic, nsgs_loc),
		.def_doc = "none", .doc = "up to 5 NSGs of its VCN (2.6)" },
};
static const struct sc_table vn_table = TBL("oci-vnic", "A VNIC of an "
    "instance.", vn_fields, struct oci_vnic);

static const struct sc_field ix_fields[] = {
	[IX_DELAY] = { "delay", SC_FT_DELAY,
		SC_AT(struct oci_host_knobs, delay),
		.def = "40us", .doc = "one-way delay to the VCN "
		    "(IC_DELAY_HOST)" },
	[IX_RATE] = { "rate", SC_FT_RATE, SC_AT(struct oci_host_knobs, rate),
		.min = 1, .def = "10Gbps", .doc = "its VNICs' link rate" },
};
static const struct sc_table ix_table = TBL("oci-instance-xcsim",
    "Simulation knobs of an instance (not OCI API fields).", ix_fields,
    struct oci_host_knobs);

static const struct sc_field in_fields[] = {
	[IN_NAME] = { "name", SC_FT_NAME, SC_AT(struct oci_instance, name),
		.required = true, .doc = "display_name: the instance node's "
		    "name" },
	[IN_VNICS] = { "vnics", SC_FT_LIST, SC_AT(struct oci_instance, vnics),
		SC_AT2(struct oci_instance, n_vnics), .sub = &vn_table,
		.required = true, .doc = "its VNICs, the primary first" },
	[IN_XCSIM] = { "xcsim", SC_FT_MAP,
		.off = offsetof(struct oci_instance, xcsim), .sub = &ix_table,
		.doc = "simulation knobs" },
};
static const struct sc_table in_table = TBL("oci-instance", "A compute "
    "instance: a host node.", in_fields, struct oci_instance);

/* ---- DRGs ---- */

static const struct sc_field nd_fields[] = {
	[ND_TYPE_] = { "type", SC_FT_ENUM, SC_AT(struct oci_net_details, type),
		.names = oci_att_types, .name_docs = att_type_docs,
		.required = true, .doc = "what is attached" },
	[ND_ID_] = { "id", SC_FT_NAME, SC_AT(struct oci_net_details, id),
		.required = true, .doc = "its name" },
};
static const struct sc_table nd_table = TBL("oci-network-details",
    "What a DRG attachment attaches.", nd_fields, struct oci_net_details);

static const struct sc_field da_fields[] = {
	[DA_NAME] = { "name", SC_FT_NAME,
		SC_AT(struct oci_drg_attachment, name), .required = true,
		.doc = "display_name, unique in the DRG" },
	[DA_NETWORK] = { "network_details", SC_FT_MAP,
		.off = offsetof(struct oci_drg_attachment, nd), .sub = &nd_table,
		.required = true, .doc = "type and id of what it attaches" },
	[DA_TABLE] = { "drg_route_table", SC_FT_NAME,
		SC_AT(struct oci_drg_attachment, table),
		.def_doc = "the autogenerated table of its type (2.7)",
		.doc = "drg_route_table_id: the table packets entering through "
		    "it are routed by" },
};
static const struct sc_table da_table = TBL("oci-drg-attachment",
    "A DRG attachment.", da_fields, struct oci_drg_attachment);

static const struct sc_field dr_fields[] = {
	[DR_DESTINATION] = { "destination", SC_FT_PREFIX,
		SC_AT(struct oci_drg_rule, dest),
		SC_AT2(struct oci_drg_rule, plen), .required = true,
		.doc = "destination CIDR" },
	[DR_DESTINATION_TYPE] = { "destination_type", SC_FT_ENUM,
		SC_AT(struct oci_drg_rule, dest_type), .names = cidr_type,
		.def = "CIDR_BLOCK", .doc = "what destination is" },
	[DR_NEXT_HOP] = { "next_hop_drg_attachment_id", SC_FT_NAME,
		SC_AT(struct oci_drg_rule, next_hop), .required = true,
		.doc = "the attachment the packet leaves through" },
};
static const struct sc_table dr_table = TBL("oci-drg-route-rule",
    "A static rule of a DRG route table.", dr_fields, struct oci_drg_rule);

static const struct sc_field dt_fields[] = {
	[DT_NAME] = { "name", SC_FT_NAME, SC_AT(struct oci_drg_table, name),
		.required = true, .doc = "display_name, unique in the DRG "
		    "(not one of the autogenerated names): the VRF on the "
		    "DRG node" },
	[DT_ECMP] = { "is_ecmp_enabled", SC_FT_BOOL,
		SC_AT(struct oci_drg_table, ecmp), .def = "false",
		.doc = "equal dynamic routes share the load (B6)" },
	[DT_IMPORT] = { "import_drg_route_distribution", SC_FT_NAME,
		SC_AT(struct oci_drg_table, import), .def_doc = "none: static "
		    "rules only", .doc = "import_drg_route_distribution_id" },
	[DT_RULES] = { "route_rules", SC_FT_LIST,
		SC_AT(struct oci_drg_table, rules),
		SC_AT2(struct oci_drg_table, n_rules), .sub = &dr_table,
		.def_doc = "none", .doc = "static rules" },
};
static const struct sc_table dt_table = TBL("oci-drg-route-table",
    "A DRG route table of the user's (the two autogenerated ones always "
    "exist, 2.7).", dt_fields, struct oci_drg_table);

static const struct sc_field mc_fields[] = {
	[MC_MATCH_TYPE] = { "match_type", SC_FT_ENUM,
		SC_AT(struct oci_match_criteria, match_type),
		.names = match_types, .name_docs = match_docs,
		.required = true, .doc = "how attachments are matched" },
	[MC_ATT_TYPE] = { "attachment_type", SC_FT_ENUM,
		SC_AT(struct oci_match_criteria, att_type),
		.names = oci_att_types, .doc = "DRG_ATTACHMENT_TYPE: the type" },
	[MC_ATT_ID] = { "drg_attachment_id", SC_FT_NAME,
		SC_AT(struct oci_match_criteria, att_id),
		.doc = "DRG_ATTACHMENT_ID: the attachment's name" },
};
static const struct sc_table mc_table = TBL("oci-match-criteria",
    "Which attachments a distribution statement matches.", mc_fields,
    struct oci_match_criteria);

static const struct sc_field st_fields[] = {
	[ST_MATCH] = { "match_criteria", SC_FT_MAP,
		.off = offsetof(struct oci_statement, match), .sub = &mc_table,
		.required = true, .doc = "what it matches" },
	[ST_PRIORITY] = { "priority", SC_FT_UINT,
		SC_AT(struct oci_statement, priority), .min = 1, .max = 65535,
		.required = true, .doc = "unique in the distribution" },
	[ST_ACTION] = { "action", SC_FT_ENUM, SC_AT(struct oci_statement,
		action), .names = accept, .def = "ACCEPT",
		.doc = "import the matched attachments' routes" },
};
static const struct sc_table st_table = TBL("oci-distribution-statement",
    "A statement of a DRG route distribution.", st_fields,
    struct oci_statement);

static const struct sc_field dd_fields[] = {
	[DD_NAME] = { "name", SC_FT_NAME, SC_AT(struct oci_distribution, name),
		.required = true, .doc = "display_name, unique in the DRG" },
	[DD_TYPE] = { "distribution_type", SC_FT_ENUM,
		SC_AT(struct oci_distribution, type), .names = import,
		.def = "IMPORT", .doc = "an import distribution" },
	[DD_STATEMENTS] = { "statements", SC_FT_LIST,
		SC_AT(struct oci_distribution, statements),
		SC_AT2(struct oci_distribution, n_statements), .sub = &st_table,
		.def_doc = "none: imports nothing", .doc = "its statements" },
};
static const struct sc_table dd_table = TBL("oci-drg-route-distribution",
    "An import route distribution: which attachments' routes a DRG route "
    "table takes.", dd_fields, struct oci_distribution);

static const struct sc_field dg_fields[] = {
	[DG_NAME] = { "name", SC_FT_NAME, SC_AT(struct oci_drg, name),
		.required = true, .doc = "display_name: the DRG node's name" },
	[DG_ATTACHMENTS] = { "drg_attachments", SC_FT_LIST,
		SC_AT(struct oci_drg, atts), SC_AT2(struct oci_drg, n_atts),
		.sub = &da_table, .def_doc = "none (a virtual circuit whose "
		    "gateway_id is the DRG is attached anyway)",
		.doc = "its attachments" },
	[DG_TABLES] = { "drg_route_tables", SC_FT_LIST,
		SC_AT(struct oci_drg, tables), SC_AT2(struct oci_drg, n_tables),
		.sub = &dt_table, .def_doc = "the two autogenerated ones",
		.doc = "route tables of the user's" },
	[DG_DISTRIBUTIONS] = { "drg_route_distributions", SC_FT_LIST,
		SC_AT(struct oci_drg, dists), SC_AT2(struct oci_drg, n_dists),
		.sub = &dd_table, .def_doc = "the autogenerated ones",
		.doc = "import distributions of the user's" },
};
static const struct sc_table dg_table = TBL("oci-drg", "A dynamic routing "
    "gateway: becomes the DRG node, one VRF per DRG route table.",
    dg_fields, struct oci_drg);

/* ---- virtual circuits ---- */

static const struct sc_field cm_fields[] = {
	[CM_CUSTOMER] = { "customer_bgp_peering_ip", SC_FT_IFADDR,
		SC_AT(struct oci_mapping, customer),
		SC_AT2(struct oci_mapping, customer_plen), .required = true,
		.doc = "the far end's BGP address (here the MSEE's), /30 "
		    "(no /31 with Azure, 1.3): the second usable address "
		    "(3.1, 3.3)" },
	[CM_ORACLE] = { "oracle_bgp_peering_ip", SC_FT_IFADDR,
		SC_AT(struct oci_mapping, oracle),
		SC_AT2(struct oci_mapping, oracle_plen), .required = true,
		.doc = "Oracle's BGP address, the first usable of the same "
		    "/30 (2.8; a /31 is refused with Azure, 1.3, 3.1)" },
	[CM_VLAN] = { "vlan", SC_FT_UINT, SC_AT(struct oci_mapping, vlan),
		.min = 1, .max = 4094, .required = true,
		.doc = "802.1Q VLAN of the peering (B2 saw 33)" },
	[CM_MD5] = { "bgp_md5auth_key", SC_FT_STRING,
		SC_AT(struct oci_mapping, md5), .def_doc = "none",
		.doc = "TCP MD5 key of the BGP session, up to 80 characters "
		    "(2.3)" },
};
static const struct sc_table cm_table = TBL("oci-cross-connect-mapping",
    "The BGP addressing of one path of a virtual circuit: the first "
    "mapping is the primary path, the second the secondary.", cm_fields,
    struct oci_mapping);

static const struct sc_field vx_fields[] = {
	[VX_CC_DELAY] = { "cross_connect_delay", SC_FT_DELAY,
		SC_AT(struct oci_vc_knobs, cc_delay), .def = "20us",
		.doc = "one-way delay MSEE <-> Oracle edge "
		    "(IC_DELAY_CROSS_CONNECT)" },
	[VX_DRG_DELAY] = { "drg_delay", SC_FT_DELAY,
		SC_AT(struct oci_vc_knobs, drg_delay), .def = "200us",
		.doc = "one-way delay Oracle edge <-> DRG (IC_DELAY_ORACLE)" },
};
static const struct sc_table vx_table = TBL("oci-virtual-circuit-xcsim",
    "Simulation knobs of a virtual circuit (not OCI API fields).",
    vx_fields, struct oci_vc_knobs);

static const struct sc_field vi_fields[] = {
	[VI_NAME] = { "name", SC_FT_NAME, SC_AT(struct oci_vc, name),
		.required = true, .doc = "display_name" },
	[VI_TYPE] = { "type", SC_FT_ENUM, SC_AT(struct oci_vc, type),
		.names = vc_types, .name_docs = vc_type_docs, .def = "PRIVATE",
		.doc = "the peering type" },
	[VI_PROVIDER] = { "provider_service_name", SC_FT_STRING,
		SC_AT(struct oci_vc, provider), .required = true,
		.doc = "\"Microsoft Azure: ExpressRoute\" (3.1)" },
	[VI_KEY] = { "provider_service_key_name", SC_FT_STRING,
		SC_AT(struct oci_vc, key), .required = true,
		.doc = "the ExpressRoute circuit's service key (B2), or the "
		    "circuit's name" },
	[VI_SHAPE] = { "bandwidth_shape_name", SC_FT_STRING,
		SC_AT(struct oci_vc, shape), .required = true,
		.doc = "\"1 Gbps\", \"2 Gbps\", \"5 Gbps\" or \"10 Gbps\" "
		    "(3.1, 3.4)" },
	[VI_GATEWAY] = { "gateway_id", SC_FT_NAME,
		SC_AT(struct oci_vc, gateway), .required = true,
		.doc = "the DRG it terminates on (2.9)" },
	[VI_MAPPINGS] = { "cross_connect_mappings", SC_FT_LIST,
		SC_AT(struct oci_vc, maps), SC_AT2(struct oci_vc, n_maps),
		.sub = &cm_table, .required = true,
		.doc = "primary, then secondary path" },
	[VI_BFD] = { "is_bfd_enabled", SC_FT_BOOL, SC_AT(struct oci_vc, bfd),
		.def = "false", .doc = "BFD on the BGP sessions (opt-in, 2.3, "
		    "B2)" },
	[VI_MTU] = { "ip_mtu", SC_FT_ENUM, SC_AT(struct oci_vc, mtu),
		.names = mtus, .def = "MTU_1500", .doc = "IP MTU of the "
		    "cross-connect links (B2)" },
	[VI_REGION] = { "region", SC_FT_STRING, SC_AT(struct oci_vc, region),
		.def_doc = "the section's region", .doc = "the OCI region "
		    "where it is (e.g. us-ashburn-1): must pair with the "
		    "circuit's peering_location (3.1, 3.2; docs/oci.md) and be "
		    "the section's, its DRG's" },
	[VI_XCSIM] = { "xcsim", SC_FT_MAP, .off = offsetof(struct oci_vc,
		xcsim), .sub = &vx_table, .doc = "simulation knobs" },
};
static const struct sc_table vi_table = TBL("oci-virtual-circuit",
    "A FastConnect private virtual circuit to an ExpressRoute circuit: "
    "becomes Oracle's two edge routers.", vi_fields, struct oci_vc);

/* ---- the section ---- */

static const struct sc_field oc_fields[] = {
	[OC_REGION] = { "region", SC_FT_STRING, SC_AT(struct oci_sc, region),
		.def_doc = "none", .doc = "the OCI region (e.g. "
		    "us-ashburn-1): the region of the nodes made" },
	[OC_VCNS] = { "vcns", SC_FT_LIST, SC_AT(struct oci_sc, vcns),
		SC_AT2(struct oci_sc, n_vcns), .sub = &vcn_table,
		.def_doc = "none", .doc = "virtual cloud networks" },
	[OC_INSTANCES] = { "instances", SC_FT_LIST,
		SC_AT(struct oci_sc, insts), SC_AT2(struct oci_sc, n_insts),
		.sub = &in_table, .def_doc = "none", .doc = "compute instances" },
	[OC_DRGS] = { "drgs", SC_FT_LIST, SC_AT(struct oci_sc, drgs),
		SC_AT2(struct oci_sc, n_drgs), .sub = &dg_table,
		.def_doc = "none", .doc = "dynamic routing gateways" },
	[OC_VCS] = { "virtual_circuits", SC_FT_LIST,
		SC_AT(struct oci_sc, vcs), SC_AT2(struct oci_sc, n_vcs),
		.sub = &vi_table, .def_doc = "none",
		.doc = "FastConnect virtual circuits" },
};
const struct sc_table oci_table = TBL("oci", "Oracle Cloud resources in "
    "OCI API terms, expanded into nodes, links, bgp, acls and "
    "route_tables (docs/oci.md).", oc_fields, struct oci_sc);

/* What the table does not own: the plan's rule updates (oci_prov_rules.c). */
static void
oci_free(void *items, size_t n)
{
	if (items != NULL && n > 0)
		oci_rules_reset(items);
}

static const struct sc_section oci_section = {
	.name = "oci",
	.doc = "Oracle Cloud Infrastructure: VCNs, instances, DRGs, "
	    "FastConnect virtual circuits (docs/oci.md)",
	.table = &oci_table,
	.list = false,
	.check = oci_check,
	.free = oci_free,
	.phase = SC_PHASE_NET,
	.expand = oci_expand,
};

int
oci_scenario_register(void)
{
	if (scenario_register_section(&oci_section) != 0)
		return -1;
	/* its resources on the provisioning timeline (oci_prov.c) */
	return prov_register_cloud(&oci_prov_cloud);
}

bool
oci_vc_peering(const struct scenario *sc, const char *circuit, uint64_t seed,
    struct ic_peering *out)
{
	const struct oci_sc *o;
	char key[37];
	size_t n, i, p;

	o = scenario_section(sc, "oci", &n);
	if (o == NULL || n == 0)
		return false;
	ic_service_key(seed, circuit, key);
	for (i = 0; i < o->n_vcs; i++) {
		const struct oci_vc *c = &o->vcs[i];

		/* one whose create is refused never carries a peering */
		if (c->key == NULL || c->refusal[0] != '\0' ||
		    (strcmp(c->key, key) != 0 && strcmp(c->key, circuit) != 0))
			continue;
		if (c->n_maps == 0 || !sc_key_ok(c->keys, VI_MAPPINGS))
			return false;
		memset(out, 0, sizeof(*out));
		for (p = 0; p < 2 && p < c->n_maps; p++) {
			const struct oci_mapping *m = &c->maps[p];
			uint8_t plen = m->oracle_plen;
			uint32_t mask = plen == 0 ? 0 : UINT32_MAX << (32 - plen);

			if (!sc_key_ok(m->keys, CM_CUSTOMER) ||
			    !sc_key_ok(m->keys, CM_ORACLE))
				return false;
			out->prefix[p] = m->oracle & mask;
			out->plen[p] = plen;
			out->msee_addr[p] = m->customer;
			out->peer_addr[p] = m->oracle;
		}
		out->vlan = (uint16_t)c->maps[0].vlan;
		out->stag = 0;
		out->peer_asn = IC_ASN_ORACLE;
		if (c->maps[0].md5 != NULL)
			snprintf(out->md5_key, sizeof(out->md5_key), "%s",
			    c->maps[0].md5);
		return true;
	}
	return false;
}
