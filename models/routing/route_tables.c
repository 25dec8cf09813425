/*
 * route_tables.c - named route tables (route_tables.h): static entries and
 * imports into a node's VRF, the import listeners, the cycle check and the
 * explanation of a prefix's candidates.
 *
 * Every entry is one (source, instance) of the table's RIB and the route's
 * attribute pointer is the entry itself, so a query tells route_tables'
 * routes from other sources' by the pointer alone (the RIB only keeps and
 * compares it).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "net.h"
#include "rib.h"
#include "route_tables.h"
#include "sim.h"
#include "util.h"

struct rt_table {
	struct route_tables *rts;
	struct node *n;
	uint32_t vrf;
	struct rib *rib;
	bool ecmp;
	uint32_t next_inst;	/* instances handed out, from 1 */
	/*
	 * This table's own view of each named source it uses: the node's
	 * name, this table's ECMP flag and the describe of route queries
	 * (node_route_source_set), so two tables of one node may differ.
	 */
	struct rib_source src[RIB_SRC_MAX];
	char *src_name[RIB_SRC_MAX];
};

struct rt_entry {
	struct rt_table *t;
	bool import;
	uint8_t source;
	uint32_t instance;
	uint16_t pref;
	char *source_name, *nht;
	struct rt_nexthop nh;
	uint32_t nhg;		/* one reference held in t->rib */
	/* an import */
	struct node *from;
	uint32_t from_vrf;
	struct rib *from_rib;
	char **from_sources;
	size_t n_from;
	struct rt_prefix *ex, *only;
	size_t n_ex, n_only;
	bool listening;
	bool active;
	/* a static route */
	uint32_t prefix;
	uint8_t len;
};

struct route_tables {
	struct rt_table **t;
	size_t n_t;
	struct rt_entry **e;
	size_t n_e;
};

static uint32_t
mask(uint8_t len)
{
	return len == 0 ? 0 : UINT32_MAX << (32 - len);
}

static bool
within(uint32_t prefix, uint8_t len, const struct rt_prefix *p)
{
	return len >= p->len && (prefix & mask(p->len)) == p->prefix;
}

struct route_tables *
route_tables_new(void)
{
	return xcalloc(1, sizeof(struct route_tables));
}

static void
entry_free(struct rt_entry *e)
{
	size_t i;

	for (i = 0; i < e->n_from; i++)
		free(e->from_sources[i]);
	free(e->from_sources);
	free(e->ex);
	free(e->only);
	free(e->source_name);
	free(e->nht);
	free(e);
}

static void import_on_change(struct rib *r, const struct rib_change *c,
    void *ctx);

void
route_tables_free(struct route_tables *rts)
{
	size_t i;

	if (rts == NULL)
		return;
	/* listeners first: nothing more comes in while the routes go */
	for (i = 0; i < rts->n_e; i++)
		if (rts->e[i]->listening)
			rib_remove_listener(rts->e[i]->from_rib,
			    import_on_change, rts->e[i]);
	for (i = 0; i < rts->n_e; i++) {
		struct rt_entry *e = rts->e[i];

		rib_del_instance(e->t->rib, e->source, e->instance);
		rib_nhg_put(e->t->rib, e->nhg);
		entry_free(e);
	}
	for (i = 0; i < rts->n_t; i++) {
		for (size_t k = 0; k < RIB_SRC_MAX; k++)
			free(rts->t[i]->src_name[k]);
		free(rts->t[i]);
	}
	free(rts->t);
	free(rts->e);
	free(rts);
}

struct rt_table *
route_tables_table(struct route_tables *rts, struct node *n, uint32_t vrf,
    bool ecmp)
{
	struct rt_table *t;
	struct rib *r = node_rib(n, vrf);
	size_t i;

	if (r == NULL)
		return NULL;
	for (i = 0; i < rts->n_t; i++)
		if (rts->t[i]->n == n && rts->t[i]->vrf == vrf)
			return rts->t[i];
	t = xcalloc(1, sizeof(*t));
	t->rts = rts;
	t->n = n;
	t->vrf = vrf;
	t->rib = r;
	t->ecmp = ecmp;
	rts->t = xrealloc(rts->t, (rts->n_t + 1) * sizeof(*rts->t));
	rts->t[rts->n_t++] = t;
	return t;
}

/* The RIB member of a next hop, resolving a via without an interface. */
static int
resolve_nh(const struct rt_table *t, const struct rt_nexthop *nh,
    struct rib_nh *out, char *err, size_t errlen)
{
	char a[16];
	size_t i;

	out->via = 0;
	switch (nh->kind) {
	case RT_NH_DROP:
		out->ifindex = RIB_IF_DROP;
		return 0;
	case RT_NH_TABLE:
		if (node_rib(t->n, nh->vrf) == NULL || nh->vrf == t->vrf) {
			sim_err(err, errlen, "table: no other VRF %u on node %s",
			    nh->vrf, node_name(t->n));
			return -1;
		}
		out->ifindex = RIB_IF_TABLE(nh->vrf);
		return 0;
	case RT_NH_IFACE:
		if (nh->ifindex >= node_n_ifaces(t->n)) {
			sim_err(err, errlen, "no interface %u on node %s",
			    nh->ifindex, node_name(t->n));
			return -1;
		}
		out->ifindex = nh->ifindex;
		return 0;
	case RT_NH_VIA:
		out->via = nh->via;
		if (nh->ifindex != IFACE_NONE) {
			if (nh->ifindex >= node_n_ifaces(t->n)) {
				sim_err(err, errlen, "no interface %u on node %s",
				    nh->ifindex, node_name(t->n));
				return -1;
			}
			out->ifindex = nh->ifindex;
			return 0;
		}
		/*
		 * The interface whose subnet holds via, as the check saw it:
		 * not the table's longest match, which a route installed
		 * earlier (a /32 drop) could win.
		 */
		for (i = 0; i < node_n_ifaces(t->n); i++) {
			uint8_t pl = node_iface_plen(t->n, (uint32_t)i);

			if (pl == 0 || node_iface_vrf(t->n, (uint32_t)i) != t->vrf ||
			    ((node_iface_addr(t->n, (uint32_t)i) ^ nh->via) &
			    mask(pl)) != 0)
				continue;
			out->ifindex = (uint32_t)i;
			return 0;
		}
		sim_err(err, errlen, "next hop %s is not on a connected subnet "
		    "of vrf %s of node %s", wire_ip_str(nh->via, a),
		    rib_name(t->rib), node_name(t->n));
		return -1;
	}
	sim_err(err, errlen, "bad next hop kind");
	return -1;
}

/*
 * A route's attributes for queries: the cloud's next hop type, and where
 * an imported route came from ("Virtual network gateway; from hub-gw bgp").
 */
static void
rt_describe(const struct rib_route *rt, char *buf, size_t len)
{
	const struct rt_entry *e = rt->attr;
	int off;

	if (e == NULL)
		return;
	off = snprintf(buf, len, "%s", e->nht);
	if (e->import && off >= 0 && (size_t)off < len)
		snprintf(buf + off, len - (size_t)off, "%sfrom %s/%s %s",
		    off > 0 ? "; " : "", node_name(e->from),
		    node_vrf_name(e->from, e->from_vrf), e->n_from == 1 ?
		    e->from_sources[0] : "routes");
}

/* A new entry of t with its source, instance and next-hop group. */
static struct rt_entry *
entry_new(struct rt_table *t, const char *source, uint16_t pref,
    const char *nht, const struct rt_nexthop *nh, char *err, size_t errlen)
{
	struct rt_entry *e;
	struct rib_nh rn;
	int id;

	if (source == NULL || strcmp(source, "connected") == 0) {
		sim_err(err, errlen, "source 'connected' is the interfaces' "
		    "subnets: give a route another source name");
		return NULL;
	}
	if (resolve_nh(t, nh, &rn, err, errlen) < 0)
		return NULL;
	if (strcmp(source, "static") == 0)
		id = RIB_SRC_STATIC;
	else if ((id = node_route_source(t->n, source, t->ecmp)) < 0) {
		sim_err(err, errlen, "node %s: no route source id left for "
		    "'%s'", node_name(t->n), source);
		return NULL;
	}
	if (id >= RIB_SRC_NAMED && t->src_name[id] == NULL) {
		/* the first route of this source in this table */
		t->src_name[id] = xstrdup(source);
		t->src[id] = (struct rib_source){ .name = t->src_name[id],
		    .multipath = t->ecmp, .describe = rt_describe };
		node_route_source_set(t->n, t->vrf, id, &t->src[id]);
	}
	e = xcalloc(1, sizeof(*e));
	e->t = t;
	e->source = (uint8_t)id;
	e->instance = ++t->next_inst;
	e->pref = pref;
	e->source_name = xstrdup(source);
	e->nht = xstrdup(nht != NULL ? nht : "");
	e->nh = *nh;
	e->nhg = rib_nhg_get(t->rib, &rn, 1);
	return e;
}

static void
entry_keep(struct route_tables *rts, struct rt_entry *e)
{
	rts->e = xrealloc(rts->e, (rts->n_e + 1) * sizeof(*rts->e));
	rts->e[rts->n_e++] = e;
}

static void
install(struct rt_entry *e, uint32_t prefix, uint8_t len)
{
	struct rib_route rt;

	memset(&rt, 0, sizeof(rt));
	rt.source = e->source;
	rt.pref = e->pref;
	rt.instance = e->instance;
	rt.nhg = e->nhg;
	rt.attr = e;
	SIM_ASSERT(rib_add(e->t->rib, prefix, len, &rt) >= 0,
	    "route_tables: bad route");
}

int
route_tables_add_route(struct rt_table *t, const struct rt_route_cfg *c,
    char *err, size_t errlen)
{
	struct rt_entry *e;

	if (c->len > 32 || (c->prefix & ~mask(c->len)) != 0) {
		sim_err(err, errlen, "invalid prefix");
		return -1;
	}
	if ((e = entry_new(t, c->source, c->pref, c->next_hop_type, &c->nh,
	    err, errlen)) == NULL)
		return -1;
	e->prefix = c->prefix;
	e->len = c->len;
	entry_keep(t->rts, e);
	if (c->entry != NULL)
		*c->entry = e;
	if (!c->inactive)
		route_tables_set_active(e, true);
	return 0;
}

/* ---- imports ---- */

/* Does an import take prefix/len whose best route there is best? */
static bool
wanted(const struct rt_entry *e, const struct rib *r, uint32_t prefix,
    uint8_t len, const struct rib_route *best)
{
	const char *name;
	char buf[32];
	size_t i;

	for (i = 0; i < e->n_ex; i++)
		if (within(prefix, len, &e->ex[i]))
			return false;
	for (i = 0; i < e->n_only; i++)
		if (within(prefix, len, &e->only[i]))
			break;
	if (e->n_only > 0 && i == e->n_only)
		return false;
	name = rib_source_name(r, best->source, buf, sizeof(buf));
	for (i = 0; i < e->n_from; i++)
		if (strcmp(e->from_sources[i], name) == 0)
			return true;
	return false;
}

/* The other table changed a best route: follow it here at once. */
static void
import_on_change(struct rib *r, const struct rib_change *c, void *ctx)
{
	struct rt_entry *e = ctx;

	if (c->best != NULL && wanted(e, r, c->prefix, c->len, c->best))
		install(e, c->prefix, c->len);
	else
		rib_del(e->t->rib, c->prefix, c->len, e->source, e->instance);
}

static void
import_walk(uint32_t prefix, uint8_t len, const struct rib_route *best,
    const struct rib_nhg *nhg, void *ctx)
{
	struct rt_entry *e = ctx;

	(void)nhg;
	if (wanted(e, e->from_rib, prefix, len, best))
		install(e, prefix, len);
}

void
route_tables_set_active(struct rt_entry *e, bool on)
{
	if (e->active == on)
		return;
	e->active = on;
	if (!e->import) {
		if (on)
			install(e, e->prefix, e->len);
		else
			rib_del(e->t->rib, e->prefix, e->len, e->source,
			    e->instance);
		return;
	}
	if (on) {
		rib_walk(e->from_rib, import_walk, e);
		rib_add_listener(e->from_rib, import_on_change, e);
		e->listening = true;
		return;
	}
	rib_remove_listener(e->from_rib, import_on_change, e);
	e->listening = false;
	rib_del_instance(e->t->rib, e->source, e->instance);
}

bool
route_tables_active(const struct rt_entry *e)
{
	return e->active;
}

/* Is table (n, vrf) fed, through imports, from table (from, fvrf)? */
static bool
fed_from(const struct route_tables *rts, const struct node *n, uint32_t vrf,
    const struct node *from, uint32_t fvrf, size_t depth)
{
	size_t i;

	if (n == from && vrf == fvrf)
		return true;
	if (depth > rts->n_e)
		return false;
	for (i = 0; i < rts->n_e; i++) {
		const struct rt_entry *e = rts->e[i];

		if (e->import && e->t->n == n && e->t->vrf == vrf &&
		    fed_from(rts, e->from, e->from_vrf, from, fvrf, depth + 1))
			return true;
	}
	return false;
}

static struct rt_prefix *
copy_prefixes(const struct rt_prefix *p, size_t n)
{
	struct rt_prefix *v;

	if (n == 0)
		return NULL;
	v = xmalloc(n * sizeof(*v));
	memcpy(v, p, n * sizeof(*v));
	return v;
}

int
route_tables_add_import(struct rt_table *t, const struct rt_import_cfg *c,
    char *err, size_t errlen)
{
	struct rib *fr = node_rib(c->from, c->from_vrf);
	struct rt_entry *e;
	size_t i;

	if (fr == NULL) {
		sim_err(err, errlen, "node %s has no VRF %u", node_name(c->from),
		    c->from_vrf);
		return -1;
	}
	/* the new edge runs from (from, from_vrf) into t */
	if (fed_from(t->rts, c->from, c->from_vrf, t->n, t->vrf, 0)) {
		sim_err(err, errlen, "import cycle: vrf %s of node %s is fed "
		    "from vrf %s of node %s", rib_name(fr), node_name(c->from),
		    rib_name(t->rib), node_name(t->n));
		return -1;
	}
	for (i = 0; i < c->n_exclude; i++)
		if ((c->exclude_within[i].prefix &
		    ~mask(c->exclude_within[i].len)) != 0)
			goto bad;
	for (i = 0; i < c->n_only; i++)
		if ((c->only_within[i].prefix & ~mask(c->only_within[i].len)) !=
		    0)
			goto bad;
	if ((e = entry_new(t, c->source, c->pref, c->next_hop_type, &c->nh,
	    err, errlen)) == NULL)
		return -1;
	e->import = true;
	e->from = c->from;
	e->from_vrf = c->from_vrf;
	e->from_rib = fr;
	e->from_sources = xcalloc(c->n_from_sources + 1, sizeof(char *));
	for (i = 0; i < c->n_from_sources; i++)
		e->from_sources[i] = xstrdup(c->from_sources[i]);
	e->n_from = c->n_from_sources;
	e->ex = copy_prefixes(c->exclude_within, c->n_exclude);
	e->n_ex = c->n_exclude;
	e->only = copy_prefixes(c->only_within, c->n_only);
	e->n_only = c->n_only;
	entry_keep(t->rts, e);
	if (c->entry != NULL)
		*c->entry = e;
	if (!c->inactive)
		route_tables_set_active(e, true);
	return 0;
bad:
	sim_err(err, errlen, "a prefix filter has host bits set");
	return -1;
}

/* ---- queries ---- */

static void
nh_text(struct node *n, const struct rib_route *rt, const struct rib_nhg *g,
    char *buf, size_t len)
{
	size_t off = 0;
	uint32_t i;
	char a[16];
	int k;

	buf[0] = '\0';
	for (i = 0; g != NULL && i < g->n && off < len; i++) {
		const struct rib_nh *m = &g->nh[i];
		const char *sep = i ? ", " : "";

		if (m->ifindex == RIB_IF_DROP)
			k = snprintf(buf + off, len - off, "%sblackhole", sep);
		else if (RIB_IF_IS_TABLE(m->ifindex))
			k = snprintf(buf + off, len - off, "%stable %s", sep,
			    rib_name(node_rib(n, RIB_IF_TABLE_VRF(m->ifindex))));
		else if (rt->source == RIB_SRC_CONNECTED || m->via == 0)
			k = snprintf(buf + off, len - off, "%sdev %s", sep,
			    node_iface_name(n, m->ifindex));
		else
			k = snprintf(buf + off, len - off, "%svia %s dev %s", sep,
			    wire_ip_str(m->via, a),
			    node_iface_name(n, m->ifindex));
		if (k < 0)
			break;
		off += (size_t)k;
	}
}

/* The entry a route is, if route_tables installed it in (n, vrf). */
static const struct rt_entry *
entry_of(const struct route_tables *rts, const struct node *n, uint32_t vrf,
    const struct rib_route *rt)
{
	size_t i;

	for (i = 0; rts != NULL && i < rts->n_e; i++)
		if (rt->attr == rts->e[i] && rts->e[i]->t->n == n &&
		    rts->e[i]->t->vrf == vrf)
			return rts->e[i];
	return NULL;
}

int
route_tables_explain(const struct route_tables *rts, struct node *n,
    uint32_t vrf, uint32_t prefix, uint8_t len, struct rt_explain *ex)
{
	struct rib *r = node_rib(n, vrf);
	struct rib_explain rx;
	char buf[32];
	size_t i;

	memset(ex, 0, sizeof(*ex));
	if (r == NULL || rib_explain(r, prefix, len, &rx) < 0)
		return -1;
	ex->n = rx.n;
	ex->cand = xcalloc(rx.n, sizeof(*ex->cand));
	snprintf(ex->why, sizeof(ex->why), "%s", rx.why);
	for (i = 0; i < rx.n; i++) {
		const struct rib_route *rt = &rx.cand[i];
		struct rt_cand *c = &ex->cand[i];
		const struct rt_entry *e = entry_of(rts, n, vrf, rt);
		struct rib_route o;

		snprintf(c->source, sizeof(c->source), "%s",
		    rib_source_name(r, rt->source, buf, sizeof(buf)));
		c->pref = rt->pref;
		c->metric = rt->metric;
		c->instance = rt->instance;
		c->in_fib = i < rx.n_multipath;
		nh_text(n, rt, rib_nhg(r, rt->nhg), c->next_hop,
		    sizeof(c->next_hop));
		if (e == NULL)
			continue;
		snprintf(c->next_hop_type, sizeof(c->next_hop_type), "%s",
		    e->nht);
		if (!e->import)
			continue;
		snprintf(c->from_node, sizeof(c->from_node), "%s",
		    node_name(e->from));
		snprintf(c->from_vrf, sizeof(c->from_vrf), "%s",
		    rib_name(e->from_rib));
		/* imports follow at once: the origin is the best there now */
		if (rib_best(e->from_rib, prefix, len, &o))
			snprintf(c->from_source, sizeof(c->from_source), "%s",
			    rib_source_name(e->from_rib, o.source, buf,
			    sizeof(buf)));
	}
	rib_explain_free(&rx);
	return 0;
}

void
route_tables_explain_free(struct rt_explain *ex)
{
	free(ex->cand);
	ex->cand = NULL;
	ex->n = 0;
}
