/*
 * test_tcp.c - the simulated TCP's connection life: the handshake and the
 * teardown byte for byte against segments worked out by hand, exact
 * times, a refused connection, SYN retransmission with its backoff and
 * the connect timeout, simultaneous open and close, abort, malformed
 * segments, and the size of a connection.
 *
 * Times: 1 Gbit/s links move a byte in 8 ns, so a frame of L bytes takes
 * 8 L ns and arrives 1 ms later. SYN and SYN,ACK are 74-byte frames (20
 * bytes of options), a bare ACK 66 (timestamps), a RST 60 (padded).
 */
#include "tcp_int.h"
#include "tcp_testutil.h"

#define MS SIM_MS(1)
#define TX(bytes) ((sim_time)(bytes) * 8)

/* --- observing state changes --- */

struct states {
	struct { uint64_t id; int from, to; sim_time t; } e[64];
	int n;
	struct sim *sim;
	int freed;
};

static void
obs_state(void *ctx, const struct tcp_conn *c, enum tcp_state from,
    enum tcp_state to, const char *why)
{
	struct states *s = ctx;

	CU_ASSERT_PTR_NOT_NULL(why);
	if (s->n < 64) {
		s->e[s->n].id = tcp_conn_id(c);
		s->e[s->n].from = from;
		s->e[s->n].to = to;
		s->e[s->n].t = sim_now(s->sim);
		s->n++;
	}
}

static void
obs_free(void *ctx, const struct tcp_conn *c)
{
	(void)c;
	((struct states *)ctx)->freed++;
}

static const struct tcp_observer state_obs = {
	.on_state = obs_state,
	.on_free = obs_free,
};

/* Whether conn id went through from -> to. */
static bool
went(const struct states *s, uint64_t id, int from, int to)
{
	int i;

	for (i = 0; i < s->n; i++)
		if (s->e[i].id == id && s->e[i].from == from &&
		    s->e[i].to == to)
			return true;
	return false;
}

/* --- expected headers --- */

static size_t
hdr(uint8_t *b, uint16_t sport, uint16_t dport, uint32_t seq, uint32_t ack,
    uint32_t hlen, uint8_t flags, uint16_t win)
{
	put_be16(b, sport);
	put_be16(b + 2, dport);
	put_be32(b + 4, seq);
	put_be32(b + 8, ack);
	b[12] = (uint8_t)(hlen / 4 << 4);
	b[13] = flags;
	put_be16(b + 14, win);
	b[16] = b[17] = 0;	/* checksum: verified by the tap */
	b[18] = b[19] = 0;
	return 20;
}

static void
opt_ts(uint8_t *b, uint32_t val, uint32_t ecr)
{
	b[0] = 1;
	b[1] = 1;
	b[2] = 8;
	b[3] = 10;
	put_be32(b + 4, val);
	put_be32(b + 8, ecr);
}

/* SYN options as Linux lays them out: MSS, SACK-permitted + TS, WS. */
static void
opt_syn(uint8_t *b, uint16_t mss, uint32_t val, uint32_t ecr, uint8_t ws)
{
	b[0] = 2;
	b[1] = 4;
	put_be16(b + 2, mss);
	b[4] = 4;
	b[5] = 2;
	b[6] = 8;
	b[7] = 10;
	put_be32(b + 8, val);
	put_be32(b + 12, ecr);
	b[16] = 1;
	b[17] = 3;
	b[18] = 3;
	b[19] = ws;
}

static void
check_seg(const struct tt_seg *s, const uint8_t *want, uint32_t hlen)
{
	uint8_t got[60];

	CU_ASSERT_PTR_NOT_NULL_FATAL(s);
	CU_ASSERT_EQUAL(s->hlen, hlen);
	memcpy(got, s->hdr, s->hlen);
	got[16] = got[17] = 0;
	CU_ASSERT_EQUAL(memcmp(got, want, hlen), 0);
	CU_ASSERT_EQUAL(s->ipflags & WIRE_IPV4_DF, WIRE_IPV4_DF);
}

static void
test_handshake_teardown(void)
{
	struct tt_net t;
	struct tt_sink k;
	struct tt_src c;
	struct states st;
	uint8_t want[60];
	uint32_t ic, is;
	const sim_time a1 = TX(74) + MS, a2 = a1 + TX(74) + MS;
	const sim_time b3 = a2 + TX(66) + TX(71) + TX(66) + MS;
	const sim_time c4 = b3 + TX(66) + MS;
	const uint16_t cp = 49152, sp = 5000;
	uint8_t keep[16];

	tt_build(&t, 2, SIM_S(1), MS, 100, 0);
	tt_tap_ends(&t);
	memset(&k, 0, sizeof(k));
	memset(&c, 0, sizeof(c));
	memset(&st, 0, sizeof(st));
	st.sim = t.sim;
	k.keep = keep;
	k.keep_cap = sizeof(keep);
	tcp_stack_add_observer(tcp_stack_get(t.n[0]), &state_obs, &st);
	tcp_stack_add_observer(tcp_stack_get(t.n[1]), &state_obs, &st);
	tt_sink_listen(&k, t.n[1], sp, NULL);
	c.data = (const uint8_t *)"hello";
	c.total = 5;
	tt_src_connect(&c, t.n[0], tt_addr(&t, 1), sp, NULL);
	sim_run_until(t.sim, SIM_S(10));

	CU_ASSERT_EQUAL(tt_count(&t, 0, 0), 5);
	CU_ASSERT_EQUAL(tt_count(&t, 1, 0), 2);
	ic = tt_nth(&t, 0, 0)->seq;
	is = tt_nth(&t, 1, 0)->seq;

	/* SYN: MSS 1460, SACK-permitted, TS 1/0, WS 2 (128 KiB buffer) */
	hdr(want, cp, sp, ic, 0, 40, WIRE_TCP_SYN, 65535);
	opt_syn(want + 20, 1460, 1, 0, 2);
	check_seg(tt_nth(&t, 0, 0), want, 40);
	CU_ASSERT_EQUAL(tt_nth(&t, 0, 0)->t, 0);
	CU_ASSERT_EQUAL(tt_nth(&t, 0, 0)->ttl, 64);

	/* SYN,ACK at a1 (ms 1: TSval 2) */
	hdr(want, sp, cp, is, ic + 1, 40, WIRE_TCP_SYN | WIRE_TCP_ACK, 65535);
	opt_syn(want + 20, 1460, 2, 1, 2);
	check_seg(tt_nth(&t, 1, 0), want, 40);
	CU_ASSERT_EQUAL(tt_nth(&t, 1, 0)->t, a1);

	/* ACK, data and FIN at a2 (ms 2: TSval 3), window 131072 >> 2 */
	hdr(want, cp, sp, ic + 1, is + 1, 32, WIRE_TCP_ACK, 32768);
	opt_ts(want + 20, 3, 2);
	check_seg(tt_nth(&t, 0, 1), want, 32);
	CU_ASSERT_EQUAL(tt_nth(&t, 0, 1)->t, a2);
	hdr(want, cp, sp, ic + 1, is + 1, 32, WIRE_TCP_ACK | WIRE_TCP_PSH,
	    32768);
	opt_ts(want + 20, 3, 2);
	check_seg(tt_nth(&t, 0, 2), want, 32);
	CU_ASSERT_EQUAL(tt_nth(&t, 0, 2)->len, 5);
	CU_ASSERT_EQUAL(tt_nth(&t, 0, 2)->t, a2);
	hdr(want, cp, sp, ic + 6, is + 1, 32, WIRE_TCP_ACK | WIRE_TCP_FIN,
	    32768);
	opt_ts(want + 20, 3, 2);
	check_seg(tt_nth(&t, 0, 3), want, 32);
	CU_ASSERT_EQUAL(tt_nth(&t, 0, 3)->t, a2);

	/*
	 * The server read the data, saw EOF with the FIN and closed: one
	 * FIN,ACK acknowledging both (the delayed ACK never fired). Its
	 * window: 131072 - 6 bytes not yet re-offered (SWS avoidance).
	 */
	hdr(want, sp, cp, is + 1, ic + 7, 32, WIRE_TCP_ACK | WIRE_TCP_FIN,
	    (131072 - 6) >> 2);
	opt_ts(want + 20, 4, 3);
	check_seg(tt_nth(&t, 1, 1), want, 32);
	CU_ASSERT_EQUAL(tt_nth(&t, 1, 1)->t, b3);

	/* the last ACK, at c4 (ms 4: TSval 5) */
	hdr(want, cp, sp, ic + 7, is + 2, 32, WIRE_TCP_ACK, (131072 - 1) >> 2);
	opt_ts(want + 20, 5, 4);
	check_seg(tt_nth(&t, 0, 4), want, 32);
	CU_ASSERT_EQUAL(tt_nth(&t, 0, 4)->t, c4);

	/* the applications */
	CU_ASSERT_TRUE(c.connected);
	CU_ASSERT_EQUAL(c.t_connected, a2);
	CU_ASSERT_EQUAL(c.t_closed, c4);
	CU_ASSERT_EQUAL(c.errors, 0);
	CU_ASSERT_EQUAL(k.bytes, 5);
	CU_ASSERT_EQUAL(memcmp(keep, "hello", 5), 0);
	CU_ASSERT_TRUE(k.eof);
	CU_ASSERT_EQUAL(k.t_eof, b3);
	CU_ASSERT_TRUE(k.closed);
	CU_ASSERT_EQUAL(k.t_closed, c4 + TX(66) + MS);

	/* the states: active close to TIME_WAIT, passive to CLOSED */
	CU_ASSERT_TRUE(went(&st, 1, TCP_CLOSED, TCP_SYN_SENT));
	CU_ASSERT_TRUE(went(&st, 1, TCP_SYN_SENT, TCP_ESTABLISHED));
	CU_ASSERT_TRUE(went(&st, 1, TCP_ESTABLISHED, TCP_FIN_WAIT_1));
	CU_ASSERT_TRUE(went(&st, 1, TCP_FIN_WAIT_1, TCP_FIN_WAIT_2));
	CU_ASSERT_TRUE(went(&st, 1, TCP_FIN_WAIT_2, TCP_TIME_WAIT));
	CU_ASSERT_TRUE(went(&st, 2, TCP_CLOSED, TCP_SYN_RECEIVED));
	CU_ASSERT_TRUE(went(&st, 2, TCP_SYN_RECEIVED, TCP_ESTABLISHED));
	CU_ASSERT_TRUE(went(&st, 2, TCP_ESTABLISHED, TCP_CLOSE_WAIT));
	CU_ASSERT_TRUE(went(&st, 2, TCP_CLOSE_WAIT, TCP_LAST_ACK));
	CU_ASSERT_TRUE(went(&st, 2, TCP_LAST_ACK, TCP_CLOSED));
	CU_ASSERT_EQUAL(tcp_stack_n_conns(tcp_stack_get(t.n[0])), 1);
	CU_ASSERT_EQUAL(tcp_stack_n_conns(tcp_stack_get(t.n[1])), 0);
	CU_ASSERT_EQUAL(st.freed, 1);

	/* TIME_WAIT lasts 2 MSL = 120 s */
	sim_run_until(t.sim, c4 + SIM_S(120) - 1);
	CU_ASSERT_EQUAL(tcp_stack_n_conns(tcp_stack_get(t.n[0])), 1);
	sim_run_until(t.sim, c4 + SIM_S(120));
	CU_ASSERT_EQUAL(tcp_stack_n_conns(tcp_stack_get(t.n[0])), 0);
	CU_ASSERT_TRUE(went(&st, 1, TCP_TIME_WAIT, TCP_CLOSED));
	CU_ASSERT_EQUAL(st.freed, 2);
	tt_free(&t);
}

static void
test_refused(void)
{
	struct tt_net t;
	struct tt_src c;
	uint8_t want[20];
	uint32_t ic;
	const sim_time a1 = TX(74) + MS;

	tt_build(&t, 2, SIM_S(1), MS, 100, 0);
	tt_tap_ends(&t);
	memset(&c, 0, sizeof(c));
	(void)tcp_stack_get(t.n[1]);	/* a stack, no listener */
	tt_src_connect(&c, t.n[0], tt_addr(&t, 1), 5001, NULL);
	sim_run(t.sim);
	ic = tt_nth(&t, 0, 0)->seq;
	/* RFC 9293 3.10.7.1: no ACK on the SYN, so SEQ 0, ACK SEG.SEQ+1 */
	hdr(want, 5001, 49152, 0, ic + 1, 20, WIRE_TCP_RST | WIRE_TCP_ACK, 0);
	check_seg(tt_nth(&t, 1, 0), want, 20);
	CU_ASSERT_EQUAL(tt_nth(&t, 1, 0)->t, a1);
	CU_ASSERT_EQUAL(c.errors, 1);
	CU_ASSERT_EQUAL(c.err, STREAM_REFUSED);
	CU_ASSERT_EQUAL(c.t_err, a1 + TX(60) + MS);
	CU_ASSERT_EQUAL(node_drops(t.n[1])[DROP_NO_LISTENER], 1);
	CU_ASSERT_EQUAL(tcp_stack_n_conns(tcp_stack_get(t.n[0])), 0);
	CU_ASSERT_STRING_EQUAL(stream_err_name[STREAM_REFUSED], "refused");
	tt_free(&t);
}

static void
test_syn_backoff_timeout(void)
{
	struct tt_net t;
	struct tt_src c;
	static const sim_time at[] = { 0, 3, 9, 21, 45, 93, 189 };
	int i;

	tt_build(&t, 2, SIM_S(1), MS, 100, 0);
	tt_tap_ends(&t);
	memset(&c, 0, sizeof(c));
	/* n1 has no TCP at all: SYNs vanish without a reset */
	tt_src_connect(&c, t.n[0], tt_addr(&t, 1), 5000, NULL);
	sim_run(t.sim);
	CU_ASSERT_EQUAL(tt_count(&t, 0, WIRE_TCP_SYN), 7);
	for (i = 0; i < 7; i++) {
		CU_ASSERT_EQUAL(tt_nth(&t, 0, i)->t, SIM_S(at[i]));
		CU_ASSERT_EQUAL(tt_nth(&t, 0, i)->seq, tt_nth(&t, 0, 0)->seq);
	}
	/* ConnTimeout 3 s doubling: the 6th retry's timer ends at 381 s */
	CU_ASSERT_EQUAL(c.errors, 1);
	CU_ASSERT_EQUAL(c.err, STREAM_TIMEDOUT);
	CU_ASSERT_EQUAL(c.t_err, SIM_S(381));
	CU_ASSERT_EQUAL(tcp_stack_n_conns(tcp_stack_get(t.n[0])), 0);
	tt_free(&t);
}

/* Drop the first n SYNs arriving at a node. */
struct syn_drop {
	int left;
};

static enum node_verdict
drop_syns(struct node *n, uint32_t ifindex, enum node_hook_dir dir,
    const struct pkt *frame, const struct wire_frame *f, const char **reason,
    void *ctx)
{
	struct syn_drop *d = ctx;

	(void)n;
	(void)ifindex;
	(void)dir;
	(void)frame;
	if (f->has_tcp && (f->tcp.flags & WIRE_TCP_SYN) && d->left > 0) {
		d->left--;
		*reason = "test: SYN lost";
		return NODE_DROP;
	}
	return NODE_ACCEPT;
}

static void
test_syn_retransmit_connects(void)
{
	struct tt_net t;
	struct tt_sink k;
	struct tt_src c;
	struct syn_drop d = { 1 };
	const struct tcp_stats *s;
	struct stream_opts o;
	struct tcp_cfg cfg;

	tt_build(&t, 2, SIM_S(1), MS, 100, 0);
	tt_tap_ends(&t);
	memset(&k, 0, sizeof(k));
	memset(&c, 0, sizeof(c));
	node_iface_add_filter(t.n[1], 0, NODE_INGRESS, drop_syns, &d);
	tt_sink_listen(&k, t.n[1], 5000, NULL);
	c.total = 1000;
	c.no_close = true;
	tt_src_connect(&c, t.n[0], tt_addr(&t, 1), 5000, NULL);
	sim_run_until(t.sim, SIM_S(4));
	CU_ASSERT_TRUE(c.connected);
	CU_ASSERT_EQUAL(c.t_connected, SIM_S(3) + 2 * (TX(74) + MS));
	CU_ASSERT_EQUAL(k.bytes, 1000);
	s = tcp_conn_stats(tcp_stream_conn(c.s));
	CU_ASSERT_EQUAL(s->retrans_segs, 1);
	/* the timestamps tell which SYN was answered: a 2 ms sample */
	CU_ASSERT_EQUAL(s->rtt_samples >= 1, 1);
	CU_ASSERT_EQUAL(s->min_rtt, SIM_MS(2));
	tt_free(&t);

	/*
	 * Without timestamps Karn's rule leaves no sample: the RTO starts at
	 * 3 s when data transmission begins (RFC 6298 5.7), not at 1 s.
	 */
	tt_build(&t, 2, SIM_S(1), MS, 100, 0);
	memset(&k, 0, sizeof(k));
	memset(&c, 0, sizeof(c));
	d.left = 1;
	tcp_cfg_default(&cfg);
	cfg.timestamps = false;
	memset(&o, 0, sizeof(o));
	o.tcp = &cfg;
	node_iface_add_filter(t.n[1], 0, NODE_INGRESS, drop_syns, &d);
	tt_sink_listen(&k, t.n[1], 5000, &o);
	c.no_close = true;
	tt_src_connect(&c, t.n[0], tt_addr(&t, 1), 5000, &o);
	sim_run_until(t.sim, SIM_S(4));
	CU_ASSERT_TRUE_FATAL(c.connected);
	s = tcp_conn_stats(tcp_stream_conn(c.s));
	CU_ASSERT_EQUAL(s->rtt_samples, 0);
	CU_ASSERT_EQUAL(s->rto, SIM_S(3));
	/* the listener's side had its sample from its SYN,ACK: 1 s */
	CU_ASSERT_EQUAL(tcp_conn_stats(tcp_stream_conn(k.s))->rto, SIM_S(1));
	tt_free(&t);
}

/* --- simultaneous close and open --- */

struct both {
	struct stream *s[2];
};

static void
close_both(struct sim *sim, void *arg)
{
	struct both *b = arg;

	(void)sim;
	stream_close(b->s[0]);
	stream_close(b->s[1]);
}

static void
test_simultaneous_close(void)
{
	struct tt_net t;
	struct tt_sink k;
	struct tt_src c;
	struct states st;
	struct both b;

	tt_build(&t, 2, SIM_S(1), MS, 100, 0);
	memset(&k, 0, sizeof(k));
	memset(&c, 0, sizeof(c));
	memset(&st, 0, sizeof(st));
	st.sim = t.sim;
	tcp_stack_add_observer(tcp_stack_get(t.n[0]), &state_obs, &st);
	tcp_stack_add_observer(tcp_stack_get(t.n[1]), &state_obs, &st);
	tt_sink_listen(&k, t.n[1], 5000, NULL);
	k.close_at_eof = false;
	c.no_close = true;
	tt_src_connect(&c, t.n[0], tt_addr(&t, 1), 5000, NULL);
	sim_run_until(t.sim, SIM_MS(10));
	CU_ASSERT_PTR_NOT_NULL_FATAL(k.s);
	b.s[0] = c.s;
	b.s[1] = k.s;
	sim_schedule(t.sim, 0, close_both, &b);
	sim_run_until(t.sim, SIM_S(1));
	/* both FINs crossed: FIN_WAIT_1 -> CLOSING -> TIME_WAIT on each side */
	CU_ASSERT_TRUE(went(&st, 1, TCP_FIN_WAIT_1, TCP_CLOSING));
	CU_ASSERT_TRUE(went(&st, 1, TCP_CLOSING, TCP_TIME_WAIT));
	CU_ASSERT_TRUE(went(&st, 2, TCP_FIN_WAIT_1, TCP_CLOSING));
	CU_ASSERT_TRUE(went(&st, 2, TCP_CLOSING, TCP_TIME_WAIT));
	CU_ASSERT_TRUE(k.closed);
	CU_ASSERT_EQUAL(c.errors + k.errors, 0);
	/* FIN arrives 1 ms + 66 B later, its ACK another 1 ms + 66 B */
	CU_ASSERT_EQUAL(k.t_closed, SIM_MS(10) + 2 * (TX(66) + MS));
	CU_ASSERT_EQUAL(c.t_closed, SIM_MS(10) + 2 * (TX(66) + MS));
	CU_ASSERT_EQUAL(tcp_stack_n_conns(tcp_stack_get(t.n[0])), 1);
	CU_ASSERT_EQUAL(tcp_stack_n_conns(tcp_stack_get(t.n[1])), 1);
	sim_run(t.sim);
	CU_ASSERT_EQUAL(tcp_stack_n_conns(tcp_stack_get(t.n[0])), 0);
	CU_ASSERT_EQUAL(tcp_stack_n_conns(tcp_stack_get(t.n[1])), 0);
	tt_free(&t);
}

static void
test_simultaneous_open(void)
{
	struct tt_net t;
	struct tt_src a, b;
	struct stream_opts oa, ob;
	struct states st;

	tt_build(&t, 2, SIM_S(1), MS, 100, 0);
	tt_tap_ends(&t);
	memset(&a, 0, sizeof(a));
	memset(&b, 0, sizeof(b));
	memset(&oa, 0, sizeof(oa));
	memset(&ob, 0, sizeof(ob));
	memset(&st, 0, sizeof(st));
	st.sim = t.sim;
	tcp_stack_add_observer(tcp_stack_get(t.n[0]), &state_obs, &st);
	tcp_stack_add_observer(tcp_stack_get(t.n[1]), &state_obs, &st);
	oa.local.port = 179;
	ob.local.port = 179;
	a.no_close = b.no_close = true;
	tt_src_connect(&a, t.n[0], tt_addr(&t, 1), 179, &oa);
	tt_src_connect(&b, t.n[1], tt_addr(&t, 0), 179, &ob);
	sim_run_until(t.sim, SIM_S(1));
	CU_ASSERT_TRUE(a.connected);
	CU_ASSERT_TRUE(b.connected);
	CU_ASSERT_TRUE(went(&st, 1, TCP_SYN_SENT, TCP_SYN_RECEIVED));
	CU_ASSERT_TRUE(went(&st, 2, TCP_SYN_SENT, TCP_SYN_RECEIVED));
	CU_ASSERT_TRUE(went(&st, 1, TCP_SYN_RECEIVED, TCP_ESTABLISHED));
	/* the SYNs crossed (1 ms), then the SYN,ACKs (1 ms more) */
	CU_ASSERT_EQUAL(a.t_connected, 2 * (TX(74) + MS));
	CU_ASSERT_EQUAL(b.t_connected, 2 * (TX(74) + MS));
	CU_ASSERT_EQUAL(tt_count(&t, 0, WIRE_TCP_SYN | WIRE_TCP_ACK), 1);
	CU_ASSERT_EQUAL(tt_count(&t, 1, WIRE_TCP_SYN | WIRE_TCP_ACK), 1);
	/* the SYN,ACK's window is never scaled (RFC 7323 2.2): 64 KiB - 1 */
	CU_ASSERT_EQUAL(tcp_stream_conn(a.s)->stats.snd_wnd, 65535);
	CU_ASSERT_EQUAL(tcp_stream_conn(b.s)->stats.snd_wnd, 65535);
	stream_abort(a.s);
	sim_run_until(t.sim, SIM_S(2));
	CU_ASSERT_EQUAL(b.errors, 1);
	CU_ASSERT_EQUAL(b.err, STREAM_RESET);
	CU_ASSERT_EQUAL(tcp_stack_n_conns(tcp_stack_get(t.n[0])), 0);
	CU_ASSERT_EQUAL(tcp_stack_n_conns(tcp_stack_get(t.n[1])), 0);
	tt_free(&t);
}

/* --- malformed segments --- */

static void
inject(struct tt_net *t, int node, uint32_t src, uint32_t dst,
    const struct tcp_hdr *h)
{
	struct pkt *p = pkt_alloc(t->sim, 0);
	struct ipv4_hdr ip;
	struct eth_hdr eth;

	CU_ASSERT_EQUAL(wire_push_tcp(t->sim, p, h, src, dst), 0);
	memset(&ip, 0, sizeof(ip));
	ip.ttl = 64;
	ip.proto = WIRE_IPPROTO_TCP;
	ip.src = src;
	ip.dst = dst;
	wire_push_ipv4(t->sim, p, &ip);
	memset(&eth, 0, sizeof(eth));
	eth.type = WIRE_ETHERTYPE_IPV4;
	wire_push_eth(t->sim, p, &eth);
	CU_ASSERT_EQUAL(node_iface_inject(t->n[node], 0, p->data, p->len), 0);
	pkt_free(t->sim, p);
}

static void
test_malformed(void)
{
	struct tt_net t;
	struct tt_sink k;
	struct tt_src c;
	struct tcp_hdr h;
	struct stream_info si;
	const struct tcp_stats *s;
	const uint8_t bad_opt[4] = { 2, 1, 0, 0 };	/* MSS of length 1 */
	uint64_t before;

	tt_build(&t, 2, SIM_S(1), MS, 100, 0);
	memset(&k, 0, sizeof(k));
	memset(&c, 0, sizeof(c));
	tt_sink_listen(&k, t.n[1], 5000, NULL);
	c.no_close = true;
	tt_src_connect(&c, t.n[0], tt_addr(&t, 1), 5000, NULL);
	sim_run_until(t.sim, SIM_MS(10));
	CU_ASSERT_PTR_NOT_NULL_FATAL(k.s);
	stream_get_info(k.s, &si);
	before = node_drops(t.n[1])[DROP_MALFORMED];

	memset(&h, 0, sizeof(h));
	h.sport = si.remote.port;
	h.dport = 5000;
	h.seq = 12345;
	h.flags = WIRE_TCP_SYN | WIRE_TCP_FIN;
	inject(&t, 1, tt_addr(&t, 0), tt_addr(&t, 1), &h);
	h.flags = WIRE_TCP_SYN | WIRE_TCP_RST;
	inject(&t, 1, tt_addr(&t, 0), tt_addr(&t, 1), &h);
	h.flags = WIRE_TCP_ACK | WIRE_TCP_RST;
	h.off = 6;
	h.opt = bad_opt;
	inject(&t, 1, tt_addr(&t, 0), tt_addr(&t, 1), &h);
	sim_run_until(t.sim, SIM_MS(20));
	CU_ASSERT_EQUAL(node_drops(t.n[1])[DROP_MALFORMED] - before, 3);
	s = tcp_conn_stats(tcp_stream_conn(k.s));
	CU_ASSERT_EQUAL(s->bad_segs, 3);
	/* and the connection carries on */
	CU_ASSERT_EQUAL(tcp_conn_state(tcp_stream_conn(k.s)), TCP_ESTABLISHED);
	CU_ASSERT_EQUAL(stream_send(c.s, NULL, 3000), 3000);
	sim_run_until(t.sim, SIM_MS(40));
	CU_ASSERT_EQUAL(k.bytes, 3000);
	tt_free(&t);
}

/*
 * RFC 9293 3.10.7.4: the window is taken only from a segment whose ACK is
 * not older than SND.UNA. A newer sequence number with an old ACK (a
 * reordered or forged segment) must not close the window.
 */
static void
test_window_update_needs_current_ack(void)
{
	struct tt_net t;
	struct tt_sink k;
	struct tt_src c;
	struct tcp_hdr h;
	struct tcp_conn *cc;
	uint32_t wnd;

	tt_build(&t, 2, SIM_S(1), MS, 100, 0);
	memset(&k, 0, sizeof(k));
	memset(&c, 0, sizeof(c));
	tt_sink_listen(&k, t.n[1], 5000, NULL);
	c.no_close = true;
	tt_src_connect(&c, t.n[0], tt_addr(&t, 1), 5000, NULL);
	sim_run_until(t.sim, SIM_MS(10));
	CU_ASSERT_EQUAL(stream_send(c.s, NULL, 3000), 3000);
	sim_run_until(t.sim, SIM_MS(500));
	cc = tcp_stream_conn(c.s);
	CU_ASSERT_EQUAL_FATAL(cc->snd_una, cc->snd_max);
	wnd = cc->stats.snd_wnd;
	CU_ASSERT_TRUE_FATAL(wnd > 0);

	memset(&h, 0, sizeof(h));
	h.sport = 5000;
	h.dport = cc->lport;
	h.seq = cc->rcv_nxt + 1;	/* in the window, newer than SND.WL1 */
	h.ack = cc->snd_una - 1000;	/* older than SND.UNA */
	h.flags = WIRE_TCP_ACK;
	h.win = 0;
	h.off = 5;
	inject(&t, 0, tt_addr(&t, 1), tt_addr(&t, 0), &h);
	sim_run_until(t.sim, SIM_MS(600));
	CU_ASSERT_EQUAL(cc->stats.snd_wnd, wnd);
	CU_ASSERT_EQUAL(stream_send(c.s, NULL, 3000), 3000);
	sim_run_until(t.sim, SIM_MS(700));
	CU_ASSERT_EQUAL(k.bytes, 6000);
	tt_free(&t);
}

/* Drop the second bare ACK arriving at a node (the one of the peer's FIN). */
static enum node_verdict
drop_second_ack(struct node *n, uint32_t ifindex, enum node_hook_dir dir,
    const struct pkt *frame, const struct wire_frame *f, const char **reason,
    void *ctx)
{
	int *seen = ctx;

	(void)n;
	(void)ifindex;
	(void)dir;
	(void)frame;
	if (f->has_tcp && f->tcp.flags == WIRE_TCP_ACK &&
	    f->payload_len == 0 && ++*seen == 2) {
		*reason = "test: ACK of the FIN lost";
		return NODE_DROP;
	}
	return NODE_ACCEPT;
}

/*
 * TIME_WAIT (RFC 9293 3.10.7.4): a retransmitted FIN is acknowledged and
 * restarts the 2 MSL timer. A closes first; its ACK of B's FIN is lost, so
 * B sends the FIN again one RTO (1 s) later.
 */
static void
test_time_wait_fin_again(void)
{
	struct tt_net t;
	struct tt_sink k;
	struct tt_src c;
	struct states st;
	sim_time tw = -1, closed = -1, fin2 = -1, ack2 = -1;
	int i, seen = 0, fins = 0;

	tt_build(&t, 2, SIM_S(1), MS, 100, 0);
	tt_tap_ends(&t);
	memset(&k, 0, sizeof(k));
	memset(&c, 0, sizeof(c));
	memset(&st, 0, sizeof(st));
	st.sim = t.sim;
	tcp_stack_add_observer(tcp_stack_get(t.n[0]), &state_obs, &st);
	node_iface_add_filter(t.n[1], 0, NODE_INGRESS, drop_second_ack, &seen);
	tt_sink_listen(&k, t.n[1], 5000, NULL);
	tt_src_connect(&c, t.n[0], tt_addr(&t, 1), 5000, NULL);
	sim_run_until(t.sim, SIM_S(300));
	for (i = 0; i < st.n; i++) {
		if (st.e[i].to == TCP_TIME_WAIT)
			tw = st.e[i].t;
		if (st.e[i].from == TCP_TIME_WAIT && st.e[i].to == TCP_CLOSED)
			closed = st.e[i].t;
	}
	for (i = 0; i < t.nsegs; i++) {
		if (t.segs[i].node == 1 && (t.segs[i].flags & WIRE_TCP_FIN) &&
		    ++fins == 2)
			fin2 = t.segs[i].t;
		if (fin2 >= 0 && t.segs[i].node == 0 && ack2 < 0 &&
		    t.segs[i].t > fin2)
			ack2 = t.segs[i].t;
	}
	CU_ASSERT_FATAL(tw > 0 && fin2 > 0);
	CU_ASSERT_EQUAL(fins, 2);
	CU_ASSERT_EQUAL(fin2 - tw, SIM_S(1) - TX(66) - MS);
	/* B's FIN (66 B) arrives 1 ms later and is ACKed at once */
	CU_ASSERT_EQUAL(ack2, fin2 + TX(66) + MS);
	CU_ASSERT_EQUAL(closed, ack2 + SIM_S(120));
	CU_ASSERT_TRUE(k.closed);
	CU_ASSERT_EQUAL(tcp_stack_n_conns(tcp_stack_get(t.n[0])), 0);
	tt_free(&t);
}

/*
 * A receiver whose window is zero still takes a segment at RCV.NXT for
 * its ACK and window (RFC 9293 3.10.7.4), trimming the data to nothing.
 */
static void
test_zero_window_takes_ack(void)
{
	struct tt_net t;
	struct tt_sink k;
	struct tt_src c;
	struct stream_opts o;
	struct tcp_hdr h;
	struct tcp_conn *kc;
	struct pkt *p;
	struct ipv4_hdr ip;
	struct eth_hdr eth;
	uint32_t nxt;
	uint64_t out;

	tt_build(&t, 2, SIM_S(1), MS, 100, 0);
	memset(&k, 0, sizeof(k));
	memset(&c, 0, sizeof(c));
	memset(&o, 0, sizeof(o));
	o.rcvbuf = 10 * 1448;
	tt_sink_listen(&k, t.n[1], 5000, &o);
	k.paused = true;
	c.total = 100000;
	c.no_close = true;
	tt_src_connect(&c, t.n[0], tt_addr(&t, 1), 5000, NULL);
	sim_run_until(t.sim, SIM_MS(500));
	CU_ASSERT_PTR_NOT_NULL_FATAL(k.s);
	kc = tcp_stream_conn(k.s);
	CU_ASSERT_EQUAL_FATAL(kc->rcv_adv, kc->rcv_nxt);	/* zero */
	CU_ASSERT_TRUE_FATAL(kc->stats.snd_wnd > 1000);
	nxt = kc->rcv_nxt;
	out = kc->stats.segs_out;

	memset(&h, 0, sizeof(h));
	h.sport = kc->rport;
	h.dport = 5000;
	h.seq = kc->rcv_nxt;
	h.ack = kc->snd_nxt;
	h.flags = WIRE_TCP_ACK;
	h.win = 77;
	h.off = 5;
	p = pkt_alloc(t.sim, 100);
	memset(p->data, 'x', 100);
	CU_ASSERT_EQUAL(wire_push_tcp(t.sim, p, &h, tt_addr(&t, 0),
	    tt_addr(&t, 1)), 0);
	memset(&ip, 0, sizeof(ip));
	ip.ttl = 64;
	ip.proto = WIRE_IPPROTO_TCP;
	ip.src = tt_addr(&t, 0);
	ip.dst = tt_addr(&t, 1);
	wire_push_ipv4(t.sim, p, &ip);
	memset(&eth, 0, sizeof(eth));
	eth.type = WIRE_ETHERTYPE_IPV4;
	wire_push_eth(t.sim, p, &eth);
	CU_ASSERT_EQUAL(node_iface_inject(t.n[1], 0, p->data, p->len), 0);
	pkt_free(t.sim, p);
	sim_run_until(t.sim, SIM_MS(501));
	/* the window (77, scaled by A's shift of 1) taken, the data not */
	CU_ASSERT_EQUAL(kc->stats.snd_wnd, 77u << kc->snd_wscale);
	CU_ASSERT_EQUAL(kc->rcv_nxt, nxt);
	/* and answered at once (the data went beyond the window) */
	CU_ASSERT_EQUAL(kc->stats.segs_out, out + 1);
	tt_free(&t);
}

/* inject() with a real payload of len bytes ('x'). */
static void
inject_data(struct tt_net *t, int node, uint32_t src, uint32_t dst,
    const struct tcp_hdr *h, uint32_t len)
{
	struct pkt *p = pkt_alloc(t->sim, len);
	struct ipv4_hdr ip;
	struct eth_hdr eth;

	memset(p->data, 'x', len);
	CU_ASSERT_EQUAL(wire_push_tcp(t->sim, p, h, src, dst), 0);
	memset(&ip, 0, sizeof(ip));
	ip.ttl = 64;
	ip.proto = WIRE_IPPROTO_TCP;
	ip.src = src;
	ip.dst = dst;
	wire_push_ipv4(t->sim, p, &ip);
	memset(&eth, 0, sizeof(eth));
	eth.type = WIRE_ETHERTYPE_IPV4;
	wire_push_eth(t->sim, p, &eth);
	CU_ASSERT_EQUAL(node_iface_inject(t->n[node], 0, p->data, p->len), 0);
	pkt_free(t->sim, p);
}

/*
 * RFC 2018 4: the SACK blocks of an ACK are the newest block, then the
 * ones reported most recently. A block that starts at sequence 0 is one
 * of them like any other (the list of recent blocks has a count, not 0 as
 * its end). A hand-driven peer (its ISN just below 2^32, no timestamps, so
 * four blocks fit) sends blocks Q1..Q4 after 0, then Z at 0, then P before
 * 0: the ACK of P reports P, Z, Q4, Q3.
 */
static void
test_sack_block_at_zero(void)
{
	static const uint8_t syn_opt[8] = { 2, 4, 0x05, 0xb4, 4, 2, 1, 1 };
	const uint32_t r = 0xfffff000u, z = 0, p = r + 0x200;
	const uint32_t q[4] = { 1000, 2000, 3000, 4000 };
	struct tt_net t;
	struct tt_sink k;
	struct tcp_hdr h;
	struct tcp_opts o;
	const struct tt_seg *sa = NULL, *last;
	uint32_t src, dst, y;
	int i;

	tt_build(&t, 2, SIM_S(1), MS, 100, 0);
	tt_tap_ends(&t);
	memset(&k, 0, sizeof(k));
	tt_sink_listen(&k, t.n[1], 5000, NULL);
	k.paused = true;
	src = tt_addr(&t, 0);
	dst = tt_addr(&t, 1);
	memset(&h, 0, sizeof(h));
	h.sport = 40000;
	h.dport = 5000;
	h.seq = r - 1;
	h.flags = WIRE_TCP_SYN;
	h.win = 65535;
	h.off = 7;
	h.opt = syn_opt;
	inject_data(&t, 1, src, dst, &h, 0);
	sim_run_until(t.sim, SIM_MS(10));
	for (i = 0; i < t.nsegs; i++)
		if (t.segs[i].node == 1 && (t.segs[i].flags & WIRE_TCP_SYN))
			sa = &t.segs[i];
	CU_ASSERT_PTR_NOT_NULL_FATAL(sa);
	y = sa->seq;
	h.seq = r;
	h.ack = y + 1;
	h.flags = WIRE_TCP_ACK;
	h.off = 5;
	h.opt = NULL;
	inject_data(&t, 1, src, dst, &h, 0);
	sim_run_until(t.sim, SIM_MS(20));
	CU_ASSERT_PTR_NOT_NULL_FATAL(k.s);
	for (i = 0; i < 4; i++) {
		h.seq = q[i];
		inject_data(&t, 1, src, dst, &h, 100);
	}
	h.seq = z;
	inject_data(&t, 1, src, dst, &h, 100);
	h.seq = p;
	inject_data(&t, 1, src, dst, &h, 100);
	sim_run_until(t.sim, SIM_MS(30));
	last = &t.segs[t.nsegs - 1];
	CU_ASSERT_EQUAL_FATAL(last->node, 1);
	CU_ASSERT_EQUAL(last->ack, r);
	CU_ASSERT_EQUAL_FATAL(tcp_opts_parse(last->hdr + 20, last->hlen - 20,
	    &o), TCP_OPT_OK);
	CU_ASSERT_EQUAL_FATAL(o.n_sack, 4);
	CU_ASSERT_EQUAL(o.sack[0].start, p);
	CU_ASSERT_EQUAL(o.sack[1].start, z);
	CU_ASSERT_EQUAL(o.sack[1].end, z + 100);
	CU_ASSERT_EQUAL(o.sack[2].start, q[3]);
	CU_ASSERT_EQUAL(o.sack[3].start, q[2]);
	tt_free(&t);
}

static void
test_sizes(void)
{
	struct tcp_cfg cfg;

	/* the connection without its buffers stays near 1 KiB */
	CU_ASSERT_TRUE(sizeof(struct tcp_conn) <= 1100);
	tcp_cfg_default(&cfg);
	CU_ASSERT_EQUAL(cfg.sndbuf, 131072);
	CU_ASSERT_EQUAL(cfg.rcvbuf, 131072);
	CU_ASSERT_EQUAL(cfg.init_cwnd, 10);
	CU_ASSERT_EQUAL(cfg.init_ssthresh, UINT32_MAX);
	CU_ASSERT_TRUE(cfg.nodelay);
	CU_ASSERT_EQUAL(cfg.delack_count, 2);
	CU_ASSERT_EQUAL(cfg.delack_timeout, SIM_MS(200));
	CU_ASSERT_EQUAL(cfg.rto_min, SIM_S(1));
	CU_ASSERT_EQUAL(cfg.connect_timeout, SIM_S(3));
	CU_ASSERT_EQUAL(cfg.time_wait, SIM_S(120));
}

static const struct test_case cases[] = {
	{ "SACK: a block at sequence 0 is reported in its turn", test_sack_block_at_zero },
	{ "a zero window still takes ACKs at RCV.NXT", test_zero_window_takes_ack },
	{ "TIME_WAIT: a FIN again is ACKed, 2 MSL restarts", test_time_wait_fin_again },
	{ "window update needs SND.UNA =< SEG.ACK", test_window_update_needs_current_ack },
	{ "handshake and teardown byte-exact", test_handshake_teardown },
	{ "closed port refuses with RST", test_refused },
	{ "SYN backoff and connect timeout", test_syn_backoff_timeout },
	{ "lost SYN retransmitted, then connects", test_syn_retransmit_connects },
	{ "simultaneous close", test_simultaneous_close },
	{ "simultaneous open, abort resets", test_simultaneous_open },
	{ "malformed segments dropped", test_malformed },
	{ "connection size and defaults", test_sizes },
	{ NULL, NULL },
};

int
main(int argc, char **argv)
{
	return test_main(argc, argv, "tcp", cases);
}
