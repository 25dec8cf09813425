/*
 * scenario_fields.h - how a mapping of a scenario file is declared.
 *
 * Every mapping kind of a scenario file (a node, an interface, a link, the
 * arguments of a timeline action, ...) is one struct sc_table listing its
 * keys: type, where the value goes in the C struct the table fills, whether
 * it is required, its default as it would be written in a file, its range
 * and a one-line doc. The loader walks the YAML tree with these tables
 * (scenario_walk.c), frees what they filled by the same rows, and
 * scenario_schema.c turns them into scenarios/schema.json and
 * docs/scenario-reference.md. A table has any number of fields.
 *
 * A struct that a table fills with keys_off/vloc_off set holds, besides its
 * values, where each value was written (struct sc_loc vloc[n_fields]) and
 * which keys were given (uint64_t keys[SC_KEYS_WORDS(n_fields)]), so the
 * checks across the file can point at a value and skip rejected ones.
 */
#ifndef XCSIM_SCENARIO_FIELDS_H
#define XCSIM_SCENARIO_FIELDS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define SC_NO_OFF ((size_t)-1)
#define SC_NAME_MAX 64		/* longest node/interface/link/app name */

/* Words of the keys bitmap of a table of n fields: two bits a field. */
#define SC_KEYS_WORDS(n) ((2 * (size_t)(n) + 63) / 64)

enum sc_ftype {
	SC_FT_STRING,		/* free text */
	SC_FT_NAME,		/* [A-Za-z0-9_][A-Za-z0-9_.-]*, <= SC_NAME_MAX */
	SC_FT_UINT,		/* decimal or 0x hex integer in [min, max] */
	SC_FT_BOOL,		/* true | false */
	SC_FT_TIME,		/* units_parse_time, >= min, <= max if max */
	SC_FT_RATE,		/* units_parse_rate */
	SC_FT_SIZE,		/* units_parse_bytes, width bytes */
	SC_FT_PROB,		/* number in [0, 1] (double) */
	SC_FT_IFADDR,		/* a.b.c.d/len host address: off addr, off2 plen */
	SC_FT_PREFIX,		/* a.b.c.d/len, host bits zero: off, off2 */
	SC_FT_ADDR,		/* a.b.c.d */
	SC_FT_MAC,		/* xx:xx:xx:xx:xx:xx: off bytes, off2 bool */
	SC_FT_ENUM,		/* one of names[]: int index + 1, or a string */
	SC_FT_ENDPOINT,		/* node:iface: off node, off2 iface */
	SC_FT_DST,		/* address, node or node:iface (text) */
	SC_FT_POS,		/* [x, y] in [min, max]: off int32[2], off2 bool */
	SC_FT_NAMES,		/* list of names: off char **, off2 size_t,
				 * off3 struct sc_loc * (where each was) */
	SC_FT_STRINGS,		/* list of free text, or one as a scalar: as
				 * NAMES (off, off2, off3) */
	SC_FT_PCAP,		/* all | none | list of node[:iface] */
	SC_FT_LIST,		/* list of sub: off pointer, off2 size_t count */
	SC_FT_MAP,		/* mapping of sub at obj + off */
	SC_FT_ACTION,		/* a registered timeline action: off const
				 * struct sc_action *, off2 void * (its
				 * arguments, filled by the action's table) */
	SC_FT_KV,		/* mapping of any keys to scalars, kept as
				 * text: off struct sc_kv *, off2 size_t
				 * (fields a cloud model names, not a table) */
	SC_FT_REAL,		/* a number (double) >= min, <= max if max */
	SC_FT_DELAY,		/* a delay: a time (as TIME), or a span
				 * between two places {from, to,
				 * route_factor} whose delay models/geo
				 * computes (sc_geo_delay_table) */
	SC_FT_MAX
};

struct sc_table;

/* SC_FT_DELAY's mapping form (scenario_geo.c). */
extern const struct sc_table sc_geo_delay_table;

struct sc_field {
	const char *name;
	enum sc_ftype type;
	uint8_t width;		/* bytes of the integer stored at off */
	size_t off, off2, off3;
	const struct sc_table *sub;	/* LIST, MAP */
	const char *const *names;	/* ENUM: NULL-terminated values */
	const char *const *name_docs;	/* ENUM: one line each, or NULL */
	bool enum_str;		/* ENUM: store a copy of the string */
	/*
	 * STRING: a plain integer (protocol: 6, destination_ports: 1521) is
	 * a value too. The loader takes any scalar as text; this tells the
	 * schema to allow an integer beside a string.
	 */
	bool number_ok;
	/*
	 * ENUM: a registered assertion kind (scenario_section.h struct
	 * sc_assertion) is a value too: it stores 0 at off, the registration
	 * at off2 and its own arguments (filled by its table) at off3.
	 */
	bool reg;
	bool required;		/* (for the kinds it is valid for) */
	/*
	 * In a table with a discriminating field (disc): the values of that
	 * field this key is valid for, NULL-terminated; NULL = all.
	 */
	const char *const *kinds;
	uint64_t min, max;	/* UINT, TIME, RATE, SIZE, POS; max 0 = none */
	const char *def;	/* default, written as in a file */
	/* Per-kind defaults: kind value, default, ..., NULL. Override def. */
	const char *const *kdefs;
	const char *def_doc;	/* a default that is not a value, in words */
	const char *doc;
};

struct sc_table {
	const char *name;	/* "node": $defs key and section title */
	const char *doc;
	const struct sc_field *fields;
	size_t n_fields;
	size_t size;		/* element size (LIST, action arguments) */
	/*
	 * struct sc_loc: the mapping's start; {0, 0} in a list item that is
	 * not a mapping (the walker reported it: a check says nothing more)
	 */
	size_t loc_off;
	size_t vloc_off;	/* struct sc_loc[n_fields]: each value */
	size_t keys_off;	/* uint64_t[SC_KEYS_WORDS(n_fields)] */
	int disc;		/* index of the field choosing the kind, or -1 */
};

/* Helpers for declaring tables. */
#define SC_AT(s, m) .off = offsetof(s, m), .width = sizeof(((s *)0)->m)
#define SC_AT2(s, m) .off2 = offsetof(s, m)
#define SC_AT3(s, m) .off3 = offsetof(s, m)
#define SC_NFIELDS(a) (sizeof(a) / sizeof((a)[0]))
#define SC_LIST(...) ((const char *const[]){ __VA_ARGS__, NULL })

/* Was key i of a mapping written / written with a good value? */
static inline bool
sc_key_given(const uint64_t *keys, size_t i)
{
	return (keys[2 * i / 64] >> (2 * i % 64) & 1) != 0;
}

static inline bool
sc_key_ok(const uint64_t *keys, size_t i)
{
	return (keys[2 * i / 64] >> (2 * i % 64) & 3) == 1;
}

/* Regular expressions of the text forms, for the schema. */
#define SC_RE_NAME "^[A-Za-z0-9_][A-Za-z0-9_.-]*$"
#define SC_RE_IPV4 "(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])" \
	"(\\.(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])){3}"
#define SC_RE_ADDR "^" SC_RE_IPV4 "$"
#define SC_RE_PREFIX "^" SC_RE_IPV4 "/(3[0-2]|[12]?[0-9])$"
#define SC_RE_IFADDR "^" SC_RE_IPV4 "/(3[0-2]|[12][0-9]|[1-9])$"
#define SC_RE_MAC "^[0-9A-Fa-f]{2}(:[0-9A-Fa-f]{2}){5}$"
#define SC_RE_NAME1 "[A-Za-z0-9_][A-Za-z0-9_.-]*"
#define SC_RE_ENDPOINT "^" SC_RE_NAME1 ":" SC_RE_NAME1 "$"
#define SC_RE_DST "^" SC_RE_NAME1 "(:" SC_RE_NAME1 ")?$"

#endif
