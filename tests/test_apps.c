/*
 * test_apps.c - the applications' statistics (percentiles, histograms) and
 * ping's bookkeeping: replies matched in O(1) with many probes outstanding,
 * timeouts shorter than the RTT, probes in flight or dropped at the end.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "apps.h"
#include "rng.h"
#include "scenario.h"
#include "scenario_run.h"
#include "testutil.h"

static void
test_nearest_rank(void)
{
	sim_time v[] = { 10, 20, 30, 40, 50, 60, 70, 80, 90, 100 };

	CU_ASSERT_EQUAL(app_percentile(v, 10, 0), 10);
	CU_ASSERT_EQUAL(app_percentile(v, 10, 50), 50);
	CU_ASSERT_EQUAL(app_percentile(v, 10, 90), 90);
	CU_ASSERT_EQUAL(app_percentile(v, 10, 91), 100);
	CU_ASSERT_EQUAL(app_percentile(v, 10, 100), 100);
	CU_ASSERT_EQUAL(app_percentile(v, 1, 99), 10);
	CU_ASSERT_EQUAL(app_percentile(v, 0, 50), 0);
}

static int
cmp(const void *a, const void *b)
{
	sim_time x = *(const sim_time *)a, y = *(const sim_time *)b;

	return x < y ? -1 : x > y;
}

static void
test_histogram_against_exact(void)
{
	static sim_time v[200000];
	static const unsigned pcts[] = { 1, 10, 50, 90, 99, 100 };
	struct lat_hist h = { 0 };
	struct rng r;
	__int128 sum = 0;
	size_t i, k;

	rng_init(&r, 3, "hist");
	for (i = 0; i < 200000; i++) {
		/* spread over 9 orders of magnitude, plus exact small values */
		v[i] = i % 10 == 0 ? (sim_time)(i % 64) :
		    (sim_time)(rng_unit(&r) * rng_unit(&r) * 1e9);
		lat_hist_add(&h, v[i]);
		sum += v[i];
	}
	qsort(v, 200000, sizeof(v[0]), cmp);
	CU_ASSERT_EQUAL(h.count, 200000);
	CU_ASSERT_EQUAL(h.min, v[0]);
	CU_ASSERT_EQUAL(h.max, v[199999]);
	CU_ASSERT_TRUE(h.sum == sum);
	for (k = 0; k < sizeof(pcts) / sizeof(pcts[0]); k++) {
		sim_time exact = app_percentile(v, 200000, pcts[k]);
		sim_time approx = lat_hist_percentile(&h, pcts[k]);
		sim_time diff = approx > exact ? approx - exact : exact - approx;

		/* within one bucket: 1/64 relative, or exact below 64 ns */
		CU_ASSERT_TRUE(diff * 64 <= exact || (exact < 64 && diff == 0));
	}
	CU_ASSERT_TRUE(h.n_buckets < 2500);	/* bounded, not per sample */
	lat_hist_free(&h);
	CU_ASSERT_EQUAL(lat_hist_percentile(&h, 50), 0);
}

/* Two hosts 1 ms apart on a 100 Gbit/s link, then the app and the rest. */
static struct run *
ping_run(const char *tail, struct scenario **scp)
{
	char text[2048], err[256];
	struct scenario *sc;
	struct run *r;

	snprintf(text, sizeof(text), "nodes:\n"
	    "  - { name: a, role: host, interfaces: [ { name: e, address: 10.0.0.1/24 } ] }\n"
	    "  - { name: b, role: host, interfaces: [ { name: e, address: 10.0.0.2/24 } ] }\n"
	    "%s", tail);
	sc = scenario_load_buffer("ping.yaml", text, strlen(text), stderr,
	    NULL);
	CU_ASSERT_PTR_NOT_NULL_FATAL(sc);
	r = run_new(sc, &(struct run_opts){ .out_dir = NULL }, err,
	    sizeof(err));
	CU_ASSERT_PTR_NOT_NULL_FATAL(r);
	while (run_advance(r, run_end_time(r)))
		;
	*scp = sc;
	return r;
}

/*
 * The RTT of a 16-byte echo: twice 1 ms of propagation plus the
 * serialisation of its 60-byte frame (58 bytes padded to the Ethernet
 * minimum) at 100 Gbit/s, 4.8 ns rounded up to 5 ns.
 */
#define RTT_16B (SIM_MS(2) + 2 * 5)

static void
test_ping_many_outstanding(void)
{
	struct scenario *sc;
	struct run *r = ping_run("links:\n  - { name: l, a: \"a:e\", b: \"b:e\", "
	    "rate: 100Gbps, delay: 1ms }\napps:\n  - { name: p, type: ping, "
	    "node: a, dst: b, interval: 50ns, timeout: 10ms, count: 100000, "
	    "size: 16 }\n", &sc);
	const struct app *a = run_app(r, "p");
	size_t i, bad = 0;

	/* 40,000 probes in flight at once, every reply to its own probe */
	CU_ASSERT_EQUAL(ping_n_probes(a), 100000);
	for (i = 0; i < ping_n_probes(a); i++) {
		const struct probe *pr = ping_probe(a, i);

		if (pr->result != PROBE_REPLY || pr->rtt != RTT_16B ||
		    pr->sent != (sim_time)i * 50)
			bad++;
	}
	CU_ASSERT_EQUAL(bad, 0);
	run_free(r);
	scenario_free(sc);
}

static void
test_ping_timeout_below_rtt(void)
{
	struct scenario *sc;
	/* every reply comes after its probe timed out: none may match */
	struct run *r = ping_run("links:\n  - { name: l, a: \"a:e\", b: \"b:e\", "
	    "rate: 100Gbps, delay: 1ms }\napps:\n  - { name: p, type: ping, "
	    "node: a, dst: b, interval: 1us, timeout: 500us, count: 100000, "
	    "size: 16 }\n", &sc);
	const struct app *a = run_app(r, "p");
	size_t i, timeouts = 0;

	CU_ASSERT_EQUAL(ping_n_probes(a), 100000);
	for (i = 0; i < ping_n_probes(a); i++)
		if (ping_probe(a, i)->result == PROBE_TIMEOUT &&
		    probe_lost(ping_probe(a, i)))
			timeouts++;
	CU_ASSERT_EQUAL(timeouts, 100000);
	/* the last event: the last (ignored) reply */
	CU_ASSERT_EQUAL(sim_now(run_sim(r)), SIM_US(99999) + RTT_16B);
	run_free(r);
	scenario_free(sc);
}

static void
test_ping_dropped_or_in_flight(void)
{
	static const char *const dirs[] = { "a_to_b", "b_to_a" };
	char tail[1024];
	struct scenario *sc;
	struct run *r;
	const struct app *a;
	size_t d, i;

	/* requests lost one way, replies the other: lost, never pending */
	for (d = 0; d < 2; d++) {
		snprintf(tail, sizeof(tail), "duration: 10500us\nlinks:\n"
		    "  - { name: l, a: \"a:e\", b: \"b:e\", rate: 100Gbps, "
		    "delay: 1ms, %s: { loss: { model: bernoulli, p: 1 } } }\n"
		    "apps:\n  - { name: p, type: ping, node: a, dst: b, "
		    "interval: 1ms, timeout: 1s, size: 16 }\n", dirs[d]);
		r = ping_run(tail, &sc);
		a = run_app(r, "p");
		CU_ASSERT_EQUAL(ping_n_probes(a), 11);
		for (i = 0; i < ping_n_probes(a); i++) {
			const struct probe *pr = ping_probe(a, i);

			/*
			 * The link drops on arrival: a request 1 ms after it
			 * left, a reply 2 ms after; later ones are on their
			 * way at 10.5 ms.
			 */
			CU_ASSERT_EQUAL(probe_lost(pr), pr->sent <
			    (d ? SIM_MS(9) : SIM_MS(10)));
			CU_ASSERT_EQUAL(probe_in_flight(pr), !probe_lost(pr));
			CU_ASSERT_EQUAL(pr->result, PROBE_PENDING);
		}
		run_free(r);
		scenario_free(sc);
	}
}

/*
 * 100,000 probes outstanding (1 us apart, 100 ms RTT): the 16-bit sequence
 * number wraps, so each sequence number is pending for one or two probes at
 * once. Replies come back in order, and each must settle its own probe:
 * every RTT is exact.
 */
static void
test_ping_sequence_wraps(void)
{
	struct scenario *sc;
	struct run *r = ping_run("links:\n  - { name: l, a: \"a:e\", b: \"b:e\", "
	    "rate: 100Gbps, delay: 50ms }\napps:\n  - { name: p, type: ping, "
	    "node: a, dst: b, interval: 1us, timeout: 1s, count: 150000, "
	    "size: 16 }\n", &sc);
	const struct app *a = run_app(r, "p");
	size_t i, bad = 0;

	CU_ASSERT_EQUAL(ping_n_probes(a), 150000);
	for (i = 0; i < ping_n_probes(a); i++) {
		const struct probe *pr = ping_probe(a, i);

		if (pr->result != PROBE_REPLY ||
		    pr->rtt != SIM_MS(100) + 2 * 5 ||
		    pr->sent != SIM_US(i))
			bad++;
	}
	CU_ASSERT_EQUAL(bad, 0);
	run_free(r);
	scenario_free(sc);
}

/*
 * The same with ICMP errors, which quote the request's header but are new
 * packets (no cookie): a router 50 ms away answers every probe (TTL 1)
 * with time exceeded, in order, so the oldest pending probe of a sequence
 * number is the one answered.
 */
static void
test_ping_sequence_wraps_errors(void)
{
	static const char text[] =
	    "nodes:\n"
	    "  - { name: a, role: host, interfaces: [ { name: e, address: 10.0.0.1/24 } ],\n"
	    "      routes: [ { prefix: 0.0.0.0/0, via: 10.0.0.254 } ] }\n"
	    "  - { name: r, role: router, interfaces: [ { name: e0, address: 10.0.0.254/24 },\n"
	    "      { name: e1, address: 10.0.1.254/24 } ] }\n"
	    "  - { name: b, role: host, interfaces: [ { name: e, address: 10.0.1.2/24 } ] }\n"
	    "links:\n"
	    "  - { name: l, a: \"a:e\", b: \"r:e0\", rate: 100Gbps, delay: 50ms }\n"
	    "  - { name: m, a: \"r:e1\", b: \"b:e\", rate: 100Gbps, delay: 1ms }\n"
	    "apps:\n"
	    "  - { name: p, type: ping, node: a, dst: b, ttl: 1, interval: 1us, "
	    "timeout: 1s, count: 150000, size: 16 }\n";
	char err[256];
	struct scenario *sc = scenario_load_buffer("ttl.yaml", text,
	    strlen(text), stderr, NULL);
	struct run *r;
	const struct app *a;
	size_t i, bad = 0;

	CU_ASSERT_PTR_NOT_NULL_FATAL(sc);
	r = run_new(sc, &(struct run_opts){ .out_dir = NULL }, err,
	    sizeof(err));
	CU_ASSERT_PTR_NOT_NULL_FATAL(r);
	while (run_advance(r, run_end_time(r)))
		;
	a = run_app(r, "p");
	CU_ASSERT_EQUAL(ping_n_probes(a), 150000);
	for (i = 0; i < ping_n_probes(a); i++) {
		const struct probe *pr = ping_probe(a, i);

		/*
		 * 50 ms each way; the request's 60-byte frame takes 5 ns
		 * at 100 Gbit/s, the 70-byte error (IPv4 + ICMP + the
		 * 28-byte quote) 6 ns.
		 */
		if (pr->result != PROBE_TIME_EXCEEDED ||
		    pr->rtt != SIM_MS(100) + 5 + 6 || pr->sent != SIM_US(i))
			bad++;
	}
	CU_ASSERT_EQUAL(bad, 0);
	run_free(r);
	scenario_free(sc);
}

/*
 * A probe larger than the MTU leaves in fragments; when the link loses
 * them all, every probe is lost (the fragments carry the request's
 * marks), not pending.
 */
static void
test_ping_fragments_lost(void)
{
	struct scenario *sc;
	struct run *r = ping_run("duration: 2100ms\nlinks:\n  - { name: l, "
	    "a: \"a:e\", b: \"b:e\", rate: 1Gbps, delay: 1ms, loss: "
	    "{ model: bernoulli, p: 1 } }\napps:\n  - { name: p, type: ping, "
	    "node: a, dst: b, interval: 100ms, timeout: 10s, size: 3000 }\n",
	    &sc);
	const struct app *a = run_app(r, "p");
	size_t i;

	CU_ASSERT_EQUAL(ping_n_probes(a), 22);
	for (i = 0; i < ping_n_probes(a); i++) {
		const struct probe *pr = ping_probe(a, i);

		/* the fragments are lost on arrival, 1 ms after sending */
		CU_ASSERT_EQUAL(probe_lost(pr), pr->sent + SIM_MS(1) <=
		    SIM_MS(2100));
		CU_ASSERT_EQUAL(pr->result, PROBE_PENDING);
	}
	CU_ASSERT_TRUE(probe_lost(ping_probe(a, 20)));
	run_free(r);
	scenario_free(sc);
}

/* Without loss the same probes are answered, reassembled both ways. */
static void
test_ping_fragments_answered(void)
{
	struct scenario *sc;
	struct run *r = ping_run("links:\n  - { name: l, a: \"a:e\", "
	    "b: \"b:e\", rate: 1Gbps, delay: 1ms }\napps:\n  - { name: p, "
	    "type: ping, node: a, dst: b, interval: 100ms, count: 5, "
	    "size: 3000 }\n", &sc);
	const struct app *a = run_app(r, "p");
	size_t i;

	CU_ASSERT_EQUAL(ping_n_probes(a), 5);
	for (i = 0; i < ping_n_probes(a); i++)
		CU_ASSERT_EQUAL(ping_probe(a, i)->result, PROBE_REPLY);
	run_free(r);
	scenario_free(sc);
}

/*
 * An assertion reads only an app of the kind it checks. The loader makes
 * that so (sink names are reserved); should a scenario reach the run
 * otherwise, the assertion fails with a message instead of reading a UDP
 * sink as a ping.
 */
static void
test_assertion_reads_its_kind_only(void)
{
	static const char *const names[] = { "u-sink", "u", "nosuch" };
	static const char *const want[] = {
		"ping-succeeds: app 'u-sink' is a udp_sink, not a ping app",
		"ping-succeeds: app 'u' is a udp_cbr, not a ping app",
		"ping-succeeds: app 'nosuch' is missing, not a ping app",
	};
	struct scenario *sc;
	struct run *r = ping_run("duration: 1s\nlinks:\n  - { name: l, "
	    "a: \"a:e\", b: \"b:e\", rate: 1Gbps, delay: 1ms }\napps:\n"
	    "  - { name: u, type: udp_cbr, node: a, dst: b, rate: 1Mbps }\n"
	    "  - { name: p, type: ping, node: a, dst: b }\n"
	    "assertions:\n  - { kind: ping-succeeds, app: p }\n", &sc);
	size_t i, len;

	CU_ASSERT_EQUAL(run_check(r, NULL), 0);
	for (i = 0; i < 3; i++) {
		char *out = NULL;
		FILE *f = open_memstream(&out, &len);

		free(sc->asserts[0].app);
		sc->asserts[0].app = xstrdup(names[i]);
		CU_ASSERT_EQUAL(run_check(r, f), 1);
		fclose(f);
		CU_ASSERT_PTR_NOT_NULL(strstr(out, want[i]));
		free(out);
	}
	run_free(r);
	scenario_free(sc);
}

static const struct test_case cases[] = {
	{ "nearest-rank percentiles", test_nearest_rank },
	{ "histogram percentiles within one bucket of exact", test_histogram_against_exact },
	{ "ping: 40,000 probes outstanding, each reply to its probe", test_ping_many_outstanding },
	{ "ping: a timeout below the RTT times every probe out", test_ping_timeout_below_rtt },
	{ "ping: dropped probes are lost, probes on their way pending", test_ping_dropped_or_in_flight },
	{ "ping: 100,000 outstanding, sequence wraps, exact RTTs", test_ping_sequence_wraps },
	{ "ping: sequence wraps, ICMP errors settle the oldest", test_ping_sequence_wraps_errors },
	{ "ping: fragmented probes lost on the link are lost", test_ping_fragments_lost },
	{ "ping: fragmented probes are answered", test_ping_fragments_answered },
	{ "an assertion reads only an app of its kind", test_assertion_reads_its_kind_only },
	{ NULL, NULL }
};

int
main(int argc, char **argv)
{
	return test_main(argc, argv, "apps", cases);
}
