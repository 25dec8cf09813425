/*
 * rt_ping.cc - bench/rt_ping.c's ping through ns-3 (3.37 here): its realtime
 * scheduler (RealtimeSimulatorImpl, best effort) and a TapBridge in
 * ConfigureLocal mode on a CSMA channel of RATE and DELAY to a simulated
 * host 10.0.0.2, which answers pings (ns-3's ICMPv4). The process moves
 * into a network namespace of its own first; the TAP is 10.0.0.1/24 there
 * (the ghost node's address, as ConfigureLocal makes it) and the system's
 * ping runs from a thread while Simulator::Run drives ns-3. It prints the
 * same key=value line as bench/rt_ping (impl=ns3).
 *
 * The TapBridge opens its TAP through a helper program, the tap-creator,
 * which Debian ships in the package ns3 (not libns3-dev) as
 * /usr/libexec/ns3/ns3.37-tap-creator; but libns3-tap-bridge.so.37 execs
 * it at the path of Debian's build tree
 * (/build/ns3-QJPJQL/ns3-3.37/ns-3.37/build/src/tap-bridge/
 * ns3.37-tap-creator, compiled in), which exists nowhere. execlp is
 * interposed below so that the library runs the installed one ($NS3_TAP_
 * CREATOR, default /usr/libexec/ns3/ns3.VERSION-tap-creator, VERSION the
 * ns-3 it is compiled against: RT_PING_NS3_VERSION, from CMake's
 * pkg-config look-up); nothing is written outside the process.
 * bench/README.md has the details.
 *
 * usage: rt_ping [COUNT [INTERVAL_MS [DELAY_US [RATE]]]]
 *        (default 200 10 1000 1Gbps; root)
 */
#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdarg>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <thread>
#include <vector>

#include <sched.h>
#include <unistd.h>

#include "ns3/core-module.h"
#include "ns3/csma-module.h"
#include "ns3/internet-module.h"
#include "ns3/network-module.h"
#include "ns3/tap-bridge-module.h"

using namespace ns3;

#ifndef RT_PING_NS3_VERSION
#error "RT_PING_NS3_VERSION (e.g. \"3.37\") is set by CMake from ns-3's pkg-config"
#endif
#define RT_PING_CREATOR "/usr/libexec/ns3/ns" RT_PING_NS3_VERSION "-tap-creator"

/*
 * The tap-creator to run: fixed in main before the simulation starts, so
 * that the child the library forks reads a pointer, not the environment.
 */
static const char *tap_creator = RT_PING_CREATOR;

/*
 * The library's execlp: the tap-creator's compiled-in path replaced by the
 * installed one, every other call passed on unchanged. It runs in the
 * child of a fork in a threaded process, where only async-signal-safe
 * work is sound: the argument vector is on the stack, of a fixed size (no
 * allocation; the tap-creator takes six arguments), and more arguments
 * than it holds fail with E2BIG rather than allocate.
 */
#define RT_PING_MAX_ARGS 64
#ifndef RT_PING_NO_INTERPOSE	/* -DRT_PING_NO_INTERPOSE: see it fail */
extern "C" int
execlp(const char *file, const char *arg, ...)
{
	char *av[RT_PING_MAX_ARGS + 1];
	size_t n = 0;
	va_list ap;
	char *a;

	av[n++] = const_cast<char *>(arg);
	va_start(ap, arg);
	while ((a = va_arg(ap, char *)) != nullptr) {
		if (n == RT_PING_MAX_ARGS) {
			va_end(ap);
			errno = E2BIG;
			return -1;
		}
		av[n++] = a;
	}
	va_end(ap);
	av[n] = nullptr;
	if (strstr(file, "tap-creator") != nullptr) {
		av[0] = const_cast<char *>(tap_creator);
		return execv(tap_creator, av);
	}
	return execvp(file, av);
}
#endif

static std::string ping_out;

static void
run_ping(int count, int interval_ms)
{
	char cmd[200];
	char buf[4096];
	size_t n;
	FILE *p;

	/* the TAP comes up when the simulation starts */
	usleep(500000);
	snprintf(cmd, sizeof(cmd), "ping -n -c %d -i %d.%03d -W 1 10.0.0.2 "
	    "2>&1", count, interval_ms / 1000, interval_ms % 1000);
	if ((p = popen(cmd, "r")) == nullptr)
		return;
	while ((n = fread(buf, 1, sizeof(buf), p)) > 0)
		ping_out.append(buf, n);
	pclose(p);
}

int
main(int argc, char **argv)
{
	int count = argc > 1 ? atoi(argv[1]) : 200;
	int interval_ms = argc > 2 ? atoi(argv[2]) : 10;
	int delay_us = argc > 3 ? atoi(argv[3]) : 1000;
	std::string rate = argc > 4 ? argv[4] : "1Gbps";
	const char *creator = getenv("NS3_TAP_CREATOR");

	if (count <= 0 || interval_ms < 2 || delay_us < 0) {
		fprintf(stderr, "usage: rt_ping [COUNT [INTERVAL_MS (>= 2) "
		    "[DELAY_US [RATE]]]]\n");
		return 2;
	}
	if (creator == nullptr)
		creator = RT_PING_CREATOR;
	tap_creator = creator;
	if (access(creator, X_OK) != 0) {
		fprintf(stderr, "rt_ping (ns-3): no tap-creator at %s: "
		    "apt-get install ns3 (or set NS3_TAP_CREATOR)\n", creator);
		return 3;
	}
	if (unshare(CLONE_NEWNET) < 0) {
		fprintf(stderr, "rt_ping (ns-3): unshare(CLONE_NEWNET): %s "
		    "(run as root)\n", strerror(errno));
		return 2;
	}
	if (system("ip link set lo up") != 0)
		return 2;

	GlobalValue::Bind("SimulatorImplementationType",
	    StringValue("ns3::RealtimeSimulatorImpl"));
	GlobalValue::Bind("ChecksumEnabled", BooleanValue(true));

	NodeContainer nodes;
	nodes.Create(2);
	CsmaHelper csma;
	csma.SetChannelAttribute("DataRate", StringValue(rate));
	csma.SetChannelAttribute("Delay", TimeValue(MicroSeconds(delay_us)));
	NetDeviceContainer devs = csma.Install(nodes);
	InternetStackHelper stack;
	stack.Install(nodes);
	Ipv4AddressHelper addr;
	addr.SetBase("10.0.0.0", "255.255.255.0");
	addr.Assign(devs);

	TapBridgeHelper tap;
	tap.SetAttribute("Mode", StringValue("ConfigureLocal"));
	tap.SetAttribute("DeviceName", StringValue("xcnsping0"));
	tap.Install(nodes.Get(0), devs.Get(0));

	double secs = count * interval_ms / 1e3 + 2.5;
	Simulator::Stop(Seconds(secs));
	std::thread t(run_ping, count, interval_ms);
	Simulator::Run();
	t.join();
	Simulator::Destroy();

	std::vector<double> v;
	for (size_t p = 0; (p = ping_out.find("time=", p)) != std::string::npos;
	    p += 5)
		v.push_back(atof(ping_out.c_str() + p + 5));
	/* the first echo apart: it pays for the ARP resolutions */
	double first = v.empty() ? 0 : v[0];
	size_t recv = v.size();
	if (v.size() > 1)
		v.erase(v.begin());
	size_t n = v.size();
	double sum = 0, sd = 0, jit = 0;
	for (size_t i = 0; i < n; i++) {
		sum += v[i];
		if (i > 0)
			jit += fabs(v[i] - v[i - 1]);
	}
	if (n > 0) {
		for (size_t i = 0; i < n; i++)
			sd += (v[i] - sum / n) * (v[i] - sum / n);
		sd = sqrt(sd / n);
		jit = n > 1 ? jit / (n - 1) : 0;
	}
	std::sort(v.begin(), v.end());
	printf("impl=ns3 count=%d received=%zu path_rtt_ms=%.3f "
	    "first_ms=%.3f rtt_min_ms=%.3f rtt_p50_ms=%.3f rtt_mean_ms=%.3f rtt_p99_ms=%.3f "
	    "rtt_max_ms=%.3f rtt_sd_us=%.1f jitter_us=%.1f\n", count,
	    recv, 2 * delay_us / 1e3, first, n ? v[0] : 0, n ? v[n / 2] : 0,
	    n ? sum / n : 0, n ? v[(size_t)((n - 1) * 0.99)] : 0,
	    n ? v[n - 1] : 0, sd * 1e3, jit * 1e3);
	if (n == 0)
		fputs(ping_out.c_str(), stderr);
	return n > 0 ? 0 : 1;
}
