/*
 * scenario_text.c - the text of a scalar into a value, one parser per field
 * type.
 *
 * Each parser either stores the value at the field's offsets in the object
 * being filled and returns true, or reports one error at the value and
 * returns false, storing nothing. Numbers are exact: integers are decimal or
 * 0x hexadecimal (as --seed accepts), times, rates and sizes go through
 * units.c, never through a double.
 */
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "scenario_load.h"
#include "sim.h"

/* Keep sums of a few times (start + duration, ...) far from overflow. */
#define SC_TIME_LIMIT (SIM_S(3600) * 100000)

void
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

/*
 * A name is used as a file name (pcap/NODE/IFACE.pcap) and on command
 * lines, so it is one safe path component: not "." or "..", no '/', no
 * control characters, and it does not start with '.' (hidden, or the
 * capture manifest) or '-' (an option).
 */
bool
valid_name(const char *s)
{
	size_t n = 0;

	if (s[0] == '.' || s[0] == '-')
		return false;
	for (; s[n] != '\0'; n++)
		if (!isalnum((unsigned char)s[n]) && s[n] != '_' &&
		    s[n] != '.' && s[n] != '-')
			return false;
	return n > 0 && n <= SC_NAME_MAX;
}

const char *
name_problem(const char *s)
{
	if (s[0] == '\0')
		return "is empty";
	if (strlen(s) > SC_NAME_MAX)
		return "is longer than 64 characters";
	if (strcmp(s, ".") == 0 || strcmp(s, "..") == 0)
		return "is not a usable name (names become file names)";
	if (s[0] == '.' || s[0] == '-')
		return "must start with a letter, a digit or '_' (names "
		    "become file names)";
	return "may only contain letters, digits, '_', '.' and '-'";
}

/* "a.b.c.d" of exactly len bytes, decimal octets without leading zeros. */
bool
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

enum { PFX_OK, PFX_BAD, PFX_NO_LEN, PFX_BAD_LEN };

/* "a.b.c.d/len" into addr and plen; one of PFX_*. */
static int
prefix_parse(const char *s, uint32_t *addr, uint8_t *plen)
{
	const char *slash = strchr(s, '/');
	unsigned v = 0;
	const char *p;

	if (slash == NULL)
		return ip_parse(s, strlen(s), addr) ? PFX_NO_LEN : PFX_BAD;
	if (!ip_parse(s, (size_t)(slash - s), addr))
		return PFX_BAD;
	p = slash + 1;
	if (!isdigit((unsigned char)p[0]))
		return PFX_BAD_LEN;
	for (; isdigit((unsigned char)*p) && v <= 32; p++)
		v = v * 10 + (unsigned)(*p - '0');
	if (*p != '\0' || v > 32 || (slash[1] == '0' && slash[2] != '\0'))
		return PFX_BAD_LEN;
	*plen = (uint8_t)v;
	return PFX_OK;
}

uint32_t
plen_mask(unsigned plen)
{
	return plen == 0 ? 0 : 0xffffffffu << (32 - plen);
}

const char *
ip_fmt(char *buf, size_t len, uint32_t a)
{
	snprintf(buf, len, "%u.%u.%u.%u", a >> 24, (a >> 16) & 0xff,
	    (a >> 8) & 0xff, a & 0xff);
	return buf;
}

/* The loader's integers follow the command line's rule (units.h). */
bool
parse_uint(const char *s, uint64_t *out)
{
	return units_parse_uint(s, out);
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
check_range(struct sc_check *ld, const struct sc_field *f, struct sc_loc loc,
    uint64_t v, const char *text)
{
	bool time = f->type == SC_FT_TIME || f->type == SC_FT_DELAY;

	if (f->type == SC_FT_RATE && v < f->min) {
		ld_error(ld, loc, "'%s' must be more than 0bps (zero bandwidth)",
		    f->name);
		return false;
	}
	if (time && v < f->min && f->min <= 1) {
		ld_error(ld, loc, "'%s' must be greater than 0", f->name);
		return false;
	}
	if (time && (v < f->min || (f->max != 0 &&
	    v > f->max))) {
		char lo[32], hi[32];

		units_fmt_time(lo, sizeof(lo), (sim_time)f->min);
		units_fmt_time(hi, sizeof(hi), (sim_time)f->max);
		ld_error(ld, loc, "'%s' %s is %s %s (at least %s, at most %s)",
		    f->name, q(ld, text), v < f->min ? "below" : "above",
		    v < f->min ? lo : hi, lo, hi);
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

/* One parser per field type; plain is false for quoted scalars. */
typedef bool text_fn(struct sc_check *, const struct sc_field *, const char *,
    bool, struct sc_loc, char *);

static bool
t_string(struct sc_check *ld, const struct sc_field *f, const char *s,
    bool plain, struct sc_loc loc, char *obj)
{
	(void)ld, (void)plain, (void)loc;
	put_ptr(obj, f->off, xstrdup(s));
	return true;
}

static bool
t_name(struct sc_check *ld, const struct sc_field *f, const char *s,
    bool plain, struct sc_loc loc, char *obj)
{
	(void)plain;
	if (!valid_name(s)) {
		ld_error(ld, loc, "'%s': name '%s' %s", f->name, q(ld, s),
		    name_problem(s));
		return false;
	}
	put_ptr(obj, f->off, xstrdup(s));
	return true;
}

static bool
t_uint(struct sc_check *ld, const struct sc_field *f, const char *s,
    bool plain, struct sc_loc loc, char *obj)
{
	uint64_t u;

	if (plain && !parse_uint(s, &u) && units_is_count(s)) {
		ld_error(ld, loc, "'%s': %s is too large (at most %llu)",
		    f->name, q(ld, s), (unsigned long long)(f->max != 0 ?
		    f->max : f->width >= 8 ? UINT64_MAX :
		    (1ULL << (8 * f->width)) - 1));
		return false;
	}
	if (!plain || !parse_uint(s, &u)) {
		ld_error(ld, loc, "'%s': expected a whole number, got %s'%s'",
		    f->name, plain ? "" : "the string ", q(ld, s));
		return false;
	}
	if (!check_range(ld, f, loc, u, s))
		return false;
	put_uint(obj, f->off, f->width, u);
	return true;
}

static bool
t_bool(struct sc_check *ld, const struct sc_field *f, const char *s,
    bool plain, struct sc_loc loc, char *obj)
{
	bool b;

	if (plain && (strcmp(s, "true") == 0 || strcmp(s, "false") == 0)) {
		b = s[0] == 't';
		memcpy(obj + f->off, &b, sizeof(b));
		return true;
	}
	ld_error(ld, loc, "'%s': expected true or false, got '%s'", f->name,
	    q(ld, s));
	return false;
}

static bool
t_time(struct sc_check *ld, const struct sc_field *f, const char *s,
    bool plain, struct sc_loc loc, char *obj)
{
	char err[200];
	sim_time t;

	(void)plain;
	if (units_parse_time(s, 1, &t, err, sizeof(err)) < 0) {
		ld_error(ld, loc, "'%s': bad time '%s': %s (e.g. 250ms, 1.5s)",
		    f->name, q(ld, s), err);
		return false;
	}
	if (t < 0) {
		ld_error(ld, loc, "'%s' must not be negative (got %s)", f->name,
		    q(ld, s));
		return false;
	}
	if (t > SC_TIME_LIMIT) {
		ld_error(ld, loc, "'%s': %s is too long (at most 100000h, about "
		    "11 years)", f->name, q(ld, s));
		return false;
	}
	if (!check_range(ld, f, loc, (uint64_t)t, s))
		return false;
	memcpy(obj + f->off, &t, sizeof(t));
	return true;
}

static bool
t_rate(struct sc_check *ld, const struct sc_field *f, const char *s,
    bool plain, struct sc_loc loc, char *obj)
{
	char err[200];
	uint64_t u;

	(void)plain;
	if (units_parse_rate(s, &u, err, sizeof(err)) < 0) {
		ld_error(ld, loc, "'%s': bad rate '%s': %s (e.g. 1Gbps, "
		    "500Mbps)", f->name, q(ld, s), err);
		return false;
	}
	if (!check_range(ld, f, loc, u, s))
		return false;
	memcpy(obj + f->off, &u, sizeof(u));
	return true;
}

static bool
t_size(struct sc_check *ld, const struct sc_field *f, const char *s,
    bool plain, struct sc_loc loc, char *obj)
{
	char err[200];
	uint64_t u;

	(void)plain;
	if (units_parse_bytes(s, &u, err, sizeof(err)) < 0) {
		ld_error(ld, loc, "'%s': bad size '%s': %s (e.g. 1500, 64KB)",
		    f->name, q(ld, s), err);
		return false;
	}
	if (!check_range(ld, f, loc, u, s))
		return false;
	put_uint(obj, f->off, f->width, u);
	return true;
}

static bool
t_prob(struct sc_check *ld, const struct sc_field *f, const char *s,
    bool plain, struct sc_loc loc, char *obj)
{
	char *end = NULL;
	double p;

	errno = 0;
	p = plain && s[0] != '\0' ? strtod(s, &end) : NAN;
	if (isnan(p) || *end != '\0' || errno != 0) {
		ld_error(ld, loc, "'%s': expected a probability between 0 and "
		    "1, got '%s'", f->name, q(ld, s));
		return false;
	}
	if (!(p >= 0.0 && p <= 1.0)) {
		ld_error(ld, loc, "'%s' is a probability and must be between 0 "
		    "and 1, not %s", f->name, q(ld, s));
		return false;
	}
	memcpy(obj + f->off, &p, sizeof(p));
	return true;
}

static bool
t_real(struct sc_check *ld, const struct sc_field *f, const char *s,
    bool plain, struct sc_loc loc, char *obj)
{
	char *end = NULL;
	double x;

	errno = 0;
	x = plain && s[0] != '\0' ? strtod(s, &end) : NAN;
	if (!isfinite(x) || *end != '\0' || errno != 0) {
		ld_error(ld, loc, "'%s': expected a number, got '%s'", f->name,
		    q(ld, s));
		return false;
	}
	if (x < (double)f->min || (f->max != 0 && x > (double)f->max)) {
		if (f->max != 0)
			ld_error(ld, loc, "'%s' %s is out of range "
			    "(%llu..%llu)", f->name, q(ld, s),
			    (unsigned long long)f->min,
			    (unsigned long long)f->max);
		else
			ld_error(ld, loc, "'%s' %s is below %llu", f->name,
			    q(ld, s), (unsigned long long)f->min);
		return false;
	}
	memcpy(obj + f->off, &x, sizeof(x));
	return true;
}

/* The error for a prefix_parse result r, or false if r is PFX_OK. */
static bool
prefix_error(struct sc_check *ld, const struct sc_field *f, const char *s,
    struct sc_loc loc, int r, const char *what, const char *example)
{
	switch (r) {
	case PFX_NO_LEN:
		ld_error(ld, loc, "'%s': missing the prefix length in '%s' "
		    "(expected a.b.c.d/len, e.g. %s)", f->name, q(ld, s),
		    example);
		return true;
	case PFX_BAD_LEN:
		ld_error(ld, loc, "'%s': bad prefix length in '%s': it must be "
		    "a number from 0 to 32 (e.g. %s)", f->name, q(ld, s),
		    example);
		return true;
	case PFX_BAD:
		ld_error(ld, loc, "'%s': bad %s '%s' (expected a.b.c.d/len, "
		    "e.g. %s)", f->name, what, q(ld, s), example);
		return true;
	}
	return false;
}

static bool
t_ifaddr(struct sc_check *ld, const struct sc_field *f, const char *s,
    bool plain, struct sc_loc loc, char *obj)
{
	uint32_t addr = 0;
	uint8_t plen = 0;

	(void)plain;
	if (prefix_error(ld, f, s, loc, prefix_parse(s, &addr, &plen),
	    "address", "10.1.1.4/24"))
		return false;
	/* plen 0 would read as unnumbered: an address needs a subnet. */
	if (plen == 0) {
		ld_error(ld, loc, "'%s': %s has prefix length 0, which leaves "
		    "no subnet (use the subnet's length, e.g. /24; leave out "
		    "address for an unnumbered interface)", f->name, q(ld, s));
		return false;
	}
	if (plen <= 30 && (addr & ~plen_mask(plen)) == 0) {
		ld_error(ld, loc, "'%s': %s is the network address of its "
		    "subnet (use a host address)", f->name, q(ld, s));
		return false;
	}
	if (plen <= 30 && (~addr & ~plen_mask(plen)) == 0) {
		ld_error(ld, loc, "'%s': %s is the broadcast address of its "
		    "subnet (use a host address)", f->name, q(ld, s));
		return false;
	}
	memcpy(obj + f->off, &addr, sizeof(addr));
	memcpy(obj + f->off2, &plen, sizeof(plen));
	return true;
}

static bool
t_prefix(struct sc_check *ld, const struct sc_field *f, const char *s,
    bool plain, struct sc_loc loc, char *obj)
{
	uint32_t addr = 0;
	uint8_t plen = 0;
	char a1[20];

	(void)plain;
	if (prefix_error(ld, f, s, loc, prefix_parse(s, &addr, &plen),
	    "prefix", "10.2.0.0/16"))
		return false;
	if ((addr & ~plen_mask(plen)) != 0) {
		ld_error(ld, loc, "'%s': %s has host bits set (did you mean "
		    "%s/%u?)", f->name, q(ld, s),
		    ip_fmt(a1, sizeof(a1), addr & plen_mask(plen)), plen);
		return false;
	}
	memcpy(obj + f->off, &addr, sizeof(addr));
	memcpy(obj + f->off2, &plen, sizeof(plen));
	return true;
}

static bool
t_addr(struct sc_check *ld, const struct sc_field *f, const char *s,
    bool plain, struct sc_loc loc, char *obj)
{
	uint32_t addr;

	(void)plain;
	if (!ip_parse(s, strlen(s), &addr)) {
		ld_error(ld, loc, "'%s': bad IPv4 address '%s' (expected "
		    "a.b.c.d)", f->name, q(ld, s));
		return false;
	}
	memcpy(obj + f->off, &addr, sizeof(addr));
	return true;
}

static bool
t_mac(struct sc_check *ld, const struct sc_field *f, const char *s,
    bool plain, struct sc_loc loc, char *obj)
{
	uint8_t mac[6];
	unsigned i;
	bool ok = strlen(s) == 17, yes = true;

	(void)plain;
	for (i = 0; ok && i < 6; i++) {
		const char *p = s + 3 * i;

		if (!isxdigit((unsigned char)p[0]) ||
		    !isxdigit((unsigned char)p[1]) || (i < 5 && p[2] != ':')) {
			ok = false;
			break;
		}
		mac[i] = (uint8_t)strtoul((char[3]){ p[0], p[1], 0 }, NULL, 16);
	}
	if (!ok) {
		ld_error(ld, loc, "'%s': bad MAC address '%s' (expected six hex "
		    "bytes, e.g. 02:00:00:00:00:01)", f->name, q(ld, s));
		return false;
	}
	if (mac[0] & 1) {
		ld_error(ld, loc, "'%s': %s is a multicast address (an interface "
		    "needs a unicast one; clear the lowest bit of the first "
		    "byte)", f->name, q(ld, s));
		return false;
	}
	if ((mac[0] | mac[1] | mac[2] | mac[3] | mac[4] | mac[5]) == 0) {
		ld_error(ld, loc, "'%s': the all-zero MAC address is not valid",
		    f->name);
		return false;
	}
	memcpy(obj + f->off, mac, 6);
	memcpy(obj + f->off2, &yes, sizeof(yes));
	return true;
}

static bool
t_enum(struct sc_check *ld, const struct sc_field *f, const char *s,
    bool plain, struct sc_loc loc, char *obj)
{
	char all[600], hint[120];
	int e;

	(void)plain;
	if (!lookup_enum(f->names, s, &e) && f->reg &&
	    scenario_assertion_find(s) != NULL) {
		const struct sc_assertion *a = scenario_assertion_find(s);

		e = 0;
		memcpy(obj + f->off, &e, sizeof(e));
		put_ptr(obj, f->off2, a);
		put_ptr(obj, f->off3, xcalloc(1, a->table->size ?
		    a->table->size : 1));
		return true;
	}
	if (!lookup_enum(f->names, s, &e)) {
		const char *names[128];
		const struct sc_assertion *a;
		size_t n = 0, i;

		for (i = 0; f->names[i] != NULL && n < 127; i++)
			names[n++] = f->names[i];
		for (i = 0; f->reg && (a = scenario_assertion_at(i)) != NULL &&
		    n < 127; i++)
			names[n++] = a->name;
		names[n] = NULL;
		list_names(all, sizeof(all), names);
		ld_error(ld, loc, "unknown %s '%s'%s (one of: %s)", f->name,
		    q(ld, s), dym(ld, hint, sizeof(hint), suggest(ld, s,
		    names, n, sizeof(char *), 0)), all);
		return false;
	}
	if (f->enum_str) {
		put_ptr(obj, f->off, xstrdup(s));
	} else {
		e++;
		memcpy(obj + f->off, &e, sizeof(e));
	}
	return true;
}

/* "node:iface" split into two names, or false. */
static bool
split_pair(const char *s, bool need_colon, char **node, char **iface)
{
	const char *colon = strchr(s, ':');

	*node = *iface = NULL;
	if (colon == NULL) {
		if (need_colon || !valid_name(s))
			return false;
		*node = xstrdup(s);
		return true;
	}
	*node = xstrdup(s);
	(*node)[colon - s] = '\0';
	if (!valid_name(*node) || !valid_name(colon + 1)) {
		free(*node);
		*node = NULL;
		return false;
	}
	*iface = xstrdup(colon + 1);
	return true;
}

static bool
t_endpoint(struct sc_check *ld, const struct sc_field *f, const char *s,
    bool plain, struct sc_loc loc, char *obj)
{
	char *node, *iface;

	(void)plain;
	if (strchr(s, ':') == NULL) {
		ld_error(ld, loc, "'%s': expected node:interface, got '%s'",
		    f->name, q(ld, s));
		return false;
	}
	if (!split_pair(s, true, &node, &iface)) {
		ld_error(ld, loc, "'%s': bad endpoint '%s' (expected "
		    "node:interface, each a name)", f->name, q(ld, s));
		return false;
	}
	put_ptr(obj, f->off, node);
	put_ptr(obj, f->off2, iface);
	return true;
}

static bool
t_dst(struct sc_check *ld, const struct sc_field *f, const char *s,
    bool plain, struct sc_loc loc, char *obj)
{
	char *node, *iface;

	(void)plain;
	/* An address is checked once names are known (resolve_dst). */
	if (strspn(s, "0123456789.") != strlen(s)) {
		if (!split_pair(s, false, &node, &iface)) {
			ld_error(ld, loc, "'%s': expected an IPv4 address, a "
			    "node or node:interface, got '%s'", f->name,
			    q(ld, s));
			return false;
		}
		free(node);
		free(iface);
	}
	put_ptr(obj, f->off, xstrdup(s));
	return true;
}

/* A list of strings written as one scalar: the list of it alone. */
static bool
t_strings(struct sc_check *ld, const struct sc_field *f, const char *s,
    bool plain, struct sc_loc loc, char *obj)
{
	char **v = xcalloc(1, sizeof(*v));
	struct sc_loc *l = xcalloc(1, sizeof(*l));
	size_t one = 1;

	(void)ld, (void)plain;
	v[0] = xstrdup(s);
	*l = loc;
	put_ptr(obj, f->off, v);
	memcpy(obj + f->off2, &one, sizeof(one));
	put_ptr(obj, f->off3, l);
	return true;
}

/* The scalar forms of pcap; the list form is walked (scenario_walk.c). */
static bool
t_pcap(struct sc_check *ld, const struct sc_field *f, const char *s,
    bool plain, struct sc_loc loc, char *obj)
{
	(void)plain;
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
	ld_error(ld, loc, "'%s': expected all, none or a list of node and "
	    "node:interface, got '%s'", f->name, q(ld, s));
	return false;
}

static text_fn *const text_parsers[SC_FT_MAX] = {
	[SC_FT_STRING] = t_string, [SC_FT_NAME] = t_name,
	[SC_FT_UINT] = t_uint, [SC_FT_BOOL] = t_bool, [SC_FT_TIME] = t_time,
	[SC_FT_RATE] = t_rate, [SC_FT_SIZE] = t_size, [SC_FT_PROB] = t_prob,
	[SC_FT_IFADDR] = t_ifaddr, [SC_FT_PREFIX] = t_prefix,
	[SC_FT_ADDR] = t_addr, [SC_FT_MAC] = t_mac, [SC_FT_ENUM] = t_enum,
	[SC_FT_ENDPOINT] = t_endpoint, [SC_FT_DST] = t_dst,
	[SC_FT_STRINGS] = t_strings, [SC_FT_PCAP] = t_pcap,
	[SC_FT_REAL] = t_real, [SC_FT_DELAY] = t_time,
};

/*
 * Parse the scalar text of field f into obj. plain is false for quoted
 * scalars, which are strings and so not numbers or booleans.
 */
bool
parse_text(struct sc_check *ld, const struct sc_field *f, const char *s,
    bool plain, struct sc_loc loc, char *obj)
{
	text_fn *fn = (unsigned)f->type < SC_FT_MAX ? text_parsers[f->type] :
	    NULL;

	SIM_ASSERT(fn != NULL, "field '%s': type %d has no text form",
	    f->name, f->type);
	return fn(ld, f, s, plain, loc, obj);
}
