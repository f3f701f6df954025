// SPDX-License-Identifier: MIT
#include "llm/generation.hpp"

#include "base/fs.hpp"
#include "llm/settings.hpp"

#include <unistd.h>

#include "providers.hpp"

namespace scx::llm {

Result<Extracted> policy_from_reply(const Reply &reply)
{
    if (reply.truncated)
        return Error(Exit::data, "the reply was cut off at the token limit (finish reason \"" + reply.finish_reason +
                                     "\"): raise --max-tokens");
    return extract_policy(reply.text);
}

std::string save_reply(const std::string &text, const std::string &secret, const std::string &dir)
{
    const std::string where = dir.empty() ? cache_dir() + "/replies" : dir;
    if (!make_dirs(where))
        return {};
    const std::string path = where + "/" + utc_timestamp(true) + "-" + std::to_string(::getpid()) + ".md";
    return write_file_atomic(path, redact(text, secret), 0600) ? path : std::string();
}

std::string generation_document(const GenerationReport &r, std::string_view secret)
{
    return redact(json::dump(generation_json(r).get()) + "\n", secret);
}

json::Value generation_json(const GenerationReport &r)
{
    const CallRecord &c = r.call;
    auto o = json::object();
    json::set(o.get(), "schema", json::schema_id("scxkit.generation", 1));
    json::set(o.get(), "ok", r.code.has_value() && !r.error);
    if (r.code)
        json::set(o.get(), "code", r.code->code);
    else
        json::set_null(o.get(), "code");
    json::set(o.get(), "provider", c.replayed_from.empty() ? c.provider : std::string("replay"));
    json::set(o.get(), "model", c.reply && !c.reply->model.empty() ? c.reply->model : c.model);
    json::set(o.get(), "url", c.url);
    if (c.replayed_from.empty()) {
        json::set_null(o.get(), "replayed_from");
    } else {
        auto rp = json::object();
        json::set(rp.get(), "transcript", c.replayed_from);
        json::set(rp.get(), "match", c.replay_match);
        json::set(rp.get(), "provider", c.provider);
        json::set(o.get(), "replayed_from", rp);
    }
    json::set(o.get(), "finish_reason", c.reply ? c.reply->finish_reason : std::string());
    json::set(o.get(), "usage", usage_json(c.reply ? c.reply->usage : Usage{}));
    json::set(o.get(), "latency_s", c.latency_s);
    set_or_null(o.get(), "first_token_s", c.first_token_s);
    json::set(o.get(), "attempts", static_cast<std::uint64_t>(c.attempts.size()));
    json::set(o.get(), "streamed", c.streamed);
    if (r.cost_usd)
        json::set(o.get(), "cost_usd", *r.cost_usd);
    else
        json::set_null(o.get(), "cost_usd");
    if (r.code) {
        auto ex = json::object();
        json::set(ex.get(), "method", r.code->method);
        json::set(ex.get(), "block", r.code->block);
        json::set(ex.get(), "blocks", r.code->blocks);
        json::set(o.get(), "extraction", ex);
    } else {
        json::set_null(o.get(), "extraction");
    }
    json::set(o.get(), "request_hash", c.request_hash);
    if (r.transcript.empty())
        json::set_null(o.get(), "transcript");
    else
        json::set(o.get(), "transcript", r.transcript);
    if (r.reply_saved.empty())
        json::set_null(o.get(), "reply_saved");
    else
        json::set(o.get(), "reply_saved", r.reply_saved);
    if (r.error) {
        auto e = json::object();
        json::set(e.get(), "code", exit_name(r.error->exit));
        json::set(e.get(), "exit_status", static_cast<int>(r.error->exit));
        json::set(e.get(), "message", r.error->message);
        json::set(o.get(), "error", e);
    }
    return o;
}

} // namespace scx::llm
