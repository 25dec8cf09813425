/*
 * tcp_testutil.h - what the TCP tests share: a line of nodes with exact
 * link parameters, a tap on every interface recording the TCP segments
 * that leave it (the frame-out hook, declining every frame so it goes on
 * the link), and two small applications over the stream API: a sink that
 * reads everything (keeping real bytes when asked) and a sender of a
 * byte count, real or virtual.
 */
#ifndef XCSIM_TCP_TESTUTIL_H
#define XCSIM_TCP_TESTUTIL_H

#include <string.h>

#include "net.h"
#include "pkt.h"
#include "sim.h"
#include "stream.h"
#include "tcp.h"
#include "testutil.h"
#include "util.h"
#include "wire.h"

#define TT_MAX_NODES 4
#define TT_MAX_SEGS 4096

struct tt_seg {
	sim_time t;		/* when it left the node */
	int node;		/* index in the line */
	uint32_t src, dst;
	uint16_t sport, dport;
	uint32_t seq, ack;
	uint8_t flags;
	uint16_t win;
	uint32_t len;		/* payload, real + virtual */
	uint8_t ttl;
	uint16_t ipflags;
	uint8_t hdr[60];	/* the TCP header as sent, options included */
	uint32_t hlen;
};

struct tt_net;
struct tt_tapctx {
	struct tt_net *t;
	int node;
};

struct tt_net {
	struct sim *sim;
	struct net *net;
	struct node *n[TT_MAX_NODES];
	struct link *l[TT_MAX_NODES];
	int len;
	struct tt_seg *segs;
	int nsegs;
	struct tt_tapctx tap[TT_MAX_NODES];
};

static inline uint32_t
tt_ip(const char *s)
{
	uint32_t a = 0;

	CU_ASSERT_EQUAL_FATAL(wire_ip_parse(s, &a), 0);
	return a;
}

static inline bool
tt_tap(struct node *n, uint32_t ifindex, const struct pkt *frame, void *ctx)
{
	struct tt_tapctx *tc = ctx;
	struct tt_net *t = tc->t;
	int node = tc->node;
	struct wire_frame f;
	struct tt_seg *s;

	(void)n;
	(void)ifindex;
	/* every segment must parse cleanly, checksums included */
	CU_ASSERT_EQUAL(wire_parse(frame->data, frame->len, frame->virt_len,
	    true, &f), WIRE_OK);
	if (!f.has_tcp || t->nsegs >= TT_MAX_SEGS)
		return false;
	s = &t->segs[t->nsegs++];
	s->t = sim_now(t->sim);
	s->node = node;
	s->src = f.ip.src;
	s->dst = f.ip.dst;
	s->sport = f.tcp.sport;
	s->dport = f.tcp.dport;
	s->seq = f.tcp.seq;
	s->ack = f.tcp.ack;
	s->flags = f.tcp.flags;
	s->win = f.tcp.win;
	s->len = f.payload_len;
	s->ttl = f.ip.ttl;
	s->ipflags = f.ip.frag;
	s->hlen = (uint32_t)f.tcp.off * 4;
	memcpy(s->hdr, frame->data + f.l4_off, s->hlen);
	return false;
}

/*
 * A line n0 - n1 - ... of len nodes, subnets 10.0.i.0/24 (n_i is
 * 10.0.i.1 on its right, n_{i+1} 10.0.i.2 on its left), the same
 * parameters on every link; mtu_mid (0: 1500) is the MTU of link l1.
 */
static inline void
tt_build(struct tt_net *t, int len, uint64_t rate, sim_time delay,
    uint32_t qlimit, uint32_t mtu_mid)
{
	struct link_params p;
	char name[32], err[128];
	int i;

	memset(t, 0, sizeof(*t));
	t->sim = sim_new(1);
	t->net = net_new(t->sim);
	t->len = len;
	t->segs = xcalloc(TT_MAX_SEGS, sizeof(*t->segs));
	memset(&p, 0, sizeof(p));
	p.dir[0].rate_bps = p.dir[1].rate_bps = rate;
	p.dir[0].delay = p.dir[1].delay = delay;
	p.qlimit_pkts = qlimit;
	for (i = 0; i < len; i++) {
		snprintf(name, sizeof(name), "n%d", i);
		t->n[i] = net_add_node(t->net, name, "host", NULL, NULL);
	}
	for (i = 0; i + 1 < len; i++) {
		uint32_t a = (10u << 24) | ((uint32_t)i << 8) | 1;
		uint32_t ia = node_add_iface(t->n[i], "right", NULL, a, 24, 0);
		uint32_t ib = node_add_iface(t->n[i + 1], "left", NULL, a + 1,
		    24, 0);

		p.mtu = mtu_mid != 0 && i == 1 ? mtu_mid : 1500;
		snprintf(name, sizeof(name), "l%d", i);
		t->l[i] = net_add_link(t->net, name, t->n[i], ia, t->n[i + 1],
		    ib, &p);
	}
	for (i = 0; i < len; i++) {
		if (i + 1 < len)
			CU_ASSERT_EQUAL(node_add_route(t->n[i], 0,
			    tt_ip("10.0.0.0"), 8, (10u << 24) |
			    ((uint32_t)i << 8) | 2, IFACE_NONE, err,
			    sizeof(err)), 0);
		if (i > 0) {
			uint32_t j;

			for (j = 0; j + 1 < (uint32_t)i; j++)
				CU_ASSERT_EQUAL(node_add_route(t->n[i], 0,
				    (10u << 24) | (j << 8), 24, (10u << 24) |
				    ((uint32_t)(i - 1) << 8) | 1, IFACE_NONE,
				    err, sizeof(err)), 0);
		}
	}
}

/* Record the TCP segments leaving the ends' interfaces. */
static inline void
tt_tap_ends(struct tt_net *t)
{
	int ends[2] = { 0, t->len - 1 }, k;

	for (k = 0; k < 2; k++) {
		int i = ends[k];

		t->tap[i].t = t;
		t->tap[i].node = i;
		node_iface_set_frame_out(t->n[i], 0, tt_tap, &t->tap[i]);
	}
}

static inline uint32_t
tt_addr(const struct tt_net *t, int i)
{
	/* the first end's right side, the others' left side */
	(void)t;
	if (i == 0)
		return (10u << 24) | 1;
	return (10u << 24) | ((uint32_t)(i - 1) << 8) | 2;
}

static inline void
tt_free(struct tt_net *t)
{
	tcp_stacks_free(t->net);
	net_free(t->net);
	CU_ASSERT_EQUAL(pkt_live(t->sim), 0);
	sim_free(t->sim);
	free(t->segs);
}

/* Segments from node i, in order: the k-th with any of flags (0: any). */
static inline const struct tt_seg *
tt_nth(const struct tt_net *t, int node, int k)
{
	int i;

	for (i = 0; i < t->nsegs; i++)
		if (t->segs[i].node == node && k-- == 0)
			return &t->segs[i];
	return NULL;
}

static inline int
tt_count(const struct tt_net *t, int node, uint8_t flags_all)
{
	int i, n = 0;

	for (i = 0; i < t->nsegs; i++)
		if (t->segs[i].node == node &&
		    (t->segs[i].flags & flags_all) == flags_all)
			n++;
	return n;
}

/* --- a sink: accepts, reads everything, closes at EOF --- */

struct tt_sink {
	struct stream_listener *l;
	struct stream *s;
	uint64_t bytes;
	uint8_t *keep;		/* real bytes read, when not NULL */
	size_t keep_cap;
	bool paused;		/* stop reading (zero window) */
	bool eof, closed, close_at_eof;
	enum stream_err err;
	int errors;
	sim_time t_eof, t_closed, t_first, t_last;
	struct sim *sim;
};

static inline void
tt_sink_read(struct tt_sink *k)
{
	uint8_t buf[4096];
	size_t n;

	while (!k->paused && k->s != NULL &&
	    (n = stream_read(k->s, k->keep != NULL ? buf : NULL,
	    sizeof(buf))) > 0) {
		if (k->keep != NULL && k->bytes + n <= k->keep_cap)
			memcpy(k->keep + k->bytes, buf, n);
		if (k->bytes == 0)
			k->t_first = sim_now(k->sim);
		k->bytes += n;
		k->t_last = sim_now(k->sim);
	}
	if (k->s != NULL && stream_eof(k->s) && !k->eof) {
		k->eof = true;
		k->t_eof = sim_now(k->sim);
		if (k->close_at_eof)
			stream_close(k->s);
	}
}

static inline void
tt_sink_rx(struct stream *s, void *ctx)
{
	(void)s;
	tt_sink_read(ctx);
}

static inline void
tt_sink_closed(struct stream *s, void *ctx)
{
	struct tt_sink *k = ctx;

	(void)s;
	k->closed = true;
	k->t_closed = sim_now(k->sim);
	k->s = NULL;
}

static inline void
tt_sink_error(struct stream *s, enum stream_err err, void *ctx)
{
	struct tt_sink *k = ctx;

	(void)s;
	k->err = err;
	k->errors++;
	k->s = NULL;
}

static const struct stream_cb tt_sink_cb = {
	.on_receive = tt_sink_rx,
	.on_closed = tt_sink_closed,
	.on_error = tt_sink_error,
};

static inline void
tt_sink_accept(struct stream_listener *l, struct stream *s, void *ctx)
{
	struct tt_sink *k = ctx;

	(void)l;
	k->s = s;
	stream_set_cb(s, &tt_sink_cb, k);
}

static inline void
tt_sink_listen(struct tt_sink *k, struct node *n, uint16_t port,
    const struct stream_opts *o)
{
	struct stream_addr a = { 0, port };

	k->sim = net_sim(node_net(n));
	k->close_at_eof = true;
	k->l = stream_listen(tcp_stack_host(tcp_stack_get(n)), &a, o,
	    tt_sink_accept, k);
	CU_ASSERT_PTR_NOT_NULL_FATAL(k->l);
}

/* --- a sender of total bytes (data NULL: virtual), closing after --- */

struct tt_src {
	struct stream *s;
	const uint8_t *data;
	uint64_t total, queued;
	uint32_t chunk;		/* write size, 0: as much as fits */
	bool connected, closed, no_close;
	enum stream_err err;
	int errors;
	sim_time t_connected, t_closed, t_err;
	struct sim *sim;
};

static inline void
tt_src_fill(struct tt_src *c)
{
	size_t room, n;

	while (c->s != NULL && c->queued < c->total &&
	    (room = stream_send_space(c->s)) > 0) {
		n = c->total - c->queued < room ? c->total - c->queued : room;
		if (c->chunk != 0 && n > c->chunk)
			n = c->chunk;
		n = stream_send(c->s, c->data != NULL ? c->data + c->queued :
		    NULL, n);
		if (n == 0)
			break;
		c->queued += n;
	}
	if (c->s != NULL && c->queued == c->total && !c->no_close &&
	    !c->closed) {
		c->closed = true;
		stream_close(c->s);
	}
}

static inline void
tt_src_connected(struct stream *s, void *ctx)
{
	struct tt_src *c = ctx;

	(void)s;
	c->connected = true;
	c->t_connected = sim_now(c->sim);
	tt_src_fill(c);
}

static inline void
tt_src_sent(struct stream *s, size_t freed, void *ctx)
{
	(void)s;
	(void)freed;
	tt_src_fill(ctx);
}

static inline void
tt_src_closed(struct stream *s, void *ctx)
{
	struct tt_src *c = ctx;

	(void)s;
	c->t_closed = sim_now(c->sim);
	c->s = NULL;
}

static inline void
tt_src_error(struct stream *s, enum stream_err err, void *ctx)
{
	struct tt_src *c = ctx;

	(void)s;
	c->err = err;
	c->errors++;
	c->t_err = sim_now(c->sim);
	c->s = NULL;
}

static const struct stream_cb tt_src_cb = {
	.on_connected = tt_src_connected,
	.on_sent = tt_src_sent,
	.on_closed = tt_src_closed,
	.on_error = tt_src_error,
};

static inline void
tt_src_connect(struct tt_src *c, struct node *n, uint32_t dst, uint16_t port,
    const struct stream_opts *o)
{
	struct stream_addr a = { dst, port };

	c->sim = net_sim(node_net(n));
	c->s = stream_connect(tcp_stack_host(tcp_stack_get(n)), &a, o,
	    &tt_src_cb, c);
	CU_ASSERT_PTR_NOT_NULL_FATAL(c->s);
}

#endif
