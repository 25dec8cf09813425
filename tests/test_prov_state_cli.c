/*
 * test_prov_state_cli.c - `xcsim state` end to end (the binary): the
 * resources' fields in aligned columns at --at or at the end, one
 * resource with --resource, the JSON form, exit 1 when --resource names
 * nothing, exit 2 on a bad scenario or option; and prov_states_print
 * called directly on a run with no resources section.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "prov_state.h"
#include "scenario.h"
#include "scenario_models.h"
#include "scenario_run.h"
#include "scenario_testutil.h"
#include "testutil.h"

static const char text[] =
    "duration: 30s\n"
    "nodes:\n"
    "  - { name: r1, role: router, interfaces: [{ name: e0, address: "
    "10.0.0.1/30 }] }\n"
    "  - { name: r2, role: router, interfaces: [{ name: e0, address: "
    "10.0.0.2/30 }] }\n"
    "links:\n"
    "  - { name: l0, a: r1:e0, b: r2:e0, delay: 1ms }\n"
    "bgp:\n"
    "  - { node: r1, asn: 65001, neighbors: [{ address: 10.0.0.2, "
    "remote_as: 65002, hold: 9s, keepalive: 3s }] }\n"
    "  - { node: r2, asn: 65002, neighbors: [{ address: 10.0.0.1, "
    "remote_as: 65001, hold: 9s, keepalive: 3s }] }\n"
    "events:\n"
    "  - { at: 10s, action: link-down, link: l0 }\n"
    "resources:\n"
    "  - name: express_route_circuits/er-ashburn\n"
    "    type: ExpressRouteCircuit\n"
    "    nodes: [r1]\n"
    "    states:\n"
    "      - { at: 0s, field: provisioningState, value: Updating, op: "
    "create }\n"
    "      - { at: 20s, field: provisioningState, value: Succeeded, op: "
    "create }\n"
    "  - name: virtual_circuits/vc1\n"
    "    type: VirtualCircuit\n"
    "    nodes: [r2]\n"
    "    states:\n"
    "      - { at: 2s, field: lifecycleState, value: PROVISIONED }\n"
    "    follow:\n"
    "      - field: bgpSessionState\n"
    "        sessions: [{ node: r2, peer: 10.0.0.1 }]\n";

static char *
scenario_file(void)
{
	static char path[300];
	char *dir;
	FILE *f;

	if (path[0] != '\0')
		return path;
	dir = test_tmpdir("/tmp/xcsim-state-XXXXXX");
	CU_ASSERT_PTR_NOT_NULL_FATAL(dir);
	snprintf(path, sizeof(path), "%s/s.yaml", dir);
	f = fopen(path, "w");
	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	fputs(text, f);
	CU_ASSERT_EQUAL(fclose(f), 0);
	return path;
}

static void
test_text(void)
{
	char out[4096];

	CU_ASSERT_EQUAL(test_sh(out, sizeof(out), "%s state %s --at 5s",
	    XCSIM_BINARY, scenario_file()), 0);
	CU_ASSERT_STRING_EQUAL(out,
	    "Resources at 5s\n"
	    "Resource                           Type                 Field"
	    "              Value        Since\n"
	    "express_route_circuits/er-ashburn  ExpressRouteCircuit  "
	    "provisioningState  Updating     0s\n"
	    "virtual_circuits/vc1               VirtualCircuit       "
	    "lifecycleState     PROVISIONED  2s\n"
	    "virtual_circuits/vc1               VirtualCircuit       "
	    "bgpSessionState    UP           4.00033ms\n");
	/* the end: the hold timer took the session down */
	CU_ASSERT_EQUAL(test_sh(out, sizeof(out), "%s state %s --resource "
	    "virtual_circuits/vc1", XCSIM_BINARY, scenario_file()), 0);
	CU_ASSERT_STRING_EQUAL(out,
	    "Resources at 30s\n"
	    "Resource              Type            Field            Value"
	    "        Since\n"
	    "virtual_circuits/vc1  VirtualCircuit  lifecycleState   "
	    "PROVISIONED  2s\n"
	    "virtual_circuits/vc1  VirtualCircuit  bgpSessionState  "
	    "DOWN         17.329614106s\n");
	/* before a field has a value: a dash */
	CU_ASSERT_EQUAL(test_sh(out, sizeof(out), "%s state %s --at 1s "
	    "--resource virtual_circuits/vc1", XCSIM_BINARY, scenario_file()),
	    0);
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "virtual_circuits/vc1  "
	    "VirtualCircuit  lifecycleState   -      -\n"));
}

static void
test_json(void)
{
	char out[4096];

	/* seed 7: other jitters, another last KEEPALIVE before the cut */
	CU_ASSERT_EQUAL(test_sh(out, sizeof(out), "%s state %s --at 20s "
	    "--json --seed 7", XCSIM_BINARY, scenario_file()), 0);
	CU_ASSERT_STRING_EQUAL(out,
	    "{\"at_ns\": 20000000000, \"at\": \"20s\", \"resources\": ["
	    "{\"name\": \"express_route_circuits/er-ashburn\", \"type\": "
	    "\"ExpressRouteCircuit\", \"title\": "
	    "\"express_route_circuits/er-ashburn\", \"nodes\": [\"r1\"], "
	    "\"fields\": [{\"field\": \"provisioningState\", \"value\": "
	    "\"Succeeded\", \"since_ns\": 20000000000}]}, "
	    "{\"name\": \"virtual_circuits/vc1\", \"type\": "
	    "\"VirtualCircuit\", \"title\": \"virtual_circuits/vc1\", "
	    "\"nodes\": [\"r2\"], \"fields\": [{\"field\": "
	    "\"lifecycleState\", \"value\": \"PROVISIONED\", \"since_ns\": "
	    "2000000000}, {\"field\": \"bgpSessionState\", \"value\": "
	    "\"DOWN\", \"since_ns\": 16829626385}]}]}\n");
	CU_ASSERT_EQUAL(test_sh(out, sizeof(out), "%s state %s --at 0s "
	    "--json --resource virtual_circuits/vc1", XCSIM_BINARY,
	    scenario_file()), 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "\"fields\": [{\"field\": "
	    "\"lifecycleState\", \"value\": null, \"since_ns\": null}, "
	    "{\"field\": \"bgpSessionState\", \"value\": \"DOWN\", "
	    "\"since_ns\": 0}]}]}\n"));
	CU_ASSERT_PTR_NULL(strstr(out, "er-ashburn"));
}

static void
test_exit_codes(void)
{
	char out[4096], bad[320];
	FILE *f;

	CU_ASSERT_EQUAL(test_sh(out, sizeof(out), "%s state %s --resource "
	    "nope", XCSIM_BINARY, scenario_file()), 1);
	CU_ASSERT_STRING_EQUAL(out, "xcsim state: no resource 'nope'\n");
	snprintf(bad, sizeof(bad), "%s.bad.yaml", scenario_file());
	f = fopen(bad, "w");
	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	fputs("nodes:\n  - { name: r1, role: host }\nresources:\n  - { "
	    "name: a, type: T, nodes: [r9] }\n", f);
	CU_ASSERT_EQUAL(fclose(f), 0);
	CU_ASSERT_EQUAL(test_sh(out, sizeof(out), "%s state %s",
	    XCSIM_BINARY, bad), 2);
	CU_ASSERT_PTR_NOT_NULL(strstr(out, ":4:33: error: unknown node "
	    "'r9'"));
	CU_ASSERT_EQUAL(test_sh(out, sizeof(out), "%s state %s --bogus",
	    XCSIM_BINARY, scenario_file()), 2);
	CU_ASSERT_EQUAL(test_sh(out, sizeof(out), "%s state %s --at 40s",
	    XCSIM_BINARY, scenario_file()), 2);
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "beyond the scenario's duration"));
	CU_ASSERT_EQUAL(test_sh(out, sizeof(out), "%s state --help",
	    XCSIM_BINARY), 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "usage: xcsim state [SCENARIO]"));
	CU_ASSERT_EQUAL(test_sh(out, sizeof(out), "%s --help",
	    XCSIM_BINARY), 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "\n  state    the resources' "));
}

/* A run without a resources section: nothing to show, nothing found. */
static void
test_print_none(void)
{
	static const char plain[] = "duration: 1s\nnodes:\n  - { name: r1, "
	    "role: host }\n";
	struct run_opts o = { 0 };
	char *diag = NULL, *buf = NULL, err[256];
	size_t len = 0;
	unsigned n = 0;
	struct scenario *sc = load(plain, &diag, &n);
	struct run *r;
	struct prov_states *ps;
	FILE *f;

	CU_ASSERT_PTR_NOT_NULL_FATAL(sc);
	free(diag);
	r = run_new(sc, &o, err, sizeof(err));
	CU_ASSERT_PTR_NOT_NULL_FATAL(r);
	ps = run_section_state(r, "resources");
	CU_ASSERT_PTR_NULL(ps);
	CU_ASSERT_EQUAL(prov_n_resources(ps), 0);
	f = open_memstream(&buf, &len);
	CU_ASSERT_EQUAL(prov_states_print(ps, 0, NULL, false, f), 0);
	CU_ASSERT_EQUAL(prov_states_print(ps, 0, "x", false, f), -1);
	CU_ASSERT_EQUAL(prov_states_print(ps, 0, NULL, true, f), 0);
	fclose(f);
	CU_ASSERT_STRING_EQUAL(buf, "Resources at 0s\n"
	    "Resource  Type  Field  Value  Since\n(no resources)\n"
	    "{\"at_ns\": 0, \"at\": \"0s\", \"resources\": []}\n");
	free(buf);
	run_free(r);
	scenario_free(sc);
}

static const struct test_case cases[] = {
	{ "xcsim state: aligned columns at --at and at the end", test_text },
	{ "xcsim state --json", test_json },
	{ "xcsim state: exit 1 for no such resource, 2 for bad input",
	    test_exit_codes },
	{ "prov_states_print with no resources", test_print_none },
	{ NULL, NULL },
};

int
main(int argc, char **argv)
{
	scenario_models_init();
	return test_main(argc, argv, "prov_state_cli", cases);
}
