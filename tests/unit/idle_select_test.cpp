// SPDX-License-Identifier: MIT
// The default idle-CPU selection shared by the simulator and the kernel
// backend, on topologies as sysfs describes them (the simulator's own
// regular topologies are in sim_topology_test): SMT siblings numbered apart
// (0/4, 1/5, ...), two caches, affinity, more than 64 CPUs.
#include "policy/idle_select.hpp"
#include "test.hpp"

#include <initializer_list>

using scx::detail::CpuTopology;
using scx::detail::find_next_cpu;
using scx::detail::select_idle_cpu;

namespace {

constexpr int WORDS = 3; // up to 192 CPUs

struct Masks {
    std::uint64_t w[WORDS] = {};
};

Masks mask_of(std::initializer_list<int> cpus)
{
    Masks m;
    for (int c : cpus)
        m.w[c / 64] |= 1ULL << (c % 64);
    return m;
}

// 8 CPUs as an x86 server enumerates them: core k = {k, k + 4}; caches
// {0, 1, 4, 5} and {2, 3, 6, 7}. File scope: cmocka's longjmp skips destructors.
std::uint64_t sib8[8 * WORDS], llc8[8 * WORDS];
const CpuTopology topo8{8, WORDS, true, sib8, llc8};

void build_topo8()
{
    for (int cpu = 0; cpu < 8; cpu++) {
        const Masks s = mask_of({cpu % 4, cpu % 4 + 4});
        const Masks l = (cpu % 4) < 2 ? mask_of({0, 1, 4, 5}) : mask_of({2, 3, 6, 7});
        for (int w = 0; w < WORDS; w++) {
            sib8[cpu * WORDS + w] = s.w[w];
            llc8[cpu * WORDS + w] = l.w[w];
        }
    }
}

int pick(const CpuTopology &t, const Masks &idle, const Masks &allowed, int prev)
{
    std::uint64_t scratch[WORDS];
    return select_idle_cpu(t, idle.w, allowed.w, prev, scratch);
}

const Masks ALL8 = mask_of({0, 1, 2, 3, 4, 5, 6, 7});

} // namespace

static void select_idle__smt_apart__whole_core_before_idle_prev(void **)
{
    build_topo8();
    // prev 1 is idle but its sibling 5 is busy; core {3, 7} is wholly idle
    // (other cache), core {0, 4} is not (4 busy).
    assert_int_equal(pick(topo8, mask_of({0, 1, 3, 7}), ALL8, 1), 3);
    // A whole idle core in prev's cache wins over one in the other cache.
    assert_int_equal(pick(topo8, mask_of({1, 3, 7, 0, 4}), ALL8, 1), 4);
    // prev's own core wholly idle: prev.
    assert_int_equal(pick(topo8, mask_of({1, 5, 3, 7}), ALL8, 1), 1);
}

static void select_idle__no_whole_core__prev_then_same_cache(void **)
{
    build_topo8();
    // No whole idle core: prev if idle, else the same cache, else any.
    assert_int_equal(pick(topo8, mask_of({1, 2}), ALL8, 1), 1);
    assert_int_equal(pick(topo8, mask_of({0, 2}), ALL8, 1), 0);
    assert_int_equal(pick(topo8, mask_of({2}), ALL8, 1), 2);
    assert_int_equal(pick(topo8, mask_of({}), ALL8, 1), -1);
}

static void select_idle__affinity__whole_core_outside_ignored(void **)
{
    build_topo8();
    // Core {3, 7} is idle but the task may only use 0, 1 and 6.
    assert_int_equal(pick(topo8, mask_of({3, 7, 6}), mask_of({0, 1, 6}), 1), 6);
    // A whole core half allowed: its allowed CPU qualifies as a whole core.
    assert_int_equal(pick(topo8, mask_of({2, 3, 7}), mask_of({2, 7}), 1), 7);
    // Nothing idle that the task may use.
    assert_int_equal(pick(topo8, mask_of({3, 7}), mask_of({0, 1}), 1), -1);
    // prev out of range is treated as CPU 0.
    assert_int_equal(pick(topo8, mask_of({0, 2}), ALL8, 99), 0);
}

static void find_next_cpu__many_cpus__wraps_across_words(void **)
{
    const Masks bits = mask_of({3, 64, 129});
    const Masks odd = mask_of({3, 129});
    assert_int_equal(find_next_cpu(bits.w, nullptr, nullptr, 4, 130), 64);
    assert_int_equal(find_next_cpu(bits.w, odd.w, nullptr, 4, 130), 129);
    assert_int_equal(find_next_cpu(bits.w, nullptr, nullptr, 130, 130), 3); // out of range: from 0
    assert_int_equal(find_next_cpu(bits.w, odd.w, mask_of({3}).w, 100, 130), 3); // wraps
    assert_int_equal(find_next_cpu(bits.w, nullptr, nullptr, 0, 64), 3);
    assert_int_equal(find_next_cpu(mask_of({64}).w, nullptr, nullptr, 0, 64), -1); // beyond nr_cpus
    // An all-ones mask (a kernel without cache information) past nr_cpus.
    const Masks ones = {{~0ULL, ~0ULL, ~0ULL}};
    assert_int_equal(find_next_cpu(mask_of({5}).w, ones.w, nullptr, 6, 8), 5);
}

int main()
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(select_idle__smt_apart__whole_core_before_idle_prev),
        cmocka_unit_test(select_idle__no_whole_core__prev_then_same_cache),
        cmocka_unit_test(select_idle__affinity__whole_core_outside_ignored),
        cmocka_unit_test(find_next_cpu__many_cpus__wraps_across_words),
    };
    return cmocka_run_group_tests(tests, nullptr, nullptr);
}
