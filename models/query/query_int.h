/*
 * query_int.h - the query module's insides: the aliases section's items.
 */
#ifndef XCSIM_QUERY_INT_H
#define XCSIM_QUERY_INT_H

#include "scenario_fields.h"
#include "scenario.h"

enum { QA_NAME, QA_NODE, QA_VRF, QA_WHAT, QA_F_MAX };

/* A name in the clouds' terms for a routing table: (node, VRF). */
struct query_alias {
	char *name;
	char *node;
	char *vrf;		/* NULL = the default VRF */
	char *what;		/* what it is, in words; may be NULL */
	struct sc_loc loc;
	struct sc_loc vloc[QA_F_MAX];
	uint64_t keys[SC_KEYS_WORDS(QA_F_MAX)];
};

/* sc's alias called name, or NULL. */
const struct query_alias *query_alias_find(const struct scenario *sc,
    const char *name);

#endif
