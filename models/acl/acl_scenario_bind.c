/*
 * acl_scenario_bind.c - the `acl_bindings` section (acl_scenario.h): each
 * item puts acls on a node's interface (acl_bind), using the acls the
 * `acls` section built (acl_scenario_int.h); its metrics.json part.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "acl_scenario.h"
#include "acl_scenario_int.h"
#include "gates.h"
#include "net.h"
#include "sim.h"

enum { BI_NODE, BI_IFACE, BI_ACLS, BI_COMBINE, BI_CONNTRACK_LIMIT, BI_GATE,
	BI_F_MAX };

struct bind_sc {
	char *node, *iface;
	char **acls;
	size_t n_acls;
	struct sc_loc *acl_loc;
	int combine;		/* index + 1 in combines */
	uint32_t ct_limit;
	char *gate;		/* models/gates, NULL = none */
	bool ok;
	size_t node_idx, iface_idx;
	size_t acl_idx[ACL_BINDING_ACLS];
	struct sc_loc loc;
	struct sc_loc vloc[BI_F_MAX];
	uint64_t keys[SC_KEYS_WORDS(BI_F_MAX)];
};

static const char *const combines[] = { "all", "any", NULL };
static const char *const combine_docs[] = {
	"each acl must allow: inbound in list order, outbound in reverse, "
	"the first refusal decides",
	"one acl allowing is enough (their rules' union)", NULL };

static const struct sc_field bi_fields[] = {
	[BI_NODE] = { "node", SC_FT_NAME, SC_AT(struct bind_sc, node),
		.required = true, .doc = "the node whose interface is bound" },
	[BI_IFACE] = { "iface", SC_FT_NAME, SC_AT(struct bind_sc, iface),
		.required = true, .doc = "the interface: frames the node sends "
		    "out of it are inbound to what it protects, frames it "
		    "receives on it outbound" },
	[BI_ACLS] = { "acls", SC_FT_NAMES, SC_AT(struct bind_sc, acls),
		SC_AT2(struct bind_sc, n_acls), SC_AT3(struct bind_sc, acl_loc),
		.required = true, .doc = "1 to 16 acls, in inbound evaluation "
		    "order" },
	[BI_COMBINE] = { "combine", SC_FT_ENUM,
		SC_AT(struct bind_sc, combine), .names = combines,
		.name_docs = combine_docs, .def = "all",
		.doc = "how the acls' verdicts combine" },
	[BI_CONNTRACK_LIMIT] = { "conntrack_limit", SC_FT_UINT,
		SC_AT(struct bind_sc, ct_limit), .max = UINT32_MAX,
		.def = "500000", .doc = "tracked flows on this binding; when "
		    "full a new stateful flow drops (default: Azure's "
		    "500,000 flows per NIC, cloud-facts 2.5)" },
	[BI_GATE] = { "gate", SC_FT_STRING, SC_AT(struct bind_sc, gate),
		.def_doc = "none: the binding is there all the time",
		.doc = "a gate of the gates section: while it is closed the "
		    "binding filters nothing (the interface is unfiltered; "
		    "tracked flows keep their state)" },
};

static const struct sc_table bi_table = {
	"acl-binding", "Acls on a node's interface, protecting what is on "
	"the far side of it, with a connection tracking table "
	"(docs/acl.md).",
	bi_fields, SC_NFIELDS(bi_fields), sizeof(struct bind_sc),
	offsetof(struct bind_sc, loc), offsetof(struct bind_sc, vloc),
	offsetof(struct bind_sc, keys), -1
};

static void
check_bindings(struct sc_check *ck, struct sc_section_data *d)
{
	const struct scenario *sc = sc_check_scenario(ck);
	struct bind_sc *v = d->items;
	size_t i, j, k;

	for (i = 0; i < d->n; i++) {
		struct bind_sc *s = &v[i];
		const struct sc_iface *f;
		bool ok = true;

		if (s->n_acls > ACL_BINDING_ACLS) {
			sc_check_error(ck, s->vloc[BI_ACLS], "a binding has at "
			    "most %d acls, not %zu", ACL_BINDING_ACLS,
			    s->n_acls);
			ok = false;
		} else if (s->n_acls == 0 && sc_key_ok(s->keys, BI_ACLS)) {
			/* (not a list: that error was given) */
			sc_check_error(ck, s->vloc[BI_ACLS], "'acls' is empty: "
			    "a binding needs at least one acl");
			ok = false;
		}
		for (j = 0; ok && j < s->n_acls; j++) {
			if (s->acls[j] == NULL ||
			    !sc_names_lookup(ck, "acl", s->acls[j],
			    s->acl_loc[j], &s->acl_idx[j])) {
				ok = false;
				continue;
			}
			for (k = 0; k < j; k++)
				if (s->acls[k] != NULL &&
				    strcmp(s->acls[k], s->acls[j]) == 0) {
					sc_check_error(ck, s->acl_loc[j], "acl "
					    "'%s' is twice in this binding",
					    s->acls[j]);
					ok = false;
					break;
				}
		}
		if (sc_key_ok(s->keys, BI_GATE) && !sc_names_lookup(ck, "gate",
		    s->gate, s->vloc[BI_GATE], &k))
			ok = false;
		if (s->node == NULL || !sc_names_lookup(ck, "node", s->node,
		    s->vloc[BI_NODE], &s->node_idx) || s->iface == NULL)
			continue;
		f = sc_check_iface(ck, s->node_idx, s->iface,
		    s->vloc[BI_IFACE]);
		if (f == NULL)
			continue;
		s->iface_idx = (size_t)(f - sc->nodes[s->node_idx].ifaces);
		for (j = 0; j < i; j++) {
			const struct bind_sc *o = &v[j];

			if (o->node == NULL || o->iface == NULL ||
			    o->node_idx != s->node_idx ||
			    o->iface_idx != s->iface_idx ||
			    strcmp(o->node, s->node) != 0)
				continue;
			sc_check_error(ck, s->loc, "interface %s:%s has a "
			    "binding already (at %u:%u): list every acl in "
			    "one", s->node, s->iface, o->loc.line, o->loc.col);
			ok = false;
			break;
		}
		s->ok = ok;
	}
}

struct bind_run {
	struct acl_binding **b;
	const struct bind_sc *items;
	struct node **nodes;
	size_t n;
};

static void
bind_free(void *state)
{
	struct bind_run *r = state;
	size_t i;

	for (i = 0; i < r->n; i++)
		acl_unbind(r->b[i]);
	free(r->b);
	free(r->nodes);
	free(r);
}

static void
binding_follow(void *arg, bool open)
{
	acl_binding_set_active(arg, open);
}

/* A gated binding filters only while its gate is open. */
static int
follow_gate(struct sc_build *b, struct acl_binding *ab, const char *name)
{
	struct gate *g = gates_find(gates_of_build(b), name);

	SIM_ASSERT(g != NULL, "acl_bindings: gate %s not checked", name);
	acl_binding_set_active(ab, gate_is_open(g));
	if (gate_watch(g, binding_follow, ab) < 0)
		return sim_err(b->err, b->errlen, "out of memory");
	return 0;
}

static int
build_bindings(struct sc_build *b, const void *items, size_t n)
{
	const struct bind_sc *v = items;
	struct acls_run *ar = sc_build_state(b, "acls");
	struct bind_run *r;
	size_t i, j;

	if (n == 0)
		return 0;
	if (ar == NULL) {
		snprintf(b->err, b->errlen, "acl_bindings: no acls built");
		return -1;
	}
	r = xcalloc(1, sizeof(*r));
	r->b = xcalloc(n, sizeof(*r->b));
	r->nodes = xcalloc(n, sizeof(*r->nodes));
	r->items = v;
	r->n = n;
	if (sc_build_set_state(b, r) < 0) {
		bind_free(r);
		return -1;
	}
	for (i = 0; i < n; i++) {
		const struct bind_sc *s = &v[i];
		struct acl *acls[ACL_BINDING_ACLS];

		for (j = 0; j < s->n_acls; j++)
			acls[j] = ar->acls[s->acl_idx[j]];
		r->nodes[i] = sc_build_node(b, s->node_idx);
		r->b[i] = acl_bind(r->nodes[i], (uint32_t)s->iface_idx, acls,
		    s->n_acls, s->combine == 2 ? ACL_ANY : ACL_ALL,
		    s->ct_limit, b->err, b->errlen);
		if (r->b[i] == NULL)
			return -1;
		if (s->gate != NULL && follow_gate(b, r->b[i], s->gate) < 0)
			return -1;
	}
	return 0;
}

struct acl_binding *
acl_scenario_binding(void *state, const char *node, const char *iface)
{
	struct bind_run *r = state;
	size_t i;

	for (i = 0; r != NULL && i < r->n; i++)
		if (strcmp(r->items[i].node, node) == 0 &&
		    strcmp(r->items[i].iface, iface) == 0)
			return r->b[i];
	return NULL;
}

static void
write_denials(FILE *f, const struct acl_binding *b)
{
	size_t k, n = 0;

	fputs(",\"denied_by\":[", f);
	for (k = 0; k < acl_binding_n_acls(b); k++) {
		const struct acl *a = acl_binding_acl(b, k);
		long r;

		for (r = -1; r < (long)acl_n_rules(a); r++) {
			uint64_t c = acl_binding_denials(b, k, r);
			const struct acl_rule *ru = r < 0 ? NULL :
			    acl_rule_at(a, (size_t)r);

			if (c == 0)
				continue;
			fprintf(f, "%s{\"acl\":", n++ ? "," : "");
			scenario_json_str(f, acl_name(a));
			fputs(",\"rule\":", f);
			if (ru != NULL) {
				scenario_json_str(f, ru->name);
				fprintf(f, ",\"priority\":%u", ru->priority);
			} else
				fputs("null", f);
			fprintf(f, ",\"packets\":%llu}", (unsigned long long)c);
		}
	}
	fputc(']', f);
}

static void
write_bind_metrics(const void *state, FILE *f)
{
	const struct bind_run *r = state;
	size_t i, k;

	fputs("\"acl_bindings\": [", f);
	for (i = 0; i < r->n; i++) {
		const struct acl_binding *b = r->b[i];
		/* live at the end: what expired since the last packet is gone */
		uint32_t flows = acl_binding_flows(r->b[i]);
		const struct acl_counters *c = acl_binding_counters(b);

		fprintf(f, "%s\n    {\"node\":", i ? "," : "");
		scenario_json_str(f, r->items[i].node);
		fputs(",\"iface\":", f);
		scenario_json_str(f, r->items[i].iface);
		fputs(",\"acls\":[", f);
		for (k = 0; k < acl_binding_n_acls(b); k++) {
			if (k)
				fputc(',', f);
			scenario_json_str(f, acl_name(acl_binding_acl(b, k)));
		}
		fprintf(f, "],\"allowed\":%llu,\"allowed_tracked\":%llu,"
		    "\"denied\":%llu,\"table_full\":%llu,\"flows\":%u,"
		    "\"flows_peak\":%u,\"flows_created\":%llu",
		    (unsigned long long)c->allowed,
		    (unsigned long long)c->allowed_tracked,
		    (unsigned long long)c->denied,
		    (unsigned long long)c->table_full, flows, c->flows_peak,
		    (unsigned long long)c->flows_created);
		write_denials(f, b);
		fputc('}', f);
	}
	fputs("\n  ]", f);
}

const struct sc_section acl_sc_bindings = {
	.name = "acl_bindings",
	.doc = "acls on interfaces, with connection tracking",
	.table = &bi_table, .list = true, .check = check_bindings,
	.phase = SC_PHASE_NET, .build = build_bindings,
	.state_free = bind_free, .metrics_json = write_bind_metrics,
};

