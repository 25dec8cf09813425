/*
 * scenario_geo.c - a delay written as a span between two places: the
 * mapping form of SC_FT_DELAY, `delay: {from: eastus, to: Washington DC,
 * route_factor: 1.7}`, which every field of that type takes (a link's and
 * a direction's delay, the clouds' xcsim delays). models/geo knows the
 * places and turns the span into a one-way delay (geo_span_delay: the
 * great-circle distance, at most GEO_METRO_KM inside a paired metro, x
 * the route factor x 4.9 µs/km); docs/geo.md says where each number
 * comes from. The value stored is the delay, as if the time had been
 * written: nothing after the walk knows it was a span.
 */
#include <stdlib.h>
#include <string.h>

#include "geo.h"
#include "scenario_load.h"
#include "sim.h"
#include "units.h"

static const struct sc_field geo_delay_fields[] = {
	[GD_FROM] = { "from", SC_FT_STRING, SC_AT(struct sc_geo_delay, from),
		.required = true,
		.doc = "one end: an Azure region (eastus or East US), an OCI "
		"region (us-ashburn-1 or US East (Ashburn)) or a peering "
		"location (Washington DC), case ignored (docs/geo.md)" },
	[GD_TO] = { "to", SC_FT_STRING, SC_AT(struct sc_geo_delay, to),
		.required = true, .doc = "the other end, as from" },
	[GD_ROUTE_FACTOR] = { "route_factor", SC_FT_REAL,
		SC_AT(struct sc_geo_delay, route_factor), .min = 1,
		.max = 100,
		.def_doc = "1.7347 (8.5 µs per great-circle km measured on "
		"ExpressRoute paths over 4.9 µs/km in fibre, facts B9 and 5)",
		.doc = "fibre km per great-circle km, gear included: the "
		"delay is great-circle km x route_factor x 4.9 µs/km" },
};

const struct sc_table sc_geo_delay_table = {
	"geo-delay", "A delay given as the span between two places of "
	"models/geo instead of a time: the great-circle distance between "
	"them (at most 21 km between places of one interconnect metro, such "
	"as eastus, Washington DC and us-ashburn-1: docs/geo.md \"Metro "
	"spans\") x route_factor x 4.9 µs/km, one way, to the nanosecond.",
	geo_delay_fields, SC_NFIELDS(geo_delay_fields),
	sizeof(struct sc_geo_delay), SC_NO_OFF,
	offsetof(struct sc_geo_delay, vloc),
	offsetof(struct sc_geo_delay, keys), -1
};

/* The place named name, or NULL after an error at loc. */
static const struct geo_place *
place(struct sc_check *ld, const char *key, const char *name,
    struct sc_loc loc)
{
	const struct geo_place *p = geo_find(name);
	const char *near;
	char hint[160];

	if (p != NULL || name == NULL)
		return p;
	near = suggest(ld, name, geo_places, geo_n_places,
	    sizeof(geo_places[0]), offsetof(struct geo_place, name));
	if (near == NULL)
		near = suggest(ld, name, geo_places, geo_n_places,
		    sizeof(geo_places[0]), offsetof(struct geo_place, display));
	ld_error(ld, loc, "'%s': unknown place '%s'%s (an Azure region, an "
	    "OCI region or a peering location of models/geo: docs/geo.md)",
	    key, q(ld, name), dym(ld, hint, sizeof(hint), near));
	return NULL;
}

void
sc_geo_delay_walk(struct sc_check *ld, const struct sc_field *f,
    yaml_node_t *v, char *obj)
{
	struct sc_geo_delay g;
	const struct geo_place *a, *b;
	unsigned errs = ld->n_errors;
	double rf;
	sim_time d;

	memset(&g, 0, sizeof(g));
	walk_map(ld, &sc_geo_delay_table, v, (char *)&g);
	a = place(ld, "from", g.from, g.vloc[GD_FROM]);
	b = place(ld, "to", g.to, g.vloc[GD_TO]);
	if (ld->n_errors != errs)
		goto out;
	rf = sc_key_given(g.keys, GD_ROUTE_FACTOR) ? g.route_factor :
	    GEO_ROUTE_FACTOR;
	d = geo_span_delay(a, b, rf);
	/* known places and a factor in [1, 100]: at most ~10 s */
	SIM_ASSERT(d >= 0, "geo delay %lld", (long long)d);
	if ((uint64_t)d < f->min || (f->max != 0 && (uint64_t)d > f->max)) {
		char t1[32];

		ld_error(ld, loc_of(v), "'%s': the span from %s to %s is %s, "
		    "outside the range of '%s'", f->name, a->name, b->name,
		    units_fmt_time(t1, sizeof(t1), d), f->name);
		goto out;
	}
	memcpy(obj + f->off, &d, sizeof(d));
out:
	free_obj(&sc_geo_delay_table, (char *)&g);
}
