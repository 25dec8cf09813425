/*
 * test_bfd.c - BFD sessions between two nodes (test_bfd_util.h): the
 * three-way handshake at exact times, the slow rate while not Up, link
 * failure detection in detect mult x interval, the slower side deciding,
 * AdminDown, Poll sequences and the state records in the trace. Times
 * involving jitter are asserted twice: within the bounds RFC 5880 6.8.7
 * allows, and exactly, as the seeded stream draws them.
 */
#include <unistd.h>

#include "test_bfd_util.h"
#include "trace.h"

#define SEED 42

static const struct bfd_cfg *
msee(void)
{
	return &bfd_msee_cfg;
}

static void
assert_change(const struct bt *t, int i, int k, sim_time at,
    enum bfd_state old, enum bfd_state state, enum bfd_diag diag)
{
	CU_ASSERT_FATAL(t->log[i].n > k);
	CU_ASSERT_EQUAL(t->log[i].at[k], at);
	CU_ASSERT_EQUAL(t->log[i].old[k], old);
	CU_ASSERT_EQUAL(t->log[i].state[k], state);
	CU_ASSERT_EQUAL(t->log[i].diag[k], diag);
}

/* Every gap between node i's packets in [from, to) lies in [lo, hi]. */
static int
assert_gaps(const struct bt *t, int i, sim_time from, sim_time to,
    sim_time lo, sim_time hi)
{
	int k, n = 0;

	for (k = 1; k < t->tx[i].n; k++) {
		sim_time g = t->tx[i].at[k] - t->tx[i].at[k - 1];

		if (t->tx[i].at[k - 1] < from || t->tx[i].at[k] >= to)
			continue;
		CU_ASSERT(g >= lo && g <= hi);
		if (g < lo || g > hi)
			fprintf(stderr, "node %d gap %lld at %lld\n", i,
			    (long long)g, (long long)t->tx[i].at[k]);
		n++;
	}
	return n;
}

static void
test_msee_defaults(void)
{
	CU_ASSERT_EQUAL(bfd_msee_cfg.desired_min_tx, SIM_MS(300));
	CU_ASSERT_EQUAL(bfd_msee_cfg.required_min_rx, SIM_MS(300));
	CU_ASSERT_EQUAL(bfd_msee_cfg.detect_mult, 3);
}

/*
 * Both start at 0: Down crosses at D (both Init, at once sending Init),
 * Init crosses at 2D (both Up, sending Up with P for the new 300 ms),
 * each answers the other's Poll at 3D with F, and the Polls end at 4D.
 */
static void
test_handshake(void)
{
	struct bt t;
	const struct bt_tx *x;
	int i;

	bt_build(&t, SEED);
	bt_add(&t, 0, msee());
	bt_add(&t, 1, msee());
	CU_ASSERT_EQUAL(bfd_session_state(t.s[0]), BFD_DOWN);
	/* 6.8.3: 1 s while not Up */
	CU_ASSERT_EQUAL(bfd_session_tx_interval(t.s[0]), SIM_S(1));
	sim_run_until(t.sim, 4 * BT_D - 1);
	CU_ASSERT_TRUE(bfd_session_polling(t.s[0]));
	sim_run_until(t.sim, SIM_S(10));
	for (i = 0; i < 2; i++) {
		x = &t.tx[i];
		CU_ASSERT_EQUAL(t.log[i].n, 2);
		assert_change(&t, i, 0, BT_D, BFD_DOWN, BFD_INIT, 0);
		assert_change(&t, i, 1, 2 * BT_D, BFD_INIT, BFD_UP, 0);
		CU_ASSERT_FATAL(x->n > 4);
		CU_ASSERT_EQUAL(x->at[0], 0);
		CU_ASSERT_EQUAL(x->c[0].state, BFD_DOWN);
		CU_ASSERT_EQUAL(x->c[0].your_disc, 0);
		CU_ASSERT_EQUAL(x->c[0].des_min_tx, 1000000);
		CU_ASSERT_EQUAL(x->c[0].req_min_rx, 300000);
		CU_ASSERT_EQUAL(x->c[0].detect_mult, 3);
		CU_ASSERT_EQUAL(x->ttl[0], 255);
		CU_ASSERT_EQUAL(x->at[1], BT_D);
		CU_ASSERT_EQUAL(x->c[1].state, BFD_INIT);
		CU_ASSERT_EQUAL(x->c[1].your_disc,
		    bfd_session_local_disc(t.s[1 - i]));
		CU_ASSERT_EQUAL(x->at[2], 2 * BT_D);
		CU_ASSERT_EQUAL(x->c[2].state, BFD_UP);
		CU_ASSERT_EQUAL(x->c[2].flags, BFD_FLAG_P);
		CU_ASSERT_EQUAL(x->c[2].des_min_tx, 300000);
		CU_ASSERT_EQUAL(x->at[3], 3 * BT_D);
		CU_ASSERT_EQUAL(x->c[3].flags, BFD_FLAG_F);
		CU_ASSERT_EQUAL(x->c[4].flags, 0);
		/* the negotiated rate, jittered to 75-100% */
		CU_ASSERT(assert_gaps(&t, i, 3 * BT_D, SIM_S(10),
		    SIM_MS(225), SIM_MS(300)) > 25);
		CU_ASSERT_EQUAL(bfd_session_state(t.s[i]), BFD_UP);
		CU_ASSERT_FALSE(bfd_session_polling(t.s[i]));
		CU_ASSERT_EQUAL(bfd_session_stats(t.s[i])->polls, 1);
		CU_ASSERT_EQUAL(bfd_session_stats(t.s[i])->finals_rx, 1);
		CU_ASSERT_EQUAL(bfd_session_stats(t.s[i])->ups, 1);
		CU_ASSERT_EQUAL(bfd_session_stats(t.s[i])->tx, (uint64_t)x->n);
		CU_ASSERT_EQUAL(bfd_session_stats(t.s[i])->rx,
		    (uint64_t)t.tx[1 - i].n);
		CU_ASSERT_EQUAL(bfd_session_tx_interval(t.s[i]), SIM_MS(300));
		CU_ASSERT_EQUAL(bfd_session_detect_time(t.s[i]), SIM_MS(900));
		CU_ASSERT_EQUAL(bfd_session_sport(t.s[i]), 49152);
		CU_ASSERT_EQUAL(bfd_session_remote_disc(t.s[i]),
		    bfd_session_local_disc(t.s[1 - i]));
	}
	CU_ASSERT_NOT_EQUAL(bfd_session_local_disc(t.s[0]), 0);
	/* seed 42 draws these periodic gaps for a */
	CU_ASSERT_EQUAL(t.tx[0].at[4] - t.tx[0].at[3], 253601972);
	bt_free(&t);
}

/*
 * The link is down until 2.5 s: both send Down at the slow, jittered 1 s
 * rate. The first packet after the link is up starts the handshake: its
 * sender goes Up when the answer's answer comes back (2D later), the
 * other side one D after that.
 */
static void
test_slow_start(void)
{
	struct bt t;
	const sim_time on = SIM_MS(2500);
	int ka, kb, first, other;
	sim_time t1;

	bt_build(&t, SEED);
	link_set_up(t.l, false);
	link_schedule_state(t.l, on, true);
	bt_add(&t, 0, msee());
	bt_add(&t, 1, msee());
	sim_run_until(t.sim, SIM_S(5));
	/* 6.8.7 jitter of the 1 s rate: 750 .. 1000 ms */
	CU_ASSERT(assert_gaps(&t, 0, 0, on, SIM_MS(750), SIM_S(1)) >= 2);
	CU_ASSERT(assert_gaps(&t, 1, 0, on, SIM_MS(750), SIM_S(1)) >= 2);
	ka = bt_tx_after(&t, 0, on);
	kb = bt_tx_after(&t, 1, on);
	CU_ASSERT_FATAL(ka > 0 && kb > 0);
	first = t.tx[0].at[ka] <= t.tx[1].at[kb] ? 0 : 1;
	other = 1 - first;
	t1 = t.tx[first].at[first == 0 ? ka : kb];
	/* the other's first packet after the link came up is its answer */
	CU_ASSERT_EQUAL(t.tx[other].at[other == 0 ? ka : kb], t1 + BT_D);
	CU_ASSERT_EQUAL(t.tx[other].c[other == 0 ? ka : kb].state, BFD_INIT);
	CU_ASSERT_EQUAL(t.log[first].n, 1);
	assert_change(&t, first, 0, t1 + 2 * BT_D, BFD_DOWN, BFD_UP, 0);
	CU_ASSERT_EQUAL(t.log[other].n, 2);
	assert_change(&t, other, 0, t1 + BT_D, BFD_DOWN, BFD_INIT, 0);
	assert_change(&t, other, 1, t1 + 3 * BT_D, BFD_INIT, BFD_UP, 0);
	/* seed 42: these draws */
	CU_ASSERT_EQUAL(first, 1);
	CU_ASSERT_EQUAL(t1, 2511438844);
	CU_ASSERT_EQUAL(t.tx[0].n > 2 ? t.tx[0].at[1] : 0, 834290047);
	bt_free(&t);
}

/*
 * Up at 2D; the link is cut at 10 s. b's last packet to reach a left at
 * T and arrived at T + D, which restarted a's detection timer: a goes
 * Down with diag 1 at exactly T + D + 900 ms, at most 900 ms after the
 * cut; b likewise from a's packets.
 */
static void
test_link_cut(void)
{
	struct bt t;
	const sim_time cut = SIM_S(10);
	sim_time last[2], down[2];
	int i, k;

	bt_build(&t, SEED);
	bt_add(&t, 0, msee());
	bt_add(&t, 1, msee());
	link_schedule_state(t.l, cut, false);
	sim_run_until(t.sim, SIM_S(20));
	for (i = 0; i < 2; i++) {
		/* the last packet from the peer that arrived before the cut */
		k = bt_tx_after(&t, 1 - i, cut - BT_D);
		CU_ASSERT_FATAL(k > 0);
		last[i] = t.tx[1 - i].at[k - 1];
		CU_ASSERT_FATAL(t.log[i].n == 3);
		down[i] = last[i] + BT_D + SIM_MS(900);
		assert_change(&t, i, 2, down[i], BFD_UP, BFD_DOWN,
		    BFD_DIAG_TIME_EXPIRED);
		/* later: its own Down packets go nowhere */
		CU_ASSERT(down[i] > cut && down[i] <= cut + SIM_MS(900));
		CU_ASSERT(down[i] >= cut + SIM_MS(900) - SIM_MS(300));

		CU_ASSERT_EQUAL(bfd_session_state(t.s[i]), BFD_DOWN);
		CU_ASSERT_EQUAL(bfd_session_diag(t.s[i]),
		    BFD_DIAG_TIME_EXPIRED);
		CU_ASSERT_EQUAL(bfd_session_remote_disc(t.s[i]), 0);
		CU_ASSERT_EQUAL(bfd_session_stats(t.s[i])->downs, 1);
		/* back to the slow rate: the Down packet, then 1 s gaps */
		CU_ASSERT(assert_gaps(&t, i, down[i], SIM_S(20),
		    SIM_MS(750), SIM_S(1)) >= 9);
	}
	/* seed 42 */
	CU_ASSERT_EQUAL(down[0], 10726446781);
	CU_ASSERT_EQUAL(down[1], 10853308301);
	bt_free(&t);
}

/* 300 ms against 750 ms: both send every 750 ms, detect in 2.25 s. */
static void
test_slower_side(void)
{
	struct bt t;
	struct bfd_cfg slow = bt_cfg(SIM_MS(750), SIM_MS(750), 3);
	int i;

	bt_build(&t, SEED);
	bt_add(&t, 0, msee());
	bt_add(&t, 1, &slow);
	sim_run_until(t.sim, SIM_S(20));
	for (i = 0; i < 2; i++) {
		CU_ASSERT_EQUAL(bfd_session_state(t.s[i]), BFD_UP);
		CU_ASSERT_EQUAL(bfd_session_tx_interval(t.s[i]), SIM_MS(750));
		CU_ASSERT_EQUAL(bfd_session_detect_time(t.s[i]),
		    SIM_MS(2250));
		CU_ASSERT(assert_gaps(&t, i, 4 * BT_D, SIM_S(20),
		    SIM_MS(750) - SIM_MS(750) / 4, SIM_MS(750)) > 20);
	}
	/* a cut is now detected in 2.25 s after the last packet */
	link_set_up(t.l, false);
	sim_run_until(t.sim, SIM_S(30));
	CU_ASSERT_FATAL(t.log[0].n == 3);
	CU_ASSERT_EQUAL(t.log[0].at[2], t.tx[1].at[bt_tx_after(&t, 1,
	    SIM_S(20) - BT_D) - 1] + BT_D + SIM_MS(2250));
	bt_free(&t);
}

/*
 * b goes AdminDown at 5 s: a hears it at 5 s + D and goes Down with
 * diag 3, and stays Down while b is AdminDown. b comes back at 8 s: the
 * handshake runs again from b's Down packet.
 */
static void
test_admin_down(void)
{
	struct bt t;
	const sim_time off = SIM_S(5), on = SIM_S(8);

	bt_build(&t, SEED);
	bt_add(&t, 0, msee());
	bt_add(&t, 1, msee());
	sim_run_until(t.sim, off);
	bfd_session_admin(t.s[1], true);
	CU_ASSERT_EQUAL(bfd_session_state(t.s[1]), BFD_ADMIN_DOWN);
	CU_ASSERT_EQUAL(bfd_session_diag(t.s[1]), BFD_DIAG_ADMIN_DOWN);
	assert_change(&t, 1, 2, off, BFD_UP, BFD_ADMIN_DOWN,
	    BFD_DIAG_ADMIN_DOWN);
	sim_run_until(t.sim, on);
	CU_ASSERT_EQUAL(t.log[0].n, 3);
	assert_change(&t, 0, 2, off + BT_D, BFD_UP, BFD_DOWN,
	    BFD_DIAG_NEIGHBOR_DOWN);
	CU_ASSERT_EQUAL(bfd_session_remote_state(t.s[0]), BFD_ADMIN_DOWN);
	/* AdminDown packets keep going at the slow rate */
	CU_ASSERT(assert_gaps(&t, 1, off, on, SIM_MS(750), SIM_S(1)) >= 2);
	CU_ASSERT_EQUAL(t.tx[1].c[bt_tx_after(&t, 1, off)].state,
	    BFD_ADMIN_DOWN);
	CU_ASSERT_EQUAL(t.tx[1].c[bt_tx_after(&t, 1, off)].diag,
	    BFD_DIAG_ADMIN_DOWN);
	bfd_session_admin(t.s[1], false);
	sim_run_until(t.sim, on + SIM_S(2));
	assert_change(&t, 1, 3, on, BFD_ADMIN_DOWN, BFD_DOWN,
	    BFD_DIAG_ADMIN_DOWN);
	assert_change(&t, 0, 3, on + BT_D, BFD_DOWN, BFD_INIT,
	    BFD_DIAG_NEIGHBOR_DOWN);
	assert_change(&t, 1, 4, on + 2 * BT_D, BFD_DOWN, BFD_UP, 0);
	assert_change(&t, 0, 4, on + 3 * BT_D, BFD_INIT, BFD_UP, 0);
	CU_ASSERT_EQUAL(t.log[0].n, 5);
	CU_ASSERT_EQUAL(t.log[1].n, 5);
	bt_free(&t);
}

/*
 * Poll sequences (RFC 5880 6.8.3). a raises its desired TX to 1 s at
 * 5 s: its packets carry P and 1 s at once, b's detection time grows at
 * 5 s + D, but a keeps sending every 300 ms until b's Final arrives at
 * 5 s + 2D. Then a lowers its required RX to 100 ms against b's 100 ms
 * desired TX: b speeds up at once, a's detection time shrinks only with
 * the Final.
 */
static void
test_poll(void)
{
	struct bt t;
	struct bfd_cfg a1 = bt_cfg(SIM_S(1), SIM_MS(300), 3);
	struct bfd_cfg b1 = bt_cfg(SIM_MS(100), SIM_MS(100), 3);
	struct bfd_cfg a2 = bt_cfg(SIM_MS(300), SIM_MS(100), 3);
	const sim_time t0 = SIM_S(5), t2 = SIM_S(10);
	int k;

	bt_build(&t, SEED);
	bt_add(&t, 0, msee());
	bt_add(&t, 1, msee());
	sim_run_until(t.sim, t0);
	CU_ASSERT_EQUAL(bfd_session_set_cfg(t.s[0], &a1), 0);
	CU_ASSERT_TRUE(bfd_session_polling(t.s[0]));
	CU_ASSERT_EQUAL(bfd_session_tx_interval(t.s[0]), SIM_MS(300));
	k = bt_tx_after(&t, 0, t0);
	CU_ASSERT_EQUAL(t.tx[0].at[k], t0);
	CU_ASSERT_EQUAL(t.tx[0].c[k].flags, BFD_FLAG_P);
	CU_ASSERT_EQUAL(t.tx[0].c[k].des_min_tx, 1000000);
	sim_run_until(t.sim, t0 + BT_D);
	CU_ASSERT_EQUAL(bfd_session_detect_time(t.s[1]), SIM_S(3));
	k = bt_tx_after(&t, 1, t0);
	CU_ASSERT_EQUAL(t.tx[1].at[k], t0 + BT_D);
	CU_ASSERT_EQUAL(t.tx[1].c[k].flags, BFD_FLAG_F);
	sim_run_until(t.sim, t0 + 2 * BT_D - 1);
	CU_ASSERT_TRUE(bfd_session_polling(t.s[0]));
	CU_ASSERT_EQUAL(bfd_session_tx_interval(t.s[0]), SIM_MS(300));
	sim_run_until(t.sim, t0 + 2 * BT_D);
	CU_ASSERT_FALSE(bfd_session_polling(t.s[0]));
	CU_ASSERT_EQUAL(bfd_session_tx_interval(t.s[0]), SIM_S(1));
	/* the packet in flight after the Final is the last at 300 ms */
	sim_run_until(t.sim, t0 + SIM_S(4));
	CU_ASSERT(assert_gaps(&t, 0, t0 + SIM_MS(400), t0 + SIM_S(4),
	    SIM_MS(750), SIM_S(1)) >= 2);
	CU_ASSERT_EQUAL(bfd_session_state(t.s[1]), BFD_UP);

	/* b at 100 ms, a back to 300 ms but accepting 100 ms */
	CU_ASSERT_EQUAL(bfd_session_set_cfg(t.s[1], &b1), 0);
	CU_ASSERT_EQUAL(bfd_session_set_cfg(t.s[0], &msee()[0]), 0);
	sim_run_until(t.sim, t2);
	CU_ASSERT_EQUAL(bfd_session_tx_interval(t.s[1]), SIM_MS(300));
	CU_ASSERT_EQUAL(bfd_session_detect_time(t.s[0]), SIM_MS(900));
	CU_ASSERT_EQUAL(bfd_session_set_cfg(t.s[0], &a2), 0);
	CU_ASSERT_TRUE(bfd_session_polling(t.s[0]));
	sim_run_until(t.sim, t2 + BT_D);
	CU_ASSERT_EQUAL(bfd_session_tx_interval(t.s[1]), SIM_MS(100));
	CU_ASSERT_EQUAL(bfd_session_detect_time(t.s[0]), SIM_MS(900));
	sim_run_until(t.sim, t2 + 2 * BT_D);
	CU_ASSERT_FALSE(bfd_session_polling(t.s[0]));
	CU_ASSERT_EQUAL(bfd_session_detect_time(t.s[0]), SIM_MS(300));
	sim_run_until(t.sim, t2 + SIM_S(3));
	CU_ASSERT(assert_gaps(&t, 1, t2 + SIM_MS(200), t2 + SIM_S(3),
	    SIM_MS(75), SIM_MS(100)) > 20);
	CU_ASSERT_EQUAL(bfd_session_state(t.s[0]), BFD_UP);
	CU_ASSERT_EQUAL(bfd_session_stats(t.s[0])->polls, 4);
	CU_ASSERT_EQUAL(bfd_session_stats(t.s[0])->finals_rx, 4);
	CU_ASSERT_EQUAL(bfd_session_stats(t.s[0])->ups, 1);
	CU_ASSERT_EQUAL(bfd_session_stats(t.s[1])->downs, 0);
	bt_free(&t);
}

/* Detect mult 1: every interval is 75-90% of the negotiated one. */
static void
test_mult_one(void)
{
	struct bt t;
	struct bfd_cfg one = bt_cfg(SIM_MS(100), SIM_MS(100), 1);

	bt_build(&t, SEED);
	bt_add(&t, 0, &one);
	bt_add(&t, 1, &one);
	sim_run_until(t.sim, SIM_S(10));
	CU_ASSERT(assert_gaps(&t, 0, 4 * BT_D, SIM_S(10), SIM_MS(75),
	    SIM_MS(90)) > 100);
	CU_ASSERT_EQUAL(bfd_session_detect_time(t.s[0]), SIM_MS(100));
	CU_ASSERT_EQUAL(t.log[0].n, 2);
	bt_free(&t);
}

/*
 * A required min RX of 0: the peer sends nothing periodic (6.8.7), only
 * what answers b at once (a Final, a changed state).
 */
static void
test_rx_zero(void)
{
	struct bt t;
	struct bfd_cfg quiet = bt_cfg(SIM_MS(300), 0, 3);
	int k, j, n = 0;

	bt_build(&t, SEED);
	bt_add(&t, 0, msee());
	bt_add(&t, 1, &quiet);
	sim_run_until(t.sim, 2 * BT_D);
	CU_ASSERT_EQUAL(bfd_session_tx_interval(t.s[0]), 0);
	sim_run_until(t.sim, SIM_S(5));
	for (k = 0; k < t.tx[0].n; k++) {
		if (t.tx[0].at[k] == 0)
			continue;
		for (j = 0; j < t.tx[1].n; j++)
			if (t.tx[1].at[j] + BT_D == t.tx[0].at[k])
				break;
		CU_ASSERT(j < t.tx[1].n);
		n++;
	}
	CU_ASSERT(n >= 2);
	CU_ASSERT(t.tx[1].n > 5);
	bt_free(&t);
}

/* The trace holds each side's state changes with their reasons. */
static void
test_trace(void)
{
	struct bt t;
	char path[] = "/tmp/xcsim-bfd-XXXXXX", err[256];
	struct trace *tr;
	struct trace_reader *rd;
	struct trace_rec rec;
	int fd, rc, n = 0;
	static const char *const want[] = {
		"0 Down session added", "1 Down session added",
		/* a's first packet left first, so b hears first */
		"1 Init received Down", "0 Init received Down",
		"0 Up received Init", "1 Up received Init",
		"1 AdminDown administratively down",
		"0 Down neighbor signaled AdminDown",
		"1 Down administratively enabled", "0 Init received Down",
		"1 Up received Init", "0 Up received Up",
		"0 Down control detection time expired",
		"1 Down control detection time expired",
		"0 AdminDown session removed",
	};
	char got[128];

	fd = mkstemp(path);
	CU_ASSERT_FATAL(fd >= 0);
	close(fd);
	tr = trace_open(path, 0, err, sizeof(err));
	CU_ASSERT_PTR_NOT_NULL_FATAL(tr);
	bt_build(&t, SEED);
	net_set_trace(t.net, tr);
	bt_add(&t, 0, msee());
	bt_add(&t, 1, msee());
	sim_run_until(t.sim, SIM_S(2));
	bfd_session_admin(t.s[1], true);
	sim_run_until(t.sim, SIM_S(4));
	bfd_session_admin(t.s[1], false);
	sim_run_until(t.sim, SIM_S(6));
	link_set_up(t.l, false);
	sim_run_until(t.sim, SIM_S(8));
	bfd_session_remove(t.s[0]);
	sim_run_until(t.sim, SIM_S(9));
	net_set_trace(t.net, NULL);
	CU_ASSERT_EQUAL_FATAL(trace_close(tr, err, sizeof(err)), 0);
	rd = trace_reader_open(path, err, sizeof(err));
	CU_ASSERT_PTR_NOT_NULL_FATAL(rd);
	while ((rc = trace_reader_next(rd, &rec, err, sizeof(err))) == 1) {
		if (rec.type != TR_SESSION_STATE)
			continue;
		CU_ASSERT_EQUAL(rec.u.session.proto, TRP_BFD);
		CU_ASSERT_STRING_EQUAL(rec.u.session.peer,
		    rec.u.session.node == 0 ? "10.0.0.2" : "10.0.0.1");
		snprintf(got, sizeof(got), "%u %s %s", rec.u.session.node,
		    rec.u.session.state, rec.u.session.reason);
		CU_ASSERT_FATAL(n < (int)(sizeof(want) / sizeof(want[0])));
		CU_ASSERT_STRING_EQUAL(got, want[n]);

		if (n == 4)
			CU_ASSERT_EQUAL(rec.t, 2 * BT_D);
		n++;
	}
	CU_ASSERT_EQUAL(rc, 0);
	CU_ASSERT_EQUAL(n, (int)(sizeof(want) / sizeof(want[0])));
	trace_reader_close(rd);
	unlink(path);
	bt_free(&t);
}

/* Same seed, same run; another seed, other draws. */
static void
test_deterministic(void)
{
	struct bt t;
	sim_time a[3];
	int r;

	for (r = 0; r < 3; r++) {
		bt_build(&t, r < 2 ? SEED : SEED + 1);
		bt_add(&t, 0, msee());
		bt_add(&t, 1, msee());
		sim_run_until(t.sim, SIM_S(3));
		a[r] = t.tx[0].at[t.tx[0].n - 1] * 1000 + t.tx[0].n;
		bt_free(&t);
	}
	CU_ASSERT_EQUAL(a[0], a[1]);
	CU_ASSERT_NOT_EQUAL(a[0], a[2]);
}

static const struct test_case cases[] = {
	{ "MSEE defaults: 300 ms x 3", test_msee_defaults },
	{ "three-way handshake at exact times", test_handshake },
	{ "slow 1 s rate until the link comes up", test_slow_start },
	{ "link cut detected in detect mult x interval", test_link_cut },
	{ "the slower side decides: 300 vs 750 ms", test_slower_side },
	{ "AdminDown brings the peer Down with diag 3", test_admin_down },
	{ "Poll sequences change the timers as 6.8.3 says", test_poll },
	{ "detect mult 1: jitter 75-90%", test_mult_one },
	{ "required min rx 0 stops periodic packets", test_rx_zero },
	{ "state changes in the trace", test_trace },
	{ "deterministic per seed", test_deterministic },
	{ NULL, NULL },
};

int
main(int argc, char **argv)
{
	return test_main(argc, argv, "bfd", cases);
}
