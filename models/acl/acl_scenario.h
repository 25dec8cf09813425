/*
 * acl_scenario.h - the `prefix_sets`, `acls` and `acl_bindings` sections
 * of a scenario file (docs/acl.md), built on acl.h.
 */
#ifndef XCSIM_ACL_SCENARIO_H
#define XCSIM_ACL_SCENARIO_H

#include "acl.h"
#include "scenario_section.h"

extern const struct sc_section acl_sc_prefix_sets, acl_sc_acls,
    acl_sc_bindings;

/* Registers the three sections, in that order. 0, or -1 if a name is taken. */
int acl_scenario_register(void);

/*
 * The binding built on node:iface, or NULL: state is what the
 * acl_bindings section kept for the run (sc_judge_state(j,
 * "acl_bindings")), for queries such as acl_explain.
 */
struct acl_binding *acl_scenario_binding(void *state, const char *node,
    const char *iface);

#endif
