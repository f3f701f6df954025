// SPDX-License-Identifier: MIT
#include "metrics.hpp"

#include <bit>
#include <cmath>

namespace scx::sim::detail {

namespace {
constexpr std::size_t SUB = std::size_t{1} << 7;
constexpr std::size_t NR_BUCKETS = SUB + (64 - 7) * SUB;
} // namespace

Histogram::Histogram() : counts_(NR_BUCKETS, 0) {}

std::size_t Histogram::index(std::uint64_t v)
{
    if (v < SUB)
        return static_cast<std::size_t>(v);
    const int e = 63 - std::countl_zero(v); // >= SUB_BITS
    const std::size_t sub = static_cast<std::size_t>(v >> (e - SUB_BITS)) & (SUB - 1);
    return SUB + static_cast<std::size_t>(e - SUB_BITS) * SUB + sub;
}

std::uint64_t Histogram::lower(std::size_t i)
{
    if (i < SUB)
        return i;
    const std::size_t e = (i - SUB) / SUB + SUB_BITS;
    const std::uint64_t sub = (i - SUB) % SUB;
    return (SUB + sub) << (e - SUB_BITS);
}

std::uint64_t Histogram::width(std::size_t i)
{
    if (i < SUB)
        return 1;
    const std::size_t e = (i - SUB) / SUB + SUB_BITS;
    return std::uint64_t{1} << (e - SUB_BITS);
}

void Histogram::add(std::uint64_t v)
{
    counts_[index(v)]++;
    n_++;
    sum_ += v;
    if (v > max_)
        max_ = v;
}

std::uint64_t Histogram::quantile(double q) const
{
    if (n_ == 0)
        return 0;
    auto rank = static_cast<std::uint64_t>(std::ceil(q * static_cast<double>(n_)));
    if (rank < 1)
        rank = 1;
    if (rank > n_)
        rank = n_;
    std::uint64_t seen = 0;
    for (std::size_t i = 0; i < counts_.size(); i++) {
        seen += counts_[i];
        if (seen >= rank) {
            const std::uint64_t mid = lower(i) + width(i) / 2;
            return mid < max_ ? mid : max_;
        }
    }
    return max_;
}

double jain_fairness(const std::vector<TaskStats> &tasks)
{
    double sum = 0, sum_sq = 0;
    std::size_t n = 0;
    for (const TaskStats &t : tasks) {
        const double demand = static_cast<double>(t.cpu_ns) + static_cast<double>(t.wait_ns);
        if (demand <= 0 || t.weight == 0)
            continue;
        const double x = static_cast<double>(t.cpu_ns) / demand * static_cast<double>(WEIGHT_DEFAULT) /
                         static_cast<double>(t.weight);
        sum += x;
        sum_sq += x * x;
        n++;
    }
    if (n == 0 || sum_sq <= 0)
        return 1.0;
    return sum * sum / (static_cast<double>(n) * sum_sq);
}

std::vector<Metric> compute_metrics(const RawStats &s, const Counters &c, const std::vector<TaskStats> &tasks)
{
    std::vector<Metric> m;
    auto num = [&](const char *name, double v) { m.push_back(Metric{name, v, false}); };
    auto cnt = [&](const char *name, std::uint64_t v) { m.push_back(Metric{name, static_cast<double>(v), true}); };
    auto secs = [](std::uint64_t ns) { return static_cast<double>(ns) / 1e9; };

    const std::uint64_t span = s.interval_end > s.interval_start ? s.interval_end - s.interval_start : 0;
    num("makespan_s", secs(span));
    num("throughput", span ? static_cast<double>(s.items) / secs(span) : 0.0);
    cnt("work_items", s.items);
    num("simulated_s", secs(s.end_ns));

    cnt("wakeups", s.wakeup_latency.count());
    cnt("wakeup_latency_p50_ns", s.wakeup_latency.quantile(0.50));
    cnt("wakeup_latency_p90_ns", s.wakeup_latency.quantile(0.90));
    cnt("wakeup_latency_p99_ns", s.wakeup_latency.quantile(0.99));
    cnt("wakeup_latency_p999_ns", s.wakeup_latency.quantile(0.999));
    cnt("wakeup_latency_max_ns", s.wakeup_latency.max());
    num("wakeup_latency_mean_ns", s.wakeup_latency.count()
                                      ? static_cast<double>(s.wakeup_latency.sum()) /
                                            static_cast<double>(s.wakeup_latency.count())
                                      : 0.0);

    cnt("run_delay_p50_ns", s.run_delay.quantile(0.50));
    cnt("run_delay_p90_ns", s.run_delay.quantile(0.90));
    cnt("run_delay_p99_ns", s.run_delay.quantile(0.99));
    cnt("run_delay_p999_ns", s.run_delay.quantile(0.999));
    cnt("run_delay_max_ns", s.run_delay.max());
    num("run_delay_mean_ns", s.run_delay.count() ? static_cast<double>(s.run_delay.sum()) /
                                                       static_cast<double>(s.run_delay.count())
                                                 : 0.0);
    num("run_delay_total_s", secs(s.run_delay.sum()));
    cnt("worst_runnable_wait_ns", s.worst_wait_ns);

    num("fairness_jain", jain_fairness(tasks));
    const double capacity = static_cast<double>(s.end_ns) * s.cpus;
    const double busy = static_cast<double>(s.task_ns + s.scheduler_ns + s.overhead_ns);
    num("utilisation", capacity > 0 ? busy / capacity : 0.0);
    num("task_cpu_s", secs(s.task_ns));
    num("makespan_cpu_s", secs(s.interval_cpu_ns));
    num("scheduler_cpu_s", secs(s.scheduler_ns));
    num("overhead_s", secs(s.overhead_ns));
    num("idle_while_runnable_s", secs(s.idle_while_runnable_ns));

    cnt("context_switches", s.context_switches);
    cnt("migrations", s.migrations);
    cnt("slice_expiries", s.slice_expiries);
    cnt("preemptions", s.preemptions);
    cnt("scheduler_runs", s.scheduler_runs);
    cnt("user_dispatches", c.nr_user_dispatches);
    cnt("kernel_dispatches", c.nr_kernel_dispatches);
    cnt("congestion_events", c.nr_congestion);
    cnt("bounce_dispatches", c.nr_bounce_dispatches);
    cnt("cancel_dispatches", c.nr_cancel_dispatches);
    cnt("failed_dispatches", c.nr_failed_dispatches);
    cnt("tasks", tasks.size());
    cnt("events", s.events);
    return m;
}

} // namespace scx::sim::detail
