/*
 * interconnect.h - what the Azure and OCI models share about the
 * interconnect between an ExpressRoute circuit and a FastConnect virtual
 * circuit: the names of the routers and interfaces the expansion makes, the
 * circuit's service key, the private peering's addressing, the internal
 * address blocks and the default delays. Both models/azure and models/oci
 * build from these, so that one can find what the other made
 * (sc_ex_find) and the names in pcap files, the trace and the viewer are
 * the clouds' own.
 *
 * Facts (../shared/facts/cloud-facts.md): the interconnect is an ordinary
 * ExpressRoute circuit whose provider is "Oracle Cloud FastConnect" joined
 * to a FastConnect private virtual circuit whose provider is "Microsoft
 * Azure: ExpressRoute" by the circuit's service key (3.1); in each /30 of
 * the private peering Oracle takes the first usable address and the MSEE
 * the second (3.1, 3.3, B2); the MSEEs are AS 12076, Oracle's edge AS 31898,
 * the ExpressRoute gateway AS 65515 (1.4, 2.2, 3.3); the peering's VLAN is
 * the inner tag under the circuit's S-tag (1.5, 1.8).
 */
#ifndef XCSIM_INTERCONNECT_H
#define XCSIM_INTERCONNECT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "units.h"

#define IC_ASN_MICROSOFT 12076u	/* every ExpressRoute peering (1.4) */
#define IC_ASN_ORACLE 31898u		/* OCI commercial realm (2.2) */
#define IC_ASN_AZURE_GW 65515u		/* ExpressRoute/VPN gateways (3.3) */

#define IC_PROVIDER_ORACLE "Oracle Cloud FastConnect"	/* on the circuit */
#define IC_PROVIDER_AZURE "Microsoft Azure: ExpressRoute" /* on the VC */

enum ic_path { IC_PRIMARY = 0, IC_SECONDARY = 1 };
extern const char *const ic_path_name[2];	/* "primary", "secondary" */

/*
 * Node names. With one circuit (one virtual circuit) in the scenario the
 * routers are "msee-primary", "msee-secondary" ("oracle-edge-primary",
 * ...); with several, the resource's name is put in front
 * ("er-ashburn-msee-primary"). n_resources is how many circuits (virtual
 * circuits) the scenario has. Writes at most len bytes; returns buf.
 */
char *ic_msee_name(char *buf, size_t len, const char *circuit,
    size_t n_resources, enum ic_path path);
char *ic_oracle_edge_name(char *buf, size_t len, const char *vc,
    size_t n_resources, enum ic_path path);

/*
 * Interface names on those routers:
 *   MSEE:        IC_IF_PEERING toward the peering's far end (the Oracle
 *                edge, or a customer/provider router written by hand),
 *                and one interface per gateway connected to the circuit,
 *                named after the gateway;
 *   Oracle edge: IC_IF_PEERING toward the MSEE, IC_IF_DRG toward the DRG.
 */
#define IC_IF_PEERING "private-peering"
#define IC_IF_DRG "drg"

/*
 * The circuit's service key: a GUID (8-4-4-4-12 lower-case hex, version 4
 * and variant bits set) drawn from the scenario's seed and the circuit's
 * name, so it is the same for the same seed and differs between circuits.
 * out holds 37 bytes.
 */
void ic_service_key(uint64_t seed, const char *circuit, char out[37]);

/*
 * A private peering as the MSEEs see it: per path the /30 (or /31), the
 * MSEE's address and its neighbour's; the VLAN (inner C-tag), the S-tag,
 * the neighbour's ASN and the optional MD5 key (empty = none). For the
 * Oracle provider it is filled from the virtual circuit's
 * cross_connect_mappings (the peering "appears automatically", 3.1).
 */
struct ic_peering {
	uint32_t prefix[2];	/* per path, network address */
	uint8_t plen[2];	/* 30 or 31 */
	uint32_t msee_addr[2];	/* second usable (.2 of a /30) */
	uint32_t peer_addr[2];	/* first usable (.1): Oracle or the CE */
	uint16_t vlan;		/* C-tag, 1..4094 */
	uint16_t stag;		/* S-tag, 0 = plain 802.1Q */
	uint32_t peer_asn;
	char md5_key[81];	/* up to 80 characters (2.3) */
};

/*
 * Internal addressing, which neither cloud publishes: point-to-point /30s
 * carved in order out of 169.254.240.0/20 for gateway<->MSEE links, out of
 * 169.254.248.0/21 for Oracle edge<->DRG and DRG<->VCN links. ic_p2p gives
 * the k-th /30 of a block: *lo its first usable address, *hi its second.
 */
#define IC_BLOCK_MS 0xa9fef000u	/* 169.254.240.0/20 */
#define IC_BLOCK_OCI 0xa9fef800u	/* 169.254.248.0/21 */
void ic_p2p(uint32_t block, uint32_t k, uint32_t *lo, uint32_t *hi);

/*
 * Default one-way delays of the spans the expansion makes, overridable per
 * resource under its `xcsim:` key. They add up to a VM-to-instance RTT of
 * about 1.6 ms in one metro, inside the "sub-2 ms" / "single-digit ms" the
 * facts report for the interconnect (3.4, B9); the in-region spans follow
 * the measured Azure same-AZ RTT of about 0.3 ms (B9).
 */
#define IC_DELAY_HOST SIM_US(40)	/* VM<->VNet, instance<->VCN */
#define IC_DELAY_FABRIC SIM_US(30)	/* VNet<->gateway, VCN<->DRG */
#define IC_DELAY_BACKBONE SIM_US(500)	/* gateway<->MSEE (region to peering location) */
#define IC_DELAY_CROSS_CONNECT SIM_US(20) /* MSEE<->Oracle edge (same metro) */
#define IC_DELAY_ORACLE SIM_US(200)	/* Oracle edge<->DRG (location to region) */
#define IC_RATE_FABRIC (100ULL * 1000 * 1000 * 1000)	/* 100 Gbit/s */
#define IC_RATE_PORT (10ULL * 1000 * 1000 * 1000)	/* 10 Gbit/s ports */

#endif
