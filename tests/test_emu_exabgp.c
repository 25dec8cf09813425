/*
 * test_emu_exabgp.c - the simulated MSEE (AS 12076, bgp_fsm_msee_cfg) peers
 * over real sockets with ExaBGP in a namespace of its own: ExaBGP connects
 * (it does not listen), its static routes reach the speaker's Adj-RIB-In
 * and the node's FIB, and the speaker's UPDATEs, as ExaBGP's API decodes
 * them to JSON, carry our prefixes, AS path [12076] and our next hop. With
 * a max-prefix below what ExaBGP sends, ExaBGP's API reports the
 * NOTIFICATION it received: code 6, subcode 1.
 */
#define _GNU_SOURCE	/* unshare */
#include "emu/emu_testutil.h"

#define EXA_IDX 104

static unsigned exa_id;

static void
exa_start(void)
{
	struct emu_env *v = emu_env();
	char conf[300], dump[300];
	char *argv[] = { "env", "PYTHONUNBUFFERED=1", "exabgp.daemon.user=root",
		"exabgp.log.destination=stdout", "exabgp.daemon.daemonize=false",
		"exabgp.api.cli=false", "exabgp.daemon.drop=false",
		"exabgp", conf, NULL };

	emu_write(dump, sizeof(dump), "dump.sh",
	    "#!/bin/sh\n"
	    "while read -r line; do\n"
	    "  printf '%%s\\n' \"$line\" >> %s/exabgp.json\n"
	    "done\n", v->dir);
	chmod(dump, 0755);
	emu_write(conf, sizeof(conf), "exabgp.conf",
	    "process dump {\n"
	    "  run %s;\n"
	    "  encoder json;\n"
	    "}\n"
	    "neighbor %s {\n"
	    "  router-id %s;\n"
	    "  local-address %s;\n"
	    "  local-as %d;\n"
	    "  peer-as %d;\n"
	    "  family { ipv4 unicast; }\n"
	    "  api {\n"
	    "    processes [ dump ];\n"
	    "    receive { parsed; update; notification; }\n"
	    "    neighbor-changes;\n"
	    "  }\n"
	    "  static {\n"
	    "    route 10.204.0.0/24 next-hop self;\n"
	    "    route 10.204.1.0/24 next-hop self;\n"
	    "    route 10.204.2.0/24 next-hop self;\n"
	    "    route 10.204.3.0/24 next-hop self community [ 65010:100 ]"
	    " large-community [ 65010:1:2 ] med 50"
	    " attribute [ 0x63 0xc0 0x0102030405 ];\n"
	    "  }\n"
	    "}\n", dump, v->me, v->peer, v->peer, EMU_PEER_AS, EMU_MSEE_AS);
	emu_spawn("exabgp", &exa_id, argv);
}

static const char *
exa_json(void)
{
	static char cmd[300];

	snprintf(cmd, sizeof(cmd), "cat %s/exabgp.json", emu_env()->dir);
	return cmd;
}

static void
test_exabgp_routes_both_ways(void)
{
	struct emu_sim s;
	struct bgp_peer_stats st;
	struct bgp_route best;
	struct bgp_attrs_var var;
	size_t four = 4;
	char out[16384];

	emu_sim_new(&s, 0);
	CU_ASSERT_EQUAL(bgp_speaker_add_network(s.sp, 0x0a640000, 16), 0);
	CU_ASSERT_EQUAL(bgp_speaker_add_network(s.sp, 0x0a640100, 24), 0);
	exa_start();
	emu_sim_start(&s);
	if (!emu_run_until(&s, emu_established, NULL, 40))
		emu_show_log("exabgp");
	CU_ASSERT_FATAL(emu_established(&s, NULL));
	CU_ASSERT(emu_run_until(&s, emu_have_in, &four, 20));
	CU_ASSERT_EQUAL(bgp_speaker_peer_in(s.sp, emu_env()->peer_a), 4);
	CU_ASSERT(emu_fib_via_peer(&s, "10.204.0.1"));
	CU_ASSERT(emu_fib_via_peer(&s, "10.204.2.3"));
	/*
	 * The route with a community, a large community, a MED and an
	 * unknown optional transitive attribute (type 99): all kept.
	 */
	CU_ASSERT_FATAL(bgp_rib_best(bgp_speaker_rib(s.sp), 0x0acc0300, 24,
	    &best));
	bgp_attrs_var(best.a, &var);
	CU_ASSERT_EQUAL(var.n_comm, 1);
	CU_ASSERT_EQUAL(var.n_comm == 1 ? var.comm[0] : 0,
	    (65010u << 16) | 100);
	CU_ASSERT_EQUAL(var.n_lcomm, 1);
	CU_ASSERT_EQUAL(best.a->med, 50);
	CU_ASSERT(var.unknown_len >= 8);
	/* ExaBGP decoded our UPDATE */
	CU_ASSERT(emu_cli_wait(&s, "10.100.1.0/24", out, sizeof(out), 20,
	    exa_json()));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "10.100.0.0/16"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "\"as-path\": [ 12076 ]"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "\"state\": \"up\""));
	CU_ASSERT_EQUAL(bgp_speaker_peer_stats(s.sp, emu_env()->peer_a, &st),
	    0);
	CU_ASSERT_EQUAL(st.flaps, 0);
	CU_ASSERT_EQUAL(st.prefixes_out, 2);
	emu_stop(exa_id);
	CU_ASSERT(emu_run_until(&s, emu_not_established, NULL, 10));
	emu_sim_free(&s);
}

static void
test_exabgp_max_prefix(void)
{
	struct emu_sim s;
	struct bgp_peer_stats st;
	char out[16384];

	emu_sim_new(&s, 2);	/* ExaBGP sends 3 */
	exa_start();
	emu_sim_start(&s);
	if (!emu_run_until(&s, emu_ever_established, NULL, 40))
		emu_show_log("exabgp");
	CU_ASSERT_FATAL(emu_ever_established(&s, NULL));
	CU_ASSERT(emu_run_until(&s, emu_not_established, NULL, 20));
	CU_ASSERT_EQUAL(bgp_speaker_peer_stats(s.sp, emu_env()->peer_a, &st),
	    0);
	CU_ASSERT_EQUAL(st.max_prefix_teardowns, 1);
	CU_ASSERT_EQUAL(st.last_notif_sent[0], 6);
	CU_ASSERT_EQUAL(st.last_notif_sent[1], 1);
	/* ExaBGP's API: the NOTIFICATION it received */
	CU_ASSERT(emu_cli_wait(&s, "\"notification\"", out, sizeof(out), 10,
	    exa_json()));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "\"code\": 6"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "\"subcode\": 1"));
	emu_stop(exa_id);
	emu_sim_free(&s);
}

static const struct test_case cases[] = {
	{ "ExaBGP: routes both ways", test_exabgp_routes_both_ways },
	{ "ExaBGP: max-prefix Cease 6/1", test_exabgp_max_prefix },
	{ NULL, NULL }
};

int
main(int argc, char **argv)
{
	int r;

	if (!emu_have("exabgp")) {
		printf("FAIL: exabgp not found: apt-get install exabgp\n");
		return 1;
	}
	if ((r = emu_prepare(EXA_IDX, "exabgp")) != 0)
		return r;
	return test_main(argc, argv, "emu_exabgp", cases);
}
