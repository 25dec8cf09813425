/*
 * test_tcp_sack.c - the SACK scoreboard: blocks kept as the pieces the
 * peer reported, advancing, the wrap of sequence space at 2^32, D-SACK and
 * bogus blocks ignored, RFC 6675's IsLost() by SACKed segments (small ones
 * included) and by bytes, NextSeg() rule 1 skipping SACKed and
 * retransmitted data, SetPipe(), the cap on pieces against a hostile peer
 * and in a large window; then ns-3's segment count with one ACK per
 * arrival, and all of it against a byte-by-byte reference on seeded random
 * scoreboards.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "tcp_sack.h"
#include "testutil.h"

static struct tcp_sack_block
blk(uint32_t s, uint32_t e)
{
	struct tcp_sack_block b = { s, e };

	return b;
}

static uint32_t
add1(struct tcp_sb *sb, uint32_t una, uint32_t nxt, uint32_t s, uint32_t e)
{
	struct tcp_sack_block b = blk(s, e);

	return tcp_sb_update(sb, una, nxt, &b, 1);
}

/* The SACKed pieces are exactly these n [start, end) pairs. */
static void
check_pieces(const struct tcp_sb *sb, const uint32_t (*want)[2], size_t n)
{
	size_t i;

	CU_ASSERT_EQUAL_FATAL(sb->n_sacked, n);
	for (i = 0; i < n; i++) {
		CU_ASSERT_EQUAL(sb->sacked[i].start, want[i][0]);
		CU_ASSERT_EQUAL(sb->sacked[i].end, want[i][1]);
	}
}

/*
 * Each run of bytes one block newly SACKs is a piece of its own, touching
 * pieces included: the boundaries the peer reported are kept.
 */
static void
test_update_pieces(void)
{
	static const uint32_t p3[][2] = { { 3000, 4000 }, { 4000, 5000 },
	    { 5000, 6000 } };
	static const uint32_t p6[][2] = { { 2000, 2500 }, { 2500, 3000 },
	    { 3000, 4000 }, { 4000, 5000 }, { 5000, 6000 }, { 6000, 7000 } };
	static const uint32_t p12[][2] = { { 2000, 2500 }, { 2500, 3000 },
	    { 3000, 4000 }, { 4000, 5000 }, { 5000, 6000 }, { 6000, 7000 },
	    { 7900, 8000 }, { 8000, 8100 }, { 8100, 8200 }, { 8200, 8300 },
	    { 8300, 9000 }, { 9000, 9500 } };
	struct tcp_sb sb;
	struct tcp_sack_block b[3];

	tcp_sb_init(&sb);
	CU_ASSERT_EQUAL(add1(&sb, 1000, 10000, 3000, 4000), 1000);
	CU_ASSERT_EQUAL(add1(&sb, 1000, 10000, 5000, 6000), 1000);
	CU_ASSERT_EQUAL(sb.n_sacked, 2);
	/* the block between touches both: a third piece, not one range */
	CU_ASSERT_EQUAL(add1(&sb, 1000, 10000, 4000, 5000), 1000);
	check_pieces(&sb, p3, 3);
	/* overlaps count, and become pieces, only their new bytes */
	CU_ASSERT_EQUAL(add1(&sb, 1000, 10000, 2500, 3500), 500);
	CU_ASSERT_EQUAL(add1(&sb, 1000, 10000, 2500, 6000), 0);
	/* new bytes on both sides of what is there: two pieces */
	CU_ASSERT_EQUAL(add1(&sb, 1000, 10000, 2000, 7000), 1500);
	check_pieces(&sb, p6, 6);
	CU_ASSERT_EQUAL(sb.sacked_bytes, 5000);
	/* several blocks in one ACK, in any order; one spanning two */
	b[0] = blk(9000, 9500);
	b[1] = blk(8000, 8100);
	b[2] = blk(8200, 8300);
	CU_ASSERT_EQUAL(tcp_sb_update(&sb, 1000, 10000, b, 3), 700);
	CU_ASSERT_EQUAL(sb.n_sacked, 9);
	CU_ASSERT_EQUAL(add1(&sb, 1000, 10000, 7900, 9100), 1200 - 200 - 100);
	check_pieces(&sb, p12, 12);
	CU_ASSERT_EQUAL(sb.sacked_bytes, 5000 + 1600);
	CU_ASSERT_EQUAL(tcp_sb_high_sacked(&sb, 1000), 9500);
	CU_ASSERT_TRUE(tcp_sb_is_sacked(&sb, 2000));
	CU_ASSERT_TRUE(tcp_sb_is_sacked(&sb, 6999));
	CU_ASSERT_TRUE(tcp_sb_is_sacked(&sb, 8100));
	CU_ASSERT_FALSE(tcp_sb_is_sacked(&sb, 7000));
	CU_ASSERT_FALSE(tcp_sb_is_sacked(&sb, 1999));
	CU_ASSERT_FALSE(tcp_sb_is_sacked(&sb, 9500));
	/* the cumulative ACK into a piece trims it */
	tcp_sb_advance(&sb, 2700);
	CU_ASSERT_EQUAL(sb.n_sacked, 11);
	CU_ASSERT_EQUAL(sb.sacked[0].start, 2700);
	CU_ASSERT_EQUAL(sb.sacked[0].end, 3000);
	CU_ASSERT_EQUAL(sb.sacked_bytes, 5000 + 1600 - 700);
	tcp_sb_clear(&sb);
	CU_ASSERT_EQUAL(sb.n_sacked, 0);
	CU_ASSERT_EQUAL(sb.sacked_bytes, 0);
	CU_ASSERT_EQUAL(tcp_sb_high_sacked(&sb, 1000), 1000);
	tcp_sb_free(&sb);
}

static void
test_wraparound(void)
{
	struct tcp_sb sb;
	uint32_t una = 0xfffff000u, nxt = una + 20000, seq, len;

	tcp_sb_init(&sb);
	/* a block across 2^32, then one on each side to merge with it */
	CU_ASSERT_EQUAL(add1(&sb, una, nxt, 0xfffffc00u, 0x400), 2048);
	CU_ASSERT_EQUAL(add1(&sb, una, nxt, 0x800, 0xc00), 1024);
	CU_ASSERT_EQUAL(add1(&sb, una, nxt, 0xfffff800u, 0xfffffc00u), 1024);
	/* three pieces: the first one reported, one below, one above */
	CU_ASSERT_EQUAL(sb.n_sacked, 3);
	CU_ASSERT_EQUAL(sb.sacked[0].start, 0xfffff800u);
	CU_ASSERT_EQUAL(sb.sacked[0].end, 0xfffffc00u);
	CU_ASSERT_EQUAL(sb.sacked[1].start, 0xfffffc00u);
	CU_ASSERT_EQUAL(sb.sacked[1].end, 0x400);
	CU_ASSERT_TRUE(tcp_sb_is_sacked(&sb, 0));
	CU_ASSERT_TRUE(tcp_sb_is_sacked(&sb, 0xffffffffu));
	CU_ASSERT_FALSE(tcp_sb_is_sacked(&sb, 0xfffff7ffu));
	CU_ASSERT_FALSE(tcp_sb_is_sacked(&sb, 0x400));
	CU_ASSERT_EQUAL(tcp_sb_high_sacked(&sb, una), 0xc00);
	/* 4096 SACKed bytes above una + 1 > 2 * 1000: the hole is lost */
	CU_ASSERT_TRUE(tcp_sb_is_lost(&sb, una, 1000, 3));
	CU_ASSERT_TRUE(tcp_sb_next_lost(&sb, una, nxt, 1000, 3, &seq, &len));
	CU_ASSERT_EQUAL(seq, una);
	CU_ASSERT_EQUAL(len, 1000);
	/* the hole between the two ranges, past the wrap (1024 > 2 * 500) */
	tcp_sb_mark_rexmit(&sb, una, 0x800);
	CU_ASSERT_FALSE(tcp_sb_next_lost(&sb, una, nxt, 1000, 3, &seq, &len));
	CU_ASSERT_TRUE(tcp_sb_next_lost(&sb, una, nxt, 500, 3, &seq, &len));
	CU_ASSERT_EQUAL(seq, 0x400);
	CU_ASSERT_EQUAL(len, 500);
	CU_ASSERT_TRUE(tcp_sb_next_lost(&sb, una, nxt, 2000, 1, &seq, &len));
	CU_ASSERT_EQUAL(len, 0x400);
	/* the cumulative ACK crosses 2^32 into the first range */
	tcp_sb_advance(&sb, 0x200);
	CU_ASSERT_EQUAL(sb.sacked[0].start, 0x200);
	CU_ASSERT_EQUAL(sb.sacked_bytes, 0x200 + 0x400);
	CU_ASSERT_EQUAL(sb.n_rexmit, 0);
	tcp_sb_advance(&sb, 0x900);
	CU_ASSERT_EQUAL(sb.n_sacked, 1);
	CU_ASSERT_EQUAL(sb.sacked[0].start, 0x900);
	CU_ASSERT_EQUAL(sb.sacked_bytes, 0x300);
	tcp_sb_advance(&sb, 0xc00);
	CU_ASSERT_EQUAL(sb.n_sacked, 0);
	CU_ASSERT_EQUAL(sb.sacked_bytes, 0);
	tcp_sb_free(&sb);
}

static void
test_dsack_and_bogus(void)
{
	struct tcp_sb sb;
	struct tcp_sack_block b[4];
	uint32_t una = 0xffffff00u, nxt = una + 5000;

	tcp_sb_init(&sb);
	CU_ASSERT_EQUAL(add1(&sb, una, nxt, una + 1000, una + 2000), 1000);
	/* D-SACK below the cumulative ACK, and one straddling it */
	CU_ASSERT_EQUAL(add1(&sb, una, nxt, una - 500, una), 0);
	CU_ASSERT_EQUAL(add1(&sb, una, nxt, una - 500, una + 500), 0);
	/* D-SACK of data already SACKed (RFC 2883 4.1.2): no new bytes */
	b[0] = blk(una + 1200, una + 1300);
	b[1] = blk(una + 1000, una + 2000);
	CU_ASSERT_EQUAL(tcp_sb_update(&sb, una, nxt, b, 2), 0);
	/* past snd_nxt, empty, reversed, far away */
	b[0] = blk(nxt - 100, nxt + 1);
	b[1] = blk(una + 3000, una + 3000);
	b[2] = blk(una + 4000, una + 3500);
	b[3] = blk(una + 0x80000000u, una + 0x80000100u);
	CU_ASSERT_EQUAL(tcp_sb_update(&sb, una, nxt, b, 4), 0);
	CU_ASSERT_EQUAL(sb.n_sacked, 1);
	CU_ASSERT_EQUAL(sb.sacked_bytes, 1000);
	/* but up to snd_nxt exactly is fine */
	CU_ASSERT_EQUAL(add1(&sb, una, nxt, nxt - 100, nxt), 100);
	/* a stale scoreboard below a moved una is trimmed by update */
	CU_ASSERT_EQUAL(add1(&sb, una + 1500, nxt, una + 2000, una + 2100),
	    100);
	CU_ASSERT_EQUAL(sb.sacked[0].start, una + 1500);
	CU_ASSERT_EQUAL(sb.sacked_bytes, 500 + 100 + 100);
	tcp_sb_free(&sb);
}

static void
test_is_lost(void)
{
	struct tcp_sb sb;
	uint32_t una = 100000, nxt = una + 100000;

	tcp_sb_init(&sb);
	/* by count: three small discontiguous ranges above */
	add1(&sb, una, nxt, una + 1000, una + 1100);
	add1(&sb, una, nxt, una + 2000, una + 2100);
	CU_ASSERT_FALSE(tcp_sb_is_lost(&sb, una, 1000, 3));
	CU_ASSERT_TRUE(tcp_sb_is_lost(&sb, una, 1000, 2));
	add1(&sb, una, nxt, una + 3000, una + 3100);
	CU_ASSERT_TRUE(tcp_sb_is_lost(&sb, una, 1000, 3));
	CU_ASSERT_TRUE(tcp_sb_is_lost(&sb, una + 999, 1000, 3));
	/* inside the first range only part of it is above */
	CU_ASSERT_TRUE(tcp_sb_is_lost(&sb, una + 1098, 1000, 3));
	CU_ASSERT_FALSE(tcp_sb_is_lost(&sb, una + 1099, 1000, 3));
	CU_ASSERT_FALSE(tcp_sb_is_lost(&sb, una + 1100, 1000, 3));
	CU_ASSERT_FALSE(tcp_sb_is_lost(&sb, una + 3100, 1000, 1));
	tcp_sb_clear(&sb);
	/* by bytes: two ranges, more than 2 * mss bytes */
	add1(&sb, una, nxt, una + 1000, una + 2000);
	add1(&sb, una, nxt, una + 3000, una + 4000);
	CU_ASSERT_FALSE(tcp_sb_is_lost(&sb, una, 1000, 3));
	add1(&sb, una, nxt, una + 4000, una + 4001);
	CU_ASSERT_TRUE(tcp_sb_is_lost(&sb, una, 1000, 3));
	CU_ASSERT_TRUE(tcp_sb_is_lost(&sb, una + 999, 1000, 3));
	/*
	 * Inside the first range: 999 bytes of it above (a segment), then
	 * two more segments, the 1-byte one reported apart: three.
	 */
	CU_ASSERT_TRUE(tcp_sb_is_lost(&sb, una + 1000, 1000, 3));
	CU_ASSERT_FALSE(tcp_sb_is_lost(&sb, una + 1999, 1000, 3));
	CU_ASSERT_FALSE(tcp_sb_is_lost(&sb, una + 2000, 1000, 3));
	/* one range of 3 full segments, as ns-3 counts them */
	tcp_sb_clear(&sb);
	add1(&sb, una, nxt, una + 1000, una + 4000);
	CU_ASSERT_TRUE(tcp_sb_is_lost(&sb, una, 1000, 3));
	CU_ASSERT_EQUAL(add1(&sb, una, nxt, una + 4000, una + 4000), 0);
	CU_ASSERT_TRUE(tcp_sb_is_lost(&sb, una + 1998, 1000, 3));
	CU_ASSERT_FALSE(tcp_sb_is_lost(&sb, una + 1999, 1000, 3));
	CU_ASSERT_FALSE(tcp_sb_is_lost(&sb, una, 0, 3));
	tcp_sb_free(&sb);
}

/*
 * Segments smaller than the MSS (an application writing 100 bytes at a
 * time, Nagle off): three of them SACKed above una make it lost in ns-3,
 * which counts SACKed segments, though 300 bytes are far from 2 * mss.
 * Each arrives on its own ACK whose first block grows by one segment.
 */
static void
test_is_lost_small_segments(void)
{
	struct tcp_sb sb;
	uint32_t una = 0xffffff80u, nxt = una + 10000, seq, len;

	tcp_sb_init(&sb);
	CU_ASSERT_EQUAL(add1(&sb, una, nxt, una + 100, una + 200), 100);
	CU_ASSERT_EQUAL(add1(&sb, una, nxt, una + 100, una + 300), 100);
	CU_ASSERT_FALSE(tcp_sb_is_lost(&sb, una, 1000, 3));
	CU_ASSERT_EQUAL(tcp_sb_pipe(&sb, una, una + 400, 1000, 3), 200);
	CU_ASSERT_EQUAL(add1(&sb, una, nxt, una + 100, una + 400), 100);
	CU_ASSERT_TRUE(tcp_sb_is_lost(&sb, una, 1000, 3));
	/* from inside the first segment: two above it */
	CU_ASSERT_FALSE(tcp_sb_is_lost(&sb, una + 199, 1000, 3));
	/* NextSeg() and SetPipe() follow: the hole is lost, out of the pipe */
	CU_ASSERT_TRUE(tcp_sb_next_lost(&sb, una, una + 400, 1000, 3, &seq,
	    &len));
	CU_ASSERT_EQUAL(seq, una);
	CU_ASSERT_EQUAL(len, 100);
	CU_ASSERT_EQUAL(tcp_sb_pipe(&sb, una, una + 400, 1000, 3), 0);
	/*
	 * The same three reported at once (the ACKs between were lost): one
	 * block, one piece, one segment as far as the sender can tell.
	 */
	tcp_sb_clear(&sb);
	CU_ASSERT_EQUAL(add1(&sb, una, nxt, una + 100, una + 400), 300);
	CU_ASSERT_FALSE(tcp_sb_is_lost(&sb, una, 1000, 3));
	/* but a piece of more than one MSS is that many segments */
	tcp_sb_clear(&sb);
	CU_ASSERT_EQUAL(add1(&sb, una, nxt, una + 100, una + 2100), 2000);
	CU_ASSERT_FALSE(tcp_sb_is_lost(&sb, una, 1000, 3));
	CU_ASSERT_TRUE(tcp_sb_is_lost(&sb, una, 1000, 2));
	CU_ASSERT_EQUAL(add1(&sb, una, nxt, una + 2100, una + 2101), 1);
	CU_ASSERT_TRUE(tcp_sb_is_lost(&sb, una, 1000, 3));
	tcp_sb_free(&sb);
}

static void
test_next_seg(void)
{
	struct tcp_sb sb;
	uint32_t una = 5000, nxt = una + 20000, seq = 0, len = 0;

	tcp_sb_init(&sb);
	CU_ASSERT_FALSE(tcp_sb_next_lost(&sb, una, nxt, 1000, 3, &seq, &len));
	/* segments 0 and 2 lost, 1 SACKed, 3..5 SACKed */
	add1(&sb, una, nxt, una + 1000, una + 2000);
	add1(&sb, una, nxt, una + 3000, una + 6000);
	CU_ASSERT_TRUE(tcp_sb_next_lost(&sb, una, nxt, 1000, 3, &seq, &len));
	CU_ASSERT_EQUAL(seq, una);
	CU_ASSERT_EQUAL(len, 1000);
	/* retransmitted: the next hole */
	tcp_sb_mark_rexmit(&sb, una, 1000);
	CU_ASSERT_TRUE(tcp_sb_next_lost(&sb, una, nxt, 1000, 3, &seq, &len));
	CU_ASSERT_EQUAL(seq, una + 2000);
	CU_ASSERT_EQUAL(len, 1000);
	/* a partial retransmission leaves the rest of the hole */
	tcp_sb_mark_rexmit(&sb, una + 2000, 400);
	CU_ASSERT_TRUE(tcp_sb_next_lost(&sb, una, nxt, 1000, 3, &seq, &len));
	CU_ASSERT_EQUAL(seq, una + 2400);
	CU_ASSERT_EQUAL(len, 600);
	tcp_sb_mark_rexmit(&sb, una + 2400, 600);
	CU_ASSERT_EQUAL(sb.n_rexmit, 2);	/* merged */
	CU_ASSERT_EQUAL(sb.rexmit[1].start, una + 2000);
	CU_ASSERT_EQUAL(sb.rexmit[1].end, una + 3000);
	/* above the last SACK nothing is lost */
	CU_ASSERT_FALSE(tcp_sb_next_lost(&sb, una, nxt, 1000, 3, &seq, &len));
	/* a hole shorter than mss, limited by the range above */
	add1(&sb, una, nxt, una + 6300, una + 7000);
	add1(&sb, una, nxt, una + 8000, una + 9000);
	add1(&sb, una, nxt, una + 10000, una + 11000);
	CU_ASSERT_TRUE(tcp_sb_next_lost(&sb, una, nxt, 1000, 3, &seq, &len));
	CU_ASSERT_EQUAL(seq, una + 6000);
	CU_ASSERT_EQUAL(len, 300);
	/* a retransmission inside the hole ends the segment before it */
	tcp_sb_mark_rexmit(&sb, una + 7500, 100);
	tcp_sb_mark_rexmit(&sb, una + 6000, 300);
	/* two ranges, 2000 bytes above: lost for dupthresh 2, not 3 */
	CU_ASSERT_FALSE(tcp_sb_next_lost(&sb, una, nxt, 1000, 3, &seq, &len));
	CU_ASSERT_TRUE(tcp_sb_next_lost(&sb, una, nxt, 1000, 2, &seq, &len));
	CU_ASSERT_EQUAL(seq, una + 7000);
	CU_ASSERT_EQUAL(len, 500);
	/* high_data bounds it */
	tcp_sb_clear(&sb);
	add1(&sb, una, nxt, una + 100, una + 200);
	CU_ASSERT_TRUE(tcp_sb_next_lost(&sb, una, una + 200, 1000, 1, &seq,
	    &len));
	CU_ASSERT_EQUAL(len, 100);
	CU_ASSERT_FALSE(tcp_sb_next_lost(&sb, una, una, 1000, 1, &seq, &len));
	/* a new recovery forgets the retransmissions */
	tcp_sb_mark_rexmit(&sb, una, 100);
	CU_ASSERT_FALSE(tcp_sb_next_lost(&sb, una, una + 200, 1000, 1, &seq,
	    &len));
	tcp_sb_clear_rexmit(&sb);
	CU_ASSERT_TRUE(tcp_sb_next_lost(&sb, una, una + 200, 1000, 1, &seq,
	    &len));
	CU_ASSERT_EQUAL(seq, una);
	tcp_sb_free(&sb);
}

static void
test_pipe(void)
{
	struct tcp_sb sb;
	uint32_t una = 0xfffffc00u, high = una + 10000;

	tcp_sb_init(&sb);
	CU_ASSERT_EQUAL(tcp_sb_pipe(&sb, una, high, 1000, 3), 10000);
	CU_ASSERT_EQUAL(tcp_sb_pipe(&sb, una, una, 1000, 3), 0);
	/* [0,1000) lost, [1000,4000) SACKed, the rest in flight */
	add1(&sb, una, high, una + 1000, una + 4000);
	CU_ASSERT_EQUAL(tcp_sb_pipe(&sb, una, high, 1000, 3), 6000);
	/* its retransmission is in flight once */
	tcp_sb_mark_rexmit(&sb, una, 1000);
	CU_ASSERT_EQUAL(tcp_sb_pipe(&sb, una, high, 1000, 3), 7000);
	/* a retransmission of data not lost counts twice */
	tcp_sb_mark_rexmit(&sb, una + 5000, 1000);
	CU_ASSERT_EQUAL(tcp_sb_pipe(&sb, una, high, 1000, 3), 8000);
	/* a SACKed retransmission is out of the pipe */
	add1(&sb, una, high, una + 5000, una + 5500);
	CU_ASSERT_EQUAL(tcp_sb_pipe(&sb, una, high, 1000, 3), 8000 - 1000);
	tcp_sb_free(&sb);
}

/*
 * The sets are sorted and disjoint (SACKed pieces may touch, retransmitted
 * ranges are merged) and the pieces add up.
 */
static void
check_sets(const struct tcp_sb *sb, uint32_t una)
{
	size_t i;
	uint32_t total = 0;

	for (i = 0; i < sb->n_sacked; i++) {
		CU_ASSERT_TRUE(seq_lt(sb->sacked[i].start, sb->sacked[i].end));
		CU_ASSERT_TRUE(seq_le(una, sb->sacked[i].start));
		if (i > 0)
			CU_ASSERT_TRUE(seq_le(sb->sacked[i - 1].end,
			    sb->sacked[i].start));
		total += sb->sacked[i].end - sb->sacked[i].start;
	}
	CU_ASSERT_EQUAL(total, sb->sacked_bytes);
	for (i = 1; i < sb->n_rexmit; i++)
		CU_ASSERT_TRUE(seq_lt(sb->rexmit[i - 1].end,
		    sb->rexmit[i].start));
}

/*
 * A recovery episode driven the way the connection drives the scoreboard:
 * 100 segments in flight across 2^32, four of them dropped; the receiver
 * SACKs every arrival (latest range first, three blocks); the sender
 * updates and advances on each ACK, enters recovery when IsLost(SND.UNA),
 * and then sends while SetPipe() < cwnd what NextSeg() gives. Every
 * dropped segment is retransmitted exactly once and nothing else is.
 */
#define EP_SEGS 100
#define EP_MSS 1000u

struct ep_rcv {
	bool got[EP_SEGS];
};

/* The receiver's ACK after segment i arrived. */
static size_t
ep_ack(const struct ep_rcv *rv, uint32_t iss, int latest, uint32_t *ack,
    struct tcp_sack_block *b)
{
	int lo = 0, i, n = 0;

	while (lo < EP_SEGS && rv->got[lo])
		lo++;
	*ack = iss + (uint32_t)lo * EP_MSS;
	if (latest > lo) {
		int s = latest, e = latest;

		while (s - 1 > lo && rv->got[s - 1])
			s--;
		while (e + 1 < EP_SEGS && rv->got[e + 1])
			e++;
		b[n++] = blk(iss + (uint32_t)s * EP_MSS,
		    iss + (uint32_t)(e + 1) * EP_MSS);
	}
	/* then the highest other ranges */
	for (i = EP_SEGS - 1; i > lo && n < 3; i--) {
		int e = i;

		if (!rv->got[i])
			continue;
		while (i - 1 > lo && rv->got[i - 1])
			i--;
		if (b[0].start == iss + (uint32_t)i * EP_MSS && n > 0)
			continue;
		b[n++] = blk(iss + (uint32_t)i * EP_MSS,
		    iss + (uint32_t)(e + 1) * EP_MSS);
	}
	return (size_t)n;
}

static void
test_recovery_episode(void)
{
	static const int drop[] = { 3, 10, 11, 50 };
	const uint32_t iss = 0xffff8000u, high = iss + EP_SEGS * EP_MSS;
	const uint32_t cwnd = 50 * EP_MSS;
	struct ep_rcv rv;
	struct tcp_sb sb;
	int rexmits[EP_SEGS], queue[EP_SEGS], nq = 0, qi = 0, i, k;
	int first_rexmit_after = -1;
	uint32_t una = iss;
	bool recovery = false;

	memset(&rv, 0, sizeof(rv));
	memset(rexmits, 0, sizeof(rexmits));
	tcp_sb_init(&sb);
	/* originals arrive in order but for the drops, then retransmissions */
	for (i = 0; i < EP_SEGS || qi < nq; i++) {
		struct tcp_sack_block b[3];
		uint32_t ack, seq, len;
		size_t nb;
		int seg;
		bool dropped = false;

		if (i < EP_SEGS) {
			seg = i;
			for (k = 0; k < 4; k++)
				dropped |= drop[k] == seg;
			if (dropped)
				continue;
		} else {
			seg = queue[qi++];
		}
		rv.got[seg] = true;
		nb = ep_ack(&rv, iss, seg, &ack, b);
		tcp_sb_update(&sb, una, high, b, nb);
		if (seq_gt(ack, una)) {
			una = ack;
			tcp_sb_advance(&sb, una);
		}
		check_sets(&sb, una);
		if (!recovery && una != high &&
		    tcp_sb_is_lost(&sb, una, EP_MSS, 3)) {
			recovery = true;
			/* the third segment above the hole, as dupthresh */
			CU_ASSERT_EQUAL(seg, 6);
		}
		while (recovery && tcp_sb_pipe(&sb, una, high, EP_MSS, 3) <
		    cwnd && tcp_sb_next_lost(&sb, una, high, EP_MSS, 3, &seq,
		    &len)) {
			int r = (int)((seq - iss) / EP_MSS);

			CU_ASSERT_EQUAL((seq - iss) % EP_MSS, 0);
			CU_ASSERT_EQUAL(len, EP_MSS);
			CU_ASSERT_FATAL(r >= 0 && r < EP_SEGS);
			rexmits[r]++;
			if (first_rexmit_after < 0)
				first_rexmit_after = seg;
			tcp_sb_mark_rexmit(&sb, seq, len);
			queue[nq++] = r;
		}
	}
	for (i = 0; i < EP_SEGS; i++) {
		bool dropped = false;

		for (k = 0; k < 4; k++)
			dropped |= drop[k] == i;
		CU_ASSERT_EQUAL(rexmits[i], dropped ? 1 : 0);
	}
	/* pipe fell under cwnd only once half the window was SACKed */
	CU_ASSERT_TRUE(first_rexmit_after > 6);
	CU_ASSERT_EQUAL(una, high);
	CU_ASSERT_EQUAL(sb.n_sacked, 0);
	CU_ASSERT_EQUAL(sb.n_rexmit, 0);
	CU_ASSERT_EQUAL(sb.sacked_bytes, 0);
	CU_ASSERT_EQUAL(tcp_sb_pipe(&sb, una, high, EP_MSS, 3), 0);
	tcp_sb_free(&sb);
}

static uint64_t rng_state;

static uint32_t
rng(uint32_t n)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return n ? (uint32_t)(rng_state % n) : 0;
}

/*
 * Segments of random sizes up to the MSS, some dropped, the rest arriving
 * in a random order, each answered by its own ACK whose first block is
 * the received range holding it (RFC 2018 4), as ns-3 and Linux receivers
 * do: then every piece is one segment, and IsLost() and SetPipe() must
 * equal ns-3's, which counts the SACKed segments the sender sent (the
 * reference here knows them; the scoreboard only sees the blocks).
 */
#define NS_SEGS 60

static void
test_segments_vs_ns3_count(void)
{
	int c;

	rng_state = 0x243f6a8885a308d3ull;
	for (c = 0; c < 400; c++) {
		uint32_t mss = 100 + rng(1400), dt = 1 + rng(4);
		uint32_t off[NS_SEGS + 1], una0 = rng(UINT32_MAX), una, high;
		int order[NS_SEGS], n_arr = 0, cum = 0, i, j, a;
		bool got[NS_SEGS], drop;
		struct tcp_sb sb;

		off[0] = 0;
		for (i = 0; i < NS_SEGS; i++)
			off[i + 1] = off[i] + (rng(3) == 0 ? mss :
			    1 + rng(mss));
		if (rng(4) == 0)
			una0 = 0u - off[NS_SEGS / 2];	/* across 2^32 */
		high = una0 + off[NS_SEGS];
		una = una0;
		memset(got, 0, sizeof(got));
		for (i = 0; i < NS_SEGS; i++) {
			drop = rng(5) == 0;
			if (!drop)
				order[n_arr++] = i;
		}
		/* a few swaps: reordering on top of loss */
		for (i = 0; i < n_arr / 4; i++) {
			int x = (int)rng((uint32_t)n_arr);
			int y = (int)rng((uint32_t)n_arr), t = order[x];

			order[x] = order[y];
			order[y] = t;
		}
		tcp_sb_init(&sb);
		for (a = 0; a < n_arr; a++) {
			struct tcp_sack_block b;
			int seg = order[a], lo, hi;
			uint32_t want_pipe = 0;

			got[seg] = true;
			while (cum < NS_SEGS && got[cum])
				cum++;
			if (seg > cum) {
				for (lo = seg; lo - 1 > cum && got[lo - 1]; lo--)
					;
				for (hi = seg; hi + 1 < NS_SEGS &&
				    got[hi + 1]; hi++)
					;
				b = blk(una0 + off[lo], una0 + off[hi + 1]);
				CU_ASSERT_EQUAL(tcp_sb_update(&sb, una, high,
				    &b, 1), off[seg + 1] - off[seg]);
			}
			una = una0 + off[cum];
			tcp_sb_advance(&sb, una);
			/* ns-3's IsLost() at the start of every hole segment */
			for (i = cum; i < NS_SEGS; i++) {
				uint32_t n = 0, bytes = 0;
				bool lost;

				if (got[i])
					continue;
				for (j = i + 1; j < NS_SEGS; j++)
					if (got[j]) {
						n++;
						bytes += off[j + 1] - off[j];
					}
				lost = n >= dt || bytes > (dt - 1) * mss;
				CU_ASSERT_EQUAL(tcp_sb_is_lost(&sb,
				    una0 + off[i], mss, dt), lost);
				if (!lost)
					want_pipe += off[i + 1] - off[i];
			}
			CU_ASSERT_EQUAL(tcp_sb_pipe(&sb, una, high, mss, dt),
			    want_pipe);
		}
		tcp_sb_free(&sb);
	}
}

/*
 * A hostile peer SACKing one byte in every two could make the set as large
 * as the window, each new block moving all above it. The pieces stay at
 * TCP_SB_MAX_RANGES; what is kept stays exact.
 */
static void
test_cap_hostile(void)
{
	struct tcp_sb sb;
	uint32_t una = 0xfffff000u, nxt = una + 1000000, i, seq, len;

	tcp_sb_init(&sb);
	for (i = 0; i < 5000; i++)
		add1(&sb, una, nxt, una + 2 * i + 1, una + 2 * i + 2);
	CU_ASSERT_EQUAL(sb.n_sacked, TCP_SB_MAX_RANGES);
	CU_ASSERT(sb.cap_sacked <= TCP_SB_MAX_RANGES);
	CU_ASSERT_EQUAL(sb.sacked_bytes, TCP_SB_MAX_RANGES);
	check_sets(&sb, una);
	/* full, no two touch: a disjoint block is ignored, and said so */
	CU_ASSERT_EQUAL(add1(&sb, una, nxt, una + 20000, una + 21000), 0);
	CU_ASSERT_FALSE(tcp_sb_is_sacked(&sb, una + 20000));
	/* one touching a piece extends it */
	CU_ASSERT_EQUAL(add1(&sb, una, nxt, una + 2, una + 3), 1);
	CU_ASSERT_EQUAL(sb.n_sacked, TCP_SB_MAX_RANGES);
	CU_ASSERT_TRUE(tcp_sb_is_sacked(&sb, una + 2));
	/* a block over all of it fills every hole: the holes join pieces */
	CU_ASSERT_EQUAL(add1(&sb, una, nxt, una + 1, una + 600),
	    599 - TCP_SB_MAX_RANGES - 1);
	CU_ASSERT_EQUAL(sb.sacked_bytes, 599);
	check_sets(&sb, una);
	/* queries still answer: the byte at una is lost, one byte long */
	CU_ASSERT_TRUE(tcp_sb_next_lost(&sb, una, nxt, 1000, 3, &seq, &len));
	CU_ASSERT_EQUAL(seq, una);
	CU_ASSERT_EQUAL(len, 1);
	tcp_sb_free(&sb);
}

/*
 * A large window SACKed one segment an ACK fills the set with touching
 * pieces; at the cap they are joined to make room, so a second loss far
 * above still gets its range, and no SACKed byte is forgotten.
 */
static void
test_cap_large_window(void)
{
	struct tcp_sb sb;
	uint32_t una = 7, nxt = una + 2000 * 1000, i, seq, len;

	tcp_sb_init(&sb);
	/* segment 0 lost, 1..999 arrive, 1000 lost, 1001..1999 arrive */
	for (i = 1; i < 2000; i++) {
		uint32_t lo = i < 1000 ? 1 : 1001;

		if (i == 1000)
			continue;
		CU_ASSERT_EQUAL(add1(&sb, una, nxt, una + lo * 1000,
		    una + (i + 1) * 1000), 1000);
		check_sets(&sb, una);
	}
	CU_ASSERT(sb.n_sacked <= TCP_SB_MAX_RANGES);
	CU_ASSERT_EQUAL(sb.sacked_bytes, 1998 * 1000);
	CU_ASSERT_FALSE(tcp_sb_is_sacked(&sb, una + 1000 * 1000));
	CU_ASSERT_TRUE(tcp_sb_is_sacked(&sb, una + 1001 * 1000));
	/* full-sized segments: joining pieces changes no decision */
	CU_ASSERT_TRUE(tcp_sb_next_lost(&sb, una, nxt, 1000, 3, &seq, &len));
	CU_ASSERT_EQUAL(seq, una);
	tcp_sb_mark_rexmit(&sb, una, 1000);
	CU_ASSERT_TRUE(tcp_sb_next_lost(&sb, una, nxt, 1000, 3, &seq, &len));
	CU_ASSERT_EQUAL(seq, una + 1000 * 1000);
	CU_ASSERT_EQUAL(len, 1000);
	CU_ASSERT_EQUAL(tcp_sb_pipe(&sb, una, nxt, 1000, 3), 1000);
	tcp_sb_free(&sb);
}

/* --- randomized against a byte-by-byte reference --- */

#define REF_MAX 3000

/* Pieces a scoreboard's life creates at most: one per new byte. */
#define REF_PIECES (6 * 4 * 400 + 1)

struct ref {
	uint32_t una, top, mss, dt;
	bool sacked[REF_MAX], rexmit[REF_MAX], lost[REF_MAX];
	/* which arrival SACKed each byte: 1 + the runs of new bytes so far */
	uint32_t piece[REF_MAX], n_pieces;
};

/*
 * IsLost() for every byte b, from RFC 6675's words: true when DupThresh
 * SACKed segments, or more than (DupThresh - 1) * SMSS SACKed bytes, lie
 * above b. The segments are what arrived: each run of bytes one block
 * newly SACKed is an arrival of at least ceil(bytes / SMSS) segments (none
 * is longer than SMSS), an arrival straddling b by its bytes above b.
 * Counted byte by byte from the top: an arrival's count grows by one each
 * time its bytes above b pass a multiple of SMSS.
 */
static void
ref_lost(struct ref *r)
{
	static uint32_t above[REF_PIECES + 1];
	uint32_t b, bytes = 0, segs = 0;

	memset(above, 0, (r->n_pieces + 1) * sizeof(above[0]));
	for (b = r->top; b-- > 0;) {
		r->lost[b] = segs >= r->dt ||
		    bytes > (r->dt - 1) * r->mss;
		if (r->sacked[b]) {
			if (above[r->piece[b]]++ % r->mss == 0)
				segs++;
			bytes++;
		}
	}
}

static uint32_t
ref_pipe(const struct ref *r)
{
	uint32_t b, p = 0;

	for (b = 0; b < r->top; b++)
		if (!r->sacked[b])
			p += !r->lost[b] + r->rexmit[b];
	return p;
}

static void
check_against_ref(struct tcp_sb *sb, struct ref *r)
{
	uint32_t b, seq = 0, len = 0, want_s, want_l;
	bool got;

	ref_lost(r);
	check_sets(sb, r->una);
	CU_ASSERT_EQUAL(tcp_sb_pipe(sb, r->una, r->una + r->top, r->mss,
	    r->dt), ref_pipe(r));
	for (b = 0; b < r->top; b += 1 + rng(40)) {
		CU_ASSERT_EQUAL(tcp_sb_is_sacked(sb, r->una + b),
		    r->sacked[b]);
		CU_ASSERT_EQUAL(tcp_sb_is_lost(sb, r->una + b, r->mss, r->dt),
		    r->lost[b]);
	}
	/* NextSeg rule 1 */
	for (b = 0; b < r->top && (r->sacked[b] || r->rexmit[b]); b++)
		;
	got = tcp_sb_next_lost(sb, r->una, r->una + r->top, r->mss, r->dt,
	    &seq, &len);
	if (b < r->top && r->lost[b]) {
		want_s = b;
		for (want_l = 0; b + want_l < r->top && want_l < r->mss &&
		    !r->sacked[b + want_l] && !r->rexmit[b + want_l];
		    want_l++)
			;
		CU_ASSERT_TRUE(got);
		CU_ASSERT_EQUAL(seq, r->una + want_s);
		CU_ASSERT_EQUAL(len, want_l);
	} else {
		CU_ASSERT_FALSE(got);
	}
}

static void
test_random_vs_reference(void)
{
	static struct ref r;
	struct tcp_sb sb;
	int c;

	rng_state = 0x9e3779b97f4a7c15ull;
	for (c = 0; c < 3000; c++) {
		int step, k;

		memset(&r, 0, sizeof(r));
		r.una = rng(4) == 0 ? 0u - rng(2 * REF_MAX) : rng(UINT32_MAX);
		r.top = 1 + rng(REF_MAX);
		r.mss = 1 + rng(300);
		r.dt = 1 + rng(4);
		tcp_sb_init(&sb);
		for (step = 0; step < 6; step++) {
			int nb = (int)rng(5);
			struct tcp_sack_block bl[4];
			uint32_t want = 0, got, b;

			for (k = 0; k < nb && k < 4; k++) {
				uint32_t s = rng(r.top + 1), l = rng(400);
				bool bad = rng(8) == 0;

				bl[k] = blk(r.una + s, r.una + s + l);
				if (bad) {
					/* D-SACK below una or reversed */
					bl[k] = rng(2) ? blk(r.una - l - 1,
					    r.una - 1) : blk(r.una + s + l,
					    r.una + s);
				}
			}
			for (k = 0; k < nb && k < 4; k++) {
				uint32_t s = bl[k].start - r.una;
				uint32_t e = bl[k].end - r.una;
				bool run = false;

				if (s >= e || s > r.top || e > r.top)
					continue;
				for (b = s; b < e; b++) {
					if (r.sacked[b]) {
						run = false;
						continue;
					}
					if (!run)
						r.n_pieces++;
					run = true;
					r.sacked[b] = true;
					r.piece[b] = r.n_pieces;
					want++;
				}
			}
			got = tcp_sb_update(&sb, r.una, r.una + r.top, bl,
			    (size_t)(nb < 4 ? nb : 4));
			CU_ASSERT_EQUAL(got, want);
			for (k = (int)rng(3); k > 0; k--) {
				uint32_t s = rng(r.top), l = 1 + rng(300);

				if (s + l > r.top)
					l = r.top - s;
				tcp_sb_mark_rexmit(&sb, r.una + s, l);
				for (b = s; b < s + l; b++)
					r.rexmit[b] = true;
			}
			check_against_ref(&sb, &r);
			if (rng(3) == 0) {
				/* the cumulative ACK moves: shift the reference */
				uint32_t d = rng(r.top / 2 + 1);

				tcp_sb_advance(&sb, r.una + d);
				memmove(r.sacked, r.sacked + d, r.top - d);
				memmove(r.rexmit, r.rexmit + d, r.top - d);
				memmove(r.piece, r.piece + d,
				    (r.top - d) * sizeof(r.piece[0]));
				r.una += d;
				r.top -= d;
				check_against_ref(&sb, &r);
			}
			if (r.top == 0)
				break;
		}
		tcp_sb_free(&sb);
	}
}

static const struct test_case cases[] = {
	{ "update keeps the reported pieces", test_update_pieces },
	{ "wraparound at 2^32", test_wraparound },
	{ "d-sack and bogus blocks", test_dsack_and_bogus },
	{ "is_lost by count and bytes", test_is_lost },
	{ "is_lost counts small segments", test_is_lost_small_segments },
	{ "next_seg rule 1", test_next_seg },
	{ "pipe", test_pipe },
	{ "a recovery episode", test_recovery_episode },
	{ "a hostile peer: pieces capped", test_cap_hostile },
	{ "a large window at the cap", test_cap_large_window },
	{ "one ACK a segment: ns-3's segment count",
	    test_segments_vs_ns3_count },
	{ "random scoreboards vs byte reference", test_random_vs_reference },
	{ NULL, NULL }
};

int
main(int argc, char **argv)
{
	return test_main(argc, argv, "tcp_sack", cases);
}
