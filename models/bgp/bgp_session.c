/*
 * bgp_session.c - the speaker's sessions: the listener and connects, FSM ops, the byte stream cut into messages
 * and fed to the FSM, collisions, BFD, max-prefix teardown, the trace;
 * the send path (obuf, the lingering close after a NOTIFICATION).
 * Routes in and out are bgp_export.c's, graceful restart and enhanced
 * route refresh bgp_gr.c's.
 */
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
#include "wire.h"

static const struct stream_cb conn_cb;
static const struct bgp_fsm_ops conn_ops;

void
bgp_speaker_cfg_init(struct bgp_speaker_cfg *c, uint32_t asn,
    uint32_t router_id)
{
	memset(c, 0, sizeof(*c));
	c->asn = asn;
	c->router_id = router_id;
	c->max_paths = 1;
	c->ebgp_mrai = BGP_MRAI_EBGP_DEFAULT;
}

void
bgp_neighbor_cfg_init(struct bgp_neighbor_cfg *c, uint32_t addr,
    uint32_t remote_as)
{
	memset(c, 0, sizeof(*c));
	c->addr = addr;
	c->remote_as = remote_as;
	c->mrai = BGP_MRAI_DEFAULT;
}

static void
peer_name(const struct bgp_peer *p, char *buf)
{
	wire_ip_str(p->cfg.addr, buf);
}

struct bgp_peer *
bgp_peer_find(const struct bgp_speaker *sp, uint32_t addr)
{
	size_t i;

	for (i = 0; i < sp->n_peers; i++)
		if (sp->peers[i]->cfg.addr == addr)
			return sp->peers[i];
	return NULL;
}

struct bgp_peer *
bgp_peer_by_rib(struct bgp_speaker *sp, uint16_t id)
{
	size_t i;

	if (id == 0)
		return NULL;
	/*
	 * The routes kept through a graceful restart are still the peer's
	 * (an RR client's are still reflected): its gr_id names them then.
	 */
	for (i = 0; i < sp->n_peers; i++)
		if (sp->peers[i]->rib_id == id || sp->peers[i]->gr_id == id)
			return sp->peers[i];
	return NULL;
}

/* ---- trace ---- */

void
bgp_trace_msg(struct bgp_peer *p, bool out, bool as4, const uint8_t *msg,
    size_t len, const struct bgp_msg *m)
{
	struct trace *tr = net_trace(node_net(p->sp->node));
	char sum[240], line[300], a[16];
	struct bgp_msg dm;
	struct bgp_result r;
	bool decoded = m != NULL;

	if (tr == NULL)
		return;
	if (m == NULL) {
		if (bgp_decode(msg, len, as4, &dm, &r) == BGP_ACT_RESET) {
			snprintf(sum, sizeof(sum), "%u bytes", (unsigned)len);
		} else {
			bgp_msg_summary(&dm, sum, sizeof(sum));
			m = &dm;
		}
	} else {
		bgp_msg_summary(m, sum, sizeof(sum));
	}
	bgp_trace_count(p->sp, p->cfg.addr, out, m);
	if (!decoded && m != NULL)
		bgp_msg_free(&dm);
	peer_name(p, a);
	snprintf(line, sizeof(line), "bgp %s %s: %s", out ? "to" : "from", a,
	    sum);
	trace_annotate(tr, sim_now(p->sp->sim), node_id(p->sp->node), line);
}

/* ---- sending ---- */

static void
conn_flush(struct bgp_conn *c)
{
	size_t n;

	if (c->s == NULL || c->olen == 0)
		return;
	n = stream_send(c->s, c->obuf, c->olen);
	memmove(c->obuf, c->obuf + n, c->olen - n);
	c->olen -= n;
}

void
bgp_send_refresh(struct bgp_conn *c, uint8_t st)
{
	struct bgp_msg m;
	uint8_t out[BGP_MAX_LEN];

	memset(&m, 0, sizeof(m));
	m.type = BGP_ROUTE_REFRESH;
	m.u.refresh.afi = BGP_AFI_IPV4;
	m.u.refresh.safi = BGP_SAFI_UNICAST;
	m.u.refresh.subtype = st;
	bgp_conn_send(c, out, bgp_encode(&m, true, out));
}

/* ---- the close after a NOTIFICATION ---- */

static void
linger_free(struct bgp_linger *l)
{
	if (l->prev != NULL)
		l->prev->next = l->next;
	else
		l->sp->lingering = l->next;
	if (l->next != NULL)
		l->next->prev = l->prev;
	timer_destroy(&l->tm);
	free(l->buf);
	free(l);
}

/* Hand TCP what it takes; once all is taken, close. */
static void
linger_push(struct bgp_linger *l)
{
	size_t n;

	if (l->len > 0) {
		n = stream_send(l->s, l->buf, l->len);
		memmove(l->buf, l->buf + n, l->len - n);
		l->len -= n;
	}
	if (l->len == 0 && !l->closing) {
		l->closing = true;
		stream_close(l->s);
	}
}

static void
linger_sent(struct stream *s, size_t freed, void *ctx)
{
	(void)s;
	(void)freed;
	linger_push(ctx);
}

static void
linger_rx(struct stream *s, void *ctx)
{
	(void)ctx;
	while (stream_read(s, NULL, BGP_MAX_LEN) > 0)
		;
}

static void
linger_closed(struct stream *s, void *ctx)
{
	(void)s;
	linger_free(ctx);
}

static void
linger_error(struct stream *s, enum stream_err err, void *ctx)
{
	(void)s;
	(void)err;
	linger_free(ctx);
}

static const struct stream_cb linger_cb = {
	.on_receive = linger_rx,
	.on_sent = linger_sent,
	.on_closed = linger_closed,
	.on_error = linger_error,
};

/* BGP_LINGER passed: a peer that does not read or close is reset. */
static void
linger_expired(struct timer *tm, void *arg)
{
	struct bgp_linger *l = arg;

	(void)tm;
	stream_abort(l->s);
	linger_free(l);
}

/*
 * The stream leaves c with what c had not handed to TCP (the NOTIFICATION
 * among it): delivered, then closed, from a bgp_linger of the speaker's.
 */
static void
linger_start(struct bgp_conn *c)
{
	struct bgp_speaker *sp = c->p->sp;
	struct bgp_linger *l = xcalloc(1, sizeof(*l));

	conn_flush(c);
	l->sp = sp;
	l->s = c->s;
	l->buf = c->obuf;
	l->len = c->olen;
	c->obuf = NULL;
	c->olen = c->ocap = 0;
	l->next = sp->lingering;
	if (l->next != NULL)
		l->next->prev = l;
	sp->lingering = l;
	timer_init(&l->tm, sp->sim, &sp->timers, linger_expired, l);
	timer_start(&l->tm, BGP_LINGER);
	stream_set_cb(l->s, &linger_cb, l);
	linger_push(l);
}

void
bgp_linger_free_all(struct bgp_speaker *sp)
{
	while (sp->lingering != NULL) {
		stream_abort(sp->lingering->s);
		linger_free(sp->lingering);
	}
}

void
bgp_conn_send(struct bgp_conn *c, const uint8_t *msg, size_t len)
{
	size_t n = 0;

	if (c->s == NULL)
		return;
	/* in the session's AS number size (an OPEN's does not matter) */
	bgp_trace_msg(c->p, true, c->peer_as4 || (len > BGP_HDR_LEN - 1 &&
	    msg[18] == BGP_OPEN), msg, len, NULL);
	if (c->olen == 0)
		n = stream_send(c->s, msg, len);
	if (n < len) {
		if (c->olen + len - n > c->ocap) {
			c->ocap = (c->olen + len - n) * 2;
			c->obuf = xrealloc(c->obuf, c->ocap);
		}
		memcpy(c->obuf + c->olen, msg + n, len - n);
		c->olen += len - n;
		if (c->olen > c->obuf_peak)
			c->obuf_peak = c->olen;
	}
	if (len > BGP_HDR_LEN - 1) {
		bgp_fsm_msg_out(c->fsm, msg[18]);
		c->p->st.msg_out[msg[18] < BGP_TYPE_MAX ? msg[18] : 0]++;
		c->p->st.msgs_out++;
	}
}

/* ---- connections ---- */

struct bgp_conn *
bgp_conn_new(struct bgp_peer *p, int slot)
{
	struct bgp_conn *c = xcalloc(1, sizeof(*c));
	char name[96], a[16];

	c->p = p;
	peer_name(p, a);
	snprintf(name, sizeof(name), "bgp/%s/%s%s", node_name(p->sp->node),
	    a, slot == 0 ? "" : "/in");
	c->fsm = bgp_fsm_new(p->sp->sim, &p->fsm_cfg, &conn_ops, c, name);
	p->c[slot] = c;
	return c;
}

void
bgp_conn_free(struct bgp_conn *c)
{
	if (c->s != NULL)
		stream_abort(c->s);
	sim_cancel(c->p->sp->sim, c->fail_ev);
	bgp_fsm_free(c->fsm);
	free(c->rbuf);
	free(c->obuf);
	free(c);
}

/* Connections done with (a collision's loser, a max-prefix teardown's),
 * freed from an event of their own: never inside their FSM's call. */
static void
grave_reap(struct sim *sim, void *arg)
{
	struct bgp_speaker *sp = arg;
	size_t i;

	(void)sim;
	for (i = 0; i < sp->n_grave; i++)
		bgp_conn_free(sp->grave[i]);
	sp->n_grave = 0;
}

void
bgp_conn_bury(struct bgp_conn *c)
{
	struct bgp_peer *p = c->p;
	struct bgp_speaker *sp = p->sp;

	if (c->dead)
		return;
	c->dead = true;
	/* no stream callback nor FSM timer may reach it any more */
	if (c->s != NULL)
		stream_abort(c->s);
	c->s = NULL;
	sim_cancel(sp->sim, c->fail_ev);
	bgp_fsm_halt(c->fsm);
	if (p->c[0] == c)
		p->c[0] = NULL;
	if (p->c[1] == c)
		p->c[1] = NULL;
	sp->grave = bgp_grow_pow2(sp->grave, sp->n_grave, sizeof(*sp->grave));
	sp->grave[sp->n_grave++] = c;
	if (!sim_is_pending(sp->sim, sp->reap_ev))
		sp->reap_ev = sim_schedule(sp->sim, 0, grave_reap, sp);
}

void
bgp_speaker_reap_now(struct bgp_speaker *sp)
{
	sim_cancel(sp->sim, sp->reap_ev);
	grave_reap(sp->sim, sp);
	free(sp->grave);
	sp->grave = NULL;
}

static void
conn_drop_stream(struct bgp_conn *c, bool graceful)
{
	if (c->s != NULL) {
		if (graceful)
			linger_start(c);
		else
			stream_abort(c->s);
	}
	c->s = NULL;
	c->rlen = 0;
	c->olen = 0;
}

static void
conn_failed_ev(struct sim *sim, void *arg)
{
	struct bgp_conn *c = arg;

	(void)sim;
	if (!c->dead && c->s == NULL &&
	    bgp_fsm_state(c->fsm) == BGP_ST_CONNECT)
		bgp_fsm_event(c->fsm, BGP_EV_TCP_FAILS, NULL);
}

/*
 * The peer's transport rules: the TTL our segments go with and the lowest
 * accepted (GTSM, RFC 5082: 255 out, 256 - hops in), and its RFC 2385 key.
 */
static void
peer_transport(const struct bgp_peer *p, uint8_t *ttl, uint8_t *min_ttl,
    uint8_t *keylen)
{
	*keylen = (uint8_t)strnlen(p->cfg.md5_key, BGP_MD5_KEY_MAX);
	if (p->cfg.gtsm_hops != 0) {
		*ttl = 255;
		*min_ttl = (uint8_t)(256 - p->cfg.gtsm_hops);
		return;
	}
	*ttl = p->cfg.ttl != 0 ? p->cfg.ttl : p->ebgp ? 1 : 64;
	*min_ttl = 0;
}

/* The listener applies the peer's rules from its SYN on. */
static void
peer_listen(struct bgp_peer *p)
{
	struct stream_peer_opts po;

	memset(&po, 0, sizeof(po));
	peer_transport(p, &po.ttl, &po.min_ttl, &po.md5_keylen);
	po.md5_key = (const uint8_t *)p->cfg.md5_key;
	stream_listener_set_peer(bgp_speaker_listener(p->sp, bgp_peer_host(p)),
	    p->cfg.addr, &po);
}

static void
op_connect(struct bgp_fsm *f, void *ctx)
{
	struct bgp_conn *c = ctx;
	struct bgp_peer *p = c->p;
	struct stream_addr ra = { p->cfg.addr, BGP_PORT };
	struct stream_opts o;

	(void)f;
	memset(&o, 0, sizeof(o));
	o.vrf = p->sp->cfg.vrf;
	peer_transport(p, &o.ttl, &o.min_ttl, &o.md5_keylen);
	o.md5_key = (const uint8_t *)p->cfg.md5_key;
	o.nodelay = 1;
	o.tcp = p->sp->cfg.tcp;
	conn_drop_stream(c, false);
	c->outgoing = true;
	c->s = stream_connect(bgp_peer_host(p), &ra, &o, &conn_cb, c);
	/* a failure still pending from an earlier connect is that
	 * connect's: bgp_conn_free cancels only the one it knows */
	sim_cancel(p->sp->sim, c->fail_ev);
	if (c->s == NULL)
		c->fail_ev = sim_schedule(p->sp->sim, 0, conn_failed_ev,
		    c);
}

static void
op_close(struct bgp_fsm *f, const struct bgp_fsm_notif *sent, void *ctx)
{
	(void)f;
	conn_drop_stream(ctx, sent != NULL);
}

static void
op_open(struct bgp_fsm *f, uint16_t hold_s, void *ctx)
{
	struct bgp_conn *c = ctx;
	struct bgp_speaker *sp = c->p->sp;
	struct bgp_msg m;
	uint8_t out[BGP_MAX_LEN];
	size_t len;

	(void)f;
	memset(&m, 0, sizeof(m));
	m.type = BGP_OPEN;
	bgp_open_init(&m.u.open, sp->cfg.asn, hold_s, sp->cfg.router_id);
	bgp_gr_open_caps(c->p, &m.u.open.caps);
	len = bgp_encode(&m, true, out);
	bgp_conn_send(c, out, len);
}

static void
op_ka(struct bgp_fsm *f, void *ctx)
{
	uint8_t out[BGP_HDR_LEN];

	(void)f;
	bgp_conn_send(ctx, out, bgp_encode_keepalive(out));
}

static void
op_notif(struct bgp_fsm *f, const struct bgp_fsm_notif *n, void *ctx)
{
	struct bgp_conn *c = ctx;
	uint8_t out[BGP_MAX_LEN];
	size_t len;

	(void)f;
	len = bgp_encode_notification(n->code, n->subcode, n->data,
	    n->data_len, out);
	c->p->st.last_notif_sent[0] = n->code;
	c->p->st.last_notif_sent[1] = n->subcode;
	bgp_conn_send(c, out, len);
}

/* The peer's other live connection, if any. */
static struct bgp_conn *
conn_other(struct bgp_conn *c)
{
	struct bgp_peer *p = c->p;
	struct bgp_conn *o = p->c[0] == c ? p->c[1] : p->c[0];

	return o != NULL && !o->dead ? o : NULL;
}

/*
 * A second connection reaching Established becomes the main one, before
 * its Established is written: the loser the collision check could not
 * name yet (it was in OpenSent) is dumped first, with its Cease 6/7
 * (another FSM: allowed). One that never got so far (Connect, Active:
 * still trying to reach a peer that came back and connected first) has
 * no OPEN to answer: it is dropped without a word, so the trace's last
 * word on the session is this Established.
 */
static void
promote(struct bgp_conn *c)
{
	struct bgp_peer *p = c->p;
	struct bgp_conn *old = p->c[0];

	if (old != NULL) {
		if (bgp_fsm_state(old->fsm) >= BGP_ST_OPENSENT)
			bgp_fsm_event(old->fsm, BGP_EV_COLLISION_DUMP, NULL);
		bgp_conn_bury(old);
	}
	p->c[1] = NULL;
	p->c[0] = c;
}

static void
op_up(struct bgp_fsm *f, void *ctx)
{
	struct bgp_conn *c = ctx;
	struct bgp_peer *p = c->p;
	struct bgp_speaker *sp = p->sp;
	struct bgp_peer_info pi;
	struct stream_info si;
	sim_time now = sim_now(sp->sim);

	(void)f;
	SIM_ASSERT(p->c[0] == c, "bgp: the session up is not the main one");
	stream_get_info(c->s, &si);
	p->local_addr = si.local.addr;
	p->rib_id = bgp_gr_up(p, c);
	p->up = c;
	memset(&pi, 0, sizeof(pi));
	pi.addr = p->cfg.addr;
	pi.asn = p->cfg.remote_as;
	pi.bgp_id = c->peer_id;
	pi.established = now;
	if (p->rib_id == 0) {
		p->rib_id = bgp_rib_peer_add(sp->rib, &pi);
	} else {
		/* kept through a restart: this session's identifier and age */
		sp->busy++;
		bgp_rib_peer_update(sp->rib, p->rib_id, &pi);
		sp->busy--;
		/*
		 * What the other peers were sent of its kept routes is looked
		 * at again: the same routes coming back change nothing in the
		 * Loc-RIB, so no change would export them otherwise.
		 */
		bgp_export_peer_routes(p);
	}
	if (p->st.first_established < 0) {
		p->st.first_established = now;
		p->st.time_to_established = now - p->st.started;
	}
	p->st.last_established = now;
	p->eor_sent = false;
	p->warned = false;	/* warning-only max-prefix: once per session */
	bgp_export_full(p);
	bgp_peer_tell_watchers(p, true);
}

static void
op_down(struct bgp_fsm *f, const struct bgp_fsm_reason *r, void *ctx)
{
	(void)f;
	bgp_peer_session_down(ctx, r);
}

void
bgp_peer_session_down(struct bgp_conn *c, const struct bgp_fsm_reason *r)
{
	struct bgp_peer *p = c->p;
	struct bgp_speaker *sp = p->sp;
	uint16_t id = p->rib_id;

	p->up = NULL;
	p->rib_id = 0;
	bgp_prefix_q_clear(&p->pend);
	p->held = p->eor_pending = p->eorr_pending = false;
	timer_stop(&p->mrai_tm);
	p->st.flaps++;
	p->st.last_down = sim_now(sp->sim);
	if (id != 0 && !bgp_gr_down(p, c, r, id)) {
		sp->busy++;
		bgp_rib_peer_remove(sp->rib, id);
		sp->busy--;
		bgp_export_flush_all(sp);
	}
	bgp_peer_tell_watchers(p, false);
}

static void
op_state(struct bgp_fsm *f, enum bgp_fsm_state old, enum bgp_fsm_state st,
    const char *reason, void *ctx)
{
	struct bgp_conn *c = ctx;
	struct bgp_peer *p = c->p;
	struct bgp_conn *other;
	char a[16];

	(void)f;
	if (old == BGP_ST_IDLE && c == p->c[0] && p->sp->started)
		peer_listen(p);
	if (st == BGP_ST_ESTABLISHED && p->c[0] != c)
		promote(c);
	peer_name(p, a);
	other = conn_other(c);
	if (other != NULL && bgp_fsm_state(other->fsm) >= BGP_ST_OPENCONFIRM) {
		/*
		 * The session is the other connection's: this one's moves (a
		 * collision's loser, a restarted peer's refused connection)
		 * are told beside it, not as the session's state.
		 */
		char line[480];

		snprintf(line, sizeof(line), "bgp %s: second connection %s (%s)",
		    a, bgp_fsm_state_name[st], reason);
		trace_annotate(net_trace(node_net(p->sp->node)),
		    sim_now(p->sp->sim), node_id(p->sp->node), line);
	} else {
		trace_session(net_trace(node_net(p->sp->node)),
		    sim_now(p->sp->sim), TRP_BGP, node_id(p->sp->node), a,
		    bgp_fsm_state_name[st], reason);
	}
	if (st == BGP_ST_IDLE && p->c[1] == c)
		bgp_conn_bury(c);
}

static const struct bgp_fsm_ops conn_ops = {
	.tcp_connect = op_connect,
	.tcp_close = op_close,
	.send_open = op_open,
	.send_keepalive = op_ka,
	.send_notification = op_notif,
	.session_up = op_up,
	.session_down = op_down,
	.state_changed = op_state,
};

/* ---- receiving ---- */

static void
rx_open(struct bgp_conn *c, const struct bgp_open *o)
{
	struct bgp_peer *p = c->p;
	struct bgp_speaker *sp = p->sp;
	struct bgp_fsm_arg arg;
	struct bgp_conn *other;
	uint32_t asn = bgp_open_asn(o);
	enum bgp_collision col;

	memset(&arg, 0, sizeof(arg));
	arg.notif.code = BGP_ERR_OPEN;
	if (asn != p->cfg.remote_as) {
		arg.notif.subcode = BGP_ERR_OPEN_PEER_AS;
		bgp_fsm_event(c->fsm, BGP_EV_OPEN_ERR, &arg);
		return;
	}
	/* RFC 6286 2.2: non-zero, and unlike ours within an AS */
	if (o->bgp_id == 0 || (!p->ebgp && o->bgp_id == sp->cfg.router_id)) {
		arg.notif.subcode = BGP_ERR_OPEN_BGP_ID;
		bgp_fsm_event(c->fsm, BGP_EV_OPEN_ERR, &arg);
		return;
	}
	c->peer_as4 = o->caps.as4;
	c->peer_rr = o->caps.route_refresh;
	c->peer_id = o->bgp_id;
	bgp_gr_rx_caps(c, &o->caps);
	other = conn_other(c);
	if (other != NULL) {
		col = bgp_fsm_collision_of(c->fsm, other->fsm,
		    sp->cfg.router_id, o->bgp_id, sp->cfg.asn, asn);
		if (col == BGP_COLLISION_DUMP_RX) {
			bgp_fsm_event(c->fsm, BGP_EV_COLLISION_DUMP, NULL);
			return;
		}
		if (col == BGP_COLLISION_DUMP_OTHER)
			bgp_fsm_event(other->fsm, BGP_EV_COLLISION_DUMP, NULL);
	}
	bgp_fsm_rx_open(c->fsm, o->hold_s);
}

static enum bgp_fsm_event
err_event(uint8_t code)
{
	switch (code) {
	case BGP_ERR_HEADER:
		return BGP_EV_HEADER_ERR;
	case BGP_ERR_OPEN:
		return BGP_EV_OPEN_ERR;
	default:
		return BGP_EV_UPDATE_ERR;
	}
}

static void
rx_msg(struct bgp_conn *c, const uint8_t *buf, size_t len)
{
	struct bgp_peer *p = c->p;
	struct bgp_fsm_arg arg;
	struct bgp_msg m;
	struct bgp_result r;
	enum bgp_action act;

	memset(&arg, 0, sizeof(arg));
	act = bgp_decode(buf, len, c->peer_as4, &m, &r);
	p->st.last_rx = sim_now(p->sp->sim);
	bgp_fsm_msg_in(c->fsm, buf[18]);
	p->st.msg_in[buf[18] < BGP_TYPE_MAX ? buf[18] : 0]++;
	p->st.msgs_in++;
	if (act == BGP_ACT_RESET) {
		bgp_trace_msg(p, false, c->peer_as4, buf, len, NULL);
		arg.notif.code = r.notify.code;
		arg.notif.subcode = r.notify.subcode;
		arg.notif.data = r.notify.data;
		arg.notif.data_len = r.notify.data_len;
		bgp_fsm_event(c->fsm, err_event(r.notify.code), &arg);
		return;
	}
	bgp_trace_msg(p, false, c->peer_as4, buf, len, &m);
	switch (m.type) {
	case BGP_OPEN:
		rx_open(c, &m.u.open);
		break;
	case BGP_KEEPALIVE:
		bgp_fsm_event(c->fsm, BGP_EV_KEEPALIVE, NULL);
		break;
	case BGP_NOTIFICATION:
		p->st.last_notif_rcvd[0] = m.u.notification.code;
		p->st.last_notif_rcvd[1] = m.u.notification.subcode;
		arg.notif.code = m.u.notification.code;
		arg.notif.subcode = m.u.notification.subcode;
		arg.notif.data = m.u.notification.data;
		arg.notif.data_len = m.u.notification.data_len;
		bgp_fsm_event(c->fsm, m.u.notification.code == BGP_ERR_OPEN &&
		    m.u.notification.subcode == BGP_ERR_OPEN_VERSION ?
		    BGP_EV_NOTIF_VER_ERR : BGP_EV_NOTIF, &arg);
		break;
	case BGP_UPDATE:
		bgp_fsm_event(c->fsm, BGP_EV_UPDATE, NULL);
		if (p->up == c && bgp_fsm_state(c->fsm) == BGP_ST_ESTABLISHED) {
			bgp_import_update(p, &m, act);
			if (p->up == c && bgp_update_is_eor(&m.u.update))
				bgp_gr_eor(p);
		}
		break;
	case BGP_ROUTE_REFRESH:
		if (p->up == c && m.u.refresh.afi == BGP_AFI_IPV4 &&
		    m.u.refresh.safi == BGP_SAFI_UNICAST)
			bgp_gr_refresh_rx(p, &m.u.refresh);
		break;
	default:
		break;
	}
	bgp_msg_free(&m);
}

static void
conn_process(struct bgp_conn *c, struct stream *s)
{
	struct bgp_fsm_arg arg;
	struct bgp_notify err;
	size_t pos = 0, len;

	while (c->s == s) {
		switch (bgp_frame(c->rbuf + pos, c->rlen - pos, &len, &err)) {
		case BGP_FRAME_MORE:
			memmove(c->rbuf, c->rbuf + pos, c->rlen - pos);
			c->rlen -= pos;
			return;
		case BGP_FRAME_BAD:
			memset(&arg, 0, sizeof(arg));
			arg.notif.code = err.code;
			arg.notif.subcode = err.subcode;
			arg.notif.data = err.data;
			arg.notif.data_len = err.data_len;
			bgp_fsm_event(c->fsm, BGP_EV_HEADER_ERR, &arg);
			return;
		case BGP_FRAME_OK:
			rx_msg(c, c->rbuf + pos, len);
			pos += len;
			break;
		}
	}
}

static void
conn_rx(struct stream *s, void *ctx)
{
	struct bgp_conn *c = ctx;
	size_t n;

	while (c->s == s) {
		if (c->rcap - c->rlen < BGP_MAX_LEN) {
			c->rcap = c->rlen + 4 * BGP_MAX_LEN;
			c->rbuf = xrealloc(c->rbuf, c->rcap);
		}
		n = stream_read(s, c->rbuf + c->rlen, c->rcap - c->rlen);
		if (n == 0)
			break;
		c->rlen += n;
		conn_process(c, s);
	}
	if (c->s == s && stream_eof(s)) {
		conn_drop_stream(c, true);
		bgp_fsm_event(c->fsm, BGP_EV_TCP_FAILS, NULL);
	}
}

static void
conn_connected(struct stream *s, void *ctx)
{
	struct bgp_conn *c = ctx;

	(void)s;
	bgp_fsm_event(c->fsm, BGP_EV_TCP_CR_ACKED, NULL);
	conn_flush(c);
}

static void
conn_sent(struct stream *s, size_t freed, void *ctx)
{
	struct bgp_conn *c = ctx;

	(void)s;
	(void)freed;
	conn_flush(c);
	if (c->p->up == c && c->p->held && c->olen < BGP_OBUF_HIGH)
		bgp_export_resume(c->p);
}

static void
conn_gone(struct stream *s, enum stream_err err, void *ctx)
{
	struct bgp_conn *c = ctx;

	(void)err;
	if (c->s != s)
		return;
	c->s = NULL;
	c->rlen = c->olen = 0;
	bgp_fsm_event(c->fsm, BGP_EV_TCP_FAILS, NULL);
}

static void
conn_closed(struct stream *s, void *ctx)
{
	conn_gone(s, STREAM_OK, ctx);
}

static const struct stream_cb conn_cb = {
	.on_connected = conn_connected,
	.on_receive = conn_rx,
	.on_sent = conn_sent,
	.on_closed = conn_closed,
	.on_error = conn_gone,
};

void
bgp_on_accept(struct stream_listener *l, struct stream *s, void *ctx)
{
	struct bgp_speaker *sp = ctx;
	struct stream_info si;
	struct bgp_peer *p;
	struct bgp_conn *c;
	uint8_t ttl, min_ttl, keylen;

	stream_get_info(s, &si);
	p = bgp_peer_find(sp, si.remote.addr);
	/* a neighbour of another transport is not this listener's */
	if (p == NULL || p->c[0] == NULL ||
	    bgp_speaker_listener(sp, bgp_peer_host(p)) != l) {
		stream_abort(s);	/* not a configured neighbour */
		return;
	}
	c = p->c[0];
	if (bgp_fsm_state(c->fsm) == BGP_ST_ACTIVE && c->s == NULL) {
		/* waiting for the peer (passive, or after a failed connect) */
	} else if (p->c[1] == NULL && bgp_fsm_accepts(c->fsm)) {
		c = bgp_conn_new(p, 1);
		bgp_fsm_event(c->fsm, BGP_EV_MANUAL_START_PASSIVE, NULL);
	} else {
		stream_abort(s);
		return;
	}
	/* the listener is shared: this peer's TTL rules, as a socket needs */
	peer_transport(p, &ttl, &min_ttl, &keylen);
	stream_set_ttl(s, ttl, min_ttl);
	c->s = s;
	c->outgoing = false;
	stream_set_cb(s, &conn_cb, c);
	bgp_fsm_event(c->fsm, BGP_EV_TCP_CONFIRMED, NULL);
}

/* ---- BFD and max-prefix ---- */

void
bgp_bfd_changed(struct bfd_session *s, enum bfd_state old, enum bfd_state st,
    enum bfd_diag diag, void *ctx)
{
	struct bgp_peer *p = ctx;
	struct bgp_fsm_arg arg;
	int i;

	/* a node powered off has dropped its sessions already */
	if (old != BFD_UP || st == BFD_UP || !node_powered(p->sp->node))
		return;
	/*
	 * RFC 5882 3.2: AdminDown, ours or the neighbour's (it reaches us as
	 * Down with diag 3 and the remote state AdminDown), says nothing about
	 * the forwarding path: the BGP session stays.
	 */
	if (st == BFD_ADMIN_DOWN || (diag == BFD_DIAG_NEIGHBOR_DOWN &&
	    bfd_session_remote_state(s) == BFD_ADMIN_DOWN))
		return;
	memset(&arg, 0, sizeof(arg));
	arg.notif.code = BGP_ERR_CEASE;
	arg.notif.subcode = BGP_CEASE_BFD_DOWN;	/* RFC 9384 */
	for (i = 0; i < 2; i++) {
		struct bgp_conn *c = p->c[i];

		if (c != NULL && !c->dead &&
		    bgp_fsm_state(c->fsm) >= BGP_ST_OPENSENT)
			bgp_fsm_event(c->fsm, BGP_EV_AUTO_STOP, &arg);
	}
}

/*
 * Past the limit: Cease 6/1 and down (AutomaticStop), the FSM restarting
 * itself after the restart time through its IdleHoldTimer (damped if
 * configured), or staying Idle until a ManualStart.
 */
void
bgp_peer_max_prefix_check(struct bgp_peer *p)
{
	struct bgp_fsm_arg arg;
	struct bgp_conn *c = p->up;
	char line[160], a[16];
	int i;

	if (p->cfg.max_prefix == 0 || c == NULL ||
	    bgp_rib_in_count(p->sp->rib, p->rib_id) <= p->cfg.max_prefix)
		return;
	peer_name(p, a);
	if (p->cfg.max_prefix_warning_only) {
		if (!p->warned) {
			snprintf(line, sizeof(line), "bgp %s: more than %u "
			    "prefixes (warning only)", a, p->cfg.max_prefix);
			trace_annotate(net_trace(node_net(p->sp->node)),
			    sim_now(p->sp->sim), node_id(p->sp->node), line);
		}
		p->warned = true;
		return;
	}
	memset(&arg, 0, sizeof(arg));
	arg.notif.code = BGP_ERR_CEASE;
	arg.notif.subcode = BGP_CEASE_MAX_PREFIX;
	arg.idle_hold = p->cfg.max_prefix_restart > 0 ?
	    p->cfg.max_prefix_restart : -1;
	p->st.max_prefix_teardowns++;
	bgp_fsm_event(c->fsm, BGP_EV_AUTO_STOP, &arg);
	/* a second connection in progress goes too, for good */
	arg.idle_hold = -1;
	for (i = 0; i < 2; i++)
		if (p->c[i] != NULL && p->c[i] != c && !p->c[i]->dead &&
		    bgp_fsm_state(p->c[i]->fsm) != BGP_ST_IDLE)
			bgp_fsm_event(p->c[i]->fsm, BGP_EV_AUTO_STOP, &arg);
}

