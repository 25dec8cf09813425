/*
 * test_emu_tap_port.c - the port seam (net.h node_iface_set_port,
 * node_iface_port_send) as a TAP attachment drives it, offline: a host
 * outside takes the place of vm on its link to gw, its frames cross the
 * link with the link's rate, delay and queue, and what gw sends to vm
 * reaches the host, never vm's own stack. Times are exact, by hand from
 * the link: 8 Mbit/s (1 us a byte) and 1 ms each way.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "net.h"
#include "pkt.h"
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

static uint16_t
csum(const uint8_t *b, size_t len)
{
	uint32_t s = 0;
	size_t i;

	for (i = 0; i + 1 < len; i += 2)
		s += (uint32_t)b[i] << 8 | b[i + 1];
	if (len & 1)
		s += (uint32_t)b[len - 1] << 8;
	while (s >> 16)
		s = (s & 0xffff) + (s >> 16);
	return (uint16_t)~s;
}

static const uint8_t VM_MAC[6] = { 0x02, 0x00, 0x5e, 0x00, 0x00, 0x04 };
static const uint8_t GW_MAC[6] = { 0x02, 0x00, 0x5e, 0x00, 0x00, 0x01 };

/* An echo request from the host (10.0.0.4) to gw (10.0.0.1), 98 bytes. */
static size_t
echo_request(uint8_t *f, uint16_t seq)
{
	static const uint8_t iph[20] = { 0x45, 0x00, 0x00, 0x54, 0x1c, 0x46,
	    0x40, 0x00, 0x40, 0x01, 0, 0, 10, 0, 0, 4, 10, 0, 0, 1 };
	size_t i;

	memcpy(f, GW_MAC, 6);
	memcpy(f + 6, VM_MAC, 6);
	f[12] = 0x08;
	f[13] = 0x00;
	memcpy(f + 14, iph, 20);
	put_be16(f + 24, csum(f + 14, 20));
	f[34] = 8;
	f[35] = 0;
	f[36] = f[37] = 0;
	put_be16(f + 38, 0x0b0c);
	put_be16(f + 40, seq);
	for (i = 0; i < 56; i++)
		f[42 + i] = (uint8_t)(0x10 + i);
	put_be16(f + 36, csum(f + 34, 64));
	return 98;
}

struct host {
	int n;
	sim_time at[8];
	uint32_t len[8];
	uint8_t frame[8][128];
};

static void
host_rx(struct node *n, uint32_t ifindex, const struct pkt *frame, void *ctx)
{
	struct host *h = ctx;
	uint32_t len = pkt_wire_len(frame), k;
	int i = h->n++;

	(void)ifindex;
	CU_ASSERT_FATAL(i < 8 && len <= 128);
	h->at[i] = sim_now(net_sim(node_net(n)));
	h->len[i] = len;
	for (k = 0; k < len; k++)
		h->frame[i][k] = k < frame->len ? frame->data[k] : 0;
}

struct pair {
	struct sim *sim;
	struct net *net;
	struct node *vm, *gw;
	uint32_t vif, gif;
	struct link *l;
};

static void
pair_build(struct pair *t)
{
	struct link_params p;

	memset(&p, 0, sizeof(p));
	p.dir[0].rate_bps = p.dir[1].rate_bps = 8000000;
	p.dir[0].delay = p.dir[1].delay = SIM_MS(1);
	p.mtu = 1500;
	t->sim = sim_new(1);
	t->net = net_new(t->sim);
	t->vm = net_add_node(t->net, "vm", "azure-vm", NULL, NULL);
	t->gw = net_add_node(t->net, "gw", "router", NULL, NULL);
	t->vif = node_add_iface(t->vm, "eth0", VM_MAC, ip("10.0.0.4"), 24, 0);
	t->gif = node_add_iface(t->gw, "vnet", GW_MAC, ip("10.0.0.1"), 24, 0);
	t->l = net_add_link(t->net, "vnet", t->vm, t->vif, t->gw, t->gif, &p);
}

static void
pair_free(struct pair *t)
{
	net_free(t->net);
	CU_ASSERT_EQUAL(pkt_live(t->sim), 0);
	sim_free(t->sim);
}

struct send_at {
	struct pair *t;
	uint8_t f[128];
	size_t len;
};

static void
send_fire(struct sim *sim, void *arg)
{
	struct send_at *s = arg;

	(void)sim;
	CU_ASSERT_EQUAL(node_iface_port_send(s->t->vm, s->t->vif, s->f,
	    s->len), 0);
}

static void
test_port_round_trip_timing(void)
{
	struct pair t;
	struct host h = { 0 };
	struct send_at s[3];
	int i;

	pair_build(&t);
	node_iface_set_port(t.vm, t.vif, host_rx, &h);
	/* three requests entering at once queue behind each other */
	for (i = 0; i < 3; i++) {
		s[i].t = &t;
		s[i].len = echo_request(s[i].f, (uint16_t)(i + 1));
		sim_schedule_at(t.sim, SIM_MS(5), send_fire, &s[i]);
	}
	sim_run(t.sim);
	CU_ASSERT_EQUAL_FATAL(h.n, 3);
	for (i = 0; i < 3; i++) {
		/* 98 us on the wire each way, 1 ms of delay each way */
		CU_ASSERT_EQUAL(h.at[i], SIM_MS(5) + SIM_US(98) * (i + 2) +
		    SIM_MS(2));
		CU_ASSERT_EQUAL(h.len[i], 98);
		CU_ASSERT_EQUAL(h.frame[i][34], 0);	/* echo reply */
		CU_ASSERT_EQUAL(get_be16(h.frame[i] + 40), i + 1);
		CU_ASSERT_EQUAL(memcmp(h.frame[i], VM_MAC, 6), 0);
		CU_ASSERT_EQUAL(memcmp(h.frame[i] + 6, GW_MAC, 6), 0);
	}
	CU_ASSERT_EQUAL(link_get_stats(t.l, 0)->tx_pkts, 3);
	/* the first went straight on the wire, two waited */
	CU_ASSERT_EQUAL(link_get_stats(t.l, 0)->max_qpkts, 2);
	pair_free(&t);
}

static void
gw_ping(struct sim *sim, void *arg)
{
	struct pair *t = arg;
	struct pkt *p = pkt_alloc(sim, 56);
	struct icmp_hdr icmp;

	memset(p->data, 0, p->len);
	memset(&icmp, 0, sizeof(icmp));
	icmp.type = WIRE_ICMP_ECHO;
	icmp.rest = 0x00070001;
	wire_push_icmp(sim, p, &icmp);
	CU_ASSERT_EQUAL(node_send_ip(t->gw, VRF_DEFAULT, p, 0, ip("10.0.0.4"),
	    WIRE_IPPROTO_ICMP, 64, 0), 0);
}

/* vm's stack no longer receives on a port; with the port gone it does. */
static void
test_port_takes_over_the_node(void)
{
	struct pair t;
	struct host h = { 0 };

	pair_build(&t);
	node_iface_set_port(t.vm, t.vif, host_rx, &h);
	sim_schedule_at(t.sim, SIM_MS(1), gw_ping, &t);
	sim_run(t.sim);
	/* the request reached the host, and vm did not answer it */
	CU_ASSERT_EQUAL_FATAL(h.n, 1);
	CU_ASSERT_EQUAL(h.frame[0][34], WIRE_ICMP_ECHO);
	CU_ASSERT_EQUAL(link_get_stats(t.l, 0)->tx_pkts, 0);
	/* port gone: vm answers, and the host hears nothing more */
	node_iface_set_port(t.vm, t.vif, NULL, NULL);
	sim_schedule_at(t.sim, sim_now(t.sim) + SIM_MS(1), gw_ping, &t);
	sim_run(t.sim);
	CU_ASSERT_EQUAL(h.n, 1);
	CU_ASSERT_EQUAL(link_get_stats(t.l, 0)->tx_pkts, 1);
	pair_free(&t);
}

static void
test_port_send_limits(void)
{
	struct pair t;
	struct host h = { 0 };
	uint8_t big[1500 + 14 + 8 + 1], arp[42];
	uint64_t bytes;
	struct node *lone;
	uint32_t lif;

	pair_build(&t);
	memset(big, 0, sizeof(big));
	memset(arp, 0, sizeof(arp));
	node_iface_set_port(t.vm, t.vif, host_rx, &h);
	lone = net_add_node(t.net, "lone", "host", NULL, NULL);
	lif = node_add_iface(lone, "eth0", NULL, ip("10.9.0.1"), 24, 0);
	CU_ASSERT_EQUAL(node_iface_port_send(t.vm, 9, arp, sizeof(arp)), -1);
	CU_ASSERT_EQUAL(node_iface_port_send(lone, lif, arp, sizeof(arp)),
	    -1);
	CU_ASSERT_EQUAL(node_iface_port_send(t.vm, t.vif, arp, 13), -1);
	CU_ASSERT_EQUAL(node_iface_port_send(t.vm, t.vif, big, sizeof(big)),
	    -1);
	/*
	 * An untagged interface's frames: MTU + header, no room for tags (a
	 * shaper's burst is sized to that and must not see more).
	 */
	CU_ASSERT_EQUAL(node_iface_port_send(t.vm, t.vif, big, 1515), -1);
	CU_ASSERT_EQUAL(node_iface_port_send(t.vm, t.vif, big, 1514), 0);
	/* a short frame is padded to 60 bytes on the wire */
	arp[12] = 0x08;
	arp[13] = 0x06;
	CU_ASSERT_EQUAL(node_iface_port_send(t.vm, t.vif, arp, sizeof(arp)),
	    0);
	sim_run(t.sim);
	CU_ASSERT_EQUAL(link_get_stats(t.l, 0)->tx_bytes, 1514 + 60);
	/* with both tags, MTU + header + two tags fits, one more byte not */
	node_iface_set_vlan(t.vm, t.vif, 100, 200);
	CU_ASSERT_EQUAL(node_iface_port_send(t.vm, t.vif, big, sizeof(big)),
	    -1);
	CU_ASSERT_EQUAL(node_iface_port_send(t.vm, t.vif, big,
	    sizeof(big) - 1), 0);
	sim_run(t.sim);
	bytes = link_get_stats(t.l, 0)->tx_bytes;
	CU_ASSERT_EQUAL(bytes, 1514 + 60 + 1522);
	/* gw drops all three: not IPv4 */
	CU_ASSERT_EQUAL(node_drops(t.gw)[DROP_MALFORMED], 3);
	CU_ASSERT_EQUAL(h.n, 0);
	pair_free(&t);
}

int
main(int argc, char **argv)
{
	static const struct test_case cases[] = {
		{ "port round trip: link rate, delay and queue",
		    test_port_round_trip_timing },
		{ "port takes the node's receive path", test_port_takes_over_the_node },
		{ "port send limits and padding", test_port_send_limits },
		{ NULL, NULL }
	};

	return test_main(argc, argv, "emu_tap_port", cases);
}
