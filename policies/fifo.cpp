// SPDX-License-Identifier: MIT
//
// fifo - the base scxkit policy: first come, first served.
//
// This is the template a new policy starts from. Every task that asks for a
// CPU is handed out in arrival order: to an idle CPU when there is one (so it
// starts at once), otherwise to the shared queue that every CPU takes work
// from when its current task stops. Each run lasts at most a fixed slice.
//
// Build it and run it:
//     scx-build policies/fifo.cpp -o fifo.so
//     scx-run --sim messaging fifo.so        (simulator, no root needed)
//     sudo scx-run fifo.so                   (real sched_ext kernel)

// The whole scxkit API is this one header (see scx-policy(7)). The C++
// standard library may be used as well.
#include <scx/policy.hpp>

namespace {

// A policy is a class derived from scx::Policy.
class Fifo : public scx::Policy {
public:
    // A tunable parameter: name, default, range, unit, meaning. Users change
    // it without editing the code (scx-run --param slice_ns=2ms); it reads
    // like a plain std::uint64_t. Every task runs for at most this long
    // before it goes back to the end of the queue. Shorter slices mean lower
    // latency for waiting tasks; longer slices mean fewer context switches
    // and better throughput.
    scx::Param<std::uint64_t> slice_ns{"slice_ns", 5 * scx::NSEC_PER_MSEC,
                                       {100 * scx::NSEC_PER_USEC, 100 * scx::NSEC_PER_MSEC}, "ns",
                                       "time slice of every task"};

    // The runtime calls schedule() whenever tasks are waiting for a CPU. The
    // job: take every waiting task and decide where it runs.
    void schedule(scx::Context &ctx) override
    {
        // dequeue() returns the waiting tasks one by one, oldest first, and
        // std::nullopt when none is left. A Task tells who it is (pid, comm),
        // where it ran last (cpu) and how it behaved (exec_runtime, weight...).
        while (std::optional<scx::Task> task = ctx.dequeue()) {
            // A Dispatch is built from the task it is for; it starts as
            // "any CPU, default slice, vtime 0".
            scx::Dispatch d(*task);

            // Prefer an idle CPU: select_cpu() returns one (trying the CPU the
            // task last ran on first, which keeps its caches warm) and
            // reserves it for this task, or a negative number when every CPU
            // is busy. Then the task stays on scx::ANY_CPU: the shared queue,
            // served by whichever CPU frees up first.
            const int cpu = ctx.select_cpu(task->pid, task->cpu, 0);
            if (cpu >= 0)
                d.cpu = cpu;

            // Fixed slice. vtime stays 0 for every task, so the shared queue
            // keeps plain arrival order (equal vtimes run in dispatch order).
            d.slice_ns = slice_ns;

            // Hand the decision to the runtime. It returns 0, or -EINVAL for
            // an invalid decision (which cannot happen here: the task was just
            // dequeued and the CPU came from select_cpu()).
            ctx.dispatch(d);
        }
    }
};

} // namespace

// Register the class. Exactly one SCX_POLICY per policy source; the string is
// the policy's name as tools report it.
SCX_POLICY(Fifo, "fifo")
