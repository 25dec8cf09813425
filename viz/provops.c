/*
 * provops.c - the operations of a provisioning timeline (provops.h): kept
 * by the scan, narrated, laid out in lanes under the timeline's track and
 * drawn there as bars; and the resources' fields' previous values the
 * scan's narration says how long were held.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "draw.h"
#include "provops.h"
#include "provview.h"
#include "scene_int.h"
#include "util.h"

#define OP_LANE_H 16.0f		/* a lane's pitch */
#define OP_BAR_H 14.0f		/* a bar's height */
#define OP_TOP 98.0f		/* the band's top below the timeline's top */
#define OP_GAP 8.0f		/* least room between two items of a lane */
#define OP_PAD 4.0f		/* a label's inset from its bar's start */
#define OP_MIN_W 4.0f		/* the narrowest bar (a refusal at once) */
#define OP_MIN_LABEL 36.0f	/* a label cut shorter is left out */
#define OP_MAX_LANES 32		/* beyond, bars share lanes */

const struct scan_op *
provops_add(struct scan *s, const struct trace_rec *rec)
{
	struct scan_op *o;

	if (s->nops == s->capops) {
		s->capops = s->capops ? 2 * s->capops : 16;
		s->ops = xrealloc(s->ops, s->capops * sizeof(*s->ops));
	}
	o = &s->ops[s->nops++];
	memset(o, 0, sizeof(*o));
	o->t0 = rec->t;
	o->t1 = rec->u.op.end >= rec->t ? rec->u.op.end : rec->t;
	o->id = rec->u.op.id;
	o->node = rec->u.op.node == TRACE_NO_ID ? UINT32_MAX :
	    rec->u.op.node;
	o->refused = rec->u.op.outcome == TRO_REFUSED;
	o->verb = xstrdup(rec->u.op.verb != NULL ? rec->u.op.verb : "?");
	o->resource = xstrdup(rec->u.op.resource != NULL ?
	    rec->u.op.resource : "?");
	o->title = xstrdup(rec->u.op.title != NULL && rec->u.op.title[0] ?
	    rec->u.op.title : o->resource);
	if (o->refused)
		o->error = xstrdup(rec->u.op.error != NULL ? rec->u.op.error :
		    "");
	return o;
}

void
provops_free(struct scan *s)
{
	size_t i;

	for (i = 0; i < s->nops; i++) {
		free(s->ops[i].verb);
		free(s->ops[i].resource);
		free(s->ops[i].title);
		free(s->ops[i].error);
	}
	free(s->ops);
	s->ops = NULL;
	s->nops = s->capops = 0;
}

void
provops_fmt_dur(char *b, size_t n, sim_time d)
{
	long long s = (long long)(d / SIM_S(1));

	if (d >= SIM_S(3600))
		snprintf(b, n, s % 3600 / 60 ? "%lld h %lld min" : "%lld h",
		    s / 3600, s % 3600 / 60);
	else if (d >= SIM_S(60))
		snprintf(b, n, s % 60 ? "%lld min %lld s" : "%lld min", s / 60,
		    s % 60);
	else if (d >= SIM_S(10) || d == 0 || d % SIM_S(1) == 0)
		snprintf(b, n, "%lld s", s);
	else if (d >= SIM_S(1))
		snprintf(b, n, "%.1f s", (double)d / 1e9);
	else
		snprintf(b, n, "%lld ms", (long long)(d / SIM_MS(1)));
}

void
provops_text(char *b, size_t n, const struct scan_op *o)
{
	char dur[48];

	provops_fmt_dur(dur, sizeof(dur), o->t1 - o->t0);
	if (o->refused)
		snprintf(b, n, "%s %s refused after %s: %s", o->verb, o->title,
		    dur, o->error != NULL && o->error[0] ? o->error : "?");
	else
		snprintf(b, n, "%s %s (%s)", o->verb, o->title, dur);
}

void
provops_label(char *b, size_t n, const struct scan_op *o)
{
	snprintf(b, n, "%s%s %s", o->refused ? "\xe2\x9c\x95 " : "",
	    o->verb, provview_short_name(o->resource));
}

const char *
provops_title(const struct scan *s, const char *resource)
{
	size_t i;

	for (i = 0; i < s->nops; i++)
		if (strcmp(s->ops[i].resource, resource) == 0)
			return s->ops[i].title;
	return NULL;
}

size_t
provops_lanes(const float *x0, const float *x1, size_t n, float gap,
    size_t max, uint8_t *lane, size_t *crowded)
{
	float end[256];
	size_t i, k, used = 0, best;

	*crowded = 0;
	if (max > sizeof(end) / sizeof(end[0]))
		max = sizeof(end) / sizeof(end[0]);
	if (max == 0)
		max = 1;
	for (i = 0; i < n; i++) {
		for (k = 0; k < used; k++)
			if (end[k] + gap <= x0[i])
				break;
		if (k < used) {
			end[k] = x1[i];
		} else if (used < max) {
			k = used++;
			end[k] = x1[i];
		} else {
			for (best = 0, k = 1; k < used; k++)
				if (end[k] < end[best])
					best = k;
			k = best;
			end[k] = fmaxf(end[k], x1[i]);
			(*crowded)++;
		}
		lane[i] = (uint8_t)k;
	}
	return used;
}

/* ---- the fields' previous values, for the narration ---- */

void
provops_took(struct scan *s, sim_time t, const char *res, size_t rl,
    const char *field, size_t fl, const char *state)
{
	struct scan_pfield *f = NULL;
	size_t i, kl = rl + fl + 2;
	char dur[32];

	s->prov_took[0] = '\0';
	for (i = 0; i < s->npf && f == NULL; i++)
		if (s->pf[i].keylen == kl &&
		    memcmp(s->pf[i].key, res, rl + 1) == 0 &&
		    memcmp(s->pf[i].key + rl + 1, field, fl + 1) == 0)
			f = &s->pf[i];
	if (f == NULL) {
		if (s->npf == s->cappf) {
			s->cappf = s->cappf ? 2 * s->cappf : 32;
			s->pf = xrealloc(s->pf, s->cappf * sizeof(*s->pf));
		}
		f = &s->pf[s->npf++];
		f->key = xmalloc(kl);
		memcpy(f->key, res, rl + 1);
		memcpy(f->key + rl + 1, field, fl + 1);
		f->keylen = kl;
		f->state = xstrdup(state);
		f->since = t;
		return;
	}
	if (strcmp(f->state, state) == 0)
		return;
	provview_fmt_since(dur, sizeof(dur), t - f->since);
	snprintf(s->prov_took, sizeof(s->prov_took), " \xc2\xb7 %s for %s",
	    f->state, dur);
	free(f->state);
	f->state = xstrdup(state);
	f->since = t;
}

void
provops_pfields_free(struct scan *s)
{
	size_t i;

	for (i = 0; i < s->npf; i++) {
		free(s->pf[i].key);
		free(s->pf[i].state);
	}
	free(s->pf);
	s->pf = NULL;
	s->npf = s->cappf = 0;
}

/* ---- in the scene ---- */

/* Each label's width in the small font, once per scene. */
void
provops_measure(struct scene *sc, struct draw *d)
{
	const struct scan *s = sc->s;
	char lab[160];
	size_t i;

	if (sc->op_lw != NULL || s->nops == 0)
		return;
	sc->op_lw = xcalloc(s->nops, sizeof(*sc->op_lw));
	for (i = 0; i < s->nops; i++) {
		provops_label(lab, sizeof(lab), &s->ops[i]);
		sc->op_lw[i] = (float)draw_text_width(d, DF_SMALL, lab);
	}
}

/* The bar's span on the track: start to end, the end cut at the trace's. */
static void
op_span(const struct scene *sc, const struct scan_op *o, float *x0,
    float *x1)
{
	sim_time t1 = o->t1 < sc->s->end ? o->t1 : sc->s->end;

	*x0 = scene_timeline_x(sc, o->t0);
	*x1 = scene_timeline_x(sc, t1 > o->t0 ? t1 : o->t0);
	if (*x1 - *x0 < OP_MIN_W)
		*x1 = *x0 + OP_MIN_W;
}

float
provops_layout(struct scene *sc, int h)
{
	const struct scan *s = sc->s;
	size_t i, crowded, max = h >= 850 ? 8 : h >= 450 ? 3 : 1;
	float *x0, *x1, *xb;

	sc->n_op_lanes = 0;
	if (s->nops == 0)
		return 0;
	if (sc->op_lane == NULL)
		sc->op_lane = xcalloc(s->nops, sizeof(*sc->op_lane));
	x0 = xcalloc(3 * s->nops, sizeof(*x0));
	x1 = x0 + s->nops;
	xb = x1 + s->nops;
	for (i = 0; i < s->nops; i++) {
		op_span(sc, &s->ops[i], &x0[i], &xb[i]);
		/* its label too, when measured: no label runs into a bar */
		x1[i] = sc->op_lw == NULL ? xb[i] : fmaxf(xb[i], x0[i] +
		    OP_PAD + sc->op_lw[i] + OP_PAD);
	}
	sc->n_op_lanes = provops_lanes(x0, x1, s->nops, OP_GAP, max,
	    sc->op_lane, &crowded);
	/* too many at once for whole labels: bars apart, labels cut; and
	 * bars never over one another, whatever the lanes it takes */
	if (crowded > 0)
		sc->n_op_lanes = provops_lanes(x0, xb, s->nops, OP_GAP, max,
		    sc->op_lane, &crowded);
	if (crowded > 0)
		sc->n_op_lanes = provops_lanes(x0, xb, s->nops, OP_GAP,
		    OP_MAX_LANES, sc->op_lane, &crowded);
	free(x0);
	return OP_TOP - TIMELINE_H + OP_LANE_H * (float)sc->n_op_lanes + 6;
}

/* Where the next item of op i's lane starts (the track's end if none). */
static float
lane_next(const struct scene *sc, size_t i)
{
	const struct scan *s = sc->s;
	float x0, x1;
	size_t k;

	for (k = i + 1; k < s->nops; k++)
		if (sc->op_lane[k] == sc->op_lane[i]) {
			op_span(sc, &s->ops[k], &x0, &x1);
			return x0;
		}
	return sc->track.x + sc->track.w + OP_GAP;
}

/*
 * The bars: an operation not started yet at now is an outline, one under
 * way amber up to now, one done green, one refused red with a cross; the
 * label inside the bar, or past its end up to the next item of its lane.
 */
void
panels_ops(struct scene *sc, struct draw *d, sim_time now)
{
	const struct scan *s = sc->s;
	float top = sc->timeline.y + OP_TOP, x0, x1, xn, y, room;
	uint32_t col;
	size_t i;
	char lab[160];

	sc->nop_boxes = 0;
	if (s->nops == 0 || sc->n_op_lanes == 0)
		return;
	for (i = 0; i < s->nops; i++) {
		const struct scan_op *o = &s->ops[i];
		struct draw_rect bar;

		op_span(sc, o, &x0, &x1);
		y = top + OP_LANE_H * (float)sc->op_lane[i];
		bar = (struct draw_rect){ x0, y, x1 - x0, OP_BAR_H };
		col = o->refused ? C_BAD : C_GOOD;
		if (now < o->t0) {
			draw_round_rect(d, bar, 3, rgb(C_PANEL2));
			draw_round_rect_outline(d, bar, 3, 1, rgb(C_FAINT));
		} else if (now < o->t1 && !o->refused) {
			float xnow = fminf(scene_timeline_x(sc, now), x1);

			draw_round_rect(d, bar, 3, rgba(C_WARN, 70));
			draw_round_rect(d, (struct draw_rect){ x0, y,
			    fmaxf(xnow - x0, OP_MIN_W), OP_BAR_H }, 3,
			    rgba(C_WARN, 200));
			col = C_WARN;
		} else {
			draw_round_rect(d, bar, 3, rgba(col, 150));
		}
		if (o->refused && now >= o->t0)
			draw_round_rect_outline(d, bar, 3, 1.5f, rgb(C_BAD));
		provops_label(lab, sizeof(lab), o);
		xn = lane_next(sc, i);
		room = fminf(xn - OP_GAP, sc->track.x + sc->track.w) - x0 -
		    OP_PAD;
		/* short of room for "create db-vcn": "db-vcn" reads better
		 * than "creat..." */
		if ((float)draw_text_width(d, DF_SMALL, lab) > room)
			snprintf(lab, sizeof(lab), "%s%s", o->refused ?
			    "\xe2\x9c\x95 " : "",
			    provview_short_name(o->resource));
		if (room >= OP_MIN_LABEL) {
			float tw = fminf((float)draw_text_width(d, DF_SMALL,
			    lab), room);

			draw_text_fit(d, DF_SMALL, x0 + OP_PAD, y, room,
			    now < o->t0 ? rgb(C_MUTED) : mix(col, 0xffffff,
			    0.55f), lab);
			bar.w = fmaxf(bar.w, OP_PAD + tw);
		}
		if (sc->nop_boxes < MAX_OP_BOXES) {
			sc->op_box[sc->nop_boxes] = bar;
			sc->op_box_op[sc->nop_boxes++] = i;
		}
	}
	/* now, through the band */
	x0 = scene_timeline_x(sc, now);
	draw_fill_rect(d, (struct draw_rect){ x0 - 0.5f, top - 2, 1,
	    OP_LANE_H * (float)sc->n_op_lanes + 2 }, rgba(0xffffff, 110));
}

bool
provops_hover(struct scene *sc, struct draw *d, int mx, int my)
{
	const struct scan_op *o;
	char l1[320], l2[160], a[40], b[40];
	size_t k;

	for (k = 0; k < sc->nop_boxes; k++) {
		if (!rect_has(sc->op_box[k], (float)mx, (float)my))
			continue;
		o = &sc->s->ops[sc->op_box_op[k]];
		provops_text(l1, sizeof(l1), o);
		units_fmt_time(a, sizeof(a), o->t0);
		units_fmt_time(b, sizeof(b), o->t1);
		snprintf(l2, sizeof(l2), "%s \xe2\x86\x92 %s \xc2\xb7 %s", a, b,
		    o->resource);
		panels_tooltip(sc, d, l1, l2);
		return true;
	}
	return false;
}

int
scene_op_box(const struct scene *sc, size_t i, struct draw_rect *r,
    int *lane)
{
	size_t k;

	for (k = 0; k < sc->nop_boxes; k++)
		if (sc->op_box_op[k] == i) {
			*r = sc->op_box[k];
			*lane = sc->op_lane[i];
			return 0;
		}
	return -1;
}
