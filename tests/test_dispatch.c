/*
 * test_dispatch.c - local delivery by IP protocol, as the transports in
 * models/ use it: an experimental protocol (253) echoed by its handler, UDP
 * bindings on the same port in two VRFs (BFD on 3784 per VRF), ICMP errors
 * reaching a UDP binding and a TCP handler (path MTU discovery), and
 * protocols without a handler answered with protocol unreachable.
 * Every expected time is computed by hand from the link parameters.
 */
#include <string.h>
#include <unistd.h>

#include "net.h"
#include "pkt.h"
#include "sim.h"
#include "testutil.h"
#include "trace.h"
#include "util.h"
#include "wire.h"

#define PROTO_EXP 253u	/* RFC 3692: for experimentation */

static uint32_t
ip(const char *s)
{
	uint32_t a = 0;

	CU_ASSERT_EQUAL_FATAL(wire_ip_parse(s, &a), 0);
	return a;
}

static struct link_params
params(uint64_t rate, sim_time delay, uint32_t mtu)
{
	struct link_params p;

	memset(&p, 0, sizeof(p));
	p.dir[0].rate_bps = p.dir[1].rate_bps = rate;
	p.dir[0].delay = p.dir[1].delay = delay;
	p.mtu = mtu;
	return p;
}

/* a -- b on 10.0.0.0/24, each end in the given VRF of its node. */
static struct link *
wire_up(struct net *net, const char *name, struct node *a, const char *aaddr,
    uint32_t avrf, struct node *b, const char *baddr, uint32_t bvrf,
    const struct link_params *p)
{
	char ifn[32];
	uint32_t ia, ib;

	snprintf(ifn, sizeof(ifn), "%s-a", name);
	ia = node_add_iface(a, ifn, NULL, ip(aaddr), 24, avrf);
	snprintf(ifn, sizeof(ifn), "%s-b", name);
	ib = node_add_iface(b, ifn, NULL, ip(baddr), 24, bvrf);
	return net_add_link(net, name, a, ia, b, ib, p);
}

static void
teardown(struct sim *sim, struct net *net)
{
	net_free(net);
	CU_ASSERT_EQUAL(pkt_live(sim), 0);	/* nothing leaked */
	sim_free(sim);
}

/* --- an experimental protocol: echo on one side, a receiver on the other */

struct exp_log {
	int n;
	sim_time at[4];
	uint32_t vrf[4], ifindex[4], src[4], len[4];
	uint8_t data[4][64];
};

static void
exp_record(struct exp_log *log, struct node *n, const struct pkt *p,
    const struct wire_frame *f, uint32_t vrf, uint32_t ifindex)
{
	int i = log->n++;

	CU_ASSERT_FATAL(i < 4);
	log->at[i] = sim_now(net_sim(node_net(n)));
	log->vrf[i] = vrf;
	log->ifindex[i] = ifindex;
	log->src[i] = f->ip.src;
	log->len[i] = p->len;
	CU_ASSERT_EQUAL(f->ip.proto, PROTO_EXP);
	memcpy(log->data[i], p->data, p->len < 64 ? p->len : 64);
}

/* What a model in models/ would do: answer on the VRF it came in on. */
static void
exp_echo(struct node *n, struct pkt *p, const struct wire_frame *f,
    uint32_t vrf, uint32_t ifindex, void *ctx)
{
	exp_record(ctx, n, p, f, vrf, ifindex);
	node_send_ip(n, vrf, p, f->ip.dst, f->ip.src, PROTO_EXP, 64, 0);
}

static void
exp_sink(struct node *n, struct pkt *p, const struct wire_frame *f,
    uint32_t vrf, uint32_t ifindex, void *ctx)
{
	exp_record(ctx, n, p, f, vrf, ifindex);
	pkt_free(net_sim(node_net(n)), p);
}

static void
send_proto(struct node *from, uint32_t dst, uint8_t proto, const char *text)
{
	struct sim *sim = net_sim(node_net(from));
	uint32_t len = (uint32_t)strlen(text);
	struct pkt *p = pkt_alloc(sim, len);

	memcpy(p->data, text, len);
	CU_ASSERT_EQUAL(node_send_ip(from, VRF_DEFAULT, p, 0, dst, proto, 64,
	    0), 0);
}

struct icmp_seen {
	int n;
	uint8_t type, code;
	uint32_t from;
	sim_time at;
};

static bool
seen_icmp(struct node *n, struct pkt *p, const struct wire_frame *f,
    void *ctx)
{
	struct icmp_seen *s = ctx;

	s->n++;
	s->type = f->icmp.type;
	s->code = f->icmp.code;
	s->from = f->ip.src;
	s->at = sim_now(net_sim(node_net(n)));
	pkt_free(net_sim(node_net(n)), p);
	return true;
}

static void
test_protocol_handler_echo(void)
{
	struct sim *sim = sim_new(1);
	struct net *net = net_new(sim);
	struct node *a = net_add_node(net, "a", "host", NULL, NULL);
	struct node *b = net_add_node(net, "b", "host", NULL, NULL);
	struct link_params p = params(SIM_S(1) /* 1 Gbit/s */, SIM_MS(1), 1500);
	struct exp_log echoed = { 0 }, back = { 0 };
	struct icmp_seen s = { 0 };
	const char *msg = "experimental protocol 253, echo me";
	/* 34 bytes + 20 IPv4 + 14 Ethernet = 68 on the wire */
	const sim_time hop = 68 * 8 + SIM_MS(1);

	wire_up(net, "l", a, "10.0.0.1", 0, b, "10.0.0.2", 0, &p);
	CU_ASSERT_EQUAL(node_set_ip_handler(b, PROTO_EXP, exp_echo, NULL,
	    &echoed), 0);
	CU_ASSERT_EQUAL(node_set_ip_handler(a, PROTO_EXP, exp_sink, NULL,
	    &back), 0);
	/* the node's own protocols and a second handler are refused */
	CU_ASSERT_EQUAL(node_set_ip_handler(b, PROTO_EXP, exp_sink, NULL,
	    &back), -1);
	CU_ASSERT_EQUAL(node_set_ip_handler(b, WIRE_IPPROTO_ICMP, exp_sink,
	    NULL, &back), -1);
	CU_ASSERT_EQUAL(node_set_ip_handler(b, WIRE_IPPROTO_UDP, exp_sink,
	    NULL, &back), -1);
	node_add_icmp_listener(a, seen_icmp, &s);

	send_proto(a, ip("10.0.0.2"), PROTO_EXP, msg);
	sim_run(sim);
	CU_ASSERT_EQUAL_FATAL(echoed.n, 1);
	CU_ASSERT_EQUAL(echoed.at[0], hop);
	CU_ASSERT_EQUAL(echoed.vrf[0], VRF_DEFAULT);
	CU_ASSERT_EQUAL(echoed.ifindex[0], 0);
	CU_ASSERT_EQUAL(echoed.src[0], ip("10.0.0.1"));
	CU_ASSERT_EQUAL(echoed.len[0], strlen(msg));
	CU_ASSERT_EQUAL_FATAL(back.n, 1);
	CU_ASSERT_EQUAL(back.at[0], 2 * hop);
	CU_ASSERT_EQUAL(back.src[0], ip("10.0.0.2"));
	CU_ASSERT_EQUAL(back.len[0], strlen(msg));
	CU_ASSERT_EQUAL(memcmp(back.data[0], msg, strlen(msg)), 0);
	CU_ASSERT_EQUAL(s.n, 0);

	/* Without a handler: protocol unreachable, from the address probed. */
	CU_ASSERT_EQUAL(node_set_ip_handler(b, PROTO_EXP, NULL, NULL, NULL), 0);
	send_proto(a, ip("10.0.0.2"), PROTO_EXP, msg);
	sim_run(sim);
	CU_ASSERT_EQUAL(echoed.n, 1);
	CU_ASSERT_EQUAL(back.n, 1);
	CU_ASSERT_EQUAL_FATAL(s.n, 1);
	CU_ASSERT_EQUAL(s.type, WIRE_ICMP_UNREACH);
	CU_ASSERT_EQUAL(s.code, WIRE_ICMP_UNREACH_PROTO);
	CU_ASSERT_EQUAL(s.from, ip("10.0.0.2"));
	CU_ASSERT_EQUAL(node_drops(b)[DROP_NO_LISTENER], 1);
	/* and the handler can be set again once cleared */
	CU_ASSERT_EQUAL(node_set_ip_handler(b, PROTO_EXP, exp_echo, NULL,
	    &echoed), 0);
	teardown(sim, net);
}

/* --- a handler refusing a packet, and finding its own context --- */

struct refused {
	int n;
	enum trace_drop reason;
	uint32_t uid_ok;
};

static void
exp_refuse(struct node *n, struct pkt *p, const struct wire_frame *f,
    uint32_t vrf, uint32_t ifindex, void *ctx)
{
	(void)vrf;
	(void)ifindex;
	(void)ctx;
	node_drop_l4(n, p, f, DROP_MALFORMED, "exp: refused for a test");
}

static void
heard_drop(const struct pkt *p, enum trace_drop reason, void *ctx)
{
	struct refused *r = ctx;

	(void)p;
	r->n++;
	r->reason = reason;
}

static void
test_handler_drops_with_reason(void)
{
	struct sim *sim = sim_new(1);
	struct net *net = net_new(sim);
	struct node *a = net_add_node(net, "a", "host", NULL, NULL);
	struct node *b = net_add_node(net, "b", "host", NULL, NULL);
	struct link_params p = params(SIM_S(1), SIM_MS(1), 1500);
	struct refused r = { 0 };
	int mark = 0, fd, rc, seen = 0;
	char path[] = "/tmp/xcsim-dispatch-XXXXXX", err[256];
	struct trace *tr;
	struct trace_reader *rd;
	struct trace_rec rec;

	wire_up(net, "l", a, "10.0.0.1", 0, b, "10.0.0.2", 0, &p);
	CU_ASSERT_EQUAL(node_set_ip_handler(b, PROTO_EXP, exp_refuse, NULL,
	    &mark), 0);
	/* a model finds its context by its handler, and only by its own */
	CU_ASSERT_PTR_EQUAL(node_ip_handler_ctx(b, PROTO_EXP, exp_refuse),
	    &mark);
	CU_ASSERT_PTR_NULL(node_ip_handler_ctx(b, PROTO_EXP, exp_sink));
	CU_ASSERT_PTR_NULL(node_ip_handler_ctx(a, PROTO_EXP, exp_refuse));
	CU_ASSERT_PTR_NULL(node_ip_handler_ctx(b, WIRE_IPPROTO_TCP,
	    exp_refuse));
	fd = mkstemp(path);
	CU_ASSERT_FATAL(fd >= 0);
	close(fd);
	tr = trace_open(path, 0, err, sizeof(err));
	CU_ASSERT_PTR_NOT_NULL_FATAL(tr);
	net_set_trace(net, tr);
	net_add_drop_listener(net, heard_drop, &r);
	send_proto(a, ip("10.0.0.2"), PROTO_EXP, "twelve bytes");
	sim_run(sim);
	CU_ASSERT_EQUAL(r.n, 1);
	CU_ASSERT_EQUAL(r.reason, DROP_MALFORMED);
	CU_ASSERT_EQUAL(node_drops(b)[DROP_MALFORMED], 1);
	CU_ASSERT_EQUAL(node_drops(b)[DROP_NO_LISTENER], 0);
	net_remove_drop_listener(net, heard_drop, &r);
	/* traced with the datagram's length (12 + 20) and the reason text */
	net_set_trace(net, NULL);
	CU_ASSERT_EQUAL_FATAL(trace_close(tr, err, sizeof(err)), 0);
	rd = trace_reader_open(path, err, sizeof(err));
	CU_ASSERT_PTR_NOT_NULL_FATAL(rd);
	while ((rc = trace_reader_next(rd, &rec, err, sizeof(err))) == 1) {
		if (rec.type != TR_PKT_DROP)
			continue;
		seen++;
		CU_ASSERT_EQUAL(rec.u.drop.reason, DROP_MALFORMED);
		CU_ASSERT_EQUAL(rec.u.drop.node, node_id(b));
		CU_ASSERT_EQUAL(rec.u.drop.len, 32);
		CU_ASSERT_STRING_EQUAL(rec.u.drop.detail != NULL ?
		    rec.u.drop.detail : "", "exp: refused for a test");
	}
	CU_ASSERT_EQUAL(rc, 0);
	CU_ASSERT_EQUAL(seen, 1);
	trace_reader_close(rd);
	unlink(path);
	teardown(sim, net);
}

/* --- UDP on the same port in two VRFs --- */

struct err_log {
	int n;
	struct node_icmp_err e;
	uint16_t sport, dport;
	uint32_t seq;
	sim_time at;
};

static void
err_record(struct node *n, const struct node_icmp_err *e, void *ctx)
{
	struct err_log *log = ctx;

	log->n++;
	log->e = *e;
	log->e.l4 = NULL;	/* valid only during the call */
	CU_ASSERT_FATAL(e->l4_len >= 8);
	log->sport = get_be16(e->l4);
	log->dport = get_be16(e->l4 + 2);
	log->seq = get_be32(e->l4 + 4);
	log->at = sim_now(net_sim(node_net(n)));
}


/* A UDP socket: what it received, and the errors about what it sent. */
struct udp_log {
	int n;
	uint32_t len[4], src[4], in_iface[4];
	sim_time at[4];
	struct err_log err;
};

static void
udp_record(struct node *n, struct pkt *p, const struct wire_frame *f,
    void *ctx)
{
	struct udp_log *log = ctx;

	if (log->n < 4) {
		log->len[log->n] = f->payload_len;
		log->src[log->n] = f->ip.src;
		log->in_iface[log->n] = p->in_iface;
		log->at[log->n++] = sim_now(net_sim(node_net(n)));
	}
	pkt_free(net_sim(node_net(n)), p);
}

static void
udp_err(struct node *n, const struct node_icmp_err *e, void *ctx)
{
	struct udp_log *log = ctx;

	err_record(n, e, &log->err);
}

static void
send_udp(struct node *from, uint32_t dst, uint16_t sport, uint16_t dport,
    uint32_t payload)
{
	struct sim *sim = net_sim(node_net(from));
	struct pkt *p = pkt_alloc(sim, 0);
	struct udp_hdr u = { .sport = sport, .dport = dport };
	uint32_t src = node_source_for(from, VRF_DEFAULT, dst);

	p->virt_len = payload;
	wire_push_udp(sim, p, &u, src, dst);
	CU_ASSERT_EQUAL(node_send_ip(from, VRF_DEFAULT, p, src, dst,
	    WIRE_IPPROTO_UDP, 64, 0), 0);
}

static void
test_udp_bindings_per_vrf(void)
{
	struct sim *sim = sim_new(1);
	struct net *net = net_new(sim);
	struct node *r = net_add_node(net, "r", "router", NULL, NULL);
	struct node *a = net_add_node(net, "a", "host", NULL, NULL);
	struct node *b = net_add_node(net, "b", "host", NULL, NULL);
	struct link_params p = params(SIM_S(1), SIM_US(100), 1500);
	uint32_t red = node_vrf(r, "red"), blue = node_vrf(r, "blue");
	struct udp_log in_red = { 0 }, in_blue = { 0 }, in_def = { 0 };
	struct udp_log at_b = { 0 };
	const struct err_log *err = &at_b.err;
	/* the same address on both sides of both VRFs */
	const uint32_t rad = ip("10.0.0.1");
	/* 10 + 8 + 20 + 14 = 52 bytes, padded to 60; and 20 + 42 = 62 */
	const sim_time hop60 = 60 * 8 + SIM_US(100);
	const sim_time hop62 = 62 * 8 + SIM_US(100);

	wire_up(net, "ra", r, "10.0.0.1", red, a, "10.0.0.2", 0, &p);
	wire_up(net, "rb", r, "10.0.0.1", blue, b, "10.0.0.2", 0, &p);
	CU_ASSERT_EQUAL(node_bind_udp(r, red, 3784, udp_record, NULL,
	    &in_red), 0);
	CU_ASSERT_EQUAL(node_bind_udp(r, blue, 3784, udp_record, NULL,
	    &in_blue), 0);
	CU_ASSERT_EQUAL(node_bind_udp(r, red, 3784, udp_record, NULL,
	    &in_red), -1);
	CU_ASSERT_EQUAL(node_bind_udp(r, VRF_DEFAULT, 3784, udp_record, NULL,
	    &in_def), 0);
	/* b's BFD session binds its source port and wants its errors */
	CU_ASSERT_EQUAL(node_bind_udp(b, VRF_DEFAULT, 49152, udp_record,
	    udp_err, &at_b), 0);

	send_udp(a, rad, 49152, 3784, 10);
	send_udp(b, rad, 49152, 3784, 20);
	sim_run(sim);
	CU_ASSERT_EQUAL_FATAL(in_red.n, 1);
	CU_ASSERT_EQUAL(in_red.len[0], 10);
	CU_ASSERT_EQUAL(in_red.in_iface[0], 0);
	CU_ASSERT_EQUAL(in_red.at[0], hop60);
	CU_ASSERT_EQUAL_FATAL(in_blue.n, 1);
	CU_ASSERT_EQUAL(in_blue.len[0], 20);
	CU_ASSERT_EQUAL(in_blue.in_iface[0], 1);
	CU_ASSERT_EQUAL(in_blue.at[0], hop62);
	CU_ASSERT_EQUAL(in_def.n, 0);

	/*
	 * Unbound in blue: port unreachable goes back to b, where no ICMP
	 * listener takes it and it reaches the binding it quotes. The error:
	 * 20 + 8 quoted + 8 ICMP + 20 IPv4 + 14 = 70 bytes.
	 */
	node_unbind_udp(r, blue, 3784);
	node_unbind_udp(r, blue, 3784);		/* twice is harmless */
	send_udp(b, rad, 49152, 3784, 20);
	sim_run(sim);
	CU_ASSERT_EQUAL(in_blue.n, 1);
	CU_ASSERT_EQUAL(in_red.n, 1);
	CU_ASSERT_EQUAL(node_drops(r)[DROP_NO_LISTENER], 1);
	CU_ASSERT_EQUAL_FATAL(err->n, 1);
	/* sent when the first run ended */
	CU_ASSERT_EQUAL(err->at, hop62 + hop62 + 70 * 8 + SIM_US(100));
	CU_ASSERT_EQUAL(err->e.type, WIRE_ICMP_UNREACH);
	CU_ASSERT_EQUAL(err->e.code, WIRE_ICMP_UNREACH_PORT);
	CU_ASSERT_EQUAL(err->e.from, rad);
	CU_ASSERT_EQUAL(err->e.vrf, VRF_DEFAULT);
	CU_ASSERT_EQUAL(err->e.ifindex, 0);
	CU_ASSERT_EQUAL(err->e.ip.proto, WIRE_IPPROTO_UDP);
	CU_ASSERT_EQUAL(err->e.ip.src, ip("10.0.0.2"));
	CU_ASSERT_EQUAL(err->e.ip.dst, rad);
	CU_ASSERT_EQUAL(err->e.l4_len, 8);
	CU_ASSERT_EQUAL(err->sport, 49152);
	CU_ASSERT_EQUAL(err->dport, 3784);
	CU_ASSERT_EQUAL(at_b.n, 0);
	CU_ASSERT_EQUAL(node_drops(b)[DROP_NO_LISTENER], 0);

	/* a's source port is not bound: its error is dropped, as before */
	node_unbind_udp(r, red, 3784);
	send_udp(a, rad, 49152, 3784, 10);
	sim_run(sim);
	CU_ASSERT_EQUAL(node_drops(a)[DROP_NO_LISTENER], 1);
	CU_ASSERT_EQUAL(err->n, 1);
	teardown(sim, net);
}

/* --- TCP: path MTU discovery through the protocol's error callback --- */

struct tcp_stack {
	struct err_log err;
	int rx;
	uint16_t dport;
	uint8_t flags;
	uint32_t seq, len;
};

static void
tcp_rx(struct node *n, struct pkt *p, const struct wire_frame *f,
    uint32_t vrf, uint32_t ifindex, void *ctx)
{
	struct tcp_stack *t = ctx;

	(void)vrf;
	(void)ifindex;
	CU_ASSERT(f->has_tcp);
	/* p is at the TCP header */
	CU_ASSERT_EQUAL(get_be16(p->data + 2), f->tcp.dport);
	t->rx++;
	t->dport = f->tcp.dport;
	t->flags = f->tcp.flags;
	t->seq = f->tcp.seq;
	t->len = f->payload_len;
	pkt_free(net_sim(node_net(n)), p);
}

static void
tcp_err(struct node *n, const struct node_icmp_err *e, void *ctx)
{
	struct tcp_stack *t = ctx;

	err_record(n, e, &t->err);
}

static int
send_tcp(struct node *from, uint32_t dst, uint32_t seq, uint32_t payload,
    bool df, uint8_t ttl)
{
	struct sim *sim = net_sim(node_net(from));
	struct pkt *p = pkt_alloc(sim, 0);
	struct tcp_hdr t;
	uint32_t src = node_source_for(from, VRF_DEFAULT, dst);

	memset(&t, 0, sizeof(t));
	t.sport = 40000;
	t.dport = 443;
	t.seq = seq;
	t.ack = 1;
	t.flags = WIRE_TCP_ACK | WIRE_TCP_PSH;
	t.win = 65535;
	p->virt_len = payload;
	wire_push_tcp(sim, p, &t, src, dst);
	return node_send_ip(from, VRF_DEFAULT, p, src, dst, WIRE_IPPROTO_TCP,
	    ttl, df ? WIRE_IPV4_DF : 0);
}

static void
test_tcp_gets_frag_needed(void)
{
	struct sim *sim = sim_new(1);
	struct net *net = net_new(sim);
	struct node *h0 = net_add_node(net, "h0", "host", NULL, NULL);
	struct node *r = net_add_node(net, "r", "router", NULL, NULL);
	struct node *h1 = net_add_node(net, "h1", "host", NULL, NULL);
	struct link_params wide = params(SIM_S(1), SIM_MS(2), 1500);
	struct link_params narrow = params(SIM_S(1), SIM_MS(3), 1000);
	struct tcp_stack s0 = { 0 }, s1 = { 0 };
	char err[128];
	/* 1400 + 20 TCP + 20 IPv4 + 14 Ethernet */
	const sim_time out = 1454 * 8 + SIM_MS(2);
	/* the error: 20 + 8 quoted, 8 ICMP, 20 IPv4, 14 Ethernet */
	const sim_time back = 70 * 8 + SIM_MS(2);

	wire_up(net, "w", h0, "10.0.0.1", 0, r, "10.0.0.2", 0, &wide);
	node_add_iface(r, "n-a", NULL, ip("10.0.1.1"), 24, 0);
	node_add_iface(h1, "n-b", NULL, ip("10.0.1.2"), 24, 0);
	net_add_link(net, "n", r, 1, h1, 0, &narrow);
	CU_ASSERT_EQUAL(node_add_route(h0, 0, 0, 0, ip("10.0.0.2"),
	    IFACE_NONE, err, sizeof(err)), 0);
	CU_ASSERT_EQUAL(node_add_route(h1, 0, 0, 0, ip("10.0.1.1"),
	    IFACE_NONE, err, sizeof(err)), 0);

	/* No TCP on h1 yet: dropped, and no ICMP comes back (as before). */
	CU_ASSERT_EQUAL(send_tcp(h0, ip("10.0.1.2"), 7, 100, true, 64), 0);
	sim_run(sim);
	CU_ASSERT_EQUAL(node_drops(h1)[DROP_NO_LISTENER], 1);
	CU_ASSERT_EQUAL(node_drops(h0)[DROP_NO_LISTENER], 0);

	CU_ASSERT_EQUAL(node_set_ip_handler(h0, WIRE_IPPROTO_TCP, tcp_rx,
	    tcp_err, &s0), 0);
	CU_ASSERT_EQUAL(node_set_ip_handler(h1, WIRE_IPPROTO_TCP, tcp_rx,
	    tcp_err, &s1), 0);
	CU_ASSERT_EQUAL(send_tcp(h0, ip("10.0.1.2"), 1000, 100, true, 64), 0);
	sim_run(sim);
	CU_ASSERT_EQUAL_FATAL(s1.rx, 1);
	CU_ASSERT_EQUAL(s1.dport, 443);
	CU_ASSERT_EQUAL(s1.seq, 1000);
	CU_ASSERT_EQUAL(s1.flags, WIRE_TCP_ACK | WIRE_TCP_PSH);
	CU_ASSERT_EQUAL(s1.len, 100);

	/* Too big for the narrow link, DF set: need-frag to the stack. */
	{
		sim_time t0 = sim_now(sim);

		CU_ASSERT_EQUAL(send_tcp(h0, ip("10.0.1.2"), 5000, 1400, true,
		    64), 0);
		sim_run(sim);
		CU_ASSERT_EQUAL(s1.rx, 1);
		CU_ASSERT_EQUAL_FATAL(s0.err.n, 1);
		CU_ASSERT_EQUAL(s0.err.at, t0 + out + back);
	}
	CU_ASSERT_EQUAL(s0.err.e.type, WIRE_ICMP_UNREACH);
	CU_ASSERT_EQUAL(s0.err.e.code, WIRE_ICMP_UNREACH_NEEDFRAG);
	CU_ASSERT_EQUAL(s0.err.e.rest & 0xffff, 1000);
	CU_ASSERT_EQUAL(s0.err.e.from, ip("10.0.0.2"));
	CU_ASSERT_EQUAL(s0.err.e.ip.proto, WIRE_IPPROTO_TCP);
	CU_ASSERT_EQUAL(s0.err.e.ip.src, ip("10.0.0.1"));
	CU_ASSERT_EQUAL(s0.err.e.ip.dst, ip("10.0.1.2"));
	CU_ASSERT_EQUAL(s0.err.e.ip.total_len, 1440);
	CU_ASSERT_EQUAL(s0.err.e.ip.frag & WIRE_IPV4_DF, WIRE_IPV4_DF);
	CU_ASSERT_EQUAL(s0.err.sport, 40000);
	CU_ASSERT_EQUAL(s0.err.dport, 443);
	CU_ASSERT_EQUAL(s0.err.seq, 5000);
	CU_ASSERT_EQUAL(node_drops(r)[DROP_MTU], 1);
	CU_ASSERT_EQUAL(node_drops(h0)[DROP_NO_LISTENER], 0);
	CU_ASSERT_EQUAL(s0.rx, 0);

	/* TTL 1 dies at r: time exceeded reaches the stack the same way. */
	{
		sim_time t0 = sim_now(sim);

		CU_ASSERT_EQUAL(send_tcp(h0, ip("10.0.1.2"), 9000, 100, false,
		    1), 0);
		sim_run(sim);
		CU_ASSERT_EQUAL_FATAL(s0.err.n, 2);
		/* 100 + 20 + 20 + 14 = 154 bytes out, the 70-byte error back */
		CU_ASSERT_EQUAL(s0.err.at, t0 + 154 * 8 + SIM_MS(2) + back);
	}
	CU_ASSERT_EQUAL(s0.err.e.type, WIRE_ICMP_TIME_EXCEEDED);
	CU_ASSERT_EQUAL(s0.err.e.code, 0);
	CU_ASSERT_EQUAL(s0.err.e.ip.ttl, 1);
	CU_ASSERT_EQUAL(s0.err.seq, 9000);
	CU_ASSERT_EQUAL(node_drops(r)[DROP_TTL], 1);
	teardown(sim, net);
}

/*
 * Path MTU discovery's first hop, the ExpressRoute case: h0's own link has
 * an MTU of 1400. A DF segment too big for it never leaves h0; the TCP
 * stack learns 1400 from its error callback, as a local error, and its next
 * segment fits. The other way, h1's segment is refused by r and the stack
 * learns the same MTU from r's need-frag, as before.
 */
static void
test_tcp_learns_first_hop_mtu(void)
{
	struct sim *sim = sim_new(1);
	struct net *net = net_new(sim);
	struct node *h0 = net_add_node(net, "h0", "host", NULL, NULL);
	struct node *r = net_add_node(net, "r", "router", NULL, NULL);
	struct node *h1 = net_add_node(net, "h1", "host", NULL, NULL);
	struct link_params er = params(SIM_S(1), SIM_MS(2), 1400);
	struct link_params lan = params(SIM_S(1), SIM_MS(1), 1500);
	struct link *a, *b;
	struct tcp_stack s0 = { 0 }, s1 = { 0 };
	struct udp_log u0 = { 0 };
	char err[128];
	sim_time t0;

	a = wire_up(net, "er", h0, "10.0.0.1", 0, r, "10.0.0.2", 0, &er);
	node_add_iface(r, "lan-a", NULL, ip("10.0.1.1"), 24, 0);
	node_add_iface(h1, "lan-b", NULL, ip("10.0.1.2"), 24, 0);
	b = net_add_link(net, "lan", r, 1, h1, 0, &lan);
	CU_ASSERT_EQUAL(node_add_route(h0, 0, 0, 0, ip("10.0.0.2"),
	    IFACE_NONE, err, sizeof(err)), 0);
	CU_ASSERT_EQUAL(node_add_route(h1, 0, 0, 0, ip("10.0.1.1"),
	    IFACE_NONE, err, sizeof(err)), 0);
	CU_ASSERT_EQUAL(node_set_ip_handler(h0, WIRE_IPPROTO_TCP, tcp_rx,
	    tcp_err, &s0), 0);
	CU_ASSERT_EQUAL(node_set_ip_handler(h1, WIRE_IPPROTO_TCP, tcp_rx,
	    tcp_err, &s1), 0);
	/* what TCP takes its MSS from */
	CU_ASSERT_EQUAL(node_mtu_for(h0, 0, ip("10.0.1.2")), 1400);
	CU_ASSERT_EQUAL(node_mtu_for(h1, 0, ip("10.0.0.1")), 1500);
	CU_ASSERT_EQUAL(node_mtu_for(h0, 0, ip("10.0.0.1")), 65535);
	CU_ASSERT_EQUAL(node_mtu_for(r, 0, ip("192.0.2.1")), 0);
	CU_ASSERT_EQUAL(node_mtu_for(r, 7, ip("10.0.0.1")), 0);

	/* 1420 + 20 TCP + 20 IPv4 = 1460 > 1400, DF: refused, as EMSGSIZE */
	sim_run_until(sim, SIM_MS(3));
	t0 = sim_now(sim);
	CU_ASSERT_EQUAL(send_tcp(h0, ip("10.0.1.2"), 7000, 1420, true, 64),
	    -1);
	/* the stack hears of it in an event, not inside its own send */
	CU_ASSERT_EQUAL(s0.err.n, 0);
	sim_run(sim);
	CU_ASSERT_EQUAL_FATAL(s0.err.n, 1);
	CU_ASSERT_EQUAL(s0.err.at, t0);
	CU_ASSERT(s0.err.e.local);
	CU_ASSERT_EQUAL(s0.err.e.type, WIRE_ICMP_UNREACH);
	CU_ASSERT_EQUAL(s0.err.e.code, WIRE_ICMP_UNREACH_NEEDFRAG);
	CU_ASSERT_EQUAL(s0.err.e.rest & 0xffff, 1400);
	CU_ASSERT_EQUAL(s0.err.e.from, ip("10.0.0.1"));
	CU_ASSERT_EQUAL(s0.err.e.vrf, VRF_DEFAULT);
	CU_ASSERT_EQUAL(s0.err.e.ifindex, 0);
	CU_ASSERT_EQUAL(s0.err.e.ip.proto, WIRE_IPPROTO_TCP);
	CU_ASSERT_EQUAL(s0.err.e.ip.src, ip("10.0.0.1"));
	CU_ASSERT_EQUAL(s0.err.e.ip.dst, ip("10.0.1.2"));
	CU_ASSERT_EQUAL(s0.err.e.ip.total_len, 1460);
	CU_ASSERT_EQUAL(s0.err.e.ip.frag & WIRE_IPV4_DF, WIRE_IPV4_DF);
	CU_ASSERT_EQUAL(s0.err.e.l4_len, 8);
	CU_ASSERT_EQUAL(s0.err.sport, 40000);
	CU_ASSERT_EQUAL(s0.err.dport, 443);
	CU_ASSERT_EQUAL(s0.err.seq, 7000);
	/* nothing went on the wire, and only the MTU drop is recorded */
	CU_ASSERT_EQUAL(link_get_stats(a, 0)->tx_pkts, 0);
	CU_ASSERT_EQUAL(node_drops(h0)[DROP_MTU], 1);
	CU_ASSERT_EQUAL(node_drops(h0)[DROP_NO_LISTENER], 0);
	/* the segment resent at the learnt MTU, 1360 + 40, gets through */
	t0 = sim_now(sim);
	CU_ASSERT_EQUAL(send_tcp(h0, ip("10.0.1.2"), 7000,
	    (s0.err.e.rest & 0xffff) - 40, true, 64), 0);
	sim_run(sim);
	CU_ASSERT_EQUAL_FATAL(s1.rx, 1);
	CU_ASSERT_EQUAL(s1.len, 1360);
	CU_ASSERT_EQUAL(s1.seq, 7000);
	CU_ASSERT_EQUAL(s0.err.n, 1);

	/* Through the router: r refuses h1's 1500-byte segment for er. */
	t0 = sim_now(sim);
	CU_ASSERT_EQUAL(send_tcp(h1, ip("10.0.0.1"), 9000, 1460, true, 64), 0);
	sim_run(sim);
	CU_ASSERT_EQUAL_FATAL(s1.err.n, 1);
	/* 1514 bytes to r, then the 70-byte need-frag back */
	CU_ASSERT_EQUAL(s1.err.at, t0 + 1514 * 8 + SIM_MS(1) + 70 * 8 +
	    SIM_MS(1));
	CU_ASSERT(!s1.err.e.local);
	CU_ASSERT_EQUAL(s1.err.e.code, WIRE_ICMP_UNREACH_NEEDFRAG);
	CU_ASSERT_EQUAL(s1.err.e.rest & 0xffff, 1400);
	CU_ASSERT_EQUAL(s1.err.e.from, ip("10.0.1.1"));
	CU_ASSERT_EQUAL(s1.err.seq, 9000);
	CU_ASSERT_EQUAL(node_drops(r)[DROP_MTU], 1);
	CU_ASSERT_EQUAL(link_get_stats(b, 1)->tx_pkts, 1);
	CU_ASSERT_EQUAL(s0.rx, 0);

	/* A UDP binding learns it the same way; without one it is forgotten. */
	CU_ASSERT_EQUAL(node_bind_udp(h0, VRF_DEFAULT, 5000, udp_record,
	    udp_err, &u0), 0);
	{
		struct pkt *p = pkt_alloc(sim, 0);
		struct udp_hdr u = { .sport = 5000, .dport = 9 };

		p->virt_len = 1400;
		wire_push_udp(sim, p, &u, ip("10.0.0.1"), ip("10.0.1.2"));
		CU_ASSERT_EQUAL(node_send_ip(h0, VRF_DEFAULT, p, 0,
		    ip("10.0.1.2"), WIRE_IPPROTO_UDP, 64, WIRE_IPV4_DF), -1);
		p = pkt_alloc(sim, 0);
		u.sport = 5001;
		p->virt_len = 1400;
		wire_push_udp(sim, p, &u, ip("10.0.0.1"), ip("10.0.1.2"));
		CU_ASSERT_EQUAL(node_send_ip(h0, VRF_DEFAULT, p, 0,
		    ip("10.0.1.2"), WIRE_IPPROTO_UDP, 64, WIRE_IPV4_DF), -1);
	}
	sim_run(sim);
	CU_ASSERT_EQUAL_FATAL(u0.err.n, 1);
	CU_ASSERT(u0.err.e.local);
	CU_ASSERT_EQUAL(u0.err.e.rest & 0xffff, 1400);
	CU_ASSERT_EQUAL(u0.err.sport, 5000);
	CU_ASSERT_EQUAL(node_drops(h0)[DROP_MTU], 3);
	CU_ASSERT_EQUAL(node_drops(h0)[DROP_NO_LISTENER], 0);
	CU_ASSERT_EQUAL(s0.err.n, 1);
	/* errors still due when the network goes are freed with it */
	CU_ASSERT_EQUAL(send_tcp(h0, ip("10.0.1.2"), 1, 1420, true, 64), -1);
	teardown(sim, net);
}

/* An ICMP listener that consumes an error still sees it first. */
static void
test_listener_before_protocol(void)
{
	struct sim *sim = sim_new(1);
	struct net *net = net_new(sim);
	struct node *h0 = net_add_node(net, "h0", "host", NULL, NULL);
	struct node *h1 = net_add_node(net, "h1", "host", NULL, NULL);
	struct link_params p = params(SIM_S(1), SIM_MS(1), 1500);
	struct tcp_stack s0 = { 0 };
	struct icmp_seen seen = { 0 };
	struct udp_log at0 = { 0 };

	wire_up(net, "l", h0, "10.0.0.1", 0, h1, "10.0.0.2", 0, &p);
	CU_ASSERT_EQUAL(node_set_ip_handler(h0, WIRE_IPPROTO_TCP, tcp_rx,
	    tcp_err, &s0), 0);
	CU_ASSERT_EQUAL(node_bind_udp(h0, VRF_DEFAULT, 5000, udp_record,
	    udp_err, &at0), 0);
	node_add_icmp_listener(h0, seen_icmp, &seen);
	send_udp(h0, ip("10.0.0.2"), 5000, 9, 10);
	sim_run(sim);
	CU_ASSERT_EQUAL(seen.n, 1);
	CU_ASSERT_EQUAL(seen.code, WIRE_ICMP_UNREACH_PORT);
	CU_ASSERT_EQUAL(at0.err.n, 0);
	/* without it, the error goes to the binding, and only there */
	node_remove_icmp_listener(h0, seen_icmp, &seen);
	send_udp(h0, ip("10.0.0.2"), 5000, 9, 10);
	sim_run(sim);
	CU_ASSERT_EQUAL(seen.n, 1);
	CU_ASSERT_EQUAL(at0.n, 0);
	CU_ASSERT_EQUAL(at0.err.n, 1);
	CU_ASSERT_EQUAL(at0.err.dport, 9);
	CU_ASSERT_EQUAL(s0.err.n, 0);
	teardown(sim, net);
}

static const struct test_case cases[] = {
	{ "protocol 253 handler echoes, unhandled gets proto-unreachable", test_protocol_handler_echo },
	{ "a handler drops a packet with a reason; finds its context", test_handler_drops_with_reason },
	{ "UDP bindings on one port in two VRFs; errors to the binding", test_udp_bindings_per_vrf },
	{ "TCP handler; need-frag and time exceeded to its error callback", test_tcp_gets_frag_needed },
	{ "ICMP listeners are offered errors first", test_listener_before_protocol },
	{ "TCP learns the MTU of its first hop, and of a router's", test_tcp_learns_first_hop_mtu },
	{ NULL, NULL }
};

int
main(int argc, char **argv)
{
	return test_main(argc, argv, "dispatch", cases);
}
