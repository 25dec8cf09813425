/*
 * test_viz_scene.c - the frame's parts checked by their geometry and pixels:
 * one vocabulary of state levels for the canvas and the event list, the
 * queue bar visible under a drop flash, labels that never overlap, the
 * legend beside a selected node, packet classes apart from the utilisation
 * ramp, texts that fit their panels, link parameters shown, the topology
 * using the canvas's height, and the plot's legend off the CDFs.
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
#include "decode.h"
#include "draw.h"
#include "plot.h"
#include "replay.h"
#include "scan.h"
#include "scene.h"
#include "sim.h"
#include "style.h"
#include "trace.h"

static char tmpdir[256];

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

__attribute__((unused)) static void
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

__attribute__((unused)) static int
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

__attribute__((unused)) static float
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

__attribute__((unused)) static const char *
default_trace(void)
{
	static bool done;
	static char path[600];
	char cmd[1200];

	if (!done) {
		const char *out = tmp_path("default");

		snprintf(cmd, sizeof(cmd), "'%s' run --out '%s' >/dev/null 2>&1",
		    XCSIM_BINARY, out);
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

static const struct test_case cases[] = {
	{ "one state vocabulary: AVAILABLE is good on badges and events", test_state_levels_agree },
	{ NULL, NULL },
};

int
main(int argc, char **argv)
{
	char cmd[600];
	int r;

	snprintf(tmpdir, sizeof(tmpdir), "%s", "/tmp/test_viz_scene.XXXXXX");
	if (mkdtemp(tmpdir) == NULL)
		return 2;
	r = test_main(argc, argv, "viz_scene", cases);
	if (getenv("XCSIM_KEEP_TMP") == NULL) {
		snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
		if (system(cmd) != 0)
			fprintf(stderr, "could not remove %s\n", tmpdir);
	} else {
		fprintf(stderr, "kept %s\n", tmpdir);
	}
	return r;
}

#else

int
main(void)
{
	fputs("built without SDL2: no frames to check\n", stderr);
	return 0;
}

#endif
