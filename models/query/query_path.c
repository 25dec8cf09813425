/*
 * query_path.c - the hops a packet takes, asked of a running simulation as
 * Network Watcher's next hop / IP flow verify and OCI's Network Path
 * Analyzer answer it: at each node, the filter verdict where it came in,
 * the route it took and why, and the filter verdict where it went out;
 * then the return path, where a stateful filter lets the reply through as
 * part of the tracked flow.
 *
 * The walk reads the same tables and asks the same filters as forwarding
 * does (node_route_hop, acl_explain), without sending anything or touching
 * a connection table: asking changes nothing in the run. An interface
 * without a link is crossed where a model says where its packets enter
 * again (query_cross.h): a tunnel's outer packet is walked first, from
 * the same node, and the tunnel crossed only if it arrives.
 */
#include <stdlib.h>
#include <string.h>

#include "acl.h"
#include "acl_scenario.h"
#include "net.h"
#include "query.h"
#include "scenario.h"
#include "query_int.h"
#include "rib.h"
#include "scenario_run.h"
#include "util.h"
#include "wire.h"

static const char *
ip(uint32_t a, char buf[16])
{
	return wire_ip_str(a, buf);
}

/* The acl binding on (n, ifindex) in the run, or NULL. */
static struct acl_binding *
binding(void *acl_state, struct node *n, uint32_t ifindex)
{
	if (acl_state == NULL || ifindex == IFACE_NONE)
		return NULL;
	return acl_scenario_binding(acl_state, node_name(n),
	    node_iface_name(n, ifindex));
}

/* Was this binding's verdict on the way there one that tracks the flow? */
static bool
tracks(const struct verdict *v)
{
	size_t i;

	if (v->b == NULL || !v->d.allow)
		return false;
	for (i = 0; i < v->d.n_hits; i++)
		if (v->d.hit[i].rule != NULL && v->d.hit[i].allow &&
		    v->d.hit[i].rule->stateless)
			return false;
	return true;
}

/*
 * Judge the packet at a filter. A reply (there is set: the walk to it)
 * passes a binding that tracked the request without consulting rules.
 */
static bool
judge(struct verdict *v, struct acl_binding *b, enum acl_dir dir,
    const struct acl_tuple *t, const struct walk *there)
{
	size_t i;

	memset(v, 0, sizeof(*v));
	v->b = b;
	if (b == NULL)
		return true;
	for (i = 0; there != NULL && i < there->n; i++) {
		const struct hop *h = &there->hop[i];

		if ((h->in.b == b && tracks(&h->in)) ||
		    (h->out.b == b && tracks(&h->out))) {
			v->tracked = true;
			v->d.allow = true;
			return true;
		}
	}
	acl_explain(b, dir, t, &v->d);
	return v->d.allow;
}

static uint32_t
local_iface(const struct node *n, uint32_t vrf, uint32_t addr)
{
	size_t i;

	for (i = 0; i < node_n_ifaces(n); i++)
		if (node_iface_vrf(n, (uint32_t)i) == vrf &&
		    node_iface_addr(n, (uint32_t)i) == addr)
			return (uint32_t)i;
	return IFACE_NONE;
}

/* Tunnels inside tunnels: how deep the outer walks go. */
#define CROSS_DEPTH_MAX 3

static void walk(struct walk *w, const struct query_env *env,
    struct node *from, uint32_t vrf, const struct acl_tuple *t,
    const struct walk *there, unsigned depth);

/* The nodes of w, "a b c", into buf. */
static void
walk_nodes(const struct walk *w, char *buf, size_t len)
{
	size_t i, off = 0;

	buf[0] = '\0';
	for (i = 0; i < w->n && off < len; i++)
		off += (size_t)snprintf(buf + off, len - off, "%s%s",
		    i ? " " : "", node_name(w->hop[i].node));
}

/*
 * Cross (n, ifindex), an interface without a link: 0 when no model takes
 * it; 1 with *to, *to_if set and h->cross saying how; -1 with w->end
 * saying why it stops there.
 */
static int
cross(struct walk *w, struct hop *h, const struct query_env *env,
    struct node *n, uint32_t ifindex, unsigned depth, struct node **to,
    uint32_t *to_if)
{
	const struct query_crossing *const *cs;
	size_t i, nc = query_crossings(&cs);
	struct query_cross c;
	struct acl_tuple ot;
	struct walk *ow;
	char a[16], b[16], nodes[240];
	bool ok;

	for (i = 0; i < nc; i++) {
		if (env->cross[i] == NULL)
			continue;
		memset(&c, 0, sizeof(c));
		if (cs[i]->cross(env->cross[i], n, ifindex, &c))
			break;
	}
	if (i == nc)
		return 0;
	snprintf(h->cross, sizeof(h->cross), "%s", c.what);
	if (c.to == NULL) {
		snprintf(w->end_buf, sizeof(w->end_buf), "dropped: %s",
		    c.what);
		w->end = w->end_buf;
		return -1;
	}
	if (c.outer && depth + 1 < CROSS_DEPTH_MAX) {
		memset(&ot, 0, sizeof(ot));
		ot.src = c.outer_src;
		ot.dst = c.outer_dst;
		ot.proto = c.outer_proto;
		ot.sport = c.outer_sport;
		ot.dport = c.outer_dport;
		ot.icmp_type = ot.icmp_code = -1;
		ot.l4 = true;
		ow = xcalloc(1, sizeof(*ow));
		/* a new flow of its own: no request it could be the reply of */
		walk(ow, env, n, c.outer_vrf, &ot, NULL, depth + 1);
		ok = ow->delivered && ow->hop[ow->n - 1].node == c.to;
		walk_nodes(ow, nodes, sizeof(nodes));
		snprintf(h->cross + strlen(h->cross), sizeof(h->cross) -
		    strlen(h->cross), "; outer %s -> %s %s: %s%s%s",
		    ip(c.outer_src, a), ip(c.outer_dst, b), c.outer_proto ==
		    WIRE_IPPROTO_UDP ? "udp" : "esp", nodes, ok ? "" : " => ",
		    ok ? "" : ow->delivered ? "delivered to another node" :
		    ow->end);
		free(ow);
		if (!ok) {
			snprintf(w->end_buf, sizeof(w->end_buf), "dropped: "
			    "the tunnel's outer packet does not arrive");
			w->end = w->end_buf;
			return -1;
		}
	}
	*to = c.to;
	*to_if = c.to_if;
	return 1;
}

static void
walk(struct walk *w, const struct query_env *env, struct node *from,
    uint32_t vrf, const struct acl_tuple *t, const struct walk *there,
    unsigned depth)
{
	void *acl_state = env->acl_state;
	struct node *n = from;
	uint32_t in_if = IFACE_NONE;
	struct node_hop nh;
	char err[160];

	memset(w, 0, sizeof(*w));
	while (w->n < PATH_HOPS_MAX) {
		struct hop *h = &w->hop[w->n++];
		struct link *l;
		uint8_t dir;
		uint32_t peer_if;

		h->node = n;
		h->in_if = in_if;
		h->out_if = IFACE_NONE;
		h->vrf = vrf;
		if (!judge(&h->in, binding(acl_state, n, in_if), ACL_OUTBOUND,
		    t, there)) {
			w->end = "dropped by a filter where it came in";
			return;
		}
		if (local_iface(n, vrf, t->dst) != IFACE_NONE) {
			w->delivered = true;
			w->end = "delivered";
			return;
		}
		if (in_if != IFACE_NONE && !node_forwarding(n)) {
			w->end = "dropped: the node is a host and does not "
			    "forward";
			return;
		}
		if (node_route_hop(n, vrf, t->src, t->dst, t->proto, t->sport,
		    t->dport, &nh, err, sizeof(err)) < 0) {
			snprintf(h->route, sizeof(h->route), "%s", err);
			w->end = nh.blackhole ? "dropped: the route's next hop "
			    "is a blackhole" : "dropped: no route";
			return;
		}
		snprintf(h->route, sizeof(h->route), "%s", nh.text);
		h->out_if = nh.ifindex;
		if (!judge(&h->out, binding(acl_state, n, nh.ifindex),
		    ACL_INBOUND, t, there)) {
			w->end = "dropped by a filter where it went out";
			return;
		}
		l = node_iface_link(n, nh.ifindex, &dir);
		if (l == NULL) {
			switch (cross(w, h, env, n, nh.ifindex, depth, &n,
			    &peer_if)) {
			case 0:
				w->end = "dropped: the interface has no link";
				return;
			case -1:
				return;
			}
			in_if = peer_if;
			vrf = node_iface_vrf(n, peer_if);
			continue;
		}
		if (!link_is_up(l)) {
			snprintf(h->route + strlen(h->route), sizeof(h->route) -
			    strlen(h->route), " (link %s is down)",
			    link_name(l));
			w->end = "dropped: the link is down";
			return;
		}
		n = link_dst(l, dir, &peer_if);
		in_if = peer_if;
		vrf = node_iface_vrf(n, peer_if);
	}
	w->end = "stopped: more than 64 hops (a loop?)";
}

/* "nsg app-nsg: allowed by rule AllowDb priority 100" and the like */
static void
verdict_text(const struct verdict *v, const char *where, char *buf,
    size_t len)
{
	size_t i, off = 0;

	buf[0] = '\0';
	if (v->b == NULL)
		return;
	if (v->tracked) {
		snprintf(buf, len, "%s: allowed as the reply of a tracked flow",
		    where);
		return;
	}
	off = (size_t)snprintf(buf, len, "%s:", where);
	for (i = 0; i < v->d.n_hits && off < len; i++) {
		const struct acl_hit *hi = &v->d.hit[i];
		const struct acl_rule *r = hi->rule;

		off += (size_t)snprintf(buf + off, len - off, "%s %s %s %s",
		    i ? ";" : "", acl_label(hi->acl), acl_name(hi->acl),
		    hi->allow ? "allows" : "denies");
		if (off >= len)
			break;
		if (r == NULL)
			off += (size_t)snprintf(buf + off, len - off,
			    " (no rule matched)");
		else if (acl_mode(hi->acl) == ACL_FIRST_MATCH)
			off += (size_t)snprintf(buf + off, len - off,
			    " (rule %s, priority %u)", r->name, r->priority);
		else
			off += (size_t)snprintf(buf + off, len - off,
			    " (rule %s%s)", r->name, r->stateless ?
			    ", stateless" : "");
	}
	if (v->d.table_full && off < len)
		snprintf(buf + off, len - off, "; connection tracking table "
		    "full");
}

static void
print_walk(FILE *out, const struct walk *w, bool json)
{
	char in[512], eg[512];
	size_t i;

	if (json)
		fputs("{\"hops\": [", out);
	for (i = 0; i < w->n; i++) {
		const struct hop *h = &w->hop[i];
		const char *inn = h->in_if != IFACE_NONE ?
		    node_iface_name(h->node, h->in_if) : "";
		const char *outn = h->out_if != IFACE_NONE ?
		    node_iface_name(h->node, h->out_if) : "";

		verdict_text(&h->in, "in", in, sizeof(in));
		verdict_text(&h->out, "out", eg, sizeof(eg));
		if (json) {
			fprintf(out, "%s{\"node\": ", i ? ", " : "");
			scenario_json_str(out, node_name(h->node));
			fputs(", \"in\": ", out);
			scenario_json_str(out, inn);
			fputs(", \"vrf\": ", out);
			scenario_json_str(out, node_vrf_name(h->node, h->vrf));
			fputs(", \"route\": ", out);
			scenario_json_str(out, h->route);
			fputs(", \"out\": ", out);
			scenario_json_str(out, outn);
			fputs(", \"filter_in\": ", out);
			scenario_json_str(out, in);
			fputs(", \"filter_out\": ", out);
			scenario_json_str(out, eg);
			fputs(", \"cross\": ", out);
			scenario_json_str(out, h->cross);
			fputc('}', out);
			continue;
		}
		fprintf(out, "%3zu  %-22s %-16s %-44s %-16s\n", i + 1,
		    node_name(h->node), inn[0] ? inn : "-",
		    h->route[0] ? h->route : "-", outn[0] ? outn : "-");
		if (in[0] != '\0')
			fprintf(out, "       %s\n", in);
		if (eg[0] != '\0')
			fprintf(out, "       %s\n", eg);
		if (h->cross[0] != '\0')
			fprintf(out, "       via %s\n", h->cross);
	}
	if (json) {
		fputs("], \"result\": ", out);
		scenario_json_str(out, w->end);
		fprintf(out, ", \"delivered\": %s}", w->delivered ? "true" :
		    "false");
	} else {
		fprintf(out, "     => %s\n", w->end);
	}
}

uint32_t
query_node_addr(const struct node *n)
{
	for (size_t i = 0; i < node_n_ifaces(n); i++)
		if (node_iface_addr(n, (uint32_t)i) != 0)
			return node_iface_addr(n, (uint32_t)i);
	return 0;
}

void
query_env_init(struct query_env *env, struct net *net,
    void *(*state)(const void *ctx, const char *name), const void *ctx)
{
	const struct query_crossing *const *cs;
	size_t i, nc = query_crossings(&cs);

	memset(env, 0, sizeof(*env));
	env->net = net;
	env->acl_state = state(ctx, "acl_bindings");
	for (i = 0; i < nc; i++)
		env->cross[i] = state(ctx, cs[i]->section);
}

void
query_path_walk(const struct query_env *env, struct node *from,
    const struct query_probe *p, struct query_path_res *res)
{
	struct acl_tuple *t = &res->t, *rt = &res->rt;

	memset(res, 0, sizeof(*res));
	res->from = from;
	t->src = p->src != 0 ? p->src : node_source_for(from, 0, p->dst);
	t->dst = p->dst;
	t->proto = p->proto;
	t->sport = p->sport;
	t->dport = p->dport;
	t->icmp_type = p->proto == WIRE_IPPROTO_ICMP ? 8 : -1;
	t->icmp_code = p->proto == WIRE_IPPROTO_ICMP ? 0 : -1;
	t->icmp_id = p->proto == WIRE_IPPROTO_ICMP ? p->sport : 0;
	t->tcp_flags = p->proto == WIRE_IPPROTO_TCP ? 0x02 : 0;	/* SYN */
	t->l4 = true;
	walk(&res->there, env, from, 0, t, NULL, 0);
	if (!res->there.delivered)
		return;
	res->to = res->there.hop[res->there.n - 1].node;
	*rt = *t;
	rt->src = t->dst;
	rt->dst = t->src;
	rt->sport = t->dport;
	rt->dport = t->sport;
	rt->icmp_type = t->proto == WIRE_IPPROTO_ICMP ? 0 : -1;
	rt->tcp_flags = t->proto == WIRE_IPPROTO_TCP ? 0x12 : 0; /* SYN+ACK */
	walk(&res->back, env, res->to, 0, rt, &res->there, 0);
}

void
query_path_print(FILE *out, const struct query_path_res *res, bool json)
{
	const struct acl_tuple *t = &res->t;
	char a[16], b[16];

	if (json) {
		fprintf(out, "{\"from\": \"%s\", \"src\": \"%s\", \"dst\": "
		    "\"%s\", \"proto\": %u, \"sport\": %u, \"dport\": %u, "
		    "\"there\": ", node_name(res->from), ip(t->src, a),
		    ip(t->dst, b), t->proto, t->sport, t->dport);
	} else {
		fprintf(out, "Path from %s (%s) to %s", node_name(res->from),
		    ip(t->src, a), ip(t->dst, b));
		if (t->proto == WIRE_IPPROTO_TCP || t->proto == WIRE_IPPROTO_UDP)
			fprintf(out, ", %s %u -> %u", t->proto ==
			    WIRE_IPPROTO_TCP ? "tcp" : "udp", t->sport,
			    t->dport);
		else if (t->proto == WIRE_IPPROTO_ICMP)
			fputs(", icmp echo", out);
		fprintf(out, "\nhop  %-22s %-16s %-44s %-16s\n", "node", "in",
		    "route", "out");
	}
	print_walk(out, &res->there, json);
	if (res->to != NULL) {
		if (json) {
			fputs(", \"back\": ", out);
		} else {
			fprintf(out, "\nReturn path from %s (%s)\n",
			    node_name(res->to), ip(res->rt.src, a));
			fprintf(out, "hop  %-22s %-16s %-44s %-16s\n", "node",
			    "in", "route", "out");
		}
		print_walk(out, &res->back, json);
	}
	if (json)
		fputs("}\n", out);
}

static void *
run_state(const void *ctx, const char *name)
{
	return run_section_state(ctx, name);
}

static void
run_env(struct query_env *env, struct run *r)
{
	query_env_init(env, run_net(r), run_state, r);
}

static size_t
add_nodes(const struct walk *w, struct node **nodes, size_t n, size_t max)
{
	size_t i, k;

	for (i = 0; i < w->n; i++) {
		for (k = 0; k < n && nodes[k] != w->hop[i].node; k++)
			;
		if (k == n && n < max)
			nodes[n++] = w->hop[i].node;
	}
	return n;
}

size_t
query_path_nodes(struct run *r, struct node *from,
    const struct query_probe *p, struct node **nodes, size_t max)
{
	struct query_path_res *res = xcalloc(1, sizeof(*res));
	struct query_env env;
	size_t n;


	run_env(&env, r);
	query_path_walk(&env, from, p, res);
	n = add_nodes(&res->there, nodes, 0, max);
	n = add_nodes(&res->back, nodes, n, max);
	free(res);
	return n;
}

int
query_path(FILE *out, struct run *r, struct node *from,
    const struct query_probe *p, bool json)
{
	struct query_path_res *res = xcalloc(1, sizeof(*res));
	struct query_env env;
	int rc;


	run_env(&env, r);
	query_path_walk(&env, from, p, res);
	query_path_print(out, res, json);
	rc = res->there.delivered && res->back.delivered ? 0 : 1;
	free(res);
	return rc;
}
