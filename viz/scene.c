/*
 * scene.c - drawing a frame: header, topology canvas, side panel, timeline.
 *
 * Geometry first (scene_geometry: node centres, link lanes, panel boxes),
 * then painting in back-to-front order. Each link has two lanes, one per
 * direction, offset to either side of the link's axis, so packets going
 * each way never overlap. A packet is the stretch of its lane its bits
 * occupy at time now: the head advances from the sender from the first bit's
 * transmission at the propagation speed, the tail follows once the last bit
 * has left, so a frame's drawn length is its serialisation time against the
 * link's delay.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "decode.h"
#include "layout.h"
#include "scene.h"
#include "util.h"

#define HEADER_H 44.0f
#define TIMELINE_H 100.0f
#define PANEL_W 340.0f
#define TILE 46.0f
#define LANE_OFF 4.5f
#define PKT_W 6.0f

/* the palette: GitHub-dark-like neutrals, the clouds' brand colours */
#define C_BG 0x0d1117u
#define C_CANVAS 0x0f141au
#define C_PANEL 0x161b22u
#define C_PANEL2 0x1c2129u
#define C_BORDER 0x30363du
#define C_TEXT 0xe6edf3u
#define C_MUTED 0x8b949eu
#define C_FAINT 0x484f58u
#define C_ACCENT 0x58a6ffu
#define C_AZURE 0x0078d4u
#define C_ORACLE 0xc74634u
#define C_PEERING 0x6e7781u
#define C_INTERNET 0x8250dfu
#define C_HOST 0x238636u
#define C_ROUTER 0x57606au
#define C_IDLE 0x3a4350u
#define C_GOOD 0x3fb950u
#define C_WARN 0xd29922u
#define C_BAD 0xf85149u
#define C_SELECT 0xf2cc60u

struct lane {
	bool ok;
	float x0, y0, x1, y1;	/* sender to receiver */
	float len, ux, uy;	/* length and unit direction */
	float nx, ny;		/* unit normal, away from the other lane */
};

struct scene {
	const struct scan *s;
	char *title;
	struct layout lay;
	int w, h;
	struct scene_view v;
	float tile;
	struct draw_rect header, canvas, panel, sel_box, ev_box, timeline,
	    track;
	float *nx, *ny;		/* node centres on screen */
	float *link_off;	/* parallel links between the same nodes */
	struct lane *lanes;	/* 2 per link */
	float *util;		/* 2 per link, this frame */
	float mid_x, mid_y;	/* centre of the nodes on screen */
	/* the event rows drawn, for clicks */
	size_t ev_first, ev_count;
	float ev_row_h;
};

static const uint32_t class_rgb[DC_MAX] = {
	[DC_OTHER] = 0xb1bac4u,
	[DC_ICMP] = 0xf2cc60u,
	[DC_TCP_DATA] = 0x4493f8u,
	[DC_TCP_ACK] = 0x9ecbffu,
	[DC_BGP] = 0xd2a8ffu,
	[DC_BFD] = 0xffa657u,
	[DC_ESP] = 0x3fd5c8u,
	[DC_UDP] = 0x7ee787u,
};

uint32_t
scene_class_rgb(int cls)
{
	return cls >= 0 && cls < DC_MAX ? class_rgb[cls] : class_rgb[0];
}

static struct draw_color
rgb(uint32_t v)
{
	return draw_rgb(v);
}

static struct draw_color
rgba(uint32_t v, uint8_t a)
{
	return draw_alpha(draw_rgb(v), a);
}

static struct draw_color
mix(uint32_t a, uint32_t b, float f)
{
	struct draw_color ca = rgb(a), cb = rgb(b);

	if (f < 0)
		f = 0;
	if (f > 1)
		f = 1;
	ca.r = (uint8_t)((float)ca.r + ((float)cb.r - (float)ca.r) * f);
	ca.g = (uint8_t)((float)ca.g + ((float)cb.g - (float)ca.g) * f);
	ca.b = (uint8_t)((float)ca.b + ((float)cb.b - (float)ca.b) * f);
	return ca;
}

static uint32_t
level_rgb(int level)
{
	switch (level) {
	case SL_GOOD:
		return C_GOOD;
	case SL_WARN:
		return C_WARN;
	case SL_BAD:
		return C_BAD;
	default:
		return C_ACCENT;
	}
}

static uint32_t
role_rgb(const char *role)
{
	switch (layout_role_family(role)) {
	case 1:
		return C_AZURE;
	case 2:
		return C_ORACLE;
	case 3:
		return C_INTERNET;
	default:
		break;
	}
	if (role != NULL && strcmp(role, "host") == 0)
		return C_HOST;
	if (role != NULL && (strcmp(role, "msee") == 0 ||
	    strncmp(role, "provider-", 9) == 0))
		return C_PEERING;
	return C_ROUTER;
}

/* Role names: short under a tile, long in the panel and tooltips. */
static const struct {
	const char *role, *brief, *full;
} role_names[] = {
	{ "azure-vm", "Azure VM", "Azure virtual machine" },
	{ "azure-er-gateway", "ER gateway", "ExpressRoute gateway" },
	{ "azure-vpn-gateway", "VPN gateway", "Azure VPN gateway" },
	{ "msee", "MSEE", "Microsoft enterprise edge (MSEE)" },
	{ "provider-edge", "provider edge", "provider edge router" },
	{ "provider-core", "provider core", "provider core router" },
	{ "oci-edge", "Oracle edge", "Oracle FastConnect edge router" },
	{ "oci-drg", "DRG", "dynamic routing gateway (DRG)" },
	{ "oci-instance", "OCI instance", "OCI compute instance" },
	{ "internet", "internet", "the internet" },
};

static const char *
role_name(const char *role, bool full)
{
	size_t i;

	for (i = 0; role != NULL && i < sizeof(role_names) /
	    sizeof(role_names[0]); i++)
		if (strcmp(role, role_names[i].role) == 0)
			return full ? role_names[i].full : role_names[i].brief;
	return role != NULL ? role : "";
}

static const char *
role_label(const char *role)
{
	return role_name(role, false);
}

static const char *
proto_label(uint8_t p)
{
	static const char *const names[TRP_MAX] = { [TRP_TCP] = "TCP",
		[TRP_BGP] = "BGP", [TRP_BFD] = "BFD", [TRP_IKE] = "IKE" };

	return p < TRP_MAX && names[p] != NULL ? names[p] : "session";
}

static int
state_level(const char *st)
{
	if (st == NULL)
		return SL_INFO;
	if (strcasecmp(st, "established") == 0 || strcasecmp(st, "up") == 0 ||
	    strcasecmp(st, "succeeded") == 0 ||
	    strcasecmp(st, "provisioned") == 0 ||
	    strcasecmp(st, "connected") == 0 ||
	    strcasecmp(st, "available") == 0 ||
	    strcasecmp(st, "running") == 0)
		return SL_GOOD;
	if (strcasecmp(st, "idle") == 0 || strcasecmp(st, "down") == 0 ||
	    strcasecmp(st, "failed") == 0 || strcasecmp(st, "closed") == 0 ||
	    strcasecmp(st, "adminDown") == 0)
		return SL_BAD;
	return SL_WARN;
}

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
	sc->link_off = xcalloc(s->nlinks ? s->nlinks : 1, sizeof(float));
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
	free(sc->link_off);
	free(sc->lanes);
	free(sc->util);
	free(sc);
}

void
scene_geometry(struct scene *sc, int w, int h, const struct scene_view *v)
{
	const struct scan *s = sc->s;
	float pw = w < 1000 ? 280.0f : PANEL_W, padx = 80, padt = 64, padb = 78;
	float cx, cy, z = v->zoom > 0 ? v->zoom : 1, ts;
	size_t i;

	sc->w = w;
	sc->h = h;
	sc->v = *v;
	sc->header = (struct draw_rect){ 0, 0, (float)w, HEADER_H };
	sc->timeline = (struct draw_rect){ 0, (float)h - TIMELINE_H, (float)w,
		TIMELINE_H };
	sc->canvas = (struct draw_rect){ 0, HEADER_H, (float)w - pw,
		(float)h - HEADER_H - TIMELINE_H };
	sc->panel = (struct draw_rect){ (float)w - pw, HEADER_H, pw,
		sc->canvas.h };
	sc->ev_box = sc->panel;
	/* a packet's headers need the room more than the event list */
	sc->ev_box.h = floorf(sc->panel.h * (v->sel_pkt != 0 ? 0.2f : 0.42f));
	sc->ev_box.y = sc->panel.y + sc->panel.h - sc->ev_box.h;
	sc->sel_box = sc->panel;
	sc->sel_box.h = sc->panel.h - sc->ev_box.h;
	sc->track = (struct draw_rect){ 18, sc->timeline.y + 52,
		(float)w - 36, 26 };
	ts = sqrtf(z);
	if (ts < 0.75f)
		ts = 0.75f;
	if (ts > 1.5f)
		ts = 1.5f;
	sc->tile = TILE * ts;
	cx = sc->canvas.x + sc->canvas.w / 2;
	cy = sc->canvas.y + sc->canvas.h / 2;
	for (i = 0; i < s->nnodes; i++) {
		float bx = sc->canvas.x + padx + sc->lay.x[i] *
		    (sc->canvas.w - 2 * padx);
		float by = sc->canvas.y + padt + sc->lay.y[i] *
		    (sc->canvas.h - padt - padb);

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

static bool
in_rect(struct draw_rect r, float x, float y)
{
	return x >= r.x && y >= r.y && x < r.x + r.w && y < r.y + r.h;
}

void
scene_canvas_rect(const struct scene *sc, struct draw_rect *r)
{
	*r = sc->canvas;
}

bool
scene_in_canvas(const struct scene *sc, int x, int y)
{
	return in_rect(sc->canvas, (float)x, (float)y);
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
static bool
pkt_span(const struct replay_pkt *p, sim_time now, float *tail, float *head)
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

		if (p->link >= sc->s->nlinks || !pkt_span(p, now, &ft, &fh))
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
	float top = sc->ev_box.y + 30;
	long row;

	if (!in_rect(sc->ev_box, (float)x, (float)y) || (float)y < top ||
	    sc->ev_row_h <= 0)
		return -1;
	row = (long)(((float)y - top) / sc->ev_row_h);
	if (row < 0 || (size_t)row >= sc->ev_count)
		return -1;
	return (long)sc->ev_first + row;
}

sim_time
scene_hit_timeline(const struct scene *sc, int x, int y)
{
	struct draw_rect r = sc->track;
	float f;

	r.y -= 30;
	r.h += 52;
	r.x -= 6;
	r.w += 12;
	if (!in_rect(r, (float)x, (float)y))
		return -1;
	f = ((float)x - sc->track.x) / sc->track.w;
	if (f < 0)
		f = 0;
	if (f > 1)
		f = 1;
	return scan_x_to_time(sc->s, f);
}

/* --- formatting --- */

/* "1.000 250 000 s": seconds with the nanoseconds grouped by three. */
static void
fmt_clock(char *b, size_t n, sim_time t)
{
	long long s = (long long)(t / 1000000000), ns = (long long)(t %
	    1000000000);

	snprintf(b, n, "%lld.%03lld %03lld %03lld s", s, ns / 1000000,
	    (ns / 1000) % 1000, ns % 1000);
}

static void
fmt_speed(char *b, size_t n, double sp)
{
	int e;

	if (sp >= 0.001 || sp <= 0) {
		snprintf(b, n, "%g\xc3\x97", sp);
		return;
	}
	e = (int)floor(log10(sp) + 1e-9);
	snprintf(b, n, "%ge%d\xc3\x97", floor(sp / pow(10, e) + 0.5), e);
}

static void
fmt_rate(char *b, size_t n, uint64_t bps)
{
	if (bps >= 1000000000ULL && bps % 1000000000ULL == 0)
		snprintf(b, n, "%llu Gbps", (unsigned long long)(bps /
		    1000000000ULL));
	else if (bps >= 1000000000ULL)
		snprintf(b, n, "%.1f Gbps", (double)bps / 1e9);
	else if (bps >= 1000000ULL)
		snprintf(b, n, "%.0f Mbps", (double)bps / 1e6);
	else
		snprintf(b, n, "%.0f kbps", (double)bps / 1e3);
}

static void
fmt_dur(char *b, size_t n, sim_time d)
{
	if (d >= SIM_S(1))
		snprintf(b, n, "%.3g s", (double)d / 1e9);
	else if (d >= SIM_MS(1))
		snprintf(b, n, "%.3g ms", (double)d / 1e6);
	else if (d >= SIM_US(1))
		snprintf(b, n, "%.3g \xc2\xb5s", (double)d / 1e3);
	else
		snprintf(b, n, "%lld ns", (long long)d);
}

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

static void
draw_groups(struct scene *sc, struct draw *d)
{
	static const uint32_t gcol[LG_MAX] = { C_AZURE, C_PEERING, C_ORACLE,
		C_INTERNET };
	float z = sc->v.zoom > 0 ? sc->v.zoom : 1;
	float cx = sc->canvas.x + sc->canvas.w / 2;
	float cy = sc->canvas.y + sc->canvas.h / 2;
	float padx = 80, padt = 64, padb = 78;
	struct draw_rect r[LG_MAX];
	float nx0[LG_MAX], nx1[LG_MAX];
	int g, k;

	for (g = 0; g < LG_MAX; g++) {
		const struct layout_group *lg = &sc->lay.groups[g];
		float x0, x1, y0, y1, t = sc->tile;

		if (!lg->present)
			continue;
		x0 = sc->canvas.x + padx + lg->x0 * (sc->canvas.w - 2 * padx);
		x1 = sc->canvas.x + padx + lg->x1 * (sc->canvas.w - 2 * padx);
		y0 = sc->canvas.y + padt + lg->y0 * (sc->canvas.h - padt -
		    padb);
		y1 = sc->canvas.y + padt + lg->y1 * (sc->canvas.h - padt -
		    padb);
		nx0[g] = cx + (x0 - cx) * z + sc->v.pan_x;
		nx1[g] = cx + (x1 - cx) * z + sc->v.pan_x;
		x0 = nx0[g] - t / 2 - 52;
		x1 = nx1[g] + t / 2 + 52;
		y0 = cy + (y0 - cy) * z + sc->v.pan_y - t / 2 - 40;
		y1 = cy + (y1 - cy) * z + sc->v.pan_y + t / 2 + 66;
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
		draw_circle(d, r[g].x + 16, r[g].y + 15, 4, rgb(gcol[g]));
		draw_text_fit(d, DF_BOLD, r[g].x + 26, r[g].y + 7, r[g].w - 34,
		    mix(gcol[g], 0xffffff, 0.55f), sc->lay.groups[g].title);
	}
}

static struct draw_color
util_color(float u)
{
	if (u < 0.002f)
		return rgb(C_IDLE);
	if (u < 0.5f)
		return mix(C_GOOD, C_WARN, u / 0.5f);
	return mix(C_WARN, C_BAD, (u - 0.5f) / 0.5f);
}

static void
compute_util(struct scene *sc, const struct replay *rp, sim_time now)
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

static bool
overlaps(struct draw_rect a, struct draw_rect b)
{
	return a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h &&
	    b.y < a.y + a.h;
}

/* Whether r would cover a node's tile or labels, or a placed label. */
static bool
label_collides(const struct scene *sc, struct draw_rect r,
    const struct draw_rect *placed, size_t nplaced)
{
	size_t i;

	for (i = 0; i < sc->s->nnodes; i++) {
		float t = sc->tile;
		struct draw_rect tile = { sc->nx[i] - t / 2 - 4,
			sc->ny[i] - t / 2 - 4, t + 8, t + 8 };
		struct draw_rect text = { sc->nx[i] - 72, sc->ny[i] + t / 2,
			144, 42 };

		if (sc->s->nodes[i].present && (overlaps(r, tile) ||
		    overlaps(r, text)))
			return true;
	}
	for (i = 0; i < nplaced; i++)
		if (overlaps(r, placed[i]))
			return true;
	return false;
}

#define MAX_LABELS 256

/*
 * A link's label goes beside its middle (above it when it is level, on the
 * side away from the picture's centre when it slants), or a little either
 * way along it, wherever it covers nothing; else it is left out.
 */
static void
place_link_label(struct scene *sc, struct draw *d, const struct lane *a,
    const char *lab, float tw, bool up, struct draw_rect *placed,
    size_t *nplaced)
{
	static const float along[] = { 0.5f, 0.36f, 0.64f, 0.25f, 0.75f };
	float ox = a->nx, oy = a->ny;
	size_t k;

	if (fabsf(a->uy) <= 0.3f && tw + 4 > a->len)
		return;
	for (k = 0; k < sizeof(along) / sizeof(along[0]); k++) {
		float mx = a->x0 + (a->x1 - a->x0) * along[k];
		float my = a->y0 + (a->y1 - a->y0) * along[k];
		struct draw_rect r;

		if (fabsf(a->uy) <= 0.3f) {
			r = (struct draw_rect){ mx - tw / 2, my -
				fabsf(a->ny * 16) - 9, tw, 14 };
		} else {
			if ((mx - sc->mid_x) * ox + (my - sc->mid_y) * oy < 0) {
				ox = -ox;
				oy = -oy;
			}
			r = (struct draw_rect){ mx + ox * 12 + (ox < 0 ? -tw :
				0), my + oy * 12 - 7, tw, 14 };
		}
		if (label_collides(sc, r, placed, *nplaced))
			continue;
		if (*nplaced < MAX_LABELS)
			placed[(*nplaced)++] = r;
		draw_text(d, DF_SMALL, r.x, r.y, up ? rgb(C_MUTED) :
		    rgb(SCENE_DOWN_RGB), lab);
		return;
	}
}

static void
draw_links(struct scene *sc, struct draw *d, const struct replay *rp)
{
	const struct scan *s = sc->s;
	size_t i, nplaced = 0;
	int dir;
	char lab[96], rate[32], dl[32];
	struct draw_rect placed[MAX_LABELS];

	for (i = 0; i < s->nlinks; i++) {
		const struct lane *a = &sc->lanes[2 * i], *b = &sc->lanes[2 * i +
		    1];
		bool up = i < rp->nlinks ? rp->links[i].up : true;
		float tw;

		if (!a->ok)
			continue;
		if (!up) {
			/* both lanes, dashed in the down colour */
			draw_dashed_line(d, a->x0, a->y0, a->x1, a->y1, 3, 7, 5,
			    rgb(SCENE_DOWN_RGB));
			draw_dashed_line(d, b->x1, b->y1, b->x0, b->y0, 3, 7, 5,
			    rgb(SCENE_DOWN_RGB));
		} else {
			for (dir = 0; dir < 2; dir++) {
				const struct lane *ln = dir ? b : a;
				float u = sc->util[2 * i + (size_t)dir];

				draw_line(d, ln->x0, ln->y0, ln->x1, ln->y1,
				    u > 0.002f ? 3.2f : 2.4f, util_color(u));
			}
		}
		/* name and parameters along the link, when there is room */
		fmt_rate(rate, sizeof(rate), s->links[i].rate_bps[0]);
		fmt_dur(dl, sizeof(dl), s->links[i].delay[0]);
		snprintf(lab, sizeof(lab), "%s \xc2\xb7 %s \xc2\xb7 %s",
		    s->links[i].name, rate, dl);
		tw = (float)draw_text_width(d, DF_SMALL, lab);
		if (tw + 8 > a->len) {
			snprintf(lab, sizeof(lab), "%s", s->links[i].name);
			tw = (float)draw_text_width(d, DF_SMALL, lab);
		}
		place_link_label(sc, d, a, lab, tw, up, placed, &nplaced);
	}
}

/* "DOWN" over each down link, on top of everything on the canvas. */
static void
draw_down_pills(struct scene *sc, struct draw *d, const struct replay *rp)
{
	float pw = (float)draw_text_width(d, DF_SMALL, "DOWN") + 12;
	size_t i;

	for (i = 0; i < sc->s->nlinks && i < rp->nlinks; i++) {
		const struct lane *a = &sc->lanes[2 * i], *b = &sc->lanes[2 * i +
		    1];
		float bx, by;
		struct draw_rect pill;

		if (!a->ok || rp->links[i].up)
			continue;
		bx = (a->x0 + b->x1) / 2;
		by = (a->y0 + b->y1) / 2;
		pill = (struct draw_rect){ bx - pw / 2, by + 11, pw, 16 };
		draw_round_rect(d, pill, 8, rgb(SCENE_DOWN_RGB));
		draw_text(d, DF_SMALL, pill.x + 6, pill.y + 1, rgb(0xffffff),
		    "DOWN");
	}
}

static void
draw_queues(struct scene *sc, struct draw *d, const struct replay *rp)
{
	const struct scan *s = sc->s;
	size_t i;
	int dir;
	char lab[32];

	for (i = 0; i < s->nlinks && i < rp->nlinks; i++) {
		for (dir = 0; dir < 2; dir++) {
			const struct lane *ln = &sc->lanes[2 * i + (size_t)dir];
			const struct replay_dir *q = &rp->links[i].d[dir];
			const struct scan_link *l = &s->links[i];
			float fill, blen, bx, by, ex, ey;

			if (!ln->ok || q->qpkts == 0)
				continue;
			if (l->qlimit_bytes > 0)
				fill = (float)q->qbytes / (float)l->qlimit_bytes;
			else if (l->qlimit_pkts > 0)
				fill = (float)q->qpkts / (float)l->qlimit_pkts;
			else
				fill = log10f(1 + (float)q->qpkts) / 3;
			if (fill > 1)
				fill = 1;
			if (fill < 0.04f)
				fill = 0.04f;
			blen = fminf(44, ln->len * 0.45f);
			bx = ln->x0 + ln->nx * 9;
			by = ln->y0 + ln->ny * 9;
			ex = bx + ln->ux * blen;
			ey = by + ln->uy * blen;
			draw_line(d, bx, by, ex, ey, 5, rgba(0x000000, 150));
			draw_line(d, bx, by, bx + (ex - bx) * fill,
			    by + (ey - by) * fill, 5,
			    fill > 0.8f ? rgb(C_BAD) : rgb(C_WARN));
			snprintf(lab, sizeof(lab), "%u", q->qpkts);
			draw_text(d, DF_SMALL, ex + ln->nx * 8 - 3,
			    ey + ln->ny * 8 - 7, rgb(C_WARN), lab);
		}
	}
}

static void
draw_sessions(struct scene *sc, struct draw *d, const struct replay *rp)
{
	size_t i, j;
	char lab[64];

	for (i = 0; i < rp->nsess; i++) {
		const struct replay_session *a = &rp->sess[i];
		uint32_t peer = scan_find_node(sc->s, a->peer);
		int lvl = state_level(a->state);
		float ax, ay, bx, by, mx, my, nx, ny, len, bend, xy[2 * 25];
		bool dup = false;
		uint32_t col;
		int k;

		if (peer == UINT32_MAX || a->node >= sc->s->nnodes ||
		    peer == a->node)
			continue;
		/* one arc per pair: the other end's state may be worse */
		for (j = 0; j < rp->nsess; j++) {
			const struct replay_session *b = &rp->sess[j];

			if (j == i || b->proto != a->proto ||
			    b->node != peer ||
			    scan_find_node(sc->s, b->peer) != a->node)
				continue;
			if (j < i)
				dup = true;
			if (state_level(b->state) > lvl)
				lvl = state_level(b->state);
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
		bend = 0.18f * len + 18;
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
		snprintf(lab, sizeof(lab), "%s %s", proto_label(a->proto),
		    a->state);
		{
			float tw = (float)draw_text_width(d, DF_SMALL, lab);
			struct draw_rect pill = { xy[24] - tw / 2 - 7,
				xy[25] - 9, tw + 14, 17 };

			draw_round_rect(d, pill, 8.5f, rgb(C_PANEL));
			draw_round_rect_outline(d, pill, 8.5f, 1.2f,
			    rgb(col));
			draw_text(d, DF_SMALL, pill.x + 7, pill.y + 1,
			    mix(col, 0xffffff, 0.3f), lab);
		}
	}
}

static void
draw_packets(struct scene *sc, struct draw *d, const struct replay *rp,
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

		if (p->link >= sc->s->nlinks || !pkt_span(p, now, &ft, &fh))
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
		draw_quad(d, q, rgb(scene_class_rgb(p->cls)));
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

static void
drop_place(struct scene *sc, const struct replay *rp,
    const struct replay_drop *dr, float *x, float *y)
{
	size_t i;

	if (dr->link < sc->s->nlinks && dr->dir <= 1 &&
	    sc->lanes[2 * dr->link + dr->dir].ok) {
		const struct lane *ln = &sc->lanes[2 * dr->link + dr->dir];
		float f = 0;

		for (i = 0; i < rp->npkts; i++) {
			const struct replay_pkt *p = &rp->pkts[i];
			float ft, fh;

			if (p->uid == dr->uid && p->link == dr->link &&
			    p->dropped && p->gone == dr->t) {
				if (pkt_span(p, dr->t - 1, &ft, &fh))
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

/* The marks (labels false) go under the nodes, the reasons over them. */
static void
draw_drops(struct scene *sc, struct draw *d, const struct replay *rp,
    sim_time now, bool labels)
{
	float labeled[2 * 32];
	size_t nlab = 0, i, k;

	/* newest first, so the newest drop at a place gets the label */
	for (i = rp->ndrops; i-- > 0;) {
		const struct replay_drop *dr = &rp->drops[i];
		float x, y, age, a, r;
		bool dup = false;
		uint8_t al;

		if (dr->t > now || now - dr->t > rp->keep_drop)
			continue;
		age = rp->keep_drop > 0 ? (float)((double)(now - dr->t) /
		    (double)rp->keep_drop) : 0;
		drop_place(sc, rp, dr, &x, &y);
		a = 1 - age;
		al = (uint8_t)(255 * a);
		r = 5 + 12 * age;
		if (labels)
			goto label;
		draw_ring(d, x, y, r, 2.2f, rgba(C_BAD, al));
		draw_circle(d, x, y, 5, rgba(C_BAD, (uint8_t)(120 + 135 * a)));
		draw_line(d, x - 2.5f, y - 2.5f, x + 2.5f, y + 2.5f, 1.6f,
		    rgba(0xffffff, al));
		draw_line(d, x - 2.5f, y + 2.5f, x + 2.5f, y - 2.5f, 1.6f,
		    rgba(0xffffff, al));
		continue;
label:
		for (k = 0; k < nlab; k++)
			if (fabsf(labeled[2 * k] - x) < 40 &&
			    fabsf(labeled[2 * k + 1] - y) < 14)
				dup = true;
		if (!dup && nlab < 32) {
			labeled[2 * nlab] = x;
			labeled[2 * nlab + 1] = y;
			nlab++;
			const char *why = dr->reason < DROP_MAX ?
			    trace_drop_name[dr->reason] : "drop";
			float tw = (float)draw_text_width(d, DF_SMALL, why);

			draw_round_rect(d, (struct draw_rect){ x + 8, y - 22,
			    tw + 10, 16 }, 8, rgba(0x3d1214, (uint8_t)(120 +
			    100 * a)));
			draw_text(d, DF_SMALL, x + 13, y - 21,
			    rgba(0xff7b72, (uint8_t)(110 + 145 * a)), why);
		}
	}
}

static void
draw_nodes(struct scene *sc, struct draw *d, const struct replay *rp)
{
	const struct scan *s = sc->s;
	float ts = sc->tile / TILE;
	size_t i, k;

	for (i = 0; i < s->nnodes; i++) {
		const struct scan_node *nd = &s->nodes[i];
		struct draw_rect r, top;
		float cx = sc->nx[i], cy = sc->ny[i], ly, tw;
		uint32_t col;
		int nbadge = 0, more = 0;

		if (!nd->present)
			continue;
		col = role_rgb(nd->role);
		scene_node_rect(sc, (uint32_t)i, &r);
		if (sc->v.sel_node == i) {
			struct draw_rect o = { r.x - 5, r.y - 5, r.w + 10,
				r.h + 10 };

			draw_round_rect_outline(d, o, 14, 2.5f, rgb(C_SELECT));
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
		draw_icon(d, nd->role, cx, cy, ts);
		ly = r.y + r.h + 5;
		tw = (float)draw_text_width(d, DF_BOLD, nd->name);
		draw_text(d, DF_BOLD, cx - tw / 2, ly, rgb(C_TEXT), nd->name);
		ly += 16;
		tw = (float)draw_text_width(d, DF_SMALL, role_label(nd->role));
		draw_text(d, DF_SMALL, cx - tw / 2, ly, rgb(C_MUTED),
		    role_label(nd->role));
		ly += 17;
		/* provisioning badges */
		for (k = 0; k < rp->nprov; k++) {
			const struct replay_prov *p = &rp->prov[k];
			char lab[96];
			struct draw_rect pill;
			uint32_t pc;

			if (p->node != i)
				continue;
			if (nbadge >= 2) {
				more++;
				continue;
			}
			snprintf(lab, sizeof(lab), "%s %s", p->resource,
			    p->state);
			tw = fminf((float)draw_text_width(d, DF_SMALL, lab),
			    150);
			pc = level_rgb(state_level(p->state));
			pill = (struct draw_rect){ cx - tw / 2 - 13, ly,
				tw + 20, 16 };
			draw_round_rect(d, pill, 8, rgba(pc, 45));
			draw_round_rect_outline(d, pill, 8, 1, rgba(pc, 160));
			draw_circle(d, pill.x + 8, pill.y + 8, 3, rgb(pc));
			draw_text_fit(d, DF_SMALL, pill.x + 14, pill.y + 1,
			    150, mix(pc, 0xffffff, 0.45f), lab);
			ly += 19;
			nbadge++;
		}
		if (more > 0) {
			char lab[32];

			snprintf(lab, sizeof(lab), "+%d more", more);
			tw = (float)draw_text_width(d, DF_SMALL, lab);
			draw_text(d, DF_SMALL, cx - tw / 2, ly, rgb(C_MUTED),
			    lab);
		}
	}
}

/* --- header, panel, timeline --- */

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

static void
draw_header(struct scene *sc, struct draw *d, sim_time now)
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
	fmt_clock(clock, sizeof(clock), now);
	tw = (float)draw_text_width(d, DF_BIG, clock);
	x = sc->canvas.w / 2 - tw / 2 + 40;
	if (x < h.w * 0.38f)
		x = h.w * 0.38f;
	draw_text(d, DF_SMALL, x - 22, 16, rgb(C_MUTED), "t =");
	draw_text(d, DF_BIG, x + 8, 10, rgb(C_TEXT), clock);
	fmt_speed(sp, sizeof(sp), sc->v.speed);
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

static void
fmt_prefix(char *b, size_t n, uint32_t p, uint8_t plen)
{
	snprintf(b, n, "%u.%u.%u.%u/%u", p >> 24, (p >> 16) & 255,
	    (p >> 8) & 255, p & 255, plen);
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

	draw_round_rect(d, (struct draw_rect){ x, y + 1, 14, 14 }, 4,
	    rgb(role_rgb(nd->role)));
	draw_text_fit(d, DF_TITLE, x + 22, y - 1, w - 22, rgb(C_TEXT),
	    nd->name);
	y += 20;
	snprintf(buf, sizeof(buf), "%s%s%s", role_name(nd->role, true),
	    nd->region[0] ? " \xc2\xb7 " : "", nd->region);
	draw_text_fit(d, DF_SMALL, x, y, w, rgb(C_MUTED), buf);
	y += 18;
	for (i = 0; i < s->nifaces && y < bottom - 40; i++) {
		const struct scan_iface *f = &s->ifaces[i];

		if (f->node != id)
			continue;
		fmt_prefix(pfx, sizeof(pfx), f->addr, f->plen);
		snprintf(buf, sizeof(buf), "%-13s %s", f->name, pfx);
		draw_text_fit(d, DF_MONO, x, y, w, rgb(C_MUTED), buf);
		y += 15;
	}
	y += 6;
	y = section_title(d, x, y, w, "Sessions");
	for (i = 0; i < rp->nsess && y < bottom - 40; i++) {
		const struct replay_session *ss = &rp->sess[i];
		uint32_t c;

		if (ss->node != id)
			continue;
		c = level_rgb(state_level(ss->state));
		draw_circle(d, x + 4, y + 8, 3.5f, rgb(c));
		snprintf(buf, sizeof(buf), "%s %s", proto_label(ss->proto),
		    ss->peer);
		draw_text_fit(d, DF_SANS, x + 14, y, w * 0.6f, rgb(C_TEXT), buf);
		draw_text_fit(d, DF_BOLD, x + 14 + w * 0.6f, y, w * 0.4f - 14,
		    rgb(c), ss->state);
		y += 18;
		shown++;
	}
	if (shown == 0) {
		draw_text(d, DF_SMALL, x, y, rgb(C_FAINT), "none");
		y += 18;
	}
	y += 6;
	y = section_title(d, x, y, w, "Routes");
	rt = xmalloc((rp->nroutes ? rp->nroutes : 1) * sizeof(*rt));
	for (i = 0; i < rp->nroutes; i++)
		if (rp->routes[i].node == id && rp->routes[i].live)
			rt[n++] = &rp->routes[i];
	qsort(rt, n, sizeof(*rt), cmp_route);
	for (i = 0; i < n; i++) {
		if (y > bottom - 16) {
			snprintf(buf, sizeof(buf), "+%zu more", n - i);
			draw_text(d, DF_SMALL, x, y, rgb(C_MUTED), buf);
			break;
		}
		fmt_prefix(pfx, sizeof(pfx), rt[i]->prefix, rt[i]->plen);
		draw_text(d, DF_MONO, x, y, rgb(C_TEXT), pfx);
		snprintf(buf, sizeof(buf), "%s%s%s", rt[i]->nexthop,
		    rt[i]->attrs[0] ? "  " : "", rt[i]->attrs);
		draw_text_fit(d, DF_SMALL, x + 122, y + 1, w - 122,
		    rgb(C_MUTED), buf);
		y += 16;
	}
	if (n == 0)
		draw_text(d, DF_SMALL, x, y, rgb(C_FAINT),
		    "none in the trace");
	free(rt);
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
	size_t i, n;

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
	    rgb(scene_class_rgb(p->cls)));
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

static void
panel_legend(struct scene *sc, struct draw *d, const struct replay *rp,
    sim_time now)
{
	struct draw_rect b = sc->sel_box;
	float x = b.x + 16, y = b.y + 14, w = b.w - 32, lx;
	size_t i, inflight = 0;
	int c;
	char buf[96];
	static const int order[] = { DC_ICMP, DC_TCP_DATA, DC_TCP_ACK, DC_BGP,
		DC_BFD, DC_ESP, DC_UDP, DC_OTHER };

	y = section_title(d, x, y, w, "Packets");
	for (c = 0; c < 8; c++) {
		float cx = x + (float)(c % 2) * (w / 2), cy = y + (float)(c / 2) *
		    18;

		draw_round_rect(d, (struct draw_rect){ cx, cy + 4, 16, 6 }, 3,
		    rgb(scene_class_rgb(order[c])));
		draw_text(d, DF_SMALL, cx + 24, cy, rgb(C_TEXT),
		    decode_class_name[order[c]]);
	}
	y += 4 * 18 + 10;
	y = section_title(d, x, y, w, "Links");
	for (i = 0; i < 48; i++) {
		float f = (float)i / 47;

		draw_fill_rect(d, (struct draw_rect){ x + (float)i * 2.5f, y + 5,
		    2.5f, 5 }, util_color(f < 0.01f ? 0.01f : f));
	}
	draw_text(d, DF_SMALL, x + 130, y, rgb(C_TEXT),
	    "utilisation 0 \xe2\x86\x92 100%");
	y += 18;
	draw_dashed_line(d, x, y + 7, x + 118, y + 7, 3, 7, 5,
	    rgb(SCENE_DOWN_RGB));
	draw_text(d, DF_SMALL, x + 130, y, rgb(C_TEXT), "link down");
	y += 18;
	draw_line(d, x, y + 7, x + 40, y + 7, 5, rgb(C_WARN));
	draw_line(d, x + 40, y + 7, x + 118, y + 7, 5, rgba(0x000000, 150));
	draw_text(d, DF_SMALL, x + 130, y, rgb(C_TEXT), "queue occupancy");
	y += 18;
	draw_circle(d, x + 8, y + 7, 5, rgb(C_BAD));
	draw_ring(d, x + 8, y + 7, 9, 2, rgba(C_BAD, 160));
	draw_text(d, DF_SMALL, x + 130, y, rgb(C_TEXT), "drop (reason)");
	y += 26;
	for (i = 0; i < rp->npkts; i++) {
		float a, bb;

		if (pkt_span(&rp->pkts[i], now, &a, &bb))
			inflight++;
	}
	snprintf(buf, sizeof(buf), "%zu packet%s on the wire", inflight,
	    inflight == 1 ? "" : "s");
	draw_text(d, DF_SANS, x, y, rgb(C_TEXT), buf);
	y += 18;
	lx = x;
	draw_text_fit(d, DF_SMALL, lx, y, w, rgb(C_MUTED),
	    "Click a node for its routes and sessions,");
	draw_text_fit(d, DF_SMALL, lx, y + 15, w, rgb(C_MUTED),
	    "or a packet for its headers.");
}

static void
draw_events(struct scene *sc, struct draw *d, sim_time now)
{
	const struct scan *s = sc->s;
	struct draw_rect b = sc->ev_box;
	float x = b.x + 16, y = b.y + 8, w = b.w - 32, row = 18;
	size_t cur = scan_event_at(s, now + 1), first, i, rows;
	char tb[40], head[64];

	draw_fill_rect(d, (struct draw_rect){ b.x, b.y, b.w, 1 },
	    rgb(C_BORDER));
	snprintf(head, sizeof(head), "Events (%zu)", s->nevents);
	y = section_title(d, x, y, w, head) - 3;
	rows = (size_t)((b.y + b.h - y - 4) / row);
	/* a third of the rows before now, the rest after */
	first = cur > rows / 3 ? cur - rows / 3 : 0;
	if (first + rows > s->nevents)
		first = s->nevents > rows ? s->nevents - rows : 0;
	sc->ev_first = first;
	sc->ev_count = 0;
	sc->ev_row_h = row;
	for (i = first; i < s->nevents && i < first + rows; i++) {
		const struct scan_event *e = &s->events[i];
		bool past = e->t <= now, current = i + 1 == cur;
		struct draw_color tc = past ? rgb(C_TEXT) : rgb(C_FAINT);

		if (current)
			draw_fill_rect(d, (struct draw_rect){ b.x + 4, y - 1,
			    b.w - 8, row }, rgba(0x1f6feb, 70));
		if (i == cur && cur > 0)
			draw_fill_rect(d, (struct draw_rect){ b.x + 8, y - 1,
			    b.w - 16, 1 }, rgba(C_ACCENT, 160));
		/* seconds to the microsecond: aligned, and short */
		snprintf(tb, sizeof(tb), "%lld.%06lld",
		    (long long)(e->t / 1000000000),
		    (long long)(e->t % 1000000000 / 1000));
		draw_text_fit(d, DF_MONO, x, y, 78, past ? rgb(C_MUTED) :
		    rgb(C_FAINT), tb);
		draw_circle(d, x + 88, y + 8, 3.5f, past ?
		    rgb(level_rgb(e->level)) : rgba(level_rgb(e->level), 90));
		draw_text_fit(d, DF_SMALL, x + 98, y + 1, w - 98, tc, e->text);
		y += row;
		sc->ev_count++;
	}
	if (s->nevents == 0)
		draw_text(d, DF_SMALL, x, y, rgb(C_FAINT),
		    "no events in this trace");
}

static void
draw_panel(struct scene *sc, struct draw *d, const struct replay *rp,
    sim_time now)
{
	draw_fill_rect(d, sc->panel, rgb(C_PANEL));
	draw_fill_rect(d, (struct draw_rect){ sc->panel.x, sc->panel.y, 1,
	    sc->panel.h }, rgb(C_BORDER));
	draw_clip(d, &sc->sel_box);
	if (sc->v.sel_pkt != 0)
		panel_packet(sc, d, rp, now);
	else if (sc->v.sel_node != SCENE_NONE &&
	    sc->v.sel_node < sc->s->nnodes &&
	    sc->s->nodes[sc->v.sel_node].present)
		panel_node(sc, d, rp, sc->v.sel_node);
	else
		panel_legend(sc, d, rp, now);
	draw_clip(d, &sc->ev_box);
	draw_events(sc, d, now);
	draw_clip(d, NULL);
}

static void
draw_timeline(struct scene *sc, struct draw *d, sim_time now)
{
	const struct scan *s = sc->s;
	struct draw_rect tl = sc->timeline, tr = sc->track;
	uint32_t maxa = 1;
	float lastlab = -1e9f, lastms = -1e9f, cx;
	size_t i;
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

			fmt_dur(buf, sizeof(buf), s->segs[i + 1].t0 - g->t1);
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
	/* milestones: diamonds above the track, labelled where room */
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
		draw_poly(d, xy, 4, rgb(level_rgb(e->level)));
		if (x - lastms > 6 && x > lastlab) {
			float tw = fminf((float)draw_text_width(d, DF_SMALL,
			    e->text), 220);

			if (x + tw > tr.x + tr.w)
				continue;
			draw_text_fit(d, DF_SMALL, x + 7, tr.y - 29, 220,
			    mix(level_rgb(e->level), 0xffffff, 0.3f), e->text);
			lastlab = x + tw + 14;
		}
		lastms = x;
	}
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
	units_fmt_time(buf, sizeof(buf), s->end);
	{
		float tw = (float)draw_text_width(d, DF_SMALL, buf);

		if (tr.x + tr.w - tw > lastlab)
			draw_text(d, DF_SMALL, tr.x + tr.w - tw,
			    tr.y + tr.h + 5, rgb(C_MUTED), buf);
	}
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

static void
tooltip(struct scene *sc, struct draw *d, const char *l1, const char *l2)
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

static void
draw_hover(struct scene *sc, struct draw *d, const struct replay *rp,
    sim_time now)
{
	int mx = sc->v.mouse_x, my = sc->v.mouse_y;
	char l1[160], l2[160];
	size_t i;
	uint32_t n;
	uint64_t uid;

	if (mx < 0 || my < 0)
		return;
	/* drops: the reason, where, how big */
	for (i = rp->ndrops; i-- > 0;) {
		const struct replay_drop *dr = &rp->drops[i];
		float x, y;

		if (dr->t > now || now - dr->t > rp->keep_drop)
			continue;
		drop_place(sc, rp, dr, &x, &y);
		if (fabsf(x - (float)mx) < 9 && fabsf(y - (float)my) < 9) {
			snprintf(l1, sizeof(l1), "drop: %s",
			    dr->reason < DROP_MAX ?
			    trace_drop_name[dr->reason] : "?");
			units_fmt_time(l2, 40, dr->t);
			snprintf(l2 + strlen(l2), sizeof(l2) - strlen(l2),
			    " at %s, %u bytes, packet %llu",
			    scan_node_name(sc->s, dr->node), dr->len,
			    (unsigned long long)dr->uid);
			tooltip(sc, d, l1, l2);
			return;
		}
	}
	uid = scene_hit_packet(sc, rp, now, mx, my);
	if (uid != 0) {
		for (i = rp->npkts; i-- > 0;) {
			const struct replay_pkt *p = &rp->pkts[i];
			float a, b;

			if (p->uid != uid || !pkt_span(p, now, &a, &b))
				continue;
			decode_summary(p->hdr, p->hdr_len, p->len, l1,
			    sizeof(l1));
			snprintf(l2, sizeof(l2), "%u bytes \xc2\xb7 click for "
			    "the headers", p->len);
			tooltip(sc, d, l1, l2);
			return;
		}
	}
	n = scene_hit_node(sc, mx, my);
	if (n != SCENE_NONE) {
		snprintf(l1, sizeof(l1), "%s", sc->s->nodes[n].name);
		snprintf(l2, sizeof(l2), "%s \xc2\xb7 %s",
		    role_name(sc->s->nodes[n].role, true),
		    sc->s->nodes[n].region);
		tooltip(sc, d, l1, l2);
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
			tooltip(sc, d, e->text, l2);
			return;
		}
	}
}

static void
draw_help(struct scene *sc, struct draw *d)
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

void
scene_render(struct scene *sc, struct draw *d, const struct replay *rp,
    sim_time now, const struct scene_view *v)
{
	int w, h;

	draw_size(d, &w, &h);
	scene_geometry(sc, w, h, v);
	draw_begin_frame(d, rgb(C_BG));
	draw_fill_rect(d, sc->canvas, rgb(C_CANVAS));
	draw_clip(d, &sc->canvas);
	compute_util(sc, rp, now);
	draw_groups(sc, d);
	draw_links(sc, d, rp);
	draw_queues(sc, d, rp);
	draw_sessions(sc, d, rp);
	draw_packets(sc, d, rp, now);
	draw_drops(sc, d, rp, now, false);
	draw_nodes(sc, d, rp);
	draw_down_pills(sc, d, rp);
	draw_drops(sc, d, rp, now, true);
	draw_clip(d, NULL);
	draw_panel(sc, d, rp, now);
	draw_timeline(sc, d, now);
	draw_header(sc, d, now);
	draw_hover(sc, d, rp, now);
	if (v->help)
		draw_help(sc, d);
	draw_end_frame(d);
}
