/* viz.c - the player: reader, scan, replay and scene, headless or windowed. */
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "draw.h"
#include "replay.h"
#include "scan.h"
#include "scene.h"
#include "util.h"
#include "trace.h"
#include "viz.h"

/* A record kept across trace_reader_next() calls: strings copied. */
struct held {
	struct trace_rec rec;
	char str[TRACE_REC_STRS][TRACE_TEXT_MAX + 1];
	uint8_t hdr[TRACE_HDR_MAX];
	uint8_t data[TRACE_DATA_MAX];	/* a pkt_data's frame */
};

struct viz {
	char *path;
	struct trace_reader *rd;
	struct scan scan;
	bool scanned;
	struct replay rp;
	struct scene *sc;
	struct draw *d;
	struct scene_view view;
	sim_time now;
	sim_time lookback;
	bool pending;
	struct held held;
	struct scan_flow_hist hist;	/* the selected flow's window */
};

/* Copy r so that it outlives the reader's buffers. */
static void
hold(struct held *h, const struct trace_rec *r)
{
	const char **f[TRACE_REC_STRS];
	size_t n;
	int i, nf;

	h->rec = *r;
	nf = trace_rec_strs(&h->rec, f);
	for (i = 0; i < nf; i++) {
		if (*f[i] == NULL)
			continue;
		snprintf(h->str[i], sizeof(h->str[i]), "%s", *f[i]);
		*f[i] = h->str[i];
	}
	if (r->type == TR_PKT_TX) {
		n = r->u.tx.hdr != NULL ? r->u.tx.hdr_len : 0;
		if (n > TRACE_HDR_MAX)
			n = TRACE_HDR_MAX;
		if (n)
			memcpy(h->hdr, r->u.tx.hdr, n);
		h->rec.u.tx.hdr = n ? h->hdr : NULL;
		h->rec.u.tx.hdr_len = (uint16_t)n;
	}
	if (r->type == TR_PKT_DATA) {
		n = r->u.data.data != NULL ? r->u.data.len : 0;
		if (n > TRACE_DATA_MAX)
			n = TRACE_DATA_MAX;
		if (n)
			memcpy(h->data, r->u.data.data, n);
		h->rec.u.data.data = n ? h->data : NULL;
		h->rec.u.data.len = (uint32_t)n;
	}
}

static sim_time
clamp_time(sim_time v, sim_time lo, sim_time hi)
{
	return v < lo ? lo : v > hi ? hi : v;
}

static const char *
base_name(const char *p)
{
	const char *s = strrchr(p, '/');

	return s != NULL ? s + 1 : p;
}

void
viz_close(struct viz *v)
{
	if (v == NULL)
		return;
	scan_flow_hist_free(&v->hist);
	scene_free(v->sc);
	draw_free(v->d);
	replay_free(&v->rp);
	if (v->scanned)
		scan_free(&v->scan);
	if (v->rd != NULL)
		trace_reader_close(v->rd);
	free(v->path);
	free(v);
}

/*
 * The header's title: the file's name, and what its writer left out
 * (record.packets) so an empty wire is not taken for an idle network.
 */
static const char *
viz_title(const struct trace_reader *rd, const char *path, char *buf,
    size_t len)
{
	uint32_t f = trace_reader_flags(rd);
	const char *what = NULL;

	if (f & TRACE_FLAG_PKT_NONE)
		what = "packets: none recorded";
	else if (f & TRACE_FLAG_PKT_DROPS)
		what = "packets: drops only";
	else if (f & TRACE_FLAG_PKT_SAMPLED)
		what = "packets: a sample";
	if (what == NULL)
		return base_name(path);
	snprintf(buf, len, "%s \xc2\xb7 %s", base_name(path), what);
	return buf;
}

/* Everything but the draw target. */
static struct viz *
viz_load(const char *path, char *err, size_t errlen)
{
	struct viz *v = xcalloc(1, sizeof(*v));
	sim_time keep_sent, keep_drop;
	char e2[256];

	v->path = xstrdup(path);
	e2[0] = '\0';
	v->rd = trace_reader_open(path, e2, sizeof(e2));
	if (v->rd == NULL) {
		sim_err(err, errlen, "%s: %s", path, e2);
		goto fail;
	}
	if (scan_trace(v->rd, &v->scan, e2, sizeof(e2)) < 0) {
		sim_err(err, errlen, "%s: %s", path, e2);
		goto fail;
	}
	v->scanned = true;
	/* how long things stay on screen, in simulated time */
	keep_sent = clamp_time(4 * v->scan.max_delay, SIM_US(100), SIM_MS(50));
	keep_drop = clamp_time(8 * v->scan.max_delay, SIM_US(500),
	    SIM_MS(100));
	v->lookback = v->scan.max_flight + v->scan.max_queue +
	    (keep_sent > keep_drop ? keep_sent : keep_drop) + 1;
	replay_init(&v->rp, v->scan.nlinks, keep_sent, keep_drop);
	v->sc = scene_new(&v->scan, viz_title(v->rd, path, e2, sizeof(e2)));
	v->view.zoom = 1;
	v->view.sel_node = SCENE_NONE;
	v->view.mouse_x = v->view.mouse_y = -1;
	v->view.speed = 1e-3;
	if (viz_seek(v, 0, err, errlen) < 0)
		goto fail;
	return v;
fail:
	viz_close(v);
	return NULL;
}

static int
apply_select(struct viz *v, const struct viz_opts *o, char *err,
    size_t errlen)
{
	unsigned long long fid;
	uint32_t id;
	char *end;

	if (o == NULL)
		return 0;
	if (o->select != NULL) {
		id = scan_find_node(&v->scan, o->select);
		if (id == UINT32_MAX)
			return sim_err(err, errlen, "no node named %s in %s",
			    o->select, v->path);
		v->view.sel_node = id;
	}
	if (o->flow != NULL) {
		/* a flow comes and goes: any id is a selection, shown
		 * while that flow is open */
		fid = strtoull(o->flow, &end, 10);
		if (end == o->flow || *end != '\0' || o->flow[0] == '-' ||
		    fid > UINT32_MAX - 1)
			return sim_err(err, errlen, "--flow takes a flow id "
			    "(a number), not %s", o->flow);
		v->view.flow_sel = true;
		v->view.sel_flow = (uint32_t)fid;
	}
	if (o->bgp != NULL) {
		id = scan_find_node(&v->scan, o->bgp);
		if (id == UINT32_MAX)
			return sim_err(err, errlen, "no node named %s in %s",
			    o->bgp, v->path);
		v->view.sel_node = id;
		v->view.bgp = true;
	}
	return 0;
}

struct viz *
viz_open(const char *path, const struct viz_opts *o, char *err,
    size_t errlen)
{
	struct viz *v = viz_load(path, err, errlen);
	int w = o != NULL && o->width > 0 ? o->width : 1280;
	int h = o != NULL && o->height > 0 ? o->height : 720;

	if (v == NULL)
		return NULL;
	if (apply_select(v, o, err, errlen) < 0)
		goto fail;
	v->d = draw_new_headless(w, h, err, errlen);
	if (v->d == NULL)
		goto fail;
	return v;
fail:
	viz_close(v);
	return NULL;
}

sim_time
viz_now(const struct viz *v)
{
	return v->now;
}

sim_time
viz_end_time(const struct viz *v)
{
	return v->scan.end;
}

int
viz_play_to(struct viz *v, sim_time t, char *err, size_t errlen)
{
	struct trace_rec rec;
	char e2[256];
	int r;

	if (t < v->now)
		return viz_seek(v, t, err, errlen);
	if (v->pending) {
		if (v->held.rec.t > t)
			goto done;
		replay_apply(&v->rp, &v->held.rec);
		v->pending = false;
	}
	while ((r = trace_reader_next(v->rd, &rec, e2, sizeof(e2))) == 1) {
		if (rec.t > t && !trace_type_is_decl(rec.type)) {
			hold(&v->held, &rec);
			v->pending = true;
			break;
		}
		replay_apply(&v->rp, &rec);
	}
	if (r < 0 && !trace_reader_at_cut(v->rd))
		return sim_err(err, errlen, "%s: %s", v->path, e2);
done:
	v->now = t;
	replay_prune(&v->rp, t);
	return 0;
}

int
viz_seek(struct viz *v, sim_time t, char *err, size_t errlen)
{
	sim_time from;
	char e2[256];

	if (t < 0)
		t = 0;
	from = t - v->lookback;
	if (from < 0)
		from = 0;
	if (trace_reader_seek(v->rd, from, e2, sizeof(e2)) < 0)
		return sim_err(err, errlen, "%s: %s", v->path, e2);
	replay_reset(&v->rp);
	v->pending = false;
	v->now = from;
	return viz_play_to(v, t, err, errlen);
}

int
viz_goto(struct viz *v, sim_time t, char *err, size_t errlen)
{
	/* far ahead, a seek skips the records in between */
	if (t >= v->now && t - v->now <= 4 * v->lookback + SIM_MS(1))
		return viz_play_to(v, t, err, errlen);
	return viz_seek(v, t, err, errlen);
}

/* The latest record time before v->now, from keyframes backwards. */
static int
prev_time(struct viz *v, sim_time *out, char *err, size_t errlen)
{
	sim_time win = v->lookback > SIM_US(1) ? v->lookback : SIM_US(1);
	struct trace_rec rec;
	char e2[256];
	int r;

	for (;;) {
		sim_time from = v->now - win, kf = -1, best = -1;

		if (from < 0)
			from = 0;
		if (trace_reader_seek(v->rd, from, e2, sizeof(e2)) < 0)
			return sim_err(err, errlen, "%s: %s", v->path, e2);
		while ((r = trace_reader_next(v->rd, &rec, e2,
		    sizeof(e2))) == 1) {
			if (rec.type == TR_KEYFRAME) {
				kf = rec.t;
				continue;
			}
			if (trace_type_is_decl(rec.type) || rec.t <= kf)
				continue;
			if (rec.t >= v->now)
				break;
			best = rec.t;
		}
		if (r < 0 && !trace_reader_at_cut(v->rd))
			return sim_err(err, errlen, "%s: %s", v->path, e2);
		if (best >= 0) {
			*out = best;
			return 0;
		}
		if (from == 0) {
			*out = 0;
			return 0;
		}
		win *= 4;
	}
}

int
viz_step(struct viz *v, int dir, char *err, size_t errlen)
{
	sim_time t;

	if (dir > 0) {
		if (!v->pending)
			return 0;	/* at the end */
		return viz_play_to(v, v->held.rec.t, err, errlen);
	}
	if (v->now <= 0)
		return 0;
	if (prev_time(v, &t, err, errlen) < 0)
		return -1;
	return viz_seek(v, t, err, errlen);
}

/*
 * The selected flow's window over its life, read once per selection; a
 * read that fails leaves an empty history (the panel shows the rest), not
 * a retry per frame.
 */
static void
load_hist(struct viz *v)
{
	char err[256];

	v->view.hist = NULL;
	if (!v->view.flow_sel)
		return;
	if (!v->hist.valid || v->hist.id != v->view.sel_flow) {
		if (scan_flow_history(v->path, v->view.sel_flow, v->scan.end,
		    &v->hist, err, sizeof(err)) < 0) {
			v->hist.valid = true;
			v->hist.id = v->view.sel_flow;
		}
	}
	v->view.hist = &v->hist;
}

void
viz_render(struct viz *v)
{
	load_hist(v);
	scene_render(v->sc, v->d, &v->rp, v->now, &v->view);
}

int
viz_flow_hist_box(struct viz *v, float box[4], float *now_x)
{
	const struct scene_flow_geom *g = scene_flow_geom(v->sc);

	if (!g->shown || g->hist.w <= 0)
		return -1;
	box[0] = g->hist.x;
	box[1] = g->hist.y;
	box[2] = g->hist.w;
	box[3] = g->hist.h;
	*now_x = g->now_x;
	return 0;
}

int
viz_save_png(struct viz *v, const char *path, char *err, size_t errlen)
{
	return draw_save_png(v->d, path, err, errlen);
}

uint32_t
viz_pixel(struct viz *v, int x, int y)
{
	return draw_pixel(v->d, x, y);
}

const void *
viz_pixels(struct viz *v, size_t *len)
{
	return draw_pixels(v->d, len);
}

int
viz_node_box(struct viz *v, const char *name, float box[4])
{
	struct draw_rect r;
	uint32_t id = scan_find_node(&v->scan, name);

	if (id == UINT32_MAX || scene_node_rect(v->sc, id, &r) < 0)
		return -1;
	box[0] = r.x;
	box[1] = r.y;
	box[2] = r.w;
	box[3] = r.h;
	return 0;
}

int
viz_link_point(struct viz *v, const char *link, int dir, float f, float *x,
    float *y)
{
	size_t i;

	for (i = 0; i < v->scan.nlinks; i++)
		if (v->scan.links[i].present &&
		    strcmp(v->scan.links[i].name, link) == 0)
			return scene_link_point(v->sc, (uint32_t)i, dir, f, x, y);
	return -1;
}

void
viz_select_packet(struct viz *v, uint64_t uid)
{
	v->view.sel_pkt = uid;
}

void
viz_select_flow(struct viz *v, bool on, uint32_t id)
{
	v->view.flow_sel = on;
	v->view.sel_flow = id;
}

void
viz_select_bgp(struct viz *v, bool on, size_t scroll)
{
	v->view.bgp = on;
	v->view.bgp_scroll = scroll;
}

const char *
viz_panel_line(struct viz *v, size_t i)
{
	return scene_panel_line(v->sc, i);
}

const char *
viz_timeline_label(struct viz *v, size_t i)
{
	return scene_timeline_label(v->sc, i);
}

int
viz_op_box(struct viz *v, size_t i, float box[4], int *lane)
{
	struct draw_rect r;

	if (scene_op_box(v->sc, i, &r, lane) != 0)
		return -1;
	box[0] = r.x;
	box[1] = r.y;
	box[2] = r.w;
	box[3] = r.h;
	return 0;
}

static void
box_of(struct draw_rect r, float box[4])
{
	box[0] = r.x;
	box[1] = r.y;
	box[2] = r.w;
	box[3] = r.h;
}

int
viz_placed_box(struct viz *v, size_t i, float box[4], int *kind)
{
	struct draw_rect r;

	if (scene_placed(v->sc, i, &r, kind) != 0)
		return -1;
	box_of(r, box);
	return 0;
}

int
viz_node_text_box(struct viz *v, const char *name, float box[4])
{
	struct draw_rect r;
	uint32_t id = scan_find_node(&v->scan, name);

	if (id == UINT32_MAX || scene_node_text_rect(v->sc, id, &r) != 0)
		return -1;
	box_of(r, box);
	return 0;
}

int
viz_flow_box(struct viz *v, float state[4], float gauge[4], float *fill_w,
    float *ss_x)
{
	const struct scene_flow_geom *g = scene_flow_geom(v->sc);

	if (!g->shown)
		return -1;
	state[0] = g->state.x;
	state[1] = g->state.y;
	state[2] = g->state.w;
	state[3] = g->state.h;
	gauge[0] = g->gauge.x;
	gauge[1] = g->gauge.y;
	gauge[2] = g->gauge.w;
	gauge[3] = g->gauge.h;
	*fill_w = g->fill_w;
	*ss_x = g->ss_x;
	return 0;
}

int
viz_png(const char *trace, const char *png, sim_time at,
    const struct viz_opts *o, char *err, size_t errlen)
{
	struct viz *v = viz_open(trace, o, err, errlen);
	int r = -1;

	if (v == NULL)
		return -1;
	if (viz_seek(v, at, err, errlen) == 0) {
		viz_render(v);
		r = viz_save_png(v, png, err, errlen);
	}
	viz_close(v);
	return r;
}

int
viz_frames(const char *trace, const char *dir, sim_time from, sim_time to,
    unsigned fps, double speed, const struct viz_opts *o, char *err,
    size_t errlen)
{
	struct viz *v;
	char path[4096];
	double step;
	uint64_t n, i;
	int r = 0;

	if (fps == 0 || fps > 1000)
		return sim_err(err, errlen, "--fps must be 1..1000");
	if (to < from)
		return sim_err(err, errlen, "--to is before --from");
	if (speed > 0) {
		double nf;

		/* counted as a double: a tiny speed overflows any integer
		 * (and a step that underflows to 0 gives inf, or NaN when
		 * from == to) */
		step = speed * 1e9 / fps;
		nf = to == from ? 1 : (double)(to - from) / step + 1;
		if (!(nf <= 100000))
			return sim_err(err, errlen, "%.3g frames is too many "
			    "(at most 100000): raise --speed or narrow "
			    "--from/--to", nf);
		n = (uint64_t)nf;
	} else {
		n = (uint64_t)fps * 10;
		step = n > 1 ? (double)(to - from) / (double)(n - 1) : 0;
	}
	if (mkdir(dir, 0777) < 0 && errno != EEXIST)
		return sim_err(err, errlen, "cannot create %s: %s", dir,
		    strerror(errno));
	v = viz_open(trace, o, err, errlen);
	if (v == NULL)
		return -1;
	if (viz_seek(v, from, err, errlen) < 0)
		r = -1;
	for (i = 0; r == 0 && i < n; i++) {
		sim_time t = from + (sim_time)llround(step * (double)i);

		if (t > to)
			t = to;
		if (viz_goto(v, t, err, errlen) < 0) {
			r = -1;
			break;
		}
		viz_render(v);
		snprintf(path, sizeof(path), "%s/frame-%05llu.png", dir,
		    (unsigned long long)i);
		r = viz_save_png(v, path, err, errlen);
	}
	viz_close(v);
	return r;
}

/* --- the window --- */

static const double speeds[] = {
	1e-6, 2e-6, 5e-6, 1e-5, 2e-5, 5e-5, 1e-4, 2e-4, 5e-4, 1e-3, 2e-3,
	5e-3, 1e-2, 2e-2, 5e-2, 0.1, 0.2, 0.5, 1, 2, 5, 10, 20, 50, 100, 200,
	500, 1000,
};
#define NSPEEDS (sizeof(speeds) / sizeof(speeds[0]))

struct ui {
	struct viz *v;
	size_t speed_i;
	bool quit;
	bool dragging, moved;
	int press_x, press_y;
	float pan0_x, pan0_y;
	double frac_ns;		/* sub-nanosecond progress at low speeds */
};

static void
zoom_at(struct ui *u, int mx, int my, float factor)
{
	struct scene_view *vw = &u->v->view;
	float cx, cy, nz;
	struct draw_rect c;

	scene_canvas_rect(u->v->sc, &c);
	cx = c.x + c.w / 2;
	cy = c.y + c.h / 2;
	nz = vw->zoom * factor;
	if (nz < 0.3f)
		nz = 0.3f;
	if (nz > 8)
		nz = 8;
	vw->pan_x = (float)mx - cx - ((float)mx - cx - vw->pan_x) * nz /
	    vw->zoom;
	vw->pan_y = (float)my - cy - ((float)my - cy - vw->pan_y) * nz /
	    vw->zoom;
	vw->zoom = nz;
}

static void
click(struct ui *u, int x, int y, char *err, size_t errlen)
{
	struct viz *v = u->v;
	sim_time t;
	long ev;
	uint64_t uid;
	uint32_t n;

	if ((t = scene_hit_timeline(v->sc, x, y)) >= 0) {
		viz_goto(v, t, err, errlen);
		return;
	}
	if (scene_hit_flow(v->sc, x, y, &n)) {
		v->view.flow_sel = true;
		v->view.sel_flow = n;
		v->view.sel_pkt = 0;
		return;
	}
	if ((ev = scene_hit_event(v->sc, x, y)) >= 0) {
		viz_goto(v, v->scan.events[ev].t, err, errlen);
		if (v->scan.events[ev].node < v->scan.nnodes) {
			v->view.sel_node = v->scan.events[ev].node;
			v->view.sel_pkt = 0;
		}
		/* a flow's state change selects the flow too */
		if (v->scan.events[ev].flow != UINT32_MAX) {
			v->view.flow_sel = true;
			v->view.sel_flow = v->scan.events[ev].flow;
		} else {
			v->view.flow_sel = false;
		}
		return;
	}
	if (!scene_in_canvas(v->sc, x, y))
		return;
	uid = scene_hit_packet(v->sc, &v->rp, v->now, x, y);
	if (uid != 0) {
		v->view.sel_pkt = uid;
		v->view.sel_node = SCENE_NONE;
		return;
	}
	n = scene_hit_node(v->sc, x, y);
	v->view.sel_node = n;
	v->view.sel_pkt = 0;
}

static void
key(struct ui *u, const struct draw_event *e, char *err, size_t errlen)
{
	struct viz *v = u->v;

	switch (e->key) {
	case DK_SPACE:
		v->view.playing = !v->view.playing;
		if (v->view.playing && v->now >= v->scan.end)
			viz_seek(v, 0, err, errlen);
		break;
	case DK_RIGHT:
		v->view.playing = false;
		viz_step(v, 1, err, errlen);
		break;
	case DK_LEFT:
		v->view.playing = false;
		viz_step(v, -1, err, errlen);
		break;
	case DK_PLUS:
	case DK_UP:
		if (u->speed_i + 1 < NSPEEDS)
			u->speed_i++;
		break;
	case DK_MINUS:
	case DK_DOWN:
		if (u->speed_i > 0)
			u->speed_i--;
		break;
	case DK_HOME:
		viz_seek(v, 0, err, errlen);
		break;
	case DK_END:
		viz_seek(v, v->scan.end, err, errlen);
		v->view.playing = false;
		break;
	case DK_RESET:
		v->view.zoom = 1;
		v->view.pan_x = v->view.pan_y = 0;
		break;
	case DK_HELP:
		v->view.help = !v->view.help;
		break;
	case DK_FLOW: {
		/* the selected node's flows, else all, in id order */
		uint32_t node = v->view.sel_node < v->scan.nnodes ?
		    v->view.sel_node : UINT32_MAX;
		uint32_t id = replay_flow_step(&v->rp, v->view.flow_sel ?
		    v->view.sel_flow : UINT32_MAX, node, e->shift ? -1 : 1);

		if (id != UINT32_MAX) {
			v->view.flow_sel = true;
			v->view.sel_flow = id;
			v->view.sel_pkt = 0;
		}
		break;
	}
	case DK_BGP:
		v->view.bgp = !v->view.bgp;
		v->view.bgp_scroll = 0;
		if (v->view.bgp) {
			v->view.flow_sel = false;
			v->view.sel_pkt = 0;
		}
		break;
	case DK_SCROLL_UP:
		v->view.bgp_scroll = v->view.bgp_scroll > 10 ?
		    v->view.bgp_scroll - 10 : 0;
		break;
	case DK_SCROLL_DOWN:
		/* the panel shows the last route past the end: clamp to
		 * what it drew, so scrolling back up answers at once */
		v->view.bgp_scroll = scene_bgp_first(v->sc) + 10;
		break;
	case DK_ESCAPE:
		if (v->view.help)
			v->view.help = false;
		else if (v->view.bgp)
			v->view.bgp = false;
		else if (v->view.flow_sel)
			v->view.flow_sel = false;
		else if (v->view.sel_node != SCENE_NONE || v->view.sel_pkt)
			v->view.sel_node = SCENE_NONE, v->view.sel_pkt = 0;
		else
			u->quit = true;
		break;
	case DK_QUIT:
		u->quit = true;
		break;
	default:
		break;
	}
	v->view.speed = speeds[u->speed_i];
}

static void
handle(struct ui *u, const struct draw_event *e, char *err, size_t errlen)
{
	struct viz *v = u->v;

	switch (e->type) {
	case DE_QUIT:
		u->quit = true;
		break;
	case DE_KEY:
		key(u, e, err, errlen);
		break;
	case DE_MOUSE_DOWN:
		if (e->button == 1) {
			u->dragging = true;
			u->moved = false;
			u->press_x = e->x;
			u->press_y = e->y;
			u->pan0_x = v->view.pan_x;
			u->pan0_y = v->view.pan_y;
		}
		break;
	case DE_MOUSE_UP:
		if (e->button == 1 && u->dragging && !u->moved)
			click(u, e->x, e->y, err, errlen);
		u->dragging = false;
		break;
	case DE_MOUSE_MOVE:
		v->view.mouse_x = e->x;
		v->view.mouse_y = e->y;
		if (u->dragging && scene_in_canvas(v->sc, u->press_x,
		    u->press_y) && (abs(e->x - u->press_x) > 3 ||
		    abs(e->y - u->press_y) > 3)) {
			u->moved = true;
			v->view.pan_x = u->pan0_x + (float)(e->x - u->press_x);
			v->view.pan_y = u->pan0_y + (float)(e->y - u->press_y);
		} else if (u->dragging && !scene_in_canvas(v->sc, u->press_x,
		    u->press_y) && scene_hit_timeline(v->sc, e->x, e->y) >= 0) {
			/* scrub along the timeline */
			u->moved = true;
			viz_goto(v, scene_hit_timeline(v->sc, e->x, e->y), err,
			    errlen);
		}
		break;
	case DE_WHEEL:
		if (scene_in_canvas(v->sc, e->x, e->y))
			zoom_at(u, e->x, e->y, powf(1.15f, e->wheel));
		break;
	default:
		break;
	}
}

int
viz_window(const char *trace, const struct viz_opts *o, char *err,
    size_t errlen)
{
	struct ui u = { 0 };
	struct draw_event e;
	uint64_t last;
	char title[512], e2[256];

	u.v = viz_load(trace, err, errlen);
	if (u.v == NULL)
		return -1;
	if (apply_select(u.v, o, err, errlen) < 0)
		goto fail;
	snprintf(title, sizeof(title), "xcsim viz \xe2\x80\x94 %s",
	    base_name(trace));
	u.v->d = draw_new_window(title, 1280, 760, err, errlen);
	if (u.v->d == NULL)
		goto fail;
	for (u.speed_i = 0; u.speed_i < NSPEEDS && speeds[u.speed_i] <
	    u.v->view.speed; u.speed_i++)
		;
	/* start where something happens */
	viz_seek(u.v, scan_skip_idle(&u.v->scan, 0), e2, sizeof(e2));
	last = draw_ticks_ms();
	while (!u.quit) {
		uint64_t nowms;

		e2[0] = '\0';
		if (draw_poll_event(u.v->d, &e, u.v->view.playing ? 0 : 50))
			do
				handle(&u, &e, e2, sizeof(e2));
			while (!u.quit && draw_poll_event(u.v->d, &e, 0));
		nowms = draw_ticks_ms();
		if (u.v->view.playing) {
			double adv = (double)(nowms - last) * 1e6 *
			    u.v->view.speed + u.frac_ns;
			sim_time t;

			u.frac_ns = adv - floor(adv);
			t = u.v->now + (sim_time)floor(adv);
			t = scan_skip_idle(&u.v->scan, t);
			if (t >= u.v->scan.end) {
				t = u.v->scan.end;
				u.v->view.playing = false;
			}
			viz_goto(u.v, t, e2, sizeof(e2));
		}
		last = nowms;
		if (e2[0] != '\0') {
			/* a trace that goes bad mid-way: stop and say so
			 * (the caller prints err) */
			sim_err(err, errlen, "%s", e2);
			goto fail;
		}
		viz_render(u.v);
	}
	viz_close(u.v);
	return 0;
fail:
	viz_close(u.v);
	return -1;
}
