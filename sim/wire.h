/*
 * wire.h - wire formats: Ethernet II, 802.1Q and 802.1ad tags, MPLS label
 * stack entries, IPv4, ICMP, UDP and TCP headers, and the Internet checksum.
 *
 * Header structs are host-order values; the push functions write network
 * order in front of a packet's data and fill in lengths and checksums, the
 * parse function reads a frame back and checks everything a receiver checks.
 * Build a packet from the inside out: payload, then L4, then IPv4, then
 * Ethernet. Virtual payload (see pkt.h) counts in every length and, being all
 * zeros, leaves every checksum exact.
 */
#ifndef XCSIM_WIRE_H
#define XCSIM_WIRE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct sim;
struct pkt;

#define WIRE_ETH_HLEN 14u
#define WIRE_VLAN_HLEN 4u
#define WIRE_MPLS_HLEN 4u	/* one label stack entry */
#define WIRE_MPLS_MAX 4u	/* deepest label stack wire_parse accepts */
#define WIRE_IPV4_HLEN 20u
#define WIRE_ICMP_HLEN 8u
#define WIRE_UDP_HLEN 8u
#define WIRE_TCP_HLEN 20u

#define WIRE_ETHERTYPE_IPV4 0x0800u
#define WIRE_ETHERTYPE_VLAN 0x8100u	/* 802.1Q C-tag */
#define WIRE_ETHERTYPE_QINQ 0x88a8u	/* 802.1ad S-tag */
#define WIRE_ETHERTYPE_MPLS 0x8847u	/* MPLS unicast (RFC 3032) */

#define WIRE_IPPROTO_ICMP 1u
#define WIRE_IPPROTO_TCP 6u
#define WIRE_IPPROTO_UDP 17u

#define WIRE_IPV4_DF 0x4000u
#define WIRE_IPV4_MF 0x2000u

#define WIRE_ICMP_ECHO_REPLY 0u
#define WIRE_ICMP_UNREACH 3u
#define WIRE_ICMP_ECHO 8u
#define WIRE_ICMP_TIME_EXCEEDED 11u

#define WIRE_ICMP_UNREACH_NET 0u
#define WIRE_ICMP_UNREACH_HOST 1u
#define WIRE_ICMP_UNREACH_PROTO 2u
#define WIRE_ICMP_UNREACH_PORT 3u
#define WIRE_ICMP_UNREACH_NEEDFRAG 4u

#define WIRE_TCP_FIN 0x01u
#define WIRE_TCP_SYN 0x02u
#define WIRE_TCP_RST 0x04u
#define WIRE_TCP_PSH 0x08u
#define WIRE_TCP_ACK 0x10u
#define WIRE_TCP_URG 0x20u
#define WIRE_TCP_ECE 0x40u
#define WIRE_TCP_CWR 0x80u

struct eth_hdr {
	uint8_t dst[6];
	uint8_t src[6];
	uint16_t type;		/* EtherType after any VLAN tags */
};

struct vlan_tag {
	uint16_t tpid;		/* WIRE_ETHERTYPE_VLAN or WIRE_ETHERTYPE_QINQ */
	uint8_t pcp;		/* 0..7 */
	bool dei;
	uint16_t vid;		/* 0..4095 */
};

/* One MPLS label stack entry (RFC 3032 2.1). */
struct mpls_lse {
	uint32_t label;		/* 0..0xfffff */
	uint8_t tc;		/* traffic class, 0..7 (RFC 5462) */
	bool s;			/* bottom of stack */
	uint8_t ttl;
};

struct ipv4_hdr {
	uint8_t ihl;		/* header length in 32-bit words, >= 5 */
	uint8_t tos;
	uint16_t total_len;	/* filled in by wire_push_ipv4 */
	uint16_t id;
	uint16_t frag;		/* flags (WIRE_IPV4_DF, WIRE_IPV4_MF) | offset in 8-byte units */
	uint8_t ttl;
	uint8_t proto;
	uint16_t csum;		/* filled in by wire_push_ipv4 */
	uint32_t src;
	uint32_t dst;
};

struct icmp_hdr {
	uint8_t type;
	uint8_t code;
	uint16_t csum;		/* filled in by wire_push_icmp */
	uint32_t rest;		/* echo: id << 16 | seq; need-frag: next-hop MTU */
};

struct udp_hdr {
	uint16_t sport;
	uint16_t dport;
	uint16_t len;		/* filled in by wire_push_udp */
	uint16_t csum;		/* filled in by wire_push_udp */
};

struct tcp_hdr {
	uint16_t sport;
	uint16_t dport;
	uint32_t seq;
	uint32_t ack;
	uint8_t off;		/* header length in 32-bit words, >= 5 */
	uint8_t flags;		/* WIRE_TCP_SYN | WIRE_TCP_ACK ... */
	uint16_t win;
	uint16_t csum;		/* filled in by wire_push_tcp */
	uint16_t urg;
	const uint8_t *opt;	/* (off - 5) * 4 option bytes, or NULL if none */
};

/* RFC 1071 one's-complement sum of len bytes added to sum (not folded). */
uint32_t wire_sum(const void *data, size_t len, uint32_t sum);
/* Fold a sum and complement it: the value that goes into a checksum field. */
uint16_t wire_fold(uint32_t sum);
/* RFC 1624 incremental update of a checksum when a 16-bit word changes. */
uint16_t wire_csum_update16(uint16_t csum, uint16_t old_word, uint16_t new_word);

/*
 * Push functions prepend the header to p (pkt_push) and return 0. The L4
 * functions compute their checksum over the header, the real bytes already
 * in p, the virtual payload and the IPv4 pseudo-header (src, dst).
 */
int wire_push_eth(struct sim *sim, struct pkt *p, const struct eth_hdr *h);
/* Inserts a tag between the MAC addresses of an Ethernet frame in p. */
int wire_push_vlan(struct sim *sim, struct pkt *p, const struct vlan_tag *t);
/*
 * Pushes a label stack entry on top of the frame's label stack, after the
 * Ethernet header and its tags, and sets the EtherType to MPLS. l->s is
 * ignored: the S bit is set exactly when the frame had no label before, so
 * the stack stays well formed whatever the caller passes.
 */
int wire_push_mpls(struct sim *sim, struct pkt *p, const struct mpls_lse *l);
/*
 * Removes the top label stack entry (into *l when l is not NULL). Popping
 * the bottom entry restores the EtherType of what it carried, which must be
 * IPv4 (version nibble 4). Returns 0, or -1 with p unchanged when the frame
 * carries no label (or too few bytes for one) or the bottom entry's payload
 * is not IPv4.
 */
int wire_pop_mpls(struct sim *sim, struct pkt *p, struct mpls_lse *l);
int wire_push_ipv4(struct sim *sim, struct pkt *p, const struct ipv4_hdr *h);
int wire_push_icmp(struct sim *sim, struct pkt *p, const struct icmp_hdr *h);
int wire_push_udp(struct sim *sim, struct pkt *p, const struct udp_hdr *h,
    uint32_t src, uint32_t dst);
int wire_push_tcp(struct sim *sim, struct pkt *p, const struct tcp_hdr *h,
    uint32_t src, uint32_t dst);
/*
 * An ihl or off of 0 means 5 (no options). IPv4 options are written as End of
 * Option List bytes; TCP options come from opt, or are zeros when it is NULL.
 * A push that would make an IPv4, ICMP, UDP or TCP length exceed 65535
 * returns -1 and leaves p unchanged. Out-of-range fields (pcp > 7, vid >
 * 4095, label > 0xfffff, tc > 7, ihl or off > 15) and a VLAN or MPLS push on
 * a frame without an Ethernet header (and its tags) are caller bugs and
 * abort.
 */

enum wire_err {
	WIRE_OK = 0,
	WIRE_ERR_TRUNC_ETH,
	WIRE_ERR_TRUNC_VLAN,
	WIRE_ERR_VLAN_DEPTH,	/* more than two tags */
	WIRE_ERR_TRUNC_IPV4,
	WIRE_ERR_IPV4_VERSION,
	WIRE_ERR_IPV4_IHL,
	WIRE_ERR_IPV4_LEN,	/* total length disagrees with the frame */
	WIRE_ERR_IPV4_CSUM,
	WIRE_ERR_TRUNC_L4,
	WIRE_ERR_ICMP_CSUM,
	WIRE_ERR_UDP_LEN,
	WIRE_ERR_UDP_CSUM,
	WIRE_ERR_TCP_OFF,
	WIRE_ERR_TCP_CSUM,
	WIRE_ERR_TRUNC_MPLS,
	WIRE_ERR_MPLS_DEPTH,	/* no bottom of stack within WIRE_MPLS_MAX */
	WIRE_ERR_MAX
};
extern const char *const wire_err_name[WIRE_ERR_MAX];

/*
 * A parsed frame. Offsets are from the start of the frame; a layer that is
 * absent has offset 0 and its has_ flag clear. Non-IPv4 EtherTypes and
 * unknown IP protocols parse successfully with only the layers understood.
 * A label stack (EtherType MPLS) sits between the tags and l3_off; what the
 * bottom entry carries is parsed as IPv4 when its version nibble is 4, else
 * it is payload.
 */
struct wire_frame {
	struct eth_hdr eth;
	struct vlan_tag vlan[2];
	unsigned nvlan;
	struct mpls_lse lse[WIRE_MPLS_MAX];	/* top of stack first */
	unsigned nmpls;
	bool has_ipv4, has_icmp, has_udp, has_tcp;
	uint32_t l3_off, l4_off, payload_off;
	uint32_t payload_len;	/* real + virtual bytes after the L4 header */
	struct ipv4_hdr ip;
	struct icmp_hdr icmp;
	struct udp_hdr udp;
	struct tcp_hdr tcp;	/* tcp.opt points into the frame */
};

/*
 * Parse a frame of buf_len real bytes followed by virt_len virtual zero bytes.
 * With verify set, checksums are checked (IPv4 header, ICMP, UDP unless
 * zero, TCP). Never reads outside buf. Returns WIRE_OK or the first error;
 * on error the layers parsed before it are valid in out.
 */
enum wire_err wire_parse(const uint8_t *buf, size_t buf_len, size_t virt_len,
    bool verify, struct wire_frame *out);
/*
 * More precisely: a has_ flag is set only for a layer that passed every check,
 * so on a checksum or length error in a layer its fields are filled in (for
 * diagnostics) but its flag is clear. payload_off/payload_len describe what
 * follows the deepest layer understood: after the Ethernet header (and tags)
 * for a non-IPv4 EtherType, after the IPv4 header for an unknown protocol or
 * a fragment (fragments are not parsed past IPv4: their transport checksum
 * covers bytes we do not have). Bytes beyond the IPv4 total length are link
 * padding and ignored; bytes beyond a UDP length, likewise.
 */

/* Dotted-quad text of a host-order address into buf (>= 16 bytes). */
char *wire_ip_str(uint32_t addr, char *buf);
/* Parse "a.b.c.d"; returns 0 or -1. */
int wire_ip_parse(const char *s, uint32_t *addr);
/* Parse "a.b.c.d/len"; host bits must be zero unless allow_host. */
int wire_prefix_parse(const char *s, bool allow_host, uint32_t *addr,
    uint8_t *len);

#endif
