// SPDX-License-Identifier: MIT
//
// native/workloads.hpp - the bodies of the native workloads (run.hpp says
// what they are and what is measured). Each fills the Stage's records:
// roles (in the order run.cpp names them), nice values, then starts,
// releases and reaps the tasks.

#ifndef SCX_NATIVE_WORKLOADS_HPP
#define SCX_NATIVE_WORKLOADS_HPP

#include <cstdint>

#include "native/spec.hpp"
#include "native/task.hpp"

namespace scx::native::detail {

struct Timing {
    std::uint64_t start_ns = 0;
    std::uint64_t end_ns = 0; // an untimed workload's end (fork: the last job reaped); 0 for a timed one
};

// Roles: cpu {hog}; interactive {interactive, hog}; latency {message,
// worker}; fork {job, make}. Tasks: cpu and interactive one per process;
// latency `workers` + 1 per group, the message thread first; fork make
// (task 0, this process) then the jobs.
Result<Timing> run_cpu(Stage &st, const CpuParams &p, const Spinner &sp, std::uint64_t seed);
Result<Timing> run_interactive(Stage &st, const InteractiveParams &p, const Spinner &sp, std::uint64_t seed);
Result<Timing> run_latency(Stage &st, const LatencyParams &p, const Spinner &sp, std::uint64_t seed);
Result<Timing> run_fork(Stage &st, const ForkParams &p, const Spinner &sp, std::uint64_t seed);

} // namespace scx::native::detail

#endif // SCX_NATIVE_WORKLOADS_HPP
