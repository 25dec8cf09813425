/*
 * bgp_export.c - routes in and out of a speaker: an UPDATE through the
 * AS-path loop check, import policy and max-prefix into the Adj-RIB-In;
 * the Loc-RIB's changes, per established peer, through the rules of RFC
 * 4271 5.1 and 9.1.3 (with route reflection, RFC 4456) and export policy
 * into the Adj-RIB-Out diff and packed UPDATEs, paced by the peer's MRAI
 * (9.2.1.1).
 *
 * The change feed only queues prefixes (its listeners must not change the
 * tables); the queue is flushed once the change that fed it returns.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bgp_intern.h"
#include "bgp_policy.h"
#include "bgp_rib.h"
#include "bgp_speaker_int.h"
#include "net.h"
#include "util.h"

void
bgp_prefix_q_free(struct bgp_prefix_q *q)
{
	free(q->v);
	q->v = NULL;
	q->n = q->cap = q->head = q->sorted = 0;
}

void
bgp_prefix_q_clear(struct bgp_prefix_q *q)
{
	q->n = q->head = q->sorted = 0;
}

static void
q_push(struct bgp_prefix_q *q, uint32_t addr, uint8_t len)
{
	if (q->n == q->cap) {
		q->cap = q->cap != 0 ? q->cap * 2 : 64;
		q->v = xrealloc(q->v, q->cap * sizeof(*q->v));
	}
	q->v[q->n].addr = addr;
	q->v[q->n].len = len;
	q->n++;
}

static int
pfx_cmp(const void *a, const void *b)
{
	const struct bgp_prefix4 *x = a, *y = b;

	if (x->addr != y->addr)
		return x->addr < y->addr ? -1 : 1;
	return (int)x->len - (int)y->len;
}

static void
on_change(struct bgp_rib *br, const struct bgp_change *ch, void *ctx)
{
	struct bgp_speaker *sp = ctx;
	size_t i;

	(void)br;
	for (i = 0; i < sp->n_peers; i++)
		if (sp->peers[i]->up != NULL)
			q_push(&sp->peers[i]->pend, ch->prefix, ch->len);
}

void
bgp_export_init(struct bgp_speaker *sp)
{
	bgp_rib_add_listener(sp->rib, on_change, sp);
}

/* ---- import ---- */

static uint32_t
cluster_id(const struct bgp_speaker *sp)
{
	return sp->cfg.cluster_id != 0 ? sp->cfg.cluster_id :
	    sp->cfg.router_id;
}

/* A new set: a without ORIGINATOR_ID and CLUSTER_LIST. */
static struct bgp_attrs *
strip_rr(const struct bgp_attrs *a)
{
	struct bgp_attrs fixed = *a;
	struct bgp_attrs_var v;

	bgp_attrs_var(a, &v);
	fixed.has &= ~(BGP_HAS(BGP_ATTR_ORIGINATOR_ID) |
	    BGP_HAS(BGP_ATTR_CLUSTER_LIST));
	return bgp_attrs_new(&fixed, &v);
}

/*
 * RFC 4456 8: a route that carries our router id as its ORIGINATOR_ID, or
 * our cluster id in its CLUSTER_LIST, has been round a reflection loop.
 */
static bool
rr_loop(const struct bgp_speaker *sp, const struct bgp_attrs *a)
{
	struct bgp_attrs_var v;
	uint32_t cid = cluster_id(sp);

	if ((a->has & BGP_HAS(BGP_ATTR_ORIGINATOR_ID)) &&
	    bgp_attrs_originator(a) == sp->cfg.router_id)
		return true;
	bgp_attrs_var(a, &v);
	for (uint16_t i = 0; i < v.n_cluster; i++)
		if (v.cluster[i] == cid)
			return true;
	return false;
}

static unsigned
path_count_as(const struct bgp_attrs *a, uint32_t asn)
{
	unsigned i, k, n = 0;

	for (i = 0; i < a->path_len; i += 1 + BGP_SEG_N(a->v[i]))
		for (k = 1; k <= BGP_SEG_N(a->v[i]) && i + k < a->path_len;
		    k++)
			if (a->v[i + k] == asn)
				n++;
	return n;
}

static void
import_withdraw(struct bgp_peer *p, const struct bgp_prefix4 *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		bgp_rib_prefetch_ahead(p->sp->rib, v, n, i);
		if (bgp_rib_withdraw(p->sp->rib, p->rib_id, v[i].addr,
		    v[i].len) == 0)
			p->st.withdrawn_in++;
	}
}

/*
 * One announced prefix; false if the session went down (max-prefix). na
 * is interned into *base the first time a prefix takes it as it is, and
 * that one set serves every such prefix of the message; a prefix whose
 * attributes the import policy changed gets its own.
 */
static bool
import_one(struct bgp_peer *p, const struct bgp_prefix4 *pf,
    const struct bgp_attrs *na, const struct bgp_attrs **base)
{
	struct bgp_speaker *sp = p->sp;
	struct bgp_intern *it = bgp_rib_intern(sp->rib);
	const struct bgp_attrs *ia;
	struct bgp_pol_result res;
	struct bgp_pol_route rt;
	enum bgp_pol_verdict v;

	memset(&res, 0, sizeof(res));
	if (p->cfg.import != NULL) {
		memset(&rt, 0, sizeof(rt));
		rt.addr = pf->addr;
		rt.len = pf->len;
		rt.dir = BGP_POL_IMPORT;
		rt.peer_as = p->cfg.remote_as;
		rt.local_as = sp->cfg.asn;
		rt.self_nh = p->local_addr;
		v = bgp_policy_eval(p->cfg.import, &rt, na, &res, NULL, 0);
	} else {
		v = bgp_policy_absent(p->ebgp, sp->cfg.rfc8212);
	}
	if (v == BGP_POL_REJECT) {
		p->st.rejected_policy++;
		bgp_rib_withdraw(sp->rib, p->rib_id, pf->addr, pf->len);
		return true;
	}
	if (res.attrs != NULL) {
		ia = bgp_intern_take(it, res.attrs);
		bgp_rib_update(sp->rib, p->rib_id, pf->addr, pf->len, ia);
		bgp_intern_put(it, ia);
	} else {
		if (*base == NULL)
			*base = bgp_intern_get(it, na);
		bgp_rib_update(sp->rib, p->rib_id, pf->addr, pf->len, *base);
	}
	p->st.prefixes_in++;
	bgp_peer_max_prefix_check(p);
	return p->up != NULL;
}

void
bgp_import_update(struct bgp_peer *p, struct bgp_msg *m, enum bgp_action act)
{
	struct bgp_speaker *sp = p->sp;
	struct bgp_update *u = &m->u.update;
	struct bgp_attrs *na = NULL;
	const struct bgp_attrs *base = NULL;	/* na interned, once */
	bool loop = false, self_nh = false;
	size_t i;

	p->st.updates_in++;
	/*
	 * RFC 7606 7.9, 7.10: from an eBGP peer ORIGINATOR_ID and
	 * CLUSTER_LIST are discarded, malformed or not.
	 */
	if (act == BGP_ACT_WITHDRAW && p->ebgp && u->rr_withdraw_only)
		act = BGP_ACT_DISCARD;
	sp->busy++;
	import_withdraw(p, u->withdrawn, u->n_withdrawn);
	import_withdraw(p, u->mp_withdrawn, u->n_mp_withdrawn);
	if (u->attrs != NULL && act != BGP_ACT_WITHDRAW) {
		na = p->up->peer_as4 ? bgp_attrs_dup(u->attrs) :
		    bgp_attrs_from_as2(u->attrs);
		/* RFC 4271 5.1.5: LOCAL_PREF is iBGP's */
		if (p->ebgp)
			na->has &= ~BGP_HAS(BGP_ATTR_LOCAL_PREF);
		if (u->has_mp_reach) {
			na->next_hop = u->mp_next_hop;
			na->has |= BGP_HAS(BGP_ATTR_NEXT_HOP);
		}
		if (p->ebgp && (na->has & (BGP_HAS(BGP_ATTR_ORIGINATOR_ID) |
		    BGP_HAS(BGP_ATTR_CLUSTER_LIST)))) {
			struct bgp_attrs *s2 = strip_rr(na);

			free(na);
			na = s2;
		}
		loop = path_count_as(na, sp->cfg.asn) > p->cfg.allowas_in ||
		    (!p->ebgp && rr_loop(sp, na));
		/*
		 * RFC 4271 6.3: a NEXT_HOP that is one of our own addresses
		 * is semantically incorrect; the route is ignored, the
		 * session kept.
		 */
		self_nh = (na->has & BGP_HAS(BGP_ATTR_NEXT_HOP)) != 0 &&
		    net_node_by_addr(node_net(sp->node), na->next_hop) ==
		    sp->node;
	}
	if (na == NULL || loop || self_nh) {
		/*
		 * treat-as-withdraw, our own AS in the path (9.1.2) or our
		 * own address as the next hop
		 */
		if (loop)
			p->st.rejected_loop += u->n_nlri + u->n_mp_nlri;
		else if (self_nh)
			p->st.rejected_nh += u->n_nlri + u->n_mp_nlri;
		import_withdraw(p, u->nlri, u->n_nlri);
		import_withdraw(p, u->mp_nlri, u->n_mp_nlri);
	} else {
		for (i = 0; i < u->n_nlri; i++) {
			bgp_rib_prefetch_ahead(sp->rib, u->nlri, u->n_nlri, i);
			if (!import_one(p, &u->nlri[i], na, &base))
				goto out;
		}
		for (i = 0; i < u->n_mp_nlri; i++) {
			bgp_rib_prefetch_ahead(sp->rib, u->mp_nlri,
			    u->n_mp_nlri, i);
			if (!import_one(p, &u->mp_nlri[i], na, &base))
				goto out;
		}
	}
out:
	if (base != NULL)
		bgp_intern_put(bgp_rib_intern(sp->rib), base);
	free(na);
	sp->busy--;
	bgp_export_flush_all(sp);
}

/* ---- export ---- */

static bool
has_comm(const struct bgp_attrs *a, uint32_t c)
{
	struct bgp_attrs_var v;
	uint16_t i;

	if ((a->has & BGP_HAS(BGP_ATTR_COMMUNITIES)) == 0)
		return false;
	bgp_attrs_var(a, &v);
	for (i = 0; i < v.n_comm; i++)
		if (v.comm[i] == c)
			return true;
	return false;
}

static void
emit_none(const uint8_t *msg, size_t len, void *arg)
{
	(void)msg;
	(void)len;
	(void)arg;
}

/*
 * Whether an UPDATE of a (as p's session writes it: 2-octet peers get
 * AS_TRANS and AS4_PATH) and prefix/len fits in 4,096 bytes. A path word
 * is at most 6 bytes on the wire (2 in AS_PATH, 4 in AS4_PATH), any other
 * word 4, and the fixed attributes with all headers well under 256: sets
 * that small skip the trial encoding.
 */
static bool
encodable(const struct bgp_peer *p, const struct bgp_attrs *a,
    uint32_t prefix, uint8_t len)
{
	struct bgp_prefix4 pf;
	struct bgp_attrs *as2 = NULL;
	bool as4 = p->up == NULL || p->up->peer_as4;
	int n;

	if (2 * bgp_attrs_size(a) + 256 <= BGP_MAX_LEN - 64)
		return true;
	pf.addr = prefix;
	pf.len = len;
	if (!as4)
		as2 = bgp_attrs_to_as2(a);
	n = bgp_pack_announce(as2 != NULL ? as2 : a, as4, &pf, 1, emit_none,
	    NULL);
	free(as2);
	return n > 0;
}

static void
unsendable(struct bgp_peer *p, uint32_t prefix, uint8_t len, size_t n)
{
	char line[160], a[16], pfx[16];

	p->st.unsendable += n;
	wire_ip_str(p->cfg.addr, a);
	wire_ip_str(prefix, pfx);
	snprintf(line, sizeof(line), "bgp %s: %s/%u%s not sent, its UPDATE "
	    "does not fit in %u bytes", a, pfx, len, n > 1 ? " and others" : "",
	    BGP_MAX_LEN);
	trace_annotate(net_trace(node_net(p->sp->node)), sim_now(p->sp->sim),
	    node_id(p->sp->node), line);
}

/*
 * What peer p is to be sent for prefix/len, interned with a reference for
 * the caller, or NULL (withdraw or nothing).
 */
static const struct bgp_attrs *
export_attrs(struct bgp_peer *p, uint32_t prefix, uint8_t len)
{
	struct bgp_speaker *sp = p->sp;
	struct bgp_route r;
	struct bgp_attrs fixed, *na;
	struct bgp_attrs_var v;
	struct bgp_pol_result res;
	struct bgp_pol_route rt;
	enum bgp_pol_verdict verdict;
	uint32_t *path = NULL, *cl = NULL;
	bool local, reflect = false;

	if (!bgp_rib_best(sp->rib, prefix, len, &r) || r.peer == p->rib_id)
		return NULL;
	local = r.peer == BGP_PEER_LOCAL;
	if (has_comm(r.a, BGP_COMM_NO_ADVERTISE))
		return NULL;
	if (p->ebgp && (has_comm(r.a, BGP_COMM_NO_EXPORT) ||
	    has_comm(r.a, BGP_COMM_NO_EXPORT_SUBCONFED)))
		return NULL;
	/*
	 * 9.1.3: no iBGP route to an iBGP peer, unless we reflect it (RFC
	 * 4456 6): a client's to every other iBGP peer, a non-client's to
	 * the clients.
	 */
	if (!local && !r.ebgp && !p->ebgp) {
		struct bgp_peer *from = bgp_peer_by_rib(sp, r.peer);

		if (!p->cfg.rr_client && (from == NULL || !from->cfg.rr_client))
			return NULL;
		reflect = true;
	}
	if (bgp_origin_suppressed(sp, prefix, len, r.a))
		return NULL;
	fixed = *r.a;
	bgp_attrs_var(r.a, &v);
	if (reflect) {
		const struct bgp_peer_info *pi = bgp_rib_peer(sp->rib, r.peer);

		/* RFC 4456 8: the originator, and our cluster id first */
		if (!(fixed.has & BGP_HAS(BGP_ATTR_ORIGINATOR_ID))) {
			fixed.has |= BGP_HAS(BGP_ATTR_ORIGINATOR_ID);
			v.originator_id = pi != NULL ? pi->bgp_id : 0;
		}
		cl = xcalloc((size_t)v.n_cluster + 1, sizeof(*cl));
		cl[0] = cluster_id(sp);
		if (v.n_cluster > 0)
			memcpy(cl + 1, v.cluster, v.n_cluster * sizeof(*cl));
		v.cluster = cl;
		v.n_cluster++;
		fixed.has |= BGP_HAS(BGP_ATTR_CLUSTER_LIST);
	} else {
		/* non-transitive, and only a reflector sets them */
		fixed.has &= ~(BGP_HAS(BGP_ATTR_ORIGINATOR_ID) |
		    BGP_HAS(BGP_ATTR_CLUSTER_LIST));
	}
	if (p->ebgp) {
		uint16_t n = v.path_len;

		/* 5.1.2: our AS first in the leading AS_SEQUENCE */
		path = xcalloc((size_t)n + 2, sizeof(*path));
		if (n > 0 && BGP_SEG_TYPE(v.path[0]) == BGP_SEG_SEQUENCE &&
		    BGP_SEG_N(v.path[0]) < 255) {
			path[0] = BGP_SEG(BGP_SEG_SEQUENCE,
			    BGP_SEG_N(v.path[0]) + 1);
			path[1] = sp->cfg.asn;
			memcpy(path + 2, v.path + 1, (n - 1) * sizeof(*path));
			v.path_len = n + 1;
		} else {
			path[0] = BGP_SEG(BGP_SEG_SEQUENCE, 1);
			path[1] = sp->cfg.asn;
			if (n > 0)
				memcpy(path + 2, v.path, n * sizeof(*path));
			v.path_len = n + 2;
		}
		v.path = path;
		/* 5.1.3 and 5.1.4, 5.1.5 */
		fixed.next_hop = p->local_addr;
		fixed.has &= ~BGP_HAS(BGP_ATTR_LOCAL_PREF);
		if (!local)
			fixed.has &= ~BGP_HAS(BGP_ATTR_MED);
	} else {
		/* RFC 4456 10: a reflected route keeps its NEXT_HOP */
		if (local || (p->cfg.next_hop_self && !reflect))
			fixed.next_hop = p->local_addr;
		if ((fixed.has & BGP_HAS(BGP_ATTR_LOCAL_PREF)) == 0) {
			fixed.local_pref = 100;
			fixed.has |= BGP_HAS(BGP_ATTR_LOCAL_PREF);
		}
	}
	fixed.has |= BGP_HAS(BGP_ATTR_NEXT_HOP) | BGP_HAS(BGP_ATTR_AS_PATH);
	na = bgp_attrs_new(&fixed, &v);
	free(path);
	free(cl);
	if (!local && na->unknown_len > 0)
		bgp_attrs_set_partial(na);
	memset(&res, 0, sizeof(res));
	if (p->cfg.export != NULL) {
		memset(&rt, 0, sizeof(rt));
		rt.addr = prefix;
		rt.len = len;
		rt.dir = BGP_POL_EXPORT;
		rt.peer_as = p->cfg.remote_as;
		rt.local_as = sp->cfg.asn;
		rt.self_nh = p->local_addr;
		verdict = bgp_policy_eval(p->cfg.export, &rt, na, &res, NULL,
		    0);
	} else {
		verdict = bgp_policy_absent(p->ebgp, sp->cfg.rfc8212);
	}
	if (verdict == BGP_POL_REJECT) {
		free(na);
		return NULL;
	}
	if (res.attrs != NULL) {
		free(na);
		na = res.attrs;
	}
	/*
	 * Too long for one UPDATE after our prepend, LOCAL_PREF or the AS2
	 * form: withdrawn from p rather than recorded as sent and never seen.
	 */
	if (!encodable(p, na, prefix, len)) {
		unsendable(p, prefix, len, 1);
		free(na);
		return NULL;
	}
	return bgp_intern_take(bgp_rib_intern(sp->rib), na);
}

struct ann {
	const struct bgp_attrs *ia;
	uint32_t hash;
	size_t idx;
	struct bgp_prefix4 pf;
};

static int
ann_cmp(const void *a, const void *b)
{
	const struct ann *x = a, *y = b;

	if (x->hash != y->hash)
		return x->hash < y->hash ? -1 : 1;
	return x->idx < y->idx ? -1 : x->idx > y->idx;
}

static void
emit(const uint8_t *msg, size_t len, void *arg)
{
	struct bgp_peer *p = arg;

	p->st.updates_out++;
	bgp_conn_send(p->up, msg, len);
}

/*
 * Announce a[0..n) grouped by attribute set (in the order of their hash
 * and first appearance, stable across runs), then drop the references.
 */
static void
send_announce(struct bgp_peer *p, struct ann *a, size_t n)
{
	struct bgp_intern *it = bgp_rib_intern(p->sp->rib);
	struct bgp_prefix4 *nl = xcalloc(n + 1, sizeof(*nl));
	size_t i, j, k, m, q;

	qsort(a, n, sizeof(*a), ann_cmp);
	for (i = 0; i < n; i = j) {
		for (j = i; j < n && a[j].hash == a[i].hash; j++)
			;
		/* within a hash, one set at a time, first come first */
		for (k = i; k < j; k++) {
			const struct bgp_attrs *ia = a[k].ia;
			struct bgp_attrs *as2 = NULL;

			if (ia == NULL)
				continue;
			m = 0;
			for (q = k; q < j; q++)
				if (a[q].ia == ia) {
					nl[m++] = a[q].pf;
					if (q != k) {
						bgp_intern_put(it, a[q].ia);
						a[q].ia = NULL;
					}
				}
			if (p->up != NULL) {
				if (!p->up->peer_as4)
					as2 = bgp_attrs_to_as2(ia);
				if (bgp_pack_announce(as2 != NULL ? as2 : ia,
				    p->up->peer_as4, nl, m, emit, p) < 0)
					unsendable(p, nl[0].addr, nl[0].len, m);
				else
					p->st.prefixes_out += m;
			}
			free(as2);
			bgp_intern_put(it, ia);
			a[k].ia = NULL;
		}
	}
	free(nl);
}

/*
 * Export q[from..to) (sorted, unique) to p: the Adj-RIB-Out diff, then
 * the withdrawals and the packed announcements. True if anything went.
 */
static bool
export_range(struct bgp_peer *p, size_t from, size_t to)
{
	struct bgp_speaker *sp = p->sp;
	struct bgp_prefix4 *v = p->pend.v + from;
	struct bgp_prefix4 *wd;
	struct ann *an;
	size_t i, n_wd = 0, n_an = 0, u = to - from;

	wd = xcalloc(u, sizeof(*wd));
	an = xcalloc(u, sizeof(*an));
	for (i = 0; i < u; i++) {
		const struct bgp_attrs *ia = export_attrs(p, v[i].addr,
		    v[i].len);

		if (!bgp_rib_out_set(sp->rib, p->rib_id, v[i].addr,
		    v[i].len, ia)) {
			bgp_intern_put(bgp_rib_intern(sp->rib), ia);
			continue;
		}
		if (ia == NULL) {
			wd[n_wd++] = v[i];
			continue;
		}
		an[n_an].ia = ia;
		an[n_an].hash = bgp_attrs_hash(ia);
		an[n_an].idx = n_an;
		an[n_an].pf = v[i];
		n_an++;
	}
	if (n_wd > 0) {
		bgp_pack_withdraw(wd, n_wd, emit, p);
		p->st.withdrawn_out += n_wd;
	}
	send_announce(p, an, n_an);
	free(wd);
	free(an);
	return n_wd + n_an > 0;
}

/* End-of-RIB / EoRR owed once the queue is through. */
static void
flush_done(struct bgp_peer *p)
{
	static const uint8_t eor[BGP_UPDATE_MIN_LEN] = {
		0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
		0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
		0, BGP_UPDATE_MIN_LEN, BGP_UPDATE, 0, 0, 0, 0
	};

	if (p->up == NULL)
		return;
	if (p->eorr_pending) {
		p->eorr_pending = false;
		bgp_send_refresh(p->up, BGP_RR_EORR);
	}
	if (p->eor_pending) {
		/*
		 * RFC 4724 2: End-of-RIB after the initial table. It is an
		 * UPDATE on the wire and counted as one, as the receiving
		 * side counts it (bgp_import_update).
		 */
		p->eor_pending = false;
		p->st.updates_out++;
		bgp_conn_send(p->up, eor, sizeof(eor));
		p->eor_sent = true;
	}
}

/*
 * Export the queued prefixes to p now (MRAI permitting the caller), a
 * batch at a time while the connection's obuf stays under BGP_OBUF_HIGH;
 * the rest waits (held) for on_sent to resume it.
 */
static bool
flush_peer(struct bgp_peer *p)
{
	struct bgp_prefix_q *q = &p->pend;
	size_t i, u, end;
	bool sent = false;

	if (p->up == NULL)
		return false;
	if (q->sorted < q->n) {
		/* pushed since: sort what is left with them */
		memmove(q->v, q->v + q->head, (q->n - q->head) *
		    sizeof(*q->v));
		q->n -= q->head;
		qsort(q->v, q->n, sizeof(*q->v), pfx_cmp);
		for (i = u = 0; i < q->n; i++)
			if (u == 0 || pfx_cmp(&q->v[u - 1], &q->v[i]) != 0)
				q->v[u++] = q->v[i];
		q->n = q->sorted = u;
		q->head = 0;
	}
	while (q->head < q->n && p->up != NULL &&
	    p->up->olen < BGP_OBUF_HIGH) {
		end = q->n - q->head > BGP_EXPORT_BATCH ?
		    q->head + BGP_EXPORT_BATCH : q->n;
		if (export_range(p, q->head, end))
			sent = true;
		q->head = end;
	}
	if (p->up == NULL)
		return sent;
	p->held = q->head < q->n;
	if (!p->held) {
		bgp_prefix_q_clear(q);
		flush_done(p);
	}
	return sent;
}

void
bgp_export_resume(struct bgp_peer *p)
{
	flush_peer(p);
}

static void
flush_mrai(struct bgp_peer *p)
{
	if (timer_is_running(&p->mrai_tm))
		return;
	if (flush_peer(p) && p->mrai > 0)
		timer_start(&p->mrai_tm, p->mrai);
}

void
bgp_export_flush_all(struct bgp_speaker *sp)
{
	size_t i;

	if (sp->busy > 0)
		return;
	bgp_origin_settle(sp);
	for (i = 0; i < sp->n_peers; i++)
		flush_mrai(sp->peers[i]);
}

void
bgp_export_mrai_expired(struct timer *tm, void *arg)
{
	(void)tm;
	flush_mrai(arg);
}

static void
walk_push(const struct bgp_change *c, void *ctx)
{
	q_push(ctx, c->prefix, c->len);
}

void
bgp_export_full(struct bgp_peer *p)
{
	bgp_prefix_q_clear(&p->pend);
	bgp_rib_walk(p->sp->rib, walk_push, &p->pend);
	timer_stop(&p->mrai_tm);
	p->eor_pending = true;
	flush_peer(p);
	/* the initial table is an advertisement: changes wait */
	if (p->up != NULL && p->mrai > 0)
		timer_start(&p->mrai_tm, p->mrai);
}

static void
pfx_collect(uint32_t prefix, uint8_t len, const struct bgp_attrs *ia,
    void *ctx)
{
	struct bgp_prefix_q *q = ctx;

	(void)ia;
	q_push(q, prefix, len);
}

void
bgp_export_peer_routes(struct bgp_peer *p)
{
	struct bgp_speaker *sp = p->sp;
	struct bgp_prefix_q q = { 0 };
	size_t i, k;

	bgp_rib_in_walk(sp->rib, p->rib_id, pfx_collect, &q);
	for (k = 0; k < sp->n_peers; k++) {
		struct bgp_peer *o = sp->peers[k];

		if (o == p || o->up == NULL)
			continue;
		for (i = 0; i < q.n; i++)
			q_push(&o->pend, q.v[i].addr, q.v[i].len);
	}
	bgp_prefix_q_free(&q);
	bgp_export_flush_all(sp);
}

/*
 * ROUTE-REFRESH (RFC 2918 4): what the Adj-RIB-Out holds, sent again
 * (its entries forgotten first, so the diff sends them all); with RFC
 * 7313, after a BoRR and followed by an EoRR once the queue is through.
 */
void
bgp_export_refresh(struct bgp_peer *p)
{
	struct bgp_prefix_q q = { 0 };
	size_t i;

	if (p->cfg.enhanced_rr && p->up->peer_err) {
		bgp_send_refresh(p->up, BGP_RR_BORR);
		p->eorr_pending = true;
	}
	bgp_rib_out_walk(p->sp->rib, p->rib_id, pfx_collect, &q);
	for (i = 0; i < q.n; i++) {
		bgp_rib_out_set(p->sp->rib, p->rib_id, q.v[i].addr,
		    q.v[i].len, NULL);
		q_push(&p->pend, q.v[i].addr, q.v[i].len);
	}
	bgp_prefix_q_free(&q);
	flush_peer(p);
}

static void
soft_note(struct bgp_peer *p, const char *what)
{
	char line[200], a[16];

	wire_ip_str(p->cfg.addr, a);
	snprintf(line, sizeof(line), "bgp %s: %s", a, what);
	trace_annotate(net_trace(node_net(p->sp->node)), sim_now(p->sp->sim),
	    node_id(p->sp->node), line);
}

/*
 * A policy changed (a gated rule switched): every established session
 * using it is reconfigured softly, without a reset. Out: the whole
 * Loc-RIB through export again, the Adj-RIB-Out diff sending at once
 * (as a ROUTE-REFRESH is answered, not paced by the MRAI) what now
 * differs. In: the Adj-RIB-In holds what import policy returned, not
 * what the peer sent, so the routes are asked for again with a
 * ROUTE-REFRESH (RFC 2918; "clear ip bgp soft in" of a router without
 * soft-reconfiguration inbound) and re-evaluated as they arrive.
 */
int
bgp_speaker_policy_changed(struct bgp_speaker *sp,
    const struct bgp_policy *pol)
{
	size_t i;
	int n = 0;

	if (bgp_origin_redist_policy_changed(sp, pol)) {
		trace_annotate(net_trace(node_net(sp->node)),
		    sim_now(sp->sim), node_id(sp->node), "bgp: redistribute "
		    "policy changed: the redistributed routes evaluated again");
		/* what it now originates or no longer does goes out */
		bgp_export_flush_all(sp);
		n++;
	}
	for (i = 0; i < sp->n_peers; i++) {
		struct bgp_peer *p = sp->peers[i];

		if (p->up == NULL)
			continue;
		if (p->cfg.export == pol) {
			soft_note(p, "export policy changed: soft "
			    "reconfiguration out");
			bgp_rib_walk(sp->rib, walk_push, &p->pend);
			flush_peer(p);
			n++;
		}
		if (p->up != NULL && p->cfg.import == pol) {
			if (p->up->peer_rr) {
				soft_note(p, "import policy changed: soft "
				    "reconfiguration in (ROUTE-REFRESH)");
				bgp_send_refresh(p->up, BGP_RR_NORMAL);
				n++;
			} else {
				soft_note(p, "import policy changed: the peer "
				    "does not do ROUTE-REFRESH, its routes "
				    "keep the old policy until the session "
				    "resets");
			}
		}
	}
	return n;
}
