/*
 * plot.h - charts of metrics.csv files as PNG.
 *
 * A metrics file is a header line "app,metric,t_ns,value" and one row per
 * sample: rtt_ns (one per successful probe, t_ns = send time, value = RTT in
 * nanoseconds), goodput_bps (one per record.metrics_interval, 100 ms by
 * default, t_ns = its start), cwnd_bytes and ssthresh_bytes (TCP, at
 * changes), and txn_latency_hist (one per non-empty bucket of an
 * application's transaction latencies: t_ns = the bucket's latency, value =
 * transactions in it). One series per file
 * and app; several files overlay, so runs of different designs compare on
 * the same axes. The picture holds the CDFs (probes' round-trip times,
 * transaction latencies weighted by the bucket counts) on the left and
 * goodput and the congestion window over time (ssthresh dashed in its
 * curve's colour) on the right; a panel with no data is left out. Each panel's legend goes above its
 * plotting area, right-aligned beside the title, so it never hides a curve
 * (a CDF's last steps are at the top right, where a legend inside the axes
 * would sit).
 */
#ifndef XCSIM_PLOT_H
#define XCSIM_PLOT_H

#include <stddef.h>

#include "draw.h"

/* Render the files to png (w x h). 0, or -1 with err (file:line: ...). */
int plot_png(const char *const *files, size_t nfiles, const char *png,
    int w, int h, char *err, size_t errlen);

/*
 * Where plot_png put things, for tests: each panel's plotting area and
 * legend (which sits above the area, never on the curves; w = 0 when the
 * panel is left out), and each CDF's last step, the box from its
 * second-to-last sample to the top.
 */
#define PLOT_MAX_CDF 16

enum plot_panel { PP_CDF, PP_GOODPUT, PP_CWND, PP_TXN, PP_MAX };

struct plot_geom {
	struct draw_rect box[PP_MAX], legend[PP_MAX];
	struct draw_rect last_step[PLOT_MAX_CDF];
	unsigned last_rgb[PLOT_MAX_CDF];
	enum plot_panel last_panel[PLOT_MAX_CDF];	/* PP_CDF or PP_TXN */
	size_t ncdf;
};

int plot_png_geom(const char *const *files, size_t nfiles, const char *png,
    int w, int h, struct plot_geom *g, char *err, size_t errlen);

/*
 * plot_png_geom with a name per file for the legends (labels[i] names
 * files[i]; NULL: the run's folder, as plot_png): xcsim compare names
 * each design's curves after the design.
 */
int plot_png_labels(const char *const *files, const char *const *labels,
    size_t nfiles, const char *png, int w, int h, struct plot_geom *g,
    char *err, size_t errlen);

/*
 * A failover timeline (plot_fail.c): one lane per design, time from the
 * fault (0) to the right; a bar for the outage (fault -> traffic back)
 * and a dot for routing converged, each with its confidence interval
 * as whiskers. A value < 0 is not drawn (no such figure); a half-width < 0
 * draws no whisker.
 */
struct plot_lane {
	const char *label;
	double outage_s, outage_hw;
	double converge_s, converge_hw;
};

int plot_failover_png(const struct plot_lane *lanes, size_t n,
    const char *title, const char *png, int w, int h, char *err,
    size_t errlen);

/* Colour of the i-th series, 0xRRGGBB (for tests). */
unsigned plot_series_rgb(size_t i);

#endif
