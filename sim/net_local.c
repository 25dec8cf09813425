/*
 * net_local.c - local delivery: reassembly, the node's own ICMP (echo
 * replies, listeners), UDP bindings per (VRF, port), the handlers of other
 * IP protocols, and ICMP errors routed to the protocol whose packet they
 * quote (RFC 1122 3.2.2.1, 4.1.3.3, 4.2.3.9: the transport acts on them).
 */
#include <stdlib.h>
#include <string.h>

#include "net_internal.h"
#include "pkt.h"
#include "sim.h"

/* --- registration --- */

static struct ip_handler *
find_handler(const struct node *n, uint8_t proto)
{
	size_t i;

	for (i = 0; i < n->n_proto; i++)
		if (n->proto[i].proto == proto)
			return &n->proto[i];
	return NULL;
}

int
node_set_ip_handler(struct node *n, uint8_t proto, node_ip_fn fn,
    node_ip_err_fn err, void *ctx)
{
	struct ip_handler *h = find_handler(n, proto);

	if (proto == WIRE_IPPROTO_ICMP || proto == WIRE_IPPROTO_UDP)
		return -1;
	if (fn == NULL) {
		if (h != NULL)
			*h = n->proto[--n->n_proto];
		return 0;
	}
	if (h != NULL)
		return -1;
	n->proto = xrealloc(n->proto, (n->n_proto + 1) * sizeof(*n->proto));
	n->proto[n->n_proto++] = (struct ip_handler){ proto, fn, err, ctx };
	return 0;
}

void *
node_ip_handler_ctx(const struct node *n, uint8_t proto, node_ip_fn fn)
{
	size_t i;

	for (i = 0; i < n->n_proto; i++)
		if (n->proto[i].proto == proto && n->proto[i].fn == fn)
			return n->proto[i].ctx;
	return NULL;
}

static struct udp_bind *
find_bind(const struct node *n, uint32_t vrf, uint16_t port)
{
	size_t i;

	for (i = 0; i < n->n_udp; i++)
		if (n->udp[i].port == port && n->udp[i].vrf == vrf)
			return &n->udp[i];
	return NULL;
}

int
node_bind_udp(struct node *n, uint32_t vrf, uint16_t port, node_udp_fn fn,
    node_ip_err_fn err, void *ctx)
{
	SIM_ASSERT(vrf < n->n_vrfs, "node %s: unknown vrf %u", n->name, vrf);
	if (find_bind(n, vrf, port) != NULL)
		return -1;
	n->udp = xrealloc(n->udp, (n->n_udp + 1) * sizeof(*n->udp));
	n->udp[n->n_udp++] = (struct udp_bind){ vrf, port, fn, err, ctx };
	return 0;
}

void
node_unbind_udp(struct node *n, uint32_t vrf, uint16_t port)
{
	struct udp_bind *b = find_bind(n, vrf, port);

	if (b != NULL)
		*b = n->udp[--n->n_udp];
}

void
node_add_icmp_listener(struct node *n, node_icmp_fn fn, void *ctx)
{
	n->icmp = xrealloc(n->icmp, (n->n_icmp + 1) * sizeof(*n->icmp));
	n->icmp[n->n_icmp++] = (struct icmp_listener){ fn, ctx };
}

void
node_remove_icmp_listener(struct node *n, node_icmp_fn fn, void *ctx)
{
	size_t i;

	for (i = 0; i < n->n_icmp; i++)
		if (n->icmp[i].fn == fn && n->icmp[i].ctx == ctx) {
			if (n->icmp_depth > 0) {
				/* being offered: the loop's indices stay */
				n->icmp[i].fn = NULL;
				n->icmp_dirty = true;
				return;
			}
			/* keep the order: listeners are offered in turn */
			memmove(&n->icmp[i], &n->icmp[i + 1],
			    (n->n_icmp - i - 1) * sizeof(*n->icmp));
			n->n_icmp--;
			return;
		}
}

/* --- ICMP --- */

/*
 * Fill e from the quote of an ICMP error (q: the quoted IPv4 header and what
 * follows it, len bytes). False if it cannot name a connection or binding.
 */
static bool
quote_parse(const uint8_t *q, uint32_t len, struct node_icmp_err *e)
{
	uint32_t ihl;

	if (len < WIRE_IPV4_HLEN || (q[0] >> 4) != 4)
		return false;
	ihl = (uint32_t)(q[0] & 0x0f) * 4;
	/* RFC 792: the header and 8 bytes; a later fragment has no ports */
	if (ihl < WIRE_IPV4_HLEN || len < ihl + 8 ||
	    (get_be16(q + 6) & 0x1fff) != 0)
		return false;
	e->ip.ihl = (uint8_t)(ihl / 4);
	e->ip.tos = q[1];
	e->ip.total_len = get_be16(q + 2);
	e->ip.id = get_be16(q + 4);
	e->ip.frag = get_be16(q + 6);
	e->ip.ttl = q[8];
	e->ip.proto = q[9];
	e->ip.csum = get_be16(q + 10);
	e->ip.src = get_be32(q + 12);
	e->ip.dst = get_be32(q + 16);
	e->l4 = q + ihl;
	e->l4_len = len - ihl;
	return true;
}

/* Hand e to the transport that sent the quoted packet; true if one took it. */
static bool
icmp_error_deliver(struct node *n, const struct node_icmp_err *e)
{
	const struct ip_handler *h;

	if (e->ip.proto == WIRE_IPPROTO_UDP) {
		/* our datagram: its source port is the binding */
		const struct udp_bind *b = find_bind(n, e->vrf,
		    get_be16(e->l4));

		if (b == NULL || b->err == NULL)
			return false;
		b->err(n, e, b->ctx);
		return true;
	}
	h = find_handler(n, e->ip.proto);
	if (h == NULL || h->err == NULL)
		return false;
	h->err(n, e, h->ctx);
	return true;
}

/* Whether addr is one of n's interface addresses in vrf. */
static bool
own_addr(const struct node *n, uint32_t vrf, uint32_t addr)
{
	size_t i;

	for (i = 0; i < n->n_ifaces; i++)
		if (n->ifaces[i].vrf == vrf && n->ifaces[i].addr == addr &&
		    addr != 0)
			return true;
	return false;
}

/*
 * An error nobody listening consumed: hand it to the transport that sent
 * the quoted packet. p->data is at the quote. Returns true if one took it.
 */
static bool
icmp_error_dispatch(struct node *n, uint32_t in_if, const struct pkt *p,
    const struct wire_frame *f)
{
	struct node_icmp_err e;

	if (f->icmp.type != WIRE_ICMP_UNREACH &&
	    f->icmp.type != WIRE_ICMP_TIME_EXCEEDED)
		return false;
	memset(&e, 0, sizeof(e));
	if (!quote_parse(p->data, p->len, &e))
		return false;
	e.type = f->icmp.type;
	e.code = f->icmp.code;
	e.rest = f->icmp.rest;
	e.from = f->ip.src;
	e.vrf = n->ifaces[in_if].vrf;
	e.ifindex = in_if;
	/*
	 * A transport trusts the quote to be about its own send (net.h: "ip.src
	 * is ours"): an error quoting someone else's packet, forged or
	 * misrouted (a TAP brings in outside traffic), is nobody's here, as
	 * Linux finds no socket for it: a drop like any unclaimed message.
	 */
	if (!own_addr(n, e.vrf, e.ip.src))
		return false;
	return icmp_error_deliver(n, &e);
}

/*
 * Errors about our own sends, due now, in the order they happened. Nothing
 * crossed a wire, so an error that no transport takes is forgotten without
 * a drop record, as Linux discards an error queue entry nobody asked for.
 */
static void
local_error_fire(struct sim *sim, void *arg)
{
	struct node *n = arg;
	struct local_err *le, *batch = n->lerr;

	(void)sim;
	n->lerr = n->lerr_tail = NULL;
	n->lerr_ev = (sim_event_id){ 0, 0 };
	while ((le = batch) != NULL) {
		const struct iface *ifc = &n->ifaces[le->ifindex];
		struct node_icmp_err e;

		batch = le->next;
		memset(&e, 0, sizeof(e));
		if (quote_parse(le->msg + WIRE_ICMP_HLEN,
		    le->len - WIRE_ICMP_HLEN, &e)) {
			e.type = le->msg[0];
			e.code = le->msg[1];
			e.rest = get_be32(le->msg + 4);
			e.from = ifc->addr;
			e.vrf = ifc->vrf;
			e.ifindex = le->ifindex;
			e.local = true;
			(void)icmp_error_deliver(n, &e);
		}
		free(le);
	}
}

void
node_local_error(struct node *n, uint32_t ifindex, const struct pkt *orig,
    uint8_t type, uint8_t code, uint32_t rest)
{
	struct local_err *le;
	uint32_t ihl, quote, i;

	if (orig->len < WIRE_IPV4_HLEN)
		return;
	/* the header and 8 bytes, virtual ones as the zeros they are */
	ihl = (uint32_t)(orig->data[0] & 0x0f) * 4;
	quote = ihl + 8 < pkt_wire_len(orig) ? ihl + 8 : pkt_wire_len(orig);
	le = xcalloc(1, sizeof(*le));
	le->ifindex = ifindex;
	le->len = WIRE_ICMP_HLEN + quote;
	le->msg[0] = type;
	le->msg[1] = code;
	put_be32(le->msg + 4, rest);
	for (i = 0; i < quote; i++)
		le->msg[WIRE_ICMP_HLEN + i] = i < orig->len ? orig->data[i] : 0;
	/* never re-entrantly: the sender is still in node_send_ip */
	if (n->lerr_tail != NULL)
		n->lerr_tail->next = le;
	else {
		n->lerr = le;
		n->lerr_ev = sim_schedule(n->net->sim, 0, local_error_fire, n);
	}
	n->lerr_tail = le;
}

void
node_local_errors_free(struct node *n)
{
	struct local_err *le;

	sim_cancel(n->net->sim, n->lerr_ev);
	while ((le = n->lerr) != NULL) {
		n->lerr = le->next;
		free(le);
	}
	n->lerr_tail = NULL;
}

/*
 * Offer p to the listeners in turn; true if one consumed it. A listener may
 * add or remove listeners (itself included): one added now is offered the
 * next message, one removed is skipped (fn NULL) and compacted away when
 * the outermost offer ends.
 */
static bool
icmp_offer(struct node *n, struct pkt *p, const struct wire_frame *f)
{
	size_t i, k, len = n->n_icmp;
	bool taken = false;

	n->icmp_depth++;
	for (i = 0; i < len && !taken; i++)
		if (n->icmp[i].fn != NULL)
			taken = n->icmp[i].fn(n, p, f, n->icmp[i].ctx);
	if (--n->icmp_depth == 0 && n->icmp_dirty) {
		for (i = k = 0; i < n->n_icmp; i++)
			if (n->icmp[i].fn != NULL)
				n->icmp[k++] = n->icmp[i];
		n->n_icmp = k;
		n->icmp_dirty = false;
	}
	return taken;
}

static void
icmp_input(struct node *n, uint32_t in_if, struct pkt *p,
    const struct wire_frame *f)
{
	if (f->icmp.type == WIRE_ICMP_ECHO) {
		/* Answer in place: same payload, addresses swapped. */
		struct icmp_hdr reply = f->icmp;

		pkt_pull(p, f->l4_off + WIRE_ICMP_HLEN);
		p->uid = sim_next_uid(n->net->sim);	/* a new packet */
		reply.type = WIRE_ICMP_ECHO_REPLY;
		wire_push_icmp(n->net->sim, p, &reply);
		node_send_ip(n, n->ifaces[in_if].vrf, p, f->ip.dst, f->ip.src,
		    WIRE_IPPROTO_ICMP, NET_DEFAULT_TTL,
		    f->ip.frag & WIRE_IPV4_DF);
		return;
	}
	pkt_pull(p, f->payload_off);
	if (icmp_offer(n, p, f))
		return;
	if (icmp_error_dispatch(n, in_if, p, f)) {
		pkt_free(n->net->sim, p);	/* delivered: no drop */
		return;
	}
	node_drop_len(n, p, DROP_NO_LISTENER, f->ip.total_len);
}

/* --- input --- */

/* A datagram whose fragments never all came (RFC 1122 3.3.2). */
static void
frag_expired(void *ctx, uint64_t uid, uint32_t held, const struct pkt *first)
{
	struct node *n = ctx;
	/* the datagram as far as it came: a header and the payload held */
	uint32_t len = held + (first != NULL ?
	    (uint32_t)(first->data[0] & 0x0f) * 4 : WIRE_IPV4_HLEN);

	n->drops[DROP_REASSEMBLY]++;
	trace_drop(n->net->tr, sim_now(n->net->sim), uid, n->id, TRACE_NO_ID,
	    0, DROP_REASSEMBLY, len);
	if (first != NULL)
		node_icmp_error(n, first->in_iface, 0, first,
		    WIRE_ICMP_TIME_EXCEEDED, 1, 0);
}

/* A fragment: hold it, or carry on with the datagram it completes. */
static void
frag_input(struct node *n, uint32_t ifindex, struct pkt *p,
    const struct wire_frame *f)
{
	struct pkt *whole;
	struct eth_hdr eth;
	int refused;

	if (n->frags == NULL)
		n->frags = ipfrag_table_new(n->net->sim, frag_expired, n);
	pkt_pull(p, f->l3_off);
	p->in_iface = ifindex;
	whole = ipfrag_input(n->frags, p, &refused);
	if (refused) {
		node_drop(n, p, DROP_REASSEMBLY);
		return;
	}
	if (whole == NULL)
		return;		/* held until the rest arrives */
	memset(&eth, 0, sizeof(eth));
	memcpy(eth.src, n->ifaces[ifindex].mac, 6);
	memcpy(eth.dst, n->ifaces[ifindex].mac, 6);
	eth.type = WIRE_ETHERTYPE_IPV4;
	wire_push_eth(n->net->sim, whole, &eth);
	node_local_input(n, ifindex, whole);
}

void
node_local_input(struct node *n, uint32_t ifindex, struct pkt *p)
{
	struct wire_frame f;
	const struct udp_bind *b;
	const struct ip_handler *h;
	uint32_t vrf = n->ifaces[ifindex].vrf;

	/* At the destination every checksum is verified. */
	if (wire_parse(p->data, p->len, p->virt_len, true, &f) != WIRE_OK) {
		node_drop_frame(n, p, DROP_MALFORMED);
		return;
	}
	if (f.has_ipv4 && (f.ip.frag & (WIRE_IPV4_MF | 0x1fff))) {
		frag_input(n, ifindex, p, &f);
		return;
	}
	if (f.has_icmp) {
		icmp_input(n, ifindex, p, &f);
		return;
	}
	if (f.has_udp) {
		if ((b = find_bind(n, vrf, f.udp.dport)) != NULL) {
			pkt_pull(p, f.payload_off);
			b->fn(n, p, &f, b->ctx);
			return;
		}
		pkt_pull(p, f.l3_off);
		/* from the address the datagram was sent to (RFC 1122 3.2.2.1) */
		node_icmp_error(n, ifindex, f.ip.dst, p, WIRE_ICMP_UNREACH,
		    WIRE_ICMP_UNREACH_PORT, 0);
		node_drop(n, p, DROP_NO_LISTENER);
		return;
	}
	if ((h = find_handler(n, f.ip.proto)) != NULL) {
		pkt_pull(p, f.l3_off + (uint32_t)f.ip.ihl * 4);
		h->fn(n, p, &f, vrf, ifindex, h->ctx);
		return;
	}
	pkt_pull(p, f.l3_off);
	if (!f.has_tcp)
		node_icmp_error(n, ifindex, f.ip.dst, p, WIRE_ICMP_UNREACH,
		    WIRE_ICMP_UNREACH_PROTO, 0);
	node_drop(n, p, DROP_NO_LISTENER);
}
