/*
 * test_provision_expand.c - the timeline's expand (models/prov/provision.h)
 * end to end: the gates, resources and operation assertions it writes for
 * the fake cloud of provision_testutil.h, the gates the cloud's own items
 * carry (prov_gate), the runs they make (a link and a BGP session that
 * come up only once their resource carries, the operations judged), and
 * the same text for the same seed.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "provision_testutil.h"
#include "scenario_expand.h"
#include "scenario_testutil.h"
#include "testutil.h"

static const char lab[] =
	"name: t\n"
	"seed: 5\n"
	"duration: 10m\n"
	"nodes:\n"
	"  - { name: edge, role: router }\n"
	"fakes:\n"
	"  - { name: d, kind: disk }\n"
	"  - { name: v, kind: vc, needs: [d] }\n"
	"  - { name: w, kind: vc }\n"
	"timeline:\n"
	"  - { id: disk, at: 10s, create: disks/d, duration: 15s }\n"
	"  - { id: vc, after: disk, delay: 5s, create: v, duration: 60s }\n"
	"  - { at: 5m, update: vcs/v, set: { bandwidth: 500 },\n"
	"      expect: { error: BandwidthDecrease } }\n"
	"  - { at: 6m, update: w, set: { bandwidth: 100 } }\n";

/*
 * The gates: the disk from its create (10s), the vc from PROVISIONED
 * (after the disk's 15s, the delay and its own 60s: 90s) until its
 * refused update leaves it FAILED at 5m, w (there from zero) until its
 * own refusal at 6m. The links and the vcs' BGP neighbours carry them.
 */
static void
test_expand_gates(void)
{
	int rc;
	char *out;

	fake_setup();
	out = prov_test_expand(lab, &rc);
	CU_ASSERT_EQUAL_FATAL(rc, 0);
	CU_ASSERT(prov_test_has_lines(out,
	    "gates:\n"
	    "- name: disks/d\n"
	    "  open: false\n"
	    "  changes:\n"
	    "  - at: 10s\n"
	    "    open: true\n"
	    "  what: Disk d carries traffic\n"
	    "- name: vcs/v\n"
	    "  open: false\n"
	    "  changes:\n"
	    "  - at: 90s\n"
	    "    open: true\n"
	    "  - at: 300s\n"
	    "    open: false\n"
	    "- name: vcs/w\n"
	    "  open: true\n"
	    "  changes:\n"
	    "  - at: 360s\n"
	    "    open: false\n"));
	CU_ASSERT(prov_test_has_lines(out,
	    "links:\n"
	    "- name: l-d\n"
	    "  gate: disks/d\n"
	    "- name: l-v\n"
	    "  gate: vcs/v\n"
	    "  - address: 10.0.1.2\n"
	    "    gate: vcs/v\n"));
	/* the timeline is not in the low-level form: it does not re-expand */
	CU_ASSERT_PTR_NULL(strstr(out, "timeline"));
	free(out);
}

/* The resources: states with their operations, follow, notes, refusals. */
static void
test_expand_resources(void)
{
	int rc;
	char *out;

	fake_setup();
	out = prov_test_expand(lab, &rc);
	CU_ASSERT_EQUAL_FATAL(rc, 0);
	CU_ASSERT(prov_test_has_lines(out,
	    "resources:\n"
	    "- name: disks/d\n"
	    "  type: Disk\n"
	    "  title: Disk d\n"
	    "  states:\n"
	    "  - at: 10s\n"
	    "    field: provisioningState\n"
	    "    value: Updating\n"
	    "    op: create\n"
	    "  - at: 25s\n"
	    "    value: Succeeded\n"
	    "- name: vcs/v\n"
	    "  nodes:\n"
	    "  - edge\n"
	    "  - at: 30s\n"
	    "    field: lifecycleState\n"
	    "    value: PROVISIONING\n"
	    "  - at: 90s\n"
	    "    value: PROVISIONED\n"
	    "  - at: 300s\n"
	    "    value: FAILED\n"
	    "    op: update\n"
	    "  follow:\n"
	    "  - field: bgpSessionState\n"
	    "    - node: edge\n"
	    "      peer: 10.0.1.2\n"
	    "    when: any\n"
	    "    up: UP\n"
	    "    down: DOWN\n"
	    "  notes:\n"
	    "  - at: 30s\n"
	    "    text: 'service key issued: billing starts'\n"
	    "  - at: 300s\n"
	    "    text: 'refused: BandwidthDecrease: v: bandwidth 500 is "
	    "below 1000'\n"
	    "- name: vcs/w\n"
	    "  - at: 0s\n"
	    "    field: lifecycleState\n"
	    "    value: PROVISIONED\n"));
	free(out);
}

/* One operation assertion per item, outcome against expectation. */
static void
test_expand_operations(void)
{
	int rc;
	char *out;

	fake_setup();
	out = prov_test_expand(lab, &rc);
	CU_ASSERT_EQUAL_FATAL(rc, 0);
	CU_ASSERT(prov_test_has_lines(out,
	    "assertions:\n"
	    "- kind: operation\n"
	    "  op: create\n"
	    "  resource: disks/d\n"
	    "  at: 10s\n"
	    "  outcome: succeeded\n"
	    "  expect: succeeded\n"
	    "- kind: operation\n"
	    "  resource: vcs/v\n"
	    "  at: 30s\n"
	    "- kind: operation\n"
	    "  op: update\n"
	    "  resource: vcs/v\n"
	    "  at: 300s\n"
	    "  outcome: refused\n"
	    "  error: 'BandwidthDecrease: v: bandwidth 500 is below 1000'\n"
	    "  expect: refused\n"
	    "  expect_error: BandwidthDecrease\n"
	    "- kind: operation\n"
	    "  resource: vcs/w\n"
	    "  at: 360s\n"
	    "  outcome: refused\n"
	    "  expect: succeeded\n"));
	free(out);
}

/*
 * The run: the vc's BGP session is down until its gate opens at 90s and
 * up after; the expected refusal passes, the unexpected one fails.
 */
static void
test_run_follows_plan(void)
{
	char text[4096], *diag = NULL, *res = NULL;
	struct scenario *sc;
	unsigned n = 0, failed;

	fake_setup();
	snprintf(text, sizeof(text), "%s%s", lab,
	    "assertions:\n"
	    "  - { kind: resource-state, resource: vcs/v, field: "
	    "bgpSessionState, value: DOWN, at: 89s }\n"
	    "  - { kind: resource-state, resource: vcs/v, field: "
	    "bgpSessionState, value: UP, at: 100s }\n"
	    "  - { kind: resource-state, resource: vcs/w, field: "
	    "bgpSessionState, value: UP, at: 60s }\n");
	sc = load(text, &diag, &n);
	if (sc == NULL)
		fprintf(stderr, "\n%s", diag);
	CU_ASSERT_PTR_NOT_NULL_FATAL(sc);
	failed = sc_run_to_end(sc, 0, NULL, &res);
	CU_ASSERT_EQUAL(failed, 1);
	CU_ASSERT_PTR_NOT_NULL(strstr(res, "FAIL: "));
	CU_ASSERT_PTR_NOT_NULL(strstr(res, "BandwidthDecrease: w"));
	CU_ASSERT_PTR_NULL(strstr(res, "FAIL: resource-state"));
	if (getenv("SHOW") != NULL || failed != 1)
		fprintf(stderr, "\n%s", res);
	scenario_free(sc);
	free(res);
	free(diag);
}

/* The same seed, the same text; another seed, other durations. */
static void
test_same_seed_same_text(void)
{
	static const char drawn[] =
		"name: t\n"
		"seed: %d\n"
		"nodes:\n"
		"  - { name: edge, role: router }\n"
		"fakes:\n"
		"  - { name: d, kind: disk }\n"
		"  - { name: v, kind: vc }\n"
		"timeline:\n"
		"  - { id: disk, at: 10s, create: disks/d }\n"
		"  - { after: disk, create: v }\n";
	char text[1024];
	char *a, *b, *c;
	int rc;

	fake_setup();
	snprintf(text, sizeof(text), drawn, 11);
	a = prov_test_expand(text, &rc);
	CU_ASSERT_EQUAL(rc, 0);
	b = prov_test_expand(text, &rc);
	snprintf(text, sizeof(text), drawn, 12);
	c = prov_test_expand(text, &rc);
	CU_ASSERT_STRING_EQUAL(a, b);
	CU_ASSERT_STRING_NOT_EQUAL(strstr(a, "gates:"), strstr(c, "gates:"));
	free(a);
	free(b);
	free(c);
}

/*
 * With no timeline the cloud's resources are still written, settled
 * from zero (expand_always), and nothing is gated; the printed form
 * loads and prints itself again.
 */
static void
test_no_timeline(void)
{
	static const char text[] =
		"name: t\n"
		"nodes:\n"
		"  - { name: edge, role: router }\n"
		"fakes:\n"
		"  - { name: v, kind: vc }\n";
	char *out, *again;
	int rc;

	fake_setup();
	out = prov_test_expand(text, &rc);
	CU_ASSERT_EQUAL_FATAL(rc, 0);
	CU_ASSERT(prov_test_has_lines(out,
	    "resources:\n"
	    "- name: vcs/v\n"
	    "  - at: 0s\n"
	    "    field: lifecycleState\n"
	    "    value: PROVISIONED\n"));
	CU_ASSERT_PTR_NULL(strstr(out, "gates:"));
	CU_ASSERT_PTR_NULL(strstr(out, "gate: "));
	CU_ASSERT_PTR_NULL(strstr(out, "kind: operation"));
	again = prov_test_expand(out, &rc);
	CU_ASSERT_EQUAL(rc, 0);
	CU_ASSERT_STRING_EQUAL(out, again);
	free(out);
	free(again);
}

/* The printed expansion of a timeline is a fixpoint too. */
static void
test_fixpoint(void)
{
	char *out, *again;
	int rc;

	fake_setup();
	out = prov_test_expand(lab, &rc);
	CU_ASSERT_EQUAL_FATAL(rc, 0);
	again = prov_test_expand(out, &rc);
	CU_ASSERT_EQUAL(rc, 0);
	CU_ASSERT_STRING_EQUAL(out, again);
	free(out);
	free(again);
}

static const struct test_case cases[] = {
	{ "gates from the plan, on the cloud's items", test_expand_gates },
	{ "resources: states, follow, notes, refusals",
	    test_expand_resources },
	{ "an operation assertion per item", test_expand_operations },
	{ "the run follows the plan", test_run_follows_plan },
	{ "the same seed gives the same text", test_same_seed_same_text },
	{ "no timeline: resources settled, no gate", test_no_timeline },
	{ "the printed expansion prints itself", test_fixpoint },
	{ NULL, NULL }
};

int
main(int argc, char **argv)
{
	return test_main(argc, argv, "provision_expand", cases);
}
