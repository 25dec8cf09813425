/*
 * panels.c - everything around the canvas: the header, the side panel (the
 * selected node's sessions, resources, flows and routes, the selected packet's headers
 * field by field, the selected flow (flows.c), or the legend), the event
 * list, the timeline, tooltips and the help overlay.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bgpview.h"
#include "decode.h"
#include "provops.h"
#include "provview.h"
#include "scene_int.h"
#include "util.h"

static void
draw_play_icon(struct draw *d, float x, float y, bool playing)
{
	if (playing) {
		float xy[6] = { x, y, x + 11, y + 6.5f, x, y + 13 };

		draw_poly(d, xy, 3, rgb(C_GOOD));
	} else {
		draw_fill_rect(d, (struct draw_rect){ x, y, 4, 13 },
		    rgb(C_MUTED));
		draw_fill_rect(d, (struct draw_rect){ x + 7, y, 4, 13 },
		    rgb(C_MUTED));
	}
}

void
panels_header(struct scene *sc, struct draw *d, sim_time now)
{
	struct draw_rect h = sc->header;
	char clock[64], sp[32];
	float x, tw;

	draw_fill_rect(d, h, rgb(C_PANEL));
	draw_fill_rect(d, (struct draw_rect){ 0, h.h - 1, h.w, 1 },
	    rgb(C_BORDER));
	draw_round_rect(d, (struct draw_rect){ 14, 11, 22, 22 }, 6,
	    rgb(C_AZURE));
	draw_round_rect(d, (struct draw_rect){ 24, 11, 12, 22 }, 6,
	    rgb(C_ORACLE));
	draw_fill_rect(d, (struct draw_rect){ 24, 11, 6, 22 }, rgb(C_ORACLE));
	x = 44;
	x += (float)draw_text(d, DF_TITLE, x, 12, rgb(C_TEXT), "xcsim");
	x += 12;
	draw_text_fit(d, DF_SANS, x, 14, h.w * 0.5f - x - 130, rgb(C_MUTED),
	    sc->title);
	scene_fmt_clock(clock, sizeof(clock), now);
	tw = (float)draw_text_width(d, DF_BIG, clock);
	x = sc->canvas.w / 2 - tw / 2 + 40;
	if (x < h.w * 0.38f)
		x = h.w * 0.38f;
	draw_text(d, DF_SMALL, x - 22, 16, rgb(C_MUTED), "t =");
	draw_text(d, DF_BIG, x + 8, 10, rgb(C_TEXT), clock);
	scene_fmt_speed(sp, sizeof(sp), sc->v.speed);
	{
		char right[64];
		float rx;

		snprintf(right, sizeof(right), "speed %s", sp);
		tw = (float)draw_text_width(d, DF_SANS, right);
		rx = h.w - tw - 96;
		draw_play_icon(d, rx - 22, 15, sc->v.playing);
		draw_text(d, DF_SANS, rx, 14, rgb(C_TEXT), right);
		draw_round_rect(d, (struct draw_rect){ h.w - 78, 11, 64, 22 },
		    11, rgb(C_PANEL2));
		draw_text(d, DF_SMALL, h.w - 68, 15, rgb(C_MUTED),
		    "? keys");
	}
}

static float
section_title(struct draw *d, float x, float y, float w, const char *t)
{
	draw_text(d, DF_BOLD, x, y, rgb(C_TEXT), t);
	draw_fill_rect(d, (struct draw_rect){ x, y + 19, w, 1 },
	    rgb(C_BORDER));
	return y + 25;
}

float
panels_section_title(struct draw *d, float x, float y, float w,
    const char *t)
{
	return section_title(d, x, y, w, t);
}

static int
cmp_route(const void *a, const void *b)
{
	const struct replay_route *x = *(const struct replay_route *const *)a;
	const struct replay_route *y = *(const struct replay_route *const *)b;
	int c = strcmp(x->table, y->table);

	if (c != 0)
		return c;
	if (x->prefix != y->prefix)
		return x->prefix < y->prefix ? -1 : 1;
	return (int)x->plen - (int)y->plen;
}

#define PV_PANEL_MAX 64

/*
 * The resources shown on node id (the trace's prov_state records), down to
 * limit: per resource its name, then each field with its value in the
 * state colours and when it took it. Returns the y after.
 */
static float
panel_node_resources(struct scene *sc, struct draw *d,
    const struct replay *rp, uint32_t id, float x, float y, float w,
    float limit)
{
	struct pv_field f[PV_PANEL_MAX];
	size_t n = provview_fields(rp, id, f, PV_PANEL_MAX), i;
	char buf[48];

	if (n == 0)
		return y;
	y = section_title(d, x, y, w, "Resources");
	for (i = 0; i < n; i++) {
		uint32_t c = style_level_rgb(f[i].level);
		float rh = f[i].first ? 34 : 16;

		if (y + rh > limit) {
			snprintf(buf, sizeof(buf), "+%zu more fields", n - i);
			draw_text(d, DF_SMALL, x, y, rgb(C_MUTED), buf);
			return y + 18;
		}
		if (f[i].first) {
			const char *t = provops_title(sc->s, f[i].resource);

			/* in the cloud's words when an operation gave them */
			draw_text_fit(d, DF_SANS, x, y, w, rgb(C_TEXT),
			    t != NULL ? t : f[i].resource);
			y += 18;
		}
		draw_circle(d, x + 8, y + 8, 3, rgb(c));
		draw_text_fit(d, DF_SMALL, x + 16, y, w * 0.5f - 18,
		    rgb(C_MUTED), f[i].field);
		provview_fmt_since(buf, sizeof(buf), f[i].since);
		draw_text_fit(d, DF_BOLD, x + w * 0.5f, y - 1, w * 0.3f,
		    rgb(c), f[i].state);
		draw_text_fit(d, DF_SMALL, x + w * 0.8f, y, w * 0.2f,
		    rgb(C_FAINT), buf);
		panels_note(sc, "resource %s %s %s %s", f[i].resource,
		    f[i].field, f[i].state, buf);
		y += 16;
	}
	return y + 6;
}

static void
panel_node(struct scene *sc, struct draw *d, const struct replay *rp,
    uint32_t id)
{
	const struct scan *s = sc->s;
	const struct scan_node *nd = &s->nodes[id];
	struct draw_rect b = sc->sel_box;
	float x = b.x + 16, y = b.y + 14, w = b.w - 32, bottom = b.y + b.h - 8;
	const struct replay_route **rt;
	size_t i, n = 0, shown = 0;
	char buf[160], pfx[24];
	float pw;

	draw_round_rect(d, (struct draw_rect){ x, y + 1, 14, 14 }, 4,
	    rgb(style_role_rgb(nd->role)));
	draw_text_fit(d, DF_TITLE, x + 22, y - 1, w - 22, rgb(C_TEXT),
	    nd->name);
	y += 20;
	snprintf(buf, sizeof(buf), "%s%s%s", style_role_name(nd->role, true),
	    nd->region[0] ? " \xc2\xb7 " : "", nd->region);
	draw_text_fit(d, DF_SMALL, x, y, w, rgb(C_MUTED), buf);
	y += 18;
	for (i = 0; i < s->nifaces && y < bottom - 40; i++) {
		const struct scan_iface *f = &s->ifaces[i];

		if (f->node != id)
			continue;
		scene_fmt_prefix(pfx, sizeof(pfx), f->addr, f->plen);
		snprintf(buf, sizeof(buf), "%-13s %s", f->name, pfx);
		draw_text_fit(d, DF_MONO, x, y, w, rgb(C_MUTED), buf);
		y += 15;
	}
	y += 6;
	y = section_title(d, x, y, w, bgpv_node_has(rp, id) ?
	    "Sessions \xc2\xb7 b for BGP" : "Sessions");
	for (i = 0; i < rp->nsess && y < bottom - 40; i++) {
		const struct replay_session *ss = &rp->sess[i];
		uint32_t c;

		if (ss->node != id)
			continue;
		c = style_level_rgb(style_state_level(ss->state));
		draw_circle(d, x + 4, y + 8, 3.5f, rgb(c));
		snprintf(buf, sizeof(buf), "%s %s", style_proto_name(ss->proto),
		    ss->peer);
		draw_text_fit(d, DF_SANS, x + 14, y, w * 0.6f, rgb(C_TEXT), buf);
		draw_text_fit(d, DF_BOLD, x + 14 + w * 0.6f, y, w * 0.4f - 14,
		    rgb(c), ss->state);
		y += 18;
		shown++;
	}
	if (shown == 0 && y + 16 <= b.y + b.h - 2) {
		draw_text(d, DF_SMALL, x, y, rgb(C_FAINT), "none");
		y += 18;
	}
	y += 6;
	y = panel_node_resources(sc, d, rp, id, x, y, w,
	    y + (bottom - y) * 0.6f);
	/* flows take at most half of what is left: the routes keep room */
	y = panel_node_flows(sc, d, rp, id, x, y, w, y + (bottom - y) / 2);
	/* the routes' title only with room for it and a line under it */
	if (y + 25 + 16 > b.y + b.h - 2)
		return;
	y = section_title(d, x, y, w, "Routes");
	rt = xmalloc((rp->nroutes ? rp->nroutes : 1) * sizeof(*rt));
	for (i = 0; i < rp->nroutes; i++)
		if (rp->routes[i].node == id && rp->routes[i].live)
			rt[n++] = &rp->routes[i];
	qsort(rt, n, sizeof(*rt), cmp_route);
	/* the prefix column as wide as its widest prefix */
	pw = 0;
	for (i = 0; i < n; i++) {
		scene_fmt_prefix(pfx, sizeof(pfx), rt[i]->prefix, rt[i]->plen);
		pw = fmaxf(pw, (float)draw_text_width(d, DF_MONO, pfx));
	}
	pw = fminf(pw + 10, w * 0.5f);
	for (i = 0; i < n; i++) {
		int lines;

		scene_fmt_prefix(pfx, sizeof(pfx), rt[i]->prefix, rt[i]->plen);
		snprintf(buf, sizeof(buf), "%s%s%s", rt[i]->nexthop,
		    rt[i]->attrs[0] ? "  " : "", rt[i]->attrs);
		lines = draw_text_wrap_lines(d, DF_SMALL, w - pw, 2, buf);
		if (y + 16 * (float)lines > bottom - (i + 1 < n ? 16 : 0)) {
			snprintf(buf, sizeof(buf), "+%zu more", n - i);
			if (y + 16 <= b.y + b.h - 2)
				draw_text(d, DF_SMALL, x, y, rgb(C_MUTED), buf);
			break;
		}
		draw_text_fit(d, DF_MONO, x, y, pw - 4, rgb(C_TEXT), pfx);
		draw_text_wrap(d, DF_SMALL, x + pw, y + 1, w - pw, 2, 15,
		    rgb(C_MUTED), buf);
		y += 16 * (float)lines + (lines > 1 ? 3 : 0);
	}
	if (n == 0)
		draw_text(d, DF_SMALL, x, y, rgb(C_FAINT),
		    "none in the trace");
	free(rt);
}

/*
 * The control-plane messages of a frame the trace kept whole, decoded by
 * the models' codecs: a bar per message, then its fields (a long value,
 * such as a list of prefixes, wraps to three lines). Returns the y after.
 */
static float
panel_control(struct scene *sc, struct draw *d, const uint8_t *frame,
    size_t len, float x, float y, float w, float bottom)
{
	struct decode_line *l = xmalloc(96 * sizeof(*l));
	size_t i, n = decode_control(frame, len, l, 96);
	char buf[240];
	int lines;

	for (i = 0; i < n && y < bottom - 14; i++) {
		if (l[i].name[0] == '\0') {
			snprintf(buf, sizeof(buf), "%s %s", l[i].layer,
			    l[i].value);
			draw_fill_rect(d, (struct draw_rect){ x - 4, y, w + 8,
			    16 }, rgb(C_PANEL2));
			draw_text_fit(d, DF_BOLD, x, y, w, rgb(style_class_rgb(
			    strcmp(l[i].layer, "BFD") == 0 ? DC_BFD : DC_BGP)),
			    buf);
			panels_note(sc, "%s", buf);
			y += 18;
			continue;
		}
		/* the columns of the header fields below */
		lines = draw_text_wrap_lines(d, DF_SMALL, w - 124, 3,
		    l[i].value);
		if (y + 14 * (float)lines > bottom)
			break;
		draw_text_fit(d, DF_SMALL, x + 8, y, 112, rgb(C_MUTED),
		    l[i].name);
		draw_text_wrap(d, DF_SMALL, x + 124, y, w - 124, 3, 14,
		    rgb(C_TEXT), l[i].value);
		panels_note(sc, "  %s: %s", l[i].name, l[i].value);
		y += 14 * (float)lines + 1;
	}
	free(l);
	return n > 0 ? y + 6 : y;
}

static void
panel_packet(struct scene *sc, struct draw *d, const struct replay *rp,
    sim_time now)
{
	const struct replay_pkt *p = NULL;
	struct decode_field f[64];
	struct draw_rect b = sc->sel_box;
	float x = b.x + 16, y = b.y + 14, w = b.w - 32, bottom = b.y + b.h - 8;
	char buf[160], t1[32], t2[32];
	const char *layer = "";
	const uint8_t *whole;
	size_t i, n, wlen;

	/* the latest hop of the selected packet that has started */
	for (i = rp->npkts; i-- > 0;)
		if (rp->pkts[i].uid == sc->v.sel_pkt && rp->pkts[i].t <= now &&
		    (p == NULL || rp->pkts[i].t > p->t))
			p = &rp->pkts[i];
	if (p == NULL) {
		snprintf(buf, sizeof(buf), "packet %llu is not on a link now",
		    (unsigned long long)sc->v.sel_pkt);
		draw_text(d, DF_SANS, x, y, rgb(C_MUTED), buf);
		return;
	}
	draw_round_rect(d, (struct draw_rect){ x, y + 2, 12, 12 }, 3,
	    rgb(style_class_rgb(p->cls)));
	decode_summary(p->hdr, p->hdr_len, p->len, buf, sizeof(buf));
	draw_text_fit(d, DF_BOLD, x + 20, y, w - 20, rgb(C_TEXT), buf);
	y += 20;
	if (p->link < sc->s->nlinks) {
		const struct scan_link *l = &sc->s->links[p->link];

		snprintf(buf, sizeof(buf), "uid %llu on %s: %s \xe2\x86\x92 %s",
		    (unsigned long long)p->uid, l->name,
		    scan_node_name(sc->s, l->node[p->dir]),
		    scan_node_name(sc->s, l->node[1 - p->dir]));
		draw_text_fit(d, DF_SMALL, x, y, w, rgb(C_MUTED), buf);
		y += 16;
	}
	units_fmt_time(t1, sizeof(t1), p->t);
	units_fmt_time(t2, sizeof(t2), p->arrive);
	snprintf(buf, sizeof(buf), "%u bytes, sent %s, arrives %s%s", p->len,
	    t1, t2, p->dropped ? " (dropped)" : "");
	draw_text_fit(d, DF_SMALL, x, y, w, rgb(C_MUTED), buf);
	y += 20;
	/* a frame the trace has whole: its BGP or BFD messages first */
	whole = replay_pkt_whole(p, &wlen);
	if (whole != NULL)
		y = panel_control(sc, d, whole, wlen, x, y, w, bottom);
	if (whole != NULL)
		n = decode_fields(whole, wlen, p->len, f, 64);
	else
		n = decode_fields(p->hdr, p->hdr_len, p->len, f, 64);
	for (i = 0; i < n && y < bottom - 14; i++) {
		if (strcmp(layer, f[i].layer) != 0) {
			layer = f[i].layer;
			draw_fill_rect(d, (struct draw_rect){ x - 4, y, w + 8,
			    16 }, rgb(C_PANEL2));
			draw_text(d, DF_BOLD, x, y, rgb(C_ACCENT), layer);
			y += 18;
			if (y >= bottom - 14)
				break;
		}
		draw_text_fit(d, DF_SMALL, x + 8, y, 112, rgb(C_MUTED),
		    f[i].name);
		draw_text_fit(d, DF_MONO, x + 124, y, w - 124, rgb(C_TEXT),
		    f[i].value);
		y += 14;
	}
}

/* What the selection box says with nothing selected. */
static void
panel_summary(struct scene *sc, struct draw *d, const struct replay *rp,
    sim_time now)
{
	struct draw_rect b = sc->sel_box;
	float x = b.x + 16, y = b.y + 12, w = b.w - 32, a, bb;
	size_t i, inflight = 0;
	char buf[96];

	for (i = 0; i < rp->npkts; i++)
		if (scene_pkt_span(&rp->pkts[i], now, &a, &bb))
			inflight++;
	snprintf(buf, sizeof(buf), "%zu packet%s on the wire", inflight,
	    inflight == 1 ? "" : "s");
	draw_text_fit(d, DF_BOLD, x, y, w, rgb(C_TEXT), buf);
	draw_text_wrap(d, DF_SMALL, x, y + 20, w, 2, 14, rgb(C_MUTED),
	    rp->nflows > 0 ? "Click a node for its routes, sessions and "
	    "flows, a packet for its headers; f selects a flow." :
	    "Click a node for its routes and sessions, or a packet for its "
	    "headers.");
}

/* One legend item at *x: a swatch drawn by kind, then its name. */
enum leg_kind { LK_CLASS, LK_UTIL, LK_DOWN, LK_QUEUE, LK_DROP };

static float
legend_item_w(struct draw *d, enum leg_kind k, const char *name)
{
	return (k == LK_CLASS ? 10.0f : 24.0f) + 5 +
	    (float)draw_text_width(d, DF_SMALL, name) + 12;
}

static void
legend_item(struct draw *d, float x, float y, enum leg_kind k, int cls,
    const char *name)
{
	float sx = x, sw = k == LK_CLASS ? 10.0f : 24.0f, i;

	switch (k) {
	case LK_CLASS:
		draw_round_rect(d, (struct draw_rect){ sx, y + 5, sw, 6 }, 3,
		    rgb(style_class_rgb(cls)));
		break;
	case LK_UTIL:
		for (i = 0; i < 12; i++)
			draw_fill_rect(d, (struct draw_rect){ sx + i * 2,
			    y + 5, 2, 6 }, rgb(style_util_rgb(fmaxf(0.01f,
			    i / 11))));
		break;
	case LK_DOWN:
		draw_dashed_line(d, sx, y + 8, sx + sw, y + 8, 3, 6, 4,
		    rgb(STYLE_DOWN_RGB));
		break;
	case LK_QUEUE:
		draw_line(d, sx, y + 8, sx + 10, y + 8, 5, rgb(C_WARN));
		draw_line(d, sx + 10, y + 8, sx + sw, y + 8, 5,
		    rgba(0x000000, 150));
		break;
	case LK_DROP:
		draw_circle(d, sx + 12, y + 8, 4, rgb(C_BAD));
		draw_ring(d, sx + 12, y + 8, 7, 1.6f, rgba(C_BAD, 160));
		break;
	}
	draw_text(d, DF_SMALL, x + sw + 5, y + 1, rgb(C_TEXT), name);
}

/*
 * The legend: a strip at the foot of the canvas, on whatever is selected,
 * packet classes first, then what links show; items flow into a second row
 * when the canvas is narrow, and are left out, never cut, past that.
 */
static const int leg_order[] = { DC_ICMP, DC_TCP_DATA, DC_TCP_ACK, DC_BGP,
	DC_BFD, DC_ESP, DC_UDP, DC_OTHER };
static const struct {
	enum leg_kind k;
	const char *name;
} leg_links[] = {
	{ LK_UTIL, "utilisation 0\xe2\x86\x92" "100%" },
	{ LK_DOWN, "link down" }, { LK_QUEUE, "queue" }, { LK_DROP, "drop" },
};
#define LEG_N (sizeof(leg_order) / sizeof(leg_order[0]))
#define LEG_NL (sizeof(leg_links) / sizeof(leg_links[0]))

static void
leg_item(size_t i, enum leg_kind *k, int *cls, const char **name)
{
	*k = i < LEG_N ? LK_CLASS : leg_links[i - LEG_N].k;
	*cls = i < LEG_N ? leg_order[i] : 0;
	*name = i < LEG_N ? decode_class_name[leg_order[i]] :
	    leg_links[i - LEG_N].name;
}

float
panels_legend_width(struct draw *d)
{
	float w = 14 + 8 + 8;
	enum leg_kind k;
	const char *name;
	size_t i;
	int cls;

	for (i = 0; i < LEG_N + LEG_NL; i++) {
		leg_item(i, &k, &cls, &name);
		w += legend_item_w(d, k, name);
	}
	return w;
}

/*
 * The legend: a strip at the foot of the canvas, on whatever is selected,
 * packet classes first, then what links show; items flow into a second row
 * when the canvas is narrow (the geometry gives the strip the rows its
 * width needs), and are left out, never cut, past that.
 */
void
panels_legend(struct scene *sc, struct draw *d)
{
	struct draw_rect b = sc->legend;
	float x0 = b.x + 14, x = x0, y = b.y + 6, right = b.x + b.w - 8;
	enum leg_kind k;
	const char *name;
	size_t i;
	int cls;

	draw_fill_rect(d, b, rgb(C_PANEL));
	draw_fill_rect(d, (struct draw_rect){ b.x, b.y, b.w, 1 },
	    rgb(C_BORDER));
	for (i = 0; i < LEG_N + LEG_NL; i++) {
		float iw;

		leg_item(i, &k, &cls, &name);
		iw = legend_item_w(d, k, name) + (i == LEG_N ? 8 : 0);
		if (x + iw - 12 > right) {
			if (y + 40 > b.y + b.h)
				break;
			x = x0;
			y += 20;
		}
		if (i == LEG_N && x > x0) {
			/* a divider between packets and links */
			draw_fill_rect(d, (struct draw_rect){ x - 6, y + 1, 1,
			    14 }, rgb(C_BORDER));
			x += 8;
		}
		legend_item(d, x, y, k, cls, name);
		x += legend_item_w(d, k, name);
	}
}

/*
 * The events around now: a third of the rows before, the rest after, each
 * on one line, or two when its text needs them.
 */
static void
draw_events(struct scene *sc, struct draw *d, sim_time now)
{
	const struct scan *s = sc->s;
	struct draw_rect b = sc->ev_box;
	float x = b.x + 16, y = b.y + 8, w = b.w - 32, row = 18, tx, bottom;
	size_t cur = scan_event_at(s, now + 1), first, i, rows;
	char tb[40], head[64];

	draw_fill_rect(d, (struct draw_rect){ b.x, b.y, b.w, 1 },
	    rgb(C_BORDER));
	snprintf(head, sizeof(head), "Events (%zu)", s->nevents);
	y = section_title(d, x, y, w, head) - 3;
	bottom = b.y + b.h - 4;
	tx = x + 10 + (float)draw_text_width(d, DF_MONO, "0.000000") + 18;
	rows = (size_t)((bottom - y) / row);
	if (rows > MAX_EV_ROWS)
		rows = MAX_EV_ROWS;
	first = cur > rows / 3 ? cur - rows / 3 : 0;
	if (first + rows > s->nevents)
		first = s->nevents > rows ? s->nevents - rows : 0;
	sc->ev_first = first;
	sc->ev_count = 0;
	sc->ev_y[0] = y;
	for (i = first; i < s->nevents && sc->ev_count < MAX_EV_ROWS; i++) {
		const struct scan_event *e = &s->events[i];
		bool past = e->t <= now, current = i + 1 == cur;
		struct draw_color tc = past ? rgb(C_TEXT) : rgb(C_FAINT);
		int lines = draw_text_wrap_lines(d, DF_SMALL, x + w - tx, 2,
		    e->text);
		float rh = row + (lines > 1 ? 14 : 0);

		if (y + rh > bottom)
			break;
		if (current)
			draw_fill_rect(d, (struct draw_rect){ b.x + 4, y - 1,
			    b.w - 8, rh }, rgba(0x1f6feb, 70));
		if (i == cur && cur > 0)
			draw_fill_rect(d, (struct draw_rect){ b.x + 8, y - 1,
			    b.w - 16, 1 }, rgba(C_ACCENT, 160));
		/* seconds to the microsecond: aligned, and short */
		snprintf(tb, sizeof(tb), "%lld.%06lld",
		    (long long)(e->t / 1000000000),
		    (long long)(e->t % 1000000000 / 1000));
		draw_text_fit(d, DF_MONO, x, y, tx - x - 18, past ?
		    rgb(C_MUTED) : rgb(C_FAINT), tb);
		draw_circle(d, tx - 10, y + 8, 3.5f, past ?
		    rgb(style_level_rgb(e->level)) :
		    rgba(style_level_rgb(e->level), 90));
		draw_text_wrap(d, DF_SMALL, tx, y + 1, x + w - tx, 2, 14, tc,
		    e->text);
		y += rh;
		sc->ev_y[++sc->ev_count] = y;
	}
	if (s->nevents == 0)
		draw_text(d, DF_SMALL, x, y, rgb(C_FAINT),
		    "no events in this trace");
}

void
panels_side(struct scene *sc, struct draw *d, const struct replay *rp,
    sim_time now)
{
	draw_fill_rect(d, sc->panel, rgb(C_PANEL));
	draw_fill_rect(d, (struct draw_rect){ sc->panel.x, sc->panel.y, 1,
	    sc->panel.h }, rgb(C_BORDER));
	draw_clip(d, &sc->sel_box);
	memset(&sc->fg, 0, sizeof(sc->fg));
	sc->nflow_rows = 0;
	sc->npanel_lines = 0;
	if (sc->v.sel_pkt != 0)
		panel_packet(sc, d, rp, now);
	else if (sc->v.flow_sel)
		panel_flow(sc, d, rp, now);
	else if (sc->v.bgp && sc->v.sel_node != SCENE_NONE &&
	    sc->v.sel_node < sc->s->nnodes &&
	    sc->s->nodes[sc->v.sel_node].present)
		panel_bgp(sc, d, rp, now);
	else if (sc->v.sel_node != SCENE_NONE &&
	    sc->v.sel_node < sc->s->nnodes &&
	    sc->s->nodes[sc->v.sel_node].present)
		panel_node(sc, d, rp, sc->v.sel_node);
	else
		panel_summary(sc, d, rp, now);
	draw_clip(d, &sc->ev_box);
	draw_events(sc, d, now);
	draw_clip(d, NULL);
}

#define TL_MAX_LABELS 64	/* as many as scene's tl_lines */
#define TL_MIN_CUT 160.0f	/* the least room for a cut label */

/*
 * Label milestone e at x on track tr where its text does not run into a
 * label already placed (lab: nlab spans x0, x1), before the next one or
 * the track's end (340 px at most). A milestone with a tag (a resource's
 * new state: "db-vcn AVAILABLE") is labelled whole or not at all; another
 * may be cut, but never to a stub (TL_MIN_CUT): a few labels read, where
 * many cut ones did not.
 */
static void
tl_label(struct scene *sc, struct draw *d, const struct scan_event *e,
    float x, struct draw_rect tr, float *lab, size_t *nlab)
{
	const char *text = e->tag != NULL ? e->tag : e->text;
	float x0 = x + 7, room = fminf(340, tr.x + tr.w - x0), tw, w;
	size_t k;

	if (*nlab >= TL_MAX_LABELS)
		return;
	for (k = 0; k < *nlab; k++) {
		if (x0 < lab[2 * k + 1] && x0 + 60 > lab[2 * k])
			return;		/* it would start on another */
		if (lab[2 * k] >= x0)
			room = fminf(room, lab[2 * k] - x0 - 14);
	}
	w = (float)draw_text_width(d, DF_SMALL, text);
	if (w > room && (e->tag != NULL || room < TL_MIN_CUT))
		return;
	tw = fminf(w, room);
	draw_text_fit(d, DF_SMALL, x0, tr.y - 29, room,
	    mix(style_level_rgb(e->level), 0xffffff, 0.3f), text);
	lab[2 * *nlab] = x0 - 7;
	lab[2 * *nlab + 1] = x0 + tw + 14;
	(*nlab)++;
	/* as drawn: a cut one ends in an ellipsis */
	if (sc->ntl_lines < sizeof(sc->tl_lines) / sizeof(sc->tl_lines[0]))
		snprintf(sc->tl_lines[sc->ntl_lines++],
		    sizeof(sc->tl_lines[0]), "%s%s", text, w > room ?
		    "\xe2\x80\xa6" : "");
}

void
panels_timeline(struct scene *sc, struct draw *d, sim_time now)
{
	const struct scan *s = sc->s;
	struct draw_rect tl = sc->timeline, tr = sc->track;
	uint32_t maxa = 1;
	float lastlab = -1e9f, lastms = -1e9f, lastother = -1e9f, cx;
	float lab[2 * TL_MAX_LABELS], lastfirst = -1e9f;
	size_t i, nlab, ncand, cand[TL_MAX_LABELS];
	size_t nfirst = 0, first[TL_MAX_LABELS], nchg = 0, chg[TL_MAX_LABELS];
	char buf[64];

	draw_fill_rect(d, tl, rgb(C_PANEL));
	draw_fill_rect(d, (struct draw_rect){ 0, tl.y, tl.w, 1 },
	    rgb(C_BORDER));
	draw_text(d, DF_BOLD, 18, tl.y + 5, rgb(C_TEXT), "Timeline");
	draw_text(d, DF_SMALL, 92, tl.y + 7, rgb(C_MUTED),
	    "idle stretches compressed \xc2\xb7 click to seek");
	/* idle gaps: a thin dotted line; active intervals: blocks */
	draw_dashed_line(d, tr.x, tr.y + tr.h / 2, tr.x + tr.w,
	    tr.y + tr.h / 2, 1.5f, 2, 4, rgb(C_FAINT));
	for (i = 0; i < s->nsegs; i++) {
		const struct scan_seg *g = &s->segs[i];
		float x0 = tr.x + g->x0 * tr.w, x1 = tr.x + g->x1 * tr.w;

		if (x1 - x0 < 3)
			x1 = x0 + 3;
		draw_round_rect(d, (struct draw_rect){ x0, tr.y, x1 - x0,
		    tr.h }, 4, rgb(C_PANEL2));
		draw_round_rect_outline(d, (struct draw_rect){ x0, tr.y,
		    x1 - x0, tr.h }, 4, 1, rgb(C_BORDER));
		if (i + 1 < s->nsegs) {
			float gx0 = x1, gx1 = tr.x + s->segs[i + 1].x0 * tr.w;

			scene_fmt_dur(buf, sizeof(buf), s->segs[i + 1].t0 - g->t1);
			if (gx1 - gx0 > (float)draw_text_width(d, DF_SMALL, buf)
			    + 6)
				draw_text(d, DF_SMALL, (gx0 + gx1) / 2 -
				    (float)draw_text_width(d, DF_SMALL, buf) / 2,
				    tr.y + tr.h / 2 - 16, rgb(C_FAINT), buf);
		}
	}
	/* activity and drops per bin */
	for (i = 0; i < SCAN_BINS; i++)
		if (s->activity[i] > maxa)
			maxa = s->activity[i];
	for (i = 0; i < SCAN_BINS; i++) {
		float x = tr.x + (float)i * tr.w / SCAN_BINS, bw = tr.w /
		    SCAN_BINS, hgt;

		if (s->activity[i] == 0)
			continue;
		hgt = (tr.h - 6) * log1pf((float)s->activity[i]) /
		    log1pf((float)maxa);
		if (hgt < 2)
			hgt = 2;
		draw_fill_rect(d, (struct draw_rect){ x, tr.y + tr.h - 3 - hgt,
		    bw + 0.5f, hgt }, rgba(0x388bfd, 150));
		if (s->drops[i] > 0)
			draw_fill_rect(d, (struct draw_rect){ x, tr.y + tr.h - 3 -
			    fmaxf(3, hgt * (float)s->drops[i] /
			    (float)s->activity[i]), bw + 0.5f, fmaxf(3, hgt *
			    (float)s->drops[i] / (float)s->activity[i]) },
			    rgba(C_BAD, 220));
	}
	/* milestones: diamonds above the track, labelled where there is
	 * room: the provisioning's transitions first (a field leaving a value
	 * for a settled or failed one: what a student seeks to), then its
	 * first values, then the others in the gaps left */
	nlab = ncand = 0;
	sc->ntl_lines = 0;
	for (i = 0; i < s->nevents; i++) {
		const struct scan_event *e = &s->events[i];
		float x, xy[8];

		if (!e->milestone)
			continue;
		x = scene_timeline_x(sc, e->t);
		xy[0] = x; xy[1] = tr.y - 13;
		xy[2] = x + 4.5f; xy[3] = tr.y - 8.5f;
		xy[4] = x; xy[5] = tr.y - 4;
		xy[6] = x - 4.5f; xy[7] = tr.y - 8.5f;
		draw_poly(d, xy, 4, rgb(style_level_rgb(e->level)));
		if (e->change) {
			if (x - lastms > 6 && nchg < TL_MAX_LABELS)
				chg[nchg++] = i;
			lastms = x;
		} else if (e->type == TR_PROV_STATE) {
			if (x - lastfirst > 6 && nfirst < TL_MAX_LABELS) {
				first[nfirst++] = i;
				lastfirst = x;
			}
		} else if (x - lastother > 6 && ncand < TL_MAX_LABELS) {
			cand[ncand++] = i;
			lastother = x;
		}
	}
	/* right to left: each label runs up to the next one placed */
	for (i = nchg; i-- > 0;)
		tl_label(sc, d, &s->events[chg[i]], scene_timeline_x(sc,
		    s->events[chg[i]].t), tr, lab, &nlab);
	for (i = nfirst; i-- > 0;)
		tl_label(sc, d, &s->events[first[i]], scene_timeline_x(sc,
		    s->events[first[i]].t), tr, lab, &nlab);
	for (i = ncand; i-- > 0;)
		tl_label(sc, d, &s->events[cand[i]], scene_timeline_x(sc,
		    s->events[cand[i]].t), tr, lab, &nlab);
	/* time labels under segment starts */
	lastlab = -1e9f;
	for (i = 0; i < s->nsegs; i++) {
		float x = tr.x + s->segs[i].x0 * tr.w, tw;

		units_fmt_time(buf, sizeof(buf), s->segs[i].t0);
		tw = (float)draw_text_width(d, DF_SMALL, buf);
		if (x < lastlab || x + tw > tr.x + tr.w)
			continue;
		draw_fill_rect(d, (struct draw_rect){ x, tr.y + tr.h, 1, 4 },
		    rgb(C_FAINT));
		draw_text(d, DF_SMALL, x, tr.y + tr.h + 5, rgb(C_MUTED), buf);
		lastlab = x + tw + 12;
	}
	if (s->truncated) {
		/*
		 * An interrupted run's trace ends where it was cut, not where
		 * the run would have: say so at the track's end, always (the
		 * last segment's start label gives way to it).
		 */
		char t[48];
		float tw;

		units_fmt_time(t, sizeof(t), s->end);
		snprintf(buf, sizeof(buf), "trace cut at %s", t);
		tw = (float)draw_text_width(d, DF_SMALL, buf);
		draw_fill_rect(d, (struct draw_rect){ tr.x + tr.w - 2, tr.y,
		    2, tr.h + 4 }, rgb(C_WARN));
		draw_fill_rect(d, (struct draw_rect){ tr.x + tr.w - tw - 8,
		    tr.y + tr.h + 4, tw + 8, 15 }, rgb(C_PANEL));
		draw_text(d, DF_SMALL, tr.x + tr.w - tw, tr.y + tr.h + 5,
		    rgb(C_WARN), buf);
	} else {
		float tw;

		units_fmt_time(buf, sizeof(buf), s->end);
		tw = (float)draw_text_width(d, DF_SMALL, buf);
		if (tr.x + tr.w - tw > lastlab)
			draw_text(d, DF_SMALL, tr.x + tr.w - tw,
			    tr.y + tr.h + 5, rgb(C_MUTED), buf);
	}
	panels_ops(sc, d, now);
	/* the cursor */
	cx = scene_timeline_x(sc, now);
	draw_fill_rect(d, (struct draw_rect){ tr.x, tr.y + tr.h - 2,
	    cx - tr.x, 2 }, rgba(C_ACCENT, 200));
	draw_line(d, cx, tr.y - 3, cx, tr.y + tr.h + 3, 2, rgb(0xffffff));
	{
		float xy[6] = { cx - 6, tr.y - 9, cx + 6, tr.y - 9, cx,
			tr.y - 2 };

		draw_poly(d, xy, 3, rgb(0xffffff));
	}
}

void
panels_tooltip(struct scene *sc, struct draw *d, const char *l1,
    const char *l2)
{
	float w = fmaxf((float)draw_text_width(d, DF_BOLD, l1),
	    (float)draw_text_width(d, DF_SMALL, l2)) + 20;
	float h = l2 != NULL && l2[0] ? 40 : 24;
	float x = (float)sc->v.mouse_x + 14, y = (float)sc->v.mouse_y + 16;

	if (x + w > (float)sc->w - 4)
		x = (float)sc->w - 4 - w;
	if (y + h > (float)sc->h - 4)
		y = (float)sc->v.mouse_y - h - 8;
	draw_round_rect(d, (struct draw_rect){ x + 2, y + 3, w, h }, 6,
	    rgba(0x000000, 120));
	draw_round_rect(d, (struct draw_rect){ x, y, w, h }, 6,
	    rgb(C_PANEL2));
	draw_round_rect_outline(d, (struct draw_rect){ x, y, w, h }, 6, 1,
	    rgb(C_BORDER));
	draw_text(d, DF_BOLD, x + 10, y + 4, rgb(C_TEXT), l1);
	if (l2 != NULL && l2[0])
		draw_text(d, DF_SMALL, x + 10, y + 21, rgb(C_MUTED), l2);
}

void
panels_hover(struct scene *sc, struct draw *d, const struct replay *rp,
    sim_time now)
{
	int mx = sc->v.mouse_x, my = sc->v.mouse_y;
	char l1[160], l2[160];
	size_t i;
	uint32_t n;
	uint64_t uid;

	if (mx < 0 || my < 0)
		return;
	/* an operation's bar: what, when, how long, how it ended */
	if (provops_hover(sc, d, mx, my))
		return;
	/* drops: the reason, where, how big */
	for (i = rp->ndrops; i-- > 0;) {
		const struct replay_drop *dr = &rp->drops[i];
		float x, y;

		if (dr->t > now || now - dr->t > rp->keep_drop)
			continue;
		scene_drop_place(sc, rp, dr, &x, &y);
		if (fabsf(x - (float)mx) < 9 && fabsf(y - (float)my) < 9) {
			snprintf(l1, sizeof(l1), "drop: %s",
			    dr->reason < DROP_MAX ?
			    trace_drop_name[dr->reason] : "?");
			units_fmt_time(l2, 40, dr->t);
			snprintf(l2 + strlen(l2), sizeof(l2) - strlen(l2),
			    " at %s, %u bytes, packet %llu",
			    scan_node_name(sc->s, dr->node), dr->len,
			    (unsigned long long)dr->uid);
			panels_tooltip(sc, d, l1, l2);
			return;
		}
	}
	/* a shaper's or policer's tag: what it holds, where */
	for (i = 0; i < sc->nqtags; i++) {
		const struct scan_queue *q = &sc->s->queues[sc->qtags[i].queue];
		const struct replay_queue *ql = sc->qtags[i].queue <
		    rp->nqueues ? &rp->queues[sc->qtags[i].queue] : NULL;
		const struct scan_link *l = &sc->s->links[q->link];

		if (!rect_has(sc->qtags[i].r, (float)mx, (float)my))
			continue;
		snprintf(l1, sizeof(l1), "%s on %s: %u packets, %llu bytes",
		    q->kind, l->name, ql != NULL ? ql->pkts : 0,
		    (unsigned long long)(ql != NULL ? ql->bytes : 0));
		snprintf(l2, sizeof(l2), "%s \xe2\x86\x92 %s \xc2\xb7 queue "
		    "limit %u packets", scan_node_name(sc->s, l->node[q->dir]),
		    scan_node_name(sc->s, l->node[1 - q->dir]), l->qlimit_pkts);
		if (l->qlimit_bytes > 0)
			snprintf(l2 + strlen(l2), sizeof(l2) - strlen(l2),
			    ", %llu bytes",
			    (unsigned long long)l->qlimit_bytes);
		panels_tooltip(sc, d, l1, l2);
		return;
	}
	uid = scene_hit_packet(sc, rp, now, mx, my);
	if (uid != 0) {
		for (i = rp->npkts; i-- > 0;) {
			const struct replay_pkt *p = &rp->pkts[i];
			float a, b;

			if (p->uid != uid || !scene_pkt_span(p, now, &a, &b))
				continue;
			decode_summary(p->hdr, p->hdr_len, p->len, l1,
			    sizeof(l1));
			snprintf(l2, sizeof(l2), "%u bytes \xc2\xb7 click for "
			    "the headers", p->len);
			panels_tooltip(sc, d, l1, l2);
			return;
		}
	}
	n = scene_hit_node(sc, mx, my);
	if (n != SCENE_NONE) {
		snprintf(l1, sizeof(l1), "%s", sc->s->nodes[n].name);
		snprintf(l2, sizeof(l2), "%s \xc2\xb7 %s",
		    style_role_name(sc->s->nodes[n].role, true),
		    sc->s->nodes[n].region);
		panels_tooltip(sc, d, l1, l2);
		return;
	}
	/* milestones on the timeline */
	if ((float)my > sc->track.y - 16 && (float)my < sc->track.y + 2) {
		for (i = 0; i < sc->s->nevents; i++) {
			const struct scan_event *e = &sc->s->events[i];

			if (!e->milestone || fabsf(scene_timeline_x(sc, e->t) -
			    (float)mx) > 5)
				continue;
			units_fmt_time(l2, sizeof(l2), e->t);
			panels_tooltip(sc, d, e->text, l2);
			return;
		}
	}
}

void
panels_help(struct scene *sc, struct draw *d)
{
	static const char *const keys[][2] = {
		{ "space", "play / pause" },
		{ "\xe2\x86\x90  \xe2\x86\x92", "step one event back / forward" },
		{ "+  \xe2\x88\x92", "faster / slower (1e-6\xc3\x97 to 1e3\xc3\x97)" },
		{ "home  end", "start / end of the trace" },
		{ "click timeline", "seek" },
		{ "click event", "jump to it" },
		{ "click node", "routes and sessions" },
		{ "click packet", "headers, field by field" },
		{ "f  shift+f", "next / previous flow (the node's)" },
		{ "b", "the node's BGP neighbours and Loc-RIB" },
		{ "[  ]", "scroll the Loc-RIB" },
		{ "drag  wheel", "pan / zoom" },
		{ "0", "reset the view" },
		{ "?", "this help" },
		{ "q  esc", "quit" },
	};
	float w = 470, h = 52 + 22 * (float)(sizeof(keys) / sizeof(keys[0]));
	float x = ((float)sc->w - w) / 2, y = ((float)sc->h - h) / 2;
	size_t i;

	draw_fill_rect(d, (struct draw_rect){ 0, 0, (float)sc->w,
	    (float)sc->h }, rgba(0x000000, 140));
	draw_round_rect(d, (struct draw_rect){ x, y, w, h }, 12, rgb(C_PANEL));
	draw_round_rect_outline(d, (struct draw_rect){ x, y, w, h }, 12, 1.2f,
	    rgb(C_BORDER));
	draw_text(d, DF_TITLE, x + 22, y + 16, rgb(C_TEXT), "Keys");
	for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		float ry = y + 46 + 22 * (float)i;
		float kw = (float)draw_text_width(d, DF_MONO, keys[i][0]);

		draw_round_rect(d, (struct draw_rect){ x + 22, ry - 1,
		    kw + 14, 19 }, 5, rgb(C_PANEL2));
		draw_text(d, DF_MONO, x + 29, ry + 1, rgb(C_SELECT),
		    keys[i][0]);
		draw_text(d, DF_SANS, x + 170, ry, rgb(C_TEXT), keys[i][1]);
	}
}

