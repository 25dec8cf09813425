/*
 * test_listeners.c - callback lists changed from inside their own
 * callbacks (drop listeners, ICMP listeners, interface filters, RIB
 * listeners): a callback that removes itself does not make the next one
 * miss the event, one it removes is not called afterwards, one it adds is
 * called from the next event on. Also: ICMP errors quoting a packet the
 * node never sent, a malformed own packet under an egress filter, and an
 * interface that gets its fast path back.
 */
#include <stdlib.h>
#include <string.h>

#include "net.h"
#include "pkt.h"
#include "rib.h"
#include "sim.h"
#include "testutil.h"
#include "wire.h"

static uint32_t
ip(const char *s)
{
	uint32_t a = 0;

	CU_ASSERT_EQUAL_FATAL(wire_ip_parse(s, &a), 0);
	return a;
}

/* a (10.0.0.1) -- b (10.0.0.2), 1 Gbit/s, 1 ms. */
struct pair {
	struct sim *sim;
	struct net *net;
	struct node *a, *b;
	uint32_t ia, ib;
	struct link *l;
};

static void
pair_build(struct pair *t)
{
	struct link_params p;

	memset(&p, 0, sizeof(p));
	p.dir[0].rate_bps = p.dir[1].rate_bps = 1000000000;
	p.dir[0].delay = p.dir[1].delay = SIM_MS(1);
	p.mtu = 1500;
	t->sim = sim_new(1);
	t->net = net_new(t->sim);
	t->a = net_add_node(t->net, "a", "host", NULL, NULL);
	t->b = net_add_node(t->net, "b", "host", NULL, NULL);
	t->ia = node_add_iface(t->a, "e0", NULL, ip("10.0.0.1"), 24, 0);
	t->ib = node_add_iface(t->b, "e0", NULL, ip("10.0.0.2"), 24, 0);
	t->l = net_add_link(t->net, "l", t->a, t->ia, t->b, t->ib, &p);
}

static void
pair_free(struct pair *t)
{
	net_free(t->net);
	CU_ASSERT_EQUAL(pkt_live(t->sim), 0);
	sim_free(t->sim);
}

/* An 8-byte UDP datagram from a, port 7, to b port dport. */
static int
send_udp(struct pair *t, uint16_t dport)
{
	struct pkt *q = pkt_alloc(t->sim, 8);

	memset(q->data, 0, 8);
	q->data[1] = 7;
	q->data[2] = (uint8_t)(dport >> 8);
	q->data[3] = (uint8_t)dport;
	q->data[5] = 8;
	return node_send_ip(t->a, 0, q, 0, ip("10.0.0.2"), WIRE_IPPROTO_UDP,
	    0, 0);
}

/* What the callback under test does on its first call. */
enum act { ACT_REMOVE_SELF, ACT_REMOVE_B, ACT_ADD_C };

static struct {
	enum act act;
	int a, b, c;
	struct net *net;
	struct node *node;
	uint32_t ifindex;
	struct rib *rib;
} cb;

static void
cb_reset(enum act act)
{
	memset(&cb, 0, sizeof(cb));
	cb.act = act;
}

/* --- drop listeners -------------------------------------------------- */

static void drop_b(const struct pkt *p, enum trace_drop r, void *c);
static void drop_c(const struct pkt *p, enum trace_drop r, void *c);

static void
drop_a(const struct pkt *p, enum trace_drop r, void *c)
{
	(void)p;
	(void)r;
	if (cb.a++ > 0)
		return;
	if (cb.act == ACT_REMOVE_SELF)
		net_remove_drop_listener(cb.net, drop_a, c);
	else if (cb.act == ACT_REMOVE_B)
		net_remove_drop_listener(cb.net, drop_b, c);
	else
		net_add_drop_listener(cb.net, drop_c, c);
}

static void
drop_b(const struct pkt *p, enum trace_drop r, void *c)
{
	(void)p;
	(void)c;
	CU_ASSERT_EQUAL(r, DROP_LINK_DOWN);
	cb.b++;
}

static void
drop_c(const struct pkt *p, enum trace_drop r, void *c)
{
	(void)p;
	(void)r;
	(void)c;
	cb.c++;
}

/* Two datagrams into a link that is down: two drops, one at a time. */
static void
drops_run(enum act act)
{
	struct pair t;

	pair_build(&t);
	cb_reset(act);
	cb.net = t.net;
	net_add_drop_listener(t.net, drop_a, NULL);
	net_add_drop_listener(t.net, drop_b, NULL);
	link_set_up(t.l, false);
	CU_ASSERT_EQUAL(send_udp(&t, 9), 0);
	CU_ASSERT_EQUAL(send_udp(&t, 9), 0);
	sim_run(t.sim);
	pair_free(&t);
}

static void
test_drop_listeners(void)
{
	drops_run(ACT_REMOVE_SELF);
	CU_ASSERT_EQUAL(cb.a, 1);
	CU_ASSERT_EQUAL(cb.b, 2);	/* the first drop too */
	drops_run(ACT_REMOVE_B);
	CU_ASSERT_EQUAL(cb.a, 2);
	CU_ASSERT_EQUAL(cb.b, 0);	/* not even for the drop under way */
	drops_run(ACT_ADD_C);
	CU_ASSERT_EQUAL(cb.a, 2);
	CU_ASSERT_EQUAL(cb.b, 2);
	CU_ASSERT_EQUAL(cb.c, 1);	/* the second drop only */
}

/* --- ICMP listeners -------------------------------------------------- */

static bool icmp_b(struct node *n, struct pkt *p, const struct wire_frame *f,
    void *c);
static bool icmp_c(struct node *n, struct pkt *p, const struct wire_frame *f,
    void *c);

/* Declines every message. */
static bool
icmp_a(struct node *n, struct pkt *p, const struct wire_frame *f, void *c)
{
	(void)p;
	(void)f;
	if (cb.a++ > 0)
		return false;
	if (cb.act == ACT_REMOVE_SELF)
		node_remove_icmp_listener(n, icmp_a, c);
	else if (cb.act == ACT_REMOVE_B)
		node_remove_icmp_listener(n, icmp_b, c);
	else
		node_add_icmp_listener(n, icmp_c, c);
	return false;
}

/* Takes every message. */
static bool
icmp_b(struct node *n, struct pkt *p, const struct wire_frame *f, void *c)
{
	(void)f;
	(void)c;
	cb.b++;
	pkt_free(net_sim(node_net(n)), p);
	return true;
}

static bool
icmp_c(struct node *n, struct pkt *p, const struct wire_frame *f, void *c)
{
	(void)n;
	(void)p;
	(void)f;
	(void)c;
	cb.c++;
	return false;
}

/* Two datagrams to a closed port of b: two port unreachables back to a. */
static uint64_t
icmp_run(enum act act)
{
	struct pair t;
	uint64_t unclaimed;

	pair_build(&t);
	cb_reset(act);
	node_add_icmp_listener(t.a, icmp_a, NULL);
	node_add_icmp_listener(t.a, icmp_b, NULL);
	CU_ASSERT_EQUAL(send_udp(&t, 9), 0);
	sim_run(t.sim);
	CU_ASSERT_EQUAL(send_udp(&t, 9), 0);
	sim_run(t.sim);
	unclaimed = node_drops(t.a)[DROP_NO_LISTENER];
	pair_free(&t);
	return unclaimed;
}

static void
test_icmp_listeners(void)
{
	CU_ASSERT_EQUAL(icmp_run(ACT_REMOVE_SELF), 0);
	CU_ASSERT_EQUAL(cb.a, 1);
	CU_ASSERT_EQUAL(cb.b, 2);
	/* b gone before it was offered the first: both go unclaimed */
	CU_ASSERT_EQUAL(icmp_run(ACT_REMOVE_B), 2);
	CU_ASSERT_EQUAL(cb.a, 2);
	CU_ASSERT_EQUAL(cb.b, 0);
	/* c is offered the second only, after b took it: never */
	CU_ASSERT_EQUAL(icmp_run(ACT_ADD_C), 0);
	CU_ASSERT_EQUAL(cb.b, 2);
	CU_ASSERT_EQUAL(cb.c, 0);
}

/* --- interface filters ----------------------------------------------- */

static enum node_verdict filt_b(struct node *n, uint32_t i,
    enum node_hook_dir d, const struct pkt *p, const struct wire_frame *f,
    const char **why, void *c);
static enum node_verdict filt_c(struct node *n, uint32_t i,
    enum node_hook_dir d, const struct pkt *p, const struct wire_frame *f,
    const char **why, void *c);

static enum node_verdict
filt_a(struct node *n, uint32_t i, enum node_hook_dir d, const struct pkt *p,
    const struct wire_frame *f, const char **why, void *c)
{
	(void)p;
	(void)f;
	(void)why;
	if (cb.a++ > 0)
		return NODE_ACCEPT;
	if (cb.act == ACT_REMOVE_SELF)
		node_iface_remove_filter(n, i, d, filt_a, c);
	else if (cb.act == ACT_REMOVE_B)
		node_iface_remove_filter(n, i, d, filt_b, c);
	else
		node_iface_add_filter(n, i, d, filt_c, c);
	return NODE_ACCEPT;
}

/* Refuses every frame. */
static enum node_verdict
filt_b(struct node *n, uint32_t i, enum node_hook_dir d, const struct pkt *p,
    const struct wire_frame *f, const char **why, void *c)
{
	(void)n;
	(void)i;
	(void)d;
	(void)p;
	(void)f;
	(void)c;
	cb.b++;
	*why = "deny";
	return NODE_DROP;
}

static enum node_verdict
filt_c(struct node *n, uint32_t i, enum node_hook_dir d, const struct pkt *p,
    const struct wire_frame *f, const char **why, void *c)
{
	(void)n;
	(void)i;
	(void)d;
	(void)p;
	(void)f;
	(void)why;
	(void)c;
	cb.c++;
	return NODE_ACCEPT;
}

static void
rx_count(struct node *n, struct pkt *p, const struct wire_frame *f, void *c)
{
	(void)f;
	(*(int *)c)++;
	pkt_free(net_sim(node_net(n)), p);
}

/*
 * Two datagrams through a's egress filters (b only with with_b); returns
 * how many arrived.
 */
static int
filter_run(enum act act, bool with_b)
{
	struct pair t;
	int got = 0;

	pair_build(&t);
	cb_reset(act);
	CU_ASSERT_EQUAL(node_bind_udp(t.b, 0, 9, rx_count, NULL, &got), 0);
	node_iface_add_filter(t.a, t.ia, NODE_EGRESS, filt_a, NULL);
	if (with_b)
		node_iface_add_filter(t.a, t.ia, NODE_EGRESS, filt_b, NULL);
	send_udp(&t, 9);
	send_udp(&t, 9);
	sim_run(t.sim);
	CU_ASSERT_EQUAL(node_drops(t.a)[DROP_FILTER], (uint64_t)(2 - got));
	pair_free(&t);
	return got;
}

static void
test_filters(void)
{
	CU_ASSERT_EQUAL(filter_run(ACT_REMOVE_SELF, true), 0);
	CU_ASSERT_EQUAL(cb.a, 1);
	CU_ASSERT_EQUAL(cb.b, 2);
	/* b removed before it saw the first frame: both pass */
	CU_ASSERT_EQUAL(filter_run(ACT_REMOVE_B, true), 2);
	CU_ASSERT_EQUAL(cb.a, 2);
	CU_ASSERT_EQUAL(cb.b, 0);
	CU_ASSERT_EQUAL(filter_run(ACT_ADD_C, false), 2);
	CU_ASSERT_EQUAL(cb.a, 2);
	CU_ASSERT_EQUAL(cb.c, 1);
	/* the only filter removes itself: the hooks go, the frame still does */
	CU_ASSERT_EQUAL(filter_run(ACT_REMOVE_SELF, false), 2);
	CU_ASSERT_EQUAL(cb.a, 1);
}

/* --- RIB listeners --------------------------------------------------- */

static void rib_b(struct rib *r, const struct rib_change *c, void *ctx);
static void rib_c(struct rib *r, const struct rib_change *c, void *ctx);

static void
rib_a(struct rib *r, const struct rib_change *c, void *ctx)
{
	(void)c;
	if (cb.a++ > 0)
		return;
	if (cb.act == ACT_REMOVE_SELF)
		rib_remove_listener(r, rib_a, ctx);
	else if (cb.act == ACT_REMOVE_B)
		rib_remove_listener(r, rib_b, ctx);
	else
		rib_add_listener(r, rib_c, ctx);
}

/* ctx is a heap int: ASan sees a call after it was freed. */
static void
rib_b(struct rib *r, const struct rib_change *c, void *ctx)
{
	(void)r;
	(void)c;
	(*(int *)ctx)++;
	cb.b++;
}

static void
rib_c(struct rib *r, const struct rib_change *c, void *ctx)
{
	(void)r;
	(void)c;
	(void)ctx;
	cb.c++;
}

/* Removes itself and frees its ctx, as a BGP speaker shutting down. */
static void
rib_gone(struct rib *r, const struct rib_change *c, void *ctx)
{
	(void)c;
	(*(int *)ctx)++;
	cb.c++;
	rib_remove_listener(r, rib_gone, ctx);
	free(ctx);
}

static void
rib_change2(struct rib *r)
{
	struct rib_nh nh = { 0, 0 };
	struct rib_route rt = { .source = RIB_SRC_STATIC,
	    .pref = RIB_PREF_STATIC };

	rt.nhg = rib_nhg_get(r, &nh, 1);
	CU_ASSERT_EQUAL(rib_add(r, ip("10.1.0.0"), 16, &rt), 0);
	CU_ASSERT_EQUAL(rib_add(r, ip("10.2.0.0"), 16, &rt), 0);
	rib_nhg_put(r, rt.nhg);
}

static void
rib_run(enum act act, int *ctx)
{
	struct rib *r = rib_new("t");

	cb_reset(act);
	rib_add_listener(r, rib_a, ctx);
	rib_add_listener(r, rib_b, ctx);
	rib_change2(r);
	rib_free(r);
}

static void
test_rib_listeners(void)
{
	int *ctx = calloc(1, sizeof(*ctx));
	struct rib *r;

	rib_run(ACT_REMOVE_SELF, ctx);
	CU_ASSERT_EQUAL(cb.a, 1);
	CU_ASSERT_EQUAL(cb.b, 2);
	rib_run(ACT_REMOVE_B, ctx);
	CU_ASSERT_EQUAL(cb.a, 2);
	CU_ASSERT_EQUAL(cb.b, 0);
	rib_run(ACT_ADD_C, ctx);
	CU_ASSERT_EQUAL(cb.b, 2);
	CU_ASSERT_EQUAL(cb.c, 1);
	CU_ASSERT_EQUAL(*ctx, 4);
	free(ctx);

	/* removed, its ctx freed, the table changed: never called again */
	r = rib_new("t");
	cb_reset(ACT_REMOVE_SELF);
	ctx = calloc(1, sizeof(*ctx));
	rib_add_listener(r, rib_b, ctx);
	rib_remove_listener(r, rib_b, ctx);
	rib_remove_listener(r, rib_b, ctx);	/* not there: a no-op */
	free(ctx);
	/* one that removes itself and frees its ctx in its callback */
	rib_add_listener(r, rib_gone, calloc(1, sizeof(int)));
	rib_change2(r);
	CU_ASSERT_EQUAL(cb.b, 0);
	CU_ASSERT_EQUAL(cb.c, 1);
	rib_free(r);
}

/* --- ICMP errors about packets the node never sent ------------------- */

static int udp_errs;

static void
udp_err(struct node *n, const struct node_icmp_err *e, void *c)
{
	(void)n;
	(void)c;
	CU_ASSERT_EQUAL(e->ip.src, ip("10.0.0.1"));
	udp_errs++;
}

/*
 * A port unreachable quoting src:7 -> 5.6.7.8:53, injected at a from the
 * outside, as a TAP would bring it in.
 */
static void
inject_error(struct pair *t, uint32_t src)
{
	struct pkt *q = pkt_alloc(t->sim, 0);
	struct udp_hdr u = { .sport = 7, .dport = 53 };
	struct ipv4_hdr qi = { .ihl = 5, .ttl = 64, .proto = WIRE_IPPROTO_UDP,
	    .src = src, .dst = ip("5.6.7.8") };
	struct icmp_hdr ic = { .type = WIRE_ICMP_UNREACH,
	    .code = WIRE_ICMP_UNREACH_PORT };
	struct ipv4_hdr oi = { .ihl = 5, .ttl = 64, .proto = WIRE_IPPROTO_ICMP,
	    .src = ip("10.0.0.2"), .dst = ip("10.0.0.1") };
	struct eth_hdr eh;

	wire_push_udp(t->sim, q, &u, src, qi.dst);
	wire_push_ipv4(t->sim, q, &qi);
	wire_push_icmp(t->sim, q, &ic);
	wire_push_ipv4(t->sim, q, &oi);
	memset(&eh, 0, sizeof(eh));
	eh.type = WIRE_ETHERTYPE_IPV4;
	wire_push_eth(t->sim, q, &eh);
	CU_ASSERT_EQUAL(node_iface_inject(t->a, t->ia, q->data, q->len), 0);
	pkt_free(t->sim, q);
}

static void
test_forged_icmp_error(void)
{
	struct pair t;

	pair_build(&t);
	udp_errs = 0;
	CU_ASSERT_EQUAL(node_bind_udp(t.a, 0, 7, rx_count, udp_err, NULL), 0);
	/* quoting someone else's datagram: nobody's, dropped unclaimed */
	inject_error(&t, ip("1.2.3.4"));
	sim_run(t.sim);
	CU_ASSERT_EQUAL(udp_errs, 0);
	CU_ASSERT_EQUAL(node_drops(t.a)[DROP_NO_LISTENER], 1);
	/* quoting one of a's own: its binding hears of it */
	inject_error(&t, ip("10.0.0.1"));
	sim_run(t.sim);
	CU_ASSERT_EQUAL(udp_errs, 1);
	CU_ASSERT_EQUAL(node_drops(t.a)[DROP_NO_LISTENER], 1);
	pair_free(&t);
}

/* --- a malformed own packet under an egress filter ------------------- */

static void
test_malformed_own_packet_filtered(void)
{
	struct pair t;
	struct pkt *q;

	pair_build(&t);
	cb_reset(ACT_ADD_C);
	node_iface_add_filter(t.a, t.ia, NODE_EGRESS, filt_c, NULL);
	/* 10 bytes of "TCP": shorter than a TCP header, it does not parse */
	q = pkt_alloc(t.sim, 10);
	memset(q->data, 0, 10);
	CU_ASSERT_EQUAL(node_send_ip(t.a, 0, q, 0, ip("10.0.0.2"),
	    WIRE_IPPROTO_TCP, 0, 0), -1);
	sim_run(t.sim);
	CU_ASSERT_EQUAL(cb.c, 0);
	CU_ASSERT_EQUAL(node_drops(t.a)[DROP_MALFORMED], 1);
	pair_free(&t);
}

/* --- the fast path back ---------------------------------------------- */

static void
test_peer_mac_back_to_broadcast(void)
{
	static const uint8_t peer[6] = { 2, 0, 0, 0, 0, 9 };
	static const uint8_t bcast[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };
	struct sim *sim = sim_new(1);
	struct net *net = net_new(sim);
	struct node *n = net_add_node(net, "t", "host", NULL, NULL);
	uint32_t i = node_add_iface(n, "tap0", NULL, ip("10.9.0.1"), 24, 0);

	/* no link, no hook: no way out (MTU 0); with one, NODE_IFACE_MTU */
	CU_ASSERT_EQUAL(node_mtu_for(n, 0, ip("10.9.0.7")), 0);
	node_iface_set_peer_mac(n, i, peer);
	CU_ASSERT_EQUAL(node_mtu_for(n, 0, ip("10.9.0.7")), NODE_IFACE_MTU);
	/* broadcast again: nothing is hooked, the hooks are released */
	node_iface_set_peer_mac(n, i, bcast);
	CU_ASSERT_EQUAL(node_mtu_for(n, 0, ip("10.9.0.7")), 0);
	/*
	 * ECMP over that interface and a hooked one: the member that cannot
	 * send does not make the route look absent (MTU 0); with both
	 * unable to send, it is 0.
	 */
	{
		struct rib *r = node_rib(n, VRF_DEFAULT);
		uint32_t j = node_add_iface(n, "tap1", NULL, ip("10.8.0.1"),
		    24, 0);
		struct rib_nh nh[2] = { { 0, i }, { 0, j } };
		struct rib_route rt = { .source = RIB_SRC_STATIC, .pref = 1,
		    .nhg = rib_nhg_get(r, nh, 2) };

		CU_ASSERT_EQUAL(rib_add(r, ip("10.20.0.0"), 16, &rt), 0);
		rib_nhg_put(r, rt.nhg);
		CU_ASSERT_EQUAL(node_mtu_for(n, 0, ip("10.20.0.1")), 0);
		node_iface_set_peer_mac(n, j, peer);
		CU_ASSERT_EQUAL(node_mtu_for(n, 0, ip("10.20.0.1")),
		    NODE_IFACE_MTU);
	}
	net_free(net);
	sim_free(sim);
}

/*
 * An interface with no link, only hooks (the TAP attachment's kind), sends
 * a 3,008-byte datagram as three fragments. The hooks go away while the
 * train is on its way out, once through a filter that removes itself on
 * the first fragment, once through a drop listener that resets the peer
 * MAC to broadcast on the first fragment's drop: the remaining fragments
 * must find the interface linkless and hookless and be dropped as
 * link_down, never taken down the linked fast path.
 */
static int frag_calls;
static struct node *frag_node;
static uint32_t frag_if;

static enum node_verdict
accept_once(struct node *n, uint32_t ifindex, enum node_hook_dir dir,
    const struct pkt *p, const struct wire_frame *f, const char **reason,
    void *ctx)
{
	(void)p;
	(void)f;
	(void)reason;
	(void)ctx;
	frag_calls++;
	node_iface_remove_filter(n, ifindex, dir, accept_once, NULL);
	return NODE_ACCEPT;
}

static void
reset_mac_on_drop(const struct pkt *p, enum trace_drop reason, void *ctx)
{
	static const uint8_t bcast[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };

	(void)p;
	(void)ctx;
	frag_calls++;
	if (reason == DROP_LINK_DOWN)
		node_iface_set_peer_mac(frag_node, frag_if, bcast);
}

static void
frag_train(bool by_filter)
{
	static const uint8_t mac[6] = { 0x02, 0, 0, 0, 0, 0x09 };
	struct sim *sim = sim_new(1);
	struct net *net = net_new(sim);
	struct pkt *p;

	frag_calls = 0;
	frag_node = net_add_node(net, "a", "host", NULL, NULL);
	frag_if = node_add_iface(frag_node, "tap", NULL, ip("10.9.0.1"), 24,
	    VRF_DEFAULT);
	if (by_filter)
		node_iface_add_filter(frag_node, frag_if, NODE_EGRESS,
		    accept_once, NULL);
	else {
		node_iface_set_peer_mac(frag_node, frag_if, mac);
		net_add_drop_listener(net, reset_mac_on_drop, NULL);
	}
	/* a UDP header (ports 7 -> 9, length 3008) and 3,000 virtual bytes */
	p = pkt_alloc(sim, WIRE_UDP_HLEN);
	memset(p->data, 0, WIRE_UDP_HLEN);
	p->data[1] = 7;
	p->data[3] = 9;
	p->data[4] = 3008 >> 8;
	p->data[5] = 3008 & 0xff;
	p->virt_len = 3000;
	node_send_ip(frag_node, VRF_DEFAULT, p, 0, ip("10.9.0.2"),
	    WIRE_IPPROTO_UDP, 64, 0);
	sim_run(sim);
	/* 1480 + 1480 + 48 bytes of payload: three fragments, all dropped */
	CU_ASSERT_EQUAL(node_drops(frag_node)[DROP_LINK_DOWN], 3);
	CU_ASSERT_EQUAL(frag_calls, by_filter ? 1 : 3);
	net_free(net);
	sim_free(sim);
}

static void
test_fragments_outlive_the_last_hook(void)
{
	frag_train(true);
	frag_train(false);
}

static const struct test_case cases[] = {
	{ "fragments outlive a linkless interface's last hook", test_fragments_outlive_the_last_hook },
	{ "drop listeners changed from a drop listener", test_drop_listeners },
	{ "ICMP listeners changed from an ICMP listener", test_icmp_listeners },
	{ "interface filters changed from a filter", test_filters },
	{ "RIB listeners removed, also from their own callback", test_rib_listeners },
	{ "an ICMP error quoting a packet not ours reaches no transport", test_forged_icmp_error },
	{ "a malformed own packet under an egress filter is dropped", test_malformed_own_packet_filtered },
	{ "a peer MAC set back to broadcast releases the hooks", test_peer_mac_back_to_broadcast },
	{ NULL, NULL }
};

int
main(int argc, char **argv)
{
	return test_main(argc, argv, "listeners", cases);
}
