/*
 * ike_exch.c - the exchanges of RFC 7296 as messages: what each request
 * carries, how a responder chooses and answers, what a response does.
 *
 * Keys (2.14, 2.17, 2.18) are derived with the negotiated PRF as the RFC
 * says; only the Diffie-Hellman value is not real: the shared secret is
 * prf+ over both public values (random bytes of the group's size), so
 * both ends agree on it and it changes with every exchange. The PSK AUTH
 * (2.15) is the real computation, so a wrong key fails at the responder.
 *
 * Proposal choice: the responder takes the first of its own proposals
 * that the initiator offers (strongSwan's prefer_configured_proposals).
 * The Child SA of IKE_AUTH is chosen without DH (1.2); a PFS group that
 * the peer does not accept shows at the first CREATE_CHILD_SA.
 *
 * Collisions (2.8.1, 2.25): when both ends rekey the same SA at once, the
 * request with the lower nonce is answered TEMPORARY_FAILURE and the other
 * completes, so exactly one successor exists (the RFC completes both and
 * deletes the redundant one; the outcome is the same SA).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <nettle/sha1.h>

#include "ike_int.h"
#include "net.h"
#include "pkt.h"
#include "sim.h"
#include "util.h"
#include "wire.h"

/* --- proposals ------------------------------------------------------- */

static void
tr_add(struct ike_prop *p, uint8_t type, uint16_t id, uint16_t keylen)
{
	p->tr[p->n_tr].type = type;
	p->tr[p->n_tr].id = id;
	p->tr[p->n_tr].keylen = keylen;
	p->n_tr++;
}

void
ike_prop_wire(struct ike_prop *p, uint8_t num, const struct ike_proposal *o,
    uint8_t proto, uint64_t spi, bool dh)
{
	memset(p, 0, sizeof(*p));
	p->num = num;
	p->proto = proto;
	p->spi_size = proto == IKE_PROTO_ESP ? 4 : spi != 0 ? 8 : 0;
	p->spi = spi;
	tr_add(p, IKE_TR_ENCR, o->encr, o->keylen);
	if (proto == IKE_PROTO_IKE)
		tr_add(p, IKE_TR_PRF, o->prf, 0);
	if (o->integ != IKE_INTEG_NONE)
		tr_add(p, IKE_TR_INTEG, o->integ, 0);
	if (dh && o->dh != IKE_DH_NONE)
		tr_add(p, IKE_TR_DH, o->dh, 0);
	if (proto == IKE_PROTO_ESP)
		tr_add(p, IKE_TR_ESN, 0, 0);	/* no extended sequence */
}

void
ike_props_wire(struct ike_sa_pl *pl, const struct ike_proposal *v, size_t n,
    uint8_t proto, uint64_t spi, bool dh)
{
	size_t i;

	pl->n = (uint8_t)n;
	for (i = 0; i < n; i++)
		ike_prop_wire(&pl->p[i], (uint8_t)(i + 1), &v[i], proto, spi,
		    dh);
}

static bool
has_tr(const struct ike_prop *q, uint8_t type, uint16_t id, uint16_t keylen)
{
	uint8_t i;

	for (i = 0; i < q->n_tr; i++)
		if (q->tr[i].type == type && q->tr[i].id == id &&
		    q->tr[i].keylen == keylen)
			return true;
	return false;
}

static bool
has_type(const struct ike_prop *q, uint8_t type)
{
	uint8_t i;

	for (i = 0; i < q->n_tr; i++)
		if (q->tr[i].type == type && q->tr[i].id != 0)
			return true;
	return false;
}

/* Whether the peer's proposal q offers all of ours (dh: checked). */
static bool
offers(const struct ike_prop *q, const struct ike_proposal *o, bool ike,
    bool dh)
{
	if (!has_tr(q, IKE_TR_ENCR, o->encr, o->keylen))
		return false;
	if (ike && !has_tr(q, IKE_TR_PRF, o->prf, 0))
		return false;
	if (o->integ != IKE_INTEG_NONE ? !has_tr(q, IKE_TR_INTEG, o->integ, 0)
	    : has_type(q, IKE_TR_INTEG))
		return false;
	if (dh && (o->dh != IKE_DH_NONE ? !has_tr(q, IKE_TR_DH, o->dh, 0) :
	    has_type(q, IKE_TR_DH)))
		return false;
	return true;
}

/* Ours first; *qi is the peer's proposal that matched. -1 if none. */
int
ike_choose(const struct ike_proposal *v, size_t n, const struct ike_sa_pl *pl,
    uint8_t proto, bool dh, int *qi)
{
	size_t i;
	uint8_t j;

	for (i = 0; i < n; i++)
		for (j = 0; j < pl->n; j++)
			if (pl->p[j].proto == proto &&
			    offers(&pl->p[j], &v[i], proto == IKE_PROTO_IKE,
			    dh)) {
				*qi = j;
				return (int)i;
			}
	return -1;
}

/* The one proposal of a response, if it is one of ours. -1 if not. */
int
ike_chosen(const struct ike_proposal *v, size_t n, const struct ike_msg *m,
    uint8_t proto, bool dh)
{
	int qi;

	if (!ike_msg_has(m, IKE_PL_SA) || m->sa.n != 1)
		return -1;
	return ike_choose(v, n, &m->sa, proto, dh, &qi);
}

static bool
group_offered(const struct ike_proposal *v, size_t n, uint16_t g)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (v[i].dh == g && g != 0)
			return true;
	return false;
}

/* --- keys ------------------------------------------------------------ */

/* The stand-in for g^ir: prf+ over KEi | KEr, the group's size. */
static void
shared(uint16_t group, const uint8_t *kei, size_t li, const uint8_t *ker,
    size_t lr, uint8_t *out, size_t *outlen)
{
	static const uint8_t k[] = "xcsim: not a real Diffie-Hellman";
	uint8_t seed[2 * IKE_KE_MAX];

	li = li < IKE_KE_MAX ? li : IKE_KE_MAX;
	lr = lr < IKE_KE_MAX ? lr : IKE_KE_MAX;
	memcpy(seed, kei, li);
	memcpy(seed + li, ker, lr);
	*outlen = ike_dh_len(group);
	ike_prf_plus(IKE_PRF_HMAC_SHA2_256, k, sizeof(k) - 1, seed, li + lr,
	    out, *outlen);
}

/*
 * 2.14 / 2.18: SKEYSEED from key (Ni | Nr at IKE_SA_INIT; SK_d of the old
 * SA at a rekey) and data, then the seven keys from Ni | Nr | SPIi | SPIr.
 */
static void
derive(struct ike_sa *sa, struct ike_keys *k, const uint8_t *key,
    size_t klen, const uint8_t *data, size_t dlen)
{
	uint16_t prf = k->prop.prf;
	size_t pl = ike_prf_len(prf), off = 0;
	uint8_t seed[2 * IKE_NONCE_MAX + 16], skeyseed[48], km[512];
	struct ike_sk_keys ki, kr;
	uint8_t ek, ak;

	ike_prf(prf, key, klen, data, dlen, skeyseed);
	memcpy(seed, sa->ni, sa->ni_len);
	memcpy(seed + sa->ni_len, sa->nr, sa->nr_len);
	put_be64(seed + sa->ni_len + sa->nr_len, k->spi_i);
	put_be64(seed + sa->ni_len + sa->nr_len + 8, k->spi_r);
	memset(&ki, 0, sizeof(ki));
	ike_sk_sizes(k->prop.encr, k->prop.keylen, k->prop.integ, &ki.iv_len,
	    &ki.block, &ki.icv_len, &ek, &ak);
	ki.encr = k->prop.encr;
	ki.integ = k->prop.integ;
	ki.ek_len = ek;
	ki.ak_len = ak;
	kr = ki;
	ike_prf_plus(prf, skeyseed, pl, seed, sa->ni_len + sa->nr_len + 16,
	    km, 3 * pl + 2 * ak + 2 * ek);
	k->prf_len = pl;
	memcpy(k->sk_d, km, pl);
	off = pl;
	memcpy(ki.ak, km + off, ak);
	memcpy(kr.ak, km + off + ak, ak);
	off += 2 * (size_t)ak;
	memcpy(ki.ek, km + off, ek);
	memcpy(kr.ek, km + off + ek, ek);
	off += 2 * (size_t)ek;
	memcpy(k->orig_init ? k->sk_pl : k->sk_pr, km + off, pl);
	memcpy(k->orig_init ? k->sk_pr : k->sk_pl, km + off + pl, pl);
	k->out = k->orig_init ? ki : kr;
	k->in = k->orig_init ? kr : ki;
	k->live = true;
}

/* IKE_SA_INIT: SKEYSEED = prf(Ni | Nr, g^ir). */
static void
derive_init(struct ike_sa *sa, struct ike_keys *k, const uint8_t *kei,
    size_t li, const uint8_t *ker, size_t lr)
{
	uint8_t nn[2 * IKE_NONCE_MAX], g[1024];
	size_t gl;

	shared(k->prop.dh, kei, li, ker, lr, g, &gl);
	memcpy(nn, sa->ni, sa->ni_len);
	memcpy(nn + sa->ni_len, sa->nr, sa->nr_len);
	derive(sa, k, nn, sa->ni_len + sa->nr_len, g, gl);
}

/* IKE SA rekey: SKEYSEED = prf(SK_d (old), g^ir (new) | Ni | Nr). */
void
ike_derive_rekey(struct ike_sa *sa, struct ike_keys *nk, const uint8_t *kei,
    size_t li, const uint8_t *ker, size_t lr)
{
	uint8_t d[1024 + 2 * IKE_NONCE_MAX];
	size_t gl;

	shared(nk->prop.dh, kei, li, ker, lr, d, &gl);
	memcpy(d + gl, sa->ni, sa->ni_len);
	memcpy(d + gl + sa->ni_len, sa->nr, sa->nr_len);
	derive(sa, nk, sa->cur.sk_d, sa->cur.prf_len, d,
	    gl + sa->ni_len + sa->nr_len);
}

/* 2.15: prf(prf(PSK, "Key Pad for IKEv2"), msg | nonce | prf(SK_p, ID')) */
static void
auth_value(struct ike_sa *sa, const struct ike_keys *k, bool mine,
    uint32_t id, uint8_t *out)
{
	static const char pad[] = "Key Pad for IKEv2";
	bool sender_init = mine == k->orig_init;
	const struct ike_buf *msg = sender_init ? &sa->init_req :
	    &sa->init_resp;
	const uint8_t *n = sender_init ? sa->nr : sa->ni;
	size_t nl = sender_init ? sa->nr_len : sa->ni_len;
	uint16_t prf = k->prop.prf;
	uint8_t idb[8] = { IKE_ID_IPV4_ADDR, 0, 0, 0 }, mac[48], kp[48];
	uint8_t *octets = xmalloc(msg->len + nl + k->prf_len);

	put_be32(idb + 4, id);
	ike_prf(prf, mine ? k->sk_pl : k->sk_pr, k->prf_len, idb, 8, mac);
	if (msg->len > 0)
		memcpy(octets, msg->b, msg->len);
	memcpy(octets + msg->len, n, nl);
	memcpy(octets + msg->len + nl, mac, k->prf_len);
	ike_prf(prf, (const uint8_t *)sa->pol.psk, strlen(sa->pol.psk),
	    (const uint8_t *)pad, sizeof(pad) - 1, kp);
	ike_prf(prf, kp, k->prf_len, octets, msg->len + nl + k->prf_len, out);
	free(octets);
}

/* The Child SA's parameters from a chosen proposal; key from KEYMAT. */
static void
child_fill(struct ike_sa *sa, struct ipsec_child *c,
    const struct ike_proposal *o, uint16_t pfs, const uint8_t *g, size_t gl)
{
	uint8_t seed[1024 + 2 * IKE_NONCE_MAX], km[8];

	memset(c, 0, sizeof(*c));
	c->encr = o->encr;
	c->keylen = o->keylen;
	c->integ = o->integ;
	c->pfs = pfs;
	c->udp_encap = sa->natt;
	switch (o->encr) {
	case IKE_ENCR_AES_GCM_16:
		c->iv_len = 8, c->block = 4, c->icv_len = 16;
		break;
	case IKE_ENCR_3DES:
		c->iv_len = 8, c->block = 8;
		break;
	default:
		c->iv_len = 16, c->block = 16;
		break;
	}
	if (o->integ == IKE_INTEG_HMAC_SHA1_96)
		c->icv_len = 12;
	else if (o->integ == IKE_INTEG_HMAC_SHA2_256_128)
		c->icv_len = 16;
	else if (o->integ == IKE_INTEG_HMAC_SHA2_384_192)
		c->icv_len = 24;
	/* 2.17: KEYMAT = prf+(SK_d, [g^ir] | Ni | Nr) */
	if (gl > 0)
		memcpy(seed, g, gl);
	memcpy(seed + gl, sa->ni, sa->ni_len);
	memcpy(seed + gl + sa->ni_len, sa->nr, sa->nr_len);
	ike_prf_plus(sa->cur.prop.prf, sa->cur.sk_d, sa->cur.prf_len, seed,
	    gl + sa->ni_len + sa->nr_len, km, sizeof(km));
	c->key = get_be64(km);
}

/* --- framing --------------------------------------------------------- */

static uint8_t
flags_of(const struct ike_keys *k, bool resp)
{
	return (uint8_t)((k->orig_init ? IKE_FLAG_I : 0) |
	    (resp ? IKE_FLAG_R : 0));
}

void
ike_request(struct ike_sa *sa, struct ike_keys *k, enum ike_req kind,
    uint8_t exch, const struct ike_buf *inner)
{
	struct ike_buf w;

	ike_buf_init(&w);
	ike_put_hdr(&w, k->spi_i, k->spi_r, exch, flags_of(k, false),
	    k->msgid_out);
	ike_sk_seal(&w, inner, &k->out, rng_u64(&sa->rng));
	ike_send_req(sa, kind, &w, k);
}

void
ike_respond(struct ike_sa *sa, struct ike_keys *k, const struct ike_msg *m,
    const struct ike_buf *inner)
{
	ike_buf_free(&k->resp);
	ike_put_hdr(&k->resp, k->spi_i, k->spi_r, m->exch, flags_of(k, true),
	    m->msgid);
	ike_sk_seal(&k->resp, inner, &k->out, rng_u64(&sa->rng));
	k->resp_id = m->msgid;
	k->has_resp = true;
	k->msgid_in = m->msgid + 1;
	ike_tx(sa, &k->resp);
}

/* An encrypted response holding one notify. */
void
ike_respond_notify(struct ike_sa *sa, struct ike_keys *k,
    const struct ike_msg *m, uint16_t type, uint16_t group)
{
	struct ike_buf in;
	uint8_t d[2];

	ike_buf_init(&in);
	put_be16(d, group);
	ike_put_notify(&in, 0, 0, type, d, group ? 2 : 0);
	ike_respond(sa, k, m, &in);
	ike_buf_free(&in);
}

/* 2.23: SHA-1(SPIi | SPIr | IP | port); nat_t forced: a false source. */
static void
put_nat_d(struct ike_sa *sa, struct ike_buf *w, uint64_t si, uint64_t sr)
{
	uint8_t in[22], d[SHA1_DIGEST_SIZE];
	struct sha1_ctx c;
	int i;

	for (i = 0; i < 2; i++) {
		put_be64(in, si);
		put_be64(in + 8, sr);
		put_be32(in + 16, i == 0 ? sa->local : sa->remote);
		put_be16(in + 20, IKE_PORT);
		if (i == 0 && sa->pol.nat_t)
			in[19] ^= 0xff;	/* strongSwan's forceencaps */
		sha1_init(&c);
		sha1_update(&c, sizeof(in), in);
		sha1_digest(&c, sizeof(d), d);
		ike_put_notify(w, 0, 0, i == 0 ? IKE_N_NAT_DETECTION_SOURCE_IP :
		    IKE_N_NAT_DETECTION_DESTINATION_IP, d, sizeof(d));
	}
}

/* Whether the peer's NAT_DETECTION_SOURCE_IP says it is behind a NAT. */
static bool
nat_seen(struct ike_sa *sa, const struct ike_msg *m)
{
	const struct ike_notify *n =
	    ike_msg_notify(m, IKE_N_NAT_DETECTION_SOURCE_IP);
	uint8_t in[22], d[SHA1_DIGEST_SIZE];
	struct sha1_ctx c;

	if (n == NULL || n->dlen != sizeof(d))
		return false;
	put_be64(in, m->spi_i);
	put_be64(in + 8, m->spi_r);
	put_be32(in + 16, sa->remote);
	put_be16(in + 20, IKE_PORT);
	sha1_init(&c);
	sha1_update(&c, sizeof(in), in);
	sha1_digest(&c, sizeof(d), d);
	return memcmp(d, n->data, sizeof(d)) != 0;
}

static void
ts_of(struct ike_ts *t, uint32_t addr, uint8_t plen)
{
	uint32_t mask = plen == 0 ? 0 : ~0u << (32 - plen);

	memset(t, 0, sizeof(*t));
	t->type = IKE_TS_IPV4_RANGE;
	t->eport = 65535;
	t->start = addr & mask;
	t->end = (addr & mask) | ~mask;
}

/* Narrow (2.9): the intersection of the peer's first TS and ours. */
static bool
ts_narrow(const struct ike_ts *peer, uint8_t n, uint32_t a, uint8_t plen,
    struct ike_ts *out)
{
	struct ike_ts o;

	ts_of(&o, a, plen);
	if (n == 0 || peer->end < o.start || peer->start > o.end)
		return false;
	*out = o;
	out->start = peer->start > o.start ? peer->start : o.start;
	out->end = peer->end < o.end ? peer->end : o.end;
	return true;
}

static void
put_ts_pair(struct ike_sa *sa, struct ike_buf *in, bool init_view)
{
	struct ike_ts l, r;

	ts_of(&l, sa->pol.ts_local, sa->pol.ts_local_plen);
	ts_of(&r, sa->pol.ts_remote, sa->pol.ts_remote_plen);
	ike_put_ts(in, IKE_PL_TSI, init_view ? &l : &r);
	ike_put_ts(in, IKE_PL_TSR, init_view ? &r : &l);
}

/* --- IKE_SA_INIT ----------------------------------------------------- */

void
ike_new_nonce(struct ike_sa *sa, bool init)
{
	if (init) {
		sa->ni_len = IKE_NONCE_LEN;
		ike_rand(sa, sa->ni, sa->ni_len);
	} else {
		sa->nr_len = IKE_NONCE_LEN;
		ike_rand(sa, sa->nr, sa->nr_len);
	}
}

void
ike_new_ke(struct ike_sa *sa, uint16_t group)
{
	sa->ke_group = group;
	sa->ke_len = ike_dh_len(group);
	ike_rand(sa, sa->ke, sa->ke_len);
}

void
ike_peer_nonce(struct ike_sa *sa, const struct ike_msg *m, bool init)
{
	if (init) {
		sa->ni_len = m->nonce_len;
		memcpy(sa->ni, m->nonce, m->nonce_len);
	} else {
		sa->nr_len = m->nonce_len;
		memcpy(sa->nr, m->nonce, m->nonce_len);
	}
	sa->peer_ke_len = m->ke_len < IKE_KE_MAX ? m->ke_len : IKE_KE_MAX;
	memcpy(sa->peer_ke, m->ke, sa->peer_ke_len);
}

void
ike_x_init_start(struct ike_sa *sa)
{
	struct ike_sa_pl pl;
	struct ike_buf w;

	if (!sa->ke_retried) {
		ike_keys_drop(&sa->cur);
		sa->cur.spi_i = ike_new_spi64(sa);
		sa->init_dh = sa->pol.ike[0].dh;
	}
	sa->cur.orig_init = true;
	sa->natt = false;
	ike_new_nonce(sa, true);
	ike_new_ke(sa, sa->init_dh);
	ike_buf_init(&w);
	ike_put_hdr(&w, sa->cur.spi_i, 0, IKE_EXCH_SA_INIT, IKE_FLAG_I, 0);
	ike_props_wire(&pl, sa->pol.ike, sa->pol.n_ike, IKE_PROTO_IKE, 0, true);
	ike_put_sa(&w, &pl);
	ike_put_ke(&w, sa->ke_group, sa->ke, sa->ke_len);
	ike_put_nonce(&w, sa->ni, sa->ni_len);
	put_nat_d(sa, &w, sa->cur.spi_i, 0);
	ike_buf_finish(&w);
	ike_buf_set(&sa->init_req, w.b, w.len);
	ike_send_req(sa, REQ_INIT, &w, NULL);
	ike_set_state(sa, IKE_ST_INIT_SENT, "IKE_SA_INIT sent");
}

/* An unencrypted IKE_SA_INIT answer holding one notify. */
static void
init_notify(struct ike_sa *sa, const struct ike_msg *m, uint16_t type,
    uint16_t group)
{
	struct ike_buf w;
	uint8_t d[2];

	ike_buf_init(&w);
	ike_put_hdr(&w, m->spi_i, 0, IKE_EXCH_SA_INIT, IKE_FLAG_R, 0);
	put_be16(d, group);
	ike_put_notify(&w, 0, 0, type, d, group ? 2 : 0);
	ike_buf_finish(&w);
	ike_tx(sa, &w);
	ike_buf_free(&w);
}

/* Lower nonce first (2.8.1's comparison). */
int
ike_nonce_cmp(const uint8_t *a, size_t al, const uint8_t *b, size_t bl)
{
	size_t n = al < bl ? al : bl;
	int c = memcmp(a, b, n);

	if (c != 0)
		return c;
	return al < bl ? -1 : al > bl ? 1 : 0;
}

/*
 * Whether an IKE_SA_INIT request with SPIi spi was heard before; notes it
 * either way. Only the last IKE_INIT_SEEN are kept: enough for the copies
 * of one attempt and its retransmissions.
 */
static bool
init_seen(struct ike_sa *sa, uint64_t spi)
{
	unsigned i, n = sa->n_init_seen < IKE_INIT_SEEN ? sa->n_init_seen :
	    IKE_INIT_SEEN;

	for (i = 0; i < n; i++)
		if (sa->init_seen[i] == spi)
			return true;
	sa->init_seen[sa->n_init_seen++ % IKE_INIT_SEEN] = spi;
	return false;
}

void
ike_x_init_request(struct ike_sa *sa, const uint8_t *b, size_t len,
    const struct ike_msg *m)
{
	bool seen = init_seen(sa, m->spi_i);
	struct ike_sa_pl pl;
	struct ike_buf w;
	int i, qi;

	if (sa->req == REQ_INIT) {
		/* both started: the lower nonce gives way and answers */
		if (ike_nonce_cmp(sa->ni, sa->ni_len, m->nonce,
		    m->nonce_len) > 0) {
			ike_rx_drop(sa, "ike: simultaneous IKE_SA_INIT");
			return;
		}
		timer_stop(&sa->rtx);
		sa->req = REQ_NONE;
	}
	if (!sa->cur.orig_init && sa->cur.spi_i == m->spi_i &&
	    sa->init_resp.len > 0 && sa->st != IKE_ST_FAILED) {
		ike_tx(sa, &sa->init_resp);	/* a retransmission */
		return;
	}
	if (seen && sa->st == IKE_ST_ESTABLISHED) {
		/*
		 * A late copy of an IKE_SA_INIT this SA has already answered,
		 * given way to or outlived (a rekey moved its SPIs): it is no
		 * restart of the peer, and being unauthenticated it must not
		 * tear down a working SA (2.4). A real restart comes with a
		 * new SPIi.
		 */
		ike_rx_drop(sa, "ike: late copy of an old IKE_SA_INIT");
		return;
	}
	if (!ike_msg_has(m, IKE_PL_SA) || !ike_msg_has(m, IKE_PL_KE) ||
	    !ike_msg_has(m, IKE_PL_NONCE) || m->msgid != 0 || m->spi_r != 0) {
		ike_rx_drop(sa, "ike: IKE_SA_INIT without SA, KE or Ni");
		return;
	}
	i = ike_choose(sa->pol.ike, sa->pol.n_ike, &m->sa, IKE_PROTO_IKE, true,
	    &qi);
	if (i < 0) {
		init_notify(sa, m, IKE_N_NO_PROPOSAL_CHOSEN, 0);
		sa->failure = "no-proposal-chosen";
		if (sa->st != IKE_ST_FAILED)
			ike_set_state(sa, IKE_ST_FAILED, "no-proposal-chosen");
		return;
	}
	if (sa->pol.ike[i].dh != m->ke_group) {
		init_notify(sa, m, IKE_N_INVALID_KE_PAYLOAD,
		    sa->pol.ike[i].dh);
		return;
	}
	if (m->ke_len != ike_dh_len(m->ke_group)) {
		ike_rx_drop(sa, "ike: KE of the wrong size");
		return;
	}
	/* a new IKE SA replaces whatever was there (the peer restarted):
	 * its Child SAs, timers and requests go with it */
	ike_teardown(sa);
	sa->failure = NULL;
	sa->cur.spi_i = m->spi_i;
	sa->cur.spi_r = ike_new_spi64(sa);
	sa->cur.prop = sa->pol.ike[i];
	ike_peer_nonce(sa, m, true);
	ike_new_nonce(sa, false);
	ike_new_ke(sa, m->ke_group);
	ike_buf_set(&sa->init_req, b, len);
	ike_buf_init(&w);
	ike_put_hdr(&w, sa->cur.spi_i, sa->cur.spi_r, IKE_EXCH_SA_INIT,
	    IKE_FLAG_R, 0);
	pl.n = 1;
	ike_prop_wire(&pl.p[0], m->sa.p[qi].num, &sa->pol.ike[i], IKE_PROTO_IKE,
	    0, true);
	ike_put_sa(&w, &pl);
	ike_put_ke(&w, sa->ke_group, sa->ke, sa->ke_len);
	ike_put_nonce(&w, sa->nr, sa->nr_len);
	put_nat_d(sa, &w, sa->cur.spi_i, sa->cur.spi_r);
	ike_buf_finish(&w);
	ike_buf_set(&sa->init_resp, w.b, w.len);
	derive_init(sa, &sa->cur, sa->peer_ke, sa->peer_ke_len, sa->ke,
	    sa->ke_len);
	sa->cur.msgid_in = 1;
	if (sa->st != IKE_ST_IDLE)
		ike_set_state(sa, IKE_ST_IDLE, "IKE_SA_INIT answered");
	ike_tx(sa, &w);
	ike_buf_free(&w);
}

static void
send_auth(struct ike_sa *sa)
{
	struct ike_sa_pl pl;
	struct ike_buf in;
	uint8_t auth[48];

	sa->r_new_spi = ike_new_spi32(sa);
	auth_value(sa, &sa->cur, true, sa->local, auth);
	ike_buf_init(&in);
	ike_buf_chain(&in);
	ike_put_id(&in, IKE_PL_IDI, sa->local);
	ike_put_notify(&in, 0, 0, IKE_N_INITIAL_CONTACT, NULL, 0);
	ike_put_auth(&in, auth, sa->cur.prf_len);
	ike_props_wire(&pl, sa->pol.child, sa->pol.n_child, IKE_PROTO_ESP,
	    sa->r_new_spi, false);
	ike_put_sa(&in, &pl);
	put_ts_pair(sa, &in, true);
	ike_request(sa, &sa->cur, REQ_AUTH, IKE_EXCH_AUTH, &in);
	ike_buf_free(&in);
	ike_set_state(sa, IKE_ST_AUTH_SENT, "IKE_AUTH sent");
}

void
ike_x_init_response(struct ike_sa *sa, const uint8_t *b, size_t len,
    const struct ike_msg *m)
{
	const struct ike_notify *n;
	uint16_t err = ike_msg_error(m);
	int i;

	if (sa->req != REQ_INIT || m->spi_i != sa->cur.spi_i ||
	    m->msgid != 0) {
		ike_rx_drop(sa, "ike: unexpected IKE_SA_INIT response");
		return;
	}
	timer_stop(&sa->rtx);
	sa->req = REQ_NONE;
	if (err == IKE_N_INVALID_KE_PAYLOAD) {
		n = ike_msg_notify(m, err);
		if (!sa->ke_retried && n->dlen >= 2 && group_offered(
		    sa->pol.ike, sa->pol.n_ike, get_be16(n->data))) {
			/* 1.2: again with the group the responder wants */
			sa->ke_retried = true;
			sa->init_dh = get_be16(n->data);
			ike_x_init_start(sa);
			return;
		}
		ike_fail(sa, "invalid-ke");
		return;
	}
	if (err != 0) {
		ike_fail(sa, err == IKE_N_NO_PROPOSAL_CHOSEN ?
		    "no-proposal-chosen" : ike_notify_name(err));
		return;
	}
	i = ike_chosen(sa->pol.ike, sa->pol.n_ike, m, IKE_PROTO_IKE, true);
	if (i < 0 || m->spi_r == 0 || !ike_msg_has(m, IKE_PL_NONCE) ||
	    m->ke_group != sa->ke_group || sa->pol.ike[i].dh != sa->ke_group ||
	    m->ke_len != ike_dh_len(m->ke_group)) {
		ike_fail(sa, "no-proposal-chosen");
		return;
	}
	sa->cur.spi_r = m->spi_r;
	sa->cur.prop = sa->pol.ike[i];
	ike_peer_nonce(sa, m, false);
	ike_buf_set(&sa->init_resp, b, len);
	derive_init(sa, &sa->cur, sa->ke, sa->ke_len, sa->peer_ke,
	    sa->peer_ke_len);
	sa->cur.msgid_out = 1;
	sa->natt = sa->pol.nat_t || nat_seen(sa, m);
	send_auth(sa);
}

/* --- IKE_AUTH -------------------------------------------------------- */

static bool
auth_ok(struct ike_sa *sa, const struct ike_msg *m, bool from_init)
{
	const struct ike_id *id = from_init ? &m->idi : &m->idr;
	uint8_t want[48];

	if (!ike_msg_has(m, from_init ? IKE_PL_IDI : IKE_PL_IDR) ||
	    !ike_msg_has(m, IKE_PL_AUTH) || m->auth_method != IKE_AUTH_PSK ||
	    id->type != IKE_ID_IPV4_ADDR || id->addr != sa->remote ||
	    m->auth_len != sa->cur.prf_len)
		return false;
	auth_value(sa, &sa->cur, false, id->addr, want);
	return memcmp(want, m->auth, sa->cur.prf_len) == 0;
}

/*
 * The KE group the rekeys of an IKE_AUTH Child SA offer: that SA was
 * chosen without KE (1.2), so which of our proposals differing only in
 * PFS group the peer holds is unknown. The IKE SA's own group when one of
 * them has it (a gateway with PFS commonly uses its IKE group: OCI's
 * defaults are group 5 for both), else the chosen proposal's.
 */
static uint16_t
auth_group(const struct ike_sa *sa, int i)
{
	const struct ike_proposal *o = &sa->pol.child[i];
	size_t j;

	for (j = 0; j < sa->pol.n_child; j++) {
		const struct ike_proposal *q = &sa->pol.child[j];

		if (q->encr == o->encr && q->keylen == o->keylen &&
		    q->integ == o->integ && q->dh == sa->cur.prop.dh)
			return q->dh;
	}
	return o->dh;
}

void
ike_auth_request(struct ike_sa *sa, struct ike_keys *k, const struct ike_msg *m)
{
	struct ike_ts tsi, tsr;
	struct ipsec_child c;
	struct ike_child *ch;
	struct ike_sa_pl pl;
	struct ike_buf in;
	uint8_t auth[48];
	int i, qi;

	if (k != &sa->cur || k->orig_init || sa->st == IKE_ST_ESTABLISHED) {
		ike_rx_drop(sa, "ike: IKE_AUTH out of place");
		return;
	}
	if (!auth_ok(sa, m, true)) {
		ike_respond_notify(sa, k, m, IKE_N_AUTHENTICATION_FAILED, 0);
		ike_fail(sa, "authentication-failed");
		return;
	}
	ike_buf_init(&in);
	ike_buf_chain(&in);
	ike_put_id(&in, IKE_PL_IDR, sa->local);
	auth_value(sa, k, true, sa->local, auth);
	ike_put_auth(&in, auth, k->prf_len);
	/* 1.2: the first Child SA is chosen without DH */
	i = ike_choose(sa->pol.child, sa->pol.n_child, &m->sa, IKE_PROTO_ESP,
	    false, &qi);
	if (i < 0 || !ike_msg_has(m, IKE_PL_SA)) {
		ike_put_notify(&in, 0, 0, IKE_N_NO_PROPOSAL_CHOSEN, NULL, 0);
		ike_respond(sa, k, m, &in);
		ike_buf_free(&in);
		ike_established(sa);
		ike_child_fail(sa, "no-proposal-chosen");
		return;
	}
	if (!ts_narrow(m->tsi, m->n_tsi, sa->pol.ts_remote,
	    sa->pol.ts_remote_plen, &tsi) || !ts_narrow(m->tsr, m->n_tsr,
	    sa->pol.ts_local, sa->pol.ts_local_plen, &tsr)) {
		ike_put_notify(&in, 0, 0, IKE_N_TS_UNACCEPTABLE, NULL, 0);
		ike_respond(sa, k, m, &in);
		ike_buf_free(&in);
		ike_established(sa);
		ike_child_fail(sa, "ts-unacceptable");
		return;
	}
	child_fill(sa, &c, &sa->pol.child[i], 0, NULL, 0);
	c.spi_in = ike_new_spi32(sa);
	c.spi_out = (uint32_t)m->sa.p[qi].spi;
	pl.n = 1;
	ike_prop_wire(&pl.p[0], m->sa.p[qi].num, &sa->pol.child[i],
	    IKE_PROTO_ESP,	    c.spi_in, false);
	ike_put_sa(&in, &pl);
	ike_put_ts(&in, IKE_PL_TSI, &tsi);
	ike_put_ts(&in, IKE_PL_TSR, &tsr);
	ike_respond(sa, k, m, &in);
	ike_buf_free(&in);
	ike_established(sa);
	if ((ch = ike_child_add(sa, &c)) != NULL)
		ch->group = auth_group(sa, i);
}

void
ike_auth_response(struct ike_sa *sa, const struct ike_msg *m)
{
	uint16_t err = ike_msg_error(m);
	struct ipsec_child c;
	struct ike_child *ch;
	int i;

	if (err == IKE_N_AUTHENTICATION_FAILED || !auth_ok(sa, m, false)) {
		ike_fail(sa, "authentication-failed");
		return;
	}
	ike_established(sa);
	if (err != 0) {
		ike_child_fail(sa, err == IKE_N_NO_PROPOSAL_CHOSEN ?
		    "no-proposal-chosen" : err == IKE_N_TS_UNACCEPTABLE ?
		    "ts-unacceptable" : ike_notify_name(err));
		return;
	}
	i = ike_chosen(sa->pol.child, sa->pol.n_child, m, IKE_PROTO_ESP, false);
	if (i < 0 || m->sa.p[0].spi_size != 4) {
		ike_child_fail(sa, "no-proposal-chosen");
		return;
	}
	child_fill(sa, &c, &sa->pol.child[i], 0, NULL, 0);
	c.spi_in = sa->r_new_spi;
	c.spi_out = (uint32_t)m->sa.p[0].spi;
	if ((ch = ike_child_add(sa, &c)) != NULL)
		ch->group = auth_group(sa, i);
}

/* --- CREATE_CHILD_SA: Child SA rekey (2.8) --------------------------- */

void
ike_rekey_child_start(struct ike_sa *sa, uint32_t spi, uint16_t group)
{
	struct ike_child *old = ike_child_by_in(sa, spi);
	struct ike_proposal v[IKE_MAX_PROPOSALS];
	struct ike_sa_pl pl;
	struct ike_buf in;
	size_t i, n = 0;

	if (old == NULL || old->replaced)
		return;
	/* the proposals of the KE's group first, as strongSwan offers them */
	for (i = 0; i < sa->pol.n_child; i++)
		if (sa->pol.child[i].dh == group)
			v[n++] = sa->pol.child[i];
	for (i = 0; i < sa->pol.n_child; i++)
		if (sa->pol.child[i].dh != group)
			v[n++] = sa->pol.child[i];
	sa->r_spi = spi;
	sa->r_new_spi = ike_new_spi32(sa);
	sa->r_pfs = group;
	ike_new_nonce(sa, true);
	ike_buf_init(&in);
	ike_buf_chain(&in);
	ike_put_notify(&in, IKE_PROTO_ESP, spi, IKE_N_REKEY_SA, NULL, 0);
	ike_props_wire(&pl, v, n, IKE_PROTO_ESP, sa->r_new_spi, true);
	ike_put_sa(&in, &pl);
	ike_put_nonce(&in, sa->ni, sa->ni_len);
	if (group != IKE_DH_NONE) {
		ike_new_ke(sa, group);
		ike_put_ke(&in, group, sa->ke, sa->ke_len);
	}
	put_ts_pair(sa, &in, true);
	ike_request(sa, &sa->cur, REQ_REKEY_CHILD, IKE_EXCH_CREATE_CHILD_SA,
	    &in);
	ike_buf_free(&in);
}

void
ike_rekey_child_request(struct ike_sa *sa, struct ike_keys *k,
    const struct ike_msg *m, const struct ike_notify *rk)
{
	struct ike_child *old = ike_child_by_out(sa, rk->spi);
	uint8_t g[1024];
	size_t gl = 0;
	struct ipsec_child c;
	struct ike_sa_pl pl;
	struct ike_buf in;
	uint16_t dh;
	int i, qi;

	if (old == NULL) {
		ike_respond_notify(sa, k, m, IKE_N_CHILD_SA_NOT_FOUND, 0);
		return;
	}
	if (sa->req == REQ_REKEY_CHILD && sa->r_spi == old->c.spi_in) {
		if (ike_nonce_cmp(m->nonce, m->nonce_len, sa->ni,
		    sa->ni_len) < 0) {
			ike_respond_notify(sa, k, m, IKE_N_TEMPORARY_FAILURE,
			    0);
			return;
		}
		sa->r_lost = true;
	}
	i = ike_choose(sa->pol.child, sa->pol.n_child, &m->sa, IKE_PROTO_ESP,
	    true, &qi);
	if (i < 0) {
		ike_respond_notify(sa, k, m, IKE_N_NO_PROPOSAL_CHOSEN, 0);
		ike_child_fail(sa, "no-proposal-chosen");
		return;
	}
	dh = sa->pol.child[i].dh;
	if (dh != IKE_DH_NONE && (m->ke_group != dh ||
	    m->ke_len != ike_dh_len(dh))) {
		ike_respond_notify(sa, k, m, IKE_N_INVALID_KE_PAYLOAD, dh);
		return;
	}
	ike_peer_nonce(sa, m, true);
	ike_new_nonce(sa, false);
	if (dh != IKE_DH_NONE) {
		ike_new_ke(sa, dh);
		shared(dh, sa->peer_ke, sa->peer_ke_len, sa->ke, sa->ke_len, g,
		    &gl);
	}
	child_fill(sa, &c, &sa->pol.child[i], dh, g, gl);
	c.spi_in = ike_new_spi32(sa);
	c.spi_out = (uint32_t)m->sa.p[qi].spi;
	c.rekeys = old->c.spi_in;
	ike_buf_init(&in);
	ike_buf_chain(&in);
	pl.n = 1;
	ike_prop_wire(&pl.p[0], m->sa.p[qi].num, &sa->pol.child[i],
	    IKE_PROTO_ESP,	    c.spi_in, true);
	ike_put_sa(&in, &pl);
	ike_put_nonce(&in, sa->nr, sa->nr_len);
	if (dh != IKE_DH_NONE)
		ike_put_ke(&in, dh, sa->ke, sa->ke_len);
	put_ts_pair(sa, &in, false);
	ike_respond(sa, k, m, &in);
	ike_buf_free(&in);
	old->replaced = true;
	timer_stop(&old->soft);
	sa->stats.child_rekeys++;
	ike_child_add(sa, &c);
}

void
ike_rekey_child_response(struct ike_sa *sa, const struct ike_msg *m)
{
	struct ike_child *old = ike_child_by_in(sa, sa->r_spi);
	uint16_t err = ike_msg_error(m), dh;
	const struct ike_notify *n;
	struct ipsec_child c;
	uint8_t g[1024];
	size_t gl = 0;
	int i;

	if (err == IKE_N_TEMPORARY_FAILURE)
		return;		/* the peer's own rekey of it won */
	if (err == IKE_N_CHILD_SA_NOT_FOUND) {
		if (old != NULL)
			ike_child_remove(old);
		return;
	}
	if (err == IKE_N_INVALID_KE_PAYLOAD) {
		n = ike_msg_notify(m, err);
		if (n->dlen >= 2 && sa->r_pfs !=
		    get_be16(n->data) && group_offered(sa->pol.child,
		    sa->pol.n_child, get_be16(n->data))) {
			sa->req = REQ_NONE;
			ike_rekey_child_start(sa, sa->r_spi, get_be16(n->data));
			return;
		}
		ike_child_fail(sa, "invalid-ke");
		return;
	}
	if (err != 0) {
		ike_child_fail(sa, err == IKE_N_NO_PROPOSAL_CHOSEN ?
		    "no-proposal-chosen" : ike_notify_name(err));
		return;
	}
	i = ike_chosen(sa->pol.child, sa->pol.n_child, m, IKE_PROTO_ESP, true);
	dh = i >= 0 ? sa->pol.child[i].dh : 0;
	if (i < 0 || m->sa.p[0].spi_size != 4 || dh != sa->r_pfs ||
	    !ike_msg_has(m, IKE_PL_NONCE) || (dh != IKE_DH_NONE &&
	    (m->ke_group != dh || m->ke_len != ike_dh_len(dh)))) {
		ike_child_fail(sa, "no-proposal-chosen");
		return;
	}
	ike_peer_nonce(sa, m, false);
	if (dh != IKE_DH_NONE)
		shared(dh, sa->ke, sa->ke_len, sa->peer_ke, sa->peer_ke_len, g,
		    &gl);
	child_fill(sa, &c, &sa->pol.child[i], dh, g, gl);
	c.spi_in = sa->r_new_spi;
	c.spi_out = (uint32_t)m->sa.p[0].spi;
	c.rekeys = sa->r_spi;
	sa->stats.child_rekeys++;
	if (old != NULL) {
		old->replaced = true;
		timer_stop(&old->soft);
	}
	ike_child_add(sa, &c);
	/* 2.8: the rekey's initiator deletes the old SA */
	ike_enqueue(sa, REQ_DEL_CHILD, sa->r_spi);
}
