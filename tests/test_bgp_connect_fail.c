/*
 * test_bgp_connect_fail.c - a connect refused in Connect leaves the
 * session in Active, accepting (connect_fail_active, the presets' way, as
 * BIRD, FRR and Cisco do), so a peer that starts later and connects meets
 * it at once; with RFC 4271's letter (to Idle) the peer's connect is
 * reset and the session waits for the next automatic restart. Found when
 * the simulated MSEE met ExaBGP, which only connects.
 */
#include <stdio.h>
#include <stdlib.h>

#include "bgp_speaker_testutil.h"

static void
start_ev(struct sim *sim, void *arg)
{
	struct bgp_speaker *sp = arg;
	char err[128] = "";

	(void)sim;
	CU_ASSERT_EQUAL(bgp_speaker_start(sp, err, sizeof(err)), 0);
}

/*
 * r0 connects to r1 at 0; r1 has no listener yet (RST, r0's connect
 * refused at 2 ms); r1 starts at 10 ms and connects. Returns when r0's
 * session was first Established (-1: not by 30 s).
 */
static sim_time
late_peer(bool connect_fail_active, enum bgp_fsm_state *at_5ms)
{
	struct bgp_fsm_cfg fc = bgp_fsm_default_cfg;
	struct bgp_peer_stats st;
	struct bs_net b;
	char err[128] = "";

	fc.jitter = false;
	fc.connect_fail_active = connect_fail_active;
	bs_init(&b, 2);
	bs_link(&b, 0, 1, "10.0.0.0", SIM_MS(1));
	/* r1's TCP is up from the start (it answers a SYN to a closed port
	 * with a reset); only its BGP starts late */
	CU_ASSERT_PTR_NOT_NULL_FATAL(tcp_stack_get(b.n[1]));
	bs_speaker(&b, 0, 65001, "1.1.1.1", 0);
	bs_speaker(&b, 1, 65002, "2.2.2.2", 0);
	bs_neighbor(&b, 0, "10.0.0.2", 65002, &fc, false);
	bs_neighbor(&b, 1, "10.0.0.1", 65001, &fc, false);
	CU_ASSERT_EQUAL_FATAL(bgp_speaker_start(b.sp[0], err, sizeof(err)),
	    0);
	sim_schedule_at(b.sim, SIM_MS(10), start_ev, b.sp[1]);
	sim_run_until(b.sim, SIM_MS(5));
	*at_5ms = bgp_speaker_peer_state(b.sp[0], bs_ip("10.0.0.2"));
	sim_run_until(b.sim, SIM_S(30));
	CU_ASSERT_EQUAL_FATAL(bgp_speaker_peer_stats(b.sp[0],
	    bs_ip("10.0.0.2"), &st), 0);
	bs_free(&b);
	return st.first_established;
}

static void
test_late_peer(void)
{
	enum bgp_fsm_state s;
	sim_time t;

	/* Active after the refusal; up as soon as r1's connect completes */
	t = late_peer(true, &s);
	CU_ASSERT_EQUAL(s, BGP_ST_ACTIVE);
	/* r1's start + the pair's 4,003,280 ns to Established on the
	 * active side, one link delay more on the accepting side (r0) */
	CU_ASSERT_EQUAL(t, SIM_MS(10) + 4003280 + SIM_MS(1));
	/* the RFC's letter: Idle, r1's connect reset; up only after r0's
	 * IdleHoldTime (5 s) brings it back to Connect */
	t = late_peer(false, &s);
	CU_ASSERT_EQUAL(s, BGP_ST_IDLE);
	CU_ASSERT(t > SIM_MS(2) + SIM_S(5) && t < SIM_MS(2) + SIM_S(5) +
	    SIM_MS(10));
}

static const struct test_case cases[] = {
	{ "a refused connect keeps accepting (Active)", test_late_peer },
	{ NULL, NULL }
};

int
main(int argc, char **argv)
{
	return test_main(argc, argv, "bgp_connect_fail", cases);
}
