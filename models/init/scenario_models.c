/*
 * scenario_models.c - the one place that knows every model with a part in
 * scenario files (scenario_models.h). A new model adds its register call
 * here, in the order its sections should appear in the reference.
 */
#include <stdbool.h>

#include "acl_scenario.h"
#include "azure.h"
#include "bfd_scenario.h"
#include "bgp_scenario.h"
#include "emu_scenario.h"
#include "gates.h"
#include "ipsec_scenario.h"
#include "oci.h"
#include "prov_state.h"
#include "provision.h"
#include "query.h"
#include "rt_scenario.h"
#include "scenario_models.h"
#include "sim.h"

void
scenario_models_init(void)
{
	static bool done;

	if (done)
		return;
	done = true;
	/* first: every later section may name a gate (sc_names "gate") */
	SIM_ASSERT(gates_scenario_register() == 0,
	    "gates: a scenario name is taken");
	SIM_ASSERT(bfd_scenario_register() == 0,
	    "bfd: a scenario name is taken");
	SIM_ASSERT(acl_scenario_register() == 0,
	    "prefix_sets/acls/acl_bindings: a scenario name is taken");
	/*
	 * Before bgp: it gives the speakers their socket hosts (bgp's
	 * transport provider), which must outlive them (states are freed in
	 * reverse registration order).
	 */
	SIM_ASSERT(emu_scenario_register() == 0,
	    "emulation: a scenario name is taken");
	/* before bgp: its redistribute takes route_tables' source names */
	SIM_ASSERT(route_tables_scenario_register() == 0,
	    "route_tables: a scenario name is taken");
	/*
	 * Before bgp: its tunnels (frame-out hooks, interface MTUs) exist
	 * when the speakers start, and outlive them.
	 */
	SIM_ASSERT(ipsec_scenario_register() == 0,
	    "ipsec: a scenario name is taken");
	/* after bfd: its speakers share bfd's sessions (sc_build_state) */
	SIM_ASSERT(bgp_scenario_register() == 0,
	    "bgp: a scenario name is taken");
	SIM_ASSERT(prov_state_scenario_register() == 0,
	    "resources/resource-state/operation: a scenario name is taken");
	SIM_ASSERT(query_aliases_register() == 0,
	    "aliases: a scenario name is taken");
	SIM_ASSERT(query_asserts_register() == 0,
	    "effective-route/path/rule-verdict: an assertion name is taken");
	SIM_ASSERT(azure_scenario_register() == 0,
	    "azure: a scenario name is taken");
	/* after azure: a virtual circuit reads the circuits (expanders run
	 * in registration order, the MSEEs first) */
	SIM_ASSERT(oci_scenario_register() == 0,
	    "oci: a scenario name is taken");
	/* after the clouds: its check compiles what they checked, its
	 * expand follows theirs */
	SIM_ASSERT(provision_scenario_register() == 0,
	    "timeline: a scenario name is taken");
}
