/*
 * net.c - the network and its drops, IPv4 forwarding with TTL and ICMP
 * errors (RFC 792, RFC 1812 where it matters), the receive path up to local
 * delivery (net_local.c) and the transmit path down to the link. Nodes,
 * their interfaces and VRFs are net_node.c's; their routes net_route.c's.
 *
 * A received frame is parsed once without checksum verification (a router
 * checks the IPv4 header checksum only); L4 checksums are verified only at
 * the destination. Forwarding rewrites the TTL and the header checksum
 * incrementally (RFC 1624) and replaces the Ethernet header and VLAN tags
 * with the egress interface's.
 */
#include <stdlib.h>
#include <string.h>

#include "net_internal.h"
#include "pkt.h"
#include "sim.h"

#define ETH_MIN_FRAME 60u	/* without FCS, as captured */

static int iface_xmit(struct node *n, uint32_t ifindex, struct pkt *p);

struct frag_out {
	struct node *n;
	uint32_t ifindex;
};

static void
frag_emit(struct pkt *frag, void *ctx)
{
	struct frag_out *fo = ctx;

	(void)iface_xmit(fo->n, fo->ifindex, frag);
}

static int iface_output(struct node *n, uint32_t ifindex, struct pkt *p,
    uint32_t in_ifindex);

struct net *
net_new(struct sim *sim)
{
	struct net *net = xcalloc(1, sizeof(*net));

	net->sim = sim;
	return net;
}

static void
node_destroy(struct node *n)
{
	size_t i;

	for (i = 0; i < n->n_ifaces; i++) {
		if (n->ifaces[i].cap != NULL)
			capture_abort(n->ifaces[i].cap);
		free(n->ifaces[i].name);
	}
	for (i = 0; i < n->n_vrfs; i++) {
		rib_free(n->vrfs[i].rib);
		free(n->vrfs[i].name);
	}
	ipfrag_table_free(n->frags);
	rx_fifo_free(n->net->sim, &n->lo);
	rx_fifo_free(n->net->sim, &n->inj);
	node_local_errors_free(n);
	node_hooks_free(n);
	free(n->ifaces);
	free(n->vrfs);
	node_route_sources_free(n);
	free(n->udp);
	free(n->icmp);
	free(n->pw);
	free(n->proto);
	free(n->name);
	free(n->role);
	free(n->region);
	free(n);
}

void
net_free(struct net *net)
{
	size_t i;

	if (net == NULL)
		return;
	for (i = 0; i < net->n_links; i++)
		link_destroy(net->links[i]);
	for (i = 0; i < net->n_nodes; i++)
		node_destroy(net->nodes[i]);
	free(net->links);
	free(net->drop);
	free(net->nodes);
	name_ix_free(&net->node_ix);
	name_ix_free(&net->link_ix);
	free(net->addr_ix.slot);
	free(net);
}

struct sim *
net_sim(const struct net *net)
{
	return net->sim;
}

void
net_set_trace(struct net *net, struct trace *tr)
{
	net->tr = tr;
}

struct trace *
net_trace(const struct net *net)
{
	return net->tr;
}

/*
 * The IPv4 datagram in frame p: its total length, or the bytes after the
 * Ethernet header and tags if fewer came (a cut frame); with no IPv4 header
 * in it, the frame's whole length.
 */
uint32_t
net_frame_ip_len(const struct pkt *p)
{
	uint32_t off = 12, type, tot, have;

	while (off + 2 <= p->len) {
		type = get_be16(p->data + off);
		if (type == WIRE_ETHERTYPE_VLAN || type == WIRE_ETHERTYPE_QINQ) {
			off += WIRE_VLAN_HLEN;
			continue;
		}
		off += 2;
		if (type != WIRE_ETHERTYPE_IPV4 || off + 4 > p->len ||
		    (p->data[off] >> 4) != 4)
			break;
		tot = get_be16(p->data + off + 2);
		have = pkt_wire_len(p) - off;
		return tot < have ? tot : have;
	}
	return pkt_wire_len(p);
}

/* Squeeze out the listeners removed during a dispatch, keeping the order. */
static void
drop_compact(struct net *net)
{
	size_t i, k = 0;

	for (i = 0; i < net->n_drop; i++)
		if (net->drop[i].fn != NULL)
			net->drop[k++] = net->drop[i];
	net->n_drop = k;
	net->drop_dirty = false;
}

static void
drop_len(struct net *net, struct pkt *p, uint32_t node, uint32_t link,
    uint8_t dir, enum trace_drop reason, uint32_t len, const char *detail)
{
	size_t i;

	size_t n = net->n_drop;

	trace_drop_detail(net->tr, sim_now(net->sim), p->uid, node, link, dir,
	    reason, len, detail);
	/*
	 * A listener may add or remove listeners (itself included): one
	 * added now hears the next drop, one removed is skipped (fn NULL)
	 * and compacted away when the outermost dispatch ends.
	 */
	net->drop_depth++;
	for (i = 0; i < n; i++)
		if (net->drop[i].fn != NULL)
			net->drop[i].fn(p, reason, net->drop[i].ctx);
	if (--net->drop_depth == 0 && net->drop_dirty)
		drop_compact(net);
	pkt_free(net->sim, p);
}

void
net_drop(struct net *net, struct pkt *p, uint32_t node, uint32_t link,
    uint8_t dir, enum trace_drop reason)
{
	drop_len(net, p, node, link, dir, reason, net_frame_ip_len(p), NULL);
}

void
node_drop_len(struct node *n, struct pkt *p, enum trace_drop reason,
    uint32_t len)
{
	n->drops[reason]++;
	drop_len(n->net, p, n->id, TRACE_NO_ID, 0, reason, len, NULL);
}

void
node_drop_filtered(struct node *n, struct pkt *p, const char *rule)
{
	n->drops[DROP_FILTER]++;
	drop_len(n->net, p, n->id, TRACE_NO_ID, 0, DROP_FILTER,
	    net_frame_ip_len(p), rule);
}

void
node_drop_l4(struct node *n, struct pkt *p, const struct wire_frame *f,
    enum trace_drop reason, const char *detail)
{
	SIM_ASSERT(reason > DROP_NONE && reason < DROP_MAX, "bad drop reason");
	n->drops[reason]++;
	drop_len(n->net, p, n->id, TRACE_NO_ID, 0, reason,
	    pkt_wire_len(p) + (uint32_t)f->ip.ihl * 4u, detail);
}

void
net_add_drop_listener(struct net *net, net_drop_fn fn, void *ctx)
{
	net->drop = xrealloc(net->drop, (net->n_drop + 1) * sizeof(*net->drop));
	net->drop[net->n_drop++] = (struct drop_listener){ fn, ctx };
}

void
net_remove_drop_listener(struct net *net, net_drop_fn fn, void *ctx)
{
	size_t i;

	for (i = 0; i < net->n_drop; i++)
		if (net->drop[i].fn == fn && net->drop[i].ctx == ctx) {
			if (net->drop_depth > 0) {
				/* being dispatched: the loop's indices stay */
				net->drop[i].fn = NULL;
				net->drop_dirty = true;
				return;
			}
			memmove(&net->drop[i], &net->drop[i + 1],
			    (net->n_drop - i - 1) * sizeof(*net->drop));
			net->n_drop--;
			return;
		}
}

void
node_drop(struct node *n, struct pkt *p, enum trace_drop reason)
{
	/* at its IPv4 header, padding long gone: all of it is the datagram */
	node_drop_len(n, p, reason, pkt_wire_len(p));
}

void
node_drop_frame(struct node *n, struct pkt *p, enum trace_drop reason)
{
	node_drop_len(n, p, reason, net_frame_ip_len(p));
}

/* --- output --- */

/*
 * The egress interface of an ECMP route: a flow's packets hash alike, so a
 * flow keeps its path. Callers test g->n == 1 first (almost every route),
 * so a one-member group costs one branch and no hash.
 */
static uint32_t
ecmp_pick(const struct node *n, const struct rib_nhg *g, uint32_t src,
    uint32_t dst, uint8_t proto, uint16_t sport, uint16_t dport)
{
	return rib_nh_pick(g, rib_flow_hash(n->id, src, dst, proto, sport,
	    dport))->ifindex;
}

static uint32_t
local_iface(const struct node *n, uint32_t vrf, uint32_t addr)
{
	size_t i;

	for (i = 0; i < n->n_ifaces; i++)
		if (n->ifaces[i].vrf == vrf && n->ifaces[i].plen != 0 &&
		    n->ifaces[i].addr == addr)
			return (uint32_t)i;
	return IFACE_NONE;
}

void
rx_fifo_push(struct sim *sim, struct rx_fifo *q, struct pkt *p,
    sim_event_fn fire, void *arg)
{
	p->next = NULL;
	if (q->tail != NULL) {
		q->tail->next = p;
	} else {
		q->head = p;
		q->ev = sim_schedule(sim, 0, fire, arg);
	}
	q->tail = p;
}

struct pkt *
rx_fifo_take(struct rx_fifo *q)
{
	struct pkt *batch = q->head;

	q->head = q->tail = NULL;
	q->ev = (sim_event_id){ 0, 0 };
	return batch;
}

void
rx_fifo_free(struct sim *sim, struct rx_fifo *q)
{
	struct pkt *p;

	sim_cancel(sim, q->ev);
	while ((p = q->head) != NULL) {
		q->head = p->next;
		pkt_free(sim, p);
	}
	q->tail = NULL;
}

/* Deliver the loopback queue: one event per batch, in FIFO order. */
static void
loopback_fire(struct sim *sim, void *arg)
{
	struct node *n = arg;
	struct pkt *p, *batch = rx_fifo_take(&n->lo);

	/* what this batch loops back (an echo reply) waits for the next */
	(void)sim;
	while ((p = batch) != NULL) {
		batch = p->next;
		p->next = NULL;
		node_local_input(n, p->in_iface, p);
	}
}

int
node_send_ip(struct node *n, uint32_t vrf, struct pkt *p, uint32_t src,
    uint32_t dst, uint8_t proto, uint8_t ttl, uint16_t frag)
{
	const struct rib_nhg *g;
	struct ipv4_hdr ip;
	enum trace_drop why;
	uint32_t lo, out, hash;

	SIM_ASSERT(vrf < n->n_vrfs, "node %s: unknown vrf", n->name);
	lo = local_iface(n, vrf, dst);
	g = lo == IFACE_NONE ? rib_fwd_lookup(n->vrfs[vrf].fwd, dst) : NULL;
	if (lo == IFACE_NONE && g == NULL) {
		/* the datagram it would have been */
		node_drop_len(n, p, DROP_NO_ROUTE,
		    pkt_wire_len(p) + WIRE_IPV4_HLEN);
		return -1;
	}
	memset(&ip, 0, sizeof(ip));
	ip.ihl = 5;
	ip.id = n->ip_id++;
	ip.frag = frag;
	ip.ttl = ttl ? ttl : NET_DEFAULT_TTL;
	ip.proto = proto;
	if (src != 0)
		ip.src = src;
	else if (lo != IFACE_NONE)
		ip.src = n->ifaces[lo].addr;
	else if (g->nh[0].ifindex < RIB_IF_SPECIAL)
		ip.src = n->ifaces[g->nh[0].ifindex].addr;
	else
		ip.src = node_source_for(n, vrf, dst);
	ip.dst = dst;
	wire_push_ipv4(n->net->sim, p, &ip);
	if (lo != IFACE_NONE) {
		/*
		 * To ourselves: never on a wire, but not re-entrantly either
		 * (the sender may not be ready for its own answer yet).
		 */
		struct eth_hdr eth;

		memcpy(eth.src, n->ifaces[lo].mac, 6);
		memcpy(eth.dst, n->ifaces[lo].mac, 6);
		eth.type = WIRE_ETHERTYPE_IPV4;
		wire_push_eth(n->net->sim, p, &eth);
		p->in_iface = lo;
		rx_fifo_push(n->net->sim, &n->lo, p, loopback_fire, n);
		return 0;
	}
	if (g->n == 1 && g->nh[0].ifindex < RIB_IF_SPECIAL)
		return iface_output(n, g->nh[0].ifindex, p, IFACE_NONE);
	{
		/* Ports, where the L4 header has them, make the flow. */
		const uint8_t *l4 = p->data + WIRE_IPV4_HLEN;
		bool ports = (proto == WIRE_IPPROTO_UDP ||
		    proto == WIRE_IPPROTO_TCP) && p->len >= WIRE_IPV4_HLEN + 4;

		hash = rib_flow_hash(n->id, ip.src, dst, proto,
		    ports ? get_be16(l4) : 0, ports ? get_be16(l4 + 2) : 0);
	}
	out = g->n == 1 ? g->nh[0].ifindex : rib_nh_pick(g, hash)->ifindex;
	if (out >= RIB_IF_SPECIAL &&
	    (out = node_special_nh(n, out, dst, hash, &why)) == IFACE_NONE) {
		node_drop(n, p, why);
		return -1;
	}
	return iface_output(n, out, p, IFACE_NONE);
}

uint32_t
node_iface_mtu(const struct node *n, uint32_t ifindex)
{
	const struct iface *ifc = &n->ifaces[ifindex];

	if (ifc->link != NULL)
		return ifc->link->prm.mtu;
	if (ifc->hooks == NULL)
		return 0;
	return ifc->hooks->mtu != 0 ? ifc->hooks->mtu : NODE_IFACE_MTU;
}

/*
 * p holds an IPv4 packet. Check the MTU (fragmenting when DF is clear), add
 * the Ethernet header and the interface's tags, and hand it to the link.
 * in_ifindex is where a forwarded packet came in (for the ICMP need-frag
 * source), IFACE_NONE if local. Returns -1 if the packet was dropped here
 * (so a local sender can tell, as with EMSGSIZE), 0 once it is handed on.
 */
static int
iface_output(struct node *n, uint32_t ifindex, struct pkt *p,
    uint32_t in_ifindex)
{
	struct sim *sim = n->net->sim;
	uint32_t mtu = node_iface_mtu(n, ifindex);

	if (mtu == 0) {
		node_drop(n, p, DROP_LINK_DOWN);
		return -1;
	}
	if (pkt_wire_len(p) > mtu) {
		const struct iface *ifc = &n->ifaces[ifindex];

		/* a tunnel fragmenting after encapsulation takes it whole */
		if (ifc->link == NULL && ifc->hooks != NULL &&
		    ifc->hooks->post_frag && p->len >= WIRE_IPV4_HLEN &&
		    !(p->data[6] & 0x40) && pkt_wire_len(p) <= 65535u)
			return iface_xmit(n, ifindex, p);
		if (p->len >= WIRE_IPV4_HLEN && !(p->data[6] & 0x40) &&
		    mtu >= (uint32_t)(p->data[0] & 0x0f) * 4 + 8) {
			/* DF clear: fragment (RFC 791) */
			struct frag_out fo = { n, ifindex };

			return ipfrag_fragment(sim, p, mtu, frag_emit,
			    &fo) < 0 ? -1 : 0;
		}
		/* DF set, or no room for 8 bytes of payload under the MTU */
		if (in_ifindex != IFACE_NONE && p->len >= WIRE_IPV4_HLEN)
			node_icmp_error(n, in_ifindex, 0, p, WIRE_ICMP_UNREACH,
			    WIRE_ICMP_UNREACH_NEEDFRAG, mtu & 0xffffu);
		else if (in_ifindex == IFACE_NONE)
			/* our own: as Linux's EMSGSIZE with the MTU queued */
			node_local_error(n, ifindex, p, WIRE_ICMP_UNREACH,
			    WIRE_ICMP_UNREACH_NEEDFRAG, mtu & 0xffffu);
		node_drop(n, p, DROP_MTU);
		return -1;
	}
	return iface_xmit(n, ifindex, p);
}

/* Add the Ethernet header, padding and the interface's tags to p. */
static inline void
iface_frame(struct node *n, uint32_t ifindex, struct pkt *p,
    const uint8_t dst_mac[6])
{
	const struct iface *ifc = &n->ifaces[ifindex];
	struct eth_hdr eth;
	struct sim *sim = n->net->sim;

	memcpy(eth.dst, dst_mac, 6);
	memcpy(eth.src, ifc->mac, 6);
	eth.type = WIRE_ETHERTYPE_IPV4;
	wire_push_eth(sim, p, &eth);
	/* Ethernet pads to its 60-byte minimum (before the 4-byte FCS). */
	if (pkt_wire_len(p) < ETH_MIN_FRAME)
		p->virt_len += ETH_MIN_FRAME - pkt_wire_len(p);
	if (ifc->vlan) {
		struct vlan_tag t = { .tpid = WIRE_ETHERTYPE_VLAN, .vid = ifc->vlan };

		wire_push_vlan(sim, p, &t);
	}
	if (ifc->svlan) {
		struct vlan_tag t = { .tpid = WIRE_ETHERTYPE_QINQ, .vid = ifc->svlan };

		wire_push_vlan(sim, p, &t);
	}
}

/* Hand p (an IPv4 packet) to the interface's link, framed. */
static int
iface_xmit(struct node *n, uint32_t ifindex, struct pkt *p)
{
	struct iface *ifc = &n->ifaces[ifindex];
	struct link *l = ifc->link;

	/* No link either: a fragment train may outlive its last hook. */
	if (ifc->hooks != NULL || l == NULL)
		return iface_xmit_hooked(n, ifindex, p);
	iface_frame(n, ifindex, p,
	    l->d[ifc->dir].to->ifaces[l->d[ifc->dir].to_if].mac);
	link_output(l, ifc->dir, p);
	return 0;
}

/* iface_frame for net_hooks.c; the fast path above has it inlined. */
void
node_iface_frame(struct node *n, uint32_t ifindex, struct pkt *p,
    const uint8_t dst_mac[6])
{
	iface_frame(n, ifindex, p, dst_mac);
}

/* --- ICMP --- */

/* Not a unicast host address: 0/8, 127/8, multicast, class E, broadcast. */
static bool
martian(uint32_t a)
{
	return (a >> 24) == 0 || (a >> 24) == 127 || (a >> 28) >= 0xe;
}

/*
 * Send an ICMP error about orig (positioned at its IPv4 header) back to its
 * source, from src (0: the address of the interface it arrived on, as
 * traceroute expects of routers). Never about an ICMP error, a non-first
 * fragment, a packet to a multicast or broadcast address, or from an address
 * that is not a unicast host (RFC 1812 4.3.2.7).
 */
void
node_icmp_error(struct node *n, uint32_t in_if, uint32_t src,
    const struct pkt *orig, uint8_t type, uint8_t code, uint32_t rest)
{
	const uint8_t *ip = orig->data;
	uint32_t ihl, quote, osrc, odst, i;
	const struct iface *in = &n->ifaces[in_if];
	struct icmp_hdr icmp;
	struct pkt *p;

	if (orig->len < WIRE_IPV4_HLEN)
		return;
	ihl = (uint32_t)(ip[0] & 0x0f) * 4;
	osrc = get_be32(ip + 12);
	odst = get_be32(ip + 16);
	if (martian(osrc) || martian(odst) || ((ip[6] & 0x1f) | ip[7]) != 0)
		return;
	/* a directed broadcast of the arrival subnet */
	if (in->plen > 0 && in->plen < 31 &&
	    (odst | mask_of(in->plen)) == 0xffffffffu &&
	    ((odst ^ in->addr) & mask_of(in->plen)) == 0)
		return;
	if (ip[9] == WIRE_IPPROTO_ICMP && orig->len > ihl && ip[ihl] != WIRE_ICMP_ECHO &&
	    ip[ihl] != WIRE_ICMP_ECHO_REPLY)
		return;
	/* The original IP header and the first 8 bytes of its payload. */
	quote = ihl + 8;
	if (quote > pkt_wire_len(orig))
		quote = pkt_wire_len(orig);
	p = pkt_alloc(n->net->sim, quote);
	for (i = 0; i < quote; i++)
		p->data[i] = i < orig->len ? orig->data[i] : 0;
	memset(&icmp, 0, sizeof(icmp));
	icmp.type = type;
	icmp.code = code;
	icmp.rest = rest;
	wire_push_icmp(n->net->sim, p, &icmp);
	node_send_ip(n, in->vrf, p, src ? src : in->addr, osrc, WIRE_IPPROTO_ICMP,
	    NET_DEFAULT_TTL, 0);
}

/* --- input --- */

static bool
is_local(const struct node *n, uint32_t vrf, uint32_t addr)
{
	return local_iface(n, vrf, addr) != IFACE_NONE;
}

static bool
tags_match(const struct iface *ifc, const struct wire_frame *f)
{
	if (ifc->svlan)
		return f->nvlan == 2 && f->vlan[0].tpid == WIRE_ETHERTYPE_QINQ &&
		    f->vlan[0].vid == ifc->svlan &&
		    f->vlan[1].tpid == WIRE_ETHERTYPE_VLAN &&
		    f->vlan[1].vid == ifc->vlan;
	if (ifc->vlan)
		return f->nvlan == 1 && f->vlan[0].tpid == WIRE_ETHERTYPE_VLAN &&
		    f->vlan[0].vid == ifc->vlan;
	return f->nvlan == 0;
}

static inline uint16_t
flow_sport(const struct wire_frame *f)
{
	return f->has_udp ? f->udp.sport : f->has_tcp ? f->tcp.sport : 0;
}

static inline uint16_t
flow_dport(const struct wire_frame *f)
{
	return f->has_udp ? f->udp.dport : f->has_tcp ? f->tcp.dport : 0;
}

/* Decrement the TTL of the IPv4 header at ip, checksum updated (RFC 1624). */
static inline void
ttl_dec(uint8_t *ip)
{
	uint16_t old, new;

	/* TTL is the high byte of the 16-bit word at offset 8. */
	old = get_be16(ip + 8);
	ip[8]--;
	new = get_be16(ip + 8);
	put_be16(ip + 10, wire_csum_update16(get_be16(ip + 10), old, new));
}

/*
 * Forwarding's slow path: out is a special next hop (blackhole, another
 * VRF's table: rib.h), or the node is transparent (its TTL stays).
 */
static void
forward_slow(struct node *n, uint32_t in_if, struct pkt *p,
    const struct wire_frame *f, uint32_t out)
{
	enum trace_drop why;

	if (out >= RIB_IF_SPECIAL && (out = node_special_nh(n, out, f->ip.dst,
	    rib_flow_hash(n->id, f->ip.src, f->ip.dst, f->ip.proto,
	    flow_sport(f), flow_dport(f)), &why)) == IFACE_NONE) {
		/* no route in the table: as without a route at all */
		if (why == DROP_NO_ROUTE)
			node_icmp_error(n, in_if, 0, p, WIRE_ICMP_UNREACH,
			    WIRE_ICMP_UNREACH_NET, 0);
		node_drop(n, p, why);
		return;
	}
	if (!n->transparent)
		ttl_dec(p->data);
	(void)iface_output(n, out, p, in_if);
}

void
node_rx(struct node *n, uint32_t ifindex, struct pkt *p)
{
	struct iface *ifc = &n->ifaces[ifindex];
	struct wire_frame f;
	const struct rib_nhg *g;
	uint8_t *ip;
	uint32_t out;

	if (ifc->cap != NULL)
		capture_write(ifc->cap, sim_now(n->net->sim), p);
	if (ifc->hooks != NULL && ifc->hooks->port != NULL) {
		iface_port_rx(n, ifindex, p);	/* not the node's: outside */
		return;
	}
	p->in_iface = ifindex;
	/* a label stack is for a label-switching router (a port model) */
	if (wire_parse(p->data, p->len, p->virt_len, false, &f) != WIRE_OK ||
	    !f.has_ipv4 || f.nmpls != 0) {
		node_drop_frame(n, p, DROP_MALFORMED);
		return;
	}
	if (!tags_match(ifc, &f)) {
		node_drop_frame(n, p, DROP_VLAN);
		return;
	}
	/* Strip Ethernet padding: the IPv4 total length says where it ends. */
	if (pkt_wire_len(p) > f.l3_off + f.ip.total_len) {
		uint32_t excess = pkt_wire_len(p) - (f.l3_off + f.ip.total_len);
		uint32_t v = excess < p->virt_len ? excess : p->virt_len;

		p->virt_len -= v;
		pkt_trim(p, p->len - (excess - v));
	}
	ip = p->data + f.l3_off;
	if (wire_fold(wire_sum(ip, (size_t)f.ip.ihl * 4, 0)) != 0) {
		node_drop_frame(n, p, DROP_MALFORMED);
		return;
	}
	if (ifc->hooks != NULL && iface_ingress_filtered(n, ifindex, p, &f))
		return;
	if (is_local(n, ifc->vrf, f.ip.dst)) {
		node_local_input(n, ifindex, p);
		return;
	}
	pkt_pull(p, f.l3_off);
	if (!n->forwarding) {
		node_drop(n, p, DROP_NOT_ROUTER);
		return;
	}
	if (f.ip.ttl <= 1 && !n->transparent) {
		node_icmp_error(n, ifindex, 0, p, WIRE_ICMP_TIME_EXCEEDED, 0,
		    0);
		node_drop(n, p, DROP_TTL);
		return;
	}
	g = rib_fwd_lookup(n->vrfs[ifc->vrf].fwd, f.ip.dst);
	if (g == NULL) {
		node_icmp_error(n, ifindex, 0, p, WIRE_ICMP_UNREACH,
		    WIRE_ICMP_UNREACH_NET, 0);
		node_drop(n, p, DROP_NO_ROUTE);
		return;
	}
	out = g->n == 1 ? g->nh[0].ifindex : ecmp_pick(n, g, f.ip.src,
	    f.ip.dst, f.ip.proto, flow_sport(&f), flow_dport(&f));
	/* a special next hop or a transparent node: one compare */
	if (__builtin_expect(out >= n->fwd_slow, 0)) {
		forward_slow(n, ifindex, p, &f, out);
		return;
	}
	ttl_dec(ip);
	(void)iface_output(n, out, p, ifindex);
}

/* --- captures --- */

int
net_capture_iface(struct net *net, struct node *n, uint32_t ifindex,
    const char *path, char *err, size_t errlen)
{
	struct capture *c;

	if (ifindex >= n->n_ifaces || n->ifaces[ifindex].cap != NULL) {
		snprintf(err, errlen, "interface already captured");
		return -1;
	}
	c = capture_open(path, err, errlen);
	if (c == NULL)
		return -1;
	return net_attach_capture(net, n, ifindex, c, err, errlen);
}

int
net_attach_capture(struct net *net, struct node *n, uint32_t ifindex,
    struct capture *c, char *err, size_t errlen)
{
	(void)net;
	if (ifindex >= n->n_ifaces || n->ifaces[ifindex].cap != NULL) {
		snprintf(err, errlen, "interface already captured");
		capture_abort(c);
		return -1;
	}
	n->ifaces[ifindex].cap = c;
	return 0;
}

int
net_close_captures(struct net *net, char *err, size_t errlen)
{
	size_t i, j;
	int rc = 0;

	for (i = 0; i < net->n_nodes; i++)
		for (j = 0; j < net->nodes[i]->n_ifaces; j++) {
			struct iface *ifc = &net->nodes[i]->ifaces[j];

			if (ifc->cap == NULL)
				continue;
			if (rc == 0) {
				if (capture_close(ifc->cap, err, errlen) < 0)
					rc = -1;
			} else {
				capture_abort(ifc->cap);
			}
			ifc->cap = NULL;
		}
	return rc;
}

void
net_abort_captures(struct net *net)
{
	size_t i, j;

	for (i = 0; i < net->n_nodes; i++)
		for (j = 0; j < net->nodes[i]->n_ifaces; j++) {
			struct iface *ifc = &net->nodes[i]->ifaces[j];

			if (ifc->cap != NULL)
				capture_abort(ifc->cap);
			ifc->cap = NULL;
		}
}
