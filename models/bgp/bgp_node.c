/*
 * bgp_node.c - the Loc-RIB into a node's routing table (sim/rib.h): one
 * route per prefix of the BGP source, preference 20 or 200, the multipath
 * set's next hops resolved through the node's other routes.
 *
 * Followed (bgp_node_follow), the node's table is heard too: a change of
 * another source's best route (a static route, an interface subnet, an
 * IGP) may move what a BGP next hop resolves to, so every next hop is
 * resolved again, once per instant, from an event at the same time (never
 * inside the node table's change: the re-decision installs routes there).
 * BGP's own installs are not heard (they cannot resolve a next hop: see
 * bgp_node_resolve), so they cause no re-resolution.
 */
#include <stdlib.h>
#include <string.h>

#include "bgp_rib.h"
#include "rib.h"
#include "sim.h"
#include "util.h"

struct bgp_node_glue {
	struct bgp_rib *br;
	struct rib *r;
	uint8_t source;
	uint32_t instance;
	struct rib_source src;
	bool installing;		/* inside our own rib_add/rib_del */
	struct sim *sim;		/* set while following r */
	sim_event_id ev;		/* the pending re-resolution */
	void (*done)(void *);
	void *done_ctx;
};

bool
bgp_node_resolve(void *glue, uint32_t next_hop, uint32_t *igp_cost)
{
	struct bgp_node_glue *g = glue;
	struct rib_route rt;
	uint32_t id;
	uint8_t len;

	if (!fib_lookup(rib_fib(g->r), next_hop, &id, &len))
		return false;
	if (!rib_best(g->r, len == 0 ? 0 : next_hop & (UINT32_MAX << (32 - len)),
	    len, &rt))
		return false;
	/* a BGP route does not resolve a BGP next hop (no recursion loop) */
	if (rt.source == g->source)
		return false;
	*igp_cost = rt.metric;
	return true;
}

static void
install(struct bgp_node_glue *g, const struct bgp_change *c)
{
	struct rib_nh nh[RIB_NHG_MAX];
	struct rib_route rt;
	size_t k = 0;
	unsigned i, j;
	uint32_t id;

	if (c->n_paths == 0 || c->paths[0].peer == BGP_PEER_LOCAL) {
		g->installing = true;
		rib_del(g->r, c->prefix, c->len, g->source, g->instance);
		g->installing = false;
		return;
	}
	for (i = 0; i < c->n_paths; i++) {
		uint32_t h = c->paths[i].a->next_hop;
		const struct rib_nhg *via = rib_lookup(g->r, h);

		if (via == NULL)
			continue;
		for (j = 0; j < via->n && k < RIB_NHG_MAX; j++) {
			/* on-link: to the next hop itself, else its gateway */
			nh[k].via = via->nh[j].via != 0 ? via->nh[j].via : h;
			nh[k++].ifindex = via->nh[j].ifindex;
		}
	}
	g->installing = true;
	if (k == 0 || (id = rib_nhg_get(g->r, nh, k)) == UINT32_MAX) {
		rib_del(g->r, c->prefix, c->len, g->source, g->instance);
		g->installing = false;
		return;
	}
	memset(&rt, 0, sizeof(rt));
	rt.source = g->source;
	rt.pref = c->paths[0].ebgp ? BGP_PREF_EBGP : BGP_PREF_IBGP;
	rt.instance = g->instance;
	rt.metric = c->paths[0].igp_cost;
	rt.nhg = id;
	rt.attr = c->paths[0].a;
	rib_add(g->r, c->prefix, c->len, &rt);
	rib_nhg_put(g->r, id);
	g->installing = false;
}

static void
on_change(struct bgp_rib *br, const struct bgp_change *c, void *ctx)
{
	(void)br;
	install(ctx, c);
}

static void
on_walk(const struct bgp_change *c, void *ctx)
{
	install(ctx, c);
}

/* The Loc-RIB is about to change prefix/len: warm the node's table for it. */
static void
on_prefetch(void *ctx, uint32_t prefix, uint8_t len, unsigned step)
{
	struct bgp_node_glue *g = ctx;

	rib_prefetch(g->r, prefix, len, step);
}

/* "AS path 12076 31898, next hop 192.168.100.1, local pref 100, ..." */
static void
describe(const struct rib_route *rt, char *buf, size_t len)
{
	static const char *const origin[] = { "IGP", "EGP", "incomplete" };
	const struct bgp_attrs *a = rt->attr;
	struct bgp_attrs_var v;
	char path[256];
	int off;

	if (a == NULL)
		return;
	bgp_attrs_var(a, &v);
	bgp_path_str(v.path, v.path_len, path, sizeof(path));
	off = snprintf(buf, len, "AS path %s, next hop %u.%u.%u.%u, origin %s",
	    path[0] != '\0' ? path : "(empty)", a->next_hop >> 24,
	    a->next_hop >> 16 & 0xff, a->next_hop >> 8 & 0xff,
	    a->next_hop & 0xff, a->origin < 3 ? origin[a->origin] : "?");
	if (off > 0 && (size_t)off < len && (a->has &
	    BGP_HAS(BGP_ATTR_LOCAL_PREF)))
		off += snprintf(buf + off, len - (size_t)off,
		    ", local pref %u", a->local_pref);
	if (off > 0 && (size_t)off < len && (a->has & BGP_HAS(BGP_ATTR_MED)))
		snprintf(buf + off, len - (size_t)off, ", MED %u", a->med);
}

struct bgp_node_glue *
bgp_node_attach(struct bgp_rib *br, struct rib *r, uint8_t source,
    uint32_t instance)
{
	struct bgp_node_glue *g = xcalloc(1, sizeof(*g));

	g->br = br;
	g->r = r;
	g->source = source;
	g->instance = instance;
	g->src.name = "bgp";
	g->src.cmp = NULL;
	g->src.multipath = false;	/* one route per prefix, its own ECMP */
	g->src.describe = describe;
	rib_set_source(r, source, &g->src);
	bgp_rib_set_resolver(br, bgp_node_resolve, g);
	bgp_rib_add_listener(br, on_change, g);
	bgp_rib_set_prefetch(br, on_prefetch, g);
	bgp_rib_walk(br, on_walk, g);
	return g;
}

/*
 * The re-resolution: every next hop again (the Loc-RIB's changes install
 * through on_change), then every route again, since a next hop still
 * reachable, with no decision changed, may now be reached through other
 * members (an identical route is no change for r: nothing reported).
 */
static void
reresolve_ev(struct sim *sim, void *arg)
{
	struct bgp_node_glue *g = arg;

	(void)sim;
	g->ev = (sim_event_id){ 0, 0 };
	bgp_rib_nexthops_changed(g->br);
	bgp_rib_walk(g->br, on_walk, g);
	if (g->done != NULL)
		g->done(g->done_ctx);
}

static void
on_node_change(struct rib *r, const struct rib_change *c, void *ctx)
{
	struct bgp_node_glue *g = ctx;

	(void)r;
	(void)c;
	if (g->installing || sim_is_pending(g->sim, g->ev))
		return;
	g->ev = sim_schedule(g->sim, 0, reresolve_ev, g);
}

void
bgp_node_follow(struct bgp_node_glue *g, struct sim *sim,
    void (*done)(void *), void *ctx)
{
	if (g->sim != NULL)
		return;
	g->sim = sim;
	g->done = done;
	g->done_ctx = ctx;
	rib_add_listener(g->r, on_node_change, g);
}

void
bgp_node_detach(struct bgp_node_glue *g)
{
	if (g == NULL)
		return;
	if (g->sim != NULL) {
		rib_remove_listener(g->r, on_node_change, g);
		sim_cancel(g->sim, g->ev);
	}
	bgp_rib_remove_listener(g->br, on_change, g);
	bgp_rib_set_prefetch(g->br, NULL, NULL);
	bgp_rib_set_resolver(g->br, NULL, NULL);
	rib_del_instance(g->r, g->source, g->instance);
	free(g);
}
