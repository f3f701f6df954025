// SPDX-License-Identifier: MIT
//
// The default idle-CPU selection behind Context::select_cpu(), one
// implementation for both backends (the simulator's Topology and the kernel
// backend's KernelContext), modelled on scx_bpf_select_cpu_dfl() as
// scx_rustland_core uses it:
//   with SMT: the previous CPU if its whole core is idle, then a whole idle
//   core sharing the previous CPU's last-level cache, then any whole idle
//   core; then the previous CPU if idle; then an idle CPU sharing its cache;
//   then any idle CPU. Every search starts after the previous CPU and wraps
//   around, which spreads tasks, and only CPUs the task may use qualify.
//
// CPU masks are arrays of 64-bit words, CPU n in bit n % 64 of word n / 64.
#pragma once

#include <cstddef>
#include <cstdint>

namespace scx::detail {

struct CpuTopology {
    int nr_cpus = 0;
    std::size_t words = 0;                   // words per mask
    bool smt = false;                        // some core has two CPUs or more
    const std::uint64_t *siblings = nullptr; // nr_cpus masks: each CPU's core, itself included
    const std::uint64_t *llc = nullptr;      // nr_cpus masks: the CPUs sharing each CPU's last-level cache
};

inline bool cpu_in(const std::uint64_t *mask, int cpu)
{
    return (mask[static_cast<std::size_t>(cpu) >> 6] >> (cpu & 63)) & 1;
}

// The first CPU below nr_cpus, at or after `start` and wrapping around, that
// is in `bits` and in `a` and `b` (either may be null); -1 if none.
int find_next_cpu(const std::uint64_t *bits, const std::uint64_t *a, const std::uint64_t *b, int start,
                  int nr_cpus);

// The CPU the default selection picks for a task allowed on `allowed`, last
// on `prev`, among the `idle` CPUs; -1 when none qualifies. `scratch` holds
// t.words words. Nothing is claimed: the caller takes the CPU out of its
// idle set.
int select_idle_cpu(const CpuTopology &t, const std::uint64_t *idle, const std::uint64_t *allowed, int prev,
                    std::uint64_t *scratch);

} // namespace scx::detail
