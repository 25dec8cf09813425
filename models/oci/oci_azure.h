/*
 * oci_azure.h - what the oci section asks of the azure section: the
 * ExpressRoute circuit a FastConnect virtual circuit's service key names,
 * the VNets' address spaces a VCN must not overlap.
 */
#ifndef XCSIM_OCI_AZURE_H
#define XCSIM_OCI_AZURE_H

#include <stdbool.h>

#include "oci_int.h"

/*
 * Resolve c->key to the scenario's ExpressRoute circuit (its service key
 * ic_service_key(seed, name), or its name), fill c->circuit and
 * c->n_circuits; or, in a scenario without azure circuits, to hand-written
 * MSEE nodes named as the azure expansion would name them (docs/oci.md).
 * Errors at the key as OCI answers an unknown key: 404 (B2); with defer
 * (the virtual circuit is created on the timeline) an unknown key of the
 * azure circuits is no error but c->refusal, which the create refuses
 * (oci_prov.c). true if found.
 */
bool oci_match_circuit(struct sc_check *ck, const struct scenario *sc,
    struct oci_vc *c, bool defer);

/*
 * The virtual circuit's region (its own, else the section's) is one the
 * table knows, pairs with its circuit's peering_location (3.1, 3.2;
 * oci_location.c) and, given its own, is the section's (its DRG's): true, or
 * false after the error (at load) or, for one the timeline creates,
 * c->refusal (OCI's 400 at the create). Call after oci_match_circuit.
 */
bool oci_check_location(struct sc_check *ck, const struct scenario *sc,
    const struct oci_sc *o, struct oci_vc *c);

/*
 * Each VCN CIDR overlapping an address space of a VNet of the scenario's
 * azure section is an error at the VCN's CIDR (3.2: the two clouds' address
 * spaces must not overlap), each peering /30 of a checked virtual circuit
 * overlapping one an error at the mapping (1.3). Nothing without the azure
 * model.
 */
void oci_check_vnet_overlap(struct sc_check *ck, const struct scenario *sc,
    const struct oci_sc *o);

#endif
