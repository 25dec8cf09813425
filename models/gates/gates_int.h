/*
 * gates_int.h - the run state of the gates (gates.c), as the gates section
 * (gates_scenario.c) makes it. Not for other modules: they use gates.h.
 */
#ifndef XCSIM_GATES_INT_H
#define XCSIM_GATES_INT_H

#include <stdbool.h>
#include <stddef.h>

#include "gates.h"
#include "units.h"

struct sim;

/* An empty set of gates on sim. */
struct gates *gates_new(struct sim *sim);
/*
 * A gate called name (copied; the caller checked it unique), open or not
 * at time zero, changing state at each of at[0..n) (strictly increasing,
 * copied). Its changes run once gates_start scheduled them.
 */
struct gate *gates_add(struct gates *gs, const char *name, bool open,
    const sim_time *at, size_t n);
/*
 * As gate_watch, but called before every gate_watch watcher of every gate
 * changing at the same instant: for the links, which what runs over them
 * (a BGP neighbour's BFD session) needs up first.
 */
int gate_watch_first(struct gate *g, void (*fn)(void *arg, bool open),
    void *arg);
/* Schedules the first instant at which a gate changes (each the next). */
void gates_start(struct gates *gs);
size_t gates_count(const struct gates *gs);
/* NULL is a no-op; pending changes must not run after it (the run ends). */
void gates_free(struct gates *gs);

#endif
