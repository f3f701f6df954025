// SPDX-License-Identifier: MIT
#include "loop/extract.hpp"

#include "test.hpp"

namespace {

const char *const POLICY = "#include <scx/policy.hpp>\n"
                           "struct P : scx::Policy {\n"
                           "    void schedule(scx::Context &ctx) override { while (auto t = ctx.dequeue()) ctx.dispatch(scx::Dispatch(*t)); }\n"
                           "};\n"
                           "SCX_POLICY(P, \"p\")\n";

std::string fence(const std::string &tag, const std::string &code) { return "```" + tag + "\n" + code + "```\n"; }

} // namespace

static void extract__tagged_fence_with_prose__code_only(void **)
{
    for (const char *tag : {"cpp", "c++", "cc", "cxx", "C++", "", "cpp title=p.cpp"}) {
        auto r = scx::extract_policy("Here you go:\n\n" + fence(tag, POLICY) + "\nThis uses a FIFO.\n");
        assert_true(r.ok());
        assert_str_equal(r->code, POLICY);
        assert_str_equal(r->method, "fence");
        assert_int_equal(r->block, 1);
        assert_int_equal(r->blocks, 1);
    }
}

static void extract__several_fences__the_one_registering_a_policy(void **)
{
    const std::string reply = "Change:\n" + fence("cpp", "d.vtime = 1;\n") + "Whole file:\n" + fence("cpp", POLICY) +
                              "Build:\n" + fence("sh", "scx-build p.cpp\n");
    auto r = scx::extract_policy(reply);
    assert_true(r.ok());
    assert_str_equal(r->code, POLICY);
    assert_int_equal(r->block, 2);
    assert_int_equal(r->blocks, 3);
}

static void extract__two_full_versions__the_last_wins(void **)
{
    std::string second = POLICY;
    second.replace(second.find("\"p\""), 3, "\"q\"");
    auto r = scx::extract_policy(fence("cpp", POLICY) + "Better:\n" + fence("cpp", second));
    assert_true(r.ok());
    assert_non_null(std::strstr(r->code.c_str(), "\"q\""));
}

static void extract__policy_in_other_tag__accepted_last(void **)
{
    auto r = scx::extract_policy(fence("text", POLICY));
    assert_true(r.ok());
    assert_int_equal(r->block, 1);
}

static void extract__no_fence__from_include_to_registration(void **)
{
    const std::string reply = std::string("Sure! Here is the policy.\n\n// A tiny policy.\n") + POLICY +
                              "\nIt dispatches every task at once.\n";
    auto r = scx::extract_policy(reply);
    assert_true(r.ok());
    assert_str_equal(r->method, "unfenced");
    assert_str_equal(r->code, std::string("// A tiny policy.\n") + POLICY);
}

static void extract__crlf_tilde_fence_and_think__handled(void **)
{
    std::string crlf;
    for (char c : std::string(POLICY)) {
        if (c == '\n')
            crlf += '\r';
        crlf += c;
    }
    auto r = scx::extract_policy("<think>maybe ```cpp SCX_POLICY(X, \"x\")```</think>\r\n~~~cpp\r\n" + crlf + "~~~\r\n");
    assert_true(r.ok());
    assert_str_equal(r->code, POLICY);
}

static void extract__unclosed_final_fence__taken(void **)
{
    auto r = scx::extract_policy(std::string("Here:\n```cpp\n") + POLICY);
    assert_true(r.ok());
    assert_str_equal(r->code, POLICY);
}

static void extract__registration_only_in_comment__refused(void **)
{
    auto r = scx::extract_policy(fence("cpp", "// SCX_POLICY(P, \"p\")\nint x;\n"));
    assert_false(r.ok());
    assert_int_equal(static_cast<int>(r.error().exit), 65);
    assert_non_null(std::strstr(r.error().message.c_str(), "1 code block, none registers a policy"));
}

static void extract__prose_only_or_empty__data_error(void **)
{
    auto a = scx::extract_policy("I would need to know more about your workload.");
    assert_false(a.ok());
    assert_non_null(std::strstr(a.error().message.c_str(), "no code block"));
    auto b = scx::extract_policy("  \n");
    assert_false(b.ok());
    assert_non_null(std::strstr(b.error().message.c_str(), "empty"));
}

int main()
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(extract__tagged_fence_with_prose__code_only),
        cmocka_unit_test(extract__several_fences__the_one_registering_a_policy),
        cmocka_unit_test(extract__two_full_versions__the_last_wins),
        cmocka_unit_test(extract__policy_in_other_tag__accepted_last),
        cmocka_unit_test(extract__no_fence__from_include_to_registration),
        cmocka_unit_test(extract__crlf_tilde_fence_and_think__handled),
        cmocka_unit_test(extract__unclosed_final_fence__taken),
        cmocka_unit_test(extract__registration_only_in_comment__refused),
        cmocka_unit_test(extract__prose_only_or_empty__data_error),
    };
    return cmocka_run_group_tests(tests, nullptr, nullptr);
}
