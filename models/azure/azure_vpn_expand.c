/*
 * azure_vpn_expand.c - Azure's site-to-site VPN expanded (docs/azure.md
 * "Site-to-site VPN"): each VPN gateway a node (role azure-vpn-gateway)
 * linked to its VNet node through a shaper at its SKU's aggregate rate
 * (4.2, B5), with its public address on an interface of its own; per
 * IPsec connection a tunnel interface named after it (its BGP address the
 * gateway's APIPA address in the /30 of the site's, facts 4), an `ipsec`
 * item (models/ipsec: IKEv2 or IKEv1, Azure's proposals or the
 * connection's policy, the shared key) and, with enable_bgp, a neighbour
 * of the gateway's speaker (AS 65515 by default, facts 4); per local
 * network gateway an interface toward the site and, when the site is an
 * OCI VPN headend (oci_vpn_headend_at), the internet link to it: a delay
 * from the two regions' great-circle distance (models/geo) and the SKU's
 * per-tunnel rate (B5) as a shaper. Static routing puts the local network
 * gateway's address space into the tunnel. The VNet's subnets import the
 * gateway's routes after ExpressRoute's (azure_expand.c, B3).
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "azure_vpn.h"
#include "geo.h"
#include "interconnect.h"
#include "scenario_expand.h"

#if defined(__has_include)
#if __has_include("oci.h")
#include "oci.h"
#define AZ_HAVE_OCI 1
#endif
#endif

#define NAME_MAX2 (2 * SC_NAME_MAX + 16)
/* The internet's one-way delay when a region is not in models/geo. */
#define AZ_VPN_DELAY_DEFAULT SIM_MS(5)
/*
 * A VPN gateway's processing on its tunnel side, each way, and the sd of
 * its pareto tail: fitted to B9's UK West <-> UK South measurement
 * (docs/azure.md "The VPN gateway's delay"; tests/test_vpn_latency.c).
 */
#define AZ_VPN_GW_DELAY SIM_US(200)
#define AZ_VPN_GW_JITTER SIM_MS(1)
/* Azure's IKE SA lifetime (28,800 s, as OCI's, 4.3). */
#define AZ_IKE_LIFETIME_S 28800u
/*
 * An Azure gateway keeps trying a connection whose peer does not answer
 * (its status stays "Connecting"); the facts give no interval, so the
 * IKE item starts again this long after an attempt gives up (after its
 * retransmissions, 165 s) or its SA fails: a conservative choice,
 * docs/azure.md "Connections of connection_type: IPsec".
 */
#define AZ_IKE_RESTART_S 10u

/* Azure's default proposals, strongest first. */
struct prop {
	const char *encr, *integ, *prf;
	int dh;
};

/*
 * IKE: AES256 / AES128 with SHA256 / SHA1 over DH group 2 and 14 (our
 * choice among Azure's documented defaults; facts 4 lists the groups).
 * Child: the PFS groups Azure proposes, 1, 2, 14 and 24 (facts 4: none is
 * OCI's default group 5).
 */
static const struct prop ike_default[] = {
	{ "aes-cbc-256", "sha256-128", "sha256", 14 },
	{ "aes-cbc-256", "sha256-128", "sha256", 2 },
	{ "aes-cbc-256", "sha1-96", "sha1", 2 },
	{ "aes-cbc-128", "sha1-96", "sha1", 2 },
};
static const struct prop child_default[] = {
	{ "aes-gcm-256", NULL, NULL, 2 },
	{ "aes-cbc-256", "sha256-128", NULL, 14 },
	{ "aes-cbc-256", "sha1-96", NULL, 24 },
	{ "aes-cbc-128", "sha1-96", NULL, 1 },
};

static void
proposal(struct az_ex *x, int seq, struct sc_loc loc, const struct prop *p,
    bool child)
{
	int m = sc_ex_map(x->ex, loc);

	sc_ex_append(x->ex, seq, m);
	sc_ex_set_str(x->ex, m, "encr", p->encr);
	if (p->integ != NULL && p->integ[0] != '\0')
		sc_ex_set_str(x->ex, m, "integ", p->integ);
	if (!child && p->prf != NULL)
		sc_ex_set_str(x->ex, m, "prf", p->prf);
	sc_ex_set_fmt(x->ex, m, child ? "pfs" : "dh", "%d", p->dh);
}

/* The PRF of an IKE integrity (AEAD: SHA256, Azure's GCM PRF). */
static const char *
prf_of(int integ)
{
	switch (integ) {
	case AZ_KI_SHA1:
		return "sha1";
	case AZ_KI_SHA384:
		return "sha384";
	default:
		return "sha256";
	}
}

/* The connection's `ipsec` item (models/ipsec's shape). */
static void
ipsec_item(struct az_ex *x, const struct az_conn *c, const struct az_gw *g,
    const struct az_lng *l)
{
	const struct az_ipsec_policy *p = c->n_policies > 0 ? &c->policies[0] :
	    NULL;
	int m = az_item(x, "ipsec", c->loc), ike, child, props;
	char a[16];
	size_t i;

	sc_ex_set_str(x->ex, m, "name", c->name);
	sc_ex_set_str(x->ex, m, "node", g->name);
	sc_ex_set_str(x->ex, m, "interface", c->name);
	sc_ex_set_str(x->ex, m, "local", az_ip(a, g->public_ip));
	sc_ex_set_str(x->ex, m, "remote", az_ip(a, l->ip));
	sc_ex_set_str(x->ex, m, "keying", "ikev2");
	sc_ex_set_str(x->ex, m, "initiator", "true");
	sc_ex_set_str(x->ex, m, "psk", c->shared_key);
	/* the tunnel exists while the connection does: IKE starts with it */
	az_gate(x, m, "connections", c->name);
	ike = sc_ex_set_map(x->ex, m, "ike");
	sc_ex_set_fmt(x->ex, ike, "version", "%d", c->protocol == 2 ? 1 : 2);
	props = sc_ex_set_seq(x->ex, ike, "proposals");
	if (p != NULL) {
		struct prop q = { az_vpn_encr(1, p->ike_encr),
			az_vpn_integ(1, p->ike_integ), prf_of(p->ike_integ),
			az_vpn_dh(p->dh) };

		proposal(x, props, p->loc, &q, false);
	} else {
		for (i = 0; i < sizeof(ike_default) / sizeof(ike_default[0]);
		    i++)
			proposal(x, props, c->loc, &ike_default[i], false);
	}
	sc_ex_set_fmt(x->ex, ike, "lifetime", "%us", AZ_IKE_LIFETIME_S);
	sc_ex_set_fmt(x->ex, ike, "restart", "%us", AZ_IKE_RESTART_S);
	child = sc_ex_set_map(x->ex, m, "child");
	props = sc_ex_set_seq(x->ex, child, "proposals");
	if (p != NULL) {
		struct prop q = { az_vpn_encr(0, p->ipsec_encr),
			az_vpn_integ(0, p->ipsec_integ), NULL,
			az_vpn_pfs(p->pfs) };

		proposal(x, props, p->loc, &q, true);
	} else {
		for (i = 0; i < sizeof(child_default) /
		    sizeof(child_default[0]); i++)
			proposal(x, props, c->loc, &child_default[i], true);
	}
	/* sa_life_time_seconds (its default 27,000 s when no policy) */
	sc_ex_set_fmt(x->ex, child, "lifetime", "%us", p != NULL ?
	    p->sa_life_s : 27000u);
}

/*
 * The tunnel interface's address for BGP: the gateway's APIPA address in
 * the /30 of the site's bgp_peering_address (plen 30), else its first one
 * alone (plen 32: the peer is then reached by a host route, multihop).
 */
static uint32_t
tunnel_addr(const struct az_gw *g, uint32_t peer, uint8_t *plen)
{
	uint32_t first = 0, a;
	size_t i;
	char buf[40];
	uint8_t pl;

	for (i = 0; i < g->bgp.n_apipa; i++) {
		if (g->bgp.apipa[i] == NULL)
			continue;
		snprintf(buf, sizeof(buf), "%s/32", g->bgp.apipa[i]);
		if (az_prefix_parse(buf, &a, &pl) != 0)
			continue;
		if (first == 0)
			first = a;
		if ((a & ~3u) == (peer & ~3u) && a != peer && (a & 3u) != 0 &&
		    (a & 3u) != 3) {
			*plen = 30;
			return a;
		}
	}
	*plen = 32;
	return first;
}

static void
set_rate(struct az_ex *x, int q, uint64_t bps, uint64_t pps)
{
	uint64_t burst = bps / 8 / 1000, pburst = pps / 1000;

	if (burst < 65536)
		burst = 65536;
	if (pburst < 64)
		pburst = 64;
	sc_ex_set_str(x->ex, q, "kind", "shaper");
	az_set_rate(x, q, "rate", bps);
	sc_ex_set_fmt(x->ex, q, "burst", "%llu", (unsigned long long)burst);
	if (pps == 0)
		return;
	sc_ex_set_fmt(x->ex, q, "pps", "%llu", (unsigned long long)pps);
	sc_ex_set_fmt(x->ex, q, "pps_burst", "%llu",
	    (unsigned long long)pburst);
}

/* Whether connection c uses a GCM cipher (the per-tunnel GCM figure). */
static bool
gcm(const struct az_conn *c)
{
	return c->n_policies > 0 && c->policies[0].ipsec_encr >=
	    AZ_IE_GCMAES128;
}

/* VPN gateway g's processing on its tunnel side, each way (B9). */
static sim_time
tun_delay(const struct az_gw *g)
{
	return sc_key_given(g->x.keys, GX_TUN_DELAY) ? g->x.tunnel_delay :
	    AZ_VPN_GW_DELAY;
}

/* The sd of the pareto tail g adds to each packet of its tunnels (B9). */
static double
tun_jitter(const struct az_gw *g)
{
	return (double)(sc_key_given(g->x.keys, GX_TUN_JITTER) ?
	    g->x.tunnel_jitter : AZ_VPN_GW_JITTER);
}

/*
 * The public internet's one-way span between the gateway's region and the
 * site's: through the metro's peering location when both are places of
 * one interconnect metro (the clouds exchange traffic there, as the
 * interconnect does: two metro spans, docs/azure.md "The VPN's delay"),
 * else the span between them (models/geo).
 */
static sim_time
internet_span(const struct geo_place *a, const struct geo_place *b)
{
	const struct geo_pair *p = geo_pair_of(a);
	const struct geo_place *via;

	if (p != NULL && p == geo_pair_of(b) &&
	    (via = geo_find(p->peering[0])) != NULL && via != a && via != b)
		return geo_span_delay(a, via, GEO_ROUTE_FACTOR) +
		    geo_span_delay(via, b, GEO_ROUTE_FACTOR);
	return geo_span_delay(a, b, GEO_ROUTE_FACTOR);
}

/*
 * The other VPN gateway whose public address local network gateway l
 * names, when one of its IPsec connections names a local network gateway
 * with gi's address (*back): two Azure VNets joined by site-to-site VPN.
 * SIZE_MAX: none.
 */
static size_t
peer_gw(const struct azure *az, size_t gi, const struct az_lng *l,
    size_t *back)
{
	size_t i, k;

	for (i = 0; i < az->n_gws; i++) {
		if (i == gi || !az->gws[i].ok || az->gws[i].type != AZ_GW_VPN ||
		    az->gws[i].public_ip != l->ip)
			continue;
		for (k = 0; k < az->n_conns; k++)
			if (az->conns[k].ok && az->conns[k].type ==
			    AZ_CONN_IPSEC && az->conns[k].gw_idx == i &&
			    az->lngs[az->conns[k].lng_idx].ip ==
			    az->gws[gi].public_ip) {
				*back = az->conns[k].lng_idx;
				return i;
			}
	}
	return SIZE_MAX;
}

/*
 * The internet link from gateway gi toward local network gateway li, when
 * the scenario has the site: an OCI headend at its address, or another
 * Azure VPN gateway (whose own expansion then makes no second link). Its
 * delay: the span between the regions at the default route factor
 * (models/geo; the metro rule applies: docs/geo.md) or the site's written
 * delay, plus each VPN gateway's processing on the way (tunnel_delay; an
 * OCI headend adds none: docs/oci.md); its jitter a pareto tail of the
 * gateways' tunnel_jitter and the site's jitter together (the root of the
 * sum of their variances); the SKU's per-tunnel rate both ways (B5: the
 * tunnel of the first connection to the site says which cipher column).
 */
static void
internet_link(struct az_ex *x, size_t gi, size_t li, const struct az_conn *c)
{
	const struct az_gw *g = &x->az->gws[gi];
	const struct az_lng *l = &x->az->lngs[li];
	const struct az_vpn_fact *f = az_vpn_fact(g->sku);
	const char *region = NULL, *here = x->az->vnets[g->vnet_idx].location;
	const char *iface = NULL;
	char node[NAME_MAX2];
	sim_time d = tun_delay(g);
	double var = tun_jitter(g) * tun_jitter(g) +
	    (double)l->x.jitter * (double)l->x.jitter;
	size_t pi, back = 0;
	int m, j;

	pi = peer_gw(x->az, gi, l, &back);
	if (pi != SIZE_MAX) {
		const struct az_gw *p = &x->az->gws[pi];

		if (pi < gi)
			return;		/* made from the other end */
		snprintf(node, sizeof(node), "%s", p->name);
		iface = x->az->lngs[back].name;
		region = x->az->vnets[p->vnet_idx].location;
		d += tun_delay(p);
		var += tun_jitter(p) * tun_jitter(p);
	}
#ifdef AZ_HAVE_OCI
	else if (oci_vpn_headend_at(sc_ex_scenario(x->ex), l->ip, node,
	    sizeof(node), &region))
		iface = AZ_IF_INTERNET;
#endif
	if (iface == NULL)
		return;
	if (sc_key_given(l->x.keys, LX_DELAY))
		d += l->x.delay;
	else if (here != NULL && region != NULL && geo_find(here) != NULL &&
	    geo_find(region) != NULL)
		d += internet_span(geo_find(here), geo_find(region));
	else
		d += AZ_VPN_DELAY_DEFAULT;
	m = az_item(x, "links", l->loc);
	sc_ex_set_fmt(x->ex, m, "name", "%s.%s", g->name, l->name);
	sc_ex_set_fmt(x->ex, m, "a", "%s:%s", g->name, l->name);
	sc_ex_set_fmt(x->ex, m, "b", "%s:%s", node, iface);
	az_set_rate(x, m, "rate", IC_RATE_PORT);
	az_set_time(x, m, "delay", d);
	if (var > 0) {
		j = sc_ex_set_map(x->ex, m, "jitter");
		sc_ex_set_str(x->ex, j, "kind", "pareto");
		az_set_time(x, j, "sd", (sim_time)llround(sqrt(var)));
	}
	if (l->x.loss > 0) {
		j = sc_ex_set_map(x->ex, m, "loss");
		sc_ex_set_str(x->ex, j, "model", "bernoulli");
		sc_ex_set_fmt(x->ex, j, "p", "%.17g", l->x.loss);
	}
	az_gate(x, m, "virtual_network_gateways", g->name);
	set_rate(x, sc_ex_set_map(x->ex, m, "qdisc"), gcm(c) ?
	    f->tun_gcm_bps : f->tun_cbc_bps, gcm(c) ? f->tun_gcm_pps :
	    f->tun_cbc_pps);
}

/* `<gateway>.export`: the VNet's whole spaces, nothing learned (B1). */
static void
export_policy(struct az_ex *x, const struct az_gw *g,
    const struct az_vnet *v)
{
	int m = az_item(x, "prefix_lists", g->loc), e, r;
	size_t i;

	sc_ex_set_fmt(x->ex, m, "name", "%s.networks", g->name);
	e = sc_ex_set_seq(x->ex, m, "entries");
	for (i = 0; i < v->sp.n; i++) {
		r = az_push(x, e, v->sp.loc[i]);
		sc_ex_set_str(x->ex, r, "action", "permit");
		az_set_prefix(x, r, "prefix", v->sp.net[i], v->sp.plen[i]);
	}
	m = az_item(x, "policies", g->loc);
	sc_ex_set_fmt(x->ex, m, "name", "%s.export", g->name);
	sc_ex_set_str(x->ex, m, "default", "reject");
	e = sc_ex_set_seq(x->ex, m, "rules");
	r = az_push(x, e, g->loc);
	sc_ex_set_str(x->ex, r, "name", "networks");
	sc_ex_set_fmt(x->ex, r, "prefix_list", "%s.networks", g->name);
	sc_ex_set_str(x->ex, r, "then", "accept");
}

static void
gateway(struct az_ex *x, size_t gi)
{
	const struct azure *az = x->az;
	const struct az_gw *g = &az->gws[gi];
	const struct az_vnet *v = &az->vnets[g->vnet_idx];
	const struct az_subnet *s = &v->subnets[g->subnet_idx];
	const struct az_vpn_fact *f = az_vpn_fact(g->sku);
	bool *linked = calloc(az->n_lngs + 1, sizeof(bool));
	size_t i, j;
	int m, ifs, routes, r, nbrs = 0, tbl = 0, trs = 0;
	char a[16];

	if (linked == NULL)
		abort();
	m = az_item(x, "nodes", g->loc);
	sc_ex_set_str(x->ex, m, "name", g->name);
	sc_ex_set_str(x->ex, m, "role", "azure-vpn-gateway");
	if (v->location != NULL)
		sc_ex_set_str(x->ex, m, "region", v->location);
	ifs = sc_ex_set_seq(x->ex, m, "interfaces");
	az_iface(x, ifs, g->loc, "vnet", g->addr, s->plen, NULL);
	az_iface(x, ifs, g->vloc[GW_PIP], AZ_IF_PUBLIC, g->public_ip, 32,
	    NULL);
	routes = sc_ex_set_seq(x->ex, m, "routes");
	for (i = 0; i < v->sp.n; i++) {
		r = az_push(x, routes, g->loc);
		az_set_prefix(x, r, "prefix", v->sp.net[i], v->sp.plen[i]);
		sc_ex_set_str(x->ex, r, "iface", "vnet");
	}
	for (i = 0; i < az->n_conns; i++) {
		const struct az_conn *c = &az->conns[i];
		const struct az_lng *l;
		uint32_t ta = 0;
		uint8_t tp = 0;

		if (!c->ok || c->type != AZ_CONN_IPSEC || c->gw_idx != gi)
			continue;
		l = &az->lngs[c->lng_idx];
		if (c->enable_bgp)
			ta = tunnel_addr(g, l->bgp.peering_address, &tp);
		az_iface(x, ifs, c->loc, c->name, ta, tp, NULL);
		if (c->enable_bgp && tp == 32) {
			r = az_push(x, routes, c->loc);
			az_set_prefix(x, r, "prefix", l->bgp.peering_address,
			    32);
			sc_ex_set_str(x->ex, r, "iface", c->name);
		}
		if (!linked[c->lng_idx]) {
			linked[c->lng_idx] = true;
			az_iface(x, ifs, l->loc, l->name, 0, 0, NULL);
			r = az_push(x, routes, l->loc);
			az_set_prefix(x, r, "prefix", l->ip, 32);
			sc_ex_set_str(x->ex, r, "iface", l->name);
			internet_link(x, gi, c->lng_idx, c);
		}
		ipsec_item(x, c, g, l);
		if (!c->enable_bgp) {
			/* static routing: the site's space into the tunnel */
			if (tbl == 0) {
				tbl = az_item(x, "route_tables", g->loc);
				sc_ex_set_str(x->ex, tbl, "node", g->name);
				trs = sc_ex_set_seq(x->ex, tbl, "routes");
			}
			for (j = 0; j < l->sp.n; j++) {
				r = az_push(x, trs, l->sp.loc[j]);
				az_set_prefix(x, r, "prefix", l->sp.net[j],
				    l->sp.plen[j]);
				sc_ex_set_str(x->ex, r, "source", AZ_SRC_LNG);
				sc_ex_set_str(x->ex, r, "next_hop_type",
				    "Virtual network gateway");
				sc_ex_set_str(x->ex, r, "iface", c->name);
				az_gate(x, r, "connections", c->name);
			}
			continue;
		}
		if (nbrs == 0) {
			int b = az_item(x, "bgp", g->loc), nets;

			sc_ex_set_str(x->ex, b, "node", g->name);
			sc_ex_set_fmt(x->ex, b, "asn", "%u", g->bgp.asn);
			sc_ex_set_str(x->ex, b, "max_paths", "8");
			nets = sc_ex_set_seq(x->ex, b, "networks");
			for (j = 0; j < v->sp.n; j++) {
				r = az_push(x, nets, v->sp.loc[j]);
				az_set_prefix(x, r, "prefix", v->sp.net[j],
				    v->sp.plen[j]);
			}
			nbrs = sc_ex_set_seq(x->ex, b, "neighbors");
			export_policy(x, g, v);
		}
		r = az_push(x, nbrs, c->vloc[CN_BGP]);
		sc_ex_set_str(x->ex, r, "address", az_ip(a,
		    l->bgp.peering_address));
		sc_ex_set_fmt(x->ex, r, "remote_as", "%u", l->bgp.asn);
		sc_ex_set_fmt(x->ex, r, "description", "connection %s",
		    c->name);
		sc_ex_set_fmt(x->ex, r, "export", "%s.export", g->name);
		if (tp == 32)
			sc_ex_set_str(x->ex, r, "ttl", "2");
		az_gate(x, r, "connections", c->name);
	}
	/* the SKU's aggregate (B5: S2S and P2S together, not burstable) */
	m = az_link(x, g->loc, g->name, "vnet", v->name, g->name, g->x.delay,
	    IC_RATE_FABRIC);
	set_rate(x, sc_ex_set_map(x->ex, m, "qdisc"), f->agg_bps, 0);
	az_gate(x, m, "virtual_network_gateways", g->name);
	free(linked);
}

bool
az_vpn_routes(const struct azure *az, size_t gi, bool bgp)
{
	size_t i;

	for (i = 0; i < az->n_conns; i++)
		if (az->conns[i].ok && az->conns[i].type == AZ_CONN_IPSEC &&
		    az->conns[i].gw_idx == gi && az->conns[i].enable_bgp == bgp)
			return true;
	return false;
}

void
az_expand_vpn(struct az_ex *x)
{
	size_t i;

	for (i = 0; i < x->az->n_gws; i++)
		if (x->az->gws[i].ok && x->az->gws[i].type == AZ_GW_VPN)
			gateway(x, i);
}
