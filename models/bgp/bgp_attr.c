/*
 * bgp_attr.c - the path-attribute section of UPDATE from and to the wire
 * (the set it fills is bgp_attrset.c's), the bounded output buffer and
 * the decoder's outcome records.
 *
 * Decoding follows RFC 7606: each malformed attribute gets the outcome its
 * section 7 gives it (treat-as-withdraw for ORIGIN, AS_PATH, NEXT_HOP,
 * MED, LOCAL_PREF, COMMUNITIES, ORIGINATOR_ID, CLUSTER_LIST (as from an
 * iBGP peer: bgp_update.rr_withdraw_only lets the speaker make it a
 * discard for an eBGP one) and LARGE_COMMUNITIES; attribute discard
 * for ATOMIC_AGGREGATE, AGGREGATOR, AS4_PATH and AS4_AGGREGATOR; session
 * reset for MP_REACH/MP_UNREACH, whose loss would lose NLRI), recorded
 * with the RFC 4271 6.3 subcode it would have had.
 */
#include <stdlib.h>
#include <string.h>

#include "bgp_int.h"
#include "util.h"

void
wb_put(struct wbuf *w, const void *src, size_t n)
{
	if (w->over || n > w->cap - w->len) {
		w->over = true;
		return;
	}
	if (n > 0)
		memcpy(w->p + w->len, src, n);
	w->len += n;
}

void
wb_u8(struct wbuf *w, uint8_t v)
{
	wb_put(w, &v, 1);
}

void
wb_u16(struct wbuf *w, uint16_t v)
{
	uint8_t b[2];

	put_be16(b, v);
	wb_put(w, b, 2);
}

void
wb_u32(struct wbuf *w, uint32_t v)
{
	uint8_t b[4];

	put_be32(b, v);
	wb_put(w, b, 4);
}

void
bgp_result_add(struct bgp_result *r, uint8_t type, enum bgp_action act,
    uint8_t code, uint8_t subcode, const uint8_t *data, size_t data_len)
{
	if (r->n_attr_err < BGP_ATTR_ERR_MAX) {
		r->attr_err[r->n_attr_err].type = type;
		r->attr_err[r->n_attr_err].action = (uint8_t)act;
		r->attr_err[r->n_attr_err].subcode = subcode;
		r->n_attr_err++;
	}
	if (r->n_attr_err_all < UINT16_MAX)
		r->n_attr_err_all++;
	if (act == BGP_ACT_RESET && r->action != BGP_ACT_RESET) {
		r->notify.code = code;
		r->notify.subcode = subcode;
		if (data_len > sizeof(r->notify.data))
			data_len = sizeof(r->notify.data);
		r->notify.data_len = (uint16_t)data_len;
		if (data_len > 0)
			memcpy(r->notify.data, data, data_len);
	}
	if (act > r->action)
		r->action = act;
}

/* ---- the attribute section from the wire ---- */

/* Optional and transitive bits each known type must carry (RFC 4271 5). */
static int
expected_flags(uint8_t type)
{
	switch (type) {
	case BGP_ATTR_ORIGIN:
	case BGP_ATTR_AS_PATH:
	case BGP_ATTR_NEXT_HOP:
	case BGP_ATTR_LOCAL_PREF:
	case BGP_ATTR_ATOMIC_AGGR:
		return BGP_AF_TRANSITIVE;
	case BGP_ATTR_MED:
	case BGP_ATTR_ORIGINATOR_ID:
	case BGP_ATTR_CLUSTER_LIST:
	case BGP_ATTR_MP_REACH:
	case BGP_ATTR_MP_UNREACH:
		return BGP_AF_OPTIONAL;
	case BGP_ATTR_AGGREGATOR:
	case BGP_ATTR_COMMUNITIES:
	case BGP_ATTR_AS4_PATH:
	case BGP_ATTR_AS4_AGGREGATOR:
	case BGP_ATTR_LARGE_COMM:
		return BGP_AF_OPTIONAL | BGP_AF_TRANSITIVE;
	default:
		return -1;
	}
}

/* RFC 7606 section 7: what a malformed known attribute costs. */
static enum bgp_action
malformed_action(uint8_t type)
{
	switch (type) {
	case BGP_ATTR_ATOMIC_AGGR:
	case BGP_ATTR_AGGREGATOR:
	case BGP_ATTR_AS4_PATH:
	case BGP_ATTR_AS4_AGGREGATOR:
		return BGP_ACT_DISCARD;
	case BGP_ATTR_MP_REACH:
	case BGP_ATTR_MP_UNREACH:
		return BGP_ACT_RESET;
	default:
		return BGP_ACT_WITHDRAW;
	}
}

struct adec {
	bool as4;
	struct bgp_attrs *fixed;	/* a struct with v[] cannot be a member */
	struct bgp_attrs_var var;
	uint32_t *scratch;	/* words, enough for every value */
	size_t used;
	uint8_t *unknown;
	size_t unknown_len;
};

/* AS_PATH or AS4_PATH value into scratch words; false if malformed (7606 7.2). */
static bool
path_decode(struct adec *d, const uint8_t *v, size_t len, size_t asz,
    bool no_confed, const uint32_t **out, uint16_t *n)
{
	uint32_t *w = d->scratch + d->used;
	size_t i = 0, o = 0, k, j;

	while (i < len) {
		uint8_t t;

		if (len - i < 2)
			return false;
		t = v[i];
		k = v[i + 1];
		if (t < BGP_SEG_SET || t > BGP_SEG_CONFED_SET || k == 0 ||
		    k * asz > len - i - 2)
			return false;
		if (no_confed && t >= BGP_SEG_CONFED_SEQUENCE)
			return false;
		w[o++] = BGP_SEG(t, k);
		for (j = 0; j < k; j++)
			w[o++] = asz == 4 ? get_be32(v + i + 2 + 4 * j) :
			    get_be16(v + i + 2 + 2 * j);
		i += 2 + k * asz;
	}
	*out = w;
	*n = (uint16_t)o;
	d->used += o;
	return true;
}

static bool
mp_decode(const uint8_t *v, size_t len, bool reach, struct bgp_update *u,
    struct bgp_mp_slices *mp)
{
	size_t nhl;

	if (len < 3)
		return false;
	if (get_be16(v) != BGP_AFI_IPV4 || v[2] != BGP_SAFI_UNICAST)
		return true;	/* not negotiated by us: ignored */
	if (!reach) {
		u->has_mp_unreach = true;
		mp->unreach = v + 3;
		mp->unreach_len = len - 3;
		return true;
	}
	if (len < 5)
		return false;
	nhl = v[3];
	if (nhl != 4 || len < 5 + nhl)
		return false;
	u->has_mp_reach = true;
	u->mp_next_hop = get_be32(v + 4);
	mp->reach_nlri = v + 5 + nhl;
	mp->reach_len = len - 5 - nhl;
	return true;
}

/*
 * Keep unknown attributes sorted by type (stable): the encoder sends them
 * in type order, and a set must not depend on the order a peer used.
 */
static void
unknown_insert(struct adec *d, const uint8_t *a, size_t n)
{
	size_t i = 0;

	while (i < d->unknown_len) {
		const uint8_t *u = d->unknown + i;
		size_t hl = (u[0] & BGP_AF_EXTLEN) ? 4 : 3;

		if (u[1] > a[1])
			break;
		i += hl + (hl == 4 ? get_be16(u + 2) : u[2]);
	}
	memmove(d->unknown + i + n, d->unknown + i, d->unknown_len - i);
	memcpy(d->unknown + i, a, n);
	d->unknown_len += n;
}

/*
 * Whether every treat-as-withdraw finding is ORIGINATOR_ID's or
 * CLUSTER_LIST's (all findings kept, so none is unknown).
 */
static bool
rr_withdraw_only(const struct bgp_result *r)
{
	bool any = false;

	if (r->action != BGP_ACT_WITHDRAW || r->n_attr_err != r->n_attr_err_all)
		return false;
	for (unsigned i = 0; i < r->n_attr_err; i++) {
		const struct bgp_attr_err *e = &r->attr_err[i];

		if (e->action != BGP_ACT_WITHDRAW)
			continue;
		if (e->type != BGP_ATTR_ORIGINATOR_ID &&
		    e->type != BGP_ATTR_CLUSTER_LIST)
			return false;
		any = true;
	}
	return any;
}

void
bgp_attrs_decode(const uint8_t *p, size_t len, bool as4, bool body_nlri,
    struct bgp_update *u, struct bgp_mp_slices *mp, struct bgp_result *r)
{
	uint32_t seen[8] = { 0 };
	struct bgp_attrs fixed;
	struct adec d;
	size_t pos = 0;

	memset(&d, 0, sizeof(d));
	memset(&fixed, 0, sizeof(fixed));
	d.fixed = &fixed;
	d.as4 = as4;
	d.scratch = xmalloc(4 * (len / 2 + 1));
	d.unknown = xmalloc(len + 1);
	while (pos < len) {
		const uint8_t *a = p + pos, *v;
		uint8_t flags, type;
		size_t hl, alen;
		int want;

		/* RFC 7606 4: a list that does not parse to its end */
		if (len - pos < 3 ||
		    (len - pos < 4 && (p[pos] & BGP_AF_EXTLEN))) {
			bgp_result_add(r, 0, BGP_ACT_WITHDRAW, BGP_ERR_UPDATE,
			    BGP_ERR_UPD_ATTR_LIST, NULL, 0);
			break;
		}
		flags = a[0];
		type = a[1];
		hl = (flags & BGP_AF_EXTLEN) ? 4 : 3;
		alen = hl == 4 ? get_be16(a + 2) : a[2];
		if (alen > len - pos - hl) {
			bgp_result_add(r, type, type == BGP_ATTR_MP_REACH ||
			    type == BGP_ATTR_MP_UNREACH ? BGP_ACT_RESET :
			    BGP_ACT_WITHDRAW, BGP_ERR_UPDATE, BGP_ERR_UPD_LEN,
			    a, len - pos);
			break;
		}
		v = a + hl;
		pos += hl + alen;
		if (seen[type / 32] & (1u << (type % 32))) {
			/* RFC 7606 3 (g): keep the first, except MP */
			bgp_result_add(r, type, type == BGP_ATTR_MP_REACH ||
			    type == BGP_ATTR_MP_UNREACH ? BGP_ACT_RESET :
			    BGP_ACT_DISCARD, BGP_ERR_UPDATE,
			    BGP_ERR_UPD_ATTR_LIST, NULL, 0);
			continue;
		}
		seen[type / 32] |= 1u << (type % 32);
		if ((flags & BGP_AF_EXTLEN) && alen < 256)
			u->extlen[type / 32] |= 1u << (type % 32);
		want = expected_flags(type);
		if (want < 0) {
			if (!(flags & BGP_AF_OPTIONAL)) {
				bgp_result_add(r, type, BGP_ACT_RESET,
				    BGP_ERR_UPDATE, BGP_ERR_UPD_WELLKNOWN, a,
				    hl + alen);
			} else if (flags & BGP_AF_TRANSITIVE) {
				unknown_insert(&d, a, hl + alen);
			}
			continue;
		}
		if ((flags & (BGP_AF_OPTIONAL | BGP_AF_TRANSITIVE)) != want) {
			/* RFC 7606 3 (c) */
			bgp_result_add(r, type, malformed_action(type) ==
			    BGP_ACT_RESET ? BGP_ACT_RESET : BGP_ACT_WITHDRAW,
			    BGP_ERR_UPDATE, BGP_ERR_UPD_FLAGS, a, hl + alen);
			continue;
		}
		if (as4 && (type == BGP_ATTR_AS4_PATH ||
		    type == BGP_ATTR_AS4_AGGREGATOR)) {
			/* RFC 6793 4.1: a NEW peer's AS4_* are discarded */
			bgp_result_add(r, type, BGP_ACT_DISCARD, BGP_ERR_UPDATE,
			    0, NULL, 0);
			continue;
		}
		switch (type) {
		case BGP_ATTR_ORIGIN:
			if (alen != 1)
				goto badlen;
			if (v[0] > BGP_ORIGIN_INCOMPLETE) {
				bgp_result_add(r, type, BGP_ACT_WITHDRAW,
				    BGP_ERR_UPDATE, BGP_ERR_UPD_ORIGIN, a,
				    hl + alen);
				continue;
			}
			d.fixed->origin = v[0];
			break;
		case BGP_ATTR_AS_PATH:
			if (!path_decode(&d, v, alen, as4 ? 4 : 2, false,
			    &d.var.path, &d.var.path_len)) {
				bgp_result_add(r, type, BGP_ACT_WITHDRAW,
				    BGP_ERR_UPDATE, BGP_ERR_UPD_ASPATH, NULL, 0);
				continue;
			}
			break;
		case BGP_ATTR_AS4_PATH:
			if (!path_decode(&d, v, alen, 4, true, &d.var.as4_path,
			    &d.var.as4_path_len)) {
				bgp_result_add(r, type, BGP_ACT_DISCARD,
				    BGP_ERR_UPDATE, BGP_ERR_UPD_OPTIONAL, a,
				    hl + alen);
				continue;
			}
			break;
		case BGP_ATTR_NEXT_HOP:
			if (alen != 4)
				goto badlen;
			d.fixed->next_hop = get_be32(v);
			/* 0.0.0.0, multicast and class E are no host (4271 6.3) */
			if (d.fixed->next_hop == 0 ||
			    d.fixed->next_hop >= 0xe0000000u) {
				bgp_result_add(r, type, BGP_ACT_WITHDRAW,
				    BGP_ERR_UPDATE, BGP_ERR_UPD_NEXTHOP, a,
				    hl + alen);
				continue;
			}
			break;
		case BGP_ATTR_MED:
		case BGP_ATTR_LOCAL_PREF:
			if (alen != 4)
				goto badlen;
			if (type == BGP_ATTR_MED)
				d.fixed->med = get_be32(v);
			else
				d.fixed->local_pref = get_be32(v);
			break;
		case BGP_ATTR_ATOMIC_AGGR:
			if (alen != 0)
				goto badlen;
			break;
		case BGP_ATTR_AGGREGATOR:
			if (alen != (as4 ? 8u : 6u))
				goto badlen;
			d.fixed->aggr_as = as4 ? get_be32(v) : get_be16(v);
			d.fixed->aggr_id = get_be32(v + alen - 4);
			break;
		case BGP_ATTR_AS4_AGGREGATOR:
			if (alen != 8)
				goto badlen;
			d.fixed->as4_aggr_as = get_be32(v);
			d.fixed->as4_aggr_id = get_be32(v + 4);
			break;
		case BGP_ATTR_COMMUNITIES:
			if (alen == 0 || alen % 4 != 0)
				goto badlen;
			d.var.comm = d.scratch + d.used;
			d.var.n_comm = (uint16_t)(alen / 4);
			for (size_t i = 0; i < alen / 4; i++)
				d.scratch[d.used++] = get_be32(v + 4 * i);
			break;
		case BGP_ATTR_ORIGINATOR_ID:
			/* RFC 7606 7.9 */
			if (alen != 4)
				goto badlen;
			d.var.originator_id = get_be32(v);
			break;
		case BGP_ATTR_CLUSTER_LIST:
			/* RFC 7606 7.10: a non-zero multiple of 4 */
			if (alen == 0 || alen % 4 != 0)
				goto badlen;
			d.var.cluster = d.scratch + d.used;
			d.var.n_cluster = (uint16_t)(alen / 4);
			for (size_t i = 0; i < alen / 4; i++)
				d.scratch[d.used++] = get_be32(v + 4 * i);
			break;
		case BGP_ATTR_LARGE_COMM:
			/* RFC 8092 6: a non-zero multiple of 12 */
			if (alen == 0 || alen % 12 != 0)
				goto badlen;
			d.var.lcomm = d.scratch + d.used;
			d.var.n_lcomm = (uint16_t)(alen / 12);
			for (size_t i = 0; i < alen / 4; i++)
				d.scratch[d.used++] = get_be32(v + 4 * i);
			break;
		case BGP_ATTR_MP_REACH:
		case BGP_ATTR_MP_UNREACH:
			if (!mp_decode(v, alen, type == BGP_ATTR_MP_REACH, u,
			    mp)) {
				bgp_result_add(r, type, BGP_ACT_RESET,
				    BGP_ERR_UPDATE, BGP_ERR_UPD_OPTIONAL, a,
				    hl + alen);
				continue;
			}
			if (type == BGP_ATTR_MP_REACH && pos == hl + alen &&
			    u->has_mp_reach)
				u->mp_first = true;
			continue;	/* not part of the shared set */
		}
		d.fixed->has |= BGP_HAS(type);
		continue;
badlen:
		bgp_result_add(r, type, malformed_action(type), BGP_ERR_UPDATE,
		    BGP_ERR_UPD_LEN, a, hl + alen);
	}
	if (r->action != BGP_ACT_RESET && (body_nlri || u->has_mp_reach)) {
		/* RFC 7606 3 (d): a missing mandatory attribute withdraws */
		static const uint8_t mand[] = { BGP_ATTR_ORIGIN,
		    BGP_ATTR_AS_PATH, BGP_ATTR_NEXT_HOP };
		for (size_t i = 0; i < sizeof(mand); i++) {
			uint8_t t = mand[i];

			if (t == BGP_ATTR_NEXT_HOP && !body_nlri)
				continue;	/* RFC 4760 3: MP carries it */
			if (!(seen[0] & BGP_HAS(t)))
				bgp_result_add(r, t, BGP_ACT_WITHDRAW,
				    BGP_ERR_UPDATE, BGP_ERR_UPD_MISSING, &t, 1);
		}
	}
	u->rr_withdraw_only = rr_withdraw_only(r);
	d.var.unknown = d.unknown;
	d.var.unknown_len = (uint16_t)d.unknown_len;
	if (d.fixed->has != 0 || d.var.unknown_len != 0)
		u->attrs = bgp_attrs_new(d.fixed, &d.var);
	free(d.scratch);
	free(d.unknown);
}

/* ---- the attribute section to the wire ---- */

static void
attr_hdr(const struct bgp_update *u, struct wbuf *w, uint8_t flags,
    uint8_t type, size_t len)
{
	bool ext = len > 255 || (u->extlen[type / 32] & (1u << (type % 32)));

	if (len > 0xffff) {
		w->over = true;
		return;
	}
	wb_u8(w, (uint8_t)(flags | (ext ? BGP_AF_EXTLEN : 0)));
	wb_u8(w, type);
	if (ext)
		wb_u16(w, (uint16_t)len);
	else
		wb_u8(w, (uint8_t)len);
}

static size_t
path_wire_len(const uint32_t *path, uint16_t n, size_t asz)
{
	size_t i = 0, len = 0;

	while (i < n) {
		size_t k = BGP_SEG_N(path[i]);

		/* sequences longer than 255 go out as several segments */
		len += 2 * ((k + 254) / 255) + asz * k;
		i += 1 + k;
	}
	return len;
}

static void
path_encode(const struct bgp_update *u, struct wbuf *w, uint8_t flags,
    uint8_t type, const uint32_t *path, uint16_t n, size_t asz)
{
	size_t i = 0, j, k, chunk;

	if (!bgp_path_valid(path, n)) {
		w->over = true;
		return;
	}
	attr_hdr(u, w, flags, type, path_wire_len(path, n, asz));
	while (i < n) {
		uint8_t t = BGP_SEG_TYPE(path[i]);

		k = BGP_SEG_N(path[i]);
		if (k > 255 && t != BGP_SEG_SEQUENCE &&
		    t != BGP_SEG_CONFED_SEQUENCE) {
			w->over = true;	/* a set cannot be cut in two */
			return;
		}
		for (j = 0; j < k; j += chunk) {
			chunk = k - j > 255 ? 255 : k - j;
			wb_u8(w, t);
			wb_u8(w, (uint8_t)chunk);
			for (size_t m = 0; m < chunk; m++) {
				uint32_t as = path[i + 1 + j + m];

				if (asz == 4)
					wb_u32(w, as);
				else
					wb_u16(w, as > 0xffff ? BGP_AS_TRANS :
					    (uint16_t)as);
			}
		}
		i += 1 + k;
	}
}

static void
mp_reach_encode(const struct bgp_update *u, struct wbuf *w)
{
	size_t nl = 0;

	for (size_t i = 0; i < u->n_mp_nlri; i++)
		nl += bgp_prefix_size(&u->mp_nlri[i]);
	attr_hdr(u, w, BGP_AF_OPTIONAL, BGP_ATTR_MP_REACH, 5 + 4 + nl);
	wb_u16(w, BGP_AFI_IPV4);
	wb_u8(w, BGP_SAFI_UNICAST);
	wb_u8(w, 4);
	wb_u32(w, u->mp_next_hop);
	wb_u8(w, 0);
	bgp_prefixes_encode(u->mp_nlri, u->n_mp_nlri, w);
}

static void
mp_unreach_encode(const struct bgp_update *u, struct wbuf *w)
{
	size_t nl = 0;

	for (size_t i = 0; i < u->n_mp_withdrawn; i++)
		nl += bgp_prefix_size(&u->mp_withdrawn[i]);
	attr_hdr(u, w, BGP_AF_OPTIONAL, BGP_ATTR_MP_UNREACH, 3 + nl);
	wb_u16(w, BGP_AFI_IPV4);
	wb_u8(w, BGP_SAFI_UNICAST);
	bgp_prefixes_encode(u->mp_withdrawn, u->n_mp_withdrawn, w);
}

/* Unknown attributes of one type, from the raw list, as they came. */
static void
unknown_encode(struct bgp_attrs_var *var, uint8_t type, struct wbuf *w)
{
	size_t i = 0, hl, alen;

	while (i + 3 <= var->unknown_len) {
		hl = (var->unknown[i] & BGP_AF_EXTLEN) ? 4 : 3;
		if (i + hl > var->unknown_len)
			break;
		alen = hl == 4 ? get_be16(var->unknown + i + 2) :
		    var->unknown[i + 2];
		if (i + hl + alen > var->unknown_len)
			break;
		if (var->unknown[i + 1] == type)
			wb_put(w, var->unknown + i, hl + alen);
		i += hl + alen;
	}
}

void
bgp_attrs_encode(const struct bgp_update *u, bool as4, struct wbuf *w)
{
	const struct bgp_attrs *a = u->attrs;
	struct bgp_attrs_var var;
	uint32_t has = a != NULL ? a->has : 0;
	const uint8_t OT = BGP_AF_OPTIONAL | BGP_AF_TRANSITIVE;

	memset(&var, 0, sizeof(var));
	if (a != NULL)
		bgp_attrs_var(a, &var);
	if (u->mp_first && u->has_mp_reach)
		mp_reach_encode(u, w);
	for (unsigned t = 0; t < 256; t++) {
		if (var.unknown_len > 0 && expected_flags((uint8_t)t) < 0)
			unknown_encode(&var, (uint8_t)t, w);
		if (t < 64 && t != BGP_ATTR_MP_REACH &&
		    t != BGP_ATTR_MP_UNREACH && t != BGP_ATTR_LARGE_COMM &&
		    !(t < 32 && (has & BGP_HAS(t))))
			continue;
		switch (t) {
		case BGP_ATTR_ORIGIN:
			attr_hdr(u, w, BGP_AF_TRANSITIVE, BGP_ATTR_ORIGIN, 1);
			wb_u8(w, a->origin);
			break;
		case BGP_ATTR_AS_PATH:
			path_encode(u, w, BGP_AF_TRANSITIVE, BGP_ATTR_AS_PATH,
			    var.path, var.path_len, as4 ? 4 : 2);
			break;
		case BGP_ATTR_NEXT_HOP:
			attr_hdr(u, w, BGP_AF_TRANSITIVE, BGP_ATTR_NEXT_HOP, 4);
			wb_u32(w, a->next_hop);
			break;
		case BGP_ATTR_MED:
			attr_hdr(u, w, BGP_AF_OPTIONAL, BGP_ATTR_MED, 4);
			wb_u32(w, a->med);
			break;
		case BGP_ATTR_LOCAL_PREF:
			attr_hdr(u, w, BGP_AF_TRANSITIVE, BGP_ATTR_LOCAL_PREF,
			    4);
			wb_u32(w, a->local_pref);
			break;
		case BGP_ATTR_ATOMIC_AGGR:
			attr_hdr(u, w, BGP_AF_TRANSITIVE, BGP_ATTR_ATOMIC_AGGR,
			    0);
			break;
		case BGP_ATTR_AGGREGATOR:
			attr_hdr(u, w, OT, BGP_ATTR_AGGREGATOR, as4 ? 8 : 6);
			if (as4)
				wb_u32(w, a->aggr_as);
			else
				wb_u16(w, a->aggr_as > 0xffff ? BGP_AS_TRANS :
				    (uint16_t)a->aggr_as);
			wb_u32(w, a->aggr_id);
			break;
		case BGP_ATTR_COMMUNITIES:
			attr_hdr(u, w, OT, BGP_ATTR_COMMUNITIES,
			    4u * var.n_comm);
			for (size_t i = 0; i < var.n_comm; i++)
				wb_u32(w, var.comm[i]);
			break;
		case BGP_ATTR_ORIGINATOR_ID:
			attr_hdr(u, w, BGP_AF_OPTIONAL, BGP_ATTR_ORIGINATOR_ID,
			    4);
			wb_u32(w, var.originator_id);
			break;
		case BGP_ATTR_CLUSTER_LIST:
			attr_hdr(u, w, BGP_AF_OPTIONAL, BGP_ATTR_CLUSTER_LIST,
			    4u * var.n_cluster);
			for (size_t i = 0; i < var.n_cluster; i++)
				wb_u32(w, var.cluster[i]);
			break;
		case BGP_ATTR_MP_REACH:
			if (u->has_mp_reach && !u->mp_first)
				mp_reach_encode(u, w);
			break;
		case BGP_ATTR_MP_UNREACH:
			if (u->has_mp_unreach)
				mp_unreach_encode(u, w);
			break;
		case BGP_ATTR_AS4_PATH:
			/* a NEW speaker never sends AS4_* to a NEW one (6793 4.1) */
			if (!as4)
				path_encode(u, w, OT, BGP_ATTR_AS4_PATH,
				    var.as4_path, var.as4_path_len, 4);
			break;
		case BGP_ATTR_AS4_AGGREGATOR:
			if (!as4) {
				attr_hdr(u, w, OT, BGP_ATTR_AS4_AGGREGATOR, 8);
				wb_u32(w, a->as4_aggr_as);
				wb_u32(w, a->as4_aggr_id);
			}
			break;
		case BGP_ATTR_LARGE_COMM:
			if (var.n_lcomm == 0)
				break;
			attr_hdr(u, w, OT, BGP_ATTR_LARGE_COMM,
			    12u * var.n_lcomm);
			for (size_t i = 0; i < 3u * var.n_lcomm; i++)
				wb_u32(w, var.lcomm[i]);
			break;
		}
	}
}

void
bgp_prefixes_encode(const struct bgp_prefix4 *p, size_t n, struct wbuf *w)
{
	for (size_t i = 0; i < n; i++) {
		uint8_t b[5];
		size_t nb = ((size_t)p[i].len + 7) / 8;

		b[0] = p[i].len;
		put_be32(b + 1, p[i].addr);
		wb_put(w, b, 1 + nb);
	}
}
