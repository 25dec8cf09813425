/*
 * units.c - exact text <-> integer conversion of times, rates and sizes.
 *
 * Decimal text is parsed digit by digit into an integer count of the smallest
 * unit, never through a double, so "1.1ms" is exactly 1,100,000 ns.
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "units.h"

struct unit {
	const char *name;
	uint64_t scale;
};

static const struct unit time_units[] = {
	{ "ns", 1ULL }, { "us", 1000ULL }, { "ms", 1000000ULL },
	{ "s", 1000000000ULL }, { "m", 60000000000ULL },
	{ "h", 3600000000000ULL }, { NULL, 0 }
};

static const struct unit rate_units[] = {
	{ "bps", 1ULL }, { "kbps", 1000ULL }, { "Kbps", 1000ULL },
	{ "Mbps", 1000000ULL }, { "Gbps", 1000000000ULL },
	{ "Tbps", 1000000000000ULL }, { NULL, 0 }
};

static const struct unit byte_units[] = {
	{ "", 1ULL }, { "B", 1ULL }, { "KB", 1000ULL }, { "MB", 1000000ULL },
	{ "GB", 1000000000ULL }, { "KiB", 1024ULL }, { "MiB", 1048576ULL },
	{ "GiB", 1073741824ULL }, { NULL, 0 }
};

const char *
units_name(enum units_kind k, size_t i)
{
	const struct unit *u = k == UNITS_TIME ? time_units :
	    k == UNITS_RATE ? rate_units : byte_units;
	size_t j;

	for (j = 0; j < i && u[j].name != NULL; j++)
		;
	return u[j].name;
}

static void
seterr(char *err, size_t len, const char *msg)
{
	if (err != NULL && len > 0)
		snprintf(err, len, "%s", msg);
}

/*
 * Parse "<digits>[.<digits>]<unit>" against a unit table into an exact
 * integer of base units. Returns 0 or -1 with a reason.
 */
static int
parse_scaled(const char *text, const struct unit *units, uint64_t *out,
    const char *what, char *err, size_t errlen)
{
	const char *p = text;
	unsigned __int128 ip = 0, fp = 0, fscale = 1;
	const struct unit *u;
	int digits = 0;
	char msg[160];

	while (isspace((unsigned char)*p))
		p++;
	if (p[0] == '0' && (p[1] == 'x' || p[1] == 'X') &&
	    isxdigit((unsigned char)p[2])) {
		uint64_t v;

		/* not a unit 'x40': a count's notation where it has no place */
		if (units_parse_uint(p, &v))
			snprintf(msg, sizeof(msg), "hexadecimal is for counts: "
			    "write a %s in decimal (%s is %llu)", what, p,
			    (unsigned long long)v);
		else
			snprintf(msg, sizeof(msg), "hexadecimal is for counts: "
			    "write a %s in decimal", what);
		seterr(err, errlen, msg);
		return -1;
	}
	while (isdigit((unsigned char)*p)) {
		ip = ip * 10 + (unsigned)(*p++ - '0');
		digits++;
		if (ip > UINT64_MAX) {
			seterr(err, errlen, "value too large");
			return -1;
		}
	}
	if (*p == '.') {
		p++;
		while (isdigit((unsigned char)*p)) {
			if (fscale < (unsigned __int128)1000000000000000000ULL) {
				fp = fp * 10 + (unsigned)(*p - '0');
				fscale *= 10;
			} else if (*p != '0') {
				seterr(err, errlen, "too many decimals");
				return -1;
			}
			p++;
			digits++;
		}
	}
	if (digits == 0) {
		snprintf(msg, sizeof(msg), "expected a number with a %s unit",
		    what);
		seterr(err, errlen, msg);
		return -1;
	}
	if ((*p == 'e' || *p == 'E') && (isdigit((unsigned char)p[1]) ||
	    ((p[1] == '-' || p[1] == '+') && isdigit((unsigned char)p[2])))) {
		seterr(err, errlen, "scientific notation is not supported: "
		    "write the number out in full, or use a larger unit");
		return -1;
	}
	if (isspace((unsigned char)*p) && p[strspn(p, " \t")] != '\0') {
		snprintf(msg, sizeof(msg), "remove the space between the "
		    "number and the unit ('%.*s%s')", (int)(p - text), text,
		    p + strspn(p, " \t"));
		seterr(err, errlen, msg);
		return -1;
	}
	for (u = units; u->name != NULL; u++)
		if (strcmp(p, u->name) == 0)
			break;
	if (u->name == NULL) {
		size_t off = 0;
		const struct unit *v;
		int listed = 0;

		if (*p == '\0')
			off += (size_t)snprintf(msg, sizeof(msg),
			    "%s unit missing; use ", what);
		else
			off += (size_t)snprintf(msg, sizeof(msg),
			    "%s unit '%s' unknown; use ", what, p);
		for (v = units; v->name != NULL && off < sizeof(msg); v++)
			if (v->name[0] != '\0') {
				off += (size_t)snprintf(msg + off,
				    sizeof(msg) - off, "%s%s",
				    listed ? ", " : "", v->name);
				listed = 1;
			}
		if (units[0].name[0] == '\0' && off < sizeof(msg))
			snprintf(msg + off, sizeof(msg) - off, " or none");
		seterr(err, errlen, msg);
		return -1;
	}
	{
		unsigned __int128 whole = ip * u->scale;
		unsigned __int128 frac = fp * u->scale;

		if (frac % fscale != 0) {
			snprintf(msg, sizeof(msg),
			    "'%s' is not a whole number of base units", text);
			seterr(err, errlen, msg);
			return -1;
		}
		whole += frac / fscale;
		if (whole > INT64_MAX) {
			seterr(err, errlen, "value too large");
			return -1;
		}
		*out = (uint64_t)whole;
	}
	return 0;
}

int
units_parse_time(const char *text, int allow_negative, sim_time *out,
    char *err, size_t errlen)
{
	uint64_t v;
	int neg = 0;

	while (isspace((unsigned char)*text))
		text++;
	if (*text == '-') {
		if (!allow_negative) {
			seterr(err, errlen, "must not be negative");
			return -1;
		}
		neg = 1;
		text++;
	}
	if (parse_scaled(text, time_units, &v, "time", err, errlen) < 0)
		return -1;
	*out = neg ? -(sim_time)v : (sim_time)v;
	return 0;
}

int
units_parse_rate(const char *text, uint64_t *bps, char *err, size_t errlen)
{
	return parse_scaled(text, rate_units, bps, "rate", err, errlen);
}

int
units_parse_bytes(const char *text, uint64_t *bytes, char *err, size_t errlen)
{
	return parse_scaled(text, byte_units, bytes, "size", err, errlen);
}

static char *
fmt_scaled(char *buf, size_t len, uint64_t v, const struct unit *units,
    size_t n_units, int neg)
{
	size_t i = n_units;

	/* Largest unit that v is at least one of, with up to 3 decimals. */
	while (i > 1 && v < units[i - 1].scale)
		i--;
	if (i == 0)
		i = 1;
	{
		const struct unit *u = &units[i - 1];
		uint64_t whole = v / u->scale, rem = v % u->scale;

		if (rem == 0) {
			snprintf(buf, len, "%s%llu%s", neg ? "-" : "",
			    (unsigned long long)whole, u->name);
		} else {
			char frac[32];

			/* exact decimal expansion of rem / scale */
			{
				uint64_t s = u->scale;
				int digits = 0;
				uint64_t r = rem;
				char *q = frac;

				while (r != 0 && digits < 18) {
					s /= 10;
					if (s == 0)
						break;
					*q++ = (char)('0' + r / s);
					r %= s;
					digits++;
				}
				*q = '\0';
			}
			snprintf(buf, len, "%s%llu.%s%s", neg ? "-" : "",
			    (unsigned long long)whole, frac, u->name);
		}
	}
	return buf;
}

char *
units_fmt_time(char *buf, size_t len, sim_time t)
{
	/* ns, us, ms, s only: minutes and hours read worse as decimals. */
	uint64_t v = t < 0 ? (uint64_t)0 - (uint64_t)t : (uint64_t)t;

	if (t == 0) {
		snprintf(buf, len, "0s");
		return buf;
	}
	return fmt_scaled(buf, len, v, time_units, 4, t < 0);
}

char *
units_fmt_rate(char *buf, size_t len, uint64_t bps)
{
	static const struct unit r[] = {
		{ "bps", 1ULL }, { "kbps", 1000ULL }, { "Mbps", 1000000ULL },
		{ "Gbps", 1000000000ULL }, { "Tbps", 1000000000000ULL }
	};

	return fmt_scaled(buf, len, bps, r, 5, 0);
}

sim_time
units_tx_time(uint64_t len_bytes, uint64_t rate_bps)
{
	unsigned __int128 bits = (unsigned __int128)len_bytes * 8u * 1000000000u;

	if (rate_bps == 0)
		return SIM_TIME_MAX;
	return (sim_time)((bits + rate_bps - 1) / rate_bps);
}

bool
units_is_count(const char *s)
{
	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))
		return s[2] != '\0' && s[2 + strspn(s + 2,
		    "0123456789abcdefABCDEF")] == '\0';
	return s[0] != '\0' && s[strspn(s, "0123456789")] == '\0';
}

bool
units_parse_uint(const char *s, uint64_t *out)
{
	uint64_t v = 0;
	unsigned base = 10, d;

	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		base = 16;
		s += 2;
	}
	if (*s == '\0')
		return false;
	for (; *s != '\0'; s++) {
		if (isdigit((unsigned char)*s))
			d = (unsigned)(*s - '0');
		else if (base == 16 && isxdigit((unsigned char)*s))
			d = (unsigned)(tolower((unsigned char)*s) - 'a' + 10);
		else
			return false;
		if (v > (UINT64_MAX - d) / base)
			return false;
		v = v * base + d;
	}
	*out = v;
	return true;
}
