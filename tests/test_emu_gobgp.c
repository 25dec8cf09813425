/*
 * test_emu_gobgp.c - the simulated MSEE (AS 12076, bgp_fsm_msee_cfg) peers
 * over real sockets with GoBGP (gobgpd) in a namespace of its own: the
 * session establishes, GoBGP's routes (added with its CLI) reach the
 * speaker's Adj-RIB-In and the node's FIB, and the speaker's appear in
 * GoBGP's global RIB, from AS 12076; max-prefix tears it down with 6/1.
 */
#define _GNU_SOURCE	/* unshare */
#include "emu/emu_testutil.h"

#define GOBGP_IDX 102

static unsigned gobgp_id;

static void
gobgp_start(void)
{
	struct emu_env *v = emu_env();
	char conf[300];
	char *argv[] = { "gobgpd", "-f", conf, "-t", "toml", "-p",
		"--api-hosts=127.0.0.1:50051", "--pprof-disable", NULL };

	emu_write(conf, sizeof(conf), "gobgpd.toml",
	    "[global.config]\n"
	    "  as = %u\n"
	    "  router-id = \"%s\"\n"
	    "  local-address-list = [\"%s\"]\n"
	    "[[neighbors]]\n"
	    "  [neighbors.config]\n"
	    "    neighbor-address = \"%s\"\n"
	    "    peer-as = %d\n"
	    "  [neighbors.timers.config]\n"
	    "    connect-retry = 1\n",
	    v->peer_as != 0 ? v->peer_as : EMU_PEER_AS, v->peer, v->peer,
	    v->me, EMU_MSEE_AS);
	emu_spawn("gobgpd", &gobgp_id, argv);
}

#define GOBGP "gobgp -u 127.0.0.1 -p 50051 "

/* Add GoBGP's routes once its API answers. */
static void
gobgp_routes(struct emu_sim *s)
{
	char out[4096];
	int i;

	CU_ASSERT_FATAL(emu_cli_wait(s, "Peer", out, sizeof(out), 20,
	    GOBGP "neighbor"));
	for (i = 0; i < 3; i++) {
		CU_ASSERT_EQUAL(emu_out(out, sizeof(out),
		    GOBGP "global rib add -a ipv4 10.202.%d.0/24", i), 0);
	}
}

static void
test_gobgp_routes_both_ways(void)
{
	struct emu_sim s;
	struct bgp_peer_stats st;
	size_t three = 3;
	char out[8192], cmd[300];

	emu_sim_new(&s, 0);
	CU_ASSERT_EQUAL(bgp_speaker_add_network(s.sp, 0x0a640000, 16), 0);
	CU_ASSERT_EQUAL(bgp_speaker_add_network(s.sp, 0x0a640100, 24), 0);
	gobgp_start();
	emu_sim_start(&s);
	gobgp_routes(&s);
	if (!emu_run_until(&s, emu_established, NULL, 40))
		emu_show_log("gobgpd");
	CU_ASSERT_FATAL(emu_established(&s, NULL));
	CU_ASSERT(emu_run_until(&s, emu_have_in, &three, 20));
	CU_ASSERT_EQUAL(bgp_speaker_peer_in(s.sp, emu_env()->peer_a), 3);
	CU_ASSERT(emu_fib_via_peer(&s, "10.202.0.9"));
	CU_ASSERT(emu_fib_via_peer(&s, "10.202.2.1"));
	/* ours in GoBGP's RIB: AS path 12076, next hop our address */
	CU_ASSERT(emu_cli_wait(&s, "10.100.1.0/24", out, sizeof(out), 20,
	    GOBGP "global rib -a ipv4"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "10.100.0.0/16"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "12076"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, emu_env()->me));
	snprintf(cmd, sizeof(cmd), GOBGP "neighbor %s", emu_env()->me);
	emu_out(out, sizeof(out), "%s", cmd);
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "BGP state = ESTABLISHED"));
	CU_ASSERT_EQUAL(bgp_speaker_peer_stats(s.sp, emu_env()->peer_a, &st),
	    0);
	CU_ASSERT_EQUAL(st.flaps, 0);
	CU_ASSERT_EQUAL(st.prefixes_out, 2);
	/* a withdrawal from GoBGP leaves the FIB */
	CU_ASSERT_EQUAL(emu_out(out, sizeof(out),
	    GOBGP "global rib del -a ipv4 10.202.2.0/24"), 0);
	emu_run_until(&s, NULL, NULL, 2);
	CU_ASSERT_EQUAL(bgp_speaker_peer_in(s.sp, emu_env()->peer_a), 2);
	CU_ASSERT_FALSE(emu_fib_via_peer(&s, "10.202.2.1"));
	emu_stop(gobgp_id);
	CU_ASSERT(emu_run_until(&s, emu_not_established, NULL, 10));
	emu_sim_free(&s);
}

static void
test_gobgp_max_prefix(void)
{
	struct emu_sim s;
	struct bgp_peer_stats st;
	char out[8192], cmd[300];

	emu_sim_new(&s, 2);	/* GoBGP sends 3 */
	gobgp_start();
	emu_sim_start(&s);
	gobgp_routes(&s);
	if (!emu_run_until(&s, emu_ever_established, NULL, 40))
		emu_show_log("gobgpd");
	CU_ASSERT_FATAL(emu_ever_established(&s, NULL));
	CU_ASSERT(emu_run_until(&s, emu_not_established, NULL, 20));
	CU_ASSERT_EQUAL(bgp_speaker_peer_stats(s.sp, emu_env()->peer_a, &st),
	    0);
	CU_ASSERT_EQUAL(st.max_prefix_teardowns, 1);
	CU_ASSERT_EQUAL(st.last_notif_sent[0], 6);
	CU_ASSERT_EQUAL(st.last_notif_sent[1], 1);
	/* GoBGP's log names the NOTIFICATION it received */
	snprintf(cmd, sizeof(cmd), "cat %s/gobgpd.log", emu_env()->dir);
	CU_ASSERT(emu_cli_wait(&s, "maximum number of prefixes reached",
	    out, sizeof(out), 10, cmd));
	emu_stop(gobgp_id);
	emu_sim_free(&s);
}

/*
 * A 4-octet AS (RFC 6793): GoBGP as AS 4200000001 (private, as customers
 * use) puts AS_TRANS in its OPEN's 2-octet field and the real AS in the
 * capability; the session comes up, GoBGP lists the capability, and the
 * speaker's route from it carries AS 4200000001 in its AS path.
 */
static void
test_gobgp_as4(void)
{
	struct emu_sim s;
	struct bgp_route best;
	struct bgp_attrs_var var;
	size_t three = 3;
	char out[8192], cmd[300];
	unsigned k, found = 0;

	emu_env()->peer_as = 4200000001u;
	emu_sim_new(&s, 0);
	CU_ASSERT_EQUAL(bgp_speaker_add_network(s.sp, 0x0a640000, 16), 0);
	gobgp_start();
	emu_sim_start(&s);
	gobgp_routes(&s);
	emu_env()->peer_as = 0;
	if (!emu_run_until(&s, emu_established, NULL, 40))
		emu_show_log("gobgpd");
	CU_ASSERT_FATAL(emu_established(&s, NULL));
	CU_ASSERT(emu_run_until(&s, emu_have_in, &three, 20));
	CU_ASSERT(emu_fib_via_peer(&s, "10.202.1.1"));
	/* the speaker's best route carries the 4-octet AS in its path */
	CU_ASSERT_FATAL(bgp_rib_best(bgp_speaker_rib(s.sp), 0x0aca0100, 24,
	    &best));
	bgp_attrs_var(best.a, &var);
	for (k = 0; k < var.path_len; k++)
		found += var.path[k] == 4200000001u;
	CU_ASSERT_EQUAL(found, 1);
	snprintf(cmd, sizeof(cmd), GOBGP "neighbor %s", emu_env()->me);
	emu_out(out, sizeof(out), "%s", cmd);
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "4-octet-as"));
	CU_ASSERT(emu_cli_wait(&s, "10.100.0.0/16", out, sizeof(out), 20,
	    GOBGP "global rib -a ipv4"));
	emu_stop(gobgp_id);
	emu_sim_free(&s);
}

static const struct test_case cases[] = {
	{ "GoBGP: routes both ways", test_gobgp_routes_both_ways },
	{ "GoBGP: max-prefix Cease 6/1", test_gobgp_max_prefix },
	{ "GoBGP: 4-octet AS 4200000001", test_gobgp_as4 },
	{ NULL, NULL }
};

int
main(int argc, char **argv)
{
	int r;

	if (!emu_have("gobgpd") || !emu_have("gobgp")) {
		printf("FAIL: gobgpd not found: apt-get install gobgpd\n");
		return 1;
	}
	if ((r = emu_prepare(GOBGP_IDX, "gobgp")) != 0)
		return r;
	return test_main(argc, argv, "emu_gobgp", cases);
}
