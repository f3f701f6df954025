// SPDX-License-Identifier: MIT
// The seccomp stages policy code runs under, each call tried in a forked
// child (filters cannot be removed): an allowed call returns, a forbidden
// one ends the child at once with the call counted and named in the record.
#include "contain/record.hpp"
#include "contain/sandbox.hpp"
#include "base/process.hpp"

#include <scx/loader.hpp>

#include <fcntl.h>
#include <pwd.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <memory>

#include "test.hpp"

using scx::sandbox::Stage;

namespace {

constexpr const char *WRITTEN = "/tmp/scx-hostile-written"; // what hostile_*_write/exec would create
std::unique_ptr<scx::contain::SharedRecord> g_rec;

std::string test_policy(const char *name) { return env_path("SCX_TEST_POLICIES") + "/" + name; }

// Run `action` in a child under the stage's filters (loading, or loading
// then running); its exit status (DENIED_EXIT when a call was refused).
template <typename F> int under(Stage stage, F &&action)
{
    g_rec->reset();
    auto child = scx::Subprocess::fork([&] {
        if (::prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
            return 100;
        if (!scx::sandbox::install_seccomp(&**g_rec, Stage::loading))
            return 101;
        if (stage == Stage::running && !scx::sandbox::install_seccomp(&**g_rec, Stage::running))
            return 102;
        return action();
    });
    if (!child)
        return -1;
    child->wait_for(-1);
    return child->status().code;
}

// The call the child was stopped for, "" if none.
std::string denied()
{
    if (!(*g_rec)->denied)
        return "";
    return scx::sandbox::syscall_name((*g_rec)->denied_nr);
}

} // namespace

static int setup(void **)
{
    auto r = scx::contain::SharedRecord::create();
    if (!r)
        return -1;
    g_rec = std::make_unique<scx::contain::SharedRecord>(std::move(*r));
    return 0;
}

static int teardown(void **)
{
    g_rec.reset();
    return 0;
}

static void loading__dlopen_allowed_writing_refused(void **)
{
    const std::string fifo = env_path("SCX_FIFO_SO");
    assert_int_equal(under(Stage::loading, [&] { return scx::LoadedPolicy::open(fifo) ? 0 : 1; }), 0);
    assert_str_equal(denied(), "");
    ::unlink(WRITTEN);
    assert_int_equal(under(Stage::loading, [] { return ::open(WRITTEN, O_WRONLY | O_CREAT, 0600) >= 0 ? 0 : 1; }),
                     scx::sandbox::DENIED_EXIT);
    assert_str_equal(denied(), "openat");
    assert_int_equal(::access(WRITTEN, F_OK), -1);
}

static void running__only_what_the_loop_needs(void **)
{
    // Even reading a file is refused once running.
    assert_int_equal(under(Stage::running, [] { return ::open("/etc/hostname", O_RDONLY) >= 0 ? 0 : 1; }),
                     scx::sandbox::DENIED_EXIT);
    assert_str_equal(denied(), "openat");
    // Mapping a descriptor: refused; anonymous memory: allowed, never executable.
    assert_int_equal(under(Stage::running, [] { return ::mmap(nullptr, 4096, PROT_READ, MAP_PRIVATE, 0, 0) ? 0 : 1; }),
                     scx::sandbox::DENIED_EXIT);
    assert_str_equal(denied(), "mmap");
    assert_int_equal(under(Stage::running,
                           [] {
                               void *p = ::mmap(nullptr, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
                               return p == MAP_FAILED ? 1 : 0;
                           }),
                     0);
    assert_int_equal(under(Stage::running,
                           [] {
                               void *p = ::mmap(nullptr, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
                               return ::mprotect(p, 4096, PROT_READ | PROT_EXEC);
                           }),
                     scx::sandbox::DENIED_EXIT);
    assert_str_equal(denied(), "mprotect");
    // The SIGSYS handler stays; other handlers may change.
    struct sigaction ignore {};
    ignore.sa_handler = SIG_IGN;
    assert_int_equal(under(Stage::running, [&] { return ::sigaction(SIGSYS, &ignore, nullptr); }),
                     scx::sandbox::DENIED_EXIT);
    assert_str_equal(denied(), "rt_sigaction");
    assert_int_equal(under(Stage::running, [&] { return ::sigaction(SIGUSR1, &ignore, nullptr); }), 0);
    // Signals to other processes, new processes, sockets: refused.
    assert_int_equal(under(Stage::running, [] { return ::kill(1, 0); }), scx::sandbox::DENIED_EXIT);
    assert_str_equal(denied(), "kill");
    assert_int_equal(under(Stage::running, [] { return ::syscall(SYS_socket, AF_UNIX, SOCK_STREAM, 0) >= 0 ? 0 : 1; }),
                     scx::sandbox::DENIED_EXIT);
    assert_str_equal(denied(), "socket");
    assert_int_equal(under(Stage::running, [] { return ::fork() >= 0 ? 0 : 1; }), scx::sandbox::DENIED_EXIT);
    assert_str_equal(denied(), "clone");
}

static void loading__hostile_constructor__refused(void **)
{
    for (const char *so : {"hostile_ctor_write.so", "hostile_ctor_exec.so"}) {
        ::unlink(WRITTEN);
        const std::string path = test_policy(so);
        assert_int_equal(under(Stage::loading, [&] { return scx::LoadedPolicy::open(path) ? 0 : 1; }),
                         scx::sandbox::DENIED_EXIT);
        assert_true((*g_rec)->denied >= 1);
        assert_int_equal(::access(WRITTEN, F_OK), -1);
    }
}

static void loading__constructor_stacks_filter__counted(void **)
{
    // A constructor may stack a filter of its own (this one turns seccomp()
    // into a no-op returning 0): a policy whose loading left more than the
    // loading filter in place is refused (contain::load_policy).
    for (const char *so : {"hostile_ctor_seccomp.so", "never_dispatch.so"}) {
        const std::string path = test_policy(so);
        const bool hostile = std::strncmp(so, "hostile", 7) == 0;
        assert_int_equal(under(Stage::loading,
                               [&] {
                                   if (!scx::LoadedPolicy::open(path))
                                       return 3;
                                   return scx::sandbox::seccomp_filter_count() == (hostile ? 2 : 1) ? 0 : 4;
                               }),
                         0);
    }
}

static void resolve_user__root_or_unknown__refused(void **)
{
    assert_false(scx::sandbox::resolve_user("root").ok());
    assert_false(scx::sandbox::resolve_user("0").ok());
    assert_false(scx::sandbox::resolve_user("1000:0").ok());
    assert_false(scx::sandbox::resolve_user("no-such-user-scxkit").ok());
    assert_int_equal(static_cast<int>(scx::sandbox::resolve_user("x:y").error().exit), 64);
}

static void resolve_user__default_and_numeric(void **)
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

int main()
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(loading__dlopen_allowed_writing_refused),
        cmocka_unit_test(running__only_what_the_loop_needs),
        cmocka_unit_test(loading__hostile_constructor__refused),
        cmocka_unit_test(loading__constructor_stacks_filter__counted),
        cmocka_unit_test(resolve_user__root_or_unknown__refused),
        cmocka_unit_test(resolve_user__default_and_numeric),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
