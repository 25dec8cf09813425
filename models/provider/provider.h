/*
 * provider.h - the `providers` section of a scenario file: connectivity
 * providers between the clouds, written in the provider's terms and
 * expanded into nodes, links and BGP (scenario_expand.h); docs/provider.md.
 *
 * kind l3 (an IP VPN over MPLS, facts B7, 1.7): per cloud side a primary
 * and a secondary PE router, an MPLS core of P routers per path (label
 * switched over ports, provider_mpls.h), one shared VRF or one VRF per
 * cloud, eBGP from each PE to its cloud's edge (the provider configures
 * the Azure side of the private peering: .1/.5 on the PE, .2/.6 on the
 * MSEE), iBGP per VRF between the PEs of a path across the core, and an
 * optional customer router attached to every VRF.
 *
 * kind l2 (an Ethernet service, 1.7): per cloud side and path a provider
 * switch between the customer's router and the cloud's edge, pushing and
 * popping the edge's S-tag (QinQ); the customer's router runs eBGP with
 * each cloud.
 *
 * The expansion makes the topology and the data plane's provider_devices
 * items; those build the core's label switching and the switches at run
 * time, so `xcsim expand`'s output runs as it is.
 */
#ifndef XCSIM_PROVIDER_H
#define XCSIM_PROVIDER_H

struct sc_section;

extern const struct sc_section provider_section;
/*
 * provider_devices: the data plane the expansion writes, one item per
 * node: a P router's LFIB, a PE's core port and VRFs, an Ethernet switch
 * (provider_devices.c); built at run time over ports.
 */
extern const struct sc_section provider_devices_section;
/*
 * How a path query crosses a PE's VRF interface into the core
 * (query_cross.h): along the LSP its labels take to the far PE's VRF.
 */
struct query_crossing;
extern const struct query_crossing provider_devices_crossing;

/* Registers both sections; 0, or -1 if a name is taken. */
int provider_scenario_register(void);

#endif
