/*
 * fuzz_tcp_conn.c - libFuzzer target for the simulated TCP's segment input.
 *
 * Two nodes on one link: a (10.0.0.1) listens on port 80, b (10.0.0.2)
 * holds an established connection to it with data flowing both ways. The
 * input is a list of segments that b's side "sends" to a, built as real
 * IPv4/TCP packets: to the established connection (sequence and
 * acknowledgement numbers relative to the last ones b's stack really sent,
 * which an ingress filter on a watches), to the listener, to a closed port
 * or between fuzzed ports; with fuzzed flags, window, options, payload
 * length, and optionally a broken checksum or data offset. Between
 * segments the simulation runs for a fuzzed gap, and at the end for long
 * enough to fire retransmission and delayed-ACK timers. The target checks
 * that nothing crashes, reads out of bounds or leaks (ASan, LeakSanitizer)
 * and that no packet is left allocated once everything is freed.
 *
 * Segment record: flags, ctl, seq (2), ack (2), win (2), optword, plen,
 * then 4 * (optword & 15) option bytes (at most 40). ctl bits 0-1: target
 * (0 established, 1 listener, 2 closed port, 3 fuzzed ports); bit 2: bad
 * checksum; bit 3: data offset from optword's high nibble; bits 4-7: gap in
 * ms after the segment.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "net.h"
#include "pkt.h"
#include "sim.h"
#include "stream.h"
#include "tcp.h"
#include "util.h"
#include "wire.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define ADDR_A ((10u << 24) | 1)
#define ADDR_B ((10u << 24) | 2)
#define PORT_LISTEN 80
#define PORT_CLOSED 81
#define FUZZ_COOKIE 0xf022f022u
#define MAX_SEGS 64

struct world {
	struct sim *sim;
	struct net *net;
	struct node *a, *b;
	struct stream *cli, *srv;
	uint16_t cli_port;
	uint32_t last_seq, last_ack;
	bool seen;
};

/* What b's stack really sends to a: the base for relative numbers. */
static enum node_verdict
watch(struct node *n, uint32_t ifindex, enum node_hook_dir dir,
    const struct pkt *frame, const struct wire_frame *f, const char **reason,
    void *ctx)
{
	struct world *w = ctx;

	(void)n;
	(void)ifindex;
	(void)dir;
	(void)reason;
	if (frame->cookie == FUZZ_COOKIE || !f->has_tcp ||
	    f->tcp.dport != PORT_LISTEN)
		return NODE_ACCEPT;
	w->cli_port = f->tcp.sport;
	w->last_seq = f->tcp.seq + f->payload_len;
	w->last_ack = f->tcp.ack;
	w->seen = true;
	return NODE_ACCEPT;
}

static void
cli_error(struct stream *s, enum stream_err err, void *ctx)
{
	struct world *w = ctx;

	(void)s;
	(void)err;
	w->cli = NULL;
}

static void
srv_error(struct stream *s, enum stream_err err, void *ctx)
{
	struct world *w = ctx;

	(void)s;
	(void)err;
	w->srv = NULL;
}

static void
drain(struct stream *s, void *ctx)
{
	(void)ctx;
	stream_read(s, NULL, stream_readable(s));
}

static void
cli_closed(struct stream *s, void *ctx)
{
	cli_error(s, STREAM_OK, ctx);
}

static void
srv_closed(struct stream *s, void *ctx)
{
	srv_error(s, STREAM_OK, ctx);
}

static const struct stream_cb cli_cb = {
	.on_receive = drain, .on_closed = cli_closed, .on_error = cli_error,
};
static const struct stream_cb srv_cb = {
	.on_receive = drain, .on_closed = srv_closed, .on_error = srv_error,
};

static void
on_accept(struct stream_listener *l, struct stream *s, void *ctx)
{
	struct world *w = ctx;

	(void)l;
	if (w->srv != NULL) {
		/* A fuzzed handshake completed: keep it, reading. */
		stream_set_cb(s, &srv_cb, NULL);
		stream_release(s);
		return;
	}
	w->srv = s;
	stream_set_cb(s, &srv_cb, w);
	stream_send(s, NULL, 5000);
}

/* Build and send one segment from b to a; returns bytes of input used. */
static size_t
inject(struct world *w, const uint8_t *d, size_t n)
{
	uint8_t flags, ctl, optw, opt[40];
	size_t optlen, used;
	struct tcp_hdr h;
	struct pkt *p;
	uint16_t sport, dport;
	uint32_t seq, ack;

	if (n < 10)
		return n;
	flags = d[0];
	ctl = d[1];
	optw = d[8];
	optlen = (size_t)(optw & 15u) * 4;
	if (optlen > 40)
		optlen = 40;
	used = 10 + optlen;
	if (used > n)
		return n;
	memcpy(opt, d + 10, optlen);

	switch (ctl & 3u) {
	case 0:
		sport = w->cli_port;
		dport = PORT_LISTEN;
		seq = w->last_seq + (uint32_t)(int32_t)(int16_t)get_be16(d + 2);
		ack = w->last_ack + (uint32_t)(int32_t)(int16_t)get_be16(d + 4);
		break;
	case 1:
	case 2:
		sport = (uint16_t)(40000u + d[2]);
		dport = (ctl & 3u) == 1 ? PORT_LISTEN : PORT_CLOSED;
		seq = (uint32_t)get_be16(d + 2) << 16 | d[4];
		ack = (uint32_t)get_be16(d + 4) << 8;
		break;
	default:
		sport = get_be16(d + 2);
		dport = get_be16(d + 4);
		seq = (uint32_t)d[2] << 24 | d[5];
		ack = (uint32_t)d[4] << 24 | d[3];
		break;
	}

	p = pkt_alloc(w->sim, 0);
	p->virt_len = (uint32_t)d[9] * 6;
	p->cookie = FUZZ_COOKIE;
	memset(&h, 0, sizeof(h));
	h.sport = sport;
	h.dport = dport;
	h.seq = seq;
	h.ack = ack;
	h.off = (uint8_t)(5 + optlen / 4);
	h.flags = flags;
	h.win = get_be16(d + 6);
	h.opt = optlen > 0 ? opt : NULL;
	if (wire_push_tcp(w->sim, p, &h, ADDR_B, ADDR_A) < 0) {
		pkt_free(w->sim, p);
		return used;
	}
	if (ctl & 4u)
		p->data[16] ^= 0x5a;		/* checksum */
	if (ctl & 8u)				/* data offset, any 0..15 */
		p->data[12] = (uint8_t)((optw & 0xf0u) | (p->data[12] & 0x0fu));
	node_send_ip(w->b, VRF_DEFAULT, p, ADDR_B, ADDR_A, WIRE_IPPROTO_TCP, 64,
	    WIRE_IPV4_DF);
	sim_run_until(w->sim, sim_now(w->sim) + SIM_MS(ctl >> 4) + 1);
	if (w->cli != NULL)
		stream_send(w->cli, NULL, 1000);
	return used;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct world w;
	struct link_params lp;
	struct stream_listener *l;
	struct stream_addr local = { 0, PORT_LISTEN };
	struct stream_addr remote = { ADDR_A, PORT_LISTEN };
	struct stream_opts so;
	size_t off = 0;
	int segs = 0;

	memset(&w, 0, sizeof(w));
	w.sim = sim_new(1);
	w.net = net_new(w.sim);
	memset(&lp, 0, sizeof(lp));
	lp.dir[0].rate_bps = lp.dir[1].rate_bps = 100000000ULL;
	/*
	 * A long delay keeps each input cheap: the timers (RTO, delayed ACK,
	 * persist) still fire, over few round trips.
	 */
	lp.dir[0].delay = lp.dir[1].delay = SIM_MS(2);
	lp.mtu = 1500;
	lp.qlimit_pkts = 100;
	w.a = net_add_node(w.net, "a", "host", NULL, NULL);
	w.b = net_add_node(w.net, "b", "host", NULL, NULL);
	net_add_link(w.net, "ab",
	    w.a, node_add_iface(w.a, "eth0", NULL, ADDR_A, 24, 0),
	    w.b, node_add_iface(w.b, "eth0", NULL, ADDR_B, 24, 0), &lp);
	node_iface_add_filter(w.a, 0, NODE_INGRESS, watch, &w);

	memset(&so, 0, sizeof(so));
	l = stream_listen(tcp_stack_host(tcp_stack_get(w.a)), &local, &so,
	    on_accept, &w);
	w.cli = stream_connect(tcp_stack_host(tcp_stack_get(w.b)), &remote,
	    &so, &cli_cb, &w);
	if (l == NULL || w.cli == NULL)
		abort();
	stream_send(w.cli, NULL, 10000);
	sim_run_until(w.sim, SIM_MS(60));
	if (!w.seen || w.srv == NULL)
		abort();		/* the handshake itself must work */

	while (off < size && segs++ < MAX_SEGS)
		off += inject(&w, data + off, size - off);
	/* Long enough for an RTO (1 s) and its backoff, and delayed ACKs. */
	sim_run_until(w.sim, sim_now(w.sim) + SIM_S(3) + SIM_MS(100));

	stream_unlisten(l);
	tcp_stacks_free(w.net);
	net_free(w.net);
	if (pkt_live(w.sim) != 0)
		abort();
	sim_free(w.sim);
	return 0;
}
