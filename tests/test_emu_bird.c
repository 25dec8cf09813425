/*
 * test_emu_bird.c - the simulated MSEE (AS 12076, bgp_fsm_msee_cfg) peers
 * over real sockets with BIRD 2 in a namespace of its own: the session
 * establishes, routes go both ways (BIRD's in the speaker's Adj-RIB-In and
 * the node's FIB, the speaker's in BIRD's table as birdc shows it), and
 * BIRD sending more than the neighbour's max-prefix gets Cease 6/1, which
 * BIRD reports as received.
 */
#define _GNU_SOURCE	/* unshare */
#include "emu/emu_testutil.h"

#define BIRD_IDX 101

static unsigned bird_id;

static void
bird_start_full(const char *extra, const char *tail)
{
	struct emu_env *v = emu_env();
	char conf[300], ctl[300];
	char *argv[] = { "bird", "-f", "-c", conf, "-s", ctl, NULL };

	emu_write(conf, sizeof(conf), "bird.conf",
	    "log stderr all;\n"
	    "router id %s;\n"
	    "protocol device { }\n"
	    "protocol static s4 {\n"
	    "  ipv4;\n"
	    "  route 10.201.0.0/24 blackhole;\n"
	    "  route 10.201.1.0/24 blackhole;\n"
	    "  route 10.201.2.0/24 blackhole;\n"
	    "}\n"
	    "protocol bgp msee {\n"
	    "  local %s as %d;\n"
	    "  neighbor %s as %d;\n"
	    "  strict bind yes;\n"
	    "  connect delay time 1;\n"
	    "  %s\n"
	    "  ipv4 { import all; export where source = RTS_STATIC; };\n"
	    "}\n%s\n", v->peer, v->peer, EMU_PEER_AS, v->me, EMU_MSEE_AS, extra,
	    tail);
	snprintf(ctl, sizeof(ctl), "%s/bird.ctl", v->dir);
	emu_spawn("bird", &bird_id, argv);
}

static void
bird_start_opts(const char *extra)
{
	bird_start_full(extra, "");
}

static void
bird_start(void)
{
	bird_start_opts("");
}

static const char *
birdc(void)
{
	static char cmd[400];

	snprintf(cmd, sizeof(cmd), "birdc -s %s/bird.ctl", emu_env()->dir);
	return cmd;
}

static void
test_bird_routes_both_ways(void)
{
	struct emu_sim s;
	struct bgp_peer_stats st;
	size_t three = 3;
	char out[8192], cmd[600];

	emu_sim_new(&s, 0);
	CU_ASSERT_EQUAL(bgp_speaker_add_network(s.sp, 0x0a640000, 16), 0);
	CU_ASSERT_EQUAL(bgp_speaker_add_network(s.sp, 0x0a640100, 24), 0);
	bird_start();
	emu_sim_start(&s);
	if (!emu_run_until(&s, emu_established, NULL, 40))
		emu_show_log("bird");
	CU_ASSERT_FATAL(emu_established(&s, NULL));
	/* BIRD's routes: Adj-RIB-In, then the node's FIB via BIRD */
	CU_ASSERT(emu_run_until(&s, emu_have_in, &three, 20));
	CU_ASSERT_EQUAL(bgp_speaker_peer_in(s.sp, emu_env()->peer_a), 3);
	CU_ASSERT(emu_fib_via_peer(&s, "10.201.1.77"));
	CU_ASSERT(emu_fib_via_peer(&s, "10.201.2.1"));
	CU_ASSERT_FALSE(emu_fib_via_peer(&s, "10.202.0.1"));
	/* ours in BIRD's table, from AS 12076, next hop our address */
	snprintf(cmd, sizeof(cmd), "%s show route all protocol msee", birdc());
	CU_ASSERT(emu_cli_wait(&s, "10.100.1.0/24", out, sizeof(out), 20,
	    cmd));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "10.100.0.0/16"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "BGP.as_path: 12076"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, emu_env()->me));
	snprintf(cmd, sizeof(cmd), "%s show protocols msee", birdc());
	emu_out(out, sizeof(out), "%s", cmd);
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "Established"));
	CU_ASSERT_EQUAL(bgp_speaker_peer_stats(s.sp, emu_env()->peer_a, &st),
	    0);
	CU_ASSERT_EQUAL(st.flaps, 0);
	CU_ASSERT_EQUAL(st.prefixes_in, 3);
	CU_ASSERT_EQUAL(st.prefixes_out, 2);
	emu_stop(bird_id);
	/* BIRD's Cease on its way down ends the session here too */
	CU_ASSERT(emu_run_until(&s, emu_not_established, NULL, 10));
	emu_sim_free(&s);
}

static void
test_bird_max_prefix(void)
{
	struct emu_sim s;
	struct bgp_peer_stats st;
	char out[8192], cmd[600];

	emu_sim_new(&s, 2);	/* BIRD sends 3 */
	bird_start();
	emu_sim_start(&s);
	if (!emu_run_until(&s, emu_ever_established, NULL, 40))
		emu_show_log("bird");
	CU_ASSERT_FATAL(emu_ever_established(&s, NULL));
	CU_ASSERT(emu_run_until(&s, emu_not_established, NULL, 20));
	CU_ASSERT_EQUAL(bgp_speaker_peer_stats(s.sp, emu_env()->peer_a, &st),
	    0);
	CU_ASSERT_EQUAL(st.max_prefix_teardowns, 1);
	CU_ASSERT_EQUAL(st.last_notif_sent[0], 6);
	CU_ASSERT_EQUAL(st.last_notif_sent[1], 1);
	/* BIRD's view: it received that Cease */
	snprintf(cmd, sizeof(cmd), "%s show protocols all msee", birdc());
	CU_ASSERT(emu_cli_wait(&s, "Received: Maximum number of prefixes "
	    "reached", out, sizeof(out), 10, cmd));
	/* and the speaker stays down (no restart configured) */
	emu_run_until(&s, NULL, NULL, 2);
	CU_ASSERT_FALSE(emu_established(&s, NULL));
	CU_ASSERT_FALSE(emu_fib_via_peer(&s, "10.201.1.77"));
	emu_stop(bird_id);
	emu_sim_free(&s);
}

/*
 * MD5 (RFC 2385) and GTSM (RFC 5082) with a real peer: the speaker's
 * listener holds BIRD's key (TCP_MD5SIG per peer) and IP_MINTTL 255, its
 * connect signs and sends TTL 255; BIRD does the same ("password", "ttl
 * security"). A wrong key keeps the session down.
 */
static void
test_bird_md5_gtsm(void)
{
	struct emu_sim s;
	size_t three = 3;

	emu_sim_new_opts(&s, 0, "xcsim-md5-key", 1);
	bird_start_opts("password \"xcsim-md5-key\"; ttl security yes;");
	emu_sim_start(&s);
	if (!emu_run_until(&s, emu_established, NULL, 40))
		emu_show_log("bird");
	CU_ASSERT_FATAL(emu_established(&s, NULL));
	CU_ASSERT(emu_run_until(&s, emu_have_in, &three, 20));
	emu_stop(bird_id);
	emu_sim_free(&s);

	emu_sim_new_opts(&s, 0, "xcsim-md5-key", 1);
	bird_start_opts("password \"another-key\"; ttl security yes;");
	emu_sim_start(&s);
	CU_ASSERT_FALSE(emu_run_until(&s, emu_ever_established, NULL, 6));
	emu_stop(bird_id);
	emu_sim_free(&s);
}

#define BULK 16000

static bool
have_bulk(struct emu_sim *s, void *arg)
{
	(void)arg;
	return bgp_speaker_peer_in(s->sp, emu_env()->peer_a) == BULK + 3;
}

/*
 * A full-ish table each way over the socket backend: 16,000 prefixes from
 * BIRD into the speaker, 16,000 originated by the speaker into BIRD: the
 * packed UPDATEs of a table of that size through the socket backend, both
 * ways, every prefix accounted for on both sides.
 */
static void
test_bird_bulk(void)
{
	struct emu_sim s;
	struct bgp_peer_stats st;
	char path[300], *text, tail[400], out[8192], cmd[600], want[64];
	size_t off = 0, cap = (size_t)BULK * 48 + 64;
	int i;

	text = malloc(cap);
	CU_ASSERT_PTR_NOT_NULL_FATAL(text);
	off += (size_t)snprintf(text + off, cap - off,
	    "protocol static bulk {\n  ipv4;\n");
	for (i = 0; i < BULK; i++)
		off += (size_t)snprintf(text + off, cap - off,
		    "  route 100.%d.%d.0/24 blackhole;\n", 64 + (i >> 8),
		    i & 255);
	snprintf(text + off, cap - off, "}\n");
	emu_write(path, sizeof(path), "bulk.conf", "%s", text);
	free(text);
	snprintf(tail, sizeof(tail), "include \"%s\";", path);

	emu_sim_new(&s, 0);
	for (i = 0; i < BULK; i++)
		CU_ASSERT_EQUAL(bgp_speaker_add_network(s.sp,
		    (uint32_t)20 << 24 | (uint32_t)i << 8, 24), 0);
	bird_start_full("", tail);
	emu_sim_start(&s);
	if (!emu_run_until(&s, emu_established, NULL, 40))
		emu_show_log("bird");
	CU_ASSERT_FATAL(emu_established(&s, NULL));
	CU_ASSERT(emu_run_until(&s, have_bulk, NULL, 60));
	CU_ASSERT(emu_fib_via_peer(&s, "100.126.127.9"));
	snprintf(cmd, sizeof(cmd), "%s show route protocol msee count",
	    birdc());
	/* ours, out of BIRD's table: ours, its own bulk and its 3 */
	snprintf(want, sizeof(want), "%d of %d routes", BULK, 2 * BULK + 3);
	if (!emu_cli_wait(&s, want, out, sizeof(out), 60, cmd)) {
		CU_FAIL("BIRD did not get every prefix");
		fprintf(stderr, "%s\n", out);
	}
	CU_ASSERT_EQUAL(bgp_speaker_peer_stats(s.sp, emu_env()->peer_a, &st),
	    0);
	CU_ASSERT_EQUAL(st.prefixes_out, BULK);
	CU_ASSERT_EQUAL(st.flaps, 0);
	emu_stop(bird_id);
	emu_sim_free(&s);
}

static const struct test_case cases[] = {
	{ "BIRD: routes both ways", test_bird_routes_both_ways },
	{ "BIRD: max-prefix Cease 6/1", test_bird_max_prefix },
	{ "BIRD: MD5 and GTSM", test_bird_md5_gtsm },
	{ "BIRD: 16,000 prefixes each way", test_bird_bulk },
	{ NULL, NULL }
};

int
main(int argc, char **argv)
{
	int r;

	if (!emu_have("bird") || !emu_have("birdc")) {
		printf("FAIL: bird not found: apt-get install bird2\n");
		return 1;
	}
	if ((r = emu_prepare(BIRD_IDX, "bird")) != 0)
		return r;
	return test_main(argc, argv, "emu_bird", cases);
}
