// A policy that takes every task and never dispatches one: the kernel's
// watchdog must eject it ("runnable task stall").
#include <scx/policy.hpp>

struct NeverDispatch : scx::Policy {
    // Every task through schedule(), none served on idle CPUs directly:
    // the misbehaviour shows at once, even on an idle machine.
    void init(scx::Context &ctx) override { ctx.set_idle_bypass(false); }
    void schedule(scx::Context &ctx) override
    {
        while (ctx.dequeue()) {
        }
    }
};
SCX_POLICY(NeverDispatch, "never_dispatch")
