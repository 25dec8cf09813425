/*
 * test_bgp_fix_cfg.c - fixes to the speaker's configuration and counters:
 * neighbour MD5 keys and GTSM hops validated; UPDATE counters equal to
 * the UPDATEs on the wire at both ends (End-of-RIB is one); many network
 * statements; a peer back from a graceful restart with a new BGP
 * Identifier decided on the new one, at the instant it is Established.
 */
#include <stdio.h>
#include <stdlib.h>

#include "bgp_sess_testutil.h"

static int
add(struct bgp_speaker *sp, const char *key, uint8_t gtsm, char *err,
    size_t errlen)
{
	static uint32_t next = 1;
	struct bgp_neighbor_cfg nc;

	bgp_neighbor_cfg_init(&nc, (10u << 24) | next++, 65001);
	if (key != NULL)
		memcpy(nc.md5_key, key, sizeof(nc.md5_key));
	nc.gtsm_hops = gtsm;
	return bgp_speaker_add_neighbor(sp, &nc, err, errlen);
}

static void
test_neighbor_validation(void)
{
	struct bs_net b;
	char key[BGP_MD5_KEY_MAX + 1], err[128];

	bs_init(&b, 1);
	bs_speaker(&b, 0, 65000, "1.1.1.1", 0);
	/* 80 bytes and its NUL: the longest key */
	memset(key, 'k', BGP_MD5_KEY_MAX);
	key[BGP_MD5_KEY_MAX] = '\0';
	CU_ASSERT_EQUAL(add(b.sp[0], key, 0, err, sizeof(err)), 0);
	/* 81 bytes, no NUL in the array */
	memset(key, 'k', sizeof(key));
	err[0] = '\0';
	CU_ASSERT_EQUAL(add(b.sp[0], key, 0, err, sizeof(err)), -1);
	CU_ASSERT_STRING_EQUAL(err, "MD5 key longer than 80 bytes or not "
	    "NUL-terminated");
	CU_ASSERT_EQUAL(add(b.sp[0], NULL, 1, err, sizeof(err)), 0);
	CU_ASSERT_EQUAL(add(b.sp[0], NULL, 254, err, sizeof(err)), 0);
	err[0] = '\0';
	CU_ASSERT_EQUAL(add(b.sp[0], NULL, 255, err, sizeof(err)), -1);
	CU_ASSERT_STRING_EQUAL(err, "GTSM hops 255 not in 1..254");
	bs_free(&b);
}

/* BGP UPDATEs in the TCP segments leaving a node's interface 0. */
struct wire_count {
	int updates, msgs;
};

static bool
count_tap(struct node *n, uint32_t ifindex, const struct pkt *frame,
    void *ctx)
{
	struct wire_count *wc = ctx;
	struct wire_frame f;
	const uint8_t *m;
	size_t real, off;

	(void)n;
	(void)ifindex;
	if (wire_parse(frame->data, frame->len, frame->virt_len, false, &f) !=
	    WIRE_OK || !f.has_tcp || (f.tcp.sport != BGP_PORT &&
	    f.tcp.dport != BGP_PORT))
		return false;
	m = frame->data + f.payload_off;
	real = frame->len - f.payload_off < f.payload_len ?
	    frame->len - f.payload_off : f.payload_len;
	CU_ASSERT_EQUAL_FATAL(real, f.payload_len);
	/* small messages, Nagle off: each segment holds whole messages */
	for (off = 0; off < real;) {
		size_t len;

		CU_ASSERT_FATAL(real - off >= BGP_HDR_LEN);
		len = (size_t)m[off + 16] << 8 | m[off + 17];
		CU_ASSERT_FATAL(len >= BGP_HDR_LEN && off + len <= real);
		wc->msgs++;
		wc->updates += m[off + 18] == BGP_UPDATE;
		off += len;
	}
	return false;
}

static void
test_update_counts(void)
{
	struct wire_count w0 = { 0, 0 }, w1 = { 0, 0 };
	struct bgp_peer_stats s0, s1;
	struct bs_net b;

	bs_init(&b, 2);
	bs_link(&b, 0, 1, "10.0.0.0", D);
	bs_speaker(&b, 0, 12076, "1.1.1.1", 0);
	bs_speaker(&b, 1, 31898, "2.2.2.2", 0);
	bs_neighbor(&b, 0, "10.0.0.2", 31898, NULL, false);
	bs_neighbor(&b, 1, "10.0.0.1", 12076, NULL, true);
	bgp_speaker_add_network(b.sp[0], bs_ip("172.16.0.0"), 16);
	bgp_speaker_add_network(b.sp[0], bs_ip("172.17.0.0"), 16);
	node_iface_set_frame_out(b.n[0], 0, count_tap, &w0);
	node_iface_set_frame_out(b.n[1], 0, count_tap, &w1);
	bs_start(&b);
	sim_run_until(b.sim, SIM_S(10));
	/* r1 asks for r0's routes again: a third UPDATE from r0 */
	CU_ASSERT_EQUAL(bgp_speaker_peer_refresh(b.sp[1], bs_ip("10.0.0.1")),
	    0);
	sim_run_until(b.sim, SIM_S(20));
	bgp_speaker_peer_stats(b.sp[0], bs_ip("10.0.0.2"), &s0);
	bgp_speaker_peer_stats(b.sp[1], bs_ip("10.0.0.1"), &s1);
	/* r0: both prefixes in one UPDATE, End-of-RIB, the refresh's */
	CU_ASSERT_EQUAL(w0.updates, 3);
	CU_ASSERT_EQUAL(s0.updates_out, 3);
	CU_ASSERT_EQUAL(s1.updates_in, 3);
	/* r1: its End-of-RIB only */
	CU_ASSERT_EQUAL(w1.updates, 1);
	CU_ASSERT_EQUAL(s1.updates_out, 1);
	CU_ASSERT_EQUAL(s0.updates_in, 1);
	CU_ASSERT_EQUAL(s0.prefixes_out, 4);
	CU_ASSERT_EQUAL(s1.prefixes_in, 4);
	bs_free(&b);
}

/*
 * 100,000 network statements: every one in the Loc-RIB and sent (the
 * speaker keeps them once, in its origination table).
 */
static void
test_many_networks(void)
{
	struct bgp_peer_stats s0;
	struct bs_net b;
	uint32_t i;

	bs_init(&b, 2);
	bs_link(&b, 0, 1, "10.0.0.0", D);
	bs_speaker(&b, 0, 12076, "1.1.1.1", 0);
	bs_speaker(&b, 1, 31898, "2.2.2.2", 0);
	bs_neighbor(&b, 0, "10.0.0.2", 31898, NULL, false);
	bs_neighbor(&b, 1, "10.0.0.1", 12076, NULL, true);
	for (i = 0; i < 100000; i++)
		CU_ASSERT_EQUAL_FATAL(bgp_speaker_add_network(b.sp[0],
		    (100u << 24) + (i << 8), 24), 0);
	/* again: no second route */
	CU_ASSERT_EQUAL(bgp_speaker_add_network(b.sp[0], 100u << 24, 24), 0);
	CU_ASSERT_EQUAL(bgp_speaker_add_network(b.sp[0], (100u << 24) + 1,
	    24), -1);
	CU_ASSERT_EQUAL(bgp_rib_prefix_count(bgp_speaker_rib(b.sp[0])), 100000);
	bs_start(&b);
	sim_run_until(b.sim, SIM_S(10));
	bgp_speaker_peer_stats(b.sp[0], bs_ip("10.0.0.2"), &s0);
	CU_ASSERT_EQUAL(s0.prefixes_out, 100000);
	CU_ASSERT_EQUAL(bgp_speaker_peer_in(b.sp[1], bs_ip("10.0.0.1")),
	    100000);
	bs_free(&b);
}

/* ---- a peer back from a graceful restart ---- */

static void
r1_speaker(struct bs_net *b, const char *id)
{
	struct bgp_neighbor_cfg nc;
	char err[128];

	bs_speaker(b, 1, 31898, id, 0);
	bgp_neighbor_cfg_init(&nc, bs_ip("10.0.0.1"), 12076);
	nc.passive = true;
	nc.graceful_restart = true;
	nc.gr_restart_s = 30;
	CU_ASSERT_EQUAL_FATAL(bgp_speaker_add_neighbor(b->sp[1], &nc, err,
	    sizeof(err)), 0);
	bgp_speaker_add_network(b->sp[1], bs_ip("172.16.0.0"), 16);
}

/*
 * r0 (AS 12076) hears 172.16/16 from r1 (AS 31898, 2.2.2.2, 1 ms away)
 * and r2 (AS 31899, 3.3.3.3, 10 ms away): equal routes, r1's first. r1
 * wins, by its lower identifier or (oldest) by its older route. r1
 * restarts; r0 keeps its route through the restart and, the moment the
 * session is back, decides on what the new session says: with
 * identifier 4.4.4.4 r2's lower one wins; with oldest-eBGP r2's route is
 * now the older one.
 */
static void
gr_back(bool oldest, const char *new_id)
{
	struct bgp_speaker_cfg c;
	struct bgp_neighbor_cfg nc;
	struct bgp_peer_stats s0;
	struct bs_watch w;
	struct bs_net b;
	char err[128] = "";

	bs_init(&b, 3);
	bs_link(&b, 0, 1, "10.0.0.0", D);
	bs_link(&b, 0, 2, "10.0.1.0", 10 * D);
	bgp_speaker_cfg_init(&c, 12076, bs_ip("1.1.1.1"));
	c.ebgp_mrai = 0;
	c.oldest_ebgp = oldest;
	b.sp[0] = bgp_speaker_new(b.n[0], &c, err, sizeof(err));
	CU_ASSERT_PTR_NOT_NULL_FATAL(b.sp[0]);
	bgp_neighbor_cfg_init(&nc, bs_ip("10.0.0.2"), 31898);
	nc.graceful_restart = true;
	CU_ASSERT_EQUAL_FATAL(bgp_speaker_add_neighbor(b.sp[0], &nc, err,
	    sizeof(err)), 0);
	bs_neighbor(&b, 0, "10.0.1.2", 31899, NULL, false);
	r1_speaker(&b, "2.2.2.2");
	bs_speaker(&b, 2, 31899, "3.3.3.3", 0);
	bs_neighbor(&b, 2, "10.0.1.1", 12076, NULL, true);
	bgp_speaker_add_network(b.sp[2], bs_ip("172.16.0.0"), 16);
	bs_watch(&b, 0, &w, "172.16.0.0", 16);
	bs_start(&b);
	sim_run_until(b.sim, SIM_S(5));
	CU_ASSERT_EQUAL(bs_via(&b, 0, "172.16.1.1"), bs_ip("10.0.0.2"));
	CU_ASSERT_EQUAL(bgp_speaker_peer_state(b.sp[0], bs_ip("10.0.1.2")),
	    BGP_ST_ESTABLISHED);
	/* the restart: r1's connection reset, its route kept stale */
	bgp_speaker_free(b.sp[1]);
	b.sp[1] = NULL;
	r1_speaker(&b, new_id);
	CU_ASSERT_EQUAL_FATAL(bgp_speaker_start(b.sp[1], err, sizeof(err)),
	    0);
	sim_run_until(b.sim, SIM_S(9));
	CU_ASSERT_EQUAL(bs_via(&b, 0, "172.16.1.1"), bs_ip("10.0.0.2"));
	sim_run_until(b.sim, SIM_S(30));
	bgp_speaker_peer_stats(b.sp[0], bs_ip("10.0.0.2"), &s0);
	CU_ASSERT_EQUAL(s0.flaps, 1);
	/*
	 * as test_bgp_sess_gr.c: down one delay and a 66-byte RST after
	 * the crash, back after r0's IdleHoldTime (5 s) and the handshake,
	 * OPENs 8 bytes longer for the GR capability
	 */
	CU_ASSERT_EQUAL(s0.last_established, SIM_S(5) + D + TX(66) +
	    SIM_S(5) + T_UP_ACTIVE + TX(8));
	CU_ASSERT_EQUAL(bs_via(&b, 0, "172.16.1.1"), bs_ip("10.0.1.2"));
	/* r1's route, then r2's at the very instant r1's session is back */
	CU_ASSERT_EQUAL_FATAL(w.n, 2);
	CU_ASSERT_EQUAL(w.via[0], bs_ip("10.0.0.2"));
	CU_ASSERT(w.t[0] < 10 * D);
	CU_ASSERT_EQUAL(w.t[1], s0.last_established);
	CU_ASSERT_EQUAL(w.via[1], bs_ip("10.0.1.2"));
	bs_unwatch(&b, 0, &w);
	bs_free(&b);
}

static void
test_gr_new_identifier(void)
{
	gr_back(false, "4.4.4.4");
}

static void
test_gr_oldest_ebgp(void)
{
	gr_back(true, "2.2.2.2");
}

/*
 * The speaker's decision options reach its Loc-RIB: r1 (AS 31898, 2.2.2.2)
 * sends 172.16/16 with MED 50, r2 (AS 31899, 3.3.3.3) with MED 10. MEDs of
 * different neighbour ASes are not compared by default: r1 wins on its
 * identifier; with always_compare_med r2's lower MED wins.
 */
static void
med_case(bool always, uint32_t want_via)
{
	struct bgp_polset *ps = bgp_polset_new();
	struct bgp_policy *m50 = bgp_policy_new(ps, "m50");
	struct bgp_policy *m10 = bgp_policy_new(ps, "m10");
	struct bgp_speaker_cfg c;
	struct bgp_neighbor_cfg nc;
	struct bgp_pol_err e;
	struct bs_net b;
	char err[128] = "";

	CU_ASSERT_EQUAL_FATAL(bgp_policy_action(m50, "med 50", &e), 0);
	CU_ASSERT_EQUAL_FATAL(bgp_policy_action(m10, "med 10", &e), 0);
	bs_init(&b, 3);
	bs_link(&b, 0, 1, "10.0.0.0", D);
	bs_link(&b, 0, 2, "10.0.1.0", D);
	bgp_speaker_cfg_init(&c, 12076, bs_ip("1.1.1.1"));
	c.ebgp_mrai = 0;
	c.always_compare_med = always;
	b.sp[0] = bgp_speaker_new(b.n[0], &c, err, sizeof(err));
	CU_ASSERT_PTR_NOT_NULL_FATAL(b.sp[0]);
	bs_neighbor(&b, 0, "10.0.0.2", 31898, NULL, false);
	bs_neighbor(&b, 0, "10.0.1.2", 31899, NULL, false);
	bs_speaker(&b, 1, 31898, "2.2.2.2", 0);
	bs_speaker(&b, 2, 31899, "3.3.3.3", 0);
	bgp_neighbor_cfg_init(&nc, bs_ip("10.0.0.1"), 12076);
	nc.passive = true;
	nc.export = m50;
	CU_ASSERT_EQUAL_FATAL(bgp_speaker_add_neighbor(b.sp[1], &nc, err,
	    sizeof(err)), 0);
	bgp_neighbor_cfg_init(&nc, bs_ip("10.0.1.1"), 12076);
	nc.passive = true;
	nc.export = m10;
	CU_ASSERT_EQUAL_FATAL(bgp_speaker_add_neighbor(b.sp[2], &nc, err,
	    sizeof(err)), 0);
	bgp_speaker_add_network(b.sp[1], bs_ip("172.16.0.0"), 16);
	bgp_speaker_add_network(b.sp[2], bs_ip("172.16.0.0"), 16);
	bs_start(&b);
	sim_run_until(b.sim, SIM_S(5));
	CU_ASSERT_EQUAL(bs_via(&b, 0, "172.16.1.1"), want_via);
	bs_free(&b);
	bgp_polset_free(ps);
}

static void
test_always_compare_med(void)
{
	med_case(false, bs_ip("10.0.0.2"));
	med_case(true, bs_ip("10.0.1.2"));
}

static const struct test_case cases[] = {
	{ "neighbour MD5 key and GTSM hops validated",
	    test_neighbor_validation },
	{ "UPDATE counters equal the UPDATEs on the wire, End-of-RIB included",
	    test_update_counts },
	{ "100,000 network statements", test_many_networks },
	{ "graceful restart with a new BGP Identifier: decided on it",
	    test_gr_new_identifier },
	{ "graceful restart: the routes as old as the new session",
	    test_gr_oldest_ebgp },
	{ "always_compare_med reaches the decision", test_always_compare_med },
	{ NULL, NULL },
};

int
main(int argc, char **argv)
{
	return test_main(argc, argv, "bgp_fix_cfg", cases);
}
