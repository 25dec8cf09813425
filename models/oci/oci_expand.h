/*
 * oci_expand.h - what the two expansion files of the oci section share:
 * the names they give and small builders of low-level items
 * (scenario_expand.h), each placed at the resource it came from.
 */
#ifndef XCSIM_OCI_EXPAND_H
#define XCSIM_OCI_EXPAND_H

#include "oci_int.h"
#include "scenario_expand.h"


/* Source names and preferences in the DRG route tables (B6, docs/oci.md). */
#define OCI_SRC_DRG_STATIC "static"
#define OCI_SRC_VCN "vcn"
#define OCI_SRC_VC "virtual_circuit"
#define OCI_SRC_EDGE "drg"		/* on the Oracle edges */
#define OCI_PREF_DRG_STATIC 5
#define OCI_PREF_VCN 20
#define OCI_PREF_VC 30

const char *oci_ip(char *buf, size_t len, uint32_t a);
/* map[key] = "a.b.c.d/plen", or "a.b.c.d" when plen < 0. */
void oci_set_ip(struct sc_expand *ex, int map, const char *key, uint32_t a,
    int plen);
void oci_set_time(struct sc_expand *ex, int map, const char *key,
    sim_time t);
void oci_set_rate(struct sc_expand *ex, int map, const char *key,
    uint64_t bps);
/* A new item of nodes / links / route_tables; an interface, a route. */
int oci_node(struct sc_expand *ex, const struct oci_sc *o, struct sc_loc loc,
    const char *name, const char *role);
int oci_iface(struct sc_expand *ex, int ifs, struct sc_loc loc,
    const char *name, uint32_t addr, int plen, const char *vrf);
/* Link a_node:a_if -- b_node:b_if, named "a_node.a_if". */
int oci_link(struct sc_expand *ex, struct sc_loc loc, const char *a_node,
    const char *a_if, const char *b_node, const char *b_if, sim_time delay,
    uint64_t rate);
int oci_route_table(struct sc_expand *ex, struct sc_loc loc,
    const char *node, const char *vrf);
/*
 * The gate of resource KEY/PARENT/NAME (PARENT may be NULL) for the items
 * it expands into, NULL when it has none (provision.h prov_gate: no
 * timeline, or it carries from time zero to the end); oci_gate puts it on
 * item as `gate` when there is one.
 */
const char *oci_gate_of(struct sc_expand *ex, const char *key,
    const char *parent, const char *name);
void oci_gate(struct sc_expand *ex, int item, const char *gate);
/* An item of aliases naming node's VRF (the caller sets name, what). */
int oci_alias(struct sc_expand *ex, struct sc_loc loc, const char *node,
    const char *vrf);
int oci_route(struct sc_expand *ex, int routes, struct sc_loc loc,
    uint32_t pfx, uint8_t plen, const char *source, unsigned pref,
    const char *nh_type);

#endif
