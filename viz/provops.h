/*
 * provops.h - the operations of a provisioning timeline in the viewer (the
 * trace's prov_op records): kept by the scan of the whole trace (they are
 * known when the run starts, so every instant the player seeks to shows
 * them all), narrated once in the event list with their duration, laid out
 * in lanes under the timeline's track so no two bars nor labels meet, and
 * drawn as bars spanning their durations, refused ones marked. Also what
 * the scan keeps of each resource field's value to narrate how long it
 * held (provops_took).
 */
#ifndef XCSIM_PROVOPS_H
#define XCSIM_PROVOPS_H

#include <stddef.h>
#include <stdint.h>

#include "scan.h"
#include "trace.h"

/* Keep the operation of rec (a TR_PROV_OP) in s->ops; returns it. */
const struct scan_op *provops_add(struct scan *s, const struct trace_rec *rec);
void provops_free(struct scan *s);

/*
 * A duration in words: "12 min 3 s", "1 h 5 min", "45 s", "2.5 s",
 * "250 ms", "0 s".
 */
void provops_fmt_dur(char *b, size_t n, sim_time d);
/*
 * The event list's line: "create ExpressRoute circuit er-ashburn (12 min
 * 3 s)", or "create ... refused after 0 s: CODE: message".
 */
void provops_text(char *b, size_t n, const struct scan_op *o);
/* The bar's label: the verb and the resource's short name ("create
 * er-ashburn"), "✕ " before a refused one's. */
void provops_label(char *b, size_t n, const struct scan_op *o);
/*
 * How long a resource's field was in its previous value, for its change to
 * state at t (" · Provisioning for 7m 10.2s", or "" for its first value),
 * into s->prov_took; and the field's value becomes state (s->pf).
 * res and field are rl and fl bytes long. provops_pfields_free frees s->pf.
 */
void provops_took(struct scan *s, sim_time t, const char *res, size_t rl,
    const char *field, size_t fl, const char *state);
void provops_pfields_free(struct scan *s);
/* A resource's title in words ("FastConnect virtual circuit vc-azure"),
 * from the first operation on it; NULL when the timeline has none. */
const char *provops_title(const struct scan *s, const char *resource);

/*
 * Lanes for n items in start order, item i spanning x0[i]..x1[i] (its bar
 * and its label): each goes to the first lane whose last item ends gap
 * before it, else to a new lane while fewer than max are used, else (a
 * crowd, counted in *crowded) to the lane that frees first, over the
 * item there. lane[i] receives each one's lane; returns the number of
 * lanes used.
 */
size_t provops_lanes(const float *x0, const float *x1, size_t n, float gap,
    size_t max, uint8_t *lane, size_t *crowded);

#endif
