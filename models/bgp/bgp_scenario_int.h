/*
 * bgp_scenario_int.h - what the files of the scenario face of BGP share:
 * the structs the field tables fill (prefix_lists, policies, bgp), the
 * polset maker used by the load-time check and by the build, and the run
 * state the assertions and metrics.json read. Not for other modules: they
 * use bgp_scenario.h.
 */
#ifndef XCSIM_BGP_SCENARIO_INT_H
#define XCSIM_BGP_SCENARIO_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "bgp_speaker.h"
#include "scenario_section.h"

/* ---- prefix_lists ---- */

enum { PE_ACTION, PE_PREFIX, PE_GE, PE_LE, PE_F_MAX };
enum { PL_NAME, PL_ENTRIES, PL_F_MAX };

struct bgp_sc_pl_entry {
	int action;			/* 1 permit, 2 deny */
	uint32_t prefix;
	uint8_t plen, ge, le;
	struct sc_loc loc;
	struct sc_loc vloc[PE_F_MAX];
	uint64_t keys[SC_KEYS_WORDS(PE_F_MAX)];
};

struct bgp_sc_plist {
	char *name;
	struct bgp_sc_pl_entry *entries;
	size_t n_entries;
	struct sc_loc loc;
	struct sc_loc vloc[PL_F_MAX];
	uint64_t keys[SC_KEYS_WORDS(PL_F_MAX)];
};

/* ---- policies ---- */

/* Rule keys: the matches, then the actions, then the disposition. */
enum { RU_NAME, RU_PREFIX_LIST, RU_AS_PATH, RU_COMMUNITY, RU_NEXT_HOP,
	RU_PEER_AS, RU_LOCAL_PREF, RU_MED, RU_PREPEND, RU_PREPEND_AS,
	RU_ADD_COMM, RU_REMOVE_COMM, RU_SET_NEXT_HOP, RU_THEN, RU_GATE,
	RU_F_MAX };
enum { PO_NAME, PO_DEFAULT, PO_RULES, PO_F_MAX };

struct bgp_sc_rule {
	char *name;
	char *prefix_list, *as_path, *community, *next_hop;
	uint32_t peer_as, local_pref, med;
	uint8_t prepend;
	uint32_t prepend_as;
	char *add_comm, *remove_comm, *set_next_hop;
	int then;			/* 1 accept, 2 reject, 3 continue */
	char *gate;			/* the rule applies while it is open */
	struct sc_loc loc;
	struct sc_loc vloc[RU_F_MAX];
	uint64_t keys[SC_KEYS_WORDS(RU_F_MAX)];
};

struct bgp_sc_policy {
	char *name;
	int def;			/* 1 accept, 2 reject */
	struct bgp_sc_rule *rules;
	size_t n_rules;
	struct sc_loc loc;
	struct sc_loc vloc[PO_F_MAX];
	uint64_t keys[SC_KEYS_WORDS(PO_F_MAX)];
};

/* ---- bgp ---- */

enum { BT_TX, BT_RX, BT_MULT, BT_F_MAX };
enum { MP_LIMIT, MP_WARNING_ONLY, MP_RESTART, MP_F_MAX };
enum { GR_RESTART_TIME, GR_STALE_TIME, GR_F_MAX };
enum { NB_ADDRESS, NB_REMOTE_AS, NB_DESCRIPTION, NB_PRESET, NB_HOLD,
	NB_KEEPALIVE, NB_CONNECT_RETRY, NB_MIN_HOLD, NB_DELAY_OPEN,
	NB_IDLE_HOLD, NB_DAMPING, NB_PASSIVE, NB_TTL, NB_GTSM_HOPS, NB_MD5_KEY,
	NB_BFD, NB_BFD_TIMERS, NB_MAX_PREFIX, NB_IMPORT, NB_EXPORT,
	NB_NEXT_HOP_SELF, NB_ALLOWAS_IN, NB_MRAI, NB_RR_CLIENT,
	NB_GRACEFUL_RESTART, NB_ENHANCED_RR, NB_TRANSPORT, NB_GATE, NB_F_MAX };
enum { NW_PREFIX, NW_F_MAX };
enum { AG_PREFIX, AG_SUMMARY_ONLY, AG_AS_SET, AG_F_MAX };
enum { RD_SOURCE, RD_POLICY, RD_F_MAX };
enum { BG_NODE, BG_VRF, BG_ASN, BG_ROUTER_ID, BG_MAX_PATHS, BG_EBGP_MRAI,
	BG_RFC8212, BG_CLUSTER_ID, BG_ALWAYS_COMPARE_MED, BG_OLDEST_EBGP,
	BG_NEIGHBORS, BG_NETWORKS, BG_AGGREGATES, BG_REDISTRIBUTE, BG_F_MAX };

enum bgp_sc_preset { BGP_SC_PRESET_DEFAULT = 1, BGP_SC_PRESET_MSEE,
	BGP_SC_PRESET_OCI };
/* A neighbour's transport (the `transport` key). */
enum bgp_sc_transport { BGP_SC_TRANSPORT_AUTO = 1,
	BGP_SC_TRANSPORT_SIMULATED };

struct bgp_sc_bfd_timers {
	sim_time tx, rx;
	uint8_t mult;
	struct sc_loc loc;
	struct sc_loc vloc[BT_F_MAX];
	uint64_t keys[SC_KEYS_WORDS(BT_F_MAX)];
};

struct bgp_sc_max_prefix {
	uint32_t limit;
	bool warning_only;
	sim_time restart;
	struct sc_loc loc;
	struct sc_loc vloc[MP_F_MAX];
	uint64_t keys[SC_KEYS_WORDS(MP_F_MAX)];
};

struct bgp_sc_gr {
	sim_time restart_time, stale_time;
	struct sc_loc loc;
	struct sc_loc vloc[GR_F_MAX];
	uint64_t keys[SC_KEYS_WORDS(GR_F_MAX)];
};

struct bgp_sc_nbr {
	uint32_t addr, remote_as;
	char *description;
	int preset;			/* enum bgp_sc_preset */
	sim_time hold, keepalive, connect_retry, min_hold, delay_open;
	sim_time idle_hold;
	bool damping, passive;
	uint8_t ttl, gtsm_hops;
	char *md5_key;
	bool bfd;
	struct bgp_sc_bfd_timers bfd_timers;
	struct bgp_sc_max_prefix max_prefix;
	char *import, *export;
	bool next_hop_self;
	uint8_t allowas_in;
	sim_time mrai;
	bool rr_client;
	struct bgp_sc_gr gr;
	bool enhanced_rr;
	int transport;			/* enum bgp_sc_transport */
	char *gate;			/* models/gates, NULL = none */
	/* resolved by the check */
	bool ok;
	struct bgp_neighbor_cfg cfg;	/* import/export: NULL, see names */
	struct bgp_fsm_cfg fsm;
	struct bfd_cfg bfdc;
	struct sc_loc loc;
	struct sc_loc vloc[NB_F_MAX];
	uint64_t keys[SC_KEYS_WORDS(NB_F_MAX)];
};

struct bgp_sc_prefix {
	uint32_t prefix;
	uint8_t plen;
	bool summary_only, as_set;	/* aggregates */
	struct sc_loc loc;
	struct sc_loc vloc[AG_F_MAX];
	uint64_t keys[SC_KEYS_WORDS(AG_F_MAX)];
};

struct bgp_sc_redist {
	char *source;			/* a RIB source name of the node */
	char *policy;
	bool pol_ok;			/* none, or it resolved (check) */
	struct sc_loc loc;
	struct sc_loc vloc[RD_F_MAX];
	uint64_t keys[SC_KEYS_WORDS(RD_F_MAX)];
};

struct bgp_sc {
	char *node;
	char *vrf;
	uint32_t asn, router_id, max_paths;
	sim_time ebgp_mrai;
	bool rfc8212;
	uint32_t cluster_id;
	bool always_compare_med, oldest_ebgp;
	struct bgp_sc_nbr *nbrs;
	size_t n_nbrs;
	struct bgp_sc_prefix *networks;
	size_t n_networks;
	struct bgp_sc_prefix *aggregates;
	size_t n_aggregates;
	struct bgp_sc_redist *redist;
	size_t n_redist;
	/* resolved by the check */
	bool ok;			/* every key good: built */
	bool on_node;			/* the node resolved */
	size_t node_idx;
	struct sc_loc loc;
	struct sc_loc vloc[BG_F_MAX];
	uint64_t keys[SC_KEYS_WORDS(BG_F_MAX)];
};

extern const struct sc_section bgp_sc_plist_section, bgp_sc_policy_section;

/*
 * The scenario's prefix lists and policies made into a set. With ck, every
 * problem is reported at its place in the file (a list or policy with one
 * is left out); without, the file was checked and none may happen.
 */
struct bgp_polset *bgp_sc_polset_make(const struct scenario *sc,
    struct sc_check *ck);

/* ---- the run ---- */

/* One change of a prefix's best route at one speaker. */
struct bgp_sc_change {
	sim_time t;
	uint32_t prefix;
	uint8_t len;
	uint8_t kind;			/* enum bgp_change_kind */
	uint16_t n_paths;
	uint32_t next_hop;		/* of the best; 0 withdrawn */
	char *path;			/* the best's AS path, "" local/none */
};

struct bgp_sc_speaker {
	struct bgp_sc_run *run;
	const struct bgp_sc *item;
	struct bgp_speaker *sp;
	const char *node;
	struct bgp_sc_change *log;
	size_t n, cap;
};

struct bgp_sc_act;

struct bgp_sc_run {
	struct sim *sim;
	const struct scenario *sc;
	struct bgp_polset *pols;
	struct bfd *bfd;		/* the bfd section's, or own_bfd */
	bool own_bfd;
	struct bgp_sc_speaker *sp;
	size_t n;
	struct bgp_sc_probe **probes;	/* bgp-established at a time */
	size_t n_probes;
	struct bgp_sc_gated *gated;	/* neighbours following a gate */
	size_t n_gated;
	struct bgp_sc_gated_pol **gpols;	/* gated policy rules */
	size_t n_gpols;
	struct bgp_sc_act *acts;	/* bgp-announce/withdraw (actions) */
	size_t n_acts;
};

struct bgp_sc_gated_pol;

/*
 * Every gated rule of the policies section (a `gate:` on a rule): switched
 * to its gate's state at time zero, then following it, the sessions that
 * use its policy reconfigured softly at each change
 * (bgp_speaker_policy_changed). Called by the build once the set is made;
 * bgp_sc_gated_rules_start once the speakers exist. 0, or -1 with b->err.
 */
int bgp_sc_gated_rules(struct sc_build *b, struct bgp_sc_run *r);
void bgp_sc_gated_rules_free(struct bgp_sc_run *r);

/* bgp_actions.c: the timeline actions bgp-announce and bgp-withdraw. */
extern const struct sc_action bgp_sc_action_announce, bgp_sc_action_withdraw;
/* Schedule them on the run's speakers (the build, once they exist). */
int bgp_sc_actions_schedule(struct sc_build *b, struct bgp_sc_run *r);

struct bgp_sc_probe;

/* The speaker of node (by name; vrf NULL = default), or NULL. */
struct bgp_sc_speaker *bgp_sc_run_speaker(struct bgp_sc_run *r,
    size_t node_idx);
/* The best route of prefix/len at s at time t from its log; NULL: none. */
const struct bgp_sc_change *bgp_sc_best_at(const struct bgp_sc_speaker *s,
    uint32_t prefix, uint8_t len, sim_time t);

/*
 * What a bgp-established assertion's arguments ask: the node (index),
 * peer and time to sample the session at; false: at the end of the run.
 */
bool bgp_sc_established_probe(const void *args, size_t *node,
    uint32_t *peer, sim_time *at);
/* The state its probe saw; false if the run ended before its time. */
bool bgp_sc_probe_state(const struct bgp_sc_run *r, const void *args,
    enum bgp_fsm_state *state);
/*
 * The last Loc-RIB change of any speaker in [from, to), -1 if none;
 * *changes gets how many there were.
 */
sim_time bgp_sc_last_change(const struct bgp_sc_run *r, sim_time from,
    sim_time to, size_t *changes);

/* The section's build, state and metrics (bgp_scenario_run.c). */
int bgp_sc_build(struct sc_build *b, const void *items, size_t n);
void bgp_sc_run_free(void *state);
void bgp_sc_metrics(const void *state, FILE *out);

extern const struct sc_assertion bgp_sc_assert_established,
    bgp_sc_assert_route, bgp_sc_assert_failover, bgp_sc_assert_converged;

#endif
