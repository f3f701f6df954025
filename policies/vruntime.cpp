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
//    virtual clock (the vruntime of the tasks running now).
//  - Deadline, not just vruntime. The order key is vruntime plus the CPU time
//    the task used since it last woke up. A task that just woke (e.g. it got
//    a message) gets an early deadline; a CPU hog that keeps running gets a
//    later one and cannot delay the short, interactive ones.
//
// The runtime's shared queue sorts by Dispatch::vtime (lowest first), so the
// policy only computes the key and dispatches at once: it never holds tasks
// itself. Waking tasks go straight to an idle CPU when there is one.
//
// Build it and run it:
//     scx-build policies/vruntime.cpp -o vruntime.so
//     scx-run --sim messaging vruntime.so
//     scx-run --sim cpu:tasks=8,nice=0/5 vruntime.so   (weights at work)

#include <scx/policy.hpp>

#include <algorithm>
#include <cstdint>
#include <unordered_map>

namespace {

// Slices: 20 ms when few tasks wait, shrinking as more wait (so that each
// one's turn comes within about SLICE_MAX), never below SLICE_MIN (context
// switches cost time too).
constexpr std::uint64_t SLICE_MAX = 20 * scx::NSEC_PER_MSEC;
constexpr std::uint64_t SLICE_MIN = 1 * scx::NSEC_PER_MSEC;

// How far (in virtual time) a task may lag behind the virtual clock: its
// credit after sleeping.
constexpr std::uint64_t MAX_LAG = SLICE_MAX;

// A task that keeps running without sleeping is charged at most this much
// in its deadline, so that even a hog's deadline stays within reach.
constexpr std::uint64_t MAX_BURST = 10 * SLICE_MAX;

// Forget tasks not seen for this long (they exited, most likely).
constexpr std::uint64_t FORGET_NS = 30 * scx::NSEC_PER_SEC;

// CPU time scaled by weight: what `ns` of running costs a task of `weight`.
std::uint64_t scale(std::uint64_t ns, std::uint64_t weight)
{
    return ns * scx::WEIGHT_DEFAULT / std::max<std::uint64_t>(weight, 1);
}

class Vruntime : public scx::Policy {
public:
    void schedule(scx::Context &ctx) override
    {
        // One slice length for this round, from how many tasks wait per CPU.
        const std::uint64_t cpus = static_cast<std::uint64_t>(ctx.nr_cpus());
        const std::uint64_t waiting = ctx.counters().nr_queued + 1;
        const std::uint64_t slice = std::clamp(SLICE_MAX * cpus / waiting, SLICE_MIN, SLICE_MAX);

        while (std::optional<scx::Task> task = ctx.dequeue()) {
            State &s = state(*task, ctx.now());

            // Charge the CPU time used since we last saw the task. Task
            // tells the total (sum_exec_runtime); we keep the last value.
            const std::uint64_t ran = task->sum_exec_runtime - s.last_sum;
            s.last_sum = task->sum_exec_runtime;
            s.vruntime += scale(ran, task->weight);

            // A task that comes back after running was picked at its last
            // key, the smallest in the queue at the time: the system's
            // virtual clock has reached at least that.
            if (ran > 0)
                vclock_ = std::max(vclock_, s.key);

            // Limited credit for sleepers.
            if (vclock_ > MAX_LAG)
                s.vruntime = std::max(s.vruntime, vclock_ - MAX_LAG);

            // Deadline: vruntime plus the (weighted) burst since waking up.
            s.key = s.vruntime + scale(std::min(task->exec_runtime, MAX_BURST), task->weight);

            scx::Dispatch d(*task);
            d.vtime = s.key;
            d.slice_ns = slice;
            // A waking task takes an idle CPU if there is one (its previous
            // CPU first, for warm caches); otherwise the shared queue.
            if (task->is_wakeup()) {
                const int cpu = ctx.select_cpu(task->pid, task->cpu, 0);
                if (cpu >= 0)
                    d.cpu = cpu;
            }
            ctx.dispatch(d);
        }
        forget_old(ctx.now());
    }

private:
    struct State {
        std::uint64_t vruntime = 0; // weighted CPU time, in the policy's virtual clock
        std::uint64_t key = 0;      // the deadline it was last dispatched with
        std::uint64_t last_sum = 0; // Task::sum_exec_runtime when last seen
        std::uint64_t seen = 0;     // ctx.now() when last seen
    };

    // The task's state; a new task starts at the virtual clock (no credit,
    // no debt).
    State &state(const scx::Task &task, std::uint64_t now)
    {
        auto [it, is_new] = tasks_.try_emplace(task.pid);
        State &s = it->second;
        if (is_new) {
            s.vruntime = vclock_;
            s.key = vclock_;
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
    std::uint64_t vclock_ = 0;
    std::uint64_t rounds_ = 0;
};

} // namespace

SCX_POLICY(Vruntime, "vruntime")
