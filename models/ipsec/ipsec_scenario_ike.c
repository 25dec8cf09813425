/*
 * ipsec_scenario_ike.c - keying: ikev2 for the `ipsec` section: the item's
 * policy as ike.h takes it, one IKE host per (node, outer VRF), and the
 * IKE SA's events turned into ESP SAs (ipsec_sc_int.h).
 *
 * child_up installs the Child SA's pair on the tunnel (a rekey adds the
 * new pair beside the old, which child_down removes when its Delete is
 * done: no loss); child_down removes a pair; a failure is kept for the
 * ipsec-fails assertion with its time. A gated item's IKE SA exists only
 * while its gate is open: made (and an initiator's started) at the
 * opening, closed and forgotten at the closing; an SA closed while up
 * stays as `dying` until its Delete is answered, its callbacks ignored.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "esp.h"
#include "ike.h"
#include "ipsec_sc_int.h"
#include "net.h"
#include "sim.h"
#include "util.h"

/* strongSwan's 9 min margin, or a tenth of a lifetime shorter than 18 min */
static sim_time
margin_for(sim_time lifetime)
{
	return lifetime > 2 * SIM_S(540) ? SIM_S(540) : lifetime / 10;
}

/* The PRF an IKE proposal implies when it names none: its integ's hash. */
static uint16_t
prf_for(int integ)
{
	switch (integ > 0 ? ipsec_integ_id[integ - 1] : 0) {
	case ESP_INTEG_HMAC_SHA1_96:
		return IKE_PRF_HMAC_SHA1;
	case ESP_INTEG_HMAC_SHA2_384_192:
		return IKE_PRF_HMAC_SHA2_384;
	default:
		return IKE_PRF_HMAC_SHA2_256;
	}
}

static void
prop_of(const struct ipsec_sc_prop *q, bool ike, struct ike_proposal *p)
{
	memset(p, 0, sizeof(*p));
	p->encr = ipsec_encr_id[q->encr - 1];
	p->keylen = ipsec_encr_keylen[q->encr - 1];
	p->integ = q->integ > 0 ? ipsec_integ_id[q->integ - 1] :
	    IKE_INTEG_NONE;
	if (ike) {
		p->prf = q->prf > 0 ? ipsec_prf_id[q->prf - 1] :
		    prf_for(q->integ);
		p->dh = (uint16_t)q->dh;
	} else {
		p->dh = (uint16_t)q->pfs;
	}
}

int
ipsec_sc_prop_check(const struct ipsec_sc_prop *q, bool ike, char *err,
    size_t errlen)
{
	struct ike_proposal p;

	if (q->encr <= 0)
		return 0;	/* the loader reported it */
	prop_of(q, ike, &p);
	return ike_proposal_check(&p, ike, err, errlen);
}

void
ipsec_sc_policy(const struct ipsec_sc *s, struct ike_policy *pol)
{
	size_t k;

	ike_policy_init(pol);
	pol->version = (uint8_t)s->ike.version;
	pol->initiator = s->initiator;
	for (k = 0; k < s->ike.n_props && k < IKE_MAX_PROPOSALS; k++)
		prop_of(&s->ike.props[k], true, &pol->ike[pol->n_ike++]);
	for (k = 0; k < s->child.n_props && k < IKE_MAX_PROPOSALS; k++)
		prop_of(&s->child.props[k], false,
		    &pol->child[pol->n_child++]);
	snprintf(pol->psk, sizeof(pol->psk), "%s", s->psk ? s->psk : "");
	pol->ike_lifetime = s->ike.lifetime;
	pol->child_lifetime = s->child.lifetime;
	pol->rekey_margin = margin_for(pol->ike_lifetime < pol->child_lifetime ?
	    pol->ike_lifetime : pol->child_lifetime);
	pol->dpd = s->ike.dpd;
	pol->restart = s->ike.restart;
	pol->nat_t = s->nat_t;
}

static void
on_child_up(void *ctx, const struct ipsec_child *c)
{
	struct ipsec_end *e = ctx;
	struct esp_sa_cfg in = { c->spi_in, c->encr, c->keylen, c->integ,
	    c->key }, out = in;
	char err[160];

	out.spi = c->spi_out;
	if (e->sa == NULL)
		return;		/* the dying SA's: the item is gone */
	if (esp_tunnel_install(e->t, &in, &out, err, sizeof(err)) < 0) {
		/* the engine gave SPIs or algorithms ESP refuses */
		snprintf(e->fail_buf, sizeof(e->fail_buf), "esp: %s", err);
		e->failure = e->fail_buf;
		e->failed_at = sim_now(e->run->sim);
		return;
	}
	ipsec_sc_pair_add(e, c->spi_in, c->spi_out);
	ipsec_sc_log(e, true);
}

static void
on_child_down(void *ctx, uint32_t spi_in, uint32_t spi_out)
{
	struct ipsec_end *e = ctx;
	bool was = esp_tunnel_up(e->t);

	if (e->sa == NULL)
		return;		/* the gate's closing removed its pairs */
	ipsec_sc_pair_del(e, spi_in);
	esp_tunnel_remove(e->t, spi_in, spi_out);
	if (was && !esp_tunnel_up(e->t))
		ipsec_sc_log(e, false);
}

/* The dying SA's Delete is done (or gave up): free it, outside its call. */
static void
dying_fire(struct sim *sim, void *ctx)
{
	struct ipsec_end *e = ctx;

	(void)sim;
	if (e->dying != NULL && (ike_sa_state(e->dying) == IKE_ST_CLOSED ||
	    ike_sa_state(e->dying) == IKE_ST_FAILED)) {
		ike_sa_free(e->dying);
		e->dying = NULL;
	}
}

static void
on_state(void *ctx, enum ike_state st, const char *reason)
{
	struct ipsec_end *e = ctx;

	if (e->sa == NULL) {
		/* the dying SA: its end is not a failure of the tunnel */
		if (st == IKE_ST_CLOSED || st == IKE_ST_FAILED)
			sim_schedule(e->run->sim, 0, dying_fire, e);
		return;
	}
	if (st != IKE_ST_FAILED || e->failure != NULL)
		return;
	snprintf(e->fail_buf, sizeof(e->fail_buf), "%s", reason != NULL ?
	    reason : "failed");
	e->failure = e->fail_buf;
	e->failed_at = sim_now(e->run->sim);
}

/* An ESP packet of the tunnel passed its ICV: the peer is alive. */
static void
on_esp_rx(void *ctx)
{
	struct ipsec_end *e = ctx;

	if (e->sa != NULL)
		ike_sa_heard(e->sa);
}

static void
start_fire(struct sim *sim, void *ctx)
{
	struct ipsec_end *e = ctx;

	(void)sim;
	if (e->sa != NULL)
		ike_sa_start(e->sa);
}

/* The IKE host of (node, vrf), made on first use. */
static struct ike_host *
host_for(struct ipsec_run *r, size_t node_idx, struct node *n, uint32_t vrf)
{
	size_t i;

	for (i = 0; i < r->n_ike; i++)
		if (r->ike[i].node_idx == node_idx && r->ike[i].vrf == vrf)
			return r->ike[i].h;
	r->ike = xrealloc(r->ike, (r->n_ike + 1) * sizeof(*r->ike));
	r->ike[r->n_ike].node_idx = node_idx;
	r->ike[r->n_ike].vrf = vrf;
	r->ike[r->n_ike].h = ike_host_new(n, vrf);
	if (r->ike[r->n_ike].h == NULL)
		return NULL;
	/* ESP in UDP 4500 (NAT-T) reaches the node's ESP through IKE's port */
	ike_host_set_esp_rx(r->ike[r->n_ike].h, esp_host_udp_rx,
	    r->hosts[node_idx]);
	return r->ike[r->n_ike++].h;
}

static const struct ike_cb ike_callbacks = { on_child_up, on_child_down,
    on_state };

/* The item's IKE SA on its host; NULL if the host has one to that peer. */
static struct ike_sa *
sa_new(struct ipsec_end *e)
{
	struct ike_policy pol;
	size_t i;

	ipsec_sc_policy(e->it, &pol);
	for (i = 0; i < e->run->n_ike; i++)
		if (e->run->ike[i].node_idx == e->it->node_idx &&
		    e->run->ike[i].vrf == e->vrf)
			return ike_sa_new(e->run->ike[i].h, e->it->local,
			    e->it->remote, &pol, &ike_callbacks, e);
	return NULL;
}

int
ipsec_sc_ike_start(struct ipsec_run *r, struct ipsec_end *e, struct node *n,
    uint32_t vrf, bool now, char *err, size_t errlen)
{
	struct ike_policy pol;

	ipsec_sc_policy(e->it, &pol);
	if (ike_policy_check(&pol, err, errlen) < 0)
		return -1;
	if (host_for(r, e->it->node_idx, n, vrf) == NULL) {
		snprintf(err, errlen, "ipsec %s: UDP 500 or 4500 is taken on "
		    "node %s", e->it->name, e->it->node);
		return -1;
	}
	esp_tunnel_set_rx_cb(e->t, on_esp_rx, e);
	if (!now)
		return 0;	/* its gate is closed: made when it opens */
	if ((e->sa = sa_new(e)) == NULL) {
		snprintf(err, errlen, "ipsec %s: node %s has an IKE SA from "
		    "%s to that remote already", e->it->name, e->it->node,
		    e->it->name);
		return -1;
	}
	sim_schedule(r->sim, 0, start_fire, e);
	return 0;
}

void
ipsec_sc_ike_open(struct ipsec_end *e)
{
	if (e->sa != NULL)
		return;
	if (e->dying != NULL) {
		/* reopened before the old Delete was answered */
		ike_sa_free(e->dying);
		e->dying = NULL;
	}
	if ((e->sa = sa_new(e)) == NULL) {
		/* another item of the node, open too, has this peer */
		snprintf(e->fail_buf, sizeof(e->fail_buf), "ike: another "
		    "tunnel of node %s has an IKE SA with this remote",
		    e->it->node);
		e->failure = e->fail_buf;
		e->failed_at = sim_now(e->run->sim);
		return;
	}
	ike_sa_start(e->sa);
}

void
ipsec_sc_ike_shut(struct ipsec_end *e)
{
	struct ike_sa *sa = e->sa;

	if (sa == NULL)
		return;
	e->sa = NULL;
	if (ike_sa_state(sa) == IKE_ST_ESTABLISHED) {
		/* INFORMATIONAL Delete; freed once it is answered */
		e->dying = sa;
		ike_sa_close(sa);
		return;
	}
	ike_sa_free(sa);	/* nothing to tell the peer */
}

void
ipsec_sc_ike_free(struct ipsec_run *r)
{
	size_t i;

	for (i = 0; i < r->n_ike; i++)
		ike_host_free(r->ike[i].h);
	free(r->ike);
	r->ike = NULL;
	r->n_ike = 0;
}

const char *
ipsec_sc_failure(const struct ipsec_end *e)
{
	if (e->failure != NULL)
		return e->failure;
	return e->sa != NULL ? ike_sa_failure(e->sa) : NULL;
}
