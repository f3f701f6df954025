// A policy whose schedule() never returns: a supervised run must kill it.
#include <scx/policy.hpp>

namespace {
volatile unsigned long spins = 0;
}

struct Spins : scx::Policy {
    void schedule(scx::Context &ctx) override
    {
        if (ctx.dequeue())
            for (;;)
                spins = spins + 1;
    }
};
SCX_POLICY(Spins, "spins")
