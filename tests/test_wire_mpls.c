/*
 * test_wire_mpls.c - MPLS label stack entries (RFC 3032) on the wire: push
 * and pop with exact bytes behind the Ethernet header and VLAN tags, parse
 * of one and three labels with IPv4 under them, malformed stacks (no bottom
 * of stack within WIRE_MPLS_MAX, cut at every length), and tshark reading a
 * capture of labelled frames as MPLS with the inner IPv4 and UDP.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "capture.h"
#include "pkt.h"
#include "sim.h"
#include "testutil.h"
#include "util.h"
#include "wire.h"

#define A_SRC 0x0a000001u	/* 10.0.0.1 */
#define A_DST 0x0a000202u	/* 10.0.2.2 */

static const uint8_t mac_dst[6] = { 0x02, 0x00, 0x00, 0x00, 0x00, 0x02 };
static const uint8_t mac_src[6] = { 0x02, 0x00, 0x00, 0x00, 0x00, 0x01 };

/*
 * A UDP datagram (5000 -> 6000, 12 real and virt virtual payload bytes) in
 * IPv4 in Ethernet with ntags tags: 0, 1 (C-tag 100) or 2 (S-tag 200, then
 * C-tag 100).
 */
static struct pkt *
udp_frame(struct sim *sim, unsigned ntags, uint32_t virt)
{
	struct pkt *p = pkt_alloc(sim, 12);
	struct udp_hdr u = { .sport = 5000, .dport = 6000 };
	struct ipv4_hdr ip = { .ihl = 5, .ttl = 64, .proto = WIRE_IPPROTO_UDP,
	    .id = 0x1234, .src = A_SRC, .dst = A_DST };
	struct eth_hdr eth = { .type = WIRE_ETHERTYPE_IPV4 };
	struct vlan_tag c = { WIRE_ETHERTYPE_VLAN, 3, false, 100 };
	struct vlan_tag s = { WIRE_ETHERTYPE_QINQ, 0, false, 200 };
	uint32_t i;

	for (i = 0; i < 12; i++)
		p->data[i] = (uint8_t)('a' + i);
	p->virt_len = virt;
	CU_ASSERT_EQUAL_FATAL(wire_push_udp(sim, p, &u, A_SRC, A_DST), 0);
	CU_ASSERT_EQUAL_FATAL(wire_push_ipv4(sim, p, &ip), 0);
	memcpy(eth.dst, mac_dst, 6);
	memcpy(eth.src, mac_src, 6);
	wire_push_eth(sim, p, &eth);
	/* Tags go in innermost first: each lands right after the addresses. */
	if (ntags >= 1)
		wire_push_vlan(sim, p, &c);
	if (ntags >= 2)
		wire_push_vlan(sim, p, &s);
	return p;
}

/* Push labels[0] first (the bottom), labels[n - 1] last (the top). */
static void
push_labels(struct sim *sim, struct pkt *p, const uint32_t *labels,
    unsigned n)
{
	unsigned i;

	for (i = 0; i < n; i++) {
		struct mpls_lse l = { .label = labels[i], .tc = (uint8_t)i,
		    .s = true, .ttl = (uint8_t)(64 - i) };

		CU_ASSERT_EQUAL(wire_push_mpls(sim, p, &l), 0);
	}
}

static void
test_push_pop_bytes(void)
{
	struct sim *sim = sim_new(1);
	struct pkt *p = udp_frame(sim, 1, 0);
	uint32_t len0 = p->len;
	uint8_t *orig = xmalloc(len0);
	struct mpls_lse bottom = { .label = 16, .tc = 5, .s = false,
	    .ttl = 64 };
	struct mpls_lse top = { .label = 0xfffffu, .tc = 0, .s = true,
	    .ttl = 255 };
	struct mpls_lse got;
	static const uint8_t want[] = {
		0x81, 0x00, 0x60, 0x64,		/* C-tag pcp 3 vid 100 */
		0x88, 0x47,			/* EtherType MPLS */
		0xff, 0xff, 0xf0, 0xff,		/* 1048575, tc 0, S 0, ttl 255 */
		0x00, 0x01, 0x0b, 0x40,		/* 16, tc 5, S 1, ttl 64 */
		0x45,				/* the IPv4 header */
	};

	memcpy(orig, p->data, len0);
	/* s is the push's to decide: set on the bottom, clear on the top. */
	CU_ASSERT_EQUAL(wire_push_mpls(sim, p, &bottom), 0);
	CU_ASSERT_EQUAL(p->len, len0 + 4);
	CU_ASSERT_EQUAL(p->data[16], 0x88);
	CU_ASSERT_EQUAL(p->data[17], 0x47);
	CU_ASSERT_EQUAL(memcmp(p->data + 18, want + 10, 4), 0);
	CU_ASSERT_EQUAL(wire_push_mpls(sim, p, &top), 0);
	CU_ASSERT_EQUAL_FATAL(p->len, len0 + 8);
	CU_ASSERT_EQUAL(memcmp(p->data, orig, 12), 0);
	CU_ASSERT_EQUAL(memcmp(p->data + 12, want, sizeof(want)), 0);
	CU_ASSERT_EQUAL(memcmp(p->data + 26, orig + 18, len0 - 18), 0);

	CU_ASSERT_EQUAL(wire_pop_mpls(sim, p, &got), 0);
	CU_ASSERT_EQUAL(got.label, 0xfffffu);
	CU_ASSERT_EQUAL(got.tc, 0);
	CU_ASSERT_FALSE(got.s);
	CU_ASSERT_EQUAL(got.ttl, 255);
	CU_ASSERT_EQUAL(p->len, len0 + 4);
	CU_ASSERT_EQUAL(p->data[16], 0x88);
	CU_ASSERT_EQUAL(p->data[17], 0x47);
	CU_ASSERT_EQUAL(wire_pop_mpls(sim, p, &got), 0);
	CU_ASSERT_EQUAL(got.label, 16);
	CU_ASSERT_EQUAL(got.tc, 5);
	CU_ASSERT_TRUE(got.s);
	CU_ASSERT_EQUAL(got.ttl, 64);
	/* Back to the very bytes it started as, EtherType IPv4 again. */
	CU_ASSERT_EQUAL_FATAL(p->len, len0);
	CU_ASSERT_EQUAL(memcmp(p->data, orig, len0), 0);
	/* Nothing left to pop: refused, frame unchanged. */
	CU_ASSERT_EQUAL(wire_pop_mpls(sim, p, NULL), -1);
	CU_ASSERT_EQUAL(memcmp(p->data, orig, len0), 0);
	free(orig);
	pkt_free(sim, p);
	sim_free(sim);
}

/* Without tags, with QinQ, and a bottom entry over something not IPv4. */
static void
test_push_pop_edges(void)
{
	struct sim *sim = sim_new(1);
	struct pkt *p = udp_frame(sim, 2, 1000);
	struct pkt *q = pkt_alloc(sim, 6);
	struct eth_hdr eth = { .type = 0x88b5 };
	struct mpls_lse l = { .label = 3000, .ttl = 9 };
	uint32_t len0 = p->len;
	uint8_t *orig = xmalloc(len0);
	uint8_t qorig[24];

	memcpy(orig, p->data, len0);
	CU_ASSERT_EQUAL(wire_push_mpls(sim, p, &l), 0);
	/* After both tags: 12 + 4 + 4, then the EtherType and the entry. */
	CU_ASSERT_EQUAL(memcmp(p->data, orig, 20), 0);
	CU_ASSERT_EQUAL(get_be16(p->data + 20), WIRE_ETHERTYPE_MPLS);
	CU_ASSERT_EQUAL(get_be32(p->data + 22), 3000u << 12 | 0x100u | 9);
	CU_ASSERT_EQUAL(p->virt_len, 1000);
	CU_ASSERT_EQUAL(wire_pop_mpls(sim, p, NULL), 0);
	CU_ASSERT_EQUAL_FATAL(p->len, len0);
	CU_ASSERT_EQUAL(memcmp(p->data, orig, len0), 0);

	/* A label over a non-IPv4 payload pushes, but will not pop blind. */
	memset(q->data, 0x11, 6);
	memcpy(eth.dst, mac_dst, 6);
	memcpy(eth.src, mac_src, 6);
	wire_push_eth(sim, q, &eth);
	CU_ASSERT_EQUAL(wire_push_mpls(sim, q, &l), 0);
	CU_ASSERT_EQUAL_FATAL(q->len, sizeof(qorig));
	memcpy(qorig, q->data, sizeof(qorig));
	CU_ASSERT_EQUAL(wire_pop_mpls(sim, q, NULL), -1);
	CU_ASSERT_EQUAL(memcmp(q->data, qorig, sizeof(qorig)), 0);
	/* Nor a bottom entry with nothing after it. */
	pkt_trim(q, 18);
	CU_ASSERT_EQUAL(wire_pop_mpls(sim, q, NULL), -1);
	/* Nor an entry cut short. */
	pkt_trim(q, 17);
	CU_ASSERT_EQUAL(wire_pop_mpls(sim, q, NULL), -1);
	CU_ASSERT_EQUAL(q->len, 17);
	free(orig);
	pkt_free(sim, q);
	pkt_free(sim, p);
	sim_free(sim);
}

static void
test_parse_one_label_qinq(void)
{
	struct sim *sim = sim_new(1);
	struct pkt *p = udp_frame(sim, 2, 1400);
	static const uint32_t labels[] = { 299792 };
	struct wire_frame f;

	push_labels(sim, p, labels, 1);
	CU_ASSERT_EQUAL(wire_parse(p->data, p->len, p->virt_len, true, &f),
	    WIRE_OK);
	CU_ASSERT_EQUAL(f.eth.type, WIRE_ETHERTYPE_MPLS);
	CU_ASSERT_EQUAL(f.nvlan, 2);
	CU_ASSERT_EQUAL(f.vlan[0].vid, 200);
	CU_ASSERT_EQUAL(f.vlan[1].vid, 100);
	CU_ASSERT_EQUAL(f.nmpls, 1);
	CU_ASSERT_EQUAL(f.lse[0].label, 299792);
	CU_ASSERT_EQUAL(f.lse[0].tc, 0);
	CU_ASSERT_TRUE(f.lse[0].s);
	CU_ASSERT_EQUAL(f.lse[0].ttl, 64);
	CU_ASSERT_TRUE(f.has_ipv4);
	CU_ASSERT_EQUAL(f.l3_off, 12 + 8 + 2 + 4);
	CU_ASSERT_EQUAL(f.ip.src, A_SRC);
	CU_ASSERT_EQUAL(f.ip.dst, A_DST);
	CU_ASSERT_TRUE(f.has_udp);
	CU_ASSERT_EQUAL(f.udp.dport, 6000);
	CU_ASSERT_EQUAL(f.l4_off, 26 + 20);
	CU_ASSERT_EQUAL(f.payload_off, 26 + 28);
	CU_ASSERT_EQUAL(f.payload_len, 12 + 1400);
	pkt_free(sim, p);
	sim_free(sim);
}

static void
test_parse_three_labels_dot1q(void)
{
	struct sim *sim = sim_new(1);
	struct pkt *p = udp_frame(sim, 1, 0);
	static const uint32_t labels[] = { 16, 1000, 0xfffff };
	struct wire_frame f;
	unsigned i;

	push_labels(sim, p, labels, 3);
	CU_ASSERT_EQUAL(wire_parse(p->data, p->len, 0, true, &f), WIRE_OK);
	CU_ASSERT_EQUAL(f.nvlan, 1);
	CU_ASSERT_EQUAL(f.vlan[0].vid, 100);
	CU_ASSERT_EQUAL(f.vlan[0].pcp, 3);
	CU_ASSERT_EQUAL_FATAL(f.nmpls, 3);
	/* Top of stack first: the last pushed. */
	for (i = 0; i < 3; i++) {
		CU_ASSERT_EQUAL(f.lse[i].label, labels[2 - i]);
		CU_ASSERT_EQUAL(f.lse[i].tc, 2 - i);
		CU_ASSERT_EQUAL(f.lse[i].ttl, 64 - (2 - i));
		CU_ASSERT_EQUAL(f.lse[i].s, i == 2);
	}
	CU_ASSERT_TRUE(f.has_ipv4);
	CU_ASSERT_EQUAL(f.l3_off, 12 + 4 + 2 + 12);
	CU_ASSERT_TRUE(f.has_udp);
	CU_ASSERT_EQUAL(f.udp.sport, 5000);
	CU_ASSERT_EQUAL(f.payload_len, 12);
	CU_ASSERT_EQUAL(memcmp(p->data + f.payload_off, "abcdefghijkl", 12),
	    0);
	/* Four labels is the most a stack may have. */
	push_labels(sim, p, labels, 1);
	CU_ASSERT_EQUAL(wire_parse(p->data, p->len, 0, true, &f), WIRE_OK);
	CU_ASSERT_EQUAL(f.nmpls, WIRE_MPLS_MAX);
	CU_ASSERT_TRUE(f.has_udp);
	pkt_free(sim, p);
	sim_free(sim);
}

/* A stack over something that is not IPv4 is payload, as an EtherType is. */
static void
test_parse_non_ip_under_labels(void)
{
	struct sim *sim = sim_new(1);
	struct pkt *p = pkt_alloc(sim, 8);
	struct eth_hdr eth = { .type = 0x88b5 };
	struct mpls_lse l = { .label = 77, .ttl = 1 };
	struct wire_frame f;

	memset(p->data, 0x60, 8);	/* version nibble 6 */
	p->virt_len = 100;
	memcpy(eth.dst, mac_dst, 6);
	memcpy(eth.src, mac_src, 6);
	wire_push_eth(sim, p, &eth);
	CU_ASSERT_EQUAL(wire_push_mpls(sim, p, &l), 0);
	CU_ASSERT_EQUAL(wire_parse(p->data, p->len, p->virt_len, true, &f),
	    WIRE_OK);
	CU_ASSERT_EQUAL(f.nmpls, 1);
	CU_ASSERT_EQUAL(f.lse[0].label, 77);
	CU_ASSERT_FALSE(f.has_ipv4);
	CU_ASSERT_EQUAL(f.payload_off, 18);
	CU_ASSERT_EQUAL(f.payload_len, 8 + 100);
	/* An empty payload under the bottom label parses too. */
	pkt_trim(p, 18);
	CU_ASSERT_EQUAL(wire_parse(p->data, p->len, 0, true, &f), WIRE_OK);
	CU_ASSERT_EQUAL(f.payload_off, 18);
	CU_ASSERT_EQUAL(f.payload_len, 0);
	pkt_free(sim, p);
	sim_free(sim);
}

static void
test_parse_malformed(void)
{
	struct sim *sim = sim_new(1);
	struct pkt *p = udp_frame(sim, 1, 0);
	static const uint32_t five[] = { 16, 17, 18, 19, 20 };
	struct wire_frame f;
	uint8_t *copy;
	size_t len;

	/* Five labels: no bottom of stack within the four allowed. */
	push_labels(sim, p, five, 5);
	CU_ASSERT_EQUAL(wire_parse(p->data, p->len, 0, true, &f),
	    WIRE_ERR_MPLS_DEPTH);
	/* The entries read before the error are there. */
	CU_ASSERT_EQUAL(f.nmpls, WIRE_MPLS_MAX);
	CU_ASSERT_EQUAL(f.lse[0].label, 20);
	CU_ASSERT_EQUAL(f.lse[3].label, 17);
	CU_ASSERT_FALSE(f.has_ipv4);
	CU_ASSERT_EQUAL(wire_pop_mpls(sim, p, NULL), 0);
	CU_ASSERT_EQUAL(wire_parse(p->data, p->len, 0, true, &f), WIRE_OK);

	/* No S bit at all, on a frame that ends after the fourth entry. */
	p->data[18 + 12 + 2] &= 0xfe;
	CU_ASSERT_EQUAL(wire_parse(p->data, 18 + 16, 0, true, &f),
	    WIRE_ERR_MPLS_DEPTH);
	p->data[18 + 12 + 2] |= 0x01;

	/*
	 * Cut anywhere inside the stack: a truncated entry; at an entry's
	 * end with no S yet: likewise. Exact-size copies, so ASan sees any
	 * read past the end.
	 */
	for (len = 18; len < 18 + 16; len++) {
		copy = xmalloc(len);
		memcpy(copy, p->data, len);
		CU_ASSERT_EQUAL(wire_parse(copy, len, 100, true, &f),
		    WIRE_ERR_TRUNC_MPLS);
		CU_ASSERT_EQUAL(f.nmpls, (len - 18) / 4);
		free(copy);
	}
	/* Cut inside the IPv4 header under the stack. */
	CU_ASSERT_EQUAL(wire_parse(p->data, 18 + 16 + 19, 0, true, &f),
	    WIRE_ERR_TRUNC_IPV4);
	CU_ASSERT_EQUAL(f.nmpls, 4);
	/* A bad IPv4 checksum under the labels is caught as without them. */
	p->data[18 + 16 + 8] ^= 0x01;
	CU_ASSERT_EQUAL(wire_parse(p->data, p->len, 0, true, &f),
	    WIRE_ERR_IPV4_CSUM);
	pkt_free(sim, p);
	sim_free(sim);
}

/*
 * tshark decodes the labels (mpls.label, top first) and the IPv4 and UDP
 * under them, with no malformed packet and no checksum complaint.
 */
static void
test_tshark_mpls(void)
{
	struct sim *sim = sim_new(1);
	static const uint32_t one[] = { 299792 };
	static const uint32_t three[] = { 16, 1000, 0xfffff };
	char *dir, path[300], out[4096], err[256];
	struct capture *c;
	struct pkt *p;
	int st;

	if (test_sh(NULL, 0, "command -v tshark") != 0) {
		CU_FAIL("tshark is not on PATH (apt-get install tshark)");
		sim_free(sim);
		return;
	}
	dir = test_tmpdir("/tmp/xcsim_wire_mpls_XXXXXX");
	CU_ASSERT_PTR_NOT_NULL_FATAL(dir);
	snprintf(path, sizeof(path), "%s/mpls.pcap", dir);
	c = capture_open(path, err, sizeof(err));
	CU_ASSERT_PTR_NOT_NULL_FATAL(c);
	p = udp_frame(sim, 0, 100);
	push_labels(sim, p, one, 1);
	capture_write(c, 1000, p);
	pkt_free(sim, p);
	p = udp_frame(sim, 1, 0);
	push_labels(sim, p, three, 3);
	capture_write(c, 2000, p);
	pkt_free(sim, p);
	CU_ASSERT_EQUAL_FATAL(capture_close(c, err, sizeof(err)), 0);

	st = test_sh(out, sizeof(out), "(tshark -r '%s' -T fields "
	    "-E 'separator=;' -e vlan.id -e mpls.label -e mpls.bottom -e ip.src "
	    "-e ip.dst -e udp.dstport -o ip.check_checksum:TRUE "
	    "-o udp.check_checksum:TRUE 2>/dev/null)", path);
	CU_ASSERT_EQUAL(st, 0);
	/* One line a frame: tag, labels top first, S bits, then IP and UDP. */
	CU_ASSERT_STRING_EQUAL(out,
	    ";299792;1;10.0.0.1;10.0.2.2;6000\n"
	    "100;1048575,1000,16;0,0,1;10.0.0.1;10.0.2.2;6000\n");
	st = test_sh(out, sizeof(out), "tshark -r '%s' -q -z expert "
	    "-o ip.check_checksum:TRUE -o udp.check_checksum:TRUE", path);
	CU_ASSERT_EQUAL(st, 0);
	CU_ASSERT_PTR_NULL(strstr(out, "Malformed"));
	CU_ASSERT_PTR_NULL(strstr(out, "Error"));
	CU_ASSERT_PTR_NULL(strstr(out, "Warning"));
	CU_ASSERT_PTR_NULL(strstr(out, "hecksum"));
	sim_free(sim);
}

static const struct test_case cases[] = {
	{ "push/pop round trip, exact bytes", test_push_pop_bytes },
	{ "push/pop with QinQ, refusals", test_push_pop_edges },
	{ "parse one label under QinQ", test_parse_one_label_qinq },
	{ "parse three labels under 802.1Q", test_parse_three_labels_dot1q },
	{ "labels over a non-IPv4 payload", test_parse_non_ip_under_labels },
	{ "malformed label stacks", test_parse_malformed },
	{ "tshark decodes mpls and the ip under it", test_tshark_mpls },
	{ NULL, NULL },
};

int
main(int argc, char **argv)
{
	return test_main(argc, argv, "wire_mpls", cases);
}
