/*
 * provision_int.h - the plan's insides, shared by provision.c (the engine:
 * resources, their state histories, the operations' order and outcomes,
 * the draws, the carrying intervals) and provision_scenario.c (the
 * timeline section: its table, its check that compiles the plan, its
 * expand). Private to models/prov; tests reach it to look at outcomes.
 */
#ifndef XCSIM_PROVISION_INT_H
#define XCSIM_PROVISION_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "provision.h"

#define PROV_CLOUDS_MAX 8	/* registered cloud models */
/* Longest `at`, `delay` or `duration`: a year. */
#define PROV_TIME_MAX ((sim_time)365 * 86400 * 1000000000)
/* Where a chain of operations stops adding (about 73 years). */
#define PROV_HORIZON (SIM_TIME_MAX / 4)

/* One change of a field: from at on, value (NULL = none: gone). */
struct prov_chg {
	sim_time at;
	char *value;
	size_t op;		/* index + 1 of the operation, 0 = initial */
	uint64_t seq;		/* the plan's order of prov_set calls */
};

struct prov_field {
	char *name;
	struct prov_chg *ch;	/* sorted by at; equal times in call order */
	size_t n, cap;
};

/* A step function of time: on from at until the next step. */
struct prov_step {
	sim_time at;
	bool on;
};

struct prov_steps {
	struct prov_step *v;
	size_t n, cap;
};

struct prov_note_rec {
	sim_time at;
	char *text;
	uint64_t seq;
};

struct prov_sess {
	char *node;
	uint32_t peer;
};

struct prov_follow_rec {
	char *field, *up, *down;
	bool all;
	struct prov_sess *s;
	size_t n;
};

struct prov_res {
	const struct prov_type *t;
	char *name;		/* as declared: NAME or PARENT/NAME */
	char *ident;		/* KEY/NAME: its identity and its gate */
	struct sc_loc loc;
	void *model;
	size_t idx;		/* in the plan's declaration order */
	struct prov_res **deps;
	size_t n_deps;
	struct prov_res *parent;	/* prov_part_of, or NULL */
	struct prov_res **parts;	/* those whose parent it is */
	size_t n_parts;
	char **nodes;
	size_t n_nodes;
	struct prov_field *fields;
	size_t n_fields;
	struct prov_note_rec *notes;
	size_t n_notes;
	struct prov_follow_rec *follows;
	size_t n_follows;
	struct prov_steps exist;	/* created (on) / gone (off) */
	struct prov_steps carry;	/* computed by prov_plan_carry */
	bool created;		/* a create names it: not there from zero */
	int mark;		/* prov_plan_carry: 0 new, 1 open, 2 done */
};

/* One operation of the timeline, as compiled. */
struct prov_opr {
	enum prov_op op;
	struct prov_res *r;
	size_t after;		/* index + 1 of the operation it follows */
	sim_time at, delay;	/* start (after == 0), or delay after it */
	bool has_duration;
	sim_time duration;	/* replaces the first draw */
	struct prov_kv *set;
	size_t n_set;
	bool expect_refused;
	const char *expect_error;	/* the timeline item's text */
	struct sc_loc loc;
	/* outcome */
	bool done, refused;
	sim_time start, end;
	char *error;		/* "CODE: message" when refused */
};

/* A gate asked for with prov_state_gate: on while field == value. */
struct prov_sgate {
	const struct prov_res *r;
	char *field, *value;
	char *name;		/* KEY/NAME:FIELD=VALUE */
	struct prov_steps on;
};

struct prov_plan {
	const struct scenario *sc;
	uint64_t seed;
	sim_time end;		/* the scenario's duration, 0 = none */
	struct prov_res **res;
	size_t n_res, cap_res;
	struct prov_opr *ops;	/* in timeline order */
	size_t n_ops;
	uint64_t seq;
	struct prov_sgate *sgates;	/* prov_state_gate, in asking order */
	size_t n_sgates;
};

struct prov_ctx {
	struct prov_plan *p;
	struct prov_opr *o;	/* NULL in a type's initial() */
	size_t stream;		/* of the draws: the operation's index */
	uint32_t draws;
	sim_time now;
};

/* provision.c */
struct prov_plan *prov_plan_new(const struct scenario *sc, uint64_t seed,
    sim_time end);
void prov_plan_free(struct prov_plan *p);
/* The operations each type supports (prov_type.ops or its default). */
unsigned prov_type_ops(const struct prov_type *t);
/*
 * Apply the initial states and then every operation in start order
 * (p->ops filled, each with r set and after resolved, no cycle).
 */
void prov_plan_run(struct prov_plan *p);
/*
 * Every resource's carrying steps. NULL, or the first resource found in
 * a dependency cycle (its message in why: "a -> b -> a").
 */
struct prov_res *prov_plan_carry(struct prov_plan *p, char *why,
    size_t len);
/* Whether r's carrying is anything but "from zero to the end". */
bool prov_res_gated(const struct prov_plan *p, const struct prov_res *r);
/* The value of a step function at t. */
bool prov_steps_at(const struct prov_steps *s, sim_time t);
/* The k-th draw of stream i, uniform in [lo, hi] (no override). */
sim_time prov_draw_raw(uint64_t seed, uint64_t stream, uint64_t k,
    sim_time lo, sim_time hi);

/* provision_scenario.c */
/* The plan compiled for sc, or NULL (no cloud, errors). */
struct prov_plan *prov_plan_of(const struct scenario *sc);
size_t prov_n_clouds(void);
const struct prov_cloud *prov_cloud_at(size_t i);

#endif
