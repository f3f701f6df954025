// A policy whose schedule() throws (or, with THROW_IN_EXIT, whose exit()
// throws): hosts must report it, not crash, and never call it a success.
#include <scx/policy.hpp>

#include <stdexcept>

struct Throws : scx::Policy {
    // Every task through schedule(), none served on idle CPUs directly:
    // the misbehaviour shows at once, even on an idle machine.
    void init(scx::Context &ctx) override { ctx.set_idle_bypass(false); }
#if defined(THROW_IN_EXIT)
    void schedule(scx::Context &ctx) override
    {
        while (auto t = ctx.dequeue())
            ctx.dispatch(scx::Dispatch(*t));
    }
    void exit(scx::Context &) override { throw std::runtime_error("deliberate failure in exit()"); }
#else
    void schedule(scx::Context &ctx) override
    {
        if (ctx.dequeue())
            throw std::runtime_error("deliberate failure in the test policy");
    }
#endif
};
SCX_POLICY(Throws, "throws")
