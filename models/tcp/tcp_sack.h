/*
 * tcp_sack.h - the sender's SACK scoreboard and the loss-recovery queries
 * of RFC 6675: which sequence ranges above SND.UNA the receiver reported
 * holding, which the sender retransmitted, IsLost(), NextSeg() rule 1 and
 * SetPipe().
 *
 * Ranges are kept sorted, in sequence-number arithmetic (the space wraps
 * at 2^32: every comparison is relative to snd_una), so each query costs
 * the number of ranges, not the number of bytes in flight.
 *
 * RFC 6675 counts SACKed segments, and SACK blocks carry bytes: the SACKed
 * set keeps the boundaries the peer reported instead. Each run of bytes
 * that one block of one ACK newly SACKed is a piece of its own (pieces are
 * disjoint but may touch), and a piece of n bytes counts as ceil(n / mss)
 * segments. As receivers ACK each out-of-order segment at once, a piece is
 * one segment then: three 100-byte segments SACKed by three ACKs are three
 * segments (ns-3's count), and one block newly covering them all is one (a
 * lower bound, when ACKs were lost). See tcp_sack.c for the cap on pieces.
 */
#ifndef XCSIM_TCP_SACK_H
#define XCSIM_TCP_SACK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "tcp_wire.h"

struct tcp_range {
	uint32_t start, end;		/* [start, end) */
};

/*
 * At most this many SACKed pieces: a peer chooses the blocks, and each new
 * piece moves the ones above it. At the cap touching pieces are joined to
 * make room; a block touching no piece is then ignored (its bytes count as
 * not SACKed: at worst retransmitted, and learned again from later ACKs).
 */
#define TCP_SB_MAX_RANGES 256u

struct tcp_sb {
	struct tcp_range *sacked;	/* sorted pieces, above snd_una */
	size_t n_sacked, cap_sacked;
	struct tcp_range *rexmit;	/* retransmitted in this recovery */
	size_t n_rexmit, cap_rexmit;
	uint32_t sacked_bytes;
};

void tcp_sb_init(struct tcp_sb *sb);
void tcp_sb_free(struct tcp_sb *sb);
/* Forget everything (an RTO: RFC 6675 section 5.1 keeps SACK info, the
 * caller decides; this clears both sets). */
void tcp_sb_clear(struct tcp_sb *sb);
/* Forget retransmission marks only (a new recovery episode). */
void tcp_sb_clear_rexmit(struct tcp_sb *sb);

/*
 * Record the blocks of one ACK. Blocks not within [snd_una, snd_max] or
 * with end <= start (in sequence space) are ignored (D-SACK and bogus
 * blocks). Returns the bytes newly SACKed.
 *
 * snd_max, the highest sequence ever sent, not snd_nxt: after an RTO the
 * sender goes back to snd_una (snd_nxt falls) while the segments between
 * snd_nxt and snd_max are still in the network or at the receiver, so
 * SACKs for them stay valid and must not be dropped as "past what was
 * sent".
 */
uint32_t tcp_sb_update(struct tcp_sb *sb, uint32_t snd_una, uint32_t snd_max,
    const struct tcp_sack_block *b, size_t nb);
/* The cumulative ACK moved to snd_una: drop what is below it. */
void tcp_sb_advance(struct tcp_sb *sb, uint32_t snd_una);
bool tcp_sb_is_sacked(const struct tcp_sb *sb, uint32_t seq);
/* The highest SACKed sequence + 1 (snd_una if nothing is SACKed). */
uint32_t tcp_sb_high_sacked(const struct tcp_sb *sb, uint32_t snd_una);
/*
 * RFC 6675 IsLost(seq): at least dupthresh SACKed segments (pieces, each
 * ceil(bytes / mss), a piece holding seq by its bytes above seq), or more
 * than (dupthresh - 1) * mss SACKed bytes, above seq.
 */
bool tcp_sb_is_lost(const struct tcp_sb *sb, uint32_t seq, uint32_t mss,
    uint32_t dupthresh);
void tcp_sb_mark_rexmit(struct tcp_sb *sb, uint32_t seq, uint32_t len);
/*
 * NextSeg() rule 1: the first range of at most mss bytes in [snd_una,
 * high_data) that is neither SACKed nor retransmitted and IsLost(); true
 * with *seq, *len set if there is one.
 */
bool tcp_sb_next_lost(const struct tcp_sb *sb, uint32_t snd_una,
    uint32_t high_data, uint32_t mss, uint32_t dupthresh, uint32_t *seq,
    uint32_t *len);
/*
 * SetPipe(): bytes in [snd_una, high_data) counted once if neither SACKed
 * nor lost, and once more if retransmitted (RFC 6675 section 4).
 */
uint32_t tcp_sb_pipe(const struct tcp_sb *sb, uint32_t snd_una,
    uint32_t high_data, uint32_t mss, uint32_t dupthresh);

#endif
