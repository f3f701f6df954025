// SPDX-License-Identifier: MIT
// The parts of the kernel backend that need no kernel: support checks and
// exit kinds.
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

void kernel_exit__one_taxonomy(void **)
{
    scx::kernel::ExitInfo e;
    e.kind = 1026;
    e.reason = "runnable task stall";
    assert_int_equal(static_cast<int>(scx::kernel::kernel_exit(e).kind), static_cast<int>(scx::ExitKind::stall));
    e.kind = 1024; // SCX_EXIT_ERROR: the scheduler did something invalid
    assert_int_equal(static_cast<int>(scx::kernel::kernel_exit(e).kind), static_cast<int>(scx::ExitKind::error));
    e.kind = 67; // sysrq-S
    e.reason = "";
    const auto x = scx::kernel::kernel_exit(e);
    assert_int_equal(static_cast<int>(x.kind), static_cast<int>(scx::ExitKind::ejected));
    assert_str_equal(x.reason, "sysrq");
}

} // namespace

int main()
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(check_support__no_sched_ext__unavailable_naming_config),
        cmocka_unit_test(check_support__no_btf__unavailable_naming_config),
        cmocka_unit_test(check_support__scheduler_running__unavailable),
        cmocka_unit_test(exit_info__kinds_and_restart),
        cmocka_unit_test(kernel_exit__one_taxonomy),
    };
    return cmocka_run_group_tests(tests, nullptr, nullptr);
}
