/*
 * test_trace_flow.c - the flow records of trace format 2.1 (flow,
 * flow_state, flow_cwnd): their bytes, a sequential read and the JSON form;
 * a seek landing with every live flow's last state and window through
 * chains of delta keyframes, closed flows gone from later keyframes and from
 * the writer's memory; and traces of 2.0, and readers of 2.0, unaffected.
 */
#define _GNU_SOURCE
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tcp_testutil.h"
#include "tcp_trace.h"
#include "testutil.h"
#include "trace.h"
#include "util.h"

static char *
tpath(const char *name)
{
	static char buf[4][256];
	static int n;
	char *p = buf[n++ % 4];

	snprintf(p, 256, "/tmp/xct_flow_%ld_%s", (long)getpid(), name);
	return p;
}

static struct trace_reader *
open_rd(const char *path)
{
	char err[256];
	struct trace_reader *rd = trace_reader_open(path, err, sizeof(err));

	if (rd == NULL)
		fprintf(stderr, "%s: %s\n", path, err);
	return rd;
}

/* ---------------------------------------------------------------------- */
/* Bytes, sequential read, JSON                                            */

static void
write_small(const char *path)
{
	char err[256];
	struct trace *tr = trace_open(path, SIM_MS(100), err, sizeof(err));

	SIM_ASSERT(tr != NULL, "trace_open: %s", err);
	trace_node(tr, 0, "app", "host", NULL, NULL);
	trace_node(tr, 1, "db", "host", NULL, NULL);
	trace_annotate(tr, SIM_MS(1), TRACE_NO_ID, "start");
	/* the declaration without a time takes the latest record's */
	trace_flow(tr, 7, 0, 6, "10.1.0.4:50001>10.2.0.5:1521 cubic");
	trace_flow_state(tr, SIM_MS(2), 7, "SYN_SENT", "connect");
	trace_flow_at(tr, SIM_MS(3), 8, 1, 6, "10.2.0.5:1521>10.1.0.4:50001 "
	    "cubic");
	trace_flow_state(tr, SIM_MS(3), 8, "SYN_RECEIVED", "SYN");
	trace_flow_state(tr, SIM_MS(4), 7, "ESTABLISHED", "SYN+ACK");
	trace_flow_cwnd(tr, SIM_MS(4), 7, 14480, UINT32_MAX);
	trace_flow_cwnd(tr, SIM_MS(5), 7, 28960, 20000);
	trace_flow_end(tr, SIM_MS(9), 8);
	SIM_ASSERT(trace_close(tr, err, sizeof(err)) == 0, "close: %s", err);
}

static void
test_bytes_read_json(void)
{
	static const char *const want[] = {
		"{\"t\":1000000,\"type\":\"flow\",\"id\":7,\"node\":0,"
		    "\"ip_proto\":6,\"label\":\"10.1.0.4:50001>10.2.0.5:1521 "
		    "cubic\",\"closed\":false}",
		"{\"t\":2000000,\"type\":\"flow_state\",\"id\":7,\"state\":"
		    "\"SYN_SENT\",\"reason\":\"connect\"}",
		"{\"t\":3000000,\"type\":\"flow\",\"id\":8,\"node\":1,"
		    "\"ip_proto\":6,\"label\":\"10.2.0.5:1521>10.1.0.4:50001 "
		    "cubic\",\"closed\":false}",
		"{\"t\":3000000,\"type\":\"flow_state\",\"id\":8,\"state\":"
		    "\"SYN_RECEIVED\",\"reason\":\"SYN\"}",
		"{\"t\":4000000,\"type\":\"flow_state\",\"id\":7,\"state\":"
		    "\"ESTABLISHED\",\"reason\":\"SYN+ACK\"}",
		"{\"t\":4000000,\"type\":\"flow_cwnd\",\"id\":7,\"cwnd\":14480,"
		    "\"ssthresh\":4294967295}",
		"{\"t\":5000000,\"type\":\"flow_cwnd\",\"id\":7,\"cwnd\":28960,"
		    "\"ssthresh\":20000}",
		"{\"t\":9000000,\"type\":\"flow\",\"id\":8,\"node\":1,"
		    "\"ip_proto\":6,\"label\":\"10.2.0.5:1521>10.1.0.4:50001 "
		    "cubic\",\"closed\":true}",
	};
	/* flow_cwnd 7 at +1 ms: type 21, 10 bytes: dt 1e6 (zz 2e6 = 80 89
	 * 7a), id 7, cwnd 28960 (a0 e2 01), ssthresh 20000 (a0 9c 01) */
	static const uint8_t cwnd_rec[] = { 0x15, 0x0a, 0x80, 0x89, 0x7a,
		0x07, 0xa0, 0xe2, 0x01, 0xa0, 0x9c, 0x01 };
	const char *path = tpath("small.xct");
	struct trace_reader *rd;
	struct trace_rec r;
	char err[256], json[512];
	size_t n = 0, k = 0;
	char *b;
	int rc;

	write_small(path);
	b = test_slurp(path, &n);
	CU_ASSERT_PTR_NOT_NULL_FATAL(b);
	CU_ASSERT_EQUAL((uint8_t)b[8], 2);
	CU_ASSERT_EQUAL((uint8_t)b[10], 3);	/* 2.3: flows came in 2.1 */
	CU_ASSERT_PTR_NOT_NULL(memmem(b, n, cwnd_rec, sizeof(cwnd_rec)));
	free(b);
	rd = open_rd(path);
	CU_ASSERT_PTR_NOT_NULL_FATAL(rd);
	while ((rc = trace_reader_next(rd, &r, err, sizeof(err))) == 1) {
		if (r.type < TR_FLOW)
			continue;
		CU_ASSERT_FATAL(k < sizeof(want) / sizeof(want[0]));
		trace_rec_json(&r, json, sizeof(json));
		CU_ASSERT_STRING_EQUAL(json, want[k]);
		k++;
	}
	CU_ASSERT_EQUAL(rc, 0);
	CU_ASSERT_EQUAL(k, sizeof(want) / sizeof(want[0]));
	trace_reader_close(rd);
	unlink(path);
}

/* The latest window written is what the writer answers, until the end. */
static void
test_cwnd_last(void)
{
	const char *path = tpath("last.xct");
	char err[256];
	struct trace *tr = trace_open(path, SIM_MS(1), err, sizeof(err));
	uint32_t c = 0, s = 0;

	CU_ASSERT_PTR_NOT_NULL_FATAL(tr);
	CU_ASSERT_FALSE(trace_flow_cwnd_last(NULL, 1, &c, &s));
	CU_ASSERT_FALSE(trace_flow_cwnd_last(tr, 1, &c, &s));
	trace_flow_at(tr, 0, 1, 0, 6, "a");
	CU_ASSERT_FALSE(trace_flow_cwnd_last(tr, 1, &c, &s));
	trace_flow_cwnd(tr, SIM_MS(1), 1, 14480, UINT32_MAX);
	trace_flow_cwnd(tr, SIM_MS(2), 2, 2896, 1448);
	/* across keyframes (1 ms apart), which decode kept records too */
	trace_flow_cwnd(tr, SIM_MS(5), 1, 20272, 10136);
	CU_ASSERT_TRUE(trace_flow_cwnd_last(tr, 1, &c, &s));
	CU_ASSERT_EQUAL(c, 20272);
	CU_ASSERT_EQUAL(s, 10136);
	CU_ASSERT_TRUE(trace_flow_cwnd_last(tr, 2, &c, &s));
	CU_ASSERT_EQUAL(c, 2896);
	trace_flow_end(tr, SIM_MS(7), 1);
	CU_ASSERT_FALSE(trace_flow_cwnd_last(tr, 1, &c, &s));
	CU_ASSERT_TRUE(trace_flow_cwnd_last(tr, 2, &c, &s));
	CU_ASSERT_EQUAL(trace_close(tr, err, sizeof(err)), 0);
	unlink(path);
}

/*
 * The TCP observer's bound on cwnd records: a record when there was none,
 * when ssthresh changed, or when cwnd moved a whole MSS either way.
 */
static void
test_tcp_cwnd_bound(void)
{
	CU_ASSERT_TRUE(tcp_trace_cwnd_due(false, 0, 0, 14480, UINT32_MAX,
	    1448));
	CU_ASSERT_FALSE(tcp_trace_cwnd_due(true, 14480, UINT32_MAX, 14480,
	    UINT32_MAX, 1448));
	CU_ASSERT_FALSE(tcp_trace_cwnd_due(true, 14480, UINT32_MAX,
	    14480 + 1447, UINT32_MAX, 1448));
	CU_ASSERT_TRUE(tcp_trace_cwnd_due(true, 14480, UINT32_MAX,
	    14480 + 1448, UINT32_MAX, 1448));
	CU_ASSERT_FALSE(tcp_trace_cwnd_due(true, 14480, 7240, 14480 - 1447,
	    7240, 1448));
	CU_ASSERT_TRUE(tcp_trace_cwnd_due(true, 14480, 7240, 14480 - 1448,
	    7240, 1448));
	/* a loss: ssthresh set, even with cwnd where it was */
	CU_ASSERT_TRUE(tcp_trace_cwnd_due(true, 14480, UINT32_MAX, 14480,
	    7240, 1448));
	/* no MSS known yet: every byte counts */
	CU_ASSERT_TRUE(tcp_trace_cwnd_due(true, 100, 50, 101, 50, 0));
}

/* ---------------------------------------------------------------------- */
/* Seek = replay                                                           */

#define F_FLOWS 512
#define F_OPS 3000

enum { OP_DECL, OP_STATE, OP_CWND, OP_END };

struct fop {
	sim_time t;
	int kind;
	uint32_t id;
	uint32_t a, b;		/* state index, or cwnd and ssthresh */
};

static const char *const states[4] = { "SYN_SENT", "ESTABLISHED",
	"FIN_WAIT_1", "TIME_WAIT" };

struct fstate {
	bool live;
	uint32_t node;
	int state;		/* -1: none yet */
	bool has_cwnd;
	uint32_t cwnd, ssthresh;
};

static void
model_apply(struct fstate *m, uint32_t id, int kind, uint32_t a, uint32_t b)
{
	struct fstate *f = &m[id];

	switch (kind) {
	case OP_DECL:
		f->live = true;
		f->node = a;
		break;
	case OP_STATE:
		f->state = (int)a;
		break;
	case OP_CWND:
		f->has_cwnd = true;
		f->cwnd = a;
		f->ssthresh = b;
		break;
	case OP_END:
		memset(f, 0, sizeof(*f));
		f->state = -1;
		break;
	}
}

static void
model_reset(struct fstate *m)
{
	int i;

	memset(m, 0, F_FLOWS * sizeof(*m));
	for (i = 0; i < F_FLOWS; i++)
		m[i].state = -1;
}

static int
state_index(const char *s)
{
	int i;

	for (i = 0; s != NULL && i < 4; i++)
		if (strcmp(s, states[i]) == 0)
			return i;
	return -2;
}

/* A reader's view: what a viewer keeps, from the records. */
static void
rec_apply(struct fstate *m, const struct trace_rec *r)
{
	switch (r->type) {
	case TR_KEYFRAME:
		model_reset(m);
		break;
	case TR_FLOW:
		CU_ASSERT_FATAL(r->u.flow.id < F_FLOWS);
		if (r->u.flow.closed)
			model_apply(m, r->u.flow.id, OP_END, 0, 0);
		else
			model_apply(m, r->u.flow.id, OP_DECL, r->u.flow.node,
			    0);
		break;
	case TR_FLOW_STATE:
		CU_ASSERT_FATAL(r->u.fstate.id < F_FLOWS);
		/* a closed flow's state never comes back */
		CU_ASSERT(m[r->u.fstate.id].live);
		model_apply(m, r->u.fstate.id, OP_STATE,
		    (uint32_t)state_index(r->u.fstate.state), 0);
		break;
	case TR_FLOW_CWND:
		CU_ASSERT_FATAL(r->u.fcwnd.id < F_FLOWS);
		CU_ASSERT(m[r->u.fcwnd.id].live);
		model_apply(m, r->u.fcwnd.id, OP_CWND, r->u.fcwnd.cwnd,
		    r->u.fcwnd.ssthresh);
		break;
	default:
		break;
	}
}

/*
 * Flows open, change state and window, and close over 150 keyframe
 * intervals (chains of delta keyframes up to 8 long, closed flows as
 * tombstones); a seek to many instants must give exactly the live flows
 * of that instant with their last state and window.
 */
static void
test_seek_lands_with_live_flows(void)
{
	const char *path = tpath("seek.xct");
	static struct fop ops[F_OPS];
	static struct fstate want[F_FLOWS], got[F_FLOWS];
	uint32_t seed = 12345, next_id = 0, live[F_FLOWS], nlive = 0;
	struct trace_reader *rd;
	struct trace_rec r;
	struct trace *tr;
	char err[256];
	int i, q, nops = 0, rc, markers = 0;
	sim_time t = 0, at;

	tr = trace_open(path, SIM_MS(1), err, sizeof(err));
	CU_ASSERT_PTR_NOT_NULL_FATAL(tr);
	trace_node(tr, 0, "a", "host", NULL, NULL);
	trace_node(tr, 1, "b", "host", NULL, NULL);
	for (i = 0; i < F_OPS; i++) {
		struct fop *o = &ops[nops];
		uint32_t k;

		seed = seed * 1103515245u + 12345u;
		t += (sim_time)((seed >> 8) % 100000);
		o->t = t;
		k = (seed >> 20) % 10;
		if (nlive == 0 || (k == 0 && nlive < F_FLOWS / 2 &&
		    next_id < F_FLOWS)) {
			if (next_id >= F_FLOWS)
				break;
			o->kind = OP_DECL;
			o->id = next_id++;
			o->a = o->id & 1;
			live[nlive++] = o->id;
			trace_flow_at(tr, t, o->id, o->a, 6, "flow");
		} else {
			uint32_t j = (seed >> 4) % nlive;

			o->id = live[j];
			if (k == 1) {
				o->kind = OP_END;
				live[j] = live[--nlive];
				trace_flow_end(tr, t, o->id);
			} else if (k < 5) {
				o->kind = OP_STATE;
				o->a = (seed >> 12) % 4;
				trace_flow_state(tr, t, o->id, states[o->a],
				    "why");
			} else {
				o->kind = OP_CWND;
				o->a = 1448 * (1 + (seed >> 10) % 200);
				o->b = k == 9 ? UINT32_MAX : o->a / 2;
				trace_flow_cwnd(tr, t, o->id, o->a, o->b);
			}
		}
		nops++;
	}
	CU_ASSERT_EQUAL_FATAL(trace_close(tr, err, sizeof(err)), 0);
	CU_ASSERT(t > SIM_MS(100));

	rd = open_rd(path);
	CU_ASSERT_PTR_NOT_NULL_FATAL(rd);
	for (q = 0; q < 60; q++) {
		at = t * q / 59;
		model_reset(want);
		for (i = 0; i < nops && ops[i].t <= at; i++)
			model_apply(want, ops[i].id, ops[i].kind, ops[i].a,
			    ops[i].b);
		model_reset(got);
		CU_ASSERT_EQUAL_FATAL(trace_reader_seek(rd, at, err,
		    sizeof(err)), 0);
		while ((rc = trace_reader_next(rd, &r, err,
		    sizeof(err))) == 1) {
			if (r.type == TR_KEYFRAME)
				markers++;
			else if (r.t > at && !trace_type_is_decl(r.type))
				break;
			rec_apply(got, &r);
		}
		CU_ASSERT(rc >= 0);
		for (i = 0; i < F_FLOWS; i++) {
			CU_ASSERT_EQUAL(got[i].live, want[i].live);
			CU_ASSERT_EQUAL(got[i].node, want[i].node);
			CU_ASSERT_EQUAL(got[i].state, want[i].state);
			CU_ASSERT_EQUAL(got[i].has_cwnd, want[i].has_cwnd);
			CU_ASSERT_EQUAL(got[i].cwnd, want[i].cwnd);
			CU_ASSERT_EQUAL(got[i].ssthresh, want[i].ssthresh);
		}
	}
	CU_ASSERT(markers > 50);
	trace_reader_close(rd);
	unlink(path);
}

/*
 * Closed flows leave: keyframes after a full one carry no record of them,
 * and the writer's memory after 20,000 flows opened and closed is what it
 * was after 200.
 */
static void
test_closed_flows_leave(void)
{
	const char *path = tpath("churn.xct");
	char err[256];
	struct trace *tr = trace_open(path, SIM_MS(1), err, sizeof(err));
	struct trace_reader *rd;
	struct trace_rec r;
	size_t mem200 = 0;
	uint32_t i;
	sim_time t = 0, last;
	int rc, after = 0;

	CU_ASSERT_PTR_NOT_NULL_FATAL(tr);
	trace_node(tr, 0, "a", "host", NULL, NULL);
	for (i = 0; i < 20000; i++) {
		t += SIM_US(20);
		trace_flow_at(tr, t, i, 0, 6, "10.0.0.1:40000>10.0.0.2:1521 "
		    "newreno");
		trace_flow_state(tr, t, i, "ESTABLISHED", "SYN+ACK");
		trace_flow_cwnd(tr, t, i, 14480, UINT32_MAX);
		trace_flow_end(tr, t + SIM_US(10), i);
		if (i == 199)
			mem200 = trace_mem_bytes(tr);
	}
	/* past the next keyframe whose base is 0 (a power of two) */
	last = t + SIM_MS(1000);
	trace_annotate(tr, last, TRACE_NO_ID, "end");
	CU_ASSERT(trace_mem_bytes(tr) <= mem200 + 4096);
	CU_ASSERT_EQUAL_FATAL(trace_close(tr, err, sizeof(err)), 0);
	rd = open_rd(path);
	CU_ASSERT_PTR_NOT_NULL_FATAL(rd);
	CU_ASSERT_EQUAL_FATAL(trace_reader_seek(rd, last, err, sizeof(err)),
	    0);
	while ((rc = trace_reader_next(rd, &r, err, sizeof(err))) == 1)
		if ((r.type == TR_FLOW && !r.u.flow.closed) ||
		    r.type == TR_FLOW_STATE || r.type == TR_FLOW_CWND)
			after++;
	CU_ASSERT_EQUAL(rc, 0);
	CU_ASSERT_EQUAL(after, 0);
	trace_reader_close(rd);
	unlink(path);
}

/* ---------------------------------------------------------------------- */
/* Compatibility                                                           */

/* The 2.0 traces of the corpus read whole, and seek, as before. */
static void
test_v20_traces_read(void)
{
	static const char *const names[] = { "v2-default-1200ms.xct",
		"v2-keyed-chain.xct" };
	char path[512], err[256];
	struct trace_reader *rd;
	struct trace_rec r;
	size_t i, n;
	uint64_t cnt;
	char *b;
	int rc;

	for (i = 0; i < 2; i++) {
		snprintf(path, sizeof(path), "%s/tests/fuzz/trace/%s",
		    XCSIM_SOURCE_DIR, names[i]);
		b = test_slurp(path, &n);
		CU_ASSERT_PTR_NOT_NULL_FATAL(b);
		CU_ASSERT(n > 16 && b[8] == 2 && b[10] == 0);
		free(b);
		rd = open_rd(path);
		CU_ASSERT_PTR_NOT_NULL_FATAL(rd);
		cnt = 0;
		while ((rc = trace_reader_next(rd, &r, err, sizeof(err))) == 1) {
			CU_ASSERT(r.type < TR_FLOW);
			cnt++;
		}
		CU_ASSERT_EQUAL(rc, 0);
		CU_ASSERT_EQUAL(cnt, trace_reader_record_count(rd));
		CU_ASSERT_EQUAL(trace_reader_seek(rd,
		    trace_reader_end_time(rd) / 2, err, sizeof(err)), 0);
		while ((rc = trace_reader_next(rd, &r, err, sizeof(err))) == 1)
			;
		CU_ASSERT_EQUAL(rc, 0);
		trace_reader_close(rd);
	}
}

/*
 * Rewrite the flow records' type codes, in the stream and inside keyframe
 * bodies, to codes this reader does not know (as a 2.0 reader does not
 * know 19-21). Frames are walked, never guessed. Returns how many.
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
		if (type >= TR_FLOW && type <= TR_FLOW_CWND) {
			p[tpos] = (uint8_t)(type + 10);	/* 29..31 */
			count++;
		} else if (type == TR_KEYFRAME) {
			/* time, previous, base, then nested frames */
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
test_older_reader_skips_flows(void)
{
	const char *path = tpath("hide.xct"), *hidden = tpath("hidden.xct");
	struct trace_reader *a, *b;
	struct trace_rec ra, rb;
	char err[256];
	size_t n = 0, k;
	uint8_t *buf;
	FILE *f;
	int rc;

	write_small(path);
	buf = (uint8_t *)test_slurp(path, &n);
	CU_ASSERT_PTR_NOT_NULL_FATAL(buf);
	k = hide_frames(buf, n - 16, 16, 0);
	CU_ASSERT(k >= 8);
	f = fopen(hidden, "wb");
	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	CU_ASSERT_EQUAL(fwrite(buf, 1, n, f), n);
	fclose(f);
	free(buf);
	a = open_rd(path);
	b = open_rd(hidden);
	CU_ASSERT_PTR_NOT_NULL_FATAL(a);
	CU_ASSERT_PTR_NOT_NULL_FATAL(b);
	/* the same records but the flows, at the same times; the index
	 * count still agrees (checked at the end of a read) */
	for (;;) {
		do
			rc = trace_reader_next(a, &ra, err, sizeof(err));
		while (rc == 1 && ra.type >= TR_FLOW);
		CU_ASSERT_EQUAL_FATAL(trace_reader_next(b, &rb, err,
		    sizeof(err)), rc);
		if (rc != 1)
			break;
		CU_ASSERT_EQUAL(ra.type, rb.type);
		CU_ASSERT_EQUAL(ra.t, rb.t);
	}
	CU_ASSERT_EQUAL(rc, 0);
	CU_ASSERT_EQUAL(trace_reader_seek(b, SIM_MS(6), err, sizeof(err)), 0);
	while ((rc = trace_reader_next(b, &rb, err, sizeof(err))) == 1)
		CU_ASSERT(rb.type < TR_FLOW);
	CU_ASSERT_EQUAL(rc, 0);
	trace_reader_close(a);
	trace_reader_close(b);
	unlink(path);
	unlink(hidden);
}

/* ---------------------------------------------------------------------- */
/* TCP connections through the observer (models/tcp/tcp_trace.c)          */


/*
 * A 2 MB transfer over 100 Mbit/s with a short queue (losses, so ssthresh
 * gets set), traced from the start to past TIME_WAIT: both ends are flows
 * on their nodes with "SRC:PORT>DST:PORT cc" labels; the client goes
 * SYN_SENT, ESTABLISHED, ..., and each flow ends closed; consecutive cwnd
 * records of one flow differ by an MSS or in ssthresh, and are far fewer
 * than the ACKs; a seek mid-transfer lands with both flows ESTABLISHED and
 * the sender's window the last one written before the instant.
 */
static void
test_tcp_connection_traced(void)
{
	const char *path = tpath("tcp.xct");
	struct tt_net t;
	struct tt_sink k = { 0 };
	struct tt_src c = { 0 };
	struct trace_reader *rd;
	struct trace_rec r;
	struct trace *tr;
	char err[256], lab[2][128];
	uint32_t id[2] = { UINT32_MAX, UINT32_MAX }, lc = 0, ls = 0, mid_c = 0;
	uint32_t mid_ss = 0;
	int ncwnd = 0, nstate[2] = { 0, 0 }, closed[2] = { 0, 0 }, rc, i, acks;
	bool have = false, est[2] = { false, false };
	sim_time mid = 0;

	tt_build(&t, 2, 100000000ull, SIM_MS(5), 20, 0);
	tt_tap_ends(&t);
	tr = trace_open(path, SIM_MS(100), err, sizeof(err));
	CU_ASSERT_PTR_NOT_NULL_FATAL(tr);
	net_set_trace(t.net, tr);
	tcp_trace_attach(t.net);
	tt_sink_listen(&k, t.n[1], 5001, NULL);
	c.total = 2000000;
	tt_src_connect(&c, t.n[0], tt_addr(&t, 1), 5001, NULL);
	sim_run_until(t.sim, SIM_S(300));
	CU_ASSERT_EQUAL(k.bytes, 2000000);
	CU_ASSERT_EQUAL(tcp_stack_n_conns(tcp_stack_get(t.n[0])), 0);
	acks = tt_count(&t, 1, 0x10);
	tcp_trace_detach(t.net);
	net_set_trace(t.net, NULL);
	CU_ASSERT_EQUAL_FATAL(trace_close(tr, err, sizeof(err)), 0);
	tt_free(&t);

	rd = open_rd(path);
	CU_ASSERT_PTR_NOT_NULL_FATAL(rd);
	while ((rc = trace_reader_next(rd, &r, err, sizeof(err))) == 1) {
		int e;

		if (r.type == TR_FLOW && !r.u.flow.closed) {
			CU_ASSERT_FATAL(r.u.flow.node <= 1);
			e = (int)r.u.flow.node;
			CU_ASSERT_EQUAL(id[e], UINT32_MAX);
			id[e] = r.u.flow.id;
			CU_ASSERT_EQUAL(r.u.flow.ip_proto, 6);
			snprintf(lab[e], sizeof(lab[e]), "%s", r.u.flow.label);
			continue;
		}
		if (r.type == TR_FLOW) {
			e = r.u.flow.id == id[0] ? 0 : 1;
			CU_ASSERT_EQUAL(r.u.flow.id, id[e]);
			closed[e]++;
			continue;
		}
		if (r.type == TR_FLOW_STATE) {
			e = r.u.fstate.id == id[0] ? 0 : 1;
			CU_ASSERT_EQUAL_FATAL(r.u.fstate.id, id[e]);
			CU_ASSERT_EQUAL(closed[e], 0);
			if (e == 0 && nstate[0] == 0)
				CU_ASSERT_STRING_EQUAL(r.u.fstate.state,
				    "SYN_SENT");
			if (strcmp(r.u.fstate.state, "ESTABLISHED") == 0)
				est[e] = true;
			nstate[e]++;
			continue;
		}
		if (r.type != TR_FLOW_CWND || r.u.fcwnd.id != id[0])
			continue;
		if (have) {
			uint32_t d = r.u.fcwnd.cwnd > lc ? r.u.fcwnd.cwnd -
			    lc : lc - r.u.fcwnd.cwnd;

			CU_ASSERT(d >= 1448 || r.u.fcwnd.ssthresh != ls);
		}
		have = true;
		lc = r.u.fcwnd.cwnd;
		ls = r.u.fcwnd.ssthresh;
		if (++ncwnd == 10) {
			/* the instant to seek to, and what it must show */
			mid = r.t;
			mid_c = lc;
			mid_ss = ls;
		}
	}
	CU_ASSERT_EQUAL(rc, 0);
	for (i = 0; i < 2; i++) {
		uint32_t a[4], b[4];
		unsigned sp, dp;
		char cc[16];

		CU_ASSERT_NOT_EQUAL(id[i], UINT32_MAX);
		CU_ASSERT_EQUAL(closed[i], 1);
		CU_ASSERT(est[i]);
		CU_ASSERT(nstate[i] >= 4);
		CU_ASSERT_EQUAL(sscanf(lab[i], "%u.%u.%u.%u:%u>%u.%u.%u.%u:%u %15s",
		    &a[0], &a[1], &a[2], &a[3], &sp, &b[0], &b[1], &b[2], &b[3],
		    &dp, cc), 11);
		CU_ASSERT_STRING_EQUAL(cc, "newreno");
		CU_ASSERT_EQUAL(i == 0 ? dp : sp, 5001);
	}
	CU_ASSERT_NOT_EQUAL(id[0], id[1]);
	/* losses set ssthresh; the records are bounded */
	CU_ASSERT(ls != UINT32_MAX);
	CU_ASSERT(ncwnd > 10 && ncwnd < acks / 2);

	/* the seek: both open, established, the window as written */
	CU_ASSERT_EQUAL_FATAL(trace_reader_seek(rd, mid, err, sizeof(err)),
	    0);
	{
		bool live[2] = { false, false }, got = false;
		uint32_t gc = 0, gs = 0;
		char st[2][32] = { "", "" };

		while ((rc = trace_reader_next(rd, &r, err,
		    sizeof(err))) == 1) {
			if (r.t > mid && !trace_type_is_decl(r.type))
				break;
			if (r.type == TR_FLOW)
				live[r.u.flow.id == id[0] ? 0 : 1] =
				    !r.u.flow.closed;
			if (r.type == TR_FLOW_STATE)
				snprintf(st[r.u.fstate.id == id[0] ? 0 : 1],
				    32, "%s", r.u.fstate.state);
			if (r.type == TR_FLOW_CWND && r.u.fcwnd.id == id[0]) {
				got = true;
				gc = r.u.fcwnd.cwnd;
				gs = r.u.fcwnd.ssthresh;
			}
		}
		CU_ASSERT(live[0] && live[1]);
		CU_ASSERT_STRING_EQUAL(st[0], "ESTABLISHED");
		CU_ASSERT_STRING_EQUAL(st[1], "ESTABLISHED");
		CU_ASSERT(got);
		CU_ASSERT_EQUAL(gc, mid_c);
		CU_ASSERT_EQUAL(gs, mid_ss);
	}
	trace_reader_close(rd);
	unlink(path);
}

static const struct test_case cases[] = {
	{ "flow records: bytes, sequential read, JSON", test_bytes_read_json },
	{ "the writer answers the last window of a live flow", test_cwnd_last },
	{ "TCP's cwnd records: one MSS of change, or ssthresh", test_tcp_cwnd_bound },
	{ "a seek lands with every live flow's last state and window", test_seek_lands_with_live_flows },
	{ "closed flows leave keyframes and the writer's memory", test_closed_flows_leave },
	{ "2.0 traces still read and seek", test_v20_traces_read },
	{ "a reader without the flow types skips them", test_older_reader_skips_flows },
	{ "a TCP connection's ends, states and bounded windows in the trace", test_tcp_connection_traced },
	{ NULL, NULL }
};

int
main(int argc, char **argv)
{
	return test_main(argc, argv, "trace_flow", cases);
}
