/*
 * bgp_scenario_pol.c - the `prefix_lists` and `policies` sections of a
 * scenario file (bgp_scenario.h): named prefix lists and named routing
 * policies of ordered rules, made with bgp_policy.h.
 *
 * A rule's keys are the words of bgp_policy.h's text items: each given key
 * becomes one item ("as_path: ^12076_" is "as-path ^12076_"), so the
 * policy module parses and checks them, and its errors, which carry the
 * byte offset in that text, come back at the value's place in the file
 * with the character of the value they are about.
 * The set is made twice: once by the check (to report), once by the build
 * of the bgp section (which owns it for the run). A rule with a `gate:`
 * applies only while its gate is open; the bgp section's build makes the
 * rules follow their gates (bgp_sc_gated_rules).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bgp_policy.h"
#include "bgp_scenario_int.h"
#include "bgp_speaker.h"
#include "gates.h"
#include "sim.h"
#include "util.h"

static const char *const pe_actions[] = { "permit", "deny", NULL };
static const char *const po_defaults[] = { "accept", "reject", NULL };
static const char *const ru_thens[] = { "accept", "reject", "continue",
	NULL };
static const char *const ru_then_docs[] = {
	"stop here and take the route (with the rule's changes)",
	"stop here and drop the route",
	"keep the changes and go on with the next rule", NULL };

static const struct sc_field pe_fields[] = {
	[PE_ACTION] = { "action", SC_FT_ENUM,
		SC_AT(struct bgp_sc_pl_entry, action), .names = pe_actions,
		.def = "permit", .doc = "what a prefix this entry covers gets" },
	[PE_PREFIX] = { "prefix", SC_FT_PREFIX,
		SC_AT(struct bgp_sc_pl_entry, prefix),
		SC_AT2(struct bgp_sc_pl_entry, plen), .required = true,
		.doc = "a.b.c.d/len, host bits zero" },
	[PE_GE] = { "ge", SC_FT_UINT, SC_AT(struct bgp_sc_pl_entry, ge),
		.min = 1, .max = 32, .def_doc = "the prefix's length",
		.doc = "shortest length covered (above the prefix's)" },
	[PE_LE] = { "le", SC_FT_UINT, SC_AT(struct bgp_sc_pl_entry, le),
		.min = 1, .max = 32, .def_doc = "32 with ge, else the prefix's "
		    "length", .doc = "longest length covered" },
};

static const struct sc_table pe_table = {
	"prefix-list-entry", "One entry of a prefix list: the first entry "
	"covering a route decides; no entry covering it denies.",
	pe_fields, SC_NFIELDS(pe_fields), sizeof(struct bgp_sc_pl_entry),
	offsetof(struct bgp_sc_pl_entry, loc),
	offsetof(struct bgp_sc_pl_entry, vloc),
	offsetof(struct bgp_sc_pl_entry, keys), -1
};

static const struct sc_field pl_fields[] = {
	[PL_NAME] = { "name", SC_FT_NAME, SC_AT(struct bgp_sc_plist, name),
		.required = true, .doc = "unique prefix list name (policies "
		    "use it)" },
	[PL_ENTRIES] = { "entries", SC_FT_LIST,
		SC_AT(struct bgp_sc_plist, entries),
		SC_AT2(struct bgp_sc_plist, n_entries), .sub = &pe_table,
		.required = true, .doc = "the entries, in order" },
};

static const struct sc_table pl_table = {
	"prefix-list", "A named prefix list (docs/bgp-policy.md).",
	pl_fields, SC_NFIELDS(pl_fields), sizeof(struct bgp_sc_plist),
	offsetof(struct bgp_sc_plist, loc), offsetof(struct bgp_sc_plist, vloc),
	offsetof(struct bgp_sc_plist, keys), -1
};

static const struct sc_field ru_fields[] = {
	[RU_NAME] = { "name", SC_FT_STRING, SC_AT(struct bgp_sc_rule, name),
		.def_doc = "none", .doc = "a name for the explanations" },
	[RU_PREFIX_LIST] = { "prefix_list", SC_FT_NAME,
		SC_AT(struct bgp_sc_rule, prefix_list), .def_doc = "any",
		.doc = "match: the prefix list permits the route's prefix" },
	[RU_AS_PATH] = { "as_path", SC_FT_STRING,
		SC_AT(struct bgp_sc_rule, as_path), .def_doc = "any",
		.doc = "match: the AS path matches this regular expression "
		    "(Cisco style: ^12076_, _31898$, ...)" },
	[RU_COMMUNITY] = { "community", SC_FT_STRING,
		SC_AT(struct bgp_sc_rule, community), .def_doc = "any",
		.doc = "match: the route has every community listed "
		    "(ASN:VALUE or no-export, no-advertise, ...; spaces "
		    "between)" },
	[RU_NEXT_HOP] = { "next_hop", SC_FT_STRING,
		SC_AT(struct bgp_sc_rule, next_hop), .def_doc = "any",
		.doc = "match: the next hop is a.b.c.d or in a.b.c.d/len" },
	[RU_PEER_AS] = { "peer_as", SC_FT_UINT,
		SC_AT(struct bgp_sc_rule, peer_as), .min = 1,
		.max = UINT32_MAX, .def_doc = "any",
		.doc = "match: the neighbour's AS" },
	[RU_LOCAL_PREF] = { "local_pref", SC_FT_UINT,
		SC_AT(struct bgp_sc_rule, local_pref), .max = UINT32_MAX,
		.def_doc = "unchanged", .doc = "action: set LOCAL_PREF" },
	[RU_MED] = { "med", SC_FT_UINT, SC_AT(struct bgp_sc_rule, med),
		.max = UINT32_MAX, .def_doc = "unchanged",
		.doc = "action: set MULTI_EXIT_DISC" },
	[RU_PREPEND] = { "prepend", SC_FT_UINT,
		SC_AT(struct bgp_sc_rule, prepend), .min = 1, .max = 32,
		.def_doc = "none",
		.doc = "action: prepend this many copies of our AS (or of "
		    "prepend_as)" },
	[RU_PREPEND_AS] = { "prepend_as", SC_FT_UINT,
		SC_AT(struct bgp_sc_rule, prepend_as), .min = 1,
		.max = UINT32_MAX, .def_doc = "our AS",
		.doc = "the AS prepend adds" },
	[RU_ADD_COMM] = { "add_communities", SC_FT_STRING,
		SC_AT(struct bgp_sc_rule, add_comm), .def_doc = "none",
		.doc = "action: add these communities (spaces between)" },
	[RU_REMOVE_COMM] = { "remove_communities", SC_FT_STRING,
		SC_AT(struct bgp_sc_rule, remove_comm), .def_doc = "none",
		.doc = "action: remove these communities" },
	[RU_SET_NEXT_HOP] = { "set_next_hop", SC_FT_STRING,
		SC_AT(struct bgp_sc_rule, set_next_hop), .def_doc = "unchanged",
		.doc = "action: self (our address on the session) or a.b.c.d" },
	[RU_THEN] = { "then", SC_FT_ENUM, SC_AT(struct bgp_sc_rule, then),
		.names = ru_thens, .name_docs = ru_then_docs, .def = "accept",
		.doc = "what a route all the matches hold for gets" },
	[RU_GATE] = { "gate", SC_FT_STRING, SC_AT(struct bgp_sc_rule, gate),
		.def_doc = "always applies",
		.doc = "a gate of the gates section: the rule applies only "
		    "while it is open (skipped as if absent while closed); "
		    "at each change the sessions using the policy are "
		    "reconfigured softly (docs/bgp-policy.md)" },
};

static const struct sc_table ru_table = {
	"policy-rule", "One rule of a policy: if every match given holds, "
	"its actions apply, then `then` decides.",
	ru_fields, SC_NFIELDS(ru_fields), sizeof(struct bgp_sc_rule),
	offsetof(struct bgp_sc_rule, loc), offsetof(struct bgp_sc_rule, vloc),
	offsetof(struct bgp_sc_rule, keys), -1
};

static const struct sc_field po_fields[] = {
	[PO_NAME] = { "name", SC_FT_NAME, SC_AT(struct bgp_sc_policy, name),
		.required = true, .doc = "unique policy name (neighbours' "
		    "import and export use it)" },
	[PO_DEFAULT] = { "default", SC_FT_ENUM,
		SC_AT(struct bgp_sc_policy, def), .names = po_defaults,
		.def = "reject", .doc = "what a route no rule decided gets" },
	[PO_RULES] = { "rules", SC_FT_LIST,
		SC_AT(struct bgp_sc_policy, rules),
		SC_AT2(struct bgp_sc_policy, n_rules), .sub = &ru_table,
		.doc = "the rules, in order" },
};

static const struct sc_table po_table = {
	"policy", "A named routing policy of ordered rules "
	"(docs/bgp-policy.md, docs/bgp-scenario.md).",
	po_fields, SC_NFIELDS(po_fields), sizeof(struct bgp_sc_policy),
	offsetof(struct bgp_sc_policy, loc),
	offsetof(struct bgp_sc_policy, vloc),
	offsetof(struct bgp_sc_policy, keys), -1
};

/* --- making the set -------------------------------------------------- */

/* Report err of the item "<word>value" at the value's place. */
static void
pol_error(struct sc_check *ck, struct sc_loc at, size_t word, size_t vlen,
    const struct bgp_pol_err *err)
{
	if (ck == NULL)
		SIM_ASSERT(0, "checked policy fails: %s", err->msg);
	/*
	 * At the value, which may be quoted: where in it, as a character
	 * count (a quote would shift a column).
	 */
	if (err->pos > word && err->pos - word < vlen)
		sc_check_error(ck, at, "%s (at character %zu of the value)",
		    err->msg, err->pos - word + 1);
	else
		sc_check_error(ck, at, "%s", err->msg);
}

static bool
add_plist(struct bgp_polset *set, const struct bgp_sc_plist *p,
    struct sc_check *ck, bool quiet)
{
	struct bgp_plist *pl = bgp_plist_new(set, p->name);
	struct bgp_pol_err err;
	size_t i;
	bool ok = true;

	if (pl == NULL)
		return false;		/* a duplicate, reported by the check */
	for (i = 0; i < p->n_entries; i++) {
		const struct bgp_sc_pl_entry *e = &p->entries[i];

		if (!sc_key_ok(e->keys, PE_PREFIX) ||
		    (sc_key_given(e->keys, PE_GE) &&
		    !sc_key_ok(e->keys, PE_GE)) ||
		    (sc_key_given(e->keys, PE_LE) &&
		    !sc_key_ok(e->keys, PE_LE)))
			continue;
		memset(&err, 0, sizeof(err));
		if (bgp_plist_add(pl, e->action == 1, e->prefix, e->plen,
		    e->ge, e->le, &err) < 0) {
			ok = false;
			if (quiet)
				continue;
			pol_error(ck, e->vloc[sc_key_given(e->keys, PE_GE) ?
			    PE_GE : sc_key_given(e->keys, PE_LE) ? PE_LE :
			    PE_PREFIX], SIZE_MAX, 0, &err);
		}
	}
	return ok;
}

/* One item of rule ru: "word value" through fn. */
static void
rule_item(struct bgp_policy *p, struct sc_check *ck,
    const struct bgp_sc_rule *ru, int key, const char *word,
    const char *value, int (*fn)(struct bgp_policy *, const char *,
    struct bgp_pol_err *))
{
	struct bgp_pol_err err;
	char text[512];
	size_t w;

	if (!sc_key_ok(ru->keys, (size_t)key))
		return;
	w = (size_t)snprintf(text, sizeof(text), "%s%s", word,
	    *word ? " " : "");
	snprintf(text + w, sizeof(text) - w, "%s", value);
	memset(&err, 0, sizeof(err));
	if (fn(p, text, &err) < 0)
		pol_error(ck, ru->vloc[key], w, strlen(value), &err);
}

static void
add_rule(const struct bgp_polset *set, struct bgp_policy *p,
    const struct bgp_sc_rule *ru, struct sc_check *ck)
{
	char num[48];

	bgp_policy_rule(p, ru->name);
	/* an unknown list was reported with a did-you-mean by the check */
	if (ck == NULL || (sc_key_ok(ru->keys, RU_PREFIX_LIST) &&
	    bgp_plist_get(set, ru->prefix_list) != NULL))
		rule_item(p, ck, ru, RU_PREFIX_LIST, "prefix-list",
		    ru->prefix_list, bgp_policy_match);
	rule_item(p, ck, ru, RU_AS_PATH, "as-path", ru->as_path,
	    bgp_policy_match);
	rule_item(p, ck, ru, RU_COMMUNITY, "community", ru->community,
	    bgp_policy_match);
	rule_item(p, ck, ru, RU_NEXT_HOP, "next-hop", ru->next_hop,
	    bgp_policy_match);
	snprintf(num, sizeof(num), "%u", ru->peer_as);
	rule_item(p, ck, ru, RU_PEER_AS, "peer-as", num, bgp_policy_match);
	snprintf(num, sizeof(num), "%u", ru->local_pref);
	rule_item(p, ck, ru, RU_LOCAL_PREF, "local-pref", num,
	    bgp_policy_action);
	snprintf(num, sizeof(num), "%u", ru->med);
	rule_item(p, ck, ru, RU_MED, "med", num, bgp_policy_action);
	if (sc_key_ok(ru->keys, RU_PREPEND_AS))
		snprintf(num, sizeof(num), "%u %u", ru->prepend_as,
		    ru->prepend);
	else
		snprintf(num, sizeof(num), "self %u", ru->prepend);
	rule_item(p, ck, ru, RU_PREPEND, "prepend", num, bgp_policy_action);
	rule_item(p, ck, ru, RU_ADD_COMM, "community add", ru->add_comm,
	    bgp_policy_action);
	rule_item(p, ck, ru, RU_REMOVE_COMM, "community remove",
	    ru->remove_comm, bgp_policy_action);
	rule_item(p, ck, ru, RU_SET_NEXT_HOP, "next-hop", ru->set_next_hop,
	    bgp_policy_action);
	rule_item(p, ck, ru, RU_THEN, "", ru_thens[ru->then > 0 ?
	    ru->then - 1 : 0], bgp_policy_action);
}

struct bgp_polset *
bgp_sc_polset_make(const struct scenario *sc, struct sc_check *ck)
{
	struct bgp_polset *set = bgp_polset_new();
	const struct bgp_sc_plist *pl;
	const struct bgp_sc_policy *po;
	size_t n, i, k;

	pl = scenario_section(sc, "prefix_lists", &n);
	for (i = 0; i < n; i++)
		if (pl[i].name != NULL)
			add_plist(set, &pl[i], ck, ck != NULL);
	po = scenario_section(sc, "policies", &n);
	for (i = 0; i < n; i++) {
		struct bgp_policy *p;

		if (po[i].name == NULL ||
		    (p = bgp_policy_new(set, po[i].name)) == NULL)
			continue;
		bgp_policy_set_default(p, po[i].def == 1 ? BGP_POL_ACCEPT :
		    BGP_POL_REJECT);
		for (k = 0; k < po[i].n_rules; k++)
			add_rule(set, p, &po[i].rules[k], ck);
	}
	return set;
}

/* --- checks ---------------------------------------------------------- */

static void
check_plists(struct sc_check *ck, struct sc_section_data *d)
{
	struct bgp_sc_plist *v = d->items;
	struct bgp_polset *set = bgp_polset_new();
	size_t i;

	for (i = 0; i < d->n; i++) {
		if (v[i].name == NULL)
			continue;
		if (sc_names_add(ck, "prefix list", v[i].name, i,
		    v[i].vloc[PL_NAME]))
			add_plist(set, &v[i], ck, false);
	}
	bgp_polset_free(set);
}

static void
check_policies(struct sc_check *ck, struct sc_section_data *d)
{
	struct bgp_sc_policy *v = d->items;
	struct bgp_polset *set;
	size_t i, k, idx;

	for (i = 0; i < d->n; i++)
		if (v[i].name != NULL)
			sc_names_add(ck, "policy", v[i].name, i,
			    v[i].vloc[PO_NAME]);
	for (i = 0; i < d->n; i++)
		for (k = 0; k < v[i].n_rules; k++) {
			const struct bgp_sc_rule *ru = &v[i].rules[k];

			if (sc_key_ok(ru->keys, RU_PREPEND_AS) &&
			    !sc_key_given(ru->keys, RU_PREPEND))
				sc_check_error(ck, ru->vloc[RU_PREPEND_AS],
				    "prepend_as needs prepend (how many "
				    "copies)");
			if (sc_key_ok(ru->keys, RU_PREFIX_LIST))
				sc_names_lookup(ck, "prefix list",
				    ru->prefix_list, ru->vloc[RU_PREFIX_LIST],
				    &idx);
			if (sc_key_ok(ru->keys, RU_GATE))
				sc_names_lookup(ck, "gate", ru->gate,
				    ru->vloc[RU_GATE], &idx);
		}
	set = bgp_sc_polset_make(sc_check_scenario(ck), ck);
	bgp_polset_free(set);
}

const struct sc_section bgp_sc_plist_section = {
	.name = "prefix_lists",
	.doc = "named prefix lists for BGP policies",
	.table = &pl_table, .list = true, .check = check_plists,
};

const struct sc_section bgp_sc_policy_section = {
	.name = "policies",
	.doc = "named BGP routing policies (import, export, redistribution)",
	.table = &po_table, .list = true, .check = check_policies,
};

/* --- gated rules at run time ----------------------------------------- */

/* The rules of one policy that follow one gate. */
struct bgp_sc_gated_pol {
	struct bgp_sc_run *run;
	struct bgp_policy *pol;
	const struct gate *gate;
	size_t *rules;
	size_t n_rules;
};

static void
gated_rules_follow(void *arg, bool open)
{
	struct bgp_sc_gated_pol *g = arg;
	size_t i;

	for (i = 0; i < g->n_rules; i++)
		bgp_policy_rule_enable(g->pol, g->rules[i], open);
	for (i = 0; i < g->run->n; i++)
		if (g->run->sp[i].sp != NULL)
			bgp_speaker_policy_changed(g->run->sp[i].sp, g->pol);
}

static struct bgp_sc_gated_pol *
gated_pol_of(struct bgp_sc_run *r, struct bgp_policy *pol,
    const struct gate *gt)
{
	struct bgp_sc_gated_pol *g;
	size_t i;

	for (i = 0; i < r->n_gpols; i++)
		if (r->gpols[i]->pol == pol && r->gpols[i]->gate == gt)
			return r->gpols[i];
	g = xcalloc(1, sizeof(*g));
	g->run = r;
	g->pol = pol;
	g->gate = gt;
	r->gpols = xrealloc(r->gpols, (r->n_gpols + 1) * sizeof(*r->gpols));
	r->gpols[r->n_gpols++] = g;
	return g;
}

int
bgp_sc_gated_rules(struct sc_build *b, struct bgp_sc_run *r)
{
	const struct bgp_sc_policy *po;
	struct gates *gs = gates_of_build(b);
	size_t n, i, k;

	po = scenario_section(b->sc, "policies", &n);
	for (i = 0; i < n; i++) {
		struct bgp_policy *pol = bgp_policy_get(r->pols, po[i].name);

		for (k = 0; k < po[i].n_rules; k++) {
			const struct bgp_sc_rule *ru = &po[i].rules[k];
			struct bgp_sc_gated_pol *g;
			struct gate *gt;

			if (ru->gate == NULL)
				continue;
			gt = gs != NULL ? gates_find(gs, ru->gate) : NULL;
			SIM_ASSERT(pol != NULL && gt != NULL, "bgp: gated rule "
			    "of policy %s not checked", po[i].name);
			g = gated_pol_of(r, pol, gt);
			g->rules = xrealloc(g->rules, (g->n_rules + 1) *
			    sizeof(*g->rules));
			g->rules[g->n_rules++] = k;
			bgp_policy_rule_enable(pol, k, gate_is_open(gt));
			/* one watch per policy and gate, at its first rule */
			if (g->n_rules == 1 &&
			    gate_watch(gt, gated_rules_follow, g) < 0)
				return sim_err(b->err, b->errlen,
				    "out of memory");
		}
	}
	return 0;
}

void
bgp_sc_gated_rules_free(struct bgp_sc_run *r)
{
	size_t i;

	for (i = 0; i < r->n_gpols; i++) {
		free(r->gpols[i]->rules);
		free(r->gpols[i]);
	}
	free(r->gpols);
}
