/*
 * test_tcp_loss.c - loss recovery: one dropped data segment gives exactly
 * one fast retransmit and no RTO (SACK recovery, and NewReno without
 * SACK); two losses in one window are repaired in one recovery either
 * way; a burst loss gives RTOs with the exact backoff of RFC 6298 (1 s
 * minimum, doubling); giving up after the data retries.
 *
 * Losses are chosen segments dropped by an ingress filter at the
 * receiver, so every run is the same.
 */
#include "tcp_int.h"
#include "tcp_testutil.h"

#define MS SIM_MS(1)

/* Drop the data segments with these sequence offsets (first copy only). */
struct dropper {
	uint32_t iss;		/* the sender's ISS, learnt from its SYN */
	bool have_iss;
	uint32_t off[8];	/* payload offsets to drop (seq - iss - 1) */
	bool done[8];
	int n;
	sim_time from, to;	/* drop everything sent by n0 in [from, to) */
	struct sim *sim;
	int dropped;
};

static enum node_verdict
drop_chosen(struct node *n, uint32_t ifindex, enum node_hook_dir dir,
    const struct pkt *frame, const struct wire_frame *f, const char **reason,
    void *ctx)
{
	struct dropper *d = ctx;
	sim_time now = sim_now(d->sim);
	int i;

	(void)n;
	(void)ifindex;
	(void)dir;
	(void)frame;
	if (!f->has_tcp)
		return NODE_ACCEPT;
	if ((f->tcp.flags & WIRE_TCP_SYN) && !(f->tcp.flags & WIRE_TCP_ACK)) {
		d->iss = f->tcp.seq;
		d->have_iss = true;
	}
	if (d->to > d->from && now >= d->from && now < d->to) {
		*reason = "test: burst";
		d->dropped++;
		return NODE_DROP;
	}
	if (!d->have_iss || f->payload_len == 0)
		return NODE_ACCEPT;
	for (i = 0; i < d->n; i++)
		if (!d->done[i] && f->tcp.seq - d->iss - 1 == d->off[i]) {
			d->done[i] = true;
			d->dropped++;
			*reason = "test: chosen loss";
			return NODE_DROP;
		}
	return NODE_ACCEPT;
}

/* Count retransmissions and RTOs the observer hears. */
struct rx_obs {
	int rexmit, rexmit_rto;
	sim_time at[32];
	uint32_t seq[32];
	struct sim *sim;
	int cwnd_calls;
	struct stream *close_on_rexmit;	/* closed in an event then */
};

static void
close_later(struct sim *sim, void *arg)
{
	(void)sim;
	stream_close(arg);
}

static void
obs_rexmit(void *ctx, const struct tcp_conn *c, uint32_t seq, uint32_t len,
    bool rto)
{
	struct rx_obs *o = ctx;

	(void)c;
	(void)len;
	if (o->rexmit < 32) {
		o->at[o->rexmit] = sim_now(o->sim);
		o->seq[o->rexmit] = seq;
	}
	o->rexmit++;
	if (rto)
		o->rexmit_rto++;
	/* an observer may not call the stack: close from an event */
	if (o->close_on_rexmit != NULL) {
		sim_schedule(o->sim, 0, close_later, o->close_on_rexmit);
		o->close_on_rexmit = NULL;
	}
}

static void
obs_cwnd(void *ctx, const struct tcp_conn *c, uint32_t cwnd, uint32_t ss)
{
	(void)c;
	(void)cwnd;
	(void)ss;
	((struct rx_obs *)ctx)->cwnd_calls++;
}

static const struct tcp_observer rx_observer = {
	.on_retransmit = obs_rexmit,
	.on_cwnd = obs_cwnd,
};

struct run {
	struct tt_net t;
	struct tt_sink k;
	struct tt_src c;
	struct dropper d;
	struct rx_obs o;
	struct tcp_stats st;	/* the sender's, at the end */
	node_filter_fn extra;	/* a second drop filter at n1, if set */
	void *extra_ctx;
};

/* 1 MB over 100 Mbit/s, 10 ms each way, with the given losses. */
static void
run_transfer(struct run *r, bool sack, uint64_t bytes)
{
	struct stream_opts o;
	struct tcp_cfg cfg;

	tt_build(&r->t, 2, 100000000ull,
	    10 * MS, 1000, 0);
	memset(&r->k, 0, sizeof(r->k));
	memset(&r->c, 0, sizeof(r->c));
	r->d.sim = r->t.sim;
	r->o.sim = r->t.sim;
	tcp_cfg_default(&cfg);
	cfg.sack = sack;
	memset(&o, 0, sizeof(o));
	o.tcp = &cfg;
	node_iface_add_filter(r->t.n[1], 0, NODE_INGRESS, drop_chosen, &r->d);
	if (r->extra != NULL)
		node_iface_add_filter(r->t.n[1], 0, NODE_INGRESS, r->extra,
		    r->extra_ctx);
	tcp_stack_add_observer(tcp_stack_get(r->t.n[0]), &rx_observer, &r->o);
	tt_sink_listen(&r->k, r->t.n[1], 5000, &o);
	r->c.total = bytes;
	r->c.no_close = true;
	tt_src_connect(&r->c, r->t.n[0], tt_addr(&r->t, 1), 5000, &o);
	sim_run_until(r->t.sim, SIM_S(60));
	CU_ASSERT_PTR_NOT_NULL_FATAL(r->c.s);
	r->st = *tcp_conn_stats(tcp_stream_conn(r->c.s));
	CU_ASSERT_EQUAL(r->k.bytes, bytes);
	CU_ASSERT_EQUAL(r->st.bytes_acked, bytes);
	CU_ASSERT_EQUAL(stream_send_queued(r->c.s), 0);
}

static void
test_single_drop_sack(void)
{
	struct run r;

	memset(&r, 0, sizeof(r));
	r.d.off[0] = 30 * 1448;	/* the 31st segment */
	r.d.n = 1;
	run_transfer(&r, true, 1000000);
	CU_ASSERT_EQUAL(r.d.dropped, 1);
	CU_ASSERT_EQUAL(r.st.fast_recoveries, 1);
	CU_ASSERT_EQUAL(r.st.rto_expiries, 0);
	CU_ASSERT_EQUAL(r.st.retrans_segs, 1);
	CU_ASSERT_EQUAL(r.o.rexmit, 1);
	CU_ASSERT_EQUAL(r.o.rexmit_rto, 0);
	CU_ASSERT_EQUAL(r.o.seq[0], r.d.iss + 1 + 30 * 1448);
	CU_ASSERT_TRUE(r.st.dupacks_in >= 3);
	/* cwnd halved (NewReno: ssthresh = flight / 2) and held there */
	CU_ASSERT_TRUE(r.st.ssthresh < UINT32_MAX);
	CU_ASSERT_TRUE(r.o.cwnd_calls > 0);
	tt_free(&r.t);
}

static void
test_single_drop_newreno(void)
{
	struct run r;

	memset(&r, 0, sizeof(r));
	r.d.off[0] = 30 * 1448;
	r.d.n = 1;
	run_transfer(&r, false, 1000000);
	CU_ASSERT_EQUAL(r.d.dropped, 1);
	CU_ASSERT_EQUAL(r.st.fast_recoveries, 1);
	CU_ASSERT_EQUAL(r.st.rto_expiries, 0);
	CU_ASSERT_EQUAL(r.st.retrans_segs, 1);
	CU_ASSERT_EQUAL(r.o.seq[0], r.d.iss + 1 + 30 * 1448);
	tt_free(&r.t);
}

static void
test_two_losses_sack(void)
{
	struct run r;

	memset(&r, 0, sizeof(r));
	r.d.off[0] = 30 * 1448;
	r.d.off[1] = 35 * 1448;
	r.d.n = 2;
	run_transfer(&r, true, 1000000);
	CU_ASSERT_EQUAL(r.d.dropped, 2);
	/* RFC 6675: both repaired in one recovery, no timeout */
	CU_ASSERT_EQUAL(r.st.fast_recoveries, 1);
	CU_ASSERT_EQUAL(r.st.rto_expiries, 0);
	CU_ASSERT_EQUAL(r.st.retrans_segs, 2);
	CU_ASSERT_EQUAL(r.o.seq[0], r.d.iss + 1 + 30 * 1448);
	CU_ASSERT_EQUAL(r.o.seq[1], r.d.iss + 1 + 35 * 1448);
	/* the second went out before the first's repair was acknowledged */
	CU_ASSERT_TRUE(r.o.at[1] - r.o.at[0] < 20 * MS);
	tt_free(&r.t);
}

static void
test_two_losses_newreno(void)
{
	struct run r;

	memset(&r, 0, sizeof(r));
	r.d.off[0] = 30 * 1448;
	r.d.off[1] = 35 * 1448;
	r.d.n = 2;
	run_transfer(&r, false, 1000000);
	/* RFC 6582: the partial ACK retransmits the second, one RTT later */
	CU_ASSERT_EQUAL(r.st.fast_recoveries, 1);
	CU_ASSERT_EQUAL(r.st.rto_expiries, 0);
	CU_ASSERT_EQUAL(r.st.retrans_segs, 2);
	CU_ASSERT_EQUAL(r.o.seq[1], r.d.iss + 1 + 35 * 1448);
	CU_ASSERT_TRUE(r.o.at[1] - r.o.at[0] >= 20 * MS);
	tt_free(&r.t);
}

static void
test_burst_rto_backoff(void)
{
	struct run r;
	sim_time last_ack = 0;
	int i, first = -1;
	uint32_t seq = 0;

	memset(&r, 0, sizeof(r));
	/* everything from 100 ms to 3.5 s is lost: RTOs at +1 s, +2 s, +4 s */
	r.d.from = 100 * MS;
	r.d.to = SIM_MS(3500);
	tt_build(&r.t, 2, 100000000ull, 10 * MS, 1000, 0);
	tt_tap_ends(&r.t);
	memset(&r.k, 0, sizeof(r.k));
	memset(&r.c, 0, sizeof(r.c));
	r.d.sim = r.o.sim = r.t.sim;
	node_iface_add_filter(r.t.n[1], 0, NODE_INGRESS, drop_chosen, &r.d);
	tcp_stack_add_observer(tcp_stack_get(r.t.n[0]), &rx_observer, &r.o);
	tt_sink_listen(&r.k, r.t.n[1], 5000, NULL);
	r.c.total = 2000000;
	r.c.no_close = true;
	tt_src_connect(&r.c, r.t.n[0], tt_addr(&r.t, 1), 5000, NULL);
	sim_run_until(r.t.sim, SIM_S(60));
	CU_ASSERT_EQUAL(r.k.bytes, 2000000);
	r.st = *tcp_conn_stats(tcp_stream_conn(r.c.s));
	CU_ASSERT_EQUAL(r.st.rto_expiries, 3);
	CU_ASSERT_EQUAL(r.o.rexmit_rto >= 3, 1);
	/*
	 * The receiver's last ACK before the burst (each acknowledging new
	 * data: nothing was lost before it) reached n0 66 B and 10 ms later.
	 */
	for (i = 0; i < r.t.nsegs; i++)
		if (r.t.segs[i].node == 1 && r.t.segs[i].t < SIM_MS(500))
			last_ack = r.t.segs[i].t + 66 * 80 + 10 * MS;
	CU_ASSERT_FATAL(last_ack > 0);
	/* the timer runs from the last ACK that acknowledged new data */
	for (i = 0; i < r.o.rexmit && i < 32; i++)
		if (first < 0 && r.o.at[i] > 100 * MS) {
			first = i;
			seq = r.o.seq[i];
		}
	CU_ASSERT_FATAL(first >= 0 && first + 2 < 32);
	CU_ASSERT_EQUAL(r.o.at[first], last_ack + SIM_S(1));
	CU_ASSERT_EQUAL(r.o.seq[first + 1], seq);
	CU_ASSERT_EQUAL(r.o.seq[first + 2], seq);
	CU_ASSERT_EQUAL(r.o.at[first + 1] - r.o.at[first], SIM_S(2));
	CU_ASSERT_EQUAL(r.o.at[first + 2] - r.o.at[first + 1], SIM_S(4));
	tt_free(&r.t);
}

static void
send_lone(struct sim *sim, void *arg)
{
	struct tt_src *c = arg;

	(void)sim;
	c->total += 100;
	tt_src_fill(c);
}

/*
 * One segment sent from idle (nothing in flight), and lost: its RTO must
 * be armed by that send alone (RFC 6298 5.1), so it goes again exactly
 * one RTO (the 1 s minimum) later. A query to a database after think time
 * is this case; the timer was once armed before SND.MAX covered the
 * segment, so a lone lost request waited forever.
 */
static void
test_lone_segment_from_idle_rto(void)
{
	struct run r;

	memset(&r, 0, sizeof(r));
	r.d.from = SIM_S(1);
	r.d.to = SIM_S(1) + 50 * MS;
	tt_build(&r.t, 2, 100000000ull, 10 * MS, 1000, 0);
	r.d.sim = r.o.sim = r.t.sim;
	node_iface_add_filter(r.t.n[1], 0, NODE_INGRESS, drop_chosen, &r.d);
	tcp_stack_add_observer(tcp_stack_get(r.t.n[0]), &rx_observer, &r.o);
	tt_sink_listen(&r.k, r.t.n[1], 5000, NULL);
	r.c.total = 0;
	r.c.no_close = true;
	tt_src_connect(&r.c, r.t.n[0], tt_addr(&r.t, 1), 5000, NULL);
	sim_schedule(r.t.sim, SIM_S(1), send_lone, &r.c);
	sim_run_until(r.t.sim, SIM_S(10));
	CU_ASSERT_EQUAL(r.d.dropped, 1);
	CU_ASSERT_EQUAL(r.k.bytes, 100);
	CU_ASSERT_EQUAL_FATAL(r.o.rexmit, 1);
	CU_ASSERT_EQUAL(r.o.rexmit_rto, 1);
	CU_ASSERT_EQUAL(r.o.at[0], SIM_S(2));
	r.st = *tcp_conn_stats(tcp_stream_conn(r.c.s));
	CU_ASSERT_EQUAL(r.st.rto_expiries, 1);
	CU_ASSERT_EQUAL(r.st.bytes_acked, 100);
	tt_free(&r.t);
}

static void
test_data_retries_give_up(void)
{
	struct run r;
	struct tcp_cfg cfg;
	struct stream_opts o;
	sim_time last_ack = 0;
	int i;

	memset(&r, 0, sizeof(r));
	r.d.from = 50 * MS;
	r.d.to = SIM_S(100000);
	tt_build(&r.t, 2, 100000000ull, 10 * MS, 1000, 0);
	tt_tap_ends(&r.t);
	memset(&r.k, 0, sizeof(r.k));
	memset(&r.c, 0, sizeof(r.c));
	r.d.sim = r.o.sim = r.t.sim;
	tcp_cfg_default(&cfg);
	cfg.data_retries = 3;
	memset(&o, 0, sizeof(o));
	o.tcp = &cfg;
	node_iface_add_filter(r.t.n[1], 0, NODE_INGRESS, drop_chosen, &r.d);
	tt_sink_listen(&r.k, r.t.n[1], 5000, NULL);
	r.c.total = 100000;
	r.c.no_close = true;
	tt_src_connect(&r.c, r.t.n[0], tt_addr(&r.t, 1), 5000, &o);
	sim_run_until(r.t.sim, 30 * MS);
	CU_ASSERT_TRUE(r.c.connected);
	sim_run_until(r.t.sim, SIM_S(1000));
	/*
	 * From the last ACK (sent before the loss began, 66 B and 10 ms on
	 * the way): RTOs after 1, 2 and 4 s retransmit, the one 8 s later
	 * gives up.
	 */
	for (i = 0; i < r.t.nsegs; i++)
		if (r.t.segs[i].node == 1)
			last_ack = r.t.segs[i].t + 66 * 80 + 10 * MS;
	CU_ASSERT_EQUAL(r.c.errors, 1);
	CU_ASSERT_EQUAL(r.c.err, STREAM_TIMEDOUT);
	CU_ASSERT_EQUAL(r.c.t_err, last_ack + SIM_S(1 + 2 + 4 + 8));
	CU_ASSERT_EQUAL(tcp_stack_n_conns(tcp_stack_get(r.t.n[0])), 0);
	tt_free(&r.t);
}

/*
 * A close during SACK recovery, everything sent: the FIN leaves as soon as
 * pipe allows (RFC 6675 NextSeg rule 2), not a round trip later when the
 * recovery ends.
 */
static void
test_fin_during_recovery(void)
{
	struct run r;
	const uint64_t total = 100 * 1448;
	sim_time fin_at = 0, all_acked = 0;
	int i;

	memset(&r, 0, sizeof(r));
	r.d.off[0] = 60 * 1448;
	r.d.n = 1;
	tt_build(&r.t, 2, 100000000ull, 10 * MS, 1000, 0);
	tt_tap_ends(&r.t);
	memset(&r.k, 0, sizeof(r.k));
	memset(&r.c, 0, sizeof(r.c));
	r.d.sim = r.o.sim = r.t.sim;
	node_iface_add_filter(r.t.n[1], 0, NODE_INGRESS, drop_chosen, &r.d);
	tcp_stack_add_observer(tcp_stack_get(r.t.n[0]), &rx_observer, &r.o);
	tt_sink_listen(&r.k, r.t.n[1], 5000, NULL);
	r.c.total = total;
	r.c.no_close = true;
	tt_src_connect(&r.c, r.t.n[0], tt_addr(&r.t, 1), 5000, NULL);
	r.o.close_on_rexmit = r.c.s;
	sim_run_until(r.t.sim, SIM_S(10));
	CU_ASSERT_EQUAL(r.k.bytes, total);
	CU_ASSERT_TRUE(r.k.closed);
	CU_ASSERT_EQUAL(r.o.rexmit, 1);
	for (i = 0; i < r.t.nsegs; i++) {
		const struct tt_seg *s = &r.t.segs[i];

		if (s->node == 0 && (s->flags & WIRE_TCP_FIN) && fin_at == 0)
			fin_at = s->t;
		/* the ACK of all the data, which ends the recovery */
		if (s->node == 1 && s->ack == r.d.iss + 1 + total &&
		    all_acked == 0)
			all_acked = s->t + 66 * 80 + 10 * MS;
	}
	CU_ASSERT_FATAL(fin_at > 0 && all_acked > 0);
	CU_ASSERT_TRUE(fin_at > r.o.at[0]);
	CU_ASSERT_TRUE(fin_at < all_acked);
	CU_ASSERT_EQUAL(tt_count(&r.t, 0, WIRE_TCP_FIN), 1);
	tt_free(&r.t);
}

/* The window the algorithm cut from, and the cut. */
struct cut {
	uint32_t last_cwnd, before, after;
	bool seen;
};

static void
cut_cwnd(void *ctx, const struct tcp_conn *c, uint32_t cwnd, uint32_t ss)
{
	struct cut *k = ctx;

	(void)c;
	if (!k->seen && ss != UINT32_MAX) {
		k->seen = true;
		k->before = k->last_cwnd;
		k->after = ss;
	}
	k->last_cwnd = cwnd;
}

static const struct tcp_observer cut_observer = {
	.on_cwnd = cut_cwnd,
};

/* The congestion control chosen per stream decides the cut on a loss. */
static void
run_cut(const char *cc, struct cut *k)
{
	struct tt_net t;
	struct tt_sink sk;
	struct tt_src c;
	struct dropper d;
	struct stream_opts o;

	memset(&d, 0, sizeof(d));
	memset(k, 0, sizeof(*k));
	d.off[0] = 200 * 1448;
	d.n = 1;
	tt_build(&t, 2, 100000000ull, 10 * MS, 1000, 0);
	memset(&sk, 0, sizeof(sk));
	memset(&c, 0, sizeof(c));
	memset(&o, 0, sizeof(o));
	o.cc = cc;
	o.sndbuf = o.rcvbuf = 4u << 20;
	d.sim = t.sim;
	node_iface_add_filter(t.n[1], 0, NODE_INGRESS, drop_chosen, &d);
	tcp_stack_add_observer(tcp_stack_get(t.n[0]), &cut_observer, k);
	tt_sink_listen(&sk, t.n[1], 5000, &o);
	c.total = 2000000;
	c.no_close = true;
	tt_src_connect(&c, t.n[0], tt_addr(&t, 1), 5000, &o);
	CU_ASSERT_EQUAL(tcp_conn_cc(tcp_stream_conn(c.s)),
	    (enum tcp_cc_kind)tcp_cc_kind_parse(cc));
	sim_run_until(t.sim, SIM_S(10));
	CU_ASSERT_EQUAL(sk.bytes, c.total);
	CU_ASSERT_TRUE(k->seen);
	tt_free(&t);
}

static void
test_cc_per_stream(void)
{
	struct cut nr, cu;
	double rn, rc;

	run_cut("newreno", &nr);
	run_cut("cubic", &cu);
	/* NewReno halves the flight, CUBIC keeps 0.7 of the window */
	rn = (double)nr.after / nr.before;
	rc = (double)cu.after / cu.before;
	CU_ASSERT_TRUE(rn > 0.45 && rn < 0.55);
	CU_ASSERT_TRUE(rc > 0.65 && rc < 0.75);
}

/*
 * A fast retransmission that is lost too ends in an RTO. The duplicate
 * ACKs counted during that Loss state must not carry over: the cumulative
 * ACK that ends it resets them (RFC 6675 5), and a new recovery needs an
 * ACK beyond the recovery point (RFC 6582 3.2 (2)). Two later single
 * losses are then each repaired by one fast retransmit, not by a
 * spurious one right after the RTO.
 */
static void
test_no_fast_retransmit_after_rto(void)
{
	struct run r;
	int i, after_rto = 0;

	memset(&r, 0, sizeof(r));
	r.d.off[0] = 30 * 1448;
	r.d.off[1] = 30 * 1448;	/* its fast retransmission too: an RTO */
	r.d.off[2] = 40 * 1448;
	r.d.off[3] = 50 * 1448;
	r.d.n = 4;
	run_transfer(&r, false, 1000000);
	CU_ASSERT_EQUAL(r.d.dropped, 4);
	CU_ASSERT_EQUAL(r.st.rto_expiries, 1);
	/* the first loss's recovery, then nothing until snd_una passes recover */
	CU_ASSERT_EQUAL(r.st.fast_recoveries, 1);
	/* every retransmission after the RTO is a segment that was lost */
	for (i = 0; i < r.o.rexmit && i < 32; i++)
		if (r.o.at[i] > SIM_S(1)) {
			uint32_t seg = (r.o.seq[i] - r.d.iss - 1) / 1448;

			after_rto++;
			CU_ASSERT_TRUE(seg >= 30);
		}
	CU_ASSERT_TRUE(after_rto > 0);
	tt_free(&r.t);
}

/* Drop, once, the first data segment that starts at the recovery point. */
struct at_recover {
	struct tt_src *src;
	uint32_t recover;
	bool armed, done;
};

static enum node_verdict
drop_at_recover(struct node *n, uint32_t ifindex, enum node_hook_dir dir,
    const struct pkt *frame, const struct wire_frame *f, const char **reason,
    void *ctx)
{
	struct at_recover *d = ctx;
	struct tcp_conn *c;

	(void)n;
	(void)ifindex;
	(void)dir;
	(void)frame;
	if (!f->has_tcp || f->payload_len == 0 || d->src->s == NULL)
		return NODE_ACCEPT;
	c = tcp_stream_conn(d->src->s);
	if (!d->armed && c->ca == TCP_CA_RECOVERY) {
		d->armed = true;
		d->recover = c->recover;
	}
	if (d->armed && !d->done && f->tcp.seq == d->recover) {
		d->done = true;
		*reason = "test: loss at the recovery point";
		return NODE_DROP;
	}
	return NODE_ACCEPT;
}

/*
 * One loss, then, once its recovery has begun, the loss of the first new
 * segment sent at the recovery point: its duplicate ACKs all stand at
 * exactly recover, which RFC 6582 3.2 (2) lets start a new recovery (they
 * cover more than the highest sequence number sent before). Both losses
 * are repaired by fast retransmit, with no RTO, with and without SACK.
 * (The gate once asked for more than recover and waited for the RTO.)
 */
static void
loss_at_recovery_point(bool sack)
{
	struct run r;
	struct at_recover d;

	memset(&r, 0, sizeof(r));
	memset(&d, 0, sizeof(d));
	r.d.off[0] = 30 * 1448;
	r.d.n = 1;
	d.src = &r.c;
	r.extra = drop_at_recover;
	r.extra_ctx = &d;
	run_transfer(&r, sack, 1000000);
	CU_ASSERT_TRUE(d.done);
	CU_ASSERT_EQUAL(r.st.rto_expiries, 0);
	CU_ASSERT_EQUAL(r.st.fast_recoveries, 2);
	CU_ASSERT_EQUAL(r.st.retrans_segs, 2);
	tt_free(&r.t);
}

static void
test_loss_at_recovery_point_sack(void)
{
	loss_at_recovery_point(true);
}

static void
test_loss_at_recovery_point_newreno(void)
{
	loss_at_recovery_point(false);
}

static void
close_src(struct sim *sim, void *arg)
{
	(void)sim;
	stream_close(((struct tt_src *)arg)->s);
}

/*
 * A bare FIN beyond a hole is kept and answered at once with a duplicate
 * ACK (RFC 5681 4.2); when the hole fills, the FIN is taken without being
 * sent again.
 */
static void
test_bare_fin_out_of_order(void)
{
	struct run r;
	const struct tt_seg *fin = NULL;
	uint32_t hole;
	int i, fins = 0, dup = 0;

	memset(&r, 0, sizeof(r));
	r.d.off[0] = 4 * 1448;	/* the last data segment */
	r.d.n = 1;
	tt_build(&r.t, 2, 100000000ull, 10 * MS, 1000, 0);
	tt_tap_ends(&r.t);
	memset(&r.k, 0, sizeof(r.k));
	memset(&r.c, 0, sizeof(r.c));
	r.d.sim = r.o.sim = r.t.sim;
	node_iface_add_filter(r.t.n[1], 0, NODE_INGRESS, drop_chosen, &r.d);
	tt_sink_listen(&r.k, r.t.n[1], 5000, NULL);
	r.c.total = 5 * 1448;
	r.c.no_close = true;
	tt_src_connect(&r.c, r.t.n[0], tt_addr(&r.t, 1), 5000, NULL);
	sim_schedule_at(r.t.sim, SIM_MS(100), close_src, &r.c);
	sim_run_until(r.t.sim, SIM_S(10));
	CU_ASSERT_EQUAL(r.k.bytes, 5 * 1448);
	CU_ASSERT_TRUE(r.k.eof);
	hole = r.d.iss + 1 + 4 * 1448;
	for (i = 0; i < r.t.nsegs; i++) {
		const struct tt_seg *s = &r.t.segs[i];

		if (s->node == 0 && (s->flags & WIRE_TCP_FIN)) {
			fins++;
			if (fin == NULL)
				fin = s;
		}
	}
	CU_ASSERT_FATAL(fin != NULL);
	CU_ASSERT_EQUAL(fin->t, SIM_MS(100));
	CU_ASSERT_EQUAL(fin->len, 0);
	for (i = 0; i < r.t.nsegs; i++) {
		const struct tt_seg *s = &r.t.segs[i];

		/* 66 B at 100 Mbit/s and 10 ms: the FIN's arrival */
		if (s->node == 1 && s->t == fin->t + 66 * 80 + 10 * MS &&
		    s->ack == hole && s->len == 0)
			dup++;
	}
	CU_ASSERT_EQUAL(dup, 1);
	/* the RTO's retransmission fills the hole and carries the FIN again */
	CU_ASSERT_EQUAL(fins, 2);
	tt_free(&r.t);
}

static void
write_one_seg(struct sim *sim, void *arg)
{
	(void)sim;
	CU_ASSERT_EQUAL(stream_send(arg, NULL, 1448), 1448);
}

/*
 * Limited transmit adds dupACKs times the MSS to cwnd: with cwnd near
 * 2^32 that sum must saturate, not wrap to a window smaller than what is
 * in flight (which stopped all sending). A high dupACK threshold keeps the
 * sender in Disorder with nine dupACKs while the application writes.
 */
static void
test_limited_transmit_saturates(void)
{
	struct run r;
	struct stream_opts o;
	struct tcp_cfg cfg;
	int i, at_write = 0;

	memset(&r, 0, sizeof(r));
	r.d.off[0] = 0;
	r.d.n = 1;
	tt_build(&r.t, 2, 100000000ull, 10 * MS, 1000, 0);
	tt_tap_ends(&r.t);
	memset(&r.k, 0, sizeof(r.k));
	memset(&r.c, 0, sizeof(r.c));
	r.d.sim = r.o.sim = r.t.sim;
	tcp_cfg_default(&cfg);
	cfg.init_cwnd = UINT32_MAX / 1448;
	cfg.dupack_thresh = 100;
	memset(&o, 0, sizeof(o));
	o.tcp = &cfg;
	node_iface_add_filter(r.t.n[1], 0, NODE_INGRESS, drop_chosen, &r.d);
	tt_sink_listen(&r.k, r.t.n[1], 5000, NULL);
	r.c.total = 10 * 1448;
	r.c.no_close = true;
	tt_src_connect(&r.c, r.t.n[0], tt_addr(&r.t, 1), 5000, &o);
	sim_schedule_at(r.t.sim, SIM_MS(200), write_one_seg, r.c.s);
	sim_run_until(r.t.sim, SIM_MS(210));
	CU_ASSERT_EQUAL(r.d.dropped, 1);
	CU_ASSERT_EQUAL(tcp_stream_conn(r.c.s)->dupacks, 9);
	for (i = 0; i < r.t.nsegs; i++)
		if (r.t.segs[i].node == 0 && r.t.segs[i].t == SIM_MS(200) &&
		    r.t.segs[i].len == 1448)
			at_write++;
	CU_ASSERT_EQUAL(at_write, 1);
	tt_free(&r.t);
}

static const struct test_case cases[] = {
	{ "limited transmit saturates near a 2^32 cwnd", test_limited_transmit_saturates },
	{ "bare FIN out of order: kept and ACKed at once", test_bare_fin_out_of_order },
	{ "no spurious fast retransmit after an RTO", test_no_fast_retransmit_after_rto },
	{ "congestion control per stream", test_cc_per_stream },
	{ "FIN sent during SACK recovery", test_fin_during_recovery },
	{ "one loss: one fast retransmit, SACK", test_single_drop_sack },
	{ "one loss: one fast retransmit, NewReno", test_single_drop_newreno },
	{ "two losses: one SACK recovery", test_two_losses_sack },
	{ "two losses: one NewReno recovery", test_two_losses_newreno },
	{ "a loss at the recovery point: fast retransmit, SACK", test_loss_at_recovery_point_sack },
	{ "a loss at the recovery point: fast retransmit, NewReno", test_loss_at_recovery_point_newreno },
	{ "a lone segment sent from idle and lost goes again one RTO later", test_lone_segment_from_idle_rto },
	{ "burst loss: RTO backoff", test_burst_rto_backoff },
	{ "data retries exhausted", test_data_retries_give_up },
	{ NULL, NULL },
};

int
main(int argc, char **argv)
{
	return test_main(argc, argv, "tcp_loss", cases);
}
