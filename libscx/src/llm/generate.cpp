// SPDX-License-Identifier: MIT
#include "llm/generate.hpp"

#include "base/strformat.hpp"
#include "base/text.hpp"

#include <chrono>
#include <cstdio>
#include <ctime>
#include <random>
#include <thread>

namespace scx::llm {

namespace {

using Clock = std::chrono::steady_clock;

double since(Clock::time_point t0) { return std::chrono::duration<double>(Clock::now() - t0).count(); }

constexpr std::size_t MAX_COLLECTED = 16u << 20; // a whole (non-streamed) answer

Headers redacted_headers(const Headers &h, const std::string &key)
{
    Headers out;
    for (const auto &[k, v] : h)
        out.emplace_back(k, !key.empty() && v.find(key) != std::string::npos ? "[redacted]" : v);
    return out;
}

bool is_json_content(const Headers &h)
{
    return header_value(h, "content-type").rfind("application/json", 0) == 0;
}

} // namespace

std::string utc_timestamp(bool compact)
{
    struct timespec ts {};
    ::clock_gettime(CLOCK_REALTIME, &ts);
    struct tm tm {};
    ::gmtime_r(&ts.tv_sec, &tm);
    char buf[32];
    std::strftime(buf, sizeof buf, compact ? "%Y%m%dT%H%M%S" : "%Y-%m-%dT%H:%M:%S", &tm);
    char ms[24];
    std::snprintf(ms, sizeof ms, ".%03ldZ", ts.tv_nsec / 1'000'000);
    return std::string(buf) + ms;
}

std::optional<double> cost_usd(const Settings &s, const Usage &u)
{
    if (!s.price_input || !s.price_output || u.input_tokens < 0 || u.output_tokens < 0)
        return std::nullopt;
    return (static_cast<double>(u.input_tokens) * *s.price_input + static_cast<double>(u.output_tokens) * *s.price_output) / 1e6;
}

Result<Reply> call_model(const Provider &prov, const Conversation &conv, const Settings &s, HttpTransport &http,
                         const CallHooks &hooks, CallRecord &rec, const RetryPolicy &policy)
{
    const auto t0 = Clock::now();
    rec.started_at = utc_timestamp();
    rec.provider = std::string(prov.name());
    rec.model = s.model;
    rec.url = prov.url(s.endpoint);
    rec.conversation = conv;
    rec.request_hash = conversation_hash(conv);
    rec.streamed = s.stream;
    rec.request_body = prov.body(conv, RequestOptions{s.model, s.temperature, s.max_tokens, s.stream, s.seed});

    HttpRequest req;
    req.url = rec.url;
    req.headers = prov.headers(s.api_key);
    req.body = json::dump(rec.request_body.get(), false);
    req.connect_timeout_ms = s.connect_timeout_ms;
    req.timeout_ms = s.timeout_ms;
    rec.request_headers = redacted_headers(req.headers, s.api_key);
    // resolve_settings() refuses these with a better message; settings made
    // any other way must not inject a header either.
    if (find_control_char(req.url))
        return Error(Exit::data, "the URL contains a control character: not sent");
    for (const auto &[name, value] : req.headers)
        if (find_control_char(value))
            return Error(Exit::data, "the " + name + " header contains a control character: not sent");

    std::mt19937_64 rng(std::random_device{}());
    std::uniform_real_distribution<double> uniform(0.0, 1.0);
    auto random = [&] { return hooks.random ? hooks.random() : uniform(rng); };
    auto sleep = [&](double sec) {
        if (hooks.sleep)
            hooks.sleep(sec);
        else
            std::this_thread::sleep_for(std::chrono::duration<double>(sec));
    };

    const int max_attempts = std::max(0, policy.retries) + 1;
    for (int attempt = 1;; attempt++) {
        Attempt a;
        a.started_s = since(t0);
        const auto ta = Clock::now();
        auto decoder = prov.decoder();
        std::size_t chars = 0;
        double first_token = -1, last_progress = -1;
        decoder->on_text = [&](std::string_view text) {
            if (first_token < 0)
                first_token = since(t0);
            chars += text.size();
            const double now = since(ta);
            if (hooks.on_progress && now - last_progress >= 0.1) {
                last_progress = now;
                hooks.on_progress(chars, now);
            }
        };
        std::string collected;
        Result<void> stream_status;
        auto sink = [&](std::string_view bytes) {
            if (collected.size() + bytes.size() > MAX_COLLECTED) {
                stream_status = Error(Exit::data, "the answer is larger than " + std::to_string(MAX_COLLECTED >> 20) + " MiB");
                return false;
            }
            collected.append(bytes);
            if (s.stream && stream_status.ok())
                stream_status = decoder->feed(bytes);
            return stream_status.ok();
        };
        auto resp = http.post(req, sink);
        a.duration_s = since(ta);

        ApiError failure;
        if (!resp) {
            failure.error = resp.error();
            failure.retryable = resp.error().exit == Exit::temp_fail;
        } else if (a.status = resp->status; resp->status >= 200 && resp->status < 300) {
            Result<Reply> reply = Error(Exit::software, "no reply");
            if (!s.stream) {
                reply = prov.parse_reply(collected);
            } else if (!stream_status.ok()) {
                reply = stream_status.error();
            } else {
                reply = decoder->finish();
                // A server that ignored "stream": true and sent one JSON answer.
                if (!reply && is_json_content(resp->headers))
                    if (auto whole = prov.parse_reply(collected); whole)
                        reply = std::move(whole);
            }
            if (reply) {
                // A model may echo the key (it can be in the prompt): nothing
                // downstream - the code, the transcript, a saved reply - sees it.
                reply->text = redact(std::move(reply->text), s.api_key);
                reply->model = redact(std::move(reply->model), s.api_key);
                if (hooks.on_progress && s.stream)
                    hooks.on_progress(chars, since(ta));
                rec.attempts.push_back(a);
                rec.reply = *reply;
                rec.first_token_s = first_token;
                rec.latency_s = since(t0);
                return reply;
            }
            failure.error = reply.error();
            failure.retryable = reply.error().exit == Exit::temp_fail;
        } else {
            failure = prov.classify(resp->status, resp->body, resp->headers, static_cast<double>(std::time(nullptr)));
        }
        failure.error.message = redact(failure.error.message, s.api_key);
        a.error = failure.error.message;
        a.retry_after_s = failure.retry_after_s;
        rec.attempts.push_back(a);
        rec.latency_s = since(t0);

        Error &e = failure.error;
        if (!failure.retryable) {
            if (e.exit == Exit::no_perm && !s.api_key_from.empty())
                e.message += "; the key came from " + s.api_key_from;
            else if (e.exit == Exit::no_perm)
                e.message += "; no API key was set";
            return std::move(e);
        }
        if (attempt >= max_attempts)
            return Error(Exit::temp_fail, e.message + " (gave up after " + std::to_string(attempt) + " attempt" +
                                              (attempt == 1 ? "" : "s") + "; try again later)");
        if (failure.retry_after_s > policy.max_retry_after_s)
            return Error(Exit::temp_fail, e.message + ": the provider asks to wait " + seconds_text(failure.retry_after_s) +
                                              "; try again later");
        const double delay =
            failure.retry_after_s >= 0 ? failure.retry_after_s : backoff_delay(policy, attempt - 1, random());
        if (hooks.on_retry)
            hooks.on_retry(e.message, delay, attempt + 1, max_attempts);
        sleep(delay);
    }
}

} // namespace scx::llm
