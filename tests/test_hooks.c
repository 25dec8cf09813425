/*
 * test_hooks.c - interface hooks as their first users drive them: an NSG-
 * shaped ingress filter (priority-ordered rules, a reason per rule) among
 * other filters, an egress filter refusing a local sender, and a TAP-shaped
 * attachment: an interface without a link that exchanges frames with the
 * outside only through node_iface_inject and its frame-out hook, answered
 * byte-exact. Times are exact, computed by hand from the link parameters.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "net.h"
#include "pkt.h"
#include "sim.h"
#include "testutil.h"
#include "trace.h"
#include "util.h"
#include "wire.h"

static uint32_t
ip(const char *s)
{
	uint32_t a = 0;

	CU_ASSERT_EQUAL_FATAL(wire_ip_parse(s, &a), 0);
	return a;
}

static struct link_params
params(uint64_t rate, sim_time delay)
{
	struct link_params p;

	memset(&p, 0, sizeof(p));
	p.dir[0].rate_bps = p.dir[1].rate_bps = rate;
	p.dir[0].delay = p.dir[1].delay = delay;
	p.mtu = 1500;
	return p;
}

/* h0 (10.0.0.1) -- r -- h1 (10.0.1.2), 1 Gbit/s and 1 ms each way. */
struct line3 {
	struct sim *sim;
	struct net *net;
	struct trace *tr;	/* NULL: no trace */
	char path[64];
	struct node *h0, *r, *h1;
	struct link *a, *b;
};

static void
line3_build(struct line3 *t, uint16_t vlan, bool traced)
{
	struct link_params p = params(SIM_S(1), SIM_MS(1));
	char err[128];
	uint32_t i0, ir0, ir1, i1;

	t->sim = sim_new(1);
	t->net = net_new(t->sim);
	t->tr = NULL;
	if (traced) {
		int fd;

		snprintf(t->path, sizeof(t->path), "/tmp/xcsim-hooks-XXXXXX");
		fd = mkstemp(t->path);
		CU_ASSERT_FATAL(fd >= 0);
		close(fd);
		t->tr = trace_open(t->path, 0, err, sizeof(err));
		CU_ASSERT_PTR_NOT_NULL_FATAL(t->tr);
		net_set_trace(t->net, t->tr);
	}
	t->h0 = net_add_node(t->net, "h0", "host", NULL, NULL);
	t->r = net_add_node(t->net, "r", "router", NULL, NULL);
	t->h1 = net_add_node(t->net, "h1", "host", NULL, NULL);
	i0 = node_add_iface(t->h0, "eth0", NULL, ip("10.0.0.1"), 24, 0);
	ir0 = node_add_iface(t->r, "eth0", NULL, ip("10.0.0.2"), 24, 0);
	ir1 = node_add_iface(t->r, "eth1", NULL, ip("10.0.1.1"), 24, 0);
	i1 = node_add_iface(t->h1, "eth0", NULL, ip("10.0.1.2"), 24, 0);
	if (vlan) {
		node_iface_set_vlan(t->h0, i0, 0, vlan);
		node_iface_set_vlan(t->r, ir0, 0, vlan);
	}
	t->a = net_add_link(t->net, "a", t->h0, i0, t->r, ir0, &p);
	t->b = net_add_link(t->net, "b", t->r, ir1, t->h1, i1, &p);
	CU_ASSERT_EQUAL(node_add_route(t->h0, 0, 0, 0, ip("10.0.0.2"),
	    IFACE_NONE, err, sizeof(err)), 0);
	CU_ASSERT_EQUAL(node_add_route(t->h1, 0, 0, 0, ip("10.0.1.1"),
	    IFACE_NONE, err, sizeof(err)), 0);
}

/*
 * Close the trace and collect its filter drops: node, length and detail,
 * one line each, "node len detail\n".
 */
static void
line3_filter_drops(struct line3 *t, char *out, size_t outlen)
{
	struct trace_reader *rd;
	struct trace_rec rec;
	char err[256];
	size_t used = 0;
	int rc;

	out[0] = '\0';
	CU_ASSERT_EQUAL_FATAL(trace_close(t->tr, err, sizeof(err)), 0);
	t->tr = NULL;
	net_set_trace(t->net, NULL);
	rd = trace_reader_open(t->path, err, sizeof(err));
	CU_ASSERT_PTR_NOT_NULL_FATAL(rd);
	while ((rc = trace_reader_next(rd, &rec, err, sizeof(err))) == 1) {
		if (rec.type != TR_PKT_DROP ||
		    rec.u.drop.reason != DROP_FILTER)
			continue;
		used += (size_t)snprintf(out + used, outlen - used,
		    "%u %u %s\n", rec.u.drop.node, rec.u.drop.len,
		    rec.u.drop.detail ? rec.u.drop.detail : "(none)");
		CU_ASSERT_FATAL(used < outlen);
	}
	CU_ASSERT_EQUAL(rc, 0);
	trace_reader_close(rd);
	unlink(t->path);
}

static void
line3_free(struct line3 *t)
{
	if (t->tr != NULL) {
		trace_abort(t->tr);
		unlink(t->path);
	}
	net_free(t->net);
	CU_ASSERT_EQUAL(pkt_live(t->sim), 0);	/* nothing leaked */
	sim_free(t->sim);
}

/* --- what arrives at h1 --- */

struct arrivals {
	int n;
	sim_time at[8];
	uint8_t proto[8];
	uint16_t dport[8];
};

static void
arrive_udp(struct node *n, struct pkt *p, const struct wire_frame *f,
    void *ctx)
{
	struct arrivals *a = ctx;

	if (a->n < 8) {
		a->at[a->n] = sim_now(net_sim(node_net(n)));
		a->proto[a->n] = f->ip.proto;
		a->dport[a->n++] = f->udp.dport;
	}
	pkt_free(net_sim(node_net(n)), p);
}

static void
arrive_tcp(struct node *n, struct pkt *p, const struct wire_frame *f,
    uint32_t vrf, uint32_t ifindex, void *ctx)
{
	struct arrivals *a = ctx;

	(void)vrf;
	(void)ifindex;
	if (a->n < 8) {
		a->at[a->n] = sim_now(net_sim(node_net(n)));
		a->proto[a->n] = f->ip.proto;
		a->dport[a->n++] = f->tcp.dport;
	}
	pkt_free(net_sim(node_net(n)), p);
}

static int
send_l4(struct node *from, uint32_t dst, uint8_t proto, uint16_t dport,
    uint8_t flags, uint32_t payload)
{
	struct sim *sim = net_sim(node_net(from));
	struct pkt *p = pkt_alloc(sim, 0);
	uint32_t src = node_source_for(from, VRF_DEFAULT, dst);

	p->virt_len = payload;
	if (proto == WIRE_IPPROTO_UDP) {
		struct udp_hdr u = { .sport = 5000, .dport = dport };

		wire_push_udp(sim, p, &u, src, dst);
	} else if (proto == WIRE_IPPROTO_TCP) {
		struct tcp_hdr t;

		memset(&t, 0, sizeof(t));
		t.sport = 40000;
		t.dport = dport;
		t.flags = flags;
		t.win = 1024;
		wire_push_tcp(sim, p, &t, src, dst);
	}
	return node_send_ip(from, VRF_DEFAULT, p, src, dst, proto, 64, 0);
}

/* --- filters --- */

/* A filter that accepts everything and remembers what it saw. */
struct watch {
	int n;
	enum node_hook_dir dir[8];
	uint32_t ifindex[8], src[8], dst[8];
	uint8_t proto[8], tcp_flags[8];
	uint16_t sport[8], dport[8];
};

static enum node_verdict
watch_filter(struct node *n, uint32_t ifindex, enum node_hook_dir dir,
    const struct pkt *frame, const struct wire_frame *f,
    const char **reason, void *ctx)
{
	struct watch *w = ctx;
	int i = w->n++;

	(void)n;
	(void)reason;
	CU_ASSERT_FATAL(i < 8);
	CU_ASSERT(f->has_ipv4);
	CU_ASSERT(frame->len >= f->l3_off + WIRE_IPV4_HLEN);
	w->dir[i] = dir;
	w->ifindex[i] = ifindex;
	w->src[i] = f->ip.src;
	w->dst[i] = f->ip.dst;
	w->proto[i] = f->ip.proto;
	w->sport[i] = f->has_tcp ? f->tcp.sport : f->has_udp ? f->udp.sport : 0;
	w->dport[i] = f->has_tcp ? f->tcp.dport : f->has_udp ? f->udp.dport : 0;
	w->tcp_flags[i] = f->has_tcp ? f->tcp.flags : 0;
	return NODE_ACCEPT;
}

/*
 * An NSG as the Azure model will build one: rules by ascending priority,
 * first match wins, the reason text made once per rule.
 */
struct nsg_rule {
	uint16_t priority;
	uint8_t proto;		/* 0 = any */
	uint16_t dport;		/* 0 = any */
	bool allow;
	const char *name;
	char reason[96];
};

struct nsg {
	const char *name;
	struct nsg_rule *rules;
	size_t n;
	int drops;
};

static void
nsg_init(struct nsg *g, const char *name, struct nsg_rule *rules, size_t n)
{
	size_t i;

	g->name = name;
	g->rules = rules;
	g->n = n;
	g->drops = 0;
	for (i = 0; i < n; i++)
		snprintf(rules[i].reason, sizeof(rules[i].reason),
		    "nsg %s rule %s priority %u", name, rules[i].name,
		    rules[i].priority);
}

static enum node_verdict
nsg_filter(struct node *n, uint32_t ifindex, enum node_hook_dir dir,
    const struct pkt *frame, const struct wire_frame *f,
    const char **reason, void *ctx)
{
	struct nsg *g = ctx;
	uint16_t dport = f->has_tcp ? f->tcp.dport : f->has_udp ?
	    f->udp.dport : 0;
	size_t i;

	(void)n;
	(void)ifindex;
	(void)dir;
	(void)frame;
	for (i = 0; i < g->n; i++) {
		const struct nsg_rule *r = &g->rules[i];

		if ((r->proto != 0 && r->proto != f->ip.proto) ||
		    (r->dport != 0 && r->dport != dport))
			continue;
		if (r->allow)
			return NODE_ACCEPT;
		*reason = r->reason;
		g->drops++;
		return NODE_DROP;
	}
	return NODE_ACCEPT;
}

static void
test_ingress_filters_in_order(void)
{
	struct line3 t;
	struct watch before = { 0 }, after = { 0 };
	struct nsg_rule rules[] = {
		{ 100, WIRE_IPPROTO_TCP, 443, true, "AllowHttps", "" },
		{ 200, WIRE_IPPROTO_UDP, 9, false, "DenyDiscard", "" },
		{ 65500, 0, 0, false, "DenyAll", "" },
	};
	struct nsg g;
	struct arrivals at_h1 = { 0 };
	/* TCP SYN: 20 + 20 + 14 = 54 bytes, padded to 60, over two links */
	const sim_time two_hops = 2 * (60 * 8 + SIM_MS(1));

	line3_build(&t, 0, true);
	nsg_init(&g, "web-nsg", rules, 3);
	CU_ASSERT_STRING_EQUAL(rules[2].reason,
	    "nsg web-nsg rule DenyAll priority 65500");
	node_iface_add_filter(t.r, 0, NODE_INGRESS, watch_filter, &before);
	node_iface_add_filter(t.r, 0, NODE_INGRESS, nsg_filter, &g);
	node_iface_add_filter(t.r, 0, NODE_INGRESS, watch_filter, &after);
	CU_ASSERT_EQUAL(node_set_ip_handler(t.h1, WIRE_IPPROTO_TCP,
	    arrive_tcp, NULL, &at_h1), 0);
	CU_ASSERT_EQUAL(node_bind_udp(t.h1, VRF_DEFAULT, 9, arrive_udp, NULL,
	    &at_h1), 0);

	CU_ASSERT_EQUAL(send_l4(t.h0, ip("10.0.1.2"), WIRE_IPPROTO_TCP, 443,
	    WIRE_TCP_SYN, 0), 0);
	CU_ASSERT_EQUAL(send_l4(t.h0, ip("10.0.1.2"), WIRE_IPPROTO_UDP, 9, 0,
	    0), 0);
	CU_ASSERT_EQUAL(send_l4(t.h0, ip("10.0.1.2"), 253, 0, 0, 0), 0);
	sim_run(t.sim);

	/* the first filter saw all three, parsed */
	CU_ASSERT_EQUAL_FATAL(before.n, 3);
	CU_ASSERT_EQUAL(before.dir[0], NODE_INGRESS);
	CU_ASSERT_EQUAL(before.ifindex[0], 0);
	CU_ASSERT_EQUAL(before.src[0], ip("10.0.0.1"));
	CU_ASSERT_EQUAL(before.dst[0], ip("10.0.1.2"));
	CU_ASSERT_EQUAL(before.proto[0], WIRE_IPPROTO_TCP);
	CU_ASSERT_EQUAL(before.sport[0], 40000);
	CU_ASSERT_EQUAL(before.dport[0], 443);
	CU_ASSERT_EQUAL(before.tcp_flags[0], WIRE_TCP_SYN);
	CU_ASSERT_EQUAL(before.proto[1], WIRE_IPPROTO_UDP);
	CU_ASSERT_EQUAL(before.dport[1], 9);
	CU_ASSERT_EQUAL(before.proto[2], 253);
	/* the NSG dropped two; the filter after it saw only the third */
	CU_ASSERT_EQUAL(g.drops, 2);
	CU_ASSERT_EQUAL_FATAL(after.n, 1);
	CU_ASSERT_EQUAL(after.proto[0], WIRE_IPPROTO_TCP);
	CU_ASSERT_EQUAL(node_drops(t.r)[DROP_FILTER], 2);
	CU_ASSERT_EQUAL_FATAL(at_h1.n, 1);
	CU_ASSERT_EQUAL(at_h1.proto[0], WIRE_IPPROTO_TCP);
	CU_ASSERT_EQUAL(at_h1.at[0], two_hops);
	/* no ICMP about a filtered packet: nothing came back to h0 */
	CU_ASSERT_EQUAL(link_get_stats(t.a, 1)->tx_pkts, 0);

	/* Without the NSG the discard datagram goes through. */
	node_iface_remove_filter(t.r, 0, NODE_INGRESS, nsg_filter, &g);
	CU_ASSERT_EQUAL(send_l4(t.h0, ip("10.0.1.2"), WIRE_IPPROTO_UDP, 9, 0,
	    0), 0);
	sim_run(t.sim);
	CU_ASSERT_EQUAL(at_h1.n, 2);
	CU_ASSERT_EQUAL(at_h1.dport[1], 9);
	CU_ASSERT_EQUAL(after.n, 2);
	CU_ASSERT_EQUAL(node_drops(t.r)[DROP_FILTER], 2);
	/*
	 * The trace says which rule dropped each, at r (node 1), with the
	 * length of the IPv4 datagram, as at every drop site: 20 + 8 UDP, and
	 * 20 with nothing above IPv4.
	 */
	{
		char drops[512];

		line3_filter_drops(&t, drops, sizeof(drops));
		CU_ASSERT_STRING_EQUAL(drops,
		    "1 28 nsg web-nsg rule DenyDiscard priority 200\n"
		    "1 20 nsg web-nsg rule DenyAll priority 65500\n");
	}
	line3_free(&t);
}

/* What the drop listeners heard: the reason of each drop, in order. */
struct heard {
	enum trace_drop reason[8];
	uint64_t uid[8];
	size_t n;
};

static void
hear_drop(const struct pkt *p, enum trace_drop reason, void *ctx)
{
	struct heard *h = ctx;

	if (h->n < 8) {
		h->uid[h->n] = p->uid;
		h->reason[h->n++] = reason;
	}
}

static void
test_egress_filters(void)
{
	struct heard heard = { 0 };
	struct line3 t;
	struct nsg_rule out_rules[] = {
		{ 100, WIRE_IPPROTO_UDP, 53, false, "DenyDns", "" },
	};
	struct nsg_rule fwd_rules[] = {
		{ 300, WIRE_IPPROTO_TCP, 22, false, "DenySsh", "" },
	};
	struct nsg out, fwd;
	struct watch w = { 0 };
	struct arrivals at_h1 = { 0 };

	line3_build(&t, 0, true);
	nsg_init(&out, "h0-out", out_rules, 1);
	nsg_init(&fwd, "r-out", fwd_rules, 1);
	node_iface_add_filter(t.h0, 0, NODE_EGRESS, nsg_filter, &out);
	node_iface_add_filter(t.r, 1, NODE_EGRESS, watch_filter, &w);
	node_iface_add_filter(t.r, 1, NODE_EGRESS, nsg_filter, &fwd);
	CU_ASSERT_EQUAL(node_bind_udp(t.h1, VRF_DEFAULT, 54, arrive_udp, NULL,
	    &at_h1), 0);
	net_add_drop_listener(t.net, hear_drop, &heard);

	/* A local sender learns of the refusal, as from EPERM. */
	CU_ASSERT_EQUAL(send_l4(t.h0, ip("10.0.1.2"), WIRE_IPPROTO_UDP, 53, 0,
	    10), -1);
	CU_ASSERT_EQUAL(node_drops(t.h0)[DROP_FILTER], 1);
	CU_ASSERT_EQUAL(link_get_stats(t.a, 0)->tx_pkts, 0);
	/* Forwarded: r's egress filter sees the re-framed, TTL-1 packet. */
	CU_ASSERT_EQUAL(send_l4(t.h0, ip("10.0.1.2"), WIRE_IPPROTO_TCP, 22,
	    WIRE_TCP_SYN, 0), 0);
	CU_ASSERT_EQUAL(send_l4(t.h0, ip("10.0.1.2"), WIRE_IPPROTO_UDP, 54, 0,
	    10), 0);
	sim_run(t.sim);
	CU_ASSERT_EQUAL_FATAL(w.n, 2);
	CU_ASSERT_EQUAL(w.dir[0], NODE_EGRESS);
	CU_ASSERT_EQUAL(w.ifindex[0], 1);
	CU_ASSERT_EQUAL(w.dport[0], 22);
	CU_ASSERT_EQUAL(w.tcp_flags[0], WIRE_TCP_SYN);
	CU_ASSERT_EQUAL(fwd.drops, 1);
	CU_ASSERT_EQUAL(node_drops(t.r)[DROP_FILTER], 1);
	/* Drop listeners (ping's "lost") hear of filtered packets too. */
	CU_ASSERT_EQUAL_FATAL(heard.n, 2);
	CU_ASSERT_EQUAL(heard.reason[0], DROP_FILTER);
	CU_ASSERT_EQUAL(heard.reason[1], DROP_FILTER);
	CU_ASSERT_NOT_EQUAL(heard.uid[0], heard.uid[1]);
	CU_ASSERT_EQUAL(link_get_stats(t.b, 0)->tx_pkts, 1);
	CU_ASSERT_EQUAL_FATAL(at_h1.n, 1);
	CU_ASSERT_EQUAL(at_h1.dport[0], 54);
	/*
	 * 10 + 8 + 20 + 14 = 52 bytes, padded to 60: behind the SYN (60) on
	 * link a, alone on link b once the SYN is filtered.
	 */
	CU_ASSERT_EQUAL(at_h1.at[0], 3 * 60 * 8 + 2 * SIM_MS(1));
	/*
	 * On the way out the frames are padded to 60, but the length is the
	 * datagram's as on the way in: 10 + 8 + 20, and a SYN's 20 + 20.
	 */
	{
		char drops[512];

		line3_filter_drops(&t, drops, sizeof(drops));
		CU_ASSERT_STRING_EQUAL(drops,
		    "0 38 nsg h0-out rule DenyDns priority 100\n"
		    "1 40 nsg r-out rule DenySsh priority 300\n");
	}
	line3_free(&t);
}

/* --- frames from and to the outside --- */

/* RFC 1071, written out here so the test does not trust wire.c. */
static uint16_t
csum(const uint8_t *b, size_t len)
{
	uint32_t s = 0;
	size_t i;

	for (i = 0; i + 1 < len; i += 2)
		s += (uint32_t)b[i] << 8 | b[i + 1];
	if (len & 1)
		s += (uint32_t)b[len - 1] << 8;
	while (s >> 16)
		s = (s & 0xffff) + (s >> 16);
	return (uint16_t)~s;
}

static const uint8_t VM_MAC[6] = { 0x02, 0x00, 0x5e, 0x00, 0x00, 0x01 };
static const uint8_t HOST_MAC[6] = { 0x52, 0x54, 0x00, 0x12, 0x34, 0x56 };

/*
 * An ICMP echo request from the host side of a TAP (192.168.100.2) to the
 * simulated node (192.168.100.1), as Linux ping sends it: DF, TTL 64, 56
 * bytes of data.
 */
static size_t
echo_request(uint8_t *f)
{
	size_t i;

	memcpy(f, VM_MAC, 6);
	memcpy(f + 6, HOST_MAC, 6);
	f[12] = 0x08;
	f[13] = 0x00;
	{
		static const uint8_t iph[20] = { 0x45, 0x00, 0x00, 0x54, 0x1c,
		    0x46, 0x40, 0x00, 0x40, 0x01, 0, 0, 192, 168, 100, 2,
		    192, 168, 100, 1 };

		memcpy(f + 14, iph, 20);
	}
	put_be16(f + 24, csum(f + 14, 20));
	f[34] = 8;			/* echo request */
	f[35] = 0;
	f[36] = f[37] = 0;
	put_be16(f + 38, 0x0b0c);	/* identifier */
	put_be16(f + 40, 1);		/* sequence */
	for (i = 0; i < 56; i++)
		f[42 + i] = (uint8_t)(0x10 + i);
	put_be16(f + 36, csum(f + 34, 64));
	return 98;
}

/* What the node must answer, byte for byte. */
static size_t
echo_reply(const uint8_t *req, uint8_t *f)
{
	memcpy(f, req, 98);
	memcpy(f, HOST_MAC, 6);
	memcpy(f + 6, VM_MAC, 6);
	put_be16(f + 18, 0);		/* the node's first IPv4 id */
	f[22] = 64;			/* its TTL */
	memcpy(f + 26, req + 30, 4);	/* addresses swapped */
	memcpy(f + 30, req + 26, 4);
	f[24] = f[25] = 0;
	put_be16(f + 24, csum(f + 14, 20));
	f[34] = 0;			/* echo reply */
	f[36] = f[37] = 0;
	put_be16(f + 36, csum(f + 34, 64));
	return 98;
}

struct tap {
	int n;
	bool take;
	sim_time at[4];
	uint32_t len[4];
	uint8_t frame[4][128];
};

static bool
tap_out(struct node *n, uint32_t ifindex, const struct pkt *frame, void *ctx)
{
	struct tap *tp = ctx;
	int i = tp->n++;
	uint32_t len = pkt_wire_len(frame), k;

	(void)ifindex;
	CU_ASSERT_FATAL(i < 4 && len <= 128);
	tp->at[i] = sim_now(net_sim(node_net(n)));
	tp->len[i] = len;
	for (k = 0; k < len; k++)	/* virtual bytes are zeros */
		tp->frame[i][k] = k < frame->len ? frame->data[k] : 0;
	return tp->take;
}

static uint32_t
le32(const uint8_t *b)
{
	return (uint32_t)b[0] | (uint32_t)b[1] << 8 | (uint32_t)b[2] << 16 |
	    (uint32_t)b[3] << 24;
}

static void
test_tap_echo_byte_exact(void)
{
	struct sim *sim = sim_new(1);
	struct net *net = net_new(sim);
	struct node *vm = net_add_node(net, "vm", "host", NULL, NULL);
	uint32_t tap0 = node_add_iface(vm, "tap0", VM_MAC, ip("192.168.100.1"),
	    24, 0);
	struct tap tp = { .take = true };
	uint8_t req[128], want[128];
	size_t len = echo_request(req);
	char path[] = "/tmp/xcsim-test-hooks-XXXXXX";
	char err[256], pcap[300];
	char *buf;
	size_t n;
	int fd;

	echo_reply(req, want);
	CU_ASSERT_EQUAL(node_iface_link(vm, tap0, NULL), NULL);
	node_iface_set_peer_mac(vm, tap0, HOST_MAC);
	node_iface_set_frame_out(vm, tap0, tap_out, &tp);
	fd = mkstemp(path);
	CU_ASSERT_FATAL(fd >= 0);
	close(fd);
	snprintf(pcap, sizeof(pcap), "%s.pcap", path);
	CU_ASSERT_EQUAL_FATAL(net_capture_iface(net, vm, tap0, pcap, err,
	    sizeof(err)), 0);

	CU_ASSERT_EQUAL(node_iface_inject(vm, 7, req, len), -1);
	CU_ASSERT_EQUAL(node_iface_inject(vm, tap0, req, 13), -1);
	sim_run_until(sim, SIM_MS(5));
	CU_ASSERT_EQUAL(node_iface_inject(vm, tap0, req, len), 0);
	/* delivered in an event, not re-entrantly */
	CU_ASSERT_EQUAL(tp.n, 0);
	sim_run(sim);
	CU_ASSERT_EQUAL_FATAL(tp.n, 1);
	CU_ASSERT_EQUAL(tp.at[0], SIM_MS(5));
	CU_ASSERT_EQUAL_FATAL(tp.len[0], 98);
	CU_ASSERT_EQUAL(memcmp(tp.frame[0], want, 98), 0);

	/* The capture holds the request and the reply, both at 5 ms. */
	CU_ASSERT_EQUAL_FATAL(net_close_captures(net, err, sizeof(err)), 0);
	buf = test_slurp(pcap, &n);
	CU_ASSERT_FATAL(buf != NULL);
	CU_ASSERT_EQUAL_FATAL(n, 24 + 2 * (16 + 98));
	CU_ASSERT_EQUAL(le32((uint8_t *)buf + 24 + 4), 5000000);  /* ns */
	CU_ASSERT_EQUAL(le32((uint8_t *)buf + 24 + 8), 98);
	CU_ASSERT_EQUAL(memcmp(buf + 24 + 16, req, 98), 0);
	CU_ASSERT_EQUAL(le32((uint8_t *)buf + 24 + 114 + 4), 5000000);
	CU_ASSERT_EQUAL(memcmp(buf + 24 + 114 + 16, want, 98), 0);
	free(buf);
	unlink(pcap);
	unlink(path);

	/* A hook that declines leaves a linkless interface no way out. */
	tp.take = false;
	CU_ASSERT_EQUAL(node_iface_inject(vm, tap0, req, len), 0);
	sim_run(sim);
	CU_ASSERT_EQUAL(tp.n, 2);
	CU_ASSERT_EQUAL(node_drops(vm)[DROP_LINK_DOWN], 1);
	/* nor does no hook at all */
	node_iface_set_frame_out(vm, tap0, NULL, NULL);
	CU_ASSERT_EQUAL(node_iface_inject(vm, tap0, req, len), 0);
	sim_run(sim);
	CU_ASSERT_EQUAL(tp.n, 2);
	CU_ASSERT_EQUAL(node_drops(vm)[DROP_LINK_DOWN], 2);
	/* frames still queued for injection are freed with the net */
	CU_ASSERT_EQUAL(node_iface_inject(vm, tap0, req, len), 0);
	net_free(net);
	CU_ASSERT_EQUAL(pkt_live(sim), 0);
	sim_free(sim);
}

/* Build a UDP frame to 10.0.1.2:dport as h0 would put it on link a. */
static size_t
udp_frame(struct line3 *t, uint16_t vlan, uint16_t dport, uint8_t *out)
{
	struct pkt *p = pkt_alloc(t->sim, 10);
	struct udp_hdr u = { .sport = 5000, .dport = dport };
	struct ipv4_hdr h;
	struct eth_hdr e;
	size_t len;

	memset(p->data, 0xab, 10);
	wire_push_udp(t->sim, p, &u, ip("10.0.0.1"), ip("10.0.1.2"));
	memset(&h, 0, sizeof(h));
	h.ttl = 64;
	h.proto = WIRE_IPPROTO_UDP;
	h.src = ip("10.0.0.1");
	h.dst = ip("10.0.1.2");
	wire_push_ipv4(t->sim, p, &h);
	memset(&e, 0, sizeof(e));
	e.type = WIRE_ETHERTYPE_IPV4;
	wire_push_eth(t->sim, p, &e);
	if (vlan) {
		struct vlan_tag tag = { .tpid = WIRE_ETHERTYPE_VLAN,
		    .vid = vlan };

		wire_push_vlan(t->sim, p, &tag);
	}
	len = p->len;
	memcpy(out, p->data, len);
	pkt_free(t->sim, p);
	return len;
}

static void
test_inject_takes_the_receive_path(void)
{
	struct line3 t;
	struct watch w = { 0 };
	struct nsg_rule rules[] = {
		{ 100, WIRE_IPPROTO_UDP, 22, false, "DenySsh", "" },
	};
	struct nsg g;
	struct arrivals at_h1 = { 0 };
	uint8_t f[128];
	size_t len;

	line3_build(&t, 100, false);
	nsg_init(&g, "r-in", rules, 1);
	node_iface_add_filter(t.r, 0, NODE_INGRESS, watch_filter, &w);
	node_iface_add_filter(t.r, 0, NODE_INGRESS, nsg_filter, &g);
	CU_ASSERT_EQUAL(node_bind_udp(t.h1, VRF_DEFAULT, 9, arrive_udp, NULL,
	    &at_h1), 0);
	sim_run_until(t.sim, SIM_US(3));
	/* untagged on a tagged interface: the VLAN check drops it */
	len = udp_frame(&t, 0, 9, f);
	CU_ASSERT_EQUAL(node_iface_inject(t.r, 0, f, len), 0);
	/* tagged, to a port the filter denies */
	len = udp_frame(&t, 100, 22, f);
	CU_ASSERT_EQUAL(node_iface_inject(t.r, 0, f, len), 0);
	/* tagged, allowed: forwarded to h1 */
	len = udp_frame(&t, 100, 9, f);
	CU_ASSERT_EQUAL(node_iface_inject(t.r, 0, f, len), 0);
	sim_run(t.sim);
	CU_ASSERT_EQUAL(node_drops(t.r)[DROP_VLAN], 1);
	CU_ASSERT_EQUAL(w.n, 2);
	CU_ASSERT_EQUAL(g.drops, 1);
	CU_ASSERT_EQUAL(node_drops(t.r)[DROP_FILTER], 1);
	CU_ASSERT_EQUAL_FATAL(at_h1.n, 1);
	/* untagged on link b: 10 + 8 + 20 + 14 = 52, padded to 60 */
	CU_ASSERT_EQUAL(at_h1.at[0], SIM_US(3) + 60 * 8 + SIM_MS(1));
	line3_free(&t);
}

/*
 * A frame with an MPLS label stack over IPv4 (sim/wire.h parses it) is
 * not for a plain node, which is no label-switching router: it is dropped
 * as malformed, as every non-IPv4 frame is, never routed by the IPv4
 * under its labels (an emulated host may send one through its TAP).
 */
static void
test_inject_labelled_frame_dropped(void)
{
	struct line3 t;
	struct arrivals at_h1 = { 0 };
	struct mpls_lse lse = { .label = 299792, .ttl = 64 };
	struct pkt *p;
	uint8_t f[128];
	size_t len;

	line3_build(&t, 100, false);
	CU_ASSERT_EQUAL(node_bind_udp(t.h1, VRF_DEFAULT, 9, arrive_udp, NULL,
	    &at_h1), 0);
	len = udp_frame(&t, 100, 9, f);
	p = pkt_alloc(t.sim, len);
	memcpy(p->data, f, len);
	CU_ASSERT_EQUAL_FATAL(wire_push_mpls(t.sim, p, &lse), 0);
	len = p->len;
	memcpy(f, p->data, len);
	pkt_free(t.sim, p);
	CU_ASSERT_EQUAL(node_iface_inject(t.r, 0, f, len), 0);
	/* the same frame without its label goes through */
	len = udp_frame(&t, 100, 9, f);
	CU_ASSERT_EQUAL(node_iface_inject(t.r, 0, f, len), 0);
	sim_run(t.sim);
	CU_ASSERT_EQUAL(node_drops(t.r)[DROP_MALFORMED], 1);
	CU_ASSERT_EQUAL(at_h1.n, 1);
	line3_free(&t);
}

/* The records of a pcap file: count, and each one's captured length. */
static int
pcap_records(const char *path, uint32_t *len, int max)
{
	size_t n, off = 24;
	char *buf = test_slurp(path, &n);
	int k = 0;

	CU_ASSERT_PTR_NOT_NULL_FATAL(buf);
	while (off + 16 <= n) {
		uint32_t incl = le32((uint8_t *)buf + off + 8);

		if (k < max)
			len[k] = incl;
		k++;
		off += 16 + incl;
	}
	CU_ASSERT_EQUAL(off, n);
	free(buf);
	return k;
}

struct taker {
	int n;
	bool take;
};

static bool
take_out(struct node *n, uint32_t ifindex, const struct pkt *frame,
    void *ctx)
{
	struct taker *tk = ctx;

	(void)n;
	(void)ifindex;
	(void)frame;
	tk->n++;
	return tk->take;
}

/*
 * Frames that cross the simulation's edge are captured once each, on the
 * interface they cross: an injected frame where it enters (then, forwarded,
 * where it leaves), a frame the frame-out hook takes where the hook took
 * it, and a frame the hook declines when it goes on the link. In the trace
 * an injected frame's hops are those of its uid on the links it crosses;
 * one the hook takes has no hop on the link it did not cross, and no drop.
 */
static void
test_hooked_frames_captured_once(void)
{
	struct line3 t;
	struct arrivals at_h1 = { 0 };
	struct taker tk = { 0, true };
	struct trace_reader *rd;
	struct trace_rec rec;
	char pc[3][300], err[256];
	uint32_t len[8];
	uint8_t f[128];
	size_t flen;
	int i, tx_a = 0, tx_b = 0, rx_h1 = 0, drops = 0;

	line3_build(&t, 0, true);
	for (i = 0; i < 3; i++) {
		snprintf(pc[i], sizeof(pc[i]), "%s.%d.pcap", t.path, i);
		CU_ASSERT_EQUAL_FATAL(net_capture_iface(t.net, i < 2 ? t.r :
		    t.h1, i < 2 ? (uint32_t)i : 0, pc[i], err, sizeof(err)), 0);
	}
	CU_ASSERT_EQUAL(node_bind_udp(t.h1, VRF_DEFAULT, 9, arrive_udp, NULL,
	    &at_h1), 0);
	/* 10 + 8 + 20 + 14 = 52 bytes injected; 60 once padded by r */
	flen = udp_frame(&t, 0, 9, f);
	CU_ASSERT_EQUAL(flen, 52);
	sim_run_until(t.sim, SIM_US(5));
	/* injected at r, forwarded to h1 over link b */
	CU_ASSERT_EQUAL(node_iface_inject(t.r, 0, f, flen), 0);
	sim_run(t.sim);
	CU_ASSERT_EQUAL(at_h1.n, 1);
	CU_ASSERT_EQUAL(at_h1.at[0], SIM_US(5) + 60 * 8 + SIM_MS(1));
	/* the hook takes the next one at r's way out */
	node_iface_set_frame_out(t.r, 1, take_out, &tk);
	CU_ASSERT_EQUAL(node_iface_inject(t.r, 0, f, flen), 0);
	sim_run(t.sim);
	CU_ASSERT_EQUAL(tk.n, 1);
	CU_ASSERT_EQUAL(at_h1.n, 1);
	CU_ASSERT_EQUAL(link_get_stats(t.b, 0)->tx_pkts, 1);
	/* and declines a frame h0 sends: it goes on link b as usual */
	tk.take = false;
	CU_ASSERT_EQUAL(send_l4(t.h0, ip("10.0.1.2"), WIRE_IPPROTO_UDP, 9, 0,
	    10), 0);
	sim_run(t.sim);
	CU_ASSERT_EQUAL(tk.n, 2);
	CU_ASSERT_EQUAL(at_h1.n, 2);
	CU_ASSERT_EQUAL(link_get_stats(t.b, 0)->tx_pkts, 2);

	CU_ASSERT_EQUAL_FATAL(net_close_captures(t.net, err, sizeof(err)), 0);
	/* r's eth0: the two injected frames as they came, then h0's, padded */
	CU_ASSERT_EQUAL(pcap_records(pc[0], len, 8), 3);
	CU_ASSERT_EQUAL(len[0], 52);
	CU_ASSERT_EQUAL(len[1], 52);
	CU_ASSERT_EQUAL(len[2], 60);
	/* r's eth1: forwarded, taken by the hook, declined: once each */
	CU_ASSERT_EQUAL(pcap_records(pc[1], len, 8), 3);
	CU_ASSERT_EQUAL(len[0], 60);
	CU_ASSERT_EQUAL(len[1], 60);
	CU_ASSERT_EQUAL(len[2], 60);
	/* h1: the two that crossed link b */
	CU_ASSERT_EQUAL(pcap_records(pc[2], len, 8), 2);
	for (i = 0; i < 3; i++)
		unlink(pc[i]);

	CU_ASSERT_EQUAL_FATAL(trace_close(t.tr, err, sizeof(err)), 0);
	t.tr = NULL;
	net_set_trace(t.net, NULL);
	rd = trace_reader_open(t.path, err, sizeof(err));
	CU_ASSERT_PTR_NOT_NULL_FATAL(rd);
	while (trace_reader_next(rd, &rec, err, sizeof(err)) == 1) {
		if (rec.type == TR_PKT_TX && rec.u.tx.link == link_id(t.a))
			tx_a++;
		if (rec.type == TR_PKT_TX && rec.u.tx.link == link_id(t.b))
			tx_b++;
		if (rec.type == TR_PKT_RX && rec.u.rx.node == node_id(t.h1))
			rx_h1++;
		drops += rec.type == TR_PKT_DROP;
	}
	trace_reader_close(rd);
	unlink(t.path);
	/* only h0's frame crossed link a; link b carried two of three */
	CU_ASSERT_EQUAL(tx_a, 1);
	CU_ASSERT_EQUAL(tx_b, 2);
	CU_ASSERT_EQUAL(rx_h1, 2);
	CU_ASSERT_EQUAL(drops, 0);
	line3_free(&t);
}

static const struct test_case cases[] = {
	{ "ingress filters run in order; an NSG drops with its rule", test_ingress_filters_in_order },
	{ "egress filters: refused local send, forwarded packet", test_egress_filters },
	{ "TAP: injected echo request, byte-exact reply via the hook", test_tap_echo_byte_exact },
	{ "injected frames take the receive path (VLAN, filters)", test_inject_takes_the_receive_path },
	{ "a labelled frame is dropped by a plain node", test_inject_labelled_frame_dropped },
	{ "hooked and injected frames are captured once each", test_hooked_frames_captured_once },
	{ NULL, NULL }
};

int
main(int argc, char **argv)
{
	return test_main(argc, argv, "hooks", cases);
}
