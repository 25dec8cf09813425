/*
 * cmp_input.c - each case's scenario text: a design, the --set values
 * written over its own, the traffic file's apps and assertions in place of
 * its own.
 *
 * Everything is done on the text, never by printing a tree again, so that
 * the loader's messages keep their places: a --set value is written over
 * the bytes of the value it replaces (same line), the design's apps and
 * assertions are blanked to as many empty lines, and the traffic file is
 * appended whole after the design's last line, so that a message about
 * line L of that part is about line L - base_lines of the traffic file
 * (cmp_case_load renames those).
 *
 * Endpoints: an app's node and dst and an assertion's node, as the traffic
 * file writes them, name a node of the design, or else a role that exactly
 * one node of the design has (azure-vm, oci-instance, ...): the text then
 * gets that node's name. An address stays as it is.
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <yaml.h>

#include "cmp_int.h"
#include "scenario.h"
#include "scenario_expand.h"
#include "util.h"

uint64_t
cmp_hash(uint64_t h, const void *p, size_t n)
{
	const unsigned char *b = p;
	size_t i;

	for (i = 0; i < n; i++) {
		h ^= b[i];
		h *= 0x100000001b3ULL;	/* FNV-1a 64 */
	}
	return h;
}

static char *
slurp(const char *path, size_t *lenp, FILE *diag)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	size_t len = 0, cap = 0, got;

	if (f == NULL) {
		fprintf(diag, "xcsim compare: ");
		fputs_escaped(path, diag);
		fprintf(diag, ": %s\n", strerror(errno));
		return NULL;
	}
	do {
		if (len + 4096 + 1 > cap) {
			cap = cap ? cap * 2 : 8192;
			buf = xrealloc(buf, cap);
		}
		got = fread(buf + len, 1, cap - len - 1, f);
		len += got;
	} while (got > 0 && len <= SC_INPUT_MAX);
	if (ferror(f) || len > SC_INPUT_MAX) {
		fprintf(diag, "xcsim compare: ");
		fputs_escaped(path, diag);
		fprintf(diag, ": %s\n", ferror(f) ? "read error" :
		    "larger than a scenario may be");
		fclose(f);
		free(buf);
		return NULL;
	}
	fclose(f);
	buf[len] = '\0';
	*lenp = len;
	return buf;
}

/* Parse text; false after printing the syntax error at its place. */
static bool
parse(const char *name, const char *text, size_t len, yaml_document_t *doc,
    FILE *diag)
{
	yaml_parser_t p;
	bool ok;

	yaml_parser_initialize(&p);
	yaml_parser_set_input_string(&p, (const unsigned char *)text, len);
	ok = yaml_parser_load(&p, doc) != 0;
	if (!ok) {
		fputs_escaped(name, diag);
		fprintf(diag, ":%zu:%zu: error: %s\n", p.problem_mark.line + 1,
		    p.problem_mark.column + 1, p.problem ? p.problem :
		    "not YAML");
	} else if (yaml_document_get_root_node(doc) == NULL) {
		fputs_escaped(name, diag);
		fputs(":1:1: error: empty file\n", diag);
		yaml_document_delete(doc);
		ok = false;
	}
	yaml_parser_delete(&p);
	return ok;
}

static yaml_node_t *
map_get(yaml_document_t *doc, yaml_node_t *m, const char *key,
    yaml_node_t **keyp)
{
	yaml_node_pair_t *q;

	if (m == NULL || m->type != YAML_MAPPING_NODE)
		return NULL;
	for (q = m->data.mapping.pairs.start; q < m->data.mapping.pairs.top;
	    q++) {
		yaml_node_t *k = yaml_document_get_node(doc, q->key);

		if (k != NULL && k->type == YAML_SCALAR_NODE &&
		    strcmp((char *)k->data.scalar.value, key) == 0) {
			if (keyp != NULL)
				*keyp = k;
			return yaml_document_get_node(doc, q->value);
		}
	}
	return NULL;
}

int
cmp_design_load(struct cmp_design *d, const char *path, FILE *diag)
{
	const char *base = strrchr(path, '/');
	unsigned nerr = 0;
	size_t n;

	memset(d, 0, sizeof(*d));
	d->path = xstrdup(path);
	base = base ? base + 1 : path;
	n = strlen(base);
	if (n > 5 && strcmp(base + n - 5, ".yaml") == 0)
		n -= 5;
	else if (n > 4 && strcmp(base + n - 4, ".yml") == 0)
		n -= 4;
	d->name = xmalloc(n + 1);
	memcpy(d->name, base, n);
	d->name[n] = '\0';
	if (d->name[0] == '.' || d->name[0] == '\0')
		d->name[0] = '_';
	if ((d->text = slurp(path, &d->len, diag)) == NULL)
		return -1;
	d->sc = scenario_load_buffer(path, d->text, d->len, diag, &nerr);
	if (d->sc == NULL) {
		fputs_escaped(path, diag);
		fprintf(diag, ": %u error%s\n", nerr, nerr == 1 ? "" : "s");
		return -1;
	}
	return 0;
}

void
cmp_design_free(struct cmp_design *d)
{
	free(d->path);
	free(d->name);
	free(d->text);
	free(d->xtext);
	if (d->sc != NULL)
		scenario_free(d->sc);
	memset(d, 0, sizeof(*d));
}

int
cmp_traffic_load(struct cmp_traffic *t, const char *path, FILE *diag)
{
	yaml_document_t doc;
	yaml_node_t *root;
	yaml_node_pair_t *q;
	int rc = 0;

	memset(t, 0, sizeof(*t));
	t->path = path;
	if ((t->text = slurp(path, &t->len, diag)) == NULL)
		return -1;
	if (!parse(path, t->text, t->len, &doc, diag))
		return -1;
	root = yaml_document_get_root_node(&doc);
	/* appended to each design: one implicit document, a block mapping */
	if (!doc.start_implicit || root->type != YAML_MAPPING_NODE ||
	    root->data.mapping.style == YAML_FLOW_MAPPING_STYLE) {
		fputs_escaped(path, diag);
		fprintf(diag, ":%zu:%zu: error: a traffic file is a block "
		    "mapping with apps and assertions, without '---' (it is "
		    "appended to each design)\n", root->start_mark.line + 1,
		    root->start_mark.column + 1);
		rc = -1;
	}
	for (q = root->data.mapping.pairs.start; rc == 0 &&
	    q < root->data.mapping.pairs.top; q++) {
		yaml_node_t *k = yaml_document_get_node(&doc, q->key);

		if (k->type == YAML_SCALAR_NODE && (strcmp((char *)
		    k->data.scalar.value, "apps") == 0 || strcmp((char *)
		    k->data.scalar.value, "assertions") == 0))
			continue;
		fputs_escaped(path, diag);
		fprintf(diag, ":%zu:%zu: error: a traffic file holds apps and "
		    "assertions only (the rest is the design's)\n",
		    k->start_mark.line + 1, k->start_mark.column + 1);
		rc = -1;
	}
	yaml_document_delete(&doc);
	return rc;
}

/* --- edits of a text: replace [start, end) by rep, applied last first --- */

struct edit {
	size_t start, end;
	char *rep;
};

struct edits {
	struct edit *e;
	size_t n, cap;
};

static void
edit_add(struct edits *x, size_t start, size_t end, const char *rep)
{
	if (x->n == x->cap) {
		x->cap = x->cap ? x->cap * 2 : 8;
		x->e = xrealloc(x->e, x->cap * sizeof(*x->e));
	}
	x->e[x->n++] = (struct edit){ start, end, xstrdup(rep) };
}

static int
edit_cmp(const void *a, const void *b)
{
	const struct edit *x = a, *y = b;

	return x->start < y->start ? -1 : x->start > y->start;
}

/* text with the edits applied (they must not overlap), NUL-terminated. */
static char *
edits_apply(struct edits *x, const char *text, size_t len, size_t *outlen)
{
	size_t i, at = 0, n = 0, cap = len + 1;
	char *out;

	if (x->n > 0)
		qsort(x->e, x->n, sizeof(*x->e), edit_cmp);
	for (i = 0; i < x->n; i++)
		cap += strlen(x->e[i].rep);
	out = xmalloc(cap);
	for (i = 0; i < x->n; i++) {
		if (x->e[i].start < at)
			continue;	/* inside one applied already */
		memcpy(out + n, text + at, x->e[i].start - at);
		n += x->e[i].start - at;
		memcpy(out + n, x->e[i].rep, strlen(x->e[i].rep));
		n += strlen(x->e[i].rep);
		at = x->e[i].end;
	}
	memcpy(out + n, text + at, len - at);
	n += len - at;
	out[n] = '\0';
	*outlen = n;
	return out;
}

static void
edits_free(struct edits *x)
{
	size_t i;

	for (i = 0; i < x->n; i++)
		free(x->e[i].rep);
	free(x->e);
}

/* The newlines of [a, b) of text: what blanking it keeps. */
static void
edit_blank(struct edits *x, const char *text, size_t a, size_t b)
{
	char *nl;
	size_t i, k = 0;

	for (i = a; i < b; i++)
		k += text[i] == '\n';
	nl = xmalloc(k + 1);
	memset(nl, '\n', k);
	nl[k] = '\0';
	edit_add(x, a, b, nl);
	free(nl);
}

/* v as a YAML scalar: plain when that reads back as the same text. */
static char *
yaml_scalar(const char *v)
{
	size_t i, n = strlen(v);
	bool plain = n > 0 && (isalnum((unsigned char)v[0]) || v[0] == '_' ||
	    v[0] == '.' || v[0] == '/' || v[0] == '+');
	char *out, *o;

	for (i = 0; plain && i < n; i++)
		if (!isalnum((unsigned char)v[i]) && strchr("_./+-:",
		    v[i]) == NULL)
			plain = false;
	if (plain && v[n - 1] == ':')
		plain = false;
	if (plain)
		return xstrdup(v);
	o = out = xmalloc(2 * n + 3);
	*o++ = '"';
	for (i = 0; i < n; i++) {
		if (v[i] == '"' || v[i] == '\\')
			*o++ = '\\';
		*o++ = v[i];
	}
	*o++ = '"';
	*o = '\0';
	return out;
}

/*
 * Find path (segments seg[0..n)) under node: a mapping's key, or in a
 * sequence the item called so (name:) or of that index; a name may hold
 * dots, so the longest run of segments naming an item is tried first.
 * The scalar at the end, or for a missing last key of a mapping that
 * mapping (*missing set). NULL when the path leads nowhere; why in why.
 */
static yaml_node_t *
path_find(yaml_document_t *doc, yaml_node_t *node, char **seg, size_t n,
    bool *missing, char *why, size_t whylen)
{
	size_t j;

	if (n == 0) {
		if (node->type == YAML_SCALAR_NODE)
			return node;
		snprintf(why, whylen, "it is a %s, not one value",
		    node->type == YAML_MAPPING_NODE ? "mapping" : "list");
		return NULL;
	}
	if (node->type == YAML_MAPPING_NODE) {
		/* keys hold no dots: one segment */
		yaml_node_t *v = map_get(doc, node, seg[0], NULL);

		if (v != NULL)
			return path_find(doc, v, seg + 1, n - 1, missing, why,
			    whylen);
		if (n == 1) {
			*missing = true;
			return node;
		}
		snprintf(why, whylen, "no '%s' at line %zu", seg[0],
		    node->start_mark.line + 1);
		return NULL;
	}
	if (node->type != YAML_SEQUENCE_NODE) {
		snprintf(why, whylen, "'%s' goes past a value (line %zu)",
		    seg[0], node->start_mark.line + 1);
		return NULL;
	}
	for (j = n; j > 0; j--) {
		yaml_node_item_t *it;
		char name[256] = "";
		size_t k, len = 0;

		for (k = 0; k < j; k++)
			len += (size_t)snprintf(name + len, sizeof(name) -
			    (len < sizeof(name) ? len : sizeof(name)),
			    "%s%s", k ? "." : "", seg[k]);
		if (len >= sizeof(name))
			continue;
		for (it = node->data.sequence.items.start;
		    it < node->data.sequence.items.top; it++) {
			yaml_node_t *item = yaml_document_get_node(doc, *it),
			    *nm = map_get(doc, item, "name", NULL);
			char idx[24];

			snprintf(idx, sizeof(idx), "%td",
			    it - node->data.sequence.items.start);
			if ((nm != NULL && nm->type == YAML_SCALAR_NODE &&
			    strcmp((char *)nm->data.scalar.value, name) == 0) ||
			    (j == 1 && strcmp(idx, name) == 0)) {
				yaml_node_t *r = path_find(doc, item, seg + j,
				    n - j, missing, why, whylen);

				if (r != NULL)
					return r;
			}
		}
	}
	snprintf(why, whylen, "no item called '%s' in the list at line %zu",
	    seg[0], node->start_mark.line + 1);
	return NULL;
}

/* Split a --set field at its dots (the caller frees seg[0] and seg). */
static char **
split(const char *field, size_t *n)
{
	char *s = xstrdup(field), *p, **seg;
	size_t k = 1;

	for (p = s; *p; p++)
		k += *p == '.';
	seg = xcalloc(k, sizeof(*seg));
	*n = 0;
	for (p = s; p != NULL; ) {
		seg[(*n)++] = p;
		if ((p = strchr(p, '.')) != NULL)
			*p++ = '\0';
	}
	return seg;
}

/*
 * Write value at field in doc's text: an edit, or false with why. A key
 * missing from a flow mapping, or from the root, is added.
 */
static bool
set_in(yaml_document_t *doc, const char *text, size_t len, const char *field,
    const char *value, struct edits *x, char *why, size_t whylen)
{
	size_t n;
	char **seg = split(field, &n), *v = yaml_scalar(value), *rep;
	bool missing = false, ok = true;
	yaml_node_t *root = yaml_document_get_root_node(doc), *at;

	at = path_find(doc, root, seg, n, &missing, why, whylen);
	if (at == NULL) {
		ok = false;
	} else if (!missing) {
		edit_add(x, at->start_mark.index, at->end_mark.index, v);
	} else if (at->type == YAML_MAPPING_NODE &&
	    at->data.mapping.style == YAML_FLOW_MAPPING_STYLE &&
	    at->end_mark.index > 0 && text[at->end_mark.index - 1] == '}') {
		rep = xmalloc(strlen(seg[n - 1]) + strlen(v) + 8);
		sprintf(rep, "%s%s: %s }", at->data.mapping.pairs.top >
		    at->data.mapping.pairs.start ? ", " : "", seg[n - 1], v);
		edit_add(x, at->end_mark.index - 1, at->end_mark.index, rep);
		free(rep);
	} else if (at == root) {
		rep = xmalloc(strlen(seg[n - 1]) + strlen(v) + 8);
		sprintf(rep, "%s%s: %s\n", len > 0 && text[len - 1] != '\n' ?
		    "\n" : "", seg[n - 1], v);
		edit_add(x, len, len, rep);
		free(rep);
	} else {
		snprintf(why, whylen, "the mapping at line %zu has no '%s' "
		    "(write one in the file to sweep it)",
		    at->start_mark.line + 1, seg[n - 1]);
		ok = false;
	}
	free(v);
	free(seg[0]);
	free(seg);
	return ok;
}

/* The design's node called name, or the one node with that role. */
static const char *
endpoint(const struct scenario *sc, const char *name, size_t len,
    char *why, size_t whylen)
{
	const char *found = NULL;
	size_t i, k = 0;

	for (i = 0; i < sc->n_nodes; i++)
		if (strlen(sc->nodes[i].name) == len &&
		    strncmp(sc->nodes[i].name, name, len) == 0)
			return sc->nodes[i].name;
	for (i = 0; i < sc->n_nodes; i++)
		if (sc->nodes[i].role != NULL &&
		    strlen(sc->nodes[i].role) == len &&
		    strncmp(sc->nodes[i].role, name, len) == 0) {
			found = sc->nodes[i].name;
			k++;
		}
	if (k == 1)
		return found;
	snprintf(why, whylen, k == 0 ? "'%.*s' is neither a node nor the "
	    "role of a node" : "'%.*s' is the role of %zu nodes: name one",
	    (int)len, name, k);
	return NULL;
}

/* Rename the endpoints of the traffic's items under key to d's nodes. */
static int
resolve(yaml_document_t *doc, const char *key, const char *const *fields,
    const struct cmp_design *d, const struct cmp_traffic *t,
    struct edits *x, FILE *diag)
{
	yaml_node_t *list = map_get(doc, yaml_document_get_root_node(doc),
	    key, NULL);
	yaml_node_item_t *it;
	int rc = 0;

	if (list == NULL || list->type != YAML_SEQUENCE_NODE)
		return 0;	/* the loader says what is wrong */
	for (it = list->data.sequence.items.start;
	    it < list->data.sequence.items.top; it++) {
		yaml_node_t *item = yaml_document_get_node(doc, *it);
		size_t f;

		for (f = 0; fields[f] != NULL; f++) {
			yaml_node_t *v = map_get(doc, item, fields[f], NULL);
			const char *s, *colon, *to;
			char why[200];
			size_t len;

			if (v == NULL || v->type != YAML_SCALAR_NODE)
				continue;
			s = (const char *)v->data.scalar.value;
			if (isdigit((unsigned char)s[0]))
				continue;	/* an address */
			colon = strchr(s, ':');
			len = colon ? (size_t)(colon - s) : strlen(s);
			if ((to = endpoint(d->sc, s, len, why,
			    sizeof(why))) == NULL) {
				fputs_escaped(t->path, diag);
				fprintf(diag, ":%zu:%zu: error: %s in design ",
				    v->start_mark.line + 1,
				    v->start_mark.column + 1, why);
				fputs_escaped(d->path, diag);
				fputc('\n', diag);
				rc = -1;
				continue;
			}
			if (strlen(to) != len || strncmp(to, s, len) != 0) {
				char *rep = xmalloc(strlen(to) + strlen(s) +
				    1);

				sprintf(rep, "%s%s", to, colon ? colon : "");
				edit_add(x, v->start_mark.index,
				    v->end_mark.index, rep);
				free(rep);
			}
		}
	}
	return rc;
}

/* The design's expansion (once), for --set paths only it has. */
static int
expansion(struct cmp_design *d, FILE *diag)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f;
	int rc;

	if (d->xtext != NULL)
		return 0;
	if ((f = open_memstream(&buf, &len)) == NULL)
		return -1;
	rc = scenario_expand_print(d->path, f, diag);
	fclose(f);
	if (rc != 0) {
		free(buf);
		return -1;
	}
	d->xtext = buf;
	d->xlen = len;
	return 0;
}

static unsigned
count_lines(const char *s, size_t n)
{
	unsigned k = 0;
	size_t i;

	for (i = 0; i < n; i++)
		k += s[i] == '\n';
	return k;
}

int
cmp_case_build(struct cmp_case *cs, struct cmp_design *d,
    const struct cmp_traffic *t, const struct cmp_set *sets,
    const size_t *vi, size_t nsets, FILE *diag)
{
	static const char *const app_fields[] = { "node", "dst", NULL };
	static const char *const as_fields[] = { "node", NULL };
	yaml_document_t bdoc, tdoc;
	struct edits bx = { 0 }, tx = { 0 };
	const char *base = d->text;
	size_t blen = d->len, k, tlen = 0, blen2;
	bool expanded = false, have_t = false;
	char why[300], *btext, *ttext = NULL;
	int rc = -1;

	if (!parse(d->path, base, blen, &bdoc, diag))
		return -1;
	if (t != NULL) {
		if (!parse(t->path, t->text, t->len, &tdoc, diag))
			goto out;
		have_t = true;
	}
	for (k = 0; k < nsets; k++) {
		const char *f = sets[k].field, *v = sets[k].values[vi[k]];
		bool in_t = have_t && (strncmp(f, "apps.", 5) == 0 ||
		    strncmp(f, "assertions.", 11) == 0);

		if (in_t) {
			if (!set_in(&tdoc, t->text, t->len, f, v, &tx, why,
			    sizeof(why))) {
				fprintf(diag, "xcsim compare: --set %s: %s in "
				    "%s\n", f, why, t->path);
				goto out;
			}
			continue;
		}
		if (set_in(&bdoc, base, blen, f, v, &bx, why, sizeof(why)))
			continue;
		if (expanded || expansion(d, diag) < 0) {
			fprintf(diag, "xcsim compare: --set %s: %s in %s%s\n",
			    f, why, d->path, expanded ? " (expanded)" : "");
			goto out;
		}
		/* Only the expansion has it: start again from there. */
		yaml_document_delete(&bdoc);
		edits_free(&bx);
		edits_free(&tx);
		memset(&bx, 0, sizeof(bx));
		memset(&tx, 0, sizeof(tx));
		base = d->xtext;
		blen = d->xlen;
		expanded = true;
		if (!parse(d->path, base, blen, &bdoc, diag)) {
			expanded = false;	/* bdoc is gone */
			goto out_t;
		}
		k = (size_t)-1;		/* every set again, on it */
	}
	if (have_t) {
		yaml_node_t *root = yaml_document_get_root_node(&bdoc), *kn,
		    *v;
		const char *key[2] = { "apps", "assertions" };
		int i;

		for (i = 0; i < 2; i++)
			if ((v = map_get(&bdoc, root, key[i], &kn)) != NULL)
				edit_blank(&bx, base, kn->start_mark.index,
				    v->end_mark.index);
		if (resolve(&tdoc, "apps", app_fields, d, t, &tx, diag) < 0 ||
		    resolve(&tdoc, "assertions", as_fields, d, t, &tx,
		    diag) < 0)
			goto out;
		ttext = edits_apply(&tx, t->text, t->len, &tlen);
	}
	btext = edits_apply(&bx, base, blen, &blen2);
	cs->base_lines = count_lines(btext, blen2) + (blen2 > 0 &&
	    btext[blen2 - 1] != '\n');
	cs->len = blen2 + (cs->base_lines > count_lines(btext, blen2)) + tlen;
	cs->text = xmalloc(cs->len + 1);
	memcpy(cs->text, btext, blen2);
	if (cs->base_lines > count_lines(btext, blen2))
		cs->text[blen2++] = '\n';
	if (ttext != NULL)
		memcpy(cs->text + blen2, ttext, tlen);
	cs->text[cs->len] = '\0';
	if (!have_t)
		cs->base_lines = (unsigned)-1;
	free(btext);
	cs->hash = cmp_hash(0xcbf29ce484222325ULL, cs->text, cs->len);
	rc = 0;
out:
	yaml_document_delete(&bdoc);
out_t:
	if (have_t)
		yaml_document_delete(&tdoc);
	edits_free(&bx);
	edits_free(&tx);
	free(ttext);
	return rc;
}

/*
 * The loader's messages about lines of the traffic's part, renamed to
 * the traffic file and its lines.
 */
static void
rename_diag(const char *msgs, const struct cmp_case *cs, const char *name,
    const struct cmp_traffic *t, FILE *diag)
{
	size_t nl = strlen(name);
	const char *p = msgs;

	while (*p) {
		const char *e = strchr(p, '\n');
		size_t n = e ? (size_t)(e - p + 1) : strlen(p);
		unsigned long line;
		char *end;

		if (t != NULL && strncmp(p, name, nl) == 0 && p[nl] == ':' &&
		    (line = strtoul(p + nl + 1, &end, 10)) > cs->base_lines &&
		    *end == ':') {
			fputs_escaped(t->path, diag);
			fprintf(diag, ":%lu", line - cs->base_lines);
			fwrite(end, 1, n - (size_t)(end - p), diag);
		} else {
			fwrite(p, 1, n, diag);
		}
		p += n;
	}
}

struct scenario *
cmp_case_load(const struct cmp_case *cs, const struct cmp_design *d,
    const struct cmp_traffic *t, uint64_t seed, FILE *diag)
{
	struct sc_load_opts lo = { true, seed };
	struct scenario *sc;
	char *buf = NULL;
	size_t len = 0;
	unsigned nerr = 0;
	FILE *f;

	if ((f = open_memstream(&buf, &len)) == NULL)
		return NULL;
	/* the loader escapes control characters: names print as given */
	sc = scenario_load_buffer_opts(d->path, cs->text, cs->len, &lo, f,
	    &nerr);
	fclose(f);
	if (buf != NULL)
		rename_diag(buf, cs, d->path, t, diag);
	free(buf);
	if (sc == NULL) {
		fprintf(diag, "xcsim compare: ");
		fputs_escaped(d->path, diag);
		fprintf(diag, "%s%s: %u error%s\n", t ? " with " : "",
		    t ? t->path : "", nerr, nerr == 1 ? "" : "s");
	}
	return sc;
}
