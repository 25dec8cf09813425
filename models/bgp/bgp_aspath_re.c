/*
 * bgp_aspath_re.c - the Cisco/FRR regular-expression dialect on AS paths
 * and communities: a scanner that checks a pattern and translates `_`,
 * regcomp(3) for the rest, and the text forms matched against.
 */
#include <regex.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bgp_aspath_re.h"
#include "bgp_msg.h"
#include "util.h"

/*
 * What `_` becomes. A bracket expression whose first character is `]`
 * takes it literally, so the class is: ] [ space , { } ( ).
 */
#define DELIM_ERE "(^|[][ ,{}()]|$)"
#define MAX_DEPTH 32
#define MAX_REPEAT 255		/* RE_DUP_MAX in POSIX is at least 255 */
/*
 * glibc expands {m,n} by copying what it repeats: ((1{255}){255}){255}
 * takes seconds and gigabytes to compile. A pattern's size with its
 * repetitions expanded is bounded instead.
 */
#define MAX_EXPANDED 4096

struct bgp_re {
	regex_t re;
	char *pat;
	char *ere;
};

static bool
fail(struct bgp_pol_err *err, size_t pos, const char *fmt, ...)
{
	va_list ap;

	if (err == NULL)
		return false;
	err->pos = pos;
	va_start(ap, fmt);
	vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
	va_end(ap);
	return false;
}

struct out {
	char *buf;
	size_t len, cap;
};

static void
put(struct out *o, const char *s, size_t n)
{
	if (o->len + n + 1 > o->cap) {
		o->cap = (o->len + n + 1) * 2;
		o->buf = xrealloc(o->buf, o->cap);
	}
	memcpy(o->buf + o->len, s, n);
	o->len += n;
	o->buf[o->len] = '\0';
}

/* A bracket expression starting at pat[i] == '['; returns the index past ']'. */
static bool
bracket(const char *pat, size_t i, size_t *end, struct bgp_pol_err *err)
{
	size_t j = i + 1;
	int prev = -1;		/* the last single character, for ranges */

	if (pat[j] == '^')
		j++;
	if (pat[j] == ']') {
		prev = ']';
		j++;
	}
	for (; pat[j] != ']'; j++) {
		unsigned char c = (unsigned char)pat[j];

		if (c == '\0')
			return fail(err, i, "unmatched '['");
		if (c < 0x20 || c >= 0x7f)
			return fail(err, j, "unexpected byte 0x%02x", c);
		if (c == '[' && (pat[j + 1] == ':' || pat[j + 1] == '.' ||
		    pat[j + 1] == '='))
			return fail(err, j, "character classes like [:digit:] "
			    "are not part of this dialect: write 0-9");
		if (c == '-' && prev >= 0 && pat[j + 1] != ']') {
			unsigned char hi = (unsigned char)pat[j + 1];

			if (hi == '\0')
				return fail(err, i, "unmatched '['");
			if (hi < prev)
				return fail(err, j - 1, "range %c-%c is "
				    "backwards", prev, hi);
			j++;
			prev = -1;
			continue;
		}
		prev = c;
	}
	*end = j + 1;
	return true;
}

/* {m}, {m,} or {m,n} at pat[i]; returns the index past '}'. */
static bool
interval(const char *pat, size_t i, size_t *end, unsigned long *times,
    struct bgp_pol_err *err)
{
	size_t j = i + 1;
	unsigned long m = 0, n;
	bool have_n = false;

	if (pat[j] < '0' || pat[j] > '9')
		goto bad;
	while (pat[j] >= '0' && pat[j] <= '9' && m <= MAX_REPEAT)
		m = m * 10 + (unsigned long)(pat[j++] - '0');
	n = m;
	if (pat[j] == ',') {
		j++;
		n = MAX_REPEAT;
		if (pat[j] >= '0' && pat[j] <= '9') {
			n = 0;
			have_n = true;
			while (pat[j] >= '0' && pat[j] <= '9' &&
			    n <= MAX_REPEAT)
				n = n * 10 + (unsigned long)(pat[j++] - '0');
		}
	}
	if (pat[j] != '}')
		goto bad;
	if (m > MAX_REPEAT || n > MAX_REPEAT)
		return fail(err, i, "repetition count above %d", MAX_REPEAT);
	if (have_n && n < m)
		return fail(err, i, "repetition {%lu,%lu}: the maximum is "
		    "below the minimum", m, n);
	*end = j + 1;
	*times = have_n || pat[j - 1] != ',' ? n : m + 1;
	return true;
bad:
	return fail(err, i, "'{' starts a repetition count {m,n}: write "
	    "\\{ for a literal brace");
}

/*
 * Check the pattern and translate it into o. The scanner keeps, per
 * nesting level, whether the current branch has anything in it (an empty
 * alternative is almost always a typo) and whether the last token can
 * take a repetition.
 */
static bool
translate(const char *pat, struct out *o, struct bgp_pol_err *err)
{
	size_t open[MAX_DEPTH + 1];
	bool filled[MAX_DEPTH + 1];
	/* the expanded size so far at each level, and of the last atom */
	unsigned long cost[MAX_DEPTH + 1], last = 0, times = 0;
	int depth = 0;
	bool atom = false, quant = false;

	if (pat[0] == '\0')
		return fail(err, 0, "empty regular expression");
	filled[0] = false;
	cost[0] = 0;
	for (size_t i = 0; pat[i] != '\0';) {
		unsigned char c = (unsigned char)pat[i];
		size_t end = 0;

		switch (c) {
		case '\\':
			c = (unsigned char)pat[i + 1];
			if (c == '\0')
				return fail(err, i, "'\\' at the end of the "
				    "pattern");
			if (c < 0x21 || c >= 0x7f || (c >= '0' && c <= '9') ||
			    (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'))
				return fail(err, i, "'\\%c' is not an escape of "
				    "this dialect: '\\' comes before a "
				    "punctuation character", c >= 0x21 &&
				    c < 0x7f ? c : '?');
			if (c == '_')
				put(o, "_", 1);
			else
				put(o, pat + i, 2);
			i += 2;
			atom = true, quant = false;
			break;
		case '_':
			put(o, DELIM_ERE, strlen(DELIM_ERE));
			i++;
			atom = true, quant = false;
			break;
		case '^':
		case '$':
			put(o, pat + i, 1);
			i++;
			atom = false, quant = false;
			break;
		case '*':
		case '+':
		case '?':
			if (quant)
				return fail(err, i, "'%c' follows another "
				    "repetition", c);
			if (!atom)
				return fail(err, i, "'%c' has nothing to "
				    "repeat", c);
			put(o, pat + i, 1);
			i++;
			atom = false, quant = true;
			break;
		case '{':
			if (quant)
				return fail(err, i, "'{' follows another "
				    "repetition");
			if (!atom)
				return fail(err, i, "'{' has nothing to "
				    "repeat: write \\{ for a literal brace");
			if (!interval(pat, i, &end, &times, err))
				return false;
			if (times == 0)
				times = 1;
			cost[depth] += last * (times - 1);
			last *= times;
			if (cost[depth] > MAX_EXPANDED)
				return fail(err, i, "the repetitions expand the "
				    "pattern past %d atoms", MAX_EXPANDED);
			put(o, pat + i, end - i);
			i = end;
			atom = false, quant = true;
			break;
		case '}':
			return fail(err, i, "unmatched '}': write \\} for a "
			    "literal brace");
		case ']':
			return fail(err, i, "unmatched ']'");
		case '[':
			if (!bracket(pat, i, &end, err))
				return false;
			put(o, pat + i, end - i);
			i = end;
			atom = true, quant = false;
			break;
		case '(':
			if (depth == MAX_DEPTH)
				return fail(err, i, "groups nested deeper than "
				    "%d", MAX_DEPTH);
			filled[depth] = true;
			open[++depth] = i;
			filled[depth] = false;
			cost[depth] = 0;
			put(o, "(", 1);
			i++;
			atom = false, quant = false;
			continue;
		case '|':
			if (!filled[depth])
				return fail(err, i, "empty alternative before "
				    "'|'");
			filled[depth] = false;
			put(o, "|", 1);
			i++;
			atom = false, quant = false;
			continue;
		case ')':
			if (depth == 0)
				return fail(err, i, "unmatched ')'");
			if (!filled[depth])
				return fail(err, i, "empty alternative before "
				    "')'");
			last = cost[depth--];
			cost[depth] += last;
			put(o, ")", 1);
			i++;
			atom = true, quant = false;
			filled[depth] = true;
			continue;
		default:
			if (c < 0x20 || c >= 0x7f)
				return fail(err, i, "unexpected byte 0x%02x",
				    c);
			put(o, pat + i, 1);
			i++;
			atom = true, quant = false;
			break;
		}
		filled[depth] = true;
		if (atom) {
			cost[depth]++;
			last = 1;
		}
	}
	if (depth > 0)
		return fail(err, open[depth], "unmatched '('");
	if (!filled[0])
		return fail(err, strlen(pat), "empty alternative at the end");
	return true;
}

struct bgp_re *
bgp_re_compile(const char *pat, struct bgp_pol_err *err)
{
	struct out o = { NULL, 0, 0 };
	struct bgp_re *re;
	int rc;

	put(&o, "", 0);
	if (!translate(pat, &o, err)) {
		free(o.buf);
		return NULL;
	}
	re = xcalloc(1, sizeof(*re));
	rc = regcomp(&re->re, o.buf, REG_EXTENDED | REG_NOSUB);
	if (rc != 0) {
		char msg[128];

		regerror(rc, &re->re, msg, sizeof(msg));
		fail(err, 0, "regcomp: %s", msg);
		free(o.buf);
		free(re);
		return NULL;
	}
	re->pat = xstrdup(pat);
	re->ere = o.buf;
	return re;
}

void
bgp_re_free(struct bgp_re *re)
{
	if (re == NULL)
		return;
	regfree(&re->re);
	free(re->pat);
	free(re->ere);
	free(re);
}

const char *
bgp_re_pattern(const struct bgp_re *re)
{
	return re->pat;
}

const char *
bgp_re_ere(const struct bgp_re *re)
{
	return re->ere;
}

bool
bgp_re_match(const struct bgp_re *re, const char *text)
{
	return regexec(&re->re, text, 0, NULL, 0) == 0;
}

/* ---- text forms ---- */

static void
putc_(char *buf, size_t cap, size_t *off, char c)
{
	if (*off + 1 < cap)
		buf[*off] = c;
	(*off)++;
}

static void
putu(char *buf, size_t cap, size_t *off, uint32_t v)
{
	char d[10];
	int n = 0;

	do {
		d[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v != 0);
	while (n > 0)
		putc_(buf, cap, off, d[--n]);
}

static size_t
finish(char *buf, size_t cap, size_t off)
{
	if (cap > 0)
		buf[off < cap ? off : cap - 1] = '\0';
	return off;
}

size_t
bgp_path_text(const uint32_t *path, uint16_t n, char *buf, size_t cap)
{
	size_t off = 0, i = 0;

	while (i < n) {
		uint8_t t = BGP_SEG_TYPE(path[i]);
		size_t k = BGP_SEG_N(path[i]);
		char open = t == BGP_SEG_SET ? '{' :
		    t == BGP_SEG_CONFED_SEQUENCE ? '(' :
		    t == BGP_SEG_CONFED_SET ? '[' : 0;
		char close = t == BGP_SEG_SET ? '}' :
		    t == BGP_SEG_CONFED_SEQUENCE ? ')' :
		    t == BGP_SEG_CONFED_SET ? ']' : 0;

		if (off > 0)
			putc_(buf, cap, &off, ' ');
		if (open)
			putc_(buf, cap, &off, open);
		for (size_t j = 1; j <= k && i + j < n; j++) {
			if (j > 1)
				putc_(buf, cap, &off, ' ');
			putu(buf, cap, &off, path[i + j]);
		}
		if (close)
			putc_(buf, cap, &off, close);
		i += 1 + k;
	}
	return finish(buf, cap, off);
}

size_t
bgp_comm_text(const uint32_t *comm, uint16_t n, char *buf, size_t cap)
{
	size_t off = 0;

	for (uint16_t i = 0; i < n; i++) {
		if (i > 0)
			putc_(buf, cap, &off, ' ');
		putu(buf, cap, &off, comm[i] >> 16);
		putc_(buf, cap, &off, ':');
		putu(buf, cap, &off, comm[i] & 0xffff);
	}
	return finish(buf, cap, off);
}

size_t
bgp_lcomm_text(const uint32_t *lcomm, uint16_t n, char *buf, size_t cap)
{
	size_t off = 0;

	for (uint16_t i = 0; i < n; i++) {
		if (i > 0)
			putc_(buf, cap, &off, ' ');
		putu(buf, cap, &off, lcomm[3 * i]);
		putc_(buf, cap, &off, ':');
		putu(buf, cap, &off, lcomm[3 * i + 1]);
		putc_(buf, cap, &off, ':');
		putu(buf, cap, &off, lcomm[3 * i + 2]);
	}
	return finish(buf, cap, off);
}
