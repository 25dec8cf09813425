/*
 * prov_state_int.h - what the two files of the resources section share:
 * the structs its field tables fill (prov_state_scenario.c) and the run
 * state built from them (prov_state.c: histories, the schedule, the trace
 * records, the sessions followed, the queries and the printing). Not for
 * other modules: they use prov_state.h.
 */
#ifndef XCSIM_PROV_STATE_INT_H
#define XCSIM_PROV_STATE_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "prov_state.h"
#include "scenario_fields.h"
#include "scenario.h"
#include "sim.h"

/* ---- the items of the section ---- */

enum { PS_AT, PS_FIELD, PS_VALUE, PS_OP, PS_F_MAX };
enum { PN_AT, PN_TEXT, PN_F_MAX };
enum { PSS_NODE, PSS_PEER, PSS_F_MAX };
enum { PF_FIELD, PF_SESSIONS, PF_WHEN, PF_UP, PF_DOWN, PF_F_MAX };
enum { PO_AT, PO_END, PO_OP, PO_OUTCOME, PO_ERROR, PO_F_MAX };
enum { PR_NAME, PR_TYPE, PR_TITLE, PR_NODES, PR_STATES, PR_FOLLOW,
	PR_NOTES, PR_OPERATIONS, PR_F_MAX };

enum prov_when { PROV_WHEN_ANY = 1, PROV_WHEN_ALL };

struct prov_sc_state {		/* states: set field = value at a time */
	sim_time at;
	char *field, *value, *op;	/* op may be NULL */
	struct sc_loc loc;
	struct sc_loc vloc[PS_F_MAX];
	uint64_t keys[SC_KEYS_WORDS(PS_F_MAX)];
};

struct prov_sc_note {
	sim_time at;
	char *text;
	struct sc_loc loc;
	struct sc_loc vloc[PN_F_MAX];
	uint64_t keys[SC_KEYS_WORDS(PN_F_MAX)];
};

enum prov_outcome { PROV_OUT_DONE = 1, PROV_OUT_REFUSED };

struct prov_sc_op {		/* an operation's span, for the trace */
	sim_time at, end;
	char *op;
	int outcome;			/* enum prov_outcome */
	char *error;			/* NULL unless refused */
	struct sc_loc loc;
	struct sc_loc vloc[PO_F_MAX];
	uint64_t keys[SC_KEYS_WORDS(PO_F_MAX)];
};

struct prov_sc_session {	/* a BGP session: node and its neighbour */
	char *node;
	uint32_t peer;
	struct sc_loc loc;
	struct sc_loc vloc[PSS_F_MAX];
	uint64_t keys[SC_KEYS_WORDS(PSS_F_MAX)];
};

struct prov_sc_follow {
	char *field;
	struct prov_sc_session *sessions;
	size_t n_sessions;
	int when;			/* enum prov_when */
	char *up, *down;
	struct sc_loc loc;
	struct sc_loc vloc[PF_F_MAX];
	uint64_t keys[SC_KEYS_WORDS(PF_F_MAX)];
};

struct prov_sc_res {
	char *name, *type, *title;	/* title NULL: the name */
	char **nodes;
	size_t n_nodes;
	struct sc_loc *nodes_loc;
	struct prov_sc_state *states;
	size_t n_states;
	struct prov_sc_follow *follow;
	size_t n_follow;
	struct prov_sc_note *notes;
	size_t n_notes;
	struct prov_sc_op *ops;
	size_t n_ops;
	bool ok;			/* checked without an error: built */
	struct sc_loc loc;
	struct sc_loc vloc[PR_F_MAX];
	uint64_t keys[SC_KEYS_WORDS(PR_F_MAX)];
};

/* ---- the run ---- */

struct net;
struct trace;
struct bgp_speaker;

struct prov_hist {		/* a field took value at t */
	sim_time t;
	const char *value;	/* the scenario's text (it outlives the run) */
};

struct prov_field {
	const char *name;
	struct prov_hist *h;	/* t non-decreasing */
	size_t n, cap;
};

struct prov_res;

/* One followed session: its speaker and whether it is Established. */
struct prov_watch {
	struct prov_follow *f;
	bool up;
};

struct prov_follow {
	struct prov_res *r;
	const struct prov_sc_follow *sc;
	struct prov_field *field;
	struct prov_watch *w;	/* one per session */
	size_t n;
};

struct prov_res {
	struct prov_states *ps;
	const struct prov_sc_res *sc;
	struct prov_field *fields;	/* in the order they first appear */
	size_t n_fields;
	uint32_t *node_ids;		/* the net's ids of sc->nodes */
	struct prov_follow *follow;
	size_t n_follow;
};

/* What the schedule does at one time: a state entry, a note, a start of
 * a followed field or an operation's record. */
enum prov_step_kind { PROV_STEP_STATE, PROV_STEP_NOTE, PROV_STEP_FOLLOW,
	PROV_STEP_OP };

struct prov_step {
	sim_time t;
	enum prov_step_kind kind;
	struct prov_res *r;
	size_t k;		/* index in its states, notes or follow */
	size_t seq;		/* the order added: file order at one time */
};

struct prov_states {
	struct sim *sim;
	struct net *net;
	struct prov_res *res;
	size_t n;
	struct prov_step *steps;	/* by time, then file order */
	size_t n_steps, next;
	sim_event_id ev;		/* the pending step's event */
	uint32_t ops_written;		/* the next prov_op record's id */
};

/*
 * The run state of the section's n items (every one checked: ok), with
 * every state change and note scheduled on sim and written to net's trace.
 * Sessions are followed once prov_states_follow has found their speakers
 * (bgp_state: what the bgp section kept; NULL with none). NULL + err.
 */
struct prov_states *prov_states_new(struct sim *sim, struct net *net,
    const struct prov_sc_res *items, size_t n);
int prov_states_follow(struct prov_states *ps, void *bgp_state, char *err,
    size_t errlen);
void prov_states_free(struct prov_states *ps);
/* The "resources" member of metrics.json: every field's final value. */
void prov_states_metrics(const void *state, FILE *out);

#endif
