/*
 * cmp_out.c - the comparison's table (stdout), compare.csv and
 * compare.json: one row per design and --set combination, each figure's
 * mean over the seeds that have it and its 95% interval.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmp_int.h"
#include "outfile.h"
#include "scenario.h"
#include "util.h"

/* What the table divides a figure by: ms for times, Mbit/s, %. */
static const double fig_scale[CF_MAX] = { 1e6, 1e6, 1e6, 1e6, 1e6, 1e6,
	1, 1e6, 1e6 };

static const char *const fig_unit[CF_MAX] = { "ns", "ns", "ns", "ns", "ns",
	"bit/s", "%", "ns", "ns" };

/* The statistics of figure k of case i, and the values in x. */
static void
stat_of(const struct cmp_result *r, size_t i, int k, struct cmp_stat *st,
    double *x)
{
	size_t s, n = 0;

	for (s = 0; s < r->o->seeds; s++) {
		const struct cmp_fig *f = &r->figs[i * r->o->seeds + s];

		if (r->done[i * r->o->seeds + s] && f->has[k])
			x[n++] = f->v[k];
	}
	cmp_stat_of(x, n, st);
}

static size_t
runs_done(const struct cmp_result *r, size_t i, unsigned *failed)
{
	size_t s, n = 0;

	*failed = 0;
	for (s = 0; s < r->o->seeds; s++)
		if (r->done[i * r->o->seeds + s]) {
			n++;
			*failed += r->figs[i * r->o->seeds + s].failed;
		}
	return n;
}

void
cmp_table(const struct cmp_result *r, FILE *out)
{
	size_t ncol = CF_MAX + 3, nrow = r->n_cases + 1, i, c;
	size_t *w = xcalloc(ncol, sizeof(*w));
	char **cell = xcalloc(ncol * nrow, sizeof(*cell));
	double *x = xcalloc(r->o->seeds, sizeof(*x));
	char buf[128];
	int k;

	cell[0] = xstrdup("design");
	cell[1] = xstrdup("set");
	cell[2] = xstrdup("runs");
	for (k = 0; k < CF_MAX; k++)
		cell[3 + k] = xstrdup(cmp_fig_title[k]);
	for (i = 0; i < r->n_cases; i++) {
		const struct cmp_case *cs = &r->cases[i];
		char **row = cell + (i + 1) * ncol;
		unsigned failed;

		row[0] = xstrdup(r->designs[cs->d].name);
		row[1] = xstrdup(r->combos[cs->c].label);
		snprintf(buf, sizeof(buf), "%zu/%u", runs_done(r, i, &failed),
		    r->o->seeds);
		row[2] = xstrdup(buf);
		for (k = 0; k < CF_MAX; k++) {
			struct cmp_stat st;

			stat_of(r, i, k, &st, x);
			if (st.n == 0)
				snprintf(buf, sizeof(buf), "-");
			else if (st.hw < 0)
				snprintf(buf, sizeof(buf), "%.3f",
				    st.mean / fig_scale[k]);
			else
				snprintf(buf, sizeof(buf), "%.3f \xc2\xb1%.3f",
				    st.mean / fig_scale[k],
				    st.hw / fig_scale[k]);
			row[3 + k] = xstrdup(buf);
		}
	}
	for (i = 0; i < nrow; i++)
		for (c = 0; c < ncol; c++) {
			/* the +- sign is two bytes, one column */
			size_t n = strlen(cell[i * ncol + c]) -
			    (strstr(cell[i * ncol + c], "\xc2\xb1") ? 1 : 0);

			if (n > w[c])
				w[c] = n;
		}
	for (i = 0; i < nrow; i++) {
		for (c = 0; c < ncol; c++) {
			const char *s = cell[i * ncol + c];
			size_t n = strlen(s) - (strstr(s, "\xc2\xb1") ? 1 : 0);

			if (c > 0)
				fputs("  ", out);
			if (c < 2) {
				fputs_escaped(s, out);
				if (c + 1 < ncol)
					fprintf(out, "%*s", (int)(w[c] - n),
					    "");
			} else {
				fprintf(out, "%*s%s", (int)(w[c] - n), "", s);
			}
		}
		fputc('\n', out);
	}
	fputs("(mean \xc2\xb1 half-width of the 95% confidence interval over "
	    "the seeds, Student t; '-': no such traffic, no fault, or not within "
	    "the run)\n", out);
	for (i = 0; i < ncol * nrow; i++)
		free(cell[i]);
	free(cell);
	free(w);
	free(x);
}

static void
csv_str(FILE *f, const char *s)
{
	if (strpbrk(s, ",\"\n") == NULL) {
		fputs(s, f);
		return;
	}
	fputc('"', f);
	for (; *s; s++) {
		if (*s == '"')
			fputc('"', f);
		fputc(*s, f);
	}
	fputc('"', f);
}

static void
write_csv(void *ctx, FILE *f)
{
	const struct cmp_result *r = ctx;
	double *x = xcalloc(r->o->seeds, sizeof(*x));
	size_t i;
	int k;

	fputs("design,set,figure,unit,n,mean,ci95_half_width,ci95_low,"
	    "ci95_high\n", f);
	for (i = 0; i < r->n_cases; i++) {
		const struct cmp_case *cs = &r->cases[i];

		for (k = 0; k < CF_MAX; k++) {
			struct cmp_stat st;

			stat_of(r, i, k, &st, x);
			csv_str(f, r->designs[cs->d].name);
			fputc(',', f);
			csv_str(f, r->combos[cs->c].label);
			fprintf(f, ",%s,%s,%zu", cmp_fig_key[k], fig_unit[k],
			    st.n);
			if (st.n == 0)
				fputs(",,,,\n", f);
			else if (st.hw < 0)
				fprintf(f, ",%.12g,,,\n", st.mean);
			else
				fprintf(f, ",%.12g,%.12g,%.12g,%.12g\n",
				    st.mean, st.hw, st.mean - st.hw,
				    st.mean + st.hw);
		}
	}
	free(x);
}

static void
write_json(void *ctx, FILE *f)
{
	const struct cmp_result *r = ctx;
	const struct cmp_opts *o = r->o;
	double *x = xcalloc(o->seeds, sizeof(*x));
	size_t i, v, s;
	int k;

	fputs("{\n  \"designs\": [", f);
	for (i = 0; i < o->n_designs; i++) {
		fputs(i ? ", " : "", f);
		scenario_json_str(f, o->designs[i]);
	}
	fputs("],\n  \"traffic\": ", f);
	if (o->traffic != NULL)
		scenario_json_str(f, o->traffic);
	else
		fputs("null", f);
	fprintf(f, ",\n  \"seeds\": %u,\n  \"sets\": [", o->seeds);
	for (i = 0; i < o->n_sets; i++) {
		fputs(i ? ", " : "", f);
		fputs("{\"field\": ", f);
		scenario_json_str(f, o->sets[i].field);
		fputs(", \"values\": [", f);
		for (v = 0; v < o->sets[i].n_values; v++) {
			fputs(v ? ", " : "", f);
			scenario_json_str(f, o->sets[i].values[v]);
		}
		fputs("]}", f);
	}
	fputs("],\n  \"rows\": [", f);
	for (i = 0; i < r->n_cases; i++) {
		const struct cmp_case *cs = &r->cases[i];
		unsigned failed;
		size_t runs = runs_done(r, i, &failed);

		fputs(i ? ",\n    {" : "\n    {", f);
		fputs("\"design\": ", f);
		scenario_json_str(f, r->designs[cs->d].name);
		fputs(", \"set\": ", f);
		scenario_json_str(f, r->combos[cs->c].label);
		fprintf(f, ", \"runs\": %zu, \"failed_assertions\": %u, "
		    "\"figures\": {", runs, failed);
		for (k = 0; k < CF_MAX; k++) {
			struct cmp_stat st;
			bool first = true;

			stat_of(r, i, k, &st, x);
			fprintf(f, "%s\n      \"%s\": ", k ? "," : "",
			    cmp_fig_key[k]);
			if (st.n == 0) {
				fputs("null", f);
				continue;
			}
			fprintf(f, "{\"n\": %zu, \"mean\": %.12g, \"ci95\": ",
			    st.n, st.mean);
			if (st.hw < 0)
				fputs("null", f);
			else
				fprintf(f, "%.12g", st.hw);
			fputs(", \"per_seed\": [", f);
			for (s = 0; s < o->seeds; s++) {
				const struct cmp_fig *fg = &r->figs[i *
				    o->seeds + s];

				fputs(first ? "" : ", ", f);
				first = false;
				if (r->done[i * o->seeds + s] && fg->has[k])
					fprintf(f, "%.12g", fg->v[k]);
				else
					fputs("null", f);
			}
			fputs("]}", f);
		}
		fputs("}}", f);
	}
	fputs("\n  ]\n}\n", f);
	free(x);
}

static int
write_file(const char *dir, const char *name, void (*fn)(void *, FILE *),
    void *ctx, FILE *diag)
{
	struct outfile *of;
	char path[4096], err[512];
	FILE *f;
	int fd;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	if ((of = outfile_create_path(path, &fd, err, sizeof(err))) == NULL) {
		fprintf(diag, "xcsim compare: %s\n", err);
		return -1;
	}
	if ((f = fdopen(fd, "w")) == NULL) {
		close(fd);
		outfile_abort(of);
		fprintf(diag, "xcsim compare: %s: %s\n", path, strerror(errno));
		return -1;
	}
	fn(ctx, f);
	if (ferror(f) | (fclose(f) != 0)) {
		outfile_abort(of);
		fprintf(diag, "xcsim compare: %s: write failed\n", path);
		return -1;
	}
	if (outfile_commit(of, err, sizeof(err)) < 0) {
		fprintf(diag, "xcsim compare: %s\n", err);
		return -1;
	}
	return 0;
}

int
cmp_write_outputs(const struct cmp_result *r, FILE *diag)
{
	void *ctx = (void *)(uintptr_t)r;

	if (write_file(r->o->out, "compare.csv", write_csv, ctx, diag) < 0 ||
	    write_file(r->o->out, "compare.json", write_json, ctx, diag) < 0)
		return -1;
	return 0;
}
