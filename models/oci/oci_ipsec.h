/*
 * oci_ipsec.h - what the Site-to-Site VPN files of the oci section share:
 * CPEs and IPSec connections in OCI API terms (CreateCpeDetails,
 * CreateIPSecConnectionDetails, the tunnels' fields as
 * oci_core_ipsec_connection_tunnel_management names them), checked with
 * OCI's rules (oci_ipsec_check.c) and expanded into two VPN headends per
 * connection, their `ipsec` and `bgp` items and the DRG's IPSEC_TUNNEL
 * attachments (oci_ipsec_expand.c). docs/oci.md "Site-to-Site VPN".
 */
#ifndef XCSIM_OCI_IPSEC_H
#define XCSIM_OCI_IPSEC_H

#include <stdbool.h>
#include <stdint.h>

#include "oci_int.h"

enum { CP_NAME, CP_IP, CP_F_MAX };

struct oci_cpe {
	char *name;
	uint32_t ip;			/* ip_address */
	struct sc_loc loc;
	struct sc_loc vloc[CP_F_MAX];
	uint64_t keys[SC_KEYS_WORDS(CP_F_MAX)];
};

enum { BI_ASN, BI_CUSTOMER, BI_ORACLE, BI_F_MAX };
enum { P1_CUSTOM, P1_AUTH, P1_ENCR, P1_DH, P1_LIFETIME, P1_F_MAX };
enum { P2_CUSTOM, P2_AUTH, P2_ENCR, P2_LIFETIME, P2_PFS, P2_PFS_GROUP,
	P2_F_MAX };
enum { TU_NAME, TU_VPN_IP, TU_IKE, TU_SECRET, TU_ROUTING, TU_BGP, TU_P1,
	TU_P2, TU_F_MAX };
enum { IS_NAME, IS_CPE, IS_DRG, IS_STATIC, IS_TUNNELS, IS_F_MAX };

/* Values (index + 1 in the tables' names). */
enum oci_ike { OCI_IKE_V1 = 1, OCI_IKE_V2 };
enum oci_routing { OCI_RT_BGP = 1, OCI_RT_STATIC, OCI_RT_POLICY };
enum oci_dh { OCI_G1 = 1, OCI_G2, OCI_G5, OCI_G14, OCI_G19, OCI_G20,
	OCI_G24 };

struct oci_bgp_info {
	uint32_t asn;			/* customer_bgp_asn */
	uint32_t customer, oracle;	/* *_interface_ip, with lengths */
	uint8_t customer_plen, oracle_plen;
	struct sc_loc loc;
	struct sc_loc vloc[BI_F_MAX];
	uint64_t keys[SC_KEYS_WORDS(BI_F_MAX)];
};

struct oci_phase1 {
	bool custom;			/* is_custom_phase_one_config */
	int auth, encr, dh;
	uint32_t lifetime;		/* seconds */
	struct sc_loc loc;
	struct sc_loc vloc[P1_F_MAX];
	uint64_t keys[SC_KEYS_WORDS(P1_F_MAX)];
};

struct oci_phase2 {
	bool custom;			/* is_custom_phase_two_config */
	int auth, encr;
	uint32_t lifetime;
	bool pfs;			/* is_pfs_enabled */
	int pfs_group;			/* enum oci_dh */
	struct sc_loc loc;
	struct sc_loc vloc[P2_F_MAX];
	uint64_t keys[SC_KEYS_WORDS(P2_F_MAX)];
};

struct oci_tunnel {
	char *name;			/* display_name */
	uint32_t vpn_ip;		/* Oracle's public address */
	int ike;			/* enum oci_ike */
	char *secret;			/* shared_secret */
	int routing;			/* enum oci_routing */
	struct oci_bgp_info bgp;	/* bgp_session_info */
	struct oci_phase1 p1;		/* phase_one_details */
	struct oci_phase2 p2;		/* phase_two_details */
	/* resolved */
	char gen_secret[40];		/* Oracle's when none is given */
	struct sc_loc loc;
	struct sc_loc vloc[TU_F_MAX];
	uint64_t keys[SC_KEYS_WORDS(TU_F_MAX)];
};

struct oci_ipsc {
	char *name;
	char *cpe;			/* cpe_id */
	char *drg;			/* drg_id */
	char **static_routes;
	size_t n_static;
	struct sc_loc *static_loc;
	struct oci_tunnel *tunnels;
	size_t n_tunnels;
	/* resolved */
	bool ok;
	size_t cpe_idx, drg_idx;
	uint32_t *st_net;		/* the static routes parsed */
	uint8_t *st_plen;
	size_t n_st;
	struct sc_loc loc;
	struct sc_loc vloc[IS_F_MAX];
	uint64_t keys[SC_KEYS_WORDS(IS_F_MAX)];
};

extern const struct sc_table oci_cpe_table;
extern const struct sc_table oci_ipsc_table;
extern const char *const oci_dh_names[];	/* GROUP1 ... GROUP24 */

#define OCI_IPSEC_TUNNELS 2		/* per connection (4.3) */
#define OCI_STATIC_ROUTES_MAX 10	/* per connection (facts 4) */
/* The headends' addresses when a tunnel gives no vpn_ip: RFC 5737's
 * TEST-NET-3 (documentation addresses; Oracle assigns real ones). */
#define OCI_VPN_IP_BLOCK 0xcb007100u	/* 203.0.113.0/24 */
/* DRG route preference of an IPSec tunnel's routes: after VCN (20) and
 * virtual circuit (30), B6. */
#define OCI_PREF_IPSEC 40
#define OCI_SRC_IPSEC "ipsec"
#define OCI_SRC_IPSEC_STATIC "ipsec-static"	/* on a headend */
#define OCI_IF_TUNNEL "tunnel"
#define OCI_IF_INTERNET "internet"
#define OCI_IF_PUBLIC "public"

/* The headend node of tunnel t (0, 1) of connection c: "<c>-headend-N". */
void oci_headend_name(char *buf, size_t len, const struct oci_ipsc *c,
    size_t t);
/* The DRG's interface toward it: "<c>-tunnel-N". */
void oci_tunnel_iface(char *buf, size_t len, const struct oci_ipsc *c,
    size_t t);
/* Its address: the given vpn_ip or the block's 2k+t+1 for connection k. */
uint32_t oci_tunnel_vpn_ip(const struct oci_ipsc *c, size_t k, size_t t);

/* oci_ipsec_check.c: after the DRGs' check */
void oci_check_ipsec(struct sc_check *ck, struct oci_sc *o);
/* oci_ipsec_expand.c: after the DRGs' expansion */
void oci_expand_ipsec(struct sc_expand *ex, const struct oci_sc *o);

#endif
