/*
 * tcp_output.c - building and sending segments: the send window (the
 * smaller of cwnd and the peer's window), sender silly-window avoidance and
 * Nagle, limited transmit, RFC 6675's pipe-driven sending during SACK
 * recovery, options, the MSS, and resets.
 *
 * A segment's payload is real bytes then virtual zero bytes (pkt.h): the
 * bytes up to the last real one in its range are copied (virtual runs
 * before it as the zeros they are), the rest stays a length.
 */
#include <string.h>

#include "net.h"
#include "pkt.h"
#include "sim.h"
#include "tcp_int.h"
#include "util.h"
#include "wire.h"

uint32_t
tcp_ts_now(const struct tcp_conn *c)
{
	/* a 1 ms clock (RFC 7323 5.4), from 1 so that 0 means "none" */
	return (uint32_t)(tcp_now(c) / SIM_MS(1)) + 1;
}

uint32_t
tcp_snd_data_seq(const struct tcp_conn *c)
{
	/* not snd_una == iss: that is true again after 2^32 - 1 bytes */
	return (c->flags & TCPF_SYN_ACKED) ? c->snd_una : c->iss + 1;
}

uint32_t
tcp_mss_option(const struct tcp_conn *c)
{
	uint32_t mtu = node_mtu_for(c->st->node, c->vrf, c->raddr);
	uint32_t v = mtu > 40 ? mtu - 40 : TCP_DEFAULT_MSS;

	if (c->cfg.mss != 0 && c->cfg.mss < v)
		v = c->cfg.mss;
	return v > 65535 ? 65535 : v;
}

void
tcp_set_mss(struct tcp_conn *c)
{
	uint32_t m, opt = 0;

	if (c->mss_base == 0)
		c->mss_base = tcp_mss_option(c);
	m = c->mss_base < c->peer_mss ? c->mss_base : c->peer_mss;
	/*
	 * The effective payload: timestamps take 12 bytes of every header, a
	 * signature 20 (Linux's tcp_current_mss counts both).
	 */
	if (c->flags & TCPF_TS)
		opt += 12;
	if (c->md5 != NULL)
		opt += TCP_MD5_OPT_SPACE;
	c->stats.mss = m > opt + 8 ? m - opt : 8;
}

/* Receiver silly-window avoidance (RFC 9293 3.8.6.2.2). */
uint32_t
tcp_rcv_window(struct tcp_conn *c)
{
	uint32_t space = c->rcvbuf > c->rcv.len ? c->rcvbuf - c->rcv.len : 0;
	uint32_t edge = c->rcv_nxt + space;
	uint32_t step = c->rcvbuf / 2 < c->stats.mss ? c->rcvbuf / 2 :
	    c->stats.mss;

	if (seq_lt(c->rcv_adv, c->rcv_nxt))
		c->rcv_adv = c->rcv_nxt;
	if (seq_gt(edge, c->rcv_adv) && edge - c->rcv_adv >= step)
		c->rcv_adv = edge;
	c->stats.rcv_wnd = c->rcv_adv - c->rcv_nxt;
	return c->stats.rcv_wnd;
}

static uint16_t
wire_window(struct tcp_conn *c, bool syn)
{
	uint32_t w = tcp_rcv_window(c);

	if (syn)
		return w > 65535 ? 65535 : (uint16_t)w;
	if (c->flags & TCPF_WS)
		w >>= c->rcv_wscale;
	return w > 65535 ? 65535 : (uint16_t)w;
}

/* SACK blocks for an ACK (RFC 2018 4): the latest first, then recent ones. */
static uint8_t
sack_blocks(struct tcp_conn *c, struct tcp_sack_block *b, uint8_t max)
{
	uint8_t n = 0, i, k;
	uint32_t s, e;

	for (i = 0; i < c->n_sack_recent && n < max; i++) {
		if (!tr_block_of(&c->ooo, c->sack_recent[i], &s, &e))
			continue;
		for (k = 0; k < n && b[k].start != s; k++)
			;
		if (k == n)
			b[n++] = (struct tcp_sack_block){ s, e };
	}
	for (i = 0; n < max && tr_block_nth_high(&c->ooo, i, &s, &e); i++) {
		for (k = 0; k < n && b[k].start != s; k++)
			;
		if (k == n)
			b[n++] = (struct tcp_sack_block){ s, e };
	}
	return n;
}

/*
 * Build and send one segment: [seq, seq + len) of the send buffer (len 0:
 * none) with flags. Everything that leaves carries this ACK.
 */
static void
seg_send(struct tcp_conn *c, uint32_t seq, uint32_t len, uint8_t flags)
{
	struct sim *sim = c->st->sim;
	bool syn = flags & WIRE_TCP_SYN;
	uint32_t off = seq - tcp_snd_data_seq(c), real = 0;
	uint8_t optbuf[TCP_MAX_OPT_LEN];
	struct tcp_opts o;
	struct tcp_hdr h;
	size_t optlen;
	struct pkt *p;

	if (len > 0)
		real = tb_real_prefix(&c->snd, off, len);
	p = pkt_alloc(sim, real);
	if (real > 0)
		tb_copy(&c->snd, off, real, p->data);
	p->virt_len = len - real;
	memset(&o, 0, sizeof(o));
	if (syn) {
		bool active = c->state == TCP_SYN_SENT;

		o.has_mss = true;
		o.mss = (uint16_t)tcp_mss_option(c);
		if (active ? c->cfg.wscale : (c->flags & TCPF_WS) != 0) {
			o.has_wscale = true;
			o.wscale = c->rcv_wscale;
		}
		o.sack_perm = active ? c->cfg.sack : (c->flags & TCPF_SACK) != 0;
		o.has_ts = active ? c->cfg.timestamps :
		    (c->flags & TCPF_TS) != 0;
	} else {
		o.has_ts = (c->flags & TCPF_TS) != 0;
		if ((c->flags & TCPF_SACK) && c->ooo.n > 0 &&
		    (flags & WIRE_TCP_ACK) && !(flags & WIRE_TCP_RST))
			o.n_sack = sack_blocks(c, o.sack,
			    o.has_ts ? 3 : TCP_MAX_SACK);
	}
	if (o.has_ts) {
		o.ts_val = tcp_ts_now(c);
		o.ts_ecr = (flags & WIRE_TCP_ACK) ? c->ts_recent : 0;
	}
	o.has_md5 = c->md5 != NULL;	/* the digest is filled in below */
	optlen = tcp_opts_build(&o, syn, optbuf);
	memset(&h, 0, sizeof(h));
	h.sport = c->lport;
	h.dport = c->rport;
	h.seq = seq;
	h.ack = (flags & WIRE_TCP_ACK) ? c->rcv_nxt : 0;
	h.off = (uint8_t)(5 + optlen / 4);
	h.flags = flags;
	h.win = (flags & WIRE_TCP_RST) ? 0 : wire_window(c, syn);
	h.opt = optlen > 0 ? optbuf : NULL;
	if (wire_push_tcp(sim, p, &h, c->laddr, c->raddr) != 0) {
		pkt_free(sim, p);
		return;
	}
	if (c->md5 != NULL)
		tcp_md5_sign(p, c->laddr, c->raddr, c->md5);
	if (flags & WIRE_TCP_ACK) {
		c->last_ack_sent = c->rcv_nxt;
		c->delack_segs = 0;
		c->flags &= (uint16_t)~TCPF_ACK_NOW;
		timer_stop(&c->delack);
	}
	c->stats.segs_out++;
	node_send_ip(c->st->node, c->vrf, p, c->laddr, c->raddr,
	    WIRE_IPPROTO_TCP, c->ttl, WIRE_IPV4_DF);
}

/*
 * The data (and FIN) up to nxt went out: snd_max covers them only now, so
 * only now can the retransmission timer be armed for them (RFC 6298 5.1; a
 * lone segment sent from idle would otherwise have no timer at all).
 */
static void
sent_to(struct tcp_conn *c, uint32_t nxt)
{
	c->snd_nxt = nxt;
	if (seq_gt(nxt, c->snd_max))
		c->snd_max = nxt;
	tcp_rtx_arm(c, false);
}

void
tcp_send_data(struct tcp_conn *c, uint32_t seq, uint32_t len, uint8_t flags,
    bool rexmit)
{
	if (rexmit) {
		c->stats.retrans_segs++;
		c->stats.retrans_bytes += len;
		/* Karn: a retransmission ends the timed segment's sample */
		c->flags &= (uint16_t)~TCPF_TIMING;
		tcp_notify_retransmit(c, seq, len, c->ca == TCP_CA_LOSS);
	} else if (len > 0 && !(c->flags & (TCPF_TS | TCPF_TIMING))) {
		c->flags |= TCPF_TIMING;
		c->rtt_seq = seq + len;
		c->rtt_time = tcp_now(c);
	}
	c->stats.bytes_sent += len;
	seg_send(c, seq, len, flags);
	tcp_rtx_arm(c, false);
}

/*
 * A zero-window probe as Linux sends it (tcp_xmit_probe_skb): no data and
 * SEQ = SND.UNA - 1, an old sequence number the receiver answers with an
 * ACK carrying its current window. It is a one-off segment: snd_nxt and
 * snd_max stay where they are, so the ACKs that follow keep SEQ = SND.NXT
 * (a receiver with a zero window takes those), and the window reopening
 * sends the data as new data, not as a retransmission.
 */
void
tcp_send_probe(struct tcp_conn *c)
{
	c->stats.zero_window_probes++;
	seg_send(c, c->snd_una - 1, 0, WIRE_TCP_ACK);
}

void
tcp_send_syn(struct tcp_conn *c)
{
	uint8_t flags = WIRE_TCP_SYN;

	if (c->state == TCP_SYN_RECEIVED)
		flags |= WIRE_TCP_ACK;
	if (seq_gt(c->snd_max, c->iss)) {
		c->stats.retrans_segs++;
		c->flags &= (uint16_t)~TCPF_TIMING;	/* Karn */
		tcp_notify_retransmit(c, c->iss, 0, true);
	} else {
		c->flags |= TCPF_TIMING;
		c->rtt_seq = c->iss + 1;
		c->rtt_time = tcp_now(c);
	}
	seg_send(c, c->iss, 0, flags);
	c->snd_nxt = c->iss + 1;
	if (seq_lt(c->snd_max, c->snd_nxt))
		c->snd_max = c->snd_nxt;
}

void
tcp_send_ack(struct tcp_conn *c)
{
	seg_send(c, c->snd_nxt, 0, WIRE_TCP_ACK);
}

void
tcp_send_rst(struct tcp_conn *c)
{
	seg_send(c, c->snd_nxt, 0, WIRE_TCP_RST | WIRE_TCP_ACK);
}

void
tcp_send_reset(struct tcp_stack *st, uint32_t vrf, uint32_t laddr,
    uint16_t lport, uint32_t raddr, uint16_t rport, uint32_t seq,
    uint32_t ack, bool with_ack, const struct tcp_md5_key *md5, uint8_t ttl)
{
	struct sim *sim = st->sim;
	struct pkt *p = pkt_alloc(sim, 0);
	uint8_t optbuf[TCP_MAX_OPT_LEN];
	struct tcp_opts o;
	struct tcp_hdr h;
	size_t optlen = 0;

	memset(&h, 0, sizeof(h));
	if (md5 != NULL) {
		/* a reset from a keyed connection or peer is signed too */
		memset(&o, 0, sizeof(o));
		o.has_md5 = true;
		optlen = tcp_opts_build(&o, false, optbuf);
		h.opt = optbuf;
	}
	h.sport = lport;
	h.dport = rport;
	h.off = (uint8_t)(5 + optlen / 4);
	h.seq = seq;
	h.ack = with_ack ? ack : 0;
	h.flags = WIRE_TCP_RST | (with_ack ? WIRE_TCP_ACK : 0);
	if (wire_push_tcp(sim, p, &h, laddr, raddr) != 0) {
		pkt_free(sim, p);
		return;
	}
	if (md5 != NULL)
		tcp_md5_sign(p, laddr, raddr, md5);
	node_send_ip(st->node, vrf, p, laddr, raddr, WIRE_IPPROTO_TCP,
	    ttl != 0 ? ttl : TCP_DEFAULT_TTL, WIRE_IPV4_DF);
}

static uint32_t
min32(uint32_t a, uint32_t b)
{
	return a < b ? a : b;
}

/* Whether the states lets us send data or a FIN. */
static bool
can_send(const struct tcp_conn *c)
{
	switch (c->state) {
	case TCP_ESTABLISHED:
	case TCP_CLOSE_WAIT:
	case TCP_FIN_WAIT_1:
	case TCP_CLOSING:
	case TCP_LAST_ACK:
		return true;
	default:
		return false;
	}
}

void
tcp_retransmit_una(struct tcp_conn *c)
{
	uint32_t end = tcp_snd_data_seq(c) + c->snd.len, len = 0;
	uint8_t flags = WIRE_TCP_ACK;

	if (seq_lt(c->snd_una, end))
		len = min32(c->stats.mss, end - c->snd_una);
	if (seq_lt(c->snd_max, c->snd_una + len))
		len = c->snd_max - c->snd_una;
	if ((c->flags & TCPF_FIN_SENT) && c->snd_una + len == end)
		flags |= WIRE_TCP_FIN;
	if (len == 0 && !(flags & WIRE_TCP_FIN))
		return;
	if (c->flags & TCPF_SACK)
		tcp_sb_mark_rexmit(&c->sb, c->snd_una, len);
	tcp_send_data(c, c->snd_una, len, flags, true);
}

/*
 * As Linux's tcp_cwnd_validate: track, per window of data (from the
 * snd_nxt recorded at its start until snd_una passes it), the largest
 * flight and whether cwnd was ever used up (the flight reached it, or
 * output stopped for it with data waiting). A cwnd-limited send restarts
 * the window.
 */
void
tcp_cwnd_validate(struct tcp_conn *c, bool limited)
{
	uint32_t flight = tcp_in_flight(c);

	if (flight >= c->stats.cwnd)
		limited = true;
	if (!seq_lt(c->snd_una, c->cwv_seq) || limited ||
	    (!(c->flags & TCPF_CWND_LIM) && flight > c->cwv_flight)) {
		if (limited)
			c->flags |= TCPF_CWND_LIM;
		else
			c->flags &= (uint16_t)~TCPF_CWND_LIM;
		c->cwv_flight = flight;
		c->cwv_seq = c->snd_nxt;
	}
}

/*
 * As Linux's tcp_is_cwnd_limited: cwnd grows if it was used up in the
 * window, or in slow start while below twice the largest flight (so that
 * slow start can double what the last window carried).
 */
bool
tcp_cwnd_limited(const struct tcp_conn *c)
{
	if (c->flags & TCPF_CWND_LIM)
		return true;
	if (c->stats.cwnd < c->stats.ssthresh)
		return c->stats.cwnd < 2 * (uint64_t)c->cwv_flight;
	return false;
}

void
tcp_sack_output(struct tcp_conn *c)
{
	uint32_t mss = c->stats.mss, thresh = c->cfg.dupack_thresh;
	uint32_t end = tcp_snd_data_seq(c) + c->snd.len, seq, len, pipe;
	uint8_t flags;

	for (;;) {
		pipe = tcp_sb_pipe(&c->sb, c->snd_una, c->snd_max, mss, thresh);
		if (pipe >= c->stats.cwnd || c->stats.cwnd - pipe < mss)
			break;
		if (tcp_sb_next_lost(&c->sb, c->snd_una, c->snd_max, mss,
		    thresh, &seq, &len)) {
			/* NextSeg rule 1: a lost range, never past the data */
			flags = WIRE_TCP_ACK;
			if (seq_gt(seq + len, end))
				len = seq_lt(seq, end) ? end - seq : 0;
			if ((c->flags & TCPF_FIN_SENT) && seq + len == end)
				flags |= WIRE_TCP_FIN;
			tcp_sb_mark_rexmit(&c->sb, seq, len > 0 ? len : 1);
			if (len == 0 && !(flags & WIRE_TCP_FIN))
				continue;
			tcp_send_data(c, seq, len, flags, true);
			continue;
		}
		/* rule 2: new data the peer's window allows, then the FIN */
		if (!seq_lt(c->snd_nxt, end)) {
			if ((c->flags & TCPF_FIN_QUEUED) && c->snd_nxt == end) {
				tcp_send_data(c, end, 0, WIRE_TCP_ACK |
				    WIRE_TCP_FIN, false);
				sent_to(c, end + 1);
				c->flags |= TCPF_FIN_SENT;
			}
			break;
		}
		len = min32(mss, end - c->snd_nxt);
		if (seq_gt(c->snd_nxt + len, c->snd_una + c->stats.snd_wnd))
			break;
		flags = WIRE_TCP_ACK;
		if (c->snd_nxt + len == end)
			flags |= WIRE_TCP_PSH;
		tcp_send_data(c, c->snd_nxt, len, flags,
		    seq_lt(c->snd_nxt, c->snd_max));
		sent_to(c, c->snd_nxt + len);
	}
	/* pipe against cwnd decides here: used up if pipe reached it */
	tcp_cwnd_validate(c, false);
}

/* Send what a small window takes, SWS avoidance overridden. */
void
tcp_output_force(struct tcp_conn *c)
{
	uint32_t end = tcp_snd_data_seq(c) + c->snd.len, len;

	if (!can_send(c) || !seq_lt(c->snd_nxt, end))
		return;
	len = min32(min32(c->stats.mss, end - c->snd_nxt), c->stats.snd_wnd);
	if (len == 0)
		return;
	tcp_send_data(c, c->snd_nxt, len, WIRE_TCP_ACK |
	    (c->snd_nxt + len == end ? WIRE_TCP_PSH : 0),
	    seq_lt(c->snd_nxt, c->snd_max));
	sent_to(c, c->snd_nxt + len);
}

void
tcp_output(struct tcp_conn *c)
{
	uint32_t mss = c->stats.mss, end, avail, wnd, flight, usable, len;
	bool fin;
	uint8_t flags;

	if (!can_send(c))
		return;
	if ((c->flags & TCPF_SACK) && c->ca == TCP_CA_RECOVERY) {
		tcp_sack_output(c);
		return;
	}
	end = tcp_snd_data_seq(c) + c->snd.len;
	for (;;) {
		wnd = c->stats.cwnd;
		/*
		 * RFC 3042: one new segment for each of the first dupACKs;
		 * in 64 bits, saturated (a cwnd near 2^32 must not wrap)
		 */
		if (c->ca == TCP_CA_DISORDER && c->cfg.limited_transmit &&
		    c->dupacks < c->cfg.dupack_thresh) {
			uint64_t w = (uint64_t)wnd + (uint64_t)c->dupacks * mss;

			wnd = w > UINT32_MAX ? UINT32_MAX : (uint32_t)w;
		}
		wnd = min32(wnd, c->stats.snd_wnd);
		flight = c->snd_nxt - c->snd_una;
		usable = wnd > flight ? wnd - flight : 0;
		avail = seq_lt(c->snd_nxt, end) ? end - c->snd_nxt : 0;
		len = min32(min32(mss, avail), usable);
		fin = (c->flags & TCPF_FIN_QUEUED) && c->snd_nxt + len == end;
		if (len == 0 && !(fin && avail == 0))
			break;
		if (len > 0 && len < mss) {
			if (len < avail) {
				/* sender SWS avoidance (RFC 9293 3.8.6.2.1) */
				if (len < c->max_snd_wnd / 2)
					break;
			} else if (!(c->flags & TCPF_NODELAY) && !fin &&
			    c->snd_nxt != c->snd_una)
				break;	/* Nagle: one small segment in flight */
		}
		flags = WIRE_TCP_ACK;
		if (len > 0 && c->snd_nxt + len == end)
			flags |= WIRE_TCP_PSH;
		if (fin)
			flags |= WIRE_TCP_FIN;
		tcp_send_data(c, c->snd_nxt, len, flags,
		    seq_lt(c->snd_nxt, c->snd_max));
		sent_to(c, c->snd_nxt + len + (fin ? 1 : 0));
		if (fin) {
			c->flags |= TCPF_FIN_SENT;
			break;
		}
	}
	/* cwnd stopped us if it leaves less than the next segment */
	flight = c->snd_nxt - c->snd_una;
	tcp_cwnd_validate(c, seq_lt(c->snd_nxt, end) &&
	    (c->stats.cwnd <= flight || c->stats.cwnd - flight <
	    min32(mss, end - c->snd_nxt)));
	/*
	 * Data waiting behind a closed window, or behind one too small to
	 * send into (SWS avoidance), with nothing in flight to bring an ACK:
	 * the persist timer probes it (RFC 9293 3.8.6.1) or, for the small
	 * window, overrides the avoidance (3.8.6.2.1's override timeout).
	 */
	if (seq_lt(c->snd_nxt, end) && c->snd_nxt == c->snd_una &&
	    c->stats.snd_wnd < mss)
		tcp_persist_arm(c);
}
