/*
 * test_prov_state_check.c - the resources section's checks at load, each
 * at its file:line:col (names unique and not empty, states in time order,
 * nodes that exist, followed sessions on nodes running bgp with that
 * neighbour, a field either set or followed, when any | all), the
 * assertion kinds' checks (a resource and a field that exist; error and
 * expect_error only with a refusal), and the resource-state and operation
 * assertions passing and failing with their messages.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scenario.h"
#include "scenario_models.h"
#include "scenario_testutil.h"
#include "testutil.h"

static const char bad[] =
    "duration: 10s\n"
    "nodes:\n"
    "  - { name: r1, role: router, interfaces: [{ name: e0, address: "
    "10.0.0.1/30 }] }\n"
    "  - { name: r2, role: router, interfaces: [{ name: e0, address: "
    "10.0.0.2/30 }] }\n"
    "  - { name: h3, role: host }\n"	/* 5 */
    "links:\n"
    "  - { name: l0, a: r1:e0, b: r2:e0, delay: 1ms }\n"
    "bgp:\n"
    "  - { node: r1, asn: 65001, neighbors: [{ address: 10.0.0.2, "
    "remote_as: 65002 }] }\n"
    "  - { node: r2, asn: 65002, neighbors: [{ address: 10.0.0.1, "
    "remote_as: 65001 }] }\n"	/* 10 */
    "resources:\n"
    "  - name: a/x\n"
    "    type: T\n"
    "    nodes: [r1, r9]\n"
    "    states:\n"	/* 15 */
    "      - { at: 5s, field: provisioningState, value: Updating }\n"
    "      - { at: 4s, field: provisioningState, value: Succeeded }\n"
    "      - { at: 6s, field: \"\", value: x }\n"
    "  - name: a/x\n"
    "    type: T\n"	/* 20 */
    "  - name: a/y\n"
    "    type: T\n"
    "    states:\n"
    "      - { at: 0s, field: bgpSessionState, value: DOWN }\n"
    "    follow:\n"	/* 25 */
    "      - { field: bgpSessionState, sessions: [{ node: h3, peer: "
    "10.0.0.1 }] }\n"
    "      - { field: other, sessions: [{ node: r1, peer: 10.0.0.9 }] "
    "}\n"
    "      - { field: other, sessions: [] }\n"
    "      - { field: third, sessions: [{ node: r7, peer: 10.0.0.1 }] "
    "}\n"
    "      - { field: fourth, sessions: [{ node: r1, peer: 10.0.0.2 "
    "}], when: some }\n"	/* 30 */
    "  - { name: \"\", type: T }\n"
    "  - { name: a/z }\n"
    "assertions:\n"
    "  - { kind: resource-state, resource: a/w, field: f, value: v "
    "}\n"
    "  - { kind: resource-state, resource: a/y, field: nofield, "
    "value: v }\n"	/* 35 */
    "  - { kind: operation, op: create a/x, outcome: succeeded, "
    "error: boom }\n"
    "  - { kind: operation, op: create a/x, outcome: refused, expect: "
    "succeeded, expect_error: boom }\n";

static void
test_check_errors(void)
{
	char *diag = NULL;
	unsigned n = 0;
	struct scenario *sc = load(bad, &diag, &n);

	CU_ASSERT_PTR_NULL(sc);
	CU_ASSERT_EQUAL(n, 17);
	CU_ASSERT(has_error(diag, "14:17", "unknown node 'r9'"));
	CU_ASSERT(has_error(diag, "17:15", "resource 'a/x': state at 4s is "
	    "before the previous one's 5s (states are in time order)"));
	CU_ASSERT(has_error(diag, "18:26", "resource 'a/x': a field name may "
	    "not be empty"));
	CU_ASSERT(has_error(diag, "19:11", "duplicate resource 'a/x' (first "
	    "defined at 12:11)"));
	CU_ASSERT(has_error(diag, "26:18", "resource 'a/y': field "
	    "'bgpSessionState' is followed and also set in states (line 24)"));
	CU_ASSERT(has_error(diag, "26:54", "resource 'a/y': node 'h3' runs "
	    "no bgp speaker"));
	CU_ASSERT(has_error(diag, "27:54", "resource 'a/y': node 'r1' has no "
	    "bgp neighbour 10.0.0.9"));
	CU_ASSERT(has_error(diag, "28:18", "resource 'a/y': field 'other' is "
	    "followed twice"));
	CU_ASSERT(has_error(diag, "28:35", "resource 'a/y': follow 'other' "
	    "names no session"));
	CU_ASSERT(has_error(diag, "29:44", "unknown node 'r7'"));
	CU_ASSERT(has_error(diag, "30:74", "unknown when 'some' (one of: any, "
	    "all)"));
	CU_ASSERT(has_error(diag, "31:13", "a resource's name may not be "
	    "empty"));
	CU_ASSERT(has_error(diag, "32:5", "resource is missing required key "
	    "'type'"));
	CU_ASSERT(has_error(diag, "34:39", "unknown resource 'a/w' (did you "
	    "mean 'a/x'?)"));
	CU_ASSERT(has_error(diag, "35:51", "resource 'a/y' has no field "
	    "'nofield'"));
	CU_ASSERT(has_error(diag, "36:67", "operation: error with outcome: "
	    "succeeded"));
	CU_ASSERT(has_error(diag, "37:91", "operation: expect_error with "
	    "expect: succeeded"));
	free(diag);
}

/* One session r1 - r2 (hold 9 s) cut at 10 s; a circuit's states. */
static const char run_text[] =
    "duration: 30s\n"
    "nodes:\n"
    "  - { name: r1, role: router, interfaces: [{ name: e0, address: "
    "10.0.0.1/30 }] }\n"
    "  - { name: r2, role: router, interfaces: [{ name: e0, address: "
    "10.0.0.2/30 }] }\n"
    "links:\n"						/* 5 */
    "  - { name: l0, a: r1:e0, b: r2:e0, delay: 1ms }\n"
    "bgp:\n"
    "  - { node: r1, asn: 65001, neighbors: [{ address: 10.0.0.2, "
    "remote_as: 65002, hold: 9s, keepalive: 3s }] }\n"
    "  - { node: r2, asn: 65002, neighbors: [{ address: 10.0.0.1, "
    "remote_as: 65001, hold: 9s, keepalive: 3s }] }\n"
    "events:\n"						/* 10 */
    "  - { at: 10s, action: link-down, link: l0 }\n"
    "resources:\n"
    "  - name: virtual_circuits/vc1\n"
    "    type: VirtualCircuit\n"
    "    nodes: [r2]\n"					/* 15 */
    "    states:\n"
    "      - { at: 0s, field: lifecycleState, value: PROVISIONING, op: "
    "create }\n"
    "      - { at: 1s, field: providerState, value: ACTIVE }\n"
    "      - { at: 2s, field: lifecycleState, value: PROVISIONED, op: "
    "create }\n"
    "    follow:\n"						/* 20 */
    "      - field: bgpSessionState\n"
    "        sessions: [{ node: r2, peer: 10.0.0.1 }]\n"
    "assertions:\n"
    "  - { kind: resource-state, resource: virtual_circuits/vc1, field: "
    "lifecycleState, value: PROVISIONED, at: 2s }\n"
    "  - { kind: resource-state, resource: virtual_circuits/vc1, field: "
    "lifecycleState, value: PROVISIONED, at: 1s }\n"	/* 25 */
    "  - { kind: resource-state, resource: virtual_circuits/vc1, field: "
    "bgpSessionState, value: DOWN }\n"
    "  - { kind: resource-state, resource: virtual_circuits/vc1, field: "
    "bgpSessionState, value: UP, at: 9s }\n"
    "  - { kind: resource-state, resource: virtual_circuits/vc1, field: "
    "bgpSessionState, value: UP, at: 40s }\n"
    "  - { kind: resource-state, resource: virtual_circuits/vc1, field: "
    "providerState, value: ACTIVE, at: 500ms }\n"
    "  - { kind: operation, op: create vc1, resource: "
    "virtual_circuits/vc1, at: 0s, outcome: succeeded }\n"	/* 30 */
    "  - { kind: operation, op: create vc2, outcome: refused, error: "
    "\"400-LimitExceeded: too many\", expect: refused, expect_error: "
    "LimitExceeded }\n"
    "  - { kind: operation, op: create vc3, outcome: refused, error: "
    "\"400-LimitExceeded: too many\" }\n"
    "  - { kind: operation, op: delete vc1, resource: "
    "virtual_circuits/vc1, at: 10s, outcome: succeeded, expect: refused, "
    "expect_error: Conflict }\n"
    "  - { kind: operation, op: create vc4, outcome: refused, error: "
    "\"404-NotAuthorizedOrNotFound\", expect: refused, expect_error: "
    "LimitExceeded }\n";

static void
test_assertions(void)
{
	char *diag = NULL, *out = NULL;
	unsigned n = 0;
	struct scenario *sc = load(run_text, &diag, &n);

	if (sc == NULL)
		fprintf(stderr, "%s", diag);
	CU_ASSERT_PTR_NOT_NULL_FATAL(sc);
	free(diag);
	CU_ASSERT_EQUAL(sc_run_to_end(sc, 0, NULL, &out), 6);
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "t.yaml:24: PASS: "
	    "virtual_circuits/vc1 lifecycleState at 2s: PROVISIONED since "
	    "2s\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "t.yaml:25: FAIL: "
	    "virtual_circuits/vc1 lifecycleState at 1s: PROVISIONING since "
	    "0s (expected PROVISIONED)\n"));
	/* at the end of the run: the hold timer ran out 9 s after the
	 * last KEEPALIVE heard before the cut */
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "t.yaml:26: PASS: "
	    "virtual_circuits/vc1 bgpSessionState at 30s: DOWN since "
	    "17.329614106s\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "t.yaml:27: PASS: "
	    "virtual_circuits/vc1 bgpSessionState at 9s: UP since "
	    "4.00033ms\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "t.yaml:28: FAIL: "
	    "virtual_circuits/vc1 bgpSessionState at 40s: the run ended at "
	    "30s, before (expected UP)\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "t.yaml:29: FAIL: "
	    "virtual_circuits/vc1 providerState at 500ms: no value yet "
	    "(expected ACTIVE)\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "t.yaml:30: PASS: create vc1 on "
	    "virtual_circuits/vc1 at 0s: succeeded (expected succeeded)\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "t.yaml:31: PASS: create vc2: "
	    "refused: 400-LimitExceeded: too many (expected refused with "
	    "'LimitExceeded')\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "t.yaml:32: FAIL: create vc3: "
	    "refused: 400-LimitExceeded: too many (expected succeeded)\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "t.yaml:33: FAIL: delete vc1 on "
	    "virtual_circuits/vc1 at 10s: succeeded (expected refused with "
	    "'Conflict')\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "t.yaml:34: FAIL: create vc4: "
	    "refused: 404-NotAuthorizedOrNotFound (expected refused with "
	    "'LimitExceeded')\n"));
	free(out);
	scenario_free(sc);
}

/*
 * A resource whose create the cloud refused has no states: an assertion on
 * a field its kind has (another VirtualCircuit sets it), or on any field
 * of a resource with no states, loads and fails at the end with "no
 * value" (review 11, finding 7: it was a load error, exit 2).
 */
static const char refused_text[] =
    "duration: 10s\n"
    "nodes:\n"
    "  - { name: r1, role: router }\n"
    "resources:\n"
    "  - name: virtual_circuits/vc1\n"				/* 5 */
    "    type: VirtualCircuit\n"
    "    states:\n"
    "      - { at: 0s, field: lifecycleState, value: PROVISIONED }\n"
    "  - name: virtual_circuits/vc2\n"
    "    type: VirtualCircuit\n"				/* 10 */
    "    notes: [{ at: 1s, text: \"refused\" }]\n"
    "  - name: virtual_circuits/vc3\n"
    "    type: VirtualCircuit\n"
    "    states:\n"
    "      - { at: 0s, field: providerState, value: INACTIVE }\n" /* 15 */
    "assertions:\n"
    "  - { kind: resource-state, resource: virtual_circuits/vc2, field: "
    "lifecycleState, value: PROVISIONED }\n"
    "  - { kind: resource-state, resource: virtual_circuits/vc3, field: "
    "lifecycleState, value: PROVISIONED }\n"
    "  - { kind: resource-state, resource: virtual_circuits/vc1, field: "
    "lifecycleState, value: PROVISIONED }\n";

static void
test_refused_fields(void)
{
	char *diag = NULL, *out = NULL;
	unsigned n = 0;
	struct scenario *sc = load(refused_text, &diag, &n);

	if (sc == NULL)
		fprintf(stderr, "%s", diag);
	CU_ASSERT_PTR_NOT_NULL_FATAL(sc);
	free(diag);
	CU_ASSERT_EQUAL(sc_run_to_end(sc, 0, NULL, &out), 2);
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "t.yaml:17: FAIL: "
	    "virtual_circuits/vc2 lifecycleState at 10s: no value yet "
	    "(expected PROVISIONED)\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "t.yaml:18: FAIL: "
	    "virtual_circuits/vc3 lifecycleState at 10s: no value yet "
	    "(expected PROVISIONED)\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "t.yaml:19: PASS: "));
	free(out);
	scenario_free(sc);
}

/* The fuzz seeds of the section: the good one loads, the bad one not. */
static void
test_fuzz_seeds(void)
{
	static const struct { const char *file; unsigned errors; } seeds[] = {
		{ "resources.yaml", 0 },
		{ "bad-resources.yaml", 17 },
	};
	char path[512];
	unsigned n;
	size_t i;
	struct scenario *sc;

	for (i = 0; i < sizeof(seeds) / sizeof(seeds[0]); i++) {
		snprintf(path, sizeof(path), "%s/tests/fuzz/scenario/%s",
		    XCSIM_SOURCE_DIR, seeds[i].file);
		n = 0;
		sc = scenario_load_file(path, NULL, &n);
		CU_ASSERT_EQUAL(n, seeds[i].errors);
		CU_ASSERT_EQUAL(sc != NULL, seeds[i].errors == 0);
		scenario_free(sc);
	}
}

static const struct test_case cases[] = {
	{ "every check error at its place", test_check_errors },
	{ "resource-state and operation pass and fail, saying why",
	    test_assertions },
	{ "a field a refused create never set fails at the end, not at "
	    "load", test_refused_fields },
	{ "the section's fuzz seeds", test_fuzz_seeds },
	{ NULL, NULL },
};

int
main(int argc, char **argv)
{
	scenario_models_init();
	return test_main(argc, argv, "prov_state_check", cases);
}
