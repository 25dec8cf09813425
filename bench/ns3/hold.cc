/*
 * hold.cc - the classic hold model in ns-3, the counterpart of bench/hold.c.
 *
 * A fixed population of P pending events; every executed event schedules one
 * new event at now + an exponential delay (mean 1 ms) through
 * Simulator::Schedule with a static function and a pointer argument, the
 * cheapest way ns-3 offers to schedule.
 *
 * Delay generators:
 *   inline  splitmix64 -> uniform in (0,1) -> -log(u) * mean: the same code
 *           as bench/hold.c, so both sides pay the same generator cost and
 *           the comparison is one of schedulers (plus event dispatch);
 *   mrg     ns3::ExponentialRandomVariable (MRG32k3a), what an ns-3 model
 *           would normally use; reported separately because it is slower.
 *
 * Schedulers: map (the default, ns3::MapScheduler), heap, calendar, pq
 * (ns3::PriorityQueueScheduler) and list (O(n) insert: keep EVENTS small).
 *
 * usage: hold P EVENTS [map|heap|calendar|pq|list] [inline|mrg]
 * Prints key=value lines, one configuration per process so that peak_rss_kb
 * (ru_maxrss) belongs to it alone.
 */
#include "ns3/core-module.h"

#include <cinttypes>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <sys/resource.h>

using namespace ns3;

namespace
{

const int64_t kMeanNs = 1000000; // 1 ms
const uint64_t kSeed = 42;

struct Hold
{
    bool useMrg;
    uint64_t left; // events still to run before Simulator::Stop
    uint64_t sm;   // splitmix64 state, inline generator
    Ptr<ExponentialRandomVariable> mrg;
};

inline uint64_t
Splitmix64(uint64_t* x)
{
    uint64_t z = (*x += 0x9e3779b97f4a7c15ULL);

    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

// Keep in step with inline_exp() in bench/hold.c.
inline int64_t
HoldDelay(Hold* h)
{
    if (h->useMrg)
    {
        return static_cast<int64_t>(h->mrg->GetValue() + 0.5);
    }
    double u = (static_cast<double>(Splitmix64(&h->sm) >> 11) + 0.5) * 0x1.0p-53;
    return static_cast<int64_t>(-std::log(u) * static_cast<double>(kMeanNs) + 0.5);
}

void
HoldEvent(Hold* h)
{
    // Default time resolution is 1 ns, so one TimeStep is one nanosecond.
    Simulator::Schedule(TimeStep(HoldDelay(h)), &HoldEvent, h);
    if (--h->left == 0)
    {
        Simulator::Stop();
    }
}

double
Clock(clockid_t id)
{
    struct timespec ts;

    clock_gettime(id, &ts);
    return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

const char*
SchedulerTypeId(const char* name)
{
    static const struct
    {
        const char* name;
        const char* tid;
    } table[] = {
        {"map", "ns3::MapScheduler"},
        {"heap", "ns3::HeapScheduler"},
        {"calendar", "ns3::CalendarScheduler"},
        {"pq", "ns3::PriorityQueueScheduler"},
        {"list", "ns3::ListScheduler"},
    };
    for (const auto& e : table)
    {
        if (std::strcmp(name, e.name) == 0)
        {
            return e.tid;
        }
    }
    return nullptr;
}

bool
ParseU64(const char* s, uint64_t* out)
{
    char* end;

    errno = 0;
    unsigned long long v = std::strtoull(s, &end, 10);
    if (errno != 0 || end == s || *end != '\0' || v == 0 || s[0] == '-')
    {
        return false;
    }
    *out = v;
    return true;
}

} // namespace

int
main(int argc, char** argv)
{
    uint64_t p = 0;
    uint64_t events = 0;
    const char* sched = argc > 3 ? argv[3] : "map";
    const char* gen = argc > 4 ? argv[4] : "inline";
    const char* tid = SchedulerTypeId(sched);

    if (argc < 3 || argc > 5 || !ParseU64(argv[1], &p) || !ParseU64(argv[2], &events) ||
        tid == nullptr || (std::strcmp(gen, "inline") != 0 && std::strcmp(gen, "mrg") != 0))
    {
        std::fprintf(stderr, "usage: hold P EVENTS [map|heap|calendar|pq|list] [inline|mrg]\n");
        return 2;
    }

    ObjectFactory factory;
    factory.SetTypeId(tid);
    Simulator::SetScheduler(factory);

    RngSeedManager::SetSeed(static_cast<uint32_t>(kSeed));
    Hold h;
    h.useMrg = std::strcmp(gen, "mrg") == 0;
    h.sm = kSeed;
    h.mrg = CreateObject<ExponentialRandomVariable>();
    h.mrg->SetAttribute("Mean", DoubleValue(static_cast<double>(kMeanNs)));
    h.mrg->SetAttribute("Bound", DoubleValue(0.0));

    for (uint64_t i = 0; i < p; i++)
    {
        Simulator::Schedule(TimeStep(HoldDelay(&h)), &HoldEvent, &h);
    }

    // Untimed warm-up of 2P events, as in bench/hold.c.
    h.left = 2 * p;
    Simulator::Run();

    h.left = events;
    double w0 = Clock(CLOCK_MONOTONIC);
    double c0 = Clock(CLOCK_PROCESS_CPUTIME_ID);
    Simulator::Run();
    double c1 = Clock(CLOCK_PROCESS_CPUTIME_ID);
    double w1 = Clock(CLOCK_MONOTONIC);
    if (h.left != 0)
    {
        std::fprintf(stderr, "hold: run ended with %" PRIu64 " events left\n", h.left);
        return 1;
    }
    double simNow = Simulator::Now().GetSeconds();

    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);

    std::printf("bench=hold\n");
    std::printf("sim=ns3\n");
    std::printf("scheduler=%s\n", sched);
    std::printf("gen=%s\n", gen);
    std::printf("pending=%" PRIu64 "\n", p);
    std::printf("events=%" PRIu64 "\n", events);
    std::printf("wall_s=%.6f\n", w1 - w0);
    std::printf("cpu_s=%.6f\n", c1 - c0);
    std::printf("events_per_s=%.0f\n", static_cast<double>(events) / (w1 - w0));
    std::printf("ns_per_event=%.2f\n", (w1 - w0) * 1e9 / static_cast<double>(events));
    std::printf("peak_rss_kb=%ld\n", ru.ru_maxrss);
    std::printf("sim_time_s=%.6f\n", simNow);
    Simulator::Destroy();
    return 0;
}
