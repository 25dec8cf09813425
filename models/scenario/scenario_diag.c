/*
 * scenario_diag.c - the loader's diagnostics and name spaces.
 *
 * Errors are collected, then printed sorted by place, so the checks across
 * the file (which run last) still read in file order. User text reaches the
 * terminal only escaped: a scenario may hold any bytes YAML escapes can
 * write, "\e[2J" included.
 *
 * Names are kept in hash tables, so that a file of many thousands of nodes
 * is checked in linear time; each table also remembers its names in the
 * order they were written, for did-you-mean suggestions.
 */
#include <ctype.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "scenario_load.h"
#include "sim.h"

static void
add_msg(struct sc_check *ld, struct sc_loc loc, bool warning, const char *fmt,
    va_list ap)
{
	struct diag_msg *m;
	va_list ap2;
	int n;

	if (ld->diag == NULL)
		return;
	if (ld->n_msgs == ld->cap_msgs) {
		ld->cap_msgs = ld->cap_msgs ? 2 * ld->cap_msgs : 16;
		ld->msgs = xrealloc(ld->msgs, ld->cap_msgs * sizeof(*ld->msgs));
	}
	m = &ld->msgs[ld->n_msgs];
	va_copy(ap2, ap);
	n = vsnprintf(NULL, 0, fmt, ap2);
	va_end(ap2);
	m->text = xmalloc((size_t)(n < 0 ? 0 : n) + 1);
	vsnprintf(m->text, (size_t)(n < 0 ? 0 : n) + 1, fmt, ap);
	m->loc = loc;
	m->warning = warning;
	m->seq = (unsigned)ld->n_msgs++;
}

void
ld_verror(struct sc_check *ld, struct sc_loc loc, const char *fmt, va_list ap)
{
	ld->n_errors++;
	add_msg(ld, loc, false, fmt, ap);
}

void
ld_warning(struct sc_check *ld, struct sc_loc loc, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	add_msg(ld, loc, true, fmt, ap);
	va_end(ap);
}

void
ld_error(struct sc_check *ld, struct sc_loc loc, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	ld_verror(ld, loc, fmt, ap);
	va_end(ap);
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

/* Print the messages in file order, escaped, and forget them. */
void
ld_flush(struct sc_check *ld)
{
	size_t i;

	if (ld->n_msgs == 0)
		return;
	qsort(ld->msgs, ld->n_msgs, sizeof(*ld->msgs), diag_cmp);
	for (i = 0; i < ld->n_msgs; i++) {
		fputs_escaped(ld->file, ld->diag);
		fprintf(ld->diag, ":%u:%u: %s: ", ld->msgs[i].loc.line,
		    ld->msgs[i].loc.col, ld->msgs[i].warning ? "warning" :
		    "error");
		fputs_escaped(ld->msgs[i].text, ld->diag);
		fputc('\n', ld->diag);
		free(ld->msgs[i].text);
	}
	free(ld->msgs);
	ld->msgs = NULL;
	ld->n_msgs = ld->cap_msgs = 0;
}

/*
 * User text, shortened and with control characters escaped (as \xHH, as
 * text_escape does; UTF-8 is kept whole), for use in a message. Four buffers rotate, so one message can show four such strings.
 */
const char *
q(struct sc_check *ld, const char *s)
{
	char *b = ld->qbuf[ld->qi++ % 4];
	size_t size = sizeof(ld->qbuf[0]);

	if (s == NULL)
		s = "";
	/* control characters escaped, UTF-8 kept, never cut in two */
	if (s[text_escape_part(b, size, s)] != '\0') {
		text_escape_part(b, size - 3, s);
		strcat(b, "...");
	}
	return b;
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
const char *
suggest(struct sc_check *ld, const char *word, const void *base, size_t n,
    size_t stride, size_t off)
{
	size_t i, best = SIZE_MAX, wl, max;
	const char *found = NULL;

	if (word == NULL || (wl = strlen(word)) > SC_NAME_MAX ||
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
const char *
dym(struct sc_check *ld, char *buf, size_t len, const char *s)
{
	if (s == NULL)
		buf[0] = '\0';
	else
		snprintf(buf, len, " (did you mean '%s'?)", q(ld, s));
	return buf;
}

/* --- name tables ----------------------------------------------------- */

static uint64_t
mix(uint64_t h, const char *s, bool fold)
{
	for (; s != NULL && *s != '\0'; s++)
		h = (h ^ (unsigned char)(fold ? tolower((unsigned char)*s) :
		    *s)) * 1099511628211ULL;
	return h;
}

static uint64_t
names_hash(const struct sc_names *x, const char *a, const char *b)
{
	uint64_t h = mix(1469598103934665603ULL, a, x->fold);

	return mix((h ^ 0xff) * 1099511628211ULL, b, x->fold);
}

static bool
str_eq(const struct sc_names *x, const char *s, const char *t)
{
	return x->fold ? strcasecmp(s, t) == 0 : strcmp(s, t) == 0;
}

static bool
names_eq(const struct sc_names *x, const struct sc_names_ent *e,
    const char *a, const char *b)
{
	return str_eq(x, e->a, a) &&
	    (e->b == NULL ? b == NULL : b != NULL && str_eq(x, e->b, b));
}

const struct sc_names_ent *
names_ent(const struct sc_names *x, const char *a, const char *b)
{
	size_t i;

	if (x == NULL || x->cap == 0)
		return NULL;
	for (i = names_hash(x, a, b) & (x->cap - 1); x->e[i].a != NULL;
	    i = (i + 1) & (x->cap - 1))
		if (names_eq(x, &x->e[i], a, b))
			return &x->e[i];
	return NULL;
}

const size_t *
names_find(const struct sc_names *x, const char *a, const char *b)
{
	const struct sc_names_ent *e = names_ent(x, a, b);

	return e != NULL ? &e->v : NULL;
}

static void
names_put(struct sc_names *x, const struct sc_names_ent *ent)
{
	size_t i;

	for (i = names_hash(x, ent->a, ent->b) & (x->cap - 1);
	    x->e[i].a != NULL; i = (i + 1) & (x->cap - 1))
		;
	x->e[i] = *ent;
	x->n++;
}

/* Adds (a, b) -> v unless present; returns the value now stored. */
size_t
names_add(struct sc_names *x, const char *a, const char *b, size_t v,
    struct sc_loc loc)
{
	const struct sc_names_ent *old = names_ent(x, a, b);
	struct sc_names_ent ent = { a, b, v, loc };
	size_t i;

	if (old != NULL)
		return old->v;
	if (2 * (x->n + 1) > x->cap) {
		struct sc_names_ent *e = x->e;
		size_t cap = x->cap;

		x->cap = cap ? 2 * cap : 64;
		x->e = xcalloc(x->cap, sizeof(*x->e));
		x->n = 0;
		for (i = 0; i < cap; i++)
			if (e[i].a != NULL)
				names_put(x, &e[i]);
		free(e);
	}
	names_put(x, &ent);
	if (b == NULL) {
		if (x->n_order == x->cap_order) {
			x->cap_order = x->cap_order ? 2 * x->cap_order : 16;
			x->order = xrealloc(x->order,
			    x->cap_order * sizeof(*x->order));
		}
		x->order[x->n_order++] = a;
	}
	return v;
}

void
names_free(struct sc_names *x)
{
	if (x == NULL)
		return;
	free(x->e);
	free(x->order);
	free(x->space);
	free(x->why);
	memset(x, 0, sizeof(*x));
}

struct sc_names *
ld_space(struct sc_check *ld, const char *space)
{
	struct sc_names *x;
	size_t i;

	for (i = 0; i < ld->n_spaces; i++)
		if (strcmp(ld->spaces[i]->space, space) == 0)
			return ld->spaces[i];
	x = xcalloc(1, sizeof(*x));
	x->space = xstrdup(space);
	ld->spaces = xrealloc(ld->spaces,
	    (ld->n_spaces + 1) * sizeof(*ld->spaces));
	ld->spaces[ld->n_spaces++] = x;
	return x;
}

void
ld_free_spaces(struct sc_check *ld)
{
	size_t i;

	for (i = 0; i < ld->n_spaces; i++) {
		names_free(ld->spaces[i]);
		free(ld->spaces[i]);
	}
	free(ld->spaces);
	ld->spaces = NULL;
	ld->n_spaces = 0;
	names_free(&ld->ifaces);
}

/* --- the interface for checks (scenario_section.h) -------------------- */

void
sc_check_error(struct sc_check *ck, struct sc_loc loc, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	ld_verror(ck, loc, fmt, ap);
	va_end(ap);
}

const char *
sc_check_quote(struct sc_check *ck, const char *s)
{
	return q(ck, s);
}

const char *
sc_check_dym(struct sc_check *ck, char *buf, size_t len, const char *word,
    const void *base, size_t n, size_t stride, size_t off)
{
	return dym(ck, buf, len, suggest(ck, word, base, n, stride, off));
}

unsigned
sc_check_errors(const struct sc_check *ck)
{
	return ck->n_errors;
}

struct scenario *
sc_check_scenario(struct sc_check *ck)
{
	return ck->sc;
}

void
sc_names_fold(struct sc_check *ck, const char *space, const char *why)
{
	struct sc_names *x = ld_space(ck, space);

	SIM_ASSERT(x->n == 0, "space %s folded after use", space);
	x->fold = true;
	free(x->why);
	x->why = xstrdup(why);
}

bool
sc_names_add(struct sc_check *ck, const char *space, const char *name,
    size_t idx, struct sc_loc loc)
{
	struct sc_names *x = ld_space(ck, space);
	const struct sc_names_ent *old;

	if (name == NULL)
		return false;
	if ((old = names_ent(x, name, NULL)) == NULL) {
		names_add(x, name, NULL, idx, loc);
		return true;
	}
	if (strcmp(old->a, name) == 0)
		ld_error(ck, loc, "duplicate %s '%s' (first defined at %u:%u)",
		    space, q(ck, name), old->loc.line, old->loc.col);
	else
		ld_error(ck, loc, "%s '%s' differs from %s '%s' (defined at "
		    "%u:%u) only in case (%s)", space, q(ck, name), space,
		    q(ck, old->a), old->loc.line, old->loc.col, x->why);
	return false;
}

bool
sc_names_find(const struct sc_check *ck, const char *space, const char *name,
    size_t *idx)
{
	const size_t *v;
	size_t i;

	if (name == NULL)
		return false;
	for (i = 0; i < ck->n_spaces; i++) {
		const struct sc_names *x = ck->spaces[i];

		if (strcmp(x->space, space) != 0)
			continue;
		/* Folded spaces hold one spelling; references are exact. */
		v = names_find(x, name, NULL);
		if (v == NULL || (x->fold &&
		    strcmp(names_ent(x, name, NULL)->a, name) != 0))
			return false;
		if (idx != NULL)
			*idx = *v;
		return true;
	}
	return false;
}

bool
sc_names_lookup(struct sc_check *ck, const char *space, const char *name,
    struct sc_loc loc, size_t *idx)
{
	struct sc_names *x;
	char hint[120];

	if (name == NULL)
		return false;
	if (sc_names_find(ck, space, name, idx))
		return true;
	x = ld_space(ck, space);
	ld_error(ck, loc, "unknown %s '%s'%s", space, q(ck, name),
	    dym(ck, hint, sizeof(hint), suggest(ck, name, x->order,
	    x->n_order, sizeof(*x->order), 0)));
	return false;
}
