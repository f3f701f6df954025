// SPDX-License-Identifier: MIT
// call_model() over a scripted in-memory transport: retries, Retry-After,
// final errors, streaming, redaction, the call record.
#include "llm/generate.hpp"
#include "llm/generation.hpp"
#include "llm/transcript.hpp"

#include <vector>

#include "fake_http.hpp"
#include "test.hpp"

using namespace scx::llm;

namespace {

const char *const STREAM = "data: {\"choices\":[{\"delta\":{\"content\":\"Hello\"},\"finish_reason\":null}]}\n\n"
                           "data: {\"choices\":[{\"delta\":{},\"finish_reason\":\"stop\"}]}\n\n"
                           "data: {\"choices\":[],\"usage\":{\"prompt_tokens\":7,\"completion_tokens\":1}}\n\ndata: [DONE]\n\n";

FakeHttp *http;
std::vector<double> sleeps;
CallHooks hooks;
Settings settings;
const Conversation conv{"sys", {{"user", "prefer short bursts"}}};

int setup(void **)
{
    http = new FakeHttp;
    sleeps.clear();
    hooks = CallHooks{};
    hooks.sleep = [](double s) { sleeps.push_back(s); };
    hooks.random = [] { return 0.0; };
    settings = Settings{};
    settings.provider = "openai";
    settings.model = "m";
    settings.endpoint = "http://h/v1";
    settings.api_key = "sk-SECRET";
    settings.api_key_from = "OPENAI_API_KEY";
    return 0;
}

int teardown(void **)
{
    delete http;
    return 0;
}

scx::Result<Reply> call(CallRecord &rec, int retries = 3)
{
    RetryPolicy p;
    p.retries = retries;
    auto prov = make_provider(settings.provider);
    return call_model(*prov, conv, settings, *http, hooks, rec, p);
}

} // namespace

static void call__stream_ok__reply_and_record(void **)
{
    http->script = {{200, {{"content-type", "text/event-stream"}}, STREAM}};
    size_t progress = 0;
    hooks.on_progress = [&](size_t chars, double) { progress = chars; };
    CallRecord rec;
    auto r = call(rec);
    assert_true(r.ok());
    assert_str_equal(r->text, "Hello");
    assert_int_equal(r->usage.input_tokens, 7);
    assert_int_equal(progress, 5);
    assert_int_equal(rec.attempts.size(), 1);
    assert_true(rec.first_token_s >= 0);
    assert_str_equal(rec.url, "http://h/v1/chat/completions");
    assert_str_equal(rec.request_hash, conversation_hash(conv));
    assert_str_equal(header_value(http->seen[0].headers, "authorization"), "Bearer sk-SECRET");
    assert_str_equal(header_value(rec.request_headers, "authorization"), "[redacted]");
}

static void call__429_with_retry_after__waits_then_succeeds(void **)
{
    http->script = {{429, {{"retry-after-ms", "600"}}, R"({"error":{"message":"slow down"}})"}, {200, {}, STREAM}};
    std::string why;
    hooks.on_retry = [&](const std::string &w, double, int next, int max) {
        why = w;
        assert_int_equal(next, 2);
        assert_int_equal(max, 4);
    };
    CallRecord rec;
    auto r = call(rec);
    assert_true(r.ok());
    assert_int_equal(sleeps.size(), 1);
    assert_true(sleeps[0] == 0.6);
    assert_non_null(std::strstr(why.c_str(), "rate limited"));
    assert_int_equal(rec.attempts.size(), 2);
    assert_int_equal(rec.attempts[0].status, 429);
    assert_true(rec.attempts[0].retry_after_s == 0.6);
}

static void call__server_errors__backoff_then_temp_fail(void **)
{
    http->script = {{500, {}, "oops"}};
    CallRecord rec;
    auto r = call(rec, 3);
    assert_false(r.ok());
    assert_int_equal(static_cast<int>(r.error().exit), 75);
    assert_non_null(std::strstr(r.error().message.c_str(), "gave up after 4 attempts"));
    assert_int_equal(http->seen.size(), 4);
    assert_int_equal(sleeps.size(), 3);
    assert_true(sleeps[0] == 0.5 && sleeps[1] == 1.0 && sleeps[2] == 2.0);
}

static void call__connection_refused__retried(void **)
{
    http->script = {{0, {}, "", scx::Exit::temp_fail}, {200, {}, STREAM}};
    CallRecord rec;
    auto r = call(rec);
    assert_true(r.ok());
    assert_int_equal(rec.attempts[0].status, 0);
    assert_non_null(std::strstr(rec.attempts[0].error.c_str(), "Connection refused"));
}

static void call__401__final_redacted_and_names_key_source(void **)
{
    http->script = {{401, {}, R"({"error":{"message":"Incorrect API key provided: sk-SECRET"}})"}};
    CallRecord rec;
    auto r = call(rec);
    assert_int_equal(static_cast<int>(r.error().exit), 77);
    assert_int_equal(http->seen.size(), 1);
    assert_null(std::strstr(r.error().message.c_str(), "sk-SECRET"));
    assert_non_null(std::strstr(r.error().message.c_str(), "[redacted]"));
    assert_non_null(std::strstr(r.error().message.c_str(), "the key came from OPENAI_API_KEY"));
    assert_null(std::strstr(rec.attempts[0].error.c_str(), "sk-SECRET"));
    const std::string t = scx::json::dump(transcript_json(rec).get());
    assert_null(std::strstr(t.c_str(), "sk-SECRET"));
}

static void call__key_echoed_in_reply__redacted(void **)
{
    settings.stream = false;
    http->script = {{200, {}, R"({"model":"m","choices":[{"message":{"content":"```cpp\nconst char *k = \"sk-SECRET\";\n```"},"finish_reason":"stop"}]})"}};
    CallRecord rec;
    auto r = call(rec);
    assert_true(r.ok());
    assert_str_equal(r->text, "```cpp\nconst char *k = \"[redacted]\";\n```");
    assert_str_equal(rec.reply->text, r->text);
}

static void call__control_char_in_key_or_url__nothing_sent(void **)
{
    settings.api_key = "sk-SECRET\r\nX-Injected: 1";
    CallRecord rec;
    auto r = call(rec);
    assert_int_equal(static_cast<int>(r.error().exit), 65);
    assert_str_equal(r.error().message, "the Authorization header contains a control character: not sent");
    settings.api_key = "sk-SECRET";
    settings.endpoint = "http://h/v1\n";
    r = call(rec);
    assert_int_equal(static_cast<int>(r.error().exit), 65);
    assert_int_equal(http->seen.size(), 0);
}

static void call__retry_after_too_long__gives_up_at_once(void **)
{
    http->script = {{429, {{"retry-after", "3600"}}, "{}"}};
    CallRecord rec;
    auto r = call(rec);
    assert_int_equal(static_cast<int>(r.error().exit), 75);
    assert_int_equal(sleeps.size(), 0);
    assert_non_null(std::strstr(r.error().message.c_str(), "asks to wait 3600 s"));
}

static void call__truncated_stream__retried_then_temp_fail(void **)
{
    http->script = {{200, {}, std::string(STREAM).substr(0, 40)}};
    CallRecord rec;
    auto r = call(rec, 1);
    assert_int_equal(static_cast<int>(r.error().exit), 75);
    assert_int_equal(http->seen.size(), 2);
}

static void call__malformed__final_data_error(void **)
{
    http->script = {{200, {}, "data: {oops\n\n"}};
    CallRecord rec;
    auto r = call(rec);
    assert_int_equal(static_cast<int>(r.error().exit), 65);
    assert_int_equal(http->seen.size(), 1);
}

static void call__json_answer_to_stream_request__accepted(void **)
{
    http->script = {{200, {{"content-type", "application/json"}},
                     R"({"choices":[{"message":{"content":"Hi"},"finish_reason":"stop"}]})"}};
    CallRecord rec;
    auto r = call(rec);
    assert_true(r.ok());
    assert_str_equal(r->text, "Hi");
}

static void call__no_stream__whole_answer(void **)
{
    settings.stream = false;
    http->script = {{200, {}, R"({"choices":[{"message":{"content":"Hi"},"finish_reason":"stop"}]})"}};
    CallRecord rec;
    auto r = call(rec);
    assert_true(r.ok());
    assert_non_null(std::strstr(http->seen[0].body.c_str(), "\"stream\":false"));
    assert_true(rec.first_token_s < 0);
}

static void generation__truncated_reply__data_error(void **)
{
    Reply r;
    r.truncated = true;
    r.finish_reason = "length";
    r.text = "```cpp\n#include <scx/policy.hpp>\nstruct P : scx::Policy { void schedule(scx::Context &) override {} };\nSCX_POLICY(P, \"p\")\n```";
    auto e = policy_from_reply(r);
    assert_int_equal(static_cast<int>(e.error().exit), 65);
    r.truncated = false;
    assert_true(policy_from_reply(r).ok());
}

static void generation_document__key_anywhere__redacted(void **)
{
    GenerationReport r;
    r.call.url = "http://proxy/v1/chat/completions?key=sk-SECRET";
    r.error = scx::Error(scx::Exit::no_perm, "denied");
    const std::string doc = generation_document(r, "sk-SECRET");
    assert_null(std::strstr(doc.c_str(), "sk-SECRET"));
    assert_non_null(std::strstr(doc.c_str(), "?key=[redacted]"));
    assert_true(doc.back() == '\n');
}

static void cost__needs_prices_and_usage(void **)
{
    Usage u{1'000'000, 500'000};
    assert_false(cost_usd(settings, u).has_value());
    settings.price_input = 2.5;
    settings.price_output = 10;
    assert_true(*cost_usd(settings, u) == 7.5);
    assert_false(cost_usd(settings, Usage{}).has_value());
}

int main()
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(call__stream_ok__reply_and_record, setup, teardown),
        cmocka_unit_test_setup_teardown(call__429_with_retry_after__waits_then_succeeds, setup, teardown),
        cmocka_unit_test_setup_teardown(call__server_errors__backoff_then_temp_fail, setup, teardown),
        cmocka_unit_test_setup_teardown(call__connection_refused__retried, setup, teardown),
        cmocka_unit_test_setup_teardown(call__401__final_redacted_and_names_key_source, setup, teardown),
        cmocka_unit_test_setup_teardown(call__key_echoed_in_reply__redacted, setup, teardown),
        cmocka_unit_test_setup_teardown(call__control_char_in_key_or_url__nothing_sent, setup, teardown),
        cmocka_unit_test_setup_teardown(call__retry_after_too_long__gives_up_at_once, setup, teardown),
        cmocka_unit_test_setup_teardown(call__truncated_stream__retried_then_temp_fail, setup, teardown),
        cmocka_unit_test_setup_teardown(call__malformed__final_data_error, setup, teardown),
        cmocka_unit_test_setup_teardown(call__json_answer_to_stream_request__accepted, setup, teardown),
        cmocka_unit_test_setup_teardown(call__no_stream__whole_answer, setup, teardown),
        cmocka_unit_test_setup_teardown(generation__truncated_reply__data_error, setup, teardown),
        cmocka_unit_test_setup_teardown(generation_document__key_anywhere__redacted, setup, teardown),
        cmocka_unit_test_setup_teardown(cost__needs_prices_and_usage, setup, teardown),
    };
    return cmocka_run_group_tests(tests, nullptr, nullptr);
}
