// A FIFO policy that prints to standard output (as a debugging session
// might): the host's JSON on standard output must stay intact.
#include <scx/policy.hpp>

#include <cstdio>

struct Prints : scx::Policy {
    void schedule(scx::Context &ctx) override
    {
        while (auto t = ctx.dequeue()) {
            std::printf("dispatching %d\n", t->pid);
            scx::Dispatch d(*t);
            ctx.dispatch(d);
        }
    }
};
SCX_POLICY(Prints, "prints")
