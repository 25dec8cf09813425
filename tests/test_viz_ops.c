/*
 * test_viz_ops.c - the operations on the viewer's timeline and the labels
 * that do not collide: the lanes (first fit, a new lane while allowed, a
 * crowd counted), durations and narration in words, the scan keeping
 * every prov_op and narrating it once, the bars drawn for every operation
 * whatever instant was sought (they are static per trace), never two
 * over one another in a lane, the same boxes by seeking as by playing;
 * and on the seed walkthrough (scenarios/labs/01-walkthrough.yaml) and
 * the six-router example at their docs' instants and sizes, no DOWN pill,
 * session pill, shaper or policer tag over a node's tile, nor (but the
 * tags of the crowded 1280x720 walkthrough) over a node's words (name,
 * role, badges) or one another.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "testutil.h"

#ifdef XCSIM_HAVE_VIZ
#include "draw.h"
#include "provops.h"
#include "replay.h"
#include "scan.h"
#include "scene.h"
#include "scenario.h"
#include "scenario_models.h"
#include "scenario_run.h"
#include "trace.h"
#include "util.h"
#include "viz.h"

static const char *tmpdir;

static const char *
tpath(const char *name)
{
	static char buf[4][512];
	static int k;

	k = (k + 1) % 4;
	snprintf(buf[k], sizeof(buf[k]), "%s/%s", tmpdir, name);
	return buf[k];
}

static void
test_lanes(void)
{
	/* a: 0-10, b: 5-15 (meets a), c: 12-20 (after a by 2: gap 2 ok),
	 * d: 13-14 (meets b and c), e: 30-40 (all free) */
	const float x0[] = { 0, 5, 12, 13, 30 }, x1[] = { 10, 15, 20, 14, 40 };
	uint8_t lane[5];
	size_t crowded, n;

	n = provops_lanes(x0, x1, 5, 2, 8, lane, &crowded);
	CU_ASSERT_EQUAL(n, 3);
	CU_ASSERT_EQUAL(crowded, 0);
	CU_ASSERT_EQUAL(lane[0], 0);
	CU_ASSERT_EQUAL(lane[1], 1);
	CU_ASSERT_EQUAL(lane[2], 0);
	CU_ASSERT_EQUAL(lane[3], 2);
	CU_ASSERT_EQUAL(lane[4], 0);
	/* a gap of 3: c no longer fits after a */
	n = provops_lanes(x0, x1, 5, 3, 8, lane, &crowded);
	CU_ASSERT_EQUAL(n, 3);
	CU_ASSERT_EQUAL(lane[2], 2);
	CU_ASSERT_EQUAL(lane[3], 0);	/* a's lane: 10 + 3 <= 13 */
	/* two lanes at most: the crowd goes where a lane frees first */
	n = provops_lanes(x0, x1, 5, 2, 2, lane, &crowded);
	CU_ASSERT_EQUAL(n, 2);
	CU_ASSERT_EQUAL(crowded, 1);
	CU_ASSERT_EQUAL(lane[2], 0);
	CU_ASSERT_EQUAL(lane[3], 1);	/* b's lane frees at 15, c's at 20 */
	CU_ASSERT_EQUAL(lane[4], 0);
}

static void
test_words(void)
{
	struct scan_op o = { .t0 = SIM_S(14), .t1 = SIM_S(14 + 723),
		.verb = "create", .resource =
		"express_route_circuits/er-ashburn", .title =
		"ExpressRoute circuit er-ashburn" };
	char b[256];

	provops_fmt_dur(b, sizeof(b), SIM_S(723));
	CU_ASSERT_STRING_EQUAL(b, "12 min 3 s");
	provops_fmt_dur(b, sizeof(b), SIM_S(3600 + 300));
	CU_ASSERT_STRING_EQUAL(b, "1 h 5 min");
	provops_fmt_dur(b, sizeof(b), SIM_S(7200));
	CU_ASSERT_STRING_EQUAL(b, "2 h");
	provops_fmt_dur(b, sizeof(b), SIM_S(120));
	CU_ASSERT_STRING_EQUAL(b, "2 min");
	provops_fmt_dur(b, sizeof(b), SIM_S(45));
	CU_ASSERT_STRING_EQUAL(b, "45 s");
	provops_fmt_dur(b, sizeof(b), SIM_MS(2500));
	CU_ASSERT_STRING_EQUAL(b, "2.5 s");
	provops_fmt_dur(b, sizeof(b), SIM_MS(250));
	CU_ASSERT_STRING_EQUAL(b, "250 ms");
	provops_fmt_dur(b, sizeof(b), 0);
	CU_ASSERT_STRING_EQUAL(b, "0 s");
	provops_text(b, sizeof(b), &o);
	CU_ASSERT_STRING_EQUAL(b, "create ExpressRoute circuit er-ashburn "
	    "(12 min 3 s)");
	provops_label(b, sizeof(b), &o);
	CU_ASSERT_STRING_EQUAL(b, "create er-ashburn");
	o.refused = true;
	o.t1 = o.t0;
	o.error = "ConflictError: no";
	provops_text(b, sizeof(b), &o);
	CU_ASSERT_STRING_EQUAL(b, "create ExpressRoute circuit er-ashburn "
	    "refused after 0 s: ConflictError: no");
	provops_label(b, sizeof(b), &o);
	CU_ASSERT_STRING_EQUAL(b, "\xe2\x9c\x95 create er-ashburn");
}

#define NOPS 9

/*
 * Two nodes and a link with traffic, and NOPS operations: a create of
 * 12 min 3 s, a refusal at once, five at the same instant (a crowd), one
 * past the trace's end, and one of a resource on no node.
 */
static void
write_ops(const char *path)
{
	static const uint32_t node[2] = { 0, 1 }, ifx[2] = { 0, 0 };
	static const uint64_t rate[2] = { 1000000000, 1000000000 };
	static const sim_time delay[2] = { SIM_MS(1), SIM_MS(1) };
	static const char *const five[] = { "vnets/a", "vnets/b", "vnets/c",
		"vnets/d", "vnets/e" };
	char err[256] = "";
	struct trace *tr = trace_open(path, SIM_S(10), err, sizeof(err));
	uint32_t id = 0;
	size_t i;

	CU_ASSERT_PTR_NOT_NULL_FATAL(tr);
	trace_node(tr, 0, "msee", "router", NULL, NULL);
	trace_node(tr, 1, "edge", "router", NULL, NULL);
	trace_link(tr, 0, "x", node, ifx, rate, delay, 1500, 100, 0);
	trace_prov_op(tr, SIM_S(1), id++, 0, "create",
	    "express_route_circuits/er-ashburn",
	    "ExpressRoute circuit er-ashburn", SIM_S(1 + 723), TRO_DONE, NULL);
	trace_prov(tr, SIM_S(1), 0, "express_route_circuits/er-ashburn",
	    "provisioningState", "Updating");
	trace_prov_op(tr, SIM_S(2), id++, 1, "delete", "drgs/drg1",
	    "DRG drg1", SIM_S(2), TRO_REFUSED, "Conflict: attached");
	for (i = 0; i < 5; i++)
		trace_prov_op(tr, SIM_S(30), id++, 0, "create", five[i],
		    five[i], SIM_S(300 + 10 * (sim_time)i), TRO_DONE, NULL);
	trace_prov_op(tr, SIM_S(400), id++, TRACE_NO_ID, "create", "vcns/x",
	    "VCN x", SIM_S(5000), TRO_DONE, NULL);
	trace_prov_op(tr, SIM_S(900), id++, 1, "update", "drgs/drg1",
	    "DRG drg1", SIM_S(960), TRO_DONE, NULL);
	trace_prov(tr, SIM_S(1000), 0, "express_route_circuits/er-ashburn",
	    "provisioningState", "Succeeded");
	trace_annotate(tr, SIM_S(1200), 0, "end");
	CU_ASSERT_EQUAL(id, NOPS);
	CU_ASSERT_EQUAL_FATAL(trace_close(tr, err, sizeof(err)), 0);
}

/* The scan keeps them in start order and narrates each once. */
static void
test_scan(void)
{
	const char *path = tpath("ops.xct");
	char err[256] = "";
	struct trace_reader *rd;
	struct scan s;
	size_t i, narr = 0, refused = 0, created = 0;

	write_ops(path);
	memset(&s, 0, sizeof(s));
	rd = trace_reader_open(path, err, sizeof(err));
	CU_ASSERT_PTR_NOT_NULL_FATAL(rd);
	CU_ASSERT_EQUAL_FATAL(scan_trace(rd, &s, err, sizeof(err)), 0);
	CU_ASSERT_EQUAL(s.nops, NOPS);
	for (i = 0; i < s.nops; i++) {
		CU_ASSERT_EQUAL(s.ops[i].id, i);
		if (i > 0)
			CU_ASSERT(s.ops[i].t0 >= s.ops[i - 1].t0);
	}
	CU_ASSERT_EQUAL(s.ops[0].t1, SIM_S(724));
	CU_ASSERT(s.ops[1].refused);
	CU_ASSERT_STRING_EQUAL(s.ops[1].error, "Conflict: attached");
	CU_ASSERT_EQUAL(s.ops[7].node, UINT32_MAX);
	for (i = 0; i < s.nevents; i++) {
		if (s.events[i].type != TR_PROV_OP)
			continue;
		narr++;
		if (strcmp(s.events[i].text, "create ExpressRoute circuit "
		    "er-ashburn (12 min 3 s)") == 0) {
			created++;
			CU_ASSERT_EQUAL(s.events[i].t, SIM_S(1));
			CU_ASSERT_EQUAL(s.events[i].node, 0);
			CU_ASSERT_EQUAL(s.events[i].level, SL_INFO);
		}
		if (strstr(s.events[i].text, "refused") != NULL) {
			refused++;
			CU_ASSERT_STRING_EQUAL(s.events[i].text, "delete DRG "
			    "drg1 refused after 0 s: Conflict: attached");
			CU_ASSERT_EQUAL(s.events[i].level, SL_BAD);
			CU_ASSERT(s.events[i].milestone);
			/* on the timeline: the bar's words */
			CU_ASSERT_PTR_NOT_NULL_FATAL(s.events[i].tag);
			CU_ASSERT_STRING_EQUAL(s.events[i].tag,
			    "\xe2\x9c\x95 delete drg1");
		}
	}
	CU_ASSERT_EQUAL(narr, NOPS);
	CU_ASSERT_EQUAL(refused, 1);
	CU_ASSERT_EQUAL(created, 1);
	/* the side panel's title of a resource: its first operation's */
	CU_ASSERT_STRING_EQUAL(provops_title(&s,
	    "express_route_circuits/er-ashburn"),
	    "ExpressRoute circuit er-ashburn");
	CU_ASSERT_STRING_EQUAL(provops_title(&s, "drgs/drg1"), "DRG drg1");
	CU_ASSERT_PTR_NULL(provops_title(&s, "drgs/drg2"));
	scan_free(&s);
	trace_reader_close(rd);
}

static bool
boxes_meet(const float *a, const float *b)
{
	return a[0] < b[0] + b[2] && b[0] < a[0] + a[2] &&
	    a[1] < b[1] + b[3] && b[1] < a[1] + a[3];
}

/* Every bar drawn, none over another in its lane; returns the boxes. */
static void
check_bars(struct viz *v, float box[NOPS][4], int lane[NOPS])
{
	size_t i, j;

	for (i = 0; i < NOPS; i++)
		CU_ASSERT_EQUAL_FATAL(viz_op_box(v, i, box[i], &lane[i]), 0);
	CU_ASSERT_EQUAL(viz_op_box(v, NOPS, box[0], &lane[0]), -1);
	for (i = 0; i < NOPS; i++)
		for (j = i + 1; j < NOPS; j++)
			if (lane[i] == lane[j])
				CU_ASSERT(!boxes_meet(box[i], box[j]));
	/* the crowd of five at 30 s: five lanes */
	for (i = 2; i < 7; i++)
		for (j = i + 1; j < 7; j++)
			CU_ASSERT(lane[i] != lane[j]);
}

static void
test_bars(void)
{
	const char *path = tpath("bars.xct");
	struct viz_opts o = { .width = 1280, .height = 720 };
	float a[NOPS][4], b[NOPS][4];
	int la[NOPS], lb[NOPS];
	char err[256] = "";
	struct viz *v;
	float tile[4];

	write_ops(path);
	v = viz_open(path, &o, err, sizeof(err));
	CU_ASSERT_PTR_NOT_NULL_FATAL(v);
	/* played to 1100 s: all done but the one past the end */
	CU_ASSERT_EQUAL(viz_play_to(v, SIM_S(1100), err, sizeof(err)), 0);
	viz_render(v);
	check_bars(v, a, la);
	/* the bars sit below the track, under the canvas */
	CU_ASSERT_EQUAL(viz_node_box(v, "msee", tile), 0);
	CU_ASSERT(a[0][1] > tile[1] + tile[3]);
	CU_ASSERT(a[0][1] + a[0][3] <= 720);
	/* the create's bar spans its 12 min 3 s: wider than the refusal */
	CU_ASSERT(a[0][2] > a[1][2]);
	/* seeking back to the start: the same bars, all of them */
	CU_ASSERT_EQUAL(viz_seek(v, SIM_MS(500), err, sizeof(err)), 0);
	viz_render(v);
	check_bars(v, b, lb);
	CU_ASSERT_EQUAL(memcmp(la, lb, sizeof(la)), 0);
	/* the boxes with labels differ only where a label is cut by room,
	 * which does not depend on the instant */
	CU_ASSERT_EQUAL(memcmp(a, b, sizeof(a)), 0);
	/* and by seeking forward to where playing went */
	CU_ASSERT_EQUAL(viz_seek(v, SIM_S(1100), err, sizeof(err)), 0);
	viz_render(v);
	check_bars(v, b, lb);
	CU_ASSERT_EQUAL(memcmp(a, b, sizeof(a)), 0);
	viz_close(v);
}

/* Pixels of the frame that differ from before. */
static size_t
frame_diff(struct draw *d, const uint32_t *before)
{
	size_t len, i, diff = 0;
	const uint32_t *px = draw_pixels(d, &len);

	for (i = 0; i < len / 4; i++)
		diff += px[i] != before[i];
	return diff;
}

/*
 * Hovering a bar brings up its tooltip (what, when, how long): the frame
 * differs from the one with the mouse on nothing, which renders the same
 * twice.
 */
static void
test_hover(void)
{
	const char *path = tpath("hover.xct");
	char err[256] = "";
	struct trace_reader *rd;
	struct scene_view v;
	struct draw_rect box;
	struct replay rp;
	struct scene *sc;
	struct draw *d;
	struct scan s;
	const void *px;
	uint32_t *before;
	size_t len;
	int lane;

	write_ops(path);
	memset(&s, 0, sizeof(s));
	rd = trace_reader_open(path, err, sizeof(err));
	CU_ASSERT_PTR_NOT_NULL_FATAL(rd);
	CU_ASSERT_EQUAL_FATAL(scan_trace(rd, &s, err, sizeof(err)), 0);
	replay_init(&rp, s.nlinks, SIM_MS(4), SIM_MS(8));
	sc = scene_new(&s, "t");
	d = draw_new_headless(1280, 720, err, sizeof(err));
	CU_ASSERT_PTR_NOT_NULL_FATAL(d);
	memset(&v, 0, sizeof(v));
	v.zoom = 1;
	v.sel_node = SCENE_NONE;
	v.mouse_x = v.mouse_y = -1;
	v.speed = 1e-3;
	/* the mouse on the canvas's corner, on nothing */
	v.mouse_x = 5;
	v.mouse_y = 60;
	scene_render(sc, d, &rp, SIM_S(100), &v);
	CU_ASSERT_EQUAL_FATAL(scene_op_box(sc, 0, &box, &lane), 0);
	px = draw_pixels(d, &len);
	CU_ASSERT_EQUAL_FATAL(len, (size_t)1280 * 720 * 4);
	before = xmalloc(len);
	memcpy(before, px, len);
	scene_render(sc, d, &rp, SIM_S(100), &v);
	CU_ASSERT_EQUAL(frame_diff(d, before), 0);
	v.mouse_x = (int)(box.x + box.w / 2);
	v.mouse_y = (int)(box.y + box.h / 2);
	scene_render(sc, d, &rp, SIM_S(100), &v);
	CU_ASSERT(frame_diff(d, before) > 1000);
	free(before);
	draw_free(d);
	scene_free(sc);
	replay_free(&rp);
	scan_free(&s);
	trace_reader_close(rd);
}

/*
 * At the last frame: the placed pills and tags (tags too when tags) that
 * meet a node's tile or its words, or another placed one. Returns how
 * many meetings; *on_tiles those over a tile.
 */
static size_t
collisions(struct viz *v, const char *const *nodes, size_t nn, bool tags,
    size_t *on_tiles)
{
	float p[4], q[4], t[4];
	size_t i, j, k, bad = 0;
	int kind, kq;

	*on_tiles = 0;
	for (i = 0; viz_placed_box(v, i, p, &kind) == 0; i++) {
		for (k = 0; k < nn; k++) {
			if (viz_node_box(v, nodes[k], t) == 0 &&
			    boxes_meet(p, t)) {
				fprintf(stderr, "\nplaced %zu (%.0f,%.0f %.0fx"
				    "%.0f) over %s's tile", i, p[0], p[1], p[2],
				    p[3], nodes[k]);
				(*on_tiles)++;
			}
			if ((tags || kind != 2) &&
			    viz_node_text_box(v, nodes[k], t) == 0 &&
			    boxes_meet(p, t)) {
				fprintf(stderr, "\nplaced %zu (%.0f,%.0f %.0fx"
				    "%.0f) over %s's words", i, p[0], p[1],
				    p[2], p[3], nodes[k]);
				bad++;
			}
		}
		for (j = 0; j < i; j++)
			if (viz_placed_box(v, j, q, &kq) == 0 &&
			    (tags || (kind != 2 && kq != 2)) &&
			    boxes_meet(p, q)) {
				fprintf(stderr, "\nplaced %zu over %zu", i, j);
				bad++;
			}
	}
	return bad;
}

static char *
run_scenario(const char *file, const char *outdir)
{
	struct run_opts o = { .out_dir = outdir };
	char err[256] = "", *text, *path;
	struct scenario *sc;
	struct run *r;
	size_t n = 0;

	text = test_slurp(file, &n);
	CU_ASSERT_PTR_NOT_NULL_FATAL(text);
	sc = scenario_load_buffer(file, text, n, stderr, NULL);
	CU_ASSERT_PTR_NOT_NULL_FATAL(sc);
	r = run_new(sc, &o, err, sizeof(err));
	if (r == NULL)
		fprintf(stderr, "%s\n", err);
	CU_ASSERT_PTR_NOT_NULL_FATAL(r);
	while (run_advance(r, run_end_time(r)))
		;
	CU_ASSERT_EQUAL(run_finish(r, err, sizeof(err)), 0);
	run_free(r);
	scenario_free(sc);
	free(text);
	path = xmalloc(strlen(outdir) + 16);
	sprintf(path, "%s/trace.xct", outdir);
	return path;
}

/*
 * The timeline's milestone labels read: several, each a resource and the
 * state it reached ("app-vnet Succeeded"), none cut (a cut one ends in an
 * ellipsis), none the whole narration.
 */
static void
check_timeline_labels(struct viz *v)
{
	const char *l;
	size_t n;

	for (n = 0; (l = viz_timeline_label(v, n)) != NULL; n++) {
		if (strstr(l, "\xe2\x80\xa6") != NULL ||
		    strchr(l, ':') != NULL)
			fprintf(stderr, "\ntimeline label \"%s\"", l);
		CU_ASSERT_PTR_NULL(strstr(l, "\xe2\x80\xa6"));
		CU_ASSERT_PTR_NULL(strchr(l, ':'));
	}
	CU_ASSERT(n >= 3);
}

static void
test_walkthrough_labels(void)
{
	static const char *const nodes[] = { "app-vm", "app-vnet", "app-gw",
		"msee-primary", "msee-secondary", "oracle-edge-primary",
		"oracle-edge-secondary", "drg1", "db-vcn", "db-vm" };
	static const sim_time at[] = { SIM_S(500), SIM_S(3700), SIM_S(4330) };
	static const int size[][2] = { { 1600, 900 }, { 1280, 720 } };
	char err[256] = "", *trace;
	size_t i, k, placed, bad, tiles;
	struct viz *v;
	float p[4];
	int kind;

	scenario_models_init();
	trace = run_scenario(XCSIM_SOURCE_DIR
	    "/scenarios/labs/01-walkthrough.yaml", tpath("walk"));
	for (k = 0; k < 2; k++) {
		struct viz_opts o = { .width = size[k][0],
			.height = size[k][1] };

		v = viz_open(trace, &o, err, sizeof(err));
		CU_ASSERT_PTR_NOT_NULL_FATAL(v);
		for (i = 0; i < 3; i++) {
			CU_ASSERT_EQUAL(viz_seek(v, at[i], err, sizeof(err)), 0);
			viz_render(v);
			for (placed = 0; viz_placed_box(v, placed, p,
			    &kind) == 0;)
				placed++;
			/* the walkthrough's tags and pills are there */
			CU_ASSERT(placed >= 8);
			/*
			 * Nothing over a tile; at 1600x900 nothing over a
			 * node's words nor another; at 1280x720 the canvas
			 * is too crowded for every shaper and policer tag
			 * to stay clear beside its queue bar: the DOWN and
			 * session pills still do.
			 */
			bad = collisions(v, nodes, 10, k == 0, &tiles);
			if (bad != 0 || tiles != 0)
				fprintf(stderr, "\n%dx%d at %llds: %zu, %zu\n",
				    size[k][0], size[k][1],
				    (long long)(at[i] / SIM_S(1)), bad, tiles);
			CU_ASSERT_EQUAL(bad, 0);
			CU_ASSERT_EQUAL(tiles, 0);
			check_timeline_labels(v);
		}
		viz_close(v);
	}
	free(trace);
}

static void
test_six_routers_labels(void)
{
	static const char *const nodes[] = { "azure-vm", "er-gateway",
		"msee-primary", "oracle-edge", "drg", "oci-db" };
	struct viz_opts o = { .width = 1280, .height = 720 };
	char err[256] = "", *trace;
	struct viz *v;
	size_t tiles;

	scenario_models_init();
	trace = run_scenario(XCSIM_SOURCE_DIR
	    "/scenarios/examples/six-routers.yaml", tpath("six"));
	v = viz_open(trace, &o, err, sizeof(err));
	CU_ASSERT_PTR_NOT_NULL_FATAL(v);
	CU_ASSERT_EQUAL(viz_seek(v, SIM_US(3000290), err, sizeof(err)), 0);
	viz_render(v);
	CU_ASSERT_EQUAL(collisions(v, nodes, 6, true, &tiles), 0);
	CU_ASSERT_EQUAL(tiles, 0);
	viz_close(v);
	free(trace);
}

static const struct test_case cases[] = {
	{ "lanes: first fit, new lanes, the crowd", test_lanes },
	{ "durations, narration and labels in words", test_words },
	{ "the scan keeps and narrates every operation", test_scan },
	{ "bars for every operation, apart, the same at any seek",
	    test_bars },
	{ "hovering a bar: its tooltip", test_hover },
	{ "the walkthrough: no pill or tag over a node's words, timeline "
	    "labels whole",
	    test_walkthrough_labels },
	{ "six routers: no pill or tag over a node's words",
	    test_six_routers_labels },
	{ NULL, NULL },
};

int
main(int argc, char **argv)
{
	if ((tmpdir = test_tmpdir("/tmp/test_viz_ops.XXXXXX")) == NULL)
		return 2;
	return test_main(argc, argv, "viz_ops", cases);
}

#else

static void
test_no_viz(void)
{
	CU_PASS("built without the viewer");
}

static const struct test_case cases[] = {
	{ "built without the viewer", test_no_viz },
	{ NULL, NULL },
};

int
main(int argc, char **argv)
{
	return test_main(argc, argv, "viz_ops", cases);
}
#endif
