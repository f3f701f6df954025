// SPDX-License-Identifier: MIT
// OpenAI Chat Completions, and the servers that speak it (vLLM, llama.cpp
// server, Ollama's /v1, OpenRouter, LM Studio).
#include "providers.hpp"

namespace scx::llm {

namespace {

void read_usage(const json_t *usage, Usage &u)
{
    if (!json_is_object(usage))
        return;
    u.input_tokens = json::get_int(usage, "prompt_tokens", u.input_tokens);
    u.output_tokens = json::get_int(usage, "completion_tokens", u.output_tokens);
}

void read_finish(const json_t *choice, Reply &r)
{
    if (const char *f = json::get_string(choice, "finish_reason")) {
        r.finish_reason = f;
        r.truncated = r.finish_reason == "length";
    }
}

Error in_stream_error(const json_t *err)
{
    const char *m = json::get_string(err, "message");
    return Error(Exit::temp_fail, std::string("openai reported an error: ") + (m ? m : "(no message)"));
}

class OpenAiDecoder : public SseDecoder {
public:
    Result<Reply> finish() override
    {
        if (!done_ && reply_.finish_reason.empty())
            return Error(Exit::temp_fail, "the stream ended before the reply was complete (no finish reason, no "
                                          "\"data: [DONE]\")");
        return reply_;
    }

private:
    Result<void> event(const SseEvent &ev) override
    {
        if (ev.data == "[DONE]") {
            done_ = true;
            return {};
        }
        auto j = parse_wire_json(ev.data, "openai", "stream");
        if (!j)
            return std::move(j).error();
        const json_t *o = j->get();
        if (const json_t *err = json_object_get(o, "error"); json_is_object(err))
            return in_stream_error(err);
        if (const char *m = json::get_string(o, "model"))
            reply_.model = m;
        read_usage(json_object_get(o, "usage"), reply_.usage);
        const json_t *choice = json_array_get(json_object_get(o, "choices"), 0);
        if (!choice)
            return {};
        const char *text = json::get_string(json_object_get(choice, "delta"), "content");
        if (text && *text) {
            reply_.text += text;
            if (on_text)
                on_text(text);
        }
        read_finish(choice, reply_);
        return {};
    }

    Reply reply_;
    bool done_ = false;
};

class OpenAi : public Provider {
public:
    std::string_view name() const override { return "openai"; }
    std::string default_endpoint() const override { return "https://api.openai.com/v1"; }
    std::string default_model() const override { return "gpt-4o"; }
    bool needs_key() const override { return true; }
    std::string url(const std::string &endpoint) const override { return join_url(endpoint, "/chat/completions"); }

    Headers headers(const std::string &key) const override { return bearer_headers(key); }

    json::Value body(const Conversation &c, const RequestOptions &o) const override
    {
        auto b = json::object();
        json::set(b.get(), "model", o.model);
        json::set(b.get(), "messages", chat_messages(c, true));
        if (o.temperature)
            json::set(b.get(), "temperature", *o.temperature);
        if (o.seed)
            json::set(b.get(), "seed", *o.seed);
        if (o.max_tokens)
            json::set(b.get(), "max_tokens", static_cast<std::int64_t>(*o.max_tokens));
        json::set(b.get(), "stream", o.stream);
        if (o.stream) {
            auto so = json::object();
            json::set(so.get(), "include_usage", true);
            json::set(b.get(), "stream_options", so);
        }
        return b;
    }

    std::unique_ptr<StreamDecoder> decoder() const override { return std::make_unique<OpenAiDecoder>(); }

    Result<Reply> parse_reply(std::string_view body) const override
    {
        auto j = parse_wire_json(body, "openai", "answer");
        if (!j)
            return std::move(j).error();
        const json_t *o = j->get();
        if (const json_t *err = json_object_get(o, "error"); json_is_object(err))
            return in_stream_error(err); // some servers answer errors with 200
        Reply r;
        if (const char *m = json::get_string(o, "model"))
            r.model = m;
        read_usage(json_object_get(o, "usage"), r.usage);
        const json_t *choice = json_array_get(json_object_get(o, "choices"), 0);
        const json_t *msg = json_object_get(choice, "message");
        const char *text = json::get_string(msg, "content");
        if (!choice || !json_is_object(msg))
            return Error(Exit::data, "the answer from openai has no choices[0].message");
        r.text = text ? text : "";
        read_finish(choice, r);
        return r;
    }
};

} // namespace

std::unique_ptr<Provider> make_openai() { return std::make_unique<OpenAi>(); }

} // namespace scx::llm
