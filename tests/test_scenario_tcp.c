/*
 * test_scenario_tcp.c - the scenario side of TCP: every new app and
 * assertion field rejected with its place and a hint (ports, buffers, an
 * unknown congestion control with a did-you-mean, size distributions,
 * names and ports the automatic sinks and servers take, assertion windows),
 * good files loaded with what they say, and runs whose TCP assertions pass
 * and fail as they should, writing the flow and link rows of metrics.json
 * and metrics.csv.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "apps.h"
#include "flowstats.h"
#include "scenario.h"
#include "scenario_load.h"
#include "stream.h"
#include "scenario_run.h"
#include "scenario_testutil.h"
#include "testutil.h"
#include "trace.h"

/* Two hosts on 10.0.0.0/24 and a link: lines 1-5; a duration: line 6. */
#define N2                                                                  \
	"nodes:\n"                                                          \
	"  - { name: a, role: host, interfaces: [{ name: eth0, address: "   \
	"10.0.0.1/24 }] }\n"                                                \
	"  - { name: b, role: host, interfaces: [{ name: eth0, address: "   \
	"10.0.0.2/24 }] }\n"
#define L1 "links:\n  - { name: l1, a: \"a:eth0\", b: \"b:eth0\", "      \
	"rate: 100Mbps, delay: 1ms }\n"
#define D "duration: 10s\n"
#define BASE N2 L1 D

struct bad {
	const char *what, *text, *at, *msg;
	unsigned n;
};

/* Apps on line 7, assertions from line 8. */
static const struct bad bad_inputs[] = {
	{ "port 0",
	    BASE "apps: [{ type: tcp_bulk, node: a, dst: b, dport: 0 }]\n",
	    "7:50", "'dport' 0 is out of range (1..65535)", 1 },
	{ "port 70000",
	    BASE "apps: [{ type: request_response, node: a, dst: b, "
	    "dport: 70000 }]\n", "7:58",
	    "'dport' 70000 is out of range (1..65535)", 1 },
	{ "a send buffer of 0",
	    BASE "apps: [{ type: tcp_bulk, node: a, dst: b, tcp: { sndbuf: 0 "
	    "} }]\n", "7:58", "'sndbuf' 0 is out of range (1..1073741824)",
	    1 },
	{ "a receive buffer of 0",
	    BASE "apps: [{ type: tcp_bulk, node: a, dst: b, tcp: { rcvbuf: 0B "
	    "} }]\n", "7:58", "'rcvbuf' 0B is out of range (1..1073741824)",
	    1 },
	{ "an unknown congestion control",
	    BASE "apps: [{ type: tcp_bulk, node: a, dst: b, tcp: { cc: cubik "
	    "} }]\n", "7:54", "unknown cc 'cubik' (did you mean 'cubic'?) "
	    "(one of: newreno, cubic)", 1 },
	{ "a misspelt tcp key",
	    BASE "apps: [{ type: tcp_bulk, node: a, dst: b, tcp: { min_rtt: "
	    "1s } }]\n", "7:50", "unknown key 'min_rtt' in tcp (did you mean "
	    "'min_rto'?)", 1 },
	{ "min_rto below 1ms",
	    BASE "apps: [{ type: tcp_bulk, node: a, dst: b, tcp: { min_rto: "
	    "100us } }]\n", "7:59", "'min_rto' 100us is below 1ms (at least 1ms, at "
	    "most 60s)", 1 },
	{ "mss too small",
	    BASE "apps: [{ type: tcp_bulk, node: a, dst: b, tcp: { mss: 10 "
	    "} }]\n", "7:55", "'mss' 10 is out of range (64..65495)", 1 },
	{ "init_cwnd 0",
	    BASE "apps: [{ type: tcp_bulk, node: a, dst: b, tcp: { init_cwnd: "
	    "0 } }]\n", "7:61", "'init_cwnd' 0 is out of range (1..1000)", 1 },
	{ "delack_count 0",
	    BASE "apps: [{ type: tcp_bulk, node: a, dst: b, tcp: { "
	    "delack_count: 0 } }]\n", "7:64",
	    "'delack_count' 0 is out of range (1..64)", 1 },
	{ "tcp settings on a ping",
	    BASE "apps: [{ type: ping, node: a, dst: b, tcp: { cc: cubic } "
	    "}]\n", "7:39", "key 'tcp' does not apply when type is ping (only "
	    "for tcp_bulk, request_response)", 1 },
	{ "streams 0",
	    BASE "apps: [{ type: tcp_bulk, node: a, dst: b, streams: 0 }]\n",
	    "7:52", "'streams' 0 is out of range (1..1024)", 1 },
	{ "concurrency 0",
	    BASE "apps: [{ type: request_response, node: a, dst: b, "
	    "concurrency: 0 }]\n", "7:64",
	    "'concurrency' 0 is out of range (1..100000)", 1 },
	{ "an unknown size distribution",
	    BASE "apps: [{ type: request_response, node: a, dst: b, "
	    "response: { dist: exponentail, size: 1KB } }]\n", "7:69",
	    "unknown dist 'exponentail' (did you mean 'exponential'?)", 1 },
	{ "uniform without max",
	    BASE "apps: [{ type: request_response, node: a, dst: b, "
	    "response: { dist: uniform, min: 1KB } }]\n", "7:61",
	    "response: dist uniform needs min and max", 1 },
	{ "uniform min above max",
	    BASE "apps: [{ type: request_response, node: a, dst: b, "
	    "request: { dist: uniform, min: 2KB, max: 1KB } }]\n", "7:82",
	    "request: min (2000) is above max (1000)", 1 },
	{ "a key of another distribution",
	    BASE "apps: [{ type: request_response, node: a, dst: b, "
	    "request: { dist: fixed, size: 100, p99: 1KB } }]\n", "7:91",
	    "request: 'p99' does not apply to dist fixed (it takes: size)", 1 },
	{ "lognormal without p99",
	    BASE "apps: [{ type: request_response, node: a, dst: b, "
	    "request: { dist: lognormal, size: 1KB } }]\n", "7:60",
	    "request: dist lognormal needs p99", 1 },
	{ "lognormal p99 below the median",
	    BASE "apps: [{ type: request_response, node: a, dst: b, "
	    "response: { dist: lognormal, size: 1KB, p99: 500 } }]\n", "7:96",
	    "response: p99 (500) must be above size, the median (1000)", 1 },
	{ "a request smaller than its header",
	    BASE "apps: [{ type: request_response, node: a, dst: b, "
	    "request: { size: 4 } }]\n", "7:68",
	    "request: size 4 is below 18 bytes", 1 },
	{ "df on a TCP app (TCP always sets it)",
	    BASE "apps: [{ type: tcp_bulk, node: a, dst: b, df: true }]\n",
	    "7:43", "key 'df' does not apply when type is tcp_bulk", 1 },
	{ "a sink name taken",
	    BASE "apps:\n"
	    "  - { name: bulk, type: tcp_bulk, node: a, dst: b }\n"
	    "  - { name: bulk-sink, type: ping, node: a, dst: b }\n",
	    "9:13", "app name 'bulk-sink' is reserved for the TCP sink of "
	    "tcp_bulk app 'bulk' (defined at 8:5)", 1 },
	{ "a server name taken",
	    BASE "apps:\n"
	    "  - { name: q-server, type: ping, node: a, dst: b }\n"
	    "  - { name: q, type: request_response, node: b, dst: a }\n",
	    "8:13", "app name 'q-server' is reserved for the server of "
	    "request_response app 'q' (defined at 9:5)", 1 },
	{ "a TCP port taken by a server of another kind",
	    BASE "apps:\n"
	    "  - { name: db, type: request_response, node: a, dst: b }\n"
	    "  - { name: copy, type: tcp_bulk, node: a, dst: b, dport: 1521 "
	    "}\n", "9:59", "TCP port 1521 on node 'b' is taken by the server "
	    "of request_response app 'db' (defined at 8:5): give this one "
	    "another dport", 1 },
	{ "udp_poisson without rate or interval",
	    BASE "apps: [{ type: udp_poisson, node: a, dst: b }]\n", "7:8",
	    "udp_poisson app needs rate or interval", 1 },
	{ "tcp_bulk for ever without a duration",
	    N2 L1 "apps: [{ name: x, type: tcp_bulk, node: a, dst: b }]\n",
	    "6:8", "tcp_bulk app 'x' sends until the end of the run (no "
	    "bytes, no duration)", 1 },
	{ "tcp-goodput on a ping",
	    BASE "apps: [{ name: p, type: ping, node: a, dst: b }]\n"
	    "assertions: [{ kind: tcp-goodput, app: p, min_goodput: 1Mbps "
	    "}]\n", "8:40", "a tcp-goodput assertion needs a tcp_bulk or "
	    "request_response app, but 'p' is a ping app", 1 },
	{ "tcp-goodput without min_goodput",
	    BASE "apps: [{ name: x, type: tcp_bulk, node: a, dst: b }]\n"
	    "assertions: [{ kind: tcp-goodput, app: x }]\n", "8:14",
	    "assertion is missing required key 'min_goodput'", 1 },
	{ "a goodput window off the 100 ms bins",
	    BASE "apps: [{ name: x, type: tcp_bulk, node: a, dst: b }]\n"
	    "assertions: [{ kind: tcp-goodput, app: x, min_goodput: 1Mbps, "
	    "after: 150ms }]\n", "8:70", "'after' 150ms is not a multiple of "
	    "100ms (goodput is measured in 100 ms bins)", 1 },
	{ "transaction-latency on a tcp_bulk",
	    BASE "apps: [{ name: x, type: tcp_bulk, node: a, dst: b }]\n"
	    "assertions: [{ kind: transaction-latency, app: x, below: 1ms "
	    "}]\n", "8:48", "needs a request_response app, but 'x' is a "
	    "tcp_bulk app", 1 },
	{ "an unknown percentile",
	    BASE "apps: [{ name: q, type: request_response, node: a, dst: b "
	    "}]\n"
	    "assertions: [{ kind: transaction-latency, app: q, below: 1ms, "
	    "percentile: p95 }]\n", "8:75", "unknown percentile 'p95' (did you mean 'p90'?)", 1 },
	{ "transfer-completes without bytes",
	    BASE "apps: [{ name: x, type: tcp_bulk, node: a, dst: b }]\n"
	    "assertions: [{ kind: transfer-completes, app: x, by: 1s }]\n",
	    "8:47", "transfer-completes needs a transfer of a known size, but "
	    "tcp_bulk app 'x' has no 'bytes'", 1 },
	{ "an unknown failure kind",
	    BASE "apps: [{ name: x, type: tcp_bulk, node: a, dst: b }]\n"
	    "assertions: [{ kind: connection-fails, app: x, failure: refuse "
	    "}]\n", "8:57", "unknown failure 'refuse' (did you mean "
	    "'refused'?)", 1 },
};

static unsigned
count_lines(const char *s)
{
	unsigned n = 0;

	for (; s != NULL && *s != '\0'; s++)
		n += *s == '\n';
	return n;
}

static void
test_bad_inputs(void)
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
		CU_ASSERT_EQUAL(count_lines(diag), n_err);
		if (!hit || n_err != b->n || sc != NULL)
			fprintf(stderr, "\n  row '%s': want %s '%s' (%u), got:"
			    "\n%s", b->what, b->at, b->msg, b->n,
			    diag ? diag : "");
		scenario_free(sc);
		free(diag);
	}
}

/* Every key given loads into what it says; defaults fill the rest. */
static void
test_good_file(void)
{
	char *diag = NULL;
	unsigned n_err = 99;
	struct scenario *sc = load(BASE
	    "apps:\n"
	    "  - { name: copy, type: tcp_bulk, node: a, dst: b, bytes: 10MB, "
	    "streams: 4, duration: 5s, tcp: { cc: cubic, sndbuf: 4MiB, "
	    "rcvbuf: 4MiB, nodelay: false, delack_count: 1, delack_timeout: "
	    "40ms, min_rto: 200ms, mss: 1000, init_cwnd: 4, cwnd_validation: "
	    "false } }\n"
	    "  - { name: q, type: request_response, node: a, dst: b, "
	    "concurrency: 8, persistent: false, think: 10ms, count: 5, "
	    "request: { dist: uniform, min: 100, max: 200 }, response: { dist: "
	    "lognormal, size: 8KB, p99: 1MB, max: 4MB } }\n"
	    "  - { name: u, type: udp_poisson, node: a, dst: b, rate: 1Mbps }\n"
	    "assertions:\n"
	    "  - { kind: tcp-goodput, app: copy, min_goodput: 10Mbps, after: "
	    "1s, before: 2s }\n"
	    "  - { kind: transaction-latency, app: q, below: 50ms }\n"
	    "  - { kind: transfer-completes, app: copy, by: 3s }\n"
	    "  - { kind: connection-fails, app: q, failure: timed-out }\n",
	    &diag, &n_err);
	const struct sc_app *p;
	struct app_tcp_opts to;

	CU_ASSERT_PTR_NOT_NULL_FATAL(sc);
	CU_ASSERT_EQUAL(n_err, 0);
	p = &sc->apps[0];
	CU_ASSERT_EQUAL(p->kind, SC_APP_TCP_BULK);
	CU_ASSERT_EQUAL(p->dport, 5001);
	CU_ASSERT_EQUAL(p->bytes, 10000000);
	CU_ASSERT_EQUAL(p->streams, 4);
	CU_ASSERT_EQUAL(p->duration, SIM_S(5));
	CU_ASSERT_STRING_EQUAL(sc_tcp_ccs[p->tcp.cc - 1], "cubic");
	CU_ASSERT_EQUAL(p->tcp.sndbuf, 4u << 20);
	CU_ASSERT_EQUAL(p->tcp.rcvbuf, 4u << 20);
	CU_ASSERT_FALSE(p->tcp.nodelay);
	CU_ASSERT_EQUAL(p->tcp.delack_count, 1);
	CU_ASSERT_EQUAL(p->tcp.delack_timeout, SIM_MS(40));
	CU_ASSERT_EQUAL(p->tcp.min_rto, SIM_MS(200));
	CU_ASSERT_EQUAL(p->tcp.mss, 1000);
	CU_ASSERT_EQUAL(p->tcp.init_cwnd, 4);
	CU_ASSERT_FALSE(p->tcp.cwnd_validation);
	sc_app_tcp_opts(&p->tcp, &to);
	CU_ASSERT_EQUAL(to.cwnd_validation, 0);
	sc_app_tcp_opts(&sc->apps[1].tcp, &to);
	CU_ASSERT_EQUAL(to.cwnd_validation, -1);	/* the stack's */
	CU_ASSERT_EQUAL(p->srv_node, 2);	/* b */
	p = &sc->apps[1];
	CU_ASSERT_EQUAL(p->dport, 1521);
	CU_ASSERT_EQUAL(p->concurrency, 8);
	CU_ASSERT_FALSE(p->persistent);
	CU_ASSERT_EQUAL(p->think, SIM_MS(10));
	CU_ASSERT_EQUAL(p->request.dist, SC_SIZE_UNIFORM);
	CU_ASSERT_EQUAL(p->request.min, 100);
	CU_ASSERT_EQUAL(p->request.max, 200);
	CU_ASSERT_EQUAL(p->response.dist, SC_SIZE_LOGNORMAL);
	CU_ASSERT_EQUAL(p->response.size, 8000);
	CU_ASSERT_EQUAL(p->response.p99, 1000000);
	p = &sc->apps[2];
	CU_ASSERT_EQUAL(p->kind, SC_APP_UDP_POISSON);
	CU_ASSERT_EQUAL(p->dport, 9);
	CU_ASSERT_EQUAL(p->interval, units_tx_time(1000 + 28, 1000000));
	CU_ASSERT_EQUAL(sc->asserts[0].min_goodput, 10000000);
	CU_ASSERT_STRING_EQUAL(sc_percentiles[sc->asserts[1].percentile - 1],
	    "p99");
	CU_ASSERT_EQUAL(sc->asserts[2].by, SIM_S(3));
	CU_ASSERT_STRING_EQUAL(sc_failures[sc->asserts[3].failure - 1],
	    "timed-out");
	scenario_free(sc);
	free(diag);

	/* the defaults of a bare request_response */
	sc = load(BASE "apps: [{ type: request_response, node: a, dst: b }]\n",
	    &diag, &n_err);
	CU_ASSERT_PTR_NOT_NULL_FATAL(sc);
	p = &sc->apps[0];
	CU_ASSERT_EQUAL(p->request.dist, SC_SIZE_FIXED);
	CU_ASSERT_EQUAL(p->request.size, 256);
	CU_ASSERT_EQUAL(p->response.size, 4096);
	CU_ASSERT_TRUE(p->persistent);
	CU_ASSERT_EQUAL(p->concurrency, 1);
	CU_ASSERT_EQUAL(p->tcp.keys[0], 0);	/* nothing overridden */
	scenario_free(sc);
	free(diag);
}

/*
 * One run, each TCP assertion once passing and once failing; the outputs
 * carry the flow, latency and link rows.
 */
static void
test_assertions_and_metrics(void)
{
	static const char *const want[] = {
		"PASS: transfer-completes bulk: done at ",
		"FAIL: transfer-completes bulk: done at ",
		"PASS: tcp-goodput bulk [0s, 1s): ",
		"FAIL: tcp-goodput bulk [2s, 3s): 0.000 kbps (0 bytes) < ",
		"PASS: transaction-latency q: p99 2.10384ms <= 3ms (20 "
		"transactions)",
		"FAIL: transaction-latency q: max 2.10384ms > 2.1ms",
		"PASS: connection-fails closed: 1 failed (first: refused), 0 "
		"transactions completed; expected refused",
		"FAIL: connection-fails bulk: 0 failed, 2000000 bytes "
		"acknowledged",
		"FAIL: connection-fails closed: 1 failed (first: refused), 0 "
		"transactions completed; expected timed-out",
		"PASS: tcp-goodput bulk/flow1 [0s, 1s): 16.000 Mbps (2000000 "
		"bytes) >= 10.000 Mbps",
		"FAIL: tcp-goodput bulk/flow2: the app had 1 flow(s)",
	};
	char tmpl[] = "/tmp/xcsim-sctcp-XXXXXX", dir[64], err[256], path[96];
	char *out = NULL, *json, *csv;
	size_t len = 0, i;
	unsigned n_err = 0, failed;
	FILE *f;
	const char *text = N2 L1 "duration: 4s\n"
	    "apps:\n"
	    "  - { name: bulk, type: tcp_bulk, node: a, dst: b, bytes: 2MB }\n"
	    "  - { name: q, type: request_response, node: a, dst: b, count: "
	    "20, start: 1s, request: { size: 100 }, response: { size: 1000 } "
	    "}\n"
	    "  - { name: closed, type: request_response, node: a, dst: b, "
	    "dport: 3306, server: false, count: 1 }\n"
	    "assertions:\n"
	    "  - { kind: transfer-completes, app: bulk, by: 1s }\n"
	    "  - { kind: transfer-completes, app: bulk, by: 100ms }\n"
	    "  - { kind: tcp-goodput, app: bulk, min_goodput: 10Mbps, before: "
	    "1s }\n"
	    "  - { kind: tcp-goodput, app: bulk, min_goodput: 1kbps, after: "
	    "2s, before: 3s }\n"
	    "  - { kind: transaction-latency, app: q, below: 3ms }\n"
	    "  - { kind: transaction-latency, app: q, percentile: max, below: "
	    "2100us }\n"
	    "  - { kind: connection-fails, app: closed, failure: refused }\n"
	    "  - { kind: connection-fails, app: bulk }\n"
	    "  - { kind: connection-fails, app: closed, failure: timed-out }\n"
	    "  - { kind: tcp-goodput, app: bulk, flow: 1, min_goodput: 10Mbps, "
	    "before: 1s }\n"
	    "  - { kind: tcp-goodput, app: bulk, flow: 2, min_goodput: 1bps "
	    "}\n";
	struct scenario *sc = scenario_load_buffer("t.yaml", text,
	    strlen(text), stderr, &n_err);
	struct run *r;

	CU_ASSERT_PTR_NOT_NULL_FATAL(sc);
	CU_ASSERT_PTR_NOT_NULL_FATAL(mkdtemp(tmpl));
	snprintf(dir, sizeof(dir), "%s/out", tmpl);
	r = run_new(sc, &(struct run_opts){ .out_dir = dir }, err,
	    sizeof(err));
	CU_ASSERT_PTR_NOT_NULL_FATAL(r);
	run_advance(r, run_end_time(r));
	f = open_memstream(&out, &len);
	failed = run_check(r, f);
	fclose(f);
	CU_ASSERT_EQUAL(failed, 6);
	for (i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		bool hit = strstr(out, want[i]) != NULL;

		CU_ASSERT_TRUE(hit);
		if (!hit)
			fprintf(stderr, "\n  missing '%s' in:\n%s", want[i],
			    out);
	}
	CU_ASSERT_EQUAL_FATAL(run_finish(r, err, sizeof(err)), 0);
	run_free(r);
	snprintf(path, sizeof(path), "%s/metrics.json", dir);
	json = test_slurp(path, NULL);
	snprintf(path, sizeof(path), "%s/metrics.csv", dir);
	csv = test_slurp(path, NULL);
	CU_ASSERT_PTR_NOT_NULL_FATAL(json);
	CU_ASSERT_PTR_NOT_NULL_FATAL(csv);
	/* metrics.json: flows of each stream app, the latency summary */
	CU_ASSERT_PTR_NOT_NULL(strstr(json, "{\"name\":\"bulk\",\"type\":"
	    "\"tcp_bulk\""));
	CU_ASSERT_PTR_NOT_NULL(strstr(json, "\"flows\":[{\"id\":1,\"src\":"
	    "\"10.0.0.1\",\"dst\":\"10.0.0.2\",\"sport\":49152,"
	    "\"dport\":5001,\"cc\":\"newreno\",\"bytes\":2000000,"));
	CU_ASSERT_PTR_NOT_NULL(strstr(json, "\"retransmits\":0,"
	    "\"rto_expiries\":0,\"fast_recoveries\":0,\"rtt_samples\":"));
	CU_ASSERT_PTR_NOT_NULL(strstr(json, "\"latency\":{\"count\":20,"
	    "\"min\":2098560,\"p50\":"));
	CU_ASSERT_PTR_NOT_NULL(strstr(json, "\"p999\":"));
	CU_ASSERT_PTR_NOT_NULL(strstr(json, "\"name\":\"bulk-sink\","
	    "\"type\":\"tcp_sink\",\"node\":\"b\",\"port\":5001,"
	    "\"bytes\":2000000,"));
	/* metrics.csv: goodput, cwnd, latency histogram, link rows */
	CU_ASSERT_PTR_NOT_NULL(strstr(csv, "\nbulk,goodput_bps,0,"));
	CU_ASSERT_PTR_NOT_NULL(strstr(csv, "\nbulk,cwnd_bytes,0,"));
	CU_ASSERT_PTR_NOT_NULL(strstr(csv, "\nbulk,ssthresh_bytes,0,"));
	CU_ASSERT_PTR_NOT_NULL(strstr(csv, "\nq,txn_latency_hist,"));
	CU_ASSERT_PTR_NOT_NULL(strstr(csv, "\nlink:l1:ab,queue_pkts,0,"));
	CU_ASSERT_PTR_NOT_NULL(strstr(csv, "\nlink:l1:ab,queue_pkts,"
	    "3900000000,0\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(csv, "\nlink:l1:ba,util,0,"));
	CU_ASSERT_PTR_NOT_NULL(strstr(csv, "\nlink:l1:ab,util,3900000000,"
	    "0.000000\n"));
	/* the run put its connections in the trace (tcp_trace_attach) */
	snprintf(path, sizeof(path), "%s/trace.xct", dir);
	{
		struct trace_reader *rd = trace_reader_open(path, err,
		    sizeof(err));
		struct trace_rec rec;
		unsigned n[3] = { 0, 0, 0 };

		CU_ASSERT_PTR_NOT_NULL_FATAL(rd);
		while (trace_reader_next(rd, &rec, err, sizeof(err)) == 1)
			if (rec.type >= TR_FLOW && rec.type <= TR_FLOW_CWND)
				n[rec.type - TR_FLOW]++;
		trace_reader_close(rd);
		/*
		 * bulk, q, closed and the two server ends: five flows
		 * declared; three end within the run (the refused one and
		 * the two passive closes), the clients sit in TIME_WAIT
		 */
		CU_ASSERT_EQUAL(n[0], 8);
		CU_ASSERT_TRUE(n[1] > 10);
		CU_ASSERT_TRUE(n[2] > 5);
	}
	free(json);
	free(csv);
	free(out);
	run_free(NULL);
	scenario_free(sc);
	snprintf(path, sizeof(path), "rm -rf '%s'", tmpl);
	CU_ASSERT_EQUAL(system(path), 0);
}

/*
 * The examples that carry TCP run with every assertion passing; the
 * ExpressRoute one sends its transfer through the 1,400-byte hop.
 */
static void
test_examples(void)
{
	static const char *const files[] = { "app-to-db.yaml",
		"expressroute-mtu.yaml" };
	size_t i;

	for (i = 0; i < 2; i++) {
		char path[512], err[256];
		struct scenario *sc;
		struct run *r;
		unsigned failed;

		snprintf(path, sizeof(path), "%s/scenarios/examples/%s",
		    XCSIM_SOURCE_DIR, files[i]);
		sc = scenario_load_file(path, stderr, NULL);
		CU_ASSERT_PTR_NOT_NULL_FATAL(sc);
		r = run_new(sc, &(struct run_opts){ 0 }, err, sizeof(err));
		CU_ASSERT_PTR_NOT_NULL_FATAL(r);
		while (run_advance(r, run_end_time(r)))
			;
		failed = run_check(r, stderr);
		CU_ASSERT_EQUAL(failed, 0);
		if (i == 1) {
			/*
			 * Through path MTU discovery: segments of 1400-byte
			 * packets, less IPv4 and TCP headers and 12 bytes of
			 * timestamps.
			 */
			const struct app *a = run_app(r, "copy");

			CU_ASSERT_EQUAL(tcp_bulk_acked(a), 2000000);
			CU_ASSERT_EQUAL(tcp_bulk_failed(a, NULL), 0);
			CU_ASSERT_EQUAL(flowset_stats(tcp_bulk_flows(a), 0)->mss,
			    1400 - 20 - 20 - 12);
		}
		run_free(r);
		scenario_free(sc);
	}
}

/* A connect behind a link that is down times out, and says so. */
static void
test_connect_times_out(void)
{
	const char *text = N2 L1 "duration: 400s\n"
	    "apps:\n"
	    "  - { name: q, type: request_response, node: a, dst: b, count: 1 "
	    "}\n"
	    "events:\n"
	    "  - { at: 0s, action: link-down, link: l1 }\n"
	    "assertions:\n"
	    "  - { kind: connection-fails, app: q, failure: timed-out }\n"
	    "  - { kind: connection-fails, app: q, failure: refused }\n";
	struct scenario *sc = scenario_load_buffer("t.yaml", text,
	    strlen(text), stderr, NULL);
	char err[256], *out = NULL;
	size_t len = 0;
	struct run *r;
	FILE *f;
	int e = 0;

	CU_ASSERT_PTR_NOT_NULL_FATAL(sc);
	r = run_new(sc, &(struct run_opts){ 0 }, err, sizeof(err));
	CU_ASSERT_PTR_NOT_NULL_FATAL(r);
	run_advance(r, run_end_time(r));
	CU_ASSERT_EQUAL(rr_failed(run_app(r, "q"), &e), 1);
	CU_ASSERT_EQUAL(e, STREAM_TIMEDOUT);
	f = open_memstream(&out, &len);
	CU_ASSERT_EQUAL(run_check(r, f), 1);
	fclose(f);
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "PASS: connection-fails q: 1 failed "
	    "(first: timed-out), 0 transactions completed; expected "
	    "timed-out"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "FAIL: connection-fails q: 1 failed "
	    "(first: timed-out), 0 transactions completed; expected refused"));
	free(out);
	run_free(r);
	scenario_free(sc);
}

/*
 * Queries on 1521 are TNS Data packets: tshark, whose TNS dissector claims
 * the port, decodes every packet of a capture with no malformed packet,
 * error or warning, whatever the sizes (one packet, several, a response
 * longer than the send buffer), and finds TNS in it. Zeros there once made
 * every segment a malformed TNS packet.
 */
static void
test_queries_decode_as_tns(void)
{
	const char *text = N2 L1 "duration: 3s\n"
	    "apps:\n"
	    "  - { name: q, type: request_response, node: a, dst: b, "
	    "concurrency: 2, think: 5ms, request: { dist: uniform, min: 18, "
	    "max: 20KB }, response: { dist: uniform, min: 10, max: 300KB } "
	    "}\n"
	    "record: { pcap: all, trace: false, metrics: false }\n";
	struct scenario *sc = scenario_load_buffer("t.yaml", text,
	    strlen(text), stderr, NULL);
	char tmpl[] = "/tmp/xcsim-tns-XXXXXX", dir[128], err[256];
	char cmd[512], line[512];
	const char *const pcaps[] = { "a/eth0.pcap", "b/eth0.pcap" };
	struct run *r;
	size_t i;
	FILE *f;

	CU_ASSERT_PTR_NOT_NULL_FATAL(sc);
	CU_ASSERT_PTR_NOT_NULL_FATAL(mkdtemp(tmpl));
	snprintf(dir, sizeof(dir), "%s/out", tmpl);
	r = run_new(sc, &(struct run_opts){ .out_dir = dir }, err,
	    sizeof(err));
	CU_ASSERT_PTR_NOT_NULL_FATAL(r);
	run_advance(r, run_end_time(r));
	CU_ASSERT(rr_completed(run_app(r, "q")) > 20);
	CU_ASSERT_EQUAL(run_finish(r, err, sizeof(err)), 0);
	run_free(r);
	scenario_free(sc);
	for (i = 0; i < 2; i++) {
		int tns = 0, bad = 0;

		snprintf(cmd, sizeof(cmd), "tshark -r '%s/pcap/%s' -q -z "
		    "expert -z io,stat,0,tns 2>/dev/null", dir, pcaps[i]);
		f = popen(cmd, "r");
		CU_ASSERT_PTR_NOT_NULL_FATAL(f);
		while (fgets(line, sizeof(line), f) != NULL) {
			if (strstr(line, "Malformed") != NULL ||
			    strncmp(line, "Errors", 6) == 0 ||
			    strncmp(line, "Warns", 5) == 0) {
				bad++;
				fprintf(stderr, "\n  %s: %s", pcaps[i], line);
			}
			/* io,stat's row: | 0.000 <> 3.000 | FRAMES | */
			if (strstr(line, "<>") != NULL) {
				char *bar = strchr(strstr(line, "<>"), '|');

				if (bar != NULL)
					tns = atoi(bar + 1);
			}
		}
		CU_ASSERT_EQUAL(pclose(f), 0);
		CU_ASSERT_EQUAL(bad, 0);
		CU_ASSERT(tns > 20);
	}
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpl);
	CU_ASSERT_EQUAL(system(cmd), 0);
}

static const struct test_case cases[] = {
	{ "queries on 1521 decode as TNS in tshark, nothing malformed",
	    test_queries_decode_as_tns },
	{ "each bad TCP field: line:col, message and hint", test_bad_inputs },
	{ "every TCP field loads", test_good_file },
	{ "TCP assertions pass and fail; flow, latency and link metrics",
	    test_assertions_and_metrics },
	{ "the TCP examples pass their assertions", test_examples },
	{ "a connect behind a down link times out", test_connect_times_out },
	{ NULL, NULL }
};

int
main(int argc, char **argv)
{
	return test_main(argc, argv, "scenario_tcp", cases);
}
