/*
 * test_tcp_data.c - what the stream carries: the byte buffers themselves
 * (real and virtual runs, the out-of-order queue and its blocks), virtual
 * bulk data arriving with the right length, a BGP-like message stream of
 * real bytes written in random chunk sizes arriving byte-exact over a
 * lossy link whatever the segmentation, real bytes mixed with virtual
 * ones, path MTU discovery lowering the MSS after one fragmentation-
 * needed, and ICMP unreachables failing a connect.
 */
#include "rng.h"
#include "tcp_buf.h"
#include "tcp_int.h"
#include "tcp_testutil.h"

#define MS SIM_MS(1)

static void
test_bytes_queue(void)
{
	struct tcp_bytes b;
	uint8_t out[64];
	const uint8_t abc[] = "abcdefgh";

	tb_init(&b);
	tb_append(&b, NULL, 10);
	tb_append(&b, NULL, 5);		/* merges */
	tb_append(&b, abc, 4);
	tb_append(&b, abc + 4, 4);	/* shares the real chunk */
	tb_append(&b, NULL, 6);
	CU_ASSERT_EQUAL(b.len, 29);
	/* [0,15) virtual, [15,23) real, [23,29) virtual */
	CU_ASSERT_EQUAL(tb_real_prefix(&b, 0, 10), 0);
	CU_ASSERT_EQUAL(tb_real_prefix(&b, 0, 20), 20);
	CU_ASSERT_EQUAL(tb_real_prefix(&b, 10, 19), 13);
	CU_ASSERT_EQUAL(tb_real_prefix(&b, 23, 6), 0);
	memset(out, 0xee, sizeof(out));
	tb_copy(&b, 13, 12, out);
	CU_ASSERT_EQUAL(out[0], 0);
	CU_ASSERT_EQUAL(out[1], 0);
	CU_ASSERT_EQUAL(memcmp(out + 2, "abcdefgh", 8), 0);
	CU_ASSERT_EQUAL(out[10], 0);
	CU_ASSERT_EQUAL(out[12], 0xee);
	tb_consume(&b, 17, NULL);
	CU_ASSERT_EQUAL(b.len, 12);
	tb_consume(&b, 8, out);
	CU_ASSERT_EQUAL(memcmp(out, "cdefgh\0\0", 8), 0);
	tb_free(&b);
	CU_ASSERT_EQUAL(b.len, 0);
}

static void
test_reasm(void)
{
	struct tcp_reasm r;
	struct tcp_bytes q;
	uint32_t nxt = 0xfffffff0u, s, e;	/* across the wrap */
	uint8_t d[64], out[64];
	int i;

	for (i = 0; i < 64; i++)
		d[i] = (uint8_t)i;
	tr_init(&r);
	tb_init(&q);
	CU_ASSERT_EQUAL(tr_insert(&r, nxt + 20, 10, 10, d + 20), 10);
	CU_ASSERT_EQUAL(tr_insert(&r, nxt + 40, 8, 0, NULL), 8);
	/* overlapping both: only the new middle parts are kept */
	CU_ASSERT_EQUAL(tr_insert(&r, nxt + 15, 30, 30, d + 15), 30 - 10 - 5);
	CU_ASSERT_TRUE(tr_block_of(&r, nxt + 22, &s, &e));
	CU_ASSERT_EQUAL(s, nxt + 15);
	CU_ASSERT_EQUAL(e, nxt + 48);
	CU_ASSERT_TRUE(tr_block_nth_high(&r, 0, &s, &e));
	CU_ASSERT_EQUAL(s, nxt + 15);
	CU_ASSERT_FALSE(tr_block_nth_high(&r, 1, &s, &e));
	CU_ASSERT_EQUAL(tr_deliver(&r, &nxt, &q), 0);
	CU_ASSERT_EQUAL(tr_insert(&r, nxt, 15, 15, d), 15);
	CU_ASSERT_EQUAL(tr_deliver(&r, &nxt, &q), 48);
	CU_ASSERT_EQUAL(nxt, 0xfffffff0u + 48);
	CU_ASSERT_EQUAL(r.n, 0);
	tb_consume(&q, 48, out);
	/* [40,48) came virtual first: the later real copy is not kept */
	for (i = 0; i < 40; i++)
		CU_ASSERT_EQUAL(out[i], i);
	for (i = 40; i < 48; i++)
		CU_ASSERT_EQUAL(out[i], 0);
	tr_free(&r);
	tb_free(&q);
}

static void
test_virtual_bulk(void)
{
	struct tt_net t;
	struct tt_sink k;
	struct tt_src c;
	uint8_t keep[4096];

	tt_build(&t, 2, SIM_S(1), MS, 100, 0);
	memset(&k, 0, sizeof(k));
	memset(&c, 0, sizeof(c));
	memset(keep, 0xee, sizeof(keep));
	k.keep = keep;			/* reads the first 4 KiB as bytes */
	k.keep_cap = sizeof(keep);
	tt_sink_listen(&k, t.n[1], 5001, NULL);
	c.total = 123456789;
	tt_src_connect(&c, t.n[0], tt_addr(&t, 1), 5001, NULL);
	sim_run_until(t.sim, SIM_S(10));
	CU_ASSERT_EQUAL(k.bytes, 123456789);
	CU_ASSERT_TRUE(k.eof);
	CU_ASSERT_TRUE(k.closed);
	CU_ASSERT_EQUAL(keep[0], 0);
	CU_ASSERT_EQUAL(keep[1447], 0);
	tt_free(&t);
}

/* --- a BGP-like message stream --- */

struct msgs {
	uint8_t *buf;
	size_t len;
};

/* Messages as BGP frames them: a marker, a length, a type, a body. */
static void
make_msgs(struct msgs *m, struct rng *r, size_t n)
{
	size_t i, cap = n * 4096;

	m->buf = xmalloc(cap);
	m->len = 0;
	for (i = 0; i < n; i++) {
		uint16_t len = (uint16_t)(19 + rng_below(r, 4096 - 19));
		uint8_t *p = m->buf + m->len;
		uint16_t j;

		memset(p, 0xff, 16);
		put_be16(p + 16, len);
		p[18] = (uint8_t)(1 + rng_below(r, 4));
		for (j = 19; j < len; j++)
			p[j] = (uint8_t)(i * 31 + j * 7);
		m->len += len;
	}
}

/* Write the messages in random chunks whenever there is room. */
struct chunky {
	struct stream *s;
	const struct msgs *m;
	size_t off;
	struct rng r;
	struct sim *sim;
	bool connected;
};

static void
chunky_fill(struct chunky *w)
{
	size_t want, n;

	while (w->s != NULL && w->off < w->m->len) {
		want = 1 + rng_below(&w->r, 3000);
		if (want > w->m->len - w->off)
			want = w->m->len - w->off;
		n = stream_send(w->s, w->m->buf + w->off, want);
		w->off += n;
		if (n < want)
			break;
	}
}

static void
chunky_connected(struct stream *s, void *ctx)
{
	(void)s;
	((struct chunky *)ctx)->connected = true;
	chunky_fill(ctx);
}

static void
chunky_sent(struct stream *s, size_t freed, void *ctx)
{
	(void)s;
	(void)freed;
	chunky_fill(ctx);
}

static const struct stream_cb chunky_cb = {
	.on_connected = chunky_connected,
	.on_sent = chunky_sent,
};

/* Drop arriving TCP segments at random (seeded): the same every run. */
struct lossy {
	struct rng r;
	double p;
	int dropped;
};

static enum node_verdict
lose_some(struct node *n, uint32_t ifindex, enum node_hook_dir dir,
    const struct pkt *frame, const struct wire_frame *f, const char **reason,
    void *ctx)
{
	struct lossy *l = ctx;

	(void)n;
	(void)ifindex;
	(void)dir;
	(void)frame;
	if (f->has_tcp && !(f->tcp.flags & (WIRE_TCP_SYN | WIRE_TCP_FIN)) &&
	    rng_bernoulli(&l->r, l->p)) {
		l->dropped++;
		*reason = "test: random loss";
		return NODE_DROP;
	}
	return NODE_ACCEPT;
}

static void
run_messages(double loss, uint32_t sndbuf, uint64_t seed)
{
	struct tt_net t;
	struct tt_sink k;
	struct chunky w;
	struct msgs m;
	struct rng r;
	struct stream_opts o;
	struct stream_addr a;
	struct lossy l0, l1;
	const struct tcp_stats *st;

	tt_build(&t, 2, 100000000ull, 2 * MS, 1000, 0);
	rng_init(&r, seed, "msgs");
	make_msgs(&m, &r, 400);
	memset(&k, 0, sizeof(k));
	memset(&w, 0, sizeof(w));
	memset(&o, 0, sizeof(o));
	rng_init(&l0.r, seed, "loss0");
	rng_init(&l1.r, seed, "loss1");
	l0.p = l1.p = loss;
	l0.dropped = l1.dropped = 0;
	if (loss > 0) {
		/* both ways: lost data, lost ACKs, holes, SACK blocks */
		node_iface_add_filter(t.n[1], 0, NODE_INGRESS, lose_some, &l1);
		node_iface_add_filter(t.n[0], 0, NODE_INGRESS, lose_some, &l0);
	}
	k.keep = xcalloc(1, m.len);
	k.keep_cap = m.len;
	tt_sink_listen(&k, t.n[1], 179, NULL);
	rng_init(&w.r, seed, "chunks");
	w.m = &m;
	o.sndbuf = sndbuf;
	a.addr = tt_addr(&t, 1);
	a.port = 179;
	w.s = stream_connect(tcp_stack_host(tcp_stack_get(t.n[0])), &a, &o,
	    &chunky_cb, &w);
	CU_ASSERT_PTR_NOT_NULL_FATAL(w.s);
	st = tcp_conn_stats(tcp_stream_conn(w.s));
	sim_run_until(t.sim, SIM_S(120));
	CU_ASSERT_TRUE(w.connected);
	CU_ASSERT_EQUAL(w.off, m.len);
	CU_ASSERT_EQUAL(k.bytes, m.len);
	CU_ASSERT_EQUAL(memcmp(k.keep, m.buf, m.len), 0);
	if (loss > 0) {
		CU_ASSERT_TRUE(l1.dropped > 10);
		CU_ASSERT_TRUE(st->retrans_segs > 0);
	} else
		CU_ASSERT_EQUAL(st->retrans_segs, 0);
	free(k.keep);
	free(m.buf);
	tt_free(&t);
}

static void
test_messages_exact(void)
{
	run_messages(0, 0, 1);
	run_messages(0, 3000, 2);	/* a small buffer: many short writes */
	run_messages(0.02, 0, 3);	/* 2 % loss each way */
	run_messages(0.05, 20000, 4);
}

/* Real bytes between virtual runs land at their offsets. */
struct mixer {
	struct stream *s;
	int step;
	bool connected;
};

static void
mixer_fill(struct mixer *x)
{
	static const uint32_t virt[] = { 5000, 1, 70000, 0, 1448 };
	char msg[16];

	while (x->s != NULL && x->step < 5 &&
	    stream_send_space(x->s) >= 80000) {
		snprintf(msg, sizeof(msg), "<msg %d>", x->step);
		stream_send(x->s, msg, 7);
		stream_send(x->s, NULL, virt[x->step]);
		x->step++;
	}
	if (x->step == 5) {
		stream_close(x->s);
		x->step++;
	}
}

static void
mixer_connected(struct stream *s, void *ctx)
{
	(void)s;
	((struct mixer *)ctx)->connected = true;
	mixer_fill(ctx);
}

static void
mixer_sent(struct stream *s, size_t freed, void *ctx)
{
	(void)s;
	(void)freed;
	mixer_fill(ctx);
}

static void
mixer_closed(struct stream *s, void *ctx)
{
	(void)s;
	((struct mixer *)ctx)->s = NULL;
}

static const struct stream_cb mixer_cb = {
	.on_connected = mixer_connected,
	.on_sent = mixer_sent,
	.on_closed = mixer_closed,
};

static void
test_mixed_real_virtual(void)
{
	static const uint32_t virt[] = { 5000, 1, 70000, 0, 1448 };
	struct tt_net t;
	struct tt_sink k;
	struct mixer x;
	struct stream_addr a;
	uint8_t *keep = xcalloc(1, 200000);
	size_t off = 0, i;
	int s;

	tt_build(&t, 2, SIM_S(1), MS, 1000, 0);
	memset(&k, 0, sizeof(k));
	memset(&x, 0, sizeof(x));
	memset(keep, 0xee, 200000);
	k.keep = keep;
	k.keep_cap = 200000;
	tt_sink_listen(&k, t.n[1], 5001, NULL);
	a.addr = tt_addr(&t, 1);
	a.port = 5001;
	x.s = stream_connect(tcp_stack_host(tcp_stack_get(t.n[0])), &a, NULL,
	    &mixer_cb, &x);
	sim_run_until(t.sim, SIM_S(5));
	CU_ASSERT_TRUE(k.eof);
	for (s = 0; s < 5; s++) {
		char msg[16];

		snprintf(msg, sizeof(msg), "<msg %d>", s);
		CU_ASSERT_EQUAL(memcmp(keep + off, msg, 7), 0);
		off += 7;
		for (i = 0; i < virt[s]; i++)
			if (keep[off + i] != 0)
				break;
		CU_ASSERT_EQUAL(i, virt[s]);
		off += virt[s];
	}
	CU_ASSERT_EQUAL(k.bytes, off);
	free(keep);
	tt_free(&t);
}

/* --- path MTU discovery --- */

static void
test_pmtu(void)
{
	struct tt_net t;
	struct tt_sink k;
	struct tt_src c;
	const struct tcp_stats *st;
	int i, big_after = 0;
	sim_time lowered = 0;

	/* n0 - n1 =(MTU 1400)= n2 - n3: the ExpressRoute case */
	tt_build(&t, 4, SIM_S(1), MS, 1000, 1400);
	tt_tap_ends(&t);
	memset(&k, 0, sizeof(k));
	memset(&c, 0, sizeof(c));
	tt_sink_listen(&k, t.n[3], 5001, NULL);
	c.total = 2000000;
	c.no_close = true;
	tt_src_connect(&c, t.n[0], tt_addr(&t, 3), 5001, NULL);
	sim_run_until(t.sim, SIM_S(10));
	CU_ASSERT_EQUAL(k.bytes, c.total);
	st = tcp_conn_stats(tcp_stream_conn(c.s));
	/* 1400 - 40 bytes of headers - 12 of timestamps */
	CU_ASSERT_EQUAL(st->mss, 1348);
	CU_ASSERT_EQUAL(st->rto_expiries, 0);
	/* the first full-size segment's error came back one hop later */
	for (i = 0; i < t.nsegs; i++)
		if (t.segs[i].node == 0 && t.segs[i].len == 1348) {
			lowered = t.segs[i].t;
			break;
		}
	CU_ASSERT_TRUE(lowered > 0);
	for (i = 0; i < t.nsegs; i++)
		if (t.segs[i].node == 0 && t.segs[i].t > lowered &&
		    t.segs[i].len > 1348)
			big_after++;
	CU_ASSERT_EQUAL(big_after, 0);
	/* n1 refused the big ones with need-frag, counted as MTU drops */
	CU_ASSERT_TRUE(node_drops(t.n[1])[DROP_MTU] >= 1);
	tt_free(&t);
}

static void
test_unreachable_connect(void)
{
	struct tt_net t;
	struct tt_src c;

	/* n2 has no route to 10.9.9.9: ICMP net unreachable back to n0 */
	tt_build(&t, 3, SIM_S(1), MS, 100, 0);
	memset(&c, 0, sizeof(c));
	tt_src_connect(&c, t.n[0], tt_ip("10.9.9.9"), 5001, NULL);
	sim_run_until(t.sim, SIM_S(10));
	CU_ASSERT_EQUAL(c.errors, 1);
	CU_ASSERT_EQUAL(c.err, STREAM_UNREACHABLE);
	CU_ASSERT_TRUE(c.t_err < SIM_MS(10));
	CU_ASSERT_EQUAL(tcp_stack_n_conns(tcp_stack_get(t.n[0])), 0);
	tt_free(&t);
}

/* --- the sequence space wraps under a transfer --- */

/* Two nodes on one fast jumbo link (65,000 bytes), so 2^32 bytes are quick. */
static void
build_jumbo(struct tt_net *t)
{
	struct link_params p;
	uint32_t a = (10u << 24) | 1, ia, ib;

	memset(t, 0, sizeof(*t));
	t->sim = sim_new(1);
	t->net = net_new(t->sim);
	t->len = 2;
	t->segs = xcalloc(TT_MAX_SEGS, sizeof(*t->segs));
	memset(&p, 0, sizeof(p));
	p.dir[0].rate_bps = p.dir[1].rate_bps = 400000000000ull;
	p.dir[0].delay = p.dir[1].delay = SIM_US(10);
	p.qlimit_pkts = 10000;
	p.mtu = 65000;
	t->n[0] = net_add_node(t->net, "n0", "host", NULL, NULL);
	t->n[1] = net_add_node(t->net, "n1", "host", NULL, NULL);
	ia = node_add_iface(t->n[0], "right", NULL, a, 24, 0);
	ib = node_add_iface(t->n[1], "left", NULL, a + 1, 24, 0);
	t->l[0] = net_add_link(t->net, "l0", t->n[0], ia, t->n[1], ib, &p);
}

struct tail {
	uint8_t last[16];
	uint64_t bytes;
};

static void
tail_rx(struct stream *s, void *ctx)
{
	static uint8_t buf[1 << 16];
	struct tail *tl = ctx;
	size_t n, keep;

	while ((n = stream_read(s, buf, sizeof(buf))) > 0) {
		keep = n < sizeof(tl->last) ? n : sizeof(tl->last);
		memmove(tl->last, tl->last + keep, sizeof(tl->last) - keep);
		memcpy(tl->last + sizeof(tl->last) - keep, buf + n - keep, keep);
		tl->bytes += n;
	}
}

static const struct stream_cb tail_cb = { .on_receive = tail_rx };

static void
tail_accept(struct stream_listener *l, struct stream *s, void *ctx)
{
	(void)l;
	stream_set_cb(s, &tail_cb, ctx);
}

/*
 * After exactly 2^32 - 1 acknowledged bytes SND.UNA equals the ISS again:
 * the first byte of the send buffer must still be SND.UNA (the SYN was
 * acknowledged long ago), not SND.UNA + 1. Real bytes written then arrive
 * intact, and nothing more.
 */
static void
test_sequence_wrap(void)
{
	struct tt_net t;
	struct tt_src c;
	struct tail tl;
	struct stream_opts o;
	struct stream_addr a = { 0, 5001 };
	struct tcp_conn *tc;

	build_jumbo(&t);
	memset(&c, 0, sizeof(c));
	memset(&tl, 0, sizeof(tl));
	memset(&o, 0, sizeof(o));
	o.sndbuf = o.rcvbuf = 16u << 20;
	CU_ASSERT_PTR_NOT_NULL_FATAL(stream_listen(tcp_stack_host(
	    tcp_stack_get(t.n[1])), &a, &o, tail_accept, &tl));
	c.total = 0xffffffffull;
	c.no_close = true;
	tt_src_connect(&c, t.n[0], tt_addr(&t, 1), 5001, &o);
	tc = tcp_stream_conn(c.s);
	sim_run_until(t.sim, SIM_S(5));
	CU_ASSERT_EQUAL_FATAL(tl.bytes, 0xffffffffull);
	CU_ASSERT_EQUAL(tc->snd_una, tc->iss);
	CU_ASSERT_EQUAL(tcp_snd_data_seq(tc), tc->snd_una);
	CU_ASSERT_EQUAL(stream_send_queued(c.s), 0);
	CU_ASSERT_EQUAL(stream_send(c.s, "HELLOWORLD", 10), 10);
	stream_close(c.s);
	sim_run_until(t.sim, SIM_S(10));
	CU_ASSERT_EQUAL(tl.bytes, 0xffffffffull + 10);
	CU_ASSERT_EQUAL(memcmp(tl.last + 6, "HELLOWORLD", 10), 0);
	tt_free(&t);
}

static const struct test_case cases[] = {
	{ "the sequence space wraps under a transfer", test_sequence_wrap },
	{ "byte queue of real and virtual runs", test_bytes_queue },
	{ "out-of-order queue", test_reasm },
	{ "virtual bulk keeps its length", test_virtual_bulk },
	{ "message stream byte-exact, with loss", test_messages_exact },
	{ "real bytes between virtual runs", test_mixed_real_virtual },
	{ "path MTU discovery", test_pmtu },
	{ "ICMP unreachable fails a connect", test_unreachable_connect },
	{ NULL, NULL },
};

int
main(int argc, char **argv)
{
	return test_main(argc, argv, "tcp_data", cases);
}
