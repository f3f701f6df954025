// A policy whose schedule() throws: hosts must report it, not crash.
#include <scx/policy.hpp>

#include <stdexcept>

struct Throws : scx::Policy {
    // Every task through schedule(), none served on idle CPUs directly:
    // the misbehaviour shows at once, even on an idle machine.
    void init(scx::Context &ctx) override { ctx.set_idle_bypass(false); }
    void schedule(scx::Context &ctx) override
    {
        if (ctx.dequeue())
            throw std::runtime_error("deliberate failure in the test policy");
    }
};
SCX_POLICY(Throws, "throws")
