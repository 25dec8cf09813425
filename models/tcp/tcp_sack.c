/*
 * tcp_sack.c - the sender's SACK scoreboard: two sorted sets of sequence
 * ranges above SND.UNA (what the receiver SACKed, in pieces as it reported
 * them; what the sender retransmitted in this recovery, merged) and RFC
 * 6675's queries over them.
 *
 * Every range lies in [snd_una, snd_max], less than 2^31 wide, so offsets
 * from snd_una (x - una, unsigned) order them correctly across the wrap at
 * 2^32. The queries walk the ranges, never the bytes: IsLost() changes only
 * at SACKed ranges, so within one hole between them every byte is lost or
 * none is, and SetPipe() costs one pass over holes and retransmissions.
 *
 * IsLost() counts SACKed segments, as RFC 6675 ("DupThresh discontiguous
 * SACKed sequences") and ns-3's TcpTxBuffer do, but the scoreboard has no
 * segment boundaries: SACK blocks carry byte ranges. So the SACKed set is
 * kept as pieces: each run of bytes one block of one ACK newly SACKed is a
 * piece of its own, even where it touches another. A receiver ACKs every
 * out-of-order segment at once (RFC 5681 4.2), so a piece is one segment
 * then; a piece of n bytes counts as ceil(n / mss) segments, which is exact
 * for full-sized segments and a lower bound when ACKs were lost. Three
 * 100-byte segments SACKed one ACK each are three segments, as in ns-3; a
 * merged range of 300 bytes would have been one.
 *
 * A peer chooses the blocks, so the number of pieces is capped at
 * TCP_SB_MAX_RANGES (each insertion moves the ones above it: unbounded, a
 * hostile peer made every ACK cost O(n) and a window O(n^2)). At the cap
 * the lowest two touching pieces are joined to make room (a boundary lost,
 * the bytes kept); when no two touch, a new run that touches a piece
 * extends it, and one that touches none is ignored: those bytes are not
 * SACKed as far as the sender knows, which is safe (at worst retransmitted
 * needlessly) and is learned again from later ACKs.
 */
#include <stdlib.h>
#include <string.h>

#include "tcp_sack.h"
#include "util.h"

static uint32_t
rlen(const struct tcp_range *r)
{
	return r->end - r->start;
}

static void
set_free(struct tcp_range **a, size_t *n, size_t *cap)
{
	free(*a);
	*a = NULL;
	*n = *cap = 0;
}

/*
 * Add [start, end) to a sorted merged set whose ranges all lie at or above
 * base (offsets from base order them). Touching ranges merge. Returns the
 * bytes that were not in the set before.
 */
static uint32_t
set_add(struct tcp_range **a, size_t *n, size_t *cap, uint32_t base,
    uint32_t start, uint32_t end)
{
	struct tcp_range *r;
	uint32_t s = start - base, e = end - base, covered = 0;
	size_t i, j, k;

	/* First range that ends at or after s: it may touch the new one. */
	for (i = 0; i < *n && (*a)[i].end - base < s; i++)
		;
	/* Ranges i .. j-1 overlap or touch [s, e). */
	for (j = i; j < *n && (*a)[j].start - base <= e; j++) {
		uint32_t os = (*a)[j].start - base, oe = (*a)[j].end - base;
		uint32_t lo = os > s ? os : s, hi = oe < e ? oe : e;

		if (hi > lo)
			covered += hi - lo;
	}
	if (j == i) {
		if (*n == *cap) {
			*cap = *cap ? *cap * 2 : 8;
			*a = xrealloc(*a, *cap * sizeof(**a));
		}
		r = *a;
		memmove(&r[i + 1], &r[i], (*n - i) * sizeof(*r));
		r[i].start = start;
		r[i].end = end;
		(*n)++;
		return end - start;
	}
	r = *a;
	if (r[i].start - base < s)
		start = r[i].start;
	if (r[j - 1].end - base > e)
		end = r[j - 1].end;
	r[i].start = start;
	r[i].end = end;
	k = j - i - 1;		/* ranges swallowed by r[i] */
	if (k > 0) {
		memmove(&r[i + 1], &r[j], (*n - j) * sizeof(*r));
		*n -= k;
	}
	return (e - s) - covered;
}

/*
 * At the cap: join the lowest two touching pieces. *i, an index into the
 * set, still names the same piece after. False if no two touch.
 */
static bool
sack_make_room(struct tcp_sb *sb, size_t *i)
{
	struct tcp_range *r = sb->sacked;
	size_t k;

	for (k = 0; k + 1 < sb->n_sacked; k++)
		if (r[k].end == r[k + 1].start)
			break;
	if (k + 1 >= sb->n_sacked)
		return false;
	r[k].end = r[k + 1].end;
	memmove(&r[k + 1], &r[k + 2], (sb->n_sacked - k - 2) * sizeof(*r));
	sb->n_sacked--;
	if (k < *i)
		(*i)--;
	return true;
}

/*
 * The new piece [start, end) goes at index *i (between the pieces *i - 1
 * and *i, which it may touch); *i is left at the piece above it. False if
 * the set is full and it could go nowhere.
 */
static bool
sack_insert(struct tcp_sb *sb, size_t *i, uint32_t start, uint32_t end)
{
	struct tcp_range *r;

	if (sb->n_sacked >= TCP_SB_MAX_RANGES && !sack_make_room(sb, i)) {
		if (*i > 0 && sb->sacked[*i - 1].end == start) {
			sb->sacked[*i - 1].end = end;
			return true;
		}
		if (*i < sb->n_sacked && sb->sacked[*i].start == end) {
			sb->sacked[*i].start = start;
			return true;
		}
		return false;
	}
	if (sb->n_sacked == sb->cap_sacked) {
		sb->cap_sacked = sb->cap_sacked ? sb->cap_sacked * 2 : 8;
		if (sb->cap_sacked > TCP_SB_MAX_RANGES)
			sb->cap_sacked = TCP_SB_MAX_RANGES;
		sb->sacked = xrealloc(sb->sacked,
		    sb->cap_sacked * sizeof(*sb->sacked));
	}
	r = sb->sacked;
	memmove(&r[*i + 1], &r[*i], (sb->n_sacked - *i) * sizeof(*r));
	r[*i].start = start;
	r[*i].end = end;
	sb->n_sacked++;
	(*i)++;
	return true;
}

/*
 * SACK [start, end) (offsets from base order it with the pieces): each run
 * of bytes in it not SACKed before becomes a piece. Returns the bytes
 * newly SACKed.
 */
static uint32_t
sack_add(struct tcp_sb *sb, uint32_t base, uint32_t start, uint32_t end)
{
	uint32_t cur = start - base, e = end - base, added = 0;
	size_t i;

	/* The first piece that ends after the block starts. */
	for (i = 0; i < sb->n_sacked && sb->sacked[i].end - base <= cur; i++)
		;
	while (cur < e) {
		uint32_t next = e;

		if (i < sb->n_sacked && sb->sacked[i].start - base < e) {
			uint32_t ps = sb->sacked[i].start - base;
			uint32_t pe = sb->sacked[i].end - base;

			if (ps <= cur) {
				/* already SACKed: skip over the piece */
				if (pe > cur)
					cur = pe;
				i++;
				continue;
			}
			next = ps;
		}
		/* [cur, next) is new */
		if (sack_insert(sb, &i, base + cur, base + next))
			added += next - cur;
		cur = next;
	}
	return added;
}

/* Drop what lies below una; returns the bytes dropped. */
static uint32_t
set_advance(struct tcp_range *a, size_t *n, uint32_t una)
{
	uint32_t dropped = 0;
	size_t i = 0;

	while (i < *n && seq_le(a[i].end, una))
		dropped += rlen(&a[i++]);
	if (i > 0) {
		memmove(a, &a[i], (*n - i) * sizeof(*a));
		*n -= i;
	}
	if (*n > 0 && seq_lt(a[0].start, una)) {
		dropped += una - a[0].start;
		a[0].start = una;
	}
	return dropped;
}

void
tcp_sb_init(struct tcp_sb *sb)
{
	memset(sb, 0, sizeof(*sb));
}

void
tcp_sb_free(struct tcp_sb *sb)
{
	set_free(&sb->sacked, &sb->n_sacked, &sb->cap_sacked);
	set_free(&sb->rexmit, &sb->n_rexmit, &sb->cap_rexmit);
	sb->sacked_bytes = 0;
}

void
tcp_sb_clear(struct tcp_sb *sb)
{
	sb->n_sacked = 0;
	sb->n_rexmit = 0;
	sb->sacked_bytes = 0;
}

void
tcp_sb_clear_rexmit(struct tcp_sb *sb)
{
	sb->n_rexmit = 0;
}

void
tcp_sb_advance(struct tcp_sb *sb, uint32_t snd_una)
{
	sb->sacked_bytes -= set_advance(sb->sacked, &sb->n_sacked, snd_una);
	set_advance(sb->rexmit, &sb->n_rexmit, snd_una);
}

uint32_t
tcp_sb_update(struct tcp_sb *sb, uint32_t snd_una, uint32_t snd_max,
    const struct tcp_sack_block *b, size_t nb)
{
	uint32_t added = 0, span = snd_max - snd_una;
	size_t i;

	if (!seq_le(snd_una, snd_max))
		return 0;
	/* The caller may not have advanced yet: nothing stays below una. */
	tcp_sb_advance(sb, snd_una);
	for (i = 0; i < nb; i++) {
		uint32_t s = b[i].start - snd_una, e = b[i].end - snd_una;

		/*
		 * Offsets from una beyond the window also catch blocks below
		 * una (D-SACK, RFC 2883) and those past what was sent.
		 */
		if (s >= e || s > span || e > span)
			continue;
		added += sack_add(sb, snd_una, b[i].start, b[i].end);
	}
	sb->sacked_bytes += added;
	return added;
}

bool
tcp_sb_is_sacked(const struct tcp_sb *sb, uint32_t seq)
{
	size_t i;

	for (i = 0; i < sb->n_sacked; i++) {
		if (seq_lt(seq, sb->sacked[i].start))
			return false;
		if (seq_lt(seq, sb->sacked[i].end))
			return true;
	}
	return false;
}

uint32_t
tcp_sb_high_sacked(const struct tcp_sb *sb, uint32_t snd_una)
{
	if (sb->n_sacked == 0)
		return snd_una;
	return sb->sacked[sb->n_sacked - 1].end;
}

/* The segments n SACKed bytes of one piece count as. */
static uint64_t
piece_segs(uint32_t n, uint32_t mss)
{
	return ((uint64_t)n + mss - 1) / mss;
}

/* The IsLost() test on SACKed bytes and segments found above a point. */
static bool
lost_above(uint64_t bytes, uint64_t segs, uint32_t mss, uint32_t dupthresh)
{
	return segs >= dupthresh ||
	    bytes > (uint64_t)(dupthresh > 0 ? dupthresh - 1 : 0) * mss;
}

bool
tcp_sb_is_lost(const struct tcp_sb *sb, uint32_t seq, uint32_t mss,
    uint32_t dupthresh)
{
	uint64_t bytes = 0, segs = 0;
	size_t i;

	if (mss == 0)
		return false;
	/* From the top down, stopping as soon as the answer is known. */
	for (i = sb->n_sacked; i-- > 0;) {
		const struct tcp_range *r = &sb->sacked[i];
		uint32_t n;

		if (seq_le(r->end, seq + 1))
			break;
		/* the bytes of r with sequence numbers above seq */
		n = seq_lt(seq, r->start) ? rlen(r) : r->end - (seq + 1);
		bytes += n;
		segs += piece_segs(n, mss);
		if (lost_above(bytes, segs, mss, dupthresh))
			return true;
	}
	return lost_above(bytes, segs, mss, dupthresh);
}

void
tcp_sb_mark_rexmit(struct tcp_sb *sb, uint32_t seq, uint32_t len)
{
	uint32_t base;

	if (len == 0)
		return;
	/* Order from the lowest retransmission or seq, whichever is lower:
	 * all lie above snd_una, within 2^31 of each other. */
	base = seq;
	if (sb->n_rexmit > 0 && seq_lt(sb->rexmit[0].start, base))
		base = sb->rexmit[0].start;
	set_add(&sb->rexmit, &sb->n_rexmit, &sb->cap_rexmit, base, seq,
	    seq + len);
}

bool
tcp_sb_next_lost(const struct tcp_sb *sb, uint32_t snd_una,
    uint32_t high_data, uint32_t mss, uint32_t dupthresh, uint32_t *seq,
    uint32_t *len)
{
	uint32_t s = snd_una, lim, top = high_data - snd_una;
	size_t i = 0, j = 0;
	bool moved;

	if (mss == 0)
		return false;
	/* The lowest byte neither SACKed nor retransmitted. */
	do {
		moved = false;
		while (i < sb->n_sacked && sb->sacked[i].end - snd_una <=
		    s - snd_una)
			i++;
		if (i < sb->n_sacked && sb->sacked[i].start - snd_una <=
		    s - snd_una) {
			s = sb->sacked[i].end;
			moved = true;
		}
		while (j < sb->n_rexmit && sb->rexmit[j].end - snd_una <=
		    s - snd_una)
			j++;
		if (j < sb->n_rexmit && sb->rexmit[j].start - snd_una <=
		    s - snd_una) {
			s = sb->rexmit[j].end;
			moved = true;
		}
	} while (moved);
	if (s - snd_una >= top)
		return false;
	/* IsLost() only falls going up: if not this byte, none above. */
	if (!tcp_sb_is_lost(sb, s, mss, dupthresh))
		return false;
	lim = top - (s - snd_una);
	if (lim > mss)
		lim = mss;
	if (i < sb->n_sacked && sb->sacked[i].start - s < lim)
		lim = sb->sacked[i].start - s;
	if (j < sb->n_rexmit && sb->rexmit[j].start - s < lim)
		lim = sb->rexmit[j].start - s;
	*seq = s;
	*len = lim;
	return true;
}

uint32_t
tcp_sb_pipe(const struct tcp_sb *sb, uint32_t snd_una, uint32_t high_data,
    uint32_t mss, uint32_t dupthresh)
{
	uint64_t bytes = 0, segs = 0, pipe = 0;
	uint32_t top = high_data - snd_una, hi = top;
	size_t i = sb->n_sacked, j = sb->n_rexmit;

	if (!seq_le(snd_una, high_data) || mss == 0)
		return 0;
	/*
	 * Holes [lo, hi) from the highest down (offsets from una); the SACKed
	 * bytes and segments above a hole decide IsLost() for all of it
	 * (touching pieces leave empty holes between them). The
	 * retransmitted set is walked down alongside: j is one past the
	 * lowest range that may still reach into the holes below.
	 */
	for (;;) {
		uint32_t lo = 0;

		if (i > 0) {
			lo = sb->sacked[i - 1].end - snd_una;
			if (lo > top)
				lo = top;
		}
		if (hi > lo) {
			size_t k;

			if (!lost_above(bytes, segs, mss, dupthresh))
				pipe += hi - lo;
			while (j > 0 && sb->rexmit[j - 1].start - snd_una >= hi)
				j--;
			for (k = j; k > 0 &&
			    sb->rexmit[k - 1].end - snd_una > lo; k--) {
				uint32_t rs = sb->rexmit[k - 1].start - snd_una;
				uint32_t re = sb->rexmit[k - 1].end - snd_una;

				if (rs < lo)
					rs = lo;
				if (re > hi)
					re = hi;
				if (re > rs)
					pipe += re - rs;
			}
			/* the lowest one visited may span into the next hole */
			if (k < j)
				j = k + 1;
		}
		if (i == 0)
			break;
		/* IsLost() counts SACKed data wherever it lies */
		bytes += rlen(&sb->sacked[i - 1]);
		segs += piece_segs(rlen(&sb->sacked[i - 1]), mss);
		hi = sb->sacked[i - 1].start - snd_una;
		if (hi > top)
			hi = top;
		i--;
	}
	return pipe > UINT32_MAX ? UINT32_MAX : (uint32_t)pipe;
}
