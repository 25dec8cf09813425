/*
 * test_scenario_qdisc.c - queue disciplines in scenario files: the link's
 * qdisc and its per-direction overrides, what the loader refuses (with the
 * exact line:column), what the build installs on each link direction, and
 * the figures of scenarios/examples/gateway-sku.yaml.
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

#define SRC XCSIM_SOURCE_DIR

/* Two hosts on 10.0.0.0/24 (lines 1-3), then "links:" (line 4). */
#define N2                                                                  \
	"nodes:\n"                                                          \
	"  - { name: a, role: host, interfaces: [{ name: eth0, address: "   \
	"10.0.0.1/24 }] }\n"                                                \
	"  - { name: b, role: host, interfaces: [{ name: eth0, address: "   \
	"10.0.0.2/24 }] }\n"                                                \
	"links:\n"
/* ... the same with QinQ tags on both ends: frames up to mtu + 22. */
#define N2Q                                                                 \
	"nodes:\n"                                                          \
	"  - { name: a, role: host, interfaces: [{ name: eth0, address: "   \
	"10.0.0.1/24, svlan: 100, vlan: 200 }] }\n"                         \
	"  - { name: b, role: host, interfaces: [{ name: eth0, address: "   \
	"10.0.0.2/24, svlan: 100, vlan: 200 }] }\n"                         \
	"links:\n"
#define LK "  - name: l1\n    a: a:eth0\n    b: b:eth0\n    rate: 1Gbps\n"

static void
test_link_and_direction_qdisc(void)
{
	char *diag = NULL;
	unsigned n_err = 99;
	struct scenario *sc = load(N2 LK
	    "    queue: { packets: 20, bytes: 6GiB }\n"
	    "    qdisc: { kind: policer, rate: 200Mbps, burst: 3000B }\n"
	    "    a_to_b:\n"
	    "      rate: 500Mbps\n"
	    "      qdisc: { kind: shaper, rate: 100Mbps, burst: 64KB }\n",
	    &diag, &n_err);
	const struct sc_link *l;

	CU_ASSERT_EQUAL(n_err, 0);
	CU_ASSERT_STRING_EQUAL(diag, "");
	free(diag);
	CU_ASSERT_PTR_NOT_NULL_FATAL(sc);
	l = &sc->links[0];
	/* past 32 bits: the link's limit is 64-bit now */
	CU_ASSERT_EQUAL(l->qlimit_bytes, 6ULL << 30);
	CU_ASSERT_EQUAL(l->qlimit_pkts, 20);
	/* a->b: its own shaper replaces the link's policer */
	CU_ASSERT_EQUAL(l->dir[0].qdisc.kind, SC_QDISC_SHAPER);
	CU_ASSERT_EQUAL(l->dir[0].qdisc.rate_bps, 100000000ULL);
	CU_ASSERT_EQUAL(l->dir[0].qdisc.burst_bytes, 64000);
	CU_ASSERT_EQUAL(l->dir[0].qdisc.vloc[QD_RATE].line, 13);
	CU_ASSERT_EQUAL(l->dir[0].qdisc.vloc[QD_RATE].col, 36);
	/* b->a: the link's */
	CU_ASSERT_EQUAL(l->dir[1].qdisc.kind, SC_QDISC_POLICER);
	CU_ASSERT_EQUAL(l->dir[1].qdisc.rate_bps, 200000000ULL);
	CU_ASSERT_EQUAL(l->dir[1].qdisc.burst_bytes, 3000);
	CU_ASSERT_EQUAL(l->dir[1].qdisc.vloc[QD_RATE].line, 10);
	CU_ASSERT_EQUAL(l->dir[1].qdisc.vloc[QD_RATE].col, 35);
	scenario_free(sc);
}

/* No qdisc anywhere: both directions drop-tail (the zero value). */
static void
test_default_is_droptail(void)
{
	char *diag = NULL;
	unsigned n_err = 99;
	struct scenario *sc = load(N2 LK, &diag, &n_err);

	CU_ASSERT_EQUAL(n_err, 0);
	free(diag);
	CU_ASSERT_PTR_NOT_NULL_FATAL(sc);
	CU_ASSERT_EQUAL(sc->links[0].dir[0].qdisc.kind, SC_QDISC_DEFAULT);
	CU_ASSERT_EQUAL(sc->links[0].dir[1].qdisc.kind, SC_QDISC_DEFAULT);
	scenario_free(sc);
}

static const struct bad {
	const char *what, *text, *at, *msg;
	unsigned n;
} bad_inputs[] = {
	{ "shaper faster than its link: once for both directions",
	    N2 LK "    qdisc: { kind: shaper, rate: 2Gbps, burst: 64KB }\n",
	    "9:34", "the shaper of link 'l1' is faster (2Gbps) than the "
	    "link's 1Gbps from a to b: it would never hold a frame back "
	    "(lower its rate, or leave the link drop-tail)", 1 },
	{ "shaper faster than its direction's own rate",
	    N2 LK "    qdisc: { kind: shaper, rate: 600Mbps, burst: 64KB }\n"
	    "    b_to_a: { rate: 500Mbps }\n",
	    "9:34", "the shaper of link 'l1' is faster (600Mbps) than the "
	    "link's 500Mbps from b to a", 1 },
	{ "a direction's own shaper names the direction",
	    N2 LK "    b_to_a: { qdisc: { kind: shaper, rate: 10Gbps, "
	    "burst: 64KB } }\n",
	    "9:44", "the shaper of link 'l1' (b_to_a) is faster (10Gbps)", 1 },
	{ "burst below one full frame",
	    N2 LK "    qdisc: { kind: policer, rate: 100Mbps, burst: 1500B }\n",
	    "9:51", "the policer burst of link 'l1' is 1500 bytes, less than "
	    "one full frame: 1514 bytes (mtu 1500 + 14 of Ethernet header and "
	    "tags) would never pass (use a burst of at least 1514B)", 1 },
	{ "burst below one full frame with QinQ tags and a small mtu",
	    N2Q LK "    mtu: 1400\n"
	    "    qdisc: { kind: shaper, rate: 100Mbps, burst: 1421 }\n",
	    "10:50", "is 1421 bytes, less than one full frame: 1422 bytes "
	    "(mtu 1400 + 22 of Ethernet header and tags)", 1 },
	{ "both faults, in one direction only",
	    N2 LK "    a_to_b: { qdisc: { kind: shaper, rate: 2Gbps, "
	    "burst: 1000 } }\n",
	    "9:44", "the shaper of link 'l1' (a_to_b) is faster", 2 },
	{ "a rate without its burst",
	    N2 LK "    qdisc: { kind: shaper, rate: 100Mbps }\n",
	    "9:12", "qdisc is missing required key 'burst'", 1 },
	{ "a token rate for drop-tail",
	    N2 LK "    qdisc: { kind: droptail, rate: 100Mbps }\n",
	    "9:30", "key 'rate' does not apply when kind is droptail (only "
	    "for shaper, policer)", 1 },
	{ "a misspelt kind",
	    N2 LK "    qdisc: { kind: polcer, rate: 1Gbps, burst: 64KB }\n",
	    "9:20", "unknown kind 'polcer' (did you mean 'policer'?) (one of: "
	    "droptail, shaper, policer, red, codel)", 1 },
	{ "a zero rate",
	    N2 LK "    qdisc: { kind: policer, rate: 0bps, burst: 64KB }\n",
	    "9:35", "'rate' must be more than 0bps", 1 },
	{ "a zero burst",
	    N2 LK "    qdisc: { kind: policer, rate: 1Mbps, burst: 0 }\n",
	    "9:49", "'burst' 0 is out of range", 1 },
};

static void
test_bad_qdiscs(void)
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
		CU_ASSERT_EQUAL(n_err, b->n);
		if (!hit || n_err != b->n || sc != NULL)
			fprintf(stderr, "\n  row '%s': want %s '%s' (%u), got:"
			    "\n%s", b->what, b->at, b->msg, b->n, diag);
		scenario_free(sc);
		free(diag);
	}
}

/*
 * A policer faster than its link is valid: it polices arrivals, which a
 * faster link feeding the node can bring at more than the link's rate. A
 * burst of exactly one full frame is the least that works.
 */
static void
test_edges_accepted(void)
{
	char *diag = NULL;
	unsigned n_err = 99;
	struct scenario *sc = load(N2Q LK
	    "    qdisc: { kind: policer, rate: 5Gbps, burst: 1522 }\n"
	    "    a_to_b: { qdisc: { kind: shaper, rate: 1Gbps, burst: 1522 } "
	    "}\n", &diag, &n_err);

	CU_ASSERT_EQUAL(n_err, 0);
	CU_ASSERT_STRING_EQUAL(diag, "");
	free(diag);
	scenario_free(sc);
}

/* What the build installs: each direction's discipline and limits. */
static void
test_build_installs(void)
{
	char *diag = NULL, err[256] = "";
	unsigned n_err = 99;
	struct scenario *sc;
	struct run_opts o = { .out_dir = NULL };
	struct run *r;
	const struct link *l;
	const struct link_params *p;

	sc = load(N2 LK
	    "    queue: { packets: 7, bytes: 5GiB }\n"
	    "    qdisc: { kind: policer, rate: 200Mbps, burst: 3000B }\n"
	    "    a_to_b: { qdisc: { kind: shaper, rate: 100Mbps, burst: 64KB "
	    "} }\n", &diag, &n_err);
	free(diag);
	CU_ASSERT_PTR_NOT_NULL_FATAL(sc);
	r = run_new(sc, &o, err, sizeof(err));
	CU_ASSERT_PTR_NOT_NULL_FATAL(r);
	l = net_find_link(run_net(r), "l1");
	CU_ASSERT_PTR_NOT_NULL_FATAL(l);
	p = link_get_params(l);
	CU_ASSERT_EQUAL(p->qlimit_pkts, 7);
	CU_ASSERT_EQUAL(p->qlimit_bytes, 5ULL << 30);
	CU_ASSERT_EQUAL(p->dir[0].qdisc.kind, QDISC_SHAPER);
	CU_ASSERT_EQUAL(p->dir[0].qdisc.rate_bps, 100000000ULL);
	CU_ASSERT_EQUAL(p->dir[0].qdisc.burst_bytes, 64000);
	CU_ASSERT_EQUAL(p->dir[1].qdisc.kind, QDISC_POLICER);
	CU_ASSERT_EQUAL(p->dir[1].qdisc.rate_bps, 200000000ULL);
	CU_ASSERT_EQUAL(p->dir[1].qdisc.burst_bytes, 3000);
	CU_ASSERT_STRING_EQUAL(qdisc_kind(link_qdisc(l, 0)), "shaper");
	CU_ASSERT_STRING_EQUAL(qdisc_kind(link_qdisc(l, 1)), "policer");
	run_free(r);
	scenario_free(sc);
}

static const struct probe *
worst_probe(const struct app *ping, sim_time from, sim_time to)
{
	const struct probe *w = NULL;
	size_t i;

	for (i = 0; i < ping_n_probes(ping); i++) {
		const struct probe *p = ping_probe(ping, i);

		if (p->sent < from || p->sent >= to)
			continue;
		CU_ASSERT_EQUAL(p->result, PROBE_REPLY);
		if (w == NULL || p->rtt > w->rtt)
			w = p;
	}
	return w;
}

/*
 * The example's figures (its header comment derives them): 1.25 Gbit/s of
 * 1,250-byte frames against 1 Gbit/s of tokens.
 */
static void
test_gateway_sku_example(void)
{
	char err[256] = "";
	unsigned n_err = 99;
	struct scenario *sc = scenario_load_file(SRC
	    "/scenarios/examples/gateway-sku.yaml", stderr, &n_err);
	struct run_opts o = { .out_dir = NULL };
	const struct link_stats *gw, *gw_back, *ckt_up, *ckt_down;
	const struct probe *w;
	struct app *ping;
	struct run *r;
	struct net *net;

	CU_ASSERT_EQUAL(n_err, 0);
	CU_ASSERT_PTR_NOT_NULL_FATAL(sc);
	r = run_new(sc, &o, err, sizeof(err));
	CU_ASSERT_PTR_NOT_NULL_FATAL(r);
	while (run_advance(r, run_end_time(r)))
		;
	CU_ASSERT_EQUAL(run_check(r, NULL), 0);
	net = run_net(r);
	gw = link_get_stats(net_find_link(net, "gw-msee"), 0);
	gw_back = link_get_stats(net_find_link(net, "gw-msee"), 1);
	ckt_up = link_get_stats(net_find_link(net, "circuit"), 0);
	ckt_down = link_get_stats(net_find_link(net, "circuit"), 1);
	/*
	 * The shaper queues and drops nothing: about 990 frames (and the
	 * pings among them) by the time the flow ends at 60 ms.
	 */
	CU_ASSERT_EQUAL(gw->max_qpkts, 993);
	CU_ASSERT_EQUAL(gw->max_qbytes, 1240098);
	CU_ASSERT_EQUAL(gw->drops[DROP_QUEUE_FULL], 0);
	CU_ASSERT_EQUAL(gw->drops[DROP_POLICER], 0);
	/* 5,000 frames of to-oci and 39 echo requests */
	CU_ASSERT_EQUAL(gw->tx_pkts, 5039);
	/* its output conforms to the circuit's policer */
	CU_ASSERT_EQUAL(ckt_up->drops[DROP_POLICER], 0);
	CU_ASSERT_EQUAL(ckt_up->tx_pkts, 5039);
	/*
	 * Toward Azure the policer drops one frame in 5 once its 25 KB are
	 * spent: (5,000 + 39 replies - about 100 in the burst) / 5.
	 */
	CU_ASSERT_EQUAL(ckt_down->drops[DROP_POLICER], 982);
	CU_ASSERT_EQUAL(ckt_down->tx_pkts, 5039 - 982);
	/* what passed is at 1 Gbit/s: the gateway's shaper holds it little */
	CU_ASSERT_EQUAL(gw_back->drops[DROP_POLICER], 0);
	CU_ASSERT_EQUAL(gw_back->max_qpkts, 11);
	ping = run_app(r, "ping");
	CU_ASSERT_PTR_NOT_NULL_FATAL(ping);
	/* every app by name, the automatic sinks too, and nothing else */
	CU_ASSERT_STRING_EQUAL(run_app(r, "ping")->ops->kind, "ping");
	CU_ASSERT_PTR_NOT_NULL(run_app(r, "to-oci"));
	CU_ASSERT_PTR_NOT_NULL(run_app(r, "to-azure-sink"));
	if (run_app(r, "to-oci-sink") != NULL)
		CU_ASSERT_STRING_EQUAL(run_app(r, "to-oci-sink")->ops->kind,
		    "udp_sink");
	CU_ASSERT_PTR_NULL(run_app(r, "to-oci-sinkz"));
	CU_ASSERT_PTR_NULL(run_app(r, ""));
	/* 2 x 715 us of propagation, plus serialisation */
	w = worst_probe(ping, 0, SIM_MS(20));
	CU_ASSERT_PTR_NOT_NULL_FATAL(w);
	CU_ASSERT_EQUAL(w->rtt, 1430790);
	/* the probe sent at 60 ms waits behind the whole queue: 9.9 ms */
	w = worst_probe(ping, SIM_MS(20), SIM_MS(100));
	CU_ASSERT_PTR_NOT_NULL_FATAL(w);
	CU_ASSERT_EQUAL(w->sent, SIM_MS(60));
	CU_ASSERT_EQUAL(w->rtt, 11341746);
	w = worst_probe(ping, SIM_MS(145), SIM_MS(200));
	CU_ASSERT_PTR_NOT_NULL_FATAL(w);
	CU_ASSERT_EQUAL(w->rtt, 1430790);
	run_free(r);
	scenario_free(sc);
}

static const struct test_case cases[] = {
	{ "a link's qdisc and a direction's own", test_link_and_direction_qdisc },
	{ "no qdisc is drop-tail", test_default_is_droptail },
	{ "each bad qdisc: exact line:col and message", test_bad_qdiscs },
	{ "a fast policer and a one-frame burst are valid", test_edges_accepted },
	{ "the build installs each direction's discipline", test_build_installs },
	{ "gateway-sku.yaml: shaper delay and policer drops", test_gateway_sku_example },
	{ NULL, NULL }
};

int
main(int argc, char **argv)
{
	return test_main(argc, argv, "scenario_qdisc", cases);
}
