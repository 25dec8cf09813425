/*
 * provision_testutil.h - a fake cloud for the timeline's tests: a section
 * `fakes` (a list of { name, kind: disk | vc, needs: [names] }) whose
 * items the fake cloud declares as resources of two types through
 * prov_register_cloud, the way models/azure and models/oci do:
 *   disks  (Disk)            no apply: the default ARM-like create and
 *                            delete, create 10s..20s, delete 5s
 *   vcs    (VirtualCircuit)  its own state machine: lifecycleState
 *                            PROVISIONING -> PROVISIONED over two draws,
 *                            bandwidth updates (a decrease is refused
 *                            and leaves it FAILED), enable/disable,
 *                            delete TERMINATING -> TERMINATED; carries
 *                            while PROVISIONED; bgpSessionState followed.
 * Every apply appends "op:name " to fake_log, so a test sees the order.
 * Like a cloud section, `fakes` expands: a router n-NAME per resource,
 * joined to the user's node `edge` by a link that carries the resource's
 * gate (prov_gate) when it has one.
 */
#ifndef XCSIM_PROVISION_TESTUTIL_H
#define XCSIM_PROVISION_TESTUTIL_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <CUnit/CUnit.h>

#include "provision_int.h"
#include "scenario_expand.h"
#include "scenario_models.h"
#include "scenario_section.h"

struct fake {
	char *name;
	int kind;		/* 1 disk, 2 vc */
	char **needs;
	size_t n_needs;
	struct sc_loc *needs_loc;
	struct sc_loc loc;
	struct sc_loc vloc[3];
	uint64_t keys[SC_KEYS_WORDS(3)];
};

static const struct sc_field fake_fields[] = {
	{ "name", SC_FT_NAME, SC_AT(struct fake, name), .required = true,
		.doc = "its name" },
	{ "kind", SC_FT_ENUM, SC_AT(struct fake, kind),
		.names = SC_LIST("disk", "vc"), .required = true,
		.doc = "its type" },
	{ "needs", SC_FT_NAMES, SC_AT(struct fake, needs),
		SC_AT2(struct fake, n_needs), SC_AT3(struct fake, needs_loc),
		.doc = "what it depends on" },
};

static const struct sc_table fake_table = {
	"fake", "A fake cloud resource.", fake_fields,
	SC_NFIELDS(fake_fields), sizeof(struct fake),
	offsetof(struct fake, loc), offsetof(struct fake, vloc),
	offsetof(struct fake, keys), -1
};

/* A vc's BGP session: edge (AS 65000) to n-NAME (AS 65100 + k). */
static void
fake_bgp(struct sc_expand *ex, const struct fake *f, size_t k,
    const char *gate)
{
	int bgp = sc_ex_list(ex, "bgp"), sp, nb;

	sp = sc_ex_find(ex, "bgp", "node", "edge");
	if (sp == 0) {
		sp = sc_ex_map(ex, f->loc);
		sc_ex_append(ex, bgp, sp);
		sc_ex_set_str(ex, sp, "node", "edge");
		sc_ex_set_str(ex, sp, "asn", "65000");
		sc_ex_set_seq(ex, sp, "neighbors");
	}
	nb = sc_ex_map(ex, f->loc);
	sc_ex_append(ex, sc_ex_get(ex, sp, "neighbors"), nb);
	sc_ex_set_fmt(ex, nb, "address", "10.0.%zu.2", k);
	sc_ex_set_fmt(ex, nb, "remote_as", "%zu", 65100 + k);
	sc_ex_set_str(ex, nb, "hold", "9s");
	sc_ex_set_str(ex, nb, "keepalive", "3s");
	if (gate != NULL)
		sc_ex_set_str(ex, nb, "gate", gate);
	sp = sc_ex_map(ex, f->loc);
	sc_ex_append(ex, bgp, sp);
	sc_ex_set_fmt(ex, sp, "node", "n-%s", f->name);
	sc_ex_set_fmt(ex, sp, "asn", "%zu", 65100 + k);
	nb = sc_ex_map(ex, f->loc);
	sc_ex_append(ex, sc_ex_set_seq(ex, sp, "neighbors"), nb);
	sc_ex_set_fmt(ex, nb, "address", "10.0.%zu.1", k);
	sc_ex_set_str(ex, nb, "remote_as", "65000");
	sc_ex_set_str(ex, nb, "hold", "9s");
	sc_ex_set_str(ex, nb, "keepalive", "3s");
}

static void
fakes_expand(struct sc_expand *ex, const void *items, size_t n)
{
	const struct fake *f = items;
	int nodes = sc_ex_list(ex, "nodes"), links = sc_ex_list(ex, "links");
	int edge = sc_ex_find(ex, "nodes", "name", "edge"), ifs, m, l, i;
	const char *gate;
	size_t k;

	ifs = sc_ex_get(ex, edge, "interfaces");
	if (ifs == 0)
		ifs = sc_ex_set_seq(ex, edge, "interfaces");
	for (k = 0; k < n; k++) {
		m = sc_ex_map(ex, f[k].loc);
		sc_ex_append(ex, nodes, m);
		sc_ex_set_fmt(ex, m, "name", "n-%s", f[k].name);
		sc_ex_set_str(ex, m, "role", "router");
		i = sc_ex_map(ex, f[k].loc);
		sc_ex_append(ex, sc_ex_set_seq(ex, m, "interfaces"), i);
		sc_ex_set_str(ex, i, "name", "e0");
		sc_ex_set_fmt(ex, i, "address", "10.0.%zu.2/30", k);
		i = sc_ex_map(ex, f[k].loc);
		sc_ex_append(ex, ifs, i);
		sc_ex_set_fmt(ex, i, "name", "to-%s", f[k].name);
		sc_ex_set_fmt(ex, i, "address", "10.0.%zu.1/30", k);
		l = sc_ex_map(ex, f[k].loc);
		sc_ex_append(ex, links, l);
		sc_ex_set_fmt(ex, l, "name", "l-%s", f[k].name);
		sc_ex_set_fmt(ex, l, "a", "edge:to-%s", f[k].name);
		sc_ex_set_fmt(ex, l, "b", "n-%s:e0", f[k].name);
		gate = prov_gate(sc_ex_scenario(ex), f[k].kind == 1 ?
		    "disks" : "vcs", f[k].name);
		if (gate != NULL)
			sc_ex_set_str(ex, l, "gate", gate);
		if (f[k].kind == 2)
			fake_bgp(ex, &f[k], k, gate);
	}
}

static const struct sc_section fakes_section = {
	.name = "fakes", .doc = "fake cloud resources", .table = &fake_table,
	.list = true, .expand = fakes_expand,
};

static char fake_log[4096];

static void
fake_log_op(enum prov_op op, const struct prov_res *r)
{
	size_t off = strlen(fake_log);

	snprintf(fake_log + off, sizeof(fake_log) - off, "%s:%s ",
	    prov_op_name[op], prov_res_name(r));
}

static void
vc_initial(struct prov_ctx *c, struct prov_res *r)
{
	prov_set(c, r, 0, "lifecycleState", "PROVISIONED");
	prov_set(c, r, 0, "bandwidth", "1000");
}

static sim_time
vc_apply(struct prov_ctx *c, struct prov_res *r, enum prov_op op,
    const struct prov_kv *set, size_t n_set)
{
	sim_time now = prov_now(c), d1, d2;
	const char *cur;
	size_t i;

	fake_log_op(op, r);
	switch (op) {
	case PROV_CREATE:
		prov_set(c, r, now, "lifecycleState", "PROVISIONING");
		prov_set(c, r, now, "bandwidth", "1000");
		prov_note(c, r, now, "service key issued: billing starts");
		d1 = prov_draw(c, SIM_S(60), SIM_S(120));
		d2 = prov_draw(c, SIM_S(1), SIM_S(2));
		prov_set(c, r, now + d1, "lifecycleState", "PROVISIONED");
		prov_set(c, r, now + d1 + d2, "providerState", "ACTIVE");
		return now + d1 + d2;
	case PROV_UPDATE:
		for (i = 0; i < n_set; i++) {
			if (strcmp(set[i].key, "bandwidth") != 0)
				continue;
			cur = prov_get(prov_ctx_plan(c), r, "bandwidth", now);
			if (cur != NULL && atol(set[i].value) < atol(cur)) {
				prov_set(c, r, now, "lifecycleState",
				    "FAILED");
				prov_refuse(c, "BandwidthDecrease", "%s: "
				    "bandwidth %s is below %s",
				    prov_res_name(r), set[i].value, cur);
				return now;
			}
			prov_set(c, r, now + SIM_S(10), "bandwidth",
			    set[i].value);
		}
		return now + SIM_S(10);
	case PROV_DISABLE:
		prov_set(c, r, now + SIM_S(1), "lifecycleState", "INACTIVE");
		return now + SIM_S(1);
	case PROV_ENABLE:
		prov_set(c, r, now + SIM_S(1), "lifecycleState",
		    "PROVISIONED");
		return now + SIM_S(1);
	case PROV_DELETE:
		d1 = prov_draw(c, SIM_S(30), SIM_S(30));
		prov_set(c, r, now, "lifecycleState", "TERMINATING");
		prov_set(c, r, now + d1, "lifecycleState", "TERMINATED");
		prov_gone(c, r, now + d1);
		return now + d1;
	default:
		return now;
	}
}

static bool
vc_carries(const struct prov_plan *p, const struct prov_res *r, sim_time t)
{
	const char *v = prov_get(p, r, "lifecycleState", t);

	return v != NULL && strcmp(v, "PROVISIONED") == 0;
}

static const struct prov_type disk_type = {
	.key = "disks", .type = "Disk", .cloud = "fake",
	.create_lo = SIM_S(10), .create_hi = SIM_S(20),
	.delete_lo = SIM_S(5), .delete_hi = SIM_S(5),
};

static const struct prov_type vc_type = {
	.key = "vcs", .type = "VirtualCircuit", .cloud = "fake",
	.initial = vc_initial, .apply = vc_apply, .carries = vc_carries,
	.ops = 1u << PROV_CREATE | 1u << PROV_UPDATE | 1u << PROV_DELETE |
	    1u << PROV_ENABLE | 1u << PROV_DISABLE,
};

/* A peering carries while the virtual circuit of its name does. */
static bool
peering_carries(const struct prov_plan *p, const struct prov_res *r,
    sim_time t)
{
	const struct prov_res *vc = prov_find_res(p, "vcs", prov_res_name(r));

	return vc != NULL && vc_carries(p, vc, t);
}

static const struct prov_type peering_type = {
	.key = "peerings", .type = "Peering", .cloud = "fake",
	.carries = peering_carries,
};

/* What prov_created_on_timeline said from inside resources(). */
static int fake_created_a, fake_created_b;

static void
fake_resources(struct prov_plan *p, const struct scenario *sc)
{
	const struct fake *f;
	struct prov_res *r, *d;
	size_t n, i, j;

	fake_created_a = prov_created_on_timeline(sc, "disks", "a");
	fake_created_b = prov_created_on_timeline(sc, "disks", "b");
	f = scenario_section(sc, "fakes", &n);
	for (i = 0; i < n; i++) {
		r = prov_add(p, f[i].kind == 1 ? &disk_type : &vc_type,
		    f[i].name, f[i].loc, NULL);
		if (r != NULL && f[i].kind == 2) {
			prov_show_on(r, "edge");
			prov_follow(r, "bgpSessionState", false, "UP", "DOWN");
			/* edge's session to n-NAME: 10.0.i.2 */
			prov_follow_session(r, "bgpSessionState", "edge",
			    0x0a000002 | (uint32_t)i << 8);
		}
	}
	/* dependencies once all are declared (a name may come later) */
	for (i = 0; i < n; i++) {
		r = prov_find_res(p, f[i].kind == 1 ? "disks" : "vcs",
		    f[i].name);
		for (j = 0; j < f[i].n_needs; j++) {
			d = prov_find_res(p, "disks", f[i].needs[j]);
			if (d == NULL)
				d = prov_find_res(p, "vcs", f[i].needs[j]);
			prov_depend(r, d);
		}
	}
}

static const struct prov_cloud fake_cloud = { "fake", fake_resources };

/*
 * Every model (gates, resources and the timeline among them), then the
 * fake section and its cloud. The fake section comes after the timeline:
 * it is checked and expanded after it, which a cloud section is not, but
 * nothing here depends on that (the fake cloud reads its walked items).
 */
static inline void
fake_setup(void)
{
	static bool done;

	fake_log[0] = '\0';
	if (done)
		return;
	done = true;
	scenario_models_init();
	CU_ASSERT_EQUAL_FATAL(scenario_register_section(&fakes_section), 0);
	CU_ASSERT_EQUAL_FATAL(prov_register_cloud(&fake_cloud), 0);
}

/* The low-level scenario text expands to (xcsim expand), *rc its status. */
static inline char *
prov_test_expand(const char *text, int *rc)
{
	char *out = NULL, *diag = NULL;
	size_t lo = 0, ld = 0;
	FILE *o = open_memstream(&out, &lo), *d = open_memstream(&diag, &ld);

	*rc = scenario_expand_print_buffer("t.yaml", text, strlen(text), o, d);
	fclose(o);
	fclose(d);
	if (*rc != 0)
		fprintf(stderr, "\n%s", diag);
	free(diag);
	return out;
}

/* Is every line of want, in order, a line of text? */
static inline bool
prov_test_has_lines(const char *text, const char *want)
{
	const char *at = text;
	char line[256];

	while (*want != '\0') {
		const char *nl = strchr(want, '\n');
		size_t n = nl ? (size_t)(nl - want) : strlen(want);

		snprintf(line, sizeof(line), "\n%.*s\n", (int)n, want);
		if ((at = strstr(at, line)) == NULL) {
			fprintf(stderr, "\nmissing (in order): %s", line + 1);
			return false;
		}
		at += strlen(line) - 1;
		want += nl ? n + 1 : n;
	}
	return true;
}

#endif
