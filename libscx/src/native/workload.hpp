// SPDX-License-Identifier: MIT
//
// native/workload.hpp - the simulator's built-in workloads as native
// programs, for the kernel: a spec such as "latency:workers=4,duration=2s"
// becomes the command line of the scxkit program that runs it
// (scx-messaging for messaging, scx-workload for cpu, latency, interactive
// and fork), and that program's report becomes metrics named as the
// simulator names them.

#ifndef SCX_NATIVE_WORKLOAD_HPP
#define SCX_NATIVE_WORKLOAD_HPP

#include <string>
#include <vector>

#include <scx/result.hpp>
#include <scx/run.hpp>

namespace scx::native {

// An scxkit program to run ("scx-run", "scx-messaging"): the environment
// variable named after it ($SCX_RUN, $SCX_MESSAGING) when set, else the one
// installed next to the running program, else the bare name (searched in
// PATH).
std::string find_tool(const std::string &name);

// The scxkit program that runs a native workload: "scx-messaging" for
// messaging, "scx-workload" for cpu, latency, interactive and fork.
// Exit::usage for another name.
Result<std::string> native_workload_program(const std::string &spec);

// The command line that runs `spec` natively, its program found by
// find_tool(): "messaging[:groups=N,loops=N,thread=1,pipe=1]" as
// scx-messaging's options (below); "cpu|latency|interactive|fork[:K=V,...]"
// as `scx-workload --json SPEC`, once the spec has been read as
// scx-workload reads it (its parameters, ranges and units are the
// simulator's). Exit::usage for a bad spec, with the reason.
Result<std::vector<std::string>> native_workload_command(const std::string &spec);

// "messaging[:groups=N,loops=N,thread=1,pipe=1]" - the parameters and
// defaults of the simulator's built-in - as the command line of scxkit's
// messaging program at `program` (`scx-messaging --json -g N -l N ...`),
// whose reported time is the metric "messaging_s". Messaging only (the
// workload of scx-bench --workload); Exit::usage for another workload or an
// unknown parameter.
Result<std::vector<std::string>> native_workload_command(const std::string &spec, const std::string &program);
// The first time in an scxkit.messaging/1 document.
Result<double> native_workload_time(const std::string &output);

// The figures in the output of the command native_workload_command(spec)
// ran; `spec` may be the workload's name alone. Named as the simulator
// names them where they mean the same (scx-json(5), scxkit.run/1 metrics):
//  - messaging (scxkit.messaging/1): messaging_s, makespan_s (the same
//    time), throughput (messages/s), work_items (messages);
//  - the others (scxkit.native/1): every member of its "metrics" - makespan_s,
//    throughput, work_items, elapsed_s, wakeups, wakeup_latency_p50_ns ...
//    _p999_ns, _max_ns, _mean_ns, run_delay_mean_ns, run_delay_total_s,
//    fairness_jain (the last three only where the kernel keeps schedstat),
//    task_cpu_s, tasks.
// Exit::data when the output is not such a document, or is another
// workload's.
Result<std::vector<RunMetric>> native_workload_metrics(const std::string &spec, const std::string &output);

} // namespace scx::native

#endif // SCX_NATIVE_WORKLOAD_HPP
