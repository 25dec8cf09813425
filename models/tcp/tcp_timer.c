/*
 * tcp_timer.c - a connection's timers and the estimators they use: the RTO
 * of RFC 6298 (SRTT/RTTVAR, K = 4, granularity G, minimum and maximum,
 * Karn's rule, exponential backoff) and what expiry does (go back to
 * SND.UNA with cwnd of one segment); the persist timer's zero-window
 * probes; delayed ACKs; SYN retransmission and the connect timeout; the
 * retry limit; TIME_WAIT. Also the glue to the congestion control module.
 *
 * One timer (rtx) serves the SYN, the RTO and TIME_WAIT, which never run
 * at once, so a connection carries three timers, not five.
 */
#include "net.h"
#include "sim.h"
#include "tcp_int.h"

static void rtx_fire(struct timer *tm, void *arg);
static void persist_fire(struct timer *tm, void *arg);
static void delack_fire(struct timer *tm, void *arg);

void
tcp_timers_init(struct tcp_conn *c)
{
	struct sim *sim = c->st->sim;

	timer_set_init(&c->timers);
	timer_init(&c->rtx, sim, &c->timers, rtx_fire, c);
	timer_init(&c->persist, sim, &c->timers, persist_fire, c);
	timer_init(&c->delack, sim, &c->timers, delack_fire, c);
}

static void
io_fill(const struct tcp_conn *c, struct tcp_cc_io *io)
{
	io->cwnd = c->stats.cwnd;
	io->ssthresh = c->stats.ssthresh;
	io->mss = c->stats.mss;
	io->in_flight = tcp_in_flight(c);
	io->now = tcp_now(c);
	io->srtt = c->stats.srtt;
	io->min_rtt = c->stats.min_rtt;
}

static void
io_store(struct tcp_conn *c, const struct tcp_cc_io *io)
{
	uint32_t oc = c->stats.cwnd, os = c->stats.ssthresh;

	c->stats.cwnd = io->cwnd;
	c->stats.ssthresh = io->ssthresh;
	tcp_notify_cwnd(c, oc, os);
}

uint32_t
tcp_in_flight(const struct tcp_conn *c)
{
	if ((c->flags & TCPF_SACK) && c->sb.n_sacked > 0)
		return tcp_sb_pipe(&c->sb, c->snd_una, c->snd_max,
		    c->stats.mss, c->cfg.dupack_thresh);
	return c->snd_max - c->snd_una;
}

void
tcp_ca_set(struct tcp_conn *c, enum tcp_ca_state st)
{
	struct tcp_cc_io io;

	if (c->ca == st)
		return;
	c->ca = (uint8_t)st;
	io_fill(c, &io);
	tcp_cc_set_state(&c->cc, &io, st);
	io_store(c, &io);
}

void
tcp_cc_call_acked(struct tcp_conn *c, uint32_t segs, sim_time rtt,
    bool increase)
{
	struct tcp_cc_io io;

	/*
	 * Every ACK of new data reaches the algorithm with its RTT (HyStart);
	 * the window grows only by whole segments (ns-3 carries the rest).
	 */
	io_fill(c, &io);
	tcp_cc_acked(&c->cc, &io, segs, rtt);
	if (increase && segs > 0 &&
	    (!c->cfg.cwnd_validation || tcp_cwnd_limited(c)))
		tcp_cc_increase(&c->cc, &io, segs);
	io_store(c, &io);
}

uint32_t
tcp_cc_loss_ssthresh(struct tcp_conn *c)
{
	struct tcp_cc_io io;

	io_fill(c, &io);
	return tcp_cc_ssthresh(&c->cc, &io);
}

/* --- RTT estimation (RFC 6298 2) --- */

void
tcp_rtt_sample(struct tcp_conn *c, sim_time r)
{
	struct tcp_stats *s = &c->stats;
	sim_time var4;

	if (r <= 0)
		r = SIM_US(1);	/* as ns-3 takes a zero timestamp sample */
	s->rtt_samples++;
	s->last_rtt = r;
	if (s->min_rtt == 0 || r < s->min_rtt)
		s->min_rtt = r;
	if (s->srtt == 0) {
		s->srtt = r;
		s->rttvar = r / 2;
	} else {
		sim_time d = s->srtt > r ? s->srtt - r : r - s->srtt;

		s->rttvar = (3 * s->rttvar + d) / 4;
		s->srtt = (7 * s->srtt + r) / 8;
	}
	var4 = 4 * s->rttvar;
	s->rto = s->srtt + (var4 > c->cfg.clock_granularity ? var4 :
	    c->cfg.clock_granularity);
	if (s->rto < c->cfg.rto_min)
		s->rto = c->cfg.rto_min;
	if (s->rto > c->cfg.rto_max)
		s->rto = c->cfg.rto_max;
	tcp_notify_rtt(c, r);
}

/* --- retransmission timer --- */

void
tcp_rtx_arm(struct tcp_conn *c, bool restart)
{
	switch (c->state) {
	case TCP_SYN_SENT:
	case TCP_SYN_RECEIVED:
	case TCP_TIME_WAIT:
	case TCP_CLOSED:
		return;	/* the timer is the SYN's or TIME_WAIT's */
	default:
		break;
	}
	if (c->snd_una == c->snd_max) {
		timer_stop(&c->rtx);	/* RFC 6298 5.2 */
		return;
	}
	if (timer_is_running(&c->persist))
		return;			/* a window probe is out */
	if (restart || !timer_is_running(&c->rtx))
		timer_start(&c->rtx, c->stats.rto);
}

void
tcp_syn_arm(struct tcp_conn *c)
{
	sim_time t = c->cfg.connect_timeout;
	uint32_t i;

	for (i = 0; i < c->retries && t < SIM_TIME_MAX / 2; i++)
		t *= 2;
	timer_start(&c->rtx, t);
}

void
tcp_time_wait_arm(struct tcp_conn *c)
{
	timer_set_stop_all(&c->timers);
	timer_start(&c->rtx, c->cfg.time_wait);
}

static void
syn_timeout(struct tcp_conn *c)
{
	if (c->retries >= c->cfg.syn_retries) {
		if (c->flags & TCPF_APP)
			tcp_notify_end(c, STREAM_TIMEDOUT);
		if (c->state != TCP_CLOSED)
			tcp_close_final(c, "connect timed out");
		return;
	}
	c->retries++;
	tcp_send_syn(c);
	tcp_syn_arm(c);
}

static void
rto_expired(struct tcp_conn *c)
{
	uint32_t oc = c->stats.cwnd, os = c->stats.ssthresh;

	if (c->snd_una == c->snd_max)
		return;
	if (c->retries >= c->cfg.data_retries) {
		tcp_notify_end(c, STREAM_TIMEDOUT);
		if (c->state != TCP_CLOSED)
			tcp_close_final(c, "retransmissions timed out");
		return;
	}
	c->stats.rto_expiries++;
	/* RFC 5681 (4): ssthresh once per loss, kept on repeated RTOs */
	if (c->ca != TCP_CA_LOSS)
		c->stats.ssthresh = tcp_cc_loss_ssthresh(c);
	c->stats.cwnd = c->stats.mss;
	tcp_notify_cwnd(c, oc, os);
	c->recover = c->snd_max;
	c->dupacks = 0;
	tcp_sb_clear(&c->sb);
	tcp_ca_set(c, TCP_CA_LOSS);
	/* RFC 6298 5.5: back off */
	c->stats.rto = c->stats.rto > c->cfg.rto_max / 2 ? c->cfg.rto_max :
	    c->stats.rto * 2;
	c->retries++;
	c->flags &= (uint16_t)~TCPF_TIMING;
	c->snd_nxt = c->snd_una;	/* go back N */
	tcp_output(c);
}

static void
rtx_fire(struct timer *tm, void *arg)
{
	struct tcp_conn *c = arg;

	(void)tm;
	tcp_hold(c);
	switch (c->state) {
	case TCP_SYN_SENT:
	case TCP_SYN_RECEIVED:
		syn_timeout(c);
		break;
	case TCP_TIME_WAIT:
		tcp_close_final(c, "TIME_WAIT done");
		break;
	case TCP_CLOSED:
		break;
	default:
		rto_expired(c);
		break;
	}
	tcp_unhold(c);
}

/* --- persist timer (RFC 9293 3.8.6.1) --- */

static sim_time
persist_delay(const struct tcp_conn *c)
{
	sim_time t = c->cfg.persist_timeout;
	uint32_t i;

	for (i = 0; i < c->persist_shift && t < c->cfg.rto_max; i++)
		t *= 2;
	return t < c->cfg.rto_max ? t : c->cfg.rto_max;
}

void
tcp_persist_arm(struct tcp_conn *c)
{
	if (timer_is_running(&c->persist))
		return;
	timer_stop(&c->rtx);
	timer_start(&c->persist, persist_delay(c));
}

static void
persist_fire(struct timer *tm, void *arg)
{
	struct tcp_conn *c = arg;
	uint32_t end = tcp_snd_data_seq(c) + c->snd.len;

	(void)tm;
	if (!seq_lt(c->snd_una, end)) {
		c->persist_shift = 0;
		return;
	}
	if (c->stats.snd_wnd != 0) {
		/* a window too small for a segment: send into it anyway */
		c->persist_shift = 0;
		tcp_hold(c);
		tcp_output_force(c);
		tcp_unhold(c);
		return;
	}
	/* an old sequence number: its ACK carries the window */
	tcp_hold(c);
	if (c->persist_shift < 30)
		c->persist_shift++;
	tcp_send_probe(c);
	timer_stop(&c->rtx);
	if (c->state != TCP_CLOSED)
		timer_start(&c->persist, persist_delay(c));
	tcp_unhold(c);
}

/* --- delayed ACK --- */

void
tcp_delack_schedule(struct tcp_conn *c)
{
	if (++c->delack_segs >= c->cfg.delack_count) {
		c->flags |= TCPF_ACK_NOW;
		return;
	}
	if (!timer_is_running(&c->delack))
		timer_start(&c->delack, c->cfg.delack_timeout);
}

static void
delack_fire(struct timer *tm, void *arg)
{
	struct tcp_conn *c = arg;

	(void)tm;
	tcp_hold(c);
	tcp_send_ack(c);
	tcp_unhold(c);
}
