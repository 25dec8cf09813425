/*
 * bgp_msg.c - BGP messages from and to bytes: the header and the framer,
 * OPEN and its capabilities, UPDATE (prefix lists; the attributes are
 * bgp_attr.c's), NOTIFICATION, KEEPALIVE and ROUTE-REFRESH, and the UPDATE
 * packer.
 *
 * Every read is at an offset checked against the message length first.
 * The decoder's allocations are the prefix arrays (counted before they
 * are allocated, so at most one entry per byte of the message) and the
 * attribute set (a few times the attribute section at most).
 */
#include <stdlib.h>
#include <string.h>

#include "bgp_int.h"
#include "util.h"

const char *const bgp_type_name[BGP_TYPE_MAX] = {
	[BGP_OPEN] = "OPEN",
	[BGP_UPDATE] = "UPDATE",
	[BGP_NOTIFICATION] = "NOTIFICATION",
	[BGP_KEEPALIVE] = "KEEPALIVE",
	[BGP_ROUTE_REFRESH] = "ROUTE-REFRESH",
};

const char *const bgp_action_name[BGP_ACT_MAX] = {
	[BGP_ACT_NONE] = "none",
	[BGP_ACT_DISCARD] = "attribute-discard",
	[BGP_ACT_WITHDRAW] = "treat-as-withdraw",
	[BGP_ACT_RESET] = "session-reset",
};

/* ---- header and framer ---- */

static void
notify_set(struct bgp_notify *e, uint8_t code, uint8_t subcode,
    const uint8_t *data, size_t len)
{
	e->code = code;
	e->subcode = subcode;
	e->data_len = (uint16_t)len;
	if (len > 0)
		memcpy(e->data, data, len);
}

/* RFC 4271 6.1 on buf[0..19): 0 if good, else fills err. */
static int
header_check(const uint8_t *buf, struct bgp_notify *err)
{
	uint16_t len = get_be16(buf + 16);
	uint8_t type = buf[18];
	size_t i, min;

	for (i = 0; i < BGP_MARKER_LEN; i++)
		if (buf[i] != 0xff) {
			notify_set(err, BGP_ERR_HEADER, BGP_ERR_HDR_SYNC, NULL,
			    0);
			return -1;
		}
	if (type == 0 || type >= BGP_TYPE_MAX) {
		/* the length is checked first only when it cannot be framed */
		if (len < BGP_HDR_LEN || len > BGP_MAX_LEN)
			goto badlen;
		notify_set(err, BGP_ERR_HEADER, BGP_ERR_HDR_TYPE, buf + 18, 1);
		return -1;
	}
	switch (type) {
	case BGP_OPEN:
		min = BGP_OPEN_MIN_LEN;
		break;
	case BGP_UPDATE:
		min = BGP_UPDATE_MIN_LEN;
		break;
	case BGP_NOTIFICATION:
		min = BGP_NOTIFICATION_MIN_LEN;
		break;
	default:
		/* ROUTE-REFRESH's length is its own error (7313 5) */
		min = BGP_HDR_LEN;
		break;
	}
	if (len < min || len > BGP_MAX_LEN ||
	    (type == BGP_KEEPALIVE && len != BGP_HDR_LEN))
		goto badlen;
	return 0;
badlen:
	notify_set(err, BGP_ERR_HEADER, BGP_ERR_HDR_LEN, buf + 16, 2);
	return -1;
}

enum bgp_frame
bgp_frame(const uint8_t *buf, size_t avail, size_t *len,
    struct bgp_notify *err)
{
	size_t n;

	*len = 0;
	if (avail < BGP_HDR_LEN)
		return BGP_FRAME_MORE;
	if (header_check(buf, err) < 0)
		return BGP_FRAME_BAD;
	n = get_be16(buf + 16);
	if (avail < n)
		return BGP_FRAME_MORE;
	*len = n;
	return BGP_FRAME_OK;
}

static void
put_header(uint8_t *out, size_t len, uint8_t type)
{
	memset(out, 0xff, BGP_MARKER_LEN);
	put_be16(out + 16, (uint16_t)len);
	out[18] = type;
}

/* ---- prefixes ---- */

/* Count the prefixes of p[0..len); -1 if one is malformed (4271 6.3). */
static int
prefixes_count(const uint8_t *p, size_t len)
{
	size_t i = 0;
	int n = 0;

	while (i < len) {
		size_t nb;

		if (p[i] > 32)
			return -1;
		nb = ((size_t)p[i] + 7) / 8;
		if (nb > len - i - 1)
			return -1;
		i += 1 + nb;
		n++;
	}
	return n;
}

static void
prefixes_decode(const uint8_t *p, size_t len, struct bgp_prefix4 *out)
{
	size_t i = 0, k = 0;

	while (i < len) {
		uint8_t pl = p[i];
		size_t nb = ((size_t)pl + 7) / 8;
		uint32_t a = 0;

		for (size_t j = 0; j < nb; j++)
			a |= (uint32_t)p[i + 1 + j] << (24 - 8 * j);
		/* bits past the length are ignored, not an error */
		out[k].addr = pl == 0 ? 0 : a & (0xffffffffu << (32 - pl));
		out[k].len = pl;
		k++;
		i += 1 + nb;
	}
}

/* ---- OPEN ---- */

uint32_t
bgp_open_asn(const struct bgp_open *o)
{
	return o->caps.as4 ? o->caps.as4_asn : o->my_as;
}

void
bgp_open_init(struct bgp_open *o, uint32_t asn, uint16_t hold_s,
    uint32_t bgp_id)
{
	memset(o, 0, sizeof(*o));
	o->version = BGP_VERSION;
	o->my_as = asn > 0xffff ? BGP_AS_TRANS : (uint16_t)asn;
	o->hold_s = hold_s;
	o->bgp_id = bgp_id;
	o->caps.n_mp = 1;
	o->caps.mp[0].afi = BGP_AFI_IPV4;
	o->caps.mp[0].safi = BGP_SAFI_UNICAST;
	o->caps.route_refresh = true;
	o->caps.enhanced_rr = true;
	o->caps.as4 = true;
	o->caps.as4_asn = asn;
}

/* One capability; -1 if a known one is malformed. */
static int
cap_decode(struct bgp_caps *c, uint8_t code, const uint8_t *v, size_t len)
{
	size_t i;

	switch (code) {
	case BGP_CAP_MP:
		if (len != 4)
			return -1;
		if (c->n_mp < BGP_CAP_MAX_AF) {
			c->mp[c->n_mp].afi = get_be16(v);
			c->mp[c->n_mp].safi = v[3];
			c->mp[c->n_mp].flags = v[2];	/* reserved, kept */
			c->n_mp++;
		}
		return 0;
	case BGP_CAP_ROUTE_REFRESH:
	case BGP_CAP_ENHANCED_RR:
		if (len != 0)
			return -1;
		if (code == BGP_CAP_ROUTE_REFRESH)
			c->route_refresh = true;
		else
			c->enhanced_rr = true;
		return 0;
	case BGP_CAP_AS4:
		if (len != 4)
			return -1;
		c->as4 = true;
		c->as4_asn = get_be32(v);
		return 0;
	case BGP_CAP_GR:
		if (len < 2 || (len - 2) % 4 != 0)
			return -1;
		c->gr = true;
		c->gr_flags = v[0] >> 4;
		c->gr_time_s = get_be16(v) & 0x0fff;
		c->n_gr = 0;
		for (i = 2; i < len && c->n_gr < BGP_CAP_MAX_AF; i += 4) {
			c->gr_af[c->n_gr].afi = get_be16(v + i);
			c->gr_af[c->n_gr].safi = v[i + 2];
			c->gr_af[c->n_gr].flags = v[i + 3];
			c->n_gr++;
		}
		return 0;
	default:
		/* kept while there is room, in the order received */
		if (c->unknown_len + 2 + len <= BGP_CAP_UNKNOWN_MAX) {
			c->unknown[c->unknown_len] = code;
			c->unknown[c->unknown_len + 1] = (uint8_t)len;
			memcpy(c->unknown + c->unknown_len + 2, v, len);
			c->unknown_len = (uint16_t)(c->unknown_len + 2 + len);
		}
		return 0;
	}
}

static enum bgp_action
open_decode(const uint8_t *buf, size_t len, struct bgp_open *o,
    struct bgp_result *r)
{
	static const uint8_t version[2] = { 0, BGP_VERSION };
	size_t pos, end, plen_size = 1, n_params = 0;
	bool all_single = true;

	o->version = buf[19];
	o->my_as = get_be16(buf + 20);
	o->hold_s = get_be16(buf + 22);
	o->bgp_id = get_be32(buf + 24);
	if (o->version != BGP_VERSION) {
		bgp_result_add(r, 0, BGP_ACT_RESET, BGP_ERR_OPEN,
		    BGP_ERR_OPEN_VERSION, version, 2);
		return r->action;
	}
	pos = 29;
	end = 29 + (size_t)buf[28];
	/* RFC 9072 2: 255 then type 255 then a 2-octet length */
	if (buf[28] == 255 && len >= 32 && buf[29] == 255) {
		o->caps.ext_params = true;
		plen_size = 2;
		pos = 32;
		end = 32 + (size_t)get_be16(buf + 30);
	}
	if (end != len) {
		/* BIRD and bgpd: the message length disagrees with the OPEN */
		bgp_result_add(r, 0, BGP_ACT_RESET, BGP_ERR_HEADER,
		    BGP_ERR_HDR_LEN, buf + 16, 2);
		return r->action;
	}
	while (pos < end) {
		uint8_t ptype;
		size_t plen, cpos;

		if (end - pos < 1 + plen_size)
			goto malformed;
		ptype = buf[pos];
		plen = plen_size == 2 ? get_be16(buf + pos + 1) : buf[pos + 1];
		pos += 1 + plen_size;
		if (plen > end - pos)
			goto malformed;
		if (ptype != 2) {
			/* only Capabilities (RFC 5492) is defined */
			bgp_result_add(r, 0, BGP_ACT_RESET, BGP_ERR_OPEN,
			    BGP_ERR_OPEN_OPT, NULL, 0);
			return r->action;
		}
		n_params++;
		cpos = pos;
		size_t in_param = 0;
		while (cpos < pos + plen) {
			uint8_t code;
			size_t clen;

			if (pos + plen - cpos < 2)
				goto malformed;
			code = buf[cpos];
			clen = buf[cpos + 1];
			if (clen > pos + plen - cpos - 2)
				goto malformed;
			if (cap_decode(&o->caps, code, buf + cpos + 2, clen) < 0)
				goto malformed;
			if (o->caps.n_order < BGP_CAP_ORDER_MAX)
				o->caps.order[o->caps.n_order++] = code;
			cpos += 2 + clen;
			in_param++;
		}
		if (in_param != 1)
			all_single = false;
		pos += plen;
	}
	o->caps.one_per_param = n_params > 1 && all_single;
	if (o->hold_s == 1 || o->hold_s == 2) {
		bgp_result_add(r, 0, BGP_ACT_RESET, BGP_ERR_OPEN,
		    BGP_ERR_OPEN_HOLD, NULL, 0);
		return r->action;
	}
	/* RFC 4271 6.2, RFC 6286 2.2: any non-zero identifier */
	if (o->bgp_id == 0) {
		bgp_result_add(r, 0, BGP_ACT_RESET, BGP_ERR_OPEN,
		    BGP_ERR_OPEN_BGP_ID, NULL, 0);
		return r->action;
	}
	/* RFC 7607: AS 0 is a bad peer AS wherever it appears */
	if (o->my_as == 0 || (o->caps.as4 && o->caps.as4_asn == 0)) {
		bgp_result_add(r, 0, BGP_ACT_RESET, BGP_ERR_OPEN,
		    BGP_ERR_OPEN_PEER_AS, NULL, 0);
		return r->action;
	}
	return r->action;
malformed:
	bgp_result_add(r, 0, BGP_ACT_RESET, BGP_ERR_OPEN, BGP_ERR_OPEN_UNSPEC,
	    NULL, 0);
	return r->action;
}

static void
caps_one(struct wbuf *w, bool per_param, bool ext, uint8_t code, size_t clen)
{
	if (per_param) {
		wb_u8(w, 2);
		if (ext)
			wb_u16(w, (uint16_t)(2 + clen));
		else
			wb_u8(w, (uint8_t)(2 + clen));
	}
	wb_u8(w, code);
	wb_u8(w, (uint8_t)clen);
}

struct capenc {
	struct wbuf *w;
	const struct bgp_caps *c;
	bool pp, ext;
	unsigned mp_next;
	uint32_t known_done;			/* bit per known kind */
	uint8_t unk_done[BGP_CAP_UNKNOWN_MAX / 2];	/* per unknown entry */
};

/* The next capability of this code not written yet; false if none is left. */
static bool
cap_emit(struct capenc *e, uint8_t code)
{
	const struct bgp_caps *c = e->c;
	struct wbuf *w = e->w;
	size_t i, k;

	switch (code) {
	case BGP_CAP_MP:
		if (e->mp_next >= c->n_mp)
			return false;
		i = e->mp_next++;
		caps_one(w, e->pp, e->ext, BGP_CAP_MP, 4);
		wb_u16(w, c->mp[i].afi);
		wb_u8(w, c->mp[i].flags);
		wb_u8(w, c->mp[i].safi);
		return true;
	case BGP_CAP_ROUTE_REFRESH:
	case BGP_CAP_ENHANCED_RR:
	case BGP_CAP_AS4:
	case BGP_CAP_GR:
		k = code == BGP_CAP_ROUTE_REFRESH ? 0 :
		    code == BGP_CAP_ENHANCED_RR ? 1 : code == BGP_CAP_AS4 ? 2 : 3;
		if (e->known_done & (1u << k))
			return false;
		e->known_done |= 1u << k;
		if ((k == 0 && !c->route_refresh) || (k == 1 &&
		    !c->enhanced_rr) || (k == 2 && !c->as4) || (k == 3 && !c->gr))
			return false;
		if (k < 2) {
			caps_one(w, e->pp, e->ext, code, 0);
		} else if (k == 2) {
			caps_one(w, e->pp, e->ext, BGP_CAP_AS4, 4);
			wb_u32(w, c->as4_asn);
		} else {
			caps_one(w, e->pp, e->ext, BGP_CAP_GR, 2 + 4u * c->n_gr);
			wb_u16(w, (uint16_t)((c->gr_flags & 0xf) << 12 |
			    (c->gr_time_s & 0x0fff)));
			for (i = 0; i < c->n_gr; i++) {
				wb_u16(w, c->gr_af[i].afi);
				wb_u8(w, c->gr_af[i].safi);
				wb_u8(w, c->gr_af[i].flags);
			}
		}
		return true;
	}
	for (i = 0, k = 0; i + 2 <= c->unknown_len &&
	    i + 2 + (size_t)c->unknown[i + 1] <= c->unknown_len; k++) {
		size_t l = c->unknown[i + 1];

		if (c->unknown[i] == code && !e->unk_done[k]) {
			e->unk_done[k] = 1;
			caps_one(w, e->pp, e->ext, code, l);
			wb_put(w, c->unknown + i + 2, l);
			return true;
		}
		i += 2 + l;
	}
	return false;
}

/* In the order received, then whatever is left in code order (BIRD's). */
static void
caps_encode(struct wbuf *w, const struct bgp_caps *c, bool pp, bool ext)
{
	struct capenc e;

	memset(&e, 0, sizeof(e));
	e.w = w;
	e.c = c;
	e.pp = pp;
	e.ext = ext;
	for (size_t i = 0; i < c->n_order && i < BGP_CAP_ORDER_MAX; i++)
		(void)cap_emit(&e, c->order[i]);
	for (unsigned code = 1; code < 256; code++)
		while (cap_emit(&e, (uint8_t)code))
			;
}

static size_t
open_encode(const struct bgp_open *o, uint8_t *out)
{
	struct wbuf w = { out, 0, BGP_MAX_LEN, false };
	uint8_t caps[BGP_MAX_LEN];
	struct wbuf cw = { caps, 0, sizeof(caps), false };
	const struct bgp_caps *c = &o->caps;
	bool pp = c->one_per_param, ext;

	/* the parameters' size decides between RFC 4271 and RFC 9072 form */
	caps_encode(&cw, c, pp, false);
	ext = c->ext_params || cw.len + (pp ? 0 : 2) > 255;
	if (ext) {
		cw.len = 0;
		caps_encode(&cw, c, pp, true);
	}
	if (cw.over)
		return 0;
	w.len = BGP_HDR_LEN;
	wb_u8(&w, o->version);
	wb_u16(&w, o->my_as);
	wb_u16(&w, o->hold_s);
	wb_u32(&w, o->bgp_id);
	if (ext) {
		size_t plen = pp ? cw.len : cw.len + 3;

		wb_u8(&w, 255);
		wb_u8(&w, 255);
		wb_u16(&w, (uint16_t)plen);
		if (!pp && cw.len > 0) {
			wb_u8(&w, 2);
			wb_u16(&w, (uint16_t)cw.len);
		} else if (!pp) {
			w.len -= 2;	/* no parameters at all */
			wb_u16(&w, 0);
		}
	} else {
		size_t plen = pp || cw.len == 0 ? cw.len : cw.len + 2;

		wb_u8(&w, (uint8_t)plen);
		if (!pp && cw.len > 0) {
			wb_u8(&w, 2);
			wb_u8(&w, (uint8_t)cw.len);
		}
	}
	wb_put(&w, caps, cw.len);
	if (w.over)
		return 0;
	put_header(out, w.len, BGP_OPEN);
	return w.len;
}

/* ---- UPDATE ---- */

/* How many attributes the (length-checked) attribute block holds. */
static uint16_t
attr_count(const uint8_t *at, size_t alen)
{
	size_t pos = 0;
	uint16_t n = 0;

	while (pos + 3 <= alen && n < UINT16_MAX) {
		bool ext = (at[pos] & BGP_AF_EXTLEN) != 0;

		if (ext && pos + 4 > alen)
			break;
		pos += ext ? 4u + get_be16(at + pos + 2) : 3u + at[pos + 2];
		n++;
	}
	return n;
}

static enum bgp_action
update_decode(const uint8_t *buf, size_t len, bool as4, struct bgp_update *u,
    struct bgp_result *r)
{
	const uint8_t *wd, *at, *nl;
	size_t wlen, alen, nlen;
	struct bgp_mp_slices mp;
	int nw, nn, nmr = 0, nmu = 0;
	struct bgp_prefix4 *all;

	memset(&mp, 0, sizeof(mp));
	wlen = get_be16(buf + 19);
	/* RFC 4271 6.3 / RFC 7606 5: lengths that lose the NLRI reset */
	if (wlen > len - 23) {
		bgp_result_add(r, 0, BGP_ACT_RESET, BGP_ERR_UPDATE,
		    BGP_ERR_UPD_ATTR_LIST, NULL, 0);
		return r->action;
	}
	wd = buf + 21;
	alen = get_be16(buf + 21 + wlen);
	if (alen > len - 23 - wlen) {
		bgp_result_add(r, 0, BGP_ACT_RESET, BGP_ERR_UPDATE,
		    BGP_ERR_UPD_ATTR_LIST, NULL, 0);
		return r->action;
	}
	at = wd + wlen + 2;
	nl = at + alen;
	nlen = len - 23 - wlen - alen;
	nw = prefixes_count(wd, wlen);
	nn = prefixes_count(nl, nlen);
	if (nw < 0 || nn < 0) {
		bgp_result_add(r, 0, BGP_ACT_RESET, BGP_ERR_UPDATE,
		    BGP_ERR_UPD_NETWORK, NULL, 0);
		return r->action;
	}
	bgp_attrs_decode(at, alen, as4, nn > 0, u, &mp, r);
	if (r->action == BGP_ACT_RESET)
		return r->action;
	u->n_attr = attr_count(at, alen);
	if (u->has_mp_reach)
		nmr = prefixes_count(mp.reach_nlri, mp.reach_len);
	if (u->has_mp_unreach)
		nmu = prefixes_count(mp.unreach, mp.unreach_len);
	if (nmr < 0 || nmu < 0) {
		bgp_result_add(r, nmr < 0 ? BGP_ATTR_MP_REACH :
		    BGP_ATTR_MP_UNREACH, BGP_ACT_RESET, BGP_ERR_UPDATE,
		    BGP_ERR_UPD_OPTIONAL, NULL, 0);
		return r->action;
	}
	/* one array, at most one entry per byte of the message */
	all = xmalloc(sizeof(*all) * ((size_t)nw + nn + nmr + nmu + 1));
	u->withdrawn = all;
	u->n_withdrawn = (uint16_t)nw;
	prefixes_decode(wd, wlen, u->withdrawn);
	u->nlri = all + nw;
	u->n_nlri = (uint16_t)nn;
	prefixes_decode(nl, nlen, u->nlri);
	u->mp_nlri = all + nw + nn;
	u->n_mp_nlri = (uint16_t)nmr;
	if (nmr > 0)
		prefixes_decode(mp.reach_nlri, mp.reach_len, u->mp_nlri);
	u->mp_withdrawn = all + nw + nn + nmr;
	u->n_mp_withdrawn = (uint16_t)nmu;
	if (nmu > 0)
		prefixes_decode(mp.unreach, mp.unreach_len, u->mp_withdrawn);
	return r->action;
}

bool
bgp_update_is_eor(const struct bgp_update *u)
{
	return u->n_withdrawn == 0 && u->n_nlri == 0 && !u->has_mp_reach &&
	    u->n_mp_withdrawn == 0 && u->attrs == NULL &&
	    (u->n_attr == 0 || (u->n_attr == 1 && u->has_mp_unreach));
}

static size_t
update_encode(const struct bgp_update *u, bool as4, uint8_t *out)
{
	struct wbuf w = { out, BGP_HDR_LEN, BGP_MAX_LEN, false };
	size_t mark;

	wb_u16(&w, 0);
	mark = w.len;
	bgp_prefixes_encode(u->withdrawn, u->n_withdrawn, &w);
	if (!w.over)
		put_be16(out + mark - 2, (uint16_t)(w.len - mark));
	wb_u16(&w, 0);
	mark = w.len;
	bgp_attrs_encode(u, as4, &w);
	if (!w.over)
		put_be16(out + mark - 2, (uint16_t)(w.len - mark));
	bgp_prefixes_encode(u->nlri, u->n_nlri, &w);
	if (w.over)
		return 0;
	put_header(out, w.len, BGP_UPDATE);
	return w.len;
}

/* ---- NOTIFICATION, ROUTE-REFRESH ---- */

/* RFC 3629 well-formed UTF-8, no NUL (the text ends up in C strings) */
static bool
utf8_valid(const uint8_t *s, size_t n)
{
	size_t i = 0;

	while (i < n) {
		uint8_t c = s[i];
		size_t k;
		uint32_t cp;

		if (c == 0)
			return false;
		if (c < 0x80) {
			i++;
			continue;
		}
		if (c >= 0xc2 && c <= 0xdf)
			k = 1, cp = c & 0x1f;
		else if (c >= 0xe0 && c <= 0xef)
			k = 2, cp = c & 0x0f;
		else if (c >= 0xf0 && c <= 0xf4)
			k = 3, cp = c & 0x07;
		else
			return false;
		if (k > n - i - 1)
			return false;
		for (size_t j = 1; j <= k; j++) {
			if ((s[i + j] & 0xc0) != 0x80)
				return false;
			cp = cp << 6 | (s[i + j] & 0x3f);
		}
		if ((k == 2 && cp < 0x800) || (k == 3 && cp < 0x10000) ||
		    cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
			return false;
		i += 1 + k;
	}
	return true;
}

static void
notification_decode(const uint8_t *buf, size_t len, struct bgp_notification *n)
{
	n->code = buf[19];
	n->subcode = buf[20];
	n->data_len = (uint16_t)(len - 21);
	memcpy(n->data, buf + 21, n->data_len);
	/* RFC 9003 2: length octet, then that much UTF-8 (else just data) */
	if (n->code == BGP_ERR_CEASE && (n->subcode ==
	    BGP_CEASE_ADMIN_SHUTDOWN || n->subcode == BGP_CEASE_ADMIN_RESET) &&
	    n->data_len >= 1 && n->data[0] > 0 &&
	    (size_t)n->data[0] + 1 == n->data_len &&
	    utf8_valid(n->data + 1, n->data[0])) {
		n->has_shutdown_msg = true;
		memcpy(n->shutdown_msg, n->data + 1, n->data[0]);
		n->shutdown_msg[n->data[0]] = '\0';
	}
}

size_t
bgp_encode_notification(uint8_t code, uint8_t subcode, const uint8_t *data,
    size_t data_len, uint8_t *out)
{
	if (data_len > BGP_MAX_LEN - BGP_NOTIFICATION_MIN_LEN)
		return 0;
	out[19] = code;
	out[20] = subcode;
	if (data_len > 0)
		memcpy(out + 21, data, data_len);
	put_header(out, 21 + data_len, BGP_NOTIFICATION);
	return 21 + data_len;
}

size_t
bgp_encode_shutdown(uint8_t subcode, const char *msg, uint8_t *out)
{
	uint8_t data[256];
	size_t n = strlen(msg);

	if (n > 255) {
		n = 255;
		/* do not cut a character: back off continuation bytes */
		while (n > 0 && ((uint8_t)msg[n] & 0xc0) == 0x80)
			n--;
	}
	data[0] = (uint8_t)n;
	memcpy(data + 1, msg, n);
	return bgp_encode_notification(BGP_ERR_CEASE, subcode, data, n + 1,
	    out);
}

size_t
bgp_encode_keepalive(uint8_t *out)
{
	put_header(out, BGP_HDR_LEN, BGP_KEEPALIVE);
	return BGP_HDR_LEN;
}

/* ---- the whole message ---- */

enum bgp_action
bgp_decode(const uint8_t *buf, size_t len, bool as4, struct bgp_msg *m,
    struct bgp_result *r)
{
	memset(m, 0, sizeof(*m));
	memset(r, 0, sizeof(*r));
	if (len < BGP_HDR_LEN) {
		uint8_t l[2];

		put_be16(l, (uint16_t)len);
		bgp_result_add(r, 0, BGP_ACT_RESET, BGP_ERR_HEADER,
		    BGP_ERR_HDR_LEN, l, 2);
		return r->action;
	}
	if (header_check(buf, &r->notify) < 0 || get_be16(buf + 16) != len) {
		if (r->notify.code == 0)
			notify_set(&r->notify, BGP_ERR_HEADER, BGP_ERR_HDR_LEN,
			    buf + 16, 2);
		r->action = BGP_ACT_RESET;
		return r->action;
	}
	m->type = buf[18];
	switch (m->type) {
	case BGP_OPEN:
		open_decode(buf, len, &m->u.open, r);
		break;
	case BGP_UPDATE:
		update_decode(buf, len, as4, &m->u.update, r);
		break;
	case BGP_NOTIFICATION:
		notification_decode(buf, len, &m->u.notification);
		break;
	case BGP_KEEPALIVE:
		break;
	case BGP_ROUTE_REFRESH:
		if (len != BGP_REFRESH_LEN) {
			bgp_result_add(r, 0, BGP_ACT_RESET, BGP_ERR_REFRESH,
			    BGP_ERR_REFRESH_LEN, buf, len);
			break;
		}
		m->u.refresh.afi = get_be16(buf + 19);
		m->u.refresh.subtype = buf[21];
		m->u.refresh.safi = buf[22];
		break;
	}
	if (r->action == BGP_ACT_RESET) {
		bgp_msg_free(m);
		memset(m, 0, sizeof(*m));
	}
	return r->action;
}

void
bgp_msg_free(struct bgp_msg *m)
{
	if (m->type != BGP_UPDATE)
		return;
	free(m->u.update.withdrawn);
	free(m->u.update.attrs);
	m->u.update.withdrawn = m->u.update.nlri = NULL;
	m->u.update.mp_nlri = m->u.update.mp_withdrawn = NULL;
	m->u.update.attrs = NULL;
}

size_t
bgp_encode(const struct bgp_msg *m, bool as4, uint8_t *out)
{
	switch (m->type) {
	case BGP_OPEN:
		return open_encode(&m->u.open, out);
	case BGP_UPDATE:
		return update_encode(&m->u.update, as4, out);
	case BGP_NOTIFICATION:
		return bgp_encode_notification(m->u.notification.code,
		    m->u.notification.subcode, m->u.notification.data,
		    m->u.notification.data_len, out);
	case BGP_KEEPALIVE:
		return bgp_encode_keepalive(out);
	case BGP_ROUTE_REFRESH:
		put_be16(out + 19, m->u.refresh.afi);
		out[21] = m->u.refresh.subtype;
		out[22] = m->u.refresh.safi;
		put_header(out, BGP_REFRESH_LEN, BGP_ROUTE_REFRESH);
		return BGP_REFRESH_LEN;
	default:
		return 0;
	}
}

/* ---- packing ---- */

int
bgp_pack_announce(const struct bgp_attrs *attrs, bool as4,
    const struct bgp_prefix4 *nlri, size_t n, bgp_emit_fn *emit, void *arg)
{
	uint8_t out[BGP_MAX_LEN];
	struct bgp_update u;
	struct wbuf w = { out, BGP_HDR_LEN + 4, BGP_MAX_LEN, false };
	size_t head, i = 0;
	int msgs = 0;

	memset(&u, 0, sizeof(u));
	u.attrs = (struct bgp_attrs *)(uintptr_t)attrs;
	bgp_attrs_encode(&u, as4, &w);
	/* room for at least one /32 after the attributes */
	if (w.over || w.len + 5 > BGP_MAX_LEN)
		return -1;
	head = w.len;
	put_be16(out + BGP_HDR_LEN, 0);
	put_be16(out + BGP_HDR_LEN + 2, (uint16_t)(head - BGP_HDR_LEN - 4));
	while (i < n) {
		w.len = head;
		while (i < n && bgp_prefix_size(&nlri[i]) <= BGP_MAX_LEN - w.len)
			bgp_prefixes_encode(&nlri[i++], 1, &w);
		put_header(out, w.len, BGP_UPDATE);
		emit(out, w.len, arg);
		msgs++;
	}
	return msgs;
}

int
bgp_pack_withdraw(const struct bgp_prefix4 *pfx, size_t n, bgp_emit_fn *emit,
    void *arg)
{
	uint8_t out[BGP_MAX_LEN];
	struct wbuf w = { out, 0, BGP_MAX_LEN - 2, false };
	size_t i = 0;
	int msgs = 0;

	while (i < n) {
		w.len = BGP_HDR_LEN + 2;
		while (i < n && bgp_prefix_size(&pfx[i]) <= w.cap - w.len)
			bgp_prefixes_encode(&pfx[i++], 1, &w);
		put_be16(out + BGP_HDR_LEN, (uint16_t)(w.len - BGP_HDR_LEN - 2));
		put_be16(out + w.len, 0);
		put_header(out, w.len + 2, BGP_UPDATE);
		emit(out, w.len + 2, arg);
		msgs++;
	}
	return msgs;
}
