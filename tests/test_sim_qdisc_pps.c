/*
 * test_sim_qdisc_pps.c - the packet-rate bucket of the shaper and the
 * policer (qdisc_params.rate_pps, burst_pkts): exact release times when
 * packets bind, which bucket binds when both could, the policer taking
 * tokens from both buckets or neither, a flood through a 100k pps shaper
 * (a gateway SKU's packets-per-second limit), and the scenario keys pps
 * and pps_burst with their default and checks. Every expected time is
 * worked out by hand in the comment above its test.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "apps.h"
#include "net.h"
#include "pkt.h"
#include "qdisc.h"
#include "scenario.h"
#include "scenario_run.h"
#include "scenario_testutil.h"
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

struct pair {
	struct sim *sim;
	struct net *net;
	struct node *a, *b;
	struct link *l;
};

#define LOG_MAX 64

struct rx_log {
	sim_time at[LOG_MAX];
	uint16_t tag[LOG_MAX];
	int n;
};

static void
rx_record(struct node *n, struct pkt *p, const struct wire_frame *f, void *ctx)
{
	struct rx_log *log = ctx;
	struct sim *sim = net_sim(node_net(n));

	if (log->n < LOG_MAX) {
		log->at[log->n] = sim_now(sim);
		log->tag[log->n] = f->udp.sport;
	}
	log->n++;
	pkt_free(sim, p);
}

static void
pair_build(struct pair *pr, uint64_t rate, const struct qdisc_params *q,
    struct rx_log *log)
{
	struct link_params p;
	uint32_t ia, ib;

	memset(&p, 0, sizeof(p));
	p.dir[0].rate_bps = p.dir[1].rate_bps = rate;
	p.mtu = 1500;
	p.qlimit_pkts = 1000;
	p.dir[0].qdisc = *q;
	pr->sim = sim_new(1);
	pr->net = net_new(pr->sim);
	pr->a = net_add_node(pr->net, "a", "host", NULL, NULL);
	pr->b = net_add_node(pr->net, "b", "host", NULL, NULL);
	ia = node_add_iface(pr->a, "eth0", NULL, ip("10.0.0.1"), 24, 0);
	ib = node_add_iface(pr->b, "eth0", NULL, ip("10.0.0.2"), 24, 0);
	pr->l = net_add_link(pr->net, "ab", pr->a, ia, pr->b, ib, &p);
	if (log != NULL)
		CU_ASSERT_EQUAL(node_bind_udp(pr->b, VRF_DEFAULT, 9, rx_record,
		    NULL, log), 0);
}

static void
pair_free(struct pair *pr)
{
	net_free(pr->net);
	CU_ASSERT_EQUAL(pkt_live(pr->sim), 0);
	sim_free(pr->sim);
}

/* A UDP datagram of payload bytes: a frame of payload + 42 (at least 60). */
static void
send_udp(struct pair *pr, uint16_t tag, uint32_t payload)
{
	struct pkt *p = pkt_alloc(pr->sim, 0);
	struct udp_hdr u = { .sport = tag, .dport = 9 };
	uint32_t src = ip("10.0.0.1"), dst = ip("10.0.0.2");

	p->virt_len = payload;
	wire_push_udp(pr->sim, p, &u, src, dst);
	node_send_ip(pr->a, 0, p, src, dst, WIRE_IPPROTO_UDP, 64, 0);
}

#define BIG 1472	/* a 1514-byte frame */
#define SMALL 18	/* a 60-byte frame */

static void
test_params_check(void)
{
	struct qdisc_params q = { .kind = QDISC_SHAPER, .rate_bps = 1000,
	    .burst_bytes = 1514, .rate_pps = 10 };
	char err[128];

	CU_ASSERT_EQUAL(qdisc_params_check(&q, err, sizeof(err)), -1);
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "packet burst must be >= 1"));
	q.burst_pkts = 1;
	CU_ASSERT_EQUAL(qdisc_params_check(&q, err, sizeof(err)), 0);
	q.kind = QDISC_POLICER;
	q.rate_pps = 0;
	CU_ASSERT_EQUAL(qdisc_params_check(&q, err, sizeof(err)), -1);
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "packet burst without a packet "
	    "rate"));
	q.burst_pkts = 0;
	CU_ASSERT_EQUAL(qdisc_params_check(&q, err, sizeof(err)), 0);
}

/*
 * Packets bind: 3 packet/s with a burst of 2, bytes plentiful (10 Gbit/s,
 * 1 MB). Frame k (0-based) of a backlog may start at the first ns t with
 * 2 + 3t >= k + 1: t_k = ceil((k - 1) * 10^9 / 3) for k >= 2, exactly,
 * with no drift (333333334, 666666667, 1000000000, ...). Each 142-byte
 * frame then takes 114 ns on the 10 Gbit/s wire (no delay).
 */
static void
test_shaper_pps_exact_release(void)
{
	struct qdisc_params q = { .kind = QDISC_SHAPER,
	    .rate_bps = 10000000000ULL, .burst_bytes = 1000000,
	    .rate_pps = 3, .burst_pkts = 2 };
	struct rx_log log = { .n = 0 };
	struct pair pr;
	const sim_time tx = 114;
	int k;

	pair_build(&pr, 10000000000ULL, &q, &log);
	for (k = 0; k < 20; k++)
		send_udp(&pr, (uint16_t)k, 100);
	sim_run(pr.sim);
	CU_ASSERT_EQUAL_FATAL(log.n, 20);
	CU_ASSERT_EQUAL(log.at[0], tx);
	CU_ASSERT_EQUAL(log.at[1], 2 * tx);	/* the burst, back to back */
	for (k = 2; k < 20; k++) {
		sim_time tk = ((sim_time)(k - 1) * 1000000000 + 2) / 3;

		CU_ASSERT_EQUAL(log.tag[k], k);
		CU_ASSERT_EQUAL(log.at[k], tk + tx);
	}
	CU_ASSERT_EQUAL(log.at[2], 333333334 + tx);
	CU_ASSERT_EQUAL(log.at[4], 1000000000 + tx);
	CU_ASSERT_EQUAL(log.at[19], 6000000000LL + tx);
	CU_ASSERT_EQUAL(link_get_stats(pr.l, 0)->max_qpkts, 19);
	pair_free(&pr);
}

/*
 * Both buckets: 8 Mbit/s (a byte per us) with a burst of 1514 bytes, and
 * 1000 packet/s with a burst of 1; 1 Gbit/s wire (a 1514-byte frame takes
 * 12112 ns, a 60-byte one 480 ns). All sent at 0:
 *   B0 leaves at 0 (both full); bytes 0, packets 0.
 *   B1 needs 1514 bytes (at 1514 us) and a packet (at 1000 us): bytes
 *      bind, it leaves at 1514 us, taking the packet token as of then.
 *   S2 needs 60 bytes (at 1574 us) and a packet (1000 us after B1 took
 *      its own, 2514 us): packets bind, 2514 us. Had B1 taken its packet
 *      token at 1000 us, when it was there, S2 would leave at 2000 us.
 *   B3: bytes 1000 - 60 = 940 at 2514 us, so 1514 at 3088 us; a packet at
 *      3514 us: 3514 us.
 */
static void
test_shaper_both_buckets(void)
{
	struct qdisc_params q = { .kind = QDISC_SHAPER, .rate_bps = 8000000,
	    .burst_bytes = 1514, .rate_pps = 1000, .burst_pkts = 1 };
	struct rx_log log = { .n = 0 };
	struct pair pr;

	pair_build(&pr, 1000000000, &q, &log);
	send_udp(&pr, 0, BIG);
	send_udp(&pr, 1, BIG);
	send_udp(&pr, 2, SMALL);
	send_udp(&pr, 3, BIG);
	sim_run(pr.sim);
	CU_ASSERT_EQUAL_FATAL(log.n, 4);
	CU_ASSERT_EQUAL(log.at[0], 12112);
	CU_ASSERT_EQUAL(log.at[1], SIM_US(1514) + 12112);
	CU_ASSERT_EQUAL(log.at[2], SIM_US(2514) + 480);
	CU_ASSERT_EQUAL(log.at[3], SIM_US(3514) + 12112);
	pair_free(&pr);
}

/*
 * A policer takes a frame's tokens from both buckets or from neither.
 * (1) 1 byte/ms with a burst of three big frames, 1000 packet/s with a
 * burst of 1: B0 passes at 0 (3028 bytes left); B1 at 0 finds no packet
 * token and is dropped, taking no bytes; B2 at 1 ms passes (3029 -> 1515);
 * B3 at 2 ms finds 1516 bytes and passes, which it could not had B1 taken
 * its bytes.
 */
static void
test_policer_packets_refuse(void)
{
	struct qdisc_params q = { .kind = QDISC_POLICER, .rate_bps = 8000,
	    .burst_bytes = 3 * 1514, .rate_pps = 1000, .burst_pkts = 1 };
	struct rx_log log = { .n = 0 };
	struct pair pr;

	pair_build(&pr, 1000000000, &q, &log);
	send_udp(&pr, 0, BIG);
	send_udp(&pr, 1, BIG);
	sim_run_until(pr.sim, SIM_MS(1));
	send_udp(&pr, 2, BIG);
	sim_run_until(pr.sim, SIM_MS(2));
	send_udp(&pr, 3, BIG);
	sim_run(pr.sim);
	CU_ASSERT_EQUAL(link_get_stats(pr.l, 0)->drops[DROP_POLICER], 1);
	CU_ASSERT_EQUAL_FATAL(log.n, 3);
	CU_ASSERT_EQUAL(log.tag[0], 0);
	CU_ASSERT_EQUAL(log.tag[1], 2);
	CU_ASSERT_EQUAL(log.tag[2], 3);
	CU_ASSERT_EQUAL(log.at[2], SIM_MS(2) + 12112);
	pair_free(&pr);
}

/*
 * (2) 1 byte/ms with a burst of one big frame, 1 packet/s with a burst
 * of 3: B0 passes at 0 (2 packets left); B1 and B2 find no bytes and are
 * dropped, taking no packet token. At 200 ms: 200 bytes and 2.2 packets:
 * S3 and S4 pass (140, then 80 bytes; 1.2, then 0.2 packets), S5 finds
 * bytes but no packet token. Had B1 and B2 taken packets, S3 would find
 * only 0.2.
 */
static void
test_policer_bytes_refuse(void)
{
	struct qdisc_params q = { .kind = QDISC_POLICER, .rate_bps = 8000,
	    .burst_bytes = 1514, .rate_pps = 1, .burst_pkts = 3 };
	struct rx_log log = { .n = 0 };
	struct pair pr;
	int i;

	pair_build(&pr, 1000000000, &q, &log);
	for (i = 0; i < 3; i++)
		send_udp(&pr, (uint16_t)i, BIG);
	sim_run_until(pr.sim, SIM_MS(200));
	for (i = 3; i < 6; i++)
		send_udp(&pr, (uint16_t)i, SMALL);
	sim_run(pr.sim);
	CU_ASSERT_EQUAL(link_get_stats(pr.l, 0)->drops[DROP_POLICER], 3);
	CU_ASSERT_EQUAL_FATAL(log.n, 3);
	CU_ASSERT_EQUAL(log.tag[0], 0);
	CU_ASSERT_EQUAL(log.tag[1], 3);
	CU_ASSERT_EQUAL(log.tag[2], 4);
	pair_free(&pr);
}

/*
 * A UDP flood of 200k packet/s (142-byte frames every 5 us from 0)
 * through a 100k packet/s shaper with a burst of 64; 1 Gbit/s of bytes
 * never binds. Frame k leaves on arrival while the bucket lasts (k <=
 * 125: 64 + k/2 >= k + 1), then the queue is never empty again and the
 * k-th departure is at (k - 63) * 10 us exactly, whatever the full queue
 * drops. It arrives 1136 ns later, so by 1 s the sink has frames 0 ..
 * 100062: 100,063, no more, no less.
 */
static void
test_flood_through_100k_pps(void)
{
	struct qdisc_params q = { .kind = QDISC_SHAPER,
	    .rate_bps = 1000000000, .burst_bytes = 65536,
	    .rate_pps = 100000, .burst_pkts = 64 };
	struct udp_cbr_cfg c = { .dport = 9, .start = 0,
	    .interval = SIM_US(5), .count = 0, .size = 100, .ident = 1 };
	struct app *src, *sink;
	struct pair pr;

	pair_build(&pr, 1000000000, &q, NULL);
	c.dst = ip("10.0.0.2");
	src = udp_cbr_new(pr.a, "flood", &c);
	sink = udp_sink_new(pr.b, "sink", 9);
	app_start(sink);
	app_start(src);
	sim_run_until(pr.sim, SIM_S(1));
	CU_ASSERT_EQUAL(udp_sink_received(sink), 100063);
	CU_ASSERT_EQUAL(udp_cbr_sent(src), 200001);
	/* what the queue could not hold */
	CU_ASSERT(link_get_stats(pr.l, 0)->drops[DROP_QUEUE_FULL] > 90000);
	CU_ASSERT_EQUAL(link_get_stats(pr.l, 0)->drops[DROP_POLICER], 0);
	app_free(src);
	app_free(sink);
	pair_free(&pr);
}

/* --- the scenario keys -------------------------------------------- */

#define N2                                                                  \
	"nodes:\n"                                                          \
	"  - { name: a, role: host, interfaces: [{ name: eth0, address: "   \
	"10.0.0.1/24 }] }\n"                                                \
	"  - { name: b, role: host, interfaces: [{ name: eth0, address: "   \
	"10.0.0.2/24 }] }\n"                                                \
	"links:\n"
#define LK "  - name: l1\n    a: a:eth0\n    b: b:eth0\n    rate: 1Gbps\n"

/*
 * pps and pps_burst reach the link (and carrier); without pps_burst the packet bucket
 * lasts as long as the byte bucket: 64 KiB at 1 Gbit/s is 524.288 us,
 * 52.4288 packets at 100k packet/s: 53.
 */
static void
test_scenario_keys_and_default(void)
{
	char *diag = NULL, err[256];
	unsigned n_err = 99;
	struct scenario *sc = load(N2 LK
	    "    carrier: true\n"
	    "    qdisc: { kind: shaper, rate: 1Gbps, burst: 64KiB, pps: "
	    "100000 }\n"
	    "    b_to_a: { qdisc: { kind: policer, rate: 1Gbps, burst: 64KiB, "
	    "pps: 50000, pps_burst: 7 } }\n", &diag, &n_err);
	struct run_opts o = { .out_dir = NULL };
	const struct link_params *p;
	struct run *r;

	CU_ASSERT_EQUAL(n_err, 0);
	CU_ASSERT_STRING_EQUAL(diag, "");
	free(diag);
	CU_ASSERT_PTR_NOT_NULL_FATAL(sc);
	CU_ASSERT_EQUAL(sc->links[0].dir[0].qdisc.rate_pps, 100000);
	CU_ASSERT_EQUAL(sc->links[0].dir[0].qdisc.burst_pkts, 0);
	CU_ASSERT_EQUAL(sc_qdisc_pps_burst(&sc->links[0].dir[0].qdisc), 53);
	r = run_new(sc, &o, err, sizeof(err));
	CU_ASSERT_PTR_NOT_NULL_FATAL(r);
	p = link_get_params(net_find_link(run_net(r), "l1"));
	CU_ASSERT_EQUAL(p->dir[0].qdisc.rate_pps, 100000);
	CU_ASSERT_EQUAL(p->dir[0].qdisc.burst_pkts, 53);
	CU_ASSERT_EQUAL(p->dir[1].qdisc.kind, QDISC_POLICER);
	CU_ASSERT_EQUAL(p->dir[1].qdisc.rate_pps, 50000);
	CU_ASSERT_EQUAL(p->dir[1].qdisc.burst_pkts, 7);
	CU_ASSERT_TRUE(p->carrier);	/* the link's key, default false */
	run_free(r);
	scenario_free(sc);
}

/* pps_burst 0, pps_burst without pps, pps on drop-tail: refused where. */
static void
test_scenario_key_errors(void)
{
	char *diag = NULL;
	unsigned n_err = 0;
	struct scenario *sc;

	sc = load(N2 LK
	    "    qdisc: { kind: shaper, rate: 1Gbps, burst: 64KiB, pps: 10, "
	    "pps_burst: 0 }\n", &diag, &n_err);
	CU_ASSERT_PTR_NULL(sc);
	CU_ASSERT_EQUAL(n_err, 1);
	CU_ASSERT_TRUE(has_error(diag, "9:75", "'pps_burst' 0 is out of range"));
	free(diag);
	sc = load(N2 LK
	    "    qdisc: { kind: policer, rate: 1Gbps, burst: 64KiB, "
	    "pps_burst: 8 }\n", &diag, &n_err);
	CU_ASSERT_PTR_NULL(sc);
	CU_ASSERT_EQUAL(n_err, 1);
	CU_ASSERT_TRUE(has_error(diag, "9:67", "has pps_burst but no packet "
	    "rate"));
	free(diag);
	sc = load(N2 LK "    qdisc: { kind: droptail, pps: 10 }\n", &diag,
	    &n_err);
	CU_ASSERT_PTR_NULL(sc);
	CU_ASSERT_EQUAL(n_err, 1);
	CU_ASSERT_TRUE(has_error(diag, "9:30", "key 'pps' does not apply when kind is "
	    "droptail"));
	free(diag);
}

/*
 * The same flood written as a scenario: 200k packet/s through a shaper of
 * 100k packet/s, burst 64, for a run of 1 s: the sink counts the C test's
 * 100,063.
 */
static void
test_scenario_flood(void)
{
	char *diag = NULL, err[256];
	unsigned n_err = 99;
	struct scenario *sc = load("duration: 1s\n" N2 LK
	    "    qdisc: { kind: shaper, rate: 1Gbps, burst: 64KiB, pps: "
	    "100000, pps_burst: 64 }\n"
	    "apps:\n"
	    "  - { name: flood, type: udp_cbr, node: a, dst: b, start: 0s, "
	    "interval: 5us, size: 100 }\n", &diag, &n_err);
	struct run_opts o = { .out_dir = NULL };
	struct run *r;

	CU_ASSERT_EQUAL(n_err, 0);
	CU_ASSERT_STRING_EQUAL(diag, "");
	free(diag);
	CU_ASSERT_PTR_NOT_NULL_FATAL(sc);
	r = run_new(sc, &o, err, sizeof(err));
	CU_ASSERT_PTR_NOT_NULL_FATAL(r);
	while (run_advance(r, run_end_time(r)))
		;
	CU_ASSERT_EQUAL(run_end_time(r), SIM_S(1));
	CU_ASSERT_PTR_NOT_NULL_FATAL(run_app(r, "flood-sink"));
	CU_ASSERT_EQUAL(udp_sink_received(run_app(r, "flood-sink")), 100063);
	run_free(r);
	scenario_free(sc);
}

/* transparent: true reaches the node; a host cannot be transparent. */
static void
test_scenario_transparent(void)
{
	char *diag = NULL, err[256];
	unsigned n_err = 99;
	struct run_opts o = { .out_dir = NULL };
	struct scenario *sc = load(
	    "nodes:\n"
	    "  - { name: a, role: host, interfaces: [{ name: e0, address: "
	    "10.0.0.1/24 }], routes: [{ prefix: 0.0.0.0/0, via: 10.0.0.2 }] }\n"
	    "  - { name: v, role: azure-vnet, transparent: true, interfaces: "
	    "[{ name: x, address: 10.0.0.2/24 }, { name: y, address: "
	    "10.0.1.1/24 }] }\n"
	    "  - { name: b, role: oci-instance, interfaces: [{ name: e0, "
	    "address: 10.0.1.2/24 }], routes: [{ prefix: 0.0.0.0/0, via: "
	    "10.0.1.1 }] }\n"
	    "links:\n"
	    "  - { name: l1, a: a:e0, b: v:x, rate: 1Gbps }\n"
	    "  - { name: l2, a: v:y, b: b:e0, rate: 1Gbps }\n"
	    "apps:\n"
	    "  - { name: tr, type: traceroute, node: a, dst: b, start: 1ms }\n",
	    &diag, &n_err);
	struct run *r;
	uint32_t hops[8];

	CU_ASSERT_EQUAL(n_err, 0);
	CU_ASSERT_STRING_EQUAL(diag, "");
	free(diag);
	CU_ASSERT_PTR_NOT_NULL_FATAL(sc);
	CU_ASSERT_TRUE(sc->nodes[1].transparent);
	CU_ASSERT_FALSE(sc->nodes[0].transparent);
	r = run_new(sc, &o, err, sizeof(err));
	CU_ASSERT_PTR_NOT_NULL_FATAL(r);
	while (run_advance(r, run_end_time(r)))
		;
	/* the destination is the first hop: the VNet is no hop */
	CU_ASSERT_EQUAL_FATAL(traceroute_path(run_app(r, "tr"), hops, 8), 1);
	CU_ASSERT_EQUAL(hops[0], ip("10.0.1.2"));
	run_free(r);
	scenario_free(sc);

	sc = load(
	    "nodes:\n"
	    "  - { name: a, role: azure-vm, transparent: true }\n", &diag,
	    &n_err);
	CU_ASSERT_PTR_NULL(sc);
	CU_ASSERT_TRUE(has_error(diag, "2:45", "is transparent but its role "
	    "'azure-vm' does not forward"));
	free(diag);
}

static const struct test_case cases[] = {
	{ "packet rate and burst: checked together", test_params_check },
	{ "a pps-bound shaper releases at exact times", test_shaper_pps_exact_release },
	{ "a shaper waits for the later of its two buckets", test_shaper_both_buckets },
	{ "a policer refused by packets takes no bytes", test_policer_packets_refuse },
	{ "a policer refused by bytes takes no packet", test_policer_bytes_refuse },
	{ "a UDP flood through 100k pps delivers 100,063 in 1 s", test_flood_through_100k_pps },
	{ "scenario pps, pps_burst and its default", test_scenario_keys_and_default },
	{ "scenario pps errors, with line:column", test_scenario_key_errors },
	{ "scenario flood through a pps shaper", test_scenario_flood },
	{ "scenario transparent node and roles", test_scenario_transparent },
	{ NULL, NULL }
};

int
main(int argc, char **argv)
{
	return test_main(argc, argv, "sim_qdisc_pps", cases);
}
