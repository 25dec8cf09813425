/*
 * test_qdisc.c - queue disciplines on their own and on a link direction:
 * drop-tail limits (64-bit byte counts and limits beyond 4 GiB), the token
 * bucket shaper releasing frames at the exact nanosecond their tokens are
 * there, the policer dropping exactly what exceeds rate * t + burst, link
 * failure with a shaped queue, and a discipline written outside sim/
 * installed with link_set_qdisc. Every expected time is computed by hand
 * (or by an independent closed form) from the parameters.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "net.h"
#include "pkt.h"
#include "qdisc.h"
#include "sim.h"
#include "testutil.h"
#include "wire.h"

/* UDP payload that makes a 1500-byte Ethernet frame (8 + 20 + 14 bytes). */
#define PAYLOAD_1500 1458u
#define HDRS 42u

static uint32_t
ip(const char *s)
{
	uint32_t a = 0;

	CU_ASSERT_EQUAL_FATAL(wire_ip_parse(s, &a), 0);
	return a;
}

/* --- two nodes and a link, frames tagged by UDP source port --- */

struct pair {
	struct sim *sim;
	struct net *net;
	struct node *a, *b;
	struct link *l;
};

#define LOG_MAX 4096

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
		log->tag[log->n++] = f->udp.sport;
	}
	pkt_free(sim, p);
}

static struct link_params
params(uint64_t rate, sim_time delay)
{
	struct link_params p;

	memset(&p, 0, sizeof(p));
	p.dir[0].rate_bps = p.dir[1].rate_bps = rate;
	p.dir[0].delay = p.dir[1].delay = delay;
	p.mtu = 1500;
	p.qlimit_pkts = 1000;
	return p;
}

static void
pair_build_traced(struct pair *pr, const struct link_params *p,
    struct rx_log *log, struct trace *tr)
{
	uint32_t ia, ib;

	pr->sim = sim_new(1);
	pr->net = net_new(pr->sim);
	net_set_trace(pr->net, tr);
	pr->a = net_add_node(pr->net, "a", "host", NULL, NULL);
	pr->b = net_add_node(pr->net, "b", "host", NULL, NULL);
	ia = node_add_iface(pr->a, "eth0", NULL, ip("10.0.0.1"), 24, 0);
	ib = node_add_iface(pr->b, "eth0", NULL, ip("10.0.0.2"), 24, 0);
	pr->l = net_add_link(pr->net, "ab", pr->a, ia, pr->b, ib, p);
	CU_ASSERT_EQUAL(node_bind_udp(pr->b, VRF_DEFAULT, 9, rx_record, NULL, log), 0);
}

static void
pair_build(struct pair *pr, const struct link_params *p, struct rx_log *log)
{
	pair_build_traced(pr, p, log, NULL);
}

static void
pair_free(struct pair *pr)
{
	net_free(pr->net);
	CU_ASSERT_EQUAL(pkt_live(pr->sim), 0);
	sim_free(pr->sim);
}

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

struct send_at {
	struct pair *pr;
	uint16_t tag;
	uint32_t payload;
};

static void
send_at_fire(struct sim *sim, void *arg)
{
	struct send_at *s = arg;

	(void)sim;
	send_udp(s->pr, s->tag, s->payload);
}

static void
link_down_at(struct sim *sim, void *arg)
{
	(void)sim;
	link_set_up(arg, false);
}

static void
link_up_at(struct sim *sim, void *arg)
{
	(void)sim;
	link_set_up(arg, true);
}

/* --- drop-tail on its own ------------------------------------------- */

static struct pkt *
fake_pkts(size_t n, uint32_t virt_len)
{
	struct pkt *p = calloc(n, sizeof(*p));
	size_t i;

	CU_ASSERT_PTR_NOT_NULL_FATAL(p);
	for (i = 0; i < n; i++) {
		p[i].virt_len = virt_len;
		p[i].uid = i + 1;
	}
	return p;
}

static void
test_droptail_limits(void)
{
	struct qdisc_params dt = { .kind = QDISC_DROPTAIL };
	struct pkt *p = fake_pkts(8, 100);
	struct qdisc *q;
	sim_time ready = 0;
	int i;

	/* 3 packets */
	q = qdisc_new(&dt, 3, 0);
	CU_ASSERT_STRING_EQUAL(qdisc_kind(q), "droptail");
	CU_ASSERT_PTR_NULL(qdisc_dequeue(q, 0, &ready));
	CU_ASSERT_EQUAL(ready, SIM_TIME_MAX);
	for (i = 0; i < 3; i++)
		CU_ASSERT_EQUAL(qdisc_enqueue(q, &p[i], 100, 0), DROP_NONE);
	CU_ASSERT_EQUAL(qdisc_enqueue(q, &p[3], 100, 0), DROP_QUEUE_FULL);
	CU_ASSERT_EQUAL(qdisc_pkts(q), 3);
	CU_ASSERT_EQUAL(qdisc_bytes(q), 300);
	for (i = 0; i < 3; i++)	/* FIFO, always ready */
		CU_ASSERT_PTR_EQUAL(qdisc_dequeue(q, 5, &ready), &p[i]);
	CU_ASSERT_EQUAL(qdisc_bytes(q), 0);
	qdisc_free(q);

	/* 250 bytes: two of 100 fit, a third does not, a smaller one does */
	q = qdisc_new(&dt, 0, 250);
	CU_ASSERT_EQUAL(qdisc_enqueue(q, &p[0], 100, 0), DROP_NONE);
	CU_ASSERT_EQUAL(qdisc_enqueue(q, &p[1], 100, 0), DROP_NONE);
	CU_ASSERT_EQUAL(qdisc_enqueue(q, &p[2], 100, 0), DROP_QUEUE_FULL);
	p[3].virt_len = 50;
	CU_ASSERT_EQUAL(qdisc_enqueue(q, &p[3], 50, 0), DROP_NONE);
	CU_ASSERT_EQUAL(qdisc_bytes(q), 250);
	CU_ASSERT_PTR_EQUAL(qdisc_purge(q), &p[0]);
	CU_ASSERT_PTR_EQUAL(qdisc_purge(q), &p[1]);
	CU_ASSERT_PTR_EQUAL(qdisc_purge(q), &p[3]);
	CU_ASSERT_PTR_NULL(qdisc_purge(q));
	CU_ASSERT_EQUAL(qdisc_pkts(q), 0);
	qdisc_free(q);
	free(p);
}

/*
 * More than 4 GiB queued against a 5 GiB limit: the byte count and the
 * limit are 64-bit (a 32-bit count wrapped and let the queue grow without
 * bound, a 32-bit limit could not be set).
 */
static void
test_droptail_beyond_4gib(void)
{
	const uint64_t limit = 5ULL << 30;
	const uint32_t frame = 65535;
	const size_t fit = (size_t)(limit / frame);	/* 81921 */
	struct qdisc_params dt = { .kind = QDISC_DROPTAIL };
	struct pkt *p = fake_pkts(fit + 1, frame);
	struct qdisc *q = qdisc_new(&dt, 0, limit);
	sim_time ready;
	size_t i;

	CU_ASSERT_EQUAL(fit, 81921);
	for (i = 0; i < fit; i++)
		if (qdisc_enqueue(q, &p[i], frame, 0) != DROP_NONE)
			break;
	CU_ASSERT_EQUAL(i, fit);
	CU_ASSERT_EQUAL(qdisc_bytes(q), (uint64_t)fit * frame);
	CU_ASSERT(qdisc_bytes(q) > UINT32_MAX);
	CU_ASSERT_EQUAL(qdisc_enqueue(q, &p[fit], frame, 0), DROP_QUEUE_FULL);
	for (i = 0; i < fit; i++)
		if (qdisc_dequeue(q, 0, &ready) != &p[i])
			break;
	CU_ASSERT_EQUAL(i, fit);
	CU_ASSERT_EQUAL(qdisc_bytes(q), 0);
	qdisc_free(q);
	free(p);
}

/* The same through a link: a 5 GiB limit is 5 GiB, not 1 GiB. */
static void
test_link_byte_limit_beyond_4gib(void)
{
	struct link_params p = params(100000000000ULL, SIM_US(1));
	struct rx_log *log = calloc(1, sizeof(*log));
	const uint32_t payload = 65535 - 20 - 8;	/* 65549-byte frames */
	const uint64_t frame = 65535 + 14;
	struct pair pr;
	int i, n = 20000;	/* 1.31e9 bytes: over 1 GiB, under 5 GiB */
	const struct link_stats *st;

	p.mtu = 65535;
	p.qlimit_pkts = 0;
	p.qlimit_bytes = 5ULL << 30;
	pair_build(&pr, &p, log);
	CU_ASSERT_EQUAL(link_get_params(pr.l)->qlimit_bytes, 5ULL << 30);
	for (i = 0; i < n; i++)
		send_udp(&pr, 1, payload);
	st = link_get_stats(pr.l, 0);
	CU_ASSERT_EQUAL(st->drops[DROP_QUEUE_FULL], 0);
	/* the first went straight onto the wire */
	CU_ASSERT_EQUAL(st->max_qpkts, (uint32_t)n - 1);
	CU_ASSERT_EQUAL(st->max_qbytes, (uint64_t)(n - 1) * frame);
	CU_ASSERT_EQUAL(qdisc_bytes(link_qdisc(pr.l, 0)),
	    (uint64_t)(n - 1) * frame);
	sim_run(pr.sim);
	CU_ASSERT_EQUAL(st->rx_pkts, (uint64_t)n);
	CU_ASSERT_EQUAL(qdisc_bytes(link_qdisc(pr.l, 0)), 0);
	pair_free(&pr);
	free(log);
}

static void
test_default_is_droptail_with_queue_ids(void)
{
	struct link_params p = params(1000000000, SIM_US(1));
	struct rx_log log = { .n = 0 };
	struct pair pr;
	struct link *l2;
	uint32_t ia, ib;
	struct node *c;

	pair_build(&pr, &p, &log);
	c = net_add_node(pr.net, "c", "host", NULL, NULL);
	ia = node_add_iface(pr.b, "eth1", NULL, ip("10.0.1.1"), 24, 0);
	ib = node_add_iface(c, "eth0", NULL, ip("10.0.1.2"), 24, 0);
	l2 = net_add_link(pr.net, "bc", pr.b, ia, c, ib, &p);
	/* every direction has its own queue, ids dense in creation order */
	CU_ASSERT_STRING_EQUAL(qdisc_kind(link_qdisc(pr.l, 0)), "droptail");
	CU_ASSERT_STRING_EQUAL(qdisc_kind(link_qdisc(l2, 1)), "droptail");
	CU_ASSERT_EQUAL(link_qdisc(pr.l, 0)->id, 0);
	CU_ASSERT_EQUAL(link_qdisc(pr.l, 1)->id, 1);
	CU_ASSERT_EQUAL(link_qdisc(l2, 0)->id, 2);
	CU_ASSERT_EQUAL(link_qdisc(l2, 1)->id, 3);
	/* an uncongested hop through the default queue is one event */
	send_udp(&pr, 1, PAYLOAD_1500);
	CU_ASSERT_EQUAL(sim_run(pr.sim), 1);
	CU_ASSERT_EQUAL(log.n, 1);
	CU_ASSERT_EQUAL(log.at[0], SIM_US(12) + SIM_US(1));
	pair_free(&pr);
}

static void
test_params_check(void)
{
	struct qdisc_params qp = { .kind = QDISC_SHAPER, .rate_bps = 0,
	    .burst_bytes = 1500 };
	char err[128];

	CU_ASSERT_EQUAL(qdisc_params_check(&qp, err, sizeof(err)), -1);
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "rate"));
	qp.rate_bps = 1000;
	CU_ASSERT_EQUAL(qdisc_params_check(&qp, err, sizeof(err)), 0);
	qp.kind = QDISC_POLICER;
	qp.burst_bytes = 0;
	CU_ASSERT_EQUAL(qdisc_params_check(&qp, err, sizeof(err)), -1);
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "policer burst"));
	qp.kind = QDISC_KIND_MAX;
	CU_ASSERT_EQUAL(qdisc_params_check(&qp, err, sizeof(err)), -1);
	qp.kind = QDISC_DROPTAIL;	/* rate and burst are not its business */
	CU_ASSERT_EQUAL(qdisc_params_check(&qp, err, sizeof(err)), 0);
}

/* --- the shaper ----------------------------------------------------- */

/*
 * 100 Mbit/s shaper, 3000-byte burst, on a 1 Gbit/s link with 1 us delay;
 * ten 1500-byte frames at t = 0. The burst lets two go back to back (0 and
 * 12 us, when the second finds 1500 + 150 bytes of tokens); then each frame
 * waits for 1500 bytes at 100 Mbit/s: 120 us apart, starting at 120 us.
 */
static void
test_shaper_spacing(void)
{
	struct link_params p = params(1000000000, SIM_US(1));
	struct rx_log log = { .n = 0 };
	struct pair pr;
	const sim_time tx = SIM_US(12), d = SIM_US(1);
	uint64_t events;
	int i;

	p.dir[0].qdisc = (struct qdisc_params){ .kind = QDISC_SHAPER,
	    .rate_bps = 100000000, .burst_bytes = 3000 };
	pair_build(&pr, &p, &log);
	CU_ASSERT_STRING_EQUAL(qdisc_kind(link_qdisc(pr.l, 0)), "shaper");
	CU_ASSERT_STRING_EQUAL(qdisc_kind(link_qdisc(pr.l, 1)), "droptail");
	for (i = 0; i < 10; i++)
		send_udp(&pr, (uint16_t)i, PAYLOAD_1500);
	sim_run(pr.sim);
	CU_ASSERT_EQUAL_FATAL(log.n, 10);
	CU_ASSERT_EQUAL(log.at[0], tx + d);
	CU_ASSERT_EQUAL(log.at[1], 2 * tx + d);
	for (i = 2; i < 10; i++) {
		CU_ASSERT_EQUAL(log.tag[i], i);
		CU_ASSERT_EQUAL(log.at[i], SIM_US(120) * (i - 1) + tx + d);
		CU_ASSERT_EQUAL(log.at[i] - log.at[i - 1],
		    i == 2 ? SIM_US(120) - tx : SIM_US(120));
	}
	CU_ASSERT_EQUAL(link_get_stats(pr.l, 0)->tx_bytes, 10 * 1500);
	CU_ASSERT_EQUAL(link_get_stats(pr.l, 0)->max_qpkts, 9);

	/*
	 * Idle until 1 s, the bucket is full again. A lone frame that finds
	 * tokens and an idle transmitter costs one event, as on drop-tail.
	 * Two more at 1 s + 13 us: the first finds 1500 + 162.5 bytes, the
	 * second waits for 1187.5 bytes after 1 s + 25 us: 95 us.
	 */
	log.n = 0;
	sim_run_until(pr.sim, SIM_S(1));
	events = sim_events_run(pr.sim);
	send_udp(&pr, 100, PAYLOAD_1500);
	sim_run(pr.sim);
	CU_ASSERT_EQUAL(sim_events_run(pr.sim) - events, 1);
	for (i = 0; i < 2; i++)
		send_udp(&pr, (uint16_t)(101 + i), PAYLOAD_1500);
	sim_run(pr.sim);
	CU_ASSERT_EQUAL_FATAL(log.n, 3);
	CU_ASSERT_EQUAL(log.at[0], SIM_S(1) + tx + d);
	CU_ASSERT_EQUAL(log.at[1], SIM_S(1) + SIM_US(13) + tx + d);
	CU_ASSERT_EQUAL(log.at[2], SIM_S(1) + SIM_US(120) + tx + d);
	pair_free(&pr);
}

/*
 * Exact to the nanosecond over many frames: 7 Mbit/s, one frame of burst,
 * 1042-byte frames on a 10 Gbit/s link. Frame k may start at the first ns t
 * with burst + rate * t >= (k + 1) * 1042 bytes, i.e.
 * t_k = ceil(k * 1042 * 8e9 / 7e6): rounding never accumulates.
 */
static void
test_shaper_exact_release(void)
{
	struct link_params p = params(10000000000ULL, 0);
	struct rx_log log = { .n = 0 };
	struct pair pr;
	const sim_time tx = (1042 * 8 * 1000000000LL + 10000000000LL - 1) /
	    10000000000LL;
	int i;

	p.mtu = 1028;	/* the burst holds one full frame, no more */
	p.dir[0].qdisc = (struct qdisc_params){ .kind = QDISC_SHAPER,
	    .rate_bps = 7000000, .burst_bytes = 1042 };
	pair_build(&pr, &p, &log);
	for (i = 0; i < 50; i++)
		send_udp(&pr, (uint16_t)i, 1000);
	sim_run(pr.sim);
	CU_ASSERT_EQUAL_FATAL(log.n, 50);
	CU_ASSERT_EQUAL(tx, 834);
	for (i = 0; i < 50; i++) {
		unsigned __int128 num = (unsigned __int128)i * 1042 * 8 *
		    1000000000u;
		sim_time tk = (sim_time)((num + 7000000 - 1) / 7000000);

		CU_ASSERT_EQUAL(log.at[i], tk + tx);
	}
	/* spacings are 1190857 or 1190858 ns, never a drifting constant */
	CU_ASSERT_EQUAL(log.at[7] - log.at[6], 1190857);
	CU_ASSERT_EQUAL(log.at[49] - log.at[0], 58352000);
	pair_free(&pr);
}

/*
 * A shaped queue and link failure: queued frames die with DROP_LINK_DOWN;
 * after the link is back, a smaller frame that is ready sooner than the
 * purged head was is not held until the head's old release time.
 */
static void
test_shaper_link_down(void)
{
	struct link_params p = params(1000000000, 0);
	struct rx_log log = { .n = 0 };
	struct pair pr;
	struct send_at small;

	/* 1 Mbit/s, one 1500-byte frame of burst, the largest frame */
	p.mtu = 1486;
	p.dir[0].qdisc = (struct qdisc_params){ .kind = QDISC_SHAPER,
	    .rate_bps = 1000000, .burst_bytes = 1500 };
	pair_build(&pr, &p, &log);
	small = (struct send_at){ &pr, 7, 100 };	/* 142-byte frame */
	send_udp(&pr, 1, PAYLOAD_1500);	/* leaves at once */
	send_udp(&pr, 2, PAYLOAD_1500);	/* waits until 12 ms */
	sim_schedule_at(pr.sim, SIM_US(200), link_down_at, pr.l);
	sim_schedule_at(pr.sim, SIM_US(300), link_up_at, pr.l);
	/* at 500 us the bucket holds 62.5 bytes: 142 are there at 1136 us */
	sim_schedule_at(pr.sim, SIM_US(500), send_at_fire, &small);
	sim_run(pr.sim);
	CU_ASSERT_EQUAL_FATAL(log.n, 2);
	CU_ASSERT_EQUAL(log.tag[0], 1);
	CU_ASSERT_EQUAL(log.at[0], SIM_US(12));
	CU_ASSERT_EQUAL(link_get_stats(pr.l, 0)->drops[DROP_LINK_DOWN], 1);
	CU_ASSERT_EQUAL(log.tag[1], 7);
	CU_ASSERT_EQUAL(log.at[1], SIM_US(1136) + 142 * 8);
	pair_free(&pr);
}

/*
 * A frame larger than the bucket could never leave, so a burst below the
 * link's largest frame is refused where the link is built; a burst of
 * exactly one full frame passes full frames, shaped, and never drops one
 * for its size (the reviewer's "t2 1000000 999" dropped them all as
 * DROP_POLICER).
 */
static void
test_shaper_frame_over_burst(void)
{
	struct link_params p = params(1000000000, 0);
	struct rx_log log = { .n = 0 };
	struct pair pr;
	struct qdisc_params qp = { .kind = QDISC_SHAPER, .rate_bps = 1000000,
	    .burst_bytes = 1513 };
	char err[160];

	/* mtu 1500: 1514 bytes with the Ethernet header, 1522 with QinQ */
	CU_ASSERT_EQUAL(qdisc_params_check_frame(&qp, 1514, err,
	    sizeof(err)), -1);
	CU_ASSERT_STRING_EQUAL(err, "shaper burst of 1513 bytes is less than "
	    "one full frame (1514 bytes)");
	qp.kind = QDISC_POLICER;
	CU_ASSERT_EQUAL(qdisc_params_check_frame(&qp, 1514, err,
	    sizeof(err)), -1);
	qp.burst_bytes = 1514;
	CU_ASSERT_EQUAL(qdisc_params_check_frame(&qp, 1514, err,
	    sizeof(err)), 0);
	CU_ASSERT_EQUAL(qdisc_params_check_frame(&qp, 1522, err,
	    sizeof(err)), -1);
	qp.kind = QDISC_DROPTAIL;
	CU_ASSERT_EQUAL(qdisc_params_check_frame(&qp, 1522, err,
	    sizeof(err)), 0);

	/* 1000-byte frames through a 1000-byte bucket at 1 Mbit/s */
	p.mtu = 986;
	p.dir[0].qdisc = (struct qdisc_params){ .kind = QDISC_SHAPER,
	    .rate_bps = 1000000, .burst_bytes = 1000 };
	pair_build(&pr, &p, &log);
	CU_ASSERT_EQUAL(qdisc_max_frame(link_qdisc(pr.l, 0)), 1000);
	send_udp(&pr, 1, 958);
	send_udp(&pr, 2, 958);
	sim_run(pr.sim);
	CU_ASSERT_EQUAL_FATAL(log.n, 2);
	/* the first at once, the second when 8000 bits of tokens are back */
	CU_ASSERT_EQUAL(log.at[0], 8000);
	CU_ASSERT_EQUAL(log.at[1], SIM_MS(8) + 8000);
	CU_ASSERT_EQUAL(link_get_stats(pr.l, 0)->drops[DROP_POLICER], 0);
	pair_free(&pr);
}

/* --- the policer ---------------------------------------------------- */

/*
 * 1500-byte frames offered every 12 us (1 Gbit/s) to a 100 Mbit/s policer
 * with a 3000-byte burst. Frame k, offered at t_k, conforms exactly when
 * the bytes accepted so far plus its own stay within burst + rate * t_k.
 * That closed form (integer, independent of the bucket code) names every
 * frame: 0, 1, then 10, 20, 30, ... exactly on the boundary.
 */
static void
test_policer_exact(void)
{
	struct link_params p = params(1000000000, SIM_US(1));
	struct rx_log log = { .n = 0 };
	struct pair pr;
	struct send_at s[200];
	uint64_t accepted = 0, want_tags[200];
	int i, n_want = 0;

	p.dir[0].qdisc = (struct qdisc_params){ .kind = QDISC_POLICER,
	    .rate_bps = 100000000, .burst_bytes = 3000 };
	pair_build(&pr, &p, &log);
	for (i = 0; i < 200; i++) {
		sim_time t = SIM_US(12) * i;
		/* bits * 1e9 on both sides */
		unsigned __int128 lhs = (unsigned __int128)(accepted + 1500) *
		    8 * 1000000000u;
		unsigned __int128 rhs = (unsigned __int128)3000 * 8 *
		    1000000000u + (unsigned __int128)100000000 * (uint64_t)t;

		s[i] = (struct send_at){ &pr, (uint16_t)i, PAYLOAD_1500 };
		sim_schedule_at(pr.sim, t, send_at_fire, &s[i]);
		if (lhs <= rhs) {
			accepted += 1500;
			want_tags[n_want++] = (uint64_t)i;
		}
	}
	sim_run(pr.sim);
	CU_ASSERT_EQUAL(n_want, 21);	/* 0, 1, 10, 20, ..., 190 */
	CU_ASSERT_EQUAL(want_tags[2], 10);
	CU_ASSERT_EQUAL(want_tags[20], 190);
	CU_ASSERT_EQUAL_FATAL(log.n, n_want);
	for (i = 0; i < n_want; i++) {
		CU_ASSERT_EQUAL(log.tag[i], want_tags[i]);
		/* conforming frames are not delayed: offered + 12 us + 1 us */
		CU_ASSERT_EQUAL(log.at[i],
		    SIM_US(12) * (sim_time)want_tags[i] + SIM_US(13));
	}
	CU_ASSERT_EQUAL(link_get_stats(pr.l, 0)->drops[DROP_POLICER],
	    200 - (uint64_t)n_want);
	CU_ASSERT_EQUAL(link_get_stats(pr.l, 0)->tx_pkts, (uint64_t)n_want);
	pair_free(&pr);
}

/*
 * A policer's FIFO is a drop-tail queue behind it; a frame that the queue
 * limit refuses takes no tokens, so the next conforming one still passes.
 */
static void
test_policer_queue_limit(void)
{
	struct link_params p = params(1000000, 0);	/* 1 Mbit/s link */
	struct rx_log log = { .n = 0 };
	struct pair pr;
	int i;

	/* 1 bit/s: no refill worth a byte during the test */
	p.qlimit_pkts = 2;
	p.dir[0].qdisc = (struct qdisc_params){ .kind = QDISC_POLICER,
	    .rate_bps = 1, .burst_bytes = 5 * 1500 };
	pair_build(&pr, &p, &log);
	/* 0 on the wire, 1-2 queued, 3-4 refused by the queue (no tokens) */
	for (i = 0; i < 5; i++)
		send_udp(&pr, (uint16_t)i, PAYLOAD_1500);
	CU_ASSERT_EQUAL(link_get_stats(pr.l, 0)->drops[DROP_QUEUE_FULL], 2);
	CU_ASSERT_EQUAL(link_get_stats(pr.l, 0)->drops[DROP_POLICER], 0);
	sim_run(pr.sim);
	CU_ASSERT_EQUAL(sim_now(pr.sim), SIM_MS(36));
	/* 3000 bytes of tokens are left: two more frames, not three */
	for (i = 0; i < 3; i++)
		send_udp(&pr, (uint16_t)(10 + i), PAYLOAD_1500);
	sim_run(pr.sim);
	CU_ASSERT_EQUAL_FATAL(log.n, 5);
	CU_ASSERT_EQUAL(log.tag[3], 10);
	CU_ASSERT_EQUAL(log.tag[4], 11);
	CU_ASSERT_EQUAL(link_get_stats(pr.l, 0)->drops[DROP_POLICER], 1);
	pair_free(&pr);
}

/* --- a discipline from outside sim/ --------------------------------- */

/* Last in, first out: nothing like the built-ins' FIFO. */
struct lifo {
	struct qdisc q;
	struct pkt *top;
	uint32_t limit;
};

static enum trace_drop
lifo_enqueue(struct qdisc *q, struct pkt *p, uint32_t len, sim_time now)
{
	struct lifo *lq = (struct lifo *)q;

	(void)now;
	if (q->pkts >= lq->limit)
		return DROP_QUEUE_FULL;
	p->next = lq->top;
	lq->top = p;
	q->pkts++;
	q->bytes += len;
	return DROP_NONE;
}

static struct pkt *
lifo_purge(struct qdisc *q)
{
	struct lifo *lq = (struct lifo *)q;
	struct pkt *p = lq->top;

	if (p == NULL)
		return NULL;
	lq->top = p->next;
	p->next = NULL;
	q->pkts--;
	q->bytes -= pkt_wire_len(p);
	return p;
}

static struct pkt *
lifo_dequeue(struct qdisc *q, sim_time now, sim_time *ready)
{
	struct pkt *p = lifo_purge(q);

	(void)now;
	if (p == NULL)
		*ready = SIM_TIME_MAX;
	return p;
}

static void
lifo_free(struct qdisc *q)
{
	free(q);
}

static const struct qdisc_ops lifo_ops = {
	.kind = "lifo",
	.enqueue = lifo_enqueue,
	.dequeue = lifo_dequeue,
	.purge = lifo_purge,
	.free = lifo_free,
};

static struct qdisc *
lifo_new(uint32_t limit)
{
	struct lifo *lq = calloc(1, sizeof(*lq));

	lq->q.ops = &lifo_ops;
	lq->limit = limit;
	return &lq->q;
}

static void
test_custom_qdisc(void)
{
	struct link_params p = params(1000000000, 0);
	struct rx_log log = { .n = 0 };
	struct pair pr;
	static const uint16_t want[] = { 0, 3, 2, 1, 10, 13, 12 };
	int i;

	pair_build(&pr, &p, &log);
	/* 0 leaves, 1-3 wait in the drop-tail queue, then move over */
	for (i = 0; i < 4; i++)
		send_udp(&pr, (uint16_t)i, PAYLOAD_1500);
	link_set_qdisc(pr.l, 0, lifo_new(3));
	CU_ASSERT_STRING_EQUAL(qdisc_kind(link_qdisc(pr.l, 0)), "lifo");
	CU_ASSERT_EQUAL(link_qdisc(pr.l, 0)->id, 2);
	CU_ASSERT_EQUAL(qdisc_pkts(link_qdisc(pr.l, 0)), 3);
	sim_run(pr.sim);
	/* 10 leaves, 11-13 queue, 14 is refused by the limit... */
	for (i = 0; i < 5; i++)
		send_udp(&pr, (uint16_t)(10 + i), PAYLOAD_1500);
	CU_ASSERT_EQUAL(link_get_stats(pr.l, 0)->drops[DROP_QUEUE_FULL], 1);
	/* ...and a drop-tail of 2 takes the LIFO's 13, 12: 11 is dropped */
	p.qlimit_pkts = 2;
	link_set_qdisc(pr.l, 0, qdisc_new(&p.dir[0].qdisc, 2, 0));
	CU_ASSERT_EQUAL(link_get_stats(pr.l, 0)->drops[DROP_QUEUE_FULL], 2);
	CU_ASSERT_EQUAL(link_qdisc(pr.l, 0)->id, 3);
	send_udp(&pr, 14, PAYLOAD_1500);	/* FIFO: refused, full */
	sim_run(pr.sim);
	CU_ASSERT_EQUAL(link_get_stats(pr.l, 0)->drops[DROP_QUEUE_FULL], 3);
	CU_ASSERT_EQUAL_FATAL(log.n, 7);
	for (i = 0; i < 7; i++)
		CU_ASSERT_EQUAL(log.tag[i], want[i]);
	pair_free(&pr);
}


/* --- the trace: queues by id --------------------------------------- */

struct qlen_want {
	sim_time t;
	uint32_t pkts;
	uint64_t bytes;
};

/*
 * Every queue is declared with its id, (link, dir) and kind; a shaper's
 * length is written by queue id at every change, at the exact times of the
 * shaper test (frames released at 0, 12, 120, 240 us), and a drop-tail's is
 * not (its ENQUEUE and TX records carry it). Taking the link down empties
 * the shaped queue in the trace too.
 */
static void
test_trace_queue_records(void)
{
	static const struct qlen_want want[] = {
		{ 0, 1, 1500 }, { 0, 0, 0 },		/* frame 0 in and out */
		{ 0, 1, 1500 }, { 0, 2, 3000 }, { 0, 3, 4500 },
		{ SIM_US(12), 2, 3000 }, { SIM_US(120), 1, 1500 },
		{ SIM_US(240), 0, 0 },
		{ SIM_MS(1), 1, 1500 }, { SIM_MS(1), 0, 0 },	/* full again */
		{ SIM_MS(1), 1, 1500 }, { SIM_MS(1), 2, 3000 },
		{ SIM_MS(1), 3, 4500 },
		{ SIM_MS(1) + 1, 0, 0 },	/* link down: purged */
	};
	struct link_params p = params(1000000000, SIM_US(1));
	struct rx_log log = { .n = 0 };
	char path[256], tmp[300], err[256];
	struct trace_reader *rd;
	struct trace_rec rec;
	struct trace *tr;
	struct pair pr;
	size_t nlen = 0;
	int i, ndef = 0, rc;

	snprintf(path, sizeof(path), "/tmp/xcsim_qdisc_%ld.xct", (long)getpid());
	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	tr = trace_open(path, 0, err, sizeof(err));
	CU_ASSERT_PTR_NOT_NULL_FATAL(tr);
	p.dir[0].qdisc = (struct qdisc_params){ .kind = QDISC_SHAPER,
	    .rate_bps = 100000000, .burst_bytes = 3000 };
	pair_build_traced(&pr, &p, &log, tr);
	for (i = 0; i < 4; i++)
		send_udp(&pr, (uint16_t)i, PAYLOAD_1500);
	sim_run_until(pr.sim, SIM_MS(1));
	for (i = 0; i < 4; i++)
		send_udp(&pr, (uint16_t)(10 + i), PAYLOAD_1500);
	sim_run_until(pr.sim, SIM_MS(1) + 1);
	link_set_up(pr.l, false);
	sim_run(pr.sim);
	/* the second batch died: 1 on the wire, 3 queued */
	CU_ASSERT_EQUAL(log.n, 4);
	CU_ASSERT_EQUAL(link_get_stats(pr.l, 0)->drops[DROP_LINK_DOWN], 4);
	CU_ASSERT_EQUAL(trace_close(tr, err, sizeof(err)), 0);
	pair_free(&pr);

	rd = trace_reader_open(path, err, sizeof(err));
	CU_ASSERT_PTR_NOT_NULL_FATAL(rd);
	while ((rc = trace_reader_next(rd, &rec, err, sizeof(err))) == 1) {
		if (rec.type == TR_QUEUE_DEF) {
			CU_ASSERT_EQUAL(rec.u.qdef.queue, (uint32_t)ndef);
			CU_ASSERT_EQUAL(rec.u.qdef.link, 0);
			CU_ASSERT_EQUAL(rec.u.qdef.dir, ndef);
			CU_ASSERT_STRING_EQUAL(rec.u.qdef.kind,
			    ndef == 0 ? "shaper" : "droptail");
			ndef++;
		}
		if (rec.type != TR_QUEUE_LEN)
			continue;
		CU_ASSERT_EQUAL(rec.u.qlen.queue, 0);
		if (nlen < sizeof(want) / sizeof(want[0])) {
			CU_ASSERT_EQUAL(rec.t, want[nlen].t);
			CU_ASSERT_EQUAL(rec.u.qlen.pkts, want[nlen].pkts);
			CU_ASSERT_EQUAL(rec.u.qlen.bytes, want[nlen].bytes);
		}
		nlen++;
	}
	CU_ASSERT_EQUAL(rc, 0);
	CU_ASSERT_EQUAL(ndef, 2);
	CU_ASSERT_EQUAL(nlen, sizeof(want) / sizeof(want[0]));
	trace_reader_close(rd);
	unlink(path);
	unlink(tmp);
}

static const struct test_case cases[] = {
	{ "drop-tail limits", test_droptail_limits },
	{ "drop-tail beyond 4 GiB", test_droptail_beyond_4gib },
	{ "link byte limit beyond 4 GiB", test_link_byte_limit_beyond_4gib },
	{ "default drop-tail, queue ids", test_default_is_droptail_with_queue_ids },
	{ "params check", test_params_check },
	{ "shaper spacing", test_shaper_spacing },
	{ "shaper exact release", test_shaper_exact_release },
	{ "shaper and link down", test_shaper_link_down },
	{ "shaper frame over burst", test_shaper_frame_over_burst },
	{ "policer exact", test_policer_exact },
	{ "policer queue limit", test_policer_queue_limit },
	{ "custom qdisc", test_custom_qdisc },
	{ "trace: queues by id", test_trace_queue_records },
	{ NULL, NULL }
};

int
main(int argc, char **argv)
{
	return test_main(argc, argv, "qdisc", cases);
}
