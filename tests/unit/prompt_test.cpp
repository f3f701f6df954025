// SPDX-License-Identifier: MIT
#include "loop/api_reference.hpp"
#include "base/fs.hpp"
#include "loop/prompt.hpp"
#include "base/sha256.hpp"

#include "test.hpp"

static void api_reference__generated_from_the_header(void **)
{
    const std::string api(scx::api_reference());
    auto header = scx::read_file(env_path("SCX_SOURCE_ROOT") + "/libscx/include/scx/policy.hpp");
    assert_true(header.ok());
    assert_str_equal(scx::api_reference_source_sha256(), scx::sha256_hex(*header));
    // Every comment line of the header that documents the API is there
    // (the runtime's internals are left out on purpose).
    std::string documented = *header;
    for (size_t b; (b = documented.find("// [runtime internals")) != std::string::npos;) {
        const size_t e = documented.find("// [end of runtime internals]", b);
        assert_true(e != std::string::npos);
        documented.erase(b, e - b + std::strlen("// [end of runtime internals]"));
    }
    size_t pos = 0, checked = 0;
    while ((pos = documented.find("    // ", pos)) != std::string::npos) {
        const size_t end = documented.find('\n', pos);
        const std::string line = documented.substr(pos, end - pos);
        pos = end;
        if (line.find("sizeof") != std::string::npos || line.find("POLICY_ABI the policy") != std::string::npos ||
            line.find("policy name, e.g.") != std::string::npos || line.find("instance") != std::string::npos)
            continue; // PolicyInfo, left out on purpose
        assert_non_null(std::strstr(api.c_str(), line.c_str()));
        checked++;
    }
    assert_true(checked > 20);
    for (const char *decl : {"virtual std::optional<Task> dequeue() = 0;", "virtual int dispatch(const Dispatch &d) = 0;",
                             "explicit Dispatch(const Task &t)", "#define SCX_POLICY(Class, name)"})
        assert_non_null(std::strstr(api.c_str(), decl));
    for (const char *gone : {"PolicyInfo", "#ifndef", "#include <optional>", "SCX_POLICY_ENTRY", "SPDX", "protected:",
                             "ParamInfo", "runtime internals", "detail::", "static_assert"})
        assert_null(std::strstr(api.c_str(), gone));
}

static void assemble__sections_in_order_and_metadata(void **)
{
    scx::PromptInputs in;
    in.requirement = "prefer short bursts";
    in.base_path = "fifo.cpp";
    in.base_source = "// base\n";
    in.fix_text = "p.cpp:3:5: error: 'x' was not declared\n";
    in.fix_path = "build.json";
    in.fix_errors = 1;
    in.feedback.push_back({"run.json", "scxkit.run/1", "Metrics:\n  makespan_s: 4.9\n"});
    in.history_text = "- round 1: x -> kept\n";
    in.history_path = "h.jsonl";
    in.history_rounds = 1;
    const scx::Prompt p = scx::assemble_prompt(in);
    assert_str_equal(p.system, scx::default_system_text());
    assert_int_equal(p.messages.size(), 1);
    const std::string &m = p.messages[0].content;
    const char *order[] = {"## API reference", "## Current policy (fifo.cpp)", "## Requirement", "## Build errors",
                           "## Measurements of the current policy (scxkit.run/1, run.json)", "## Earlier rounds", "## Task"};
    size_t last = 0;
    for (const char *h : order) {
        const size_t at = m.find(h);
        assert_true(at != std::string::npos && at >= last);
        last = at;
    }
    assert_non_null(std::strstr(m.c_str(), "Fix every error"));
    const json_t *meta = p.metadata.get();
    assert_int_equal(scx::json::get_int(json_object_get(meta, "fix"), "errors"), 1);
    assert_int_equal(scx::json::get_int(meta, "chars"), static_cast<long>(scx::prompt_chars(p)));
    assert_int_equal(scx::json::get_int(meta, "estimated_tokens"), static_cast<long>((scx::prompt_chars(p) + 3) / 4));
    size_t total = 0;
    for (const auto &s : p.sections)
        total += s.chars;
    assert_true(total + 1 >= m.size() && total <= m.size() + 2);
}

static void json__round_trip_and_text(void **)
{
    scx::PromptInputs in;
    in.requirement = "r";
    in.base_path = "b.cpp";
    in.base_source = "x";
    in.system = "custom";
    const scx::Prompt p = scx::assemble_prompt(in);
    auto doc = scx::prompt_to_json(p);
    auto back = scx::prompt_from_json(doc.get(), "p.json");
    assert_true(back.ok());
    assert_str_equal(back->system, "custom");
    assert_str_equal(back->messages[0].content, p.messages[0].content);
    const std::string text = scx::prompt_to_text(p);
    assert_int_equal(text.rfind("custom\n\n## API reference", 0), 0);
}

static void from_json__bad_documents__data_errors(void **)
{
    const struct {
        const char *doc, *words;
    } cases[] = {
        {R"({"schema":"scxkit.prompt/1"})", "\"messages\" must be a non-empty array"},
        {R"({"schema":"scxkit.prompt/1","messages":[{"role":"user"}]})", "messages[0] needs string members"},
        {R"({"schema":"scxkit.prompt/1","messages":[{"role":"system","content":"x"}]})", "role \"system\""},
        {R"({"schema":"scxkit.prompt/1","system":3,"messages":[{"role":"user","content":"x"}]})", "\"system\" must be a string"},
        {R"({"schema":"scxkit.build/1"})", "expected \"scxkit.prompt/1\""},
    };
    for (const auto &c : cases) {
        auto j = scx::json::parse(c.doc, "p.json");
        auto r = scx::prompt_from_json(j->get(), "p.json");
        assert_false(r.ok());
        assert_int_equal(static_cast<int>(r.error().exit), 65);
        assert_non_null(std::strstr(r.error().message.c_str(), c.words));
    }
}

int main()
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(api_reference__generated_from_the_header),
        cmocka_unit_test(assemble__sections_in_order_and_metadata),
        cmocka_unit_test(json__round_trip_and_text),
        cmocka_unit_test(from_json__bad_documents__data_errors),
    };
    return cmocka_run_group_tests(tests, nullptr, nullptr);
}
