/*
 * scenario_section.h - what a model registers to extend the scenario format.
 *
 * A top-level section of a scenario file (nodes, links, apps, events,
 * assertions; later bgp, azure, oci, ...) is one struct sc_section: its key,
 * the field table of one item, a check run once the whole file is parsed, a
 * build run when a simulation is made from the scenario, and a free for
 * whatever the table does not own. A timeline action (link-down, link-up;
 * later session resets, provisioning operations, ...) is one struct
 * sc_action: its name (the value of an event's `action`), the table of its
 * arguments, a check and what it does when scheduled. The loader's core
 * knows none of them by name: it walks, checks, frees, builds and documents
 * whatever is registered, in registration order (the built-in ones first).
 *
 * Checks report errors through the struct sc_check they are given, so that
 * every message is "file:line:col: error: ..." and sorted into file order,
 * and find what other sections defined through named spaces ("node",
 * "link", "app", or a space of their own) in constant time.
 *
 * An assertion kind (ping-succeeds, ...; later bfd-up, bgp-established,
 * route, ...) is one struct sc_assertion: its name (the value of an
 * assertion's `kind`), the table of its keys besides kind, a check at load
 * time and a judge at the end of the run, which reads what the sections
 * built for the run (sc_judge_state).
 *
 * Registering and unregistering are not thread-safe; models register at
 * start-up (scenario_models_init, models/scenario_models.h; tests around a
 * case), before any scenario is loaded.
 */
#ifndef XCSIM_SCENARIO_SECTION_H
#define XCSIM_SCENARIO_SECTION_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "scenario.h"
#include "scenario_fields.h"

struct sc_check;
struct sim;
struct net;
struct node;
struct link;
struct app;
struct rt;
struct emu_cleanup;
struct sc_expand;

/* What a build is given: the simulation made so far and where apps go. */
struct sc_build {
	const struct scenario *sc;
	struct sim *sim;
	struct net *net;
	struct app ***apps;	/* the run's applications, grown by add_app */
	size_t *n_apps;
	char *err;		/* where a failing build says why */
	size_t errlen;
	/*
	 * What each section built for the run (sc_build_set_state), indexed
	 * as sc->sections; NULL = the caller keeps no state (then a section
	 * that needs one fails its build). cur is the section building now.
	 */
	void **states;
	size_t cur;
	/*
	 * Emulation only (xcsim emulate; both NULL offline): the real-time
	 * driver whose loop attachments add their watchers to, and the
	 * registry of what they create outside the process (emu_cleanup.h).
	 * A section that needs them fails its build without them.
	 */
	struct rt *rt;
	struct emu_cleanup *cleanup;
	/*
	 * Emulation: where real sockets may listen beyond loopback
	 * (run_opts.listen, xcsim emulate --listen).
	 */
	const uint32_t *listen;
	size_t n_listen;
	bool listen_any;
};

/*
 * Sections build in two phases, each in registration order: the network
 * first (nodes, links, the timeline), then the applications, so that a
 * run can open its captures on every interface in between.
 */
enum sc_phase { SC_PHASE_NET, SC_PHASE_APPS, SC_PHASE_MAX };

struct sc_section {
	const char *name;		/* its key at the top of a file */
	const char *doc;		/* one line, for schema and reference */
	const struct sc_table *table;	/* of one item */
	bool list;			/* a list of items, else one mapping */
	bool required;
	/*
	 * Once every section is parsed, in registration order, whether the
	 * key was given or not (d->items may be NULL when d->n is 0).
	 */
	void (*check)(struct sc_check *ck, struct sc_section_data *d);
	enum sc_phase phase;
	/* 0, or -1 with b->err set. NULL = nothing to build. */
	int (*build)(struct sc_build *b, const void *items, size_t n);
	/* Frees what the table does not own; the table frees the rest. */
	void (*free)(void *items, size_t n);
	/*
	 * The state its build kept for the run (sc_build_set_state): freed
	 * at the end of the run, after the applications and before the
	 * network, in reverse registration order (a state may hold what an
	 * earlier section built: sc_build_state). NULL = it keeps none.
	 */
	void (*state_free)(void *state);
	/*
	 * Its part of metrics.json, one member of the top-level object
	 * written as "key": value (no comma, no newline around it), when it
	 * kept a state. NULL = none.
	 */
	void (*metrics_json)(const void *state, FILE *out);
	/*
	 * A section in a cloud's own terms (scenario_expand.h): once the file
	 * is walked, it is checked before every other section and, when the
	 * file has no error by then, adds the low-level items it stands for.
	 * NULL = an ordinary section.
	 */
	void (*expand)(struct sc_expand *ex, const void *items, size_t n);
	/*
	 * Expand even when the file does not give this key, once it gives
	 * any expander section (the timeline: the clouds' resources and
	 * their states are emitted whether or not operations are written).
	 */
	bool expand_always;
};

/* What a judge is given at the end of the run. */
struct sc_judge {
	const struct scenario *sc;
	struct sim *sim;
	struct net *net;
	void *const *states;	/* as sc_build.states */
};

struct sc_assertion {
	const char *name;		/* the value of an assertion's kind */
	const char *doc;		/* one line, for schema and reference */
	const struct sc_table *table;	/* its keys besides kind */
	/* Once every section is checked: names resolve, ...; may be NULL. */
	void (*check)(struct sc_check *ck, struct sc_assert *as, void *args);
	/*
	 * At the end of the run: pass or fail, and the line printed after
	 * "PASS: " / "FAIL: " (what was expected and what was seen).
	 */
	bool (*judge)(const struct sc_judge *j, const struct sc_assert *as,
	    const void *args, char *msg, size_t len);
	void (*free)(void *args);	/* as sc_section.free; may be NULL */
	/*
	 * Not NULL: a kind scenarios hold many of (one per timeline item),
	 * whose passing ones a run's short output counts in one line
	 * "PASS: N <fold>" (run_check_folded); NULL: one line each.
	 */
	const char *fold;
};

struct sc_action {
	const char *name;		/* the value of an event's action */
	const char *doc;
	const struct sc_table *table;	/* its keys besides at and action */
	void (*check)(struct sc_check *ck, struct sc_event *ev, void *args);
	/* Schedule what it does at ev->at; 0, or -1 with b->err set. */
	int (*schedule)(struct sc_build *b, const struct sc_event *ev,
	    const void *args);
	void (*free)(void *args);	/* as sc_section.free; may be NULL */
};

/* 0, or -1 if the name is taken (a built-in, a root key or another). */
int scenario_register_section(const struct sc_section *s);
void scenario_unregister_section(const struct sc_section *s);
int scenario_register_action(const struct sc_action *a);
void scenario_unregister_action(const struct sc_action *a);

/* 0, or -1 if the name is taken (by a built-in kind or another). */
int scenario_register_assertion(const struct sc_assertion *a);
void scenario_unregister_assertion(const struct sc_assertion *a);

/*
 * A top-level key that is no longer one (it moved into a section): a file
 * that still has it gets "unknown key 'KEY' in scenario (HINT)". 0, or -1
 * if the key is registered already or the table is full.
 */
int scenario_register_moved_key(const char *key, const char *hint);

/* Every registered section / action, in order; NULL past the last. */
const struct sc_section *scenario_section_at(size_t i);
const struct sc_action *scenario_action_at(size_t i);
const struct sc_action *scenario_action_find(const char *name);
/* The registered assertion kinds (not the built-in ones), likewise. */
const struct sc_assertion *scenario_assertion_at(size_t i);
const struct sc_assertion *scenario_assertion_find(const char *name);

/*
 * Build the sections of one phase into b. 0, or -1 with b->err set (an
 * environment problem or a broken invariant; the loader checked the input).
 */
int scenario_build(struct sc_build *b, enum sc_phase phase);
/* Adds a to the run's applications (which own it from then on). */
void sc_build_add_app(struct sc_build *b, struct app *a);
/*
 * The net's node / link for scenario node / link i: the nodes and links
 * sections build them in file order into an empty net.
 */
struct node *sc_build_node(const struct sc_build *b, size_t i);
struct link *sc_build_link(const struct sc_build *b, size_t i);
/*
 * Keep state for the run, owned from then on by the run (the section's
 * state_free). 0, or -1 with b->err set when the caller keeps no states.
 */
int sc_build_set_state(struct sc_build *b, void *state);
/* What the section called name kept for the run, or NULL. */
void *sc_judge_state(const struct sc_judge *j, const char *name);
/*
 * The same during a build: what a section built before this one kept
 * (a section sharing another's objects, as bgp shares bfd's), or NULL.
 */
void *sc_build_state(const struct sc_build *b, const char *name);

/* --- for checks ----------------------------------------------------- */

/* Reports an error at loc; printed "file:line:col: error: <message>". */
void sc_check_error(struct sc_check *ck, struct sc_loc loc, const char *fmt,
    ...) __attribute__((format(printf, 3, 4)));
/* User text fit for a message: shortened, control characters replaced. */
const char *sc_check_quote(struct sc_check *ck, const char *s);
/*
 * " (did you mean 'x'?)" in buf (len bytes) when x, one of the n names
 * (char * at base + i * stride + off; NULL ones skipped), is close enough
 * to word to be a plausible typo of it, else "". Returns buf.
 */
const char *sc_check_dym(struct sc_check *ck, char *buf, size_t len,
    const char *word, const void *base, size_t n, size_t stride, size_t off);
/* Errors so far (a check may skip work that depends on a failed one). */
unsigned sc_check_errors(const struct sc_check *ck);
struct scenario *sc_check_scenario(struct sc_check *ck);

/*
 * Named spaces. Add reports "duplicate <space> 'name' (first defined at
 * l:c)" and returns false when the name is taken (case-insensitively for a
 * space made with sc_names_fold, whose names become file names). Lookup
 * reports "unknown <space> 'name' (did you mean ...)" when absent; find is
 * silent. Both give the index stored with the name.
 */
void sc_names_fold(struct sc_check *ck, const char *space, const char *why);
bool sc_names_add(struct sc_check *ck, const char *space, const char *name,
    size_t idx, struct sc_loc loc);
bool sc_names_lookup(struct sc_check *ck, const char *space,
    const char *name, struct sc_loc loc, size_t *idx);
bool sc_names_find(const struct sc_check *ck, const char *space,
    const char *name, size_t *idx);

/* The interface of node node_idx called name, or an error at loc. */
struct sc_iface *sc_check_iface(struct sc_check *ck, size_t node_idx,
    const char *name, struct sc_loc loc);

#endif
