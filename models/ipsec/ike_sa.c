/*
 * ike_sa.c - IKE hosts and SAs: policies and their defaults, the UDP
 * transport (ports 500 and 4500 with the non-ESP marker), requests with
 * their retransmission (RFC 7296 2.1), the dispatch of what arrives, the
 * lifetimes and rekey timers, DPD, and the Child SAs handed to ESP.
 * The messages of each exchange are ike_exch.c's.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ike_int.h"
#include "net.h"
#include "pkt.h"
#include "sim.h"
#include "trace.h"
#include "util.h"
#include "wire.h"

const char *const ike_state_name[IKE_ST_MAX] = {
	[IKE_ST_IDLE] = "idle",
	[IKE_ST_INIT_SENT] = "init-sent",
	[IKE_ST_AUTH_SENT] = "auth-sent",
	[IKE_ST_ESTABLISHED] = "established",
	[IKE_ST_FAILED] = "failed",
	[IKE_ST_CLOSED] = "closed",
};

/* --- policies -------------------------------------------------------- */

void
ike_policy_init(struct ike_policy *p)
{
	memset(p, 0, sizeof(*p));
	p->version = 2;
	/* strongSwan charon.retransmit_timeout/_base/_tries */
	p->retrans_timeout = SIM_S(4);
	p->retrans_base = 1.8;
	p->retrans_tries = 5;
	/* strongSwan ipsec.conf margintime (Libreswan rekeymargin): 9 min */
	p->rekey_margin = SIM_S(540);
	p->rekey_fuzz_pct = 100;
	p->ike_lifetime = SIM_S(28800);
	p->child_lifetime = SIM_S(3600);
}

static void
add(struct ike_proposal *v, size_t *n, uint16_t encr, uint16_t keylen,
    uint16_t prf, uint16_t integ, uint16_t dh)
{
	struct ike_proposal p = { encr, keylen, prf, integ, dh };

	if (*n < IKE_MAX_PROPOSALS)
		v[(*n)++] = p;
}

/*
 * OCI (facts 4.3): IKE AES-256-CBC with SHA-384 / SHA-256 / SHA-1 and DH
 * groups 5, 14, 2 (the old default set of groups 5/2/1 with 14 added by
 * the newer one; 1 is refused), IKE SA 28,800 s; Child AES-256-GCM or
 * AES-256-CBC with HMAC-SHA1-96, PFS group 5, 3,600 s.
 */
void
ike_policy_oci(struct ike_policy *p)
{
	static const uint16_t prf[3] = { IKE_PRF_HMAC_SHA2_384,
	    IKE_PRF_HMAC_SHA2_256, IKE_PRF_HMAC_SHA1 };
	static const uint16_t integ[3] = { IKE_INTEG_HMAC_SHA2_384_192,
	    IKE_INTEG_HMAC_SHA2_256_128, IKE_INTEG_HMAC_SHA1_96 };
	static const uint16_t dh[3] = { IKE_DH_MODP1536, IKE_DH_MODP2048,
	    IKE_DH_MODP1024 };
	size_t g, h;

	ike_policy_init(p);
	for (g = 0; g < 3; g++)
		for (h = 0; h < 3; h++)
			if (g + h < 4 || h < 2)
				add(p->ike, &p->n_ike, IKE_ENCR_AES_CBC, 256,
				    prf[h], integ[h], dh[g]);
	add(p->child, &p->n_child, IKE_ENCR_AES_GCM_16, 256, 0,
	    IKE_INTEG_NONE, IKE_DH_MODP1536);
	add(p->child, &p->n_child, IKE_ENCR_AES_CBC, 256, 0,
	    IKE_INTEG_HMAC_SHA1_96, IKE_DH_MODP1536);
	p->ike_lifetime = SIM_S(28800);
	p->child_lifetime = SIM_S(3600);
}

/*
 * Azure's default IKEv2 offers (docs/ipsec.md): IKE AES-256 / SHA-256 /
 * SHA-1 with group 2, IKE SA 28,800 s; Child SA 27,000 s, with PFS groups
 * 1, 2, 14, 24 proposed (facts 4).
 */
void
ike_policy_azure(struct ike_policy *p)
{
	ike_policy_init(p);
	add(p->ike, &p->n_ike, IKE_ENCR_AES_CBC, 256, IKE_PRF_HMAC_SHA2_256,
	    IKE_INTEG_HMAC_SHA2_256_128, IKE_DH_MODP1024);
	add(p->ike, &p->n_ike, IKE_ENCR_AES_CBC, 256, IKE_PRF_HMAC_SHA1,
	    IKE_INTEG_HMAC_SHA1_96, IKE_DH_MODP1024);
	add(p->ike, &p->n_ike, IKE_ENCR_AES_CBC, 128, IKE_PRF_HMAC_SHA2_256,
	    IKE_INTEG_HMAC_SHA2_256_128, IKE_DH_MODP1024);
	add(p->child, &p->n_child, IKE_ENCR_AES_GCM_16, 256, 0,
	    IKE_INTEG_NONE, IKE_DH_MODP2048);
	add(p->child, &p->n_child, IKE_ENCR_AES_GCM_16, 256, 0,
	    IKE_INTEG_NONE, IKE_DH_MODP2048_256);
	add(p->child, &p->n_child, IKE_ENCR_AES_GCM_16, 256, 0,
	    IKE_INTEG_NONE, IKE_DH_MODP1024);
	add(p->child, &p->n_child, IKE_ENCR_AES_GCM_16, 256, 0,
	    IKE_INTEG_NONE, IKE_DH_MODP768);
	add(p->child, &p->n_child, IKE_ENCR_AES_CBC, 256, 0,
	    IKE_INTEG_HMAC_SHA2_256_128, IKE_DH_MODP2048);
	p->ike_lifetime = SIM_S(28800);
	p->child_lifetime = SIM_S(27000);
}

int
ike_proposal_check(const struct ike_proposal *q, bool ike, char *err,
    size_t errlen)
{
	static const char groups[] = "one of 1, 2, 5, 14, 15, 16, 19, 20, 21, "
	    "24, 31";
	uint8_t a, b, c, d, e;

	if (q->encr == IKE_ENCR_AES_GCM_16 && q->integ != IKE_INTEG_NONE) {
		snprintf(err, errlen, "AES-GCM takes no integ (its ICV is its "
		    "own, RFC %s)", ike ? "5282" : "4106");
		return -1;
	}
	if (!ike_sk_sizes(q->encr, q->keylen, q->integ, &a, &b, &c, &d, &e)) {
		snprintf(err, errlen, "encr %u (key %u) with integ %u is not a "
		    "combination this engine knows (AES-CBC and 3DES need an "
		    "integ)", q->encr, q->keylen, q->integ);
		return -1;
	}
	if (ike && ike_prf_len(q->prf) == 0) {
		snprintf(err, errlen, "prf %u is not one of sha1, sha256, "
		    "sha384", q->prf);
		return -1;
	}
	if (ike && ike_dh_len(q->dh) == 0) {
		snprintf(err, errlen, "dh %u is not a key exchange group (%s)",
		    q->dh, groups);
		return -1;
	}
	if (!ike && q->dh != 0 && ike_dh_len(q->dh) == 0) {
		snprintf(err, errlen, "pfs %u is not a key exchange group (0 "
		    "for none, or %s)", q->dh, groups);
		return -1;
	}
	return 0;
}

static int
refuse(char *err, size_t errlen, const char *why)
{
	snprintf(err, errlen, "ike: %s", why);
	return -1;
}

int
ike_policy_check(const struct ike_policy *p, char *err, size_t errlen)
{
	sim_time margin = p->rekey_margin + p->rekey_margin *
	    (sim_time)p->rekey_fuzz_pct / 100;
	char why[160];
	size_t i;

	if (p->version != 1 && p->version != 2)
		return refuse(err, errlen, "version must be 1 or 2");
	if (p->n_ike == 0 || p->n_ike > IKE_MAX_PROPOSALS || p->n_child == 0 ||
	    p->n_child > IKE_MAX_PROPOSALS)
		return refuse(err, errlen, "1 to 8 IKE and Child proposals "
		    "are needed");
	for (i = 0; i < p->n_ike + p->n_child; i++) {
		bool ike = i < p->n_ike;

		if (ike_proposal_check(ike ? &p->ike[i] : &p->child[i -
		    p->n_ike], ike, why, sizeof(why)) < 0) {
			snprintf(err, errlen, "ike: %s proposal %zu: %s",
			    ike ? "IKE" : "Child", (ike ? i : i - p->n_ike) +
			    1, why);
			return -1;
		}
	}
	if (p->psk[0] == '\0' || memchr(p->psk, '\0', sizeof(p->psk)) == NULL)
		return refuse(err, errlen, "a pre-shared key of 1 to 128 "
		    "bytes is needed");
	if (p->rekey_margin < 0 || p->rekey_fuzz_pct > 1000 ||
	    p->ike_lifetime <= margin || p->child_lifetime <= margin)
		return refuse(err, errlen, "lifetimes must exceed the rekey "
		    "margin with its fuzz");
	if (p->retrans_timeout <= 0 || p->retrans_base < 1.0 ||
	    p->retrans_base > 10.0 || p->retrans_tries > 20)
		return refuse(err, errlen, "retransmission: timeout > 0, base "
		    "1 to 10, at most 20 tries");
	if (p->dpd < 0 || p->restart < 0)
		return refuse(err, errlen, "dpd and restart must be >= 0");
	return 0;
}

/* --- state ----------------------------------------------------------- */

static void
trace_state(struct ike_sa *sa, const char *why)
{
	trace_session(net_trace(sa->h->net), sim_now(sa->h->sim), TRP_IKE,
	    node_id(sa->h->n), sa->peer, ike_state_name[sa->st], why);
}

void
ike_set_state(struct ike_sa *sa, enum ike_state st, const char *why)
{
	sa->st = st;
	trace_state(sa, why);
	if ((st == IKE_ST_FAILED || st == IKE_ST_CLOSED) &&
	    sa->pol.initiator && sa->pol.restart > 0 && !sa->closing)
		timer_start(&sa->again, sa->pol.restart);
	if (sa->cb.state != NULL)
		sa->cb.state(sa->ctx, st, why);
}

static void
stop_req(struct ike_sa *sa)
{
	timer_stop(&sa->rtx);
	sa->req = REQ_NONE;
	sa->r_lost = false;
	ike_buf_free(&sa->rbuf);
}

/* The IKE SA is gone: every timer stops, every Child SA goes down. */
void
ike_teardown(struct ike_sa *sa)
{
	stop_req(sa);
	sa->n_pend = 0;
	timer_stop(&sa->soft);
	timer_stop(&sa->hard);
	timer_stop(&sa->dpd);
	ike_children_down(sa);
	ike_keys_drop(&sa->cur);
	ike_keys_drop(&sa->old);
}

void
ike_fail(struct ike_sa *sa, const char *why)
{
	sa->failure = why;
	ike_teardown(sa);
	ike_set_state(sa, IKE_ST_FAILED, why);
}

void
ike_close_now(struct ike_sa *sa, const char *why)
{
	ike_teardown(sa);
	ike_set_state(sa, IKE_ST_CLOSED, why);
}

void
ike_child_fail(struct ike_sa *sa, const char *why)
{
	sa->failure = why;
	trace_state(sa, why);
}

/* --- randomness (named streams of the seed: no global state) --------- */

void
ike_rand(struct ike_sa *sa, uint8_t *b, size_t n)
{
	size_t i;
	uint64_t r = 0;

	for (i = 0; i < n; i++) {
		if (i % 8 == 0)
			r = rng_u64(&sa->rng);
		b[i] = (uint8_t)(r >> (8 * (i % 8)));
	}
}

uint64_t
ike_new_spi64(struct ike_sa *sa)
{
	uint64_t s;

	while ((s = rng_u64(&sa->rng)) == 0)
		;
	return s;
}

/* An inbound ESP SPI: 256 and up (RFC 4303 2.1), unique on the host. */
uint32_t
ike_new_spi32(struct ike_sa *sa)
{
	struct ike_host *h = sa->h;
	size_t i, j;
	uint32_t s;

again:
	s = (uint32_t)rng_u64(&sa->rng);
	if (s < 256)
		goto again;
	for (i = 0; i < h->n_sas; i++)
		for (j = 0; j < h->sas[i]->n_ch; j++)
			if (h->sas[i]->ch[j]->c.spi_in == s)
				goto again;
	return s;
}

/* --- transport ------------------------------------------------------- */

void
ike_tx(struct ike_sa *sa, const struct ike_buf *w)
{
	struct ike_host *h = sa->h;
	uint32_t mk = sa->natt ? 4 : 0;
	struct udp_hdr u;
	struct pkt *p;

	p = pkt_alloc(h->sim, (uint32_t)(w->len + mk));
	memset(p->data, 0, mk);	/* the non-ESP marker (RFC 3948 2.2) */
	memcpy(p->data + mk, w->b, w->len);
	memset(&u, 0, sizeof(u));
	u.sport = u.dport = sa->natt ? IKE_NATT_PORT : IKE_PORT;
	wire_push_udp(h->sim, p, &u, sa->local, sa->remote);
	sa->stats.tx++;
	/* no DF: a large IKE_SA_INIT goes out in IP fragments (facts 4.3) */
	node_send_ip(h->n, h->vrf, p, sa->local, sa->remote, WIRE_IPPROTO_UDP,
	    64, 0);
}

static sim_time
rtx_wait(const struct ike_sa *sa, uint32_t k)
{
	return (sim_time)llround((double)sa->pol.retrans_timeout *
	    pow(sa->pol.retrans_base, (double)k));
}

void
ike_send_req(struct ike_sa *sa, enum ike_req kind, struct ike_buf *w,
    struct ike_keys *k)
{
	ike_buf_free(&sa->rbuf);
	sa->rbuf = *w;		/* taken over */
	ike_buf_init(w);
	sa->req = kind;
	sa->ron = k;
	sa->rid = k != NULL ? k->msgid_out : 0;
	sa->tries = 0;
	sa->r_lost = false;
	if (k != NULL)
		k->msgid_out++;
	ike_tx(sa, &sa->rbuf);
	timer_start(&sa->rtx, rtx_wait(sa, 0));
}

static void
rtx_fire(struct timer *tm, void *arg)
{
	struct ike_sa *sa = arg;

	(void)tm;
	if (sa->tries >= sa->pol.retrans_tries) {
		/* an IKEv1 answer to our IKE_SA_INIT names the cause */
		if (sa->req == REQ_DPD)
			ike_fail(sa, "dpd-timeout");
		else if (sa->req == REQ_INIT && sa->failure != NULL)
			ike_fail(sa, sa->failure);
		else
			ike_fail(sa, "no-response");
		return;
	}
	sa->tries++;
	sa->stats.retransmits++;
	ike_tx(sa, &sa->rbuf);
	timer_start(&sa->rtx, rtx_wait(sa, sa->tries));
}

/* Start the next queued request when none is outstanding. */
static void
kick(struct ike_sa *sa)
{
	struct ike_pending p;

	while (sa->req == REQ_NONE && sa->n_pend > 0 &&
	    sa->st == IKE_ST_ESTABLISHED) {
		p = sa->pend[0];
		memmove(sa->pend, sa->pend + 1, --sa->n_pend *
		    sizeof(sa->pend[0]));
		ike_x_start_req(sa, p.kind, p.spi);
	}
}

void
ike_enqueue(struct ike_sa *sa, enum ike_req kind, uint32_t spi)
{
	size_t i;

	for (i = 0; i < sa->n_pend; i++)
		if (sa->pend[i].kind == kind && sa->pend[i].spi == spi)
			return;
	if (sa->n_pend < IKE_MAX_PENDING) {
		sa->pend[sa->n_pend].kind = kind;
		sa->pend[sa->n_pend++].spi = spi;
	}
	kick(sa);
}

void
ike_rx_drop(struct ike_sa *sa, const char *why)
{
	sa->stats.rx_drops++;
	(void)why;
}

static struct ike_sa *
find_sa(const struct ike_host *h, uint32_t local, uint32_t remote)
{
	size_t i;

	for (i = 0; i < h->n_sas; i++)
		if (h->sas[i]->local == local && h->sas[i]->remote == remote)
			return h->sas[i];
	return NULL;
}

static void
drop(struct ike_host *h, struct pkt *p, const struct wire_frame *f,
    enum trace_drop why, const char *detail)
{
	pkt_push(h->sim, p, WIRE_UDP_HLEN);
	node_drop_l4(h->n, p, f, why, detail);
}

static struct ike_keys *
keys_for(struct ike_sa *sa, const struct ike_msg *m)
{
	if (sa->cur.live && m->spi_i == sa->cur.spi_i &&
	    m->spi_r == sa->cur.spi_r)
		return &sa->cur;
	if (sa->old.live && m->spi_i == sa->old.spi_i &&
	    m->spi_r == sa->old.spi_r)
		return &sa->old;
	return NULL;
}

static void
rx(struct ike_host *h, struct pkt *p, const struct wire_frame *f, bool natt)
{
	struct ike_msg m;
	struct ike_keys *k;
	struct ike_sa *sa;
	enum ike_perr e;
	uint8_t *b, *body;
	size_t len;

	len = p->len;
	b = p->data;
	if (natt) {
		if (len == 1 && b[0] == 0xff) {
			/* a NAT-keepalive (RFC 3948 2.3) */
			pkt_free(h->sim, p);
			return;
		}
		if ((len < 4 || get_be32(b) != 0) && h->esp_fn != NULL) {
			h->esp_fn(h->n, p, f, h->esp_ctx);
			return;
		}
		if (len < 4 || get_be32(b) != 0) {
			drop(h, p, f, DROP_NO_LISTENER,
			    "ike: ESP in UDP 4500 has no listener");
			return;
		}
		b += 4;
		len -= 4;
	}
	e = ike_msg_parse(b, len, &m);
	sa = find_sa(h, f->ip.dst, f->ip.src);
	if (e == IKE_E_VERSION && (m.version & 0xf0) == IKE_VERSION_1) {
		if (sa != NULL && sa->pol.version == 1) {
			/* an unauthenticated v1 notify: ignored (Libreswan) */
			sa->stats.rx++;
			pkt_free(h->sim, p);
			return;
		}
		if (sa != NULL && sa->st != IKE_ST_ESTABLISHED) {
			/* the peer speaks IKEv1: a responder gives up now, an
			 * initiator when its retransmissions run out */
			sa->stats.rx++;
			sa->failure = "invalid-major-version";
			if (sa->st == IKE_ST_IDLE)
				ike_set_state(sa, IKE_ST_FAILED,
				    "invalid-major-version");
		}
		ike_x_v1_answer(h, f->ip.dst, f->ip.src, &m);
		drop(h, p, f, DROP_NO_LISTENER, "ike: IKEv1 to an IKEv2 host");
		return;
	}
	if (e != IKE_OK) {
		if (sa != NULL)
			sa->stats.rx_drops++;
		drop(h, p, f, DROP_MALFORMED, ike_perr_name[e]);
		return;
	}
	if (sa == NULL) {
		drop(h, p, f, DROP_NO_LISTENER, "ike: no IKE SA for the peer");
		return;
	}
	if (sa->pol.version == 1) {
		sa->stats.rx_drops++;
		drop(h, p, f, DROP_NO_LISTENER, "ike: IKEv2 to an IKEv1 host");
		return;
	}
	sa->stats.rx++;
	if (m.exch == IKE_EXCH_SA_INIT) {
		if (m.flags & IKE_FLAG_R)
			ike_x_init_response(sa, b, len, &m);
		else
			ike_x_init_request(sa, b, len, &m);
		pkt_free(h->sim, p);
		return;
	}
	k = keys_for(sa, &m);
	if (k == NULL) {
		sa->stats.rx_drops++;
		drop(h, p, f, DROP_NO_LISTENER, "ike: unknown IKE SPI");
		return;
	}
	if (!(m.flags & IKE_FLAG_R) && k->has_resp &&
	    m.msgid + 1 == k->msgid_in) {
		/* a retransmitted request: the same response again */
		ike_tx(sa, &k->resp);
		pkt_free(h->sim, p);
		return;
	}
	if ((m.flags & IKE_FLAG_R) ? (sa->req == REQ_NONE || sa->ron != k ||
	    m.msgid != sa->rid) : m.msgid != k->msgid_in) {
		sa->stats.rx_drops++;
		drop(h, p, f, DROP_NO_LISTENER,
		    "ike: unexpected message ID");
		return;
	}
	body = xmalloc(m.sk_len + 1);
	e = ike_sk_open(b, len, &m, &k->in, body);
	free(body);
	if (e != IKE_OK) {
		sa->stats.rx_drops++;
		drop(h, p, f, DROP_MALFORMED, ike_perr_name[e]);
		return;
	}
	pkt_free(h->sim, p);
	sa->natt = natt;
	sa->heard = sim_now(h->sim);
	if (sa->pol.dpd > 0 && sa->st == IKE_ST_ESTABLISHED)
		timer_start(&sa->dpd, sa->pol.dpd);
	if (m.flags & IKE_FLAG_R) {
		timer_stop(&sa->rtx);
		ike_x_response(sa, k, &m);
		kick(sa);
	} else
		ike_x_request(sa, k, &m);
}

static void
rx500(struct node *n, struct pkt *p, const struct wire_frame *f, void *ctx)
{
	(void)n;
	rx(ctx, p, f, false);
}

static void
rx4500(struct node *n, struct pkt *p, const struct wire_frame *f, void *ctx)
{
	(void)n;
	rx(ctx, p, f, true);
}

/* --- lifetimes ------------------------------------------------------- */

static sim_time
soft_after(struct ike_sa *sa, sim_time life)
{
	sim_time fuzz = sa->pol.rekey_margin * (sim_time)sa->pol.rekey_fuzz_pct
	    / 100;

	if (fuzz > 0)
		fuzz = (sim_time)rng_below(&sa->rng, (uint64_t)fuzz + 1);
	return life - sa->pol.rekey_margin - fuzz;
}

static void
ike_soft_fire(struct timer *tm, void *arg)
{
	(void)tm;
	ike_enqueue(arg, REQ_REKEY_IKE, 0);
}

static void
ike_hard_fire(struct timer *tm, void *arg)
{
	struct ike_sa *sa = arg;

	(void)tm;
	ike_teardown(sa);
	ike_set_state(sa, IKE_ST_CLOSED, "expired");
}

static void
again_fire(struct timer *tm, void *arg)
{
	(void)tm;
	ike_sa_start(arg);
}

static void
dpd_fire(struct timer *tm, void *arg)
{
	struct ike_sa *sa = arg;
	sim_time now = sim_now(sa->h->sim);

	(void)tm;
	if (sa->heard + sa->pol.dpd > now)	/* ESP said it is alive */
		timer_start_at(&sa->dpd, sa->heard + sa->pol.dpd);
	else if (sa->req == REQ_NONE)
		ike_enqueue(sa, REQ_DPD, 0);
	else
		timer_start(&sa->dpd, sa->pol.dpd);
}

/* The IKE SA (new or rekeyed) is up: its lifetime starts now. */
void
ike_established(struct ike_sa *sa)
{
	timer_start(&sa->soft, soft_after(sa, sa->pol.ike_lifetime));
	timer_start(&sa->hard, sa->pol.ike_lifetime);
	if (sa->pol.dpd > 0)
		timer_start(&sa->dpd, sa->pol.dpd);
	sa->stats.last_exchange = sim_now(sa->h->sim);
	if (sa->st != IKE_ST_ESTABLISHED) {
		if (sa->stats.established_at < 0)
			sa->stats.established_at = sim_now(sa->h->sim);
		ike_set_state(sa, IKE_ST_ESTABLISHED, "established");
	}
}

/* --- Child SAs ------------------------------------------------------- */

static void
child_soft_fire(struct timer *tm, void *arg)
{
	struct ike_child *c = arg;

	(void)tm;
	if (!c->replaced)
		ike_enqueue(c->sa, REQ_REKEY_CHILD, c->c.spi_in);
}

static void
child_hard_fire(struct timer *tm, void *arg)
{
	struct ike_child *c = arg;
	struct ike_sa *sa = c->sa;
	uint32_t spi = c->c.spi_in;
	bool replaced = c->replaced;

	(void)tm;
	ike_child_remove(c);
	if (!replaced && sa->failure == NULL)
		ike_child_fail(sa, "child-expired");
	ike_enqueue(sa, REQ_DEL_CHILD, spi);
}

struct ike_child *
ike_child_add(struct ike_sa *sa, const struct ipsec_child *c)
{
	struct ike_child *ch;

	if (sa->n_ch == IKE_MAX_CHILD)
		return NULL;
	ch = xcalloc(1, sizeof(*ch));
	ch->sa = sa;
	ch->c = *c;
	ch->group = c->pfs;
	ch->c.lifetime = sa->pol.child_lifetime;
	timer_init(&ch->soft, sa->h->sim, &sa->ts, child_soft_fire, ch);
	timer_init(&ch->hard, sa->h->sim, &sa->ts, child_hard_fire, ch);
	timer_start(&ch->soft, soft_after(sa, sa->pol.child_lifetime));
	timer_start(&ch->hard, sa->pol.child_lifetime);
	sa->ch[sa->n_ch++] = ch;
	sa->stats.last_exchange = sim_now(sa->h->sim);
	if (sa->cb.child_up != NULL)
		sa->cb.child_up(sa->ctx, &ch->c);
	return ch;
}

struct ike_child *
ike_child_by_in(struct ike_sa *sa, uint32_t spi_in)
{
	size_t i;

	for (i = 0; i < sa->n_ch; i++)
		if (sa->ch[i]->c.spi_in == spi_in)
			return sa->ch[i];
	return NULL;
}

struct ike_child *
ike_child_by_out(struct ike_sa *sa, uint32_t spi_out)
{
	size_t i;

	for (i = 0; i < sa->n_ch; i++)
		if (sa->ch[i]->c.spi_out == spi_out)
			return sa->ch[i];
	return NULL;
}

void
ike_child_remove(struct ike_child *c)
{
	struct ike_sa *sa = c->sa;
	uint32_t in = c->c.spi_in, out = c->c.spi_out;
	size_t i;

	for (i = 0; i < sa->n_ch; i++)
		if (sa->ch[i] == c)
			break;
	memmove(sa->ch + i, sa->ch + i + 1, (sa->n_ch - i - 1) *
	    sizeof(sa->ch[0]));
	sa->n_ch--;
	timer_destroy(&c->soft);
	timer_destroy(&c->hard);
	free(c);
	if (sa->cb.child_down != NULL)
		sa->cb.child_down(sa->ctx, in, out);
}

void
ike_children_down(struct ike_sa *sa)
{
	while (sa->n_ch > 0)
		ike_child_remove(sa->ch[sa->n_ch - 1]);
}

void
ike_keys_drop(struct ike_keys *k)
{
	ike_buf_free(&k->resp);
	memset(k, 0, sizeof(*k));
	ike_buf_init(&k->resp);
}

/* --- hosts and SAs --------------------------------------------------- */

struct ike_host *
ike_host_new(struct node *n, uint32_t vrf)
{
	struct ike_host *h = xcalloc(1, sizeof(*h));

	h->n = n;
	h->net = node_net(n);
	h->sim = net_sim(h->net);
	h->vrf = vrf;
	if (node_bind_udp(n, vrf, IKE_PORT, rx500, NULL, h) != 0) {
		free(h);
		return NULL;
	}
	if (node_bind_udp(n, vrf, IKE_NATT_PORT, rx4500, NULL, h) != 0) {
		node_unbind_udp(n, vrf, IKE_PORT);
		free(h);
		return NULL;
	}
	/* the viewer decodes IKE from the trace */
	net_trace_keep_whole(h->net, WIRE_IPPROTO_UDP, IKE_PORT);
	net_trace_keep_whole(h->net, WIRE_IPPROTO_UDP, IKE_NATT_PORT);
	return h;
}

void
ike_sa_free(struct ike_sa *sa)
{
	struct ike_host *h = sa->h;
	size_t i;

	for (i = 0; i < h->n_sas; i++)
		if (h->sas[i] == sa)
			break;
	if (i < h->n_sas) {
		memmove(h->sas + i, h->sas + i + 1, (h->n_sas - i - 1) *
		    sizeof(h->sas[0]));
		h->n_sas--;
	}
	memset(&sa->cb, 0, sizeof(sa->cb));
	ike_teardown(sa);
	timer_set_destroy(&sa->ts);
	ike_buf_free(&sa->init_req);
	ike_buf_free(&sa->init_resp);
	free(sa);
}

void
ike_host_free(struct ike_host *h)
{
	if (h == NULL)
		return;
	while (h->n_sas > 0)
		ike_sa_free(h->sas[h->n_sas - 1]);
	free(h->sas);
	node_unbind_udp(h->n, h->vrf, IKE_PORT);
	node_unbind_udp(h->n, h->vrf, IKE_NATT_PORT);
	free(h);
}

struct ike_sa *
ike_sa_new(struct ike_host *h, uint32_t local, uint32_t remote,
    const struct ike_policy *pol, const struct ike_cb *cb, void *ctx)
{
	struct ike_sa *sa;
	char err[160], name[320];

	if (find_sa(h, local, remote) != NULL ||
	    ike_policy_check(pol, err, sizeof(err)) != 0)
		return NULL;
	sa = xcalloc(1, sizeof(*sa));
	sa->h = h;
	sa->local = local;
	sa->remote = remote;
	sa->pol = *pol;
	if (cb != NULL)
		sa->cb = *cb;
	sa->ctx = ctx;
	sa->stats.established_at = -1;
	sa->heard = -1;
	snprintf(sa->peer, sizeof(sa->peer), "%u.%u.%u.%u", remote >> 24,
	    (remote >> 16) & 255, (remote >> 8) & 255, remote & 255);
	/* a host restarted (its SA made again) draws new values */
	snprintf(name, sizeof(name), "ike/%s/%08x/%08x/%u", node_name(h->n),
	    local, remote, h->n_made++);
	rng_init(&sa->rng, sim_seed(h->sim), name);
	timer_set_init(&sa->ts);
	timer_init(&sa->rtx, h->sim, &sa->ts, rtx_fire, sa);
	timer_init(&sa->soft, h->sim, &sa->ts, ike_soft_fire, sa);
	timer_init(&sa->hard, h->sim, &sa->ts, ike_hard_fire, sa);
	timer_init(&sa->dpd, h->sim, &sa->ts, dpd_fire, sa);
	timer_init(&sa->again, h->sim, &sa->ts, again_fire, sa);
	ike_keys_drop(&sa->cur);
	ike_keys_drop(&sa->old);
	ike_buf_init(&sa->rbuf);
	ike_buf_init(&sa->init_req);
	ike_buf_init(&sa->init_resp);
	h->sas = xrealloc(h->sas, (h->n_sas + 1) * sizeof(h->sas[0]));
	h->sas[h->n_sas++] = sa;
	return sa;
}

void
ike_sa_start(struct ike_sa *sa)
{
	if (!sa->pol.initiator || sa->st == IKE_ST_ESTABLISHED ||
	    sa->req != REQ_NONE)
		return;
	sa->failure = NULL;
	sa->ke_retried = false;
	sa->closing = false;
	timer_stop(&sa->again);
	if (sa->pol.version == 1)
		ike_x_v1_start(sa);
	else
		ike_x_init_start(sa);
}

void
ike_sa_close(struct ike_sa *sa)
{
	sa->closing = true;
	timer_stop(&sa->again);
	if (sa->st != IKE_ST_ESTABLISHED) {
		ike_teardown(sa);
		ike_set_state(sa, IKE_ST_CLOSED, "closed");
		return;
	}
	stop_req(sa);
	sa->n_pend = 0;
	ike_x_start_req(sa, REQ_DEL_IKE, 0);
}

void
ike_sa_heard(struct ike_sa *sa)
{
	sa->heard = sim_now(sa->h->sim);
}

void
ike_host_set_esp_rx(struct ike_host *h, void (*fn)(struct node *n,
    struct pkt *p, const struct wire_frame *f, void *ctx), void *ctx)
{
	h->esp_fn = fn;
	h->esp_ctx = ctx;
}

enum ike_state
ike_sa_state(const struct ike_sa *sa)
{
	return sa->st;
}

const char *
ike_sa_failure(const struct ike_sa *sa)
{
	return sa->failure;
}

const struct ike_stats *
ike_sa_stats(const struct ike_sa *sa)
{
	return &sa->stats;
}
