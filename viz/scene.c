/*
 * scene.c - a frame, painted back to front from the geometry (scene_geom.c):
 * the canvas (canvas.c), then the panels around it (panels.c); and the
 * formatting of times, rates and prefixes they share.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scene_int.h"
#include "util.h"

/* --- formatting --- */

/* "1.000 250 000 s": seconds with the nanoseconds grouped by three. */
void
scene_fmt_clock(char *b, size_t n, sim_time t)
{
	long long s = (long long)(t / 1000000000), ns = (long long)(t %
	    1000000000);

	snprintf(b, n, "%lld.%03lld %03lld %03lld s", s, ns / 1000000,
	    (ns / 1000) % 1000, ns % 1000);
}

void
scene_fmt_speed(char *b, size_t n, double sp)
{
	int e;

	if (sp >= 0.001 || sp <= 0) {
		snprintf(b, n, "%g\xc3\x97", sp);
		return;
	}
	e = (int)floor(log10(sp) + 1e-9);
	snprintf(b, n, "%ge%d\xc3\x97", floor(sp / pow(10, e) + 0.5), e);
}

void
scene_fmt_rate(char *b, size_t n, uint64_t bps)
{
	if (bps >= 1000000000ULL && bps % 1000000000ULL == 0)
		snprintf(b, n, "%llu Gbps", (unsigned long long)(bps /
		    1000000000ULL));
	else if (bps >= 1000000000ULL)
		snprintf(b, n, "%.1f Gbps", (double)bps / 1e9);
	else if (bps >= 1000000ULL)
		snprintf(b, n, "%.0f Mbps", (double)bps / 1e6);
	else
		snprintf(b, n, "%.0f kbps", (double)bps / 1e3);
}

void
scene_fmt_dur(char *b, size_t n, sim_time d)
{
	if (d >= SIM_S(1))
		snprintf(b, n, "%.3g s", (double)d / 1e9);
	else if (d >= SIM_MS(1))
		snprintf(b, n, "%.3g ms", (double)d / 1e6);
	else if (d >= SIM_US(1))
		snprintf(b, n, "%.3g \xc2\xb5s", (double)d / 1e3);
	else
		snprintf(b, n, "%lld ns", (long long)d);
}

void
scene_fmt_prefix(char *b, size_t n, uint32_t p, uint8_t plen)
{
	snprintf(b, n, "%u.%u.%u.%u/%u", p >> 24, (p >> 16) & 255,
	    (p >> 8) & 255, p & 255, plen);
}

void
scene_render(struct scene *sc, struct draw *d, const struct replay *rp,
    sim_time now, const struct scene_view *v)
{
	int w, h;

	draw_size(d, &w, &h);
	if (sc->legend_w <= 0)
		sc->legend_w = panels_legend_width(d);
	provops_measure(sc, d);
	scene_geometry(sc, w, h, v);
	draw_begin_frame(d, rgb(C_BG));
	draw_fill_rect(d, sc->canvas, rgb(C_CANVAS));
	draw_clip(d, &sc->canvas);
	canvas_util(sc, rp, now);
	canvas_prepare(sc, d, rp);
	canvas_groups(sc, d);
	canvas_place_pills(sc, d, rp);
	canvas_links(sc, d, rp);
	canvas_sessions(sc, d, rp);
	canvas_packets(sc, d, rp, now);
	canvas_drops(sc, d, rp, now);
	canvas_queues(sc, d, rp);
	canvas_nodes(sc, d, rp);
	canvas_down_pills(sc, d, rp);
	canvas_labels(sc, d, rp, now);
	panels_legend(sc, d);
	draw_clip(d, NULL);
	panels_side(sc, d, rp, now);
	panels_timeline(sc, d, now);
	panels_header(sc, d, now);
	panels_hover(sc, d, rp, now);
	if (v->help)
		panels_help(sc, d);
	draw_end_frame(d);
}

