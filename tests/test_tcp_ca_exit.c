/*
 * test_tcp_ca_exit.c - the window on leaving Loss and Recovery, as ns-3
 * 3.37's TcpSocketBase::ProcessAck does it (defects the aqm dumbbell
 * against ns-3 showed):
 *
 * - the ACK that ends Loss grows cwnd only by the segments past the
 *   recovery point (ns-3: segsAcked = (ack - m_recover) / mss), not by a
 *   long run the peer had SACKed before the RTO;
 * - the ACK that ends Recovery sets cwnd to ssthresh and then grows it by
 *   the segments it covered (ns-3's ProcessAck back in CA_OPEN).
 *
 * Losses are chosen segments dropped at the receiver's ingress, so every
 * run is the same; figures are exact simulated outcomes.
 */
#include "tcp_int.h"
#include "tcp_testutil.h"

#define MS SIM_MS(1)
#define SEG 1448u

/* Drop these data segments (by payload offset), one copy per entry. */
struct dropper {
	uint32_t iss;
	bool have_iss;
	uint32_t off[8];
	bool done[8];
	int n, dropped;
};

static enum node_verdict
drop_chosen(struct node *n, uint32_t ifindex, enum node_hook_dir dir,
    const struct pkt *frame, const struct wire_frame *f, const char **reason,
    void *ctx)
{
	struct dropper *d = ctx;
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

#define MAX_EV 64

/* What the sender's observer heard. */
struct obs {
	struct sim *sim;
	int n_rx, n_rx_rto;
	sim_time rx_at[MAX_EV];
	uint32_t rx_seq[MAX_EV];
	int n_cw;
	sim_time cw_at[MAX_EV * 4];
	uint32_t cw[MAX_EV * 4], ss[MAX_EV * 4];
	uint8_t ca[MAX_EV * 4];		/* the state after the change */
};

static void
obs_rexmit(void *ctx, const struct tcp_conn *c, uint32_t seq, uint32_t len,
    bool rto)
{
	struct obs *o = ctx;

	(void)c;
	(void)len;
	if (o->n_rx < MAX_EV) {
		o->rx_at[o->n_rx] = sim_now(o->sim);
		o->rx_seq[o->n_rx] = seq;
	}
	o->n_rx++;
	if (rto)
		o->n_rx_rto++;
}

static void
obs_cwnd(void *ctx, const struct tcp_conn *c, uint32_t cwnd, uint32_t ss)
{
	struct obs *o = ctx;

	if (o->n_cw < MAX_EV * 4) {
		o->cw_at[o->n_cw] = sim_now(o->sim);
		o->cw[o->n_cw] = cwnd;
		o->ss[o->n_cw] = ss;
		o->ca[o->n_cw] = c->ca;
	}
	o->n_cw++;
}

static const struct tcp_observer observer = {
	.on_retransmit = obs_rexmit,
	.on_cwnd = obs_cwnd,
};

struct run {
	struct tt_net t;
	struct tt_sink k;
	struct tt_src c;
	struct dropper d;
	struct obs o;
	struct tcp_stats st;
};

/* bytes over 100 Mbit/s, 10 ms each way, SACK on, cc as given. */
static void
run_transfer(struct run *r, enum tcp_cc_kind cc, uint64_t bytes)
{
	struct stream_opts so;
	struct tcp_cfg cfg;

	tt_build(&r->t, 2, 100000000ull, 10 * MS, 1000, 0);
	memset(&r->k, 0, sizeof(r->k));
	memset(&r->c, 0, sizeof(r->c));
	r->o.sim = r->t.sim;
	tcp_cfg_default(&cfg);
	cfg.sack = true;
	cfg.cc = cc;
	memset(&so, 0, sizeof(so));
	so.tcp = &cfg;
	node_iface_add_filter(r->t.n[1], 0, NODE_INGRESS, drop_chosen, &r->d);
	tcp_stack_add_observer(tcp_stack_get(r->t.n[0]), &observer, &r->o);
	tt_sink_listen(&r->k, r->t.n[1], 5000, &so);
	r->c.total = bytes;
	r->c.no_close = true;
	tt_src_connect(&r->c, r->t.n[0], tt_addr(&r->t, 1), 5000, &so);
	sim_run_until(r->t.sim, SIM_S(60));
	CU_ASSERT_PTR_NOT_NULL_FATAL(r->c.s);
	r->st = *tcp_conn_stats(tcp_stream_conn(r->c.s));
	CU_ASSERT_EQUAL(r->k.bytes, bytes);
	CU_ASSERT_EQUAL(r->st.bytes_acked, bytes);
}

/*
 * 300 segments, CUBIC; 30 and 32 lost with their fast retransmissions:
 * the recovery stalls until the RTO.
 */
static void
two_stalled_holes(struct run *r)
{
	memset(r, 0, sizeof(*r));
	r->d.off[0] = r->d.off[1] = 30 * SEG;
	r->d.off[2] = r->d.off[3] = 32 * SEG;
	r->d.n = 4;
	run_transfer(r, TCP_CC_CUBIC, 300 * SEG);
}

/*
 * After the RTO cwnd is one segment; the ACK for 30 covers 30 and 31
 * (slow start counts both, as ns-3 does below recover): three. The ACK
 * for 32 ends Loss and covers everything the peer had SACKed up to the
 * recovery point: cwnd grows by the segments past that point only (none)
 * and stays three until the next ACK (five, one RTT on); counting the
 * SACKed run made it jump by about 270 segments at once, sent as a burst.
 */
static void
test_loss_exit_counts_past_recover(void)
{
	struct run r;
	int i, rto = -1;

	two_stalled_holes(&r);
	CU_ASSERT_EQUAL(r.st.rto_expiries, 1);
	for (i = 0; i < r.o.n_cw && i < MAX_EV * 4; i++)
		if (rto < 0 && r.o.cw[i] == SEG)
			rto = i;
	CU_ASSERT_FATAL(rto >= 0 && rto + 2 < r.o.n_cw);
	CU_ASSERT_EQUAL(r.o.cw_at[rto], 1062692320);
	/* the ACK for 30, in Loss */
	CU_ASSERT_EQUAL(r.o.cw[rto + 1], 3 * SEG);
	CU_ASSERT_EQUAL(r.o.ca[rto + 1], TCP_CA_LOSS);
	/* the next change comes from avoidance after Loss, not a burst */
	CU_ASSERT_EQUAL(r.o.ca[rto + 2], TCP_CA_OPEN);
	CU_ASSERT_EQUAL(r.o.cw[rto + 2], 5 * SEG);
	CU_ASSERT_EQUAL(r.o.cw_at[rto + 2], 1123193600);
	CU_ASSERT_EQUAL(r.st.cwnd, 27 * SEG);
	tt_free(&r.t);
}

/*
 * One loss (segment 30) with CUBIC: the ACK ending the recovery sets cwnd
 * to ssthresh and, in the same instant, the algorithm grows it by one
 * segment for what the ACK covered, as ns-3 3.37 does (its trace on the
 * dumbbell: CongState 3 -> 0 and cwnd 40544 -> 41992 at one time).
 */
static void
test_recovery_exit_grows(void)
{
	struct run r;
	int i, first_open = -1;

	memset(&r, 0, sizeof(r));
	r.d.off[0] = 30 * SEG;
	r.d.n = 1;
	run_transfer(&r, TCP_CC_CUBIC, 300 * SEG);
	CU_ASSERT_EQUAL(r.st.rto_expiries, 0);
	CU_ASSERT_EQUAL(r.st.fast_recoveries, 1);
	for (i = 1; i < r.o.n_cw && i < MAX_EV * 4; i++)
		if (first_open < 0 && r.o.ca[i - 1] == TCP_CA_RECOVERY &&
		    r.o.ca[i] == TCP_CA_OPEN)
			first_open = i;
	CU_ASSERT_FATAL(first_open > 0);
	/*
	 * In SACK recovery cwnd is ssthresh already (40 segments at the loss,
	 * 28 after it): the exit's one change is the growth, at the instant
	 * of the ACK that covers recover, one RTT after the retransmission.
	 */
	CU_ASSERT_EQUAL(r.o.cw[first_open - 1], 28 * SEG);
	CU_ASSERT_EQUAL(r.o.ss[first_open], 28 * SEG);
	CU_ASSERT_EQUAL(r.o.cw[first_open], 29 * SEG);
	CU_ASSERT_EQUAL(r.o.cw_at[first_open], 101129280);
	CU_ASSERT_EQUAL(r.o.rx_at[0], 81002880);
	CU_ASSERT_EQUAL(r.o.cw_at[first_open - 1], 81002880);
	tt_free(&r.t);
}

static const struct test_case cases[] = {
	{ "leaving Loss: cwnd grows by what lies past recover", test_loss_exit_counts_past_recover },
	{ "leaving Recovery: ssthresh, then the algorithm's growth", test_recovery_exit_grows },
	{ NULL, NULL },
};

int
main(int argc, char **argv)
{
	return test_main(argc, argv, "tcp_ca_exit", cases);
}
