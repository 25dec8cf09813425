/*
 * plot.h - charts of metrics.csv files as PNG.
 *
 * A metrics file is a header line "app,metric,t_ns,value" and one row per
 * sample: rtt_ns (one per successful probe, t_ns = send time, value = RTT in
 * nanoseconds), goodput_bps (one per 100 ms bin, t_ns = bin start), and
 * cwnd_bytes (TCP). One series per file and app; several files overlay, so
 * runs of different designs compare on the same axes. The picture holds a
 * latency CDF, goodput over time and the congestion window over time; a
 * panel with no data is left out.
 */
#ifndef XCSIM_PLOT_H
#define XCSIM_PLOT_H

#include <stddef.h>

/* Render the files to png (w x h). 0, or -1 with err (file:line: ...). */
int plot_png(const char *const *files, size_t nfiles, const char *png,
    int w, int h, char *err, size_t errlen);

/* Colour of the i-th series, 0xRRGGBB (for tests). */
unsigned plot_series_rgb(size_t i);

#endif
