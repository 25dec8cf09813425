/*
 * cmp_plot.c - the comparison's pictures, per --set combination, in
 * OUT/plots: metrics-SET.png, each design's seed 1 overlaid by viz/plot
 * (RTT and transaction latency CDFs, goodput over time, named after the
 * designs), and failover-SET.png, the failover timeline over the seeds.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cmp_int.h"
#include "outfile.h"
#include "util.h"

#ifdef XCSIM_HAVE_VIZ
#include "plot.h"

static double
fig_mean(const struct cmp_result *r, size_t i, int k, double *hw)
{
	double *x = xcalloc(r->o->seeds, sizeof(*x));
	struct cmp_stat st;
	size_t s, n = 0;

	for (s = 0; s < r->o->seeds; s++)
		if (r->done[i * r->o->seeds + s] &&
		    r->figs[i * r->o->seeds + s].has[k])
			x[n++] = r->figs[i * r->o->seeds + s].v[k];
	cmp_stat_of(x, n, &st);
	free(x);
	*hw = st.hw < 0 ? -1 : st.hw / 1e9;
	return st.n == 0 ? -1 : st.mean / 1e9;
}

static int
plots_of(const struct cmp_result *r, size_t c, const char *dir, FILE *diag)
{
	const struct cmp_opts *o = r->o;
	const char **files = xcalloc(o->n_designs, sizeof(*files));
	const char **labels = xcalloc(o->n_designs, sizeof(*labels));
	struct plot_lane *lanes = xcalloc(o->n_designs, sizeof(*lanes));
	struct plot_geom g;
	char *png, err[512];
	size_t d, n = 0;
	bool fault = false;
	int rc = 0;

	for (d = 0; d < o->n_designs; d++) {
		size_t i = d * r->n_combos + c;
		char *p = xmalloc(strlen(o->out) + strlen(r->designs[d].name) +
		    strlen(r->combos[c].dir) + 40);
		struct stat st;

		sprintf(p, "%s/%s/%s/seed-1/metrics.csv", o->out,
		    r->designs[d].name, r->combos[c].dir);
		if (r->done[i * o->seeds] && stat(p, &st) == 0) {
			files[n] = p;
			labels[n++] = r->designs[d].name;
		} else {
			free(p);
		}
		lanes[d].label = r->designs[d].name;
		lanes[d].outage_s = fig_mean(r, i, CF_FAILOVER,
		    &lanes[d].outage_hw);
		lanes[d].converge_s = fig_mean(r, i, CF_CONVERGE,
		    &lanes[d].converge_hw);
		if (lanes[d].outage_s >= 0 || lanes[d].converge_s >= 0)
			fault = true;
	}
	png = cmp_printf("%s/metrics-%s.png", dir, r->combos[c].dir);
	/* a design without latency or goodput rows has nothing to plot */
	if (n > 0 && plot_png_labels(files, labels, n, png, 1400, 800, &g,
	    err, sizeof(err)) < 0 && strstr(err, "no rtt_ns") == NULL) {
		fprintf(diag, "xcsim compare: %s: %s\n", png, err);
		rc = -1;
	}
	free(png);
	png = cmp_printf("%s/failover-%s.png", dir, r->combos[c].dir);
	if (rc == 0 && fault && plot_failover_png(lanes, o->n_designs,
	    r->combos[c].label, png, 1200, 120 + 70 * (int)o->n_designs, err,
	    sizeof(err)) < 0) {
		fprintf(diag, "xcsim compare: %s: %s\n", png, err);
		rc = -1;
	}
	free(png);
	for (d = 0; d < n; d++)
		free((void *)(uintptr_t)files[d]);
	free(files);
	free(labels);
	free(lanes);
	return rc;
}

int
cmp_plots(const struct cmp_result *r, FILE *diag)
{
	struct outdir *od;
	char dir[4096], err[512];
	size_t c;

	snprintf(dir, sizeof(dir), "%s/plots", r->o->out);
	if ((od = outdir_open(dir, err, sizeof(err))) == NULL) {
		fprintf(diag, "xcsim compare: %s\n", err);
		return -1;
	}
	outdir_free(od);
	for (c = 0; c < r->n_combos; c++)
		if (plots_of(r, c, dir, diag) < 0)
			return -1;
	return 0;
}
#else
int
cmp_plots(const struct cmp_result *r, FILE *diag)
{
	(void)r;
	fprintf(diag, "xcsim compare: built without viz/ (SDL2): no plots\n");
	return 0;
}
#endif
