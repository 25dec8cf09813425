/*
 * geo.h - geography: where the clouds' places are and how long light takes
 * between them. Owns the table of places (Azure regions, OCI regions,
 * ExpressRoute / FastConnect peering locations, geo_tables.c) with their
 * coordinates, lookup by name, the great-circle distance between two places
 * and the one-way propagation delay of a span between them, so that a user
 * names regions, not milliseconds (issue 13, "Geography"; docs/geo.md).
 *
 * Delay model (../shared/facts/cloud-facts.md, 5 and B9): light in
 * single-mode fibre takes 4.9 µs per km one way; fibre does not follow the
 * great circle and equipment adds on top, which the route factor covers:
 * delay = great-circle km x route factor x 4.9 µs/km. Microsoft's
 * ExpressRoute RTT table implies ~8.5 µs per great-circle km one way, so
 * the default route factor is 8.5 / 4.9 = 1.7347 (GEO_ROUTE_FACTOR).
 *
 * Distances are haversine on a sphere of the mean Earth radius (IUGG
 * R1 = 6371.0088 km): within 0.5% of the ellipsoid, well inside what the
 * route factor guesses. The tables are read-only and static: no state.
 *
 * Also owned here: the interconnect's paired metros (geo_pair: which
 * ExpressRoute peering location pairs with which OCI region, facts 3.2),
 * and the metro rule of a span inside one (geo_span_km): the published
 * points of a pair's places may lie far apart (Azure's East US point is
 * 297 km from Washington DC) while the interconnect joins datacentres of
 * one metro (facts 3.1, 3.4); docs/geo.md "Metro spans".
 */
#ifndef XCSIM_GEO_H
#define XCSIM_GEO_H

#include <stddef.h>

#include "units.h"

#define GEO_EARTH_RADIUS_KM 6371.0088	/* IUGG mean radius R1 */
#define GEO_FIBRE_NS_PER_KM 4900.0	/* 4.9 µs/km one way (facts 5) */
#define GEO_ER_NS_PER_KM 8500.0		/* measured per great-circle km (B9) */
#define GEO_ROUTE_FACTOR (GEO_ER_NS_PER_KM / GEO_FIBRE_NS_PER_KM)

enum geo_kind {
	GEO_AZURE_REGION,	/* name "eastus", display "East US" */
	GEO_OCI_REGION,		/* name "us-ashburn-1", display "US East (Ashburn)" */
	GEO_PEERING,		/* ExpressRoute/FastConnect location "Washington DC" */
};

struct geo_place {
	const char *name;	/* the cloud's identifier */
	const char *display;	/* the cloud's display name, or NULL */
	enum geo_kind kind;
	const char *metro;	/* the city the coordinates are of */
	double lat, lon;	/* degrees, north and east positive */
};

extern const struct geo_place geo_places[];
extern const size_t geo_n_places;
extern const char *const geo_kind_name[3];	/* "azure region", ... */

/*
 * The place named name: its identifier or display name, ASCII case
 * ignored ("eastus", "East US" and "EAST US" are the same place), or NULL
 * when the table has none (or name is NULL). Identifiers and display names
 * are unique across the table (test_geo checks).
 */
const struct geo_place *geo_find(const char *name);

/* Great-circle distance in km (haversine); -1 if either is NULL. */
double geo_km(const struct geo_place *a, const struct geo_place *b);

/*
 * One-way propagation delay of km great-circle kilometres at route_factor
 * (>= 1: fibre is never shorter than the great circle): km x route_factor
 * x 4.9 µs/km rounded to the nearest nanosecond (halves away from zero);
 * -1 if km < 0 or route_factor < 1 (or not a number).
 */
sim_time geo_km_delay(double km, double route_factor);

/* geo_km_delay(geo_km(a, b), route_factor); -1 if either is NULL. */
sim_time geo_delay(const struct geo_place *a, const struct geo_place *b,
    double route_factor);

/*
 * The interconnect's paired metros (facts 3.2; geo_tables.c). peering[0]
 * is Microsoft's peering-location name (a place of the table), peering[1]
 * the metro's other name a user may write ("Ashburn") or NULL; azure is
 * the Azure region the facts pair with it, NULL where they name none.
 */
struct geo_pair {
	const char *peering[2];
	const char *oci_region;	/* OCI region identifier */
	const char *azure;	/* Azure region identifier, or NULL */
	const char *metro;	/* the metro, for messages */
};

extern const struct geo_pair geo_pairs[];
extern const size_t geo_n_pairs;

/* The pair of a peering location (either name, ASCII case ignored). */
const struct geo_pair *geo_pair_by_peering(const char *location);
/* The pair of an OCI region identifier (exact, as OCI writes them). */
const struct geo_pair *geo_pair_by_oci_region(const char *region);
/* The pair place p belongs to (as its peering location, OCI or Azure
 * region), or NULL. */
const struct geo_pair *geo_pair_of(const struct geo_place *p);

/*
 * Metro rule: two places of one pair are in one metro, whatever their
 * published points say, and a span between them is at most GEO_METRO_KM:
 * the distance between two of a region's datacentres that Azure's cross-
 * zone RTT implies (facts B9: 675 µs cross-AZ against 315 µs in one AZ,
 * 180 µs one way more, 21 great-circle km at 8.5 µs/km). docs/geo.md.
 */
#define GEO_METRO_KM 21.0

/*
 * The great-circle km a span between a and b is taken to be: geo_km, or
 * at most GEO_METRO_KM between two places of one pair; -1 for NULL.
 */
double geo_span_km(const struct geo_place *a, const struct geo_place *b);

/* geo_km_delay(geo_span_km(a, b), route_factor): what a scenario's
 * `delay: {from, to, route_factor}` is. */
sim_time geo_span_delay(const struct geo_place *a, const struct geo_place *b,
    double route_factor);

#endif
