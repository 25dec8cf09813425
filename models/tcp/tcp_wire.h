/*
 * tcp_wire.h - TCP segments as TCP reads and writes them: the options
 * (MSS, window scale, SACK-permitted, SACK blocks, timestamps, NOP/EOL),
 * parsed with every length checked and built in the layouts Linux uses, so
 * that tshark shows the same option lists it shows for real hosts.
 *
 * The IPv4 layer has already checked the TCP checksum and data offset
 * (wire_parse with verify); this module checks what only TCP knows.
 */
#ifndef XCSIM_TCP_WIRE_H
#define XCSIM_TCP_WIRE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define TCP_OPT_EOL 0u
#define TCP_OPT_NOP 1u
#define TCP_OPT_MSS 2u
#define TCP_OPT_WSCALE 3u
#define TCP_OPT_SACK_PERM 4u
#define TCP_OPT_SACK 5u
#define TCP_OPT_TS 8u
#define TCP_OPT_MD5 19u		/* RFC 2385 */

#define TCP_MAX_OPT_LEN 40u
#define TCP_MAX_SACK 4u
#define TCP_MAX_WSCALE 14u	/* RFC 7323 2.3: larger values mean 14 */
/*
 * The smallest MSS a sender uses, whatever the peer announced (Linux's
 * TCP_MIN_MSS): the parser reports an MSS option as sent, 0 included, and
 * the receiver of a smaller one clamps its send MSS up to this, so that a
 * hostile or broken peer cannot make it send one-byte segments.
 */
#define TCP_MIN_MSS 88u

struct tcp_sack_block {
	uint32_t start, end;	/* [start, end) in sequence space */
};

struct tcp_opts {
	bool has_mss, has_wscale, sack_perm, has_ts, has_md5;
	uint16_t mss;
	uint8_t wscale;		/* as sent (the receiver clamps to 14) */
	uint32_t ts_val, ts_ecr;
	uint8_t n_sack;
	struct tcp_sack_block sack[TCP_MAX_SACK];
	uint8_t md5[16];	/* the digest as carried */
};

enum tcp_opt_err {
	TCP_OPT_OK = 0,
	TCP_OPT_TRUNC,		/* a kind or length byte past the options */
	TCP_OPT_BAD_LEN,	/* length < 2, past the end, or wrong for the kind */
	TCP_OPT_SACK_BLOCKS,	/* SACK length not 2 + 8n with 1 <= n <= 4 */
	TCP_OPT_ERR_MAX
};
extern const char *const tcp_opt_err_name[TCP_OPT_ERR_MAX];

/*
 * Parse len option bytes (the TCP header's bytes 20 .. 4*off). Unknown
 * kinds with a valid length are skipped; EOL ends the list; an option that
 * appears twice is taken from its last appearance (Linux's
 * tcp_parse_options() overwrites, it does not drop the segment). MSS, window
 * scale and SACK-permitted are reported on any segment; the caller
 * honours them only on a SYN (RFC 9293 3.7.1, RFC 7323 2.2). Never reads
 * outside opt[0..len).
 */
enum tcp_opt_err tcp_opts_parse(const uint8_t *opt, size_t len,
    struct tcp_opts *o);

/*
 * Write o's options in Linux's order and alignment into out and return the
 * length (a multiple of 4, at most 40): on a SYN MSS, SACK-permitted with
 * timestamps (or NOP NOP SACK-permitted), window scale after a NOP; on
 * other segments NOP NOP timestamps, then NOP NOP SACK with as many blocks
 * as fit (3 with timestamps, 4 without). MD5 (18 bytes) goes first when
 * has_md5 and takes room from SACK blocks; on a SYN with MD5 timestamps
 * are left out, as Linux's tcp_syn_options() does.
 */
size_t tcp_opts_build(const struct tcp_opts *o, bool syn,
    uint8_t out[TCP_MAX_OPT_LEN]);

/* Sequence-space comparisons (RFC 9293 3.4). */
static inline bool seq_lt(uint32_t a, uint32_t b) { return (int32_t)(a - b) < 0; }
static inline bool seq_le(uint32_t a, uint32_t b) { return (int32_t)(a - b) <= 0; }
static inline bool seq_gt(uint32_t a, uint32_t b) { return (int32_t)(a - b) > 0; }
static inline bool seq_ge(uint32_t a, uint32_t b) { return (int32_t)(a - b) >= 0; }

#endif
