/*
 * azure_int.h - what the files of models/azure share: the structs the
 * field tables fill (azure_tables.c), what the check resolves into them
 * (azure_check.c: indices, parsed prefixes, allocated addresses), the
 * facts tables (azure_addr.c) and the expanders (azure_expand*.c). Not for
 * other modules: they use azure.h.
 */
#ifndef XCSIM_AZURE_INT_H
#define XCSIM_AZURE_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "scenario_section.h"

struct prov_res;
struct az_pm;
struct az_ex;

/* Field indices, in table order. */
enum { AZ_REGIONS, AZ_VNETS, AZ_NSGS, AZ_RTS, AZ_VMS, AZ_GWS, AZ_CIRCUITS,
	AZ_CONNS, AZ_PORTS, AZ_LNGS, AZ_F_MAX };
enum { SP_PREFIXES, SP_F_MAX };
enum { SN_NAME, SN_PREFIX, SN_NSG, SN_RT, SN_F_MAX };
enum { VN_NAME, VN_LOCATION, VN_SPACE, VN_SUBNETS, VN_F_MAX };
enum { SR_NAME, SR_PRIORITY, SR_DIRECTION, SR_ACCESS, SR_PROTOCOL,
	SR_SRC, SR_SRCS, SR_SPORT, SR_SPORTS, SR_DST, SR_DSTS, SR_DPORT,
	SR_DPORTS, SR_DESCRIPTION, SR_F_MAX };
enum { NS_NAME, NS_RULES, NS_F_MAX };
enum { RO_NAME, RO_PREFIX, RO_NHT, RO_NHIP, RO_F_MAX };
enum { RB_NAME, RB_DISABLE, RB_ROUTES, RB_F_MAX };
enum { NI_NAME, NI_SUBNET, NI_IP, NI_NSG, NI_F_MAX };
enum { VX_RATE, VX_DELAY, VX_F_MAX };
enum { VM_NAME, VM_LOCATION, VM_NICS, VM_XCSIM, VM_F_MAX };
enum { GX_DELAY, GX_TUN_DELAY, GX_TUN_JITTER, GX_F_MAX };
enum { GW_NAME, GW_TYPE, GW_SKU, GW_SCALE, GW_VNET, GW_XCSIM, GW_VPN_TYPE,
	GW_BGP, GW_BGP_SETTINGS, GW_PIP, GW_F_MAX };
enum { SK_NAME, SK_TIER, SK_FAMILY, SK_F_MAX };
enum { PP_PRIMARY, PP_SECONDARY, PP_VLAN, PP_PEER_ASN, PP_KEY, PP_F_MAX };
enum { CX_DELAY, CX_STAG, CX_RESTART, CX_F_MAX };
enum { CI_NAME, CI_PROVIDER, CI_LOCATION, CI_BW, CI_SKU, CI_PP, CI_XCSIM,
	CI_PORT, CI_BW_GBPS, CI_F_MAX };
/* ExpressRoute Direct: a port pair, its links, its simulation knobs */
enum { PL_NAME, PL_F_MAX };
enum { PX_ROUTER, PX_DELAY, PX_F_MAX };
enum { PT_NAME, PT_LOCATION, PT_BW, PT_ENCAP, PT_LINKS, PT_XCSIM,
	PT_F_MAX };
enum { CN_NAME, CN_GW, CN_CIRCUIT, CN_WEIGHT, CN_BYPASS, CN_TYPE, CN_LNG,
	CN_KEY, CN_BGP, CN_PROTO, CN_POLICIES, CN_F_MAX };

/* Enum values: index + 1 in the tables' names (0 = not given). */
enum az_dir { AZ_INBOUND = 1, AZ_OUTBOUND };
enum az_access { AZ_ALLOW = 1, AZ_DENY };
enum az_proto { AZ_TCP = 1, AZ_UDP, AZ_ICMP, AZ_ANY };
enum az_nht { AZ_NH_APPLIANCE = 1, AZ_NH_GATEWAY, AZ_NH_NONE, AZ_NH_VNET,
	AZ_NH_INTERNET };
enum az_sku { AZ_SKU_STANDARD = 1, AZ_SKU_HIGHPERF, AZ_SKU_ULTRA,
	AZ_SKU_ERGW1AZ, AZ_SKU_ERGW2AZ, AZ_SKU_ERGW3AZ, AZ_SKU_ERGWSCALE,
	AZ_SKU_MAX };
/* The VPN gateway SKUs follow the ExpressRoute ones in az_sku_names. */
enum az_vpn_sku { AZ_SKU_BASIC = AZ_SKU_MAX, AZ_SKU_VPNGW1, AZ_SKU_VPNGW2,
	AZ_SKU_VPNGW3, AZ_SKU_VPNGW4, AZ_SKU_VPNGW5, AZ_SKU_VPNGW1AZ,
	AZ_SKU_VPNGW2AZ, AZ_SKU_VPNGW3AZ, AZ_SKU_VPNGW4AZ, AZ_SKU_VPNGW5AZ,
	AZ_SKU_VPN_END };
enum az_gw_type { AZ_GW_ER = 1, AZ_GW_VPN };
enum az_conn_type { AZ_CONN_ER = 1, AZ_CONN_IPSEC };
enum az_tier { AZ_TIER_STANDARD = 1, AZ_TIER_PREMIUM, AZ_TIER_LOCAL,
	AZ_TIER_BASIC };
enum az_family { AZ_FAM_METERED = 1, AZ_FAM_UNLIMITED };
enum az_encap { AZ_ENCAP_DOT1Q = 1, AZ_ENCAP_QINQ };

extern const char *const az_sku_names[];	/* index = enum az_sku - 1 */
extern const char *const az_tier_names[];
extern const char *const az_family_names[];
extern const char *const az_nht_names[];

/* A parsed list of prefixes (address spaces). */
struct az_prefixes {
	uint32_t *net;
	uint8_t *plen;
	struct sc_loc *loc;		/* where each was written */
	size_t n;
};

struct az_space {
	char **prefixes;		/* as written */
	size_t n_prefixes;
	struct sc_loc *prefix_loc;
	struct sc_loc loc;
	struct sc_loc vloc[SP_F_MAX];
	uint64_t keys[SC_KEYS_WORDS(SP_F_MAX)];
};

struct az_subnet {
	char *name;
	uint32_t prefix;
	uint8_t plen;
	char *nsg, *route_table;
	/* resolved */
	char *key;			/* "vnet/subnet" (the name space keeps it) */
	bool ok;			/* prefix good and inside the VNet */
	size_t nsg_idx, rt_idx;		/* index + 1, 0 = none */
	int defer;			/* enum az_defer: refused at create */
	struct prov_res *res;		/* on the timeline (azure_prov.c) */
	struct sc_loc loc;
	struct sc_loc vloc[SN_F_MAX];
	uint64_t keys[SC_KEYS_WORDS(SN_F_MAX)];
};

struct az_vnet {
	char *name;
	char *location;
	struct az_space space;
	struct az_subnet *subnets;
	size_t n_subnets;
	/* resolved */
	struct az_prefixes sp;		/* the good address spaces */
	size_t gw_idx;			/* its ExpressRoute gateway + 1 */
	size_t vpn_gw_idx;		/* its VPN gateway + 1 */
	struct prov_res *res;
	struct sc_loc loc;
	struct sc_loc vloc[VN_F_MAX];
	uint64_t keys[SC_KEYS_WORDS(VN_F_MAX)];
};

struct az_rule {
	char *name;
	uint32_t priority;
	int direction;			/* enum az_dir */
	int access;			/* enum az_access */
	int protocol;			/* enum az_proto */
	char *src, *sport, *dst, *dport;	/* singular forms */
	char **srcs, **sports, **dsts, **dports;	/* plural forms */
	size_t n_srcs, n_sports, n_dsts, n_dports;
	struct sc_loc *srcs_loc, *sports_loc, *dsts_loc, *dports_loc;
	char *description;
	struct prov_res *res;
	struct sc_loc loc;
	struct sc_loc vloc[SR_F_MAX];
	uint64_t keys[SC_KEYS_WORDS(SR_F_MAX)];
};

struct az_nsg {
	char *name;
	struct az_rule *rules;
	size_t n_rules;
	struct prov_res *res;
	struct sc_loc loc;
	struct sc_loc vloc[NS_F_MAX];
	uint64_t keys[SC_KEYS_WORDS(NS_F_MAX)];
};

struct az_route {
	char *name;
	uint32_t prefix;
	uint8_t plen;
	int nht;			/* enum az_nht */
	uint32_t nh_ip;
	struct prov_res *res;
	struct sc_loc loc;
	struct sc_loc vloc[RO_F_MAX];
	uint64_t keys[SC_KEYS_WORDS(RO_F_MAX)];
};

struct az_rt {
	char *name;
	bool disable_bgp;		/* disable_bgp_route_propagation */
	struct az_route *routes;
	size_t n_routes;
	struct prov_res *res;
	struct sc_loc loc;
	struct sc_loc vloc[RB_F_MAX];
	uint64_t keys[SC_KEYS_WORDS(RB_F_MAX)];
};

struct az_nic {
	char *name;
	char *subnet;			/* vnet/subnet */
	uint32_t ip;			/* private_ip_address, 0 = allocate */
	char *nsg;
	/* resolved */
	bool ok;			/* subnet found, address assigned */
	size_t vnet_idx, subnet_idx;
	size_t nsg_idx;			/* index + 1, 0 = none */
	uint32_t addr;			/* given or allocated */
	bool in_gws;			/* in GatewaySubnet: refused on the
					   timeline (azure_prov.c) */
	struct prov_res *res;
	struct sc_loc loc;
	struct sc_loc vloc[NI_F_MAX];
	uint64_t keys[SC_KEYS_WORDS(NI_F_MAX)];
};

struct az_vm_x {
	uint64_t rate_bps;
	sim_time delay;
	struct sc_loc loc;
	struct sc_loc vloc[VX_F_MAX];
	uint64_t keys[SC_KEYS_WORDS(VX_F_MAX)];
};

struct az_vm {
	char *name;
	char *location;
	struct az_nic *nics;
	size_t n_nics;
	struct az_vm_x x;
	struct prov_res *res;
	struct sc_loc loc;
	struct sc_loc vloc[VM_F_MAX];
	uint64_t keys[SC_KEYS_WORDS(VM_F_MAX)];
};

struct az_gw_x {
	sim_time delay;
	/* VPN gateways: processing on the tunnel side, per packet (B9) */
	sim_time tunnel_delay, tunnel_jitter;
	struct sc_loc loc;
	struct sc_loc vloc[GX_F_MAX];
	uint64_t keys[SC_KEYS_WORDS(GX_F_MAX)];
};

struct az_vpn_gw;			/* azure_vpn.h */
struct az_lng;
struct az_ipsec_policy;

/* bgp_settings of a VPN gateway or a local network gateway (azure_vpn.h) */
enum { BS_ASN, BS_PEER, BS_APIPA, BS_F_MAX };
struct az_bgp_settings {
	uint32_t asn;
	uint32_t peering_address;	/* local network gateway's */
	char **apipa;			/* custom_bgp_ip_addresses (gateway) */
	size_t n_apipa;
	struct sc_loc *apipa_loc;
	struct sc_loc loc;
	struct sc_loc vloc[BS_F_MAX];
	uint64_t keys[SC_KEYS_WORDS(BS_F_MAX)];
};

struct az_gw {
	char *name;
	int type;			/* enum az_gw_type */
	int sku;			/* enum az_sku, enum az_vpn_sku */
	uint32_t scale_units;
	char *vnet;
	struct az_gw_x x;
	int vpn_type;			/* 1 RouteBased, 2 PolicyBased */
	bool enable_bgp;
	struct az_bgp_settings bgp;
	uint32_t public_ip;		/* public_ip_address */
	/* resolved */
	bool ok;
	size_t vnet_idx, subnet_idx;	/* its GatewaySubnet */
	uint32_t addr;			/* in GatewaySubnet */
	int defer;			/* enum az_defer: refused at create */
	size_t bad_subnet;		/* the misnamed one + 1, 0 = none */
	struct prov_res *res;
	struct sc_loc loc;
	struct sc_loc vloc[GW_F_MAX];
	uint64_t keys[SC_KEYS_WORDS(GW_F_MAX)];
};

struct az_sku_cfg {
	char *name;
	int tier;			/* enum az_tier */
	int family;			/* enum az_family */
	struct sc_loc loc;
	struct sc_loc vloc[SK_F_MAX];
	uint64_t keys[SC_KEYS_WORDS(SK_F_MAX)];
};

struct az_pp {
	uint32_t prefix[2];		/* primary, secondary */
	uint8_t plen[2];
	uint32_t vlan;
	uint32_t peer_asn;
	char *shared_key;
	struct sc_loc loc;
	struct sc_loc vloc[PP_F_MAX];
	uint64_t keys[SC_KEYS_WORDS(PP_F_MAX)];
};

struct az_circuit_x {
	sim_time delay;			/* gateway <-> MSEE */
	uint32_t stag;
	sim_time restart;		/* max-prefix teardown -> retry */
	struct sc_loc loc;
	struct sc_loc vloc[CX_F_MAX];
	uint64_t keys[SC_KEYS_WORDS(CX_F_MAX)];
};

struct az_circuit {
	char *name;
	char *provider;			/* service_provider_name */
	char *location;			/* peering_location */
	uint32_t bandwidth_mbps;
	struct az_sku_cfg sku;
	struct az_pp pp;
	struct az_circuit_x x;
	char *port;			/* express_route_port (Direct) */
	uint32_t bandwidth_gbps;	/* bandwidth_in_gbps (Direct) */
	/* resolved */
	size_t port_idx;		/* index + 1 of its port, 0: none */
	uint32_t stag;			/* the S-tag on its peering, 0: none */
	bool has_pp;			/* private_peering given (and good) */
	bool defer_bw;			/* bandwidth not offered: refused at
					   its create on the timeline */
	int defer_asn;			/* enum az_defer: peer_asn refused at
					   the peering's create */
	struct prov_res *res, *pp_res;	/* the circuit, its private peering */
	struct sc_loc loc;
	struct sc_loc vloc[CI_F_MAX];
	uint64_t keys[SC_KEYS_WORDS(CI_F_MAX)];
};

/* ExpressRoute Direct (azure_port.c): a port pair at a peering location */
struct az_port_link {
	char *name;
	struct sc_loc loc;
	struct sc_loc vloc[PL_F_MAX];
	uint64_t keys[SC_KEYS_WORDS(PL_F_MAX)];
};

struct az_port_x {
	char *router;			/* the customer's router node */
	sim_time delay;			/* its links to the MSEEs */
	struct sc_loc loc;
	struct sc_loc vloc[PX_F_MAX];
	uint64_t keys[SC_KEYS_WORDS(PX_F_MAX)];
};

struct az_port {
	char *name;
	char *location;			/* peering_location */
	uint32_t bandwidth_gbps;	/* bandwidth_in_gbps: 10 | 100 */
	int encap;			/* encapsulation, enum az_encap */
	struct az_port_link *links;
	size_t n_links;
	struct az_port_x x;
	/* resolved */
	bool ok;
	struct sc_loc loc;
	struct sc_loc vloc[PT_F_MAX];
	uint64_t keys[SC_KEYS_WORDS(PT_F_MAX)];
};

struct az_conn {
	char *name;
	char *gw, *circuit;
	uint32_t weight;
	bool bypass;			/* express_route_gateway_bypass */
	int type;			/* enum az_conn_type */
	char *lng;			/* local_network_gateway */
	char *shared_key;
	bool enable_bgp;
	int protocol;			/* 1 IKEv2, 2 IKEv1 */
	struct az_ipsec_policy *policies;	/* ipsec_policies */
	size_t n_policies;
	size_t lng_idx;			/* resolved (IPsec) */
	/* resolved */
	bool ok;
	size_t gw_idx, circuit_idx;
	bool timeline;			/* created on the timeline: the
					   limits are judged at its create */
	struct prov_res *res;
	struct sc_loc loc;
	struct sc_loc vloc[CN_F_MAX];
	uint64_t keys[SC_KEYS_WORDS(CN_F_MAX)];
};

struct azure {
	char **regions;
	size_t n_regions;
	struct sc_loc *regions_loc;
	struct az_vnet *vnets;
	size_t n_vnets;
	struct az_nsg *nsgs;
	size_t n_nsgs;
	struct az_rt *rts;
	size_t n_rts;
	struct az_vm *vms;
	size_t n_vms;
	struct az_gw *gws;
	size_t n_gws;
	struct az_circuit *circuits;
	size_t n_circuits;
	struct az_conn *conns;
	size_t n_conns;
	struct az_port *ports;		/* express_route_ports */
	size_t n_ports;
	struct az_lng *lngs;		/* local_network_gateways */
	size_t n_lngs;
	bool given;			/* the key was in the file */
	/* the resources declared on the timeline (azure_prov.c) */
	struct az_pm *pm;
	size_t n_pm;
	struct sc_loc loc;
	struct sc_loc vloc[AZ_F_MAX];
	uint64_t keys[SC_KEYS_WORDS(AZ_F_MAX)];
};

/*
 * What the load check leaves for the timeline (azure_prov.c): a problem
 * the real cloud reports when the resource is created, found in a file
 * whose timeline creates that resource, becomes a refusal of the create
 * instead of a load error.
 */
enum az_defer {
	AZ_DF_NONE, AZ_DF_SUBNET_SMALL, AZ_DF_SUBNET_OUTSIDE,
	AZ_DF_GWS_MISNAMED, AZ_DF_GWS_MISSING, AZ_DF_ASN_RESERVED,
	AZ_DF_ASN_MICROSOFT
};

/* --- facts (azure_addr.c) ------------------------------------------- */

#define AZ_RESERVED_LOW 4	/* .0 network, .1 gateway, .2 .3 DNS (2.5) */
#define AZ_SUBNET_PLEN_MAX 29	/* smallest subnet (2.5) */
#define AZ_NSG_PRIO_MIN 100	/* user rules (2.6) */
#define AZ_NSG_PRIO_MAX 4096
#define AZ_ASN_RESERVED_LO 65515u	/* reserved by Microsoft (1.4) */
#define AZ_ASN_RESERVED_HI 65520u
#define AZ_PREFIX_LIMIT_STANDARD 4000u	/* private peering (1.4, B1) */
#define AZ_PREFIX_LIMIT_PREMIUM 10000u
#define AZ_GW_ADVERTISE_MAX 1000u	/* prefixes toward on-prem (B1) */
#define AZ_CONNTRACK_LIMIT 500000u	/* flows per NIC (2.5) */
#define AZ_CIRCUITS_PER_LOCATION 4u	/* per VNet, one location (1.6, B1) */
#define AZ_LB_PROBE 0xa83f8110u		/* 168.63.129.16 (2.6) */
#define AZ_GATEWAY_SUBNET "GatewaySubnet"

/* An ExpressRoute gateway SKU's data-path limits (1.6, B5). */
struct az_sku_fact {
	uint64_t rate_bps;		/* per scale unit for ErGwScale */
	uint64_t pps;
	uint32_t max_circuits;		/* 0 = not stated */
	bool fastpath;
};
/*
 * The section's item when the file has it (before or after its check;
 * NULL when absent or not a mapping): azure_tables.c.
 */
struct azure *az_section(const struct scenario *sc);
const struct az_sku_fact *az_sku_fact(int sku);

/* Whether bandwidth_in_mbps is one the provider model offers (1.7, B1). */
bool az_bandwidth_offered(uint32_t mbps);
extern const uint32_t az_bandwidths[];	/* ascending, 0-terminated */

static inline uint32_t
az_mask(uint8_t plen)
{
	return plen == 0 ? 0 : UINT32_MAX << (32 - plen);
}

/* Whether a/alen and b/blen share an address; whether a is inside b. */
bool az_overlap(uint32_t a, uint8_t alen, uint32_t b, uint8_t blen);
bool az_within(uint32_t a, uint8_t alen, uint32_t b, uint8_t blen);

/* "a.b.c.d" into buf (>= 16 bytes); returns buf. */
char *az_ip(char *buf, uint32_t a);

/*
 * Parse "a.b.c.d/len". 0, -1 if not a prefix, -2 if host bits are set
 * (*net then holds the network address the user probably meant).
 */
int az_prefix_parse(const char *s, uint32_t *net, uint8_t *plen);

/*
 * Azure's address allocation in one subnet (2.5): the first address
 * that is neither reserved (the first four, the last) nor in used[] (n
 * addresses). 0 when the subnet is full.
 */
uint32_t az_alloc(uint32_t net, uint8_t plen, const uint32_t *used,
    size_t n);
/* Whether addr is one of the subnet's five reserved addresses. */
bool az_reserved(uint32_t net, uint8_t plen, uint32_t addr);

/* --- checks (azure_check.c, azure_check_res.c) ----------------------- */

/* Name spaces of the checks (sc_names_*): messages say "unknown <space>". */
#define AZ_SP_REGION "azure region"
#define AZ_SP_VNET "azure virtual network"
#define AZ_SP_SUBNET "azure subnet"
#define AZ_SP_NSG "azure network security group"
#define AZ_SP_RT "azure route table"
#define AZ_SP_VM "azure virtual machine"
#define AZ_SP_NIC "azure network interface"
#define AZ_SP_GW "azure virtual network gateway"
#define AZ_SP_CIRCUIT "azure express route circuit"
#define AZ_SP_CONN "azure connection"
#define AZ_SP_PORT "azure express route port"
#define AZ_SP_LNG "azure local network gateway"

extern const char *const az_service_tags[];	/* VirtualNetwork, ... */
/* "vnet/subnet" into buf; the subnet space's key. */
char *az_subnet_key(char *buf, size_t len, const char *vnet,
    const char *subnet);
/* "*", "N" or "lo-hi" into [lo, hi]; false if it is none of them. */
bool az_port_range(const char *s, uint16_t *lo, uint16_t *hi);

void az_check(struct sc_check *ck, struct sc_section_data *d);
void az_check_vms(struct sc_check *ck, struct azure *az);
void az_check_gws(struct sc_check *ck, struct azure *az);
void az_check_circuits(struct sc_check *ck, struct azure *az);
void az_check_conns(struct sc_check *ck, struct azure *az);
/*
 * ExpressRoute Direct (azure_port.c): the ports, before the circuits; a
 * circuit on a port (its bandwidth_in_gbps, the port's capacity, VLAN
 * tags), from az_check_circuits; true when c is on a port.
 */
void az_check_ports(struct sc_check *ck, struct azure *az);
bool az_check_direct(struct sc_check *ck, struct azure *az, size_t ci);
void az_check_routes(struct sc_check *ck, struct azure *az);
void az_check_vpn(struct sc_check *ck, struct azure *az);	/* azure_vpn_check.c */

/* --- the control plane (azure_prov.c) --------------------------------- */

/*
 * Whether the file's timeline creates KEY/NAME (prov_created_on_timeline
 * for the check, which has the scenario being loaded).
 */
bool az_on_timeline(struct sc_check *ck, const char *key, const char *name);
/* Declares the section's resources through prov_register_cloud. */
int az_prov_register(void);
/* Frees what the declaration kept in az (az_free). */
void az_prov_free(struct azure *az);
/* `gate: <its gate>` on map when resource KEY/NAME has one. */
void az_gate(struct az_ex *x, int map, const char *key, const char *name);
/*
 * The versions of NSG gi's rule ri that the timeline's updates make
 * (azure_prov_rule.c): 0 when none (the rule is as the file gives it),
 * else n + 1 for n accepted updates. Version k into *out: the rule with
 * the first k updates' fields (its strings borrowed from the file and the
 * plan), and [*from, *to) the time it holds (*to -1: to the end).
 */
size_t az_rule_versions(const struct azure *az, size_t gi, size_t ri);
void az_rule_version(const struct azure *az, size_t gi, size_t ri, size_t k,
    struct az_rule *out, sim_time *from, sim_time *to);

/* --- expansion (azure_expand*.c) -------------------------------------- */

#define AZ_VRF_VNET "_vnet"	/* the VNet node's delivery VRF */

extern const char *const az_nht_text[];	/* "Virtual appliance", ... (B3) */

/* What the expanders share while they run. */
struct az_ex {
	struct sc_expand *ex;
	const struct azure *az;
	int *vnet_ifaces;	/* per VNet: its node's interfaces */
	int *gw_ifaces;		/* per gateway: its node's interfaces */
	int *gw_nbrs;		/* per gateway: its speaker's neighbours */
};

/* An item of list section `list`, a mapping pushed on seq (at loc). */
int az_item(struct az_ex *x, const char *list, struct sc_loc loc);
int az_push(struct az_ex *x, int seq, struct sc_loc loc);
void az_set_prefix(struct az_ex *x, int map, const char *key, uint32_t net,
    uint8_t plen);
void az_set_time(struct az_ex *x, int map, const char *key, sim_time t);
void az_set_rate(struct az_ex *x, int map, const char *key, uint64_t bps);
/* An interface (plen 0: unnumbered; vrf NULL: default) pushed on ifaces. */
int az_iface(struct az_ex *x, int ifaces, struct sc_loc loc,
    const char *name, uint32_t addr, uint8_t plen, const char *vrf);
/* A link named "<a>.<aif>" (a's side names it: unique as a's interface). */
int az_link(struct az_ex *x, struct sc_loc loc, const char *a,
    const char *aif, const char *b, const char *bif, sim_time delay,
    uint64_t rate);

void az_expand_nsgs(struct az_ex *x);	/* azure_expand_nsg.c */
void az_expand_er(struct az_ex *x);	/* azure_expand_er.c */
/*
 * ExpressRoute Direct (azure_port.c): the link of circuit ci's MSEE
 * `msee` (path p) to the customer's router the port names, at the port's
 * speed; nothing when the circuit is on no port or the port names none.
 */
void az_expand_port_link(struct az_ex *x, size_t ci, const char *msee,
    int path);
void az_expand_vpn(struct az_ex *x);	/* azure_vpn_expand.c */
void az_expand(struct sc_expand *ex, const void *items, size_t n);

#endif
