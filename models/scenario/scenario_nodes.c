/*
 * scenario_nodes.c - the nodes section: nodes, their interfaces and static
 * routes; their tables, checks and build.
 *
 * Node and interface names become file names (pcap/NODE/IFACE.pcap), so
 * besides being unique they may not differ only in case: on a
 * case-insensitive file system two such nodes would share a folder.
 */
#include <stdlib.h>
#include <string.h>

#include "net.h"
#include "scenario_load.h"
#include "sim.h"

#define CASE_WHY "their captures would share a file on a case-insensitive " \
	"file system"

const char *const scenario_roles[] = {
	"host", "router", "azure-vm", "azure-er-gateway", "azure-vpn-gateway",
	"msee", "provider-edge", "provider-core", "oci-edge", "oci-drg",
	"oci-instance", "internet", "azure-vnet", "oci-vcn", NULL
};

const char *const scenario_role_docs[] = {
	"a generic end host (does not forward)",
	"a generic IPv4 router",
	"an Azure virtual machine (its NICs sit in VNet subnets; does not forward)",
	"an Azure ExpressRoute virtual network gateway in the GatewaySubnet",
	"an Azure VPN gateway terminating site-to-site IPsec",
	"a Microsoft Enterprise Edge router at the ExpressRoute peering location",
	"a connectivity provider's edge router (PE) facing a cloud",
	"a connectivity provider's core router (P) inside its network",
	"an Oracle edge router at the FastConnect location",
	"an OCI dynamic routing gateway (DRG) attached to a VCN",
	"an OCI compute instance (its VNICs sit in VCN subnets; does not forward)",
	"the public internet, modelled as one router",
	"an Azure virtual network's SDN fabric: one VRF per subnet",
	"an OCI virtual cloud network's SDN fabric: one VRF per subnet",
	NULL
};

bool
scenario_role_is_host(const char *role)
{
	return role != NULL && (strcmp(role, "host") == 0 ||
	    strcmp(role, "azure-vm") == 0 || strcmp(role, "oci-instance") == 0);
}

static const struct sc_field iface_fields[] = {
	[IF_NAME] = { "name", SC_FT_NAME, SC_AT(struct sc_iface, name),
		.required = true, .doc = "interface name, unique within the "
		    "node (also ignoring case)" },
	[IF_ADDRESS] = { "address", SC_FT_IFADDR,
		SC_AT(struct sc_iface, addr), SC_AT2(struct sc_iface, plen),
		.def_doc = "unnumbered",
		.doc = "host address and prefix length 1..32, a.b.c.d/len; not "
		    "the network or broadcast address of a subnet up to /30" },
	[IF_MAC] = { "mac", SC_FT_MAC, SC_AT(struct sc_iface, mac),
		SC_AT2(struct sc_iface, has_mac),
		.def_doc = "02:xx derived from the node and interface index",
		.doc = "Ethernet address, unicast, e.g. 02:00:00:00:00:01" },
	[IF_VLAN] = { "vlan", SC_FT_UINT, SC_AT(struct sc_iface, vlan),
		.min = 1, .max = 4094, .def_doc = "untagged",
		.doc = "802.1Q VLAN ID (C-tag)" },
	[IF_SVLAN] = { "svlan", SC_FT_UINT, SC_AT(struct sc_iface, svlan),
		.min = 1, .max = 4094, .def_doc = "none",
		.doc = "802.1ad outer VLAN ID (S-tag, QinQ); needs vlan" },
	[IF_VRF] = { "vrf", SC_FT_NAME, SC_AT(struct sc_iface, vrf),
		.def_doc = "the default VRF",
		.doc = "VRF (routing table) the interface belongs to" },
};

static const struct sc_table iface_table = {
	"interface", "A network interface of a node.",
	iface_fields, SC_NFIELDS(iface_fields), sizeof(struct sc_iface),
	offsetof(struct sc_iface, loc), offsetof(struct sc_iface, vloc),
	offsetof(struct sc_iface, keys), -1
};

static const struct sc_field route_fields[] = {
	[RT_PREFIX] = { "prefix", SC_FT_PREFIX,
		SC_AT(struct sc_route, prefix), SC_AT2(struct sc_route, plen),
		.required = true,
		.doc = "destination, a.b.c.d/len with the host bits zero" },
	[RT_VIA] = { "via", SC_FT_ADDR, SC_AT(struct sc_route, via),
		.def_doc = "none (directly out iface)",
		.doc = "next hop; must be in a connected subnet of the node "
		    "in the same VRF unless iface is given" },
	[RT_IFACE] = { "iface", SC_FT_NAME, SC_AT(struct sc_route, iface),
		.def_doc = "the interface whose subnet holds via",
		.doc = "egress interface of the node" },
	[RT_VRF] = { "vrf", SC_FT_NAME, SC_AT(struct sc_route, vrf),
		.def_doc = "the default VRF",
		.doc = "VRF whose table gets the route" },
};

static const struct sc_table route_table = {
	"route", "A static route of a node; give via, iface or both.",
	route_fields, SC_NFIELDS(route_fields), sizeof(struct sc_route),
	offsetof(struct sc_route, loc), offsetof(struct sc_route, vloc),
	offsetof(struct sc_route, keys), -1
};

static const struct sc_field node_fields[] = {
	[ND_NAME] = { "name", SC_FT_NAME, SC_AT(struct sc_node, name),
		.required = true,
		.doc = "unique node name (also ignoring case)" },
	[ND_ROLE] = { "role", SC_FT_ENUM, SC_AT(struct sc_node, role),
		.names = scenario_roles, .name_docs = scenario_role_docs,
		.enum_str = true, .required = true,
		.doc = "what the node is; sets its behaviour and its place in "
		    "the visualisation" },
	[ND_REGION] = { "region", SC_FT_STRING, SC_AT(struct sc_node, region),
		.def_doc = "none",
		.doc = "cloud region or location, e.g. eastus, us-ashburn-1" },
	[ND_POS] = { "pos", SC_FT_POS, SC_AT(struct sc_node, pos),
		SC_AT2(struct sc_node, has_pos), .min = 0, .max = 1000,
		.def_doc = "automatic layout",
		.doc = "position [x, y] in the visualisation, in permille of "
		    "the canvas" },
	[ND_IFACES] = { "interfaces", SC_FT_LIST,
		SC_AT(struct sc_node, ifaces), SC_AT2(struct sc_node, n_ifaces),
		.sub = &iface_table, .def_doc = "none",
		.doc = "the node's interfaces" },
	[ND_ROUTES] = { "routes", SC_FT_LIST, SC_AT(struct sc_node, routes),
		SC_AT2(struct sc_node, n_routes), .sub = &route_table,
		.def_doc = "none", .doc = "static routes" },
	[ND_TRANSPARENT] = { "transparent", SC_FT_BOOL,
		SC_AT(struct sc_node, transparent), .def = "false",
		.doc = "forward without decrementing the TTL and never send "
		    "ICMP time exceeded, as an SDN fabric that is no IP hop "
		    "(a traceroute does not list it); needs a role that "
		    "forwards" },
};

static const struct sc_table node_table = {
	"node", "A device: host, router or cloud element.",
	node_fields, SC_NFIELDS(node_fields), sizeof(struct sc_node),
	offsetof(struct sc_node, loc), offsetof(struct sc_node, vloc),
	offsetof(struct sc_node, keys), -1
};

/* --- checks ---------------------------------------------------------- */

static bool
same_vrf(const char *a, const char *b)
{
	return a == NULL ? b == NULL : b != NULL && strcmp(a, b) == 0;
}

static const char *
vrf_text(struct sc_check *ld, const char *vrf)
{
	return vrf == NULL ? "the default VRF" : q(ld, vrf);
}

struct sc_iface *
sc_check_iface(struct sc_check *ld, size_t node_idx, const char *name,
    struct sc_loc loc)
{
	struct sc_node *n = &ld->sc->nodes[node_idx];
	const struct sc_names_ent *e;
	char hint[120];
	size_t i;

	if (name == NULL)
		return NULL;
	if (n->dup || n->name == NULL) {	/* not in the index */
		for (i = 0; i < n->n_ifaces; i++)
			if (n->ifaces[i].name != NULL &&
			    strcmp(n->ifaces[i].name, name) == 0)
				return &n->ifaces[i];
	} else if ((e = names_ent(&ld->ifaces, n->name, name)) != NULL &&
	    strcmp(e->b, name) == 0) {
		return &n->ifaces[e->v];
	}
	ld_error(ld, loc, "node '%s' has no interface '%s'%s", q(ld, n->name),
	    q(ld, name), dym(ld, hint, sizeof(hint), suggest(ld, name,
	    n->ifaces, n->n_ifaces, sizeof(struct sc_iface),
	    offsetof(struct sc_iface, name))));
	return NULL;
}

/* "connected: 10.0.0.0/24, ..." or "it has no subnet there" in buf. */
static void
connected_text(char *buf, size_t len, const struct sc_node *n,
    const char *vrf)
{
	size_t i, off = 0, k = 0;
	char a[20];

	for (i = 0; i < n->n_ifaces && off < len; i++) {
		const struct sc_iface *f = &n->ifaces[i];

		if (f->plen == 0 || f->plen == 32 || !same_vrf(f->vrf, vrf))
			continue;
		if (k++ == 4) {
			off += (size_t)snprintf(buf + off, len - off, ", ...");
			break;
		}
		off += (size_t)snprintf(buf + off, len - off, "%s%s/%u",
		    k == 1 ? "connected: " : ", ",
		    ip_fmt(a, sizeof(a), f->addr & plen_mask(f->plen)),
		    f->plen);
	}
	if (k == 0)
		snprintf(buf, len, "it has no subnet there");
}

static void
check_route(struct sc_check *ld, size_t ni, struct sc_route *rt)
{
	struct sc_node *n = &ld->sc->nodes[ni];
	char a1[20], subnets[160];
	size_t i;

	if (!sc_key_given(rt->keys, RT_VIA) &&
	    !sc_key_given(rt->keys, RT_IFACE)) {
		ld_error(ld, rt->loc, "route to %s/%u needs via, iface or both",
		    ip_fmt(a1, sizeof(a1), rt->prefix), rt->plen);
		return;
	}
	if (sc_key_given(rt->keys, RT_IFACE)) {
		struct sc_iface *ifc = rt->iface == NULL ? NULL :
		    sc_check_iface(ld, ni, rt->iface, rt->vloc[RT_IFACE]);

		if (ifc != NULL && !same_vrf(ifc->vrf, rt->vrf))
			ld_error(ld, rt->vloc[RT_IFACE], "interface '%s' is in "
			    "%s but the route is in %s", ifc->name,
			    vrf_text(ld, ifc->vrf), vrf_text(ld, rt->vrf));
		return;
	}
	if (!sc_key_ok(rt->keys, RT_VIA))
		return;
	for (i = 0; i < n->n_ifaces; i++) {
		const struct sc_iface *ifc = &n->ifaces[i];
		uint32_t m = plen_mask(ifc->plen);

		if (ifc->plen == 0 || !same_vrf(ifc->vrf, rt->vrf))
			continue;
		if (ifc->addr == rt->via) {
			ld_error(ld, rt->vloc[RT_VIA], "via %s is the node's own "
			    "address (interface '%s')",
			    ip_fmt(a1, sizeof(a1), rt->via), ifc->name);
			return;
		}
		if (ifc->plen < 32 && (ifc->addr & m) == (rt->via & m))
			return;
	}
	connected_text(subnets, sizeof(subnets), n, rt->vrf);
	ld_error(ld, rt->vloc[RT_VIA], "via %s is not in a connected subnet of "
	    "node '%s' in %s (%s; or give iface)",
	    ip_fmt(a1, sizeof(a1), rt->via), q(ld, n->name),
	    vrf_text(ld, rt->vrf), subnets);
}

static void
check_ifaces(struct sc_check *ld, struct sc_node *n)
{
	const struct sc_names_ent *e;
	size_t j, k;

	for (j = 0; j < n->n_ifaces; j++) {
		struct sc_iface *f = &n->ifaces[j];

		if (f->svlan != 0 && f->vlan == 0)
			ld_error(ld, f->vloc[IF_SVLAN], "svlan needs vlan: QinQ "
			    "carries an inner 802.1Q tag under the S-tag");
		/*
		 * Interfaces are found by node name, so those of a second
		 * node of the same name are unreachable.
		 */
		if (f->name == NULL || n->name == NULL || n->dup)
			continue;
		if ((e = names_ent(&ld->ifaces, n->name, f->name)) == NULL) {
			names_add(&ld->ifaces, n->name, f->name, j,
			    f->vloc[IF_NAME]);
			continue;
		}
		if (strcmp(e->b, f->name) == 0)
			ld_error(ld, f->vloc[IF_NAME], "duplicate interface "
			    "'%s' on node '%s' (first defined at %u:%u)",
			    f->name, n->name, e->loc.line, e->loc.col);
		else
			ld_error(ld, f->vloc[IF_NAME], "interface '%s' on node "
			    "'%s' differs from interface '%s' (defined at "
			    "%u:%u) only in case (%s)", f->name, n->name, e->b,
			    e->loc.line, e->loc.col, CASE_WHY);
	}
	/* Subnets of one VRF must not overlap. O(n^2) per node. */
	for (j = 0; j < n->n_ifaces; j++) {
		const struct sc_iface *b = &n->ifaces[j];
		char a1[20], a2[20];

		if (b->plen == 0)
			continue;
		for (k = 0; k < j; k++) {
			const struct sc_iface *a = &n->ifaces[k];
			unsigned pl = a->plen < b->plen ? a->plen : b->plen;
			uint32_t m = plen_mask(pl);

			if (a->plen == 0 || !same_vrf(a->vrf, b->vrf) ||
			    (a->addr & m) != (b->addr & m))
				continue;
			if (a->addr == b->addr)
				ld_error(ld, b->vloc[IF_ADDRESS], "duplicate "
				    "address %s/%u (interface '%s' has it too, "
				    "in %s)", ip_fmt(a1, sizeof(a1), b->addr),
				    b->plen, q(ld, a->name),
				    vrf_text(ld, a->vrf));
			else
				ld_error(ld, b->vloc[IF_ADDRESS], "address "
				    "%s/%u overlaps %s/%u of interface '%s' in "
				    "%s", ip_fmt(a1, sizeof(a1), b->addr),
				    b->plen, ip_fmt(a2, sizeof(a2), a->addr),
				    a->plen, q(ld, a->name),
				    vrf_text(ld, a->vrf));
			break;
		}
	}
}

static void
check_nodes(struct sc_check *ld, struct sc_section_data *d)
{
	struct scenario *sc = ld->sc;
	size_t i, j;

	sc->nodes = d->items;
	sc->n_nodes = d->n;
	sc_names_fold(ld, "node", CASE_WHY);
	ld->ifaces.fold = true;
	for (i = 0; i < sc->n_nodes; i++) {
		struct sc_node *n = &sc->nodes[i];

		if (n->name != NULL)
			n->dup = !sc_names_add(ld, "node", n->name, i,
			    n->vloc[ND_NAME]);
	}
	for (i = 0; i < sc->n_nodes; i++) {
		struct sc_node *n = &sc->nodes[i];

		if (n->transparent && n->role != NULL &&
		    scenario_role_is_host(n->role))
			ld_error(ld, n->vloc[ND_TRANSPARENT], "node '%s' is "
			    "transparent but its role '%s' does not forward "
			    "(transparent is for a fabric that forwards)",
			    q(ld, n->name), n->role);
		check_ifaces(ld, &sc->nodes[i]);
		for (j = 0; j < sc->nodes[i].n_routes; j++)
			check_route(ld, i, &sc->nodes[i].routes[j]);
	}
	if (sc->n_nodes == 0 && d->given && !d->bad)
		ld_error(ld, d->loc, "'nodes' is empty: a scenario needs at "
		    "least one node");
}

void
sc_check_captures(struct sc_check *ld)
{
	struct scenario *sc = ld->sc;
	size_t i, ni;

	for (i = 0; i < sc->n_captures; i++) {
		struct sc_capture *c = &sc->captures[i];

		if (c->node == NULL)
			continue;
		if (sc_names_lookup(ld, "node", c->node, c->loc, &ni) &&
		    c->iface != NULL)
			sc_check_iface(ld, ni, c->iface, c->loc);
	}
}

/* --- build ----------------------------------------------------------- */

static int
build_nodes(struct sc_build *b, const void *items, size_t n_nodes)
{
	const struct sc_node *nodes = items;
	const struct scenario *sc = b->sc;
	size_t i, j;

	SIM_ASSERT(net_n_nodes(b->net) == 0, "nodes built into a used net");
	for (i = 0; i < n_nodes; i++) {
		const struct sc_node *sn = &nodes[i];
		struct node *n = net_add_node(b->net, sn->name, sn->role,
		    sn->region, sn->has_pos ? sn->pos : NULL);

		/* End hosts do not forward (RFC 1122 3.3.1); the rest route. */
		node_set_forwarding(n, !scenario_role_is_host(sn->role));
		node_set_transparent(n, sn->transparent);
		for (j = 0; j < sn->n_ifaces; j++) {
			const struct sc_iface *si = &sn->ifaces[j];
			uint32_t idx = node_add_iface(n, si->name,
			    si->has_mac ? si->mac : NULL, si->addr, si->plen,
			    node_vrf(n, si->vrf));

			node_iface_set_vlan(n, idx, si->svlan, si->vlan);
		}
	}
	/* Routes after every interface exists: a route may use any of them. */
	for (i = 0; i < n_nodes; i++) {
		const struct sc_node *sn = &nodes[i];
		struct node *n = sc_build_node(b, i);

		for (j = 0; j < sn->n_routes; j++) {
			const struct sc_route *rt = &sn->routes[j];
			uint32_t ifi = rt->iface ?
			    node_find_iface(n, rt->iface) : IFACE_NONE;
			char why[160];

			if (node_add_route(n, node_vrf(n, rt->vrf), rt->prefix,
			    rt->plen, rt->via, ifi, why, sizeof(why)) < 0) {
				snprintf(b->err, b->errlen, "%s:%u:%u: %s",
				    sc->file, rt->loc.line, rt->loc.col, why);
				return -1;
			}
		}
	}
	return 0;
}

const struct sc_section sc_section_nodes = {
	.name = "nodes", .doc = "the devices", .table = &node_table,
	.list = true, .required = true, .check = check_nodes,
	.phase = SC_PHASE_NET, .build = build_nodes,
};
