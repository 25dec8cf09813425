/*
 * test_designs_l2.c - the designs with the customer's own router between
 * the clouds (scenarios/designs/l2-provider.yaml, er-direct.yaml): each
 * runs with every assertion passing, its ping's RTT exactly; and the
 * Layer-2 design's default, its knobs taken out: cpe re-advertises every
 * route of each cloud to the other (plain eBGP), the management subnet
 * reaches Azure and the gateway spreads over both MSEEs.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "apps.h"
#include "bgp_scenario.h"
#include "geo.h"
#include "interconnect.h"
#include "net.h"
#include "scenario_models.h"
#include "scenario_testutil.h"
#include "testutil.h"

#define L2 XCSIM_SOURCE_DIR "/scenarios/designs/l2-provider.yaml"
#define ERD XCSIM_SOURCE_DIR "/scenarios/designs/er-direct.yaml"

/* Load and run text to its end; *sc to free after the run. */
static struct run *
run_all(const char *text, unsigned *failed, char **checks,
    struct scenario **scp)
{
	struct run_opts o = { 0 };
	char *diag = NULL;
	struct scenario *sc;
	struct run *r;
	unsigned n = 0;

	sc = load(text, &diag, &n);
	if (sc == NULL)
		fprintf(stderr, "%s\n", diag);
	CU_ASSERT_PTR_NOT_NULL_FATAL(sc);
	free(diag);
	r = sc_run_kept(sc, &o, failed, checks);
	*scp = sc;
	return r;
}

/* Every probe of app "ping" answered in exactly want. */
static void
exact_rtt(struct run *r, sim_time want)
{
	const struct app *a = run_app(r, "ping");
	size_t i;

	CU_ASSERT_PTR_NOT_NULL_FATAL(a);
	CU_ASSERT_EQUAL(ping_n_probes(a), 20);
	for (i = 0; i < ping_n_probes(a); i++) {
		CU_ASSERT_EQUAL(ping_probe(a, i)->result, PROBE_REPLY);
		CU_ASSERT_EQUAL(ping_probe(a, i)->rtt, want);
	}
}

/* node_dump_routes of name, runs of blanks made one; caller frees. */
static char *
routes_of(struct run *r, const char *name)
{
	struct node *n = net_find_node(run_net(r), name);
	char *out = NULL, *p, *q;
	size_t len = 0;
	FILE *f;

	CU_ASSERT_PTR_NOT_NULL_FATAL(n);
	f = open_memstream(&out, &len);
	node_dump_routes(n, f);
	fclose(f);
	for (p = q = out; *p != '\0'; p++)
		if (*p != ' ' || q == out || q[-1] != ' ')
			*q++ = *p;
	*q = '\0';
	return out;
}

/*
 * Each design's RTT: the spans' propagation twice (VNIC 40us, VNet-
 * gateway 30us, gateway-MSEE 500us, MSEE-router 20us, the router to
 * Oracle's edge across the metro, edge-DRG 200us, DRG-VCN 30us, VNIC
 * 40us) and each frame's serialisation per hop (98 bytes at 10 Gbit/s
 * 79 ns, 8 ns at 100 Gbit/s; 102 bytes with one tag 82 ns, 106 with two
 * 85 ns).
 */
static void
test_designs(void)
{
	static const struct {
		const char *file;
		sim_time ser;		/* serialisation, one way */
	} d[] = {
		/* 20 us to the MSEE (QinQ), the metro span to Oracle's */
		{ L2, 79 + 8 + 79 + 85 + 82 + 8 + 8 + 79 },
		/* the port, 20 us; the metro span to the cross-connects */
		{ ERD, 79 + 8 + 79 + 85 + 82 + 8 + 8 + 79 },
	};
	/* Washington DC <-> us-ashburn-1: one metro (docs/geo.md) */
	sim_time metro = geo_span_delay(geo_find("Washington DC"),
	    geo_find("us-ashburn-1"), GEO_ROUTE_FACTOR);
	size_t i;

	CU_ASSERT_EQUAL(metro, 178500);

	for (i = 0; i < sizeof(d) / sizeof(d[0]); i++) {
		char *t = test_slurp(d[i].file, NULL), *checks = NULL;
		unsigned failed;
		struct scenario *sc;
		struct run *r;

		CU_ASSERT_PTR_NOT_NULL_FATAL(t);
		r = run_all(t, &failed, &checks, &sc);
		if (failed != 0)
			fprintf(stderr, "%s: %s", d[i].file, checks);
		CU_ASSERT_EQUAL(failed, 0);
		exact_rtt(r, 2 * (IC_DELAY_HOST + IC_DELAY_FABRIC +
		    IC_DELAY_BACKBONE + SIM_US(20) + metro + IC_DELAY_ORACLE +
		    IC_DELAY_FABRIC + IC_DELAY_HOST) + 2 * d[i].ser);
		free(checks);
		run_free(r);
		scenario_free(sc);
		free(t);
	}
}

/* t with every `from` replaced by `to` (same length or shorter). */
static void
cut_all(char *t, const char *from)
{
	char *p;
	size_t n = strlen(from);

	while ((p = strstr(t, from)) != NULL)
		memmove(p, p + n, strlen(p + n) + 1);
}

/*
 * The default of the Layer-2 design without its knobs: cpe re-advertises
 * everything (eBGP), so the management subnet reaches the gateway too, and
 * with no prepend the gateway has both MSEEs' routes, ECMP (B1).
 */
static void
test_default_readvertises(void)
{
	char *t = test_slurp(L2, NULL), *checks = NULL, *d, *a;
	unsigned failed;
	struct scenario *sc;
	struct run *r;

	CU_ASSERT_PTR_NOT_NULL_FATAL(t);
	cut_all(t, ", import: from-azure,\n          export: "
	    "to-azure-backup");
	cut_all(t, ", import: from-azure, export: to-azure");
	cut_all(t, ", export: to-oci");
	/* the file's assertions of the knobs no longer hold: drop them */
	a = strstr(t, "\nassertions:\n");
	CU_ASSERT_PTR_NOT_NULL_FATAL(a);
	a[1] = '\0';
	r = run_all(t, &failed, &checks, &sc);
	CU_ASSERT_EQUAL(failed, 0);
	d = routes_of(r, "app-gw");
	if (strstr(d, "10.2.9.0/24 via 169.254.240.2 dev msee-primary") ==
	    NULL)
		fprintf(stderr, "%s", d);
	CU_ASSERT_PTR_NOT_NULL(strstr(d, "10.2.9.0/24 via 169.254.240.2 dev "
	    "msee-primary"));
	CU_ASSERT_PTR_NOT_NULL(strstr(d, "10.2.9.0/24 via 169.254.240.6 dev "
	    "msee-secondary"));
	CU_ASSERT_PTR_NOT_NULL(strstr(d, "10.2.1.0/24 via 169.254.240.6 dev "
	    "msee-secondary"));
	free(d);
	free(checks);
	run_free(r);
	scenario_free(sc);
	free(t);
}

/*
 * The community knob: without the tag cpe puts on Azure's routes coming in
 * (policy from-azure), its export to OCI (to-oci: only routes with
 * 65010:12076) hands OCI nothing, and the VNet never reaches the DRG.
 */
static void
test_community(void)
{
	char *t = test_slurp(L2, NULL), *checks = NULL, *d, *a;
	unsigned failed;
	struct scenario *sc;
	struct run *r;

	CU_ASSERT_PTR_NOT_NULL_FATAL(t);
	cut_all(t, " import: from-azure,");
	a = strstr(t, "\nassertions:\n");
	CU_ASSERT_PTR_NOT_NULL_FATAL(a);
	a[1] = '\0';
	r = run_all(t, &failed, &checks, &sc);
	CU_ASSERT_EQUAL(failed, 0);
	d = routes_of(r, "drg1");
	CU_ASSERT_PTR_NULL(strstr(d, "10.1.0.0/16"));
	free(d);
	/* the Azure side still has the database subnet (to-azure) */
	d = routes_of(r, "app-gw");
	CU_ASSERT_PTR_NOT_NULL(strstr(d, "10.2.1.0/24 via 169.254.240.2"));
	free(d);
	free(checks);
	run_free(r);
	scenario_free(sc);
	free(t);
}

int
main(int argc, char **argv)
{
	static const struct test_case cases[] = {
		{ "the designs run, their assertions pass, exact RTTs",
		    test_designs },
		{ "without its knobs the router re-advertises everything",
		    test_default_readvertises },
		{ "the community knob decides what goes to OCI",
		    test_community },
		{ NULL, NULL }
	};

	scenario_models_init();
	return test_main(argc, argv, "designs_l2", cases);
}
