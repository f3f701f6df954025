// SPDX-License-Identifier: MIT
#include "topology.hpp"

#include <bit>

namespace scx::sim::detail {

CpuSet CpuSet::all(int nr)
{
    CpuSet s(nr);
    for (int i = 0; i < nr; i++)
        s.set(i);
    return s;
}

int CpuSet::count() const
{
    int n = 0;
    for (std::uint64_t w : words_)
        n += std::popcount(w);
    return n;
}

int CpuSet::find_next_and(const CpuSet *a, const CpuSet *b, int start) const
{
    return ::scx::detail::find_next_cpu(data(), a ? a->data() : nullptr, b ? b->data() : nullptr, start, nr_);
}

Topology::Topology(const Machine &m) : nr_(m.cpus), smt_(m.smt > 0 ? m.smt : 1), scratch_(m.cpus)
{
    const int per_llc = m.llc > 0 ? m.llc : m.cpus;
    for (int cpu = 0; cpu < m.cpus; cpu++) {
        core_.push_back(cpu / smt_);
        llc_.push_back(cpu / per_llc);
    }
    const std::size_t words = (static_cast<std::size_t>(m.cpus) + 63) / 64;
    sibling_words_.assign(static_cast<std::size_t>(m.cpus) * words, 0);
    llc_words_.assign(static_cast<std::size_t>(m.cpus) * words, 0);
    for (int cpu = 0; cpu < m.cpus; cpu++) {
        const std::size_t row = static_cast<std::size_t>(cpu) * words;
        for (int other = 0; other < m.cpus; other++) {
            const std::uint64_t bit = 1ULL << (other & 63);
            if (core_of(other) == core_of(cpu))
                sibling_words_[row + static_cast<std::size_t>(other >> 6)] |= bit;
            if (llc_of(other) == llc_of(cpu))
                llc_words_[row + static_cast<std::size_t>(other >> 6)] |= bit;
        }
    }
    view_ = {m.cpus, words, smt_ > 1, sibling_words_.data(), llc_words_.data()};
}

int Topology::select_idle(CpuSet &idle, const CpuSet &allowed, int prev) const
{
    const int cpu = ::scx::detail::select_idle_cpu(view_, idle.data(), allowed.data(), prev, scratch_.data());
    if (cpu >= 0)
        idle.clear(cpu);
    return cpu;
}

} // namespace scx::sim::detail
