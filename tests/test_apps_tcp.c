/*
 * test_apps_tcp.c - the applications on the stream API over the simulated
 * TCP, and udp_poisson.
 *
 * Transaction latency on an idle path is computed here from the link's rate
 * and delay and the frames TCP puts on the wire (Ethernet 14 + IPv4 20 +
 * TCP 20 + options: 20 on a SYN or SYN-ACK (MSS, SACK-permitted,
 * timestamps, window scale), 12 on every other segment (timestamps)), and
 * must equal the simulated one to the nanosecond. Then bulk transfers of a
 * byte count, concurrency and a connection per request, a connection to a
 * closed port refused, and udp_poisson's mean rate and determinism.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "apps.h"
#include "flowstats.h"
#include "net.h"
#include "rng.h"
#include "scenario.h"
#include "scenario_run.h"
#include "sim.h"
#include "stream.h"
#include "tcp.h"
#include "testutil.h"
#include "units.h"

#define RATE 100000000ULL	/* the link: 100 Mbit/s */
#define DELAY SIM_MS(1)		/* one way */

#define HOSTS                                                               \
	"nodes:\n"                                                          \
	"  - { name: a, role: host, interfaces: [{ name: eth0, address: "   \
	"10.0.0.1/24 }] }\n"                                                \
	"  - { name: b, role: host, interfaces: [{ name: eth0, address: "   \
	"10.0.0.2/24 }] }\n"                                                \
	"links:\n  - { name: l1, a: \"a:eth0\", b: \"b:eth0\", rate: "      \
	"100Mbps, delay: 1ms }\n"

/* Frame of a TCP segment with payload bytes (syn: SYN or SYN-ACK). */
static uint64_t
frame(uint64_t payload, int syn)
{
	uint64_t len = 14 + 20 + 20 + (syn ? 20 : 12) + payload;

	return len < 60 ? 60 : len;
}

static sim_time
tx(uint64_t bytes)
{
	return units_tx_time(bytes, RATE);
}

static struct run *
start(const char *text, struct scenario **scp)
{
	char err[256];
	unsigned n_err = 0;
	struct scenario *sc = scenario_load_buffer("t.yaml", text, strlen(text),
	    stderr, &n_err);
	struct run *r;

	*scp = sc;
	if (sc == NULL)
		return NULL;
	r = run_new(sc, &(struct run_opts){ 0 }, err, sizeof(err));
	if (r == NULL)
		fprintf(stderr, "run_new: %s\n", err);
	return r;
}

static void
finish(struct run *r, struct scenario *sc)
{
	run_free(r);
	scenario_free(sc);
}

/*
 * A persistent connection: the first transaction waits behind the ACK
 * that completes the handshake (sent before on_connected), the next ones
 * ride alone: request frame, propagation, response frame, propagation.
 * One connection per request adds the handshake: SYN and SYN-ACK each way,
 * then the ACK and the request (queued at connect) back to back.
 */
static void
test_latency_idle_path(void)
{
	struct scenario *sc;
	struct run *r = start(HOSTS "duration: 2s\napps:\n"
	    "  - { name: p, type: request_response, node: a, dst: b, count: "
	    "4, request: { size: 100 }, response: { size: 1000 } }\n"
	    "  - { name: n, type: request_response, node: a, dst: b, dport: "
	    "1600, count: 3, persistent: false, think: 100ms, start: 1s, "
	    "request: { size: 100 }, response: { size: 1000 } }\n", &sc);
	sim_time steady = tx(frame(100, 0)) + DELAY + tx(frame(1000, 0)) +
	    DELAY;
	sim_time hs = tx(frame(0, 1)) + DELAY + tx(frame(0, 1)) + DELAY +
	    tx(frame(0, 0));
	const struct lat_hist *h;

	CU_ASSERT_PTR_NOT_NULL_FATAL(r);
	run_advance(r, run_end_time(r));
	h = rr_latency(run_app(r, "p"));
	CU_ASSERT_EQUAL(h->count, 4);
	CU_ASSERT_EQUAL(h->min, steady);
	CU_ASSERT_EQUAL(h->max, steady + tx(frame(0, 0)));
	CU_ASSERT_TRUE(h->sum == 3 * (__int128)steady + h->max);
	CU_ASSERT_EQUAL(steady, 2098560);	/* by hand: 13.28+85.28 us */
	h = rr_latency(run_app(r, "n"));
	CU_ASSERT_EQUAL(h->count, 3);
	CU_ASSERT_EQUAL(h->min, hs + steady);
	CU_ASSERT_EQUAL(h->max, hs + steady);
	CU_ASSERT_EQUAL(rr_server_answered(run_app(r, "n-server")), 3);
	/* one connection per request: three flows, each closed */
	CU_ASSERT_EQUAL(rr_client_flows(run_app(r, "n"))->n_total, 3);
	CU_ASSERT_EQUAL(rr_client_flows(run_app(r, "p"))->n_total, 1);
	finish(r, sc);
}

/* Bytes split over streams, all acknowledged, none retransmitted. */
static void
test_bulk_byte_count(void)
{
	struct scenario *sc;
	struct run *r = start(HOSTS "duration: 5s\napps:\n"
	    "  - { name: x, type: tcp_bulk, node: a, dst: b, bytes: 3000001, "
	    "streams: 3, tcp: { cc: cubic } }\n", &sc);
	const struct app *a, *k;
	const struct flowset *fs;
	size_t i;

	CU_ASSERT_PTR_NOT_NULL_FATAL(r);
	run_advance(r, run_end_time(r));
	a = run_app(r, "x");
	k = run_app(r, "x-sink");
	CU_ASSERT_PTR_NOT_NULL_FATAL(k);
	CU_ASSERT_EQUAL(tcp_bulk_acked(a), 3000001);
	CU_ASSERT_EQUAL(tcp_sink_bytes(k), 3000001);
	CU_ASSERT_TRUE(tcp_bulk_done_at(a) > 0);
	/* 3 MB at 100 Mbit/s: at least 240 ms, well under 1 s here */
	CU_ASSERT_TRUE(tcp_bulk_done_at(a) > SIM_MS(240));
	CU_ASSERT_TRUE(tcp_bulk_done_at(a) < SIM_S(1));
	CU_ASSERT_EQUAL(tcp_bulk_failed(a, NULL), 0);
	fs = tcp_bulk_flows(a);
	CU_ASSERT_EQUAL_FATAL(fs->n_flows, 3);
	for (i = 0; i < 3; i++) {
		const struct tcp_stats *st = flowset_stats(fs, i);

		CU_ASSERT_EQUAL(fs->flows[i].cc, TCP_CC_CUBIC);
		/* 1000001 to the first, 1000000 to the others */
		CU_ASSERT_EQUAL(st->bytes_acked, i == 0 ? 1000001 : 1000000);
		CU_ASSERT_EQUAL(st->retrans_segs, 0);
		CU_ASSERT_TRUE(st->rtt_samples > 0);
		CU_ASSERT_TRUE(st->min_rtt >= 2 * DELAY);
	}
	CU_ASSERT_EQUAL(flowset_bytes_between(fs, 0, 0, SIM_S(5)), 3000001);
	CU_ASSERT_EQUAL(flowset_bytes_between(fs, 1, 0, SIM_S(5)), 1000001);
	CU_ASSERT_EQUAL(flowset_bytes_between(fs, 3, 0, SIM_S(5)), 1000000);
	CU_ASSERT_EQUAL(flowset_bytes_between(fs, 4, 0, SIM_S(5)), 0);
	/* cwnd rows: the first at the start, then changes of >= 1 MSS */
	CU_ASSERT_TRUE(fs->n_rows > 3);
	finish(r, sc);
}

/*
 * A bulk transfer for a duration: it stops queueing at start + duration,
 * what it queued is still delivered, and then it is done.
 */
static void
test_bulk_duration(void)
{
	struct scenario *sc;
	struct run *r = start(HOSTS "duration: 3s\napps:\n"
	    "  - { name: x, type: tcp_bulk, node: a, dst: b, start: 100ms, "
	    "duration: 500ms }\n", &sc);
	const struct app *a;
	uint64_t acked;

	CU_ASSERT_PTR_NOT_NULL_FATAL(r);
	run_advance(r, run_end_time(r));
	a = run_app(r, "x");
	acked = tcp_bulk_acked(a);
	CU_ASSERT_EQUAL(tcp_sink_bytes(run_app(r, "x-sink")), acked);
	/* at most line rate over the 500 ms, most of it after slow start */
	CU_ASSERT_TRUE(acked < RATE / 8 / 2);
	CU_ASSERT_TRUE(acked > RATE / 8 / 4);
	CU_ASSERT_TRUE(tcp_bulk_done_at(a) > SIM_MS(600));
	CU_ASSERT_TRUE(tcp_bulk_done_at(a) < SIM_MS(700));
	/* nothing acknowledged in a bin that starts after it is done */
	CU_ASSERT_EQUAL(flowset_bytes_between(tcp_bulk_flows(a), 0, SIM_MS(700),
	    SIM_S(3)), 0);
	finish(r, sc);
}

/* Clients in parallel, persistent and one connection per request. */
static void
test_concurrency(void)
{
	struct scenario *sc;
	struct run *r = start(HOSTS "duration: 3s\napps:\n"
	    "  - { name: p, type: request_response, node: a, dst: b, "
	    "concurrency: 4, count: 10 }\n"
	    "  - { name: n, type: request_response, node: a, dst: b, dport: "
	    "1522, concurrency: 3, count: 5, persistent: false, request: { "
	    "dist: uniform, min: 100, max: 3000 }, response: { dist: "
	    "exponential, size: 20KB } }\n", &sc);
	const struct app *p, *n;

	CU_ASSERT_PTR_NOT_NULL_FATAL(r);
	run_advance(r, run_end_time(r));
	p = run_app(r, "p");
	n = run_app(r, "n");
	CU_ASSERT_EQUAL(rr_completed(p), 40);
	CU_ASSERT_EQUAL(rr_server_answered(run_app(r, "p-server")), 40);
	CU_ASSERT_EQUAL(rr_client_flows(p)->n_total, 4);
	CU_ASSERT_EQUAL(rr_server_flows(run_app(r, "p-server"))->n_total, 4);
	CU_ASSERT_EQUAL(rr_completed(n), 15);
	CU_ASSERT_EQUAL(rr_client_flows(n)->n_total, 15);
	CU_ASSERT_EQUAL(rr_server_flows(run_app(r, "n-server"))->n_total, 15);
	CU_ASSERT_EQUAL(rr_failed(p, NULL) + rr_failed(n, NULL), 0);
	/* every response byte read counts in the client's goodput */
	CU_ASSERT_EQUAL(rr_client_flows(p)->bytes, 40 * 4096);
	finish(r, sc);
}

/*
 * Past FLOWSET_DETAIL flows an app's connections are summed, not kept:
 * memory stays bounded, the counts stay whole.
 */
static void
test_many_flows_bounded(void)
{
	struct scenario *sc;
	struct run *r = start(HOSTS "duration: 5s\napps:\n"
	    "  - { name: n, type: request_response, node: a, dst: b, count: "
	    "300, persistent: false }\n", &sc);
	const struct flowset *fs;
	char *buf = NULL;
	size_t len = 0;
	FILE *f;

	CU_ASSERT_PTR_NOT_NULL_FATAL(r);
	run_advance(r, run_end_time(r));
	CU_ASSERT_EQUAL(rr_completed(run_app(r, "n")), 300);
	fs = rr_client_flows(run_app(r, "n"));
	CU_ASSERT_EQUAL(fs->n_total, 300);
	CU_ASSERT_EQUAL(fs->n_flows, FLOWSET_DETAIL);
	CU_ASSERT_EQUAL(fs->n_agg, 300 - FLOWSET_DETAIL);
	f = open_memstream(&buf, &len);
	flowset_write_json_more(fs, f);
	fclose(f);
	/* 44 more flows, each with a 256-byte request and 4 KiB response */
	CU_ASSERT_PTR_NOT_NULL(strstr(buf, ",\"flows_total\":300,"
	    "\"flows_more\":{\"count\":44,\"bytes_acked\":11264,"
	    "\"bytes_received\":180224,\"retransmits\":0,\"rto_expiries\":0,"
	    "\"fast_recoveries\":0,\"rtt_samples\":"));
	if (strstr(buf, "\"bytes_acked\":11264,") == NULL)
		fprintf(stderr, "\n  %s\n", buf);
	free(buf);
	finish(r, sc);
}

/* A bulk transfer to a port nobody listens on: refused by a reset. */
static void
test_closed_port_refused(void)
{
	struct scenario *sc;
	struct run *r = start(HOSTS "duration: 1s\n", &sc);
	struct tcp_bulk_cfg c = { .dst = 0x0a000002, .dport = 7777,
	    .bytes = 1000, .streams = 2 };
	struct app *a;
	int err = 0;

	CU_ASSERT_PTR_NOT_NULL_FATAL(r);
	app_tcp_opts_default(&c.tcp);
	a = tcp_bulk_new(net_find_node(run_net(r), "a"), "x", &c);
	app_start(a);
	run_advance(r, run_end_time(r));
	CU_ASSERT_EQUAL(tcp_bulk_failed(a, &err), 2);
	CU_ASSERT_EQUAL(err, STREAM_REFUSED);
	CU_ASSERT_EQUAL(tcp_bulk_acked(a), 0);
	CU_ASSERT_EQUAL(tcp_bulk_done_at(a), -1);
	app_free(a);
	finish(r, sc);
}

/*
 * A pool's client whose connection is reset (the server's host loses its
 * power from 1 s to 2 s, so the client's next retransmission after 2 s
 * meets a reset) stops for good without `reconnect` (the 10 transactions
 * done before 1 s), and with it connects again 500 ms after the reset and
 * goes on to the end: 44 in all, one connection failed either way.
 */
static void
test_reconnect(void)
{
	static const char *const with[2] = { "", ", reconnect: 500ms" };
	static const uint64_t want[2] = { 10, 44 };
	char text[1024];
	int i, err;

	for (i = 0; i < 2; i++) {
		struct scenario *sc;
		struct run *r;
		const struct app *q;

		snprintf(text, sizeof(text), HOSTS "duration: 6s\napps:\n"
		    "  - { name: q, type: request_response, node: a, dst: b, "
		    "think: 100ms%s }\nevents:\n"
		    "  - { at: 1s, action: node-down, node: b }\n"
		    "  - { at: 2s, action: node-up, node: b }\n", with[i]);
		r = start(text, &sc);
		CU_ASSERT_PTR_NOT_NULL_FATAL(r);
		run_advance(r, run_end_time(r));
		q = run_app(r, "q");
		err = 0;
		CU_ASSERT_EQUAL(rr_failed(q, &err), 1);
		CU_ASSERT_EQUAL(err, STREAM_RESET);
		CU_ASSERT_EQUAL(rr_completed(q), want[i]);
		CU_ASSERT_EQUAL(rr_server_answered(run_app(r, "q-server")),
		    want[i]);
		finish(r, sc);
	}
}

static void
poisson_run(uint64_t seed, uint64_t *sent, uint64_t *digest, uint64_t *rx)
{
	char text[1024];
	struct scenario *sc;
	struct run *r;

	snprintf(text, sizeof(text), HOSTS "seed: %llu\nduration: 10s\napps:\n"
	    "  - { name: u, type: udp_poisson, node: a, dst: b, size: 100, "
	    "interval: 1ms }\n", (unsigned long long)seed);
	r = start(text, &sc);
	CU_ASSERT_PTR_NOT_NULL_FATAL(r);
	run_advance(r, run_end_time(r));
	*sent = udp_poisson_sent(run_app(r, "u"));
	*digest = udp_poisson_digest(run_app(r, "u"));
	*rx = udp_sink_received(run_app(r, "u-sink"));
	finish(r, sc);
}

/*
 * 10 s at a mean gap of 1 ms: 10,000 expected, standard deviation 100;
 * five of them either way. The same seed sends at the same instants.
 */
static void
test_udp_poisson(void)
{
	uint64_t s1, d1, r1, s2, d2, r2, s3, d3, r3;

	poisson_run(7, &s1, &d1, &r1);
	poisson_run(7, &s2, &d2, &r2);
	poisson_run(8, &s3, &d3, &r3);
	CU_ASSERT_TRUE(s1 >= 9500 && s1 <= 10500);
	CU_ASSERT_TRUE(s3 >= 9500 && s3 <= 10500);
	CU_ASSERT_EQUAL(s1, s2);
	CU_ASSERT_EQUAL(d1, d2);
	CU_ASSERT_NOT_EQUAL(d1, d3);
	/* all but those still on the wire at the end arrive */
	CU_ASSERT_TRUE(r1 <= s1 && r1 + 5 >= s1);
}

/* Sizes: each distribution's mean and bounds, for a fixed seed. */
static void
test_size_dist(void)
{
	struct size_dist d[] = {
		{ SIZE_FIXED, 500, 0, 0, 0 },
		{ SIZE_EXPONENTIAL, 1000, 0, 0, 0 },
		{ SIZE_UNIFORM, 0, 100, 300, 0 },
		{ SIZE_LOGNORMAL, 1000, 0, 0, 10000 },
	};
	struct rng rg;
	size_t i, j, above;
	double sum;

	rng_init(&rg, 1, "size");
	for (i = 0; i < 4; i++) {
		sum = 0;
		above = 0;
		for (j = 0; j < 100000; j++) {
			uint64_t v = size_dist_draw(&d[i], &rg, 8);

			CU_ASSERT_TRUE(v >= 8);
			if (d[i].kind == SIZE_UNIFORM)
				CU_ASSERT_TRUE(v >= 100 && v <= 300);
			sum += (double)v;
			above += v > (d[i].kind == SIZE_LOGNORMAL ? 10000 :
			    1000);
		}
		sum /= 100000;
		if (i == 0)
			CU_ASSERT_EQUAL(sum, 500);
		if (i == 1)
			CU_ASSERT_TRUE(fabs(sum - 1000) < 20);
		if (i == 2)
			CU_ASSERT_TRUE(fabs(sum - 200) < 2);
		if (i == 3)	/* 1% above the 99th percentile */
			CU_ASSERT_TRUE(above > 800 && above < 1200);
	}
	d[1].max = 1500;	/* a cap */
	for (j = 0; j < 1000; j++)
		CU_ASSERT_TRUE(size_dist_draw(&d[1], &rg, 1) <= 1500);
}

static const struct test_case cases[] = {
	{ "request/response latency on an idle path, exact",
	    test_latency_idle_path },
	{ "bulk transfer of a byte count over parallel streams",
	    test_bulk_byte_count },
	{ "bulk transfer for a duration", test_bulk_duration },
	{ "concurrency, persistent and one connection per request",
	    test_concurrency },
	{ "many flows in bounded memory", test_many_flows_bounded },
	{ "a closed port refuses the connection", test_closed_port_refused },
	{ "request_response: a pool reconnects after a reset",
	    test_reconnect },
	{ "udp_poisson: mean rate and determinism", test_udp_poisson },
	{ "size distributions", test_size_dist },
	{ NULL, NULL }
};

int
main(int argc, char **argv)
{
	return test_main(argc, argv, "apps_tcp", cases);
}
