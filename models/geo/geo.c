/*
 * geo.c - lookup, great-circle distance and span delay over the table of
 * geo_tables.c (geo.h).
 */
#include <math.h>
#include <string.h>
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

const struct geo_pair *
geo_pair_by_peering(const char *location)
{
	size_t i;

	for (i = 0; location != NULL && i < geo_n_pairs; i++)
		if (strcasecmp(location, geo_pairs[i].peering[0]) == 0 ||
		    (geo_pairs[i].peering[1] != NULL &&
		    strcasecmp(location, geo_pairs[i].peering[1]) == 0))
			return &geo_pairs[i];
	return NULL;
}

const struct geo_pair *
geo_pair_by_oci_region(const char *region)
{
	size_t i;

	for (i = 0; region != NULL && i < geo_n_pairs; i++)
		if (strcmp(region, geo_pairs[i].oci_region) == 0)
			return &geo_pairs[i];
	return NULL;
}

const struct geo_pair *
geo_pair_of(const struct geo_place *p)
{
	size_t i;

	if (p == NULL)
		return NULL;
	for (i = 0; i < geo_n_pairs; i++) {
		const struct geo_pair *g = &geo_pairs[i];

		switch (p->kind) {
		case GEO_PEERING:
			if (strcmp(p->name, g->peering[0]) == 0)
				return g;
			break;
		case GEO_OCI_REGION:
			if (strcmp(p->name, g->oci_region) == 0)
				return g;
			break;
		case GEO_AZURE_REGION:
			if (g->azure != NULL && strcmp(p->name, g->azure) == 0)
				return g;
			break;
		}
	}
	return NULL;
}

double
geo_span_km(const struct geo_place *a, const struct geo_place *b)
{
	const struct geo_pair *pa = geo_pair_of(a);
	double km = geo_km(a, b);

	if (pa != NULL && pa == geo_pair_of(b) && km > GEO_METRO_KM)
		return GEO_METRO_KM;
	return km;
}

sim_time
geo_span_delay(const struct geo_place *a, const struct geo_place *b,
    double route_factor)
{
	if (a == NULL || b == NULL)
		return -1;
	return geo_km_delay(geo_span_km(a, b), route_factor);
}
