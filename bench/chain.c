/*
 * chain.c - packet-forwarding benchmark: six nodes in a line, 10 Gbit/s
 * links with 0.5 ms delay, a UDP constant-bit-rate flow of 1,000-byte
 * payloads at 1 Gbit/s from node 0 to node 5 for 2 s of simulated time.
 *
 *   chain [--pcap 0|1] [--seconds S]
 *
 * Prints key=value lines: packets_sent, packets_received, hops, wall_s,
 * hops_per_s, events, peak_rss_kb. The ns-3 counterpart is bench/ns3/chain.cc.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include "apps.h"
#include "net.h"
#include "pkt.h"
#include "sim.h"

#define N_NODES 6

static double
wall(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

int
main(int argc, char **argv)
{
	int pcap = 0, i;
	double seconds = 2.0, w0, w1;
	struct sim *sim;
	struct net *net;
	struct node *n[N_NODES];
	struct link_params lp;
	struct udp_cbr_cfg c;
	struct app *src, *sink;
	char name[64], dir[] = "/tmp/xcsim-chain-XXXXXX", err[256];
	struct rusage ru;
	uint64_t recv;

	for (i = 1; i + 1 < argc; i += 2) {
		if (strcmp(argv[i], "--pcap") == 0)
			pcap = atoi(argv[i + 1]);
		else if (strcmp(argv[i], "--seconds") == 0)
			seconds = atof(argv[i + 1]);
	}
	sim = sim_new(1);
	net = net_new(sim);
	memset(&lp, 0, sizeof(lp));
	for (i = 0; i < 2; i++) {
		lp.dir[i].rate_bps = 10000000000ULL;
		lp.dir[i].delay = SIM_US(500);
	}
	lp.mtu = 1500;
	lp.qlimit_pkts = 1000;
	for (i = 0; i < N_NODES; i++) {
		snprintf(name, sizeof(name), "n%d", i);
		n[i] = net_add_node(net, name, "router", NULL, NULL);
	}
	for (i = 0; i + 1 < N_NODES; i++) {
		uint32_t a = (10u << 24) | ((uint32_t)i << 8) | 1;
		uint32_t ia = node_add_iface(n[i], "r", NULL, a, 24, 0);
		uint32_t ib = node_add_iface(n[i + 1], "l", NULL, a + 1, 24, 0);

		snprintf(name, sizeof(name), "l%d", i);
		net_add_link(net, name, n[i], ia, n[i + 1], ib, &lp);
		node_add_route(n[i], 0, 10u << 24, 8, a + 1, IFACE_NONE, err,
		    sizeof(err));
	}
	if (pcap) {
		if (mkdtemp(dir) == NULL) {
			perror("mkdtemp");
			return 1;
		}
		for (i = 0; i < N_NODES; i++) {
			size_t j;

			for (j = 0; j < node_n_ifaces(n[i]); j++) {
				char path[512];

				snprintf(path, sizeof(path), "%s/n%d-%zu.pcap",
				    dir, i, j);
				if (net_capture_iface(net, n[i], (uint32_t)j,
				    path, err, sizeof(err)) < 0) {
					fprintf(stderr, "%s\n", err);
					return 1;
				}
			}
		}
	}
	memset(&c, 0, sizeof(c));
	c.dst = (10u << 24) | (4u << 8) | 2;
	c.dport = 9;
	c.size = 1000;
	c.interval = SIM_US(8);		/* 1000 B payload at 1 Gbit/s */
	c.count = (uint32_t)(seconds * 1e9 / 8000.0);
	c.ident = 1;
	src = udp_cbr_new(n[0], "cbr", &c);
	sink = udp_sink_new(n[N_NODES - 1], "sink", 9);
	app_start(sink);
	app_start(src);

	w0 = wall();
	sim_run(sim);
	w1 = wall();
	if (pcap) {
		net_close_captures(net, err, sizeof(err));
		for (i = 0; i < N_NODES; i++) {
			size_t j;

			for (j = 0; j < node_n_ifaces(n[i]); j++) {
				char path[512];

				snprintf(path, sizeof(path), "%s/n%d-%zu.pcap",
				    dir, i, j);
				unlink(path);
			}
		}
		rmdir(dir);
	}
	recv = udp_sink_received(sink);
	getrusage(RUSAGE_SELF, &ru);
	printf("packets_sent=%llu\n", (unsigned long long)udp_cbr_sent(src));
	printf("packets_received=%llu\n", (unsigned long long)recv);
	printf("hops=%llu\n", (unsigned long long)(recv * (N_NODES - 1)));
	printf("events=%llu\n", (unsigned long long)sim_events_run(sim));
	printf("wall_s=%.6f\n", w1 - w0);
	printf("hops_per_s=%.0f\n", (double)(recv * (N_NODES - 1)) / (w1 - w0));
	printf("peak_rss_kb=%ld\n", ru.ru_maxrss);
	app_free(src);
	app_free(sink);
	net_free(net);
	sim_free(sim);
	return recv == c.count ? 0 : 1;
}
