/*
 * scenario_load.h - the loader's insides, shared by its files (private to
 * models/scenario).
 *
 *   scenario_load.c     entry points, input limits, the section registry,
 *                       the root table, the checks and build drivers
 *   scenario_walk.c     the table walker over libyaml's tree, defaults,
 *                       table-driven freeing
 *   scenario_text.c     scalar text into values, one parser per field type
 *   scenario_diag.c     diagnostics, did-you-mean, name spaces
 *   scenario_nodes.c    the nodes section (nodes, interfaces, routes)
 *   scenario_links.c    the links and events sections, link-down/up
 *   scenario_nodes_fail.c  node-down/up: a node failing and coming back
 *   scenario_apps.c     the apps and assertions sections
 *   scenario_expand.c   cloud sections expanding into low-level items
 *   scenario_tcp.c      their TCP parts: tcp and size tables, checks of
 *                       the stream apps and TCP assertions, judging them
 *   scenario_geo.c      delays written as spans between places (geo)
 */
#ifndef XCSIM_SCENARIO_LOAD_H
#define XCSIM_SCENARIO_LOAD_H

#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include <yaml.h>

#include "scenario.h"
#include "scenario_fields.h"
#include "scenario_section.h"

#define SUGGEST_MAX_ERRORS 200	/* stop computing did-you-means after this */

struct diag_msg {		/* printed sorted by place, once all are in */
	struct sc_loc loc;
	unsigned seq;
	bool warning;		/* printed, but the file still loads */
	char *text;
};

/* A hash of (a[, b]) -> index, remembering insertion order. */
struct sc_names_ent {
	const char *a, *b;
	size_t v;
	struct sc_loc loc;
};

struct sc_names {
	char *space;		/* "node", for messages */
	char *why;		/* folded spaces: why case does not count */
	bool fold;		/* compare ASCII case-insensitively */
	struct sc_names_ent *e;
	size_t cap, n;
	const char **order;	/* names in insertion order, for suggestions */
	size_t n_order, cap_order;
};

struct sc_check {
	const char *file;
	FILE *diag;
	unsigned n_errors;
	struct diag_msg *msgs;
	size_t n_msgs, cap_msgs;
	yaml_document_t *doc;
	uint64_t visits, max_visits;
	bool exhausted;
	struct scenario *sc;
	struct sc_names **spaces;
	size_t n_spaces;
	struct sc_names ifaces;	/* (node, iface) -> iface index */
	char qbuf[4][100];	/* quoted user text for messages */
	unsigned qi;
};

/* scenario_diag.c */
void ld_error(struct sc_check *ld, struct sc_loc loc, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
void ld_verror(struct sc_check *ld, struct sc_loc loc, const char *fmt,
    va_list ap);
/* A warning at loc: printed with the errors, not counted as one. */
void ld_warning(struct sc_check *ld, struct sc_loc loc, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
void ld_flush(struct sc_check *ld);
const char *q(struct sc_check *ld, const char *s);
const char *suggest(struct sc_check *ld, const char *word, const void *base,
    size_t n, size_t stride, size_t off);
const char *dym(struct sc_check *ld, char *buf, size_t len, const char *s);
const size_t *names_find(const struct sc_names *x, const char *a, const char *b);
size_t names_add(struct sc_names *x, const char *a, const char *b, size_t v,
    struct sc_loc loc);
const struct sc_names_ent *names_ent(const struct sc_names *x, const char *a,
    const char *b);
void names_free(struct sc_names *x);
struct sc_names *ld_space(struct sc_check *ld, const char *space);
void ld_free_spaces(struct sc_check *ld);

/* scenario_text.c */
bool valid_name(const char *s);
const char *name_problem(const char *s);
bool ip_parse(const char *s, size_t len, uint32_t *out);
uint32_t plen_mask(unsigned plen);
const char *ip_fmt(char *buf, size_t len, uint32_t a);
bool parse_uint(const char *s, uint64_t *out);
void put_ptr(char *obj, size_t off, const void *p);
bool parse_text(struct sc_check *ld, const struct sc_field *f, const char *s,
    bool plain, struct sc_loc loc, char *obj);

/* scenario_walk.c */
struct sc_loc loc_of(const yaml_node_t *n);
const char *kind_of(const yaml_node_t *n);
bool is_null(const yaml_node_t *n);
bool visit(struct sc_check *ld, const yaml_node_t *n);
void walk_map(struct sc_check *ld, const struct sc_table *t,
    yaml_node_t *map, char *obj);
/* A key not in the table: true if handled (the root's sections). */
typedef bool walk_other_fn(struct sc_check *ld, yaml_node_t *k,
    yaml_node_t *v, const char *key, void *arg);
void walk_map_ext(struct sc_check *ld, const struct sc_table *t,
    yaml_node_t *map, char *obj, walk_other_fn *other, void *arg);
void walk_list(struct sc_check *ld, const char *what,
    const struct sc_table *t, yaml_node_t *v, void **items, size_t *n);
void apply_defaults(struct sc_check *ld, const struct sc_table *t, char *obj,
    int kind, const uint64_t *given, struct sc_loc loc);
void free_obj(const struct sc_table *t, char *obj);
void free_items(const struct sc_table *t, void *items, size_t n);
bool field_applies(const struct sc_table *t, const struct sc_field *f,
    int kind);
const char *field_default(const struct sc_table *t, const struct sc_field *f,
    int kind);

/*
 * scenario_geo.c: SC_FT_DELAY's mapping form {from, to, route_factor}
 * at v: the span's delay into obj at f->off, or errors at the places
 * models/geo does not know (with a did-you-mean).
 */
void sc_geo_delay_walk(struct sc_check *ld, const struct sc_field *f,
    yaml_node_t *v, char *obj);

/* scenario_load.c */
extern const struct sc_table sc_table_scenario;

/* The built-in sections and actions, registered first. */
extern const struct sc_section sc_section_nodes, sc_section_links,
    sc_section_apps, sc_section_events, sc_section_assertions;
extern const struct sc_action sc_action_link_down, sc_action_link_up,
    sc_action_qdisc_set;
extern const struct sc_action sc_action_node_down, sc_action_node_up;
/*
 * libyaml's failure p as an error at its place in text. Running out of
 * memory is no fault of the input: it ends the process as xmalloc does
 * (xcsim_oom, exit XCSIM_EXIT_OOM), not as bad input.
 */
void sc_yaml_error(struct sc_check *ld, const yaml_parser_t *p,
    const char *text, size_t len);
/*
 * The parsed tree of text (one YAML document, nesting bounded), or false
 * after reporting why not at its place.
 */
bool sc_parse_doc(struct sc_check *ld, const char *text, size_t len,
    yaml_document_t *doc);
/*
 * A file's bytes, read in bounded chunks (at most SC_INPUT_MAX), or NULL
 * with msg set.
 */
char *sc_slurp(const char *path, size_t *lenp, char *msg, size_t msglen);
/*
 * scenario_load_buffer_opts, and once the file is checked without an error,
 * then(ld, arg) while every name space is still known (xcsim run --check
 * resolves a checks file's names against the scenario's there).
 */
struct scenario *sc_load_then(const char *name, const char *text, size_t len,
    const struct sc_load_opts *o, FILE *diag, unsigned *n_errors,
    void (*then)(struct sc_check *ld, void *arg), void *arg);
/* Checks of record.pcap, which names nodes and interfaces. */
void sc_check_captures(struct sc_check *ck);

/* scenario_apps.c: the registered assertion kinds' checks, run once every
 * section is checked, so that they can find what any section defined. */
void sc_check_reg_asserts(struct sc_check *ld);

/*
 * scenario_expand.c: check the sections with an expander (true if the
 * scenario has any), run the expanders over the document and walk again
 * the list sections they added to, and take the expander sections out of
 * the document's root and print it (xcsim expand).
 */
bool sc_expanders_check(struct sc_check *ld);
void sc_expanders_run(struct sc_check *ld, yaml_document_t *doc);
void sc_expanders_strip(yaml_document_t *doc);
/*
 * Print doc (which this deletes) as `xcsim expand` does, headed by a
 * comment naming name: stripped of the expander sections, with o's seed as
 * its `seed` when o gives one. False when it could not be written.
 */
bool sc_expanded_emit(yaml_document_t *doc, const char *name,
    const struct sc_load_opts *o, FILE *out);

/* scenario_tcp.c */
struct app;
struct app_tcp_opts;
struct size_dist;
extern const struct sc_table sc_tcp_table, sc_size_table;
/* A stream app's sizes, and the node dst is on (srv_node). */
void sc_check_tcp_app(struct sc_check *ld, struct sc_app *p);
/* Once every app is checked: no TCP port serves two kinds of app. */
void sc_check_tcp_ports(struct sc_check *ld);
/* Bit k set: an assertion of kind k reads apps of kind k (sc_app_kind). */
unsigned sc_assert_app_kinds(enum sc_assert_kind k);
/* The TCP assertion's own checks (ap: its app, when that resolved). */
void sc_check_tcp_assert(struct sc_check *ld, struct sc_assert *as,
    const struct sc_app *ap);
void sc_app_tcp_opts(const struct sc_tcp *t, struct app_tcp_opts *o);
void sc_size_dist(const struct sc_size *z, struct size_dist *d);
/* Judge a TCP assertion on app a (of a kind it reads) at the end, now. */
bool sc_judge_tcp_assert(const struct sc_assert *as, const struct app *a,
    sim_time now, char *msg, size_t len);

#endif
