/*
 * viz_frame.c - headless frame time of the trace viewer.
 *
 *   viz_frame [TRACE [TIME]]
 *
 * Without arguments it writes a synthetic trace of a 20-node cross-cloud
 * topology with about 10,000 packets on the wire at every instant of the
 * measured stretch, then renders 1280x720 frames while playing forward 10 us
 * of simulated time per frame (so each frame also applies the records in
 * between, as the window does). With TRACE it does the same on that trace
 * from TIME (default: the middle of the trace). Prints key=value lines:
 * the mean and 95th percentile of the milliseconds per frame.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#if __has_include("viz.h")
#include "sim.h"
#include "trace.h"
#include "viz.h"

#define FRAMES 120
#define WARMUP 10
#define STEP SIM_US(10)

enum { NN = 20 };

static const struct {
	const char *name, *role, *region;
} bn[NN] = {
	{ "vm-1", "azure-vm", "eastus" }, { "vm-2", "azure-vm", "eastus" },
	{ "vm-3", "azure-vm", "eastus" }, { "vm-4", "azure-vm", "eastus" },
	{ "er-gw-1", "azure-er-gateway", "eastus" },
	{ "er-gw-2", "azure-er-gateway", "eastus" },
	{ "vpn-gw", "azure-vpn-gateway", "eastus" },
	{ "msee-1", "msee", "ashburn" }, { "msee-2", "msee", "ashburn" },
	{ "pe-1", "provider-edge", "ashburn" },
	{ "core", "provider-core", "ashburn" },
	{ "pe-2", "provider-edge", "ashburn" },
	{ "edge-1", "oci-edge", "ashburn" }, { "edge-2", "oci-edge", "ashburn" },
	{ "drg-1", "oci-drg", "us-ashburn-1" },
	{ "drg-2", "oci-drg", "us-ashburn-1" },
	{ "db-1", "oci-instance", "us-ashburn-1" },
	{ "db-2", "oci-instance", "us-ashburn-1" },
	{ "app-1", "oci-instance", "us-ashburn-1" },
	{ "internet", "internet", "" },
};

static const uint32_t bl[][2] = {
	{ 0, 4 }, { 1, 4 }, { 2, 5 }, { 3, 5 }, { 3, 6 }, { 4, 7 }, { 5, 8 },
	{ 4, 8 }, { 7, 12 }, { 8, 13 }, { 7, 9 }, { 9, 10 }, { 10, 11 },
	{ 11, 13 }, { 12, 14 }, { 13, 15 }, { 12, 15 }, { 14, 16 }, { 14, 17 },
	{ 15, 18 }, { 6, 19 }, { 19, 15 },
};
#define NL (sizeof(bl) / sizeof(bl[0]))

/* ~10,000 packets in flight: 1 ms links, 220 frames per lane per ms. */
static void
write_synthetic(const char *path, sim_time t0, sim_time t1)
{
	int32_t pos[2] = { TRACE_POS_AUTO, TRACE_POS_AUTO };
	uint8_t hdr[64] = { 0 };
	char err[256];
	struct trace *tr = trace_open(path, SIM_US(500), err, sizeof(err));
	sim_time delay = SIM_MS(1), gap = delay / 220, t;
	uint64_t uid = 1;
	size_t i;
	int dir;

	SIM_ASSERT(tr != NULL, "trace_open: %s", err);
	for (i = 0; i < NN; i++)
		trace_node(tr, (uint32_t)i, bn[i].name, bn[i].role,
		    bn[i].region, pos);
	for (i = 0; i < NL; i++) {
		uint32_t ifx[2] = { 0, 0 };
		uint64_t rate[2] = { 10000000000ULL, 10000000000ULL };
		sim_time d[2] = { delay, delay };
		char name[32];

		snprintf(name, sizeof(name), "l%zu", i);
		trace_link(tr, (uint32_t)i, name, bl[i], ifx, rate, d, 1500,
		    1000, 1500000);
	}
	/* Ethernet + IPv4 + TCP, alternating data and ACKs, some ICMP */
	hdr[12] = 0x08;
	hdr[14] = 0x45;
	hdr[23] = 6;
	hdr[46] = 0x50;
	for (t = t0; t < t1; t += gap) {
		for (i = 0; i < NL; i++) {
			for (dir = 0; dir < 2; dir++) {
				uint32_t len = (uid % 3) ? 1500 : 64;
				sim_time txe = t + units_tx_time(len,
				    10000000000ULL);

				hdr[17] = (uint8_t)(len - 14);
				hdr[16] = (uint8_t)((len - 14) >> 8);
				hdr[23] = (uid % 7 == 0) ? 1 : 6;
				trace_enqueue(tr, t, uid, (uint32_t)i,
				    (uint8_t)dir, len, 1, len);
				trace_tx(tr, t, uid, (uint32_t)i, (uint8_t)dir,
				    len, txe, txe + delay, hdr, sizeof(hdr));
				uid++;
			}
		}
	}
	SIM_ASSERT(trace_close(tr, err, sizeof(err)) == 0, "close: %s", err);
}

static double
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static int
bench(const char *label, const char *path, sim_time at)
{
	struct viz_opts o = { 1280, 720, NULL, NULL, NULL };
	char err[512];
	struct viz *v = viz_open(path, &o, err, sizeof(err));
	double ms[FRAMES], sum = 0;
	int i;

	if (v == NULL) {
		fprintf(stderr, "viz_frame: %s\n", err);
		return 2;
	}
	if (at < 0)
		at = viz_end_time(v) / 2;
	if (viz_seek(v, at, err, sizeof(err)) < 0) {
		fprintf(stderr, "viz_frame: %s\n", err);
		viz_close(v);
		return 2;
	}
	for (i = 0; i < WARMUP; i++)
		viz_render(v);
	for (i = 0; i < FRAMES; i++) {
		double t = now_ms();

		viz_play_to(v, at + (sim_time)(i + 1) * STEP, err, sizeof(err));
		viz_render(v);
		ms[i] = now_ms() - t;
		sum += ms[i];
	}
	qsort(ms, FRAMES, sizeof(ms[0]), cmp_double);
	printf("trace=%s\nframe_size=1280x720\nframes=%d\n", label, FRAMES);
	printf("ms_per_frame_mean=%.2f\nms_per_frame_p95=%.2f\n",
	    sum / FRAMES, ms[FRAMES * 95 / 100]);
	viz_close(v);
	return 0;
}

int
main(int argc, char **argv)
{
	char path[] = "/tmp/viz_frame.XXXXXX";
	char tpath[64];
	sim_time at = -1;
	int fd, r;

	if (argc > 1) {
		if (argc > 2 && units_parse_time(argv[2], 0, &at, NULL, 0) < 0) {
			fprintf(stderr, "viz_frame: bad time %s\n", argv[2]);
			return 2;
		}
		return bench(argv[1], argv[1], at);
	}
	fd = mkstemp(path);
	if (fd < 0)
		return 2;
	close(fd);
	unlink(path);
	snprintf(tpath, sizeof(tpath), "%s.xct", path);
	write_synthetic(tpath, 0, SIM_MS(4));
	r = bench("synthetic-20-nodes-10k-in-flight", tpath, SIM_MS(2));
	if (getenv("VIZ_FRAME_KEEP") == NULL)
		unlink(tpath);
	else
		fprintf(stderr, "kept %s\n", tpath);
	return r;
}

#else

int
main(void)
{
	fprintf(stderr, "viz_frame: built without SDL2\n");
	return 2;
}

#endif
