/*
 * fuzz_tcp_sb.c - libFuzzer target for the SACK scoreboard (tcp_sack.h).
 *
 * Input: a header (snd_una: 4 bytes, snd_max - snd_una: 3 bytes, mss: 2,
 * dupthresh: 1), then operations of one opcode byte and its arguments,
 * applied the way a connection applies them: SACK updates of 1 to 4
 * blocks (near the window, or raw 32-bit values for D-SACK and bogus
 * ones), cumulative ACKs, new data sent, retransmission marks, and the
 * clears of a new recovery or an RTO. After every operation the target
 * traps on a broken promise:
 *   - SACKed pieces sorted, disjoint, inside [snd_una, snd_max], at most
 *     TCP_SB_MAX_RANGES; retransmitted ranges sorted and merged;
 *   - sacked_bytes is the sum of the pieces, and moves by what update
 *     said it added;
 *   - SetPipe() <= 2 * (snd_max - snd_una) (each byte once, once more if
 *     retransmitted);
 *   - NextSeg() gives a segment inside [snd_una, snd_max), at most mss
 *     long, of bytes neither SACKed nor retransmitted, that IsLost() holds.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "tcp_sack.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct in {
	const uint8_t *p;
	size_t n;
};

/* The next k bytes big-endian; zeros once the input runs out. */
static uint32_t
take(struct in *in, unsigned k)
{
	uint32_t v = 0;

	while (k-- > 0) {
		v <<= 8;
		if (in->n > 0) {
			v |= *in->p++;
			in->n--;
		}
	}
	return v;
}

/* Does any SACKed piece or retransmitted range meet [s, s + len)? */
static int
meets(const struct tcp_range *r, size_t n, uint32_t una, uint32_t s,
    uint32_t len)
{
	size_t i;

	for (i = 0; i < n; i++) {
		uint32_t rs = r[i].start - una, re = r[i].end - una;
		uint32_t o = s - una;

		if (rs < o + len && o < re)
			return 1;
	}
	return 0;
}

static void
check(const struct tcp_sb *sb, uint32_t una, uint32_t high, uint32_t mss,
    uint32_t dt)
{
	uint32_t span = high - una, total = 0, seq, len;
	uint64_t pipe;
	size_t i;

	if (sb->n_sacked > TCP_SB_MAX_RANGES)
		abort();
	for (i = 0; i < sb->n_sacked; i++) {
		uint32_t s = sb->sacked[i].start - una;
		uint32_t e = sb->sacked[i].end - una;

		if (s >= e || e > span)
			abort();
		if (i > 0 && sb->sacked[i - 1].end - una > s)
			abort();
		total += e - s;
	}
	if (total != sb->sacked_bytes)
		abort();
	for (i = 0; i < sb->n_rexmit; i++) {
		uint32_t s = sb->rexmit[i].start - una;
		uint32_t e = sb->rexmit[i].end - una;

		if (s >= e || e > span)
			abort();
		if (i > 0 && sb->rexmit[i - 1].end - una >= s)
			abort();
	}
	pipe = tcp_sb_pipe(sb, una, high, mss, dt);
	if (pipe > 2 * (uint64_t)span)
		abort();
	if (tcp_sb_next_lost(sb, una, high, mss, dt, &seq, &len)) {
		if (seq - una >= span || len == 0 || len > mss ||
		    len > span - (seq - una))
			abort();
		if (meets(sb->sacked, sb->n_sacked, una, seq, len) ||
		    meets(sb->rexmit, sb->n_rexmit, una, seq, len))
			abort();
		if (tcp_sb_is_sacked(sb, seq) ||
		    !tcp_sb_is_lost(sb, seq, mss, dt))
			abort();
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct in in = { data, size };
	struct tcp_sb sb;
	uint32_t una, high, mss, dt;
	int ops = 0;

	una = take(&in, 4);
	high = una + take(&in, 3);
	mss = take(&in, 2);
	dt = take(&in, 1) % 8;
	tcp_sb_init(&sb);
	while (in.n > 0 && ops++ < 4096) {
		uint8_t op = (uint8_t)take(&in, 1);
		uint32_t span = high - una, before = sb.sacked_bytes, added;

		switch (op % 6) {
		case 0:
		case 1: {
			/* an ACK's SACK blocks: 1..4 */
			struct tcp_sack_block b[TCP_MAX_SACK];
			size_t nb = (size_t)(op / 6) % TCP_MAX_SACK + 1, k;

			for (k = 0; k < nb; k++) {
				if (op % 6 == 1) {
					b[k].start = take(&in, 4);
					b[k].end = take(&in, 4);
				} else {
					uint32_t s = take(&in, 3);
					uint32_t l = take(&in, 2);

					b[k].start = una + s % (span + 1);
					b[k].end = b[k].start + l;
				}
			}
			added = tcp_sb_update(&sb, una, high, b, nb);
			if (sb.sacked_bytes != before + added)
				abort();
			break;
		}
		case 2: {
			/* the cumulative ACK moves up */
			uint32_t d = take(&in, 3) % (span + 1);

			una += d;
			tcp_sb_advance(&sb, una);
			if (sb.sacked_bytes > before)
				abort();
			break;
		}
		case 3:
			/* new data sent, the window stays under 2^24 */
			high += take(&in, 2);
			if (high - una >= (1u << 24))
				high = una + (1u << 24) - 1;
			break;
		case 4: {
			/* a retransmission inside the window */
			uint32_t s = take(&in, 3), l = take(&in, 2);

			if (span == 0)
				break;
			s %= span;
			if (l > span - s)
				l = span - s;
			tcp_sb_mark_rexmit(&sb, una + s, l);
			break;
		}
		default:
			if (op & 0x80)
				tcp_sb_clear(&sb);
			else
				tcp_sb_clear_rexmit(&sb);
			break;
		}
		check(&sb, una, high, mss, dt);
	}
	tcp_sb_free(&sb);
	return 0;
}
