// SPDX-License-Identifier: MIT
//
// <scx/llm/provider.hpp> - the wire formats of the LLM providers.
//
// A Provider knows its API: the URL and headers, the request body, how to
// decode a streamed or a whole answer, and what its error bodies mean. It
// does no I/O; generate.hpp drives it over an HttpTransport.
//
//   openai     Chat Completions: POST {base}/chat/completions, SSE with a
//              final usage chunk and "data: [DONE]". Also vLLM, llama.cpp
//              server, Ollama's /v1, OpenRouter, LM Studio.
//   anthropic  Messages: POST {base}/v1/messages, SSE events message_start
//              ... message_stop.
//   ollama     native chat: POST {host}/api/chat, NDJSON ending with
//              "done": true.

#ifndef SCX_LLM_PROVIDER_HPP
#define SCX_LLM_PROVIDER_HPP

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/json.hpp"
#include "llm/http.hpp"
#include <scx/result.hpp>

namespace scx::llm {

struct Message {
    std::string role; // "user" or "assistant"
    std::string content;
};

struct Conversation {
    std::string system;
    std::vector<Message> messages;
};

// SHA-256 over the system text and every role and content: the key that
// replay matches recorded transcripts by.
std::string conversation_hash(const Conversation &c);

struct Usage {
    std::int64_t input_tokens = -1;  // -1 = not reported
    std::int64_t output_tokens = -1;
};

struct Reply {
    std::string text;
    std::string finish_reason; // the provider's word: "stop", "end_turn", "length", ...
    bool truncated = false;    // cut by the token limit
    std::string model;         // as the provider reported it
    Usage usage;
};

struct RequestOptions {
    std::string model;
    std::optional<double> temperature;
    std::optional<long> max_tokens;
    bool stream = true;
    // Sampling seed: openai sends "seed", ollama "options.seed"; anthropic
    // has none (scx-generate warns and leaves it out).
    std::optional<std::int64_t> seed;
};

// Decodes one streamed answer. Errors: Exit::data for malformed JSON,
// Exit::temp_fail for an error the provider reports inside the stream
// (overloaded, server error) and for a stream that ends early.
class StreamDecoder {
public:
    virtual ~StreamDecoder() = default;
    virtual Result<void> feed(std::string_view bytes) = 0;
    virtual Result<Reply> finish() = 0;
    std::function<void(std::string_view)> on_text; // each piece of text as it arrives
};

// What an error answer means.
struct ApiError {
    Error error;               // exit class and a message naming the cause
    bool retryable = false;
    double retry_after_s = -1; // server's Retry-After, -1 when none
};

class Provider {
public:
    virtual ~Provider() = default;
    virtual std::string_view name() const = 0;
    virtual std::string default_endpoint() const = 0;
    virtual std::string default_model() const = 0;
    virtual bool needs_key() const = 0;          // against its default endpoint
    virtual std::string url(const std::string &endpoint) const = 0;
    virtual Headers headers(const std::string &api_key) const = 0;
    virtual json::Value body(const Conversation &c, const RequestOptions &o) const = 0;
    virtual std::unique_ptr<StreamDecoder> decoder() const = 0;
    virtual Result<Reply> parse_reply(std::string_view body) const = 0;
    // Classify a non-2xx answer: 401/403 -> no_perm; 404 -> unavailable;
    // 400/413/422 -> data; exhausted quota or credit (OpenAI
    // "insufficient_quota", Anthropic "billing_error", HTTP 402, ...) ->
    // unavailable; all of those final. 408/409/429/5xx/529 -> temp_fail,
    // retryable.
    virtual ApiError classify(long status, std::string_view body, const Headers &h, double now) const;
};

// "openai", "anthropic", "ollama"; nullptr for anything else.
std::unique_ptr<Provider> make_provider(std::string_view name);

// The provider's own explanation in an error body ({"error":{"message"}},
// {"error":"..."}, {"message"}), or a short excerpt of a non-JSON body.
std::string error_message_in(std::string_view body);

} // namespace scx::llm

#endif // SCX_LLM_PROVIDER_HPP
