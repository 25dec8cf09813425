/*
 * azure_port.c - ExpressRoute Direct (docs/azure.md "ExpressRoute
 * Direct"): `express_route_ports`, a port pair of two 10 or 100 Gbps
 * links to the MSEEs of a peering location with Dot1Q or QinQ
 * encapsulation (1.7), and the circuits carved from one. What Azure
 * allows is Microsoft's "About ExpressRoute Direct" (MicrosoftDocs/
 * azure-docs articles/expressroute/expressroute-erdirect-about.md,
 * 2024-03-28; cited as "ER Direct" below): a circuit's bandwidth_in_gbps
 * from its port's menu (1, 2, 5, 10 on 10 Gbps; 5, 10, 40, 100 on
 * 100 Gbps), the circuits of a port together up to its "subscribed
 * bandwidth", twice the port (20 / 200 Gbps), and the VLAN tags: with
 * Dot1Q a peering's C-tag unique across the port pair, with QinQ an S-tag
 * per circuit that Azure gives. The customer's router, when the port
 * names it, is linked to each circuit's MSEEs at the port's speed.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "azure_int.h"
#include "geo.h"
#include "interconnect.h"
#include "scenario.h"
#include "scenario_expand.h"

/* The circuit sizes of a port (ER Direct, "Circuit sizes"), 0-ended. */
static const uint32_t sizes10[] = { 1, 2, 5, 10, 0 };
static const uint32_t sizes100[] = { 5, 10, 40, 100, 0 };
/* The circuits of a port subscribe up to this many times its speed. */
#define AZ_PORT_SUBSCRIBE 2

/*
 * A port is in a peering location (ER Direct: "the peering location of
 * your choice"): one of models/geo's, whose spans the delays take. The
 * suggestion is among the peering locations only.
 */
static bool
place_ok(struct sc_check *ck, const struct az_port *p)
{
	const struct geo_place *g = geo_find(p->location);
	const char **names;
	char hint[160];
	size_t i;

	if (g != NULL && g->kind == GEO_PEERING)
		return true;
	names = calloc(geo_n_places, sizeof(*names));
	if (names == NULL)
		abort();
	for (i = 0; i < geo_n_places; i++)
		if (geo_places[i].kind == GEO_PEERING)
			names[i] = geo_places[i].name;
	sc_check_error(ck, p->vloc[PT_LOCATION], "port '%s': "
	    "peering_location '%s' is not a peering location of models/geo "
	    "(%s; docs/geo.md)%s", p->name, sc_check_quote(ck, p->location),
	    g != NULL ? "it is a region" : "unknown",
	    sc_check_dym(ck, hint, sizeof(hint), p->location, names,
	    geo_n_places, sizeof(*names), 0));
	free(names);
	return false;
}

void
az_check_ports(struct sc_check *ck, struct azure *az)
{
	size_t i;

	for (i = 0; i < az->n_ports; i++) {
		struct az_port *p = &az->ports[i];
		bool ok = true;

		if (p->name == NULL)
			continue;
		sc_names_add(ck, AZ_SP_PORT, p->name, i, p->vloc[PT_NAME]);
		if (sc_key_ok(p->keys, PT_BW) && p->bandwidth_gbps != 10 &&
		    p->bandwidth_gbps != 100) {
			sc_check_error(ck, p->vloc[PT_BW], "port '%s': "
			    "bandwidth_in_gbps %u is not a port speed: "
			    "ExpressRoute Direct ports are 10 or 100 Gbps "
			    "(1.7)", p->name, p->bandwidth_gbps);
			ok = false;
		}
		if (sc_key_given(p->keys, PT_LINKS) && p->n_links != 2) {
			sc_check_error(ck, p->vloc[PT_LINKS], "port '%s' has "
			    "%zu links: a port pair has two, one to each MSEE "
			    "(ER Direct: \"dual 100-Gbps or 10-Gbps\")",
			    p->name, p->n_links);
			ok = false;
		}
		if (sc_key_ok(p->keys, PT_LOCATION) && !place_ok(ck, p))
			ok = false;
		p->ok = ok && sc_key_ok(p->keys, PT_BW) &&
		    sc_key_ok(p->keys, PT_LOCATION) &&
		    sc_key_ok(p->keys, PT_ENCAP);
	}
}

/* The user's node called name (the nodes section is checked later). */
static const struct sc_node *
node_named(const struct scenario *sc, const char *name)
{
	size_t i, n = 0;
	const struct sc_node *nodes = scenario_section(sc, "nodes", &n);

	for (i = 0; nodes != NULL && i < n; i++)
		if (nodes[i].name != NULL && strcmp(nodes[i].name, name) == 0)
			return &nodes[i];
	return NULL;
}

static bool
has_iface(const struct sc_node *n, const char *name)
{
	size_t i;

	for (i = 0; i < n->n_ifaces; i++)
		if (n->ifaces[i].name != NULL &&
		    strcmp(n->ifaces[i].name, name) == 0)
			return true;
	return false;
}

/* A circuit through a provider: the fields the provider model needs. */
static void
provider_fields(struct sc_check *ck, struct az_circuit *c)
{
	static const struct {
		int f;
		const char *name;
	} need[] = {
		{ CI_PROVIDER, "service_provider_name" },
		{ CI_LOCATION, "peering_location" },
		{ CI_BW, "bandwidth_in_mbps" },
	};
	size_t i;

	c->stag = c->x.stag;
	if (sc_key_given(c->keys, CI_BW_GBPS)) {
		sc_check_error(ck, c->vloc[CI_BW_GBPS], "circuit '%s': "
		    "bandwidth_in_gbps is an ExpressRoute Direct circuit's: "
		    "give express_route_port, or bandwidth_in_mbps with a "
		    "provider (1.1)", c->name);
		return;
	}
	for (i = 0; i < sizeof(need) / sizeof(need[0]); i++)
		if (!sc_key_given(c->keys, need[i].f)) {
			sc_check_error(ck, c->vloc[CI_NAME], "circuit '%s' has "
			    "no %s: a circuit is ordered through a provider "
			    "(service_provider_name, peering_location, "
			    "bandwidth_in_mbps), or carved from an "
			    "ExpressRoute Direct port (express_route_port, "
			    "bandwidth_in_gbps; 1.1, 1.7)", c->name,
			    need[i].name);
			return;
		}
}

static bool
offered(const struct az_port *p, uint32_t gbps)
{
	const uint32_t *s = p->bandwidth_gbps == 100 ? sizes100 : sizes10;

	for (; *s != 0; s++)
		if (*s == gbps)
			return true;
	return false;
}

/* The circuit's place among its port's circuits (file order), from 0. */
static size_t
ordinal(const struct azure *az, size_t ci)
{
	size_t k, n = 0;

	for (k = 0; k < ci; k++)
		n += az->circuits[k].port_idx == az->circuits[ci].port_idx;
	return n;
}

/*
 * VLAN tags on a port (ER Direct, "VLAN Tagging"): Dot1Q, one tag per
 * peering, unique across the port pair's circuits; QinQ, an S-tag per
 * circuit that Azure gives at its create, the peering's VLAN its C-tag
 * (1.8: `stag`). Which S-tag Azure gives is not documented: the k-th
 * circuit of the port (file order, from 1) gets k unless its xcsim.stag
 * says which (our choice, docs/azure.md).
 */
static void
tags(struct sc_check *ck, struct azure *az, size_t ci,
    const struct az_port *p)
{
	struct az_circuit *c = &az->circuits[ci];
	size_t k;

	if (p->encap == AZ_ENCAP_DOT1Q) {
		if (c->x.stag != 0) {
			sc_check_error(ck, c->x.vloc[CX_STAG], "circuit '%s' "
			    "is on port '%s', whose encapsulation is Dot1Q: "
			    "one tag, no S-tag (1.7)", c->name, p->name);
			return;
		}
		for (k = 0; c->has_pp && k < ci; k++) {
			const struct az_circuit *o = &az->circuits[k];

			if (o->port_idx == c->port_idx && o->has_pp &&
			    o->pp.vlan == c->pp.vlan) {
				sc_check_error(ck, c->pp.vloc[PP_VLAN],
				    "vlan_id %u is circuit '%s''s on port "
				    "'%s': with Dot1Q a peering's VLAN (the "
				    "C-tag) is unique across the port pair's "
				    "circuits (ER Direct)", c->pp.vlan,
				    o->name, p->name);
				return;
			}
		}
		c->stag = 0;
		return;
	}
	c->stag = c->x.stag != 0 ? c->x.stag : (uint32_t)ordinal(az, ci) + 1;
	for (k = 0; k < ci; k++) {
		const struct az_circuit *o = &az->circuits[k];

		if (o->port_idx == c->port_idx && o->stag == c->stag) {
			sc_check_error(ck, c->vloc[CI_PORT], "circuit '%s' "
			    "would have S-tag %u on port '%s', as circuit '%s' "
			    "has: with QinQ each circuit has its own S-tag "
			    "(ER Direct)", c->name, c->stag, p->name, o->name);
			return;
		}
	}
}

bool
az_check_direct(struct sc_check *ck, struct azure *az, size_t ci)
{
	struct az_circuit *c = &az->circuits[ci];
	const struct az_port *p;
	char rif[SC_NAME_MAX + 16];
	uint32_t sum;
	size_t k, i;

	if (c->name == NULL)
		return false;
	if (c->port == NULL) {
		provider_fields(ck, c);
		return false;
	}
	if (!sc_names_lookup(ck, AZ_SP_PORT, c->port, c->vloc[CI_PORT], &k))
		return true;
	c->port_idx = k + 1;
	p = &az->ports[k];
	if (sc_key_given(c->keys, CI_PROVIDER)) {
		sc_check_error(ck, c->vloc[CI_PROVIDER], "circuit '%s' is on "
		    "ExpressRoute Direct port '%s': there is no service "
		    "provider (1.7)", c->name, p->name);
		return true;
	}
	if (sc_key_given(c->keys, CI_BW)) {
		sc_check_error(ck, c->vloc[CI_BW], "circuit '%s': "
		    "bandwidth_in_mbps is the provider model's; a circuit on "
		    "port '%s' has bandwidth_in_gbps (1.1)", c->name, p->name);
		return true;
	}
	if (!p->ok)
		return true;
	if (c->location != NULL && strcmp(c->location, p->location) != 0) {
		sc_check_error(ck, c->vloc[CI_LOCATION], "circuit '%s': "
		    "peering_location '%s' is not its port '%s''s, '%s'",
		    c->name, sc_check_quote(ck, c->location), p->name,
		    p->location);
		return true;
	}
	if (c->location == NULL && (c->location = strdup(p->location)) ==
	    NULL)
		abort();
	if (!sc_key_given(c->keys, CI_BW_GBPS)) {
		sc_check_error(ck, c->vloc[CI_PORT], "circuit '%s' on port "
		    "'%s' has no bandwidth_in_gbps (1.1)", c->name, p->name);
		return true;
	}
	if (!offered(p, c->bandwidth_gbps)) {
		sc_check_error(ck, c->vloc[CI_BW_GBPS], "circuit '%s': "
		    "bandwidth_in_gbps %u is not offered on a %u Gbps "
		    "ExpressRoute Direct port: %s (ER Direct)", c->name,
		    c->bandwidth_gbps, p->bandwidth_gbps,
		    p->bandwidth_gbps == 100 ? "5, 10, 40 or 100" :
		    "1, 2, 5 or 10");
		return true;
	}
	sum = c->bandwidth_gbps;
	for (i = 0; i < ci; i++)
		if (az->circuits[i].port_idx == c->port_idx &&
		    az->circuits[i].bandwidth_mbps != 0)
			sum += az->circuits[i].bandwidth_gbps;
	if (sum > AZ_PORT_SUBSCRIBE * p->bandwidth_gbps) {
		sc_check_error(ck, c->vloc[CI_BW_GBPS], "circuit '%s': the "
		    "circuits on port '%s' would subscribe %u Gbps, more than "
		    "its %u: circuits are provisioned up to the subscribed "
		    "bandwidth, twice the %u Gbps port pair (ER Direct)",
		    c->name, p->name, sum, AZ_PORT_SUBSCRIBE *
		    p->bandwidth_gbps, p->bandwidth_gbps);
		return true;
	}
	/* the policers of its gateway links run at it (1.7, B1) */
	c->bandwidth_mbps = c->bandwidth_gbps * 1000;
	tags(ck, az, ci, p);
	if (p->x.router != NULL && c->has_pp) {
		const struct sc_node *n = node_named(sc_check_scenario(ck),
		    p->x.router);

		for (i = 0; i < 2; i++) {
			snprintf(rif, sizeof(rif), "%s-%s", c->name,
			    ic_path_name[i]);
			if (n != NULL && has_iface(n, rif))
				continue;
			sc_check_error(ck, p->x.vloc[PX_ROUTER], "port '%s' "
			    "links router '%s' to circuit '%s''s MSEEs: %s "
			    "(its interface '%s' faces the %s MSEE)", p->name,
			    p->x.router, c->name, n == NULL ? "there is no "
			    "such node" : "the node has no interface of that "
			    "name", rif, ic_path_name[i]);
			break;
		}
	}
	return true;
}

void
az_expand_port_link(struct az_ex *x, size_t ci, const char *msee, int path)
{
	const struct az_circuit *c = &x->az->circuits[ci];
	const struct az_port *p;
	char rif[SC_NAME_MAX + 16];
	int m;

	if (c->port_idx == 0)
		return;
	p = &x->az->ports[c->port_idx - 1];
	if (p->x.router == NULL)
		return;
	snprintf(rif, sizeof(rif), "%s-%s", c->name, ic_path_name[path]);
	m = az_link(x, p->x.loc, msee, IC_IF_PEERING, p->x.router, rif,
	    p->x.delay, (uint64_t)p->bandwidth_gbps * 1000000000ULL);
	/* its far end is the customer's, typed apart from the peering */
	sc_ex_set_str(x->ex, m, "ends_unchecked", "true");
}
