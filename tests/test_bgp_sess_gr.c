/*
 * test_bgp_sess_gr.c - the graceful restart helper (RFC 4724 4.2), times
 * exact: r1's speaker restarts (freed and made again: its connection is
 * reset, no NOTIFICATION) and r0 keeps r1's routes, stale, in its Loc-RIB
 * and FIB until r1 is back and its End-of-RIB sweeps what it did not send
 * again; a restart that never comes back loses the routes at exactly the
 * restart time r1 advertised; a NOTIFICATION, or a new OPEN without the
 * forwarding state, deletes them at once. Consecutive restarts without
 * End-of-RIB delete what is still stale; another family's End-of-RIB
 * sweeps nothing.
 */
#include "bgp_sess_testutil.h"

#define RESTART_S 30
#define T_RESTART SIM_S(5)

static void
r1_speaker(struct bs_net *b, bool gr, bool both)
{
	struct bgp_neighbor_cfg nc;
	char err[128];

	bs_speaker(b, 1, 31898, "2.2.2.2", 0);
	bgp_neighbor_cfg_init(&nc, bs_ip("10.0.0.1"), 12076);
	nc.passive = true;
	nc.graceful_restart = gr;
	nc.gr_restart_s = RESTART_S;
	CU_ASSERT_EQUAL_FATAL(bgp_speaker_add_neighbor(b->sp[1], &nc, err,
	    sizeof(err)), 0);
	bgp_speaker_add_network(b->sp[1], bs_ip("172.16.0.0"), 16);
	if (both)
		bgp_speaker_add_network(b->sp[1], bs_ip("172.17.0.0"), 16);
}

/* r0 AS 12076 (10.0.0.1, active, helper) -- r1 AS 31898 (passive) */
static void
gr_pair(struct bs_net *b, struct bs_watch *w16, struct bs_watch *w17)
{
	struct bgp_neighbor_cfg nc;
	char err[128];

	bs_init(b, 2);
	bs_link(b, 0, 1, "10.0.0.0", D);
	bs_speaker(b, 0, 12076, "1.1.1.1", 0);
	bgp_neighbor_cfg_init(&nc, bs_ip("10.0.0.2"), 31898);
	nc.graceful_restart = true;
	CU_ASSERT_EQUAL_FATAL(bgp_speaker_add_neighbor(b->sp[0], &nc, err,
	    sizeof(err)), 0);
	r1_speaker(b, true, true);
	bs_watch(b, 0, w16, "172.16.0.0", 16);
	bs_watch(b, 0, w17, "172.17.0.0", 16);
	bs_start(b);
	sim_run_until(b->sim, T_RESTART);
	CU_ASSERT_EQUAL(bgp_speaker_peer_state(b->sp[0], bs_ip("10.0.0.2")),
	    BGP_ST_ESTABLISHED);
	CU_ASSERT_EQUAL(w16->n, 1);
	CU_ASSERT_EQUAL(w17->n, 1);
}

/* r1's speaker goes away: its connection is reset (RST, a 66-byte frame). */
static sim_time
crash_r1(struct bs_net *b)
{
	struct bgp_peer_stats s0;

	bgp_speaker_free(b->sp[1]);
	b->sp[1] = NULL;
	sim_run_until(b->sim, T_RESTART + SIM_MS(100));
	bgp_speaker_peer_stats(b->sp[0], bs_ip("10.0.0.2"), &s0);
	CU_ASSERT_EQUAL(s0.last_down, T_RESTART + D + TX(66));
	CU_ASSERT_EQUAL(s0.flaps, 1);
	return s0.last_down;
}

static void
restart_r1(struct bs_net *b, bool gr)
{
	char err[128] = "";

	r1_speaker(b, gr, false);
	CU_ASSERT_EQUAL_FATAL(bgp_speaker_start(b->sp[1], err, sizeof(err)),
	    0);
}

static void
test_restart_kept(void)
{
	struct bs_watch w16, w17;
	struct bgp_peer_stats s0;
	struct st_trace t;
	struct bs_net b;
	sim_time down, up, eor;

	gr_pair(&b, &w16, &w17);
	st_trace_open(&t, &b);
	down = crash_r1(&b);
	restart_r1(&b, true);
	/* during the restart r0 still forwards to r1 */
	sim_run_until(b.sim, down + SIM_S(4));
	CU_ASSERT_EQUAL(bs_via(&b, 0, "172.16.1.1"), bs_ip("10.0.0.2"));
	CU_ASSERT_EQUAL(bs_via(&b, 0, "172.17.1.1"), bs_ip("10.0.0.2"));
	CU_ASSERT_EQUAL(bgp_speaker_peer_state(b.sp[0], bs_ip("10.0.0.2")),
	    BGP_ST_IDLE);
	sim_run_until(b.sim, SIM_S(60));
	bgp_speaker_peer_stats(b.sp[0], bs_ip("10.0.0.2"), &s0);
	/*
	 * r0 reconnects after its IdleHoldTime (5 s); its OPEN carries the
	 * GR capability, 8 bytes more than the pair of test_bgp_speaker.c
	 */
	up = s0.last_established;
	CU_ASSERT_EQUAL(up, down + SIM_S(5) + T_UP_ACTIVE + TX(8));
	/*
	 * r1, Established one delay later, sends 172.16/16 (a 112-byte
	 * frame) and End-of-RIB (89) back to back: the sweep withdraws
	 * 172.17/16 as the End-of-RIB arrives; 172.16/16 never moved.
	 */
	eor = up + D + D + TX(112) + TX(89);
	CU_ASSERT_EQUAL(w16.n, 1);
	CU_ASSERT_EQUAL_FATAL(w17.n, 2);
	CU_ASSERT_EQUAL(w17.kind[1], RIB_WITHDRAWN);
	CU_ASSERT_EQUAL(w17.t[1], eor);
	CU_ASSERT_EQUAL(bs_via(&b, 0, "172.16.1.1"), bs_ip("10.0.0.2"));
	CU_ASSERT_EQUAL(bs_via(&b, 0, "172.17.1.1"), 0);
	CU_ASSERT_EQUAL(bgp_speaker_peer_in(b.sp[0], bs_ip("10.0.0.2")), 1);
	bs_unwatch(&b, 0, &w16);
	bs_unwatch(&b, 0, &w17);
	st_trace_close(&t, &b);
	bs_free(&b);
	CU_ASSERT_TRUE(st_trace_has(&t, 0, 1, "graceful restart: routes kept "
	    "stale for 30 s (2 routes)", down, NULL));
	/* both advertise the capability: r1 its 30 s, r0 the default 120 s */
	CU_ASSERT_TRUE(st_trace_has(&t, 0, 1, "bgp from 10.0.0.2: OPEN AS "
	    "31898 hold 90 id 2.2.2.2 caps mp(1/1) route-refresh "
	    "graceful-restart(30s) as4", -1, NULL));
	CU_ASSERT_TRUE(st_trace_has(&t, 1, 1, "graceful-restart(120s)", -1,
	    NULL));
	CU_ASSERT_TRUE(st_trace_has(&t, 0, 1, "End-of-RIB: stale routes "
	    "swept (1 routes)", eor, NULL));
	st_trace_done(&t);
}

static void
test_restart_never_back(void)
{
	struct bs_watch w16, w17;
	struct bs_net b;
	sim_time down;

	gr_pair(&b, &w16, &w17);
	down = crash_r1(&b);
	sim_run_until(b.sim, down + SIM_S(RESTART_S) - 1);
	CU_ASSERT_EQUAL(w16.n, 1);
	CU_ASSERT_EQUAL(bs_via(&b, 0, "172.16.1.1"), bs_ip("10.0.0.2"));
	sim_run_until(b.sim, down + SIM_S(RESTART_S) + SIM_S(10));
	CU_ASSERT_EQUAL_FATAL(w16.n, 2);
	CU_ASSERT_EQUAL(w16.kind[1], RIB_WITHDRAWN);
	CU_ASSERT_EQUAL(w16.t[1], down + SIM_S(RESTART_S));
	CU_ASSERT_EQUAL_FATAL(w17.n, 2);
	CU_ASSERT_EQUAL(w17.t[1], down + SIM_S(RESTART_S));
	CU_ASSERT_EQUAL(bs_via(&b, 0, "172.16.1.1"), 0);
	bs_unwatch(&b, 0, &w16);
	bs_unwatch(&b, 0, &w17);
	bs_free(&b);
}

/* A NOTIFICATION ends the session for good: the routes go at once. */
static void
test_notification_deletes(void)
{
	struct bs_watch w16, w17;
	struct bgp_peer_stats s0;
	struct bs_net b;

	gr_pair(&b, &w16, &w17);
	bgp_speaker_peer_stop(b.sp[1], bs_ip("10.0.0.1"));
	sim_run_until(b.sim, T_RESTART + SIM_S(1));
	bgp_speaker_peer_stats(b.sp[0], bs_ip("10.0.0.2"), &s0);
	CU_ASSERT_EQUAL(s0.last_down, T_RESTART + D + TX(66 + 21));
	CU_ASSERT_EQUAL_FATAL(w16.n, 2);
	CU_ASSERT_EQUAL(w16.t[1], s0.last_down);
	CU_ASSERT_EQUAL(w16.kind[1], RIB_WITHDRAWN);
	bs_unwatch(&b, 0, &w16);
	bs_unwatch(&b, 0, &w17);
	bs_free(&b);
}

/* A link gone silent: frames dropped on r0's side, both ways. */
static enum node_verdict
cut_filter(struct node *n, uint32_t ifindex, enum node_hook_dir dir,
    const struct pkt *frame, const struct wire_frame *f, const char **reason,
    void *ctx)
{
	(void)n;
	(void)ifindex;
	(void)dir;
	(void)frame;
	(void)f;
	*reason = "test: link silent";
	return *(const bool *)ctx ? NODE_DROP : NODE_ACCEPT;
}

/*
 * The hold timer (90 s) expires: r0 sends 4/0, so it is no restart (no
 * RFC 8538 N bit): the routes go in that very event.
 */
static void
test_hold_expiry_deletes(void)
{
	struct bs_watch w16, w17;
	struct bgp_peer_stats s0;
	struct bs_net b;
	bool cut = false;

	gr_pair(&b, &w16, &w17);
	node_iface_add_filter(b.n[0], 0, NODE_INGRESS, cut_filter, &cut);
	node_iface_add_filter(b.n[0], 0, NODE_EGRESS, cut_filter, &cut);
	cut = true;
	sim_run_until(b.sim, T_RESTART + SIM_S(100));
	bgp_speaker_peer_stats(b.sp[0], bs_ip("10.0.0.2"), &s0);
	CU_ASSERT_EQUAL(s0.last_down, s0.last_rx + SIM_S(90));
	CU_ASSERT_EQUAL(s0.last_notif_sent[0], BGP_ERR_HOLD);
	CU_ASSERT_EQUAL_FATAL(w16.n, 2);
	CU_ASSERT_EQUAL(w16.t[1], s0.last_down);
	CU_ASSERT_EQUAL(w16.kind[1], RIB_WITHDRAWN);
	cut = false;
	bs_unwatch(&b, 0, &w16);
	bs_unwatch(&b, 0, &w17);
	bs_free(&b);
}

/* Back without graceful restart: the stale routes go on Established. */
static void
test_back_without_gr(void)
{
	struct bs_watch w16, w17;
	struct bgp_peer_stats s0;
	struct bs_net b;

	gr_pair(&b, &w16, &w17);
	crash_r1(&b);
	restart_r1(&b, false);
	sim_run_until(b.sim, SIM_S(60));
	bgp_speaker_peer_stats(b.sp[0], bs_ip("10.0.0.2"), &s0);
	CU_ASSERT_EQUAL_FATAL(w17.n, 2);
	CU_ASSERT_EQUAL(w17.t[1], s0.last_established);
	/* 172.16/16 withdrawn then learnt again in the new session */
	CU_ASSERT_EQUAL_FATAL(w16.n, 3);
	CU_ASSERT_EQUAL(w16.t[1], s0.last_established);
	CU_ASSERT_EQUAL(w16.kind[2], RIB_ADDED);
	CU_ASSERT_EQUAL(bs_via(&b, 0, "172.16.1.1"), bs_ip("10.0.0.2"));
	bs_unwatch(&b, 0, &w16);
	bs_unwatch(&b, 0, &w17);
	bs_free(&b);
}

/*
 * A peer that comes back but never sends End-of-RIB (written by hand,
 * restart time 30 s): r0 keeps its two /24s through the restart, takes the
 * one it sends again as fresh, and sweeps the other exactly gr_stale_time
 * (50 s) after the new session's Established.
 */
static void
test_stale_time(void)
{
	static struct sendq q[2];
	struct bgp_neighbor_cfg nc;
	struct bgp_peer_stats s0;
	struct bs_watch w0, w1;
	struct bs_net b;
	struct raw r;
	char err[128];
	sim_time down;

	bs_init(&b, 2);
	bs_link(&b, 0, 1, "10.0.0.0", D);
	bs_speaker(&b, 0, 12076, "1.1.1.1", 0);
	bgp_neighbor_cfg_init(&nc, bs_ip("10.0.0.2"), 31898);
	nc.passive = true;
	nc.graceful_restart = true;
	nc.gr_stale_time = SIM_S(50);
	CU_ASSERT_EQUAL_FATAL(bgp_speaker_add_neighbor(b.sp[0], &nc, err,
	    sizeof(err)), 0);
	bs_watch(&b, 0, &w0, "172.16.0.0", 24);
	bs_watch(&b, 0, &w1, "172.16.1.0", 24);
	bs_start(&b);
	memset(&r, 0, sizeof(r));
	memset(q, 0, sizeof(q));
	r.gr_time_s = 30;
	raw_connect(&r, b.n[1], "10.0.0.1");
	q[0].r = q[1].r = &r;
	q_update(&q[0], 0, 2);
	raw_at(&b, SIM_S(1), &q[0]);
	sim_run_until(b.sim, SIM_S(2));
	CU_ASSERT_EQUAL(bgp_speaker_peer_in(b.sp[0], bs_ip("10.0.0.2")), 2);
	/* the peer restarts: reset, no NOTIFICATION */
	stream_abort(r.s);
	r.s = NULL;
	sim_run_until(b.sim, SIM_S(3));
	bgp_speaker_peer_stats(b.sp[0], bs_ip("10.0.0.2"), &s0);
	down = s0.last_down;
	CU_ASSERT_EQUAL(down, SIM_S(2) + D + TX(66));
	/* back after r0's IdleHoldTime (5 s), one /24 again, no End-of-RIB */
	sim_run_until(b.sim, SIM_S(10));
	raw_connect(&r, b.n[1], "10.0.0.1");
	q_update(&q[1], 0, 1);
	raw_at(&b, SIM_S(11), &q[1]);
	sim_run_until(b.sim, SIM_S(20));
	bgp_speaker_peer_stats(b.sp[0], bs_ip("10.0.0.2"), &s0);
	CU_ASSERT_EQUAL(bgp_speaker_peer_state(b.sp[0], bs_ip("10.0.0.2")),
	    BGP_ST_ESTABLISHED);
	CU_ASSERT_EQUAL(bgp_speaker_peer_in(b.sp[0], bs_ip("10.0.0.2")), 2);
	CU_ASSERT_EQUAL(w0.n, 1);
	CU_ASSERT_EQUAL(w1.n, 1);
	sim_run_until(b.sim, s0.last_established + SIM_S(50) - 1);
	CU_ASSERT_EQUAL(w1.n, 1);
	sim_run_until(b.sim, s0.last_established + SIM_S(60));
	CU_ASSERT_EQUAL(w0.n, 1);
	CU_ASSERT_EQUAL_FATAL(w1.n, 2);
	CU_ASSERT_EQUAL(w1.kind[1], RIB_WITHDRAWN);
	CU_ASSERT_EQUAL(w1.t[1], s0.last_established + SIM_S(50));
	CU_ASSERT_EQUAL(bgp_speaker_peer_in(b.sp[0], bs_ip("10.0.0.2")), 1);
	bs_unwatch(&b, 0, &w0);
	bs_unwatch(&b, 0, &w1);
	if (r.s != NULL)
		stream_abort(r.s);
	bs_free(&b);
}

/*
 * Consecutive restarts (RFC 4724 4.2: "a route (from the peer) previously
 * marked as stale MUST be deleted"): the peer of test_stale_time comes
 * back, sends 172.16.0.0/24 again, no End-of-RIB, and resets again within
 * its restart time, seven times. 172.16.1.0/24, last sent at 1 s, goes at
 * the second reset (without the rule it is kept stale for ever).
 */
static void
test_consecutive(void)
{
	static struct sendq q[8];
	struct bgp_neighbor_cfg nc;
	struct bgp_peer_stats s0;
	struct bs_watch w0, w1;
	struct bs_net b;
	struct raw r;
	char err[128];
	sim_time down[8];
	int k;

	bs_init(&b, 2);
	bs_link(&b, 0, 1, "10.0.0.0", D);
	bs_speaker(&b, 0, 12076, "1.1.1.1", 0);
	bgp_neighbor_cfg_init(&nc, bs_ip("10.0.0.2"), 31898);
	nc.passive = true;
	nc.graceful_restart = true;
	nc.gr_stale_time = SIM_S(50);
	CU_ASSERT_EQUAL_FATAL(bgp_speaker_add_neighbor(b.sp[0], &nc, err,
	    sizeof(err)), 0);
	bs_watch(&b, 0, &w0, "172.16.0.0", 24);
	bs_watch(&b, 0, &w1, "172.16.1.0", 24);
	bs_start(&b);
	memset(&r, 0, sizeof(r));
	memset(q, 0, sizeof(q));
	r.gr_time_s = 30;
	raw_connect(&r, b.n[1], "10.0.0.1");
	q[0].r = &r;
	q_update(&q[0], 0, 2);
	raw_at(&b, SIM_S(1), &q[0]);
	sim_run_until(b.sim, SIM_S(2));
	CU_ASSERT_EQUAL(bgp_speaker_peer_in(b.sp[0], bs_ip("10.0.0.2")), 2);
	for (k = 1; k < 8; k++) {
		sim_time t0 = sim_now(b.sim);

		stream_abort(r.s);
		r.s = NULL;
		sim_run_until(b.sim, t0 + SIM_S(8));
		bgp_speaker_peer_stats(b.sp[0], bs_ip("10.0.0.2"), &s0);
		down[k] = s0.last_down;
		raw_connect(&r, b.n[1], "10.0.0.1");
		q[k].r = &r;
		q_update(&q[k], 0, 1);
		raw_at(&b, t0 + SIM_S(9), &q[k]);
		sim_run_until(b.sim, t0 + SIM_S(20));
		CU_ASSERT_EQUAL(bgp_speaker_peer_state(b.sp[0],
		    bs_ip("10.0.0.2")), BGP_ST_ESTABLISHED);
		CU_ASSERT_EQUAL(bgp_speaker_peer_in(b.sp[0],
		    bs_ip("10.0.0.2")), 1 + (k == 1));
		CU_ASSERT_EQUAL(down[k], SIM_S(2 + 20 * (k - 1)) + D + TX(66));
	}
	CU_ASSERT_EQUAL(w0.n, 1);	/* sent each time: kept */
	CU_ASSERT_EQUAL_FATAL(w1.n, 2);
	CU_ASSERT_EQUAL(w1.kind[1], RIB_WITHDRAWN);
	CU_ASSERT_EQUAL(w1.t[1], SIM_S(22) + D + TX(66));	/* down[2] */
	CU_ASSERT_EQUAL(bs_via(&b, 0, "172.16.1.1"), 0);
	bs_unwatch(&b, 0, &w0);
	bs_unwatch(&b, 0, &w1);
	if (r.s != NULL)
		stream_abort(r.s);
	bs_free(&b);
}

static void
q_bytes(struct sendq *q, const uint8_t *b, size_t n)
{
	memcpy(q->b + q->n, b, n);
	q->n += n;
}

/*
 * Another family's End-of-RIB (RFC 4724 2: an UPDATE with only its
 * MP_UNREACH_NLRI; here IPv6 unicast, AFI 2 SAFI 1) is not IPv4's: the
 * peer of test_stale_time, back with one /24, sends it at 12 s and sweeps
 * nothing; its IPv4 End-of-RIB at 13 s sweeps the other /24.
 */
static void
test_other_family_eor(void)
{
	static const uint8_t v6eor[29] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
	    0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
	    0, 29, 2, 0, 0, 0, 6, 0x80, 15, 3, 0, 2, 1 };
	static const uint8_t eor[23] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
	    0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
	    0, 23, 2, 0, 0, 0, 0 };
	static struct sendq q[4];
	struct bgp_neighbor_cfg nc;
	struct bs_watch w1;
	struct bs_net b;
	struct raw r;
	char err[128];

	bs_init(&b, 2);
	bs_link(&b, 0, 1, "10.0.0.0", D);
	bs_speaker(&b, 0, 12076, "1.1.1.1", 0);
	bgp_neighbor_cfg_init(&nc, bs_ip("10.0.0.2"), 31898);
	nc.passive = true;
	nc.graceful_restart = true;
	CU_ASSERT_EQUAL_FATAL(bgp_speaker_add_neighbor(b.sp[0], &nc, err,
	    sizeof(err)), 0);
	bs_watch(&b, 0, &w1, "172.16.1.0", 24);
	bs_start(&b);
	memset(&r, 0, sizeof(r));
	memset(q, 0, sizeof(q));
	r.gr_time_s = 30;
	raw_connect(&r, b.n[1], "10.0.0.1");
	q[0].r = q[1].r = q[2].r = q[3].r = &r;
	q_update(&q[0], 0, 2);
	raw_at(&b, SIM_S(1), &q[0]);
	sim_run_until(b.sim, SIM_S(2));
	stream_abort(r.s);
	r.s = NULL;
	sim_run_until(b.sim, SIM_S(10));
	raw_connect(&r, b.n[1], "10.0.0.1");
	q_update(&q[1], 0, 1);
	raw_at(&b, SIM_S(11), &q[1]);
	q_bytes(&q[2], v6eor, sizeof(v6eor));
	raw_at(&b, SIM_S(12), &q[2]);
	q_bytes(&q[3], eor, sizeof(eor));
	raw_at(&b, SIM_S(13), &q[3]);
	sim_run_until(b.sim, SIM_S(12) + SIM_MS(500));
	CU_ASSERT_EQUAL(bgp_speaker_peer_state(b.sp[0], bs_ip("10.0.0.2")),
	    BGP_ST_ESTABLISHED);
	CU_ASSERT_EQUAL(bgp_speaker_peer_in(b.sp[0], bs_ip("10.0.0.2")), 2);
	CU_ASSERT_EQUAL(w1.n, 1);
	sim_run_until(b.sim, SIM_S(14));
	CU_ASSERT_EQUAL_FATAL(w1.n, 2);
	CU_ASSERT_EQUAL(w1.kind[1], RIB_WITHDRAWN);
	CU_ASSERT_EQUAL(w1.t[1], SIM_S(13) + D + TX(66 + 23));
	CU_ASSERT_EQUAL(bgp_speaker_peer_in(b.sp[0], bs_ip("10.0.0.2")), 1);
	bs_unwatch(&b, 0, &w1);
	if (r.s != NULL)
		stream_abort(r.s);
	bs_free(&b);
}

static const struct test_case cases[] = {
	{ "another family's End-of-RIB sweeps nothing",
	    test_other_family_eor },
	{ "consecutive restarts: still-stale routes deleted",
	    test_consecutive },
	{ "a peer's restart keeps its routes; End-of-RIB sweeps",
	    test_restart_kept },
	{ "a restart that never comes back: deleted at restart time",
	    test_restart_never_back },
	{ "a NOTIFICATION deletes the routes at once",
	    test_notification_deletes },
	{ "back without End-of-RIB: swept after the stale time",
	    test_stale_time },
	{ "a hold timer expiry deletes the routes at once",
	    test_hold_expiry_deletes },
	{ "back without the capability: stale routes deleted",
	    test_back_without_gr },
	{ NULL, NULL },
};

int
main(int argc, char **argv)
{
	return test_main(argc, argv, "bgp_sess_gr", cases);
}
