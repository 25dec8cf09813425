/*
 * scenario_load.c - YAML scenario files into struct scenario.
 *
 * Two passes. The first walks libyaml's document tree with the field tables
 * of scenario_fields.c: every key is looked up in its mapping's table, every
 * value is parsed by its field type into the staging structs (ld_*), and
 * missing keys get their defaults. The second pass checks what needs the
 * whole file: names are unique, references resolve, link ends agree,
 * next hops are reachable. Both passes report every error they find and
 * keep going; only a file without errors becomes a struct scenario.
 *
 * libyaml's loader builds the tree without recursion, and the walk is driven
 * by the tables, so its depth is bounded by theirs whatever the input
 * nests. Aliases may make the tree a graph (even a cyclic one), so the walk
 * counts the nodes it visits against a budget proportional to the file:
 * "billion laughs" input stops with an error instead of running for ever.
 */
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include <yaml.h>

#include "scenario.h"
#include "scenario_fields.h"

#define SC_TIME_LIMIT (SIM_S(3600) * 100000)
#include "sim.h"

#define MAX_TABLE_FIELDS 32
#define MAX_DEPTH 64		/* deepest nesting of a file, any key */
#define SUGGEST_MAX_ERRORS 200	/* stop computing did-you-means after this */
#define UDP_IP_OVERHEAD 28u	/* IPv4 + UDP headers, for udp_cbr rate */

struct diag_msg {		/* printed sorted by place, once all are in */
	struct sc_loc loc;
	unsigned seq;
	char *text;
};

struct ld {
	const char *file;
	FILE *diag;
	unsigned n_errors;
	struct diag_msg *msgs;
	size_t n_msgs, cap_msgs;
	yaml_document_t *doc;
	uint64_t visits, max_visits;
	bool exhausted;
	struct ld_scenario *sc;
	char qbuf[4][100];	/* quoted user text for messages */
	unsigned qi;
};

static void ld_error(struct ld *ld, struct sc_loc loc, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void
ld_error(struct ld *ld, struct sc_loc loc, const char *fmt, ...)
{
	struct diag_msg *m;
	va_list ap;
	int n;

	ld->n_errors++;
	if (ld->diag == NULL)
		return;
	if (ld->n_msgs == ld->cap_msgs) {
		ld->cap_msgs = ld->cap_msgs ? 2 * ld->cap_msgs : 16;
		ld->msgs = xrealloc(ld->msgs, ld->cap_msgs * sizeof(*ld->msgs));
	}
	m = &ld->msgs[ld->n_msgs];
	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	m->text = xmalloc((size_t)(n < 0 ? 0 : n) + 1);
	va_start(ap, fmt);
	vsnprintf(m->text, (size_t)(n < 0 ? 0 : n) + 1, fmt, ap);
	va_end(ap);
	m->loc = loc;
	m->seq = (unsigned)ld->n_msgs++;
}

static int
diag_cmp(const void *a, const void *b)
{
	const struct diag_msg *x = a, *y = b;

	if (x->loc.line != y->loc.line)
		return x->loc.line < y->loc.line ? -1 : 1;
	if (x->loc.col != y->loc.col)
		return x->loc.col < y->loc.col ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

/* Print the messages in file order and forget them. */
static void
ld_flush(struct ld *ld)
{
	size_t i;

	if (ld->n_msgs == 0)
		return;
	qsort(ld->msgs, ld->n_msgs, sizeof(*ld->msgs), diag_cmp);
	for (i = 0; i < ld->n_msgs; i++) {
		fprintf(ld->diag, "%s:%u:%u: error: %s\n", ld->file,
		    ld->msgs[i].loc.line, ld->msgs[i].loc.col,
		    ld->msgs[i].text);
		free(ld->msgs[i].text);
	}
	free(ld->msgs);
	ld->msgs = NULL;
	ld->n_msgs = ld->cap_msgs = 0;
}

/*
 * User text, shortened and with control characters replaced, for use in a
 * message. Four buffers rotate, so one message can show four such strings.
 */
static const char *
q(struct ld *ld, const char *s)
{
	char *b = ld->qbuf[ld->qi++ % 4];
	size_t i, n = 0, max = sizeof(ld->qbuf[0]) - 4;

	if (s == NULL)
		s = "";
	for (i = 0; s[i] != '\0' && n < max; i++)
		b[n++] = isprint((unsigned char)s[i]) ? s[i] : '?';
	if (s[i] != '\0') {
		memcpy(b + n - 3, "...", 3);
	}
	b[n] = '\0';
	return b;
}

static struct sc_loc
loc_of(const yaml_node_t *n)
{
	struct sc_loc l = { (uint32_t)n->start_mark.line + 1,
		(uint32_t)n->start_mark.column + 1 };

	return l;
}

static bool
visit(struct ld *ld, const yaml_node_t *n)
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

static const char *
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

static bool
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

/* --- did you mean ---------------------------------------------------- */

/* Optimal string alignment distance: Levenshtein plus transpositions. */
static size_t
osa_distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b), i, j;
	uint8_t d[SC_NAME_MAX + 1][SC_NAME_MAX + 1];	/* distances <= 64 */

	if (la > SC_NAME_MAX || lb > SC_NAME_MAX)
		return SIZE_MAX;
	for (i = 0; i <= la; i++)
		d[i][0] = (uint8_t)i;
	for (j = 0; j <= lb; j++)
		d[0][j] = (uint8_t)j;
	for (i = 1; i <= la; i++) {
		for (j = 1; j <= lb; j++) {
			size_t cost = a[i - 1] != b[j - 1];
			size_t v = (size_t)d[i - 1][j] + 1;

			if ((size_t)d[i][j - 1] + 1 < v)
				v = (size_t)d[i][j - 1] + 1;
			if ((size_t)d[i - 1][j - 1] + cost < v)
				v = (size_t)d[i - 1][j - 1] + cost;
			if (i > 1 && j > 1 && a[i - 1] == b[j - 2] &&
			    a[i - 2] == b[j - 1] &&
			    (size_t)d[i - 2][j - 2] + 1 < v)
				v = (size_t)d[i - 2][j - 2] + 1;
			d[i][j] = (uint8_t)v;
		}
	}
	return d[la][lb];
}

/*
 * The closest of n names (char * at base + i * stride + off) to word, if
 * close enough to be a plausible typo, else NULL.
 */
static const char *
suggest(struct ld *ld, const char *word, const void *base, size_t n,
    size_t stride, size_t off)
{
	size_t i, best = SIZE_MAX, wl = strlen(word), max;
	const char *found = NULL;

	if (word == NULL || wl > SC_NAME_MAX ||
	    ld->n_errors > SUGGEST_MAX_ERRORS)
		return NULL;
	max = wl <= 3 ? 1 : wl <= 6 ? 2 : 3;
	for (i = 0; i < n; i++) {
		const char *c;
		size_t d, cl;

		memcpy(&c, (const char *)base + i * stride + off, sizeof(c));
		if (c == NULL)
			continue;
		cl = strlen(c);
		if (cl > wl + max || wl > cl + max)
			continue;
		d = osa_distance(word, c);
		if (d <= max && (d < cl || d < wl) && d < best) {
			best = d;
			found = c;
		}
	}
	return found;
}

/* " (did you mean 'x'?)" or "" in buf. */
static const char *
dym(struct ld *ld, char *buf, size_t len, const char *s)
{
	if (s == NULL)
		buf[0] = '\0';
	else
		snprintf(buf, len, " (did you mean '%s'?)", q(ld, s));
	return buf;
}

/* --- a small name index, so that big files stay linear ----------------- */

struct idx_ent {
	const char *a, *b;	/* a key is one or two names */
	size_t v;
};

struct idx {
	struct idx_ent *e;
	size_t cap, n;
};

static uint64_t
idx_hash(const char *a, const char *b)
{
	uint64_t h = 1469598103934665603ULL;

	for (; *a != '\0'; a++)
		h = (h ^ (unsigned char)*a) * 1099511628211ULL;
	h = (h ^ 0xff) * 1099511628211ULL;
	for (; b != NULL && *b != '\0'; b++)
		h = (h ^ (unsigned char)*b) * 1099511628211ULL;
	return h;
}

static bool
idx_eq(const struct idx_ent *e, const char *a, const char *b)
{
	return strcmp(e->a, a) == 0 &&
	    (e->b == NULL ? b == NULL : b != NULL && strcmp(e->b, b) == 0);
}

static size_t *
idx_find(const struct idx *x, const char *a, const char *b)
{
	size_t i;

	if (x->cap == 0)
		return NULL;
	for (i = idx_hash(a, b) & (x->cap - 1); x->e[i].a != NULL;
	    i = (i + 1) & (x->cap - 1))
		if (idx_eq(&x->e[i], a, b))
			return &x->e[i].v;
	return NULL;
}

/* Adds (a, b) -> v unless present; returns the value now stored. */
static size_t
idx_add(struct idx *x, const char *a, const char *b, size_t v)
{
	size_t i, *old;

	if ((old = idx_find(x, a, b)) != NULL)
		return *old;
	if (2 * (x->n + 1) > x->cap) {
		struct idx bigger = { NULL, x->cap ? 2 * x->cap : 64, 0 };

		bigger.e = xcalloc(bigger.cap, sizeof(*bigger.e));
		for (i = 0; i < x->cap; i++)
			if (x->e[i].a != NULL)
				idx_add(&bigger, x->e[i].a, x->e[i].b,
				    x->e[i].v);
		free(x->e);
		*x = bigger;
	}
	for (i = idx_hash(a, b) & (x->cap - 1); x->e[i].a != NULL;
	    i = (i + 1) & (x->cap - 1))
		;
	x->e[i] = (struct idx_ent){ a, b, v };
	x->n++;
	return v;
}

/* --- values ---------------------------------------------------------- */

static void
put_ptr(char *obj, size_t off, const void *p)
{
	memcpy(obj + off, &p, sizeof(p));
}

static void
put_uint(char *obj, size_t off, unsigned width, uint64_t v)
{
	uint8_t u8 = (uint8_t)v;
	uint16_t u16 = (uint16_t)v;
	uint32_t u32 = (uint32_t)v;

	switch (width) {
	case 1:
		memcpy(obj + off, &u8, 1);
		break;
	case 2:
		memcpy(obj + off, &u16, 2);
		break;
	case 4:
		memcpy(obj + off, &u32, 4);
		break;
	case 8:
		memcpy(obj + off, &v, 8);
		break;
	default:
		SIM_ASSERT(0, "field width %u", width);
	}
}

static int
get_int(const char *obj, size_t off)
{
	int v;

	memcpy(&v, obj + off, sizeof(v));
	return v;
}

static bool
valid_name(const char *s)
{
	size_t n = 0;

	for (; s[n] != '\0'; n++)
		if (!isalnum((unsigned char)s[n]) && s[n] != '_' &&
		    s[n] != '.' && s[n] != '-')
			return false;
	return n > 0 && n <= SC_NAME_MAX;
}

static const char *
name_problem(const char *s)
{
	if (s[0] == '\0')
		return "is empty";
	if (strlen(s) > SC_NAME_MAX)
		return "is longer than 64 characters";
	return "may only contain letters, digits, '_', '.' and '-'";
}

/* "a.b.c.d" of exactly len bytes, decimal octets without leading zeros. */
static bool
ip_parse(const char *s, size_t len, uint32_t *out)
{
	uint32_t a = 0;
	size_t i = 0;
	int octet;

	for (octet = 0; octet < 4; octet++) {
		unsigned v = 0, digits = 0;

		if (octet > 0) {
			if (i >= len || s[i] != '.')
				return false;
			i++;
		}
		while (i < len && isdigit((unsigned char)s[i]) && digits < 4) {
			if (digits == 1 && v == 0)
				return false;	/* leading zero */
			v = v * 10 + (unsigned)(s[i++] - '0');
			digits++;
		}
		if (digits == 0 || v > 255)
			return false;
		a = a << 8 | v;
	}
	if (i != len)
		return false;
	*out = a;
	return true;
}

/* "a.b.c.d/len"; 1 if ok, 0 if malformed, -1 if the /len is missing. */
static int
prefix_parse(const char *s, uint32_t *addr, uint8_t *plen)
{
	const char *slash = strchr(s, '/');
	unsigned v = 0;
	const char *p;

	if (slash == NULL)
		return ip_parse(s, strlen(s), addr) ? -1 : 0;
	if (!ip_parse(s, (size_t)(slash - s), addr))
		return 0;
	p = slash + 1;
	if (!isdigit((unsigned char)p[0]) || (p[0] == '0' && p[1] != '\0'))
		return 0;
	for (; isdigit((unsigned char)*p) && v <= 32; p++)
		v = v * 10 + (unsigned)(*p - '0');
	if (*p != '\0' || v > 32)
		return 0;
	*plen = (uint8_t)v;
	return 1;
}

static uint32_t
plen_mask(unsigned plen)
{
	return plen == 0 ? 0 : 0xffffffffu << (32 - plen);
}

static const char *
ip_fmt(char *buf, size_t len, uint32_t a)
{
	snprintf(buf, len, "%u.%u.%u.%u", a >> 24, (a >> 16) & 0xff,
	    (a >> 8) & 0xff, a & 0xff);
	return buf;
}

static bool
parse_uint(const char *s, uint64_t *out)
{
	uint64_t v = 0;

	if (*s == '\0')
		return false;
	for (; *s != '\0'; s++) {
		if (!isdigit((unsigned char)*s))
			return false;
		if (v > (UINT64_MAX - (unsigned)(*s - '0')) / 10)
			return false;
		v = v * 10 + (unsigned)(*s - '0');
	}
	*out = v;
	return true;
}

static bool
lookup_enum(const char *const *names, const char *s, int *out)
{
	int i;

	for (i = 0; names[i] != NULL; i++)
		if (strcmp(names[i], s) == 0) {
			*out = i;
			return true;
		}
	return false;
}

static size_t
count_names(const char *const *names)
{
	size_t n = 0;

	while (names[n] != NULL)
		n++;
	return n;
}

static void
list_names(char *buf, size_t len, const char *const *names)
{
	size_t off = 0;
	int i;

	buf[0] = '\0';
	for (i = 0; names[i] != NULL && off < len; i++)
		off += (size_t)snprintf(buf + off, len - off, "%s%s",
		    i ? ", " : "", names[i]);
}

/* Checks a unit-bearing value against the field's range. */
static bool
check_range(struct ld *ld, const struct sc_field *f, struct sc_loc loc,
    uint64_t v, const char *text)
{
	if (f->type == SC_FT_RATE && v < f->min) {
		ld_error(ld, loc, "'%s' must be more than 0bps (zero bandwidth)",
		    f->name);
		return false;
	}
	if (f->type == SC_FT_TIME && v < f->min) {
		ld_error(ld, loc, "'%s' must be greater than 0", f->name);
		return false;
	}
	if (v < f->min || (f->max != 0 && v > f->max)) {
		ld_error(ld, loc, "'%s' %s is out of range (%llu..%llu)",
		    f->name, q(ld, text), (unsigned long long)f->min,
		    (unsigned long long)f->max);
		return false;
	}
	return true;
}

/*
 * Parse the scalar text of field f into obj. plain is false for quoted
 * scalars, which are strings and so not numbers or booleans.
 */
static bool
parse_text(struct ld *ld, const struct sc_field *f, const char *s, bool plain,
    struct sc_loc loc, char *obj)
{
	char err[200], a1[20], hint[120];
	uint64_t u;
	sim_time t;
	uint32_t addr;
	uint8_t plen;
	int r, e;

	switch (f->type) {
	case SC_FT_STRING:
		put_ptr(obj, f->off, xstrdup(s));
		return true;
	case SC_FT_NAME:
		if (!valid_name(s)) {
			ld_error(ld, loc, "'%s': name '%s' %s", f->name,
			    q(ld, s), name_problem(s));
			return false;
		}
		put_ptr(obj, f->off, xstrdup(s));
		return true;
	case SC_FT_UINT:
		if (!plain || !parse_uint(s, &u)) {
			ld_error(ld, loc, "'%s': expected a whole number, got "
			    "%s'%s'", f->name, plain ? "" : "the string ",
			    q(ld, s));
			return false;
		}
		if (!check_range(ld, f, loc, u, s))
			return false;
		put_uint(obj, f->off, f->width, u);
		return true;
	case SC_FT_BOOL:
		if (plain && (strcmp(s, "true") == 0 ||
		    strcmp(s, "false") == 0)) {
			bool b = s[0] == 't';

			memcpy(obj + f->off, &b, sizeof(b));
			return true;
		}
		ld_error(ld, loc, "'%s': expected true or false, got '%s'",
		    f->name, q(ld, s));
		return false;
	case SC_FT_TIME:
		if (units_parse_time(s, 1, &t, err, sizeof(err)) < 0) {
			ld_error(ld, loc, "'%s': bad time '%s': %s (e.g. 250ms, "
			    "1.5s)", f->name, q(ld, s), err);
			return false;
		}
		if (t < 0) {
			ld_error(ld, loc, "'%s' must not be negative (got %s)",
			    f->name, q(ld, s));
			return false;
		}
		/*
		 * Keep sums of a few times (start + duration, queueing +
		 * propagation) far from int64 overflow.
		 */
		if (t > SC_TIME_LIMIT) {
			ld_error(ld, loc, "'%s': %s is too long (at most "
			    "100000h, about 11 years)", f->name, q(ld, s));
			return false;
		}
		if (!check_range(ld, f, loc, (uint64_t)t, s))
			return false;
		memcpy(obj + f->off, &t, sizeof(t));
		return true;
	case SC_FT_RATE:
		if (units_parse_rate(s, &u, err, sizeof(err)) < 0) {
			ld_error(ld, loc, "'%s': bad rate '%s': %s (e.g. 1Gbps, "
			    "500Mbps)", f->name, q(ld, s), err);
			return false;
		}
		if (!check_range(ld, f, loc, u, s))
			return false;
		memcpy(obj + f->off, &u, sizeof(u));
		return true;
	case SC_FT_SIZE:
		if (units_parse_bytes(s, &u, err, sizeof(err)) < 0) {
			ld_error(ld, loc, "'%s': bad size '%s': %s (e.g. 1500, "
			    "64KB)", f->name, q(ld, s), err);
			return false;
		}
		if (!check_range(ld, f, loc, u, s))
			return false;
		put_uint(obj, f->off, f->width, u);
		return true;
	case SC_FT_PROB: {
		char *end;
		double p;

		errno = 0;
		p = plain && s[0] != '\0' ? strtod(s, &end) : NAN;
		if (isnan(p) || *end != '\0' || errno != 0) {
			ld_error(ld, loc, "'%s': expected a probability between "
			    "0 and 1, got '%s'", f->name, q(ld, s));
			return false;
		}
		if (!(p >= 0.0 && p <= 1.0)) {
			ld_error(ld, loc, "'%s' is a probability and must be "
			    "between 0 and 1, not %s", f->name, q(ld, s));
			return false;
		}
		memcpy(obj + f->off, &p, sizeof(p));
		return true;
	}
	case SC_FT_IFADDR:
		r = prefix_parse(s, &addr, &plen);
		if (r <= 0) {
			ld_error(ld, loc, "'%s': %s '%s' (expected a.b.c.d/len, "
			    "e.g. 10.1.1.4/24)", f->name,
			    r < 0 ? "missing the prefix length in" :
			    "bad address", q(ld, s));
			return false;
		}
		if (plen <= 30 && (addr & ~plen_mask(plen)) == 0) {
			ld_error(ld, loc, "'%s': %s is the network address of "
			    "its subnet (use a host address)", f->name,
			    q(ld, s));
			return false;
		}
		if (plen <= 30 && (~addr & ~plen_mask(plen)) == 0) {
			ld_error(ld, loc, "'%s': %s is the broadcast address "
			    "of its subnet (use a host address)", f->name,
			    q(ld, s));
			return false;
		}
		memcpy(obj + f->off, &addr, sizeof(addr));
		memcpy(obj + f->off2, &plen, sizeof(plen));
		return true;
	case SC_FT_PREFIX:
		r = prefix_parse(s, &addr, &plen);
		if (r <= 0) {
			ld_error(ld, loc, "'%s': %s '%s' (expected a.b.c.d/len, "
			    "e.g. 10.2.0.0/16)", f->name,
			    r < 0 ? "missing the prefix length in" :
			    "bad prefix", q(ld, s));
			return false;
		}
		if ((addr & ~plen_mask(plen)) != 0) {
			ld_error(ld, loc, "'%s': %s has host bits set (did you "
			    "mean %s/%u?)", f->name, q(ld, s),
			    ip_fmt(a1, sizeof(a1), addr & plen_mask(plen)),
			    plen);
			return false;
		}
		memcpy(obj + f->off, &addr, sizeof(addr));
		memcpy(obj + f->off2, &plen, sizeof(plen));
		return true;
	case SC_FT_ADDR:
		if (!ip_parse(s, strlen(s), &addr)) {
			ld_error(ld, loc, "'%s': bad IPv4 address '%s' (expected "
			    "a.b.c.d)", f->name, q(ld, s));
			return false;
		}
		memcpy(obj + f->off, &addr, sizeof(addr));
		return true;
	case SC_FT_MAC: {
		uint8_t mac[6];
		unsigned i;
		bool ok = strlen(s) == 17, yes = true;

		for (i = 0; ok && i < 6; i++) {
			const char *p = s + 3 * i;

			if (!isxdigit((unsigned char)p[0]) ||
			    !isxdigit((unsigned char)p[1]) ||
			    (i < 5 && p[2] != ':')) {
				ok = false;
				break;
			}
			mac[i] = (uint8_t)strtoul((char[3]){ p[0], p[1], 0 },
			    NULL, 16);
		}
		if (!ok) {
			ld_error(ld, loc, "'%s': bad MAC address '%s' (expected "
			    "six hex bytes, e.g. 02:00:00:00:00:01)", f->name,
			    q(ld, s));
			return false;
		}
		if (mac[0] & 1) {
			ld_error(ld, loc, "'%s': %s is a multicast address (an "
			    "interface needs a unicast one; clear the lowest "
			    "bit of the first byte)", f->name, q(ld, s));
			return false;
		}
		if ((mac[0] | mac[1] | mac[2] | mac[3] | mac[4] | mac[5]) == 0) {
			ld_error(ld, loc, "'%s': the all-zero MAC address is "
			    "not valid", f->name);
			return false;
		}
		memcpy(obj + f->off, mac, 6);
		memcpy(obj + f->off2, &yes, sizeof(yes));
		return true;
	}
	case SC_FT_ENUM:
		if (!lookup_enum(f->names, s, &e)) {
			list_names(err, sizeof(err), f->names);
			ld_error(ld, loc, "unknown %s '%s'%s (one of: %s)",
			    f->name, q(ld, s),
			    dym(ld, hint, sizeof(hint), suggest(ld, s, f->names,
			    count_names(f->names), sizeof(char *), 0)), err);
			return false;
		}
		if (f->enum_str) {
			put_ptr(obj, f->off, xstrdup(s));
		} else {
			e++;
			memcpy(obj + f->off, &e, sizeof(e));
		}
		return true;
	case SC_FT_ENDPOINT: {
		const char *colon = strchr(s, ':');
		char *node;

		if (colon == NULL) {
			ld_error(ld, loc, "'%s': expected node:interface, got "
			    "'%s'", f->name, q(ld, s));
			return false;
		}
		node = xstrdup(s);
		node[colon - s] = '\0';
		if (!valid_name(node) || !valid_name(colon + 1)) {
			ld_error(ld, loc, "'%s': bad endpoint '%s' (expected "
			    "node:interface, each a name)", f->name, q(ld, s));
			free(node);
			return false;
		}
		put_ptr(obj, f->off, node);
		put_ptr(obj, f->off2, xstrdup(colon + 1));
		return true;
	}
	case SC_FT_DST: {
		const char *colon = strchr(s, ':');
		bool ok;

		if (colon == NULL) {
			ok = valid_name(s);
		} else {
			char *node = xstrdup(s);

			node[colon - s] = '\0';
			ok = valid_name(node) && valid_name(colon + 1);
			free(node);
		}
		if (!ok) {
			ld_error(ld, loc, "'%s': expected an IPv4 address, a "
			    "node or node:interface, got '%s'", f->name,
			    q(ld, s));
			return false;
		}
		put_ptr(obj, f->off, xstrdup(s));
		return true;
	}
	case SC_FT_PCAP:
		/* The list form is parsed in parse_value. */
		if (strcmp(s, "all") == 0) {
			struct sc_capture *c = xcalloc(1, sizeof(*c));
			size_t one = 1;

			c->loc = loc;
			put_ptr(obj, f->off, c);
			memcpy(obj + f->off2, &one, sizeof(one));
			return true;
		}
		if (strcmp(s, "none") == 0)
			return true;
		ld_error(ld, loc, "'%s': expected all, none or a list of node "
		    "and node:interface, got '%s'", f->name, q(ld, s));
		return false;
	case SC_FT_POS:
	case SC_FT_NAMES:
	case SC_FT_LIST:
	case SC_FT_MAP:
	case SC_FT_MAX:
		break;
	}
	SIM_ASSERT(0, "field '%s': type %d has no text form", f->name,
	    f->type);
}

static void walk_map(struct ld *ld, const struct sc_table *t,
    yaml_node_t *map, char *obj);
static void apply_defaults(struct ld *ld, const struct sc_table *t,
    char *obj, int kind, uint32_t given, struct sc_loc loc);

/*
 * The text of a scalar, or NULL after an error. Scalars with an embedded
 * NUL (possible with "\0" escapes) are refused, so C strings are exact.
 */
static const char *
scalar(struct ld *ld, const yaml_node_t *v, const char *what)
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
item(struct ld *ld, yaml_node_item_t *it)
{
	return yaml_document_get_node(ld->doc, *it);
}

static bool
expect(struct ld *ld, const yaml_node_t *v, yaml_node_type_t type,
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

static void
parse_list(struct ld *ld, const struct sc_field *f, yaml_node_t *v, char *obj)
{
	size_t n = seq_len(v), i;
	char *arr;

	if (n == 0)
		return;
	arr = xcalloc(n, f->sub->size);
	put_ptr(obj, f->off, arr);
	memcpy(obj + f->off2, &n, sizeof(n));
	for (i = 0; i < n; i++) {
		yaml_node_t *it = item(ld, &v->data.sequence.items.start[i]);
		char *elem = arr + i * f->sub->size;
		struct sc_loc l;

		if (it == NULL || !visit(ld, it))
			break;
		l = loc_of(it);
		memcpy(elem + f->sub->loc_off, &l, sizeof(l));
		if (it->type != YAML_MAPPING_NODE) {
			ld_error(ld, l, "each item of '%s' must be a mapping "
			    "(a %s), got %s", f->name, f->sub->name,
			    is_null(it) ? "nothing" : kind_of(it));
			continue;
		}
		walk_map(ld, f->sub, it, elem);
	}
}

static void
parse_pos(struct ld *ld, const struct sc_field *f, yaml_node_t *v, char *obj)
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
		if (!plain(it) || !parse_uint(s, &u) || u > f->max) {
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
parse_names(struct ld *ld, const struct sc_field *f, yaml_node_t *v,
    char *obj)
{
	struct ld_names ns = { NULL, NULL, 0 };
	size_t n = seq_len(v), i;

	if (n > 0) {
		ns.v = xcalloc(n, sizeof(*ns.v));
		ns.loc = xcalloc(n, sizeof(*ns.loc));
	}
	for (i = 0; i < n; i++) {
		yaml_node_t *it = item(ld, &v->data.sequence.items.start[i]);
		const char *s;

		if (it == NULL || !visit(ld, it))
			break;
		ns.loc[i] = loc_of(it);
		if ((s = scalar(ld, it, f->name)) == NULL)
			continue;
		if (!valid_name(s)) {
			ld_error(ld, loc_of(it), "'%s': name '%s' %s", f->name,
			    q(ld, s), name_problem(s));
			continue;
		}
		ns.v[i] = xstrdup(s);
	}
	ns.n = n;
	memcpy(obj + f->off, &ns, sizeof(ns));
}

static void
parse_pcap_list(struct ld *ld, const struct sc_field *f, yaml_node_t *v,
    char *obj)
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

static void
parse_value(struct ld *ld, const struct sc_field *f, yaml_node_t *v,
    char *obj)
{
	const char *s;

	switch (f->type) {
	case SC_FT_LIST:
		if (expect(ld, v, YAML_SEQUENCE_NODE, f->name))
			parse_list(ld, f, v, obj);
		return;
	case SC_FT_MAP:
		if (expect(ld, v, YAML_MAPPING_NODE, f->name))
			walk_map(ld, f->sub, v, obj + f->off);
		else
			apply_defaults(ld, f->sub, obj + f->off, 0, 0,
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
	case SC_FT_PCAP:
		if (v->type == YAML_SEQUENCE_NODE) {
			parse_pcap_list(ld, f, v, obj);
			return;
		}
		break;
	default:
		break;
	}
	if ((s = scalar(ld, v, f->name)) != NULL)
		parse_text(ld, f, s, plain(v), loc_of(v), obj);
}

static const char *
field_default(const struct sc_field *f, int kind)
{
	if (kind > 0 && kind < 4 && f->kdef[kind] != NULL)
		return f->kdef[kind];
	return f->def;
}

static bool
applies(const struct sc_field *f, int kind)
{
	return f->kinds == 0 || (kind > 0 && kind < 32 &&
	    (f->kinds & (1u << kind)) != 0);
}

static void
apply_defaults(struct ld *ld, const struct sc_table *t, char *obj, int kind,
    uint32_t given, struct sc_loc loc)
{
	size_t i;

	for (i = 0; i < t->n_fields; i++) {
		const struct sc_field *f = &t->fields[i];
		const char *def = field_default(f, kind);

		if ((given & (1u << i)) != 0 || !applies(f, kind))
			continue;
		if (f->type == SC_FT_MAP) {
			apply_defaults(ld, f->sub, obj + f->off, 0, 0, loc);
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

/* "udp_cbr" or "ping, traceroute": the kinds in mask, for messages. */
static void
kinds_text(char *buf, size_t len, const struct sc_field *disc, uint32_t mask)
{
	size_t off = 0;
	int k;

	buf[0] = '\0';
	for (k = 0; disc->names[k] != NULL && off < len; k++)
		if (mask & (1u << (k + 1)))
			off += (size_t)snprintf(buf + off, len - off, "%s%s",
			    off ? ", " : "", disc->names[k]);
}

static void
walk_map(struct ld *ld, const struct sc_table *t, yaml_node_t *map, char *obj)
{
	struct sc_loc keyloc[MAX_TABLE_FIELDS], l = loc_of(map);
	yaml_node_pair_t *p;
	uint32_t given = 0, bad = 0;
	int kind = 0;
	size_t i;

	SIM_ASSERT(t->n_fields <= MAX_TABLE_FIELDS, "table %s", t->name);
	if (!visit(ld, map))
		return;
	if (t->loc_off != SC_NO_OFF)
		memcpy(obj + t->loc_off, &l, sizeof(l));
	/* The kind decides which keys apply, so read it first. */
	if (t->disc >= 0) {
		const struct sc_field *df = &t->fields[t->disc];

		for (p = map->data.mapping.pairs.start;
		    p < map->data.mapping.pairs.top; p++) {
			yaml_node_t *k = yaml_document_get_node(ld->doc, p->key);
			yaml_node_t *v = yaml_document_get_node(ld->doc,
			    p->value);

			if (k != NULL && v != NULL &&
			    k->type == YAML_SCALAR_NODE &&
			    k->data.scalar.length == strlen(df->name) &&
			    strcmp((const char *)k->data.scalar.value,
			    df->name) == 0) {
				parse_value(ld, df, v, obj);
				kind = get_int(obj, df->off);
				break;
			}
		}
	}
	for (p = map->data.mapping.pairs.start;
	    p < map->data.mapping.pairs.top; p++) {
		yaml_node_t *k = yaml_document_get_node(ld->doc, p->key);
		yaml_node_t *v = yaml_document_get_node(ld->doc, p->value);
		const struct sc_field *f;
		const char *key;
		char hint[160], kinds[100];
		unsigned errs;
		int fi;

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
		if ((fi = find_field(t, key)) < 0) {
			const char *s = suggest(ld, key, t->fields, t->n_fields,
			    sizeof(*t->fields), offsetof(struct sc_field, name));

			if (s != NULL) {
				dym(ld, hint, sizeof(hint), s);
			} else {
				size_t off, j;

				off = (size_t)snprintf(hint, sizeof(hint),
				    " (valid keys: ");
				for (j = 0; j < t->n_fields &&
				    off < sizeof(hint); j++)
					off += (size_t)snprintf(hint + off,
					    sizeof(hint) - off, "%s%s",
					    j ? ", " : "", t->fields[j].name);
				if (off < sizeof(hint))
					snprintf(hint + off, sizeof(hint) - off,
					    ")");
			}
			if (strcmp(key, "<<") == 0)
				snprintf(hint, sizeof(hint), " (YAML merge keys "
				    "are not supported: alias whole values "
				    "instead, e.g. loss: *lossy)");
			ld_error(ld, loc_of(k), "unknown key '%s' in %s%s",
			    q(ld, key), t->name, hint);
			continue;
		}
		f = &t->fields[fi];
		if (given & (1u << fi)) {
			ld_error(ld, loc_of(k), "duplicate key '%s' (first at "
			    "%u:%u)", key, keyloc[fi].line, keyloc[fi].col);
			continue;
		}
		given |= 1u << fi;
		keyloc[fi] = loc_of(k);
		if (t->vloc_off != SC_NO_OFF) {
			struct sc_loc vl = loc_of(v);

			memcpy(obj + t->vloc_off + (size_t)fi * sizeof(vl),
			    &vl, sizeof(vl));
		}
		if (kind > 0 && !applies(f, kind)) {
			const struct sc_field *df = &t->fields[t->disc];

			kinds_text(kinds, sizeof(kinds), df, f->kinds);
			ld_error(ld, loc_of(k), "key '%s' does not apply when "
			    "%s is %s (only for %s)", key, df->name,
			    df->names[kind - 1], kinds);
			continue;
		}
		if (fi == t->disc) {
			if (kind == 0)
				bad |= 1u << fi;
			continue;
		}
		errs = ld->n_errors;
		parse_value(ld, f, v, obj);
		if (ld->n_errors != errs)
			bad |= 1u << fi;
	}
	for (i = 0; i < t->n_fields; i++) {
		const struct sc_field *f = &t->fields[i];

		if ((given & (1u << i)) || !f->required)
			continue;
		if (f->kinds != 0 && kind == 0)
			continue;	/* the kind is missing or wrong */
		if (!applies(f, kind))
			continue;
		ld_error(ld, l, "%s is missing required key '%s' (%s)",
		    t->name, f->name, f->doc);
	}
	apply_defaults(ld, t, obj, kind, given, l);
	if (t->keys_off != SC_NO_OFF) {
		struct ld_keys keys = { given, bad };

		memcpy(obj + t->keys_off, &keys, sizeof(keys));
	}
}

/* --- cross-reference checks ---------------------------------------- */

/* Was field i given with a good value? */
static bool
ok(const struct ld_keys *k, int i)
{
	return (k->given & (1u << i)) && !(k->bad & (1u << i));
}

static bool
given(const struct ld_keys *k, int i)
{
	return (k->given & (1u << i)) != 0;
}

static bool
same_vrf(const char *a, const char *b)
{
	return a == NULL ? b == NULL : b != NULL && strcmp(a, b) == 0;
}

static const char *
vrf_text(struct ld *ld, const char *vrf)
{
	static const char def[] = "the default VRF";

	if (vrf == NULL)
		return def;
	return q(ld, vrf);
}

static struct ld_node *
find_node(struct ld *ld, const struct idx *nodes, const char *name,
    struct sc_loc loc)
{
	size_t *v;
	char hint[120];

	if (name == NULL)
		return NULL;
	if ((v = idx_find(nodes, name, NULL)) != NULL)
		return &ld->sc->nodes[*v];
	ld_error(ld, loc, "unknown node '%s'%s", q(ld, name),
	    dym(ld, hint, sizeof(hint), suggest(ld, name, ld->sc->nodes,
	    ld->sc->n_nodes, sizeof(struct ld_node),
	    offsetof(struct ld_node, pub.name))));
	return NULL;
}

static struct ld_iface *
find_iface(struct ld *ld, const struct idx *ifaces, struct ld_node *n,
    const char *name, struct sc_loc loc)
{
	size_t *v;
	char hint[120];

	if (n == NULL || name == NULL)
		return NULL;
	if (n->dup || n->pub.name == NULL) {	/* not in the index */
		size_t i;

		for (i = 0; i < n->n_ifaces; i++)
			if (n->ifaces[i].pub.name != NULL &&
			    strcmp(n->ifaces[i].pub.name, name) == 0)
				return &n->ifaces[i];
	} else if ((v = idx_find(ifaces, n->pub.name, name)) != NULL) {
		return &n->ifaces[*v];
	}
	ld_error(ld, loc, "node '%s' has no interface '%s'%s",
	    q(ld, n->pub.name), q(ld, name), dym(ld, hint, sizeof(hint),
	    suggest(ld, name, n->ifaces, n->n_ifaces, sizeof(struct ld_iface),
	    offsetof(struct ld_iface, pub.name))));
	return NULL;
}

/* "connected: 10.0.0.0/24, ..." or "it has no subnet there" in buf. */
static void
connected_text(char *buf, size_t len, const struct ld_node *n,
    const char *vrf)
{
	size_t i, off = 0, k = 0;
	char a[20];

	for (i = 0; i < n->n_ifaces && off < len; i++) {
		const struct sc_iface *f = &n->ifaces[i].pub;

		if (f->plen == 0 || f->plen == 32 || !same_vrf(f->vrf, vrf))
			continue;
		if (k++ == 4) {
			off += (size_t)snprintf(buf + off, len - off, ", ...");
			break;
		}
		off += (size_t)snprintf(buf + off, len - off, "%s%s/%u",
		    k == 1 ? "connected: " : ", ",
		    ip_fmt(a, sizeof(a), f->addr & plen_mask(f->plen)),
		    f->plen);
	}
	if (k == 0)
		snprintf(buf, len, "it has no subnet there");
}

static void
check_route(struct ld *ld, const struct idx *ifaces, struct ld_node *n,
    struct ld_route *r)
{
	const struct sc_route *rt = &r->pub;
	char a1[20], subnets[160];
	size_t i;

	if (!given(&r->keys, RT_VIA) && !given(&r->keys, RT_IFACE)) {
		ld_error(ld, rt->loc, "route to %s/%u needs via, iface or both",
		    ip_fmt(a1, sizeof(a1), rt->prefix), rt->plen);
		return;
	}
	if (given(&r->keys, RT_IFACE)) {
		struct ld_iface *ifc = rt->iface == NULL ? NULL :
		    find_iface(ld, ifaces, n, rt->iface, r->vloc[RT_IFACE]);

		if (ifc != NULL && !same_vrf(ifc->pub.vrf, rt->vrf))
			ld_error(ld, r->vloc[RT_IFACE], "interface '%s' is in "
			    "%s but the route is in %s", ifc->pub.name,
			    vrf_text(ld, ifc->pub.vrf), vrf_text(ld, rt->vrf));
		return;
	}
	if (!ok(&r->keys, RT_VIA))
		return;
	for (i = 0; i < n->n_ifaces; i++) {
		const struct sc_iface *ifc = &n->ifaces[i].pub;
		uint32_t m = plen_mask(ifc->plen);

		if (ifc->plen == 0 || !same_vrf(ifc->vrf, rt->vrf))
			continue;
		if (ifc->addr == rt->via) {
			ld_error(ld, r->vloc[RT_VIA], "via %s is the node's own "
			    "address (interface '%s')",
			    ip_fmt(a1, sizeof(a1), rt->via), ifc->name);
			return;
		}
		if (ifc->plen < 32 && (ifc->addr & m) == (rt->via & m))
			return;
	}
	connected_text(subnets, sizeof(subnets), n, rt->vrf);
	ld_error(ld, r->vloc[RT_VIA], "via %s is not in a connected subnet of "
	    "node '%s' in %s (%s; or give iface)",
	    ip_fmt(a1, sizeof(a1), rt->via), q(ld, n->pub.name),
	    vrf_text(ld, rt->vrf), subnets);
}

static void
check_nodes(struct ld *ld, struct idx *nodes, struct idx *ifaces)
{
	struct ld_scenario *s = ld->sc;
	char a1[20], a2[20];
	size_t i, j, k;

	for (i = 0; i < s->n_nodes; i++) {
		struct ld_node *n = &s->nodes[i];

		if (n->pub.name == NULL)
			continue;
		j = idx_add(nodes, n->pub.name, NULL, i);
		n->dup = j != i;
		if (n->dup)
			ld_error(ld, n->vloc[ND_NAME], "duplicate node '%s' "
			    "(first defined at %u:%u)", n->pub.name,
			    s->nodes[j].vloc[ND_NAME].line,
			    s->nodes[j].vloc[ND_NAME].col);
	}
	for (i = 0; i < s->n_nodes; i++) {
		struct ld_node *n = &s->nodes[i];

		for (j = 0; j < n->n_ifaces; j++) {
			struct ld_iface *f = &n->ifaces[j];

			if (f->pub.svlan != 0 && f->pub.vlan == 0)
				ld_error(ld, f->vloc[IF_SVLAN], "svlan needs "
				    "vlan: QinQ carries an inner 802.1Q tag "
				    "under the S-tag");
			/*
			 * Interfaces are found by node name, so those of a
			 * second node of the same name are unreachable.
			 */
			if (f->pub.name == NULL || n->pub.name == NULL ||
			    n->dup)
				continue;
			k = idx_add(ifaces, n->pub.name, f->pub.name, j);
			if (k != j)
				ld_error(ld, f->vloc[IF_NAME], "duplicate "
				    "interface '%s' on node '%s' (first "
				    "defined at %u:%u)", f->pub.name,
				    n->pub.name, n->ifaces[k].vloc[IF_NAME].line,
				    n->ifaces[k].vloc[IF_NAME].col);
		}
		/* Subnets of one VRF must not overlap. O(n^2) per node. */
		for (j = 0; j < n->n_ifaces; j++) {
			const struct sc_iface *b = &n->ifaces[j].pub;

			if (b->plen == 0)
				continue;
			for (k = 0; k < j; k++) {
				const struct sc_iface *a = &n->ifaces[k].pub;
				unsigned pl = a->plen < b->plen ? a->plen :
				    b->plen;
				uint32_t m = plen_mask(pl);

				if (a->plen == 0 || !same_vrf(a->vrf, b->vrf) ||
				    (a->addr & m) != (b->addr & m))
					continue;
				if (a->addr == b->addr)
					ld_error(ld, n->ifaces[j].vloc[IF_ADDRESS],
					    "duplicate address %s/%u (interface "
					    "'%s' has it too, in %s)",
					    ip_fmt(a1, sizeof(a1), b->addr),
					    b->plen, q(ld, a->name),
					    vrf_text(ld, a->vrf));
				else
					ld_error(ld, n->ifaces[j].vloc[IF_ADDRESS],
					    "address %s/%u overlaps %s/%u of "
					    "interface '%s' in %s",
					    ip_fmt(a1, sizeof(a1), b->addr),
					    b->plen, ip_fmt(a2, sizeof(a2),
					    a->addr), a->plen, q(ld, a->name),
					    vrf_text(ld, a->vrf));
				break;
			}
		}
		for (j = 0; j < n->n_routes; j++)
			check_route(ld, ifaces, n, &n->routes[j]);
	}
	if (s->n_nodes == 0 && ok(&s->keys, SC_NODES))
		ld_error(ld, s->vloc[SC_NODES], "'nodes' is empty: a scenario "
		    "needs at least one node");
}

static const char *
tag_text(char buf[8], unsigned tag)
{
	if (tag == 0)
		return "none";
	snprintf(buf, 8, "%u", tag & 0xfff);
	return buf;
}

static void
check_link_ends(struct ld *ld, struct ld_link *l, struct ld_iface *e[2])
{
	const struct sc_iface *a = &e[0]->pub, *b = &e[1]->pub;
	struct sc_loc at = l->vloc[LK_B];
	char a1[20], a2[20], msg[200], t1[8], t2[8];
	size_t off = 0;

	if (a->plen != 0 && b->plen != 0) {
		uint32_t m = plen_mask(a->plen);

		if (a->addr == b->addr)
			ld_error(ld, at, "both ends of link '%s' have address "
			    "%s", q(ld, l->pub.name),
			    ip_fmt(a1, sizeof(a1), a->addr));
		else if (a->plen != b->plen || (a->addr & m) != (b->addr & m))
			ld_error(ld, at, "the ends of link '%s' are in "
			    "different subnets: a is %s/%u, b is %s/%u",
			    q(ld, l->pub.name), ip_fmt(a1, sizeof(a1), a->addr),
			    a->plen, ip_fmt(a2, sizeof(a2), b->addr), b->plen);
	}
	if (a->vlan != b->vlan)
		off += (size_t)snprintf(msg + off, sizeof(msg) - off,
		    "vlan %s at a, %s at b", tag_text(t1, a->vlan),
		    tag_text(t2, b->vlan));
	if (a->svlan != b->svlan)
		snprintf(msg + off, sizeof(msg) - off, "%ssvlan %s at a, %s at b",
		    off ? "; " : "", tag_text(t1, a->svlan),
		    tag_text(t2, b->svlan));
	if (a->vlan != b->vlan || a->svlan != b->svlan)
		ld_error(ld, at, "the ends of link '%s' have different VLAN "
		    "tags: %s", q(ld, l->pub.name), msg);
}

static void
check_links(struct ld *ld, const struct idx *nodes, const struct idx *ifaces,
    struct idx *links)
{
	struct ld_scenario *s = ld->sc;
	size_t i, j;
	int e;

	for (i = 0; i < s->n_links; i++) {
		struct ld_link *l = &s->links[i];
		struct ld_iface *end[2] = { NULL, NULL };

		if (l->pub.name != NULL) {
			j = idx_add(links, l->pub.name, NULL, i);
			if (j != i)
				ld_error(ld, l->vloc[LK_NAME], "duplicate link "
				    "'%s' (first defined at %u:%u)",
				    l->pub.name, s->links[j].vloc[LK_NAME].line,
				    s->links[j].vloc[LK_NAME].col);
		}
		for (e = 0; e < 2; e++) {
			struct ld_node *n = find_node(ld, nodes, l->pub.node[e],
			    l->vloc[LK_A + e]);

			end[e] = find_iface(ld, ifaces, n, l->pub.iface[e],
			    l->vloc[LK_A + e]);
		}
		if (end[0] != NULL && end[0] == end[1]) {
			ld_error(ld, l->vloc[LK_B], "link '%s' connects "
			    "interface %s:%s to itself", q(ld, l->pub.name),
			    l->pub.node[0], l->pub.iface[0]);
			continue;
		}
		for (e = 0; e < 2; e++) {
			const struct ld_link *o;

			if (end[e] == NULL)
				continue;
			if (end[e]->link == 0) {
				end[e]->link = i + 1;
				continue;
			}
			o = &s->links[end[e]->link - 1];
			ld_error(ld, l->vloc[LK_A + e], "interface %s:%s is "
			    "already on link '%s' (defined at %u:%u); an "
			    "interface takes one link", l->pub.node[e],
			    l->pub.iface[e], q(ld, o->pub.name), o->pub.loc.line,
			    o->pub.loc.col);
		}
		if (end[0] != NULL && end[1] != NULL)
			check_link_ends(ld, l, end);
		for (e = 0; e < 2; e++) {
			struct sc_link_dir *d = &l->pub.dir[e];
			const struct ld_dir *o = &l->over[e];

			*d = l->base;
			if (given(&o->keys, DR_RATE))
				d->rate_bps = o->v.rate_bps;
			if (given(&o->keys, DR_DELAY))
				d->delay = o->v.delay;
			if (given(&o->keys, DR_LOSS))
				d->loss = o->v.loss;
		}
	}
}

static const struct sc_iface *
first_numbered(const struct ld_node *n)
{
	size_t i;

	for (i = 0; i < n->n_ifaces; i++)
		if (n->ifaces[i].pub.plen != 0)
			return &n->ifaces[i].pub;
	return NULL;
}

static bool
bad_address(const struct ld_node *n)
{
	size_t i;

	for (i = 0; i < n->n_ifaces; i++)
		if (n->ifaces[i].keys.bad & (1u << IF_ADDRESS))
			return true;
	return false;
}

static void
resolve_dst(struct ld *ld, const struct idx *nodes, const struct idx *ifaces,
    struct ld_app *a)
{
	struct sc_app *p = &a->pub;
	struct sc_loc at = a->vloc[AP_DST];
	const char *t = p->dst_text, *colon;

	if (t == NULL)
		return;
	if (strspn(t, "0123456789.") == strlen(t)) {
		if (!ip_parse(t, strlen(t), &p->dst))
			ld_error(ld, at, "'dst': bad IPv4 address '%s' (expected "
			    "a.b.c.d)", q(ld, t));
		return;
	}
	if ((colon = strchr(t, ':')) != NULL) {
		char *node = xstrdup(t);
		struct ld_node *n;
		struct ld_iface *f;

		node[colon - t] = '\0';
		n = find_node(ld, nodes, node, at);
		f = find_iface(ld, ifaces, n, colon + 1, at);
		if (f != NULL && f->pub.plen == 0 &&
		    !(f->keys.bad & (1u << IF_ADDRESS)))
			ld_error(ld, at, "'dst': interface %s is unnumbered "
			    "(give it an address)", q(ld, t));
		else if (f != NULL)
			p->dst = f->pub.addr;
		free(node);
	} else {
		struct ld_node *n = find_node(ld, nodes, t, at);
		const struct sc_iface *f;

		if (n == NULL)
			return;
		if ((f = first_numbered(n)) == NULL && !bad_address(n))
			ld_error(ld, at, "'dst': node '%s' has no interface "
			    "with an address", n->pub.name);
		else if (f != NULL)
			p->dst = f->addr;
	}
}

static void
check_apps(struct ld *ld, const struct idx *nodes, const struct idx *ifaces,
    struct idx *apps)
{
	struct ld_scenario *s = ld->sc;
	sim_time end = s->pub.duration;
	bool end_ok = !(s->keys.bad & (1u << SC_DURATION));
	char t1[32], t2[32];
	size_t i, j;

	for (i = 0; i < s->n_apps; i++) {
		struct ld_app *a = &s->apps[i];
		struct sc_app *p = &a->pub;
		struct ld_node *n = find_node(ld, nodes, p->node,
		    a->vloc[AP_NODE]);

		if (p->name == NULL && !given(&a->keys, AP_NAME) &&
		    p->kind != 0 && p->node != NULL) {
			size_t len = strlen(p->node) + 40;

			p->name = xmalloc(len);
			snprintf(p->name, len, "%s-%s-%zu",
			    sc_app_kinds[p->kind - 1], p->node, i);
			a->vloc[AP_NAME] = p->loc;
		}
		if (p->name != NULL) {
			j = idx_add(apps, p->name, NULL, i);
			if (j != i)
				ld_error(ld, a->vloc[AP_NAME], "duplicate app "
				    "'%s' (first defined at %u:%u)", p->name,
				    s->apps[j].vloc[AP_NAME].line,
				    s->apps[j].vloc[AP_NAME].col);
		}
		(void)n;
		resolve_dst(ld, nodes, ifaces, a);
		if (p->kind == SC_APP_UDP_CBR) {
			bool has_iv = given(&a->keys, AP_INTERVAL);
			bool has_rate = given(&a->keys, AP_RATE);

			if (has_iv && has_rate)
				ld_error(ld, a->vloc[AP_RATE], "give rate or "
				    "interval, not both (rate sets the "
				    "interval)");
			else if (!has_iv && !has_rate)
				ld_error(ld, p->loc, "udp_cbr app needs rate "
				    "or interval");
			else if (has_rate && p->rate_bps != 0)
				p->interval = units_tx_time((uint64_t)p->size +
				    UDP_IP_OVERHEAD, p->rate_bps);
		}
		if (end_ok && end == 0 && p->count == 0 &&
		    !(a->keys.bad & (1u << AP_COUNT)) &&
		    (p->kind == SC_APP_PING || p->kind == SC_APP_UDP_CBR))
			ld_error(ld, given(&a->keys, AP_COUNT) ?
			    a->vloc[AP_COUNT] : p->loc, "app '%s' sends until "
			    "the end of the run (count 0), but the scenario "
			    "has no duration (set duration or count)",
			    q(ld, p->name));
		if (end != 0 && p->start > end)
			ld_error(ld, a->vloc[AP_START], "app starts at %s, "
			    "after the end of the run (duration %s)",
			    units_fmt_time(t1, sizeof(t1), p->start),
			    units_fmt_time(t2, sizeof(t2), end));
	}
}

static void
check_events(struct ld *ld, const struct idx *links)
{
	struct ld_scenario *s = ld->sc;
	sim_time end = s->pub.duration;
	char t1[32], t2[32], hint[120];
	size_t i;

	for (i = 0; i < s->n_events; i++) {
		struct ld_event *e = &s->events[i];

		if (e->pub.link != NULL && !idx_find(links, e->pub.link, NULL))
			ld_error(ld, e->vloc[EV_LINK], "unknown link '%s'%s",
			    q(ld, e->pub.link), dym(ld, hint, sizeof(hint),
			    suggest(ld, e->pub.link, s->links, s->n_links,
			    sizeof(struct ld_link),
			    offsetof(struct ld_link, pub.name))));
		if (end != 0 && e->pub.at > end)
			ld_error(ld, e->vloc[EV_AT], "event at %s is after the "
			    "end of the run (duration %s)",
			    units_fmt_time(t1, sizeof(t1), e->pub.at),
			    units_fmt_time(t2, sizeof(t2), end));
	}
}

static void
check_asserts(struct ld *ld, const struct idx *nodes, const struct idx *apps)
{
	struct ld_scenario *s = ld->sc;
	char t1[32], t2[32], hint[120];
	size_t i, j;

	for (i = 0; i < s->n_asserts; i++) {
		struct ld_assert *a = &s->asserts[i];
		struct sc_assert *p = &a->pub;
		enum sc_app_kind want = p->kind == SC_ASSERT_TRACEROUTE ?
		    SC_APP_TRACEROUTE : SC_APP_PING;
		size_t *v;

		if (!given(&a->keys, AS_BEFORE))
			p->before = SIM_TIME_MAX;
		else if (ok(&a->keys, AS_BEFORE) && ok(&a->keys, AS_AFTER) &&
		    p->after >= p->before)
			ld_error(ld, a->vloc[AS_BEFORE], "the window is empty: "
			    "after (%s) must be earlier than before (%s)",
			    units_fmt_time(t1, sizeof(t1), p->after),
			    units_fmt_time(t2, sizeof(t2), p->before));
		if (p->app == NULL)
			;
		else if ((v = idx_find(apps, p->app, NULL)) == NULL)
			ld_error(ld, a->vloc[AS_APP], "unknown app '%s'%s",
			    q(ld, p->app), dym(ld, hint, sizeof(hint),
			    suggest(ld, p->app, s->apps, s->n_apps,
			    sizeof(struct ld_app),
			    offsetof(struct ld_app, pub.name))));
		else if (p->kind != 0 && s->apps[*v].pub.kind != 0 &&
		    s->apps[*v].pub.kind != want)
			ld_error(ld, a->vloc[AS_APP], "a %s assertion needs a "
			    "%s app, but '%s' is a %s app",
			    sc_assert_kinds[p->kind - 1],
			    sc_app_kinds[want - 1], p->app,
			    sc_app_kinds[s->apps[*v].pub.kind - 1]);
		if (p->kind == SC_ASSERT_TRACEROUTE &&
		    ok(&a->keys, AS_PATH) && a->path.n == 0)
			ld_error(ld, a->vloc[AS_PATH], "'path' is empty: list "
			    "the hops, destination last");
		for (j = 0; j < a->path.n; j++)
			find_node(ld, nodes, a->path.v[j], a->path.loc[j]);
	}
}

static void
check_captures(struct ld *ld, const struct idx *nodes,
    const struct idx *ifaces)
{
	struct scenario *p = &ld->sc->pub;
	size_t i;

	for (i = 0; i < p->n_captures; i++) {
		struct sc_capture *c = &p->captures[i];
		struct ld_node *n;

		if (c->node == NULL)
			continue;
		n = find_node(ld, nodes, c->node, c->loc);
		if (c->iface != NULL)
			find_iface(ld, ifaces, n, c->iface, c->loc);
	}
}

static void
check_all(struct ld *ld)
{
	struct idx nodes = { 0 }, ifaces = { 0 }, links = { 0 }, apps = { 0 };

	check_nodes(ld, &nodes, &ifaces);
	check_links(ld, &nodes, &ifaces, &links);
	check_apps(ld, &nodes, &ifaces, &apps);
	check_events(ld, &links);
	check_asserts(ld, &nodes, &apps);
	check_captures(ld, &nodes, &ifaces);
	free(nodes.e);
	free(ifaces.e);
	free(links.e);
	free(apps.e);
}

/* --- staging structs to the public ones ------------------------------- */

#define MOVE_ARRAY(dst, n_dst, src, n_src, field)                       \
	do {                                                             \
		size_t i_;                                               \
		(n_dst) = (n_src);                                       \
		(dst) = (n_src) ? xcalloc((n_src), sizeof(*(dst))) : NULL; \
		for (i_ = 0; i_ < (n_src); i_++)                         \
			(dst)[i_] = (src)[i_].field;                     \
		free(src);                                               \
	} while (0)

static struct scenario *
finish(struct ld_scenario *s)
{
	struct scenario *sc = xmalloc(sizeof(*sc));
	size_t i;

	*sc = s->pub;
	for (i = 0; i < s->n_nodes; i++) {
		struct ld_node *n = &s->nodes[i];

		MOVE_ARRAY(n->pub.ifaces, n->pub.n_ifaces, n->ifaces,
		    n->n_ifaces, pub);
		MOVE_ARRAY(n->pub.routes, n->pub.n_routes, n->routes,
		    n->n_routes, pub);
	}
	for (i = 0; i < s->n_asserts; i++) {
		struct ld_assert *a = &s->asserts[i];

		a->pub.path = a->path.v;
		a->pub.n_path = a->path.n;
		free(a->path.loc);
	}
	MOVE_ARRAY(sc->nodes, sc->n_nodes, s->nodes, s->n_nodes, pub);
	MOVE_ARRAY(sc->links, sc->n_links, s->links, s->n_links, pub);
	MOVE_ARRAY(sc->apps, sc->n_apps, s->apps, s->n_apps, pub);
	MOVE_ARRAY(sc->events, sc->n_events, s->events, s->n_events, pub);
	MOVE_ARRAY(sc->asserts, sc->n_asserts, s->asserts, s->n_asserts, pub);
	return sc;
}

void
scenario_free(struct scenario *sc)
{
	size_t i, j;

	if (sc == NULL)
		return;
	for (i = 0; i < sc->n_nodes; i++) {
		struct sc_node *n = &sc->nodes[i];

		for (j = 0; j < n->n_ifaces; j++) {
			free(n->ifaces[j].name);
			free(n->ifaces[j].vrf);
		}
		for (j = 0; j < n->n_routes; j++) {
			free(n->routes[j].iface);
			free(n->routes[j].vrf);
		}
		free(n->ifaces);
		free(n->routes);
		free(n->name);
		free(n->role);
		free(n->region);
	}
	for (i = 0; i < sc->n_links; i++) {
		free(sc->links[i].name);
		for (j = 0; j < 2; j++) {
			free(sc->links[i].node[j]);
			free(sc->links[i].iface[j]);
		}
	}
	for (i = 0; i < sc->n_apps; i++) {
		free(sc->apps[i].name);
		free(sc->apps[i].node);
		free(sc->apps[i].dst_text);
	}
	for (i = 0; i < sc->n_events; i++)
		free(sc->events[i].link);
	for (i = 0; i < sc->n_asserts; i++) {
		free(sc->asserts[i].app);
		for (j = 0; j < sc->asserts[i].n_path; j++)
			free(sc->asserts[i].path[j]);
		free(sc->asserts[i].path);
	}
	for (i = 0; i < sc->n_captures; i++) {
		free(sc->captures[i].node);
		free(sc->captures[i].iface);
	}
	free(sc->nodes);
	free(sc->links);
	free(sc->apps);
	free(sc->events);
	free(sc->asserts);
	free(sc->captures);
	free(sc->file);
	free(sc->name);
	free(sc->description);
	free(sc);
}

/* --- entry points ---------------------------------------------------- */

/* Line and column of byte offset off, for reader errors without a mark. */
static struct sc_loc
offset_loc(const char *text, size_t len, size_t off)
{
	struct sc_loc l = { 1, 1 };
	size_t i;

	for (i = 0; i < off && i < len; i++) {
		if (text[i] == '\n') {
			l.line++;
			l.col = 1;
		} else if (((unsigned char)text[i] & 0xc0) != 0x80) {
			l.col++;
		}
	}
	return l;
}

static void
syntax_error(struct ld *ld, yaml_parser_t *p, const char *text, size_t len)
{
	struct sc_loc l = { (uint32_t)p->problem_mark.line + 1,
		(uint32_t)p->problem_mark.column + 1 };
	const char *problem = p->problem ? p->problem : "cannot parse";

	if (p->error == YAML_READER_ERROR) {
		l = offset_loc(text, len, p->problem_offset);
		ld_error(ld, l, "%s (the file must be UTF-8 text)", problem);
	} else if (p->error == YAML_MEMORY_ERROR) {
		ld_error(ld, l, "out of memory while parsing");
	} else if (p->context != NULL) {
		ld_error(ld, l, "YAML syntax: %s (%s at %u:%u)", problem,
		    p->context, (unsigned)p->context_mark.line + 1,
		    (unsigned)p->context_mark.column + 1);
	} else {
		ld_error(ld, l, "YAML syntax: %s", problem);
	}
}

/*
 * libyaml's scanner looks at every open flow level for each token, so deep
 * nesting costs quadratic time before the tree even exists; and nothing a
 * scenario holds nests more than a few levels. So stream the events once
 * and refuse deep files before building the tree.
 */
static bool
depth_ok(struct ld *ld, const char *text, size_t len)
{
	yaml_parser_t p;
	yaml_event_t ev;
	yaml_event_type_t type;
	int depth = 0;
	bool good = true;

	SIM_ASSERT(yaml_parser_initialize(&p), "yaml_parser_initialize");
	yaml_parser_set_input_string(&p, (const unsigned char *)text, len);
	do {
		if (!yaml_parser_parse(&p, &ev)) {
			syntax_error(ld, &p, text, len);
			good = false;
			break;
		}
		type = ev.type;
		if (type == YAML_SEQUENCE_START_EVENT ||
		    type == YAML_MAPPING_START_EVENT) {
			if (++depth > MAX_DEPTH) {
				struct sc_loc l = {
					(uint32_t)ev.start_mark.line + 1,
					(uint32_t)ev.start_mark.column + 1 };

				ld_error(ld, l, "nested more than %d levels deep",
				    MAX_DEPTH);
				good = false;
			}
		} else if (type == YAML_SEQUENCE_END_EVENT ||
		    type == YAML_MAPPING_END_EVENT) {
			depth--;
		}
		yaml_event_delete(&ev);
	} while (good && type != YAML_STREAM_END_EVENT);
	yaml_parser_delete(&p);
	return good;
}

static char *
default_name(const char *file)
{
	const char *base = strrchr(file, '/');
	char *name, *dot;

	name = xstrdup(base != NULL ? base + 1 : file);
	if ((dot = strrchr(name, '.')) != NULL && dot != name)
		*dot = '\0';
	return name;
}

struct scenario *
scenario_load_buffer(const char *name, const char *text, size_t len,
    FILE *diag, unsigned *n_errors)
{
	struct ld ld = { .file = name, .diag = diag };
	struct ld_scenario *s = xcalloc(1, sizeof(*s));
	struct scenario *sc = NULL;
	yaml_parser_t parser;
	yaml_document_t doc, extra;
	yaml_node_t *root;

	ld.sc = s;
	ld.doc = &doc;
	if (text == NULL)
		text = "";
	if (!depth_ok(&ld, text, len))
		goto out;
	SIM_ASSERT(yaml_parser_initialize(&parser), "yaml_parser_initialize");
	yaml_parser_set_input_string(&parser, (const unsigned char *)text, len);
	if (!yaml_parser_load(&parser, &doc)) {
		syntax_error(&ld, &parser, text, len);
		goto out_parser;
	}
	ld.max_visits = 16 * (uint64_t)(doc.nodes.top - doc.nodes.start) +
	    100000;
	root = yaml_document_get_root_node(&doc);
	if (root == NULL) {
		struct sc_loc l = { 1, 1 };

		ld_error(&ld, l, "the file is empty (a scenario needs at least "
		    "nodes)");
		goto out_doc;
	}
	if (!yaml_parser_load(&parser, &extra)) {
		syntax_error(&ld, &parser, text, len);
		goto out_doc;
	}
	if (yaml_document_get_root_node(&extra) != NULL) {
		struct sc_loc l = { (uint32_t)extra.start_mark.line + 1,
			(uint32_t)extra.start_mark.column + 1 };

		ld_error(&ld, l, "a second YAML document: a scenario file "
		    "holds exactly one");
	}
	yaml_document_delete(&extra);
	if (root->type != YAML_MAPPING_NODE) {
		ld_error(&ld, loc_of(root), "a scenario must be a mapping of "
		    "keys (name, nodes, links, ...), not %s", kind_of(root));
		goto out_doc;
	}
	walk_map(&ld, &sc_table_scenario, root, (char *)s);
	if (!ld.exhausted)
		check_all(&ld);
out_doc:
	yaml_document_delete(&doc);
out_parser:
	yaml_parser_delete(&parser);
out:
	if (s->pub.name == NULL && ld.n_errors == 0)
		s->pub.name = default_name(name);
	s->pub.file = xstrdup(name);
	sc = finish(s);
	ld_flush(&ld);
	free(s);
	if (n_errors != NULL)
		*n_errors = ld.n_errors;
	if (ld.n_errors > 0) {
		scenario_free(sc);
		return NULL;
	}
	return sc;
}

struct scenario *
scenario_load_file(const char *path, FILE *diag, unsigned *n_errors)
{
	struct scenario *sc;
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	size_t len = 0, cap = 0, n;

	if (f == NULL) {
		if (diag != NULL)
			fprintf(diag, "%s: error: cannot open: %s\n", path,
			    strerror(errno));
		if (n_errors != NULL)
			*n_errors = 1;
		return NULL;
	}
	do {
		if (cap - len < 65536) {
			cap = cap ? 2 * cap : 65536;
			buf = xrealloc(buf, cap);
		}
		n = fread(buf + len, 1, cap - len, f);
		len += n;
	} while (n > 0);
	if (ferror(f)) {
		if (diag != NULL)
			fprintf(diag, "%s: error: cannot read: %s\n", path,
			    strerror(errno));
		fclose(f);
		free(buf);
		if (n_errors != NULL)
			*n_errors = 1;
		return NULL;
	}
	fclose(f);
	sc = scenario_load_buffer(path, buf, len, diag, n_errors);
	free(buf);
	return sc;
}

const struct sc_node *
scenario_node(const struct scenario *sc, const char *name)
{
	size_t i;

	for (i = 0; i < sc->n_nodes; i++)
		if (strcmp(sc->nodes[i].name, name) == 0)
			return &sc->nodes[i];
	return NULL;
}
