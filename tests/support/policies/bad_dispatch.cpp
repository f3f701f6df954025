// A policy that tries every invalid decision before the valid one, and
// insists on the return values the contract promises. Run it on tasks pinned
// to CPU 1 of a machine with at least two CPUs: its valid decision names
// CPU 0, which the runtime must redirect to the shared queue (a bounce).
#include <scx/policy.hpp>

#include <stdexcept>
#include <string>

namespace {

void expect(int got, int want, const char *what)
{
    if (got != want)
        throw std::logic_error(std::string(what) + ": dispatch returned " + std::to_string(got) + ", expected " +
                               std::to_string(want));
}

} // namespace

struct BadDispatch : scx::Policy {
    void init(scx::Context &ctx) override { ctx.set_idle_bypass(false); }

    void schedule(scx::Context &ctx) override
    {
        while (auto t = ctx.dequeue()) {
            scx::Dispatch d(*t);
            d.cpu = ctx.nr_cpus();
            expect(ctx.dispatch(d), -EINVAL, "CPU out of range");
            d.cpu = -2;
            expect(ctx.dispatch(d), -EINVAL, "negative CPU");
            d.cpu = scx::ANY_CPU;
            d.seq = t->seq + 1;
            expect(ctx.dispatch(d), -EINVAL, "a seq never issued");
            if (t->seq > 1) {
                // A decision for an older record of the task: dropped, 0.
                d.seq = t->seq - 1;
                expect(ctx.dispatch(d), 0, "an older record (cancelled)");
            }
            d.seq = t->seq;
            d.pid = 999999;
            expect(ctx.dispatch(d), -EINVAL, "unknown pid");
            d.pid = t->pid;
            d.cpu = 0;
            expect(ctx.dispatch(d), 0, "CPU outside the affinity");
            expect(ctx.dispatch(d), -EINVAL, "dispatched twice");
        }
    }
};
SCX_POLICY(BadDispatch, "bad-dispatch")
