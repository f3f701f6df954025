// SPDX-License-Identifier: MIT
// Anthropic Messages API.
#include "providers.hpp"

namespace scx::llm {

namespace {

constexpr long DEFAULT_MAX_TOKENS = 8192; // the API requires a limit
constexpr const char *API_VERSION = "2023-06-01";

void set_stop(const char *reason, Reply &r)
{
    if (!reason)
        return;
    r.finish_reason = reason;
    r.truncated = r.finish_reason == "max_tokens";
}

class AnthropicDecoder : public SseDecoder {
public:
    Result<Reply> finish() override
    {
        if (!done_)
            return Error(Exit::temp_fail, "the stream ended before the reply was complete (no message_stop event)");
        return reply_;
    }

private:
    Result<void> event(const SseEvent &ev) override
    {
        auto j = parse_wire_json(ev.data, "anthropic", "stream");
        if (!j)
            return std::move(j).error();
        const json_t *o = j->get();
        const char *t = json::get_string(o, "type");
        const std::string type = t ? t : ev.event;
        if (type == "message_start") {
            const json_t *msg = json_object_get(o, "message");
            if (const char *m = json::get_string(msg, "model"))
                reply_.model = m;
            const json_t *u = json_object_get(msg, "usage");
            reply_.usage.input_tokens = json::get_int(u, "input_tokens", reply_.usage.input_tokens);
            reply_.usage.output_tokens = json::get_int(u, "output_tokens", reply_.usage.output_tokens);
        } else if (type == "content_block_delta") {
            const json_t *d = json_object_get(o, "delta");
            const char *dt = json::get_string(d, "type");
            const char *text = json::get_string(d, "text");
            if (dt && std::string_view(dt) == "text_delta" && text && *text) {
                reply_.text += text;
                if (on_text)
                    on_text(text);
            }
        } else if (type == "message_delta") {
            set_stop(json::get_string(json_object_get(o, "delta"), "stop_reason"), reply_);
            const json_t *u = json_object_get(o, "usage");
            reply_.usage.output_tokens = json::get_int(u, "output_tokens", reply_.usage.output_tokens);
            if (json_object_get(u, "input_tokens"))
                reply_.usage.input_tokens = json::get_int(u, "input_tokens", reply_.usage.input_tokens);
        } else if (type == "message_stop") {
            done_ = true;
        } else if (type == "error") {
            const json_t *err = json_object_get(o, "error");
            const char *et = json::get_string(err, "type");
            const char *m = json::get_string(err, "message");
            return Error(Exit::temp_fail, std::string("anthropic reported an error in the stream (") +
                                              (et ? et : "error") + "): " + (m ? m : "(no message)"));
        }
        return {};
    }

    Reply reply_;
    bool done_ = false;
};

class Anthropic : public Provider {
public:
    std::string_view name() const override { return "anthropic"; }
    std::string default_endpoint() const override { return "https://api.anthropic.com"; }
    std::string default_model() const override { return "claude-sonnet-4-5"; }
    bool needs_key() const override { return true; }
    std::string url(const std::string &endpoint) const override { return join_url(endpoint, "/v1/messages"); }

    Headers headers(const std::string &key) const override
    {
        Headers h{{"Content-Type", "application/json"}, {"anthropic-version", API_VERSION}};
        if (!key.empty())
            h.emplace_back("x-api-key", key);
        return h;
    }

    json::Value body(const Conversation &c, const RequestOptions &o) const override
    {
        auto b = json::object();
        json::set(b.get(), "model", o.model);
        json::set(b.get(), "max_tokens", static_cast<std::int64_t>(o.max_tokens.value_or(DEFAULT_MAX_TOKENS)));
        if (!c.system.empty())
            json::set(b.get(), "system", c.system);
        json::set(b.get(), "messages", chat_messages(c, false));
        if (o.temperature)
            json::set(b.get(), "temperature", *o.temperature);
        json::set(b.get(), "stream", o.stream);
        return b;
    }

    std::unique_ptr<StreamDecoder> decoder() const override { return std::make_unique<AnthropicDecoder>(); }

    Result<Reply> parse_reply(std::string_view body) const override
    {
        auto j = parse_wire_json(body, "anthropic", "answer");
        if (!j)
            return std::move(j).error();
        const json_t *o = j->get();
        const json_t *content = json_object_get(o, "content");
        if (!json_is_array(content))
            return Error(Exit::data, "the answer from anthropic has no \"content\" array");
        Reply r;
        size_t i;
        const json_t *block;
        json_array_foreach(content, i, block)
        {
            const char *type = json::get_string(block, "type");
            const char *text = json::get_string(block, "text");
            if (type && std::string_view(type) == "text" && text)
                r.text += text;
        }
        if (const char *m = json::get_string(o, "model"))
            r.model = m;
        set_stop(json::get_string(o, "stop_reason"), r);
        const json_t *u = json_object_get(o, "usage");
        r.usage.input_tokens = json::get_int(u, "input_tokens", -1);
        r.usage.output_tokens = json::get_int(u, "output_tokens", -1);
        return r;
    }
};

} // namespace

std::unique_ptr<Provider> make_anthropic() { return std::make_unique<Anthropic>(); }

} // namespace scx::llm
