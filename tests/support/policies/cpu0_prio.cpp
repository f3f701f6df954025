// Every task to CPU 0's own queue, ordered by vtime: its arrival time, or
// 100 ms later for a task below the default weight (a niced one). While both
// wait, a task of default weight always goes first. A check that per-CPU
// queues are vtime-ordered on every backend: were CPU 0's queue FIFO, three
// hogs, one of them niced, would get a third of the CPU each.
#include <scx/policy.hpp>

struct Cpu0Prio : scx::Policy {
    void init(scx::Context &ctx) override { ctx.set_idle_bypass(false); }
    void schedule(scx::Context &ctx) override
    {
        while (auto t = ctx.dequeue()) {
            scx::Dispatch d(*t);
            d.cpu = 0;
            d.slice_ns = 5 * scx::NSEC_PER_MSEC;
            d.vtime = t->enqueued_at + (t->weight < scx::WEIGHT_DEFAULT ? 100 * scx::NSEC_PER_MSEC : 0);
            ctx.dispatch(d);
        }
    }
};
SCX_POLICY(Cpu0Prio, "cpu0_prio")
