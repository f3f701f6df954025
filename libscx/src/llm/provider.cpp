// SPDX-License-Identifier: MIT
#include "llm/provider.hpp"

#include "llm/retry.hpp"
#include "base/sha256.hpp"

#include <algorithm>
#include <cctype>

#include "providers.hpp"

namespace scx::llm {

namespace {

std::string lower(std::string s)
{
    for (auto &c : s)
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return s;
}

json::Value parse_body(std::string_view body)
{
    return json::Value::steal(json_loadb(body.data(), body.size(), 0, nullptr));
}

// The machine-readable error code in a parsed error body (nullptr: not
// JSON): error.code, error.type or type.
std::string error_code_in(const json_t *j)
{
    std::string code;
    for (const json_t *o : {static_cast<const json_t *>(json_object_get(j, "error")), j}) {
        if (!json_is_object(o))
            continue;
        for (const char *k : {"code", "type"})
            if (const char *s = json::get_string(o, k); s && code.empty() && std::string_view(s) != "error")
                code = s;
    }
    return code;
}

// error_message_in() on a body already parsed (`j`, nullptr when not JSON).
std::string error_message_in(const json_t *j, std::string_view body)
{
    if (j) {
        const json_t *err = json_object_get(j, "error");
        if (json_is_string(err))
            return json_string_value(err);
        if (const char *m = json::get_string(err, "message"))
            return m;
        if (const char *m = json::get_string(j, "message"))
            return m;
        if (const char *m = json::get_string(j, "detail"))
            return m;
    }
    // Not JSON (a proxy's HTML page...): a short excerpt on one line.
    std::string s;
    for (char c : body.substr(0, 200))
        s += (c == '\n' || c == '\r' || c == '\t') ? ' ' : c;
    while (!s.empty() && s.back() == ' ')
        s.pop_back();
    if (body.size() > 200)
        s += "...";
    return s;
}

bool quota_exhausted(long status, const std::string &code, const std::string &msg)
{
    if (status == 402)
        return true;
    static const char *const codes[] = {"insufficient_quota", "billing_hard_limit_reached", "billing_error",
                                        "billing_not_active", "credit_balance_too_low", "insufficient_credits"};
    for (const char *c : codes)
        if (code == c)
            return true;
    const std::string m = lower(msg);
    return m.find("credit balance") != std::string::npos || m.find("exceeded your current quota") != std::string::npos ||
           m.find("insufficient credits") != std::string::npos || m.find("billing") != std::string::npos;
}

} // namespace

std::string conversation_hash(const Conversation &c)
{
    Sha256 h;
    h.field("scxkit.conversation/1").field(c.system);
    for (const auto &m : c.messages)
        h.field(m.role).field(m.content);
    return h.hex();
}

std::string error_message_in(std::string_view body) { return error_message_in(parse_body(body).get(), body); }

ApiError Provider::classify(long status, std::string_view body, const Headers &h, double now) const
{
    ApiError e;
    e.retry_after_s = retry_after_seconds(h, now);
    const json::Value parsed = parse_body(body);
    const std::string msg = error_message_in(parsed.get(), body);
    const std::string code = error_code_in(parsed.get());
    std::string what = "HTTP " + std::to_string(status);
    if (!code.empty())
        what += " " + code;
    if (!msg.empty())
        what += ": " + msg;
    if (quota_exhausted(status, code, msg)) {
        e.error = Error(Exit::unavailable, "quota or credit exhausted (" + what +
                                               "); retrying will not help until the account is topped up");
    } else if (status == 401) {
        e.error = Error(Exit::no_perm, "authentication failed (" + what + ")");
    } else if (status == 403) {
        e.error = Error(Exit::no_perm, "permission denied (" + what + ")");
    } else if (status == 404) {
        e.error = Error(Exit::unavailable, "not found (" + what + "): check the model name and the endpoint");
    } else if (status == 400 || status == 413 || status == 422) {
        e.error = Error(Exit::data, "the provider rejected the request (" + what + ")");
    } else if (retryable_status(status)) {
        const char *kind = status == 429   ? "rate limited"
                           : status == 529 ? "overloaded"
                           : status == 408 ? "request timeout"
                           : status == 409 ? "conflict"
                                           : "server error";
        e.error = Error(Exit::temp_fail, std::string(kind) + " (" + what + ")");
        e.retryable = true;
    } else {
        e.error = Error(Exit::unavailable, "unexpected answer (" + what + ")");
    }
    return e;
}

std::unique_ptr<Provider> make_provider(std::string_view name)
{
    if (name == "openai")
        return make_openai();
    if (name == "anthropic")
        return make_anthropic();
    if (name == "ollama")
        return make_ollama();
    return nullptr;
}

} // namespace scx::llm
