// Benchmark policy: a FIFO that times every ctx.select_cpu() call and, for
// comparison, one cheap system call per batch; prints the averages to
// standard error when it stops. Not a test: `tests/vm/bench.sh` uses it.
#include <scx/policy.hpp>

#include <cstdio>
#include <unistd.h>

struct SelectCost : scx::Policy {
    std::uint64_t select_ns = 0, selects = 0, syscall_ns = 0, syscalls = 0;
    void schedule(scx::Context &ctx) override
    {
        while (auto t = ctx.dequeue()) {
            scx::Dispatch d(*t);
            const std::uint64_t t0 = ctx.now();
            const int cpu = ctx.select_cpu(t->pid, t->cpu, 0);
            const std::uint64_t t1 = ctx.now();
            (void)::getppid();
            const std::uint64_t t2 = ctx.now();
            select_ns += t1 - t0;
            syscall_ns += t2 - t1;
            selects++;
            syscalls++;
            if (cpu >= 0)
                d.cpu = cpu;
            ctx.dispatch(d);
        }
    }
    void exit(scx::Context &) override
    {
        if (selects)
            std::fprintf(stderr, "select_cpu: %.0f ns per call over %llu calls; getppid(): %.0f ns per call\n",
                         static_cast<double>(select_ns) / static_cast<double>(selects),
                         static_cast<unsigned long long>(selects),
                         static_cast<double>(syscall_ns) / static_cast<double>(syscalls));
    }
};
SCX_POLICY(SelectCost, "select_cost")
