// SPDX-License-Identifier: MIT
#include "loop/build.hpp"
#include "base/fs.hpp"

#include "test.hpp"

static void registers_policy__plain_use__found(void **)
{
    assert_true(scx::registers_policy("struct P : scx::Policy {};\nSCX_POLICY(P, \"p\")\n"));
    assert_true(scx::registers_policy("SCX_POLICY (P, \"p\")"));
}

static void registers_policy__only_in_comment_or_string__not_found(void **)
{
    assert_false(scx::registers_policy("// SCX_POLICY(P, \"p\")\nint x;"));
    assert_false(scx::registers_policy("/* SCX_POLICY(P, \"p\") */ int x;"));
    assert_false(scx::registers_policy("const char *s = \"SCX_POLICY(P, x)\";"));
    assert_false(scx::registers_policy("MY_SCX_POLICY(P, \"p\")"));
    assert_false(scx::registers_policy("#define SCX_POLICY(a, b) nothing\n"));
    assert_false(scx::registers_policy(""));
}

static void policy_name_in__registration__returns_name(void **)
{
    assert_str_equal(scx::policy_name_in("SCX_POLICY(Fifo, \"fifo\")"), "fifo");
    assert_str_equal(scx::policy_name_in("// SCX_POLICY(A, \"a\")\nSCX_POLICY(B,\n  \"bee\")"), "bee");
    assert_str_equal(scx::policy_name_in("SCX_POLICY(NoName)"), "");
}

static void build__syntax_error__diagnostic_on_right_line(void **)
{
    auto tmp = scx::TempDir::create("build-test");
    assert_true(tmp.ok());
    const std::string src = tmp->path() + "/p.cpp";
    const std::string so = tmp->path() + "/p.so";
    assert_true(scx::write_file_atomic(src, "#include <scx/policy.hpp>\n"
                                            "struct P : scx::Policy {\n"
                                            "    void schedule(scx::Context &ctx) override {\n"
                                            "        while (auto t = ctx.dequeue()) ctx.dispatch(scx::Dispatch(*t))\n"
                                            "    }\n"
                                            "};\n"
                                            "SCX_POLICY(P, \"p\")\n")
                    .ok());
    scx::BuildConfig cfg = scx::default_build_config();
    cfg.cache_dir.clear();
    auto rep = scx::build_policy({src, so, {}, false}, cfg);
    assert_true(rep.ok());
    assert_false(rep->ok);
    assert_false(scx::file_exists(so));
    assert_true(scx::count_severity(rep->diagnostics, "error") >= 1);
    const auto &d = rep->diagnostics[0];
    assert_str_equal(d.file, src);
    assert_true(d.line == 4 || d.line == 5);
    assert_false(d.source_line.empty());
}

int main()
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(registers_policy__plain_use__found),
        cmocka_unit_test(registers_policy__only_in_comment_or_string__not_found),
        cmocka_unit_test(policy_name_in__registration__returns_name),
        cmocka_unit_test(build__syntax_error__diagnostic_on_right_line),
    };
    return cmocka_run_group_tests(tests, nullptr, nullptr);
}
