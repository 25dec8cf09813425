/*
 * aqm_dumbbell.cc - drop-tail, RED and CoDel on one bottleneck in ns-3, the
 * counterpart of bench/scenarios/aqm-dumbbell.yaml run by bench/aqm.sh.
 *
 * a -- 1 Gbit/s, 1 ms -- r -- 10 Mbit/s, 10 ms -- b. The load from a to b
 * from t = 0 is --traffic: tcp, one TCP CUBIC bulk flow (8 MiB buffers,
 * 1448-byte segments, SACK, classic recovery: the settings of
 * bench/ns3/tcp_bulk.cc), or udp, 11 Mbit/s of 1000-byte UDP payloads at a
 * constant rate (an overload no feedback relieves: the AQM alone decides
 * the standing queue). A ping (V4Ping) from a to b every 100 ms from
 * t = 1 s, for --time seconds (20).
 *
 * The discipline under test is the root queue disc of r's device toward b,
 * with a limit of 1000 packets: FifoQueueDisc (drop-tail), RedQueueDisc
 * with its defaults (MinTh 5, MaxTh 15, QW 0.002, LInterm 50, Gentle, Wait,
 * MeanPktSize 500, LinkBandwidth 10 Mbit/s) or CoDelQueueDisc with its
 * defaults (Target 5 ms, Interval 100 ms, MinBytes 1500). That device's own
 * queue is one packet, so the backlog stands in the queue disc (ns-3's flow
 * control stops the disc while the device is busy); every other device has
 * no queue disc (uninstalled), as in xcsim.
 *
 * usage: aqm_dumbbell [--qdisc=droptail|red|codel] [--traffic=tcp|udp]
 *                     [--time=SECONDS] [--run=N] [--limit=PACKETS]
 * Prints key=value lines, the same keys as bench/aqm.sh prints for xcsim.
 */
#include "ns3/applications-module.h"
#include "ns3/core-module.h"
#include "ns3/internet-apps-module.h"
#include "ns3/internet-module.h"
#include "ns3/network-module.h"
#include "ns3/point-to-point-module.h"
#include "ns3/traffic-control-module.h"

#include <algorithm>
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

double
Clock(clockid_t id)
{
    struct timespec ts;

    clock_gettime(id, &ts);
    return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

void
OnRtt(std::vector<double>* rtts, Time rtt)
{
    rtts->push_back(rtt.GetSeconds() * 1e3);
}

void
OnDrop(std::vector<uint64_t>* perSecond, Ptr<const QueueDiscItem>)
{
    size_t s = static_cast<size_t>(Simulator::Now().GetSeconds());

    if (s >= perSecond->size())
    {
        perSecond->resize(s + 1, 0);
    }
    (*perSecond)[s]++;
}

void
SetTcp()
{
    Config::SetDefault("ns3::TcpL4Protocol::SocketType", TypeIdValue(TcpCubic::GetTypeId()));
    Config::SetDefault("ns3::TcpL4Protocol::RecoveryType",
                       TypeIdValue(TcpClassicRecovery::GetTypeId()));
    Config::SetDefault("ns3::TcpSocket::SegmentSize", UintegerValue(kSegment));
    Config::SetDefault("ns3::TcpSocket::SndBufSize", UintegerValue(8u << 20));
    Config::SetDefault("ns3::TcpSocket::RcvBufSize", UintegerValue(8u << 20));
    Config::SetDefault("ns3::TcpSocket::InitialCwnd", UintegerValue(10));
    Config::SetDefault("ns3::TcpSocket::DelAckCount", UintegerValue(2));
    Config::SetDefault("ns3::TcpSocketBase::Sack", BooleanValue(true));
    Config::SetDefault("ns3::TcpSocketBase::Timestamp", BooleanValue(true));
    Config::SetDefault("ns3::TcpSocketBase::UseEcn", StringValue("Off"));
}

double
Percentile(std::vector<double> v, double q)
{
    if (v.empty())
    {
        return 0.0;
    }
    std::sort(v.begin(), v.end());
    size_t i = static_cast<size_t>(q * static_cast<double>(v.size() - 1) + 0.5);
    return v[i];
}

} // namespace

int
main(int argc, char** argv)
{
    std::string qdisc = "codel";
    std::string traffic = "tcp";
    double simSeconds = 20.0;
    uint32_t runNo = 1;
    uint32_t limit = 1000;

    CommandLine cmd(__FILE__);
    cmd.AddValue("qdisc", "droptail, red or codel", qdisc);
    cmd.AddValue("traffic", "tcp or udp", traffic);
    cmd.AddValue("time", "simulated seconds", simSeconds);
    cmd.AddValue("run", "RngRun (RED's draws)", runNo);
    cmd.AddValue("limit", "the queue disc's limit in packets", limit);
    cmd.Parse(argc, argv);
    RngSeedManager::SetRun(runNo);
    SetTcp();

    NodeContainer n;
    n.Create(3);
    InternetStackHelper stack;
    stack.Install(n);

    PointToPointHelper access;
    access.SetDeviceAttribute("DataRate", StringValue("1Gbps"));
    access.SetChannelAttribute("Delay", StringValue("1ms"));
    access.SetQueue("ns3::DropTailQueue<Packet>", "MaxSize", QueueSizeValue(QueueSize("1000p")));
    NetDeviceContainer d0 = access.Install(n.Get(0), n.Get(1));

    PointToPointHelper bottle;
    bottle.SetDeviceAttribute("DataRate", StringValue("10Mbps"));
    bottle.SetChannelAttribute("Delay", StringValue("10ms"));
    bottle.SetQueue("ns3::DropTailQueue<Packet>", "MaxSize", QueueSizeValue(QueueSize("1p")));
    NetDeviceContainer d1 = bottle.Install(n.Get(1), n.Get(2));

    Ipv4AddressHelper addr;
    addr.SetBase("10.0.1.0", "255.255.255.0");
    addr.Assign(d0);
    addr.SetBase("10.0.2.0", "255.255.255.0");
    Ipv4InterfaceContainer i1 = addr.Assign(d1);
    Ipv4GlobalRoutingHelper::PopulateRoutingTables();

    TrafficControlHelper none;
    none.Uninstall(d0);
    none.Uninstall(d1);
    QueueSizeValue maxSize(QueueSize(std::to_string(limit) + "p"));
    TrafficControlHelper tch;
    if (qdisc == "droptail")
    {
        tch.SetRootQueueDisc("ns3::FifoQueueDisc", "MaxSize", maxSize);
    }
    else if (qdisc == "red")
    {
        tch.SetRootQueueDisc("ns3::RedQueueDisc",
                             "MaxSize", maxSize,
                             "MinTh", DoubleValue(5),
                             "MaxTh", DoubleValue(15),
                             "QW", DoubleValue(0.002),
                             "LInterm", DoubleValue(50),
                             "Gentle", BooleanValue(true),
                             "Wait", BooleanValue(true),
                             "MeanPktSize", UintegerValue(500),
                             "LinkBandwidth", DataRateValue(DataRate("10Mbps")),
                             "LinkDelay", TimeValue(MilliSeconds(10)));
    }
    else if (qdisc == "codel")
    {
        tch.SetRootQueueDisc("ns3::CoDelQueueDisc",
                             "MaxSize", maxSize,
                             "Target", TimeValue(MilliSeconds(5)),
                             "Interval", TimeValue(MilliSeconds(100)),
                             "MinBytes", UintegerValue(1500));
    }
    else
    {
        std::fprintf(stderr, "aqm_dumbbell: unknown qdisc %s\n", qdisc.c_str());
        return 2;
    }
    QueueDiscContainer qdc = tch.Install(d1.Get(0));

    ApplicationContainer sinkApp;
    if (traffic == "tcp")
    {
        PacketSinkHelper sinkHelper("ns3::TcpSocketFactory",
                                    InetSocketAddress(Ipv4Address::GetAny(), kPort));
        sinkApp = sinkHelper.Install(n.Get(2));
        BulkSendHelper bulk("ns3::TcpSocketFactory", InetSocketAddress(i1.GetAddress(1), kPort));
        bulk.SetAttribute("MaxBytes", UintegerValue(0));
        bulk.SetAttribute("SendSize", UintegerValue(kSegment));
        bulk.Install(n.Get(0)).Start(Seconds(0.0));
    }
    else if (traffic == "udp")
    {
        PacketSinkHelper sinkHelper("ns3::UdpSocketFactory",
                                    InetSocketAddress(Ipv4Address::GetAny(), kPort));
        sinkApp = sinkHelper.Install(n.Get(2));
        OnOffHelper cbr("ns3::UdpSocketFactory", InetSocketAddress(i1.GetAddress(1), kPort));
        cbr.SetConstantRate(DataRate("11Mbps"), 1000);
        cbr.Install(n.Get(0)).Start(Seconds(0.0));
    }
    else
    {
        std::fprintf(stderr, "aqm_dumbbell: unknown traffic %s\n", traffic.c_str());
        return 2;
    }
    sinkApp.Start(Seconds(0.0));

    std::vector<uint64_t> dropsPerSecond;
    qdc.Get(0)->TraceConnectWithoutContext("Drop", MakeBoundCallback(&OnDrop, &dropsPerSecond));

    std::vector<double> rtts;
    V4PingHelper ping(i1.GetAddress(1));
    ping.SetAttribute("Interval", TimeValue(MilliSeconds(100)));
    ping.SetAttribute("Size", UintegerValue(56));
    ApplicationContainer pingApp = ping.Install(n.Get(0));
    pingApp.Start(Seconds(1.0));
    pingApp.Get(0)->TraceConnectWithoutContext("Rtt", MakeBoundCallback(&OnRtt, &rtts));

    Simulator::Stop(Seconds(simSeconds));
    double w0 = Clock(CLOCK_MONOTONIC);
    Simulator::Run();
    double w1 = Clock(CLOCK_MONOTONIC);

    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    uint64_t rx = DynamicCast<PacketSink>(sinkApp.Get(0))->GetTotalRx();
    const QueueDisc::Stats& st = qdc.Get(0)->GetStats();
    uint64_t drops = st.nTotalDroppedPackets;
    std::string why;
    for (const auto& kv : st.nDroppedPacketsBeforeEnqueue)
    {
        why += (why.empty() ? "" : ";") + kv.first + ":" + std::to_string(kv.second);
    }
    for (const auto& kv : st.nDroppedPacketsAfterDequeue)
    {
        why += (why.empty() ? "" : ";") + kv.first + ":" + std::to_string(kv.second);
    }
    std::string perSecond;
    for (size_t i = 0; i < dropsPerSecond.size(); i++)
    {
        perSecond += (i ? "," : "") + std::to_string(dropsPerSecond[i]);
    }
    Simulator::Destroy();

    std::printf("bench=aqm_dumbbell\n");
    std::printf("sim=ns3\n");
    std::printf("qdisc=%s\n", qdisc.c_str());
    std::printf("traffic=%s\n", traffic.c_str());
    std::printf("sim_s=%.3f\n", simSeconds);
    std::printf("bytes_received=%" PRIu64 "\n", rx);
    std::printf("goodput_mbps=%.3f\n", static_cast<double>(rx) * 8.0 / simSeconds / 1e6);
    std::printf("qdisc_drops=%" PRIu64 "\n", drops);
    std::printf("qdisc_drop_reasons=%s\n", why.c_str());
    std::printf("drops_per_second=%s\n", perSecond.c_str());
    std::printf("ping_replies=%zu\n", rtts.size());
    std::printf("rtt_min_ms=%.3f\n", Percentile(rtts, 0.0));
    std::printf("rtt_p50_ms=%.3f\n", Percentile(rtts, 0.5));
    std::printf("rtt_p99_ms=%.3f\n", Percentile(rtts, 0.99));
    std::printf("rtt_max_ms=%.3f\n", Percentile(rtts, 1.0));
    std::printf("wall_s=%.6f\n", w1 - w0);
    std::printf("peak_rss_kb=%ld\n", ru.ru_maxrss);
    return 0;
}
