/*
 * net_node.c - a network's nodes, their interfaces and VRFs: creating them,
 * finding them by name or address (open-addressing indexes) and the
 * accessors the rest of sim/ and the models use. Their routes are
 * net_route.c's; forwarding and the receive and transmit paths net.c's.
 */
#include <stdlib.h>
#include <string.h>

#include "net_internal.h"
#include "sim.h"

/* FNV-1a: deterministic, and good enough for names. */
static uint32_t
name_hash(const char *s)
{
	uint32_t h = 2166136261u;

	while (*s != '\0')
		h = (h ^ (uint8_t)*s++) * 16777619u;
	return h;
}

/* The slot holding name, or the free slot where it would go. */
static struct name_slot *
name_ix_slot(const struct name_ix *ix, const char *name)
{
	size_t mask = ix->cap - 1;
	size_t i = name_hash(name) & mask;

	while (ix->slot[i].name != NULL && strcmp(ix->slot[i].name, name) != 0)
		i = (i + 1) & mask;
	return &ix->slot[i];
}

void
name_ix_add(struct name_ix *ix, const char *name, uint32_t id)
{
	struct name_slot *s;

	/* at most half full, so probes stay short */
	if (2 * (ix->n + 1) > ix->cap) {
		struct name_ix old = *ix;
		size_t i;

		ix->cap = old.cap ? 2 * old.cap : 64;
		ix->slot = xcalloc(ix->cap, sizeof(*ix->slot));
		for (i = 0; i < old.cap; i++)
			if (old.slot[i].name != NULL)
				*name_ix_slot(ix, old.slot[i].name) =
				    old.slot[i];
		free(old.slot);
	}
	s = name_ix_slot(ix, name);
	SIM_ASSERT(s->name == NULL, "duplicate name %s", name);
	*s = (struct name_slot){ name, id };
	ix->n++;
}

bool
name_ix_find(const struct name_ix *ix, const char *name, uint32_t *id)
{
	const struct name_slot *s;

	if (ix->cap == 0)
		return false;
	s = name_ix_slot(ix, name);
	if (s->name == NULL)
		return false;
	*id = s->id;
	return true;
}

void
name_ix_free(struct name_ix *ix)
{
	free(ix->slot);
	memset(ix, 0, sizeof(*ix));
}

struct node *
net_add_node(struct net *net, const char *name, const char *role,
    const char *region, const int32_t pos[2])
{
	struct node *n;
	int32_t auto_pos[2] = { TRACE_POS_AUTO, TRACE_POS_AUTO };

	SIM_ASSERT(net_find_node(net, name) == NULL, "duplicate node %s", name);
	n = xcalloc(1, sizeof(*n));
	n->net = net;
	n->id = (uint32_t)net->n_nodes;
	n->name = xstrdup(name);
	n->role = xstrdup(role ? role : "host");
	n->region = xstrdup(region ? region : "");
	n->forwarding = true;
	n->fwd_slow = RIB_IF_SPECIAL;
	name_ix_add(&net->node_ix, n->name, n->id);
	if (net->n_nodes == net->cap_nodes) {
		net->cap_nodes = net->cap_nodes ? net->cap_nodes * 2 : 16;
		net->nodes = xrealloc(net->nodes,
		    net->cap_nodes * sizeof(*net->nodes));
	}
	net->nodes[net->n_nodes++] = n;
	node_vrf(n, NULL);
	trace_node(net->tr, n->id, n->name, n->role, n->region,
	    pos ? pos : auto_pos);
	return n;
}

size_t
net_n_nodes(const struct net *net)
{
	return net->n_nodes;
}

struct node *
net_node(const struct net *net, uint32_t id)
{
	return id < net->n_nodes ? net->nodes[id] : NULL;
}

struct node *
net_find_node(const struct net *net, const char *name)
{
	uint32_t id;

	return name_ix_find(&net->node_ix, name, &id) ? net->nodes[id] : NULL;
}

/* The slot holding addr, or the free slot where it would go. */
static struct addr_slot *
addr_ix_slot(const struct addr_ix *ix, uint32_t addr)
{
	size_t mask = ix->cap - 1;
	size_t i = (addr * 2654435761u) & mask;	/* Knuth's multiplicative hash */

	while (ix->slot[i].node != UINT32_MAX && ix->slot[i].addr != addr)
		i = (i + 1) & mask;
	return &ix->slot[i];
}

static void
addr_ix_grow(struct addr_ix *ix)
{
	struct addr_ix old = *ix;
	size_t i;

	ix->cap = old.cap ? 2 * old.cap : 64;
	ix->slot = xmalloc(ix->cap * sizeof(*ix->slot));
	for (i = 0; i < ix->cap; i++)
		ix->slot[i].node = UINT32_MAX;
	for (i = 0; i < old.cap; i++)
		if (old.slot[i].node != UINT32_MAX)
			*addr_ix_slot(ix, old.slot[i].addr) = old.slot[i];
	free(old.slot);
}

/*
 * An address may be numbered on several nodes (separate VRFs, overlapping
 * clouds): the lowest node id owns it, as a scan in node order would find.
 */
static void
addr_ix_add(struct addr_ix *ix, uint32_t addr, uint32_t node)
{
	struct addr_slot *s;

	if (2 * (ix->n + 1) > ix->cap)
		addr_ix_grow(ix);
	s = addr_ix_slot(ix, addr);
	if (s->node == UINT32_MAX) {
		*s = (struct addr_slot){ addr, node };
		ix->n++;
	} else if (node < s->node)
		s->node = node;
}

struct node *
net_node_by_addr(const struct net *net, uint32_t addr)
{
	const struct addr_slot *s;

	if (net->addr_ix.cap == 0)
		return NULL;
	s = addr_ix_slot(&net->addr_ix, addr);
	return s->node == UINT32_MAX ? NULL : net->nodes[s->node];
}

void
node_set_forwarding(struct node *n, bool on)
{
	n->forwarding = on;
}

bool
node_forwarding(const struct node *n)
{
	return n->forwarding;
}

void
node_set_transparent(struct node *n, bool on)
{
	n->transparent = on;
	n->fwd_slow = on ? 0 : RIB_IF_SPECIAL;
}

const uint64_t *
node_drops(const struct node *n)
{
	return n->drops;
}

uint32_t
node_id(const struct node *n)
{
	return n->id;
}

const char *
node_name(const struct node *n)
{
	return n->name;
}

struct net *
node_net(const struct node *n)
{
	return n->net;
}

uint32_t
node_vrf(struct node *n, const char *name)
{
	uint32_t v = node_find_vrf(n, name);

	if (v != UINT32_MAX)
		return v;
	if (name == NULL)
		name = "default";
	n->vrfs = xrealloc(n->vrfs, (n->n_vrfs + 1) * sizeof(*n->vrfs));
	memset(&n->vrfs[n->n_vrfs], 0, sizeof(n->vrfs[0]));
	n->vrfs[n->n_vrfs].name = xstrdup(name);
	n->vrfs[n->n_vrfs].rib = rib_new(name);
	n->vrfs[n->n_vrfs].fwd = rib_fwd(n->vrfs[n->n_vrfs].rib);
	rib_add_listener(n->vrfs[n->n_vrfs].rib, node_route_changed, n);
	node_route_sources_apply(n, (uint32_t)n->n_vrfs);
	return (uint32_t)n->n_vrfs++;
}

uint32_t
node_find_vrf(const struct node *n, const char *name)
{
	size_t i;

	if (name == NULL)
		name = "default";
	for (i = 0; i < n->n_vrfs; i++)
		if (strcmp(n->vrfs[i].name, name) == 0)
			return (uint32_t)i;
	return UINT32_MAX;
}

size_t
node_n_vrfs(const struct node *n)
{
	return n->n_vrfs;
}

const char *
node_vrf_name(const struct node *n, uint32_t vrf)
{
	return vrf < n->n_vrfs ? n->vrfs[vrf].name : NULL;
}

uint8_t
node_iface_plen(const struct node *n, uint32_t ifindex)
{
	return ifindex < n->n_ifaces ? n->ifaces[ifindex].plen : 0;
}

uint32_t
node_iface_vrf(const struct node *n, uint32_t ifindex)
{
	return ifindex < n->n_ifaces ? n->ifaces[ifindex].vrf : UINT32_MAX;
}

uint32_t
node_add_iface(struct node *n, const char *name, const uint8_t *mac,
    uint32_t addr, uint8_t plen, uint32_t vrf)
{
	struct iface *ifc;
	uint32_t idx = (uint32_t)n->n_ifaces;

	SIM_ASSERT(vrf < n->n_vrfs, "node %s: unknown vrf %u", n->name, vrf);
	SIM_ASSERT(plen <= 32, "bad prefix length");
	n->ifaces = xrealloc(n->ifaces, (n->n_ifaces + 1) * sizeof(*ifc));
	ifc = &n->ifaces[n->n_ifaces++];
	memset(ifc, 0, sizeof(*ifc));
	ifc->name = xstrdup(name);
	if (mac != NULL) {
		memcpy(ifc->mac, mac, 6);
	} else {
		/* Locally administered, readable: 02:58:<node>:<iface>. */
		ifc->mac[0] = 0x02;
		ifc->mac[1] = 0x58;
		ifc->mac[2] = (uint8_t)(n->id >> 8);
		ifc->mac[3] = (uint8_t)n->id;
		ifc->mac[4] = (uint8_t)(idx >> 8);
		ifc->mac[5] = (uint8_t)idx;
	}
	ifc->addr = addr;
	ifc->plen = plen;
	ifc->vrf = vrf;
	if (plen > 0) {
		node_route_install(n, vrf, addr & mask_of(plen), plen,
		    RIB_SRC_CONNECTED, 0, idx);
		addr_ix_add(&n->net->addr_ix, addr, n->id);
	}
	trace_iface(n->net->tr, n->id, idx, name, ifc->mac, addr, plen);
	return idx;
}

void
node_iface_set_vlan(struct node *n, uint32_t ifindex, uint16_t svlan,
    uint16_t vlan)
{
	struct iface *ifc;

	SIM_ASSERT(ifindex < n->n_ifaces, "bad iface");
	ifc = &n->ifaces[ifindex];
	ifc->svlan = svlan;
	ifc->vlan = vlan;
	/* tags make its frames longer: its link's bucket must still hold one */
	SIM_ASSERT(ifc->link == NULL || qdisc_max_frame(
	    ifc->link->d[ifc->dir].q) >= iface_max_frame(ifc,
	    ifc->link->prm.mtu), "node %s: VLAN tags make frames longer than "
	    "the burst of link %s", n->name, ifc->link->name);
}

uint32_t
node_find_iface(const struct node *n, const char *name)
{
	size_t i;

	for (i = 0; i < n->n_ifaces; i++)
		if (strcmp(n->ifaces[i].name, name) == 0)
			return (uint32_t)i;
	return IFACE_NONE;
}

size_t
node_n_ifaces(const struct node *n)
{
	return n->n_ifaces;
}

const char *
node_iface_name(const struct node *n, uint32_t ifindex)
{
	return ifindex < n->n_ifaces ? n->ifaces[ifindex].name : NULL;
}

uint32_t
node_iface_addr(const struct node *n, uint32_t ifindex)
{
	return ifindex < n->n_ifaces ? n->ifaces[ifindex].addr : 0;
}

struct link *
node_iface_link(const struct node *n, uint32_t ifindex, uint8_t *dir)
{
	if (ifindex >= n->n_ifaces)
		return NULL;
	if (dir != NULL)
		*dir = n->ifaces[ifindex].dir;
	return n->ifaces[ifindex].link;
}

void
node_iface_mac(const struct node *n, uint32_t ifindex, uint8_t mac[6])
{
	SIM_ASSERT(ifindex < n->n_ifaces, "node %s: bad iface %u", n->name,
	    ifindex);
	memcpy(mac, n->ifaces[ifindex].mac, 6);
}
