/*
 * query_int.h - the query module's insides: the aliases section's items.
 */
#ifndef XCSIM_QUERY_INT_H
#define XCSIM_QUERY_INT_H

#include <stdio.h>

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

#include <stdbool.h>

#include "acl.h"
#include "query.h"

#define PATH_HOPS_MAX 64

struct verdict {
	struct acl_binding *b;	/* NULL: no filter there */
	struct acl_decision d;
	bool tracked;		/* a reply let through as a tracked flow */
};

struct hop {
	struct node *node;
	uint32_t in_if, out_if;	/* IFACE_NONE: started / ended here */
	uint32_t vrf;
	struct verdict in, out;
	char route[256];	/* "10.2.0.0/16 bgp via 169.254.240.2" */
};

struct walk {
	struct hop hop[PATH_HOPS_MAX];
	size_t n;
	const char *end;	/* how it ended, in words */
	bool delivered;
};

/* A packet's way there and, when it arrived, its reply's way back. */
struct query_path_res {
	struct node *from, *to;	/* to: NULL unless delivered */
	struct acl_tuple t, rt;	/* the packet, and its reply */
	struct walk there, back;
};

/* Follow p from node from in net (acl_state: the acl_bindings state). */
void query_path_walk(struct net *net, void *acl_state, struct node *from,
    const struct query_probe *p, struct query_path_res *res);
void query_path_print(FILE *out, const struct query_path_res *res,
    bool json);

/*
 * query_assert.c, run by the aliases section: schedule the samples of the
 * query assertions written with an `at`, and free what they keep.
 */
struct sc_build;
int query_assert_build(struct sc_build *b);
void query_assert_state_free(void *state);

/* sc's alias called name, or NULL. */
const struct query_alias *query_alias_find(const struct scenario *sc,
    const char *name);

#endif
