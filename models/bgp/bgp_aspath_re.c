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
#define MAX_EXPANDED 5120
/*
 * The anchors inside each `_` make glibc's epsilon closures grow with the
 * cube of their number: 40 take 40 MB to compile, 120 gigabytes. At most
 * 32 are written, and one counts as 128 atoms in the expanded size, so
 * repetitions take that to 40 at most.
 */
#define MAX_DELIMS 32
#define DELIM_COST 128

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
	/* every digit is read; the value stops growing past the maximum */
	for (; pat[j] >= '0' && pat[j] <= '9'; j++)
		if (m <= MAX_REPEAT)
			m = m * 10 + (unsigned long)(pat[j] - '0');
	n = m;
	if (pat[j] == ',') {
		j++;
		n = MAX_REPEAT;
		if (pat[j] >= '0' && pat[j] <= '9') {
			n = 0;
			have_n = true;
			for (; pat[j] >= '0' && pat[j] <= '9'; j++)
				if (n <= MAX_REPEAT)
					n = n * 10 +
					    (unsigned long)(pat[j] - '0');
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

/* One nesting level of the scanner: the pattern, or a group in it. */
struct level {
	size_t open;		/* where its '(' is */
	bool filled;		/* the current branch has something in it */
	bool branch_null;	/* the current branch can match no text */
	bool any_null;		/* an earlier branch can */
	unsigned long cost;	/* its size with repetitions expanded */
};

struct scan {
	struct level lv[MAX_DEPTH + 1];
	int depth;
	bool atom, quant;	/* the last token: repeatable; a repetition */
	bool last_null, before_null;	/* the last atom; its branch before it */
	unsigned long last;	/* the last atom's expanded size */
	unsigned long ndelim;
};

static bool
add_atom(struct scan *sc, size_t i, unsigned long cost, bool nullable,
    struct bgp_pol_err *err)
{
	struct level *l = &sc->lv[sc->depth];

	sc->before_null = l->branch_null;
	l->branch_null = l->branch_null && nullable;
	l->filled = true;
	l->cost += cost;
	sc->last = cost;
	sc->last_null = nullable;
	sc->atom = true;
	sc->quant = false;
	if (l->cost > MAX_EXPANDED)
		return fail(err, i, "too large with its repetitions expanded "
		    "(at most %d atoms, a '_' counting %d)", MAX_EXPANDED,
		    DELIM_COST);
	return true;
}

/*
 * A repetition of the last atom, times copies when an interval. glibc
 * takes exponential time to compile repeated groups that can match no
 * text, such as (_)+ (a '_' matches at the start or the end): refused, as
 * they mean nothing on a path ('?' is harmless and allowed).
 */
static bool
repeat(struct scan *sc, size_t i, char c, unsigned long times,
    bool nullable, struct bgp_pol_err *err)
{
	struct level *l = &sc->lv[sc->depth];

	if (sc->quant)
		return fail(err, i, "'%c' follows another repetition", c);
	if (!sc->atom)
		return fail(err, i, "'%c' has nothing to repeat%s", c,
		    c == '{' ? ": write \\{ for a literal brace" : "");
	if (sc->last_null && (c != '?' && (c != '{' || times > 1)))
		return fail(err, i, "'%c' repeats what can match no text (a "
		    "'_' also matches the start or the end)", c);
	if (times > 1) {
		l->cost += sc->last * (times - 1);
		sc->last *= times;
		if (l->cost > MAX_EXPANDED)
			return fail(err, i, "too large with its repetitions "
			    "expanded (at most %d atoms, a '_' counting %d)",
			    MAX_EXPANDED, DELIM_COST);
	}
	if (nullable)
		l->branch_null = sc->before_null;
	sc->atom = false;
	sc->quant = true;
	return true;
}

/*
 * Check the pattern and translate it into o. Besides the syntax, the
 * scanner refuses what would make regcomp slow or is almost always a
 * typo: an empty alternative, a repetition of what can match no text,
 * a pattern too large once its {m,n} are expanded.
 */
static bool
translate(const char *pat, struct out *o, struct bgp_pol_err *err)
{
	struct scan sc = { .lv[0] = { .branch_null = true } };
	unsigned long times = 1;
	size_t end;

	if (pat[0] == '\0')
		return fail(err, 0, "empty regular expression");
	for (size_t i = 0; pat[i] != '\0';) {
		unsigned char c = (unsigned char)pat[i];
		struct level *l = &sc.lv[sc.depth];
		bool ok = true;

		end = i + 1;
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
			put(o, c == '_' ? "_" : pat + i, c == '_' ? 1 : 2);
			end = i + 2;
			ok = add_atom(&sc, i, 1, false, err);
			break;
		case '_':
			if (++sc.ndelim > MAX_DELIMS)
				return fail(err, i, "too many '_' (at most %d)",
				    MAX_DELIMS);
			put(o, DELIM_ERE, strlen(DELIM_ERE));
			ok = add_atom(&sc, i, DELIM_COST, true, err);
			break;
		case '^':
		case '$':
			put(o, pat + i, 1);
			l->filled = true;
			sc.atom = sc.quant = false;
			break;
		case '*':
		case '+':
		case '?':
			ok = repeat(&sc, i, (char)c, 1, c != '+', err);
			put(o, pat + i, 1);
			break;
		case '{':
			if (sc.atom && !sc.quant &&
			    !interval(pat, i, &end, &times, err))
				return false;
			ok = repeat(&sc, i, '{', times, pat[i + 1] == '0', err);
			put(o, pat + i, end - i);
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
			ok = add_atom(&sc, i, 1, false, err);
			break;
		case '(':
			if (sc.depth == MAX_DEPTH)
				return fail(err, i, "groups nested deeper than "
				    "%d", MAX_DEPTH);
			l->filled = true;
			sc.lv[++sc.depth] = (struct level){ .open = i,
			    .branch_null = true };
			put(o, "(", 1);
			sc.atom = sc.quant = false;
			break;
		case '|':
			if (!l->filled)
				return fail(err, i, "empty alternative before "
				    "'|'");
			l->any_null |= l->branch_null;
			l->branch_null = true;
			l->filled = false;
			put(o, "|", 1);
			sc.atom = sc.quant = false;
			break;
		case ')':
			if (sc.depth == 0)
				return fail(err, i, "unmatched ')'");
			if (!l->filled)
				return fail(err, i, "empty alternative before "
				    "')'");
			sc.depth--;
			put(o, ")", 1);
			ok = add_atom(&sc, i, l->cost, l->any_null ||
			    l->branch_null, err);
			break;
		default:
			if (c < 0x20 || c >= 0x7f)
				return fail(err, i, "unexpected byte 0x%02x",
				    c);
			put(o, pat + i, 1);
			ok = add_atom(&sc, i, 1, false, err);
			break;
		}
		if (!ok)
			return false;
		i = end;
	}
	if (sc.depth > 0)
		return fail(err, sc.lv[sc.depth].open, "unmatched '('");
	if (!sc.lv[0].filled)
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
