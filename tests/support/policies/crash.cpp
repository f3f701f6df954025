// A policy that works for a while, then dereferences a null pointer: the
// host must restore the default scheduler and say what happened.
#include <scx/policy.hpp>

namespace {
int *volatile nowhere = nullptr;
}

struct Crash : scx::Policy {
    unsigned calls = 0;
    // Every task through schedule(), none served on idle CPUs directly:
    // the misbehaviour shows at once, even on an idle machine.
    void init(scx::Context &ctx) override { ctx.set_idle_bypass(false); }
    void schedule(scx::Context &ctx) override
    {
        while (auto t = ctx.dequeue())
            ctx.dispatch(scx::Dispatch(*t));
        if (++calls == 3)
            *nowhere = 1;
    }
};
SCX_POLICY(Crash, "crash")
