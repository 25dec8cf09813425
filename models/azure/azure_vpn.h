/*
 * azure_vpn.h - what the VPN files of models/azure share: Azure's
 * site-to-site VPN in ARM terms (a virtual network gateway of
 * gateway_type Vpn, local network gateways, connections of
 * connection_type IPsec with their ipsec_policies), the SKU facts (4.2,
 * B5), and the names the expansion gives. azure_vpn_tables.c has the field
 * tables and the facts, azure_vpn_check.c Azure's rules, azure_vpn_expand.c
 * the nodes, links, `ipsec` and `bgp` items (docs/azure.md "Site-to-site
 * VPN"). Not for other modules: they use azure.h.
 */
#ifndef XCSIM_AZURE_VPN_H
#define XCSIM_AZURE_VPN_H

#include <stdbool.h>
#include <stdint.h>

#include "azure_int.h"

/* A local network gateway: the far site (here an OCI VPN headend). */
enum { LG_NAME, LG_LOCATION, LG_IP, LG_SPACE, LG_BGP, LG_XCSIM, LG_F_MAX };
enum { LX_DELAY, LX_JITTER, LX_LOSS, LX_F_MAX };

/* The internet path to the site (simulation knobs, not ARM fields). */
struct az_lng_x {
	sim_time delay;			/* 0: the regions' great-circle span */
	sim_time jitter;		/* pareto sd, 0: none */
	double loss;			/* bernoulli p */
	struct sc_loc loc;
	struct sc_loc vloc[LX_F_MAX];
	uint64_t keys[SC_KEYS_WORDS(LX_F_MAX)];
};

struct az_lng {
	char *name;
	char *location;
	uint32_t ip;			/* gateway_ip_address */
	struct az_space space;		/* address_space (static routing) */
	struct az_bgp_settings bgp;
	struct az_lng_x x;
	/* resolved */
	struct az_prefixes sp;
	struct sc_loc loc;
	struct sc_loc vloc[LG_F_MAX];
	uint64_t keys[SC_KEYS_WORDS(LG_F_MAX)];
};

/* ipsec_policies[] of a connection, Azure's names (ARM IpsecPolicy). */
enum { IP_SA_LIFE, IP_SA_KB, IP_ENCR, IP_INTEG, IP_IKE_ENCR, IP_IKE_INTEG,
	IP_DH, IP_PFS, IP_F_MAX };

enum az_ipsec_encr { AZ_IE_NONE = 1, AZ_IE_DES, AZ_IE_DES3, AZ_IE_AES128,
	AZ_IE_AES192, AZ_IE_AES256, AZ_IE_GCMAES128, AZ_IE_GCMAES192,
	AZ_IE_GCMAES256 };
enum az_ipsec_integ { AZ_II_MD5 = 1, AZ_II_SHA1, AZ_II_SHA256,
	AZ_II_GCMAES128, AZ_II_GCMAES192, AZ_II_GCMAES256 };
enum az_ike_encr { AZ_KE_DES = 1, AZ_KE_DES3, AZ_KE_AES128, AZ_KE_AES192,
	AZ_KE_AES256, AZ_KE_GCMAES128, AZ_KE_GCMAES256 };
enum az_ike_integ { AZ_KI_MD5 = 1, AZ_KI_SHA1, AZ_KI_SHA256, AZ_KI_SHA384,
	AZ_KI_GCMAES128, AZ_KI_GCMAES256 };
enum az_dh { AZ_DH_NONE = 1, AZ_DH_1, AZ_DH_2, AZ_DH_14, AZ_DH_2048,
	AZ_DH_ECP256, AZ_DH_ECP384, AZ_DH_24 };
enum az_pfs { AZ_PFS_NONE = 1, AZ_PFS_1, AZ_PFS_2, AZ_PFS_2048,
	AZ_PFS_ECP256, AZ_PFS_ECP384, AZ_PFS_24, AZ_PFS_14 };

struct az_ipsec_policy {
	uint32_t sa_life_s;		/* sa_life_time_seconds */
	uint32_t sa_kb;			/* sa_data_size_kilobytes */
	int ipsec_encr, ipsec_integ, ike_encr, ike_integ, dh, pfs;
	struct sc_loc loc;
	struct sc_loc vloc[IP_F_MAX];
	uint64_t keys[SC_KEYS_WORDS(IP_F_MAX)];
};

extern const struct sc_table az_bs_table;	/* bgp_settings */
extern const struct sc_table az_lng_table;	/* local_network_gateways */
extern const struct sc_table az_ipp_table;	/* ipsec_policies */
extern const char *const az_vpn_type_names[];	/* RouteBased, PolicyBased */
extern const char *const az_conn_type_names[];	/* ExpressRoute, IPsec */
extern const char *const az_conn_proto_names[];	/* IKEv2, IKEv1 */
extern const char *const az_ipsec_encr_names[];
extern const char *const az_ipsec_integ_names[];
extern const char *const az_ike_encr_names[];
extern const char *const az_ike_integ_names[];
extern const char *const az_dh_names[];
extern const char *const az_pfs_names[];

/* A VPN gateway SKU (4.2, B5). */
struct az_vpn_fact {
	uint64_t agg_bps;		/* aggregate benchmark, S2S + P2S */
	uint64_t tun_gcm_bps;		/* per tunnel, GCMAES256 */
	uint64_t tun_gcm_pps;
	uint64_t tun_cbc_bps;		/* per tunnel, AES256 + SHA256 */
	uint64_t tun_cbc_pps;
	uint32_t tunnels;		/* S2S tunnels */
	bool bgp;			/* Basic: no BGP (B5) */
};

/* NULL for an ExpressRoute SKU. */
const struct az_vpn_fact *az_vpn_fact(int sku);
static inline bool
az_sku_is_vpn(int sku)
{
	return sku >= AZ_SKU_BASIC && sku < AZ_SKU_VPN_END;
}

#define AZ_VPN_ASN_DEFAULT 65515u	/* Azure VPN gateway (facts 4) */
/* APIPA addresses Azure takes for custom BGP addresses (facts 4). */
#define AZ_APIPA_LO 0xa9fe1500u	/* 169.254.21.0 */
#define AZ_APIPA_HI 0xa9fe16ffu	/* 169.254.22.255 */

/* The gateway's interface without a link holding its public address. */
#define AZ_IF_PUBLIC "public"
/* The OCI headend's interface toward the internet (oci_ipsec_expand.c). */
#define AZ_IF_INTERNET "internet"
/* Route sources on the gateway (route_tables items). */
#define AZ_SRC_LNG "local-network-gateway"
/* Preference of the VPN gateway's routes in a subnet: after ExpressRoute
 * (20) for the same prefix (B3), before the system routes (30). */
#define AZ_PREF_VPN 25

/*
 * Largest tunnel_jitter and local network gateway jitter: half an hour,
 * so that the internet link's pareto tail (the root of the sum of the
 * squares of at most three of them) stays inside a link jitter's 1 h
 * (scenario_links.c), and a too large value is refused at the user's key.
 */
#define AZ_VPN_JITTER_MAX ((uint64_t)1800 * 1000000000u)

/*
 * The ipsec item's algorithm names (the `ipsec` section's vocabulary,
 * models/ipsec): for an Azure policy value; NULL when it has none.
 */
const char *az_vpn_encr(int ike, int v);
const char *az_vpn_integ(int ike, int v);
/*
 * Whether VPN gateway gi has an IPsec connection that carries with BGP
 * (bgp true) or with static routes (false): its routes' sources.
 */
bool az_vpn_routes(const struct azure *az, size_t gi, bool bgp);

/* The DH group number of an az_dh / az_pfs value; 0 none, -1 unknown. */
int az_vpn_dh(int v);
int az_vpn_pfs(int v);

#endif
