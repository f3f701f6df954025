// SPDX-License-Identifier: MIT
//
// latency - short waits for tasks that run in short bursts (interactive
// programs, request handlers), at the expense of CPU hogs.
//
// The policy learns how long each task usually runs before it sleeps (its
// "burst", averaged over its recent wake-ups) and schedules by deadline:
//
//     deadline = time it became ready + penalty(burst)
//
// where the penalty grows with the burst (a 50 us burst waits behind almost
// nobody, a CPU hog is pushed 40 ms back) and is capped, so every task's
// deadline is at most penalty_max_ns after it became ready: nobody starves,
// hogs only wait longer. On top of that:
//
//  - a waking task takes an idle CPU if there is one;
//  - if none is idle and the task is very interactive, it preempts whatever
//    runs on its previous CPU (DISPATCH_PREEMPT): that task goes back to the
//    queue with its own deadline;
//  - hogs get short slices, so a CPU frees up often for the others.
//
// Build it and run it:
//     scx-build policies/latency.cpp -o latency.so
//     scx-run --sim interactive latency.so
//     scx-run --sim latency latency.so

#include <scx/policy.hpp>

#include <algorithm>
#include <cstdint>
#include <unordered_map>

namespace {

// Forget tasks not seen for this long.
constexpr std::uint64_t FORGET_NS = 30 * scx::NSEC_PER_SEC;

class Latency : public scx::Policy {
public:
    // Deadline penalty: penalty_per_burst times the average burst, at most
    // penalty_max_ns (weighted: a heavier task gets a smaller penalty).
    scx::Param<std::uint64_t> penalty_per_burst{"penalty_per_burst", 8, {0, 1000}, "",
                                                "deadline penalty per ns of average burst"};
    scx::Param<std::uint64_t> penalty_max_ns{"penalty_max_ns", 40 * scx::NSEC_PER_MSEC, {0, 1 * scx::NSEC_PER_SEC},
                                             "ns", "largest deadline penalty (how long a hog may wait)"};
    // Bursts below this are "very interactive": such a task may preempt.
    scx::Param<std::uint64_t> preempt_below_ns{"preempt_below_ns", 250 * scx::NSEC_PER_USEC,
                                               {0, 100 * scx::NSEC_PER_MSEC}, "ns",
                                               "tasks with a shorter average burst may preempt (0: never)"};
    // Slices: short tasks finish well within slice_short_ns anyway; hogs
    // (average burst of hog_burst_ns or more) get slice_hog_ns, short enough
    // to keep latency low, long enough to be efficient.
    scx::Param<std::uint64_t> slice_short_ns{"slice_short_ns", 2 * scx::NSEC_PER_MSEC,
                                             {100 * scx::NSEC_PER_USEC, 100 * scx::NSEC_PER_MSEC}, "ns",
                                             "time slice of a task with short bursts"};
    scx::Param<std::uint64_t> slice_hog_ns{"slice_hog_ns", 3 * scx::NSEC_PER_MSEC,
                                           {100 * scx::NSEC_PER_USEC, 100 * scx::NSEC_PER_MSEC}, "ns",
                                           "time slice of a CPU hog"};
    scx::Param<std::uint64_t> hog_burst_ns{"hog_burst_ns", 1 * scx::NSEC_PER_MSEC, {0, 1 * scx::NSEC_PER_SEC}, "ns",
                                           "average burst from which a task counts as a hog"};

    void schedule(scx::Context &ctx) override
    {
        while (std::optional<scx::Task> task = ctx.dequeue()) {
            State &s = state(*task, ctx.now());

            // The CPU time used since we last saw the task is its latest
            // burst when it comes back from a sleep; while it keeps running
            // (slice used up) the burst so far is exec_runtime.
            const std::uint64_t ran = task->sum_exec_runtime - s.last_sum;
            s.last_sum = task->sum_exec_runtime;
            if (task->is_wakeup())
                s.burst = (3 * s.burst + ran) / 4; // moving average
            else
                s.burst = std::max(s.burst, task->exec_runtime);

            const std::uint64_t penalty =
                std::min(s.burst * penalty_per_burst * scx::WEIGHT_DEFAULT / std::max<std::uint64_t>(task->weight, 1),
                         penalty_max_ns.get());

            scx::Dispatch d(*task);
            d.vtime = task->enqueued_at + penalty;
            d.slice_ns = s.burst < hog_burst_ns ? slice_short_ns : slice_hog_ns;
            if (task->is_wakeup()) {
                const int cpu = ctx.select_cpu(task->pid, task->cpu, 0);
                if (cpu >= 0) {
                    d.cpu = cpu;
                } else if (s.burst < preempt_below_ns) {
                    // No idle CPU: take the previous one (warm caches) now.
                    // (task->cpu is one the task last ran on; were it no
                    // longer allowed, the task would go to the shared queue.)
                    d.cpu = task->cpu;
                    d.flags |= scx::DISPATCH_PREEMPT;
                }
            }
            ctx.dispatch(d);
        }
        forget_old(ctx.now());
    }

private:
    struct State {
        std::uint64_t burst = 0;    // average CPU time per wake-up, ns
        std::uint64_t last_sum = 0; // Task::sum_exec_runtime when last seen
        std::uint64_t seen = 0;
    };

    State &state(const scx::Task &task, std::uint64_t now)
    {
        auto [it, is_new] = tasks_.try_emplace(task.pid);
        if (is_new)
            it->second.last_sum = task.sum_exec_runtime;
        it->second.seen = now;
        return it->second;
    }

    void forget_old(std::uint64_t now)
    {
        if (++rounds_ % 1024 != 0 || now < FORGET_NS)
            return;
        std::erase_if(tasks_, [&](const auto &kv) { return kv.second.seen < now - FORGET_NS; });
    }

    std::unordered_map<std::int32_t, State> tasks_;
    std::uint64_t rounds_ = 0;
};

} // namespace

SCX_POLICY(Latency, "latency")
