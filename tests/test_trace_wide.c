/*
 * test_trace_wide.c - queue occupancy and limits past 32 bits in the trace.
 *
 * qbytes (pkt_enqueue, pkt_tx, pkt_drop, queue) and the link's qlimit_bytes
 * are 64-bit in the API. On the wire they were always varints, so a value
 * that fits 32 bits is encoded exactly as before (the format stays 2.0) and
 * a larger one is a longer varint: checked against hand-encoded bytes, in
 * a round trip through the writer, the reader, a seek and the JSON form,
 * and by reading the version 1 and 2.0 traces of the corpus.
 */
#define _GNU_SOURCE
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "testutil.h"
#include "trace.h"

#define GIB (1ULL << 30)

static const char *
tpath(const char *name)
{
	static char p[4][256];
	static int k;

	k = (k + 1) % 4;
	snprintf(p[k], sizeof(p[k]), "/tmp/xct_wide_%ld_%s", (long)getpid(),
	    name);
	return p[k];
}

/*
 * A link with a 6 GiB byte limit whose a->b queue holds 5 GiB: a packet
 * joins it, leaves it, another is dropped from it; the keyframe at 1 ms
 * restates the occupancy.
 */
static void
write_wide(const char *path, uint64_t qlimit, uint64_t qbytes)
{
	uint32_t nodes[2] = { 0, 1 }, ifs[2] = { 0, 0 };
	uint64_t rate[2] = { 100000000000ULL, 100000000000ULL };
	sim_time delay[2] = { SIM_US(5), SIM_US(5) };
	struct trace *tr;
	char err[256];

	tr = trace_open(path, SIM_MS(1), err, sizeof(err));
	CU_ASSERT_PTR_NOT_NULL_FATAL(tr);
	trace_node(tr, 0, "a", "router", NULL, NULL);
	trace_node(tr, 1, "b", "router", NULL, NULL);
	trace_link(tr, 0, "ab", nodes, ifs, rate, delay, 1500, 0, qlimit);
	trace_enqueue(tr, 1000, 7, 0, 1, 1500, 1, qbytes);
	trace_tx(tr, 1200, 7, 0, 1, 1500, 1320, 6320, NULL, 0);
	trace_enqueue(tr, 1400, 8, 0, 1, 1500, 2, qbytes);
	trace_drop(tr, 1500, 8, 0, 0, 1, DROP_LINK_DOWN, 1500);
	trace_annotate(tr, SIM_MS(1) + 1, 0, "after the keyframe");
	CU_ASSERT_EQUAL_FATAL(trace_close(tr, err, sizeof(err)), 0);
}

/* The writer's bytes: a 32-bit qbytes as in 2.0, a wider one as a longer
 * varint, both found in the file as hand-encoded (docs/trace-format.md §4). */
static void
test_encoding(void)
{
	/* type 4, 9 bytes: dt 1000 (zz 2000), duid 7 (zz 14), link 0 dir 1,
	 * len 1500, qpkts 1, qbytes 1500 */
	static const uint8_t narrow[] = { 0x04, 0x09, 0xd0, 0x0f, 0x0e, 0x01,
		0xdc, 0x0b, 0x01, 0xdc, 0x0b };
	/* the same with qbytes 5 GiB + 1500 = 0x1400005dc: 5 varint bytes */
	static const uint8_t wide[] = { 0x04, 0x0c, 0xd0, 0x0f, 0x0e, 0x01,
		0xdc, 0x0b, 0x01, 0xdc, 0x8b, 0x80, 0x80, 0x14 };
	/* link: ... mtu 1500, qlimit_pkts 0, qlimit_bytes 6 GiB */
	static const uint8_t limit[] = { 0xdc, 0x0b, 0x00, 0x80, 0x80, 0x80,
		0x80, 0x18 };
	const char *p1 = tpath("narrow.xct"), *p2 = tpath("wide.xct");
	size_t n1 = 0, n2 = 0;
	char *b1, *b2;

	write_wide(p1, 10000, 1500);
	write_wide(p2, 6 * GIB, 5 * GIB + 1500);
	b1 = test_slurp(p1, &n1);
	b2 = test_slurp(p2, &n2);
	CU_ASSERT_PTR_NOT_NULL_FATAL(b1);
	CU_ASSERT_PTR_NOT_NULL_FATAL(b2);
	CU_ASSERT_PTR_NOT_NULL(memmem(b1, n1, narrow, sizeof(narrow)));
	CU_ASSERT_PTR_NOT_NULL(memmem(b2, n2, wide, sizeof(wide)));
	CU_ASSERT_PTR_NOT_NULL(memmem(b2, n2, limit, sizeof(limit)));
	/* the widening changed no version: 2, and the minor of the flow
	 * records (2.1) and pkt_data (2.2), absent here */
	CU_ASSERT_EQUAL((uint8_t)b2[8], 2);
	CU_ASSERT_EQUAL((uint8_t)b2[10], 3);	/* 2.3 */
	free(b1);
	free(b2);
	unlink(p1);
	unlink(p2);
}

static void
test_round_trip(void)
{
	const char *path = tpath("rt.xct");
	const uint64_t q = 5 * GIB + 1500;
	struct trace_reader *rd;
	struct trace_rec r;
	char err[256], json[512];
	int seen = 0, queues = 0;

	write_wide(path, 6 * GIB, q);
	rd = trace_reader_open(path, err, sizeof(err));
	CU_ASSERT_PTR_NOT_NULL_FATAL(rd);
	CU_ASSERT_EQUAL(trace_reader_version(rd), TRACE_VERSION);
	while (trace_reader_next(rd, &r, err, sizeof(err)) == 1) {
		switch (r.type) {
		case TR_LINK:
			CU_ASSERT_EQUAL(r.u.link.qlimit_bytes, 6 * GIB);
			trace_rec_json(&r, json, sizeof(json));
			CU_ASSERT_PTR_NOT_NULL(strstr(json,
			    "\"qlimit_bytes\":6442450944}"));
			seen |= 1;
			break;
		case TR_PKT_ENQUEUE:
			CU_ASSERT_EQUAL(r.u.enqueue.qbytes, q);
			trace_rec_json(&r, json, sizeof(json));
			CU_ASSERT_PTR_NOT_NULL(strstr(json,
			    "\"qbytes\":5368710620}"));
			seen |= 2;
			break;
		case TR_PKT_TX:
			/* the writer takes the packet off: 5 GiB are left */
			CU_ASSERT_EQUAL(r.u.tx.qpkts, 0);
			CU_ASSERT_EQUAL(r.u.tx.qbytes, 5 * GIB);
			seen |= 4;
			break;
		case TR_PKT_DROP:
			CU_ASSERT_EQUAL(r.u.drop.qpkts, 1);
			CU_ASSERT_EQUAL(r.u.drop.qbytes, q - 1500);
			trace_rec_json(&r, json, sizeof(json));
			CU_ASSERT_PTR_NOT_NULL(strstr(json,
			    "\"qpkts\":1,\"qbytes\":5368709120}"));
			seen |= 8;
			break;
		default:
			break;
		}
	}
	CU_ASSERT_EQUAL(seen, 15);
	/* the keyframe at 1 ms restates the queue, 64 bits wide */
	CU_ASSERT_EQUAL(trace_reader_seek(rd, SIM_MS(1) + 1, err,
	    sizeof(err)), 0);
	while (trace_reader_next(rd, &r, err, sizeof(err)) == 1) {
		if (r.type != TR_QUEUE || r.u.queue.dir != 1)
			continue;
		CU_ASSERT_EQUAL(r.t, SIM_MS(1));
		CU_ASSERT_EQUAL(r.u.queue.qbytes, q - 1500);
		trace_rec_json(&r, json, sizeof(json));
		CU_ASSERT_PTR_NOT_NULL(strstr(json, "\"qbytes\":5368709120}"));
		queues++;
	}
	CU_ASSERT_EQUAL(queues, 1);
	trace_reader_close(rd);
	unlink(path);
}

/*
 * Traces written before the widening read as before: the version 1 and
 * 2.0 traces of the default scenario in the corpus give the occupancy the
 * records carried, and the same in both.
 */
static void
read_corpus(const char *name, uint32_t version, uint64_t sums[3])
{
	char path[512], err[256];
	struct trace_reader *rd;
	struct trace_rec r;
	uint64_t n = 0;
	int rc;

	snprintf(path, sizeof(path), "%s/tests/fuzz/trace/%s",
	    XCSIM_SOURCE_DIR, name);
	rd = trace_reader_open(path, err, sizeof(err));
	CU_ASSERT_PTR_NOT_NULL_FATAL(rd);
	CU_ASSERT_EQUAL(trace_reader_version(rd), version);
	memset(sums, 0, 3 * sizeof(*sums));
	while ((rc = trace_reader_next(rd, &r, err, sizeof(err))) == 1) {
		n++;
		if (r.type == TR_LINK)
			sums[0] += r.u.link.qlimit_bytes + r.u.link.qlimit_pkts;
		if (r.type == TR_PKT_ENQUEUE) {
			if (sums[1] == 0) {
				/* the default scenario's first frame */
				CU_ASSERT_EQUAL(r.u.enqueue.len, 74);
				CU_ASSERT_EQUAL(r.u.enqueue.qpkts, 1);
				CU_ASSERT_EQUAL(r.u.enqueue.qbytes, 74);
			}
			sums[1] += r.u.enqueue.qbytes;
		}
		if (r.type == TR_PKT_TX)
			sums[2] += r.u.tx.qbytes + r.u.tx.len;
	}
	CU_ASSERT_EQUAL(rc, 0);
	CU_ASSERT_EQUAL(n, trace_reader_record_count(rd));
	trace_reader_close(rd);
}

static void
test_older_traces(void)
{
	uint64_t v1[3], v2[3];

	read_corpus("default-1200ms.xct", 1, v1);
	read_corpus("v2-default-1200ms.xct", 2, v2);
	CU_ASSERT_TRUE(v1[1] > 0 && v1[2] > 0);
	CU_ASSERT_EQUAL(v1[0], v2[0]);
	CU_ASSERT_EQUAL(v1[1], v2[1]);
	CU_ASSERT_EQUAL(v1[2], v2[2]);
}

static const struct test_case cases[] = {
	{ "32-bit values encode as in 2.0, wider ones as longer varints",
	    test_encoding },
	{ "64-bit qbytes and qlimit_bytes: read, seek, JSON", test_round_trip },
	{ "version 1 and 2.0 traces still read", test_older_traces },
	{ NULL, NULL }
};

int
main(int argc, char **argv)
{
	return test_main(argc, argv, "trace_wide", cases);
}
