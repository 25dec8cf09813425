/*
 * ike_msg.c - the IKEv2 codec: payload chain parsing with every length
 * checked, the builder, the SK payload's framing and the PRF.
 *
 * The PRF and the ICV are real HMACs (nettle); the cipher of the SK body
 * is a keystream of HMAC-SHA-256 blocks over (IV, counter) XORed in: not
 * AES, but keyed, so only the holder of the keys reads the body, and the
 * sizes are AES's (IV, block padding) or GCM's.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <nettle/hmac.h>

#include "ike.h"
#include "ike_msg.h"
#include "util.h"

const char *const ike_perr_name[IKE_E_MAX] = {
	[IKE_OK] = "ok",
	[IKE_E_SHORT] = "ike: shorter than a header",
	[IKE_E_LENGTH] = "ike: length field does not match the datagram",
	[IKE_E_VERSION] = "ike: major version not 2",
	[IKE_E_PAYLOAD_LEN] = "ike: payload length",
	[IKE_E_CRITICAL] = "ike: unsupported critical payload",
	[IKE_E_SA] = "ike: malformed SA payload",
	[IKE_E_KE] = "ike: malformed KE payload",
	[IKE_E_NONCE] = "ike: nonce length outside 16..256",
	[IKE_E_ID] = "ike: malformed ID payload",
	[IKE_E_AUTH] = "ike: malformed AUTH payload",
	[IKE_E_TS] = "ike: malformed traffic selector",
	[IKE_E_NOTIFY] = "ike: malformed notify",
	[IKE_E_DELETE] = "ike: malformed delete",
	[IKE_E_SK] = "ike: encrypted payload (ICV, padding or position)",
	[IKE_E_TOO_MANY] = "ike: too many payloads of one kind",
};

const char *
ike_notify_name(unsigned type)
{
	switch (type) {
	case IKE_N_UNSUPPORTED_CRITICAL_PAYLOAD:
		return "UNSUPPORTED_CRITICAL_PAYLOAD";
	case IKE_N_INVALID_IKE_SPI: return "INVALID_IKE_SPI";
	case IKE_N_INVALID_MAJOR_VERSION: return "INVALID_MAJOR_VERSION";
	case IKE_N_INVALID_SYNTAX: return "INVALID_SYNTAX";
	case IKE_N_INVALID_MESSAGE_ID: return "INVALID_MESSAGE_ID";
	case IKE_N_INVALID_SPI: return "INVALID_SPI";
	case IKE_N_NO_PROPOSAL_CHOSEN: return "NO_PROPOSAL_CHOSEN";
	case IKE_N_INVALID_KE_PAYLOAD: return "INVALID_KE_PAYLOAD";
	case IKE_N_AUTHENTICATION_FAILED: return "AUTHENTICATION_FAILED";
	case IKE_N_TS_UNACCEPTABLE: return "TS_UNACCEPTABLE";
	case IKE_N_TEMPORARY_FAILURE: return "TEMPORARY_FAILURE";
	case IKE_N_CHILD_SA_NOT_FOUND: return "CHILD_SA_NOT_FOUND";
	case IKE_N_INITIAL_CONTACT: return "INITIAL_CONTACT";
	case IKE_N_NAT_DETECTION_SOURCE_IP: return "NAT_DETECTION_SOURCE_IP";
	case IKE_N_NAT_DETECTION_DESTINATION_IP:
		return "NAT_DETECTION_DESTINATION_IP";
	case IKE_N_REKEY_SA: return "REKEY_SA";
	case IKE_N_ESP_TFC_PADDING_NOT_SUPPORTED:
		return "ESP_TFC_PADDING_NOT_SUPPORTED";
	default:
		return type < 16384 ? "error notify" : "status notify";
	}
}

/* --- parsing --------------------------------------------------------- */

static void
seen(struct ike_msg *m, uint8_t type)
{
	if (type >= 32 && type < 96)
		m->seen |= 1ull << (type - 32);
}

bool
ike_msg_has(const struct ike_msg *m, uint8_t type)
{
	return type >= 32 && type < 96 && (m->seen >> (type - 32) & 1) != 0;
}

static enum ike_perr
parse_sa(const uint8_t *b, size_t len, struct ike_sa_pl *sa)
{
	size_t off = 0, plen, toff, tlen, aoff;
	struct ike_prop *p;
	struct ike_tr *t;
	uint8_t last = 2, ntr, i;

	sa->n = 0;
	while (last == 2) {
		if (len - off < 8 || sa->n == IKE_MAX_PROPS)
			return IKE_E_SA;
		last = b[off];
		plen = get_be16(b + off + 2);
		if ((last != 0 && last != 2) || plen < 8 || plen > len - off)
			return IKE_E_SA;
		p = &sa->p[sa->n];
		memset(p, 0, sizeof(*p));
		p->num = b[off + 4];
		p->proto = b[off + 5];
		p->spi_size = b[off + 6];
		ntr = b[off + 7];
		if ((p->spi_size != 0 && p->spi_size != 4 &&
		    p->spi_size != 8) ||
		    8u + p->spi_size > plen || ntr > IKE_MAX_TRS)
			return IKE_E_SA;
		if (p->spi_size == 4)
			p->spi = get_be32(b + off + 8);
		else if (p->spi_size == 8)
			p->spi = get_be64(b + off + 8);
		toff = off + 8 + p->spi_size;
		for (i = 0; i < ntr; i++) {
			if (off + plen - toff < 8)
				return IKE_E_SA;
			tlen = get_be16(b + toff + 2);
			if ((b[toff] != 0 && b[toff] != 3) || tlen < 8 ||
			    tlen > off + plen - toff ||
			    (b[toff] == 0) != (i + 1 == ntr))
				return IKE_E_SA;
			t = &p->tr[i];
			t->type = b[toff + 4];
			t->id = get_be16(b + toff + 6);
			t->keylen = 0;
			for (aoff = toff + 8; aoff < toff + tlen;) {
				uint16_t at;

				if (toff + tlen - aoff < 4)
					return IKE_E_SA;
				at = get_be16(b + aoff);
				if (at & 0x8000) {
					if ((at & 0x7fff) == IKE_ATTR_KEYLEN)
						t->keylen = get_be16(b + aoff +
						    2);
					aoff += 4;
				} else {
					size_t al = get_be16(b + aoff + 2);

					if (al > toff + tlen - aoff - 4)
						return IKE_E_SA;
					aoff += 4 + al;
				}
			}
			toff += tlen;
		}
		if (toff != off + plen)
			return IKE_E_SA;
		p->n_tr = ntr;
		sa->n++;
		off += plen;
	}
	return off == len ? IKE_OK : IKE_E_SA;
}

static enum ike_perr
parse_ts(const uint8_t *b, size_t len, struct ike_ts *ts, uint8_t *n)
{
	size_t off = 4, i, cnt;

	if (len < 4)
		return IKE_E_TS;
	cnt = b[0];
	if (cnt == 0 || cnt > IKE_MAX_TS)
		return cnt == 0 ? IKE_E_TS : IKE_E_TOO_MANY;
	for (i = 0; i < cnt; i++) {
		size_t sl;

		if (len - off < 4)
			return IKE_E_TS;
		sl = get_be16(b + off + 2);
		if (sl > len - off || b[off] != IKE_TS_IPV4_RANGE || sl != 16)
			return IKE_E_TS;
		ts[i].type = b[off];
		ts[i].proto = b[off + 1];
		ts[i].sport = get_be16(b + off + 4);
		ts[i].eport = get_be16(b + off + 6);
		ts[i].start = get_be32(b + off + 8);
		ts[i].end = get_be32(b + off + 12);
		off += sl;
	}
	if (off != len)
		return IKE_E_TS;
	*n = (uint8_t)cnt;
	return IKE_OK;
}

static enum ike_perr
parse_id(const uint8_t *b, size_t len, struct ike_id *id)
{
	if (len < 4)
		return IKE_E_ID;
	memset(id, 0, sizeof(*id));
	id->type = b[0];
	id->len = (uint16_t)(len - 4);
	if (id->type == IKE_ID_IPV4_ADDR) {
		if (len != 8)
			return IKE_E_ID;
		id->addr = get_be32(b + 4);
		memcpy(id->body, b, 8);
	}
	return IKE_OK;
}

static enum ike_perr
parse_notify(const uint8_t *b, size_t len, struct ike_msg *m)
{
	struct ike_notify *n;
	size_t dl;

	if (len < 4 || 4u + b[1] > len)
		return IKE_E_NOTIFY;
	if (b[1] != 0 && b[1] != 4 && b[1] != 8)
		return IKE_E_NOTIFY;
	if (m->n_notify == IKE_MAX_NOTIFY)
		return IKE_E_TOO_MANY;
	n = &m->notify[m->n_notify++];
	memset(n, 0, sizeof(*n));
	n->proto = b[0];
	n->spi_size = b[1];
	n->type = get_be16(b + 2);
	if (n->spi_size == 4)
		n->spi = get_be32(b + 4);
	dl = len - 4 - n->spi_size;
	n->dlen = (uint16_t)dl;
	memcpy(n->data, b + 4 + n->spi_size,
	    dl < sizeof(n->data) ? dl : sizeof(n->data));
	return IKE_OK;
}

static enum ike_perr
parse_delete(const uint8_t *b, size_t len, struct ike_msg *m)
{
	size_t n, i;

	if (len < 4)
		return IKE_E_DELETE;
	n = get_be16(b + 2);
	if (b[0] == IKE_PROTO_IKE) {
		if (b[1] != 0 || n != 0 || len != 4)
			return IKE_E_DELETE;
	} else if (b[0] == IKE_PROTO_ESP) {
		if (b[1] != 4 || n == 0 || len != 4 + 4 * n)
			return IKE_E_DELETE;
		if (n > IKE_MAX_DEL)
			return IKE_E_TOO_MANY;
	} else
		return IKE_E_DELETE;
	m->del_proto = b[0];
	m->del_n = (uint8_t)n;
	for (i = 0; i < n; i++)
		m->del_spi[i] = get_be32(b + 4 + 4 * i);
	return IKE_OK;
}

static enum ike_perr
parse_one(uint8_t type, const uint8_t *b, size_t len, struct ike_msg *m)
{
	switch (type) {
	case IKE_PL_SA:
		return parse_sa(b, len, &m->sa);
	case IKE_PL_KE:
		if (len < 4 || len - 4 > 0xffff)
			return IKE_E_KE;
		m->ke_group = get_be16(b);
		m->ke_len = (uint16_t)(len - 4);
		memcpy(m->ke, b + 4, m->ke_len < IKE_KE_MAX ? m->ke_len :
		    IKE_KE_MAX);
		return IKE_OK;
	case IKE_PL_NONCE:
		if (len < IKE_NONCE_MIN || len > IKE_NONCE_MAX)
			return IKE_E_NONCE;
		m->nonce_len = (uint16_t)len;
		memcpy(m->nonce, b, len);
		return IKE_OK;
	case IKE_PL_IDI:
		return parse_id(b, len, &m->idi);
	case IKE_PL_IDR:
		return parse_id(b, len, &m->idr);
	case IKE_PL_AUTH:
		if (len < 5 || len - 4 > IKE_AUTH_MAX)
			return IKE_E_AUTH;
		m->auth_method = b[0];
		m->auth_len = (uint16_t)(len - 4);
		memcpy(m->auth, b + 4, m->auth_len);
		return IKE_OK;
	case IKE_PL_TSI:
		return parse_ts(b, len, m->tsi, &m->n_tsi);
	case IKE_PL_TSR:
		return parse_ts(b, len, m->tsr, &m->n_tsr);
	case IKE_PL_NOTIFY:
		return parse_notify(b, len, m);
	case IKE_PL_DELETE:
		return parse_delete(b, len, m);
	case IKE_PL_VENDOR:
		if (m->n_vendor < 255)
			m->n_vendor++;
		return IKE_OK;
	default:
		return IKE_OK;
	}
}

/*
 * Walk a chain. An SK payload ends the outer chain (section 3.14: it is
 * the last); base is where b sits in the message (for sk_off).
 */
static enum ike_perr
walk(uint8_t type, const uint8_t *b, size_t len, size_t base,
    struct ike_msg *m, bool inner)
{
	size_t off = 0, plen;
	enum ike_perr e;
	uint8_t next;

	while (type != IKE_PL_NONE) {
		if (len - off < IKE_GEN_HLEN)
			return IKE_E_PAYLOAD_LEN;
		next = b[off];
		plen = get_be16(b + off + 2);
		if (plen < IKE_GEN_HLEN || plen > len - off)
			return IKE_E_PAYLOAD_LEN;
		if (type < IKE_PL_SA || type > IKE_PL_EAP) {
			if (b[off + 1] & 0x80)
				return IKE_E_CRITICAL;
		} else if (type == IKE_PL_SK) {
			if (inner || ike_msg_has(m, IKE_PL_SK) ||
			    off + plen != len)
				return IKE_E_SK;
			seen(m, type);
			m->sk_next = next;
			m->sk_off = (uint32_t)(base + off + IKE_GEN_HLEN);
			m->sk_len = (uint32_t)(plen - IKE_GEN_HLEN);
			return IKE_OK;
		} else {
			e = parse_one(type, b + off + IKE_GEN_HLEN,
			    plen - IKE_GEN_HLEN, m);
			if (e != IKE_OK)
				return e;
			seen(m, type);
		}
		off += plen;
		type = next;
	}
	return off == len ? IKE_OK : IKE_E_PAYLOAD_LEN;
}

enum ike_perr
ike_msg_parse(const uint8_t *b, size_t len, struct ike_msg *m)
{
	memset(m, 0, sizeof(*m));
	if (len < IKE_HDR_LEN)
		return IKE_E_SHORT;
	m->spi_i = get_be64(b);
	m->spi_r = get_be64(b + 8);
	m->next = b[16];
	m->version = b[17];
	m->exch = b[18];
	m->flags = b[19];
	m->msgid = get_be32(b + 20);
	m->len = get_be32(b + 24);
	if ((m->version & 0xf0) != IKE_VERSION_2)
		return IKE_E_VERSION;
	if (m->len != len)
		return IKE_E_LENGTH;
	return walk(m->next, b + IKE_HDR_LEN, len - IKE_HDR_LEN, IKE_HDR_LEN,
	    m, false);
}

enum ike_perr
ike_msg_parse_chain(uint8_t first, const uint8_t *b, size_t len,
    struct ike_msg *m)
{
	return walk(first, b, len, 0, m, true);
}

const struct ike_notify *
ike_msg_notify(const struct ike_msg *m, uint16_t type)
{
	uint8_t i;

	for (i = 0; i < m->n_notify; i++)
		if (m->notify[i].type == type)
			return &m->notify[i];
	return NULL;
}

uint16_t
ike_msg_error(const struct ike_msg *m)
{
	uint8_t i;

	for (i = 0; i < m->n_notify; i++)
		if (m->notify[i].type < 16384)
			return m->notify[i].type;
	return 0;
}

/* --- building -------------------------------------------------------- */

void
ike_buf_init(struct ike_buf *w)
{
	memset(w, 0, sizeof(*w));
	w->link = SIZE_MAX;
}

void
ike_buf_free(struct ike_buf *w)
{
	free(w->b);
	ike_buf_init(w);
}

static uint8_t *
grow(struct ike_buf *w, size_t n)
{
	uint8_t *p;

	if (w->len + n > w->cap) {
		w->cap = (w->len + n) * 2 + 64;
		w->b = xrealloc(w->b, w->cap);
	}
	p = w->b + w->len;
	memset(p, 0, n);
	w->len += n;
	return p;
}

void
ike_buf_set(struct ike_buf *w, const uint8_t *b, size_t len)
{
	ike_buf_free(w);
	if (len > 0)
		memcpy(grow(w, len), b, len);
}

void
ike_put_hdr(struct ike_buf *w, uint64_t spi_i, uint64_t spi_r, uint8_t exch,
    uint8_t flags, uint32_t msgid)
{
	uint8_t *h = grow(w, IKE_HDR_LEN);

	put_be64(h, spi_i);
	put_be64(h + 8, spi_r);
	h[17] = IKE_VERSION_2;
	h[18] = exch;
	h[19] = flags;
	put_be32(h + 20, msgid);
	w->link = 16;
}

void
ike_buf_chain(struct ike_buf *w)
{
	w->link = SIZE_MAX;
	w->first = IKE_PL_NONE;
}

void
ike_buf_finish(struct ike_buf *w)
{
	put_be32(w->b + 24, (uint32_t)w->len);
}

/* A payload of type with body bytes of space; returns the body. */
static uint8_t *
payload(struct ike_buf *w, uint8_t type, size_t body)
{
	size_t at = w->len;
	uint8_t *p;

	if (w->link == SIZE_MAX)
		w->first = type;
	else
		w->b[w->link] = type;
	p = grow(w, IKE_GEN_HLEN + body);
	put_be16(p + 2, (uint16_t)(IKE_GEN_HLEN + body));
	w->link = at;
	return p + IKE_GEN_HLEN;
}

void
ike_put_sa(struct ike_buf *w, const struct ike_sa_pl *sa)
{
	size_t body = 0, i, j, at;
	uint8_t *b;

	for (i = 0; i < sa->n; i++) {
		body += 8 + sa->p[i].spi_size;
		for (j = 0; j < sa->p[i].n_tr; j++)
			body += sa->p[i].tr[j].keylen ? 12 : 8;
	}
	b = payload(w, IKE_PL_SA, body);
	at = 0;
	for (i = 0; i < sa->n; i++) {
		const struct ike_prop *p = &sa->p[i];
		size_t start = at;

		b[at] = i + 1 < sa->n ? 2 : 0;
		b[at + 4] = p->num;
		b[at + 5] = p->proto;
		b[at + 6] = p->spi_size;
		b[at + 7] = p->n_tr;
		at += 8;
		if (p->spi_size == 4)
			put_be32(b + at, (uint32_t)p->spi);
		else if (p->spi_size == 8)
			put_be64(b + at, p->spi);
		at += p->spi_size;
		for (j = 0; j < p->n_tr; j++) {
			const struct ike_tr *t = &p->tr[j];
			size_t tl = t->keylen ? 12 : 8;

			b[at] = j + 1 < p->n_tr ? 3 : 0;
			put_be16(b + at + 2, (uint16_t)tl);
			b[at + 4] = t->type;
			put_be16(b + at + 6, t->id);
			if (t->keylen) {
				put_be16(b + at + 8, 0x8000 | IKE_ATTR_KEYLEN);
				put_be16(b + at + 10, t->keylen);
			}
			at += tl;
		}
		put_be16(b + start + 2, (uint16_t)(at - start));
	}
}

void
ike_put_ke(struct ike_buf *w, uint16_t group, const uint8_t *v, size_t len)
{
	uint8_t *b = payload(w, IKE_PL_KE, 4 + len);

	put_be16(b, group);
	memcpy(b + 4, v, len);
}

void
ike_put_nonce(struct ike_buf *w, const uint8_t *n, size_t len)
{
	memcpy(payload(w, IKE_PL_NONCE, len), n, len);
}

void
ike_put_id(struct ike_buf *w, uint8_t pl, uint32_t addr)
{
	uint8_t *b = payload(w, pl, 8);

	b[0] = IKE_ID_IPV4_ADDR;
	put_be32(b + 4, addr);
}

void
ike_put_auth(struct ike_buf *w, const uint8_t *a, size_t len)
{
	uint8_t *b = payload(w, IKE_PL_AUTH, 4 + len);

	b[0] = IKE_AUTH_PSK;
	memcpy(b + 4, a, len);
}

void
ike_put_ts(struct ike_buf *w, uint8_t pl, const struct ike_ts *ts)
{
	uint8_t *b = payload(w, pl, 4 + 16);

	b[0] = 1;
	b[4] = IKE_TS_IPV4_RANGE;
	b[5] = ts->proto;
	put_be16(b + 6, 16);
	put_be16(b + 8, ts->sport);
	put_be16(b + 10, ts->eport);
	put_be32(b + 12, ts->start);
	put_be32(b + 16, ts->end);
}

void
ike_put_notify(struct ike_buf *w, uint8_t proto, uint32_t spi, uint16_t type,
    const uint8_t *data, size_t dlen)
{
	size_t ss = proto == IKE_PROTO_ESP ? 4 : 0;
	uint8_t *b = payload(w, IKE_PL_NOTIFY, 4 + ss + dlen);

	b[0] = ss ? proto : 0;
	b[1] = (uint8_t)ss;
	put_be16(b + 2, type);
	if (ss)
		put_be32(b + 4, spi);
	if (dlen)
		memcpy(b + 4 + ss, data, dlen);
}

void
ike_put_delete(struct ike_buf *w, uint8_t proto, const uint32_t *spi,
    size_t n)
{
	uint8_t *b;
	size_t i;

	if (proto == IKE_PROTO_IKE)
		n = 0;
	b = payload(w, IKE_PL_DELETE, 4 + 4 * n);
	b[0] = proto;
	b[1] = n ? 4 : 0;
	put_be16(b + 2, (uint16_t)n);
	for (i = 0; i < n; i++)
		put_be32(b + 4 + 4 * i, spi[i]);
}

/* --- PRF ------------------------------------------------------------- */

size_t
ike_prf_len(uint16_t prf)
{
	switch (prf) {
	case IKE_PRF_HMAC_SHA1: return SHA1_DIGEST_SIZE;
	case IKE_PRF_HMAC_SHA2_256: return SHA256_DIGEST_SIZE;
	case IKE_PRF_HMAC_SHA2_384: return SHA384_DIGEST_SIZE;
	default: return 0;
	}
}

void
ike_prf(uint16_t prf, const uint8_t *key, size_t klen, const uint8_t *data,
    size_t dlen, uint8_t *out)
{
	struct hmac_sha1_ctx c1;
	struct hmac_sha256_ctx c256;
	struct hmac_sha384_ctx c384;

	switch (prf) {
	case IKE_PRF_HMAC_SHA1:
		hmac_sha1_set_key(&c1, klen, key);
		hmac_sha1_update(&c1, dlen, data);
		hmac_sha1_digest(&c1, SHA1_DIGEST_SIZE, out);
		break;
	case IKE_PRF_HMAC_SHA2_384:
		hmac_sha384_set_key(&c384, klen, key);
		hmac_sha384_update(&c384, dlen, data);
		hmac_sha384_digest(&c384, SHA384_DIGEST_SIZE, out);
		break;
	default:
		hmac_sha256_set_key(&c256, klen, key);
		hmac_sha256_update(&c256, dlen, data);
		hmac_sha256_digest(&c256, SHA256_DIGEST_SIZE, out);
		break;
	}
}

void
ike_prf_plus(uint16_t prf, const uint8_t *key, size_t klen,
    const uint8_t *seed, size_t slen, uint8_t *out, size_t outlen)
{
	size_t hl = ike_prf_len(prf) ? ike_prf_len(prf) : SHA256_DIGEST_SIZE;
	uint8_t t[SHA384_DIGEST_SIZE];
	uint8_t *in = xmalloc(hl + slen + 1);
	size_t inl, got = 0, n;
	uint8_t ctr = 1;

	/* T1 = prf(K, S | 0x01), Tn = prf(K, Tn-1 | S | n) */
	while (got < outlen) {
		inl = 0;
		if (ctr > 1) {
			memcpy(in, t, hl);
			inl = hl;
		}
		memcpy(in + inl, seed, slen);
		inl += slen;
		in[inl++] = ctr++;
		ike_prf(prf, key, klen, in, inl, t);
		n = outlen - got < hl ? outlen - got : hl;
		memcpy(out + got, t, n);
		got += n;
	}
	free(in);
}

size_t
ike_dh_len(uint16_t group)
{
	switch (group) {
	case IKE_DH_MODP768: return 96;
	case IKE_DH_MODP1024: return 128;
	case IKE_DH_MODP1536: return 192;
	case IKE_DH_MODP2048: return 256;
	case 15: return 384;
	case 16: return 512;
	case IKE_DH_ECP256: return 64;
	case IKE_DH_ECP384: return 96;
	case 21: return 132;
	case IKE_DH_MODP2048_256: return 256;
	case 31: return 32;	/* Curve25519 */
	default: return 0;
	}
}

/* --- SK -------------------------------------------------------------- */

bool
ike_sk_sizes(uint16_t encr, uint16_t keylen, uint16_t integ, uint8_t *iv_len,
    uint8_t *block, uint8_t *icv_len, uint8_t *ek_len, uint8_t *ak_len)
{
	switch (encr) {
	case IKE_ENCR_AES_CBC:
		if (keylen != 128 && keylen != 192 && keylen != 256)
			return false;
		*iv_len = *block = 16;
		*ek_len = (uint8_t)(keylen / 8);
		break;
	case IKE_ENCR_AES_GCM_16:
		if ((keylen != 128 && keylen != 192 && keylen != 256) ||
		    integ != IKE_INTEG_NONE)
			return false;
		/* RFC 5282: 8-byte IV, 16-byte tag, 4-byte salt in the key */
		*iv_len = 8;
		*block = 1;
		*ek_len = (uint8_t)(keylen / 8 + 4);
		*icv_len = 16;
		*ak_len = 0;
		return true;
	case IKE_ENCR_3DES:
		if (keylen != 0)
			return false;
		*iv_len = *block = 8;
		*ek_len = 24;
		break;
	default:
		return false;
	}
	switch (integ) {
	case IKE_INTEG_HMAC_SHA1_96: *icv_len = 12; *ak_len = 20; break;
	case IKE_INTEG_HMAC_SHA2_256_128: *icv_len = 16; *ak_len = 32; break;
	case IKE_INTEG_HMAC_SHA2_384_192: *icv_len = 24; *ak_len = 48; break;
	default: return false;
	}
	return true;
}

static uint64_t
splitmix(uint64_t *x)
{
	uint64_t z = (*x += 0x9e3779b97f4a7c15ull);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

/* XOR the keystream HMAC-SHA-256(ek, IV | counter) over b. */
static void
keystream(const struct ike_sk_keys *k, const uint8_t *iv, uint8_t *b,
    size_t len)
{
	uint8_t in[20], blk[SHA256_DIGEST_SIZE];
	size_t off, i;
	uint32_t ctr = 0;

	memset(in, 0, sizeof(in));
	memcpy(in, iv, k->iv_len);
	for (off = 0; off < len; off += sizeof(blk)) {
		put_be32(in + 16, ctr++);
		ike_prf(IKE_PRF_HMAC_SHA2_256, k->ek, k->ek_len, in,
		    sizeof(in), blk);
		for (i = 0; i < sizeof(blk) && off + i < len; i++)
			b[off + i] ^= blk[i];
	}
}

/* The ICV over b (len): the integrity HMAC truncated, or GCM's tag. */
static void
icv(const struct ike_sk_keys *k, const uint8_t *b, size_t len, uint8_t *out)
{
	uint8_t d[SHA384_DIGEST_SIZE];

	switch (k->integ) {
	case IKE_INTEG_HMAC_SHA1_96:
		ike_prf(IKE_PRF_HMAC_SHA1, k->ak, k->ak_len, b, len, d);
		break;
	case IKE_INTEG_HMAC_SHA2_384_192:
		ike_prf(IKE_PRF_HMAC_SHA2_384, k->ak, k->ak_len, b, len, d);
		break;
	case IKE_INTEG_HMAC_SHA2_256_128:
		ike_prf(IKE_PRF_HMAC_SHA2_256, k->ak, k->ak_len, b, len, d);
		break;
	default:	/* AEAD: keyed by the encryption key */
		ike_prf(IKE_PRF_HMAC_SHA2_256, k->ek, k->ek_len, b, len, d);
		break;
	}
	memcpy(out, d, k->icv_len);
}

void
ike_sk_seal(struct ike_buf *w, const struct ike_buf *inner,
    const struct ike_sk_keys *k, uint64_t iv_seed)
{
	size_t pad = 0, body, i;
	uint8_t *b, *ct;
	uint64_t r;

	if (k->block > 1)
		pad = (k->block - (inner->len + 1) % k->block) % k->block;
	body = k->iv_len + inner->len + pad + 1 + k->icv_len;
	b = payload(w, IKE_PL_SK, body);
	/* the SK's Next Payload names the first inner payload */
	*(b - IKE_GEN_HLEN) = inner->first;
	w->link = SIZE_MAX;
	for (i = 0; i < k->iv_len; i += 8) {
		r = splitmix(&iv_seed);
		memcpy(b + i, &r, k->iv_len - i < 8 ? k->iv_len - i : 8);
	}
	ct = b + k->iv_len;
	if (inner->len)
		memcpy(ct, inner->b, inner->len);
	ct[inner->len + pad] = (uint8_t)pad;
	keystream(k, b, ct, inner->len + pad + 1);
	ike_buf_finish(w);
	icv(k, w->b, w->len - k->icv_len, w->b + w->len - k->icv_len);
}

enum ike_perr
ike_sk_open(const uint8_t *b, size_t len, struct ike_msg *m,
    const struct ike_sk_keys *k, uint8_t *out)
{
	uint8_t want[SHA384_DIGEST_SIZE];
	size_t ctl, padl;

	if (!ike_msg_has(m, IKE_PL_SK) || m->sk_len < k->iv_len +
	    k->icv_len + 1u || (size_t)m->sk_off + m->sk_len != len)
		return IKE_E_SK;
	ctl = m->sk_len - k->iv_len - k->icv_len;
	if (k->block > 1 && ctl % k->block != 0)
		return IKE_E_SK;
	icv(k, b, len - k->icv_len, want);
	if (memcmp(want, b + len - k->icv_len, k->icv_len) != 0)
		return IKE_E_SK;
	memcpy(out, b + m->sk_off + k->iv_len, ctl);
	keystream(k, b + m->sk_off, out, ctl);
	padl = out[ctl - 1];
	if (padl + 1 > ctl)
		return IKE_E_SK;
	return ike_msg_parse_chain(m->sk_next, out, ctl - 1 - padl, m);
}

/* --- IKEv1 ----------------------------------------------------------- */

static void
v1_hdr(struct ike_buf *w, uint64_t ic, uint64_t rc, uint8_t next,
    uint8_t exch)
{
	uint8_t *h = grow(w, IKE_HDR_LEN);

	put_be64(h, ic);
	put_be64(h + 8, rc);
	h[16] = next;
	h[17] = IKE_VERSION_1;
	h[18] = exch;
}

static uint8_t *
attr_tv(uint8_t *b, uint16_t type, uint16_t v)
{
	put_be16(b, 0x8000 | type);
	put_be16(b + 2, v);
	return b + 4;
}

void
ikev1_main_mode_1(struct ike_buf *w, uint64_t icookie,
    const uint16_t (*tr)[4], size_t ntr, uint32_t life_s)
{
	size_t tl, i, plen, salen;
	uint8_t *b, *p;

	v1_hdr(w, icookie, 0, IKEV1_PL_SA, IKEV1_EXCH_MAIN_MODE);
	/* per transform: header 8, then encr, [keylen], hash, auth, group,
	 * life type, life duration (TV, so at most 65535 s) */
	plen = 8;
	for (i = 0; i < ntr; i++)
		plen += 8 + 4 * (tr[i][1] != 0 ? 7 : 6);
	salen = 4 + 8 + plen;
	b = grow(w, salen);
	put_be16(b + 2, (uint16_t)salen);
	put_be32(b + 4, 1);	/* DOI: IPsec */
	put_be32(b + 8, 1);	/* situation: SIT_IDENTITY_ONLY */
	p = b + 12;
	put_be16(p + 2, (uint16_t)plen);
	p[4] = 1;		/* proposal 1 */
	p[5] = 1;		/* PROTO_ISAKMP */
	p[7] = (uint8_t)ntr;
	p += 8;
	for (i = 0; i < ntr; i++) {
		uint8_t *a;

		tl = 8 + 4 * (tr[i][1] != 0 ? 7 : 6);
		p[0] = i + 1 < ntr ? IKEV1_PL_TRANSFORM : 0;
		put_be16(p + 2, (uint16_t)tl);
		p[4] = (uint8_t)(i + 1);
		p[5] = 1;	/* KEY_IKE */
		a = attr_tv(p + 8, 1, tr[i][0]);
		if (tr[i][1] != 0)
			a = attr_tv(a, 14, tr[i][1]);
		a = attr_tv(a, 2, tr[i][2]);
		a = attr_tv(a, 3, 1);		/* pre-shared key */
		a = attr_tv(a, 4, tr[i][3]);
		a = attr_tv(a, 11, 1);		/* seconds */
		attr_tv(a, 12, (uint16_t)(life_s > 0xffff ? 0xffff : life_s));
		p += tl;
	}
	put_be32(w->b + 24, (uint32_t)w->len);
}

void
ikev1_notify(struct ike_buf *w, uint64_t icookie, uint64_t rcookie,
    uint16_t type)
{
	uint8_t *b;

	v1_hdr(w, icookie, rcookie, IKEV1_PL_NOTIFY, IKEV1_EXCH_INFO);
	b = grow(w, 12);
	put_be16(b + 2, 12);
	put_be32(b + 4, 1);	/* DOI: IPsec */
	b[8] = 1;		/* PROTO_ISAKMP */
	put_be16(b + 10, type);
	put_be32(w->b + 24, (uint32_t)w->len);
}
