// SPDX-License-Identifier: MIT
#include "policy/idle_select.hpp"

#include <bit>

namespace scx::detail {

int find_next_cpu(const std::uint64_t *bits, const std::uint64_t *a, const std::uint64_t *b, int start,
                  int nr_cpus)
{
    if (nr_cpus <= 0)
        return -1;
    if (start < 0 || start >= nr_cpus)
        start = 0;
    const std::size_t nw = (static_cast<std::size_t>(nr_cpus) + 63) / 64;
    auto word = [&](std::size_t i) {
        std::uint64_t w = bits[i];
        if (a)
            w &= a[i];
        if (b)
            w &= b[i];
        return w;
    };
    // From `start` to the end, then from 0 up to `start`.
    std::size_t wi = static_cast<std::size_t>(start) >> 6;
    std::uint64_t w = word(wi) & (~0ULL << (start & 63));
    for (std::size_t step = 0; step <= nw; step++) {
        if (w) {
            const int cpu = static_cast<int>(wi * 64) + std::countr_zero(w);
            if (cpu < nr_cpus)
                return cpu;
            w = 0; // bits past the last CPU in the last word
        }
        if (step == nw)
            break;
        wi = (wi + 1) % nw;
        w = word(wi);
        if (step == nw - 1)
            w &= (start & 63) ? ~(~0ULL << (start & 63)) : 0; // the part before `start` in its word
    }
    return -1;
}

int select_idle_cpu(const CpuTopology &t, const std::uint64_t *idle, const std::uint64_t *allowed, int prev,
                    std::uint64_t *scratch)
{
    if (t.nr_cpus <= 0)
        return -1;
    if (prev < 0 || prev >= t.nr_cpus)
        prev = 0;
    const int start = prev + 1 < t.nr_cpus ? prev + 1 : 0;
    const std::uint64_t *llc = t.llc + static_cast<std::size_t>(prev) * t.words;
    if (t.smt) {
        // Whole idle cores: CPUs all of whose siblings are idle. The previous
        // CPU's core first, before building the mask of all of them.
        auto whole_core_idle = [&](int cpu) {
            const std::uint64_t *sib = t.siblings + static_cast<std::size_t>(cpu) * t.words;
            for (std::size_t w = 0; w < t.words; w++)
                if (sib[w] & ~idle[w])
                    return false;
            return true;
        };
        if (cpu_in(allowed, prev) && cpu_in(idle, prev) && whole_core_idle(prev))
            return prev;
        for (std::size_t w = 0; w < t.words; w++) {
            scratch[w] = 0;
            for (std::uint64_t bits = idle[w]; bits; bits &= bits - 1) {
                const int cpu = static_cast<int>(w * 64) + std::countr_zero(bits);
                if (cpu < t.nr_cpus && whole_core_idle(cpu))
                    scratch[w] |= 1ULL << (cpu & 63);
            }
        }
        if (int cpu = find_next_cpu(scratch, allowed, llc, start, t.nr_cpus); cpu >= 0)
            return cpu;
        if (int cpu = find_next_cpu(scratch, allowed, nullptr, start, t.nr_cpus); cpu >= 0)
            return cpu;
    }
    if (cpu_in(allowed, prev) && cpu_in(idle, prev))
        return prev;
    if (int cpu = find_next_cpu(idle, allowed, llc, start, t.nr_cpus); cpu >= 0)
        return cpu;
    return find_next_cpu(idle, allowed, nullptr, start, t.nr_cpus);
}

} // namespace scx::detail
