/*
 * provision_scenario.c - the `timeline` section (provision.h): its items,
 * the cloud models' registrations, the check that compiles the plan once
 * the clouds are checked, and the expand that writes the plan as gates,
 * resources and operation assertions.
 *
 * The section has an expander, so its check runs with the clouds' (after
 * them: it is registered after oci) and before every low-level section,
 * and its expand runs after theirs. The compiled plan is kept for the load
 * in one element past the walked items (the section's storage is the only
 * per-scenario place a section has): prov_gate and the expand find it
 * there, and the section's free releases it with the scenario.
 */
#include <stdlib.h>
#include <string.h>

#include "provision_int.h"
#include "scenario_expand.h"
#include "scenario_section.h"
#include "util.h"

/* the operation keys first, in enum prov_op's order (vloc[op]) */
enum { TL_CREATE, TL_UPDATE, TL_DELETE, TL_ENABLE, TL_DISABLE, TL_RESET,
	TL_MAINTAIN, TL_ID, TL_AT, TL_AFTER, TL_DELAY, TL_DURATION, TL_SET,
	TL_EXPECT, TL_LINK, TL_F_MAX };

static const char *const tl_links[] = { "primary", "secondary", NULL };
enum { EX_ERROR, EX_F_MAX };

struct tl_expect {
	char *error;
	struct sc_loc loc;
	struct sc_loc vloc[EX_F_MAX];
	uint64_t keys[SC_KEYS_WORDS(EX_F_MAX)];
};

struct tl_item {
	char *path[PROV_OP_MAX];	/* the resource, under its op's key */
	char *id, *after;
	sim_time at, delay, duration;
	int link;			/* 1 primary, 2 secondary */
	struct sc_kv *set;
	size_t n_set;
	struct tl_expect expect;
	struct prov_plan *plan;	/* only in the element past the last */
	struct sc_loc loc;
	struct sc_loc vloc[TL_F_MAX];
	uint64_t keys[SC_KEYS_WORDS(TL_F_MAX)];
};

static const struct sc_field expect_fields[] = {
	[EX_ERROR] = { "error", SC_FT_STRING, SC_AT(struct tl_expect, error),
		.required = true, .doc = "a part of the error the cloud "
		"gives when it refuses the operation (its code, a word of "
		"its message)" },
};

static const struct sc_table expect_table = {
	"timeline_expect", "What an operation is expected to do instead of "
	"succeeding.", expect_fields, SC_NFIELDS(expect_fields),
	sizeof(struct tl_expect), offsetof(struct tl_expect, loc),
	offsetof(struct tl_expect, vloc), offsetof(struct tl_expect, keys), -1
};

static const struct sc_field tl_fields[] = {
	[TL_CREATE] = { "create", SC_FT_STRING,
		SC_AT(struct tl_item, path[PROV_CREATE]),
		.doc = "create the resource KEY/NAME (KEY/PARENT/NAME, or "
		"NAME alone when one resource has it)" },
	[TL_UPDATE] = { "update", SC_FT_STRING,
		SC_AT(struct tl_item, path[PROV_UPDATE]),
		.doc = "change the fields of `set` of the resource" },
	[TL_DELETE] = { "delete", SC_FT_STRING,
		SC_AT(struct tl_item, path[PROV_DELETE]),
		.doc = "delete the resource" },
	[TL_ENABLE] = { "enable", SC_FT_STRING,
		SC_AT(struct tl_item, path[PROV_ENABLE]),
		.doc = "enable the resource (a virtual circuit)" },
	[TL_DISABLE] = { "disable", SC_FT_STRING,
		SC_AT(struct tl_item, path[PROV_DISABLE]),
		.doc = "disable the resource (a virtual circuit)" },
	[TL_RESET] = { "reset", SC_FT_STRING,
		SC_AT(struct tl_item, path[PROV_RESET]),
		.doc = "reset the resource (a peering)" },
	[TL_MAINTAIN] = { "maintenance", SC_FT_STRING,
		SC_AT(struct tl_item, path[PROV_MAINTAIN]),
		.doc = "a planned maintenance window on one link of the "
		"resource (an ExpressRoute circuit, a FastConnect virtual "
		"circuit): `link` says which, `duration` how long" },
	[TL_ID] = { "id", SC_FT_NAME, SC_AT(struct tl_item, id),
		.doc = "the operation's name, for `after`" },
	[TL_AT] = { "at", SC_FT_TIME, SC_AT(struct tl_item, at),
		.max = PROV_TIME_MAX,
		.doc = "when it starts (or `after`)" },
	[TL_AFTER] = { "after", SC_FT_NAME, SC_AT(struct tl_item, after),
		.doc = "start when the operation with this id completes "
		"(plus `delay`)" },
	[TL_DELAY] = { "delay", SC_FT_TIME, SC_AT(struct tl_item, delay),
		.max = PROV_TIME_MAX,
		.def = "0s", .doc = "between the completion of `after` and "
		"the start" },
	[TL_DURATION] = { "duration", SC_FT_TIME,
		SC_AT(struct tl_item, duration), .max = PROV_TIME_MAX,
		.def_doc = "drawn from the "
		"type's range with the scenario's seed",
		.doc = "how long it takes (its first stage, for operations "
		"with several; for maintenance the window's length)" },
	[TL_SET] = { "set", SC_FT_KV, SC_AT(struct tl_item, set),
		SC_AT2(struct tl_item, n_set),
		.doc = "update: the fields it changes, as in the cloud section" },
	[TL_EXPECT] = { "expect", SC_FT_MAP, SC_AT(struct tl_item, expect),
		.sub = &expect_table, .def_doc = "the operation succeeds",
		.doc = "the operation is expected to be refused" },
	[TL_LINK] = { "link", SC_FT_ENUM, SC_AT(struct tl_item, link),
		.names = tl_links, .def_doc = "none (required by maintenance)",
		.doc = "maintenance: the link under maintenance" },
};

static const struct sc_table tl_table = {
	"timeline_op", "One operation on a cloud resource, in the cloud's "
	"terms (docs/provisioning.md).", tl_fields, SC_NFIELDS(tl_fields),
	sizeof(struct tl_item), offsetof(struct tl_item, loc),
	offsetof(struct tl_item, vloc), offsetof(struct tl_item, keys), -1
};

/* --- the cloud models' registrations ------------------------------- */

static const struct prov_cloud *clouds[PROV_CLOUDS_MAX];
static size_t n_clouds;

int
prov_register_cloud(const struct prov_cloud *c)
{
	size_t i;

	for (i = 0; i < n_clouds; i++)
		if (clouds[i] == c || strcmp(clouds[i]->name, c->name) == 0)
			return -1;
	if (n_clouds == PROV_CLOUDS_MAX)
		return -1;
	clouds[n_clouds++] = c;
	return 0;
}

void
prov_unregister_cloud(const struct prov_cloud *c)
{
	size_t i;

	for (i = 0; i < n_clouds; i++)
		if (clouds[i] == c) {
			memmove(&clouds[i], &clouds[i + 1],
			    (n_clouds - i - 1) * sizeof(*clouds));
			n_clouds--;
			return;
		}
}

size_t
prov_n_clouds(void)
{
	return n_clouds;
}

const struct prov_cloud *
prov_cloud_at(size_t i)
{
	return i < n_clouds ? clouds[i] : NULL;
}

/* --- finding the section's data ------------------------------------- */

static void tl_check(struct sc_check *ck, struct sc_section_data *d);
static void tl_expand(struct sc_expand *ex, const void *items, size_t n);
static void tl_free(void *items, size_t n);

static const struct sc_section tl_section = {
	.name = "timeline",
	.doc = "Operations on the cloud resources (create, update, delete, "
	"enable, disable, reset, maintenance) at times or one after another",
	.table = &tl_table, .list = true, .check = tl_check,
	.free = tl_free, .expand = tl_expand, .expand_always = true,
};

int
provision_scenario_register(void)
{
	return scenario_register_section(&tl_section);
}

static const struct sc_section_data *
tl_data(const struct scenario *sc)
{
	size_t i;

	for (i = 0; sc != NULL && i < sc->n_sections; i++)
		if (sc->sections[i].sec == &tl_section)
			return &sc->sections[i];
	return NULL;
}

struct prov_plan *
prov_plan_of(const struct scenario *sc)
{
	const struct sc_section_data *d = tl_data(sc);

	if (d == NULL || d->items == NULL)
		return NULL;
	return ((const struct tl_item *)d->items)[d->n].plan;
}

static void
tl_free(void *items, size_t n)
{
	prov_plan_free(((struct tl_item *)items)[n].plan);
}

/* The operation an item names, or PROV_OP_MAX when it names none. */
static enum prov_op
item_op(const struct tl_item *it)
{
	int k;

	for (k = 0; k < PROV_OP_MAX; k++)
		if (it->path[k] != NULL)
			return (enum prov_op)k;
	return PROV_OP_MAX;
}

/* Does path name KEY/NAME (or NAME, or the last part of a nested NAME)? */
static bool
path_names(const char *path, const char *key, const char *name)
{
	size_t kl = strlen(key);
	const char *last = strrchr(name, '/');

	if (strncmp(path, key, kl) == 0 && path[kl] == '/' &&
	    strcmp(path + kl + 1, name) == 0)
		return true;
	return strcmp(path, name) == 0 ||
	    (last != NULL && strcmp(path, last + 1) == 0);
}

bool
prov_created_on_timeline(const struct scenario *sc, const char *key,
    const char *name)
{
	const struct sc_section_data *d = tl_data(sc);
	const struct tl_item *it;
	size_t i;

	if (d == NULL || key == NULL || name == NULL)
		return false;
	it = d->items;
	for (i = 0; i < d->n; i++)
		if (it[i].path[PROV_CREATE] != NULL &&
		    path_names(it[i].path[PROV_CREATE], key, name))
			return true;
	return false;
}

const char *
prov_gate(const struct scenario *sc, const char *key, const char *name)
{
	const struct prov_plan *p = prov_plan_of(sc);
	const struct prov_res *r;

	if (p == NULL || key == NULL || name == NULL ||
	    (r = prov_find_res(p, key, name)) == NULL)
		return NULL;
	return prov_res_gated(p, r) ? r->ident : NULL;
}

/* --- the check ------------------------------------------------------- */

/* The items' own rules: one operation, at xor after, set on updates. */
static void
check_items(struct sc_check *ck, struct tl_item *it, size_t n)
{
	size_t i;
	int k;

	for (i = 0; i < n; i++) {
		struct tl_item *t = &it[i];
		enum prov_op op = item_op(t);
		bool at = sc_key_given(t->keys, TL_AT);
		bool after = sc_key_given(t->keys, TL_AFTER);
		bool any = false;

		/* not a mapping: the walker said so, once is enough */
		if (t->loc.line == 0)
			continue;
		for (k = 0; k < TL_F_MAX; k++)
			any = any || sc_key_given(t->keys, (size_t)k);
		if (!any) {
			sc_check_error(ck, t->loc, "timeline item is empty: "
			    "it needs an operation (create, update, delete, "
			    "enable, disable, reset or maintenance: KEY/NAME) "
			    "and 'at' or 'after'");
			continue;
		}
		if (op == PROV_OP_MAX && !sc_key_given(t->keys, TL_CREATE) &&
		    !sc_key_given(t->keys, TL_UPDATE) &&
		    !sc_key_given(t->keys, TL_DELETE) &&
		    !sc_key_given(t->keys, TL_ENABLE) &&
		    !sc_key_given(t->keys, TL_DISABLE) &&
		    !sc_key_given(t->keys, TL_RESET) &&
		    !sc_key_given(t->keys, TL_MAINTAIN))
			sc_check_error(ck, t->loc, "timeline item has no "
			    "operation (one of create, update, delete, "
			    "enable, disable, reset, maintenance: KEY/NAME)");
		for (k = op + 1; op < PROV_OP_MAX && k < PROV_OP_MAX; k++)
			if (t->path[k] != NULL)
				sc_check_error(ck, t->vloc[k], "timeline item "
				    "has two operations, '%s' and '%s' (one "
				    "per item)", prov_op_name[op],
				    prov_op_name[k]);
		if (at && after)
			sc_check_error(ck, t->vloc[TL_AFTER], "timeline item "
			    "has both 'at' and 'after' (it starts at a time "
			    "or when another operation completes)");
		else if (!at && !after)
			sc_check_error(ck, t->loc, "timeline item needs 'at' "
			    "(a time) or 'after' (the id of the operation "
			    "it follows)");
		if (sc_key_given(t->keys, TL_DELAY) && !after)
			sc_check_error(ck, t->vloc[TL_DELAY], "'delay' is "
			    "counted from the completion of 'after', which "
			    "this item does not give");
		if (sc_key_given(t->keys, TL_SET) && op != PROV_UPDATE &&
		    op != PROV_OP_MAX)
			sc_check_error(ck, t->vloc[TL_SET], "'set' belongs to "
			    "an update, not to %s", prov_op_name[op]);
		if (op == PROV_UPDATE && sc_key_ok(t->keys, TL_SET) &&
		    t->n_set == 0)
			sc_check_error(ck, t->vloc[TL_SET], "update of '%s': "
			    "'set' is empty (give the fields it changes)",
			    sc_check_quote(ck, t->path[op]));
		if (op == PROV_UPDATE && !sc_key_given(t->keys, TL_SET))
			sc_check_error(ck, t->loc, "update of '%s' needs "
			    "'set' (the fields it changes)",
			    sc_check_quote(ck, t->path[op]));
		if (op == PROV_MAINTAIN && !sc_key_given(t->keys, TL_LINK))
			sc_check_error(ck, t->loc, "maintenance of '%s' needs "
			    "'link' (primary or secondary)",
			    sc_check_quote(ck, t->path[op]));
		/* a window of no length opens and closes its gate at once */
		if (op == PROV_MAINTAIN && sc_key_ok(t->keys, TL_DURATION) &&
		    t->duration == 0)
			sc_check_error(ck, t->vloc[TL_DURATION], "maintenance "
			    "of '%s': a window of 0s maintains nothing (give "
			    "its length, more than 0s, or leave 'duration' out "
			    "for the default)", sc_check_quote(ck,
			    t->path[op]));
		if (sc_key_given(t->keys, TL_LINK) && op != PROV_MAINTAIN &&
		    op != PROV_OP_MAX)
			sc_check_error(ck, t->vloc[TL_LINK], "'link' belongs "
			    "to a maintenance, not to %s", prov_op_name[op]);
		if (t->id != NULL)
			sc_names_add(ck, "operation id", t->id, i,
			    t->vloc[TL_ID]);
	}
}

/*
 * Resolve each `after` to its operation (after[i] = index + 1) and refuse
 * chains that come back to themselves, once per cycle.
 */
static void
check_after(struct sc_check *ck, struct tl_item *it, size_t n, size_t *after)
{
	uint8_t *state = xcalloc(n ? n : 1, 1);
	size_t i, j, idx, off;
	char path[512];

	for (i = 0; i < n; i++)
		if (it[i].after != NULL && sc_names_lookup(ck, "operation id",
		    it[i].after, it[i].vloc[TL_AFTER], &idx))
			after[i] = idx + 1;
	/* 0 unseen, 1 on the chain being followed, 2 known acyclic */
	for (i = 0; i < n; i++) {
		for (j = i; after[j] != 0 && state[j] == 0; j = after[j] - 1)
			state[j] = 1;
		if (after[j] != 0 && state[j] == 1) {
			off = (size_t)snprintf(path, sizeof(path), "%s",
			    it[j].id);
			for (idx = after[j] - 1; off < sizeof(path);
			    idx = after[idx] - 1) {
				off += (size_t)snprintf(path + off,
				    sizeof(path) - off, " -> %s", it[idx].id);
				if (idx == j)
					break;
			}
			sc_check_error(ck, it[j].vloc[TL_AFTER], "'after' "
			    "makes a cycle (%s): no operation of it can "
			    "start", sc_check_quote(ck, path));
		}
		for (j = i; state[j] == 1; j = after[j] - 1) {
			state[j] = 2;
			if (after[j] == 0)
				break;
		}
	}
	free(state);
}

/* The resource path names in p, or NULL with the error reported. */
static struct prov_res *
resolve(struct sc_check *ck, struct prov_plan *p, const char *path,
    struct sc_loc loc)
{
	struct prov_res *hit = NULL;
	char list[400];
	size_t i, n = 0, off = 0, idx;

	for (i = 0; i < p->n_res; i++)
		if (strcmp(p->res[i]->ident, path) == 0)
			return p->res[i];
	list[0] = '\0';
	for (i = 0; i < p->n_res; i++) {
		struct prov_res *r = p->res[i];
		const char *last = strrchr(r->name, '/');

		if (strcmp(r->name, path) != 0 &&
		    (last == NULL || strcmp(last + 1, path) != 0))
			continue;
		hit = r;
		if (off < sizeof(list))
			off += (size_t)snprintf(list + off, sizeof(list) - off,
			    "%s%s", n ? ", " : "", r->ident);
		n++;
	}
	if (n == 1)
		return hit;
	if (n > 1) {
		sc_check_error(ck, loc, "resource '%s' is ambiguous: %s "
		    "(write KEY/NAME)", sc_check_quote(ck, path), list);
		return NULL;
	}
	/* the right name under the wrong key: say which key it has */
	if (strchr(path, '/') != NULL) {
		hit = NULL;
		for (i = 0, n = 0; i < p->n_res; i++)
			if (strcmp(p->res[i]->name, strchr(path, '/') + 1) ==
			    0) {
				hit = p->res[i];
				n++;
			}
		if (n == 1) {
			sc_check_error(ck, loc, "unknown cloud resource '%s' "
			    "(did you mean '%s'?)", sc_check_quote(ck, path),
			    hit->ident);
			return NULL;
		}
	}
	/* reports "unknown cloud resource '...' (did you mean ...)" */
	(void)sc_names_lookup(ck, "cloud resource", path, loc, &idx);
	return NULL;
}

static const char *
ops_list(char *buf, size_t len, unsigned ops)
{
	size_t off = 0;
	int k;

	buf[0] = '\0';
	for (k = 0; k < PROV_OP_MAX; k++)
		if ((ops >> k & 1) && off < len)
			off += (size_t)snprintf(buf + off, len - off, "%s%s",
			    off ? ", " : "", prov_op_name[k]);
	return buf;
}

/* The plan's operations from the items; false when one names nothing. */
static bool
plan_ops(struct sc_check *ck, struct prov_plan *p, struct tl_item *it,
    size_t n, const size_t *after)
{
	unsigned errs = sc_check_errors(ck);
	char buf[100];
	size_t i, k;

	p->ops = xcalloc(n ? n : 1, sizeof(*p->ops));
	p->n_ops = n;
	for (i = 0; i < n; i++) {
		struct prov_opr *o = &p->ops[i];
		enum prov_op op = item_op(&it[i]);

		o->op = op;
		o->loc = it[i].loc;
		if ((o->r = resolve(ck, p, it[i].path[op], it[i].vloc[op])) ==
		    NULL)
			continue;
		if (!(prov_type_ops(o->r->t) >> op & 1))
			sc_check_error(ck, it[i].vloc[op], "%s (%s) has no "
			    "operation '%s' (it has %s)", o->r->ident,
			    o->r->t->type, prov_op_name[op], ops_list(buf,
			    sizeof(buf), prov_type_ops(o->r->t)));
		o->after = after[i];
		o->at = it[i].at;
		o->delay = it[i].delay;
		o->has_duration = sc_key_given(it[i].keys, TL_DURATION);
		o->duration = it[i].duration;
		o->expect_refused = sc_key_given(it[i].keys, TL_EXPECT);
		o->expect_error = it[i].expect.error;
		if (op == PROV_MAINTAIN) {
			/* the link, to the apply, as a set entry */
			o->set = xcalloc(1, sizeof(*o->set));
			o->set[0].key = "link";
			o->set[0].value = tl_links[it[i].link > 0 ?
			    it[i].link - 1 : 0];
			o->set[0].loc = it[i].vloc[TL_LINK];
			o->n_set = 1;
			continue;
		}
		if (it[i].n_set > 0)
			o->set = xcalloc(it[i].n_set, sizeof(*o->set));
		o->n_set = it[i].n_set;
		for (k = 0; k < it[i].n_set; k++) {
			o->set[k].key = it[i].set[k].key;
			o->set[k].value = it[i].set[k].value;
			o->set[k].loc = it[i].set[k].vloc;
		}
	}
	return sc_check_errors(ck) == errs;
}

static struct prov_plan *
compile(struct sc_check *ck, struct tl_item *it, size_t n, const size_t *after)
{
	struct scenario *sc = sc_check_scenario(ck);
	struct prov_plan *p = prov_plan_new(sc, sc->run_seed, sc->duration);
	struct prov_res *bad;
	char why[512];
	size_t i;

	for (i = 0; i < n_clouds; i++)
		if (clouds[i]->resources != NULL)
			clouds[i]->resources(p, sc);
	for (i = 0; i < p->n_res; i++)
		sc_names_add(ck, "cloud resource", p->res[i]->ident, i,
		    p->res[i]->loc);
	if (!plan_ops(ck, p, it, n, after)) {
		prov_plan_free(p);
		return NULL;
	}
	prov_plan_run(p);
	if ((bad = prov_plan_carry(p, why, sizeof(why))) != NULL) {
		sc_check_error(ck, bad->loc, "%s depends on itself (%s): it "
		    "could never carry traffic", bad->ident, why);
		prov_plan_free(p);
		return NULL;
	}
	return p;
}

static void
tl_check(struct sc_check *ck, struct sc_section_data *d)
{
	struct tl_item *it;
	size_t *after;

	/* the element past the last keeps the plan (see the top) */
	d->items = xrealloc(d->items, (d->n + 1) * sizeof(struct tl_item));
	it = d->items;
	memset(&it[d->n], 0, sizeof(it[d->n]));
	if (d->bad)
		return;
	after = xcalloc(d->n + 1, sizeof(*after));
	check_items(ck, it, d->n);
	check_after(ck, it, d->n, after);
	/*
	 * An error so far (the clouds' own, or the items') leaves nothing
	 * sound to compile: the resources may be half made.
	 */
	if (sc_check_errors(ck) == 0)
		it[d->n].plan = compile(ck, it, d->n, after);
	free(after);
}

/* --- the expand ------------------------------------------------------ */

static const char *
fmt_t(char *buf, size_t len, sim_time t)
{
	return units_fmt_time(buf, len, t);
}

/* A type in the cloud's words ("ExpressRoute circuit"), else its API name. */
static const char *
title_of(const struct prov_type *t)
{
	return t->title != NULL ? t->title : t->type;
}

static void
expand_gate(struct sc_expand *ex, const struct prov_plan *p,
    const struct prov_res *r, int gates)
{
	int g = sc_ex_map(ex, r->loc), ch = 0, c;
	char tb[32];
	size_t i;

	sc_ex_append(ex, gates, g);
	sc_ex_set_str(ex, g, "name", r->ident);
	sc_ex_set_str(ex, g, "open", r->carry.v[0].on ? "true" : "false");
	for (i = 1; i < r->carry.n; i++) {
		if (p->end > 0 && r->carry.v[i].at > p->end)
			break;
		if (ch == 0)
			ch = sc_ex_set_seq(ex, g, "changes");
		c = sc_ex_map(ex, r->loc);
		sc_ex_append(ex, ch, c);
		sc_ex_set_str(ex, c, "at", fmt_t(tb, sizeof(tb),
		    r->carry.v[i].at));
		sc_ex_set_str(ex, c, "open", r->carry.v[i].on ? "true" :
		    "false");
	}
	sc_ex_set_fmt(ex, g, "what", "%s %s carries traffic", title_of(r->t),
	    r->name);
}

/* A gate of prov_state_gate: open while the field has the value. */
static void
expand_sgate(struct sc_expand *ex, const struct prov_sgate *sg, int gates)
{
	const struct prov_res *r = sg->r;
	int g = sc_ex_map(ex, r->loc), ch = 0, c;
	char tb[32];
	size_t i;

	sc_ex_append(ex, gates, g);
	sc_ex_set_str(ex, g, "name", sg->name);
	sc_ex_set_str(ex, g, "open", sg->on.v[0].on ? "true" : "false");
	for (i = 1; i < sg->on.n; i++) {
		if (ch == 0)
			ch = sc_ex_set_seq(ex, g, "changes");
		c = sc_ex_map(ex, r->loc);
		sc_ex_append(ex, ch, c);
		sc_ex_set_str(ex, c, "at", fmt_t(tb, sizeof(tb),
		    sg->on.v[i].at));
		sc_ex_set_str(ex, c, "open", sg->on.v[i].on ? "true" :
		    "false");
	}
	sc_ex_set_fmt(ex, g, "what", "%s %s: %s is %s", title_of(r->t), r->name,
	    sg->field, sg->value);
}

struct state_ref {
	const struct prov_field *f;
	const struct prov_chg *c;
};

static int
cmp_state(const void *a, const void *b)
{
	const struct prov_chg *x = ((const struct state_ref *)a)->c;
	const struct prov_chg *y = ((const struct state_ref *)b)->c;

	if (x->at != y->at)
		return x->at < y->at ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

static void
expand_states(struct sc_expand *ex, const struct prov_plan *p,
    const struct prov_res *r, int m)
{
	struct state_ref *v;
	size_t n = 0, i, j;
	char tb[32];
	int seq, s;

	for (i = 0; i < r->n_fields; i++)
		n += r->fields[i].n;
	if (n == 0)
		return;
	v = xcalloc(n, sizeof(*v));
	n = 0;
	for (i = 0; i < r->n_fields; i++)
		for (j = 0; j < r->fields[i].n; j++) {
			v[n].f = &r->fields[i];
			v[n++].c = &r->fields[i].ch[j];
		}
	qsort(v, n, sizeof(*v), cmp_state);
	seq = sc_ex_set_seq(ex, m, "states");
	for (i = 0; i < n; i++) {
		s = sc_ex_map(ex, r->loc);
		sc_ex_append(ex, seq, s);
		sc_ex_set_str(ex, s, "at", fmt_t(tb, sizeof(tb), v[i].c->at));
		sc_ex_set_str(ex, s, "field", v[i].f->name);
		/* a field that is gone reads as no value (the empty text) */
		sc_ex_set_str(ex, s, "value", v[i].c->value != NULL ?
		    v[i].c->value : "");
		if (v[i].c->op != 0)
			sc_ex_set_str(ex, s, "op",
			    prov_op_name[p->ops[v[i].c->op - 1].op]);
	}
	free(v);
}

static void
expand_follow(struct sc_expand *ex, const struct prov_res *r, int m)
{
	int seq, f, ss, s;
	char ab[16];
	size_t i, j;

	if (r->n_follows == 0)
		return;
	seq = sc_ex_set_seq(ex, m, "follow");
	for (i = 0; i < r->n_follows; i++) {
		const struct prov_follow_rec *fr = &r->follows[i];

		f = sc_ex_map(ex, r->loc);
		sc_ex_append(ex, seq, f);
		sc_ex_set_str(ex, f, "field", fr->field);
		ss = sc_ex_set_seq(ex, f, "sessions");
		for (j = 0; j < fr->n; j++) {
			uint32_t a = fr->s[j].peer;

			s = sc_ex_map(ex, r->loc);
			sc_ex_append(ex, ss, s);
			sc_ex_set_str(ex, s, "node", fr->s[j].node);
			snprintf(ab, sizeof(ab), "%u.%u.%u.%u", a >> 24,
			    a >> 16 & 255, a >> 8 & 255, a & 255);
			sc_ex_set_str(ex, s, "peer", ab);
		}
		sc_ex_set_str(ex, f, "when", fr->all ? "all" : "any");
		sc_ex_set_str(ex, f, "up", fr->up);
		sc_ex_set_str(ex, f, "down", fr->down);
	}
}

struct note_ref {
	sim_time at;
	uint64_t seq;
	const char *text;
	char *own;
};

static int
cmp_note(const void *a, const void *b)
{
	const struct note_ref *x = a, *y = b;

	if (x->at != y->at)
		return x->at < y->at ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

/* Its notes and the refusals of its operations, in time order. */
static void
expand_notes(struct sc_expand *ex, const struct prov_plan *p,
    const struct prov_res *r, int m)
{
	struct note_ref *v;
	size_t n = r->n_notes, i, len;
	char tb[32];
	int seq, s;

	for (i = 0; i < p->n_ops; i++)
		n += p->ops[i].r == r && p->ops[i].refused;
	if (n == 0)
		return;
	v = xcalloc(n, sizeof(*v));
	n = 0;
	for (i = 0; i < r->n_notes; i++) {
		v[n].at = r->notes[i].at;
		v[n].seq = r->notes[i].seq;
		v[n++].text = r->notes[i].text;
	}
	for (i = 0; i < p->n_ops; i++) {
		const struct prov_opr *o = &p->ops[i];

		if (o->r != r || !o->refused)
			continue;
		len = strlen(o->error) + 16;
		v[n].own = xmalloc(len);
		snprintf(v[n].own, len, "refused: %s", o->error);
		v[n].at = o->end;
		v[n].seq = UINT64_MAX;	/* after its own notes at that time */
		v[n].text = v[n].own;
		n++;
	}
	qsort(v, n, sizeof(*v), cmp_note);
	seq = sc_ex_set_seq(ex, m, "notes");
	for (i = 0; i < n; i++) {
		s = sc_ex_map(ex, r->loc);
		sc_ex_append(ex, seq, s);
		sc_ex_set_str(ex, s, "at", fmt_t(tb, sizeof(tb), v[i].at));
		sc_ex_set_str(ex, s, "text", v[i].text);
		free(v[i].own);
	}
	free(v);
}

/* The operations applied to it, in start order: the trace's prov_op
 * records (its start, end and outcome; one never started has none). */
static void
expand_ops(struct sc_expand *ex, const struct prov_plan *p,
    const struct prov_res *r, int m)
{
	const struct prov_opr **v;
	size_t n = 0, i, j;
	char tb[32];
	int seq = 0, s;

	v = xcalloc(p->n_ops + 1, sizeof(*v));
	for (i = 0; i < p->n_ops; i++)
		if (p->ops[i].r == r && p->ops[i].done) {
			/* insertion by start, stable: file order on ties */
			for (j = n; j > 0 && v[j - 1]->start >
			    p->ops[i].start; j--)
				v[j] = v[j - 1];
			v[j] = &p->ops[i];
			n++;
		}
	if (n > 0)
		seq = sc_ex_set_seq(ex, m, "operations");
	for (i = 0; i < n; i++) {
		s = sc_ex_map(ex, v[i]->loc);
		sc_ex_append(ex, seq, s);
		sc_ex_set_str(ex, s, "at", fmt_t(tb, sizeof(tb),
		    v[i]->start));
		sc_ex_set_str(ex, s, "end", fmt_t(tb, sizeof(tb), v[i]->end));
		sc_ex_set_str(ex, s, "op", prov_op_name[v[i]->op]);
		if (v[i]->refused) {
			sc_ex_set_str(ex, s, "outcome", "refused");
			sc_ex_set_str(ex, s, "error", v[i]->error);
		}
	}
	free(v);
}

static void
expand_resource(struct sc_expand *ex, const struct prov_plan *p,
    const struct prov_res *r, int list)
{
	int m = sc_ex_map(ex, r->loc), nodes;
	size_t i;

	sc_ex_append(ex, list, m);
	sc_ex_set_str(ex, m, "name", r->ident);
	sc_ex_set_str(ex, m, "type", r->t->type);
	sc_ex_set_fmt(ex, m, "title", "%s %s", title_of(r->t), r->name);
	if (r->n_nodes > 0) {
		nodes = sc_ex_set_seq(ex, m, "nodes");
		for (i = 0; i < r->n_nodes; i++)
			sc_ex_append(ex, nodes, sc_ex_str(ex, r->loc,
			    r->nodes[i]));
	}
	expand_states(ex, p, r, m);
	expand_follow(ex, r, m);
	expand_notes(ex, p, r, m);
	expand_ops(ex, p, r, m);
}

static void
expand_operation(struct sc_expand *ex, const struct prov_opr *o, int list)
{
	int m = sc_ex_map(ex, o->loc);
	char tb[32];

	sc_ex_append(ex, list, m);
	sc_ex_set_str(ex, m, "kind", "operation");
	sc_ex_set_str(ex, m, "op", prov_op_name[o->op]);
	sc_ex_set_str(ex, m, "resource", o->r->ident);
	sc_ex_set_str(ex, m, "at", fmt_t(tb, sizeof(tb), o->start));
	sc_ex_set_str(ex, m, "outcome", o->refused ? "refused" : "succeeded");
	if (o->refused)
		sc_ex_set_str(ex, m, "error", o->error);
	sc_ex_set_str(ex, m, "expect", o->expect_refused ? "refused" :
	    "succeeded");
	if (o->expect_refused && o->expect_error != NULL)
		sc_ex_set_str(ex, m, "expect_error", o->expect_error);
}

static void
tl_expand(struct sc_expand *ex, const void *items, size_t n)
{
	const struct prov_plan *p;
	int gates = 0, res;
	size_t i;

	if (items == NULL)
		return;
	p = ((const struct tl_item *)items)[n].plan;
	if (p == NULL || (p->n_res == 0 && p->n_ops == 0))
		return;
	for (i = 0; i < p->n_res; i++)
		if (prov_res_gated(p, p->res[i])) {
			if (gates == 0)
				gates = sc_ex_list(ex, "gates");
			expand_gate(ex, p, p->res[i], gates);
		}
	for (i = 0; i < p->n_sgates; i++) {
		if (gates == 0)
			gates = sc_ex_list(ex, "gates");
		expand_sgate(ex, &p->sgates[i], gates);
	}
	if (p->n_res > 0) {
		res = sc_ex_list(ex, "resources");
		for (i = 0; i < p->n_res; i++)
			expand_resource(ex, p, p->res[i], res);
	}
	if (p->n_ops > 0) {
		res = sc_ex_list(ex, "assertions");
		for (i = 0; i < p->n_ops; i++)
			expand_operation(ex, &p->ops[i], res);
	}
}

/* --- versions of a resource (prov_gate_window) ------------------------ */

static bool
window_at(const struct prov_res *r, sim_time t, sim_time from, sim_time to)
{
	return prov_steps_at(&r->carry, t) && t >= from && (to < 0 || t < to);
}

static void
window_change(struct sc_expand *ex, const struct prov_res *r, int g,
    int *ch, sim_time t, bool *open, sim_time from, sim_time to)
{
	bool now = window_at(r, t, from, to);
	char tb[32];
	int c;

	if (now == *open)
		return;
	*open = now;
	if (*ch == 0)
		*ch = sc_ex_set_seq(ex, g, "changes");
	c = sc_ex_map(ex, r->loc);
	sc_ex_append(ex, *ch, c);
	sc_ex_set_str(ex, c, "at", fmt_t(tb, sizeof(tb), t));
	sc_ex_set_str(ex, c, "open", now ? "true" : "false");
}

const char *
prov_gate_window(struct sc_expand *ex, const char *key, const char *name,
    sim_time from, sim_time to, const char *gname)
{
	const struct prov_plan *p = prov_plan_of(sc_ex_scenario(ex));
	const struct prov_res *r;
	int gates, g, ch = 0;
	bool open;
	size_t i;

	if (p == NULL || key == NULL || name == NULL || gname == NULL ||
	    (r = prov_find_res(p, key, name)) == NULL)
		return NULL;
	gates = sc_ex_list(ex, "gates");
	g = sc_ex_map(ex, r->loc);
	sc_ex_append(ex, gates, g);
	sc_ex_set_str(ex, g, "name", gname);
	open = window_at(r, 0, from, to);
	sc_ex_set_str(ex, g, "open", open ? "true" : "false");
	/* the carrying's steps and the window's two ends, in time order */
	for (i = 0; i <= r->carry.n; i++) {
		sim_time t = i < r->carry.n ? r->carry.v[i].at : -1;

		if (from > 0 && (p->end == 0 || from <= p->end) &&
		    (t < 0 || t > from) &&
		    (i == 0 || r->carry.v[i - 1].at < from))
			window_change(ex, r, g, &ch, from, &open, from, to);
		if (to > 0 && (p->end == 0 || to <= p->end) &&
		    (t < 0 || t > to) &&
		    (i == 0 || r->carry.v[i - 1].at < to))
			window_change(ex, r, g, &ch, to, &open, from, to);
		if (t < 0 || (p->end > 0 && t > p->end))
			break;
		if (t > 0)
			window_change(ex, r, g, &ch, t, &open, from, to);
	}
	sc_ex_set_fmt(ex, g, "what", "%s %s as it is from %s", title_of(r->t),
	    r->name, from > 0 ? "its update" : "time zero");
	return gname;
}
