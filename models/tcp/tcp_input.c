/*
 * tcp_input.c - segment arrival (RFC 9293 3.10.7) for every state:
 * demultiplexing to a connection or a listener, resets for closed ports,
 * the handshake (simultaneous open too), sequence and reset validation
 * (RFC 5961's challenge ACK), timestamps (RFC 7323: TS.Recent, PAWS, RTT
 * samples), the window update rules, ACK processing with duplicate ACK
 * counting, fast retransmit with NewReno recovery (RFC 6582) or SACK
 * recovery (RFC 6675), limited transmit (RFC 3042), the receive side
 * (in-order delivery, the out-of-order queue and its SACK blocks, delayed
 * ACKs), FIN processing, and ICMP errors about our segments.
 *
 * A malformed segment is dropped with a reason (node_drop_l4) and counted,
 * never acted on.
 */
#include <stdio.h>
#include <string.h>

#include "net.h"
#include "pkt.h"
#include "sim.h"
#include "tcp_int.h"
#include "util.h"
#include "wire.h"

/* One arriving segment, as the steps below see it. */
struct seg {
	const struct tcp_hdr *th;
	struct tcp_opts o;
	uint32_t seq, ack, total, real;	/* payload bytes, real ones first */
	const uint8_t *data;
	uint32_t len;			/* SEG.LEN: payload + SYN + FIN */
	uint8_t flags;
	bool syn_win;			/* a SYN's window: never scaled */
};

/* What input did that the application hears of at its end. */
struct events {
	uint32_t freed;			/* send buffer bytes acknowledged */
	bool readable;
	bool closed;			/* both directions done */
};

static void
drop_malformed(struct node *n, struct tcp_conn *c, struct pkt *p,
    const struct wire_frame *f, const char *what)
{
	if (c != NULL)
		c->stats.bad_segs++;
	node_drop_l4(n, p, f, DROP_MALFORMED, what);
}

static void
negotiate(struct tcp_conn *c, const struct seg *s)
{
	const struct tcp_opts *o = &s->o;

	if (o->has_mss && o->mss >= 64)
		c->peer_mss = o->mss;
	if (c->cfg.wscale && o->has_wscale) {
		c->flags |= TCPF_WS;
		c->snd_wscale = o->wscale > TCP_MAX_WSCALE ? TCP_MAX_WSCALE :
		    o->wscale;
	} else {
		c->snd_wscale = 0;
		c->rcv_wscale = 0;
	}
	if (c->cfg.timestamps && o->has_ts) {
		c->flags |= TCPF_TS;
		c->ts_recent = o->ts_val;
	}
	if (c->cfg.sack && o->sack_perm)
		c->flags |= TCPF_SACK;
	tcp_set_mss(c);
}

/* The handshake is done: the window starts from the settled MSS. */
static void
established(struct tcp_conn *c, const char *why)
{
	struct tcp_cc_io io;
	uint32_t oc = c->stats.cwnd, os = c->stats.ssthresh;

	tcp_set_mss(c);
	memset(&io, 0, sizeof(io));
	io.mss = c->stats.mss;
	io.cwnd = c->cfg.init_cwnd * c->stats.mss;
	io.ssthresh = c->cfg.init_ssthresh;
	io.now = tcp_now(c);
	tcp_cc_init(&c->cc, c->cfg.cc, &c->cfg, &io);
	c->stats.cwnd = io.cwnd;
	c->stats.ssthresh = io.ssthresh;
	/*
	 * RFC 6298 5.7: the SYN (or SYN,ACK) went again and no RTT sample
	 * came of it: data transmission begins with an RTO of 3 s at least.
	 */
	if (c->retries > 0 && c->stats.rtt_samples == 0 &&
	    c->stats.rto < SIM_S(3))
		c->stats.rto = SIM_S(3);
	c->retries = 0;
	timer_stop(&c->rtx);
	tcp_set_state(c, TCP_ESTABLISHED, why);
	tcp_notify_cwnd(c, oc, os);
	if (c->flags & TCPF_FIN_QUEUED)
		tcp_set_state(c, TCP_FIN_WAIT_1, "close");
}

static void
rtt_from_ack(struct tcp_conn *c, const struct seg *s, sim_time *sample)
{
	*sample = 0;
	if ((c->flags & TCPF_TS) && s->o.has_ts && s->o.ts_ecr != 0) {
		/* RFC 7323 4.1: timestamps give a sample on every new ACK */
		*sample = (sim_time)(tcp_ts_now(c) - s->o.ts_ecr) * SIM_MS(1);
		tcp_rtt_sample(c, *sample);
		if (*sample == 0)
			*sample = c->stats.last_rtt;
	} else if ((c->flags & TCPF_TIMING) && seq_ge(s->ack, c->rtt_seq)) {
		c->flags &= (uint16_t)~TCPF_TIMING;
		*sample = tcp_now(c) - c->rtt_time;
		tcp_rtt_sample(c, *sample);
	}
}

/* --- the listener --- */

static void
passive_open(struct tcp_stack *st, struct tcp_listener *l, uint32_t vrf,
    const struct wire_frame *f, const struct seg *s)
{
	struct stream_opts o = l->o;
	struct tcp_conn *c;

	/* the peer's key and TTLs, if the listener has them */
	tcp_peer_opts(l, f->ip.src, &o);
	c = tcp_conn_new(st, &l->cfg, &o, vrf, f->ip.dst, s->th->dport,
	    f->ip.src, s->th->sport);

	c->lis = l;
	c->flags |= TCPF_PASSIVE;
	c->irs = s->seq;
	c->rcv_nxt = c->rcv_adv = s->seq + 1;
	negotiate(c, s);
	c->stats.snd_wnd = s->th->win;	/* never scaled on a SYN */
	c->max_snd_wnd = c->stats.snd_wnd;
	c->snd_wl1 = s->seq;
	c->snd_wl2 = c->iss;
	c->stats.segs_in++;
	tcp_set_state(c, TCP_SYN_RECEIVED, "passive open");
	tcp_send_syn(c);
	tcp_syn_arm(c);
}

/* --- SYN_SENT (RFC 9293 3.10.7.3) --- */

static void
syn_sent_input(struct tcp_conn *c, const struct seg *s, struct events *ev)
{
	bool ack_ok = false;
	sim_time rtt;

	(void)ev;
	if (s->flags & WIRE_TCP_ACK) {
		if (seq_le(s->ack, c->iss) || seq_gt(s->ack, c->snd_max)) {
			if (!(s->flags & WIRE_TCP_RST))
				tcp_send_reset(c->st, c->vrf, c->laddr,
				    c->lport, c->raddr, c->rport, s->ack, 0,
				    false, c->md5, c->ttl);
			return;
		}
		ack_ok = true;
	}
	if (s->flags & WIRE_TCP_RST) {
		if (ack_ok) {
			tcp_notify_end(c, STREAM_REFUSED);
			if (c->state != TCP_CLOSED)
				tcp_close_final(c, "connection refused");
		}
		return;
	}
	if (!(s->flags & WIRE_TCP_SYN))
		return;
	c->irs = s->seq;
	c->rcv_nxt = c->rcv_adv = s->seq + 1;
	negotiate(c, s);
	c->stats.snd_wnd = s->th->win;
	c->max_snd_wnd = c->stats.snd_wnd;
	c->snd_wl1 = s->seq;
	c->snd_wl2 = s->ack;
	if (ack_ok) {
		c->snd_una = s->ack;
		c->flags |= TCPF_SYN_ACKED;
		if (c->retries == 0 || (c->flags & TCPF_TS))
			rtt_from_ack(c, s, &rtt);
		c->flags &= (uint16_t)~TCPF_TIMING;
		established(c, "connected");
		tcp_send_ack(c);
		if (c->flags & TCPF_APP) {
			struct stream_cb cb = c->cb;

			tcp_hold(c);
			if (cb.on_connected != NULL)
				cb.on_connected(&c->s, c->ctx);
			tcp_unhold(c);
			if (c->state == TCP_CLOSED)
				return;
		}
		tcp_output(c);
		return;
	}
	/* simultaneous open: SYN,ACK from here (RFC 9293 figure 7) */
	tcp_set_state(c, TCP_SYN_RECEIVED, "simultaneous open");
	tcp_send_syn(c);
}

/* --- receive side --- */

static void
fin_in(struct tcp_conn *c, struct events *ev)
{
	c->rcv_nxt++;
	c->flags |= TCPF_FIN_RCVD | TCPF_ACK_NOW;
	c->flags &= (uint16_t)~TCPF_OOO_FIN;
	ev->readable = true;
	switch (c->state) {
	case TCP_SYN_RECEIVED:
	case TCP_ESTABLISHED:
		tcp_set_state(c, TCP_CLOSE_WAIT, "FIN received");
		break;
	case TCP_FIN_WAIT_1:
		if ((c->flags & TCPF_FIN_SENT) && c->snd_una == c->snd_max) {
			tcp_set_state(c, TCP_TIME_WAIT, "FIN received");
			tcp_time_wait_arm(c);
			ev->closed = true;
		} else
			tcp_set_state(c, TCP_CLOSING, "simultaneous close");
		break;
	case TCP_FIN_WAIT_2:
		tcp_set_state(c, TCP_TIME_WAIT, "FIN received");
		tcp_time_wait_arm(c);
		ev->closed = true;
		break;
	default:
		break;
	}
}

static void
remember_sack(struct tcp_conn *c, uint32_t seq)
{
	uint32_t s, e;
	int i, k;

	/* RFC 2018 4: the newest block first, then the ones sent lately */
	k = c->n_sack_recent < TCP_MAX_SACK ? c->n_sack_recent :
	    (int)TCP_MAX_SACK - 1;
	for (i = 0; i < c->n_sack_recent; i++)
		if (tr_block_of(&c->ooo, c->sack_recent[i], &s, &e) &&
		    seq_le(s, seq) && seq_le(seq, e)) {
			k = i;
			break;
		}
	for (i = k; i > 0; i--)
		c->sack_recent[i] = c->sack_recent[i - 1];
	c->sack_recent[0] = seq;
	if (c->n_sack_recent < TCP_MAX_SACK && k == c->n_sack_recent)
		c->n_sack_recent++;
}

static void
data_in(struct tcp_conn *c, struct seg *s, struct events *ev)
{
	uint32_t seq = s->seq, total = s->total, real = s->real, edge;
	const uint8_t *data = s->data;
	bool fin = s->flags & WIRE_TCP_FIN;

	if (seq_lt(seq, c->rcv_nxt)) {
		uint32_t skip = c->rcv_nxt - seq, rs;

		if (skip >= total) {
			/* all old: a duplicate, answered at once */
			if (total > 0 || (fin && skip > total))
				c->flags |= TCPF_ACK_NOW;
			if (skip > total)
				fin = false;
			total = 0;
			real = 0;
		} else {
			rs = skip < real ? skip : real;
			data += rs;
			real -= rs;
			total -= skip;
		}
		seq = c->rcv_nxt;
	}
	/* what lies beyond the window we offered is not taken */
	edge = c->rcv_adv;
	if (seq_gt(c->rcv_nxt + (c->rcvbuf > c->rcv.len ? c->rcvbuf -
	    c->rcv.len : 0), edge))
		edge = c->rcv_nxt + (c->rcvbuf - c->rcv.len);
	if (seq_gt(seq + total, edge)) {
		total = seq_gt(edge, seq) ? edge - seq : 0;
		if (real > total)
			real = total;
		fin = false;
		c->flags |= TCPF_ACK_NOW;
	}
	if (total > 0 && seq == c->rcv_nxt) {
		bool hole = c->ooo.n > 0;

		if (real > 0)
			tb_append(&c->rcv, data, real);
		tb_append(&c->rcv, NULL, total - real);
		c->rcv_nxt += total;
		c->stats.bytes_received += total;
		if (hole) {
			/* it filled (part of) a hole: ACK at once (RFC 5681 4.2) */
			c->stats.bytes_received += tr_deliver(&c->ooo,
			    &c->rcv_nxt, &c->rcv);
			c->flags |= TCPF_ACK_NOW;
		} else
			tcp_delack_schedule(c);
		ev->readable = true;
	} else if (total > 0) {
		tr_insert(&c->ooo, seq, total, real, data);
		remember_sack(c, seq);
		if (fin) {
			c->flags |= TCPF_OOO_FIN;
			c->rcv_fin_seq = seq + total;
		}
		c->flags |= TCPF_ACK_NOW;
		return;
	} else if (fin && seq_gt(seq, c->rcv_nxt)) {
		/*
		 * A bare FIN beyond a hole: kept for when the hole fills, and
		 * answered at once with a duplicate ACK (RFC 5681 4.2).
		 */
		c->flags |= TCPF_OOO_FIN | TCPF_ACK_NOW;
		c->rcv_fin_seq = seq;
		return;
	}
	if (c->flags & TCPF_CLOSING)
		tb_consume(&c->rcv, c->rcv.len, NULL);	/* nobody reads */
	if ((fin && seq + total == c->rcv_nxt) ||
	    ((c->flags & TCPF_OOO_FIN) && c->rcv_fin_seq == c->rcv_nxt))
		fin_in(c, ev);
}

/*
 * Answer a segment outside the window (or a challenge) with an ACK. For a
 * bare ACK or a SYN at most one per 500 ms, as Linux limits them: two ends
 * that disagree about the sequence space would otherwise answer each
 * other's ACKs forever (an ACK storm). Segments that occupy sequence space
 * are answered every time (a retransmission needs its duplicate ACK).
 */
#define TCP_OOW_INTERVAL SIM_MS(500)

static void
oow_ack(struct tcp_conn *c, const struct seg *s)
{
	sim_time now = tcp_now(c);

	if (s->len == 0 || (s->flags & WIRE_TCP_SYN)) {
		if (c->oow_at != 0 && now - c->oow_at < TCP_OOW_INTERVAL)
			return;
		c->oow_at = now != 0 ? now : 1;
	}
	c->flags |= TCPF_ACK_NOW;
}

/* --- the sender's side of an ACK --- */

static void
enter_recovery(struct tcp_conn *c)
{
	uint32_t oc = c->stats.cwnd, os = c->stats.ssthresh;

	c->stats.fast_recoveries++;
	c->stats.ssthresh = tcp_cc_loss_ssthresh(c);
	c->recover = c->snd_max;
	tcp_ca_set(c, TCP_CA_RECOVERY);
	if (c->flags & TCPF_SACK) {
		/* RFC 6675 5 (4.2): cwnd = ssthresh, pipe decides */
		c->stats.cwnd = c->stats.ssthresh;
		tcp_sb_clear_rexmit(&c->sb);
		tcp_notify_cwnd(c, oc, os);
		tcp_retransmit_una(c);
		tcp_sack_output(c);
		return;
	}
	/* RFC 6582 3.2 (2), (3): inflate by the segments that left */
	c->stats.cwnd = c->stats.ssthresh + c->dupacks * c->stats.mss;
	tcp_notify_cwnd(c, oc, os);
	tcp_retransmit_una(c);
	tcp_output(c);
}

static void
new_ack(struct tcp_conn *c, const struct seg *s, struct events *ev)
{
	uint32_t acked, data_seq = tcp_snd_data_seq(c);
	uint32_t end = data_seq + c->snd.len, data_acked = 0, segs;
	uint32_t mss = c->stats.mss;
	sim_time rtt;

	if (seq_gt(s->ack, data_seq))
		data_acked = (seq_lt(s->ack, end) ? s->ack : end) - data_seq;
	tb_consume(&c->snd, data_acked, NULL);
	c->snd_una = s->ack;
	c->flags |= TCPF_SYN_ACKED;	/* the SYN is the first to go */
	if (seq_lt(c->snd_nxt, c->snd_una))
		c->snd_nxt = c->snd_una;
	c->stats.bytes_acked += data_acked;
	ev->freed += data_acked;
	c->retries = 0;
	/*
	 * RFC 6675 5: a cumulative ACK resets DupAcks, in every state (the
	 * ones counted in Loss would otherwise start a spurious fast
	 * retransmit right after it).
	 */
	c->dupacks = 0;
	rtt_from_ack(c, s, &rtt);
	if (c->flags & TCPF_SACK)
		tcp_sb_advance(&c->sb, c->snd_una);
	/* whole segments of data for the algorithm, the rest carried over */
	acked = data_acked;
	segs = (acked + c->acked_rem) / mss;
	c->acked_rem = (acked + c->acked_rem) % mss;
	/* ns-3 hands the algorithm the smoothed RTT (m_lastRtt) */
	rtt = rtt != 0 ? c->stats.srtt : 0;
	switch (c->ca) {
	case TCP_CA_RECOVERY:
		if (seq_ge(s->ack, c->recover)) {
			uint32_t oc = c->stats.cwnd;

			/*
			 * classic recovery's exit (RFC 6582 3.2 (5)), then, as
			 * ns-3's ProcessAck once back in CA_OPEN, the window
			 * grows by the segments this ACK covered
			 */
			c->stats.cwnd = c->stats.ssthresh;
			tcp_notify_cwnd(c, oc, c->stats.ssthresh);
			tcp_ca_set(c, TCP_CA_OPEN);
			tcp_cc_call_acked(c, segs, rtt, true);
			break;
		}
		if (!(c->flags & TCPF_SACK)) {
			uint32_t oc = c->stats.cwnd;

			/* partial ACK (RFC 6582 3.2 (5)): deflate, resend */
			c->stats.cwnd = c->stats.cwnd > acked ?
			    c->stats.cwnd - acked : 0;
			if (acked >= mss)
				c->stats.cwnd += mss;
			if (c->stats.cwnd < mss)
				c->stats.cwnd = mss;
			tcp_notify_cwnd(c, oc, c->stats.ssthresh);
			tcp_retransmit_una(c);
		}
		tcp_cc_call_acked(c, segs, rtt, false);
		break;
	case TCP_CA_LOSS:
		if (seq_ge(s->ack, c->recover)) {
			/*
			 * ns-3's exit from CA_LOSS: only the segments past the
			 * recovery point grow cwnd; the ACK may also cover a
			 * long run the peer held (SACKed before the RTO), and
			 * counting it all in slow start sends it as one burst.
			 */
			segs = (s->ack - c->recover) / mss;
			tcp_ca_set(c, TCP_CA_OPEN);
		}
		tcp_cc_call_acked(c, segs, rtt, true);
		break;
	default:
		tcp_ca_set(c, TCP_CA_OPEN);
		tcp_cc_call_acked(c, segs, rtt, true);
		break;
	}
	tcp_rtx_arm(c, true);
}

static void
dup_ack(struct tcp_conn *c)
{
	uint32_t oc = c->stats.cwnd;
	bool lost;

	c->stats.dupacks_in++;
	c->dupacks++;
	switch (c->ca) {
	case TCP_CA_RECOVERY:
		if (!(c->flags & TCPF_SACK)) {
			/* RFC 6582 3.2 (4): each dupACK is a segment gone */
			c->stats.cwnd += c->stats.mss;
			tcp_notify_cwnd(c, oc, c->stats.ssthresh);
		}
		return;		/* the caller sends what it allows */
	case TCP_CA_LOSS:
		return;
	default:
		break;
	}
	lost = (c->flags & TCPF_SACK) && tcp_sb_is_lost(&c->sb, c->snd_una,
	    c->stats.mss, c->cfg.dupack_thresh);
	/*
	 * RFC 6582 3.2 (2): only once the ACKs cover more than recover, the
	 * highest sequence number sent when the last recovery began; recover
	 * holds SND.MAX then, one past it, so "more than" is >= here (as
	 * ns-3's m_highRxAckMark >= m_recover). With > a loss of the segment
	 * starting at recover waited for the RTO.
	 */
	if ((c->dupacks >= c->cfg.dupack_thresh || lost) &&
	    seq_ge(c->snd_una, c->recover)) {
		enter_recovery(c);
		return;
	}
	tcp_ca_set(c, TCP_CA_DISORDER);
}

/* RFC 9293 3.10.7.4 fifth step, for the synchronized states. */
static bool
ack_in(struct tcp_conn *c, const struct seg *s, struct events *ev)
{
	uint32_t win = s->th->win, newly = 0;
	bool win_changed = false;

	if (seq_gt(s->ack, c->snd_max)) {
		oow_ack(c, s);		/* acks what was never sent */
		return false;
	}
	if ((c->flags & TCPF_WS) && !s->syn_win)
		win <<= c->snd_wscale;
	/* RFC 9293 3.10.7.4: never from an ACK older than SND.UNA */
	if (seq_le(c->snd_una, s->ack) && (seq_lt(c->snd_wl1, s->seq) ||
	    (c->snd_wl1 == s->seq && seq_le(c->snd_wl2, s->ack)))) {
		win_changed = win != c->stats.snd_wnd;
		c->stats.snd_wnd = win;
		c->snd_wl1 = s->seq;
		c->snd_wl2 = s->ack;
		if (win > c->max_snd_wnd)
			c->max_snd_wnd = win;
		if (win > 0 && timer_is_running(&c->persist)) {
			/* the window opened: tcp_output sends into it */
			timer_stop(&c->persist);
			c->persist_shift = 0;
		}
	}
	if ((c->flags & TCPF_SACK) && s->o.n_sack > 0)
		newly = tcp_sb_update(&c->sb, c->snd_una, c->snd_max,
		    s->o.sack, s->o.n_sack);
	if (seq_gt(s->ack, c->snd_una))
		new_ack(c, s, ev);
	else if (s->ack == c->snd_una && c->snd_una != c->snd_max &&
	    ((c->flags & TCPF_SACK) ? newly > 0 : s->total == 0 &&
	    !(s->flags & (WIRE_TCP_SYN | WIRE_TCP_FIN)) && !win_changed &&
	    c->stats.snd_wnd > 0))
		dup_ack(c);
	return true;
}

/* --- the synchronized states --- */

static bool
seq_acceptable(const struct tcp_conn *c, const struct seg *s)
{
	uint32_t wnd = c->rcv_adv - c->rcv_nxt;

	if (s->len == 0)
		return wnd == 0 ? s->seq == c->rcv_nxt :
		    seq_le(c->rcv_nxt, s->seq) &&
		    seq_lt(s->seq, c->rcv_nxt + wnd);
	/*
	 * RFC 9293 3.10.7.4: with a zero window "special allowance should
	 * be made to accept valid ACKs, URGs, and RSTs": a segment at
	 * RCV.NXT is taken for its ACK, window and RST; data_in trims its
	 * payload to the window (none).
	 */
	if (wnd == 0)
		return s->seq == c->rcv_nxt;
	return (seq_le(c->rcv_nxt, s->seq) &&
	    seq_lt(s->seq, c->rcv_nxt + wnd)) ||
	    (seq_le(c->rcv_nxt, s->seq + s->len - 1) &&
	    seq_lt(s->seq + s->len - 1, c->rcv_nxt + wnd));
}

static void
reset_in(struct tcp_conn *c)
{
	enum stream_err err = STREAM_RESET;

	if (c->state == TCP_SYN_RECEIVED) {
		if (c->flags & TCPF_PASSIVE) {
			/* back to the listener, which has nothing to undo */
			tcp_close_final(c, "reset in SYN_RECEIVED");
			return;
		}
		err = STREAM_REFUSED;
	}
	tcp_notify_end(c, err);
	if (c->state != TCP_CLOSED)
		tcp_close_final(c, "reset by peer");
}

static void
conn_input(struct tcp_conn *c, struct seg *s, struct events *ev)
{
	if (c->state == TCP_SYN_SENT) {
		syn_sent_input(c, s, ev);
		return;
	}
	/* a retransmitted SYN: our SYN,ACK was lost */
	if (c->state == TCP_SYN_RECEIVED && (s->flags & WIRE_TCP_SYN) &&
	    !(s->flags & (WIRE_TCP_ACK | WIRE_TCP_RST)) && s->seq == c->irs) {
		tcp_send_syn(c);
		return;
	}
	/*
	 * Simultaneous open: the peer's SYN,ACK repeats its SYN (all old)
	 * but acknowledges ours (RFC 9293 figure 8): established.
	 */
	if (c->state == TCP_SYN_RECEIVED && (s->flags & WIRE_TCP_SYN) &&
	    (s->flags & WIRE_TCP_ACK) && !(s->flags & WIRE_TCP_RST) &&
	    s->seq == c->irs && seq_lt(c->snd_una, s->ack) &&
	    seq_le(s->ack, c->snd_max)) {
		s->flags &= (uint8_t)~WIRE_TCP_SYN;
		s->seq++;
		s->len--;
		s->syn_win = true;	/* RFC 7323 2.2 */
	}
	/* PAWS (RFC 7323 5.3), without the 24-day idle rule */
	if ((c->flags & TCPF_TS) && s->o.has_ts &&
	    !(s->flags & WIRE_TCP_RST) &&
	    (int32_t)(s->o.ts_val - c->ts_recent) < 0) {
		oow_ack(c, s);
		return;
	}
	/*
	 * TIME_WAIT: the peer's FIN again (our last ACK was lost). ACK it and
	 * restart the 2 MSL timeout (RFC 9293 3.10.7.4, eighth step).
	 */
	if (c->state == TCP_TIME_WAIT && (s->flags & WIRE_TCP_FIN) &&
	    !(s->flags & (WIRE_TCP_RST | WIRE_TCP_SYN)) &&
	    s->seq + s->len == c->rcv_nxt) {
		c->flags |= TCPF_ACK_NOW;
		tcp_time_wait_arm(c);
		return;
	}
	if (!seq_acceptable(c, s)) {
		if (!(s->flags & WIRE_TCP_RST))
			oow_ack(c, s);
		return;
	}
	if (s->flags & WIRE_TCP_RST) {
		/* RFC 5961 3.2: only the exact sequence resets */
		if (s->seq == c->rcv_nxt)
			reset_in(c);
		else
			oow_ack(c, s);
		return;
	}
	if (s->flags & WIRE_TCP_SYN) {
		oow_ack(c, s);		/* RFC 5961 4.2 challenge ACK */
		return;
	}
	if (!(s->flags & WIRE_TCP_ACK))
		return;
	/* RFC 7323 4.3: TS.Recent from the segment our last ACK asked for */
	if ((c->flags & TCPF_TS) && s->o.has_ts &&
	    seq_le(s->seq, c->last_ack_sent))
		c->ts_recent = s->o.ts_val;
	if (c->state == TCP_SYN_RECEIVED) {
		if (!(seq_lt(c->snd_una, s->ack) &&
		    seq_le(s->ack, c->snd_max))) {
			tcp_send_reset(c->st, c->vrf, c->laddr, c->lport,
			    c->raddr, c->rport, s->ack, 0, false, c->md5,
			    c->ttl);
			return;
		}
		established(c, c->flags & TCPF_PASSIVE ? "accepted" :
		    "connected");
		c->stats.snd_wnd = (uint32_t)s->th->win << (s->syn_win ? 0 :
		    c->snd_wscale);
		c->max_snd_wnd = c->stats.snd_wnd;
		c->snd_wl1 = s->seq;
		c->snd_wl2 = s->ack;
		if (c->flags & TCPF_PASSIVE)
			tcp_accept(c);
		else if (c->flags & TCPF_APP && c->cb.on_connected != NULL) {
			struct stream_cb cb = c->cb;

			tcp_hold(c);
			cb.on_connected(&c->s, c->ctx);
			tcp_unhold(c);
		}
		if (c->state == TCP_CLOSED)
			return;
	}
	if (!ack_in(c, s, ev))
		return;
	if (c->state == TCP_CLOSED)
		return;
	if ((c->flags & TCPF_FIN_SENT) && c->snd_una == c->snd_max) {
		/* our FIN is acknowledged */
		switch (c->state) {
		case TCP_FIN_WAIT_1:
			tcp_set_state(c, TCP_FIN_WAIT_2, "FIN acknowledged");
			break;
		case TCP_CLOSING:
			tcp_set_state(c, TCP_TIME_WAIT, "FIN acknowledged");
			tcp_time_wait_arm(c);
			ev->closed = true;
			break;
		case TCP_LAST_ACK:
			ev->closed = true;
			timer_set_stop_all(&c->timers);
			tcp_set_state(c, TCP_CLOSED, "FIN acknowledged");
			return;
		default:
			break;
		}
	}
	switch (c->state) {
	case TCP_ESTABLISHED:
	case TCP_FIN_WAIT_1:
	case TCP_FIN_WAIT_2:
		data_in(c, s, ev);
		break;
	default:
		/* after the peer's FIN only a retransmitted FIN can come */
		if (s->total > 0 || (s->flags & WIRE_TCP_FIN))
			c->flags |= TCPF_ACK_NOW;
		break;
	}
}

/* Tell the application what happened, then send what is due. */
static void
finish(struct tcp_conn *c, const struct events *ev)
{
	struct stream_cb cb = c->cb;

	if (c->state == TCP_CLOSED && ev->closed) {
		/* LAST_ACK done: the connection ends here */
		tcp_notify_end(c, STREAM_OK);
		tcp_close_final(c, "closed");
		return;
	}
	if (c->state == TCP_CLOSED)
		return;
	tcp_output(c);
	if ((c->flags & TCPF_APP) && ev->freed > 0 && cb.on_sent != NULL) {
		cb.on_sent(&c->s, ev->freed, c->ctx);
		if (c->state == TCP_CLOSED)
			return;
	}
	cb = c->cb;
	if ((c->flags & TCPF_APP) && ev->readable && cb.on_receive != NULL &&
	    !(c->flags & TCPF_CLOSING)) {
		cb.on_receive(&c->s, c->ctx);
		if (c->state == TCP_CLOSED)
			return;
	}
	if (c->flags & TCPF_ACK_NOW)
		tcp_send_ack(c);
	if (ev->closed) {
		tcp_notify_end(c, STREAM_OK);
		if (c->state == TCP_CLOSED)
			return;
	}
}

void
tcp_input(struct node *n, struct pkt *p, const struct wire_frame *f,
    uint32_t vrf, uint32_t ifindex, void *ctx)
{
	struct tcp_stack *st = ctx;
	const struct tcp_md5_key *key;
	struct tcp_listener *l;
	struct tcp_conn *c;
	struct sim *sim;
	struct events ev;
	struct seg s;
	uint32_t hlen = (uint32_t)f->tcp.off * 4;
	enum tcp_opt_err oe;
	char why[64];

	(void)ifindex;
	memset(&s, 0, sizeof(s));
	s.th = &f->tcp;
	s.flags = f->tcp.flags;
	s.seq = f->tcp.seq;
	s.ack = f->tcp.ack;
	c = tcp_lookup(st, vrf, f->ip.dst, f->tcp.dport, f->ip.src,
	    f->tcp.sport);
	if (hlen < WIRE_TCP_HLEN || hlen > p->len) {
		drop_malformed(n, c, p, f, "tcp: data offset past the segment");
		return;
	}
	if ((s.flags & WIRE_TCP_SYN) &&
	    (s.flags & (WIRE_TCP_FIN | WIRE_TCP_RST))) {
		drop_malformed(n, c, p, f, (s.flags & WIRE_TCP_FIN) ?
		    "tcp: SYN with FIN" : "tcp: SYN with RST");
		return;
	}
	oe = tcp_opts_parse(p->data + WIRE_TCP_HLEN, hlen - WIRE_TCP_HLEN,
	    &s.o);
	if (oe != TCP_OPT_OK) {
		snprintf(why, sizeof(why), "tcp: options: %s",
		    tcp_opt_err_name[oe]);
		drop_malformed(n, c, p, f, why);
		return;
	}
	/* real payload first; what follows the datagram is link padding */
	s.total = f->payload_len;
	s.real = p->len - hlen < s.total ? p->len - hlen : s.total;
	s.data = p->data + hlen;
	s.len = s.total + ((s.flags & WIRE_TCP_SYN) ? 1u : 0u) +
	    ((s.flags & WIRE_TCP_FIN) ? 1u : 0u);
	/* GTSM and signatures: one branch (bitwise or) when nothing is set */
	if (c != NULL && ((c->min_ttl != 0) | (c->md5 != NULL) |
	    s.o.has_md5) && !tcp_admit(st, c, NULL, p, f, &s.o, hlen, s.real,
	    NULL))
		return;
	/*
	 * A new SYN for a connection in TIME_WAIT, newer than anything of the
	 * old one (sequence or timestamp), starts a new connection (RFC 6191,
	 * as Linux does) instead of waiting out 2 MSL.
	 */
	if (c != NULL && c->state == TCP_TIME_WAIT &&
	    (s.flags & (WIRE_TCP_SYN | WIRE_TCP_ACK | WIRE_TCP_RST)) ==
	    WIRE_TCP_SYN && (seq_gt(s.seq, c->rcv_nxt) ||
	    ((c->flags & TCPF_TS) && s.o.has_ts &&
	    (int32_t)(s.o.ts_val - c->ts_recent) > 0))) {
		tcp_close_final(c, "TIME_WAIT ended by a new SYN");
		c = NULL;
	}
	if (c == NULL) {
		l = tcp_find_listener(st, vrf, f->ip.dst, f->tcp.dport);
		/* a closed port has no key: a signed segment gets no reset */
		if (!tcp_admit(st, NULL, l, p, f, &s.o, hlen, s.real, &key))
			return;
		if (l != NULL && (s.flags & (WIRE_TCP_SYN | WIRE_TCP_ACK |
		    WIRE_TCP_RST)) == WIRE_TCP_SYN) {
			passive_open(st, l, vrf, f, &s);
			pkt_free(st->sim, p);
			return;
		}
		if (s.flags & WIRE_TCP_RST) {
			node_drop_l4(n, p, f, DROP_NO_LISTENER,
			    "tcp: reset for no connection");
			return;
		}
		/* RFC 9293 3.10.7.1 (and an ACK to a listener, 3.10.7.2) */
		if (s.flags & WIRE_TCP_ACK)
			tcp_send_reset(st, vrf, f->ip.dst, f->tcp.dport,
			    f->ip.src, f->tcp.sport, s.ack, 0, false, key,
			    tcp_reset_ttl(l, f->ip.src));
		else
			tcp_send_reset(st, vrf, f->ip.dst, f->tcp.dport,
			    f->ip.src, f->tcp.sport, 0, s.seq + s.len, true,
			    key, tcp_reset_ttl(l, f->ip.src));
		node_drop_l4(n, p, f, DROP_NO_LISTENER, l != NULL ?
		    "tcp: no connection for the ACK, RST sent" :
		    "tcp: port closed, RST sent");
		return;
	}
	c->stats.segs_in++;
	memset(&ev, 0, sizeof(ev));
	tcp_hold(c);
	conn_input(c, &s, &ev);
	finish(c, &ev);
	sim = st->sim;
	tcp_unhold(c);		/* may free the stack (tcp_stack_free) */
	pkt_free(sim, p);
}

/* --- window updates after a read --- */

void
tcp_rcv_window_update(struct tcp_conn *c)
{
	uint32_t old = c->rcv_adv - c->rcv_nxt;

	switch (c->state) {
	case TCP_ESTABLISHED:
	case TCP_FIN_WAIT_1:
	case TCP_FIN_WAIT_2:
		break;
	default:
		return;
	}
	/* as Linux: tell the peer once the window at least doubled */
	if (tcp_rcv_window(c) >= 2 * old + (old == 0 ? 1 : 0) &&
	    c->rcv_adv - c->rcv_nxt != old)
		tcp_send_ack(c);
}

/* --- ICMP errors (RFC 1122 4.2.3.9, RFC 1191, RFC 5927) --- */

/* RFC 1191 table 7-1: the next plateau below a length. */
static uint32_t
mtu_plateau(uint32_t len)
{
	static const uint32_t plateau[] = { 32000, 17914, 8166, 4352, 2002,
	    1492, 1006, 508, 296, TCP_MIN_PMTU };
	size_t i;

	for (i = 0; i < sizeof(plateau) / sizeof(plateau[0]); i++)
		if (plateau[i] < len)
			return plateau[i];
	return TCP_MIN_PMTU;
}

static void
need_frag(struct tcp_conn *c, const struct node_icmp_err *e)
{
	uint32_t mtu = e->rest & 0xffff, base;

	if (mtu == 0)
		mtu = mtu_plateau(e->ip.total_len);
	if (mtu < TCP_MIN_PMTU)
		mtu = TCP_MIN_PMTU;
	base = mtu - 40;
	if (base >= c->mss_base)
		return;
	c->mss_base = base;
	tcp_set_mss(c);
	if (c->stats.cwnd < c->stats.mss)
		c->stats.cwnd = c->stats.mss;
	/* what is in flight was too big: send it again now, smaller */
	if (c->ca == TCP_CA_OPEN || c->ca == TCP_CA_DISORDER) {
		c->flags &= (uint16_t)~TCPF_TIMING;
		c->snd_nxt = c->snd_una;
		tcp_output(c);
	}
}

void
tcp_icmp_error(struct node *n, const struct node_icmp_err *e, void *ctx)
{
	struct tcp_stack *st = ctx;
	struct tcp_conn *c;
	uint32_t seq;

	(void)n;
	if (e->l4_len < 8)
		return;
	c = tcp_lookup(st, e->vrf, e->ip.src, get_be16(e->l4), e->ip.dst,
	    get_be16(e->l4 + 2));
	if (c == NULL)
		return;
	seq = get_be32(e->l4 + 4);
	/* RFC 5927 4.1: only about something in flight */
	if (seq_lt(seq, c->snd_una) || !seq_lt(seq, c->snd_max))
		return;
	tcp_hold(c);
	if (e->type == WIRE_ICMP_UNREACH &&
	    e->code == WIRE_ICMP_UNREACH_NEEDFRAG)
		need_frag(c, e);
	else if (e->type == WIRE_ICMP_UNREACH && (c->state == TCP_SYN_SENT ||
	    (c->state == TCP_SYN_RECEIVED && !(c->flags & TCPF_PASSIVE)))) {
		/* hard while connecting; soft once established (as Linux) */
		tcp_notify_end(c, STREAM_UNREACHABLE);
		if (c->state != TCP_CLOSED)
			tcp_close_final(c, "unreachable");
	}
	tcp_unhold(c);
}
