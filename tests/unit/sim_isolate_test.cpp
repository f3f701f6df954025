// SPDX-License-Identifier: MIT
// Supervised children: results come back, crashes and hangs are reported.
#include "contain/isolate.hpp"

#include <csignal>
#include <string>
#include <unistd.h>

#include "test.hpp"

static void run_isolated__returns__output_of_the_child(void **)
{
    auto r = scx::run_isolated(
        [](scx::ChildWatch &w) {
            w.set_label("worker");
            w.phase = 7;
            return std::string(100000, 'x') + std::to_string(getpid());
        },
        0);
    assert_true(r.ok());
    assert_int_equal(static_cast<int>(r->how), static_cast<int>(scx::ChildOutcome::How::exited));
    assert_int_equal(r->code, 0);
    // More than a pipe buffer of output, then the child's pid (not ours).
    assert_true(r->output.size() > 100000);
    assert_int_equal(r->output.find_first_not_of('x'), 100000);
    assert_true(r->output.substr(100000) != std::to_string(getpid()));
    assert_str_equal(r->label, "worker");
    assert_int_equal(r->phase, 7);
}

static void run_isolated__segfault__signal_reported(void **)
{
    auto r = scx::run_isolated(
        [](scx::ChildWatch &w) -> std::string {
            w.phase = 2;
            ::raise(SIGSEGV);
            return "unreachable";
        },
        0);
    assert_true(r.ok());
    assert_int_equal(static_cast<int>(r->how), static_cast<int>(scx::ChildOutcome::How::signaled));
    assert_int_equal(r->code, SIGSEGV);
    assert_int_equal(r->phase, 2);
}

static void run_isolated__no_progress__killed_as_hung(void **)
{
    auto r = scx::run_isolated(
        [](scx::ChildWatch &w) -> std::string {
            w.beat();
            for (;;)
                ::pause();
        },
        300 * 1000 * 1000ULL);
    assert_true(r.ok());
    assert_int_equal(static_cast<int>(r->how), static_cast<int>(scx::ChildOutcome::How::hung));
}

static void run_isolated__progress__not_killed(void **)
{
    // Busy for about 0.6 s but beating: longer than the 0.3 s timeout.
    auto r = scx::run_isolated(
        [](scx::ChildWatch &w) {
            for (int i = 0; i < 60; i++) {
                ::usleep(10000);
                w.beat();
            }
            return std::string("done");
        },
        300 * 1000 * 1000ULL);
    assert_true(r.ok());
    assert_int_equal(static_cast<int>(r->how), static_cast<int>(scx::ChildOutcome::How::exited));
    assert_str_equal(r->output, "done");
}

int main()
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(run_isolated__returns__output_of_the_child),
        cmocka_unit_test(run_isolated__segfault__signal_reported),
        cmocka_unit_test(run_isolated__no_progress__killed_as_hung),
        cmocka_unit_test(run_isolated__progress__not_killed),
    };
    return cmocka_run_group_tests(tests, nullptr, nullptr);
}
