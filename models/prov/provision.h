/*
 * provision.h - the clouds' control plane on a timeline: the `timeline`
 * section of a scenario file (operations in cloud terms: create, update,
 * delete, enable, disable, reset of the resources of the azure and oci
 * sections, at absolute times or after another operation completes), the
 * plan it compiles when the file is loaded, and the seam through which a
 * cloud model (models/azure, models/oci) declares its resources, their
 * state machines, durations and refusals. See docs/provisioning.md.
 *
 *   timeline:
 *     - { id: circuit, at: 0s, create: express_route_circuits/er-ashburn }
 *     - { id: vc, after: circuit, delay: 5m, create: virtual_circuits/vc-azure }
 *     - { id: conn, after: vc, create: connections/app-er }
 *     - { at: 2h, update: express_route_circuits/er-ashburn,
 *         set: { bandwidth_in_mbps: 2000 } }
 *     - { at: 3h, delete: connections/app-er }
 *     - { at: 4h, delete: express_route_circuits/er-ashburn,
 *         expect: { error: ConflictError } }
 *
 * One operation key per item (create | update | delete | enable | disable
 * | reset | maintenance) whose value names the resource as KEY/NAME (KEY the cloud
 * section's list key; a nested resource KEY/PARENT/NAME, e.g.
 * security_rules/app-nsg/AllowDbOut) or as NAME alone when one resource
 * has that name. `at` or `after` (the completion of the operation with
 * that id, plus `delay`); `duration` overrides the drawn one; `set` the
 * fields an update changes (their YAML values as text); `expect.error`
 * (a substring of the error) when the operation must be refused.
 *
 * Compiling (at load, in the section's check, after the clouds' checks):
 * every resource of the cloud sections is declared by its cloud
 * (prov_cloud.resources); one that no create names exists from time zero
 * in its settled states (prov_type.initial), unless it is a part
 * (prov_part_of) of one a create names: then it comes with that create; operations are applied in
 * start-time order (file order on ties), each by its type's apply, which
 * refuses (prov_refuse) or sets state fields over simulated time
 * (prov_set) and returns when the operation completes. Durations are drawn
 * with prov_draw from the scenario's seed and the operation's index, so the
 * same file and seed give the same timeline. A resource carries traffic
 * while its type's carries() says so and every resource it depends on
 * (prov_depend) carries; the intervals where it does make its gate
 * (models/gates/gates.h), named KEY/NAME.
 *
 * Expanding (the section's expand, which runs whether or not the file has
 * a timeline, once any cloud section is given): the plan becomes
 * low-level items: `gates` (one per resource whose carrying ever differs
 * from "from time zero to the end"), `resources` (models/prov/
 * prov_state.h: every state change, the followed BGP sessions, notes
 * such as billing start and refusals) and one `operation` assertion per
 * timeline item. The clouds' own expansions (which run before) put
 * `gate: prov_gate(...)` on each item they make for a resource, so that
 * a link, a BGP neighbour, a rule or a route exists only while its
 * resource carries.
 */
#ifndef XCSIM_PROVISION_H
#define XCSIM_PROVISION_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "scenario.h"
#include "units.h"

struct sc_check;
struct prov_plan;
struct prov_res;
struct prov_ctx;

/*
 * PROV_MAINTAIN: a planned maintenance window on one link of a resource
 * with two (`maintenance: KEY/NAME`, `link: primary | secondary`, the
 * window's length in `duration`); the apply gets the link as a set entry
 * {"link", "primary"}. It completes at the window's end (so `after:`
 * chains), and its type's apply writes a state field while it lasts,
 * which the cloud's expansion follows with prov_state_gate.
 */
enum prov_op {
	PROV_CREATE, PROV_UPDATE, PROV_DELETE, PROV_ENABLE, PROV_DISABLE,
	PROV_RESET, PROV_MAINTAIN, PROV_OP_MAX
};
extern const char *const prov_op_name[PROV_OP_MAX];	/* "create", ... */

/* The fields an update sets, as text (the YAML scalars). */
struct prov_kv {
	const char *key, *value;
	struct sc_loc loc;	/* of the value */
};

/*
 * A resource type: its state machine. Every callback may be NULL where
 * the type has nothing to say (no initial states, no operation but
 * create/delete with the default durations, always carries).
 */
struct prov_type {
	const char *key;	/* list key in the cloud section: "connections" */
	const char *type;	/* the cloud's type name: "ExpressRouteCircuit" */
	/*
	 * Its name in the cloud's words, as its console and documents say
	 * it ("ExpressRoute circuit", "DRG"): operation titles and the
	 * narration say "ExpressRoute circuit er-ashburn". NULL: type.
	 */
	const char *title;
	const char *cloud;	/* "azure", "oci" */
	/* Settled states of a resource that exists from time zero (at 0). */
	void (*initial)(struct prov_ctx *c, struct prov_res *r);
	/*
	 * Operation op on r at prov_now(c): refuse it (prov_refuse; then
	 * return the time the refusal is known, usually prov_now) or set
	 * states over time (prov_set at prov_now(c) + durations from
	 * prov_draw) and return the time it completes. set/n_set: update's
	 * fields. A NULL apply: create and delete only, ARM-like
	 * (provisioningState Updating -> Succeeded, Deleting -> gone) with
	 * the type's default durations.
	 */
	sim_time (*apply)(struct prov_ctx *c, struct prov_res *r,
	    enum prov_op op, const struct prov_kv *set, size_t n_set);
	/*
	 * Whether r carries traffic at t, from its own fields (prov_get);
	 * NULL: whenever it exists.
	 */
	bool (*carries)(const struct prov_plan *p, const struct prov_res *r,
	    sim_time t);
	/* Default durations of create and delete (NULL apply), drawn in [lo, hi]. */
	sim_time create_lo, create_hi, delete_lo, delete_hi;
	/*
	 * The operations it supports, as bits 1u << PROV_x; 0 = create and
	 * delete with a NULL apply, create, update and delete with one. A
	 * timeline item naming another operation is a load error.
	 */
	unsigned ops;
};

/*
 * A cloud model's part: called once per load, in the timeline's check,
 * after the cloud's own check, to declare its resources (prov_add) and
 * their dependencies. The model finds its own checked data in sc.
 */
struct prov_cloud {
	const char *name;
	void (*resources)(struct prov_plan *p, const struct scenario *sc);
};
/* At start-up, by the cloud's register function; 0, or -1 if full. */
int prov_register_cloud(const struct prov_cloud *c);
/* Removes c (tests, around a case); nothing if it is not registered. */
void prov_unregister_cloud(const struct prov_cloud *c);

/* Registers the timeline section; 0, or -1. After the clouds' sections. */
int provision_scenario_register(void);

/* --- declaring resources (prov_cloud.resources) --------------------- */

/*
 * A resource of type t called name (KEY/NAME is its identity, name may be
 * PARENT/NAME for nested ones), declared at loc (its place in the file),
 * with model its cloud's own record (prov_model). NULL when out of memory
 * or the identity is taken.
 */
struct prov_res *prov_add(struct prov_plan *p, const struct prov_type *t,
    const char *name, struct sc_loc loc, void *model);
/* r carries only while dep carries (a NIC its subnet, a connection its
 * gateway and circuit, a virtual circuit its circuit and DRG). */
void prov_depend(struct prov_res *r, struct prov_res *dep);
/*
 * r is a part of parent (a VCN's subnet, a VNet's subnet, a VM's NIC, an
 * NSG's rule): unless a create of the timeline names r itself, r exists
 * exactly while parent does (from time zero when parent does, from each
 * create of parent on, until parent is gone), so an operation on r while
 * parent is not there is refused "does not exist". A part that has its
 * own create exists from it, and goes with its parent too. Existence
 * only: parent's apply still writes r's states. 0, or -1 (NULL, r is
 * already a part, or the line would be a cycle).
 */
int prov_part_of(struct prov_res *r, struct prov_res *parent);
/* A node r's state shows on (its tiles in the viewer); in order. */
void prov_show_on(struct prov_res *r, const char *node);
/*
 * A field of r mirrors BGP sessions live (prov_state.h's follow): value
 * up while any (all = false) or all of them are Established, else down.
 * Add the sessions with prov_follow_session.
 */
void prov_follow(struct prov_res *r, const char *field, bool all,
    const char *up, const char *down);
void prov_follow_session(struct prov_res *r, const char *field,
    const char *node, uint32_t peer);

/* Whether r was declared to depend on dep (prov_depend). */
bool prov_depends_on(const struct prov_res *r, const struct prov_res *dep);
struct prov_res *prov_find_res(const struct prov_plan *p, const char *key,
    const char *name);
const struct prov_type *prov_res_type(const struct prov_res *r);
const char *prov_res_name(const struct prov_res *r);
void *prov_model(const struct prov_res *r);

/* --- applying operations (prov_type.apply, .initial) ---------------- */

struct prov_plan *prov_ctx_plan(struct prov_ctx *c);
/* The scenario the plan is compiled for (its checked sections). */
const struct scenario *prov_plan_scenario(const struct prov_plan *p);
/* Its resources, in declaration order: how many, and the i-th. */
size_t prov_plan_n_res(const struct prov_plan *p);
struct prov_res *prov_plan_res(const struct prov_plan *p, size_t i);
sim_time prov_now(const struct prov_ctx *c);
/*
 * A duration in [lo, hi] from the scenario's seeded stream for this
 * operation (the k-th draw of operation i: the same for the same seed);
 * the operation's `duration`, when given, replaces the first draw.
 */
sim_time prov_draw(struct prov_ctx *c, sim_time lo, sim_time hi);
/* Set field of r to value from time at on (value copied; NULL = gone). */
void prov_set(struct prov_ctx *c, struct prov_res *r, sim_time at,
    const char *field, const char *value);
/* A note on r at time at ("service key issued: billing starts"). */
void prov_note(struct prov_ctx *c, struct prov_res *r, sim_time at,
    const char *fmt, ...) __attribute__((format(printf, 4, 5)));
/*
 * Refuse the operation as the cloud does: code is the cloud's error code
 * (or NULL), then the message naming the resource, the field and value
 * and why. The operation's outcome becomes "refused" with
 * "CODE: message" as its error. Fields may still be set (Failed).
 */
void prov_refuse(struct prov_ctx *c, const char *code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/*
 * The value of field of r at t as set so far (NULL = none): what an apply
 * consults to validate against the other resources' states at its time.
 */
const char *prov_get(const struct prov_plan *p, const struct prov_res *r,
    const char *field, sim_time t);
/*
 * r is deleted from time at on (its fields keep their history; it no
 * longer exists nor carries). A create marks r existing from the
 * operation's start unless refused; a delete's apply calls prov_gone at
 * its completion (the NULL apply does).
 */
void prov_gone(struct prov_ctx *c, struct prov_res *r, sim_time at);
/* Whether r exists at t (created and not yet deleted). */
bool prov_exists(const struct prov_plan *p, const struct prov_res *r,
    sim_time t);

/*
 * Maintenance (PROV_MAINTAIN), the part common to the clouds: the field
 * PROV_MAINT_FIELD of r holds the link ("primary", "secondary") from now
 * to the window's end and is gone after; the window is the operation's
 * `duration`, else PROV_MAINT_WINDOW (our choice: the clouds announce
 * windows of hours, a simulated run wants minutes; docs/provisioning.md).
 * Refused while r is under maintenance already (1.7: primary and
 * secondary are maintained separately). The cloud's apply refuses first
 * what its cloud refuses (a resource that carries no traffic). Returns
 * the window's end (the operation completes then), or now if refused.
 */
#define PROV_MAINT_FIELD "maintenance"
#define PROV_MAINT_WINDOW SIM_S(600)
sim_time prov_maintain(struct prov_ctx *c, struct prov_res *r,
    const struct prov_kv *set, size_t n_set);

/* --- for the clouds' expansions ------------------------------------- */

/*
 * Whether the file's timeline has a create operation for KEY/NAME (or
 * NAME alone), read from the walked timeline before any check: a cloud's
 * check consults it to turn what the real cloud refuses at that step (a
 * service key naming no circuit, a GatewaySubnet too small, a bandwidth
 * the other side does not offer, ...) from a load error into a refusal
 * of that operation (prov_refuse in its apply), so a lab can expect it.
 */
bool prov_created_on_timeline(const struct scenario *sc, const char *key,
    const char *name);


/*
 * The gate of resource KEY/NAME to put on the items it expands into, or
 * NULL when it carries from time zero to the end (then no gate). Reads
 * the plan compiled for sc (the timeline's check); NULL too when there is
 * none (the file has errors) or no such resource.
 */
const char *prov_gate(const struct scenario *sc, const char *key,
    const char *name);

/*
 * A gate open exactly while field of resource KEY/NAME has value (as its
 * type's apply set it: e.g. a circuit's `maintenance` = "primary" during
 * a maintenance window), for the items a cloud's expansion makes follow
 * that state (a policy rule prepending while the link is maintained).
 * The name is "KEY/NAME:FIELD=VALUE", owned by the plan; NULL when the
 * field never takes the value within the run (then nothing to gate), or
 * there is no plan or no such resource. The timeline's expand, which
 * runs after the clouds', writes every gate asked for this way into the
 * gates section.
 */
const char *prov_state_gate(const struct scenario *sc, const char *key,
    const char *name, const char *field, const char *value);

/*
 * A version of resource KEY/NAME: the gate called gname, open while the
 * resource carries and from <= t < to (to < 0: to the end), written to
 * the expansion's gates section; gname, or NULL when KEY/NAME is unknown
 * to the plan compiled for sc (no timeline, errors). A cloud's expansion
 * uses it for a resource whose update changes what it expands into (a
 * security rule's fields): one item per version, each under its gate,
 * the versions cut at the updates' completions.
 */
struct sc_expand;
const char *prov_gate_window(struct sc_expand *ex, const char *key,
    const char *name, sim_time from, sim_time to, const char *gname);

#endif
