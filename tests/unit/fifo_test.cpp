// SPDX-License-Identifier: MIT
// The base FIFO policy against the in-process test backend.
#include <scx/loader.hpp>
#include <scx/test_backend.hpp>

#include <memory>

#include "test.hpp"

namespace {
std::unique_ptr<scx::LoadedPolicy> fifo;
}

static int load(void **)
{
    auto lp = scx::LoadedPolicy::open(env_path("SCX_FIFO_SO"));
    if (!lp)
        return -1;
    fifo = std::make_unique<scx::LoadedPolicy>(std::move(lp).value());
    return 0;
}

static int unload(void **)
{
    fifo.reset();
    return 0;
}

static void schedule__all_busy__every_task_to_shared_queue_in_order(void **)
{
    scx::testing::ScriptedContext ctx(4);
    ctx.set_all_idle(false);
    for (int pid = 100; pid < 110; pid++)
        ctx.queue(scx::testing::ScriptedContext::make_task(pid, pid % 4));
    assert_true(fifo->schedule(ctx).ok());
    assert_int_equal(ctx.waiting(), 0);
    assert_int_equal(ctx.outstanding(), 0);
    assert_int_equal(ctx.dispatches().size(), 10);
    for (int i = 0; i < 10; i++) {
        const auto &d = ctx.dispatches()[static_cast<size_t>(i)];
        assert_int_equal(d.pid, 100 + i);
        assert_int_equal(d.cpu, scx::ANY_CPU);
        assert_int_equal(d.slice_ns, 5 * scx::NSEC_PER_MSEC);
        assert_int_equal(d.vtime, 0);
    }
}

static void schedule__idle_cpus__used_first_then_shared_queue(void **)
{
    scx::testing::ScriptedContext ctx(4);
    ctx.set_all_idle(false);
    ctx.set_idle(2, true);
    ctx.set_idle(3, true);
    ctx.queue(scx::testing::ScriptedContext::make_task(1, 3)); // prev CPU 3 idle: stays there
    ctx.queue(scx::testing::ScriptedContext::make_task(2, 0)); // CPU 0 busy: takes CPU 2
    ctx.queue(scx::testing::ScriptedContext::make_task(3, 1)); // nothing idle left
    assert_true(fifo->schedule(ctx).ok());
    assert_int_equal(ctx.dispatches().size(), 3);
    assert_int_equal(ctx.dispatches()[0].cpu, 3);
    assert_int_equal(ctx.dispatches()[1].cpu, 2);
    assert_int_equal(ctx.dispatches()[2].cpu, scx::ANY_CPU);
    assert_false(ctx.is_idle(2));
    assert_false(ctx.is_idle(3));
}

static void schedule__nothing_queued__no_dispatch_no_pending(void **)
{
    scx::testing::ScriptedContext ctx(2);
    assert_true(fifo->schedule(ctx).ok());
    assert_int_equal(ctx.dispatches().size(), 0);
    assert_int_equal(ctx.pending(), 0);
}

static void dispatch__seq_copied__decisions_accepted(void **)
{
    // Dispatch(task) carries the task's seq; the backend rejects a decision
    // without it, so every accepted dispatch proves the policy used it.
    scx::testing::ScriptedContext ctx(1);
    ctx.set_all_idle(false);
    ctx.queue(scx::testing::ScriptedContext::make_task(5));
    assert_true(fifo->schedule(ctx).ok());
    assert_int_equal(ctx.counters().nr_failed_dispatches, 0);
    assert_int_equal(ctx.counters().nr_user_dispatches, 1);
}

int main()
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(schedule__all_busy__every_task_to_shared_queue_in_order),
        cmocka_unit_test(schedule__idle_cpus__used_first_then_shared_queue),
        cmocka_unit_test(schedule__nothing_queued__no_dispatch_no_pending),
        cmocka_unit_test(dispatch__seq_copied__decisions_accepted),
    };
    return cmocka_run_group_tests(tests, load, unload);
}
