/*
 * azure_vpn_tables.c - the field tables of Azure's site-to-site VPN
 * resources (bgp_settings, local_network_gateways, a connection's
 * ipsec_policies: ARM's names in snake_case), the VPN gateway SKUs' facts
 * (4.2, B5), the mapping of Azure's algorithm names onto the `ipsec`
 * section's, and the accessor the OCI model reads (azure.h).
 */
#include <stddef.h>
#include <string.h>

#include "azure.h"
#include "azure_vpn.h"

#define TABLE(nm, doc, fields, type) \
	{ nm, doc, fields, SC_NFIELDS(fields), sizeof(type), \
	offsetof(type, loc), offsetof(type, vloc), offsetof(type, keys), -1 }

const char *const az_vpn_type_names[] = { "RouteBased", "PolicyBased",
	NULL };
const char *const az_conn_type_names[] = { "ExpressRoute", "IPsec", NULL };
const char *const az_conn_proto_names[] = { "IKEv2", "IKEv1", NULL };
const char *const az_ipsec_encr_names[] = { "None", "DES", "DES3", "AES128",
	"AES192", "AES256", "GCMAES128", "GCMAES192", "GCMAES256", NULL };
const char *const az_ipsec_integ_names[] = { "MD5", "SHA1", "SHA256",
	"GCMAES128", "GCMAES192", "GCMAES256", NULL };
const char *const az_ike_encr_names[] = { "DES", "DES3", "AES128", "AES192",
	"AES256", "GCMAES128", "GCMAES256", NULL };
const char *const az_ike_integ_names[] = { "MD5", "SHA1", "SHA256", "SHA384",
	"GCMAES128", "GCMAES256", NULL };
const char *const az_dh_names[] = { "None", "DHGroup1", "DHGroup2",
	"DHGroup14", "DHGroup2048", "ECP256", "ECP384", "DHGroup24", NULL };
const char *const az_pfs_names[] = { "None", "PFS1", "PFS2", "PFS2048",
	"ECP256", "ECP384", "PFS24", "PFS14", NULL };

/* --- bgp_settings --------------------------------------------------------- */

#define BS(m) SC_AT(struct az_bgp_settings, m)

static const struct sc_field bs_fields[] = {
	[BS_ASN] = { "asn", SC_FT_UINT, BS(asn), .min = 1, .max = UINT32_MAX,
		.def_doc = "65515 on a gateway (facts 4)",
		.doc = "the AS: a gateway's own (65515 by default), a local "
		    "network gateway's its site's (OCI: 31898, facts 4)" },
	[BS_PEER] = { "bgp_peering_address", SC_FT_ADDR, BS(peering_address),
		.def_doc = "none", .doc = "a local network gateway's BGP "
		    "speaker (OCI: the tunnel's oracle_interface_ip, facts "
		    "4)" },
	[BS_APIPA] = { "custom_bgp_ip_addresses", SC_FT_STRINGS, BS(apipa),
		SC_AT2(struct az_bgp_settings, n_apipa),
		SC_AT3(struct az_bgp_settings, apipa_loc), .def_doc = "none",
		.doc = "a gateway's APIPA BGP addresses, each in "
		    "169.254.21.0-169.254.22.255 (facts 4); a connection's "
		    "tunnel takes the one in the /30 of its local network "
		    "gateway's bgp_peering_address" },
};

const struct sc_table az_bs_table = TABLE("azure-bgp-settings",
    "BGP settings of a VPN gateway or a local network gateway.", bs_fields,
    struct az_bgp_settings);

/* --- local network gateways ----------------------------------------------- */

static const struct sc_field ls_fields[] = {
	{ "address_prefixes", SC_FT_STRINGS, SC_AT(struct az_space, prefixes),
		SC_AT2(struct az_space, n_prefixes),
		SC_AT3(struct az_space, prefix_loc), .required = true,
		.doc = "the site's address ranges, a.b.c.d/len each" },
};

static const struct sc_table ls_table = TABLE("azure-lng-address-space",
    "A local network gateway's address space.", ls_fields, struct az_space);

#define LX(m) SC_AT(struct az_lng_x, m)

static const struct sc_field lx_fields[] = {
	[LX_DELAY] = { "delay", SC_FT_TIME, LX(delay),
		.def_doc = "the great-circle span between the gateway's region "
		    "and the OCI region (models/geo, docs/geo.md), else 5ms",
		.doc = "one-way delay of the internet path to the site" },
	[LX_JITTER] = { "jitter", SC_FT_TIME, LX(jitter), .def_doc = "none",
		.max = AZ_VPN_JITTER_MAX,
		.doc = "heavy-tailed extra delay of the internet path: the "
		    "link's jitter {kind: pareto, sd: this} (B9: a VPN's "
		    "tail is heavy), at most 30m" },
	[LX_LOSS] = { "loss", SC_FT_PROB, LX(loss), .def_doc = "none",
		.doc = "random loss of the internet path (bernoulli p)" },
};

static const struct sc_table lx_table = TABLE("azure-lng-xcsim",
    "Simulation knobs of the internet path to a local network gateway.",
    lx_fields, struct az_lng_x);

#define LG(m) SC_AT(struct az_lng, m)

static const struct sc_field lg_fields[] = {
	[LG_NAME] = { "name", SC_FT_NAME, LG(name), .required = true,
		.doc = "unique; names the VPN gateway's interface toward it" },
	[LG_LOCATION] = { "location", SC_FT_NAME, LG(location),
		.def_doc = "none", .doc = "its Azure region (a resource's "
		    "home, not where the site is)" },
	[LG_IP] = { "gateway_ip_address", SC_FT_ADDR, LG(ip), .required = true,
		.doc = "the site's public VPN address (OCI: the tunnel's "
		    "vpn_ip, facts 4)" },
	[LG_SPACE] = { "address_space", SC_FT_MAP, LG(space), .sub = &ls_table,
		.def_doc = "none", .doc = "the site's prefixes, routed into "
		    "the tunnel without BGP (static routing)" },
	[LG_BGP] = { "bgp_settings", SC_FT_MAP, LG(bgp), .sub = &az_bs_table,
		.def_doc = "none", .doc = "asn and bgp_peering_address of the "
		    "site's BGP speaker (facts 4: 31898 for OCI)" },
	[LG_XCSIM] = { "xcsim", SC_FT_MAP, LG(x), .sub = &lx_table,
		.doc = "simulation knobs of the internet path to it" },
};

const struct sc_table az_lng_table = TABLE("azure-local-network-gateway",
    "A local network gateway: the far end of a site-to-site VPN.",
    lg_fields, struct az_lng);

/* --- ipsec_policies ------------------------------------------------------- */

#define IPP(m) SC_AT(struct az_ipsec_policy, m)

static const struct sc_field ip_fields[] = {
	[IP_SA_LIFE] = { "sa_life_time_seconds", SC_FT_UINT, IPP(sa_life_s),
		.min = 300, .max = 172799, .def = "27000",
		.doc = "the Child SA's lifetime (Azure: 300..172799)" },
	[IP_SA_KB] = { "sa_data_size_kilobytes", SC_FT_UINT, IPP(sa_kb),
		.max = UINT32_MAX, .def = "102400000",
		.doc = "the Child SA's volume limit (not modelled: rekeys go "
		    "by time)" },
	[IP_ENCR] = { "ipsec_encryption", SC_FT_ENUM, IPP(ipsec_encr),
		.names = az_ipsec_encr_names, .required = true,
		.doc = "ESP's cipher (phase 2)" },
	[IP_INTEG] = { "ipsec_integrity", SC_FT_ENUM, IPP(ipsec_integ),
		.names = az_ipsec_integ_names, .required = true,
		.doc = "ESP's integrity (a GCM cipher: the same GCM name)" },
	[IP_IKE_ENCR] = { "ike_encryption", SC_FT_ENUM, IPP(ike_encr),
		.names = az_ike_encr_names, .required = true,
		.doc = "the IKE SA's cipher (phase 1)" },
	[IP_IKE_INTEG] = { "ike_integrity", SC_FT_ENUM, IPP(ike_integ),
		.names = az_ike_integ_names, .required = true,
		.doc = "the IKE SA's integrity and PRF" },
	[IP_DH] = { "dh_group", SC_FT_ENUM, IPP(dh), .names = az_dh_names,
		.required = true, .doc = "the IKE SA's DH group" },
	[IP_PFS] = { "pfs_group", SC_FT_ENUM, IPP(pfs), .names = az_pfs_names,
		.required = true, .doc = "the Child SA's PFS group (OCI "
		    "defaults to group 5, which Azure does not offer: facts "
		    "4)" },
};

const struct sc_table az_ipp_table = TABLE("azure-ipsec-policy",
    "A connection's custom IPsec/IKE policy: Azure proposes exactly it.",
    ip_fields, struct az_ipsec_policy);

/* --- SKUs ----------------------------------------------------------------- */

#define M(x) ((uint64_t)(x) * 1000000ULL)

/*
 * B5 (about-gateway-skus.md, the include tables): aggregate Basic
 * 100 Mbit/s, Gen1 VpnGw1 650, VpnGw2 1,000, VpnGw3 1,250, Gen2 VpnGw4
 * 5,000, VpnGw5 10,000; per tunnel GCMAES256 / AES256+SHA256 with their
 * packet rates (VpnGw1 650/500 Mbit/s 62k/47k pps, VpnGw2 1,200/650
 * 100k/61k, VpnGw3 1,250/700 120k/66k, VpnGw4-5 2,300/700 220k/66k);
 * tunnels 10 (Basic), 30 (VpnGw1-3), 100 (VpnGw4-5). Basic has no
 * per-tunnel row: its aggregate, no packet rate; no BGP (B5).
 */
static const struct az_vpn_fact vpn_skus[AZ_SKU_VPN_END - AZ_SKU_BASIC] = {
	[AZ_SKU_BASIC - AZ_SKU_BASIC] = { M(100), M(100), 0, M(100), 0, 10,
		false },
	[AZ_SKU_VPNGW1 - AZ_SKU_BASIC] = { M(650), M(650), 62000, M(500),
		47000, 30, true },
	[AZ_SKU_VPNGW2 - AZ_SKU_BASIC] = { M(1000), M(1200), 100000, M(650),
		61000, 30, true },
	[AZ_SKU_VPNGW3 - AZ_SKU_BASIC] = { M(1250), M(1250), 120000, M(700),
		66000, 30, true },
	[AZ_SKU_VPNGW4 - AZ_SKU_BASIC] = { M(5000), M(2300), 220000, M(700),
		66000, 100, true },
	[AZ_SKU_VPNGW5 - AZ_SKU_BASIC] = { M(10000), M(2300), 220000, M(700),
		66000, 100, true },
	[AZ_SKU_VPNGW1AZ - AZ_SKU_BASIC] = { M(650), M(650), 62000, M(500),
		47000, 30, true },
	[AZ_SKU_VPNGW2AZ - AZ_SKU_BASIC] = { M(1000), M(1200), 100000, M(650),
		61000, 30, true },
	[AZ_SKU_VPNGW3AZ - AZ_SKU_BASIC] = { M(1250), M(1250), 120000, M(700),
		66000, 30, true },
	[AZ_SKU_VPNGW4AZ - AZ_SKU_BASIC] = { M(5000), M(2300), 220000, M(700),
		66000, 100, true },
	[AZ_SKU_VPNGW5AZ - AZ_SKU_BASIC] = { M(10000), M(2300), 220000, M(700),
		66000, 100, true },
};

const struct az_vpn_fact *
az_vpn_fact(int sku)
{
	return az_sku_is_vpn(sku) ? &vpn_skus[sku - AZ_SKU_BASIC] : NULL;
}

/* --- the `ipsec` section's names ------------------------------------------ */

const char *
az_vpn_encr(int ike, int v)
{
	static const char *const esp[] = { NULL, NULL, "3des", "aes-cbc-128",
		"aes-cbc-192", "aes-cbc-256", "aes-gcm-128", "aes-gcm-192",
		"aes-gcm-256" };
	static const char *const isa[] = { NULL, "3des", "aes-cbc-128",
		"aes-cbc-192", "aes-cbc-256", "aes-gcm-128", "aes-gcm-256" };

	if (ike)
		return v >= 1 && v <= 7 ? isa[v - 1] : NULL;
	return v >= 1 && v <= 9 ? esp[v - 1] : NULL;
}

const char *
az_vpn_integ(int ike, int v)
{
	static const char *const esp[] = { NULL, "sha1-96", "sha256-128",
		"", "", "" };
	static const char *const isa[] = { NULL, "sha1-96", "sha256-128",
		"sha384-192", "", "" };

	/* "": a GCM cipher's integrity is the cipher's own (AEAD) */
	if (ike)
		return v >= 1 && v <= 6 ? isa[v - 1] : NULL;
	return v >= 1 && v <= 6 ? esp[v - 1] : NULL;
}

int
az_vpn_dh(int v)
{
	static const int g[] = { 0, 1, 2, 14, 14, 19, 20, 24 };

	return v >= 1 && v <= 8 ? g[v - 1] : -1;
}

int
az_vpn_pfs(int v)
{
	static const int g[] = { 0, 1, 2, 14, 19, 20, 24, 14 };

	return v >= 1 && v <= 8 ? g[v - 1] : -1;
}

/* --- for the OCI model (azure.h) ------------------------------------ */

const char *
azure_vpn_gateway_at(const struct scenario *sc, uint32_t ip,
    const char **location)
{
	const struct azure *az = az_section(sc);
	size_t i;

	for (i = 0; az != NULL && i < az->n_gws; i++) {
		const struct az_gw *g = &az->gws[i];

		if (g->type != AZ_GW_VPN || g->public_ip != ip || !g->ok)
			continue;
		if (location != NULL)
			*location = az->vnets[g->vnet_idx].location;
		return g->name;
	}
	return NULL;
}
