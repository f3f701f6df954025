// A policy that takes every task and never dispatches one: the kernel's
// watchdog must eject it ("runnable task stall").
#include <scx/policy.hpp>

struct NeverDispatch : scx::Policy {
    void schedule(scx::Context &ctx) override
    {
        while (ctx.dequeue()) {
        }
    }
};
SCX_POLICY(NeverDispatch, "never_dispatch")
