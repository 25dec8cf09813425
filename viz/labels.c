/*
 * labels.c - the canvas's text labels, placed so none covers another.
 *
 * Link labels go first: the link's name over its rate and delay, beside the
 * link's middle (above it when it is level, on the side away from the
 * picture's centre when it slants), else a little either way along it or
 * on the other side, else the name alone, else nothing. Drop reasons go
 * next, around their mark. A label may cover no node tile, node name,
 * badges, queue bar in use, shaper or policer tag, "DOWN" pill, session
 * state pill, the legend or another label, and stays inside the canvas, so no label is ever cut
 * by the canvas's edge.
 * The placed labels are kept in the scene for the frame (scene_labels).
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "scene_int.h"
#include "util.h"

#define LINE_H 13.0f
#define MAX_MARKS 64

/* The drop marks on the canvas this frame, one per place. */
struct marks {
	float xy[2 * MAX_MARKS];
	size_t n;
};

/* The rectangle of a node's tile, and of its name, role and badges. */
static void
node_rects(const struct scene *sc, size_t i, struct draw_rect *tile,
    struct draw_rect *text)
{
	float t = sc->tile;

	*tile = (struct draw_rect){ sc->nx[i] - t / 2 - 4, sc->ny[i] - t / 2 - 4,
		t + 8, t + 8 };
	*text = sc->node_box[i];
}

static void
find_marks(const struct scene *sc, const struct replay *rp, sim_time now,
    struct marks *m)
{
	size_t i, k;

	m->n = 0;
	for (i = rp->ndrops; i-- > 0 && m->n < MAX_MARKS;) {
		const struct replay_drop *dr = &rp->drops[i];
		float x, y;

		if (dr->t > now || now - dr->t > rp->keep_drop)
			continue;
		scene_drop_place(sc, rp, dr, &x, &y);
		for (k = 0; k < m->n; k++)
			if (fabsf(m->xy[2 * k] - x) < 4 &&
			    fabsf(m->xy[2 * k + 1] - y) < 4)
				break;
		if (k == m->n) {
			m->xy[2 * m->n] = x;
			m->xy[2 * m->n + 1] = y;
			m->n++;
		}
	}
}

/* Whether r is off the canvas or covers something already there. */
static bool
collides(const struct scene *sc, const struct replay *rp,
    const struct marks *m, struct draw_rect r)
{
	struct draw_rect c = sc->canvas, o, o2;
	size_t i;
	int dir;

	c.h = sc->legend.y - c.y;
	if (r.x < c.x + 2 || r.y < c.y + 2 || r.x + r.w > c.x + c.w - 2 ||
	    r.y + r.h > c.y + c.h - 2)
		return true;
	for (i = 0; i < sc->s->nnodes; i++) {
		if (!sc->s->nodes[i].present)
			continue;
		node_rects(sc, i, &o, &o2);
		if (rects_overlap(r, o) || rects_overlap(r, o2))
			return true;
	}
	for (i = 0; i < sc->s->nlinks && i < rp->nlinks; i++) {
		if (sc->pill[i].w > 0 && rects_overlap(r, sc->pill[i]))
			return true;
		for (dir = 0; dir < 2; dir++)
			if (scene_queue_fill(sc, rp, (uint32_t)i, dir) > 0 &&
			    scene_queue_box(sc, (uint32_t)i, dir, &o) == 0 &&
			    rects_overlap(r, o))
				return true;
	}
	for (i = 0; i < m->n; i++)
		if (rects_overlap(r, (struct draw_rect){ m->xy[2 * i] - 9,
		    m->xy[2 * i + 1] - 9, 18, 18 }))
			return true;
	for (i = 0; i < LG_MAX; i++)
		if (sc->group_title[i].w > 0 &&
		    rects_overlap(r, sc->group_title[i]))
			return true;
	for (i = 0; i < sc->nqtags; i++)
		if (rects_overlap(r, sc->qtags[i].r))
			return true;
	for (i = 0; i < sc->nspills; i++)
		if (rects_overlap(r, sc->spill[i]))
			return true;
	for (i = 0; i < sc->nlabels; i++)
		if (rects_overlap(r, sc->labels[i].r))
			return true;
	return false;
}

/* Whether segment (x0, y0)-(x1, y1) passes through r (Liang-Barsky). */
static bool
seg_hits(float x0, float y0, float x1, float y1, struct draw_rect r)
{
	float dx = x1 - x0, dy = y1 - y0, t0 = 0, t1 = 1;
	float p[4] = { -dx, dx, -dy, dy };
	float q[4] = { x0 - r.x, r.x + r.w - x0, y0 - r.y, r.y + r.h - y0 };
	int i;

	for (i = 0; i < 4; i++) {
		if (p[i] == 0) {
			if (q[i] < 0)
				return false;
			continue;
		}
		if (p[i] < 0)
			t0 = fmaxf(t0, q[i] / p[i]);
		else
			t1 = fminf(t1, q[i] / p[i]);
		if (t0 > t1)
			return false;
	}
	return true;
}

/* Whether r lies across a link's lanes (a label there hides the link). */
static bool
on_link(const struct scene *sc, struct draw_rect r)
{
	size_t i;

	for (i = 0; i < 2 * sc->s->nlinks; i++)
		if (sc->lanes[i].ok && seg_hits(sc->lanes[i].x0,
		    sc->lanes[i].y0, sc->lanes[i].x1, sc->lanes[i].y1, r))
			return true;
	return false;
}

static void
keep(struct scene *sc, struct draw_rect r, enum scene_label_kind kind,
    uint32_t link, const char *l1, const char *l2)
{
	struct scene_label *lb;

	if (sc->nlabels >= MAX_LABELS)
		return;
	lb = &sc->labels[sc->nlabels++];
	lb->r = r;
	lb->kind = kind;
	lb->link = link;
	snprintf(lb->text, sizeof(lb->text), "%s%s%s", l1, l2[0] ? "\n" : "",
	    l2);
}

/*
 * The rect of a tw x th label beside point (px, py) of a link whose
 * normal, towards the label, is (ox, oy): its nearest side or corner at
 * the point.
 */
static struct draw_rect
beside(float px, float py, float ox, float oy, float tw, float th)
{
	struct draw_rect r = { px, py, tw, th };

	if (ox <= -0.35f)
		r.x = px - tw;
	else if (ox < 0.35f)
		r.x = px - tw / 2;
	if (oy <= -0.35f)
		r.y = py - th;
	else if (oy < 0.35f)
		r.y = py - th / 2;
	return r;
}

static bool
place_link(struct scene *sc, struct draw *d, const struct replay *rp,
    const struct marks *m, uint32_t i, const char *l1, const char *l2)
{
	static const float along[] = { 0.5f, 0.38f, 0.62f, 0.27f, 0.73f };
	const struct lane *a = &sc->lanes[2 * i];
	float tw = fmaxf((float)draw_text_width(d, DF_SMALL, l1),
	    (float)draw_text_width(d, DF_SMALL, l2));
	float th = l2[0] ? 2 * LINE_H + 2 : LINE_H + 1;
	float ox = a->nx, oy = a->ny, gap = LANE_OFF + 6;
	bool up = i < rp->nlinks ? rp->links[i].up : true;
	size_t k;
	int side;

	/* prefer above a level link, away from the centre on a slanted one */
	if (fabsf(a->uy) <= 0.3f) {
		if (oy > 0) {
			ox = -ox;
			oy = -oy;
		}
	} else if ((a->x0 + a->x1) / 2 * ox + (a->y0 + a->y1) / 2 * oy <
	    sc->mid_x * ox + sc->mid_y * oy) {
		ox = -ox;
		oy = -oy;
	}
	for (side = 0; side < 2; side++, ox = -ox, oy = -oy) {
		for (k = 0; k < sizeof(along) / sizeof(along[0]); k++) {
			float mx = a->x0 + (a->x1 - a->x0) * along[k];
			float my = a->y0 + (a->y1 - a->y0) * along[k];
			/* the far lane is on the other side of the axis */
			float g = gap + (ox * a->nx + oy * a->ny < 0 ? 2 *
			    LANE_OFF : 0);
			struct draw_rect r = beside(mx + ox * g, my + oy * g,
			    ox, oy, tw, th);

			if (collides(sc, rp, m, r) || on_link(sc, r))
				continue;
			keep(sc, r, SLK_LINK, i, l1, l2);
			draw_text(d, DF_SMALL, r.x + (tw - (float)
			    draw_text_width(d, DF_SMALL, l1)) / 2, r.y,
			    up ? rgb(C_MUTED) : rgb(STYLE_DOWN_RGB), l1);
			if (l2[0])
				draw_text(d, DF_SMALL, r.x + (tw - (float)
				    draw_text_width(d, DF_SMALL, l2)) / 2,
				    r.y + LINE_H + 1, rgb(C_SUBTLE), l2);
			return true;
		}
	}
	return false;
}

static void
link_labels(struct scene *sc, struct draw *d, const struct replay *rp,
    const struct marks *m)
{
	const struct scan *s = sc->s;
	char rate[32], dl[32], rate2[32], dl2[32], params[160];
	uint32_t i;

	for (i = 0; i < s->nlinks; i++) {
		const struct scan_link *l = &s->links[i];

		if (!l->present || !sc->lanes[2 * i].ok)
			continue;
		scene_fmt_rate(rate, sizeof(rate), l->rate_bps[0]);
		scene_fmt_dur(dl, sizeof(dl), l->delay[0]);
		scene_fmt_rate(rate2, sizeof(rate2), l->rate_bps[1]);
		scene_fmt_dur(dl2, sizeof(dl2), l->delay[1]);
		/* an asymmetric link says both ways */
		snprintf(params, sizeof(params), "%s%s%s \xc2\xb7 %s%s%s",
		    rate, strcmp(rate, rate2) ? " / " : "",
		    strcmp(rate, rate2) ? rate2 : "", dl,
		    strcmp(dl, dl2) ? " / " : "", strcmp(dl, dl2) ? dl2 : "");
		if (!place_link(sc, d, rp, m, i, l->name, params))
			place_link(sc, d, rp, m, i, l->name, "");
	}
}

static void
drop_labels(struct scene *sc, struct draw *d, const struct replay *rp,
    const struct marks *m, sim_time now)
{
	float done[2 * 32];
	size_t ndone = 0, i, k;

	/* newest first, so the newest drop at a place gets the label */
	for (i = rp->ndrops; i-- > 0 && ndone < 32;) {
		const struct replay_drop *dr = &rp->drops[i];
		const char *why = dr->reason < DROP_MAX ?
		    trace_drop_name[dr->reason] : "drop";
		float x, y, a, tw = (float)draw_text_width(d, DF_SMALL, why);
		float w = tw + 10, h = 16;
		bool dup = false;

		if (dr->t > now || now - dr->t > rp->keep_drop)
			continue;
		scene_drop_place(sc, rp, dr, &x, &y);
		for (k = 0; k < ndone; k++)
			if (fabsf(done[2 * k] - x) < 40 &&
			    fabsf(done[2 * k + 1] - y) < 14)
				dup = true;
		if (dup)
			continue;
		done[2 * ndone] = x;
		done[2 * ndone + 1] = y;
		ndone++;
		a = 1 - (rp->keep_drop > 0 ? (float)((double)(now - dr->t) /
		    (double)rp->keep_drop) : 0);
		{
			const struct draw_rect cand[] = {
				{ x + 9, y - 22, w, h }, { x + 9, y + 6, w, h },
				{ x - 9 - w, y - 22, w, h },
				{ x - 9 - w, y + 6, w, h },
				{ x - w / 2, y - 30, w, h },
				{ x - w / 2, y + 14, w, h },
				{ x + 14, y - h / 2, w, h },
				{ x - 14 - w, y - h / 2, w, h },
				{ x + 9, y - 40, w, h }, { x - 9 - w, y - 40, w, h },
				{ x + 9, y + 24, w, h }, { x - 9 - w, y + 24, w, h },
			};

			size_t nc = sizeof(cand) / sizeof(cand[0]), pass;

			/* off the links if it can be, else over one */
			for (pass = 0, k = nc; pass < 2 && k == nc; pass++)
				for (k = 0; k < nc; k++)
					if (!collides(sc, rp, m, cand[k]) &&
					    (pass == 1 || !on_link(sc, cand[k])))
						break;
			if (k < nc) {
				keep(sc, cand[k], SLK_DROP, dr->link, why, "");
				draw_round_rect(d, cand[k], 8, rgba(0x3d1214,
				    (uint8_t)(120 + 100 * a)));
				draw_text(d, DF_SMALL, cand[k].x + 5,
				    cand[k].y + 1, rgba(0xff7b72,
				    (uint8_t)(110 + 145 * a)), why);
			}
		}
	}
}

void
canvas_labels(struct scene *sc, struct draw *d, const struct replay *rp,
    sim_time now)
{
	struct marks m;

	sc->nlabels = 0;
	find_marks(sc, rp, now, &m);
	link_labels(sc, d, rp, &m);
	drop_labels(sc, d, rp, &m, now);
}
