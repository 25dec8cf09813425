/*
 * scenario_walk.c - the generic table walker, and freeing by the tables.
 *
 * walk_map() fills a C struct from a YAML mapping with the table that
 * describes it: every key is looked up in the table, every value is parsed
 * by its field type (scenario_text.c, or the list and mapping forms here),
 * and missing keys get their defaults. A table may choose its valid keys by
 * a discriminating field (an app's type), and a mapping whose table has an
 * action field (a timeline event) takes the keys of the registered action
 * it names as well, into that action's own struct.
 *
 * libyaml's loader builds the tree without recursion, and the walk is driven
 * by the tables, so its depth is bounded by theirs whatever the input
 * nests. Aliases may make the tree a graph (even a cyclic one), so the walk
 * counts the nodes it visits against a budget proportional to the file:
 * "billion laughs" input stops with an error instead of running for ever.
 */
#include <stdlib.h>
#include <string.h>

#include "scenario_load.h"
#include "sim.h"

struct sc_loc
loc_of(const yaml_node_t *n)
{
	struct sc_loc l = { (uint32_t)n->start_mark.line + 1,
		(uint32_t)n->start_mark.column + 1 };

	return l;
}

bool
visit(struct sc_check *ld, const yaml_node_t *n)
{
	if (ld->exhausted)
		return false;
	if (++ld->visits > ld->max_visits) {
		ld->exhausted = true;
		ld_error(ld, loc_of(n), "aliases expand the document to too "
		    "many values (is an anchor used inside itself?)");
		return false;
	}
	return true;
}

const char *
kind_of(const yaml_node_t *n)
{
	switch (n->type) {
	case YAML_MAPPING_NODE:
		return "a mapping";
	case YAML_SEQUENCE_NODE:
		return "a list";
	case YAML_SCALAR_NODE:
		return "a scalar";
	case YAML_NO_NODE:
		break;
	}
	return "nothing";
}

bool
is_null(const yaml_node_t *n)
{
	const char *v = (const char *)n->data.scalar.value;

	if (n->type != YAML_SCALAR_NODE ||
	    n->data.scalar.style != YAML_PLAIN_SCALAR_STYLE)
		return false;
	return n->data.scalar.length == 0 || strcmp(v, "~") == 0 ||
	    strcmp(v, "null") == 0 || strcmp(v, "Null") == 0 ||
	    strcmp(v, "NULL") == 0;
}

/*
 * The text of a scalar, or NULL after an error. Scalars with an embedded
 * NUL (possible with "\0" escapes) are refused, so C strings are exact.
 */
static const char *
scalar(struct sc_check *ld, const yaml_node_t *v, const char *what)
{
	if (v->type != YAML_SCALAR_NODE) {
		ld_error(ld, loc_of(v), "'%s': expected a single value, got %s",
		    what, kind_of(v));
		return NULL;
	}
	if (is_null(v)) {
		ld_error(ld, loc_of(v), "'%s' has no value", what);
		return NULL;
	}
	if (strlen((const char *)v->data.scalar.value) !=
	    v->data.scalar.length) {
		ld_error(ld, loc_of(v), "'%s' contains a NUL character", what);
		return NULL;
	}
	return (const char *)v->data.scalar.value;
}

static bool
plain(const yaml_node_t *v)
{
	return v->data.scalar.style == YAML_PLAIN_SCALAR_STYLE;
}

static yaml_node_t *
item(struct sc_check *ld, yaml_node_item_t *it)
{
	return yaml_document_get_node(ld->doc, *it);
}

static bool
expect(struct sc_check *ld, const yaml_node_t *v, yaml_node_type_t type,
    const char *what)
{
	if (v->type == type)
		return true;
	ld_error(ld, loc_of(v), "'%s': expected %s, got %s", what,
	    type == YAML_MAPPING_NODE ? "a mapping" : "a list",
	    is_null(v) ? "nothing" : kind_of(v));
	return false;
}

static size_t
seq_len(const yaml_node_t *v)
{
	return (size_t)(v->data.sequence.items.top -
	    v->data.sequence.items.start);
}

static int
get_int(const char *obj, size_t off)
{
	int v;

	memcpy(&v, obj + off, sizeof(v));
	return v;
}

static void *
get_ptr(const char *obj, size_t off)
{
	void *p;

	memcpy(&p, obj + off, sizeof(p));
	return p;
}

static size_t
get_size(const char *obj, size_t off)
{
	size_t n;

	memcpy(&n, obj + off, sizeof(n));
	return n;
}

/*
 * "an" before a table name read with a vowel first (acl, event, oci-vcn),
 * else "a". Not u: "a unit", as a name starting so would likely read.
 */
static const char *
article(const char *name)
{
	return name[0] != '\0' && strchr("aeioAEIO", name[0]) != NULL ?
	    "an" : "a";
}

static void
set_bit(uint64_t *keys, size_t i, unsigned bad)
{
	keys[(2 * i + bad) / 64] |= (uint64_t)1 << ((2 * i + bad) % 64);
}

void
walk_list(struct sc_check *ld, const char *what, const struct sc_table *t,
    yaml_node_t *v, void **items, size_t *n_items)
{
	size_t n = seq_len(v), i;
	char *arr;

	if (n == 0)
		return;
	arr = xcalloc(n, t->size);
	*items = arr;
	*n_items = n;
	for (i = 0; i < n; i++) {
		yaml_node_t *it = item(ld, &v->data.sequence.items.start[i]);
		char *elem = arr + i * t->size;
		struct sc_loc l;

		if (it == NULL || !visit(ld, it))
			break;
		l = loc_of(it);
		if (it->type != YAML_MAPPING_NODE) {
			/* its loc stays {0, 0}: checks know it is reported */
			ld_error(ld, l, "each item of '%s' must be a mapping "
			    "(%s %s), got %s", what, article(t->name), t->name,
			    is_null(it) ? "nothing" : kind_of(it));
			continue;
		}
		if (t->loc_off != SC_NO_OFF)
			memcpy(elem + t->loc_off, &l, sizeof(l));
		walk_map(ld, t, it, elem);
	}
}

static void
parse_pos(struct sc_check *ld, const struct sc_field *f, yaml_node_t *v,
    char *obj)
{
	int32_t pos[2];
	bool yes = true;
	size_t i;

	if (seq_len(v) != 2) {
		ld_error(ld, loc_of(v), "'%s': expected [x, y], got a list of "
		    "%zu", f->name, seq_len(v));
		return;
	}
	for (i = 0; i < 2; i++) {
		yaml_node_t *it = item(ld, &v->data.sequence.items.start[i]);
		const char *s;
		uint64_t u;

		if (it == NULL || (s = scalar(ld, it, f->name)) == NULL)
			return;
		if (!plain(it) || !parse_uint(s, &u) || u < f->min ||
		    u > f->max) {
			ld_error(ld, loc_of(it), "'%s': %s '%s' must be a whole "
			    "number from %llu to %llu (permille)", f->name,
			    i ? "y" : "x", q(ld, s),
			    (unsigned long long)f->min,
			    (unsigned long long)f->max);
			return;
		}
		pos[i] = (int32_t)u;
	}
	memcpy(obj + f->off, pos, sizeof(pos));
	memcpy(obj + f->off2, &yes, sizeof(yes));
}

static void
parse_names(struct sc_check *ld, const struct sc_field *f, yaml_node_t *v,
    char *obj)
{
	size_t n = seq_len(v), i;
	char **names = NULL;
	struct sc_loc *locs = NULL;

	if (n > 0) {
		names = xcalloc(n, sizeof(*names));
		locs = xcalloc(n, sizeof(*locs));
	}
	put_ptr(obj, f->off, names);
	memcpy(obj + f->off2, &n, sizeof(n));
	put_ptr(obj, f->off3, locs);
	for (i = 0; i < n; i++) {
		yaml_node_t *it = item(ld, &v->data.sequence.items.start[i]);
		const char *s;

		if (it == NULL || !visit(ld, it))
			break;
		locs[i] = loc_of(it);
		if ((s = scalar(ld, it, f->name)) == NULL)
			continue;
		if (f->type == SC_FT_NAMES && !valid_name(s)) {
			ld_error(ld, loc_of(it), "'%s': name '%s' %s", f->name,
			    q(ld, s), name_problem(s));
			continue;
		}
		names[i] = xstrdup(s);
	}
}

/* A mapping of scalars kept as text (SC_FT_KV): keys once each. */
static void
parse_kv(struct sc_check *ld, const struct sc_field *f, yaml_node_t *v,
    char *obj)
{
	size_t n = (size_t)(v->data.mapping.pairs.top -
	    v->data.mapping.pairs.start), i, j, k = 0;
	struct sc_kv *kv = NULL;

	if (n > 0)
		kv = xcalloc(n, sizeof(*kv));
	put_ptr(obj, f->off, kv);
	for (i = 0; i < n; i++) {
		yaml_node_pair_t *p = &v->data.mapping.pairs.start[i];
		yaml_node_t *kn = yaml_document_get_node(ld->doc, p->key);
		yaml_node_t *vn = yaml_document_get_node(ld->doc, p->value);
		const char *key, *val;

		if (kn == NULL || vn == NULL || !visit(ld, kn) ||
		    !visit(ld, vn))
			break;
		if ((key = scalar(ld, kn, f->name)) == NULL)
			continue;
		for (j = 0; j < k && strcmp(kv[j].key, key) != 0; j++)
			;
		if (j < k) {
			ld_error(ld, loc_of(kn), "'%s': duplicate key '%s' "
			    "(first at %u:%u)", f->name, q(ld, key),
			    kv[j].kloc.line, kv[j].kloc.col);
			continue;
		}
		if ((val = scalar(ld, vn, key)) == NULL)
			continue;
		kv[k].key = xstrdup(key);
		kv[k].value = xstrdup(val);
		kv[k].kloc = loc_of(kn);
		kv[k++].vloc = loc_of(vn);
	}
	memcpy(obj + f->off2, &k, sizeof(k));
}

static void
parse_pcap_list(struct sc_check *ld, const struct sc_field *f,
    yaml_node_t *v, char *obj)
{
	size_t n = seq_len(v), i, k = 0;
	struct sc_capture *c;

	if (n == 0)
		return;
	c = xcalloc(n, sizeof(*c));
	for (i = 0; i < n; i++) {
		yaml_node_t *it = item(ld, &v->data.sequence.items.start[i]);
		const char *s, *colon;
		char *node;

		if (it == NULL || !visit(ld, it))
			break;
		if ((s = scalar(ld, it, f->name)) == NULL)
			continue;
		node = xstrdup(s);
		colon = strchr(s, ':');
		if (colon != NULL)
			node[colon - s] = '\0';
		if (!valid_name(node) ||
		    (colon != NULL && !valid_name(colon + 1))) {
			ld_error(ld, loc_of(it), "'%s': expected node or "
			    "node:interface, got '%s'", f->name, q(ld, s));
			free(node);
			continue;
		}
		c[k].node = node;
		c[k].iface = colon != NULL ? xstrdup(colon + 1) : NULL;
		c[k].loc = loc_of(it);
		k++;
	}
	put_ptr(obj, f->off, c);
	memcpy(obj + f->off2, &k, sizeof(k));
}

/* An event's action: the registered action and a fresh argument struct. */
static bool
parse_action(struct sc_check *ld, const struct sc_field *f, yaml_node_t *v,
    char *obj)
{
	const struct sc_action *a;
	const char *s;
	char all[300], hint[120];
	const char *names[64];
	size_t i, n = 0, off = 0;

	if ((s = scalar(ld, v, f->name)) == NULL)
		return false;
	if ((a = scenario_action_find(s)) == NULL) {
		all[0] = '\0';
		for (i = 0; scenario_action_at(i) != NULL; i++) {
			const char *nm = scenario_action_at(i)->name;

			if (n < 64)
				names[n++] = nm;
			if (off < sizeof(all))
				off += (size_t)snprintf(all + off,
				    sizeof(all) - off, "%s%s", i ? ", " : "",
				    nm);
		}
		ld_error(ld, loc_of(v), "unknown %s '%s'%s (one of: %s)",
		    f->name, q(ld, s), dym(ld, hint, sizeof(hint),
		    suggest(ld, s, names, n, sizeof(char *), 0)), all);
		return false;
	}
	put_ptr(obj, f->off, a);
	put_ptr(obj, f->off2, xcalloc(1, a->table->size ? a->table->size : 1));
	return true;
}

static void
parse_value(struct sc_check *ld, const struct sc_field *f, yaml_node_t *v,
    char *obj)
{
	const char *s;

	switch (f->type) {
	case SC_FT_LIST:
		if (expect(ld, v, YAML_SEQUENCE_NODE, f->name)) {
			void *items = NULL;
			size_t n = 0;

			walk_list(ld, f->name, f->sub, v, &items, &n);
			put_ptr(obj, f->off, items);
			memcpy(obj + f->off2, &n, sizeof(n));
		}
		return;
	case SC_FT_MAP:
		if (expect(ld, v, YAML_MAPPING_NODE, f->name))
			walk_map(ld, f->sub, v, obj + f->off);
		else
			apply_defaults(ld, f->sub, obj + f->off, 0, NULL,
			    loc_of(v));
		return;
	case SC_FT_POS:
		if (expect(ld, v, YAML_SEQUENCE_NODE, f->name))
			parse_pos(ld, f, v, obj);
		return;
	case SC_FT_NAMES:
		if (expect(ld, v, YAML_SEQUENCE_NODE, f->name))
			parse_names(ld, f, v, obj);
		return;
	case SC_FT_STRINGS:
		if (v->type == YAML_SEQUENCE_NODE) {
			parse_names(ld, f, v, obj);
			return;
		}
		break;
	case SC_FT_ACTION:
		parse_action(ld, f, v, obj);
		return;
	case SC_FT_KV:
		if (expect(ld, v, YAML_MAPPING_NODE, f->name))
			parse_kv(ld, f, v, obj);
		return;
	case SC_FT_PCAP:
		if (v->type == YAML_SEQUENCE_NODE) {
			parse_pcap_list(ld, f, v, obj);
			return;
		}
		break;
	case SC_FT_DELAY:
		if (v->type == YAML_MAPPING_NODE) {
			sc_geo_delay_walk(ld, f, v, obj);
			return;
		}
		break;
	default:
		break;
	}
	if ((s = scalar(ld, v, f->name)) != NULL)
		parse_text(ld, f, s, plain(v), loc_of(v), obj);
}

static bool
in_list(const char *const *list, const char *s)
{
	for (; *list != NULL; list++)
		if (strcmp(*list, s) == 0)
			return true;
	return false;
}

bool
field_applies(const struct sc_table *t, const struct sc_field *f, int kind)
{
	/* A registered kind has its own keys: only the kind is the table's. */
	if (kind < 0)
		return f == &t->fields[t->disc];
	if (f->kinds == NULL)
		return true;
	return kind > 0 && t->disc >= 0 &&
	    in_list(f->kinds, t->fields[t->disc].names[kind - 1]);
}

const char *
field_default(const struct sc_table *t, const struct sc_field *f, int kind)
{
	const char *const *k;

	if (kind > 0 && t->disc >= 0 && f->kdefs != NULL)
		for (k = f->kdefs; k[0] != NULL; k += 2)
			if (strcmp(k[0], t->fields[t->disc].names[kind - 1]) ==
			    0)
				return k[1];
	return f->def;
}

void
apply_defaults(struct sc_check *ld, const struct sc_table *t, char *obj,
    int kind, const uint64_t *given, struct sc_loc loc)
{
	size_t i;

	for (i = 0; i < t->n_fields; i++) {
		const struct sc_field *f = &t->fields[i];
		const char *def = field_default(t, f, kind);

		if ((given != NULL && sc_key_given(given, i)) ||
		    !field_applies(t, f, kind))
			continue;
		if (f->type == SC_FT_MAP) {
			apply_defaults(ld, f->sub, obj + f->off, 0, NULL, loc);
		} else if (def != NULL) {
			unsigned before = ld->n_errors;

			parse_text(ld, f, def, true, loc, obj);
			SIM_ASSERT(ld->n_errors == before,
			    "default '%s' of %s.%s does not parse", def,
			    t->name, f->name);
		}
	}
}

static int
find_field(const struct sc_table *t, const char *key)
{
	size_t i;

	for (i = 0; i < t->n_fields; i++)
		if (strcmp(t->fields[i].name, key) == 0)
			return (int)i;
	return -1;
}

/* part.kind of a registered assertion kind (scenario_section.h). */
#define KIND_REG (-1)

/* One table being filled from a mapping, with its given/bad keys. */
struct part {
	const struct sc_table *t;
	char *obj;
	uint64_t *keys;
	bool own_keys;
	bool lenient;	/* an unknown kind: its required keys are unknown */
	int kind;
};

static void
part_init(struct part *pt, const struct sc_table *t, char *obj)
{
	pt->t = t;
	pt->obj = obj;
	pt->kind = 0;
	pt->lenient = false;
	pt->own_keys = t->keys_off == SC_NO_OFF;
	pt->keys = pt->own_keys ? xcalloc(SC_KEYS_WORDS(t->n_fields) + 1,
	    sizeof(uint64_t)) : (uint64_t *)(obj + t->keys_off);
}

static bool
key_is(const yaml_node_t *k, const char *name)
{
	return k != NULL && k->type == YAML_SCALAR_NODE &&
	    k->data.scalar.length == strlen(name) &&
	    strcmp((const char *)k->data.scalar.value, name) == 0;
}

/* The value of key name in map, or NULL. */
static yaml_node_t *
value_of(struct sc_check *ld, yaml_node_t *map, const char *name)
{
	yaml_node_pair_t *p;

	for (p = map->data.mapping.pairs.start;
	    p < map->data.mapping.pairs.top; p++)
		if (key_is(yaml_document_get_node(ld->doc, p->key), name))
			return yaml_document_get_node(ld->doc, p->value);
	return NULL;
}

/* Where the first key named like the one at p was written. */
static struct sc_loc
first_key(struct sc_check *ld, yaml_node_t *map, yaml_node_pair_t *p,
    const char *name)
{
	yaml_node_pair_t *o;

	for (o = map->data.mapping.pairs.start; o < p; o++) {
		yaml_node_t *k = yaml_document_get_node(ld->doc, o->key);

		if (key_is(k, name))
			return loc_of(k);
	}
	return loc_of(yaml_document_get_node(ld->doc, p->key));
}

static void
unknown_key(struct sc_check *ld, struct part *pt, size_t n_parts,
    const yaml_node_t *k, const char *key)
{
	const char *s = NULL;
	char hint[200];
	size_t i, j, off;

	for (i = 0; i < n_parts && s == NULL; i++)
		s = suggest(ld, key, pt[i].t->fields, pt[i].t->n_fields,
		    sizeof(struct sc_field), offsetof(struct sc_field, name));
	if (s != NULL) {
		dym(ld, hint, sizeof(hint), s);
	} else {
		off = (size_t)snprintf(hint, sizeof(hint), " (valid keys: ");
		for (i = 0; i < n_parts; i++)
			for (j = 0; j < pt[i].t->n_fields &&
			    off < sizeof(hint); j++)
				off += (size_t)snprintf(hint + off,
				    sizeof(hint) - off, "%s%s",
				    i + j ? ", " : "", pt[i].t->fields[j].name);
		if (off < sizeof(hint))
			snprintf(hint + off, sizeof(hint) - off, ")");
	}
	if (strcmp(key, "<<") == 0)
		snprintf(hint, sizeof(hint), " (YAML merge keys are not "
		    "supported: alias whole values instead, e.g. loss: *lossy)");
	ld_error(ld, loc_of(k), "unknown key '%s' in %s%s", q(ld, key),
	    pt[0].t->name, hint);
}

static void
not_for_kind(struct sc_check *ld, const struct part *pt,
    const struct sc_field *f, const yaml_node_t *k)
{
	const struct sc_field *df = &pt->t->fields[pt->t->disc];
	char kinds[160];
	size_t off = 0, i;

	kinds[0] = '\0';
	for (i = 0; f->kinds[i] != NULL && off < sizeof(kinds); i++)
		off += (size_t)snprintf(kinds + off, sizeof(kinds) - off,
		    "%s%s", i ? ", " : "", f->kinds[i]);
	ld_error(ld, loc_of(k), "key '%s' does not apply when %s is %s (only "
	    "for %s)", f->name, df->name, df->names[pt->kind - 1], kinds);
}

/* Parse the discriminating or action field ahead of the rest. */
static bool
read_ahead(struct sc_check *ld, struct part *pt, int fi, yaml_node_t *map)
{
	const struct sc_field *f = &pt->t->fields[fi];
	yaml_node_t *v = value_of(ld, map, f->name);
	unsigned errs = ld->n_errors;

	if (v == NULL)
		return false;
	parse_value(ld, f, v, pt->obj);
	if (f->type == SC_FT_ENUM && ld->n_errors == errs)
		pt->kind = get_int(pt->obj, f->off);
	if (pt->kind == 0 && f->reg && get_ptr(pt->obj, f->off2) != NULL)
		pt->kind = KIND_REG;
	return ld->n_errors == errs;
}

static void
finish_part(struct sc_check *ld, struct part *pt, const char *what,
    struct sc_loc l)
{
	size_t i;

	for (i = 0; i < pt->t->n_fields; i++) {
		const struct sc_field *f = &pt->t->fields[i];

		if (sc_key_given(pt->keys, i) || !f->required)
			continue;
		if ((f->kinds != NULL && pt->kind == 0) || pt->lenient)
			continue;	/* the kind is missing or wrong */
		if (!field_applies(pt->t, f, pt->kind))
			continue;
		ld_error(ld, l, "%s is missing required key '%s' (%s)", what,
		    f->name, f->doc);
	}
	apply_defaults(ld, pt->t, pt->obj, pt->kind, pt->keys, l);
	if (pt->own_keys)
		free(pt->keys);
}

void
walk_map(struct sc_check *ld, const struct sc_table *t, yaml_node_t *map,
    char *obj)
{
	walk_map_ext(ld, t, map, obj, NULL, NULL);
}

void
walk_map_ext(struct sc_check *ld, const struct sc_table *t, yaml_node_t *map,
    char *obj, walk_other_fn *other, void *arg)
{
	struct part pt[2];
	size_t n_parts = 1, i;
	struct sc_loc l = loc_of(map);
	yaml_node_pair_t *p;
	int ahead = -1;
	bool ahead_ok = false, lenient = false;

	if (!visit(ld, map))
		return;
	if (t->loc_off != SC_NO_OFF)
		memcpy(obj + t->loc_off, &l, sizeof(l));
	part_init(&pt[0], t, obj);
	/* The kind or the action decides which keys apply: read it first. */
	if (t->disc >= 0) {
		ahead = t->disc;
		ahead_ok = read_ahead(ld, &pt[0], ahead, map);
		/*
		 * A kind that is neither built in nor registered: its keys
		 * may be a model's, so neither they nor missing ones can be
		 * judged (as for an unknown action).
		 */
		lenient = pt[0].lenient = !ahead_ok && t->fields[ahead].reg &&
		    value_of(ld, map, t->fields[ahead].name) != NULL;
		if (pt[0].kind == KIND_REG) {	/* its keys are its own */
			const struct sc_field *f = &t->fields[t->disc];
			const struct sc_assertion *a = get_ptr(obj, f->off2);

			part_init(&pt[1], a->table, get_ptr(obj, f->off3));
			if (a->table->loc_off != SC_NO_OFF)
				memcpy(pt[1].obj + a->table->loc_off, &l,
				    sizeof(l));
			n_parts = 2;
		}
	}
	for (i = 0; i < t->n_fields && ahead < 0; i++)
		if (t->fields[i].type == SC_FT_ACTION) {
			const struct sc_field *f = &t->fields[i];
			const struct sc_action *a;

			ahead = (int)i;
			ahead_ok = read_ahead(ld, &pt[0], ahead, map);
			/* An unknown action: its keys cannot be judged. */
			lenient = !ahead_ok &&
			    value_of(ld, map, f->name) != NULL;
			if (ahead_ok) {
				a = get_ptr(obj, f->off);
				part_init(&pt[1], a->table,
				    get_ptr(obj, f->off2));
				if (a->table->loc_off != SC_NO_OFF)
					memcpy(pt[1].obj + a->table->loc_off,
					    &l, sizeof(l));
				n_parts = 2;
			}
		}
	for (p = map->data.mapping.pairs.start;
	    p < map->data.mapping.pairs.top; p++) {
		yaml_node_t *k = yaml_document_get_node(ld->doc, p->key);
		yaml_node_t *v = yaml_document_get_node(ld->doc, p->value);
		struct part *in = NULL;
		const struct sc_field *f;
		struct sc_loc kl, vl;
		const char *key;
		unsigned errs;
		int fi = -1;

		if (k == NULL || v == NULL)
			continue;
		if (k->type != YAML_SCALAR_NODE) {
			ld_error(ld, loc_of(k), "a key of %s must be a plain "
			    "name, not %s", t->name, kind_of(k));
			continue;
		}
		key = (const char *)k->data.scalar.value;
		if (strlen(key) != k->data.scalar.length) {
			ld_error(ld, loc_of(k), "a key of %s contains a NUL "
			    "character", t->name);
			continue;
		}
		for (i = 0; i < n_parts && in == NULL; i++)
			if ((fi = find_field(pt[i].t, key)) >= 0)
				in = &pt[i];
		/*
		 * A registered kind: its own keys first (it may reuse a name
		 * of the table's); the table's others are unknown.
		 */
		if (pt[0].kind == KIND_REG && find_field(pt[1].t, key) >= 0) {
			fi = find_field(pt[1].t, key);
			in = &pt[1];
		} else if (pt[0].kind == KIND_REG && (in == NULL ||
		    !field_applies(t, &t->fields[fi], KIND_REG))) {
			unknown_key(ld, &pt[1], 1, k, key);
			continue;
		}
		if (in == NULL) {
			if ((other == NULL || !other(ld, k, v, key, arg)) &&
			    !lenient)
				unknown_key(ld, pt, n_parts, k, key);
			continue;
		}
		f = &in->t->fields[fi];
		if (sc_key_given(in->keys, (size_t)fi)) {
			kl = first_key(ld, map, p, key);
			ld_error(ld, loc_of(k), "duplicate key '%s' (first at "
			    "%u:%u)", key, kl.line, kl.col);
			continue;
		}
		set_bit(in->keys, (size_t)fi, 0);
		vl = loc_of(v);
		if (in->t->vloc_off != SC_NO_OFF)
			memcpy(in->obj + in->t->vloc_off + (size_t)fi *
			    sizeof(vl), &vl, sizeof(vl));
		if (in->kind > 0 && !field_applies(in->t, f, in->kind)) {
			not_for_kind(ld, in, f, k);
			continue;
		}
		if (in == &pt[0] && fi == ahead) {
			if (!ahead_ok)
				set_bit(in->keys, (size_t)fi, 1);
			continue;
		}
		errs = ld->n_errors;
		parse_value(ld, f, v, in->obj);
		if (ld->n_errors != errs)
			set_bit(in->keys, (size_t)fi, 1);
	}
	/* An action's keys are the event's, as far as the user sees. */
	for (i = 0; i < n_parts; i++)
		finish_part(ld, &pt[i], t->name, l);
}

/* --- freeing, by the same tables ------------------------------------- */

void
free_obj(const struct sc_table *t, char *obj)
{
	size_t i, j, n;

	for (i = 0; i < t->n_fields; i++) {
		const struct sc_field *f = &t->fields[i];

		switch (f->type) {
		case SC_FT_STRING:
		case SC_FT_NAME:
		case SC_FT_DST:
			free(get_ptr(obj, f->off));
			break;
		case SC_FT_ENUM: {
			const struct sc_assertion *a;
			char *args;

			if (f->enum_str)
				free(get_ptr(obj, f->off));
			if (!f->reg)
				break;
			a = get_ptr(obj, f->off2);
			args = get_ptr(obj, f->off3);
			if (a != NULL && args != NULL) {
				if (a->free != NULL)
					a->free(args);
				free_obj(a->table, args);
			}
			free(args);
			break;
		}
		case SC_FT_ENDPOINT:
			free(get_ptr(obj, f->off));
			free(get_ptr(obj, f->off2));
			break;
		case SC_FT_NAMES:
		case SC_FT_STRINGS: {
			char **v = get_ptr(obj, f->off);

			n = get_size(obj, f->off2);
			for (j = 0; j < n; j++)
				free(v[j]);
			free(v);
			free(get_ptr(obj, f->off3));
			break;
		}
		case SC_FT_KV: {
			struct sc_kv *kv = get_ptr(obj, f->off);

			n = get_size(obj, f->off2);
			for (j = 0; j < n; j++) {
				free(kv[j].key);
				free(kv[j].value);
			}
			free(kv);
			break;
		}
		case SC_FT_PCAP: {
			struct sc_capture *c = get_ptr(obj, f->off);

			n = get_size(obj, f->off2);
			for (j = 0; j < n; j++) {
				free(c[j].node);
				free(c[j].iface);
			}
			free(c);
			break;
		}
		case SC_FT_LIST:
			free_items(f->sub, get_ptr(obj, f->off),
			    get_size(obj, f->off2));
			break;
		case SC_FT_MAP:
			free_obj(f->sub, obj + f->off);
			break;
		case SC_FT_ACTION: {
			const struct sc_action *a = get_ptr(obj, f->off);
			char *args = get_ptr(obj, f->off2);

			if (a != NULL && args != NULL) {
				if (a->free != NULL)
					a->free(args);
				free_obj(a->table, args);
			}
			free(args);
			break;
		}
		default:
			break;
		}
	}
}

void
free_items(const struct sc_table *t, void *items, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free_obj(t, (char *)items + i * t->size);
	free(items);
}
