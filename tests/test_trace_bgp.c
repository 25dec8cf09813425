/*
 * test_trace_bgp.c - the trace's 2.2 records and what BGP writes with
 * them: pkt_data (a control-plane frame kept whole) and session_stats
 * (keyed session counters) byte for byte, read back, in JSON and skipped
 * by an older reader; 2.1 files still read; the counters restated by
 * keyframes at any seek; net_trace_keep_whole keeping exactly the
 * registered (protocol, port) frames; and a run of three speakers
 * (bgp_trace_testutil.h): the Loc-RIB's route records with their
 * attributes and why the best won, the session reasons, counters that
 * agree with the whole BGP frames and with the speaker, and the same
 * bytes on a second run.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bgp_msg.h"
#include "bgp_rib_testutil.h"
#include "bgp_trace.h"
#include "bgp_trace_testutil.h"
#include "testutil.h"
#include "trace.h"
#include "util.h"

static const char *tmpdir;

static const char *
tpath(const char *name)
{
	static char buf[8][512];
	static int k;

	k = (k + 1) % 8;
	snprintf(buf[k], sizeof(buf[k]), "%s/%s", tmpdir, name);
	return buf[k];
}

static struct trace_reader *
open_rd(const char *path)
{
	char err[256] = "";
	struct trace_reader *rd = trace_reader_open(path, err, sizeof(err));

	if (rd == NULL)
		fprintf(stderr, "%s: %s\n", path, err);
	return rd;
}

/* ---------------------------------------------------------------------- */
/* The records                                                              */

static uint8_t frame[300];

static void
fill_frame(void)
{
	size_t i;

	for (i = 0; i < sizeof(frame); i++)
		frame[i] = (uint8_t)(i * 7 + 3);
}

/*
 * One packet with its whole frame between two others, a frame too long to
 * keep all of, and a session's counters twice, with the keyframe interval
 * short enough for several keyframes.
 */
static void
write_small(const char *path)
{
	static const uint32_t node[2] = { 0, 1 }, ifx[2] = { 0, 0 };
	static const uint64_t rate[2] = { 1000000000, 1000000000 };
	static const sim_time delay[2] = { SIM_US(100), SIM_US(100) };
	static uint8_t big[TRACE_DATA_MAX + 100];
	struct trace_sess_stats s = { 3, 4, 1, 2, 10, 20, 5, 6 };
	char err[256] = "";
	struct trace *tr = trace_open(path, SIM_MS(1), err, sizeof(err));

	CU_ASSERT_PTR_NOT_NULL_FATAL(tr);
	fill_frame();
	trace_node(tr, 0, "a", "router", NULL, NULL);
	trace_node(tr, 1, "b", "router", NULL, NULL);
	trace_link(tr, 0, "ab", node, ifx, rate, delay, 1500, 100, 0);
	trace_tx(tr, SIM_US(10), 7, 0, 1, 300, SIM_US(12), SIM_US(112),
	    frame, TRACE_HDR_MAX);
	trace_tx_data(tr, SIM_US(10), 7, 0, 1, frame, sizeof(frame));
	trace_rx(tr, SIM_US(112), 7, 0, 1, 0, 0);
	trace_tx(tr, SIM_US(200), 9, 0, 0, 60, SIM_US(201), SIM_US(301),
	    frame, 60);
	trace_session_stats(tr, SIM_US(200), TRP_BGP, 0, "10.0.0.2", &s);
	memset(big, 0xab, sizeof(big));
	trace_tx(tr, SIM_MS(3), 11, 0, 0, sizeof(big), SIM_MS(3) + 100,
	    SIM_MS(3) + 200, big, TRACE_HDR_MAX);
	trace_tx_data(tr, SIM_MS(3), 11, 0, 0, big, sizeof(big));
	s.msgs_in++;
	trace_session_stats(tr, SIM_MS(5), TRP_BGP, 0, "10.0.0.2", &s);
	trace_annotate(tr, SIM_MS(7), 0, "end");
	CU_ASSERT_EQUAL_FATAL(trace_close(tr, err, sizeof(err)), 0);
}

static void
test_records_round_trip(void)
{
	const char *path = tpath("small.xct");
	uint8_t want[8 + sizeof(frame)];
	struct trace_reader *rd;
	struct trace_rec r;
	char err[256], js[4096];
	uint8_t *b;
	size_t n;
	int rc, ndata = 0, nstats = 0, nrx = 0;

	write_small(path);
	b = (uint8_t *)test_slurp(path, &n);
	CU_ASSERT_PTR_NOT_NULL_FATAL(b);
	CU_ASSERT_EQUAL(b[8], 2);
	CU_ASSERT_EQUAL(b[10], 3);	/* 2.3: pkt_data came in 2.2 */
	/* the pkt_data frame: type 22, length 305, dt 0, uid 7 as a delta
	 * 0 from the TX's base, link 0 dir 1, 300 bytes, the bytes */
	want[0] = 22;
	want[1] = 0xb1;
	want[2] = 0x02;
	want[3] = 0;
	want[4] = 0;
	want[5] = 1;
	want[6] = 0xac;
	want[7] = 0x02;
	memcpy(want + 8, frame, sizeof(frame));
	CU_ASSERT_PTR_NOT_NULL(memmem(b, n, want, sizeof(want)));
	free(b);

	rd = open_rd(path);
	CU_ASSERT_PTR_NOT_NULL_FATAL(rd);
	while ((rc = trace_reader_next(rd, &r, err, sizeof(err))) == 1) {
		if (r.type == TR_PKT_DATA && r.u.data.uid == 7) {
			ndata++;
			CU_ASSERT_EQUAL(r.t, SIM_US(10));
			CU_ASSERT_EQUAL(r.u.data.link, 0);
			CU_ASSERT_EQUAL(r.u.data.dir, 1);
			CU_ASSERT_EQUAL_FATAL(r.u.data.len, sizeof(frame));
			CU_ASSERT_EQUAL(memcmp(r.u.data.data, frame,
			    sizeof(frame)), 0);
			trace_rec_json(&r, js, sizeof(js));
			CU_ASSERT_PTR_NOT_NULL(strstr(js, "{\"t\":10000,"
			    "\"type\":\"pkt_data\",\"uid\":7,\"link\":0,"
			    "\"dir\":1,\"data\":\"030a11181f"));
		} else if (r.type == TR_PKT_DATA) {
			/* a frame past TRACE_DATA_MAX is cut there */
			ndata++;
			CU_ASSERT_EQUAL(r.u.data.uid, 11);
			CU_ASSERT_EQUAL_FATAL(r.u.data.len, TRACE_DATA_MAX);
			CU_ASSERT_EQUAL(r.u.data.data[TRACE_DATA_MAX - 1], 0xab);
		}
		/* the uid base is the TX's: the RX after the data reads 7 */
		if (r.type == TR_PKT_RX) {
			nrx++;
			CU_ASSERT_EQUAL(r.u.rx.uid, 7);
		}
		if (r.type == TR_PKT_TX && r.u.tx.uid == 9)
			CU_ASSERT_EQUAL(r.u.tx.hdr_len, 60);
		if (r.type == TR_SESSION_STATS) {
			nstats++;
			CU_ASSERT_EQUAL(r.u.sstats.proto, TRP_BGP);
			CU_ASSERT_EQUAL(r.u.sstats.node, 0);
			CU_ASSERT_STRING_EQUAL(r.u.sstats.peer, "10.0.0.2");
			CU_ASSERT_EQUAL(r.u.sstats.s.msgs_in, nstats == 1 ? 3 :
			    4);
			CU_ASSERT_EQUAL(r.u.sstats.s.msgs_out, 4);
			CU_ASSERT_EQUAL(r.u.sstats.s.updates_in, 1);
			CU_ASSERT_EQUAL(r.u.sstats.s.updates_out, 2);
			CU_ASSERT_EQUAL(r.u.sstats.s.prefixes_in, 10);
			CU_ASSERT_EQUAL(r.u.sstats.s.prefixes_out, 20);
			CU_ASSERT_EQUAL(r.u.sstats.s.withdrawn_in, 5);
			CU_ASSERT_EQUAL(r.u.sstats.s.withdrawn_out, 6);
			if (nstats == 1) {
				trace_rec_json(&r, js, sizeof(js));
				CU_ASSERT_STRING_EQUAL(js, "{\"t\":200000,"
				    "\"type\":\"session_stats\",\"proto\":"
				    "\"bgp\",\"node\":0,\"peer\":\"10.0.0.2\","
				    "\"msgs_in\":3,\"msgs_out\":4,"
				    "\"updates_in\":1,\"updates_out\":2,"
				    "\"prefixes_in\":10,\"prefixes_out\":20,"
				    "\"withdrawn_in\":5,\"withdrawn_out\":6}");
			}
		}
	}
	CU_ASSERT_EQUAL(rc, 0);
	CU_ASSERT_EQUAL(ndata, 2);
	CU_ASSERT_EQUAL(nrx, 1);
	CU_ASSERT_EQUAL(nstats, 2);
	trace_reader_close(rd);
}

/*
 * Rewrite the 2.2 records' type codes, in the stream and inside keyframe
 * bodies, to codes this reader does not know (as a 2.1 reader does not
 * know 22 and 23). Frames are walked, never guessed. Returns how many.
 */
static size_t
hide_frames(uint8_t *p, size_t n, size_t at, int depth)
{
	size_t count = 0;

	while (at < n) {
		uint64_t type = 0, len = 0;
		unsigned sh = 0;
		size_t tpos = at, body;

		do
			type |= (uint64_t)(p[at] & 0x7f) << sh, sh += 7;
		while (p[at++] & 0x80);
		if (depth == 0 && type == 33)
			break;	/* the index */
		sh = 0;
		do
			len |= (uint64_t)(p[at] & 0x7f) << sh, sh += 7;
		while (p[at++] & 0x80);
		body = at;
		if (type == TR_PKT_DATA || type == TR_SESSION_STATS) {
			p[tpos] = (uint8_t)(type + 8);	/* 30, 31 */
			count++;
		} else if (type == TR_KEYFRAME) {
			size_t q = body;
			int v;

			for (v = 0; v < 3; v++)
				while (p[q++] & 0x80)
					;
			count += hide_frames(p, body + len, q, depth + 1);
		}
		at = body + len;
	}
	return count;
}

static void
write_file(const char *path, const uint8_t *b, size_t n)
{
	FILE *f = fopen(path, "wb");

	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	CU_ASSERT_EQUAL(fwrite(b, 1, n, f), n);
	fclose(f);
}

/*
 * A 2.1 reader skips the 2.2 records (rule 1 of section 4) with the times
 * and uids of the others unchanged and the index's count agreeing; and a
 * 2.1 file (its minor, none of the new records) still reads.
 */
static void
test_versions(void)
{
	const char *path = tpath("v.xct"), *hidden = tpath("hidden.xct");
	const char *old = tpath("old.xct");
	struct trace_reader *a, *b;
	struct trace_rec ra, rb;
	char err[256];
	size_t n = 0, k;
	uint8_t *buf;
	int rc;

	write_small(path);
	buf = (uint8_t *)test_slurp(path, &n);
	CU_ASSERT_PTR_NOT_NULL_FATAL(buf);
	k = hide_frames(buf, n - 16, 16, 0);
	CU_ASSERT(k >= 5);	/* 2 data, 2 stats, and restated stats */
	write_file(hidden, buf, n);
	free(buf);
	a = open_rd(path);
	b = open_rd(hidden);
	CU_ASSERT_PTR_NOT_NULL_FATAL(a);
	CU_ASSERT_PTR_NOT_NULL_FATAL(b);
	for (;;) {
		do
			rc = trace_reader_next(a, &ra, err, sizeof(err));
		while (rc == 1 && (ra.type == TR_PKT_DATA ||
		    ra.type == TR_SESSION_STATS));
		CU_ASSERT_EQUAL_FATAL(trace_reader_next(b, &rb, err,
		    sizeof(err)), rc);
		if (rc != 1)
			break;
		CU_ASSERT_EQUAL(ra.type, rb.type);
		CU_ASSERT_EQUAL(ra.t, rb.t);
		if (ra.type == TR_PKT_RX)
			CU_ASSERT_EQUAL(rb.u.rx.uid, 7);
	}
	CU_ASSERT_EQUAL(rc, 0);
	CU_ASSERT_EQUAL(trace_reader_seek(b, SIM_MS(6), err, sizeof(err)), 0);
	while ((rc = trace_reader_next(b, &rb, err, sizeof(err))) == 1)
		CU_ASSERT(rb.type != TR_PKT_DATA &&
		    rb.type != TR_SESSION_STATS);
	CU_ASSERT_EQUAL(rc, 0);
	trace_reader_close(a);
	trace_reader_close(b);

	/* a 2.1 file: the same bytes without the new records, minor 1 */
	buf = (uint8_t *)test_slurp(hidden, &n);
	CU_ASSERT_PTR_NOT_NULL_FATAL(buf);
	buf[10] = 1;
	write_file(old, buf, n);
	free(buf);
	a = open_rd(old);
	CU_ASSERT_PTR_NOT_NULL_FATAL(a);
	CU_ASSERT_EQUAL(trace_reader_version(a), 2);
	k = 0;
	while ((rc = trace_reader_next(a, &ra, err, sizeof(err))) == 1)
		k++;
	CU_ASSERT_EQUAL(rc, 0);
	/* the index counts the hidden records too (skipped as unknown) */
	CU_ASSERT_EQUAL(k + 4, trace_reader_record_count(a));
	trace_reader_close(a);
	unlink(path);
	unlink(hidden);
	unlink(old);
}

/*
 * Counters written 400 times over 40 ms with a keyframe every ms: a seek
 * to any instant gives, before the first record after it, exactly the
 * counters of the last record at or before it; the writer answers the
 * latest (trace_session_stats_last) for the key and nothing for another.
 */
static void
test_stats_seek(void)
{
	const char *path = tpath("seek.xct");
	struct trace_sess_stats s, got;
	struct trace_reader *rd;
	struct trace_rec r;
	char err[256] = "";
	struct trace *tr = trace_open(path, SIM_MS(1), err, sizeof(err));
	sim_time at;
	int i, rc;

	CU_ASSERT_PTR_NOT_NULL_FATAL(tr);
	trace_node(tr, 0, "a", "router", NULL, NULL);
	memset(&s, 0, sizeof(s));
	for (i = 1; i <= 400; i++) {
		s.msgs_in = (uint64_t)i;
		s.prefixes_in = (uint64_t)i * 1000;
		trace_session_stats(tr, SIM_US(100) * i, TRP_BGP, 0,
		    i % 2 ? "10.0.0.2" : "10.0.0.6", &s);
		trace_annotate(tr, SIM_US(100) * i, 0, "x");
	}
	CU_ASSERT(trace_session_stats_last(tr, TRP_BGP, 0, "10.0.0.6", &got));
	CU_ASSERT_EQUAL(got.msgs_in, 400);
	CU_ASSERT(trace_session_stats_last(tr, TRP_BGP, 0, "10.0.0.2", &got));
	CU_ASSERT_EQUAL(got.msgs_in, 399);
	CU_ASSERT(!trace_session_stats_last(tr, TRP_BGP, 1, "10.0.0.2",
	    &got));
	CU_ASSERT_EQUAL(got.msgs_in, 0);
	CU_ASSERT(!trace_session_stats_last(tr, TRP_BFD, 0, "10.0.0.2",
	    &got));
	CU_ASSERT(!trace_session_stats_last(NULL, TRP_BGP, 0, "10.0.0.2",
	    &got));
	CU_ASSERT_EQUAL_FATAL(trace_close(tr, err, sizeof(err)), 0);

	rd = open_rd(path);
	CU_ASSERT_PTR_NOT_NULL_FATAL(rd);
	for (at = SIM_US(1250); at < SIM_MS(40); at += SIM_US(3350)) {
		uint64_t last[2] = { 0, 0 };
		/* the latest record at or before at, per peer */
		uint64_t k = (uint64_t)(at / SIM_US(100));
		uint64_t w2 = k % 2 ? k : k - 1, w6 = k % 2 ? k - 1 : k;

		CU_ASSERT_EQUAL_FATAL(trace_reader_seek(rd, at, err,
		    sizeof(err)), 0);
		while ((rc = trace_reader_next(rd, &r, err, sizeof(err))) ==
		    1 && r.t <= at) {
			if (r.type != TR_SESSION_STATS)
				continue;
			CU_ASSERT_EQUAL(r.u.sstats.s.prefixes_in,
			    r.u.sstats.s.msgs_in * 1000);
			last[strcmp(r.u.sstats.peer, "10.0.0.2") == 0 ? 0 :
			    1] = r.u.sstats.s.msgs_in;
		}
		CU_ASSERT_EQUAL(rc, 1);
		CU_ASSERT_EQUAL(last[0], w2);
		CU_ASSERT_EQUAL(last[1], w6);
	}
	trace_reader_close(rd);
	unlink(path);
}

/* ---------------------------------------------------------------------- */
/* The network's seam: net_trace_keep_whole                                 */

static void
send_l4(struct bs_net *b, uint8_t proto, uint16_t sport, uint16_t dport)
{
	struct sim *sim = b->sim;
	struct pkt *p = pkt_alloc(sim, 60);
	uint32_t src = bs_ip("10.0.0.1"), dst = bs_ip("10.0.0.2");

	memset(p->data, 0x5a, 60);
	if (proto == WIRE_IPPROTO_UDP) {
		struct udp_hdr u = { .sport = sport, .dport = dport };

		wire_push_udp(sim, p, &u, src, dst);
	} else {
		struct tcp_hdr t;

		memset(&t, 0, sizeof(t));
		t.sport = sport;
		t.dport = dport;
		t.flags = 0x18;
		t.win = 1024;
		wire_push_tcp(sim, p, &t, src, dst);
	}
	CU_ASSERT_EQUAL(node_send_ip(b->n[0], VRF_DEFAULT, p, src, dst, proto,
	    64, 0), 0);
}

/*
 * Which test frame hdr is: 0 TCP to 179, 1 TCP from 179, 2 TCP 80, 3 UDP
 * 179, 4 and 5 UDP 3784 (the second one after its registration), 6
 * anything else (the ICMP errors the far end sends back).
 */
static int
which(const uint8_t *h, size_t n, int late)
{
	uint16_t sp, dp;

	if (n < 14 + 20 + 4)
		return 6;
	sp = (uint16_t)(h[34] << 8 | h[35]);
	dp = (uint16_t)(h[36] << 8 | h[37]);
	if (h[23] == 6)
		return dp == 179 ? 0 : sp == 179 ? 1 : 2;
	if (h[23] == 17)
		return dp == 179 ? 3 : 4 + late;
	return 6;
}

/*
 * Only registered (protocol, port) frames are kept, either port matching,
 * and only past the TX's 96 bytes (the ICMP errors, of 70 bytes, carry
 * the UDP ports of 179 and 3784: they are whole in their TX already); what
 * is kept is the whole frame the TX record starts; registering twice is
 * once, and the table holds NET_KEEP_MAX pairs.
 */
static void
test_keep_whole(void)
{
	const char *path = tpath("keep.xct");
	char err[256] = "";
	struct trace *tr = trace_open(path, 0, err, sizeof(err));
	struct trace_reader *rd;
	struct trace_rec r;
	struct bs_net b;
	uint8_t hdr[TRACE_HDR_MAX];
	uint64_t txuid = 0;
	uint16_t hlen = 0;
	int rc, i, kept[8] = { 0 }, seen[8] = { 0 }, cls = -1, udp = 0;

	CU_ASSERT_PTR_NOT_NULL_FATAL(tr);
	bs_init(&b, 2);
	net_set_trace(b.net, tr);
	bs_link(&b, 0, 1, "10.0.0.0", SIM_US(10));
	CU_ASSERT_EQUAL(net_trace_keep_whole(b.net, WIRE_IPPROTO_TCP, 179), 0);
	CU_ASSERT_EQUAL(net_trace_keep_whole(b.net, WIRE_IPPROTO_TCP, 179), 0);
	send_l4(&b, WIRE_IPPROTO_TCP, 40000, 179);
	send_l4(&b, WIRE_IPPROTO_TCP, 179, 40000);
	send_l4(&b, WIRE_IPPROTO_TCP, 40000, 80);
	send_l4(&b, WIRE_IPPROTO_UDP, 40000, 179);
	send_l4(&b, WIRE_IPPROTO_UDP, 49152, 3784);
	sim_run_until(b.sim, SIM_US(500));
	CU_ASSERT_EQUAL(net_trace_keep_whole(b.net, WIRE_IPPROTO_UDP, 3784),
	    0);
	send_l4(&b, WIRE_IPPROTO_UDP, 49152, 3784);
	sim_run_until(b.sim, SIM_MS(1));
	/* 179 twice, 3784: NET_KEEP_MAX - 2 more fit, not one past */
	for (i = 2; i < NET_KEEP_MAX; i++)
		CU_ASSERT_EQUAL(net_trace_keep_whole(b.net, WIRE_IPPROTO_TCP,
		    (uint16_t)(1000 + i)), 0);
	CU_ASSERT_EQUAL(net_trace_keep_whole(b.net, WIRE_IPPROTO_TCP, 2000),
	    -1);
	net_set_trace(b.net, NULL);
	CU_ASSERT_EQUAL_FATAL(trace_close(tr, err, sizeof(err)), 0);
	bs_free(&b);

	rd = open_rd(path);
	CU_ASSERT_PTR_NOT_NULL_FATAL(rd);
	while ((rc = trace_reader_next(rd, &r, err, sizeof(err))) == 1) {
		if (r.type == TR_PKT_TX) {
			txuid = r.u.tx.uid;
			hlen = r.u.tx.hdr_len;
			memcpy(hdr, r.u.tx.hdr, hlen);
			cls = which(hdr, hlen, udp);
			if (cls == 4)
				udp = 1;
			seen[cls]++;
			continue;
		}
		if (r.type != TR_PKT_DATA)
			continue;
		/* right after its TX: the same packet, the same bytes on */
		CU_ASSERT_EQUAL(r.u.data.uid, txuid);
		CU_ASSERT_FATAL(cls >= 0);
		kept[cls]++;
		CU_ASSERT_EQUAL(r.u.data.len, 14 + 20 + (r.u.data.data[23] ==
		    6 ? 20 : 8) + 60);
		CU_ASSERT(r.u.data.len >= hlen);
		CU_ASSERT_EQUAL(memcmp(r.u.data.data, hdr, hlen), 0);
	}
	CU_ASSERT_EQUAL(rc, 0);
	for (i = 0; i < 6; i++)
		CU_ASSERT_EQUAL(seen[i], 1);
	CU_ASSERT_EQUAL(kept[0], 1);
	CU_ASSERT_EQUAL(kept[1], 1);
	CU_ASSERT_EQUAL(kept[2], 0);
	CU_ASSERT_EQUAL(kept[3], 0);
	CU_ASSERT_EQUAL(kept[4], 0);
	CU_ASSERT_EQUAL(kept[5], 1);
	CU_ASSERT_EQUAL(kept[6], 0);
	trace_reader_close(rd);
	unlink(path);
}

/* ---------------------------------------------------------------------- */
/* A BGP run                                                                */

struct wire_count {
	uint64_t msgs, updates, nlri, wd;
};

/* The BGP messages in a whole TCP 179 frame (each segment here carries
 * whole messages: a quiet three-router run sends small ones). */
static void
count_frame(const uint8_t *f, size_t n, struct wire_count *c)
{
	size_t ihl, thl, at, len, end;
	struct bgp_notify e;
	struct bgp_result r;
	struct bgp_msg m;

	CU_ASSERT_FATAL(n >= 14 + 20 + 20);
	ihl = (size_t)(f[14] & 15) * 4;
	thl = (size_t)(f[14 + ihl + 12] >> 4) * 4;
	end = 14 + (size_t)(f[16] << 8 | f[17]);
	CU_ASSERT_FATAL(end <= n);
	at = 14 + ihl + thl;
	while (at < end) {
		CU_ASSERT_EQUAL_FATAL(bgp_frame(f + at, end - at, &len, &e),
		    BGP_FRAME_OK);
		c->msgs++;
		if (f[at + 18] == BGP_UPDATE) {
			CU_ASSERT_NOT_EQUAL_FATAL(bgp_decode(f + at, len, true,
			    &m, &r), BGP_ACT_RESET);
			c->updates++;
			c->nlri += m.u.update.n_nlri + m.u.update.n_mp_nlri;
			c->wd += m.u.update.n_withdrawn +
			    m.u.update.n_mp_withdrawn;
			bgp_msg_free(&m);
		}
		at += len;
	}
}

/*
 * r0's Loc-RIB in the trace: each prefix's route records in table "bgp"
 * with the attributes and why the best won (against the runner-up once
 * r1's copy arrives, "only route" after the failover), withdrawn when r1
 * stops; the session reasons in words; the counters of the session r0-r1
 * equal to what its whole frames carry and to the speaker's own count.
 */
static void
test_bgp_run(void)
{
	static const struct {
		sim_time t;
		bool wd;
		const char *nh, *attrs;
	} want16[] = {
		{ 2505424, false, "10.0.0.10", "from 10.0.0.10 AS 65001; path "
		    "65001; origin IGP; best: only route" },
		{ 3006376, false, "10.0.0.10", "from 10.0.0.10 AS 65001; path "
		    "65001; origin IGP; best by AS path length over 10.0.0.2: "
		    "AS path 1 < 2 (65001 vs 31898 65001)" },
		{ 5879973818, false, "10.0.0.2", "from 10.0.0.2 AS 31898; path "
		    "31898 65001; origin IGP; best: only route" },
		{ 8000500696, true, NULL, NULL },
	};
	const char *path = tpath("run.xct");
	char err[256] = "";
	struct trace *tr = trace_open(path, 0, err, sizeof(err));
	struct trace_reader *rd;
	struct trace_rec r;
	struct bgp_peer_stats ps;
	struct trace_sess_stats last = { 0, 0, 0, 0, 0, 0, 0, 0 }, r1 = last;
	struct wire_count in = { 0, 0, 0, 0 }, out = { 0, 0, 0, 0 };
	struct bs_net b;
	size_t k = 0;
	int rc;
	bool bfd_down = false, admin = false, have_last = false;
	bool have_r1 = false;
	int nsmall = 0, nbig = 0, ndata = 0;

	CU_ASSERT_PTR_NOT_NULL_FATAL(tr);
	bt_run(&b, tr, BT_END);
	CU_ASSERT_EQUAL(bgp_speaker_peer_stats(b.sp[0], bs_ip("10.0.0.2"),
	    &ps), 0);
	net_set_trace(b.net, NULL);
	CU_ASSERT_EQUAL_FATAL(trace_close(tr, err, sizeof(err)), 0);
	bs_free(&b);

	rd = open_rd(path);
	CU_ASSERT_PTR_NOT_NULL_FATAL(rd);
	while ((rc = trace_reader_next(rd, &r, err, sizeof(err))) == 1) {
		if (r.type == TR_ROUTE && r.u.route.node == 0 &&
		    strcmp(r.u.route.table, "bgp") == 0 &&
		    r.u.route.prefix == bs_ip("172.16.0.0")) {
			CU_ASSERT_FATAL(k < sizeof(want16) / sizeof(want16[0]));
			CU_ASSERT_EQUAL(r.u.route.plen, 16);
			CU_ASSERT_EQUAL(r.t, want16[k].t);
			CU_ASSERT_EQUAL(r.u.route.withdrawn, want16[k].wd);
			if (want16[k].nh != NULL) {
				CU_ASSERT_STRING_EQUAL(r.u.route.nexthop,
				    want16[k].nh);
				CU_ASSERT_STRING_EQUAL(r.u.route.attrs,
				    want16[k].attrs);
			}
			k++;
		}
		if (r.type == TR_SESSION_STATE && r.u.session.node == 0 &&
		    r.u.session.proto == TRP_BGP) {
			if (strcmp(r.u.session.peer, "10.0.0.10") == 0 &&
			    strcmp(r.u.session.reason, "Cease / BFD Down") == 0)
				bfd_down = true;
			if (strcmp(r.u.session.peer, "10.0.0.2") == 0 &&
			    strcmp(r.u.session.reason, "received Cease / "
			    "Administrative Shutdown") == 0)
				admin = true;
		}
		/* a frame is whole in its TX (a KEEPALIVE, an ACK) or in
		 * the pkt_data after it */
		if (r.type == TR_PKT_TX && r.u.tx.link == 0 &&
		    r.u.tx.hdr_len < TRACE_HDR_MAX) {
			nsmall++;
			count_frame(r.u.tx.hdr, r.u.tx.hdr_len,
			    r.u.tx.dir == 0 ? &out : &in);
		}
		if (r.type == TR_PKT_TX && r.u.tx.link == 0 &&
		    r.u.tx.hdr_len == TRACE_HDR_MAX)
			nbig++;
		if (r.type == TR_PKT_DATA && r.u.data.link == 0) {
			ndata++;
			CU_ASSERT(r.u.data.len > TRACE_HDR_MAX);
			count_frame(r.u.data.data, r.u.data.len,
			    r.u.data.dir == 0 ? &out : &in);
		}
		if (r.type == TR_SESSION_STATS && r.u.sstats.node == 0 &&
		    strcmp(r.u.sstats.peer, "10.0.0.2") == 0) {
			last = r.u.sstats.s;
			have_last = true;
		}
		if (r.type == TR_SESSION_STATS && r.u.sstats.node == 1 &&
		    strcmp(r.u.sstats.peer, "10.0.0.1") == 0) {
			r1 = r.u.sstats.s;
			have_r1 = true;
		}
	}
	CU_ASSERT_EQUAL(rc, 0);
	CU_ASSERT_EQUAL(k, sizeof(want16) / sizeof(want16[0]));
	CU_ASSERT(bfd_down);
	CU_ASSERT(admin);
	CU_ASSERT_FATAL(have_last && have_r1);
	/* every frame past 96 bytes kept whole, and only those */
	CU_ASSERT(nsmall > 10);
	CU_ASSERT(ndata >= 4);
	CU_ASSERT_EQUAL(nbig, ndata);
	/*
	 * A sender's counters are what went over the wire, every message;
	 * a receiver's, what it read (not a collision loser's last words
	 * after its connection was dropped): no more than was sent.
	 */
	CU_ASSERT(in.msgs >= 6);
	CU_ASSERT_EQUAL(last.msgs_out, out.msgs);
	CU_ASSERT_EQUAL(last.updates_out, out.updates);
	CU_ASSERT_EQUAL(last.prefixes_out, out.nlri);
	CU_ASSERT_EQUAL(last.withdrawn_out, out.wd);
	CU_ASSERT_EQUAL(r1.msgs_out, in.msgs);
	CU_ASSERT_EQUAL(r1.updates_out, in.updates);
	CU_ASSERT_EQUAL(r1.prefixes_out, in.nlri);
	CU_ASSERT_EQUAL(r1.withdrawn_out, in.wd);
	CU_ASSERT(last.msgs_in <= in.msgs && last.msgs_in + 3 >= in.msgs);
	/* every UPDATE came on the established connection: all read */
	CU_ASSERT_EQUAL(last.updates_in, in.updates);
	CU_ASSERT_EQUAL(last.prefixes_in, in.nlri);
	CU_ASSERT_EQUAL(r1.updates_in, out.updates);
	CU_ASSERT_EQUAL(last.updates_in, ps.updates_in);
	trace_reader_close(rd);
	unlink(path);
}

/* Same run, same bytes; and the run without a trace routes the same. */
static void
test_bgp_run_deterministic(void)
{
	const char *p1 = tpath("d1.xct"), *p2 = tpath("d2.xct");
	char *a, *b2;
	size_t na, nb;
	struct bs_net b;

	bt_trace(p1);
	bt_trace(p2);
	a = test_slurp(p1, &na);
	b2 = test_slurp(p2, &nb);
	CU_ASSERT_PTR_NOT_NULL_FATAL(a);
	CU_ASSERT_PTR_NOT_NULL_FATAL(b2);
	CU_ASSERT_EQUAL(na, nb);
	CU_ASSERT(na == nb && memcmp(a, b2, na) == 0);
	free(a);
	free(b2);
	unlink(p1);
	unlink(p2);
	/* the failover lands at the instant the traced run recorded */
	bt_run(&b, NULL, 5879973817);
	CU_ASSERT_EQUAL(bs_via(&b, 0, "172.16.0.1"), bs_ip("10.0.0.10"));
	sim_run_until(b.sim, 5879973818);
	CU_ASSERT_EQUAL(bs_via(&b, 0, "172.16.0.1"), bs_ip("10.0.0.2"));
	bs_free(&b);
}

/* ---------------------------------------------------------------------- */
/* The Loc-RIB's every-decision listener and the route record's text        */

struct heard {
	int n;
	enum bgp_change_kind kind;
	char attrs[TRACE_TEXT_MAX + 1], nh[128];
};

static void
heard_fn(struct bgp_rib *br, const struct bgp_change *c, void *ctx)
{
	struct heard *h = ctx;

	h->n++;
	h->kind = c->kind;
	h->attrs[0] = h->nh[0] = '\0';
	if (c->n_paths > 0) {
		bgp_trace_attrs(br, c, h->attrs, sizeof(h->attrs));
		bgp_trace_nexthop(c, h->nh, sizeof(h->nh));
	}
}

/*
 * A listener of every decision hears a runner-up come, change and go while
 * the best stays (a plain listener does not), with the text bgp_trace
 * writes for it; removed, it hears nothing more.
 */
static void
test_rib_every_decision(void)
{
	struct bgp_rib_config cfg = { 12076, 0x01010101u, { 100, false,
		false, 1 } };
	struct bgp_rib *br = bgp_rib_new(&cfg);
	struct heard plain = { 0 }, all = { 0 };
	struct spec a = { "31898 65001", -1, -1, 0, "10.0.0.1", 0 };
	struct spec a2 = { "31898 31898 65001", -1, -1, 0, "10.0.0.1", 0 };
	struct spec b = { "65001", 200, 5, 0, "10.0.0.9", 0 };
	uint16_t pa, pb;
	char t[32];

	pa = add_peer(br, "10.0.0.2", 31898, "2.2.2.2", 0);
	pb = add_peer(br, "10.0.0.10", 65001, "3.3.3.3", 0);
	bgp_rib_add_listener(br, heard_fn, &plain);
	bgp_rib_add_listener_all(br, heard_fn, &all);
	CU_ASSERT_EQUAL(announce(br, pb, "172.16.0.0", 16, &b), 1);
	CU_ASSERT_EQUAL(plain.n, 1);
	CU_ASSERT_EQUAL(all.n, 1);
	CU_ASSERT_STRING_EQUAL(all.attrs, "from 10.0.0.10 AS 65001; path "
	    "65001; origin IGP; med 5; lp 200; best: only route");
	CU_ASSERT_STRING_EQUAL(all.nh, "10.0.0.9");
	/* a runner-up: the best stays, only the every-decision one hears */
	CU_ASSERT_EQUAL(announce(br, pa, "172.16.0.0", 16, &a), 1);
	CU_ASSERT_EQUAL(plain.n, 1);
	CU_ASSERT_EQUAL(all.n, 2);
	CU_ASSERT_EQUAL(all.kind, BGP_CH_CHANGED);
	CU_ASSERT_STRING_EQUAL(all.attrs, "from 10.0.0.10 AS 65001; path "
	    "65001; origin IGP; med 5; lp 200; best by local preference over "
	    "10.0.0.2: local preference 200 > 100");
	/* it changes, then goes */
	CU_ASSERT_EQUAL(announce(br, pa, "172.16.0.0", 16, &a2), 0);
	CU_ASSERT_EQUAL(plain.n, 1);
	CU_ASSERT_EQUAL(all.n, 3);
	CU_ASSERT_EQUAL(bgp_rib_withdraw(br, pa, ip("172.16.0.0"), 16), 0);
	CU_ASSERT_EQUAL(plain.n, 1);
	CU_ASSERT_EQUAL(all.n, 4);
	CU_ASSERT_STRING_EQUAL(all.attrs, "from 10.0.0.10 AS 65001; path "
	    "65001; origin IGP; med 5; lp 200; best: only route");
	/* removed: the plain one still hears what changes the best */
	bgp_rib_remove_listener(br, heard_fn, &all);
	CU_ASSERT_EQUAL(announce(br, pa, "172.16.0.0", 16, &a), 1);
	CU_ASSERT_EQUAL(bgp_rib_withdraw(br, pb, ip("172.16.0.0"), 16), 0);
	CU_ASSERT_EQUAL(plain.n, 2);
	CU_ASSERT_EQUAL(all.n, 4);
	CU_ASSERT_STRING_EQUAL(plain.attrs, "from 10.0.0.2 AS 31898; path "
	    "31898 65001; origin IGP; best: only route");
	CU_ASSERT_STRING_EQUAL(bgp_trace_table(0, t, sizeof(t)), "bgp");
	CU_ASSERT_STRING_EQUAL(bgp_trace_table(3, t, sizeof(t)), "bgp/3");
	bgp_rib_remove_listener(br, heard_fn, &plain);
	bgp_rib_free(br);
}

static const struct test_case cases[] = {
	{ "pkt_data and session_stats: bytes, read back, JSON",
	    test_records_round_trip },
	{ "a 2.1 reader skips the 2.2 records; 2.1 files read",
	    test_versions },
	{ "session counters exact at any seek", test_stats_seek },
	{ "net_trace_keep_whole keeps the registered frames only",
	    test_keep_whole },
	{ "the Loc-RIB's every-decision listener, bgp_trace's text",
	    test_rib_every_decision },
	{ "a BGP run: Loc-RIB routes, reasons, counters", test_bgp_run },
	{ "a BGP run's trace is the same bytes twice",
	    test_bgp_run_deterministic },
	{ NULL, NULL },
};

int
main(int argc, char **argv)
{
	if ((tmpdir = test_tmpdir("/tmp/test_trace_bgp.XXXXXX")) == NULL)
		return 2;
	return test_main(argc, argv, "trace_bgp", cases);
}
