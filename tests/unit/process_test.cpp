// SPDX-License-Identifier: MIT
// Child processes: captured output and exit status, timeouts and cancellation
// that stop the whole process group, background children.
#include "base/fs.hpp"
#include "base/process.hpp"

#include <chrono>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <dirent.h>
#include <fcntl.h>
#include <sys/resource.h>
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

static void run_process__env__added_on_top_of_the_callers(void **)
{
    // One variable replaced, one added, the rest inherited (PATH found sh).
    ::setenv("SCX_PROCESS_TEST_A", "old", 1);
    scx::ProcessOptions opt;
    opt.env = {"SCX_PROCESS_TEST_A=new", "SCX_PROCESS_TEST_B=b=c"};
    auto r = scx::run_process({"sh", "-c", "echo \"$SCX_PROCESS_TEST_A $SCX_PROCESS_TEST_B ${HOME:+home}\"; "
                                           "env | grep -c '^SCX_PROCESS_TEST_A='"},
                              opt);
    ::unsetenv("SCX_PROCESS_TEST_A");
    assert_true(r.ok());
    assert_str_equal(r->out, std::string("new b=c") + (std::getenv("HOME") ? " home" : "") + "\n1\n");
}

static void run_process__busy_child__cpu_time_reported(void **)
{
    auto r = scx::run_process({"sh", "-c", "i=0; while [ $i -lt 200000 ]; do i=$((i+1)); done"});
    assert_true(r.ok());
    assert_true(r->user_s + r->system_s > 0.01);
    assert_true(r->seconds >= r->user_s * 0.5);
}

static void subprocess__signalled__exits_and_reports(void **)
{
    auto c = scx::Subprocess::exec({"sleep", "30"});
    assert_true(c.ok());
    assert_true(c->running());
    assert_false(c->wait_for(50'000'000));
    c->signal(SIGINT);
    assert_true(c->wait_for(5'000'000'000LL));
    assert_false(c->running());
    assert_int_equal(c->status().signal, SIGINT);
    assert_int_equal(c->status().code, -1);
}

static void subprocess__output__goes_where_asked(void **)
{
    auto dir = scx::TempDir::create("scx-process-test");
    assert_true(dir.ok());
    const std::string out = dir->path() + "/out", err = dir->path() + "/err";
    {
        scx::UniqueFd o(::open(out.c_str(), O_WRONLY | O_CREAT | O_CLOEXEC, 0600));
        scx::UniqueFd e(::open(err.c_str(), O_WRONLY | O_CREAT | O_CLOEXEC, 0600));
        scx::SpawnOptions so;
        so.out = o.get();
        so.err = e.get();
        auto c = scx::Subprocess::exec({"sh", "-c", "echo hello; echo oops >&2; exit 4"}, so);
        assert_true(c.ok());
        assert_true(c->wait_for(5'000'000'000LL));
        assert_int_equal(c->status().code, 4);
    }
    assert_str_equal(*scx::read_file(out), "hello\n");
    assert_str_equal(*scx::read_file(err), "oops\n");
}

static void subprocess__missing_program__unavailable(void **)
{
    auto c = scx::Subprocess::exec({"scx-no-such-program-anywhere"});
    assert_false(c.ok());
    assert_int_equal(static_cast<int>(c.error().exit), 69);
}

static void subprocess__fork__exits_with_the_body_status(void **)
{
    int touched = 0;
    auto c = scx::Subprocess::fork([&] {
        touched = 1; // the child's copy
        return 7;
    });
    assert_true(c.ok());
    assert_true(c->wait_for(-1));
    assert_int_equal(c->status().code, 7);
    assert_int_equal(touched, 0);
}

static void subprocess__destroyed__kills_the_whole_group(void **)
{
    auto dir = scx::TempDir::create("scx-process-test");
    assert_true(dir.ok());
    const std::string pidfile = dir->path() + "/grandchild";
    {
        scx::SpawnOptions so;
        so.own_group = true;
        auto c = scx::Subprocess::exec({"sh", "-c", "sleep 30 & echo $! > " + pidfile + "; wait"}, so);
        assert_true(c.ok());
        for (int i = 0; i < 500 && !scx::read_file(pidfile).ok(); i++)
            ::usleep(10000);
        ::usleep(50000);
    }
    auto text = scx::read_file(pidfile);
    assert_true(text.ok());
    const pid_t grandchild = static_cast<pid_t>(std::atoi(text->c_str()));
    assert_true(grandchild > 0);
    bool gone = false;
    for (int i = 0; i < 200 && !gone; i++) {
        gone = ::kill(grandchild, 0) != 0;
        ::usleep(10000);
    }
    assert_true(gone);
}

static void subprocess__limits__set_in_the_child(void **)
{
    scx::ProcessOptions po;
    po.limits.no_core = true;
    po.limits.address_space = 512ULL << 20;
    po.limits.open_files = 40;
    auto r = scx::run_process({"sh", "-c", "ulimit -c; ulimit -v; ulimit -n"}, po);
    assert_true(r.ok());
    assert_int_equal(r->exit_code, 0);
    assert_str_equal(r->out.c_str(), "0\n524288\n40\n");
}

static int open_descriptors()
{
    int n = 0;
    if (DIR *d = ::opendir("/proc/self/fd")) {
        while (::readdir(d))
            n++;
        ::closedir(d);
    }
    return n;
}

// When no process can be created (here: RLIMIT_NPROC 0 for an unprivileged
// user), every way of starting one fails cleanly and leaves no descriptor
// behind (the kernel host's ready pipe leaked on this path once).
static void subprocess__fork_fails__no_descriptor_leaks(void **)
{
    auto probe = scx::Subprocess::fork([] {
        if (::geteuid() == 0 && (::setresgid(65534, 65534, 65534) != 0 || ::setresuid(65534, 65534, 65534) != 0))
            return 10;
        struct rlimit none = {0, 0};
        if (::setrlimit(RLIMIT_NPROC, &none) != 0)
            return 11;
        const int before = open_descriptors();
        auto a = scx::Subprocess::exec({"true"});
        auto b = scx::Subprocess::fork([] { return 0; });
        auto c = scx::run_process({"true"});
        if (a.ok() || b.ok() || c.ok())
            return 12;
        if (a.error().exit != scx::Exit::software || b.error().exit != scx::Exit::software)
            return 13;
        return open_descriptors() == before ? 0 : 14;
    });
    assert_true(probe.ok());
    assert_true(probe->wait_for(-1));
    assert_int_equal(probe->status().code, 0);
}

static void describe_signal__names_the_signal(void **)
{
    assert_non_null(std::strstr(scx::describe_signal(SIGSEGV).c_str(), "SIGSEGV"));
}

int main()
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(run_process__exit_status_and_output__captured),
        cmocka_unit_test(run_process__missing_program__unavailable),
        cmocka_unit_test(run_process__timeout__stops_the_whole_group),
        cmocka_unit_test(run_process__cancel_flag__stops_child),
        cmocka_unit_test(run_process__env__added_on_top_of_the_callers),
        cmocka_unit_test(run_process__busy_child__cpu_time_reported),
        cmocka_unit_test(subprocess__signalled__exits_and_reports),
        cmocka_unit_test(subprocess__output__goes_where_asked),
        cmocka_unit_test(subprocess__missing_program__unavailable),
        cmocka_unit_test(subprocess__fork__exits_with_the_body_status),
        cmocka_unit_test(subprocess__destroyed__kills_the_whole_group),
        cmocka_unit_test(subprocess__limits__set_in_the_child),
        cmocka_unit_test(subprocess__fork_fails__no_descriptor_leaks),
        cmocka_unit_test(describe_signal__names_the_signal),
    };
    return cmocka_run_group_tests(tests, nullptr, nullptr);
}
