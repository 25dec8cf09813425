/*
 * test_trace_state.c - keyed state in trace keyframes: a seek rebuilds the
 * routes, sessions and queue lengths of any instant from a keyframe's chain
 * of deltas, and a large route table costs trace bytes and writer memory
 * that do not grow with (table size x keyframes).
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "rng.h"
#include "testutil.h"
#include "trace.h"
#include "util.h"

static char *
tpath(const char *name)
{
	static char buf[4][256];
	static int n;
	char *p = buf[n++ % 4];

	snprintf(p, 256, "/tmp/xct_state_%ld_%s", (long)getpid(), name);
	return p;
}

static uint64_t
fsize(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 ? (uint64_t)st.st_size : 0;
}

/* ---------------------------------------------------------------------- */
/* Seek = replay, through delta keyframes                                  */

#define R_PREFIXES 300
#define R_STEPS 100
#define R_OPS 2000

struct rop {
	sim_time t;
	uint32_t prefix;
	int nh;			/* -1: withdrawn */
	int sess;		/* >= 0: a session change instead */
};

static const char *const nh_names[4] = { "10.9.0.1", "10.9.0.2",
	"10.9.0.3", "10.9.0.4" };
static const char *const sess_states[3] = { "Idle", "Connect",
	"Established" };

/* Expected state at t, from the op log. */
static void
expect_at(const struct rop *ops, int nops, sim_time t, int *nh, int *sess)
{
	int i;

	for (i = 0; i < R_PREFIXES; i++)
		nh[i] = -1;
	*sess = -1;
	for (i = 0; i < nops && ops[i].t <= t; i++) {
		if (ops[i].sess >= 0)
			*sess = ops[i].sess;
		else
			nh[ops[i].prefix] = ops[i].nh;
	}
}

static int
nh_index(const char *s)
{
	int i;

	for (i = 0; s != NULL && i < 4; i++)
		if (strcmp(s, nh_names[i]) == 0)
			return i;
	return -2;
}

static int
sess_index(const char *s)
{
	int i;

	for (i = 0; s != NULL && i < 3; i++)
		if (strcmp(s, sess_states[i]) == 0)
			return i;
	return -2;
}

/*
 * Routes added, changed and withdrawn over 100 keyframe intervals (so the
 * keyframes carry deltas over chains of up to 7 bases, with tombstones),
 * then a seek to many instants must give exactly the state at that instant.
 */
static void
test_seek_rebuilds_keyed_state(void)
{
	const char *path = tpath("deltas.xct");
	static struct rop ops[R_OPS];
	int nh[R_PREFIXES], got[R_PREFIXES], sess, gsess;
	struct trace_reader *rd;
	struct trace_rec r;
	struct trace *tr;
	struct rng rng;
	char err[256];
	int i, q, nops = 0, rc, markers;
	sim_time t, at;

	rng_init(&rng, 7, "trace-deltas");
	tr = trace_open(path, SIM_MS(1), err, sizeof(err));
	CU_ASSERT_PTR_NOT_NULL_FATAL(tr);
	trace_node(tr, 0, "r", "router", NULL, NULL);
	for (i = 0; i < R_OPS; i++) {
		struct rop *o = &ops[nops++];

		/* Bursts: most steps change a few keys, some many. */
		o->t = SIM_US(50) * (sim_time)(i / 20) +
		    (sim_time)rng_below(&rng, 3);
		if (nops > 1 && o->t < ops[nops - 2].t)
			o->t = ops[nops - 2].t;
		o->sess = -1;
		if (rng_below(&rng, 50) == 0) {
			o->sess = (int)rng_below(&rng, 3);
			trace_session(tr, o->t, TRP_BGP, 0, "peer",
			    sess_states[o->sess], NULL);
			continue;
		}
		o->prefix = (uint32_t)rng_below(&rng, R_PREFIXES);
		o->nh = rng_below(&rng, 3) == 0 ? -1 :
		    (int)rng_below(&rng, 4);
		trace_route(tr, o->t, 0, "main", 0x0a000000 | o->prefix << 8,
		    24, o->nh < 0, o->nh < 0 ? NULL : nh_names[o->nh], NULL);
	}
	CU_ASSERT_EQUAL_FATAL(trace_close(tr, err, sizeof(err)), 0);

	rd = trace_reader_open(path, err, sizeof(err));
	CU_ASSERT_PTR_NOT_NULL_FATAL(rd);
	for (q = 0; q < 120; q++) {
		t = q < 100 ? SIM_US(50) * q + (q % 3) :
		    (sim_time)rng_below(&rng, SIM_MS(6));
		expect_at(ops, nops, t, nh, &sess);
		for (i = 0; i < R_PREFIXES; i++)
			got[i] = -1;
		gsess = -1;
		markers = 0;
		CU_ASSERT_EQUAL_FATAL(trace_reader_seek(rd, t, err,
		    sizeof(err)), 0);
		while ((rc = trace_reader_next(rd, &r, err,
		    sizeof(err))) == 1) {
			if (r.type == TR_KEYFRAME) {
				markers++;
				continue;
			}
			if (r.t > t)
				break;
			if (r.type == TR_SESSION_STATE)
				gsess = sess_index(r.u.session.state);
			if (r.type != TR_ROUTE)
				continue;
			at = (r.u.route.prefix >> 8) & 0xffff;
			CU_ASSERT_TRUE_FATAL(at < R_PREFIXES);
			got[at] = r.u.route.withdrawn ? -1 :
			    nh_index(r.u.route.nexthop);
		}
		CU_ASSERT_TRUE(rc >= 0);
		CU_ASSERT_TRUE(markers <= 1);
		CU_ASSERT_EQUAL(memcmp(got, nh, sizeof(nh)), 0);
		CU_ASSERT_EQUAL(gsess, sess);
	}
	trace_reader_close(rd);
	unlink(path);
}

/* ---------------------------------------------------------------------- */
/* A large route table                                                     */

#define BIG_ROUTES 200000u
#define BIG_CHURN 1000u

struct big {
	uint64_t size;		/* trace bytes */
	size_t mem_loaded;	/* writer memory once the table is in */
	size_t mem_end;		/* writer memory before close */
};

/*
 * A BGP-sized table: BIG_ROUTES routes at 1 ms, then nkf keyframe
 * intervals, each withdrawing and re-adding BIG_CHURN of them, with a
 * packet in each so that every interval gets its keyframe.
 */
static void
big_run(const char *path, int nkf, struct big *out)
{
	static const char *const nh[2] = { "169.254.21.1", "169.254.22.1" };
	struct trace *tr;
	char err[256];
	uint32_t i, p;
	int k;
	sim_time t;

	tr = trace_open(path, SIM_MS(1), err, sizeof(err));
	CU_ASSERT_PTR_NOT_NULL_FATAL(tr);
	trace_node(tr, 0, "edge", "router", NULL, NULL);
	for (i = 0; i < BIG_ROUTES; i++)
		trace_route(tr, SIM_MS(1), 0, "bgp", i << 8, 24, false, nh[0],
		    "as_path 65010 65020");
	out->mem_loaded = trace_mem_bytes(tr);
	for (k = 2; k < nkf + 2; k++) {
		t = SIM_MS(k);
		trace_annotate(tr, t, 0, "tick");
		for (i = 0; i < BIG_CHURN; i++) {
			p = (uint32_t)((k * 7919u + i * 104729u) % BIG_ROUTES);
			trace_route(tr, t, 0, "bgp", p << 8, 24, true, NULL,
			    NULL);
		}
		for (i = 0; i < BIG_CHURN; i++) {
			p = (uint32_t)((k * 7919u + i * 104729u) % BIG_ROUTES);
			trace_route(tr, t + 1, 0, "bgp", p << 8, 24, false,
			    nh[k & 1], "as_path 65010 65030");
		}
	}
	out->mem_end = trace_mem_bytes(tr);
	CU_ASSERT_EQUAL_FATAL(trace_close(tr, err, sizeof(err)), 0);
	out->size = fsize(path);
}

/* Routes present after a seek to t (a key may come once per delta). */
static uint64_t
routes_at(const char *path, sim_time t)
{
	static bool present[BIG_ROUTES];
	struct trace_reader *rd;
	struct trace_rec r;
	char err[256];
	uint64_t n = 0;
	uint32_t p;
	int rc;

	memset(present, 0, sizeof(present));
	rd = trace_reader_open(path, err, sizeof(err));
	CU_ASSERT_PTR_NOT_NULL_FATAL(rd);
	CU_ASSERT_EQUAL(trace_reader_seek(rd, t, err, sizeof(err)), 0);
	while ((rc = trace_reader_next(rd, &r, err, sizeof(err))) == 1) {
		if (r.type == TR_KEYFRAME)
			continue;
		if (r.t > t)
			break;
		if (r.type != TR_ROUTE)
			continue;
		p = r.u.route.prefix >> 8;
		CU_ASSERT_TRUE_FATAL(p < BIG_ROUTES);
		present[p] = !r.u.route.withdrawn;
	}
	CU_ASSERT_TRUE(rc >= 0);
	trace_reader_close(rd);
	for (p = 0; p < BIG_ROUTES; p++)
		n += present[p];
	return n;
}

static void
test_large_table_bounded(void)
{
	const char *p1 = tpath("big1.xct"), *p32 = tpath("big32.xct"),
	    *p64 = tpath("big64.xct");
	struct big b1, b32, b64;
	uint64_t table, n;

	/* (one file at a time on disk: they are tens of megabytes) */
	big_run(p1, 0, &b1);		/* the table once, one keyframe */
	unlink(p1);
	big_run(p32, 32, &b32);
	unlink(p32);
	big_run(p64, 64, &b64);
	table = b1.size;
	printf("\n  trace of %u routes: %llu bytes; %u keyframes of churn: "
	    "%llu bytes; %u: %llu bytes\n  writer memory: %zu bytes with the "
	    "table (%zu per route), %zu after 64 keyframes\n", BIG_ROUTES,
	    (unsigned long long)table, 32, (unsigned long long)b32.size, 64,
	    (unsigned long long)b64.size, b64.mem_loaded,
	    b64.mem_loaded / BIG_ROUTES, b64.mem_end);

	/*
	 * Full restatement would be about (keyframes + 1) tables. Deltas
	 * restate a change in at most log2(keyframes) + 1 keyframes: 32
	 * keyframes hold the table at keyframes 1, 2, 4, 8, 16 and 32, and
	 * doubling the keyframes adds one more table, not 32.
	 */
	CU_ASSERT_TRUE(b32.size < 8 * table);
	CU_ASSERT_TRUE(b64.size - b32.size < table + table / 2);
	/* Writer memory: the table, once (each route's key and its record,
	 * encoded: about 120 bytes); keyframes add nothing. */
	CU_ASSERT_TRUE(b64.mem_loaded / BIG_ROUTES < 160);
	CU_ASSERT_TRUE(b64.mem_end < b64.mem_loaded + b64.mem_loaded / 20);
	CU_ASSERT_EQUAL(b32.mem_loaded, b64.mem_loaded);

	/* Seeks land on delta chains and still see the whole table. */
	n = routes_at(p64, SIM_MS(1));
	CU_ASSERT_EQUAL(n, BIG_ROUTES);
	n = routes_at(p64, SIM_MS(47) + 2);	/* chain 32, 40, 44, 46 */
	CU_ASSERT_EQUAL(n, BIG_ROUTES);
	n = routes_at(p64, SIM_MS(47));		/* mid-churn: withdrawn */
	CU_ASSERT_EQUAL(n, BIG_ROUTES - BIG_CHURN);
	unlink(p64);
}

/*
 * Version 1 traces (full keyframes, no base offset) still read: the corpus
 * trace of the default scenario, sequentially and after seeks, gives the
 * same routes at the end either way.
 */
static void
test_reads_version_1(void)
{
	const char *path = XCSIM_SOURCE_DIR "/tests/fuzz/trace/"
	    "default-1200ms.xct";
	struct trace_reader *rd;
	struct trace_rec r;
	char err[256];
	uint64_t n = 0, seq_routes = 0, seek_routes = 0;
	sim_time end;
	int rc;

	rd = trace_reader_open(path, err, sizeof(err));
	CU_ASSERT_PTR_NOT_NULL_FATAL(rd);
	CU_ASSERT_EQUAL(trace_reader_version(rd), 1);
	CU_ASSERT_FALSE(trace_reader_truncated(rd));
	end = trace_reader_end_time(rd);
	while ((rc = trace_reader_next(rd, &r, err, sizeof(err))) == 1) {
		n++;
		if (r.type == TR_ROUTE)
			seq_routes += r.u.route.withdrawn ? -1u : 1u;
	}
	CU_ASSERT_EQUAL(rc, 0);
	CU_ASSERT_EQUAL(n, trace_reader_record_count(rd));
	CU_ASSERT_TRUE(seq_routes > 0);
	CU_ASSERT_EQUAL(trace_reader_seek(rd, end, err, sizeof(err)), 0);
	while ((rc = trace_reader_next(rd, &r, err, sizeof(err))) == 1)
		if (r.type == TR_ROUTE)
			seek_routes += r.u.route.withdrawn ? -1u : 1u;
	CU_ASSERT_EQUAL(rc, 0);
	CU_ASSERT_EQUAL(seek_routes, seq_routes);
	trace_reader_close(rd);
}

static const struct test_case cases[] = {
	{ "version 1 traces still read", test_reads_version_1 },
	{ "seek rebuilds keyed state from delta keyframes",
	    test_seek_rebuilds_keyed_state },
	{ "large route table: bounded size and memory",
	    test_large_table_bounded },
	{ NULL, NULL },
};

int
main(int argc, char **argv)
{
	return test_main(argc, argv, "trace_state", cases);
}
