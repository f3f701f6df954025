// SPDX-License-Identifier: MIT
//
// CPU sets and the machine's topology (SMT siblings, last-level caches), and
// the default idle-CPU selection that sched_ext offers (scx_bpf_select_cpu_dfl
// as scx_rustland_core uses it): the previous CPU if its whole core is idle,
// then a whole idle core near it, then the previous CPU, then any idle CPU in
// its cache domain, then any idle CPU the task may use.
#pragma once

#include <cstdint>
#include <vector>

#include "sim/sim.hpp"

#include "policy/idle_select.hpp"

namespace scx::sim::detail {

class CpuSet {
public:
    CpuSet() = default;
    explicit CpuSet(int nr) : words_(static_cast<std::size_t>((nr + 63) / 64), 0), nr_(nr) {}
    static CpuSet all(int nr);

    bool test(int cpu) const { return (words_[static_cast<std::size_t>(cpu) >> 6] >> (cpu & 63)) & 1; }
    void set(int cpu) { words_[static_cast<std::size_t>(cpu) >> 6] |= 1ULL << (cpu & 63); }
    void clear(int cpu) { words_[static_cast<std::size_t>(cpu) >> 6] &= ~(1ULL << (cpu & 63)); }
    int size() const { return nr_; }
    int count() const;

    // First CPU >= start (wrapping around) that is in this set, `a` and `b`
    // (either may be null), or -1.
    int find_next_and(const CpuSet *a, const CpuSet *b, int start) const;

    const std::uint64_t *data() const { return words_.data(); }
    std::uint64_t *data() { return words_.data(); }

private:
    std::vector<std::uint64_t> words_;
    int nr_ = 0;
};

class Topology {
public:
    explicit Topology(const Machine &m);

    int nr_cpus() const { return nr_; }
    int core_of(int cpu) const { return core_[static_cast<std::size_t>(cpu)]; }
    int llc_of(int cpu) const { return llc_[static_cast<std::size_t>(cpu)]; }

    // The default idle-CPU selection for a task allowed on `allowed`, last on
    // `prev`. Takes (clears) the chosen CPU from `idle` and returns it, or -1.
    int select_idle(CpuSet &idle, const CpuSet &allowed, int prev) const;

private:
    int nr_ = 1, smt_ = 1;
    std::vector<int> core_, llc_;
    std::vector<std::uint64_t> sibling_words_, llc_words_; // per CPU, as scx::detail::CpuTopology wants them
    ::scx::detail::CpuTopology view_;
    mutable CpuSet scratch_;
};

} // namespace scx::sim::detail
