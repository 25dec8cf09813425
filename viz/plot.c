/* plot.c - metrics CSV to latency CDFs and time series, through draw.h. */
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "draw.h"
#include "plot.h"
#include "style.h"
#include "util.h"

enum plot_metric { PM_RTT, PM_GOODPUT, PM_CWND, PM_TXN, PM_SSTHRESH,
	PM_MAX };

static const char *const metric_names[PM_MAX] = { "rtt_ns", "goodput_bps",
	"cwnd_bytes", "txn_latency_hist", "ssthresh_bytes" };

/* An ssthresh of UINT32_MAX is "not set yet" (slow start from the start). */
#define SSTHRESH_UNSET 4294967295.0

struct series {
	size_t file;
	char app[64];
	enum plot_metric m;
	double *t, *v;		/* t in seconds; a histogram's bucket in ns */
	size_t n, cap;
	size_t colour;		/* its curve's number in its panel */
};

struct data {
	struct series *s;
	size_t n, cap;
	bool multi_app;
	const char *const *labels;	/* a name per file, or NULL */
};

static const unsigned palette[] = { 0x4493f8, 0xf2cc60, 0x3fb950, 0xff7b72,
	0xd2a8ff, 0xffa657, 0x3fd5c8, 0xe6edf3 };

unsigned
plot_series_rgb(size_t i)
{
	return palette[i % (sizeof(palette) / sizeof(palette[0]))];
}

static struct series *
series_for(struct data *d, size_t file, const char *app, enum plot_metric m)
{
	struct series *s;
	size_t i;

	for (i = 0; i < d->n; i++)
		if (d->s[i].file == file && d->s[i].m == m &&
		    strcmp(d->s[i].app, app) == 0)
			return &d->s[i];
	if (d->n == d->cap) {
		d->cap = d->cap ? d->cap * 2 : 8;
		d->s = xrealloc(d->s, d->cap * sizeof(*d->s));
	}
	s = &d->s[d->n++];
	memset(s, 0, sizeof(*s));
	s->file = file;
	snprintf(s->app, sizeof(s->app), "%s", app);
	s->m = m;
	return s;
}

/*
 * Colours are numbered within a panel, in the order the curves first
 * appear, so the few curves of one panel (two runs' transaction CDFs) get
 * the palette's first, most distinct colours whatever the other panels
 * hold; an ssthresh takes its cwnd curve's colour.
 */
static void
assign_colours(struct data *d)
{
	size_t next[PM_MAX] = { 0 }, i, k;
	struct series *s;

	for (i = 0; i < d->n; i++)
		if (d->s[i].m != PM_SSTHRESH)
			d->s[i].colour = next[d->s[i].m]++;
	for (i = 0; i < d->n; i++) {
		s = &d->s[i];
		if (s->m != PM_SSTHRESH)
			continue;
		for (k = 0; k < d->n; k++)
			if (d->s[k].m == PM_CWND && d->s[k].file == s->file &&
			    strcmp(d->s[k].app, s->app) == 0)
				break;
		s->colour = k < d->n ? d->s[k].colour : next[PM_CWND]++;
	}
}

static void
series_add(struct series *s, double t, double v)
{
	if (s->n == s->cap) {
		s->cap = s->cap ? s->cap * 2 : 256;
		s->t = xrealloc(s->t, s->cap * sizeof(*s->t));
		s->v = xrealloc(s->v, s->cap * sizeof(*s->v));
	}
	s->t[s->n] = t;
	s->v[s->n] = v;
	s->n++;
}

static void
data_free(struct data *d)
{
	size_t i;

	for (i = 0; i < d->n; i++) {
		free(d->s[i].t);
		free(d->s[i].v);
	}
	free(d->s);
}

static char *
trim(char *s)
{
	char *e;

	while (isspace((unsigned char)*s))
		s++;
	e = s + strlen(s);
	while (e > s && isspace((unsigned char)e[-1]))
		*--e = '\0';
	return s;
}

static int
load(struct data *d, size_t fi, const char *path, char *err, size_t errlen)
{
	FILE *f = fopen(path, "r");
	char line[1024], *fld[4], *p, *end;
	unsigned long lineno = 0;
	int i, r = 0;

	if (f == NULL)
		return sim_err(err, errlen, "%s: %s", path, strerror(errno));
	while (fgets(line, sizeof(line), f) != NULL) {
		enum plot_metric m;
		long long t;
		double v;

		lineno++;
		if (strchr(line, '\n') == NULL && !feof(f)) {
			r = sim_err(err, errlen, "%s:%lu: line too long", path,
			    lineno);
			break;
		}
		p = trim(line);
		if (lineno == 1) {
			if (strcmp(p, "app,metric,t_ns,value") != 0) {
				r = sim_err(err, errlen, "%s:1: expected the "
				    "header app,metric,t_ns,value", path);
				break;
			}
			continue;
		}
		if (*p == '\0')
			continue;
		for (i = 0; i < 4; i++) {
			fld[i] = p;
			p = strchr(p, ',');
			if (p == NULL)
				break;
			*p++ = '\0';
		}
		if (i != 3) {
			r = sim_err(err, errlen, "%s:%lu: expected 4 fields",
			    path, lineno);
			break;
		}
		for (m = 0; m < PM_MAX; m++)
			if (strcmp(trim(fld[1]), metric_names[m]) == 0)
				break;
		errno = 0;
		t = strtoll(trim(fld[2]), &end, 10);
		if (errno != 0 || *end != '\0' || end == trim(fld[2])) {
			r = sim_err(err, errlen, "%s:%lu: bad t_ns", path,
			    lineno);
			break;
		}
		v = strtod(trim(fld[3]), &end);
		if (*end != '\0' || !isfinite(v)) {
			r = sim_err(err, errlen, "%s:%lu: bad value", path,
			    lineno);
			break;
		}
		if (m == PM_MAX)
			continue;	/* a metric this plot does not draw */
		if (m == PM_TXN && (t < 0 || v < 0)) {
			r = sim_err(err, errlen, "%s:%lu: a latency bucket and "
			    "its count are >= 0", path, lineno);
			break;
		}
		series_add(series_for(d, fi, trim(fld[0]), m), m == PM_TXN ?
		    (double)t : (double)t / 1e9, v);
	}
	if (r == 0 && ferror(f))
		r = sim_err(err, errlen, "%s: read error", path);
	fclose(f);
	return r;
}

/* --- axes --- */

struct axis {
	double lo, hi, step;
	double scale;		/* shown value = raw / scale */
	const char *unit;
	bool log;		/* logarithmic: ticks at 1, 2, 5 x 10^k */
};

static double
nice_step(double span, int want)
{
	double raw = span / want, p = pow(10, floor(log10(raw))), f = raw / p;

	if (f < 1.5)
		return p;
	if (f < 3.5)
		return 2 * p;
	if (f < 7.5)
		return 5 * p;
	return 10 * p;
}

static void
axis_fit(struct axis *a, double lo, double hi, int want, bool from_zero)
{
	if (from_zero && lo > 0)
		lo = 0;
	if (!(hi > lo)) {
		hi = lo + (lo != 0 ? fabs(lo) * 0.1 : 1);
		lo -= (lo != 0 ? fabs(lo) * 0.1 : 0);
	}
	a->step = nice_step((hi - lo) / a->scale, want) * a->scale;
	a->lo = floor(lo / a->step) * a->step;
	a->hi = ceil(hi / a->step) * a->step;
}

static void
time_unit(struct axis *a, double max_ns)
{
	if (max_ns >= 1e9) {
		a->scale = 1e9;
		a->unit = "s";
	} else if (max_ns >= 1e6) {
		a->scale = 1e6;
		a->unit = "ms";
	} else if (max_ns >= 1e3) {
		a->scale = 1e3;
		a->unit = "\xc2\xb5s";
	} else {
		a->scale = 1;
		a->unit = "ns";
	}
}

static void
rate_unit(struct axis *a, double max)
{
	if (max >= 1e9) {
		a->scale = 1e9;
		a->unit = "Gbit/s";
	} else if (max >= 1e6) {
		a->scale = 1e6;
		a->unit = "Mbit/s";
	} else if (max >= 1e3) {
		a->scale = 1e3;
		a->unit = "kbit/s";
	} else {
		a->scale = 1;
		a->unit = "bit/s";
	}
}

static void
bytes_unit(struct axis *a, double max)
{
	if (max >= 1048576) {
		a->scale = 1048576;
		a->unit = "MiB";
	} else if (max >= 1024) {
		a->scale = 1024;
		a->unit = "KiB";
	} else {
		a->scale = 1;
		a->unit = "bytes";
	}
}

struct frame {
	struct draw_rect box;	/* the plotting area */
	struct axis x, y;
};

static float
fx(const struct frame *f, double v)
{
	if (f->x.log)
		return f->box.x + (float)((log10(fmax(v, f->x.lo)) -
		    log10(f->x.lo)) / (log10(f->x.hi) - log10(f->x.lo))) *
		    f->box.w;
	return f->box.x + (float)((v - f->x.lo) / (f->x.hi - f->x.lo)) *
	    f->box.w;
}

/* The 1-2-5 value at or below (down) or at or above v > 0. */
static double
log_round(double v, bool down)
{
	static const double m[4] = { 1, 2, 5, 10 };
	double p = pow(10, floor(log10(v)));
	int i;

	if (down) {
		for (i = 2; i > 0 && m[i] * p > v * (1 + 1e-9); i--)
			;
		return m[i] * p;
	}
	for (i = 0; i < 3 && m[i] * p < v * (1 - 1e-9); i++)
		;
	return m[i] * p;
}

/* Next tick of a log axis after v (a 1-2-5 value). */
static double
log_next(double v)
{
	return log_round(v * 1.5, false);
}

static float
fy(const struct frame *f, double v)
{
	return f->box.y + f->box.h - (float)((v - f->y.lo) /
	    (f->y.hi - f->y.lo)) * f->box.h;
}

static void
fmt_tick(char *b, size_t n, double v, double step)
{
	int dec = step >= 1 ? 0 : (int)ceil(-log10(step) - 1e-9);

	if (dec > 6)
		dec = 6;
	snprintf(b, n, "%.*f", dec, v);
}

#define LEG_MAX 32
#define LEG_ROW 20.0f

struct legend {
	size_t n;
	char text[LEG_MAX][200];
	unsigned rgb[LEG_MAX];
	bool dashed[LEG_MAX];	/* a thin dashed swatch (ssthresh) */
	bool more[LEG_MAX];	/* "+N more": text only */
	size_t dropped;		/* curves past LEG_MAX, not listed */
	struct draw_rect at[LEG_MAX];
	struct draw_rect box;	/* around all entries */
	int rows;
};

static float
legend_entry_w(struct draw *d, const struct legend *lg, size_t i)
{
	return (lg->more[i] ? 0 : 28) + (float)draw_text_width(d, DF_SMALL,
	    lg->text[i]);
}

/*
 * Lay the entries out right-aligned in rows from (right, top), no further
 * left than left: the first row beside the panel's title, the rest below.
 */
static void
legend_layout(struct draw *d, struct legend *lg, float left, float right,
    float top)
{
	size_t i = 0, j;

	lg->rows = 0;
	lg->box = (struct draw_rect){ right, top, 0, 0 };
	while (i < lg->n) {
		float w = 0, x;
		size_t end = i;

		/* as many entries as fit on this row (at least one) */
		while (end < lg->n && (end == i || w + 14 +
		    legend_entry_w(d, lg, end) <= right - left)) {
			w += (end > i ? 14 : 0) + legend_entry_w(d, lg, end);
			end++;
		}
		x = right - fminf(w, right - left);
		for (j = i; j < end; j++) {
			float ew = fminf(legend_entry_w(d, lg, j), right - x);

			lg->at[j] = (struct draw_rect){ x, top + (float)lg->rows *
				LEG_ROW, ew, 18 };
			x += ew + 14;
		}
		lg->box.x = fminf(lg->box.x, right - fminf(w, right - left));
		lg->rows++;
		i = end;
	}
	lg->box.w = right - lg->box.x;
	lg->box.h = (float)lg->rows * LEG_ROW;
}

/*
 * At most max_rows rows: the curves that do not fit are counted in a last
 * "+N more" entry (a run with dozens of flows still leaves its panel room
 * for the axes); the ssthresh key, if any, stays.
 */
#define LEG_ROWS_MAX 3

static void
legend_fit(struct draw *d, struct legend *lg, float left, float right,
    float top)
{
	size_t keep, total;
	bool ss = lg->n > 0 && lg->dashed[lg->n - 1];
	char sstext[200];

	legend_layout(d, lg, left, right, top);
	if (lg->rows <= LEG_ROWS_MAX && lg->dropped == 0)
		return;
	if (ss)
		snprintf(sstext, sizeof(sstext), "%s", lg->text[lg->n - 1]);
	total = lg->n - (ss ? 1 : 0) + lg->dropped;
	keep = lg->n - (ss ? 1 : 0);
	for (;;) {
		size_t k = keep;

		if (keep < total) {
			snprintf(lg->text[k], sizeof(lg->text[k]), "+%zu more",
			    total - keep);
			lg->more[k] = true;
			lg->dashed[k] = false;
			lg->rgb[k++] = C_MUTED;
		}
		if (ss) {
			snprintf(lg->text[k], sizeof(lg->text[k]), "%s",
			    sstext);
			lg->more[k] = false;
			lg->dashed[k] = true;
			lg->rgb[k++] = C_MUTED;
		}
		lg->n = k;
		legend_layout(d, lg, left, right, top);
		if (lg->rows <= LEG_ROWS_MAX || keep == 0)
			break;
		keep--;
	}
}

static void
legend_draw(struct draw *d, const struct legend *lg)
{
	size_t i;

	for (i = 0; i < lg->n; i++) {
		struct draw_rect r = lg->at[i];
		struct draw_color c = draw_rgb(lg->rgb[i]);

		if (lg->more[i]) {
			draw_text_fit(d, DF_SMALL, r.x, r.y + 2, r.w,
			    draw_rgb(C_MUTED), lg->text[i]);
			continue;
		}
		if (lg->dashed[i])
			draw_dashed_line(d, r.x + 2, r.y + 9, r.x + 20, r.y + 9,
			    1.4f, 4, 3, c);
		else
			draw_line(d, r.x + 2, r.y + 9, r.x + 20, r.y + 9, 3, c);
		draw_text_fit(d, DF_SMALL, r.x + 28, r.y + 2, r.w - 28,
		    draw_rgb(C_TEXT), lg->text[i]);
	}
}

static void
panel_frame(struct draw *d, struct draw_rect outer, const char *title,
    const char *xlabel, const char *ylabel, struct frame *f,
    struct legend *lg)
{
	double v;
	char buf[64];
	float extra, left;

	draw_round_rect(d, outer, 10, draw_rgb(C_PANEL));
	draw_round_rect_outline(d, outer, 10, 1, draw_rgb(C_BORDER));
	draw_text(d, DF_TITLE, outer.x + 16, outer.y + 12, draw_rgb(C_TEXT),
	    title);
	/* the legend beside the title, rows below it pushing the axes down */
	left = outer.x + 16 + (float)draw_text_width(d, DF_TITLE, title) + 24;
	legend_fit(d, lg, left, outer.x + outer.w - 16, outer.y + 10);
	extra = lg->rows > 1 ? (float)(lg->rows - 1) * LEG_ROW : 0;
	legend_draw(d, lg);
	f->box = (struct draw_rect){ outer.x + 70, outer.y + 56 + extra,
		outer.w - 90, outer.h - 104 - extra };
	for (v = f->y.lo; v <= f->y.hi + f->y.step / 2; v += f->y.step) {
		float y = fy(f, v);

		draw_fill_rect(d, (struct draw_rect){ f->box.x, y, f->box.w,
		    1 }, draw_rgb(C_GRID));
		fmt_tick(buf, sizeof(buf), v / f->y.scale, f->y.step /
		    f->y.scale);
		draw_text(d, DF_SMALL, f->box.x - 8 - (float)draw_text_width(d,
		    DF_SMALL, buf), y - 7, draw_rgb(C_MUTED), buf);
	}
	for (v = f->x.lo; v <= f->x.hi * (1 + 1e-9) + (f->x.log ? 0 :
	    f->x.step / 2); v = f->x.log ? log_next(v) : v + f->x.step) {
		float x = fx(f, v);

		draw_fill_rect(d, (struct draw_rect){ x, f->box.y, 1,
		    f->box.h }, draw_rgb(C_GRID));
		if (f->x.log)
			snprintf(buf, sizeof(buf), "%g", v / f->x.scale);
		else
			fmt_tick(buf, sizeof(buf), v / f->x.scale, f->x.step /
			    f->x.scale);
		draw_text(d, DF_SMALL, x - (float)draw_text_width(d, DF_SMALL,
		    buf) / 2, f->box.y + f->box.h + 6, draw_rgb(C_MUTED), buf);
	}
	draw_fill_rect(d, (struct draw_rect){ f->box.x, f->box.y + f->box.h,
	    f->box.w, 1 }, draw_rgb(C_MUTED));
	draw_fill_rect(d, (struct draw_rect){ f->box.x, f->box.y, 1,
	    f->box.h }, draw_rgb(C_MUTED));
	snprintf(buf, sizeof(buf), "%s", xlabel);
	draw_text(d, DF_SANS, f->box.x + f->box.w / 2 -
	    (float)draw_text_width(d, DF_SANS, buf) / 2,
	    f->box.y + f->box.h + 24, draw_rgb(C_TEXT), buf);
	draw_text(d, DF_SANS, outer.x + 16, outer.y + 30 + extra,
	    draw_rgb(C_MUTED), ylabel);
}

static void
series_label(const struct data *dd, const struct series *s,
    const char *const *files, size_t nfiles, char *b, size_t n)
{
	const char *path = files[s->file], *base = strrchr(path, '/');
	char run[80];

	base = base ? base + 1 : path;
	/* ".../runA/metrics.csv" is run "runA" */
	if (dd->labels != NULL) {
		snprintf(run, sizeof(run), "%s", dd->labels[s->file]);
	} else if (strcmp(base, "metrics.csv") == 0 && base != path) {
		const char *e = base - 1, *st = e;

		while (st > path && st[-1] != '/')
			st--;
		snprintf(run, sizeof(run), "%.*s", (int)(e - st), st);
	} else {
		snprintf(run, sizeof(run), "%s", base);
	}
	if (nfiles > 1 && dd->multi_app)
		snprintf(b, n, "%s \xc2\xb7 %s", run, s->app);
	else if (nfiles > 1)
		snprintf(b, n, "%s", run);
	else
		snprintf(b, n, "%s", s->app);
}

/* A latency in three significant digits and its unit. */
static void
fmt_ns(char *b, size_t n, double ns)
{
	if (ns >= 1e9)
		snprintf(b, n, "%.3g s", ns / 1e9);
	else if (ns >= 1e6)
		snprintf(b, n, "%.3g ms", ns / 1e6);
	else if (ns >= 1e3)
		snprintf(b, n, "%.3g \xc2\xb5s", ns / 1e3);
	else
		snprintf(b, n, "%.0f ns", ns);
}

/* A CDF's points: values sorted, each with its weight (1 for a sample,
 * the count for a histogram bucket), and the weight before each. */
struct cdf {
	double *x, *before;	/* before[n] is the total */
	size_t n;
};

static int
cmp_pair(const void *a, const void *b)
{
	const double *x = a, *y = b;

	return x[0] < y[0] ? -1 : x[0] > y[0];
}

static void
cdf_make(const struct series *s, struct cdf *c)
{
	double *pair = xmalloc(2 * (s->n ? s->n : 1) * sizeof(*pair));
	size_t i, n = 0;

	for (i = 0; i < s->n; i++) {
		double w = s->m == PM_TXN ? s->v[i] : 1;

		if (w <= 0)
			continue;	/* an empty bucket */
		pair[2 * n] = s->m == PM_TXN ? s->t[i] : s->v[i];
		pair[2 * n + 1] = w;
		n++;
	}
	qsort(pair, n, 2 * sizeof(*pair), cmp_pair);
	c->n = n;
	c->x = xmalloc((n ? n : 1) * sizeof(*c->x));
	c->before = xmalloc((n + 1) * sizeof(*c->before));
	c->before[0] = 0;
	for (i = 0; i < n; i++) {
		c->x[i] = pair[2 * i];
		c->before[i + 1] = c->before[i] + pair[2 * i + 1];
	}
	free(pair);
}

static void
cdf_free(struct cdf *c)
{
	free(c->x);
	free(c->before);
}

/* The smallest value with at least a share q of the weight at or below. */
static double
cdf_quantile(const struct cdf *c, double q)
{
	size_t i;

	for (i = 0; i < c->n; i++)
		if (c->before[i + 1] >= q * c->before[c->n])
			return c->x[i];
	return c->n ? c->x[c->n - 1] : 0;
}

/*
 * The CDF of round-trip times (rtt_ns, one row per probe) or of
 * transaction latencies (txn_latency_hist, one row per bucket with its
 * count: a CDF weighted by the counts), one curve per file and app.
 */
static void
draw_cdf(struct draw *d, struct draw_rect outer, const struct data *dd,
    enum plot_metric m, const char *const *files, size_t nfiles,
    struct plot_geom *g)
{
	struct frame f = { 0 };
	struct legend lg;
	struct cdf c;
	double lo = INFINITY, hi = -INFINITY;
	size_t i, k;
	char lab[160], p99[32];
	bool txn = m == PM_TXN;

	memset(&lg, 0, sizeof(lg));
	for (i = 0; i < dd->n; i++) {
		if (dd->s[i].m != m)
			continue;
		cdf_make(&dd->s[i], &c);
		if (c.n > 0) {
			lo = fmin(lo, c.x[0]);
			hi = fmax(hi, c.x[c.n - 1]);
		}
		if (c.n > 0 && lg.n >= LEG_MAX - 2)
			lg.dropped++;
		else if (c.n > 0) {
			series_label(dd, &dd->s[i], files, nfiles, lab,
			    sizeof(lab));
			if (txn) {
				fmt_ns(p99, sizeof(p99),
				    cdf_quantile(&c, 0.99));
				snprintf(lg.text[lg.n], sizeof(lg.text[0]),
				    "%.120s (%.0f, p99 %.24s)", lab, c.before[c.n],
				    p99);
			} else {
				snprintf(lg.text[lg.n], sizeof(lg.text[0]),
				    "%s (%zu)", lab, c.n);
			}
			lg.rgb[lg.n++] = plot_series_rgb(dd->s[i].colour);
		}
		cdf_free(&c);
	}
	time_unit(&f.x, hi);
	if (txn && lo > 0 && hi / lo >= 8) {
		/* buckets are logarithmic, and so is a latency's tail */
		f.x.log = true;
		f.x.lo = log_round(lo, true);
		f.x.hi = log_round(hi, false);
	} else {
		axis_fit(&f.x, lo, hi, 6, false);
	}
	f.y = (struct axis){ 0, 1, 0.2, 0.01, "%", false };
	f.y.step = 0.2;
	f.y.scale = 0.01;
	snprintf(lab, sizeof(lab), "%s (%s%s)", txn ? "transaction latency" :
	    "round-trip time", f.x.unit, f.x.log ? ", log scale" : "");
	panel_frame(d, outer, txn ? "Transaction latency CDF" : "Latency CDF",
	    lab, txn ? "fraction of transactions (%)" :
	    "fraction of probes (%)", &f, &lg);
	g->box[txn ? PP_TXN : PP_CDF] = f.box;
	g->legend[txn ? PP_TXN : PP_CDF] = lg.box;
	for (i = 0; i < dd->n; i++) {
		const struct series *s = &dd->s[i];
		struct draw_color col = draw_rgb(plot_series_rgb(s->colour));
		size_t pts, step = 1;
		float px = 0, py = 0;
		double total;

		if (s->m != m)
			continue;
		cdf_make(s, &c);
		pts = c.n;
		total = c.before[pts];
		if (pts > 3000)
			step = pts / 3000;
		/* a step function: up at each value, by its weight */
		for (k = 0; k < pts; k += step) {
			float x = fx(&f, c.x[k]);
			float y0 = fy(&f, c.before[k] / total);
			float y1 = fy(&f, c.before[k + step > pts ? pts :
			    k + step] / total);

			if (k > 0)
				draw_line(d, px, py, x, y0, 2.2f, col);
			draw_line(d, x, y0, x, y1, 2.2f, col);
			px = x;
			py = y1;
		}
		if (pts > 0 && g->ncdf < PLOT_MAX_CDF) {
			float xa = fx(&f, c.x[pts > 1 ? pts - 2 : 0]);
			float xb = fx(&f, c.x[pts - 1]);

			g->last_step[g->ncdf] = (struct draw_rect){ xa,
				fy(&f, 1), xb - xa, fy(&f, c.before[pts - 1] /
				total) - fy(&f, 1) };
			g->last_rgb[g->ncdf] = plot_series_rgb(s->colour);
			g->last_panel[g->ncdf++] = txn ? PP_TXN : PP_CDF;
		}
		cdf_free(&c);
	}
}

/*
 * ssthresh over time: a value holds until the next (it changes at losses),
 * so thin dashed steps, broken where it is not set; the last value runs to
 * the panel's end of time.
 */
static void
draw_steps(struct draw *d, const struct frame *f, const struct series *s,
    const size_t *ord, struct draw_color c)
{
	size_t j;

	for (j = 0; j < s->n; j++) {
		double v = s->v[ord[j]], t0 = s->t[ord[j]];
		double t1 = j + 1 < s->n ? s->t[ord[j + 1]] : f->x.hi;

		if (v >= SSTHRESH_UNSET)
			continue;
		draw_dashed_line(d, fx(f, t0), fy(f, v), fx(f, t1), fy(f, v),
		    1.4f, 6, 4, c);
		if (j + 1 < s->n && s->v[ord[j + 1]] < SSTHRESH_UNSET)
			draw_line(d, fx(f, t1), fy(f, v), fx(f, t1),
			    fy(f, s->v[ord[j + 1]]), 1, c);
	}
}

static void
draw_series(struct draw *d, struct draw_rect outer, const struct data *dd,
    enum plot_metric m, const char *title, const char *const *files,
    size_t nfiles, struct plot_geom *g)
{
	struct frame f = { 0 };
	struct legend lg;
	double tlo = INFINITY, thi = -INFINITY, vhi = 0;
	bool has_ss = false;
	size_t i, k;
	char lab[160];

	memset(&lg, 0, sizeof(lg));
	for (i = 0; i < dd->n; i++) {
		bool ss = m == PM_CWND && dd->s[i].m == PM_SSTHRESH;

		for (k = 0; (dd->s[i].m == m || ss) && k < dd->s[i].n; k++) {
			if (ss && dd->s[i].v[k] >= SSTHRESH_UNSET)
				continue;
			tlo = fmin(tlo, dd->s[i].t[k]);
			thi = fmax(thi, dd->s[i].t[k]);
			vhi = fmax(vhi, dd->s[i].v[k]);
			has_ss |= ss;
		}
		if (dd->s[i].m != m || dd->s[i].n == 0)
			continue;
		/* room kept for "+N more" and the ssthresh key */
		if (lg.n >= LEG_MAX - 2) {
			lg.dropped++;
			continue;
		}
		series_label(dd, &dd->s[i], files, nfiles, lg.text[lg.n],
		    sizeof(lg.text[0]));
		lg.rgb[lg.n++] = plot_series_rgb(dd->s[i].colour);
	}
	/* ssthresh: each curve's colour, dashed; one entry says so */
	if (has_ss) {
		snprintf(lg.text[lg.n], sizeof(lg.text[0]), "ssthresh");
		lg.dashed[lg.n] = true;
		lg.rgb[lg.n++] = C_MUTED;
	}
	f.x.scale = 1;
	f.x.unit = "s";
	axis_fit(&f.x, tlo, thi, 8, tlo >= 0 && tlo < (thi - tlo) * 0.2);
	if (m == PM_GOODPUT)
		rate_unit(&f.y, vhi);
	else
		bytes_unit(&f.y, vhi);
	axis_fit(&f.y, 0, vhi * 1.05, 5, true);
	snprintf(lab, sizeof(lab), "%s", f.y.unit);
	panel_frame(d, outer, title, "time (s)", lab, &f, &lg);
	g->box[m == PM_GOODPUT ? PP_GOODPUT : PP_CWND] = f.box;
	g->legend[m == PM_GOODPUT ? PP_GOODPUT : PP_CWND] = lg.box;
	for (i = 0; i < dd->n; i++) {
		const struct series *s = &dd->s[i];
		struct draw_color c = draw_rgb(plot_series_rgb(s->colour));
		size_t *ord, j;

		if ((s->m != m && !(m == PM_CWND && s->m == PM_SSTHRESH)) ||
		    s->n == 0)
			continue;
		/* by time (rows of one file may come in any order) */
		ord = xmalloc(s->n * sizeof(*ord));
		for (j = 0; j < s->n; j++)
			ord[j] = j;
		for (j = 1; j < s->n; j++) {
			size_t v = ord[j], q = j;

			while (q > 0 && s->t[ord[q - 1]] > s->t[v]) {
				ord[q] = ord[q - 1];
				q--;
			}
			ord[q] = v;
		}
		if (s->m == PM_SSTHRESH) {
			draw_steps(d, &f, s, ord, c);
			free(ord);
			continue;
		}
		for (j = 0; j + 1 < s->n; j++)
			draw_line(d, fx(&f, s->t[ord[j]]), fy(&f, s->v[ord[j]]),
			    fx(&f, s->t[ord[j + 1]]), fy(&f,
			    s->v[ord[j + 1]]), 2, c);
		if (s->n == 1)
			draw_circle(d, fx(&f, s->t[0]), fy(&f, s->v[0]), 3, c);
		free(ord);
	}
}

int
plot_png(const char *const *files, size_t nfiles, const char *png, int w,
    int h, char *err, size_t errlen)
{
	struct plot_geom g;

	return plot_png_geom(files, nfiles, png, w, h, &g, err, errlen);
}

/* Panels side by side (n <= 2) or stacked in a column of r. */
static void
place(struct draw_rect r, const int *which, size_t n, bool column,
    struct draw_rect *out)
{
	size_t i;

	for (i = 0; i < n; i++) {
		struct draw_rect p = r;

		if (column) {
			p.h = (r.h - 16 * (float)(n - 1)) / (float)n;
			p.y = r.y + (float)i * (p.h + 16);
		} else {
			p.w = (r.w - 16 * (float)(n - 1)) / (float)n;
			p.x = r.x + (float)i * (p.w + 16);
		}
		out[which[i]] = p;
	}
}

int
plot_png_geom(const char *const *files, size_t nfiles, const char *png,
    int w, int h, struct plot_geom *g, char *err, size_t errlen)
{
	return plot_png_labels(files, NULL, nfiles, png, w, h, g, err, errlen);
}

int
plot_png_labels(const char *const *files, const char *const *labels,
    size_t nfiles, const char *png, int w, int h, struct plot_geom *g,
    char *err, size_t errlen)
{
	struct data dd = { .labels = labels };
	struct draw *d = NULL;
	bool has[PM_MAX] = { false };
	struct draw_rect area, r[PP_MAX];
	int cdfs[2], series[2];
	size_t i, k, ncdf = 0, nser = 0;
	int ret = -1;
	char sub[160];

	memset(g, 0, sizeof(*g));
	if (nfiles == 0)
		return sim_err(err, errlen, "no metrics files given");
	for (i = 0; i < nfiles; i++)
		if (load(&dd, i, files[i], err, errlen) < 0)
			goto out;
	assign_colours(&dd);
	for (i = 0; i < dd.n; i++) {
		if (dd.s[i].n > 0)
			has[dd.s[i].m] = true;
		for (k = 0; k < dd.n; k++)
			if (strcmp(dd.s[i].app, dd.s[k].app) != 0)
				dd.multi_app = true;
	}
	/* CDFs on the left, series over time on the right */
	if (has[PM_RTT])
		cdfs[ncdf++] = PP_CDF;
	if (has[PM_TXN])
		cdfs[ncdf++] = PP_TXN;
	if (has[PM_GOODPUT])
		series[nser++] = PP_GOODPUT;
	if (has[PM_CWND] || has[PM_SSTHRESH])
		series[nser++] = PP_CWND;
	if (ncdf + nser == 0) {
		sim_err(err, errlen, "no rtt_ns, txn_latency_hist, goodput_bps, "
		    "cwnd_bytes or ssthresh_bytes rows in the metrics given");
		goto out;
	}
	d = draw_new_headless(w, h, err, errlen);
	if (d == NULL)
		goto out;
	draw_begin_frame(d, draw_rgb(C_BG));
	draw_text(d, DF_TITLE, 20, 14, draw_rgb(C_TEXT), "xcsim metrics");
	snprintf(sub, sizeof(sub), "%zu run%s", nfiles, nfiles == 1 ? "" :
	    "s overlaid");
	draw_text(d, DF_SANS, 140, 16, draw_rgb(C_MUTED), sub);
	area = (struct draw_rect){ 16, 44, (float)w - 32, (float)h - 60 };
	/*
	 * One kind only: its one or two panels side by side. Both: the CDFs
	 * stacked in the left half, the series stacked in the right.
	 */
	if (ncdf == 0 || nser == 0) {
		int all[2];

		for (i = 0; i < ncdf; i++)
			all[i] = cdfs[i];
		for (i = 0; i < nser; i++)
			all[i] = series[i];
		place(area, all, ncdf + nser, false, r);
	} else {
		struct draw_rect a = area, b = area;

		a.w = b.w = (area.w - 16) / 2;
		b.x = area.x + a.w + 16;
		place(a, cdfs, ncdf, true, r);
		place(b, series, nser, true, r);
	}
	if (has[PM_RTT])
		draw_cdf(d, r[PP_CDF], &dd, PM_RTT, files, nfiles, g);
	if (has[PM_TXN])
		draw_cdf(d, r[PP_TXN], &dd, PM_TXN, files, nfiles, g);
	if (has[PM_GOODPUT])
		draw_series(d, r[PP_GOODPUT], &dd, PM_GOODPUT, "Goodput",
		    files, nfiles, g);
	if (has[PM_CWND] || has[PM_SSTHRESH])
		draw_series(d, r[PP_CWND], &dd, PM_CWND, "Congestion window",
		    files, nfiles, g);
	draw_end_frame(d);
	ret = draw_save_png(d, png, err, errlen);
out:
	draw_free(d);
	data_free(&dd);
	return ret;
}
