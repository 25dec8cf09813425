/*
 * test_bgp_sess_fsm.c - the FSM rows the session work added, on the fake
 * speaker of bgp_fsm_testutil.h, times exact: AutomaticStop's own restart
 * time (even without auto_start; damped when longer; none), and ManualStop
 * carrying a shutdown communication into its Cease 6/2 and the reason.
 */
#include "bgp_fsm_testutil.h"

static void
auto_stop(struct bgp_fsm *f, sim_time idle_hold)
{
	struct bgp_fsm_arg a;

	memset(&a, 0, sizeof(a));
	a.notif.subcode = BGP_CEASE_MAX_PREFIX;
	a.idle_hold = idle_hold;
	bgp_fsm_event(f, BGP_EV_AUTO_STOP, &a);
}

static void
test_auto_stop_idle_hold(void)
{
	struct sim *sim = sim_new(1);
	struct bgp_fsm_cfg c = plain_cfg();
	struct bgp_fsm *f;
	struct rec r;

	/* auto_start off: the AutomaticStop's 60 s restarts it anyway */
	f = mk(&r, sim, &c);
	bring_up(f, sim, 0, 90);
	CU_ASSERT_EQUAL(bgp_fsm_state(f), BGP_ST_ESTABLISHED);
	clear(&r);
	auto_stop(f, SIM_S(60));
	CU_ASSERT_STRING_EQUAL(acts(&r), "notif 6/1,close+n,down");
	CU_ASSERT_EQUAL(bgp_fsm_timer_expiry(f, BGP_TM_IDLE_HOLD),
	    SIM_S(3) + SIM_S(60));
	at(sim, SIM_S(63) - 1);
	CU_ASSERT_EQUAL(bgp_fsm_state(f), BGP_ST_IDLE);
	at(sim, SIM_S(63));
	CU_ASSERT_EQUAL(bgp_fsm_state(f), BGP_ST_CONNECT);
	CU_ASSERT_STRING_EQUAL(r.reason, "IdleHoldTimer_Expires");
	/* the next drop of another kind follows the configuration again */
	ev(f, BGP_EV_TCP_FAILS);
	CU_ASSERT_EQUAL(bgp_fsm_state(f), BGP_ST_IDLE);
	CU_ASSERT_EQUAL(bgp_fsm_timer_expiry(f, BGP_TM_IDLE_HOLD),
	    SIM_TIME_MAX);
	bgp_fsm_free(f);

	/* negative: no restart, even with auto_start */
	c.auto_start = true;
	f = mk(&r, sim, &c);
	bring_up(f, sim, SIM_S(100), 90);
	auto_stop(f, -1);
	CU_ASSERT_EQUAL(bgp_fsm_state(f), BGP_ST_IDLE);
	CU_ASSERT_EQUAL(bgp_fsm_timer_expiry(f, BGP_TM_IDLE_HOLD),
	    SIM_TIME_MAX);
	bgp_fsm_free(f);

	/* damped: the longer of the two */
	c.damp = true;
	c.damp_min = SIM_S(120);
	c.damp_max = SIM_S(480);
	c.damp_forget = SIM_S(600);
	f = mk(&r, sim, &c);
	bring_up(f, sim, SIM_S(200), 90);
	auto_stop(f, SIM_S(60));
	CU_ASSERT_EQUAL(bgp_fsm_timer_expiry(f, BGP_TM_IDLE_HOLD),
	    SIM_S(203) + SIM_S(120));
	bgp_fsm_free(f);
	sim_free(sim);
}

static void
test_manual_stop_text(void)
{
	static const uint8_t data[] = { 5, 'h', 'e', 'l', 'l', 'o' };
	struct sim *sim = sim_new(1);
	struct bgp_fsm_cfg c = plain_cfg();
	struct bgp_fsm_arg a;
	struct bgp_fsm *f;
	struct rec r;

	f = mk(&r, sim, &c);
	bring_up(f, sim, 0, 90);
	clear(&r);
	memset(&a, 0, sizeof(a));
	a.notif.data = data;
	a.notif.data_len = sizeof(data);
	bgp_fsm_event(f, BGP_EV_MANUAL_STOP, &a);
	CU_ASSERT_STRING_EQUAL(acts(&r), "notif 6/2,close+n,down");
	CU_ASSERT_STRING_EQUAL(r.reason,
	    "Cease / Administrative Shutdown \"hello\"");
	bgp_fsm_free(f);

	/* received: quoted too; a length octet that lies: not quoted */
	f = mk(&r, sim, &c);
	bring_up(f, sim, SIM_S(10), 90);
	memset(&a, 0, sizeof(a));
	a.notif.code = BGP_ERR_CEASE;
	a.notif.subcode = BGP_CEASE_ADMIN_RESET;
	a.notif.data = data;
	a.notif.data_len = sizeof(data);
	bgp_fsm_event(f, BGP_EV_NOTIF, &a);
	CU_ASSERT_STRING_EQUAL(r.reason,
	    "received Cease / Administrative Reset \"hello\"");
	bgp_fsm_free(f);
	f = mk(&r, sim, &c);
	bring_up(f, sim, SIM_S(20), 90);
	a.notif.data_len = 4;
	bgp_fsm_event(f, BGP_EV_NOTIF, &a);
	CU_ASSERT_STRING_EQUAL(r.reason,
	    "received Cease / Administrative Reset");
	bgp_fsm_free(f);
	sim_free(sim);
}

static const struct test_case cases[] = {
	{ "AutomaticStop's own IdleHoldTime", test_auto_stop_idle_hold },
	{ "ManualStop with a shutdown communication",
	    test_manual_stop_text },
	{ NULL, NULL },
};

int
main(int argc, char **argv)
{
	return test_main(argc, argv, "bgp_sess_fsm", cases);
}
