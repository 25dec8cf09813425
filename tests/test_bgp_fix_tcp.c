/*
 * test_bgp_fix_tcp.c - the transport as BGP's GTSM needs it: a reset
 * answering a peer's segment with no connection behind it goes with the
 * TTL the listener's entry for that peer gives (255), so that the peer,
 * which takes nothing below 254, takes it; a closed port still answers
 * with the default 64.
 */
#include "tcp_testutil.h"

#define MS SIM_MS(1)
#define PORT 179

/* The tap on n1: records, and loses n1's first RST on the way. */
struct lose_rst {
	struct tt_tapctx tc;
	bool lost;
};

static bool
lose_tap(struct node *n, uint32_t ifindex, const struct pkt *frame, void *ctx)
{
	struct lose_rst *lr = ctx;
	struct wire_frame f;

	tt_tap(n, ifindex, frame, &lr->tc);
	if (lr->lost || wire_parse(frame->data, frame->len, frame->virt_len,
	    false, &f) != WIRE_OK || !f.has_tcp ||
	    !(f.tcp.flags & WIRE_TCP_RST))
		return false;
	lr->lost = true;
	return true;
}

/*
 * n0 connects to n1:179 with GTSM (TTL 255, minimum 254), n1's listener
 * has the same for n0. n1 aborts; its RST is lost. n0's next data meets
 * the listener, which answers with a reset: with TTL 255, n0 takes it at
 * once (one link delay and the serialisation later).
 */
static void
test_gtsm_reset(void)
{
	struct tt_net t;
	struct tt_sink k;
	struct tt_src c;
	struct stream_opts o;
	struct stream_peer_opts po;
	struct lose_rst lr;
	const struct tt_seg *rst = NULL;
	sim_time sent;
	int i;

	tt_build(&t, 2, 1000000000ull, MS, 0, 0);
	tt_tap_ends(&t);
	memset(&lr, 0, sizeof(lr));
	lr.tc.t = &t;
	lr.tc.node = 1;
	node_iface_set_frame_out(t.n[1], 0, lose_tap, &lr);
	memset(&k, 0, sizeof(k));
	tt_sink_listen(&k, t.n[1], PORT, NULL);
	memset(&po, 0, sizeof(po));
	po.ttl = 255;
	po.min_ttl = 254;
	CU_ASSERT_EQUAL_FATAL(stream_listener_set_peer(k.l, tt_addr(&t, 0),
	    &po), 0);
	memset(&o, 0, sizeof(o));
	o.ttl = 255;
	o.min_ttl = 254;
	memset(&c, 0, sizeof(c));
	c.total = 100;
	c.no_close = true;
	tt_src_connect(&c, t.n[0], tt_addr(&t, 1), PORT, &o);
	sim_run_until(t.sim, 100 * MS);
	CU_ASSERT_EQUAL_FATAL(k.bytes, 100);
	CU_ASSERT_PTR_NOT_NULL_FATAL(k.s);
	stream_abort(k.s);
	k.s = NULL;
	CU_ASSERT_TRUE(lr.lost);
	sent = sim_now(t.sim);
	CU_ASSERT_EQUAL(stream_send(c.s, NULL, 10), 10);
	sim_run_until(t.sim, SIM_S(5));
	for (i = 0; i < t.nsegs; i++)
		if (t.segs[i].node == 1 && (t.segs[i].flags & WIRE_TCP_RST))
			rst = &t.segs[i];
	CU_ASSERT_PTR_NOT_NULL_FATAL(rst);
	CU_ASSERT_EQUAL(rst->ttl, 255);
	CU_ASSERT_EQUAL(tcp_stack_stats(tcp_stack_find(t.n[0]))->min_ttl_drops,
	    0);
	CU_ASSERT_EQUAL(c.errors, 1);
	CU_ASSERT_EQUAL(c.err, STREAM_RESET);
	/*
	 * n0's 10 bytes go at once (a 76-byte frame, 608 ns at 1 Gbps, one
	 * link delay), the listener's reset comes back at once (54 bytes
	 * padded to Ethernet's 60, 480 ns, one link delay)
	 */
	CU_ASSERT_EQUAL(c.t_err, sent + 2 * MS + 608 + 480);
	tt_free(&t);
}

/* A closed port has no listener and no peer entry: the default TTL. */
static void
test_closed_port_reset(void)
{
	struct tt_net t;
	struct tt_src c;
	const struct tt_seg *rst;

	tt_build(&t, 2, 1000000000ull, MS, 0, 0);
	tt_tap_ends(&t);
	tcp_stack_get(t.n[1]);		/* TCP there, no listener */
	memset(&c, 0, sizeof(c));
	c.total = 100;
	tt_src_connect(&c, t.n[0], tt_addr(&t, 1), PORT, NULL);
	sim_run_until(t.sim, 100 * MS);
	rst = tt_nth(&t, 1, 0);
	CU_ASSERT_PTR_NOT_NULL_FATAL(rst);
	CU_ASSERT(rst->flags & WIRE_TCP_RST);
	CU_ASSERT_EQUAL(rst->ttl, 64);
	CU_ASSERT_EQUAL(c.err, STREAM_REFUSED);
	tt_free(&t);
}

static const struct test_case cases[] = {
	{ "GTSM: a listener's reset to its peer goes with TTL 255",
	    test_gtsm_reset },
	{ "a closed port's reset keeps TTL 64", test_closed_port_reset },
	{ NULL, NULL },
};

int
main(int argc, char **argv)
{
	return test_main(argc, argv, "bgp_fix_tcp", cases);
}
