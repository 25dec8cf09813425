/*
 * chain.cc - a packet-forwarding benchmark in ns-3, the counterpart of
 * bench/chain.c.
 *
 * Six nodes in a line, n0 - n1 - n2 - n3 - n4 - n5, joined by point-to-point
 * links of 10 Gbit/s and 0.5 ms one-way delay; the internet stack on every
 * node with global (static, precomputed) routing; one UDP constant-bit-rate
 * flow from n0 to n5 of 1000-byte payloads at 1 Gbit/s (an always-on
 * OnOffApplication) for 2 s of simulated time, into a PacketSink on n5.
 * Every received packet crossed 5 links, so hops = 5 * packets_received.
 *
 * By default the root queue disc that Ipv4AddressHelper installs on each
 * device (FqCoDel) is removed again, so packets go straight to the device
 * queue as they do in xcsim; --qdisc 1 keeps ns-3's default.
 *
 * usage: chain [--pcap=0|1] [--qdisc=0|1] [--time=SECONDS] [--keepPcap=0|1]
 * (ns-3 CommandLine syntax; "--pcap 1" is not accepted, "--pcap=1" is.)
 * Prints key=value lines; keys match bench/chain.c.
 */
#include "ns3/applications-module.h"
#include "ns3/core-module.h"
#include "ns3/internet-module.h"
#include "ns3/network-module.h"
#include "ns3/point-to-point-module.h"
#include "ns3/traffic-control-module.h"

#include <cinttypes>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <dirent.h>
#include <string>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

using namespace ns3;

namespace
{

const int kNodes = 6;
const int kHops = kNodes - 1;
const uint32_t kPayload = 1000;
const uint16_t kPort = 9;

struct Counts
{
    uint64_t sent = 0;
    uint64_t received = 0;
};

void
OnTx(Counts* c, Ptr<const Packet>)
{
    c->sent++;
}

void
OnRx(Counts* c, Ptr<const Packet>, const Address&)
{
    c->received++;
}

double
Clock(clockid_t id)
{
    struct timespec ts;

    clock_gettime(id, &ts);
    return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

// Sum the sizes of the files in dir and, unless keep, remove them and dir.
uint64_t
SweepDir(const std::string& dir, bool keep)
{
    uint64_t total = 0;
    DIR* d = opendir(dir.c_str());

    if (d == nullptr)
    {
        return 0;
    }
    while (struct dirent* e = readdir(d))
    {
        std::string name = e->d_name;
        if (name == "." || name == "..")
        {
            continue;
        }
        std::string path = dir + "/" + name;
        struct stat st;
        if (stat(path.c_str(), &st) == 0)
        {
            total += static_cast<uint64_t>(st.st_size);
        }
        if (!keep)
        {
            unlink(path.c_str());
        }
    }
    closedir(d);
    if (!keep)
    {
        rmdir(dir.c_str());
    }
    return total;
}

} // namespace

int
main(int argc, char** argv)
{
    bool pcap = false;
    bool qdisc = false;
    bool keepPcap = false;
    double simSeconds = 2.0;

    CommandLine cmd(__FILE__);
    cmd.AddValue("pcap", "write a pcap for every device into a temp dir", pcap);
    cmd.AddValue("qdisc", "keep ns-3's default root queue disc on each device", qdisc);
    cmd.AddValue("time", "simulated seconds of traffic", simSeconds);
    cmd.AddValue("keepPcap", "leave the pcap files behind", keepPcap);
    cmd.Parse(argc, argv);

    NodeContainer nodes;
    nodes.Create(kNodes);

    PointToPointHelper p2p;
    p2p.SetDeviceAttribute("DataRate", StringValue("10Gbps"));
    p2p.SetChannelAttribute("Delay", StringValue("0.5ms"));

    InternetStackHelper stack;
    stack.Install(nodes);

    Ipv4AddressHelper addr;
    TrafficControlHelper tch;
    Ipv4Address sinkAddr;
    NetDeviceContainer all;
    for (int i = 0; i < kHops; i++)
    {
        NetDeviceContainer devs = p2p.Install(nodes.Get(i), nodes.Get(i + 1));
        std::string net = "10.0." + std::to_string(i) + ".0";
        addr.SetBase(Ipv4Address(net.c_str()), "255.255.255.0");
        Ipv4InterfaceContainer ifs = addr.Assign(devs);
        if (!qdisc)
        {
            tch.Uninstall(devs);
        }
        if (i == kHops - 1)
        {
            sinkAddr = ifs.GetAddress(1);
        }
        all.Add(devs);
    }
    Ipv4GlobalRoutingHelper::PopulateRoutingTables();

    PacketSinkHelper sinkHelper("ns3::UdpSocketFactory",
                                InetSocketAddress(Ipv4Address::GetAny(), kPort));
    ApplicationContainer sinkApp = sinkHelper.Install(nodes.Get(kNodes - 1));
    sinkApp.Start(Seconds(0.0));

    OnOffHelper onoff("ns3::UdpSocketFactory", InetSocketAddress(sinkAddr, kPort));
    onoff.SetConstantRate(DataRate("1Gbps"), kPayload);
    ApplicationContainer srcApp = onoff.Install(nodes.Get(0));
    srcApp.Start(Seconds(0.0));
    srcApp.Stop(Seconds(simSeconds));

    Counts counts;
    srcApp.Get(0)->TraceConnectWithoutContext("Tx", MakeBoundCallback(&OnTx, &counts));
    sinkApp.Get(0)->TraceConnectWithoutContext("Rx", MakeBoundCallback(&OnRx, &counts));

    std::string pcapDir;
    if (pcap)
    {
        char tmpl[] = "/tmp/ns3-chain-pcap.XXXXXX";
        if (mkdtemp(tmpl) == nullptr)
        {
            std::perror("chain: mkdtemp");
            return 1;
        }
        pcapDir = tmpl;
        p2p.EnablePcapAll(pcapDir + "/chain");
    }

    // Long enough for the last packet to cross 5 x 0.5 ms of links.
    Simulator::Stop(Seconds(simSeconds + 0.1));
    double w0 = Clock(CLOCK_MONOTONIC);
    double c0 = Clock(CLOCK_PROCESS_CPUTIME_ID);
    Simulator::Run();
    double c1 = Clock(CLOCK_PROCESS_CPUTIME_ID);
    double w1 = Clock(CLOCK_MONOTONIC);

    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    Simulator::Destroy();
    // Closing the pcap writers happens in Destroy; measure the files after.
    uint64_t pcapBytes = pcap ? SweepDir(pcapDir, keepPcap) : 0;

    uint64_t hops = counts.received * kHops;
    double wall = w1 - w0;
    std::printf("bench=chain\n");
    std::printf("sim=ns3\n");
    std::printf("pcap=%d\n", pcap ? 1 : 0);
    std::printf("qdisc=%d\n", qdisc ? 1 : 0);
    std::printf("sim_s=%.3f\n", simSeconds);
    std::printf("packets_sent=%" PRIu64 "\n", counts.sent);
    std::printf("packets_received=%" PRIu64 "\n", counts.received);
    std::printf("hops=%" PRIu64 "\n", hops);
    std::printf("wall_s=%.6f\n", wall);
    std::printf("cpu_s=%.6f\n", c1 - c0);
    std::printf("hops_per_s=%.0f\n", static_cast<double>(hops) / wall);
    std::printf("peak_rss_kb=%ld\n", ru.ru_maxrss);
    if (pcap)
    {
        std::printf("pcap_bytes=%" PRIu64 "\n", pcapBytes);
        if (keepPcap)
        {
            std::printf("pcap_dir=%s\n", pcapDir.c_str());
        }
    }
    return 0;
}
