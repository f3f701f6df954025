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

bool CpuSet::empty() const
{
    for (std::uint64_t w : words_)
        if (w)
            return false;
    return true;
}

int CpuSet::find_next_and(const CpuSet *a, const CpuSet *b, int start) const
{
    if (nr_ == 0)
        return -1;
    if (start < 0 || start >= nr_)
        start = 0;
    const std::size_t nw = words_.size();
    auto word = [&](std::size_t i) {
        std::uint64_t w = words_[i];
        if (a)
            w &= a->words_[i];
        if (b)
            w &= b->words_[i];
        return w;
    };
    // From `start` to the end, then from 0 to `start`.
    std::size_t wi = static_cast<std::size_t>(start) >> 6;
    std::uint64_t w = word(wi) & (~0ULL << (start & 63));
    for (std::size_t step = 0; step <= nw; step++) {
        if (w) {
            const int cpu = static_cast<int>(wi * 64) + std::countr_zero(w);
            return cpu < nr_ ? cpu : -1;
        }
        wi = (wi + 1) % nw;
        w = word(wi);
        if (step == nw - 1)
            w &= (start & 63) ? ~(~0ULL << (start & 63)) : 0; // the part before `start` in its word
    }
    return -1;
}

Topology::Topology(const Machine &m) : nr_(m.cpus), smt_(m.smt > 0 ? m.smt : 1), scratch_(m.cpus)
{
    const int per_llc = m.llc > 0 ? m.llc : m.cpus;
    const int nr_llc = (m.cpus + per_llc - 1) / per_llc;
    llc_masks_.assign(static_cast<std::size_t>(nr_llc), CpuSet(m.cpus));
    for (int cpu = 0; cpu < m.cpus; cpu++) {
        core_.push_back(cpu / smt_);
        llc_.push_back(cpu / per_llc);
        llc_masks_[static_cast<std::size_t>(cpu / per_llc)].set(cpu);
    }
}

void Topology::idle_cores(const CpuSet &idle, CpuSet &out) const
{
    out.clear_all();
    for (int first = 0; first < nr_; first += smt_) {
        bool whole = true;
        for (int t = first; t < first + smt_ && t < nr_; t++)
            whole = whole && idle.test(t);
        if (whole)
            for (int t = first; t < first + smt_ && t < nr_; t++)
                out.set(t);
    }
}

int Topology::select_idle(CpuSet &idle, const CpuSet &allowed, int prev) const
{
    if (prev < 0 || prev >= nr_)
        prev = 0;
    const int start = prev + 1 < nr_ ? prev + 1 : 0; // spread: search after prev
    auto take = [&](int cpu) {
        idle.clear(cpu);
        return cpu;
    };
    if (smt()) {
        idle_cores(idle, scratch_);
        if (allowed.test(prev) && scratch_.test(prev))
            return take(prev);
        int cpu = scratch_.find_next_and(&allowed, &llc_mask(prev), start);
        if (cpu >= 0)
            return take(cpu);
        cpu = scratch_.find_next_and(&allowed, nullptr, start);
        if (cpu >= 0)
            return take(cpu);
    }
    if (allowed.test(prev) && idle.test(prev))
        return take(prev);
    int cpu = idle.find_next_and(&allowed, &llc_mask(prev), start);
    if (cpu >= 0)
        return take(cpu);
    cpu = idle.find_next_and(&allowed, nullptr, start);
    return cpu >= 0 ? take(cpu) : -1;
}

} // namespace scx::sim::detail
