/*
 * test_wire.c - wire formats: round trips through push and parse, checksums
 * against published and captured vectors, RFC 1624 updates, every parse
 * error, truncation at every length, and IPv4 address/prefix text.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/*
 * The TAP attachment of the emulation mode includes the system's network
 * headers next to xcsim's own: wire.h and net.h must not clash with them.
 */
#include <linux/if_ether.h>
#include <linux/if_tun.h>
#include <net/ethernet.h>
#include <netinet/ip.h>
#include <netinet/ip_icmp.h>
#include <netinet/tcp.h>
#include <netinet/udp.h>

#include "net.h"
#include "pkt.h"
#include "rng.h"
#include "sim.h"
#include "testutil.h"
#include "wire.h"

#define A_SRC 0x0a000001u	/* 10.0.0.1 */
#define A_DST 0xc0a80a02u	/* 192.168.10.2 */

static const uint8_t mac_dst[6] = { 0x02, 0x00, 0x00, 0x00, 0x00, 0x02 };
static const uint8_t mac_src[6] = { 0x02, 0x00, 0x00, 0x00, 0x00, 0x01 };

/* MSS 1460, SACK permitted, timestamps, NOP, window scale 7: 20 bytes. */
static const uint8_t syn_opts[20] = {
	0x02, 0x04, 0x05, 0xb4, 0x04, 0x02, 0x08, 0x0a,
	0x00, 0x01, 0x02, 0x03, 0x00, 0x00, 0x00, 0x00,
	0x01, 0x03, 0x03, 0x07,
};

struct frame_spec {
	const char *what;
	unsigned nvlan;		/* 0, 1 (C-tag) or 2 (S-tag then C-tag) */
	uint16_t eth_type;	/* when proto is 0 */
	uint8_t proto;		/* 0: no IPv4 header */
	uint16_t frag;
	uint32_t real_len;	/* real payload bytes after the last header */
	uint32_t virt_len;
	const uint8_t *tcp_opt;	/* 20 bytes, or NULL */
	uint32_t wire_len;	/* expected, worked out by hand */
};

static const struct frame_spec frames[] = {
	{ "eth, unknown type", 0, 0x88b5, 0, 0, 10, 0, NULL, 24 },
	{ "eth, non-ip, virtual", 0, 0x88b5, 0, 0, 3, 100, NULL, 117 },
	{ "eth+1Q, unknown type", 1, 0x88b5, 0, 0, 10, 0, NULL, 28 },
	{ "eth+QinQ, unknown type", 2, 0x88b5, 0, 0, 10, 0, NULL, 32 },
	{ "icmp echo", 0, 0, WIRE_IPPROTO_ICMP, 0, 56, 0, NULL, 98 },
	{ "icmp echo, odd real + virtual", 0, 0, WIRE_IPPROTO_ICMP, 0, 5, 1000,
	    NULL, 1047 },
	{ "icmp echo in QinQ", 2, 0, WIRE_IPPROTO_ICMP, 0, 56, 0, NULL, 106 },
	{ "udp, empty", 0, 0, WIRE_IPPROTO_UDP, 0, 0, 0, NULL, 42 },
	{ "udp, odd real", 0, 0, WIRE_IPPROTO_UDP, 0, 13, 0, NULL, 55 },
	{ "udp, virtual only", 0, 0, WIRE_IPPROTO_UDP, 0, 0, 1400, NULL, 1442 },
	{ "udp, odd real + odd virtual", 0, 0, WIRE_IPPROTO_UDP, 0, 7, 1001,
	    NULL, 1050 },
	{ "udp in 1Q", 1, 0, WIRE_IPPROTO_UDP, 0, 20, 500, NULL, 566 },
	{ "udp in QinQ", 2, 0, WIRE_IPPROTO_UDP, 0, 20, 500, NULL, 570 },
	{ "tcp, no options", 0, 0, WIRE_IPPROTO_TCP, 0, 0, 0, NULL, 54 },
	{ "tcp syn with options", 0, 0, WIRE_IPPROTO_TCP, 0, 0, 0, syn_opts,
	    74 },
	{ "tcp, options + odd real + virtual", 0, 0, WIRE_IPPROTO_TCP, 0, 9,
	    1439, syn_opts, 1522 },
	{ "tcp in QinQ, virtual", 2, 0, WIRE_IPPROTO_TCP, 0, 0, 1448, NULL,
	    1510 },
	{ "ip, unknown protocol", 0, 0, 47, 0, 24, 0, NULL, 58 },
	{ "ip, later fragment", 0, 0, WIRE_IPPROTO_UDP, 185, 24, 0, NULL, 58 },
	{ NULL, 0, 0, 0, 0, 0, 0, NULL, 0 }
};

static uint8_t
pattern(uint32_t i)
{
	return (uint8_t)(i * 7 + 3);
}

static struct vlan_tag
tag_of(unsigned i)
{
	/* Index 0 is the outer tag of a QinQ frame. */
	if (i == 0)
		return (struct vlan_tag){ WIRE_ETHERTYPE_QINQ, 5, true, 100 };
	return (struct vlan_tag){ WIRE_ETHERTYPE_VLAN, 3, false, 4094 };
}

static struct pkt *
build_frame(struct sim *sim, const struct frame_spec *s)
{
	struct pkt *p = pkt_alloc(sim, s->real_len);
	struct eth_hdr eth;
	struct ipv4_hdr ip;
	uint32_t i;

	for (i = 0; i < s->real_len; i++)
		p->data[i] = pattern(i);
	p->virt_len = s->virt_len;
	switch (s->proto) {
	case WIRE_IPPROTO_ICMP: {
		struct icmp_hdr h = { WIRE_ICMP_ECHO, 0, 0, 0x1234u << 16 | 7 };

		CU_ASSERT_EQUAL(wire_push_icmp(sim, p, &h), 0);
		break;
	}
	case WIRE_IPPROTO_UDP: {
		struct udp_hdr h = { 40000, 4789, 0, 0 };

		if (s->frag == 0)
			CU_ASSERT_EQUAL(wire_push_udp(sim, p, &h, A_SRC,
			    A_DST), 0);
		break;
	}
	case WIRE_IPPROTO_TCP: {
		struct tcp_hdr h = { 51000, 179, 0xfffffff0u, 0x01020304u,
		    s->tcp_opt ? 10 : 5, WIRE_TCP_SYN | WIRE_TCP_ECE, 64240, 0, 0,
		    s->tcp_opt };

		CU_ASSERT_EQUAL(wire_push_tcp(sim, p, &h, A_SRC, A_DST), 0);
		break;
	}
	default:
		break;
	}
	if (s->proto != 0) {
		ip = (struct ipv4_hdr){ .ihl = 5, .tos = 0xb8, .id = 0xbeef,
		    .frag = s->frag, .ttl = 63, .proto = s->proto,
		    .src = A_SRC, .dst = A_DST };
		CU_ASSERT_EQUAL(wire_push_ipv4(sim, p, &ip), 0);
	}
	memcpy(eth.dst, mac_dst, 6);
	memcpy(eth.src, mac_src, 6);
	eth.type = s->proto != 0 ? WIRE_ETHERTYPE_IPV4 : s->eth_type;
	wire_push_eth(sim, p, &eth);
	for (i = s->nvlan; i > 0; i--) {
		struct vlan_tag t = tag_of(s->nvlan == 2 ? i - 1 : 1);

		wire_push_vlan(sim, p, &t);
	}
	return p;
}

static void
check_round_trip(const struct frame_spec *s, const struct pkt *p)
{
	struct wire_frame f;
	uint32_t l2 = WIRE_ETH_HLEN + s->nvlan * WIRE_VLAN_HLEN, l4len = 0, hdrs, i;
	enum wire_err err;

	err = wire_parse(p->data, p->len, p->virt_len, true, &f);
	CU_ASSERT_EQUAL(err, WIRE_OK);
	if (err != WIRE_OK)
		fprintf(stderr, "%s: %s\n", s->what, wire_err_name[err]);
	CU_ASSERT_EQUAL(pkt_wire_len(p), s->wire_len);
	CU_ASSERT_EQUAL(memcmp(f.eth.dst, mac_dst, 6), 0);
	CU_ASSERT_EQUAL(memcmp(f.eth.src, mac_src, 6), 0);
	CU_ASSERT_EQUAL(f.nvlan, s->nvlan);
	for (i = 0; i < f.nvlan; i++) {
		struct vlan_tag t = tag_of(s->nvlan == 2 ? i : 1);

		CU_ASSERT_EQUAL(f.vlan[i].tpid, t.tpid);
		CU_ASSERT_EQUAL(f.vlan[i].pcp, t.pcp);
		CU_ASSERT_EQUAL(f.vlan[i].dei, t.dei);
		CU_ASSERT_EQUAL(f.vlan[i].vid, t.vid);
	}
	CU_ASSERT_EQUAL(f.has_ipv4, s->proto != 0);
	hdrs = l2;
	if (s->proto == 0) {
		CU_ASSERT_EQUAL(f.eth.type, s->eth_type);
		CU_ASSERT_EQUAL(f.l3_off, 0);
	} else {
		CU_ASSERT_EQUAL(f.eth.type, WIRE_ETHERTYPE_IPV4);
		CU_ASSERT_EQUAL(f.l3_off, l2);
		CU_ASSERT_EQUAL(f.ip.ihl, 5);
		CU_ASSERT_EQUAL(f.ip.tos, 0xb8);
		CU_ASSERT_EQUAL(f.ip.total_len, s->wire_len - l2);
		CU_ASSERT_EQUAL(f.ip.id, 0xbeef);
		CU_ASSERT_EQUAL(f.ip.frag, s->frag);
		CU_ASSERT_EQUAL(f.ip.ttl, 63);
		CU_ASSERT_EQUAL(f.ip.proto, s->proto);
		CU_ASSERT_EQUAL(f.ip.src, A_SRC);
		CU_ASSERT_EQUAL(f.ip.dst, A_DST);
		hdrs += WIRE_IPV4_HLEN;
		l4len = s->wire_len - hdrs;
	}
	CU_ASSERT_EQUAL(f.has_icmp, s->proto == WIRE_IPPROTO_ICMP);
	CU_ASSERT_EQUAL(f.has_udp, s->proto == WIRE_IPPROTO_UDP && !s->frag);
	CU_ASSERT_EQUAL(f.has_tcp, s->proto == WIRE_IPPROTO_TCP);
	CU_ASSERT_EQUAL(f.l4_off,
	    f.has_icmp || f.has_udp || f.has_tcp ? hdrs : 0);
	if (f.has_icmp) {
		CU_ASSERT_EQUAL(f.icmp.type, WIRE_ICMP_ECHO);
		CU_ASSERT_EQUAL(f.icmp.code, 0);
		CU_ASSERT_EQUAL(f.icmp.rest, 0x1234u << 16 | 7);
		hdrs += WIRE_ICMP_HLEN;
	}
	if (f.has_udp) {
		CU_ASSERT_EQUAL(f.udp.sport, 40000);
		CU_ASSERT_EQUAL(f.udp.dport, 4789);
		CU_ASSERT_EQUAL(f.udp.len, l4len);
		CU_ASSERT_NOT_EQUAL(f.udp.csum, 0);
		hdrs += WIRE_UDP_HLEN;
	}
	if (f.has_tcp) {
		CU_ASSERT_EQUAL(f.tcp.sport, 51000);
		CU_ASSERT_EQUAL(f.tcp.dport, 179);
		CU_ASSERT_EQUAL(f.tcp.seq, 0xfffffff0u);
		CU_ASSERT_EQUAL(f.tcp.ack, 0x01020304u);
		CU_ASSERT_EQUAL(f.tcp.flags, WIRE_TCP_SYN | WIRE_TCP_ECE);
		CU_ASSERT_EQUAL(f.tcp.win, 64240);
		CU_ASSERT_EQUAL(f.tcp.urg, 0);
		if (s->tcp_opt != NULL) {
			CU_ASSERT_EQUAL(f.tcp.off, 10);
			CU_ASSERT_PTR_EQUAL(f.tcp.opt,
			    p->data + hdrs + WIRE_TCP_HLEN);
			CU_ASSERT_EQUAL(memcmp(f.tcp.opt, s->tcp_opt, 20), 0);
		} else {
			CU_ASSERT_EQUAL(f.tcp.off, 5);
			CU_ASSERT_PTR_NULL(f.tcp.opt);
		}
		hdrs += f.tcp.off * 4u;
	}
	CU_ASSERT_EQUAL(f.payload_off, hdrs);
	CU_ASSERT_EQUAL(f.payload_len, s->real_len + s->virt_len);
	CU_ASSERT_EQUAL(p->len, hdrs + s->real_len);
	for (i = 0; i < s->real_len && hdrs + i < p->len; i++)
		CU_ASSERT_EQUAL(p->data[hdrs + i], pattern(i));
	/* Without verification the same frame reads the same way. */
	{
		struct wire_frame g;

		CU_ASSERT_EQUAL(wire_parse(p->data, p->len, p->virt_len,
		    false, &g), WIRE_OK);
		CU_ASSERT_EQUAL(memcmp(&f, &g, sizeof(f)), 0);
	}
}

static void
test_round_trips(void)
{
	struct sim *sim = sim_new(1);
	const struct frame_spec *s;

	for (s = frames; s->what != NULL; s++) {
		struct pkt *p = build_frame(sim, s);

		check_round_trip(s, p);
		pkt_free(sim, p);
	}
	CU_ASSERT_EQUAL(pkt_live(sim), 0);
	sim_free(sim);
}

/* Byte layout of a QinQ header: S-tag outermost, then C-tag, then type. */
static void
test_qinq_layout(void)
{
	static const uint8_t want[] = {
		0x02, 0x00, 0x00, 0x00, 0x00, 0x02,
		0x02, 0x00, 0x00, 0x00, 0x00, 0x01,
		0x88, 0xa8, 0xb0, 0x64,		/* pcp 5, dei, vid 100 */
		0x81, 0x00, 0x6f, 0xfe,		/* pcp 3, vid 4094 */
		0x88, 0xb5,
	};
	struct sim *sim = sim_new(1);
	struct pkt *p = build_frame(sim, &frames[3]);

	CU_ASSERT_EQUAL_FATAL(p->len, sizeof(want) + 10);
	CU_ASSERT_EQUAL(memcmp(p->data, want, sizeof(want)), 0);
	pkt_free(sim, p);
	sim_free(sim);
}

/* RFC 1071 section 3 worked example. */
static void
test_rfc1071_vector(void)
{
	static const uint8_t b[] = { 0x00, 0x01, 0xf2, 0x03, 0xf4, 0xf5,
		0xf6, 0xf7 };
	static const uint8_t odd[] = { 0xab, 0xcd, 0xef };
	uint32_t sum = wire_sum(b, sizeof(b), 0);

	CU_ASSERT_EQUAL(sum, 0x2ddf0u);
	CU_ASSERT_EQUAL(wire_fold(sum), (uint16_t)~0xddf2u);
	/* Byte-order independence: the sum of the parts is the whole. */
	CU_ASSERT_EQUAL(wire_fold(wire_sum(b + 4, 4, wire_sum(b, 4, 0))),
	    0x220d);
	/* A trailing odd byte is the high half of a word. */
	CU_ASSERT_EQUAL(wire_sum(odd, 3, 0), 0xabcdu + 0xef00u);
	CU_ASSERT_EQUAL(wire_fold(0), 0xffff);
	CU_ASSERT_EQUAL(wire_fold(0xffff), 0);
}

/*
 * Known-good checksums: the IPv4 header from the Wikipedia "IPv4 header
 * checksum" article (0xb861), and a UDP datagram captured on a tun device,
 * 10.0.0.1:52716 -> 10.0.0.2:4000 "Hello\n", IP 0xc927, UDP 0xea66.
 */
static const uint8_t wiki_ip[] = {
	0x45, 0x00, 0x00, 0x73, 0x00, 0x00, 0x40, 0x00, 0x40, 0x11,
	0xb8, 0x61, 0xc0, 0xa8, 0x00, 0x01, 0xc0, 0xa8, 0x00, 0xc7,
};
static const uint8_t tun_udp[] = {
	0x45, 0x00, 0x00, 0x22, 0x5d, 0xa1, 0x40, 0x00, 0x40, 0x11,
	0xc9, 0x27, 0x0a, 0x00, 0x00, 0x01, 0x0a, 0x00, 0x00, 0x02,
	0xcd, 0xec, 0x0f, 0xa0, 0x00, 0x0e, 0xea, 0x66,
	0x48, 0x65, 0x6c, 0x6c, 0x6f, 0x0a,
};

static void
test_known_packets(void)
{
	struct sim *sim = sim_new(1);
	uint8_t hdr[20], frame[14 + sizeof(tun_udp)];
	struct wire_frame f;
	struct pkt *p;

	memcpy(hdr, wiki_ip, sizeof(hdr));
	hdr[10] = hdr[11] = 0;
	CU_ASSERT_EQUAL(wire_fold(wire_sum(hdr, 20, 0)), 0xb861);
	CU_ASSERT_EQUAL(wire_fold(wire_sum(wiki_ip, 20, 0)), 0);

	/* The captured datagram parses and verifies inside an Ethernet frame. */
	memset(frame, 0, 12);
	frame[12] = 0x08;
	frame[13] = 0x00;
	memcpy(frame + 14, tun_udp, sizeof(tun_udp));
	CU_ASSERT_EQUAL_FATAL(wire_parse(frame, sizeof(frame), 0, true, &f),
	    WIRE_OK);
	CU_ASSERT_EQUAL(f.ip.csum, 0xc927);
	CU_ASSERT_EQUAL(f.udp.csum, 0xea66);
	CU_ASSERT_EQUAL(f.udp.sport, 52716);
	CU_ASSERT_EQUAL(f.udp.len, 14);
	CU_ASSERT_EQUAL(f.payload_off, 42);
	CU_ASSERT_EQUAL(f.payload_len, 6);

	/* Building the same datagram reproduces the capture byte for byte. */
	p = pkt_alloc(sim, 6);
	memcpy(p->data, "Hello\n", 6);
	CU_ASSERT_EQUAL(wire_push_udp(sim, p, &(struct udp_hdr){ 52716, 4000,
	    0, 0 }, 0x0a000001u, 0x0a000002u), 0);
	CU_ASSERT_EQUAL(wire_push_ipv4(sim, p, &(struct ipv4_hdr){ .ihl = 5,
	    .id = 0x5da1, .frag = WIRE_IPV4_DF, .ttl = 64, .proto = WIRE_IPPROTO_UDP,
	    .src = 0x0a000001u, .dst = 0x0a000002u }), 0);
	CU_ASSERT_EQUAL_FATAL(p->len, sizeof(tun_udp));
	CU_ASSERT_EQUAL(memcmp(p->data, tun_udp, sizeof(tun_udp)), 0);

	/*
	 * The same payload moved to the virtual part: "Hello\n" becomes six
	 * zeros, so the checksum changes by exactly the payload's sum.
	 */
	pkt_free(sim, p);
	p = pkt_alloc(sim, 0);
	p->virt_len = 6;
	wire_push_udp(sim, p, &(struct udp_hdr){ 52716, 4000, 0, 0 },
	    0x0a000001u, 0x0a000002u);
	CU_ASSERT_EQUAL(p->data[4] << 8 | p->data[5], 14);
	CU_ASSERT_EQUAL((uint16_t)(p->data[6] << 8 | p->data[7]),
	    wire_fold((uint16_t)~0xea66u + wire_fold(wire_sum("Hello\n", 6,
	    0))));
	pkt_free(sim, p);
	sim_free(sim);
}

/* A UDP checksum that computes to 0 goes on the wire as 0xffff. */
static void
test_udp_zero_checksum(void)
{
	struct sim *sim = sim_new(1);
	struct udp_hdr h = { 1000, 2000, 0, 0 };
	struct wire_frame f;
	uint16_t c0;
	struct pkt *p;

	/* Payload word w shifts the checksum by w; choose w = c0. */
	p = pkt_alloc(sim, 2);
	p->data[0] = p->data[1] = 0;
	wire_push_udp(sim, p, &h, A_SRC, A_DST);
	c0 = (uint16_t)(p->data[6] << 8 | p->data[7]);
	pkt_free(sim, p);

	p = pkt_alloc(sim, 2);
	p->data[0] = (uint8_t)(c0 >> 8);
	p->data[1] = (uint8_t)c0;
	wire_push_udp(sim, p, &h, A_SRC, A_DST);
	CU_ASSERT_EQUAL(p->data[6], 0xff);
	CU_ASSERT_EQUAL(p->data[7], 0xff);
	wire_push_ipv4(sim, p, &(struct ipv4_hdr){ .ihl = 5, .ttl = 1,
	    .proto = WIRE_IPPROTO_UDP, .src = A_SRC, .dst = A_DST });
	wire_push_eth(sim, p, &(struct eth_hdr){ .type = WIRE_ETHERTYPE_IPV4 });
	CU_ASSERT_EQUAL(wire_parse(p->data, p->len, 0, true, &f), WIRE_OK);
	CU_ASSERT_TRUE(f.has_udp);
	CU_ASSERT_EQUAL(f.udp.csum, 0xffff);

	/* And a transmitted 0 means "no checksum": verify accepts it. */
	p->data[WIRE_ETH_HLEN + WIRE_IPV4_HLEN + 6] = 0;
	p->data[WIRE_ETH_HLEN + WIRE_IPV4_HLEN + 7] = 0;
	CU_ASSERT_EQUAL(wire_parse(p->data, p->len, 0, true, &f), WIRE_OK);
	pkt_free(sim, p);
	sim_free(sim);
}

static void
test_push_too_long(void)
{
	struct sim *sim = sim_new(1);
	struct pkt *p = pkt_alloc(sim, 4);
	uint32_t len = p->len;

	p->virt_len = 65535 - 8 - 4 + 1;
	CU_ASSERT_EQUAL(wire_push_udp(sim, p, &(struct udp_hdr){ 1, 2, 0, 0 },
	    A_SRC, A_DST), -1);
	CU_ASSERT_EQUAL(p->len, len);
	p->virt_len--;
	CU_ASSERT_EQUAL(wire_push_udp(sim, p, &(struct udp_hdr){ 1, 2, 0, 0 },
	    A_SRC, A_DST), 0);
	CU_ASSERT_EQUAL(pkt_wire_len(p), 65535);
	CU_ASSERT_EQUAL(wire_push_ipv4(sim, p, &(struct ipv4_hdr){ .ttl = 1,
	    .proto = WIRE_IPPROTO_UDP }), -1);
	CU_ASSERT_EQUAL(p->len, len + WIRE_UDP_HLEN);
	pkt_free(sim, p);
	sim_free(sim);
}

/* RFC 1624: updating the checksum for a TTL change equals recomputing it. */
static void
test_incremental_ttl(void)
{
	struct sim *sim = sim_new(1);
	struct rng r;
	int i, mismatches = 0;

	rng_init(&r, 42, "ttl");
	for (i = 0; i < 20000; i++) {
		uint8_t b[WIRE_IPV4_HLEN];
		struct ipv4_hdr h = { .ihl = 5 };
		uint16_t old_word, new_word, csum, want;
		struct pkt *p = pkt_alloc(sim, 0);

		h.tos = (uint8_t)rng_u64(&r);
		h.id = (uint16_t)rng_u64(&r);
		h.frag = (uint16_t)(rng_u64(&r) & 0x5fff);
		h.ttl = (uint8_t)rng_u64(&r);
		h.proto = (uint8_t)rng_u64(&r);
		h.src = (uint32_t)rng_u64(&r);
		h.dst = (uint32_t)rng_u64(&r);
		p->virt_len = (uint32_t)rng_below(&r, 1480);
		wire_push_ipv4(sim, p, &h);
		memcpy(b, p->data, WIRE_IPV4_HLEN);
		pkt_free(sim, p);

		old_word = (uint16_t)(b[8] << 8 | b[9]);
		b[8] = i < 256 ? (uint8_t)i : (uint8_t)rng_u64(&r);
		new_word = (uint16_t)(b[8] << 8 | b[9]);
		csum = (uint16_t)(b[10] << 8 | b[11]);
		csum = wire_csum_update16(csum, old_word, new_word);
		b[10] = b[11] = 0;
		want = wire_fold(wire_sum(b, WIRE_IPV4_HLEN, 0));
		if (csum != want)
			mismatches++;
	}
	CU_ASSERT_EQUAL(mismatches, 0);
	/* The decrement a router does, checked on a fixed header. */
	{
		uint8_t b[WIRE_IPV4_HLEN];
		uint16_t c;

		memcpy(b, wiki_ip, sizeof(b));
		c = wire_csum_update16(0xb861, 0x4011, 0x3f11);
		b[8] = 0x3f;
		b[10] = (uint8_t)(c >> 8);
		b[11] = (uint8_t)c;
		CU_ASSERT_EQUAL(c, 0xb961);
		CU_ASSERT_EQUAL(wire_fold(wire_sum(b, WIRE_IPV4_HLEN, 0)), 0);
	}
	sim_free(sim);
}

/* --- parse errors -------------------------------------------------------- */

static void
fix_ip_csum(uint8_t *ip)
{
	unsigned hlen = (ip[0] & 0x0fu) * 4;
	uint16_t c;

	ip[10] = ip[11] = 0;
	c = wire_fold(wire_sum(ip, hlen, 0));
	ip[10] = (uint8_t)(c >> 8);
	ip[11] = (uint8_t)c;
}

enum base { B_NONIP, B_ICMP, B_UDP, B_TCP, B_MPLS };

struct err_case {
	const char *what;
	enum base base;
	/* Applied to a valid frame: a byte to change (or -1) and a value. */
	int off;
	uint8_t val;
	int16_t trim;		/* bytes to drop from the end */
	bool fix_csum;		/* recompute the IPv4 header checksum after */
	bool verify;
	enum wire_err want;
};

#define IP_OFF ((int)WIRE_ETH_HLEN)
#define L4_OFF ((int)(WIRE_ETH_HLEN + WIRE_IPV4_HLEN))

static const struct err_case err_cases[] = {
	{ "13-byte frame", B_NONIP, -1, 0, 19, false, true,
	    WIRE_ERR_TRUNC_ETH },
	{ "outer tag without its TCI", B_NONIP, -1, 0, 18, false, true,
	    WIRE_ERR_TRUNC_VLAN },
	{ "inner tag without its TCI", B_NONIP, -1, 0, 14, false, true,
	    WIRE_ERR_TRUNC_VLAN },
	{ "three tags", B_NONIP, 21, 0xa8, 0, false, true,
	    WIRE_ERR_VLAN_DEPTH },
	{ "19 bytes of IPv4", B_UDP, -1, 0, 25, false, false,
	    WIRE_ERR_TRUNC_IPV4 },
	{ "IHL 15 beyond the frame", B_ICMP, IP_OFF, 0x4f, 0, true, true,
	    WIRE_ERR_TRUNC_IPV4 },
	{ "version 6", B_UDP, IP_OFF, 0x65, 0, true, true,
	    WIRE_ERR_IPV4_VERSION },
	{ "IHL 4", B_UDP, IP_OFF, 0x44, 0, true, true, WIRE_ERR_IPV4_IHL },
	{ "total length past the frame", B_UDP, IP_OFF + 3, 0xff, 0, true,
	    true, WIRE_ERR_IPV4_LEN },
	{ "total length below IHL", B_UDP, IP_OFF + 3, 19, 0, true, true,
	    WIRE_ERR_IPV4_LEN },
	{ "frame cut short", B_UDP, -1, 0, 1, false, false,
	    WIRE_ERR_IPV4_LEN },
	{ "IPv4 TTL changed", B_UDP, IP_OFF + 8, 1, 0, false, true,
	    WIRE_ERR_IPV4_CSUM },
	{ "IPv4 TTL changed, unverified", B_UDP, IP_OFF + 8, 1, 0, false,
	    false, WIRE_OK },
	{ "UDP header cut by total length", B_UDP, IP_OFF + 3, 24, 0, true,
	    true, WIRE_ERR_TRUNC_L4 },
	{ "ICMP header cut by total length", B_ICMP, IP_OFF + 3, 27, 0, true,
	    true, WIRE_ERR_TRUNC_L4 },
	{ "TCP header cut by total length", B_TCP, IP_OFF + 3, 39, 0, true,
	    true, WIRE_ERR_TRUNC_L4 },
	{ "ICMP payload changed", B_ICMP, L4_OFF + 9, 0x55, 0, false, true,
	    WIRE_ERR_ICMP_CSUM },
	{ "ICMP payload changed, unverified", B_ICMP, L4_OFF + 9, 0x55, 0,
	    false, false, WIRE_OK },
	{ "UDP length past the datagram", B_UDP, L4_OFF + 5, 0xff, 0, false,
	    false, WIRE_ERR_UDP_LEN },
	{ "UDP length below 8", B_UDP, L4_OFF + 5, 7, 0, false, false,
	    WIRE_ERR_UDP_LEN },
	{ "UDP payload changed", B_UDP, L4_OFF + 9, 0x55, 0, false, true,
	    WIRE_ERR_UDP_CSUM },
	{ "UDP port changed", B_UDP, L4_OFF + 1, 0x55, 0, false, true,
	    WIRE_ERR_UDP_CSUM },
	{ "TCP offset 4", B_TCP, L4_OFF + 12, 0x40, 0, false, false,
	    WIRE_ERR_TCP_OFF },
	{ "TCP offset past the segment", B_TCP, L4_OFF + 12, 0xf0, 0, false,
	    false, WIRE_ERR_TCP_OFF },
	{ "TCP option changed", B_TCP, L4_OFF + 22, 0x06, 0, false, true,
	    WIRE_ERR_TCP_CSUM },
	{ "TCP payload changed", B_TCP, L4_OFF + 41, 0x01, 0, false, true,
	    WIRE_ERR_TCP_CSUM },
	{ "TCP payload changed, unverified", B_TCP, L4_OFF + 41, 0x01, 0,
	    false, false, WIRE_OK },
	/* B_MPLS: labels 16..19 (bottom 16, S byte at 28) over B_UDP. */
	{ "label entry cut short", B_MPLS, -1, 0, 46, false, true,
	    WIRE_ERR_TRUNC_MPLS },
	{ "no bottom of stack in 4 labels", B_MPLS, 28, 0x00, 0, false, true,
	    WIRE_ERR_MPLS_DEPTH },
	{ NULL, 0, 0, 0, 0, false, false, 0 }
};

static const struct frame_spec err_bases[] = {
	[B_NONIP] = { "base", 2, 0x88b5, 0, 0, 10, 0, NULL, 32 },
	[B_ICMP] = { "base", 0, 0, WIRE_IPPROTO_ICMP, 0, 16, 0, NULL, 58 },
	[B_UDP] = { "base", 0, 0, WIRE_IPPROTO_UDP, 0, 16, 0, NULL, 58 },
	[B_TCP] = { "base", 0, 0, WIRE_IPPROTO_TCP, 0, 9, 0, syn_opts, 83 },
	[B_MPLS] = { "base", 0, 0, WIRE_IPPROTO_UDP, 0, 16, 0, NULL, 58 },
};

static void
test_parse_errors(void)
{
	struct sim *sim = sim_new(1);
	bool seen[WIRE_ERR_MAX] = { false };
	const struct err_case *c;
	int e;

	for (c = err_cases; c->what != NULL; c++) {
		struct pkt *p = build_frame(sim, &err_bases[c->base]);
		struct wire_frame f;
		enum wire_err got;
		size_t len;
		uint8_t *copy;
		uint32_t i;

		for (i = 0; c->base == B_MPLS && i < 4; i++) {
			struct mpls_lse l = { .label = 16 + i, .ttl = 64 };

			CU_ASSERT_EQUAL(wire_push_mpls(sim, p, &l), 0);
		}
		len = p->len - (size_t)c->trim;

		if (c->off >= 0)
			p->data[c->off] = c->val;
		if (c->fix_csum)
			fix_ip_csum(p->data + IP_OFF);
		/* An exact-size copy, so ASan sees any read past the end. */
		copy = xmalloc(len);
		memcpy(copy, p->data, len);
		got = wire_parse(copy, len, 0, c->verify, &f);
		if (got != c->want)
			fprintf(stderr, "%s: got %s, want %s\n", c->what,
			    wire_err_name[got], wire_err_name[c->want]);
		CU_ASSERT_EQUAL(got, c->want);
		seen[got] = true;
		free(copy);
		pkt_free(sim, p);
	}
	for (e = 0; e < WIRE_ERR_MAX; e++) {
		CU_ASSERT_TRUE(seen[e]);
		if (!seen[e])
			fprintf(stderr, "no case produces %s\n",
			    wire_err_name[e]);
	}
	sim_free(sim);
}

/* On an error the layers before it are filled in; the failing one is not. */
static void
test_parse_error_partial(void)
{
	struct sim *sim = sim_new(1);
	struct pkt *p = build_frame(sim, &frames[12]);	/* udp in QinQ */
	struct wire_frame f;

	p->data[p->len - 1] ^= 0x01;
	CU_ASSERT_EQUAL(wire_parse(p->data, p->len, p->virt_len, true, &f),
	    WIRE_ERR_UDP_CSUM);
	CU_ASSERT_EQUAL(f.nvlan, 2);
	CU_ASSERT_EQUAL(f.vlan[1].vid, 4094);
	CU_ASSERT_TRUE(f.has_ipv4);
	CU_ASSERT_EQUAL(f.ip.src, A_SRC);
	CU_ASSERT_FALSE(f.has_udp);
	CU_ASSERT_EQUAL(f.udp.dport, 4789);
	pkt_free(sim, p);
	sim_free(sim);
}

static void
test_err_names(void)
{
	int i, j;

	for (i = 0; i < WIRE_ERR_MAX; i++) {
		CU_ASSERT_PTR_NOT_NULL_FATAL(wire_err_name[i]);
		CU_ASSERT_TRUE(wire_err_name[i][0] != '\0');
		for (j = 0; j < i; j++)
			CU_ASSERT_STRING_NOT_EQUAL(wire_err_name[i],
			    wire_err_name[j]);
	}
}

/*
 * Every prefix of every valid IPv4 frame: each is an error (the lengths no
 * longer add up), and ASan checks that none is read past its end. The cut
 * frames are also parsed with the missing bytes declared virtual, which
 * must not read past the end either.
 */
static void
test_truncation(void)
{
	struct sim *sim = sim_new(1);
	const struct frame_spec *s;
	int checked = 0;

	for (s = frames; s->what != NULL; s++) {
		struct pkt *p;
		uint32_t len;

		if (s->proto == 0)
			continue;
		p = build_frame(sim, s);
		for (len = 0; len < p->len; len++) {
			uint8_t *copy = xmalloc(len ? len : 1);
			struct wire_frame f;
			enum wire_err e1, e2;

			memcpy(copy, p->data, len);
			e1 = wire_parse(copy, len, p->virt_len, false, &f);
			e2 = wire_parse(copy, len, p->virt_len, true, &f);
			CU_ASSERT_NOT_EQUAL(e1, WIRE_OK);
			CU_ASSERT_NOT_EQUAL(e2, WIRE_OK);
			wire_parse(copy, len, p->virt_len + p->len - len, true,
			    &f);
			free(copy);
			checked++;
		}
		pkt_free(sim, p);
	}
	CU_ASSERT_TRUE(checked > 800);
	sim_free(sim);
}

/* IPv4 options are allowed: IHL 6 with an End of Option List word. */
static void
test_ipv4_options(void)
{
	struct sim *sim = sim_new(1);
	struct pkt *p = pkt_alloc(sim, 0);
	struct wire_frame f;

	wire_push_icmp(sim, p, &(struct icmp_hdr){ WIRE_ICMP_ECHO_REPLY, 0, 0,
	    0x00010002u });
	CU_ASSERT_EQUAL(wire_push_ipv4(sim, p, &(struct ipv4_hdr){ .ihl = 6,
	    .ttl = 9, .proto = WIRE_IPPROTO_ICMP, .src = A_SRC, .dst = A_DST }),
	    0);
	wire_push_eth(sim, p, &(struct eth_hdr){ .type = WIRE_ETHERTYPE_IPV4 });
	CU_ASSERT_EQUAL(p->len, WIRE_ETH_HLEN + 24 + WIRE_ICMP_HLEN);
	CU_ASSERT_EQUAL(wire_parse(p->data, p->len, 0, true, &f), WIRE_OK);
	CU_ASSERT_EQUAL(f.ip.ihl, 6);
	CU_ASSERT_EQUAL(f.ip.total_len, 32);
	CU_ASSERT_EQUAL(f.l4_off, WIRE_ETH_HLEN + 24);
	CU_ASSERT_TRUE(f.has_icmp);
	CU_ASSERT_EQUAL(f.icmp.type, WIRE_ICMP_ECHO_REPLY);
	CU_ASSERT_EQUAL(f.icmp.rest, 0x00010002u);
	CU_ASSERT_EQUAL(f.payload_len, 0);
	pkt_free(sim, p);
	sim_free(sim);
}

/* A short frame padded to the Ethernet minimum still parses. */
static void
test_ethernet_padding(void)
{
	struct sim *sim = sim_new(1);
	struct pkt *p = build_frame(sim, &frames[7]);	/* empty udp, 42 */
	uint8_t buf[60];
	struct wire_frame f;

	memset(buf, 0xee, sizeof(buf));
	memcpy(buf, p->data, p->len);
	CU_ASSERT_EQUAL(wire_parse(buf, sizeof(buf), 0, true, &f), WIRE_OK);
	CU_ASSERT_TRUE(f.has_udp);
	CU_ASSERT_EQUAL(f.payload_len, 0);
	pkt_free(sim, p);
	sim_free(sim);
}

/* --- address text -------------------------------------------------------- */

struct ip_case {
	const char *text;
	int rc;
	uint32_t addr;
};

static const struct ip_case ip_cases[] = {
	{ "0.0.0.0", 0, 0 },
	{ "10.0.0.1", 0, 0x0a000001u },
	{ "255.255.255.255", 0, 0xffffffffu },
	{ "192.168.100.7", 0, 0xc0a86407u },
	{ "1.2.3", -1, 0 },
	{ "1.2.3.4.5", -1, 0 },
	{ "256.1.1.1", -1, 0 },
	{ "1.2.3.1000", -1, 0 },
	{ "1.2.3.4 ", -1, 0 },
	{ "1.2.3.4x", -1, 0 },
	{ " 1.2.3.4", -1, 0 },
	{ "1..3.4", -1, 0 },
	{ "1.2.3.", -1, 0 },
	{ "01.2.3.4", -1, 0 },
	{ "-1.2.3.4", -1, 0 },
	{ "+1.2.3.4", -1, 0 },
	{ "1.2.3.4/24", -1, 0 },
	{ "", -1, 0 },
	{ NULL, 0, 0 }
};

struct prefix_case {
	const char *text;
	bool allow_host;
	int rc;
	uint32_t addr;
	uint8_t len;
};

static const struct prefix_case prefix_cases[] = {
	{ "10.0.0.0/8", false, 0, 0x0a000000u, 8 },
	{ "0.0.0.0/0", false, 0, 0, 0 },
	{ "192.168.1.128/25", false, 0, 0xc0a80180u, 25 },
	{ "1.2.3.4/32", false, 0, 0x01020304u, 32 },
	{ "10.0.0.1/8", false, -1, 0, 0 },
	{ "10.0.0.1/8", true, 0, 0x0a000001u, 8 },
	{ "1.0.0.0/0", false, -1, 0, 0 },
	{ "1.2.3.4/33", false, -1, 0, 0 },
	{ "1.2.3.4/33", true, -1, 0, 0 },
	{ "10.0.0.0/", false, -1, 0, 0 },
	{ "10.0.0.0", false, -1, 0, 0 },
	{ "10.0.0.0/8x", false, -1, 0, 0 },
	{ "10.0.0.0/08", false, -1, 0, 0 },
	{ "10.0.0.0/-8", false, -1, 0, 0 },
	{ "10.0.0.0/8/8", false, -1, 0, 0 },
	{ "1.2.3/24", false, -1, 0, 0 },
	{ "256.0.0.0/8", false, -1, 0, 0 },
	{ NULL, false, 0, 0, 0 }
};

static void
test_ip_text(void)
{
	const struct ip_case *c;
	const struct prefix_case *q;
	char buf[16];

	for (c = ip_cases; c->text != NULL; c++) {
		uint32_t a = 0x5a5a5a5au;
		int rc = wire_ip_parse(c->text, &a);

		if (rc != c->rc)
			fprintf(stderr, "ip \"%s\": rc %d\n", c->text, rc);
		CU_ASSERT_EQUAL(rc, c->rc);
		if (c->rc == 0) {
			CU_ASSERT_EQUAL(a, c->addr);
			CU_ASSERT_STRING_EQUAL(wire_ip_str(a, buf), c->text);
		} else {
			CU_ASSERT_EQUAL(a, 0x5a5a5a5au);	/* untouched */
		}
	}
	for (q = prefix_cases; q->text != NULL; q++) {
		uint32_t a = 0x5a5a5a5au;
		uint8_t l = 99;
		int rc = wire_prefix_parse(q->text, q->allow_host, &a, &l);

		if (rc != q->rc)
			fprintf(stderr, "prefix \"%s\": rc %d\n", q->text, rc);
		CU_ASSERT_EQUAL(rc, q->rc);
		if (q->rc == 0) {
			CU_ASSERT_EQUAL(a, q->addr);
			CU_ASSERT_EQUAL(l, q->len);
		} else {
			CU_ASSERT_EQUAL(a, 0x5a5a5a5au);
			CU_ASSERT_EQUAL(l, 99);
		}
	}
}

static const struct test_case cases[] = {
	{ "round trips of every header combination", test_round_trips },
	{ "QinQ byte layout", test_qinq_layout },
	{ "RFC 1071 example", test_rfc1071_vector },
	{ "known-good captured checksums", test_known_packets },
	{ "UDP checksum 0 is sent as 0xffff", test_udp_zero_checksum },
	{ "push refuses lengths over 65535", test_push_too_long },
	{ "RFC 1624 update equals recomputation", test_incremental_ttl },
	{ "every parse error from a crafted frame", test_parse_errors },
	{ "layers before an error are kept", test_parse_error_partial },
	{ "error names", test_err_names },
	{ "truncation at every length", test_truncation },
	{ "IPv4 options", test_ipv4_options },
	{ "Ethernet padding", test_ethernet_padding },
	{ "address and prefix text", test_ip_text },
	{ NULL, NULL }
};

int
main(int argc, char **argv)
{
	return test_main(argc, argv, "wire", cases);
}
