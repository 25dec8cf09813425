/*
 * oci_ipsec_tables.c - the field tables of OCI's Site-to-Site VPN: CPEs
 * and IPSec connections with their two tunnels (the tunnels' fields as
 * OCI's API and oci_core_ipsec_connection_tunnel_management name them),
 * the names the expansion gives them, and oci_vpn_headend_at for the
 * Azure model (oci.h).
 */
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "oci.h"
#include "oci_ipsec.h"
#include "scenario_expand.h"

#define TBL(name, doc, f, s) { name, doc, f, SC_NFIELDS(f), sizeof(s), \
	offsetof(s, loc), offsetof(s, vloc), offsetof(s, keys), -1 }

static const char *const ike_names[] = { "V1", "V2", NULL };
static const char *const routing_names[] = { "BGP", "STATIC", "POLICY",
	NULL };
static const char *const routing_docs[] = {
	"BGP over the tunnel (bgp_session_info)",
	"static_routes of the connection into the tunnel",
	"policy-based (encryption domains): not modelled, refused", NULL };
const char *const oci_dh_names[] = { "GROUP1", "GROUP2", "GROUP5",
	"GROUP14", "GROUP19", "GROUP20", "GROUP24", NULL };
static const char *const p1_auth[] = { "SHA2_384", "SHA2_256", "SHA1_96",
	NULL };
static const char *const p1_encr[] = { "AES_256_CBC", "AES_192_CBC",
	"AES_128_CBC", NULL };
static const char *const p2_auth[] = { "HMAC_SHA2_256_128", "HMAC_SHA1_128",
	"HMAC_SHA2_384_192", NULL };
static const char *const p2_encr[] = { "AES_256_GCM", "AES_192_GCM",
	"AES_128_GCM", "AES_256_CBC", "AES_192_CBC", "AES_128_CBC", NULL };

/* ---- CPEs ---- */

static const struct sc_field cp_fields[] = {
	[CP_NAME] = { "name", SC_FT_NAME, SC_AT(struct oci_cpe, name),
		.required = true, .doc = "display_name, unique" },
	[CP_IP] = { "ip_address", SC_FT_ADDR, SC_AT(struct oci_cpe, ip),
		.required = true, .doc = "the CPE's public address: for Azure, "
		    "the VPN gateway's public_ip_address (facts 4)" },
};
const struct sc_table oci_cpe_table = TBL("oci-cpe", "A customer-premises "
    "equipment object: the far end of IPSec connections.", cp_fields,
    struct oci_cpe);

/* ---- tunnels ---- */

#define BI(m) SC_AT(struct oci_bgp_info, m)

static const struct sc_field bi_fields[] = {
	[BI_ASN] = { "customer_bgp_asn", SC_FT_UINT, BI(asn), .min = 1,
		.max = UINT32_MAX, .required = true,
		.doc = "the CPE's AS (Azure: 65515, facts 4)" },
	[BI_CUSTOMER] = { "customer_interface_ip", SC_FT_IFADDR, BI(customer),
		SC_AT2(struct oci_bgp_info, customer_plen), .required = true,
		.doc = "the CPE's inside address, /30 or /31 (2.8; Azure: its "
		    "APIPA address, e.g. 169.254.21.2/30, facts 4)" },
	[BI_ORACLE] = { "oracle_interface_ip", SC_FT_IFADDR, BI(oracle),
		SC_AT2(struct oci_bgp_info, oracle_plen), .required = true,
		.doc = "Oracle's inside address in the same /30 or /31 (e.g. "
		    "169.254.21.1/30, facts 4)" },
};
static const struct sc_table bi_table = TBL("oci-bgp-session-info",
    "A tunnel's BGP session (routing BGP).", bi_fields,
    struct oci_bgp_info);

#define P1(m) SC_AT(struct oci_phase1, m)

static const struct sc_field p1_fields[] = {
	[P1_CUSTOM] = { "is_custom_phase_one_config", SC_FT_BOOL, P1(custom),
		.def = "false", .doc = "true: propose exactly the custom "
		    "values; false: Oracle's default set (4.3)" },
	[P1_AUTH] = { "custom_authentication_algorithm", SC_FT_ENUM, P1(auth),
		.names = p1_auth, .def = "SHA2_384", .doc = "IKE integrity "
		    "and PRF (4.3)" },
	[P1_ENCR] = { "custom_encryption_algorithm", SC_FT_ENUM, P1(encr),
		.names = p1_encr, .def = "AES_256_CBC", .doc = "IKE cipher" },
	[P1_DH] = { "custom_dh_group", SC_FT_ENUM, P1(dh),
		.names = oci_dh_names, .def = "GROUP5", .doc = "IKE DH group "
		    "(GROUP1 is refused: OCI does not support group 1, facts "
		    "4)" },
	[P1_LIFETIME] = { "lifetime", SC_FT_UINT, P1(lifetime), .min = 1,
		.max = UINT32_MAX, .def = "28800",
		.doc = "IKE SA lifetime in seconds (4.3: 28,800)" },
};
static const struct sc_table p1_table = TBL("oci-phase-one-details",
    "A tunnel's IKE (phase 1) configuration.", p1_fields,
    struct oci_phase1);

#define P2(m) SC_AT(struct oci_phase2, m)

static const struct sc_field p2_fields[] = {
	[P2_CUSTOM] = { "is_custom_phase_two_config", SC_FT_BOOL, P2(custom),
		.def = "false", .doc = "true: propose exactly the custom "
		    "values; false: Oracle's default set (4.3)" },
	[P2_AUTH] = { "custom_authentication_algorithm", SC_FT_ENUM, P2(auth),
		.names = p2_auth, .def = "HMAC_SHA1_128",
		.doc = "ESP integrity (none with a GCM cipher)" },
	[P2_ENCR] = { "custom_encryption_algorithm", SC_FT_ENUM, P2(encr),
		.names = p2_encr, .def = "AES_256_CBC", .doc = "ESP cipher" },
	[P2_LIFETIME] = { "lifetime", SC_FT_UINT, P2(lifetime), .min = 1,
		.max = UINT32_MAX, .def = "3600",
		.doc = "IPSec SA lifetime in seconds (4.3: 3,600)" },
	[P2_PFS] = { "is_pfs_enabled", SC_FT_BOOL, P2(pfs), .def = "true",
		.doc = "PFS on the Child SA rekeys (4.3: enabled)" },
	[P2_PFS_GROUP] = { "pfs_dh_group", SC_FT_ENUM, P2(pfs_group),
		.names = oci_dh_names, .def = "GROUP5", .doc = "the PFS group "
		    "(4.3: GROUP5 by default, which Azure does not propose; "
		    "GROUP2, GROUP14 or GROUP24 meet Azure, and GROUP1 is "
		    "refused: facts 4)" },
};
static const struct sc_table p2_table = TBL("oci-phase-two-details",
    "A tunnel's IPSec (phase 2) configuration.", p2_fields,
    struct oci_phase2);

#define TU(m) SC_AT(struct oci_tunnel, m)

static const struct sc_field tu_fields[] = {
	[TU_NAME] = { "display_name", SC_FT_NAME, TU(name),
		.def_doc = "tunnel-1, tunnel-2", .doc = "the tunnel's name" },
	[TU_VPN_IP] = { "vpn_ip", SC_FT_ADDR, TU(vpn_ip),
		.def_doc = "203.0.113.(2k + t) for the t-th tunnel (1, 2) of "
		    "the k-th connection (from 0): RFC 5737 documentation "
		    "addresses", .doc = "Oracle's public address of the tunnel "
		    "(its headend's), as the console shows it: the Azure local "
		    "network gateway's gateway_ip_address" },
	[TU_IKE] = { "ike_version", SC_FT_ENUM, TU(ike), .names = ike_names,
		.def = "V1", .doc = "V1 or V2 (default V1, 4.3's old set: our "
		    "choice); with Azure, V2 (facts 4)" },
	[TU_SECRET] = { "shared_secret", SC_FT_STRING, TU(secret),
		.def_doc = "one Oracle generates (xcsim: from the seed)",
		.doc = "the pre-shared key, as the Azure connection's "
		    "shared_key" },
	[TU_ROUTING] = { "routing", SC_FT_ENUM, TU(routing),
		.names = routing_names, .name_docs = routing_docs,
		.def = "STATIC", .doc = "how routes cross the tunnel" },
	[TU_BGP] = { "bgp_session_info", SC_FT_MAP, TU(bgp), .sub = &bi_table,
		.def_doc = "none", .doc = "routing BGP: the session" },
	[TU_P1] = { "phase_one_details", SC_FT_MAP, TU(p1), .sub = &p1_table,
		.def_doc = "Oracle's defaults", .doc = "IKE configuration" },
	[TU_P2] = { "phase_two_details", SC_FT_MAP, TU(p2), .sub = &p2_table,
		.def_doc = "Oracle's defaults", .doc = "IPSec configuration" },
};
static const struct sc_table tu_table = TBL("oci-ipsec-tunnel",
    "One of the two tunnels of an IPSec connection, each on its own "
    "Oracle headend (4.3).", tu_fields, struct oci_tunnel);

#define IS(m) SC_AT(struct oci_ipsc, m)

static const struct sc_field is_fields[] = {
	[IS_NAME] = { "name", SC_FT_NAME, IS(name), .required = true,
		.doc = "display_name, unique: its headends are "
		    "<name>-headend-1 and -2" },
	[IS_CPE] = { "cpe_id", SC_FT_NAME, IS(cpe), .required = true,
		.doc = "the CPE (by name)" },
	[IS_DRG] = { "drg_id", SC_FT_NAME, IS(drg), .required = true,
		.doc = "the DRG the tunnels attach to (IPSEC_TUNNEL, 2.7)" },
	[IS_STATIC] = { "static_routes", SC_FT_STRINGS, IS(static_routes),
		SC_AT2(struct oci_ipsc, n_static),
		SC_AT3(struct oci_ipsc, static_loc), .def_doc = "none",
		.doc = "the CPE side's prefixes for STATIC tunnels, up to 10 "
		    "(facts 4)" },
	[IS_TUNNELS] = { "tunnels", SC_FT_LIST, IS(tunnels),
		SC_AT2(struct oci_ipsc, n_tunnels), .sub = &tu_table,
		.def_doc = "two with Oracle's defaults",
		.doc = "the two tunnels' configuration (4.3: always two)" },
};
const struct sc_table oci_ipsc_table = TBL("oci-ip-sec-connection",
    "A Site-to-Site VPN IPSec connection: two tunnels on two Oracle "
    "headends, attached to a DRG (4.3, 2.7).", is_fields, struct oci_ipsc);

/* ---- names ---- */

void
oci_headend_name(char *buf, size_t len, const struct oci_ipsc *c, size_t t)
{
	snprintf(buf, len, "%s-headend-%zu", c->name, t + 1);
}

void
oci_tunnel_iface(char *buf, size_t len, const struct oci_ipsc *c, size_t t)
{
	snprintf(buf, len, "%s-tunnel-%zu", c->name, t + 1);
}

uint32_t
oci_tunnel_vpn_ip(const struct oci_ipsc *c, size_t k, size_t t)
{
	if (t < c->n_tunnels && sc_key_ok(c->tunnels[t].keys, TU_VPN_IP))
		return c->tunnels[t].vpn_ip;
	return OCI_VPN_IP_BLOCK + (uint32_t)(2 * k + t + 1);
}

bool
oci_vpn_headend_at(const struct scenario *sc, uint32_t ip, char *node,
    size_t len, const char **region)
{
	size_t n = 0, i, t;
	const struct oci_sc *o = scenario_section(sc, "oci", &n);

	if (o == NULL || n == 0 || !o->checked)
		return false;
	for (i = 0; i < o->n_ipscs; i++)
		for (t = 0; o->ipscs[i].ok && t < OCI_IPSEC_TUNNELS; t++)
			if (oci_tunnel_vpn_ip(&o->ipscs[i], i, t) == ip) {
				oci_headend_name(node, len, &o->ipscs[i], t);
				if (region != NULL)
					*region = o->region;
				return true;
			}
	return false;
}
