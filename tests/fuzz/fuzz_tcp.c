/*
 * fuzz_tcp.c - libFuzzer target for the TCP option parser and builder.
 *
 * Input: the option bytes of one TCP header (any length; a real header has
 * at most 40). Besides "no crash, no read outside the input" (ASan; the
 * input is copied to a buffer of exactly its size), the target traps on
 * broken promises:
 *   - a failed parse leaves the result empty;
 *   - whatever parses rebuilds, as a SYN and as a data segment, into at
 *     most 40 bytes in 32-bit words, which parse again to the same values
 *     for every field that segment kind carries (SACK blocks: as many as
 *     fit beside MD5 and timestamps; no timestamps on a SYN with MD5);
 *   - building is a fixed point: build(parse(build(o))) == build(o).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "tcp_wire.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static unsigned
sack_room(const struct tcp_opts *o)
{
	unsigned room = TCP_MAX_OPT_LEN - (o->has_md5 ? 20u : 0u) -
	    (o->has_ts ? 12u : 0u);

	return room < 12 ? 0 : (room - 4) / 8;
}

static void
same_carried(const struct tcp_opts *a, const struct tcp_opts *b, bool syn)
{
	unsigned n, i;

	/* a SYN with MD5 carries no timestamps (Linux's tcp_syn_options) */
	if ((a->has_ts && !(syn && a->has_md5)) != b->has_ts ||
	    a->has_md5 != b->has_md5)
		abort();
	if (b->has_ts && (a->ts_val != b->ts_val || a->ts_ecr != b->ts_ecr))
		abort();
	if (a->has_md5 && memcmp(a->md5, b->md5, sizeof(a->md5)) != 0)
		abort();
	if (syn) {
		if (a->has_mss != b->has_mss ||
		    a->has_wscale != b->has_wscale ||
		    a->sack_perm != b->sack_perm || b->n_sack != 0)
			abort();
		if (a->has_mss && a->mss != b->mss)
			abort();
		if (a->has_wscale && a->wscale != b->wscale)
			abort();
		return;
	}
	if (b->has_mss || b->has_wscale || b->sack_perm)
		abort();
	n = a->n_sack < sack_room(a) ? a->n_sack : sack_room(a);
	if (b->n_sack != n)
		abort();
	for (i = 0; i < n; i++)
		if (a->sack[i].start != b->sack[i].start ||
		    a->sack[i].end != b->sack[i].end)
			abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const struct tcp_opts zero;
	uint8_t out[TCP_MAX_OPT_LEN], again[TCP_MAX_OPT_LEN];
	struct tcp_opts a, b;
	enum tcp_opt_err e;
	uint8_t *copy;
	size_t n, m;

	copy = malloc(size > 0 ? size : 1);
	if (copy == NULL)
		return 0;
	if (size > 0)
		memcpy(copy, data, size);
	e = tcp_opts_parse(copy, size, &a);
	free(copy);
	if ((unsigned)e >= TCP_OPT_ERR_MAX || tcp_opt_err_name[e] == NULL)
		abort();
	if (e != TCP_OPT_OK) {
		if (memcmp(&a, &zero, sizeof(a)) != 0)
			abort();
		return 0;
	}
	if (a.n_sack > TCP_MAX_SACK)
		abort();
	for (int syn = 0; syn < 2; syn++) {
		n = tcp_opts_build(&a, syn, out);
		if (n > TCP_MAX_OPT_LEN || n % 4 != 0)
			abort();
		if (tcp_opts_parse(out, n, &b) != TCP_OPT_OK)
			abort();
		same_carried(&a, &b, syn);
		m = tcp_opts_build(&b, syn, again);
		if (m != n || memcmp(out, again, n) != 0)
			abort();
	}
	return 0;
}
