// SPDX-License-Identifier: MIT
#include "llm/provider.hpp"

#include "test.hpp"

using namespace scx::llm;

namespace {

const char *const OPENAI_STREAM =
    "data: {\"id\":\"c\",\"model\":\"gpt-4o-2024\",\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"\"},\"finish_reason\":null}],\"usage\":null}\n\n"
    "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Hel\"},\"finish_reason\":null}]}\n\n"
    "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"lo\"},\"finish_reason\":null}]}\n\n"
    "data: {\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}]}\n\n"
    "data: {\"choices\":[],\"usage\":{\"prompt_tokens\":12,\"completion_tokens\":3,\"total_tokens\":15}}\n\n"
    "data: [DONE]\n\n";

const char *const ANTHROPIC_STREAM =
    "event: message_start\ndata: {\"type\":\"message_start\",\"message\":{\"model\":\"claude-x\",\"usage\":{\"input_tokens\":20,\"output_tokens\":1}}}\n\n"
    "event: content_block_start\ndata: {\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"text\",\"text\":\"\"}}\n\n"
    "event: ping\ndata: {\"type\": \"ping\"}\n\n"
    "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"Hel\"}}\n\n"
    "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"lo\"}}\n\n"
    "event: content_block_stop\ndata: {\"type\":\"content_block_stop\",\"index\":0}\n\n"
    "event: message_delta\ndata: {\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"end_turn\"},\"usage\":{\"output_tokens\":4}}\n\n"
    "event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n";

const char *const OLLAMA_STREAM =
    "{\"model\":\"qwen\",\"message\":{\"role\":\"assistant\",\"content\":\"Hel\"},\"done\":false}\n"
    "{\"model\":\"qwen\",\"message\":{\"role\":\"assistant\",\"content\":\"lo\"},\"done\":false}\n"
    "{\"model\":\"qwen\",\"message\":{\"role\":\"assistant\",\"content\":\"\"},\"done_reason\":\"stop\",\"done\":true,\"prompt_eval_count\":9,\"eval_count\":2}";

// Decode `wire` fed in pieces of `step` bytes, up to `limit` bytes.
scx::Result<Reply> decode(const char *provider, const std::string &wire, size_t step, size_t limit = std::string::npos)
{
    auto p = make_provider(provider);
    auto d = p->decoder();
    std::string seen;
    d->on_text = [&](std::string_view t) { seen += t; };
    const std::string w = wire.substr(0, limit);
    for (size_t i = 0; i < w.size(); i += step)
        if (auto r = d->feed(std::string_view(w).substr(i, step)); !r)
            return std::move(r).error();
    auto r = d->finish();
    if (r)
        assert_str_equal(seen, r->text);
    return r;
}

} // namespace

static void decoders__any_split__text_finish_usage(void **)
{
    const struct {
        const char *provider, *wire, *finish, *model;
        long in, out;
    } cases[] = {
        {"openai", OPENAI_STREAM, "stop", "gpt-4o-2024", 12, 3},
        {"anthropic", ANTHROPIC_STREAM, "end_turn", "claude-x", 20, 4},
        {"ollama", OLLAMA_STREAM, "stop", "qwen", 9, 2},
    };
    for (const auto &c : cases)
        for (size_t step : {1ul, 2ul, 7ul, 64ul, 100000ul}) {
            auto r = decode(c.provider, c.wire, step);
            assert_true(r.ok());
            assert_str_equal(r->text, "Hello");
            assert_str_equal(r->finish_reason, c.finish);
            assert_str_equal(r->model, c.model);
            assert_int_equal(r->usage.input_tokens, c.in);
            assert_int_equal(r->usage.output_tokens, c.out);
            assert_false(r->truncated);
        }
}

static void decoders__cut_before_terminator__temp_fail(void **)
{
    for (const char *p : {"openai", "anthropic", "ollama"}) {
        const std::string wire = p == std::string("openai") ? OPENAI_STREAM : p == std::string("anthropic") ? ANTHROPIC_STREAM : OLLAMA_STREAM;
        auto r = decode(p, wire, 5, wire.size() / 2);
        assert_false(r.ok());
        assert_int_equal(static_cast<int>(r.error().exit), 75);
        assert_non_null(std::strstr(r.error().message.c_str(), "ended before the reply was complete"));
    }
}

static void decoders__malformed_json__data_error(void **)
{
    auto a = decode("openai", "data: {\"choices\": [\n\n", 3);
    assert_int_equal(static_cast<int>(a.error().exit), 65);
    assert_non_null(std::strstr(a.error().message.c_str(), "malformed JSON in the stream from openai"));
    auto b = decode("ollama", "{\"done\": tru\n", 3);
    assert_int_equal(static_cast<int>(b.error().exit), 65);
}

static void decoders__error_in_stream__retryable(void **)
{
    auto a = decode("anthropic", "event: error\ndata: {\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\",\"message\":\"Overloaded\"}}\n\n", 9);
    assert_int_equal(static_cast<int>(a.error().exit), 75);
    assert_non_null(std::strstr(a.error().message.c_str(), "overloaded_error"));
    auto b = decode("ollama", "{\"error\":\"model runner crashed\"}\n", 4);
    assert_int_equal(static_cast<int>(b.error().exit), 75);
}

static void decoders__length__truncated(void **)
{
    auto a = decode("openai", "data: {\"choices\":[{\"delta\":{\"content\":\"x\"},\"finish_reason\":\"length\"}]}\n\ndata: [DONE]\n\n", 8);
    assert_true(a->truncated);
    auto b = decode("anthropic", "data: {\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"max_tokens\"}}\n\ndata: {\"type\":\"message_stop\"}\n\n", 8);
    assert_true(b->truncated);
    auto c = decode("ollama", "{\"done\":true,\"done_reason\":\"length\"}\n", 8);
    assert_true(c->truncated);
}

static void parse_reply__whole_answers(void **)
{
    auto o = make_provider("openai")->parse_reply(
        R"({"model":"m","choices":[{"index":0,"message":{"role":"assistant","content":"hi"},"finish_reason":"stop"}],"usage":{"prompt_tokens":1,"completion_tokens":2}})");
    assert_str_equal(o->text, "hi");
    assert_int_equal(o->usage.output_tokens, 2);
    auto a = make_provider("anthropic")->parse_reply(
        R"({"model":"m","content":[{"type":"text","text":"h"},{"type":"tool_use"},{"type":"text","text":"i"}],"stop_reason":"end_turn","usage":{"input_tokens":5,"output_tokens":6}})");
    assert_str_equal(a->text, "hi");
    assert_str_equal(a->finish_reason, "end_turn");
    auto l = make_provider("ollama")->parse_reply(R"({"model":"m","message":{"content":"hi"},"done":true,"eval_count":3})");
    assert_str_equal(l->text, "hi");
    auto bad = make_provider("openai")->parse_reply(R"({"object":"list"})");
    assert_int_equal(static_cast<int>(bad.error().exit), 65);
}

static void classify__final_and_retryable(void **)
{
    auto p = make_provider("openai");
    const struct {
        long status;
        const char *body;
        int exit;
        bool retry;
        const char *words;
    } cases[] = {
        {401, R"({"error":{"message":"Incorrect API key","type":"invalid_request_error","code":"invalid_api_key"}})", 77, false, "authentication failed"},
        {403, R"({"error":{"message":"no access"}})", 77, false, "permission denied"},
        {404, R"({"error":"model \"x\" not found"})", 69, false, "check the model name"},
        {400, R"({"type":"error","error":{"type":"invalid_request_error","message":"prompt is too long"}})", 65, false, "prompt is too long"},
        {429, R"({"error":{"message":"You exceeded your current quota","type":"insufficient_quota","code":"insufficient_quota"}})", 69, false, "quota or credit exhausted"},
        {400, R"({"type":"error","error":{"type":"invalid_request_error","message":"Your credit balance is too low"}})", 69, false, "quota or credit"},
        {402, "", 69, false, "quota"},
        {429, R"({"error":{"message":"Rate limit","code":"rate_limit_exceeded"}})", 75, true, "rate limited"},
        {529, R"({"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}})", 75, true, "overloaded"},
        {502, "<html><body>Bad gateway</body></html>", 75, true, "Bad gateway"},
        {408, "", 75, true, "request timeout"},
        {409, "", 75, true, "conflict"},
        {418, "", 69, false, "unexpected answer"},
    };
    for (const auto &c : cases) {
        ApiError e = p->classify(c.status, c.body, {{"retry-after", "3"}}, 0);
        assert_int_equal(static_cast<int>(e.error.exit), c.exit);
        assert_int_equal(e.retryable, c.retry);
        assert_non_null(std::strstr(e.error.message.c_str(), c.words));
        assert_true(e.retry_after_s == 3.0);
    }
}

static void bodies__per_api(void **)
{
    Conversation c{"SYS", {{"user", "hi"}}};
    RequestOptions o{"m", 0.5, 100L, true};
    auto oa = scx::json::dump(make_provider("openai")->body(c, o).get(), false);
    assert_str_equal(oa, R"({"model":"m","messages":[{"role":"system","content":"SYS"},{"role":"user","content":"hi"}],"temperature":0.5,"max_tokens":100,"stream":true,"stream_options":{"include_usage":true}})");
    auto an = scx::json::dump(make_provider("anthropic")->body(c, o).get(), false);
    assert_str_equal(an, R"({"model":"m","max_tokens":100,"system":"SYS","messages":[{"role":"user","content":"hi"}],"temperature":0.5,"stream":true})");
    auto ol = scx::json::dump(make_provider("ollama")->body(c, o).get(), false);
    assert_str_equal(ol, R"({"model":"m","messages":[{"role":"system","content":"SYS"},{"role":"user","content":"hi"}],"stream":true,"options":{"temperature":0.5,"num_predict":100}})");
    // A seed: openai and ollama carry it on the wire; anthropic has none.
    o.seed = 7;
    assert_non_null(std::strstr(scx::json::dump(make_provider("openai")->body(c, o).get(), false).c_str(),
                                R"("temperature":0.5,"seed":7,)"));
    assert_non_null(std::strstr(scx::json::dump(make_provider("ollama")->body(c, o).get(), false).c_str(),
                                R"("options":{"temperature":0.5,"seed":7,"num_predict":100})"));
    assert_null(std::strstr(scx::json::dump(make_provider("anthropic")->body(c, o).get(), false).c_str(), "seed"));
    assert_str_equal(make_provider("openai")->url("http://h/v1/"), "http://h/v1/chat/completions");
    assert_str_equal(make_provider("anthropic")->url("https://api.anthropic.com"), "https://api.anthropic.com/v1/messages");
    assert_str_equal(make_provider("ollama")->url("http://h:11434"), "http://h:11434/api/chat");
    assert_null(make_provider("gemini").get());
}

static void conversation_hash__fields_are_delimited(void **)
{
    Conversation a{"ab", {{"user", "c"}}};
    Conversation b{"a", {{"user", "bc"}}};
    assert_true(conversation_hash(a) != conversation_hash(b));
    assert_str_equal(conversation_hash(a), conversation_hash(Conversation{"ab", {{"user", "c"}}}));
}

int main()
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(decoders__any_split__text_finish_usage),
        cmocka_unit_test(decoders__cut_before_terminator__temp_fail),
        cmocka_unit_test(decoders__malformed_json__data_error),
        cmocka_unit_test(decoders__error_in_stream__retryable),
        cmocka_unit_test(decoders__length__truncated),
        cmocka_unit_test(parse_reply__whole_answers),
        cmocka_unit_test(classify__final_and_retryable),
        cmocka_unit_test(bodies__per_api),
        cmocka_unit_test(conversation_hash__fields_are_delimited),
    };
    return cmocka_run_group_tests(tests, nullptr, nullptr);
}
