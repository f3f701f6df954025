// The smallest FIFO policy: the base of the golden prompt test.
#include <scx/policy.hpp>

struct Fifo : scx::Policy {
    void schedule(scx::Context &ctx) override
    {
        while (auto task = ctx.dequeue()) {
            scx::Dispatch d(*task);
            ctx.dispatch(d);
        }
    }
};

SCX_POLICY(Fifo, "fifo")
