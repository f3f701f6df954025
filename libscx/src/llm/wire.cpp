// SPDX-License-Identifier: MIT
// Helpers shared by the provider wire formats.
#include "providers.hpp"

namespace scx::llm {

Result<json::Value> parse_wire_json(std::string_view text, std::string_view provider, std::string_view what)
{
    json_error_t err;
    json_t *j = json_loadb(text.data(), text.size(), 0, &err);
    if (!j) {
        std::string excerpt(text.substr(0, 80));
        for (auto &c : excerpt)
            if (c == '\n' || c == '\r')
                c = ' ';
        return Error(Exit::data, "malformed JSON in the " + std::string(what) + " from " + std::string(provider) +
                                     " (" + std::to_string(err.line) + ":" + std::to_string(err.column) + ": " +
                                     err.text + "): '" + excerpt + (text.size() > 80 ? "...'" : "'"));
    }
    return json::Value::steal(j);
}

json::Value chat_messages(const Conversation &c, bool with_system)
{
    auto msgs = json::array();
    auto add = [&](const std::string &role, const std::string &content) {
        auto m = json::object();
        json::set(m.get(), "role", role);
        json::set(m.get(), "content", content);
        json::append(msgs.get(), m);
    };
    if (with_system && !c.system.empty())
        add("system", c.system);
    for (const auto &m : c.messages)
        add(m.role, m.content);
    return msgs;
}

Headers bearer_headers(const std::string &key)
{
    Headers h{{"Content-Type", "application/json"}};
    if (!key.empty())
        h.emplace_back("Authorization", "Bearer " + key);
    return h;
}

Result<void> SseDecoder::feed(std::string_view bytes)
{
    Result<void> status;
    sse_.feed(bytes, [&](const SseEvent &ev) {
        status = event(ev);
        return status.ok();
    });
    return status;
}

void set_or_null(json_t *o, const char *key, double v)
{
    if (v < 0)
        json::set_null(o, key);
    else
        json::set(o, key, v);
}

void set_or_null(json_t *o, const char *key, std::int64_t v)
{
    if (v < 0)
        json::set_null(o, key);
    else
        json::set(o, key, v);
}

json::Value usage_json(const Usage &u)
{
    auto o = json::object();
    set_or_null(o.get(), "input_tokens", u.input_tokens);
    set_or_null(o.get(), "output_tokens", u.output_tokens);
    return o;
}

std::string join_url(const std::string &base, std::string_view path)
{
    std::string b = base;
    while (!b.empty() && b.back() == '/')
        b.pop_back();
    return b + std::string(path);
}

} // namespace scx::llm
