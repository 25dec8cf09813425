/*
 * oci.h - the `oci` scenario section: an Oracle Cloud tenancy written in
 * OCI API terms (VCNs with subnets, route tables, security lists and
 * network security groups; instances with VNICs; DRGs with attachments,
 * DRG route tables and route distributions; FastConnect virtual circuits),
 * checked as OCI checks it and expanded into the low-level items that
 * behave as it does (scenario_expand.h; docs/oci.md says what each
 * resource becomes, by name).
 *
 * What the Azure model needs from it: the private peering a FastConnect
 * virtual circuit carries for an ExpressRoute circuit, which on the Azure
 * side "appears automatically" once the provider is Oracle (cloud-facts
 * 3.1), so the MSEE side of the expansion is filled from it.
 */
#ifndef XCSIM_OCI_H
#define XCSIM_OCI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "interconnect.h"

struct scenario;

/* Registers the `oci` section. 0, or -1 if the name is taken. */
int oci_scenario_register(void);

/*
 * The private peering that the scenario's FastConnect virtual circuit for
 * ExpressRoute circuit `circuit` carries. A virtual circuit belongs to the
 * circuit when its provider_service_key_name is the circuit's service key
 * (ic_service_key(seed, circuit), what a user copies from Azure, B2) or,
 * for hand-written scenarios, the circuit's name itself. Filled from the
 * circuit's cross_connect_mappings: the first mapping is the primary path,
 * the second the secondary (plen[IC_SECONDARY] 0 when the VC has only
 * one); per path prefix/plen of the /30 or /31, msee_addr the
 * customer_bgp_peering_ip (the customer of the VC is Microsoft), peer_addr
 * the oracle_bgp_peering_ip; vlan the mapping's vlan (the first mapping's
 * when they differ), stag 0, peer_asn IC_ASN_ORACLE (31898, 2.2), md5_key
 * the bgp_md5auth_key or "". false (and *out untouched) when no virtual
 * circuit matches (one created on the timeline whose create OCI refuses
 * for what the check found, oci_vc.refusal, matches nothing), or sc has
 * no oci section. sc is the scenario as walked
 * (sc_ex_scenario during an expansion); the oci section's values are read
 * only where they were written without error.
 */
bool oci_vc_peering(const struct scenario *sc, const char *circuit,
    uint64_t seed, struct ic_peering *out);

/*
 * Will the oci expansion make a node called name (a VCN, an instance, a
 * DRG, an Oracle edge)? For the azure expansion, which runs first: a NIC
 * named so gets no alias, as a NIC named like an azure node. false when
 * the oci section is absent or has errors (it expands nothing then).
 */
bool oci_node_named(const struct scenario *sc, const char *name);

/*
 * For the providers section's check and expansion (a side's
 * virtual_circuit): the virtual circuit called name of the oci section.
 * OCI_VC_FOUND: it is there; *partner true when its far end is a
 * FastConnect partner (not Azure's interconnect, not a dedicated circuit),
 * *n_vcs the section's virtual circuits (its Oracle edges' names count
 * them: ic_oracle_edge_name). OCI_VC_UNKNOWN: the section (or the file)
 * has none of that name. OCI_VC_UNJUDGED: the oci section's check found
 * errors (reported there): nothing can be said. oci_vc_dym: " (did you
 * mean 'x'?)" in buf for an unknown name, or "".
 */
enum oci_vc_find { OCI_VC_UNKNOWN, OCI_VC_FOUND, OCI_VC_UNJUDGED };
enum oci_vc_find oci_vc_find(const struct scenario *sc, const char *name,
    bool *partner, size_t *n_vcs);
struct sc_check;
const char *oci_vc_dym(struct sc_check *ck, char *buf, size_t len,
    const char *name);

/*
 * The OCI VPN headend whose public address (an IPSec tunnel's vpn_ip) is
 * ip, for the azure expansion (a local network gateway's
 * gateway_ip_address; it links the VPN gateway to it): its node's name
 * into node (len bytes) and the section's region in *region (NULL when
 * not given). false when no tunnel has that address.
 */
bool oci_vpn_headend_at(const struct scenario *sc, uint32_t ip, char *node,
    size_t len, const char **region);

#endif
