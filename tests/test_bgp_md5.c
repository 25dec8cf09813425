/*
 * test_bgp_md5.c - the speaker's transport security, end to end over the
 * simulated TCP with exact times: the same RFC 2385 key on both sides
 * brings the session up exactly as fast as without, but for the bigger
 * headers' serialisation; a key on one side only, or different keys,
 * keeps it down with every SYN dropped for its reason and BGP never
 * seeing a byte; GTSM (RFC 5082) refusing a peer two hops away with one
 * hop allowed and accepting it with two; the TTL of an accepted eBGP
 * connection (1 single hop, the neighbour's ttl multihop, 64 iBGP).
 */
#include "bgp_speaker_testutil.h"
#include "tcp_wire.h"

#define D SIM_MS(1)
/* serialization of an n-byte frame at 1 Gbps */
#define TX(n) ((sim_time)(n) * 8)
/*
 * The active side's Established, as test_bgp_speaker.c derives it: SYN,
 * SYN-ACK, our ACK and OPEN back to back, the peer's OPEN and KEEPALIVE
 * in one segment, over four link delays.
 */
#define T_UP(syn, seg) (4 * D + TX(syn) + TX(syn) + TX(seg) + \
	TX((seg) + 45) + TX((seg) + 19))
/*
 * Unsigned: a 74-byte SYN (MSS, SACK-permitted with timestamps, window
 * scale), 66-byte segments (timestamps). Signed: the SYN carries MD5 (20)
 * instead of timestamps (86 bytes), every later segment MD5 instead of
 * timestamps (74 bytes).
 */
#define T_UP_PLAIN T_UP(74, 66)
#define T_UP_MD5 T_UP(86, 74)

#define KEY "Oracle-MSEE-primary"

/* What leaves an end node's interface: TCP segments, signed or not, TTLs. */
struct seen {
	int segs, signed_segs, syns;
	uint8_t ttl_min, ttl_max;
};

static bool
seen_tap(struct node *n, uint32_t ifindex, const struct pkt *frame,
    void *ctx)
{
	struct seen *s = ctx;
	struct wire_frame f;
	struct tcp_opts o;

	(void)n;
	(void)ifindex;
	if (wire_parse(frame->data, frame->len, frame->virt_len, true, &f) !=
	    WIRE_OK || !f.has_tcp)
		return false;
	CU_ASSERT_EQUAL_FATAL(tcp_opts_parse(frame->data + f.l4_off + 20,
	    (size_t)f.tcp.off * 4 - 20, &o), TCP_OPT_OK);
	if (s->segs == 0 || f.ip.ttl < s->ttl_min)
		s->ttl_min = f.ip.ttl;
	if (f.ip.ttl > s->ttl_max)
		s->ttl_max = f.ip.ttl;
	s->segs++;
	s->signed_segs += o.has_md5;
	s->syns += (f.tcp.flags & WIRE_TCP_SYN) != 0;
	return false;
}

static void
neighbor(struct bs_net *b, int i, const char *addr, uint32_t as,
    bool passive, const char *key, uint8_t gtsm_hops, uint8_t ttl)
{
	struct bgp_neighbor_cfg nc;
	char err[128] = "";

	bgp_neighbor_cfg_init(&nc, bs_ip(addr), as);
	nc.fsm = i == 0 ? &bgp_fsm_msee_cfg : &bgp_fsm_oci_cfg;
	nc.passive = passive;
	snprintf(nc.md5_key, sizeof(nc.md5_key), "%s", key);
	nc.gtsm_hops = gtsm_hops;
	nc.ttl = ttl;
	CU_ASSERT_EQUAL_FATAL(bgp_speaker_add_neighbor(b->sp[i], &nc, err,
	    sizeof(err)), 0);
}

/* r0 AS 12076 (10.0.0.1, active) -- r1 AS 31898 (10.0.0.2, passive) */
static void
pair(struct bs_net *b, const char *key0, const char *key1, struct seen *s)
{
	bs_init(b, 2);
	bs_link(b, 0, 1, "10.0.0.0", D);
	bs_speaker(b, 0, 12076, "1.1.1.1", 0);
	bs_speaker(b, 1, 31898, "2.2.2.2", 0);
	neighbor(b, 0, "10.0.0.2", 31898, false, key0, 0, 0);
	neighbor(b, 1, "10.0.0.1", 12076, true, key1, 0, 0);
	memset(s, 0, 2 * sizeof(*s));
	node_iface_set_frame_out(b->n[0], 0, seen_tap, &s[0]);
	node_iface_set_frame_out(b->n[1], 0, seen_tap, &s[1]);
}

static const struct tcp_stack_stats *
stats(struct bs_net *b, int i)
{
	return tcp_stack_stats(tcp_stack_find(b->n[i]));
}

static void
up(const char *key, sim_time want)
{
	struct bs_net b;
	struct bgp_peer_stats s0, s1;
	struct bs_watch w;
	struct seen s[2];
	int i;

	pair(&b, key, key, s);
	CU_ASSERT_EQUAL(bgp_speaker_add_network(b.sp[1],
	    bs_ip("172.16.0.0"), 16), 0);
	bs_watch(&b, 0, &w, "172.16.0.0", 16);
	bs_start(&b);
	sim_run_until(b.sim, SIM_S(200));
	bgp_speaker_peer_stats(b.sp[0], bs_ip("10.0.0.2"), &s0);
	bgp_speaker_peer_stats(b.sp[1], bs_ip("10.0.0.1"), &s1);
	CU_ASSERT_EQUAL(s0.first_established, want);
	CU_ASSERT_EQUAL(s1.first_established, want + D);
	CU_ASSERT_EQUAL(s0.flaps + s1.flaps, 0);
	CU_ASSERT_EQUAL(w.n, 1);
	CU_ASSERT_EQUAL(bs_via(&b, 0, "172.16.1.1"), bs_ip("10.0.0.2"));
	for (i = 0; i < 2; i++) {
		/* keepalives every 60 s kept it up: all signed, or none */
		CU_ASSERT(s[i].segs > 5);
		CU_ASSERT_EQUAL(s[i].signed_segs, key[0] != '\0' ?
		    s[i].segs : 0);
		CU_ASSERT_EQUAL(stats(&b, i)->md5_missing +
		    stats(&b, i)->md5_mismatch +
		    stats(&b, i)->md5_unexpected, 0);
	}
	bs_unwatch(&b, 0, &w);
	bs_free(&b);
}

static void
test_same_key(void)
{
	CU_ASSERT_EQUAL(T_UP_PLAIN, 4003280);	/* test_bgp_speaker.c's */
	up("", T_UP_PLAIN);
	/* the same handshake and messages: only 12 + 12 + 8 + 8 + 8 bytes
	 * more on the wire on the way to Established */
	CU_ASSERT_EQUAL(T_UP_MD5, T_UP_PLAIN + TX(48));
	up(KEY, T_UP_MD5);
}

/*
 * Both sides active with the same key: the two connections collide, every
 * segment of both is signed (each listener knows the other's key), and one
 * session comes up.
 */
static void
test_same_key_collision(void)
{
	struct bs_net b;
	struct seen s[2];
	int i;

	bs_init(&b, 2);
	bs_link(&b, 0, 1, "10.0.0.0", D);
	bs_speaker(&b, 0, 12076, "1.1.1.1", 0);
	bs_speaker(&b, 1, 31898, "2.2.2.2", 0);
	neighbor(&b, 0, "10.0.0.2", 31898, false, KEY, 0, 0);
	neighbor(&b, 1, "10.0.0.1", 12076, false, KEY, 0, 0);
	memset(s, 0, sizeof(s));
	node_iface_set_frame_out(b.n[0], 0, seen_tap, &s[0]);
	node_iface_set_frame_out(b.n[1], 0, seen_tap, &s[1]);
	bs_start(&b);
	sim_run_until(b.sim, SIM_S(10));
	CU_ASSERT_EQUAL(bgp_speaker_peer_state(b.sp[0], bs_ip("10.0.0.2")),
	    BGP_ST_ESTABLISHED);
	CU_ASSERT_EQUAL(bgp_speaker_peer_state(b.sp[1], bs_ip("10.0.0.1")),
	    BGP_ST_ESTABLISHED);
	CU_ASSERT_EQUAL(bgp_speaker_peer_conns(b.sp[0], bs_ip("10.0.0.2")), 1);
	for (i = 0; i < 2; i++) {
		CU_ASSERT_EQUAL(s[i].syns, 2);		/* SYN and SYN,ACK */
		CU_ASSERT_EQUAL(s[i].signed_segs, s[i].segs);
		CU_ASSERT_EQUAL(stats(&b, i)->md5_missing +
		    stats(&b, i)->md5_mismatch +
		    stats(&b, i)->md5_unexpected, 0);
	}
	bs_free(&b);
}

/*
 * The keys disagree: r0's SYNs (0, 3, 9, 21 s, then ConnectRetry at
 * 120 s starts another connect) are dropped at r1's listener, each for
 * the reason, unanswered; r1 (passive) never sends; nothing reaches BGP.
 */
static void
down(const char *key0, const char *key1, uint64_t missing,
    uint64_t mismatch, uint64_t unexpected)
{
	struct bs_net b;
	struct bgp_peer_stats s0, s1;
	struct seen s[2];

	pair(&b, key0, key1, s);
	bs_start(&b);
	sim_run_until(b.sim, SIM_S(30));
	CU_ASSERT_EQUAL(s[0].syns, 4);
	CU_ASSERT_EQUAL(s[0].segs, 4);
	CU_ASSERT_EQUAL(s[1].segs, 0);
	CU_ASSERT_EQUAL(stats(&b, 1)->md5_missing, missing);
	CU_ASSERT_EQUAL(stats(&b, 1)->md5_mismatch, mismatch);
	CU_ASSERT_EQUAL(stats(&b, 1)->md5_unexpected, unexpected);
	CU_ASSERT_EQUAL(tcp_stack_n_conns(tcp_stack_find(b.n[1])), 0);
	CU_ASSERT_EQUAL(bgp_speaker_peer_state(b.sp[0], bs_ip("10.0.0.2")),
	    BGP_ST_CONNECT);
	CU_ASSERT_EQUAL(bgp_speaker_peer_state(b.sp[1], bs_ip("10.0.0.1")),
	    BGP_ST_ACTIVE);
	bgp_speaker_peer_stats(b.sp[0], bs_ip("10.0.0.2"), &s0);
	bgp_speaker_peer_stats(b.sp[1], bs_ip("10.0.0.1"), &s1);
	CU_ASSERT_EQUAL(s0.first_established, -1);
	CU_ASSERT_EQUAL(s1.first_established, -1);
	CU_ASSERT_EQUAL(s0.last_rx, -1);		/* not a byte */
	CU_ASSERT_EQUAL(s1.last_rx, -1);
	/* ten minutes on, still down */
	sim_run_until(b.sim, SIM_S(600));
	CU_ASSERT_EQUAL(bgp_speaker_peer_conns(b.sp[1], bs_ip("10.0.0.1")), 1);
	bgp_speaker_peer_stats(b.sp[1], bs_ip("10.0.0.1"), &s1);
	CU_ASSERT_EQUAL(s1.first_established, -1);
	CU_ASSERT_EQUAL(s1.last_rx, -1);
	CU_ASSERT_EQUAL(s[1].segs, 0);
	CU_ASSERT_EQUAL(stats(&b, 1)->md5_missing + stats(&b, 1)->
	    md5_mismatch + stats(&b, 1)->md5_unexpected,
	    (uint64_t)s[0].segs);
	bs_free(&b);
}

static void
test_key_on_active_only(void)
{
	down(KEY, "", 0, 0, 4);
}

static void
test_key_on_passive_only(void)
{
	down("", KEY, 4, 0, 0);
}

static void
test_different_keys(void)
{
	down(KEY, "Oracle-MSEE-secondary", 0, 4, 0);
}

/*
 * r0 - router - r2, eBGP between r0 and r2 with GTSM: r0's segments leave
 * with TTL 255 and reach r2 with 254. gtsm_hops 1 wants 255: refused, the
 * SYNs counted as TTL drops; gtsm_hops 2 wants 254: up, and r2's segments
 * (its SYN,ACK first) leave with 255 too.
 */
static void
gtsm(uint8_t hops)
{
	struct bs_net b;
	struct seen s[2];
	char err[128];

	bs_init(&b, 3);
	bs_link(&b, 0, 1, "10.0.0.0", D);
	bs_link(&b, 1, 2, "10.0.1.0", D);
	CU_ASSERT_EQUAL(node_add_route(b.n[0], 0, bs_ip("10.0.1.0"), 30,
	    bs_ip("10.0.0.2"), IFACE_NONE, err, sizeof(err)), 0);
	CU_ASSERT_EQUAL(node_add_route(b.n[2], 0, bs_ip("10.0.0.0"), 30,
	    bs_ip("10.0.1.1"), IFACE_NONE, err, sizeof(err)), 0);
	bs_speaker(&b, 0, 65001, "1.1.1.1", 0);
	bs_speaker(&b, 2, 65002, "3.3.3.3", 0);
	neighbor(&b, 0, "10.0.1.2", 65002, false, "", hops, 0);
	neighbor(&b, 2, "10.0.0.1", 65001, true, "", hops, 0);
	memset(s, 0, sizeof(s));
	node_iface_set_frame_out(b.n[0], 0, seen_tap, &s[0]);
	node_iface_set_frame_out(b.n[2], 0, seen_tap, &s[1]);
	bs_start(&b);
	sim_run_until(b.sim, SIM_S(30));
	CU_ASSERT_EQUAL(s[0].ttl_min, 255);
	CU_ASSERT_EQUAL(s[0].ttl_max, 255);
	if (hops == 1) {
		CU_ASSERT_EQUAL(s[0].syns, 4);
		CU_ASSERT_EQUAL(stats(&b, 2)->min_ttl_drops, 4);
		CU_ASSERT_EQUAL(s[1].segs, 0);
		CU_ASSERT_EQUAL(bgp_speaker_peer_state(b.sp[2],
		    bs_ip("10.0.0.1")), BGP_ST_ACTIVE);
	} else {
		CU_ASSERT_EQUAL(bgp_speaker_peer_state(b.sp[0],
		    bs_ip("10.0.1.2")), BGP_ST_ESTABLISHED);
		CU_ASSERT_EQUAL(bgp_speaker_peer_state(b.sp[2],
		    bs_ip("10.0.0.1")), BGP_ST_ESTABLISHED);
		CU_ASSERT_EQUAL(stats(&b, 2)->min_ttl_drops, 0);
		CU_ASSERT_EQUAL(stats(&b, 0)->min_ttl_drops, 0);
		CU_ASSERT(s[1].segs > 2);
		CU_ASSERT_EQUAL(s[1].ttl_min, 255);
		CU_ASSERT_EQUAL(s[1].ttl_max, 255);
	}
	bs_free(&b);
}

static void
test_gtsm_refused(void)
{
	gtsm(1);
}

static void
test_gtsm_accepted(void)
{
	gtsm(2);
}

/*
 * The listener on 179 serves every neighbour; the connection it accepts
 * goes with that neighbour's TTL: 1 for single-hop eBGP, the configured
 * ttl for multihop, 64 for iBGP (before, all took the listener's 64).
 */
static void
accepted_ttl(uint32_t as1, uint8_t ttl, uint8_t want)
{
	struct bs_net b;
	struct seen s[2];

	bs_init(&b, 2);
	bs_link(&b, 0, 1, "10.0.0.0", D);
	bs_speaker(&b, 0, 12076, "1.1.1.1", 0);
	bs_speaker(&b, 1, as1, "2.2.2.2", 0);
	neighbor(&b, 0, "10.0.0.2", as1, false, "", 0, ttl);
	neighbor(&b, 1, "10.0.0.1", 12076, true, "", 0, ttl);
	memset(s, 0, sizeof(s));
	node_iface_set_frame_out(b.n[0], 0, seen_tap, &s[0]);
	node_iface_set_frame_out(b.n[1], 0, seen_tap, &s[1]);
	bs_start(&b);
	sim_run_until(b.sim, SIM_S(100));
	CU_ASSERT_EQUAL(bgp_speaker_peer_state(b.sp[1], bs_ip("10.0.0.1")),
	    BGP_ST_ESTABLISHED);
	CU_ASSERT(s[1].segs > 3);
	CU_ASSERT_EQUAL(s[1].ttl_min, want);	/* the SYN,ACK included */
	CU_ASSERT_EQUAL(s[1].ttl_max, want);
	CU_ASSERT_EQUAL(s[0].ttl_min, want);
	CU_ASSERT_EQUAL(s[0].ttl_max, want);
	bs_free(&b);
}

static void
test_accepted_ttl(void)
{
	accepted_ttl(31898, 0, 1);
	accepted_ttl(31898, 3, 3);
	accepted_ttl(12076, 0, 64);
}

static const struct test_case cases[] = {
	{ "same key: up exactly as fast, every segment signed",
	    test_same_key },
	{ "same key, both active: the collision resolved, all signed",
	    test_same_key_collision },
	{ "key on the active side only: never up", test_key_on_active_only },
	{ "key on the passive side only: never up",
	    test_key_on_passive_only },
	{ "different keys: never up", test_different_keys },
	{ "GTSM one hop, peer two away: refused", test_gtsm_refused },
	{ "GTSM two hops, peer two away: up", test_gtsm_accepted },
	{ "accepted connections take the neighbour's TTL",
	    test_accepted_ttl },
	{ NULL, NULL },
};

int
main(int argc, char **argv)
{
	return test_main(argc, argv, "bgp_md5", cases);
}
