/*
 * test_net.c - links and nodes: exact serialisation + propagation timing,
 * queue limits and drop reasons, loss models, link failure, forwarding with
 * TTL, ICMP errors, VLAN tags, and the ping/traceroute/UDP applications.
 * Every expected time is computed by hand from the link parameters.
 */
#include <string.h>
#include <unistd.h>

#include "apps.h"
#include "net.h"
#include "pkt.h"
#include "sim.h"
#include "testutil.h"
#include "trace.h"
#include "wire.h"

static uint32_t
ip(const char *s)
{
	uint32_t a = 0;

	CU_ASSERT_EQUAL_FATAL(wire_ip_parse(s, &a), 0);
	return a;
}

static struct link_params
params(uint64_t rate, sim_time delay)
{
	struct link_params p;

	memset(&p, 0, sizeof(p));
	p.dir[0].rate_bps = p.dir[1].rate_bps = rate;
	p.dir[0].delay = p.dir[1].delay = delay;
	p.mtu = 1500;
	p.qlimit_pkts = 100;
	return p;
}

/* A line of n nodes h0 - r1 - ... - h(n-1), subnets 10.0.i.0/24. */
struct line {
	struct sim *sim;
	struct net *net;
	struct node *n[8];
	struct link *l[8];
	int len;
};

static void
line_build(struct line *ln, int len, const struct link_params *p)
{
	char name[32], err[128];
	int i;

	ln->sim = sim_new(1);
	ln->net = net_new(ln->sim);
	ln->len = len;
	for (i = 0; i < len; i++) {
		snprintf(name, sizeof(name), "n%d", i);
		ln->n[i] = net_add_node(ln->net, name, "router", NULL, NULL);
	}
	for (i = 0; i + 1 < len; i++) {
		uint32_t a = (10u << 24) | ((uint32_t)i << 8) | 1;
		uint32_t ia = node_add_iface(ln->n[i], "right", NULL, a, 24, 0);
		uint32_t ib = node_add_iface(ln->n[i + 1], "left", NULL, a + 1,
		    24, 0);

		snprintf(name, sizeof(name), "l%d", i);
		ln->l[i] = net_add_link(ln->net, name, ln->n[i], ia,
		    ln->n[i + 1], ib, p);
	}
	/* Default routes toward both ends (hosts have one interface). */
	for (i = 0; i < len; i++) {
		if (i + 1 < len)
			CU_ASSERT_EQUAL(node_add_route(ln->n[i], 0,
			    ip("10.0.0.0"), 8, (10u << 24) | ((uint32_t)i << 8) |
			    2, IFACE_NONE, err, sizeof(err)), 0);
		if (i > 0) {
			uint32_t j;

			/* more specific routes back toward n0 */
			for (j = 0; j + 1 < (uint32_t)i; j++)
				CU_ASSERT_EQUAL(node_add_route(ln->n[i], 0,
				    (10u << 24) | (j << 8), 24,
				    (10u << 24) | ((uint32_t)(i - 1) << 8) | 1,
				    IFACE_NONE, err, sizeof(err)), 0);
		}
	}
}

static void
line_free(struct line *ln)
{
	net_free(ln->net);
	CU_ASSERT_EQUAL(pkt_live(ln->sim), 0);	/* nothing leaked */
	sim_free(ln->sim);
}

/* --- a UDP receiver that records arrival times --- */

struct rx_log {
	sim_time at[2000];
	uint32_t len[2000];
	int n;
};

static void
rx_record(struct node *n, struct pkt *p, const struct wire_frame *f, void *ctx)
{
	struct rx_log *log = ctx;
	struct sim *sim = net_sim(node_net(n));

	if (log->n < 2000) {
		log->at[log->n] = sim_now(sim);
		log->len[log->n++] = f->payload_len;
	}
	pkt_free(sim, p);
}

static void
send_udp(struct node *from, uint32_t dst, uint32_t payload)
{
	struct sim *sim = net_sim(node_net(from));
	struct pkt *p = pkt_alloc(sim, 0);
	struct udp_hdr u = { .sport = 1000, .dport = 9 };
	uint32_t src = node_source_for(from, 0, dst);

	p->virt_len = payload;
	wire_push_udp(sim, p, &u, src, dst);
	node_send_ip(from, 0, p, src, dst, WIRE_IPPROTO_UDP, 64, 0);
}

static void
test_exact_timing_one_hop(void)
{
	struct link_params p = params(SIM_S(1) /* 1 Gbit/s */, SIM_MS(1));
	struct line ln;
	struct rx_log log = { .n = 0 };
	/* 1000 B payload + 8 UDP + 20 IP + 14 Ethernet = 1042 B on the wire */
	const sim_time tx = 1042 * 8;	/* ns at 1 Gbit/s */

	line_build(&ln, 2, &p);
	node_bind_udp(ln.n[1], VRF_DEFAULT, 9, rx_record, NULL, &log);
	send_udp(ln.n[0], ip("10.0.0.2"), 1000);
	send_udp(ln.n[0], ip("10.0.0.2"), 1000);	/* queues behind */
	sim_run(ln.sim);
	CU_ASSERT_EQUAL_FATAL(log.n, 2);
	CU_ASSERT_EQUAL(log.at[0], tx + SIM_MS(1));
	CU_ASSERT_EQUAL(log.at[1], 2 * tx + SIM_MS(1));
	CU_ASSERT_EQUAL(log.len[0], 1000);
	CU_ASSERT_EQUAL(link_get_stats(ln.l[0], 0)->tx_bytes, 2 * 1042);
	line_free(&ln);
}

static void
test_exact_timing_rounding_and_hops(void)
{
	/* 3 Mbit/s: 1042*8/3e6 s = 2778.666.. us, rounded up per hop. */
	struct link_params p = params(3000000, SIM_US(7));
	struct line ln;
	struct rx_log log = { .n = 0 };
	const sim_time tx = (1042LL * 8 * 1000000000LL + 3000000 - 1) / 3000000;

	line_build(&ln, 4, &p);
	node_bind_udp(ln.n[3], VRF_DEFAULT, 9, rx_record, NULL, &log);
	send_udp(ln.n[0], ip("10.0.2.2"), 1000);
	sim_run(ln.sim);
	CU_ASSERT_EQUAL_FATAL(log.n, 1);
	CU_ASSERT_EQUAL(tx, 2778667);
	CU_ASSERT_EQUAL(log.at[0], 3 * (tx + SIM_US(7)));
	line_free(&ln);
}

static void
test_asymmetric_directions(void)
{
	struct link_params p = params(SIM_S(1), SIM_MS(1));
	struct line ln;
	struct rx_log a = { .n = 0 }, b = { .n = 0 };

	p.dir[1].rate_bps = 100000000;	/* b->a 100 Mbit/s */
	p.dir[1].delay = SIM_MS(3);
	line_build(&ln, 2, &p);
	node_bind_udp(ln.n[1], VRF_DEFAULT, 9, rx_record, NULL, &b);
	node_bind_udp(ln.n[0], VRF_DEFAULT, 9, rx_record, NULL, &a);
	send_udp(ln.n[0], ip("10.0.0.2"), 1000);
	send_udp(ln.n[1], ip("10.0.0.1"), 1000);
	sim_run(ln.sim);
	CU_ASSERT_EQUAL(b.at[0], 1042 * 8 + SIM_MS(1));
	CU_ASSERT_EQUAL(a.at[0], 1042 * 80 + SIM_MS(3));
	line_free(&ln);
}

static void
test_queue_limits(void)
{
	struct link_params p = params(SIM_S(1), SIM_US(10));
	struct line ln;
	struct rx_log log = { .n = 0 };
	int i;

	p.qlimit_pkts = 10;
	line_build(&ln, 2, &p);
	node_bind_udp(ln.n[1], VRF_DEFAULT, 9, rx_record, NULL, &log);
	/* 1 goes straight onto the wire, 10 wait, 9 are dropped */
	for (i = 0; i < 20; i++)
		send_udp(ln.n[0], ip("10.0.0.2"), 1000);
	sim_run(ln.sim);
	CU_ASSERT_EQUAL(log.n, 11);
	CU_ASSERT_EQUAL(link_get_stats(ln.l[0], 0)->drops[DROP_QUEUE_FULL], 9);
	CU_ASSERT_EQUAL(link_get_stats(ln.l[0], 0)->max_qpkts, 10);
	for (i = 1; i < log.n; i++)	/* back to back */
		CU_ASSERT_EQUAL(log.at[i] - log.at[i - 1], 1042 * 8);
	line_free(&ln);

	/* Byte limit: 3 frames of 1042 B fit in 3200 B, the 4th does not. */
	p.qlimit_pkts = 0;
	p.qlimit_bytes = 3200;
	line_build(&ln, 2, &p);
	log.n = 0;
	node_bind_udp(ln.n[1], VRF_DEFAULT, 9, rx_record, NULL, &log);
	for (i = 0; i < 6; i++)
		send_udp(ln.n[0], ip("10.0.0.2"), 1000);
	sim_run(ln.sim);
	CU_ASSERT_EQUAL(log.n, 4);
	CU_ASSERT_EQUAL(link_get_stats(ln.l[0], 0)->drops[DROP_QUEUE_FULL], 2);
	line_free(&ln);
}

static void
test_link_down_drops(void)
{
	struct link_params p = params(SIM_S(1), SIM_MS(1));
	struct line ln;
	struct rx_log log = { .n = 0 };
	int i;

	line_build(&ln, 2, &p);
	node_bind_udp(ln.n[1], VRF_DEFAULT, 9, rx_record, NULL, &log);
	for (i = 0; i < 5; i++)	/* 1 in flight, 4 queued */
		send_udp(ln.n[0], ip("10.0.0.2"), 1000);
	link_schedule_state(ln.l[0], SIM_US(20), false);
	link_schedule_state(ln.l[0], SIM_MS(5), true);
	sim_run_until(ln.sim, SIM_MS(2));
	/* 2 left (at 0 and 8.3 us) before the cut; 1 was on the wire; 2 queued */
	CU_ASSERT_EQUAL(log.n, 0);
	CU_ASSERT_EQUAL(link_get_stats(ln.l[0], 0)->drops[DROP_LINK_DOWN], 5);
	send_udp(ln.n[0], ip("10.0.0.2"), 1000);	/* sent while down */
	CU_ASSERT_EQUAL(link_get_stats(ln.l[0], 0)->drops[DROP_LINK_DOWN], 6);
	CU_ASSERT_FALSE(link_is_up(ln.l[0]));
	sim_run_until(ln.sim, SIM_MS(6));
	CU_ASSERT_TRUE(link_is_up(ln.l[0]));
	send_udp(ln.n[0], ip("10.0.0.2"), 1000);
	sim_run(ln.sim);
	CU_ASSERT_EQUAL(log.n, 1);
	CU_ASSERT_EQUAL(log.at[0], SIM_MS(6) + 1042 * 8 + SIM_MS(1));
	line_free(&ln);
}

static void
test_loss_models(void)
{
	static const struct {
		const char *what;
		struct link_loss loss;
		int lo, hi;	/* received out of 2000 */
	} rows[] = {
		{ "no loss", { .kind = LINK_LOSS_NONE }, 2000, 2000 },
		{ "bernoulli 0", { .kind = LINK_LOSS_BERNOULLI, .p = 0 }, 2000, 2000 },
		{ "bernoulli 1", { .kind = LINK_LOSS_BERNOULLI, .p = 1 }, 0, 0 },
		{ "bernoulli 0.25", { .kind = LINK_LOSS_BERNOULLI, .p = 0.25 }, 1400, 1600 },
		/* stationary bad share 0.1/(0.1+0.3) = 0.25, all lost there */
		{ "gilbert-elliott", { .kind = LINK_LOSS_GE, .p_gb = 0.1,
		    .p_bg = 0.3, .loss_good = 0, .loss_bad = 1 }, 1350, 1650 },
	};
	size_t r;

	for (r = 0; r < sizeof(rows) / sizeof(rows[0]); r++) {
		struct link_params p = params(SIM_S(10), SIM_US(1));
		struct line ln;
		struct rx_log log = { .n = 0 };
		int i, lost;

		p.qlimit_pkts = 0;
		p.dir[0].loss = rows[r].loss;
		line_build(&ln, 2, &p);
		node_bind_udp(ln.n[1], VRF_DEFAULT, 9, rx_record, NULL, &log);
		for (i = 0; i < 2000; i++)
			send_udp(ln.n[0], ip("10.0.0.2"), 100);
		sim_run(ln.sim);
		lost = (int)link_get_stats(ln.l[0], 0)->drops[DROP_LOSS];
		if (log.n < rows[r].lo || log.n > rows[r].hi)
			fprintf(stderr, "%s: %d received\n", rows[r].what,
			    log.n);
		CU_ASSERT(log.n >= rows[r].lo && log.n <= rows[r].hi);
		CU_ASSERT_EQUAL(log.n + lost, 2000);
		line_free(&ln);
	}
}

static void
test_ping_rtt_exact(void)
{
	struct link_params p = params(SIM_S(1), SIM_US(100));
	struct line ln;
	struct ping_cfg c = { .start = SIM_MS(1), .interval = SIM_MS(10),
	    .timeout = SIM_S(1), .count = 3, .size = 56, .ttl = 64,
	    .ident = 1 };
	struct app *a;
	/* echo: 56 + 8 ICMP + 20 IP + 14 Eth = 98 B; 784 ns per hop at 1G */
	const sim_time rtt = 2 * 3 * (98 * 8 + SIM_US(100));
	size_t i;

	line_build(&ln, 4, &p);
	c.dst = ip("10.0.2.2");
	a = ping_new(ln.n[0], "p", &c);
	app_start(a);
	sim_run(ln.sim);
	CU_ASSERT_EQUAL_FATAL(ping_n_probes(a), 3);
	for (i = 0; i < 3; i++) {
		CU_ASSERT_EQUAL(ping_probe(a, i)->result, PROBE_REPLY);
		CU_ASSERT_EQUAL(ping_probe(a, i)->rtt, rtt);
		CU_ASSERT_EQUAL(ping_probe(a, i)->sent,
		    SIM_MS(1) + (sim_time)i * SIM_MS(10));
	}
	app_free(a);
	/*
	 * An empty echo is a 42-byte frame, padded to Ethernet's 60 on every
	 * hop; the padding is stripped on receipt, so the reply is no bigger.
	 */
	c.size = 0;
	c.ident = 2;
	a = ping_new(ln.n[0], "tiny", &c);
	app_start(a);
	sim_run(ln.sim);
	for (i = 0; i < 3; i++) {
		CU_ASSERT_EQUAL(ping_probe(a, i)->result, PROBE_REPLY);
		CU_ASSERT_EQUAL(ping_probe(a, i)->rtt,
		    2 * 3 * (60 * 8 + SIM_US(100)));
	}
	CU_ASSERT_EQUAL(link_get_stats(ln.l[2], 1)->tx_bytes,
	    3 * 98 + 3 * 60);	/* replies of both pings on the last hop */
	app_free(a);
	line_free(&ln);
}

static void
test_ttl_and_unreachable(void)
{
	struct link_params p = params(SIM_S(1), SIM_US(100));
	struct line ln;
	struct ping_cfg c = { .start = 0, .interval = SIM_MS(10),
	    .timeout = SIM_S(1), .count = 1, .size = 56, .ident = 1 };
	struct app *ttl2, *noroute;
	char err[128];

	line_build(&ln, 4, &p);
	c.dst = ip("10.0.2.2");
	c.ttl = 2;	/* dies at n2, which answers from its left iface */
	ttl2 = ping_new(ln.n[0], "ttl2", &c);
	c.ttl = 64;
	c.ident = 2;
	c.dst = ip("192.0.2.1");	/* n0 default-routes 10/8 only */
	CU_ASSERT_EQUAL(node_add_route(ln.n[0], 0, 0, 0, ip("10.0.0.2"),
	    IFACE_NONE, err, sizeof(err)), 0);
	noroute = ping_new(ln.n[0], "noroute", &c);	/* n1 has no route */
	app_start(ttl2);
	app_start(noroute);
	sim_run(ln.sim);
	CU_ASSERT_EQUAL(ping_probe(ttl2, 0)->result, PROBE_TIME_EXCEEDED);
	CU_ASSERT_EQUAL(ping_probe(ttl2, 0)->from, ip("10.0.1.2"));
	CU_ASSERT_EQUAL(ping_probe(noroute, 0)->result, PROBE_UNREACHABLE);
	CU_ASSERT_EQUAL(ping_probe(noroute, 0)->icmp_code, WIRE_ICMP_UNREACH_NET);
	CU_ASSERT_EQUAL(ping_probe(noroute, 0)->from, ip("10.0.0.2"));
	app_free(ttl2);
	app_free(noroute);
	line_free(&ln);
}

static void
test_mtu_need_frag(void)
{
	struct link_params p = params(SIM_S(1), SIM_US(100));
	struct line ln;
	struct ping_cfg c = { .timeout = SIM_S(1), .count = 1, .size = 1400,
	    .ttl = 64, .df = true, .ident = 1, .interval = SIM_S(1) };
	struct app *a;

	/* h0 -(1500)- r1 -(1280)- h2 */
	{
		struct link_params small = params(SIM_S(1), SIM_US(100));

		small.mtu = 1280;
		ln.sim = sim_new(1);
		ln.net = net_new(ln.sim);
		ln.n[0] = net_add_node(ln.net, "h0", "host", NULL, NULL);
		ln.n[1] = net_add_node(ln.net, "r1", "router", NULL, NULL);
		ln.n[2] = net_add_node(ln.net, "h2", "host", NULL, NULL);
		net_add_link(ln.net, "a", ln.n[0], node_add_iface(ln.n[0], "e0",
		    NULL, ip("10.0.0.1"), 24, 0), ln.n[1], node_add_iface(ln.n[1],
		    "e0", NULL, ip("10.0.0.2"), 24, 0), &p);
		net_add_link(ln.net, "b", ln.n[1], node_add_iface(ln.n[1], "e1",
		    NULL, ip("10.0.1.1"), 24, 0), ln.n[2], node_add_iface(ln.n[2],
		    "e0", NULL, ip("10.0.1.2"), 24, 0), &small);
		node_add_route(ln.n[0], 0, 0, 0, ip("10.0.0.2"), IFACE_NONE,
		    NULL, 0);
		node_add_route(ln.n[2], 0, 0, 0, ip("10.0.1.1"), IFACE_NONE,
		    NULL, 0);
	}
	c.dst = ip("10.0.1.2");
	a = ping_new(ln.n[0], "big", &c);
	app_start(a);
	sim_run(ln.sim);
	CU_ASSERT_EQUAL(ping_probe(a, 0)->result, PROBE_UNREACHABLE);
	CU_ASSERT_EQUAL(ping_probe(a, 0)->icmp_code, WIRE_ICMP_UNREACH_NEEDFRAG);
	CU_ASSERT_EQUAL(ping_probe(a, 0)->from, ip("10.0.0.2"));
	app_free(a);
	/* Too big for the first link with DF: the sender learns at once. */
	c.size = 2000;
	c.ident = 2;
	a = ping_new(ln.n[0], "huge-df", &c);
	app_start(a);
	sim_run(ln.sim);
	CU_ASSERT_EQUAL(ping_probe(a, 0)->result, PROBE_SEND_FAILED);
	CU_ASSERT_EQUAL(node_drops(ln.n[0])[DROP_MTU], 1);
	app_free(a);
	/*
	 * Without DF it is fragmented: 2008 payload bytes leave h0 as
	 * 1480 + 528, r1 splits the 1480 again for the 1280 link
	 * (1256 + 224), h2 reassembles and its reply leaves as 1256 + 752,
	 * which fit the 1500 link back to h0.
	 */
	c.df = false;
	c.ident = 3;
	a = ping_new(ln.n[0], "huge", &c);
	app_start(a);
	sim_run(ln.sim);
	CU_ASSERT_EQUAL(ping_probe(a, 0)->result, PROBE_REPLY);
	CU_ASSERT_EQUAL(link_get_stats(net_find_link(ln.net, "b"), 0)->tx_pkts,
	    3);
	CU_ASSERT_EQUAL(link_get_stats(net_find_link(ln.net, "b"), 1)->tx_pkts,
	    2);		/* the reply: 1256 + 752 */
	CU_ASSERT_EQUAL(link_get_stats(net_find_link(ln.net, "a"), 1)->tx_pkts,
	    3);		/* the need-frag from before, then 1256 + 752 */
	app_free(a);
	line_free(&ln);
}

static void
test_vlan_tags(void)
{
	struct link_params p = params(SIM_S(1), SIM_US(5));
	struct line ln;
	struct rx_log log = { .n = 0 };

	/* Matching QinQ on both ends: delivered. */
	line_build(&ln, 2, &p);
	node_iface_set_vlan(ln.n[0], 0, 100, 200);
	node_iface_set_vlan(ln.n[1], 0, 100, 200);
	node_bind_udp(ln.n[1], VRF_DEFAULT, 9, rx_record, NULL, &log);
	send_udp(ln.n[0], ip("10.0.0.2"), 100);
	sim_run(ln.sim);
	CU_ASSERT_EQUAL(log.n, 1);
	/* 8 more bytes on the wire for the two tags */
	CU_ASSERT_EQUAL(log.at[0], (100 + 8 + 20 + 14 + 8) * 8 + SIM_US(5));
	/* Mismatched C-tag: dropped at the receiver with the VLAN reason. */
	node_iface_set_vlan(ln.n[1], 0, 100, 201);
	send_udp(ln.n[0], ip("10.0.0.2"), 100);
	sim_run(ln.sim);
	CU_ASSERT_EQUAL(log.n, 1);
	line_free(&ln);
}

static void
test_traceroute_path(void)
{
	struct link_params p = params(SIM_S(1), SIM_US(50));
	struct line ln;
	struct traceroute_cfg c = { .timeout = SIM_S(1), .max_hops = 10,
	    .probes = 3, .ident = 1 };
	struct app *a;
	uint32_t hops[16];
	size_t n;

	line_build(&ln, 5, &p);
	c.dst = ip("10.0.3.2");
	a = traceroute_new(ln.n[0], "tr", &c);
	app_start(a);
	sim_run(ln.sim);
	CU_ASSERT_TRUE(traceroute_done(a));
	n = traceroute_path(a, hops, 16);
	CU_ASSERT_EQUAL_FATAL(n, 4);
	CU_ASSERT_EQUAL(hops[0], ip("10.0.0.2"));
	CU_ASSERT_EQUAL(hops[1], ip("10.0.1.2"));
	CU_ASSERT_EQUAL(hops[2], ip("10.0.2.2"));
	CU_ASSERT_EQUAL(hops[3], ip("10.0.3.2"));
	CU_ASSERT_EQUAL(traceroute_n_probes(a), 12);
	CU_ASSERT_EQUAL(traceroute_probe(a, 11)->result, PROBE_REPLY);
	app_free(a);
	line_free(&ln);
}

static void
test_udp_cbr_to_sink(void)
{
	struct link_params p = params(SIM_S(10), SIM_US(500));
	struct line ln;
	struct udp_cbr_cfg c = { .dport = 9, .start = 0,
	    .interval = SIM_US(8), .count = 1000, .size = 1000, .ident = 1 };
	struct app *src, *sink;

	line_build(&ln, 6, &p);
	c.dst = ip("10.0.4.2");
	src = udp_cbr_new(ln.n[0], "cbr", &c);
	sink = udp_sink_new(ln.n[5], "sink", 9);
	app_start(sink);
	app_start(src);
	sim_run(ln.sim);
	CU_ASSERT_EQUAL(udp_cbr_sent(src), 1000);
	CU_ASSERT_EQUAL(udp_sink_received(sink), 1000);
	CU_ASSERT_EQUAL(udp_sink_bytes(sink), 1000 * 1000);
	app_free(src);
	app_free(sink);
	line_free(&ln);
}

static void
test_local_delivery_never_on_a_wire(void)
{
	struct link_params p = params(SIM_S(1), SIM_US(100));
	struct line ln;
	struct ping_cfg c = { .start = SIM_MS(1), .interval = SIM_MS(1),
	    .timeout = SIM_S(1), .count = 2, .size = 56, .ttl = 64,
	    .ident = 1 };
	struct app *a;

	line_build(&ln, 2, &p);
	c.dst = ip("10.0.0.1");		/* n0's own address */
	a = ping_new(ln.n[0], "self", &c);
	app_start(a);
	sim_run(ln.sim);
	CU_ASSERT_EQUAL(ping_probe(a, 0)->result, PROBE_REPLY);
	CU_ASSERT_EQUAL(ping_probe(a, 0)->rtt, 0);
	CU_ASSERT_EQUAL(ping_probe(a, 1)->result, PROBE_REPLY);
	CU_ASSERT_EQUAL(link_get_stats(ln.l[0], 0)->tx_pkts, 0);
	CU_ASSERT_EQUAL(link_get_stats(ln.l[0], 1)->tx_pkts, 0);
	app_free(a);
	line_free(&ln);
}

/* Send a UDP datagram with an arbitrary source, as a misbehaving host would. */
static void
send_udp_from(struct node *from, uint32_t src, uint32_t dst, uint8_t ttl)
{
	struct sim *sim = net_sim(node_net(from));
	struct pkt *p = pkt_alloc(sim, 0);
	struct udp_hdr u = { .sport = 1000, .dport = 4242 };

	p->virt_len = 10;
	wire_push_udp(sim, p, &u, src, dst);
	node_send_ip(from, 0, p, src, dst, WIRE_IPPROTO_UDP, ttl, 0);
}

static void
test_no_icmp_about_multicast_broadcast_or_martians(void)
{
	static const struct {
		const char *what, *src, *dst;
		uint8_t ttl;
		int errors;	/* ICMP errors expected back at n0's link */
	} rows[] = {
		{ "unicast, TTL expires at n1", "10.0.0.1", "10.0.1.2", 1, 1 },
		{ "unicast to a closed port", "10.0.0.1", "10.0.1.2", 64, 1 },
		{ "multicast destination", "10.0.0.1", "224.0.0.5", 1, 0 },
		{ "limited broadcast", "10.0.0.1", "255.255.255.255", 1, 0 },
		{ "class E destination", "10.0.0.1", "240.0.0.1", 1, 0 },
		{ "loopback source", "127.0.0.1", "10.0.1.2", 1, 0 },
		{ "multicast source", "224.1.1.1", "10.0.1.2", 1, 0 },
		{ "directed broadcast of n1's subnet", "10.0.0.1", "10.0.0.255", 1, 0 },
	};
	size_t r;

	for (r = 0; r < sizeof(rows) / sizeof(rows[0]); r++) {
		struct link_params p = params(SIM_S(1), SIM_US(10));
		struct line ln;
		char err[64];

		line_build(&ln, 3, &p);
		node_add_route(ln.n[0], 0, 0, 0, ip("10.0.0.2"), IFACE_NONE,
		    err, sizeof(err));
		node_add_route(ln.n[1], 0, 0, 0, ip("10.0.1.2"), IFACE_NONE,
		    err, sizeof(err));
		send_udp_from(ln.n[0], ip(rows[r].src), ip(rows[r].dst),
		    rows[r].ttl);
		sim_run(ln.sim);
		if ((int)link_get_stats(ln.l[0], 1)->tx_pkts != rows[r].errors)
			fprintf(stderr, "%s: %llu ICMP back\n", rows[r].what,
			    (unsigned long long)link_get_stats(ln.l[0], 1)->tx_pkts);
		CU_ASSERT_EQUAL(link_get_stats(ln.l[0], 1)->tx_pkts,
		    (uint64_t)rows[r].errors);
		line_free(&ln);
	}
}

struct icmp_seen {
	uint32_t from;
	uint8_t type, code;
	int n;
};

static bool
seen_icmp(struct node *n, struct pkt *p, const struct wire_frame *f,
    void *ctx)
{
	struct icmp_seen *s = ctx;

	s->from = f->ip.src;
	s->type = f->icmp.type;
	s->code = f->icmp.code;
	s->n++;
	pkt_free(net_sim(node_net(n)), p);
	return true;
}

static void
test_port_unreachable_from_the_probed_address(void)
{
	struct link_params p = params(SIM_S(1), SIM_US(10));
	struct line ln;
	struct icmp_seen s = { 0 };

	/* n2 answers from 10.0.1.2 even though its route back is elsewhere */
	line_build(&ln, 3, &p);
	node_add_icmp_listener(ln.n[0], seen_icmp, &s);
	send_udp_from(ln.n[0], ip("10.0.0.1"), ip("10.0.1.2"), 64);
	sim_run(ln.sim);
	CU_ASSERT_EQUAL(s.n, 1);
	CU_ASSERT_EQUAL(s.type, WIRE_ICMP_UNREACH);
	CU_ASSERT_EQUAL(s.code, WIRE_ICMP_UNREACH_PORT);
	CU_ASSERT_EQUAL(s.from, ip("10.0.1.2"));
	line_free(&ln);
}

static void
test_hosts_do_not_forward(void)
{
	struct link_params p = params(SIM_S(1), SIM_US(10));
	struct line ln;
	struct rx_log log = { .n = 0 };

	line_build(&ln, 3, &p);
	node_bind_udp(ln.n[2], VRF_DEFAULT, 9, rx_record, NULL, &log);
	node_set_forwarding(ln.n[1], false);	/* n1 is a host now */
	send_udp(ln.n[0], ip("10.0.1.2"), 100);
	sim_run(ln.sim);
	CU_ASSERT_EQUAL(log.n, 0);
	CU_ASSERT_EQUAL(node_drops(ln.n[1])[DROP_NOT_ROUTER], 1);
	CU_ASSERT_EQUAL(link_get_stats(ln.l[0], 1)->tx_pkts, 0);  /* no ICMP */
	node_set_forwarding(ln.n[1], true);
	send_udp(ln.n[0], ip("10.0.1.2"), 100);
	sim_run(ln.sim);
	CU_ASSERT_EQUAL(log.n, 1);
	line_free(&ln);
}

static void
test_utilization_counts_only_elapsed_time(void)
{
	struct link_params p = params(1000, 0);	/* 1 kbit/s */
	struct line ln;
	struct rx_log log = { .n = 0 };

	line_build(&ln, 2, &p);
	/* bound: no ICMP comes back */
	node_bind_udp(ln.n[1], VRF_DEFAULT, 9, rx_record, NULL, &log);
	send_udp(ln.n[0], ip("10.0.0.2"), 83);	/* 125 B: 1 s on the wire */
	sim_run_until(ln.sim, SIM_MS(250));
	CU_ASSERT_DOUBLE_EQUAL(link_utilization(ln.l[0], 0, SIM_MS(250)), 1.0,
	    1e-9);
	sim_run_until(ln.sim, SIM_S(4));
	CU_ASSERT_DOUBLE_EQUAL(link_utilization(ln.l[0], 0, SIM_S(4)), 0.25,
	    1e-9);
	CU_ASSERT_DOUBLE_EQUAL(link_utilization(ln.l[0], 1, SIM_S(4)), 0.0,
	    1e-9);
	line_free(&ln);
}

static void
test_app_free_mid_run(void)
{
	struct link_params p = params(SIM_S(1), SIM_MS(1));
	struct line ln;
	struct ping_cfg c = { .start = 0, .interval = SIM_MS(1),
	    .timeout = SIM_MS(500), .count = 0, .size = 56, .ttl = 64,
	    .ident = 1 };
	struct traceroute_cfg tc = { .timeout = SIM_S(1), .max_hops = 5,
	    .probes = 3, .ident = 2 };
	struct app *a, *t, *sink;
	size_t pending;

	line_build(&ln, 3, &p);
	c.dst = ip("10.0.1.2");
	tc.dst = ip("10.0.1.2");
	a = ping_new(ln.n[0], "p", &c);
	t = traceroute_new(ln.n[0], "t", &tc);
	sink = udp_sink_new(ln.n[2], "s", 9);
	app_start(a);
	app_start(t);
	app_start(sink);
	sim_run_until(ln.sim, SIM_US(4500));	/* replies still in flight */
	pending = sim_pending(ln.sim);
	app_free(a);
	app_free(t);
	app_free(sink);
	/* their timers and next sends are gone; only packets remain */
	CU_ASSERT_TRUE(sim_pending(ln.sim) < pending);
	sim_run(ln.sim);	/* replies reach a node with no listeners */
	CU_ASSERT_TRUE(node_drops(ln.n[0])[DROP_NO_LISTENER] > 0);
	send_udp(ln.n[0], ip("10.0.1.2"), 10);	/* port 9 no longer bound */
	sim_run(ln.sim);
	CU_ASSERT_EQUAL(node_drops(ln.n[2])[DROP_NO_LISTENER], 1);
	line_free(&ln);
}

/*
 * Names are hashed: every one of 50,000 nodes is found by its name, names
 * that differ in one character or are prefixes of others are told apart,
 * and unknown names are not found. (Checks results, not time.)
 */
static void
test_find_node_by_name_many(void)
{
	struct sim *sim = sim_new(1);
	struct net *net = net_new(sim);
	char name[32];
	uint32_t i;

	CU_ASSERT_PTR_NULL(net_find_node(net, "n0"));	/* empty net */
	for (i = 0; i < 50000; i++) {
		snprintf(name, sizeof(name), "n%u", i);
		CU_ASSERT_EQUAL_FATAL(node_id(net_add_node(net, name, NULL,
		    NULL, NULL)), i);
	}
	CU_ASSERT_EQUAL(net_n_nodes(net), 50000);
	for (i = 0; i < 50000; i++) {
		struct node *n;

		snprintf(name, sizeof(name), "n%u", i);
		n = net_find_node(net, name);
		CU_ASSERT_PTR_NOT_NULL_FATAL(n);
		CU_ASSERT_EQUAL(node_id(n), i);
		CU_ASSERT_STRING_EQUAL(node_name(n), name);
	}
	CU_ASSERT_PTR_NULL(net_find_node(net, "n50000"));
	CU_ASSERT_PTR_NULL(net_find_node(net, "n"));
	CU_ASSERT_PTR_NULL(net_find_node(net, ""));
	CU_ASSERT_PTR_NULL(net_find_node(net, "n00"));
	CU_ASSERT_PTR_NULL(net_find_node(net, "N1"));
	net_free(net);
	sim_free(sim);
}

/*
 * Links by name and nodes by address are indexed too (the enterprise
 * scenarios have tens of thousands): 20,000 links on a chain of 20,001
 * nodes are each found by name, every numbered address finds its node, an
 * address numbered on two nodes (two VRFs, overlapping clouds) belongs to
 * the lower node id whichever was numbered first, and unnumbered or unknown
 * addresses find nothing.
 */
static void
test_find_link_and_addr_many(void)
{
	struct link_params p = params(SIM_S(1), SIM_US(1));
	struct sim *sim = sim_new(1);
	struct net *net = net_new(sim);
	struct node *prev, *n, *late;
	char name[32];
	uint32_t i, ia, ib;

	CU_ASSERT_PTR_NULL(net_find_link(net, "l0"));
	CU_ASSERT_PTR_NULL(net_node_by_addr(net, 0x0a000001));
	prev = net_add_node(net, "n0", NULL, NULL, NULL);
	for (i = 1; i <= 20000; i++) {
		snprintf(name, sizeof(name), "n%u", i);
		n = net_add_node(net, name, NULL, NULL, NULL);
		/* 10.i.i/31-ish: a /30 per link, .1 on the left, .2 on the right */
		ia = node_add_iface(prev, "right", NULL, 0x0a000000u + 4 * i + 1,
		    30, VRF_DEFAULT);
		ib = node_add_iface(n, "left", NULL, 0x0a000000u + 4 * i + 2, 30,
		    VRF_DEFAULT);
		snprintf(name, sizeof(name), "l%u", i);
		CU_ASSERT_PTR_NOT_NULL_FATAL(net_add_link(net, name, prev, ia, n,
		    ib, &p));
		prev = n;
	}
	for (i = 1; i <= 20000; i++) {
		struct link *l;

		snprintf(name, sizeof(name), "l%u", i);
		l = net_find_link(net, name);
		CU_ASSERT_PTR_NOT_NULL_FATAL(l);
		CU_ASSERT_EQUAL(link_id(l), i - 1);
		CU_ASSERT_PTR_EQUAL(net_node_by_addr(net, 0x0a000000u + 4 * i + 1),
		    net_node(net, i - 1));
		CU_ASSERT_PTR_EQUAL(net_node_by_addr(net, 0x0a000000u + 4 * i + 2),
		    net_node(net, i));
	}
	CU_ASSERT_PTR_NULL(net_find_link(net, "l0"));
	CU_ASSERT_PTR_NULL(net_find_link(net, "l20001"));
	CU_ASSERT_PTR_NULL(net_node_by_addr(net, 0x0a000000u + 3));
	/* A later interface on a higher node reuses 10.0.0.5: node 0 keeps it. */
	late = net_find_node(net, "n7");
	node_add_iface(late, "dup", NULL, 0x0a000005u, 24, node_vrf(late, "other"));
	CU_ASSERT_PTR_EQUAL(net_node_by_addr(net, 0x0a000005u), net_node(net, 0));
	/* ... and one on node 0 claims an address node 9 numbered first. */
	node_add_iface(net_node(net, 0), "dup", NULL, 0x0a000000u + 4 * 9 + 2,
	    24, node_vrf(net_node(net, 0), "other"));
	CU_ASSERT_PTR_EQUAL(net_node_by_addr(net, 0x0a000000u + 4 * 9 + 2),
	    net_node(net, 0));
	/* Unnumbered interfaces own nothing. */
	node_add_iface(late, "unnumbered", NULL, 0, 0, VRF_DEFAULT);
	CU_ASSERT_PTR_NULL(net_node_by_addr(net, 0));
	net_free(net);
	sim_free(sim);
}

static int
send_udp_ex(struct node *from, uint32_t dst, uint16_t dport, uint32_t payload,
    uint8_t ttl, uint16_t frag)
{
	struct sim *sim = net_sim(node_net(from));
	struct pkt *p = pkt_alloc(sim, 0);
	struct udp_hdr u = { .sport = 1000, .dport = dport };
	uint32_t src = node_source_for(from, 0, dst);

	p->virt_len = payload;
	wire_push_udp(sim, p, &u, src ? src : ip("10.0.0.1"), dst);
	return node_send_ip(from, 0, p, src, dst, WIRE_IPPROTO_UDP, ttl, frag);
}

/*
 * Every drop record gives the length of the IPv4 datagram, whatever layer
 * the packet died at: padded on a link, framed with or without padding at
 * a node, at its IPv4 header, or not yet given one. A 10-byte UDP datagram
 * is 38 bytes at every one of them (its frame: 60).
 */
static void
test_drop_lengths(void)
{
	struct link_params p = params(SIM_S(1), SIM_MS(1));
	struct line ln;
	struct rx_log log = { .n = 0 };
	struct trace *tr;
	struct trace_reader *rd;
	struct trace_rec rec;
	char path[] = "/tmp/xcsim-test-drops-XXXXXX", err[256], got[1024];
	size_t used = 0;
	int fd, i;

	p.qlimit_pkts = 2;
	line_build(&ln, 3, &p);
	fd = mkstemp(path);
	CU_ASSERT_FATAL(fd >= 0);
	close(fd);
	tr = trace_open(path, 0, err, sizeof(err));
	CU_ASSERT_PTR_NOT_NULL_FATAL(tr);
	net_set_trace(ln.net, tr);
	node_bind_udp(ln.n[2], VRF_DEFAULT, 9, rx_record, NULL, &log);

	/* on a link: one on the wire, two queued, the fourth refused */
	for (i = 0; i < 4; i++)
		send_udp_ex(ln.n[0], ip("10.0.1.2"), 9, 10, 64, 0);
	sim_run(ln.sim);
	CU_ASSERT_EQUAL(log.n, 3);
	/* at n2's closed port, then its port unreachable at n0: 20 + 8 + 28 */
	send_udp_ex(ln.n[0], ip("10.0.1.2"), 7, 10, 64, 0);
	sim_run(ln.sim);
	/* TTL at n1, at its IPv4 header; time exceeded back at n0 */
	send_udp_ex(ln.n[0], ip("10.0.1.2"), 9, 10, 1, 0);
	sim_run(ln.sim);
	/* not yet given its IPv4 header: no route */
	CU_ASSERT_EQUAL(send_udp_ex(ln.n[0], ip("192.0.2.1"), 9, 10, 64, 0),
	    -1);
	/* too big for its own first hop: 1500 + 8 + 20 */
	CU_ASSERT_EQUAL(send_udp_ex(ln.n[0], ip("10.0.1.2"), 9, 1500, 64,
	    WIRE_IPV4_DF), -1);
	sim_run(ln.sim);
	/* a whole frame, padding and all, refused by n2's VLAN check */
	node_iface_set_vlan(ln.n[2], 0, 0, 100);
	send_udp_ex(ln.n[0], ip("10.0.1.2"), 9, 10, 64, 0);
	sim_run(ln.sim);
	/* in flight on l0 when it goes down: 1000 + 8 + 20 */
	send_udp_ex(ln.n[0], ip("10.0.1.2"), 9, 1000, 64, 0);
	sim_run_until(ln.sim, sim_now(ln.sim) + SIM_US(100));
	link_set_up(ln.l[0], false);
	sim_run(ln.sim);

	CU_ASSERT_EQUAL_FATAL(trace_close(tr, err, sizeof(err)), 0);
	net_set_trace(ln.net, NULL);
	rd = trace_reader_open(path, err, sizeof(err));
	CU_ASSERT_PTR_NOT_NULL_FATAL(rd);
	got[0] = '\0';
	while (trace_reader_next(rd, &rec, err, sizeof(err)) == 1) {
		if (rec.type != TR_PKT_DROP)
			continue;
		used += (size_t)snprintf(got + used, sizeof(got) - used,
		    "%s %u %u\n", trace_drop_name[rec.u.drop.reason],
		    rec.u.drop.node, rec.u.drop.len);
		CU_ASSERT_FATAL(used < sizeof(got));
	}
	trace_reader_close(rd);
	unlink(path);
	CU_ASSERT_STRING_EQUAL(got,
	    "queue_full 0 38\n"
	    "no_listener 2 38\n"
	    "no_listener 0 56\n"
	    "ttl 1 38\n"
	    "no_listener 0 56\n"
	    "no_route 0 38\n"
	    "mtu 0 1528\n"
	    "vlan 2 38\n"
	    "link_down 1 1028\n");
	line_free(&ln);
}

/*
 * A link whose MTU leaves no room for 8 bytes of payload cannot carry a
 * fragment: the packet is dropped for its MTU and recorded, not freed in
 * silence (the loader refuses such MTUs; the API does not).
 */
static void
test_mtu_too_small_to_fragment(void)
{
	struct link_params p = params(SIM_S(1), SIM_MS(1));
	struct line ln;

	p.mtu = 24;
	line_build(&ln, 2, &p);
	CU_ASSERT_EQUAL(send_udp_ex(ln.n[0], ip("10.0.0.2"), 9, 100, 64, 0),
	    -1);
	CU_ASSERT_EQUAL(node_drops(ln.n[0])[DROP_MTU], 1);
	CU_ASSERT_EQUAL(link_get_stats(ln.l[0], 0)->tx_pkts, 0);
	line_free(&ln);
}

static const struct test_case cases[] = {
	{ "one hop: serialisation + propagation to the ns", test_exact_timing_one_hop },
	{ "three hops at 3 Mbit/s: rounding up per hop", test_exact_timing_rounding_and_hops },
	{ "per-direction rate and delay", test_asymmetric_directions },
	{ "drop-tail queue limits in packets and bytes", test_queue_limits },
	{ "link down drops queued, in-flight and new packets", test_link_down_drops },
	{ "bernoulli and gilbert-elliott loss", test_loss_models },
	{ "ping RTT over three hops is exact", test_ping_rtt_exact },
	{ "TTL expiry and no route answer with ICMP", test_ttl_and_unreachable },
	{ "DF packet over a smaller MTU gets need-frag", test_mtu_need_frag },
	{ "QinQ tags cost 8 bytes and must match", test_vlan_tags },
	{ "traceroute finds every hop", test_traceroute_path },
	{ "UDP CBR over five hops reaches its sink", test_udp_cbr_to_sink },
	{ "a ping to our own address loops back, never on a link", test_local_delivery_never_on_a_wire },
	{ "no ICMP errors about multicast, broadcast or martians", test_no_icmp_about_multicast_broadcast_or_martians },
	{ "port unreachable comes from the probed address", test_port_unreachable_from_the_probed_address },
	{ "hosts drop transit packets (not_router)", test_hosts_do_not_forward },
	{ "utilisation counts only elapsed transmission", test_utilization_counts_only_elapsed_time },
	{ "freeing apps mid-run cancels their events and hooks", test_app_free_mid_run },
	{ "50,000 nodes, each found by name", test_find_node_by_name_many },
	{ "20,000 links by name, nodes by address", test_find_link_and_addr_many },
	{ "every drop records its IPv4 datagram's length", test_drop_lengths },
	{ "an MTU too small to fragment for drops and says so", test_mtu_too_small_to_fragment },
	{ NULL, NULL }
};

int
main(int argc, char **argv)
{
	return test_main(argc, argv, "net", cases);
}
