/*
 * scenario_expand.c - sections in a cloud's own terms adding the low-level
 * items they stand for to the parsed document (scenario_expand.h), and the
 * loader's part in it: checking those sections first, running their
 * expanders, walking again every list section they added to, and printing
 * the result for `xcsim expand` (sc_expanded_emit).
 *
 * The expanders build libyaml nodes in the loader's own document. libyaml
 * keeps nodes in one array that grows as nodes are added, so everything
 * here holds node ids, never yaml_node_t pointers across an addition.
 */
#include <stdlib.h>
#include <string.h>

#include "scenario_expand.h"
#include "scenario_load.h"
#include "sim.h"
#include "util.h"

#define EX_TEXT_MAX 4096	/* longest formatted scalar */

struct ex_list {
	const char *key;	/* a registered list section */
	int seq;
};

struct sc_expand {
	struct sc_check *ld;
	yaml_document_t *doc;
	int root;
	struct ex_list *lists;	/* the list sections added to */
	size_t n_lists;
};

static yaml_node_t *
node(const struct sc_expand *ex, int id)
{
	return id > 0 ? yaml_document_get_node(ex->doc, id) : NULL;
}

static void
place(struct sc_expand *ex, int id, struct sc_loc loc)
{
	yaml_node_t *n = node(ex, id);

	n->start_mark.line = loc.line > 0 ? loc.line - 1 : 0;
	n->start_mark.column = loc.col > 0 ? loc.col - 1 : 0;
	n->end_mark = n->start_mark;
}

static struct sc_loc
where(const struct sc_expand *ex, int id)
{
	yaml_node_t *n = node(ex, id);
	struct sc_loc l = { 1, 1 };

	return n != NULL ? loc_of(n) : l;
}

const struct scenario *
sc_ex_scenario(const struct sc_expand *ex)
{
	return ex->ld->sc;
}

const void *
sc_ex_section_items(const struct sc_expand *ex, const char *name, size_t *n)
{
	return scenario_section(ex->ld->sc, name, n);
}

int
sc_ex_map(struct sc_expand *ex, struct sc_loc loc)
{
	int id = yaml_document_add_mapping(ex->doc, NULL,
	    YAML_BLOCK_MAPPING_STYLE);

	if (id == 0)
		xcsim_oom();
	place(ex, id, loc);
	return id;
}

int
sc_ex_seq(struct sc_expand *ex, struct sc_loc loc)
{
	int id = yaml_document_add_sequence(ex->doc, NULL,
	    YAML_BLOCK_SEQUENCE_STYLE);

	if (id == 0)
		xcsim_oom();
	place(ex, id, loc);
	return id;
}

int
sc_ex_str(struct sc_expand *ex, struct sc_loc loc, const char *s)
{
	/*
	 * Plain, as a user would type it: the walker reads numbers and
	 * booleans only from plain scalars. The emitter quotes what cannot
	 * stay plain, and quoted strings read back the same. Text spelled
	 * like null is quoted here: plain, it would be no value at all.
	 */
	/* text spelled like YAML's null would read back as no value */
	bool null_like = s[0] == '\0' || strcmp(s, "~") == 0 ||
	    strcmp(s, "null") == 0 || strcmp(s, "Null") == 0 ||
	    strcmp(s, "NULL") == 0;
	int id = yaml_document_add_scalar(ex->doc, NULL,
	    (const yaml_char_t *)s, (int)strlen(s), null_like ?
	    YAML_DOUBLE_QUOTED_SCALAR_STYLE : YAML_PLAIN_SCALAR_STYLE);

	if (id == 0)
		xcsim_oom();
	place(ex, id, loc);
	return id;
}

static int
ex_vfmt(struct sc_expand *ex, struct sc_loc loc, const char *fmt, va_list ap)
{
	char buf[EX_TEXT_MAX];

	vsnprintf(buf, sizeof(buf), fmt, ap);
	return sc_ex_str(ex, loc, buf);
}

int
sc_ex_fmt(struct sc_expand *ex, struct sc_loc loc, const char *fmt, ...)
{
	va_list ap;
	int id;

	va_start(ap, fmt);
	id = ex_vfmt(ex, loc, fmt, ap);
	va_end(ap);
	return id;
}

void
sc_ex_append(struct sc_expand *ex, int seq, int item)
{
	if (seq <= 0 || item <= 0 || node(ex, seq)->type != YAML_SEQUENCE_NODE)
		return;
	if (!yaml_document_append_sequence_item(ex->doc, seq, item))
		xcsim_oom();
}

void
sc_ex_set(struct sc_expand *ex, int map, const char *key, int value)
{
	int k;

	if (map <= 0 || value <= 0 || node(ex, map)->type != YAML_MAPPING_NODE)
		return;
	k = sc_ex_str(ex, where(ex, map), key);
	if (!yaml_document_append_mapping_pair(ex->doc, map, k, value))
		xcsim_oom();
}

void
sc_ex_set_str(struct sc_expand *ex, int map, const char *key, const char *s)
{
	if (map > 0)
		sc_ex_set(ex, map, key, sc_ex_str(ex, where(ex, map), s));
}

void
sc_ex_set_fmt(struct sc_expand *ex, int map, const char *key,
    const char *fmt, ...)
{
	va_list ap;
	int id;

	if (map <= 0)
		return;
	va_start(ap, fmt);
	id = ex_vfmt(ex, where(ex, map), fmt, ap);
	va_end(ap);
	sc_ex_set(ex, map, key, id);
}

int
sc_ex_set_seq(struct sc_expand *ex, int map, const char *key)
{
	int id;

	if (map <= 0)
		return 0;
	id = sc_ex_seq(ex, where(ex, map));
	sc_ex_set(ex, map, key, id);
	return id;
}

int
sc_ex_set_map(struct sc_expand *ex, int map, const char *key)
{
	int id;

	if (map <= 0)
		return 0;
	id = sc_ex_map(ex, where(ex, map));
	sc_ex_set(ex, map, key, id);
	return id;
}

static bool
scalar_is(const yaml_node_t *n, const char *s)
{
	return n != NULL && n->type == YAML_SCALAR_NODE &&
	    strcmp((const char *)n->data.scalar.value, s) == 0;
}

int
sc_ex_get(const struct sc_expand *ex, int map, const char *key)
{
	yaml_node_t *m = node(ex, map);
	yaml_node_pair_t *p;

	if (m == NULL || m->type != YAML_MAPPING_NODE)
		return 0;
	for (p = m->data.mapping.pairs.start; p < m->data.mapping.pairs.top;
	    p++)
		if (scalar_is(node(ex, p->key), key))
			return p->value;
	return 0;
}

const char *
sc_ex_scalar(const struct sc_expand *ex, int id)
{
	yaml_node_t *n = node(ex, id);

	if (n == NULL || n->type != YAML_SCALAR_NODE)
		return NULL;
	return (const char *)n->data.scalar.value;
}

int
sc_ex_item(const struct sc_expand *ex, int seq, size_t i)
{
	yaml_node_t *s = node(ex, seq);

	if (s == NULL || s->type != YAML_SEQUENCE_NODE ||
	    i >= (size_t)(s->data.sequence.items.top -
	    s->data.sequence.items.start))
		return 0;
	return s->data.sequence.items.start[i];
}

void
sc_ex_error(struct sc_expand *ex, struct sc_loc loc, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	sc_check_error(ex->ld, loc, "%s", msg);
}

/* The registered list section key, or NULL. */
static const struct sc_section *
list_section(const char *key)
{
	const struct sc_section *s;
	size_t i;

	for (i = 0; (s = scenario_section_at(i)) != NULL; i++)
		if (strcmp(s->name, key) == 0)
			return s->list ? s : NULL;
	return NULL;
}

/* Remember that the list section key is added to (walked again later). */
static void
touch(struct sc_expand *ex, const char *key, int seq)
{
	size_t i;

	for (i = 0; i < ex->n_lists; i++)
		if (ex->lists[i].seq == seq)
			return;
	ex->lists = xrealloc(ex->lists, (ex->n_lists + 1) *
	    sizeof(*ex->lists));
	ex->lists[ex->n_lists].key = list_section(key)->name;
	ex->lists[ex->n_lists++].seq = seq;
}

int
sc_ex_list(struct sc_expand *ex, const char *key)
{
	int seq = sc_ex_get(ex, ex->root, key);

	SIM_ASSERT(list_section(key) != NULL, "expand: '%s' is not a "
	    "registered list section", key);
	if (seq == 0) {
		seq = sc_ex_seq(ex, where(ex, ex->root));
		sc_ex_set(ex, ex->root, key, seq);
	} else if (node(ex, seq)->type != YAML_SEQUENCE_NODE) {
		return 0;
	}
	touch(ex, key, seq);
	return seq;
}

int
sc_ex_find(struct sc_expand *ex, const char *list, const char *key,
    const char *value)
{
	int seq = sc_ex_get(ex, ex->root, list);
	yaml_node_t *s = node(ex, seq);
	yaml_node_item_t *it;

	if (s == NULL || s->type != YAML_SEQUENCE_NODE)
		return 0;
	for (it = s->data.sequence.items.start; it < s->data.sequence.items.top;
	    it++)
		if (scalar_is(node(ex, sc_ex_get(ex, *it, key)), value)) {
			/* the caller may add to the item: walk it again */
			touch(ex, list, seq);
			return *it;
		}
	return 0;
}

/* --- the loader's part ----------------------------------------------- */

/* A deep copy of node id (a YAML alias's target), placed where it was. */
static int
copy_node(yaml_document_t *doc, int id)
{
	yaml_node_t *n = yaml_document_get_node(doc, id);
	yaml_mark_t start = n->start_mark, end = n->end_mark;
	int c = 0, k, v;
	size_t i, len;

	switch (n->type) {
	case YAML_SCALAR_NODE:
		c = yaml_document_add_scalar(doc, n->tag, n->data.scalar.value,
		    (int)n->data.scalar.length, n->data.scalar.style);
		break;
	case YAML_SEQUENCE_NODE:
		c = yaml_document_add_sequence(doc, n->tag,
		    n->data.sequence.style);
		len = (size_t)(n->data.sequence.items.top -
		    n->data.sequence.items.start);
		for (i = 0; c != 0 && i < len; i++) {
			/* adding nodes moves the array: look it up again */
			n = yaml_document_get_node(doc, id);
			v = copy_node(doc, n->data.sequence.items.start[i]);
			if (!yaml_document_append_sequence_item(doc, c, v))
				xcsim_oom();
		}
		break;
	case YAML_MAPPING_NODE:
		c = yaml_document_add_mapping(doc, n->tag,
		    n->data.mapping.style);
		len = (size_t)(n->data.mapping.pairs.top -
		    n->data.mapping.pairs.start);
		for (i = 0; c != 0 && i < len; i++) {
			n = yaml_document_get_node(doc, id);
			k = n->data.mapping.pairs.start[i].key;
			v = copy_node(doc, n->data.mapping.pairs.start[i].value);
			if (!yaml_document_append_mapping_pair(doc, c, k, v))
				xcsim_oom();
		}
		break;
	case YAML_NO_NODE:
		break;
	}
	if (c == 0)
		xcsim_oom();
	n = yaml_document_get_node(doc, c);
	n->start_mark = start;
	n->end_mark = end;
	return c;
}

/*
 * Give every place an alias appears its own copy of the aliased value, so
 * that an expander adding to one user item (routes shared by an anchor)
 * adds to that item only. The walk bounded how far aliases expand before
 * this runs (there is no expansion after an error), so the copies are too.
 */
static void
unshare(yaml_document_t *doc, int id, uint8_t *seen, size_t n_orig)
{
	yaml_node_t *n = yaml_document_get_node(doc, id);
	size_t i, len;
	int *slot, child;

	if (n->type == YAML_SCALAR_NODE)
		return;
	len = n->type == YAML_SEQUENCE_NODE ?
	    (size_t)(n->data.sequence.items.top - n->data.sequence.items.start) :
	    (size_t)(n->data.mapping.pairs.top - n->data.mapping.pairs.start);
	for (i = 0; i < len; i++) {
		n = yaml_document_get_node(doc, id);
		slot = n->type == YAML_SEQUENCE_NODE ?
		    &n->data.sequence.items.start[i] :
		    &n->data.mapping.pairs.start[i].value;
		child = *slot;
		if ((size_t)child > n_orig)
			continue;	/* a copy made here: its own already */
		if (seen[child]) {
			child = copy_node(doc, child);
			n = yaml_document_get_node(doc, id);
			if (n->type == YAML_SEQUENCE_NODE)
				n->data.sequence.items.start[i] = child;
			else
				n->data.mapping.pairs.start[i].value = child;
			continue;
		}
		seen[child] = 1;
		unshare(doc, child, seen, n_orig);
	}
}

bool
sc_expanders_check(struct sc_check *ld)
{
	struct scenario *sc = ld->sc;
	size_t i;
	bool any = false;

	for (i = 0; i < sc->n_sections; i++) {
		struct sc_section_data *d = &sc->sections[i];

		if (d->sec->expand == NULL)
			continue;
		/* only a section the file gives stops the load on its errors */
		any = any || d->given;
		if (d->sec->check != NULL)
			d->sec->check(ld, d);
	}
	return any;
}

void
sc_expanders_run(struct sc_check *ld, yaml_document_t *doc)
{
	struct sc_expand ex = { ld, doc, 1, NULL, 0 };
	struct scenario *sc = ld->sc;
	size_t i, j, n_orig = (size_t)(doc->nodes.top - doc->nodes.start);
	uint8_t *seen = xcalloc(n_orig + 1, 1);

	seen[1] = 1;
	unshare(doc, 1, seen, n_orig);
	free(seen);

	for (i = 0; i < sc->n_sections; i++) {
		struct sc_section_data *d = &sc->sections[i];

		/* this runs only when the file gives an expander section */
		if (d->sec->expand != NULL &&
		    (d->given || d->sec->expand_always))
			d->sec->expand(&ex, d->items, d->n);
	}
	/* the document grew: the walk's budget follows it */
	ld->max_visits = ld->visits + 16 * (uint64_t)(doc->nodes.top -
	    doc->nodes.start) + 100000;
	for (j = 0; j < ex.n_lists; j++) {
		yaml_node_t *seq = yaml_document_get_node(doc, ex.lists[j].seq);

		for (i = 0; i < sc->n_sections; i++) {
			struct sc_section_data *d = &sc->sections[i];

			if (strcmp(d->sec->name, ex.lists[j].key) != 0)
				continue;
			free_items(d->sec->table, d->items, d->n);
			d->items = NULL;
			d->n = 0;
			if (!d->given)
				d->loc = loc_of(seq);
			d->given = true;
			walk_list(ld, d->sec->name, d->sec->table, seq,
			    &d->items, &d->n);
		}
	}
	free(ex.lists);
}

void
sc_expanders_strip(yaml_document_t *doc)
{
	yaml_node_t *root = yaml_document_get_root_node(doc);
	yaml_node_pair_t *p, *w;

	if (root == NULL || root->type != YAML_MAPPING_NODE)
		return;
	w = root->data.mapping.pairs.start;
	for (p = w; p < root->data.mapping.pairs.top; p++) {
		yaml_node_t *k = yaml_document_get_node(doc, p->key);
		const struct sc_section *s;
		bool drop = false;
		size_t i;

		for (i = 0; (s = scenario_section_at(i)) != NULL; i++)
			if (s->expand != NULL && scalar_is(k, s->name))
				drop = true;
		if (!drop)
			*w++ = *p;
	}
	root->data.mapping.pairs.top = w;
}

static int
emit_write(void *data, unsigned char *buf, size_t size)
{
	return fwrite(buf, 1, size, data) == size;
}

/* Print doc as YAML (libyaml's emitter deletes it), headed by a comment. */
static bool
emit_doc(yaml_document_t *doc, const char *name, FILE *out)
{
	yaml_emitter_t em;
	bool ok;

	fputs("# The low-level scenario `xcsim expand` built from ", out);
	fputs_escaped(name, out);
	fputs(":\n# what the cloud sections stand for; it runs as it is.\n",
	    out);
	if (!yaml_emitter_initialize(&em))
		xcsim_oom();
	yaml_emitter_set_output(&em, emit_write, out);
	yaml_emitter_set_unicode(&em, 1);
	yaml_emitter_set_width(&em, 100);
	if (!yaml_emitter_open(&em)) {
		yaml_document_delete(doc);
		ok = false;
	} else {
		/* dump deletes the document, whether it succeeds or not */
		ok = yaml_emitter_dump(&em, doc) && yaml_emitter_close(&em) &&
		    yaml_emitter_flush(&em);
	}
	yaml_emitter_delete(&em);
	return ok && !ferror(out);
}

/*
 * The output of `expand --seed N` says seed: N, so that it runs as the file
 * runs with --seed N (its plan was drawn from N).
 */
static void
set_root_seed(yaml_document_t *doc, uint64_t seed)
{
	yaml_node_t *root = yaml_document_get_root_node(doc), *k;
	int root_id = (int)(root - doc->nodes.start) + 1, v, key;
	yaml_node_pair_t *p;
	char buf[24];

	snprintf(buf, sizeof(buf), "%llu", (unsigned long long)seed);
	/* adding a node may move the nodes: root is not used past here */
	v = yaml_document_add_scalar(doc, NULL, (yaml_char_t *)buf,
	    (int)strlen(buf), YAML_PLAIN_SCALAR_STYLE);
	if (v == 0)
		xcsim_oom();
	root = yaml_document_get_node(doc, root_id);
	for (p = root->data.mapping.pairs.start;
	    p < root->data.mapping.pairs.top; p++) {
		k = yaml_document_get_node(doc, p->key);
		if (k->type == YAML_SCALAR_NODE && k->data.scalar.length == 4 &&
		    memcmp(k->data.scalar.value, "seed", 4) == 0) {
			p->value = v;
			return;
		}
	}
	key = yaml_document_add_scalar(doc, NULL, (yaml_char_t *)"seed", 4,
	    YAML_PLAIN_SCALAR_STYLE);
	if (key == 0 || !yaml_document_append_mapping_pair(doc, root_id, key,
	    v))
		xcsim_oom();
}

bool
sc_expanded_emit(yaml_document_t *doc, const char *name,
    const struct sc_load_opts *o, FILE *out)
{
	sc_expanders_strip(doc);
	if (o != NULL && o->seed_set)
		set_root_seed(doc, o->seed);
	return emit_doc(doc, name, out);
}
