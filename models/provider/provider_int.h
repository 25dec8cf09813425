/*
 * provider_int.h - what the providers section's files share: the parsed
 * items, and the names, addresses and labels the expansion writes and
 * the build finds again (both derive them from the item alone).
 */
#ifndef XCSIM_PROVIDER_INT_H
#define XCSIM_PROVIDER_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "scenario.h"
#include "scenario_fields.h"
#include "units.h"

enum { PV_KIND_L3 = 1, PV_KIND_L2 = 2 };
enum { PV_VRFS_SHARED = 1, PV_VRFS_SEPARATE = 2 };

#define PV_PATHS 2		/* primary, secondary (interconnect.h) */
#define PV_SIDES 2
#define PV_HOPS_MAX 16
#define PV_LABEL_VPN_BASE 1000u	/* per-VRF VPN label: base + VRF index */
#define PV_NAME_LEN (SC_NAME_MAX + 1)

enum { CO_HOPS, CO_HOP_DELAY, CO_SPAN_DELAY, CO_RATE, CO_MTU, CO_F_MAX };
struct pv_core {
	uint32_t hops;
	sim_time hop_delay, span_delay;
	uint64_t rate;
	uint32_t mtu;
	struct sc_loc loc;
	struct sc_loc vloc[CO_F_MAX];
	uint64_t keys[SC_KEYS_WORDS(CO_F_MAX)];
};

enum { SD_NAME, SD_CIRCUIT, SD_VC, SD_PRIMARY, SD_SECONDARY, SD_DELAY, SD_RATE,
	SD_PREFIX_LIMIT, SD_F_MAX };
struct pv_side {
	char *name;
	char *circuit;			/* an azure ExpressRoute circuit */
	char *vc;			/* an oci virtual circuit */
	char *peer_node[PV_PATHS];	/* or node:iface per path */
	char *peer_if[PV_PATHS];
	sim_time delay;
	uint64_t rate;
	uint32_t prefix_limit;		/* 0: none */
	struct sc_loc loc;
	struct sc_loc vloc[SD_F_MAX];
	uint64_t keys[SC_KEYS_WORDS(SD_F_MAX)];
};

enum { CU_NODE, CU_ASN, CU_AT, CU_DELAY, CU_F_MAX };
struct pv_customer {
	char *node;
	uint32_t asn;
	char *at;			/* a side's name */
	sim_time delay;
	struct sc_loc loc;
	struct sc_loc vloc[CU_F_MAX];
	uint64_t keys[SC_KEYS_WORDS(CU_F_MAX)];
};

enum { PV_NAME, PV_KIND, PV_ASN, PV_VRFS, PV_TTL, PV_BLOCK, PV_CORE,
	PV_SIDES_F, PV_CUSTOMER, PV_F_MAX };
struct pv_provider {
	char *name;
	int kind;
	uint32_t asn;
	int vrfs;
	bool ttl_propagate;
	uint32_t block;
	uint8_t block_plen;
	struct pv_core core;
	struct pv_side *sides;
	size_t n_sides;
	struct pv_customer customer;
	struct sc_loc loc;
	struct sc_loc vloc[PV_F_MAX];
	uint64_t keys[SC_KEYS_WORDS(PV_F_MAX)];
};

/* Does the provider have a customer router? */
static inline bool
pv_has_customer(const struct pv_provider *p)
{
	return sc_key_given(p->keys, PV_CUSTOMER);
}

/* VRFs: one shared (named after the provider), or one per side. */
size_t pv_n_vrfs(const struct pv_provider *p);
const char *pv_vrf_name(const struct pv_provider *p, size_t v);
/* The VRF side s's cloud is in. */
size_t pv_side_vrf(const struct pv_provider *p, size_t s);

/* Node names (buf PV_NAME_LEN). */
char *pv_pe_name(char *buf, const struct pv_provider *p, size_t side,
    size_t path);
char *pv_p_name(char *buf, const struct pv_provider *p, size_t hop,
    size_t path);		/* hop 1..hops */
/* kind l2: the switch of side s on path; its ports */
char *pv_sw_name(char *buf, const struct pv_provider *p, size_t side,
    size_t path);
#define PV_IF_SW_CUST "customer"
#define PV_IF_SW_CLOUD "cloud"
/* PE interface names: the core port, a VRF's way into the core. */
#define PV_IF_CORE "core"
#define PV_IF_CLOUD "cloud"
char *pv_vrf_if(char *buf, const struct pv_provider *p, size_t v);
char *pv_cust_if(char *buf, const struct pv_provider *p, size_t v);
/* P interfaces toward side 0 and side 1. */
#define PV_IF_A "a"
#define PV_IF_B "b"

/*
 * The transport label P router `hop` (1-based) gives the path toward side
 * `toward` (0 or 1): distinct per hop and direction, so a pcap shows the
 * swaps.
 */
static inline uint32_t
pv_transport_label(size_t hop, size_t toward)
{
	return 16u + 2u * (uint32_t)(hop - 1) + (uint32_t)toward;
}

/* The k-th /30 of the provider's block: lo first usable, hi second. */
void pv_p2p(const struct pv_provider *p, uint32_t k, uint32_t *lo,
    uint32_t *hi);
/* /30 indexes: a VRF's core ends, a customer attachment. */
static inline uint32_t
pv_k_vrf(size_t path, size_t v)
{
	return (uint32_t)(path * 8 + v);
}

static inline uint32_t
pv_k_cust(size_t path, size_t v)
{
	return (uint32_t)(16 + path * 8 + v);
}

/*
 * The node of virtual circuit vc's Oracle edge on path (buf PV_NAME_LEN),
 * as the oci expansion names it (one VC or several); NULL when it makes
 * none.
 */
const char *pv_vc_edge(char *buf, const struct scenario *sc, const char *vc,
    size_t path);

/* Each core link's one-way delay: hop_delay, or span_delay split. */
sim_time pv_core_link_delay(const struct pv_provider *p, size_t k);
/* The core's whole one-way delay (kind l2: the Ethernet service's). */
sim_time pv_core_delay(const struct pv_provider *p);

#endif
