/*
 * test_tcp_robust.c - hostile and random segments against live
 * connections: thousands of seeded random segments (flags, sequence and
 * acknowledgment numbers near and far from the windows, option bytes,
 * payload lengths) injected into both ends during a transfer. Nothing may
 * crash, leak or break the connection's invariants, and malformed ones are
 * counted; the same seed gives the same outcome.
 */
#include "rng.h"
#include "tcp_int.h"
#include "tcp_testutil.h"

#define MS SIM_MS(1)

struct fuzzer {
	struct tt_net *t;
	struct tt_sink *k;
	struct tt_src *c;
	struct rng r;
	int left;
	int sent;
};

/* A number at, above, below or far from base (up: allow above). */
static uint32_t
near(struct rng *r, uint32_t base, bool up)
{
	switch (rng_below(r, 4)) {
	case 0:
		return base;
	case 1:
		if (up)
			return base + 1 + (uint32_t)rng_below(r, 200000);
		/* FALLTHROUGH */
	case 2:
		return base - 1 - (uint32_t)rng_below(r, 200000);
	default:
		return (uint32_t)rng_u64(r);
	}
}

/* One random segment from "the peer" to node `to`'s connection. */
static void
inject_random(struct fuzzer *z, int to, struct tcp_conn *c)
{
	struct tt_net *t = z->t;
	struct pkt *p;
	struct ipv4_hdr ip;
	struct eth_hdr eth;
	struct tcp_hdr h;
	uint8_t opt[40];
	uint32_t plen, i, optlen = (uint32_t)rng_below(&z->r, 11) * 4;

	plen = rng_below(&z->r, 3) == 0 ? (uint32_t)rng_below(&z->r, 3000) : 0;
	p = pkt_alloc(t->sim, plen > 64 ? 64 : plen);
	for (i = 0; i < p->len; i++)
		p->data[i] = (uint8_t)rng_u64(&z->r);
	p->virt_len = plen - p->len;
	for (i = 0; i < optlen; i++)
		opt[i] = (uint8_t)(rng_below(&z->r, 3) == 0 ? rng_below(&z->r, 9) :
		    rng_u64(&z->r));
	memset(&h, 0, sizeof(h));
	h.sport = c->rport;
	h.dport = c->lport;
	/*
	 * Sequence numbers anywhere (data in the window joins the stream, as
	 * it would from a blind attacker); acknowledgments at SND.UNA, old or
	 * far off, never of data in flight, which no receiver can tell apart
	 * from a true one. An exact reset only once in a while, so that the
	 * connection lives long enough to meet most of them.
	 */
	h.seq = near(&z->r, c->rcv_nxt, true);
	h.ack = near(&z->r, c->snd_una, false);
	h.flags = (uint8_t)rng_u64(&z->r);
	if (rng_below(&z->r, 2))
		h.flags = (uint8_t)(h.flags & ~(WIRE_TCP_SYN | WIRE_TCP_RST)) |
		    WIRE_TCP_ACK;
	if ((h.flags & WIRE_TCP_RST) && h.seq == c->rcv_nxt &&
	    rng_below(&z->r, 100) != 0)
		h.seq++;
	h.win = (uint16_t)rng_u64(&z->r);
	h.off = (uint8_t)(5 + optlen / 4);
	h.opt = optlen > 0 ? opt : NULL;
	if (wire_push_tcp(t->sim, p, &h, c->raddr, c->laddr) != 0) {
		pkt_free(t->sim, p);
		return;
	}
	memset(&ip, 0, sizeof(ip));
	ip.ttl = 64;
	ip.proto = WIRE_IPPROTO_TCP;
	ip.src = c->raddr;
	ip.dst = c->laddr;
	wire_push_ipv4(t->sim, p, &ip);
	memset(&eth, 0, sizeof(eth));
	eth.type = WIRE_ETHERTYPE_IPV4;
	wire_push_eth(t->sim, p, &eth);
	if (p->virt_len == 0)
		CU_ASSERT_EQUAL(node_iface_inject(t->n[to], 0, p->data, p->len),
		    0);
	pkt_free(t->sim, p);
	z->sent++;
}

static void
check_invariants(const struct tcp_conn *c)
{
	CU_ASSERT_TRUE(seq_le(c->snd_una, c->snd_nxt));
	CU_ASSERT_TRUE(seq_le(c->snd_nxt, c->snd_max));
	CU_ASSERT_TRUE(c->snd.len <= c->sndbuf);
	CU_ASSERT_TRUE(c->rcv.len <= c->rcvbuf);
	CU_ASSERT_TRUE(c->stats.cwnd >= c->stats.mss || c->stats.cwnd == 0);
	CU_ASSERT_TRUE(seq_le(c->rcv_nxt, c->rcv_adv) ||
	    c->state >= TCP_CLOSE_WAIT);
}

static void
fuzz_tick(struct sim *sim, void *arg)
{
	struct fuzzer *z = arg;
	struct tcp_conn *a = z->c->s != NULL ? tcp_stream_conn(z->c->s) : NULL;
	struct tcp_conn *b = z->k->s != NULL ? tcp_stream_conn(z->k->s) : NULL;

	if (a != NULL) {
		check_invariants(a);
		inject_random(z, 0, a);
	}
	if (b != NULL) {
		check_invariants(b);
		inject_random(z, 1, b);
	}
	if (--z->left > 0)
		sim_schedule(sim, 100 * 1000, fuzz_tick, z);
}

static uint64_t
run(uint64_t seed, uint64_t *bad)
{
	struct tt_net t;
	struct tt_sink k;
	struct tt_src c;
	struct fuzzer z;
	uint64_t got;

	tt_build(&t, 2, 100000000ull, MS, 1000, 0);
	memset(&k, 0, sizeof(k));
	memset(&c, 0, sizeof(c));
	memset(&z, 0, sizeof(z));
	tt_sink_listen(&k, t.n[1], 5001, NULL);
	c.total = 5000000;
	tt_src_connect(&c, t.n[0], tt_addr(&t, 1), 5001, NULL);
	sim_run_until(t.sim, 10 * MS);
	CU_ASSERT_PTR_NOT_NULL_FATAL(k.s);
	z.t = &t;
	z.k = &k;
	z.c = &c;
	z.left = 4000;
	rng_init(&z.r, seed, "tcp-fuzz");
	sim_schedule(t.sim, 0, fuzz_tick, &z);
	sim_run_until(t.sim, SIM_S(30));
	*bad = node_drops(t.n[0])[DROP_MALFORMED] +
	    node_drops(t.n[1])[DROP_MALFORMED];
	got = k.bytes;
	fprintf(stderr, "seed %llu: %d segments, %llu malformed, %llu bytes "
	    "read, sink %s, source %s\n", (unsigned long long)seed, z.sent,
	    (unsigned long long)*bad, (unsigned long long)got,
	    k.errors ? stream_err_name[k.err] : k.closed ? "closed" : "open",
	    c.errors ? stream_err_name[c.err] : c.s == NULL ? "closed" :
	    "open");
	tt_free(&t);
	return got;
}

static void
test_random_segments(void)
{
	uint64_t bad1, bad2, got1, got2, seed;

	for (seed = 1; seed <= 4; seed++) {
		got1 = run(seed, &bad1);
		got2 = run(seed, &bad2);
		/* deterministic: the same seed, the same outcome */
		CU_ASSERT_EQUAL(got1, got2);
		CU_ASSERT_EQUAL(bad1, bad2);
		CU_ASSERT_TRUE(bad1 > 0);
	}
}

/*
 * A blind segment of data at the receiver's RCV.NXT desynchronises the two
 * ends: the receiver acknowledges bytes its peer never sent, the peer
 * answers that ACK with its own, which the receiver finds outside its
 * window and answers in turn. Rate-limited, that is a few ACKs a second,
 * not an ACK storm.
 */
static void
test_ack_storm_limited(void)
{
	struct tt_net t;
	struct tt_sink k;
	struct tt_src c;
	struct tcp_conn *b;
	struct pkt *p;
	struct ipv4_hdr ip;
	struct eth_hdr eth;
	struct tcp_hdr h;
	int before;

	tt_build(&t, 2, SIM_S(1), MS, 1000, 0);
	tt_tap_ends(&t);
	memset(&k, 0, sizeof(k));
	memset(&c, 0, sizeof(c));
	tt_sink_listen(&k, t.n[1], 5001, NULL);
	c.no_close = true;
	tt_src_connect(&c, t.n[0], tt_addr(&t, 1), 5001, NULL);
	sim_run_until(t.sim, 10 * MS);
	CU_ASSERT_PTR_NOT_NULL_FATAL(k.s);
	b = tcp_stream_conn(k.s);
	p = pkt_alloc(t.sim, 0);
	p->virt_len = 100;
	memset(&h, 0, sizeof(h));
	h.sport = b->rport;
	h.dport = b->lport;
	h.seq = b->rcv_nxt;
	h.ack = b->snd_nxt;
	h.flags = WIRE_TCP_ACK;
	h.win = 1000;
	CU_ASSERT_EQUAL(wire_push_tcp(t.sim, p, &h, b->raddr, b->laddr), 0);
	memset(&ip, 0, sizeof(ip));
	ip.ttl = 64;
	ip.proto = WIRE_IPPROTO_TCP;
	ip.src = b->raddr;
	ip.dst = b->laddr;
	wire_push_ipv4(t.sim, p, &ip);
	memset(&eth, 0, sizeof(eth));
	eth.type = WIRE_ETHERTYPE_IPV4;
	wire_push_eth(t.sim, p, &eth);
	/* the frame with its 100 payload bytes as real zeros */
	{
		uint8_t frame[256];

		memset(frame, 0, sizeof(frame));
		memcpy(frame, p->data, p->len);
		CU_ASSERT_EQUAL(node_iface_inject(t.n[1], 0, frame,
		    p->len + 100), 0);
	}
	pkt_free(t.sim, p);
	before = t.nsegs;
	sim_run_until(t.sim, SIM_S(2) + 10 * MS);
	CU_ASSERT_EQUAL(k.bytes, 100);
	/* one ACK per 500 ms and side at most: about 8 in 2 s, not millions */
	CU_ASSERT_TRUE(t.nsegs - before <= 12);
	CU_ASSERT_TRUE(t.nsegs - before >= 2);
	tt_free(&t);
}

static const struct test_case cases[] = {
	{ "random segments against live connections", test_random_segments },
	{ "no ACK storm after a desynchronising segment",
	    test_ack_storm_limited },
	{ NULL, NULL },
};

int
main(int argc, char **argv)
{
	return test_main(argc, argv, "tcp_robust", cases);
}
