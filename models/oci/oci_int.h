/*
 * oci_int.h - what the files of the oci section share: the structs its
 * field tables fill (one per OCI resource, fields named as in the OCI API),
 * the index of names the check builds and the expansion reads, and the
 * helpers between them. Not for other modules: they use oci.h.
 *
 * Files: oci_tables.c (field tables, registration, oci_vc_peering),
 * oci_check.c (the cloud's rules), oci_expand.c (VCNs and instances),
 * oci_expand_drg.c (DRGs, virtual circuits, Oracle's edge routers).
 */
#ifndef XCSIM_OCI_INT_H
#define XCSIM_OCI_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "interconnect.h"
#include "scenario_section.h"

struct sc_expand;

/* Names the expansion gives that a display name could take (the check
 * refuses those). */
#define OCI_IF_DRG "drg"	/* the VCN node's interface to its DRG */
#define OCI_VRF_VCN "_vcn"	/* the VCN node's delivery VRF */
#define OCI_DEFAULT_SL "default-security-list"	/* acl <vcn>.<this> */

/* ---- security rules (security lists and NSGs) ---- */

enum { PR_MIN, PR_MAX, PR_F_MAX };
enum { PO_SRC, PO_DST, PO_F_MAX };
enum { IO_TYPE, IO_CODE, IO_F_MAX };
/*
 * An NSG rule's keys; a security list's rules have no direction and one
 * address key (source for ingress, destination for egress) and are walked
 * into lvloc/lkeys, which the check copies into vloc/keys (same order
 * from protocol on).
 */
enum { SR_DIRECTION, SR_SOURCE, SR_DESTINATION, SR_PROTOCOL, SR_STATELESS,
	SR_TCP, SR_UDP, SR_ICMP, SR_DESCRIPTION, SR_F_MAX };
enum { LR_PEER, LR_PROTOCOL, LR_F_MAX = LR_PROTOCOL + SR_F_MAX - SR_PROTOCOL };

struct oci_port_range {
	uint32_t min, max;
	struct sc_loc loc;
	struct sc_loc vloc[PR_F_MAX];
	uint64_t keys[SC_KEYS_WORDS(PR_F_MAX)];
};

struct oci_port_opts {		/* tcp_options, udp_options */
	struct oci_port_range src, dst;
	struct sc_loc loc;
	struct sc_loc vloc[PO_F_MAX];
	uint64_t keys[SC_KEYS_WORDS(PO_F_MAX)];
};

struct oci_icmp_opts {
	uint32_t type, code;
	struct sc_loc loc;
	struct sc_loc vloc[IO_F_MAX];
	uint64_t keys[SC_KEYS_WORDS(IO_F_MAX)];
};

enum oci_dir { OCI_INGRESS = 1, OCI_EGRESS };

struct oci_rule {
	int direction;		/* enum oci_dir (NSG rules; lists: by list) */
	char *source, *destination;	/* CIDR text */
	char *protocol;		/* "all" or an IANA number */
	bool stateless;
	struct oci_port_opts tcp, udp;
	struct oci_icmp_opts icmp;
	char *description;
	/* filled by the check */
	bool ok;
	int proto;		/* -1 all, else 0..255 */
	uint32_t net;		/* the rule's CIDR */
	uint8_t plen;
	struct sc_loc loc;
	struct sc_loc vloc[SR_F_MAX];
	uint64_t keys[SC_KEYS_WORDS(SR_F_MAX)];
	struct sc_loc lvloc[LR_F_MAX];
	uint64_t lkeys[SC_KEYS_WORDS(LR_F_MAX)];
};

/* ---- VCNs ---- */

enum { SL_NAME, SL_INGRESS, SL_EGRESS, SL_F_MAX };
enum { NS_NAME, NS_RULES, NS_F_MAX };
enum { RR_DESTINATION, RR_DESTINATION_TYPE, RR_NETWORK_ENTITY,
	RR_DESCRIPTION, RR_F_MAX };
enum { RTB_NAME, RTB_RULES, RTB_F_MAX };
enum { SN_NAME, SN_CIDR, SN_ROUTE_TABLE, SN_SECURITY_LISTS, SN_PROHIBIT,
	SN_F_MAX };
enum { VC_NAME, VC_CIDRS, VC_SUBNETS, VC_ROUTE_TABLES, VC_SECURITY_LISTS,
	VC_NSGS, VC_F_MAX };

struct oci_seclist {
	char *name;
	struct oci_rule *ingress, *egress;
	size_t n_ingress, n_egress;
	struct sc_loc loc;
	struct sc_loc vloc[SL_F_MAX];
	uint64_t keys[SC_KEYS_WORDS(SL_F_MAX)];
};

struct oci_nsg {
	char *name;
	struct oci_rule *rules;
	size_t n_rules;
	struct sc_loc loc;
	struct sc_loc vloc[NS_F_MAX];
	uint64_t keys[SC_KEYS_WORDS(NS_F_MAX)];
};

struct oci_route_rule {
	uint32_t dest;
	uint8_t plen;
	int dest_type;		/* 1 CIDR_BLOCK */
	char *entity;		/* network_entity_id: a DRG's name */
	char *description;
	size_t drg;		/* check: index + 1 of the DRG */
	struct sc_loc loc;
	struct sc_loc vloc[RR_F_MAX];
	uint64_t keys[SC_KEYS_WORDS(RR_F_MAX)];
};

struct oci_route_table {
	char *name;
	struct oci_route_rule *rules;
	size_t n_rules;
	struct sc_loc loc;
	struct sc_loc vloc[RTB_F_MAX];
	uint64_t keys[SC_KEYS_WORDS(RTB_F_MAX)];
};

struct oci_subnet {
	char *name;
	uint32_t cidr;
	uint8_t plen;
	char *route_table;
	char **seclists;
	size_t n_seclists;
	struct sc_loc *seclists_loc;
	bool prohibit_public_ip;
	/* filled by the check */
	bool ok;
	size_t rt;		/* index + 1 of its route table, 0 = default */
	size_t sl[5];		/* index of each security list (n_seclists) */
	char path[2 * SC_NAME_MAX + 2];	/* "vcn/subnet", a name kept */
	struct sc_loc loc;
	struct sc_loc vloc[SN_F_MAX];
	uint64_t keys[SC_KEYS_WORDS(SN_F_MAX)];
};

#define OCI_CIDRS_MAX 16	/* CIDR blocks per VCN (third parties, 2.5) */

struct oci_vcn {
	char *name;
	char **cidr_text;
	size_t n_cidrs;
	struct sc_loc *cidr_loc;
	struct oci_subnet *subnets;
	size_t n_subnets;
	struct oci_route_table *rts;
	size_t n_rts;
	struct oci_seclist *sls;
	size_t n_sls;
	struct oci_nsg *nsgs;
	size_t n_nsgs;
	/* filled by the check */
	bool ok;
	uint32_t cidr[OCI_CIDRS_MAX];
	uint8_t cplen[OCI_CIDRS_MAX];
	size_t n_ok;		/* CIDRs that parsed */
	size_t drg;		/* index + 1 of the DRG it is attached to */
	size_t att;		/* ... and of the attachment there */
	bool default_sl;	/* a subnet uses the default security list */
	struct sc_loc loc;
	struct sc_loc vloc[VC_F_MAX];
	uint64_t keys[SC_KEYS_WORDS(VC_F_MAX)];
};

/* ---- instances ---- */

enum { VN_NAME, VN_SUBNET, VN_PRIVATE_IP, VN_NSGS, VN_F_MAX };
enum { IX_DELAY, IX_RATE, IX_F_MAX };
enum { IN_NAME, IN_VNICS, IN_XCSIM, IN_F_MAX };

struct oci_vnic {
	char *name;
	char *subnet;		/* "vcn/subnet" */
	uint32_t private_ip;	/* 0 = the first free after the reserved */
	char **nsgs;
	size_t n_nsgs;
	struct sc_loc *nsgs_loc;
	/* filled by the check */
	bool ok;
	size_t vcn, sn;		/* indices */
	size_t nsg[5];		/* index of each NSG in the VCN */
	uint32_t addr;		/* given or allocated */
	char ipkey[16];		/* addr as text, a name kept */
	struct sc_loc loc;
	struct sc_loc vloc[VN_F_MAX];
	uint64_t keys[SC_KEYS_WORDS(VN_F_MAX)];
};

struct oci_host_knobs {		/* an instance's xcsim: */
	sim_time delay;
	uint64_t rate;
	struct sc_loc loc;
	struct sc_loc vloc[IX_F_MAX];
	uint64_t keys[SC_KEYS_WORDS(IX_F_MAX)];
};

struct oci_instance {
	char *name;
	struct oci_vnic *vnics;
	size_t n_vnics;
	struct oci_host_knobs xcsim;
	struct sc_loc loc;
	struct sc_loc vloc[IN_F_MAX];
	uint64_t keys[SC_KEYS_WORDS(IN_F_MAX)];
};

/* ---- DRGs ---- */

enum oci_att_type { OCI_ATT_VCN = 1, OCI_ATT_VIRTUAL_CIRCUIT,
	OCI_ATT_IPSEC_TUNNEL, OCI_ATT_RPC, OCI_ATT_MAX };
enum oci_match { OCI_MATCH_TYPE = 1, OCI_MATCH_ID, OCI_MATCH_ALL };

enum { ND_TYPE_, ND_ID_, ND_F_MAX_ };
enum { DA_NAME, DA_NETWORK, DA_TABLE, DA_F_MAX };
enum { DR_DESTINATION, DR_DESTINATION_TYPE, DR_NEXT_HOP, DR_F_MAX_ };
enum { DT_NAME, DT_ECMP, DT_IMPORT, DT_RULES, DT_F_MAX };
enum { MC_MATCH_TYPE, MC_ATT_TYPE, MC_ATT_ID, MC_F_MAX };
enum { ST_MATCH, ST_PRIORITY, ST_ACTION, ST_F_MAX };
enum { DD_NAME, DD_TYPE, DD_STATEMENTS, DD_F_MAX };
enum { DG_NAME, DG_ATTACHMENTS, DG_TABLES, DG_DISTRIBUTIONS, DG_F_MAX };

struct oci_net_details {
	int type;		/* enum oci_att_type */
	char *id;		/* the VCN's / virtual circuit's name */
	struct sc_loc loc;
	struct sc_loc vloc[ND_F_MAX_];
	uint64_t keys[SC_KEYS_WORDS(ND_F_MAX_)];
};

struct oci_drg_attachment {
	char *name;
	struct oci_net_details nd;
	char *table;		/* drg_route_table, NULL = autogenerated */
	/* filled by the check */
	bool ok;
	size_t target;		/* index of the VCN / virtual circuit */
	size_t rt;		/* index in oci_drg.tables (all, see below) */
	struct sc_loc loc;
	struct sc_loc vloc[DA_F_MAX];
	uint64_t keys[SC_KEYS_WORDS(DA_F_MAX)];
};

struct oci_drg_rule {
	uint32_t dest;
	uint8_t plen;
	int dest_type;
	char *next_hop;		/* next_hop_drg_attachment_id */
	size_t att;		/* check: its attachment's index */
	struct sc_loc loc;
	struct sc_loc vloc[DR_F_MAX_];
	uint64_t keys[SC_KEYS_WORDS(DR_F_MAX_)];
};

struct oci_drg_table {
	char *name;
	bool ecmp;
	char *import;		/* import_drg_route_distribution */
	struct oci_drg_rule *rules;
	size_t n_rules;
	size_t dist;		/* check: index + 1 of the distribution */
	struct sc_loc loc;
	struct sc_loc vloc[DT_F_MAX];
	uint64_t keys[SC_KEYS_WORDS(DT_F_MAX)];
};

struct oci_match_criteria {
	int match_type;		/* enum oci_match */
	int att_type;		/* enum oci_att_type, 0 = not given */
	char *att_id;		/* drg_attachment_id */
	struct sc_loc loc;
	struct sc_loc vloc[MC_F_MAX];
	uint64_t keys[SC_KEYS_WORDS(MC_F_MAX)];
};

struct oci_statement {
	struct oci_match_criteria match;
	uint32_t priority;
	int action;		/* 1 ACCEPT */
	size_t att;		/* check: DRG_ATTACHMENT_ID's index */
	struct sc_loc loc;
	struct sc_loc vloc[ST_F_MAX];
	uint64_t keys[SC_KEYS_WORDS(ST_F_MAX)];
};

struct oci_distribution {
	char *name;
	int type;		/* 1 IMPORT */
	struct oci_statement *statements;
	size_t n_statements;
	struct sc_loc loc;
	struct sc_loc vloc[DD_F_MAX];
	uint64_t keys[SC_KEYS_WORDS(DD_F_MAX)];
};

/* The two route tables every DRG makes (2.7), in front of the user's. */
#define OCI_DRG_RT_VCN "autogenerated-vcn"
#define OCI_DRG_RT_OTHER "autogenerated-vc-ipsec-rpc"
#define OCI_DRG_AUTO 2

struct oci_drg {
	char *name;
	struct oci_drg_attachment *atts;
	size_t n_atts;
	struct oci_drg_table *tables;
	size_t n_tables;
	struct oci_distribution *dists;
	size_t n_dists;
	/* filled by the check */
	bool ok;
	struct sc_loc loc;
	struct sc_loc vloc[DG_F_MAX];
	uint64_t keys[SC_KEYS_WORDS(DG_F_MAX)];
};

/* ---- FastConnect virtual circuits ---- */

enum { CM_CUSTOMER, CM_ORACLE, CM_VLAN, CM_MD5, CM_CROSS_CONNECT,
	CM_F_MAX };
enum { VX_CC_DELAY, VX_DRG_DELAY, VX_F_MAX };
enum { VI_NAME, VI_TYPE, VI_PROVIDER, VI_KEY, VI_SHAPE, VI_GATEWAY,
	VI_MAPPINGS, VI_BFD, VI_MTU, VI_REGION, VI_XCSIM, VI_CUSTOMER_ASN,
	VI_CUSTOMER_BGP_ASN, VI_PROVIDER_TYPE, VI_F_MAX };

struct oci_mapping {
	uint32_t customer, oracle;	/* with their prefix lengths */
	uint8_t customer_plen, oracle_plen;
	uint32_t vlan;
	char *md5;		/* bgp_md5auth_key */
	char *cc;		/* cross_connect_or_cross_connect_group_id */
	bool ok;		/* check: same /30 or /31, Oracle first */
	size_t cci;		/* check: index of the cross-connect (dedicated) */
	struct sc_loc loc;
	struct sc_loc vloc[CM_F_MAX];
	uint64_t keys[SC_KEYS_WORDS(CM_F_MAX)];
};

struct oci_vc_knobs {
	sim_time cc_delay, drg_delay;
	struct sc_loc loc;
	struct sc_loc vloc[VX_F_MAX];
	uint64_t keys[SC_KEYS_WORDS(VX_F_MAX)];
};

enum oci_mtu { OCI_MTU_1500 = 1, OCI_MTU_9000 };

/*
 * Who is at the far end of a virtual circuit's mappings: Azure's MSEEs
 * (provider "Microsoft Azure: ExpressRoute", the interconnect), a
 * FastConnect partner (another provider_service_name: its provider
 * service is Layer 2 or Layer 3), or nobody between: a DEDICATED circuit
 * over the customer's own cross-connects at a FastConnect location.
 */
enum oci_vc_kind { OCI_VC_AZURE, OCI_VC_PARTNER, OCI_VC_DEDICATED };
enum oci_ptype { OCI_LAYER2 = 1, OCI_LAYER3 };

/* ---- cross-connects (a colocated customer's ports, dedicated VCs) ---- */

enum { XC_NAME, XC_LOCATION, XC_SPEED, XC_F_MAX };

struct oci_cross_connect {
	char *name;
	char *location;		/* location_name: the FastConnect location */
	char *speed;		/* port_speed_shape_name, e.g. "10 Gbps" */
	/* filled by the check */
	uint64_t bps;		/* 0 when not offered */
	struct sc_loc loc;
	struct sc_loc vloc[XC_F_MAX];
	uint64_t keys[SC_KEYS_WORDS(XC_F_MAX)];
};

struct oci_vc {
	char *name;
	int type;		/* 1 PRIVATE, 2 PUBLIC */
	char *provider;		/* provider_service_name */
	char *key;		/* provider_service_key_name */
	char *shape;		/* bandwidth_shape_name */
	char *gateway;		/* gateway_id: the DRG's name */
	struct oci_mapping *maps;
	size_t n_maps;
	bool bfd;
	int mtu;		/* enum oci_mtu */
	char *region;		/* where it is (OCI's VirtualCircuit.region) */
	struct oci_vc_knobs xcsim;
	uint32_t customer_asn;	/* customer_asn (the far end's ASN) */
	uint32_t customer_bgp_asn;	/* its older name in the API */
	int ptype;		/* provider_service_type, enum oci_ptype */
	/* filled by the check */
	bool ok;
	int kind;		/* enum oci_vc_kind */
	uint32_t asn;		/* the far end's ASN: 12076, or the customer's */
	uint64_t shape_bps;
	size_t drg;		/* index of the DRG */
	size_t att;		/* index + 1 of its attachment, 0 = implicit */
	char circuit[SC_NAME_MAX + 1];	/* the ExpressRoute circuit's name */
	size_t n_circuits;		/* circuits in the scenario (names) */
	/*
	 * Created on the timeline (provision.h): what the check would refuse
	 * at load that OCI refuses at the create instead (the unknown key's
	 * 404, a shape not offered: 400), with its code, for oci_prov.c's
	 * apply; "" when nothing. circuit_later: the circuit is created on
	 * the timeline, this virtual circuit is not.
	 */
	char refusal[400];
	const char *refusal_code;
	bool timeline;		/* a create of the timeline names it */
	bool circuit_later;
	struct sc_loc loc;
	struct sc_loc vloc[VI_F_MAX];
	uint64_t keys[SC_KEYS_WORDS(VI_F_MAX)];
};

/* ---- the section ---- */

enum { OC_REGION, OC_VCNS, OC_INSTANCES, OC_DRGS, OC_VCS, OC_CROSS_CONNECTS,
	OC_CPES, OC_IPSCS, OC_F_MAX };

struct oci_cpe;		/* oci_ipsec.h */
struct oci_ipsc;

/* An accepted update of a list's or NSG's rules (oci_prov_rules.c). */
struct oci_upd {
	const char *key;	/* security_lists | network_security_groups */
	char name[2 * SC_NAME_MAX + 2];	/* VCN/NAME */
	sim_time at;		/* its completion: the new version from then */
	const struct prov_kv *set;	/* the plan's, alive with it */
	size_t n_set;
};

struct oci_sc {
	char *region;
	struct oci_vcn *vcns;
	size_t n_vcns;
	struct oci_instance *insts;
	size_t n_insts;
	struct oci_drg *drgs;
	size_t n_drgs;
	struct oci_vc *vcs;
	size_t n_vcs;
	struct oci_cross_connect *ccs;
	size_t n_ccs;
	struct oci_cpe *cpes;
	size_t n_cpes;
	struct oci_ipsc *ipscs;		/* ip_sec_connections */
	size_t n_ipscs;
	bool checked;		/* the check ran without error */
	struct oci_upd *upds;	/* the timeline's accepted rule updates */
	size_t n_upds;
	struct sc_loc loc;
	struct sc_loc vloc[OC_F_MAX];
	uint64_t keys[SC_KEYS_WORDS(OC_F_MAX)];
};

extern const struct sc_table oci_table;
extern const char *const oci_att_types[];	/* index = type - 1 */

/* oci_check.c */
void oci_check(struct sc_check *ck, struct sc_section_data *d);
/*
 * oci_check_vc.c: the cross-connects (before the virtual circuits, which
 * name them); virtual circuit ci; then each one's /30s vs its DRG's VCNs.
 */
void oci_check_cross_connects(struct sc_check *ck, struct oci_sc *o);
void oci_check_vc(struct sc_check *ck, struct oci_sc *o, size_t ci);
void oci_check_map_vcns(struct sc_check *ck, struct oci_sc *o,
    struct oci_vc *c);
/* The VCN, subnet index of "vcn/subnet"; false if none. */
bool oci_find_subnet(const struct oci_sc *o, const char *path, size_t *vcn,
    size_t *sn);
/* The 3 addresses OCI keeps in every subnet (2.5): network, .1, last. */
bool oci_reserved(uint32_t net, uint8_t plen, uint32_t addr);
/* The DRG route table (index into the DRG's, OCI_DRG_AUTO first) an
 * attachment of this type uses when it names none. */
size_t oci_default_table(int att_type);
/*
 * Whether DRG route table `table` imports the routes of attachment a (an
 * index into g->atts, or SIZE_MAX for a virtual circuit attached without
 * an entry there) of the given type.
 */
bool oci_table_imports(const struct oci_drg *g, size_t table, int type,
    size_t a);
/* Name of DRG route table k of g (the autogenerated ones first). */
const char *oci_table_name(const struct oci_drg *g, size_t k);

/*
 * oci_prov_rules.c: the timeline's updates of security lists' and NSGs'
 * rules. A rule is RULE = ingress-K / egress-K of list or NSG KEY/NAME
 * (VCN/NAME). Its versions: 0 when no update touches the list, else one
 * more than the list's accepted updates; version ver of rule (dir, k)
 * into *out (the file's rule with the first ver updates' fields), held
 * in [*from, *to) (*to -1: to the end). Reset before each plan.
 */
struct prov_kv;
const struct oci_rule *oci_rules_find(const struct oci_sc *o,
    const char *key, const char *name, int dir, size_t k);
size_t oci_rules_versions(const struct oci_sc *o, const char *key,
    const char *name);
bool oci_rules_touched(const struct oci_sc *o, const char *key,
    const char *name, int dir, size_t k);
void oci_rules_version(const struct oci_sc *o, const char *key,
    const char *name, int dir, size_t k, size_t ver, struct oci_rule *out,
    sim_time *from, sim_time *to);
void oci_rules_reset(struct oci_sc *o);

/* oci_prov.c: the resources for the timeline (provision.h) */
struct prov_cloud;
extern const struct prov_cloud oci_prov_cloud;

/* oci_expand.c, oci_expand_drg.c */
void oci_expand(struct sc_expand *ex, const void *items, size_t n);
void oci_expand_vcn(struct sc_expand *ex, const struct oci_sc *o, size_t v);
void oci_expand_instance(struct sc_expand *ex, const struct oci_sc *o,
    size_t i);
void oci_expand_drg(struct sc_expand *ex, const struct oci_sc *o, size_t g);
void oci_expand_vc(struct sc_expand *ex, const struct oci_sc *o, size_t c);
/* The /30 k of IC_BLOCK_OCI used by VCN v's DRG link / VC c's path p. */
uint32_t oci_p2p_vcn(const struct oci_sc *o, size_t v, uint32_t *drg_side);
uint32_t oci_p2p_vc(const struct oci_sc *o, size_t c, enum ic_path p,
    uint32_t *drg_side);

#endif
