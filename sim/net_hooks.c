/*
 * net_hooks.c - what an interface may have beyond its link: ingress and
 * egress filters with a verdict and a reason, the frame-out hook, the peer
 * MAC of an interface without a link, and frames injected from outside.
 *
 * An interface gets its struct iface_hooks when the first of these is set
 * and loses it when the last is removed; without one the packet path tests
 * one NULL pointer per direction and never comes here.
 */
#include <stdlib.h>
#include <string.h>

#include "net_internal.h"
#include "pkt.h"
#include "sim.h"
#include "trace.h"
#include "wire.h"

static struct iface_hooks *
hooks_of(struct node *n, uint32_t ifindex)
{
	struct iface *ifc;

	SIM_ASSERT(ifindex < n->n_ifaces, "node %s: bad iface %u", n->name,
	    ifindex);
	ifc = &n->ifaces[ifindex];
	if (ifc->hooks == NULL) {
		ifc->hooks = xcalloc(1, sizeof(*ifc->hooks));
		memset(ifc->hooks->peer_mac, 0xff, 6);
	}
	return ifc->hooks;
}

static void
hooks_free(struct iface *ifc)
{
	if (ifc->hooks == NULL)
		return;
	free(ifc->hooks->filt[NODE_INGRESS]);
	free(ifc->hooks->filt[NODE_EGRESS]);
	free(ifc->hooks);
	ifc->hooks = NULL;
}

/* Give the interface back its fast path once it has no hook left. */
static void
hooks_release(struct node *n, uint32_t ifindex)
{
	static const uint8_t bcast[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };
	const struct iface_hooks *h = n->ifaces[ifindex].hooks;

	/* a filter walk under way still reads it: filters_pass comes back */
	if (h->depth == 0 && h->n_filt[NODE_INGRESS] == 0 && h->n_filt[NODE_EGRESS] == 0 &&
	    h->out == NULL && h->port == NULL && h->mtu == 0 &&
	    memcmp(h->peer_mac, bcast, 6) == 0)
		hooks_free(&n->ifaces[ifindex]);
}

void
node_hooks_free(struct node *n)
{
	size_t i;

	for (i = 0; i < n->n_ifaces; i++)
		hooks_free(&n->ifaces[i]);
}

/* --- filters --- */

void
node_iface_add_filter(struct node *n, uint32_t ifindex,
    enum node_hook_dir dir, node_filter_fn fn, void *ctx)
{
	struct iface_hooks *h = hooks_of(n, ifindex);

	SIM_ASSERT(dir == NODE_INGRESS || dir == NODE_EGRESS, "bad direction");
	h->filt[dir] = xrealloc(h->filt[dir],
	    (h->n_filt[dir] + 1) * sizeof(*h->filt[dir]));
	h->filt[dir][h->n_filt[dir]++] = (struct iface_filter){ fn, ctx };
}

void
node_iface_remove_filter(struct node *n, uint32_t ifindex,
    enum node_hook_dir dir, node_filter_fn fn, void *ctx)
{
	struct iface_hooks *h;
	size_t i;

	if (ifindex >= n->n_ifaces || (dir != NODE_INGRESS &&
	    dir != NODE_EGRESS) || (h = n->ifaces[ifindex].hooks) == NULL)
		return;
	for (i = 0; i < h->n_filt[dir]; i++)
		if (h->filt[dir][i].fn == fn && h->filt[dir][i].ctx == ctx) {
			if (h->depth > 0) {
				/* being walked: the walk's indices stay */
				h->filt[dir][i].fn = NULL;
				h->dirty = true;
				return;
			}
			/* the order is the policy: keep it */
			memmove(&h->filt[dir][i], &h->filt[dir][i + 1],
			    (h->n_filt[dir] - i - 1) * sizeof(*h->filt[dir]));
			h->n_filt[dir]--;
			hooks_release(n, ifindex);
			return;
		}
}

/* Squeeze out the filters removed during a walk, keeping the order. */
static void
filters_compact(struct iface_hooks *h)
{
	size_t i, k, d;

	for (d = 0; d < 2; d++) {
		for (i = k = 0; i < h->n_filt[d]; i++)
			if (h->filt[d][i].fn != NULL)
				h->filt[d][k++] = h->filt[d][i];
		h->n_filt[d] = k;
	}
	h->dirty = false;
}

/*
 * Run the filters of one direction over frame p, parsed in f. Returns
 * false, having freed p and recorded the drop, if one of them dropped it.
 * A filter may add or remove hooks of the interface (itself included): one
 * added now sees the next frame, one removed is skipped (fn NULL), and the
 * list is compacted, and the hooks released if none is left, when the
 * outermost walk ends: n->ifaces[ifindex].hooks may be NULL after this.
 */
static bool
filters_pass(struct node *n, uint32_t ifindex, enum node_hook_dir dir,
    struct pkt *p, const struct wire_frame *f)
{
	struct iface_hooks *h = n->ifaces[ifindex].hooks;
	size_t i, len = h->n_filt[dir];
	const char *reason = NULL;
	bool pass = true;

	h->depth++;
	for (i = 0; i < len && pass; i++)
		if (h->filt[dir][i].fn != NULL)
			pass = h->filt[dir][i].fn(n, ifindex, dir, p, f,
			    &reason, h->filt[dir][i].ctx) == NODE_ACCEPT;
	if (--h->depth == 0) {
		if (h->dirty)
			filters_compact(h);
		hooks_release(n, ifindex);
	}
	if (!pass)
		node_drop_filtered(n, p, reason);
	return pass;
}

bool
iface_ingress_filtered(struct node *n, uint32_t ifindex, struct pkt *p,
    const struct wire_frame *f)
{
	return n->ifaces[ifindex].hooks->n_filt[NODE_INGRESS] > 0 &&
	    !filters_pass(n, ifindex, NODE_INGRESS, p, f);
}

/* --- the way out --- */

void
node_iface_set_frame_out(struct node *n, uint32_t ifindex,
    node_frame_out_fn fn, void *ctx)
{
	struct iface_hooks *h = hooks_of(n, ifindex);

	h->out = fn;
	h->out_ctx = ctx;
	hooks_release(n, ifindex);
}

void
node_iface_set_peer_mac(struct node *n, uint32_t ifindex,
    const uint8_t mac[6])
{
	memcpy(hooks_of(n, ifindex)->peer_mac, mac, 6);
	hooks_release(n, ifindex);	/* broadcast again: nothing hooked */
}

void
node_iface_set_mtu(struct node *n, uint32_t ifindex, uint32_t mtu,
    bool post_frag)
{
	struct iface_hooks *h = hooks_of(n, ifindex);

	h->mtu = mtu;
	h->post_frag = mtu != 0 && post_frag;
	hooks_release(n, ifindex);
}

/* iface_xmit for an interface with hooks: filters, hook, then the link. */
int
iface_xmit_hooked(struct node *n, uint32_t ifindex, struct pkt *p)
{
	struct iface *ifc = &n->ifaces[ifindex];
	const struct iface_hooks *h = ifc->hooks;
	struct link *l = ifc->link;
	struct sim *sim = n->net->sim;
	static const uint8_t broadcast[6] = { 0xff, 0xff, 0xff, 0xff, 0xff,
	    0xff };

	/* h is NULL for an interface with neither a link nor hooks left */
	node_iface_frame(n, ifindex, p, l != NULL ?
	    l->d[ifc->dir].to->ifaces[l->d[ifc->dir].to_if].mac :
	    h != NULL ? h->peer_mac : broadcast);
	if (h != NULL && h->n_filt[NODE_EGRESS] > 0) {
		struct wire_frame f;

		/*
		 * The node framed it, but the transport layer is the
		 * sender's (a UDP length that disagrees, a short TCP
		 * header): the filters cannot judge what does not parse, so
		 * it goes no further, as a peer would drop it.
		 */
		if (wire_parse(p->data, p->len, p->virt_len, false, &f) !=
		    WIRE_OK) {
			node_drop_frame(n, p, DROP_MALFORMED);
			return -1;
		}
		if (!filters_pass(n, ifindex, NODE_EGRESS, p, &f))
			return -1;
		h = ifc->hooks;	/* the filters may have removed the last hook */
	}
	if (h != NULL && h->out != NULL && h->out(n, ifindex, p, h->out_ctx)) {
		if (ifc->cap != NULL)
			capture_write(ifc->cap, sim_now(sim), p);
		pkt_free(sim, p);
		return 0;
	}
	if (l == NULL) {
		node_drop_frame(n, p, DROP_LINK_DOWN);
		return -1;
	}
	link_output(l, ifc->dir, p);
	return 0;
}

/* --- the way in --- */

static void
inject_fire(struct sim *sim, void *arg)
{
	struct node *n = arg;
	struct pkt *p, *batch = rx_fifo_take(&n->inj);

	(void)sim;
	while ((p = batch) != NULL) {
		batch = p->next;
		p->next = NULL;
		node_rx(n, p->in_iface, p);
	}
}

int
node_iface_inject(struct node *n, uint32_t ifindex, const uint8_t *frame,
    size_t len)
{
	struct pkt *p;

	if (ifindex >= n->n_ifaces || len < WIRE_ETH_HLEN ||
	    len > NODE_FRAME_MAX)
		return -1;
	p = pkt_alloc(n->net->sim, (uint32_t)len);
	memcpy(p->data, frame, len);
	p->in_iface = ifindex;
	rx_fifo_push(n->net->sim, &n->inj, p, inject_fire, n);
	return 0;
}

/* --- ports: the far end of the link is outside --- */

void
node_iface_set_port(struct node *n, uint32_t ifindex, node_port_rx_fn fn,
    void *ctx)
{
	struct iface_hooks *h = hooks_of(n, ifindex);

	h->port = fn;
	h->port_ctx = ctx;
	hooks_release(n, ifindex);
}

bool
node_iface_has_port(const struct node *n, uint32_t ifindex)
{
	const struct iface_hooks *h;

	return ifindex < n->n_ifaces && (h = n->ifaces[ifindex].hooks) !=
	    NULL && h->port != NULL;
}

void
iface_port_rx(struct node *n, uint32_t ifindex, struct pkt *p)
{
	const struct iface_hooks *h = n->ifaces[ifindex].hooks;

	h->port(n, ifindex, p, h->port_ctx);
	pkt_free(n->net->sim, p);
}

int
node_iface_port_send(struct node *n, uint32_t ifindex, const uint8_t *frame,
    size_t len)
{
	struct iface *ifc;
	struct pkt *p;

	/*
	 * No longer than the interface's own frames (its tags only): the
	 * loader sizes a shaper's burst to that, and a longer frame would
	 * never fit in it.
	 */
	if (ifindex >= n->n_ifaces || (ifc = &n->ifaces[ifindex])->link ==
	    NULL || len < WIRE_ETH_HLEN || len > iface_max_frame(ifc,
	    ifc->link->prm.mtu))
		return -1;
	p = pkt_alloc(n->net->sim, (uint32_t)len);
	memcpy(p->data, frame, len);
	if (len < 60)	/* Ethernet's minimum, without FCS */
		p->virt_len = 60 - (uint32_t)len;
	link_output(ifc->link, ifc->dir, p);
	return 0;
}

/* ---- control-plane frames kept whole in the trace ---- */

int
net_trace_keep_whole(struct net *net, uint8_t ipproto, uint16_t port)
{
	unsigned i;

	for (i = 0; i < net->n_keep; i++)
		if (net->keep[i].proto == ipproto && net->keep[i].port == port)
			return 0;
	if (net->n_keep == NET_KEEP_MAX)
		return -1;
	net->keep[net->n_keep].proto = ipproto;
	net->keep[net->n_keep].port = port;
	net->n_keep++;
	return 0;
}

/* Whether frame p is IPv4 of a registered (protocol, port), either way. */
static bool
keeps(const struct net *net, const struct pkt *p)
{
	uint32_t off = 12, type, ihl;
	uint16_t sport, dport;
	uint8_t proto;
	unsigned i;

	while (off + 2 <= p->len) {
		type = get_be16(p->data + off);
		if (type != WIRE_ETHERTYPE_VLAN && type != WIRE_ETHERTYPE_QINQ)
			break;
		off += WIRE_VLAN_HLEN;
	}
	off += 2;
	if (off + 20 > p->len || get_be16(p->data + off - 2) !=
	    WIRE_ETHERTYPE_IPV4 || (p->data[off] >> 4) != 4)
		return false;
	/* a later fragment has no ports: the first one is kept */
	if ((get_be16(p->data + off + 6) & 0x1fff) != 0)
		return false;
	proto = p->data[off + 9];
	ihl = (p->data[off] & 0x0fu) * 4u;
	if (ihl < 20 || off + ihl + 4 > p->len)
		return false;
	sport = get_be16(p->data + off + ihl);
	dport = get_be16(p->data + off + ihl + 2);
	for (i = 0; i < net->n_keep; i++)
		if (net->keep[i].proto == proto && (net->keep[i].port ==
		    sport || net->keep[i].port == dport))
			return true;
	return false;
}

void
net_trace_whole(struct net *net, sim_time t, const struct pkt *p,
    uint32_t link, uint8_t dir)
{
	/* a frame that fits its pkt_tx's header bytes is whole there */
	if (net->tr != NULL && p->len > TRACE_HDR_MAX && keeps(net, p))
		trace_tx_data(net->tr, t, p->uid, link, dir, p->data,
		    (uint32_t)p->len);
}
