// SPDX-License-Identifier: MIT
//
// vruntime - weighted fair share: every task gets CPU time in proportion to
// its weight, and a task that wakes up after a short burst runs soon.
//
// This is the policy of scx_rustland in a few lines. Each task has a
// virtual runtime ("vruntime"): the CPU time it used, divided by its weight
// (a nice -5 task has about three times the weight of a nice 0 one, so its
// vruntime grows three times slower). Whoever has the smallest vruntime has
// had the least of its fair share and runs next. Two refinements:
//
//  - Sleepers keep a limited credit. A task that slept for a long time would
//    have a tiny vruntime and could then hog the CPU until it caught up; so a
//    task's vruntime never lags more than one slice behind the system's
//    virtual clock (which follows the deadlines of the tasks sent to run).
//  - Deadline, not just vruntime. The order key is vruntime plus the CPU time
//    the task used since it last woke up. A task that just woke (e.g. it got
//    a message) gets an early deadline; a CPU hog that keeps running gets a
//    later one and cannot delay the short, interactive ones.
//
// The order is kept here, in the policy: tasks wait in a queue sorted by
// deadline and the policy hands out only the earliest ones - one to each
// idle CPU, and one per CPU to the shared queue for the CPUs that free up
// next - telling the runtime how many it still holds (ctx.set_pending()).
// The runtime calls schedule() again as soon as a CPU runs out of work, so
// decisions are made with up-to-date virtual runtimes. (Dispatching
// everything at once would serve the tasks in rounds, every one once per
// round whatever its weight; dispatching a single task per call would make
// every CPU wait for the scheduler at every switch.)
//
// Build it and run it:
//     scx-build policies/vruntime.cpp -o vruntime.so
//     scx-run --sim messaging vruntime.so
//     scx-run --sim cpu:tasks=8,nice=0/5 vruntime.so   (weights at work)

#include <scx/policy.hpp>

#include <algorithm>
#include <cstdint>
#include <queue>
#include <unordered_map>

namespace {

// Forget tasks not seen for this long (they exited, most likely).
constexpr std::uint64_t FORGET_NS = 30 * scx::NSEC_PER_SEC;

// CPU time scaled by weight: what `ns` of running costs a task of `weight`.
std::uint64_t scale(std::uint64_t ns, std::uint64_t weight)
{
    return ns * scx::WEIGHT_DEFAULT / std::max<std::uint64_t>(weight, 1);
}

class Vruntime : public scx::Policy {
public:
    // Slices: slice_max_ns when few tasks wait, shrinking as more wait (so
    // that each one's turn comes within about slice_max_ns), never below
    // slice_min_ns (context switches cost time too).
    scx::Param<std::uint64_t> slice_max_ns{"slice_max_ns", 20 * scx::NSEC_PER_MSEC,
                                           {100 * scx::NSEC_PER_USEC, 1 * scx::NSEC_PER_SEC}, "ns",
                                           "longest time slice, when few tasks wait"};
    scx::Param<std::uint64_t> slice_min_ns{"slice_min_ns", 1 * scx::NSEC_PER_MSEC,
                                           {50 * scx::NSEC_PER_USEC, 100 * scx::NSEC_PER_MSEC}, "ns",
                                           "shortest time slice, when many tasks wait"};
    // How far (in virtual time) a task may lag behind the virtual clock: its
    // credit after sleeping.
    scx::Param<std::uint64_t> max_lag_ns{"max_lag_ns", 20 * scx::NSEC_PER_MSEC, {0, 1 * scx::NSEC_PER_SEC}, "ns",
                                         "wake-up credit: how far a sleeper's vruntime may lag the clock"};
    // A task that keeps running without sleeping is charged at most this
    // much in its deadline: every hog gets the same offset, so among hogs
    // the order is pure vruntime (shares exactly in proportion to weights).
    // The smaller it is, the less a short burst counts against a waking task.
    scx::Param<std::uint64_t> max_burst_ns{"max_burst_ns", 20 * scx::NSEC_PER_MSEC, {0, 1 * scx::NSEC_PER_SEC},
                                           "ns", "most CPU time since waking added to the deadline"};

    void schedule(scx::Context &ctx) override
    {
        // Take every waiting task, charge it what it ran, queue it by deadline.
        while (std::optional<scx::Task> task = ctx.dequeue()) {
            State &s = state(*task, ctx.now());

            // Charge the CPU time used since we last saw the task. Task
            // tells the total (sum_exec_runtime); we keep the last value.
            const std::uint64_t ran = task->sum_exec_runtime - s.last_sum;
            s.last_sum = task->sum_exec_runtime;
            s.vruntime += scale(ran, task->weight);

            // Limited credit for sleepers.
            if (vclock_ > max_lag_ns)
                s.vruntime = std::max(s.vruntime, vclock_ - max_lag_ns);

            // Deadline: vruntime plus the CPU time used since waking up.
            const std::uint64_t deadline = s.vruntime + std::min(task->exec_runtime, max_burst_ns.get());
            queue_.push(Waiting{deadline, order_++, *task});
        }

        // Slices shrink when many tasks wait, so that each one's turn comes
        // within about slice_max_ns (slice_min_ns above it counts as equal).
        const std::uint64_t cpus = static_cast<std::uint64_t>(ctx.nr_cpus());
        const std::uint64_t hi = slice_max_ns, lo = std::min<std::uint64_t>(slice_min_ns, hi);
        const std::uint64_t slice = std::clamp(hi * cpus / (queue_.size() + 1), lo, hi);

        // Hand out the earliest deadlines: one to each idle CPU (its previous
        // CPU first, for warm caches), and up to one per CPU to the shared
        // queue, for the CPUs that free up next (this one among them).
        std::uint64_t shared = 0;
        while (!queue_.empty()) {
            const Waiting &w = queue_.top();
            scx::Dispatch d(w.task);
            d.vtime = w.deadline;
            d.slice_ns = slice;
            const int cpu = ctx.select_cpu(w.task.pid, w.task.cpu, 0);
            if (cpu >= 0)
                d.cpu = cpu;
            else if (shared++ == cpus)
                break; // no CPU for it soon: keep it (and the rest) for later
            // The virtual clock follows the deadlines of the tasks sent to run.
            vclock_ = std::max(vclock_, w.deadline);
            // A refused decision means the task changed meanwhile; the
            // runtime hands it to us again, so it is simply dropped here.
            ctx.dispatch(d);
            queue_.pop();
        }
        ctx.set_pending(queue_.size());
        forget_old(ctx.now());
    }

private:
    struct State {
        std::uint64_t vruntime = 0; // weighted CPU time, in the policy's virtual clock
        std::uint64_t last_sum = 0; // Task::sum_exec_runtime when last seen
        std::uint64_t seen = 0;     // ctx.now() when last seen
    };

    struct Waiting {
        std::uint64_t deadline;
        std::uint64_t order; // ties: first come, first served
        scx::Task task;
        bool operator<(const Waiting &o) const
        {
            // std::priority_queue puts the largest on top: invert.
            return deadline != o.deadline ? deadline > o.deadline : order > o.order;
        }
    };

    // The task's state; a new task starts at the virtual clock (no credit,
    // no debt).
    State &state(const scx::Task &task, std::uint64_t now)
    {
        auto [it, is_new] = tasks_.try_emplace(task.pid);
        State &s = it->second;
        if (is_new) {
            s.vruntime = vclock_;
            s.last_sum = task.sum_exec_runtime;
        }
        s.seen = now;
        return s;
    }

    // Drop tasks not seen for a long time, now and then.
    void forget_old(std::uint64_t now)
    {
        if (++rounds_ % 1024 != 0 || now < FORGET_NS)
            return;
        std::erase_if(tasks_, [&](const auto &kv) { return kv.second.seen < now - FORGET_NS; });
    }

    std::unordered_map<std::int32_t, State> tasks_;
    std::priority_queue<Waiting> queue_;
    std::uint64_t vclock_ = 0;
    std::uint64_t order_ = 0;
    std::uint64_t rounds_ = 0;
};

} // namespace

SCX_POLICY(Vruntime, "vruntime")
