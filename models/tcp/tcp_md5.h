/*
 * tcp_md5.h - TCP MD5 signatures (RFC 2385): the digest of a segment, the
 * signing of one the stack built, and the check of one that arrived, as
 * Linux's TCP_MD5SIG does them.
 *
 * The digest covers, in this order (RFC 2385 section 2.0): the pseudo-
 * header (source address, destination address, a zero byte, protocol 6,
 * the segment's length: TCP header with options, plus data), the 20-byte
 * TCP header without options with its checksum taken as zero, the segment
 * data (virtual bytes as the zeros they are), and the key. MD5 is nettle's.
 */
#ifndef XCSIM_TCP_MD5_H
#define XCSIM_TCP_MD5_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "tcp_wire.h"

struct pkt;

/* Linux's TCP_MD5SIG_MAXKEYLEN. */
#define TCP_MD5_KEY_MAX 80u
#define TCP_MD5_LEN 16u
/* The option with its two NOPs: what every signed segment's header grows by. */
#define TCP_MD5_OPT_SPACE 20u

struct tcp_md5_key {
	uint8_t len;			/* 1 .. TCP_MD5_KEY_MAX */
	uint8_t key[TCP_MD5_KEY_MAX];
};

/*
 * The digest of a segment: hdr is its TCP header (hlen bytes, options
 * included, only the first 20 hashed), then real data bytes and virt zero
 * bytes; src and dst in host byte order.
 */
void tcp_md5_digest(const uint8_t *key, size_t keylen, uint32_t src,
    uint32_t dst, const uint8_t *hdr, uint32_t hlen, const uint8_t *data,
    uint32_t real, uint64_t virt, uint8_t out[TCP_MD5_LEN]);

/*
 * Sign a segment wire_push_tcp built: p->data is its TCP header, whose
 * options start with the MD5 option (tcp_opts_build puts it first) holding
 * zeros. Writes the digest there and updates the checksum.
 */
void tcp_md5_sign(struct pkt *p, uint32_t src, uint32_t dst,
    const struct tcp_md5_key *k);

enum tcp_md5_verdict {
	TCP_MD5_OK = 0,			/* signed and right, or neither side keyed */
	TCP_MD5_MISSING,		/* keyed, but no option */
	TCP_MD5_MISMATCH,		/* keyed, and a wrong digest */
	TCP_MD5_UNEXPECTED,		/* an option where no key is */
	TCP_MD5_VERDICT_MAX
};
/* The drop detail of each verdict ("tcp: md5 missing", ...). */
extern const char *const tcp_md5_verdict_name[TCP_MD5_VERDICT_MAX];

/*
 * Check an arrived segment against k (NULL: no key): seg is its TCP header
 * (hlen bytes), real data bytes after it and virt zero bytes after those;
 * o its parsed options.
 */
enum tcp_md5_verdict tcp_md5_check(const struct tcp_md5_key *k,
    const struct tcp_opts *o, uint32_t src, uint32_t dst, const uint8_t *seg,
    uint32_t hlen, uint32_t real, uint64_t virt);

#endif
