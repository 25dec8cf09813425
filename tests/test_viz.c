/*
 * test_viz.c - the trace viewer, checked by the pixels of headless frames:
 * node tiles where the layout puts them, a down link in the down colour, a
 * packet drawn where it is on its link at that instant and gone after it
 * arrived, a frame reached by seeking identical to one reached by playing,
 * bad traces refused with exit status 2; the header decoder; and the plot.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "testutil.h"

/* The subcommands live in the xcsim executable; compile them in here. */
#include "../cli/cmd_viz.c"

#ifdef XCSIM_HAVE_VIZ
#include <SDL_image.h>

#include "decode.h"
#include "layout.h"
#include "plot.h"
#include "scene.h"
#include "style.h"
#include "sim.h"
#include "trace.h"
#include "viz.h"

/* --- a small synthetic cross-cloud trace --- */

enum { N_VM, N_GW, N_MSEE1, N_MSEE2, N_EDGE, N_DRG, N_DB, N_NODES };
enum { L_VNET, L_GWM1, L_GWM2, L_XC1, L_XC2, L_EDRG, L_VCN, L_LINKS };

static const struct {
	const char *name, *role, *region;
} nodes[N_NODES] = {
	{ "azure-vm", "azure-vm", "eastus" },
	{ "er-gateway", "azure-er-gateway", "eastus" },
	{ "msee-primary", "msee", "ashburn" },
	{ "msee-secondary", "msee", "ashburn" },
	{ "oracle-edge", "oci-edge", "ashburn" },
	{ "drg", "oci-drg", "us-ashburn-1" },
	{ "oci-db", "oci-instance", "us-ashburn-1" },
};

static const struct {
	const char *name;
	uint32_t a, b;
	uint64_t rate;
	sim_time delay;
} links[L_LINKS] = {
	{ "vnet", N_VM, N_GW, 10000000000ULL, SIM_US(30) },
	{ "gw-msee1", N_GW, N_MSEE1, 10000000000ULL, SIM_US(250) },
	{ "gw-msee2", N_GW, N_MSEE2, 10000000000ULL, SIM_US(250) },
	{ "cross-connect-1", N_MSEE1, N_EDGE, 1000000000ULL, SIM_US(5) },
	{ "cross-connect-2", N_MSEE2, N_EDGE, 1000000000ULL, SIM_US(5) },
	{ "edge-drg", N_EDGE, N_DRG, 10000000000ULL, SIM_US(400) },
	{ "vcn", N_DRG, N_DB, 10000000000ULL, SIM_US(30) },
};

#define PING_T SIM_MS(2)	/* the echo request leaves the VM */
#define PING_UID 1000u

static size_t
icmp_frame(uint8_t *b, uint8_t type, uint32_t src, uint32_t dst)
{
	memset(b, 0, 64);
	memcpy(b, "\x02\x00\x00\x00\x00\x02\x02\x00\x00\x00\x00\x01", 12);
	b[12] = 0x08;			/* IPv4 */
	b[14] = 0x45;
	b[16] = 0;
	b[17] = 84;			/* total length */
	b[20] = 0x40;			/* DF */
	b[22] = 64;			/* TTL */
	b[23] = 1;			/* ICMP */
	b[26] = (uint8_t)(src >> 24); b[27] = (uint8_t)(src >> 16);
	b[28] = (uint8_t)(src >> 8); b[29] = (uint8_t)src;
	b[30] = (uint8_t)(dst >> 24); b[31] = (uint8_t)(dst >> 16);
	b[32] = (uint8_t)(dst >> 8); b[33] = (uint8_t)dst;
	b[34] = type;
	b[38] = 0x12;
	b[41] = 1;			/* sequence 1 */
	return 64;
}

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
	b[22] = 1;
	b[23] = 6;
	b[34] = (uint8_t)(sport >> 8); b[35] = (uint8_t)sport;
	b[36] = (uint8_t)(dport >> 8); b[37] = (uint8_t)dport;
	b[46] = 0x50;			/* data offset 5 */
	b[47] = flags;
	return 74;
}

/*
 * Packet records are collected and written in time order at the end (the
 * writer wants time to move forward; the hops of different packets
 * interleave).
 */
struct op {
	sim_time t;
	int seq;
	int kind;		/* 0 enqueue, 1 tx, 2 rx */
	uint64_t uid;
	uint32_t link, len;
	uint8_t dir;
	sim_time tx_end, arrive;
	uint8_t hdr[96];
	uint16_t hlen;
};

static struct op ops[1024];
static int nops;

static int
op_cmp(const void *a, const void *b)
{
	const struct op *x = a, *y = b;

	if (x->t != y->t)
		return x->t < y->t ? -1 : 1;
	return x->seq - y->seq;
}

static void
flush_ops(struct trace *tr, sim_time upto)
{
	int i, j;

	qsort(ops, (size_t)nops, sizeof(ops[0]), op_cmp);
	for (i = 0; i < nops && ops[i].t <= upto; i++) {
		const struct op *o = &ops[i];

		if (o->kind == 0)
			trace_enqueue(tr, o->t, o->uid, o->link, o->dir, o->len,
			    1, o->len);
		else if (o->kind == 1)
			trace_tx(tr, o->t, o->uid, o->link, o->dir, o->len,
			    o->tx_end, o->arrive, o->hdr, o->hlen);
		else
			trace_rx(tr, o->t, o->uid, o->link, o->dir,
			    o->dir ? links[o->link].a : links[o->link].b, 0);
	}
	for (j = 0; i < nops; i++, j++)
		ops[j] = ops[i];
	nops = j;
}

/* One hop: enqueue, transmit, arrive; returns the arrival time. */
static sim_time
hop(struct trace *tr, sim_time t, uint64_t uid, uint32_t l, uint8_t dir,
    uint32_t len, const uint8_t *hdr, size_t hlen)
{
	sim_time tx_end = t + units_tx_time(len, links[l].rate);
	sim_time arrive = tx_end + links[l].delay;
	int k;

	(void)tr;
	SIM_ASSERT(nops + 3 <= 1024, "too many ops");
	for (k = 0; k < 3; k++) {
		struct op *o = &ops[nops];

		memset(o, 0, sizeof(*o));
		o->t = k == 2 ? arrive : t;
		o->seq = nops++;
		o->kind = k;
		o->uid = uid;
		o->link = l;
		o->len = len;
		o->dir = dir;
		o->tx_end = tx_end;
		o->arrive = arrive;
		memcpy(o->hdr, hdr, hlen);
		o->hlen = (uint16_t)hlen;
	}
	return arrive;
}

static void
write_trace(const char *path)
{
	char err[256];
	struct trace *tr = trace_open(path, SIM_US(200), err, sizeof(err));
	int32_t autopos[2] = { TRACE_POS_AUTO, TRACE_POS_AUTO };
	uint8_t mac[6] = { 2, 0, 0, 0, 0, 1 };
	uint8_t hdr[96];
	size_t hl, i;
	sim_time t, ping_done;
	uint32_t l;

	SIM_ASSERT(tr != NULL, "trace_open: %s", err);
	nops = 0;
	for (i = 0; i < N_NODES; i++)
		trace_node(tr, (uint32_t)i, nodes[i].name, nodes[i].role,
		    nodes[i].region, autopos);
	trace_iface(tr, N_MSEE1, 1, "fastconnect", mac, 0xc0a86482u, 30);
	trace_iface(tr, N_EDGE, 0, "expressroute", mac, 0xc0a86481u, 30);
	for (l = 0; l < L_LINKS; l++) {
		uint32_t nd[2] = { links[l].a, links[l].b }, ifx[2] = { 0, 0 };
		uint64_t rate[2] = { links[l].rate, links[l].rate };
		sim_time delay[2] = { links[l].delay, links[l].delay };

		trace_link(tr, l, links[l].name, nd, ifx, rate, delay, 1500,
		    100, 150000);
	}
	trace_prov(tr, SIM_US(100), N_GW, "circuit", "provisioning",
	    "Succeeded");
	trace_prov(tr, SIM_US(150), N_DRG, "virtual-circuit", "state",
	    "Provisioned");
	trace_session(tr, SIM_US(800), TRP_BGP, N_MSEE1, "192.168.100.129",
	    "Established", "");
	trace_session(tr, SIM_US(800), TRP_BGP, N_EDGE, "192.168.100.130",
	    "Established", "");
	trace_route(tr, SIM_US(900), N_MSEE1, "main", 0x0a020000u, 16, false,
	    "192.168.100.129", "as-path 31898");
	trace_route(tr, SIM_US(900), N_MSEE1, "main", 0x0a010000u, 16, false,
	    "172.16.0.1", "connected");
	trace_route(tr, SIM_US(950), N_MSEE1, "main", 0x0a030000u, 16, false,
	    "192.168.100.129", "");
	trace_route(tr, SIM_US(960), N_MSEE1, "main", 0x0a030000u, 16, true,
	    "", "");
	trace_link_state(tr, SIM_MS(1) + SIM_US(500), L_XC2, false);
	trace_annotate(tr, SIM_MS(1) + SIM_US(500), N_MSEE2,
	    "cross-connect 2 cut");

	/* the echo request, hop by hop, and its reply */
	hl = icmp_frame(hdr, 8, 0x0a010104u, 0x0a02010au);
	t = hop(tr, PING_T, PING_UID, L_VNET, 0, 98, hdr, hl);
	t = hop(tr, t + 500, PING_UID, L_GWM1, 0, 98, hdr, hl);
	t = hop(tr, t + 500, PING_UID, L_XC1, 0, 106, hdr, hl);
	t = hop(tr, t + 500, PING_UID, L_EDRG, 0, 98, hdr, hl);
	t = hop(tr, t + 500, PING_UID, L_VCN, 0, 98, hdr, hl);
	hl = icmp_frame(hdr, 0, 0x0a02010au, 0x0a010104u);
	t = hop(tr, t + 1000, PING_UID + 1, L_VCN, 1, 98, hdr, hl);
	t = hop(tr, t + 500, PING_UID + 1, L_EDRG, 1, 98, hdr, hl);
	ping_done = t;

	/* a burst of TCP data and ACKs on the primary path */
	for (i = 0; i < 60; i++) {
		sim_time ts = PING_T + SIM_US(400) + (sim_time)i * 1200;

		hl = tcp_frame(hdr, 40000, 5001, 1500 - 14, 0x18);
		hop(tr, ts, 5000 + i, L_GWM1, 0, 1514, hdr, hl);
		hl = tcp_frame(hdr, 5001, 40000, 40, 0x10);
		hop(tr, ts + 300, 7000 + i, L_GWM1, 1, 54, hdr, hl);
	}
	/* BGP keepalives both ways on the cross-connect */
	hl = tcp_frame(hdr, 179, 33000, 40 + 19, 0x18);
	hop(tr, PING_T + SIM_US(100), 9000, L_XC1, 0, 93, hdr, hl);
	hop(tr, PING_T + SIM_US(102), 9001, L_XC1, 1, 93, hdr, hl);
	/* a drop on the way to the secondary MSEE: its link is down */
	flush_ops(tr, PING_T + SIM_US(50));
	trace_drop(tr, PING_T + SIM_US(50), 9100, N_MSEE2, L_XC2, 0,
	    DROP_LINK_DOWN, 106);
	flush_ops(tr, PING_T + SIM_US(60));
	trace_drop(tr, PING_T + SIM_US(60), 9101, N_GW, TRACE_NO_ID, 0,
	    DROP_NO_ROUTE, 98);
	flush_ops(tr, ping_done);
	trace_app(tr, ping_done, N_VM, "ping", 1, true, ping_done - PING_T,
	    "");
	flush_ops(tr, SIM_MS(4));
	trace_assert(tr, SIM_MS(4), true, "ping azure-vm -> oci-db succeeds");
	SIM_ASSERT(trace_close(tr, err, sizeof(err)) == 0, "close: %s", err);
}

static const char *tmpdir;

static const char *
tmp_path(const char *name)
{
	static char buf[32][512];
	static int k;

	k = (k + 1) % 32;
	snprintf(buf[k], sizeof(buf[k]), "%s/%s", tmpdir, name);
	return buf[k];
}

static const char *
trace_path(void)
{
	static bool written;
	const char *p = tmp_path("synth.xct");

	if (!written) {
		write_trace(p);
		written = true;
	}
	return p;
}

static struct viz *
open_at(sim_time t, const char *select)
{
	char err[256];
	struct viz_opts o = { 1280, 720, select, NULL, NULL };
	struct viz *v = viz_open(trace_path(), &o, err, sizeof(err));

	if (v == NULL) {
		fprintf(stderr, "viz_open: %s\n", err);
		return NULL;
	}
	CU_ASSERT_EQUAL(viz_seek(v, t, err, sizeof(err)), 0);
	viz_render(v);
	return v;
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

/* Length in pixels of a link's lane in the last frame. */
static float
lane_len(struct viz *v, const char *link, int dir)
{
	float x0, y0, x1, y1;

	if (viz_link_point(v, link, dir, 0, &x0, &y0) < 0 ||
	    viz_link_point(v, link, dir, 1, &x1, &y1) < 0)
		return 1e9f;
	return sqrtf((x1 - x0) * (x1 - x0) + (y1 - y0) * (y1 - y0));
}

/* --- cases --- */

static void
test_node_tiles_where_layout_says(void)
{
	static const uint32_t role_rgb[N_NODES] = { 0x0078d4, 0x0078d4,
		0x6e7781, 0x6e7781, 0xc74634, 0xc74634, 0xc74634 };
	struct viz *v = open_at(SIM_MS(1), NULL);
	float box[N_NODES][4];
	size_t i;

	CU_ASSERT_PTR_NOT_NULL_FATAL(v);
	for (i = 0; i < N_NODES; i++) {
		int x, y;

		CU_ASSERT_EQUAL_FATAL(viz_node_box(v, nodes[i].name, box[i]),
		    0);
		/* the lower left of the tile, clear of the icon */
		x = (int)(box[i][0] + 5);
		y = (int)(box[i][1] + box[i][3] * 0.8f);
		CU_ASSERT(near_rgb(viz_pixel(v, x, y), role_rgb[i], 12));
		/* and outside the tile, the canvas */
		CU_ASSERT(!near_rgb(viz_pixel(v, (int)box[i][0] - 14, y),
		    role_rgb[i], 40));
	}
	/* the story left to right: Azure, the peering location, OCI */
	CU_ASSERT(box[N_VM][0] < box[N_GW][0]);
	CU_ASSERT(box[N_GW][0] < box[N_MSEE1][0]);
	CU_ASSERT(box[N_MSEE1][0] < box[N_EDGE][0]);
	CU_ASSERT(box[N_EDGE][0] < box[N_DRG][0]);
	CU_ASSERT(box[N_DRG][0] < box[N_DB][0]);
	/* the two MSEEs share a column, one above the other */
	CU_ASSERT_EQUAL(box[N_MSEE1][0], box[N_MSEE2][0]);
	CU_ASSERT(box[N_MSEE1][1] + box[N_MSEE1][3] < box[N_MSEE2][1]);
	viz_close(v);
}

static int
count_colour_along(struct viz *v, const char *link, int dir, uint32_t rgb)
{
	int hits = 0, k;

	for (k = 0; k <= 40; k++) {
		float x, y;

		if (viz_link_point(v, link, dir, 0.05f + 0.9f * (float)k / 40,
		    &x, &y) < 0)
			return -1;
		hits += near_rgb(viz_pixel(v, (int)x, (int)y), rgb, 30);
	}
	return hits;
}

static void
test_down_link_has_down_colour(void)
{
	struct viz *before = open_at(SIM_MS(1), NULL);
	struct viz *after = open_at(SIM_MS(1) + SIM_US(600), NULL);

	CU_ASSERT_PTR_NOT_NULL_FATAL(before);
	CU_ASSERT_PTR_NOT_NULL_FATAL(after);
	/* dashed: several samples, not all, in the down colour */
	CU_ASSERT(count_colour_along(after, "cross-connect-2", 0,
	    STYLE_DOWN_RGB) >= 8);
	CU_ASSERT(count_colour_along(after, "cross-connect-2", 1,
	    STYLE_DOWN_RGB) >= 8);
	CU_ASSERT_EQUAL(count_colour_along(before, "cross-connect-2", 0,
	    STYLE_DOWN_RGB), 0);
	CU_ASSERT_EQUAL(count_colour_along(after, "cross-connect-1", 0,
	    STYLE_DOWN_RGB), 0);
	viz_close(before);
	viz_close(after);
}

static void
test_packet_drawn_on_its_link(void)
{
	/* the echo request on gw-msee1 (250 us), half way at this instant */
	sim_time t1 = PING_T + units_tx_time(98, 10000000000ULL) + SIM_US(30) +
	    500;
	sim_time at = t1 + SIM_US(125);
	uint32_t icmp = style_class_rgb(DC_ICMP);
	struct viz *v = open_at(at, NULL), *later;
	float x, y, xa, ya, f;
	uint32_t px;

	CU_ASSERT_PTR_NOT_NULL_FATAL(v);
	/* just behind the head, in the middle of the 7 pixels a packet
	 * this short is drawn as, on the lane of direction 0 */
	f = 0.5f - 3.5f / lane_len(v, "gw-msee1", 0);
	CU_ASSERT_EQUAL_FATAL(viz_link_point(v, "gw-msee1", 0, f, &x,
	    &y), 0);
	px = viz_pixel(v, (int)(x + 0.5f), (int)(y + 0.5f));
	CU_ASSERT(near_rgb(px, icmp, 8));
	/* not yet further along, nor on the other lane */
	CU_ASSERT_EQUAL_FATAL(viz_link_point(v, "gw-msee1", 0, 0.75f, &xa,
	    &ya), 0);
	CU_ASSERT(!near_rgb(viz_pixel(v, (int)xa, (int)ya), icmp, 30));
	CU_ASSERT_EQUAL_FATAL(viz_link_point(v, "gw-msee1", 1, 1 - f, &xa,
	    &ya), 0);
	CU_ASSERT(!near_rgb(viz_pixel(v, (int)(xa + 0.5f), (int)(ya + 0.5f)),
	    icmp, 30));
	viz_close(v);
	/* after it arrived it is gone from that link */
	later = open_at(t1 + SIM_US(260), NULL);
	CU_ASSERT_PTR_NOT_NULL_FATAL(later);
	CU_ASSERT(!near_rgb(viz_pixel(later, (int)(x + 0.5f), (int)(y + 0.5f)),
	    icmp, 30));
	viz_close(later);
}

static void
test_seek_equals_play(void)
{
	static const sim_time when[] = { PING_T + SIM_US(70),
		PING_T + SIM_US(300), PING_T + SIM_US(1100), SIM_MS(1) };
	char err[256];
	struct viz_opts o = { 640, 400, "msee-primary", NULL, NULL };
	struct viz *play = viz_open(trace_path(), &o, err, sizeof(err));
	struct viz *jump = viz_open(trace_path(), &o, err, sizeof(err));
	size_t i, la, lb;
	sim_time t;

	CU_ASSERT_PTR_NOT_NULL_FATAL(play);
	CU_ASSERT_PTR_NOT_NULL_FATAL(jump);
	for (i = 0; i < sizeof(when) / sizeof(when[0]); i++) {
		const void *pa, *pb;

		/* play from the start in small steps */
		CU_ASSERT_EQUAL(viz_seek(play, 0, err, sizeof(err)), 0);
		for (t = 0; t < when[i]; t += SIM_US(7))
			CU_ASSERT_EQUAL(viz_play_to(play, t, err, sizeof(err)),
			    0);
		CU_ASSERT_EQUAL(viz_play_to(play, when[i], err, sizeof(err)),
		    0);
		viz_render(play);
		/* seek past the end, then back */
		CU_ASSERT_EQUAL(viz_seek(jump, SIM_MS(4), err, sizeof(err)), 0);
		CU_ASSERT_EQUAL(viz_seek(jump, when[i], err, sizeof(err)), 0);
		viz_render(jump);
		pa = viz_pixels(play, &la);
		pb = viz_pixels(jump, &lb);
		CU_ASSERT_EQUAL_FATAL(la, lb);
		CU_ASSERT(la > 0 && memcmp(pa, pb, la) == 0);
	}
	viz_close(play);
	viz_close(jump);
}

static void
test_step_visits_records(void)
{
	char err[256];
	struct viz *v = viz_open(trace_path(), NULL, err, sizeof(err));
	sim_time a, b;

	CU_ASSERT_PTR_NOT_NULL_FATAL(v);
	CU_ASSERT_EQUAL(viz_seek(v, PING_T - 1, err, sizeof(err)), 0);
	CU_ASSERT_EQUAL(viz_step(v, 1, err, sizeof(err)), 0);
	a = viz_now(v);
	CU_ASSERT_EQUAL(a, PING_T);	/* the echo request's enqueue */
	CU_ASSERT_EQUAL(viz_step(v, 1, err, sizeof(err)), 0);
	b = viz_now(v);
	CU_ASSERT(b > a);
	CU_ASSERT_EQUAL(viz_step(v, -1, err, sizeof(err)), 0);
	CU_ASSERT_EQUAL(viz_now(v), a);
	CU_ASSERT_EQUAL(viz_step(v, -1, err, sizeof(err)), 0);
	CU_ASSERT(viz_now(v) < a);
	viz_close(v);
}

static int
run_cmd(int (*fn)(int, char **), const char *const *args)
{
	char *argv[16];
	int argc = 0;

	while (args[argc] != NULL && argc < 15) {
		argv[argc] = (char *)(uintptr_t)args[argc];
		argc++;
	}
	argv[argc] = NULL;
	return fn(argc, argv);
}

static void
copy_file(const char *from, const char *to, long keep, long flip_at,
    long flip_len)
{
	FILE *a = fopen(from, "rb"), *b = fopen(to, "wb");
	long n = 0;
	int c;

	SIM_ASSERT(a != NULL && b != NULL, "copy %s", from);
	while ((c = fgetc(a)) != EOF && (keep < 0 || n < keep)) {
		if (n >= flip_at && n < flip_at + flip_len)
			c = 0xa5 ^ (int)(n & 0x3f);
		fputc(c, b);
		n++;
	}
	fclose(a);
	fclose(b);
}

static long
file_size(const char *p)
{
	struct stat st;

	return stat(p, &st) == 0 ? (long)st.st_size : -1;
}

static void
test_bad_traces_exit_2(void)
{
	char good[512];
	const char *trunc = tmp_path("trunc.xct");
	const char *corrupt = tmp_path("corrupt.xct");
	const char *magic = tmp_path("magic.xct");
	const char *png = tmp_path("bad.png");
	long size;
	const char *a1[] = { "viz", trunc, "--png", tmp_path("trunc.png"),
		"--at", "1ms", NULL };
	const char *a2[] = { "viz", corrupt, "--png", png, "--at", "1ms",
		NULL };
	const char *a3[] = { "viz", magic, "--png", png, "--at", "1ms", NULL };
	const char *a4[] = { "viz", tmp_path("missing.xct"), "--png", png,
		"--at", "1ms", NULL };
	const char *ok[] = { "viz", NULL, "--png", png, "--at", "2.1ms",
		"--size", "800x500", "--select", "msee-primary", NULL };

	snprintf(good, sizeof(good), "%s", trace_path());
	size = file_size(good);
	CU_ASSERT_FATAL(size > 400);
	copy_file(good, trunc, size * 2 / 3, -1, 0);
	copy_file(good, corrupt, -1, size / 2, 64);
	copy_file(good, magic, -1, 0, 4);
	/* an interrupted run's trace shows what it recorded */
	CU_ASSERT_EQUAL(run_cmd(cmd_viz, a1), 0);
	CU_ASSERT(file_size(tmp_path("trunc.png")) > 1000);
	CU_ASSERT_EQUAL(run_cmd(cmd_viz, a2), 2);
	CU_ASSERT_EQUAL(run_cmd(cmd_viz, a3), 2);
	CU_ASSERT_EQUAL(run_cmd(cmd_viz, a4), 2);
	CU_ASSERT_EQUAL(access(png, F_OK), -1);	/* nothing half-written */
	ok[1] = good;
	CU_ASSERT_EQUAL(run_cmd(cmd_viz, ok), 0);
	CU_ASSERT(file_size(png) > 1000);
}

static void
test_bad_options_exit_2(void)
{
	const char *t = trace_path(), *png = tmp_path("opt.png");
	const char *cases[][10] = {
		{ "viz", NULL },
		{ "viz", t, "--png", png, NULL },
		{ "viz", t, "--png", png, "--at", "soon", NULL },
		{ "viz", t, "--png", png, "--at", "1ms", "--size", "9x", NULL },
		{ "viz", t, "--png", png, "--at", "1ms", "--select", "nobody",
		    NULL },
		{ "viz", t, "--frames", png, "--from", "1ms", NULL },
		{ "viz", t, "--bogus", "1", NULL },
		{ "viz", t, "--frames", png, "--from", "2ms", "--to", "1ms",
		    NULL },
	};
	const char *help[] = { "viz", "--help", NULL };
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		CU_ASSERT_EQUAL(run_cmd(cmd_viz, cases[i]), 2);
	CU_ASSERT_EQUAL(run_cmd(cmd_viz, help), 0);
}

static void
test_frames_sequence(void)
{
	const char *dir = tmp_path("frames");
	const char *args[] = { "viz", trace_path(), "--frames", dir, "--from",
		"2ms", "--to", "2.1ms", "--fps", "10", "--speed", "0.0002",
		"--size", "320x200", NULL };
	char p[600];

	CU_ASSERT_EQUAL(run_cmd(cmd_viz, args), 0);
	/* 100 us at 200 us per second, 10 fps: 6 frames, 0..5 */
	snprintf(p, sizeof(p), "%s/frame-00005.png", dir);
	CU_ASSERT(file_size(p) > 500);
	snprintf(p, sizeof(p), "%s/frame-00006.png", dir);
	CU_ASSERT_EQUAL(file_size(p), -1);
}

static void
test_decode_classes(void)
{
	uint8_t b[96];
	struct decode_field f[64];
	size_t n, i;
	int found_seq = 0;

	icmp_frame(b, 8, 1, 2);
	CU_ASSERT_EQUAL(decode_classify(b, 64, 98), DC_ICMP);
	tcp_frame(b, 179, 4000, 59, 0x18);
	CU_ASSERT_EQUAL(decode_classify(b, 74, 73), DC_BGP);
	tcp_frame(b, 4000, 5001, 1486, 0x18);
	CU_ASSERT_EQUAL(decode_classify(b, 74, 1500), DC_TCP_DATA);
	tcp_frame(b, 5001, 4000, 40, 0x10);
	CU_ASSERT_EQUAL(decode_classify(b, 74, 54), DC_TCP_ACK);
	tcp_frame(b, 1, 2, 40, 0x10);
	b[23] = 50;
	CU_ASSERT_EQUAL(decode_classify(b, 74, 54), DC_ESP);
	b[23] = 17;
	b[36] = 3784 >> 8;
	b[37] = 3784 & 255;
	CU_ASSERT_EQUAL(decode_classify(b, 74, 66), DC_BFD);
	b[37] = 0;
	CU_ASSERT_EQUAL(decode_classify(b, 74, 66), DC_UDP);
	/* QinQ tags in front of IPv4 */
	icmp_frame(b, 0, 1, 2);
	memmove(b + 20, b + 12, 64);
	memcpy(b + 12, "\x88\xa8\x00\x64\x81\x00\x00\xc8", 8);
	CU_ASSERT_EQUAL(decode_classify(b, 84, 106), DC_ICMP);
	n = decode_fields(b, 84, 106, f, 64);
	for (i = 0; i < n; i++)
		if (strcmp(f[i].layer, "ICMP") == 0 &&
		    strcmp(f[i].name, "sequence") == 0 &&
		    strcmp(f[i].value, "1") == 0)
			found_seq = 1;
	CU_ASSERT(found_seq);
	for (i = 0; i < n; i++)
		if (strcmp(f[i].name, "S-tag (802.1ad)") == 0)
			break;
	CU_ASSERT(i < n && strncmp(f[i].value, "VID 100 ", 8) == 0);
	for (i = 0; i < n; i++)
		if (strcmp(f[i].name, "C-tag (802.1Q)") == 0)
			break;
	CU_ASSERT(i < n && strncmp(f[i].value, "VID 200 ", 8) == 0);
	/* every truncation of the frame is read safely */
	for (i = 0; i <= 84; i++) {
		decode_classify(b, i, 106);
		decode_fields(b, i, 106, f, 64);
	}
	CU_ASSERT_EQUAL(decode_classify(NULL, 0, 0), DC_OTHER);
}

static void
test_generic_layout_layers(void)
{
	/* h0 - r1 - r2 - h3, and h4 on r1: BFS layers from h0 */
	struct layout_node_in in[5] = {
		{ "h0", "host", "", { TRACE_POS_AUTO, TRACE_POS_AUTO } },
		{ "r1", "router", "", { TRACE_POS_AUTO, TRACE_POS_AUTO } },
		{ "r2", "router", "", { TRACE_POS_AUTO, TRACE_POS_AUTO } },
		{ "h3", "host", "", { TRACE_POS_AUTO, TRACE_POS_AUTO } },
		{ "h4", "host", "", { 900, 100 } },
	};
	struct layout_link_in ln[4] = { { 0, 1 }, { 1, 2 }, { 2, 3 }, { 1, 4 } };
	struct layout l;

	layout_compute(in, 5, ln, 4, &l);
	CU_ASSERT(l.x[0] < l.x[1]);
	CU_ASSERT(l.x[1] < l.x[2]);
	CU_ASSERT(l.x[2] < l.x[3]);
	CU_ASSERT(l.x[4] > 0.899f && l.x[4] < 0.901f);	/* fixed position */
	CU_ASSERT(l.y[4] > 0.099f && l.y[4] < 0.101f);
	CU_ASSERT(l.group[0] == -1);
	layout_free(&l);
}

static void
test_plot_cdf(void)
{
	const char *csv = tmp_path("metrics.csv");
	const char *csv2 = tmp_path("bad.csv");
	const char *png = tmp_path("plot.png");
	const char *files[1] = { csv };
	const char *args[] = { "plot", csv, "--png", png, "--size", "900x500",
		NULL };
	const char *bad[] = { "plot", csv2, "--png", png, NULL };
	FILE *f = fopen(csv, "w");
	SDL_Surface *s;
	char err[256];
	uint32_t want = plot_series_rgb(0);
	int i, x, y, hits = 0;

	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	fprintf(f, "app,metric,t_ns,value\n");
	for (i = 0; i < 50; i++)
		fprintf(f, "ping,rtt_ns,%lld,%d\n", (long long)i * 100000000,
		    1500000 + (i * 7919) % 400000);
	fclose(f);
	CU_ASSERT_EQUAL(plot_png(files, 1, png, 640, 400, err, sizeof(err)),
	    0);
	CU_ASSERT_EQUAL(run_cmd(cmd_plot, args), 0);
	s = IMG_Load(png);
	CU_ASSERT_PTR_NOT_NULL_FATAL(s);
	CU_ASSERT_EQUAL(s->w, 900);
	CU_ASSERT_EQUAL(s->h, 500);
	{
		SDL_Surface *c = SDL_ConvertSurfaceFormat(s,
		    SDL_PIXELFORMAT_ARGB8888, 0);

		CU_ASSERT_PTR_NOT_NULL_FATAL(c);
		for (y = 0; y < c->h; y++)
			for (x = 0; x < c->w; x++) {
				uint32_t v;

				memcpy(&v, (uint8_t *)c->pixels + y * c->pitch +
				    x * 4, 4);
				hits += near_rgb(v & 0xffffff, want, 6);
			}
		SDL_FreeSurface(c);
	}
	SDL_FreeSurface(s);
	CU_ASSERT(hits > 200);	/* the curve (and its legend swatch) */
	f = fopen(csv2, "w");
	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	fprintf(f, "app,metric,t_ns,value\nping,rtt_ns,12,notanumber\n");
	fclose(f);
	CU_ASSERT_EQUAL(run_cmd(cmd_plot, bad), 2);
}


/* --- the six-router example (the old default), run by the real xcsim --- */

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

/* The first transmission on the named link at or after t. */
static int
first_tx(const char *path, const char *link, sim_time after,
    struct trace_rec *out)
{
	char err[256];
	struct trace_reader *rd = trace_reader_open(path, err, sizeof(err));
	struct trace_rec rec;
	uint32_t id = UINT32_MAX;
	int r, found = -1;

	if (rd == NULL)
		return -1;
	while ((r = trace_reader_next(rd, &rec, err, sizeof(err))) == 1) {
		if (rec.type == TR_LINK && strcmp(rec.u.link.name, link) == 0)
			id = rec.u.link.id;
		if (rec.type == TR_PKT_TX && rec.u.tx.link == id &&
		    rec.t >= after) {
			*out = rec;
			out->u.tx.hdr = NULL;
			found = 0;
			break;
		}
	}
	trace_reader_close(rd);
	return found;
}

static void
test_default_scenario_frames(void)
{
	static const char *const order[] = { "azure-vm", "er-gateway",
		"msee-primary", "oracle-edge", "drg", "oci-db" };
	const char *path = default_trace();
	struct viz_opts o = { 1280, 720, NULL, NULL, NULL };
	char err[256];
	struct viz *v;
	struct trace_rec tx = { 0 };
	float box[6][4], x, y;
	sim_time at;
	size_t i;
	uint32_t icmp = style_class_rgb(DC_ICMP);

	CU_ASSERT_PTR_NOT_NULL_FATAL(path);
	v = viz_open(path, &o, err, sizeof(err));
	CU_ASSERT_PTR_NOT_NULL_FATAL(v);
	/* the first ping's echo request half way along gw-msee */
	CU_ASSERT_EQUAL_FATAL(first_tx(path, "gw-msee", SIM_S(1), &tx), 0);
	at = tx.t + (tx.u.tx.arrive - tx.u.tx.tx_end) / 2;
	CU_ASSERT_EQUAL(viz_seek(v, at, err, sizeof(err)), 0);
	viz_render(v);
	for (i = 0; i < 6; i++)
		CU_ASSERT_EQUAL_FATAL(viz_node_box(v, order[i], box[i]), 0);
	for (i = 1; i < 6; i++)
		CU_ASSERT(box[i - 1][0] + box[i - 1][2] < box[i][0]);
	CU_ASSERT(near_rgb(viz_pixel(v, (int)box[0][0] + 5,
	    (int)(box[0][1] + box[0][3] * 0.8f)), 0x0078d4, 12));
	CU_ASSERT(near_rgb(viz_pixel(v, (int)box[5][0] + 5,
	    (int)(box[5][1] + box[5][3] * 0.8f)), 0xc74634, 12));
	CU_ASSERT_EQUAL_FATAL(viz_link_point(v, "gw-msee", tx.u.tx.dir,
	    0.5f - 3.5f / lane_len(v, "gw-msee", tx.u.tx.dir), &x, &y), 0);
	CU_ASSERT(near_rgb(viz_pixel(v, (int)(x + 0.5f), (int)(y + 0.5f)),
	    icmp, 8));
	/* the cross-connect is cut from 3 s to 5 s */
	CU_ASSERT_EQUAL(viz_seek(v, SIM_S(4), err, sizeof(err)), 0);
	viz_render(v);
	CU_ASSERT(count_colour_along(v, "cross-connect", 0, STYLE_DOWN_RGB)
	    >= 5);
	CU_ASSERT_EQUAL(viz_seek(v, SIM_S(6), err, sizeof(err)), 0);
	viz_render(v);
	CU_ASSERT_EQUAL(count_colour_along(v, "cross-connect", 0,
	    STYLE_DOWN_RGB), 0);
	CU_ASSERT_EQUAL(viz_save_png(v, tmp_path("default.png"), err,
	    sizeof(err)), 0);
	viz_close(v);
}

static void
test_default_scenario_seek_equals_play(void)
{
	const char *path = default_trace();
	struct viz_opts o = { 800, 450, "oracle-edge", NULL, NULL };
	char err[256];
	struct viz *play, *jump;
	sim_time t, when = SIM_S(3) + SIM_US(300);
	const void *pa, *pb;
	size_t la, lb;

	CU_ASSERT_PTR_NOT_NULL_FATAL(path);
	play = viz_open(path, &o, err, sizeof(err));
	jump = viz_open(path, &o, err, sizeof(err));
	CU_ASSERT_PTR_NOT_NULL_FATAL(play);
	CU_ASSERT_PTR_NOT_NULL_FATAL(jump);
	for (t = 0; t < when; t += SIM_MS(13))
		CU_ASSERT_EQUAL(viz_play_to(play, t, err, sizeof(err)), 0);
	CU_ASSERT_EQUAL(viz_play_to(play, when, err, sizeof(err)), 0);
	viz_render(play);
	CU_ASSERT_EQUAL(viz_seek(jump, SIM_S(7), err, sizeof(err)), 0);
	CU_ASSERT_EQUAL(viz_seek(jump, when, err, sizeof(err)), 0);
	viz_render(jump);
	pa = viz_pixels(play, &la);
	pb = viz_pixels(jump, &lb);
	CU_ASSERT(la == lb && la > 0 && memcmp(pa, pb, la) == 0);
	viz_close(play);
	viz_close(jump);
}

static void
test_plot_default_metrics(void)
{
	const char *trace = default_trace();
	char csv[600];
	const char *files[2];
	char err[256];

	CU_ASSERT_PTR_NOT_NULL_FATAL(trace);
	snprintf(csv, sizeof(csv), "%s", trace);
	strcpy(strrchr(csv, '/') + 1, "metrics.csv");
	files[0] = files[1] = csv;
	/* the same run twice, overlaid */
	CU_ASSERT_EQUAL(plot_png(files, 2, tmp_path("overlay.png"), 1000, 560,
	    err, sizeof(err)), 0);
}

static const struct test_case cases[] = {
	{ "node tiles are where the layout puts them", test_node_tiles_where_layout_says },
	{ "a down link is drawn in the down colour", test_down_link_has_down_colour },
	{ "a packet is drawn where it is on its link, gone after arrival", test_packet_drawn_on_its_link },
	{ "seeking back and forth gives the frame playing gives", test_seek_equals_play },
	{ "stepping moves record by record, both ways", test_step_visits_records },
	{ "truncated, corrupt or missing traces exit 2", test_bad_traces_exit_2 },
	{ "bad options exit 2, --help 0", test_bad_options_exit_2 },
	{ "--frames writes the expected sequence", test_frames_sequence },
	{ "header decoding classifies and lists fields safely", test_decode_classes },
	{ "generic topologies get BFS layers; positions override", test_generic_layout_layers },
	{ "plot draws a CDF of the right size and colour", test_plot_cdf },
	{ "six-router example: tiles, a ping on its link, the cut", test_default_scenario_frames },
	{ "six-router example: seeking gives the frame playing gives", test_default_scenario_seek_equals_play },
	{ "six-router example: metrics plot, two runs overlaid", test_plot_default_metrics },
	{ NULL, NULL },
};

int
main(int argc, char **argv)
{
	if ((tmpdir = test_tmpdir("/tmp/test_viz.XXXXXX")) == NULL)
		return 2;
	return test_main(argc, argv, "viz", cases);
}

#else

static void
test_no_viz(void)
{
	char *argv[] = { "viz", NULL };

	CU_ASSERT_EQUAL(cmd_viz(1, argv), 2);
}

static const struct test_case cases[] = {
	{ "without SDL2, viz says so and exits 2", test_no_viz },
	{ NULL, NULL },
};

int
main(int argc, char **argv)
{
	return test_main(argc, argv, "viz", cases);
}

#endif
