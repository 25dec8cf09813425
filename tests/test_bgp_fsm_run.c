/*
 * test_bgp_fsm_run.c - the BGP-4 session state machine over time, through
 * the fake speaker of bgp_fsm_testutil.h, every time exact: the normal
 * bring-up with keepalives at hold/3 and the hold timer reset by KEEPALIVE
 * and UPDATE, hold expiry (NOTIFICATION 4/0), hold 0, negotiation, an
 * unacceptable hold, passive, DelayOpen, ConnectRetry, jitter, damping of
 * a flapping peer, collision with two FSMs, ManualStop (Cease 6/2), the
 * MSEE's 60 s / 180 s, the counters and AutomaticStop.
 */
#include "bgp_fsm_testutil.h"

static void
test_bring_up(void)
{
	struct sim *sim = sim_new(1);
	struct bgp_fsm_cfg c = plain_cfg();
	struct rec r;
	struct bgp_fsm *f = mk(&r, sim, &c);
	const struct bgp_fsm_stats *st = bgp_fsm_stats(f);
	int i;

	bgp_fsm_start(f);
	CU_ASSERT_EQUAL(bgp_fsm_state(f), BGP_ST_CONNECT);
	CU_ASSERT_STRING_EQUAL(acts(&r), "connect");
	CU_ASSERT_STRING_EQUAL(r.reason, "ManualStart");
	CU_ASSERT_EQUAL(bgp_fsm_timer_expiry(f, BGP_TM_CONNECT_RETRY),
	    SIM_S(120));
	CU_ASSERT_TRUE(bgp_fsm_accepts(f));
	at(sim, SIM_S(1));
	ev(f, BGP_EV_TCP_CR_ACKED);
	CU_ASSERT_EQUAL(bgp_fsm_state(f), BGP_ST_OPENSENT);
	CU_ASSERT_TRUE(bgp_fsm_outgoing(f));
	CU_ASSERT_EQUAL(r.open_hold, 90);
	/* 8.2.2: the large initial hold of 4 minutes */
	CU_ASSERT_EQUAL(bgp_fsm_timer_expiry(f, BGP_TM_HOLD), SIM_S(241));
	CU_ASSERT_EQUAL(bgp_fsm_timer_expiry(f, BGP_TM_CONNECT_RETRY),
	    SIM_TIME_MAX);
	at(sim, SIM_S(2));
	bgp_fsm_rx_open(f, 90);
	CU_ASSERT_EQUAL(bgp_fsm_state(f), BGP_ST_OPENCONFIRM);
	CU_ASSERT_EQUAL(bgp_fsm_hold_s(f), 90);
	CU_ASSERT_EQUAL(bgp_fsm_keepalive_interval(f), SIM_S(30));
	CU_ASSERT_EQUAL(bgp_fsm_timer_expiry(f, BGP_TM_HOLD), SIM_S(92));
	CU_ASSERT_EQUAL(bgp_fsm_timer_expiry(f, BGP_TM_KEEPALIVE), SIM_S(32));
	at(sim, SIM_S(3));
	ev(f, BGP_EV_KEEPALIVE);
	CU_ASSERT_EQUAL(bgp_fsm_state(f), BGP_ST_ESTABLISHED);
	CU_ASSERT_STRING_EQUAL(acts(&r), "connect,open,ka,up");
	CU_ASSERT_STRING_EQUAL(r.reason, "KeepAliveMsg");
	CU_ASSERT_EQUAL(st->last_established, SIM_S(3));
	CU_ASSERT_EQUAL(st->established, 1);
	CU_ASSERT_EQUAL(st->transitions, 4);
	CU_ASSERT_EQUAL(r.changes, 4);
	CU_ASSERT_EQUAL(bgp_fsm_timer_expiry(f, BGP_TM_HOLD), SIM_S(93));
	clear(&r);

	/* keepalives every hold/3 = 30 s; the peer's KEEPALIVE and UPDATE
	 * push the hold timer; an UPDATE we send pushes our keepalive */
	at(sim, SIM_S(50));
	ev(f, BGP_EV_KEEPALIVE);
	CU_ASSERT_EQUAL(bgp_fsm_timer_expiry(f, BGP_TM_HOLD), SIM_S(140));
	at(sim, SIM_S(100));
	ev(f, BGP_EV_UPDATE);
	CU_ASSERT_EQUAL(bgp_fsm_timer_expiry(f, BGP_TM_HOLD), SIM_S(190));
	at(sim, SIM_S(101));
	bgp_fsm_msg_out(f, BGP_UPDATE);
	CU_ASSERT_EQUAL(bgp_fsm_timer_expiry(f, BGP_TM_KEEPALIVE),
	    SIM_S(131));
	at(sim, SIM_S(189));
	CU_ASSERT_EQUAL(bgp_fsm_state(f), BGP_ST_ESTABLISHED);
	CU_ASSERT_STRING_EQUAL(acts(&r), "ka,ka,ka,ka,ka");
	{
		static const int64_t want[] = { 32, 62, 92, 131, 161 };

		for (i = 0; i < 5; i++)
			CU_ASSERT_EQUAL(r.at[i], SIM_S(want[i]));
	}
	/* the peer went silent at 100 s: hold expires at 190 s */
	at(sim, SIM_S(190));
	CU_ASSERT_STRING_EQUAL(acts(&r),
	    "ka,ka,ka,ka,ka,notif 4/0,close+n,down");
	CU_ASSERT_EQUAL(r.at[7], SIM_S(190));
	CU_ASSERT_EQUAL(sim_pending(sim), 0);
	bgp_fsm_free(f);
	sim_free(sim);
}

static void
test_hold_expiry(void)
{
	struct sim *sim = sim_new(1);
	struct bgp_fsm_cfg c = plain_cfg();
	struct rec r;
	struct bgp_fsm *f = mk(&r, sim, &c);
	const struct bgp_fsm_stats *st = bgp_fsm_stats(f);

	bring_up(f, sim, 0, 90);
	clear(&r);
	at(sim, SIM_S(93) + 1);		/* silent peer: hold from 3 s */
	CU_ASSERT_STRING_EQUAL(acts(&r), "ka,ka,ka,notif 4/0,close+n,down");
	CU_ASSERT_EQUAL(r.at[3], SIM_S(93));
	CU_ASSERT_EQUAL(r.at[5], SIM_S(93));
	CU_ASSERT_EQUAL(bgp_fsm_state(f), BGP_ST_IDLE);
	CU_ASSERT_STRING_EQUAL(r.reason, "Hold Timer Expired");
	CU_ASSERT_EQUAL(r.down.why, BGP_WHY_HOLD_EXPIRED);
	CU_ASSERT_EQUAL(r.down.code, 4);
	CU_ASSERT_EQUAL(st->flaps, 1);
	CU_ASSERT_EQUAL(st->last_down, SIM_S(93));
	CU_ASSERT_EQUAL(st->last_error.why, BGP_WHY_HOLD_EXPIRED);
	CU_ASSERT_EQUAL(st->last_error.when, SIM_S(93));
	CU_ASSERT_EQUAL(bgp_fsm_connect_retry_counter(f), 1);
	CU_ASSERT_FALSE(bgp_fsm_accepts(f));
	/* nothing left running: no automatic restart configured */
	CU_ASSERT_EQUAL(sim_pending(sim), 0);
	bgp_fsm_free(f);
	sim_free(sim);
}

static void
test_hold_zero(void)
{
	uint16_t ours[] = { 90, 0 }, theirs[] = { 0, 90 };
	int i;

	for (i = 0; i < 2; i++) {
		struct sim *sim = sim_new(1);
		struct bgp_fsm_cfg c = plain_cfg();
		struct rec r;
		struct bgp_fsm *f;

		c.hold_s = ours[i];
		f = mk(&r, sim, &c);
		bring_up(f, sim, 0, theirs[i]);
		CU_ASSERT_EQUAL(bgp_fsm_state(f), BGP_ST_ESTABLISHED);
		CU_ASSERT_EQUAL(bgp_fsm_hold_s(f), 0);
		CU_ASSERT_EQUAL(bgp_fsm_keepalive_interval(f), 0);
		clear(&r);
		at(sim, SIM_S(3600));
		ev(f, BGP_EV_UPDATE);
		bgp_fsm_msg_out(f, BGP_UPDATE);
		at(sim, SIM_S(7200));
		CU_ASSERT_EQUAL(bgp_fsm_state(f), BGP_ST_ESTABLISHED);
		CU_ASSERT_EQUAL(r.n, 0);
		CU_ASSERT_EQUAL(sim_pending(sim), 0);
		bgp_fsm_free(f);
		sim_free(sim);
	}
}

static void
test_negotiation(void)
{
	static const struct {
		uint16_t ours, ka, theirs, hold;
		sim_time ka_iv;
	} tc[] = {
		{ 90, 0, 30, 30, SIM_S(10) },	/* the lower wins */
		{ 90, 0, 240, 90, SIM_S(30) },
		{ 180, 60, 180, 180, SIM_S(60) },	/* MSEE */
		{ 180, 60, 90, 90, SIM_S(30) },	/* hold/3 below 60 */
		{ 90, 0, 3, 3, SIM_S(1) },	/* the RFC's minimum */
		{ 10, 0, 10, 10, SIM_S(10) / 3 },	/* exact ns */
	};
	sim_time want;
	size_t i;

	for (i = 0; i < sizeof(tc) / sizeof(tc[0]); i++) {
		struct sim *sim = sim_new(1);
		struct bgp_fsm_cfg c = plain_cfg();
		struct rec r;
		struct bgp_fsm *f;

		c.hold_s = tc[i].ours;
		c.keepalive_s = tc[i].ka;
		f = mk(&r, sim, &c);
		bring_up(f, sim, 0, tc[i].theirs);
		CU_ASSERT_EQUAL(bgp_fsm_hold_s(f), tc[i].hold);
		CU_ASSERT_EQUAL(bgp_fsm_keepalive_interval(f), tc[i].ka_iv);
		/* set at 2 s; bring_up ran to 3 s */
		want = SIM_S(2) + tc[i].ka_iv;
		while (want <= SIM_S(3))
			want += tc[i].ka_iv;
		CU_ASSERT_EQUAL(bgp_fsm_timer_expiry(f, BGP_TM_KEEPALIVE),
		    want);
		bgp_fsm_free(f);
		sim_free(sim);
	}
}

/* 4.2: 1 and 2 are refused with 2/6; so is below the MSEE's minimum. */
static void
test_bad_hold(void)
{
	static const struct {
		const struct bgp_fsm_cfg *cfg;
		uint16_t theirs;
	} tc[] = {
		{ &bgp_fsm_default_cfg, 1 },
		{ &bgp_fsm_default_cfg, 2 },
		{ &bgp_fsm_msee_cfg, 9 },
	};
	size_t i;

	for (i = 0; i < sizeof(tc) / sizeof(tc[0]); i++) {
		struct sim *sim = sim_new(1);
		struct bgp_fsm_cfg c = *tc[i].cfg;
		struct rec r;
		struct bgp_fsm *f;

		c.jitter = false;
		c.auto_start = false;
		f = mk(&r, sim, &c);
		bgp_fsm_start(f);
		ev(f, BGP_EV_TCP_CR_ACKED);
		clear(&r);
		bgp_fsm_rx_open(f, tc[i].theirs);
		CU_ASSERT_EQUAL(bgp_fsm_state(f), BGP_ST_IDLE);
		CU_ASSERT_STRING_EQUAL(acts(&r), "notif 2/6,close+n");
		CU_ASSERT_STRING_EQUAL(r.reason,
		    "sent OPEN Message Error / Unacceptable Hold Time");
		bgp_fsm_free(f);
		sim_free(sim);
	}
}

static void
test_passive(void)
{
	struct sim *sim = sim_new(1);
	struct bgp_fsm_cfg c = plain_cfg();
	struct rec r;
	struct bgp_fsm *f;

	c.passive = true;
	f = mk(&r, sim, &c);
	bgp_fsm_start(f);
	CU_ASSERT_EQUAL(bgp_fsm_state(f), BGP_ST_ACTIVE);
	CU_ASSERT_STRING_EQUAL(r.reason,
	    "ManualStart_with_PassiveTcpEstablishment");
	CU_ASSERT_TRUE(bgp_fsm_accepts(f));
	at(sim, SIM_S(1000));
	/* never connects, however long it waits */
	CU_ASSERT_EQUAL(bgp_fsm_state(f), BGP_ST_ACTIVE);
	CU_ASSERT_EQUAL(r.n, 0);
	ev(f, BGP_EV_TCP_CONFIRMED);
	CU_ASSERT_EQUAL(bgp_fsm_state(f), BGP_ST_OPENSENT);
	CU_ASSERT_FALSE(bgp_fsm_outgoing(f));
	CU_ASSERT_STRING_EQUAL(acts(&r), "open");
	CU_ASSERT_EQUAL(bgp_fsm_timer_expiry(f, BGP_TM_HOLD), SIM_S(1240));
	bgp_fsm_free(f);
	sim_free(sim);
}

static void
test_delay_open(void)
{
	int peer_first;

	for (peer_first = 0; peer_first < 2; peer_first++) {
		struct sim *sim = sim_new(1);
		struct bgp_fsm_cfg c = plain_cfg();
		struct rec r;
		struct bgp_fsm *f;

		c.delay_open = true;
		c.delay_open_s = 5;
		f = mk(&r, sim, &c);
		bgp_fsm_start(f);
		at(sim, SIM_S(1));
		ev(f, BGP_EV_TCP_CR_ACKED);
		CU_ASSERT_EQUAL(bgp_fsm_state(f), BGP_ST_CONNECT);
		CU_ASSERT_EQUAL(bgp_fsm_timer_expiry(f, BGP_TM_DELAY_OPEN),
		    SIM_S(6));
		CU_ASSERT_EQUAL(bgp_fsm_timer_expiry(f,
		    BGP_TM_CONNECT_RETRY), SIM_TIME_MAX);
		if (peer_first) {
			at(sim, SIM_S(3));
			bgp_fsm_rx_open(f, 90);
			CU_ASSERT_EQUAL(bgp_fsm_state(f),
			    BGP_ST_OPENCONFIRM);
			CU_ASSERT_STRING_EQUAL(acts(&r), "connect,open,ka");
			CU_ASSERT_EQUAL(r.at[1], SIM_S(3));
			CU_ASSERT_STRING_EQUAL(r.reason,
			    "BGPOpen with DelayOpenTimer running");
			CU_ASSERT_EQUAL(bgp_fsm_timer_expiry(f, BGP_TM_HOLD),
			    SIM_S(93));
		} else {
			at(sim, SIM_S(10));
			CU_ASSERT_EQUAL(bgp_fsm_state(f), BGP_ST_OPENSENT);
			CU_ASSERT_STRING_EQUAL(acts(&r), "connect,open");
			CU_ASSERT_EQUAL(r.at[1], SIM_S(6));
			CU_ASSERT_STRING_EQUAL(r.reason,
			    "DelayOpenTimer_Expires");
		}
		bgp_fsm_free(f);
		sim_free(sim);
	}
}

static void
test_connect_retry(void)
{
	struct sim *sim = sim_new(1);
	struct bgp_fsm_cfg c = plain_cfg();
	struct rec r;
	struct bgp_fsm *f = mk(&r, sim, &c);

	bgp_fsm_start(f);
	at(sim, SIM_S(250));
	CU_ASSERT_EQUAL(bgp_fsm_state(f), BGP_ST_CONNECT);
	CU_ASSERT_STRING_EQUAL(acts(&r),
	    "connect,close,connect,close,connect");
	CU_ASSERT_EQUAL(r.at[2], SIM_S(120));
	CU_ASSERT_EQUAL(r.at[4], SIM_S(240));
	CU_ASSERT_EQUAL(r.changes, 1);		/* no transition */
	CU_ASSERT_EQUAL(bgp_fsm_timer_expiry(f, BGP_TM_CONNECT_RETRY),
	    SIM_S(360));
	/* the peer's SYN arrives while we are still trying */
	ev(f, BGP_EV_TCP_CONFIRMED);
	CU_ASSERT_EQUAL(bgp_fsm_state(f), BGP_ST_OPENSENT);
	bgp_fsm_free(f);
	sim_free(sim);
}

/* RFC 4271 10: each ConnectRetry and Keepalive drawn in 0.75-1.0. */
static void
test_jitter(void)
{
	sim_time first[2][8];
	int run, i;

	for (run = 0; run < 2; run++) {
		struct sim *sim = sim_new(7);
		struct bgp_fsm_cfg c = bgp_fsm_default_cfg;
		struct rec r;
		struct bgp_fsm *f;
		sim_time prev = 0;

		c.auto_start = false;
		f = mk(&r, sim, &c);
		bgp_fsm_start(f);
		at(sim, SIM_S(1000));
		CU_ASSERT_TRUE(r.n >= 17);
		for (i = 0; i < 8; i++) {
			sim_time t = r.at[2 + 2 * i], d = t - prev;

			CU_ASSERT_STRING_EQUAL(r.act[2 + 2 * i], "connect");
			CU_ASSERT_TRUE(d >= SIM_S(90) && d <= SIM_S(120));
			first[run][i] = t;
			prev = t;
		}
		bgp_fsm_free(f);
		sim_free(sim);
	}
	/* same seed and name: the same draws; and not all the same */
	CU_ASSERT_EQUAL(memcmp(first[0], first[1], sizeof(first[0])), 0);
	CU_ASSERT_NOT_EQUAL(first[0][1] - first[0][0],
	    first[0][2] - first[0][1]);
	{
		struct sim *sim = sim_new(7);
		struct bgp_fsm_cfg c = bgp_fsm_default_cfg;
		struct rec r;
		struct bgp_fsm *f;
		sim_time prev, d;

		c.auto_start = false;
		f = mk(&r, sim, &c);
		bring_up(f, sim, 0, 90);
		clear(&r);
		prev = SIM_S(2);	/* keepalive timer set at BGPOpen */
		for (i = 0; i < 6; i++) {
			at(sim, prev + SIM_S(30));
			CU_ASSERT_EQUAL_FATAL(r.n, i + 1);
			d = r.at[i] - prev;
			CU_ASSERT_TRUE(d >= SIM_MS(22500) && d <= SIM_S(30));
			prev = r.at[i];
			ev(f, BGP_EV_KEEPALIVE);
		}
		bgp_fsm_free(f);
		sim_free(sim);
	}
}

/* A flapping peer: BIRD's doubling IdleHoldTime, capped, then forgotten. */
static void
test_damping(void)
{
	static const int64_t want[] = { 60, 120, 240, 300, 300 };
	struct sim *sim = sim_new(1);
	struct bgp_fsm_cfg c = plain_cfg();
	struct rec r;
	struct bgp_fsm *f;
	sim_time t = 0;
	size_t i;

	c.auto_start = true;
	c.damp = true;
	f = mk(&r, sim, &c);
	CU_ASSERT_EQUAL(bgp_fsm_idle_hold_time(f), SIM_S(5));
	bring_up(f, sim, 0, 90);
	for (i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		struct bgp_fsm_arg a = { .notif = { 6, 4, NULL, 0 } };

		t = sim_now(sim) + SIM_S(10);
		at(sim, t);
		bgp_fsm_event(f, BGP_EV_NOTIF, &a);	/* peer resets */
		CU_ASSERT_EQUAL(bgp_fsm_state(f), BGP_ST_IDLE);
		CU_ASSERT_STRING_EQUAL(r.reason,
		    "received Cease / Administrative Reset");
		CU_ASSERT_EQUAL(bgp_fsm_idle_hold_time(f), SIM_S(want[i]));
		CU_ASSERT_EQUAL(bgp_fsm_timer_expiry(f, BGP_TM_IDLE_HOLD),
		    t + SIM_S(want[i]));
		/* an AutomaticStart with damping waits for it */
		ev(f, BGP_EV_AUTO_START_DAMP);
		CU_ASSERT_EQUAL(bgp_fsm_state(f), BGP_ST_IDLE);
		clear(&r);
		at(sim, t + SIM_S(want[i]));
		CU_ASSERT_EQUAL(bgp_fsm_state(f), BGP_ST_CONNECT);
		CU_ASSERT_STRING_EQUAL(acts(&r), "connect");
		CU_ASSERT_EQUAL(r.at[0], t + SIM_S(want[i]));
		CU_ASSERT_STRING_EQUAL(r.reason, "IdleHoldTimer_Expires");
		ev(f, BGP_EV_TCP_CR_ACKED);
		bgp_fsm_rx_open(f, 90);
		ev(f, BGP_EV_KEEPALIVE);
	}
	CU_ASSERT_EQUAL(bgp_fsm_stats(f)->flaps, 5);
	CU_ASSERT_EQUAL(bgp_fsm_stats(f)->damped, 5);
	CU_ASSERT_EQUAL(bgp_fsm_stats(f)->established, 6);
	/* up again 299 s after the restart: still growing (capped) */
	t = sim_now(sim);		/* the restart */
	for (i = 0; i < 9; i++) {
		at(sim, sim_now(sim) + SIM_S(30));
		ev(f, BGP_EV_KEEPALIVE);
	}
	at(sim, t + SIM_S(299));
	ev(f, BGP_EV_TCP_FAILS);
	CU_ASSERT_EQUAL(bgp_fsm_idle_hold_time(f), SIM_S(300));
	/* stable for the forget time (300 s since the restart): reset */
	at(sim, t + SIM_S(599));
	CU_ASSERT_EQUAL(bgp_fsm_state(f), BGP_ST_CONNECT);
	ev(f, BGP_EV_TCP_CR_ACKED);
	bgp_fsm_rx_open(f, 90);
	ev(f, BGP_EV_KEEPALIVE);
	for (i = 0; i < 10; i++) {
		at(sim, sim_now(sim) + SIM_S(30));
		ev(f, BGP_EV_KEEPALIVE);
	}
	CU_ASSERT_EQUAL(sim_now(sim), t + SIM_S(899));
	CU_ASSERT_EQUAL(bgp_fsm_state(f), BGP_ST_ESTABLISHED);
	ev(f, BGP_EV_TCP_FAILS);
	CU_ASSERT_STRING_EQUAL(r.reason, "TCP connection failed");
	CU_ASSERT_EQUAL(bgp_fsm_idle_hold_time(f), SIM_S(60));
	/* a ManualStop in Idle cancels the automatic restart */
	ev(f, BGP_EV_MANUAL_STOP);
	CU_ASSERT_EQUAL(sim_pending(sim), 0);
	bgp_fsm_free(f);
	sim_free(sim);

	/* without damping: the fixed IdleHoldTime every time */
	sim = sim_new(1);
	c.damp = false;
	f = mk(&r, sim, &c);
	bring_up(f, sim, 0, 90);
	for (i = 0; i < 3; i++) {
		t = sim_now(sim);
		ev(f, BGP_EV_TCP_FAILS);
		CU_ASSERT_EQUAL(bgp_fsm_timer_expiry(f, BGP_TM_IDLE_HOLD),
		    t + SIM_S(5));
		at(sim, t + SIM_S(5));
		CU_ASSERT_EQUAL(bgp_fsm_state(f), BGP_ST_CONNECT);
		ev(f, BGP_EV_TCP_CR_ACKED);
		bgp_fsm_rx_open(f, 90);
		ev(f, BGP_EV_KEEPALIVE);
	}
	bgp_fsm_free(f);
	sim_free(sim);
}

/* 6.8 with two FSMs as the speaker will run them, both ways. */
static void
test_collision_fsms(void)
{
	int local_higher;

	for (local_higher = 0; local_higher < 2; local_higher++) {
		struct sim *sim = sim_new(1);
		struct bgp_fsm_cfg c = plain_cfg();
		struct rec ro, ri;
		struct bgp_fsm *out = mk(&ro, sim, &c), *in;
		uint32_t lid = local_higher ? 0xc0000002 : 0x0a000001;
		uint32_t pid = 0x0a000002;
		struct bgp_fsm *dumped, *kept;
		enum bgp_collision res;

		in = mk(&ri, sim, &c);
		bgp_fsm_start(out);
		ev(out, BGP_EV_TCP_CR_ACKED);
		bgp_fsm_rx_open(out, 90);	/* out: OpenConfirm */
		/* the peer's connection, accepted */
		ev(in, BGP_EV_MANUAL_START_PASSIVE);
		ev(in, BGP_EV_TCP_CONFIRMED);
		bgp_fsm_rx_open(in, 90);
		CU_ASSERT_EQUAL(bgp_fsm_state(in), BGP_ST_OPENCONFIRM);
		res = bgp_fsm_collision_of(in, out, lid, pid, 65001, 12076);
		CU_ASSERT_EQUAL(res, local_higher ? BGP_COLLISION_DUMP_RX :
		    BGP_COLLISION_DUMP_OTHER);
		dumped = res == BGP_COLLISION_DUMP_RX ? in : out;
		kept = dumped == in ? out : in;
		CU_ASSERT_EQUAL(bgp_fsm_outgoing(kept), local_higher != 0);
		clear(&ro);
		clear(&ri);
		ev(dumped, BGP_EV_COLLISION_DUMP);
		CU_ASSERT_EQUAL(bgp_fsm_state(dumped), BGP_ST_IDLE);
		CU_ASSERT_STRING_EQUAL(acts(dumped == in ? &ri : &ro),
		    "notif 6/7,close+n");
		CU_ASSERT_STRING_EQUAL((dumped == in ? &ri : &ro)->reason,
		    "Cease / Connection Collision Resolution");
		ev(kept, BGP_EV_KEEPALIVE);
		CU_ASSERT_EQUAL(bgp_fsm_state(kept), BGP_ST_ESTABLISHED);
		CU_ASSERT_STRING_EQUAL(acts(kept == in ? &ri : &ro), "up");
		bgp_fsm_free(in);
		bgp_fsm_free(out);
		sim_free(sim);
	}
}

static void
test_manual_stop(void)
{
	struct sim *sim = sim_new(1);
	struct bgp_fsm_cfg c = plain_cfg();
	struct rec r;
	struct bgp_fsm *f;

	c.auto_start = true;
	f = mk(&r, sim, &c);
	bring_up(f, sim, 0, 90);
	clear(&r);
	at(sim, SIM_S(20));
	ev(f, BGP_EV_MANUAL_STOP);
	CU_ASSERT_EQUAL(bgp_fsm_state(f), BGP_ST_IDLE);
	CU_ASSERT_STRING_EQUAL(acts(&r), "notif 6/2,close+n,down");
	CU_ASSERT_STRING_EQUAL(r.reason, "Cease / Administrative Shutdown");
	CU_ASSERT_EQUAL(r.down.why, BGP_WHY_MANUAL_STOP);
	CU_ASSERT_EQUAL(r.down.code, 6);
	CU_ASSERT_EQUAL(r.down.subcode, 2);
	CU_ASSERT_EQUAL(bgp_fsm_connect_retry_counter(f), 0);
	/* no automatic restart after an operator's stop; not an error */
	CU_ASSERT_EQUAL(sim_pending(sim), 0);
	CU_ASSERT_EQUAL(bgp_fsm_stats(f)->last_error.why, BGP_WHY_NONE);
	at(sim, SIM_S(1000));
	CU_ASSERT_EQUAL(bgp_fsm_state(f), BGP_ST_IDLE);
	bgp_fsm_free(f);
	sim_free(sim);
}

/* The MSEE: keepalive 60 s, hold 180 s (cloud-facts 1.5). */
static void
test_msee(void)
{
	struct sim *sim = sim_new(1);
	struct bgp_fsm_cfg c = bgp_fsm_msee_cfg;
	struct rec r;
	struct bgp_fsm *f;

	CU_ASSERT_EQUAL(bgp_fsm_msee_cfg.keepalive_s, 60);
	CU_ASSERT_EQUAL(bgp_fsm_msee_cfg.hold_s, 180);
	CU_ASSERT_EQUAL(bgp_fsm_msee_cfg.min_hold_s, 10);
	CU_ASSERT_EQUAL(bgp_fsm_cfg_check(&bgp_fsm_msee_cfg, NULL, 0), 0);
	CU_ASSERT_EQUAL(bgp_fsm_cfg_check(&bgp_fsm_oci_cfg, NULL, 0), 0);
	CU_ASSERT_EQUAL(bgp_fsm_cfg_check(&bgp_fsm_default_cfg, NULL, 0), 0);
	c.jitter = false;
	c.auto_start = false;
	f = mk(&r, sim, &c);
	bring_up(f, sim, 0, 180);
	CU_ASSERT_EQUAL(r.open_hold, 180);
	CU_ASSERT_EQUAL(bgp_fsm_hold_s(f), 180);
	clear(&r);
	at(sim, SIM_S(183) + 1);	/* a silent peer: 3 keepalives, then */
	CU_ASSERT_STRING_EQUAL(acts(&r), "ka,ka,ka,notif 4/0,close+n,down");
	CU_ASSERT_EQUAL(r.at[0], SIM_S(62));
	CU_ASSERT_EQUAL(r.at[2], SIM_S(182));
	CU_ASSERT_EQUAL(r.at[3], SIM_S(183));
	bgp_fsm_free(f);
	sim_free(sim);
}

/* Counters, and the max-prefix teardown the speaker will ask for. */
static void
test_counters(void)
{
	struct sim *sim = sim_new(1);
	struct bgp_fsm_cfg c = plain_cfg();
	struct bgp_fsm_arg a = { .notif = { 0, BGP_CEASE_MAX_PREFIX, NULL,
	    0 } };
	struct rec r;
	struct bgp_fsm *f = mk(&r, sim, &c);
	const struct bgp_fsm_stats *st = bgp_fsm_stats(f);

	/* the speaker sends its Adj-RIB-Out from session_up: the UPDATE
	 * restarts the keepalive timer (set at 2 s) from 3 s */
	r.send_on_up = true;
	bring_up(f, sim, 0, 90);
	CU_ASSERT_EQUAL(bgp_fsm_timer_expiry(f, BGP_TM_KEEPALIVE), SIM_S(33));
	CU_ASSERT_EQUAL(st->msg_out[BGP_UPDATE], 1);
	bgp_fsm_msg_out(f, BGP_OPEN);
	bgp_fsm_msg_in(f, BGP_OPEN);
	bgp_fsm_msg_in(f, BGP_UPDATE);
	bgp_fsm_msg_in(f, BGP_UPDATE);
	bgp_fsm_msg_in(f, 77);
	CU_ASSERT_EQUAL(st->msg_in[BGP_UPDATE], 2);
	CU_ASSERT_EQUAL(st->msg_in[BGP_OPEN], 1);
	CU_ASSERT_EQUAL(st->msg_in[0], 1);
	CU_ASSERT_EQUAL(st->msg_out[BGP_OPEN], 1);
	clear(&r);
	at(sim, SIM_S(10));
	bgp_fsm_event(f, BGP_EV_AUTO_STOP, &a);
	CU_ASSERT_STRING_EQUAL(acts(&r), "notif 6/1,close+n,down");
	CU_ASSERT_STRING_EQUAL(r.reason,
	    "Cease / Maximum Number of Prefixes Reached");
	CU_ASSERT_EQUAL(st->last_error.why, BGP_WHY_AUTO_STOP);
	CU_ASSERT_EQUAL(st->last_error.when, SIM_S(10));
	CU_ASSERT_EQUAL(st->transitions, 5);
	CU_ASSERT_EQUAL(st->flaps, 1);
	CU_ASSERT_EQUAL(st->last_established, SIM_S(3));
	bgp_fsm_free(f);
	sim_free(sim);
}

static const struct test_case cases[] = {
	{ "bring-up, keepalives, hold reset", test_bring_up },
	{ "hold expiry", test_hold_expiry },
	{ "hold time 0", test_hold_zero },
	{ "hold negotiation", test_negotiation },
	{ "unacceptable hold", test_bad_hold },
	{ "passive", test_passive },
	{ "DelayOpen", test_delay_open },
	{ "ConnectRetry", test_connect_retry },
	{ "jitter", test_jitter },
	{ "damping", test_damping },
	{ "collision with two FSMs", test_collision_fsms },
	{ "ManualStop", test_manual_stop },
	{ "MSEE timers", test_msee },
	{ "counters, AutomaticStop", test_counters },
	{ NULL, NULL }
};

int
main(int argc, char **argv)
{
	return test_main(argc, argv, "bgp_fsm_run", cases);
}
