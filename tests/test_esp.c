/*
 * test_esp.c - ESP tunnel mode (models/ipsec/esp.h) on a hand-built net:
 *
 *   h0 --1G 1ms-- gwA ==wan 100M 10ms== gwB --1G 1ms-- h1
 *                 tun0 169.254.21.1/30 <-> tun0 169.254.21.2/30
 *
 * h0's 10.0.0.0/24 and h1's 10.0.1.0/24 reach each other only through the
 * tunnel interfaces (routes via the other end's APIPA address). Checked:
 * exact ping RTT through the tunnel, the outer packets' sizes (the inner
 * packet plus exactly the overhead of RFC 4303 with the algorithms'
 * sizes), the tunnel MTU (1438 for AES-CBC + HMAC-SHA1-96 over 1500) and
 * ICMP need-frag for a DF packet above it, post-fragmentation of the
 * outer packet without DF, anti-replay, a wrong key, an unknown SPI, a
 * rekey without loss, tshark's decoding, and the packet codec alone.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "apps.h"
#include "esp.h"
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

/* What gwB's wan interface receives (an ingress filter that accepts). */
#define SEEN_MAX 64
struct seen {
	int n;
	uint8_t proto[SEEN_MAX];
	uint16_t len[SEEN_MAX], frag[SEEN_MAX];
	uint8_t frame[SEEN_MAX][200];	/* the first bytes */
	uint32_t flen[SEEN_MAX];
};

static enum node_verdict
seen_filter(struct node *n, uint32_t ifindex, enum node_hook_dir dir,
    const struct pkt *frame, const struct wire_frame *f, const char **reason,
    void *ctx)
{
	struct seen *s = ctx;

	(void)n;
	(void)ifindex;
	(void)dir;
	(void)reason;
	if (s->n < SEEN_MAX) {
		s->proto[s->n] = f->ip.proto;
		s->len[s->n] = f->ip.total_len;
		s->frag[s->n] = f->ip.frag;
		s->flen[s->n] = frame->len < 200 ? frame->len : 200;
		memcpy(s->frame[s->n], frame->data, s->flen[s->n]);
		s->n++;
	}
	return NODE_ACCEPT;
}

struct vpn {
	struct sim *sim;
	struct net *net;
	struct trace *tr;
	char path[64];
	struct node *h0, *gwa, *gwb, *h1;
	uint32_t a_wan, b_wan, a_tun, b_tun, h0_if;
	struct esp_host *ea, *eb;
	struct esp_tunnel *ta, *tb;
	struct seen seen;
};

static const struct esp_sa_cfg sa_ab = { 0x200, ESP_ENCR_AES_CBC, 128,
	ESP_INTEG_HMAC_SHA1_96, 0x1234567890abcdefull };
static const struct esp_sa_cfg sa_ba = { 0x100, ESP_ENCR_AES_CBC, 128,
	ESP_INTEG_HMAC_SHA1_96, 0x1234567890abcdefull };

static void
vpn_build_opt(struct vpn *v, uint64_t key_b, bool udp)
{
	struct link_params lan = params(SIM_S(1), SIM_MS(1));
	struct link_params wan = params(100000000, SIM_MS(10));
	struct esp_tunnel_cfg tc;
	struct esp_sa_cfg in_b = sa_ab;
	char err[200];
	uint32_t i0, ia, ib, i1;
	int fd;

	memset(v, 0, sizeof(*v));
	v->sim = sim_new(1);
	v->net = net_new(v->sim);
	snprintf(v->path, sizeof(v->path), "/tmp/xcsim-esp-XXXXXX");
	fd = mkstemp(v->path);
	CU_ASSERT_FATAL(fd >= 0);
	close(fd);
	v->tr = trace_open(v->path, 0, err, sizeof(err));
	CU_ASSERT_PTR_NOT_NULL_FATAL(v->tr);
	net_set_trace(v->net, v->tr);
	v->h0 = net_add_node(v->net, "h0", "host", NULL, NULL);
	v->gwa = net_add_node(v->net, "gwA", "router", NULL, NULL);
	v->gwb = net_add_node(v->net, "gwB", "router", NULL, NULL);
	v->h1 = net_add_node(v->net, "h1", "host", NULL, NULL);
	i0 = v->h0_if = node_add_iface(v->h0, "eth0", NULL, ip("10.0.0.1"),
	    24, 0);
	ia = node_add_iface(v->gwa, "lan", NULL, ip("10.0.0.2"), 24, 0);
	v->a_wan = node_add_iface(v->gwa, "wan", NULL, ip("20.0.0.1"), 30, 0);
	v->a_tun = node_add_iface(v->gwa, "tun0", NULL, ip("169.254.21.1"),
	    30, 0);
	ib = node_add_iface(v->gwb, "lan", NULL, ip("10.0.1.1"), 24, 0);
	v->b_wan = node_add_iface(v->gwb, "wan", NULL, ip("20.0.0.2"), 30, 0);
	v->b_tun = node_add_iface(v->gwb, "tun0", NULL, ip("169.254.21.2"),
	    30, 0);
	i1 = node_add_iface(v->h1, "eth0", NULL, ip("10.0.1.2"), 24, 0);
	net_add_link(v->net, "la", v->h0, i0, v->gwa, ia, &lan);
	net_add_link(v->net, "wan", v->gwa, v->a_wan, v->gwb, v->b_wan, &wan);
	net_add_link(v->net, "lb", v->gwb, ib, v->h1, i1, &lan);
	CU_ASSERT_EQUAL(node_add_route(v->h0, 0, 0, 0, ip("10.0.0.2"),
	    IFACE_NONE, err, sizeof(err)), 0);
	CU_ASSERT_EQUAL(node_add_route(v->h1, 0, 0, 0, ip("10.0.1.1"),
	    IFACE_NONE, err, sizeof(err)), 0);
	CU_ASSERT_EQUAL(node_add_route(v->gwa, 0, ip("10.0.1.0"), 24,
	    ip("169.254.21.2"), IFACE_NONE, err, sizeof(err)), 0);
	CU_ASSERT_EQUAL(node_add_route(v->gwb, 0, ip("10.0.0.0"), 24,
	    ip("169.254.21.1"), IFACE_NONE, err, sizeof(err)), 0);

	v->ea = esp_host_new(v->gwa);
	v->eb = esp_host_new(v->gwb);
	CU_ASSERT_PTR_NOT_NULL_FATAL(v->ea);
	CU_ASSERT_PTR_NOT_NULL_FATAL(v->eb);
	CU_ASSERT_PTR_NULL(esp_host_new(v->gwa));	/* 50 is taken */
	tc = (struct esp_tunnel_cfg){ v->a_tun, 0, ip("20.0.0.1"),
	    ip("20.0.0.2"), 0, udp };
	v->ta = esp_tunnel_new(v->ea, &tc, err, sizeof(err));
	CU_ASSERT_PTR_NOT_NULL_FATAL(v->ta);
	tc = (struct esp_tunnel_cfg){ v->b_tun, 0, ip("20.0.0.2"),
	    ip("20.0.0.1"), 0, udp };
	v->tb = esp_tunnel_new(v->eb, &tc, err, sizeof(err));
	CU_ASSERT_PTR_NOT_NULL_FATAL(v->tb);
	/* a tunnel needs a linkless interface, once */
	tc.ifindex = v->b_wan;
	CU_ASSERT_PTR_NULL(esp_tunnel_new(v->eb, &tc, err, sizeof(err)));
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "has a link"));
	tc.ifindex = v->b_tun;
	CU_ASSERT_PTR_NULL(esp_tunnel_new(v->eb, &tc, err, sizeof(err)));
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "is a tunnel already"));

	CU_ASSERT_EQUAL(esp_tunnel_install(v->ta, &sa_ba, &sa_ab, err,
	    sizeof(err)), 0);
	in_b.key = key_b;
	CU_ASSERT_EQUAL(esp_tunnel_install(v->tb, &in_b, &sa_ba, err,
	    sizeof(err)), 0);
	node_iface_add_filter(v->gwb, v->b_wan, NODE_INGRESS, seen_filter,
	    &v->seen);
	if (udp) {
		CU_ASSERT_EQUAL(esp_host_bind_udp(v->ea, 0), 0);
		CU_ASSERT_EQUAL(esp_host_bind_udp(v->eb, 0), 0);
		CU_ASSERT_EQUAL(esp_host_bind_udp(v->eb, 0), -1);
	}
}

static void
vpn_build(struct vpn *v, uint64_t key_b)
{
	vpn_build_opt(v, key_b, false);
}

/* Drop records "node reason detail\n" of the trace, in order. */
static void
vpn_drops(struct vpn *v, char *out, size_t outlen)
{
	struct trace_reader *rd;
	struct trace_rec rec;
	char err[256];
	size_t used = 0;
	int rc;

	out[0] = '\0';
	CU_ASSERT_EQUAL_FATAL(trace_close(v->tr, err, sizeof(err)), 0);
	v->tr = NULL;
	net_set_trace(v->net, NULL);
	rd = trace_reader_open(v->path, err, sizeof(err));
	CU_ASSERT_PTR_NOT_NULL_FATAL(rd);
	while ((rc = trace_reader_next(rd, &rec, err, sizeof(err))) == 1) {
		if (rec.type != TR_PKT_DROP)
			continue;
		used += (size_t)snprintf(out + used, outlen - used,
		    "%u %s %u %s\n", rec.u.drop.node,
		    trace_drop_name[rec.u.drop.reason], rec.u.drop.len,
		    rec.u.drop.detail ? rec.u.drop.detail : "-");
		CU_ASSERT_FATAL(used < outlen);
	}
	CU_ASSERT_EQUAL(rc, 0);
	trace_reader_close(rd);
	unlink(v->path);
}

static void
vpn_free(struct vpn *v)
{
	if (v->tr != NULL) {
		trace_abort(v->tr);
		unlink(v->path);
	}
	esp_host_free(v->ea);
	esp_host_free(v->eb);
	net_free(v->net);
	CU_ASSERT_EQUAL(pkt_live(v->sim), 0);
	sim_free(v->sim);
}

static struct app *
ping(struct vpn *v, uint32_t size, bool df, uint32_t count,
    sim_time interval)
{
	struct ping_cfg pc = { .dst = ip("10.0.1.2"), .start = 0,
	    .interval = interval, .timeout = SIM_S(1), .count = count,
	    .size = size, .ttl = 64, .df = df, .ident = 7 };
	struct app *a = ping_new(v->h0, "p", &pc);

	app_start(a);
	return a;
}

/*
 * Sizes: AES-CBC-128 + HMAC-SHA1-96 over 1500; the worked values of facts
 * 4.4 (58..73 bytes over the inner packet) and the well-known 1438.
 */
static void
test_sizes(void)
{
	struct esp_algo a;
	char err[128];

	CU_ASSERT_EQUAL_FATAL(esp_algo(ESP_ENCR_AES_CBC, 128,
	    ESP_INTEG_HMAC_SHA1_96, &a, err, sizeof(err)), 0);
	CU_ASSERT_EQUAL(a.iv_len, 16);
	CU_ASSERT_EQUAL(a.block, 16);
	CU_ASSERT_EQUAL(a.icv_len, 12);
	/* 84 + 2 -> 96: pad 10; 20 + 8 + 16 + 10 + 2 + 12 = 68 */
	CU_ASSERT_EQUAL(esp_overhead(&a, 84), 68);
	CU_ASSERT_EQUAL(esp_overhead(&a, 94), 58);	/* pad 0: the least */
	CU_ASSERT_EQUAL(esp_overhead(&a, 95), 73);	/* pad 15: the most */
	CU_ASSERT_EQUAL(esp_inner_mtu(&a, 1500), 1438);
	/* 1438 + 2 fills 90 blocks: 56 + 1440 = 1496 */
	CU_ASSERT_EQUAL(1438 + esp_overhead(&a, 1438), 1496);
	CU_ASSERT(1439 + esp_overhead(&a, 1439) > 1500);
	CU_ASSERT_EQUAL_FATAL(esp_algo(ESP_ENCR_AES_GCM_16, 256,
	    ESP_INTEG_NONE, &a, err, sizeof(err)), 0);
	CU_ASSERT_EQUAL(a.iv_len, 8);
	CU_ASSERT_EQUAL(a.block, 4);
	CU_ASSERT_EQUAL(a.icv_len, 16);
	/* 84 + 2 -> 88: 20 + 8 + 8 + 2 + 2 + 16 = 56 */
	CU_ASSERT_EQUAL(esp_overhead(&a, 84), 56);
	CU_ASSERT_EQUAL(esp_inner_mtu(&a, 1500), 1446);
	CU_ASSERT_EQUAL_FATAL(esp_algo(ESP_ENCR_AES_CBC, 256,
	    ESP_INTEG_HMAC_SHA2_256_128, &a, err, sizeof(err)), 0);
	CU_ASSERT_EQUAL(a.icv_len, 16);
	CU_ASSERT_EQUAL(esp_inner_mtu(&a, 1500), 1438);	/* 60 + 1440 */
	CU_ASSERT_EQUAL(esp_inner_mtu(&a, 1400), 1326);
	CU_ASSERT_EQUAL(esp_algo(ESP_ENCR_AES_GCM_16, 128,
	    ESP_INTEG_HMAC_SHA1_96, &a, err, sizeof(err)), -1);
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "combined mode"));
	CU_ASSERT_EQUAL(esp_algo(ESP_ENCR_AES_CBC, 128, ESP_INTEG_NONE, &a,
	    err, sizeof(err)), -1);
	CU_ASSERT_EQUAL(esp_algo(ESP_ENCR_AES_CBC, 100,
	    ESP_INTEG_HMAC_SHA1_96, &a, err, sizeof(err)), -1);
}

/* The codec alone: round trip, window, wrong key, a flipped bit. */
static void
test_codec(void)
{
	struct esp_algo a;
	struct esp_sa_cfg bad = sa_ab;
	struct esp_replay w = { 0, 0 }, w2 = { 0, 0 };
	uint8_t inner[60], pkt[200], copy[200];
	uint32_t len, off, ilen, i;
	const char *why = NULL;
	char err[64];

	CU_ASSERT_EQUAL_FATAL(esp_algo(sa_ab.encr, sa_ab.keylen, sa_ab.integ,
	    &a, err, sizeof(err)), 0);
	memset(inner, 0, sizeof(inner));
	inner[0] = 0x45;
	put_be16(inner + 2, 60);
	for (i = 20; i < 40; i++)
		inner[i] = (uint8_t)i;
	len = esp_overhead(&a, 60) - 20 + 60;
	CU_ASSERT_EQUAL(len, 8 + 16 + 64 + 12);
	esp_encap(&sa_ab, &a, 5, inner, 40, 60, pkt);	/* 20 zeros after */
	CU_ASSERT_EQUAL(get_be32(pkt), 0x200);
	CU_ASSERT_EQUAL(get_be32(pkt + 4), 5);
	/* the payload does not show through */
	CU_ASSERT_NOT_EQUAL(memcmp(pkt + 24, inner, 20), 0);
	memcpy(copy, pkt, len);
	bad.key ^= 1;
	CU_ASSERT_EQUAL(esp_decap(&bad, &a, &w2, copy, len, &off, &ilen,
	    &why), ESP_ICV);
	CU_ASSERT_STRING_EQUAL(why, "ICV mismatch (wrong key?)");
	copy[30] ^= 0x10;
	CU_ASSERT_EQUAL(esp_decap(&sa_ab, &a, &w2, copy, len, &off, &ilen,
	    &why), ESP_ICV);
	CU_ASSERT_EQUAL(w2.top, 0);
	CU_ASSERT_EQUAL(esp_decap(&sa_ab, &a, &w, pkt, len, &off, &ilen,
	    &why), ESP_OK);
	CU_ASSERT_EQUAL(off, 24);
	CU_ASSERT_EQUAL(ilen, 60);
	CU_ASSERT_EQUAL(memcmp(pkt + off, inner, 60), 0);
	CU_ASSERT_EQUAL(w.top, 5);
	CU_ASSERT_EQUAL(w.bits, 1);
	/* the same packet again: replayed */
	esp_encap(&sa_ab, &a, 5, inner, 60, 60, pkt);
	CU_ASSERT_EQUAL(esp_decap(&sa_ab, &a, &w, pkt, len, &off, &ilen,
	    &why), ESP_REPLAY);
	CU_ASSERT_STRING_EQUAL(why, "replayed sequence");
	/* 3 (inside the window, late) passes; 70 moves it; 6 is too old */
	esp_encap(&sa_ab, &a, 3, inner, 60, 60, pkt);
	CU_ASSERT_EQUAL(esp_decap(&sa_ab, &a, &w, pkt, len, &off, &ilen,
	    &why), ESP_OK);
	CU_ASSERT_EQUAL(w.bits, 0x5);
	esp_encap(&sa_ab, &a, 70, inner, 60, 60, pkt);
	CU_ASSERT_EQUAL(esp_decap(&sa_ab, &a, &w, pkt, len, &off, &ilen,
	    &why), ESP_OK);
	CU_ASSERT_EQUAL(w.top, 70);
	esp_encap(&sa_ab, &a, 6, inner, 60, 60, pkt);
	CU_ASSERT_EQUAL(esp_decap(&sa_ab, &a, &w, pkt, len, &off, &ilen,
	    &why), ESP_REPLAY);
	CU_ASSERT_STRING_EQUAL(why, "sequence left of the anti-replay window");
	esp_encap(&sa_ab, &a, 7, inner, 60, 60, pkt);	/* 70 - 63 */
	CU_ASSERT_EQUAL(esp_decap(&sa_ab, &a, &w, pkt, len, &off, &ilen,
	    &why), ESP_OK);
	/* cut short of a block */
	esp_encap(&sa_ab, &a, 71, inner, 60, 60, pkt);
	CU_ASSERT_EQUAL(esp_decap(&sa_ab, &a, &w, pkt, len - 1, &off, &ilen,
	    &why), ESP_MALFORMED);
}

/*
 * Ping through the tunnel: 98-byte frames on the LANs (784 ns at 1 Gbit/s),
 * ESP packets of 84 + 68 = 152 bytes (166-byte frames, 13,280 ns at 100
 * Mbit/s) on the wan: RTT = 2 x (1 ms + 784 + 10 ms + 13,280 + 1 ms + 784).
 */
static void
test_ping_rtt_overhead(void)
{
	struct vpn v;
	struct app *a;
	const struct esp_stats *st;
	char drops[512];
	size_t i;
	int k;

	vpn_build(&v, sa_ab.key);
	a = ping(&v, 56, false, 3, SIM_S(1));
	sim_run_until(v.sim, SIM_S(5));
	CU_ASSERT_EQUAL_FATAL(ping_n_probes(a), 3);
	for (i = 0; i < 3; i++) {
		CU_ASSERT_EQUAL(ping_probe(a, i)->result, PROBE_REPLY);
		CU_ASSERT_EQUAL(ping_probe(a, i)->rtt, 2 * (SIM_MS(12) + 784 +
		    13280 + 784));
	}
	/* gwB's wan saw 3 requests, each ESP of exactly 84 + 68 bytes */
	CU_ASSERT_EQUAL(v.seen.n, 3);
	for (k = 0; k < v.seen.n; k++) {
		CU_ASSERT_EQUAL(v.seen.proto[k], ESP_IPPROTO);
		CU_ASSERT_EQUAL(v.seen.len[k], 152);
		CU_ASSERT_EQUAL(get_be32(v.seen.frame[k] + 34), 0x200);
		CU_ASSERT_EQUAL(get_be32(v.seen.frame[k] + 38),
		    (uint32_t)k + 1);
	}
	st = esp_tunnel_stats(v.ta);
	CU_ASSERT_EQUAL(st->tx_pkts, 3);
	CU_ASSERT_EQUAL(st->tx_bytes, 3 * 152);
	CU_ASSERT_EQUAL(st->tx_inner_bytes, 3 * 84);
	CU_ASSERT_EQUAL(st->rx_pkts, 3);
	CU_ASSERT_EQUAL(esp_tunnel_stats(v.tb)->rx_pkts, 3);
	CU_ASSERT_EQUAL(esp_tunnel_mtu(v.ta), 1438);
	app_free(a);
	vpn_drops(&v, drops, sizeof(drops));
	CU_ASSERT_STRING_EQUAL(drops, "");
	vpn_free(&v);
}

/* gwB has another key for gwA's SA: every request dies at its ICV. */
static void
test_wrong_key(void)
{
	struct vpn v;
	struct app *a;
	char drops[512];

	vpn_build(&v, sa_ab.key ^ 0x10);
	a = ping(&v, 56, false, 2, SIM_S(1));
	sim_run_until(v.sim, SIM_S(4));
	CU_ASSERT_EQUAL(ping_probe(a, 0)->result, PROBE_TIMEOUT);
	CU_ASSERT_EQUAL(ping_probe(a, 1)->result, PROBE_TIMEOUT);
	CU_ASSERT_EQUAL(esp_tunnel_stats(v.tb)->rx_icv, 2);
	CU_ASSERT_EQUAL(esp_tunnel_stats(v.tb)->rx_pkts, 0);
	app_free(a);
	vpn_drops(&v, drops, sizeof(drops));
	/* node 2 = gwB; the length is the outer datagram's */
	CU_ASSERT_STRING_EQUAL(drops,
	    "2 malformed 152 esp: SPI 0x00000200 sequence 1: ICV mismatch "
	    "(wrong key?)\n"
	    "2 malformed 152 esp: SPI 0x00000200 sequence 2: ICV mismatch "
	    "(wrong key?)\n");
	vpn_free(&v);
}

struct replay_ev {
	struct vpn *v;
	int k;
};

/* The wan frame k gwB received, once more, as if an attacker sent it. */
static void
replay_fire(struct sim *sim, void *ctx)
{
	struct replay_ev *r = ctx;

	(void)sim;
	CU_ASSERT_FATAL(r->k < r->v->seen.n);
	CU_ASSERT_EQUAL(node_iface_inject(r->v->gwb, r->v->b_wan,
	    r->v->seen.frame[r->k], r->v->seen.flen[r->k]), 0);
}

static void
test_replay(void)
{
	struct vpn v;
	struct app *a;
	struct replay_ev r;
	char drops[512];

	vpn_build(&v, sa_ab.key);
	r = (struct replay_ev){ &v, 0 };
	a = ping(&v, 56, false, 2, SIM_S(1));
	sim_schedule(v.sim, SIM_MS(500), replay_fire, &r);
	sim_run_until(v.sim, SIM_S(4));
	CU_ASSERT_EQUAL(ping_probe(a, 0)->result, PROBE_REPLY);
	CU_ASSERT_EQUAL(ping_probe(a, 1)->result, PROBE_REPLY);
	CU_ASSERT_EQUAL(esp_tunnel_stats(v.tb)->rx_replay, 1);
	CU_ASSERT_EQUAL(esp_tunnel_stats(v.tb)->rx_pkts, 2);
	app_free(a);
	vpn_drops(&v, drops, sizeof(drops));
	CU_ASSERT_STRING_EQUAL(drops, "2 filter 152 esp: SPI 0x00000200 "
	    "sequence 1: replayed sequence\n");
	vpn_free(&v);
}

/* What h0 hears of ICMP need-frag: the MTU the router gave. */
struct needfrag {
	int n;
	uint32_t mtu, from;
};

static bool
needfrag_listen(struct node *n, struct pkt *p, const struct wire_frame *f,
    void *ctx)
{
	struct needfrag *nf = ctx;

	(void)n;
	(void)p;
	if (f->has_icmp && f->icmp.type == WIRE_ICMP_UNREACH &&
	    f->icmp.code == WIRE_ICMP_UNREACH_NEEDFRAG) {
		nf->n++;
		nf->mtu = f->icmp.rest & 0xffff;
		nf->from = f->ip.src;
	}
	return false;
}

/*
 * DF: a 1438-byte packet (size 1410) crosses, 1439 gets need-frag with
 * the tunnel MTU from gwA. Without DF, 1500 bytes are encapsulated whole:
 * 1500 + 2 -> 1504, 20 + 8 + 16 + 1504 + 12 = 1560 outer bytes, sent as
 * fragments of 1500 and 80 bytes on the wan, reassembled at gwB.
 */
static void
test_df_and_fragments(void)
{
	struct vpn v;
	struct needfrag nf = { 0, 0, 0 };
	struct app *a, *b, *c;
	char drops[512];
	struct ping_cfg pc = { .dst = 0, .start = SIM_S(1), .interval = SIM_S(1),
	    .timeout = SIM_S(1), .count = 1, .size = 1411, .ttl = 64,
	    .df = true, .ident = 8 };

	vpn_build(&v, sa_ab.key);
	node_add_icmp_listener(v.h0, needfrag_listen, &nf);
	a = ping(&v, 1410, true, 1, SIM_S(1));
	pc.dst = ip("10.0.1.2");
	b = ping_new(v.h0, "big", &pc);
	app_start(b);
	pc.start = SIM_S(2);
	pc.size = 1472;
	pc.df = false;
	pc.ident = 9;
	c = ping_new(v.h0, "frag", &pc);
	app_start(c);
	sim_run_until(v.sim, SIM_S(4));
	CU_ASSERT_EQUAL(ping_probe(a, 0)->result, PROBE_REPLY);
	CU_ASSERT_EQUAL(ping_probe(b, 0)->result, PROBE_UNREACHABLE);
	CU_ASSERT_EQUAL(ping_probe(b, 0)->icmp_code,
	    WIRE_ICMP_UNREACH_NEEDFRAG);
	CU_ASSERT_EQUAL(nf.n, 1);
	CU_ASSERT_EQUAL(nf.mtu, 1438);
	CU_ASSERT_EQUAL(nf.from, ip("10.0.0.2"));
	CU_ASSERT_EQUAL(ping_probe(c, 0)->result, PROBE_REPLY);
	/* wan at gwB: 1 whole (1438 + 58 = 1496), then 2 fragments */
	CU_ASSERT_EQUAL_FATAL(v.seen.n, 3);
	CU_ASSERT_EQUAL(v.seen.len[0], 1496);
	CU_ASSERT_EQUAL(v.seen.frag[0], 0);
	CU_ASSERT_EQUAL(v.seen.len[1], 1500);
	CU_ASSERT_EQUAL(v.seen.frag[1], 0x2000);	/* MF, offset 0 */
	CU_ASSERT_EQUAL(v.seen.len[2], 80);
	CU_ASSERT_EQUAL(v.seen.frag[2], 1480 / 8);
	CU_ASSERT_EQUAL(v.seen.proto[2], ESP_IPPROTO);
	app_free(a);
	app_free(b);
	app_free(c);
	vpn_drops(&v, drops, sizeof(drops));
	/* node 1 = gwA refuses the DF packet */
	CU_ASSERT_STRING_EQUAL(drops, "1 mtu 1439 -\n");
	vpn_free(&v);
}

struct rekey_ev {
	struct vpn *v;
	int step;
};

/* New pair at 1 s (gwB first, as an IKE responder), the old gone at 2 s. */
static void
rekey_fire(struct sim *sim, void *ctx)
{
	struct rekey_ev *r = ctx;
	struct esp_sa_cfg ab = sa_ab, ba = sa_ba;
	char err[128];

	(void)sim;
	ab.spi = 0x201;
	ab.key = 77;
	ba.spi = 0x101;
	ba.key = 78;
	if (r->step++ == 0) {
		CU_ASSERT_EQUAL(esp_tunnel_install(r->v->tb, &ab, &ba, err,
		    sizeof(err)), 0);
		CU_ASSERT_EQUAL(esp_tunnel_install(r->v->ta, &ba, &ab, err,
		    sizeof(err)), 0);
		/* an inbound SPI is one SA's */
		CU_ASSERT_EQUAL(esp_tunnel_install(r->v->ta, &ba, &ab, err,
		    sizeof(err)), -1);
		return;
	}
	esp_tunnel_remove(r->v->ta, sa_ba.spi, sa_ab.spi);
	esp_tunnel_remove(r->v->tb, sa_ab.spi, sa_ba.spi);
}

static void
test_rekey_no_loss(void)
{
	struct vpn v;
	struct rekey_ev r;
	struct app *a;
	char drops[512];
	size_t i;

	vpn_build(&v, sa_ab.key);
	r = (struct rekey_ev){ &v, 0 };
	/* every 3 ms: some are in flight at each switch */
	a = ping(&v, 56, false, 1000, SIM_MS(3));
	sim_schedule(v.sim, SIM_S(1) + SIM_US(500), rekey_fire, &r);
	sim_schedule(v.sim, SIM_S(2), rekey_fire, &r);
	sim_run_until(v.sim, SIM_S(4));
	CU_ASSERT_EQUAL_FATAL(ping_n_probes(a), 1000);
	for (i = 0; i < 1000; i++)
		if (ping_probe(a, i)->result != PROBE_REPLY) {
			CU_FAIL("a probe was lost in the rekey");
			break;
		}
	CU_ASSERT_EQUAL(esp_tunnel_stats(v.ta)->spi_out, 0x201);
	CU_ASSERT_EQUAL(esp_tunnel_stats(v.ta)->installs, 2);
	CU_ASSERT_EQUAL(esp_tunnel_stats(v.ta)->removes, 1);
	app_free(a);
	vpn_drops(&v, drops, sizeof(drops));
	CU_ASSERT_STRING_EQUAL(drops, "");
	vpn_free(&v);
}

/* gwB forgets its SAs: gwA's packets find no SA, gwB's tunnel is down. */
static void
test_unknown_spi_and_down(void)
{
	struct vpn v;
	struct app *a, *b;
	struct ping_cfg pc = { .dst = 0, .start = SIM_S(1),
	    .interval = SIM_S(1), .timeout = SIM_S(1), .count = 1,
	    .size = 56, .ttl = 64, .df = false, .ident = 3 };
	char drops[512];

	vpn_build(&v, sa_ab.key);
	esp_tunnel_remove(v.tb, sa_ab.spi, sa_ba.spi);
	CU_ASSERT(!esp_tunnel_up(v.tb));
	a = ping(&v, 56, false, 1, SIM_S(1));
	pc.dst = ip("10.0.0.1");
	b = ping_new(v.h1, "back", &pc);
	app_start(b);
	sim_run_until(v.sim, SIM_S(3));
	CU_ASSERT_EQUAL(ping_probe(a, 0)->result, PROBE_TIMEOUT);
	CU_ASSERT_EQUAL(ping_probe(b, 0)->result, PROBE_TIMEOUT);
	CU_ASSERT_EQUAL(esp_host_unknown_spi(v.eb), 1);
	CU_ASSERT_EQUAL(esp_tunnel_stats(v.tb)->tx_down, 1);
	app_free(a);
	app_free(b);
	vpn_drops(&v, drops, sizeof(drops));
	/* gwB: no SA for gwA's packet; its own tunnel down for h1's */
	CU_ASSERT_STRING_EQUAL(drops,
	    "2 no_listener 152 esp: no SA for SPI 0x00000200\n"
	    "2 link_down 84 -\n");
	vpn_free(&v);
}

/*
 * The route to the far end's outer address leads into the tunnel itself
 * (as when BGP over the tunnel learns it): the ESP packet would enter the
 * tunnel again, which refuses it (link_down) instead of recursing.
 */
static void
test_recursive_route(void)
{
	struct vpn v;
	struct app *a;
	char drops[512], err[128];

	vpn_build(&v, sa_ab.key);
	CU_ASSERT_EQUAL(node_add_route(v.gwa, 0, ip("20.0.0.2"), 32,
	    ip("169.254.21.2"), IFACE_NONE, err, sizeof(err)), 0);
	a = ping(&v, 56, false, 1, SIM_S(1));
	sim_run_until(v.sim, SIM_S(2));
	CU_ASSERT_EQUAL(ping_probe(a, 0)->result, PROBE_TIMEOUT);
	CU_ASSERT_EQUAL(esp_tunnel_stats(v.ta)->tx_pkts, 1);
	CU_ASSERT_EQUAL(esp_tunnel_stats(v.ta)->tx_down, 1);
	CU_ASSERT_EQUAL(v.seen.n, 0);
	app_free(a);
	vpn_drops(&v, drops, sizeof(drops));
	CU_ASSERT_STRING_EQUAL(drops, "1 link_down 152 -\n");
	vpn_free(&v);
}

/*
 * NAT-T (RFC 3948): ESP in UDP 4500 -> 4500, 8 bytes more: 160-byte
 * packets, 174-byte frames (13,920 ns at 100 Mbit/s); the tunnel MTU 8
 * bytes less (1436 - 12 ... 1424 = 89 blocks: 1422). A datagram with the
 * non-ESP marker (IKE's) finds no SA 0, as on a node without IKE.
 */
static void
test_nat_t(void)
{
	struct vpn v;
	struct app *a;
	char drops[512];
	struct pkt *p;
	struct udp_hdr u = { .sport = 4500, .dport = 4500 };

	char *dir = test_tmpdir("/tmp/xcsim_espnat_XXXXXX"), path[300];
	char out[2048], err[256];

	CU_ASSERT_PTR_NOT_NULL_FATAL(dir);
	snprintf(path, sizeof(path), "%s/wan.pcap", dir);
	vpn_build_opt(&v, sa_ab.key, true);
	CU_ASSERT_EQUAL_FATAL(net_capture_iface(v.net, v.gwa, v.a_wan, path,
	    err, sizeof(err)), 0);
	CU_ASSERT_EQUAL(esp_tunnel_mtu(v.ta), 1422);
	a = ping(&v, 56, false, 2, SIM_S(1));
	sim_run_until(v.sim, SIM_S(3));
	CU_ASSERT_EQUAL(ping_probe(a, 0)->result, PROBE_REPLY);
	CU_ASSERT_EQUAL(ping_probe(a, 0)->rtt, 2 * (SIM_MS(12) + 784 +
	    13920 + 784));
	CU_ASSERT_EQUAL_FATAL(v.seen.n, 2);
	CU_ASSERT_EQUAL(v.seen.proto[0], WIRE_IPPROTO_UDP);
	CU_ASSERT_EQUAL(v.seen.len[0], 160);
	CU_ASSERT_EQUAL(get_be16(v.seen.frame[0] + 36), 4500);	/* dport */
	CU_ASSERT_EQUAL(get_be32(v.seen.frame[0] + 42), 0x200);	/* SPI */
	CU_ASSERT_EQUAL(esp_tunnel_stats(v.ta)->tx_bytes, 2 * 160);
	p = pkt_alloc(v.sim, 12);
	memset(p->data, 0, 12);
	wire_push_udp(v.sim, p, &u, ip("20.0.0.1"), ip("20.0.0.2"));
	node_send_ip(v.gwa, 0, p, ip("20.0.0.1"), ip("20.0.0.2"),
	    WIRE_IPPROTO_UDP, 64, 0);
	sim_run_until(v.sim, SIM_S(4));
	app_free(a);
	CU_ASSERT_EQUAL_FATAL(net_close_captures(v.net, err, sizeof(err)), 0);
	vpn_drops(&v, drops, sizeof(drops));
	CU_ASSERT_STRING_EQUAL(drops,
	    "2 no_listener 40 esp: no SA for SPI 0x00000000\n");
	vpn_free(&v);
	if (test_sh(NULL, 0, "command -v tshark") != 0) {
		CU_FAIL("tshark is not on PATH (apt-get install tshark)");
		return;
	}
	/* tshark takes UDP 4500 as UDP-encapsulated ESP */
	CU_ASSERT_EQUAL(test_sh(out, sizeof(out), "(tshark -r '%s' -T fields "
	    "-Y esp -e ip.len -e udp.dstport -e esp.spi -e esp.sequence "
	    "2>/dev/null)", path), 0);
	CU_ASSERT_STRING_EQUAL(out, "160\t4500\t0x00000200\t1\n"
	    "160\t4500\t0x00000100\t1\n"
	    "160\t4500\t0x00000200\t2\n"
	    "160\t4500\t0x00000100\t2\n");
	CU_ASSERT_EQUAL(test_sh(out, sizeof(out), "tshark -r '%s' -q -z "
	    "expert -o udp.check_checksum:TRUE", path), 0);
	CU_ASSERT_PTR_NULL(strstr(out, "Malformed"));
	CU_ASSERT_PTR_NULL(strstr(out, "Error"));
	CU_ASSERT_PTR_NULL(strstr(out, "hecksum"));
}

/*
 * tshark reads the wan capture as ESP (SPI, sequence) in IPv4, the
 * fragmented one reassembled, with no malformed packet or expert error.
 */
static void
test_tshark_esp(void)
{
	struct vpn v;
	struct app *a;
	char *dir, path[300], out[4096], err[256];
	struct ping_cfg pc = { .dst = 0, .start = SIM_S(2),
	    .interval = SIM_S(1), .timeout = SIM_S(1), .count = 1,
	    .size = 1472, .ttl = 64, .df = false, .ident = 9 };
	struct app *b;
	int st;

	if (test_sh(NULL, 0, "command -v tshark") != 0) {
		CU_FAIL("tshark is not on PATH (apt-get install tshark)");
		return;
	}
	dir = test_tmpdir("/tmp/xcsim_esp_XXXXXX");
	CU_ASSERT_PTR_NOT_NULL_FATAL(dir);
	snprintf(path, sizeof(path), "%s/wan.pcap", dir);
	vpn_build(&v, sa_ab.key);
	CU_ASSERT_EQUAL_FATAL(net_capture_iface(v.net, v.gwa, v.a_wan, path,
	    err, sizeof(err)), 0);
	a = ping(&v, 56, false, 1, SIM_S(1));
	pc.dst = ip("10.0.1.2");
	b = ping_new(v.h0, "frag", &pc);
	app_start(b);
	sim_run_until(v.sim, SIM_S(4));
	CU_ASSERT_EQUAL(ping_probe(b, 0)->result, PROBE_REPLY);
	app_free(a);
	app_free(b);
	CU_ASSERT_EQUAL_FATAL(net_close_captures(v.net, err, sizeof(err)), 0);
	st = test_sh(out, sizeof(out), "(tshark -r '%s' -T fields "
	    "-E 'separator=;' -Y esp -e ip.len -e esp.spi -e esp.sequence "
	    "-o ip.check_checksum:TRUE 2>/dev/null)", path);
	CU_ASSERT_EQUAL(st, 0);
	/* requests then replies; the 1560-byte one shown at its last part */
	CU_ASSERT_STRING_EQUAL(out,
	    "152;0x00000200;1\n"
	    "152;0x00000100;1\n"
	    "80;0x00000200;2\n"
	    "80;0x00000100;2\n");
	st = test_sh(out, sizeof(out), "tshark -r '%s' -q -z expert "
	    "-o ip.check_checksum:TRUE", path);
	CU_ASSERT_EQUAL(st, 0);
	CU_ASSERT_PTR_NULL(strstr(out, "Malformed"));
	CU_ASSERT_PTR_NULL(strstr(out, "Error"));
	CU_ASSERT_PTR_NULL(strstr(out, "Warning"));
	CU_ASSERT_PTR_NULL(strstr(out, "hecksum"));
	vpn_free(&v);
}

/*
 * A known answer: tests/fuzz/esp/decap-valid was written by an independent
 * implementation of the pattern (Python, from esp.h's description): a
 * 24-byte IPv4 packet under the fuzz target's SA, sequence 1.
 */
static void
test_known_answer(void)
{
	static const struct esp_sa_cfg sa = { 0x200, ESP_ENCR_AES_CBC, 128,
	    ESP_INTEG_HMAC_SHA1_96, 0x0123456789abcdefull };
	struct esp_replay w = { 0, 0 };
	struct esp_algo a;
	uint8_t *b, work[68], again[68];
	uint32_t off, ilen;
	const char *why = NULL;
	char err[64];
	size_t len = 0;

	b = (uint8_t *)test_slurp(XCSIM_SOURCE_DIR "/tests/fuzz/esp/decap-valid",
	    &len);
	CU_ASSERT_PTR_NOT_NULL_FATAL(b);
	CU_ASSERT_EQUAL_FATAL(len, 68);
	CU_ASSERT_EQUAL_FATAL(esp_algo(sa.encr, sa.keylen, sa.integ, &a, err,
	    sizeof(err)), 0);
	memcpy(work, b, len);
	CU_ASSERT_EQUAL_FATAL(esp_decap(&sa, &a, &w, work, (uint32_t)len, &off,
	    &ilen, &why), ESP_OK);
	CU_ASSERT_EQUAL(off, 24);
	CU_ASSERT_EQUAL(ilen, 24);
	CU_ASSERT_EQUAL(work[off], 0x45);
	CU_ASSERT_EQUAL(work[off + 23], 23);
	esp_encap(&sa, &a, 1, work + off, ilen, ilen, again);
	CU_ASSERT_EQUAL(memcmp(again, b, len), 0);
	free(b);
}

static const struct test_case cases[] = {
	{ "sizes of the algorithms, overhead, tunnel MTU", test_sizes },
	{ "codec: round trip, window, wrong key", test_codec },
	{ "codec: a known answer", test_known_answer },
	{ "ping through the tunnel: exact RTT and overhead",
	    test_ping_rtt_overhead },
	{ "wrong key: dropped at the ICV", test_wrong_key },
	{ "replayed packet dropped", test_replay },
	{ "DF need-frag with the tunnel MTU; outer fragments",
	    test_df_and_fragments },
	{ "rekey without loss", test_rekey_no_loss },
	{ "unknown SPI, tunnel down", test_unknown_spi_and_down },
	{ "a route to the far end through the tunnel", test_recursive_route },
	{ "NAT-T: ESP in UDP 4500", test_nat_t },
	{ "tshark decodes ESP", test_tshark_esp },
	{ NULL, NULL },
};

int
main(int argc, char **argv)
{
	return test_main(argc, argv, "esp", cases);
}
