/*
 * gates.h - named on/off switches on a timeline, and the items they switch:
 * the `gates` section of a scenario file and what other sections call to
 * follow a gate at run time. See docs/gates.md.
 *
 * A gate is a name, a state at time zero (open by default) and a list of
 * changes at strictly increasing simulated times, each to the other state:
 *
 *   gates:
 *     - name: connection/app-er
 *       open: false
 *       changes: [{ at: 2832.5s, open: true }, { at: 2h, open: false }]
 *       what: connection app-er carries traffic      # free text, optional
 *
 * Items of other sections name a gate with a `gate: NAME` key and exist
 * only while it is open:
 *   links            down while closed, as if unplugged (link_set_held; the
 *                    ends see no carrier whatever the link's carrier
 *                    parameter says; the gates section drives them)
 *   bgp neighbors    not started while closed; closing stops the session
 *                    as an administrative shutdown (Cease 6/2), opening
 *                    starts it (ManualStart)
 *   acls rules       skipped as if absent while closed (flows already
 *                    tracked keep their state)
 *   acl_bindings     not applied while closed (the interface unfiltered)
 *   route_tables     a route or an import: its routes are in the RIB only
 *                    while open
 *   ipsec            a tunnel end: no SA while closed; opening starts its
 *                    IKE (IKE_SA_INIT at once), closing deletes its SAs
 *   policies rules   skipped as if absent while closed; each change
 *                    reconfigures softly the BGP sessions using the policy
 * The gates section resolves the links' gate names itself (links are a
 * built-in section, checked and built before any registered one); the
 * other sections, registered after gates, look names up in the "gate"
 * name space (sc_names_lookup(ck, "gate", ...)) and follow the gate at
 * run time with gate_watch.
 *
 * The cloud timeline (models/prov/provision.h) writes gates for the
 * resources it creates and deletes; nothing here knows a cloud.
 */
#ifndef XCSIM_GATES_H
#define XCSIM_GATES_H

#include <stdbool.h>
#include <stddef.h>

#include "units.h"

struct sc_build;
struct sc_check;
struct sc_judge;
struct gates;
struct gate;

/* Registers the section; 0, or -1 if a name is taken. */
int gates_scenario_register(void);

/*
 * The run's gates, kept by the gates section's build: from a later
 * section's build (sc_build_state(b, "gates")) or a judge. NULL when the
 * file has no gates (then no item can name one: the loader refused it).
 */
struct gates *gates_of_build(const struct sc_build *b);
struct gates *gates_of_judge(const struct sc_judge *j);

/*
 * For a later section's check: whether the gates called a and b, as the
 * file gives them, are ever open at the same time within the run (open
 * windows [from, to) overlapping: one closing at T while the other opens
 * at T do not). true if either is not a gate the check accepted, so the
 * caller judges as for items that can be together.
 */
bool gates_check_overlap(struct sc_check *ck, const char *a, const char *b);

/* The gate called name, or NULL. */
struct gate *gates_find(struct gates *gs, const char *name);
const char *gate_name(const struct gate *g);
bool gate_is_open(const struct gate *g);

/*
 * Call fn(arg, open) at every change of g, after the gate changed, in the
 * order the watches were added; not for the state at time zero (read it
 * with gate_is_open when building). At one instant every gate changing
 * then changes first, the links of all of them follow, then these
 * watchers, gate by gate in file order. 0, or -1 out of memory.
 */
int gate_watch(struct gate *g, void (*fn)(void *arg, bool open), void *arg);

#endif
