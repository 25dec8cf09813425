/*
 * oci_location.c - where a FastConnect virtual circuit to Azure may be:
 * the interconnect exists only where the ExpressRoute peering location is
 * in or near the FastConnect location (3.1), i.e. in the paired metros
 * (3.2). The virtual circuit's OCI region (its own `region`, else the oci
 * section's) must pair with its circuit's peering_location.
 *
 * The pairs are models/geo's (geo_pairs, with their sources in
 * geo_tables.c): Microsoft's peering-location names, "Ashburn" and "San
 * Jose" accepted as the metro's other names. A peering location outside
 * the table is not judged (Azure's side; the list grows); a virtual
 * circuit's region outside it is refused, naming the ones known (it may
 * be a misspelling: xcsim cannot tell, and cannot model an interconnect
 * it does not know).
 * The virtual circuit's own region, when given, is its DRG's: the
 * section's (OCI resources are regional; our inference).
 */
#include <stdio.h>
#include <string.h>

#include "geo.h"
#include "oci_azure.h"
#include "scenario.h"

const char *azure_circuit_location(const struct scenario *sc, size_t i)
    __attribute__((weak));
size_t azure_n_circuits(const struct scenario *sc) __attribute__((weak));
const char *azure_circuit_name(const struct scenario *sc, size_t i)
    __attribute__((weak));

static const char *
circuit_location(const struct scenario *sc, const char *circuit)
{
	size_t i, n;

	if (azure_n_circuits == NULL || azure_circuit_name == NULL ||
	    azure_circuit_location == NULL)
		return NULL;
	n = azure_n_circuits(sc);
	for (i = 0; i < n; i++)
		if (azure_circuit_name(sc, i) != NULL &&
		    strcmp(azure_circuit_name(sc, i), circuit) == 0)
			return azure_circuit_location(sc, i);
	return NULL;
}

/*
 * Refuse c: at load an error at its region (or its key when the region
 * is the section's), for one the timeline creates its create's refusal.
 * code is OCI's, NULL for a limit of xcsim's own.
 */
static bool
refuse(struct sc_check *ck, struct oci_vc *c, const char *code,
    const char *msg)
{
	if (c->timeline) {
		/* refused at the create on the timeline, with the code */
		c->refusal_code = code;
		snprintf(c->refusal, sizeof(c->refusal), "%s", msg);
	} else {
		sc_check_error(ck, c->region != NULL ? c->vloc[VI_REGION] :
		    c->vloc[VI_KEY], "%s%s%s", code != NULL ? code : "",
		    code != NULL ? ": " : "", msg);
	}
	return false;
}

bool
oci_check_location(struct sc_check *ck, const struct scenario *sc,
    const struct oci_sc *o, struct oci_vc *c)
{
	const char *region = c->region != NULL ? c->region : o->region;
	const char *loc = circuit_location(sc, c->circuit);
	const struct geo_pair *a, *b;
	size_t i, len;
	char msg[sizeof(c->refusal)];

	if (region == NULL)
		return true;
	b = geo_pair_by_oci_region(region);
	if (b == NULL) {
		/*
		 * A region outside the table: one without the interconnect,
		 * a misspelling (us-ashburn-2) or one the table lacks. xcsim
		 * cannot tell which, so it refuses, naming the ones it knows.
		 */
		len = (size_t)snprintf(msg, sizeof(msg), "virtual circuit '%s' "
		    "is in region '%s', not one where xcsim knows the "
		    "interconnect with Azure (3.2; oci_location.c):", c->name,
		    region);
		for (i = 0; i < geo_n_pairs && len < sizeof(msg); i++)
			len += (size_t)snprintf(msg + len, sizeof(msg) - len,
			    "%s %s", i > 0 ? "," : "", geo_pairs[i].oci_region);
		return refuse(ck, c, NULL, msg);
	}
	if (loc != NULL && (a = geo_pair_by_peering(loc)) != NULL && a != b) {
		snprintf(msg, sizeof(msg), "virtual circuit '%s' is in %s "
		    "(%s), ExpressRoute circuit '%s' at peering location '%s': "
		    "the interconnect exists only between paired locations (%s "
		    "pairs with %s; 3.1, 3.2)", c->name, region,
		    b->metro, c->circuit, loc, region, b->peering[0]);
		return refuse(ck, c, "400-InvalidParameter", msg);
	}
	/*
	 * The DRG is in the section's region (the section is one region).
	 * OCI's resources are regional, so a virtual circuit attaches to a
	 * DRG of its own region: our inference, the facts do not say it.
	 */
	if (c->region != NULL && o->region != NULL &&
	    strcmp(c->region, o->region) != 0) {
		snprintf(msg, sizeof(msg), "virtual circuit '%s' is in %s, its "
		    "DRG '%s' in %s (the section's region): a virtual circuit "
		    "attaches to a DRG of its own region (OCI resources are "
		    "regional; our inference)", c->name, c->region,
		    c->gateway != NULL ? c->gateway : "?", o->region);
		return refuse(ck, c, "400-InvalidParameter", msg);
	}
	return true;
}
