/*
 * geo.c - lookup, great-circle distance and span delay over the table of
 * geo_tables.c (geo.h).
 */
#include <math.h>
#include <strings.h>

#include "geo.h"

const char *const geo_kind_name[3] = {
	[GEO_AZURE_REGION] = "azure region",
	[GEO_OCI_REGION] = "oci region",
	[GEO_PEERING] = "peering location",
};

const struct geo_place *
geo_find(const char *name)
{
	size_t i;

	if (name == NULL)
		return NULL;
	for (i = 0; i < geo_n_places; i++) {
		const struct geo_place *p = &geo_places[i];

		if (strcasecmp(name, p->name) == 0 || (p->display != NULL &&
		    strcasecmp(name, p->display) == 0))
			return p;
	}
	return NULL;
}

static double
rad(double deg)
{
	return deg * (M_PI / 180.0);
}

double
geo_km(const struct geo_place *a, const struct geo_place *b)
{
	double dlat, dlon, h;

	if (a == NULL || b == NULL)
		return -1;
	dlat = rad(b->lat - a->lat);
	dlon = rad(b->lon - a->lon);
	h = sin(dlat / 2) * sin(dlat / 2) + cos(rad(a->lat)) *
	    cos(rad(b->lat)) * sin(dlon / 2) * sin(dlon / 2);
	/* rounding can push h a hair past 1 for antipodes: asin would NaN */
	if (h > 1)
		h = 1;
	return 2 * GEO_EARTH_RADIUS_KM * asin(sqrt(h));
}

sim_time
geo_km_delay(double km, double route_factor)
{
	/* written so a NaN fails both tests */
	if (!(km >= 0) || !(route_factor >= 1))
		return -1;
	return (sim_time)llround(km * route_factor * GEO_FIBRE_NS_PER_KM);
}

sim_time
geo_delay(const struct geo_place *a, const struct geo_place *b,
    double route_factor)
{
	if (a == NULL || b == NULL)
		return -1;
	return geo_km_delay(geo_km(a, b), route_factor);
}
