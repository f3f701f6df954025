// A policy that references a symbol defined nowhere (linked without -z defs,
// as a foreign build might be): loading must fail with a clear message.
#include <scx/policy.hpp>

extern "C" int scx_test_symbol_defined_nowhere(int);

struct Undefined : scx::Policy {
    void schedule(scx::Context &ctx) override
    {
        while (auto t = ctx.dequeue()) {
            scx::Dispatch d(*t);
            d.cpu = scx_test_symbol_defined_nowhere(t->cpu);
            ctx.dispatch(d);
        }
    }
};
SCX_POLICY(Undefined, "undefined-symbol")
