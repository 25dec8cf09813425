/*
 * tcp_wire.c - TCP options from and to the wire.
 *
 * The parser takes untrusted bytes: every byte it reads is at an index
 * checked against len first, and a malformed list is an error, never a
 * partial result (Linux stops silently at a bad option; a simulator that
 * drops the segment with a reason in the trace shows the user more).
 *
 * The builder writes what Linux's tcp_options_write() writes, in its order
 * and its 32-bit alignment, so a capture looks like one from a real host:
 *   MD5:        01 01 13 12 <16 bytes>
 *   MSS:        02 04 <mss>
 *   TS:         04 02 08 0a <val> <ecr>   SACK-permitted folded in (SYN)
 *               01 01 08 0a <val> <ecr>   otherwise
 *   SACK-perm:  01 01 04 02               SYN without timestamps
 *   WS:         01 03 03 <shift>
 *   SACK:       01 01 05 <2+8n> <blocks>  non-SYN, as many as fit
 */
#include <string.h>

#include "tcp_wire.h"
#include "util.h"

#define OLEN_MSS 4u
#define OLEN_WSCALE 3u
#define OLEN_SACK_PERM 2u
#define OLEN_TS 10u
#define OLEN_MD5 18u
#define OLEN_SACK_BASE 2u
#define OLEN_SACK_BLOCK 8u
/* NOP NOP SACK length: the SACK option's head padded to 32 bits. */
#define OSPACE_SACK_BASE 4u

const char *const tcp_opt_err_name[TCP_OPT_ERR_MAX] = {
	[TCP_OPT_OK] = "ok",
	[TCP_OPT_TRUNC] = "truncated tcp option",
	[TCP_OPT_BAD_LEN] = "bad tcp option length",
	[TCP_OPT_SACK_BLOCKS] = "bad tcp sack block count",
};

/*
 * The one option of kind at opt[0..olen): olen is already known to be >= 2
 * and inside the list. Unknown kinds are accepted and ignored. An option
 * seen again overwrites the earlier one, as Linux's tcp_parse_options()
 * does: the last one wins, and the segment is not dropped for it.
 */
static enum tcp_opt_err
parse_one(const uint8_t *opt, size_t olen, struct tcp_opts *o)
{
	size_t i;

	switch (opt[0]) {
	case TCP_OPT_MSS:
		if (olen != OLEN_MSS)
			return TCP_OPT_BAD_LEN;
		break;
	case TCP_OPT_WSCALE:
		if (olen != OLEN_WSCALE)
			return TCP_OPT_BAD_LEN;
		break;
	case TCP_OPT_SACK_PERM:
		if (olen != OLEN_SACK_PERM)
			return TCP_OPT_BAD_LEN;
		break;
	case TCP_OPT_SACK:
		if (olen < OLEN_SACK_BASE + OLEN_SACK_BLOCK ||
		    olen > OLEN_SACK_BASE + TCP_MAX_SACK * OLEN_SACK_BLOCK ||
		    (olen - OLEN_SACK_BASE) % OLEN_SACK_BLOCK != 0)
			return TCP_OPT_SACK_BLOCKS;
		break;
	case TCP_OPT_TS:
		if (olen != OLEN_TS)
			return TCP_OPT_BAD_LEN;
		break;
	case TCP_OPT_MD5:
		if (olen != OLEN_MD5)
			return TCP_OPT_BAD_LEN;
		break;
	default:
		return TCP_OPT_OK;
	}

	switch (opt[0]) {
	case TCP_OPT_MSS:
		o->has_mss = true;
		o->mss = get_be16(opt + 2);
		break;
	case TCP_OPT_WSCALE:
		o->has_wscale = true;
		o->wscale = opt[2];
		break;
	case TCP_OPT_SACK_PERM:
		o->sack_perm = true;
		break;
	case TCP_OPT_SACK:
		o->n_sack = (uint8_t)((olen - OLEN_SACK_BASE) / OLEN_SACK_BLOCK);
		for (i = 0; i < o->n_sack; i++) {
			o->sack[i].start = get_be32(opt + 2 + 8 * i);
			o->sack[i].end = get_be32(opt + 6 + 8 * i);
		}
		break;
	case TCP_OPT_TS:
		o->has_ts = true;
		o->ts_val = get_be32(opt + 2);
		o->ts_ecr = get_be32(opt + 6);
		break;
	case TCP_OPT_MD5:
		o->has_md5 = true;
		memcpy(o->md5, opt + 2, sizeof(o->md5));
		break;
	}
	return TCP_OPT_OK;
}

enum tcp_opt_err
tcp_opts_parse(const uint8_t *opt, size_t len, struct tcp_opts *o)
{
	enum tcp_opt_err err;
	size_t i = 0, olen;

	memset(o, 0, sizeof(*o));
	while (i < len) {
		if (opt[i] == TCP_OPT_EOL)
			break;
		if (opt[i] == TCP_OPT_NOP) {
			i++;
			continue;
		}
		if (len - i < 2) {
			err = TCP_OPT_TRUNC;
			goto bad;
		}
		olen = opt[i + 1];
		if (olen < 2 || olen > len - i) {
			err = TCP_OPT_BAD_LEN;
			goto bad;
		}
		if ((err = parse_one(opt + i, olen, o)) != TCP_OPT_OK)
			goto bad;
		i += olen;
	}
	return TCP_OPT_OK;
bad:
	/* Half a list is no list: nothing of it may reach a connection. */
	memset(o, 0, sizeof(*o));
	return err;
}

static uint8_t *
put_word(uint8_t *p, uint8_t a, uint8_t b, uint8_t c, uint8_t d)
{
	p[0] = a;
	p[1] = b;
	p[2] = c;
	p[3] = d;
	return p + 4;
}

size_t
tcp_opts_build(const struct tcp_opts *o, bool syn,
    uint8_t out[TCP_MAX_OPT_LEN])
{
	uint8_t *p = out;
	size_t room, n, i;

	if (o->has_md5) {
		p = put_word(p, TCP_OPT_NOP, TCP_OPT_NOP, TCP_OPT_MD5, OLEN_MD5);
		memcpy(p, o->md5, sizeof(o->md5));
		p += sizeof(o->md5);
	}
	if (syn && o->has_mss) {
		p = put_word(p, TCP_OPT_MSS, OLEN_MSS, 0, 0);
		put_be16(p - 2, o->mss);
	}
	/*
	 * Linux's tcp_syn_options() leaves timestamps off a SYN with MD5
	 * (sysctl_tcp_timestamps && !*md5): 18 + 10 bytes would not leave
	 * room for SACK blocks later. (tcp_synack_options() drops them only
	 * when SACK is on too, but a SYN-ACK has no timestamp to echo when
	 * the SYN with MD5 came from Linux.)
	 */
	if (o->has_ts && !(syn && o->has_md5)) {
		/* SACK-permitted rides in the timestamp's padding on a SYN. */
		if (syn && o->sack_perm)
			p = put_word(p, TCP_OPT_SACK_PERM, OLEN_SACK_PERM,
			    TCP_OPT_TS, OLEN_TS);
		else
			p = put_word(p, TCP_OPT_NOP, TCP_OPT_NOP, TCP_OPT_TS,
			    OLEN_TS);
		put_be32(p, o->ts_val);
		put_be32(p + 4, o->ts_ecr);
		p += 8;
	} else if (syn && o->sack_perm) {
		p = put_word(p, TCP_OPT_NOP, TCP_OPT_NOP, TCP_OPT_SACK_PERM,
		    OLEN_SACK_PERM);
	}
	if (syn && o->has_wscale)
		p = put_word(p, TCP_OPT_NOP, TCP_OPT_WSCALE, OLEN_WSCALE,
		    o->wscale);
	if (!syn && o->n_sack > 0) {
		/* Linux's tcp_established_options(): what is left after MD5 and TS. */
		room = TCP_MAX_OPT_LEN - (size_t)(p - out);
		n = o->n_sack < TCP_MAX_SACK ? o->n_sack : TCP_MAX_SACK;
		if (room < OSPACE_SACK_BASE + OLEN_SACK_BLOCK)
			n = 0;
		else if (n > (room - OSPACE_SACK_BASE) / OLEN_SACK_BLOCK)
			n = (room - OSPACE_SACK_BASE) / OLEN_SACK_BLOCK;
		if (n > 0) {
			p = put_word(p, TCP_OPT_NOP, TCP_OPT_NOP, TCP_OPT_SACK,
			    (uint8_t)(OLEN_SACK_BASE + n * OLEN_SACK_BLOCK));
			for (i = 0; i < n; i++) {
				put_be32(p, o->sack[i].start);
				put_be32(p + 4, o->sack[i].end);
				p += 8;
			}
		}
	}
	return (size_t)(p - out);
}
