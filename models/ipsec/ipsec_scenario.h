/*
 * ipsec_scenario.h - site-to-site IPsec in scenario files: the `ipsec`
 * section and the `ipsec-established` and `ipsec-fails` assertion kinds.
 *
 * An `ipsec` item is one end of a tunnel: a node's interface without a
 * link (written in nodes:, with its inside address, e.g. the APIPA
 * 169.254.21.1/30 BGP runs over) whose packets go as ESP (esp.h) from an
 * outer address of the node (local) to the far end's (remote), keyed by
 * hand (keying: manual, static SPIs, RFC 4301 4.5) or by IKEv2 (ike.h).
 * The far end is another item, on the node owning remote, whose SPIs are
 * the mirror of this one's. The section builds the ESP hosts and tunnels
 * with the network (SC_PHASE_NET), keeps each tunnel's up/down changes
 * with their simulated times for the assertions and metrics.json
 * ("ipsec": one entry a tunnel end), and frees them at the end of the
 * run. See docs/ipsec.md.
 */
#ifndef XCSIM_IPSEC_SCENARIO_H
#define XCSIM_IPSEC_SCENARIO_H

struct sc_section;
struct sc_assertion;

extern const struct sc_section ipsec_sc_section;
extern const struct sc_assertion ipsec_sc_assert_established,
    ipsec_sc_assert_fails;

/* Registers the section and both kinds; 0, or -1 if a name is taken. */
int ipsec_scenario_register(void);

#endif
