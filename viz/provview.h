/*
 * provview.h - what the viewer shows of the provisioning states (the
 * trace's prov_state records) for a node, built from the replay alone: the
 * badges under its tile (per resource its most telling state, short and in
 * the state colours) and the resources section of its side panel (every
 * field, its value and when it took it). Pure functions of the replay, so
 * tests check the text and the levels rather than pixels.
 */
#ifndef XCSIM_PROVVIEW_H
#define XCSIM_PROVVIEW_H

#include <stddef.h>
#include <stdint.h>

#include "replay.h"
#include "scan.h"

/*
 * The level of a field's value: good when settled (Succeeded, Provisioned,
 * PROVISIONED, AVAILABLE, RUNNING, ATTACHED, UP, ACTIVE, Enabled, ...), bad
 * when failed or gone (Failed, FAILED, DOWN, TERMINATED, NotProvisioned,
 * DELETED, ...), whatever the field; any other value is a warning (on its
 * way: Updating, Provisioning, PENDING_PROVIDER, ...) for a state field
 * (one whose name says state, status or lifecycle) and information for
 * the others (a bandwidth, a SKU).
 */
enum scan_level provview_level(const char *field, const char *value);

/* How telling a field is for its resource's badge: lower first; -1 for a
 * field a badge leaves to the panel. */
int provview_field_rank(const char *field);

/* A field's name on a badge: "" for the resource's plain state
 * (provisioningState, lifecycleState), else short ("SP" for the
 * service provider, "BGP"). */
const char *provview_field_short(const char *field);

/* The last part of a resource's name ("er-ashburn" of
 * "express_route_circuits/er-ashburn"). */
const char *provview_short_name(const char *resource);

#define PV_MAX_BADGES 3

struct pv_badge {
	char text[96];		/* "er-ashburn SP Provisioned" */
	int level;		/* enum scan_level: the main field's, or
				 * the session's when that is settled */
};

/*
 * The badges of node's tile (nodename: its name), at most max: one per resource shown on it,
 * the resource named like the node first, then the failed, then those on
 * their way, then the settled, each by how telling its field is, then by
 * name (so a seek and playing agree).
 * A badge holds the resource's most telling field and, for a virtual
 * circuit or a peering, its BGP session state too ("vc-azure PROVISIONED ·
 * BGP UP"). *more is the number of resources left out and *more_level the
 * worst of their levels. Returns the number of badges.
 */
size_t provview_badges(const struct replay *rp, uint32_t node,
    const char *nodename, struct pv_badge *out, size_t max, int *more,
    int *more_level);

/* One field of a resource on a node, as the side panel lists it. */
struct pv_field {
	const char *resource, *field, *state;	/* the replay's */
	sim_time since;
	int level;
	int first;		/* the resource's first field: 1, else 0 */
};

/*
 * The fields of the resources shown on node, at most max, by resource
 * name, each resource's state fields first (most telling first), then its
 * others by name. Returns how many were written.
 */
size_t provview_fields(const struct replay *rp, uint32_t node,
    struct pv_field *out, size_t max);

/* When a field took its value, short: "12m 08.0s" from a minute on,
 * "2.503s" before. */
void provview_fmt_since(char *b, size_t n, sim_time t);

#endif
