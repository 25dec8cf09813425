/*
 * place.c - where the canvas's pills and tags go, so that none covers a
 * node's name, role or badges nor another pill or tag.
 *
 * Every node's text box (name, role, badges) is measured before anything
 * is placed (canvas_prepare), then the things placed each frame take their
 * spot in order, each keeping off everything placed before it: the DOWN
 * pills of down links (on the link, as near its middle as is clear), the
 * sessions' state pills (on their arc, as near its top as is clear), the
 * shaper and policer tags (canvas.c), the link labels and the drop reasons
 * (labels.c). Each tries its candidates in order of preference and takes
 * the first clear one; when none is, a DOWN pill is left out (the dashed
 * red link says it) and the others take the one that covers least (a tile
 * or a node's words weighing more than a pill), the first on a tie.
 */
#include <math.h>
#include <string.h>

#include "scene_int.h"

/* The area r and o share. */
static float
shared(struct draw_rect r, struct draw_rect o)
{
	float w = fminf(r.x + r.w, o.x + o.w) - fmaxf(r.x, o.x);
	float h = fminf(r.y + r.h, o.y + o.h) - fmaxf(r.y, o.y);

	return w > 0 && h > 0 ? w * h : 0;
}

float
canvas_cost(const struct scene *sc, struct draw_rect r)
{
	struct draw_rect c = sc->canvas, tile;
	float t = sc->tile, cost = 0;
	size_t i;

	c.h = sc->legend.y - c.y;
	if (r.x < c.x + 2 || r.y < c.y + 2 || r.x + r.w > c.x + c.w - 2 ||
	    r.y + r.h > c.y + c.h - 2)
		return INFINITY;
	/* covering a tile or a node's words is worse than covering a pill */
	for (i = 0; i < sc->s->nnodes; i++) {
		if (!sc->s->nodes[i].present)
			continue;
		tile = (struct draw_rect){ sc->nx[i] - t / 2 - 4,
			sc->ny[i] - t / 2 - 4, t + 8, t + 8 };
		cost += 4 * shared(r, tile) + 3 * shared(r, sc->node_box[i]);
	}
	for (i = 0; i < sc->s->nlinks; i++)
		if (sc->pill[i].w > 0)
			cost += 2 * shared(r, sc->pill[i]);
	for (i = 0; i < sc->nspills; i++)
		cost += 2 * shared(r, sc->spill[i]);
	for (i = 0; i < sc->nqtags; i++)
		cost += 2 * shared(r, sc->qtags[i].r);
	for (i = 0; i < LG_MAX; i++)
		if (sc->group_title[i].w > 0)
			cost += 3 * shared(r, sc->group_title[i]);
	return cost;
}

bool
canvas_clear(const struct scene *sc, struct draw_rect r)
{
	return canvas_cost(sc, r) == 0;
}

/* Fractions along a link or an arc, the middle first, then outwards. */
static const float along[] = { 0.5f, 0.44f, 0.56f, 0.38f, 0.62f, 0.32f,
	0.68f, 0.26f, 0.74f, 0.2f, 0.8f, 0.14f, 0.86f, 0.08f, 0.92f };
#define N_ALONG (sizeof(along) / sizeof(along[0]))
/* Offsets across a link, in pill half-widths and a margin: no further,
 * or a pill would read as another link's. */
static const float across[] = { 0, 1, -1 };
#define N_ACROSS (sizeof(across) / sizeof(across[0]))

/* The DOWN pill of each down link, on its axis. */
void
canvas_place_pills(struct scene *sc, struct draw *d, const struct replay *rp)
{
	float pw = (float)draw_text_width(d, DF_SMALL, "DOWN") + 12;
	size_t i, k;

	for (i = 0; i < sc->s->nlinks; i++) {
		const struct lane *a = &sc->lanes[2 * i], *b = &sc->lanes[2 * i +
		    1];
		float x0, y0, x1, y1, len, nx, ny;
		struct draw_rect c;
		size_t o;

		sc->pill[i] = (struct draw_rect){ 0, 0, 0, 0 };
		if (i >= rp->nlinks || !a->ok || rp->links[i].up)
			continue;
		/* the axis between the two lanes, from node[0]'s end */
		x0 = (a->x0 + b->x1) / 2;
		y0 = (a->y0 + b->y1) / 2;
		x1 = (a->x1 + b->x0) / 2;
		y1 = (a->y1 + b->y0) / 2;
		/* on the axis first, then just beside it (a short link
		 * between a node's words and the next tile) */
		len = sqrtf((x1 - x0) * (x1 - x0) + (y1 - y0) * (y1 - y0));
		nx = len > 0 ? -(y1 - y0) / len : 0;
		ny = len > 0 ? (x1 - x0) / len : 0;
		/* the dashed red link says it is down: a pill that would
		 * cover something is left out */
		for (o = 0; o < N_ACROSS; o++)
			for (k = 0; k < N_ALONG; k++) {
				float ox = across[o] * (pw / 2 + 10) * nx,
				    oy = across[o] * (pw / 2 + 10) * ny;

				c = (struct draw_rect){ roundf(x0 + (x1 - x0) *
					along[k] + ox - pw / 2), roundf(y0 +
					(y1 - y0) * along[k] + oy - 8), pw, 16 };
				if (canvas_clear(sc, c)) {
					sc->pill[i] = c;
					o = N_ACROSS;
					break;
				}
			}
	}
}

void
canvas_prepare(struct scene *sc, struct draw *d, const struct replay *rp)
{
	size_t i;

	for (i = 0; i < sc->s->nnodes; i++)
		if (sc->s->nodes[i].present)
			canvas_node_text(sc, d, rp, i, false);
		else
			sc->node_box[i] = (struct draw_rect){ 0, 0, 0, 0 };
	sc->nspills = 0;
	sc->nqtags = 0;
	for (i = 0; i < sc->s->nlinks; i++)
		sc->pill[i] = (struct draw_rect){ 0, 0, 0, 0 };
}

struct draw_rect
canvas_place_on_curve(struct scene *sc, const float *xy, size_t npts,
    float w, float h)
{
	/* on the curve, then a pill's height above or below it */
	static const float lift[] = { 0, -1.1f, 1.1f, -2.2f, 2.2f, -3.3f, 3.3f };
	struct draw_rect c = { 0, 0, w, h }, pick = c;
	float best = INFINITY, cost;
	size_t k, j, o;

	for (o = 0; o < sizeof(lift) / sizeof(lift[0]) && best > 0; o++)
		for (k = 0; k < N_ALONG && best > 0; k++) {
			j = (size_t)lroundf(along[k] * (float)(npts - 1));
			c.x = roundf(xy[2 * j] - w / 2);
			c.y = roundf(xy[2 * j + 1] - h / 2 + lift[o] * h);
			cost = canvas_cost(sc, c);
			if (cost < best || (o == 0 && k == 0)) {
				best = cost;
				pick = c;
			}
		}
	if (sc->nspills < MAX_SPILLS)
		sc->spill[sc->nspills++] = pick;
	return pick;
}

int
scene_placed(const struct scene *sc, size_t i, struct draw_rect *r,
    int *kind)
{
	size_t k;

	for (k = 0; k < sc->s->nlinks; k++)
		if (sc->pill[k].w > 0 && i-- == 0) {
			*r = sc->pill[k];
			*kind = 0;
			return 0;
		}
	if (i < sc->nspills) {
		*r = sc->spill[i];
		*kind = 1;
		return 0;
	}
	i -= sc->nspills;
	if (i < sc->nqtags) {
		*r = sc->qtags[i].r;
		*kind = 2;
		return 0;
	}
	return -1;
}

int
scene_node_text_rect(const struct scene *sc, uint32_t id,
    struct draw_rect *r)
{
	if (id >= sc->s->nnodes || !sc->s->nodes[id].present)
		return -1;
	*r = sc->node_box[id];
	return 0;
}
