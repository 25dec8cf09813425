/*
 * rt_scenario.c - the `route_tables` section (rt_scenario.h): its field
 * tables, the checks that point at the place in the file, and the build
 * into a struct route_tables.
 *
 * A table is a node's VRF; several items may name the same one (a user's
 * routes next to those a cloud section expanded into), and what is checked
 * per table ((prefix, source) unique, import cycles) is checked across
 * them.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bgp_scenario.h"
#include "gates.h"
#include "net.h"
#include "route_tables.h"
#include "rt_scenario.h"
#include "scenario_section.h"
#include "sim.h"
#include "util.h"

/* Next-hop keys come in this order in both routes and imports. */
enum { NH_VIA, NH_IFACE, NH_TABLE, NH_DROP, NH_N };

enum { RR_PREFIX, RR_SOURCE, RR_PREFERENCE, RR_NHT, RR_NH,
	RR_GATE = RR_NH + NH_N, RR_F_MAX };

enum { RI_FROM_NODE, RI_FROM_VRF, RI_FROM_SOURCES, RI_SOURCE,
	RI_PREFERENCE, RI_NHT, RI_NH, RI_EXCLUDE = RI_NH + NH_N, RI_ONLY,
	RI_GATE, RI_F_MAX };

enum { TB_NODE, TB_VRF, TB_ECMP, TB_ROUTES, TB_IMPORTS, TB_F_MAX };

struct rt_sc_nh {
	uint32_t via;
	char *iface, *table;
	bool drop;
};

struct rt_sc_route {
	uint32_t prefix;
	uint8_t plen;
	char *source;
	uint32_t pref;
	char *nht;
	struct rt_sc_nh nh;
	char *gate;		/* models/gates, NULL = none */
	bool ok;
	struct sc_loc loc;
	struct sc_loc vloc[RR_F_MAX];
	uint64_t keys[SC_KEYS_WORDS(RR_F_MAX)];
};

struct rt_sc_import {
	char *from_node, *from_vrf;
	char **from_sources;
	size_t n_from_sources;
	struct sc_loc *from_locs;
	char *source;
	uint32_t pref;
	char *nht;
	struct rt_sc_nh nh;
	char **exclude, **only;
	size_t n_exclude, n_only;
	struct sc_loc *exclude_locs, *only_locs;
	char *gate;		/* models/gates, NULL = none */
	/* by the check */
	bool ok;
	size_t from_idx;
	struct rt_prefix *ex, *on;
	struct sc_loc loc;
	struct sc_loc vloc[RI_F_MAX];
	uint64_t keys[SC_KEYS_WORDS(RI_F_MAX)];
};

struct rt_sc {
	char *node, *vrf;
	bool ecmp;
	struct rt_sc_route *routes;
	size_t n_routes;
	struct rt_sc_import *imports;
	size_t n_imports;
	/* by the check */
	bool ok;
	size_t node_idx;
	struct sc_loc loc;
	struct sc_loc vloc[TB_F_MAX];
	uint64_t keys[SC_KEYS_WORDS(TB_F_MAX)];
};

#define NH_FIELDS(S, base) \
	[base + NH_VIA] = { "via", SC_FT_ADDR, SC_AT(S, nh.via), \
		.def_doc = "none", .doc = "next-hop address: on a connected " \
		    "subnet of the VRF unless iface is given" }, \
	[base + NH_IFACE] = { "iface", SC_FT_NAME, SC_AT(S, nh.iface), \
		.def_doc = "none", .doc = "egress interface (any VRF of the " \
		    "node); alone: directly out of it" }, \
	[base + NH_TABLE] = { "table", SC_FT_NAME, SC_AT(S, nh.table), \
		.def_doc = "none", .doc = "look the destination up again in " \
		    "this other VRF of the node" }, \
	[base + NH_DROP] = { "drop", SC_FT_BOOL, SC_AT(S, nh.drop), \
		.def = "false", .doc = "a blackhole: matching packets are " \
		    "dropped" }

#define RR(m) SC_AT(struct rt_sc_route, m)

static const struct sc_field rr_fields[] = {
	[RR_PREFIX] = { "prefix", SC_FT_PREFIX, RR(prefix),
		SC_AT2(struct rt_sc_route, plen), .required = true,
		.doc = "destination a.b.c.d/len" },
	[RR_SOURCE] = { "source", SC_FT_NAME, RR(source), .def = "static",
		.doc = "the route's source name shown by route queries (system, "
		    "user, local, ...); static is the node's own static source, "
		    "connected is not allowed" },
	[RR_PREFERENCE] = { "preference", SC_FT_UINT, RR(pref), .max = 65535,
		.def = "1", .doc = "lower wins among routes of the same prefix "
		    "(longest prefix first, always); connected routes are 0" },
	[RR_NHT] = { "next_hop_type", SC_FT_STRING, RR(nht),
		.def_doc = "none", .doc = "free text shown by route queries" },
	NH_FIELDS(struct rt_sc_route, RR_NH),
	[RR_GATE] = { "gate", SC_FT_STRING, RR(gate),
		.def_doc = "none: the route is there all the time",
		.doc = "a gate of the gates section: the route is in the RIB "
		    "only while it is open" },
};

static const struct sc_table rr_table = {
	"route-table-route", "A static entry of a route table: exactly one of "
	"via (with an optional iface), iface, table or drop.",
	rr_fields, SC_NFIELDS(rr_fields), sizeof(struct rt_sc_route),
	offsetof(struct rt_sc_route, loc), offsetof(struct rt_sc_route, vloc),
	offsetof(struct rt_sc_route, keys), -1
};

#define RI(m) SC_AT(struct rt_sc_import, m)

static const struct sc_field ri_fields[] = {
	[RI_FROM_NODE] = { "from_node", SC_FT_NAME, RI(from_node),
		.required = true, .doc = "the node whose routes are followed" },
	[RI_FROM_VRF] = { "from_vrf", SC_FT_NAME, RI(from_vrf),
		.def_doc = "the default VRF", .doc = "its VRF" },
	[RI_FROM_SOURCES] = { "from_sources", SC_FT_NAMES, RI(from_sources),
		SC_AT2(struct rt_sc_import, n_from_sources),
		SC_AT3(struct rt_sc_import, from_locs), .required = true,
		.doc = "RIB source names there (connected, static, bgp, a route "
		    "table's source): a prefix is imported while its best route "
		    "there is of one of them" },
	[RI_SOURCE] = { "source", SC_FT_NAME, RI(source), .required = true,
		.doc = "the source name of the imported routes here" },
	[RI_PREFERENCE] = { "preference", SC_FT_UINT, RI(pref), .max = 65535,
		.required = true, .doc = "their preference (lower wins)" },
	[RI_NHT] = { "next_hop_type", SC_FT_STRING, RI(nht),
		.def_doc = "none", .doc = "free text shown by route queries" },
	NH_FIELDS(struct rt_sc_import, RI_NH),
	[RI_EXCLUDE] = { "exclude_within", SC_FT_STRINGS, RI(exclude),
		SC_AT2(struct rt_sc_import, n_exclude),
		SC_AT3(struct rt_sc_import, exclude_locs), .def_doc = "none",
		.doc = "prefixes a.b.c.d/len: an imported prefix equal to or "
		    "inside one of them is skipped" },
	[RI_ONLY] = { "only_within", SC_FT_STRINGS, RI(only),
		SC_AT2(struct rt_sc_import, n_only),
		SC_AT3(struct rt_sc_import, only_locs), .def_doc = "everything",
		.doc = "prefixes a.b.c.d/len: if given, only prefixes equal to "
		    "or inside one of them are imported" },
	[RI_GATE] = { "gate", SC_FT_STRING, RI(gate),
		.def_doc = "none: the import is there all the time",
		.doc = "a gate of the gates section: the imported routes are in "
		    "the RIB only while it is open (opening imports what the "
		    "other table holds then)" },
};

static const struct sc_table ri_table = {
	"route-table-import", "Routes of another node's VRF followed live: "
	"added, changed and withdrawn here as they are there, with the "
	"import's own next hop (exactly one of via (+ iface), iface, table, "
	"drop), source name and preference.",
	ri_fields, SC_NFIELDS(ri_fields), sizeof(struct rt_sc_import),
	offsetof(struct rt_sc_import, loc), offsetof(struct rt_sc_import, vloc),
	offsetof(struct rt_sc_import, keys), -1
};

#define RT(m) SC_AT(struct rt_sc, m)

static const struct sc_field rt_fields[] = {
	[TB_NODE] = { "node", SC_FT_NAME, RT(node), .required = true,
		.doc = "the node whose VRF this is" },
	[TB_VRF] = { "vrf", SC_FT_NAME, RT(vrf), .def_doc = "the default VRF",
		.doc = "the VRF (created if the node has none of that name)" },
	[TB_ECMP] = { "ecmp", SC_FT_BOOL, RT(ecmp), .def = "false",
		.doc = "equal routes of one source share the load (per node and "
		    "source: every table of the node using a source agrees)" },
	[TB_ROUTES] = { "routes", SC_FT_LIST, RT(routes),
		SC_AT2(struct rt_sc, n_routes), .sub = &rr_table,
		.doc = "static entries" },
	[TB_IMPORTS] = { "imports", SC_FT_LIST, RT(imports),
		SC_AT2(struct rt_sc, n_imports), .sub = &ri_table,
		.doc = "routes of other nodes followed live" },
};

static const struct sc_table rt_table = {
	"route-table", "Routes of a node's VRF with source names, preferences "
	"and next hop types (docs/route-tables.md).",
	rt_fields, SC_NFIELDS(rt_fields), sizeof(struct rt_sc),
	offsetof(struct rt_sc, loc), offsetof(struct rt_sc, vloc),
	offsetof(struct rt_sc, keys), -1
};

/* --- checks ---------------------------------------------------------- */

static bool
same_vrf(const char *a, const char *b)
{
	if (a == NULL)
		a = "default";
	if (b == NULL)
		b = "default";
	return strcmp(a, b) == 0;
}

static uint32_t
mask(uint8_t plen)
{
	return plen == 0 ? 0 : UINT32_MAX << (32 - plen);
}

static const char *
vrf_name(const char *vrf)
{
	return vrf != NULL ? vrf : "default";
}

/* Does node (by name) have vrf: an interface in it, or an item for it? */
static bool
has_vrf(const struct rt_sc *v, size_t n, const struct sc_node *nd,
    const char *vrf)
{
	size_t i;

	if (same_vrf(vrf, NULL))
		return true;
	for (i = 0; i < nd->n_ifaces; i++)
		if (same_vrf(nd->ifaces[i].vrf, vrf))
			return true;
	for (i = 0; i < n; i++)
		if (v[i].node != NULL && strcmp(v[i].node, nd->name) == 0 &&
		    same_vrf(v[i].vrf, vrf))
			return true;
	return false;
}

bool
route_tables_sc_has_vrf(const struct scenario *sc, const struct sc_node *nd,
    const char *vrf)
{
	const struct rt_sc *v;
	size_t n;

	v = scenario_section(sc, "route_tables", &n);
	return has_vrf(v, n, nd, vrf);
}

bool
route_tables_sc_has_source(const struct scenario *sc, const char *node,
    const char *vrf, const char *source)
{
	const struct rt_sc *v;
	size_t n, i, k;

	v = scenario_section(sc, "route_tables", &n);
	for (i = 0; i < n; i++) {
		if (v[i].node == NULL || strcmp(v[i].node, node) != 0 ||
		    !same_vrf(v[i].vrf, vrf))
			continue;
		for (k = 0; k < v[i].n_routes; k++)
			if (v[i].routes[k].source != NULL &&
			    strcmp(v[i].routes[k].source, source) == 0)
				return true;
		for (k = 0; k < v[i].n_imports; k++)
			if (v[i].imports[k].source != NULL &&
			    strcmp(v[i].imports[k].source, source) == 0)
				return true;
	}
	return false;
}

/* Is source a route source of node's vrf that the file shows? */
static bool
known_source(const struct scenario *sc, const char *node, const char *vrf,
    const char *source)
{
	return strcmp(source, "connected") == 0 ||
	    strcmp(source, "static") == 0 ||
	    (strcmp(source, "bgp") == 0 &&
	    bgp_scenario_has_speaker(sc, node, vrf)) ||
	    route_tables_sc_has_source(sc, node, vrf, source);
}

/*
 * The next hop of a route or an import: exactly one kind, the interface
 * and VRF named exist, a via alone is on a connected subnet of the VRF.
 */
static bool
check_nh(struct sc_check *ck, const struct rt_sc *t, const struct rt_sc *v,
    size_t n, struct rt_sc_nh *nh, const uint64_t *keys,
    const struct sc_loc *vloc, size_t base, struct sc_loc loc)
{
	const struct scenario *sc = sc_check_scenario(ck);
	const struct sc_node *nd = &sc->nodes[t->node_idx];
	bool via = sc_key_given(keys, base + NH_VIA);
	bool ifc = sc_key_given(keys, base + NH_IFACE);
	bool tab = sc_key_given(keys, base + NH_TABLE);
	bool drop = sc_key_ok(keys, base + NH_DROP) && nh->drop;
	unsigned kinds = (unsigned)via + (unsigned)(ifc && !via) +
	    (unsigned)tab + (unsigned)drop;
	size_t i;
	char a[16];

	if (kinds != 1) {
		sc_check_error(ck, loc, "%s next hop: give exactly one of via "
		    "(with an optional iface), iface, table or drop: true",
		    kinds == 0 ? "no" : "more than one");
		return false;
	}
	if (ifc && (!sc_key_ok(keys, base + NH_IFACE) ||
	    sc_check_iface(ck, t->node_idx, nh->iface,
	    vloc[base + NH_IFACE]) == NULL))
		return false;
	if (tab) {
		if (!sc_key_ok(keys, base + NH_TABLE))
			return false;
		if (same_vrf(nh->table, t->vrf)) {
			sc_check_error(ck, vloc[base + NH_TABLE], "table '%s' is "
			    "this route's own VRF: a lookup again there would "
			    "match this route", sc_check_quote(ck, nh->table));
			return false;
		}
		if (!has_vrf(v, n, nd, nh->table)) {
			sc_check_error(ck, vloc[base + NH_TABLE], "node '%s' has "
			    "no vrf '%s' (no interface in it and no route_tables "
			    "item for it)", nd->name,
			    sc_check_quote(ck, nh->table));
			return false;
		}
	}
	if (via && !ifc) {
		if (!sc_key_ok(keys, base + NH_VIA))
			return false;
		for (i = 0; i < nd->n_ifaces; i++) {
			const struct sc_iface *f = &nd->ifaces[i];

			if (f->plen != 0 && same_vrf(f->vrf, t->vrf) &&
			    ((f->addr ^ nh->via) & mask(f->plen)) == 0)
				return true;
		}
		sc_check_error(ck, vloc[base + NH_VIA], "via %s is not on a "
		    "connected subnet of vrf %s of node '%s': give iface",
		    wire_ip_str(nh->via, a), vrf_name(t->vrf), nd->name);
		return false;
	}
	return true;
}

/* "a.b.c.d/len" with no host bits into p; false if it is not. */
static bool
parse_prefix(const char *s, struct rt_prefix *p)
{
	unsigned a, b, c, d, len;
	char tail;

	if (s == NULL || sscanf(s, "%u.%u.%u.%u/%u%c", &a, &b, &c, &d, &len,
	    &tail) != 5 || a > 255 || b > 255 || c > 255 || d > 255 ||
	    len > 32)
		return false;
	p->prefix = a << 24 | b << 16 | c << 8 | d;
	p->len = (uint8_t)len;
	return (p->prefix & ~mask(p->len)) == 0;
}

static bool
parse_prefixes(struct sc_check *ck, char **s, size_t n,
    const struct sc_loc *locs, struct rt_prefix **out)
{
	bool ok = true;
	size_t i;

	*out = n > 0 ? xcalloc(n, sizeof(**out)) : NULL;
	for (i = 0; i < n; i++)
		if (s[i] != NULL && !parse_prefix(s[i], &(*out)[i])) {
			sc_check_error(ck, locs[i], "'%s' is not a prefix "
			    "a.b.c.d/len with its host bits zero",
			    sc_check_quote(ck, s[i]));
			ok = false;
		}
	return ok;
}

static void
check_route(struct sc_check *ck, struct rt_sc *v, size_t n, size_t i,
    size_t k)
{
	struct rt_sc *t = &v[i];
	struct rt_sc_route *r = &t->routes[k];
	size_t j, m;
	char a[16];

	r->ok = false;
	if (!sc_key_ok(r->keys, RR_PREFIX) || r->source == NULL ||
	    (sc_key_given(r->keys, RR_SOURCE) && !sc_key_ok(r->keys, RR_SOURCE)))
		return;
	if (strcmp(r->source, "connected") == 0) {
		sc_check_error(ck, r->vloc[RR_SOURCE], "source 'connected' is "
		    "the interfaces' subnets: name the route's source otherwise");
		return;
	}
	if (!check_nh(ck, t, v, n, &r->nh, r->keys, r->vloc, RR_NH, r->loc))
		return;
	if (sc_key_ok(r->keys, RR_GATE) && !sc_names_lookup(ck, "gate",
	    r->gate, r->vloc[RR_GATE], &j))
		return;
	/* (prefix, source) once per table, across the items naming it */
	for (j = 0; j <= i; j++) {
		if (!v[j].ok || v[j].node_idx != t->node_idx ||
		    !same_vrf(v[j].vrf, t->vrf))
			continue;
		for (m = 0; m < (j == i ? k : v[j].n_routes); m++) {
			const struct rt_sc_route *o = &v[j].routes[m];

			if (o->ok && o->prefix == r->prefix &&
			    o->plen == r->plen &&
			    strcmp(o->source, r->source) == 0) {
				sc_check_error(ck, r->vloc[RR_PREFIX], "duplicate "
				    "route %s/%u of source '%s' in vrf %s of node "
				    "'%s' (first at %u:%u)",
				    wire_ip_str(r->prefix, a), r->plen, r->source,
				    vrf_name(t->vrf), t->node, o->loc.line,
				    o->loc.col);
				return;
			}
		}
	}
	r->ok = true;
}

static void
check_import(struct sc_check *ck, struct rt_sc *v, size_t n, size_t i,
    size_t k)
{
	const struct scenario *sc = sc_check_scenario(ck);
	struct rt_sc *t = &v[i];
	struct rt_sc_import *im = &t->imports[k];
	const struct sc_node *fn;
	bool ok = true;
	size_t j;

	im->ok = false;
	if (!sc_key_ok(im->keys, RI_FROM_NODE) ||
	    !sc_key_ok(im->keys, RI_SOURCE) ||
	    !sc_names_lookup(ck, "node", im->from_node,
	    im->vloc[RI_FROM_NODE], &im->from_idx))
		return;
	fn = &sc->nodes[im->from_idx];
	if (sc_key_given(im->keys, RI_FROM_SOURCES) &&
	    im->n_from_sources == 0) {
		sc_check_error(ck, im->vloc[RI_FROM_SOURCES], "from_sources "
		    "is empty: the import would import nothing");
		ok = false;
	}
	if (strcmp(im->source, "connected") == 0) {
		sc_check_error(ck, im->vloc[RI_SOURCE], "source 'connected' is "
		    "the interfaces' subnets: name the imported routes' source "
		    "otherwise");
		ok = false;
	}
	if (im->from_idx == t->node_idx && same_vrf(im->from_vrf, t->vrf)) {
		sc_check_error(ck, im->vloc[RI_FROM_NODE], "an import from its "
		    "own table (vrf %s of node '%s')", vrf_name(t->vrf),
		    t->node);
		return;
	}
	if (!has_vrf(v, n, fn, im->from_vrf)) {
		sc_check_error(ck, im->vloc[RI_FROM_VRF], "node '%s' has no vrf "
		    "'%s' (no interface in it and no route_tables item for it)",
		    fn->name, sc_check_quote(ck, im->from_vrf));
		return;
	}
	for (j = 0; j < im->n_from_sources; j++)
		if (im->from_sources[j] != NULL &&
		    !known_source(sc, fn->name, im->from_vrf,
		    im->from_sources[j])) {
			sc_check_error(ck, im->from_locs[j], "node '%s' has no "
			    "route source '%s' in vrf %s (connected, static, bgp "
			    "with a bgp speaker there, or a route_tables source)",
			    fn->name, sc_check_quote(ck, im->from_sources[j]),
			    vrf_name(im->from_vrf));
			ok = false;
		}
	if (!parse_prefixes(ck, im->exclude, im->n_exclude, im->exclude_locs,
	    &im->ex))
		ok = false;
	if (!parse_prefixes(ck, im->only, im->n_only, im->only_locs, &im->on))
		ok = false;
	if (!check_nh(ck, t, v, n, &im->nh, im->keys, im->vloc, RI_NH, im->loc))
		ok = false;
	if (sc_key_ok(im->keys, RI_GATE) && !sc_names_lookup(ck, "gate",
	    im->gate, im->vloc[RI_GATE], &j))
		ok = false;
	im->ok = ok;
}

/*
 * Is table (node, vrf) fed from table (fnode, fvrf) through the imports
 * checked good so far? An import's install runs inside the change report
 * of the table it reads, so a cycle would change a table from inside its
 * own report and keep a route alive after its origin went.
 */
static bool
fed_from(const struct rt_sc *v, size_t n, size_t node, const char *vrf,
    size_t fnode, const char *fvrf, size_t depth)
{
	size_t i, k;

	if (node == fnode && same_vrf(vrf, fvrf))
		return true;
	if (depth > n)
		return false;
	for (i = 0; i < n; i++) {
		if (!v[i].ok || v[i].node_idx != node || !same_vrf(v[i].vrf, vrf))
			continue;
		for (k = 0; k < v[i].n_imports; k++) {
			const struct rt_sc_import *im = &v[i].imports[k];

			if (im->ok && fed_from(v, n, im->from_idx, im->from_vrf,
			    fnode, fvrf, depth + 1))
				return true;
		}
	}
	return false;
}

static void
check_tables(struct sc_check *ck, struct sc_section_data *d)
{
	struct rt_sc *v = d->items;
	size_t i, k;

	/* nodes first: a table or an import may name any item's VRF */
	for (i = 0; i < d->n; i++)
		v[i].ok = sc_key_ok(v[i].keys, TB_NODE) &&
		    sc_names_lookup(ck, "node", v[i].node, v[i].vloc[TB_NODE],
		    &v[i].node_idx);
	for (i = 0; i < d->n; i++) {
		if (!v[i].ok)
			continue;
		for (k = 0; k < i; k++)
			if (v[k].ok && v[k].node_idx == v[i].node_idx &&
			    same_vrf(v[k].vrf, v[i].vrf) && v[k].ecmp != v[i].ecmp) {
				sc_check_error(ck, v[i].loc, "vrf %s of node '%s' has "
				    "ecmp %s at %u:%u: items of one table agree",
				    vrf_name(v[i].vrf), v[i].node,
				    v[k].ecmp ? "true" : "false", v[k].loc.line,
				    v[k].loc.col);
				v[i].ok = false;
				break;
			}
		if (!v[i].ok)
			continue;
		for (k = 0; k < v[i].n_routes; k++)
			check_route(ck, v, d->n, i, k);
		for (k = 0; k < v[i].n_imports; k++) {
			struct rt_sc_import *im = &v[i].imports[k];

			check_import(ck, v, d->n, i, k);
			if (!im->ok)
				continue;
			/* the new edge: (from) feeds (this table) */
			im->ok = false;
			if (fed_from(v, d->n, im->from_idx, im->from_vrf,
			    v[i].node_idx, v[i].vrf, 0)) {
				sc_check_error(ck, im->vloc[RI_FROM_NODE], "import "
				    "cycle: vrf %s of node '%s' is fed from this "
				    "table (vrf %s of node '%s') through imports",
				    vrf_name(im->from_vrf), im->from_node,
				    vrf_name(v[i].vrf), v[i].node);
				continue;
			}
			im->ok = true;
		}
	}
}

/* --- build ----------------------------------------------------------- */

static void
fill_nh(struct node *n, const struct rt_sc_nh *s, const uint64_t *keys,
    size_t base, struct rt_nexthop *nh)
{
	memset(nh, 0, sizeof(*nh));
	nh->ifindex = IFACE_NONE;
	if (sc_key_given(keys, base + NH_IFACE))
		nh->ifindex = node_find_iface(n, s->iface);
	if (sc_key_given(keys, base + NH_VIA)) {
		nh->kind = RT_NH_VIA;
		nh->via = s->via;
	} else if (sc_key_given(keys, base + NH_IFACE)) {
		nh->kind = RT_NH_IFACE;
	} else if (sc_key_given(keys, base + NH_TABLE)) {
		nh->kind = RT_NH_TABLE;
		nh->vrf = node_vrf(n, s->table);
	} else {
		nh->kind = RT_NH_DROP;
	}
}

/* The gate called name (checked), or NULL for none. */
static struct gate *
gate_of(const struct sc_build *b, const char *name)
{
	struct gate *g;

	if (name == NULL)
		return NULL;
	g = gates_find(gates_of_build(b), name);
	SIM_ASSERT(g != NULL, "route_tables: gate %s not checked", name);
	return g;
}

static void
entry_follow(void *arg, bool open)
{
	route_tables_set_active(arg, open);
}

/* A gated entry is in its table only while its gate is open. */
static int
follow(struct sc_build *b, struct gate *g, struct rt_entry *e)
{
	if (g != NULL && gate_watch(g, entry_follow, e) < 0)
		return sim_err(b->err, b->errlen, "out of memory");
	return 0;
}

static int
build_tables(struct sc_build *b, const void *items, size_t n)
{
	const struct rt_sc *v = items;
	struct route_tables *rts;
	size_t i, k;

	if (n == 0)
		return 0;
	rts = route_tables_new();
	if (sc_build_set_state(b, rts) < 0) {
		route_tables_free(rts);
		return -1;
	}
	/* every table's VRF first: a route may look up again in any */
	for (i = 0; i < n; i++)
		node_vrf(sc_build_node(b, v[i].node_idx), v[i].vrf);
	for (i = 0; i < n; i++) {
		struct node *nd = sc_build_node(b, v[i].node_idx);
		struct rt_table *t = route_tables_table(rts, nd,
		    node_vrf(nd, v[i].vrf), v[i].ecmp);

		for (k = 0; k < v[i].n_routes; k++) {
			const struct rt_sc_route *r = &v[i].routes[k];
			struct rt_route_cfg c = { r->prefix, r->plen, r->source,
			    (uint16_t)r->pref, r->nht, { 0, 0, 0, 0 }, false,
			    NULL };
			struct rt_entry *e;
			struct gate *g = gate_of(b, r->gate);

			fill_nh(nd, &r->nh, r->keys, RR_NH, &c.nh);
			c.inactive = g != NULL && !gate_is_open(g);
			c.entry = &e;
			if (route_tables_add_route(t, &c, b->err, b->errlen) < 0 ||
			    follow(b, g, e) < 0)
				return -1;
		}
	}
	/* imports once every static route is in: they may read them */
	for (i = 0; i < n; i++) {
		struct node *nd = sc_build_node(b, v[i].node_idx);
		struct rt_table *t = route_tables_table(rts, nd,
		    node_vrf(nd, v[i].vrf), v[i].ecmp);

		for (k = 0; k < v[i].n_imports; k++) {
			const struct rt_sc_import *im = &v[i].imports[k];
			struct node *fn = sc_build_node(b, im->from_idx);
			struct rt_import_cfg c;
			struct rt_entry *e;
			struct gate *g;

			memset(&c, 0, sizeof(c));
			c.from = fn;
			c.from_vrf = node_vrf(fn, im->from_vrf);
			c.from_sources = (const char *const *)im->from_sources;
			c.n_from_sources = im->n_from_sources;
			c.source = im->source;
			c.pref = (uint16_t)im->pref;
			c.next_hop_type = im->nht;
			fill_nh(nd, &im->nh, im->keys, RI_NH, &c.nh);
			c.exclude_within = im->ex;
			c.n_exclude = im->n_exclude;
			c.only_within = im->on;
			c.n_only = im->n_only;
			g = gate_of(b, im->gate);
			c.inactive = g != NULL && !gate_is_open(g);
			c.entry = &e;
			if (route_tables_add_import(t, &c, b->err, b->errlen) < 0 ||
			    follow(b, g, e) < 0)
				return -1;
		}
	}
	return 0;
}

static void
free_tables(void *items, size_t n)
{
	struct rt_sc *v = items;
	size_t i, k;

	for (i = 0; i < n; i++)
		for (k = 0; k < v[i].n_imports; k++) {
			free(v[i].imports[k].ex);
			free(v[i].imports[k].on);
		}
}

static void
state_free(void *state)
{
	route_tables_free(state);
}

const struct sc_section rt_sc_section = {
	.name = "route_tables",
	.doc = "route tables: static routes and live imports with source "
	    "names, preferences and next hop types, per node and VRF",
	.table = &rt_table, .list = true, .check = check_tables,
	.phase = SC_PHASE_NET, .build = build_tables, .free = free_tables,
	.state_free = state_free,
};

int
route_tables_scenario_register(void)
{
	return scenario_register_section(&rt_sc_section);
}
