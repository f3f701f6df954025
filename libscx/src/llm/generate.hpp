// SPDX-License-Identifier: MIT
//
// <scx/llm/generate.hpp> - one model call with retries, recorded.
//
// call_model() sends the conversation to the configured provider, streaming
// when asked, and retries what is worth retrying (connection errors,
// timeouts, 408/409/429/5xx/529, errors inside the stream, a stream that
// ends early) with exponential backoff and jitter, waiting as long as a
// Retry-After / retry-after-ms header asks. Everything that happened goes
// into a CallRecord, from which the transcript and the scxkit.generation/1
// document are written. The API key is sent but never recorded.

#ifndef SCX_LLM_GENERATE_HPP
#define SCX_LLM_GENERATE_HPP

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "base/json.hpp"
#include "llm/http.hpp"
#include "llm/provider.hpp"
#include "llm/retry.hpp"
#include "llm/settings.hpp"
#include <scx/result.hpp>

namespace scx::llm {

struct Attempt {
    double started_s = 0;   // since the call started
    double duration_s = 0;
    long status = 0;        // HTTP status, 0 when no answer arrived
    std::string error;      // "" for the successful attempt
    double retry_after_s = -1;
};

struct CallRecord {
    std::string started_at;    // UTC, ISO 8601
    std::string provider, model, url;
    std::string request_hash;  // conversation_hash()
    Conversation conversation;
    Headers request_headers;   // with credentials replaced by "[redacted]"
    json::Value request_body;
    bool streamed = false;
    std::vector<Attempt> attempts;
    std::optional<Reply> reply;
    double latency_s = 0;      // whole call, retries included
    double first_token_s = -1; // first text of the successful attempt
    std::string replayed_from; // transcript served by the replay provider
    std::string replay_match;  // "hash" or "sequence"
};

struct CallHooks {
    // Streaming progress: characters received so far and seconds elapsed.
    std::function<void(std::size_t chars, double elapsed_s)> on_progress;
    // A retry is about to wait `delay_s`: why, and the attempt that follows (2 = first retry).
    std::function<void(const std::string &why, double delay_s, int next_attempt, int max_attempts)> on_retry;
    // Sleep (tests replace it); default sleeps for real.
    std::function<void(double seconds)> sleep;
    // Uniform random in [0, 1) for jitter; default from std::random_device.
    std::function<double()> random;
};

// Make the call. The error, when there is one, is the last attempt's, with
// Exit::temp_fail once retries are exhausted. Everything that comes back is
// redacted (redact() with the API key): error messages, and the reply's
// text and model, so that no output derived from them can hold the key.
Result<Reply> call_model(const Provider &provider, const Conversation &conv, const Settings &s,
                         HttpTransport &http, const CallHooks &hooks, CallRecord &rec,
                         const RetryPolicy &policy);

// Cost in USD when both prices are configured and the usage is known.
std::optional<double> cost_usd(const Settings &s, const Usage &u);

// Current UTC time with milliseconds, "2026-01-02T03:04:05.678Z" or, compact
// (for file names that sort in time order), "20260102T030405.678Z".
std::string utc_timestamp(bool compact = false);

} // namespace scx::llm

#endif // SCX_LLM_GENERATE_HPP
