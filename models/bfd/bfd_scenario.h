/*
 * bfd_scenario.h - BFD in scenario files: the `bfd` section and the
 * `bfd-up` and `bfd-down` assertion kinds.
 *
 * A `bfd` item is one session between two directly linked nodes (RFC 5881
 * single hop): a BFD session on each end, with the timers given (by
 * default the MSEE's 300 ms x 3, bfd.h). The section builds them with the
 * network (SC_PHASE_NET), keeps every state change of each end with its
 * simulated time for the assertions and metrics.json ("bfd": one entry a
 * session end), and frees them at the end of the run. See docs/bfd.md.
 */
#ifndef XCSIM_BFD_SCENARIO_H
#define XCSIM_BFD_SCENARIO_H

#include <stddef.h>
#include <stdint.h>

struct scenario;
struct sc_section;
struct sc_assertion;

extern const struct sc_section bfd_sc_section;
extern const struct sc_assertion bfd_sc_assert_up, bfd_sc_assert_down;

struct bfd;

/*
 * The struct bfd of the section's run state (sc_build_state(b, "bfd")),
 * which another section's BFD sessions share: one UDP 3784 per node.
 */
struct bfd *bfd_scenario_bfd(void *state);

/*
 * The name of the checked bfd session on node node_idx whose other end
 * has address peer, or NULL: a section adding its own BFD session to that
 * peer (bgp's neighbours) must not, a node has one per peer.
 */
const char *bfd_scenario_session_to(const struct scenario *sc,
    size_t node_idx, uint32_t peer);

/* Registers the section and both kinds; 0, or -1 if a name is taken. */
int bfd_scenario_register(void);

#endif
