/*
 * query_routes.c - naming a routing table and printing what it holds
 * (query.h): every candidate route of every prefix, the one that won and,
 * for one prefix, why, as Network Watcher's "effective routes" and a
 * router's "show ip route PREFIX" do.
 */
#include <stdlib.h>
#include <string.h>

#include "net.h"
#include "query.h"
#include "query_int.h"
#include "fib.h"
#include "rib.h"
#include "scenario.h"
#include "util.h"
#include "wire.h"

static void
list_vrfs(const struct node *n, char *err, size_t len, const char *name)
{
	size_t i, off;

	off = (size_t)snprintf(err, len, "node '%s' has no VRF '%s' (its VRFs: ",
	    node_name(n), name);
	for (i = 0; i < node_n_vrfs(n) && off < len; i++)
		off += (size_t)snprintf(err + off, len - off, "%s%s",
		    i ? ", " : "", node_vrf_name(n, (uint32_t)i));
	if (off < len)
		snprintf(err + off, len - off, ")");
}

int
query_resolve(struct net *net, const struct scenario *sc, const char *name,
    struct query_table *t, char *err, size_t errlen)
{
	const struct query_alias *a;
	const char *slash, *vrf = NULL;
	char node[SC_NAME_MAX + 1];
	size_t n;

	memset(t, 0, sizeof(*t));
	if ((a = query_alias_find(sc, name)) != NULL) {
		if ((t->node = net_find_node(net, a->node)) == NULL) {
			snprintf(err, errlen, "alias '%s' names node '%s', "
			    "which the run does not have", name, a->node);
			return -1;
		}
		t->vrf = node_find_vrf(t->node, a->vrf);
		if (t->vrf == UINT32_MAX) {
			list_vrfs(t->node, err, errlen, a->vrf ? a->vrf :
			    "default");
			return -1;
		}
		snprintf(t->label, sizeof(t->label), "%s/%s (%s%s%s)",
		    a->node, node_vrf_name(t->node, t->vrf), name,
		    a->what ? ": " : "", a->what ? a->what : "");
		return 0;
	}
	slash = strchr(name, '/');
	n = slash != NULL ? (size_t)(slash - name) : strlen(name);
	if (n > SC_NAME_MAX) {
		snprintf(err, errlen, "no node, VRF or alias '%s'", name);
		return -1;
	}
	memcpy(node, name, n);
	node[n] = '\0';
	if (slash != NULL)
		vrf = slash + 1;
	if ((t->node = net_find_node(net, node)) == NULL) {
		snprintf(err, errlen, "no node or alias '%s'", node);
		return -1;
	}
	if ((t->vrf = node_find_vrf(t->node, vrf)) == UINT32_MAX) {
		list_vrfs(t->node, err, errlen, vrf);
		return -1;
	}
	snprintf(t->label, sizeof(t->label), "%s/%s", node,
	    node_vrf_name(t->node, t->vrf));
	return 0;
}

bool
query_lookup(const struct query_table *t, uint32_t addr, uint32_t *prefix,
    unsigned *len)
{
	const struct rib *r = node_rib(t->node, t->vrf);
	uint32_t id;
	uint8_t l;

	if (r == NULL || !fib_lookup(rib_fib(r), addr, &id, &l))
		return false;
	*len = l;
	*prefix = l ? addr & (0xffffffffu << (32 - l)) : 0;
	return true;
}

struct rwalk {
	FILE *out;
	const struct query_table *t;
	const struct rib *r;
	bool json;
	size_t n;
};

/* One prefix: every candidate, best first; why when asked for. */
static void
print_prefix(struct rwalk *w, uint32_t prefix, uint8_t len, bool why)
{
	struct rib_explain ex;
	char pfx[24], a[16], sb[32], nh[512], desc[512];
	size_t i;

	if (rib_explain(w->r, prefix, len, &ex) < 0)
		return;
	snprintf(pfx, sizeof(pfx), "%s/%u", wire_ip_str(prefix, a), len);
	if (w->json) {
		fprintf(w->out, "%s{\"prefix\": \"%s\", \"why\": ",
		    w->n ? ", " : "", pfx);
		scenario_json_str(w->out, ex.why);
		fputs(", \"routes\": [", w->out);
	} else if (why) {
		fprintf(w->out, "%s: %s\n", pfx, ex.why);
	}
	for (i = 0; i < ex.n; i++) {
		const struct rib_route *c = &ex.cand[i];
		const char *src = rib_source_name(w->r, c->source, sb,
		    sizeof(sb));
		bool active = i < ex.n_multipath;

		node_nexthop_text(w->t->node, w->t->vrf, c, nh, sizeof(nh));
		rib_describe(w->r, c, desc, sizeof(desc));
		if (w->json) {
			fprintf(w->out, "%s{\"source\": ", i ? ", " : "");
			scenario_json_str(w->out, src);
			fprintf(w->out, ", \"preference\": %u, \"metric\": %u, "
			    "\"state\": \"%s\", \"next_hop\": ", c->pref,
			    c->metric, active ? "Active" : "Invalid");
			scenario_json_str(w->out, nh);
			fputs(", \"description\": ", w->out);
			scenario_json_str(w->out, desc);
			fputc('}', w->out);
			continue;
		}
		fprintf(w->out, "%-18s %-8s %-10s %4u  %-34s %s\n",
		    i == 0 ? pfx : "", active ? "Active" : "Invalid", src,
		    c->pref, nh, desc);
	}
	if (w->json)
		fputs("]}", w->out);
	w->n++;
	rib_explain_free(&ex);
}

static void
on_prefix(uint32_t prefix, uint8_t len, const struct rib_route *best,
    const struct rib_nhg *nhg, void *ctx)
{
	(void)best, (void)nhg;
	print_prefix(ctx, prefix, len, false);
}

size_t
query_routes(FILE *out, const struct query_table *t, uint32_t only,
    unsigned only_len, bool json)
{
	struct rwalk w = { out, t, node_rib(t->node, t->vrf), json, 0 };

	if (json) {
		fputs("{\"table\": ", out);
		scenario_json_str(out, t->label);
		fputs(", \"prefixes\": [", out);
	} else {
		fprintf(out, "Routes of %s\n", t->label);
		fprintf(out, "%-18s %-8s %-10s %4s  %-34s %s\n", "Prefix",
		    "State", "Source", "Pref", "Next hop", "Attributes");
	}
	if (only_len <= 32)
		print_prefix(&w, only, (uint8_t)only_len, true);
	else
		rib_walk(w.r, on_prefix, &w);
	if (json)
		fputs("]}\n", out);
	else if (w.n == 0)
		fputs(only_len <= 32 ? "(no route for exactly that prefix)\n" :
		    "(no routes)\n", out);
	return w.n;
}
