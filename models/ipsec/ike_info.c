/*
 * ike_info.c - the exchanges after IKE_AUTH: IKE SA rekey (RFC 7296 2.8,
 * 2.18), INFORMATIONAL (liveness and Delete, 1.4), the dispatch of
 * requests and responses by exchange, and the IKEv1 side (a version-1
 * peer's Main Mode, and the answer an IKEv2 host gives it).
 */
#include <string.h>

#include "ike_int.h"
#include "net.h"
#include "pkt.h"
#include "sim.h"
#include "util.h"
#include "wire.h"

/* --- IKE SA rekey ---------------------------------------------------- */

/* The rekeyed SA takes over; the old one lives until its Delete. */
static void
install(struct ike_sa *sa, const struct ike_keys *nk)
{
	ike_keys_drop(&sa->old);
	sa->old = sa->cur;	/* takes over the saved response */
	if (sa->ron == &sa->cur)
		sa->ron = &sa->old;
	sa->cur = *nk;
	ike_buf_init(&sa->cur.resp);
	sa->stats.ike_rekeys++;
	ike_established(sa);
	ike_set_state(sa, IKE_ST_ESTABLISHED, "rekeyed");
}

static void
rekey_ike_start(struct ike_sa *sa)
{
	struct ike_sa_pl pl;
	struct ike_buf in;
	size_t i;

	sa->r_new_ike = ike_new_spi64(sa);
	ike_new_nonce(sa, true);
	ike_new_ke(sa, sa->cur.prop.dh);
	/* the proposal in use first, so the KE sent fits it */
	pl.n = 0;
	ike_prop_wire(&pl.p[pl.n++], 1, &sa->cur.prop, IKE_PROTO_IKE,
	    sa->r_new_ike, true);
	for (i = 0; i < sa->pol.n_ike; i++)
		if (memcmp(&sa->pol.ike[i], &sa->cur.prop,
		    sizeof(sa->cur.prop)) != 0) {
			ike_prop_wire(&pl.p[pl.n], (uint8_t)(pl.n + 1),
			    &sa->pol.ike[i], IKE_PROTO_IKE, sa->r_new_ike,
			    true);
			pl.n++;
		}
	ike_buf_init(&in);
	ike_buf_chain(&in);
	ike_put_sa(&in, &pl);
	ike_put_nonce(&in, sa->ni, sa->ni_len);
	ike_put_ke(&in, sa->ke_group, sa->ke, sa->ke_len);
	ike_request(sa, &sa->cur, REQ_REKEY_IKE, IKE_EXCH_CREATE_CHILD_SA, &in);
	ike_buf_free(&in);
}

/* Ours first, preferring one whose group is the KE's. */
static int
choose_ke(struct ike_sa *sa, const struct ike_msg *m, int *qi)
{
	struct ike_proposal v[IKE_MAX_PROPOSALS];
	size_t i, n = 0;
	int k;

	for (i = 0; i < sa->pol.n_ike; i++)
		if (sa->pol.ike[i].dh == m->ke_group)
			v[n++] = sa->pol.ike[i];
	k = ike_choose(v, n, &m->sa, IKE_PROTO_IKE, true, qi);
	if (k >= 0) {
		for (i = 0; i < sa->pol.n_ike; i++)
			if (memcmp(&sa->pol.ike[i], &v[k], sizeof(v[k])) == 0)
				return (int)i;
	}
	return ike_choose(sa->pol.ike, sa->pol.n_ike, &m->sa, IKE_PROTO_IKE,
	    true, qi);
}

static void
rekey_ike_request(struct ike_sa *sa, struct ike_keys *k,
    const struct ike_msg *m)
{
	struct ike_keys nk;
	struct ike_sa_pl pl;
	struct ike_buf in;
	int i, qi;

	if (k != &sa->cur || sa->req == REQ_DEL_IKE) {
		/* 2.25.2: an SA being closed is not rekeyed */
		ike_respond_notify(sa, k, m, IKE_N_TEMPORARY_FAILURE, 0);
		return;
	}
	if (sa->req == REQ_REKEY_IKE) {
		if (ike_nonce_cmp(m->nonce, m->nonce_len, sa->ni,
		    sa->ni_len) < 0) {
			ike_respond_notify(sa, k, m, IKE_N_TEMPORARY_FAILURE,
			    0);
			return;
		}
		sa->r_lost = true;
	}
	i = choose_ke(sa, m, &qi);
	if (i < 0 || m->sa.p[qi].spi_size != 8) {
		ike_respond_notify(sa, k, m, IKE_N_NO_PROPOSAL_CHOSEN, 0);
		return;
	}
	if (sa->pol.ike[i].dh != m->ke_group ||
	    m->ke_len != ike_dh_len(m->ke_group)) {
		ike_respond_notify(sa, k, m, IKE_N_INVALID_KE_PAYLOAD,
		    sa->pol.ike[i].dh);
		return;
	}
	ike_peer_nonce(sa, m, true);
	ike_new_nonce(sa, false);
	ike_new_ke(sa, m->ke_group);
	memset(&nk, 0, sizeof(nk));
	ike_buf_init(&nk.resp);
	nk.spi_i = m->sa.p[qi].spi;
	nk.spi_r = ike_new_spi64(sa);
	nk.prop = sa->pol.ike[i];
	ike_derive_rekey(sa, &nk, sa->peer_ke, sa->peer_ke_len, sa->ke,
	    sa->ke_len);
	ike_buf_init(&in);
	ike_buf_chain(&in);
	pl.n = 1;
	ike_prop_wire(&pl.p[0], m->sa.p[qi].num, &sa->pol.ike[i],
	    IKE_PROTO_IKE, nk.spi_r, true);
	ike_put_sa(&in, &pl);
	ike_put_nonce(&in, sa->nr, sa->nr_len);
	ike_put_ke(&in, sa->ke_group, sa->ke, sa->ke_len);
	ike_respond(sa, k, m, &in);
	ike_buf_free(&in);
	install(sa, &nk);
}

static void
rekey_ike_response(struct ike_sa *sa, const struct ike_msg *m)
{
	uint16_t err = ike_msg_error(m);
	struct ike_keys nk;
	struct ike_buf in;
	int i;

	if (err == IKE_N_TEMPORARY_FAILURE)
		return;		/* the peer's rekey (or close) won */
	if (err != 0) {
		ike_child_fail(sa, err == IKE_N_INVALID_KE_PAYLOAD ?
		    "invalid-ke" : err == IKE_N_NO_PROPOSAL_CHOSEN ?
		    "no-proposal-chosen" : ike_notify_name(err));
		return;
	}
	i = ike_chosen(sa->pol.ike, sa->pol.n_ike, m, IKE_PROTO_IKE, true);
	if (i < 0 || m->sa.p[0].spi_size != 8 || !ike_msg_has(m,
	    IKE_PL_NONCE) || m->ke_group != sa->ke_group ||
	    sa->pol.ike[i].dh != sa->ke_group ||
	    m->ke_len != ike_dh_len(m->ke_group)) {
		ike_child_fail(sa, "no-proposal-chosen");
		return;
	}
	ike_peer_nonce(sa, m, false);
	memset(&nk, 0, sizeof(nk));
	ike_buf_init(&nk.resp);
	nk.spi_i = sa->r_new_ike;
	nk.spi_r = m->sa.p[0].spi;
	nk.orig_init = true;
	nk.prop = sa->pol.ike[i];
	ike_derive_rekey(sa, &nk, sa->ke, sa->ke_len, sa->peer_ke,
	    sa->peer_ke_len);
	install(sa, &nk);
	/* 2.8: the rekey's initiator deletes the old IKE SA */
	ike_buf_init(&in);
	ike_buf_chain(&in);
	ike_put_delete(&in, IKE_PROTO_IKE, NULL, 0);
	ike_request(sa, &sa->old, REQ_DEL_IKE, IKE_EXCH_INFORMATIONAL, &in);
	ike_buf_free(&in);
}

/* --- INFORMATIONAL --------------------------------------------------- */

static void
info_request(struct ike_sa *sa, struct ike_keys *k, const struct ike_msg *m)
{
	uint32_t ours[IKE_MAX_DEL];
	struct ike_child *c;
	struct ike_buf in;
	size_t n = 0, i;

	ike_buf_init(&in);
	ike_buf_chain(&in);
	if (ike_msg_has(m, IKE_PL_DELETE) && m->del_proto == IKE_PROTO_IKE) {
		ike_respond(sa, k, m, &in);
		ike_buf_free(&in);
		if (k == &sa->old)
			ike_keys_drop(&sa->old);
		else
			ike_close_now(sa, "deleted by peer");
		return;
	}
	if (ike_msg_has(m, IKE_PL_DELETE) && m->del_proto == IKE_PROTO_ESP) {
		/* 1.4.1: answer with the SPIs of our halves, then drop both */
		for (i = 0; i < m->del_n; i++) {
			c = ike_child_by_out(sa, m->del_spi[i]);
			if (c == NULL)
				continue;
			ours[n++] = c->c.spi_in;
			ike_child_remove(c);
		}
		if (n > 0)
			ike_put_delete(&in, IKE_PROTO_ESP, ours, n);
	}
	ike_respond(sa, k, m, &in);	/* empty: a liveness check */
	ike_buf_free(&in);
}

void
ike_x_start_req(struct ike_sa *sa, enum ike_req kind, uint32_t spi)
{
	struct ike_buf in;

	if (kind == REQ_REKEY_CHILD) {
		/* the group this Child SA agreed on, not proposal 0's */
		struct ike_child *ch = ike_child_by_in(sa, spi);

		if (ch != NULL)
			ike_rekey_child_start(sa, spi, ch->group);
		return;
	}
	if (kind == REQ_REKEY_IKE) {
		rekey_ike_start(sa);
		return;
	}
	ike_buf_init(&in);
	ike_buf_chain(&in);
	if (kind == REQ_DEL_CHILD) {
		sa->r_spi = spi;
		ike_put_delete(&in, IKE_PROTO_ESP, &spi, 1);
	} else if (kind == REQ_DEL_IKE)
		ike_put_delete(&in, IKE_PROTO_IKE, NULL, 0);
	ike_request(sa, &sa->cur, kind, IKE_EXCH_INFORMATIONAL, &in);
	ike_buf_free(&in);
}

/* --- dispatch -------------------------------------------------------- */

void
ike_x_request(struct ike_sa *sa, struct ike_keys *k, const struct ike_msg *m)
{
	const struct ike_notify *rk;

	switch (m->exch) {
	case IKE_EXCH_AUTH:
		ike_auth_request(sa, k, m);
		return;
	case IKE_EXCH_CREATE_CHILD_SA:
		if (sa->st != IKE_ST_ESTABLISHED || !ike_msg_has(m,
		    IKE_PL_SA) || !ike_msg_has(m, IKE_PL_NONCE)) {
			ike_respond_notify(sa, k, m, IKE_N_INVALID_SYNTAX, 0);
			return;
		}
		rk = ike_msg_notify(m, IKE_N_REKEY_SA);
		if (m->sa.p[0].proto == IKE_PROTO_IKE)
			rekey_ike_request(sa, k, m);
		else if (rk != NULL && rk->proto == IKE_PROTO_ESP)
			ike_rekey_child_request(sa, k, m, rk);
		else	/* additional Child SAs: one per tunnel here */
			ike_respond_notify(sa, k, m,
			    IKE_N_NO_PROPOSAL_CHOSEN, 0);
		return;
	case IKE_EXCH_INFORMATIONAL:
		info_request(sa, k, m);
		return;
	default:
		ike_rx_drop(sa, "ike: unknown exchange");
		return;
	}
}

void
ike_x_response(struct ike_sa *sa, struct ike_keys *k, const struct ike_msg *m)
{
	enum ike_req kind = sa->req;
	struct ike_child *c;

	sa->req = REQ_NONE;
	switch (kind) {
	case REQ_AUTH:
		ike_auth_response(sa, m);
		break;
	case REQ_REKEY_CHILD:
		ike_rekey_child_response(sa, m);
		break;
	case REQ_REKEY_IKE:
		rekey_ike_response(sa, m);
		break;
	case REQ_DEL_CHILD:
		c = ike_child_by_in(sa, sa->r_spi);
		if (c != NULL)
			ike_child_remove(c);
		break;
	case REQ_DEL_IKE:
		if (k == &sa->old)
			ike_keys_drop(&sa->old);
		else
			ike_close_now(sa, "closed");
		break;
	default:	/* DPD: the answer is the point */
		break;
	}
}

/* --- IKEv1 ----------------------------------------------------------- */

/* RFC 2409 appendix A numbers for our IKEv2 transforms. */
static bool
v1_transform(const struct ike_proposal *p, uint16_t *t)
{
	t[0] = p->encr == IKE_ENCR_AES_CBC ? 7 : p->encr == IKE_ENCR_3DES ?
	    5 : 0;
	t[1] = p->encr == IKE_ENCR_AES_CBC ? p->keylen : 0;
	t[2] = p->prf == IKE_PRF_HMAC_SHA1 ? 2 : p->prf ==
	    IKE_PRF_HMAC_SHA2_256 ? 4 : p->prf == IKE_PRF_HMAC_SHA2_384 ? 5 : 0;
	t[3] = p->dh;
	return t[0] != 0 && t[2] != 0;
}

void
ike_x_v1_start(struct ike_sa *sa)
{
	uint16_t tr[IKE_MAX_PROPOSALS][4];
	struct ike_buf w;
	size_t i, n = 0;

	for (i = 0; i < sa->pol.n_ike; i++)
		if (v1_transform(&sa->pol.ike[i], tr[n]))
			n++;
	ike_keys_drop(&sa->cur);
	sa->cur.spi_i = ike_new_spi64(sa);
	ike_buf_init(&w);
	ikev1_main_mode_1(&w, sa->cur.spi_i, (const uint16_t (*)[4])tr, n,
	    (uint32_t)(sa->pol.ike_lifetime / SIM_S(1)));
	ike_send_req(sa, REQ_V1, &w, NULL);
	ike_set_state(sa, IKE_ST_INIT_SENT, "IKEv1 Main Mode sent");
}

/*
 * An IKEv2-only host answers an IKEv1 Main Mode request with an IKEv1
 * Informational carrying INVALID-MAJOR-VERSION, as Libreswan does with
 * ikev1-policy=reject; the IKEv1 peer ignores it (it is unauthenticated)
 * and keeps retransmitting.
 */
void
ike_x_v1_answer(struct ike_host *h, uint32_t local, uint32_t remote,
    const struct ike_msg *m)
{
	struct ike_buf w;
	struct udp_hdr u;
	struct pkt *p;

	if (m->exch != IKEV1_EXCH_MAIN_MODE || m->spi_r != 0)
		return;
	ike_buf_init(&w);
	ikev1_notify(&w, m->spi_i, 0, IKE_N_INVALID_MAJOR_VERSION);
	p = pkt_alloc(h->sim, (uint32_t)w.len);
	memcpy(p->data, w.b, w.len);
	ike_buf_free(&w);
	memset(&u, 0, sizeof(u));
	u.sport = u.dport = IKE_PORT;
	wire_push_udp(h->sim, p, &u, local, remote);
	node_send_ip(h->n, h->vrf, p, local, remote, WIRE_IPPROTO_UDP, 64, 0);
}
