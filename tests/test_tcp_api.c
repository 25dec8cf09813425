/*
 * test_tcp_api.c - the stream API over the simulated TCP as applications
 * use it: half-close with data still flowing the other way, release,
 * abort from a callback, a listener going away during a handshake, port
 * and address conflicts, ephemeral ports, invalid requests, connection
 * info, a connection to the node's own address (loopback), VRFs kept
 * apart, and an observer removing itself from inside a callback.
 */
#include "tcp_int.h"
#include "tcp_testutil.h"

#define MS SIM_MS(1)

/* --- half-close: the client shuts down, the server answers after --- */

struct echo {
	struct stream *s;
	uint64_t got;
	bool answered;
	struct sim *sim;
};

static void
echo_rx(struct stream *s, void *ctx)
{
	struct echo *e = ctx;

	e->got += stream_read(s, NULL, 1 << 20);
	if (stream_eof(s) && !e->answered) {
		/* the peer's direction is closed; ours is still open */
		e->answered = true;
		CU_ASSERT_EQUAL(stream_send(s, NULL, 50000), 50000);
		stream_close(s);
	}
}

static void
echo_closed(struct stream *s, void *ctx)
{
	(void)s;
	((struct echo *)ctx)->s = NULL;
}

static const struct stream_cb echo_cb = {
	.on_receive = echo_rx,
	.on_closed = echo_closed,
};

static void
echo_accept(struct stream_listener *l, struct stream *s, void *ctx)
{
	struct echo *e = ctx;

	(void)l;
	e->s = s;
	stream_set_cb(s, &echo_cb, e);
}

struct half {
	struct stream *s;
	uint64_t got;
	bool eof, closed;
};

static void
half_connected(struct stream *s, void *ctx)
{
	(void)ctx;
	CU_ASSERT_EQUAL(stream_send(s, NULL, 1000), 1000);
	stream_shutdown(s);
	CU_ASSERT_EQUAL(stream_send(s, NULL, 10), 0);	/* no more */
	CU_ASSERT_EQUAL(stream_send_space(s), 0);
}

static void
half_rx(struct stream *s, void *ctx)
{
	struct half *h = ctx;

	h->got += stream_read(s, NULL, 1 << 20);
	h->eof = stream_eof(s);
}

static void
half_closed(struct stream *s, void *ctx)
{
	(void)s;
	((struct half *)ctx)->closed = true;
}

static const struct stream_cb half_cb = {
	.on_connected = half_connected,
	.on_receive = half_rx,
	.on_closed = half_closed,
};

static void
test_half_close(void)
{
	struct tt_net t;
	struct echo e;
	struct half h;
	struct stream_addr a = { 0, 7 };

	tt_build(&t, 2, SIM_S(1), MS, 1000, 0);
	memset(&e, 0, sizeof(e));
	memset(&h, 0, sizeof(h));
	CU_ASSERT_PTR_NOT_NULL_FATAL(stream_listen(tcp_stack_host(
	    tcp_stack_get(t.n[1])), &a, NULL, echo_accept, &e));
	a.addr = tt_addr(&t, 1);
	h.s = stream_connect(tcp_stack_host(tcp_stack_get(t.n[0])), &a, NULL,
	    &half_cb, &h);
	CU_ASSERT_PTR_NOT_NULL_FATAL(h.s);
	sim_run_until(t.sim, SIM_S(1));
	CU_ASSERT_EQUAL(e.got, 1000);
	CU_ASSERT_TRUE(e.answered);
	CU_ASSERT_EQUAL(h.got, 50000);
	CU_ASSERT_TRUE(h.eof);
	CU_ASSERT_TRUE(h.closed);
	CU_ASSERT_PTR_NULL(e.s);
	tt_free(&t);
}

/* --- release, abort from a callback, unlisten mid-handshake --- */

static void
abort_on_rx(struct stream *s, void *ctx)
{
	int *n = ctx;

	(*n)++;
	stream_abort(s);	/* from inside a callback: allowed */
}

static const struct stream_cb abort_cb = {
	.on_receive = abort_on_rx,
};

static void
abort_accept(struct stream_listener *l, struct stream *s, void *ctx)
{
	(void)l;
	stream_set_cb(s, &abort_cb, ctx);
}

static void
test_release_and_abort(void)
{
	struct tt_net t;
	struct tt_sink k;
	struct tt_src c;
	struct stream_addr a = { 0, 9 };
	struct stream *s;
	int aborted = 0;

	tt_build(&t, 2, SIM_S(1), MS, 1000, 0);
	memset(&k, 0, sizeof(k));
	memset(&c, 0, sizeof(c));
	/* release: the data still arrives, the connection ends by itself */
	tt_sink_listen(&k, t.n[1], 5001, NULL);
	a.addr = tt_addr(&t, 1);
	a.port = 5001;
	s = stream_connect(tcp_stack_host(tcp_stack_get(t.n[0])), &a, NULL,
	    NULL, NULL);
	CU_ASSERT_PTR_NOT_NULL_FATAL(s);
	CU_ASSERT_EQUAL(stream_send(s, NULL, 70000), 70000);
	stream_release(s);
	sim_run_until(t.sim, SIM_S(1));
	CU_ASSERT_EQUAL(k.bytes, 70000);
	CU_ASSERT_TRUE(k.closed);
	sim_run_until(t.sim, SIM_S(200));
	CU_ASSERT_EQUAL(tcp_stack_n_conns(tcp_stack_get(t.n[0])), 0);

	/* abort from on_receive: the sender sees a reset */
	a.port = 9;
	a.addr = 0;
	CU_ASSERT_PTR_NOT_NULL_FATAL(stream_listen(tcp_stack_host(
	    tcp_stack_get(t.n[1])), &a, NULL, abort_accept, &aborted));
	c.total = 100000;
	c.no_close = true;
	tt_src_connect(&c, t.n[0], tt_addr(&t, 1), 9, NULL);
	sim_run_until(t.sim, SIM_S(201));
	CU_ASSERT_EQUAL(aborted, 1);
	CU_ASSERT_EQUAL(c.errors, 1);
	CU_ASSERT_EQUAL(c.err, STREAM_RESET);
	CU_ASSERT_EQUAL(tcp_stack_n_conns(tcp_stack_get(t.n[1])), 0);
	tt_free(&t);
}

static void
never_accept(struct stream_listener *l, struct stream *s, void *ctx)
{
	(void)l;
	(void)s;
	(void)ctx;
	CU_FAIL("accepted after unlisten");
}

static void
test_unlisten_mid_handshake(void)
{
	struct tt_net t;
	struct tt_src c;
	struct stream_listener *l;
	struct stream_addr a = { 0, 5001 };

	tt_build(&t, 2, SIM_S(1), MS, 1000, 0);
	memset(&c, 0, sizeof(c));
	l = stream_listen(tcp_stack_host(tcp_stack_get(t.n[1])), &a, NULL,
	    never_accept, NULL);
	CU_ASSERT_PTR_NOT_NULL_FATAL(l);
	c.no_close = true;
	tt_src_connect(&c, t.n[0], tt_addr(&t, 1), 5001, NULL);
	/* the SYN arrived (1 ms), the ACK has not: unlisten now */
	sim_run_until(t.sim, SIM_US(1500));
	CU_ASSERT_EQUAL(tcp_stack_n_conns(tcp_stack_get(t.n[1])), 1);
	stream_unlisten(l);
	sim_run_until(t.sim, SIM_S(1));
	/* the handshake's end found no listener: reset */
	CU_ASSERT_EQUAL(c.errors, 1);
	CU_ASSERT_EQUAL(c.err, STREAM_RESET);
	CU_ASSERT_EQUAL(tcp_stack_n_conns(tcp_stack_get(t.n[1])), 0);
	tt_free(&t);
}

/* --- conflicts, ephemeral ports, invalid requests, info --- */

static void
dummy_accept(struct stream_listener *l, struct stream *s, void *ctx)
{
	(void)l;
	(void)ctx;
	stream_set_cb(s, NULL, NULL);
}

static void
test_ports_and_info(void)
{
	struct tt_net t;
	struct stream_host *h0, *h1;
	struct stream_addr a = { 0, 80 }, r;
	struct stream_opts o;
	struct stream *s1, *s2;
	struct stream_listener *l;
	struct stream_info si;

	tt_build(&t, 2, SIM_S(1), MS, 1000, 0);
	h0 = tcp_stack_host(tcp_stack_get(t.n[0]));
	h1 = tcp_stack_host(tcp_stack_get(t.n[1]));
	CU_ASSERT_PTR_EQUAL(tcp_stack_get(t.n[1]), tcp_stack_find(t.n[1]));
	CU_ASSERT_PTR_EQUAL(tcp_stack_node(tcp_stack_get(t.n[1])), t.n[1]);
	l = stream_listen(h1, &a, NULL, dummy_accept, NULL);
	CU_ASSERT_PTR_NOT_NULL_FATAL(l);
	CU_ASSERT_PTR_NULL(stream_listen(h1, &a, NULL, dummy_accept, NULL));
	a.addr = tt_addr(&t, 1);
	CU_ASSERT_PTR_NULL(stream_listen(h1, &a, NULL, dummy_accept, NULL));
	a.port = 0;
	CU_ASSERT_PTR_NULL(stream_listen(h1, &a, NULL, dummy_accept, NULL));
	/* ephemeral ports in turn from 49152 */
	r.addr = tt_addr(&t, 1);
	r.port = 80;
	s1 = stream_connect(h0, &r, NULL, NULL, NULL);
	s2 = stream_connect(h0, &r, NULL, NULL, NULL);
	CU_ASSERT_PTR_NOT_NULL_FATAL(s1);
	CU_ASSERT_PTR_NOT_NULL_FATAL(s2);
	stream_get_info(s1, &si);
	CU_ASSERT_EQUAL(si.local.port, 49152);
	CU_ASSERT_EQUAL(si.local.addr, tt_addr(&t, 0));
	CU_ASSERT_STRING_EQUAL(si.state, "SYN_SENT");
	stream_get_info(s2, &si);
	CU_ASSERT_EQUAL(si.local.port, 49153);
	/* a bound local port already used toward the same remote */
	memset(&o, 0, sizeof(o));
	o.local.port = 49152;
	CU_ASSERT_PTR_NULL(stream_connect(h0, &r, &o, NULL, NULL));
	/* no route, no port */
	r.addr = tt_ip("192.0.2.1");
	CU_ASSERT_PTR_NULL(stream_connect(h0, &r, NULL, NULL, NULL));
	r.addr = tt_addr(&t, 1);
	r.port = 0;
	CU_ASSERT_PTR_NULL(stream_connect(h0, &r, NULL, NULL, NULL));
	sim_run_until(t.sim, SIM_S(1));
	stream_get_info(s1, &si);
	CU_ASSERT_STRING_EQUAL(si.state, "ESTABLISHED");
	CU_ASSERT_EQUAL(si.mss, 1448);
	CU_ASSERT_EQUAL(si.cwnd, 10 * 1448);
	CU_ASSERT_EQUAL(si.srtt_ns, (uint64_t)SIM_MS(2));
	CU_ASSERT_EQUAL(si.remote.port, 80);
	CU_ASSERT_EQUAL(tcp_conn_cc(tcp_stream_conn(s1)), TCP_CC_NEWRENO);
	CU_ASSERT_PTR_NULL(tcp_stream_conn(NULL));
	stream_abort(s1);
	stream_abort(s2);
	stream_unlisten(l);
	tt_free(&t);
}

/* --- loopback --- */

static void
test_loopback(void)
{
	struct tt_net t;
	struct tt_sink k;
	struct tt_src c;
	struct stream_opts o;

	tt_build(&t, 2, SIM_S(1), MS, 1000, 0);
	memset(&k, 0, sizeof(k));
	memset(&c, 0, sizeof(c));
	memset(&o, 0, sizeof(o));
	o.cc = "cubic";
	tt_sink_listen(&k, t.n[0], 5001, NULL);
	c.total = 10000000;
	tt_src_connect(&c, t.n[0], tt_addr(&t, 0), 5001, &o);
	sim_run_until(t.sim, SIM_S(1));
	CU_ASSERT_EQUAL(k.bytes, c.total);
	CU_ASSERT_TRUE(k.closed);
	/* nothing touched the link */
	CU_ASSERT_EQUAL(link_get_stats(t.l[0], 0)->tx_pkts, 0);
	tt_free(&t);
}

/* --- VRFs --- */

static void
test_vrf_apart(void)
{
	struct tt_net t;
	struct tt_sink k;
	struct tt_src c;
	struct stream_opts o;
	struct stream_addr a = { 0, 5001 };
	uint32_t v;

	tt_build(&t, 2, SIM_S(1), MS, 1000, 0);
	memset(&k, 0, sizeof(k));
	memset(&c, 0, sizeof(c));
	memset(&o, 0, sizeof(o));
	/* a listener in another VRF of n1 does not hear the default VRF */
	v = node_vrf(t.n[1], "blue");
	o.vrf = v;
	k.sim = t.sim;
	k.l = stream_listen(tcp_stack_host(tcp_stack_get(t.n[1])), &a, &o,
	    tt_sink_accept, &k);
	CU_ASSERT_PTR_NOT_NULL_FATAL(k.l);
	/* and the same port is free in the default VRF */
	CU_ASSERT_PTR_NOT_NULL(stream_listen(tcp_stack_host(
	    tcp_stack_get(t.n[1])), &a, NULL, dummy_accept, NULL));
	tt_src_connect(&c, t.n[0], tt_addr(&t, 1), 5001, NULL);
	sim_run_until(t.sim, SIM_S(1));
	CU_ASSERT_TRUE(c.connected);
	CU_ASSERT_PTR_NULL(k.s);
	tt_free(&t);
}

/* --- observers --- */

struct selfrm {
	struct tcp_stack *st;
	int states, news;
};

static void selfrm_state(void *ctx, const struct tcp_conn *c,
    enum tcp_state from, enum tcp_state to, const char *why);

static void
selfrm_new(void *ctx, const struct tcp_conn *c)
{
	(void)c;
	((struct selfrm *)ctx)->news++;
}

static const struct tcp_observer selfrm_obs = {
	.on_new = selfrm_new,
	.on_state = selfrm_state,
};

static void
selfrm_state(void *ctx, const struct tcp_conn *c, enum tcp_state from,
    enum tcp_state to, const char *why)
{
	struct selfrm *r = ctx;

	(void)c;
	(void)from;
	(void)to;
	(void)why;
	r->states++;
	tcp_stack_remove_observer(r->st, &selfrm_obs, r);
}

static void
test_observer_removes_itself(void)
{
	struct tt_net t;
	struct tt_sink k;
	struct tt_src c;
	struct selfrm r1, r2;

	tt_build(&t, 2, SIM_S(1), MS, 1000, 0);
	memset(&k, 0, sizeof(k));
	memset(&c, 0, sizeof(c));
	memset(&r1, 0, sizeof(r1));
	memset(&r2, 0, sizeof(r2));
	r1.st = r2.st = tcp_stack_get(t.n[0]);
	tcp_stack_add_observer(r1.st, &selfrm_obs, &r1);
	tcp_stack_add_observer(r2.st, &selfrm_obs, &r2);
	tt_sink_listen(&k, t.n[1], 5001, NULL);
	c.total = 1000;
	tt_src_connect(&c, t.n[0], tt_addr(&t, 1), 5001, NULL);
	sim_run_until(t.sim, SIM_S(1));
	CU_ASSERT_EQUAL(r1.news, 1);
	CU_ASSERT_EQUAL(r2.news, 1);
	CU_ASSERT_EQUAL(r1.states, 1);
	CU_ASSERT_EQUAL(r2.states, 1);
	CU_ASSERT_EQUAL(k.bytes, 1000);
	tt_free(&t);
}

/* A server that closes as soon as it has 100 bytes: it closes first. */
static void
closer_rx(struct stream *s, void *ctx)
{
	uint64_t *got = ctx;

	*got += stream_read(s, NULL, 1 << 20);
	if (*got >= 100)
		stream_close(s);
}

static const struct stream_cb closer_cb = {
	.on_receive = closer_rx,
};

static void
closer_accept(struct stream_listener *l, struct stream *s, void *ctx)
{
	(void)l;
	*(uint64_t *)ctx = 0;
	stream_set_cb(s, &closer_cb, ctx);
}

/*
 * The server closes first and keeps TIME_WAIT; the client connects again
 * from the same port: the new SYN ends TIME_WAIT (RFC 6191) and the
 * connection is made at once, not after a SYN retransmission.
 */
static void
test_time_wait_reuse(void)
{
	struct tt_net t;
	struct tt_src c;
	struct stream_addr a = { 0, 7 };
	struct stream_opts o;
	struct tcp_stack *srv;
	uint64_t got = 0;
	sim_time t0;

	tt_build(&t, 2, SIM_S(1), MS, 1000, 0);
	srv = tcp_stack_get(t.n[1]);
	CU_ASSERT_PTR_NOT_NULL_FATAL(stream_listen(tcp_stack_host(srv), &a,
	    NULL, closer_accept, &got));
	memset(&o, 0, sizeof(o));
	o.local.port = 40000;
	memset(&c, 0, sizeof(c));
	c.total = 100;
	c.no_close = true;
	tt_src_connect(&c, t.n[0], tt_addr(&t, 1), 7, &o);
	sim_run_until(t.sim, 20 * MS);
	CU_ASSERT_TRUE(c.connected);
	CU_ASSERT_EQUAL(got, 100);
	CU_ASSERT_TRUE_FATAL(c.s != NULL && stream_eof(c.s));
	stream_close(c.s);
	sim_run_until(t.sim, SIM_S(1));
	CU_ASSERT_EQUAL_FATAL(tcp_stack_n_conns(srv), 1);
	CU_ASSERT_EQUAL(tcp_conn_state(srv->conns), TCP_TIME_WAIT);
	/* the client side has finished: the port is free again there */
	CU_ASSERT_EQUAL(tcp_stack_n_conns(tcp_stack_get(t.n[0])), 0);
	memset(&c, 0, sizeof(c));
	c.total = 100;
	c.no_close = true;
	t0 = sim_now(t.sim);
	tt_src_connect(&c, t.n[0], tt_addr(&t, 1), 7, &o);
	sim_run_until(t.sim, SIM_S(2));
	CU_ASSERT_TRUE(c.connected);
	CU_ASSERT_EQUAL(c.t_connected, t0 + 2 * (SIM_NS(74 * 8) + MS));
	CU_ASSERT_EQUAL(got, 100);
	tt_free(&t);
}

/* --- freeing the stack from one of its callbacks --- */

struct victim {
	struct tcp_stack *st;
	int errors, received;
	bool free_on_rx;
};

static void
victim_err(struct stream *s, enum stream_err e, void *ctx)
{
	struct victim *v = ctx;

	(void)s;
	CU_ASSERT_EQUAL(e, STREAM_REFUSED);
	v->errors++;
	tcp_stack_free(v->st);
	/* the stack is gone for the node at once; its memory is not yet */
	CU_ASSERT_PTR_NULL(tcp_stack_find(tcp_stack_node(v->st)));
}

static void
victim_rx(struct stream *s, void *ctx)
{
	struct victim *v = ctx;

	v->received++;
	if (v->free_on_rx) {
		tcp_stack_free(v->st);
		/* the stream stays usable until the callback returns */
		CU_ASSERT_EQUAL(stream_read(s, NULL, 1 << 20), 1000);
		stream_close(s);
	}
}

static const struct stream_cb victim_cb = {
	.on_error = victim_err,
	.on_receive = victim_rx,
};

static void
victim_accept(struct stream_listener *l, struct stream *s, void *ctx)
{
	(void)l;
	stream_set_cb(s, &victim_cb, ctx);
}

/*
 * An application may free its node's stack from one of the stack's
 * callbacks (it tears the node down): the free waits for the stack's
 * processing to return (ASan sees a use after free otherwise). Another
 * connection of the stack, with timers running, goes silently with it.
 */
static void
test_stack_free_from_callback(void)
{
	struct tt_net t;
	struct tt_src busy;
	struct tt_sink k;
	struct victim v;
	struct stream_addr a;
	struct stream_addr la = { 0, 6000 };

	/* on_error of a refused connect */
	tt_build(&t, 2, SIM_S(1), MS, 100, 0);
	memset(&v, 0, sizeof(v));
	memset(&busy, 0, sizeof(busy));
	memset(&k, 0, sizeof(k));
	v.st = tcp_stack_get(t.n[0]);
	tt_sink_listen(&k, t.n[1], 5000, NULL);
	k.paused = true;	/* a zero window: persist timer on n0 */
	busy.total = 1000000;
	busy.no_close = true;
	tt_src_connect(&busy, t.n[0], tt_addr(&t, 1), 5000, NULL);
	sim_run_until(t.sim, SIM_S(2));
	a.addr = tt_addr(&t, 1);
	a.port = 5555;		/* closed: refused */
	CU_ASSERT_PTR_NOT_NULL_FATAL(stream_connect(tcp_stack_host(v.st), &a,
	    NULL, &victim_cb, &v));
	sim_run_until(t.sim, SIM_S(60));
	CU_ASSERT_EQUAL(v.errors, 1);
	CU_ASSERT_PTR_NULL(tcp_stack_find(t.n[0]));
	CU_ASSERT_EQUAL(busy.errors, 0);	/* no callback after the free */
	tt_free(&t);

	/* on_receive of an accepted stream, which reads and closes */
	tt_build(&t, 2, SIM_S(1), MS, 100, 0);
	memset(&v, 0, sizeof(v));
	memset(&busy, 0, sizeof(busy));
	v.st = tcp_stack_get(t.n[1]);
	v.free_on_rx = true;
	CU_ASSERT_PTR_NOT_NULL_FATAL(stream_listen(tcp_stack_host(v.st), &la,
	    NULL, victim_accept, &v));
	busy.total = 1000;
	busy.no_close = true;
	tt_src_connect(&busy, t.n[0], tt_addr(&t, 1), 6000, NULL);
	sim_run_until(t.sim, SIM_S(10));
	CU_ASSERT_EQUAL(v.received, 1);
	CU_ASSERT_PTR_NULL(tcp_stack_find(t.n[1]));
	tt_free(&t);
}

static const struct test_case cases[] = {
	{ "the stack freed from its own callback", test_stack_free_from_callback },
	{ "TIME_WAIT ended by a new SYN", test_time_wait_reuse },
	{ "half-close, data the other way", test_half_close },
	{ "release and abort from a callback", test_release_and_abort },
	{ "unlisten during a handshake", test_unlisten_mid_handshake },
	{ "ports, conflicts and info", test_ports_and_info },
	{ "loopback connection", test_loopback },
	{ "VRFs kept apart", test_vrf_apart },
	{ "observer removes itself", test_observer_removes_itself },
	{ NULL, NULL },
};

int
main(int argc, char **argv)
{
	return test_main(argc, argv, "tcp_api", cases);
}
