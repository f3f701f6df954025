// A policy that asks select_cpu() for every task and insists that the CPU
// it gets is one the task may run on (its affinity, read from the kernel).
// Run it with pinned tasks: a CPU outside the affinity throws.
#include <scx/policy.hpp>

#include <sched.h>

#include <stdexcept>
#include <string>

struct SelectCheck : scx::Policy {
    void init(scx::Context &ctx) override { ctx.set_idle_bypass(false); }
    void schedule(scx::Context &ctx) override
    {
        while (auto t = ctx.dequeue()) {
            scx::Dispatch d(*t);
            const int cpu = ctx.select_cpu(t->pid, t->cpu, 0);
            if (cpu >= 0) {
                cpu_set_t allowed;
                CPU_ZERO(&allowed);
                if (::sched_getaffinity(t->pid, sizeof allowed, &allowed) == 0 && !CPU_ISSET(cpu, &allowed))
                    throw std::logic_error("select_cpu returned CPU " + std::to_string(cpu) +
                                           ", outside the affinity of task " + std::to_string(t->pid));
                d.cpu = cpu;
            }
            ctx.dispatch(d);
        }
    }
};
SCX_POLICY(SelectCheck, "select_check")
