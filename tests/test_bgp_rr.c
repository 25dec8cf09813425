/*
 * test_bgp_rr.c - route reflection (RFC 4456): ORIGINATOR_ID and
 * CLUSTER_LIST from and to the wire (bytes written by hand), their RFC 7606
 * 7.9/7.10 outcomes, the decision rules that use them, and a reflector with
 * two clients and a non-client over simulated TCP, every time exact; the
 * loops a reflector must break.
 */
#include <stdlib.h>

#include "bgp_decide.h"
#include "bgp_speaker_testutil.h"
#include "bgp_testutil.h"

#define MARKER "ffffffffffffffffffffffffffffffff"

/* ---- the codec ---- */

/*
 * An iBGP UPDATE as a reflector sends it: ORIGIN IGP, empty AS_PATH,
 * NEXT_HOP 10.0.0.1, LOCAL_PREF 100, ORIGINATOR_ID 1.1.1.1, CLUSTER_LIST
 * 2.2.2.2 3.3.3.3, NLRI 10.1.0.0/16. Attributes 4+3+7+7+7+11 = 39 bytes,
 * the message 19+2+2+39+3 = 65.
 */
#define RR_ATTRS "40 01 01 00" "40 02 00" "40 03 04 0a000001" \
	"40 05 04 00000064" "80 09 04 01010101" "80 0a 08 02020202 03030303"

static void
test_codec(void)
{
	uint8_t b[BGP_MAX_LEN], out[BGP_MAX_LEN];
	struct bgp_result r;
	struct bgp_msg m, m2;
	struct bgp_attrs_var v;
	struct bgp_attrs fixed, *a;
	static const uint32_t cl[] = { 0x02020202, 0x03030303 };
	char sum[256];
	size_t n = hex(MARKER "0041" "02" "0000" "0027" RR_ATTRS "10 0a01", b,
	    sizeof(b));

	CU_ASSERT_EQUAL_FATAL(n, 65);
	CU_ASSERT_EQUAL_FATAL(decode_exact(b, n, true, &m, &r), BGP_ACT_NONE);
	a = m.u.update.attrs;
	CU_ASSERT_FATAL(a != NULL);
	CU_ASSERT(a->has & BGP_HAS(BGP_ATTR_ORIGINATOR_ID));
	CU_ASSERT(a->has & BGP_HAS(BGP_ATTR_CLUSTER_LIST));
	CU_ASSERT_EQUAL(bgp_attrs_originator(a), 0x01010101);
	CU_ASSERT_EQUAL(a->unknown_len, 0);	/* not an unknown any more */
	bgp_attrs_var(a, &v);
	CU_ASSERT_EQUAL_FATAL(v.n_cluster, 2);
	CU_ASSERT_EQUAL(v.cluster[0], 0x02020202);
	CU_ASSERT_EQUAL(v.cluster[1], 0x03030303);
	CU_ASSERT_EQUAL(bgp_cluster_len(a), 2);
	CU_ASSERT_FALSE(m.u.update.rr_withdraw_only);
	/* back to the same bytes */
	CU_ASSERT_EQUAL(bgp_encode(&m, true, out), n);
	CU_ASSERT(memcmp(out, b, n) == 0);
	bgp_msg_summary(&m, sum, sizeof(sum));
	CU_ASSERT_PTR_NOT_NULL(strstr(sum, "ORIGINATOR_ID 1.1.1.1, "
	    "CLUSTER_LIST 2.2.2.2 3.3.3.3"));

	/* the same set built field by field encodes to the same bytes */
	memset(&fixed, 0, sizeof(fixed));
	memset(&v, 0, sizeof(v));
	fixed.has = BGP_HAS(BGP_ATTR_ORIGIN) | BGP_HAS(BGP_ATTR_AS_PATH) |
	    BGP_HAS(BGP_ATTR_NEXT_HOP) | BGP_HAS(BGP_ATTR_LOCAL_PREF) |
	    BGP_HAS(BGP_ATTR_ORIGINATOR_ID) | BGP_HAS(BGP_ATTR_CLUSTER_LIST);
	fixed.next_hop = 0x0a000001;
	fixed.local_pref = 100;
	v.originator_id = 0x01010101;
	v.cluster = cl;
	v.n_cluster = 2;
	memset(&m2, 0, sizeof(m2));
	m2.type = BGP_UPDATE;
	m2.u.update.attrs = bgp_attrs_new(&fixed, &v);
	m2.u.update.nlri = m.u.update.nlri;
	m2.u.update.n_nlri = 1;
	CU_ASSERT(bgp_attrs_equal(m2.u.update.attrs, a));
	CU_ASSERT_EQUAL(bgp_attrs_hash(m2.u.update.attrs), bgp_attrs_hash(a));
	/*
	 * FNV-1a over has 0x62e, the next hop, LOCAL_PREF 100, the other
	 * fixed words and counts 0, origin 0, then the originator and the two
	 * cluster ids, in network order: computed apart (Python)
	 */
	CU_ASSERT_EQUAL(bgp_attrs_hash(a), 0xc6ecae38u);
	CU_ASSERT_EQUAL(bgp_encode(&m2, true, out), n);
	CU_ASSERT(memcmp(out, b, n) == 0);
	/* one word more for the originator, two for the cluster ids */
	CU_ASSERT_EQUAL(bgp_attrs_size(a), sizeof(struct bgp_attrs) + 12);
	free(m2.u.update.attrs);
	bgp_msg_free(&m);

	/* the CLUSTER_LIST bit without ids is no attribute: never sent empty */
	v.n_cluster = 0;
	a = bgp_attrs_new(&fixed, &v);
	CU_ASSERT_FALSE(a->has & BGP_HAS(BGP_ATTR_CLUSTER_LIST));
	CU_ASSERT_EQUAL(bgp_cluster_len(a), 0);
	free(a);
}

struct bad_case {
	const char *name;
	const char *attrs;	/* after ORIGIN, AS_PATH, NEXT_HOP */
	enum bgp_action act;
	uint8_t type, subcode;
	bool rr_only;
};

static const struct bad_case bad_cases[] = {
	{ "ORIGINATOR_ID of 3 bytes", "80 09 03 010101",
	  BGP_ACT_WITHDRAW, BGP_ATTR_ORIGINATOR_ID, BGP_ERR_UPD_LEN, true },
	{ "ORIGINATOR_ID of 5 bytes", "80 09 05 0101010101",
	  BGP_ACT_WITHDRAW, BGP_ATTR_ORIGINATOR_ID, BGP_ERR_UPD_LEN, true },
	{ "CLUSTER_LIST of 6 bytes", "80 0a 06 020202020303",
	  BGP_ACT_WITHDRAW, BGP_ATTR_CLUSTER_LIST, BGP_ERR_UPD_LEN, true },
	{ "empty CLUSTER_LIST", "80 0a 00",
	  BGP_ACT_WITHDRAW, BGP_ATTR_CLUSTER_LIST, BGP_ERR_UPD_LEN, true },
	{ "ORIGINATOR_ID flagged transitive", "c0 09 04 01010101",
	  BGP_ACT_WITHDRAW, BGP_ATTR_ORIGINATOR_ID, BGP_ERR_UPD_FLAGS, true },
	{ "CLUSTER_LIST flagged well-known", "40 0a 04 02020202",
	  BGP_ACT_WITHDRAW, BGP_ATTR_CLUSTER_LIST, BGP_ERR_UPD_FLAGS, true },
	/* a bad MED withdraws whatever the session: not only RR's fault */
	{ "bad ORIGINATOR_ID and bad MED", "80 04 03 000001 80 09 03 010101",
	  BGP_ACT_WITHDRAW, BGP_ATTR_MED, BGP_ERR_UPD_LEN, false },
	/* RFC 7606 3 (g): the second is discarded */
	{ "ORIGINATOR_ID twice", "80 09 04 01010101 80 09 04 02020202",
	  BGP_ACT_DISCARD, BGP_ATTR_ORIGINATOR_ID, BGP_ERR_UPD_ATTR_LIST,
	  false },
	{ NULL, NULL, 0, 0, 0, false }
};

static void
test_malformed(void)
{
	const struct bad_case *c;

	for (c = bad_cases; c->name != NULL; c++) {
		uint8_t b[BGP_MAX_LEN];
		char body[512];
		struct bgp_result r;
		struct bgp_msg m;
		size_t n, alen;

		alen = hex("40 01 01 00 40 02 00 40 03 04 0a000001", b,
		    sizeof(b)) + hex(c->attrs, b, sizeof(b));
		snprintf(body, sizeof(body), "0000 %04zx 40 01 01 00 40 02 00 "
		    "40 03 04 0a000001 %s 10 0a01", alen, c->attrs);
		n = msg_hex(BGP_UPDATE, body, b);
		CU_ASSERT_EQUAL(decode_exact(b, n, true, &m, &r), c->act);
		if (r.action == BGP_ACT_RESET) {
			CU_FAIL(c->name);
			continue;
		}
		CU_ASSERT_FATAL(r.n_attr_err >= 1);
		CU_ASSERT_EQUAL(r.attr_err[0].type, c->type);
		CU_ASSERT_EQUAL(r.attr_err[0].subcode, c->subcode);
		CU_ASSERT_EQUAL(m.u.update.rr_withdraw_only, c->rr_only);
		if (m.u.update.rr_withdraw_only != c->rr_only)
			fprintf(stderr, "case: %s\n", c->name);
		/* the rest of the set stands (for an eBGP peer's discard) */
		CU_ASSERT_FATAL(m.u.update.attrs != NULL);
		CU_ASSERT(m.u.update.attrs->has & BGP_HAS(BGP_ATTR_NEXT_HOP));
		if (c->act == BGP_ACT_DISCARD)
			CU_ASSERT_EQUAL(bgp_attrs_originator(m.u.update.attrs),
			    0x01010101);
		bgp_msg_free(&m);
	}
}

/* ---- the decision ---- */

static struct bgp_attrs *
ibgp_set(uint32_t originator, unsigned n_cluster)
{
	static const uint32_t cl[] = { 0x0a0a0a0a, 0x0b0b0b0b, 0x0c0c0c0c };
	struct bgp_attrs fixed;
	struct bgp_attrs_var v;

	memset(&fixed, 0, sizeof(fixed));
	memset(&v, 0, sizeof(v));
	fixed.has = BGP_HAS(BGP_ATTR_ORIGIN) | BGP_HAS(BGP_ATTR_AS_PATH) |
	    BGP_HAS(BGP_ATTR_NEXT_HOP) | BGP_HAS(BGP_ATTR_CLUSTER_LIST);
	fixed.next_hop = 0x0a000002;
	if (originator != 0) {
		fixed.has |= BGP_HAS(BGP_ATTR_ORIGINATOR_ID);
		v.originator_id = originator;
	}
	v.cluster = cl;
	v.n_cluster = (uint16_t)n_cluster;
	return bgp_attrs_new(&fixed, &v);
}

static void
cand(struct bgp_cand *c, const struct bgp_attrs *a, uint32_t id,
    uint32_t addr, uint16_t peer)
{
	memset(c, 0, sizeof(*c));
	c->a = a;
	c->bgp_id = id;
	c->peer_addr = addr;
	c->peer = peer;
	c->reachable = true;
}

static void
test_decide(void)
{
	struct bgp_decide_opts o = { 100, false, false, 1 };
	struct bgp_attrs *a0 = ibgp_set(0x09090909, 1);
	struct bgp_attrs *a1 = ibgp_set(0, 1);
	struct bgp_attrs *a2 = ibgp_set(0x05050505, 2);
	struct bgp_attrs *a3 = ibgp_set(0x05050505, 1);
	struct bgp_cand c[3];
	uint16_t order[3];
	char why[128];

	/*
	 * RFC 4456 9: peer 1.1.1.1 reflects a route of 9.9.9.9, peer
	 * 2.2.2.2 sends its own: 2.2.2.2 < 9.9.9.9 decides, not 1.1.1.1.
	 */
	cand(&c[0], a0, 0x01010101, 0x0a000001, 1);
	cand(&c[1], a1, 0x02020202, 0x0a000003, 2);
	CU_ASSERT_EQUAL(bgp_decide(c, 2, &o, order), 1);
	CU_ASSERT_EQUAL(order[0], 1);
	CU_ASSERT_EQUAL(c[0].rule, BGP_RULE_ROUTER_ID);
	bgp_decide_why(&c[1], &c[0], c[0].rule, &o, why, sizeof(why));
	CU_ASSERT_STRING_EQUAL(why, "router id 2.2.2.2 < 9.9.9.9");
	/*
	 * Two reflections of one originator (5.5.5.5): the router id ties,
	 * the shorter CLUSTER_LIST wins although its peer has the higher id
	 * and address. Three candidates take the elimination path.
	 */
	cand(&c[0], a2, 0x01010101, 0x0a000001, 1);
	cand(&c[1], a3, 0x03030303, 0x0a000009, 2);
	cand(&c[2], a0, 0x02020202, 0x0a000005, 3);
	CU_ASSERT_EQUAL(bgp_decide(c, 3, &o, order), 1);
	CU_ASSERT_EQUAL(order[0], 1);
	CU_ASSERT_EQUAL(c[0].rule, BGP_RULE_CLUSTER_LIST);
	CU_ASSERT_EQUAL(c[2].rule, BGP_RULE_ROUTER_ID);
	bgp_decide_why(&c[1], &c[0], c[0].rule, &o, why, sizeof(why));
	CU_ASSERT_STRING_EQUAL(why, "cluster list 1 < 2");
	bgp_decide_why(&c[1], &c[2], c[2].rule, &o, why, sizeof(why));
	CU_ASSERT_STRING_EQUAL(why, "router id 5.5.5.5 < 9.9.9.9");
	/* the same two as a pair */
	CU_ASSERT_EQUAL(bgp_decide(c, 2, &o, order), 1);
	CU_ASSERT_EQUAL(order[0], 1);
	CU_ASSERT_EQUAL(c[0].rule, BGP_RULE_CLUSTER_LIST);
	free(a0);
	free(a1);
	free(a2);
	free(a3);
}

/* ---- the speaker ---- */

#define D SIM_MS(1)
#define TX(n) ((sim_time)(n) * 8)
/* the SYN, SYN-ACK, ACK+OPEN and OPEN+KEEPALIVE frames of a session */
#define X_UP (TX(74) + TX(74) + TX(66) + TX(111) + TX(85))
/* Established over a link of delay d: active side, passive side */
#define UP_ACT(d) (4 * (d) + X_UP)
#define UP_PAS(d) (UP_ACT(d) + (d))
/*
 * iBGP UPDATE of one /16 (ORIGIN 4, empty AS_PATH 3, NEXT_HOP 7,
 * LOCAL_PREF 7: 21 bytes of attributes, 19+4+21+3 = 47), and reflected
 * (ORIGINATOR_ID 7 and a CLUSTER_LIST of one id 7 more: 61)
 */
#define F_IBGP (66 + 47)
#define F_REFL (66 + 61)

static void
speaker_id(struct bs_net *b, int i, uint32_t asn, const char *id,
    const char *cluster)
{
	struct bgp_speaker_cfg c;
	char err[128] = "";

	bgp_speaker_cfg_init(&c, asn, bs_ip(id));
	c.cluster_id = cluster != NULL ? bs_ip(cluster) : 0;
	c.ebgp_mrai = 0;
	b->sp[i] = bgp_speaker_new(b->n[i], &c, err, sizeof(err));
	CU_ASSERT_PTR_NOT_NULL_FATAL(b->sp[i]);
}

static void
neighbor(struct bs_net *b, int i, const char *addr, uint32_t as,
    bool passive, bool client, struct bgp_policy *import)
{
	struct bgp_neighbor_cfg nc;
	char err[128] = "";

	bgp_neighbor_cfg_init(&nc, bs_ip(addr), as);
	nc.passive = passive;
	nc.rr_client = client;
	nc.import = import;
	CU_ASSERT_EQUAL_FATAL(bgp_speaker_add_neighbor(b->sp[i], &nc, err,
	    sizeof(err)), 0);
}

/* A static route on node i standing in for the IGP. */
static void
via(struct bs_net *b, int i, const char *prefix, const char *gw)
{
	char err[128] = "";

	CU_ASSERT_EQUAL_FATAL(node_add_route(b->n[i], 0, bs_ip(prefix), 30,
	    bs_ip(gw), IFACE_NONE, err, sizeof(err)), 0);
}

/* speaker i's best route for prefix (borrowed attributes), or false */
static bool
best(struct bs_net *b, int i, const char *prefix, uint8_t len,
    struct bgp_route *r)
{
	return bgp_rib_best(bgp_speaker_rib(b->sp[i]), bs_ip(prefix), len, r);
}

static uint32_t
cluster0(const struct bgp_attrs *a, unsigned *n)
{
	struct bgp_attrs_var v;

	bgp_attrs_var(a, &v);
	*n = v.n_cluster;
	return v.n_cluster > 0 ? v.cluster[0] : 0;
}

/*
 * AS 65000: r0 the reflector (id 9.9.9.9, cluster id 10.10.10.10), r1
 * client C1 (1.1.1.1) over a link of D, r2 client C2 (2.2.2.2) over 2D,
 * r3 non-client N (3.3.3.3) over 3D; each originates 10.<i>.0.0/16.
 * The reflector connects; its neighbours are passive. The different
 * delays keep the sessions' events apart, so every time is one path.
 */
static void
test_cluster(void)
{
	struct bs_net b;
	struct bs_watch w_rr, w_c2, w_n, w_c1;
	struct bgp_peer_stats st;
	struct bgp_route r;
	unsigned n;
	int i;

	bs_init(&b, 4);
	bs_link(&b, 0, 1, "10.0.1.0", D);
	bs_link(&b, 0, 2, "10.0.2.0", 2 * D);
	bs_link(&b, 0, 3, "10.0.3.0", 3 * D);
	speaker_id(&b, 0, 65000, "9.9.9.9", "10.10.10.10");
	speaker_id(&b, 1, 65000, "1.1.1.1", NULL);
	speaker_id(&b, 2, 65000, "2.2.2.2", NULL);
	speaker_id(&b, 3, 65000, "3.3.3.3", NULL);
	neighbor(&b, 0, "10.0.1.2", 65000, false, true, NULL);
	neighbor(&b, 0, "10.0.2.2", 65000, false, true, NULL);
	neighbor(&b, 0, "10.0.3.2", 65000, false, false, NULL);
	for (i = 1; i <= 3; i++) {
		char a[16];

		snprintf(a, sizeof(a), "10.0.%d.1", i);
		neighbor(&b, i, a, 65000, true, false, NULL);
		snprintf(a, sizeof(a), "10.%d.0.0", i);
		CU_ASSERT_EQUAL(bgp_speaker_add_network(b.sp[i], bs_ip(a), 16),
		    0);
	}
	/* the IGP: every client reaches the others' link addresses */
	via(&b, 1, "10.0.2.0", "10.0.1.1");
	via(&b, 1, "10.0.3.0", "10.0.1.1");
	via(&b, 2, "10.0.1.0", "10.0.2.1");
	via(&b, 2, "10.0.3.0", "10.0.2.1");
	via(&b, 3, "10.0.1.0", "10.0.3.1");
	via(&b, 3, "10.0.2.0", "10.0.3.1");
	bs_watch(&b, 0, &w_rr, "10.1.0.0", 16);
	bs_watch(&b, 2, &w_c2, "10.1.0.0", 16);
	bs_watch(&b, 3, &w_n, "10.1.0.0", 16);
	bs_watch(&b, 1, &w_c1, "10.3.0.0", 16);
	bs_start(&b);
	sim_run_until(b.sim, SIM_S(1));

	/* C1 sends its route as it reaches Established */
	CU_ASSERT_EQUAL(w_rr.n, 1);
	CU_ASSERT_EQUAL(w_rr.t[0], UP_PAS(D) + D + TX(F_IBGP));
	/* the reflector's initial table to C2 carries it, reflected */
	CU_ASSERT_EQUAL(w_c2.n, 1);
	CU_ASSERT_EQUAL(w_c2.t[0], UP_ACT(2 * D) + 2 * D + TX(F_REFL));
	CU_ASSERT_EQUAL(w_c2.via[0], bs_ip("10.0.2.1"));
	/* and to the non-client N: a client's route goes to everyone */
	CU_ASSERT_EQUAL(w_n.n, 1);
	CU_ASSERT_EQUAL(w_n.t[0], UP_ACT(3 * D) + 3 * D + TX(F_REFL));
	/* N's route reaches C1 one hop after the reflector had it */
	CU_ASSERT_EQUAL(w_c1.n, 1);
	CU_ASSERT_EQUAL(w_c1.t[0], UP_PAS(3 * D) + 3 * D + TX(F_IBGP) + D +
	    TX(F_REFL));

	/* what C2 holds: C1's next hop, LOCAL_PREF, originator, cluster */
	CU_ASSERT_FATAL(best(&b, 2, "10.1.0.0", 16, &r));
	CU_ASSERT_FALSE(r.ebgp);
	CU_ASSERT_EQUAL(r.a->next_hop, bs_ip("10.0.1.2"));
	CU_ASSERT_EQUAL(r.a->local_pref, 100);
	CU_ASSERT_EQUAL(r.a->path_len, 0);
	CU_ASSERT_EQUAL(bgp_attrs_originator(r.a), bs_ip("1.1.1.1"));
	CU_ASSERT_EQUAL(cluster0(r.a, &n), bs_ip("10.10.10.10"));
	CU_ASSERT_EQUAL(n, 1);
	/* N's route at C2, originated by 3.3.3.3 */
	CU_ASSERT_FATAL(best(&b, 2, "10.3.0.0", 16, &r));
	CU_ASSERT_EQUAL(bgp_attrs_originator(r.a), bs_ip("3.3.3.3"));
	CU_ASSERT_EQUAL(r.a->next_hop, bs_ip("10.0.3.2"));
	/* N holds both clients' routes, C1 and C2 everything */
	CU_ASSERT(best(&b, 3, "10.2.0.0", 16, &r));
	CU_ASSERT(best(&b, 1, "10.2.0.0", 16, &r));
	CU_ASSERT(best(&b, 1, "10.3.0.0", 16, &r));
	/* the reflector's Loc-RIB keeps what came in: no attribute added */
	CU_ASSERT_FATAL(best(&b, 0, "10.1.0.0", 16, &r));
	CU_ASSERT_FALSE(r.a->has & (BGP_HAS(BGP_ATTR_ORIGINATOR_ID) |
	    BGP_HAS(BGP_ATTR_CLUSTER_LIST)));
	/* nothing sent back where it came from */
	CU_ASSERT_EQUAL(bgp_speaker_peer_out(b.sp[0], bs_ip("10.0.1.2")), 2);
	CU_ASSERT_EQUAL(bgp_speaker_peer_out(b.sp[0], bs_ip("10.0.3.2")), 2);
	bgp_speaker_peer_stats(b.sp[1], bs_ip("10.0.1.1"), &st);
	CU_ASSERT_EQUAL(st.rejected_loop, 0);
	CU_ASSERT_EQUAL(st.prefixes_in, 2);

	/* C1 stops: its route leaves C2 and N one reflection later */
	CU_ASSERT_EQUAL(bgp_speaker_peer_stop(b.sp[1], bs_ip("10.0.1.1")), 0);
	sim_run_until(b.sim, SIM_S(2));
	CU_ASSERT_EQUAL_FATAL(w_c2.n, 2);
	CU_ASSERT_EQUAL(w_c2.kind[1], RIB_WITHDRAWN);
	/*
	 * NOTIFICATION (87-byte frame), then a withdrawal: 19 + 2 + a 3-byte
	 * /16 + 2 = 26 bytes, a 92-byte frame
	 */
	CU_ASSERT_EQUAL(w_c2.t[1], SIM_S(1) + D + TX(87) + 2 * D + TX(92));
	CU_ASSERT_EQUAL(w_n.t[1], SIM_S(1) + D + TX(87) + 3 * D + TX(92));
	bs_unwatch(&b, 0, &w_rr);
	bs_unwatch(&b, 1, &w_c1);
	bs_unwatch(&b, 2, &w_c2);
	bs_unwatch(&b, 3, &w_n);
	bs_free(&b);
}

/*
 * Towards eBGP (RFC 4456 and 4271 5: optional non-transitive): r0 client
 * of the reflector r1 (AS 65000), r2 the other client, r3 in AS 65100
 * peering with r2. r2 holds r0's route reflected; r3 gets it without
 * ORIGINATOR_ID and CLUSTER_LIST.
 */
static void
test_ebgp_strip(void)
{
	struct bs_net b;
	struct bgp_route r;
	char buf[64];

	bs_init(&b, 4);
	bs_link(&b, 0, 1, "10.0.1.0", D);
	bs_link(&b, 1, 2, "10.0.2.0", D);
	bs_link(&b, 2, 3, "10.0.3.0", D);
	speaker_id(&b, 0, 65000, "1.1.1.1", NULL);
	speaker_id(&b, 1, 65000, "9.9.9.9", NULL);
	speaker_id(&b, 2, 65000, "2.2.2.2", NULL);
	speaker_id(&b, 3, 65100, "4.4.4.4", NULL);
	neighbor(&b, 0, "10.0.1.2", 65000, true, false, NULL);
	neighbor(&b, 1, "10.0.1.1", 65000, false, true, NULL);
	neighbor(&b, 1, "10.0.2.2", 65000, false, true, NULL);
	neighbor(&b, 2, "10.0.2.1", 65000, true, false, NULL);
	neighbor(&b, 2, "10.0.3.2", 65100, false, false, NULL);
	neighbor(&b, 3, "10.0.3.1", 65000, true, false, NULL);
	via(&b, 2, "10.0.1.0", "10.0.2.1");
	bgp_speaker_add_network(b.sp[0], bs_ip("10.10.0.0"), 16);
	bs_start(&b);
	sim_run_until(b.sim, SIM_S(1));
	CU_ASSERT_FATAL(best(&b, 2, "10.10.0.0", 16, &r));
	CU_ASSERT_EQUAL(bgp_attrs_originator(r.a), bs_ip("1.1.1.1"));
	CU_ASSERT_EQUAL(bgp_cluster_len(r.a), 1);
	/* cluster id 0 in the configuration: the router id */
	CU_ASSERT_EQUAL(cluster0(r.a, &(unsigned){ 0 }), bs_ip("9.9.9.9"));
	CU_ASSERT_FATAL(best(&b, 3, "10.10.0.0", 16, &r));
	CU_ASSERT_TRUE(r.ebgp);
	CU_ASSERT_FALSE(r.a->has & (BGP_HAS(BGP_ATTR_ORIGINATOR_ID) |
	    BGP_HAS(BGP_ATTR_CLUSTER_LIST)));
	CU_ASSERT_STRING_EQUAL(bs_path(&b, 3, "10.10.0.0", 16, buf,
	    sizeof(buf)), "65000");
	CU_ASSERT_EQUAL(r.a->next_hop, bs_ip("10.0.3.1"));
	bs_free(&b);
}

/*
 * Cluster loop: r0 and r1 reflect for one cluster (10.10.10.10) and peer
 * as non-clients; r2 is a client of both. r0 reflects r2's route to r1
 * with the cluster id in CLUSTER_LIST, and r1 drops it (and the other way
 * round).
 */
static void
test_cluster_loop(void)
{
	struct bs_net b;
	struct bgp_peer_stats st;
	struct bgp_route r;

	bs_init(&b, 3);
	bs_link(&b, 0, 1, "10.0.1.0", D);
	bs_link(&b, 0, 2, "10.0.2.0", D);
	bs_link(&b, 1, 2, "10.0.3.0", 2 * D);
	speaker_id(&b, 0, 65000, "9.9.9.1", "10.10.10.10");
	speaker_id(&b, 1, 65000, "9.9.9.2", "10.10.10.10");
	speaker_id(&b, 2, 65000, "1.1.1.1", NULL);
	neighbor(&b, 0, "10.0.1.2", 65000, false, false, NULL);
	neighbor(&b, 0, "10.0.2.2", 65000, false, true, NULL);
	neighbor(&b, 1, "10.0.1.1", 65000, true, false, NULL);
	neighbor(&b, 1, "10.0.3.2", 65000, false, true, NULL);
	neighbor(&b, 2, "10.0.2.1", 65000, true, false, NULL);
	neighbor(&b, 2, "10.0.3.1", 65000, true, false, NULL);
	bgp_speaker_add_network(b.sp[2], bs_ip("10.10.0.0"), 16);
	bs_start(&b);
	sim_run_until(b.sim, SIM_S(1));
	/* each reflector has the client's route from the client only */
	CU_ASSERT_FATAL(best(&b, 0, "10.10.0.0", 16, &r));
	CU_ASSERT_EQUAL(r.a->next_hop, bs_ip("10.0.2.2"));
	CU_ASSERT_FATAL(best(&b, 1, "10.10.0.0", 16, &r));
	CU_ASSERT_EQUAL(r.a->next_hop, bs_ip("10.0.3.2"));
	CU_ASSERT_EQUAL(bgp_speaker_peer_in(b.sp[1], bs_ip("10.0.1.1")), 0);
	CU_ASSERT_EQUAL(bgp_speaker_peer_in(b.sp[0], bs_ip("10.0.1.2")), 0);
	/* both reflected it to the other, both dropped it as a loop */
	CU_ASSERT_EQUAL(bgp_speaker_peer_out(b.sp[0], bs_ip("10.0.1.2")), 1);
	bgp_speaker_peer_stats(b.sp[1], bs_ip("10.0.1.1"), &st);
	CU_ASSERT_EQUAL(st.rejected_loop, 1);
	CU_ASSERT_EQUAL(st.prefixes_in, 0);
	bgp_speaker_peer_stats(b.sp[0], bs_ip("10.0.1.2"), &st);
	CU_ASSERT_EQUAL(st.rejected_loop, 1);
	bs_free(&b);
}

/*
 * Originator loop: reflectors r0 (cluster 10.10.10.1) and r1 (cluster
 * 10.10.10.2) peer as non-clients, r2 is a client of both. r1 prefers
 * what r0 sends (LOCAL_PREF 200 on import) over r2's own copy, so it
 * reflects r0's version, a non-client's route, to its client r2: the
 * ORIGINATOR_ID is r2's own router id, and r2 drops it.
 */
static void
test_originator_loop(void)
{
	struct bgp_polset *ps = bgp_polset_new();
	struct bgp_policy *pol = bgp_policy_new(ps, "prefer");
	struct bgp_pol_err e;
	struct bs_net b;
	struct bgp_peer_stats st;
	struct bgp_route r;
	unsigned n;

	bgp_policy_rule(pol, NULL);
	CU_ASSERT_EQUAL_FATAL(bgp_policy_action(pol, "local-pref 200", &e), 0);
	bs_init(&b, 3);
	bs_link(&b, 0, 1, "10.0.1.0", D);
	bs_link(&b, 0, 2, "10.0.2.0", D);
	bs_link(&b, 1, 2, "10.0.3.0", 2 * D);
	speaker_id(&b, 0, 65000, "9.9.9.1", "10.10.10.1");
	speaker_id(&b, 1, 65000, "9.9.9.2", "10.10.10.2");
	speaker_id(&b, 2, 65000, "1.1.1.1", NULL);
	neighbor(&b, 0, "10.0.1.2", 65000, false, false, NULL);
	neighbor(&b, 0, "10.0.2.2", 65000, false, true, NULL);
	neighbor(&b, 1, "10.0.1.1", 65000, true, false, pol);
	neighbor(&b, 1, "10.0.3.2", 65000, false, true, NULL);
	neighbor(&b, 2, "10.0.2.1", 65000, true, false, NULL);
	neighbor(&b, 2, "10.0.3.1", 65000, true, false, NULL);
	via(&b, 1, "10.0.2.0", "10.0.1.1");
	bgp_speaker_add_network(b.sp[2], bs_ip("10.10.0.0"), 16);
	bs_start(&b);
	sim_run_until(b.sim, SIM_S(1));
	CU_ASSERT_FATAL(best(&b, 1, "10.10.0.0", 16, &r));
	CU_ASSERT_EQUAL(r.a->local_pref, 200);
	CU_ASSERT_EQUAL(bgp_attrs_originator(r.a), bs_ip("1.1.1.1"));
	CU_ASSERT_EQUAL(cluster0(r.a, &n), bs_ip("10.10.10.1"));
	/* r1 reflected it to r2, which dropped it */
	CU_ASSERT_EQUAL(bgp_speaker_peer_out(b.sp[1], bs_ip("10.0.3.2")), 1);
	bgp_speaker_peer_stats(b.sp[2], bs_ip("10.0.3.1"), &st);
	CU_ASSERT_EQUAL(st.rejected_loop, 1);
	CU_ASSERT_EQUAL(bgp_speaker_peer_in(b.sp[2], bs_ip("10.0.3.1")), 0);
	bs_free(&b);
	bgp_polset_free(ps);
}

/* ---- a raw peer: RFC 7606 7.9/7.10 depend on the session ---- */

struct raw {
	struct stream *s;
	const uint8_t *first;
	size_t first_len;
};

static void
raw_rx(struct stream *s, void *ctx)
{
	uint8_t b[4096];

	(void)ctx;
	while (stream_read(s, b, sizeof(b)) > 0)
		;
}

static void
raw_connected(struct stream *s, void *ctx)
{
	struct raw *r = ctx;

	stream_send(s, r->first, r->first_len);
}

static void
raw_gone(struct stream *s, void *ctx)
{
	struct raw *r = ctx;

	(void)s;
	r->s = NULL;
}

static void
raw_error(struct stream *s, enum stream_err err, void *ctx)
{
	(void)err;
	raw_gone(s, ctx);
}

static const struct stream_cb raw_cb = {
	.on_connected = raw_connected,
	.on_receive = raw_rx,
	.on_error = raw_error,
	.on_closed = raw_gone,
};

struct raw_send {
	struct raw *r;
	uint8_t b[128];
	size_t n;
};

static void
raw_send_ev(struct sim *sim, void *arg)
{
	struct raw_send *m = arg;

	(void)sim;
	if (m->r->s != NULL)
		stream_send(m->r->s, m->b, m->n);
}

/*
 * r0 (AS 12076, 1.1.1.1) and a raw peer on r1 (10.0.0.2, 2.2.2.2) in AS
 * peer_as. At 2 s it announces 172.16.0.0/16 with ORIGINATOR_ID 5.5.5.5
 * and CLUSTER_LIST 6.6.6.6, at 3 s the same prefix with a 3-byte
 * ORIGINATOR_ID. Says whether r0 holds the prefix after each, and gives a
 * copy of what it held after the first (the caller frees it).
 */
static void
raw_session(uint32_t peer_as, bool *after1, bool *after2,
    struct bgp_attrs **seen1)
{
	struct bs_net b;
	struct raw r;
	struct raw_send m1, m2;
	struct bgp_route rt;
	struct bgp_msg om;
	struct stream_addr ra = { 0, BGP_PORT };
	struct stream_opts o;
	uint8_t open[BGP_MAX_LEN];
	bool ebgp = peer_as != 12076;

	bs_init(&b, 2);
	bs_link(&b, 0, 1, "10.0.0.0", D);
	bs_speaker(&b, 0, 12076, "1.1.1.1", 0);
	neighbor(&b, 0, "10.0.0.2", peer_as, true, false, NULL);
	bs_start(&b);
	memset(&om, 0, sizeof(om));
	om.type = BGP_OPEN;
	bgp_open_init(&om.u.open, peer_as, 90, bs_ip("2.2.2.2"));
	r.first = open;
	r.first_len = bgp_encode(&om, true, open);
	r.first_len += bgp_encode_keepalive(open + r.first_len);
	memset(&o, 0, sizeof(o));
	o.nodelay = 1;
	ra.addr = bs_ip("10.0.0.1");
	r.s = stream_connect(tcp_stack_host(tcp_stack_get(b.n[1])), &ra, &o,
	    &raw_cb, &r);
	CU_ASSERT_PTR_NOT_NULL_FATAL(r.s);
	m1.r = m2.r = &r;
	/* eBGP: AS_PATH 31898 (9 bytes); iBGP: empty (3) */
	m1.n = msg_hex(BGP_UPDATE, ebgp ?
	    "0000 0022 40010100 4002060201 00007c9a 400304 0a000002"
	    " 800904 05050505 800a04 06060606 10 ac10" :
	    "0000 001c 40010100 400200 400304 0a000002"
	    " 800904 05050505 800a04 06060606 10 ac10", m1.b);
	m2.n = msg_hex(BGP_UPDATE, ebgp ?
	    "0000 001a 40010100 4002060201 00007c9a 400304 0a000002"
	    " 800903 050505 10 ac10" :
	    "0000 0014 40010100 400200 400304 0a000002"
	    " 800903 050505 10 ac10", m2.b);
	sim_schedule_at(b.sim, SIM_S(2), raw_send_ev, &m1);
	sim_schedule_at(b.sim, SIM_S(3), raw_send_ev, &m2);
	sim_run_until(b.sim, SIM_S(2) + SIM_MS(500));
	CU_ASSERT_EQUAL(bgp_speaker_peer_state(b.sp[0], bs_ip("10.0.0.2")),
	    BGP_ST_ESTABLISHED);
	*after1 = bgp_rib_best(bgp_speaker_rib(b.sp[0]), bs_ip("172.16.0.0"),
	    16, &rt);
	*seen1 = *after1 ? bgp_attrs_dup(rt.a) : NULL;
	sim_run_until(b.sim, SIM_S(4));
	*after2 = bgp_rib_best(bgp_speaker_rib(b.sp[0]), bs_ip("172.16.0.0"),
	    16, &rt);
	if (*after2)
		CU_ASSERT_FALSE(rt.a->has & BGP_HAS(BGP_ATTR_ORIGINATOR_ID));
	/* the session stays either way */
	CU_ASSERT_EQUAL(bgp_speaker_peer_state(b.sp[0], bs_ip("10.0.0.2")),
	    BGP_ST_ESTABLISHED);
	if (r.s != NULL)
		stream_abort(r.s);
	bs_free(&b);
}

static void
test_from_ebgp(void)
{
	struct bgp_attrs *a;
	bool a1, a2;

	/* eBGP: both discarded, valid or not; the route stands */
	raw_session(31898, &a1, &a2, &a);
	CU_ASSERT_TRUE(a1);
	CU_ASSERT_TRUE(a2);
	CU_ASSERT_FATAL(a != NULL);
	CU_ASSERT_FALSE(a->has & (BGP_HAS(BGP_ATTR_ORIGINATOR_ID) |
	    BGP_HAS(BGP_ATTR_CLUSTER_LIST)));
	free(a);
	/* iBGP: kept; the malformed one withdraws the route */
	raw_session(12076, &a1, &a2, &a);
	CU_ASSERT_TRUE(a1);
	CU_ASSERT_FALSE(a2);
	CU_ASSERT_FATAL(a != NULL);
	CU_ASSERT_EQUAL(bgp_attrs_originator(a), bs_ip("5.5.5.5"));
	CU_ASSERT_EQUAL(bgp_cluster_len(a), 1);
	free(a);
}

/*
 * A client's routes kept through its graceful restart are still a
 * client's: reflected to a non-client whose session comes up during the
 * restart, and still there once the client is back with the same routes
 * (the Loc-RIB does not change then). r0 the reflector, r1 a client with
 * graceful restart, r2 a non-client; r1 and r2 crash (no NOTIFICATION)
 * at 1 s, r2 is back at once, r1 at 15 s.
 */
static void
gr_nb(struct bs_net *b, int i, const char *addr, bool passive, bool client,
    bool gr)
{
	struct bgp_neighbor_cfg nc;
	char err[128] = "";

	bgp_neighbor_cfg_init(&nc, bs_ip(addr), 65000);
	nc.passive = passive;
	nc.rr_client = client;
	nc.graceful_restart = gr;
	CU_ASSERT_EQUAL_FATAL(bgp_speaker_add_neighbor(b->sp[i], &nc, err,
	    sizeof(err)), 0);
}

static void
gr_r1(struct bs_net *b)
{
	speaker_id(b, 1, 65000, "1.1.1.1", NULL);
	/* active: r0 is in Active after its connects to the crashed r1 were
	 * refused, waiting for ConnectRetry or for r1 to connect */
	gr_nb(b, 1, "10.0.1.1", false, false, true);
	bgp_speaker_add_network(b->sp[1], bs_ip("10.1.0.0"), 16);
	via(b, 1, "10.0.2.0", "10.0.1.1");
}

static void
gr_r2(struct bs_net *b)
{
	speaker_id(b, 2, 65000, "2.2.2.2", NULL);
	gr_nb(b, 2, "10.0.2.1", true, false, false);
	via(b, 2, "10.0.1.0", "10.0.2.1");
}

static void
test_gr_reflect(void)
{
	struct bs_net b;
	struct bs_watch w;
	struct bgp_route r;
	char err[128];

	bs_init(&b, 3);
	bs_link(&b, 0, 1, "10.0.1.0", D);
	bs_link(&b, 0, 2, "10.0.2.0", 2 * D);
	speaker_id(&b, 0, 65000, "9.9.9.9", "10.10.10.10");
	gr_nb(&b, 0, "10.0.1.2", false, true, true);
	gr_nb(&b, 0, "10.0.2.2", false, false, true);
	gr_r1(&b);
	gr_r2(&b);
	bs_watch(&b, 2, &w, "10.1.0.0", 16);
	bs_start(&b);
	sim_run_until(b.sim, SIM_S(1));
	CU_ASSERT(best(&b, 2, "10.1.0.0", 16, &r));
	bgp_speaker_free(b.sp[1]);
	b.sp[1] = NULL;
	bgp_speaker_free(b.sp[2]);
	b.sp[2] = NULL;
	sim_run_until(b.sim, SIM_S(1) + SIM_MS(100));
	gr_r2(&b);
	CU_ASSERT_EQUAL_FATAL(bgp_speaker_start(b.sp[2], err, sizeof(err)), 0);
	sim_run_until(b.sim, SIM_S(15));
	CU_ASSERT(best(&b, 0, "10.1.0.0", 16, &r));
	CU_ASSERT(best(&b, 2, "10.1.0.0", 16, &r));
	gr_r1(&b);
	CU_ASSERT_EQUAL_FATAL(bgp_speaker_start(b.sp[1], err, sizeof(err)), 0);
	sim_run_until(b.sim, SIM_S(60));
	CU_ASSERT_EQUAL(bgp_speaker_peer_state(b.sp[0], bs_ip("10.0.1.2")),
	    BGP_ST_ESTABLISHED);
	CU_ASSERT(best(&b, 2, "10.1.0.0", 16, &r));
	/*
	 * r2 learns it again as soon as its session to r0 is back, from the
	 * stale copy (without the fix only once r1 is back, at 16.011 s, or
	 * never); r1's return with the same route changes nothing at r2.
	 */
	CU_ASSERT_EQUAL_FATAL(w.n, 3);
	CU_ASSERT_EQUAL(w.kind[0], RIB_ADDED);
	CU_ASSERT_EQUAL(w.t[0], SIM_NS(10004360));
	CU_ASSERT_EQUAL(w.kind[1], RIB_WITHDRAWN);	/* r2's crash */
	CU_ASSERT_EQUAL(w.t[1], SIM_S(1));
	CU_ASSERT_EQUAL(w.kind[2], RIB_ADDED);
	CU_ASSERT_EQUAL(w.t[2], SIM_NS(6012004888));
	CU_ASSERT_EQUAL(w.via[2], bs_ip("10.0.2.1"));
	bs_unwatch(&b, 2, &w);
	bs_free(&b);
}

static const struct test_case cases[] = {
	{ "a restarting client's kept routes are reflected", test_gr_reflect },
	{ "from eBGP discarded, from iBGP kept or withdrawn", test_from_ebgp },
	{ "ORIGINATOR_ID and CLUSTER_LIST on the wire", test_codec },
	{ "malformed ones: RFC 7606 7.9 and 7.10", test_malformed },
	{ "decision: ORIGINATOR_ID as router id, cluster list", test_decide },
	{ "a reflector, two clients and a non-client", test_cluster },
	{ "towards eBGP the reflection attributes go", test_ebgp_strip },
	{ "two reflectors of one cluster drop each other's", test_cluster_loop },
	{ "a client drops its own route reflected back",
	    test_originator_loop },
	{ NULL, NULL },
};

int
main(int argc, char **argv)
{
	return test_main(argc, argv, "bgp_rr", cases);
}
