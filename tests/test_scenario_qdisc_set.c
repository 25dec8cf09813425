/*
 * test_scenario_qdisc_set.c - the timeline's qdisc-set: a policer's and a
 * shaper's rate changed at a time, measured as goodput before and after
 * (what the simulated bytes say, within the bucket's burst), the frames
 * queued then kept, and what the loader refuses with the exact line:col.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "apps.h"
#include "net.h"
#include "qdisc.h"
#include "scenario.h"
#include "scenario_run.h"
#include "scenario_testutil.h"
#include "testutil.h"

/* Two hosts on 10.0.0.0/24 (lines 1-3), then "links:" (line 4). */
#define N2                                                                  \
	"nodes:\n"                                                          \
	"  - { name: a, role: host, interfaces: [{ name: eth0, address: "   \
	"10.0.0.1/24 }] }\n"                                                \
	"  - { name: b, role: host, interfaces: [{ name: eth0, address: "   \
	"10.0.0.2/24 }] }\n"                                                \
	"links:\n"
/* lines 5-9 */
#define LK "  - name: l1\n    a: a:eth0\n    b: b:eth0\n    rate: 10Gbps\n"  \
	"    qdisc: { kind: policer, rate: 1000Mbps, burst: 25KB }\n"
/*
 * 1,250-byte frames (1,208 of UDP payload) every 4 us: 2.5 Gbit/s offered
 * from 0 to 40 ms, more than either rate.
 */
#define APP                                                                 \
	"apps:\n"                                                           \
	"  - { name: f, type: udp_cbr, node: a, dst: b, start: 0s, "        \
	"interval: 4us, size: 1208, count: 10000 }\n"
#define FRAME_BITS (1250 * 8)

static struct scenario *
load_ok(const char *text)
{
	char *diag = NULL;
	unsigned n_err = 99;
	struct scenario *sc = load(text, &diag, &n_err);

	CU_ASSERT_EQUAL(n_err, 0);
	if (n_err != 0)
		fprintf(stderr, "\n%s", diag);
	free(diag);
	return sc;
}

/*
 * The bit rate the sink saw over [from, to): the run stops at each end
 * and reads the datagrams received (each one 1,250-byte frame on the
 * link).
 */
static double
rate_between(struct run *r, struct app *sink, sim_time from, sim_time to)
{
	uint64_t b0, b1;

	run_advance(r, from);
	b0 = udp_sink_received(sink);
	run_advance(r, to);
	b1 = udp_sink_received(sink);
	return (double)(b1 - b0) * FRAME_BITS * 1e9 / (double)(to - from);
}

/*
 * Within a window of w ns a policer of rate R passes R * w plus at most
 * its bucket (25 KB) and one frame at either edge.
 */
static bool
near(double got, double want, sim_time w)
{
	double slack = (25000.0 * 8 + 2.0 * FRAME_BITS) * 1e9 / (double)w;

	if (got > want - slack && got < want + slack)
		return true;
	fprintf(stderr, "\n  rate %.0f, want %.0f +- %.0f", got, want, slack);
	return false;
}

static void
test_policer_rate_rises(void)
{
	char err[256] = "";
	struct run_opts o = { .out_dir = NULL };
	struct scenario *sc = load_ok(N2 LK APP "events:\n"
	    "  - { at: 10ms, action: qdisc-set, link: l1, dir: a->b, qdisc: "
	    "{ kind: policer, rate: 2000Mbps, burst: 25KB } }\n"
	    "duration: 50ms\n");
	const struct link *l;
	struct app *sink;
	struct run *r;

	CU_ASSERT_PTR_NOT_NULL_FATAL(sc);
	r = run_new(sc, &o, err, sizeof(err));
	CU_ASSERT_PTR_NOT_NULL_FATAL(r);
	sink = run_app(r, "f-sink");
	CU_ASSERT_PTR_NOT_NULL_FATAL(sink);
	l = net_find_link(run_net(r), "l1");
	CU_ASSERT_PTR_NOT_NULL_FATAL(l);
	CU_ASSERT_EQUAL(link_get_params(l)->dir[0].qdisc.rate_bps,
	    1000000000ULL);
	CU_ASSERT_TRUE(near(rate_between(r, sink, SIM_MS(2), SIM_MS(10)),
	    1e9, SIM_MS(8)));
	CU_ASSERT_TRUE(near(rate_between(r, sink, SIM_MS(12), SIM_MS(38)),
	    2e9, SIM_MS(26)));
	/* the new policer is what the link reports; b to a kept its own */
	CU_ASSERT_EQUAL(link_get_params(l)->dir[0].qdisc.rate_bps,
	    2000000000ULL);
	CU_ASSERT_EQUAL(link_get_params(l)->dir[1].qdisc.rate_bps,
	    1000000000ULL);
	CU_ASSERT_STRING_EQUAL(qdisc_kind(link_qdisc(l, 0)), "policer");
	run_free(r);
	scenario_free(sc);
}

/* Without the event the same flow stays at 1 Gbit/s. */
static void
test_no_event_no_change(void)
{
	char err[256] = "";
	struct run_opts o = { .out_dir = NULL };
	struct scenario *sc = load_ok(N2 LK APP "duration: 50ms\n");
	struct app *sink;
	struct run *r;

	CU_ASSERT_PTR_NOT_NULL_FATAL(sc);
	r = run_new(sc, &o, err, sizeof(err));
	CU_ASSERT_PTR_NOT_NULL_FATAL(r);
	sink = run_app(r, "f-sink");
	CU_ASSERT_PTR_NOT_NULL_FATAL(sink);
	CU_ASSERT_TRUE(near(rate_between(r, sink, SIM_MS(12), SIM_MS(38)),
	    1e9, SIM_MS(26)));
	run_free(r);
	scenario_free(sc);
}

/*
 * A shaper raised from 1 to 2 Gbit/s (both directions, the default): the
 * frames it held at 10 ms stay queued and leave at the new rate; nothing
 * is dropped for the change.
 */
static void
test_shaper_rate_rises(void)
{
	char err[256] = "";
	struct run_opts o = { .out_dir = NULL };
	struct scenario *sc = load_ok(N2
	    "  - name: l1\n    a: a:eth0\n    b: b:eth0\n    rate: 10Gbps\n"
	    "    queue: { packets: 100000 }\n"
	    "    qdisc: { kind: shaper, rate: 1Gbps, burst: 25KB, pps: "
	    "100000 }\n" APP "events:\n"
	    "  - { at: 10ms, action: qdisc-set, link: l1, qdisc: "
	    "{ kind: shaper, rate: 2Gbps, burst: 25KB, pps: 200000 } }\n"
	    "duration: 80ms\n");
	const struct link *l;
	const struct link_stats *st;
	struct app *sink;
	struct run *r;
	uint64_t queued;

	CU_ASSERT_PTR_NOT_NULL_FATAL(sc);
	r = run_new(sc, &o, err, sizeof(err));
	CU_ASSERT_PTR_NOT_NULL_FATAL(r);
	sink = run_app(r, "f-sink");
	l = net_find_link(run_net(r), "l1");
	CU_ASSERT_PTR_NOT_NULL_FATAL(l);
	/* 100,000 pps x 10,000 bits is exactly the byte rate: 1 Gbit/s */
	CU_ASSERT_TRUE(near(rate_between(r, sink, SIM_MS(2), SIM_MS(10)),
	    1e9, SIM_MS(8)));
	queued = qdisc_pkts(link_qdisc(l, 0));
	CU_ASSERT_TRUE(queued > 1000);
	CU_ASSERT_TRUE(near(rate_between(r, sink, SIM_MS(12), SIM_MS(38)),
	    2e9, SIM_MS(26)));
	CU_ASSERT_EQUAL(link_get_params(l)->dir[1].qdisc.rate_pps, 200000);
	while (run_advance(r, run_end_time(r)))
		;
	st = link_get_stats(l, 0);
	CU_ASSERT_EQUAL(st->drops[DROP_QUEUE_FULL], 0);
	CU_ASSERT_EQUAL(st->tx_pkts, 10000);
	CU_ASSERT_EQUAL(udp_sink_received(sink), 10000);
	run_free(r);
	scenario_free(sc);
}

static const struct bad {
	const char *what, *text, *at, *msg;
} bad_inputs[] = {
	{ "unknown link",
	    N2 LK "events:\n  - { at: 1s, action: qdisc-set, link: l2, "
	    "qdisc: { kind: policer, rate: 1Gbps, burst: 25KB } }\n",
	    "11:40", "unknown link 'l2'" },
	{ "burst below one frame",
	    N2 LK "events:\n  - { at: 1s, action: qdisc-set, link: l1, "
	    "qdisc: { kind: policer, rate: 1Gbps, burst: 1000 } }\n",
	    "11:88", "the policer burst of link 'l1' is 1000 bytes, less "
	    "than one full frame" },
	{ "shaper faster than the link",
	    N2 LK "events:\n  - { at: 1s, action: qdisc-set, link: l1, "
	    "dir: b->a, qdisc: { kind: shaper, rate: 20Gbps, burst: 25KB } "
	    "}\n",
	    "11:84", "the shaper of link 'l1' is faster (20Gbps) than the "
	    "link's 10Gbps from b to a" },
	{ "bad direction",
	    N2 LK "events:\n  - { at: 1s, action: qdisc-set, link: l1, "
	    "dir: up, qdisc: { kind: policer, rate: 1Gbps, burst: 25KB } }\n",
	    "11:49", "unknown dir 'up' (one of: both, a->b, b->a)" },
};

static void
test_bad_qdisc_sets(void)
{
	size_t i;

	for (i = 0; i < sizeof(bad_inputs) / sizeof(bad_inputs[0]); i++) {
		const struct bad *b = &bad_inputs[i];
		char *diag = NULL;
		unsigned n_err = 0;
		struct scenario *sc = load(b->text, &diag, &n_err);
		bool hit = has_error(diag, b->at, b->msg);

		CU_ASSERT_PTR_NULL(sc);
		CU_ASSERT_TRUE(hit);
		CU_ASSERT_EQUAL(n_err, 1);
		if (!hit || n_err != 1 || sc != NULL)
			fprintf(stderr, "\n  row '%s': want %s '%s', got:\n%s",
			    b->what, b->at, b->msg, diag);
		scenario_free(sc);
		free(diag);
	}
}

static const struct test_case cases[] = {
	{ "a policer raised at 10 ms: 1 then 2 Gbit/s", test_policer_rate_rises },
	{ "no event: the policer's rate all along", test_no_event_no_change },
	{ "a shaper raised: its queue kept, then 2 Gbit/s", test_shaper_rate_rises },
	{ "each bad qdisc-set: exact line:col and message", test_bad_qdisc_sets },
	{ NULL, NULL }
};

int
main(int argc, char **argv)
{
	return test_main(argc, argv, "scenario_qdisc_set", cases);
}
