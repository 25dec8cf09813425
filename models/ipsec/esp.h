/*
 * esp.h - ESP tunnel mode (RFC 4303) between simulated nodes: the data
 * path of a site-to-site IPsec VPN.
 *
 * struct esp_host owns ESP on one node: its IP protocol 50 handler and
 * the tunnels added to it. A tunnel is an interface without a link (a
 * route-based VPN's tunnel interface: routes point at it, BGP runs over
 * its addresses); each IPv4 packet the node sends out of it is taken by
 * the interface's frame-out hook and sent as one ESP packet from the
 * tunnel's local to its remote address in the tunnel's (outer) VRF:
 *
 *   outer IPv4 (proto 50) | SPI 4 | sequence 4 | IV | inner IPv4 packet |
 *   padding 1, 2, 3, ... | pad length 1 | next header 4 (IPv4) 1 | ICV
 *
 * The IV, padding and ICV have the sizes of the algorithms (esp_algo):
 * AES-CBC IV 16 and block 16, AES-GCM IV 8 and 4-byte alignment, ICV 12
 * (HMAC-SHA1-96) or 16 (HMAC-SHA-256-128, AES-GCM-16) ...: an inner packet
 * of L bytes grows by 20 + 8 + IV + pad + 2 + ICV, pad making L + 2 + pad
 * a multiple of the block (esp_overhead). The cipher is not real: the
 * bytes after the IV are the plaintext XORed with a keystream of the SA's
 * key, sequence and SPI, and the ICV is a keyed 64-bit hash of the ESP
 * header, IV and ciphertext, spread over the ICV's length: a receiver with
 * another key finds the ICV wrong and drops the packet, as a real one
 * would. The outer header's DF is clear: an outer packet larger than the
 * path's MTU is fragmented by the node (RFC 4459 "post-fragmentation").
 *
 * The tunnel interface's MTU is the largest inner packet whose ESP packet
 * fits the MTU toward the remote address (1438 for AES-CBC + HMAC-SHA1-96
 * over 1500) unless the tunnel sets one: an inner DF packet larger than it
 * is refused by the node with ICMP need-frag giving it; one without DF is
 * encapsulated whole and the outer packet fragmented.
 *
 * The receiver finds the SA by SPI among the inbound SAs of its tunnels,
 * checks the sequence against the anti-replay window (64 packets, RFC
 * 4303 3.4.3, before and, once the ICV passed, updated after the ICV
 * check), the length and alignment, the ICV, the padding and the next
 * header, strips the ESP and enters the inner packet at the tunnel
 * interface (node_iface_inject), in an event at the same instant: the
 * tunnel adds no time of its own. Every refused packet is dropped with
 * node_drop_l4 and a detail "esp: ..." naming the SPI: an unknown SPI
 * (DROP_NO_LISTENER), a replayed or too old sequence (DROP_FILTER), a
 * wrong ICV, bad length, padding or next header (DROP_MALFORMED). A
 * tunnel with no outbound SA refuses what it is given (DROP_LINK_DOWN:
 * the tunnel is down).
 *
 * Keys: an SA pair is installed by hand (manual keying, RFC 4301 4.5) or
 * by IKE (ike.h child_up); a rekey installs the new pair while the old
 * inbound SA keeps being accepted until it is removed, so no packet in
 * flight is lost.
 */
#ifndef XCSIM_ESP_H
#define XCSIM_ESP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct node;
struct pkt;
struct wire_frame;
struct esp_host;
struct esp_tunnel;

#define ESP_IPPROTO 50u
#define ESP_NATT_PORT 4500u	/* ESP in UDP (RFC 3948) */
#define ESP_HLEN 8u		/* SPI and sequence number */
#define ESP_REPLAY_WINDOW 64u	/* RFC 4303 3.4.3: the default */

/* IANA IKEv2 transform IDs (the same as ike.h's). */
enum {
	ESP_ENCR_3DES = 3,
	ESP_ENCR_AES_CBC = 12,
	ESP_ENCR_AES_GCM_16 = 20,	/* combined mode: no integ */
	ESP_INTEG_NONE = 0,
	ESP_INTEG_HMAC_MD5_96 = 1,
	ESP_INTEG_HMAC_SHA1_96 = 2,
	ESP_INTEG_HMAC_SHA2_256_128 = 12,
	ESP_INTEG_HMAC_SHA2_384_192 = 13,
	ESP_INTEG_HMAC_SHA2_512_256 = 14,
};

/* One direction's SA. */
struct esp_sa_cfg {
	uint32_t spi;		/* >= 256 (RFC 4303 2.1: 1-255 reserved) */
	uint16_t encr, keylen;	/* keylen in bits: 128/192/256 for AES */
	uint16_t integ;		/* ESP_INTEG_NONE with GCM only */
	uint64_t key;		/* the same at both ends */
};

/* Sizes of an algorithm pair, in bytes. */
struct esp_algo {
	uint8_t iv_len, block, icv_len;
};

/*
 * The sizes of encr + integ; -1 (err says why) for an unknown algorithm,
 * a key length it does not have, GCM with an integrity algorithm or
 * another cipher without one.
 */
int esp_algo(uint16_t encr, uint16_t keylen, uint16_t integ,
    struct esp_algo *out, char *err, size_t errlen);
/* Bytes an inner packet of inner_len grows by in tunnel mode. */
uint32_t esp_overhead(const struct esp_algo *a, uint32_t inner_len);
/* The largest inner packet whose ESP packet fits outer_mtu (0: none). */
uint32_t esp_inner_mtu(const struct esp_algo *a, uint32_t outer_mtu);

/* ESP on node n: takes IP protocol 50 (NULL if it is taken). */
struct esp_host *esp_host_new(struct node *n);
/* Frees its tunnels (their interfaces lose the hook) and gives back 50. */
void esp_host_free(struct esp_host *h);
/*
 * Receive ESP in UDP on port 4500 of vrf itself (no IKE on the node: an
 * IKE host owns that port otherwise). 0, or -1 if the port is taken.
 * Released by esp_host_free.
 */
int esp_host_bind_udp(struct esp_host *h, uint32_t vrf);
/*
 * ESP in UDP arriving at the node (a node_udp_fn: p at the UDP payload,
 * owned from now on; ctx the struct esp_host): what an IKE host owning
 * port 4500 hands on for a datagram whose first word is not zero (the
 * non-ESP marker of IKE, RFC 3948 2.2).
 */
void esp_host_udp_rx(struct node *n, struct pkt *p,
    const struct wire_frame *f, void *ctx);

struct esp_tunnel_cfg {
	uint32_t ifindex;	/* an interface of the node without a link */
	uint32_t vrf;		/* outer VRF: where local and remote are */
	uint32_t local, remote;	/* outer addresses */
	uint32_t mtu;		/* the interface's IP MTU; 0 = derived */
	/*
	 * ESP in UDP 4500 -> 4500 (RFC 3948, NAT traversal): 8 bytes more
	 * a packet, and the far end must receive UDP 4500 (esp_host_bind_udp
	 * or an IKE host handing it esp_host_udp_rx).
	 */
	bool udp_encap;
};

/*
 * A tunnel on h's node; NULL (err says why) for a bad interface, one with
 * a link or already a tunnel's. Down (no SA) until esp_tunnel_install.
 */
struct esp_tunnel *esp_tunnel_new(struct esp_host *h,
    const struct esp_tunnel_cfg *cfg, char *err, size_t errlen);

/*
 * Install an SA pair: out takes the tunnel's packets from now on (its
 * sequence from 1), in is accepted beside the inbound SAs already there
 * (at most ESP_TUNNEL_MAX_IN: the oldest goes). The interface's MTU is
 * derived again when the tunnel sets none. -1 (err) for bad algorithms,
 * an SPI below 256 or an inbound SPI another SA of the host has.
 */
#define ESP_TUNNEL_MAX_IN 4
int esp_tunnel_install(struct esp_tunnel *t, const struct esp_sa_cfg *in,
    const struct esp_sa_cfg *out, char *err, size_t errlen);
/*
 * Remove the inbound SA spi_in and, if it is the outbound one, the SA
 * spi_out (the tunnel is down once it has no outbound SA). Unknown SPIs
 * are ignored.
 */
void esp_tunnel_remove(struct esp_tunnel *t, uint32_t spi_in,
    uint32_t spi_out);
bool esp_tunnel_up(const struct esp_tunnel *t);
/*
 * fn(ctx) is told of every packet the tunnel accepts (after its ICV): IKE
 * counts it as liveness (ike_sa_heard). fn NULL: none.
 */
void esp_tunnel_set_rx_cb(struct esp_tunnel *t, void (*fn)(void *ctx),
    void *ctx);
/* The interface's IP MTU now. */
uint32_t esp_tunnel_mtu(const struct esp_tunnel *t);

struct esp_stats {
	uint64_t tx_pkts, tx_bytes;	/* ESP packets sent; bytes: outer IP */
	uint64_t tx_inner_bytes;	/* the inner packets they carried */
	uint64_t rx_pkts, rx_bytes;	/* accepted; bytes: outer IP */
	uint64_t rx_replay, rx_icv, rx_malformed;	/* refused */
	uint64_t tx_down;		/* refused: no outbound SA */
	uint64_t installs, removes;
	uint32_t spi_out;		/* the outbound SA's now, 0: none */
};
const struct esp_stats *esp_tunnel_stats(const struct esp_tunnel *t);
/* Packets dropped for an SPI none of the host's tunnels has. */
uint64_t esp_host_unknown_spi(const struct esp_host *h);

/*
 * The receive path without a node, for the fuzz target and tests: check
 * the ESP packet esp (the IPv4 payload, len real bytes) against the
 * inbound SA sa and its window w, decrypt it in place and give the inner
 * IPv4 packet's offset and length in esp. ESP_OK updates the window;
 * otherwise *why says what was wrong ("ICV mismatch (wrong key?)") and
 * neither the window nor (before the ICV passed) the bytes change.
 */
struct esp_replay {
	uint32_t top;		/* highest sequence accepted, 0: none */
	uint64_t bits;		/* bit i: top - i was accepted */
};
enum esp_verdict { ESP_OK = 0, ESP_REPLAY, ESP_ICV, ESP_MALFORMED };
enum esp_verdict esp_decap(const struct esp_sa_cfg *sa,
    const struct esp_algo *a, struct esp_replay *w, uint8_t *esp,
    uint32_t len, uint32_t *inner_off, uint32_t *inner_len,
    const char **why);
/*
 * The sender's half, for tests and the fuzz target: the ESP packet (ESP
 * header onwards) of inner (inner_len bytes, the first inner_real of
 * them given, the rest zeros) under sa with sequence seq, written to out
 * (esp_overhead - 20 + inner_len bytes).
 */
void esp_encap(const struct esp_sa_cfg *sa, const struct esp_algo *a,
    uint32_t seq, const uint8_t *inner, uint32_t inner_real,
    uint32_t inner_len, uint8_t *out);

#endif
