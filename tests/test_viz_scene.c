/*
 * test_viz_scene.c - the frame's parts checked by their geometry and pixels:
 * one vocabulary of state levels for the canvas and the event list, the
 * queue bar visible under a drop flash, labels that never overlap, the
 * legend beside a selected node, packet classes apart from the utilisation
 * ramp, texts that fit their panels, link parameters shown, the topology
 * using the canvas's height, the plot's legend off the CDFs, and a shaper's
 * queue drawn, with its kind, on the link it sits on.
 *
 * Frames are rendered the way the player renders them (scan, replay fed the
 * records up to t, scene_render on a headless target), from traces written
 * here with the trace writer or from a run of the default scenario.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "testutil.h"

#ifdef XCSIM_HAVE_VIZ
#include <SDL.h>
#include <SDL_image.h>

#include "decode.h"
#include "draw.h"
#include "plot.h"
#include "replay.h"
#include "scan.h"
#include "scene.h"
#include "sim.h"
#include "style.h"
#include "trace.h"

static const char *tmpdir;

static const char *
tmp_path(const char *name)
{
	static char buf[16][512];
	static int k;

	k = (k + 1) % 16;
	snprintf(buf[k], sizeof(buf[k]), "%s/%s", tmpdir, name);
	return buf[k];
}

/* --- a frame rendered as the player renders it --- */

struct frame {
	struct trace_reader *rd;
	struct scan scan;
	struct replay rp;
	struct scene *sc;
	struct draw *d;
	struct scene_view v;
	sim_time now;
};

static sim_time
clamp_time(sim_time t, sim_time lo, sim_time hi)
{
	return t < lo ? lo : t > hi ? hi : t;
}

/* Open path, play it to t, render w x h with node select (or NULL). */
static int
frame_open(struct frame *f, const char *path, sim_time t, int w, int h,
    const char *select)
{
	char err[256];
	struct trace_rec rec;
	int r;

	memset(f, 0, sizeof(*f));
	f->rd = trace_reader_open(path, err, sizeof(err));
	if (f->rd == NULL || scan_trace(f->rd, &f->scan, err,
	    sizeof(err)) < 0) {
		fprintf(stderr, "%s: %s\n", path, err);
		return -1;
	}
	replay_init(&f->rp, f->scan.nlinks, clamp_time(4 * f->scan.max_delay,
	    SIM_US(100), SIM_MS(50)), clamp_time(8 * f->scan.max_delay,
	    SIM_US(500), SIM_MS(100)));
	if (trace_reader_seek(f->rd, 0, err, sizeof(err)) < 0)
		return -1;
	while ((r = trace_reader_next(f->rd, &rec, err, sizeof(err))) == 1 &&
	    rec.t <= t)
		replay_apply(&f->rp, &rec);
	if (r < 0)
		return -1;
	replay_prune(&f->rp, t);
	f->now = t;
	f->sc = scene_new(&f->scan, "test");
	f->d = draw_new_headless(w, h, err, sizeof(err));
	if (f->d == NULL) {
		fprintf(stderr, "draw: %s\n", err);
		return -1;
	}
	f->v.zoom = 1;
	f->v.sel_node = select != NULL ? scan_find_node(&f->scan, select) :
	    SCENE_NONE;
	f->v.mouse_x = f->v.mouse_y = -1;
	f->v.speed = 1e-3;
	scene_render(f->sc, f->d, &f->rp, t, &f->v);
	return 0;
}

static void
frame_render(struct frame *f)
{
	scene_render(f->sc, f->d, &f->rp, f->now, &f->v);
}

static void
frame_close(struct frame *f)
{
	draw_free(f->d);
	scene_free(f->sc);
	replay_free(&f->rp);
	scan_free(&f->scan);
	if (f->rd != NULL)
		trace_reader_close(f->rd);
}

static int
near_rgb(uint32_t a, uint32_t b, int tol)
{
	int i;

	for (i = 0; i < 3; i++) {
		int x = (int)((a >> (8 * i)) & 255), y = (int)((b >> (8 * i)) &
		    255);

		if (abs(x - y) > tol)
			return 0;
	}
	return 1;
}

static float
rgb_dist(uint32_t a, uint32_t b)
{
	float s = 0;
	int i;

	for (i = 0; i < 3; i++) {
		float d = (float)((a >> (8 * i)) & 255) - (float)((b >> (8 *
		    i)) & 255);

		s += d * d;
	}
	return sqrtf(s);
}

/* --- traces --- */

static const char *
default_trace(void)
{
	static bool done;
	static char path[600];
	char cmd[1200];

	if (!done) {
		const char *out = tmp_path("default");

		snprintf(cmd, sizeof(cmd), "'%s' run '%s/scenarios/examples/"
		    "six-routers.yaml' --out '%s' >/dev/null 2>&1",
		    XCSIM_BINARY, XCSIM_SOURCE_DIR, out);
		if (system(cmd) != 0)
			return NULL;
		snprintf(path, sizeof(path), "%s/trace.xct", out);
		done = true;
	}
	return path;
}

/*
 * Two nodes joined by one 1 Gbit/s link with a 100-packet queue: the
 * queue fills to its limit and the next packet is dropped (queue_full) at
 * DROP_T; an OCI resource turns AVAILABLE; UDP packets back to back keep
 * the link busy.
 */
#define DROP_T SIM_US(500)
#define QLIMIT 100u

static size_t
udp_frame(uint8_t *b)
{
	memset(b, 0, 64);
	memcpy(b, "\x02\x00\x00\x00\x00\x02\x02\x00\x00\x00\x00\x01", 12);
	b[12] = 0x08;
	b[14] = 0x45;
	b[16] = 0x04;		/* 1036 bytes */
	b[17] = 0x0c;
	b[22] = 64;
	b[23] = 17;		/* UDP */
	b[34] = 0x13; b[35] = 0x88;
	b[36] = 0x13; b[37] = 0x89;
	b[38] = 0x04; b[39] = 0x0c - 20;
	return 42;
}

static const char *
queue_trace(void)
{
	static bool done;
	const char *path = tmp_path("queue.xct");
	char err[256];
	struct trace *tr;
	int32_t pos[2] = { TRACE_POS_AUTO, TRACE_POS_AUTO };
	uint32_t nd[2] = { 0, 1 }, ifx[2] = { 0, 0 }, i, k;
	bool filled = false, dropped = false;
	uint64_t rate[2] = { 1000000000ULL, 1000000000ULL };
	sim_time delay[2] = { SIM_US(50), SIM_US(50) }, t;
	uint8_t hdr[64];
	size_t hl = udp_frame(hdr);

	if (done)
		return path;
	tr = trace_open(path, SIM_US(200), err, sizeof(err));
	SIM_ASSERT(tr != NULL, "trace_open: %s", err);
	trace_node(tr, 0, "msee", "msee", "ashburn", pos);
	trace_node(tr, 1, "edge", "oci-edge", "ashburn", pos);
	trace_link(tr, 0, "circuit", nd, ifx, rate, delay, 1500, QLIMIT, 0);
	trace_prov(tr, SIM_US(10), 1, "virtual-circuit", "lifecycle",
	    "PROVISIONING");
	trace_prov(tr, SIM_US(20), 1, "virtual-circuit", "lifecycle",
	    "AVAILABLE");
	/* back to back from 100 us: 1050 bytes take 8.4 us at 1 Gbit/s; the
	 * queue fills at 300 us, the drop at DROP_T (in time order) */
	for (i = 0; i < 120; i++) {
		t = SIM_US(100) + (sim_time)i * 8400;
		if (t > SIM_US(300) && !filled) {
			for (k = 0; k < QLIMIT; k++)
				trace_enqueue(tr, SIM_US(300) + k, 1000 + k, 0,
				    0, 1050, k + 1, 1050 * (k + 1));
			filled = true;
		}
		if (t > DROP_T && !dropped) {
			trace_drop(tr, DROP_T, 5000, 0, 0, 0,
			    DROP_QUEUE_FULL, 1050);
			dropped = true;
		}
		trace_tx(tr, t, 100 + i, 0, 0, 1050, t + 8400,
		    t + 8400 + SIM_US(50), hdr, (uint16_t)hl);
	}
	SIM_ASSERT(trace_close(tr, err, sizeof(err)) == 0, "close: %s", err);
	done = true;
	return path;
}

/*
 * A shaper in front of the same kind of link, whose queue only its id
 * reports (queue_len): the link's own (ENQUEUE/TX) occupancy stays 0, so
 * its bar is drawn from the queue id or not at all. Direction 1 has a
 * drop-tail queue, which gets no tag.
 */
#define SHAPED 40u

static const char *
shaper_trace(void)
{
	static bool done;
	const char *path = tmp_path("shaper.xct");
	char err[256];
	struct trace *tr;
	int32_t pos[2] = { TRACE_POS_AUTO, TRACE_POS_AUTO };
	uint32_t nd[2] = { 0, 1 }, ifx[2] = { 0, 0 };
	uint64_t rate[2] = { 10000000000ULL, 10000000000ULL };
	sim_time delay[2] = { SIM_US(250), SIM_US(250) };

	if (done)
		return path;
	tr = trace_open(path, SIM_US(200), err, sizeof(err));
	SIM_ASSERT(tr != NULL, "trace_open: %s", err);
	trace_node(tr, 0, "gw", "router", "eastus", pos);
	trace_node(tr, 1, "msee", "router", "eastus", pos);
	trace_link(tr, 0, "gw-msee", nd, ifx, rate, delay, 1500, QLIMIT, 0);
	trace_queue(tr, 0, 0, 0, "shaper");
	trace_queue(tr, 1, 0, 1, "droptail");
	trace_queue_len(tr, SIM_US(10), 0, SHAPED, 1250 * SHAPED);
	trace_annotate(tr, SIM_US(50), 0, "shaping");
	SIM_ASSERT(trace_close(tr, err, sizeof(err)) == 0, "close: %s", err);
	done = true;
	return path;
}

/* --- cases --- */

static void
test_state_levels_agree(void)
{
	static const char *const good[] = { "AVAILABLE", "Succeeded",
		"Established", "running", "Provisioned", "up" };
	static const char *const bad[] = { "FAILED", "TERMINATED", "Idle",
		"down", "adminDown" };
	struct frame f;
	size_t i, nprov = 0;

	for (i = 0; i < sizeof(good) / sizeof(good[0]); i++)
		CU_ASSERT_EQUAL(style_state_level(good[i]), SL_GOOD);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		CU_ASSERT_EQUAL(style_state_level(bad[i]), SL_BAD);
	CU_ASSERT_EQUAL(style_state_level("PROVISIONING"), SL_WARN);
	CU_ASSERT_EQUAL(style_state_level(NULL), SL_INFO);
	/* the event list's level is the badge's level */
	CU_ASSERT_EQUAL_FATAL(frame_open(&f, queue_trace(), SIM_US(30), 1280,
	    720, NULL), 0);
	for (i = 0; i < f.scan.nevents; i++) {
		const struct scan_event *e = &f.scan.events[i];

		if (e->type != TR_PROV_STATE)
			continue;
		CU_ASSERT_EQUAL(e->level, nprov == 0 ? SL_WARN : SL_GOOD);
		nprov++;
	}
	CU_ASSERT_EQUAL(nprov, 2);
	CU_ASSERT_EQUAL(f.rp.nprov, 1);
	CU_ASSERT_EQUAL(style_state_level(f.rp.prov[0].state), SL_GOOD);
	frame_close(&f);
}


/* Whether two rects overlap. */
static bool
overlap(struct draw_rect a, struct draw_rect b)
{
	return a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h &&
	    b.y < a.y + a.h;
}

static void
test_queue_bar_visible_under_drop(void)
{
	struct frame f;
	float xy[4];
	int k, hits = 0;

	/* the queue is full and a queue_full drop has just flashed */
	CU_ASSERT_EQUAL_FATAL(frame_open(&f, queue_trace(), DROP_T + SIM_US(1),
	    1280, 720, NULL), 0);
	CU_ASSERT_EQUAL(f.rp.links[0].d[0].qpkts, QLIMIT);
	CU_ASSERT_EQUAL_FATAL(f.rp.ndrops, 1);
	CU_ASSERT_EQUAL_FATAL(scene_queue_bar(f.sc, 0, 0, xy), 0);
	/* full, so filled end to end in the "full" colour, nothing on it */
	for (k = 1; k <= 9; k++) {
		float x = xy[0] + (xy[2] - xy[0]) * (float)k / 10;
		float y = xy[1] + (xy[3] - xy[1]) * (float)k / 10;

		hits += near_rgb(draw_pixel(f.d, (int)x, (int)y), C_BAD, 12);
	}
	CU_ASSERT_EQUAL(hits, 9);
	frame_close(&f);
}

static void
check_labels(struct frame *f, bool want_drop)
{
	const struct scene_label *lb;
	struct draw_rect tile, canvas, legend;
	size_t n, i, j, links = 0, drops = 0;
	int dir;

	lb = scene_labels(f->sc, &n);
	scene_canvas_rect(f->sc, &canvas);
	scene_legend_rect(f->sc, &legend);
	for (i = 0; i < n; i++) {
		links += lb[i].kind == SLK_LINK;
		drops += lb[i].kind == SLK_DROP;
		for (j = i + 1; j < n; j++)
			if (overlap(lb[i].r, lb[j].r)) {
				fprintf(stderr, "labels \"%s\" and \"%s\" "
				    "overlap\n", lb[i].text, lb[j].text);
				CU_FAIL("two labels overlap");
			}
		for (j = 0; j < f->scan.nnodes; j++)
			if (scene_node_rect(f->sc, (uint32_t)j, &tile) == 0)
				CU_ASSERT(!overlap(lb[i].r, tile));
		for (j = 0; j < f->scan.nlinks && j < f->rp.nlinks; j++) {
			for (dir = 0; dir < 2; dir++) {
				float xy[4];
				struct draw_rect bar;

				if (f->rp.links[j].d[dir].qpkts == 0 ||
				    scene_queue_bar(f->sc, (uint32_t)j, dir,
				    xy) < 0)
					continue;
				bar = (struct draw_rect){ fminf(xy[0], xy[2]) -
					2, fminf(xy[1], xy[3]) - 2,
					fabsf(xy[2] - xy[0]) + 4,
					fabsf(xy[3] - xy[1]) + 4 };
				CU_ASSERT(!overlap(lb[i].r, bar));
			}
		}
		/* inside the canvas, above the legend */
		CU_ASSERT(lb[i].r.x >= canvas.x && lb[i].r.y >= canvas.y &&
		    lb[i].r.x + lb[i].r.w <= canvas.x + canvas.w &&
		    lb[i].r.y + lb[i].r.h <= legend.y);
	}
	CU_ASSERT(links >= 1);
	if (want_drop)
		CU_ASSERT(drops >= 1);
}

/*
 * A packet CoDel drops at the head of the queue at DROP_T, one RED drops
 * on arrival 1 us later and one the policer drops 1 us after that: none
 * was ever on the wire, so each is marked where a full queue's refusal is,
 * just past the queue bar's end, not at the lane's start.
 */
static const char *
aqm_trace(void)
{
	static bool done;
	const char *path = tmp_path("aqm.xct");
	char err[256];
	struct trace *tr;
	int32_t pos[2] = { TRACE_POS_AUTO, TRACE_POS_AUTO };
	uint32_t nd[2] = { 0, 1 }, ifx[2] = { 0, 0 }, k;
	uint64_t rate[2] = { 1000000000ULL, 1000000000ULL };
	sim_time delay[2] = { SIM_US(50), SIM_US(50) };

	if (done)
		return path;
	tr = trace_open(path, SIM_US(200), err, sizeof(err));
	SIM_ASSERT(tr != NULL, "trace_open: %s", err);
	/* queue_trace's nodes and link: the same layout */
	trace_node(tr, 0, "msee", "msee", "ashburn", pos);
	trace_node(tr, 1, "edge", "oci-edge", "ashburn", pos);
	trace_link(tr, 0, "circuit", nd, ifx, rate, delay, 1500, QLIMIT, 0);
	trace_queue(tr, 0, 0, 0, "codel");
	for (k = 0; k < 20; k++)
		trace_enqueue(tr, SIM_US(300) + k, 1000 + k, 0, 0, 1050, k + 1,
		    1050 * (k + 1));
	trace_drop(tr, DROP_T, 1000, 0, 0, 0, DROP_AQM, 1050);
	trace_drop(tr, DROP_T + SIM_US(1), 6000, 0, 0, 0, DROP_AQM, 1050);
	trace_drop(tr, DROP_T + SIM_US(2), 6001, 0, 0, 0, DROP_POLICER, 1050);
	SIM_ASSERT(trace_close(tr, err, sizeof(err)) == 0, "close: %s", err);
	done = true;
	return path;
}

static void
test_aqm_drops_at_queue_bar(void)
{
	struct frame f, g;
	float xy[4], qx, qy, x, y, ux, uy, blen;
	size_t i;

	/* where a queue_full drop is marked on the same geometry */
	CU_ASSERT_EQUAL_FATAL(frame_open(&g, queue_trace(), DROP_T + SIM_US(1),
	    1280, 720, NULL), 0);
	CU_ASSERT_EQUAL_FATAL(g.rp.ndrops, 1);
	scene_drop_place(g.sc, &g.rp, &g.rp.drops[0], &qx, &qy);
	frame_close(&g);
	CU_ASSERT_EQUAL_FATAL(frame_open(&f, aqm_trace(), DROP_T + SIM_US(3),
	    1280, 720, NULL), 0);
	CU_ASSERT_EQUAL_FATAL(f.rp.ndrops, 3);
	CU_ASSERT_EQUAL_FATAL(scene_queue_bar(f.sc, 0, 0, xy), 0);
	blen = sqrtf((xy[2] - xy[0]) * (xy[2] - xy[0]) +
	    (xy[3] - xy[1]) * (xy[3] - xy[1]));
	ux = (xy[2] - xy[0]) / blen;
	uy = (xy[3] - xy[1]) / blen;
	for (i = 0; i < f.rp.ndrops; i++) {
		CU_ASSERT(f.rp.drops[i].reason == DROP_AQM ||
		    f.rp.drops[i].reason == DROP_POLICER);
		scene_drop_place(f.sc, &f.rp, &f.rp.drops[i], &x, &y);
		/* where a full queue's refusal is on the same layout */
		CU_ASSERT(fabsf(x - qx) < 0.01f && fabsf(y - qy) < 0.01f);
		/* past the bar's end along the lane, not at its start */
		CU_ASSERT((x - xy[2]) * ux + (y - xy[3]) * uy > 1);
	}
	check_labels(&f, true);
	frame_close(&f);
}

static void
test_labels_do_not_overlap(void)
{
	const char *def = default_trace();
	struct frame f;

	CU_ASSERT_PTR_NOT_NULL_FATAL(def);
	/* the cut: a link_down drop beside the cross-connect's label */
	CU_ASSERT_EQUAL_FATAL(frame_open(&f, def, SIM_S(3) + SIM_US(300),
	    1280, 720, NULL), 0);
	check_labels(&f, true);
	frame_close(&f);
	CU_ASSERT_EQUAL_FATAL(frame_open(&f, def, SIM_S(3) + SIM_US(300),
	    800, 450, "msee-primary"), 0);
	check_labels(&f, false);
	frame_close(&f);
	/* a full queue and its drop */
	CU_ASSERT_EQUAL_FATAL(frame_open(&f, queue_trace(), DROP_T + SIM_US(1),
	    1280, 720, NULL), 0);
	check_labels(&f, true);
	frame_close(&f);
}

/* Pixels of exactly rgb inside r. */
static int
count_rgb_in(struct draw *d, struct draw_rect r, uint32_t rgb)
{
	int x, y, n = 0;

	for (y = (int)r.y; y < (int)(r.y + r.h); y++)
		for (x = (int)r.x; x < (int)(r.x + r.w); x++)
			n += draw_pixel(d, x, y) == rgb;
	return n;
}

static void
test_legend_with_node_selected(void)
{
	const char *def = default_trace();
	const char *sel[] = { NULL, "msee-primary" };
	struct draw_rect leg, canvas;
	struct frame f;
	size_t i;

	CU_ASSERT_PTR_NOT_NULL_FATAL(def);
	for (i = 0; i < 2; i++) {
		CU_ASSERT_EQUAL_FATAL(frame_open(&f, def, SIM_S(1), 1280, 720,
		    sel[i]), 0);
		if (sel[i] != NULL)
			CU_ASSERT_NOT_EQUAL(f.v.sel_node, SCENE_NONE);
		scene_legend_rect(f.sc, &leg);
		scene_canvas_rect(f.sc, &canvas);
		CU_ASSERT(leg.h >= 20 && leg.w > 300);
		CU_ASSERT(leg.y + leg.h <= canvas.y + canvas.h + 0.5f);
		/* the packet swatches are there: UDP, ICMP, TCP data */
		CU_ASSERT(count_rgb_in(f.d, leg, style_class_rgb(DC_UDP)) >= 20);
		CU_ASSERT(count_rgb_in(f.d, leg, style_class_rgb(DC_ICMP)) >=
		    20);
		CU_ASSERT(count_rgb_in(f.d, leg,
		    style_class_rgb(DC_TCP_DATA)) >= 20);
		frame_close(&f);
	}
}

static void
test_udp_apart_from_utilisation(void)
{
	uint32_t udp = style_class_rgb(DC_UDP);
	struct frame f;
	float x, y, x1, y1, len, nx, ny, u;
	int c, side, rim = 0;

	/* UDP is far from every colour the utilisation ramp takes */
	for (u = 0; u <= 1.0f; u += 0.01f)
		CU_ASSERT(rgb_dist(udp, style_util_rgb(u)) > 100);
	for (c = 0; c < DC_MAX; c++)
		if (c != DC_UDP)
			CU_ASSERT(rgb_dist(udp, style_class_rgb(c)) > 60);
	/* a saturated link of UDP: packets fill the lane, red beside them */
	CU_ASSERT_EQUAL_FATAL(frame_open(&f, queue_trace(), DROP_T + SIM_US(1),
	    1280, 720, NULL), 0);
	CU_ASSERT_EQUAL_FATAL(scene_link_point(f.sc, 0, 0, 0.6f, &x, &y), 0);
	CU_ASSERT_EQUAL_FATAL(scene_link_point(f.sc, 0, 0, 1, &x1, &y1), 0);
	len = sqrtf((x1 - x) * (x1 - x) + (y1 - y) * (y1 - y));
	nx = -(y1 - y) / len;
	ny = (x1 - x) / len;
	CU_ASSERT(near_rgb(draw_pixel(f.d, (int)floorf(x), (int)floorf(y)),
	    udp, 10));
	for (side = -1; side <= 1; side += 2)
		rim += near_rgb(draw_pixel(f.d, (int)floorf(x + nx * 3.2f *
		    (float)side), (int)floorf(y + ny * 3.2f * (float)side)),
		    style_util_rgb(1), 40);
	CU_ASSERT(rim >= 1);
	frame_close(&f);
}

static void
check_texts(struct frame *f, const char *what)
{
	const char *last;
	unsigned n = draw_texts_cut(f->d, &last);

	if (n != 0)
		fprintf(stderr, "%s: %u texts cut, the last \"%s\"\n", what, n,
		    last);
	CU_ASSERT_EQUAL(n, 0);
}

static void
test_texts_fit(void)
{
	static const struct {
		int w, h;
		sim_time t;
		const char *sel;
	} cases[] = {
		{ 1280, 720, SIM_S(1), NULL },
		{ 1280, 720, SIM_S(3) + SIM_US(300), "msee-primary" },
		{ 1280, 720, SIM_S(6), "oracle-edge" },
		{ 800, 450, SIM_S(3) + SIM_US(300), "msee-primary" },
		{ 800, 450, SIM_S(4), NULL },
		{ 1920, 1080, SIM_S(2), "er-gateway" },
	};
	const char *def = default_trace();
	struct frame f;
	size_t i, k;
	char what[96];

	CU_ASSERT_PTR_NOT_NULL_FATAL(def);
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		CU_ASSERT_EQUAL_FATAL(frame_open(&f, def, cases[i].t,
		    cases[i].w, cases[i].h, cases[i].sel), 0);
		snprintf(what, sizeof(what), "%dx%d at %lld ns", cases[i].w,
		    cases[i].h, (long long)cases[i].t);
		check_texts(&f, what);
		/* and with a packet on the wire selected: its headers */
		for (k = 0; k < f.rp.npkts; k++) {
			if (f.rp.pkts[k].t <= f.now &&
			    f.rp.pkts[k].gone > f.now) {
				f.v.sel_pkt = f.rp.pkts[k].uid;
				frame_render(&f);
				check_texts(&f, "packet selected");
				break;
			}
		}
		frame_close(&f);
	}
	/* the synthetic trace's long event texts */
	CU_ASSERT_EQUAL_FATAL(frame_open(&f, queue_trace(), DROP_T + SIM_US(1),
	    800, 450, "edge"), 0);
	check_texts(&f, "queue trace");
	frame_close(&f);
}

static void
test_link_parameters_shown(void)
{
	const char *def = default_trace();
	const struct scene_label *lb;
	struct frame f;
	size_t n, i, j, found;

	CU_ASSERT_PTR_NOT_NULL_FATAL(def);
	CU_ASSERT_EQUAL_FATAL(frame_open(&f, def, SIM_S(1), 1280, 720, NULL),
	    0);
	lb = scene_labels(f.sc, &n);
	for (i = 0; i < f.scan.nlinks; i++) {
		found = 0;
		for (j = 0; j < n; j++)
			if (lb[j].kind == SLK_LINK && lb[j].link == i &&
			    strncmp(lb[j].text, f.scan.links[i].name,
			    strlen(f.scan.links[i].name)) == 0 &&
			    strstr(lb[j].text, "bps") != NULL &&
			    strstr(lb[j].text, "s") != NULL &&
			    strstr(lb[j].text, "\n") != NULL)
				found++;
		if (found != 1)
			fprintf(stderr, "link %s: no label with its rate and "
			    "delay\n", f.scan.links[i].name);
		CU_ASSERT_EQUAL(found, 1);
	}
	frame_close(&f);
}

static void
test_topology_uses_height(void)
{
	const char *def = default_trace();
	struct draw_rect tile, canvas, leg;
	struct frame f;
	float top = 1e9f, bottom = -1e9f;
	size_t i;

	CU_ASSERT_PTR_NOT_NULL_FATAL(def);
	CU_ASSERT_EQUAL_FATAL(frame_open(&f, def, SIM_S(1), 1280, 720, NULL),
	    0);
	scene_canvas_rect(f.sc, &canvas);
	scene_legend_rect(f.sc, &leg);
	for (i = 0; i < f.scan.nnodes; i++) {
		if (scene_node_rect(f.sc, (uint32_t)i, &tile) < 0)
			continue;
		top = fminf(top, tile.y);
		bottom = fmaxf(bottom, tile.y + tile.h);
		CU_ASSERT(tile.y >= canvas.y && tile.y + tile.h <= leg.y);
	}
	/* the tiles span at least 45% of the canvas above the legend */
	CU_ASSERT(bottom - top >= 0.45f * (leg.y - canvas.y));
	frame_close(&f);
}

static void
test_plot_legend_off_the_cdfs(void)
{
	const char *csv = tmp_path("tail.csv"), *csv2 = tmp_path("tail2.csv");
	const char *files[2] = { csv, csv2 };
	const char *png = tmp_path("tail.png");
	struct plot_geom g;
	char err[256];
	FILE *fp;
	size_t i, k;
	int j;

	/* most probes near 1 ms, a tail to 10 ms: the last steps run along
	 * the top right, where a legend inside the axes sits */
	for (j = 0; j < 2; j++) {
		fp = fopen(files[j], "w");
		CU_ASSERT_PTR_NOT_NULL_FATAL(fp);
		fprintf(fp, "app,metric,t_ns,value\n");
		/* 40 and 15 samples: the curves' tops are apart */
		for (i = 0; i < (j == 0 ? 40u : 15u); i++)
			fprintf(fp, "ping,rtt_ns,%zu,%zu\n", i * 1000000,
			    1000000 + i * 10000 * (size_t)(j + 1));
		fprintf(fp, "ping,rtt_ns,41000000,%d\n", 6000000 + 4000000 * j);
		fprintf(fp, "bulk,goodput_bps,0,1000000\n");
		fprintf(fp, "bulk,goodput_bps,100000000,2000000\n");
		fclose(fp);
	}
	CU_ASSERT_EQUAL_FATAL(plot_png_geom(files, 2, png, 1000, 560, &g, err,
	    sizeof(err)), 0);
	CU_ASSERT(g.legend[PP_CDF].w > 0 && g.legend[PP_GOODPUT].w > 0);
	CU_ASSERT_EQUAL_FATAL(g.ncdf, 2);
	for (k = 0; k < g.ncdf; k++) {
		struct draw_rect s = g.last_step[k];
		struct draw_rect grown = { s.x - 2, s.y - 2, s.w + 4, s.h + 4 };

		CU_ASSERT(s.w > 20);
		for (j = 0; j < PP_MAX; j++)
			CU_ASSERT(!overlap(grown, g.legend[j]));
		/* the legends are above the plotting areas */
		CU_ASSERT(g.legend[PP_CDF].y + g.legend[PP_CDF].h <=
		    g.box[PP_CDF].y);
	}
	/* and the last steps show in the picture, in their curve's colour */
	{
		SDL_Surface *s = IMG_Load(png), *c;

		CU_ASSERT_PTR_NOT_NULL_FATAL(s);
		c = SDL_ConvertSurfaceFormat(s, SDL_PIXELFORMAT_ARGB8888, 0);
		CU_ASSERT_PTR_NOT_NULL_FATAL(c);
		for (k = 0; k < g.ncdf; k++) {
			struct draw_rect st = g.last_step[k];
			int x = (int)(st.x + st.w / 2), y = (int)floorf(st.y +
			    st.h);
			uint32_t v;

			/* the middle of the last flat stretch */
			memcpy(&v, (uint8_t *)c->pixels + y * c->pitch + x * 4,
			    4);
			CU_ASSERT(near_rgb(v & 0xffffff, g.last_rgb[k], 30));
		}
		SDL_FreeSurface(c);
		SDL_FreeSurface(s);
	}
}

/*
 * A shaper's queue is drawn on the lane it sits on, from its id: the bar
 * filled to its share of the limit and a tag with its kind and count, off
 * the nodes, which the labels keep off; its hover says what it holds.
 */
/* The tag's outline and text: light blue, nothing else there is. */
static int
bluish(uint32_t px)
{
	int r = (int)(px >> 16 & 255), b = (int)(px & 255);

	return b > 150 && b - r > 60;
}

static void
check_shaper_frame(struct frame *f, uint32_t link, float fill,
    const char *kind)
{
	struct draw_rect tags[8], tile;
	uint32_t ids[8];
	size_t n, i, j, nl, hits = 0;
	const struct scene_label *lb;
	float xy[4];
	int k, warn = 0, empty = 0;

	CU_ASSERT_EQUAL_FATAL(scene_queue_bar(f->sc, link, 0, xy), 0);
	/* filled up to fill, the dark rest after it */
	for (k = 1; k <= 9; k++) {
		float t = (float)k / 10;
		uint32_t px = draw_pixel(f->d, (int)roundf(xy[0] + (xy[2] -
		    xy[0]) * t), (int)roundf(xy[1] + (xy[3] - xy[1]) * t));

		if (t < fill - 0.05f)
			warn += near_rgb(px, C_WARN, 16);
		else if (t > fill + 0.05f)
			empty += !near_rgb(px, C_WARN, 60);
	}
	CU_ASSERT(warn >= (int)(fill * 10) - 1 && warn > 0);
	CU_ASSERT(empty >= 1);
	n = scene_qdisc_tags(f->sc, tags, ids, 8);
	for (i = 0; i < n; i++) {
		const struct scan_queue *q = &f->scan.queues[ids[i]];
		int x, y, outline = 0;

		if (q->link != link || q->dir != 0)
			continue;
		hits++;
		CU_ASSERT_STRING_EQUAL(q->kind, kind);
		for (y = (int)tags[i].y; y < (int)(tags[i].y + tags[i].h); y++)
			for (x = (int)tags[i].x; x < (int)(tags[i].x +
			    tags[i].w); x++)
				outline += bluish(draw_pixel(f->d, x, y));
		CU_ASSERT(outline >= 60);
		for (j = 0; j < f->scan.nnodes; j++)
			if (scene_node_rect(f->sc, (uint32_t)j, &tile) == 0)
				CU_ASSERT(!overlap(tags[i], tile));
		lb = scene_labels(f->sc, &nl);
		for (j = 0; j < nl; j++)
			CU_ASSERT(!overlap(tags[i], lb[j].r));
	}
	CU_ASSERT_EQUAL(hits, 1);
}

static void
test_shaper_queue_drawn(void)
{
	struct draw_rect tags[8];
	uint32_t ids[8];
	struct frame f;
	const char *gw;
	char cmd[1200];
	size_t n, i, shapers = 0, policers = 0;
	uint32_t l;
	int x, y, diff = 0;

	CU_ASSERT_EQUAL_FATAL(frame_open(&f, shaper_trace(), SIM_US(60), 1280,
	    720, NULL), 0);
	CU_ASSERT_EQUAL(f.rp.links[0].d[0].qpkts, 0);
	check_shaper_frame(&f, 0, (float)SHAPED / QLIMIT, "shaper");
	/* the drop-tail queue of the other direction has no tag */
	n = scene_qdisc_tags(f.sc, tags, ids, 8);
	CU_ASSERT_EQUAL(n, 1);
	/* hovering the tag brings up its tooltip */
	f.v.mouse_x = (int)(tags[0].x + tags[0].w / 2);
	f.v.mouse_y = (int)(tags[0].y + tags[0].h / 2);
	{
		size_t len;
		const void *px = draw_pixels(f.d, &len);
		void *before = malloc(len);

		CU_ASSERT_EQUAL_FATAL(len, (size_t)1280 * 720 * 4);
		memcpy(before, px, len);
		frame_render(&f);
		px = draw_pixels(f.d, &len);
		for (y = 0; y < 720; y++)
			for (x = 0; x < 1280; x++)
				diff += ((const uint32_t *)px)[y * 1280 + x] !=
				    ((const uint32_t *)before)[y * 1280 + x];
		free(before);
	}
	CU_ASSERT(diff > 2000);
	frame_close(&f);

	/* gateway-sku.yaml at 58 ms: 942 frames wait at the gateway */
	gw = tmp_path("gateway-sku");
	snprintf(cmd, sizeof(cmd), "'%s' run --quiet --out '%s' "
	    "'%s/scenarios/examples/gateway-sku.yaml' >/dev/null 2>&1",
	    XCSIM_BINARY, gw, XCSIM_SOURCE_DIR);
	CU_ASSERT_EQUAL_FATAL(system(cmd), 0);
	snprintf(cmd, sizeof(cmd), "%s/trace.xct", gw);
	CU_ASSERT_EQUAL_FATAL(frame_open(&f, cmd, SIM_MS(58), 1280, 720,
	    NULL), 0);
	for (l = 0; l < f.scan.nlinks; l++)
		if (strcmp(f.scan.links[l].name, "gw-msee") == 0)
			break;
	CU_ASSERT_FATAL(l < f.scan.nlinks);
	for (i = 0; i < f.scan.nqueues; i++)
		if (f.scan.queues[i].link == l && f.scan.queues[i].dir == 0)
			break;
	CU_ASSERT_FATAL(i < f.scan.nqueues && i < f.rp.nqueues);
	CU_ASSERT_STRING_EQUAL(f.scan.queues[i].kind, "shaper");
	CU_ASSERT_EQUAL(f.rp.queues[i].pkts, 942);
	check_shaper_frame(&f, l, 942.0f / 2000, "shaper");
	n = scene_qdisc_tags(f.sc, tags, ids, 8);
	for (i = 0; i < n; i++) {
		shapers += strcmp(f.scan.queues[ids[i]].kind, "shaper") == 0;
		policers += strcmp(f.scan.queues[ids[i]].kind, "policer") == 0;
	}
	CU_ASSERT_EQUAL(shapers, 2);
	CU_ASSERT_EQUAL(policers, 2);
	check_labels(&f, false);
	frame_close(&f);
}

static const struct test_case cases[] = {
	{ "one state vocabulary: AVAILABLE is good on badges and events", test_state_levels_agree },
	{ "a full queue's bar stays visible while its drop flashes", test_queue_bar_visible_under_drop },
	{ "labels never overlap one another, tiles or queue bars", test_labels_do_not_overlap },
	{ "AQM and policer drops are marked at the queue bar", test_aqm_drops_at_queue_bar },
	{ "the legend is shown with a node selected", test_legend_with_node_selected },
	{ "UDP is apart from the utilisation ramp; a busy lane shows it", test_udp_apart_from_utilisation },
	{ "no text is cut by its panel or the canvas", test_texts_fit },
	{ "every link's label gives its rate and delay at 1280x720", test_link_parameters_shown },
	{ "the topology spans the canvas's height", test_topology_uses_height },
	{ "the plot's legends are off the CDFs' last steps", test_plot_legend_off_the_cdfs },
	{ "a shaper's queue is drawn from its id, tagged with its kind", test_shaper_queue_drawn },
	{ NULL, NULL },
};

int
main(int argc, char **argv)
{
	if ((tmpdir = test_tmpdir("/tmp/test_viz_scene.XXXXXX")) == NULL)
		return 2;
	return test_main(argc, argv, "viz_scene", cases);
}

#else

int
main(void)
{
	fputs("built without SDL2: no frames to check\n", stderr);
	return 0;
}

#endif
