/*
 * scenario_checks.c - the checks file of xcsim run --check: loading it
 * against a scenario's names, judging, scoring and reporting
 * (scenario_checks.h, docs/grading.md).
 *
 * The checks file is walked by the loader's own machinery, with the
 * scenario's name spaces still alive (sc_load_then): each check is split
 * into its own keys (name, points) and the assertion's (every other key),
 * walked with the assertions section's table, so a check reads exactly as
 * a scenario's assertion does and gets the same messages. Splitting adds
 * two mappings to the checks file's YAML document per check; they share
 * the original's key and value nodes, so every place stays the file's.
 */
#include <stdlib.h>
#include <string.h>

#include "scenario_checks.h"
#include "scenario_load.h"
#include "scenario_run.h"
#include "sim.h"

enum { CK_NAME, CK_POINTS, CK_F_MAX };
enum { CF_NAME, CF_DESCRIPTION, CF_F_MAX };

struct chk {
	char *name;
	uint32_t points;
	struct sc_loc loc;
	struct sc_loc vloc[CK_F_MAX];
	uint64_t keys[SC_KEYS_WORDS(CK_F_MAX)];
	struct sc_assert as;	/* walked here; moved into the scenario */
	const char *kind;	/* the assertion kind's name */
	bool resolved;
	size_t idx;		/* in sc->asserts, once resolved */
	char *why;		/* why it did not resolve */
	bool judged, pass;
	char *msg;
};

struct own {			/* one of the scenario's own assertions */
	uint32_t line;
	const char *kind;
	bool pass;
	char *msg;
};

struct sc_checks {
	char *name, *description;	/* the checks file's own keys */
	struct sc_loc loc;
	struct sc_loc vloc[CF_F_MAX];
	uint64_t keys[SC_KEYS_WORDS(CF_F_MAX)];
	char *file, *scenario_file;
	struct chk *v;
	size_t n;
	struct own *own;
	size_t n_own;
	bool judged;
	/* while loading */
	const char *text;
	size_t len;
	int rc;
	int checks_node;		/* the checks list's node id, 0 = none */
	struct sc_loc checks_loc;
};

static const struct sc_field chk_fields[] = {
	[CK_NAME] = { "name", SC_FT_STRING, SC_AT(struct chk, name),
		.required = true, .doc = "what the check checks, as the "
		    "report names it (unique in the file)" },
	[CK_POINTS] = { "points", SC_FT_UINT, SC_AT(struct chk, points),
		.min = 0, .max = SC_CHECK_POINTS_MAX, .def = "1",
		.doc = "what it is worth when it passes" },
};

static const struct sc_table chk_table = {
	"check", "A graded assertion: any assertion kind, its keys, and name "
	"and points.", chk_fields, SC_NFIELDS(chk_fields), sizeof(struct chk),
	offsetof(struct chk, loc), offsetof(struct chk, vloc),
	offsetof(struct chk, keys), -1
};

static const struct sc_field cf_fields[] = {
	[CF_NAME] = { "name", SC_FT_STRING, SC_AT(struct sc_checks, name),
		.def_doc = "none", .doc = "the lab's name" },
	[CF_DESCRIPTION] = { "description", SC_FT_STRING,
		SC_AT(struct sc_checks, description), .def_doc = "none",
		.doc = "one line on what is graded" },
};

static const struct sc_table cf_table = {
	"checks file", "An instructor's checks.", cf_fields,
	SC_NFIELDS(cf_fields), sizeof(struct sc_checks),
	offsetof(struct sc_checks, loc), offsetof(struct sc_checks, vloc),
	offsetof(struct sc_checks, keys), -1
};

/* The root's checks key: kept for after the walk (it adds nodes). */
static bool
root_other(struct sc_check *ck, yaml_node_t *k, yaml_node_t *v,
    const char *key, void *arg)
{
	struct sc_checks *c = arg;

	if (strcmp(key, "checks") != 0)
		return false;
	if (c->checks_node != 0) {
		ld_error(ck, loc_of(k), "duplicate key 'checks' (first at "
		    "%u:%u)", c->checks_loc.line, c->checks_loc.col);
		return true;
	}
	c->checks_node = (int)(v - ck->doc->nodes.start) + 1;
	c->checks_loc = loc_of(k);
	return true;
}

static const char *
kind_name(const struct sc_assert *as)
{
	if (as->reg != NULL)
		return as->reg->name;
	return as->kind > 0 ? sc_assert_kinds[as->kind - 1] : "?";
}

static int
new_map(yaml_document_t *doc, int like)
{
	int id = yaml_document_add_mapping(doc, NULL,
	    YAML_BLOCK_MAPPING_STYLE);
	yaml_node_t *n, *o;

	if (id == 0)
		xcsim_oom();	/* libyaml's only failure here */
	n = yaml_document_get_node(doc, id);
	o = yaml_document_get_node(doc, like);
	n->start_mark = o->start_mark;
	n->end_mark = o->end_mark;
	return id;
}

/* One check: its own keys and the assertion's, each walked by its table. */
static void
walk_check(struct sc_check *ck, struct sc_checks *c, struct chk *k, int id)
{
	yaml_document_t *doc = ck->doc;
	yaml_node_t *it = yaml_document_get_node(doc, id);
	int own, rest;
	size_t i, np;

	k->loc = loc_of(it);
	if (it->type != YAML_MAPPING_NODE) {
		ld_error(ck, loc_of(it), "each item of 'checks' must be a "
		    "mapping (an assertion with name and points), got %s",
		    is_null(it) ? "nothing" : kind_of(it));
		return;
	}
	own = new_map(doc, id);
	rest = new_map(doc, id);
	it = yaml_document_get_node(doc, id);
	np = (size_t)(it->data.mapping.pairs.top - it->data.mapping.pairs.start);
	for (i = 0; i < np; i++) {
		yaml_node_pair_t p;
		yaml_node_t *kn;
		bool mine;

		it = yaml_document_get_node(doc, id);
		p = it->data.mapping.pairs.start[i];
		kn = yaml_document_get_node(doc, p.key);
		mine = kn != NULL && kn->type == YAML_SCALAR_NODE &&
		    (strcmp((const char *)kn->data.scalar.value, "name") == 0 ||
		    strcmp((const char *)kn->data.scalar.value, "points") == 0);
		if (!yaml_document_append_mapping_pair(doc, mine ? own : rest,
		    p.key, p.value))
			xcsim_oom();
	}
	walk_map(ck, &chk_table, yaml_document_get_node(doc, own), (char *)k);
	walk_map(ck, sc_section_assertions.table,
	    yaml_document_get_node(doc, rest), (char *)&k->as);
	k->kind = kind_name(&k->as);
	if (k->name != NULL && sc_key_ok(k->keys, CK_NAME) &&
	    k->name[0] == '\0')
		ld_error(ck, k->vloc[CK_NAME], "a check's name may not be "
		    "empty");
	else if (k->name != NULL && sc_key_ok(k->keys, CK_NAME))
		sc_names_add(ck, "check", k->name, (size_t)(k - c->v),
		    k->vloc[CK_NAME]);
}

static void
walk_checks(struct sc_check *ck, struct sc_checks *c)
{
	yaml_node_t *v;
	int *ids;
	size_t i;

	if (c->checks_node == 0) {
		ld_error(ck, c->loc, "a checks file needs 'checks', a list of "
		    "assertions each with name and points");
		return;
	}
	v = yaml_document_get_node(ck->doc, c->checks_node);
	if (v->type != YAML_SEQUENCE_NODE) {
		ld_error(ck, loc_of(v), "'checks': expected a list, got %s",
		    is_null(v) ? "nothing" : kind_of(v));
		return;
	}
	c->n = (size_t)(v->data.sequence.items.top -
	    v->data.sequence.items.start);
	if (c->n == 0) {
		ld_error(ck, loc_of(v), "'checks' is empty: give at least one");
		return;
	}
	/* node pointers move as nodes are added: keep the ids */
	ids = xcalloc(c->n, sizeof(*ids));
	for (i = 0; i < c->n; i++)
		ids[i] = v->data.sequence.items.start[i];
	c->v = xcalloc(c->n, sizeof(*c->v));
	for (i = 0; i < c->n && !ck->exhausted; i++)
		walk_check(ck, c, &c->v[i], ids[i]);
	free(ids);
}

/*
 * Whether a walked check names only what the scenario has: the
 * assertion's own check, as for the scenario's assertions, with its
 * errors kept as the check's failure instead of printed.
 */
static void
resolve(struct sc_check *ck, struct chk *k)
{
	struct scenario *sc = ck->sc;
	unsigned errs = ck->n_errors;
	size_t m0 = ck->n_msgs, i, off = 0, len = 0;

	if (k->as.reg == NULL) {
		struct sc_assert *save = sc->asserts;
		size_t n = sc->n_asserts;
		struct sc_section_data d = { .sec = &sc_section_assertions,
			.items = &k->as, .n = 1, .given = true };

		sc_section_assertions.check(ck, &d);
		sc->asserts = save;
		sc->n_asserts = n;
	} else if (k->as.reg->check != NULL) {
		k->as.reg->check(ck, &k->as, k->as.args);
	}
	k->resolved = ck->n_errors == errs;
	if (k->resolved)
		return;
	for (i = m0; i < ck->n_msgs; i++)
		len += strlen(ck->msgs[i].text) + 32;
	k->why = xcalloc(1, len + 1);
	for (i = m0; i < ck->n_msgs; i++) {
		off += (size_t)snprintf(k->why + off, len + 1 - off, "%s%u:%u: "
		    "%s", i > m0 ? "; " : "", ck->msgs[i].loc.line,
		    ck->msgs[i].loc.col, ck->msgs[i].text);
		free(ck->msgs[i].text);
	}
	ck->n_msgs = m0;
	ck->n_errors = errs;	/* not the file's fault */
}

/* Append the resolved checks to the scenario's assertions. */
static void
append(struct scenario *sc, struct sc_checks *c)
{
	struct sc_section_data *d = NULL;
	size_t i, n = 0;

	for (i = 0; i < sc->n_sections; i++)
		if (sc->sections[i].sec == &sc_section_assertions)
			d = &sc->sections[i];
	SIM_ASSERT(d != NULL, "no assertions section");
	for (i = 0; i < c->n; i++)
		n += c->v[i].resolved;
	c->n_own = d->n;
	c->own = xcalloc(d->n + 1, sizeof(*c->own));
	for (i = 0; i < d->n; i++) {
		const struct sc_assert *as = (struct sc_assert *)d->items + i;

		c->own[i].line = as->loc.line;
		c->own[i].kind = kind_name(as);
	}
	if (n == 0)
		return;
	d->items = xrealloc(d->items, (d->n + n) * sizeof(struct sc_assert));
	for (i = 0; i < c->n; i++) {
		struct chk *k = &c->v[i];

		if (!k->resolved)
			continue;
		k->idx = d->n++;
		memcpy((struct sc_assert *)d->items + k->idx, &k->as,
		    sizeof(k->as));
		memset(&k->as, 0, sizeof(k->as));	/* the scenario's now */
	}
	sc->asserts = d->items;
	sc->n_asserts = d->n;
}

/* sc_load_then: the checks file, with the scenario's names known. */
static void
load_checks(struct sc_check *ld, void *arg)
{
	struct sc_checks *c = arg;
	struct sc_check ck = *ld;
	yaml_document_t doc;
	yaml_node_t *root;
	size_t i;

	ck.file = c->file;
	ck.msgs = NULL;
	ck.n_msgs = ck.cap_msgs = 0;
	ck.n_errors = 0;
	ck.visits = 0;
	ck.exhausted = false;
	ck.doc = &doc;
	if (c->len > SC_INPUT_MAX) {
		struct sc_loc l = { 1, 1 };

		ld_error(&ck, l, "the file is larger than %zu MiB, the most a "
		    "checks file may be", SC_INPUT_MAX >> 20);
	} else if (sc_parse_doc(&ck, c->text != NULL ? c->text : "", c->len,
	    &doc)) {
		/* walking a check adds two mappings: count them in */
		ck.max_visits = 48 * (uint64_t)(doc.nodes.top -
		    doc.nodes.start) + 100000;
		root = yaml_document_get_root_node(&doc);
		if (root == NULL) {
			struct sc_loc l = { 1, 1 };

			ld_error(&ck, l, "the file is empty (a checks file "
			    "needs 'checks')");
		} else if (root->type != YAML_MAPPING_NODE) {
			ld_error(&ck, loc_of(root), "a checks file must be a "
			    "mapping of keys (name, description, checks), "
			    "not %s", kind_of(root));
		} else {
			walk_map_ext(&ck, &cf_table, root, (char *)c,
			    root_other, c);
			if (!ck.exhausted)
				walk_checks(&ck, c);
		}
		for (i = 0; i < c->n && ck.n_errors == 0; i++)
			resolve(&ck, &c->v[i]);
		yaml_document_delete(&doc);
	}
	if (ck.n_errors == 0)
		append(ld->sc, c);
	else
		c->rc = 2;
	/* lookups may have added spaces: they are the scenario's */
	ld->spaces = ck.spaces;
	ld->n_spaces = ck.n_spaces;
	ld->ifaces = ck.ifaces;
	ld_flush(&ck);
	free(ck.msgs);	/* kept by flush when resolve emptied it */
	if (c->rc != 0) {
		fputs_escaped(c->file, ck.diag);
		fprintf(ck.diag, ": %u error%s\n", ck.n_errors,
		    ck.n_errors == 1 ? "" : "s");
	}
}

static void
chk_free(struct chk *k)
{
	free_obj(sc_section_assertions.table, (char *)&k->as);
	free_obj(&chk_table, (char *)k);
	free(k->why);
	free(k->msg);
}

void
sc_checks_free(struct sc_checks *c)
{
	size_t i;

	if (c == NULL)
		return;
	for (i = 0; i < c->n; i++)
		chk_free(&c->v[i]);
	for (i = 0; i < c->n_own; i++)
		free(c->own[i].msg);
	free(c->own);
	free(c->v);
	free_obj(&cf_table, (char *)c);
	free(c->file);
	free(c->scenario_file);
	free(c);
}

int
sc_checks_load(const struct sc_src *scenario, const struct sc_src *checks,
    FILE *diag, struct scenario **scp, struct sc_checks **ckp)
{
	struct sc_checks *c = xcalloc(1, sizeof(*c));
	struct scenario *sc;
	char *sbuf = NULL, *cbuf = NULL, msg[300];
	const char *stext = scenario->text;
	size_t slen = scenario->len;
	unsigned nerr = 0;

	*scp = NULL;
	*ckp = NULL;
	c->file = xstrdup(checks->path);
	c->text = checks->text;
	c->len = checks->len;
	if (c->text == NULL &&
	    (c->text = cbuf = sc_slurp(checks->path, &c->len, msg,
	    sizeof(msg))) == NULL) {
		fputs_escaped(checks->path, diag);
		fprintf(diag, ": error: %s\n", msg);
		sc_checks_free(c);
		return 2;
	}
	if (stext == NULL && (stext = sbuf = sc_slurp(scenario->path, &slen,
	    msg, sizeof(msg))) == NULL) {
		fputs_escaped(scenario->path, diag);
		fprintf(diag, ": error: %s\n", msg);
		free(cbuf);
		sc_checks_free(c);
		return 2;
	}
	sc = sc_load_then(scenario->path, stext, slen, scenario->opts, diag,
	    &nerr, load_checks, c);
	free(sbuf);
	free(cbuf);
	c->text = NULL;
	if (sc == NULL) {
		fputs_escaped(scenario->path, diag);
		fprintf(diag, ": %u error%s\n", nerr, nerr == 1 ? "" : "s");
		sc_checks_free(c);
		return 2;
	}
	if (c->rc != 0) {
		scenario_free(sc);
		sc_checks_free(c);
		return 2;
	}
	c->scenario_file = xstrdup(sc->file);
	*scp = sc;
	*ckp = c;
	return 0;
}

size_t
sc_checks_count(const struct sc_checks *c)
{
	return c->n;
}

const char *
sc_checks_name(const struct sc_checks *c, size_t i)
{
	return c->v[i].name;
}

unsigned
sc_checks_points(const struct sc_checks *c, size_t i)
{
	return c->v[i].points;
}

bool
sc_checks_resolved(const struct sc_checks *c, size_t i)
{
	return c->v[i].resolved;
}

bool
sc_checks_passed(const struct sc_checks *c, size_t i)
{
	return c->v[i].judged && c->v[i].pass;
}

const char *
sc_checks_message(const struct sc_checks *c, size_t i)
{
	const struct chk *k = &c->v[i];

	if (!k->resolved)
		return k->why;
	return k->msg != NULL ? k->msg : "not judged";
}

unsigned
sc_checks_judge(struct sc_checks *c, struct run *r)
{
	char msg[1024];
	unsigned failed = 0;
	size_t i;

	for (i = 0; i < c->n_own; i++) {
		c->own[i].pass = run_judge(r, i, msg, sizeof(msg));
		free(c->own[i].msg);
		c->own[i].msg = xstrdup(msg);
	}
	for (i = 0; i < c->n; i++) {
		struct chk *k = &c->v[i];

		if (k->resolved) {
			k->pass = run_judge(r, k->idx, msg, sizeof(msg));
			free(k->msg);
			k->msg = xstrdup(msg);
		} else {
			k->pass = false;
		}
		k->judged = true;
		failed += !k->pass;
	}
	c->judged = true;
	return failed;
}

void
sc_checks_total(const struct sc_checks *c, unsigned long *got,
    unsigned long *max)
{
	size_t i;

	*got = *max = 0;
	for (i = 0; i < c->n; i++) {
		*max += c->v[i].points;
		if (sc_checks_passed(c, i))
			*got += c->v[i].points;
	}
}

static size_t
n_passed(const struct sc_checks *c)
{
	size_t i, n = 0;

	for (i = 0; i < c->n; i++)
		n += sc_checks_passed(c, i);
	return n;
}

void
sc_checks_print(const struct sc_checks *c, bool quiet, FILE *out)
{
	unsigned long got, max;
	size_t i;

	sc_checks_total(c, &got, &max);
	fputs("Checks of ", out);
	fputs_escaped(c->file, out);
	if (c->name != NULL) {
		fputs(" (", out);
		fputs_escaped(c->name, out);
		fputc(')', out);
	}
	fputs(" on ", out);
	fputs_escaped(c->scenario_file, out);
	fputc('\n', out);
	for (i = 0; i < c->n; i++) {
		const struct chk *k = &c->v[i];
		bool pass = sc_checks_passed(c, i);

		if (quiet && pass)
			continue;
		fprintf(out, "  %s %*u/%u  ", pass ? "PASS" : "FAIL", 3,
		    pass ? k->points : 0u, k->points);
		fputs_escaped(k->name, out);
		fprintf(out, " (%s, line %u): ", k->kind, k->loc.line);
		if (!k->resolved)
			fputs("does not apply to this scenario: ", out);
		fputs_escaped(sc_checks_message(c, i), out);
		fputc('\n', out);
	}
	fprintf(out, "Total: %lu/%lu points (%zu of %zu checks passed)\n", got,
	    max, n_passed(c), c->n);
	if (quiet || c->n_own == 0)
		return;
	fputs("The scenario's own assertions (not graded):\n", out);
	for (i = 0; i < c->n_own; i++) {
		fputs("  ", out);
		fputs_escaped(c->scenario_file, out);
		fprintf(out, ":%u: %s: ", c->own[i].line,
		    c->own[i].pass ? "PASS" : "FAIL");
		fputs_escaped(c->own[i].msg != NULL ? c->own[i].msg :
		    "not judged", out);
		fputc('\n', out);
	}
}

void
sc_checks_json(const struct sc_checks *c, FILE *out)
{
	unsigned long got, max;
	size_t i;

	sc_checks_total(c, &got, &max);
	fputs("{\"checks_file\": ", out);
	scenario_json_str(out, c->file);
	fputs(", \"name\": ", out);
	if (c->name != NULL)
		scenario_json_str(out, c->name);
	else
		fputs("null", out);
	fputs(", \"scenario\": ", out);
	scenario_json_str(out, c->scenario_file);
	fprintf(out, ", \"points\": %lu, \"max_points\": %lu, \"passed\": %zu, "
	    "\"failed\": %zu, \"checks\": [", got, max, n_passed(c),
	    c->n - n_passed(c));
	for (i = 0; i < c->n; i++) {
		const struct chk *k = &c->v[i];
		bool pass = sc_checks_passed(c, i);

		fputs(i ? ", {\"name\": " : "{\"name\": ", out);
		scenario_json_str(out, k->name);
		fputs(", \"kind\": ", out);
		scenario_json_str(out, k->kind);
		fprintf(out, ", \"line\": %u, \"pass\": %s, \"points\": %u, "
		    "\"max_points\": %u, \"applies\": %s, \"message\": ",
		    k->loc.line, pass ? "true" : "false", pass ? k->points : 0u,
		    k->points, k->resolved ? "true" : "false");
		scenario_json_str(out, sc_checks_message(c, i));
		fputc('}', out);
	}
	fputs("], \"own_assertions\": [", out);
	for (i = 0; i < c->n_own; i++) {
		fprintf(out, "%s{\"line\": %u, \"kind\": ", i ? ", " : "",
		    c->own[i].line);
		scenario_json_str(out, c->own[i].kind);
		fprintf(out, ", \"pass\": %s, \"message\": ",
		    c->own[i].pass ? "true" : "false");
		scenario_json_str(out, c->own[i].msg != NULL ? c->own[i].msg :
		    "not judged");
		fputc('}', out);
	}
	fputs("]}\n", out);
}
