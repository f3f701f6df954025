// SPDX-License-Identifier: MIT
// The parts of the kernel backend that need no kernel: support checks, exit
// kinds, user resolution and the JSON documents.
#include "kernel/host.hpp"
#include <scx/loader.hpp>
#include "contain/sandbox.hpp"

#include <fcntl.h>
#include <pwd.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "test.hpp"

namespace {

// The seccomp stages, tested in a forked child (filters cannot be removed):
// it exits with 0 when every check held, or the number of the first that
// failed. The Violation block is shared so the parent could read it too.
constexpr const char *WRITTEN = "/tmp/scx-hostile-written"; // what hostile_*_write/exec would create

template <typename F> int in_sandboxed_child(F &&checks)
{
    auto *v = static_cast<scx::sandbox::Violation *>(
        ::mmap(nullptr, sizeof(scx::sandbox::Violation), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0));
    if (v == MAP_FAILED)
        return -1;
    const pid_t pid = ::fork();
    if (pid == 0) {
        if (::prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
            ::_exit(100);
        ::_exit(checks(v));
    }
    int status = 0;
    ::waitpid(pid, &status, 0);
    ::munmap(v, sizeof *v);
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

std::string test_policy(const char *name) { return env_path("SCX_TEST_POLICIES") + "/" + name; }

void sandbox__loading_stage__dlopen_works_then_running_stage_denies(void **)
{
    const std::string fifo = env_path("SCX_FIFO_SO");
    ::unlink(WRITTEN);
    const int rc = in_sandboxed_child([&](scx::sandbox::Violation *v) {
        using scx::sandbox::Stage;
        if (!scx::sandbox::install_seccomp(v, Stage::loading))
            return 1;
        auto lp = scx::LoadedPolicy::open(fifo); // opens, maps code: allowed
        if (!lp || v->count != 0)
            return 2;
        if (::open(WRITTEN, O_WRONLY | O_CREAT, 0600) >= 0 || errno != EPERM || v->count != 1)
            return 3; // writing a file: denied while loading
        if (auto r = scx::sandbox::install_seccomp(v, Stage::running); !r) {
            std::fprintf(stderr, "# %s (denied: %d, first %d)\n", r.error().message.c_str(), (int)v->count, v->first_nr);
            return 4;
        }
        if (::open("/etc/hostname", O_RDONLY) >= 0 || errno != EPERM || v->count != 2)
            return 5; // even reading: denied once running
        const int devnull = 0; // stdin: mapping a descriptor is denied once running
        if (::mmap(nullptr, 4096, PROT_READ, MAP_PRIVATE, devnull, 0) != MAP_FAILED || v->count != 3)
            return 6;
        void *anon = ::mmap(nullptr, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        if (anon == MAP_FAILED || v->count != 3)
            return 7; // anonymous memory: allowed
        if (::mprotect(anon, 4096, PROT_READ | PROT_EXEC) == 0 || v->count != 4)
            return 8; // never executable
        struct sigaction ignore {};
        ignore.sa_handler = SIG_IGN;
        if (::sigaction(SIGSYS, &ignore, nullptr) == 0 || v->count != 5)
            return 9; // the SIGSYS handler stays
        if (::sigaction(SIGUSR1, &ignore, nullptr) != 0 || v->count != 5)
            return 10; // other signals: allowed
        if (::kill(1, 0) == 0 || v->count != 6)
            return 11; // signals to other processes: denied
        return 0;
    });
    assert_int_equal(rc, 0);
    assert_int_equal(::access(WRITTEN, F_OK), -1);
}

void sandbox__hostile_constructor__denied_while_loading(void **)
{
    for (const char *so : {"hostile_ctor_write.so", "hostile_ctor_exec.so"}) {
        ::unlink(WRITTEN);
        const std::string path = test_policy(so);
        const int rc = in_sandboxed_child([&](scx::sandbox::Violation *v) {
            if (!scx::sandbox::install_seccomp(v, scx::sandbox::Stage::loading))
                return 1;
            auto lp = scx::LoadedPolicy::open(path);
            if (!lp)
                return 2;
            return v->count >= 1 ? 0 : 3; // the constructor ran, its call was refused
        });
        assert_int_equal(rc, 0);
        assert_int_equal(::access(WRITTEN, F_OK), -1);
    }
}

void sandbox__constructor_stacks_filter__counted(void **)
{
    // A constructor may stack a filter of its own (this one turns seccomp()
    // into a no-op returning 0): the worker refuses a policy whose loading
    // left more than the loading filter in place.
    for (const char *so : {"hostile_ctor_seccomp.so", "never_dispatch.so"}) {
        const std::string path = test_policy(so);
        const bool hostile = std::strncmp(so, "hostile", 7) == 0;
        const int rc = in_sandboxed_child([&](scx::sandbox::Violation *v) {
            if (scx::sandbox::seccomp_filter_count() != 0)
                return 1;
            if (!scx::sandbox::install_seccomp(v, scx::sandbox::Stage::loading))
                return 2;
            if (!scx::LoadedPolicy::open(path))
                return 3;
            return scx::sandbox::seccomp_filter_count() == (hostile ? 2 : 1) ? 0 : 4;
        });
        assert_int_equal(rc, 0);
    }
}

scx::kernel::Support support(bool scx, bool btf, const char *state)
{
    scx::kernel::Support s;
    s.sched_ext = scx;
    s.btf = btf;
    s.state = state;
    s.release = "6.1.0-test";
    return s;
}

void check_support__no_sched_ext__unavailable_naming_config(void **)
{
    auto r = scx::kernel::check_support(support(false, true, ""));
    assert_false(r.ok());
    assert_int_equal(static_cast<int>(r.error().exit), 69);
    assert_non_null(std::strstr(r.error().message.c_str(), "CONFIG_SCHED_CLASS_EXT"));
    assert_non_null(std::strstr(r.error().message.c_str(), "6.1.0-test"));
}

void check_support__no_btf__unavailable_naming_config(void **)
{
    auto r = scx::kernel::check_support(support(true, false, "disabled"));
    assert_false(r.ok());
    assert_non_null(std::strstr(r.error().message.c_str(), "CONFIG_DEBUG_INFO_BTF"));
}

void check_support__scheduler_running__unavailable(void **)
{
    auto s = support(true, true, "enabled");
    s.ops = "scx_rustland";
    auto r = scx::kernel::check_support(s);
    assert_false(r.ok());
    assert_non_null(std::strstr(r.error().message.c_str(), "scx_rustland"));
    assert_true(scx::kernel::check_support(support(true, true, "disabled")).ok());
}

void exit_info__kinds_and_restart(void **)
{
    scx::kernel::ExitInfo e;
    e.kind = 1026;
    assert_string_equal(e.kind_name().c_str(), "stall");
    e.kind = 67;
    assert_string_equal(e.kind_name().c_str(), "sysrq");
    e.kind = 66;
    e.code = static_cast<std::int64_t>((1ULL << 48) | (1ULL << 32));
    assert_true(e.restart());
    e.code = 0;
    assert_false(e.restart());
    e.kind = 2000;
    assert_string_equal(e.kind_name().c_str(), "error-2000");
}

void resolve_user__root_or_unknown__refused(void **)
{
    assert_false(scx::sandbox::resolve_user("root").ok());
    assert_false(scx::sandbox::resolve_user("0").ok());
    assert_false(scx::sandbox::resolve_user("1000:0").ok());
    assert_false(scx::sandbox::resolve_user("no-such-user-scxkit").ok());
    assert_int_equal(static_cast<int>(scx::sandbox::resolve_user("x:y").error().exit), 64);
}

void resolve_user__default_and_numeric(void **)
{
    // The account "nobody" when it exists, else uid/gid 65534.
    auto d = scx::sandbox::resolve_user("");
    assert_true(d.ok());
    const struct passwd *pw = ::getpwnam("nobody");
    assert_int_equal(d->uid, pw ? pw->pw_uid : 65534);
    assert_int_equal(d->gid, pw ? pw->pw_gid : 65534);
    assert_str_equal(d->name, "nobody");
    auto n = scx::sandbox::resolve_user("4321:8765");
    assert_true(n.ok());
    assert_int_equal(n->uid, 4321);
    assert_int_equal(n->gid, 8765);
}

void report_json__has_the_run_schema(void **)
{
    scx::kernel::RunReport r;
    r.policy = "fifo";
    r.policy_path = "fifo.so";
    r.exit.kind = "stall";
    r.exit.code = 1026;
    r.exit.reason = "runnable task stall";
    r.duration_s = 2.0;
    r.stats.counters.nr_user_dispatches = 100;
    const std::string s = scx::json::dump(scx::kernel::report_json(r).get(), false);
    for (const char *want : {"\"schema\":\"scxkit.run/1\"", "\"type\":\"final\"", "\"mode\":\"kernel\"",
                             "\"kind\":\"stall\"", "\"reason\":\"runnable task stall\"",
                             "\"nr_user_dispatches\":100", "\"decisions_per_s\":50", "\"nr_congestion\":0"})
        assert_non_null(std::strstr(s.c_str(), want));
    assert_true(r.failed());
}

void stats_json__is_a_stats_line(void **)
{
    scx::kernel::StatsLine l;
    l.time_s = 1.5;
    l.stats.counters.nr_running = 2;
    const std::string s = scx::json::dump(scx::kernel::stats_json(l).get(), false);
    assert_non_null(std::strstr(s.c_str(), "\"type\":\"stats\""));
    assert_non_null(std::strstr(s.c_str(), "\"time_s\":1.5"));
    assert_non_null(std::strstr(s.c_str(), "\"nr_running\":2"));
}

} // namespace

int main()
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(check_support__no_sched_ext__unavailable_naming_config),
        cmocka_unit_test(check_support__no_btf__unavailable_naming_config),
        cmocka_unit_test(check_support__scheduler_running__unavailable),
        cmocka_unit_test(exit_info__kinds_and_restart),
        cmocka_unit_test(resolve_user__root_or_unknown__refused),
        cmocka_unit_test(resolve_user__default_and_numeric),
        cmocka_unit_test(report_json__has_the_run_schema),
        cmocka_unit_test(stats_json__is_a_stats_line),
        cmocka_unit_test(sandbox__loading_stage__dlopen_works_then_running_stage_denies),
        cmocka_unit_test(sandbox__hostile_constructor__denied_while_loading),
        cmocka_unit_test(sandbox__constructor_stacks_filter__counted),
    };
    return cmocka_run_group_tests(tests, nullptr, nullptr);
}
