/*
 * fuzz_bgp_msg.c - libFuzzer target for the BGP framer and message codec.
 *
 * Input: a TCP byte stream from a peer (any length). It is copied to a
 * buffer of exactly its size (ASan sees any read past it), cut into
 * messages by bgp_frame() as the speaker will, and each message is
 * decoded as from a 4-octet and from a 2-octet AS peer. The target traps
 * on broken promises:
 *   - the framer's OK length is 19..4096 and inside the input; a BAD
 *     header is refused by the decoder too, with the framer's code;
 *   - a reset leaves nothing in the message; outcomes and records stay in
 *     range;
 *   - whatever decodes (not reset) encodes, in the same AS mode, into at
 *     most 4096 bytes, which decode with no error unless the first decode
 *     was treat-as-withdraw (a missing attribute stays missing), and
 *     encoding is then a fixed point: encode(decode(encode(m))) is
 *     encode(m), and decode(encode(m)) is m: the same prefixes, an equal
 *     attribute set with the same hash;
 *   - the RFC 6793 conversions and the summary never fail on what decoded.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "bgp_msg.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static bool
same_prefixes(const struct bgp_prefix4 *a, const struct bgp_prefix4 *b,
    size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (a[i].addr != b[i].addr || a[i].len != b[i].len)
			return false;
	return true;
}

static void
check_attrs(const struct bgp_attrs *a)
{
	struct bgp_attrs *x, *y;

	x = bgp_attrs_from_as2(a);
	y = bgp_attrs_to_as2(x);
	if (bgp_attrs_size(y) < sizeof(*y))
		abort();
	(void)bgp_attrs_hash(y);
	free(x);
	free(y);
}

static void
one(const uint8_t *msg, size_t len, bool as4)
{
	static uint8_t out[BGP_MAX_LEN], again[BGP_MAX_LEN];
	static const struct bgp_msg zero;
	struct bgp_msg m, m2;
	struct bgp_result r, r2;
	enum bgp_action a;
	size_t n, n2;
	char sum[300];

	a = bgp_decode(msg, len, as4, &m, &r);
	if ((unsigned)a >= BGP_ACT_MAX || a != r.action ||
	    r.n_attr_err > BGP_ATTR_ERR_MAX || r.n_attr_err > r.n_attr_err_all)
		abort();
	if (a == BGP_ACT_RESET) {
		if (memcmp(&m, &zero, sizeof(m)) != 0 || r.notify.code == 0)
			abort();
		return;
	}
	(void)bgp_msg_summary(&m, sum, sizeof(sum));
	(void)bgp_msg_summary(&m, sum, 7);
	if (m.type == BGP_UPDATE && m.u.update.attrs != NULL)
		check_attrs(m.u.update.attrs);
	n = bgp_encode(&m, as4, out);
	if (n < BGP_HDR_LEN || n > BGP_MAX_LEN)
		abort();
	if (bgp_decode(out, n, as4, &m2, &r2) != BGP_ACT_NONE &&
	    (a != BGP_ACT_WITHDRAW || r2.action == BGP_ACT_RESET))
		abort();
	if (a == BGP_ACT_WITHDRAW) {
		bgp_msg_free(&m);
		bgp_msg_free(&m2);
		return;
	}
	n2 = bgp_encode(&m2, as4, again);
	if (n2 != n || memcmp(out, again, n) != 0)
		abort();
	if (m2.type != m.type)
		abort();
	if (m.type == BGP_UPDATE) {
		const struct bgp_update *u = &m.u.update, *u2 = &m2.u.update;

		if ((u->attrs == NULL) != (u2->attrs == NULL) ||
		    u->n_nlri != u2->n_nlri ||
		    u->n_withdrawn != u2->n_withdrawn ||
		    u->n_mp_nlri != u2->n_mp_nlri ||
		    u->n_mp_withdrawn != u2->n_mp_withdrawn)
			abort();
		if (!same_prefixes(u->nlri, u2->nlri, u->n_nlri) ||
		    !same_prefixes(u->withdrawn, u2->withdrawn,
		    u->n_withdrawn) ||
		    !same_prefixes(u->mp_nlri, u2->mp_nlri, u->n_mp_nlri) ||
		    !same_prefixes(u->mp_withdrawn, u2->mp_withdrawn,
		    u->n_mp_withdrawn))
			abort();
		/* the set does not depend on the order attributes came in */
		if (u->attrs != NULL &&
		    (!bgp_attrs_equal(u->attrs, u2->attrs) ||
		    bgp_attrs_hash(u->attrs) != bgp_attrs_hash(u2->attrs)))
			abort();
	}
	bgp_msg_free(&m);
	bgp_msg_free(&m2);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct bgp_notify err;
	struct bgp_result r;
	struct bgp_msg m;
	uint8_t *copy;
	size_t off = 0, len;

	copy = malloc(size > 0 ? size : 1);
	if (copy == NULL)
		return 0;
	if (size > 0)
		memcpy(copy, data, size);
	for (;;) {
		enum bgp_frame f = bgp_frame(copy + off, size - off, &len,
		    &err);

		if (f == BGP_FRAME_MORE)
			break;
		if (f == BGP_FRAME_BAD) {
			/* the decoder refuses the same header the same way */
			size_t l = size - off < BGP_MAX_LEN ? size - off :
			    BGP_MAX_LEN;

			if (err.code != 1 || bgp_decode(copy + off, l, true,
			    &m, &r) != BGP_ACT_RESET || r.notify.code != 1)
				abort();
			break;
		}
		if (len < BGP_HDR_LEN || len > BGP_MAX_LEN || len > size - off)
			abort();
		one(copy + off, len, true);
		one(copy + off, len, false);
		off += len;
	}
	free(copy);
	return 0;
}
