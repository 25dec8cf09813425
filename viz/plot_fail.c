/*
 * plot_fail.c - the failover timeline of xcsim compare: per design, how
 * long traffic was lost after the fault and when routing settled, as bars
 * and markers on one time axis starting at the fault.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "draw.h"
#include "plot.h"
#include "style.h"
#include "util.h"

/* A step of 1, 2 or 5 x 10^k giving about want ticks over span. */
static double
tick_step(double span, int want)
{
	double raw = span / want, p = pow(10, floor(log10(raw))), m = raw / p;

	return (m < 1.5 ? 1 : m < 3.5 ? 2 : m < 7.5 ? 5 : 10) * p;
}

static void
whisker(struct draw *d, float x0, float x1, float y, struct draw_color c)
{
	draw_line(d, x0, y, x1, y, 1.5f, c);
	draw_line(d, x0, y - 5, x0, y + 5, 1.5f, c);
	draw_line(d, x1, y - 5, x1, y + 5, 1.5f, c);
}

int
plot_failover_png(const struct plot_lane *lanes, size_t n, const char *title,
    const char *png, int w, int h, char *err, size_t errlen)
{
	struct draw *d;
	struct draw_rect box;
	double hi = 0, step, v;
	float left = 16, lane_h, label_w = 0;
	char buf[64];
	size_t i;
	int ret;

	if (n == 0)
		return sim_err(err, errlen, "no designs to draw");
	for (i = 0; i < n; i++) {
		if (lanes[i].outage_s >= 0)
			hi = fmax(hi, lanes[i].outage_s + fmax(0,
			    lanes[i].outage_hw));
		if (lanes[i].converge_s >= 0)
			hi = fmax(hi, lanes[i].converge_s + fmax(0,
			    lanes[i].converge_hw));
	}
	if (hi <= 0)
		hi = 1;
	hi *= 1.08;
	if ((d = draw_new_headless(w, h, err, errlen)) == NULL)
		return -1;
	draw_begin_frame(d, draw_rgb(C_BG));
	draw_text(d, DF_TITLE, 20, 14, draw_rgb(C_TEXT), "Failover timeline");
	draw_text_fit(d, DF_SANS, 190, 16, (float)w - 210, draw_rgb(C_MUTED),
	    title);
	/* the legend */
	draw_fill_rect(d, (struct draw_rect){ 20, 42, 22, 10 },
	    draw_rgb(C_BAD));
	draw_text(d, DF_SMALL, 48, 40, draw_rgb(C_MUTED),
	    "traffic lost: fault to the first answered probe");
	draw_circle(d, 340, 47, 5, draw_rgb(C_ACCENT));
	draw_text(d, DF_SMALL, 350, 40, draw_rgb(C_MUTED),
	    "last route change (converged); whiskers: 95% CI");
	for (i = 0; i < n; i++)
		label_w = fmaxf(label_w, (float)draw_text_width(d, DF_SANS,
		    lanes[i].label));
	label_w = fminf(label_w, (float)w / 3);
	box = (struct draw_rect){ left + label_w + 16, 70, (float)w - (left +
	    label_w + 16) - 24, (float)h - 70 - 44 };
	draw_fill_rect(d, box, draw_rgb(C_PANEL));
	step = tick_step(hi, 6);
	for (v = 0; v <= hi + step * 1e-9; v += step) {
		float x = box.x + (float)(v / hi) * box.w;

		draw_fill_rect(d, (struct draw_rect){ x, box.y, 1, box.h },
		    draw_rgb(C_GRID));
		snprintf(buf, sizeof(buf), "%g", v);
		draw_text(d, DF_SMALL, x - 6, box.y + box.h + 4,
		    draw_rgb(C_MUTED), buf);
	}
	draw_text(d, DF_SANS, box.x + box.w / 2 - 80, box.y + box.h + 22,
	    draw_rgb(C_MUTED), "seconds after the fault");
	draw_dashed_line(d, box.x, box.y, box.x, box.y + box.h, 2, 5, 4,
	    draw_rgb(C_WARN));
	lane_h = box.h / (float)n;
	for (i = 0; i < n; i++) {
		const struct plot_lane *l = &lanes[i];
		float y = box.y + lane_h * ((float)i + 0.5f);
		float bh = fminf(lane_h * 0.4f, 22);

		draw_text_fit(d, DF_SANS, left, y - 8, label_w,
		    draw_rgb(plot_series_rgb(i)), l->label);
		if (l->outage_s >= 0) {
			float x1 = box.x + (float)(l->outage_s / hi) * box.w;

			draw_fill_rect(d, (struct draw_rect){ box.x, y - bh,
			    fmaxf(x1 - box.x, 2), bh }, draw_rgb(C_BAD));
			if (l->outage_hw > 0)
				whisker(d, box.x + (float)((l->outage_s -
				    l->outage_hw) / hi) * box.w, box.x +
				    (float)((l->outage_s + l->outage_hw) / hi) *
				    box.w, y - bh / 2, draw_rgb(C_TEXT));
		}
		if (l->converge_s >= 0) {
			float x = box.x + (float)(l->converge_s / hi) * box.w;

			if (l->converge_hw > 0)
				whisker(d, box.x + (float)((l->converge_s -
				    l->converge_hw) / hi) * box.w, box.x +
				    (float)((l->converge_s + l->converge_hw) /
				    hi) * box.w, y + bh / 2, draw_rgb(C_TEXT));
			draw_circle(d, x, y + bh / 2, 6,
			    draw_rgb(C_ACCENT));
		}
		if (l->outage_s < 0 && l->converge_s < 0)
			draw_text(d, DF_SMALL, box.x + 8, y - 7,
			    draw_rgb(C_MUTED), "no fault, or no figure");
	}
	draw_end_frame(d);
	ret = draw_save_png(d, png, err, errlen);
	draw_free(d);
	return ret;
}
