// SPDX-License-Identifier: MIT
// One generation as scx-generate runs it (llm/session): settings from the
// job, the prompt's conversation, the outputs checked before the call, the
// call over a scripted transport, transcript, extraction, output file, and
// the --verbose lines.
#include "llm/session.hpp"

#include "base/fs.hpp"
#include "base/strformat.hpp"
#include "loop/prompt.hpp"

#include <map>
#include <sys/stat.h>

#include "fake_http.hpp"
#include "test.hpp"

using namespace scx::llm;

namespace {

const char *const POLICY = "#include <scx/policy.hpp>\\nstruct P : scx::Policy { void schedule(scx::Context &) override {} };\\n"
                           "SCX_POLICY(P, \\\"p\\\")\\n";

std::string answer(const std::string &content)
{
    return R"({"model":"m-2026","choices":[{"message":{"content":")" + content +
           R"("},"finish_reason":"stop"}],"usage":{"prompt_tokens":10,"completion_tokens":20}})";
}

// Owned by the fixture (cmocka's longjmp skips destructors in test bodies).
struct World {
    scx::TempDir dir;
    FakeHttp http;
    GenerateJob job;
    Settings settings;
    GenerateHooks hooks;
    GenerationReport report;
    std::vector<std::string> warnings;
    std::map<std::string, std::string> env;
};
World *w;

int setup(void **)
{
    w = new World{scx::TempDir::create("session-test").value()};
    w->settings.provider = "openai";
    w->settings.model = "m";
    w->settings.endpoint = "http://h/v1";
    w->settings.api_key = "sk-session-SECRET";
    w->settings.stream = false;
    w->settings.retries = 0;
    w->hooks.http = &w->http;
    w->hooks.replies_dir = w->dir.path() + "/replies";
    w->hooks.warn = [](const std::string &m) { w->warnings.push_back(m); };
    w->job.config = w->dir.path() + "/empty.conf";
    if (!scx::write_file_atomic(w->job.config, "# nothing\n", 0600))
        return -1;
    return 0;
}

int teardown(void **)
{
    delete w;
    return 0;
}

scx::Result<Settings> configure_job()
{
    return configure(w->job, [](const char *n) -> const char * {
        auto it = w->env.find(n);
        return it == w->env.end() ? nullptr : it->second.c_str();
    }, w->hooks.warn);
}

const Conversation conv{"sys", {{"user", "prefer short bursts"}}};

} // namespace

static void configure__replay_flag__implies_replay_provider(void **)
{
    w->job.flags.replay = "rec";
    auto s = configure_job();
    assert_true(s.ok());
    assert_str_equal(s->provider, "replay");
    assert_str_equal(s->replay, "rec");
    w->job.flags.provider = "openai";
    s = configure_job();
    assert_int_equal(static_cast<int>(s.error().exit), 64);
    assert_str_equal(s.error().message, "--replay cannot be combined with --provider openai");
    w->job.flags = {};
    w->job.flags.provider = "replay";
    s = configure_job();
    assert_int_equal(static_cast<int>(s.error().exit), 64);
    assert_str_equal(s.error().message, "the replay provider needs --replay SOURCE");
}

static void configure__key_in_a_readable_file__warns(void **)
{
    w->job.config = w->dir.path() + "/open.conf";
    assert_true(scx::write_file_atomic(w->job.config, "api_key = sk-from-file-123\n", 0644).ok());
    auto s = configure_job();
    assert_true(s.ok());
    assert_str_equal(s->api_key, "sk-from-file-123");
    assert_int_equal(w->warnings.size(), 1);
    assert_non_null(std::strstr(w->warnings[0].c_str(), "is readable by others (chmod 600 it)"));
    w->warnings.clear();
    ::chmod(w->job.config.c_str(), 0600);
    assert_true(configure_job().ok());
    assert_int_equal(w->warnings.size(), 0);
    // A --config file that does not exist.
    w->job.config = w->dir.path() + "/missing.conf";
    assert_int_equal(static_cast<int>(configure_job().error().exit), 66);
}

static void read_conversation__prompt__system_and_messages(void **)
{
    scx::PromptInputs in;
    in.requirement = "prefer short bursts";
    in.base_path = "fifo.cpp";
    in.base_source = "// fifo\n";
    const scx::Prompt p = scx::assemble_prompt(in);
    const std::string path = w->dir.path() + "/prompt.json";
    assert_true(scx::write_file_atomic(path, scx::json::dump(scx::prompt_to_json(p).get())).ok());
    auto c = read_conversation(path);
    assert_true(c.ok());
    assert_str_equal(c->system, p.system);
    assert_int_equal(c->messages.size(), 1);
    assert_str_equal(c->messages[0].role, "user");
    assert_str_equal(c->messages[0].content, p.messages[0].content);
    assert_int_equal(static_cast<int>(read_conversation(w->dir.path() + "/nope.json").error().exit), 66);
}

static void check_outputs__unwritable__io_before_the_call(void **)
{
    w->job.output = w->dir.path() + "/no/such/dir/p.cpp";
    auto r = check_outputs(w->job, false);
    assert_int_equal(static_cast<int>(r.error().exit), 74);
    // A directory: rename() would fail after the call.
    w->job.output = w->dir.path();
    r = check_outputs(w->job, false);
    assert_int_equal(static_cast<int>(r.error().exit), 74);
    assert_str_equal(r.error().message, "cannot write " + w->dir.path() + ": Is a directory");
    w->job.output = w->dir.path() + "/p.cpp";
    assert_true(check_outputs(w->job, false).ok());
    assert_false(scx::file_exists(w->job.output)); // only probed
    // The transcript directory is made, or the reason it cannot be is given.
    w->job.log_dir = w->dir.path() + "/logs/today";
    assert_true(check_outputs(w->job, false).ok());
    assert_true(scx::file_exists(w->job.log_dir));
    w->job.log_dir = w->dir.path() + "/empty.conf/logs";
    r = check_outputs(w->job, false);
    assert_int_equal(static_cast<int>(r.error().exit), 74);
    assert_non_null(std::strstr(r.error().message.c_str(), "transcripts (--log "));
}

static void generate__fenced_policy__written_recorded_and_logged(void **)
{
    w->http.script = {{200, {}, answer("Here it is:\\n```cpp\\n" + std::string(POLICY) + "```\\nShort bursts first.")}};
    w->job.output = w->dir.path() + "/p.cpp";
    w->job.log_dir = w->dir.path() + "/logs";
    w->settings.price_input = 1000;
    w->settings.price_output = 2000;
    auto r = generate(w->job, w->settings, conv, w->hooks, w->report);
    assert_true(r.ok());
    assert_int_equal(w->http.seen.size(), 1);
    assert_str_equal(*scx::read_file(w->job.output), w->report.code->code);
    assert_non_null(std::strstr(w->report.code->code.c_str(), "SCX_POLICY(P, \"p\")"));
    assert_str_equal(w->report.code->method, "fence");
    assert_true(scx::file_exists(w->report.transcript));
    assert_close(*w->report.cost_usd, 0.05, 1e-12);
    assert_str_equal(describe_outcome(w->report),
                     "10 input + 20 output tokens, " + scx::strformat("%.2f", w->report.call.latency_s) +
                         " s, 1 attempt, $0.0500; policy from fence block 1 of 1");
}

static void generate__no_policy__reply_saved_and_named(void **)
{
    w->http.script = {{200, {}, answer("I cannot help with that.")}};
    w->job.output = w->dir.path() + "/p.cpp";
    auto r = generate(w->job, w->settings, conv, w->hooks, w->report);
    assert_int_equal(static_cast<int>(r.error().exit), 65);
    assert_false(w->report.reply_saved.empty());
    assert_non_null(std::strstr(r.error().message.c_str(), ("the reply was saved to " + w->report.reply_saved).c_str()));
    assert_str_equal(*scx::read_file(w->report.reply_saved), "I cannot help with that.");
    assert_false(scx::file_exists(w->job.output));
}

static void generate__transcript_directory_fails__warned_not_fatal(void **)
{
    w->http.script = {{200, {}, answer("```cpp\\n" + std::string(POLICY) + "```")}};
    const std::string file = w->dir.path() + "/a-file";
    assert_true(scx::write_file_atomic(file, "x").ok());
    w->job.log_dir = file + "/logs";
    auto r = generate(w->job, w->settings, conv, w->hooks, w->report);
    assert_true(r.ok());
    assert_int_equal(w->warnings.size(), 1);
    assert_non_null(std::strstr(w->warnings[0].c_str(), "transcript not written: "));
}

static void describe_settings__origins_never_the_key(void **)
{
    w->settings.origin = {{"provider", "flag"}, {"model", "generate.conf:2"}};
    w->settings.api_key_from = "OPENAI_API_KEY";
    const std::string d = describe_settings(w->settings);
    assert_str_equal(d, "provider openai (flag), model m (generate.conf:2), endpoint http://h/v1 (default), "
                        "API key from OPENAI_API_KEY");
    w->settings.api_key.clear();
    assert_non_null(std::strstr(describe_settings(w->settings).c_str(), "API key none"));
    w->settings.provider = "replay";
    w->settings.replay = "rec";
    assert_str_equal(describe_settings(w->settings), "provider replay, source rec");
}

int main()
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(configure__replay_flag__implies_replay_provider, setup, teardown),
        cmocka_unit_test_setup_teardown(configure__key_in_a_readable_file__warns, setup, teardown),
        cmocka_unit_test_setup_teardown(read_conversation__prompt__system_and_messages, setup, teardown),
        cmocka_unit_test_setup_teardown(check_outputs__unwritable__io_before_the_call, setup, teardown),
        cmocka_unit_test_setup_teardown(generate__fenced_policy__written_recorded_and_logged, setup, teardown),
        cmocka_unit_test_setup_teardown(generate__no_policy__reply_saved_and_named, setup, teardown),
        cmocka_unit_test_setup_teardown(generate__transcript_directory_fails__warned_not_fatal, setup, teardown),
        cmocka_unit_test_setup_teardown(describe_settings__origins_never_the_key, setup, teardown),
    };
    return cmocka_run_group_tests(tests, nullptr, nullptr);
}
