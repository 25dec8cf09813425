/*
 * azure_expand.c - the `azure` section expanded into low-level items
 * (scenario_expand.h), as docs/azure.md and the contract's "Expansion of
 * azure" describe: per VNet a transparent node with a VRF per subnet and
 * a delivery VRF _vnet, the subnets' effective routes as route_tables
 * (system routes, UDRs, gateway routes, B3), NSGs as first_match acls with
 * the default rules (2.6) bound to every NIC (B4), and the VMs. The
 * ExpressRoute half (gateways, circuits, MSEEs, FastPath) is in
 * azure_expand_er.c. Every item is placed at the resource it came from, so
 * a low-level error about it points there.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "azure_int.h"
#include "azure_vpn.h"
#include "scenario_expand.h"

#if defined(__has_include)
#if __has_include("oci.h")
#include "oci.h"
#define AZ_HAVE_OCI 1
#endif
#endif

/* --- small emitters -------------------------------------------------- */

int
az_item(struct az_ex *x, const char *list, struct sc_loc loc)
{
	int m = sc_ex_map(x->ex, loc);

	sc_ex_append(x->ex, sc_ex_list(x->ex, list), m);
	return m;
}

/* seq += a mapping at loc; returns it. */
int
az_push(struct az_ex *x, int seq, struct sc_loc loc)
{
	int m = sc_ex_map(x->ex, loc);

	sc_ex_append(x->ex, seq, m);
	return m;
}

void
az_set_prefix(struct az_ex *x, int map, const char *key, uint32_t net,
    uint8_t plen)
{
	char a[16];

	sc_ex_set_fmt(x->ex, map, key, "%s/%u", az_ip(a, net), plen);
}

void
az_set_time(struct az_ex *x, int map, const char *key, sim_time t)
{
	char b[32];

	sc_ex_set_str(x->ex, map, key, units_fmt_time(b, sizeof(b), t));
}

void
az_set_rate(struct az_ex *x, int map, const char *key, uint64_t bps)
{
	char b[32];

	sc_ex_set_str(x->ex, map, key, units_fmt_rate(b, sizeof(b), bps));
}

int
az_iface(struct az_ex *x, int ifaces, struct sc_loc loc, const char *name,
    uint32_t addr, uint8_t plen, const char *vrf)
{
	int m = az_push(x, ifaces, loc);

	sc_ex_set_str(x->ex, m, "name", name);
	if (plen != 0)
		az_set_prefix(x, m, "address", addr, plen);
	if (vrf != NULL)
		sc_ex_set_str(x->ex, m, "vrf", vrf);
	return m;
}

int
az_link(struct az_ex *x, struct sc_loc loc, const char *a, const char *aif,
    const char *b, const char *bif, sim_time delay, uint64_t rate)
{
	int m = az_item(x, "links", loc);

	sc_ex_set_fmt(x->ex, m, "name", "%s.%s", a, aif);
	sc_ex_set_fmt(x->ex, m, "a", "%s:%s", a, aif);
	sc_ex_set_fmt(x->ex, m, "b", "%s:%s", b, bif);
	az_set_rate(x, m, "rate", rate);
	az_set_time(x, m, "delay", delay);
	return m;
}

/* A route_tables entry: prefix, source, preference, next_hop_type. */
static int
rt_entry(struct az_ex *x, int routes, struct sc_loc loc, uint32_t net,
    uint8_t plen, const char *source, unsigned pref, const char *nht)
{
	int m = az_push(x, routes, loc);

	az_set_prefix(x, m, "prefix", net, plen);
	sc_ex_set_str(x->ex, m, "source", source);
	sc_ex_set_fmt(x->ex, m, "preference", "%u", pref);
	sc_ex_set_str(x->ex, m, "next_hop_type", nht);
	return m;
}

/* --- the VNet node and its VRFs ---------------------------------------- */

/* RFC 1918 and RFC 6598: "None" unless inside the VNet's space (B3). */
static const struct {
	uint32_t net;
	uint8_t plen;
} private_ranges[] = {
	{ 0x0a000000u, 8 }, { 0xac100000u, 12 }, { 0xc0a80000u, 16 },
	{ 0x64400000u, 10 },
};

#define PREF_USER 10
#define PREF_BGP 20
#define PREF_SYSTEM 30

static bool
in_space(const struct az_vnet *v, uint32_t net, uint8_t plen)
{
	size_t i;

	for (i = 0; i < v->sp.n; i++)
		if (az_within(net, plen, v->sp.net[i], v->sp.plen[i]))
			return true;
	return false;
}

/* The NIC whose address is a, in VNet vi, or NULL. */
static const struct az_nic *
nic_at(const struct azure *az, size_t vi, uint32_t a)
{
	size_t i, j;

	for (i = 0; i < az->n_vms; i++)
		for (j = 0; j < az->vms[i].n_nics; j++) {
			const struct az_nic *n = &az->vms[i].nics[j];

			if (n->ok && n->vnet_idx == vi && n->addr == a)
				return n;
		}
	return NULL;
}

/* The system routes of subnet s (key "vnet/subnet"): its gate's. */
static void
system_routes(struct az_ex *x, const struct az_vnet *v, int routes,
    struct sc_loc loc, const char *s)
{
	size_t i;
	int m;

	for (i = 0; i < v->sp.n; i++) {
		m = rt_entry(x, routes, loc, v->sp.net[i], v->sp.plen[i],
		    "system", PREF_SYSTEM, "Virtual network");
		sc_ex_set_str(x->ex, m, "table", AZ_VRF_VNET);
		az_gate(x, m, "subnets", s);
	}
	for (i = 0; i < sizeof(private_ranges) / sizeof(private_ranges[0]);
	    i++) {
		if (in_space(v, private_ranges[i].net, private_ranges[i].plen))
			continue;
		m = rt_entry(x, routes, loc, private_ranges[i].net,
		    private_ranges[i].plen, "system", PREF_SYSTEM, "None");
		sc_ex_set_str(x->ex, m, "drop", "true");
		az_gate(x, m, "subnets", s);
	}
	/* no internet in the scenario yet: Internet is a drop (docs/azure.md) */
	if (!in_space(v, 0, 0)) {
		m = rt_entry(x, routes, loc, 0, 0, "system", PREF_SYSTEM,
		    "Internet");
		sc_ex_set_str(x->ex, m, "drop", "true");
		az_gate(x, m, "subnets", s);
	}
}

static void
user_routes(struct az_ex *x, size_t vi, const struct az_rt *t, int routes)
{
	const struct az_vnet *v = &x->az->vnets[vi];
	const struct az_gw *g = v->gw_idx ? &x->az->gws[v->gw_idx - 1] : NULL;
	size_t i;
	char a[16], id[2 * SC_NAME_MAX + 2];

	for (i = 0; i < t->n_routes; i++) {
		const struct az_route *r = &t->routes[i];
		const struct az_nic *nic;
		int m = rt_entry(x, routes, r->loc, r->prefix, r->plen, "user",
		    PREF_USER, az_nht_text[r->nht - 1]);

		/* a UDR is in the table while the route carries */
		snprintf(id, sizeof(id), "%s/%s", t->name, r->name);
		az_gate(x, m, "routes", id);

		switch (r->nht) {
		case AZ_NH_APPLIANCE:
			/* to the appliance's NIC; none there: Azure drops */
			nic = nic_at(x->az, vi, r->nh_ip);
			if (nic == NULL) {
				sc_ex_set_str(x->ex, m, "drop", "true");
				break;
			}
			sc_ex_set_str(x->ex, m, "via", az_ip(a, r->nh_ip));
			sc_ex_set_str(x->ex, m, "iface", nic->name);
			break;
		case AZ_NH_GATEWAY:
			sc_ex_set_str(x->ex, m, "via", az_ip(a, g->addr));
			sc_ex_set_str(x->ex, m, "iface", g->name);
			break;
		case AZ_NH_VNET:
			sc_ex_set_str(x->ex, m, "table", AZ_VRF_VNET);
			break;
		default:	/* None, Internet */
			sc_ex_set_str(x->ex, m, "drop", "true");
			break;
		}
	}
}

/* The gateway's BGP routes, but never inside the VNet's space (B3). */
static void
gateway_import(struct az_ex *x, const struct az_vnet *v, int map,
    struct sc_loc loc)
{
	const struct az_gw *g = &x->az->gws[v->gw_idx - 1];
	int imports = sc_ex_set_seq(x->ex, map, "imports");
	int m = az_push(x, imports, loc), s, ex;
	size_t i;
	char a[16];

	sc_ex_set_str(x->ex, m, "from_node", g->name);
	sc_ex_set_str(x->ex, m, "from_vrf", "default");
	s = sc_ex_set_seq(x->ex, m, "from_sources");
	sc_ex_append(x->ex, s, sc_ex_str(x->ex, loc, "bgp"));
	sc_ex_set_str(x->ex, m, "source", "bgp");
	sc_ex_set_fmt(x->ex, m, "preference", "%u", PREF_BGP);
	sc_ex_set_str(x->ex, m, "next_hop_type", "Virtual network gateway");
	sc_ex_set_str(x->ex, m, "via", az_ip(a, g->addr));
	sc_ex_set_str(x->ex, m, "iface", g->name);
	/* the gateway's routes reach the subnets while it carries */
	az_gate(x, m, "virtual_network_gateways", g->name);
	ex = sc_ex_set_seq(x->ex, m, "exclude_within");
	for (i = 0; i < v->sp.n; i++)
		sc_ex_append(x->ex, ex, sc_ex_fmt(x->ex, loc, "%s/%u",
		    az_ip(a, v->sp.net[i]), v->sp.plen[i]));
}

/*
 * The VPN gateway's routes (BGP, or the local network gateways' spaces):
 * after ExpressRoute's for the same prefix (B3: "ER preferred over VPN
 * for the same prefix in coexistence"), never inside the VNet's space.
 */
static void
vpn_import(struct az_ex *x, const struct az_vnet *v, int map,
    struct sc_loc loc)
{
	const struct az_gw *g = &x->az->gws[v->vpn_gw_idx - 1];
	int imports = sc_ex_get(x->ex, map, "imports"), m, s, ex;
	bool bgp = az_vpn_routes(x->az, v->vpn_gw_idx - 1, true);
	bool lng = az_vpn_routes(x->az, v->vpn_gw_idx - 1, false);
	size_t i;
	char a[16];

	if (!bgp && !lng)
		return;
	if (imports == 0)
		imports = sc_ex_set_seq(x->ex, map, "imports");
	m = az_push(x, imports, loc);
	sc_ex_set_str(x->ex, m, "from_node", g->name);
	sc_ex_set_str(x->ex, m, "from_vrf", "default");
	s = sc_ex_set_seq(x->ex, m, "from_sources");
	if (bgp)
		sc_ex_append(x->ex, s, sc_ex_str(x->ex, loc, "bgp"));
	if (lng)
		sc_ex_append(x->ex, s, sc_ex_str(x->ex, loc, AZ_SRC_LNG));
	sc_ex_set_str(x->ex, m, "source", "bgp");
	sc_ex_set_fmt(x->ex, m, "preference", "%u", AZ_PREF_VPN);
	sc_ex_set_str(x->ex, m, "next_hop_type", "Virtual network gateway");
	sc_ex_set_str(x->ex, m, "via", az_ip(a, g->addr));
	sc_ex_set_str(x->ex, m, "iface", g->name);
	az_gate(x, m, "virtual_network_gateways", g->name);
	ex = sc_ex_set_seq(x->ex, m, "exclude_within");
	for (i = 0; i < v->sp.n; i++)
		sc_ex_append(x->ex, ex, sc_ex_fmt(x->ex, loc, "%s/%u",
		    az_ip(a, v->sp.net[i]), v->sp.plen[i]));
}

/* A name in Azure's terms for node/vrf, for `xcsim routes` (query.h). */
static void
alias(struct az_ex *x, struct sc_loc loc, const char *name, const char *node,
    const char *vrf, const char *what)
{
	int m = az_item(x, "aliases", loc);

	sc_ex_set_str(x->ex, m, "name", name);
	sc_ex_set_str(x->ex, m, "node", node);
	sc_ex_set_str(x->ex, m, "vrf", vrf);
	sc_ex_set_str(x->ex, m, "what", what);
}

/*
 * Is name a node of the expansion (a VNet, VM, gateway)? A NIC of that
 * name, or of an oci node's (oci_node), gets no alias: `xcsim routes
 * --node NAME` means the node (docs/azure.md; its effective routes are its
 * subnet's, `<vnet>.<subnet>`).
 */
static bool
is_node(const struct azure *az, const char *name)
{
	size_t i;

	for (i = 0; i < az->n_vnets; i++)
		if (strcmp(az->vnets[i].name, name) == 0)
			return true;
	for (i = 0; i < az->n_vms; i++)
		if (strcmp(az->vms[i].name, name) == 0)
			return true;
	for (i = 0; i < az->n_gws; i++)
		if (strcmp(az->gws[i].name, name) == 0)
			return true;
	return false;
}

/* Will the oci expansion, which runs next, make a node called name? */
static bool
oci_node(const struct az_ex *x, const char *name)
{
#ifdef AZ_HAVE_OCI
	return oci_node_named(sc_ex_scenario(x->ex), name);
#else
	(void)x;
	(void)name;
	return false;
#endif
}

/* The subnet VRFs' route tables and the delivery VRF _vnet. */
static void
vnet_tables(struct az_ex *x, size_t vi)
{
	const struct azure *az = x->az;
	const struct az_vnet *v = &az->vnets[vi];
	const struct az_gw *g = v->gw_idx ? &az->gws[v->gw_idx - 1] : NULL;
	size_t i, j;
	int m, routes;
	char what[6 * SC_NAME_MAX], name[2 * SC_NAME_MAX + 2];

	for (i = 0; i < v->n_subnets; i++) {
		const struct az_subnet *s = &v->subnets[i];
		const struct az_rt *t = s->rt_idx ? &az->rts[s->rt_idx - 1] :
		    NULL;

		snprintf(name, sizeof(name), "%s.%s", v->name, s->name);
		snprintf(what, sizeof(what), "subnet %s of virtual network "
		    "%s", s->name, v->name);
		alias(x, s->loc, name, v->name, s->name, what);
		m = az_item(x, "route_tables", s->loc);
		sc_ex_set_str(x->ex, m, "node", v->name);
		sc_ex_set_str(x->ex, m, "vrf", s->name);
		routes = sc_ex_set_seq(x->ex, m, "routes");
		system_routes(x, v, routes, s->loc, s->key);
		if (t != NULL)
			user_routes(x, vi, t, routes);
		if (g != NULL && g->ok && (t == NULL || !t->disable_bgp) &&
		    strcmp(s->name, AZ_GATEWAY_SUBNET) != 0)
			gateway_import(x, v, m, t != NULL ? t->loc : s->loc);
		if (v->vpn_gw_idx != 0 && az->gws[v->vpn_gw_idx - 1].ok &&
		    (t == NULL || !t->disable_bgp) &&
		    strcmp(s->name, AZ_GATEWAY_SUBNET) != 0)
			vpn_import(x, v, m, t != NULL ? t->loc : s->loc);
	}
	m = az_item(x, "route_tables", v->loc);
	sc_ex_set_str(x->ex, m, "node", v->name);
	sc_ex_set_str(x->ex, m, "vrf", AZ_VRF_VNET);
	routes = sc_ex_set_seq(x->ex, m, "routes");
	/*
	 * An address of the space no NIC holds: Azure drops the packet
	 * without a word (no ICMP unreachable from the fabric), so each
	 * space is a drop under the NICs' /32s.
	 */
	for (i = 0; i < v->sp.n; i++) {
		m = rt_entry(x, routes, v->sp.loc[i], v->sp.net[i],
		    v->sp.plen[i], "system", PREF_SYSTEM, "Virtual network");
		sc_ex_set_str(x->ex, m, "drop", "true");
		az_gate(x, m, "virtual_networks", v->name);
	}
	for (i = 0; i < az->n_vms; i++)
		for (j = 0; j < az->vms[i].n_nics; j++) {
			const struct az_nic *n = &az->vms[i].nics[j];

			if (n->vnet_idx != vi)
				continue;
			/* a NIC's effective routes are its subnet's */
			snprintf(what, sizeof(what), "NIC %s of VM %s in subnet "
			    "%s", n->name, az->vms[i].name,
			    v->subnets[n->subnet_idx].key);
			if (!is_node(az, n->name) && !oci_node(x, n->name))
				alias(x, n->loc, n->name, v->name,
				    v->subnets[n->subnet_idx].name, what);
			m = rt_entry(x, routes, n->loc, n->addr, 32, "system",
			    PREF_SYSTEM, "Virtual network");
			sc_ex_set_str(x->ex, m, "iface", n->name);
			az_gate(x, m, "network_interfaces", n->name);
		}
	if (g != NULL && g->ok) {
		m = rt_entry(x, routes, g->loc, g->addr, 32, "system",
		    PREF_SYSTEM, "Virtual network");
		sc_ex_set_str(x->ex, m, "iface", g->name);
		az_gate(x, m, "virtual_network_gateways", g->name);
	}
	if (v->vpn_gw_idx != 0 && az->gws[v->vpn_gw_idx - 1].ok) {
		g = &az->gws[v->vpn_gw_idx - 1];
		m = rt_entry(x, routes, g->loc, g->addr, 32, "system",
		    PREF_SYSTEM, "Virtual network");
		sc_ex_set_str(x->ex, m, "iface", g->name);
		az_gate(x, m, "virtual_network_gateways", g->name);
	}
}

static void
vnet_node(struct az_ex *x, size_t vi)
{
	const struct azure *az = x->az;
	const struct az_vnet *v = &az->vnets[vi];
	size_t i, j;
	int m;

	m = az_item(x, "nodes", v->loc);
	sc_ex_set_str(x->ex, m, "name", v->name);
	sc_ex_set_str(x->ex, m, "role", "azure-vnet");
	sc_ex_set_str(x->ex, m, "transparent", "true");
	if (v->location != NULL)
		sc_ex_set_str(x->ex, m, "region", v->location);
	x->vnet_ifaces[vi] = sc_ex_set_seq(x->ex, m, "interfaces");
	for (i = 0; i < az->n_vms; i++)
		for (j = 0; j < az->vms[i].n_nics; j++) {
			const struct az_nic *n = &az->vms[i].nics[j];

			if (n->vnet_idx == vi)
				az_iface(x, x->vnet_ifaces[vi], n->loc, n->name,
				    0, 0, v->subnets[n->subnet_idx].name);
		}
	if (v->gw_idx != 0 && az->gws[v->gw_idx - 1].ok) {
		const struct az_gw *g = &az->gws[v->gw_idx - 1];

		az_iface(x, x->vnet_ifaces[vi], g->loc, g->name, 0, 0,
		    AZ_GATEWAY_SUBNET);
	}
	if (v->vpn_gw_idx != 0 && az->gws[v->vpn_gw_idx - 1].ok)
		az_iface(x, x->vnet_ifaces[vi], az->gws[v->vpn_gw_idx - 1].loc,
		    az->gws[v->vpn_gw_idx - 1].name, 0, 0, AZ_GATEWAY_SUBNET);
	vnet_tables(x, vi);
}

/* --- virtual machines ------------------------------------------------ */

static void
vm_node(struct az_ex *x, const struct az_vm *vm)
{
	const struct azure *az = x->az;
	size_t i;
	bool routed = false;
	int m, ifaces, routes;
	char a[16];

	m = az_item(x, "nodes", vm->loc);
	sc_ex_set_str(x->ex, m, "name", vm->name);
	sc_ex_set_str(x->ex, m, "role", "azure-vm");
	if (vm->location != NULL)
		sc_ex_set_str(x->ex, m, "region", vm->location);
	else if (vm->n_nics > 0 && az->vnets[vm->nics[0].vnet_idx].location !=
	    NULL)
		sc_ex_set_str(x->ex, m, "region",
		    az->vnets[vm->nics[0].vnet_idx].location);
	ifaces = sc_ex_set_seq(x->ex, m, "interfaces");
	for (i = 0; i < vm->n_nics; i++) {
		const struct az_nic *n = &vm->nics[i];
		const struct az_subnet *s =
		    &az->vnets[n->vnet_idx].subnets[n->subnet_idx];

		az_iface(x, ifaces, n->loc, n->name, n->addr, s->plen, NULL);
	}
	/* the primary NIC's default gateway is its subnet's .1 (2.5) */
	routes = sc_ex_set_seq(x->ex, m, "routes");
	for (i = 0; i < vm->n_nics && !routed; i++) {
		const struct az_nic *n = &vm->nics[i];
		const struct az_subnet *s =
		    &az->vnets[n->vnet_idx].subnets[n->subnet_idx];
		int r = az_push(x, routes, n->loc);

		sc_ex_set_str(x->ex, r, "prefix", "0.0.0.0/0");
		sc_ex_set_str(x->ex, r, "via", az_ip(a, s->prefix + 1));
		routed = true;
	}
	for (i = 0; i < vm->n_nics; i++) {
		const struct az_nic *n = &vm->nics[i];

		m = az_link(x, n->loc, vm->name, n->name,
		    az->vnets[n->vnet_idx].name, n->name, vm->x.delay,
		    vm->x.rate_bps);

		/* plugged in while the NIC carries (its VM, subnet, VNet) */
		az_gate(x, m, "network_interfaces", n->name);
	}
}

/* --- expansion --------------------------------------------------------- */

void
az_expand(struct sc_expand *ex, const void *items, size_t n)
{
	const struct azure *az = items;
	struct az_ex x = { .ex = ex, .az = az };
	size_t i;

	if (n != 1 || !az->given)
		return;
	x.vnet_ifaces = calloc(az->n_vnets + 1, sizeof(int));
	x.gw_ifaces = calloc(az->n_gws + 1, sizeof(int));
	x.gw_nbrs = calloc(az->n_gws + 1, sizeof(int));
	if (x.vnet_ifaces == NULL || x.gw_ifaces == NULL || x.gw_nbrs == NULL)
		abort();
	for (i = 0; i < az->n_vnets; i++)
		vnet_node(&x, i);
	az_expand_nsgs(&x);
	for (i = 0; i < az->n_vms; i++)
		vm_node(&x, &az->vms[i]);
	az_expand_er(&x);
	az_expand_vpn(&x);
	free(x.vnet_ifaces);
	free(x.gw_ifaces);
	free(x.gw_nbrs);
}
