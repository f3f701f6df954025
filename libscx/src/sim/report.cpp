// SPDX-License-Identifier: MIT
//
// The scxkit.run/1 document of a simulator run (scx-json(5)). It holds no
// wall-clock value: the same seed, policy and workload give the same bytes.
#include "run/run_doc.hpp"
#include "sim/sim.hpp"

#include <cstdlib>

namespace scx::sim {

const char *exit_kind_name(ExitKind k)
{
    switch (k) {
    case ExitKind::done: return "done";
    case ExitKind::stall: return "stall";
    case ExitKind::error: return "error";
    case ExitKind::crash: return "crash";
    case ExitKind::hang: return "hang";
    case ExitKind::limit: return "limit";
    case ExitKind::deadlock: return "deadlock";
    }
    return "unknown";
}

namespace {

json::Value param_value(const std::string &v)
{
    char *end = nullptr;
    const long long n = std::strtoll(v.c_str(), &end, 10);
    if (!v.empty() && *end == '\0' && (v[0] != '0' || v.size() == 1))
        return json::Value::steal(json_integer(n));
    return json::Value::steal(json_string(v.c_str()));
}

json::Value header(const RunInfo &info, const Workload &workload, const Options &options, const ExitInfo &exit)
{
    auto doc = json::object();
    json::set(doc.get(), "schema", json::schema_id("scxkit.run", 1));
    json::set(doc.get(), "type", "final");
    json::set(doc.get(), "mode", "sim");
    json::set(doc.get(), "policy", info.policy);
    json::set(doc.get(), "policy_path", info.policy_path);

    auto w = json::object();
    json::set(w.get(), "name", workload.name());
    auto params = json::object();
    for (const auto &[k, v] : workload.params())
        json::set(params.get(), k.c_str(), param_value(v));
    json::set(w.get(), "params", params);
    json::set(w.get(), "tasks", static_cast<std::uint64_t>(workload.nr_tasks()));
    json::set(w.get(), "throughput_unit", workload.throughput_unit());
    json::set(doc.get(), "workload", w);

    json::set(doc.get(), "seed", info.seed);
    json::set(doc.get(), "cpus", options.machine.cpus);
    auto machine = json::object();
    for (const auto &[k, v] : machine_params(options.machine))
        json::set(machine.get(), k.c_str(), v);
    json::set(doc.get(), "machine", machine);
    json::set(doc.get(), "watchdog_ns", info.watchdog_ns);

    auto e = json::object();
    json::set(e.get(), "kind", exit_kind_name(exit.kind));
    json::set(e.get(), "reason", exit.reason);
    json::set(e.get(), "message", exit.message);
    json::set(doc.get(), "exit", e);
    return doc;
}

} // namespace

json::Value run_document(const RunInfo &info, const Workload &workload, const Options &options, const Outcome &outcome)
{
    auto doc = header(info, workload, options, outcome.exit);
    json::set(doc.get(), "counters", run_doc::counters(outcome.counters));
    auto metrics = json::object();
    for (const Metric &m : outcome.metrics) {
        if (m.integer)
            json::set(metrics.get(), m.name.c_str(), static_cast<std::uint64_t>(m.value));
        else
            json::set(metrics.get(), m.name.c_str(), m.value);
    }
    json::set(doc.get(), "metrics", metrics);
    return doc;
}

json::Value failed_run_document(const RunInfo &info, const Workload &workload, const Options &options,
                                const ExitInfo &exit)
{
    auto doc = header(info, workload, options, exit);
    json::set(doc.get(), "counters", json::object());
    json::set(doc.get(), "metrics", json::object());
    return doc;
}

} // namespace scx::sim
