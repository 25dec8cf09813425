/*
 * bgp_gr.c - a speaker's graceful restart helper (RFC 4724, the
 * Receiving Speaker) and enhanced route refresh (RFC 7313): what goes in
 * our OPEN, what the peer's OPEN allows, the peer's routes kept stale
 * across its restart or between its BoRR and EoRR, and their sweep.
 * docs/bgp-speaker.md ("Graceful restart", "Enhanced route refresh")
 * gives the choices with their reasons.
 */
#include <stdio.h>
#include <string.h>

#include "bgp_rib.h"
#include "bgp_speaker_int.h"
#include "net.h"
#include "util.h"
#include "wire.h"

/* RFC 4724 3: the Forwarding State bit of an <AFI, SAFI>. */
#define GR_AF_FWD 0x80

static void
note(struct bgp_peer *p, const char *what, size_t n)
{
	char line[200], a[16];

	wire_ip_str(p->cfg.addr, a);
	snprintf(line, sizeof(line), "bgp %s: %s (%zu routes)", a, what, n);
	trace_annotate(net_trace(node_net(p->sp->node)), sim_now(p->sp->sim),
	    node_id(p->sp->node), line);
}

/*
 * GR: the restart time, no R bit (a restart of ours is not modelled),
 * IPv4 unicast with the F bit (the node's FIB, the simulator's, outlives
 * the speaker). Enhanced route refresh only when configured.
 */
void
bgp_gr_open_caps(const struct bgp_peer *p, struct bgp_caps *caps)
{
	caps->enhanced_rr = p->cfg.enhanced_rr;
	caps->gr = p->cfg.graceful_restart;
	if (!caps->gr)
		return;
	caps->gr_flags = 0;
	caps->gr_time_s = p->cfg.gr_restart_s != 0 ? p->cfg.gr_restart_s :
	    BGP_GR_RESTART_S;
	if (caps->gr_time_s > 0xfff)
		caps->gr_time_s = 0xfff;
	caps->n_gr = 1;
	caps->gr_af[0].afi = BGP_AFI_IPV4;
	caps->gr_af[0].safi = BGP_SAFI_UNICAST;
	caps->gr_af[0].flags = GR_AF_FWD;
}

void
bgp_gr_rx_caps(struct bgp_conn *c, const struct bgp_caps *caps)
{
	uint8_t i;

	c->peer_err = caps->enhanced_rr;
	c->peer_gr = c->peer_gr_fwd = false;
	c->peer_gr_time_s = caps->gr_time_s;
	if (!caps->gr)
		return;
	for (i = 0; i < caps->n_gr && i < BGP_CAP_MAX_AF; i++)
		if (caps->gr_af[i].afi == BGP_AFI_IPV4 &&
		    caps->gr_af[i].safi == BGP_SAFI_UNICAST) {
			c->peer_gr = true;
			c->peer_gr_fwd = (caps->gr_af[i].flags & GR_AF_FWD) != 0;
		}
}

/* The routes kept for a restart that did not come back (or may not). */
static void
gr_delete(struct bgp_peer *p, const char *why)
{
	struct bgp_speaker *sp = p->sp;
	uint16_t id = p->gr_id;

	if (id == 0)
		return;
	p->gr_id = 0;
	timer_stop(&p->gr_tm);
	note(p, why, bgp_rib_in_count(sp->rib, id));
	sp->busy++;
	bgp_rib_peer_remove(sp->rib, id);
	sp->busy--;
	bgp_export_flush_all(sp);
}

static void
sweep(struct bgp_peer *p, const char *why)
{
	struct bgp_speaker *sp = p->sp;
	size_t n;

	sp->busy++;
	n = bgp_rib_peer_sweep_stale(sp->rib, p->rib_id);
	sp->busy--;
	note(p, why, n);
	bgp_export_flush_all(sp);
}

uint16_t
bgp_gr_up(struct bgp_peer *p, struct bgp_conn *c)
{
	uint16_t id = p->gr_id;

	if (id == 0)
		return 0;
	timer_stop(&p->gr_tm);
	/*
	 * 4724 4.2: the new OPEN must list IPv4 unicast with the F bit, else
	 * the stale routes go at once.
	 */
	if (!p->cfg.graceful_restart || !c->peer_gr || !c->peer_gr_fwd) {
		gr_delete(p, "restarted without forwarding state: stale "
		    "routes deleted");
		return 0;
	}
	p->gr_id = 0;
	p->gr_stale = true;
	timer_start(&p->gr_tm, p->cfg.gr_stale_time > 0 ?
	    p->cfg.gr_stale_time : BGP_GR_STALE_TIME);
	return id;
}

static void
out_forget(uint32_t prefix, uint8_t len, const struct bgp_attrs *ia,
    void *ctx)
{
	struct bgp_prefix_q *q = ctx;

	(void)ia;
	if (q->n == q->cap) {
		q->cap = q->cap != 0 ? q->cap * 2 : 64;
		q->v = xrealloc(q->v, q->cap * sizeof(*q->v));
	}
	q->v[q->n].addr = prefix;
	q->v[q->n++].len = len;
}

bool
bgp_gr_down(struct bgp_peer *p, struct bgp_conn *c,
    const struct bgp_fsm_reason *r, uint16_t id)
{
	struct bgp_speaker *sp = p->sp;
	struct bgp_prefix_q q = { 0 };
	char what[96];
	size_t i, n;

	timer_stop(&p->err_tm);
	p->err_stale = false;
	p->gr_stale = false;
	timer_stop(&p->gr_tm);
	/*
	 * 4724 4.2: only a session that ended without a NOTIFICATION (the
	 * TCP connection failed or was reset); a hold timer expiry or a BFD
	 * down sends one, so those delete (no RFC 8538 N bit here).
	 */
	if (!p->cfg.graceful_restart || !c->peer_gr ||
	    r->why != BGP_WHY_TCP_FAILED || c->peer_gr_time_s == 0)
		return false;
	/* what was sent to it is forgotten: it gets everything again */
	bgp_rib_out_walk(sp->rib, id, out_forget, &q);
	for (i = 0; i < q.n; i++)
		bgp_rib_out_set(sp->rib, id, q.v[i].addr, q.v[i].len, NULL);
	bgp_prefix_q_free(&q);
	/*
	 * 4724 4.2, consecutive restarts: what is still stale from the last
	 * one (no End-of-RIB came) is deleted, not kept again. gr_id first:
	 * the flush reflects the kept routes as the peer's.
	 */
	p->gr_id = id;
	sp->busy++;
	n = bgp_rib_peer_sweep_stale(sp->rib, id);
	sp->busy--;
	if (n > 0) {
		note(p, "restarted again: routes still stale deleted", n);
		bgp_export_flush_all(sp);
	}
	n = bgp_rib_peer_mark_stale(sp->rib, id);
	timer_start(&p->gr_tm, SIM_S(c->peer_gr_time_s));
	snprintf(what, sizeof(what), "graceful restart: routes kept stale "
	    "for %u s", c->peer_gr_time_s);
	note(p, what, n);
	return true;
}

void
bgp_gr_eor(struct bgp_peer *p)
{
	if (!p->gr_stale)
		return;
	p->gr_stale = false;
	timer_stop(&p->gr_tm);
	sweep(p, "End-of-RIB: stale routes swept");
}

void
bgp_gr_forget(struct bgp_peer *p)
{
	gr_delete(p, "stopped: stale routes deleted");
}

void
bgp_gr_fired(struct timer *tm, void *arg)
{
	struct bgp_peer *p = arg;

	(void)tm;
	if (p->gr_id != 0) {
		gr_delete(p, "restart time passed: stale routes deleted");
	} else if (p->gr_stale && p->rib_id != 0) {
		p->gr_stale = false;
		sweep(p, "stale time passed: stale routes swept");
	}
}

/* ---- enhanced route refresh ---- */

void
bgp_err_fired(struct timer *tm, void *arg)
{
	struct bgp_peer *p = arg;

	(void)tm;
	if (!p->err_stale || p->rib_id == 0)
		return;
	p->err_stale = false;
	sweep(p, "no EoRR in time: stale routes swept");
}

void
bgp_gr_refresh_rx(struct bgp_peer *p, const struct bgp_refresh *rr)
{
	bool err = p->cfg.enhanced_rr && p->up->peer_err;
	size_t n;

	switch (rr->subtype) {
	case BGP_RR_NORMAL:
		bgp_export_refresh(p);
		break;
	case BGP_RR_BORR:
		/* 7313 4: only when both sides advertised it */
		if (!err)
			break;
		n = bgp_rib_peer_mark_stale(p->sp->rib, p->rib_id);
		p->err_stale = true;
		timer_start(&p->err_tm, p->cfg.gr_stale_time > 0 ?
		    p->cfg.gr_stale_time : BGP_GR_STALE_TIME);
		note(p, "BoRR: routes marked stale", n);
		break;
	case BGP_RR_EORR:
		/* an EoRR without a BoRR is ignored */
		if (!err || !p->err_stale)
			break;
		p->err_stale = false;
		timer_stop(&p->err_tm);
		sweep(p, "EoRR: stale routes swept");
		break;
	default:
		break;		/* 7313 3: other subtypes are ignored */
	}
}
