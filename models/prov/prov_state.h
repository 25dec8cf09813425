/*
 * prov_state.h - resources with named state fields that change on a
 * timeline, written to the trace (prov_state records), followed live where
 * a field mirrors a BGP session, queried at any time and asserted: the
 * `resources` section of a scenario file, the `resource-state` and
 * `operation` assertion kinds, and what `xcsim state` prints. See
 * docs/resources.md (and docs/provisioning.md, "The low-level form").
 *
 *   resources:
 *     - name: express_route_circuits/er-ashburn   # unique identity
 *       type: ExpressRouteCircuit                 # free text
 *       title: ExpressRoute circuit er-ashburn    # for narration; default name
 *       nodes: [msee-primary, msee-secondary]     # its tiles; may be empty
 *       states:                  # times non-decreasing; set field = value
 *         - { at: 0s, field: provisioningState, value: Updating, op: create }
 *         - { at: 20s, field: provisioningState, value: Succeeded, op: create }
 *       follow:                  # fields that mirror BGP sessions live
 *         - field: bgpSessionState
 *           sessions: [{ node: oracle-edge-primary, peer: 169.254.0.2 }]
 *           when: any            # any | all of them Established -> up
 *           up: UP
 *           down: DOWN
 *       notes:                   # narration at a time (trace annotations)
 *         - { at: 20s, text: "service key issued: billing starts" }
 *
 * At run time every state change (and every change of a followed field)
 * writes one prov_state record per node of `nodes` (the trace's keyed
 * state, so a viewer seeking anywhere sees the right states), or one with
 * TRACE_NO_ID when nodes is empty; `op` goes into the record's state text
 * as "value (op)" only in the annotation, never in the keyed value. A
 * note is one annotation on the first node (or on none).
 *
 * Assertion kinds:
 *   resource-state  { resource, field, value, at }: the field's value at
 *                   `at` (default: the end of the run) is value.
 *   operation       { op, resource, at, outcome, error, expect,
 *                     expect_error }: what the timeline compiled for one
 *                   operation (outcome succeeded | refused, with the
 *                   cloud's error text) against what the scenario
 *                   expected (expect succeeded | refused, and a substring
 *                   of the error); fails when they differ, saying both.
 *
 * Nothing here knows a cloud: field names, values and texts are the
 * caller's (models/prov/provision.h writes them in the clouds' words).
 */
#ifndef XCSIM_PROV_STATE_H
#define XCSIM_PROV_STATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "units.h"

struct sc_build;
struct sc_judge;
struct prov_states;

/* Registers the section and the two assertion kinds; 0, or -1. */
int prov_state_scenario_register(void);

/* What the resources section kept for the run (NULL: no resources). */
struct prov_states *prov_states_of_build(const struct sc_build *b);
struct prov_states *prov_states_of_judge(const struct sc_judge *j);

size_t prov_n_resources(const struct prov_states *ps);
/* Index of the resource called name, or -1. */
long prov_find(const struct prov_states *ps, const char *name);
const char *prov_resource_name(const struct prov_states *ps, size_t i);
const char *prov_resource_type(const struct prov_states *ps, size_t i);
const char *prov_resource_title(const struct prov_states *ps, size_t i);

/* Whether resource i shows on the node called node (its `nodes`). */
bool prov_resource_on(const struct prov_states *ps, size_t i,
    const char *node);

/*
 * The value of field of resource i at the simulation's current time (or
 * at `at` <= now, from its history), NULL when it has none yet; *since
 * (may be NULL) the time it took that value.
 */
const char *prov_field_at(const struct prov_states *ps, size_t i,
    const char *field, sim_time at, sim_time *since);
/* Its fields, in the order they first appeared: how many, and the k-th. */
size_t prov_n_fields(const struct prov_states *ps, size_t i);
const char *prov_field_name(const struct prov_states *ps, size_t i,
    size_t k);

/*
 * The first state change of resource i written for a time after `after`
 * (its `states`, whether or not the run got there): when, the field, the
 * value and the operation (NULL when the state names none). false when
 * none is left. What `xcsim routes` says a resource is waiting for.
 */
struct prov_change {
	sim_time at;
	const char *field, *value, *op;
};
bool prov_next_change(const struct prov_states *ps, size_t i,
    sim_time after, struct prov_change *c);

/*
 * What `xcsim state` prints at time at: every resource (or the one called
 * only, when not NULL) with its fields, values and since-times, as text
 * columns or as JSON. 0, or -1 when only names no resource.
 */
int prov_states_print(const struct prov_states *ps, sim_time at,
    const char *only, bool json, FILE *out);

#endif
