/*
 * flows.c - flows (TCP connections) in the side panel: the selected flow's
 * connection state and congestion window, and the list of a node's live
 * flows in its panel. Both read only the replay's flows, so a frame shows
 * the same flows whether it was reached by playing or by seeking.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scene_int.h"
#include "util.h"

#define SSTHRESH_UNSET UINT32_MAX

static void
fmt_bytes(char *b, size_t n, uint32_t v)
{
	if (v >= 1048576u)
		snprintf(b, n, "%.2f MiB", (double)v / 1048576.0);
	else if (v >= 1024u)
		snprintf(b, n, "%.1f KiB", (double)v / 1024.0);
	else
		snprintf(b, n, "%u bytes", v);
}

static const char *
ip_proto_name(uint8_t p)
{
	return p == 6 ? "TCP" : p == 17 ? "UDP" : p == 132 ? "SCTP" : "flow";
}

/*
 * The window gauge: a track scaled to the larger of cwnd and ssthresh (and
 * a fifth more), cwnd filled in blue below ssthresh (slow start) and green
 * at or above it (congestion avoidance), ssthresh an amber mark.
 */
static float
flow_gauge(struct scene *sc, struct draw *d, const struct replay_flow *f,
    float x, float y, float w)
{
	struct draw_rect tr = { x, y, w, 10 };
	bool ss_set = f->ssthresh != SSTHRESH_UNSET;
	double top = fmax((double)f->cwnd, ss_set ? (double)f->ssthresh : 0);
	bool slow = !ss_set || f->cwnd < f->ssthresh;
	char b[64], c[32];
	float fill;

	top = top > 0 ? top * 1.2 : 1;
	fill = (float)((double)f->cwnd / top) * w;
	draw_round_rect(d, tr, 4, rgb(C_PANEL2));
	if (fill >= 1)
		draw_round_rect(d, (struct draw_rect){ x, y, fill, 10 }, 4,
		    rgb(slow ? C_ACCENT : C_GOOD));
	sc->fg.gauge = tr;
	sc->fg.fill_w = fill;
	sc->fg.ss_x = -1;
	if (ss_set) {
		float sx = x + (float)((double)f->ssthresh / top) * w;

		draw_fill_rect(d, (struct draw_rect){ sx - 1, y - 4, 2, 18 },
		    rgb(C_WARN));
		sc->fg.ss_x = sx;
	}
	y += 18;
	fmt_bytes(c, sizeof(c), f->cwnd);
	snprintf(b, sizeof(b), "cwnd %s", c);
	draw_text_fit(d, DF_SANS, x, y, w * 0.5f, rgb(slow ? C_ACCENT :
	    C_GOOD), b);
	if (ss_set)
		fmt_bytes(c, sizeof(c), f->ssthresh);
	snprintf(b, sizeof(b), "ssthresh %s", ss_set ? c : "not set");
	draw_text_fit(d, DF_SANS, x + w * 0.5f, y, w * 0.5f, rgb(C_WARN), b);
	y += 17;
	draw_text_fit(d, DF_SMALL, x, y, w, rgb(C_MUTED), slow ?
	    "slow start (cwnd below ssthresh)" :
	    "congestion avoidance (cwnd at or above ssthresh)");
	return y + 16;
}

/*
 * The window over the flow's life, from the player's history of it: cwnd
 * (each pixel column spanning the values it held there), ssthresh dotted
 * amber, and a white line at now; the same picture at any instant but the
 * line, so playing and seeking agree.
 */
static void
flow_history(struct scene *sc, struct draw *d, const struct scan_flow_hist *h,
    sim_time now, float x, float y, float w, float hgt)
{
	struct draw_rect r = { x, y, w, hgt };
	int cols = (int)w, c, c0, c1;
	float *lo, *hi, *ss, top;
	double span = (double)(h->t1 > h->t0 ? h->t1 - h->t0 : 1);
	size_t i;
	char buf[64], mx[32];

	if (cols < 8 || h->n == 0 || h->max == 0)
		return;
	fmt_bytes(mx, sizeof(mx), h->max);
	snprintf(buf, sizeof(buf), "over its life \xc2\xb7 max %s", mx);
	draw_text_fit(d, DF_SMALL, x, y - 16, w, rgb(C_MUTED), buf);
	draw_round_rect(d, r, 4, rgb(C_PANEL2));
	lo = xmalloc(3 * (size_t)cols * sizeof(*lo));
	hi = lo + cols;
	ss = hi + cols;
	for (c = 0; c < cols; c++) {
		lo[c] = INFINITY;
		hi[c] = -INFINITY;
		ss[c] = -1;
	}
	top = (float)h->max * 1.1f;
	for (i = 0; i < h->n; i++) {
		sim_time t0 = h->pt[i].t, t1 = i + 1 < h->n ? h->pt[i + 1].t :
		    h->t1;
		float v = (float)h->pt[i].cwnd / top;

		c0 = (int)((double)(t0 - h->t0) / span * cols);
		c1 = (int)((double)(t1 - h->t0) / span * cols);
		if (c0 < 0)
			c0 = 0;
		if (c1 >= cols)
			c1 = cols - 1;
		for (c = c0; c <= c1; c++) {
			lo[c] = fminf(lo[c], v);
			hi[c] = fmaxf(hi[c], v);
			if (h->pt[i].ssthresh != UINT32_MAX)
				ss[c] = (float)h->pt[i].ssthresh / top;
		}
	}
	for (c = 0; c < cols; c++) {
		float cx = x + (float)c + 0.5f;

		if (ss[c] >= 0 && (c / 3) % 2 == 0)
			draw_fill_rect(d, (struct draw_rect){ x + (float)c,
			    y + hgt - ss[c] * hgt - 0.5f, 1, 1.2f },
			    rgb(C_WARN));
		if (hi[c] < 0)
			continue;
		draw_line(d, cx, y + hgt - hi[c] * hgt - 0.8f, cx,
		    y + hgt - lo[c] * hgt + 0.8f, 1.4f, rgb(C_ACCENT));
	}
	free(lo);
	sc->fg.hist = r;
	sc->fg.now_x = x + (float)((double)(now - h->t0) / span) * w;
	if (sc->fg.now_x < x)
		sc->fg.now_x = x;
	if (sc->fg.now_x > x + w)
		sc->fg.now_x = x + w;
	draw_fill_rect(d, (struct draw_rect){ sc->fg.now_x - 0.5f, y - 2, 1,
	    hgt + 4 }, rgb(0xffffff));
}

void
panel_flow(struct scene *sc, struct draw *d, const struct replay *rp,
    sim_time now)
{
	const struct replay_flow *f = replay_flow(rp, sc->v.sel_flow);
	struct draw_rect b = sc->sel_box;
	float x = b.x + 16, y = b.y + 14, w = b.w - 32;
	char buf[200], t1[40];
	uint32_t c;

	if (f == NULL) {
		snprintf(buf, sizeof(buf), "flow %u is not open now",
		    sc->v.sel_flow);
		draw_text_fit(d, DF_SANS, x, y, w, rgb(C_MUTED), buf);
		draw_text_wrap(d, DF_SMALL, x, y + 20, w, 2, 14, rgb(C_FAINT),
		    "f / shift+f: the next / previous flow open at this "
		    "time");
		return;
	}
	c = style_level_rgb(style_state_level(f->state[0] ? f->state :
	    NULL));
	draw_circle(d, x + 6, y + 9, 5, rgb(c));
	snprintf(buf, sizeof(buf), "%s flow %u", ip_proto_name(f->ip_proto),
	    f->id);
	draw_text_fit(d, DF_TITLE, x + 18, y, w - 18, rgb(C_TEXT), buf);
	y += 22;
	draw_text_fit(d, DF_MONO, x, y, w, rgb(C_TEXT), f->label[0] ?
	    f->label : "(no declaration)");
	y += 16;
	snprintf(buf, sizeof(buf), "on %s", scan_node_name(sc->s, f->node));
	draw_text_fit(d, DF_SMALL, x, y, w, rgb(C_MUTED), buf);
	y += 22;
	y = panels_section_title(d, x, y, w, "Connection state");
	sc->fg.shown = true;
	sc->fg.state = (struct draw_rect){ x, y, (float)draw_text_width(d,
		DF_BIG, f->state[0] ? f->state : "?"), 22 };
	draw_text_fit(d, DF_BIG, x, y, w, rgb(c), f->state[0] ? f->state :
	    "?");
	y += 26;
	scene_fmt_dur(t1, sizeof(t1), now - f->t_state);
	snprintf(buf, sizeof(buf), "for %s%s%s", t1, f->reason[0] ?
	    " \xc2\xb7 " : "", f->reason);
	draw_text_fit(d, DF_SMALL, x, y, w, rgb(C_MUTED), buf);
	y += 24;
	if (y + 25 + 50 > b.y + b.h)
		return;
	y = panels_section_title(d, x, y, w, "Congestion window");
	if (!f->has_cwnd) {
		draw_text(d, DF_SMALL, x, y, rgb(C_FAINT), "none recorded yet");
		return;
	}
	y = flow_gauge(sc, d, f, x, y + 4, w) + 22;
	if (sc->v.hist != NULL && sc->v.hist->valid &&
	    sc->v.hist->id == f->id && y + 40 <= b.y + b.h - 8)
		flow_history(sc, d, sc->v.hist, now, x, y, w,
		    fminf(70, b.y + b.h - 8 - y));
}

static int
cmp_flow(const void *a, const void *b)
{
	const struct replay_flow *x = *(const struct replay_flow *const *)a;
	const struct replay_flow *y = *(const struct replay_flow *const *)b;

	return x->id < y->id ? -1 : x->id > y->id;
}

float
panel_node_flows(struct scene *sc, struct draw *d, const struct replay *rp,
    uint32_t node, float x, float y, float w, float bottom)
{
	const struct replay_flow **fl;
	size_t i, n = 0;
	char buf[64];

	for (i = 0; i < rp->nflows; i++)
		n += rp->flows[i].node == node;
	if (n == 0 || y + 25 + 16 > bottom)
		return y;
	fl = xmalloc(n * sizeof(*fl));
	for (i = n = 0; i < rp->nflows; i++)
		if (rp->flows[i].node == node)
			fl[n++] = &rp->flows[i];
	qsort(fl, n, sizeof(*fl), cmp_flow);
	snprintf(buf, sizeof(buf), "Flows (%zu) \xc2\xb7 f to select", n);
	y = panels_section_title(d, x, y, w, buf);
	for (i = 0; i < n; i++) {
		const struct replay_flow *f = fl[i];
		uint32_t c = style_level_rgb(style_state_level(f->state[0] ?
		    f->state : NULL));
		bool sel = sc->v.flow_sel && sc->v.sel_flow == f->id;

		if (y + 18 > bottom - (i + 1 < n ? 16 : 0) ||
		    sc->nflow_rows == MAX_FLOW_ROWS) {
			snprintf(buf, sizeof(buf), "+%zu more", n - i);
			if (y + 16 <= bottom)
				draw_text(d, DF_SMALL, x, y, rgb(C_MUTED), buf);
			y += 18;
			break;
		}
		if (sel)
			draw_fill_rect(d, (struct draw_rect){ x - 6, y - 1,
			    w + 12, 18 }, rgba(C_SELECT, 40));
		draw_circle(d, x + 4, y + 8, 3.5f, rgb(c));
		draw_text_fit(d, DF_SMALL, x + 14, y + 1, w * 0.66f - 14,
		    rgb(C_TEXT), f->label[0] ? f->label : "?");
		draw_text_fit(d, DF_BOLD, x + w * 0.66f, y, w * 0.34f, rgb(c),
		    f->state[0] ? f->state : "?");
		sc->flow_rows[sc->nflow_rows].r = (struct draw_rect){ x - 6,
			y - 1, w + 12, 18 };
		sc->flow_rows[sc->nflow_rows++].id = f->id;
		y += 18;
	}
	free(fl);
	return y + 6;
}

const struct scene_flow_geom *
scene_flow_geom(const struct scene *sc)
{
	return &sc->fg;
}

bool
scene_hit_flow(const struct scene *sc, int x, int y, uint32_t *id)
{
	size_t i;

	for (i = 0; i < sc->nflow_rows; i++)
		if (rect_has(sc->flow_rows[i].r, (float)x, (float)y)) {
			*id = sc->flow_rows[i].id;
			return true;
		}
	return false;
}
