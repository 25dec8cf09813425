/*
 * test_provider_mpls.c - the label switching of models/provider on bare
 * nodes (provider_mpls.h): a P router between two ports swaps, pops at
 * the penultimate hop (restoring IPv4 and, uniform, its TTL), drops an
 * expired TTL and an unknown label; a PE's VRF interface pushes the VPN
 * and transport labels and its core port delivers a VPN-labelled packet
 * into the VRF (a UDP socket gets it) and drops an unknown VPN label;
 * an Ethernet switch pushes and pops the S-tag. Exact arrival times.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "net.h"
#include "pkt.h"
#include "provider_mpls.h"
#include "sim.h"
#include "testutil.h"
#include "units.h"
#include "wire.h"

#define RATE SIM_S(1)		/* 1 Gbit/s: 8 ns a byte */
#define DELAY SIM_US(10)

struct seen {
	uint8_t frame[256];
	size_t len;
	sim_time at;
	unsigned n;
};

static uint32_t
ip(const char *s)
{
	uint32_t a = 0;

	CU_ASSERT_EQUAL_FATAL(wire_ip_parse(s, &a), 0);
	return a;
}

static struct link_params
params(void)
{
	struct link_params p;

	memset(&p, 0, sizeof(p));
	p.dir[0].rate_bps = p.dir[1].rate_bps = RATE;
	p.dir[0].delay = p.dir[1].delay = DELAY;
	p.mtu = 1600;
	return p;
}

/* A port that keeps the last frame it received. */
static void
keep(struct node *n, uint32_t ifindex, const struct pkt *f, void *ctx)
{
	struct seen *s = ctx;

	(void)ifindex;
	s->len = f->len < sizeof(s->frame) ? f->len : sizeof(s->frame);
	memcpy(s->frame, f->data, s->len);
	s->at = sim_now(net_sim(node_net(n)));
	s->n++;
}

/* An IPv4/UDP frame (ttl) under labels[0..n) (labels[0] the top). */
static size_t
frame(struct sim *sim, uint8_t *out, const uint32_t *labels,
    const uint8_t *ttls, unsigned n, uint8_t ttl, uint32_t dst)
{
	struct pkt *p = pkt_alloc(sim, 4);
	struct udp_hdr u = { .sport = 7, .dport = 4000 };
	struct ipv4_hdr h = { .ihl = 5, .ttl = ttl, .proto =
	    WIRE_IPPROTO_UDP, .src = ip("10.50.0.9"), .dst = dst };
	struct eth_hdr e = { .type = WIRE_ETHERTYPE_IPV4 };
	size_t len;
	unsigned i;

	memcpy(p->data, "ping", 4);
	CU_ASSERT_EQUAL_FATAL(wire_push_udp(sim, p, &u, h.src, dst), 0);
	CU_ASSERT_EQUAL_FATAL(wire_push_ipv4(sim, p, &h), 0);
	CU_ASSERT_EQUAL_FATAL(wire_push_eth(sim, p, &e), 0);
	for (i = n; i-- > 0;) {
		struct mpls_lse l = { .label = labels[i], .ttl = ttls[i] };

		CU_ASSERT_EQUAL_FATAL(wire_push_mpls(sim, p, &l), 0);
	}
	len = p->len;
	memcpy(out, p->data, len);
	pkt_free(sim, p);
	return len;
}

struct line {
	struct sim *sim;
	struct net *net;
	struct node *a, *p, *b;
	uint32_t ax, pa, pb, bx;
	struct seen at_a, at_b;
};

/* a:x --- p:a [P] p:b --- b:x, a and b ports that keep what arrives */
static void
line_new(struct line *t)
{
	struct link_params lp = params();

	memset(t, 0, sizeof(*t));
	t->sim = sim_new(1);
	t->net = net_new(t->sim);
	t->a = net_add_node(t->net, "a", "router", NULL, NULL);
	t->p = net_add_node(t->net, "p", "provider-core", NULL, NULL);
	t->b = net_add_node(t->net, "b", "router", NULL, NULL);
	t->ax = node_add_iface(t->a, "x", NULL, 0, 0, 0);
	t->pa = node_add_iface(t->p, "a", NULL, 0, 0, 0);
	t->pb = node_add_iface(t->p, "b", NULL, 0, 0, 0);
	t->bx = node_add_iface(t->b, "x", NULL, 0, 0, 0);
	net_add_link(t->net, "l1", t->a, t->ax, t->p, t->pa, &lp);
	net_add_link(t->net, "l2", t->p, t->pb, t->b, t->bx, &lp);
	node_iface_set_port(t->a, t->ax, keep, &t->at_a);
	node_iface_set_port(t->b, t->bx, keep, &t->at_b);
}

static void
line_free(struct line *t)
{
	net_free(t->net);
	sim_free(t->sim);
}

static void
test_p_swap_pop_ttl(void)
{
	struct line t;
	struct prov_p *p;
	const struct prov_mpls_stats *st;
	struct wire_frame f;
	uint8_t buf[256];
	uint32_t l100 = 100, l999 = 999, l300 = 300;
	uint8_t ttl10 = 10, ttl1 = 1, ttl5 = 5;
	size_t len;

	line_new(&t);
	p = prov_p_new(t.p, true);
	CU_ASSERT_EQUAL(prov_p_add(p, t.pa, 100, t.pb, 200), 0);
	CU_ASSERT_EQUAL(prov_p_add(p, t.pb, 300, t.pa, PROV_LABEL_POP), 0);
	/* one entry per (interface, label); labels are 20 bits */
	CU_ASSERT_EQUAL(prov_p_add(p, t.pa, 100, t.pb, 201), -1);
	CU_ASSERT_EQUAL(prov_p_add(p, t.pa, 0x100000, t.pb, 201), -1);

	/* swap: 100 -> 200, TTL 10 -> 9, the IPv4 under it untouched */
	len = frame(t.sim, buf, &l100, &ttl10, 1, 64, ip("10.60.0.1"));
	CU_ASSERT_EQUAL(node_iface_port_send(t.a, t.ax, buf, len), 0);
	sim_run(t.sim);
	CU_ASSERT_EQUAL_FATAL(t.at_b.n, 1);
	CU_ASSERT_EQUAL(wire_parse(t.at_b.frame, t.at_b.len, 0, true, &f),
	    WIRE_OK);
	CU_ASSERT_EQUAL(f.nmpls, 1);
	CU_ASSERT_EQUAL(f.lse[0].label, 200);
	CU_ASSERT_EQUAL(f.lse[0].ttl, 9);
	CU_ASSERT_TRUE(f.lse[0].s);
	CU_ASSERT_EQUAL(f.ip.ttl, 64);
	/* 14 + 4 + 20 + 8 + 4 = 50 bytes, padded to 60: 480 ns a link */
	CU_ASSERT_EQUAL(len, 50);
	CU_ASSERT_EQUAL(t.at_b.at, 2 * (SIM_NS(480) + DELAY));

	/* TTL 1 and an unknown label die at P */
	len = frame(t.sim, buf, &l100, &ttl1, 1, 64, ip("10.60.0.1"));
	CU_ASSERT_EQUAL(node_iface_port_send(t.a, t.ax, buf, len), 0);
	len = frame(t.sim, buf, &l999, &ttl10, 1, 64, ip("10.60.0.1"));
	CU_ASSERT_EQUAL(node_iface_port_send(t.a, t.ax, buf, len), 0);
	sim_run(t.sim);
	CU_ASSERT_EQUAL(t.at_b.n, 1);
	st = prov_p_stats(p);
	CU_ASSERT_EQUAL(st->swapped, 1);
	CU_ASSERT_EQUAL(st->ttl_expired, 1);
	CU_ASSERT_EQUAL(st->unknown_label, 1);

	/* PHP: 300 popped, IPv4 again, uniform TTL: min(64, 5 - 1) */
	len = frame(t.sim, buf, &l300, &ttl5, 1, 64, ip("10.60.0.1"));
	CU_ASSERT_EQUAL(node_iface_port_send(t.b, t.bx, buf, len), 0);
	sim_run(t.sim);
	CU_ASSERT_EQUAL_FATAL(t.at_a.n, 1);
	CU_ASSERT_EQUAL(wire_parse(t.at_a.frame, t.at_a.len, 0, true, &f),
	    WIRE_OK);
	CU_ASSERT_EQUAL(f.nmpls, 0);
	CU_ASSERT_EQUAL(f.eth.type, WIRE_ETHERTYPE_IPV4);
	CU_ASSERT_TRUE(f.has_ipv4);
	CU_ASSERT_TRUE(f.has_udp);
	CU_ASSERT_EQUAL(f.ip.ttl, 4);
	CU_ASSERT_EQUAL(st->popped, 1);
	prov_p_free(p);
	line_free(&t);
}

/* The pipe model: a pop leaves the IP TTL as it was. */
static void
test_p_pipe(void)
{
	struct line t;
	struct prov_p *p;
	struct wire_frame f;
	uint8_t buf[256], ttl5 = 5;
	uint32_t l300 = 300;
	size_t len;

	line_new(&t);
	p = prov_p_new(t.p, false);
	CU_ASSERT_EQUAL(prov_p_add(p, t.pb, 300, t.pa, PROV_LABEL_POP), 0);
	len = frame(t.sim, buf, &l300, &ttl5, 1, 64, ip("10.60.0.1"));
	CU_ASSERT_EQUAL(node_iface_port_send(t.b, t.bx, buf, len), 0);
	sim_run(t.sim);
	CU_ASSERT_EQUAL_FATAL(t.at_a.n, 1);
	CU_ASSERT_EQUAL(wire_parse(t.at_a.frame, t.at_a.len, 0, true, &f),
	    WIRE_OK);
	CU_ASSERT_EQUAL(f.ip.ttl, 64);
	prov_p_free(p);
	line_free(&t);
}

static unsigned udp_got;

static void
on_udp(struct node *n, struct pkt *p, const struct wire_frame *f, void *ctx)
{
	(void)ctx;
	CU_ASSERT_EQUAL(f->ip.dst, ip("10.9.0.1"));
	/* uniform: the label's TTL 20 went into the IP header */
	CU_ASSERT_EQUAL(f->ip.ttl, 20);
	udp_got++;
	pkt_free(net_sim(node_net(n)), p);
}

/*
 * A PE (node a of the line, P in the middle as its core): what its VRF
 * routes into vrf-x leaves labelled [16, 1000]; [1001] from the core
 * enters vrf-x and reaches a socket; [1234] is nobody's.
 */
static void
test_pe_push_deliver(void)
{
	struct line t;
	struct prov_pe *pe;
	struct wire_frame f;
	char err[128];
	uint8_t buf[256], ttl20 = 20;
	uint32_t vif, l1001 = 1001, l1234 = 1234;
	struct pkt *p;
	size_t len;

	line_new(&t);
	node_iface_set_port(t.a, t.ax, NULL, NULL);
	/* the far end stands in for P: b keeps what the PE sends */
	node_iface_set_port(t.p, t.pa, keep, &t.at_b);
	vif = node_add_iface(t.a, "vrf-x", NULL, ip("10.9.0.1"), 30, 0);
	CU_ASSERT_EQUAL(node_add_route(t.a, 0, ip("10.60.0.0"), 16,
	    ip("10.9.0.2"), IFACE_NONE, err, sizeof(err)), 0);
	pe = prov_pe_new(t.a, t.ax, true);
	CU_ASSERT_PTR_NOT_NULL_FATAL(pe);
	/* the core port has a link, the VRF interface none */
	CU_ASSERT_EQUAL(prov_pe_add_vrf(pe, t.ax, 1001, 1000, 16), -1);
	CU_ASSERT_EQUAL(prov_pe_add_vrf(pe, vif, 1001, 1000, 16), 0);
	CU_ASSERT_EQUAL(prov_pe_add_vrf(pe, vif, 1002, 1000, 16), -1);
	CU_ASSERT_EQUAL(node_bind_udp(t.a, 0, 4000, on_udp, NULL, NULL), 0);

	p = pkt_alloc(t.sim, 8);
	memset(p->data, 0, 8);
	{
		struct udp_hdr u = { .sport = 9, .dport = 9 };

		CU_ASSERT_EQUAL(wire_push_udp(t.sim, p, &u, ip("10.9.0.1"),
		    ip("10.60.0.1")), 0);
	}
	CU_ASSERT_EQUAL(node_send_ip(t.a, 0, p, 0, ip("10.60.0.1"),
	    WIRE_IPPROTO_UDP, 33, 0), 0);
	sim_run(t.sim);
	CU_ASSERT_EQUAL_FATAL(t.at_b.n, 1);
	CU_ASSERT_EQUAL(wire_parse(t.at_b.frame, t.at_b.len, 0, true, &f),
	    WIRE_OK);
	CU_ASSERT_EQUAL(f.eth.type, WIRE_ETHERTYPE_MPLS);
	CU_ASSERT_EQUAL_FATAL(f.nmpls, 2);
	CU_ASSERT_EQUAL(f.lse[0].label, 16);
	CU_ASSERT_FALSE(f.lse[0].s);
	CU_ASSERT_EQUAL(f.lse[0].ttl, 33);
	CU_ASSERT_EQUAL(f.lse[1].label, 1000);
	CU_ASSERT_TRUE(f.lse[1].s);
	CU_ASSERT_EQUAL(f.ip.dst, ip("10.60.0.1"));
	CU_ASSERT_EQUAL(f.ip.ttl, 33);

	len = frame(t.sim, buf, &l1001, &ttl20, 1, 64, ip("10.9.0.1"));
	CU_ASSERT_EQUAL(node_iface_port_send(t.p, t.pa, buf, len), 0);
	len = frame(t.sim, buf, &l1234, &ttl20, 1, 64, ip("10.9.0.1"));
	CU_ASSERT_EQUAL(node_iface_port_send(t.p, t.pa, buf, len), 0);
	sim_run(t.sim);
	CU_ASSERT_EQUAL(udp_got, 1);
	CU_ASSERT_EQUAL(prov_pe_stats(pe)->pushed, 1);
	CU_ASSERT_EQUAL(prov_pe_stats(pe)->delivered, 1);
	CU_ASSERT_EQUAL(prov_pe_stats(pe)->unknown_label, 1);
	node_unbind_udp(t.a, 0, 4000);
	prov_pe_free(pe);
	line_free(&t);
}

/* QinQ: S-tag 15 pushed toward the cloud (b), popped back; 16 dropped. */
static void
test_switch_stag(void)
{
	struct line t;
	struct prov_sw *sw;
	struct wire_frame f;
	struct sim *sim;
	struct pkt *p;
	struct eth_hdr e = { .type = WIRE_ETHERTYPE_IPV4 };
	struct vlan_tag c = { WIRE_ETHERTYPE_VLAN, 0, false, 100 };
	struct vlan_tag s = { WIRE_ETHERTYPE_QINQ, 0, false, 15 };
	struct ipv4_hdr h = { .ihl = 5, .ttl = 9, .proto = 253,
	    .src = 1, .dst = 2 };
	uint8_t buf[256];
	size_t len;

	line_new(&t);
	sim = t.sim;
	node_iface_set_vlan(t.a, t.ax, 0, 100);
	node_iface_set_vlan(t.p, t.pa, 0, 100);
	node_iface_set_vlan(t.p, t.pb, 15, 100);
	node_iface_set_vlan(t.b, t.bx, 15, 100);
	sw = prov_sw_new(t.p, t.pa, t.pb, 15);
	CU_ASSERT_PTR_NOT_NULL_FATAL(sw);
	p = pkt_alloc(sim, 0);
	CU_ASSERT_EQUAL_FATAL(wire_push_ipv4(sim, p, &h), 0);
	wire_push_eth(sim, p, &e);
	wire_push_vlan(sim, p, &c);
	len = p->len;
	memcpy(buf, p->data, len);
	CU_ASSERT_EQUAL(node_iface_port_send(t.a, t.ax, buf, len), 0);
	sim_run(sim);
	CU_ASSERT_EQUAL_FATAL(t.at_b.n, 1);
	CU_ASSERT_EQUAL(wire_parse(t.at_b.frame, t.at_b.len, 0, true, &f),
	    WIRE_OK);
	CU_ASSERT_EQUAL_FATAL(f.nvlan, 2);
	CU_ASSERT_EQUAL(f.vlan[0].tpid, WIRE_ETHERTYPE_QINQ);
	CU_ASSERT_EQUAL(f.vlan[0].vid, 15);
	CU_ASSERT_EQUAL(f.vlan[1].vid, 100);
	/* back: the cloud's QinQ frame reaches a with the C-tag only */
	wire_push_vlan(sim, p, &s);
	len = p->len;
	memcpy(buf, p->data, len);
	CU_ASSERT_EQUAL(node_iface_port_send(t.b, t.bx, buf, len), 0);
	sim_run(sim);
	CU_ASSERT_EQUAL_FATAL(t.at_a.n, 1);
	CU_ASSERT_EQUAL(wire_parse(t.at_a.frame, t.at_a.len, 0, true, &f),
	    WIRE_OK);
	CU_ASSERT_EQUAL(f.nvlan, 1);
	CU_ASSERT_EQUAL(f.vlan[0].vid, 100);
	/* another S-tag from the cloud: dropped */
	buf[15] = 16;
	CU_ASSERT_EQUAL(node_iface_port_send(t.b, t.bx, buf, len), 0);
	sim_run(sim);
	CU_ASSERT_EQUAL(t.at_a.n, 1);
	CU_ASSERT_EQUAL(prov_sw_stats(sw)->vlan_drops, 1);
	CU_ASSERT_EQUAL(prov_sw_stats(sw)->to_cloud, 1);
	CU_ASSERT_EQUAL(prov_sw_stats(sw)->to_customer, 1);
	pkt_free(sim, p);
	prov_sw_free(sw);
	line_free(&t);
}

int
main(int argc, char **argv)
{
	static const struct test_case cases[] = {
		{ "P: swap, PHP pop, uniform TTL, expired and unknown labels",
		    test_p_swap_pop_ttl },
		{ "P: the pipe model leaves the IP TTL", test_p_pipe },
		{ "PE: push VPN + transport, deliver into the VRF",
		    test_pe_push_deliver },
		{ "switch: QinQ S-tag push and pop", test_switch_stag },
		{ NULL, NULL }
	};

	return test_main(argc, argv, "provider_mpls", cases);
}
