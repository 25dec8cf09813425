/*
 * tcp_bulk.cc - one TCP bulk transfer in ns-3, the counterpart of
 * bench/tcp_bulk.c.
 *
 * Two nodes joined by one point-to-point link of 1 Gbit/s and 1 ms one-way
 * delay; the device queue is a DropTailQueue of 100 packets. The root queue
 * disc that Ipv4AddressHelper::Assign installs (FqCoDel) is uninstalled
 * again, so packets go from TCP/IP straight to that device queue, as they do
 * in xcsim (no traffic-control layer in between). A BulkSendApplication on
 * n0 sends to a PacketSink on n1 from t = 0 for --time seconds (10);
 * goodput is the bytes the sink received by then over that time.
 *
 * Three setups (--setup): newreno (ns-3's default 128 KiB buffers),
 * newreno-4m and cubic-4m (4 MiB send and receive buffers). Every TCP
 * attribute the comparison depends on is set explicitly, even where it is
 * ns-3 3.37's default (see SetTcpDefaults and bench/README.md); loss
 * recovery is TcpClassicRecovery, not the default PRR, because xcsim's
 * recovery is the classic one of RFC 6582 / RFC 6675.
 *
 * usage: tcp_bulk [--setup=newreno|newreno-4m|cubic-4m] [--time=SECONDS]
 *                 [--csv=PATH]
 * (ns-3 CommandLine syntax.) Prints key=value lines with the same keys as
 * bench/tcp_bulk.c. --csv writes "app,metric,t_ns,value" rows, app
 * "ns3-<setup>": cwnd_bytes at every change of the CongestionWindow trace
 * source and goodput_bps per 100 ms, which `xcsim plot` draws.
 */
#include "ns3/applications-module.h"
#include "ns3/core-module.h"
#include "ns3/internet-module.h"
#include "ns3/network-module.h"
#include "ns3/point-to-point-module.h"
#include "ns3/traffic-control-module.h"

#include <cinttypes>
#include <cstdio>
#include <ctime>
#include <string>
#include <sys/resource.h>
#include <vector>

using namespace ns3;

namespace
{

const uint32_t kSegment = 1448;
const uint16_t kPort = 5001;
const int64_t kBinNs = 100000000; // goodput bins of 100 ms

struct Run
{
    std::string app;
    FILE* csv = nullptr;
    uint64_t cwndChanges = 0;
    uint32_t lastCwnd = 0;
    uint64_t retransSegs = 0;  // data segments sent below the highest sent
    bool sentAny = false;
    SequenceNumber32 highTx;   // end of the highest data sent so far
    std::vector<uint64_t> bins; // bytes received per 100 ms
};

double
Clock(clockid_t id)
{
    struct timespec ts;

    clock_gettime(id, &ts);
    return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

void
OnCwnd(Run* r, uint32_t, uint32_t cwnd)
{
    r->cwndChanges++;
    r->lastCwnd = cwnd;
    if (r->csv != nullptr)
    {
        std::fprintf(r->csv,
                     "%s,cwnd_bytes,%" PRId64 ",%u\n",
                     r->app.c_str(),
                     Simulator::Now().GetNanoSeconds(),
                     cwnd);
    }
}

void
OnRx(Run* r, Ptr<const Packet> p, const Address&)
{
    size_t bin = static_cast<size_t>(Simulator::Now().GetNanoSeconds() / kBinNs);

    if (bin >= r->bins.size())
    {
        r->bins.resize(bin + 1, 0);
    }
    r->bins[bin] += p->GetSize();
}

// A data segment that starts below the highest byte already sent is a
// retransmission (what xcsim's tcp_stats.retrans_segs counts).
void
OnTx(Run* r, Ptr<const Packet> p, const TcpHeader& h, Ptr<const TcpSocketBase>)
{
    uint32_t len = p->GetSize();

    if (len == 0)
    {
        return;
    }
    SequenceNumber32 end = h.GetSequenceNumber() + len;
    if (r->sentAny && h.GetSequenceNumber() < r->highTx)
    {
        r->retransSegs++;
    }
    if (!r->sentAny || end > r->highTx)
    {
        r->highTx = end;
        r->sentAny = true;
    }
}

// The socket exists once the application has started (t = 0).
void
HookCwnd(Run* r, Ptr<BulkSendApplication> app)
{
    app->GetSocket()->TraceConnectWithoutContext("CongestionWindow",
                                                 MakeBoundCallback(&OnCwnd, r));
    app->GetSocket()->TraceConnectWithoutContext("Tx", MakeBoundCallback(&OnTx, r));
}

/*
 * Everything that decides the comparison, set explicitly. Values that are
 * ns-3 3.37's defaults anyway are marked (default).
 */
void
SetTcpDefaults(bool cubic, uint32_t buf)
{
    TypeId cc = cubic ? TcpCubic::GetTypeId() : TcpNewReno::GetTypeId();

    Config::SetDefault("ns3::TcpL4Protocol::SocketType", TypeIdValue(cc));
    Config::SetDefault("ns3::TcpL4Protocol::RecoveryType",
                       TypeIdValue(TcpClassicRecovery::GetTypeId()));
    Config::SetDefault("ns3::TcpSocket::SegmentSize", UintegerValue(kSegment));
    Config::SetDefault("ns3::TcpSocket::SndBufSize", UintegerValue(buf));
    Config::SetDefault("ns3::TcpSocket::RcvBufSize", UintegerValue(buf));
    Config::SetDefault("ns3::TcpSocket::InitialCwnd", UintegerValue(10)); // default
    Config::SetDefault("ns3::TcpSocket::InitialSlowStartThreshold",
                       UintegerValue(UINT32_MAX)); // default
    Config::SetDefault("ns3::TcpSocket::DelAckCount", UintegerValue(2));  // default
    Config::SetDefault("ns3::TcpSocket::DelAckTimeout",
                       TimeValue(MilliSeconds(200))); // default
    Config::SetDefault("ns3::TcpSocket::TcpNoDelay", BooleanValue(true)); // default
    Config::SetDefault("ns3::TcpSocket::ConnTimeout", TimeValue(Seconds(3))); // default
    Config::SetDefault("ns3::TcpSocketBase::MinRto", TimeValue(Seconds(1)));   // default
    Config::SetDefault("ns3::TcpSocketBase::ClockGranularity",
                       TimeValue(MilliSeconds(1))); // default
    Config::SetDefault("ns3::TcpSocketBase::Timestamp", BooleanValue(true));     // default
    Config::SetDefault("ns3::TcpSocketBase::Sack", BooleanValue(true));          // default
    Config::SetDefault("ns3::TcpSocketBase::WindowScaling", BooleanValue(true)); // default
    Config::SetDefault("ns3::TcpSocketBase::LimitedTransmit", BooleanValue(true)); // default
    Config::SetDefault("ns3::TcpSocketBase::ReTxThreshold", UintegerValue(3)); // default
    Config::SetDefault("ns3::TcpSocketBase::UseEcn", StringValue("Off"));      // default
    if (cubic)
    {
        // ns-3 3.37's CUBIC, all defaults. It has no TCP-friendly region
        // (no such attribute before ns-3 3.40), HyStart is Linux's.
        Config::SetDefault("ns3::TcpCubic::FastConvergence", BooleanValue(true));
        Config::SetDefault("ns3::TcpCubic::Beta", DoubleValue(0.7));
        Config::SetDefault("ns3::TcpCubic::C", DoubleValue(0.4));
        Config::SetDefault("ns3::TcpCubic::HyStart", BooleanValue(true));
        Config::SetDefault("ns3::TcpCubic::HyStartLowWindow", UintegerValue(16));
        Config::SetDefault("ns3::TcpCubic::HyStartDetect", IntegerValue(3)); // both
        Config::SetDefault("ns3::TcpCubic::HyStartMinSamples", UintegerValue(8));
        Config::SetDefault("ns3::TcpCubic::HyStartAckDelta", TimeValue(MilliSeconds(2)));
        Config::SetDefault("ns3::TcpCubic::HyStartDelayMin", TimeValue(MilliSeconds(4)));
        Config::SetDefault("ns3::TcpCubic::HyStartDelayMax", TimeValue(Seconds(1)));
        Config::SetDefault("ns3::TcpCubic::CubicDelta", TimeValue(MilliSeconds(10)));
        Config::SetDefault("ns3::TcpCubic::CntClamp", UintegerValue(20));
    }
}

} // namespace

int
main(int argc, char** argv)
{
    std::string setup = "newreno";
    std::string csvPath;
    double simSeconds = 10.0;

    CommandLine cmd(__FILE__);
    cmd.AddValue("setup", "newreno, newreno-4m or cubic-4m", setup);
    cmd.AddValue("time", "simulated seconds of transfer", simSeconds);
    cmd.AddValue("csv", "write cwnd_bytes and goodput_bps rows here", csvPath);
    cmd.Parse(argc, argv);

    bool cubic;
    uint32_t buf;
    if (setup == "newreno")
    {
        cubic = false;
        buf = 131072;
    }
    else if (setup == "newreno-4m")
    {
        cubic = false;
        buf = 4u << 20;
    }
    else if (setup == "cubic-4m")
    {
        cubic = true;
        buf = 4u << 20;
    }
    else
    {
        std::fprintf(stderr, "tcp_bulk: unknown setup %s\n", setup.c_str());
        return 2;
    }
    SetTcpDefaults(cubic, buf);

    NodeContainer nodes;
    nodes.Create(2);

    PointToPointHelper p2p;
    p2p.SetDeviceAttribute("DataRate", StringValue("1Gbps"));
    p2p.SetChannelAttribute("Delay", StringValue("1ms"));
    p2p.SetQueue("ns3::DropTailQueue<Packet>", "MaxSize", QueueSizeValue(QueueSize("100p")));

    InternetStackHelper stack;
    stack.Install(nodes);
    NetDeviceContainer devs = p2p.Install(nodes.Get(0), nodes.Get(1));
    Ipv4AddressHelper addr;
    addr.SetBase("10.1.1.0", "255.255.255.0");
    Ipv4InterfaceContainer ifs = addr.Assign(devs);
    TrafficControlHelper tch;
    tch.Uninstall(devs);

    PacketSinkHelper sinkHelper("ns3::TcpSocketFactory",
                                InetSocketAddress(Ipv4Address::GetAny(), kPort));
    ApplicationContainer sinkApp = sinkHelper.Install(nodes.Get(1));
    sinkApp.Start(Seconds(0.0));

    BulkSendHelper bulk("ns3::TcpSocketFactory", InetSocketAddress(ifs.GetAddress(1), kPort));
    bulk.SetAttribute("MaxBytes", UintegerValue(0));
    bulk.SetAttribute("SendSize", UintegerValue(kSegment));
    ApplicationContainer srcApp = bulk.Install(nodes.Get(0));
    srcApp.Start(Seconds(0.0));
    srcApp.Stop(Seconds(simSeconds));

    Run run;
    run.app = "ns3-" + setup;
    if (!csvPath.empty())
    {
        run.csv = std::fopen(csvPath.c_str(), "w");
        if (run.csv == nullptr)
        {
            std::perror(csvPath.c_str());
            return 1;
        }
        std::fputs("app,metric,t_ns,value\n", run.csv);
    }
    Ptr<BulkSendApplication> sender = DynamicCast<BulkSendApplication>(srcApp.Get(0));
    Simulator::Schedule(NanoSeconds(1), &HookCwnd, &run, sender);
    sinkApp.Get(0)->TraceConnectWithoutContext("Rx", MakeBoundCallback(&OnRx, &run));

    Simulator::Stop(Seconds(simSeconds));
    double w0 = Clock(CLOCK_MONOTONIC);
    double c0 = Clock(CLOCK_PROCESS_CPUTIME_ID);
    Simulator::Run();
    double c1 = Clock(CLOCK_PROCESS_CPUTIME_ID);
    double w1 = Clock(CLOCK_MONOTONIC);

    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    uint64_t rx = DynamicCast<PacketSink>(sinkApp.Get(0))->GetTotalRx();
    Simulator::Destroy();

    if (run.csv != nullptr)
    {
        for (size_t i = 0; i < run.bins.size(); i++)
        {
            std::fprintf(run.csv,
                         "%s,goodput_bps,%" PRId64 ",%.0f\n",
                         run.app.c_str(),
                         static_cast<int64_t>(i) * kBinNs,
                         static_cast<double>(run.bins[i]) * 8.0 * 1e9 / kBinNs);
        }
        std::fclose(run.csv);
    }

    double wall = w1 - w0;
    std::printf("bench=tcp_bulk\n");
    std::printf("sim=ns3\n");
    std::printf("setup=%s\n", setup.c_str());
    std::printf("sim_s=%.3f\n", simSeconds);
    std::printf("bytes_received=%" PRIu64 "\n", rx);
    std::printf("goodput_mbps=%.3f\n", static_cast<double>(rx) * 8.0 / simSeconds / 1e6);
    std::printf("cwnd_changes=%" PRIu64 "\n", run.cwndChanges);
    std::printf("final_cwnd=%u\n", run.lastCwnd);
    std::printf("retrans_segs=%" PRIu64 "\n", run.retransSegs);
    std::printf("wall_s=%.6f\n", wall);
    std::printf("cpu_s=%.6f\n", c1 - c0);
    std::printf("peak_rss_kb=%ld\n", ru.ru_maxrss);
    return 0;
}
