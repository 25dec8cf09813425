/*
 * canvas.c - the topology canvas: region backdrops, links coloured by
 * utilisation with their labels, queue bars, sessions, packets, drops and
 * node tiles with their provisioning badges.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "decode.h"
#include "provview.h"
#include "scene_int.h"
#include "util.h"

/* --- icons (white, centred on cx, cy, scale s = tile / 46) --- */

static void
icon_monitor(struct draw *d, float cx, float cy, float s, struct draw_color c)
{
	struct draw_rect r = { cx - 12 * s, cy - 10 * s, 24 * s, 16 * s };

	draw_round_rect_outline(d, r, 2.5f * s, 2.2f * s, c);
	draw_line(d, cx, cy + 6 * s, cx, cy + 10 * s, 2.2f * s, c);
	draw_line(d, cx - 6 * s, cy + 11 * s, cx + 6 * s, cy + 11 * s,
	    2.2f * s, c);
}

static void
arrow(struct draw *d, float x0, float y0, float x1, float y1, float w,
    struct draw_color c)
{
	float dx = x1 - x0, dy = y1 - y0, l = sqrtf(dx * dx + dy * dy);
	float ux, uy, hl = 3.8f * w;
	float tri_xy[6];

	if (l < 1)
		return;
	ux = dx / l;
	uy = dy / l;
	draw_line(d, x0, y0, x1 - ux * hl * 0.6f, y1 - uy * hl * 0.6f, w, c);
	tri_xy[0] = x1;
	tri_xy[1] = y1;
	tri_xy[2] = x1 - ux * hl - uy * hl * 0.6f;
	tri_xy[3] = y1 - uy * hl + ux * hl * 0.6f;
	tri_xy[4] = x1 - ux * hl + uy * hl * 0.6f;
	tri_xy[5] = y1 - uy * hl - ux * hl * 0.6f;
	draw_poly(d, tri_xy, 3, c);
}

static void
icon_router(struct draw *d, float cx, float cy, float s, struct draw_color c)
{
	draw_ring(d, cx, cy, 13 * s, 2.2f * s, c);
	arrow(d, cx - 8 * s, cy - 3.5f * s, cx + 8 * s, cy - 3.5f * s, 2 * s,
	    c);
	arrow(d, cx + 8 * s, cy + 3.5f * s, cx - 8 * s, cy + 3.5f * s, 2 * s,
	    c);
}

static void
icon_gateway(struct draw *d, float cx, float cy, float s, struct draw_color c)
{
	float xy[8] = { cx, cy - 14 * s, cx + 14 * s, cy, cx, cy + 14 * s,
		cx - 14 * s, cy };
	size_t i;

	for (i = 0; i < 4; i++)
		draw_line(d, xy[2 * i], xy[2 * i + 1], xy[(2 * i + 2) % 8],
		    xy[(2 * i + 3) % 8], 2.2f * s, c);
	arrow(d, cx - 7 * s, cy, cx + 8 * s, cy, 2 * s, c);
}

static void
icon_lock(struct draw *d, float cx, float cy, float s, struct draw_color c)
{
	struct draw_rect r = { cx - 10 * s, cy - 2 * s, 20 * s, 14 * s };
	float xy[2 * 9];
	int i;

	draw_round_rect(d, r, 2.5f * s, c);
	for (i = 0; i < 9; i++) {
		float a = (float)M_PI * (1 + (float)i / 8);

		xy[2 * i] = cx + 6.5f * s * cosf(a);
		xy[2 * i + 1] = cy - 2 * s + 8 * s * sinf(a);
	}
	draw_polyline(d, xy, 9, 2.4f * s, c);
}

static void
icon_hub(struct draw *d, float cx, float cy, float s, struct draw_color c)
{
	static const float dirs[4][2] = { { 0, -1 }, { 1, 0 }, { 0, 1 },
		{ -1, 0 } };
	int i;

	draw_circle(d, cx, cy, 4.5f * s, c);
	for (i = 0; i < 4; i++) {
		float x = cx + dirs[i][0] * 12 * s, y = cy + dirs[i][1] * 12 * s;

		draw_line(d, cx, cy, x, y, 2 * s, c);
		draw_circle(d, x, y, 3.2f * s, c);
	}
}

static void
icon_globe(struct draw *d, float cx, float cy, float s, struct draw_color c)
{
	float xy[2 * 17];
	int i;

	draw_ring(d, cx, cy, 13 * s, 2 * s, c);
	for (i = 0; i < 17; i++) {
		float a = (float)M_PI * ((float)i / 16 - 0.5f);

		xy[2 * i] = cx + 5.5f * s * cosf(a);
		xy[2 * i + 1] = cy + 13 * s * sinf(a);
	}
	draw_polyline(d, xy, 17, 1.8f * s, c);
	draw_line(d, cx - 13 * s, cy, cx + 13 * s, cy, 1.8f * s, c);
}

static void
icon_core(struct draw *d, float cx, float cy, float s, struct draw_color c)
{
	float xy[12];
	int i;

	for (i = 0; i < 6; i++) {
		float a = (float)M_PI / 3 * (float)i;

		xy[2 * i] = cx + 13 * s * cosf(a);
		xy[2 * i + 1] = cy + 13 * s * sinf(a);
	}
	for (i = 0; i < 6; i++)
		draw_line(d, xy[2 * i], xy[2 * i + 1], xy[(2 * i + 2) % 12],
		    xy[(2 * i + 3) % 12], 2.2f * s, c);
	draw_circle(d, cx, cy, 4 * s, c);
}

static void
draw_icon(struct draw *d, const char *role, float cx, float cy, float s)
{
	struct draw_color c = draw_alpha(rgb(0xffffff), 240);

	if (role == NULL)
		role = "";
	if (strcmp(role, "azure-vm") == 0 || strcmp(role, "oci-instance") ==
	    0 || strcmp(role, "host") == 0)
		icon_monitor(d, cx, cy, s, c);
	else if (strcmp(role, "azure-er-gateway") == 0)
		icon_gateway(d, cx, cy, s, c);
	else if (strcmp(role, "azure-vpn-gateway") == 0)
		icon_lock(d, cx, cy, s, c);
	else if (strcmp(role, "oci-drg") == 0)
		icon_hub(d, cx, cy, s, c);
	else if (strcmp(role, "internet") == 0)
		icon_globe(d, cx, cy, s, c);
	else if (strcmp(role, "provider-core") == 0)
		icon_core(d, cx, cy, s, c);
	else
		icon_router(d, cx, cy, s, c);
}

/* --- the canvas --- */

void
canvas_groups(struct scene *sc, struct draw *d)
{
	static const uint32_t gcol[LG_MAX] = { C_AZURE, C_PEERING, C_ORACLE,
		C_INTERNET };
	float z = sc->v.zoom > 0 ? sc->v.zoom : 1;
	float cx = sc->canvas.x + sc->canvas.w / 2;
	float cy = sc->canvas.y + sc->canvas.h / 2;
	struct draw_rect r[LG_MAX];
	float nx0[LG_MAX], nx1[LG_MAX], ty;
	int g, k;

	memset(sc->group_title, 0, sizeof(sc->group_title));
	for (g = 0; g < LG_MAX; g++) {
		const struct layout_group *lg = &sc->lay.groups[g];
		float x0, x1, y0, y1, t = sc->tile;

		if (!lg->present)
			continue;
		x0 = sc->map_x + lg->x0 * sc->map_w;
		x1 = sc->map_x + lg->x1 * sc->map_w;
		y0 = sc->map_y + lg->y0 * sc->map_h;
		y1 = sc->map_y + lg->y1 * sc->map_h;
		nx0[g] = cx + (x0 - cx) * z + sc->v.pan_x;
		nx1[g] = cx + (x1 - cx) * z + sc->v.pan_x;
		/* the margin beside the nodes, less where the canvas ends */
		x0 = nx0[g] - t / 2 - fmaxf(10, fminf(52, nx0[g] - t / 2 -
		    sc->canvas.x - 6));
		x1 = nx1[g] + t / 2 + fmaxf(10, fminf(52, sc->canvas.x +
		    sc->canvas.w - 6 - nx1[g] - t / 2));
		y0 = cy + (y0 - cy) * z + sc->v.pan_y - t / 2 - 40;
		y1 = cy + (y1 - cy) * z + sc->v.pan_y + t / 2 + 66;
		/* down past its nodes' badges, the foot title below them */
		for (k = 0; k < (int)sc->s->nnodes; k++)
			if (sc->lay.group[k] == g && sc->s->nodes[k].present)
				y1 = fmaxf(y1, sc->node_box[k].y +
				    sc->node_box[k].h + (g == LG_PEERING ? 32 :
				    10));
		r[g] = (struct draw_rect){ x0, y0, x1 - x0, y1 - y0 };
	}
	/* neighbouring regions meet half way between their nodes */
	for (g = 0; g < LG_MAX; g++) {
		for (k = 0; k < LG_MAX; k++) {
			float mid;

			if (g == k || !sc->lay.groups[g].present ||
			    !sc->lay.groups[k].present || nx1[g] >= nx0[k] ||
			    r[g].x + r[g].w <= r[k].x - 10 ||
			    r[g].y >= r[k].y + r[k].h || r[k].y >= r[g].y +
			    r[g].h)
				continue;
			mid = (nx1[g] + nx0[k]) / 2;
			r[g].w = mid - 6 - r[g].x;
			r[k].w -= mid + 6 - r[k].x;
			r[k].x = mid + 6;
		}
	}
	for (g = 0; g < LG_MAX; g++) {
		/* the internet is no region: its globe needs no backdrop */
		if (!sc->lay.groups[g].present || g == LG_INTERNET)
			continue;
		/* the tint pre-mixed over the canvas: an opaque fill is cheap */
		draw_round_rect(d, r[g], 14, mix(C_CANVAS, gcol[g], 0.086f));
		draw_round_rect_outline(d, r[g], 14, 1.2f, rgba(gcol[g], 110));
		/*
		 * The title at the top, but at the foot of a peering location
		 * that sits below the clouds (the valley): links come into its
		 * top corners from the clouds' gateways.
		 */
		ty = r[g].y;
		if (g == LG_PEERING && ((sc->lay.groups[LG_AZURE].present &&
		    sc->lay.groups[LG_AZURE].y0 < sc->lay.groups[g].y0) ||
		    (sc->lay.groups[LG_OCI].present &&
		    sc->lay.groups[LG_OCI].y0 < sc->lay.groups[g].y0)))
			ty = r[g].y + r[g].h - 28;
		draw_circle(d, r[g].x + 16, ty + 15, 4, rgb(gcol[g]));
		sc->group_title[g] = (struct draw_rect){ r[g].x + 8, ty + 4,
			fminf(r[g].w - 16, 26 + (float)draw_text_width(d, DF_BOLD,
			sc->lay.groups[g].title)), 20 };
		draw_text_fit(d, DF_BOLD, r[g].x + 26, ty + 7, r[g].w - 34,
		    mix(gcol[g], 0xffffff, 0.55f), sc->lay.groups[g].title);
	}
}

void
canvas_util(struct scene *sc, const struct replay *rp, sim_time now)
{
	sim_time w = rp->keep_sent > 0 ? rp->keep_sent : 1, from = now - w;
	size_t i;

	memset(sc->util, 0, 2 * sc->s->nlinks * sizeof(float));
	for (i = 0; i < rp->npkts; i++) {
		const struct replay_pkt *p = &rp->pkts[i];
		sim_time a = p->t > from ? p->t : from;
		sim_time b = p->tx_end < now ? p->tx_end : now;

		if (p->link >= sc->s->nlinks || b <= a)
			continue;
		sc->util[2 * p->link + p->dir] += (float)((double)(b - a) /
		    (double)w);
	}
}

void
canvas_links(struct scene *sc, struct draw *d, const struct replay *rp)
{
	const struct scan *s = sc->s;
	size_t i;
	int dir;

	for (i = 0; i < s->nlinks; i++) {
		const struct lane *a = &sc->lanes[2 * i], *b = &sc->lanes[2 * i +
		    1];
		bool up = i < rp->nlinks ? rp->links[i].up : true;

		if (!a->ok)
			continue;
		if (!up) {
			/* both lanes, dashed in the down colour */
			draw_dashed_line(d, a->x0, a->y0, a->x1, a->y1, 3, 7, 5,
			    rgb(STYLE_DOWN_RGB));
			draw_dashed_line(d, b->x1, b->y1, b->x0, b->y0, 3, 7, 5,
			    rgb(STYLE_DOWN_RGB));
		} else {
			for (dir = 0; dir < 2; dir++) {
				const struct lane *ln = dir ? b : a;
				float u = sc->util[2 * i + (size_t)dir];

				/* busy: wider than a packet, so its colour
				 * still shows when packets fill the lane */
				draw_line(d, ln->x0, ln->y0, ln->x1, ln->y1,
				    u > 0.002f ? BUSY_W : 2.4f,
				    rgb(style_util_rgb(u)));
			}
		}
	}
}

/* "DOWN" over each down link, on top of everything on the canvas. */
void
canvas_down_pills(struct scene *sc, struct draw *d, const struct replay *rp)
{
	size_t i;

	(void)rp;
	for (i = 0; i < sc->s->nlinks; i++) {
		struct draw_rect pill = sc->pill[i];

		if (pill.w <= 0)
			continue;
		draw_round_rect(d, pill, 8, rgb(STYLE_DOWN_RGB));
		draw_text(d, DF_SMALL, pill.x + 6, pill.y + 1, rgb(0xffffff),
		    "DOWN");
	}
}

/*
 * The queue a lane shows: a shaper or policer declared on it (queue_def) by
 * its id, else the link direction's own (ENQUEUE/TX/DROP occupancy). In
 * xcsim a link direction's discipline is its transmit queue, so the two are
 * one queue: a lane gets one bar, fed by the queue id when there is one.
 * lq (NULL when no such queue exists) maps lane 2 * link + dir to the
 * queue id, UINT32_MAX for none.
 */
static uint32_t *
lane_queues(const struct scan *s)
{
	uint32_t *lq = NULL;
	size_t i;

	for (i = 0; i < s->nqueues; i++) {
		const struct scan_queue *q = &s->queues[i];

		if (!q->present || q->link >= s->nlinks || q->dir > 1 ||
		    q->kind == NULL || strcmp(q->kind, "droptail") == 0)
			continue;
		if (lq == NULL) {
			lq = xmalloc(2 * s->nlinks * sizeof(*lq));
			memset(lq, 0xff, 2 * s->nlinks * sizeof(*lq));
		}
		lq[2 * q->link + q->dir] = (uint32_t)i;
	}
	return lq;
}

/* A queue's share of its link's limits, as scene_queue_fill does. */
static float
qdisc_fill(const struct scan_link *l, uint32_t pkts, uint64_t bytes)
{
	float fill;

	if (pkts == 0)
		return 0;
	if (l->qlimit_bytes > 0)
		fill = (float)bytes / (float)l->qlimit_bytes;
	else if (l->qlimit_pkts > 0)
		fill = (float)pkts / (float)l->qlimit_pkts;
	else
		fill = log10f(1 + (float)pkts) / 3;
	return fminf(1, fmaxf(0.04f, fill));
}

int
canvas_qdisc_tag(struct scene *sc, struct draw *d, uint32_t link, int dir,
    const char *text, struct draw_rect *r)
{
	const struct lane *ln;
	struct draw_rect c;
	float xy[4], w, h = 15, side, cx, cy, sgn, best = INFINITY, cost, off;
	int k, e;

	if (scene_queue_bar(sc, link, dir, xy) < 0)
		return -1;
	ln = &sc->lanes[2 * link + (size_t)dir];
	w = (float)draw_text_width(d, DF_SMALL, text) + 12;
	/* how far the tag reaches across the lane from its centre */
	side = fabsf(ln->nx) * w / 2 + fabsf(ln->ny) * h / 2;
	/*
	 * Beside the bar, away from the lanes; failing that, half a bar
	 * further along the lane at a time (up to three and a half); then
	 * the same across the link, then each side once more further out:
	 * the first that keeps off every node's tile and words and every
	 * pill and tag placed before it, else the one covering least
	 * (canvas_cost).
	 */
	for (e = 0; e < 4; e++)
		for (k = 0; k < 8; k++) {
			/* this side, the other, then each again further out */
			sgn = e % 2 == 0 ? 1 : -1;
			off = QBAR_W / 2 + 4 + side + (e % 2 == 0 ? 0 : 2 *
			    LANE_OFF) + (float)(e / 2) * (2 * side + 4);
			/* along the lane in half bar lengths */
			cx = (xy[0] + xy[2]) / 2 + sgn * ln->nx * off +
			    (xy[2] - xy[0]) * (float)k / 2;
			cy = (xy[1] + xy[3]) / 2 + sgn * ln->ny * off +
			    (xy[3] - xy[1]) * (float)k / 2;
			c = (struct draw_rect){ roundf(cx - w / 2),
				roundf(cy - h / 2), w, h };
			cost = canvas_cost(sc, c);
			if (cost < best || (e == 0 && k == 0)) {
				best = cost;
				*r = c;
			}
			if (cost == 0)
				return 0;
		}
	return 0;
}

/*
 * The tag naming a shaper's or policer's queue, with what it holds; kept
 * for the labels to avoid.
 */
static void
qdisc_tag(struct scene *sc, struct draw *d, uint32_t link, int dir,
    uint32_t queue, uint32_t pkts)
{
	const char *kind = sc->s->queues[queue].kind;
	struct draw_rect r;
	char text[64];

	if (pkts > 0)
		snprintf(text, sizeof(text), "%s \xc2\xb7 %u", kind, pkts);
	else
		snprintf(text, sizeof(text), "%s", kind);
	if (canvas_qdisc_tag(sc, d, link, dir, text, &r) < 0)
		return;
	draw_round_rect(d, r, 7.5f, rgb(C_PANEL));
	draw_round_rect_outline(d, r, 7.5f, 1.2f, rgb(C_QDISC));
	draw_text(d, DF_SMALL, r.x + 6, r.y, mix(C_QDISC, 0xffffff, 0.4f),
	    text);
	if (sc->nqtags < MAX_QTAGS)
		sc->qtags[sc->nqtags++] = (struct qtag){ r, queue };
}

size_t
scene_qdisc_tags(const struct scene *sc, struct draw_rect *r,
    uint32_t *queue, size_t max)
{
	size_t i;

	for (i = 0; i < sc->nqtags && i < max; i++) {
		r[i] = sc->qtags[i].r;
		queue[i] = sc->qtags[i].queue;
	}
	return i;
}

/*
 * Queue bars beside the sender's end of each lane, filled to the queue's
 * share of its limit, with its count; a shaper's or policer's has a tag
 * with its kind and count instead.
 * They are painted over the drop marks: a full queue is exactly when drops
 * flash at its tail, and the bar must stay visible.
 */
void
canvas_queues(struct scene *sc, struct draw *d, const struct replay *rp)
{
	const struct scan *s = sc->s;
	uint32_t *lq = lane_queues(s);
	size_t i;
	int dir;
	char lab[32];

	sc->nqtags = 0;
	for (i = 0; i < s->nlinks && i < rp->nlinks; i++) {
		for (dir = 0; dir < 2; dir++) {
			const struct lane *ln = &sc->lanes[2 * i + (size_t)dir];
			uint32_t id = lq ? lq[2 * i + (size_t)dir] : UINT32_MAX;
			uint32_t pkts = rp->links[i].d[dir].qpkts;
			float fill, xy[4];

			if (id != UINT32_MAX) {
				const struct replay_queue *q = id <
				    rp->nqueues ? &rp->queues[id] : NULL;

				pkts = q != NULL ? q->pkts : 0;
				fill = qdisc_fill(&s->links[i], pkts,
				    q != NULL ? q->bytes : 0);
				qdisc_tag(sc, d, (uint32_t)i, dir, id, pkts);
			} else
				fill = scene_queue_fill(sc, rp, (uint32_t)i,
				    dir);
			if (fill <= 0 || scene_queue_bar(sc, (uint32_t)i, dir,
			    xy) < 0)
				continue;
			draw_line(d, xy[0], xy[1], xy[2], xy[3], QBAR_W,
			    rgba(0x000000, 150));
			draw_line(d, xy[0], xy[1], xy[0] + (xy[2] - xy[0]) *
			    fill, xy[1] + (xy[3] - xy[1]) * fill, QBAR_W,
			    fill > 0.8f ? rgb(C_BAD) : rgb(C_WARN));
			if (id != UINT32_MAX)
				continue;	/* the tag has the count */
			snprintf(lab, sizeof(lab), "%u", pkts);
			draw_text(d, DF_SMALL, xy[2] + ln->ux * QCOUNT_OFF -
			    (float)draw_text_width(d, DF_SMALL, lab) / 2,
			    xy[3] + ln->uy * QCOUNT_OFF - 7, rgb(C_WARN), lab);
		}
	}
	free(lq);
}

void
canvas_sessions(struct scene *sc, struct draw *d, const struct replay *rp)
{
	size_t i, j;
	char lab[64];

	for (i = 0; i < rp->nsess; i++) {
		const struct replay_session *a = &rp->sess[i];
		uint32_t peer = scan_find_node(sc->s, a->peer);
		int lvl = (int)style_state_level(a->state);
		float ax, ay, bx, by, mx, my, nx, ny, len, bend, xy[2 * 25];
		bool dup = false;
		uint32_t col, protos = 0;
		int k, rank = 0;

		if (peer == UINT32_MAX || a->node >= sc->s->nnodes ||
		    peer == a->node)
			continue;
		/* one arc per pair: the other end's state may be worse */
		for (j = 0; j < rp->nsess; j++) {
			const struct replay_session *b = &rp->sess[j];

			if (j < i && b->proto != a->proto && b->proto < 32 &&
			    ((b->node == a->node && scan_find_node(sc->s,
			    b->peer) == peer) || (b->node == peer &&
			    scan_find_node(sc->s, b->peer) == a->node)))
				protos |= 1u << b->proto;
			if (j == i || b->proto != a->proto ||
			    b->node != peer ||
			    scan_find_node(sc->s, b->peer) != a->node)
				continue;
			if (j < i)
				dup = true;
			if ((int)style_state_level(b->state) > lvl)
				lvl = (int)style_state_level(b->state);
		}
		if (dup)
			continue;
		col = lvl == SL_GOOD ? C_GOOD : lvl == SL_BAD ? C_BAD : C_WARN;
		ax = sc->nx[a->node];
		ay = sc->ny[a->node] - sc->tile / 2;
		bx = sc->nx[peer];
		by = sc->ny[peer] - sc->tile / 2;
		len = sqrtf((bx - ax) * (bx - ax) + (by - ay) * (by - ay));
		if (len < 1)
			continue;
		nx = (ay - by) / len;
		ny = (bx - ax) / len;
		if (ny > 0) {
			nx = -nx;
			ny = -ny;
		}
		/* sessions of other protocols between the same nodes (BGP
		 * and its BFD) get wider arcs, so their labels stay apart */
		for (k = 0; k < 32; k++)
			rank += (protos >> k) & 1u;
		bend = (0.18f * len + 18) * (1 + 0.45f * (float)rank);
		mx = (ax + bx) / 2 + nx * bend * 2;
		my = (ay + by) / 2 + ny * bend * 2;
		for (k = 0; k <= 24; k++) {
			float t = (float)k / 24, u = 1 - t;

			xy[2 * k] = u * u * ax + 2 * u * t * mx + t * t * bx;
			xy[2 * k + 1] = u * u * ay + 2 * u * t * my + t * t * by;
		}
		for (k = 0; k < 24; k += 2)
			draw_line(d, xy[2 * k], xy[2 * k + 1], xy[2 * k + 2],
			    xy[2 * k + 3], 2, rgba(col, 220));
		snprintf(lab, sizeof(lab), "%s %s", style_proto_name(a->proto),
		    a->state);
		{
			float tw = (float)draw_text_width(d, DF_SMALL, lab);
			struct draw_rect pill = canvas_place_on_curve(sc, xy,
			    25, tw + 14, 17);

			draw_round_rect(d, pill, 8.5f, rgb(C_PANEL));
			draw_round_rect_outline(d, pill, 8.5f, 1.2f,
			    rgb(col));
			draw_text(d, DF_SMALL, pill.x + 7, pill.y + 1,
			    mix(col, 0xffffff, 0.3f), lab);
		}
	}
}

void
canvas_packets(struct scene *sc, struct draw *d, const struct replay *rp,
    sim_time now)
{
	size_t i;
	float sel[8];
	bool have_sel = false;

	for (i = 0; i < rp->npkts; i++) {
		const struct replay_pkt *p = &rp->pkts[i];
		const struct lane *ln;
		float ft, fh, minf, q[8], hw = PKT_W / 2;
		float x0, y0, x1, y1;

		if (p->link >= sc->s->nlinks || !scene_pkt_span(p, now, &ft, &fh))
			continue;
		ln = &sc->lanes[2 * p->link + p->dir];
		if (!ln->ok)
			continue;
		/* at least a few pixels long, so a frame is visible */
		minf = 7.0f / ln->len;
		if (fh - ft < minf) {
			ft = fh - minf;
			if (ft < 0) {
				ft = 0;
				fh = minf > 1 ? 1 : minf;
			}
		}
		x0 = ln->x0 + ln->ux * ln->len * ft;
		y0 = ln->y0 + ln->uy * ln->len * ft;
		x1 = ln->x0 + ln->ux * ln->len * fh;
		y1 = ln->y0 + ln->uy * ln->len * fh;
		q[0] = x0 + ln->nx * hw; q[1] = y0 + ln->ny * hw;
		q[2] = x1 + ln->nx * hw; q[3] = y1 + ln->ny * hw;
		q[4] = x1 - ln->nx * hw; q[5] = y1 - ln->ny * hw;
		q[6] = x0 - ln->nx * hw; q[7] = y0 - ln->ny * hw;
		draw_quad(d, q, rgb(style_class_rgb(p->cls)));
		if (p->uid == sc->v.sel_pkt && sc->v.sel_pkt != 0) {
			memcpy(sel, q, sizeof(sel));
			have_sel = true;
		}
	}
	if (have_sel) {
		float cx = (sel[2] + sel[4]) / 2, cy = (sel[3] + sel[5]) / 2;

		draw_ring(d, cx, cy, 9, 2, rgb(C_SELECT));
	}
}

/* Drop marks: a cross in a ring that widens and fades as the drop ages. */
void
canvas_drops(struct scene *sc, struct draw *d, const struct replay *rp,
    sim_time now)
{
	size_t i;

	for (i = rp->ndrops; i-- > 0;) {
		const struct replay_drop *dr = &rp->drops[i];
		float x, y, age, a, r;
		uint8_t al;

		if (dr->t > now || now - dr->t > rp->keep_drop)
			continue;
		age = rp->keep_drop > 0 ? (float)((double)(now - dr->t) /
		    (double)rp->keep_drop) : 0;
		scene_drop_place(sc, rp, dr, &x, &y);
		a = 1 - age;
		al = (uint8_t)(255 * a);
		r = 5 + 12 * age;
		draw_ring(d, x, y, r, 2.2f, rgba(C_BAD, al));
		draw_circle(d, x, y, 5, rgba(C_BAD, (uint8_t)(120 + 135 * a)));
		draw_line(d, x - 2.5f, y - 2.5f, x + 2.5f, y + 2.5f, 1.6f,
		    rgba(0xffffff, al));
		draw_line(d, x - 2.5f, y + 2.5f, x + 2.5f, y - 2.5f, 1.6f,
		    rgba(0xffffff, al));
	}
}

/* a tile's badges: two resources, the rest in one line, so the tiles of a
 * busy region keep clear of each other */
#define TILE_BADGES 2
#define BADGE_W 160.0f

/*
 * How many of nb badges fit above the next tile below (in the same column,
 * within a badge's half width): the most telling first, none when not
 * even one fits (a crowded layout: the side panel still lists them); those
 * left out join the "+N more" line, drawn when *more_fits.
 */
static size_t
badges_room(const struct scene *sc, uint32_t i, float ly,
    const struct pv_badge *b, size_t nb, int *more, int *more_level,
    bool *more_fits)
{
	const struct scan *s = sc->s;
	float room = INFINITY;
	size_t j;

	for (j = 0; j < s->nnodes; j++)
		if (j != i && s->nodes[j].present &&
		    fabsf(sc->nx[j] - sc->nx[i]) < BADGE_W / 2 + 10 &&
		    sc->ny[j] > sc->ny[i])
			room = fminf(room, sc->ny[j] - sc->tile / 2 - 4 - ly);
	while (nb > 1 && 19.0f * (float)nb + 16.0f > room) {
		nb--;
		(*more)++;
		if (b[nb].level > *more_level)
			*more_level = b[nb].level;
	}
	if (nb == 1 && room < 19.0f) {
		nb = 0;
		(*more)++;
		if (b[0].level > *more_level)
			*more_level = b[0].level;
	}
	*more_fits = 19.0f * (float)nb + 16.0f <= room;
	return nb;
}

/*
 * Node i's name, role and badges under its tile, drawn when draw, and the
 * box they take (sc->node_box[i]): measured for every node before anything
 * is placed (canvas_prepare), so the pills, tags and labels keep off it,
 * then drawn by canvas_nodes over the links.
 */
void
canvas_node_text(struct scene *sc, struct draw *d, const struct replay *rp,
    size_t i, bool draw)
{
	const struct scan_node *nd = &sc->s->nodes[i];
	struct draw_rect r;
	float cx = sc->nx[i], ly, tw, maxw;
	struct pv_badge badges[PV_MAX_BADGES];
	int more = 0, more_level = SL_INFO;
	bool more_fits = true;
	size_t nb, k;

	scene_node_rect(sc, (uint32_t)i, &r);
	ly = r.y + r.h + 5;
	if (!sc->names) {
		/* too many nodes for their names: tiles alone */
		sc->node_box[i] = (struct draw_rect){ r.x, r.y + r.h,
			r.w, 0 };
		return;
	}
	tw = (float)draw_text_width(d, DF_BOLD, nd->name);
	if (draw)
		draw_text(d, DF_BOLD, cx - tw / 2, ly, rgb(C_TEXT), nd->name);
	maxw = tw;
	ly += 16;
	tw = (float)draw_text_width(d, DF_SMALL,
	    style_role_name(nd->role, false));
	if (draw)
		draw_text(d, DF_SMALL, cx - tw / 2, ly, rgb(C_MUTED),
		    style_role_name(nd->role, false));
	maxw = fmaxf(maxw, tw);
	ly += 17;
	/* provisioning badges: each resource's most telling state */
	nb = provview_badges(rp, (uint32_t)i, nd->name, badges,
	    TILE_BADGES, &more, &more_level);
	if (nb > 0)
		nb = badges_room(sc, (uint32_t)i, ly, badges, nb, &more,
		    &more_level, &more_fits);
	for (k = 0; k < nb; k++) {
		struct draw_rect pill;
		uint32_t pc;
		char *l2 = NULL;
		float h = 16;

		tw = (float)draw_text_width(d, DF_SMALL,
		    badges[k].text);
		/* too wide: the session's state on a second line */
		if (tw > BADGE_W &&
		    (l2 = strstr(badges[k].text, " \xc2\xb7 ")) != NULL) {
			*l2 = '\0';
			l2 += 4;
			tw = fmaxf((float)draw_text_width(d, DF_SMALL,
			    badges[k].text), (float)draw_text_width(d,
			    DF_SMALL, l2));
			h = 30;
		}
		tw = fminf(tw, BADGE_W);
		pc = style_level_rgb(badges[k].level);
		pill = (struct draw_rect){ cx - tw / 2 - 13, ly,
			tw + 20, h };
		/* a badge wider than its node stays on the canvas */
		pill.x = fmaxf(sc->canvas.x + 2, fminf(pill.x,
		    sc->canvas.x + sc->canvas.w - 2 - pill.w));
		if (draw) {
			draw_round_rect(d, pill, 8, rgba(pc, 45));
			draw_round_rect_outline(d, pill, 8, 1, rgba(pc, 160));
			draw_circle(d, pill.x + 8, pill.y + 8, 3, rgb(pc));
			draw_text_fit(d, DF_SMALL, pill.x + 14, pill.y + 1,
			    BADGE_W, mix(pc, 0xffffff, 0.45f),
			    badges[k].text);
		}
		if (draw && l2 != NULL)
			draw_text_fit(d, DF_SMALL, pill.x + 14,
			    pill.y + 15, BADGE_W, mix(pc, 0xffffff,
			    0.45f), l2);
		maxw = fmaxf(maxw, 2 * fmaxf(cx - pill.x,
		    pill.x + pill.w - cx));
		ly += h + 3;
	}
	if (more > 0 && more_fits) {
		char lab[48];

		/* the rest in one line, coloured by the worst */
		snprintf(lab, sizeof(lab), "+%d more%s", more,
		    more_level == SL_BAD ? " \xc2\xb7 failed" :
		    more_level == SL_WARN ? " \xc2\xb7 in progress" :
		    more_level == SL_GOOD ? " \xc2\xb7 settled" : "");
		tw = (float)draw_text_width(d, DF_SMALL, lab);
		if (draw)
			draw_text(d, DF_SMALL, cx - tw / 2, ly,
			    more_level == SL_INFO ? rgb(C_MUTED) :
			    mix(style_level_rgb(more_level), 0xffffff, 0.3f),
			    lab);
		maxw = fmaxf(maxw, tw);
		ly += 16;
	}
	/* what the labels must keep off */
	sc->node_box[i] = (struct draw_rect){ cx - maxw / 2 - 3,
		r.y + r.h, maxw + 6, ly - (r.y + r.h) };
}

void
canvas_nodes(struct scene *sc, struct draw *d, const struct replay *rp)
{
	const struct scan *s = sc->s;
	float ts = sc->tile / TILE;
	const struct replay_flow *fl = sc->v.flow_sel ?
	    replay_flow(rp, sc->v.sel_flow) : NULL;
	size_t i;

	for (i = 0; i < s->nnodes; i++) {
		const struct scan_node *nd = &s->nodes[i];
		struct draw_rect r, top;
		float cx = sc->nx[i], cy = sc->ny[i];
		uint32_t col;

		if (!nd->present)
			continue;
		col = style_role_rgb(nd->role);
		scene_node_rect(sc, (uint32_t)i, &r);
		if (sc->v.sel_node == i) {
			struct draw_rect o = { r.x - 5, r.y - 5, r.w + 10,
				r.h + 10 };

			draw_round_rect_outline(d, o, 14, 2.5f, rgb(C_SELECT));
		} else if (fl != NULL && fl->node == i) {
			/* the selected flow's end: a thinner, fainter ring,
			 * so it reads apart from a selected node */
			struct draw_rect o = { r.x - 5, r.y - 5, r.w + 10,
				r.h + 10 };

			draw_round_rect_outline(d, o, 14, 1.5f,
			    rgba(C_SELECT, 170));
		}
		/* a soft shadow, the tile, a lighter top half */
		draw_round_rect(d, (struct draw_rect){ r.x + 1, r.y + 3, r.w,
		    r.h }, 11 * ts, rgba(0x000000, 110));
		draw_round_rect(d, r, 11 * ts, rgb(col));
		top = r;
		top.h = r.h / 2;
		draw_round_rect(d, top, 11 * ts, rgba(0xffffff, 18));
		draw_round_rect_outline(d, r, 11 * ts, 1.2f,
		    mix(col, 0xffffff, 0.35f));
		if (r.w >= 16)
			draw_icon(d, nd->role, cx, cy, ts);
		canvas_node_text(sc, d, rp, i, true);
	}
}