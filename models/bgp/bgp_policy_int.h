/*
 * bgp_policy_int.h - what bgp_policy.c (configuration, text) and
 * bgp_policy_eval.c (evaluation) share: the compiled form of prefix lists,
 * rules and policies. Not for use outside those two files.
 */
#ifndef XCSIM_BGP_POLICY_INT_H
#define XCSIM_BGP_POLICY_INT_H

#include "bgp_policy.h"

#define PL_NONE UINT32_MAX

struct pl_entry {
	uint32_t addr;
	uint8_t len, ge, le;	/* as written (0: absent) */
	uint8_t lo, hi;		/* the route lengths it covers */
	bool permit;
	uint32_t next;		/* next entry with the same prefix, or PL_NONE */
};

/* One slot of the hash of distinct prefixes: its entries, in list order. */
struct pl_node {
	uint32_t addr;
	uint8_t len;
	bool used;
	uint32_t first, last;
};

struct bgp_plist {
	char *name;
	struct pl_entry *e;
	size_t n, cap;
	struct pl_node *tab;
	size_t tabsz, nnodes;	/* tabsz a power of 2, at most half full */
	uint64_t lens;		/* bit L: some entry has prefix length L */
};

enum pm_type {
	PM_PLIST,
	PM_PREFIX,
	PM_ASPATH,
	PM_COMM,
	PM_COMM_RE,
	PM_LCOMM,
	PM_LCOMM_RE,
	PM_NEXT_HOP,
	PM_PEER_AS,
	PM_ORIGIN
};

struct pol_match {
	uint8_t type;		/* enum pm_type */
	uint8_t len, lo, hi;	/* PM_PREFIX, PM_NEXT_HOP */
	uint32_t addr;
	uint32_t num;		/* PM_PEER_AS, PM_ORIGIN */
	const struct bgp_plist *pl;
	int re;			/* index in the policy's regex table */
	uint32_t *vals;		/* communities (large: 3 words each) */
	uint16_t nvals;
};

enum pa_type {
	PA_LOCAL_PREF,
	PA_MED,
	PA_PREPEND,
	PA_PREPEND_SELF,
	PA_COMM_ADD,
	PA_COMM_REMOVE,
	PA_COMM_SET,
	PA_LCOMM_ADD,
	PA_LCOMM_REMOVE,
	PA_LCOMM_SET,
	PA_NEXT_HOP,
	PA_NEXT_HOP_SELF
};

struct pol_action {
	uint8_t type;		/* enum pa_type */
	uint32_t num, count;
	uint32_t *vals;
	uint16_t nvals;
};

enum pol_disp {
	DISP_ACCEPT,
	DISP_REJECT,
	DISP_CONTINUE
};

struct pol_rule {
	char *name;
	struct pol_match *m;
	size_t nm;
	struct pol_action *a;
	size_t na;
	uint8_t disp;		/* enum pol_disp */
	bool has_disp;
	bool off;		/* bgp_policy_rule_enable(false): skipped */
};

/*
 * The AS-path match cache: direct-mapped on a hash of the path words,
 * each slot holding a short path and, per AS-path regex of the policy
 * (the first 64), whether it was tried and whether it matched.
 */
#define PC_SLOTS 1024u
#define PC_WORDS 16u
#define PC_REGEXES 64
struct pc_slot {
	uint32_t hash;
	uint16_t len;
	bool used;
	uint64_t tried, matched;
	uint32_t w[PC_WORDS];
};

struct bgp_policy {
	char *name;
	struct bgp_polset *set;
	enum bgp_pol_verdict def;
	struct pol_rule *r;
	size_t nr;
	struct bgp_re **pre;	/* AS-path regexes, one per distinct pattern */
	size_t npre;
	struct bgp_re **cre;	/* community and large-community regexes */
	size_t ncre;
	struct pc_slot *cache;	/* made on the first AS-path regex match */
	uint64_t hits, misses;
	/* scratch for the working copy, grown as needed, kept across calls */
	uint32_t *path, *comm, *lcomm;
	size_t path_cap, comm_cap, lcomm_cap;
	char *text, *ctext;	/* path text; community text */
	size_t text_cap, ctext_cap;
};

struct bgp_polset {
	struct bgp_plist **pl;
	size_t npl;
	struct bgp_policy **po;
	size_t npo;
};

/* Whether entry-like range lo..hi at addr/len covers the route. */
static inline bool
pl_covers(uint32_t addr, uint8_t len, uint8_t lo, uint8_t hi,
    uint32_t raddr, uint8_t rlen)
{
	uint32_t mask = len == 0 ? 0 : 0xffffffffu << (32 - len);

	return rlen >= lo && rlen <= hi && ((raddr ^ addr) & mask) == 0;
}

/* The well-known name of a community, or NULL. */
const char *bgp_pol_comm_name(uint32_t c);

#endif
