// SPDX-License-Identifier: MIT
// CPU sets, topology and the default idle-CPU selection; the event queue.
#include "sim/sim.hpp"

#include "sim/event_queue.hpp"
#include "sim/topology.hpp"
#include "test.hpp"

using scx::sim::detail::CpuSet;
using scx::sim::detail::MinTree;
using scx::sim::detail::Topology;

namespace {

scx::sim::Machine machine(int cpus, int smt, int llc)
{
    scx::sim::Machine m;
    m.cpus = cpus;
    m.smt = smt;
    m.llc = llc;
    return m;
}

CpuSet set_of(int nr, std::initializer_list<int> cpus)
{
    CpuSet s(nr);
    for (int c : cpus)
        s.set(c);
    return s;
}

} // namespace

// The search itself is find_next_cpu's (idle_select_test).
static void cpuset__words__count_and_masked_search(void **)
{
    const CpuSet a = set_of(130, {3, 64, 129});
    const CpuSet b = set_of(130, {3, 129});
    assert_int_equal(a.count(), 3);
    assert_int_equal(a.find_next_and(&b, nullptr, 4), 129);
}

static void select_idle__prev_idle__keeps_prev(void **)
{
    Topology t(machine(4, 1, 0));
    CpuSet idle = set_of(4, {1, 2});
    assert_int_equal(t.select_idle(idle, CpuSet::all(4), 2), 2);
    assert_false(idle.test(2)); // taken
    assert_int_equal(t.select_idle(idle, CpuSet::all(4), 2), 1);
    assert_int_equal(t.select_idle(idle, CpuSet::all(4), 2), -1);
}

static void select_idle__smt__whole_idle_core_first(void **)
{
    // Cores {0,1} {2,3} {4,5}: CPU 0 busy, so CPU 1 is idle but its core is
    // not; cores {2,3} and {4,5} are wholly idle.
    Topology t(machine(6, 2, 0));
    CpuSet idle = set_of(6, {1, 2, 3, 4, 5});
    const int cpu = t.select_idle(idle, CpuSet::all(6), 1);
    assert_true(cpu >= 2);
    assert_int_equal(t.core_of(cpu) == 1 || t.core_of(cpu) == 2, 1);
    // With no whole core left, the previous CPU.
    CpuSet idle2 = set_of(6, {1, 3});
    assert_int_equal(t.select_idle(idle2, CpuSet::all(6), 1), 1);
}

static void select_idle__llc__same_cache_before_other_cache(void **)
{
    // Two caches of 4 CPUs; prev 1 busy; idle 3 (same cache) and 6.
    Topology t(machine(8, 1, 4));
    CpuSet idle = set_of(8, {3, 6});
    assert_int_equal(t.select_idle(idle, CpuSet::all(8), 1), 3);
    assert_int_equal(t.select_idle(idle, CpuSet::all(8), 1), 6);
}

static void select_idle__affinity__only_allowed_cpus(void **)
{
    Topology t(machine(4, 1, 0));
    CpuSet idle = set_of(4, {0, 1});
    const CpuSet allowed = set_of(4, {2, 3});
    assert_int_equal(t.select_idle(idle, allowed, 0), -1);
    assert_true(idle.test(0) && idle.test(1)); // nothing taken
}

static void mintree__updates__earliest_time_then_lowest_slot(void **)
{
    MinTree q;
    q.init(5);
    assert_int_equal(q.top(), scx::sim::detail::NEVER);
    q.set(3, 100);
    q.set(1, 100);
    q.set(4, 50);
    assert_int_equal(MinTree::slot_of(q.top()), 4);
    assert_int_equal(MinTree::time_of(q.top()), 50);
    q.set(4, scx::sim::detail::NEVER);
    assert_int_equal(MinTree::slot_of(q.top()), 1); // tie at 100: lower slot
    q.set(1, 200);
    assert_int_equal(MinTree::slot_of(q.top()), 3);
    q.set(3, 300);
    assert_int_equal(MinTree::slot_of(q.top()), 1);
    q.set(0, 250);
    q.set(1, 260);
    assert_int_equal(MinTree::slot_of(q.top()), 0);
}

static void timers__same_time__creation_order(void **)
{
    scx::sim::detail::TimerHeap h;
    h.push(10, scx::sim::detail::TimerKind::wake, 1);
    h.push(5, scx::sim::detail::TimerKind::wake, 2);
    h.push(10, scx::sim::detail::TimerKind::wake, 3);
    assert_int_equal(h.pop().id, 2);
    assert_int_equal(h.pop().id, 1);
    assert_int_equal(h.pop().id, 3);
    assert_true(h.empty());
}

static void dsq__vtime_then_fifo__pop_first_skips_disallowed(void **)
{
    scx::sim::detail::Dsq q;
    q.push(5, 0, 10);
    q.push(1, 1, 11);
    q.push(5, 2, 12);
    q.push(1, 3, 13);
    scx::sim::detail::DsqEntry e{};
    assert_true(q.pop_first([](std::uint32_t t) { return t != 11; }, e));
    assert_int_equal(e.task, 13); // 11 is first but not allowed
    assert_int_equal(q.pop().task, 11);
    assert_int_equal(q.pop().task, 10);
    assert_int_equal(q.pop().task, 12);
    assert_false(q.pop_first([](std::uint32_t) { return true; }, e));
}

int main()
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(cpuset__words__count_and_masked_search),
        cmocka_unit_test(select_idle__prev_idle__keeps_prev),
        cmocka_unit_test(select_idle__smt__whole_idle_core_first),
        cmocka_unit_test(select_idle__llc__same_cache_before_other_cache),
        cmocka_unit_test(select_idle__affinity__only_allowed_cpus),
        cmocka_unit_test(mintree__updates__earliest_time_then_lowest_slot),
        cmocka_unit_test(timers__same_time__creation_order),
        cmocka_unit_test(dsq__vtime_then_fifo__pop_first_skips_disallowed),
    };
    return cmocka_run_group_tests(tests, nullptr, nullptr);
}
