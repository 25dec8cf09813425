/*
 * draw.c - SDL2 rendering: batched fringed triangles, cached text.
 *
 * Every frame is drawn on an ARGB surface: SDL's software renderer does
 * the clears, plain rects and text, and this module rasterises the shapes
 * itself (SDL's software triangles allocate a surface per blended triangle,
 * far too slow for thousands of packets). Shapes are queued as triangles and
 * rasterised in one go when something SDL draws must keep its place in the
 * drawing order. A window shows the surface through a streaming texture, so
 * a window and a headless PNG get the very same pixels. Text is drawn by
 * draw_text.c.
 */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <SDL.h>
#include <SDL_image.h>
#include <SDL_ttf.h>

#include "draw_int.h"
#include "util.h"

static struct draw *
draw_alloc(void)
{
	struct draw *d = xcalloc(1, sizeof(*d));

	d->cache = xcalloc(TEXT_CACHE, sizeof(*d->cache));
	return d;
}

/* (Re)make the frame surface and its renderer at w x h. */
static int
make_target(struct draw *d, int w, int h, char *err, size_t errlen)
{
	if (d->ren != NULL)
		SDL_DestroyRenderer(d->ren);
	if (d->surf != NULL)
		SDL_FreeSurface(d->surf);
	d->ren = NULL;
	d->surf = SDL_CreateRGBSurfaceWithFormat(0, w, h, 32,
	    SDL_PIXELFORMAT_ARGB8888);
	if (d->surf == NULL)
		return sim_err(err, errlen, "SDL surface: %s", SDL_GetError());
	d->ren = SDL_CreateSoftwareRenderer(d->surf);
	if (d->ren == NULL)
		return sim_err(err, errlen, "SDL software renderer: %s",
		    SDL_GetError());
	SDL_SetRenderDrawBlendMode(d->ren, SDL_BLENDMODE_BLEND);
	d->clip = (SDL_Rect){ 0, 0, w, h };
	if (d->wren != NULL) {
		if (d->wtex != NULL)
			SDL_DestroyTexture(d->wtex);
		d->wtex = SDL_CreateTexture(d->wren, SDL_PIXELFORMAT_ARGB8888,
		    SDL_TEXTUREACCESS_STREAMING, w, h);
		if (d->wtex == NULL)
			return sim_err(err, errlen, "SDL texture: %s",
			    SDL_GetError());
	}
	return 0;
}

struct draw *
draw_new_headless(int w, int h, char *err, size_t errlen)
{
	struct draw *d;

	if (w < 16 || h < 16 || w > 16384 || h > 16384) {
		sim_err(err, errlen, "bad frame size %dx%d", w, h);
		return NULL;
	}
	d = draw_alloc();
	/* no display: SDL's dummy driver and the software renderer */
	SDL_setenv("SDL_VIDEODRIVER", "dummy", 1);
	if (SDL_InitSubSystem(SDL_INIT_VIDEO) == 0)
		d->video_init = true;
	if (make_target(d, w, h, err, errlen) < 0)
		goto fail;
	if (draw_open_fonts(d, err, errlen) < 0)
		goto fail;
	return d;
fail:
	draw_free(d);
	return NULL;
}

struct draw *
draw_new_window(const char *title, int w, int h, char *err, size_t errlen)
{
	struct draw *d = draw_alloc();
	int ow, oh;

	if (SDL_InitSubSystem(SDL_INIT_VIDEO) < 0) {
		sim_err(err, errlen, "SDL video: %s", SDL_GetError());
		goto fail;
	}
	d->video_init = true;
	d->win = SDL_CreateWindow(title, SDL_WINDOWPOS_CENTERED,
	    SDL_WINDOWPOS_CENTERED, w, h, SDL_WINDOW_RESIZABLE);
	if (d->win == NULL) {
		sim_err(err, errlen, "SDL window: %s", SDL_GetError());
		goto fail;
	}
	SDL_SetWindowMinimumSize(d->win, 640, 400);
	d->wren = SDL_CreateRenderer(d->win, -1,
	    SDL_RENDERER_ACCELERATED | SDL_RENDERER_PRESENTVSYNC);
	if (d->wren == NULL)
		d->wren = SDL_CreateRenderer(d->win, -1, SDL_RENDERER_SOFTWARE);
	if (d->wren == NULL) {
		sim_err(err, errlen, "SDL renderer: %s", SDL_GetError());
		goto fail;
	}
	if (SDL_GetRendererOutputSize(d->wren, &ow, &oh) < 0) {
		ow = w;
		oh = h;
	}
	if (make_target(d, ow, oh, err, errlen) < 0)
		goto fail;
	if (draw_open_fonts(d, err, errlen) < 0)
		goto fail;
	return d;
fail:
	draw_free(d);
	return NULL;
}

void
draw_free(struct draw *d)
{
	if (d == NULL)
		return;
	if (d->cache != NULL)
		draw_cache_clear(d);
	free(d->cache);
	draw_close_fonts(d);
	if (d->ren != NULL)
		SDL_DestroyRenderer(d->ren);
	if (d->wtex != NULL)
		SDL_DestroyTexture(d->wtex);
	if (d->wren != NULL)
		SDL_DestroyRenderer(d->wren);
	if (d->win != NULL)
		SDL_DestroyWindow(d->win);
	if (d->surf != NULL)
		SDL_FreeSurface(d->surf);
	if (d->video_init)
		SDL_QuitSubSystem(SDL_INIT_VIDEO);
	free(d->vtx);
	free(d->idx);
	free(d);
}

void
draw_size(const struct draw *d, int *w, int *h)
{
	*w = d->surf->w;
	*h = d->surf->h;
}

static inline float
minf2(float a, float b)
{
	return a < b ? a : b;
}

static inline float
maxf2(float a, float b)
{
	return a > b ? a : b;
}

static inline void
blend_px(uint32_t *p, uint8_t r, uint8_t g, uint8_t b, uint8_t a)
{
	uint32_t v = *p, ia = 255u - a;
	uint32_t dr = (v >> 16) & 255, dg = (v >> 8) & 255, db = v & 255;

	/* x / 255 as (x + 1 + (x >> 8)) >> 8, exact for x < 65536 */
	dr = r * a + dr * ia + 128;
	dg = g * a + dg * ia + 128;
	db = b * a + db * ia + 128;
	dr = (dr + (dr >> 8)) >> 8;
	dg = (dg + (dg >> 8)) >> 8;
	db = (db + (db >> 8)) >> 8;
	*p = 0xff000000u | dr << 16 | dg << 8 | db;
}

/*
 * Scanline rasterisation of one triangle, pixel centres, half-open in x and
 * y so that triangles sharing an edge never cover a pixel twice. Colours
 * are interpolated when the corners differ (the fringes), else filled flat.
 */
static void
raster_tri(struct draw *d, const SDL_Vertex *a, const SDL_Vertex *b,
    const SDL_Vertex *c)
{
	const SDL_Vertex *v[3] = { a, b, c };
	float area = (b->position.x - a->position.x) * (c->position.y -
	    a->position.y) - (b->position.y - a->position.y) *
	    (c->position.x - a->position.x);
	float ymin = minf2(a->position.y, minf2(b->position.y, c->position.y));
	float ymax = maxf2(a->position.y, maxf2(b->position.y, c->position.y));
	bool flat = memcmp(&a->color, &b->color, sizeof(a->color)) == 0 &&
	    memcmp(&a->color, &c->color, sizeof(a->color)) == 0;
	int y, y0, y1, k, cx0 = d->clip.x, cx1 = d->clip.x + d->clip.w - 1;
	float ey0[3], ey1[3], eslope[3], ex0[3];
	uint32_t flatpx = 0xff000000u | (uint32_t)a->color.r << 16 |
	    (uint32_t)a->color.g << 8 | a->color.b;

	if (fabsf(area) < 1e-4f || (flat && a->color.a == 0))
		return;
	y0 = (int)ceilf(ymin - 0.5f);
	y1 = (int)ceilf(ymax - 0.5f) - 1;
	if (y0 < d->clip.y)
		y0 = d->clip.y;
	if (y1 > d->clip.y + d->clip.h - 1)
		y1 = d->clip.y + d->clip.h - 1;
	/* per edge: its y span and x as a function of y */
	for (k = 0; k < 3; k++) {
		const SDL_FPoint *p = &v[k]->position;
		const SDL_FPoint *q = &v[(k + 1) % 3]->position;

		ey0[k] = minf2(p->y, q->y);
		ey1[k] = maxf2(p->y, q->y);
		eslope[k] = ey1[k] > ey0[k] ? (q->x - p->x) / (q->y - p->y) : 0;
		ex0[k] = p->x - p->y * eslope[k];
	}
	for (y = y0; y <= y1; y++) {
		float yc = (float)y + 0.5f, xl = 1e30f, xr = -1e30f;
		uint32_t *row;
		int x, xs, xe;

		for (k = 0; k < 3; k++) {
			float ex;

			if (yc < ey0[k] || yc >= ey1[k])
				continue;
			ex = ex0[k] + yc * eslope[k];
			xl = minf2(xl, ex);
			xr = maxf2(xr, ex);
		}
		if (xr < xl)
			continue;
		xs = (int)ceilf(xl - 0.5f);
		xe = (int)ceilf(xr - 0.5f) - 1;
		if (xs < cx0)
			xs = cx0;
		if (xe > cx1)
			xe = cx1;
		if (xs > xe)
			continue;
		row = (uint32_t *)((uint8_t *)d->surf->pixels +
		    (size_t)y * (size_t)d->surf->pitch);
		if (flat && a->color.a == 255) {
			for (x = xs; x <= xe; x++)
				row[x] = flatpx;
			continue;
		}
		if (flat) {
			for (x = xs; x <= xe; x++)
				blend_px(&row[x], a->color.r, a->color.g,
				    a->color.b, a->color.a);
			continue;
		}
		for (x = xs; x <= xe; x++) {
			float px = (float)x + 0.5f;
			float wb = ((px - a->position.x) * (c->position.y -
			    a->position.y) - (yc - a->position.y) *
			    (c->position.x - a->position.x)) / area;
			float wc = ((b->position.x - a->position.x) * (yc -
			    a->position.y) - (b->position.y - a->position.y) *
			    (px - a->position.x)) / area;
			float wa;
			uint8_t al;

			wb = minf2(maxf2(wb, 0), 1);
			wc = minf2(maxf2(wc, 0), 1 - wb);
			wa = 1 - wb - wc;
			al = (uint8_t)(wa * a->color.a + wb * b->color.a +
			    wc * c->color.a + 0.5f);
			if (al == 0)
				continue;
			blend_px(&row[x],
			    (uint8_t)(wa * a->color.r + wb * b->color.r +
			    wc * c->color.r + 0.5f),
			    (uint8_t)(wa * a->color.g + wb * b->color.g +
			    wc * c->color.g + 0.5f),
			    (uint8_t)(wa * a->color.b + wb * b->color.b +
			    wc * c->color.b + 0.5f), al);
		}
	}
}

void
draw_flush(struct draw *d)
{
	int i;

	if (d->nidx == 0)
		return;
	/* what SDL has queued goes underneath */
	SDL_RenderFlush(d->ren);
	if (SDL_MUSTLOCK(d->surf))
		SDL_LockSurface(d->surf);
	for (i = 0; i + 2 < d->nidx; i += 3)
		raster_tri(d, &d->vtx[d->idx[i]], &d->vtx[d->idx[i + 1]],
		    &d->vtx[d->idx[i + 2]]);
	if (SDL_MUSTLOCK(d->surf))
		SDL_UnlockSurface(d->surf);
	d->nvtx = d->nidx = 0;
}

void
draw_begin_frame(struct draw *d, struct draw_color bg)
{
	int ow, oh;

	d->ncut = 0;
	d->cut_last[0] = '\0';
	d->ntexts = d->nspill = 0;
	if (d->wren != NULL && SDL_GetRendererOutputSize(d->wren, &ow, &oh) ==
	    0 && ow > 0 && oh > 0 && (ow != d->surf->w || oh != d->surf->h)) {
		/* the window was resized: a new frame surface (and renderer,
		 * whose textures the cache holds) */
		draw_cache_clear(d);
		if (make_target(d, ow, oh, NULL, 0) < 0)
			sim_fatal(__FILE__, __LINE__, "resize: %s",
			    SDL_GetError());
	}
	if (d->ncache >= TEXT_CACHE_FILL)
		draw_cache_clear(d);
	SDL_RenderSetClipRect(d->ren, NULL);
	d->clip = (SDL_Rect){ 0, 0, d->surf->w, d->surf->h };
	SDL_SetRenderDrawColor(d->ren, bg.r, bg.g, bg.b, 255);
	SDL_RenderClear(d->ren);
}

void
draw_end_frame(struct draw *d)
{
	draw_flush(d);
	SDL_RenderFlush(d->ren);
	if (d->wren != NULL && d->wtex != NULL) {
		SDL_UpdateTexture(d->wtex, NULL, d->surf->pixels,
		    d->surf->pitch);
		SDL_RenderCopy(d->wren, d->wtex, NULL, NULL);
		SDL_RenderPresent(d->wren);
	}
}

void
draw_clip(struct draw *d, const struct draw_rect *r)
{
	SDL_Rect sr;

	SDL_Rect full = { 0, 0, d->surf->w, d->surf->h };

	draw_flush(d);
	if (r == NULL) {
		SDL_RenderSetClipRect(d->ren, NULL);
		d->clip = full;
		return;
	}
	sr.x = (int)floorf(r->x);
	sr.y = (int)floorf(r->y);
	sr.w = (int)ceilf(r->w);
	sr.h = (int)ceilf(r->h);
	if (!SDL_IntersectRect(&sr, &full, &d->clip))
		d->clip = (SDL_Rect){ 0, 0, 0, 0 };
	SDL_RenderSetClipRect(d->ren, &d->clip);
}

void
draw_fill_rect(struct draw *d, struct draw_rect r, struct draw_color c)
{
	float q[8] = { r.x, r.y, r.x + r.w, r.y, r.x + r.w, r.y + r.h, r.x,
		r.y + r.h };

	/* rasterised here: SDL's software fills blend pixel by pixel */
	if (r.w > 0 && r.h > 0)
		draw_quad(d, q, c);
}

/* --- geometry --- */

static int
vtx(struct draw *d, float x, float y, struct draw_color c)
{
	SDL_Vertex *v;

	if (d->nvtx == d->capvtx) {
		d->capvtx = d->capvtx ? d->capvtx * 2 : 4096;
		d->vtx = xrealloc(d->vtx, (size_t)d->capvtx * sizeof(*d->vtx));
	}
	v = &d->vtx[d->nvtx];
	v->position.x = x;
	v->position.y = y;
	v->color.r = c.r;
	v->color.g = c.g;
	v->color.b = c.b;
	v->color.a = c.a;
	v->tex_coord.x = v->tex_coord.y = 0;
	return d->nvtx++;
}

static void
tri(struct draw *d, int a, int b, int c)
{
	if (d->nidx + 3 > d->capidx) {
		d->capidx = d->capidx ? d->capidx * 2 : 8192;
		d->idx = xrealloc(d->idx, (size_t)d->capidx * sizeof(*d->idx));
	}
	d->idx[d->nidx++] = a;
	d->idx[d->nidx++] = b;
	d->idx[d->nidx++] = c;
}

static void
quad_idx(struct draw *d, int a, int b, int c, int e)
{
	tri(d, a, b, c);
	tri(d, a, c, e);
}

/* Keep batches a sane size for the renderer's command queue. */
static void
reserve(struct draw *d, int nv)
{
	if (d->nvtx + nv > 60000)
		draw_flush(d);
}

void
draw_line(struct draw *d, float x0, float y0, float x1, float y1, float width,
    struct draw_color c)
{
	float dx = x1 - x0, dy = y1 - y0, len = sqrtf(dx * dx + dy * dy);
	float nx, ny, h, o;
	struct draw_color cc = c, z = draw_alpha(c, 0);
	int a0, a1, a2, a3, b0, b1, b2, b3;

	if (len < 1e-3f)
		return;
	reserve(d, 8);
	nx = -dy / len;
	ny = dx / len;
	h = width / 2 - 0.5f;
	if (h < 0) {
		cc.a = (uint8_t)((float)c.a * width);
		h = 0;
	}
	o = h + 1.0f;
	/* extend by half a pixel so joined segments do not gap */
	x0 -= dx / len * 0.5f;
	y0 -= dy / len * 0.5f;
	x1 += dx / len * 0.5f;
	y1 += dy / len * 0.5f;
	a0 = vtx(d, x0 + nx * o, y0 + ny * o, z);
	a1 = vtx(d, x0 + nx * h, y0 + ny * h, cc);
	a2 = vtx(d, x0 - nx * h, y0 - ny * h, cc);
	a3 = vtx(d, x0 - nx * o, y0 - ny * o, z);
	b0 = vtx(d, x1 + nx * o, y1 + ny * o, z);
	b1 = vtx(d, x1 + nx * h, y1 + ny * h, cc);
	b2 = vtx(d, x1 - nx * h, y1 - ny * h, cc);
	b3 = vtx(d, x1 - nx * o, y1 - ny * o, z);
	quad_idx(d, a0, a1, b1, b0);
	if (h > 0)
		quad_idx(d, a1, a2, b2, b1);
	quad_idx(d, a2, a3, b3, b2);
}

void
draw_dashed_line(struct draw *d, float x0, float y0, float x1, float y1,
    float width, float dash, float gap, struct draw_color c)
{
	float dx = x1 - x0, dy = y1 - y0, len = sqrtf(dx * dx + dy * dy);
	float s, e;

	if (len < 1e-3f || dash <= 0)
		return;
	for (s = 0; s < len; s += dash + gap) {
		e = s + dash > len ? len : s + dash;
		draw_line(d, x0 + dx * s / len, y0 + dy * s / len,
		    x0 + dx * e / len, y0 + dy * e / len, width, c);
	}
}

void
draw_polyline(struct draw *d, const float *xy, size_t n, float width,
    struct draw_color c)
{
	size_t i;

	for (i = 0; i + 1 < n; i++)
		draw_line(d, xy[2 * i], xy[2 * i + 1], xy[2 * i + 2],
		    xy[2 * i + 3], width, c);
}

/* Outward miter offsets of a closed convex polygon, unit edge distance. */
static void
miters(const float *xy, size_t n, float *m)
{
	float area = 0;
	size_t i;

	for (i = 0; i < n; i++) {
		size_t j = (i + 1) % n;

		area += xy[2 * i] * xy[2 * j + 1] - xy[2 * j] * xy[2 * i + 1];
	}
	for (i = 0; i < n; i++) {
		size_t p = (i + n - 1) % n, q = (i + 1) % n;
		float e1x = xy[2 * i] - xy[2 * p], e1y = xy[2 * i + 1] -
		    xy[2 * p + 1];
		float e2x = xy[2 * q] - xy[2 * i], e2y = xy[2 * q + 1] -
		    xy[2 * i + 1];
		float l1 = sqrtf(e1x * e1x + e1y * e1y);
		float l2 = sqrtf(e2x * e2x + e2y * e2y);
		float n1x, n1y, n2x, n2y, mx, my, dot;
		float sgn = area > 0 ? 1.0f : -1.0f;

		if (l1 < 1e-6f)
			l1 = 1e-6f;
		if (l2 < 1e-6f)
			l2 = 1e-6f;
		/* with y down, a positive area is clockwise on screen */
		n1x = sgn * e1y / l1;
		n1y = -sgn * e1x / l1;
		n2x = sgn * e2y / l2;
		n2y = -sgn * e2x / l2;
		dot = n1x * n2x + n1y * n2y;
		if (dot < -0.5f)
			dot = -0.5f;
		mx = (n1x + n2x) / (1 + dot);
		my = (n1y + n2y) / (1 + dot);
		m[2 * i] = mx;
		m[2 * i + 1] = my;
	}
}

#define POLY_MAX 256

void
draw_poly(struct draw *d, const float *xy, size_t n, struct draw_color c)
{
	float m[2 * POLY_MAX];
	int in[POLY_MAX], out[POLY_MAX];
	size_t i;

	if (n < 3 || n > POLY_MAX)
		return;
	reserve(d, (int)(2 * n));
	miters(xy, n, m);
	for (i = 0; i < n; i++) {
		in[i] = vtx(d, xy[2 * i] - 0.5f * m[2 * i],
		    xy[2 * i + 1] - 0.5f * m[2 * i + 1], c);
		out[i] = vtx(d, xy[2 * i] + 0.5f * m[2 * i],
		    xy[2 * i + 1] + 0.5f * m[2 * i + 1], draw_alpha(c, 0));
	}
	for (i = 1; i + 1 < n; i++)
		tri(d, in[0], in[i], in[i + 1]);
	for (i = 0; i < n; i++) {
		size_t j = (i + 1) % n;

		quad_idx(d, in[i], out[i], out[j], in[j]);
	}
}

/* A closed band of the given width along a convex outline. */
static void
outline(struct draw *d, const float *xy, size_t n, float width,
    struct draw_color c)
{
	float m[2 * POLY_MAX], h = width / 2 - 0.5f;
	int v[POLY_MAX][4];
	struct draw_color z = draw_alpha(c, 0);
	size_t i;

	if (n < 3 || n > POLY_MAX)
		return;
	if (h < 0) {
		c.a = (uint8_t)((float)c.a * width);
		h = 0;
	}
	reserve(d, (int)(4 * n));
	miters(xy, n, m);
	for (i = 0; i < n; i++) {
		float x = xy[2 * i], y = xy[2 * i + 1];
		float mx = m[2 * i], my = m[2 * i + 1];

		v[i][0] = vtx(d, x + (h + 1) * mx, y + (h + 1) * my, z);
		v[i][1] = vtx(d, x + h * mx, y + h * my, c);
		v[i][2] = vtx(d, x - h * mx, y - h * my, c);
		v[i][3] = vtx(d, x - (h + 1) * mx, y - (h + 1) * my, z);
	}
	for (i = 0; i < n; i++) {
		size_t j = (i + 1) % n;

		quad_idx(d, v[i][0], v[i][1], v[j][1], v[j][0]);
		if (h > 0)
			quad_idx(d, v[i][1], v[i][2], v[j][2], v[j][1]);
		quad_idx(d, v[i][2], v[i][3], v[j][3], v[j][2]);
	}
}

static size_t
circle_points(float cx, float cy, float r, float *xy)
{
	size_t n = (size_t)(r * 1.2f) + 12, i;

	if (n > 72)
		n = 72;
	for (i = 0; i < n; i++) {
		float a = (float)i * 2 * (float)M_PI / (float)n;

		xy[2 * i] = cx + r * cosf(a);
		xy[2 * i + 1] = cy + r * sinf(a);
	}
	return n;
}

void
draw_circle(struct draw *d, float cx, float cy, float r, struct draw_color c)
{
	float xy[2 * 72];

	draw_poly(d, xy, circle_points(cx, cy, r, xy), c);
}

void
draw_ring(struct draw *d, float cx, float cy, float r, float width,
    struct draw_color c)
{
	float xy[2 * 72];

	outline(d, xy, circle_points(cx, cy, r, xy), width, c);
}

static size_t
round_rect_points(struct draw_rect r, float rad, float *xy)
{
	static const float cs[5][2] = { { 1, 0 }, { 0.9239f, 0.3827f },
		{ 0.7071f, 0.7071f }, { 0.3827f, 0.9239f }, { 0, 1 } };
	float cx[4], cy[4], sx[4] = { 1, -1, -1, 1 }, sy[4] = { 1, 1, -1, -1 };
	size_t n = 0;
	int k, i;

	if (rad > r.w / 2)
		rad = r.w / 2;
	if (rad > r.h / 2)
		rad = r.h / 2;
	/* corners clockwise on screen: bottom-right, bottom-left, ... */
	cx[0] = r.x + r.w - rad; cy[0] = r.y + r.h - rad;
	cx[1] = r.x + rad; cy[1] = r.y + r.h - rad;
	cx[2] = r.x + rad; cy[2] = r.y + rad;
	cx[3] = r.x + r.w - rad; cy[3] = r.y + rad;
	for (k = 0; k < 4; k++) {
		for (i = 0; i < 5; i++) {
			float ux = (k % 2 == 0) ? cs[i][0] : cs[i][1];
			float uy = (k % 2 == 0) ? cs[i][1] : cs[i][0];

			xy[2 * n] = cx[k] + sx[k] * ux * rad;
			xy[2 * n + 1] = cy[k] + sy[k] * uy * rad;
			n++;
		}
	}
	return n;
}

void
draw_round_rect(struct draw *d, struct draw_rect r, float radius,
    struct draw_color c)
{
	float xy[2 * 20];

	if (r.w <= 0 || r.h <= 0)
		return;
	draw_poly(d, xy, round_rect_points(r, radius, xy), c);
}

void
draw_round_rect_outline(struct draw *d, struct draw_rect r, float radius,
    float width, struct draw_color c)
{
	float xy[2 * 20];

	if (r.w <= 0 || r.h <= 0)
		return;
	outline(d, xy, round_rect_points(r, radius, xy), width, c);
}

void
draw_quad(struct draw *d, const float *xy, struct draw_color c)
{
	int a, b, e, f;

	reserve(d, 4);
	a = vtx(d, xy[0], xy[1], c);
	b = vtx(d, xy[2], xy[3], c);
	e = vtx(d, xy[4], xy[5], c);
	f = vtx(d, xy[6], xy[7], c);
	quad_idx(d, a, b, e, f);
}

/* --- headless output --- */

uint32_t
draw_pixel(struct draw *d, int x, int y)
{
	const uint8_t *row;
	uint32_t v;

	if (x < 0 || y < 0 || x >= d->surf->w ||
	    y >= d->surf->h)
		return 0;
	row = (const uint8_t *)d->surf->pixels + (size_t)y * d->surf->pitch;
	memcpy(&v, row + (size_t)x * 4, 4);
	return v & 0xffffffu;
}

const void *
draw_pixels(struct draw *d, size_t *len)
{
	*len = (size_t)d->surf->pitch * (size_t)d->surf->h;
	return d->surf->pixels;
}

int
draw_save_png(struct draw *d, const char *path, char *err, size_t errlen)
{
	char tmp[4096];

	if (snprintf(tmp, sizeof(tmp), "%s.tmp", path) >= (int)sizeof(tmp))
		return sim_err(err, errlen, "path too long: %s", path);
	if (IMG_SavePNG(d->surf, tmp) < 0) {
		remove(tmp);
		return sim_err(err, errlen, "cannot write %s: %s", tmp,
		    IMG_GetError());
	}
	if (rename(tmp, path) < 0) {
		remove(tmp);
		return sim_err(err, errlen, "cannot rename %s to %s", tmp,
		    path);
	}
	return 0;
}

/* --- events --- */

static enum draw_key
map_key(const SDL_KeyboardEvent *k)
{
	bool shift = (k->keysym.mod & KMOD_SHIFT) != 0;

	switch (k->keysym.sym) {
	case SDLK_SPACE:
		return DK_SPACE;
	case SDLK_LEFT:
		return DK_LEFT;
	case SDLK_RIGHT:
		return DK_RIGHT;
	case SDLK_UP:
		return DK_UP;
	case SDLK_DOWN:
		return DK_DOWN;
	case SDLK_PLUS:
	case SDLK_KP_PLUS:
	case SDLK_EQUALS:
		return DK_PLUS;
	case SDLK_MINUS:
	case SDLK_KP_MINUS:
		return DK_MINUS;
	case SDLK_QUESTION:
	case SDLK_h:
	case SDLK_F1:
		return DK_HELP;
	case SDLK_SLASH:
		return shift ? DK_HELP : DK_NONE;
	case SDLK_ESCAPE:
		return DK_ESCAPE;
	case SDLK_q:
		return DK_QUIT;
	case SDLK_f:
		return DK_FLOW;
	case SDLK_b:
		return DK_BGP;
	case SDLK_LEFTBRACKET:
	case SDLK_PAGEUP:
		return DK_SCROLL_UP;
	case SDLK_RIGHTBRACKET:
	case SDLK_PAGEDOWN:
		return DK_SCROLL_DOWN;
	case SDLK_HOME:
		return DK_HOME;
	case SDLK_END:
		return DK_END;
	case SDLK_0:
	case SDLK_r:
		return DK_RESET;
	default:
		return DK_NONE;
	}
}

int
draw_poll_event(struct draw *d, struct draw_event *ev, int timeout_ms)
{
	SDL_Event e;
	int got;

	(void)d;
	memset(ev, 0, sizeof(*ev));
	got = timeout_ms > 0 ? SDL_WaitEventTimeout(&e, timeout_ms) :
	    SDL_PollEvent(&e);
	if (!got)
		return 0;
	switch (e.type) {
	case SDL_QUIT:
		ev->type = DE_QUIT;
		break;
	case SDL_KEYDOWN:
		ev->type = DE_KEY;
		ev->key = map_key(&e.key);
		ev->shift = (e.key.keysym.mod & KMOD_SHIFT) != 0;
		break;
	case SDL_MOUSEBUTTONDOWN:
	case SDL_MOUSEBUTTONUP:
		ev->type = e.type == SDL_MOUSEBUTTONDOWN ? DE_MOUSE_DOWN :
		    DE_MOUSE_UP;
		ev->x = e.button.x;
		ev->y = e.button.y;
		ev->button = e.button.button == SDL_BUTTON_LEFT ? 1 :
		    e.button.button == SDL_BUTTON_MIDDLE ? 2 : 3;
		break;
	case SDL_MOUSEMOTION:
		ev->type = DE_MOUSE_MOVE;
		ev->x = e.motion.x;
		ev->y = e.motion.y;
		break;
	case SDL_MOUSEWHEEL:
		ev->type = DE_WHEEL;
		ev->wheel = e.wheel.preciseY;
		SDL_GetMouseState(&ev->x, &ev->y);
		break;
	case SDL_WINDOWEVENT:
		if (e.window.event == SDL_WINDOWEVENT_SIZE_CHANGED ||
		    e.window.event == SDL_WINDOWEVENT_EXPOSED)
			ev->type = DE_RESIZE;
		break;
	default:
		break;
	}
	return 1;
}

uint64_t
draw_ticks_ms(void)
{
	return SDL_GetTicks64();
}
