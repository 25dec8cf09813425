/*
 * azure.h - the `azure` section of a scenario file: Azure virtual
 * networks, NSGs, route tables, VMs, ExpressRoute gateways, circuits and
 * connections written in ARM terms (snake_case of the ARM field names),
 * checked with the cloud's own rules and expanded into the low-level items
 * they stand for (nodes, links, bgp, route_tables, acls, acl_bindings,
 * prefix_sets; scenario_expand.h). See docs/azure.md.
 *
 * The section is one mapping. Nothing of it is built at run time: the
 * expansion is the build.
 */
#ifndef XCSIM_AZURE_H
#define XCSIM_AZURE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct scenario;
struct sc_section;

extern const struct sc_section azure_section;

/* Registers the section; 0, or -1 if the name is taken. */
int azure_scenario_register(void);

/*
 * The ExpressRoute circuits of a loaded scenario, in file order, for the
 * OCI model (a FastConnect virtual circuit names one by its service key,
 * interconnect.h ic_service_key): how many, and the name and
 * service_provider_name of the i-th (NULL past the last), and its
 * peering_location (NULL when not given).
 */
size_t azure_n_circuits(const struct scenario *sc);
const char *azure_circuit_name(const struct scenario *sc, size_t i);
const char *azure_circuit_provider(const struct scenario *sc, size_t i);
const char *azure_circuit_location(const struct scenario *sc, size_t i);

/*
 * The address spaces of the scenario's VNets, for the OCI model (a VCN's
 * CIDRs must not overlap a VNet's: 3.2): how many prefixes over all
 * VNets, in file order, and the i-th with the VNet's name (false past the
 * last). Only the prefixes the azure check accepted: the azure section is
 * registered, hence checked, before the oci one.
 */
size_t azure_n_vnet_prefixes(const struct scenario *sc);
/*
 * The Azure VPN gateway whose public_ip_address is ip, for the OCI model
 * (a CPE's ip_address): its node's name and its VNet's location (NULL
 * when not given) in *location; NULL when none.
 */
const char *azure_vpn_gateway_at(const struct scenario *sc, uint32_t ip,
    const char **location);
bool azure_vnet_prefix(const struct scenario *sc, size_t i, uint32_t *net,
    uint8_t *plen, const char **vnet);

#endif
