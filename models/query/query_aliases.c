/*
 * query_aliases.c - the `aliases` section: names in the clouds' terms for
 * routing tables, which route and path queries (and their assertions)
 * accept wherever a table is named. The cloud expansions write one per VM
 * NIC, subnet, VCN route table and DRG route table; a user may write more.
 */
#include <string.h>

#include "query.h"
#include "query_int.h"
#include "scenario_section.h"

static const struct sc_field alias_fields[] = {
	[QA_NAME] = { "name", SC_FT_STRING, SC_AT(struct query_alias, name),
		.required = true, .doc = "the name queries accept (a NIC, a "
		    "subnet, a route table); not containing '/'" },
	[QA_NODE] = { "node", SC_FT_NAME, SC_AT(struct query_alias, node),
		.required = true, .doc = "the node holding the table" },
	[QA_VRF] = { "vrf", SC_FT_NAME, SC_AT(struct query_alias, vrf),
		.def_doc = "the default VRF", .doc = "its VRF" },
	[QA_WHAT] = { "what", SC_FT_STRING, SC_AT(struct query_alias, what),
		.def_doc = "nothing", .doc = "what it is, in words, printed "
		    "with the answers" },
};

static const struct sc_table alias_table = {
	"alias", "A name for a routing table (a node and one of its VRFs), "
	"for `xcsim routes` and the route assertions.", alias_fields,
	SC_NFIELDS(alias_fields), sizeof(struct query_alias),
	offsetof(struct query_alias, loc), offsetof(struct query_alias, vloc),
	offsetof(struct query_alias, keys), -1
};

static void
check_aliases(struct sc_check *ck, struct sc_section_data *d)
{
	struct query_alias *a = d->items;
	size_t i, idx;

	for (i = 0; i < d->n; i++) {
		if (!sc_key_ok(a[i].keys, QA_NAME))
			continue;
		if (a[i].name[0] == '\0' || strchr(a[i].name, '/') != NULL) {
			sc_check_error(ck, a[i].vloc[QA_NAME], "alias '%s': a "
			    "name may not be empty or contain '/' (NODE/VRF "
			    "names a table already)",
			    sc_check_quote(ck, a[i].name));
			continue;
		}
		if (sc_names_find(ck, "node", a[i].name, &idx)) {
			sc_check_error(ck, a[i].vloc[QA_NAME], "alias '%s' is "
			    "the name of a node: queries would ask the alias's "
			    "table, not the node's", sc_check_quote(ck,
			    a[i].name));
			continue;
		}
		sc_names_add(ck, "alias", a[i].name, i, a[i].vloc[QA_NAME]);
		if (sc_key_ok(a[i].keys, QA_NODE))
			sc_names_lookup(ck, "node", a[i].node,
			    a[i].vloc[QA_NODE], &idx);
	}
}

/* Aliases need nothing built; the query assertions sample at their times. */
static int
build_aliases(struct sc_build *b, const void *items, size_t n)
{
	(void)items, (void)n;
	return query_assert_build(b);
}

static const struct sc_section aliases_section = {
	.name = "aliases", .doc = "names in the clouds' terms for routing "
	    "tables (docs/query.md)", .table = &alias_table, .list = true,
	.check = check_aliases, .phase = SC_PHASE_NET,
	.build = build_aliases, .state_free = query_assert_state_free,
};

int
query_aliases_register(void)
{
	return scenario_register_section(&aliases_section);
}

const struct query_alias *
query_alias_find(const struct scenario *sc, const char *name)
{
	const struct query_alias *a;
	size_t n, i;

	a = scenario_section(sc, "aliases", &n);
	for (i = 0; a != NULL && i < n; i++)
		if (strcmp(a[i].name, name) == 0)
			return &a[i];
	return NULL;
}
