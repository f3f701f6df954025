// SPDX-License-Identifier: MIT
//
// native/spec.hpp - the simulator's built-in workloads named natively:
// "cpu:tasks=3,duration=250ms" read with the simulator's parameter names,
// defaults, ranges and units (scx-run(1), "Workloads"), so that one spec
// means the same work on both sides. Durations take the simulator's units
// (a plain number is nanoseconds, not seconds as in options); counts whose
// default depends on the machine use the CPUs this process may run on.

#ifndef SCX_NATIVE_SPEC_HPP
#define SCX_NATIVE_SPEC_HPP

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include <scx/result.hpp>

namespace scx::native {

// `tasks` CPU hogs for `duration`, nice values in turn.
struct CpuParams {
    std::uint64_t tasks = 0;
    std::uint64_t duration_ns = 0;
    std::vector<int> nice;
};

// schbench-like: `groups` message threads each waking `workers` workers.
struct LatencyParams {
    std::uint64_t groups = 0, workers = 0;
    std::uint64_t work_ns = 0, think_ns = 0, duration_ns = 0;
};

// `tasks` tasks running bursts every period, beside `hogs` CPU hogs.
struct InteractiveParams {
    std::uint64_t tasks = 0, hogs = 0;
    std::uint64_t burst_ns = 0, period_ns = 0, duration_ns = 0;
};

// A make-like DAG of `jobs` processes in `levels` stages.
struct ForkParams {
    std::uint64_t jobs = 0, parallel = 0, levels = 0, chunks = 0;
    std::uint64_t work_ns = 0, io_ns = 0;
};

using Params = std::variant<CpuParams, LatencyParams, InteractiveParams, ForkParams>;

// A workload scx-workload runs: its name, the parameters with every default
// filled in (as the simulator reports them: counts as digits, durations as
// "10ms", nice as given) and their values.
struct Workload {
    std::string name;
    std::vector<std::pair<std::string, std::string>> resolved;
    Params params;
    std::string throughput_unit; // "work-ms/s", "requests/s", "bursts/s", "jobs/s"
    bool timed = false;          // runs for a duration (makespan_s is that duration)
};

// The workloads scx-workload runs ("cpu", "latency", "interactive",
// "fork"); messaging is scx-messaging's.
const std::vector<std::string> &workload_names();

// The name before ':' ("" when empty).
std::string spec_name(std::string_view spec);

// Read "NAME[:KEY=VALUE,...]" for a machine of `cpus` CPUs. Exit::usage,
// worded as options are (base/parse.hpp): "invalid value 'x' for cpu
// parameter tasks (expected an integer from 1 to 100000)", "unknown
// parameter 'taks' for workload cpu (known: tasks, duration, nice)", ...
Result<Workload> parse_workload(std::string_view spec, unsigned cpus);

// The CPUs this process may run on (its affinity), at least 1.
unsigned usable_cpus();

} // namespace scx::native

#endif // SCX_NATIVE_SPEC_HPP
