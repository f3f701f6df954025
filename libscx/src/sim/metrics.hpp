// SPDX-License-Identifier: MIT
//
// What the engine measures while it runs (RawStats) and how the reported
// metrics are derived from it. Latencies go into log-linear histograms
// (128 sub-buckets per power of two: a percentile is within 0.4 % of the
// exact value) so memory stays constant however many events there are.
#pragma once

#include "sim/sim.hpp"

#include <cstdint>
#include <vector>

namespace scx::sim::detail {

class Histogram {
public:
    Histogram();
    void add(std::uint64_t v);
    std::uint64_t count() const { return n_; }
    std::uint64_t max() const { return max_; }
    std::uint64_t sum() const { return sum_; }
    // The value at quantile q in [0, 1] (midpoint of its bucket; 0 when empty).
    std::uint64_t quantile(double q) const;

private:
    static constexpr int SUB_BITS = 7;
    static std::size_t index(std::uint64_t v);
    static std::uint64_t lower(std::size_t i);
    static std::uint64_t width(std::size_t i);
    std::vector<std::uint64_t> counts_;
    std::uint64_t n_ = 0, sum_ = 0, max_ = 0;
};

struct RawStats {
    int cpus = 1;
    std::uint64_t end_ns = 0;                       // simulated time at the end of the run
    std::uint64_t interval_start = 0, interval_end = 0; // the measured interval (makespan)
    // The tasks' CPU time in that interval, a switch into a task counted as
    // its time (as the kernel's clock counts it).
    std::uint64_t interval_cpu_ns = 0;
    std::uint64_t items = 0;
    Histogram wakeup_latency, run_delay;
    std::uint64_t worst_wait_ns = 0;
    std::uint64_t context_switches = 0, migrations = 0, slice_expiries = 0, preemptions = 0;
    std::uint64_t scheduler_runs = 0;
    std::uint64_t task_ns = 0, scheduler_ns = 0, overhead_ns = 0;
    std::uint64_t idle_while_runnable_ns = 0; // CPU-ns: idle CPUs x waiting tasks, integrated
    std::uint64_t events = 0;
};

// The flat metric list of the run document, in a fixed order.
std::vector<Metric> compute_metrics(const RawStats &s, const Counters &c, const std::vector<TaskStats> &tasks);

// Jain's fairness index over the tasks' weight-normalised CPU share while
// they wanted a CPU: x = cpu / (cpu + wait) * 100 / weight. 1 = perfectly fair.
double jain_fairness(const std::vector<TaskStats> &tasks);

} // namespace scx::sim::detail
