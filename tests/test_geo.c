/*
 * test_geo.c - models/geo: lookup by identifier and display name (case
 * ignored, unknown names NULL), the table's names unique and its
 * coordinates on the globe, great-circle distances against a second,
 * independent formula (the chord through the Earth) and against the
 * distances of Microsoft's ExpressRoute latency table (facts B9), and the
 * delay: km x route factor x 4.9 µs/km rounded to the nanosecond, the
 * default route factor giving the facts' 8.5 µs per great-circle km.
 */
#include <math.h>
#include <strings.h>

#include "geo.h"
#include "testutil.h"

/*
 * Distance by the chord between the two points as unit vectors: another
 * road to the same great-circle distance than geo.c's haversine.
 */
static double
chord_km(double lat1, double lon1, double lat2, double lon2)
{
	double r = M_PI / 180, x, y, z, c;

	x = cos(lat1 * r) * cos(lon1 * r) - cos(lat2 * r) * cos(lon2 * r);
	y = cos(lat1 * r) * sin(lon1 * r) - cos(lat2 * r) * sin(lon2 * r);
	z = sin(lat1 * r) - sin(lat2 * r);
	c = sqrt(x * x + y * y + z * z);
	return 2 * 6371.0088 * asin(c / 2);
}

static void
test_find(void)
{
	const struct geo_place *p;

	p = geo_find("eastus");
	CU_ASSERT_PTR_NOT_NULL_FATAL(p);
	CU_ASSERT_EQUAL(p->kind, GEO_AZURE_REGION);
	CU_ASSERT_EQUAL(p->lat, 37.3719);
	CU_ASSERT_EQUAL(p->lon, -79.8164);
	CU_ASSERT_PTR_EQUAL(geo_find("East US"), p);	/* display name */
	CU_ASSERT_PTR_EQUAL(geo_find("EAST US"), p);
	CU_ASSERT_PTR_EQUAL(geo_find("EastUS"), p);	/* case only */
	CU_ASSERT_PTR_NOT_EQUAL(geo_find("East US 2"), p);
	CU_ASSERT_STRING_EQUAL(geo_find("east us 2")->name, "eastus2");

	p = geo_find("us-ashburn-1");
	CU_ASSERT_PTR_NOT_NULL_FATAL(p);
	CU_ASSERT_EQUAL(p->kind, GEO_OCI_REGION);
	CU_ASSERT_STRING_EQUAL(p->metro, "Ashburn");
	CU_ASSERT_PTR_EQUAL(geo_find("US East (Ashburn)"), p);

	p = geo_find("washington dc");
	CU_ASSERT_PTR_NOT_NULL_FATAL(p);
	CU_ASSERT_EQUAL(p->kind, GEO_PEERING);
	CU_ASSERT_STRING_EQUAL(p->name, "Washington DC");
	CU_ASSERT_STRING_EQUAL(geo_kind_name[p->kind], "peering location");

	/* unknown, near misses and nothing */
	CU_ASSERT_PTR_NULL(geo_find("us-ashburn-2"));
	CU_ASSERT_PTR_NULL(geo_find("East US "));
	CU_ASSERT_PTR_NULL(geo_find("East"));
	CU_ASSERT_PTR_NULL(geo_find(""));
	CU_ASSERT_PTR_NULL(geo_find(NULL));
}

/* Every name finds its own place: none shadows another. */
static void
test_table(void)
{
	size_t i, j, n[3] = { 0, 0, 0 };

	CU_ASSERT(geo_n_places > 40);
	for (i = 0; i < geo_n_places; i++) {
		const struct geo_place *p = &geo_places[i];

		CU_ASSERT_PTR_EQUAL(geo_find(p->name), p);
		if (p->display != NULL)
			CU_ASSERT_PTR_EQUAL(geo_find(p->display), p);
		CU_ASSERT(p->lat >= -90 && p->lat <= 90);
		CU_ASSERT(p->lon >= -180 && p->lon <= 180);
		CU_ASSERT_PTR_NOT_NULL(p->metro);
		CU_ASSERT((p->display != NULL) == (p->kind != GEO_PEERING));
		n[p->kind]++;
		for (j = 0; j < i; j++)
			CU_ASSERT(strcasecmp(p->name, geo_places[j].name) != 0);
	}
	CU_ASSERT(n[GEO_AZURE_REGION] > 0 && n[GEO_OCI_REGION] > 0 &&
	    n[GEO_PEERING] > 0);
	/* the interconnect's paired metros (facts 3.2) are all there */
	CU_ASSERT_PTR_NOT_NULL(geo_find("uksouth"));
	CU_ASSERT_PTR_NOT_NULL(geo_find("uk-london-1"));
	CU_ASSERT_PTR_NOT_NULL(geo_find("London"));
	CU_ASSERT_PTR_NOT_NULL(geo_find("Canada Central"));
	CU_ASSERT_PTR_NOT_NULL(geo_find("ca-toronto-1"));
	CU_ASSERT_PTR_NOT_NULL(geo_find("West Europe"));
	CU_ASSERT_PTR_NOT_NULL(geo_find("eu-amsterdam-1"));
	CU_ASSERT_PTR_NOT_NULL(geo_find("Japan East"));
	CU_ASSERT_PTR_NOT_NULL(geo_find("ap-tokyo-1"));
	CU_ASSERT_PTR_NOT_NULL(geo_find("West US"));
	CU_ASSERT_PTR_NOT_NULL(geo_find("us-sanjose-1"));
	CU_ASSERT_PTR_NOT_NULL(geo_find("Silicon Valley"));
}

static void
check_km(const char *a, const char *b, double want)
{
	const struct geo_place *p = geo_find(a), *q = geo_find(b);
	double km;

	CU_ASSERT_PTR_NOT_NULL_FATAL(p);
	CU_ASSERT_PTR_NOT_NULL_FATAL(q);
	km = geo_km(p, q);
	CU_ASSERT_DOUBLE_EQUAL(km, chord_km(p->lat, p->lon, q->lat, q->lon),
	    1e-6);
	CU_ASSERT_DOUBLE_EQUAL(km, want, 1e-6);
	CU_ASSERT_DOUBLE_EQUAL(geo_km(q, p), km, 1e-9);	/* symmetric */
}

static void
test_km(void)
{
	const struct geo_place *dc = geo_find("Washington DC");

	/* the values: the chord formula by hand (python), 1e-6 km */
	check_km("eastus", "Washington DC", 297.0181379578783);
	check_km("Washington DC", "us-ashburn-1", 41.80062608612388);
	check_km("eastus", "us-ashburn-1", 275.6096443388338);
	check_km("uksouth", "London", 78.42985204811538);
	check_km("Washington DC", "Tokyo", 10906.41251266039);
	check_km("London", "ap-singapore-1", 10847.85985439171);
	CU_ASSERT_EQUAL(geo_km(dc, dc), 0);
	CU_ASSERT_EQUAL(geo_km(dc, NULL), -1);
	CU_ASSERT_EQUAL(geo_km(NULL, dc), -1);

	/*
	 * Microsoft's ExpressRoute table (facts B9) measures from Seattle:
	 * West US 2 191 km, West US 1,094, Central US 2,357, South Central US
	 * 2,877. The table's coordinates give the same within 0.2%.
	 */
	CU_ASSERT_DOUBLE_EQUAL(geo_km(geo_find("Seattle"),
	    geo_find("West US 2")), 191, 191 * 0.002);
	CU_ASSERT_DOUBLE_EQUAL(geo_km(geo_find("Seattle"),
	    geo_find("West US")), 1094, 1094 * 0.002);
	CU_ASSERT_DOUBLE_EQUAL(geo_km(geo_find("Seattle"),
	    geo_find("Central US")), 2357, 2357 * 0.002);
	CU_ASSERT_DOUBLE_EQUAL(geo_km(geo_find("Seattle"),
	    geo_find("South Central US")), 2877, 2877 * 0.002);
}

static void
test_delay(void)
{
	const struct geo_place *ea = geo_find("eastus");
	const struct geo_place *dc = geo_find("Washington DC");

	/* the facts' figures: 4.9 µs/km in fibre, 8.5 per great-circle km */
	CU_ASSERT_EQUAL(geo_km_delay(1, 1), SIM_NS(4900));
	CU_ASSERT_EQUAL(geo_km_delay(1000, 1), SIM_US(4900));
	CU_ASSERT_EQUAL(geo_km_delay(1, GEO_ROUTE_FACTOR), SIM_NS(8500));
	CU_ASSERT_EQUAL(geo_km_delay(1000, GEO_ROUTE_FACTOR), SIM_US(8500));
	CU_ASSERT(GEO_ROUTE_FACTOR > 1.73 && GEO_ROUTE_FACTOR < 1.74);
	CU_ASSERT_EQUAL(geo_km_delay(100, 1.5), SIM_NS(735000));
	CU_ASSERT_EQUAL(geo_km_delay(0, 1), 0);

	/* rounded to the nearest ns: 0.49 ns down, 0.539 and 1.5 ns up */
	CU_ASSERT_EQUAL(geo_km_delay(0.0001, 1), 0);
	CU_ASSERT_EQUAL(geo_km_delay(0.00011, 1), 1);
	CU_ASSERT_EQUAL(geo_km_delay(1.5 / 4900, 1), 2);
	CU_ASSERT_EQUAL(geo_km_delay(1.4 / 4900, 1), 1);

	/* refused: negative distance, route factor below 1, NaN */
	CU_ASSERT_EQUAL(geo_km_delay(-1, 1), -1);
	CU_ASSERT_EQUAL(geo_km_delay(1, 0.99), -1);
	CU_ASSERT_EQUAL(geo_km_delay(1, 0), -1);
	CU_ASSERT_EQUAL(geo_km_delay(NAN, 1), -1);
	CU_ASSERT_EQUAL(geo_km_delay(1, NAN), -1);

	/* between places: the distance's delay, exact to the ns */
	CU_ASSERT_EQUAL(geo_delay(ea, dc, GEO_ROUTE_FACTOR),
	    SIM_NS(2524654));	/* 297.018 km x 8.5 µs */
	CU_ASSERT_EQUAL(geo_delay(ea, dc, 1), SIM_NS(1455389));
	CU_ASSERT_EQUAL(geo_delay(dc, ea, 1), SIM_NS(1455389));
	CU_ASSERT_EQUAL(geo_delay(geo_find("Seattle"), geo_find("westus2"),
	    GEO_ROUTE_FACTOR), SIM_NS(1624737));
	CU_ASSERT_EQUAL(geo_delay(dc, dc, GEO_ROUTE_FACTOR), 0);
	CU_ASSERT_EQUAL(geo_delay(dc, NULL, 1), -1);
	CU_ASSERT_EQUAL(geo_delay(NULL, dc, 1), -1);
	CU_ASSERT_EQUAL(geo_delay(ea, dc, 0.5), -1);
}

/* The interconnect's pairs: each names places of the table. */
static void
test_pairs(void)
{
	const struct geo_pair *g;
	size_t i;

	CU_ASSERT_EQUAL(geo_n_pairs, 12);	/* facts 3.2: 12 metros */
	for (i = 0; i < geo_n_pairs; i++) {
		const struct geo_pair *p = &geo_pairs[i];
		const struct geo_place *pl = geo_find(p->peering[0]);
		const struct geo_place *oci = geo_find(p->oci_region);

		CU_ASSERT_PTR_NOT_NULL_FATAL(pl);
		CU_ASSERT_EQUAL(pl->kind, GEO_PEERING);
		CU_ASSERT_PTR_NOT_NULL_FATAL(oci);
		CU_ASSERT_EQUAL(oci->kind, GEO_OCI_REGION);
		CU_ASSERT_PTR_EQUAL(geo_pair_of(pl), p);
		CU_ASSERT_PTR_EQUAL(geo_pair_of(oci), p);
		CU_ASSERT_PTR_EQUAL(geo_pair_by_peering(p->peering[0]), p);
		CU_ASSERT_PTR_EQUAL(geo_pair_by_oci_region(p->oci_region), p);
		if (p->peering[1] != NULL)
			CU_ASSERT_PTR_EQUAL(geo_pair_by_peering(p->peering[1]),
			    p);
		if (p->azure != NULL) {
			const struct geo_place *az = geo_find(p->azure);

			CU_ASSERT_PTR_NOT_NULL_FATAL(az);
			CU_ASSERT_EQUAL(az->kind, GEO_AZURE_REGION);
			CU_ASSERT_PTR_EQUAL(geo_pair_of(az), p);
		}
	}
	/* as oci_location.c matched them: peering names case-blind, the
	 * metro's other name, OCI regions exact */
	g = geo_pair_by_peering("washington dc");
	CU_ASSERT_PTR_NOT_NULL_FATAL(g);
	CU_ASSERT_STRING_EQUAL(g->oci_region, "us-ashburn-1");
	CU_ASSERT_STRING_EQUAL(g->azure, "eastus");
	CU_ASSERT_PTR_EQUAL(geo_pair_by_peering("ASHBURN"), g);
	CU_ASSERT_PTR_EQUAL(geo_pair_by_oci_region("us-ashburn-1"), g);
	CU_ASSERT_PTR_NULL(geo_pair_by_oci_region("US-ASHBURN-1"));
	CU_ASSERT_PTR_NULL(geo_pair_by_oci_region("us-ashburn-2"));
	CU_ASSERT_PTR_NULL(geo_pair_by_peering("Seattle"));	/* no pair */
	CU_ASSERT_PTR_NULL(geo_pair_by_peering(NULL));
	CU_ASSERT_PTR_EQUAL(geo_pair_by_peering("san jose"),
	    geo_pair_by_oci_region("us-sanjose-1"));
	CU_ASSERT_PTR_NULL(geo_pair_of(geo_find("Seattle")));
	CU_ASSERT_PTR_NULL(geo_pair_of(geo_find("eastus2")));
	CU_ASSERT_PTR_NULL(geo_pair_of(NULL));
}

/*
 * The metro rule: East US's published point is 297 km from Washington DC,
 * 2.52 ms one way at the default factor, which alone would break the
 * interconnect's "sub-2 ms" RTT (facts 3.4); inside the pair a span is at
 * most GEO_METRO_KM, 21 km, 178.5 µs at 8.5 µs/km.
 */
static void
test_metro(void)
{
	const struct geo_place *ea = geo_find("eastus"),
	    *dc = geo_find("Washington DC"), *ash = geo_find("us-ashburn-1"),
	    *lon = geo_find("London"), *ea2 = geo_find("eastus2"),
	    *fra = geo_find("eu-frankfurt-1"), *sea = geo_find("Seattle");

	CU_ASSERT_DOUBLE_EQUAL(geo_span_km(ea, dc), 21.0, 0);
	CU_ASSERT_DOUBLE_EQUAL(geo_span_km(dc, ea), 21.0, 0);
	CU_ASSERT_DOUBLE_EQUAL(geo_span_km(ea, ash), 21.0, 0);
	CU_ASSERT_EQUAL(geo_span_delay(ea, dc, GEO_ROUTE_FACTOR),
	    SIM_NS(178500));
	CU_ASSERT_EQUAL(geo_span_delay(ash, ea, GEO_ROUTE_FACTOR),
	    SIM_NS(178500));
	CU_ASSERT_EQUAL(geo_span_delay(ea, dc, 1), SIM_NS(102900));
	/* DC - Ashburn: 42 km between the published points, capped too */
	CU_ASSERT(geo_km(dc, ash) > 40 && geo_km(dc, ash) < 45);
	CU_ASSERT_EQUAL(geo_span_delay(dc, ash, GEO_ROUTE_FACTOR),
	    SIM_NS(178500));
	/* a pair's places closer than the cap keep their distance */
	CU_ASSERT_DOUBLE_EQUAL(geo_span_km(geo_find("Tokyo"),
	    geo_find("ap-tokyo-1")), 0.0, 1e-9);
	/* sub-2 ms: VM - peering location - VM is two spans each way */
	CU_ASSERT(2 * (geo_span_delay(ea, dc, GEO_ROUTE_FACTOR) +
	    geo_span_delay(dc, ash, GEO_ROUTE_FACTOR)) < SIM_MS(1));
	/* across pairs, or outside any, the published distance */
	CU_ASSERT_DOUBLE_EQUAL(geo_span_km(ea, lon), geo_km(ea, lon), 0);
	CU_ASSERT_DOUBLE_EQUAL(geo_span_km(ea2, dc), geo_km(ea2, dc), 0);
	CU_ASSERT_DOUBLE_EQUAL(geo_span_km(dc, fra), geo_km(dc, fra), 0);
	CU_ASSERT_EQUAL(geo_span_delay(sea, geo_find("westus2"),
	    GEO_ROUTE_FACTOR), SIM_NS(1624737));
	CU_ASSERT_EQUAL(geo_span_delay(ea, ea, GEO_ROUTE_FACTOR), 0);
	CU_ASSERT_EQUAL(geo_span_km(ea, NULL), -1);
	CU_ASSERT_EQUAL(geo_span_delay(NULL, ea, 1), -1);
	CU_ASSERT_EQUAL(geo_span_delay(ea, dc, 0.9), -1);
}

static const struct test_case cases[] = {
	{ "lookup: identifiers, display names, case, unknown", test_find },
	{ "table: unique names, coordinates, paired metros (3.2)",
	    test_table },
	{ "great-circle km: two formulas and Microsoft's table (B9)",
	    test_km },
	{ "delay: 4.9 µs/km x route factor, rounded to the ns (5, B9)",
	    test_delay },
	{ "pairs: the interconnect's metros (3.2), as oci matched them",
	    test_pairs },
	{ "metro rule: a pair's spans at most 21 km (3.4, B9)", test_metro },
	{ NULL, NULL }
};

int
main(int argc, char **argv)
{
	return test_main(argc, argv, "geo", cases);
}
