/*
 * test_bgp_sess_send.c - the speaker's send path: a NOTIFICATION queued
 * behind a full send buffer still reaches the peer (the connection
 * lingers until all is delivered and closed), and a peer that never
 * reads is reset exactly BGP_LINGER after the close; a table of 100,000
 * prefixes goes out with the speaker's own buffer held under its
 * high-water mark, packed in batches, all of it arriving; a buried
 * connection's stream is reset at once.
 */
#include "bgp_sess_testutil.h"
#include "bgp_speaker_int.h"

#define NPFX 100000u

/*
 * n /24s from 20.0.0.0 originated as bgp_speaker_add_network does (ORIGIN
 * IGP, empty path), straight into the Loc-RIB before the start: its
 * list of networks grows one entry a call, quadratic under ASan.
 */
static void
networks(struct bgp_speaker *sp, unsigned n)
{
	struct bgp_rib *br = bgp_speaker_rib(sp);
	struct bgp_intern *it = bgp_rib_intern(br);
	const struct bgp_attrs *ia;
	struct bgp_attrs a;
	struct bgp_attrs_var v;
	uint32_t base = bs_ip("20.0.0.0");
	unsigned i, ok = 0;

	memset(&a, 0, sizeof(a));
	memset(&v, 0, sizeof(v));
	a.has = BGP_HAS(BGP_ATTR_ORIGIN) | BGP_HAS(BGP_ATTR_AS_PATH) |
	    BGP_HAS(BGP_ATTR_NEXT_HOP);
	a.origin = BGP_ORIGIN_IGP;
	ia = bgp_intern_take(it, bgp_attrs_new(&a, &v));
	for (i = 0; i < n; i++)
		ok += bgp_rib_update(br, BGP_PEER_LOCAL, base + (i << 8), 24,
		    ia) == 1;
	bgp_intern_put(it, ia);
	CU_ASSERT_EQUAL_FATAL(ok, n);
}

/* r0 AS 12076 (active, n networks) -- r1 AS 31898 (passive) */
static void
big_pair(struct bs_net *b, unsigned n)
{
	bs_init(b, 2);
	bs_link(b, 0, 1, "10.0.0.0", D);
	bs_speaker(b, 0, 12076, "1.1.1.1", 0);
	bs_speaker(b, 1, 31898, "2.2.2.2", 0);
	bs_neighbor(b, 0, "10.0.0.2", 31898, NULL, false);
	bs_neighbor(b, 1, "10.0.0.1", 12076, NULL, true);
	networks(b->sp[0], n);
	bs_start(b);
}

/*
 * The export to a peer: batches of BGP_EXPORT_BATCH prefixes, each packed
 * 1,013 /24s to an UPDATE (4,096 bytes: 23 of header and lengths, 20 of
 * ORIGIN, AS_PATH 12076 and NEXT_HOP, 4 a prefix), the next batch only
 * while obuf is under BGP_OBUF_HIGH: 6 batches of 17 UPDATEs (16 of
 * 4,095 bytes and one of 747), then 1,696 prefixes in 2.
 */
#define PER_UPD 1013u
#define BATCH_BYTES (16u * 4095u + 747u)

static void
test_bounded_table(void)
{
	struct bgp_peer_stats s0, s1;
	struct bgp_peer *p;
	struct bs_net b;

	CU_ASSERT_EQUAL_FATAL(BGP_EXPORT_BATCH, 16384);
	CU_ASSERT_EQUAL_FATAL(BGP_OBUF_HIGH, 65536);
	big_pair(&b, NPFX);
	p = bgp_peer_find(b.sp[0], bs_ip("10.0.0.2"));
	sim_run_until(b.sim, SIM_S(10));
	bgp_speaker_peer_stats(b.sp[0], bs_ip("10.0.0.2"), &s0);
	bgp_speaker_peer_stats(b.sp[1], bs_ip("10.0.0.1"), &s1);
	CU_ASSERT_EQUAL(bgp_speaker_peer_in(b.sp[1], bs_ip("10.0.0.1")),
	    NPFX);
	CU_ASSERT_EQUAL(s0.prefixes_out, NPFX);
	CU_ASSERT_EQUAL(s1.prefixes_in, NPFX);
	/* and the End-of-RIB after them, counted on both sides */
	CU_ASSERT_EQUAL(s0.updates_out, 6 * 17 + 2 + 1);
	CU_ASSERT_EQUAL(s1.updates_in, 6 * 17 + 2 + 1);
	CU_ASSERT_TRUE(p->eor_sent);
	CU_ASSERT_FALSE(p->held);
	CU_ASSERT_EQUAL(bs_via(&b, 1, "20.1.134.1"), bs_ip("10.0.0.1"));
	/*
	 * The speaker's own buffer: under the mark plus one batch, where
	 * holding nothing back would have kept the whole table less what
	 * TCP's 128 KiB send buffer took (over 270,000 bytes).
	 */
	CU_ASSERT_TRUE(p->up->obuf_peak > 0);
	CU_ASSERT_TRUE(p->up->obuf_peak < 65536 + BATCH_BYTES);
	CU_ASSERT_EQUAL(p->up->olen, 0);
	bs_free(&b);
}

/*
 * A million prefixes over a 100 Mbps link (4 MB of UPDATEs, about 0.35 s
 * on the wire): obuf stays under the same bound, every prefix arrives, in
 * 61 batches of 17 UPDATEs and 576 prefixes in one more.
 */
static void
test_million_slow(void)
{
	struct link_params lp;
	struct bgp_peer_stats s0, s1;
	struct bgp_peer *p;
	struct bs_net b;
	uint32_t a0, a1;

	bs_init(&b, 2);
	memset(&lp, 0, sizeof(lp));
	lp.dir[0].rate_bps = lp.dir[1].rate_bps = 100000000ull;
	lp.dir[0].delay = lp.dir[1].delay = D;
	lp.qlimit_pkts = 1000;
	lp.mtu = 1500;
	a0 = node_add_iface(b.n[0], "e0", NULL, bs_ip("10.0.0.1"), 30, 0);
	a1 = node_add_iface(b.n[1], "e0", NULL, bs_ip("10.0.0.2"), 30, 0);
	b.l[b.nl++] = net_add_link(b.net, "l0", b.n[0], a0, b.n[1], a1, &lp);
	bs_speaker(&b, 0, 12076, "1.1.1.1", 0);
	bs_speaker(&b, 1, 31898, "2.2.2.2", 0);
	bs_neighbor(&b, 0, "10.0.0.2", 31898, NULL, false);
	bs_neighbor(&b, 1, "10.0.0.1", 12076, NULL, true);
	networks(b.sp[0], 1000000);
	bs_start(&b);
	p = bgp_peer_find(b.sp[0], bs_ip("10.0.0.2"));
	sim_run_until(b.sim, SIM_S(10));
	bgp_speaker_peer_stats(b.sp[0], bs_ip("10.0.0.2"), &s0);
	bgp_speaker_peer_stats(b.sp[1], bs_ip("10.0.0.1"), &s1);
	CU_ASSERT_EQUAL(bgp_speaker_peer_in(b.sp[1], bs_ip("10.0.0.1")),
	    1000000);
	CU_ASSERT_EQUAL(s0.updates_out, 61 * 17 + 1 + 1);
	CU_ASSERT_EQUAL(s1.updates_in, 61 * 17 + 1 + 1);
	CU_ASSERT_PTR_NOT_NULL_FATAL(p->up);
	CU_ASSERT_TRUE(p->up->obuf_peak > 0);
	CU_ASSERT_TRUE(p->up->obuf_peak < 65536 + BATCH_BYTES);
	CU_ASSERT_TRUE(p->eor_sent);
	bs_free(&b);
}

/*
 * A ManualStop while the table is still in obuf: the NOTIFICATION goes
 * after it, and r1 gets everything r0 handed over, then the Cease.
 */
static void
test_notification_after_queue(void)
{
	struct bgp_peer_stats s0, s1;
	struct bgp_peer *p;
	struct bs_net b;
	sim_time at = T_UP_ACTIVE + SIM_MS(1);

	big_pair(&b, NPFX);
	p = bgp_peer_find(b.sp[0], bs_ip("10.0.0.2"));
	sim_run_until(b.sim, at);
	CU_ASSERT_PTR_NOT_NULL_FATAL(p->up);
	CU_ASSERT_TRUE(p->up->olen > 0);
	CU_ASSERT_TRUE(p->held);
	bgp_speaker_peer_stop(b.sp[0], bs_ip("10.0.0.2"));
	CU_ASSERT_PTR_NOT_NULL(b.sp[0]->lingering);
	sim_run_until(b.sim, SIM_S(5));
	bgp_speaker_peer_stats(b.sp[0], bs_ip("10.0.0.2"), &s0);
	bgp_speaker_peer_stats(b.sp[1], bs_ip("10.0.0.1"), &s1);
	CU_ASSERT_EQUAL(s0.last_down, at);
	CU_ASSERT_EQUAL(s1.last_notif_rcvd[0], BGP_ERR_CEASE);
	CU_ASSERT_EQUAL(s1.last_notif_rcvd[1], BGP_CEASE_ADMIN_SHUTDOWN);
	CU_ASSERT_TRUE(s1.last_down > at);
	/* what was sent, before the stop, all arrived */
	CU_ASSERT_TRUE(s0.updates_out > 0);
	CU_ASSERT_TRUE(s0.prefixes_out < NPFX);
	CU_ASSERT_EQUAL(s1.updates_in, s0.updates_out);
	CU_ASSERT_EQUAL(s1.prefixes_in, s0.prefixes_out);
	/* r1 reset the connection on the NOTIFICATION: the linger is over */
	CU_ASSERT_PTR_NULL(b.sp[0]->lingering);
	bs_free(&b);
}

/* ---- a peer that never reads ---- */

struct deaf {
	struct sim *sim;
	struct stream *s;
	sim_time err_at;
	enum stream_err err;
};

static void
deaf_rx(struct stream *s, void *ctx)
{
	(void)s;
	(void)ctx;	/* never reads: its window closes */
}

static void
deaf_err(struct stream *s, enum stream_err err, void *ctx)
{
	struct deaf *d = ctx;

	(void)s;
	d->s = NULL;
	d->err = err;
	d->err_at = sim_now(d->sim);
}

static const struct stream_cb deaf_cb = {
	.on_receive = deaf_rx,
	.on_error = deaf_err,
};

/* Accepts r0, sends its OPEN (hold 0) and a KEEPALIVE, reads nothing. */
static void
deaf_accept(struct stream_listener *l, struct stream *s, void *ctx)
{
	struct deaf *d = ctx;
	struct bgp_msg m;
	uint8_t out[BGP_MAX_LEN];
	size_t n;

	(void)l;
	d->s = s;
	stream_set_cb(s, &deaf_cb, d);
	memset(&m, 0, sizeof(m));
	m.type = BGP_OPEN;
	bgp_open_init(&m.u.open, 31898, 0, bs_ip("2.2.2.2"));
	n = bgp_encode(&m, true, out);
	n += bgp_encode_keepalive(out + n);
	stream_send(s, out, n);
}

static void
test_linger_bound(void)
{
	struct stream_addr la = { 0, BGP_PORT };
	struct stream_opts o;
	struct stream_listener *l;
	struct bgp_peer_stats s0;
	struct bgp_peer *p;
	struct deaf d;
	struct bs_net b;
	sim_time at = SIM_S(1);

	bs_init(&b, 2);
	bs_link(&b, 0, 1, "10.0.0.0", D);
	bs_speaker(&b, 0, 12076, "1.1.1.1", 0);
	bs_neighbor(&b, 0, "10.0.0.2", 31898, NULL, false);
	networks(b.sp[0], NPFX);
	memset(&d, 0, sizeof(d));
	d.sim = b.sim;
	memset(&o, 0, sizeof(o));
	o.nodelay = 1;
	l = stream_listen(tcp_stack_host(tcp_stack_get(b.n[1])), &la, &o,
	    deaf_accept, &d);
	CU_ASSERT_PTR_NOT_NULL_FATAL(l);
	bs_start(&b);
	p = bgp_peer_find(b.sp[0], bs_ip("10.0.0.2"));
	sim_run_until(b.sim, at);
	CU_ASSERT_PTR_NOT_NULL_FATAL(p->up);
	CU_ASSERT_TRUE(p->held);
	CU_ASSERT_TRUE(p->up->olen > 0);
	bgp_speaker_peer_stop(b.sp[0], bs_ip("10.0.0.2"));
	sim_run_until(b.sim, at + BGP_LINGER - 1);
	CU_ASSERT_PTR_NOT_NULL(b.sp[0]->lingering);
	CU_ASSERT_PTR_NOT_NULL(d.s);
	sim_run_until(b.sim, at + BGP_LINGER + SIM_S(1));
	CU_ASSERT_PTR_NULL(b.sp[0]->lingering);
	/* the reset (a 66-byte frame) reaches the deaf peer */
	CU_ASSERT_PTR_NULL(d.s);
	CU_ASSERT_EQUAL(d.err, STREAM_RESET);
	CU_ASSERT_EQUAL(d.err_at, at + BGP_LINGER + D + TX(66));
	bgp_speaker_peer_stats(b.sp[0], bs_ip("10.0.0.2"), &s0);
	CU_ASSERT_EQUAL(s0.last_down, at);
	stream_unlisten(l);
	bs_free(&b);
}

/* bgp_conn_bury resets the stream now, not at the reap. */
static void
test_bury_aborts(void)
{
	struct bgp_peer_stats s0;
	struct bgp_peer *p1;
	struct bgp_conn *c;
	struct bs_net b;
	sim_time at = T_UP_ACTIVE - 1;

	big_pair(&b, 1);
	sim_run_until(b.sim, at);
	p1 = bgp_peer_find(b.sp[1], bs_ip("10.0.0.1"));
	c = p1->c[0];
	CU_ASSERT_EQUAL_FATAL(bgp_fsm_state(c->fsm), BGP_ST_OPENCONFIRM);
	CU_ASSERT_PTR_NOT_NULL_FATAL(c->s);
	CU_ASSERT_NOT_EQUAL(bgp_fsm_timer_expiry(c->fsm, BGP_TM_HOLD),
	    SIM_TIME_MAX);
	bgp_conn_bury(c);
	CU_ASSERT_TRUE(c->dead);
	CU_ASSERT_PTR_NULL(c->s);
	/* and its FSM's timers stopped */
	for (int i = 0; i < BGP_TM_MAX; i++)
		CU_ASSERT_EQUAL(bgp_fsm_timer_expiry(c->fsm,
		    (enum bgp_fsm_timer)i), SIM_TIME_MAX);
	CU_ASSERT_PTR_NULL(p1->c[0]);
	sim_run_until(b.sim, SIM_S(1));
	/* r0 came up on r1's KEEPALIVE, then the reset arrived */
	bgp_speaker_peer_stats(b.sp[0], bs_ip("10.0.0.2"), &s0);
	CU_ASSERT_EQUAL(s0.first_established, T_UP_ACTIVE);
	CU_ASSERT_EQUAL(s0.last_down, at + D + TX(66));
	bs_free(&b);
}

static const struct test_case cases[] = {
	{ "100,000 prefixes: obuf bounded, all arrive",
	    test_bounded_table },
	{ "1,000,000 prefixes to a slower link: bounded, all arrive",
	    test_million_slow },
	{ "a NOTIFICATION behind a full buffer arrives",
	    test_notification_after_queue },
	{ "a peer that never reads is reset after BGP_LINGER",
	    test_linger_bound },
	{ "a buried connection is reset at once", test_bury_aborts },
	{ NULL, NULL },
};

int
main(int argc, char **argv)
{
	return test_main(argc, argv, "bgp_sess_send", cases);
}
