// SPDX-License-Identifier: MIT
// The concrete providers (internal to libscx) and helpers they share.
#pragma once

#include "llm/provider.hpp"
#include "llm/stream.hpp"

namespace scx::llm {

std::unique_ptr<Provider> make_openai();
std::unique_ptr<Provider> make_anthropic();
std::unique_ptr<Provider> make_ollama();

// Parse one JSON value received from `provider`; Exit::data naming the
// position on failure.
Result<json::Value> parse_wire_json(std::string_view text, std::string_view provider, std::string_view what);

// [{"role","content"}...], with the system text first as a "system"
// message when `with_system` (OpenAI, Ollama; Anthropic takes it apart).
json::Value chat_messages(const Conversation &c, bool with_system);

// Content-Type JSON, and "Authorization: Bearer KEY" when there is a key.
Headers bearer_headers(const std::string &key);

// A decoder for a Server-Sent Events stream: feed() parses the events and
// hands each to event(); the first error stops the stream.
class SseDecoder : public StreamDecoder {
public:
    Result<void> feed(std::string_view bytes) override;

protected:
    virtual Result<void> event(const SseEvent &ev) = 0;

private:
    SseParser sse_;
};

// Set `key` to `v`, or to null when `v` is negative ("not known").
void set_or_null(json_t *o, const char *key, double v);
void set_or_null(json_t *o, const char *key, std::int64_t v);

// {"input_tokens", "output_tokens"}, null where not reported.
json::Value usage_json(const Usage &u);

// "http://host:port/v1" + "/chat/completions", without doubled slashes.
std::string join_url(const std::string &base, std::string_view path);

} // namespace scx::llm
