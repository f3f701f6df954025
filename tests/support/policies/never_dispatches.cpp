// A policy that takes every task and never dispatches it: the watchdog must
// eject it and name a stalled task.
#include <scx/policy.hpp>

struct NeverDispatches : scx::Policy {
    void schedule(scx::Context &ctx) override
    {
        while (ctx.dequeue()) {
        }
    }
};
SCX_POLICY(NeverDispatches, "never-dispatches")
