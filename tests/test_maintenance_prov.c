/*
 * test_maintenance_prov.c - planned maintenance on the timeline
 * (`maintenance: KEY/NAME`, `link: primary | secondary`, `duration`):
 * the plan's state field and gate, its refusals, the load errors, and
 * scenarios/examples/planned-maintenance.yaml end to end (the MSEE's
 * prepend, cloud-facts 1.7; the Oracle edge's 65535:0 and prepend, 2.8).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "provision_int.h"
#include "scenario.h"
#include "scenario_models.h"
#include "scenario_testutil.h"
#include "testutil.h"
#include "cloud_base_testutil.h"

#define EXAMPLE XCSIM_SOURCE_DIR "/scenarios/examples/planned-maintenance.yaml"

static struct scenario *
load_ok(const char *text)
{
	struct scenario *sc;
	char *diag = NULL;
	unsigned n = 0;

	sc = load(text, &diag, &n);
	if (sc == NULL)
		fprintf(stderr, "%s", diag);
	free(diag);
	CU_ASSERT_PTR_NOT_NULL_FATAL(sc);
	return sc;
}

static char *
with_timeline(const char *timeline)
{
	size_t n = strlen(CLOUD_HUB_TWO_CLOUDS) + strlen(timeline) + 64;
	char *t = malloc(n);

	snprintf(t, n, "seed: 3\nduration: 1h\n%stimeline:\n%s",
	    CLOUD_HUB_TWO_CLOUDS, timeline);
	return t;
}

/*
 * The window: the circuit's `maintenance` is the link from the start to
 * the end, gone after; the operation completes at the end, so `after:`
 * starts the OCI window then (plus its delay); without `duration` the
 * window is PROV_MAINT_WINDOW. A gate follows each (field, value) asked
 * for, none for a value never taken.
 */
static void
test_plan(void)
{
	char *text = with_timeline(
	    "  - { id: ms, at: 100s, duration: 2m, maintenance: "
	    "express_route_circuits/er-ashburn, link: secondary }\n"
	    "  - { id: oci, after: ms, delay: 30s, maintenance: vc1, "
	    "link: primary }\n");
	struct scenario *sc = load_ok(text);
	const struct prov_plan *p = prov_plan_of(sc);
	const struct prov_res *ckt, *vc;
	const char *g;

	free(text);
	CU_ASSERT_PTR_NOT_NULL_FATAL(p);
	ckt = prov_find_res(p, "express_route_circuits", "er-ashburn");
	vc = prov_find_res(p, "virtual_circuits", "vc1");
	CU_ASSERT_PTR_NOT_NULL_FATAL(ckt);
	CU_ASSERT_PTR_NOT_NULL_FATAL(vc);
	CU_ASSERT_EQUAL_FATAL(p->n_ops, 2);
	CU_ASSERT_EQUAL(p->ops[0].op, PROV_MAINTAIN);
	CU_ASSERT_FALSE(p->ops[0].refused);
	CU_ASSERT_EQUAL(p->ops[0].start, SIM_S(100));
	CU_ASSERT_EQUAL(p->ops[0].end, SIM_S(220));
	CU_ASSERT_PTR_NULL(prov_get(p, ckt, PROV_MAINT_FIELD, SIM_S(100) - 1));
	CU_ASSERT_STRING_EQUAL(prov_get(p, ckt, PROV_MAINT_FIELD, SIM_S(100)),
	    "secondary");
	CU_ASSERT_STRING_EQUAL(prov_get(p, ckt, PROV_MAINT_FIELD,
	    SIM_S(220) - 1), "secondary");
	CU_ASSERT_PTR_NULL(prov_get(p, ckt, PROV_MAINT_FIELD, SIM_S(220)));
	/* after the window's end, its delay, the default window */
	CU_ASSERT_FALSE(p->ops[1].refused);
	CU_ASSERT_EQUAL(p->ops[1].start, SIM_S(250));
	CU_ASSERT_EQUAL(p->ops[1].end, SIM_S(250) + PROV_MAINT_WINDOW);
	CU_ASSERT_EQUAL(PROV_MAINT_WINDOW, SIM_S(600));
	CU_ASSERT_STRING_EQUAL(prov_get(p, vc, PROV_MAINT_FIELD, SIM_S(250)),
	    "primary");
	CU_ASSERT_PTR_NULL(prov_get(p, vc, PROV_MAINT_FIELD, SIM_S(850)));
	/* the resources' gates are unchanged: maintenance carries on */
	CU_ASSERT_PTR_NULL(prov_gate(sc, "express_route_circuits",
	    "er-ashburn"));
	g = prov_state_gate(sc, "express_route_circuits", "er-ashburn",
	    PROV_MAINT_FIELD, "secondary");
	CU_ASSERT_PTR_NOT_NULL_FATAL(g);
	CU_ASSERT_STRING_EQUAL(g, "express_route_circuits/er-ashburn:"
	    "maintenance=secondary");
	CU_ASSERT_PTR_NULL(prov_state_gate(sc, "express_route_circuits",
	    "er-ashburn", PROV_MAINT_FIELD, "primary"));
	CU_ASSERT_PTR_NULL(prov_state_gate(sc, "express_route_circuits",
	    "nothing", PROV_MAINT_FIELD, "primary"));
	/* the expansions asked for both (the example's gates, below) */
	CU_ASSERT_EQUAL_FATAL(p->n_sgates, 2);
	CU_ASSERT_EQUAL(p->sgates[0].on.n, 3);
	CU_ASSERT_EQUAL(p->sgates[0].on.v[1].at, SIM_S(100));
	CU_ASSERT(p->sgates[0].on.v[1].on);
	CU_ASSERT_EQUAL(p->sgates[0].on.v[2].at, SIM_S(220));
	CU_ASSERT_FALSE(p->sgates[0].on.v[2].on);
	scenario_free(sc);
}

/*
 * Refused: a second window while one runs (1.7: the links are maintained
 * separately), and a circuit or virtual circuit that carries no traffic
 * (the virtual circuit, created at 0 in 10 minutes, is PROVISIONING at
 * 60 s and the circuit's provider side Provisioning); at 11 minutes it is.
 */
static void
test_refused(void)
{
	char *text = with_timeline(
	    "  - { at: 100s, duration: 5m, maintenance: er-ashburn, "
	    "link: primary }\n"
	    "  - { at: 200s, maintenance: er-ashburn, link: secondary, "
	    "expect: { error: maintained separately } }\n");
	struct scenario *sc = load_ok(text);
	const struct prov_plan *p = prov_plan_of(sc);
	char *out = NULL;

	free(text);
	CU_ASSERT_PTR_NOT_NULL_FATAL(p);
	CU_ASSERT_FALSE(p->ops[0].refused);
	CU_ASSERT_TRUE(p->ops[1].refused);
	CU_ASSERT_STRING_EQUAL(p->ops[1].error, "ExpressRouteCircuit "
	    "'er-ashburn': the primary link is under maintenance already "
	    "(primary and secondary are maintained separately, one window "
	    "at a time)");
	scenario_free(sc);

	text = with_timeline(
	    "  - { at: 0s, duration: 10m, create: vc1 }\n"
	    "  - { at: 60s, maintenance: er-ashburn, link: primary, "
	    "expect: { error: carries no traffic } }\n"
	    "  - { at: 60s, maintenance: vc1, link: primary, "
	    "expect: { error: carries no traffic } }\n"
	    "  - { at: 11m, maintenance: vc1, link: secondary }\n");
	sc = load_ok(text);
	free(text);
	p = prov_plan_of(sc);
	CU_ASSERT_PTR_NOT_NULL_FATAL(p);
	CU_ASSERT_TRUE(p->ops[1].refused);
	CU_ASSERT_PTR_NOT_NULL(strstr(p->ops[1].error, "circuit 'er-ashburn' "
	    "carries no traffic (it exists, serviceProviderProvisioningState "
	    "Provisioning): there is nothing to maintain"));
	CU_ASSERT_TRUE(p->ops[2].refused);
	CU_ASSERT_STRING_EQUAL(p->ops[2].error, "virtual circuit 'vc1' "
	    "carries no traffic (lifecycleState PROVISIONING): there is "
	    "nothing to maintain");
	CU_ASSERT_FALSE(p->ops[3].refused);
	/* as expected: the run's operation assertions pass */
	CU_ASSERT_EQUAL(sc_run_to_end(sc, 0, NULL, &out), 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "t.yaml:66: PASS: maintenance on "
	    "express_route_circuits/er-ashburn at 60s: refused: "));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "t.yaml:68: PASS: maintenance on "
	    "virtual_circuits/vc1 at 660s: succeeded (expected succeeded)"));
	free(out);
	scenario_free(sc);
}

static void
test_load_errors(void)
{
	static const char *const bad[][2] = {
		{ "  - { at: 1s, maintenance: er-ashburn }\n",
		  "maintenance of 'er-ashburn' needs 'link' (primary or "
		  "secondary)" },
		{ "  - { at: 1s, create: vc1, link: primary }\n",
		  "'link' belongs to a maintenance, not to create" },
		{ "  - { at: 1s, maintenance: er-ashburn, link: tertiary }\n",
		  "tertiary" },
		{ "  - { at: 1s, maintenance: hub, link: primary }\n",
		  "virtual_networks/hub (VirtualNetwork) has no operation "
		  "'maintenance'" },
		{ "  - { at: 1s, maintenance: er-ashburn, link: primary, "
		  "set: { x: 1 } }\n",
		  "'set' belongs to an update, not to maintenance" },
		{ "  - { at: 1s, maintenance: er-ashburn, link: primary, "
		  "duration: 0s }\n",
		  ":65:65: error: maintenance of 'er-ashburn': a window of 0s "
		  "maintains nothing" },
	};
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		char *text = with_timeline(bad[i][0]), *diag = NULL;
		unsigned n = 0;
		struct scenario *sc = load(text, &diag, &n);

		CU_ASSERT_PTR_NULL(sc);
		if (strstr(diag, bad[i][1]) == NULL) {
			fprintf(stderr, "case %zu: no \"%s\" in:\n%s", i,
			    bad[i][1], diag);
			CU_FAIL("error missing");
		}
		if (sc != NULL)
			scenario_free(sc);
		free(diag);
		free(text);
	}
}

/*
 * The example: both windows, every assertion passes (the path moves, no
 * probe or query lost), and the routes move at exact times: the window
 * opens at 150 s, the MSEE's UPDATE reaches the gateway 500.104 us later;
 * Oracle's at 300 s reaches the MSEE 20.115 us later and, passed on, the
 * gateway 520.224 us later.
 */
static void
test_example(void)
{
	char *text = test_slurp(EXAMPLE, NULL), *out = NULL;
	struct scenario *sc;

	CU_ASSERT_PTR_NOT_NULL_FATAL(text);
	sc = load_ok(text);
	free(text);
	CU_ASSERT_EQUAL(sc_run_to_end(sc, 0, NULL, &out), 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "route 10.2.1.0/24 at app-gw at "
	    "150.01s via 169.254.240.6 path \"12076 31898\": best via "
	    "169.254.240.6 path \"12076 31898\" since 150.000500104s\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "best via 169.254.0.1 path \"31898 "
	    "31898 31898 31898\" since 300.000020115s\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "route 10.2.1.0/24 at app-gw at "
	    "300.01s via 169.254.240.6 path \"12076 31898\": best via "
	    "169.254.240.6 path \"12076 31898\" since 300.000520224s\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "at 271s: path app-vm -> db-vm: "
	    "delivered [app-vm app-vnet app-gw msee-primary "
	    "oracle-edge-primary drg1 db-vcn db-vm]"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "ping-succeeds ping [100s, 530s): "
	    "4000/4000 replies"));
	if (strstr(out, "FAIL") != NULL)
		fprintf(stderr, "%s", out);
	free(out);
	scenario_free(sc);
}

int
main(int argc, char **argv)
{
	static const struct test_case cases[] = {
		{ "plan", test_plan },
		{ "refused", test_refused },
		{ "load_errors", test_load_errors },
		{ "example", test_example },
		{ NULL, NULL }
	};

	scenario_models_init();
	return test_main(argc, argv, "maintenance_prov", cases);
}
