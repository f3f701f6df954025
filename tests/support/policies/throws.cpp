// A policy whose schedule() throws: hosts must report it, not crash.
#include <scx/policy.hpp>

#include <stdexcept>

struct Throws : scx::Policy {
    void schedule(scx::Context &ctx) override
    {
        if (ctx.dequeue())
            throw std::runtime_error("deliberate failure in the test policy");
    }
};
SCX_POLICY(Throws, "throws")
