/*
 * net_route.c - a node's routes: connected and static routes installed in
 * the VRF's RIB (rib.h), the trace's route records fed from the RIB's change
 * listener, the routing-table dump and "why this route", and the source
 * address toward a destination, special next hops (blackhole, another
 * VRF's table) and the node's named route sources. Forwarding's lookup
 * itself stays in net.c.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "net_internal.h"
#include "sim.h"

/* "blackhole" or "table NAME" for a special next hop, else NULL. */
static const char *
special_text(const struct node *n, uint32_t ifx, char *buf, size_t len)
{
	if (ifx == RIB_IF_DROP)
		return "blackhole";
	if (!RIB_IF_IS_TABLE(ifx))
		return NULL;
	snprintf(buf, len, "table %s", n->vrfs[RIB_IF_TABLE_VRF(ifx)].name);
	return buf;
}

/*
 * "dev e0", "via 10.0.0.1 dev e0", "blackhole" or "table NAME", members
 * joined by ", ".
 */
static void
nexthop_text(const struct node *n, const struct rib_route *best,
    const struct rib_nhg *g, char *buf, size_t len)
{
	size_t off = 0;
	uint32_t i;
	char a[16], tb[80];
	const char *sp;
	int k;

	buf[0] = '\0';
	for (i = 0; i < g->n && off < len; i++) {
		const char *dev;

		if ((sp = special_text(n, g->nh[i].ifindex, tb,
		    sizeof(tb))) != NULL) {
			k = snprintf(buf + off, len - off, "%s%s",
			    i ? ", " : "", sp);
			if (k < 0)
				break;
			off += (size_t)k;
			continue;
		}
		dev = n->ifaces[g->nh[i].ifindex].name;
		if (best->source == RIB_SRC_CONNECTED || g->nh[i].via == 0)
			k = snprintf(buf + off, len - off, "%sdev %s",
			    i ? ", " : "", dev);
		else
			k = snprintf(buf + off, len - off, "%svia %s dev %s",
			    i ? ", " : "", wire_ip_str(g->nh[i].via, a), dev);
		if (k < 0)
			break;
		off += (size_t)k;
	}
}

void
node_nexthop_text(const struct node *n, uint32_t vrf,
    const struct rib_route *rt, char *buf, size_t len)
{
	const struct rib_nhg *g;

	if (len == 0)
		return;
	buf[0] = '\0';
	if (vrf < n->n_vrfs && (g = rib_nhg(n->vrfs[vrf].rib, rt->nhg)) != NULL)
		nexthop_text(n, rt, g, buf, len);
}

/* The FIB entry dst takes in vrf: its group, prefix and length. */
static const struct rib_nhg *
hop_lookup(const struct node *n, uint32_t vrf, uint32_t dst,
    uint32_t *prefix, uint8_t *len)
{
	const struct rib *r = n->vrfs[vrf].rib;
	uint32_t id;

	if (!fib_lookup(rib_fib(r), dst, &id, len))
		return NULL;
	*prefix = *len ? dst & (0xffffffffu << (32 - *len)) : 0;
	return rib_nhg(r, id);
}

int
node_route_hop(const struct node *n, uint32_t vrf, uint32_t src,
    uint32_t dst, uint8_t proto, uint16_t sport, uint16_t dport,
    struct node_hop *out, char *err, size_t errlen)
{
	const struct rib_nhg *g;
	const struct rib_nh *m;
	struct rib_route best;
	const struct rib *r;
	char a[16], b[16], sb[32], pre[120] = "";
	int steps;

	memset(out, 0, sizeof(*out));
	if (vrf >= n->n_vrfs) {
		snprintf(err, errlen, "no VRF %u", vrf);
		return -1;
	}
	/* forwarding hashes ports of TCP and UDP only (flow_sport) */
	if (proto != WIRE_IPPROTO_TCP && proto != WIRE_IPPROTO_UDP)
		sport = dport = 0;
	/* as forwarding does: at most one step into another table */
	for (steps = 0;; steps++) {
		r = n->vrfs[vrf].rib;
		g = hop_lookup(n, vrf, dst, &out->prefix, &out->len);
		if (g == NULL || g->n == 0) {
			snprintf(err, errlen, "%sno route to %s in %s", pre,
			    wire_ip_str(dst, a), n->vrfs[vrf].name);
			return -1;
		}
		if (rib_best(r, out->prefix, out->len, &best))
			out->source = best.source;
		m = g->n == 1 ? &g->nh[0] : rib_nh_pick(g, rib_flow_hash(n->id,
		    src, dst, proto, sport, dport));
		if (m->ifindex == RIB_IF_DROP) {
			out->blackhole = true;
			snprintf(err, errlen, "%s%s/%u %s blackhole", pre,
			    wire_ip_str(out->prefix, a), out->len,
			    rib_source_name(r, out->source, sb, sizeof(sb)));
			return -1;
		}
		if (!RIB_IF_IS_TABLE(m->ifindex))
			break;
		if (steps > 0 || RIB_IF_TABLE_VRF(m->ifindex) >= n->n_vrfs) {
			snprintf(err, errlen, "%sa second table step (no route)",
			    pre);
			return -1;
		}
		snprintf(pre, sizeof(pre), "%s/%u %s table %s, then ",
		    wire_ip_str(out->prefix, a), out->len, rib_source_name(r,
		    out->source, sb, sizeof(sb)),
		    n->vrfs[RIB_IF_TABLE_VRF(m->ifindex)].name);
		vrf = RIB_IF_TABLE_VRF(m->ifindex);
	}
	out->ifindex = m->ifindex;
	out->via = m->via;
	if (m->via != 0)
		snprintf(out->text, sizeof(out->text), "%s%s/%u %s via %s dev "
		    "%s", pre, wire_ip_str(out->prefix, a), out->len,
		    rib_source_name(r, out->source, sb, sizeof(sb)),
		    wire_ip_str(m->via, b), n->ifaces[m->ifindex].name);
	else
		snprintf(out->text, sizeof(out->text), "%s%s/%u %s dev %s",
		    pre, wire_ip_str(out->prefix, a), out->len,
		    rib_source_name(r, out->source, sb, sizeof(sb)),
		    n->ifaces[m->ifindex].name);
	return 0;
}

/* A VRF's best route changed: the trace records it. */
void
node_route_changed(struct rib *r, const struct rib_change *c, void *ctx)
{
	const struct node *n = ctx;
	char nh[512], sb[16];
	uint32_t i;

	/* A model's bad ifindex is caught here, not when a packet takes it. */
	for (i = 0; c->nhg != NULL && i < c->nhg->n; i++) {
		uint32_t ifx = c->nhg->nh[i].ifindex;

		SIM_ASSERT(ifx < n->n_ifaces || ifx == RIB_IF_DROP ||
		    (RIB_IF_IS_TABLE(ifx) &&
		    RIB_IF_TABLE_VRF(ifx) < n->n_vrfs),
		    "node %s: route to interface %u, which it does not have",
		    n->name, ifx);
	}
	if (n->net->tr == NULL)
		return;
	if (c->kind == RIB_WITHDRAWN) {
		trace_route(n->net->tr, sim_now(n->net->sim), n->id,
		    rib_name(r), c->prefix, c->len, true, "", "");
		return;
	}
	nexthop_text(n, c->best, c->nhg, nh, sizeof(nh));
	trace_route(n->net->tr, sim_now(n->net->sim), n->id, rib_name(r),
	    c->prefix, c->len, false, nh,
	    rib_source_name(r, c->best->source, sb, sizeof(sb)));
}

/* Install a one-member route of a built-in source. */
void
node_route_install(struct node *n, uint32_t vrf, uint32_t prefix, uint8_t plen,
    uint8_t source, uint32_t via, uint32_t ifindex)
{
	struct rib *r = n->vrfs[vrf].rib;
	struct rib_nh nh = { via, ifindex };
	struct rib_route rt = { .source = source, .nhg = rib_nhg_get(r, &nh, 1),
	    .pref = source == RIB_SRC_CONNECTED ? RIB_PREF_CONNECTED :
	    RIB_PREF_STATIC };

	SIM_ASSERT(rib_add(r, prefix, plen, &rt) >= 0, "bad route");
	rib_nhg_put(r, rt.nhg);
}

void
node_iface_carrier(struct node *n, uint32_t ifindex, bool up)
{
	const struct iface *ifc = &n->ifaces[ifindex];
	uint32_t prefix = ifc->addr & mask_of(ifc->plen);

	if (ifc->plen == 0)
		return;		/* unnumbered: no connected route */
	if (up)
		node_route_install(n, ifc->vrf, prefix, ifc->plen,
		    RIB_SRC_CONNECTED, 0, ifindex);
	else
		(void)rib_del(n->vrfs[ifc->vrf].rib, prefix, ifc->plen,
		    RIB_SRC_CONNECTED, 0);
}

int
node_add_route(struct node *n, uint32_t vrf, uint32_t prefix, uint8_t plen,
    uint32_t via, uint32_t ifindex, char *err, size_t errlen)
{
	char a[16];

	if (vrf >= n->n_vrfs || plen > 32 || (prefix & ~mask_of(plen)) != 0) {
		snprintf(err, errlen, "invalid route");
		return -1;
	}
	if (ifindex == IFACE_NONE) {
		size_t i;

		for (i = 0; i < n->n_ifaces; i++) {
			const struct iface *ifc = &n->ifaces[i];

			if (ifc->vrf == vrf && ifc->plen > 0 &&
			    ((ifc->addr ^ via) & mask_of(ifc->plen)) == 0) {
				ifindex = (uint32_t)i;
				break;
			}
		}
		if (ifindex == IFACE_NONE) {
			snprintf(err, errlen,
			    "next hop %s is not on a connected subnet of %s",
			    wire_ip_str(via, a), n->name);
			return -1;
		}
	} else if (ifindex >= n->n_ifaces) {
		snprintf(err, errlen, "no such interface");
		return -1;
	}
	node_route_install(n, vrf, prefix, plen, RIB_SRC_STATIC, via, ifindex);
	return 0;
}

struct dump_ctx {
	const struct node *n;
	const struct vrf *v;
	FILE *out;
};

/* One line per next hop; a model's source is named at the end. */
static void
dump_one(uint32_t prefix, uint8_t plen, const struct rib_route *best,
    const struct rib_nhg *g, void *arg)
{
	struct dump_ctx *c = arg;
	bool conn = best->source == RIB_SRC_CONNECTED;
	char a[16], b[16], sb[16], tb[80];
	const char *sp;
	uint32_t i;

	for (i = 0; i < g->n; i++) {
		if ((sp = special_text(c->n, g->nh[i].ifindex, tb,
		    sizeof(tb))) != NULL)
			fprintf(c->out, "%-8s %s/%u %s", c->v->name,
			    wire_ip_str(prefix, a), plen, sp);
		else
			fprintf(c->out, "%-8s %s/%u %s %s dev %s", c->v->name,
			    wire_ip_str(prefix, a), plen,
			    conn ? "connected" : "via",
			    conn ? "" : wire_ip_str(g->nh[i].via, b),
			    c->n->ifaces[g->nh[i].ifindex].name);
		if (best->source >= RIB_SRC_MODEL)
			fprintf(c->out, " proto %s", rib_source_name(
			    c->v->rib, best->source, sb, sizeof(sb)));
		fputc('\n', c->out);
	}
}

void
node_dump_routes(const struct node *n, FILE *out)
{
	size_t i;

	for (i = 0; i < n->n_vrfs; i++) {
		struct dump_ctx c = { n, &n->vrfs[i], out };

		rib_walk(n->vrfs[i].rib, dump_one, &c);
	}
}

int
node_explain_route(const struct node *n, uint32_t vrf, uint32_t prefix,
    uint8_t plen, FILE *out)
{
	const struct rib *r;
	struct rib_explain ex;
	char a[16], sb[16], nh[512];
	size_t i;

	if (vrf >= n->n_vrfs)
		return -1;
	r = n->vrfs[vrf].rib;
	if (rib_explain(r, prefix, plen, &ex) < 0)
		return -1;
	fprintf(out, "%s %s/%u: %s\n", n->vrfs[vrf].name,
	    wire_ip_str(prefix, a), plen, ex.why);
	for (i = 0; i < ex.n; i++) {
		const struct rib_route *c = &ex.cand[i];

		nexthop_text(n, c, rib_nhg(r, c->nhg), nh, sizeof(nh));
		fprintf(out, "  %c %s", i < ex.n_multipath ? '*' : ' ',
		    rib_source_name(r, c->source, sb, sizeof(sb)));
		if (c->instance != 0)
			fprintf(out, "[%u]", c->instance);
		fprintf(out, " pref %u metric %u %s\n", c->pref, c->metric, nh);
	}
	rib_explain_free(&ex);
	return 0;
}

struct rib *
node_rib(struct node *n, uint32_t vrf)
{
	return vrf < n->n_vrfs ? n->vrfs[vrf].rib : NULL;
}

uint32_t
node_special_nh(const struct node *n, uint32_t ifx, uint32_t dst,
    uint32_t hash, enum trace_drop *why)
{
	const struct rib_nhg *g;

	if (RIB_IF_IS_TABLE(ifx)) {
		g = rib_fwd_lookup(n->vrfs[RIB_IF_TABLE_VRF(ifx)].fwd, dst);
		if (g == NULL) {
			*why = DROP_NO_ROUTE;
			return IFACE_NONE;
		}
		ifx = g->n == 1 ? g->nh[0].ifindex : rib_nh_pick(g,
		    hash)->ifindex;
		if (ifx < RIB_IF_SPECIAL)
			return ifx;
		if (RIB_IF_IS_TABLE(ifx)) {	/* one step per packet */
			*why = DROP_NO_ROUTE;
			return IFACE_NONE;
		}
	}
	*why = DROP_BLACKHOLE;
	return IFACE_NONE;
}

/* The source address for dst: the first member's, whatever the flow. */
uint32_t
node_source_for(const struct node *n, uint32_t vrf, uint32_t dst)
{
	const struct rib_nhg *g;
	enum trace_drop why;
	uint32_t ifx;

	if (vrf >= n->n_vrfs || (g = rib_lookup(n->vrfs[vrf].rib, dst)) == NULL)
		return 0;
	ifx = g->nh[0].ifindex;
	/* through a table: that table's first member (hash 0 picks it) */
	if (ifx >= RIB_IF_SPECIAL &&
	    (ifx = node_special_nh(n, ifx, dst, 0, &why)) == IFACE_NONE)
		return 0;
	return n->ifaces[ifx].addr;
}

/* The smallest MTU of g's interfaces (through one table step), or 0. */
static uint32_t
group_mtu(const struct node *n, const struct rib_nhg *g, uint32_t dst,
    bool step)
{
	const struct rib_nhg *t;
	uint32_t mtu = UINT32_MAX, m, i, ifx;

	/*
	 * A flow's member depends on its ports: the smallest fits them all.
	 * A member that cannot send at all (MTU 0: no link, no hook; a
	 * blackhole) does not make the route look absent.
	 */
	for (i = 0; i < g->n; i++) {
		ifx = g->nh[i].ifindex;
		if (ifx < RIB_IF_SPECIAL)
			m = node_iface_mtu(n, ifx);
		else if (RIB_IF_IS_TABLE(ifx) && step && (t = rib_lookup(
		    n->vrfs[RIB_IF_TABLE_VRF(ifx)].rib, dst)) != NULL)
			m = group_mtu(n, t, dst, false);
		else
			m = 0;
		if (m != 0 && m < mtu)
			mtu = m;
	}
	return mtu == UINT32_MAX ? 0 : mtu;
}

uint32_t
node_mtu_for(const struct node *n, uint32_t vrf, uint32_t dst)
{
	const struct rib_nhg *g;
	uint32_t i;

	if (vrf >= n->n_vrfs)
		return 0;
	for (i = 0; i < n->n_ifaces; i++)
		if (n->ifaces[i].vrf == vrf && n->ifaces[i].plen != 0 &&
		    n->ifaces[i].addr == dst)
			return 65535;	/* looped back: IPv4's own limit */
	if ((g = rib_lookup(n->vrfs[vrf].rib, dst)) == NULL)
		return 0;
	return group_mtu(n, g, dst, true);
}

/* --- named route sources --- */

void
node_route_sources_apply(struct node *n, uint32_t vrf)
{
	size_t i;

	for (i = 0; n->srcs != NULL && i < n->srcs->n; i++)
		rib_set_source(n->vrfs[vrf].rib,
		    (uint8_t)(RIB_SRC_NAMED + i), &n->srcs->src[i]);
}

void
node_route_sources_free(struct node *n)
{
	size_t i;

	for (i = 0; n->srcs != NULL && i < n->srcs->n; i++)
		free(n->srcs->name[i]);
	free(n->srcs);
	n->srcs = NULL;
}

int
node_route_source(struct node *n, const char *name, bool multipath)
{
	struct node_srcs *s;
	size_t i;

	if (n->srcs == NULL)
		n->srcs = xcalloc(1, sizeof(*n->srcs));
	s = n->srcs;
	for (i = 0; i < s->n; i++)
		if (strcmp(s->name[i], name) == 0)
			return (int)(RIB_SRC_NAMED + i);
	if (s->n == NODE_SRCS_MAX)
		return -1;
	s->name[s->n] = xstrdup(name);
	s->src[s->n] = (struct rib_source){ .name = s->name[s->n],
	    .multipath = multipath };
	s->n++;
	/* a new id: no VRF has a route of it yet, as rib_set_source wants */
	for (i = 0; i < n->n_vrfs; i++)
		rib_set_source(n->vrfs[i].rib, (uint8_t)(RIB_SRC_NAMED +
		    s->n - 1), &s->src[s->n - 1]);
	return (int)(RIB_SRC_NAMED + s->n - 1);
}

int
node_find_route_source(const struct node *n, const char *name)
{
	char buf[24];
	size_t i, v;
	int id;

	for (i = 0; n->srcs != NULL && i < n->srcs->n; i++)
		if (strcmp(n->srcs->name[i], name) == 0)
			return (int)(RIB_SRC_NAMED + i);
	/* the built-ins and the models' fixed ids, by their tables' names */
	for (id = 0; id < RIB_SRC_NAMED; id++)
		for (v = 0; v < n->n_vrfs; v++) {
			const char *s = rib_source_name(n->vrfs[v].rib,
			    (uint8_t)id, buf, sizeof(buf));

			if (s != buf && strcmp(s, name) == 0)
				return id;
		}
	return -1;
}

void
node_route_source_set(struct node *n, uint32_t vrf, int id,
    const struct rib_source *src)
{
	SIM_ASSERT(vrf < n->n_vrfs && id >= RIB_SRC_NAMED && n->srcs != NULL &&
	    (size_t)(id - RIB_SRC_NAMED) < n->srcs->n &&
	    strcmp(src->name, n->srcs->name[id - RIB_SRC_NAMED]) == 0,
	    "node %s: no named source %d for VRF %u, or another name", n->name,
	    id, vrf);
	rib_set_source(n->vrfs[vrf].rib, (uint8_t)id, src);
}
