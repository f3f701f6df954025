// SPDX-License-Identifier: MIT
// Ollama's native chat API (/api/chat), streamed as NDJSON.
#include "providers.hpp"

namespace scx::llm {

namespace {

// Fill `r` from one object; returns true on the final ("done": true) one.
Result<bool> read_object(const json_t *o, Reply &r, const std::function<void(std::string_view)> &on_text)
{
    if (const char *err = json::get_string(o, "error"))
        return Error(Exit::temp_fail, std::string("ollama reported an error: ") + err);
    if (const char *m = json::get_string(o, "model"))
        r.model = m;
    const char *text = json::get_string(json_object_get(o, "message"), "content");
    if (text && *text) {
        r.text += text;
        if (on_text)
            on_text(text);
    }
    if (!json::get_bool(o, "done"))
        return false;
    const char *reason = json::get_string(o, "done_reason");
    r.finish_reason = reason ? reason : "stop";
    r.truncated = r.finish_reason == "length";
    r.usage.input_tokens = json::get_int(o, "prompt_eval_count", -1);
    r.usage.output_tokens = json::get_int(o, "eval_count", -1);
    return true;
}

class OllamaDecoder : public StreamDecoder {
public:
    Result<void> feed(std::string_view bytes) override
    {
        Result<void> status;
        lines_.feed(bytes, [&](std::string_view line) {
            status = one(line);
            return status.ok();
        });
        return status;
    }

    Result<Reply> finish() override
    {
        // A last line without its newline counts if it is whole; a line cut
        // in the middle means the stream ended early.
        if (const std::string rest = lines_.take_rest(); !rest.empty())
            if (auto r = one(rest); !r)
                return r.error().exit == Exit::data ? Error(Exit::temp_fail, "the stream ended before the reply was "
                                                                             "complete (in the middle of a line)")
                                                    : std::move(r).error();
        if (!done_)
            return Error(Exit::temp_fail, "the stream ended before the reply was complete (no \"done\": true)");
        return reply_;
    }

private:
    Result<void> one(std::string_view line)
    {
        auto j = parse_wire_json(line, "ollama", "stream");
        if (!j)
            return std::move(j).error();
        auto done = read_object(j->get(), reply_, on_text);
        if (!done)
            return std::move(done).error();
        done_ = done_ || *done;
        return {};
    }

    LineParser lines_;
    Reply reply_;
    bool done_ = false;
};

class Ollama : public Provider {
public:
    std::string_view name() const override { return "ollama"; }
    std::string default_endpoint() const override { return "http://127.0.0.1:11434"; }
    std::string default_model() const override { return "qwen2.5-coder"; }
    bool needs_key() const override { return false; }
    std::string url(const std::string &endpoint) const override { return join_url(endpoint, "/api/chat"); }

    // A key is only sent for a proxy in front of Ollama.
    Headers headers(const std::string &key) const override { return bearer_headers(key); }

    json::Value body(const Conversation &c, const RequestOptions &o) const override
    {
        auto b = json::object();
        json::set(b.get(), "model", o.model);
        json::set(b.get(), "messages", chat_messages(c, true));
        json::set(b.get(), "stream", o.stream);
        auto opts = json::object();
        if (o.temperature)
            json::set(opts.get(), "temperature", *o.temperature);
        if (o.seed)
            json::set(opts.get(), "seed", *o.seed);
        if (o.max_tokens)
            json::set(opts.get(), "num_predict", static_cast<std::int64_t>(*o.max_tokens));
        if (json_object_size(opts.get()) > 0)
            json::set(b.get(), "options", opts);
        return b;
    }

    std::unique_ptr<StreamDecoder> decoder() const override { return std::make_unique<OllamaDecoder>(); }

    Result<Reply> parse_reply(std::string_view body) const override
    {
        auto j = parse_wire_json(body, "ollama", "answer");
        if (!j)
            return std::move(j).error();
        Reply r;
        auto done = read_object(j->get(), r, nullptr);
        if (!done)
            return std::move(done).error();
        if (!*done)
            return Error(Exit::temp_fail, "the answer from ollama is incomplete (no \"done\": true)");
        return r;
    }
};

} // namespace

std::unique_ptr<Provider> make_ollama() { return std::make_unique<Ollama>(); }

} // namespace scx::llm
