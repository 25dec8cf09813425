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
 *
 * The transport of a speaker is the node's simulated TCP unless a
 * registered transport provider gives another stream host for the node:
 * that is how emulation (models/emu, the `emulation` section's
 * bgp_sockets) puts a speaker on real sockets without this model knowing
 * of it. A neighbour with `transport: simulated` keeps the simulated TCP.
 */
#ifndef XCSIM_BGP_SCENARIO_H
#define XCSIM_BGP_SCENARIO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct node;
struct scenario;
struct sc_build;
struct sc_section;
struct stream_host;

extern const struct sc_section bgp_sc_section;

/*
 * A transport provider. host() is asked, at the bgp section's build
 * (SC_PHASE_APPS, so a provider's own section built in SC_PHASE_NET has
 * its state: sc_build_state), for the stream host node n's speaker uses;
 * NULL leaves it to the next provider and finally to the simulated TCP.
 *
 * The host must outlive the speaker. States are freed in reverse
 * registration order, so the section whose state owns the hosts (section)
 * must be registered before bgp: bgp's build enforces it, aborting
 * (SIM_ASSERT, a start-up ordering bug, not an input error) when a
 * registered provider's section is missing or comes after bgp.
 */
struct bgp_sc_provider {
	const char *name;	/* for messages */
	struct stream_host *(*host)(const struct sc_build *b,
	    const struct node *n);
	/* the section (by name) whose state owns the hosts given */
	const char *section;
};

/*
 * Providers are asked in registration order. 0, or -1 if t is already
 * registered or BGP_SC_PROVIDERS_MAX are. Not thread-safe: at start-up
 * (scenario_models_init), as sections.
 */
#define BGP_SC_PROVIDERS_MAX 4
int bgp_sc_register_provider(const struct bgp_sc_provider *t);
void bgp_sc_unregister_provider(const struct bgp_sc_provider *t);
/* The registered providers, in order; NULL past the last. */
const struct bgp_sc_provider *bgp_sc_provider_at(size_t i);
/* The host the providers give for n, or NULL (the simulated TCP). */
struct stream_host *bgp_sc_provider_host(const struct sc_build *b,
    const struct node *n);

/*
 * The speaker the bgp section built on node n in VRF vrf (UINT32_MAX: in
 * any, the first in file order), for queries of a run such as "show ip
 * bgp": state is what the section keeps for the run (run_section_state(r,
 * "bgp"); NULL: no bgp section). NULL if n runs no BGP there.
 */
struct bgp_speaker;
struct bgp_speaker *bgp_scenario_speaker(void *state, const struct node *n,
    uint32_t vrf);

/* Registers the sections and the kinds; 0, or -1 if a name is taken. */
int bgp_scenario_register(void);

/*
 * Does the file have a bgp speaker on node's vrf (NULL: the default VRF)?
 * For other sections' checks: its routes are source "bgp" there.
 */
bool bgp_scenario_has_speaker(const struct scenario *sc, const char *node,
    const char *vrf);
/* Does the file have a bgp speaker on node, in any VRF? */
bool bgp_scenario_node_has_speaker(const struct scenario *sc,
    const char *node);
/*
 * Does a speaker of node (in any VRF) have neighbour addr? For sections
 * that follow a session (models/prov's resources).
 */
bool bgp_scenario_has_neighbor(const struct scenario *sc, const char *node,
    uint32_t addr);

#endif
