// A policy that dereferences a null pointer in schedule(): hosts must report
// the crash and never hang.
#include <scx/policy.hpp>

namespace {
int *volatile nowhere = nullptr;
}

struct Crashes : scx::Policy {
    void schedule(scx::Context &ctx) override
    {
        if (ctx.dequeue())
            *nowhere = 42;
    }
};
SCX_POLICY(Crashes, "crashes")
