/*
 * scenario_expand.h - how a section written in a cloud's own terms (azure,
 * oci) adds the low-level items it stands for.
 *
 * A section with an expand callback (struct sc_section.expand) is walked
 * with the rest of the file, then checked before any other section. When
 * the file has no error by then, the expanders run in registration order
 * and append YAML nodes to the parsed document: items of list sections
 * (nodes, links, bgp, acls, route_tables, ...), interfaces appended to a
 * node an earlier expander made, neighbours appended to its speaker. The
 * loader then walks what was appended into those sections' items, exactly
 * as if the user had written it, and runs every other section's check over
 * the user's items and the generated ones together. So a generated item
 * gets the same checks, and an error in one (a node name the user also
 * took) is reported at the location the expander gave it: the cloud
 * resource it came from.
 *
 * `xcsim expand` prints the same document with the expander sections
 * removed: the low-level scenario that was built, which runs as it is
 * (scenario_expand_print).
 *
 * Node handles are libyaml node ids (int, > 0); 0 means "failed" (an
 * existing key of the wrong kind): the expander stops adding to it, and the
 * walk reports the problem.
 */
#ifndef XCSIM_SCENARIO_EXPAND_H
#define XCSIM_SCENARIO_EXPAND_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "scenario.h"

struct sc_expand;

/* The scenario as walked so far (root keys, every section's own items). */
const struct scenario *sc_ex_scenario(const struct sc_expand *ex);
/* The items of another section (an expander reading azure from oci). */
const void *sc_ex_section_items(const struct sc_expand *ex, const char *name,
    size_t *n);

/*
 * The sequence of the root's list section key (created at the end of the
 * root mapping if the file has none), to append items to. 0 if the key
 * holds something other than a sequence.
 */
int sc_ex_list(struct sc_expand *ex, const char *key);

/* New nodes, placed at loc (where errors about them will point). */
int sc_ex_map(struct sc_expand *ex, struct sc_loc loc);
int sc_ex_seq(struct sc_expand *ex, struct sc_loc loc);
int sc_ex_str(struct sc_expand *ex, struct sc_loc loc, const char *s);
int sc_ex_fmt(struct sc_expand *ex, struct sc_loc loc, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* seq += item; map[key] = value (keys are added once: no checks). */
void sc_ex_append(struct sc_expand *ex, int seq, int item);
void sc_ex_set(struct sc_expand *ex, int map, const char *key, int value);
/* map[key] = a scalar, at map's location; fmt as printf. */
void sc_ex_set_str(struct sc_expand *ex, int map, const char *key,
    const char *s);
void sc_ex_set_fmt(struct sc_expand *ex, int map, const char *key,
    const char *fmt, ...) __attribute__((format(printf, 4, 5)));
/* map[key] = a new sequence / mapping at map's location; returns it. */
int sc_ex_set_seq(struct sc_expand *ex, int map, const char *key);
int sc_ex_set_map(struct sc_expand *ex, int map, const char *key);

/*
 * The value of map[key] (any node kind), or 0. With the item lookups below
 * an expander finds what an earlier one made: the mapping in list section
 * `list` whose scalar `key` is `value` (a node by name, a bgp speaker by
 * node), user-written or generated, or 0.
 */
int sc_ex_get(const struct sc_expand *ex, int map, const char *key);
/* The text of scalar node id (an address an earlier expander wrote), or
 * NULL when id is 0 or not a scalar. Valid until the document grows. */
const char *sc_ex_scalar(const struct sc_expand *ex, int id);
/* The i-th item of sequence seq, or 0 past its end (or not a sequence). */
int sc_ex_item(const struct sc_expand *ex, int seq, size_t i);
/*
 * An error in what the expander was asked to join (an interface it must
 * peer with has no address), at loc: the load fails with it.
 */
void sc_ex_error(struct sc_expand *ex, struct sc_loc loc, const char *fmt,
    ...) __attribute__((format(printf, 3, 4)));
int sc_ex_find(struct sc_expand *ex, const char *list, const char *key,
    const char *value);

/*
 * Load path, expand it, and print the low-level document (the expander
 * sections removed) as YAML to out, headed by a comment naming the source.
 * Errors go to diag as scenario_load_file's. Returns 0, 2 for a bad
 * scenario, 1 for a write error.
 */
int scenario_expand_print(const char *path, FILE *out, FILE *diag);
/* The same for a scenario in memory, named name in messages. */
int scenario_expand_print_buffer(const char *name, const char *text,
    size_t len, FILE *out, FILE *diag);
/*
 * The same with o applied (NULL: none): with a seed, the plan drawn from
 * it, and the output's `seed` is it, so the output runs as `xcsim run
 * --seed N` runs the file.
 */
int scenario_expand_print_opts(const char *path, const struct sc_load_opts *o,
    FILE *out, FILE *diag);
int scenario_expand_print_buffer_opts(const char *name, const char *text,
    size_t len, const struct sc_load_opts *o, FILE *out, FILE *diag);

#endif
