// SPDX-License-Identifier: MIT
//
// One simulator run in a contained child: the child loads the policy under
// the sandbox, simulates, writes the trace files and fills the shared
// record (exit, counters, metrics, cost); the parent builds the RunReport,
// which holds no wall-clock value (the same seed, policy and workload give
// the same document, byte for byte).
#include "sim/backend.hpp"

#include "base/clock.hpp"
#include "base/fs.hpp"
#include "base/paths.hpp"
#include "contain/record.hpp"
#include "policy/params.hpp"

#include <cstdio>
#include <memory>
#include <unistd.h>

namespace scx::sim {

namespace {

// Record::values of a simulator run.
enum Value { EVENTS, SIMULATED_NS, WALL_NS, CPU_NS };

// What the built-in scheduler and the BPF-only mode are called in reports
// (as the kernel backend calls the latter).
constexpr const char *DEFAULT_NAME = "default";
constexpr const char *BPF_ONLY_NAME = "bpf-fifo";

} // namespace

int host_cpus()
{
    const long n = ::sysconf(_SC_NPROCESSORS_ONLN);
    return static_cast<int>(n < 1 ? 1 : n > MAX_CPUS ? MAX_CPUS : n);
}

SimRunInfo run_info(const Workload &workload, const Options &options)
{
    SimRunInfo info;
    info.workload = workload.name();
    info.params = workload.params();
    info.tasks = workload.nr_tasks();
    info.throughput_unit = workload.throughput_unit();
    info.seed = options.seed;
    info.machine = machine_params(options.machine);
    info.watchdog_ns = options.watchdog_ns;
    return info;
}

RunReport outcome_report(const Outcome &out, const Workload &workload, const Options &options,
                         const std::string &policy, const std::string &policy_path)
{
    RunReport r;
    r.host.backend = BackendKind::sim;
    r.host.cpus = options.machine.cpus;
    r.policy = policy;
    r.policy_path = policy_path;
    r.exit = out.exit;
    r.counters = out.counters;
    r.metrics = out.metrics;
    r.sim = run_info(workload, options);
    r.cost.events = out.events;
    r.cost.simulated_ns = out.end_ns;
    return r;
}



Result<RunReport> SimBackend::run(const RunRequest &req, const StatsSink &)
{
    if (auto ok = check_params_wanted(req); !ok)
        return ok.error();
    // The built-in scheduler is the model of the Linux default (EEVDF), the
    // BPF-only mode the BPF half alone: no policy code, but the same
    // contained child.
    const bool bpf_only = req.scheduler == RunRequest::Scheduler::bpf_only;
    const bool builtin = req.scheduler == RunRequest::Scheduler::builtin || bpf_only;
    const char *builtin_name = bpf_only ? BPF_ONLY_NAME : DEFAULT_NAME;
    const std::string policy_path = builtin ? "" : req.policy_path;
    if (!builtin && policy_path.empty())
        return Error(Exit::usage, "no policy to run");
    if (req.workload.empty())
        return Error(Exit::usage, "the simulator needs a workload");
    auto spec = parse_workload_spec(req.workload);
    if (!spec)
        return std::move(spec).error();
    auto workload = load_workload(*spec, s_.machine);
    if (!workload)
        return std::move(workload).error();

    Options options;
    options.machine = s_.machine;
    options.seed = req.seed ? *req.seed : s_.seed;
    options.watchdog_ns = s_.watchdog_ns;
    options.max_time_ns = s_.max_time_ns;
    options.eevdf = s_.eevdf;
    options.bpf_only = bpf_only;

    // The trace files appear only when the run completes: the child writes
    // temporary names, the parent renames them.
    std::vector<std::unique_ptr<PendingFile>> outputs;
    for (const std::string *path : {&s_.trace_path, &s_.events_path}) {
        if (path->empty()) {
            outputs.push_back(nullptr);
            continue;
        }
        outputs.push_back(std::make_unique<PendingFile>(*path));
        if (auto r = outputs.back()->prepare(); !r)
            return r.error();
    }

    auto rec = contain::SharedRecord::create();
    if (!rec)
        return std::move(rec).error();
    contain::Record &record = **rec;
    std::vector<std::unique_ptr<EventSink>> sinks;
    auto prepare = [&]() -> Result<void> {
        if (outputs[0]) {
            auto s = open_chrome_trace(outputs[0]->path(), options.machine.cpus);
            if (!s)
                return std::move(s).error();
            sinks.push_back(std::move(*s));
        }
        if (outputs[1]) {
            auto s = open_event_log(outputs[1]->path(), options.machine.cpus);
            if (!s)
                return std::move(s).error();
            sinks.push_back(std::move(*s));
        }
        return {};
    };
    auto body = [&](LoadedPolicy *lp) {
        for (auto &s : sinks)
            options.sinks.push_back(s.get());
        options.watch = &record.watch;
        if (!lp)
            record.watch.set_label(builtin_name);
        const std::uint64_t t0 = monotonic_ns(), c0 = thread_cpu_ns();
        auto out = lp ? simulate(*lp, *workload, options) : simulate_default(*workload, options);
        const std::uint64_t t1 = monotonic_ns(), c1 = thread_cpu_ns();
        if (!out) {
            contain::fail(record, out.error());
            return;
        }
        record.values[EVENTS] = out->events;
        record.values[SIMULATED_NS] = out->end_ns;
        record.values[WALL_NS] = t1 - t0;
        record.values[CPU_NS] = c1 - c0;
        contain::set_counters(record, out->counters);
        contain::set_metrics(record, out->metrics);
        contain::finish(record, out->exit);
    };
    auto end = contain::run_contained(policy_path, s_.confinement, record, prepare, body, req.cancel, req.params);
    if (!end)
        return std::move(end).error();

    char near[64];
    std::snprintf(near, sizeof near, " (near %.6f s of simulated time)",
                  static_cast<double>(record.watch.sim_time.load()) / 1e9);
    auto exit = contain::classify(record, *end, builtin ? builtin_name : policy_path, s_.confinement, near);
    if (!exit)
        return std::move(exit).error();

    RunReport r;
    r.host.backend = BackendKind::sim;
    r.host.cpus = options.machine.cpus;
    r.policy = contain::policy_name(record);
    r.policy_path = policy_path;
    r.params = contain::read_params(record);
    r.exit = std::move(*exit);
    r.sim = run_info(*workload, options);
    if (builtin && !bpf_only)
        r.sim->scheduler_params = eevdf_params(options.eevdf);
    // The simulation completed (whatever its verdict) when the child left
    // its counters and returned.
    if (record.has_counters && end->status.code == 0 && !end->status.signal) {
        r.counters = contain::read_counters(record);
        r.metrics = contain::read_metrics(record);
        r.cost.events = record.values[EVENTS];
        r.cost.simulated_ns = record.values[SIMULATED_NS];
        r.cost.wall_s = static_cast<double>(record.values[WALL_NS]) / 1e9;
        r.cost.cpu_s = static_cast<double>(record.values[CPU_NS]) / 1e9;
        r.cost.user_s = end->status.user_s;
        r.cost.system_s = end->status.system_s;
        for (auto &o : outputs)
            if (o)
                if (auto c = o->commit(0644); !c)
                    return c.error();
    }
    return r;
}

} // namespace scx::sim
