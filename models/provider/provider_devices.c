/*
 * provider_devices.c - the `provider_devices` section: the low-level form
 * of a provider's data plane that the providers expansion writes (and a
 * user may write by hand), built at run time as models over ports
 * (provider_mpls.h): a P router's label forwarding table, a PE's core
 * port and its VRFs' ways into the core, an Ethernet switch with its
 * S-tag. Being an ordinary section, it is what `xcsim expand` prints, so
 * the printed expansion runs as it is.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "net.h"
#include "provider.h"
#include "provider_mpls.h"
#include "query_cross.h"
#include "scenario_section.h"
#include "util.h"

enum { DV_P = 1, DV_PE = 2, DV_SWITCH = 3 };

enum { LF_IN, LF_LABEL, LF_OUT, LF_OUT_LABEL, LF_F_MAX };
struct dv_lfib {
	char *in, *out;
	uint32_t label;
	char *out_label;	/* a label or "pop" */
	uint32_t out_label_v;
	struct sc_loc loc;
	struct sc_loc vloc[LF_F_MAX];
	uint64_t keys[SC_KEYS_WORDS(LF_F_MAX)];
};

enum { VV_IFACE, VV_LOCAL, VV_REMOTE, VV_TRANSPORT, VV_F_MAX };
struct dv_vrf {
	char *iface;
	uint32_t local, remote, transport;
	struct sc_loc loc;
	struct sc_loc vloc[VV_F_MAX];
	uint64_t keys[SC_KEYS_WORDS(VV_F_MAX)];
};

enum { DV_NODE, DV_KIND, DV_TTL, DV_LFIB, DV_CORE, DV_VRFS, DV_CUSTOMER,
	DV_CLOUD, DV_STAG, DV_F_MAX };
struct dv {
	char *node;
	int kind;
	bool ttl_propagate;
	struct dv_lfib *lfib;
	size_t n_lfib;
	char *core;
	struct dv_vrf *vrfs;
	size_t n_vrfs;
	char *customer, *cloud;
	uint32_t stag;
	struct sc_loc loc;
	struct sc_loc vloc[DV_F_MAX];
	uint64_t keys[SC_KEYS_WORDS(DV_F_MAX)];
};

#define LF(m) SC_AT(struct dv_lfib, m)
static const struct sc_field lfib_fields[] = {
	[LF_IN] = { "in", SC_FT_NAME, LF(in), .required = true,
		.doc = "arrival interface (a port from then on)" },
	[LF_LABEL] = { "label", SC_FT_UINT, LF(label), .min = 16,
		.max = 0xfffff, .required = true, .doc = "top label" },
	[LF_OUT] = { "out", SC_FT_NAME, LF(out), .required = true,
		.doc = "interface it leaves by (a port from then on)" },
	[LF_OUT_LABEL] = { "out_label", SC_FT_STRING, LF(out_label),
		.number_ok = true, .required = true,
		.doc = "the label swapped in (16..1048575), or pop "
		    "(penultimate-hop popping)" },
};

static const struct sc_table lfib_table = {
	"provider-lfib", "A P router's label forwarding entry.",
	lfib_fields, SC_NFIELDS(lfib_fields), sizeof(struct dv_lfib),
	offsetof(struct dv_lfib, loc), offsetof(struct dv_lfib, vloc),
	offsetof(struct dv_lfib, keys), -1
};

#define VV(m) SC_AT(struct dv_vrf, m)
static const struct sc_field vrf_fields[] = {
	[VV_IFACE] = { "iface", SC_FT_NAME, VV(iface), .required = true,
		.doc = "the VRF's way into the core: an interface with no "
		    "link, in the VRF" },
	[VV_LOCAL] = { "local", SC_FT_UINT, VV(local), .min = 16,
		.max = 0xfffff, .required = true,
		.doc = "the VPN label this PE gave the VRF (arriving with it, "
		    "a packet enters iface)" },
	[VV_REMOTE] = { "remote", SC_FT_UINT, VV(remote), .min = 16,
		.max = 0xfffff, .required = true,
		.doc = "the VPN label the far PE gave it (pushed)" },
	[VV_TRANSPORT] = { "transport", SC_FT_UINT, VV(transport), .min = 16,
		.max = 0xfffff, .def_doc = "none (no P router between)",
		.doc = "the first P router's label toward the far PE (pushed "
		    "over the VPN label)" },
};

static const struct sc_table vrf_table = {
	"provider-pe-vrf", "A PE's VRF into the core.",
	vrf_fields, SC_NFIELDS(vrf_fields), sizeof(struct dv_vrf),
	offsetof(struct dv_vrf, loc), offsetof(struct dv_vrf, vloc),
	offsetof(struct dv_vrf, keys), -1
};

#define DV(m) SC_AT(struct dv, m)
static const struct sc_field dv_fields[] = {
	[DV_NODE] = { "node", SC_FT_NAME, DV(node), .required = true,
		.doc = "the node it runs on" },
	[DV_KIND] = { "kind", SC_FT_ENUM, DV(kind),
		.names = SC_LIST("p", "pe", "switch"),
		.name_docs = SC_LIST("an MPLS label-switching router",
		    "the core side of a provider edge router",
		    "an Ethernet switch of a provider (QinQ)"),
		.required = true, .doc = "what it is" },
	[DV_TTL] = { "ttl_propagate", SC_FT_BOOL, DV(ttl_propagate),
		.kinds = SC_LIST("p", "pe"), .def = "false",
		.doc = "the uniform TTL model (RFC 3443), else pipe" },
	[DV_LFIB] = { "lfib", SC_FT_LIST, DV(lfib), SC_AT2(struct dv, n_lfib),
		.sub = &lfib_table, .kinds = SC_LIST("p"), .required = true,
		.doc = "its label forwarding table" },
	[DV_CORE] = { "core", SC_FT_NAME, DV(core), .kinds = SC_LIST("pe"),
		.required = true, .doc = "the core port (linked)" },
	[DV_VRFS] = { "vrfs", SC_FT_LIST, DV(vrfs), SC_AT2(struct dv, n_vrfs),
		.sub = &vrf_table, .kinds = SC_LIST("pe"), .required = true,
		.doc = "its VRFs' ways into the core" },
	[DV_CUSTOMER] = { "customer", SC_FT_NAME, DV(customer),
		.kinds = SC_LIST("switch"), .required = true,
		.doc = "the port toward the customer's router" },
	[DV_CLOUD] = { "cloud", SC_FT_NAME, DV(cloud),
		.kinds = SC_LIST("switch"), .required = true,
		.doc = "the port toward the cloud's edge" },
	[DV_STAG] = { "stag", SC_FT_UINT, DV(stag), .kinds =
		SC_LIST("switch"), .max = 4094, .def = "0",
		.doc = "the S-tag pushed toward the cloud and popped from it "
		    "(0: none, frames pass as they are)" },
};

static const struct sc_table dv_table = {
	"provider-device", "A provider's data-plane device on a node "
	"(docs/provider.md).",
	dv_fields, SC_NFIELDS(dv_fields), sizeof(struct dv),
	offsetof(struct dv, loc), offsetof(struct dv, vloc),
	offsetof(struct dv, keys), DV_KIND
};

static void
check_dv(struct sc_check *ck, struct dv *d, size_t idx)
{
	size_t ni, i, j;
	char *end;

	if (d->loc.line == 0 || !sc_names_lookup(ck, "node", d->node,
	    d->vloc[DV_NODE], &ni))
		return;
	sc_names_add(ck, "provider device", d->node, idx, d->vloc[DV_NODE]);
	for (i = 0; i < d->n_lfib; i++) {
		struct dv_lfib *l = &d->lfib[i];

		sc_check_iface(ck, ni, l->in, l->vloc[LF_IN]);
		sc_check_iface(ck, ni, l->out, l->vloc[LF_OUT]);
		if (l->out_label == NULL)
			continue;
		if (strcmp(l->out_label, "pop") == 0) {
			l->out_label_v = PROV_LABEL_POP;
		} else {
			unsigned long v = strtoul(l->out_label, &end, 10);

			if (*end != '\0' || end == l->out_label || v < 16 ||
			    v > 0xfffff)
				sc_check_error(ck, l->vloc[LF_OUT_LABEL],
				    "out_label: a label 16..1048575 or pop, "
				    "not '%s'", sc_check_quote(ck,
				    l->out_label));
			l->out_label_v = (uint32_t)v;
		}
		for (j = 0; j < i; j++)
			if (strcmp(d->lfib[j].in, l->in) == 0 &&
			    d->lfib[j].label == l->label)
				sc_check_error(ck, l->vloc[LF_LABEL], "label "
				    "%u on %s twice", l->label, l->in);
	}
	if (d->core != NULL)
		sc_check_iface(ck, ni, d->core, d->vloc[DV_CORE]);
	for (i = 0; i < d->n_vrfs; i++) {
		sc_check_iface(ck, ni, d->vrfs[i].iface,
		    d->vrfs[i].vloc[VV_IFACE]);
		if (!sc_key_given(d->vrfs[i].keys, VV_TRANSPORT))
			d->vrfs[i].transport = PROV_LABEL_NONE;
		for (j = 0; j < i; j++)
			if (d->vrfs[j].local == d->vrfs[i].local)
				sc_check_error(ck, d->vrfs[i].vloc[VV_LOCAL],
				    "VPN label %u twice", d->vrfs[i].local);
	}
	if (d->customer != NULL)
		sc_check_iface(ck, ni, d->customer, d->vloc[DV_CUSTOMER]);
	if (d->cloud != NULL)
		sc_check_iface(ck, ni, d->cloud, d->vloc[DV_CLOUD]);
}

static void
check_dvs(struct sc_check *ck, struct sc_section_data *sd)
{
	struct dv *d = sd->items;
	size_t i;

	for (i = 0; i < sd->n; i++)
		check_dv(ck, &d[i], i);
}

/* --- the build ----------------------------------------------------- */

struct dv_run {
	size_t n;
	int *kind;
	void **obj;
	const char **node;	/* the items' (the scenario outlives it) */
	/* the P routers and PEs among obj, for the path query's LSPs */
	struct prov_p **ps;
	struct prov_pe **pes;
	size_t n_p, n_pe;
};

static void
run_free(void *state)
{
	struct dv_run *r = state;
	size_t i;

	for (i = 0; i < r->n; i++)
		if (r->kind[i] == DV_P)
			prov_p_free(r->obj[i]);
		else if (r->kind[i] == DV_PE)
			prov_pe_free(r->obj[i]);
		else
			prov_sw_free(r->obj[i]);
	free(r->kind);
	free(r->obj);
	free(r->node);
	free(r->ps);
	free(r->pes);
	free(r);
}

static uint32_t
ifx(struct sc_build *b, struct node *n, const char *name, int *bad)
{
	uint32_t i = node_find_iface(n, name);

	if (i == UINT32_MAX) {
		snprintf(b->err, b->errlen, "provider_devices: %s has no "
		    "interface %s", node_name(n), name);
		*bad = 1;
	}
	return i;
}

static void *
build_one(struct sc_build *b, const struct dv *d)
{
	struct node *n = net_find_node(b->net, d->node);
	struct prov_pe *pe;
	struct prov_p *p;
	void *o = NULL;
	size_t i;
	int bad = 0;

	if (n == NULL) {
		snprintf(b->err, b->errlen, "provider_devices: no node %s",
		    d->node);
		return NULL;
	}
	switch (d->kind) {
	case DV_P:
		o = p = prov_p_new(n, d->ttl_propagate);
		for (i = 0; i < d->n_lfib && !bad; i++) {
			const struct dv_lfib *l = &d->lfib[i];
			uint32_t in = ifx(b, n, l->in, &bad);
			uint32_t out = ifx(b, n, l->out, &bad);

			if (!bad && prov_p_add(p, in, l->label, out,
			    l->out_label_v) < 0) {
				snprintf(b->err, b->errlen, "provider_devices: "
				    "%s: %s or %s has no link", d->node, l->in,
				    l->out);
				bad = 1;
			}
		}
		if (bad) {
			prov_p_free(p);
			return NULL;
		}
		return o;
	case DV_PE:
		i = ifx(b, n, d->core, &bad);
		if (bad || (pe = prov_pe_new(n, (uint32_t)i,
		    d->ttl_propagate)) == NULL) {
			if (!bad)
				snprintf(b->err, b->errlen, "provider_devices: "
				    "%s: core %s has no link", d->node,
				    d->core);
			return NULL;
		}
		for (i = 0; i < d->n_vrfs && !bad; i++) {
			const struct dv_vrf *v = &d->vrfs[i];
			uint32_t vi = ifx(b, n, v->iface, &bad);

			if (!bad && prov_pe_add_vrf(pe, vi, v->local, v->remote,
			    v->transport) < 0) {
				snprintf(b->err, b->errlen, "provider_devices: "
				    "%s: %s must have no link", d->node,
				    v->iface);
				bad = 1;
			}
		}
		if (bad) {
			prov_pe_free(pe);
			return NULL;
		}
		return pe;
	default:
		i = ifx(b, n, d->customer, &bad);
		if (bad)
			return NULL;
		o = prov_sw_new(n, (uint32_t)i, ifx(b, n, d->cloud, &bad),
		    (uint16_t)d->stag);
		if (o == NULL && !bad)
			snprintf(b->err, b->errlen, "provider_devices: %s: "
			    "ports %s and %s need links", d->node,
			    d->customer, d->cloud);
		return o;
	}
}

static int
build_dvs(struct sc_build *b, const void *items, size_t n)
{
	const struct dv *d = items;
	struct dv_run *r;
	size_t i;

	if (n == 0)
		return 0;
	r = xcalloc(1, sizeof(*r));
	r->kind = xcalloc(n, sizeof(*r->kind));
	r->obj = xcalloc(n, sizeof(*r->obj));
	r->node = xcalloc(n, sizeof(*r->node));
	r->ps = xcalloc(n, sizeof(*r->ps));
	r->pes = xcalloc(n, sizeof(*r->pes));
	if (sc_build_set_state(b, r) < 0) {
		run_free(r);
		return -1;
	}
	for (i = 0; i < n; i++) {
		if ((r->obj[r->n] = build_one(b, &d[i])) == NULL)
			return -1;
		r->kind[r->n] = d[i].kind;
		if (d[i].kind == DV_P)
			r->ps[r->n_p++] = r->obj[r->n];
		else if (d[i].kind == DV_PE)
			r->pes[r->n_pe++] = r->obj[r->n];
		r->node[r->n++] = d[i].node;
	}
	return 0;
}

/* --- the path query's crossing (query_cross.h) --------------------- */

static bool
dv_cross(void *state, struct node *n, uint32_t ifindex,
    struct query_cross *c)
{
	struct dv_run *r = state;
	struct prov_lsp lsp;
	size_t i, k, off;
	int rc = 0;

	for (i = 0; i < r->n_pe && rc == 0; i++)
		if (prov_pe_node(r->pes[i]) == n)
			rc = prov_lsp_trace(r->pes[i], ifindex, r->ps, r->n_p,
			    r->pes, r->n_pe, &lsp, c->what, sizeof(c->what));
	if (rc <= 0)
		return rc < 0;	/* -1: ours, and c->what says why not */
	c->to = lsp.to;
	c->to_if = lsp.to_if;
	off = (size_t)snprintf(c->what, sizeof(c->what), "MPLS LSP");
	for (k = 0; k < lsp.n_via && off < sizeof(c->what); k++)
		off += (size_t)snprintf(c->what + off, sizeof(c->what) - off,
		    "%s %s", k ? "," : " via", node_name(lsp.via[k]));
	if (off < sizeof(c->what))
		snprintf(c->what + off, sizeof(c->what) - off, " to %s (VPN "
		    "label %u)", node_name(lsp.to), lsp.vpn);
	return true;
}

const struct query_crossing provider_devices_crossing = {
	.section = "provider_devices", .cross = dv_cross,
};

/*
 * "provider_devices": [{node, kind, and its counters: pushed, swapped,
 * popped, delivered, ttl_expired, unknown_label, malformed, too_big (p,
 * pe); to_cloud, to_customer, vlan_drops, too_big (switch)}]
 */
static void
write_metrics(const void *state, FILE *f)
{
	const struct dv_run *r = state;
	const struct prov_mpls_stats *m;
	const struct prov_sw_stats *s;
	size_t i;

	fprintf(f, "\"provider_devices\":[");
	for (i = 0; i < r->n; i++) {
		fprintf(f, "%s{\"node\":\"%s\",\"kind\":\"%s\"", i ? "," : "",
		    r->node[i], r->kind[i] == DV_P ? "p" : r->kind[i] == DV_PE ?
		    "pe" : "switch");
		if (r->kind[i] == DV_SWITCH) {
			s = prov_sw_stats(r->obj[i]);
			fprintf(f, ",\"to_cloud\":%llu,\"to_customer\":%llu,"
			    "\"vlan_drops\":%llu,\"too_big\":%llu}",
			    (unsigned long long)s->to_cloud,
			    (unsigned long long)s->to_customer,
			    (unsigned long long)s->vlan_drops,
			    (unsigned long long)s->too_big);
			continue;
		}
		m = r->kind[i] == DV_P ? prov_p_stats(r->obj[i]) :
		    prov_pe_stats(r->obj[i]);
		fprintf(f, ",\"pushed\":%llu,\"swapped\":%llu,\"popped\":%llu,"
		    "\"delivered\":%llu,\"ttl_expired\":%llu,"
		    "\"unknown_label\":%llu,\"malformed\":%llu,"
		    "\"too_big\":%llu}", (unsigned long long)m->pushed,
		    (unsigned long long)m->swapped,
		    (unsigned long long)m->popped,
		    (unsigned long long)m->delivered,
		    (unsigned long long)m->ttl_expired,
		    (unsigned long long)m->unknown_label,
		    (unsigned long long)m->malformed,
		    (unsigned long long)m->too_big);
	}
	fprintf(f, "]");
}

const struct sc_section provider_devices_section = {
	.name = "provider_devices",
	.doc = "a provider's data plane on its nodes: P routers' label "
	    "forwarding, PEs' core sides, Ethernet switches "
	    "(docs/provider.md; the providers section writes them)",
	.table = &dv_table, .list = true, .check = check_dvs,
	.phase = SC_PHASE_NET, .build = build_dvs,
	.state_free = run_free, .metrics_json = write_metrics,
};
