/*
 * test_tcp_power.c - a node's TCP across a power cycle (net.h,
 * node_set_powered; tcp_power.c): at power off every connection of the
 * node is gone without a segment, its application told STREAM_POWER_OFF
 * ("powered off"); the peer, still open, learns when its retransmission
 * reaches the booted node and is answered with a reset; the listener is
 * still there for a new connection.
 */
#include "tcp_int.h"
#include "tcp_testutil.h"

#define MS SIM_MS(1)

static void
power_off(struct sim *sim, void *arg)
{
	struct tt_net *t = arg;

	(void)sim;
	/* as node-down: the links first, so nothing could leave */
	link_set_held(t->l[0], LINK_HOLD_NODE(1), true);
	node_set_powered(t->n[1], false);
}

static void
power_on(struct sim *sim, void *arg)
{
	struct tt_net *t = arg;

	(void)sim;
	link_set_held(t->l[0], LINK_HOLD_NODE(1), false);
	node_set_powered(t->n[1], true);
}

static void
send_more(struct sim *sim, void *arg)
{
	struct tt_src *c = arg;

	(void)sim;
	c->total += 100;
	tt_src_fill(c);
}

static int
segs_from(const struct tt_net *t, int node, sim_time after)
{
	int i, n = 0;

	for (i = 0; i < t->nsegs; i++)
		n += t->segs[i].node == node && t->segs[i].t > after;
	return n;
}

static void
test_power_cycle(void)
{
	struct tt_net t;
	struct tt_sink k = { 0 };
	struct tt_src c = { 0 }, c2 = { 0 };
	struct tcp_stack *st;
	const struct tt_seg *rst = NULL;
	int i;

	tt_build(&t, 2, 1000000000ull, MS, 100, 0);
	tt_tap_ends(&t);
	tt_sink_listen(&k, t.n[1], 80, NULL);
	k.close_at_eof = false;
	c.total = 2000;
	c.no_close = true;
	tt_src_connect(&c, t.n[0], tt_addr(&t, 1), 80, NULL);
	sim_schedule_at(t.sim, SIM_S(1), power_off, &t);
	sim_schedule_at(t.sim, SIM_S(1) + 500 * MS, send_more, &c);
	sim_schedule_at(t.sim, SIM_S(2), power_on, &t);
	st = tcp_stack_find(t.n[1]);
	CU_ASSERT_PTR_NOT_NULL_FATAL(st);

	sim_run_until(t.sim, SIM_S(1) - 1);
	CU_ASSERT_EQUAL(k.bytes, 2000);
	CU_ASSERT_PTR_NOT_NULL(k.s);
	CU_ASSERT_EQUAL(tcp_stack_n_conns(st), 1);

	/* the power goes at 1 s: the server's stream fails then, silently */
	sim_run_until(t.sim, SIM_S(1));
	CU_ASSERT_EQUAL(k.errors, 1);
	CU_ASSERT_EQUAL(k.err, STREAM_POWER_OFF);
	CU_ASSERT_STRING_EQUAL(stream_err_name[k.err], "powered off");
	CU_ASSERT_EQUAL(tcp_stack_n_conns(st), 0);
	CU_ASSERT_EQUAL(c.errors, 0);

	/*
	 * The client's 100 bytes at 1.5 s die on the held link; its RTO
	 * (1 s: rto_min) resends them at 2.5 s, after the boot at 2 s: the
	 * node, without the connection, answers with a reset (nothing left
	 * it between the power off and then), which fails the client.
	 */
	sim_run_until(t.sim, SIM_S(5));
	for (i = 0; i < t.nsegs; i++)
		if (t.segs[i].node == 1 && t.segs[i].t > SIM_S(1) &&
		    (t.segs[i].flags & WIRE_TCP_RST)) {
			rst = &t.segs[i];
			break;
		}
	CU_ASSERT_PTR_NOT_NULL_FATAL(rst);
	CU_ASSERT_EQUAL(segs_from(&t, 1, SIM_S(1) - 1), 1);
	/* 2.5 s + 166 bytes at 1 Gbit/s (1.328 us) + 1 ms */
	CU_ASSERT_EQUAL(rst->t, 2501001328);
	CU_ASSERT_EQUAL(c.errors, 1);
	CU_ASSERT_EQUAL(c.err, STREAM_RESET);
	/* ... + the reset's 60 bytes (0.48 us) + 1 ms */
	CU_ASSERT_EQUAL(c.t_err, 2502001808);
	CU_ASSERT_EQUAL(k.errors, 1);

	/* the listener stayed: a new connection is accepted */
	c2.total = 10;
	c2.no_close = true;
	tt_src_connect(&c2, t.n[0], tt_addr(&t, 1), 80, NULL);
	sim_run_until(t.sim, SIM_S(6));
	CU_ASSERT_TRUE(c2.connected);
	CU_ASSERT_PTR_NOT_NULL(k.s);
	CU_ASSERT_EQUAL(c2.errors, 0);
	stream_abort(c2.s);
	tt_free(&t);
}

/*
 * A connection without its application (TIME_WAIT after a clean close)
 * goes with the power too, and a stack powered off twice in an instant
 * drops once; a power on alone changes nothing.
 */
static void
test_time_wait_and_repeats(void)
{
	struct tt_net t;
	struct tt_sink k = { 0 };
	struct tt_src c = { 0 };
	struct tcp_stack *st;

	tt_build(&t, 2, 1000000000ull, MS, 100, 0);
	tt_sink_listen(&k, t.n[1], 80, NULL);
	c.total = 100;
	tt_src_connect(&c, t.n[0], tt_addr(&t, 1), 80, NULL);
	sim_run_until(t.sim, SIM_S(1));
	CU_ASSERT_TRUE(k.closed);
	/* the client closed first: its side waits in TIME_WAIT */
	st = tcp_stack_find(t.n[0]);
	CU_ASSERT_EQUAL(tcp_stack_n_conns(st), 1);
	node_set_powered(t.n[0], true);
	sim_run_until(t.sim, SIM_S(2));
	CU_ASSERT_EQUAL(tcp_stack_n_conns(st), 1);
	node_set_powered(t.n[0], false);
	node_set_powered(t.n[0], true);
	node_set_powered(t.n[0], false);
	CU_ASSERT_EQUAL(tcp_stack_n_conns(st), 1);
	sim_run_until(t.sim, SIM_S(2) + 1);
	CU_ASSERT_EQUAL(tcp_stack_n_conns(st), 0);
	CU_ASSERT_EQUAL(c.errors, 0);
	tt_free(&t);
}

static const struct test_case cases[] = {
	{ "power cycle: gone, the peer reset, the listener kept",
	    test_power_cycle },
	{ "time_wait goes too; repeats", test_time_wait_and_repeats },
	{ NULL, NULL }
};

int
main(int argc, char **argv)
{
	return test_main(argc, argv, "tcp_power", cases);
}
