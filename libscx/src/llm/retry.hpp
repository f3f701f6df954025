// SPDX-License-Identifier: MIT
//
// <scx/llm/retry.hpp> - when and how long to wait before trying again.

#ifndef SCX_LLM_RETRY_HPP
#define SCX_LLM_RETRY_HPP

#include <string_view>

#include "llm/http.hpp"

namespace scx::llm {

struct RetryPolicy {
    int retries = 3;             // attempts after the first
    double base_delay_s = 1.0;   // first backoff
    double max_delay_s = 30.0;   // cap of one backoff
    double max_retry_after_s = 120.0; // a longer Retry-After gives up at once
};

// Exponential backoff with "equal jitter": for attempt n (0 = before the
// first retry) the ceiling is min(max, base * 2^n) and the delay is uniform
// in [ceiling/2, ceiling]; `u` is a uniform number in [0, 1).
double backoff_delay(const RetryPolicy &p, int attempt, double u);

// The delay a server asked for: "retry-after-ms" (milliseconds, OpenAI),
// else "retry-after" in seconds or as an HTTP date (relative to `now`, Unix
// seconds). Negative when absent or unreadable.
double retry_after_seconds(const Headers &h, double now);

// HTTP statuses worth another attempt: 408, 409, 429, 5xx (529 included).
bool retryable_status(long status);

} // namespace scx::llm

#endif // SCX_LLM_RETRY_HPP
