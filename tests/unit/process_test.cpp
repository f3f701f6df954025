// SPDX-License-Identifier: MIT
// Child processes: captured output and exit status, timeouts and cancellation
// that stop the whole process group, background children.
#include "base/fs.hpp"
#include "base/process.hpp"

#include <chrono>
#include <csignal>
#include <unistd.h>

#include "test.hpp"

static volatile std::sig_atomic_t g_cancel = 0;

static void run_process__exit_status_and_output__captured(void **)
{
    auto r = scx::run_process({"sh", "-c", "echo out; echo err >&2; exit 3"});
    assert_true(r.ok());
    assert_int_equal(r->exit_code, 3);
    assert_str_equal(r->out, "out\n");
    assert_str_equal(r->err, "err\n");
    assert_false(r->timed_out);
}

static void run_process__missing_program__unavailable(void **)
{
    auto r = scx::run_process({"scx-no-such-program-anywhere"});
    assert_false(r.ok());
    assert_int_equal(static_cast<int>(r.error().exit), 69);
    assert_non_null(std::strstr(r.error().message.c_str(), "No such file"));
}

static void run_process__timeout__stops_the_whole_group(void **)
{
    // The grandchild keeps stdout open: only killing the group ends the run.
    scx::ProcessOptions opt;
    opt.timeout_ns = 200'000'000;
    opt.own_group = true;
    const auto t0 = std::chrono::steady_clock::now();
    auto r = scx::run_process({"sh", "-c", "sleep 30 & sleep 30"}, opt);
    const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    assert_true(r.ok());
    assert_true(r->timed_out);
    assert_int_equal(r->term_signal, SIGTERM);
    assert_true(s < 5.0);
}

static void run_process__cancel_flag__stops_child(void **)
{
    scx::ProcessOptions opt;
    opt.cancel = &g_cancel;
    opt.own_group = true;
    g_cancel = 1;
    auto r = scx::run_process({"sleep", "30"}, opt);
    g_cancel = 0;
    assert_true(r.ok());
    assert_true(r->cancelled);
    assert_int_equal(r->exit_code, -1);
}

static void run_process__busy_child__cpu_time_reported(void **)
{
    auto r = scx::run_process({"sh", "-c", "i=0; while [ $i -lt 200000 ]; do i=$((i+1)); done"});
    assert_true(r.ok());
    assert_true(r->user_s + r->system_s > 0.01);
    assert_true(r->seconds >= r->user_s * 0.5);
}

static void child__signalled__exits_and_reports(void **)
{
    auto c = scx::Child::spawn({"sleep", "30"}, "", "");
    assert_true(c.ok());
    assert_true(c->running());
    assert_false(c->wait_for(50'000'000));
    c->signal(SIGINT);
    assert_true(c->wait_for(5'000'000'000LL));
    assert_false(c->running());
    assert_int_equal(c->term_signal(), SIGINT);
}

static void child__output__goes_to_files(void **)
{
    auto dir = scx::TempDir::create("scx-process-test");
    assert_true(dir.ok());
    const std::string out = dir->path() + "/out", err = dir->path() + "/err";
    {
        auto c = scx::Child::spawn({"sh", "-c", "echo hello; echo oops >&2; exit 4"}, out, err);
        assert_true(c.ok());
        assert_true(c->wait_for(5'000'000'000LL));
        assert_int_equal(c->exit_code(), 4);
    }
    assert_str_equal(*scx::read_file(out), "hello\n");
    assert_str_equal(*scx::read_file(err), "oops\n");
}

static void child__missing_program__unavailable(void **)
{
    auto c = scx::Child::spawn({"scx-no-such-program-anywhere"}, "", "");
    assert_false(c.ok());
    assert_int_equal(static_cast<int>(c.error().exit), 69);
}

int main()
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(run_process__exit_status_and_output__captured),
        cmocka_unit_test(run_process__missing_program__unavailable),
        cmocka_unit_test(run_process__timeout__stops_the_whole_group),
        cmocka_unit_test(run_process__cancel_flag__stops_child),
        cmocka_unit_test(run_process__busy_child__cpu_time_reported),
        cmocka_unit_test(child__signalled__exits_and_reports),
        cmocka_unit_test(child__output__goes_to_files),
        cmocka_unit_test(child__missing_program__unavailable),
    };
    return cmocka_run_group_tests(tests, nullptr, nullptr);
}
