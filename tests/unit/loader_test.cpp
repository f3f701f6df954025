// SPDX-License-Identifier: MIT
#include <scx/loader.hpp>
#include <scx/test_backend.hpp>

#include "test.hpp"

static std::string policy(const char *name) { return env_path("SCX_TEST_POLICIES") + "/" + name; }

static void open__fifo__named_and_usable(void **)
{
    auto lp = scx::LoadedPolicy::open(env_path("SCX_FIFO_SO"));
    assert_true(lp.ok());
    assert_str_equal(lp->name(), "fifo");
    scx::testing::ScriptedContext ctx(2);
    ctx.queue(scx::testing::ScriptedContext::make_task(1));
    assert_true(lp->init(ctx).ok());
    assert_true(lp->schedule(ctx).ok());
    assert_int_equal(ctx.dispatches().size(), 1);
}

static void open__missing_file__no_input(void **)
{
    auto lp = scx::LoadedPolicy::open("/nonexistent/policy.so");
    assert_false(lp.ok());
    assert_int_equal(static_cast<int>(lp.error().exit), 66);
    assert_non_null(std::strstr(lp.error().message.c_str(), "No such file"));
}

static void open__not_elf__data_error(void **)
{
    auto lp = scx::LoadedPolicy::open(env_path("SCX_TEST_DATA") + "/gcc-link.txt");
    assert_false(lp.ok());
    assert_int_equal(static_cast<int>(lp.error().exit), 65);
    assert_non_null(std::strstr(lp.error().message.c_str(), "not a shared object"));
}

static void open__wrong_abi__names_both_versions(void **)
{
    auto lp = scx::LoadedPolicy::open(policy("wrong_abi.so"));
    assert_false(lp.ok());
    assert_int_equal(static_cast<int>(lp.error().exit), 65);
    assert_non_null(std::strstr(lp.error().message.c_str(), "ABI 999"));
    assert_non_null(std::strstr(lp.error().message.c_str(), "uses ABI 2"));
}

static void open__no_entry_point__explains_registration(void **)
{
    auto lp = scx::LoadedPolicy::open(policy("no_entry.so"));
    assert_false(lp.ok());
    assert_int_equal(static_cast<int>(lp.error().exit), 65);
    assert_non_null(std::strstr(lp.error().message.c_str(), "SCX_POLICY"));
}

static void open__undefined_symbol__named(void **)
{
    auto lp = scx::LoadedPolicy::open(policy("undefined_symbol.so"));
    assert_false(lp.ok());
    assert_int_equal(static_cast<int>(lp.error().exit), 65);
    assert_non_null(std::strstr(lp.error().message.c_str(), "undefined symbol"));
    assert_non_null(std::strstr(lp.error().message.c_str(), "scx_test_symbol_defined_nowhere"));
}

static void schedule__policy_throws__error_not_crash(void **)
{
    auto lp = scx::LoadedPolicy::open(policy("throws.so"));
    assert_true(lp.ok());
    scx::testing::ScriptedContext ctx(1);
    ctx.queue(scx::testing::ScriptedContext::make_task(7));
    auto r = lp->schedule(ctx);
    assert_false(r.ok());
    assert_int_equal(static_cast<int>(r.error().exit), 1);
    assert_non_null(std::strstr(r.error().message.c_str(), "deliberate failure"));
}

int main()
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(open__fifo__named_and_usable),
        cmocka_unit_test(open__missing_file__no_input),
        cmocka_unit_test(open__not_elf__data_error),
        cmocka_unit_test(open__wrong_abi__names_both_versions),
        cmocka_unit_test(open__no_entry_point__explains_registration),
        cmocka_unit_test(open__undefined_symbol__named),
        cmocka_unit_test(schedule__policy_throws__error_not_crash),
    };
    return cmocka_run_group_tests(tests, nullptr, nullptr);
}
