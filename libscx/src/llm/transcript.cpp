// SPDX-License-Identifier: MIT
#include "llm/transcript.hpp"

#include "base/fs.hpp"

#include <atomic>
#include <unistd.h>

#include "providers.hpp"

namespace scx::llm {

namespace {

json::Value conversation_json(const Conversation &c)
{
    auto o = json::object();
    json::set(o.get(), "system", c.system);
    json::set(o.get(), "messages", chat_messages(c, false));
    return o;
}

} // namespace

json::Value transcript_json(const CallRecord &rec)
{
    auto o = json::object();
    json::set(o.get(), "schema", json::schema_id("scxkit.transcript", 1));
    json::set(o.get(), "started_at", rec.started_at);
    json::set(o.get(), "provider", rec.provider);
    json::set(o.get(), "model", rec.model);
    json::set(o.get(), "url", rec.url);
    json::set(o.get(), "request_hash", rec.request_hash);
    json::set(o.get(), "conversation", conversation_json(rec.conversation));
    auto req = json::object();
    auto headers = json::object();
    for (const auto &[k, v] : rec.request_headers)
        json::set(headers.get(), k.c_str(), v);
    json::set(req.get(), "headers", headers);
    json::set(req.get(), "body", rec.request_body ? rec.request_body : json::object());
    json::set(req.get(), "stream", rec.streamed);
    json::set(o.get(), "request", req);
    auto attempts = json::array();
    for (const auto &a : rec.attempts) {
        auto ao = json::object();
        json::set(ao.get(), "started_s", a.started_s);
        json::set(ao.get(), "duration_s", a.duration_s);
        if (a.status)
            json::set(ao.get(), "status", static_cast<std::int64_t>(a.status));
        else
            json::set_null(ao.get(), "status");
        if (a.error.empty())
            json::set_null(ao.get(), "error");
        else
            json::set(ao.get(), "error", a.error);
        set_or_null(ao.get(), "retry_after_s", a.retry_after_s);
        json::append(attempts.get(), ao);
    }
    json::set(o.get(), "attempts", attempts);
    if (rec.reply) {
        auto r = json::object();
        json::set(r.get(), "text", rec.reply->text);
        json::set(r.get(), "finish_reason", rec.reply->finish_reason);
        json::set(r.get(), "truncated", rec.reply->truncated);
        json::set(r.get(), "model", rec.reply->model);
        json::set(o.get(), "response", r);
        json::set(o.get(), "usage", usage_json(rec.reply->usage));
    } else {
        json::set_null(o.get(), "response");
        json::set_null(o.get(), "usage");
    }
    auto t = json::object();
    set_or_null(t.get(), "latency_s", rec.latency_s);
    set_or_null(t.get(), "first_token_s", rec.first_token_s);
    json::set(o.get(), "timings", t);
    if (rec.replayed_from.empty())
        json::set_null(o.get(), "replayed_from");
    else
        json::set(o.get(), "replayed_from", rec.replayed_from);
    return o;
}

Result<std::string> write_transcript(const std::string &dir, const CallRecord &rec, const std::string &secret)
{
    if (auto r = make_dirs(dir); !r)
        return std::move(r).error();
    static std::atomic<int> serial{0};
    std::string path = dir + "/" + utc_timestamp(true) + "-" + std::to_string(::getpid()) + "-" +
                       std::to_string(serial++) + "-" + rec.provider + ".json";
    const std::string text = redact(json::dump(transcript_json(rec).get()) + "\n", secret);
    if (auto r = write_file_atomic(path, text, 0600); !r)
        return std::move(r).error();
    return path;
}

Result<RecordedCall> read_transcript(const json_t *doc, const std::string &path)
{
    if (auto r = json::check_schema(doc, "scxkit.transcript", 1, path); !r)
        return std::move(r).error();
    RecordedCall call;
    call.path = path;
    const json_t *conv = json_object_get(doc, "conversation");
    if (!json_is_object(conv))
        return Error(Exit::data, path + ": no \"conversation\" object");
    if (const char *sys = json::get_string(conv, "system"))
        call.conversation.system = sys;
    size_t i;
    const json_t *m;
    json_array_foreach(json_object_get(conv, "messages"), i, m)
    {
        const char *role = json::get_string(m, "role");
        const char *content = json::get_string(m, "content");
        if (!role || !content)
            return Error(Exit::data, path + ": conversation.messages[" + std::to_string(i) +
                                         "] needs string members \"role\" and \"content\"");
        call.conversation.messages.push_back({role, content});
    }
    call.request_hash = conversation_hash(call.conversation);
    const json_t *resp = json_object_get(doc, "response");
    const char *text = json::get_string(resp, "text");
    if (!text)
        return Error(Exit::data, path + ": the recorded call has no reply (it failed)");
    call.reply.text = text;
    if (const char *f = json::get_string(resp, "finish_reason"))
        call.reply.finish_reason = f;
    call.reply.truncated = json::get_bool(resp, "truncated");
    if (const char *mod = json::get_string(resp, "model"))
        call.reply.model = mod;
    const json_t *u = json_object_get(doc, "usage");
    call.reply.usage.input_tokens = json_is_integer(json_object_get(u, "input_tokens")) ? json::get_int(u, "input_tokens") : -1;
    call.reply.usage.output_tokens = json_is_integer(json_object_get(u, "output_tokens")) ? json::get_int(u, "output_tokens") : -1;
    if (const char *p = json::get_string(doc, "provider"))
        call.provider = p;
    if (const char *mod = json::get_string(doc, "model"))
        call.model = mod;
    return call;
}

} // namespace scx::llm
