/*
 * acl.h - packet filters with connection tracking, bound to interfaces:
 * named prefix sets, access lists and their bindings (docs/acl.md).
 *
 * An acl is a list of rules in one of two modes. first_match: the rules of
 * a direction are taken by ascending priority and the first that matches
 * allows or denies; none = deny. any_allow: rules only allow, and a packet
 * passes if any of them matches. A binding puts one or more acls on a
 * node's interface to protect what is on the far side of it: frames the
 * node sends out of the interface are "inbound" to that thing (the egress
 * hook), frames it receives from it "outbound" (the ingress hook). With
 * combine all every acl must allow (inbound in list order, outbound in
 * reverse, the first refusal decides); with combine any one allowing is
 * enough.
 *
 * Connection tracking is per binding: a flow (5-tuple; ICMP echo by
 * identifier) allowed by a stateful rule gets an entry, and later packets
 * of it in either direction pass every acl that tracked it without their
 * rules. A packet that matches a stateless allow rule in combine any
 * neither consults nor creates an entry (the stateless rule takes
 * precedence). Entries expire on idle timeouts per protocol, TCP ones
 * ACL_CT_TCP_TIME_WAIT after a FIN each way and ACL_CT_TCP_CLOSE after a
 * RST, not extended by later segments; when the table holds
 * its limit a new stateful flow is dropped. Expiry is lazy and exact: each
 * packet on the binding first removes the entries that expired by now.
 *
 * Prefix sets are static prefixes plus the best routes of named RIB
 * sources on nodes, followed live through rib listeners. A match is one
 * longest-prefix lookup per set.
 *
 * Nothing here knows a cloud: the acl's label ("nsg", "security-list")
 * carries that word into the drop reasons.
 */
#ifndef XCSIM_ACL_H
#define XCSIM_ACL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "sim.h"

struct net;
struct node;
struct rib;

/* Connection tracking timeouts (docs/acl.md gives their basis). */
#define ACL_CT_TCP_SYN SIM_S(120)	/* before the reply direction is seen */
#define ACL_CT_TCP_EST SIM_S(432000)	/* established, idle: 5 days */
#define ACL_CT_TCP_TIME_WAIT SIM_S(120)	/* after FIN both ways */
#define ACL_CT_TCP_CLOSE SIM_S(10)	/* after a RST */
#define ACL_CT_UDP SIM_S(30)		/* one direction seen */
#define ACL_CT_UDP_STREAM SIM_S(120)	/* both directions seen */
#define ACL_CT_ICMP SIM_S(30)
#define ACL_CT_OTHER SIM_S(600)		/* any other protocol */

#define ACL_BINDING_ACLS 16	/* acls in one binding */
#define ACL_REASON_LEN 320	/* a drop reason, its NUL included */
#define ACL_PROTO_ANY (-1)

enum acl_mode { ACL_FIRST_MATCH, ACL_ANY_ALLOW };
enum acl_dir { ACL_INBOUND = 0, ACL_OUTBOUND = 1 };
enum acl_combine { ACL_ALL, ACL_ANY };

/* --- prefix sets ---------------------------------------------------- */

struct acl_pset;

struct acl_pset *acl_pset_new(const char *name);
/* Removes its rib listeners; no acl may use it any more. */
void acl_pset_free(struct acl_pset *s);
const char *acl_pset_name(const struct acl_pset *s);
/* A static member (a prefix given twice counts once per time given). */
void acl_pset_add(struct acl_pset *s, uint32_t prefix, uint8_t len);
/*
 * Follow the best routes of the source called source in r (a node's VRF
 * table) from now on: every prefix whose best route is that source's is a
 * member while it is. The source's id is found by name on each change
 * (rib_source_name), so a source named after this call is followed too.
 */
void acl_pset_follow(struct acl_pset *s, struct rib *r, const char *source);
bool acl_pset_match(const struct acl_pset *s, uint32_t addr);
/* Distinct member prefixes. */
size_t acl_pset_count(const struct acl_pset *s);

/* --- acls ------------------------------------------------------------ */

/* Where a rule's source or destination may be. */
struct acl_addrs {
	bool any;
	uint32_t *prefix;
	uint8_t *len;
	size_t n;
	struct acl_pset **sets;	/* borrowed */
	size_t n_sets;
};

struct acl_rule {
	char *name;
	enum acl_dir dir;
	uint32_t priority;	/* first_match; 0 in any_allow */
	bool allow;
	bool stateless;
	int proto;		/* 0..255 or ACL_PROTO_ANY */
	uint16_t sport[2], dport[2];	/* inclusive ranges (tcp, udp) */
	int icmp_type, icmp_code;	/* -1 = any */
	struct acl_addrs src, dst;
};

struct acl;

/* label: the word in reasons ("nsg"). Copies both strings. */
struct acl *acl_new(const char *name, const char *label, enum acl_mode mode);
void acl_free(struct acl *a);
/*
 * Adds a copy of r (its name and address arrays; the sets stay borrowed).
 * Rules are kept per direction, first_match ones by priority. The caller
 * checked r (unique priorities, ports only for tcp/udp). Aborts if a is
 * bound (a binding sized its counters by the rules) or if r denies in an
 * any_allow acl.
 */
void acl_add_rule(struct acl *a, const struct acl_rule *r);
/*
 * Whether rule i (in the order added) takes part: an inactive rule (its
 * gate closed, models/gates) is skipped as if absent, in the packet path
 * and in acl_explain; its index, its denial counter and the flows it let
 * be tracked stay. Every rule is active when added; this may be called
 * while the acl is bound.
 */
void acl_rule_set_active(struct acl *a, size_t i, bool on);
bool acl_rule_active(const struct acl *a, size_t i);
const char *acl_name(const struct acl *a);
const char *acl_label(const struct acl *a);
enum acl_mode acl_mode(const struct acl *a);

/* --- bindings -------------------------------------------------------- */

struct acl_binding;

/*
 * Put acls (borrowed, at most ACL_BINDING_ACLS, in inbound order) on
 * interface ifindex of n, with a table of at most ct_limit tracked flows
 * (0: tracking refused, every stateful flow drops as table full).
 * Returns NULL (err set) for a bad interface or too many acls.
 */
struct acl_binding *acl_bind(struct node *n, uint32_t ifindex,
    struct acl *const *acls, size_t n_acls, enum acl_combine combine,
    uint32_t ct_limit, char *err, size_t errlen);
/* Removes the filters; the acls are not freed. */
void acl_unbind(struct acl_binding *b);

/* A packet as the filter sees it. */
struct acl_tuple {
	uint32_t src, dst;
	uint8_t proto;
	uint16_t sport, dport;	/* tcp/udp; 0 otherwise */
	int icmp_type, icmp_code;	/* icmp; -1 otherwise */
	uint16_t icmp_id;	/* echo request/reply identifier */
	uint8_t tcp_flags;
	bool l4;		/* the transport header is there (not a
				 * later fragment) */
};

/* How one acl judged a packet. */
struct acl_hit {
	const struct acl *acl;
	const struct acl_rule *rule;	/* NULL: no rule matched */
	bool allow;
	bool tracked;		/* passed as part of a tracked flow */
};

struct acl_decision {
	bool allow;
	bool table_full;	/* refused only for want of a table entry */
	struct acl_hit hit[ACL_BINDING_ACLS];	/* in evaluation order */
	size_t n_hits;
	size_t decider;		/* the hit that decided (n_hits: none) */
	/* the drop reason, "" when allowed: the filter's, to the byte */
	char reason[ACL_REASON_LEN];
};

/*
 * What the binding would decide for a new flow's packet t in dir: its
 * rules only, the tracking table neither read nor changed, no counter
 * moved. Returns 0, or -1 if t is NULL.
 */
int acl_explain(const struct acl_binding *b, enum acl_dir dir,
    const struct acl_tuple *t, struct acl_decision *out);

/* The tuple of a parsed frame (acl_tuple.l4 false for later fragments). */
struct wire_frame;
void acl_tuple_of(const struct wire_frame *f, struct acl_tuple *t);

struct acl_counters {
	uint64_t allowed, allowed_tracked;
	uint64_t denied;
	uint64_t table_full;	/* drops for want of a tracking entry */
	uint64_t flows_created;
	uint32_t flows, flows_peak;
};

const struct acl_counters *acl_binding_counters(const struct acl_binding *b);
/* Denials by rule: rule index r of acl k of the binding, or r = -1 for
 * "no rule matched / allows". */
uint64_t acl_binding_denials(const struct acl_binding *b, size_t k, long r);
size_t acl_binding_n_acls(const struct acl_binding *b);
const struct acl *acl_binding_acl(const struct acl_binding *b, size_t k);
size_t acl_n_rules(const struct acl *a);
const struct acl_rule *acl_rule_at(const struct acl *a, size_t i);
/*
 * An inactive binding (its gate closed) filters nothing: every frame
 * passes untouched (not counted, not tracked) and acl_explain allows; its
 * tracked flows stay and expire as ever. Active when made.
 */
void acl_binding_set_active(struct acl_binding *b, bool on);
bool acl_binding_active(const struct acl_binding *b);
/* Live tracked flows now (expired ones removed first). */
uint32_t acl_binding_flows(struct acl_binding *b);

/*
 * The filter's decision for a packet, as the hooks call it (tracking
 * updated, counters moved): exposed for tests and benchmarks that drive a
 * binding without frames. *reason as the filter's.
 */
bool acl_binding_filter(struct acl_binding *b, enum acl_dir dir,
    const struct acl_tuple *t, const char **reason);

#endif
