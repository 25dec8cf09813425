/*
 * bgp_speaker.c - a BGP speaker's configuration and its public face:
 * neighbours, networks, start, the per-session getters. Sessions are
 * bgp_session.c's, routes bgp_export.c's.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bgp_rib.h"
#include "bgp_speaker_int.h"
#include "bgp_trace.h"
#include "net.h"
#include "rib.h"
#include "sim.h"
#include "stream.h"
#include "tcp.h"
#include "util.h"

/* ---- the speaker ---- */

struct bgp_speaker *
bgp_speaker_new(struct node *n, const struct bgp_speaker_cfg *cfg, char *err,
    size_t errlen)
{
	struct bgp_speaker *sp;
	struct bgp_rib_config rc;

	if (cfg->asn == 0 || cfg->asn == BGP_AS_TRANS) {
		snprintf(err, errlen, "bad local ASN %u", cfg->asn);
		return NULL;
	}
	if (cfg->router_id == 0) {
		snprintf(err, errlen, "router id 0.0.0.0");
		return NULL;
	}
	if (cfg->ebgp_mrai < 0) {
		snprintf(err, errlen, "negative eBGP MRAI");
		return NULL;
	}
	sp = xcalloc(1, sizeof(*sp));
	sp->node = n;
	sp->sim = net_sim(node_net(n));
	sp->cfg = *cfg;
	/* ours: connections are made long after the caller's cfg is gone */
	if (cfg->tcp != NULL) {
		struct tcp_cfg *tc = xmalloc(sizeof(*tc));

		*tc = *cfg->tcp;
		sp->cfg.tcp = tc;
	}
	if (sp->cfg.rib_source == 0)
		sp->cfg.rib_source = RIB_SRC_MODEL;
	memset(&rc, 0, sizeof(rc));
	rc.local_as = cfg->asn;
	rc.router_id = cfg->router_id;
	rc.decide.default_local_pref = 100;
	rc.decide.max_paths = cfg->max_paths != 0 ? cfg->max_paths : 1;
	rc.decide.always_compare_med = cfg->always_compare_med;
	rc.decide.oldest_ebgp = cfg->oldest_ebgp;
	sp->rib = bgp_rib_new(&rc);
	timer_set_init(&sp->timers);
	bgp_export_init(sp);
	return sp;
}

void
bgp_speaker_free(struct bgp_speaker *sp)
{
	size_t i;
	int k;

	if (sp == NULL)
		return;
	for (i = 0; i < sp->n_lsts; i++)
		stream_unlisten(sp->lsts[i].lst);
	free(sp->lsts);
	if (sp->started)
		node_remove_power_listener(sp->node, bgp_power_changed, sp);
	bgp_origin_free(sp);
	if (sp->glue != NULL)
		bgp_node_detach(sp->glue);
	/*
	 * No watcher hears of the teardown: whoever watches may be gone
	 * already (a scenario frees the states after bgp's first).
	 */
	for (i = 0; i < sp->n_peers; i++) {
		free(sp->peers[i]->watch);
		sp->peers[i]->watch = NULL;
		sp->peers[i]->n_watch = 0;
	}
	for (i = 0; i < sp->n_peers; i++) {
		struct bgp_peer *p = sp->peers[i];

		if (p->bfd != NULL)
			bfd_session_remove(p->bfd);
		for (k = 0; k < 2; k++)
			if (p->c[k] != NULL)
				bgp_conn_bury(p->c[k]);
		bgp_prefix_q_free(&p->pend);
	}
	bgp_speaker_reap_now(sp);
	bgp_linger_free_all(sp);
	timer_set_destroy(&sp->timers);
	bgp_rib_free(sp->rib);
	for (i = 0; i < sp->n_peers; i++)
		free(sp->peers[i]);
	free(sp->peers);
	free((void *)(uintptr_t)sp->cfg.tcp);
	free(sp);
}

int
bgp_speaker_add_neighbor(struct bgp_speaker *sp,
    const struct bgp_neighbor_cfg *nc, char *err, size_t errlen)
{
	struct bgp_peer *p;

	if (nc->remote_as == 0 || nc->remote_as == BGP_AS_TRANS) {
		snprintf(err, errlen, "bad remote ASN %u", nc->remote_as);
		return -1;
	}
	if (nc->addr == 0 || bgp_peer_find(sp, nc->addr) != NULL) {
		snprintf(err, errlen, "neighbour address 0 or repeated");
		return -1;
	}
	if (nc->mrai < 0 && nc->mrai != BGP_MRAI_DEFAULT) {
		snprintf(err, errlen, "negative MRAI");
		return -1;
	}
	/* RFC 2385: the key is a C string, BGP_MD5_KEY_MAX bytes at most */
	if (memchr(nc->md5_key, '\0', sizeof(nc->md5_key)) == NULL) {
		snprintf(err, errlen, "MD5 key longer than %d bytes or not "
		    "NUL-terminated", BGP_MD5_KEY_MAX);
		return -1;
	}
	/* RFC 5082: TTL 255 - hops + 1 must be at least 1 */
	if (nc->gtsm_hops > 254) {
		snprintf(err, errlen, "GTSM hops %u not in 1..254",
		    nc->gtsm_hops);
		return -1;
	}
	if (nc->bfd != NULL && sp->cfg.bfd == NULL) {
		snprintf(err, errlen, "BFD asked for with no BFD instance");
		return -1;
	}
	/* a neighbour added after the start may bring a new transport */
	if (sp->started && bgp_speaker_listen(sp, nc->host != NULL ?
	    nc->host : bgp_speaker_host(sp), err, errlen) != 0)
		return -1;
	p = xcalloc(1, sizeof(*p));
	p->sp = sp;
	p->cfg = *nc;
	p->fsm_cfg = nc->fsm != NULL ? *nc->fsm : bgp_fsm_default_cfg;
	p->fsm_cfg.passive = nc->passive;
	if (bgp_fsm_cfg_check(&p->fsm_cfg, err, errlen) != 0) {
		free(p);
		return -1;
	}
	if (nc->bfd != NULL) {
		p->bfd_cfg = *nc->bfd;
		p->has_bfd = true;
	}
	p->cfg.fsm = NULL;
	p->cfg.bfd = NULL;
	p->ebgp = nc->remote_as != sp->cfg.asn;
	p->mrai = nc->mrai != BGP_MRAI_DEFAULT ? nc->mrai :
	    p->ebgp ? sp->cfg.ebgp_mrai : 0;
	p->st.started = p->st.first_established = -1;
	p->st.time_to_established = p->st.last_established = -1;
	p->st.last_down = p->st.last_rx = -1;
	timer_init(&p->mrai_tm, sp->sim, &sp->timers, bgp_export_mrai_expired,
	    p);
	timer_init(&p->gr_tm, sp->sim, &sp->timers, bgp_gr_fired, p);
	timer_init(&p->err_tm, sp->sim, &sp->timers, bgp_err_fired, p);
	sp->peers = bgp_grow_pow2(sp->peers, sp->n_peers, sizeof(*sp->peers));
	sp->peers[sp->n_peers++] = p;
	bgp_conn_new(p, 0);
	return 0;
}

/* The node's routes moved our next hops: send what changed. */
static void
nexthops_followed(void *ctx)
{
	bgp_export_flush_all(ctx);
}

struct stream_host *
bgp_speaker_host(const struct bgp_speaker *sp)
{
	return sp->cfg.host != NULL ? sp->cfg.host :
	    tcp_stack_host(tcp_stack_get(sp->node));
}

struct stream_host *
bgp_peer_host(const struct bgp_peer *p)
{
	return p->cfg.host != NULL ? p->cfg.host : bgp_speaker_host(p->sp);
}

struct stream_listener *
bgp_speaker_listener(const struct bgp_speaker *sp,
    const struct stream_host *host)
{
	size_t i;

	for (i = 0; i < sp->n_lsts; i++)
		if (sp->lsts[i].host == host)
			return sp->lsts[i].lst;
	return NULL;
}

int
bgp_speaker_listen(struct bgp_speaker *sp, struct stream_host *host,
    char *err, size_t errlen)
{
	struct stream_addr la = { 0, BGP_PORT };
	struct stream_listener *l;
	struct stream_opts o;

	if (bgp_speaker_listener(sp, host) != NULL)
		return 0;
	memset(&o, 0, sizeof(o));
	o.vrf = sp->cfg.vrf;
	o.nodelay = 1;
	o.tcp = sp->cfg.tcp;
	l = stream_listen(host, &la, &o, bgp_on_accept, sp);
	if (l == NULL) {
		snprintf(err, errlen, "TCP port 179 in use%s",
		    sp->n_lsts != 0 ? " on a neighbour's transport" : "");
		return -1;
	}
	sp->lsts = bgp_grow_pow2(sp->lsts, sp->n_lsts, sizeof(*sp->lsts));
	sp->lsts[sp->n_lsts].host = host;
	sp->lsts[sp->n_lsts++].lst = l;
	return 0;
}

/*
 * Our address on the neighbour's subnet, when it is on one of the VRF's
 * interfaces; else 0. A single-hop session's source even while its link is
 * down (unplugged: no connected route to take it from).
 */
static uint32_t
subnet_addr(const struct bgp_speaker *sp, uint32_t peer)
{
	size_t i;

	for (i = 0; i < node_n_ifaces(sp->node); i++) {
		uint32_t ifx = (uint32_t)i;
		uint8_t pl = node_iface_plen(sp->node, ifx);
		uint32_t m = pl == 0 ? 0 : UINT32_MAX << (32 - pl);

		if (pl != 0 && node_iface_vrf(sp->node, ifx) == sp->cfg.vrf &&
		    ((node_iface_addr(sp->node, ifx) ^ peer) & m) == 0)
			return node_iface_addr(sp->node, ifx);
	}
	return 0;
}

/* The neighbour's BFD session, if it asks for one and has none. */
static int
peer_bfd_add(struct bgp_peer *p, char *err, size_t errlen)
{
	struct bgp_speaker *sp = p->sp;
	uint32_t local = 0;

	if (!p->has_bfd || p->bfd != NULL)
		return 0;
	/* no route now (its link down): its subnet's address, if any */
	if (node_source_for(sp->node, sp->cfg.vrf, p->cfg.addr) == 0)
		local = subnet_addr(sp, p->cfg.addr);
	p->bfd = bfd_session_add(sp->cfg.bfd, sp->node, sp->cfg.vrf, local,
	    p->cfg.addr, &p->bfd_cfg, bgp_bfd_changed, p, err, errlen);
	return p->bfd != NULL ? 0 : -1;
}

int
bgp_speaker_start(struct bgp_speaker *sp, char *err, size_t errlen)
{
	size_t i;

	if (sp->started) {
		snprintf(err, errlen, "already started");
		return -1;
	}
	/* the speaker's own transport first, as before (even with no
	 * neighbour on it: an unknown peer is reset, not refused) */
	if (bgp_speaker_listen(sp, bgp_speaker_host(sp), err, errlen) != 0)
		return -1;
	for (i = 0; i < sp->n_peers; i++)
		if (bgp_speaker_listen(sp, bgp_peer_host(sp->peers[i]), err,
		    errlen) != 0)
			return -1;
	sp->glue = bgp_node_attach(sp->rib, node_rib(sp->node, sp->cfg.vrf),
	    sp->cfg.rib_source, sp->cfg.vrf);
	bgp_node_follow(sp->glue, sp->sim, nexthops_followed, sp);
	bgp_trace_attach(sp);
	node_add_power_listener(sp->node, bgp_power_changed, sp);
	sp->started = true;
	for (i = 0; i < sp->n_peers; i++) {
		struct bgp_peer *p = sp->peers[i];

		/* configured, not started: bgp_speaker_peer_start will */
		if (p->cfg.held)
			continue;
		if (peer_bfd_add(p, err, errlen) != 0)
			return -1;
		p->run = true;
		p->st.started = sim_now(sp->sim);
		bgp_fsm_start(p->c[0]->fsm);
	}
	return 0;
}

struct bgp_rib *
bgp_speaker_rib(struct bgp_speaker *sp)
{
	return sp->rib;
}

struct node *
bgp_speaker_node(const struct bgp_speaker *sp)
{
	return sp->node;
}

const struct bgp_speaker_cfg *
bgp_speaker_config(const struct bgp_speaker *sp)
{
	return &sp->cfg;
}

size_t
bgp_speaker_n_neighbors(const struct bgp_speaker *sp)
{
	return sp->n_peers;
}

const struct bgp_neighbor_cfg *
bgp_speaker_neighbor(const struct bgp_speaker *sp, size_t i)
{
	return i < sp->n_peers ? &sp->peers[i]->cfg : NULL;
}

enum bgp_fsm_state
bgp_speaker_peer_state(const struct bgp_speaker *sp, uint32_t addr)
{
	struct bgp_peer *p = bgp_peer_find(sp, addr);

	if (p == NULL)
		return BGP_ST_IDLE;
	if (p->up != NULL)
		return BGP_ST_ESTABLISHED;
	return p->c[0] != NULL ? bgp_fsm_state(p->c[0]->fsm) : BGP_ST_IDLE;
}

int
bgp_speaker_peer_stats(const struct bgp_speaker *sp, uint32_t addr,
    struct bgp_peer_stats *st)
{
	struct bgp_peer *p = bgp_peer_find(sp, addr);

	if (p == NULL)
		return -1;
	*st = p->st;
	return 0;
}

unsigned
bgp_speaker_peer_conns(const struct bgp_speaker *sp, uint32_t addr)
{
	struct bgp_peer *p = bgp_peer_find(sp, addr);
	unsigned n = 0;
	int i;

	for (i = 0; p != NULL && i < 2; i++)
		if (p->c[i] != NULL && !p->c[i]->dead &&
		    bgp_fsm_state(p->c[i]->fsm) != BGP_ST_IDLE)
			n++;
	return n;
}

size_t
bgp_speaker_peer_in(const struct bgp_speaker *sp, uint32_t addr)
{
	struct bgp_peer *p = bgp_peer_find(sp, addr);

	return p != NULL && p->rib_id != 0 ?
	    bgp_rib_in_count(sp->rib, p->rib_id) : 0;
}

size_t
bgp_speaker_peer_out(const struct bgp_speaker *sp, uint32_t addr)
{
	struct bgp_peer *p = bgp_peer_find(sp, addr);

	return p != NULL && p->rib_id != 0 ?
	    bgp_rib_out_count(sp->rib, p->rib_id) : 0;
}

int
bgp_speaker_peer_stop(struct bgp_speaker *sp, uint32_t addr)
{
	return bgp_speaker_peer_shutdown(sp, addr, NULL);
}

int
bgp_speaker_peer_shutdown(struct bgp_speaker *sp, uint32_t addr,
    const char *text)
{
	struct bgp_peer *p = bgp_peer_find(sp, addr);
	struct bgp_fsm_arg arg;
	uint8_t msg[BGP_MAX_LEN];
	size_t len = 0;
	int i;

	if (p == NULL)
		return -1;
	p->run = false;
	memset(&arg, 0, sizeof(arg));
	if (text != NULL && text[0] != '\0') {
		/* the codec cuts it to 255 bytes at a character boundary */
		len = bgp_encode_shutdown(BGP_CEASE_ADMIN_SHUTDOWN, text, msg);
		arg.notif.code = BGP_ERR_CEASE;
		arg.notif.subcode = BGP_CEASE_ADMIN_SHUTDOWN;
		arg.notif.data = msg + BGP_NOTIFICATION_MIN_LEN;
		arg.notif.data_len = len - BGP_NOTIFICATION_MIN_LEN;
	}
	for (i = 0; i < 2; i++)
		if (p->c[i] != NULL && !p->c[i]->dead)
			bgp_fsm_event(p->c[i]->fsm, BGP_EV_MANUAL_STOP,
			    len > 0 ? &arg : NULL);
	/* an operator's stop ends a graceful restart we were helping */
	bgp_gr_forget(p);
	if (p->cfg.bfd_with_start && p->bfd != NULL) {
		bfd_session_remove(p->bfd);
		p->bfd = NULL;
	}
	return 0;
}

int
bgp_speaker_peer_start(struct bgp_speaker *sp, uint32_t addr)
{
	struct bgp_peer *p = bgp_peer_find(sp, addr);
	char err[128];

	if (p == NULL || p->c[0] == NULL)
		return -1;
	p->run = true;
	/* powered off: it starts with the node (bgp_power.c) */
	if (!node_powered(sp->node))
		return 0;
	/*
	 * A BFD session that cannot be made now (a multihop peer with no
	 * route yet) leaves the session without BFD until its next start:
	 * BGP runs without it rather than not at all.
	 */
	if (sp->started && (p->cfg.held || p->cfg.bfd_with_start))
		(void)peer_bfd_add(p, err, sizeof(err));
	/* a held neighbour's first start is its ManualStart */
	if (p->st.started < 0)
		p->st.started = sim_now(sp->sim);
	bgp_fsm_start(p->c[0]->fsm);
	return 0;
}

int
bgp_speaker_peer_refresh(struct bgp_speaker *sp, uint32_t addr)
{
	struct bgp_peer *p = bgp_peer_find(sp, addr);

	if (p == NULL || p->up == NULL || !p->up->peer_rr)
		return -1;
	bgp_send_refresh(p->up, BGP_RR_NORMAL);
	return 0;
}

int
bgp_speaker_watch_peer(struct bgp_speaker *sp, uint32_t addr,
    void (*fn)(void *arg, uint32_t addr, bool established), void *arg)
{
	struct bgp_peer *p = bgp_peer_find(sp, addr);

	if (p == NULL || fn == NULL)
		return -1;
	p->watch = bgp_grow_pow2(p->watch, p->n_watch, sizeof(*p->watch));
	p->watch[p->n_watch].fn = fn;
	p->watch[p->n_watch++].arg = arg;
	return 0;
}

void
bgp_peer_tell_watchers(struct bgp_peer *p, bool established)
{
	size_t i, n = p->n_watch;

	/* a watcher added by a watcher hears from the next change on */
	for (i = 0; i < n; i++)
		p->watch[i].fn(p->watch[i].arg, p->cfg.addr, established);
}
