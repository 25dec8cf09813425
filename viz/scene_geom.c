/*
 * scene_geom.c - where things go in a frame, and what is under a point.
 *
 * Each link has two lanes, one per direction, offset to either side of the
 * link's axis, so packets going each way never overlap. A packet is the
 * stretch of its lane its bits occupy at time now: the head advances from
 * the sender from the first bit's transmission at the propagation speed,
 * the tail follows once the last bit has left, so a frame's drawn length is
 * its serialisation time against the link's delay.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scene_int.h"
#include "util.h"

#define PANEL_W_SMALL 280.0f
#define PANEL_W 360.0f
#define PANEL_W_WIDE 420.0f
#define LEGEND_ONE_ROW_W 880.0f

struct scene *
scene_new(const struct scan *s, const char *title)
{
	struct scene *sc = xcalloc(1, sizeof(*sc));
	struct layout_node_in *nin;
	struct layout_link_in *lin;
	size_t i, j, nl = 0;

	sc->s = s;
	sc->title = xstrdup(title != NULL ? title : "");
	nin = xcalloc(s->nnodes ? s->nnodes : 1, sizeof(*nin));
	lin = xcalloc(s->nlinks ? s->nlinks : 1, sizeof(*lin));
	for (i = 0; i < s->nnodes; i++) {
		nin[i].name = s->nodes[i].present ? s->nodes[i].name : "";
		nin[i].role = s->nodes[i].present ? s->nodes[i].role : NULL;
		nin[i].region = s->nodes[i].present ? s->nodes[i].region : "";
		nin[i].pos[0] = s->nodes[i].present ? s->nodes[i].pos[0] :
		    TRACE_POS_AUTO;
		nin[i].pos[1] = s->nodes[i].present ? s->nodes[i].pos[1] :
		    TRACE_POS_AUTO;
	}
	for (i = 0; i < s->nlinks; i++) {
		if (!s->links[i].present)
			continue;
		lin[nl].a = s->links[i].node[0];
		lin[nl].b = s->links[i].node[1];
		nl++;
	}
	layout_compute(nin, s->nnodes, lin, nl, &sc->lay);
	free(nin);
	free(lin);
	sc->nx = xcalloc(s->nnodes ? s->nnodes : 1, sizeof(float));
	sc->ny = xcalloc(s->nnodes ? s->nnodes : 1, sizeof(float));
	sc->node_box = xcalloc(s->nnodes ? s->nnodes : 1,
	    sizeof(*sc->node_box));
	sc->link_off = xcalloc(s->nlinks ? s->nlinks : 1, sizeof(float));
	sc->pill = xcalloc(s->nlinks ? s->nlinks : 1, sizeof(*sc->pill));
	sc->lanes = xcalloc(2 * (s->nlinks ? s->nlinks : 1),
	    sizeof(*sc->lanes));
	sc->util = xcalloc(2 * (s->nlinks ? s->nlinks : 1), sizeof(float));
	/* spread links that join the same two nodes */
	for (i = 0; i < s->nlinks; i++) {
		size_t k = 0, m = 0;
		const struct scan_link *a = &s->links[i];

		if (!a->present)
			continue;
		for (j = 0; j < s->nlinks; j++) {
			const struct scan_link *b = &s->links[j];

			if (!b->present)
				continue;
			if ((b->node[0] == a->node[0] &&
			    b->node[1] == a->node[1]) ||
			    (b->node[0] == a->node[1] &&
			    b->node[1] == a->node[0])) {
				if (j < i)
					k++;
				m++;
			}
			if (m > 64)
				break;
		}
		sc->link_off[i] = ((float)k - (float)(m - 1) / 2) * 18.0f;
	}
	return sc;
}

void
scene_free(struct scene *sc)
{
	if (sc == NULL)
		return;
	layout_free(&sc->lay);
	free(sc->title);
	free(sc->nx);
	free(sc->ny);
	free(sc->node_box);
	free(sc->pill);
	free(sc->op_lw);
	free(sc->op_lane);
	free(sc->link_off);
	free(sc->lanes);
	free(sc->util);
	free(sc);
}

void
scene_geometry(struct scene *sc, int w, int h, const struct scene_view *v)
{
	const struct scan *s = sc->s;
	float pw = w < 1000 ? PANEL_W_SMALL : w < 1500 ? PANEL_W :
	    PANEL_W_WIDE;
	float padx = fminf(70, fmaxf(34, ((float)w - pw) * 0.07f));
	float padt = 58, padb = 92, leg_h, tl_h;
	float cx, cy, z = v->zoom > 0 ? v->zoom : 1, ts, share;
	size_t i;

	sc->w = w;
	sc->h = h;
	sc->v = *v;
	sc->header = (struct draw_rect){ 0, 0, (float)w, HEADER_H };
	/* the track's x and width first: the operations' lanes under it
	 * make the timeline taller */
	sc->track = (struct draw_rect){ 18, 0, (float)w - 36, 26 };
	tl_h = TIMELINE_H + provops_layout(sc, h);
	sc->timeline = (struct draw_rect){ 0, (float)h - tl_h, (float)w,
		tl_h };
	sc->canvas = (struct draw_rect){ 0, HEADER_H, (float)w - pw,
		(float)h - HEADER_H - tl_h };
	sc->panel = (struct draw_rect){ (float)w - pw, HEADER_H, pw,
		sc->canvas.h };
	/* the legend is a strip along the canvas's foot, always shown */
	leg_h = sc->canvas.w >= (sc->legend_w > 0 ? sc->legend_w :
	    LEGEND_ONE_ROW_W) ? 28 : 48;
	sc->legend = (struct draw_rect){ sc->canvas.x, sc->canvas.y +
		sc->canvas.h - leg_h, sc->canvas.w, leg_h };
	/*
	 * The side panel: the selection on top, the events below. A packet's
	 * headers need the room most, a node's BGP panel (neighbours and a
	 * Loc-RIB) next, then its routes; with nothing
	 * selected the events get nearly all of it.
	 */
	share = v->sel_pkt != 0 ? 0.78f : v->flow_sel ? 0.62f :
	    v->sel_node < s->nnodes && s->nodes[v->sel_node].present ?
	    (v->bgp ? 0.74f : 0.56f) : 0;
	sc->sel_box = sc->panel;
	sc->sel_box.h = share > 0 ? floorf(sc->panel.h * share) : 66;
	sc->ev_box = sc->panel;
	sc->ev_box.y = sc->panel.y + sc->sel_box.h;
	sc->ev_box.h = sc->panel.h - sc->sel_box.h;
	sc->track = (struct draw_rect){ 18, sc->timeline.y + 52,
		(float)w - 36, 26 };
	/* where the unit layout goes, before zoom and pan */
	sc->map_x = sc->canvas.x + padx;
	sc->map_w = sc->canvas.w - 2 * padx;
	sc->map_y = sc->canvas.y + padt;
	sc->map_h = sc->canvas.h - leg_h - padt - padb;
	if (sc->map_h < 10)
		sc->map_h = 10;
	ts = sqrtf(z);
	if (ts < 0.75f)
		ts = 0.75f;
	if (ts > 1.5f)
		ts = 1.5f;
	sc->tile = TILE * ts;
	/*
	 * Many nodes: the room each one has (on average, zoom included)
	 * bounds its tile, and below DENSE_CELL there is no room for names
	 * under the tiles: they are left out (a zoom brings them back).
	 */
	if (sc->lay.grid_cols > 0) {
		/* a folded grid: its pitch is known; the names need
		 * NAMES_H under a tile of at least 20 px */
		float px = 0.9f / (float)sc->lay.grid_cols * sc->map_w * z;
		float py = 0.84f / (float)sc->lay.grid_rows * sc->map_h * z;

		sc->names = py - NAMES_H >= 20 && px >= 50;
		if (sc->names)
			sc->tile = fminf(sc->tile, fminf(py - NAMES_H,
			    px - 14));
		else
			sc->tile = fmaxf(4, fminf(sc->tile, 0.7f *
			    fminf(px, py)));
	} else {
		size_t np = 0;
		float cell;

		for (i = 0; i < s->nnodes; i++)
			np += s->nodes[i].present;
		cell = np > 0 ? sqrtf(sc->map_w * sc->map_h / (float)np) * z :
		    DENSE_CELL;
		sc->names = cell >= DENSE_CELL;
		if (!sc->names)
			sc->tile = fmaxf(4, fminf(sc->tile, 0.6f * cell));
	}
	cx = sc->canvas.x + sc->canvas.w / 2;
	cy = sc->canvas.y + sc->canvas.h / 2;
	for (i = 0; i < s->nnodes; i++) {
		float bx = sc->map_x + sc->lay.x[i] * sc->map_w;
		float by = sc->map_y + sc->lay.y[i] * sc->map_h;

		sc->nx[i] = cx + (bx - cx) * z + v->pan_x;
		sc->ny[i] = cy + (by - cy) * z + v->pan_y;
	}
	sc->mid_x = sc->mid_y = 0;
	{
		size_t cnt = 0;

		for (i = 0; i < s->nnodes; i++) {
			if (!s->nodes[i].present)
				continue;
			sc->mid_x += sc->nx[i];
			sc->mid_y += sc->ny[i];
			cnt++;
		}
		if (cnt) {
			sc->mid_x /= (float)cnt;
			sc->mid_y /= (float)cnt;
		}
	}
	for (i = 0; i < s->nlinks; i++) {
		const struct scan_link *l = &s->links[i];
		float ax, ay, bx, by, dx, dy, len, ux, uy, nx, ny, trim, off;
		int dir;

		sc->lanes[2 * i].ok = sc->lanes[2 * i + 1].ok = false;
		if (!l->present)
			continue;
		ax = sc->nx[l->node[0]];
		ay = sc->ny[l->node[0]];
		bx = sc->nx[l->node[1]];
		by = sc->ny[l->node[1]];
		dx = bx - ax;
		dy = by - ay;
		len = sqrtf(dx * dx + dy * dy);
		if (len < 1)
			continue;
		ux = dx / len;
		uy = dy / len;
		nx = -uy;
		ny = ux;
		trim = sc->tile / 2 / fmaxf(fabsf(ux), fabsf(uy)) + 6;
		if (len - 2 * trim < 6)
			continue;
		off = sc->link_off[i] * ts;
		for (dir = 0; dir < 2; dir++) {
			struct lane *ln = &sc->lanes[2 * i + (size_t)dir];
			float o = off + (dir == 0 ? -1 : 1) * LANE_OFF * ts;
			float sx = ax + ux * trim + nx * o;
			float sy = ay + uy * trim + ny * o;
			float ex = bx - ux * trim + nx * o;
			float ey = by - uy * trim + ny * o;

			ln->ok = true;
			if (dir == 0) {
				ln->x0 = sx; ln->y0 = sy;
				ln->x1 = ex; ln->y1 = ey;
				ln->ux = ux; ln->uy = uy;
				ln->nx = -nx; ln->ny = -ny;
			} else {
				ln->x0 = ex; ln->y0 = ey;
				ln->x1 = sx; ln->y1 = sy;
				ln->ux = -ux; ln->uy = -uy;
				ln->nx = nx; ln->ny = ny;
			}
			ln->len = len - 2 * trim;
		}
	}
}

int
scene_node_rect(const struct scene *sc, uint32_t id, struct draw_rect *r)
{
	if (id >= sc->s->nnodes || !sc->s->nodes[id].present)
		return -1;
	r->x = sc->nx[id] - sc->tile / 2;
	r->y = sc->ny[id] - sc->tile / 2;
	r->w = r->h = sc->tile;
	return 0;
}

int
scene_link_point(const struct scene *sc, uint32_t link, int dir, float f,
    float *x, float *y)
{
	const struct lane *ln;

	if (link >= sc->s->nlinks || dir < 0 || dir > 1)
		return -1;
	ln = &sc->lanes[2 * link + (size_t)dir];
	if (!ln->ok)
		return -1;
	*x = ln->x0 + (ln->x1 - ln->x0) * f;
	*y = ln->y0 + (ln->y1 - ln->y0) * f;
	return 0;
}

float
scene_timeline_x(const struct scene *sc, sim_time t)
{
	return sc->track.x + scan_time_to_x(sc->s, t) * sc->track.w;
}

void
scene_timeline_rect(const struct scene *sc, struct draw_rect *r)
{
	*r = sc->track;
}

void
scene_canvas_rect(const struct scene *sc, struct draw_rect *r)
{
	*r = sc->canvas;
}

bool
scene_in_canvas(const struct scene *sc, int x, int y)
{
	return rect_has(sc->canvas, (float)x, (float)y);
}

uint32_t
scene_hit_node(const struct scene *sc, int x, int y)
{
	size_t i;
	float h = sc->tile / 2 + 3;

	if (!scene_in_canvas(sc, x, y))
		return SCENE_NONE;
	for (i = sc->s->nnodes; i-- > 0;)
		if (sc->s->nodes[i].present &&
		    fabsf((float)x - sc->nx[i]) <= h &&
		    fabsf((float)y - sc->ny[i]) <= h)
			return (uint32_t)i;
	return SCENE_NONE;
}

/* Lane fractions [tail, head] a packet occupies at now; false if off. */
bool
scene_pkt_span(const struct replay_pkt *p, sim_time now, float *tail, float *head)
{
	sim_time delay = p->arrive - p->tx_end;
	double fh, ft;

	if (now < p->t || now >= p->gone)
		return false;
	if (delay <= 0) {
		*tail = 0;
		*head = 1;
		return true;
	}
	fh = (double)(now - p->t) / (double)delay;
	ft = (double)(now - p->tx_end) / (double)delay;
	*head = (float)(fh > 1 ? 1 : fh);
	*tail = (float)(ft < 0 ? 0 : ft);
	return *head >= *tail;
}

uint64_t
scene_hit_packet(const struct scene *sc, const struct replay *rp,
    sim_time now, int x, int y)
{
	float best = 7.0f * 7.0f;
	uint64_t uid = 0;
	size_t i;

	if (!scene_in_canvas(sc, x, y))
		return 0;
	for (i = 0; i < rp->npkts; i++) {
		const struct replay_pkt *p = &rp->pkts[i];
		const struct lane *ln;
		float ft, fh, px, py, dx, dy, tproj, d2;

		if (p->link >= sc->s->nlinks || !scene_pkt_span(p, now, &ft, &fh))
			continue;
		ln = &sc->lanes[2 * p->link + p->dir];
		if (!ln->ok)
			continue;
		/* distance to the segment tail..head */
		px = (float)x - ln->x0;
		py = (float)y - ln->y0;
		tproj = (px * ln->ux + py * ln->uy) / ln->len;
		if (tproj < ft)
			tproj = ft;
		if (tproj > fh)
			tproj = fh;
		dx = (float)x - (ln->x0 + ln->ux * ln->len * tproj);
		dy = (float)y - (ln->y0 + ln->uy * ln->len * tproj);
		d2 = dx * dx + dy * dy;
		if (d2 < best) {
			best = d2;
			uid = p->uid;
		}
	}
	return uid;
}

long
scene_hit_event(const struct scene *sc, int x, int y)
{
	size_t k;

	if (!rect_has(sc->ev_box, (float)x, (float)y))
		return -1;
	for (k = 0; k < sc->ev_count; k++)
		if ((float)y >= sc->ev_y[k] && (float)y < sc->ev_y[k + 1])
			return (long)(sc->ev_first + k);
	return -1;
}

sim_time
scene_hit_timeline(const struct scene *sc, int x, int y)
{
	struct draw_rect r = sc->track;
	float f;

	r.y -= 30;
	/* down to the timeline's foot: the operations' bars seek too */
	r.h = sc->timeline.y + sc->timeline.h - r.y;
	r.x -= 6;
	r.w += 12;
	if (!rect_has(r, (float)x, (float)y))
		return -1;
	f = ((float)x - sc->track.x) / sc->track.w;
	if (f < 0)
		f = 0;
	if (f > 1)
		f = 1;
	return scan_x_to_time(sc->s, f);
}

int
scene_queue_bar(const struct scene *sc, uint32_t link, int dir, float xy[4])
{
	const struct lane *ln;
	float blen;

	if (link >= sc->s->nlinks || dir < 0 || dir > 1)
		return -1;
	ln = &sc->lanes[2 * link + (size_t)dir];
	if (!ln->ok)
		return -1;
	blen = fminf(44, ln->len * 0.4f);
	xy[0] = ln->x0 + ln->nx * QBAR_OFF;
	xy[1] = ln->y0 + ln->ny * QBAR_OFF;
	xy[2] = xy[0] + ln->ux * blen;
	xy[3] = xy[1] + ln->uy * blen;
	return 0;
}

int
scene_queue_box(const struct scene *sc, uint32_t link, int dir,
    struct draw_rect *r)
{
	const struct lane *ln;
	float xy[4], x0, y0, x1, y1, tx, ty;

	if (scene_queue_bar(sc, link, dir, xy) < 0)
		return -1;
	ln = &sc->lanes[2 * link + (size_t)dir];
	/* the count, centred beyond the bar's end */
	tx = xy[2] + ln->ux * QCOUNT_OFF;
	ty = xy[3] + ln->uy * QCOUNT_OFF;
	x0 = fminf(fminf(xy[0], xy[2]), tx - 14) - QBAR_W / 2;
	y0 = fminf(fminf(xy[1], xy[3]), ty - 8) - QBAR_W / 2;
	x1 = fmaxf(fmaxf(xy[0], xy[2]), tx + 14) + QBAR_W / 2;
	y1 = fmaxf(fmaxf(xy[1], xy[3]), ty + 8) + QBAR_W / 2;
	*r = (struct draw_rect){ x0, y0, x1 - x0, y1 - y0 };
	return 0;
}

float
scene_queue_fill(const struct scene *sc, const struct replay *rp,
    uint32_t link, int dir)
{
	const struct replay_dir *q;
	const struct scan_link *l;
	float fill;

	if (link >= sc->s->nlinks || link >= rp->nlinks || dir < 0 || dir > 1)
		return 0;
	q = &rp->links[link].d[dir];
	l = &sc->s->links[link];
	if (q->qpkts == 0)
		return 0;
	if (l->qlimit_bytes > 0)
		fill = (float)q->qbytes / (float)l->qlimit_bytes;
	else if (l->qlimit_pkts > 0)
		fill = (float)q->qpkts / (float)l->qlimit_pkts;
	else
		fill = log10f(1 + (float)q->qpkts) / 3;
	return fminf(1, fmaxf(0.04f, fill));
}

/*
 * Whether a drop on a link happened at its egress queue, not on the wire:
 * a full queue, an AQM (RED's early drop, CoDel's head drop) or a policer.
 * None of these packets got on the wire, so the lane has no place for them.
 */
static bool
drop_at_queue(uint8_t reason)
{
	return reason == DROP_QUEUE_FULL || reason == DROP_AQM ||
	    reason == DROP_POLICER;
}

/*
 * Where a drop is marked: on its lane where the packet's head was, for a
 * packet dropped on the wire; just past the tail of the queue bar for one
 * dropped at the queue (drop_at_queue); at the node's corner for a drop in
 * the node.
 */
void
scene_drop_place(const struct scene *sc, const struct replay *rp,
    const struct replay_drop *dr, float *x, float *y)
{
	size_t i;

	if (dr->link < sc->s->nlinks && dr->dir <= 1 &&
	    sc->lanes[2 * dr->link + dr->dir].ok) {
		const struct lane *ln = &sc->lanes[2 * dr->link + dr->dir];
		float f = 0, xy[4];

		if (drop_at_queue(dr->reason) &&
		    scene_queue_bar(sc, dr->link, dr->dir, xy) == 0) {
			*x = xy[2] + ln->ux * QDROP_OFF;
			*y = xy[3] + ln->uy * QDROP_OFF;
			return;
		}
		for (i = 0; i < rp->npkts; i++) {
			const struct replay_pkt *p = &rp->pkts[i];
			float ft, fh;

			if (p->uid == dr->uid && p->link == dr->link &&
			    p->dropped && p->gone == dr->t) {
				if (scene_pkt_span(p, dr->t - 1, &ft, &fh))
					f = fh;
				break;
			}
		}
		*x = ln->x0 + ln->ux * ln->len * f;
		*y = ln->y0 + ln->uy * ln->len * f;
		return;
	}
	if (dr->node < sc->s->nnodes) {
		*x = sc->nx[dr->node] + sc->tile / 2;
		*y = sc->ny[dr->node] - sc->tile / 2;
		return;
	}
	*x = *y = -100;
}

void
scene_legend_rect(const struct scene *sc, struct draw_rect *r)
{
	*r = sc->legend;
}

const struct scene_label *
scene_labels(const struct scene *sc, size_t *n)
{
	*n = sc->nlabels;
	return sc->labels;
}
