/*
 * rt_scenario.h - the `route_tables` section of a scenario file: per node
 * and VRF, static routes and imports of other nodes' routes with source
 * names, preferences and next hop types (route_tables.h,
 * docs/route-tables.md).
 *
 * It builds with the network (SC_PHASE_NET), before the applications and
 * so before any BGP speaker: an import names the sources it follows and
 * hears a speaker's routes whenever they come. Its run state is the
 * struct route_tables (sc_judge_state / sc_build_state "route_tables"),
 * for route queries (route_tables_explain).
 */
#ifndef XCSIM_RT_SCENARIO_H
#define XCSIM_RT_SCENARIO_H

#include <stdbool.h>

struct scenario;
struct sc_node;
struct sc_section;

extern const struct sc_section rt_sc_section;

/* Registers the section; 0, or -1 if its name is taken. */
int route_tables_scenario_register(void);

/*
 * Does node nd of the file have vrf (NULL or "default": always): an
 * interface in it or a route_tables item for it? For other sections'
 * checks (prefix sets following a VRF's routes).
 */
bool route_tables_sc_has_vrf(const struct scenario *sc,
    const struct sc_node *nd, const char *vrf);

/*
 * Does an item of the file put routes of source on node's vrf (NULL: the
 * default VRF)? For other sections' checks (bgp redistribute).
 */
bool route_tables_sc_has_source(const struct scenario *sc, const char *node,
    const char *vrf, const char *source);

#endif
