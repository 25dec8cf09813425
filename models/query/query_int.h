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
#include "query_cross.h"

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
	/* out_if has no link: the crossing a model made of it, in words */
	char cross[400];
};

struct walk {
	struct hop hop[PATH_HOPS_MAX];
	size_t n;
	const char *end;	/* how it ended, in words */
	bool delivered;
	char end_buf[480];	/* end, when it is made for this walk */
};

/* A packet's way there and, when it arrived, its reply's way back. */
struct query_path_res {
	struct node *from, *to;	/* to: NULL unless delivered */
	struct acl_tuple t, rt;	/* the packet, and its reply */
	struct walk there, back;
};

/*
 * What a walk reads besides the net: the acl_bindings state and each
 * registered crossing's section state (query_cross.h), in the order
 * query_crossings gives them; NULL where the run has none.
 */
struct query_env {
	struct net *net;
	void *acl_state;
	void *cross[QUERY_CROSSINGS_MAX];
};

/* env for a run whose section states state(ctx, name) gives. */
void query_env_init(struct query_env *env, struct net *net,
    void *(*state)(const void *ctx, const char *name), const void *ctx);

/* Follow p from node from. */
void query_path_walk(const struct query_env *env, struct node *from,
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
