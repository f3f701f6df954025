// A policy that sends every task to CPU 0, allowed or not: tasks that may
// not run there must be bounced to the shared queue, not lost.
#include <scx/policy.hpp>

struct PinCpu0 : scx::Policy {
    void init(scx::Context &ctx) override { ctx.set_idle_bypass(false); }
    void schedule(scx::Context &ctx) override
    {
        while (auto t = ctx.dequeue()) {
            scx::Dispatch d(*t);
            d.cpu = 0;
            ctx.dispatch(d);
        }
    }
};
SCX_POLICY(PinCpu0, "pin_cpu0")
