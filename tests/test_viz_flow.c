/*
 * test_viz_flow.c - flows in the viewer and in the plot, checked by the
 * pixels and geometry of headless frames: a selected flow's connection
 * state in its level's colour and its congestion window gauge filled to
 * cwnd's share with the ssthresh mark where ssthresh is, the same frame by
 * seeking as by playing, a closed flow gone; the flow cycling order; and
 * the plot's transaction-latency CDF weighted by bucket counts, several
 * runs overlaid, with ssthresh dashed beside cwnd.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "testutil.h"

#ifdef XCSIM_HAVE_VIZ
#include <SDL_image.h>

#include "plot.h"
#include "replay.h"
#include "scan.h"
#include "style.h"
#include "trace.h"
#include "util.h"
#include "viz.h"

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

/* --- a two-host trace with one TCP connection, both ends --- */

#define MSS 1448u
#define T_END SIM_MS(50)	/* the client's end of the connection frees */

static size_t
tcp_frame(uint8_t *b, uint16_t sport, uint16_t dport, uint16_t iplen,
    uint8_t flags)
{
	memset(b, 0, 96);
	memcpy(b, "\x02\x00\x00\x00\x00\x02\x02\x00\x00\x00\x00\x01", 12);
	b[12] = 0x08;
	b[14] = 0x45;
	b[16] = (uint8_t)(iplen >> 8);
	b[17] = (uint8_t)iplen;
	b[22] = 64;
	b[23] = 6;
	b[34] = (uint8_t)(sport >> 8); b[35] = (uint8_t)sport;
	b[36] = (uint8_t)(dport >> 8); b[37] = (uint8_t)dport;
	b[46] = 0x50;
	b[47] = flags;
	return 54;
}

static void
write_trace(const char *path)
{
	char err[256];
	struct trace *tr = trace_open(path, SIM_MS(1), err, sizeof(err));
	uint32_t nd[2] = { 0, 1 }, ifx[2] = { 0, 0 };
	uint64_t rate[2] = { 100000000ULL, 100000000ULL };
	sim_time delay[2] = { SIM_MS(1), SIM_MS(1) }, t;
	uint8_t hdr[96];
	size_t hl;
	uint64_t uid = 1;

	SIM_ASSERT(tr != NULL, "trace_open: %s", err);
	trace_node(tr, 0, "app", "host", NULL, NULL);
	trace_node(tr, 1, "db", "host", NULL, NULL);
	trace_link(tr, 0, "wan", nd, ifx, rate, delay, 1500, 100, 0);
	trace_flow_at(tr, SIM_MS(1), 1, 0, 6,
	    "10.1.0.4:50001>10.2.0.5:1521 cubic");
	trace_flow_state(tr, SIM_MS(1), 1, "SYN_SENT", "connect");
	trace_flow_at(tr, SIM_MS(2), 2, 1, 6,
	    "10.2.0.5:1521>10.1.0.4:50001 cubic");
	trace_flow_state(tr, SIM_MS(2), 2, "SYN_RECEIVED", "SYN");
	trace_flow_state(tr, SIM_MS(3), 1, "ESTABLISHED", "SYN+ACK");
	trace_flow_cwnd(tr, SIM_MS(3), 1, 10 * MSS, UINT32_MAX);
	trace_flow_state(tr, SIM_MS(4), 2, "ESTABLISHED", "ACK");
	/* data on the wire for a while, so the link animation runs */
	for (t = SIM_MS(4); t < SIM_MS(9); t += SIM_US(1300)) {
		hl = tcp_frame(hdr, 50001, 1521, 1500, 0x18);
		trace_tx(tr, t, uid, 0, 0, 1514, t + SIM_US(121),
		    t + SIM_US(1121), hdr, (uint16_t)hl);
		trace_rx(tr, t + SIM_US(1121), uid++, 0, 0, 1, 0);
	}
	/* a loss: ssthresh set below cwnd (congestion avoidance) */
	trace_flow_cwnd(tr, SIM_MS(10), 1, 20 * MSS, 14 * MSS);
	trace_flow_state(tr, SIM_MS(40), 1, "FIN_WAIT_1", "close");
	trace_flow_state(tr, SIM_MS(45), 1, "TIME_WAIT", "FIN");
	trace_flow_end(tr, T_END, 1);
	trace_annotate(tr, SIM_MS(60), TRACE_NO_ID, "end");
	SIM_ASSERT(trace_close(tr, err, sizeof(err)) == 0, "close: %s", err);
}

static const char *
trace_path(void)
{
	static char path[512];

	if (path[0] == '\0') {
		snprintf(path, sizeof(path), "%s/flow.xct", tmpdir);
		write_trace(path);
	}
	return path;
}

static struct viz *
open_flow(const char *flow, const char *select)
{
	char err[256];
	struct viz_opts o = { 1280, 720, select, flow, NULL };
	struct viz *v = viz_open(trace_path(), &o, err, sizeof(err));

	if (v == NULL)
		fprintf(stderr, "viz_open: %s\n", err);
	return v;
}

/* Pixels of rgb (within tol) in a rectangle of the last frame. */
static int
count_rgb(struct viz *v, const float r[4], uint32_t rgb, int tol)
{
	int x, y, n = 0;

	for (y = (int)r[1]; y < (int)(r[1] + r[3]); y++)
		for (x = (int)r[0]; x < (int)(r[0] + r[2]); x++)
			n += near_rgb(viz_pixel(v, x, y), rgb, tol);
	return n;
}

/*
 * At 5 ms the client is ESTABLISHED in slow start: the state in the good
 * level's green, the gauge filled in blue to cwnd / (1.2 cwnd), no
 * ssthresh mark. At 12 ms after the loss: green fill to 20/(1.2*20) of the
 * track and the amber mark at 14/24 of it.
 */
static void
test_flow_panel(void)
{
	struct viz *v = open_flow("1", NULL);
	float st[4], g[4], fill, ss;
	char err[256];
	int y;

	CU_ASSERT_PTR_NOT_NULL_FATAL(v);
	CU_ASSERT_EQUAL(viz_seek(v, SIM_MS(5), err, sizeof(err)), 0);
	viz_render(v);
	CU_ASSERT_EQUAL_FATAL(viz_flow_box(v, st, g, &fill, &ss), 0);
	CU_ASSERT_EQUAL(viz_save_png(v, tmp_path("slowstart.png"), err,
	    sizeof(err)), 0);
	CU_ASSERT(count_rgb(v, st, style_level_rgb(SL_GOOD), 40) > 30);
	CU_ASSERT_EQUAL(count_rgb(v, st, style_level_rgb(SL_BAD), 40), 0);
	CU_ASSERT(fabsf(fill - g[2] / 1.2f) < 0.5f);
	CU_ASSERT(ss < 0);
	y = (int)(g[1] + g[3] / 2);
	CU_ASSERT(near_rgb(viz_pixel(v, (int)(g[0] + fill * 0.5f), y),
	    C_ACCENT, 8));
	CU_ASSERT(near_rgb(viz_pixel(v, (int)(g[0] + fill + (g[2] - fill) /
	    2), y), C_PANEL2, 8));
	/* after the loss: congestion avoidance */
	CU_ASSERT_EQUAL(viz_seek(v, SIM_MS(12), err, sizeof(err)), 0);
	viz_render(v);
	CU_ASSERT_EQUAL_FATAL(viz_flow_box(v, st, g, &fill, &ss), 0);
	CU_ASSERT(fabsf(fill - g[2] * 20.0f / 24.0f) < 0.5f);
	CU_ASSERT(fabsf(ss - (g[0] + g[2] * 14.0f / 24.0f)) < 0.5f);
	CU_ASSERT(near_rgb(viz_pixel(v, (int)(g[0] + fill * 0.3f), y),
	    C_GOOD, 8));
	CU_ASSERT(near_rgb(viz_pixel(v, (int)floorf(ss), (int)(g[1] - 2)),
	    C_WARN, 8));
	CU_ASSERT_EQUAL(viz_save_png(v, tmp_path("avoidance.png"), err,
	    sizeof(err)), 0);
	/* its node (app) ringed, the other end's (db) not */
	{
		float box[4];
		uint32_t ring = style_mix(C_CANVAS, C_SELECT, 170.0f / 255);
		int hit[2] = { 0, 0 }, k, dy;

		for (k = 0; k < 2; k++) {
			CU_ASSERT_EQUAL_FATAL(viz_node_box(v, k ? "db" : "app",
			    box), 0);
			for (dy = -7; dy <= -3; dy++)
				hit[k] += near_rgb(viz_pixel(v, (int)(box[0] +
				    box[2] / 2), (int)box[1] + dy), ring, 40);
		}
		CU_ASSERT(hit[0] > 0);
		CU_ASSERT_EQUAL(hit[1], 0);
	}
	/* the window over the flow's life: declared at 1 ms, windows at
	 * 3 ms and 10 ms, shown to 10.45 ms; now (12 ms) at the right end,
	 * the last window at 28960 / (1.1 * 28960) of the height there */
	{
		float hb[4], nx, vy;

		CU_ASSERT_EQUAL_FATAL(viz_flow_hist_box(v, hb, &nx), 0);
		CU_ASSERT(fabsf(nx - (hb[0] + hb[2])) < 0.5f);
		vy = hb[1] + hb[3] - hb[3] / 1.1f;
		CU_ASSERT(near_rgb(viz_pixel(v, (int)(hb[0] + hb[2] - 6),
		    (int)floorf(vy + 0.5f)), C_ACCENT, 40));
		/* at 5 ms the line is at 4 / 9.45 of the way */
		CU_ASSERT_EQUAL(viz_seek(v, SIM_MS(5), err, sizeof(err)), 0);
		viz_render(v);
		CU_ASSERT_EQUAL_FATAL(viz_flow_hist_box(v, hb, &nx), 0);
		CU_ASSERT(fabsf(nx - (hb[0] + hb[2] * 4.0f / 9.45f)) < 0.5f);
		CU_ASSERT(near_rgb(viz_pixel(v, (int)nx, (int)(hb[1] +
		    hb[3] / 4)), 0xffffff, 10));
	}
	/* a state on its way (FIN_WAIT_1): amber */
	CU_ASSERT_EQUAL(viz_seek(v, SIM_MS(42), err, sizeof(err)), 0);
	viz_render(v);
	CU_ASSERT_EQUAL_FATAL(viz_flow_box(v, st, g, &fill, &ss), 0);
	CU_ASSERT(count_rgb(v, st, style_level_rgb(SL_WARN), 40) > 30);
	CU_ASSERT_EQUAL(count_rgb(v, st, style_level_rgb(SL_GOOD), 40), 0);
	/* freed: the flow is gone, the panel says so */
	CU_ASSERT_EQUAL(viz_seek(v, T_END + SIM_MS(1), err, sizeof(err)), 0);
	viz_render(v);
	CU_ASSERT_EQUAL(viz_flow_box(v, st, g, &fill, &ss), -1);
	/* and back before the end, through a keyframe: there again */
	CU_ASSERT_EQUAL(viz_seek(v, SIM_MS(30), err, sizeof(err)), 0);
	viz_render(v);
	CU_ASSERT_EQUAL(viz_flow_box(v, st, g, &fill, &ss), 0);
	viz_close(v);
}

/* Seeking to an instant gives the frame playing to it gives. */
static void
test_flow_seek_equals_play(void)
{
	struct viz *play = open_flow("1", NULL), *jump = open_flow("1", NULL);
	sim_time t, when = SIM_MS(12) + SIM_US(300);
	const void *pa, *pb;
	size_t la, lb;
	char err[256];

	CU_ASSERT_PTR_NOT_NULL_FATAL(play);
	CU_ASSERT_PTR_NOT_NULL_FATAL(jump);
	for (t = 0; t < when; t += SIM_US(700))
		CU_ASSERT_EQUAL(viz_play_to(play, t, err, sizeof(err)), 0);
	CU_ASSERT_EQUAL(viz_play_to(play, when, err, sizeof(err)), 0);
	viz_render(play);
	CU_ASSERT_EQUAL(viz_seek(jump, SIM_MS(55), err, sizeof(err)), 0);
	CU_ASSERT_EQUAL(viz_seek(jump, when, err, sizeof(err)), 0);
	viz_render(jump);
	pa = viz_pixels(play, &la);
	pb = viz_pixels(jump, &lb);
	CU_ASSERT(la == lb && la > 0 && memcmp(pa, pb, la) == 0);
	viz_close(play);
	viz_close(jump);
}

/* A bad --flow is an error, not a silent empty panel. */
static void
test_flow_option(void)
{
	char err[256];
	struct viz_opts o = { 640, 360, NULL, "seven", NULL };

	CU_ASSERT_PTR_NULL(viz_open(trace_path(), &o, err, sizeof(err)));
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "--flow"));
	o.flow = "-1";
	CU_ASSERT_PTR_NULL(viz_open(trace_path(), &o, err, sizeof(err)));
}

/* f cycles the live flows in id order (a node's only, when one is
 * selected), wrapping; shift+f goes back. */
static void
test_flow_cycle(void)
{
	struct replay rp;
	struct trace_rec r;
	uint32_t ids[4] = { 9, 3, 5, 7 }, i;

	replay_init(&rp, 0, SIM_US(100), SIM_US(100));
	CU_ASSERT_EQUAL(replay_flow_step(&rp, UINT32_MAX, UINT32_MAX, 1),
	    UINT32_MAX);
	for (i = 0; i < 4; i++) {
		memset(&r, 0, sizeof(r));
		r.type = TR_FLOW;
		r.u.flow.id = ids[i];
		r.u.flow.node = ids[i] == 5 ? 1 : 0;
		r.u.flow.label = "x";
		replay_apply(&rp, &r);
	}
	CU_ASSERT_EQUAL(replay_flow_step(&rp, UINT32_MAX, UINT32_MAX, 1), 3);
	CU_ASSERT_EQUAL(replay_flow_step(&rp, 3, UINT32_MAX, 1), 5);
	CU_ASSERT_EQUAL(replay_flow_step(&rp, 9, UINT32_MAX, 1), 3);
	CU_ASSERT_EQUAL(replay_flow_step(&rp, 3, UINT32_MAX, -1), 9);
	CU_ASSERT_EQUAL(replay_flow_step(&rp, UINT32_MAX, UINT32_MAX, -1), 9);
	CU_ASSERT_EQUAL(replay_flow_step(&rp, 3, 0, 1), 7);
	CU_ASSERT_EQUAL(replay_flow_step(&rp, 7, 1, 1), 5);
	/* a closed flow leaves the cycle; the others keep their place */
	r.u.flow.id = 5;
	r.u.flow.closed = true;
	replay_apply(&rp, &r);
	CU_ASSERT_PTR_NULL(replay_flow(&rp, 5));
	CU_ASSERT_EQUAL(replay_flow_step(&rp, 3, UINT32_MAX, 1), 7);
	CU_ASSERT_PTR_NOT_NULL(replay_flow(&rp, 9));
	CU_ASSERT_EQUAL(replay_flow(&rp, 9)->id, 9);
	replay_free(&rp);
}

/* A flow's state changes are events, named by the flow's label, on its
 * node, and say which flow (a click on one selects it). */
static void
test_flow_events(void)
{
	char err[256];
	struct trace_reader *rd = trace_reader_open(trace_path(), err,
	    sizeof(err));
	struct scan s;
	size_t i, n = 0;
	const struct scan_event *est = NULL;

	CU_ASSERT_PTR_NOT_NULL_FATAL(rd);
	CU_ASSERT_EQUAL_FATAL(scan_trace(rd, &s, err, sizeof(err)), 0);
	for (i = 0; i < s.nevents; i++) {
		if (s.events[i].type != TR_FLOW_STATE)
			continue;
		n++;
		CU_ASSERT(s.events[i].flow == 1 || s.events[i].flow == 2);
		if (s.events[i].t == SIM_MS(3))
			est = &s.events[i];
	}
	CU_ASSERT_EQUAL(n, 6);
	CU_ASSERT_PTR_NOT_NULL_FATAL(est);
	CU_ASSERT_STRING_EQUAL(est->text, "TCP app 10.1.0.4:50001>"
	    "10.2.0.5:1521 cubic: ESTABLISHED \xc2\xb7 SYN+ACK");
	CU_ASSERT_EQUAL(est->node, 0);
	CU_ASSERT_EQUAL(est->flow, 1);
	CU_ASSERT_EQUAL(est->level, SL_GOOD);
	CU_ASSERT_FALSE(est->milestone);
	scan_free(&s);
	trace_reader_close(rd);
}

/* --- the plot --- */

static void
write_csv(const char *path, int run, bool with_ss)
{
	FILE *f = fopen(path, "w");
	int i;

	SIM_ASSERT(f != NULL, "fopen %s", path);
	fprintf(f, "app,metric,t_ns,value\n");
	/* buckets: run 0 has 1 at 1 ms and 3 at 2 ms; run 1 has 6 at
	 * 1.2 ms, 2 at 3 ms; a CDF of samples would step by halves */
	if (run == 0)
		fprintf(f, "rr,txn_latency_hist,1000000,1\n"
		    "rr,txn_latency_hist,2000000,3\n");
	else
		fprintf(f, "rr,txn_latency_hist,1200000,6\n"
		    "rr,txn_latency_hist,3000000,2\n");
	for (i = 0; i <= 20; i++)
		fprintf(f, "bulk,cwnd_bytes,%d,%d\n", i * 100000000,
		    14480 + i * 1448 * (run + 1));
	if (with_ss) {
		fprintf(f, "bulk,ssthresh_bytes,0,4294967295\n");
		fprintf(f, "bulk,ssthresh_bytes,1000000000,%d\n",
		    20000 + 10000 * run);
	}
	fclose(f);
}

static SDL_Surface *
load_argb(const char *png)
{
	SDL_Surface *s = IMG_Load(png), *c;

	if (s == NULL)
		return NULL;
	c = SDL_ConvertSurfaceFormat(s, SDL_PIXELFORMAT_ARGB8888, 0);
	SDL_FreeSurface(s);
	return c;
}

static uint32_t
px(SDL_Surface *c, int x, int y)
{
	uint32_t v;

	memcpy(&v, (uint8_t *)c->pixels + y * c->pitch + x * 4, 4);
	return v & 0xffffff;
}

static int
count_in(SDL_Surface *c, struct draw_rect r, uint32_t rgb)
{
	int x, y, n = 0;

	for (y = (int)r.y; y < (int)(r.y + r.h); y++)
		for (x = (int)r.x; x < (int)(r.x + r.w); x++)
			n += near_rgb(px(c, x, y), rgb, 10);
	return n;
}

/*
 * Two runs overlaid: the transaction CDFs are weighted (run 0's last step
 * rises from 1/4, not 1/2), each in its run's colour, their legends off
 * them; the cwnd panel's axis is not stretched by an unset ssthresh (the
 * curves reach its upper half) and ssthresh adds dashes of its curve's
 * colour.
 */
static void
test_plot_txn_and_cwnd(void)
{
	const char *a = tmp_path("a_metrics.csv"), *b = tmp_path("b.csv");
	const char *files[2] = { a, b };
	const char *png = tmp_path("txn.png"), *png2 = tmp_path("noss.png");
	struct plot_geom g, g2;
	struct draw_rect up;
	SDL_Surface *c, *c2;
	char err[256];
	size_t k, seen = 0;
	int with, without;

	write_csv(a, 0, true);
	write_csv(b, 1, true);
	CU_ASSERT_EQUAL_FATAL(plot_png_geom(files, 2, png, 1100, 620, &g, err,
	    sizeof(err)), 0);
	CU_ASSERT(g.box[PP_TXN].w > 0 && g.box[PP_CWND].w > 0);
	CU_ASSERT_EQUAL(g.box[PP_CDF].w, 0);
	CU_ASSERT_EQUAL(g.box[PP_GOODPUT].w, 0);
	/* CDF left, series right */
	CU_ASSERT(g.box[PP_TXN].x + g.box[PP_TXN].w < g.box[PP_CWND].x);
	CU_ASSERT_EQUAL_FATAL(g.ncdf, 2);
	c = load_argb(png);
	CU_ASSERT_PTR_NOT_NULL_FATAL(c);
	for (k = 0; k < g.ncdf; k++) {
		struct draw_rect s = g.last_step[k];
		float want = (k == 0 ? 0.75f : 0.25f) * g.box[PP_TXN].h;

		CU_ASSERT_EQUAL(g.last_panel[k], PP_TXN);
		CU_ASSERT(fabsf(s.h - want) < 1.0f);
		CU_ASSERT(g.legend[PP_TXN].y + g.legend[PP_TXN].h <=
		    g.box[PP_TXN].y);
		/* the last flat stretch in the curve's colour */
		CU_ASSERT(near_rgb(px(c, (int)(s.x + s.w / 2),
		    (int)floorf(s.y + s.h)), g.last_rgb[k], 30));
		seen++;
	}
	CU_ASSERT_EQUAL(seen, 2);
	CU_ASSERT(g.last_rgb[0] != g.last_rgb[1]);
	/* colours are numbered per panel: the two CDFs and the two cwnd
	 * curves each take the first two */
	CU_ASSERT_EQUAL(g.last_rgb[0], plot_series_rgb(0));
	CU_ASSERT_EQUAL(g.last_rgb[1], plot_series_rgb(1));
	/* the cwnd curves reach the upper half of their panel */
	up = g.box[PP_CWND];
	up.h /= 2;
	CU_ASSERT(count_in(c, up, plot_series_rgb(0)) > 20);
	CU_ASSERT(count_in(c, up, plot_series_rgb(1)) > 20);
	/* without ssthresh rows: fewer pixels of the cwnd curves' colours */
	write_csv(a, 0, false);
	write_csv(b, 1, false);
	CU_ASSERT_EQUAL_FATAL(plot_png_geom(files, 2, png2, 1100, 620, &g2,
	    err, sizeof(err)), 0);
	c2 = load_argb(png2);
	CU_ASSERT_PTR_NOT_NULL_FATAL(c2);
	for (k = 0; k <= 1; k++) {
		with = count_in(c, g.box[PP_CWND], plot_series_rgb(k));
		without = count_in(c2, g2.box[PP_CWND], plot_series_rgb(k));
		CU_ASSERT(with > without + 100);
	}
	SDL_FreeSurface(c);
	SDL_FreeSurface(c2);
	/* a negative count is refused with its line */
	{
		FILE *f = fopen(a, "w");

		CU_ASSERT_PTR_NOT_NULL_FATAL(f);
		fprintf(f, "app,metric,t_ns,value\nrr,txn_latency_hist,5,-1\n");
		fclose(f);
		CU_ASSERT_EQUAL(plot_png_geom(files, 1, png, 640, 400, &g,
		    err, sizeof(err)), -1);
		CU_ASSERT_PTR_NOT_NULL(strstr(err, ":2:"));
	}
}

/*
 * A run with many flows (an app with 40 connections, each a cwnd curve)
 * keeps its legend to three rows, the rest counted in "+N more", and its
 * axes their room.
 */
static void
test_plot_many_flows(void)
{
	const char *csv = tmp_path("many.csv"), *png = tmp_path("many.png");
	const char *files[1] = { csv };
	struct plot_geom g;
	char err[256];
	FILE *f = fopen(csv, "w");
	int i, j;

	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	fprintf(f, "app,metric,t_ns,value\n");
	for (i = 1; i <= 40; i++)
		for (j = 0; j < 5; j++)
			fprintf(f, "queries/flow%d,cwnd_bytes,%d,%d\n", i,
			    j * 100000000, 14480 + i * j * 1448);
	fprintf(f, "queries,goodput_bps,0,1000000\n");
	fclose(f);
	CU_ASSERT_EQUAL_FATAL(plot_png_geom(files, 1, png, 1000, 560, &g, err,
	    sizeof(err)), 0);
	CU_ASSERT(g.legend[PP_CWND].h <= 3 * 20.0f);
	CU_ASSERT(g.legend[PP_CWND].h > 20.0f);
	CU_ASSERT(g.box[PP_CWND].h > 100);
	CU_ASSERT(g.legend[PP_CWND].y + g.legend[PP_CWND].h <=
	    g.box[PP_CWND].y);
}

static const struct test_case cases[] = {
	{ "a selected flow: state colour, window gauge, gone when closed", test_flow_panel },
	{ "with a flow selected, seeking gives the frame playing gives", test_flow_seek_equals_play },
	{ "a bad --flow is refused", test_flow_option },
	{ "flow state changes are events named by the flow", test_flow_events },
	{ "f cycles the live flows in id order, a node's only", test_flow_cycle },
	{ "plot: weighted transaction CDFs overlaid, ssthresh dashed", test_plot_txn_and_cwnd },
	{ "plot: many flows keep the legend to three rows", test_plot_many_flows },
	{ NULL, NULL },
};

int
main(int argc, char **argv)
{
	if ((tmpdir = test_tmpdir("/tmp/test_viz_flow.XXXXXX")) == NULL)
		return 2;
	return test_main(argc, argv, "viz_flow", cases);
}

#else

static void
test_no_viz(void)
{
	char cmd[600];

	snprintf(cmd, sizeof(cmd), "'%s' viz --flow 1 /nonexistent.xct "
	    ">/dev/null 2>&1", XCSIM_BINARY);
	CU_ASSERT_EQUAL(WEXITSTATUS(system(cmd)), 2);
}

static const struct test_case cases[] = {
	{ "without SDL2 there is no viewer", test_no_viz },
	{ NULL, NULL },
};

int
main(int argc, char **argv)
{
	return test_main(argc, argv, "viz_flow", cases);
}

#endif
