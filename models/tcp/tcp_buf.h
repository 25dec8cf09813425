/*
 * tcp_buf.h - a connection's byte buffers: the send queue (from SND.UNA on),
 * the receive queue (in order, not yet read) and the out-of-order queue of
 * the receiver (ranges keyed by sequence number).
 *
 * Bulk data stays virtual: a chunk is either real bytes or a length of zero
 * bytes with nothing stored, and adjacent virtual chunks merge, so a bulk
 * transfer of any size is one chunk. Real bytes (a BGP message) are kept
 * exactly as written, whatever the segmentation on the wire.
 */
#ifndef XCSIM_TCP_BUF_H
#define XCSIM_TCP_BUF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct tcp_chunk;

/* A FIFO of bytes, each run real or virtual. */
struct tcp_bytes {
	struct tcp_chunk *head, *tail;
	uint32_t len;		/* bytes queued, real and virtual */
};

void tb_init(struct tcp_bytes *b);
void tb_free(struct tcp_bytes *b);
/* Append len bytes (data NULL: virtual zero bytes). */
void tb_append(struct tcp_bytes *b, const uint8_t *data, uint32_t len);
/* Remove n <= len bytes from the front into out (NULL: discard them). */
void tb_consume(struct tcp_bytes *b, uint32_t n, uint8_t *out);
/*
 * Of the len bytes at offset off, how many from the start must be carried
 * as real bytes: up to and including the last real byte (0 if they are all
 * virtual). A segment carries those real, the rest as virtual payload.
 */
uint32_t tb_real_prefix(const struct tcp_bytes *b, uint32_t off, uint32_t len);
/* Copy len bytes at offset off into out (virtual ones as zeros). */
void tb_copy(const struct tcp_bytes *b, uint32_t off, uint32_t len,
    uint8_t *out);

/* One out-of-order range: real bytes first, then virtual ones. */
struct tcp_ooo {
	struct tcp_ooo *next, *prev;
	uint32_t seq, len, real;
	uint8_t data[];
};

/* The receiver's out-of-order queue, sorted by sequence, no overlaps. */
struct tcp_reasm {
	struct tcp_ooo *head, *tail;
	uint32_t n;
	uint32_t bytes;
};

void tr_init(struct tcp_reasm *r);
void tr_free(struct tcp_reasm *r);
/*
 * Add the bytes [seq, seq + len) of a segment (real of them at data, the
 * rest virtual), all above rcv_nxt. Parts already held are not stored
 * again. Returns the bytes newly held.
 */
uint32_t tr_insert(struct tcp_reasm *r, uint32_t seq, uint32_t len,
    uint32_t real, const uint8_t *data);
/*
 * Move what is now in order at *rcv_nxt into q, advancing *rcv_nxt, and
 * drop anything below it. Returns the bytes moved.
 */
uint32_t tr_deliver(struct tcp_reasm *r, uint32_t *rcv_nxt,
    struct tcp_bytes *q);
/*
 * The contiguous range holding seq, as [*start, *end); false if seq is not
 * held.
 */
bool tr_block_of(const struct tcp_reasm *r, uint32_t seq, uint32_t *start,
    uint32_t *end);
/* The i-th contiguous range from the highest down; false past the last. */
bool tr_block_nth_high(const struct tcp_reasm *r, uint32_t i, uint32_t *start,
    uint32_t *end);

#endif
