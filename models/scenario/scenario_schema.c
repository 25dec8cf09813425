/*
 * scenario_schema.c - scenarios/schema.json and docs/scenario-reference.md,
 * generated from the field tables of every registered section and action.
 *
 * Both outputs are committed; test_scenario regenerates them in memory and
 * fails when the committed copies differ, so the tables stay the one place
 * where the format is defined. A model that registers a section or an
 * action appears in both as soon as it is registered.
 */
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "scenario.h"
#include "scenario_load.h"
#include "sim.h"

/* --- JSON ------------------------------------------------------------ */

void
scenario_json_str(FILE *out, const char *s)
{
	fputc('"', out);
	for (; *s != '\0'; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '"' || c == '\\')
			fprintf(out, "\\%c", c);
		else if (c < 0x20)
			fprintf(out, "\\u%04x", c);
		else
			fputc(c, out);
	}
	fputc('"', out);
}

static void
indent(FILE *out, int depth)
{
	fprintf(out, "\n%*s", 2 * depth, "");
}

/* Writes `"key": ` on a new line, after a comma unless first. */
static void
json_key(FILE *out, int depth, bool *first, const char *key)
{
	if (!*first)
		fputc(',', out);
	*first = false;
	indent(out, depth);
	scenario_json_str(out, key);
	fputs(": ", out);
}

static void
json_kv(FILE *out, int depth, bool *first, const char *key, const char *val)
{
	json_key(out, depth, first, key);
	scenario_json_str(out, val);
}

static void
json_kraw(FILE *out, int depth, bool *first, const char *key, const char *raw)
{
	json_key(out, depth, first, key);
	fputs(raw, out);
}

static void
json_kuint(FILE *out, int depth, bool *first, const char *key, uint64_t v)
{
	json_key(out, depth, first, key);
	fprintf(out, "%" PRIu64, v);
}

static void
json_str_array(FILE *out, const char *const *v, size_t n)
{
	size_t i;

	fputc('[', out);
	for (i = 0; i < n; i++) {
		if (i)
			fputs(", ", out);
		scenario_json_str(out, v[i]);
	}
	fputc(']', out);
}

static bool
all_digits(const char *s)
{
	if (*s == '\0')
		return false;
	for (; *s != '\0'; s++)
		if ((*s < '0' || *s > '9') && *s != '.')
			return false;
	return true;
}

/* A default as the JSON value a YAML reader would see. */
static void
json_default(FILE *out, const struct sc_field *f, const char *def)
{
	switch (f->type) {
	case SC_FT_UINT:
	case SC_FT_BOOL:
	case SC_FT_PROB:
	case SC_FT_REAL:
		fputs(def, out);
		return;
	case SC_FT_SIZE:
		if (all_digits(def)) {
			fputs(def, out);
			return;
		}
		break;
	default:
		break;
	}
	scenario_json_str(out, def);
}

static size_t
n_names(const char *const *v)
{
	size_t n = 0;

	while (v[n] != NULL)
		n++;
	return n;
}

/* A time or rate of zero, which fields with a minimum exclude. */
#define ZERO_RE "{ \"pattern\": \"^0+(\\\\.0+)?[A-Za-z]*$\" }"

/* --- the tables, in the order they are met ---------------------------- */

struct tables {
	const struct sc_table **v;
	size_t n;
};

static void collect(struct tables *ts, const struct sc_table *t);

static void
collect_fields(struct tables *ts, const struct sc_table *t)
{
	const struct sc_action *a;
	size_t i, k;

	for (i = 0; i < t->n_fields; i++) {
		if (t->fields[i].type == SC_FT_LIST ||
		    t->fields[i].type == SC_FT_MAP)
			collect(ts, t->fields[i].sub);
		if (t->fields[i].type == SC_FT_DELAY)
			collect(ts, &sc_geo_delay_table);
		if (t->fields[i].type == SC_FT_ACTION)
			for (k = 0; (a = scenario_action_at(k)) != NULL; k++)
				collect(ts, a->table);
		if (t->fields[i].type == SC_FT_ENUM && t->fields[i].reg)
			for (k = 0; scenario_assertion_at(k) != NULL; k++)
				collect(ts, scenario_assertion_at(k)->table);
	}
}

static void
collect(struct tables *ts, const struct sc_table *t)
{
	size_t i;

	for (i = 0; i < ts->n; i++) {
		if (ts->v[i] == t)
			return;
		/* The schema's $defs and the reference's headings are keyed
		 * by table name: two tables must not share one. */
		SIM_ASSERT(strcmp(ts->v[i]->name, t->name) != 0,
		    "two field tables are named %s", t->name);
	}
	ts->v = xrealloc(ts->v, (ts->n + 1) * sizeof(*ts->v));
	ts->v[ts->n++] = t;
	collect_fields(ts, t);
	if (t == &sc_table_scenario) {
		const struct sc_section *s;

		for (i = 0; (s = scenario_section_at(i)) != NULL; i++)
			collect(ts, s->table);
	}
}

/* "^[0-9]+(\\.[0-9]+)?(u1|u2|...)$", the unit optional if "" is one. */
static const char *
unit_re(char *buf, size_t len, enum units_kind k)
{
	size_t off, i;
	bool none = false;
	const char *u;

	off = (size_t)snprintf(buf, len, "^[0-9]+(\\.[0-9]+)?(");
	for (i = 0; (u = units_name(k, i)) != NULL && off < len; i++) {
		if (u[0] == '\0') {
			none = true;
			continue;
		}
		off += (size_t)snprintf(buf + off, len - off, "%s%s",
		    buf[off - 1] == '(' ? "" : "|", u);
	}
	if (off < len)
		snprintf(buf + off, len - off, ")%s$", none ? "?" : "");
	return buf;
}

/* "`u1`, `u2`" for the reference. */
static void
md_units(FILE *out, enum units_kind k)
{
	const char *u;
	size_t i;

	for (i = 0; (u = units_name(k, i)) != NULL; i++)
		if (u[0] != '\0')
			fprintf(out, "%s`%s`", i > (k == UNITS_SIZE) ? ", " : "",
			    u);
}

static void field_schema(FILE *out, int d, const struct sc_field *f);

static void
field_description(char *buf, size_t len, const struct sc_field *f)
{
	size_t off = (size_t)snprintf(buf, len, "%s", f->doc);

	if (f->def == NULL && f->def_doc != NULL && off < len)
		off += (size_t)snprintf(buf + off, len - off, ". Default: %s",
		    f->def_doc);
	if (f->type == SC_FT_TIME && f->min > 0 && off < len)
		snprintf(buf + off, len - off, ". Must be greater than 0");
	else if (f->type == SC_FT_RATE && f->min > 0 && off < len)
		snprintf(buf + off, len - off, ". Must be greater than 0bps");
}

static void
field_schema(FILE *out, int d, const struct sc_field *f)
{
	bool first = true;
	char desc[400], re[200];

	fputc('{', out);
	field_description(desc, sizeof(desc), f);
	json_kv(out, d + 1, &first, "description", desc);
	switch (f->type) {
	case SC_FT_STRING:
		if (f->number_ok)
			json_kraw(out, d + 1, &first, "type",
			    "[\"string\", \"integer\"]");
		else
			json_kv(out, d + 1, &first, "type", "string");
		break;
	case SC_FT_NAME:
		json_kv(out, d + 1, &first, "type", "string");
		json_kv(out, d + 1, &first, "pattern", SC_RE_NAME);
		json_kuint(out, d + 1, &first, "maxLength", SC_NAME_MAX);
		break;
	case SC_FT_UINT:
		json_kv(out, d + 1, &first, "type", "integer");
		json_kuint(out, d + 1, &first, "minimum", f->min);
		json_kuint(out, d + 1, &first, "maximum", f->max);
		break;
	case SC_FT_BOOL:
		json_kv(out, d + 1, &first, "type", "boolean");
		break;
	case SC_FT_TIME:
		json_kv(out, d + 1, &first, "type", "string");
		json_kv(out, d + 1, &first, "pattern",
		    unit_re(re, sizeof(re), UNITS_TIME));
		if (f->min > 0)
			json_kraw(out, d + 1, &first, "not", ZERO_RE);
		break;
	case SC_FT_RATE:
		json_kv(out, d + 1, &first, "type", "string");
		json_kv(out, d + 1, &first, "pattern",
		    unit_re(re, sizeof(re), UNITS_RATE));
		if (f->min > 0)
			json_kraw(out, d + 1, &first, "not", ZERO_RE);
		break;
	case SC_FT_SIZE:
		json_kraw(out, d + 1, &first, "type", "[\"integer\", \"string\"]");
		json_kv(out, d + 1, &first, "pattern",
		    unit_re(re, sizeof(re), UNITS_SIZE));
		json_kuint(out, d + 1, &first, "minimum", f->min);
		json_kuint(out, d + 1, &first, "maximum", f->max);
		break;
	case SC_FT_PROB:
		json_kv(out, d + 1, &first, "type", "number");
		json_kuint(out, d + 1, &first, "minimum", 0);
		json_kuint(out, d + 1, &first, "maximum", 1);
		break;
	case SC_FT_REAL:
		json_kv(out, d + 1, &first, "type", "number");
		json_kuint(out, d + 1, &first, "minimum", f->min);
		if (f->max != 0)
			json_kuint(out, d + 1, &first, "maximum", f->max);
		break;
	case SC_FT_DELAY:
		json_key(out, d + 1, &first, "oneOf");
		fputc('[', out);
		indent(out, d + 2);
		fputs("{ \"type\": \"string\", \"pattern\": ", out);
		scenario_json_str(out, unit_re(re, sizeof(re), UNITS_TIME));
		fputs(" },", out);
		indent(out, d + 2);
		fputs("{ \"$ref\": \"#/$defs/", out);
		fputs(sc_geo_delay_table.name, out);
		fputs("\" }", out);
		indent(out, d + 1);
		fputc(']', out);
		break;
	case SC_FT_IFADDR:
		json_kv(out, d + 1, &first, "type", "string");
		json_kv(out, d + 1, &first, "pattern", SC_RE_IFADDR);
		break;
	case SC_FT_PREFIX:
		json_kv(out, d + 1, &first, "type", "string");
		json_kv(out, d + 1, &first, "pattern", SC_RE_PREFIX);
		break;
	case SC_FT_ACTION: {
		const struct sc_action *a;
		size_t i;

		json_key(out, d + 1, &first, "oneOf");
		fputc('[', out);
		for (i = 0; (a = scenario_action_at(i)) != NULL; i++) {
			indent(out, d + 2);
			fputs("{ \"const\": ", out);
			scenario_json_str(out, a->name);
			fputs(", \"description\": ", out);
			scenario_json_str(out, a->doc);
			fputs(scenario_action_at(i + 1) ? " }," : " }", out);
		}
		indent(out, d + 1);
		fputc(']', out);
		break;
	}
	case SC_FT_ADDR:
		json_kv(out, d + 1, &first, "type", "string");
		json_kv(out, d + 1, &first, "pattern", SC_RE_ADDR);
		break;
	case SC_FT_MAC:
		json_kv(out, d + 1, &first, "type", "string");
		json_kv(out, d + 1, &first, "pattern", SC_RE_MAC);
		break;
	case SC_FT_ENUM:
		if (f->name_docs != NULL) {
			size_t i;

			json_key(out, d + 1, &first, "oneOf");
			fputc('[', out);
			const struct sc_assertion *a;
			bool more;

			for (i = 0; f->names[i] != NULL; i++) {
				more = f->names[i + 1] != NULL || (f->reg &&
				    scenario_assertion_at(0) != NULL);
				indent(out, d + 2);
				fputs("{ \"const\": ", out);
				scenario_json_str(out, f->names[i]);
				fputs(", \"description\": ", out);
				scenario_json_str(out, f->name_docs[i]);
				fputs(more ? " }," : " }", out);
			}
			for (i = 0; f->reg &&
			    (a = scenario_assertion_at(i)) != NULL; i++) {
				indent(out, d + 2);
				fputs("{ \"const\": ", out);
				scenario_json_str(out, a->name);
				fputs(", \"description\": ", out);
				scenario_json_str(out, a->doc);
				fputs(scenario_assertion_at(i + 1) ? " }," :
				    " }", out);
			}
			indent(out, d + 1);
			fputc(']', out);
		} else {
			json_key(out, d + 1, &first, "enum");
			json_str_array(out, f->names, n_names(f->names));
		}
		break;
	case SC_FT_ENDPOINT:
		json_kv(out, d + 1, &first, "type", "string");
		json_kv(out, d + 1, &first, "pattern", SC_RE_ENDPOINT);
		break;
	case SC_FT_DST:
		json_kv(out, d + 1, &first, "type", "string");
		json_kv(out, d + 1, &first, "pattern", SC_RE_DST);
		break;
	case SC_FT_POS:
		json_kv(out, d + 1, &first, "type", "array");
		json_key(out, d + 1, &first, "items");
		fprintf(out, "{ \"type\": \"integer\", \"minimum\": %" PRIu64
		    ", \"maximum\": %" PRIu64 " }", f->min, f->max);
		json_kuint(out, d + 1, &first, "minItems", 2);
		json_kuint(out, d + 1, &first, "maxItems", 2);
		break;
	case SC_FT_NAMES:
		json_kv(out, d + 1, &first, "type", "array");
		json_key(out, d + 1, &first, "items");
		fputs("{ \"type\": \"string\", \"pattern\": ", out);
		scenario_json_str(out, SC_RE_NAME);
		fputs(" }", out);
		json_kuint(out, d + 1, &first, "minItems", 1);
		break;
	case SC_FT_STRINGS:
		json_key(out, d + 1, &first, "anyOf");
		fputc('[', out);
		indent(out, d + 2);
		fputs("{ \"type\": \"string\" },", out);
		indent(out, d + 2);
		fputs("{ \"type\": \"array\", \"items\": { \"type\": "
		    "\"string\" } }", out);
		indent(out, d + 1);
		fputc(']', out);
		break;
	case SC_FT_PCAP:
		json_key(out, d + 1, &first, "anyOf");
		fputc('[', out);
		indent(out, d + 2);
		fputs("{ \"enum\": [\"all\", \"none\"] },", out);
		indent(out, d + 2);
		fputs("{ \"type\": \"array\", \"items\": { \"type\": \"string\", "
		    "\"pattern\": ", out);
		scenario_json_str(out, SC_RE_DST);
		fputs(" } }", out);
		indent(out, d + 1);
		fputc(']', out);
		break;
	case SC_FT_LIST:
		json_kv(out, d + 1, &first, "type", "array");
		json_key(out, d + 1, &first, "items");
		fputs("{ \"$ref\": ", out);
		{
			char ref[80];

			snprintf(ref, sizeof(ref), "#/$defs/%s", f->sub->name);
			scenario_json_str(out, ref);
		}
		fputs(" }", out);
		break;
	case SC_FT_MAP: {
		char ref[80];

		snprintf(ref, sizeof(ref), "#/$defs/%s", f->sub->name);
		json_kv(out, d + 1, &first, "$ref", ref);
		break;
	}
	case SC_FT_KV:
		json_kv(out, d + 1, &first, "type", "object");
		json_key(out, d + 1, &first, "additionalProperties");
		fputs("{ \"type\": [\"string\", \"number\", \"boolean\"] }",
		    out);
		break;
	case SC_FT_MAX:
		break;
	}
	if (f->def != NULL) {
		json_key(out, d + 1, &first, "default");
		json_default(out, f, f->def);
	}
	indent(out, d);
	fputc('}', out);
}

/* A discriminated table whose discriminator also takes registered kinds. */
static bool
reg_kinds(const struct sc_table *t)
{
	return t->disc >= 0 && t->fields[t->disc].reg &&
	    scenario_assertion_at(0) != NULL;
}

/* The allOf branch of one kind of a discriminated table. */
static void
kind_schema(FILE *out, int d, const struct sc_table *t, int kind)
{
	const struct sc_field *df = &t->fields[t->disc];
	const char **keys = xcalloc(t->n_fields + 1, sizeof(*keys));
	const char **req = xcalloc(t->n_fields + 1, sizeof(*req));
	size_t i, nk = 0, nr = 0;
	bool first = true, any_def = false, f2;

	for (i = 0; i < t->n_fields; i++) {
		const struct sc_field *f = &t->fields[i];

		if (!field_applies(t, f, kind))
			continue;
		keys[nk++] = f->name;
		/* With registered kinds, a key every built-in kind needs is
		 * required here, not at the top (see table_schema). */
		if (f->required && (f->kinds != NULL ||
		    (reg_kinds(t) && i != (size_t)t->disc)))
			req[nr++] = f->name;
		if (field_default(t, f, kind) != f->def)
			any_def = true;
	}
	indent(out, d);
	fputc('{', out);
	json_key(out, d + 1, &first, "if");
	fputs("{ \"properties\": { ", out);
	scenario_json_str(out, df->name);
	fputs(": { \"const\": ", out);
	scenario_json_str(out, df->names[kind - 1]);
	fputs(" } }, \"required\": [", out);
	scenario_json_str(out, df->name);
	fputs("] }", out);
	json_key(out, d + 1, &first, "then");
	fputc('{', out);
	f2 = true;
	json_key(out, d + 2, &f2, "propertyNames");
	fputs("{ \"enum\": ", out);
	json_str_array(out, keys, nk);
	fputs(" }", out);
	if (nr > 0) {
		json_key(out, d + 2, &f2, "required");
		json_str_array(out, req, nr);
	}
	if (any_def) {
		bool f3 = true;

		json_key(out, d + 2, &f2, "properties");
		fputc('{', out);
		for (i = 0; i < t->n_fields; i++) {
			const struct sc_field *f = &t->fields[i];
			const char *def = field_default(t, f, kind);

			if (def == f->def)
				continue;
			json_key(out, d + 3, &f3, f->name);
			fputs("{ \"default\": ", out);
			json_default(out, f, def);
			fputs(" }", out);
		}
		indent(out, d + 2);
		fputc('}', out);
	}
	indent(out, d + 1);
	fputc('}', out);
	indent(out, d);
	fputc('}', out);
	free(keys);
	free(req);
}

/*
 * The allOf branch of one registered value of field af of table t (a
 * timeline action, or an assertion kind: then only af is t's key), whose
 * own keys are at's.
 */
static void
reg_schema(FILE *out, int d, const struct sc_table *t,
    const struct sc_field *af, const char *name, const struct sc_table *at)
{
	const char **keys = xcalloc(t->n_fields + at->n_fields + 1,
	    sizeof(*keys));
	const char **req = xcalloc(at->n_fields + 1, sizeof(*req));
	size_t i, nk = 0, nr = 0;
	bool first = true, f2 = true, f3 = true;
	char ref[200];

	for (i = 0; i < t->n_fields; i++)
		if (af->type == SC_FT_ACTION || &t->fields[i] == af)
			keys[nk++] = t->fields[i].name;
	for (i = 0; i < at->n_fields; i++) {
		keys[nk++] = at->fields[i].name;
		if (at->fields[i].required)
			req[nr++] = at->fields[i].name;
	}
	indent(out, d);
	fputc('{', out);
	json_key(out, d + 1, &first, "if");
	fputs("{ \"properties\": { ", out);
	scenario_json_str(out, af->name);
	fputs(": { \"const\": ", out);
	scenario_json_str(out, name);
	fputs(" } }, \"required\": [", out);
	scenario_json_str(out, af->name);
	fputs("] }", out);
	json_key(out, d + 1, &first, "then");
	fputc('{', out);
	json_key(out, d + 2, &f2, "propertyNames");
	fputs("{ \"enum\": ", out);
	json_str_array(out, keys, nk);
	fputs(" }", out);
	if (nr > 0) {
		json_key(out, d + 2, &f2, "required");
		json_str_array(out, req, nr);
	}
	json_key(out, d + 2, &f2, "properties");
	fputc('{', out);
	for (i = 0; i < at->n_fields; i++) {
		snprintf(ref, sizeof(ref), "#/$defs/%s/properties/%s",
		    at->name, at->fields[i].name);
		json_key(out, d + 3, &f3, at->fields[i].name);
		fputs("{ \"$ref\": ", out);
		scenario_json_str(out, ref);
		fputs(" }", out);
	}
	indent(out, d + 2);
	fputc('}', out);
	indent(out, d + 1);
	fputc('}', out);
	indent(out, d);
	fputc('}', out);
	free(keys);
	free(req);
}

static const struct sc_field *
action_field(const struct sc_table *t)
{
	size_t i;

	for (i = 0; i < t->n_fields; i++)
		if (t->fields[i].type == SC_FT_ACTION)
			return &t->fields[i];
	return NULL;
}

/* A registered section as a property of the root. */
static void
section_schema(FILE *out, int d, const struct sc_section *s)
{
	bool first = true;
	char ref[100];

	snprintf(ref, sizeof(ref), "#/$defs/%s", s->table->name);
	fputc('{', out);
	json_kv(out, d + 1, &first, "description", s->doc);
	if (s->list) {
		json_kv(out, d + 1, &first, "type", "array");
		json_key(out, d + 1, &first, "items");
		fputs("{ \"$ref\": ", out);
		scenario_json_str(out, ref);
		fputs(" }", out);
	} else {
		json_kv(out, d + 1, &first, "$ref", ref);
	}
	indent(out, d);
	fputc('}', out);
}

static void
table_schema(FILE *out, int d, const struct sc_table *t)
{
	const struct sc_field *af = action_field(t);
	const struct sc_section *s;
	const char **req = xcalloc(t->n_fields + 64, sizeof(*req));
	size_t i, nr = 0;
	bool first = true, pf = true;

	for (i = 0; i < t->n_fields; i++)
		if (t->fields[i].required && t->fields[i].kinds == NULL &&
		    (!reg_kinds(t) || i == (size_t)t->disc))
			req[nr++] = t->fields[i].name;
	if (t == &sc_table_scenario)
		for (i = 0; (s = scenario_section_at(i)) != NULL; i++)
			if (s->required) {
				req = xrealloc(req, (nr + 1) * sizeof(*req));
				req[nr++] = s->name;
			}
	fputc('{', out);
	json_kv(out, d + 1, &first, "description", t->doc);
	json_kv(out, d + 1, &first, "type", "object");
	/*
	 * A file with a cloud section needs no required section of its own:
	 * the expansion makes them (scenario_expand.h). So the root requires
	 * its required sections, or any one expander section.
	 */
	if (t == &sc_table_scenario && nr > 0) {
		json_key(out, d + 1, &first, "anyOf");
		fputc('[', out);
		indent(out, d + 2);
		fputs("{ \"required\": ", out);
		json_str_array(out, req, nr);
		fputs(" }", out);
		for (i = 0; (s = scenario_section_at(i)) != NULL; i++)
			if (s->expand != NULL) {
				fputc(',', out);
				indent(out, d + 2);
				fprintf(out, "{ \"required\": [\"%s\"] }", s->name);
			}
		indent(out, d + 1);
		fputc(']', out);
		nr = 0;
	}
	/* An action's or a registered kind's keys: by its branch of allOf. */
	if (af == NULL && !reg_kinds(t))
		json_kraw(out, d + 1, &first, "additionalProperties", "false");
	if (nr > 0) {
		json_key(out, d + 1, &first, "required");
		json_str_array(out, req, nr);
	}
	json_key(out, d + 1, &first, "properties");
	fputc('{', out);
	for (i = 0; i < t->n_fields; i++) {
		json_key(out, d + 2, &pf, t->fields[i].name);
		field_schema(out, d + 2, &t->fields[i]);
	}
	if (t == &sc_table_scenario)
		for (i = 0; (s = scenario_section_at(i)) != NULL; i++) {
			json_key(out, d + 2, &pf, s->name);
			section_schema(out, d + 2, s);
		}
	indent(out, d + 1);
	fputc('}', out);
	if (t->disc >= 0) {
		const struct sc_field *df = &t->fields[t->disc];
		int k;

		json_key(out, d + 1, &first, "allOf");
		fputc('[', out);
		const struct sc_assertion *ra;

		for (k = 1; df->names[k - 1] != NULL; k++) {
			if (k > 1)
				fputc(',', out);
			kind_schema(out, d + 2, t, k);
		}
		for (i = 0; df->reg &&
		    (ra = scenario_assertion_at(i)) != NULL; i++) {
			fputc(',', out);
			reg_schema(out, d + 2, t, df, ra->name, ra->table);
		}
		indent(out, d + 1);
		fputc(']', out);
	} else if (af != NULL) {
		const struct sc_action *a;

		json_key(out, d + 1, &first, "allOf");
		fputc('[', out);
		for (i = 0; (a = scenario_action_at(i)) != NULL; i++) {
			if (i > 0)
				fputc(',', out);
			reg_schema(out, d + 2, t, af, a->name, a->table);
		}
		indent(out, d + 1);
		fputc(']', out);
	}
	indent(out, d);
	fputc('}', out);
	free(req);
}

void
scenario_write_schema(FILE *out)
{
	bool first = true, df = true;
	struct tables ts = { NULL, 0 };
	size_t i;

	fputc('{', out);
	json_kv(out, 1, &first, "$schema",
	    "https://json-schema.org/draft/2020-12/schema");
	json_kv(out, 1, &first, "title", "xcsim scenario");
	json_kv(out, 1, &first, "description", "Generated from "
	    "the field tables of models/scenario by scenario_write_schema(); "
	    "do not edit. See docs/scenario-reference.md.");
	json_kv(out, 1, &first, "$ref", "#/$defs/scenario");
	json_key(out, 1, &first, "$defs");
	fputc('{', out);
	collect(&ts, &sc_table_scenario);
	for (i = 0; i < ts.n; i++) {
		json_key(out, 2, &df, ts.v[i]->name);
		table_schema(out, 2, ts.v[i]);
	}
	free(ts.v);
	indent(out, 1);
	fputc('}', out);
	fputs("\n}\n", out);
}

/* --- Markdown -------------------------------------------------------- */

/* Text in a table cell: a '|' would end the cell. */
static void
md_cell(FILE *out, const char *s)
{
	for (; *s != '\0'; s++) {
		if (*s == '|')
			fputc('\\', out);
		fputc(*s, out);
	}
}

static void
md_type(FILE *out, const struct sc_field *f)
{
	size_t i;

	switch (f->type) {
	case SC_FT_STRING:
		fputs(f->number_ok ? "string or integer" : "string", out);
		break;
	case SC_FT_NAME:
		fputs("name", out);
		break;
	case SC_FT_UINT:
		fprintf(out, "integer %" PRIu64 "..%" PRIu64, f->min, f->max);
		break;
	case SC_FT_BOOL:
		fputs("bool", out);
		break;
	case SC_FT_TIME:
		fputs(f->min > 0 ? "time > 0" : "time", out);
		break;
	case SC_FT_RATE:
		fputs("rate > 0", out);
		break;
	case SC_FT_SIZE:
		fprintf(out, "size %" PRIu64 "..%" PRIu64, f->min, f->max);
		break;
	case SC_FT_PROB:
		fputs("probability 0..1", out);
		break;
	case SC_FT_REAL:
		if (f->max != 0)
			fprintf(out, "number %" PRIu64 "..%" PRIu64, f->min,
			    f->max);
		else
			fprintf(out, "number >= %" PRIu64, f->min);
		break;
	case SC_FT_DELAY:
		fprintf(out, "time, or a span [%s](#%s)",
		    sc_geo_delay_table.name, sc_geo_delay_table.name);
		break;
	case SC_FT_IFADDR:
		fputs("address/len", out);
		break;
	case SC_FT_ACTION:
		fputs("a [timeline action](#timeline-actions)", out);
		break;
	case SC_FT_PREFIX:
		fputs("prefix", out);
		break;
	case SC_FT_ADDR:
		fputs("address", out);
		break;
	case SC_FT_MAC:
		fputs("MAC address", out);
		break;
	case SC_FT_ENUM:
		for (i = 0; f->names[i] != NULL; i++)
			fprintf(out, "%s`%s`", i ? " \\| " : "", f->names[i]);
		for (i = 0; f->reg && scenario_assertion_at(i) != NULL; i++)
			fprintf(out, " \\| `%s`",
			    scenario_assertion_at(i)->name);
		break;
	case SC_FT_ENDPOINT:
		fputs("node:interface", out);
		break;
	case SC_FT_DST:
		fputs("address, node or node:interface", out);
		break;
	case SC_FT_POS:
		fprintf(out, "[x, y], each %" PRIu64 "..%" PRIu64, f->min,
		    f->max);
		break;
	case SC_FT_NAMES:
		fputs("list of names", out);
		break;
	case SC_FT_STRINGS:
		fputs("text, or a list of text", out);
		break;
	case SC_FT_PCAP:
		fputs("`all` \\| `none` \\| list of node[:interface]", out);
		break;
	case SC_FT_LIST:
		fprintf(out, "list of [%s](#%s)", f->sub->name, f->sub->name);
		break;
	case SC_FT_MAP:
		fprintf(out, "[%s](#%s)", f->sub->name, f->sub->name);
		break;
	case SC_FT_KV:
		fputs("mapping of field: value", out);
		break;
	case SC_FT_MAX:
		break;
	}
}

static void
md_default(FILE *out, const struct sc_table *t, const struct sc_field *f)
{
	const char *const *k;
	bool any = false;

	if (f->required) {
		fputs("required", out);
		return;
	}
	if (f->def != NULL) {
		fputc('`', out);
		md_cell(out, f->def);
		fputc('`', out);
		any = true;
	}
	for (k = f->kdefs; t->disc >= 0 && k != NULL && k[0] != NULL; k += 2) {
		fprintf(out, "%s%s: `", any ? "; " : "", k[0]);
		md_cell(out, k[1]);
		fputc('`', out);
		any = true;
	}
	if (f->def_doc != NULL) {
		fputs(any ? "; " : "", out);
		md_cell(out, f->def_doc);
	}
}

static void
md_table(FILE *out, const struct sc_table *t)
{
	const struct sc_field *df = t->disc >= 0 ? &t->fields[t->disc] : NULL;
	const struct sc_section *s;
	const struct sc_action *a;
	size_t i, k;

	fprintf(out, "## %s\n\n%s\n\n", t->name, t->doc);
	if (df != NULL) {
		fprintf(out, "The `%s` key decides which other keys apply "
		    "(column *For*); a key given for another %s is an error.\n\n",
		    df->name, df->name);
		fputs("| Key | Type | Default | For | Description |\n"
		    "|---|---|---|---|---|\n", out);
	} else {
		fputs("| Key | Type | Default | Description |\n"
		    "|---|---|---|---|\n", out);
	}
	for (i = 0; i < t->n_fields; i++) {
		const struct sc_field *f = &t->fields[i];

		fprintf(out, "| `%s` | ", f->name);
		md_type(out, f);
		fputs(" | ", out);
		md_default(out, t, f);
		fputs(" | ", out);
		if (df != NULL) {
			if (f->kinds == NULL)
				fputs("all", out);
			for (k = 0; f->kinds != NULL && f->kinds[k] != NULL;
			    k++)
				fprintf(out, "%s%s", k ? ", " : "", f->kinds[k]);
			fputs(" | ", out);
		}
		md_cell(out, f->doc);
		fputs(" |\n", out);
	}
	if (t == &sc_table_scenario)
		for (i = 0; (s = scenario_section_at(i)) != NULL; i++) {
			fprintf(out, "| `%s` | %s[%s](#%s) | %s | ",
			    s->name, s->list ? "list of " : "", s->table->name,
			    s->table->name, s->required ? "required" :
			    s->list ? "none" : "its keys' defaults");
			md_cell(out, s->doc);
			fputs(" |\n", out);
		}
	fputc('\n', out);
	for (i = 0; i < t->n_fields; i++) {
		const struct sc_field *f = &t->fields[i];

		if (f->type == SC_FT_ACTION) {
			fprintf(out, "Values of `%s` (see [timeline actions]"
			    "(#timeline-actions)):\n\n", f->name);
			for (k = 0; (a = scenario_action_at(k)) != NULL; k++)
				fprintf(out, "- `%s`: %s; its keys: [%s](#%s)\n",
				    a->name, a->doc, a->table->name,
				    a->table->name);
			fputc('\n', out);
		}
		if (f->type != SC_FT_ENUM || f->name_docs == NULL ||
		    f->names == scenario_roles)
			continue;
		fprintf(out, "Values of `%s`:\n\n", f->name);
		for (k = 0; f->names[k] != NULL; k++)
			fprintf(out, "- `%s`: %s\n", f->names[k],
			    f->name_docs[k]);
		for (k = 0; f->reg && scenario_assertion_at(k) != NULL; k++) {
			const struct sc_assertion *ra =
			    scenario_assertion_at(k);

			fprintf(out, "- `%s`: %s; its keys (no other of this "
			    "table's but `%s`): [%s](#%s)\n", ra->name,
			    ra->doc, f->name, ra->table->name,
			    ra->table->name);
		}
		fputc('\n', out);
	}
}

void
scenario_write_reference(FILE *out)
{
	struct tables ts = { NULL, 0 };
	const struct sc_action *a;
	size_t i;

	fputs("# Scenario file reference\n\n"
	    "<!-- Generated from the field tables of models/scenario by "
	    "scenario_write_reference(); do not edit. After changing the "
	    "tables, run XCSIM_UPDATE_GENERATED=1 build/test_scenario. -->\n\n"
	    "A scenario is one YAML document (see `scenarios/default.yaml`). "
	    "Keys are snake_case; an unknown key, a key given twice, a value "
	    "of the wrong type or out of range, and a reference to a node, "
	    "interface, link or app that does not exist are all errors, "
	    "reported as `file:line:column: error: what (hint)`. Every error "
	    "in a file is reported, not only the first. Editors can validate "
	    "and complete files with `scenarios/schema.json`. A file may be "
	    "at most 16 MiB.\n\n"
	    "## Value types\n\n"
	    "| Type | Written as | Examples |\n|---|---|---|\n"
	    "| time | a decimal number and a unit, with no space between: ", out);
	md_units(out, UNITS_TIME);
	fputs(" (`m` is minutes); it must be a whole number of nanoseconds, "
	    "not negative, and at most 100000h; no scientific notation | "
	    "`250us`, `1.5ms`, `8s` |\n"
	    "| rate | bits per second with a unit (decimal prefixes): ", out);
	md_units(out, UNITS_RATE);
	fputs(" | `10Gbps`, `2.5Gbps`, `500Mbps` |\n"
	    "| size | bytes, optionally with a unit: ", out);
	md_units(out, UNITS_SIZE);
	fputs(" (`KB`, `MB`, `GB` are powers of 1000, `KiB`, `MiB`, `GiB` of "
	    "1024); decimal only | `1500`, `64KB`, `1MiB` |\n"
	    "| integer | decimal, or hexadecimal after `0x` (counts only: "
	    "times, rates and sizes are decimal); at most the field's maximum "
	    "| `1500`, `0x10` |\n"
	    "| name | 1 to 64 of `A-Z a-z 0-9 _ . -`, starting with a letter, "
	    "a digit or `_` (names become file names) | `er-gateway`, "
	    "`eth0` |\n"
	    "| address | dotted-quad IPv4 | `10.1.1.1` |\n"
	    "| address/len | a host address and its prefix length, 1 to 32; "
	    "for /1 to /30 neither the network nor the broadcast address | "
	    "`10.1.1.4/24`, `172.16.0.1/30` |\n"
	    "| prefix | network and length 0 to 32, host bits zero | "
	    "`10.2.0.0/16`, `0.0.0.0/0` |\n"
	    "| bool | `true` or `false` | |\n"
	    "| number | a decimal number, plain (no unit), within the "
	    "field's range | `1.7`, `2.5` |\n"
	    "| time, or a span | a time, or `{from: PLACE, to: PLACE}` with "
	    "an optional `route_factor`: the one-way delay between two places "
	    "of models/geo ([geo-delay](#geo-delay), docs/geo.md) | `500us`, "
	    "`{from: eastus, to: Washington DC}` |\n\n"
	    "Numbers and booleans must be written plain: `\"1500\"` in "
	    "quotes is a string.\n\n", out);
	collect(&ts, &sc_table_scenario);
	for (i = 0; i < ts.n; i++)
		md_table(out, ts.v[i]);
	free(ts.v);
	fputs("## Timeline actions\n\n| Action | What it does | Keys |\n"
	    "|---|---|---|\n", out);
	for (i = 0; (a = scenario_action_at(i)) != NULL; i++) {
		fprintf(out, "| `%s` | ", a->name);
		md_cell(out, a->doc);
		fprintf(out, " | [%s](#%s) |\n", a->table->name,
		    a->table->name);
	}
	fputc('\n', out);
	fputs("## Node roles\n\n| Role | What it is |\n|---|---|\n", out);
	for (i = 0; scenario_roles[i] != NULL; i++) {
		fprintf(out, "| `%s` | ", scenario_roles[i]);
		md_cell(out, scenario_role_docs[i]);
		fputs(" |\n", out);
	}
	fputs("\n## Checks across the file\n\n"
	    "- Node, link and app names are unique; interface names are "
	    "unique within their node. Node names, and interface names "
	    "within a node, also differ in more than case, since they name "
	    "capture files.\n"
	    "- On one node, the subnets of the interfaces in one VRF do not "
	    "overlap.\n"
	    "- A route's `via` lies in a connected subnet of the node in the "
	    "route's VRF (unless `iface` is given), and is not the node's own "
	    "address.\n"
	    "- A link's ends exist, are two different interfaces, and each "
	    "interface is on at most one link. When both are numbered they "
	    "have the same prefix length, the same subnet and different "
	    "addresses. Both ends carry the same `vlan` and `svlan`.\n"
	    "- An app's node exists, and its `dst` resolves: a node means the "
	    "address of its first numbered interface. A `udp_cbr` app gives "
	    "exactly one of `rate` and `interval`.\n"
	    "- Without a `duration`, a ping or udp_cbr app needs a `count`; "
	    "with one, apps start and events happen no later than it.\n"
	    "- Events name existing links. Assertions name existing apps of "
	    "the right type (ping for `ping-*`, traceroute for "
	    "`traceroute-path`), `after` is earlier than `before`, and every "
	    "node of a `path` exists.\n"
	    "- `record.pcap` names existing nodes and interfaces.\n", out);
}
