/*
 * test_bounded.c - what a long run keeps, and what its trace keeps.
 *
 * flowstats: an application's goodput bins and cwnd rows go to a spool a
 * block at a time, so what it holds in memory is the same after 2 and
 * after 30 simulated minutes of steady traffic, and every byte reads back
 * (assertion windows and metrics.csv). record.packets / packet_sample:
 * each level keeps exactly the packet records it says (drops: every drop
 * and nothing else of the packets; a sample: the hops of the packets whose
 * uid the rule picks, every drop), the rest of the trace is the same, the
 * header says what was left out, the queue samples after each keyframe
 * interval are the occupancy the full trace gives at that instant, a seek
 * returns the same records as reading on, and the same run writes the same
 * bytes. The UDP sink's goodput bins use the same spool.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "apps.h"
#include "flowstats.h"
#include "scenario.h"
#include "scenario_load.h"
#include "scenario_models.h"
#include "scenario_run.h"
#include "sim.h"
#include "testutil.h"
#include "trace.h"
#include "util.h"

#define HOSTS                                                               \
	"nodes:\n"                                                          \
	"  - { name: a, role: host, interfaces: [{ name: eth0, address: "   \
	"10.0.0.1/24 }] }\n"                                                \
	"  - { name: b, role: host, interfaces: [{ name: eth0, address: "   \
	"10.0.0.2/24 }] }\n"                                                \
	"links:\n  - { name: l1, a: \"a:eth0\", b: \"b:eth0\", rate: "      \
	"100Mbps, delay: 1ms, queue: { packets: 20 } }\n"

static const char *
tmp_base(void)
{
	static const char *base;

	if (base == NULL)
		base = test_tmpdir("/tmp/xcsim-bounded-XXXXXX");
	return base;
}

static struct scenario *
load(const char *text)
{
	unsigned n_err = 0;
	struct scenario *sc = scenario_load_buffer("t.yaml", text,
	    strlen(text), stderr, &n_err);

	CU_ASSERT_PTR_NOT_NULL_FATAL(sc);
	return sc;
}

/* --- flowstats: memory constant with the length ------------------------ */

/*
 * The goodput_bps rows of app in csv, one per iv from 0: how many, and
 * their bytes in all (exact: the rates are whole bytes over iv); with
 * per_row, each row's bytes (up to max_rows).
 */
static void
goodput_rows_iv(const char *csv, const char *app, sim_time iv, size_t *n,
    uint64_t *bytes, uint64_t *per_row, size_t max_rows)
{
	unsigned long long k = (unsigned long long)(iv / SIM_MS(100));
	char key[64];
	const char *p = csv;
	size_t klen;

	snprintf(key, sizeof(key), "%s,goodput_bps,", app);
	klen = strlen(key);
	*n = 0;
	*bytes = 0;
	while (p != NULL && *p != '\0') {
		if (strncmp(p, key, klen) == 0) {
			unsigned long long t, bps;

			CU_ASSERT_EQUAL(sscanf(p + klen, "%llu,%llu", &t, &bps),
			    2);
			CU_ASSERT_EQUAL(t, (unsigned long long)*n *
			    (unsigned long long)iv);
			CU_ASSERT_EQUAL(bps * k % 80, 0);
			*bytes += bps * k / 80;
			if (per_row != NULL && *n < max_rows)
				per_row[*n] = bps * k / 80;
			(*n)++;
		}
		p = strchr(p, '\n');
		if (p != NULL)
			p++;
	}
}

static void
goodput_rows(const char *csv, const char *app, size_t *n, uint64_t *bytes)
{
	goodput_rows_iv(csv, app, SIM_MS(100), n, bytes, NULL, 0);
}

static void
test_flowstats_constant(void)
{
	struct scenario *sc = load(HOSTS "duration: 30m\n"
	    "record: { metrics_interval: 100ms }\napps:\n"
	    "  - { name: q, type: request_response, node: a, dst: b, "
	    "think: 100ms, request: { size: 400 }, response: { size: 8KB } }\n");
	char err[256], dir[300], path[400];
	const struct flowset *cl, *sv;
	size_t mem_cl, mem_sv, sp_cl, sp_sv, n;
	struct run *r;
	uint64_t bytes, csv_bytes;
	char *csv;

	snprintf(dir, sizeof(dir), "%s/rr", tmp_base());
	r = run_new(sc, &(struct run_opts){ .out_dir = dir }, err,
	    sizeof(err));
	CU_ASSERT_PTR_NOT_NULL_FATAL(r);
	run_advance(r, SIM_S(120));
	cl = rr_client_flows(run_app(r, "q"));
	sv = rr_server_flows(run_app(r, "q-server"));
	mem_cl = flowset_mem_bytes(cl);
	mem_sv = flowset_mem_bytes(sv);
	sp_cl = flowset_spooled_bytes(cl);
	sp_sv = flowset_spooled_bytes(sv);
	/* 1,200 bins so far: most of them spooled already */
	CU_ASSERT_TRUE(sp_cl > 1000 * sizeof(uint64_t));
	run_advance(r, run_end_time(r));
	CU_ASSERT_EQUAL(sim_now(run_sim(r)), SIM_S(1800));
	/* 15 times as long: the same memory, 15 times the spool or so */
	CU_ASSERT_EQUAL(flowset_mem_bytes(cl), mem_cl);
	CU_ASSERT_EQUAL(flowset_mem_bytes(sv), mem_sv);
	CU_ASSERT_TRUE(flowset_spooled_bytes(cl) > 10 * sp_cl);
	CU_ASSERT_TRUE(flowset_spooled_bytes(sv) > 10 * sp_sv);
	/* what was spooled reads back: app, flow, windows */
	bytes = cl->bytes;
	CU_ASSERT_TRUE(bytes > 100000000ULL);
	CU_ASSERT_EQUAL(flowset_bytes_between(cl, 0, 0, SIM_S(1800)), bytes);
	CU_ASSERT_EQUAL(flowset_bytes_between(cl, 1, 0, SIM_S(1800)), bytes);
	CU_ASSERT_EQUAL(flowset_bytes_between(cl, 0, 0, SIM_MS(123400)) +
	    flowset_bytes_between(cl, 0, SIM_MS(123400), SIM_S(1800)), bytes);
	CU_ASSERT_EQUAL(flowset_bytes_between(cl, 1, SIM_S(600), SIM_S(700)),
	    flowset_bytes_between(cl, 0, SIM_S(600), SIM_S(700)));
	CU_ASSERT_EQUAL(run_finish(r, err, sizeof(err)), 0);
	/* metrics.csv: a row per 100 ms bin from 0, summing to the bytes */
	snprintf(path, sizeof(path), "%s/metrics.csv", dir);
	csv = test_slurp(path, NULL);
	CU_ASSERT_PTR_NOT_NULL_FATAL(csv);
	goodput_rows(csv, "q", &n, &csv_bytes);
	CU_ASSERT_EQUAL(n, cl->bins.end);
	CU_ASSERT_TRUE(n > 17990 && n <= 18000);
	CU_ASSERT_EQUAL(csv_bytes, bytes);
	free(csv);
	run_free(r);
	scenario_free(sc);
}

/*
 * 30 min of 1 Mbps UDP from a to b with the record section given: the
 * sink's memory after 2 min and at the end is the same, the spool grew;
 * returns metrics.csv and the bytes the sink received.
 */
static char *
udp_run(const char *record, const char *sub, uint64_t *received)
{
	char text[1024], err[256], dir[300], path[400];
	const struct app *sink;
	struct scenario *sc;
	size_t mem, sp;
	struct run *r;
	char *csv;

	snprintf(text, sizeof(text), "%sduration: 30m\n%sapps:\n"
	    "  - { name: u, type: udp_cbr, node: a, dst: b, rate: 1Mbps }\n",
	    HOSTS, record);
	sc = load(text);
	snprintf(dir, sizeof(dir), "%s/%s", tmp_base(), sub);
	r = run_new(sc, &(struct run_opts){ .out_dir = dir }, err,
	    sizeof(err));
	CU_ASSERT_PTR_NOT_NULL_FATAL(r);
	run_advance(r, SIM_S(120));
	sink = run_app(r, "u-sink");
	CU_ASSERT_PTR_NOT_NULL_FATAL(sink);
	mem = udp_sink_mem_bytes(sink);
	sp = udp_sink_spooled_bytes(sink);
	CU_ASSERT_TRUE(mem > 0);
	/* 1,200 bins so far: most of them spooled already */
	CU_ASSERT_TRUE(sp > 1000 * sizeof(uint64_t));
	run_advance(r, run_end_time(r));
	CU_ASSERT_EQUAL(sim_now(run_sim(r)), SIM_S(1800));
	CU_ASSERT_EQUAL(udp_sink_mem_bytes(sink), mem);
	CU_ASSERT_TRUE(udp_sink_spooled_bytes(sink) > 10 * sp);
	*received = udp_sink_bytes(sink);
	CU_ASSERT_TRUE(*received > 100000000ULL);
	CU_ASSERT_EQUAL(run_finish(r, err, sizeof(err)), 0);
	snprintf(path, sizeof(path), "%s/metrics.csv", dir);
	csv = test_slurp(path, NULL);
	CU_ASSERT_PTR_NOT_NULL_FATAL(csv);
	run_free(r);
	scenario_free(sc);
	return csv;
}

/*
 * The UDP sink's goodput bins: one block held, the rest spooled, so the
 * memory after 30 min is what it was after 2. metrics.csv: with
 * metrics_interval 100ms a row per bin from 0 whose bytes are every byte
 * received; by default (30 min: 1 s) a row per second, each the sum of
 * its ten 100 ms rows.
 */
static void
test_udp_sink_constant(void)
{
	enum { FINE = 18000, COARSE = 1800 };
	uint64_t *fine = xcalloc(FINE, sizeof(*fine));
	uint64_t *coarse = xcalloc(COARSE, sizeof(*coarse));
	uint64_t got_f, got_c, bytes_f, bytes_c, sum;
	size_t n_f, n_c, i, j;
	char *csv;

	/* the rows' interval: whole bins, at least one */
	CU_ASSERT_EQUAL(bin_series_row_interval(SIM_MS(50)), SIM_MS(100));
	CU_ASSERT_EQUAL(bin_series_row_interval(SIM_MS(100)), SIM_MS(100));
	CU_ASSERT_EQUAL(bin_series_row_interval(SIM_MS(250)), SIM_MS(300));
	CU_ASSERT_EQUAL(bin_series_row_interval(SIM_S(60)), SIM_S(60));
	csv = udp_run("record: { metrics_interval: 100ms }\n", "udp-fine",
	    &got_f);
	goodput_rows_iv(csv, "u-sink", SIM_MS(100), &n_f, &bytes_f, fine,
	    FINE);
	free(csv);
	CU_ASSERT_TRUE(n_f > 17990 && n_f <= FINE);
	CU_ASSERT_EQUAL(bytes_f, got_f);
	csv = udp_run("", "udp-coarse", &got_c);
	goodput_rows_iv(csv, "u-sink", SIM_S(1), &n_c, &bytes_c, coarse,
	    COARSE);
	free(csv);
	CU_ASSERT_EQUAL(got_c, got_f);
	CU_ASSERT_EQUAL(n_c, (n_f + 9) / 10);
	CU_ASSERT_EQUAL(bytes_c, got_c);
	for (i = 0; i < n_c && i < COARSE; i++) {
		for (sum = 0, j = 10 * i; j < 10 * i + 10 && j < n_f; j++)
			sum += fine[j];
		CU_ASSERT_EQUAL(coarse[i], sum);
	}
	free(fine);
	free(coarse);
}

/* --- record levels ------------------------------------------------------ */

struct counts {
	uint64_t n[TR_TYPE_MAX];
	uint64_t tx_sampled;		/* pkt_tx whose uid the rule picks */
	uint64_t drops_on_link;
	uint32_t flags;
};

static bool
picked(uint64_t uid, uint32_t n)
{
	return (uint32_t)((uid * 0x9e3779b97f4a7c15ULL) >> 32) % n == 0;
}

/* Run the scenario with record extra into dir; its trace's path. */
static void
run_level(const char *record, const char *dir, char *path, size_t len)
{
	char text[2048], err[256];
	struct scenario *sc;
	struct run *r;

	snprintf(text, sizeof(text), HOSTS "duration: 3s\n%s"
	    "apps:\n"
	    "  - { name: x, type: tcp_bulk, node: a, dst: b, "
	    "tcp: { rcvbuf: 4MB, sndbuf: 4MB } }\n"
	    "  - { name: p, type: ping, node: a, dst: 10.9.9.9, "
	    "interval: 200ms }\n", record);
	sc = load(text);
	r = run_new(sc, &(struct run_opts){ .out_dir = dir }, err,
	    sizeof(err));
	CU_ASSERT_PTR_NOT_NULL_FATAL(r);
	run_advance(r, run_end_time(r));
	CU_ASSERT_EQUAL_FATAL(run_finish(r, err, sizeof(err)), 0);
	run_free(r);
	scenario_free(sc);
	snprintf(path, len, "%s/trace.xct", dir);
}

static void
count(const char *path, struct counts *c, uint32_t sample)
{
	char err[256];
	struct trace_reader *rd = trace_reader_open(path, err, sizeof(err));
	struct trace_rec rec;
	int k;

	memset(c, 0, sizeof(*c));
	CU_ASSERT_PTR_NOT_NULL_FATAL(rd);
	c->flags = trace_reader_flags(rd);
	while ((k = trace_reader_next(rd, &rec, err, sizeof(err))) == 1) {
		c->n[rec.type]++;
		if (rec.type == TR_PKT_TX && picked(rec.u.tx.uid, sample))
			c->tx_sampled++;
		if (rec.type == TR_PKT_DROP && rec.u.drop.link != TRACE_NO_ID)
			c->drops_on_link++;
	}
	CU_ASSERT_EQUAL(k, 0);
	trace_reader_close(rd);
}

/* Every record type but the packets' and the queues' is the same. */
static void
same_story(const struct counts *a, const struct counts *b)
{
	int t;

	for (t = 0; t < TR_TYPE_MAX; t++) {
		if (t == TR_PKT_ENQUEUE || t == TR_PKT_TX || t == TR_PKT_RX ||
		    t == TR_PKT_DROP || t == TR_PKT_DATA || t == TR_QUEUE ||
		    t == TR_QUEUE_LEN || t == TR_ANNOTATE)
			continue;
		CU_ASSERT_EQUAL(a->n[t], b->n[t]);
	}
	/* the writer's note of what it left out */
	CU_ASSERT_EQUAL(b->n[TR_ANNOTATE], a->n[TR_ANNOTATE] + 1);
}

static void
test_levels(void)
{
	char dir[300], all[400], drops[400], none[400], smp[400];
	struct counts ca, cd, cn, cs;

	snprintf(dir, sizeof(dir), "%s/all", tmp_base());
	run_level("", dir, all, sizeof(all));
	snprintf(dir, sizeof(dir), "%s/drops", tmp_base());
	run_level("record: { packets: drops }\n", dir, drops, sizeof(drops));
	snprintf(dir, sizeof(dir), "%s/none", tmp_base());
	run_level("record: { packets: none }\n", dir, none, sizeof(none));
	snprintf(dir, sizeof(dir), "%s/sample", tmp_base());
	run_level("record: { packet_sample: 10 }\n", dir, smp, sizeof(smp));
	count(all, &ca, 10);
	count(drops, &cd, 10);
	count(none, &cn, 10);
	count(smp, &cs, 10);

	/* the full trace: hops, queue-full drops on the link, no-route ones */
	CU_ASSERT_EQUAL(ca.flags, 0);
	CU_ASSERT_TRUE(ca.n[TR_PKT_TX] > 1000);
	CU_ASSERT_TRUE(ca.drops_on_link > 0);
	CU_ASSERT_TRUE(ca.n[TR_PKT_DROP] > ca.drops_on_link);
	CU_ASSERT_EQUAL(ca.n[TR_QUEUE], 0);

	/* drops: every drop, no hop, queues sampled */
	CU_ASSERT_EQUAL(cd.flags, TRACE_FLAG_PKT_DROPS);
	CU_ASSERT_EQUAL(cd.n[TR_PKT_ENQUEUE] + cd.n[TR_PKT_TX] +
	    cd.n[TR_PKT_RX] + cd.n[TR_PKT_DATA] + cd.n[TR_QUEUE_LEN], 0);
	CU_ASSERT_EQUAL(cd.n[TR_PKT_DROP], ca.n[TR_PKT_DROP]);
	CU_ASSERT_EQUAL(cd.drops_on_link, ca.drops_on_link);
	CU_ASSERT_TRUE(cd.n[TR_QUEUE] > 0);
	same_story(&ca, &cd);

	/* none: no packet record at all */
	CU_ASSERT_EQUAL(cn.flags, TRACE_FLAG_PKT_NONE);
	CU_ASSERT_EQUAL(cn.n[TR_PKT_ENQUEUE] + cn.n[TR_PKT_TX] +
	    cn.n[TR_PKT_RX] + cn.n[TR_PKT_DROP] + cn.n[TR_PKT_DATA], 0);
	same_story(&ca, &cn);

	/* 1 in 10: exactly the picked packets' hops, every drop */
	CU_ASSERT_EQUAL(cs.flags, TRACE_FLAG_PKT_SAMPLED);
	CU_ASSERT_EQUAL(cs.n[TR_PKT_TX], ca.tx_sampled);
	CU_ASSERT_EQUAL(cs.tx_sampled, cs.n[TR_PKT_TX]);
	CU_ASSERT_TRUE(cs.n[TR_PKT_TX] > ca.n[TR_PKT_TX] / 20 &&
	    cs.n[TR_PKT_TX] < ca.n[TR_PKT_TX] / 5);
	CU_ASSERT_EQUAL(cs.n[TR_PKT_DROP], ca.n[TR_PKT_DROP]);
	same_story(&ca, &cs);
}

/*
 * A queue sample at k is the occupancy after every record before k, as
 * the full trace gives it (the latest pkt_enqueue / pkt_tx / pkt_drop of
 * the (link, dir) before k).
 */
static void
test_queue_samples_exact(void)
{
	char dir[300], all[400], drops[400], err[256];
	struct trace_reader *ra, *rd;
	struct trace_rec a, d;
	uint32_t occ[2] = { 0, 0 };
	unsigned checked = 0, nonzero = 0;
	int ka = 1, kd;

	snprintf(dir, sizeof(dir), "%s/qa", tmp_base());
	run_level("", dir, all, sizeof(all));
	snprintf(dir, sizeof(dir), "%s/qd", tmp_base());
	run_level("record: { packets: drops }\n", dir, drops, sizeof(drops));
	ra = trace_reader_open(all, err, sizeof(err));
	rd = trace_reader_open(drops, err, sizeof(err));
	CU_ASSERT_PTR_NOT_NULL_FATAL(ra);
	CU_ASSERT_PTR_NOT_NULL_FATAL(rd);
	ka = trace_reader_next(ra, &a, err, sizeof(err));
	while ((kd = trace_reader_next(rd, &d, err, sizeof(err))) == 1) {
		if (d.type != TR_QUEUE || d.u.queue.link != 0)
			continue;
		/* the full trace up to (not at) k */
		for (; ka == 1 && (a.t < d.t || trace_type_is_decl(a.type));
		    ka = trace_reader_next(ra, &a, err, sizeof(err))) {
			if (a.type == TR_PKT_ENQUEUE && a.u.enqueue.link == 0)
				occ[a.u.enqueue.dir] = a.u.enqueue.qpkts;
			else if (a.type == TR_PKT_TX && a.u.tx.link == 0)
				occ[a.u.tx.dir] = a.u.tx.qpkts;
			else if (a.type == TR_PKT_DROP && a.u.drop.link == 0)
				occ[a.u.drop.dir] = a.u.drop.qpkts;
		}
		CU_ASSERT_EQUAL(d.u.queue.qpkts, occ[d.u.queue.dir]);
		checked++;
		nonzero += d.u.queue.qpkts != 0;
	}
	CU_ASSERT_EQUAL(kd, 0);
	CU_ASSERT_TRUE(checked > 10);
	CU_ASSERT_TRUE(nonzero > 5);
	trace_reader_close(ra);
	trace_reader_close(rd);
}

/*
 * Seeking a filtered trace (its keyframes are sparse) returns, after the
 * keyframe's state, exactly the records reading on from the start gives
 * after the instant; the same run writes the same bytes.
 */
static void
test_seek_and_determinism(void)
{
	static const sim_time at[] = { SIM_MS(50), SIM_MS(777), SIM_S(2),
	    SIM_MS(2950) };
	char dir[300], p1[400], p2[400], err[256];
	struct trace_reader *rd;
	struct trace_rec rec;
	uint64_t seq[4] = { 0 }, got;
	size_t i, l1 = 0, l2 = 0;
	char *b1, *b2;
	int k;

	snprintf(dir, sizeof(dir), "%s/d1", tmp_base());
	run_level("record: { packets: drops }\n", dir, p1, sizeof(p1));
	snprintf(dir, sizeof(dir), "%s/d2", tmp_base());
	run_level("record: { packets: drops }\n", dir, p2, sizeof(p2));
	b1 = test_slurp(p1, &l1);
	b2 = test_slurp(p2, &l2);
	CU_ASSERT_PTR_NOT_NULL_FATAL(b1);
	CU_ASSERT_PTR_NOT_NULL_FATAL(b2);
	CU_ASSERT_TRUE(l1 == l2 && memcmp(b1, b2, l1) == 0);
	free(b1);
	free(b2);

	rd = trace_reader_open(p1, err, sizeof(err));
	CU_ASSERT_PTR_NOT_NULL_FATAL(rd);
	while ((k = trace_reader_next(rd, &rec, err, sizeof(err))) == 1)
		for (i = 0; i < 4; i++)
			seq[i] += rec.t > at[i] && !trace_type_is_decl(rec.type);
	CU_ASSERT_EQUAL(k, 0);
	for (i = 0; i < 4; i++) {
		CU_ASSERT_EQUAL_FATAL(trace_reader_seek(rd, at[i], err,
		    sizeof(err)), 0);
		got = 0;
		while ((k = trace_reader_next(rd, &rec, err, sizeof(err))) == 1)
			got += rec.t > at[i] && !trace_type_is_decl(rec.type);
		CU_ASSERT_EQUAL(k, 0);
		CU_ASSERT_EQUAL(got, seq[i]);
		CU_ASSERT_TRUE(seq[i] > 0);
	}
	trace_reader_close(rd);
}

#define MAXL 64

/* The (link, dir) occupancies a replay holds at t: read on, or sought. */
static void
occupancy_at(const char *path, sim_time t, bool seek, uint32_t occ[MAXL][2])
{
	char err[256];
	struct trace_reader *rd = trace_reader_open(path, err, sizeof(err));
	struct trace_rec r;
	uint32_t l = 0, q = 0;
	uint8_t d = 0;
	int k;

	CU_ASSERT_PTR_NOT_NULL_FATAL(rd);
	memset(occ, 0, sizeof(uint32_t) * MAXL * 2);
	if (seek)
		CU_ASSERT_EQUAL_FATAL(trace_reader_seek(rd, t, err,
		    sizeof(err)), 0);
	while ((k = trace_reader_next(rd, &r, err, sizeof(err))) == 1) {
		if (trace_type_is_decl(r.type))
			continue;
		if (r.t > t)
			break;
		if (r.type == TR_QUEUE)
			l = r.u.queue.link, d = r.u.queue.dir,
			    q = r.u.queue.qpkts;
		else if (r.type == TR_PKT_ENQUEUE)
			l = r.u.enqueue.link, d = r.u.enqueue.dir,
			    q = r.u.enqueue.qpkts;
		else if (r.type == TR_PKT_TX)
			l = r.u.tx.link, d = r.u.tx.dir, q = r.u.tx.qpkts;
		else if (r.type == TR_PKT_DROP && r.u.drop.link != TRACE_NO_ID)
			l = r.u.drop.link, d = r.u.drop.dir,
			    q = r.u.drop.qpkts;
		else
			continue;
		CU_ASSERT_FATAL(l < MAXL);
		occ[l][d] = q;
	}
	CU_ASSERT_TRUE(k >= 0);
	trace_reader_close(rd);
}

/*
 * The queues a replay shows at t are the same whether it read on or
 * sought, in the walkthrough (1 packet in 10, traffic in bursts), at
 * packets: drops (a sample follows every change a reader saw, a sampled
 * packet's or a drop's occupancy, not just the last sample) and at
 * packets: all, whose keyframes are sparse too.
 */
static void
test_seek_queues(void)
{
	char dir[300], path[400], err[256], *text, *yaml;
	uint32_t a[MAXL][2], b[MAXL][2];
	unsigned i, j, differ = 0;
	struct scenario *sc;
	struct run *r;
	size_t len = 0;

	text = test_slurp(XCSIM_SOURCE_DIR "/scenarios/labs/01-walkthrough.yaml",
	    &len);
	CU_ASSERT_PTR_NOT_NULL_FATAL(text);
	CU_ASSERT_PTR_NOT_NULL_FATAL(strstr(text,
	    "record: { packet_sample: 10 }"));
	for (i = 0; i < 3; i++) {
		yaml = xmalloc(len + 64);
		memcpy(yaml, text, len + 1);
		if (i > 0) {
			char *p = strstr(yaml, "record: { packet_sample: 10 }");

			memcpy(p, i == 1 ? "record: { packets: drops }   " :
			    "record: { packets: all }     ", 29);
		}
		sc = load(yaml);
		free(yaml);
		snprintf(dir, sizeof(dir), "%s/sq%u", tmp_base(), i);
		r = run_new(sc, &(struct run_opts){ .out_dir = dir }, err,
		    sizeof(err));
		CU_ASSERT_PTR_NOT_NULL_FATAL(r);
		run_advance(r, run_end_time(r));
		CU_ASSERT_EQUAL_FATAL(run_finish(r, err, sizeof(err)), 0);
		run_free(r);
		scenario_free(sc);
		snprintf(path, sizeof(path), "%s/trace.xct", dir);
		/* the traffic: from 68 min, bursts of a 8 KB answer */
		for (j = 0; j < (i == 2 ? 12u : 40u); j++) {
			sim_time t = SIM_S(68 * 60) + SIM_MS(7919) * j +
			    SIM_US(j * 37 % 1000);

			occupancy_at(path, t, false, a);
			occupancy_at(path, t, true, b);
			differ += memcmp(a, b, sizeof(a)) != 0;
		}
	}
	free(text);
	CU_ASSERT_EQUAL(differ, 0);
}

/*
 * packets: all, a quiet run (a ping a second): a keyframe only once the
 * records since the last one weigh as much as it did, not one every
 * 100 ms restating every link and queue; a seek still lands on the
 * keyframe at or before the instant and replays the same records as
 * reading on.
 */
static void
test_sparse_all(void)
{
	static const sim_time at[] = { SIM_MS(50), SIM_MS(7777), SIM_S(30),
	    SIM_MS(59950) };
	char text[4096], dir[300], path[400], err[256];
	struct trace_reader *rd;
	struct scenario *sc;
	struct trace_rec rec;
	uint64_t seq[4] = { 0 }, got;
	sim_time kf;
	struct run *r;
	size_t i, j, n, n_kf = 0;
	int k;

	/* a and b joined by nine links: a keyframe restates 9 links and
	 * 18 queues, more than a ping's four records weigh */
	n = (size_t)snprintf(text, sizeof(text), "nodes:\n");
	for (i = 0; i < 2; i++) {
		n += (size_t)snprintf(text + n, sizeof(text) - n,
		    "  - { name: %c, role: host, interfaces: [", "ab"[i]);
		for (j = 0; j < 9; j++)
			n += (size_t)snprintf(text + n, sizeof(text) - n,
			    "%s{ name: eth%zu, address: 10.0.%zu.%zu/24 }",
			    j ? ", " : "", j, j, i + 1);
		n += (size_t)snprintf(text + n, sizeof(text) - n, "] }\n");
	}
	n += (size_t)snprintf(text + n, sizeof(text) - n, "links:\n");
	for (j = 0; j < 9; j++)
		n += (size_t)snprintf(text + n, sizeof(text) - n,
		    "  - { name: l%zu, a: \"a:eth%zu\", b: \"b:eth%zu\", "
		    "rate: 100Mbps, delay: 1ms, queue: { packets: 20 } }\n",
		    j, j, j);
	snprintf(text + n, sizeof(text) - n, "duration: 60s\napps:\n"
	    "  - { name: p, type: ping, node: a, dst: b, interval: 1s }\n");
	CU_ASSERT_FATAL(strlen(text) < sizeof(text) - 1);
	sc = load(text);
	snprintf(dir, sizeof(dir), "%s/sparse", tmp_base());
	r = run_new(sc, &(struct run_opts){ .out_dir = dir }, err,
	    sizeof(err));
	CU_ASSERT_PTR_NOT_NULL_FATAL(r);
	run_advance(r, run_end_time(r));
	CU_ASSERT_EQUAL_FATAL(run_finish(r, err, sizeof(err)), 0);
	run_free(r);
	scenario_free(sc);
	snprintf(path, sizeof(path), "%s/trace.xct", dir);
	rd = trace_reader_open(path, err, sizeof(err));
	CU_ASSERT_PTR_NOT_NULL_FATAL(rd);
	CU_ASSERT_EQUAL(trace_reader_flags(rd), 0);
	while ((k = trace_reader_next(rd, &rec, err, sizeof(err))) == 1)
		for (i = 0; i < 4; i++)
			seq[i] += rec.t > at[i] && !trace_type_is_decl(rec.type);
	CU_ASSERT_EQUAL(k, 0);
	for (i = 0; i < 4; i++) {
		CU_ASSERT_EQUAL_FATAL(trace_reader_seek(rd, at[i], err,
		    sizeof(err)), 0);
		got = 0;
		kf = -1;
		while ((k = trace_reader_next(rd, &rec, err, sizeof(err))) ==
		    1) {
			if (rec.type == TR_KEYFRAME && kf < 0)
				kf = rec.t;
			got += rec.t > at[i] && !trace_type_is_decl(rec.type);
		}
		CU_ASSERT_EQUAL(k, 0);
		CU_ASSERT_EQUAL(got, seq[i]);
		CU_ASSERT_TRUE(kf >= 0 && kf <= at[i]);
	}
	/* the keyframes, as the seeks find them: one per interval with a
	 * ping in it, 60, were they not sparse; a seek replays no more
	 * than about a keyframe's worth (three pings) */
	for (i = 0, kf = -1; i < 600; i++) {
		CU_ASSERT_EQUAL_FATAL(trace_reader_seek(rd, SIM_MS(100) *
		    (sim_time)i + SIM_MS(50), err, sizeof(err)), 0);
		while ((k = trace_reader_next(rd, &rec, err, sizeof(err))) ==
		    1 && rec.type != TR_KEYFRAME)
			;
		CU_ASSERT_EQUAL_FATAL(k, 1);
		n_kf += rec.t != kf;
		kf = rec.t;
	}
	CU_ASSERT_TRUE(n_kf >= 10 && n_kf <= 30);
	trace_reader_close(rd);
}

static const struct test_case cases[] = {
	{ "flowstats: memory constant from 2 to 30 min, every byte reads back", test_flowstats_constant },
	{ "udp sink: bins constant in memory; rows per metrics_interval", test_udp_sink_constant },
	{ "record.packets all/drops/none and packet_sample keep what they say", test_levels },
	{ "drops: the queue samples are the full trace's occupancy", test_queue_samples_exact },
	{ "drops: seek = read on; same run, same bytes", test_seek_and_determinism },
	{ "sample, drops, all: the queues after a seek are the queues read on", test_seek_queues },
	{ "all: sparse keyframes in a quiet run, seek = read on", test_sparse_all },
	{ NULL, NULL }
};

int
main(int argc, char **argv)
{
	scenario_models_init();
	return test_main(argc, argv, "bounded", cases);
}
