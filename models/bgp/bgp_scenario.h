/*
 * bgp_scenario.h - BGP in scenario files: the `prefix_lists`, `policies`
 * and `bgp` sections and the `bgp-established`, `route`, `failover` and
 * `converged` assertion kinds.
 *
 * A `bgp` item is one speaker (bgp_speaker.h) on a node and VRF, with its
 * neighbours, the prefixes it originates and the policies (by name) its
 * sessions use. The section builds the speakers with the applications
 * (SC_PHASE_APPS, so captures and the TCP trace see their first SYN),
 * shares the `bfd` section's struct bfd when there is one, gives every
 * node running BGP TCP data_retries 15 (Linux's tcp_retries2, so TCP does
 * not give up on a peer before a 180 s hold timer does), keeps every
 * Loc-RIB change of every speaker with its simulated time for the
 * assertions and writes "bgp" into metrics.json: per session time to
 * Established, messages, prefixes, flaps and NOTIFICATIONs, and per
 * timeline event the convergence time. See docs/bgp-scenario.md.
 */
#ifndef XCSIM_BGP_SCENARIO_H
#define XCSIM_BGP_SCENARIO_H

#include <stdbool.h>

struct scenario;
struct sc_section;

extern const struct sc_section bgp_sc_section;

/* Registers the sections and the kinds; 0, or -1 if a name is taken. */
int bgp_scenario_register(void);

/*
 * Does the file have a bgp speaker on node's vrf (NULL: the default VRF)?
 * For other sections' checks: its routes are source "bgp" there.
 */
bool bgp_scenario_has_speaker(const struct scenario *sc, const char *node,
    const char *vrf);

#endif
