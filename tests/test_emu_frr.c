/*
 * test_emu_frr.c - the simulated MSEE (AS 12076, bgp_fsm_msee_cfg) peers
 * over real sockets with FRR's bgpd, run standalone (no zebra, no kernel
 * routes) in a namespace of its own: the session establishes, FRR's
 * networks reach the speaker's Adj-RIB-In and the node's FIB, the
 * speaker's appear in FRR's BGP table (vtysh), and FRR sending more than
 * the neighbour's max-prefix gets Cease 6/1, which FRR shows as the reason
 * of its last reset.
 */
#define _GNU_SOURCE	/* unshare, strcasestr */
#include "emu/emu_testutil.h"

#define FRR_IDX 103
#define FRR_BGPD "/usr/lib/frr/bgpd"

static unsigned frr_id;

static void
frr_start(void)
{
	struct emu_env *v = emu_env();
	char conf[300], pid[300], zs[300];
	char *argv[] = { FRR_BGPD, "-f", conf, "-i", pid, "-z", zs,
		"--vty_socket", v->dir, "-S", "-Z", "-l", v->peer, "-P", "0",
		NULL };

	emu_write(conf, sizeof(conf), "frr.conf",
	    "hostname cpe\n"
	    "router bgp %d\n"
	    " bgp router-id %s\n"
	    " no bgp ebgp-requires-policy\n"
	    " no bgp network import-check\n"
	    " neighbor %s remote-as %d\n"
	    " neighbor %s timers connect 1\n"
	    " address-family ipv4 unicast\n"
	    "  network 10.203.0.0/24\n"
	    "  network 10.203.1.0/24\n"
	    "  network 10.203.2.0/24\n"
	    " exit-address-family\n",
	    EMU_PEER_AS, v->peer, v->me, EMU_MSEE_AS, v->me);
	snprintf(pid, sizeof(pid), "%s/bgpd.pid", v->dir);
	snprintf(zs, sizeof(zs), "%s/zserv.api", v->dir);
	emu_spawn("bgpd", &frr_id, argv);
}

static const char *
vtysh(const char *what)
{
	static char cmd[600];

	snprintf(cmd, sizeof(cmd), "vtysh --vty_socket %s -d bgpd -c '%s'",
	    emu_env()->dir, what);
	return cmd;
}

static void
test_frr_routes_both_ways(void)
{
	struct emu_sim s;
	struct bgp_peer_stats st;
	size_t three = 3;
	char out[8192], q[200];

	emu_sim_new(&s, 0);
	CU_ASSERT_EQUAL(bgp_speaker_add_network(s.sp, 0x0a640000, 16), 0);
	CU_ASSERT_EQUAL(bgp_speaker_add_network(s.sp, 0x0a640100, 24), 0);
	frr_start();
	emu_sim_start(&s);
	if (!emu_run_until(&s, emu_established, NULL, 40))
		emu_show_log("bgpd");
	CU_ASSERT_FATAL(emu_established(&s, NULL));
	CU_ASSERT(emu_run_until(&s, emu_have_in, &three, 20));
	CU_ASSERT_EQUAL(bgp_speaker_peer_in(s.sp, emu_env()->peer_a), 3);
	CU_ASSERT(emu_fib_via_peer(&s, "10.203.0.1"));
	CU_ASSERT(emu_fib_via_peer(&s, "10.203.2.200"));
	/* ours in FRR's table: valid, best, from AS 12076 via our address */
	CU_ASSERT(emu_cli_wait(&s, "10.100.1.0/24", out, sizeof(out), 20,
	    vtysh("show bgp ipv4 unicast")));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "10.100.0.0/16"));
	emu_out(out, sizeof(out), "%s", vtysh("show bgp ipv4 unicast "
	    "10.100.1.0/24"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "12076"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "valid"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "best"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, emu_env()->me));
	snprintf(q, sizeof(q), "show bgp neighbors %s", emu_env()->me);
	emu_out(out, sizeof(out), "%s", vtysh(q));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "BGP state = Established"));
	/* the MSEE's hold time 180 s is what FRR (180 s) negotiated */
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "Hold time is 180"));
	CU_ASSERT_EQUAL(bgp_speaker_peer_stats(s.sp, emu_env()->peer_a, &st),
	    0);
	CU_ASSERT_EQUAL(st.flaps, 0);
	CU_ASSERT_EQUAL(st.prefixes_out, 2);
	emu_stop(frr_id);
	CU_ASSERT(emu_run_until(&s, emu_not_established, NULL, 10));
	emu_sim_free(&s);
}

static void
test_frr_max_prefix(void)
{
	struct emu_sim s;
	struct bgp_peer_stats st;
	char out[16384], q[200];

	emu_sim_new(&s, 2);	/* FRR sends 3 */
	frr_start();
	emu_sim_start(&s);
	if (!emu_run_until(&s, emu_ever_established, NULL, 40))
		emu_show_log("bgpd");
	CU_ASSERT_FATAL(emu_ever_established(&s, NULL));
	CU_ASSERT(emu_run_until(&s, emu_not_established, NULL, 20));
	CU_ASSERT_EQUAL(bgp_speaker_peer_stats(s.sp, emu_env()->peer_a, &st),
	    0);
	CU_ASSERT_EQUAL(st.max_prefix_teardowns, 1);
	CU_ASSERT_EQUAL(st.last_notif_sent[0], 6);
	CU_ASSERT_EQUAL(st.last_notif_sent[1], 1);
	/* FRR's view: the last reset was that NOTIFICATION, received */
	snprintf(q, sizeof(q), "show bgp neighbors %s", emu_env()->me);
	CU_ASSERT(emu_cli_wait(&s, "Maximum Number of Prefixes Reached", out,
	    sizeof(out), 10, vtysh(q)));
	CU_ASSERT_PTR_NOT_NULL(strcasestr(out, "notification received"));
	emu_stop(frr_id);
	emu_sim_free(&s);
}

static const struct test_case cases[] = {
	{ "FRR: routes both ways", test_frr_routes_both_ways },
	{ "FRR: max-prefix Cease 6/1", test_frr_max_prefix },
	{ NULL, NULL }
};

int
main(int argc, char **argv)
{
	int r;

	if (!emu_have(FRR_BGPD) || !emu_have("vtysh")) {
		printf("FAIL: FRR's bgpd not found: apt-get install frr\n");
		return 1;
	}
	if ((r = emu_prepare(FRR_IDX, "frr")) != 0)
		return r;
	return test_main(argc, argv, "emu_frr", cases);
}
