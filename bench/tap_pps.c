/*
 * tap_pps.c - how many frames a second one TAP attachment carries into
 * the simulation, and how late the kernel runs meanwhile.
 *
 * The process moves into a network namespace of its own first (so the
 * TAP, and everything else, vanishes with it). Host a's interface is a TAP
 * (the emulation section); a sender child blasts UDP frames of one size
 * into it through an AF_PACKET socket (sendmmsg, 64 a call), as fast as
 * it can, for SECONDS; they cross a 100 Gbit/s link to b, which drops them
 * (not a router: no ICMP back). Per configuration one key=value line:
 * frames offered by the sender, frames that crossed the link, per second,
 * and the lateness histogram. Configurations: 64- and 1,514-byte frames
 * (64 and 1,518 with the FCS), each plain, with vnet_hdr, and with two
 * queues.
 *
 * usage: tap_pps [SECONDS]   (default 2; root: namespaces, TAPs)
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <inttypes.h>
#include <linux/if_packet.h>
#include <net/ethernet.h>
#include <net/if.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "emu_cleanup.h"
#include "net.h"
#include "realtime.h"
#include "scenario.h"
#include "scenario_models.h"
#include "scenario_run.h"
#include "sim.h"
#include "wire.h"

static const char yaml_fmt[] =
    "name: tap-pps\n"
    "duration: 1h\n"
    "nodes:\n"
    "  - { name: a, role: host, interfaces: [ { name: e, address: 10.0.0.1/24 } ] }\n"
    "  - { name: b, role: host, interfaces: [ { name: e, address: 10.0.0.2/24 } ] }\n"
    "links:\n  - { name: l, a: \"a:e\", b: \"b:e\", rate: 100Gbps, delay: 10us }\n"
    "emulation:\n"
    "  taps:\n"
    "    - { node: a, iface: e, device: xcpps0, vnet_hdr: %s, queues: %u }\n";

static double
wall(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static uint16_t
csum(const uint8_t *b, size_t len)
{
	uint32_t s = 0;
	size_t i;

	for (i = 0; i + 1 < len; i += 2)
		s += (uint32_t)b[i] << 8 | b[i + 1];
	while (s >> 16)
		s = (s & 0xffff) + (s >> 16);
	return (uint16_t)~s;
}

/* The sender: frames of len bytes for secs, then the count on fd. */
static void
sender(size_t len, double secs, int out)
{
	static uint8_t f[1514];
	struct sockaddr_ll sll;
	struct mmsghdr msg[64];
	struct iovec iov;
	uint64_t sent = 0;
	double end;
	int s, i, n;

	memset(f, 0, sizeof(f));
	memset(f, 0xff, 6);
	f[6] = 0x02;
	f[12] = 0x08;
	f[14] = 0x45;
	put_be16(f + 16, (uint16_t)(len - 14));
	f[22] = 64;
	f[23] = 17;
	put_be32(f + 26, 0x0a000001);
	put_be32(f + 30, 0x0a000063);	/* not b's: b drops it quietly */
	put_be16(f + 24, csum(f + 14, 20));
	put_be16(f + 34, 5000);
	put_be16(f + 36, 9000);
	put_be16(f + 38, (uint16_t)(len - 34));
	if ((s = socket(AF_PACKET, SOCK_RAW, htons(ETH_P_ALL))) < 0)
		_exit(1);
	memset(&sll, 0, sizeof(sll));
	sll.sll_family = AF_PACKET;
	sll.sll_ifindex = (int)if_nametoindex("xcpps0");
	sll.sll_protocol = htons(ETH_P_ALL);
	if (bind(s, (struct sockaddr *)&sll, sizeof(sll)) < 0)
		_exit(1);
	iov.iov_base = f;
	iov.iov_len = len;
	memset(msg, 0, sizeof(msg));
	for (i = 0; i < 64; i++) {
		msg[i].msg_hdr.msg_iov = &iov;
		msg[i].msg_hdr.msg_iovlen = 1;
	}
	end = wall() + secs;
	while (wall() < end)
		if ((n = sendmmsg(s, msg, 64, 0)) > 0)
			sent += (uint64_t)n;
	if (write(out, &sent, sizeof(sent)) != (ssize_t)sizeof(sent))
		_exit(1);
	_exit(0);
}

static int
one(double secs, size_t len, bool vnet, unsigned queues)
{
	char text[2048], err[512];
	struct rt_cfg cfg = { .policy = RT_LATE_WARN, .late_bound = SIM_S(1) };
	struct emu_cleanup *cu = emu_cleanup_new();
	struct run_opts o = { .rt_cfg = &cfg, .cleanup = cu };
	struct rt_lateness l;
	struct scenario *sc;
	struct run *r;
	unsigned nerr = 0;
	uint64_t offered = 0, through;
	int pfd[2];
	pid_t kid;

	snprintf(text, sizeof(text), yaml_fmt, vnet ? "true" : "false",
	    queues);
	if ((sc = scenario_load_buffer("tap_pps", text, strlen(text), stderr,
	    &nerr)) == NULL)
		return -1;
	if ((r = run_new(sc, &o, err, sizeof(err))) == NULL) {
		fprintf(stderr, "tap_pps: %s\n", err);
		scenario_free(sc);
		emu_cleanup_free(cu);
		return -1;
	}
	if (pipe(pfd) < 0 || (kid = fork()) < 0)
		return -1;
	if (kid == 0) {
		close(pfd[0]);
		sender(len, secs, pfd[1]);
	}
	close(pfd[1]);
	rt_run(run_rt(r), sim_now(run_sim(r)) + (sim_time)(secs * 1e9), NULL);
	rt_lateness(run_rt(r), &l);
	through = link_get_stats(net_find_link(run_net(r), "l"), 0)->rx_pkts;
	if (read(pfd[0], &offered, sizeof(offered)) != (ssize_t)sizeof(offered))
		offered = 0;
	close(pfd[0]);
	waitpid(kid, NULL, 0);
	printf("frame=%zu vnet_hdr=%d queues=%u offered_pps=%.0f "
	    "through_pps=%.0f p50_us=%.1f p99_us=%.1f p999_us=%.1f "
	    "max_us=%.1f over_1ms=%" PRIu64 "\n", len + 4, vnet, queues,
	    (double)offered / secs, (double)through / secs,
	    (double)l.p50 / 1e3, (double)l.p99 / 1e3, (double)l.p999 / 1e3,
	    (double)l.max / 1e3, l.over_1ms);
	fflush(stdout);
	emu_cleanup_run(cu);
	run_free(r);
	scenario_free(sc);
	emu_cleanup_free(cu);
	return 0;
}

int
main(int argc, char **argv)
{
	double secs = argc > 1 ? atof(argv[1]) : 2;
	static const size_t sizes[] = { 60, 1514 };
	int rc = 0;
	size_t i;

	if (secs <= 0) {
		fprintf(stderr, "usage: tap_pps [SECONDS]\n");
		return 2;
	}
	if (unshare(CLONE_NEWNET) < 0) {
		perror("tap_pps: unshare(CLONE_NEWNET) (run as root)");
		return 2;
	}
	scenario_models_init();
	for (i = 0; i < 2; i++) {
		rc |= one(secs, sizes[i], false, 1);
		rc |= one(secs, sizes[i], true, 1);
		rc |= one(secs, sizes[i], false, 2);
	}
	return rc ? 1 : 0;
}
