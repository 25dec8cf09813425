/*
 * azure_expand_er.c - ExpressRoute expanded (docs/azure.md): each gateway
 * a node (AS 65515) linked to its VNet node through a shaper at its SKU's
 * rate and packet rate (1.6, B5); each circuit two MSEE routers (AS 12076,
 * Microsoft's timers and BFD, 1.5) with the private peering on
 * IC_IF_PEERING (1.3, 1.8) and the prefix limits of 1.4/B1; each
 * connection a link and a BGP session per path between the gateway and the
 * MSEE, out of IC_BLOCK_MS (interconnect.h); FastPath (B5) direct links
 * MSEE <-> VNet node with routes preferred over BGP.
 *
 * The private peering is the circuit's private_peering; without one, for a
 * circuit whose provider is Oracle Cloud FastConnect, the OCI virtual
 * circuit's (oci_vc_peering, 3.1: it "appears automatically").
 *
 * Planned maintenance of a link (the timeline's `maintenance`, 1.7): the
 * MSEE of that link prepends 12076 AZ_MAINT_PREPEND times on everything it
 * advertises, to the gateways and to the peer (Oracle), while the window
 * lasts: an export policy whose one rule is gated on the circuit's
 * `maintenance` state (prov_state_gate).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "azure_int.h"
#include "azure_prov_int.h"
#include "interconnect.h"
#include "scenario_expand.h"

#if defined(__has_include)
#if __has_include("oci.h")
#include "oci.h"
#define AZ_HAVE_OCI 1
#endif
#endif

#define IF_NAME_MAX (2 * SC_NAME_MAX + 16)
/*
 * 12076 prepended this many times on the maintained link: the facts say
 * "a longer AS path" (1.7), not how much longer; 3 is our choice, enough
 * to lose to the other link's path however the peer prepends its own.
 */
#define AZ_MAINT_PREPEND 3

/* Per circuit path: its MSEE's name, interfaces, neighbours. */
struct msee {
	char name[IF_NAME_MAX];
	struct sc_loc loc;	/* the circuit's */
	int ifaces, nbrs;	/* nbrs 0: no speaker yet */
	char maint[IF_NAME_MAX + 16];	/* its export policy, "": none */
};

/*
 * The MSEE's maintenance policy when the timeline maintains its link:
 * everything out, 12076 prepended while the window lasts (gated).
 */
static void
maint_policy(struct az_ex *x, const struct az_circuit *c, struct msee *ms,
    enum ic_path path)
{
	const char *g = prov_state_gate(sc_ex_scenario(x->ex),
	    "express_route_circuits", c->name, PROV_MAINT_FIELD,
	    ic_path_name[path]);
	int m, rules, r;

	ms->maint[0] = '\0';
	if (g == NULL)
		return;
	snprintf(ms->maint, sizeof(ms->maint), "%s.maintenance", ms->name);
	m = az_item(x, "policies", c->loc);
	sc_ex_set_str(x->ex, m, "name", ms->maint);
	sc_ex_set_str(x->ex, m, "default", "accept");
	rules = sc_ex_set_seq(x->ex, m, "rules");
	r = az_push(x, rules, c->loc);
	sc_ex_set_str(x->ex, r, "name", "planned-maintenance");
	sc_ex_set_str(x->ex, r, "gate", g);
	sc_ex_set_fmt(x->ex, r, "prepend", "%d", AZ_MAINT_PREPEND);
	sc_ex_set_str(x->ex, r, "then", "accept");
}

/*
 * The MSEE's neighbours, its speaker made on the first: a circuit with
 * neither a peering nor a connection yet runs no BGP (and has no address
 * to take a router id from).
 */
static int
msee_nbrs(struct az_ex *x, struct msee *ms)
{
	int m;

	if (ms->nbrs != 0)
		return ms->nbrs;
	m = az_item(x, "bgp", ms->loc);
	sc_ex_set_str(x->ex, m, "node", ms->name);
	sc_ex_set_fmt(x->ex, m, "asn", "%u", IC_ASN_MICROSOFT);
	sc_ex_set_str(x->ex, m, "max_paths", "2");
	ms->nbrs = sc_ex_set_seq(x->ex, m, "neighbors");
	return ms->nbrs;
}

/*
 * A token bucket's map: a millisecond of the rates, at least 64 KiB and
 * 64 packets, so a burst of full frames at line rate passes.
 */
static void
bucket(struct az_ex *x, int q, const char *kind, uint64_t rate, uint64_t pps)
{
	uint64_t burst = rate / 8 / 1000, pburst = pps / 1000;

	if (burst < 65536)
		burst = 65536;
	if (pburst < 64)
		pburst = 64;
	sc_ex_set_str(x->ex, q, "kind", kind);
	az_set_rate(x, q, "rate", rate);
	sc_ex_set_fmt(x->ex, q, "burst", "%llu", (unsigned long long)burst);
	if (pps == 0)
		return;
	sc_ex_set_fmt(x->ex, q, "pps", "%llu", (unsigned long long)pps);
	sc_ex_set_fmt(x->ex, q, "pps_burst", "%llu",
	    (unsigned long long)pburst);
}

/*
 * The qdisc of an event changing link's qdisc at `at` (an accepted update
 * of the timeline completing), or -1 when at is past the end of the run
 * (the run never sees it).
 */
static int
rate_event(struct az_ex *x, struct sc_loc loc, sim_time at, const char *link)
{
	sim_time end = sc_ex_scenario(x->ex)->duration;
	int m;

	if (end != 0 && at > end)
		return -1;
	m = az_item(x, "events", loc);
	az_set_time(x, m, "at", at);
	sc_ex_set_str(x->ex, m, "action", "qdisc-set");
	sc_ex_set_str(x->ex, m, "link", link);
	return sc_ex_set_map(x->ex, m, "qdisc");
}

static void
sku_bucket(struct az_ex *x, int q, const struct az_gw *g, int sku)
{
	const struct az_sku_fact *f = az_sku_fact(sku);
	uint64_t rate = f->rate_bps, pps = f->pps;

	if (sku == AZ_SKU_ERGWSCALE) {
		rate *= g->scale_units;
		pps *= g->scale_units;
	}
	bucket(x, q, "shaper", rate, pps);
}

/*
 * The gateway's SKU (1.6, B5): a shaper at its rate and packet rate on
 * the gateway's link into its VNet, the link called name; a resize of the
 * timeline gives it the new SKU's from its completion on.
 */
static void
shaper(struct az_ex *x, int link, size_t gi, const char *name)
{
	const struct az_gw *g = &x->az->gws[gi];
	const struct az_rate *rt;
	size_t k, n = az_rate_changes(x->az, K_GW, gi, &rt);
	int q;

	sku_bucket(x, sc_ex_set_map(x->ex, link, "qdisc"), g, g->sku);
	for (k = 0; k < n; k++)
		if ((q = rate_event(x, g->loc, rt[k].at, name)) >= 0)
			sku_bucket(x, q, g, (int)rt[k].value);
}

/*
 * The circuit's bandwidth (1.7, B1: duplex, the same figure each way,
 * provisioned on each of the two links): a policer at bandwidth_in_mbps
 * in both directions of every link into an MSEE from a gateway or a VNet
 * (FastPath), the link called name; an increase of the timeline raises
 * it from its completion on. The buckets hold a millisecond of the rate,
 * at least 64 KiB, as the gateway's shaper's. An approximation: the rate
 * is per link, so one VNet per circuit is exact, several VNets each get
 * the full rate.
 */
static void
policer(struct az_ex *x, int link, size_t ci, const char *name)
{
	const struct az_circuit *c = &x->az->circuits[ci];
	const struct az_rate *rt;
	size_t k, n = az_rate_changes(x->az, K_CIRCUIT, ci, &rt);
	int q;

	bucket(x, sc_ex_set_map(x->ex, link, "qdisc"), "policer",
	    (uint64_t)c->bandwidth_mbps * 1000000, 0);
	for (k = 0; k < n; k++)
		if ((q = rate_event(x, c->loc, rt[k].at, name)) >= 0)
			bucket(x, q, "policer", (uint64_t)rt[k].value *
			    1000000, 0);
}

static size_t
conns_of_gw(const struct azure *az, size_t gi)
{
	size_t i, n = 0;

	for (i = 0; i < az->n_conns; i++)
		n += az->conns[i].ok && az->conns[i].gw_idx == gi &&
		    az->conns[i].type != AZ_CONN_IPSEC;
	return n;
}

/*
 * `<gateway>.export`: toward the MSEEs the gateway advertises its VNet's
 * whole spaces and nothing else (B1); what it learned from one circuit
 * never goes back out to another (1.4: ExpressRoute is not a transit).
 */
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
	size_t i, paths = 2 * conns_of_gw(az, gi);
	char lname[IF_NAME_MAX + 8];
	int m, routes, r, nets;

	m = az_item(x, "nodes", g->loc);
	sc_ex_set_str(x->ex, m, "name", g->name);
	sc_ex_set_str(x->ex, m, "role", "azure-er-gateway");
	if (v->location != NULL)
		sc_ex_set_str(x->ex, m, "region", v->location);
	x->gw_ifaces[gi] = sc_ex_set_seq(x->ex, m, "interfaces");
	az_iface(x, x->gw_ifaces[gi], g->loc, "vnet", g->addr, s->plen, NULL);
	routes = sc_ex_set_seq(x->ex, m, "routes");
	for (i = 0; i < v->sp.n; i++) {
		r = az_push(x, routes, g->loc);
		az_set_prefix(x, r, "prefix", v->sp.net[i], v->sp.plen[i]);
		sc_ex_set_str(x->ex, r, "iface", "vnet");
	}
	m = az_link(x, g->loc, g->name, "vnet", v->name, g->name, g->x.delay,
	    IC_RATE_FABRIC);
	snprintf(lname, sizeof(lname), "%s.vnet", g->name);
	shaper(x, m, gi, lname);
	az_gate(x, m, "virtual_network_gateways", g->name);
	/* the gateway advertises whole address spaces, never subnets (B1) */
	m = az_item(x, "bgp", g->loc);
	sc_ex_set_str(x->ex, m, "node", g->name);
	sc_ex_set_fmt(x->ex, m, "asn", "%u", IC_ASN_AZURE_GW);
	sc_ex_set_fmt(x->ex, m, "max_paths", "%zu", paths < 2 ? 2 :
	    paths > 64 ? 64 : paths);
	nets = sc_ex_set_seq(x->ex, m, "networks");
	for (i = 0; i < v->sp.n; i++) {
		r = az_push(x, nets, v->sp.loc[i]);
		az_set_prefix(x, r, "prefix", v->sp.net[i], v->sp.plen[i]);
	}
	x->gw_nbrs[gi] = sc_ex_set_seq(x->ex, m, "neighbors");
	export_policy(x, g, v);
}

/* The peering the MSEEs of circuit c carry; false: none. */
static bool
peering(struct az_ex *x, const struct az_circuit *c, struct ic_peering *p)
{
	size_t i;

	memset(p, 0, sizeof(*p));
	if (c->has_pp) {
		for (i = 0; i < 2; i++) {
			/* 1.3: the peer the first usable, the MSEE the second */
			uint32_t first = c->pp.prefix[i] + 1;

			p->prefix[i] = c->pp.prefix[i];
			p->plen[i] = c->pp.plen[i];
			p->peer_addr[i] = first;
			p->msee_addr[i] = first + 1;
		}
		p->vlan = (uint16_t)c->pp.vlan;
		p->stag = (uint16_t)c->stag;
		p->peer_asn = c->pp.peer_asn;
		if (c->pp.shared_key != NULL)
			snprintf(p->md5_key, sizeof(p->md5_key), "%s",
			    c->pp.shared_key);
		return true;
	}
#ifdef AZ_HAVE_OCI
	if (c->provider != NULL && strcmp(c->provider, IC_PROVIDER_ORACLE) == 0)
		return oci_vc_peering(sc_ex_scenario(x->ex), c->name,
		    sc_ex_scenario(x->ex)->seed, p);
#else
	(void)x;
#endif
	return false;
}

static void
max_prefix(struct az_ex *x, int nbr, uint32_t limit, sim_time restart)
{
	int m = sc_ex_set_map(x->ex, nbr, "max_prefix");

	sc_ex_set_fmt(x->ex, m, "limit", "%u", limit);
	az_set_time(x, m, "restart", restart);
}

static void
circuit(struct az_ex *x, size_t ci, struct msee ms[2])
{
	const struct az_circuit *c = &x->az->circuits[ci];
	struct ic_peering p;
	bool has = peering(x, c, &p);
	char a[16], skey[37], pp[SC_NAME_MAX + 32];
	int i, m, f;

	snprintf(pp, sizeof(pp), "%s/AzurePrivatePeering", c->name);

	/* what the provider or OCI is given (1.2, 3.1): users see it here */
	ic_service_key(sc_ex_scenario(x->ex)->seed, c->name, skey);

	for (i = 0; i < 2; i++) {
		ic_msee_name(ms[i].name, sizeof(ms[i].name), c->name,
		    x->az->n_circuits, (enum ic_path)i);
		m = az_item(x, "nodes", c->loc);
		sc_ex_set_str(x->ex, m, "name", ms[i].name);
		sc_ex_set_str(x->ex, m, "role", "msee");
		sc_ex_set_str(x->ex, m, "region", c->location);
		ms[i].ifaces = sc_ex_set_seq(x->ex, m, "interfaces");
		ms[i].loc = c->loc;
		maint_policy(x, c, &ms[i], (enum ic_path)i);
		/*
		 * The circuit's path by name, for `xcsim bgp --node
		 * er.primary` (its route table, summary and ARP rows, as the
		 * portal shows a private peering's) and `xcsim routes`.
		 */
		m = az_item(x, "aliases", c->loc);
		sc_ex_set_fmt(x->ex, m, "name", "%s.%s", c->name,
		    ic_path_name[i]);
		sc_ex_set_str(x->ex, m, "node", ms[i].name);
		sc_ex_set_fmt(x->ex, m, "what", "ExpressRoute circuit %s "
		    "(service key %s), %s path: MSEE %s", c->name, skey,
		    ic_path_name[i], ms[i].name);
		if (!has || p.plen[i] == 0)
			continue;
		f = az_iface(x, ms[i].ifaces, c->has_pp ? c->vloc[CI_PP] :
		    c->loc, IC_IF_PEERING, p.msee_addr[i], p.plen[i], NULL);
		sc_ex_set_fmt(x->ex, f, "vlan", "%u", p.vlan);
		if (p.stag != 0)
			sc_ex_set_fmt(x->ex, f, "svlan", "%u", p.stag);
		/* ExpressRoute Direct: the customer's router on the port */
		az_expand_port_link(x, ci, ms[i].name, i);
		/* Microsoft's side of the peering (1.4, 1.5, B1) */
		m = az_push(x, msee_nbrs(x, &ms[i]), c->has_pp ?
		    c->vloc[CI_PP] : c->loc);
		sc_ex_set_str(x->ex, m, "address", az_ip(a, p.peer_addr[i]));
		sc_ex_set_fmt(x->ex, m, "remote_as", "%u", p.peer_asn);
		sc_ex_set_str(x->ex, m, "description", "private peering");
		/* up while the peering carries: provider Provisioned (1.2) */
		az_gate(x, m, "peerings", pp);
		sc_ex_set_str(x->ex, m, "preset", "msee");
		/* the preset's, written out so the expansion shows them */
		sc_ex_set_str(x->ex, m, "keepalive", "60s");
		sc_ex_set_str(x->ex, m, "hold", "180s");
		sc_ex_set_str(x->ex, m, "bfd", "true");
		f = sc_ex_set_map(x->ex, m, "bfd_timers");
		sc_ex_set_str(x->ex, f, "tx", "300ms");
		sc_ex_set_str(x->ex, f, "rx", "300ms");
		sc_ex_set_str(x->ex, f, "multiplier", "3");
		if (p.md5_key[0] != '\0')
			sc_ex_set_str(x->ex, m, "md5_key", p.md5_key);
		max_prefix(x, m, c->sku.tier == AZ_TIER_PREMIUM ?
		    AZ_PREFIX_LIMIT_PREMIUM : AZ_PREFIX_LIMIT_STANDARD,
		    c->x.restart);
		if (ms[i].maint[0] != '\0')
			sc_ex_set_str(x->ex, m, "export", ms[i].maint);
	}
}

/* FastPath: the MSEE reaches the VNet's NICs without the gateway (B5). */
static void
fastpath(struct az_ex *x, const struct az_conn *cn, const struct msee *ms)
{
	const struct azure *az = x->az;
	const struct az_gw *g = &az->gws[cn->gw_idx];
	const struct az_vnet *v = &az->vnets[g->vnet_idx];
	const struct az_circuit *c = &az->circuits[cn->circuit_idx];
	char vif[IF_NAME_MAX + 16], mif[IF_NAME_MAX + 16];
	char lname[2 * IF_NAME_MAX + 24];
	size_t i;
	int m, routes, r;

	snprintf(vif, sizeof(vif), "fastpath-%s", ms->name);
	snprintf(mif, sizeof(mif), "fastpath-%s", v->name);
	az_iface(x, x->vnet_ifaces[g->vnet_idx], cn->vloc[CN_BYPASS], vif, 0,
	    0, AZ_GATEWAY_SUBNET);
	az_iface(x, ms->ifaces, cn->vloc[CN_BYPASS], mif, 0, 0, NULL);
	m = az_link(x, cn->vloc[CN_BYPASS], ms->name, mif, v->name, vif,
	    c->x.delay + g->x.delay, IC_RATE_PORT);
	snprintf(lname, sizeof(lname), "%s.%s", ms->name, mif);
	policer(x, m, cn->circuit_idx, lname);
	az_gate(x, m, "connections", cn->name);
	m = az_item(x, "route_tables", cn->vloc[CN_BYPASS]);
	sc_ex_set_str(x->ex, m, "node", ms->name);
	sc_ex_set_str(x->ex, m, "vrf", "default");
	routes = sc_ex_set_seq(x->ex, m, "routes");
	for (i = 0; i < v->sp.n; i++) {
		r = az_push(x, routes, cn->vloc[CN_BYPASS]);
		az_set_prefix(x, r, "prefix", v->sp.net[i], v->sp.plen[i]);
		sc_ex_set_str(x->ex, r, "source", "fastpath");
		sc_ex_set_str(x->ex, r, "preference", "10");
		sc_ex_set_str(x->ex, r, "next_hop_type", "FastPath");
		sc_ex_set_str(x->ex, r, "iface", mif);
		az_gate(x, r, "connections", cn->name);
	}
}

/*
 * routing_weight: the gateway prefers the routes of the heavier
 * connection (B1). Its sessions' import policy sets LOCAL_PREF 100 +
 * weight (100, the default, for weight 0), which orders the gateway's
 * choices as the weight does: nothing else sets LOCAL_PREF there.
 */
static void
weight_policy(struct az_ex *x, const struct az_conn *cn)
{
	int m = az_item(x, "policies", cn->vloc[CN_WEIGHT]), rules, r;

	sc_ex_set_fmt(x->ex, m, "name", "%s.routing_weight", cn->name);
	sc_ex_set_str(x->ex, m, "default", "accept");
	rules = sc_ex_set_seq(x->ex, m, "rules");
	r = az_push(x, rules, cn->vloc[CN_WEIGHT]);
	sc_ex_set_str(x->ex, r, "name", "routing_weight");
	sc_ex_set_fmt(x->ex, r, "local_pref", "%u", 100 + cn->weight);
	sc_ex_set_str(x->ex, r, "then", "accept");
}

/* A connection: per path a /30 link and a session gateway <-> MSEE. */
static void
connection(struct az_ex *x, const struct az_conn *cn, struct msee *ms,
    uint32_t *k)
{
	const struct azure *az = x->az;
	const struct az_gw *g = &az->gws[cn->gw_idx];
	const struct az_circuit *c = &az->circuits[cn->circuit_idx];
	uint32_t lo, hi;
	char a[16], lname[2 * IF_NAME_MAX + 8];
	int i, m;

	if (cn->weight != 0)
		weight_policy(x, cn);
	for (i = 0; i < 2; i++) {
		ic_p2p(IC_BLOCK_MS, (*k)++, &lo, &hi);
		az_iface(x, x->gw_ifaces[cn->gw_idx], cn->loc, ms[i].name, lo,
		    30, NULL);
		az_iface(x, ms[i].ifaces, cn->loc, g->name, hi, 30, NULL);
		m = az_link(x, cn->loc, g->name, ms[i].name, ms[i].name,
		    g->name, c->x.delay, IC_RATE_PORT);
		snprintf(lname, sizeof(lname), "%s.%s", g->name, ms[i].name);
		policer(x, m, cn->circuit_idx, lname);
		/* the connection's link and sessions (provision.h) */
		az_gate(x, m, "connections", cn->name);
		m = az_push(x, x->gw_nbrs[cn->gw_idx], cn->loc);
		sc_ex_set_str(x->ex, m, "address", az_ip(a, hi));
		sc_ex_set_fmt(x->ex, m, "remote_as", "%u", IC_ASN_MICROSOFT);
		sc_ex_set_fmt(x->ex, m, "description", "connection %s",
		    cn->name);
		az_gate(x, m, "connections", cn->name);
		sc_ex_set_str(x->ex, m, "preset", "msee");
		/*
		 * VNets linked to one circuit share one routing domain (B1),
		 * but every gateway is AS 65515: the other gateways' spaces
		 * arrive as 12076 65515, a loop to a plain speaker. Azure
		 * lets them in; here allowas_in 1 on the MSEE sessions does
		 * (the MSEE keeps the path as it is, so the AS path reads as
		 * Azure's route table shows it).
		 */
		sc_ex_set_str(x->ex, m, "allowas_in", "1");
		sc_ex_set_fmt(x->ex, m, "export", "%s.export", g->name);
		if (cn->weight != 0)
			sc_ex_set_fmt(x->ex, m, "import", "%s.routing_weight",
			    cn->name);
		m = az_push(x, msee_nbrs(x, &ms[i]), cn->loc);
		sc_ex_set_str(x->ex, m, "address", az_ip(a, lo));
		sc_ex_set_fmt(x->ex, m, "remote_as", "%u", IC_ASN_AZURE_GW);
		sc_ex_set_fmt(x->ex, m, "description", "gateway %s", g->name);
		az_gate(x, m, "connections", cn->name);
		sc_ex_set_str(x->ex, m, "preset", "msee");
		/* over 1,000 VNet prefixes the connection goes down (B1) */
		max_prefix(x, m, AZ_GW_ADVERTISE_MAX, c->x.restart);
		if (ms[i].maint[0] != '\0')
			sc_ex_set_str(x->ex, m, "export", ms[i].maint);
		if (cn->bypass)
			fastpath(x, cn, &ms[i]);
	}
}

void
az_expand_er(struct az_ex *x)
{
	const struct azure *az = x->az;
	struct msee (*ms)[2] = calloc(az->n_circuits + 1, sizeof(*ms));
	uint32_t k = 0;
	size_t i;

	if (ms == NULL)
		abort();
	/* VPN gateways and IPsec connections: azure_vpn_expand.c */
	for (i = 0; i < az->n_gws; i++)
		if (az->gws[i].ok && az->gws[i].type != AZ_GW_VPN)
			gateway(x, i);
	for (i = 0; i < az->n_circuits; i++)
		circuit(x, i, ms[i]);
	for (i = 0; i < az->n_conns; i++)
		if (az->conns[i].ok && az->conns[i].type != AZ_CONN_IPSEC)
			connection(x, &az->conns[i],
			    ms[az->conns[i].circuit_idx], &k);
	free(ms);
}
