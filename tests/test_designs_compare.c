/*
 * test_designs_compare.c - the four designs docs/designs.md compares
 * (scenarios/designs/compare/): each runs its ten simulated minutes with
 * every assertion of its file passing (BGP up, the copy done, the failover
 * at 300 s within its bound, pings answered after it), and its first ping's
 * round trip is the propagation of the spans the geography gives (the
 * metro rule of docs/geo.md: 178.5 us per span between East US, the
 * Washington DC peering location and us-ashburn-1) plus under 2 us of
 * serialisation (not the VPN's, whose internet span is jittered). A design
 * whose spans were not read from the geography
 * (the interconnect's fixed 500 us backbone, say) misses by hundreds of
 * microseconds. And each design carries, as its own apps, exactly the
 * traffic file's (designs.traffic.yaml, what `xcsim compare --traffic`
 * puts in their place), so a design run alone runs the compared load.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "apps.h"
#include "geo.h"
#include "interconnect.h"
#include "net.h"
#include "scenario_models.h"
#include "scenario_testutil.h"
#include "testutil.h"

#define DIR XCSIM_SOURCE_DIR "/scenarios/designs/compare/"

/* The text from "\napps:\n" to the next top-level key or the end. */
static char *
apps_block(const char *t)
{
	const char *a = strstr(t, "\napps:\n"), *e;

	if (a == NULL)
		return NULL;
	a++;
	for (e = a + 6; *e != '\0'; e++)
		if (e[-1] == '\n' && *e >= 'a' && *e <= 'z')
			break;
	while (e > a && e[-1] == '\n')	/* blank lines before the next */
		e--;
	return strndup(a, (size_t)(e - a));
}

static void
same_apps(const char *design, const char *traffic)
{
	char *d = apps_block(design), *t = apps_block(traffic);

	CU_ASSERT_PTR_NOT_NULL_FATAL(d);
	CU_ASSERT_PTR_NOT_NULL_FATAL(t);
	CU_ASSERT_STRING_EQUAL(d, t);
	free(d);
	free(t);
}

static void
run_design(const char *file, sim_time prop)
{
	char *t = test_slurp(file, NULL), *diag = NULL, *checks = NULL, *tr;
	struct run_opts o = { 0 };
	const struct app *a;
	struct scenario *sc;
	struct run *r;
	unsigned n = 0, failed;
	sim_time rtt;

	CU_ASSERT_PTR_NOT_NULL_FATAL(t);
	tr = test_slurp(DIR "designs.traffic.yaml", NULL);
	CU_ASSERT_PTR_NOT_NULL_FATAL(tr);
	same_apps(t, tr);
	free(tr);
	sc = load(t, &diag, &n);
	if (sc == NULL)
		fprintf(stderr, "%s: %s\n", file, diag);
	CU_ASSERT_PTR_NOT_NULL_FATAL(sc);
	free(diag);
	r = sc_run_kept(sc, &o, &failed, &checks);
	if (failed != 0)
		fprintf(stderr, "%s:\n%s", file, checks);
	CU_ASSERT_EQUAL(failed, 0);
	/* the file's failover assertion ran and held */
	CU_ASSERT_PTR_NOT_NULL(strstr(checks, "PASS: route 10.2.1.0/24 at "));
	CU_ASSERT_PTR_NOT_NULL(strstr(checks, " moves to another next hop "
	    "within "));
	a = run_app(r, "ping");
	CU_ASSERT_PTR_NOT_NULL_FATAL(a);
	CU_ASSERT_FATAL(ping_n_probes(a) > 0);
	CU_ASSERT_EQUAL(ping_probe(a, 0)->result, PROBE_REPLY);
	rtt = ping_probe(a, 0)->rtt;
	if (prop == 0)		/* the internet's jitter: no exact floor */
		goto out;
	if (rtt < 2 * prop || rtt >= 2 * prop + SIM_US(2))
		fprintf(stderr, "%s: rtt %lld ns, propagation 2 x %lld ns\n",
		    file, (long long)rtt, (long long)prop);
	CU_ASSERT(rtt >= 2 * prop && rtt < 2 * prop + SIM_US(2));
out:
	free(checks);
	run_free(r);
	scenario_free(sc);
	free(t);
}

/* The spans one way, VM to instance, in each design. */
static void
test_designs(void)
{
	sim_time metro = geo_span_delay(geo_find("eastus"),
	    geo_find("Washington DC"), GEO_ROUTE_FACTOR);
	sim_time ends = 2 * (IC_DELAY_HOST + IC_DELAY_FABRIC);

	/* the metro rule: 21 km at 8.5 us/km (docs/geo.md) */
	CU_ASSERT_EQUAL(metro, SIM_NS(178500));
	CU_ASSERT_EQUAL(geo_span_delay(geo_find("Washington DC"),
	    geo_find("us-ashburn-1"), GEO_ROUTE_FACTOR), metro);
	/* gateway-MSEE span, MSEE-Oracle cross-connect, edge-DRG span */
	run_design(DIR "direct.yaml", ends + metro + IC_DELAY_CROSS_CONNECT +
	    metro);
	/* gateway-MSEE, MSEE-PE 20 us, the core's span, PE-edge 20 us, DRG */
	run_design(DIR "l3-provider.yaml", ends + metro + SIM_US(20) + metro +
	    SIM_US(20) + metro);
	/* gateway-MSEE, MSEE-cpe 20 us, cpe-edge span, edge-DRG span */
	run_design(DIR "l2-provider.yaml", ends + metro + SIM_US(20) + metro +
	    metro);
	/* the VPN: its assertions (tunnels, BGP, the failover at the hold) */
	run_design(DIR "vpn.yaml", 0);
}

int
main(int argc, char **argv)
{
	static const struct test_case cases[] = {
		{ "the compared designs run, their assertions pass, RTTs "
		    "from the geography", test_designs },
		{ NULL, NULL }
	};

	scenario_models_init();
	return test_main(argc, argv, "designs_compare", cases);
}
