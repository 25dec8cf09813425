/*
 * bgp_policy.h - routing policy as routers have it: prefix lists and
 * named policies of ordered rules, evaluated on one route at a time.
 *
 * It owns configuration and evaluation only, not sessions or tables: the
 * speaker calls bgp_policy_eval() on import (before Adj-RIB-In's route is
 * considered) and on export (before Adj-RIB-Out), and interns what comes
 * back. Nothing here depends on sim/.
 *
 * A set (struct bgp_polset) holds the named prefix lists and policies of
 * one scenario; a policy refers to prefix lists of its set by name, so
 * lists are made first (they may still gain entries afterwards).
 *
 * Rules and their items are given as text, one item at a time, in the
 * words of docs/bgp-policy.md ("prefix-list vnets", "as-path ^12076_",
 * "prepend 65001 3", "community add 12076:100", "accept"); errors carry
 * the 0-based byte offset in that text, which the scenario loader turns
 * into file:line:col. Addresses are host order (10.0.0.1 is 0x0a000001).
 *
 * Evaluation: the rules in order; a rule whose matches all hold applies
 * its actions to a working copy of the attributes, then accepts, rejects
 * or continues with the next rule (later rules see the changes). After
 * the last rule the policy's default decides (reject unless set). The
 * input set is never written to.
 */
#ifndef XCSIM_BGP_POLICY_H
#define XCSIM_BGP_POLICY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "bgp_aspath_re.h"
#include "bgp_msg.h"

enum bgp_pol_verdict {
	BGP_POL_REJECT = 0,
	BGP_POL_ACCEPT = 1
};

enum bgp_pol_dir {
	BGP_POL_IMPORT,
	BGP_POL_EXPORT
};

struct bgp_polset;
struct bgp_plist;
struct bgp_policy;

struct bgp_polset *bgp_polset_new(void);
void bgp_polset_free(struct bgp_polset *s);
/*
 * The i-th name (0-based, in the order made) of a prefix list or of a
 * policy, NULL past the last: for a loader's did-you-mean.
 */
const char *bgp_polset_plist_name(const struct bgp_polset *s, size_t i);
const char *bgp_polset_policy_name(const struct bgp_polset *s, size_t i);

/* ---- prefix lists ---- */

/* A new empty list; NULL if the name is empty or already taken. */
struct bgp_plist *bgp_plist_new(struct bgp_polset *s, const char *name);
struct bgp_plist *bgp_plist_get(const struct bgp_polset *s,
    const char *name);
const char *bgp_plist_name(const struct bgp_plist *pl);
size_t bgp_plist_len(const struct bgp_plist *pl);

/*
 * Append an entry: permit or deny addr/len, with ge and le (0: absent) as
 * routers have them: len < ge <= le <= 32; with ge alone the range is
 * ge..32, with le alone len..le, with neither exactly len. Host bits of
 * addr must be zero. Returns 0, or -1 with err (pos 0).
 */
int bgp_plist_add(struct bgp_plist *pl, bool permit, uint32_t addr,
    uint8_t len, uint8_t ge, uint8_t le, struct bgp_pol_err *err);
/* The same from text: "permit 10.0.0.0/8 ge 16 le 24", "deny 0.0.0.0/0". */
int bgp_plist_add_str(struct bgp_plist *pl, const char *text,
    struct bgp_pol_err *err);

/*
 * First match wins, no match denies. Returns the verdict; *entry (may be
 * NULL) gets the 0-based index of the entry that matched, or -1.
 * Cost: one hash probe per distinct prefix length of the list not longer
 * than len (at most 33), plus the entries sharing a probed prefix that are
 * looked at before one covers len: O(33 + k), independent of the list's
 * size.
 */
enum bgp_pol_verdict bgp_plist_match(const struct bgp_plist *pl,
    uint32_t addr, uint8_t len, int *entry);

/* ---- policies ---- */

/* A new policy with no rules and default reject; NULL if the name is taken. */
struct bgp_policy *bgp_policy_new(struct bgp_polset *s, const char *name);
struct bgp_policy *bgp_policy_get(const struct bgp_polset *s,
    const char *name);
const char *bgp_policy_name(const struct bgp_policy *p);
/*
 * What happens to a route no rule accepted or rejected. A new policy
 * rejects (the implicit deny of route maps, and RFC 8212's stance on
 * eBGP); an import policy meant as a filter of a few bad routes sets
 * accept.
 */
void bgp_policy_set_default(struct bgp_policy *p, enum bgp_pol_verdict v);
/* "default accept" / "default reject" as text: 0, or -1 with err. */
int bgp_policy_default_str(struct bgp_policy *p, const char *text,
    struct bgp_pol_err *err);

/* Start a new rule at the end (name may be NULL); returns its 0-based index. */
int bgp_policy_rule(struct bgp_policy *p, const char *name);
size_t bgp_policy_rules(const struct bgp_policy *p);
/*
 * Switch rule (0-based) on or off; a rule is on when made. A rule that is
 * off is skipped by bgp_policy_eval as if absent (later rules and the
 * default decide): how a gated rule (the scenario's `gate:` on a rule)
 * follows its gate. Routes already evaluated are not touched: whoever
 * switches tells the sessions using the policy to re-evaluate
 * (bgp_speaker_policy_changed). 0, or -1 if there is no such rule.
 */
int bgp_policy_rule_enable(struct bgp_policy *p, size_t rule, bool on);
bool bgp_policy_rule_enabled(const struct bgp_policy *p, size_t rule);
/*
 * Add a match or an action to the last rule (one is made if there is
 * none). Returns 0, or -1 with err (pos: byte offset in text).
 * Matches: prefix-list NAME | prefix P/L [ge N] [le N] | as-path REGEX |
 *   community C... (all present; C is ASN:VALUE or no-export,
 *   no-advertise, no-export-subconfed, local-as, graceful-shutdown,
 *   blackhole) | community-regex REGEX | large-community G:L1:L2... |
 *   large-community-regex REGEX | next-hop A.B.C.D[/L] | peer-as ASN |
 *   origin igp|egp|incomplete.
 * Actions: local-pref N | med N | prepend ASN|self [COUNT] |
 *   community add|remove|set C... | community set none |
 *   large-community add|remove|set ... | next-hop A.B.C.D|self |
 *   accept | reject | continue (the disposition: last in a rule; a rule
 *   without one accepts).
 */
int bgp_policy_match(struct bgp_policy *p, const char *text,
    struct bgp_pol_err *err);
int bgp_policy_action(struct bgp_policy *p, const char *text,
    struct bgp_pol_err *err);

/* The route being evaluated, and what the speaker knows of the session. */
struct bgp_pol_route {
	uint32_t addr;		/* the prefix */
	uint8_t len;
	enum bgp_pol_dir dir;	/* only for the words of the explanation */
	uint32_t peer_as;	/* the neighbour (import: sender; export: receiver) */
	uint32_t local_as;	/* "prepend self" */
	uint32_t self_nh;	/* "next-hop self": our address on the session */
};

struct bgp_pol_result {
	enum bgp_pol_verdict verdict;
	int rule;		/* 0-based rule that decided; -1: the default */
	/*
	 * Accepted with different attributes: a new set the caller owns (to
	 * intern and free); NULL when rejected or unchanged.
	 */
	struct bgp_attrs *attrs;
};

/*
 * Evaluate a route. in is only read. why (may be NULL) gets one line per
 * rule that matched, in words, NUL-terminated and cut at whylen: "export
 * policy to-oracle rule 2: prepend 65001 x3, accept". Not const: p keeps
 * the AS-path match cache (see docs/bgp-policy.md); results do not depend
 * on it.
 */
enum bgp_pol_verdict bgp_policy_eval(struct bgp_policy *p,
    const struct bgp_pol_route *rt, const struct bgp_attrs *in,
    struct bgp_pol_result *res, char *why, size_t whylen);

/*
 * No policy configured on a session. RFC 8212: an eBGP session with no
 * policy accepts and sends nothing; rfc8212 false is the older behaviour
 * of accepting everything (iBGP always accepts).
 */
enum bgp_pol_verdict bgp_policy_absent(bool ebgp, bool rfc8212);

/* Regex work done and saved by the path cache since the policy was made. */
void bgp_policy_cache_stats(const struct bgp_policy *p, uint64_t *hits,
    uint64_t *misses);

#endif
