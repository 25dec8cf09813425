/*
 * test_tcp_flow.c - throughput and flow control in simulated time: bulk
 * goodput at line rate less header overhead, a receive window bounding
 * throughput to window / RTT, window scaling carrying more than 64 KiB in
 * flight, a reader that pauses (zero window, persist probes with their
 * backoff, and the resume), Nagle on and off, delayed ACKs by count and by
 * timeout.
 */
#include "tcp_int.h"
#include "tcp_testutil.h"

#define MS SIM_MS(1)
#define TX1G(bytes) ((sim_time)(bytes) * 8)

static void
test_bulk_goodput_100m(void)
{
	struct tt_net t;
	struct tt_sink k;
	struct tt_src c;
	const uint64_t total = 20000000;
	/* a full segment: 1448 payload bytes in a 1514-byte frame */
	const double line = 100e6 * 1448.0 / 1514.0;
	double gp;

	tt_build(&t, 2, 100000000ull, MS, 100, 0);
	memset(&k, 0, sizeof(k));
	memset(&c, 0, sizeof(c));
	tt_sink_listen(&k, t.n[1], 5001, NULL);
	c.total = total;
	tt_src_connect(&c, t.n[0], tt_addr(&t, 1), 5001, NULL);
	sim_run_until(t.sim, SIM_S(10));
	CU_ASSERT_EQUAL(k.bytes, total);
	CU_ASSERT_TRUE(k.eof);
	gp = (double)(total - 1448) * 8 / ((double)(k.t_last - k.t_first) /
	    1e9);
	CU_ASSERT_TRUE(gp >= 0.98 * line);
	CU_ASSERT_TRUE(gp <= line * 1.0001);
	CU_ASSERT_EQUAL(link_get_stats(t.l[0], 0)->drops[DROP_QUEUE_FULL], 0);
	tt_free(&t);
}

static void
test_rwnd_limited(void)
{
	struct tt_net t;
	struct tt_sink k;
	struct tt_src c;
	struct stream_opts o;
	const uint32_t w = 10 * 1448;
	/* RTT: 2 x 5 ms, a data frame and an ACK frame at 1 Gbit/s */
	const double rtt = 10e-3 + (double)TX1G(1514 + 66) / 1e9;
	double gp, want = w * 8 / rtt;

	tt_build(&t, 2, SIM_S(1), 5 * MS, 1000, 0);
	memset(&k, 0, sizeof(k));
	memset(&c, 0, sizeof(c));
	memset(&o, 0, sizeof(o));
	o.rcvbuf = w;
	tt_sink_listen(&k, t.n[1], 5001, &o);
	c.total = 5000000;
	tt_src_connect(&c, t.n[0], tt_addr(&t, 1), 5001, NULL);
	sim_run_until(t.sim, SIM_S(20));
	CU_ASSERT_EQUAL(k.bytes, c.total);
	gp = (double)(k.bytes - w) * 8 / ((double)(k.t_last - k.t_first) /
	    1e9);
	CU_ASSERT_TRUE(gp >= 0.99 * want && gp <= 1.01 * want);
	tt_free(&t);
}

/* --- window scaling --- */

struct flight {
	struct tcp_conn *c;
	uint32_t max;
	struct sim *sim;
	sim_event_id ev;
};

static void
sample_flight(struct sim *sim, void *arg)
{
	struct flight *f = arg;

	if (f->c != NULL && f->c->snd_max - f->c->snd_una > f->max)
		f->max = f->c->snd_max - f->c->snd_una;
	f->ev = sim_schedule(sim, MS, sample_flight, f);
}

static void
test_wscale_64k(void)
{
	struct tt_net t;
	struct tt_sink k;
	struct tt_src c;
	struct stream_opts o;
	struct flight f;
	const struct tt_seg *syn;

	tt_build(&t, 2, SIM_S(1), 10 * MS, 10000, 0);
	tt_tap_ends(&t);
	memset(&k, 0, sizeof(k));
	memset(&c, 0, sizeof(c));
	memset(&o, 0, sizeof(o));
	memset(&f, 0, sizeof(f));
	o.sndbuf = o.rcvbuf = 4u << 20;
	tt_sink_listen(&k, t.n[1], 5001, &o);
	c.total = 50000000;
	tt_src_connect(&c, t.n[0], tt_addr(&t, 1), 5001, &o);
	f.c = tcp_stream_conn(c.s);
	f.ev = sim_schedule(t.sim, MS, sample_flight, &f);
	sim_run_until(t.sim, SIM_MS(400));
	/* 4 MiB needs a shift of 7 to fit 16 bits: the SYN offers it */
	syn = tt_nth(&t, 0, 0);
	CU_ASSERT_EQUAL(syn->hdr[20 + 19], 7);
	CU_ASSERT_TRUE(f.max > 65535);
	CU_ASSERT_TRUE(f.max > 1000000);
	sim_cancel(t.sim, f.ev);
	tt_free(&t);
}

/* --- zero window --- */

static void
resume(struct sim *sim, void *arg)
{
	struct tt_sink *k = arg;

	(void)sim;
	k->paused = false;
	tt_sink_read(k);
}

static void
test_zero_window_persist(void)
{
	struct tt_net t;
	struct tt_sink k;
	struct tt_src c;
	struct stream_opts o;
	const uint32_t w = 90 * 1448;	/* closes to exactly zero */
	sim_time zero_at = -1, probe[4];
	uint32_t data_end = 0;
	int i, np = 0;

	tt_build(&t, 2, SIM_S(1), MS, 1000, 0);
	tt_tap_ends(&t);
	memset(&k, 0, sizeof(k));
	memset(&c, 0, sizeof(c));
	memset(&o, 0, sizeof(o));
	o.rcvbuf = w;
	tt_sink_listen(&k, t.n[1], 5001, &o);
	k.paused = true;
	c.total = 1000000;
	c.no_close = true;
	tt_src_connect(&c, t.n[0], tt_addr(&t, 1), 5001, NULL);
	sim_schedule_at(t.sim, SIM_S(20), resume, &k);
	sim_run_until(t.sim, SIM_S(40));
	CU_ASSERT_EQUAL(k.bytes, c.total);
	for (i = 0; i < t.nsegs; i++) {
		const struct tt_seg *s = &t.segs[i];

		if (s->node == 1 && s->win == 0 && zero_at < 0 &&
		    !(s->flags & WIRE_TCP_SYN))
			zero_at = s->t + TX1G(66) + MS;
		/* a probe: no data, SEQ = SND.UNA - 1 (as Linux) */
		if (s->node == 0 && s->len == 0 && data_end != 0 &&
		    s->seq == data_end - 1 && np < 4)
			probe[np++] = s->t;
		if (s->node == 0 && s->len > 0 && np == 0)
			data_end = s->seq + s->len;
	}
	CU_ASSERT_FATAL(zero_at > 0);
	/* PersistTimeout 6 s, then doubling: probes at +6 s and +18 s */
	CU_ASSERT_EQUAL(np, 2);
	CU_ASSERT_EQUAL(probe[0], zero_at + SIM_S(6));
	CU_ASSERT_EQUAL(probe[1], zero_at + SIM_S(18));
	CU_ASSERT_EQUAL(k.t_first < SIM_S(20), false);
	/*
	 * Probes are not retransmissions, and they carry no data: what goes
	 * once the window opens is new data, so a lossless transfer has no
	 * retransmission at all.
	 */
	CU_ASSERT_EQUAL(tcp_conn_stats(tcp_stream_conn(c.s))->zero_window_probes,
	    2);
	CU_ASSERT_EQUAL(tcp_conn_stats(tcp_stream_conn(c.s))->retrans_segs, 0);
	CU_ASSERT_EQUAL(tcp_conn_stats(tcp_stream_conn(c.s))->bytes_sent,
	    c.total);
	tt_free(&t);
}

/* --- a zero window one way, data the other --- */

struct bsink {
	struct stream *s;
	uint64_t rx, tx_total, tx_queued;
	int errors;
};

static void
b_fill(struct bsink *b)
{
	size_t room, n;

	while (b->s != NULL && b->tx_queued < b->tx_total &&
	    (room = stream_send_space(b->s)) > 0) {
		n = b->tx_total - b->tx_queued < room ?
		    b->tx_total - b->tx_queued : room;
		if ((n = stream_send(b->s, NULL, n)) == 0)
			break;
		b->tx_queued += n;
	}
}

static void
b_rx(struct stream *s, void *ctx)
{
	struct bsink *b = ctx;
	size_t n;

	while ((n = stream_read(s, NULL, 1 << 20)) > 0)
		b->rx += n;
}

static void
b_sent(struct stream *s, size_t freed, void *ctx)
{
	(void)s;
	(void)freed;
	b_fill(ctx);
}

static void
b_err(struct stream *s, enum stream_err e, void *ctx)
{
	struct bsink *b = ctx;

	(void)s;
	(void)e;
	b->errors++;
	b->s = NULL;
}

static const struct stream_cb b_cb = {
	.on_receive = b_rx,
	.on_sent = b_sent,
	.on_error = b_err,
};

static void
b_accept(struct stream_listener *l, struct stream *s, void *ctx)
{
	struct bsink *b = ctx;

	(void)l;
	b->s = s;
	stream_set_cb(s, &b_cb, b);
	b_fill(b);
}

static void
start_src(struct sim *sim, void *arg)
{
	struct tt_src *c = arg;

	(void)sim;
	c->total = 5000000;
	tt_src_fill(c);
}

/*
 * A never reads, so its window is zero and B probes it; from 30 s A sends
 * 5 MB to B. B's ACKs of that data reach A's zero window and must be
 * taken (RFC 9293 3.10.7.4): they carry SEQ = RCV.NXT because the probes
 * do not move B's SND.NXT.
 */
static void
test_zero_window_data_other_way(void)
{
	struct tt_net t;
	struct tt_src c;
	struct bsink b;
	struct stream_addr a = { 0, 5001 };
	struct tcp_conn *ac;

	tt_build(&t, 2, 100000000ull, MS, 1000, 0);
	memset(&c, 0, sizeof(c));
	memset(&b, 0, sizeof(b));
	b.tx_total = 10000000;
	CU_ASSERT_PTR_NOT_NULL_FATAL(stream_listen(tcp_stack_host(
	    tcp_stack_get(t.n[1])), &a, NULL, b_accept, &b));
	c.no_close = true;
	tt_src_connect(&c, t.n[0], tt_addr(&t, 1), 5001, NULL);
	sim_schedule_at(t.sim, SIM_S(30), start_src, &c);
	sim_run_until(t.sim, SIM_S(300));
	CU_ASSERT_EQUAL(b.rx, 5000000);
	CU_ASSERT_EQUAL(c.errors, 0);
	CU_ASSERT_EQUAL(b.errors, 0);
	CU_ASSERT_PTR_NOT_NULL_FATAL(c.s);
	ac = tcp_stream_conn(c.s);
	CU_ASSERT_EQUAL(ac->stats.rto_expiries, 0);
	CU_ASSERT_EQUAL(ac->stats.retrans_segs, 0);
	CU_ASSERT_EQUAL(ac->rcv_adv, ac->rcv_nxt);	/* still zero */
	CU_ASSERT_TRUE(tcp_conn_stats(tcp_stream_conn(b.s))->
	    zero_window_probes > 0);
	tt_free(&t);
}

/* --- congestion window validation --- */

struct cwnd_log {
	struct sim *sim;
	int n;
	sim_time t[8192];
	uint32_t cwnd[8192];
	uint32_t max;
};

static void
log_cwnd(void *ctx, const struct tcp_conn *c, uint32_t cwnd, uint32_t ss)
{
	struct cwnd_log *l = ctx;

	(void)c;
	(void)ss;
	if (l->n < 8192) {
		l->t[l->n] = sim_now(l->sim);
		l->cwnd[l->n] = cwnd;
	}
	l->n++;
	if (cwnd > l->max)
		l->max = cwnd;
}

static const struct tcp_observer cwnd_obs = { .on_cwnd = log_cwnd };

struct ticker {
	struct stream *s;
	uint32_t len;
	int left;
	uint32_t max_flight;
};

static void
tick(struct sim *sim, void *arg)
{
	struct ticker *k = arg;
	struct tcp_conn *c = tcp_stream_conn(k->s);

	CU_ASSERT_EQUAL(stream_send(k->s, NULL, k->len), k->len);
	if (c->snd_max - c->snd_una > k->max_flight)
		k->max_flight = c->snd_max - c->snd_una;
	if (--k->left > 0)
		sim_schedule(sim, SIM_MS(50), tick, k);
}

/*
 * An application-limited sender: 10,000 bytes every 50 ms over a 20 ms
 * RTT, 4 MiB windows. With validation (Linux) cwnd stops near twice the
 * flight it carries; without (ns-3) it grows by every ACK.
 */
static uint32_t
run_app_limited(bool validation, uint32_t *max_flight)
{
	struct tt_net t;
	struct tt_sink k;
	struct tt_src c;
	struct stream_opts o;
	struct tcp_cfg cfg;
	struct ticker tk;
	struct cwnd_log l;
	uint32_t cwnd;

	tt_build(&t, 2, 100000000ull, 10 * MS, 1000, 0);
	memset(&k, 0, sizeof(k));
	memset(&c, 0, sizeof(c));
	memset(&l, 0, sizeof(l));
	l.sim = t.sim;
	tcp_cfg_default(&cfg);
	cfg.sndbuf = cfg.rcvbuf = 4u << 20;
	cfg.cwnd_validation = validation;
	memset(&o, 0, sizeof(o));
	o.tcp = &cfg;
	tt_sink_listen(&k, t.n[1], 5001, &o);
	c.no_close = true;
	tt_src_connect(&c, t.n[0], tt_addr(&t, 1), 5001, &o);
	tcp_stack_add_observer(tcp_stack_get(t.n[0]), &cwnd_obs, &l);
	tk.s = c.s;
	tk.len = 10000;
	tk.left = 100;
	tk.max_flight = 0;
	sim_schedule_at(t.sim, SIM_MS(100), tick, &tk);
	sim_run_until(t.sim, SIM_S(10));
	CU_ASSERT_EQUAL(k.bytes, 1000000);
	cwnd = tcp_conn_stats(tcp_stream_conn(c.s))->cwnd;
	CU_ASSERT_EQUAL(l.max, cwnd);	/* never larger before */
	*max_flight = tk.max_flight;
	tt_free(&t);
	return cwnd;
}

static void
test_cwnd_validation_app_limited(void)
{
	uint32_t on, off, flight;

	on = run_app_limited(true, &flight);
	/* a write, and the last segment of the one before (delayed ACK) */
	CU_ASSERT_EQUAL(flight, 10000 + (10000 - 6 * 1448));
	/*
	 * Slow start grows cwnd while it is below twice the largest flight,
	 * and no further: from 10 segments to the first multiple of the
	 * segment at or above 2 x 11,312.
	 */
	CU_ASSERT_EQUAL(on, 16 * 1448);
	CU_ASSERT_TRUE(on >= 2 * flight && on - 1448 < 2 * flight);
	off = run_app_limited(false, &flight);
	/* ns-3's way: every ACK of a full segment adds one (no loss) */
	CU_ASSERT_EQUAL(off, 360 * 1448);
	CU_ASSERT_TRUE(off > 20 * on);
}

/*
 * Every cwnd change in the first 3 s of a bulk transfer that always has
 * data waiting (a cwnd-limited sender; slow start overflows the queue, then
 * NewReno's recoveries).
 */
static void
run_bulk_cwnd(bool validation, struct cwnd_log *l)
{
	struct tt_net t;
	struct tt_sink k;
	struct tt_src c;
	struct stream_opts o;
	struct tcp_cfg cfg;

	/* a 20-packet queue at 100 Mbit/s, 10 ms: slow start overflows it */
	tt_build(&t, 2, 100000000ull, 10 * MS, 20, 0);
	memset(&k, 0, sizeof(k));
	memset(&c, 0, sizeof(c));
	memset(l, 0, sizeof(*l));
	l->sim = t.sim;
	tcp_cfg_default(&cfg);
	cfg.sndbuf = cfg.rcvbuf = 4u << 20;
	cfg.cwnd_validation = validation;
	memset(&o, 0, sizeof(o));
	o.tcp = &cfg;
	tt_sink_listen(&k, t.n[1], 5001, &o);
	c.total = 1ull << 30;
	c.no_close = true;
	tt_src_connect(&c, t.n[0], tt_addr(&t, 1), 5001, &o);
	tcp_stack_add_observer(tcp_stack_get(t.n[0]), &cwnd_obs, l);
	sim_run_until(t.sim, SIM_S(3));
	CU_ASSERT_TRUE(tcp_conn_stats(tcp_stream_conn(c.s))->fast_recoveries >
	    0);
	CU_ASSERT_TRUE(k.bytes > 10000000);
	tt_free(&t);
}

static void
test_cwnd_validation_bulk_unchanged(void)
{
	static struct cwnd_log on, off;
	int i;

	run_bulk_cwnd(true, &on);
	run_bulk_cwnd(false, &off);
	CU_ASSERT_TRUE(on.n > 1000);
	CU_ASSERT_TRUE_FATAL(on.n <= 8192);
	CU_ASSERT_EQUAL_FATAL(on.n, off.n);
	for (i = 0; i < on.n; i++) {
		CU_ASSERT_EQUAL(on.t[i], off.t[i]);
		CU_ASSERT_EQUAL(on.cwnd[i], off.cwnd[i]);
	}
}

/* --- Nagle and delayed ACKs --- */

struct writer {
	struct stream *s;
	uint32_t len;
};

static void
write_now(struct sim *sim, void *arg)
{
	struct writer *w = arg;

	(void)sim;
	CU_ASSERT_EQUAL(stream_send(w->s, NULL, w->len), w->len);
}

/* Ten 100-byte writes 1 ms apart, from 10 ms on. */
static void
run_small_writes(struct tt_net *t, struct tt_sink *k, int nodelay,
    uint32_t delack_count)
{
	struct tt_src c;
	struct stream_opts o, ol;
	struct tcp_cfg cfg;
	struct writer w;
	int i;

	tt_build(t, 2, SIM_S(1), MS, 1000, 0);
	tt_tap_ends(t);
	memset(k, 0, sizeof(*k));
	memset(&c, 0, sizeof(c));
	memset(&o, 0, sizeof(o));
	memset(&ol, 0, sizeof(ol));
	tcp_cfg_default(&cfg);
	cfg.delack_count = delack_count;
	ol.tcp = &cfg;
	o.nodelay = nodelay;
	tt_sink_listen(k, t->n[1], 5001, &ol);
	c.no_close = true;
	tt_src_connect(&c, t->n[0], tt_addr(t, 1), 5001, &o);
	w.s = c.s;
	w.len = 100;
	for (i = 0; i < 10; i++)
		sim_schedule_at(t->sim, SIM_MS(10 + i), write_now, &w);
	sim_run_until(t->sim, SIM_S(2));
	CU_ASSERT_EQUAL(k->bytes, 1000);
}

/* The data segments node 0 sent after the handshake. */
static int
data_segs(const struct tt_net *t, const struct tt_seg **out, int max)
{
	int i, n = 0;

	for (i = 0; i < t->nsegs; i++)
		if (t->segs[i].node == 0 && t->segs[i].len > 0 && n < max)
			out[n++] = &t->segs[i];
	return n;
}

static void
test_nagle(void)
{
	struct tt_net t;
	struct tt_sink k;
	const struct tt_seg *d[16];
	/* data frame of 100 bytes: 166 B; ACK 66 B */
	const sim_time first_ack = SIM_MS(10) + TX1G(166) + MS + SIM_MS(200) +
	    TX1G(66) + MS;
	int i;

	/* Nagle off (ns-3's default): every write leaves at once */
	run_small_writes(&t, &k, 0, 2);
	CU_ASSERT_EQUAL_FATAL(data_segs(&t, d, 16), 10);
	for (i = 0; i < 10; i++) {
		CU_ASSERT_EQUAL(d[i]->t, SIM_MS(10 + i));
		CU_ASSERT_EQUAL(d[i]->len, 100);
	}
	tt_free(&t);

	/*
	 * Nagle on: the first write leaves, the rest wait for its ACK, which
	 * the receiver delays 200 ms (one segment, fewer than two): the
	 * classic Nagle and delayed-ACK stall, then one 900-byte segment.
	 */
	run_small_writes(&t, &k, -1, 2);
	CU_ASSERT_EQUAL_FATAL(data_segs(&t, d, 16), 2);
	CU_ASSERT_EQUAL(d[0]->t, SIM_MS(10));
	CU_ASSERT_EQUAL(d[0]->len, 100);
	CU_ASSERT_EQUAL(d[1]->t, first_ack);
	CU_ASSERT_EQUAL(d[1]->len, 900);
	tt_free(&t);
}

/* The ACKs node 1 sent after the handshake, with no payload. */
static int
acks(const struct tt_net *t, const struct tt_seg **out, int max)
{
	int i, n = 0;

	for (i = 0; i < t->nsegs; i++)
		if (t->segs[i].node == 1 && t->segs[i].len == 0 &&
		    !(t->segs[i].flags & WIRE_TCP_SYN) && n < max)
			out[n++] = &t->segs[i];
	return n;
}

static void
test_delayed_ack(void)
{
	struct tt_net t;
	struct tt_sink k;
	const struct tt_seg *a[16];
	const sim_time arr = TX1G(166) + MS;	/* a write's arrival delay */
	uint32_t base;
	int i, n;

	/* count 2: every second segment ACKed at once */
	run_small_writes(&t, &k, 0, 2);
	n = acks(&t, a, 16);
	CU_ASSERT_EQUAL_FATAL(n, 5);
	CU_ASSERT_EQUAL(a[0]->t, SIM_MS(11) + arr);
	CU_ASSERT_EQUAL(a[4]->t, SIM_MS(19) + arr);
	/* each ACK covers exactly two 100-byte segments */
	base = tt_nth(&t, 0, 0)->seq + 1;
	for (i = 0; i < n; i++)
		CU_ASSERT_EQUAL(a[i]->ack, base + 200u * (uint32_t)(i + 1));
	tt_free(&t);

	/* count 3: ACKs after the 3rd, 6th, 9th; the 10th waits 200 ms */
	run_small_writes(&t, &k, 0, 3);
	n = acks(&t, a, 16);
	CU_ASSERT_EQUAL_FATAL(n, 4);
	CU_ASSERT_EQUAL(a[0]->t, SIM_MS(12) + arr);
	CU_ASSERT_EQUAL(a[1]->t, SIM_MS(15) + arr);
	CU_ASSERT_EQUAL(a[2]->t, SIM_MS(18) + arr);
	CU_ASSERT_EQUAL(a[3]->t, SIM_MS(19) + arr + SIM_MS(200));
	base = tt_nth(&t, 0, 0)->seq + 1;
	for (i = 0; i < 3; i++)
		CU_ASSERT_EQUAL(a[i]->ack, base + 300u * (uint32_t)(i + 1));
	CU_ASSERT_EQUAL(a[3]->ack, base + 1000);
	tt_free(&t);
}

static const struct test_case cases[] = {
	{ "cwnd validation: an app-limited sender's cwnd stays bounded", test_cwnd_validation_app_limited },
	{ "cwnd validation: a cwnd-limited transfer grows as before", test_cwnd_validation_bulk_unchanged },
	{ "zero window one way, data the other", test_zero_window_data_other_way },
	{ "bulk goodput at line rate, 100 Mbit/s", test_bulk_goodput_100m },
	{ "receive window bounds throughput", test_rwnd_limited },
	{ "window scaling beyond 64 KiB", test_wscale_64k },
	{ "zero window: persist probes, resume", test_zero_window_persist },
	{ "Nagle off and on", test_nagle },
	{ "delayed ACK count and timeout", test_delayed_ack },
	{ NULL, NULL },
};

int
main(int argc, char **argv)
{
	return test_main(argc, argv, "tcp_flow", cases);
}
