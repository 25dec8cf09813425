/*
 * test_viz_limits.c - the viewer at its limits: a frame with more texts
 * than the string cache holds still draws every one (the header with
 * them); a topology of 2,500 nodes gets tiles that do not overlap, inside
 * the canvas, and one of 40 rows with room for the names; an interrupted run's trace says at the timeline's end where
 * it was cut.
 *
 * Traces are written here with the trace writer, frames rendered as the
 * player renders them (scan, replay, scene_render on a headless target).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "testutil.h"

#ifdef XCSIM_HAVE_VIZ
#include "draw.h"
#include "replay.h"
#include "scan.h"
#include "scene.h"
#include "style.h"
#include "trace.h"
#include "util.h"

#define BIG_N 2500u

static const char *tmpdir;

static const char *
tmp_path(const char *name)
{
	static char buf[8][512];
	static int k;

	k = (k + 1) % 8;
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

/* Pixels of r near colour rgb. */
static unsigned
count_rgb(struct draw *d, struct draw_rect r, uint32_t rgb, int tol)
{
	unsigned n = 0;
	int x, y;

	for (y = (int)r.y; y < (int)(r.y + r.h); y++)
		for (x = (int)r.x; x < (int)(r.x + r.w); x++)
			n += (unsigned)near_rgb(draw_pixel(d, x, y), rgb, tol);
	return n;
}

/* --- a frame rendered as the player renders it --- */

struct frame {
	struct trace_reader *rd;
	struct scan scan;
	struct replay rp;
	struct scene *sc;
	struct draw *d;
	struct scene_view v;
};

static int
frame_open(struct frame *f, const char *path, sim_time t, float zoom)
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
	replay_init(&f->rp, f->scan.nlinks, SIM_MS(1), SIM_MS(1));
	if (trace_reader_seek(f->rd, 0, err, sizeof(err)) < 0)
		return -1;
	/* a cut trace ends in an error after its last whole record */
	while ((r = trace_reader_next(f->rd, &rec, err, sizeof(err))) == 1 &&
	    rec.t <= t)
		replay_apply(&f->rp, &rec);
	if (r < 0 && !f->scan.truncated)
		return -1;
	replay_prune(&f->rp, t);
	f->sc = scene_new(&f->scan, "test");
	f->d = draw_new_headless(1280, 720, err, sizeof(err));
	if (f->d == NULL) {
		fprintf(stderr, "draw: %s\n", err);
		return -1;
	}
	f->v.zoom = zoom;
	f->v.sel_node = SCENE_NONE;
	f->v.mouse_x = f->v.mouse_y = -1;
	f->v.speed = 1e-3;
	scene_render(f->sc, f->d, &f->rp, t, &f->v);
	return 0;
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

/* The header's "xcsim" (drawn at 44, 12 in the title font). */
static unsigned
header_text_pixels(struct draw *d)
{
	return count_rgb(d, (struct draw_rect){ 44, 8, 50, 26 }, C_TEXT, 40);
}

/* --- traces --- */

/* n routers in a chain, as a generated topology would have them. */
static const char *
chain_trace(uint32_t n)
{
	static uint32_t done[2];
	const char *path;
	char err[256], name[32];
	struct trace *tr;
	int32_t pos[2] = { TRACE_POS_AUTO, TRACE_POS_AUTO };
	uint32_t nd[2], ifx[2] = { 1, 0 }, i;
	uint64_t rate[2] = { 1000000000ULL, 1000000000ULL };
	sim_time delay[2] = { SIM_US(5), SIM_US(5) };

	snprintf(name, sizeof(name), "chain%u.xct", n);
	path = tmp_path(name);
	if (done[0] == n || done[1] == n)
		return path;
	tr = trace_open(path, SIM_US(200), err, sizeof(err));
	SIM_ASSERT(tr != NULL, "trace_open: %s", err);
	for (i = 0; i < n; i++) {
		snprintf(name, sizeof(name), "r%u", i);
		trace_node(tr, i, name, "router", "", pos);
	}
	for (i = 0; i + 1 < n; i++) {
		nd[0] = i;
		nd[1] = i + 1;
		snprintf(name, sizeof(name), "l%u", i);
		trace_link(tr, i, name, nd, ifx, rate, delay, 1500, 100, 0);
	}
	trace_annotate(tr, SIM_US(10), 0, "start");
	trace_annotate(tr, SIM_MS(1), 0, "end");
	SIM_ASSERT(trace_close(tr, err, sizeof(err)) == 0, "close: %s", err);
	done[done[0] != 0] = n;
	return path;
}

/* Two nodes and annotations every 100 us for 10 ms; and a copy cut at
 * about two thirds, as an interrupted run leaves it. */
static const char *
pair_trace(bool cut)
{
	static bool done;
	const char *path = tmp_path("pair.xct"), *cpath = tmp_path("cut.xct");
	char err[256];
	struct trace *tr;
	int32_t pos[2] = { TRACE_POS_AUTO, TRACE_POS_AUTO };
	uint32_t nd[2] = { 0, 1 }, ifx[2] = { 0, 0 }, i;
	uint64_t rate[2] = { 1000000000ULL, 1000000000ULL };
	sim_time delay[2] = { SIM_US(50), SIM_US(50) };
	size_t len;
	char *b;
	FILE *f;

	if (!done) {
		tr = trace_open(path, SIM_US(200), err, sizeof(err));
		SIM_ASSERT(tr != NULL, "trace_open: %s", err);
		trace_node(tr, 0, "left", "host", "", pos);
		trace_node(tr, 1, "right", "host", "", pos);
		trace_link(tr, 0, "wire", nd, ifx, rate, delay, 1500, 100, 0);
		for (i = 1; i <= 100; i++)
			trace_annotate(tr, SIM_US(100) * i, 0, "tick");
		SIM_ASSERT(trace_close(tr, err, sizeof(err)) == 0, "close: %s",
		    err);
		b = test_slurp(path, &len);
		SIM_ASSERT(b != NULL, "read %s", path);
		f = fopen(cpath, "wb");
		SIM_ASSERT(f != NULL && fwrite(b, 1, len * 2 / 3, f) ==
		    len * 2 / 3 && fclose(f) == 0, "write %s", cpath);
		free(b);
		done = true;
	}
	return cut ? cpath : path;
}

/* --- cases --- */

static void
test_texts_past_the_cache_drawn(void)
{
	struct draw *d;
	char err[256], s[32];
	unsigned i, uncached = 0;

	d = draw_new_headless(640, 360, err, sizeof(err));
	CU_ASSERT_PTR_NOT_NULL_FATAL(d);
	draw_begin_frame(d, draw_rgb(C_BG));
	/* more distinct texts than the cache has slots, all in one frame */
	for (i = 0; i < 3000; i++) {
		snprintf(s, sizeof(s), "n%u", i);
		draw_text(d, DF_SMALL, (float)(i % 20) * 30, 40 +
		    (float)(i / 20 % 20) * 14, draw_rgb(C_MUTED), s);
	}
	draw_fill_rect(d, (struct draw_rect){ 0, 0, 640, 36 },
	    draw_rgb(C_PANEL));
	CU_ASSERT(draw_text(d, DF_TITLE, 44, 12, draw_rgb(C_TEXT),
	    "xcsim") > 20);
	draw_end_frame(d);
	CU_ASSERT_EQUAL(draw_texts_drawn(d, &uncached), 3001);
	CU_ASSERT(uncached > 0);
	CU_ASSERT(header_text_pixels(d) > 20);
	/* the next frame starts with an emptied cache and counts anew */
	draw_begin_frame(d, draw_rgb(C_BG));
	draw_text(d, DF_TITLE, 44, 12, draw_rgb(C_TEXT), "xcsim");
	draw_end_frame(d);
	CU_ASSERT_EQUAL(draw_texts_drawn(d, &uncached), 1);
	CU_ASSERT_EQUAL(uncached, 0);
	draw_free(d);
}

static void
test_big_topology_frame(void)
{
	struct frame f;
	struct draw_rect cv, a, b;
	size_t i, j, overlaps = 0, outside = 0;
	const char *last;

	CU_ASSERT_EQUAL_FATAL(frame_open(&f, chain_trace(BIG_N), SIM_US(500), 1),
	    0);
	CU_ASSERT_EQUAL(f.scan.nnodes, BIG_N);
	CU_ASSERT(header_text_pixels(f.d) > 20);
	CU_ASSERT_EQUAL(draw_texts_cut(f.d, &last), 0);
	/* every tile on the canvas, none over another */
	scene_canvas_rect(f.sc, &cv);
	for (i = 0; i < BIG_N; i++) {
		CU_ASSERT_EQUAL_FATAL(scene_node_rect(f.sc, (uint32_t)i, &a),
		    0);
		CU_ASSERT(a.w >= 4);
		outside += a.x < cv.x || a.y < cv.y || a.x + a.w > cv.x +
		    cv.w || a.y + a.h > cv.y + cv.h;
		for (j = i + 1; j < BIG_N; j++) {
			scene_node_rect(f.sc, (uint32_t)j, &b);
			overlaps += a.x < b.x + b.w && b.x < a.x + a.w &&
			    a.y < b.y + b.h && b.y < a.y + a.h;
		}
	}
	CU_ASSERT_EQUAL(outside, 0);
	CU_ASSERT_EQUAL(overlaps, 0);
	frame_close(&f);

	/* zoomed in, names come back: thousands of distinct texts in one
	 * frame, and the header is still drawn */
	CU_ASSERT_EQUAL_FATAL(frame_open(&f, chain_trace(BIG_N), SIM_US(500), 8),
	    0);
	CU_ASSERT(draw_texts_drawn(f.d, NULL) > 2 * 1400);
	CU_ASSERT(header_text_pixels(f.d) > 20);
	frame_close(&f);
}

/*
 * 40 routers in a chain: folded into rows, each with room under its tiles
 * for the names and roles drawn there (no row's tiles over the row above's
 * names), and every name drawn.
 */
static void
test_folded_rows_keep_names(void)
{
	struct frame f;
	struct draw_rect a, b, name;
	size_t i, j, over = 0;

	CU_ASSERT_EQUAL_FATAL(frame_open(&f, chain_trace(40), SIM_US(500), 1),
	    0);
	for (i = 0; i < 40; i++) {
		scene_node_rect(f.sc, (uint32_t)i, &a);
		CU_ASSERT(a.w >= 20);
		/* the name and role, 38 px under the tile, as wide as it */
		name = (struct draw_rect){ a.x, a.y + a.h, a.w, 38 };
		for (j = 0; j < 40; j++) {
			if (j == i)
				continue;
			scene_node_rect(f.sc, (uint32_t)j, &b);
			over += name.x < b.x + b.w && b.x < name.x + name.w &&
			    name.y < b.y + b.h && b.y < name.y + name.h;
			over += a.x < b.x + b.w && b.x < a.x + a.w &&
			    a.y < b.y + b.h && b.y < a.y + a.h;
		}
	}
	CU_ASSERT_EQUAL(over, 0);
	/* the header's texts, 40 names, 40 roles, 39 link names at least */
	CU_ASSERT(draw_texts_drawn(f.d, NULL) >= 40 + 40 + 39);
	CU_ASSERT_EQUAL(draw_texts_cut(f.d, NULL), 0);
	frame_close(&f);
}

static void
test_cut_trace_says_so(void)
{
	struct frame f;
	struct draw_rect tr, lab;
	unsigned whole, cut;

	CU_ASSERT_EQUAL_FATAL(frame_open(&f, pair_trace(false), SIM_MS(1), 1),
	    0);
	CU_ASSERT_FALSE(f.scan.truncated);
	scene_timeline_rect(f.sc, &tr);
	lab = (struct draw_rect){ tr.x + tr.w - 220, tr.y + tr.h + 2, 220,
		18 };
	whole = count_rgb(f.d, lab, C_WARN, 30);
	frame_close(&f);

	CU_ASSERT_EQUAL_FATAL(frame_open(&f, pair_trace(true), SIM_MS(1), 1),
	    0);
	CU_ASSERT_TRUE(f.scan.truncated);
	CU_ASSERT(f.scan.end < SIM_MS(10));
	scene_timeline_rect(f.sc, &tr);
	cut = count_rgb(f.d, lab, C_WARN, 30);
	CU_ASSERT_EQUAL(draw_texts_cut(f.d, NULL), 0);
	frame_close(&f);
	/* "trace cut at ..." in the warning colour at the track's end */
	CU_ASSERT_EQUAL(whole, 0);
	CU_ASSERT(cut > 60);
}

static const struct test_case cases[] = {
	{ "texts past the string cache's size are drawn, uncached", test_texts_past_the_cache_drawn },
	{ "2,500 nodes: header drawn, tiles apart and on the canvas", test_big_topology_frame },
	{ "40 nodes folded into rows keep their names, clear of tiles", test_folded_rows_keep_names },
	{ "a cut trace says where it was cut", test_cut_trace_says_so },
	{ NULL, NULL },
};

int
main(int argc, char **argv)
{
	if ((tmpdir = test_tmpdir("/tmp/xcsim-test-vizlimits-XXXXXX")) == NULL)
		return 2;
	return test_main(argc, argv, "viz_limits", cases);
}

#else

int
main(void)
{
	fputs("built without SDL2: no frames to check\n", stderr);
	return 0;
}

#endif
