// SPDX-License-Identifier: MIT
// Native workload specs: the simulator's parameters (sim/workload_builtin.cpp),
// read the same way.
#include "native/spec.hpp"

#include "base/parse.hpp"
#include "sim/params.hpp"

#include <sched.h>

namespace scx::native {

namespace {

constexpr std::uint64_t MS = 1'000'000;
constexpr std::uint64_t SEC = 1'000'000'000;

// The simulator's reader of a workload's parameters: the same defaults,
// ranges and messages.
using Reader = sim::detail::Params;

#define TRY(var, expr)                                                                                                 \
    auto var##_r = (expr);                                                                                             \
    if (!var##_r)                                                                                                      \
        return std::move(var##_r).error();                                                                             \
    const auto var = *var##_r

// The ranges and defaults are the simulator's (sim/workload_builtin.cpp).
Result<Params> read_cpu(Reader &r, std::uint64_t cpus)
{
    TRY(tasks, r.count("tasks", 2 * cpus, 1, 100000));
    TRY(duration, r.duration("duration", SEC));
    TRY(nice, r.ints("nice", "0", -20, 19));
    return Params{CpuParams{tasks, duration, nice}};
}

Result<Params> read_latency(Reader &r, std::uint64_t cpus)
{
    TRY(groups, r.count("groups", 2, 1, 10000));
    TRY(workers, r.count("workers", cpus, 1, 10000));
    TRY(work, r.duration("work", 2 * MS));
    TRY(think, r.duration("think", 5 * MS));
    TRY(duration, r.duration("duration", SEC));
    return Params{LatencyParams{groups, workers, work, think, duration}};
}

Result<Params> read_interactive(Reader &r, std::uint64_t cpus)
{
    TRY(tasks, r.count("tasks", 4, 1, 100000));
    TRY(hogs, r.count("hogs", cpus, 0, 100000));
    TRY(burst, r.duration("burst", 1 * MS));
    TRY(period, r.duration("period", 10 * MS));
    TRY(duration, r.duration("duration", SEC));
    return Params{InteractiveParams{tasks, hogs, burst, period, duration}};
}

Result<Params> read_fork(Reader &r, std::uint64_t cpus)
{
    TRY(jobs, r.count("jobs", 64, 1, 100000));
    TRY(parallel, r.count("parallel", cpus, 1, 100000));
    TRY(levels, r.count("levels", 4, 1, 1000));
    TRY(work, r.duration("work", 20 * MS));
    TRY(io, r.duration("io", 1 * MS));
    TRY(chunks, r.count("chunks", 4, 1, 1000));
    if (levels > jobs)
        return Error(Exit::usage, "fork: levels must not exceed jobs");
    ForkParams p;
    p.jobs = jobs;
    p.parallel = parallel;
    p.levels = levels;
    p.chunks = chunks;
    p.work_ns = work;
    p.io_ns = io;
    return Params{p};
}

#undef TRY

struct Kind {
    const char *name;
    const char *unit;
    bool timed;
    Result<Params> (*read)(Reader &, std::uint64_t);
};

const Kind KINDS[] = {
    {"cpu", "work-ms/s", true, read_cpu},
    {"latency", "requests/s", true, read_latency},
    {"interactive", "bursts/s", true, read_interactive},
    {"fork", "jobs/s", false, read_fork},
};

} // namespace

const std::vector<std::string> &workload_names()
{
    static const std::vector<std::string> names = [] {
        std::vector<std::string> v;
        for (const Kind &k : KINDS)
            v.emplace_back(k.name);
        return v;
    }();
    return names;
}

std::string spec_name(std::string_view spec) { return std::string(spec.substr(0, spec.find(':'))); }

Result<Workload> parse_workload(std::string_view spec, unsigned cpus)
{
    const std::string name = spec_name(spec);
    const Kind *kind = nullptr;
    for (const Kind &k : KINDS)
        if (name == k.name)
            kind = &k;
    if (!kind) {
        if (name == "messaging")
            return Error(Exit::usage, "the messaging workload is scx-messaging's (see scx-messaging(1))");
        std::string list;
        for (const std::string &n : workload_names())
            list += (list.empty() ? "" : ", ") + n;
        return Error(Exit::usage, (name.empty() ? std::string("no workload named") : "unknown workload '" + name + "'") +
                                      " (native workloads: " + list + "; messaging is scx-messaging's)");
    }
    std::vector<std::pair<std::string, std::string>> given;
    if (const auto colon = spec.find(':'); colon != std::string_view::npos)
        for (const std::string_view item : split(spec.substr(colon + 1), ',')) {
            const auto eq = item.find('=');
            if (eq == std::string_view::npos || eq == 0)
                return Error(Exit::usage, "workload parameter '" + std::string(item) + "' is not key=value (e.g. " +
                                              name + ":duration=500ms)");
            given.emplace_back(item.substr(0, eq), item.substr(eq + 1));
        }
    Reader r(name, std::move(given));
    auto params = kind->read(r, cpus ? cpus : 1);
    if (!params)
        return std::move(params).error();
    if (auto ok = r.finish(); !ok)
        return std::move(ok).error();
    Workload w;
    w.name = name;
    w.resolved = std::move(r.resolved);
    w.params = std::move(*params);
    w.throughput_unit = kind->unit;
    w.timed = kind->timed;
    return w;
}

unsigned usable_cpus()
{
    cpu_set_t set;
    CPU_ZERO(&set);
    if (::sched_getaffinity(0, sizeof set, &set) != 0)
        return 1;
    const int n = CPU_COUNT(&set);
    return n > 0 ? static_cast<unsigned>(n) : 1;
}


} // namespace scx::native
