/*
 * net_route.c - a node's routes: connected and static routes installed in
 * the VRF's RIB (rib.h), the trace's route records fed from the RIB's change
 * listener, the routing-table dump and "why this route", and the source
 * address toward a destination. Forwarding's lookup itself stays in net.c.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "net_internal.h"
#include "sim.h"

static uint32_t
mask_of(uint8_t plen)
{
	return plen ? 0xffffffffu << (32 - plen) : 0;
}

/* A special next hop's text ("blackhole", "table VRF"), else NULL. */
static const char *
special_text(const struct node *n, uint32_t ifx, char *buf, size_t len)
{
	if (ifx == RIB_IF_DROP)
		return "blackhole";
	if (RIB_IF_IS_TABLE(ifx) && RIB_IF_TABLE_VRF(ifx) < n->n_vrfs) {
		snprintf(buf, len, "table %s",
		    n->vrfs[RIB_IF_TABLE_VRF(ifx)].name);
		return buf;
	}
	return NULL;
}

/* "dev e0" or "via 10.0.0.1 dev e0", members joined by ", ". */
static void
nexthop_text(const struct node *n, const struct rib_route *best,
    const struct rib_nhg *g, char *buf, size_t len)
{
	size_t off = 0;
	uint32_t i;
	char a[16], sp[80];
	const char *spt;
	int k;

	buf[0] = '\0';
	for (i = 0; i < g->n && off < len; i++) {
		const char *dev;

		if ((spt = special_text(n, g->nh[i].ifindex, sp,
		    sizeof(sp))) != NULL) {
			k = snprintf(buf + off, len - off, "%s%s", i ? ", " : "",
			    spt);
			if (k < 0)
				break;
			off += (size_t)k;
			continue;
		}
		dev = n->ifaces[g->nh[i].ifindex].name;
		if (best->source == RIB_SRC_CONNECTED)
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

int
node_route_hop(const struct node *n, uint32_t vrf, uint32_t src,
    uint32_t dst, uint8_t proto, uint16_t sport, uint16_t dport,
    struct node_hop *out, char *err, size_t errlen)
{
	const struct rib_nhg *g;
	const struct rib_nh *m;
	struct rib_route best;
	char a[16], b[16], sb[32];
	uint32_t id;
	uint8_t len;
	const struct rib *r;

	memset(out, 0, sizeof(*out));
	if (vrf >= n->n_vrfs) {
		snprintf(err, errlen, "no VRF %u", vrf);
		return -1;
	}
	r = n->vrfs[vrf].rib;
	if (!fib_lookup(rib_fib(r), dst, &id, &len) ||
	    (g = rib_nhg(r, id)) == NULL || g->n == 0) {
		snprintf(err, errlen, "no route to %s in %s",
		    wire_ip_str(dst, a), n->vrfs[vrf].name);
		return -1;
	}
	out->prefix = len ? dst & (0xffffffffu << (32 - len)) : 0;
	out->len = len;
	if (rib_best(r, out->prefix, len, &best))
		out->source = best.source;
	m = g->n == 1 ? &g->nh[0] : rib_nh_pick(g, rib_flow_hash(n->id, src,
	    dst, proto, sport, dport));
	out->ifindex = m->ifindex;
	out->via = m->via;
	if (m->via != 0)
		snprintf(out->text, sizeof(out->text), "%s/%u %s via %s dev %s",
		    wire_ip_str(out->prefix, a), len, rib_source_name(r,
		    out->source, sb, sizeof(sb)), wire_ip_str(m->via, b),
		    n->ifaces[m->ifindex].name);
	else
		snprintf(out->text, sizeof(out->text), "%s/%u %s dev %s",
		    wire_ip_str(out->prefix, a), len, rib_source_name(r,
		    out->source, sb, sizeof(sb)), n->ifaces[m->ifindex].name);
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
	for (i = 0; c->nhg != NULL && i < c->nhg->n; i++)
		SIM_ASSERT(c->nhg->nh[i].ifindex < n->n_ifaces ||
		    c->nhg->nh[i].ifindex == RIB_IF_DROP ||
		    (RIB_IF_IS_TABLE(c->nhg->nh[i].ifindex) &&
		    RIB_IF_TABLE_VRF(c->nhg->nh[i].ifindex) < n->n_vrfs),
		    "node %s: route to interface %u, which it does not have",
		    n->name, c->nhg->nh[i].ifindex);
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
	char a[16], b[16], sb[16], sp[80];
	const char *spt;
	uint32_t i;

	for (i = 0; i < g->n; i++) {
		if ((spt = special_text(c->n, g->nh[i].ifindex, sp,
		    sizeof(sp))) != NULL)
			fprintf(c->out, "%-8s %s/%u %s", c->v->name,
			    wire_ip_str(prefix, a), plen, spt);
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

#define NODE_RSRC_FIRST (RIB_SRC_MODEL + 8)

int
node_find_route_source(const struct node *n, const char *name)
{
	int i;

	for (i = NODE_RSRC_FIRST; i < RIB_SRC_MAX; i++)
		if (n->rsrc[i] != NULL && strcmp(n->rsrc[i]->name, name) == 0)
			return i;
	return -1;
}

int
node_route_source(struct node *n, const char *name, bool multipath)
{
	struct node_rsrc *s;
	size_t v;
	int i;

	if ((i = node_find_route_source(n, name)) >= 0)
		return i;
	for (i = NODE_RSRC_FIRST; i < RIB_SRC_MAX && n->rsrc[i] != NULL; i++)
		;
	if (i == RIB_SRC_MAX)
		return -1;
	s = xcalloc(1, sizeof(*s));
	s->name = xstrdup(name);
	s->src.name = s->name;
	s->src.multipath = multipath;
	n->rsrc[i] = s;
	for (v = 0; v < n->n_vrfs; v++)
		rib_set_source(n->vrfs[v].rib, (uint8_t)i, &s->src);
	return i;
}

/* The source address for dst: the first member's, whatever the flow. */
uint32_t
node_source_for(const struct node *n, uint32_t vrf, uint32_t dst)
{
	const struct rib_nhg *g;

	if (vrf >= n->n_vrfs || (g = rib_lookup(n->vrfs[vrf].rib, dst)) == NULL)
		return 0;
	return n->ifaces[g->nh[0].ifindex].addr;
}

uint32_t
node_mtu_for(const struct node *n, uint32_t vrf, uint32_t dst)
{
	const struct rib_nhg *g;
	uint32_t mtu = UINT32_MAX, m, i;

	if (vrf >= n->n_vrfs)
		return 0;
	for (i = 0; i < n->n_ifaces; i++)
		if (n->ifaces[i].vrf == vrf && n->ifaces[i].plen != 0 &&
		    n->ifaces[i].addr == dst)
			return 65535;	/* looped back: IPv4's own limit */
	if ((g = rib_lookup(n->vrfs[vrf].rib, dst)) == NULL)
		return 0;
	/*
	 * A flow's member depends on its ports: the smallest fits them all.
	 * A member that cannot send at all (MTU 0: no link, no hook) does not
	 * make the route look absent.
	 */
	for (i = 0; i < g->n; i++)
		if ((m = node_iface_mtu(n, g->nh[i].ifindex)) != 0 && m < mtu)
			mtu = m;
	return mtu == UINT32_MAX ? 0 : mtu;
}
